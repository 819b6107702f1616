//! [`Unverified`]: a CPF or CNPJ exactly as a server sent it.
//!
//! Responses may carry `""` or an invalid sample value where a tax id is expected, and
//! deserializing a response must never fail because of that. `Unverified<T>` keeps any JSON
//! string verbatim; [`Unverified::parse`] / [`Unverified::verified`] apply the strict rules
//! when the caller wants a [`Cpf`] or [`Cnpj`].

use core::fmt;
use core::hash::{Hash, Hasher};
use core::marker::PhantomData;
use core::str::FromStr;

use super::{Cnpj, Cpf, TaxId, TaxIdError, TaxIdKind};

mod sealed {
    /// Seals [`TaxIdType`](super::TaxIdType) and carries its schema texts.
    pub trait Sealed {
        /// JSON Schema name of `Unverified<Self>`.
        const UNVERIFIED_NAME: &'static str;
        /// JSON Schema description of `Unverified<Self>`.
        const UNVERIFIED_DESCRIPTION: &'static str;
    }

    impl Sealed for super::Cpf {
        const UNVERIFIED_NAME: &'static str = "UnverifiedCpf";
        const UNVERIFIED_DESCRIPTION: &'static str = "A CPF exactly as received from the server: any string, possibly empty or invalid; not validated on deserialization.";
    }

    impl Sealed for super::Cnpj {
        const UNVERIFIED_NAME: &'static str = "UnverifiedCnpj";
        const UNVERIFIED_DESCRIPTION: &'static str = "A CNPJ exactly as received from the server: any string, possibly empty or invalid; not validated on deserialization.";
    }

    impl Sealed for super::TaxId {
        const UNVERIFIED_NAME: &'static str = "UnverifiedTaxId";
        const UNVERIFIED_DESCRIPTION: &'static str = "A CPF or a CNPJ exactly as received from the server: any string, possibly empty or invalid; not validated on deserialization.";
    }
}

/// The tax-id types [`Unverified`] can hold: [`Cpf`], [`Cnpj`] and [`TaxId`] (either). Sealed.
pub trait TaxIdType:
    sealed::Sealed
    + FromStr<Err = TaxIdError>
    + AsRef<str>
    + Copy
    + Eq
    + Hash
    + fmt::Display
    + fmt::Debug
    + 'static
{
    /// Which identifier this type is; `None` for [`TaxId`], which is either.
    const KIND: Option<TaxIdKind>;
}

impl TaxIdType for Cpf {
    const KIND: Option<TaxIdKind> = Some(TaxIdKind::Cpf);
}

impl TaxIdType for Cnpj {
    const KIND: Option<TaxIdKind> = Some(TaxIdKind::Cnpj);
}

impl TaxIdType for TaxId {
    const KIND: Option<TaxIdKind> = None;
}

/// A tax id exactly as received, not validated: any string, including `""` and invalid
/// samples.
///
/// * Deserializes from any JSON string, kept verbatim (non-strings are a type error);
///   serializes the same string back.
/// * [`parse`](Self::parse) / [`verified`](Self::verified) apply the strict rules.
/// * `Debug` is masked: the masked value if it is valid, `Unverified("")` if empty, and
///   `Unverified(<invalid, N chars>)` otherwise; the raw characters are never printed. Use
///   [`as_received`](Self::as_received) to expose them deliberately.
///
/// ```
/// use klavi_types::tax_id::{Cpf, Unverified};
///
/// let sample: Unverified<Cpf> = serde_json::from_str(r#""16109277673""#)?;
/// assert_eq!(sample.as_received(), "16109277673");
/// assert_eq!(sample.verified(), None);
/// assert_eq!(format!("{sample:?}"), "Unverified(<invalid, 11 chars>)");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub struct Unverified<T> {
    raw: String,
    marker: PhantomData<fn() -> T>,
}

impl<T: TaxIdType> Unverified<T> {
    /// Wraps a string as received, without validating it.
    pub fn new(raw: impl Into<String>) -> Self {
        Self {
            raw: raw.into(),
            marker: PhantomData,
        }
    }

    /// The string exactly as received (explicit, unmasked exposure).
    pub fn as_received(&self) -> &str {
        &self.raw
    }

    /// Consumes the wrapper and returns the string as received.
    pub fn into_received(self) -> String {
        self.raw
    }

    /// Whether the received string is empty.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// Which identifier this is meant to be: `None` for an [`UnverifiedTaxId`](super::UnverifiedTaxId),
    /// which may be either (parse it to know).
    pub const fn kind(&self) -> Option<TaxIdKind> {
        T::KIND
    }

    /// Parses strictly: `Ok(None)` for `""`, `Ok(Some(value))` if valid, the error otherwise.
    pub fn parse(&self) -> Result<Option<T>, TaxIdError> {
        if self.raw.is_empty() {
            Ok(None)
        } else {
            self.raw.parse().map(Some)
        }
    }

    /// The valid value, or `None` if the string is empty or invalid.
    #[must_use]
    pub fn verified(&self) -> Option<T> {
        self.parse().ok().flatten()
    }
}

impl<T: TaxIdType> From<T> for Unverified<T> {
    /// The canonical bare form of a valid value.
    fn from(value: T) -> Self {
        Self::new(value.as_ref())
    }
}

impl<T> Default for Unverified<T> {
    /// The empty string.
    fn default() -> Self {
        Self {
            raw: String::new(),
            marker: PhantomData,
        }
    }
}

impl<T> Clone for Unverified<T> {
    fn clone(&self) -> Self {
        Self {
            raw: self.raw.clone(),
            marker: PhantomData,
        }
    }
}

impl<T> PartialEq for Unverified<T> {
    /// Compares the strings as received (`"280.012.389-38"` ≠ `"28001238938"`).
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

impl<T> Eq for Unverified<T> {}

impl<T> Hash for Unverified<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}

impl<T: TaxIdType> fmt::Debug for Unverified<T> {
    /// Masked; never prints the raw characters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.parse() {
            Ok(Some(value)) => write!(f, "Unverified({value})"),
            Ok(None) => f.write_str("Unverified(\"\")"),
            Err(_) => write!(
                f,
                "Unverified(<invalid, {} chars>)",
                self.raw.chars().count()
            ),
        }
    }
}

impl<T> serde::Serialize for Unverified<T> {
    /// The string exactly as received.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.raw)
    }
}

impl<'de, T> serde::Deserialize<'de> for Unverified<T> {
    /// Any JSON string, verbatim; other JSON types are a type error.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|raw| Self {
            raw,
            marker: PhantomData,
        })
    }
}

#[cfg(feature = "schemars")]
impl<T: TaxIdType> schemars::JsonSchema for Unverified<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::UNVERIFIED_NAME.into()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        format!("{}::{}", module_path!(), T::UNVERIFIED_NAME).into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": T::UNVERIFIED_DESCRIPTION,
        })
    }
}
