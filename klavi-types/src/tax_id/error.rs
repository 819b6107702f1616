//! The typed parse error shared by CPF and CNPJ, with stable machine-readable codes.
//!
//! The `Display` message of a [`TaxIdError`] explains the rule that was broken and, where it
//! helps, the 0-based position of the offending character. It never contains the input, so it
//! is safe to log and to return in an API error body.

use core::fmt;

use super::TaxIdKind;
use crate::validation::Code;

/// Why a string is not a valid CPF or CNPJ. See [`TaxIdError::code`] for the stable codes.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TaxIdErrorReason {
    /// Neither the bare nor the masked length (11/14 for a CPF, 14/18 for a CNPJ), and no
    /// more specific problem was found first.
    Length,
    /// A character that is not allowed there: anything outside `0-9` (and, in the first 12
    /// positions of a CNPJ, `A-Z`) and the mask separators, including whitespace, other
    /// punctuation, non-ASCII look-alikes, any letter in a CPF, and a letter in a CNPJ
    /// check-digit position.
    Character,
    /// A lower-case ASCII letter in a CNPJ (CNPJ letters are upper case `A-Z`).
    LowerCase,
    /// A separator (`.`, `/`, `-`) in the wrong place or missing: only the full canonical mask
    /// is accepted, never a partial one.
    Mask,
    /// A reserved number that passes the arithmetic but is invalid: a CPF with 11 equal
    /// digits, or the all-zero CNPJ.
    Reserved,
    /// The check digits do not match the base.
    CheckDigit,
}

/// A CPF or CNPJ that failed strict parsing.
///
/// `Display` never includes the input value. [`code`](Self::code) gives a stable
/// identifier such as `cnpj_lower_case`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TaxIdError {
    kind: TaxIdKind,
    reason: TaxIdErrorReason,
    position: Option<usize>,
}

/// Every tax-id error code with a one-line explanation, e.g. for a CLI `explain` command.
pub const ALL_CODES: &[(&str, &str)] = &[
    (
        Code::CpfLength.as_str(),
        "a CPF has 11 digits (bare) or 14 characters (masked DDD.DDD.DDD-DD); short values are never zero-padded",
    ),
    (
        Code::CpfCharacter.as_str(),
        "a CPF contains only the digits 0-9 and, in the masked spelling, the separators . and -; no letters, whitespace or other characters",
    ),
    (
        Code::CpfMask.as_str(),
        "a separator is missing or misplaced: a CPF is either 11 bare digits or the full mask DDD.DDD.DDD-DD",
    ),
    (
        Code::CpfReserved.as_str(),
        "a CPF whose 11 digits are all equal (000.000.000-00 ... 999.999.999-99) is reserved and invalid",
    ),
    (
        Code::CpfCheckDigit.as_str(),
        "the two CPF check digits do not match the first nine digits",
    ),
    (
        Code::CnpjLength.as_str(),
        "a CNPJ has 14 characters (bare) or 18 (masked XX.XXX.XXX/XXXX-DD); short values are never zero-padded",
    ),
    (
        Code::CnpjCharacter.as_str(),
        "a CNPJ contains 0-9 or A-Z in its first 12 characters and 0-9 in its two check digits, plus the separators . / - of the mask",
    ),
    (
        Code::CnpjLowerCase.as_str(),
        "CNPJ letters are upper case A-Z; lower-case letters are not accepted",
    ),
    (
        Code::CnpjMask.as_str(),
        "a separator is missing or misplaced: a CNPJ is either 14 bare characters or the full mask XX.XXX.XXX/XXXX-DD",
    ),
    (
        Code::CnpjReserved.as_str(),
        "the all-zero CNPJ 00.000.000/0000-00 is reserved and invalid",
    ),
    (
        Code::CnpjCheckDigit.as_str(),
        "the two CNPJ check digits do not match the first twelve characters",
    ),
];

impl TaxIdError {
    /// Builds an error. A CPF never gets [`TaxIdErrorReason::LowerCase`]: a letter in a CPF is
    /// [`TaxIdErrorReason::Character`].
    pub(crate) const fn new(
        kind: TaxIdKind,
        reason: TaxIdErrorReason,
        position: Option<usize>,
    ) -> Self {
        let reason = match (kind, reason) {
            (TaxIdKind::Cpf, TaxIdErrorReason::LowerCase) => TaxIdErrorReason::Character,
            (_, reason) => reason,
        };
        Self {
            kind,
            reason,
            position,
        }
    }

    /// Which identifier was being parsed.
    pub const fn kind(&self) -> TaxIdKind {
        self.kind
    }

    /// Why it was rejected.
    pub const fn reason(&self) -> TaxIdErrorReason {
        self.reason
    }

    /// The 0-based position in the input of the offending character, for
    /// [`Character`](TaxIdErrorReason::Character), [`LowerCase`](TaxIdErrorReason::LowerCase)
    /// and [`Mask`](TaxIdErrorReason::Mask) errors; `None` otherwise.
    ///
    /// It is a byte offset, and also a character index: every byte before it is valid ASCII.
    pub const fn position(&self) -> Option<usize> {
        self.position
    }

    /// A stable machine-readable code, one of the codes in [`ALL_CODES`], e.g.
    /// `cpf_check_digit` or `cnpj_lower_case`.
    pub const fn code(&self) -> &'static str {
        match (self.kind, self.reason) {
            (TaxIdKind::Cpf, TaxIdErrorReason::Length) => Code::CpfLength.as_str(),
            (TaxIdKind::Cpf, TaxIdErrorReason::Character | TaxIdErrorReason::LowerCase) => {
                Code::CpfCharacter.as_str()
            }
            (TaxIdKind::Cpf, TaxIdErrorReason::Mask) => Code::CpfMask.as_str(),
            (TaxIdKind::Cpf, TaxIdErrorReason::Reserved) => Code::CpfReserved.as_str(),
            (TaxIdKind::Cpf, TaxIdErrorReason::CheckDigit) => Code::CpfCheckDigit.as_str(),
            (TaxIdKind::Cnpj, TaxIdErrorReason::Length) => Code::CnpjLength.as_str(),
            (TaxIdKind::Cnpj, TaxIdErrorReason::Character) => Code::CnpjCharacter.as_str(),
            (TaxIdKind::Cnpj, TaxIdErrorReason::LowerCase) => Code::CnpjLowerCase.as_str(),
            (TaxIdKind::Cnpj, TaxIdErrorReason::Mask) => Code::CnpjMask.as_str(),
            (TaxIdKind::Cnpj, TaxIdErrorReason::Reserved) => Code::CnpjReserved.as_str(),
            (TaxIdKind::Cnpj, TaxIdErrorReason::CheckDigit) => Code::CnpjCheckDigit.as_str(),
        }
    }
}

impl fmt::Display for TaxIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(position) = self.position {
            match self.reason {
                TaxIdErrorReason::Character => {
                    write!(f, "invalid character at position {position}: ")?
                }
                TaxIdErrorReason::LowerCase => {
                    write!(f, "lower-case letter at position {position}: ")?
                }
                TaxIdErrorReason::Mask => {
                    write!(f, "missing or misplaced separator at position {position}: ")?;
                }
                _ => write!(f, "at position {position}: ")?,
            }
        }
        f.write_str(self.reason_text())
    }
}

impl TaxIdError {
    /// What is wrong, without the position.
    fn reason_text(&self) -> &'static str {
        let cpf = matches!(self.kind, TaxIdKind::Cpf);
        match (self.reason, cpf) {
            (TaxIdErrorReason::Length, true) => {
                "a CPF has 11 digits (bare) or 14 characters (masked DDD.DDD.DDD-DD)"
            }
            (TaxIdErrorReason::Length, false) => {
                "a CNPJ has 14 characters (bare) or 18 (masked XX.XXX.XXX/XXXX-DD)"
            }
            (TaxIdErrorReason::Character | TaxIdErrorReason::LowerCase, true) => {
                "a CPF contains only digits 0-9 (and the separators of the mask DDD.DDD.DDD-DD)"
            }
            (TaxIdErrorReason::Character, false) => {
                "a CNPJ contains 0-9 or A-Z, numeric check digits (and the separators of the mask XX.XXX.XXX/XXXX-DD)"
            }
            (TaxIdErrorReason::LowerCase, false) => "CNPJ letters are upper case A-Z",
            (TaxIdErrorReason::Mask, true) => {
                "a CPF is either 11 bare digits or fully masked as DDD.DDD.DDD-DD"
            }
            (TaxIdErrorReason::Mask, false) => {
                "a CNPJ is either 14 bare characters or fully masked as XX.XXX.XXX/XXXX-DD"
            }
            (TaxIdErrorReason::Reserved, true) => {
                "a CPF with all 11 digits equal is reserved and invalid"
            }
            (TaxIdErrorReason::Reserved, false) => "the all-zero CNPJ is reserved and invalid",
            (TaxIdErrorReason::CheckDigit, true) => "the CPF check digits do not match",
            (TaxIdErrorReason::CheckDigit, false) => "the CNPJ check digits do not match",
        }
    }

    /// The message [`Display`](fmt::Display) writes, borrowed when it names no position (a
    /// check digit, a length, a reserved value): a list of violations then formats nothing.
    pub fn message(&self) -> std::borrow::Cow<'static, str> {
        match self.position {
            None => std::borrow::Cow::Borrowed(self.reason_text()),
            Some(_) => std::borrow::Cow::Owned(self.to_string()),
        }
    }
}

impl std::error::Error for TaxIdError {}
