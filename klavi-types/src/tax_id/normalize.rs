//! Explicit, opt-in normalisation of user-typed tax ids (br-tax-ids.md §4.3).
//!
//! [`Cpf::parse`](super::Cpf::parse) and [`Cnpj::parse`](super::Cnpj::parse) are strict. An
//! endpoint that wants friendlier input (a form field, a CLI argument) runs one of these
//! functions **first** and then the strict parser on the result:
//!
//! ```
//! use klavi_types::tax_id::{Cnpj, normalize};
//!
//! let typed = " 12.abc.345/01de-35\n";
//! assert!(Cnpj::parse(typed).is_err());
//! let cnpj = Cnpj::parse(&normalize::loose(typed))?;
//! assert_eq!(cnpj.as_str(), "12ABC34501DE35");
//! # Ok::<(), klavi_types::tax_id::TaxIdError>(())
//! ```
//!
//! Normalisation never validates: its output must still go through `parse`. Both functions
//! touch ASCII only, so non-ASCII look-alikes (full-width digits, Unicode dashes) survive and
//! are then rejected by the parser. Both borrow when nothing needs to change.

use std::borrow::Cow;

/// Bytes trimmed at both ends: ASCII whitespace and ASCII control characters (what Java's
/// `String.trim()` removes, plus DEL).
fn is_trimmed(c: char) -> bool {
    c.is_ascii_whitespace() || c.is_ascii_control()
}

fn is_separator(c: char) -> bool {
    matches!(c, '.' | '/' | '-')
}

/// The SERPRO reference behaviour (the Java `CNPJValidator`, §3.4): trim ASCII whitespace and
/// control characters at both ends, then delete every `.`, `/` and `-` anywhere. No case
/// folding, inner whitespace kept.
///
/// This accepts partial and garbled masks such as `90.024.778/000123`. The output must still
/// go through `Cpf::parse` / `Cnpj::parse`.
pub fn serpro(input: &str) -> Cow<'_, str> {
    let trimmed = input.trim_matches(is_trimmed);
    if trimmed.contains(is_separator) {
        Cow::Owned(trimmed.chars().filter(|&c| !is_separator(c)).collect())
    } else {
        Cow::Borrowed(trimmed)
    }
}

/// [`serpro`] plus: delete ASCII whitespace anywhere and upper-case ASCII letters.
///
/// Suited to hand-typed input (`" 12.abc.345/01de 35 "` → `"12ABC34501DE35"`). The output
/// must still go through `Cpf::parse` / `Cnpj::parse`.
pub fn loose(input: &str) -> Cow<'_, str> {
    let trimmed = input.trim_matches(is_trimmed);
    let changes = |c: char| is_separator(c) || c.is_ascii_whitespace() || c.is_ascii_lowercase();
    if trimmed.contains(changes) {
        Cow::Owned(
            trimmed
                .chars()
                .filter(|&c| !is_separator(c) && !c.is_ascii_whitespace())
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        )
    } else {
        Cow::Borrowed(trimmed)
    }
}
