//! Parsing a kept API block: Klavi's docs publish each endpoint as JSON flattened to lower case
//! with its colons removed (`{ "name" "links", "method" "post", "request" { "bodydataparameters"
//! \[ … ] } }`, the format of `schemas/docs/*.block.txt`); [`parse_block`] reads the method,
//! the path and every documented field from it.

use serde_json::{Map, Value};

/// Where a documented parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// A path parameter.
    Path,
    /// A query parameter.
    Query,
    /// A header.
    Header,
    /// A member of the JSON request body.
    Body,
    /// A member of the response body.
    Response,
}

/// One documented field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocField {
    /// Where it travels.
    pub location: Location,
    /// Its name, as the block spells it (lower case: the casing is lost).
    pub name: String,
    /// Whether the block marks it `required`.
    pub required: bool,
    /// The block's type (`string`, `object`, `array`, `number`, `boolean`).
    pub ty: String,
    /// The block's description.
    pub description: String,
}

/// A parsed API block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The HTTP method, upper case.
    pub method: String,
    /// The path (`/data/v1/links`), lower case.
    pub path: String,
    /// Every documented field.
    pub fields: Vec<DocField>,
}

impl Block {
    /// The documented fields at `location`.
    pub(crate) fn at(&self, location: Location) -> Vec<&DocField> {
        self.fields
            .iter()
            .filter(|f| f.location == location)
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Open,
    Close,
    OpenList,
    CloseList,
    Comma,
    Text(String),
}

/// Splits the block into tokens. Inside strings, `\\"` and `\"` are quotes and other escapes
/// are kept; outside, `\[` is `[`. Stops at the end of the first balanced `{…}`.
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
                        (None, ..) => return Err("unterminated string".into()),
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
    Err("the API block is not closed".into())
}

/// Parses tokens into JSON: an object is `{ "key" value, … }`, a list `[ value, … ]`.
fn value(tokens: &[Token], at: &mut usize, depth: usize) -> Result<Value, String> {
    if depth > 64 {
        return Err("the API block is nested too deeply".into());
    }
    let token = tokens
        .get(*at)
        .ok_or("unexpected end of the API block")?
        .clone();
    *at += 1;
    match token {
        Token::Text(text) => Ok(Value::String(text)),
        Token::Open => {
            let mut map = Map::new();
            loop {
                match tokens.get(*at) {
                    Some(Token::Close) => {
                        *at += 1;
                        return Ok(Value::Object(map));
                    }
                    Some(Token::Comma) => *at += 1,
                    Some(Token::Text(key)) => {
                        let key = key.clone();
                        *at += 1;
                        let item = value(tokens, at, depth + 1)?;
                        map.insert(key, item);
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
                        return Ok(Value::Array(items));
                    }
                    Some(Token::Comma) => *at += 1,
                    Some(_) => items.push(value(tokens, at, depth + 1)?),
                    None => return Err("unexpected end of a list in the API block".into()),
                }
            }
        }
        Token::Close | Token::CloseList | Token::Comma => {
            Err("unexpected punctuation in the API block".into())
        }
    }
}

fn fields_of(list: Option<&Value>, location: Location) -> Vec<DocField> {
    let text = |item: &Value, key: &str| {
        item.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    list.and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|item| DocField {
                    location,
                    name: text(item, "name"),
                    required: text(item, "kind") == "required",
                    ty: text(item, "type"),
                    description: text(item, "description"),
                })
                .filter(|f| !f.name.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Parses an API block (the whole docs page text may surround it).
pub fn parse_block(text: &str) -> Result<Block, String> {
    let tokens = tokens(text)?;
    let mut at = 0;
    let root = value(&tokens, &mut at, 0)?;
    let method = root
        .get("method")
        .and_then(Value::as_str)
        .ok_or("the API block has no `method`")?
        .to_uppercase();
    let url = root
        .get("url")
        .and_then(Value::as_str)
        .ok_or("the API block has no `url`")?;
    let path = url
        .find("/data/")
        .map(|i| url[i..].trim().to_lowercase())
        .ok_or("the API block's `url` has no `/data/` path")?;
    let request = root.get("request");
    let part = |key: &str| request.and_then(|r| r.get(key));
    let mut fields = fields_of(part("pathparameters"), Location::Path);
    fields.extend(fields_of(part("queryparameters"), Location::Query));
    fields.extend(fields_of(part("headerparameters"), Location::Header));
    fields.extend(fields_of(part("bodydataparameters"), Location::Body));
    fields.extend(fields_of(root.get("response"), Location::Response));
    Ok(Block {
        method,
        path,
        fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: &str = r#"API REFERENCE
{ "name" "links", "method" "post", "url" "https //api sandbox klavi ai/data/v1/links", "examples" { "languages" \[ { "code" "curl data '{\\"personaltaxid\\" \\"string\\"}' \\\\\n header", "customlabel" "" } ] }, "request" { "pathparameters" \[], "queryparameters" \[], "headerparameters" \[ { "name" "authorization", "kind" "required", "type" "string", "description" "bearer", "children" \[] } ], "bodydataparameters" \[ { "name" "personaltaxid", "kind" "optional", "type" "string", "description" "the cpf", "children" \[] }, { "name" "newfield", "kind" "required", "type" "number", "description" "new", "children" \[] } ] }, "response" \[ { "name" "linkid", "kind" "optional", "type" "string", "description" "id" } ] } trailing prose { not parsed }"#;

    #[test]
    fn parses_the_flattened_format() {
        let block = parse_block(BLOCK).expect("parses");
        assert_eq!(
            (block.method.as_str(), block.path.as_str()),
            ("POST", "/data/v1/links")
        );
        let names: Vec<(&str, Location, bool)> = block
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.location, f.required))
            .collect();
        assert_eq!(
            names,
            [
                ("authorization", Location::Header, true),
                ("personaltaxid", Location::Body, false),
                ("newfield", Location::Body, true),
                ("linkid", Location::Response, false),
            ]
        );
    }

    #[test]
    fn malformed_blocks_are_errors_not_panics() {
        for text in [
            "",
            "no block",
            "{",
            "{ \"a\" ",
            "{ \"method\" \"get\" }",
            "{ , }",
            "{ \"a\" \\[ \"b\" }",
        ] {
            assert!(parse_block(text).is_err(), "{text}");
        }
    }
}
