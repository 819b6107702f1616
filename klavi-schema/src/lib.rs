//! The klavi-rs schema language as a library: **load** the endpoint index and every JSON Schema
//! it reaches, **check** that every keyword and format is supported, build the **model** (the
//! Rust types, rules and endpoints the schemas describe), and **emit** Rust tokens.
//!
//! It has no `proc_macro` dependency, so every phase is unit-testable and tools (the `klavi`
//! CLI, snapshot tests) reuse it; `klavi-derive` is a thin macro over [`generate`].
//!
//! # The public API
//!
//! This crate is the generator behind `klavi-types`, published so that `klavi-derive` and
//! `klavi-cli` can depend on it; its versions move in lockstep with theirs. What it exports is
//! what a tool built around the Klavi schemas needs, and nothing of the pipeline's inside:
//!
//! * [`generate`] runs load → check → model → emit and returns the tokens ([`Generated`]),
//!   configured by [`EmitOptions`] (the path of the runtime crate the code calls);
//! * [`index`]: the endpoint index (`endpoints.json`) as typed values: modules, endpoints
//!   ([`index::EndpointSpec`]: method, path, token, message files) and standalone messages;
//! * [`load`]: where the schemas come from ([`load::Source`], with [`load::DirSource`] for a
//!   directory and [`load::MemorySource`] for tests) and [`load::load`], which reads the index
//!   and every schema it reaches into an opaque [`load::Documents`];
//! * reading what was loaded, for tools that inspect the schemas (the `klavi docs` subcommands
//!   of `klavi-cli` compare them with Klavi's published field tables): the index
//!   ([`load::Documents::index`]), the file its message paths are relative to
//!   ([`load::Documents::index_file`]), and a reference followed to the file and node it names,
//!   as the generator follows it ([`load::Documents::resolve_ref`]);
//! * [`SchemaError`], [`SchemaErrors`] and [`SchemaErrorKind`]: every problem, with the file and
//!   the JSON Pointer it is at.
//!
//! The model, the checks and the emitters are private: they change shape as the schemas grow
//! (the generated code is the stable contract, through `klavi-types`).
//!
//! ```
//! use klavi_schema::{generate, load::MemorySource, EmitOptions};
//!
//! let mut source = MemorySource::new([
//!     ("endpoints.json", r#"{"modules": {"demo": "A demo module."}, "endpoints": [
//!         {"id": "ping", "title": "Ping", "description": "Checks the service.", "method": "POST",
//!          "path": "/ping", "token": "none", "module": "demo", "docs": "https://example.com",
//!          "messages": {"request": "demo/ping.request.json"}}]}"#),
//!     ("demo/ping.request.json", r#"{"type": "object", "additionalProperties": false,
//!         "properties": {"name": {"type": "string", "minLength": 1}}}"#),
//! ]);
//! let generated = generate(&mut source, "endpoints.json", &EmitOptions::default()).unwrap();
//! assert!(generated.tokens.to_string().contains("pub struct PingRequest"));
//! ```
#![forbid(unsafe_code)]

mod bundle;
mod business_errors;
mod check;
mod emit;
pub mod error;
mod facts;
pub mod index;
mod keywords;
pub mod load;
mod lower;
mod model;
mod names;
mod pointer;
mod shape;
#[cfg(test)]
mod test_support;

pub use emit::EmitOptions;
pub use error::{SchemaError, SchemaErrorKind, SchemaErrors};

use proc_macro2::TokenStream;

/// The output of [`generate`].
#[derive(Debug)]
#[non_exhaustive]
pub struct Generated {
    /// The generated items: one module per schema module, the endpoint markers, the message
    /// registry and the bundled schemas.
    pub tokens: TokenStream,
}

/// Runs the whole pipeline: load → check → model → emit.
pub fn generate(
    source: &mut dyn load::Source,
    index_file: &str,
    options: &EmitOptions,
) -> Result<Generated, SchemaErrors> {
    let documents = load::load(source, index_file)?;
    check::check(&documents)?;
    let model = lower::lower(&documents)?;
    let tokens = emit::emit(&model, options);
    Ok(Generated { tokens })
}
