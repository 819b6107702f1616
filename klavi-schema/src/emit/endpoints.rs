//! Endpoint marker types (implementing `Endpoint`) and the registry of endpoints and messages.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Emitter;
use crate::index::MessageKind;
use crate::model::Endpoint;

impl Emitter<'_> {
    pub(crate) fn endpoint_marker(&self, endpoint: &Endpoint) -> TokenStream {
        let rt = &self.rt;
        let name = format_ident!("{}", endpoint.rust);
        let messages = &endpoint.messages;
        let endpoint = &endpoint.spec;
        let mut doc = format!(
            "{}: `{} {}` ({} token).\n\n{}\n\nDocs: <{}>",
            endpoint.title,
            endpoint.method.as_str(),
            endpoint.path,
            endpoint.token.as_str(),
            endpoint.description,
            endpoint.docs
        );
        if endpoint.path_uncertain {
            doc.push_str("\n\n**The path is not confirmed by Klavi's docs** (inferred); check it against your environment.");
        }
        let id = &endpoint.id;
        let path = &endpoint.path;
        let docs = &endpoint.docs;
        let uncertain = endpoint.path_uncertain;
        let method = format_ident!("{}", endpoint.method.variant());
        let token = format_ident!("{}", endpoint.token.variant());
        let message_ty = |kind: MessageKind| {
            messages
                .iter()
                .find(|m| m.kind == kind)
                .map(|m| self.named_path(&m.ty))
                .unwrap_or_else(|| quote!(#rt::Empty))
        };
        let path_ty = message_ty(MessageKind::Path);
        let query_ty = message_ty(MessageKind::Query);
        let request_ty = message_ty(MessageKind::Request);
        let response_ty = message_ty(MessageKind::Response);
        quote! {
            #[doc = #doc]
            #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug, ::core::default::Default, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash)]
            pub struct #name;

            impl #rt::Endpoint for #name {
                const ID: &'static str = #id;
                const METHOD: #rt::Method = #rt::Method::#method;
                const PATH: &'static str = #path;
                const TOKEN: #rt::TokenKind = #rt::TokenKind::#token;
                const DOCS: &'static str = #docs;
                const PATH_UNCERTAIN: bool = #uncertain;
                type Path = #path_ty;
                type Query = #query_ty;
                type Request = #request_ty;
                type Response = #response_ty;
            }
        }
    }

    pub(crate) fn registry(&self) -> TokenStream {
        let rt = &self.rt;
        let endpoints = self.model.endpoints.iter().map(|endpoint| {
            let messages = &endpoint.messages;
            let endpoint = &endpoint.spec;
            let id = &endpoint.id;
            let title = &endpoint.title;
            let description = &endpoint.description;
            let path = &endpoint.path;
            let docs = &endpoint.docs;
            let uncertain = endpoint.path_uncertain;
            let method = format_ident!("{}", endpoint.method.variant());
            let token = format_ident!("{}", endpoint.token.variant());
            let messages = messages.iter().map(|message| {
                let message_id = &message.id;
                let kind = format_ident!("{}", message.kind.variant());
                let ty = self.named_path(&message.ty);
                let type_name = self
                    .model
                    .get(&message.ty)
                    .map(|d| format!("klavi_types::{}::{}", d.module, d.name))
                    .unwrap_or_default();
                quote! {
                    #rt::registry::MessageInfo {
                        id: #message_id,
                        endpoint: #id,
                        kind: #rt::MessageKind::#kind,
                        type_name: #type_name,
                        schema: <#ty>::SOURCE_SCHEMA,
                        check: #rt::__private::check_message::<#ty>,
                    }
                }
            });
            quote! {
                #rt::registry::EndpointInfo {
                    id: #id,
                    title: #title,
                    description: #description,
                    method: #rt::Method::#method,
                    path: #path,
                    token: #rt::TokenKind::#token,
                    docs: #docs,
                    path_uncertain: #uncertain,
                    messages: &[#(#messages),*],
                }
            }
        });
        quote! {
            /// Every endpoint generated from the schemas, in index order.
            pub(crate) static GENERATED_ENDPOINTS: &[#rt::registry::EndpointInfo] = &[#(#endpoints),*];
        }
    }
}
