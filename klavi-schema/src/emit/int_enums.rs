//! Integer enums (`validityPeriod` ∈ {0, 12}, business status codes): serialized as JSON
//! numbers; open ones keep numbers they do not know.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{Emitter, doc_or};
use crate::model::{Fallback, IntVariant, TypeDef};

impl Emitter<'_> {
    pub(crate) fn int_enum_def(
        &self,
        def: &TypeDef,
        variants: &[IntVariant],
        fallback: Option<&Fallback>,
    ) -> TokenStream {
        let rt = &self.rt;
        let name = format_ident!("{}", def.name);
        let type_name = &def.name;
        let doc = doc_or(&def.doc, || format!("The `{}` enum.", def.name));
        let idents: Vec<_> = variants
            .iter()
            .map(|v| format_ident!("{}", v.rust))
            .collect();
        let values: Vec<Literal> = variants
            .iter()
            .map(|v| Literal::i64_unsuffixed(v.value))
            .collect();
        let docs = variants.iter().map(|v| v.doc.clone());
        let (fallback_variant, fallback_value, fallback_known) = match fallback {
            Some(Fallback { rust, doc, .. }) => {
                let variant = format_ident!("{rust}");
                (
                    Some(quote! {
                        #[doc = #doc]
                        #variant(i64),
                    }),
                    Some(quote!(#name::#variant(value) => *value,)),
                    Some(quote!(#name::#variant(_) => false,)),
                )
            }
            None => (None, None, None),
        };
        let conversion = match fallback {
            Some(Fallback { rust, .. }) => {
                let variant = format_ident!("{rust}");
                quote! {
                    impl ::core::convert::From<i64> for #name {
                        fn from(value: i64) -> Self {
                            match value {
                                #(#values => #name::#idents,)*
                                other => #name::#variant(other),
                            }
                        }
                    }
                }
            }
            None => quote! {
                impl ::core::convert::TryFrom<i64> for #name {
                    type Error = #rt::__private::EnumError;

                    fn try_from(value: i64) -> ::core::result::Result<Self, Self::Error> {
                        match value {
                            #(#values => ::core::result::Result::Ok(#name::#idents),)*
                            _ => ::core::result::Result::Err(#rt::__private::EnumError::new(#type_name)),
                        }
                    }
                }
            },
        };
        quote! {
            #[doc = #doc]
            #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash, ::core::cmp::PartialOrd, ::core::cmp::Ord)]
            #[non_exhaustive]
            pub enum #name {
                #(
                    #[doc = #docs]
                    #idents,
                )*
                #fallback_variant
            }

            impl #name {
                /// Every value the schema names, in schema order.
                pub const KNOWN: &'static [#name] = &[#(#name::#idents),*];

                /// The value as sent on the wire.
                pub fn value(&self) -> i64 {
                    match self {
                        #(#name::#idents => #values,)*
                        #fallback_value
                    }
                }

                /// Whether this is one of the values the schema names.
                pub fn is_known(&self) -> bool {
                    match self {
                        #(#name::#idents => true,)*
                        #fallback_known
                    }
                }
            }

            #conversion

            impl ::core::fmt::Display for #name {
                fn fmt(&self, formatter: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    ::core::fmt::Display::fmt(&self.value(), formatter)
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    serializer.serialize_i64(self.value())
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    #rt::__private::deserialize_int_enum(deserializer, #type_name)
                }
            }

            impl #rt::__private::QueryValue for #name {
                fn query_value(&self) -> ::std::borrow::Cow<'_, str> {
                    ::std::borrow::Cow::Owned(self.value().to_string())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::Fixture;

    fn period(schema: &str) -> String {
        Fixture::definition("P", schema).code_of("P")
    }

    #[test]
    fn an_open_integer_enum_converts_from_any_i64() {
        let code = period(r#"{"anyOf": [{"const": 0}, {"const": 12}, {"type": "integer"}]}"#);
        assert!(code.contains("Unknown(i64),"), "{code}");
        assert!(
            code.contains("impl::core::convert::From<i64>forP"),
            "{code}"
        );
        assert!(code.contains("12=>P::V12,"), "{code}");
    }

    #[test]
    fn a_closed_integer_enum_refuses_other_numbers() {
        let code = period(r#"{"type": "integer", "enum": [0, 12]}"#);
        assert!(
            code.contains("impl::core::convert::TryFrom<i64>forP"),
            "{code}"
        );
        assert!(!code.contains("Unknown(i64)"), "{code}");
    }
}
