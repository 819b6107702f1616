//! Which values of a payload are personal data or secrets, according to the message's schema:
//! members whose schema is a CPF, a CNPJ or an e-mail (`format`), a credential
//! (`x-klavi-secret`), personal data (`x-klavi-personal-data`) or a tax id kept as received
//! (`x-rust-type: UnverifiedCpf/UnverifiedCnpj`). Code frames mask all of them, not only the
//! ones a violation points at.

use std::collections::BTreeSet;

use klavi_types::registry;
use serde_json::Value;

/// Whether a schema node (after following `$ref`s into `defs`) holds sensitive values.
fn is_sensitive(node: &Value, defs: &Value, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    if let Some(target) = node.get("$ref").and_then(Value::as_str) {
        let name = target.rsplit('/').next().unwrap_or_default();
        return defs
            .get(name)
            .is_some_and(|def| is_sensitive(def, defs, depth + 1));
    }
    let flag = |key: &str| node.get(key) == Some(&Value::Bool(true));
    matches!(
        node.get("format").and_then(Value::as_str),
        Some("cpf" | "cnpj" | "email")
    ) || flag("x-klavi-secret")
        || flag("x-klavi-personal-data")
        || matches!(
            node.get("x-rust-type").and_then(Value::as_str),
            Some("UnverifiedCpf" | "UnverifiedCnpj")
        )
}

/// The member names the schema of `message` declares with sensitive values.
fn sensitive_names(schema: &Value) -> BTreeSet<String> {
    let defs = schema.get("$defs").cloned().unwrap_or(Value::Null);
    let mut names = BTreeSet::new();
    let mut stack = vec![schema];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::Object(properties)) = map.get("properties") {
                    for (name, property) in properties {
                        if is_sensitive(property, &defs, 0) {
                            names.insert(name.clone());
                        }
                    }
                }
                for (key, child) in map {
                    if !matches!(key.as_str(), "examples" | "const" | "enum") {
                        stack.push(child);
                    }
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    names
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Every string inside `value`, as pointers below `at`.
fn all_strings(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::String(_) => out.push(at.to_owned()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                all_strings(item, &format!("{at}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                all_strings(item, &format!("{at}/{}", escape(key)), out);
            }
        }
        _ => {}
    }
}

fn walk(value: &Value, at: &str, names: &BTreeSet<String>, out: &mut Vec<String>) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{at}/{i}"), names, out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let pointer = format!("{at}/{}", escape(key));
                if names.contains(key) {
                    all_strings(item, &pointer, out);
                } else {
                    walk(item, &pointer, names, out);
                }
            }
        }
        _ => {}
    }
}

/// The pointers of every sensitive string value in `source`, read as `message` (none when the
/// message is unknown or the source is not JSON).
pub fn pointers(message: &str, source: &[u8]) -> Vec<String> {
    let Some(info) = registry::message(message) else {
        return Vec::new();
    };
    let (Ok(schema), Ok(payload)) = (
        serde_json::from_str::<Value>(info.schema),
        serde_json::from_slice::<Value>(source),
    ) else {
        return Vec::new();
    };
    let names = sensitive_names(&schema);
    let mut out = Vec::new();
    walk(&payload, "", &names, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::pointers;

    #[test]
    fn finds_the_personal_values_the_schema_declares() {
        let found = pointers(
            "create-link.request",
            br#"{"personalTaxId": "28001238938", "email": "a@b.co", "phone": "1", "institutionCode": "260", "externalInfo": {"email": "x"}}"#,
        );
        let mut found = found;
        found.sort();
        // By member name, anywhere: an `email` inside `externalInfo` is masked too (on the
        // safe side).
        assert_eq!(
            found,
            ["/email", "/externalInfo/email", "/personalTaxId", "/phone"]
        );
        let webhook = pointers(
            "webhook.event",
            br#"[{"eventName": "link_created", "payload": {"personalTaxId": "25872252137", "nested": ["x"]}}]"#,
        );
        let mut webhook = webhook;
        webhook.sort();
        assert_eq!(webhook, ["/0/payload/nested/0", "/0/payload/personalTaxId"]);
        assert!(pointers("create-link.request", b"{not json").is_empty());
    }
}
