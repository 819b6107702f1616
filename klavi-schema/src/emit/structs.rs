//! Structs: objects with declared properties, their serde attributes and their builders.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Emitter, doc_or, ident};
use crate::model::{Field, Rule, TypeDef, UnknownFields};

impl Emitter<'_> {
    pub(crate) fn struct_def(
        &self,
        def: &TypeDef,
        fields: &[Field],
        unknown: UnknownFields,
        _rules: &[Rule],
    ) -> TokenStream {
        let rt = &self.rt;
        let name = format_ident!("{}", def.name);
        let doc = doc_or(&def.doc, || format!("The `{}` object.", def.name));
        let strict = unknown == UnknownFields::Deny;
        let deny = strict.then(|| quote!(#[serde(deny_unknown_fields)]));
        let all_optional = fields.iter().all(|f| !f.required);
        let default = all_optional.then(|| quote!(::core::default::Default,));
        let fields: Vec<&Field> = fields.iter().filter(|f| f.tag.is_none()).collect();
        let fields = fields.as_slice();
        let members = fields.iter().map(|field| {
            let rust = ident(&field.rust);
            let wire = &field.wire;
            let doc = field_doc(field);
            let ty = self.ty(&field.ty);
            let aliases = &field.aliases;
            let aliases = quote!(#(alias = #aliases,)*);
            if field.required {
                quote! {
                    #[doc = #doc]
                    #[serde(rename = #wire, #aliases)]
                    pub #rust: #ty,
                }
            } else {
                let strict_null = strict.then(|| {
                    let path = format!("{}::__private::some_non_null", rt.to_string().replace(' ', ""));
                    quote!(deserialize_with = #path,)
                });
                quote! {
                    #[doc = #doc]
                    #[serde(rename = #wire, #aliases default, #strict_null skip_serializing_if = "::core::option::Option::is_none")]
                    pub #rust: ::core::option::Option<#ty>,
                }
            }
        });
        let extra = (unknown == UnknownFields::Keep).then(|| {
            quote! {
                /// Members the schema does not declare, kept verbatim (this object is free-form).
                #[serde(flatten)]
                pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
            }
        });
        let builder = self.builder(def, fields, unknown);
        quote! {
            #[doc = #doc]
            #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
            #deny
            pub struct #name {
                #(#members)*
                #extra
            }
            #builder
        }
    }

    fn builder(&self, def: &TypeDef, fields: &[&Field], unknown: UnknownFields) -> TokenStream {
        let name = format_ident!("{}", def.name);
        let required: Vec<&&Field> = fields.iter().filter(|f| f.required).collect();
        let params = required.iter().map(|f| {
            let rust = ident(&f.rust);
            let ty = self.ty(&f.ty);
            quote!(#rust: impl ::core::convert::Into<#ty>)
        });
        let inits = fields.iter().map(|f| {
            let rust = ident(&f.rust);
            if f.required {
                quote!(#rust: ::core::convert::Into::into(#rust))
            } else {
                quote!(#rust: ::core::option::Option::None)
            }
        });
        let extra_init =
            (unknown == UnknownFields::Keep).then(|| quote!(extra: ::serde_json::Map::new(),));
        let new_doc = if required.is_empty() {
            format!(
                "An empty `{}`; add members with the `with_…` methods.",
                def.name
            )
        } else {
            format!(
                "A `{}` with its required members ({}); add optional ones with the `with_…` methods.",
                def.name,
                required
                    .iter()
                    .map(|f| format!("`{}`", f.wire))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let setters = fields.iter().filter(|f| !f.required).map(|f| {
            let rust = ident(&f.rust);
            let method = format_ident!("with_{}", f.rust);
            let ty = self.ty(&f.ty);
            let doc = format!("Sets `{}`.", f.wire);
            quote! {
                #[doc = #doc]
                #[must_use]
                pub fn #method(mut self, value: impl ::core::convert::Into<#ty>) -> Self {
                    self.#rust = ::core::option::Option::Some(::core::convert::Into::into(value));
                    self
                }
            }
        });
        let extra_setter = (unknown == UnknownFields::Keep).then(|| {
            quote! {
                /// Adds a member the schema does not declare.
                #[must_use]
                pub fn with_extra(mut self, key: impl ::core::convert::Into<::std::string::String>, value: impl ::core::convert::Into<::serde_json::Value>) -> Self {
                    self.extra.insert(::core::convert::Into::into(key), ::core::convert::Into::into(value));
                    self
                }
            }
        });
        let allow_many = (required.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            impl #name {
                #[doc = #new_doc]
                #allow_many
                pub fn new(#(#params),*) -> Self {
                    #name {
                        #(#inits,)*
                        #extra_init
                    }
                }
                #(#setters)*
                #extra_setter
            }
        }
    }
}

fn field_doc(field: &Field) -> String {
    let mut doc = doc_or(&field.doc, || format!("The `{}` member.", field.wire));
    if field.deprecated {
        doc.push_str("\n\n**Deprecated** in the docs; kept so that requests written against them still validate.");
    }
    doc
}
