//! The checks of one value that the generated checkers call: a JSON type, a format, a length,
//! a bound. Each reads the value, records what is wrong with the code and message the
//! diagnostics give for the same keyword (`validation::messages`), and passes over a value of
//! the wrong type (reporting the repeated member names inside it).

use super::reader::{JsonStr, Kind, NumberValue, Read, Reader};
use crate::formats::{Email, FormatError};
use crate::parse::EXACT_INTEGER_LIMIT;
use crate::tax_id::{Cnpj, Cpf};
use crate::validation::{Code, Path, ValidationErrors, messages};

/// Records that the value at `at` is of the wrong JSON type (`expected` names the right ones)
/// and passes over it.
#[cold]
pub fn wrong_type(
    r: &mut Reader<'_>,
    at: &Path<'_>,
    out: &mut ValidationErrors,
    expected: &str,
) -> Read<()> {
    out.add(at, Code::Type, messages::wrong_type(expected));
    r.skip(at, out)
}

/// Records that the value at `at`, of the JSON type `found`, is allowed by none of the branches
/// of an `anyOf` (every branch wants another type), and passes over it.
#[cold]
pub fn type_not_allowed(
    r: &mut Reader<'_>,
    at: &Path<'_>,
    out: &mut ValidationErrors,
    found: Kind,
) -> Read<()> {
    let found = match (found, r.peek()) {
        (Kind::Number, Ok(Kind::Number)) => {
            let position = r.position();
            let name = r.number().map(|n| n.schema_type()).unwrap_or("number");
            r.rewind(position);
            name
        }
        _ => found.name(),
    };
    out.add(at, Code::Type, messages::type_not_allowed(found));
    r.skip(at, out)
}

/// Records a value allowed by none of an enumeration's values or an `anyOf`'s branches.
#[cold]
pub fn not_allowed(at: &Path<'_>, out: &mut ValidationErrors) {
    out.add(at, Code::Enum, messages::NOT_ALLOWED);
}

/// A string, or `None` after recording a type violation (always inlined, as
/// [`Reader::string`] is).
#[inline(always)]
pub fn string<'a>(
    r: &mut Reader<'a>,
    at: &Path<'_>,
    out: &mut ValidationErrors,
) -> Read<Option<JsonStr<'a>>> {
    if r.peek()? == Kind::String {
        r.string().map(Some)
    } else {
        wrong_type(r, at, out, "string").map(|()| None)
    }
}

/// A member of `type: string` with no further rule.
#[inline]
pub fn text(r: &mut Reader<'_>, at: &Path<'_>, out: &mut ValidationErrors) -> Read<()> {
    string(r, at, out).map(drop)
}

/// `type: boolean`.
#[inline]
pub fn boolean(r: &mut Reader<'_>, at: &Path<'_>, out: &mut ValidationErrors) -> Read<()> {
    if r.peek()? == Kind::Bool {
        r.boolean().map(drop)
    } else {
        wrong_type(r, at, out, "boolean")
    }
}

/// `type: integer` held as an `i64`: a whole number (`22.0` too), within `i64` (below 9 ×
/// 10^15 when written with a fraction or an exponent, where `f64` is exact), as the typed reader
/// takes it. Returns the value when it is one.
pub fn integer(r: &mut Reader<'_>, at: &Path<'_>, out: &mut ValidationErrors) -> Read<Option<i64>> {
    if r.peek()? != Kind::Number {
        return wrong_type(r, at, out, "integer").map(|()| None);
    }
    let number = r.number()?;
    let value = match number.value() {
        NumberValue::Int(n) => Some(n),
        NumberValue::UInt(_) => None,
        NumberValue::Float(f) if f.fract() != 0.0 => {
            out.add(at, Code::Type, messages::wrong_type("integer"));
            return Ok(None);
        }
        NumberValue::Float(f) if f.abs() < EXACT_INTEGER_LIMIT => Some(f as i64),
        NumberValue::Float(_) => None,
    };
    if value.is_none() {
        out.add(at, Code::IntegerRange, messages::INTEGER_RANGE);
    }
    Ok(value)
}

/// An integer enumeration's number, read as the typed reader reads it: a whole number within
/// `i64` (`12.0` too, below 2^53 when written with a fraction or an exponent) is returned
/// for the caller to compare with the values; a larger integer is none of them (`enum`); any
/// other value is of the wrong type.
pub fn int_enum(
    r: &mut Reader<'_>,
    at: &Path<'_>,
    out: &mut ValidationErrors,
) -> Read<Option<i64>> {
    if r.peek()? != Kind::Number {
        return wrong_type(r, at, out, "integer").map(|()| None);
    }
    match r.number()?.value() {
        NumberValue::Int(n) => Ok(Some(n)),
        NumberValue::UInt(_) => {
            not_allowed(at, out);
            Ok(None)
        }
        NumberValue::Float(f) if f.fract() == 0.0 && f.abs() < EXACT_INTEGER_LIMIT => {
            Ok(Some(f as i64))
        }
        NumberValue::Float(_) => {
            out.add(at, Code::Type, messages::wrong_type("integer"));
            Ok(None)
        }
    }
}

/// Any JSON value (its syntax and repeated names checked).
#[inline]
pub fn any(r: &mut Reader<'_>, at: &Path<'_>, out: &mut ValidationErrors) -> Read<()> {
    r.skip(at, out)
}

/// `type: object` with anything inside.
pub fn any_object(r: &mut Reader<'_>, at: &Path<'_>, out: &mut ValidationErrors) -> Read<()> {
    if r.peek()? == Kind::Object {
        r.skip(at, out)
    } else {
        wrong_type(r, at, out, "object")
    }
}

/// The most bytes of raw JSON one character takes: an escaped surrogate pair, `\uD83D\uDE00`.
const MAX_RAW_BYTES_PER_CHAR: u64 = 12;

/// `minLength`, in characters. Inlined, without counting for the common cases: a text of at
/// least 12 × `min` raw bytes has at least `min` characters, and so has any non-empty text
/// when `min` is 1.
#[inline(always)]
pub fn min_length(
    text: &JsonStr<'_>,
    min: u64,
    message: &'static str,
    at: &Path<'_>,
    out: &mut ValidationErrors,
) {
    let bytes = text.raw().len() as u64;
    if bytes >= min.saturating_mul(MAX_RAW_BYTES_PER_CHAR) || (min == 1 && bytes >= 1) {
        return;
    }
    // A string has at least as many bytes as characters: a short one fails on its byte length.
    if bytes < min || (text.char_count() as u64) < min {
        too_short(message, at, out);
    }
}

#[cold]
fn too_short(message: &'static str, at: &Path<'_>, out: &mut ValidationErrors) {
    out.add(at, Code::MinLength, message);
}

/// `maxLength`, in characters (counted only when the raw text has more bytes than `max`).
#[inline(always)]
pub fn max_length(
    text: &JsonStr<'_>,
    max: u64,
    message: &'static str,
    at: &Path<'_>,
    out: &mut ValidationErrors,
) {
    if (text.raw().len() as u64) > max && (text.char_count() as u64) > max {
        too_long(message, at, out);
    }
}

#[cold]
fn too_long(message: &'static str, at: &Path<'_>, out: &mut ValidationErrors) {
    out.add(at, Code::MaxLength, message);
}

/// `minItems` and `maxItems`: the generated `validate()`'s own checks, on the count of items
/// read.
pub use crate::__private::{max_items, min_items};

/// `minimum` of an `integer`.
pub fn minimum(
    value: Option<i64>,
    min: i64,
    message: &'static str,
    at: &Path<'_>,
    out: &mut ValidationErrors,
) {
    if let Some(value) = value {
        crate::__private::minimum(value, min, message, at, out);
    }
}

/// `maximum` of an `integer`.
pub fn maximum(
    value: Option<i64>,
    max: i64,
    message: &'static str,
    at: &Path<'_>,
    out: &mut ValidationErrors,
) {
    if let Some(value) = value {
        crate::__private::maximum(value, max, message, at, out);
    }
}

/// Runs a format check on a string member, recording its error.
#[inline]
fn format(
    r: &mut Reader<'_>,
    at: &Path<'_>,
    out: &mut ValidationErrors,
    check: impl FnOnce(&str) -> Result<(), FormatError>,
) -> Read<()> {
    if let Some(text) = string(r, at, out)?
        && let Err(error) = check(&text.text())
    {
        out.add(at, error.code(), error.message());
    }
    Ok(())
}

/// A tax id: the fast path's acceptance, then, only for an invalid one, the strict parser for
/// the precise reason (its code and message, as the typed path and the diagnostics give them).
fn tax_id(
    r: &mut Reader<'_>,
    at: &Path<'_>,
    out: &mut ValidationErrors,
    check: fn(&str) -> Result<(), crate::tax_id::TaxIdError>,
) -> Read<()> {
    if let Some(text) = string(r, at, out)?
        && let Err(error) = check(&text.text())
    {
        out.add(at, error.code(), error.message());
    }
    Ok(())
}

/// `format: cpf`.
pub fn cpf(r: &mut Reader<'_>, at: &Path<'_>, out: &mut ValidationErrors) -> Read<()> {
    tax_id(r, at, out, Cpf::check)
}

/// `format: cnpj`.
pub fn cnpj(r: &mut Reader<'_>, at: &Path<'_>, out: &mut ValidationErrors) -> Read<()> {
    tax_id(r, at, out, Cnpj::check)
}

/// `format: email`.
pub fn email(r: &mut Reader<'_>, at: &Path<'_>, out: &mut ValidationErrors) -> Read<()> {
    format(r, at, out, |text| {
        if Email::is_valid(text) {
            Ok(())
        } else {
            Err(messages::EMAIL)
        }
    })
}

/// `format: uri`.
pub fn absolute_uri(r: &mut Reader<'_>, at: &Path<'_>, out: &mut ValidationErrors) -> Read<()> {
    format(r, at, out, crate::formats::check_absolute_uri)
}

/// `HttpUrl`: `format: uri` and `^https?://[^/?#]`.
pub fn http_url(r: &mut Reader<'_>, at: &Path<'_>, out: &mut ValidationErrors) -> Read<()> {
    format(r, at, out, crate::formats::check_http_url)
}

/// `UtcDateTime`: `format: date-time` in UTC.
pub fn utc_date_time(r: &mut Reader<'_>, at: &Path<'_>, out: &mut ValidationErrors) -> Read<()> {
    format(r, at, out, |text| {
        if crate::formats::UtcDateTime::is_valid(text) {
            Ok(())
        } else {
            Err(messages::DATE_TIME)
        }
    })
}

/// `ProductName`: snake_case, neither `all` nor `other`.
pub fn product_name(r: &mut Reader<'_>, at: &Path<'_>, out: &mut ValidationErrors) -> Read<()> {
    format(r, at, out, crate::formats::check_product_name)
}

/// Whether `text` is a valid `ProductName` (the fallback of an enumeration of products).
pub fn is_product_name(text: &JsonStr<'_>) -> bool {
    crate::formats::check_product_name(&text.text()).is_ok()
}

/// `Seconds`: `type: [integer, string]`, `0 ≤ n ≤ 2^64 - 1`, a string of 1 to 19 digits.
pub fn seconds(r: &mut Reader<'_>, at: &Path<'_>, out: &mut ValidationErrors) -> Read<()> {
    let fine = match r.peek()? {
        Kind::Number => match r.number()?.value() {
            NumberValue::Int(n) => n >= 0,
            NumberValue::UInt(_) => true,
            NumberValue::Float(f) => {
                f.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&f)
            }
        },
        Kind::String => {
            let text = r.string()?;
            let text = text.text();
            (1..=19).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
        }
        _ => return wrong_type(r, at, out, "integer, string"),
    };
    if !fine {
        out.add(at, messages::SECONDS.code(), messages::SECONDS.message());
    }
    Ok(())
}

/// `Amount`: `type: [number, string]`, a string matching `^-?[0-9]+(\.[0-9]+)?$`.
pub fn amount(r: &mut Reader<'_>, at: &Path<'_>, out: &mut ValidationErrors) -> Read<()> {
    match r.peek()? {
        Kind::Number => r.number().map(drop),
        Kind::String => {
            let text = r.string()?;
            if !crate::formats::is_decimal_text(&text.text()) {
                out.add(at, messages::AMOUNT.code(), messages::AMOUNT.message());
            }
            Ok(())
        }
        _ => wrong_type(r, at, out, "number, string"),
    }
}

/// A repeated member name in the object at `at`: as for [`duplicate_declared`], only the last
/// copy counts.
#[cold]
pub fn duplicate(at: &Path<'_>, name: &JsonStr<'_>, out: &mut ValidationErrors) {
    let name = name.text();
    let member = at.key(&name);
    out.forget_under(&member.to_pointer());
    out.add(
        &member,
        Code::DuplicateMember,
        messages::duplicate_member(&name),
    );
}

/// A declared member met a second time in the object at `at`: the last copy is the one that
/// counts (as in a parsed value), so what was found in the earlier copy is forgotten, all but
/// the repeated names inside it.
#[cold]
pub fn duplicate_declared(at: &Path<'_>, name: &'static str, out: &mut ValidationErrors) {
    let member = at.key(name);
    out.forget_under(&member.to_pointer());
    out.add(
        &member,
        Code::DuplicateMember,
        messages::duplicate_member(name),
    );
}

/// A member met beside one of its other spellings (`x-klavi-aliases`: `eventId` and
/// `eventID`), which fill one field of the typed value: the member given twice, said at its
/// main spelling.
#[cold]
pub fn duplicate_spelling(at: &Path<'_>, member: &'static str, out: &mut ValidationErrors) {
    out.add(
        &at.key(member),
        Code::DuplicateMember,
        messages::duplicate_member(member),
    );
}

/// A member an object with `additionalProperties: false` does not declare; `members` are the
/// names it declares (for "did you mean").
#[cold]
pub fn unknown_member(
    at: &Path<'_>,
    name: &JsonStr<'_>,
    members: &[&str],
    out: &mut ValidationErrors,
) {
    let name = name.text();
    let suggestion = crate::suggest::closest(&name, members.iter().copied());
    out.add(
        &at.key(&name),
        Code::UnknownField,
        messages::unknown_field(&name, suggestion),
    );
}

/// A key a map does not take (`propertyNames`).
#[cold]
pub fn invalid_key(at: &Path<'_>, name: &JsonStr<'_>, out: &mut ValidationErrors) {
    let name = name.text();
    out.add(
        &at.key(&name),
        Code::InvalidKey,
        messages::invalid_key(&name, None),
    );
}

/// A required member that is missing.
#[cold]
pub fn required(
    at: &Path<'_>,
    name: &'static str,
    message: &'static str,
    out: &mut ValidationErrors,
) {
    out.add(&at.key(name), Code::Required, message);
}

/// The exclusive key of a map beside other keys (`all` in `productsCallbackURL`).
#[cold]
pub fn exclusive_key(at: &Path<'_>, message: &'static str, out: &mut ValidationErrors) {
    out.add(at, Code::MutuallyExclusive, message);
}

/// Whether the next value equals the JSON literal of an `if`'s `const`, then passes over it
/// (reporting nothing: its own check runs when its member is read).
pub fn peek_equals(r: &mut Reader<'_>, literal: &Literal) -> Read<bool> {
    let position = r.position();
    let equal = match (r.peek()?, literal) {
        (Kind::String, Literal::Str(expected)) => r.string()?.equals(expected),
        (Kind::Number, Literal::Number(expected)) => match r.number()?.value() {
            NumberValue::Int(n) => n as f64 == *expected,
            NumberValue::UInt(n) => n as f64 == *expected,
            NumberValue::Float(f) => f == *expected,
        },
        (Kind::Bool, Literal::Bool(expected)) => r.boolean()? == *expected,
        _ => false,
    };
    r.rewind(position);
    Ok(equal)
}

/// A JSON literal an `if` compares a member with.
#[derive(Clone, Copy, Debug)]
pub enum Literal {
    /// A string.
    Str(&'static str),
    /// A number.
    Number(f64),
    /// `true` or `false`.
    Bool(bool),
}

/// The string value of the member `tag` of the object that is the next value, without moving
/// the reader: the member that chooses a body or a variant, which may come after the members
/// it decides about. The last copy counts, as in a parsed value.
pub fn find_tag<'a>(r: &mut Reader<'a>, tag: &str) -> Read<Option<JsonStr<'a>>> {
    let position = r.position();
    let mut walk = r.begin_object()?;
    let mut found = None;
    while let Some(name) = r.next_member(&mut walk)? {
        if name.equals(tag) && r.peek()? == Kind::String {
            found = Some(r.string()?);
        } else {
            if name.equals(tag) {
                found = None;
            }
            r.skip_syntax()?;
        }
    }
    r.rewind(position);
    Ok(found)
}

/// The verdict of a closed union on an object checked as its tag's variant (violations in
/// `found`): refused, the object is none of the union's values, said once at `at`, as an
/// `anyOf` says it; the repeated names inside it are kept.
pub fn union_refused(at: &Path<'_>, found: ValidationErrors, out: &mut ValidationErrors) {
    if found.is_empty() {
        return;
    }
    let mut refused = false;
    for violation in found {
        if violation.code() == Code::DuplicateMember.as_str() {
            out.push(violation);
        } else {
            refused = true;
        }
    }
    if refused {
        not_allowed(at, out);
    }
}

/// Whether a string is a value of a plain string type (any is).
pub fn accepts_text(_text: &JsonStr<'_>) -> bool {
    true
}

/// Whether a string is a valid CPF.
pub fn accepts_cpf(text: &JsonStr<'_>) -> bool {
    Cpf::is_valid(&text.text())
}

/// Whether a string is a valid CNPJ.
pub fn accepts_cnpj(text: &JsonStr<'_>) -> bool {
    Cnpj::is_valid(&text.text())
}

/// Whether a string is a valid e-mail address.
pub fn accepts_email(text: &JsonStr<'_>) -> bool {
    Email::is_valid(&text.text())
}

/// Whether a string is an absolute URI.
pub fn accepts_absolute_uri(text: &JsonStr<'_>) -> bool {
    crate::formats::check_absolute_uri(&text.text()).is_ok()
}

/// Whether a string is an http(s) URL.
pub fn accepts_http_url(text: &JsonStr<'_>) -> bool {
    crate::formats::check_http_url(&text.text()).is_ok()
}

/// Whether a string is a UTC timestamp.
pub fn accepts_utc_date_time(text: &JsonStr<'_>) -> bool {
    crate::formats::UtcDateTime::is_valid(&text.text())
}

/// Whether a string is a product name.
pub fn accepts_product_name(text: &JsonStr<'_>) -> bool {
    is_product_name(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `minLength` and `maxLength` count characters, decoded, whichever shortcut decides: every
    /// case at bounds 1, 2 and 3 against the count of `serde_json`'s decoded string.
    #[test]
    fn lengths_count_decoded_characters() {
        let cases = [
            r#""""#,
            r#""a""#,
            r#""é""#,
            r#""ab""#,
            r#""\u00e9""#,
            r#""\uD83D\uDE00""#,
            r#""\uD83D\uDE00\uD83D\uDE00""#,
            r#""\n\n""#,
            r#""😀""#,
            r#""😀😀😀""#,
            r#""abc""#,
        ];
        for case in cases {
            let chars = serde_json::from_str::<String>(case)
                .unwrap()
                .chars()
                .count() as u64;
            let text = Reader::new(case).string().unwrap();
            for bound in 1..=3 {
                let mut out = ValidationErrors::new();
                min_length(&text, bound, "short", &Path::root(), &mut out);
                assert_eq!(out.is_empty(), chars >= bound, "{case} minLength {bound}");
                let mut out = ValidationErrors::new();
                max_length(&text, bound, "long", &Path::root(), &mut out);
                assert_eq!(out.is_empty(), chars <= bound, "{case} maxLength {bound}");
            }
        }
    }
}
