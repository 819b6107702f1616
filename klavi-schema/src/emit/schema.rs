//! `schemars::JsonSchema` (returning the source schema) and `validator::Validate` impls.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Emitter;
use crate::model::TypeDef;

impl Emitter<'_> {
    pub(crate) fn schema_impls(&self, def: &TypeDef) -> TokenStream {
        let rt = &self.rt;
        let name = format_ident!("{}", def.name);
        let type_name = &def.name;
        let schema_id = format!("klavi_types::{}::{}", def.module, def.name);
        let schema = &def.schema;
        let schema_doc = format!(
            "The JSON Schema `{}` is generated from, self-contained (its dependencies in `$defs`).",
            def.name
        );
        quote! {
            impl #name {
                #[doc = #schema_doc]
                pub const SOURCE_SCHEMA: &'static str = #schema;
            }

            impl ::schemars::JsonSchema for #name {
                fn schema_name() -> ::std::borrow::Cow<'static, str> {
                    ::std::borrow::Cow::Borrowed(#type_name)
                }

                fn schema_id() -> ::std::borrow::Cow<'static, str> {
                    ::std::borrow::Cow::Borrowed(#schema_id)
                }

                fn json_schema(generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                    #rt::__private::source_schema(generator, #name::SOURCE_SCHEMA)
                }
            }

            impl ::validator::Validate for #name {
                fn validate(&self) -> ::core::result::Result<(), ::validator::ValidationErrors> {
                    #rt::__private::into_validator_errors(#rt::Validate::validate(self))
                }
            }
        }
    }
}
