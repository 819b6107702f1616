//! Loading: reads the index, every message file it names, and every file reachable through
//! `$ref`, recording each file read so that the macro can make the build depend on it.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{SchemaError, SchemaErrorKind, SchemaErrors};
use crate::index::{Index, parse_index};

/// Where schema files come from. The directory source is the normal one; tests use in-memory
/// sources.
pub trait Source {
    /// Reads the file at `relative` (a `/`-separated path relative to the schema directory).
    fn read(&mut self, relative: &str) -> Result<String, String>;
}

/// Reads files below a directory and remembers the absolute path of every file read.
#[derive(Debug)]
pub struct DirSource {
    root: PathBuf,
    read: Vec<PathBuf>,
}

impl DirSource {
    /// A source reading below `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DirSource {
            root: root.into(),
            read: Vec::new(),
        }
    }

    /// Every file read so far, as absolute (or root-joined) paths, in reading order.
    pub fn files_read(&self) -> &[PathBuf] {
        &self.read
    }
}

impl Source for DirSource {
    fn read(&mut self, relative: &str) -> Result<String, String> {
        let path = self.root.join(relative);
        let text = std::fs::read_to_string(&path).map_err(|error| error.to_string())?;
        self.read.push(path);
        Ok(text)
    }
}

/// An in-memory source, for tests and tools.
#[derive(Clone, Debug, Default)]
pub struct MemorySource {
    files: BTreeMap<String, String>,
}

impl MemorySource {
    /// A source holding `files` (relative path → content).
    pub fn new<I, K, V>(files: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        MemorySource {
            files: files
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }
}

impl Source for MemorySource {
    fn read(&mut self, relative: &str) -> Result<String, String> {
        self.files
            .get(relative)
            .cloned()
            .ok_or_else(|| format!("no file `{relative}`"))
    }
}

/// Everything the later phases need: the index and every schema document, by relative path.
#[derive(Clone, Debug)]
pub struct Documents {
    /// The index file's relative path.
    pub(crate) index_file: String,
    /// The parsed index.
    pub(crate) index: Index,
    /// Every schema document, keyed by its normalised relative path.
    pub(crate) files: BTreeMap<String, Value>,
}

/// The read side of the loaded schemas, for tools that inspect them (the `klavi docs`
/// subcommands compare Klavi's published field tables with them). The documents themselves stay
/// opaque: a tool reads the index and follows references the way the generator does.
impl Documents {
    /// The parsed endpoint index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The index file's relative path, as given to [`load`]: the file that the message paths of
    /// the index ([`EndpointSpec::messages`](crate::index::EndpointSpec::messages)) are relative
    /// to, so `resolve_ref(documents.index_file(), message_file)` reads a message's schema.
    pub fn index_file(&self) -> &str {
        &self.index_file
    }

    /// Follows the reference `reference` (a `$ref` value, or a message path of the index)
    /// written in the file `from_file`, as the generator does: a relative file path, normalised
    /// against `from_file`'s directory, and an optional JSON Pointer fragment
    /// (`common.json#/$defs/Cpf`; `#/$defs/Cpf` stays in `from_file`).
    ///
    /// Returns the normalised relative path of the file it points into (the `from_file` of any
    /// reference inside the node) and the node; `None` when the reference is not supported
    /// (absolute URI, anchor, a path leaving the schema directory), names a file that was not
    /// loaded, or has a pointer that leads nowhere.
    ///
    /// ```
    /// use klavi_schema::load::{MemorySource, load};
    ///
    /// let mut source = MemorySource::new([
    ///     ("endpoints.json", r#"{"modules": {"demo": "A demo module."}, "endpoints": [
    ///         {"id": "ping", "title": "Ping", "description": "Checks the service.",
    ///          "method": "POST", "path": "/ping", "token": "none", "module": "demo",
    ///          "docs": "https://example.com",
    ///          "messages": {"request": "demo/ping.request.json"}}]}"#),
    ///     ("demo/ping.request.json", r##"{"type": "object",
    ///         "properties": {"name": {"$ref": "../common.json#/$defs/Name"}}}"##),
    ///     ("common.json", r#"{"$defs": {"Name": {"type": "string"}}}"#),
    /// ]);
    /// let documents = load(&mut source, "endpoints.json").unwrap();
    /// let file = documents.index().endpoints[0].messages.values().next().unwrap();
    /// let (file, request) = documents.resolve_ref(documents.index_file(), file).unwrap();
    /// assert_eq!(file, "demo/ping.request.json");
    /// let reference = request["properties"]["name"]["$ref"].as_str().unwrap();
    /// let (file, name) = documents.resolve_ref(&file, reference).unwrap();
    /// assert_eq!(file, "common.json");
    /// assert_eq!(name["type"], "string");
    /// assert!(documents.resolve_ref(&file, "#/$defs/Missing").is_none());
    /// ```
    pub fn resolve_ref(&self, from_file: &str, reference: &str) -> Option<(String, &Value)> {
        let target = parse_ref(from_file, reference).ok()?;
        let node = crate::pointer::resolve(self.files.get(&target.file)?, &target.pointer)?;
        Some((target.file, node))
    }
}

/// A `$ref` split into its normalised file and its JSON Pointer fragment.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct RefTarget {
    /// The file the reference points into.
    pub(crate) file: String,
    /// The JSON Pointer inside that file (`""` for the root).
    pub(crate) pointer: String,
}

/// Splits `reference` written in `from_file` into its target. Only relative file references and
/// same-document JSON Pointer fragments are supported.
pub(crate) fn parse_ref(from_file: &str, reference: &str) -> Result<RefTarget, String> {
    let (file_part, fragment) = match reference.split_once('#') {
        Some((file, fragment)) => (file, fragment),
        None => (reference, ""),
    };
    if file_part.contains("://") || file_part.starts_with('/') {
        return Err(format!(
            "`$ref` `{reference}`: only relative file references are supported, not absolute URIs"
        ));
    }
    if !fragment.is_empty() && !fragment.starts_with('/') {
        return Err(format!(
            "`$ref` `{reference}`: only JSON Pointer fragments (`#/$defs/Name`) are supported, not anchors"
        ));
    }
    let file = if file_part.is_empty() {
        from_file.to_owned()
    } else {
        let base = Path::new(from_file).parent().unwrap_or(Path::new(""));
        normalise(&base.join(file_part))
            .ok_or_else(|| format!("`$ref` `{reference}` leaves the schema directory"))?
    };
    let pointer = percent_decode(fragment);
    Ok(RefTarget { file, pointer })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(&[high, low]) = bytes
                .get(i + 1..i + 3)
                .and_then(|pair| <&[u8; 2]>::try_from(pair).ok())
            && let (Some(high), Some(low)) = (hex(high), hex(low))
        {
            out.push(high * 16 + low);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

fn hex(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Normalises `a/b/../c` to `a/c`; `None` when the path climbs above the root.
fn normalise(path: &Path) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            std::path::Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            std::path::Component::ParentDir => {
                parts.pop()?;
            }
            std::path::Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

/// Loads the index at `index_file` and every file it reaches.
pub fn load(source: &mut dyn Source, index_file: &str) -> Result<Documents, SchemaErrors> {
    let index_document = read_json(source, index_file, None)?;
    let index = parse_index(index_file, &index_document)?;
    let mut errors = SchemaErrors::default();
    let mut files = BTreeMap::new();
    let mut queued = BTreeSet::new();
    let mut queue = VecDeque::new();
    for (i, endpoint) in index.endpoints.iter().enumerate() {
        for (kind, file) in &endpoint.messages {
            let from = (
                index_file.to_owned(),
                format!("/endpoints/{i}/messages/{}", kind.as_str()),
            );
            match normalise(Path::new(file)) {
                Some(file) => {
                    if queued.insert(file.clone()) {
                        queue.push_back((file, from));
                    }
                }
                None => errors.push(SchemaError::new(
                    SchemaErrorKind::Index,
                    from.0,
                    from.1,
                    format!("message file `{file}` leaves the schema directory"),
                )),
            }
        }
    }
    for (i, spec) in index.standalone.iter().enumerate() {
        let from = (index_file.to_owned(), format!("/standalone/{i}/file"));
        match normalise(Path::new(&spec.file)) {
            Some(file) => {
                if queued.insert(file.clone()) {
                    queue.push_back((file, from));
                }
            }
            None => errors.push(SchemaError::new(
                SchemaErrorKind::Index,
                from.0,
                from.1,
                format!("message file `{}` leaves the schema directory", spec.file),
            )),
        }
    }
    while let Some((file, from)) = queue.pop_front() {
        let document = match read_json(source, &file, Some(&from)) {
            Ok(document) => document,
            Err(list) => {
                errors.0.extend(list.0);
                continue;
            }
        };
        let mut refs = Vec::new();
        collect_refs(&document, String::new(), &mut refs);
        for (pointer, reference) in refs {
            match parse_ref(&file, &reference) {
                Ok(target) => {
                    if queued.insert(target.file.clone()) {
                        queue.push_back((target.file, (file.clone(), pointer)));
                    }
                }
                Err(message) => errors.push(SchemaError::new(
                    SchemaErrorKind::Unsupported,
                    &file,
                    pointer,
                    message,
                )),
            }
        }
        files.insert(file, document);
    }
    errors.into_result(Documents {
        index_file: index_file.to_owned(),
        index,
        files,
    })
}

fn read_json(
    source: &mut dyn Source,
    file: &str,
    from: Option<&(String, String)>,
) -> Result<Value, SchemaErrors> {
    let text = source.read(file).map_err(|message| {
        let (at_file, at_pointer) = match from {
            Some((f, p)) => (f.clone(), p.clone()),
            None => (file.to_owned(), String::new()),
        };
        SchemaError::new(
            SchemaErrorKind::Io,
            at_file,
            at_pointer,
            format!("cannot read schema file `{file}`: {message}"),
        )
    })?;
    serde_json::from_str(&text).map_err(|error| {
        SchemaError::new(
            SchemaErrorKind::Json,
            file,
            "",
            format!("invalid JSON: {error}"),
        )
        .into()
    })
}

/// Every `$ref` string in a document with the pointer of the object holding it. Example values
/// (`examples`, `const`, `enum`) are data, not schemas, and are skipped.
fn collect_refs(value: &Value, pointer: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if matches!(key.as_str(), "examples" | "const" | "enum" | "default") {
                    continue;
                }
                if key == "$ref" {
                    if let Some(reference) = child.as_str() {
                        out.push((pointer.clone(), reference.to_owned()));
                    }
                    continue;
                }
                collect_refs(child, crate::pointer::join(&pointer, key), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_refs(child, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}
