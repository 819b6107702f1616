//! The compiled check (`MessageInfo::check_json`) on what a parsed value cannot hold: repeated
//! member names, escaped names and strings, odd whitespace. For every example of every message,
//! each variant below must get from `check_json` exactly the list of `Diagnostics::check`
//! (pointer and code, in order), and the verdict of the typed path, but for repeated names
//! inside free-form objects, which the typed path does not see (it keeps the last copy).
//!
//! The schema-driven differential test (`differential_all.rs`) covers values; this one covers
//! text: its payloads are written by [`write`] from a value with an edit at one object.

use klavi_tests::lists::pointers_and_codes as listed;
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

/// A small deterministic generator (xorshift64*), so that a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that move a JSON text between its states: structure, escapes, numbers, literals.
const PIECES: &[&[u8]] = &[
    b"\"",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b",",
    b"0",
    b"9",
    b"-",
    b".",
    b"e",
    b"E",
    b"+",
    b"t",
    b"n",
    b"f",
    b" ",
    b"\n",
    b"a",
    b"\xc3\xa9",
    b"\\u00",
    b"\\ud83d\\ude00",
    b"\\n",
    b"null",
    b"true",
    b"1e400",
    b"22.0",
    b"-0",
    b"18446744073709551616",
    b"\"\"",
    b"{}",
    b"[]",
    b"\x00",
    b"\xff",
    b"\x80",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xe2\x82",
    b"\"x\":1,",
    b"\"eventID\":\"a\",",
];

/// `bytes` with one to three random edits: a byte replaced, a piece inserted, a span deleted
/// or a span repeated.
fn mutate(rng: &mut Rng, bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(out.len() + 1);
        match rng.below(4) {
            0 if at < out.len() => {
                let piece = PIECES[rng.below(PIECES.len())];
                out.splice(at..at + 1, piece.iter().copied());
            }
            1 => {
                let piece = PIECES[rng.below(PIECES.len())];
                out.splice(at..at, piece.iter().copied());
            }
            2 => {
                let end = (at + 1 + rng.below(8)).min(out.len());
                out.drain(at.min(end)..end);
            }
            _ => {
                let end = (at + 1 + rng.below(40)).min(out.len());
                let span = out[at.min(end)..end].to_vec();
                out.splice(end..end, span);
            }
        }
    }
    out
}

/// Cases per example (`KLAVI_TEXT_MUTATIONS`, default 250: 20,000 over the 80 examples).
fn mutations_per_example() -> usize {
    std::env::var("KLAVI_TEXT_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(250)
}

#[test]
fn random_edits_of_the_examples_get_the_diagnostics_list() {
    let diagnostics = Diagnostics::new();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut payloads, mut rejected, mut not_json) = (0, 0, 0);
    let mut failures = Vec::new();
    for info in registry::messages() {
        for example in info.examples() {
            let text = serde_json::to_vec(&example).expect("an example serializes");
            for _ in 0..mutations_per_example() {
                let bytes = mutate(&mut rng, &text);
                payloads += 1;
                let compiled = (info.check_json)(&bytes)
                    .err()
                    .map(|e| listed(e.as_slice()))
                    .unwrap_or_default();
                let expected = listed(&diagnostics.check(info.id, &bytes).expect("a message"));
                rejected += usize::from(!compiled.is_empty());
                not_json += usize::from(compiled.iter().any(|(_, c)| *c == "invalid_json"));
                if compiled != expected && failures.len() < 8 {
                    failures.push(format!(
                        "{}: {}\n  check_json  {compiled:?}\n  diagnostics {expected:?}",
                        info.id,
                        String::from_utf8_lossy(&bytes)
                    ));
                }
            }
        }
    }
    eprintln!("{payloads} edited payloads: {rejected} rejected, {not_json} of them not JSON");
    // The edits must reach both sides of the grammar, and past it.
    assert!(not_json * 5 > payloads && (rejected - not_json) * 10 > payloads);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Byte sequences that are not UTF-8: a lone continuation byte, a lead byte cut short (of two
/// and of three bytes), an encoded surrogate, an overlong `/`, a code point past U+10FFFF, a
/// byte no UTF-8 holds.
const NOT_UTF8: &[&[u8]] = &[
    b"\x80",
    b"\xc3",
    b"\xe2\x82",
    b"\xed\xa0\x80",
    b"\xc0\xaf",
    b"\xf4\x90\x80\x80",
    b"\xff",
];

/// A message's compiled check.
type CheckFn = fn(&[u8]) -> Result<(), klavi_types::validation::ValidationErrors>;

/// Characters of two, three and four bytes.
const UTF8: &[&str] = &["é", "€", "😀"];

/// The text is not checked as UTF-8 before it is read (the reader checks each string where it
/// reads it, and the grammar admits only ASCII elsewhere). At every offset of the first example
/// of every message, one sequence of [`NOT_UTF8`] and one character of [`UTF8`] are inserted
/// (each taken in turn, offset by offset, so each meets every kind of place): the first
/// payload must be one `invalid_json` (as the diagnostics say of any text serde_json refuses),
/// wherever it is, in a string, a name, a number or between tokens; the second must get the
/// diagnostics' list.
#[test]
fn bytes_that_are_not_utf8_anywhere_get_the_diagnostics_list() {
    let diagnostics = Diagnostics::new();
    let mut payloads = 0;
    let mut failures = Vec::new();
    let mut check = |id: &str, check_json: CheckFn, bytes: &[u8], expected| {
        payloads += 1;
        let compiled: Vec<(String, &str)> = check_json(bytes)
            .err()
            .map(|e| listed(e.as_slice()))
            .unwrap_or_default();
        if compiled != expected {
            failures.push(format!(
                "{id}: {}\n  check_json {compiled:?}\n  expected   {expected:?}",
                String::from_utf8_lossy(bytes)
            ));
        }
    };
    for info in registry::messages() {
        let Some(example) = info.examples().into_iter().next() else {
            continue;
        };
        let text = serde_json::to_vec(&example).expect("an example serializes");
        for at in 0..=text.len() {
            let mut bytes = text.clone();
            bytes.splice(at..at, NOT_UTF8[at % NOT_UTF8.len()].iter().copied());
            assert!(std::str::from_utf8(&bytes).is_err());
            assert!(serde_json::from_slice::<Value>(&bytes).is_err());
            let not_json = vec![(String::new(), "invalid_json")];
            check(info.id, info.check_json, &bytes, not_json);

            let mut bytes = text.clone();
            bytes.splice(at..at, UTF8[at % UTF8.len()].bytes());
            let expected = listed(&diagnostics.check(info.id, &bytes).expect("a message"));
            check(info.id, info.check_json, &bytes, expected);
        }
    }
    eprintln!("{payloads} payloads, half of them not UTF-8");
    assert!(
        failures.is_empty(),
        "{} of {payloads} differ:\n{}",
        failures.len(),
        failures[..failures.len().min(8)].join("\n")
    );
}
