//! Building the validators: one `jsonschema` validator per message of the registry, with this
//! crate's runtime types as its format checks, compiled when the message is first checked.

use serde_json::Value;

use crate::formats::{AbsoluteUri, Email, UtcDateTime};
use crate::registry::MessageInfo;
use crate::tax_id::{Cnpj, Cpf};

/// A `jsonschema` validator for a schema of this crate. Every format the schemas use is checked
/// by this crate's own runtime type, so that the typed path and the diagnostics share one rule
/// per format and cannot disagree on a verdict: `cpf` ([`Cpf::is_valid`]), `cnpj`
/// ([`Cnpj::is_valid`]), `email` ([`Email::is_valid`]: punycode labels are accepted without
/// being decoded), `uri` ([`AbsoluteUri`]) and `date-time` ([`UtcDateTime`]: RFC 3339 in UTC).
/// Formats are asserted.
pub fn validator_for(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_format("cpf", Cpf::is_valid)
        .with_format("cnpj", Cnpj::is_valid)
        .with_format("email", Email::is_valid)
        .with_format("uri", |text: &str| AbsoluteUri::parse(text).is_ok())
        .with_format("date-time", |text: &str| UtcDateTime::parse(text).is_ok())
        .build(schema)
        .map_err(|error| error.to_string())
}

/// One message's compiled validator, with what mapping its errors needs.
pub(super) struct Compiled {
    /// The message: its typed check, and what the generator knows of it (member names,
    /// runtime types).
    pub(super) info: &'static MessageInfo,
    /// Its bundled schema, compiled.
    pub(super) validator: jsonschema::Validator,
    /// Its bundled schema.
    pub(super) schema: Value,
}

/// Compiles the bundled schema of `info`; the error says why it does not compile.
pub(super) fn compile(info: &'static MessageInfo) -> Result<Compiled, String> {
    let schema: Value = serde_json::from_str(info.schema)
        .map_err(|error| format!("its bundled schema is not JSON: {error}"))?;
    let validator = validator_for(&schema)?;
    Ok(Compiled {
        info,
        validator,
        schema,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_the_runtime_types() {
        let validator = validator_for(&serde_json::json!({"format": "cpf"})).unwrap();
        assert!(validator.is_valid(&serde_json::json!("52998224725")));
        assert!(!validator.is_valid(&serde_json::json!("52998224724")));
        let validator = validator_for(&serde_json::json!({"format": "date-time"})).unwrap();
        assert!(!validator.is_valid(&serde_json::json!("2024-01-01T00:00:00+01:00")));
    }

    #[test]
    fn every_message_of_the_registry_compiles() {
        for info in crate::registry::messages() {
            if let Err(reason) = compile(info) {
                panic!("{}: {reason}", info.id);
            }
        }
    }
}
