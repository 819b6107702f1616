//! Type references: the type of a value node, which is a `$ref` (followed across files, with
//! cycles of inline types reported), a generated type (lowered by its shape's file and named),
//! or an inline type (`inline.rs`).

use serde_json::Value;

use super::{Lowerer, module_of_file, text};
use crate::error::SchemaErrorKind;
use crate::keywords;
use crate::load::{RefTarget, parse_ref};
use crate::model::{Ty, TyKind, TypeId};
use crate::pointer::join;

impl<'a> Lowerer<'a> {
    /// The type of a value node: a `$ref`, or an inline schema. `context_name` names inline
    /// generated types.
    pub(super) fn value_ty(
        &mut self,
        file: &str,
        pointer: &str,
        node: &'a Value,
        context_name: &str,
        module: &str,
    ) -> Option<Ty> {
        let Value::Object(map) = node else {
            if node == &Value::Bool(true) {
                return Some(Ty::plain(TyKind::Json));
            }
            self.cx.error(
                SchemaErrorKind::Unsupported,
                file,
                pointer,
                "the `false` schema cannot be a value type",
            );
            return None;
        };
        if let Some(reference) = text(map, "$ref") {
            if let Some(key) = map
                .keys()
                .find(|k| *k != "$ref" && !keywords::is_annotation(k))
            {
                self.cx.error(
                    SchemaErrorKind::Unsupported,
                    file,
                    &join(pointer, key),
                    format!(
                        "`{key}` beside `$ref` is not supported: put the constraint in the referenced definition"
                    ),
                );
                return None;
            }
            let target = match parse_ref(file, reference) {
                Ok(target) => target,
                Err(message) => {
                    self.cx.error(
                        SchemaErrorKind::Unsupported,
                        file,
                        &join(pointer, "$ref"),
                        message,
                    );
                    return None;
                }
            };
            return self.ref_ty(file, pointer, &target);
        }
        let shape = self.classify(file, pointer, map)?;
        if shape.is_generated() {
            let id = TypeId {
                file: file.to_owned(),
                pointer: pointer.to_owned(),
            };
            self.named(&id, context_name, module, false)?;
            return Some(Ty::plain(TyKind::Named(id)));
        }
        self.inline_ty(file, pointer, map, shape, context_name, module)
    }

    /// The type a `$ref` at `file#pointer` points to. Inline types are lowered in place (their
    /// constraints apply where they are used); generated types are named once, in the module
    /// of the file that defines them.
    fn ref_ty(&mut self, file: &str, pointer: &str, target: &RefTarget) -> Option<Ty> {
        let Some(node) = self.node(&target.file, &target.pointer) else {
            self.cx.error(
                SchemaErrorKind::DanglingRef,
                file,
                &join(pointer, "$ref"),
                format!(
                    "`$ref` points to `{}#{}`, which does not exist",
                    target.file, target.pointer
                ),
            );
            return None;
        };
        let default_name = target
            .pointer
            .rsplit('/')
            .next()
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| {
                let stem = target.file.rsplit('/').next().unwrap_or(&target.file);
                stem.trim_end_matches(".json").to_owned()
            });
        let module = module_of_file(&target.file);
        if !self.resolving.insert(target.clone()) {
            self.cx.error(
                SchemaErrorKind::Unsupported,
                file,
                &join(pointer, "$ref"),
                format!(
                    "`$ref` cycle: `{}#{}` contains itself through `$ref`s, arrays or maps only; only an object type can contain itself",
                    target.file, target.pointer
                ),
            );
            return None;
        }
        // No early return until the target leaves `resolving` again.
        let ty = match node {
            Value::Object(map) if text(map, "$ref").is_none() => {
                match self.classify(&target.file, &target.pointer, map) {
                    Some(shape) if shape.is_generated() => {
                        let id = TypeId {
                            file: target.file.clone(),
                            pointer: target.pointer.clone(),
                        };
                        self.named(&id, &default_name, &module, false)
                            .map(|_| Ty::plain(TyKind::Named(id)))
                    }
                    Some(shape) => self.inline_ty(
                        &target.file,
                        &target.pointer,
                        map,
                        shape,
                        &default_name,
                        &module,
                    ),
                    None => None,
                }
            }
            _ => self.value_ty(&target.file, &target.pointer, node, &default_name, &module),
        };
        self.resolving.remove(target);
        ty
    }

    /// Map keys and enum fallbacks must be strings on the wire.
    pub(super) fn require_string_like(&mut self, file: &str, pointer: &str, ty: &Ty) -> Option<()> {
        let ok = match &ty.kind {
            TyKind::String => true,
            TyKind::Runtime(rt) => rt.is_string(),
            TyKind::Named(id) => {
                let node = self.node(&id.file, &id.pointer).and_then(Value::as_object);
                node.is_some_and(|n| {
                    n.contains_key("enum") || n.contains_key("anyOf") || n.contains_key("oneOf")
                })
            }
            _ => false,
        };
        if ok {
            return Some(());
        }
        self.cx.error(
            SchemaErrorKind::Unsupported,
            file,
            pointer,
            "map keys and enum fallbacks must be strings or string enums",
        );
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{TyKind, TypeBody};
    use crate::test_support::{Fixture, body, errors, lower_one};

    #[test]
    fn a_referenced_inline_type_keeps_its_constraints_and_a_generated_one_its_module() {
        let model = Fixture::request(
            r#"{"type": "object", "properties": {
                "name": {"$ref": "defs.json#/$defs/Name", "description": "Who."},
                "kind": {"$ref": "defs.json#/$defs/Kind"}}}"#,
        )
        .defs(r#"{"$defs": {"Name": {"type": "string", "maxLength": 3}, "Kind": {"enum": ["a"]}}}"#)
        .lower()
        .unwrap();
        let TypeBody::Struct { fields, .. } = body(&model, "XRequest") else {
            panic!("not a struct")
        };
        assert_eq!(fields[0].ty.kind, TyKind::String);
        assert_eq!(fields[0].ty.checks, [crate::model::Check::MaxLength(3)]);
        assert_eq!(fields[0].doc, "Who.");
        let TyKind::Named(kind) = &fields[1].ty.kind else {
            panic!("not generated")
        };
        assert_eq!(model.get(kind).unwrap().module, "demo");
    }

    #[test]
    fn reference_mistakes_are_located() {
        let found = errors(lower_one(
            r##"{"type": "object", "properties": {
                "a": {"$ref": "#/$defs/Missing"},
                "b": {"$ref": "#/$defs/Loop"},
                "c": {"$ref": "#/$defs/Name", "maxLength": 2},
                "d": false},
                "$defs": {"Loop": {"type": "array", "items": {"$ref": "#/$defs/Loop"}},
                          "Name": {"type": "string"}}}"##,
        ));
        let pointers: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/properties/a/$ref",
                "/$defs/Loop/items/$ref",
                "/properties/c/maxLength",
                "/properties/d"
            ],
            "{found:?}"
        );
    }
}
