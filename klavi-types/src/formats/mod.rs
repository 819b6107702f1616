//! String formats of the schemas. Those of requests are types that can only hold a valid value:
//! [`Email`], [`AbsoluteUri`], [`HttpUrl`], [`UtcDateTime`], [`Seconds`], [`ProductName`] and
//! [`Amount`]. Each implements exactly the constraints of its definition in
//! `schemas/common.json` or `schemas/reports/defs.json` (the differential tests hold the two
//! together), parses on construction and on deserialization, and reports a stable code on
//! failure.
//!
//! The dates of report bodies, [`DateText`] and [`DateTimeText`], keep whatever text the server
//! sent and parse it on demand: what we receive never fails for a date's form.

mod amount;
mod date_text;
mod date_time;
mod email;
mod parsed;
mod plain_uri;
mod private_parts;
mod product_name;
mod seconds;
mod uri;

pub use amount::Amount;
pub use date_text::{DateText, DateTimeText};
pub use date_time::UtcDateTime;
pub use email::Email;
pub use private_parts::private_url_parts;
pub use product_name::ProductName;
pub use seconds::Seconds;
pub use uri::{AbsoluteUri, HttpUrl};

pub(crate) use amount::is_decimal as is_decimal_text;
pub(crate) use date_text::{is_date as is_date_text, is_date_time as is_date_time_text};
pub(crate) use parsed::{ParseText, deserialize_kept_text, deserialize_parsed};
pub(crate) use product_name::check as check_product_name;
pub(crate) use uri::{check_http as check_http_url, check_uri as check_absolute_uri};

use std::fmt;

/// Why a string is not a valid value of a format type. It never contains the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormatError {
    code: &'static str,
    message: &'static str,
}

impl FormatError {
    pub(crate) const fn new(code: crate::validation::Code, message: &'static str) -> Self {
        FormatError {
            code: code.as_str(),
            message,
        }
    }

    /// The stable violation code (`email`, `http_url`, …).
    pub const fn code(&self) -> &'static str {
        self.code
    }

    /// The human message.
    pub const fn message(&self) -> &'static str {
        self.message
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl std::error::Error for FormatError {}

/// Implements the conversions and serde impls shared by the string newtypes of this module:
/// `FromStr`, `TryFrom<&str>`, `TryFrom<String>`, `Serialize` (the string), `Deserialize` (parsed,
/// strings only) and `JsonSchema` (the schema's definition).
macro_rules! string_format {
    ($name:ident, $schema:expr, display) => {
        $crate::formats::string_format!(@common $name, $schema);

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
    };
    ($name:ident, $schema:expr) => {
        $crate::formats::string_format!(@common $name, $schema);

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
    (@common $name:ident, $schema:expr) => {
        impl ::core::str::FromStr for $name {
            type Err = $crate::formats::FormatError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $name::parse(text)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::formats::FormatError;
            fn try_from(text: &str) -> Result<Self, Self::Error> {
                $name::parse(text)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::formats::FormatError;
            fn try_from(text: String) -> Result<Self, Self::Error> {
                $name::parse_owned(text)
            }
        }

        impl $crate::formats::ParseText for $name {
            fn parse_str(text: &str) -> Result<Self, $crate::formats::FormatError> {
                $name::parse(text)
            }
            fn parse_string(text: String) -> Result<Self, $crate::formats::FormatError> {
                $name::parse_owned(text)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::formats::deserialize_parsed(deserializer)
            }
        }

        #[cfg(feature = "schemars")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(stringify!($name))
            }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                $crate::schema_text::schema_from_str($schema)
            }
        }
    };
}
pub(crate) use string_format;

/// `Debug` (`Name("text")`), `Display` (the text) and `AsRef<str>` of a newtype over a `String`
/// whose text is not personal data; with a second argument, a function of the text that gives
/// what `Debug` shows instead (the URLs' masking).
macro_rules! plain_text_impls {
    ($name:ident) => {
        $crate::formats::plain_text_impls!($name, ::core::convert::identity::<&str>);
    };
    ($name:ident, $shown:path) => {
        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                write!(f, "{}({:?})", stringify!($name), $shown(&self.0))
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}
pub(crate) use plain_text_impls;
