//! Unions of object types told apart by a tag member (`mfaInfo` by `mfaType`); open unions keep
//! objects of an unknown kind as a `PersonalObject`: nothing says what such an object holds,
//! so its `Debug` shows member names only (LGPD), while it serializes unchanged.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Emitter, doc_or};
use crate::model::{Fallback, TypeDef, UnionVariant};

impl Emitter<'_> {
    pub(crate) fn union_def(
        &self,
        def: &TypeDef,
        tag: &str,
        variants: &[UnionVariant],
        fallback: Option<&Fallback>,
    ) -> TokenStream {
        let rt = &self.rt;
        let name = format_ident!("{}", def.name);
        let type_name = &def.name;
        let doc = doc_or(&def.doc, || format!("The `{}` union.", def.name));
        let values: Vec<&str> = variants.iter().map(|v| v.tag_value.as_str()).collect();
        let idents: Vec<_> = variants
            .iter()
            .map(|v| format_ident!("{}", v.rust))
            .collect();
        let docs = variants.iter().map(|v| {
            let value = &v.tag_value;
            doc_or(&v.doc, || format!("`{tag}` = `{value}`."))
        });
        let types: Vec<TokenStream> = variants.iter().map(|v| self.named_path(&v.ty)).collect();
        let (open_variant, open_ser, open_de, open_tag) = match fallback {
            Some(Fallback { rust, doc, .. }) => {
                let variant = format_ident!("{rust}");
                (
                    Some(quote! {
                        #[doc = #doc]
                        #variant(#rt::personal::PersonalObject),
                    }),
                    Some(
                        quote!(#name::#variant(object) => ::serde::Serialize::serialize(object, serializer),),
                    ),
                    quote!(_ => ::core::result::Result::Ok(#name::#variant(#rt::personal::PersonalObject::new(object)))),
                    Some(
                        quote!(#name::#variant(object) => object.get(#tag).and_then(::serde_json::Value::as_str),),
                    ),
                )
            }
            None => (
                None,
                None,
                quote!(_ => ::core::result::Result::Err(<D::Error as ::serde::de::Error>::custom(#rt::__private::coded("enum", ::core::concat!("not a known ", #type_name, " `", #tag, "`"))))),
                None,
            ),
        };
        // An open union's schema accepts any object through its catch-all branch, so a known tag
        // with members that do not fit its variant is kept as an unknown object, not an error.
        let on_error = match fallback {
            Some(Fallback { rust, .. }) => {
                let variant = format_ident!("{rust}");
                quote!({ let _ = error; ::core::result::Result::Ok(#name::#variant(#rt::personal::PersonalObject::new(object))) })
            }
            None => quote!(::core::result::Result::Err(error)),
        };
        quote! {
            #[doc = #doc]
            #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
            #[non_exhaustive]
            pub enum #name {
                #(
                    #[doc = #docs]
                    #idents(#types),
                )*
                #open_variant
            }

            impl #name {
                /// The value of the tag member.
                pub fn tag(&self) -> ::core::option::Option<&str> {
                    match self {
                        #(#name::#idents(_) => ::core::option::Option::Some(#values),)*
                        #open_tag
                    }
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    match self {
                        #(#name::#idents(value) => #rt::__private::serialize_tagged(serializer, #tag, #values, value),)*
                        #open_ser
                    }
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    let object = <::serde_json::Map<::std::string::String, ::serde_json::Value> as ::serde::Deserialize>::deserialize(deserializer)?;
                    match object.get(#tag).and_then(::serde_json::Value::as_str) {
                        #(::core::option::Option::Some(#values) => match #rt::__private::from_object::<_, D::Error>(&object) {
                            ::core::result::Result::Ok(value) => ::core::result::Result::Ok(#name::#idents(value)),
                            ::core::result::Result::Err(error) => #on_error,
                        },)*
                        #open_de
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::Fixture;

    const DEFS: &str = r#"{"$defs": {
        "Basic": {"type": "object", "properties": {"mfaType": {"const": "basic"}, "password": {"type": "string"}}},
        "Token": {"type": "object", "properties": {"mfaType": {"const": "token"}, "code": {"type": "string"}}}}}"#;

    fn union(keyword: &str, catch_all: &str) -> String {
        Fixture::request(&format!(
            r#"{{"type": "object", "properties": {{"mfa": {{"{keyword}": [
                {{"$ref": "defs.json#/$defs/Basic"}}, {{"$ref": "defs.json#/$defs/Token"}}{catch_all}]}}}}}}"#
        ))
        .defs(DEFS)
        .code_of("XRequestMfa")
    }

    #[test]
    fn variants_are_selected_by_the_tag_and_unknown_objects_kept_when_open() {
        let code = union("anyOf", r#", {"type": "object"}"#);
        assert!(
            code.contains("Basic(::klavi_types::demo::Basic),"),
            "{code}"
        );
        assert!(
            code.contains("Unknown(::klavi_types::personal::PersonalObject),"),
            "{code}"
        );
        assert!(code.contains(r#"object.get("mfaType")"#), "{code}");
        assert!(
            code.contains(r#"serialize_tagged(serializer,"mfaType","token",value)"#),
            "{code}"
        );
    }

    #[test]
    fn a_closed_union_rejects_an_unknown_tag() {
        let code = union("oneOf", "");
        assert!(!code.contains("PersonalObject"), "{code}");
        assert!(code.contains(r#"coded("enum""#), "{code}");
    }
}
