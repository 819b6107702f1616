//! Typed, validated request and response types for the Klavi Data API (Brazilian Open
//! Finance: links, consents, reports), generated at compile time from the JSON Schemas in this
//! package's `schemas/` directory (the repository's top-level `schemas/` is a link to it, so
//! there is one copy, and the packaged crate carries what it generates from).
//!
//! * **Strict on what you send**: request types reject unknown members, hold only valid tax ids
//!   ([`tax_id::Cpf`], [`tax_id::Cnpj`], including the alphanumeric CNPJ), URLs and e-mails,
//!   and [`Validate::validate`] reports every broken rule (`appLink` requires
//!   `appRedirectURLKey`, …) with its JSON Pointer, code and message.
//! * **Lenient on what you receive**: responses ignore unknown members, enums keep values they
//!   do not know, numbers may arrive as strings, and tax ids are kept exactly as sent.
//! * **Private by default**: CPFs, CNPJs, e-mails, phones and credentials are masked in every
//!   `Debug`, `Display` and error.
//! * **Checked without building**: [`check_json`] reads a payload's bytes once, with code
//!   generated per type, and returns every violation without allocating when it is valid (for
//!   gateways, JSON Lines batches, webhooks screened before they are stored).
//!
//! ```
//! use klavi_types::links::{CreateLinkRequest, ProductsCallbackUrl};
//! use klavi_types::Validate;
//!
//! let request = CreateLinkRequest::new()
//!     .with_personal_tax_id("280.012.389-38".parse::<klavi_types::tax_id::Cpf>()?)
//!     .with_redirect_url(klavi_types::formats::HttpUrl::parse("https://example.com/back")?)
//!     .with_products_callback_url(ProductsCallbackUrl::all(
//!         klavi_types::formats::HttpUrl::parse("https://example.com/reports")?,
//!     ));
//! request.validate()?;
//! let json = serde_json::to_string(&request)?;
//! assert!(json.contains(r#""personalTaxId":"28001238938""#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Cargo features
//!
//! None is enabled by default; each integrates a crate you may already use, re-exported here
//! so that you need no direct dependency on it:
//!
//! * `schemars`: [`schemars::JsonSchema`](https://docs.rs/schemars) for every type, returning
//!   the schema it is generated from;
//! * `validator`: [`validator::Validate`](https://docs.rs/validator) for every type, with the
//!   same violations as [`Validate`], one map entry per JSON Pointer;
//! * `diagnostics`: the `diagnostics` module, every violation of arbitrary JSON through the
//!   `jsonschema` crate (an independent second opinion; [`check_json`] gives the same list).
//!
//! [`serde_json`] and [`time`] are re-exported too: their types appear in this crate's API.
#![deny(unsafe_code)]
// docs.rs (and `RUSTDOCFLAGS="--cfg docsrs" cargo +nightly doc`) badges every item that needs
// a Cargo feature with the feature's name.
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate self as klavi_types;

pub mod check;
mod endpoint;
pub mod formats;
pub mod http_status;
mod member_name;
mod one_or_many;
mod parse;
pub mod personal;
mod raw_json;
pub mod registry;
#[cfg(feature = "schemars")]
mod schema_text;
pub mod secret;
mod simd;
pub mod suggest;
pub mod tax_id;
pub mod validation;
pub mod webhook_signature;

#[cfg(feature = "diagnostics")]
pub mod diagnostics;
#[cfg(feature = "openapi")]
pub mod openapi;

#[doc(hidden)]
#[path = "private/mod.rs"]
pub mod __private;

pub use check::{CheckJson, check_json};
pub use endpoint::{Empty, Endpoint, MessageKind, Method, TokenKind};
pub use one_or_many::OneOrMany;
pub use parse::{
    JsonSyntaxError, from_json, from_json_str, from_json_value, from_query_string, read_json,
};
pub use raw_json::RawJson;
pub use validation::{Validate, ValidationErrors, Violation};

// Crates whose types appear in this crate's API, re-exported so that a user's versions cannot
// drift from ours: `serde_json::Value` (raw members, `from_json_value`), `time::OffsetDateTime`
// (timestamps), and the optional integrations' crates (`diagnostics::validator_for` returns a
// `jsonschema::Validator`, `Amount::to_decimal` a `rust_decimal::Decimal`).
#[cfg(feature = "diagnostics")]
pub use jsonschema;
#[cfg(feature = "rust_decimal")]
pub use rust_decimal;
#[cfg(feature = "schemars")]
pub use schemars;
pub use serde_json;
pub use time;
#[cfg(feature = "validator")]
pub use validator;

klavi_derive::generate!(index = "schemas/endpoints.json");

#[cfg(test)]
mod shape_fixtures;

/// The README's Rust examples, compiled and run as doctests. The README is this package's own
/// (`klavi-types/README.md`; the repository's top-level README is a link to it).
#[cfg(doctest)]
#[doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))]
pub struct ReadmeDoctests;
