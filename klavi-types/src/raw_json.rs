//! [`RawJson`]: a JSON value kept as its exact text, for report bodies whose numbers are money.

use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::validation::{Validate, ValidationErrors};

/// A JSON value exactly as received (its text, byte for byte), read on demand into a typed
/// value with [`RawJson::parse`]. Numbers never pass through `f64`, so money stays exact.
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// The exact JSON text.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// Deserializes and validates the text as `T` (e.g. a product body type).
    pub fn parse<T: DeserializeOwned + Validate>(&self) -> Result<T, ValidationErrors> {
        crate::from_json(self.get().as_bytes())
    }

    /// The text as serde_json's raw value (a deserializer of itself).
    pub(crate) fn as_raw_value(&self) -> &RawValue {
        &self.0
    }

    /// Wraps JSON text, checking that it is valid JSON.
    pub fn from_text(text: impl Into<String>) -> Result<Self, serde_json::Error> {
        RawValue::from_string(text.into()).map(RawJson)
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Eq for RawJson {}

impl fmt::Debug for RawJson {
    /// The length only: report bodies hold personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawJson(<{} bytes>)", self.get().len())
    }
}

impl serde::Serialize for RawJson {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for RawJson {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(RawJson)
    }
}
