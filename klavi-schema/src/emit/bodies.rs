//! Bodies chosen by a member (twin of `lower/bodies.rs`): the enum of the bodies, one variant
//! per body type and `Unknown` keeping the undeclared members as exact JSON; how the struct
//! reads its body from those members once its own are read, writes the body's members beside
//! its own, and validates the body.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Emitter;
use crate::model::{Bodies, TypeDef};

impl Emitter<'_> {
    /// The enum of the bodies of `def`.
    pub(crate) fn body_enum(&self, def: &TypeDef, bodies: &Bodies) -> TokenStream {
        let rt = &self.rt;
        let name = format_ident!("{}", bodies.rust);
        let doc = format!(
            "The body of a [`{}`], chosen by its `{}` member: one variant per body the schema \
             lists, and `Unknown` for a value it does not list.",
            def.name, bodies.tag
        );
        let variants = bodies.variants.iter().map(|variant| {
            let rust = format_ident!("{}", variant.rust);
            let ty = self.named_path(&variant.ty);
            let values: Vec<String> = variant
                .tag_values
                .iter()
                .map(|value| format!("`{value}`"))
                .collect();
            let doc = format!(
                "{}\n\nChosen by `{}`: {}.",
                variant.doc,
                bodies.tag,
                values.join(", ")
            );
            quote! {
                #[doc = #doc]
                #rust(#ty),
            }
        });
        let known = bodies
            .variants
            .iter()
            .flat_map(|variant| &variant.tag_values);
        let known_doc = format!(
            "Every value of `{}` that chooses a known body, in schema order.",
            bodies.tag
        );
        quote! {
            #[doc = #doc]
            #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                /// A value the schema does not list: every member the object does not declare,
                /// each as its exact JSON text.
                Unknown(::std::collections::BTreeMap<::std::string::String, #rt::RawJson>),
            }

            impl #name {
                #[doc = #known_doc]
                pub const KNOWN: &'static [&'static str] = &[#(#known),*];

                /// Whether the value of the tag was one this version does not know.
                pub fn is_unknown(&self) -> bool {
                    ::core::matches!(self, #name::Unknown(_))
                }
            }
        }
    }

    /// Reads the body from `members` (the undeclared members, as raw JSON) by the value of the
    /// tag, held in the local `tag`.
    pub(crate) fn body_read(&self, bodies: &Bodies, tag: &TokenStream) -> TokenStream {
        let rt = &self.rt;
        let name = format_ident!("{}", bodies.rust);
        let arms = bodies.variants.iter().map(|variant| {
            let rust = format_ident!("{}", variant.rust);
            let ty = self.named_path(&variant.ty);
            let values = &variant.tag_values;
            let members = &variant.members;
            quote! {
                #(#values)|* => #name::#rust(
                    #rt::__private::take_body::<#ty, D::Error>(&mut members, &[#(#members),*])?,
                ),
            }
        });
        quote! {
            let body = match #tag.as_str() {
                #(#arms)*
                _ => #name::Unknown(::core::mem::take(&mut members)),
            };
        }
    }

    /// Writes the body's members into the open map `map`.
    pub(crate) fn body_write(&self, bodies: &Bodies) -> TokenStream {
        let rt = &self.rt;
        let name = format_ident!("{}", bodies.rust);
        let arms = bodies.variants.iter().map(|variant| {
            let rust = format_ident!("{}", variant.rust);
            quote!(#name::#rust(body) => #rt::__private::serialize_body(&mut map, body)?,)
        });
        quote! {
            match &self.body {
                #(#arms)*
                #name::Unknown(members) => {
                    for (key, value) in members {
                        ::serde::ser::SerializeMap::serialize_entry(&mut map, key, value)?;
                    }
                }
            }
        }
    }

    /// Validates the body, at the object's own pointer (its members are the object's).
    pub(crate) fn body_checks(&self, bodies: &Bodies) -> TokenStream {
        let rt = &self.rt;
        let name = format_ident!("{}", bodies.rust);
        let arms: Vec<TokenStream> = bodies
            .variants
            .iter()
            .filter(|variant| self.needs_validation.contains(&variant.ty))
            .map(|variant| {
                let rust = format_ident!("{}", variant.rust);
                quote!(#name::#rust(body) => #rt::Validate::validate_at(body, at, out),)
            })
            .collect();
        if arms.is_empty() {
            return TokenStream::new();
        }
        quote! {
            match &self.body {
                #(#arms)*
                _ => {}
            }
        }
    }
}
