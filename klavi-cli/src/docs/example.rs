//! The response a rendered page shows only by example. Some pages (Refresh Access Token, Revoke
//! a Consent, Get Status of Selected Institution) have no response table: their `200` tab's
//! example is all they say of the response. [`response_example`] reads the members of that
//! example (an array's items' members), each with the JSON type of its value, when the page
//! shows one status only: the text of a page with two tabs (`200`, `401`) shows whichever tab
//! was open, and nothing in it says which.

use std::collections::HashSet;

use serde_json::Value;

use super::block::{DocField, Location};

/// The members of the `200` example of the `Responses` section starting at `responses` (the
/// line after the `Responses` heading), as response fields of unknown required-ness; empty
/// when the section shows another status, several, or an example that is not JSON (`"mfaInfo":
/// object`).
pub(crate) fn response_example(lines: &[&str], responses: usize) -> Vec<DocField> {
    let statuses: Vec<&str> = lines[responses.min(lines.len())..]
        .iter()
        .take_while(|line| line.len() == 3 && line.bytes().all(|b| b.is_ascii_digit()))
        .copied()
        .collect();
    if statuses != ["200"] {
        return Vec::new();
    }
    let start = responses + 1;
    let section: Vec<&str> = lines[start..]
        .iter()
        .take_while(|line| !ends_the_examples(line))
        .copied()
        .collect();
    example_of(&section)
        .map(|value| fields_of(&value))
        .unwrap_or_default()
}

/// Where the examples of a `Responses` section end.
fn ends_the_examples(line: &str) -> bool {
    matches!(line, "Response" | "JSON" | "Did this page help you?")
        || line.starts_with("Updated ")
        || line.contains(" | ")
}

/// The example as JSON: the page gives it once on a line of its own (after its numbered
/// lines, one token each), or only as numbered lines (`1[`, `2 {`, `3 "code": 260,`).
fn example_of(section: &[&str]) -> Option<Value> {
    let whole_line = section
        .iter()
        .filter(|line| line.starts_with('{') || line.starts_with('['))
        .find_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|value| value.is_object() || value.is_array());
    if whole_line.is_some() {
        return whole_line;
    }
    let mut text = String::new();
    for line in section {
        let content = line.trim_start_matches(|c: char| c.is_ascii_digit());
        // A line that is only a number is a line-number token of the one-token-per-line form.
        if !content.is_empty() && content.len() < line.len() {
            text.push_str(content);
            text.push(' ');
        }
    }
    serde_json::from_str::<Value>(&text)
        .ok()
        .filter(|value| value.is_object() || value.is_array())
}

/// The JSON type a docs table would write for a value (`""` for `null`, which says none).
fn type_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The members of an object, or of an array's object items (in the order first seen).
fn fields_of(value: &Value) -> Vec<DocField> {
    let objects: Vec<&serde_json::Map<String, Value>> = match value {
        Value::Object(object) => vec![object],
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    };
    let mut fields: Vec<DocField> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for object in objects {
        for (name, member) in object {
            if !seen.insert(name) {
                continue;
            }
            fields.push(DocField {
                location: Location::Response,
                name: name.clone(),
                required: None,
                ty: type_of(member).to_owned(),
                description: "(from the 200 example)".to_owned(),
                partial: false,
            });
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(fields: &[DocField]) -> Vec<(&str, &str)> {
        fields
            .iter()
            .map(|f| (f.name.as_str(), f.ty.as_str()))
            .collect()
    }

    #[test]
    fn the_one_line_copy_of_the_example() {
        let lines = [
            "200",
            "1",
            "{",
            "2",
            "\"expireIn\"",
            ":",
            "1800",
            "}",
            "{ \"accessToken\": \"x\", \"expireIn\": 1800 }",
            "Updated 29 Sep 2024",
        ];
        assert_eq!(
            names(&response_example(&lines, 0)),
            [("accessToken", "string"), ("expireIn", "number")]
        );
    }

    #[test]
    fn numbered_lines_and_an_array() {
        let lines = [
            "200",
            "1[",
            "2 {",
            "3 \"institutionCode\": \"260\",",
            "4 \"status\": \"AUTHORISED\"",
            "5 },",
            "6 {\"name\": null, \"status\": \"ERROR\"}",
            "7]",
            "Updated 29 Sep 2024",
        ];
        assert_eq!(
            names(&response_example(&lines, 0)),
            [
                ("institutionCode", "string"),
                ("status", "string"),
                ("name", "")
            ]
        );
    }

    #[test]
    fn another_status_several_or_no_json_say_nothing() {
        for lines in [
            &["401", "{ \"statusCode\": 401 }"][..],
            &["200", "401", "{ \"statusCode\": 401 }"],
            &["200", "1{", "2 \"mfaInfo\": object", "3}"],
            &["200", "1", "2"],
            &["200"],
            &[],
        ] {
            assert!(response_example(lines, 0).is_empty(), "{lines:?}");
        }
        assert!(response_example(&["200"], 5).is_empty());
    }
}
