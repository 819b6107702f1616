//! Personal data without a more specific type (`x-klavi-personal-data`): strings such as phone
//! numbers ([`PersonalData`]) and free-form objects such as webhook payloads ([`PersonalObject`]).

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

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for PersonalData {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("PersonalData")
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::schema_text::schema_from_str(
            r#"{"type": "string", "x-klavi-personal-data": true, "description": "Personal data."}"#,
        )
    }
}

/// A free-form JSON object that carries personal data (a webhook `payload`, a transaction):
/// `Debug` shows only its member names; the values are read through `Deref` to the map, or
/// typed with [`PersonalObject::parse`]. Serializes as the plain object.
#[derive(Clone, PartialEq, Default)]
pub struct PersonalObject(serde_json::Map<String, serde_json::Value>);

impl PersonalObject {
    /// Wraps an object.
    pub fn new(object: serde_json::Map<String, serde_json::Value>) -> Self {
        PersonalObject(object)
    }

    /// The object.
    pub fn into_inner(self) -> serde_json::Map<String, serde_json::Value> {
        self.0
    }

    /// Deserializes and validates the object as `T` (e.g. `ConsentAuthorisedPayload`).
    pub fn parse<T: serde::de::DeserializeOwned + crate::Validate>(
        &self,
    ) -> Result<T, crate::ValidationErrors> {
        let bytes = serde_json::to_vec(&self.0).map_err(|error| {
            crate::ValidationErrors::from(crate::Violation::new(
                "",
                crate::validation::Code::InvalidJson,
                crate::validation::messages::invalid_json(error),
            ))
        })?;
        crate::from_json(&bytes)
    }
}

impl std::ops::Deref for PersonalObject {
    type Target = serde_json::Map<String, serde_json::Value>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for PersonalObject {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl From<serde_json::Map<String, serde_json::Value>> for PersonalObject {
    fn from(object: serde_json::Map<String, serde_json::Value>) -> Self {
        PersonalObject(object)
    }
}

impl fmt::Debug for PersonalObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.0.keys().map(String::as_str).collect();
        write!(f, "PersonalObject({names:?}, values masked)")
    }
}

impl serde::Serialize for PersonalObject {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for PersonalObject {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Map::deserialize(deserializer).map(PersonalObject)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for PersonalObject {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("PersonalObject")
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::schema_text::schema_from_str(
            r#"{"type": "object", "x-klavi-personal-data": true, "description": "A JSON object carrying personal data."}"#,
        )
    }
}
