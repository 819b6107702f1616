//! Emitting: the model as Rust tokens. Generated code names everything by absolute path
//! (`::core::…`, `::serde::…`, and the runtime crate given by [`EmitOptions::runtime`]), puts a
//! `#[doc]` on every public item, and is deterministic: the same schemas give the same tokens.

mod bodies;
mod check;
mod endpoints;
mod enums;
mod exclusive_maps;
mod int_enums;
mod newtypes;
mod query;
mod schema;
mod structs;
mod unions;
mod validate;

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Model, Ty, TyKind, TypeBody, TypeDef, TypeId};
use crate::names;

/// How to emit.
#[derive(Clone, Debug)]
pub struct EmitOptions {
    /// Path of the runtime crate in the generated code (`::klavi_types`).
    pub runtime: TokenStream,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions {
            runtime: quote!(::klavi_types),
        }
    }
}

/// Shared state of one emission.
pub(crate) struct Emitter<'m> {
    pub model: &'m Model,
    pub rt: TokenStream,
    /// Types whose values need `validate()` to look inside them.
    pub needs_validation: BTreeSet<TypeId>,
}

impl<'m> Emitter<'m> {
    /// The message of a bound or alone-item check, as the literal klavi-types writes with its
    /// own words and the schema's number or item (`__check_message!(min_length, 3)`): the
    /// generated code borrows it, nothing is formatted when the check fails.
    pub(crate) fn check_message(&self, check: &crate::model::Check) -> TokenStream {
        use crate::model::Check;
        use proc_macro2::Literal;
        let rt = &self.rt;
        let (kind, value) = match check {
            Check::MinLength(n) => ("min_length", Literal::u64_unsuffixed(*n)),
            Check::MaxLength(n) => ("max_length", Literal::u64_unsuffixed(*n)),
            Check::MinItems(n) => ("min_items", Literal::u64_unsuffixed(*n)),
            Check::MaxItems(n) => ("max_items", Literal::u64_unsuffixed(*n)),
            Check::Minimum(n) => ("minimum", Literal::i64_unsuffixed(*n)),
            Check::Maximum(n) => ("maximum", Literal::i64_unsuffixed(*n)),
            Check::AloneItem(item) => ("alone_item", Literal::string(item)),
        };
        let kind = format_ident!("{kind}");
        quote!(#rt::__check_message!(#kind, #value))
    }

    /// An emitter of `model`.
    pub(crate) fn new(model: &'m Model, options: &EmitOptions) -> Self {
        Emitter {
            model,
            rt: options.runtime.clone(),
            needs_validation: validate::needs_validation(model),
        }
    }
}

/// Emits the whole model: one module per API area, endpoint markers, and the registry.
pub fn emit(model: &Model, options: &EmitOptions) -> TokenStream {
    let emitter = Emitter::new(model, options);
    let modules = model.modules.iter().map(|module| {
        let name = format_ident!("{}", module.name);
        let doc = &module.doc;
        let types = model
            .types
            .iter()
            .filter(|t| t.module == module.name)
            .map(|t| emitter.type_def(t));
        let markers = model
            .endpoints
            .iter()
            .filter(|e| e.spec.module == module.name)
            .map(|e| emitter.endpoint_marker(e));
        quote! {
            #[doc = #doc]
            pub mod #name {
                #(#types)*
                #(#markers)*
            }
        }
    });
    let registry = emitter.registry();
    quote! {
        #(#modules)*
        #registry
    }
}

impl Emitter<'_> {
    pub(crate) fn type_def(&self, def: &TypeDef) -> TokenStream {
        let body = match &def.body {
            TypeBody::Struct {
                fields,
                unknown,
                bodies,
                ..
            } => {
                let mut tokens = self.struct_def(def, fields, *unknown, bodies.as_ref());
                if let Some(bodies) = bodies {
                    tokens.extend(self.body_enum(def, bodies));
                }
                tokens
            }
            TypeBody::Enum { variants, fallback } => {
                self.enum_def(def, variants, fallback.as_ref())
            }
            TypeBody::IntEnum { variants, fallback } => {
                self.int_enum_def(def, variants, fallback.as_ref())
            }
            TypeBody::ExclusiveMap { .. } => self.exclusive_map_def(def),
            TypeBody::Newtype(inner) => self.newtype_def(def, inner),
            TypeBody::TaggedUnion {
                tag,
                variants,
                fallback,
            } => self.union_def(def, tag, variants, fallback.as_ref()),
        };
        let schema = self.schema_impls(def);
        let validate = self.validate_impl(def);
        let query = self.query_impl(def);
        let check = self.check_impl(def);
        quote! {
            #body
            #schema
            #validate
            #query
            #check
        }
    }

    /// The type of a value, as tokens.
    pub(crate) fn ty(&self, ty: &Ty) -> TokenStream {
        let rt = &self.rt;
        match &ty.kind {
            TyKind::String => quote!(::std::string::String),
            TyKind::Bool => quote!(bool),
            TyKind::Integer => quote!(i64),
            TyKind::Json => quote!(::serde_json::Value),
            TyKind::JsonObject => {
                quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>)
            }
            TyKind::Runtime(runtime) => {
                let segments = runtime.path().split("::").map(|s| format_ident!("{s}"));
                quote!(#rt #(:: #segments)*)
            }
            TyKind::Named(id) => self.named_path(id),
            TyKind::Vec(item) => {
                let item = self.ty(item);
                quote!(::std::vec::Vec<#item>)
            }
            TyKind::Map(key, value) => {
                let key = self.ty(key);
                let value = self.ty(value);
                quote!(::std::collections::BTreeMap<#key, #value>)
            }
            TyKind::OneOrMany(item) => {
                let item = self.ty(item);
                quote!(#rt::OneOrMany<#item>)
            }
        }
    }

    /// The runtime crate's path as text, without spaces (`::klavi_types`), for serde's string
    /// attributes.
    pub(crate) fn runtime_text(&self) -> String {
        self.rt.to_string().replace(' ', "")
    }

    /// A generated type's path as text, without the leading `::` (`klavi_types::auth::AccessToken`):
    /// its schemars id and its name in the message registry.
    pub(crate) fn type_path_text(&self, def: &TypeDef) -> String {
        let runtime = self.runtime_text();
        let runtime = runtime.trim_start_matches("::");
        format!("{runtime}::{}::{}", def.module, def.name)
    }

    /// The absolute path of a generated type.
    pub(crate) fn named_path(&self, id: &TypeId) -> TokenStream {
        let rt = &self.rt;
        match self.model.get(id) {
            Some(def) => {
                let module = format_ident!("{}", def.module);
                let name = format_ident!("{}", def.name);
                quote!(#rt :: #module :: #name)
            }
            None => quote!(::core::compile_error!("klavi-schema: unresolved type")),
        }
    }
}

/// An identifier, raw when it is a keyword.
pub(crate) fn ident(name: &str) -> Ident {
    if names::is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// A doc string, with a fallback when the schema gives none.
pub(crate) fn doc_or(doc: &str, fallback: impl FnOnce() -> String) -> String {
    if doc.trim().is_empty() {
        fallback()
    } else {
        doc.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::ident;
    use crate::test_support::Fixture;

    #[test]
    fn value_types_map_to_their_rust_types() {
        let code = Fixture::request(
            r#"{"type": "object", "properties": {
                "s": {"type": "string"}, "b": {"type": "boolean"}, "j": {},
                "o": {"type": "object"}, "e": {"type": "string", "format": "email"},
                "m": {"type": "object", "additionalProperties": {"type": "integer"}},
                "type": {"type": "string"}}, "required": ["s", "b", "j", "o", "e", "m", "type"]}"#,
        )
        .code_of("XRequest");
        for expected in [
            "pubs:::std::string::String,",
            "pubb:bool,",
            "pubj:::serde_json::Value,",
            "pubo:::serde_json::Map<::std::string::String,::serde_json::Value>,",
            "pube:::klavi_types::formats::Email,",
            "pubm:::std::collections::BTreeMap<::std::string::String,i64>,",
            "pubr#type:::std::string::String,",
        ] {
            assert!(code.contains(expected), "{expected} in {code}");
        }
    }

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("kind").to_string(), "kind");
    }
}
