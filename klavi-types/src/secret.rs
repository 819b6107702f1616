//! Credentials (`x-klavi-secret`): tokens, keys, passwords. Never printed; zeroed on drop.

use std::fmt;

use ctutils::CtEq;
use secrecy::{ExposeSecret, SecretString};

/// A credential such as an access token, a link token or a secret key.
///
/// `Debug` and `Display` print `[REDACTED]`; the value is zeroed when dropped (through
/// `secrecy`), compared in constant time, and read only through [`Secret::expose_secret`].
/// It serializes as the plain string, since the API needs it on the wire.
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(SecretString::from(value.into()))
    }

    /// The credential itself. Do not log it.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }

    /// The credential's length in bytes (safe to log).
    pub fn len(&self) -> usize {
        self.expose_secret().len()
    }

    /// Whether the credential is empty.
    pub fn is_empty(&self) -> bool {
        self.expose_secret().is_empty()
    }
}

impl Clone for Secret {
    fn clone(&self) -> Self {
        Secret(self.0.clone())
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose_secret()
            .as_bytes()
            .ct_eq(other.expose_secret().as_bytes())
            .into()
    }
}

impl Eq for Secret {}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose_secret())
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Secret {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("Secret")
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::schema_text::schema_from_str(
            r#"{"type": "string", "x-klavi-secret": true, "description": "A credential."}"#,
        )
    }
}
