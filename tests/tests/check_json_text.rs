//! The compiled check (`MessageInfo::check_json`) on what a parsed value cannot hold: repeated
//! member names, escaped names and strings, odd whitespace. For every example of every message,
//! each variant below must get from `check_json` exactly the list of `Diagnostics::check`
//! (pointer and code, in order), and the verdict of the typed path, but for repeated names
//! inside free-form objects, which the typed path does not see (it keeps the last copy).
//!
//! The schema-driven differential test (`differential_all.rs`) covers values; this one covers
//! text: its payloads are written by [`write`] from a value with an edit at one object.

use klavi_types::diagnostics::Diagnostics;
use klavi_types::registry;
use serde_json::Value;

/// A change to one object of a payload, made while writing it.
#[derive(Clone, Copy, Debug)]
enum Edit {
    /// Its first member written again at the end, with the same value.
    RepeatFirst,
    /// Its first member preceded by a copy holding `null` (a bad first copy).
    BadCopyBefore,
    /// Its first member followed by a copy holding `null` (a bad last copy).
    BadCopyAfter,
    /// An undeclared member whose object repeats a name.
    UnknownWithRepeats,
}

/// How strings and names are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Spelling {
    Plain,
    /// Every ASCII letter as a `\u00XX` escape, and whitespace between every token.
    Escaped,
}

fn string(text: &str, spelling: Spelling) -> String {
    match spelling {
        Spelling::Plain => serde_json::to_string(text).expect("a string serializes"),
        Spelling::Escaped => {
            let mut out = String::from("\"");
            for c in text.chars() {
                match c {
                    'a'..='z' | 'A'..='Z' => out.push_str(&format!("\\u{:04x}", c as u32)),
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
    }
}

/// `value` as JSON text, with `edit` applied to the object at `target` (a JSON Pointer).
fn write(value: &Value, here: &str, target: &str, edit: Edit, spelling: Spelling) -> String {
    let gap = if spelling == Spelling::Escaped {
        " \n\t"
    } else {
        ""
    };
    match value {
        Value::Array(items) => {
            let items: Vec<String> = items
                .iter()
                .enumerate()
                .map(|(i, item)| write(item, &format!("{here}/{i}"), target, edit, spelling))
                .collect();
            format!("[{gap}{}{gap}]", items.join(&format!("{gap},{gap}")))
        }
        Value::Object(members) => {
            let mut parts: Vec<String> = members
                .iter()
                .map(|(name, member)| {
                    let token = name.replace('~', "~0").replace('/', "~1");
                    let inner = write(member, &format!("{here}/{token}"), target, edit, spelling);
                    format!("{}{gap}:{gap}{inner}", string(name, spelling))
                })
                .collect();
            if here == target {
                let first = members.iter().next();
                let copy = |value: &str| {
                    first.map(|(name, _)| format!("{}:{value}", string(name, spelling)))
                };
                let len = parts.len();
                match edit {
                    Edit::RepeatFirst => {
                        if let Some(first) = parts.first().cloned() {
                            parts.push(first);
                        }
                    }
                    Edit::BadCopyBefore => parts.splice(0..0, copy("null")).for_each(drop),
                    Edit::BadCopyAfter => parts
                        .splice(len.min(1)..len.min(1), copy("null"))
                        .for_each(drop),
                    Edit::UnknownWithRepeats => parts.push(
                        r#""zzUndeclared":{"a":1,"b":{"c":[{"d":1,"d":2}]},"a":2}"#.to_owned(),
                    ),
                }
            }
            format!("{{{gap}{}{gap}}}", parts.join(&format!("{gap},{gap}")))
        }
        Value::String(text) => string(text, spelling),
        other => other.to_string(),
    }
}

/// The pointers of every object in `value`.
fn objects(value: &Value, here: String, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            out.push(here.clone());
            for (name, member) in members {
                let token = name.replace('~', "~0").replace('/', "~1");
                objects(member, format!("{here}/{token}"), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                objects(item, format!("{here}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn listed(list: &[klavi_types::Violation]) -> Vec<(String, &'static str)> {
    list.iter()
        .map(|v| (v.pointer().to_owned(), v.code()))
        .collect()
}

#[test]
fn repeated_names_escapes_and_whitespace_get_the_diagnostics_list() {
    let diagnostics = Diagnostics::new();
    let mut payloads = 0;
    let mut rejected = 0;
    let mut failures = Vec::new();
    for info in registry::messages() {
        for example in info.examples() {
            let mut targets = Vec::new();
            objects(&example, String::new(), &mut targets);
            let mut texts = vec![
                write(&example, "", "-", Edit::RepeatFirst, Spelling::Plain),
                write(&example, "", "-", Edit::RepeatFirst, Spelling::Escaped),
            ];
            for target in &targets {
                for edit in [
                    Edit::RepeatFirst,
                    Edit::BadCopyBefore,
                    Edit::BadCopyAfter,
                    Edit::UnknownWithRepeats,
                ] {
                    for spelling in [Spelling::Plain, Spelling::Escaped] {
                        texts.push(write(&example, "", target, edit, spelling));
                    }
                }
            }
            for text in texts {
                payloads += 1;
                let bytes = text.as_bytes();
                let compiled = (info.check_json)(bytes)
                    .err()
                    .map(|e| listed(e.as_slice()))
                    .unwrap_or_default();
                let expected = listed(&diagnostics.check(info.id, bytes).expect("a message"));
                let typed = (info.check)(bytes);
                if !compiled.is_empty() {
                    rejected += 1;
                }
                // The typed path keeps the last copy of a repeated name inside a free-form
                // object without a word (serde_json's map), so it may accept what the lists
                // refuse for repeated names only; never the other way round.
                let verdicts_agree = match &typed {
                    Err(_) => !compiled.is_empty(),
                    Ok(()) => compiled.iter().all(|(_, code)| *code == "duplicate_member"),
                };
                if compiled != expected || !verdicts_agree {
                    failures.push(format!(
                        "{}: {text}\n  check_json  {compiled:?}\n  diagnostics {expected:?}\n  typed       {:?}",
                        info.id,
                        typed.err().map(|e| listed(e.as_slice()))
                    ));
                }
            }
        }
    }
    eprintln!("{payloads} payloads, {rejected} rejected");
    assert!(
        rejected * 3 > payloads,
        "the edits must break most payloads"
    );
    assert!(
        failures.is_empty(),
        "{} of {payloads} differ:\n{}",
        failures.len(),
        failures[..failures.len().min(8)].join("\n")
    );
}
