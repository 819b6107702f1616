//! Validation results: every violation with its JSON Pointer (wire names), a stable code and a
//! message that never contains the offending value, plus the [`Validate`] trait the generated
//! types implement.

pub(crate) mod coded;
mod codes;
pub(crate) mod messages;
mod order;
mod path;
pub mod pointer;

pub use codes::{CODES, Code, CodeInfo, all_codes, code_info};
pub use path::Path;

pub(crate) use order::dedupe;

use std::borrow::Cow;
use std::fmt;

/// One broken rule.
///
/// `Display` and `Debug` show the pointer [redacted](pointer::redact): a reference token that
/// may carry personal data (an undeclared member's name, a map key such as an e-mail address)
/// is shown as `***`. [`Violation::pointer`] is exact.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Violation {
    pointer: String,
    code: &'static str,
    message: Cow<'static, str>,
}

impl Violation {
    /// A violation at `pointer` (RFC 6901, wire names; `""` is the whole payload) with `code`
    /// (a [`Code`], or its text).
    pub fn new(
        pointer: impl Into<String>,
        code: impl Into<&'static str>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Violation {
            pointer: pointer.into(),
            code: code.into(),
            message: message.into(),
        }
    }

    /// The JSON Pointer of the offending member, in wire names (`/productsCallbackURL`),
    /// exact: it resolves against the payload. It may hold a payload's own member names or map
    /// keys; to show it to people, use [`Violation::shown_pointer`].
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// The pointer as it may be shown: every reference token that may carry personal data
    /// replaced by `***` (see [`pointer::redact`]).
    pub fn shown_pointer(&self) -> Cow<'_, str> {
        pointer::redact(&self.pointer)
    }

    /// The stable machine-readable code (`cpf_check_digit`, `dependent_required`, …); see
    /// [`all_codes`].
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The human message. It never contains the offending value (LGPD).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = self.shown_pointer();
        let pointer = if pointer.is_empty() {
            "(root)"
        } else {
            &pointer
        };
        write!(f, "{pointer}: {} [{}]", self.message, self.code)
    }
}

impl fmt::Debug for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Violation")
            .field("pointer", &self.shown_pointer())
            .field("code", &self.code)
            .field("message", &self.message)
            .finish()
    }
}

/// The most violations one [`ValidationErrors`] lists. A payload with more (an array of
/// 100,000 broken items, say) ends its list with one `too_many_violations` violation at the root
/// and records no more, so that the report, like the payload, stays bounded: its size never
/// grows past this many entries whatever the input.
pub const MAX_VIOLATIONS: usize = 1000;

/// How many violations a list makes room for at its first.
const FIRST_CAPACITY: usize = 8;

/// The violation that ends a list cut at [`MAX_VIOLATIONS`].
pub fn too_many_violations() -> Violation {
    Violation::new(
        String::new(),
        Code::TooManyViolations,
        messages::too_many_violations(MAX_VIOLATIONS),
    )
}

/// All the violations found in one payload (never just the first; at most [`MAX_VIOLATIONS`]
/// of them, then a final `too_many_violations`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationErrors {
    violations: Vec<Violation>,
}

impl ValidationErrors {
    /// An empty list (does not allocate).
    pub const fn new() -> Self {
        ValidationErrors {
            violations: Vec::new(),
        }
    }

    /// Records a violation of `code` (a [`Code`], or its text) at `at`; the pointer string is
    /// built only now, on failure.
    pub fn add(
        &mut self,
        at: &Path<'_>,
        code: impl Into<&'static str>,
        message: impl Into<Cow<'static, str>>,
    ) {
        if self.has_room() {
            self.violations
                .push(Violation::new(at.to_pointer(), code, message));
        }
    }

    /// Records a ready-made violation.
    pub fn push(&mut self, violation: Violation) {
        if self.has_room() {
            self.violations.push(violation);
        }
    }

    /// Forgets what was found at `pointer` and below it, all but repeated member names: a
    /// member met again in its object, of which only the last copy counts.
    pub(crate) fn forget_under(&mut self, pointer: &str) {
        self.violations.retain(|violation| {
            violation.code == Code::DuplicateMember.as_str()
                || !pointer::is_at_or_under(&violation.pointer, pointer)
        });
    }

    /// `true` while fewer than [`MAX_VIOLATIONS`] are listed; at the limit, closes the list
    /// with [`too_many_violations`] (once) and returns `false`.
    fn has_room(&mut self) -> bool {
        if self.violations.len() < MAX_VIOLATIONS {
            // The first violation makes room for eight: one allocation for most lists, where
            // growing from one took four (1, 2, 4, 8).
            if self.violations.capacity() == 0 {
                self.violations.reserve_exact(FIRST_CAPACITY);
            }
            return true;
        }
        if self.violations.len() == MAX_VIOLATIONS {
            self.violations.push(too_many_violations());
        }
        false
    }

    /// `true` when the list was cut at [`MAX_VIOLATIONS`] (its last entry is then
    /// `too_many_violations`).
    pub fn is_truncated(&self) -> bool {
        self.violations.len() > MAX_VIOLATIONS
    }

    /// `true` when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.violations.is_empty()
    }

    /// How many violations.
    pub fn len(&self) -> usize {
        self.violations.len()
    }

    /// The violations, in the order they were found.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.violations.iter()
    }

    /// The violations as a slice.
    pub fn as_slice(&self) -> &[Violation] {
        &self.violations
    }

    /// `Ok(())` when empty, else `Err(self)`.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl ValidationErrors {
    /// A list made from `violations`, cut at [`MAX_VIOLATIONS`] with the closing violation
    /// when `cut` (or when longer).
    pub(crate) fn from_list(mut violations: Vec<Violation>, cut: bool) -> Self {
        if cut || violations.len() > MAX_VIOLATIONS {
            violations.truncate(MAX_VIOLATIONS);
            violations.push(too_many_violations());
        }
        ValidationErrors { violations }
    }
}

impl From<Violation> for ValidationErrors {
    fn from(violation: Violation) -> Self {
        ValidationErrors {
            violations: vec![violation],
        }
    }
}

impl IntoIterator for ValidationErrors {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.violations.into_iter()
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.violations.iter()
    }
}

impl Extend<Violation> for ValidationErrors {
    fn extend<I: IntoIterator<Item = Violation>>(&mut self, iter: I) {
        for violation in iter {
            if self.is_truncated() {
                break;
            }
            self.push(violation);
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.violations.len() {
            0 => f.write_str("no violations"),
            1 => write!(f, "1 violation: {}", self.violations[0]),
            n => {
                write!(f, "{n} violations:")?;
                for violation in &self.violations {
                    write!(f, "\n  {violation}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ValidationErrors {}

/// Checks every rule of a value and reports all violations.
///
/// Generated types implement it; what their types already guarantee (a [`crate::tax_id::Cpf`]
/// is always valid, a request cannot hold unknown members) needs no check here, so `validate`
/// covers lengths, ranges and rules across members. It does not allocate when the value is
/// valid.
pub trait Validate {
    /// Every violation, or `Ok(())`.
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut out = ValidationErrors::new();
        self.validate_at(&Path::root(), &mut out);
        out.into_result()
    }

    /// Adds the violations of `self`, located below `at`, to `out`.
    fn validate_at(&self, at: &Path<'_>, out: &mut ValidationErrors);
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, at: &Path<'_>, out: &mut ValidationErrors) {
        for (index, item) in self.iter().enumerate() {
            item.validate_at(&at.index(index), out);
        }
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, at: &Path<'_>, out: &mut ValidationErrors) {
        if let Some(value) = self {
            value.validate_at(at, out);
        }
    }
}

/// A member name from a payload, fit to quote in a message: in backquotes when it
/// [cannot carry personal data](pointer::is_shareable_name), else `` `***` `` (a payload's keys
/// are data: a CPF, an e-mail address, a forged line of output).
pub(crate) fn quote_key(key: &str) -> String {
    if pointer::is_shareable_name(key) {
        format!("`{key}`")
    } else {
        format!("`{}`", pointer::REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::{
        MAX_VIOLATIONS, Path, ValidationErrors, Violation, quote_key, too_many_violations,
    };

    #[test]
    fn keys_are_quoted_only_when_they_cannot_carry_personal_data() {
        assert_eq!(quote_key("redirectUrl"), "`redirectUrl`");
        assert_eq!(quote_key("a\nb\u{1b}[31m"), "`***`");
        assert_eq!(quote_key("52998224725"), "`***`");
        assert_eq!(quote_key("maria@example.com"), "`***`");
        assert_eq!(quote_key(&"k".repeat(100)), "`***`");
    }

    #[test]
    fn display_and_debug_redact_the_pointer_and_keep_it_exact() {
        let violation =
            Violation::new("/productsCallbackURL/maria@example.com", "invalid_key", "m");
        assert_eq!(
            violation.to_string(),
            "/productsCallbackURL/***: m [invalid_key]"
        );
        assert!(!format!("{violation:?}").contains("maria"), "{violation:?}");
        assert_eq!(
            violation.pointer(),
            "/productsCallbackURL/maria@example.com"
        );
        assert_eq!(Violation::new("", "c", "m").to_string(), "(root): m [c]");
    }

    #[test]
    fn lists_stop_at_the_limit_with_one_closing_violation() {
        let mut errors = ValidationErrors::new();
        for _ in 0..MAX_VIOLATIONS {
            errors.add(&Path::root(), "required", "missing");
        }
        assert!(!errors.is_truncated());
        errors.add(&Path::root(), "required", "missing");
        errors.push(Violation::new("/a", "type", "wrong"));
        errors.extend(vec![Violation::new("/b", "type", "wrong"); 10]);
        assert!(errors.is_truncated());
        assert_eq!(errors.len(), MAX_VIOLATIONS + 1);
        let last = errors.iter().last().expect("a closing violation");
        assert_eq!(last, &too_many_violations());
        assert_eq!(last.code(), "too_many_violations");
        assert!(last.message().contains(&MAX_VIOLATIONS.to_string()));
        // The code's explanation is a constant string: it must name the same limit.
        let info = super::code_info("too_many_violations").expect("a registered code");
        assert!(info.summary.contains(&MAX_VIOLATIONS.to_string()));
    }
}
