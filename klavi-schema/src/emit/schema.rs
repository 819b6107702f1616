//! `schemars::JsonSchema` (returning the source schema) and `validator::Validate` impls.
//!
//! Both are optional integrations of the runtime crate: each impl is behind
//! `#[cfg(feature = "schemars")]` or `#[cfg(feature = "validator")]`, evaluated in the crate
//! that expands the macro (the runtime crate, `klavi-types`, which declares both features), and
//! names the trait through the runtime's re-export (`klavi_types::schemars`, …), so a user of
//! the types never needs a direct dependency on either crate.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Emitter;
use crate::model::TypeDef;

impl Emitter<'_> {
    pub(crate) fn schema_impls(&self, def: &TypeDef) -> TokenStream {
        let rt = &self.rt;
        let name = format_ident!("{}", def.name);
        let type_name = &def.name;
        let schema_id = self.type_path_text(def);
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

            #[cfg(feature = "schemars")]
            impl #rt::schemars::JsonSchema for #name {
                fn schema_name() -> ::std::borrow::Cow<'static, str> {
                    ::std::borrow::Cow::Borrowed(#type_name)
                }

                fn schema_id() -> ::std::borrow::Cow<'static, str> {
                    ::std::borrow::Cow::Borrowed(#schema_id)
                }

                fn json_schema(generator: &mut #rt::schemars::SchemaGenerator) -> #rt::schemars::Schema {
                    #rt::__private::source_schema(generator, #name::SOURCE_SCHEMA)
                }
            }

            #[cfg(feature = "validator")]
            impl #rt::validator::Validate for #name {
                fn validate(&self) -> ::core::result::Result<(), #rt::validator::ValidationErrors> {
                    #rt::__private::into_validator_errors(#rt::Validate::validate(self))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::Fixture;

    #[test]
    fn each_type_carries_its_bundled_schema() {
        let code = Fixture::request(
            r#"{"type": "object", "properties": {"s": {"$ref": "defs.json#/$defs/S"}}}"#,
        )
        .defs(r#"{"$defs": {"S": {"type": "string", "minLength": 1}}}"#)
        .code_of("XRequest");
        assert!(code.contains(r##"\"$ref\":\"#/$defs/S\""##), "{code}");
        assert!(
            code.contains(r#"\"$defs\":{\"S\":{\"type\":\"string\",\"minLength\":1}}"#),
            "{code}"
        );
        assert!(
            code.contains(
                r#"#[cfg(feature="schemars")]implklavi_types::schemars::JsonSchemaforXRequest"#
                    .replace("implklavi", "impl::klavi")
                    .as_str()
            ),
            "{code}"
        );
    }
}
