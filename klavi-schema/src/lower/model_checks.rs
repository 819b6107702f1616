//! Checks of the assembled model as a whole, which no single shape can make: query messages are
//! flat, path templates and path messages name the same parameters, and no type holds itself
//! with nothing in between (infinite size).

use std::collections::{BTreeMap, BTreeSet};

use super::context::Context;
use crate::error::SchemaErrorKind;
use crate::index::MessageKind;
use crate::load::Documents;
use crate::model::{Field, Model, RuntimeType, Ty, TyKind, TypeBody, TypeDef, TypeId};
use crate::pointer::join;

/// Runs every model check.
pub(super) fn check(documents: &Documents, model: &Model, cx: &mut Context) {
    let types: BTreeMap<&TypeId, &TypeDef> = model.types.iter().map(|t| (&t.id, t)).collect();
    query_members(model, &types, cx);
    path_parameters(documents, model, &types, cx);
    finite_size(&types, cx);
    body_enum_names(model, cx);
}

/// The enum of a struct's bodies (`StructBody`) is named after the struct: no other type of its
/// module may have that name.
fn body_enum_names(model: &Model, cx: &mut Context) {
    for def in &model.types {
        let TypeBody::Struct {
            bodies: Some(bodies),
            ..
        } = &def.body
        else {
            continue;
        };
        let clash = model
            .types
            .iter()
            .find(|other| other.module == def.module && other.name == bodies.rust);
        if let Some(other) = clash {
            cx.error(
                SchemaErrorKind::NameCollision,
                &def.id.file,
                &join(&def.id.pointer, "allOf"),
                format!(
                    "the enum of `{}`'s bodies is `{}`, which is also the type at {}#{}; rename that type with `x-rust-name`",
                    def.name, bodies.rust, other.id.file, other.id.pointer
                ),
            );
        }
    }
}

/// Query parameters are flat: each member is a string, an integer, a boolean, a string format or
/// a string enum (never a credential, which must not travel in a URL).
fn query_members(model: &Model, types: &BTreeMap<&TypeId, &TypeDef>, cx: &mut Context) {
    let queries = model
        .endpoints
        .iter()
        .flat_map(|e| &e.messages)
        .chain(model.standalone.iter().map(|s| &s.message))
        .filter(|m| m.kind == MessageKind::Query);
    for message in queries {
        let Some(def) = types.get(&message.ty) else {
            continue;
        };
        let TypeBody::Struct { fields, .. } = &def.body else {
            cx.error(
                SchemaErrorKind::Unsupported,
                &message.file,
                "",
                "a query message must be an object with properties",
            );
            continue;
        };
        for field in fields {
            let scalar = match &field.ty.kind {
                TyKind::String | TyKind::Integer | TyKind::Bool => true,
                TyKind::Runtime(rt) => {
                    rt.is_string() && *rt != RuntimeType::Secret || *rt == RuntimeType::Seconds
                }
                TyKind::Named(id) => matches!(
                    types.get(id),
                    Some(TypeDef {
                        body: TypeBody::Enum { .. },
                        ..
                    })
                ),
                _ => false,
            };
            if !scalar {
                cx.error(
                    SchemaErrorKind::Unsupported,
                    &message.file,
                    &join("/properties", &field.wire),
                    "query parameters must be scalars (string, integer, boolean, string format or string enum) and never credentials",
                );
            }
        }
    }
}

/// Every `{name}` of a path template is a required string-like member of the endpoint's path
/// message, and every member of the path message appears in the template.
fn path_parameters(
    documents: &Documents,
    model: &Model,
    types: &BTreeMap<&TypeId, &TypeDef>,
    cx: &mut Context,
) {
    for (i, endpoint) in model.endpoints.iter().enumerate() {
        let template: Vec<&str> = endpoint.spec.path.parameters().collect();
        let fields: Vec<&Field> = endpoint
            .messages
            .iter()
            .find(|m| m.kind == MessageKind::Path)
            .and_then(|m| types.get(&m.ty))
            .map(|def| match &def.body {
                TypeBody::Struct { fields, .. } => fields.iter().collect(),
                _ => Vec::new(),
            })
            .unwrap_or_default();
        let at = format!("/endpoints/{i}/path");
        let mut problem = |message: String| {
            cx.error(
                SchemaErrorKind::Invalid,
                &documents.index_file,
                &at,
                message,
            );
        };
        for name in &template {
            match fields.iter().find(|f| f.wire == *name) {
                None => problem(format!(
                    "path parameter `{{{name}}}` is not a member of the endpoint's `path` message"
                )),
                Some(field) if !field.required => problem(format!(
                    "path parameter `{name}` must be required in the `path` message"
                )),
                Some(field) => {
                    let scalar = matches!(field.ty.kind, TyKind::String | TyKind::Integer)
                        || matches!(field.ty.kind, TyKind::Runtime(rt) if rt.is_string() && rt != RuntimeType::Secret);
                    if !scalar {
                        problem(format!(
                            "path parameter `{name}` must be a string or an integer"
                        ));
                    }
                }
            }
        }
        for field in &fields {
            if !template.contains(&field.wire.as_str()) {
                problem(format!(
                    "member `{}` of the `path` message does not appear in the path template",
                    field.wire
                ));
            }
        }
    }
}

/// A generated type that holds itself with no array or map in between would have infinite size
/// (`struct Node { next: Option<Node> }`): each type on such a cycle is an error.
fn finite_size(types: &BTreeMap<&TypeId, &TypeDef>, cx: &mut Context) {
    for (id, def) in types {
        let mut seen = BTreeSet::new();
        let mut stack = held_types(def);
        while let Some(next) = stack.pop() {
            if next == **id {
                cx.error(
                    SchemaErrorKind::Unsupported,
                    &id.file,
                    &id.pointer,
                    format!(
                        "`{}` contains itself with no array or map in between, so it would have infinite size; make the recursive member an array",
                        def.name
                    ),
                );
                break;
            }
            if let Some(held) = types.get(&next)
                && seen.insert(next)
            {
                stack.extend(held_types(held));
            }
        }
    }
}

/// The generated types a value of `def` holds inline (not behind a `Vec` or a map).
fn held_types(def: &TypeDef) -> Vec<TypeId> {
    fn held(ty: &Ty, out: &mut Vec<TypeId>) {
        match &ty.kind {
            TyKind::Named(id) => out.push(id.clone()),
            // `OneOrMany::One` holds its item inline.
            TyKind::OneOrMany(item) => held(item, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    match &def.body {
        TypeBody::Struct { fields, bodies, .. } => {
            fields.iter().for_each(|f| held(&f.ty, &mut out));
            // The body enum holds each body inline.
            let variants = bodies.iter().flat_map(|b| &b.variants);
            out.extend(variants.map(|variant| variant.ty.clone()));
        }
        TypeBody::Enum { fallback, .. } => fallback.iter().for_each(|f| held(&f.ty, &mut out)),
        TypeBody::ExclusiveMap { value_ty, .. } => held(value_ty, &mut out),
        TypeBody::Newtype(ty) => held(ty, &mut out),
        TypeBody::TaggedUnion { variants, .. } => {
            out.extend(variants.iter().map(|variant| variant.ty.clone()));
        }
        TypeBody::IntEnum { .. } => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::test_support::{errors, lower_one};

    #[test]
    fn a_type_that_holds_itself_directly_is_infinite() {
        let found = errors(lower_one(
            r##"{"type": "object", "properties": {"next": {"$ref": "#"}}}"##,
        ));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.contains("infinite size"), "{found:?}");
    }

    #[test]
    fn a_type_that_holds_itself_through_an_array_is_fine() {
        assert!(
            lower_one(r##"{"type": "object", "properties": {"next": {"type": "array", "items": {"$ref": "#"}}}}"##)
                .is_ok()
        );
    }
}
