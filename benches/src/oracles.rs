//! The `jsonschema` crate on the same bundled schemas the types were generated from, as a Rust
//! team would use it: the runtime validator (`jsonschema::options()…build`, 0.61) and the
//! compile-time one (`#[jsonschema::validator(path = …)]`, 0.60: its `jsonschema-macros` has
//! no later release), both with formats checked and
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
    #[jsonschema_compile_time::validator(
        path = "schemas/create-link.request.json",
        validate_formats = true,
        formats = { "cpf" => crate::oracles::is_cpf, "cnpj" => crate::oracles::is_cnpj }
    )]
    pub struct CreateLinkSchema;

    /// The compile-time validator of `get-consent-list.response`.
    #[jsonschema_compile_time::validator(
        path = "schemas/get-consent-list.response.json",
        validate_formats = true,
        formats = { "cpf" => crate::oracles::is_cpf, "cnpj" => crate::oracles::is_cnpj }
    )]
    pub struct ConsentListSchema;
}

/// `boon` (another JSON Schema 2020-12 validator) on a message's bundled schema, with format
/// assertions on and `cpf`/`cnpj` given the same check-digit functions (its own `email`, `uri`
/// and `date-time` checks are its own).
pub struct Boon {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Boon {
    /// Compiles the bundled schema of `message_id`.
    pub fn new(message_id: &str) -> Self {
        let info = klavi_types::registry::message(message_id)
            .unwrap_or_else(|| panic!("`{message_id}` is not a message"));
        let schema: serde_json::Value =
            serde_json::from_str(info.schema).expect("a bundled schema is JSON");
        let mut compiler = boon::Compiler::new();
        compiler.enable_format_assertions();
        compiler.register_format(boon::Format {
            name: "cpf",
            func: |v| string_format(v, Cpf::is_valid),
        });
        compiler.register_format(boon::Format {
            name: "cnpj",
            func: |v| string_format(v, Cnpj::is_valid),
        });
        let location = format!("urn:klavi:{message_id}");
        compiler
            .add_resource(&location, schema)
            .expect("boon takes the bundled schema");
        let mut schemas = boon::Schemas::new();
        let index = compiler
            .compile(&location, &mut schemas)
            .expect("boon compiles the bundled schema");
        Boon { schemas, index }
    }

    /// The verdict on `value`.
    pub fn is_valid(&self, value: &serde_json::Value) -> bool {
        self.schemas.validate(value, self.index).is_ok()
    }

    /// How many violations boon finds in `value`: the leaves of its error tree (each names one
    /// failed keyword at one place).
    pub fn count_errors(&self, value: &serde_json::Value) -> usize {
        fn leaves(error: &boon::ValidationError<'_, '_>) -> usize {
            if error.causes.is_empty() {
                1
            } else {
                error.causes.iter().map(leaves).sum()
            }
        }
        match self.schemas.validate(value, self.index) {
            Ok(()) => 0,
            Err(error) => leaves(&error),
        }
    }
}

/// A string format for boon: other JSON types pass (as JSON Schema's `format` does).
fn string_format(
    value: &serde_json::Value,
    check: fn(&str) -> bool,
) -> Result<(), Box<dyn std::error::Error>> {
    match value.as_str() {
        Some(text) if !check(text) => Err("not valid".into()),
        _ => Ok(()),
    }
}
