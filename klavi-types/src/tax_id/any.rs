//! [`TaxId`]: a CPF or a CNPJ, for fields that accept either; plus [`TaxIdKind`] and the
//! unmasked [`Formatted`] view shared by all tax-id types.

use core::fmt;
use core::marker::PhantomData;

use super::parse::{self, StrVisitor};
use super::{Cnpj, Cpf, TaxIdError, TaxIdErrorReason, cnpj, cpf};

/// Which Brazilian tax identifier a value or an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaxIdKind {
    /// Cadastro de Pessoas Físicas (individuals), 11 digits.
    Cpf,
    /// Cadastro Nacional da Pessoa Jurídica (legal entities), 14 characters.
    Cnpj,
}

impl TaxIdKind {
    /// The lower-case identifier, `"cpf"` or `"cnpj"` (as used in error codes and JSON
    /// Schema formats).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Cpf => "cpf",
            Self::Cnpj => "cnpj",
        }
    }
}

impl fmt::Display for TaxIdKind {
    /// The acronym, `CPF` or `CNPJ`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::Cpf => "CPF",
            Self::Cnpj => "CNPJ",
        })
    }
}

/// The full, **unmasked** value of a CPF or CNPJ in its canonical mask
/// (`DDD.DDD.DDD-DD` / `XX.XXX.XXX/XXXX-DD`), written without allocating.
///
/// Returned by [`Cpf::formatted`], [`Cnpj::formatted`] and [`TaxId::formatted`]: calling one
/// of these is the explicit decision to show the whole value. Both `Display` and `Debug`
/// print the unmasked value; width, fill and alignment are honoured.
#[derive(Clone, Copy)]
pub struct Formatted<'a> {
    kind: TaxIdKind,
    canonical: &'a [u8],
}

impl<'a> Formatted<'a> {
    /// Wraps canonical bytes (11 digits for a CPF, 14 characters for a CNPJ).
    pub(crate) const fn new(kind: TaxIdKind, canonical: &'a [u8]) -> Self {
        Self { kind, canonical }
    }
}

impl fmt::Display for Formatted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let spec = match self.kind {
            TaxIdKind::Cpf => &cpf::SPEC,
            TaxIdKind::Cnpj => &cnpj::SPEC,
        };
        parse::render(spec, self.canonical, false, f)
    }
}

impl fmt::Debug for Formatted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Formatted(\"")?;
        fmt::Display::fmt(self, f)?;
        f.write_str("\")")
    }
}

/// A valid CPF or CNPJ, for fields that accept either.
///
/// [`TaxId::parse_any`] dispatches on the length (br-tax-ids.md §4.6): a 14-character string
/// is a CPF only if it is shaped like the CPF mask, so a bare 14-digit CNPJ whose last 11
/// digits happen to form a valid CPF is still parsed as a CNPJ. `Debug` and `Display` are
/// masked like those of [`Cpf`] and [`Cnpj`].
///
/// ```
/// use klavi_types::tax_id::{TaxId, TaxIdKind};
///
/// let id = TaxId::parse_any("12.ABC.345/01DE-35")?;
/// assert_eq!(id.kind(), TaxIdKind::Cnpj);
/// assert_eq!(id.as_str(), "12ABC34501DE35");
/// assert_eq!(id.to_string(), "**.ABC.345/****-**");
/// # Ok::<(), klavi_types::tax_id::TaxIdError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaxId {
    /// An individual's CPF.
    Cpf(Cpf),
    /// A legal entity's CNPJ.
    Cnpj(Cnpj),
}

impl TaxId {
    /// Parses a CPF or a CNPJ strictly, choosing the kind from the length in characters (so
    /// that eleven full-width digits are a CPF with a wrong character, not a CNPJ of the
    /// wrong length):
    ///
    /// * 11 characters: CPF (bare);
    /// * 14 characters containing `.` or `-`: CPF (masked `DDD.DDD.DDD-DD`);
    /// * 14 other characters: CNPJ (bare); 18 characters: CNPJ (masked);
    /// * any other length: a [`Length`](TaxIdErrorReason::Length) error of the closer kind
    ///   (CPF up to 12 characters, CNPJ from 13).
    pub fn parse_any(s: &str) -> Result<Self, TaxIdError> {
        let bytes = s.as_bytes();
        let length = if bytes.is_ascii() {
            bytes.len()
        } else {
            s.chars().count()
        };
        match length {
            11 => Cpf::parse(s).map(Self::Cpf),
            14 if bytes.iter().any(|b| matches!(b, b'.' | b'-')) => Cpf::parse(s).map(Self::Cpf),
            14 | 18 => Cnpj::parse(s).map(Self::Cnpj),
            n => {
                let kind = if n <= 12 {
                    TaxIdKind::Cpf
                } else {
                    TaxIdKind::Cnpj
                };
                Err(TaxIdError::new(kind, TaxIdErrorReason::Length, None))
            }
        }
    }

    /// Whether [`parse_any`](Self::parse_any) would succeed (allocation-free).
    #[must_use]
    pub fn is_valid(s: &str) -> bool {
        Self::parse_any(s).is_ok()
    }

    /// Which kind this is.
    pub const fn kind(&self) -> TaxIdKind {
        match self {
            Self::Cpf(_) => TaxIdKind::Cpf,
            Self::Cnpj(_) => TaxIdKind::Cnpj,
        }
    }

    /// The canonical bare form (11 digits, or 14 upper-case characters).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Cpf(cpf) => cpf.as_str(),
            Self::Cnpj(cnpj) => cnpj.as_str(),
        }
    }

    /// The CPF, if this is one.
    pub const fn as_cpf(&self) -> Option<&Cpf> {
        match self {
            Self::Cpf(cpf) => Some(cpf),
            Self::Cnpj(_) => None,
        }
    }

    /// The CNPJ, if this is one.
    pub const fn as_cnpj(&self) -> Option<&Cnpj> {
        match self {
            Self::Cpf(_) => None,
            Self::Cnpj(cnpj) => Some(cnpj),
        }
    }

    /// The full, **unmasked** value in its canonical mask (explicit exposure).
    #[must_use]
    pub fn formatted(&self) -> Formatted<'_> {
        match self {
            Self::Cpf(cpf) => cpf.formatted(),
            Self::Cnpj(cnpj) => cnpj.formatted(),
        }
    }

    /// The full, **unmasked** value in its canonical mask, as a `String`.
    pub fn to_formatted_string(&self) -> String {
        self.formatted().to_string()
    }
}

impl fmt::Display for TaxId {
    /// Masked, like [`Cpf`] and [`Cnpj`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cpf(cpf) => fmt::Display::fmt(cpf, f),
            Self::Cnpj(cnpj) => fmt::Display::fmt(cnpj, f),
        }
    }
}

impl From<Cpf> for TaxId {
    fn from(cpf: Cpf) -> Self {
        Self::Cpf(cpf)
    }
}

impl From<Cnpj> for TaxId {
    fn from(cnpj: Cnpj) -> Self {
        Self::Cnpj(cnpj)
    }
}

impl AsRef<str> for TaxId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl core::str::FromStr for TaxId {
    type Err = TaxIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_any(s)
    }
}

impl TryFrom<&str> for TaxId {
    type Error = TaxIdError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::parse_any(s)
    }
}

impl TryFrom<String> for TaxId {
    type Error = TaxIdError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse_any(&s)
    }
}

impl TryFrom<&String> for TaxId {
    type Error = TaxIdError;

    fn try_from(s: &String) -> Result<Self, Self::Error> {
        Self::parse_any(s)
    }
}

impl serde::Serialize for TaxId {
    /// The canonical bare form.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for TaxId {
    /// A string accepted by [`TaxId::parse_any`]; any other JSON type is a type error.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(StrVisitor {
            expecting: "a CPF or CNPJ string",
            parse: Self::parse_any,
            marker: PhantomData,
        })
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for TaxId {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TaxId".into()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        concat!(module_path!(), "::TaxId").into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Brazilian CPF (11 digits, bare or masked DDD.DDD.DDD-DD) or CNPJ (12 characters 0-9/A-Z and 2 check digits, bare or masked XX.XXX.XXX/XXXX-DD). Always serialized bare.",
        })
    }
}
