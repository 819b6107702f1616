//! The klavi-rs schema language as a library: **load** the endpoint index and every JSON Schema
//! it reaches, **check** that every keyword and format is supported, build the **model** (the
//! Rust types, rules and endpoints the schemas describe), and **emit** Rust tokens.
//!
//! It has no `proc_macro` dependency, so every phase is unit-testable and tools (the `klavi`
//! CLI, snapshot tests) reuse it; `klavi-derive` is a thin macro over [`generate`].
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

pub mod bundle;
pub mod check;
pub mod docs;
pub mod emit;
pub mod error;
pub mod index;
pub mod load;
pub mod lower;
pub mod model;
pub mod names;
pub mod pointer;

pub use emit::EmitOptions;
pub use error::{SchemaError, SchemaErrorKind, SchemaErrors};

use proc_macro2::TokenStream;

/// The output of [`generate`].
#[derive(Debug)]
pub struct Generated {
    /// The model the tokens were emitted from.
    pub model: model::Model,
    /// The generated items.
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
    let mut model = lower::lower(&documents)?;
    bundle::bundle_all(&documents, &mut model);
    let tokens = emit::emit(&model, options);
    Ok(Generated { model, tokens })
}
