//! `Validate` impls: straight-line checks of what the types cannot enforce by themselves
//! (lengths, ranges, cross-member rules), allocation-free while the value is valid.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Emitter, ident};
use crate::model::{Check, Field, Model, Rule, Ty, TyKind, TypeBody, TypeDef, TypeId};

/// The generated types whose `validate()` has something to check, directly or inside.
pub(crate) fn needs_validation(model: &Model) -> BTreeSet<TypeId> {
    let mut set = BTreeSet::new();
    loop {
        let before = set.len();
        for def in &model.types {
            if set.contains(&def.id) {
                continue;
            }
            let needs = match &def.body {
                TypeBody::Struct {
                    fields,
                    rules,
                    bodies,
                    ..
                } => {
                    !rules.is_empty()
                        || fields.iter().any(|f| ty_needs(&f.ty, &set))
                        || bodies
                            .iter()
                            .flat_map(|b| &b.variants)
                            .any(|v| set.contains(&v.ty))
                }
                TypeBody::Enum { fallback, .. } => {
                    fallback.as_ref().is_some_and(|f| ty_needs(&f.ty, &set))
                }
                TypeBody::ExclusiveMap {
                    key_ty, value_ty, ..
                } => ty_needs(key_ty, &set) || ty_needs(value_ty, &set),
                TypeBody::Newtype(inner) => ty_needs(inner, &set),
                TypeBody::IntEnum { .. } => false,
                TypeBody::TaggedUnion { variants, .. } => {
                    variants.iter().any(|variant| set.contains(&variant.ty))
                }
            };
            if needs {
                set.insert(def.id.clone());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

fn ty_needs(ty: &Ty, set: &BTreeSet<TypeId>) -> bool {
    !ty.checks.is_empty()
        || match &ty.kind {
            TyKind::Named(id) => set.contains(id),
            TyKind::Vec(item) | TyKind::OneOrMany(item) => ty_needs(item, set),
            TyKind::Map(key, value) => ty_needs(key, set) || ty_needs(value, set),
            _ => false,
        }
}

/// An `anyOf` of `required` lists: `missing_one_of` when no alternative is complete, each
/// member's presence tested by `present` (a field's `Option`, or a flag of the compiled check).
pub(super) fn any_of_check(
    rt: &TokenStream,
    fields: &[Field],
    alternatives: &[Vec<usize>],
    present: impl Fn(usize) -> TokenStream,
) -> TokenStream {
    let complete = alternatives.iter().map(|alternative| {
        let parts = alternative.iter().map(|&index| present(index));
        quote!((true #(&& #parts)*))
    });
    let lists = alternatives.iter().map(|alternative| {
        let wires = alternative.iter().map(|index| fields[*index].wire.as_str());
        quote!(&[#(#wires),*])
    });
    quote! {
        if !(false #(|| #complete)*) {
            #rt::__private::any_of_required(at, &[#(#lists),*], out);
        }
    }
}

/// A condition as its message says it: "`institutionType` is 1".
pub(super) fn condition_text(field: &Field, value: &str) -> String {
    format!("`{}` is {value}", field.wire)
}

impl Emitter<'_> {
    pub(crate) fn validate_impl(&self, def: &TypeDef) -> TokenStream {
        let rt = &self.rt;
        let name = format_ident!("{}", def.name);
        let body = if self.needs_validation.contains(&def.id) {
            match &def.body {
                TypeBody::Struct {
                    fields,
                    rules,
                    bodies,
                    ..
                } => {
                    let mut checks = self.struct_checks(fields, rules);
                    if let Some(bodies) = bodies {
                        checks.extend(self.body_checks(bodies));
                    }
                    checks
                }
                TypeBody::Enum { fallback, .. } => match fallback {
                    Some(fallback) => {
                        let variant = format_ident!("{}", fallback.rust);
                        let check = self.value_checks(&fallback.ty, &quote!(value), &quote!(at));
                        quote! {
                            if let #name::#variant(value) = self {
                                #check
                            }
                        }
                    }
                    None => TokenStream::new(),
                },
                TypeBody::ExclusiveMap {
                    exclusive_variant,
                    entries_variant,
                    key_ty,
                    value_ty,
                    ..
                } => {
                    let exclusive = format_ident!("{}", exclusive_variant);
                    let entries = format_ident!("{}", entries_variant);
                    let map_ty = Ty::plain(TyKind::Map(
                        Box::new(key_ty.clone()),
                        Box::new(value_ty.clone()),
                    ));
                    let exclusive_check = self.value_checks(value_ty, &quote!(value), &quote!(at));
                    let entries_check = self.value_checks(&map_ty, &quote!(entries), &quote!(at));
                    quote! {
                        match self {
                            #name::#exclusive(value) => { #exclusive_check }
                            #name::#entries(entries) => { #entries_check }
                        }
                    }
                }
                TypeBody::Newtype(inner) => {
                    self.value_checks(inner, &quote!((&self.0)), &quote!(at))
                }
                TypeBody::IntEnum { .. } => TokenStream::new(),
                TypeBody::TaggedUnion { variants, .. } => {
                    let arms = variants
                        .iter()
                        .filter(|variant| self.needs_validation.contains(&variant.ty))
                        .map(|variant| {
                            let variant = format_ident!("{}", variant.rust);
                            quote!(#name::#variant(value) => #rt::Validate::validate_at(value, at, out),)
                        });
                    quote! {
                        match self {
                            #(#arms)*
                            _ => {}
                        }
                    }
                }
            }
        } else {
            TokenStream::new()
        };
        let (at, out) = if body.is_empty() {
            (quote!(_at), quote!(_out))
        } else {
            (quote!(at), quote!(out))
        };
        quote! {
            impl #rt::Validate for #name {
                fn validate_at(&self, #at: &#rt::validation::Path<'_>, #out: &mut #rt::ValidationErrors) {
                    #body
                }
            }
        }
    }

    fn struct_checks(&self, fields: &[Field], rules: &[Rule]) -> TokenStream {
        let rt = &self.rt;
        // Tags and aliases have no Rust field; lowering gives them no checks.
        let field_checks = fields.iter().filter(|f| f.is_member()).map(|field| {
            let check = self.value_checks(&field.ty, &quote!(value), &quote!(at));
            if check.is_empty() {
                return TokenStream::new();
            }
            let rust = ident(&field.rust);
            let wire = &field.wire;
            if field.required {
                quote! {
                    {
                        let value = &self.#rust;
                        let at = at.key(#wire);
                        #check
                    }
                }
            } else {
                quote! {
                    if let ::core::option::Option::Some(value) = &self.#rust {
                        let at = at.key(#wire);
                        #check
                    }
                }
            }
        });
        let present = |index: usize| {
            let field = &fields[index];
            let rust = ident(&field.rust);
            if field.required {
                quote!(true)
            } else {
                quote!(self.#rust.is_some())
            }
        };
        let rule_checks = rules.iter().map(|rule| match rule {
            Rule::Dependent { trigger, required } => {
                let trigger_present = present(*trigger);
                let trigger_wire = &fields[*trigger].wire;
                let each = required.iter().map(|index| {
                    let is_present = present(*index);
                    let wire = &fields[*index].wire;
                    quote! {
                        if !(#is_present) {
                            #rt::__private::dependent_required(
                                at,
                                #wire,
                                #rt::__check_message!(dependent_required, #wire, #trigger_wire),
                                out,
                            );
                        }
                    }
                });
                quote! {
                    if #trigger_present {
                        #(#each)*
                    }
                }
            }
            Rule::AnyOf(alternatives) => any_of_check(rt, fields, alternatives, present),
            Rule::Conditional {
                field,
                value,
                required,
            } => {
                let test = self.equals(&fields[*field], value);
                let shown = condition_text(&fields[*field], value);
                let each = required.iter().map(|index| {
                    let is_present = present(*index);
                    let wire = &fields[*index].wire;
                    quote! {
                        if !(#is_present) {
                            #rt::__private::dependent_required(
                                at,
                                #wire,
                                #rt::__check_message!(conditional_required, #wire, #shown),
                                out,
                            );
                        }
                    }
                });
                quote! {
                    if #test {
                        #(#each)*
                    }
                }
            }
        });
        quote! {
            #(#field_checks)*
            #(#rule_checks)*
        }
    }

    /// `self.field == value` for a member compared with a JSON literal (`1`, `"x"`, `true`).
    fn equals(&self, field: &Field, literal: &str) -> TokenStream {
        let rust = ident(&field.rust);
        let json: serde_json::Value = serde_json::from_str(literal).unwrap_or_default();
        let compare = match (&field.ty.kind, &json) {
            (TyKind::Named(_), serde_json::Value::Number(n)) => {
                let n = n.as_i64().unwrap_or_default();
                quote!(value.value() == #n)
            }
            (TyKind::Integer, serde_json::Value::Number(n)) => {
                let n = n.as_i64().unwrap_or_default();
                quote!(*value == #n)
            }
            (TyKind::Bool, serde_json::Value::Bool(b)) => quote!(*value == #b),
            (_, serde_json::Value::String(text)) => quote!(value.as_str() == #text),
            _ => quote!(false),
        };
        if field.required {
            quote!({ let value = &self.#rust; #compare })
        } else {
            quote!(self.#rust.as_ref().is_some_and(|value| #compare))
        }
    }

    /// Checks of one value (`value` is an expression of type `&T`), or nothing.
    fn value_checks(&self, ty: &Ty, value: &TokenStream, at: &TokenStream) -> TokenStream {
        let rt = &self.rt;
        let mut checks: Vec<TokenStream> = ty
            .checks
            .iter()
            .map(|check| {
                let message = self.check_message(check);
                match check {
                    Check::MinLength(n) => {
                        quote!(#rt::__private::min_length(#value, #n, #message, &#at, out);)
                    }
                    Check::MaxLength(n) => {
                        quote!(#rt::__private::max_length(#value, #n, #message, &#at, out);)
                    }
                    Check::MinItems(n) => {
                        quote!(#rt::__private::min_items(#value.len(), #n, #message, &#at, out);)
                    }
                    Check::MaxItems(n) => {
                        quote!(#rt::__private::max_items(#value.len(), #n, #message, &#at, out);)
                    }
                    Check::Minimum(n) => {
                        quote!(#rt::__private::minimum(*#value, #n, #message, &#at, out);)
                    }
                    Check::Maximum(n) => {
                        quote!(#rt::__private::maximum(*#value, #n, #message, &#at, out);)
                    }
                    Check::AloneItem(item) => quote! {
                        #rt::__private::alone_item(#value.iter().map(|item| item.as_str()), #value.len(), #item, #message, &#at, out);
                    },
                }
            })
            .collect();
        match &ty.kind {
            TyKind::Named(id) if self.needs_validation.contains(id) => {
                checks.push(quote!(#rt::Validate::validate_at(#value, &#at, out);));
            }
            TyKind::Vec(item) | TyKind::OneOrMany(item)
                if ty_needs(item, &self.needs_validation) =>
            {
                let inner = self.value_checks(item, &quote!(item), &quote!(at));
                checks.push(quote! {
                    for (index, item) in #value.iter().enumerate() {
                        let at = #at.index(index);
                        #inner
                    }
                });
            }
            TyKind::Map(_, item) if ty_needs(item, &self.needs_validation) => {
                let inner = self.value_checks(item, &quote!(item), &quote!(at));
                checks.push(quote! {
                    for (key, item) in #value.iter() {
                        let at = #at.key(::core::convert::AsRef::<str>::as_ref(key));
                        #inner
                    }
                });
            }
            _ => {}
        }
        quote!(#(#checks)*)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::Fixture;

    #[test]
    fn checks_and_rules_become_straight_line_code() {
        let code = Fixture::request(
            r#"{"type": "object", "additionalProperties": false,
                "properties": {"a": {"type": "string", "minLength": 2}, "b": {"type": "string"},
                               "c": {"type": "string"}},
                "dependentRequired": {"a": ["b"]},
                "anyOf": [{"required": ["b"]}, {"required": ["c"]}]}"#,
        )
        .code_of("XRequest");
        assert!(
            code.contains(
                r#"letat=at.key("a");::klavi_types::__private::min_length(value,2u64,::klavi_types::__check_message!(min_length,2),&at,out);"#
            ),
            "{code}"
        );
        assert!(code.contains("__private::dependent_required("), "{code}");
        assert!(code.contains("__private::any_of_required("), "{code}");
    }

    #[test]
    fn a_type_with_nothing_to_check_validates_nothing() {
        let code =
            Fixture::request(r#"{"type": "object", "properties": {"a": {"type": "string"}}}"#)
                .code_of("XRequest");
        assert!(code.contains("_at:&::klavi_types::validation::Path<'_>,_out:&mut::klavi_types::ValidationErrors){}"), "{code}");
    }
}
