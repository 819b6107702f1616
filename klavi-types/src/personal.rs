//! Personal data without a more specific type (`x-klavi-personal-data`), such as phone numbers.

use std::fmt;

/// A piece of personal data (LGPD), e.g. a phone number. `Debug` and `Display` are masked; read
/// it with [`PersonalData::expose`]. Serializes as the plain string.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PersonalData(String);

impl PersonalData {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        PersonalData(value.into())
    }

    /// The value itself. Personal data: do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for PersonalData {
    fn from(value: String) -> Self {
        PersonalData(value)
    }
}

impl From<&str> for PersonalData {
    fn from(value: &str) -> Self {
        PersonalData(value.to_owned())
    }
}

impl fmt::Debug for PersonalData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PersonalData(<{} chars, masked>)",
            self.0.chars().count()
        )
    }
}

impl fmt::Display for PersonalData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl serde::Serialize for PersonalData {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for PersonalData {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(PersonalData)
    }
}

impl schemars::JsonSchema for PersonalData {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("PersonalData")
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::__private::schema_from_str(
            r#"{"type": "string", "x-klavi-personal-data": true, "description": "Personal data."}"#,
        )
    }
}
