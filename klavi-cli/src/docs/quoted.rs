//! The quoted flattening of an API block (`{ "name" "links", "method" "post", … }`: JSON
//! lower-cased with its colons removed, `[` written `\[`), read into a JSON value. A copy cut
//! off mid-way is read as far as it goes: each object or list the copy leaves open is closed
//! there and marked with [`CUT`], so the caller can tell a section read to its end from one
//! the copy stops in.

use serde_json::{Map, Value};

/// The member added to an object, or the item added to a list, that the copy leaves open.
pub(super) const CUT: &str = "\u{0}cut";

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Open,
    Close,
    OpenList,
    CloseList,
    Comma,
    Text(String),
    /// The copy stops here.
    End,
}

/// The marker item of a list the copy leaves open.
pub(super) fn cut_marker() -> Value {
    let mut map = Map::new();
    map.insert(CUT.to_owned(), Value::Bool(true));
    Value::Object(map)
}

/// Whether `value` (an object or a list) is one the copy leaves open.
pub(super) fn is_cut(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.contains_key(CUT),
        Value::Array(items) => items.last().is_some_and(is_cut),
        _ => false,
    }
}

/// Splits the block into tokens. Inside strings, `\\"` and `\"` are quotes and other escapes
/// are kept; outside, `\[` is `[`. Stops at the end of the first balanced `{…}`, or at the end
/// of the text with [`Token::End`] (a string the copy stops in is kept as far as it goes).
fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let start = text.find('{').ok_or("no API block (`{`) in the text")?;
    let chars: Vec<char> = text[start..].chars().collect();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '{' => {
                depth += 1;
                out.push(Token::Open);
            }
            '}' => {
                out.push(Token::Close);
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Ok(out);
                }
            }
            '[' => out.push(Token::OpenList),
            '\\' if chars.get(i + 1) == Some(&'[') => {
                out.push(Token::OpenList);
                i += 1;
            }
            ']' => out.push(Token::CloseList),
            ',' => out.push(Token::Comma),
            '"' => {
                let mut value = String::new();
                i += 1;
                loop {
                    match (chars.get(i), chars.get(i + 1), chars.get(i + 2)) {
                        (None, ..) => {
                            out.push(Token::Text(value));
                            out.push(Token::End);
                            return Ok(out);
                        }
                        (Some('"'), ..) => break,
                        (Some('\\'), Some('\\'), Some('"')) => {
                            value.push('"');
                            i += 3;
                        }
                        (Some('\\'), Some('"'), _) => {
                            value.push('"');
                            i += 2;
                        }
                        (Some('\\'), Some('n'), _) => {
                            value.push('\n');
                            i += 2;
                        }
                        (Some('\\'), Some(next), _) => {
                            value.push(*next);
                            i += 2;
                        }
                        (Some(c), ..) => {
                            value.push(*c);
                            i += 1;
                        }
                    }
                }
                out.push(Token::Text(value));
            }
            _ => {}
        }
        i += 1;
    }
    out.push(Token::End);
    Ok(out)
}

/// Parses tokens into JSON: an object is `{ "key" value, … }`, a list `[ value, … ]`. `None`
/// when the copy stops before the value begins.
fn value(tokens: &[Token], at: &mut usize, depth: usize) -> Result<Option<Value>, String> {
    if depth > 64 {
        return Err("the API block is nested too deeply".into());
    }
    let token = match tokens.get(*at) {
        None | Some(Token::End) => return Ok(None),
        Some(token) => token,
    };
    *at += 1;
    match token {
        Token::Text(text) => Ok(Some(Value::String(text.clone()))),
        Token::Open => {
            let mut map = Map::new();
            loop {
                match tokens.get(*at) {
                    Some(Token::Close) => {
                        *at += 1;
                        return Ok(Some(Value::Object(map)));
                    }
                    Some(Token::Comma) => *at += 1,
                    Some(Token::Text(key)) => {
                        let key = key.clone();
                        *at += 1;
                        match value(tokens, at, depth + 1)? {
                            Some(item) => {
                                let open = is_cut(&item);
                                map.insert(key, item);
                                if open {
                                    map.insert(CUT.to_owned(), Value::Bool(true));
                                    return Ok(Some(Value::Object(map)));
                                }
                            }
                            None => {
                                map.insert(CUT.to_owned(), Value::Bool(true));
                                return Ok(Some(Value::Object(map)));
                            }
                        }
                    }
                    Some(Token::End) | None => {
                        map.insert(CUT.to_owned(), Value::Bool(true));
                        return Ok(Some(Value::Object(map)));
                    }
                    _ => return Err("expected a key in the API block".into()),
                }
            }
        }
        Token::OpenList => {
            let mut items = Vec::new();
            loop {
                match tokens.get(*at) {
                    Some(Token::CloseList) => {
                        *at += 1;
                        return Ok(Some(Value::Array(items)));
                    }
                    Some(Token::Comma) => *at += 1,
                    Some(Token::End) | None => {
                        items.push(cut_marker());
                        return Ok(Some(Value::Array(items)));
                    }
                    Some(_) => match value(tokens, at, depth + 1)? {
                        Some(item) => {
                            let open = is_cut(&item);
                            items.push(item);
                            if open {
                                items.push(cut_marker());
                                return Ok(Some(Value::Array(items)));
                            }
                        }
                        None => {
                            items.push(cut_marker());
                            return Ok(Some(Value::Array(items)));
                        }
                    },
                }
            }
        }
        // `End` was answered above.
        Token::Close | Token::CloseList | Token::Comma | Token::End => {
            Err("unexpected punctuation in the API block".into())
        }
    }
}

/// Reads the quoted block in `text` (the page text may surround it) as far as the copy goes.
pub(super) fn read(text: &str) -> Result<Value, String> {
    let tokens = tokens(text)?;
    let mut at = 0;
    value(&tokens, &mut at, 0)?.ok_or_else(|| "the API block is empty".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_block_has_no_marks() {
        let value = read(r#"{ "a" \[ { "name" "x" } ], "b" "c" } trailing"#).unwrap();
        assert_eq!(value, serde_json::json!({"a": [{"name": "x"}], "b": "c"}));
        assert!(!is_cut(&value));
    }

    #[test]
    fn a_cut_copy_marks_every_container_it_leaves_open() {
        let value = read(r#"{ "request" { "path" \[], "body" \[ { "name" "a" }, { "name" "institutioncode", "kind" ""#)
            .unwrap();
        assert!(is_cut(&value));
        let request = &value["request"];
        assert!(is_cut(request));
        assert!(!is_cut(&request["path"]));
        let body = request["body"].as_array().unwrap();
        assert!(is_cut(&request["body"]));
        assert_eq!(body[0]["name"], "a");
        assert_eq!(body[1]["name"], "institutioncode");
        assert!(is_cut(&body[1]));
    }

    #[test]
    fn a_copy_cut_after_a_key_or_a_comma_is_read_too() {
        for text in [r#"{ "a" "#, r#"{ "a" "b", "#, r#"{ "a" \[ "b", "#, "{"] {
            let value = read(text).unwrap();
            assert!(is_cut(&value), "{text}");
        }
    }
}
