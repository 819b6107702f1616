//! Integrations of the generated types (twin of klavi-schema's `emit/schema.rs`): their source
//! schema for `schemars` and their violations for `validator`.

#[cfg(feature = "validator")]
use crate::validation::ValidationErrors;

/// The source schema of a generated type: its `$defs` move into the generator's definitions,
/// the rest is returned. References stay `#/$defs/Name`, schemars' 2020-12 layout.
#[cfg(feature = "schemars")]
pub fn source_schema(generator: &mut schemars::SchemaGenerator, json: &str) -> schemars::Schema {
    let mut schema = crate::schema_text::schema_from_str(json);
    if let Some(object) = schema.as_object_mut() {
        object.remove("$schema");
        if let Some(serde_json::Value::Object(defs)) = object.remove("$defs") {
            let definitions = generator.definitions_mut();
            for (name, def) in defs {
                definitions.entry(name).or_insert(def);
            }
        }
    }
    schema
}

/// Maps our flat violation list onto `validator`'s error map: one entry per JSON Pointer
/// (the key), each holding the violations at that pointer with their code and message.
#[cfg(feature = "validator")]
pub fn into_validator_errors(
    result: Result<(), ValidationErrors>,
) -> Result<(), validator::ValidationErrors> {
    let Err(errors) = result else {
        return Ok(());
    };
    let mut out = validator::ValidationErrors::new();
    for violation in errors {
        let key = if violation.pointer().is_empty() {
            "__all__".to_owned()
        } else {
            violation.pointer().to_owned()
        };
        let mut error = validator::ValidationError::new(violation.code());
        error.message = Some(violation.message().to_owned().into());
        let entry = out
            .errors_mut()
            .entry(key.into())
            .or_insert_with(|| validator::ValidationErrorsKind::Field(Vec::new()));
        if let validator::ValidationErrorsKind::Field(list) = entry {
            list.push(error);
        }
    }
    Err(out)
}
