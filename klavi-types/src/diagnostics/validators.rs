//! Building the validators: one `jsonschema` validator per message of the registry, with this
//! crate's runtime types as its format checks, compiled once with the names the schema declares.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::formats::{AbsoluteUri, Email, UtcDateTime};
use crate::registry::{self, MessageInfo};
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
    /// The message (its typed check included).
    pub(super) info: &'static MessageInfo,
    /// Its bundled schema, compiled.
    pub(super) validator: jsonschema::Validator,
    /// Its bundled schema.
    pub(super) schema: Value,
    /// Every name of a `properties` in the schema, sorted, each once.
    pub(super) property_names: Vec<String>,
}

/// Compiles the schema of every message of the registry (a schema that does not compile is
/// left out, and its message is then unknown).
pub(super) fn compile_all() -> BTreeMap<&'static str, Compiled> {
    let mut messages = BTreeMap::new();
    for info in registry::messages() {
        let schema: Value = serde_json::from_str(info.schema).unwrap_or(Value::Bool(true));
        if let Ok(validator) = validator_for(&schema) {
            let mut property_names = BTreeSet::new();
            collect_property_names(&schema, &mut property_names);
            messages.insert(
                info.id,
                Compiled {
                    info,
                    validator,
                    schema,
                    property_names: property_names.into_iter().collect(),
                },
            );
        }
    }
    messages
}

fn collect_property_names(schema: &Value, out: &mut BTreeSet<String>) {
    match schema {
        Value::Object(map) => {
            for (key, child) in map {
                if key == "properties"
                    && let Some(properties) = child.as_object()
                {
                    out.extend(properties.keys().cloned());
                }
                if key != "examples" && key != "const" && key != "enum" {
                    collect_property_names(child, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_property_names(i, out)),
        _ => {}
    }
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
    fn property_names_leave_out_values() {
        let mut names = BTreeSet::new();
        collect_property_names(
            &serde_json::json!({
                "properties": {"a": {"properties": {"b": {}}}},
                "examples": [{"properties": {"c": {}}}]
            }),
            &mut names,
        );
        assert_eq!(names.into_iter().collect::<Vec<_>>(), ["a", "b"]);
        assert!(!compile_all().is_empty());
    }
}
