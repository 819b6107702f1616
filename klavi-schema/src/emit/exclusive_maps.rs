//! Maps with an exclusive key (`all` in `productsCallbackURL`): one key alone, or any number of
//! the others, as an enum of the two.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Emitter, doc_or, ident};
use crate::model::{TypeBody, TypeDef};
use crate::names;

impl Emitter<'_> {
    pub(crate) fn exclusive_map_def(&self, def: &TypeDef) -> TokenStream {
        let TypeBody::ExclusiveMap {
            key,
            exclusive_variant,
            exclusive_doc,
            entries_variant,
            key_ty,
            value_ty,
        } = &def.body
        else {
            return TokenStream::new();
        };
        let rt = &self.rt;
        let name = format_ident!("{}", def.name);
        let doc = doc_or(&def.doc, || format!("The `{}` map.", def.name));
        let exclusive = format_ident!("{}", exclusive_variant);
        let entries = format_ident!("{}", entries_variant);
        let key_ty = self.ty(key_ty);
        let value_ty = self.ty(value_ty);
        let entries_doc = format!(
            "Any other keys, each with its value (`{key}` excluded: it cannot be combined with them)."
        );
        // `Type` → `r#type`, `Super` → `super_`: the constructor is a function named after the key.
        let exclusive_ctor = ident(&names::escape_not_raw(exclusive_variant.to_lowercase()));
        let exclusive_ctor_doc = format!("The `{key}` key alone.");
        let get_doc = "The value for one key (not the exclusive one).";
        quote! {
            #[doc = #doc]
            #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
            pub enum #name {
                #[doc = #exclusive_doc]
                #exclusive(#value_ty),
                #[doc = #entries_doc]
                #entries(::std::collections::BTreeMap<#key_ty, #value_ty>),
            }

            impl #name {
                #[doc = #exclusive_ctor_doc]
                pub fn #exclusive_ctor(value: impl ::core::convert::Into<#value_ty>) -> Self {
                    #name::#exclusive(::core::convert::Into::into(value))
                }

                #[doc = #get_doc]
                pub fn get(&self, key: &#key_ty) -> ::core::option::Option<&#value_ty> {
                    match self {
                        #name::#exclusive(_) => ::core::option::Option::None,
                        #name::#entries(entries) => entries.get(key),
                    }
                }
            }

            impl ::core::convert::From<::std::collections::BTreeMap<#key_ty, #value_ty>> for #name {
                fn from(entries: ::std::collections::BTreeMap<#key_ty, #value_ty>) -> Self {
                    #name::#entries(entries)
                }
            }

            impl ::core::iter::FromIterator<(#key_ty, #value_ty)> for #name {
                fn from_iter<I: ::core::iter::IntoIterator<Item = (#key_ty, #value_ty)>>(iter: I) -> Self {
                    #name::#entries(::core::iter::FromIterator::from_iter(iter))
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    match self {
                        #name::#exclusive(value) => {
                            #rt::__private::serialize_single_entry(serializer, #key, value)
                        }
                        #name::#entries(entries) => ::serde::Serialize::serialize(entries, serializer),
                    }
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    ::core::result::Result::Ok(
                        match #rt::__private::deserialize_exclusive_map(deserializer, #key)? {
                            #rt::__private::ExclusiveMap::Exclusive(value) => #name::#exclusive(value),
                            #rt::__private::ExclusiveMap::Entries(entries) => #name::#entries(entries),
                        },
                    )
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::Fixture;

    #[test]
    fn the_exclusive_key_and_the_other_entries_are_two_variants() {
        let code = Fixture::request(
            r#"{"type": "object", "properties": {"callbacks": {
                "type": "object",
                "propertyNames": {"anyOf": [{"const": "all"}, {"enum": ["checking", "savings"]}]},
                "additionalProperties": {"type": "string"},
                "dependentSchemas": {"all": {"maxProperties": 1}}}}}"#,
        )
        .code_of("XRequestCallbacks");
        assert!(code.contains("All(::std::string::String),"), "{code}");
        assert!(
            code.contains("Entries(::std::collections::BTreeMap<::klavi_types::demo::XRequestCallbacksKey,::std::string::String>),"),
            "{code}"
        );
        assert!(code.contains("deserialize_exclusive_map"), "{code}");
    }
}
