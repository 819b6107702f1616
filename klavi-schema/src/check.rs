//! Checking: every keyword and `format` in every schema file is one the generator supports (the
//! keyword table, `keywords.rs`, which `lower` reads too), its value has the right JSON type,
//! lower and upper bounds can both hold, and every `$ref` points to a schema. Nothing is
//! silently ignored: anything else is an error naming the file and the JSON Pointer.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::{SchemaError, SchemaErrorKind, SchemaErrors};
use crate::keywords::{self, Expect, KEYWORDS, Keyword};
use crate::load::{Documents, parse_ref};
use crate::model::RuntimeType;
use crate::names;
use crate::pointer::{join, resolve};

/// JSON Schema keywords the generator does not implement: no "did you mean" for them, as they are
/// not typos (`allOf` is not a misspelt `anyOf`).
const STANDARD_UNSUPPORTED: &[&str] = &[
    "$id",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "allOf",
    "else",
    "prefixItems",
    "uniqueItems",
    "multipleOf",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "patternProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "minContains",
    "maxContains",
    "default",
    "readOnly",
    "writeOnly",
];

/// Lower and upper bounds that must not contradict each other.
const BOUNDS: &[(&str, &str)] = &[
    ("minimum", "maximum"),
    ("minLength", "maxLength"),
    ("minItems", "maxItems"),
    ("minProperties", "maxProperties"),
];

/// The supported formats.
pub const FORMATS: &[&str] = &["cpf", "cnpj", "email", "uri", "date-time"];

const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "object", "array", "null",
];

const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Checks every schema file; returns all problems found.
pub fn check(documents: &Documents) -> Result<(), SchemaErrors> {
    let mut errors = SchemaErrors::default();
    let mut schemas = BTreeMap::new();
    for (file, document) in &documents.files {
        let mut found = BTreeSet::new();
        check_node(file, document, "", true, &mut found, &mut errors);
        schemas.insert(file.as_str(), found);
    }
    check_ref_targets(documents, &schemas, &mut errors);
    errors.into_result(())
}

/// Every `$ref` that leads somewhere leads to a schema (`schemas` holds, by file, the pointer of
/// every node checked as one), not into `examples`, an `enum` or a keyword's value, which are
/// never checked. References that lead nowhere are reported by the model (as dangling).
fn check_ref_targets(
    documents: &Documents,
    schemas: &BTreeMap<&str, BTreeSet<String>>,
    errors: &mut SchemaErrors,
) {
    for (file, pointers) in schemas {
        let Some(document) = documents.files.get(*file) else {
            continue;
        };
        for pointer in pointers {
            let reference = resolve(document, pointer)
                .and_then(|node| node.get("$ref"))
                .and_then(Value::as_str);
            let Some(target) = reference.and_then(|r| parse_ref(file, r).ok()) else {
                continue;
            };
            let exists = documents
                .files
                .get(&target.file)
                .and_then(|d| resolve(d, &target.pointer))
                .is_some();
            let is_schema = schemas
                .get(target.file.as_str())
                .is_some_and(|s| s.contains(&target.pointer));
            if exists && !is_schema {
                error(
                    errors,
                    SchemaErrorKind::Invalid,
                    file,
                    &join(pointer, "$ref"),
                    format!(
                        "`$ref` points to `{}#{}`, which is not a schema (reference a `$defs` entry, a `properties` member or another schema, not a keyword's value or an example)",
                        target.file, target.pointer
                    ),
                );
            }
        }
    }
}

fn error(
    errors: &mut SchemaErrors,
    kind: SchemaErrorKind,
    file: &str,
    pointer: &str,
    message: String,
) {
    errors.push(SchemaError::new(kind, file, pointer, message));
}

/// Checks the schema `node` at `pointer` and everything below it, adding the pointer of every
/// schema met to `schemas`.
fn check_node(
    file: &str,
    node: &Value,
    pointer: &str,
    is_root: bool,
    schemas: &mut BTreeSet<String>,
    errors: &mut SchemaErrors,
) {
    let map = match node {
        Value::Bool(_) => {
            schemas.insert(pointer.to_owned());
            return;
        }
        Value::Object(map) => {
            schemas.insert(pointer.to_owned());
            map
        }
        _ => {
            error(
                errors,
                SchemaErrorKind::Invalid,
                file,
                pointer,
                "a schema must be an object or a boolean".into(),
            );
            return;
        }
    };
    for (keyword, value) in map {
        let at = join(pointer, keyword);
        let Some(Keyword { expect, .. }) = keywords::keyword(keyword) else {
            error(
                errors,
                SchemaErrorKind::UnknownKeyword,
                file,
                &at,
                unknown_keyword_message(keyword),
            );
            continue;
        };
        if keyword == "$schema" && !is_root {
            error(
                errors,
                SchemaErrorKind::Unsupported,
                file,
                &at,
                "`$schema` is only allowed at the root of a file".into(),
            );
        }
        check_value(file, keyword, *expect, value, &at, schemas, errors);
    }
    let bound = |key: &str| {
        let value = map.get(key)?;
        value
            .as_i64()
            .map(i128::from)
            .or_else(|| value.as_u64().map(i128::from))
    };
    for (low, high) in BOUNDS {
        if let (Some(min), Some(max)) = (bound(low), bound(high))
            && min > max
        {
            error(
                errors,
                SchemaErrorKind::Invalid,
                file,
                &join(pointer, low),
                format!(
                    "`{low}` ({min}) is greater than `{high}` ({max}): no value satisfies both"
                ),
            );
        }
    }
    if let Some(format) = map.get("format").and_then(Value::as_str)
        && !FORMATS.contains(&format)
    {
        error(
            errors,
            SchemaErrorKind::UnknownFormat,
            file,
            &join(pointer, "format"),
            format!(
                "unsupported format `{format}`; supported formats are {}",
                FORMATS.join(", ")
            ),
        );
    }
}

/// "unsupported keyword `minLenght` (did you mean `minLength`?)", or the supported list when
/// nothing is close.
fn unknown_keyword_message(keyword: &str) -> String {
    let closest = KEYWORDS
        .iter()
        .map(|k| (strsim::levenshtein(k.name, keyword), k.name))
        .filter(|(distance, _)| *distance <= 2 && !STANDARD_UNSUPPORTED.contains(&keyword))
        .min();
    match closest {
        Some((_, name)) => format!("unsupported keyword `{keyword}` (did you mean `{name}`?)"),
        None => format!(
            "unsupported keyword `{keyword}`; klavi-schema supports {}",
            KEYWORDS
                .iter()
                .map(|k| format!("`{}`", k.name))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn check_value(
    file: &str,
    keyword: &str,
    expect: Expect,
    value: &Value,
    at: &str,
    schemas: &mut BTreeSet<String>,
    errors: &mut SchemaErrors,
) {
    let wrong = |errors: &mut SchemaErrors, what: &str| {
        error(
            errors,
            SchemaErrorKind::Invalid,
            file,
            at,
            format!("`{keyword}` must be {what}"),
        );
    };
    match expect {
        Expect::Schema => check_node(file, value, at, false, schemas, errors),
        Expect::SchemaMap => match value.as_object() {
            Some(map) => {
                for (name, child) in map {
                    check_node(file, child, &join(at, name), false, schemas, errors);
                }
            }
            None => wrong(errors, "an object of schemas"),
        },
        Expect::SchemaList => match value.as_array() {
            Some(items) if !items.is_empty() => {
                for (i, child) in items.iter().enumerate() {
                    check_node(file, child, &format!("{at}/{i}"), false, schemas, errors);
                }
            }
            _ => wrong(errors, "a non-empty array of schemas"),
        },
        Expect::Text => {
            if !value.is_string() {
                wrong(errors, "a string");
            }
        }
        Expect::Pattern => match value.as_str() {
            // The `jsonschema` oracle and diagnostics compile it at run time; a pattern that
            // does not parse would leave the message without them, so it fails here.
            Some(pattern) => {
                if let Err(problem) = regex_syntax::Parser::new().parse(pattern) {
                    let reason = match &problem {
                        regex_syntax::Error::Parse(e) => e.kind().to_string(),
                        regex_syntax::Error::Translate(e) => e.kind().to_string(),
                        _ => "unsupported syntax".to_owned(),
                    };
                    wrong(errors, &format!("a regular expression ({reason})"));
                }
            }
            None => wrong(errors, "a string"),
        },
        Expect::Flag => {
            if !value.is_boolean() {
                wrong(errors, "a boolean");
            }
        }
        Expect::Count => {
            if value.as_u64().is_none() {
                wrong(errors, "a non-negative integer");
            }
        }
        Expect::Integer => {
            if value.as_i64().is_none() && value.as_u64().is_none() {
                wrong(errors, "an integer");
            }
        }
        Expect::Anything => {}
        Expect::List => {
            if !value.is_array() {
                wrong(errors, "an array");
            }
        }
        Expect::Values => match value.as_array() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    if items[..i].contains(item) {
                        error(
                            errors,
                            SchemaErrorKind::Invalid,
                            file,
                            &format!("{at}/{i}"),
                            format!("`{keyword}` lists the value {item} twice"),
                        );
                    }
                }
            }
            None => wrong(errors, "an array"),
        },
        Expect::Names => match value.as_array() {
            Some(items) if items.iter().all(Value::is_string) => {
                let mut seen = std::collections::BTreeSet::new();
                if !items.iter().all(|item| seen.insert(item.as_str())) {
                    wrong(errors, "an array of unique strings");
                }
            }
            _ => wrong(errors, "an array of strings"),
        },
        Expect::NameLists => match value.as_object() {
            Some(map) => {
                for (name, list) in map {
                    check_value(
                        file,
                        keyword,
                        Expect::Names,
                        list,
                        &join(at, name),
                        schemas,
                        errors,
                    );
                }
            }
            None => wrong(errors, "an object mapping names to arrays of names"),
        },
        Expect::Types => {
            let ok = match value {
                Value::String(name) => TYPES.contains(&name.as_str()),
                Value::Array(names) => {
                    !names.is_empty()
                        && names
                            .iter()
                            .all(|n| n.as_str().is_some_and(|n| TYPES.contains(&n)))
                }
                _ => false,
            };
            if !ok {
                wrong(
                    errors,
                    &format!("one of {TYPES:?} or a non-empty array of them"),
                );
            }
        }
        Expect::Dialect => {
            if value.as_str() != Some(DIALECT) {
                wrong(errors, &format!("`{DIALECT}` (draft 2020-12)"));
            }
        }
        Expect::RustName => {
            let ok = value
                .as_str()
                .is_some_and(|name| names::is_identifier(name) && !names::is_keyword(name));
            if !ok {
                wrong(
                    errors,
                    "a Rust identifier that is not a keyword (such as `CreateLinkRequest` or `tax_id`)",
                );
            }
        }
        Expect::BusinessErrors => {
            for problem in crate::business_errors::problems(value) {
                wrong(errors, &problem);
            }
        }
        Expect::RustType => {
            let known = value
                .as_str()
                .is_some_and(|name| RuntimeType::BY_NAME.iter().any(|(n, _)| *n == name));
            if !known {
                wrong(
                    errors,
                    &format!(
                        "one of the runtime types {}",
                        RuntimeType::BY_NAME
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
    }
}
