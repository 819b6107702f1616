//! Parsing a kept API block: Klavi's docs publish each endpoint as JSON flattened to lower case,
//! either with its colons removed (`{ "name" "links", "method" "post", "request" {
//! "bodydataparameters" \[ … ] } }`, `quoted.rs`) or with every punctuation mark a space
//! (`plain.rs`), and the copies kept in `schemas/docs/*.block.txt` may stop mid-way (their
//! `# truncated: yes` header says so). [`parse_block`] reads the method, the path, every
//! documented field, the paths the examples call, and, for a copy cut off, where it ends and
//! which sections it gives whole.

use std::fmt;

use serde_json::Value;

use super::quoted::is_cut;
use super::{plain, quoted};

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
    /// Whether the docs mark it required (`None`: the copy does not say, as a `name |
    /// description` table does not).
    pub required: Option<bool>,
    /// The docs' type (`string`, `object`, `array`, `number`, `boolean`), lower case; `""`
    /// when the copy does not say.
    pub ty: String,
    /// The block's description.
    pub description: String,
    /// The copy stops inside this field: only its name is certain.
    pub partial: bool,
}

/// Which form of the docs a copy is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// An API block, flattened JSON (`ID.block.txt`).
    Block,
    /// A rendered page, one token per line (`ID.page.txt`).
    Page,
    /// A page flattened to lower-case prose (`ID.page.txt` too).
    PageText,
}

/// What a copy of the docs says about an endpoint, whichever form it came from: an API block
/// ([`parse_block`]) or a page ([`super::parse_page`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The form of the copy.
    pub form: Form,
    /// The page's title (`Create a Consent`), when the copy shows it.
    pub title: Option<String>,
    /// The page's `Updated` date (`29 Sep 2024`), when the copy reaches it.
    pub updated: Option<String>,
    /// The HTTP method, upper case.
    pub method: String,
    /// The path (`/data/v1/links`), lower case; `""` when the copy shows none (a page without
    /// its curl example).
    pub path: String,
    /// Every documented field, as far as the copy goes.
    pub fields: Vec<DocField>,
    /// The paths the block's curl examples call (`/data/v1/tasks/{taskid}/mfa`), lower case.
    pub example_paths: Vec<String>,
    /// Where the copy stops, when it is cut off before the block's end.
    pub ending: Option<Ending>,
    /// The locations whose list the copy gives whole.
    complete: Vec<Location>,
}

/// Where a cut-off copy of a block stops.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ending {
    /// The list the copy stops in; `None` when it stops before or between the lists.
    pub location: Option<Location>,
    /// The last field of that list the copy names (it may be only partly there).
    pub last_field: Option<String>,
}

impl Ending {
    /// A copy cut off before or between its lists: no list it stops in.
    pub(crate) const UNPLACED: Ending = Ending {
        location: None,
        last_field: None,
    };
}

impl fmt::Display for Ending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.location, &self.last_field) {
            (Some(location), Some(field)) => write!(
                f,
                "the copy ends in the {}, at `{field}`",
                location.describe()
            ),
            (Some(location), None) => write!(f, "the copy ends in the {}", location.describe()),
            (None, _) => f.write_str("the copy ends before the parameter lists are complete"),
        }
    }
}

impl Location {
    /// Every location, in the order the docs list them.
    pub const ALL: [Location; 5] = [
        Location::Path,
        Location::Query,
        Location::Header,
        Location::Body,
        Location::Response,
    ];

    /// The list in words (`body parameters`).
    pub fn describe(self) -> &'static str {
        match self {
            Location::Path => "path parameters",
            Location::Query => "query parameters",
            Location::Header => "header parameters",
            Location::Body => "body parameters",
            Location::Response => "response fields",
        }
    }
}

impl Block {
    /// Whether the copy gives the list at `location` whole: a field the schema declares and
    /// the list lacks is then one the docs dropped, not one the copy did not reach.
    pub fn is_complete(&self, location: Location) -> bool {
        self.complete.contains(&location)
    }

    /// Sets the list at `location` aside: its fields are dropped and it is no longer whole, so
    /// nothing is compared there (a copy superseded there by a newer one).
    pub fn set_aside(&mut self, location: Location) {
        self.fields.retain(|f| f.location != location);
        self.complete.retain(|l| *l != location);
    }

    /// The lists the copy gives whole, in the order the docs list them.
    pub fn whole_lists(&self) -> Vec<Location> {
        Location::ALL
            .into_iter()
            .filter(|l| self.is_complete(*l))
            .collect()
    }

    /// The documented fields at `location`.
    pub(crate) fn at(&self, location: Location) -> Vec<&DocField> {
        self.fields
            .iter()
            .filter(|f| f.location == location)
            .collect()
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
                    required: Some(text(item, "kind") == "required"),
                    ty: text(item, "type"),
                    description: text(item, "description"),
                    partial: is_cut(item),
                })
                .filter(|f| !f.name.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// The lists of a block: whether it lies in `request` (else at the root), its key, and the
/// location of its fields.
const LISTS: [(bool, &str, Location); 5] = [
    (true, "pathparameters", Location::Path),
    (true, "queryparameters", Location::Query),
    (true, "headerparameters", Location::Header),
    (true, "bodydataparameters", Location::Body),
    (false, "response", Location::Response),
];

/// Parses an API block (the whole docs page text may surround it), as far as the copy goes.
pub fn parse_block(text: &str) -> Result<Block, String> {
    let body = without_header(text);
    let root = if plain::is_plain(body) {
        plain::read(body)?
    } else {
        quoted::read(body)?
    };
    let method = root
        .get("method")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty())
        .ok_or("the API block has no `method`")?
        .to_uppercase();
    let url = root
        .get("url")
        .and_then(Value::as_str)
        .ok_or("the API block has no `url`")?;
    let path = path_of(url).ok_or("the API block's `url` has no `/data/` path")?;
    let cut = is_cut(&root);
    let request = root.get("request");
    let request_cut = request.is_none_or(is_cut);
    let mut fields = Vec::new();
    let mut complete = Vec::new();
    let mut ending = cut.then_some(Ending::UNPLACED);
    for (in_request, key, location) in LISTS {
        let (container, container_cut) = if in_request {
            (request, request_cut)
        } else {
            (Some(&root), cut)
        };
        let list = container.and_then(|c| c.get(key));
        let listed = fields_of(list, location);
        match list {
            Some(list) if is_cut(list) => {
                ending = Some(Ending {
                    location: Some(location),
                    last_field: listed.last().map(|f| f.name.clone()),
                });
            }
            Some(_) => complete.push(location),
            // An absent list is empty, unless the copy stops before it.
            None if !(cut && container_cut) => complete.push(location),
            None => {}
        }
        fields.extend(listed);
    }
    Ok(Block {
        form: Form::Block,
        title: None,
        updated: None,
        method,
        path,
        fields,
        example_paths: example_paths(&root),
        ending,
        complete,
    })
}

impl Block {
    /// A block read from a page (`page.rs`): no title or date yet, no curl examples.
    pub(crate) fn from_page(
        form: Form,
        method: String,
        path: String,
        fields: Vec<DocField>,
        complete: Vec<Location>,
        ending: Option<Ending>,
    ) -> Block {
        Block {
            form,
            title: None,
            updated: None,
            method,
            path,
            fields,
            example_paths: Vec::new(),
            ending,
            complete,
        }
    }
}

/// The block text without the kept copy's `# title:`, `# source:`, `# truncated:` lines.
fn without_header(text: &str) -> &str {
    let mut rest = text;
    while let Some(line_end) = rest.find('\n') {
        if !rest.starts_with("# ") {
            break;
        }
        rest = &rest[line_end + 1..];
    }
    rest
}

/// The `/data/…` path of a URL as the block writes it: `https //api sandbox klavi ai/data/v1/x`
/// (quoted) or `https api sandbox klavi ai data v1 x y` (plain: every `/` and `-` a space,
/// given back as `/`).
fn path_of(url: &str) -> Option<String> {
    if let Some(i) = url.find("/data/") {
        return Some(url[i..].trim().to_lowercase());
    }
    let words: Vec<&str> = url.split_whitespace().collect();
    let start = words.windows(2).position(|w| w == ["data", "v1"])?;
    Some(format!("/{}", words[start..].join("/")))
}

/// The paths the curl examples call, lower case.
fn example_paths(root: &Value) -> Vec<String> {
    let codes = root
        .pointer("/examples/languages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|language| language.get("language").and_then(Value::as_str) == Some("curl"))
        .filter_map(|language| language.get("code").and_then(Value::as_str));
    let mut paths = Vec::new();
    for code in codes {
        for quoted_url in code.split('\'').skip(1).step_by(2) {
            if let Some(i) = quoted_url.find("/data/") {
                paths.push(quoted_url[i..].trim().to_lowercase());
            }
        }
    }
    paths
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
            .map(|f| (f.name.as_str(), f.location, f.required == Some(true)))
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
    fn a_cut_copy_is_read_as_far_as_it_goes() {
        let text = "# title: Create a Consent\n# source: https://docs.klavi.ai/connect/create-a-consent\n# truncated: yes\n".to_owned()
            + r#"{ "name" "consents", "method" "post", "url" "https //api sandbox klavi ai/data/v1/consents", "examples" { "languages" \[ { "language" "curl", "code" "curl location 'https //api sandbox klavi ai/data/v1/consents/x' \\\\\n header" } ] }, "request" { "pathparameters" \[], "queryparameters" \[], "headerparameters" \[ { "name" "authorization", "kind" "required", "type" "string", "description" "bearer", "children" \[] } ], "bodydataparameters" \[ { "name" "externaltrackid", "kind" "required", "type" "string", "description" "id", "children" \[] }, { "name" "institutioncode", "kind" ""#;
        let block = parse_block(&text).expect("parses");
        assert_eq!(block.path, "/data/v1/consents");
        assert_eq!(block.example_paths, ["/data/v1/consents/x"]);
        let body: Vec<(&str, bool)> = block
            .at(Location::Body)
            .iter()
            .map(|f| (f.name.as_str(), f.partial))
            .collect();
        assert_eq!(
            body,
            [("externaltrackid", false), ("institutioncode", true)]
        );
        for location in [Location::Path, Location::Query, Location::Header] {
            assert!(block.is_complete(location), "{location:?}");
        }
        assert!(!block.is_complete(Location::Body) && !block.is_complete(Location::Response));
        let ending = block.ending.expect("cut");
        assert_eq!(ending.location, Some(Location::Body));
        assert_eq!(
            ending.to_string(),
            "the copy ends in the body parameters, at `institutioncode`"
        );
    }

    #[test]
    fn a_whole_block_is_complete_everywhere() {
        let block = parse_block(BLOCK).expect("parses");
        assert_eq!(block.ending, None);
        for location in Location::ALL {
            assert!(block.is_complete(location), "{location:?}");
        }
        assert!(block.fields.iter().all(|f| !f.partial));
    }

    #[test]
    fn a_plain_copy_gives_the_same_block() {
        let block = parse_block("# truncated: yes\nname user data method post url https api sandbox klavi ai data v1 business user data description x request pathparameters queryparameters headerparameters name authorization kind required type string description bearer children bodydataparameters name taxid kind required type string description the cnpj children name products kind requ").expect("parses");
        assert_eq!(
            (block.method.as_str(), block.path.as_str()),
            ("POST", "/data/v1/business/user/data")
        );
        let names: Vec<(&str, Location, bool, bool)> = block
            .fields
            .iter()
            .map(|f| {
                (
                    f.name.as_str(),
                    f.location,
                    f.required == Some(true),
                    f.partial,
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("authorization", Location::Header, true, false),
                ("taxid", Location::Body, true, false),
                ("products", Location::Body, false, true),
            ]
        );
        assert_eq!(block.ending.and_then(|e| e.location), Some(Location::Body));
    }

    #[test]
    fn malformed_blocks_are_errors_not_panics() {
        for text in [
            "",
            "no block",
            "{",
            "{ \"a\" ",
            "{ \"method\" \"get\" }",
            "{ \"method\" \"get\", \"url\" \"https //x/v1\" }",
            "# truncated: yes\nname x url y",
            "{ , }",
            "{ \"a\" \\[ \"b\" }",
        ] {
            assert!(parse_block(text).is_err(), "{text}");
        }
    }
}
