//! Unit-test support: small schemas held in memory, lowered (and emitted) through the real
//! pipeline, so that each `lower/` and `emit/` file tests its shape on a fixture of a few lines.

use std::fmt::Write as _;

use crate::emit::{EmitOptions, Emitter};
use crate::error::SchemaErrors;
use crate::load::{MemorySource, load};
use crate::model::{Model, TypeBody};

/// A one-endpoint index (`demo` module, endpoint `x`) with its message schemas and the shared
/// definitions file `demo/defs.json`.
pub(crate) struct Fixture {
    method: &'static str,
    path: &'static str,
    messages: Vec<(&'static str, String)>,
    defs: String,
}

impl Fixture {
    /// `POST /demo` with `schema` as its request.
    pub fn request(schema: &str) -> Fixture {
        Fixture {
            method: "POST",
            path: "/demo",
            messages: vec![("request", schema.to_owned())],
            defs: r#"{"$defs": {}}"#.to_owned(),
        }
    }

    /// `POST /demo` whose request has one member referring to the definition `name` of
    /// `demo/defs.json`, which is `schema`: how a shared definition is met.
    pub fn definition(name: &str, schema: &str) -> Fixture {
        Fixture::request(&format!(
            r#"{{"type": "object", "properties": {{"m": {{"$ref": "defs.json#/$defs/{name}"}}}}}}"#
        ))
        .defs(&format!(r#"{{"$defs": {{"{name}": {schema}}}}}"#))
    }

    /// `GET path` with no message yet.
    pub fn get(path: &'static str) -> Fixture {
        Fixture {
            method: "GET",
            path,
            messages: Vec::new(),
            defs: r#"{"$defs": {}}"#.to_owned(),
        }
    }

    /// Adds the message of `kind` (`path`, `query`, `request`, `response`).
    pub fn with(mut self, kind: &'static str, schema: &str) -> Fixture {
        self.messages.push((kind, schema.to_owned()));
        self
    }

    /// Sets `demo/defs.json`.
    pub fn defs(mut self, defs: &str) -> Fixture {
        self.defs = defs.to_owned();
        self
    }

    /// Loads, checks and lowers the fixture.
    pub fn lower(&self) -> Result<Model, SchemaErrors> {
        let mut messages = String::new();
        let mut files = vec![("demo/defs.json".to_owned(), self.defs.clone())];
        for (i, (kind, schema)) in self.messages.iter().enumerate() {
            let file = format!("demo/x.{kind}.json");
            let comma = if i == 0 { "" } else { ", " };
            write!(messages, r#"{comma}"{kind}": "{file}""#).expect("a String takes writes");
            files.push((file, schema.clone()));
        }
        let index = format!(
            r#"{{"modules": {{"demo": "Demo."}}, "endpoints": [
              {{"id": "x", "title": "X", "description": "X.", "method": "{}", "path": "{}",
               "token": "none", "module": "demo", "docs": "https://example.com",
               "messages": {{{messages}}}}}]}}"#,
            self.method, self.path
        );
        files.push(("endpoints.json".to_owned(), index));
        let mut source = MemorySource::new(files);
        let documents = load(&mut source, "endpoints.json")?;
        crate::check::check(&documents)?;
        crate::lower::lower(&documents)
    }

    /// The code of the generated type `name` (its definition and impls), without whitespace.
    pub fn code_of(&self, name: &str) -> String {
        let model = self
            .lower()
            .unwrap_or_else(|errors| panic!("the fixture must lower:\n{errors}"));
        let def = model
            .types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no type `{name}`"));
        compact(&emitter(&model).type_def(def))
    }

    /// The code of everything the fixture generates, without whitespace.
    pub fn code(&self) -> String {
        let model = self
            .lower()
            .unwrap_or_else(|errors| panic!("the fixture must lower:\n{errors}"));
        compact(&crate::emit::emit(&model, &EmitOptions::default()))
    }
}

/// An emitter of `model` with the default options.
pub(crate) fn emitter(model: &Model) -> Emitter<'_> {
    Emitter::new(model, &EmitOptions::default())
}

/// Tokens as text without any whitespace (`#[serde(deny_unknown_fields)]`), for `contains`
/// checks that do not depend on formatting. The tokens must parse as a Rust file.
pub(crate) fn compact(tokens: &proc_macro2::TokenStream) -> String {
    syn::parse2::<syn::File>(tokens.clone()).expect("generated code parses as a Rust file");
    tokens.to_string().split_whitespace().collect()
}

/// Checks and lowers `schema` as the request of the fixture endpoint.
pub(crate) fn lower_one(schema: &str) -> Result<Model, SchemaErrors> {
    Fixture::request(schema).lower()
}

/// The body of the type named `name`.
pub(crate) fn body<'m>(model: &'m Model, name: &str) -> &'m TypeBody {
    match model.types.iter().find(|t| t.name == name) {
        Some(def) => &def.body,
        None => panic!(
            "no type `{name}` in {:?}",
            model.types.iter().map(|t| &t.name).collect::<Vec<_>>()
        ),
    }
}

/// The (pointer, message) of every error, for assertions.
pub(crate) fn errors(result: Result<Model, SchemaErrors>) -> Vec<(String, String)> {
    match result {
        Ok(_) => panic!("expected errors"),
        Err(errors) => errors
            .0
            .into_iter()
            .map(|e| (e.pointer, e.message))
            .collect(),
    }
}
