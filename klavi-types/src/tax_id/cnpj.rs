//! [`Cnpj`]: the Cadastro Nacional da Pessoa Jurídica, numeric or alphanumeric
//! (IN RFB nº 2.229/2024).
//!
//! 14 characters: 12 base characters in `0-9A-Z` and two numeric mod-11 check digits.
//! Accepted spellings (strict policy, br-tax-ids.md §4.2): `[0-9A-Z]{12}[0-9]{2}` or the full
//! mask `XX.XXX.XXX/XXXX-DD`. Lower-case letters are rejected; the all-zero CNPJ is reserved.

use super::fast_path::FastPath;
use super::parse::{self, Slot, Spec};
use super::{Formatted, TaxIdError, TaxIdKind};

const X: Slot = Slot::Alnum;
const D: Slot = Slot::Digit;
const DOT: Slot = Slot::Sep(b'.');
const SLASH: Slot = Slot::Sep(b'/');
const DASH: Slot = Slot::Sep(b'-');

/// Weights of the base for the first check digit.
const W1: [u8; 12] = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
/// Weights of the base for the second check digit (the first check digit weighs 2, apart).
const W2: [u8; 12] = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3];

/// The bare spelling.
const BARE: [Slot; 14] = [X, X, X, X, X, X, X, X, X, X, X, X, D, D];
/// The canonical mask, `XX.XXX.XXX/XXXX-DD`.
const MASKED: [Slot; 18] = [
    X, X, DOT, X, X, X, DOT, X, X, X, SLASH, X, X, X, X, DASH, D, D,
];

/// The CNPJ rules for the shared scanner.
pub(crate) const SPEC: Spec = Spec {
    kind: TaxIdKind::Cnpj,
    bare: &BARE,
    masked: &MASKED,
    separators: b"./-",
    letters: true,
    w1: &W1,
    // 6,5,4,3,2,9,8,7,6,5,4,3,2 on 13 characters; the 13th (the first check digit) weighs 2
    // and is added apart.
    w2: &W2,
    fast: FastPath::plan(&BARE, &MASKED, &W1, &W2),
    visible: 2..8,
};

/// A valid CNPJ (numeric or alphanumeric), stored as its 14 canonical ASCII characters
/// (`0-9A-Z` and two check digits).
///
/// * Construct with [`Cnpj::parse`] (strict), [`FromStr`](core::str::FromStr), `TryFrom`,
///   serde or [`Cnpj::from_base`].
/// * [`as_str`](Cnpj::as_str) and `Serialize` give the bare upper-case form `12ABC34501DE35`.
/// * `Debug` and `Display` are **masked** (LGPD): `**.ABC.345/****-**`. Use
///   [`formatted`](Cnpj::formatted) to show the full value deliberately.
///
/// ```
/// use klavi_types::tax_id::Cnpj;
///
/// let cnpj = Cnpj::parse("12.ABC.345/01DE-35")?;
/// assert_eq!(cnpj.as_str(), "12ABC34501DE35");
/// assert_eq!(format!("{cnpj:?}"), r#"Cnpj("**.ABC.345/****-**")"#);
/// assert_eq!(cnpj.formatted().to_string(), "12.ABC.345/01DE-35");
/// assert_eq!(Cnpj::parse("12.ABc.345/01DE-35").unwrap_err().code(), "cnpj_lower_case");
/// # Ok::<(), klavi_types::tax_id::TaxIdError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cnpj([u8; 14]);

impl Cnpj {
    /// Parses `s` strictly: `[0-9A-Z]{12}[0-9]{2}`, or the full mask `XX.XXX.XXX/XXXX-DD`.
    ///
    /// No trimming, no case folding, no other separators, no partial masks, no zero padding.
    /// `00000000000000` is [`Reserved`](super::TaxIdErrorReason::Reserved). Never panics and
    /// never allocates.
    pub fn parse(s: &str) -> Result<Self, TaxIdError> {
        parse::scan(&SPEC, s, Self)
    }

    /// The regular expression of the spellings [`parse`](Self::parse) accepts (their shape:
    /// the check digits are beyond a pattern), for tools that know `format: cnpj` only as
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

    /// Computes the check digits for 12 base characters in `b'0'..=b'9'` / `b'A'..=b'Z'`.
    ///
    /// `None` if a byte is outside that set or the result is the reserved all-zero CNPJ.
    #[must_use]
    pub fn from_base(base: &[u8; 12]) -> Option<Self> {
        parse::from_base(&SPEC, base).map(Self)
    }

    /// The canonical bare form: 14 upper-case ASCII characters.
    pub fn as_str(&self) -> &str {
        parse::ascii_str(&self.0)
    }

    /// The two check digits as numbers `0..=9` (not ASCII).
    pub fn check_digits(&self) -> [u8; 2] {
        let [.., a, b] = self.0;
        [a.wrapping_sub(b'0'), b.wrapping_sub(b'0')]
    }

    /// Whether the base contains a letter, i.e. this is an alphanumeric CNPJ (IN RFB
    /// 2.229/2024).
    pub fn is_alphanumeric(&self) -> bool {
        self.0.iter().any(u8::is_ascii_uppercase)
    }

    /// The full, **unmasked** value in the canonical mask `XX.XXX.XXX/XXXX-DD`, without
    /// allocating. This is the explicit way to show a CNPJ.
    #[must_use]
    pub fn formatted(&self) -> Formatted<'_> {
        Formatted::new(TaxIdKind::Cnpj, &self.0)
    }

    /// The full, **unmasked** value in the canonical mask, as a `String`.
    pub fn to_formatted_string(&self) -> String {
        self.formatted().to_string()
    }
}

parse::tax_id_common_impls!(
    Cnpj,
    SPEC,
    "Cnpj",
    "cnpj",
    "a CNPJ string (14 characters, or masked as XX.XXX.XXX/XXXX-DD)",
    "Brazilian CNPJ (legal entity number), numeric or alphanumeric (IN RFB 2.229/2024): 12 characters 0-9 or A-Z (upper case) and 2 numeric check digits, either bare (12ABC34501DE35) or fully masked (12.ABC.345/01DE-35). Always serialized bare."
);
