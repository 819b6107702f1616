//! Diagnostic validation of any JSON (feature `diagnostics`): the `jsonschema` crate runs the
//! same bundled schemas the types were generated from and reports **every** violation, which is
//! mapped onto this crate's stable codes and masked messages. The typed check runs too, and the
//! two reports are merged; by construction (and by the differential tests) they agree on the
//! verdict.
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

use std::collections::{BTreeMap, BTreeSet};

use std::fmt;

use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use crate::JsonSyntaxError;
use crate::formats::{AbsoluteUri, Email, FormatError, HttpUrl, ProductName, UtcDateTime};
use crate::registry::{self, MessageInfo};
use crate::tax_id::{Cnpj, Cpf};
use crate::validation::{MAX_VIOLATIONS, Violation, quote_key, too_many_violations};

mod duplicates;

/// A `jsonschema` validator for a schema of this crate. Every format the schemas use is checked
/// by this crate's own runtime type, so that the typed path and the diagnostics share one rule
/// per format and cannot disagree on a verdict: `cpf` ([`Cpf::is_valid`]), `cnpj`
/// ([`Cnpj::is_valid`]), `email` ([`Email::is_valid`]: punycode labels are accepted without
/// being decoded), `uri` ([`AbsoluteUri`]) and `date-time` ([`UtcDateTime`]: RFC 3339 in UTC).
/// Formats are asserted.
pub fn validator_for(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_format("cpf", Cpf::is_valid)
        .with_format("cnpj", Cnpj::is_valid)
        .with_format("email", Email::is_valid)
        .with_format("uri", |text: &str| AbsoluteUri::parse(text).is_ok())
        .with_format("date-time", |text: &str| UtcDateTime::parse(text).is_ok())
        .build(schema)
        .map_err(|error| error.to_string())
}

/// The message id given is not in the registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownMessage(pub String);

impl fmt::Display for UnknownMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown message `{}`", self.0)
    }
}

impl std::error::Error for UnknownMessage {}

struct Compiled {
    info: &'static MessageInfo,
    validator: jsonschema::Validator,
    schema: Value,
    property_names: Vec<String>,
}

/// Validators for every message of the registry, compiled once.
pub struct Diagnostics {
    messages: BTreeMap<&'static str, Compiled>,
}

impl Default for Diagnostics {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Diagnostics")
            .field("messages", &self.messages.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Diagnostics {
    /// Compiles every message schema.
    pub fn new() -> Self {
        let mut messages = BTreeMap::new();
        for info in registry::messages() {
            let schema: Value = serde_json::from_str(info.schema).unwrap_or(Value::Bool(true));
            if let Ok(validator) = validator_for(&schema) {
                let mut property_names = BTreeSet::new();
                collect_property_names(&schema, &mut property_names);
                messages.insert(
                    info.id,
                    Compiled {
                        info,
                        validator,
                        schema,
                        property_names: property_names.into_iter().collect(),
                    },
                );
            }
        }
        Diagnostics { messages }
    }

    /// Every violation of `bytes` as message `message_id`: malformed JSON is one `invalid_json`
    /// violation with its line and column (see [`JsonSyntaxError`]); otherwise the schema's,
    /// the typed check's and the duplicate members' violations, merged, sorted by pointer.
    ///
    /// The list is empty exactly when [`Diagnostics::is_valid`] says `true`.
    pub fn check(&self, message_id: &str, bytes: &[u8]) -> Result<Vec<Violation>, UnknownMessage> {
        let compiled = self.compiled(message_id)?;
        let value: Value = match crate::parse::read_json(bytes) {
            Ok(value) => value,
            Err(error) => return Ok(vec![JsonSyntaxError::new(bytes, &error).to_violation()]),
        };
        let mut violations = self.schema_violations(compiled, &value);
        let duplicates = std::str::from_utf8(bytes)
            .map(duplicates::duplicate_members)
            .unwrap_or_default();
        if let Err(typed) = (compiled.info.check)(bytes) {
            // The typed reader meets every copy of a duplicate member, the schema only the
            // last: what it says of a copy would point at the wrong one, so the duplicate
            // alone is reported there.
            violations.extend(typed.into_iter().filter(|violation| {
                !duplicates
                    .iter()
                    .any(|duplicate| is_at_or_under(violation.pointer(), duplicate.pointer()))
            }));
        }
        violations.extend(duplicates);
        // Each list may have been cut: the merged one is cut once, closed by the first cut's
        // own explanation.
        let cut = violations
            .iter()
            .position(|v| v.code() == "too_many_violations")
            .map(|at| violations.remove(at));
        violations.retain(|v| v.code() != "too_many_violations");
        let mut violations = dedupe(violations);
        if cut.is_some() || violations.len() > MAX_VIOLATIONS {
            violations.truncate(MAX_VIOLATIONS);
            violations.push(cut.unwrap_or_else(too_many_violations));
        }
        Ok(violations)
    }

    /// The verdict of [`Diagnostics::check`] without the list, for batches: the typed check
    /// first (the fast path), then the schema and the duplicate members. `true` exactly when
    /// `check` finds nothing, so that a payload gets one verdict whichever way it is checked.
    pub fn is_valid(&self, message_id: &str, bytes: &[u8]) -> Result<bool, UnknownMessage> {
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

    fn compiled(&self, message_id: &str) -> Result<&Compiled, UnknownMessage> {
        self.messages
            .get(message_id)
            .ok_or_else(|| UnknownMessage(message_id.to_owned()))
    }

    /// The schema's violations of an already-parsed value, mapped onto this crate's codes.
    pub fn check_value(
        &self,
        message_id: &str,
        value: &Value,
    ) -> Result<Vec<Violation>, UnknownMessage> {
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
                    "too_many_violations",
                    format!(
                        "the payload breaks the schema and holds more than {MAX_LISTED_VALUES} \
                         JSON values, too many to list every schema violation: the typed \
                         check's are listed"
                    ),
                ));
            }
            return out;
        }
        for error in compiled.validator.iter_errors(value) {
            if out.len() >= MAX_VIOLATIONS {
                break;
            }
            map_error(
                &compiled.schema,
                error.kind(),
                error.instance(),
                error.instance_path().as_str(),
                error.schema_path().as_str(),
                &compiled.property_names,
                &mut out,
            );
        }
        let mut out = dedupe(out);
        // One schema error may map to many violations (every unexpected member), so the cut
        // is made here; `>=` also closes a list that stopped exactly at the limit.
        if out.len() >= MAX_VIOLATIONS {
            out.truncate(MAX_VIOLATIONS);
            out.push(too_many_violations());
        }
        out
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

fn collect_property_names(schema: &Value, out: &mut BTreeSet<String>) {
    match schema {
        Value::Object(map) => {
            for (key, child) in map {
                if key == "properties"
                    && let Some(properties) = child.as_object()
                {
                    out.extend(properties.keys().cloned());
                }
                if key != "examples" && key != "const" && key != "enum" {
                    collect_property_names(child, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_property_names(i, out)),
        _ => {}
    }
}

fn join(pointer: &str, key: &str) -> String {
    format!(
        "{pointer}/{}",
        crate::validation::pointer::escape_token(key)
    )
}

fn type_name(kind: &impl fmt::Debug) -> String {
    format!("{kind:?}")
}

/// Maps one `jsonschema` error onto violations (several for `additionalProperties`).
fn map_error(
    schema: &Value,
    kind: &ValidationErrorKind,
    instance: &Value,
    pointer: &str,
    schema_path: &str,
    property_names: &[String],
    out: &mut Vec<Violation>,
) {
    let push = |out: &mut Vec<Violation>, pointer: String, code: &'static str, message: String| {
        out.push(Violation::new(pointer, code, message));
    };
    match kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for name in unexpected {
                let hint = crate::suggest::closest(name, property_names.iter().map(String::as_str))
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                push(
                    out,
                    join(pointer, name),
                    "unknown_field",
                    format!("{} is not a member of this message{hint}", quote_key(name)),
                );
            }
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            match schema_path.strip_suffix("/dependentRequired") {
                Some(parent) => {
                    let trigger = dependent_trigger(schema, parent, instance, name)
                        .map_or_else(|| "another member".to_owned(), |t| format!("`{t}`"));
                    push(
                        out,
                        join(pointer, name),
                        "dependent_required",
                        format!("`{name}` is required when {trigger} is present"),
                    );
                }
                None => match schema_path.strip_suffix("/then/required") {
                    Some(parent) => {
                        let condition = if_condition(schema, parent)
                            .unwrap_or_else(|| "another member has a certain value".to_owned());
                        push(
                            out,
                            join(pointer, name),
                            "dependent_required",
                            format!("`{name}` is required when {condition}"),
                        );
                    }
                    None => push(
                        out,
                        join(pointer, name),
                        "required",
                        format!("`{name}` is required"),
                    ),
                },
            }
        }
        ValidationErrorKind::AnyOf { context } => {
            // Branches that do not even take this JSON type (an array where `[T, [T]]` also
            // allows an object) say nothing: the errors of the branches that do are the real ones.
            let fitting = fitting_branches(context, instance, pointer);
            if fitting.is_empty() {
                push(
                    out,
                    pointer.to_owned(),
                    "type",
                    format!(
                        "wrong JSON type: {} is not allowed here",
                        json_type(instance)
                    ),
                );
                return;
            }
            if fitting.len() < context.len() {
                if let [only] = fitting.as_slice() {
                    for error in &context[*only] {
                        map_error(
                            schema,
                            error.kind(),
                            error.instance(),
                            error.instance_path().as_str(),
                            error.schema_path().as_str(),
                            property_names,
                            out,
                        );
                    }
                } else {
                    push(
                        out,
                        pointer.to_owned(),
                        "enum",
                        "not one of the allowed values".into(),
                    );
                }
                return;
            }
            let required: Option<Vec<Vec<String>>> = context
                .iter()
                .map(|branch| {
                    branch
                        .iter()
                        .map(|e| match e.kind() {
                            ValidationErrorKind::Required { property } => {
                                property.as_str().map(|p| format!("`{p}`"))
                            }
                            _ => None,
                        })
                        .collect()
                })
                .collect();
            match required {
                Some(alternatives)
                    if !alternatives.is_empty() && alternatives.iter().all(|a| !a.is_empty()) =>
                {
                    let described: Vec<String> =
                        alternatives.iter().map(|a| a.join(" and ")).collect();
                    push(
                        out,
                        pointer.to_owned(),
                        "missing_one_of",
                        format!("one of {} is required", described.join(" or ")),
                    );
                }
                _ => match alone_item(context) {
                    Some(item) => push(
                        out,
                        pointer.to_owned(),
                        "mutually_exclusive",
                        format!(
                            "`{item}` must be the only item: send `[\"{item}\"]`, or name each item"
                        ),
                    ),
                    None => push(
                        out,
                        pointer.to_owned(),
                        "enum",
                        "not one of the allowed values".into(),
                    ),
                },
            }
        }
        ValidationErrorKind::PropertyNames { error } => {
            let key = error.instance().as_str().unwrap_or_default();
            push(
                out,
                join(pointer, key),
                "invalid_key",
                format!("{} is not a valid key here", quote_key(key)),
            );
        }
        ValidationErrorKind::MaxProperties { .. } if schema_path.contains("/dependentSchemas/") => {
            let key = schema_path
                .split_once("/dependentSchemas/")
                .and_then(|(_, rest)| rest.split('/').next())
                .unwrap_or_default();
            push(
                out,
                pointer.to_owned(),
                "mutually_exclusive",
                format!(
                    "`{key}` cannot be combined with other keys: send `{key}` alone, or name each key"
                ),
            );
        }
        ValidationErrorKind::Minimum { .. } | ValidationErrorKind::Maximum { .. }
            if runtime_type(schema, schema_path) == Some("Seconds") =>
        {
            push(
                out,
                pointer.to_owned(),
                "integer",
                "a non-negative whole number of seconds, or a string of digits".into(),
            );
        }
        ValidationErrorKind::Type { .. }
            if runtime_type(schema, schema_path) == Some("Seconds") && instance.is_number() =>
        {
            push(
                out,
                pointer.to_owned(),
                "integer",
                "a non-negative whole number of seconds, or a string of digits".into(),
            );
        }
        ValidationErrorKind::Format { .. }
        | ValidationErrorKind::Pattern { .. }
        | ValidationErrorKind::Not { .. }
            if runtime_type(schema, schema_path).is_some() =>
        {
            let (code, message) = definition_code(schema, schema_path, instance)
                .unwrap_or(("invalid", "invalid value".to_owned()));
            push(out, pointer.to_owned(), code, message);
        }
        ValidationErrorKind::Format { format } => {
            let text = instance.as_str().unwrap_or_default();
            let (code, message): (&'static str, String) = match format.as_str() {
                "cpf" => match Cpf::parse(text) {
                    Err(error) => (error.code(), error.to_string()),
                    Ok(_) => ("invalid", "invalid CPF".into()),
                },
                "cnpj" => match Cnpj::parse(text) {
                    Err(error) => (error.code(), error.to_string()),
                    Ok(_) => ("invalid", "invalid CNPJ".into()),
                },
                "email" => (
                    "email",
                    "not a valid e-mail address (expected `name@example.com`)".into(),
                ),
                "uri" => (
                    "uri",
                    "not a valid absolute URI (expected a scheme, such as `myapp://callback`)"
                        .into(),
                ),
                "date-time" => (
                    "date_time",
                    "not an RFC 3339 UTC timestamp (expected `YYYY-MM-DDThh:mm:ss[.fff]Z`)".into(),
                ),
                _ => ("invalid", format!("not a valid `{format}`")),
            };
            push(out, pointer.to_owned(), code, message);
        }
        ValidationErrorKind::Pattern { .. } => {
            push(
                out,
                pointer.to_owned(),
                "invalid",
                "does not match the expected pattern".into(),
            );
        }
        ValidationErrorKind::Type { kind } => push(
            out,
            pointer.to_owned(),
            "type",
            format!(
                "wrong JSON type: expected {}",
                type_name(kind)
                    .to_lowercase()
                    .replace("single(", "")
                    .replace("multiple(", "")
                    .replace(')', "")
            ),
        ),
        ValidationErrorKind::MinLength { limit } => push(
            out,
            pointer.to_owned(),
            "min_length",
            if *limit == 1 {
                "must not be empty".into()
            } else {
                format!("must be at least {limit} characters long")
            },
        ),
        ValidationErrorKind::MaxLength { limit } => push(
            out,
            pointer.to_owned(),
            "max_length",
            format!("must be at most {limit} characters long"),
        ),
        ValidationErrorKind::MinItems { limit } => push(
            out,
            pointer.to_owned(),
            "min_items",
            format!("must have at least {limit} item(s)"),
        ),
        ValidationErrorKind::MaxItems { limit } => push(
            out,
            pointer.to_owned(),
            "max_items",
            format!("must have at most {limit} item(s)"),
        ),
        ValidationErrorKind::Minimum { limit } => push(
            out,
            pointer.to_owned(),
            "minimum",
            format!("must be at least {limit}"),
        ),
        ValidationErrorKind::Maximum { limit } => push(
            out,
            pointer.to_owned(),
            "maximum",
            format!("must be at most {limit}"),
        ),
        ValidationErrorKind::Enum { .. }
        | ValidationErrorKind::Constant { .. }
        | ValidationErrorKind::OneOfNotValid { .. } => push(
            out,
            pointer.to_owned(),
            "enum",
            "not one of the allowed values".into(),
        ),
        _ => push(
            out,
            pointer.to_owned(),
            "invalid",
            format!("violates `{}`", kind.keyword()),
        ),
    }
}

/// The member of `instance` whose `dependentRequired` entry (in the schema node at `node`)
/// requires `missing`.
fn dependent_trigger<'s>(
    schema: &'s Value,
    node: &str,
    instance: &Value,
    missing: &str,
) -> Option<&'s str> {
    let rules = schema
        .pointer(node)?
        .get("dependentRequired")?
        .as_object()?;
    let object = instance.as_object()?;
    rules
        .iter()
        .find(|(trigger, list)| {
            object.contains_key(trigger.as_str())
                && list
                    .as_array()
                    .is_some_and(|l| l.iter().any(|n| n.as_str() == Some(missing)))
        })
        .map(|(trigger, _)| trigger.as_str())
}

/// The item of a failed `anyOf: [{not: {contains: {const: ITEM}}}, {maxItems: 1}]`.
fn alone_item(context: &[Vec<jsonschema::ValidationError<'static>>]) -> Option<String> {
    let [first, second] = context else {
        return None;
    };
    let item = first.iter().find_map(|e| match e.kind() {
        ValidationErrorKind::Not { schema } => schema
            .get("contains")?
            .get("const")?
            .as_str()
            .map(str::to_owned),
        _ => None,
    })?;
    second
        .iter()
        .any(|e| matches!(e.kind(), ValidationErrorKind::MaxItems { limit: 1 }))
        .then_some(item)
}

/// "`institutionType` is 1", from the `if` of the schema node at `node`.
fn if_condition(schema: &Value, node: &str) -> Option<String> {
    let properties = schema
        .pointer(node)?
        .get("if")?
        .get("properties")?
        .as_object()?;
    let (name, test) = properties.iter().next()?;
    Some(format!("`{name}` is {}", test.get("const")?))
}

/// The runtime type (`x-rust-type`) of the definition the schema path ends in
/// (`/properties/x/$ref/…` resolves to `/$defs/Name/…`): failures inside it get that type's code,
/// as in the typed path.
fn runtime_type<'s>(schema: &'s Value, schema_path: &str) -> Option<&'s str> {
    let (_, rest) = schema_path.rsplit_once("/$defs/")?;
    let name = rest.split('/').next()?;
    schema.get("$defs")?.get(name)?.get("x-rust-type")?.as_str()
}

/// The JSON type of a value, as JSON Schema names it.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The branches of a failed `anyOf` that take the instance's JSON type: a branch refuses the
/// type when one of its errors, at the instance itself, is a `type` error or a `const`/`enum`
/// of values of another type.
fn fitting_branches(
    context: &[Vec<jsonschema::ValidationError<'static>>],
    instance: &Value,
    pointer: &str,
) -> Vec<usize> {
    let same_type = |expected: &Value| {
        let (a, b) = (json_type(expected), json_type(instance));
        // An integer instance may equal a `number` constant; a fractional one never equals an
        // `integer` constant.
        a == b || (a == "number" && b == "integer")
    };
    context
        .iter()
        .enumerate()
        .filter(|(_, errors)| {
            !errors.iter().any(|e| {
                e.instance_path().as_str() == pointer
                    && match e.kind() {
                        ValidationErrorKind::Type { .. } => true,
                        ValidationErrorKind::Constant { expected_value } => {
                            !same_type(expected_value)
                        }
                        ValidationErrorKind::Enum { options } => options
                            .as_array()
                            .is_some_and(|list| list.iter().all(|o| !same_type(o))),
                        _ => false,
                    }
            })
        })
        .map(|(i, _)| i)
        .collect()
}

/// The code of a failure inside a definition implemented by a runtime type (`HttpUrl`, …):
/// its format, pattern and `not` all mean "not a valid value of that type", as in the typed path.
fn definition_code(
    schema: &Value,
    schema_path: &str,
    instance: &Value,
) -> Option<(&'static str, String)> {
    // The runtime type says what is wrong, in the typed path's own words.
    let text = instance.as_str().unwrap_or_default();
    let error = match runtime_type(schema, schema_path)? {
        "HttpUrl" => HttpUrl::parse(text).err(),
        "ProductName" => ProductName::parse(text).err(),
        "UtcDateTime" => UtcDateTime::parse(text).err(),
        "Amount" => Some(FormatError::new(
            "amount",
            "not a decimal amount (a JSON number, or a string such as `\"1234.56\"`)",
        )),
        "Seconds" => Some(FormatError::new(
            "integer",
            "a non-negative whole number of seconds, or a string of digits",
        )),
        _ => None,
    }?;
    Some((error.code(), error.message().to_owned()))
}

/// At one pointer, a definition's format and pattern failures map to the same violation: keep
/// it once; and a wrong type makes a failed enum redundant. Returns the violations sorted by
/// pointer, then code; of two equal ones the first (the schema's) stays, the sort being stable.
///
/// Sorting first makes both checks neighbour comparisons: no hashing, no copied pointers (a
/// `HashSet` of them took 12% of checking a payload with five violations).
fn dedupe(mut violations: Vec<Violation>) -> Vec<Violation> {
    violations.sort_by(by_pointer_then_code);
    violations.dedup_by(|later, earlier| {
        later.pointer() == earlier.pointer() && later.code() == earlier.code()
    });
    // A value of the wrong type is not one of the enum's values either: say it once. Sorted,
    // the violations at one pointer are next to each other.
    let redundant: Vec<bool> = violations
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.code() == "enum"
                && violations
                    .get(i + 1..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|w| w.pointer() == v.pointer())
                    .any(|w| w.code() == "type")
        })
        .collect();
    let mut redundant = redundant.into_iter();
    violations.retain(|_| !redundant.next().unwrap_or(false));
    violations
}

/// Whether `pointer` is `base` or below it.
fn is_at_or_under(pointer: &str, base: &str) -> bool {
    pointer
        .strip_prefix(base)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The order of reported violations: by JSON Pointer, then by code.
fn by_pointer_then_code(a: &Violation, b: &Violation) -> std::cmp::Ordering {
    a.pointer().cmp(b.pointer()).then(a.code().cmp(b.code()))
}
