//! The plain flattening of an API block, in which every punctuation mark became a space
//! (`name user data method post url https api sandbox klavi ai data v1 business user data …
//! request pathparameters queryparameters headerparameters name authorization kind required
//! type string description … children bodydataparameters name taxid …`), read into the same
//! JSON shape as the quoted flattening gives (`quoted.rs`), with the same marks where the copy
//! stops. Empty lists leave no trace but their key, so a section is what lies between its key
//! and the next; a field is `name N kind K type T description …`, its description running to
//! `children` or to the next field or section.

use serde_json::{Map, Value};

use super::quoted::{CUT, cut_marker};

/// The parameter lists of `request`, in the order the blocks give them.
const SECTIONS: &[&str] = &[
    "pathparameters",
    "queryparameters",
    "headerparameters",
    "bodydataparameters",
    "formdataparameters",
];

/// Whether the text is a plain flattening: no `{` before its first `name … method` words.
pub(super) fn is_plain(text: &str) -> bool {
    !text.contains('{') && text.split_whitespace().any(|w| w == "method")
}

/// Reads a plain block as far as the copy goes.
pub(super) fn read(text: &str) -> Result<Value, String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let after = |key: &str| words.iter().position(|w| *w == key);
    let method = after("method")
        .and_then(|i| words.get(i + 1))
        .ok_or("the API block has no `method`")?;
    let url_at = after("url").ok_or("the API block has no `url`")?;
    let url_end = words[url_at + 1..]
        .iter()
        .position(|w| matches!(*w, "description" | "tab" | "examples"))
        .map_or(words.len(), |n| url_at + 1 + n);
    let url = words[url_at + 1..url_end].join(" ");
    let mut root = Map::new();
    root.insert("method".into(), Value::String((*method).to_owned()));
    root.insert("url".into(), Value::String(url));
    let request_at = words
        .windows(2)
        .position(|pair| pair == ["request", "pathparameters"]);
    let Some(request_at) = request_at else {
        root.insert(CUT.into(), Value::Bool(true));
        return Ok(Value::Object(root));
    };
    let mut reader = Reader {
        words: &words,
        at: request_at + 1,
    };
    let mut request = Map::new();
    for section in SECTIONS {
        if reader.word() != Some(section) {
            continue;
        }
        reader.at += 1;
        let (fields, cut) = reader.fields();
        request.insert((*section).to_owned(), Value::Array(fields));
        if cut {
            request.insert(CUT.into(), Value::Bool(true));
            root.insert("request".into(), Value::Object(request));
            root.insert(CUT.into(), Value::Bool(true));
            return Ok(Value::Object(root));
        }
    }
    root.insert("request".into(), Value::Object(request));
    if reader.word() == Some(&"response") {
        reader.at += 1;
        let (fields, cut) = reader.fields();
        root.insert("response".into(), Value::Array(fields));
        if cut {
            root.insert(CUT.into(), Value::Bool(true));
        }
    } else if reader.word().is_none() {
        root.insert(CUT.into(), Value::Bool(true));
    }
    Ok(Value::Object(root))
}

/// A position in the words.
struct Reader<'w> {
    words: &'w [&'w str],
    at: usize,
}

impl Reader<'_> {
    fn word(&self) -> Option<&&str> {
        self.words.get(self.at)
    }

    fn word_at(&self, at: usize) -> Option<&str> {
        self.words.get(at).copied()
    }

    /// Whether a field begins at `at`: `name N kind …` (or `name N` where the copy stops).
    fn field_starts(&self, at: usize) -> bool {
        self.word_at(at) == Some("name")
            && self.word_at(at + 1).is_some()
            && self.word_at(at + 2).is_none_or(|w| w == "kind")
    }

    /// Whether a section (or the response) begins at `at`: its key, then a field, another
    /// section, or the end.
    fn section_starts(&self, at: usize) -> bool {
        self.word_at(at)
            .is_some_and(|w| SECTIONS.contains(&w) || w == "response")
            && (self.field_starts(at + 1)
                || self
                    .word_at(at + 1)
                    .is_none_or(|w| SECTIONS.contains(&w) || w == "response"))
    }

    /// The fields of a section, and whether the copy stops in it.
    fn fields(&mut self) -> (Vec<Value>, bool) {
        let mut fields = Vec::new();
        loop {
            if self.word().is_none() {
                fields.push(cut_marker());
                return (fields, true);
            }
            if !self.field_starts(self.at) {
                return (fields, false);
            }
            let (field, cut) = self.field();
            fields.push(field);
            if cut {
                fields.push(cut_marker());
                return (fields, true);
            }
        }
    }

    /// One field (`at` is on its `name`), and whether the copy stops in it.
    fn field(&mut self) -> (Value, bool) {
        let mut field = Map::new();
        let name = self.word_at(self.at + 1).unwrap_or_default();
        field.insert("name".into(), Value::String(name.to_owned()));
        self.at += 2;
        for key in ["kind", "type"] {
            if self.word() == Some(&key) {
                match self.word_at(self.at + 1) {
                    Some(value) => {
                        field.insert(key.into(), Value::String(value.to_owned()));
                        self.at += 2;
                    }
                    None => {
                        self.at += 1;
                    }
                }
            }
        }
        if self.word() == Some(&"description") {
            self.at += 1;
            let start = self.at;
            while self.word().is_some()
                && self.word() != Some(&"children")
                && !self.field_starts(self.at)
                && !self.section_starts(self.at)
            {
                self.at += 1;
            }
            let description = self.words[start..self.at].join(" ");
            field.insert("description".into(), Value::String(description));
        }
        if self.word() == Some(&"children") {
            self.at += 1;
            return (Value::Object(field), false);
        }
        let cut = self.word().is_none();
        if cut {
            field.insert(CUT.into(), Value::Bool(true));
        }
        (Value::Object(field), cut)
    }
}

#[cfg(test)]
mod tests {
    use super::super::quoted::is_cut;
    use super::*;

    const BLOCK: &str = "name user data method post url https api sandbox klavi ai data v1 business user data description get user data nwhen tab examples request pathparameters queryparameters headerparameters name authorization kind required type string description bearer access token it returned by the auth children bodydataparameters name taxid kind required type string description the cnpj of the company children name linkid kind optional type string description the link children name productscallbackurl kind optional type object description report produc";

    #[test]
    fn a_plain_copy_reads_like_the_quoted_one() {
        assert!(is_plain(BLOCK));
        let block = read(BLOCK).unwrap();
        assert_eq!(block["method"], "post");
        assert_eq!(
            block["url"],
            "https api sandbox klavi ai data v1 business user data"
        );
        let request = &block["request"];
        assert_eq!(request["pathparameters"], serde_json::json!([]));
        assert_eq!(request["headerparameters"][0]["name"], "authorization");
        assert_eq!(request["headerparameters"][0]["kind"], "required");
        assert_eq!(
            request["headerparameters"][0]["description"],
            "bearer access token it returned by the auth"
        );
        let body = request["bodydataparameters"].as_array().unwrap();
        let names: Vec<&str> = body.iter().filter_map(|f| f["name"].as_str()).collect();
        assert_eq!(names, ["taxid", "linkid", "productscallbackurl"]);
        assert!(is_cut(&body[2]), "the last field is partly there");
        assert!(is_cut(&request["bodydataparameters"]) && is_cut(&block));
        assert!(!is_cut(&request["headerparameters"]));
    }

    #[test]
    fn a_plain_copy_cut_before_the_parameters_is_marked() {
        let block = read("name x method get url https a data v1 x description y").unwrap();
        assert!(is_cut(&block));
        assert!(read("name x").is_err());
    }
}
