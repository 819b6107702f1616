//! `x-klavi-business-errors`: the answers a server gives instead of a plain `400` when a value
//! breaks a business rule the docs give a code for (Klavi: HTTP `416` with the business code in
//! the body's `statusCode`, such as 4005 for an empty `products`).
//!
//! The keyword sits on the node whose rule it names, beside a `$ref` or on a definition:
//!
//! ```json
//! "products": {
//!   "type": "array", "minItems": 1, "items": {"$ref": "defs.json#/$defs/ReportProduct"},
//!   "x-klavi-business-errors": [
//!     {"status": 416, "code": 4005, "message": "products must have at least 1 item",
//!      "violations": ["min_items", "mutually_exclusive"]},
//!     {"status": 416, "code": 4002, "message": "product missing or wrong product level",
//!      "violations": ["enum"]}
//!   ]
//! }
//! ```
//!
//! A violation at that node or under it whose code is listed is answered with that error; a
//! violation not listed (a value of the wrong JSON type, a missing member) stays a malformed
//! request. Each message's rules are found here in its bundled schema and carried to the
//! runtime as pointer templates (`/products`, `/items/*/url`, `*` standing for any one array
//! index or map key), innermost first when several cover a violation.

use serde_json::{Map, Value};

/// The members a rule has, all required.
const MEMBERS: [&str; 4] = ["status", "code", "message", "violations"];

/// One rule of a message: where it applies and what is answered.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct BusinessErrorRule {
    /// The pointer template of the node (`/products`; `*` for any item or map key).
    pub pointer: String,
    /// The HTTP status answered (`416`).
    pub status: u16,
    /// The business code of the body (`4005`).
    pub code: u16,
    /// The message of the body.
    pub message: String,
    /// The violation codes the rule covers (`min_items`), as the validators name them.
    pub violations: Vec<String>,
}

/// What is wrong with the keyword's value, each as what it must be (empty: nothing).
pub(crate) fn problems(value: &Value) -> Vec<String> {
    let Some(rules) = value.as_array().filter(|rules| !rules.is_empty()) else {
        return vec!["a non-empty array of `{status, code, message, violations}` objects".into()];
    };
    let mut problems = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        match rule.as_object() {
            Some(rule) => problems.extend(rule_problems(rule).map(|p| format!("{p} (rule {i})"))),
            None => problems.push(format!(
                "an array of `{{status, code, message, violations}}` objects (rule {i})"
            )),
        }
    }
    problems
}

fn rule_problems(rule: &Map<String, Value>) -> impl Iterator<Item = String> + '_ {
    let unknown = rule
        .keys()
        .filter(|key| !MEMBERS.contains(&key.as_str()))
        .map(|key| {
            format!(
                "an object of `status`, `code`, `message` and `violations` only, without `{key}`"
            )
        });
    let status = match rule.get("status").and_then(Value::as_u64) {
        Some(400..=599) => None,
        _ => Some("an object whose `status` is an HTTP error status (400 to 599)".to_owned()),
    };
    let code = match rule.get("code").and_then(Value::as_u64) {
        Some(1..=65_535) => None,
        _ => Some("an object whose `code` is an integer from 1 to 65535".to_owned()),
    };
    let message = match rule.get("message").and_then(Value::as_str) {
        Some(text) if !text.trim().is_empty() => None,
        _ => Some("an object whose `message` is a non-empty string".to_owned()),
    };
    let violations = match rule.get("violations").and_then(Value::as_array) {
        Some(codes) if !codes.is_empty() && codes.iter().all(is_code) && unique(codes) => None,
        _ => Some(
            "an object whose `violations` is a non-empty array of distinct violation codes (`min_items`)"
                .to_owned(),
        ),
    };
    unknown.chain([status, code, message, violations].into_iter().flatten())
}

/// A violation code as the validators write them: snake_case.
fn is_code(code: &Value) -> bool {
    code.as_str().is_some_and(|code| {
        code.split('_').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        }) && code.as_bytes()[0].is_ascii_lowercase()
    })
}

fn unique(codes: &[Value]) -> bool {
    codes
        .iter()
        .enumerate()
        .all(|(i, code)| !codes[..i].contains(code))
}

/// The rules of a bundled schema (its references are `#` and `#/$defs/NAME`), sorted, each
/// once.
pub(crate) fn rules_of(bundle: &Value) -> Vec<BusinessErrorRule> {
    let mut walk = Walk {
        bundle,
        rules: Vec::new(),
        entered: Vec::new(),
    };
    walk.node(bundle, &mut String::new());
    walk.rules.sort();
    walk.rules.dedup();
    walk.rules
}

struct Walk<'b> {
    bundle: &'b Value,
    rules: Vec<BusinessErrorRule>,
    /// The references being followed (a definition that holds itself is walked once).
    entered: Vec<&'b str>,
}

impl<'b> Walk<'b> {
    fn node(&mut self, node: &'b Value, pointer: &mut String) {
        let Some(map) = node.as_object() else { return };
        if let Some(rules) = map.get("x-klavi-business-errors").and_then(Value::as_array) {
            self.rules.extend(rules.iter().filter_map(|rule| {
                Some(BusinessErrorRule {
                    pointer: pointer.clone(),
                    status: u16::try_from(rule.get("status")?.as_u64()?).ok()?,
                    code: u16::try_from(rule.get("code")?.as_u64()?).ok()?,
                    message: rule.get("message")?.as_str()?.to_owned(),
                    violations: rule
                        .get("violations")?
                        .as_array()?
                        .iter()
                        .filter_map(|code| code.as_str().map(str::to_owned))
                        .collect(),
                })
            }));
        }
        if let Some(reference) = map.get("$ref").and_then(Value::as_str)
            && !self.entered.contains(&reference)
            && let Some(target) = self.resolve(reference)
        {
            self.entered.push(reference);
            self.node(target, pointer);
            self.entered.pop();
        }
        if let Some(properties) = map.get("properties").and_then(Value::as_object) {
            for (name, child) in properties {
                let before = pointer.len();
                pointer.push('/');
                pointer.push_str(&name.replace('~', "~0").replace('/', "~1"));
                self.node(child, pointer);
                pointer.truncate(before);
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(child) = map.get(key) {
                let before = pointer.len();
                pointer.push_str("/*");
                self.node(child, pointer);
                pointer.truncate(before);
            }
        }
        // Branches describe the same value; `not`, `if`, `contains` and `propertyNames` only
        // test it, so a rule there would name nothing a value is answered for.
        for key in ["anyOf", "oneOf", "allOf"] {
            for child in map.get(key).and_then(Value::as_array).into_iter().flatten() {
                self.node(child, pointer);
            }
        }
        for key in ["then", "else"] {
            if let Some(child) = map.get(key) {
                self.node(child, pointer);
            }
        }
        for child in map
            .get("dependentSchemas")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|schemas| schemas.values())
        {
            self.node(child, pointer);
        }
    }

    fn resolve(&self, reference: &str) -> Option<&'b Value> {
        match reference {
            "#" => Some(self.bundle),
            _ => reference
                .strip_prefix("#/$defs/")
                .and_then(|name| self.bundle.get("$defs")?.get(name)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(pointer: &str, code: u16, violations: &[&str]) -> BusinessErrorRule {
        BusinessErrorRule {
            pointer: pointer.to_owned(),
            status: 416,
            code,
            message: "m".to_owned(),
            violations: violations.iter().map(|v| (*v).to_owned()).collect(),
        }
    }

    #[test]
    fn well_formed_rules_have_no_problem_and_each_mistake_is_named() {
        let good =
            json!([{"status": 416, "code": 4005, "message": "m", "violations": ["min_items"]}]);
        assert!(problems(&good).is_empty());
        let cases = [
            (json!([]), "non-empty array"),
            (json!({"status": 416}), "non-empty array"),
            (json!([7]), "objects (rule 0)"),
            (
                json!([{"status": 200, "code": 1, "message": "m", "violations": ["enum"]}]),
                "`status`",
            ),
            (
                json!([{"status": 416, "code": 0, "message": "m", "violations": ["enum"]}]),
                "`code`",
            ),
            (
                json!([{"status": 416, "code": 1, "message": " ", "violations": ["enum"]}]),
                "`message`",
            ),
            (
                json!([{"status": 416, "code": 1, "message": "m", "violations": []}]),
                "`violations`",
            ),
            (
                json!([{"status": 416, "code": 1, "message": "m", "violations": ["MinItems"]}]),
                "`violations`",
            ),
            (
                json!([{"status": 416, "code": 1, "message": "m", "violations": ["enum", "enum"]}]),
                "`violations`",
            ),
            (
                json!([{"status": 416, "code": 1, "message": "m", "violations": ["enum"], "http": 1}]),
                "without `http`",
            ),
        ];
        for (value, expected) in cases {
            let found = problems(&value);
            assert_eq!(found.len(), 1, "{value}: {found:?}");
            assert!(found[0].contains(expected), "{value}: {found:?}");
        }
    }

    #[test]
    fn rules_are_found_through_references_items_maps_and_branches() {
        let error = |code: u16, violation: &str| json!([{"status": 416, "code": code, "message": "m", "violations": [violation]}]);
        let bundle = json!({
            "type": "object",
            "properties": {
                "products": {"type": "array", "items": {"$ref": "#/$defs/Product", "x-klavi-business-errors": error(4002, "enum")},
                             "x-klavi-business-errors": error(4005, "min_items")},
                "callbacks": {"$ref": "#/$defs/Callbacks"},
                "a/b": {"anyOf": [{"type": "string", "x-klavi-business-errors": error(1, "min_length")}]},
                "child": {"$ref": "#"}
            },
            "$defs": {
                "Product": {"type": "string"},
                "Callbacks": {"type": "object", "additionalProperties": {"type": "string", "x-klavi-business-errors": error(4006, "http_url")},
                              "x-klavi-business-errors": error(4006, "mutually_exclusive")}
            }
        });
        assert_eq!(
            rules_of(&bundle),
            [
                rule("/a~1b", 1, &["min_length"]),
                rule("/callbacks", 4006, &["mutually_exclusive"]),
                rule("/callbacks/*", 4006, &["http_url"]),
                rule("/child/a~1b", 1, &["min_length"]),
                rule("/child/callbacks", 4006, &["mutually_exclusive"]),
                rule("/child/callbacks/*", 4006, &["http_url"]),
                rule("/child/products", 4005, &["min_items"]),
                rule("/child/products/*", 4002, &["enum"]),
                rule("/products", 4005, &["min_items"]),
                rule("/products/*", 4002, &["enum"]),
            ]
        );
    }
}
