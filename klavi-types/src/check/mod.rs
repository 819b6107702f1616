//! The compiled check: every violation of a payload, read straight from its bytes by code
//! generated per message from the schemas, building nothing.
//!
//! [`check_json`] reads the bytes once with a borrowing reader (`reader`), borrows every string,
//! and checks every rule the schema states: JSON types, required and unknown members, formats
//! and tax ids, enumerations, lengths and bounds, `dependentRequired`, exclusive keys, `anyOf`
//! requirements and conditionals, and that no member name repeats in an object. It keeps going
//! after a violation (passing over the bad value) and returns **every** violation, sorted by
//! pointer then code, with the pointers and codes the diagnostics give. When the payload is
//! valid it allocates nothing (a member name or a string written with `\` escapes is decoded
//! into a copy, and an object with more than 32 members its type does not declare keeps their
//! names on the heap).
//!
//! Limits, the same as every other reader of the crate: a payload over [`MAX_PAYLOAD_BYTES`]
//! is refused unread, at most 127 arrays and objects may be open at once (`serde_json`'s
//! limit), and a list stops at [`MAX_VIOLATIONS`](crate::validation::MAX_VIOLATIONS)
//! violations, closed by one `too_many_violations`.
//!
//! ```
//! use klavi_types::check::check_json;
//! use klavi_types::links::CreateLinkRequest;
//!
//! assert!(check_json::<CreateLinkRequest>(br#"{"personalTaxId": "280.012.389-38"}"#).is_ok());
//!
//! let errors = check_json::<CreateLinkRequest>(
//!     br#"{"personalTaxId": "123", "appLink": "x://y", "redirectUrl": "h"}"#,
//! )
//! .unwrap_err();
//! let found: Vec<(&str, &str)> = errors.iter().map(|v| (v.pointer(), v.code())).collect();
//! assert_eq!(
//!     found,
//!     [
//!         ("/appRedirectURLKey", "dependent_required"),
//!         ("/personalTaxId", "cpf_length"),
//!         ("/redirectUrl", "unknown_field"),
//!     ]
//! );
//! ```

pub mod lex;
mod names;
mod reader;
mod values;

use crate::JsonSyntaxError;
use crate::validation::{Code, Path, ValidationErrors, Violation, messages};

/// The largest payload checked (16 MiB), the bound of the `klavi` tool too: a larger one is one
/// `payload_too_large` violation, unread.
pub const MAX_PAYLOAD_BYTES: usize = 16 * 1024 * 1024;

/// A type whose JSON can be checked without building it; every generated type implements it.
pub trait CheckJson {
    /// Checks the next value of `reader` as this type, adding its violations below `at` to
    /// `out`. Generated code; call [`check_json`].
    #[doc(hidden)]
    fn check_json_at(
        reader: &mut reader::Reader<'_>,
        at: &Path<'_>,
        out: &mut ValidationErrors,
    ) -> reader::Read<()>;

    /// Whether a string is one of this type's values (an enumeration read as a map key).
    #[doc(hidden)]
    fn accepts_str(_text: &reader::JsonStr<'_>) -> bool {
        false
    }
}

/// Every violation of `bytes` as a `T`, or `Ok(())`: the verdict and list of
/// [`Diagnostics::check`](crate::diagnostics::Diagnostics::check) (feature `diagnostics`),
/// several times faster, from code generated for `T`. See the [module](self) documentation.
///
/// Malformed JSON (or text that is not UTF-8) is one `invalid_json` violation with its line and
/// column; a payload over [`MAX_PAYLOAD_BYTES`] is one `payload_too_large`.
pub fn check_json<T: CheckJson + ?Sized>(bytes: &[u8]) -> Result<(), ValidationErrors> {
    if bytes.len() > MAX_PAYLOAD_BYTES {
        return Err(ValidationErrors::from(too_large(bytes.len())));
    }
    // Not checked as UTF-8 first: the reader checks every string where it reads it, and admits
    // only ASCII elsewhere.
    let mut reader = reader::Reader::from_bytes(bytes);
    let mut out = ValidationErrors::new();
    if T::check_json_at(&mut reader, &Path::root(), &mut out).is_err() || !reader.at_end() {
        return Err(not_json(bytes));
    }
    if out.is_empty() {
        Ok(())
    } else {
        Err(in_report_order(out))
    }
}

/// The list sorted by pointer then code, each violation once, closed again when it was cut.
#[cold]
fn in_report_order(out: ValidationErrors) -> ValidationErrors {
    let cut = out.is_truncated();
    let mut listed: Vec<Violation> = out.into_iter().collect();
    if cut {
        // The closing `too_many_violations`, put back after the sort.
        listed.pop();
    }
    ValidationErrors::from_list(crate::validation::dedupe(listed), cut)
}

/// The one violation of text that is not JSON, in `serde_json`'s words, with line and column
/// (as every reader of the crate says it).
#[cold]
fn not_json(bytes: &[u8]) -> ValidationErrors {
    let violation = match crate::parse::read_json::<serde_json::Value>(bytes) {
        Err(error) => JsonSyntaxError::new(bytes, &error).to_violation(),
        // Not reached: the reader refuses what serde_json refuses (its tests hold them to it).
        Ok(_) => Violation::new(
            "",
            Code::InvalidJson,
            messages::invalid_json("not a JSON document"),
        ),
    };
    ValidationErrors::from(violation)
}

#[cold]
fn too_large(len: usize) -> Violation {
    Violation::new(
        "",
        Code::PayloadTooLarge,
        format!(
            "the payload is {len} bytes, more than the {MAX_PAYLOAD_BYTES} bytes checked; it was not read"
        ),
    )
}

/// The reader and value checks the generated checkers call (through `__private::check`).
#[doc(hidden)]
pub mod support {
    pub use super::names::SeenNames;
    pub use super::reader::{JsonStr, Kind, Member, Read, Reader, Syntax, Walk};
    pub use super::values::*;
    pub use crate::simd::Expected;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_syntax_are_single_violations() {
        use crate::links::CreateLinkRequest;
        let big = vec![b' '; MAX_PAYLOAD_BYTES + 1];
        let errors = check_json::<CreateLinkRequest>(&big).unwrap_err();
        assert_eq!(errors.as_slice()[0].code(), "payload_too_large");
        for bad in [&b"{"[..], b"{} x", b"\xff", b"{\"a\": 1e400}", b""] {
            let errors = check_json::<CreateLinkRequest>(bad).unwrap_err();
            let codes: Vec<_> = errors.iter().map(Violation::code).collect();
            assert_eq!(codes, ["invalid_json"], "{bad:?}");
        }
        let deep = format!(
            r#"{{"externalInfo": {}{}}}"#,
            "[".repeat(127),
            "]".repeat(127)
        );
        let errors = check_json::<CreateLinkRequest>(deep.as_bytes()).unwrap_err();
        assert_eq!(errors.as_slice()[0].code(), "invalid_json");
    }
}
