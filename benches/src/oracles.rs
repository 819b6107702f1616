//! The `jsonschema` crate on the same bundled schemas the types were generated from, as a Rust
//! team would use it: the runtime validator (`jsonschema::options()…build`) and the
//! compile-time one (`#[jsonschema::validator(path = …)]`), both with formats checked and
//! `cpf`/`cnpj` given the same check-digit functions the types use, so that only the way of
//! validating differs. `schemas/*.json` are the bundled schemas, kept equal to the registry's by
//! this crate's tests (`KLAVI_BLESS=1 cargo test -p klavi-bench` rewrites them).

use klavi_types::tax_id::{Cnpj, Cpf};

/// `format: cpf`, for the compile-time validators.
pub fn is_cpf(text: &str) -> bool {
    Cpf::is_valid(text)
}

/// `format: cnpj`, for the compile-time validators.
pub fn is_cnpj(text: &str) -> bool {
    Cnpj::is_valid(text)
}

/// The runtime validator of a message's bundled schema, compiled once by the caller.
pub fn runtime(message_id: &str) -> jsonschema::Validator {
    let info = klavi_types::registry::message(message_id)
        .unwrap_or_else(|| panic!("`{message_id}` is not a message"));
    let schema: serde_json::Value =
        serde_json::from_str(info.schema).expect("a bundled schema is JSON");
    klavi_types::diagnostics::validator_for(&schema).expect("a bundled schema compiles")
}

pub use compiled::{ConsentListSchema, CreateLinkSchema};

/// The compile-time validators; the macro's methods carry no docs.
#[allow(missing_docs)]
mod compiled {
    /// The compile-time validator of `create-link.request`.
    #[jsonschema::validator(
        path = "schemas/create-link.request.json",
        validate_formats = true,
        formats = { "cpf" => crate::oracles::is_cpf, "cnpj" => crate::oracles::is_cnpj }
    )]
    pub struct CreateLinkSchema;

    /// The compile-time validator of `get-consent-list.response`.
    #[jsonschema::validator(
        path = "schemas/get-consent-list.response.json",
        validate_formats = true,
        formats = { "cpf" => crate::oracles::is_cpf, "cnpj" => crate::oracles::is_cnpj }
    )]
    pub struct ConsentListSchema;
}
