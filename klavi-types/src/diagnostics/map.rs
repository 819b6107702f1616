//! Mapping each `jsonschema` error kind onto this crate's violations: the same codes and, from
//! `validation::messages`, the same messages as the typed path gives for the same rule
//! (by error kind, and by the `x-rust-type` of the `$defs` entry the schema path ends in).

use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use crate::formats::{FormatError, HttpUrl, ProductName, UtcDateTime};
use crate::registry::MessageInfo;
use crate::tax_id::{Cnpj, Cpf};
use crate::validation::pointer::push_token;
use crate::validation::{Code, Violation, messages};

/// What one error is mapped against: the bundled schema, and what the generator knows of the
/// message.
pub(super) struct Mapping<'s> {
    /// The message's bundled schema.
    pub(super) schema: &'s Value,
    /// The message: the member names it declares ("did you mean") and the runtime types of its
    /// schema's `$defs`.
    pub(super) info: &'static MessageInfo,
}

/// Where an error lies: the instance, its pointer and the schema path that refused it.
struct At<'e> {
    instance: &'e Value,
    pointer: &'e str,
    schema_path: &'e str,
}

impl Mapping<'_> {
    /// The runtime type of the definition the schema path ends in (`/properties/x/$ref/…`
    /// resolves to `/$defs/Name/…`), as the generator recorded it: failures inside it get that
    /// type's code, as in the typed path.
    fn runtime_type(&self, schema_path: &str) -> Option<&'static str> {
        let (_, rest) = schema_path.rsplit_once("/$defs/")?;
        self.info.runtime_type_of(rest.split('/').next()?)
    }

    /// Maps one `jsonschema` error onto violations (several for `additionalProperties`).
    pub(super) fn error(&self, error: &ValidationError<'_>, out: &mut Vec<Violation>) {
        let at = At {
            instance: error.instance(),
            pointer: error.instance_path().as_str(),
            schema_path: error.schema_path().as_str(),
        };
        self.kind(error.kind(), &at, out);
    }

    fn kind(&self, kind: &ValidationErrorKind, at: &At<'_>, out: &mut Vec<Violation>) {
        let here = |code: Code, message: String| Violation::new(at.pointer, code, message);
        let runtime_type = self.runtime_type(at.schema_path);
        let violation = match kind {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                return self.unknown_members(unexpected, at, out);
            }
            ValidationErrorKind::Required { property } => {
                self.required(property.as_str().unwrap_or_default(), at)
            }
            ValidationErrorKind::AnyOf { context } => return self.any_of(context, at, out),
            ValidationErrorKind::PropertyNames { error } => {
                let key = error.instance().as_str().unwrap_or_default();
                Violation::new(
                    join(at.pointer, key),
                    Code::InvalidKey,
                    messages::invalid_key(key, None),
                )
            }
            ValidationErrorKind::MaxProperties { .. }
                if at.schema_path.contains("/dependentSchemas/") =>
            {
                let key = at
                    .schema_path
                    .split_once("/dependentSchemas/")
                    .and_then(|(_, rest)| rest.split('/').next())
                    .unwrap_or_default();
                here(Code::MutuallyExclusive, messages::exclusive_key(key))
            }
            ValidationErrorKind::Minimum { .. } | ValidationErrorKind::Maximum { .. }
                if runtime_type == Some("Seconds") =>
            {
                format_violation(at.pointer, messages::SECONDS)
            }
            ValidationErrorKind::Type { .. }
                if runtime_type == Some("Seconds") && at.instance.is_number() =>
            {
                format_violation(at.pointer, messages::SECONDS)
            }
            ValidationErrorKind::Format { .. }
            | ValidationErrorKind::Pattern { .. }
            | ValidationErrorKind::Not { .. }
                if runtime_type.is_some() =>
            {
                match runtime_type.and_then(|name| runtime_type_error(name, at.instance)) {
                    Some(error) => format_violation(at.pointer, error),
                    None => here(Code::Invalid, messages::invalid_value(None)),
                }
            }
            ValidationErrorKind::Format { format } => format_error(format, at),
            ValidationErrorKind::Pattern { .. } => here(Code::Invalid, messages::PATTERN.into()),
            ValidationErrorKind::Type { kind } => {
                here(Code::Type, messages::wrong_type(&expected_types(kind)))
            }
            ValidationErrorKind::MinLength { limit } => {
                here(Code::MinLength, messages::min_length(*limit).into_owned())
            }
            ValidationErrorKind::MaxLength { limit } => {
                here(Code::MaxLength, messages::max_length(*limit))
            }
            ValidationErrorKind::MinItems { limit } => {
                here(Code::MinItems, messages::min_items(*limit))
            }
            ValidationErrorKind::MaxItems { limit } => {
                here(Code::MaxItems, messages::max_items(*limit))
            }
            ValidationErrorKind::Minimum { limit } => here(Code::Minimum, messages::minimum(limit)),
            ValidationErrorKind::Maximum { limit } => here(Code::Maximum, messages::maximum(limit)),
            ValidationErrorKind::Enum { .. }
            | ValidationErrorKind::Constant { .. }
            | ValidationErrorKind::OneOfNotValid { .. } => {
                here(Code::Enum, messages::NOT_ALLOWED.into())
            }
            _ => here(Code::Invalid, messages::violates(kind.keyword())),
        };
        out.push(violation);
    }

    /// `additionalProperties: false`: one violation per unexpected member, with the declared
    /// name it most resembles.
    fn unknown_members(&self, unexpected: &[String], at: &At<'_>, out: &mut Vec<Violation>) {
        for name in unexpected {
            let suggestion = crate::suggest::closest(name, self.info.member_names.iter().copied());
            out.push(Violation::new(
                join(at.pointer, name),
                Code::UnknownField,
                messages::unknown_field(name, suggestion),
            ));
        }
    }

    /// `required`, `dependentRequired` and `then: {required}`: at the missing member.
    fn required(&self, name: &str, at: &At<'_>) -> Violation {
        let pointer = join(at.pointer, name);
        if let Some(parent) = at.schema_path.strip_suffix("/dependentRequired") {
            let trigger = dependent_trigger(self.schema, parent, at.instance, name);
            return Violation::new(
                pointer,
                Code::DependentRequired,
                messages::dependent_required(name, trigger),
            );
        }
        if let Some(parent) = at.schema_path.strip_suffix("/then/required") {
            let condition = if_condition(self.schema, parent);
            return Violation::new(
                pointer,
                Code::DependentRequired,
                messages::conditional_required(name, condition.as_deref()),
            );
        }
        Violation::new(pointer, Code::Required, messages::required(name))
    }

    /// A failed `anyOf`: the errors of the one branch that takes the instance's JSON type, an
    /// incomplete set of `required` alternatives, an item that must stand alone, or a value
    /// outside the allowed ones.
    fn any_of(
        &self,
        context: &[Vec<ValidationError<'static>>],
        at: &At<'_>,
        out: &mut Vec<Violation>,
    ) {
        let here = |code: Code, message: String| Violation::new(at.pointer, code, message);
        // Branches that do not even take this JSON type (an array where `[T, [T]]` also
        // allows an object) say nothing: the errors of the branches that do are the real ones.
        let fitting = fitting_branches(context, at.instance, at.pointer);
        if fitting.is_empty() {
            out.push(here(
                Code::Type,
                messages::type_not_allowed(json_type(at.instance)),
            ));
            return;
        }
        if fitting.len() < context.len() {
            if let [only] = fitting.as_slice() {
                for error in &context[*only] {
                    self.error(error, out);
                }
            } else {
                out.push(here(Code::Enum, messages::NOT_ALLOWED.into()));
            }
            return;
        }
        let required: Option<Vec<Vec<&str>>> = context
            .iter()
            .map(|branch| {
                branch
                    .iter()
                    .map(|e| match e.kind() {
                        ValidationErrorKind::Required { property } => property.as_str(),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        out.push(match required {
            Some(alternatives)
                if !alternatives.is_empty() && alternatives.iter().all(|a| !a.is_empty()) =>
            {
                here(Code::MissingOneOf, messages::missing_one_of(alternatives))
            }
            _ => match alone_item(context) {
                Some(item) => here(Code::MutuallyExclusive, messages::alone_item(&item)),
                None => here(Code::Enum, messages::NOT_ALLOWED.into()),
            },
        });
    }
}

/// A runtime type's own violation (its code and message) at `pointer`.
fn format_violation(pointer: &str, error: FormatError) -> Violation {
    Violation::new(pointer, error.code(), error.message())
}

/// A failed `format` outside a runtime type's definition, said as the runtime type says it.
fn format_error(format: &str, at: &At<'_>) -> Violation {
    let text = at.instance.as_str().unwrap_or_default();
    let (code, message): (&'static str, String) = match format {
        "cpf" => match Cpf::parse(text) {
            Err(error) => (error.code(), error.to_string()),
            Ok(_) => (Code::Invalid.as_str(), messages::INVALID_CPF.into()),
        },
        "cnpj" => match Cnpj::parse(text) {
            Err(error) => (error.code(), error.to_string()),
            Ok(_) => (Code::Invalid.as_str(), messages::INVALID_CNPJ.into()),
        },
        "email" => return format_violation(at.pointer, messages::EMAIL),
        "uri" => return format_violation(at.pointer, messages::URI),
        "date-time" => return format_violation(at.pointer, messages::DATE_TIME),
        _ => (Code::Invalid.as_str(), messages::not_of_format(format)),
    };
    Violation::new(at.pointer, code, message)
}

/// The JSON types a `type` keyword expects, as the message names them (`string`,
/// `integer, string`).
fn expected_types(kind: &impl std::fmt::Debug) -> String {
    format!("{kind:?}")
        .to_lowercase()
        .replace("single(", "")
        .replace("multiple(", "")
        .replace(')', "")
}

fn join(pointer: &str, key: &str) -> String {
    let mut joined = pointer.to_owned();
    push_token(&mut joined, key);
    joined
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
fn alone_item(context: &[Vec<ValidationError<'static>>]) -> Option<String> {
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
    Some(messages::if_condition(name, test.get("const")?))
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
    context: &[Vec<ValidationError<'static>>],
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

/// The violation of `instance` as the runtime type `name` (`x-rust-type`: `HttpUrl`, …) gives
/// it: a failure of the format, pattern or `not` of its definition means "not a valid value of
/// that type", in the typed path's own words.
fn runtime_type_error(name: &str, instance: &Value) -> Option<FormatError> {
    let text = instance.as_str().unwrap_or_default();
    match name {
        "HttpUrl" => HttpUrl::parse(text).err(),
        "ProductName" => ProductName::parse(text).err(),
        "UtcDateTime" => UtcDateTime::parse(text).err(),
        "Amount" => Some(messages::AMOUNT),
        "Seconds" => Some(messages::SECONDS),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Mapping;
    use crate::registry::MessageInfo;

    static INFO: MessageInfo =
        super::super::test_support::message("m.request", "{}", &["name", "products"]);

    /// The (pointer, code, message) of every violation of `instance` under `schema`, sorted.
    fn mapped(schema: &serde_json::Value, instance: &serde_json::Value) -> Vec<(String, String)> {
        let validator = super::super::validator_for(schema).unwrap();
        let mapping = Mapping {
            schema,
            info: &INFO,
        };
        let mut out = Vec::new();
        for error in validator.iter_errors(instance) {
            mapping.error(&error, &mut out);
        }
        let mut out: Vec<_> = out
            .iter()
            .map(|v| {
                (
                    format!("{} {}", v.pointer(), v.code()),
                    v.message().to_owned(),
                )
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn each_kind_gets_the_typed_path_words() {
        let schema = json!({
            "type": "object",
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "products": {"type": "array", "items": {"type": "string"}, "maxItems": 1},
                "mail": {"type": "string", "format": "email"}
            },
            "required": ["id"],
            "dependentRequired": {"name": ["products"]},
            "additionalProperties": false
        });
        let out = mapped(&schema, &json!({"nme": 1, "name": "", "mail": "x"}));
        assert_eq!(
            out,
            [
                ("/id required".to_owned(), "`id` is required".to_owned()),
                (
                    "/mail email".to_owned(),
                    "not a valid e-mail address (expected `name@example.com`)".to_owned()
                ),
                (
                    "/name min_length".to_owned(),
                    "must not be empty".to_owned()
                ),
                (
                    "/nme unknown_field".to_owned(),
                    "`nme` is not a member of this message; did you mean `name`?".to_owned()
                ),
                (
                    "/products dependent_required".to_owned(),
                    "`products` is required when `name` is present".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn an_any_of_of_required_lists_names_the_alternatives() {
        let schema = json!({"anyOf": [{"required": ["a"]}, {"required": ["b", "c"]}]});
        assert_eq!(
            mapped(&schema, &json!({})),
            [(
                " missing_one_of".to_owned(),
                "one of `a` or `b` and `c` is required".to_owned()
            )]
        );
    }
}
