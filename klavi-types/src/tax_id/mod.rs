//! Brazilian tax identifiers: [`Cpf`], [`Cnpj`] (numeric and alphanumeric, IN RFB nº
//! 2.229/2024), [`TaxId`] (either) and [`Unverified`] (as received from a server).
//!
//! # Input policy ("strict", br-tax-ids.md §4)
//!
//! [`Cpf::parse`], [`Cnpj::parse`], [`TaxId::parse_any`] and the `Deserialize` impls accept a
//! string in exactly one of two spellings:
//!
//! | | bare | full canonical mask |
//! |---|---|---|
//! | CPF | `[0-9]{11}` | `DDD.DDD.DDD-DD` |
//! | CNPJ | `[0-9A-Z]{12}[0-9]{2}` | `XX.XXX.XXX/XXXX-DD` |
//!
//! Everything else is rejected: surrounding or inner whitespace, lower-case letters, other
//! separators, partial masks (`123.456.78909`, `90.024.778/000123`), non-ASCII look-alikes
//! (full-width digits, Unicode dashes), short values (never zero-padded) and, in JSON, numbers,
//! `null` and every non-string type. The reserved numbers are rejected too: the ten CPFs with
//! all digits equal and the all-zero CNPJ. Values are normalised to the bare upper-case form on
//! output (`as_str`, `Serialize`).
//!
//! API clients are programs: lenient parsing would hide their bugs and give one key two
//! spellings. Where friendlier input is wanted, call [`normalize::serpro`] or
//! [`normalize::loose`] explicitly and then the strict parser.
//!
//! # Check digits
//!
//! Both kinds use the same mod-11 routine: character value = ASCII code − 48 (`A` = 17 …
//! `Z` = 42), weights 10..2 / 11..2 (CPF) or 5,4,3,2,9,8,7,6,5,4,3,2 / 6,5,…,2 (CNPJ), and
//! digit = `0` if `sum mod 11 < 2`, else `11 − (sum mod 11)`.
//!
//! The check digits catch most, **not all**, single-character substitutions and adjacent
//! transpositions. Remainders 0 and 1 both give the digit 0, so a change that moves both
//! weighted sums by ±1 (mod 11) across that boundary can go unseen, even for numeric values
//! (`123.456.789-09` and `223.456.789-09` are both valid CPFs). In the alphanumeric CNPJ,
//! characters whose values are congruent mod 11 (`0`/`F`/`Q`, `1`/`G`/`R`, …) are
//! interchangeable without changing any check digit (`R55231B3000757` and `155231B3000757` are
//! both valid). The property tests state exactly which edits are always caught.
//!
//! # Errors
//!
//! [`TaxIdError`] carries a [`TaxIdKind`], a [`TaxIdErrorReason`], an optional 0-based position
//! and a stable [`code`](TaxIdError::code) (`cpf_check_digit`, `cnpj_lower_case`, …; all in
//! [`ALL_CODES`]). Its message never contains the input.
//!
//! # Privacy (LGPD)
//!
//! `Debug` and `Display` of every type here are **masked**: a CPF shows only its middle six
//! digits (`***.456.789-**`), a CNPJ only characters 3 to 8 (`**.ABC.345/****-**`).
//! [`Cpf::formatted`], [`Cnpj::formatted`] and [`TaxId::formatted`] are the explicit way to show
//! the whole value, [`Unverified::as_received`] the explicit way to see a raw string.

mod any;
mod cnpj;
mod cpf;
mod error;
mod fast_path;
pub mod normalize;
mod parse;
mod unverified;

pub use any::{Formatted, TaxId, TaxIdKind};
pub use cnpj::Cnpj;
pub use cpf::Cpf;
pub use error::{ALL_CODES, TaxIdError, TaxIdErrorReason};
pub use unverified::{TaxIdType, Unverified};

/// A CPF exactly as a server sent it (`x-rust-type: UnverifiedCpf`; see [`Unverified`]).
pub type UnverifiedCpf = Unverified<Cpf>;

/// A CNPJ exactly as a server sent it (`x-rust-type: UnverifiedCnpj`; see [`Unverified`]).
pub type UnverifiedCnpj = Unverified<Cnpj>;

/// A CPF or a CNPJ exactly as a server sent it (`x-rust-type: UnverifiedTaxId`; see
/// [`Unverified`]), such as a transaction's counterpart (`partieCnpjCpf`).
pub type UnverifiedTaxId = Unverified<TaxId>;
