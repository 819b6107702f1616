//! Diagnostic validation of any JSON (feature `diagnostics`): the `jsonschema` crate runs the
//! same bundled schemas the types were generated from and reports **every** violation, which is
//! mapped onto this crate's stable codes and masked messages. The typed check runs too, and the
//! two reports are merged; by construction (and by the differential tests) they agree on the
//! verdict.
//!
//! `validators` builds the `jsonschema` validators, `map` turns each error kind into
//! violations, `merge` joins the reports; `duplicates` finds the members a parsed value loses.
//!
//! ```
//! use klavi_types::diagnostics::Diagnostics;
//!
//! let diagnostics = Diagnostics::new();
//! let report = diagnostics
//!     .check("create-link.request", br#"{"personalTaxId": "123", "appLink": "x://y", "redirectUrl": "h"}"#)
//!     .unwrap();
//! let codes: Vec<&str> = report.iter().map(|v| v.code()).collect();
//! // Sorted by pointer: /appRedirectURLKey, /personalTaxId, /redirectUrl.
//! assert_eq!(codes, ["dependent_required", "cpf_length", "unknown_field"]);
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde_json::Value;

use crate::JsonSyntaxError;
use crate::registry::MessageInfo;
use crate::validation::{Code, MAX_VIOLATIONS, Violation, messages};

mod duplicates;
mod map;
mod merge;
#[cfg(test)]
mod test_support;
mod validators;

pub use validators::validator_for;

use validators::Compiled;

/// Why a message cannot be checked.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DiagnosticsError {
    /// The message id is not in the registry (`klavi_types::registry::messages` lists them).
    UnknownMessage(String),
    /// The message's bundled schema does not compile with `jsonschema`. Every schema of this
    /// crate is compiled by its tests, so this is a bug to report, not a payload problem.
    SchemaDoesNotCompile {
        /// The message id.
        message: String,
        /// What `jsonschema` said.
        reason: String,
    },
}

impl fmt::Display for DiagnosticsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiagnosticsError::UnknownMessage(id) => write!(f, "unknown message `{id}`"),
            DiagnosticsError::SchemaDoesNotCompile { message, reason } => write!(
                f,
                "the schema of message `{message}` does not compile ({reason}); this is a bug of klavi-types, please report it"
            ),
        }
    }
}

impl std::error::Error for DiagnosticsError {}

/// One message of the registry, compiled when it is first checked.
struct Entry {
    info: &'static MessageInfo,
    compiled: OnceLock<Result<Compiled, String>>,
}

/// Validators for the messages of the registry. Each message's schema is compiled the first time
/// the message is checked, once: checking one message compiles no other.
pub struct Diagnostics {
    messages: BTreeMap<&'static str, Entry>,
}

impl Default for Diagnostics {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Diagnostics")
            .field("compiled", &self.compiled_messages())
            .finish()
    }
}

impl Diagnostics {
    /// Diagnostics for every message of the registry; nothing is compiled yet.
    pub fn new() -> Self {
        Self::of(crate::registry::messages())
    }

    /// Diagnostics for `messages`.
    pub(crate) fn of(messages: impl IntoIterator<Item = &'static MessageInfo>) -> Self {
        Diagnostics {
            messages: messages
                .into_iter()
                .map(|info| {
                    let entry = Entry {
                        info,
                        compiled: OnceLock::new(),
                    };
                    (info.id, entry)
                })
                .collect(),
        }
    }

    /// The messages whose schema has been compiled so far, in id order.
    pub fn compiled_messages(&self) -> Vec<&'static str> {
        self.messages
            .iter()
            .filter(|(_, entry)| entry.compiled.get().is_some())
            .map(|(id, _)| *id)
            .collect()
    }

    /// Every violation of `bytes` as message `message_id`: malformed JSON is one `invalid_json`
    /// violation with its line and column (see [`JsonSyntaxError`]); otherwise the schema's,
    /// the typed check's and the duplicate members' violations, merged, sorted by pointer.
    ///
    /// The list is empty exactly when [`Diagnostics::is_valid`] says `true`.
    pub fn check(
        &self,
        message_id: &str,
        bytes: &[u8],
    ) -> Result<Vec<Violation>, DiagnosticsError> {
        let compiled = self.compiled(message_id)?;
        let value: Value = match crate::parse::read_json(bytes) {
            Ok(value) => value,
            Err(error) => return Ok(vec![JsonSyntaxError::new(bytes, &error).to_violation()]),
        };
        let schema = self.schema_violations(compiled, &value);
        let duplicates = std::str::from_utf8(bytes)
            .map(duplicates::duplicate_members)
            .unwrap_or_default();
        let typed = (compiled.info.check)(bytes)
            .err()
            .map(|typed| typed.into_iter().collect());
        Ok(merge::merge(schema, typed, duplicates))
    }

    /// The verdict of [`Diagnostics::check`] without the list, for batches: the typed check
    /// first (the fast path), then the schema and the duplicate members. `true` exactly when
    /// `check` finds nothing, so that a payload gets one verdict whichever way it is checked.
    pub fn is_valid(&self, message_id: &str, bytes: &[u8]) -> Result<bool, DiagnosticsError> {
        let compiled = self.compiled(message_id)?;
        if (compiled.info.check)(bytes).is_err() {
            return Ok(false);
        }
        // The typed check read the bytes, so they are UTF-8 JSON; one more read gives the tree
        // the schema needs and says whether a name repeats.
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Ok(false);
        };
        let Some(value) = duplicates::value_without_duplicates(text) else {
            return Ok(false);
        };
        Ok(compiled.validator.is_valid(&value))
    }

    fn compiled(&self, message_id: &str) -> Result<&Compiled, DiagnosticsError> {
        let entry = self
            .messages
            .get(message_id)
            .ok_or_else(|| DiagnosticsError::UnknownMessage(message_id.to_owned()))?;
        entry
            .compiled
            .get_or_init(|| validators::compile(entry.info))
            .as_ref()
            .map_err(|reason| DiagnosticsError::SchemaDoesNotCompile {
                message: message_id.to_owned(),
                reason: reason.clone(),
            })
    }

    /// The schema's violations of an already-parsed value, mapped onto this crate's codes.
    pub fn check_value(
        &self,
        message_id: &str,
        value: &Value,
    ) -> Result<Vec<Violation>, DiagnosticsError> {
        Ok(self.schema_violations(self.compiled(message_id)?, value))
    }

    fn schema_violations(&self, compiled: &Compiled, value: &Value) -> Vec<Violation> {
        let mut out = Vec::new();
        if holds_more_values_than(value, MAX_LISTED_VALUES) {
            // `jsonschema` gathers every error before yielding one, even the first (an `anyOf`
            // keeps each branch's errors), in memory that grows with their number: an array of
            // 100,000 `{}` made 1,200,000 errors and a 480 MB peak. A payload this large gets
            // the verdict only; the typed check's violations still come with it.
            if !compiled.validator.is_valid(value) {
                out.push(Violation::new(
                    "",
                    Code::TooManyViolations,
                    messages::too_many_values(MAX_LISTED_VALUES),
                ));
            }
            return out;
        }
        let mapping = map::Mapping {
            schema: &compiled.schema,
            info: compiled.info,
        };
        for error in compiled.validator.iter_errors(value) {
            if out.len() >= MAX_VIOLATIONS {
                break;
            }
            mapping.error(&error, &mut out);
        }
        merge::cut_schema_list(out)
    }
}

/// The most JSON values (objects, arrays, members' values, items, scalars) a payload may hold
/// for [`Diagnostics::check`] to list every schema violation; Klavi's payloads hold a few
/// hundred, a 1,000-consent list about 15,000.
pub const MAX_LISTED_VALUES: usize = 20_000;

/// `true` when `value` holds more than `limit` JSON values; stops counting past the limit.
fn holds_more_values_than(value: &Value, limit: usize) -> bool {
    let mut pending = vec![value];
    let mut seen = 0usize;
    while let Some(next) = pending.pop() {
        seen += 1;
        if seen > limit {
            return true;
        }
        match next {
            Value::Array(items) => pending.extend(items),
            Value::Object(members) => pending.extend(members.values()),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checking_one_message_compiles_that_one_only() {
        let diagnostics = Diagnostics::new();
        assert!(diagnostics.compiled_messages().is_empty());
        diagnostics
            .check(
                "create-link.request",
                br#"{"personalTaxId": "52998224725"}"#,
            )
            .unwrap();
        diagnostics.is_valid("create-link.request", b"{}").unwrap();
        assert_eq!(diagnostics.compiled_messages(), ["create-link.request"]);
        assert_eq!(
            diagnostics.check("no-such.request", b"{}"),
            Err(DiagnosticsError::UnknownMessage("no-such.request".into()))
        );
    }

    static BROKEN: MessageInfo = super::test_support::message(
        "broken.request",
        r#"{"type": "string", "pattern": "("}"#,
        &[],
    );

    #[test]
    fn a_schema_that_does_not_compile_is_an_error_not_a_missing_message() {
        let diagnostics = Diagnostics::of([&BROKEN]);
        let error = diagnostics.check("broken.request", br#""x""#).unwrap_err();
        assert!(
            matches!(&error, DiagnosticsError::SchemaDoesNotCompile { message, .. } if message == "broken.request"),
            "{error:?}"
        );
        assert!(error.to_string().contains("please report it"), "{error}");
        assert_eq!(
            diagnostics.is_valid("broken.request", br#""x""#),
            Err(error)
        );
    }
}
