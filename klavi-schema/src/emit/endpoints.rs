//! Endpoint marker types (implementing `Endpoint`) and the registry of endpoints and messages.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Emitter, ident};
use crate::facts::{Shown, message_facts};
use crate::index::{EndpointSpec, MessageKind, PathSegment};
use crate::model::{Endpoint, Message, TypeBody};

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
        let path = endpoint.path.as_str();
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
        let path_fn = self.path_fn(endpoint, messages);
        let query_fn = match messages.iter().find(|m| m.kind == MessageKind::Query) {
            Some(_) => quote! {
                fn query_string(query: &Self::Query) -> ::core::option::Option<::std::string::String> {
                    ::core::option::Option::Some(query.to_query_string())
                }
            },
            None => quote! {
                fn query_string(_: &Self::Query) -> ::core::option::Option<::std::string::String> {
                    ::core::option::Option::None
                }
            },
        };
        let has_body = messages.iter().any(|m| m.kind == MessageKind::Request);
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
                const HAS_BODY: bool = #has_body;
                type Path = #path_ty;
                type Query = #query_ty;
                type Request = #request_ty;
                type Response = #response_ty;
                #path_fn
                #query_fn
            }
        }
    }

    /// `Endpoint::path`: the template's literal parts and its parameters, percent-encoded.
    fn path_fn(&self, endpoint: &EndpointSpec, messages: &[Message]) -> TokenStream {
        let rt = &self.rt;
        let fields = messages
            .iter()
            .find(|m| m.kind == MessageKind::Path)
            .and_then(|m| self.model.get(&m.ty))
            .and_then(|def| match &def.body {
                TypeBody::Struct { fields, .. } => Some(fields.as_slice()),
                _ => None,
            })
            .unwrap_or(&[]);
        if fields.is_empty() {
            return quote! {
                fn path(_: &Self::Path) -> ::std::string::String {
                    ::std::string::ToString::to_string(Self::PATH)
                }
            };
        }
        let steps = endpoint
            .path
            .segments()
            .iter()
            .map(|segment| match segment {
                PathSegment::Literal(literal) => quote!(path.push_str(#literal);),
                PathSegment::Parameter(name) => {
                    // The model checks hold every parameter to a member of the path message.
                    match fields.iter().find(|f| f.wire == *name) {
                        Some(field) => {
                            let rust = ident(&field.rust);
                            quote!(#rt::__private::push_path_segment(&mut path, &params.#rust);)
                        }
                        None => TokenStream::new(),
                    }
                }
            });
        let capacity = endpoint.path.as_str().len() + 16;
        quote! {
            fn path(params: &Self::Path) -> ::std::string::String {
                let mut path = ::std::string::String::with_capacity(#capacity);
                #(#steps)*
                path
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
            let path = endpoint.path.as_str();
            let docs = &endpoint.docs;
            let uncertain = endpoint.path_uncertain;
            let method = format_ident!("{}", endpoint.method.variant());
            let token = format_ident!("{}", endpoint.token.variant());
            let messages = messages
                .iter()
                .map(|message| self.message_info(message, Some(id)));
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
        let standalone = self
            .model
            .standalone
            .iter()
            .map(|s| self.message_info(&s.message, None));
        quote! {
            /// Every endpoint generated from the schemas, in index order.
            pub(crate) static GENERATED_ENDPOINTS: &[#rt::registry::EndpointInfo] = &[#(#endpoints),*];

            /// Every message of no endpoint (error bodies, webhooks, redirects), in index order.
            pub(crate) static GENERATED_STANDALONE: &[#rt::registry::MessageInfo] = &[#(#standalone),*];
        }
    }

    fn message_info(&self, message: &Message, endpoint: Option<&str>) -> TokenStream {
        let rt = &self.rt;
        let message_id = &message.id;
        let kind = format_ident!("{}", message.kind.variant());
        let ty = self.named_path(&message.ty);
        let type_name = self
            .model
            .get(&message.ty)
            .map(|d| self.type_path_text(d))
            .unwrap_or_default();
        let endpoint = match endpoint {
            Some(id) => quote!(::core::option::Option::Some(#id)),
            None => quote!(::core::option::Option::None),
        };
        let facts = message_facts(self.model, &message.ty);
        let member_names = &facts.member_names;
        let runtime_types = facts
            .runtime_types
            .iter()
            .map(|(def, name)| quote!((#def, #name)));
        let places = facts.places.iter().map(|place| {
            let hidden = place.hidden;
            let shown = match &place.shown {
                Shown::Plain => quote!(#rt::registry::Shown::Plain),
                Shown::Text => quote!(#rt::registry::Shown::Text),
                Shown::OneOf(values) => quote!(#rt::registry::Shown::OneOf(&[#(#values),*])),
                Shown::Format(format) => {
                    let format = format_ident!("{}", format);
                    quote!(#rt::registry::Shown::Format(#rt::registry::Format::#format))
                }
            };
            let members = place.members.iter().map(|(name, at)| quote!((#name, #at)));
            let optional = |at: Option<usize>| match at {
                Some(at) => quote!(::core::option::Option::Some(#at)),
                None => quote!(::core::option::Option::None),
            };
            let items = optional(place.items);
            let values = optional(place.values);
            quote!(#rt::registry::Place::new(#hidden, #shown, &[#(#members),*], #items, #values))
        });
        let business_errors = facts.business_errors.iter().map(|rule| {
            let (pointer, status, code, message) =
                (&rule.pointer, rule.status, rule.code, &rule.message);
            // A code the validators do not have is a compile error naming the variant.
            let violations = rule.violations.iter().map(|violation| {
                let variant = format_ident!("{}", crate::names::type_name(violation));
                quote!(#rt::validation::Code::#variant)
            });
            quote!(#rt::registry::BusinessError::new(
                #pointer, #status, #code, #message, &[#(#violations),*]
            ))
        });
        let own_examples = message.alias_examples.as_deref().unwrap_or_default();
        quote! {
            #rt::registry::MessageInfo {
                id: #message_id,
                endpoint: #endpoint,
                kind: #rt::MessageKind::#kind,
                type_name: #type_name,
                schema: <#ty>::SOURCE_SCHEMA,
                check: #rt::__private::check_message::<#ty>,
                check_json: #rt::check::check_json::<#ty>,
                canonical: #rt::__private::canonical_message::<#ty>,
                debug: #rt::__private::debug_message::<#ty>,
                member_names: &[#(#member_names),*],
                runtime_types: &[#(#runtime_types),*],
                places: &[#(#places),*],
                business_errors: &[#(#business_errors),*],
                own_examples: #own_examples,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::Fixture;

    #[test]
    fn a_marker_fills_its_path_template_from_the_path_message() {
        let code = Fixture::get("/demo/{id}/items")
            .with("path", r#"{"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}"#)
            .with("response", r#"{"type": "object", "properties": {}}"#)
            .code();
        assert!(
            code.contains(r#"constPATH:&'staticstr="/demo/{id}/items";"#),
            "{code}"
        );
        assert!(code.contains(r#"path.push_str("/demo/");::klavi_types::__private::push_path_segment(&mutpath,&params.id);path.push_str("/items");"#), "{code}");
        assert!(
            code.contains("typePath=::klavi_types::demo::XPath;"),
            "{code}"
        );
        assert!(code.contains("typeRequest=::klavi_types::Empty;"), "{code}");
    }

    #[test]
    fn a_path_without_parameters_is_the_constant() {
        let code = Fixture::request(r#"{"type": "object", "properties": {}}"#).code();
        assert!(code.contains("fnpath(_:&Self::Path)->::std::string::String{::std::string::ToString::to_string(Self::PATH)}"), "{code}");
        assert!(code.contains("constHAS_BODY:bool=true;"), "{code}");
    }
}
