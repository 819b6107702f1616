//! `CheckJson` impls: the compiled check of each type, reading JSON text straight from a
//! borrowing reader and recording every violation with the code the diagnostics give for the
//! same keyword. Straight-line code per type: a `match` on each member name, the value checks of
//! its type inline, then the required members and the rules across members.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Emitter;
use crate::model::{
    Bodies, Check, Fallback, Field, FieldRole, IntVariant, Rule, RuntimeType, Ty, TyKind, TypeBody,
    TypeDef, UnionVariant, UnknownFields, Variant,
};

impl Emitter<'_> {
    pub(crate) fn check_impl(&self, def: &TypeDef) -> TokenStream {
        let rt = &self.rt;
        let name = format_ident!("{}", def.name);
        let c = quote!(#rt::__private::check);
        let body = match &def.body {
            TypeBody::Struct {
                fields,
                unknown,
                rules,
                bodies,
            } => self.check_struct(fields, *unknown, rules, bodies.as_ref()),
            TypeBody::Enum { variants, fallback } => self.check_enum(variants, fallback.as_ref()),
            TypeBody::IntEnum { variants, fallback } => {
                self.check_int_enum(variants, fallback.as_ref())
            }
            TypeBody::ExclusiveMap {
                key,
                key_ty,
                value_ty,
                ..
            } => self.check_exclusive_map(key, key_ty, value_ty),
            TypeBody::Newtype(inner) => self.check_value(inner, &quote!(at)),
            TypeBody::TaggedUnion {
                tag,
                variants,
                fallback,
            } => self.check_union(tag, variants, fallback.as_ref()),
        };
        let accepts = match &def.body {
            TypeBody::Enum { variants, fallback } => {
                let test = self.enum_accepts(variants, fallback.as_ref());
                quote! {
                    fn accepts_str(text: &#c::JsonStr<'_>) -> bool {
                        #test
                    }
                }
            }
            _ => TokenStream::new(),
        };
        quote! {
            impl #rt::check::CheckJson for #name {
                fn check_json_at(
                    r: &mut #c::Reader<'_>,
                    at: &#rt::validation::Path<'_>,
                    out: &mut #rt::ValidationErrors,
                ) -> #c::Read<()> {
                    #body
                    ::core::result::Result::Ok(())
                }
                #accepts
            }
        }
    }

    fn c(&self) -> TokenStream {
        let rt = &self.rt;
        quote!(#rt::__private::check)
    }

    /// Statements checking the next value of the reader as `ty`, at the path expression `at`.
    fn check_value(&self, ty: &Ty, at: &TokenStream) -> TokenStream {
        let c = self.c();
        let string_checks = |text: &TokenStream| -> TokenStream {
            let each = ty.checks.iter().filter_map(|check| {
                let message = self.check_message(check);
                match check {
                    Check::MinLength(n) => {
                        Some(quote!(#c::min_length(&#text, #n, #message, &#at, out);))
                    }
                    Check::MaxLength(n) => {
                        Some(quote!(#c::max_length(&#text, #n, #message, &#at, out);))
                    }
                    _ => None,
                }
            });
            quote!(#(#each)*)
        };
        let has_string_checks = ty
            .checks
            .iter()
            .any(|c| matches!(c, Check::MinLength(_) | Check::MaxLength(_)));
        match &ty.kind {
            TyKind::String => {
                if has_string_checks {
                    let checks = string_checks(&quote!(text));
                    quote! {
                        if let ::core::option::Option::Some(text) = #c::string(r, &#at, out)? {
                            #checks
                        }
                    }
                } else {
                    quote!(#c::text(r, &#at, out)?;)
                }
            }
            TyKind::Bool => quote!(#c::boolean(r, &#at, out)?;),
            TyKind::Integer => {
                let bounds = ty.checks.iter().filter_map(|check| {
                    let message = self.check_message(check);
                    match check {
                        Check::Minimum(n) => {
                            Some(quote!(#c::minimum(value, #n, #message, &#at, out);))
                        }
                        Check::Maximum(n) => {
                            Some(quote!(#c::maximum(value, #n, #message, &#at, out);))
                        }
                        _ => None,
                    }
                });
                quote! {
                    let value = #c::integer(r, &#at, out)?;
                    let _ = value;
                    #(#bounds)*
                }
            }
            TyKind::Json => quote!(#c::any(r, &#at, out)?;),
            TyKind::JsonObject => quote!(#c::any_object(r, &#at, out)?;),
            TyKind::Runtime(runtime) => {
                let check = runtime_check(*runtime);
                let check = format_ident!("{check}");
                if has_string_checks && runtime.is_string() {
                    // The format first, then the lengths, on the one string read.
                    let checks = string_checks(&quote!(text));
                    quote! {
                        let position = r.position();
                        if r.peek()? == #c::Kind::String {
                            let text = r.string()?;
                            #checks
                        }
                        r.rewind(position);
                        #c::#check(r, &#at, out)?;
                    }
                } else {
                    quote!(#c::#check(r, &#at, out)?;)
                }
            }
            TyKind::Named(id) => {
                let path = self.named_path(id);
                let rt = &self.rt;
                quote!(<#path as #rt::check::CheckJson>::check_json_at(r, &#at, out)?;)
            }
            TyKind::Vec(item) => self.check_array(ty, item, at),
            TyKind::Map(key, value) => self.check_map(key, value, at),
            TyKind::OneOrMany(item) => {
                let array = self.check_array(&Ty::plain(ty.kind.clone()), item, at);
                let one = self.check_value(item, at);
                quote! {
                    if r.peek()? == #c::Kind::Array {
                        #array
                    } else {
                        #one
                    }
                }
            }
        }
    }

    /// An array of `item`, with the array checks of `ty`.
    fn check_array(&self, ty: &Ty, item: &Ty, at: &TokenStream) -> TokenStream {
        let c = self.c();
        let item_check = self.check_value(item, &quote!(at));
        let alone = ty.checks.iter().find_map(|check| match check {
            Check::AloneItem(item) => Some((item.as_str(), self.check_message(check))),
            _ => None,
        });
        let (alone_state, alone_test, alone_check) = match alone {
            Some((value, message)) => (
                quote!(let mut alone_seen = false;),
                quote! {
                    if #c::peek_equals(r, &#c::Literal::Str(#value))? {
                        alone_seen = true;
                    }
                },
                quote! {
                    if alone_seen && count > 1 {
                        out.add(&#at, "mutually_exclusive", #message);
                    }
                },
            ),
            None => (TokenStream::new(), TokenStream::new(), TokenStream::new()),
        };
        let counts = ty.checks.iter().filter_map(|check| {
            let message = self.check_message(check);
            match check {
                Check::MinItems(n) => Some(quote!(#c::min_items(count, #n, #message, &#at, out);)),
                Check::MaxItems(n) => Some(quote!(#c::max_items(count, #n, #message, &#at, out);)),
                _ => None,
            }
        });
        quote! {
            if r.peek()? == #c::Kind::Array {
                let mut walk = r.begin_array()?;
                let mut count = 0usize;
                #alone_state
                while r.next_item(&mut walk)? {
                    #alone_test
                    {
                        let at = #at.index(count);
                        #item_check
                    }
                    count += 1;
                }
                let _ = count;
                #(#counts)*
                #alone_check
            } else {
                #c::wrong_type(r, &#at, out, "array")?;
            }
        }
    }

    /// A map from keys of `key` to values of `value`.
    fn check_map(&self, key: &Ty, value: &Ty, at: &TokenStream) -> TokenStream {
        let c = self.c();
        let value_check = self.check_value(value, &quote!(at));
        let key_test = self.key_test(key, &quote!(name));
        let key_check = key_test.map(|test| {
            quote! {
                if !(#test) {
                    #c::invalid_key(&#at, &name, out);
                }
            }
        });
        quote! {
            if r.peek()? == #c::Kind::Object {
                let mut walk = r.begin_object()?;
                let mut names = r.names();
                while let ::core::option::Option::Some(name) = r.next_member(&mut walk)? {
                    if names.repeats(name) {
                        #c::duplicate(&#at, &name, out);
                    }
                    #key_check
                    let key = name.text();
                    let at = #at.key(&key);
                    #value_check
                }
            } else {
                #c::wrong_type(r, &#at, out, "object")?;
            }
        }
    }

    /// A test that the string `name` is a key of type `key`, or `None` when any string is.
    fn key_test(&self, key: &Ty, name: &TokenStream) -> Option<TokenStream> {
        let c = self.c();
        let rt = &self.rt;
        match &key.kind {
            TyKind::String => None,
            TyKind::Named(id) => {
                let path = self.named_path(id);
                Some(quote!(<#path as #rt::check::CheckJson>::accepts_str(&#name)))
            }
            TyKind::Runtime(runtime) => {
                let accepts = format_ident!("accepts_{}", runtime_check(*runtime));
                Some(quote!(#c::#accepts(&#name)))
            }
            _ => Some(quote!(false)),
        }
    }

    fn check_struct(
        &self,
        fields: &[Field],
        unknown: UnknownFields,
        rules: &[Rule],
        bodies: Option<&Bodies>,
    ) -> TokenStream {
        let c = self.c();
        let members = Members::new(self, fields, rules, "seen");
        let arms = members.arms();
        let finish = members.finish();
        let state = members.state();
        let unknown_names: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
        let on_unknown = if unknown == UnknownFields::Deny {
            quote! {
                #c::unknown_member(at, &name, &[#(#unknown_names),*], out);
            }
        } else {
            TokenStream::new()
        };
        let other = quote! {
            if names.repeats(name) {
                #c::duplicate(at, &name, out);
            }
            #on_unknown
            let key = name.text();
            r.skip(&at.key(&key), out)?;
        };
        let (choose, other, body_finish) = match bodies {
            Some(bodies) => self.with_bodies(bodies, other),
            None => (TokenStream::new(), other, TokenStream::new()),
        };
        // Escaped names are decoded into a buffer as long as the longest known name: a longer
        // one is none of them.
        let longest = fields
            .iter()
            .map(|f| f.wire.len())
            .chain(
                bodies
                    .iter()
                    .flat_map(|b| &b.variants)
                    .flat_map(|v| &v.members)
                    .map(String::len),
            )
            .max()
            .unwrap_or(0);
        if bodies.is_some() {
            return quote! {
                if r.peek()? != #c::Kind::Object {
                    return #c::wrong_type(r, at, out, "object");
                }
                #choose
                let mut walk = r.begin_object()?;
                let mut names = r.names();
                #state
                let mut buffer = [0u8; #longest];
                while let ::core::option::Option::Some(name) = r.next_member(&mut walk)? {
                    let key = name.key(&mut buffer);
                    match key {
                        #arms
                        _ => { #other }
                    }
                }
                #finish
                #body_finish
            };
        }
        // Members are expected in the order the schema declares them (the order these types
        // serialize in): the name after the last one met is compared where the reader stands,
        // in one go, before the name is read and matched.
        // `Expected::new` refuses a name JSON would write escaped: it is then read as any other.
        let expected = fields.iter().map(|field| {
            let quoted = format!("\"{}\"", field.wire);
            let bytes = proc_macro2::Literal::byte_string(quoted.as_bytes());
            quote!(#c::Expected::new(#bytes))
        });
        let count = fields.len();
        let by_index = members.arms_by_index();
        let indices = members.indices();
        quote! {
            if r.peek()? != #c::Kind::Object {
                return #c::wrong_type(r, at, out, "object");
            }
            const EXPECTED: [#c::Expected; #count] = [#(#expected),*];
            let mut walk = r.begin_object()?;
            let mut names = r.names();
            #state
            let mut buffer = [0u8; #longest];
            let mut next = 0usize;
            loop {
                let index: usize = match r.next_member_expecting(&mut walk, EXPECTED.get(next))? {
                    #c::Member::End => break,
                    #c::Member::Expected => next,
                    #c::Member::Other(name) => {
                        let key = name.key(&mut buffer);
                        match key {
                            #indices
                            _ => {
                                #other
                                continue;
                            }
                        }
                    }
                };
                next = index + 1;
                match index {
                    #by_index
                    _ => {}
                }
            }
            #finish
        }
    }

    /// The body a struct chooses by its tag: found first (the tag may come after the body's
    /// members), then its members are checked where the struct meets them, and its required
    /// members and rules after the walk. Returns the choice, the handling of a member the
    /// struct does not declare, and the body's final checks.
    fn with_bodies(
        &self,
        bodies: &Bodies,
        other: TokenStream,
    ) -> (TokenStream, TokenStream, TokenStream) {
        let c = self.c();
        let tag = &bodies.tag;
        let choices = bodies.variants.iter().enumerate().map(|(i, variant)| {
            let values = &variant.tag_values;
            quote!(#(#values)|* => #i,)
        });
        let mut states = Vec::new();
        let mut finishes = Vec::new();
        let mut dispatch = Vec::new();
        for (i, variant) in bodies.variants.iter().enumerate() {
            let Some(TypeBody::Struct { fields, rules, .. }) =
                self.model.get(&variant.ty).map(|d| &d.body)
            else {
                continue;
            };
            let members = Members::new(self, fields, rules, &format!("body_seen_{i}"));
            states.push(members.state());
            let finish = members.finish();
            finishes.push(quote!(#i => { #finish }));
            let arms = members.arms();
            dispatch.push(quote! {
                #i => match key {
                    #arms
                    _ => { #other }
                },
            });
        }
        let choose = quote! {
            let chosen: usize = match #c::find_tag(r, #tag)? {
                ::core::option::Option::Some(tag) => match &*tag.text() {
                    #(#choices)*
                    _ => usize::MAX,
                },
                ::core::option::Option::None => usize::MAX,
            };
            #(#states)*
        };
        let other = quote! {
            match chosen {
                #(#dispatch)*
                _ => { #other }
            }
        };
        let finish = quote! {
            match chosen {
                #(#finishes)*
                _ => {}
            }
        };
        (choose, other, finish)
    }

    /// A string enumeration: a string that is one of its values (or that its fallback takes).
    fn check_enum(&self, variants: &[Variant], fallback: Option<&Fallback>) -> TokenStream {
        let c = self.c();
        let accepted = self.enum_accepts(variants, fallback);
        quote! {
            let kind = r.peek()?;
            if kind != #c::Kind::String {
                return #c::type_not_allowed(r, at, out, kind);
            }
            let text = &r.string()?;
            let accepted = { #accepted };
            if !accepted {
                #c::not_allowed(at, out);
            }
        }
    }

    /// Whether `text` (a `JsonStr`) is a value of the enumeration.
    fn enum_accepts(&self, variants: &[Variant], fallback: Option<&Fallback>) -> TokenStream {
        let c = self.c();
        let rt = &self.rt;
        let wires = variants.iter().map(|v| v.wire.as_str());
        let known = quote!(false #(|| text.equals(#wires))*);
        match fallback.map(|f| &f.ty.kind) {
            None => known,
            Some(TyKind::String) => quote!(true),
            Some(TyKind::Named(id)) => {
                let path = self.named_path(id);
                quote!(#known || <#path as #rt::check::CheckJson>::accepts_str(text))
            }
            Some(TyKind::Runtime(runtime)) => {
                let accepts = format_ident!("accepts_{}", runtime_check(*runtime));
                quote!(#known || #c::#accepts(text))
            }
            Some(_) => quote!(::core::compile_error!(
                "klavi-schema: an enumeration's fallback must be a string type"
            )),
        }
    }

    /// An integer enumeration: a whole number, one of its values unless it is open.
    fn check_int_enum(&self, variants: &[IntVariant], fallback: Option<&Fallback>) -> TokenStream {
        let c = self.c();
        let values = variants.iter().map(|v| v.value);
        let closed = fallback.is_none().then(|| {
            quote! {
                if let ::core::option::Option::Some(value) = value {
                    if !matches!(value, #(#values)|*) {
                        #c::not_allowed(at, out);
                    }
                }
            }
        });
        quote! {
            let value = #c::int_enum(r, at, out)?;
            let _ = value;
            #closed
        }
    }

    /// A map in which one key excludes every other.
    fn check_exclusive_map(&self, key: &str, key_ty: &Ty, value_ty: &Ty) -> TokenStream {
        let c = self.c();
        let rt = &self.rt;
        let value_check = self.check_value(value_ty, &quote!(at));
        let key_test = self
            .key_test(key_ty, &quote!(name))
            .unwrap_or_else(|| quote!(true));
        quote! {
            if r.peek()? != #c::Kind::Object {
                return #c::wrong_type(r, at, out, "object");
            }
            let mut walk = r.begin_object()?;
            let mut names = r.names();
            let mut exclusive = false;
            let mut distinct = 0usize;
            while let ::core::option::Option::Some(name) = r.next_member(&mut walk)? {
                if names.repeats(name) {
                    #c::duplicate(at, &name, out);
                } else {
                    distinct += 1;
                }
                if name.equals(#key) {
                    exclusive = true;
                } else if !(#key_test) {
                    #c::invalid_key(at, &name, out);
                }
                let key = name.text();
                let at = at.key(&key);
                #value_check
            }
            if exclusive && distinct > 1 {
                #c::exclusive_key(at, #rt::__check_message!(exclusive_key, #key), out);
            }
        }
    }

    /// A union of object types told apart by a tag member. With a catch-all, any object is
    /// one; without, an object its tag's variant refuses is none of the values.
    fn check_union(
        &self,
        tag: &str,
        variants: &[UnionVariant],
        fallback: Option<&Fallback>,
    ) -> TokenStream {
        let c = self.c();
        let rt = &self.rt;
        if fallback.is_some() {
            return quote! {
                let kind = r.peek()?;
                if kind != #c::Kind::Object {
                    return #c::type_not_allowed(r, at, out, kind);
                }
                r.skip(at, out)?;
            };
        }
        let arms = variants.iter().map(|variant| {
            let value = &variant.tag_value;
            let path = self.named_path(&variant.ty);
            quote! {
                #value => <#path as #rt::check::CheckJson>::check_json_at(r, at, &mut found)?,
            }
        });
        quote! {
            let kind = r.peek()?;
            if kind != #c::Kind::Object {
                return #c::type_not_allowed(r, at, out, kind);
            }
            let mut found = #rt::ValidationErrors::new();
            let refused = match #c::find_tag(r, #tag)? {
                ::core::option::Option::Some(tag) => match &*tag.text() {
                    #(#arms)*
                    _ => r.skip(at, &mut found)?,
                },
                ::core::option::Option::None => r.skip(at, &mut found)?,
            };
            let _ = refused;
            #c::union_refused(at, found, out);
        }
    }
}

/// The value check of a runtime type (the name of its function in `__private::check`).
fn runtime_check(runtime: RuntimeType) -> &'static str {
    match runtime {
        RuntimeType::Cpf => "cpf",
        RuntimeType::Cnpj => "cnpj",
        RuntimeType::Email => "email",
        RuntimeType::AbsoluteUri => "absolute_uri",
        RuntimeType::HttpUrl => "http_url",
        RuntimeType::UtcDateTime => "utc_date_time",
        RuntimeType::Seconds => "seconds",
        RuntimeType::ProductName => "product_name",
        RuntimeType::Amount => "amount",
        RuntimeType::PersonalObject => "any_object",
        RuntimeType::UnverifiedCpf
        | RuntimeType::UnverifiedCnpj
        | RuntimeType::UnverifiedTaxId
        | RuntimeType::DateText
        | RuntimeType::DateTimeText
        | RuntimeType::Secret
        | RuntimeType::PersonalData => "text",
    }
}

/// The declared members of a struct (or of a body it chooses): their match arms, the flags
/// that say which were met, and the checks after the walk.
struct Members<'e, 'm> {
    emitter: &'e Emitter<'m>,
    fields: &'e [Field],
    rules: &'e [Rule],
    seen: proc_macro2::Ident,
}

impl<'e, 'm> Members<'e, 'm> {
    fn new(emitter: &'e Emitter<'m>, fields: &'e [Field], rules: &'e [Rule], seen: &str) -> Self {
        Members {
            emitter,
            fields,
            rules,
            seen: format_ident!("{seen}"),
        }
    }

    /// The flags, and the state of each conditional rule (whether its member equals the value).
    fn state(&self) -> TokenStream {
        let seen = &self.seen;
        // One bit per member, in words kept in registers (a `bool` array stored byte by byte
        // and read back wider stalled on store forwarding).
        let words = self.fields.len().div_ceil(64).max(1);
        let flags = self.conditionals().map(|(k, _, _)| {
            let flag = self.conditional_flag(k);
            quote!(let mut #flag = false;)
        });
        quote! {
            let mut #seen = [0u64; #words];
            #(#flags)*
        }
    }

    /// The conditional rules: (rule index, member index, JSON literal).
    fn conditionals(&self) -> impl Iterator<Item = (usize, usize, &'e str)> + '_ {
        self.rules
            .iter()
            .enumerate()
            .filter_map(|(k, rule)| match rule {
                Rule::Conditional { field, value, .. } => Some((k, *field, value.as_str())),
                _ => None,
            })
    }

    fn conditional_flag(&self, rule: usize) -> proc_macro2::Ident {
        format_ident!("{}_condition_{rule}", self.seen)
    }

    /// One arm per declared name.
    fn arms(&self) -> TokenStream {
        let arms = self.fields.iter().zip(self.bodies()).map(|(field, body)| {
            let bytes = proc_macro2::Literal::byte_string(field.wire.as_bytes());
            quote!(#bytes => #body)
        });
        quote!(#(#arms)*)
    }

    /// One arm per declared member, by its index.
    fn arms_by_index(&self) -> TokenStream {
        let arms = self
            .bodies()
            .into_iter()
            .enumerate()
            .map(|(i, body)| quote!(#i => #body));
        quote!(#(#arms)*)
    }

    /// The name of each declared member as a `match` arm giving its index.
    fn indices(&self) -> TokenStream {
        let arms = self.fields.iter().enumerate().map(|(i, field)| {
            let bytes = proc_macro2::Literal::byte_string(field.wire.as_bytes());
            quote!(#bytes => #i,)
        });
        quote!(#(#arms)*)
    }

    /// What is done with each declared member, in order.
    fn bodies(&self) -> Vec<TokenStream> {
        let c = self.emitter.c();
        let bodies = self.fields.iter().enumerate().map(|(i, field)| {
            let wire = &field.wire;
            let value = match &field.role {
                FieldRole::Tag(value) => quote! {
                    if !#c::peek_equals(r, &#c::Literal::Str(#value))? {
                        #c::not_allowed(&at, out);
                    }
                    r.skip(&at, out)?;
                },
                _ => self.emitter.check_value(&field.ty, &quote!(at)),
            };
            // A member and one of its `x-klavi-aliases` spellings both fill one field: the
            // typed reader refuses the pair as the member given twice.
            let collisions = self.partners(i).map(|(partner, member)| {
                let partner_seen = self.is_seen(partner);
                quote! {
                    if #partner_seen {
                        #c::duplicate_spelling(at, #member, out);
                    }
                }
            });
            // An alias spelling given twice is, to the typed reader, its member given twice.
            let repeated_alias = self
                .partners(i)
                .find(|(_, member)| *member != wire)
                .map(|(_, member)| quote!(#c::duplicate_spelling(at, #member, out);));
            let records = self
                .conditionals()
                .filter(|(_, member, _)| *member == i)
                .map(|(k, _, literal)| {
                    let flag = self.conditional_flag(k);
                    let literal = self.literal(literal);
                    quote!(#flag = #c::peek_equals(r, &#literal)?;)
                });
            let is_seen = self.is_seen(i);
            let mark = self.mark(i);
            quote! {
                {
                    if #is_seen {
                        #c::duplicate_declared(at, #wire, out);
                        #repeated_alias
                    }
                    #mark
                    #(#collisions)*
                    let at = at.key(#wire);
                    #(#records)*
                    #value
                }
            }
        });
        bodies.collect()
    }

    /// For each member of `required` that was not met, the statement `report` makes of its
    /// wire name.
    fn each_missing(
        &self,
        required: &[usize],
        report: impl Fn(&str) -> TokenStream,
    ) -> TokenStream {
        let each = required.iter().map(|&index| {
            let is_seen = self.is_seen(index);
            let report = report(&self.fields[index].wire);
            quote! {
                if !#is_seen {
                    #report
                }
            }
        });
        quote!(#(#each)*)
    }

    /// Whether the member at `i` was met (its bit in the flags).
    fn is_seen(&self, i: usize) -> TokenStream {
        let seen = &self.seen;
        let word = i / 64;
        let mask = 1u64 << (i % 64);
        quote!((#seen[#word] & #mask != 0))
    }

    /// Records that the member at `i` was met.
    fn mark(&self, i: usize) -> TokenStream {
        let seen = &self.seen;
        let word = i / 64;
        let mask = 1u64 << (i % 64);
        quote!(#seen[#word] |= #mask;)
    }

    /// The other spellings of the field at `i` (its aliases, or the member it is an alias of):
    /// (their index, the member's wire name).
    fn partners(&self, i: usize) -> impl Iterator<Item = (usize, &'e str)> + '_ {
        let field = &self.fields[i];
        self.fields
            .iter()
            .enumerate()
            .filter_map(move |(j, other)| {
                if j == i {
                    None
                } else if field.aliases.contains(&other.wire) {
                    Some((j, field.wire.as_str()))
                } else if other.aliases.contains(&field.wire) {
                    Some((j, other.wire.as_str()))
                } else {
                    None
                }
            })
    }

    /// A JSON literal of a rule as a `Literal` of the runtime.
    fn literal(&self, json: &str) -> TokenStream {
        let c = self.emitter.c();
        match serde_json::from_str::<serde_json::Value>(json) {
            Ok(serde_json::Value::String(text)) => quote!(#c::Literal::Str(#text)),
            Ok(serde_json::Value::Number(n)) => {
                let n = n.as_f64().unwrap_or_default();
                quote!(#c::Literal::Number(#n))
            }
            Ok(serde_json::Value::Bool(b)) => quote!(#c::Literal::Bool(#b)),
            _ => quote!(::core::compile_error!(
                "klavi-schema: a condition compares with a string, a number or a boolean"
            )),
        }
    }

    /// Required members and rules, after the walk.
    fn finish(&self) -> TokenStream {
        let rules = self.rules;
        let c = self.emitter.c();
        let rt = &self.emitter.rt;
        let required = self
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.required)
            .map(|(i, f)| {
                let wire = &f.wire;
                let is_seen = self.is_seen(i);
                quote! {
                    if !#is_seen {
                        #c::required(at, #wire, #rt::__check_message!(required, #wire), out);
                    }
                }
            });
        let rules = rules.iter().enumerate().map(|(k, rule)| match rule {
            Rule::Dependent { trigger, required } => {
                let trigger_wire = &self.fields[*trigger].wire;
                let trigger_seen = self.is_seen(*trigger);
                let each = self.each_missing(required, |wire| {
                    quote! {
                        #rt::__private::dependent_required(
                            at,
                            #wire,
                            #rt::__check_message!(dependent_required, #wire, #trigger_wire),
                            out,
                        );
                    }
                });
                quote! {
                    if #trigger_seen {
                        #each
                    }
                }
            }
            Rule::AnyOf(alternatives) => {
                super::validate::any_of_check(rt, self.fields, alternatives, |index| {
                    self.is_seen(index)
                })
            }
            Rule::Conditional {
                field,
                value,
                required,
            } => {
                let shown = super::validate::condition_text(&self.fields[*field], value);
                let flag = self.conditional_flag(k);
                let field_seen = self.is_seen(*field);
                let each = self.each_missing(required, |wire| {
                    quote! {
                        #rt::__private::dependent_required(
                            at,
                            #wire,
                            #rt::__check_message!(conditional_required, #wire, #shown),
                            out,
                        );
                    }
                });
                quote! {
                    if #field_seen && #flag {
                        #each
                    }
                }
            }
        });
        quote! {
            #(#required)*
            #(#rules)*
        }
    }
}
