//! Structs: objects with declared properties, their serde attributes and their builders.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Emitter, doc_or, ident};
use crate::model::{Bodies, Field, TypeDef, UnknownFields};

impl Emitter<'_> {
    pub(crate) fn struct_def(
        &self,
        def: &TypeDef,
        fields: &[Field],
        unknown: UnknownFields,
        bodies: Option<&Bodies>,
    ) -> TokenStream {
        let rt = &self.rt;
        let name = format_ident!("{}", def.name);
        let doc = doc_or(&def.doc, || format!("The `{}` object.", def.name));
        let strict = unknown == UnknownFields::Deny;
        let raw = unknown == UnknownFields::KeepRaw;
        let deny = strict.then(|| quote!(#[serde(deny_unknown_fields)]));
        // What we receive grows without notice (Klavi adds response members): outside the
        // crate such a struct is built with its builder, never a literal, so a new member in a
        // later version breaks nobody. Requests are closed by their schema and stay exhaustive.
        let non_exhaustive = (!strict).then(|| quote!(#[non_exhaustive]));
        let all_optional = fields.iter().all(|f| !f.required);
        let default = all_optional.then(|| quote!(::core::default::Default,));
        // Tag members and aliases have no Rust field (see `FieldRole`).
        let fields: Vec<&Field> = fields.iter().filter(|f| f.is_member()).collect();
        let fields = fields.as_slice();
        let members = fields.iter().map(|field| {
            let rust = ident(&field.rust);
            let wire = &field.wire;
            let doc = field_doc(field);
            let ty = self.ty(&field.ty);
            let aliases = &field.aliases;
            let aliases = quote!(#(alias = #aliases,)*);
            let integer = matches!(field.ty.kind, crate::model::TyKind::Integer);
            if raw {
                // Serialized and deserialized by hand (see `raw_serde`): no serde attributes.
                let ty = if field.required { ty } else { quote!(::core::option::Option<#ty>) };
                return quote! {
                    #[doc = #doc]
                    pub #rust: #ty,
                };
            }
            if field.required {
                let integer = integer.then(|| {
                    let path = format!("{}::__private::json_integer", self.runtime_text());
                    quote!(deserialize_with = #path,)
                });
                quote! {
                    #[doc = #doc]
                    #[serde(rename = #wire, #aliases #integer)]
                    pub #rust: #ty,
                }
            } else {
                // `null` is not absent: JSON Schema's `type` refuses it.
                let helper = if integer { "some_json_integer" } else { "some_non_null" };
                let path = format!("{}::__private::{helper}", self.runtime_text());
                let strict_null = quote!(deserialize_with = #path,);
                quote! {
                    #[doc = #doc]
                    #[serde(rename = #wire, #aliases default, #strict_null skip_serializing_if = "::core::option::Option::is_none")]
                    pub #rust: ::core::option::Option<#ty>,
                }
            }
        });
        let body = bodies.map(|bodies| {
            let ty = format_ident!("{}", bodies.rust);
            let doc = format!(
                "The body `{}` chooses, read from the members this object does not declare (which `extra` no longer holds).",
                bodies.tag
            );
            quote! {
                #[doc = #doc]
                pub body: #ty,
            }
        });
        let extra = match unknown {
            UnknownFields::Keep => Some(quote! {
                /// Members the schema does not declare, kept verbatim (this object is free-form).
                #[serde(flatten)]
                pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
            }),
            UnknownFields::KeepRaw => Some(quote! {
                /// Members the schema does not declare, each kept as its exact JSON text (numbers
                /// never pass through `f64`); read one with `RawJson::parse`.
                pub extra: ::std::collections::BTreeMap<::std::string::String, #rt::RawJson>,
            }),
            _ => None,
        };
        // An object that keeps undeclared members is read by a generated visitor rather than
        // serde's `flatten`, which buffers every member before reading any (`keep_deserialize`).
        let keep = unknown == UnknownFields::Keep;
        let derive_serde = if raw {
            None
        } else if keep {
            Some(quote!(::serde::Serialize,))
        } else {
            Some(quote!(::serde::Serialize, ::serde::Deserialize))
        };
        // serde's derived struct visitors also read arrays (members by position); JSON Schema's
        // `type: object` refuses them. The derive goes to inherent functions (`remote = "Self"`)
        // and the trait impls read through `ObjectOnly`, which asks for a map.
        let remote = (!raw).then(|| quote!(#[serde(remote = "Self")]));
        let mut keep_deserialize = keep.then(|| self.keep_deserialize(def, fields));
        let object_only = (!raw).then(|| {
            let deserialize = match keep_deserialize.take() {
                Some(visitor) => visitor,
                None => quote! {
                    impl<'de> ::serde::Deserialize<'de> for #name {
                        fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                            #name::deserialize(#rt::__private::ObjectOnly(deserializer))
                        }
                    }
                },
            };
            quote! {
                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                        #name::serialize(self, serializer)
                    }
                }

                #deserialize
            }
        });
        let raw_serde = raw.then(|| self.raw_serde(def, fields, bodies));
        let builder = self.builder(def, fields, unknown, bodies);
        quote! {
            #[doc = #doc]
            #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq, #default #derive_serde)]
            #non_exhaustive
            #remote
            #deny
            pub struct #name {
                #(#members)*
                #body
                #extra
            }
            #object_only
            #builder
            #raw_serde
        }
    }

    fn builder(
        &self,
        def: &TypeDef,
        fields: &[&Field],
        unknown: UnknownFields,
        bodies: Option<&Bodies>,
    ) -> TokenStream {
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
        let extra_init = match unknown {
            UnknownFields::Keep => Some(quote!(extra: ::serde_json::Map::new(),)),
            UnknownFields::KeepRaw => Some(quote!(extra: ::std::collections::BTreeMap::new(),)),
            _ => None,
        };
        let (body_init, body_setter) = match bodies {
            Some(bodies) => {
                let ty = format_ident!("{}", bodies.rust);
                let doc = format!(
                    "Sets the body (`{ty}::Unknown`, empty, until set); set `{}` to one of its values too.",
                    bodies.tag
                );
                (
                    Some(quote!(body: #ty::Unknown(::std::collections::BTreeMap::new()),)),
                    Some(quote! {
                        #[doc = #doc]
                        #[must_use]
                        pub fn with_body(mut self, body: #ty) -> Self {
                            self.body = body;
                            self
                        }
                    }),
                )
            }
            None => (None, None),
        };
        let new_doc = if required.is_empty() {
            format!(
                "An empty `{}`; add members with the `with_…` methods.",
                def.name
            )
        } else {
            format!(
                "Creates `{}` from its required members ({}); add optional ones with the `with_…` methods.",
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
                        #body_init
                        #extra_init
                    }
                }
                #(#setters)*
                #body_setter
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

impl Emitter<'_> {
    /// `Deserialize` of a struct that keeps undeclared members (`extra`): one pass over the
    /// members, declared ones read into their types (matched on the name as borrowed from the
    /// input), the others into `extra`. serde's `flatten` would first buffer every member, the
    /// declared subtrees too, as `Content`. Only objects are accepted (no `visit_seq`), a
    /// missing required member and a repeated one are serde's own errors, `null` in an optional
    /// member is refused as by the derived code, and integers follow JSON Schema (`22.0` is 22).
    fn keep_deserialize(&self, def: &TypeDef, fields: &[&Field]) -> TokenStream {
        let rt = &self.rt;
        let name = format_ident!("{}", def.name);
        let expecting = format!("struct {}", def.name);
        let slots: Vec<_> = fields
            .iter()
            .map(|f| format_ident!("slot_{}", f.rust.trim_start_matches("r#")))
            .collect();
        let declare = fields.iter().zip(&slots).map(|(field, slot)| {
            let ty = self.ty(&field.ty);
            quote!(let mut #slot: ::core::option::Option<#ty> = ::core::option::Option::None;)
        });
        let arms = fields.iter().zip(&slots).map(|(field, slot)| {
            let wire = &field.wire;
            let aliases = &field.aliases;
            let read = if matches!(field.ty.kind, crate::model::TyKind::Integer) {
                quote!(map.next_value::<#rt::__private::JsonInteger>()?.0)
            } else {
                quote!(map.next_value()?)
            };
            quote! {
                #wire #(| #aliases)* => {
                    if #slot.is_some() {
                        return ::core::result::Result::Err(::serde::de::Error::duplicate_field(#wire));
                    }
                    #slot = ::core::option::Option::Some(#read);
                }
            }
        });
        let build = fields.iter().zip(&slots).map(|(field, slot)| {
            let rust = ident(&field.rust);
            let wire = &field.wire;
            if field.required {
                quote!(#rust: #slot.ok_or_else(|| ::serde::de::Error::missing_field(#wire))?,)
            } else {
                quote!(#rust: #slot,)
            }
        });
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    struct MembersVisitor;

                    impl<'de> ::serde::de::Visitor<'de> for MembersVisitor {
                        type Value = #name;

                        fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                            f.write_str(#expecting)
                        }

                        fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<#name, A::Error> {
                            #(#declare)*
                            let mut extra = ::serde_json::Map::new();
                            while let ::core::option::Option::Some(key) = map.next_key::<#rt::__private::MemberName<'de>>()? {
                                match key.0.as_ref() {
                                    #(#arms)*
                                    _ => {
                                        let key = key.0.into_owned();
                                        if extra.contains_key(&key) {
                                            return ::core::result::Result::Err(#rt::__private::duplicate_key(&key));
                                        }
                                        extra.insert(key, map.next_value()?);
                                    }
                                }
                            }
                            ::core::result::Result::Ok(#name {
                                #(#build)*
                                extra,
                            })
                        }
                    }

                    deserializer.deserialize_map(MembersVisitor)
                }
            }
        }
    }

    /// `Serialize`/`Deserialize` of a struct that keeps undeclared members as exact JSON text:
    /// serde's `flatten` cannot carry raw values, so the members are read as a map of raw texts
    /// and the declared ones parsed from theirs.
    fn raw_serde(&self, def: &TypeDef, fields: &[&Field], bodies: Option<&Bodies>) -> TokenStream {
        let rt = &self.rt;
        let name = format_ident!("{}", def.name);
        let writes = fields.iter().map(|field| {
            let rust = ident(&field.rust);
            let wire = &field.wire;
            if field.required {
                quote!(::serde::ser::SerializeMap::serialize_entry(&mut map, #wire, &self.#rust)?;)
            } else {
                quote! {
                    if let ::core::option::Option::Some(value) = &self.#rust {
                        ::serde::ser::SerializeMap::serialize_entry(&mut map, #wire, value)?;
                    }
                }
            }
        });
        let locals: Vec<_> = fields
            .iter()
            .map(|f| format_ident!("member_{}", f.rust.trim_start_matches("r#")))
            .collect();
        let reads = fields.iter().zip(&locals).map(|(field, local)| {
            let wire = &field.wire;
            let integer = matches!(field.ty.kind, crate::model::TyKind::Integer);
            let read = match (field.required, integer) {
                (true, false) => quote!(#rt::__private::take_member::<_, D::Error>(&mut members, #wire)?),
                (false, false) => quote!(#rt::__private::take_optional_member::<_, D::Error>(&mut members, #wire)?),
                (true, true) => quote!(#rt::__private::take_member::<#rt::__private::JsonInteger, D::Error>(&mut members, #wire)?.0),
                (false, true) => quote! {
                    #rt::__private::take_optional_member::<#rt::__private::JsonInteger, D::Error>(&mut members, #wire)?.map(|value| value.0)
                },
            };
            let ty = self.ty(&field.ty);
            let ty = if field.required {
                ty
            } else {
                quote!(::core::option::Option<#ty>)
            };
            quote!(let #local: #ty = #read;)
        });
        let builds = fields.iter().zip(&locals).map(|(field, local)| {
            let rust = ident(&field.rust);
            quote!(#rust: #local,)
        });
        let (body_read, body_build, body_write) = match bodies {
            Some(bodies) => {
                // Lowering made the tag a required string member.
                let tag = fields
                    .iter()
                    .zip(&locals)
                    .find(|(field, _)| field.wire == bodies.tag)
                    .map(|(_, local)| quote!(#local));
                let tag = tag.unwrap_or_else(|| quote!(::std::string::String::new()));
                (
                    Some(self.body_read(bodies, &tag)),
                    Some(quote!(body,)),
                    Some(self.body_write(bodies)),
                )
            }
            None => (None, None, None),
        };
        quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    let mut map = serializer.serialize_map(::core::option::Option::None)?;
                    #(#writes)*
                    #body_write
                    for (key, value) in &self.extra {
                        ::serde::ser::SerializeMap::serialize_entry(&mut map, key, value)?;
                    }
                    ::serde::ser::SerializeMap::end(map)
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    let mut members = #rt::__private::raw_members(deserializer)?;
                    #(#reads)*
                    #body_read
                    ::core::result::Result::Ok(#name {
                        #(#builds)*
                        #body_build
                        extra: members,
                    })
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::Fixture;

    #[test]
    fn a_request_denies_unknown_members_and_refuses_null() {
        let code = Fixture::request(
            r#"{"type": "object", "additionalProperties": false,
                "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
                "required": ["name"]}"#,
        )
        .code_of("XRequest");
        assert!(code.contains("#[serde(deny_unknown_fields)]"), "{code}");
        assert!(!code.contains("#[non_exhaustive]"), "{code}");
        assert!(code.contains("pubname:::std::string::String,"), "{code}");
        assert!(
            code.contains("pubage:::core::option::Option<i64>,"),
            "{code}"
        );
        assert!(code.contains(r#"deserialize_with="::klavi_types::__private::some_json_integer""#));
        assert!(
            code.contains("pubfnnew(name:impl::core::convert::Into<::std::string::String>)->Self")
        );
        assert!(code.contains("pubfnwith_age("), "{code}");
    }

    #[test]
    fn a_response_is_non_exhaustive_and_reads_aliases_without_fields_for_them() {
        let code = Fixture::request(
            r#"{"type": "object", "properties": {
                "eventId": {"type": "string", "x-klavi-aliases": ["eventID"]},
                "eventID": {"type": "string"}}}"#,
        )
        .code_of("XRequest");
        assert!(code.contains("#[non_exhaustive]"), "{code}");
        assert!(!code.contains("deny_unknown_fields"), "{code}");
        assert!(
            code.contains(r#"rename="eventId",alias="eventID","#),
            "{code}"
        );
        assert!(code.contains("pubevent_id:"), "{code}");
        assert!(!code.contains("pubevent_i_d:"), "{code}");
    }

    #[test]
    fn undeclared_members_are_kept_in_extra_when_the_schema_says_so() {
        let code = Fixture::request(
            r#"{"type": "object", "additionalProperties": true,
                "properties": {"a": {"type": "string"}}}"#,
        )
        .code_of("XRequest");
        assert!(code.contains("pubextra:"), "{code}");
        let raw = Fixture::request(
            r#"{"type": "object", "additionalProperties": true, "x-klavi-raw": true,
                "properties": {"a": {"type": "string"}}}"#,
        )
        .code_of("XRequest");
        assert!(raw.contains("pubextra:::std::collections::BTreeMap<::std::string::String,::klavi_types::RawJson>"), "{raw}");
    }
}
