//! `to_query_string()` for query messages: the wire names, percent-encoded.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Emitter, ident};
use crate::index::MessageKind;
use crate::model::{TypeBody, TypeDef};

impl Emitter<'_> {
    pub(crate) fn query_impl(&self, def: &TypeDef) -> TokenStream {
        let is_query = self
            .model
            .endpoints
            .iter()
            .flat_map(|e| &e.messages)
            .chain(self.model.standalone.iter().map(|s| &s.message))
            .any(|m| m.kind == MessageKind::Query && m.ty == def.id);
        let TypeBody::Struct { fields, .. } = &def.body else {
            return TokenStream::new();
        };
        if !is_query {
            return TokenStream::new();
        }
        let rt = &self.rt;
        let name = format_ident!("{}", def.name);
        let pushes = fields.iter().filter(|f| f.is_member()).map(|field| {
            let rust = ident(&field.rust);
            let wire = &field.wire;
            if field.required {
                quote!(query.push(#wire, &self.#rust);)
            } else {
                quote! {
                    if let ::core::option::Option::Some(value) = &self.#rust {
                        query.push(#wire, value);
                    }
                }
            }
        });
        quote! {
            impl #name {
                /// The URL query string of these parameters (wire names, percent-encoded, no
                /// leading `?`), e.g. `personalTaxId=28001238938&linkId=…`. It carries personal
                /// data: do not log the URL.
                pub fn to_query_string(&self) -> ::std::string::String {
                    let mut query = #rt::__private::Query::new();
                    #(#pushes)*
                    query.finish()
                }

                /// Parses a URL query string (with or without a leading `?`) and validates the
                /// result; every failure is a violation with the parameter's name as pointer.
                pub fn from_query_string(query: &str) -> ::core::result::Result<Self, #rt::ValidationErrors> {
                    #rt::__private::from_query_string(query)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::Fixture;

    #[test]
    fn a_query_message_writes_its_members_in_order() {
        let code = Fixture::get("/demo")
            .with("query", r#"{"type": "object", "properties": {"page": {"type": "integer"}, "q": {"type": "string"}}, "required": ["q"]}"#)
            .with("response", r#"{"type": "object", "properties": {}}"#)
            .code_of("XQuery");
        assert!(code.contains("pubfnto_query_string(&self)"), "{code}");
        let page = code
            .find(r#"query.push("page",value)"#)
            .expect("page is pushed");
        let q = code
            .find(r#"query.push("q",&self.q)"#)
            .expect("q is pushed");
        assert!(page < q, "{code}");
    }

    #[test]
    fn a_request_body_has_no_query_string() {
        let code =
            Fixture::request(r#"{"type": "object", "properties": {"q": {"type": "string"}}}"#)
                .code_of("XRequest");
        assert!(!code.contains("to_query_string"), "{code}");
    }
}
