//! [`Cpf`]: the Cadastro de Pessoas Físicas, 11 decimal digits with two mod-11 check digits.
//!
//! Accepted spellings (strict policy, br-tax-ids.md §4.2): `[0-9]{11}` or the full mask
//! `DDD.DDD.DDD-DD`. The ten all-equal numbers are rejected as reserved.

use super::fast_path::FastPath;
use super::parse::{self, Slot, Spec};
use super::{Formatted, TaxIdError, TaxIdKind};

const D: Slot = Slot::Digit;
const DOT: Slot = Slot::Sep(b'.');
const DASH: Slot = Slot::Sep(b'-');

/// Weights of the base for the first check digit.
const W1: [u8; 9] = [10, 9, 8, 7, 6, 5, 4, 3, 2];
/// Weights of the base for the second check digit (the first check digit weighs 2, apart).
const W2: [u8; 9] = [11, 10, 9, 8, 7, 6, 5, 4, 3];

/// The bare spelling.
const BARE: [Slot; 11] = [D; 11];
/// The canonical mask, `DDD.DDD.DDD-DD`.
const MASKED: [Slot; 14] = [D, D, D, DOT, D, D, D, DOT, D, D, D, DASH, D, D];

/// The CPF rules for the shared scanner.
pub(crate) const SPEC: Spec = Spec {
    kind: TaxIdKind::Cpf,
    bare: &BARE,
    masked: &MASKED,
    separators: b".-",
    letters: false,
    w1: &W1,
    // 11..2 on the ten digits; the tenth (the first check digit) weighs 2 and is added apart.
    w2: &W2,
    fast: FastPath::plan(&BARE, &MASKED, &W1, &W2),
    visible: 3..9,
};

/// A valid CPF, stored as its 11 canonical ASCII digits.
///
/// * Construct with [`Cpf::parse`] (strict), [`FromStr`](core::str::FromStr), `TryFrom`, serde
///   or [`Cpf::from_base`].
/// * [`as_str`](Cpf::as_str) and `Serialize` give the bare form `12345678909`.
/// * `Debug` and `Display` are **masked** (LGPD): `***.456.789-**`. Use
///   [`formatted`](Cpf::formatted) to show the full value deliberately.
///
/// ```
/// use klavi_types::tax_id::Cpf;
///
/// let cpf = Cpf::parse("280.012.389-38")?;
/// assert_eq!(cpf.as_str(), "28001238938");
/// assert_eq!(cpf.to_string(), "***.012.389-**");
/// assert_eq!(cpf.formatted().to_string(), "280.012.389-38");
/// # Ok::<(), klavi_types::tax_id::TaxIdError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cpf([u8; 11]);

impl Cpf {
    /// Parses `s` strictly: 11 ASCII digits, or the full mask `DDD.DDD.DDD-DD`.
    ///
    /// No trimming, no other separators, no partial masks, no zero padding. All-equal numbers
    /// are [`Reserved`](super::TaxIdErrorReason::Reserved). Never panics and never allocates.
    pub fn parse(s: &str) -> Result<Self, TaxIdError> {
        parse::scan(&SPEC, s, Self)
    }

    /// The regular expression of the spellings [`parse`](Self::parse) accepts (their shape:
    /// the check digits are beyond a pattern), for tools that know `format: cpf` only as
    /// an unknown format, such as the OpenAPI document's schemas.
    #[must_use]
    pub fn input_pattern() -> String {
        parse::input_pattern(&SPEC)
    }

    /// Whether [`parse`](Self::parse) would succeed (allocation-free).
    #[must_use]
    pub fn is_valid(s: &str) -> bool {
        parse::is_valid(&SPEC, s, Self)
    }

    /// [`parse`](Self::parse)'s verdict without the value (allocation-free; the strict parse
    /// runs only for an invalid id, once).
    pub(crate) fn check(s: &str) -> Result<(), TaxIdError> {
        parse::check(&SPEC, s, Self)
    }

    /// Computes the check digits for nine ASCII digits.
    ///
    /// `None` if a byte is not `b'0'..=b'9'` or the result is reserved (all digits equal).
    #[must_use]
    pub fn from_base(base: &[u8; 9]) -> Option<Self> {
        parse::from_base(&SPEC, base).map(Self)
    }

    /// The canonical bare form: 11 ASCII digits.
    pub fn as_str(&self) -> &str {
        parse::ascii_str(&self.0)
    }

    /// The two check digits as numbers `0..=9` (not ASCII).
    pub fn check_digits(&self) -> [u8; 2] {
        let [.., a, b] = self.0;
        [a.wrapping_sub(b'0'), b.wrapping_sub(b'0')]
    }

    /// The full, **unmasked** value in the canonical mask `DDD.DDD.DDD-DD`, without
    /// allocating. This is the explicit way to show a CPF.
    #[must_use]
    pub fn formatted(&self) -> Formatted<'_> {
        Formatted::new(TaxIdKind::Cpf, &self.0)
    }

    /// The full, **unmasked** value in the canonical mask, as a `String`.
    pub fn to_formatted_string(&self) -> String {
        self.formatted().to_string()
    }
}

parse::tax_id_common_impls!(
    Cpf,
    SPEC,
    "Cpf",
    "cpf",
    "a CPF string (11 digits, or masked as DDD.DDD.DDD-DD)",
    "Brazilian CPF (individual taxpayer number): 11 digits with valid check digits, either bare (12345678909) or fully masked (123.456.789-09). Always serialized bare."
);
