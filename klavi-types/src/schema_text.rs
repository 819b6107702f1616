//! Schemas from JSON text known at compile time, for the `schemars` impls of the runtime types
//! and of the generated ones (feature `schemars`).

/// A schema from JSON text known at compile time.
pub(crate) fn schema_from_str(json: &str) -> schemars::Schema {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|value| schemars::Schema::try_from(value).ok())
        .unwrap_or_else(|| schemars::Schema::from(true))
}
