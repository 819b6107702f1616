//! Enums: closed string enums for what we send, open ones (with a catch-all variant that keeps
//! the value) for what we receive.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Emitter, doc_or};
use crate::model::{Fallback, TyKind, TypeDef, Variant};

impl Emitter<'_> {
    pub(crate) fn enum_def(
        &self,
        def: &TypeDef,
        variants: &[Variant],
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
        let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
        let docs = variants
            .iter()
            .map(|v| doc_or(&v.doc, || format!("`{}`", v.wire)));
        let (fallback_variant, fallback_as_str, from_str_other, err_ty) = match fallback {
            Some(fallback) => {
                let variant = format_ident!("{}", fallback.rust);
                let doc = &fallback.doc;
                let ty = self.ty(&fallback.ty);
                let (other_arm, err_ty) = if matches!(fallback.ty.kind, TyKind::String) {
                    (
                        quote!(other => ::core::result::Result::Ok(#name::#variant(::std::string::ToString::to_string(other)))),
                        quote!(::core::convert::Infallible),
                    )
                } else {
                    (
                        quote! {
                            other => ::core::str::FromStr::from_str(other)
                                .map(#name::#variant)
                                .map_err(|_| #rt::__private::EnumError::new(#type_name))
                        },
                        quote!(#rt::__private::EnumError),
                    )
                };
                (
                    Some(quote! {
                        #[doc = #doc]
                        #variant(#ty),
                    }),
                    Some(
                        quote!(#name::#variant(value) => ::core::convert::AsRef::<str>::as_ref(value),),
                    ),
                    other_arm,
                    err_ty,
                )
            }
            None => (
                None,
                None,
                quote!(_ => ::core::result::Result::Err(#rt::__private::EnumError::new(#type_name))),
                quote!(#rt::__private::EnumError),
            ),
        };
        let is_known_doc = "Whether this is one of the values the schema names.";
        let known_doc = "Every value the schema names, in schema order.";
        let known_arms = fallback.map(|f| {
            let variant = format_ident!("{}", f.rust);
            quote!(#name::#variant(_) => false,)
        });
        quote! {
            #[doc = #doc]
            #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash, ::core::cmp::PartialOrd, ::core::cmp::Ord)]
            #[non_exhaustive]
            pub enum #name {
                #(
                    #[doc = #docs]
                    #idents,
                )*
                #fallback_variant
            }

            impl #name {
                #[doc = #known_doc]
                pub const KNOWN: &'static [#name] = &[#(#name::#idents),*];

                /// The value as written on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(#name::#idents => #wires,)*
                        #fallback_as_str
                    }
                }

                #[doc = #is_known_doc]
                pub fn is_known(&self) -> bool {
                    match self {
                        #(#name::#idents => true,)*
                        #known_arms
                    }
                }
            }

            impl ::core::str::FromStr for #name {
                type Err = #err_ty;

                fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                    match value {
                        #(#wires => ::core::result::Result::Ok(#name::#idents),)*
                        #from_str_other
                    }
                }
            }

            impl ::core::convert::AsRef<str> for #name {
                fn as_ref(&self) -> &str {
                    self.as_str()
                }
            }

            impl ::core::fmt::Display for #name {
                fn fmt(&self, formatter: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    formatter.write_str(self.as_str())
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl #rt::__private::QueryValue for #name {
                fn query_value(&self) -> ::std::borrow::Cow<'_, str> {
                    ::std::borrow::Cow::Borrowed(self.as_str())
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    #rt::__private::deserialize_from_str(deserializer, #type_name)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::Fixture;

    fn status(schema: &str) -> String {
        Fixture::definition("S", schema).code_of("S")
    }

    #[test]
    fn a_closed_enum_rejects_unknown_values() {
        let code = status(r#"{"enum": ["ACTIVE", "REVOKED"]}"#);
        assert!(code.contains("pubenumS{"), "{code}");
        assert!(code.contains("Active,"), "{code}");
        assert!(code.contains(r#"S::Revoked=>"REVOKED""#), "{code}");
        assert!(code.contains("__private::EnumError"), "{code}");
        assert!(!code.contains("Unknown("), "{code}");
    }

    #[test]
    fn an_open_enum_keeps_unknown_values() {
        let code = status(r#"{"anyOf": [{"const": "ACTIVE"}, {"type": "string"}]}"#);
        assert!(code.contains("Unknown(::std::string::String),"), "{code}");
        assert!(
            code.contains(
                "type Err=::core::convert::Infallible;"
                    .replace(' ', "")
                    .as_str()
            ),
            "{code}"
        );
        assert!(code.contains("S::Unknown(_)=>false"), "{code}");
    }
}
