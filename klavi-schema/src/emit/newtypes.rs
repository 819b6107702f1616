//! Newtypes around arrays (a message whose root is an array, such as a consent list), with
//! `Deref`, iteration and conversions from the inner vector.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Emitter, doc_or};
use crate::model::{Ty, TypeDef};

impl Emitter<'_> {
    pub(crate) fn newtype_def(&self, def: &TypeDef, inner: &Ty) -> TokenStream {
        let name = format_ident!("{}", def.name);
        let doc = doc_or(&def.doc, || format!("The `{}` value.", def.name));
        let inner_ty = self.ty(inner);
        let default = matches!(
            inner.kind,
            crate::model::TyKind::Vec(_) | crate::model::TyKind::Map(..)
        )
        .then(|| quote!(::core::default::Default,));
        let iter_impls = if let crate::model::TyKind::Vec(item) = &inner.kind {
            let item = self.ty(item);
            Some(quote! {
                impl ::core::iter::IntoIterator for #name {
                    type Item = #item;
                    type IntoIter = ::std::vec::IntoIter<#item>;
                    fn into_iter(self) -> Self::IntoIter {
                        self.0.into_iter()
                    }
                }

                impl<'a> ::core::iter::IntoIterator for &'a #name {
                    type Item = &'a #item;
                    type IntoIter = ::core::slice::Iter<'a, #item>;
                    fn into_iter(self) -> Self::IntoIter {
                        self.0.iter()
                    }
                }

                impl ::core::iter::FromIterator<#item> for #name {
                    fn from_iter<I: ::core::iter::IntoIterator<Item = #item>>(iter: I) -> Self {
                        #name(::core::iter::FromIterator::from_iter(iter))
                    }
                }
            })
        } else {
            None
        };
        quote! {
            #[doc = #doc]
            #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
            #[serde(transparent)]
            pub struct #name(pub #inner_ty);

            impl ::core::ops::Deref for #name {
                type Target = #inner_ty;
                fn deref(&self) -> &Self::Target {
                    &self.0
                }
            }

            impl ::core::ops::DerefMut for #name {
                fn deref_mut(&mut self) -> &mut Self::Target {
                    &mut self.0
                }
            }

            impl ::core::convert::From<#inner_ty> for #name {
                fn from(value: #inner_ty) -> Self {
                    #name(value)
                }
            }

            #iter_impls
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::Fixture;

    #[test]
    fn an_array_root_is_a_transparent_newtype() {
        let code =
            Fixture::request(r#"{"type": "array", "items": {"type": "string"}, "maxItems": 3}"#)
                .code_of("XRequest");
        assert!(
            code.contains("pubstructXRequest(pub::std::vec::Vec<::std::string::String>);"),
            "{code}"
        );
        assert!(code.contains("__private::max_items("), "{code}");
    }

    #[test]
    fn one_or_many_wraps_the_runtime_type() {
        let code = Fixture::request(
            r#"{"anyOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]}"#,
        )
        .code_of("XRequest");
        assert!(
            code.contains("::klavi_types::OneOrMany<::serde_json::Map<::std::string::String,::serde_json::Value>>"),
            "{code}"
        );
    }
}
