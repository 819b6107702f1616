//! Where JSON Pointers (RFC 6901, wire names) land in the source text of a payload: the byte
//! span of the value, or of a member's name, and its 1-based line and column (in characters).
//!
//! Every pointer of a report is located in **one** read of the text ([`crate::scan`]), guided
//! by a trie of the pointers, and every line and column in one more sweep: locating a thousand
//! violations costs two passes over the payload, not a thousand. Member names are compared
//! after unescaping both sides (JSON `\"`, `\u00e9`, … and pointer `~0`, `~1`). When an object
//! holds a name twice, the last copy wins, as it does when the payload is parsed; a
//! [`Target::SecondKey`] names the second copy itself. Malformed text or a malformed pointer
//! locates nothing; nothing here panics.

use std::collections::HashMap;
use std::ops::Range;

use klavi_types::validation::pointer::unescape_token;

use crate::scan::{Event, Scanner, decode_into};

/// What to find at a pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The value at the pointer; when the last token names a member absent from its object,
    /// that object's opening `{` (a missing required member is reported there).
    Value,
    /// The name of the member the pointer names (an unknown member); for an array element, the
    /// element itself.
    Key,
    /// The name of the second copy of the member the pointer names (a duplicate member); the
    /// member's name when it appears once.
    SecondKey,
}

/// A place in the source text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The bytes of the value (or name, or `{`).
    pub span: Range<usize>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The byte offset where the line starts.
    pub line_start: usize,
    /// The byte offset where the line before starts, if there is one.
    pub previous_line_start: Option<usize>,
}

/// One pointer to locate.
#[derive(Clone, Copy, Debug)]
pub struct Request<'p> {
    /// The pointer (escaped, as in a violation).
    pub pointer: &'p str,
    /// What to find there.
    pub target: Target,
}

/// The location of each request in `source` (in the order given), `None` where a pointer
/// leads nowhere or the text is not one JSON value.
pub fn locate_all(source: &[u8], requests: &[Request<'_>]) -> Vec<Option<Location>> {
    let spans = spans_of(source, requests);
    let offsets: Vec<usize> = spans.iter().flatten().map(|span| span.start).collect();
    let mut positions = positions(source, &offsets).into_iter();
    spans
        .into_iter()
        .map(|span| {
            let span = span?;
            let position = positions.next()?;
            Some(Location {
                span,
                line: position.line,
                column: position.column,
                line_start: position.line_start,
                previous_line_start: position.previous_line_start,
            })
        })
        .collect()
}

/// The location of one pointer (see [`locate_all`]).
pub fn locate(source: &[u8], pointer: &str, target: Target) -> Option<Location> {
    locate_all(source, &[Request { pointer, target }])
        .pop()
        .flatten()
}

/// The place of a byte offset: see [`positions`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters (bytes that are not UTF-8 continuation bytes).
    pub column: usize,
    /// The byte offset where the line starts.
    pub line_start: usize,
    /// The byte offset where the line before starts, if there is one.
    pub previous_line_start: Option<usize>,
}

/// The position of each of `offsets` (any order; an offset past the end counts as the end), in
/// one sweep of `source`.
pub fn positions(source: &[u8], offsets: &[usize]) -> Vec<Position> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![
        Position {
            line: 1,
            column: 1,
            line_start: 0,
            previous_line_start: None,
        };
        offsets.len()
    ];
    let (mut at, mut line, mut line_start, mut previous_line_start) = (0usize, 1usize, 0, None);
    // Characters of the current line before `at`.
    let mut column = 0usize;
    for index in order {
        let target = offsets[index].min(source.len());
        while at < target {
            let byte = source[at];
            if byte == b'\n' {
                line += 1;
                previous_line_start = Some(line_start);
                line_start = at + 1;
                column = 0;
            } else if byte & 0xC0 != 0x80 {
                column += 1;
            }
            at += 1;
        }
        out[index] = Position {
            line,
            column: column + 1,
            line_start,
            previous_line_start,
        };
    }
    out
}

/// A node of the trie of requested pointers: the requests that end here and the tokens that
/// go on.
#[derive(Default)]
struct Node {
    /// Requests ending at this node.
    requests: Vec<usize>,
    /// Member names (decoded) to child nodes.
    names: HashMap<String, usize>,
    /// Array indices to child nodes.
    indices: HashMap<usize, usize>,
}

/// The trie of the requests' pointers.
struct Trie {
    nodes: Vec<Node>,
}

impl Trie {
    fn new(requests: &[Request<'_>]) -> Self {
        let mut trie = Trie {
            nodes: vec![Node::default()],
        };
        for (index, request) in requests.iter().enumerate() {
            if let Some(node) = trie.insert(request.pointer) {
                trie.nodes[node].requests.push(index);
            }
        }
        trie
    }

    /// The node of `pointer`, created as needed; `None` for a malformed pointer.
    fn insert(&mut self, pointer: &str) -> Option<usize> {
        if pointer.is_empty() {
            return Some(0);
        }
        let rest = pointer.strip_prefix('/')?;
        let mut node = 0;
        for token in rest.split('/') {
            let name = unescape_token(token)?.into_owned();
            let index = array_index(token);
            let next = self.nodes.len();
            let child = *self.nodes[node].names.entry(name).or_insert(next);
            if child == next {
                self.nodes.push(Node::default());
                if let Some(index) = index {
                    self.nodes[node].indices.insert(index, child);
                }
            }
            node = child;
        }
        Some(node)
    }
}

/// RFC 6901: `0` or digits without a leading zero name an array element; `-` names none.
fn array_index(token: &str) -> Option<usize> {
    let valid = !token.is_empty()
        && token.bytes().all(|b| b.is_ascii_digit())
        && (token == "0" || !token.starts_with('0'));
    valid.then(|| token.parse().ok()).flatten()
}

/// An open container while reading.
struct Frame {
    /// The trie node of this container's own pointer, if requested.
    node: Option<usize>,
    /// Where the container starts (`{` or `[`).
    start: usize,
    /// `true` for an array.
    array: bool,
    /// Objects: the child nodes met so far in this object, with how many times.
    met: Vec<(usize, u32)>,
    /// Arrays: the index of the next item.
    next_index: usize,
    /// The span of this container's own name (objects' members) for `Key` requests on it.
    own_key: Option<Range<usize>>,
}

/// The span of each request in `source`.
fn spans_of(source: &[u8], requests: &[Request<'_>]) -> Vec<Option<Range<usize>>> {
    let mut found: Vec<Option<Range<usize>>> = vec![None; requests.len()];
    if requests.is_empty() {
        return found;
    }
    let trie = Trie::new(requests);
    let mut scanner = Scanner::new(source);
    let mut stack: Vec<Frame> = Vec::new();
    let mut name = String::new();
    // The node and name span of the value about to start (set by a name or an array item).
    let mut upcoming: Option<(usize, Option<Range<usize>>)> = Some((0, None));
    let record = |found: &mut Vec<Option<Range<usize>>>,
                  node: usize,
                  value: Range<usize>,
                  key: Option<Range<usize>>| {
        for &request in &trie.nodes[node].requests {
            let span = match (requests[request].target, &key) {
                (Target::Value, _) | (_, None) => value.clone(),
                (Target::Key, Some(key)) => key.clone(),
                // Set when the second copy is met; otherwise the (last) name.
                (Target::SecondKey, Some(key)) => {
                    if found[request].is_some() {
                        continue;
                    }
                    key.clone()
                }
            };
            found[request] = Some(span);
        }
    };
    for event in scanner.by_ref() {
        match event {
            Event::ObjectStart(at) | Event::ArrayStart(at) => {
                let (node, own_key) = upcoming.take().map_or((None, None), |(n, k)| (Some(n), k));
                let array = matches!(event, Event::ArrayStart(_));
                stack.push(Frame {
                    node,
                    start: at,
                    array,
                    met: Vec::new(),
                    next_index: 0,
                    own_key,
                });
                upcoming = next_item(&trie, stack.last_mut());
            }
            Event::ObjectEnd(at) | Event::ArrayEnd(at) => {
                let Some(frame) = stack.pop() else { break };
                if let Some(node) = frame.node {
                    if matches!(event, Event::ObjectEnd(_)) {
                        // Requested members absent from this object: its `{`.
                        for &child in trie.nodes[node].names.values() {
                            if !frame.met.iter().any(|&(met, _)| met == child) {
                                for &request in &trie.nodes[child].requests {
                                    found[request] = Some(frame.start..frame.start + 1);
                                }
                            }
                        }
                    }
                    record(&mut found, node, frame.start..at + 1, frame.own_key);
                }
                upcoming = next_item(&trie, stack.last_mut());
            }
            Event::Key(span) => {
                upcoming = None;
                let Some(frame) = stack.last_mut() else { break };
                let Some(node) = frame.node else { continue };
                let inner = span.start + 1..span.end - 1;
                decode_into(&source[inner], &mut name);
                let Some(&child) = trie.nodes[node].names.get(name.as_str()) else {
                    continue;
                };
                let count = match frame.met.iter_mut().find(|(met, _)| *met == child) {
                    Some((_, count)) => {
                        *count += 1;
                        *count
                    }
                    None => {
                        frame.met.push((child, 1));
                        1
                    }
                };
                if count == 2 {
                    for &request in &trie.nodes[child].requests {
                        if requests[request].target == Target::SecondKey {
                            found[request] = Some(span.clone());
                        }
                    }
                } else if count == 1 {
                    for &request in &trie.nodes[child].requests {
                        if requests[request].target == Target::SecondKey {
                            // A copy in a later duplicate of the parent starts over.
                            found[request] = None;
                        }
                    }
                }
                upcoming = Some((child, Some(span)));
            }
            Event::Scalar(span) => {
                if let Some((node, key)) = upcoming.take() {
                    record(&mut found, node, span, key);
                }
                upcoming = next_item(&trie, stack.last_mut());
            }
        }
    }
    if scanner.failed() {
        return vec![None; requests.len()];
    }
    found
}

/// What comes after a value in `parent`: for a requested array, the node of its next item (an
/// object's members get theirs from their names).
fn next_item(trie: &Trie, parent: Option<&mut Frame>) -> Option<(usize, Option<Range<usize>>)> {
    let parent = parent.filter(|parent| parent.array)?;
    let node = parent.node?;
    let index = parent.next_index;
    parent.next_index += 1;
    trie.nodes[node]
        .indices
        .get(&index)
        .map(|&child| (child, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, column) of `pointer`'s value, and the text of its span.
    fn at(source: &str, pointer: &str) -> Option<(usize, usize, String)> {
        at_target(source, pointer, Target::Value)
    }

    fn at_target(source: &str, pointer: &str, target: Target) -> Option<(usize, usize, String)> {
        locate(source.as_bytes(), pointer, target)
            .map(|l| (l.line, l.column, source[l.span].to_owned()))
    }

    fn some(line: usize, column: usize, text: &str) -> Option<(usize, usize, String)> {
        Some((line, column, text.to_owned()))
    }

    const NESTED: &str =
        "{\n  \"a\": {\"b\": [1, {\"c\": \"x\"}, [true, null]]},\n  \"d\": -1.5e3\n}\n";

    #[test]
    fn the_root_and_top_level_members() {
        assert_eq!(at(NESTED, ""), some(1, 1, &NESTED[..NESTED.len() - 1]));
        assert_eq!(at(NESTED, "/d"), some(3, 8, "-1.5e3"));
        assert_eq!(at("  7 ", ""), some(1, 3, "7"));
    }

    #[test]
    fn nested_paths_and_arrays() {
        assert_eq!(
            at(NESTED, "/a"),
            some(2, 8, "{\"b\": [1, {\"c\": \"x\"}, [true, null]]}")
        );
        assert_eq!(at(NESTED, "/a/b/0"), some(2, 15, "1"));
        assert_eq!(at(NESTED, "/a/b/1/c"), some(2, 24, "\"x\""));
        assert_eq!(at(NESTED, "/a/b/2/1"), some(2, 37, "null"));
        // Out of range, `-`, leading zeros and non-numbers name no element.
        for pointer in ["/a/b/3", "/a/b/-", "/a/b/01", "/a/b/x", "/a/b/", "/a/b/2/9"] {
            assert_eq!(at(NESTED, pointer), None, "{pointer}");
        }
        assert_eq!(at("[]", "/0"), None);
        assert_eq!(at("[[], [2]]", "/1/0"), some(1, 7, "2"));
    }

    #[test]
    fn escaped_keys_match_after_unescaping() {
        let source =
            r#"{"a/b": 1, "m~n": 2, "\u00e9t\u00E9": 3, "q\"\\": 4, "\ud83d\ude00": 5, "": 6}"#;
        assert_eq!(at(source, "/a~1b"), some(1, 9, "1"));
        assert_eq!(at(source, "/m~0n"), some(1, 19, "2"));
        assert_eq!(at(source, "/été"), some(1, 39, "3"));
        assert_eq!(at(source, "/q\"\\"), some(1, 51, "4"));
        assert_eq!(at(source, "/😀"), some(1, 70, "5"));
        assert_eq!(at(source, "/"), some(1, 77, "6"));
        // Not unescaped: `~1` is `/`, not a literal `~1`; `a/b` is two tokens.
        assert_eq!(at(source, "/a/b"), None);
        // A malformed pointer.
        assert_eq!(at(source, "/m~2n"), None);
        assert_eq!(at(source, "a"), None);
    }

    #[test]
    fn columns_count_characters() {
        let source = "{\"nome\": \"João ç 😀\", \"x\": 1}";
        assert_eq!(at(source, "/x"), some(1, 27, "1"));
        let end = positions(source.as_bytes(), &[source.len(), 99]);
        assert_eq!((end[0].line, end[0].column), (1, 29));
        let lines = positions(b"a\nbc\nd", &[5, 3, 0]);
        assert_eq!(
            lines
                .iter()
                .map(|p| (p.line, p.column, p.line_start, p.previous_line_start))
                .collect::<Vec<_>>(),
            [(3, 1, 5, Some(2)), (2, 2, 2, Some(0)), (1, 1, 0, None)]
        );
    }

    #[test]
    fn duplicate_keys_give_the_last_one_or_the_second_copy() {
        let source = "{\"a\": 1, \"b\": {\"c\": 2}, \"a\": 3, \"b\": {\"d\": 4}}";
        assert_eq!(at(source, "/a"), some(1, 30, "3"));
        // `/b/c` is absent from the last `b`: its `{`.
        assert_eq!(at(source, "/b/c"), some(1, 38, "{"));
        assert_eq!(at(source, "/b/d"), some(1, 44, "4"));
        let source = "{\"e\": \"bad\", \"x\": 1, \"e\": \"good\", \"e\": 2}";
        assert_eq!(
            at_target(source, "/e", Target::SecondKey),
            some(1, 22, "\"e\"")
        );
        assert_eq!(at_target(source, "/e", Target::Key), some(1, 35, "\"e\""));
        assert_eq!(
            at_target(source, "/x", Target::SecondKey),
            some(1, 14, "\"x\"")
        );
    }

    #[test]
    fn absent_members_point_at_their_object() {
        let source = "{\n  \"a\": {\n    \"b\": 1\n  }\n}";
        assert_eq!(at(source, "/a/missing"), some(2, 8, "{"));
        assert_eq!(at(source, "/missing"), some(1, 1, "{"));
        assert_eq!(at("{ }", "/x"), some(1, 1, "{"));
        // Only the last token may be absent.
        assert_eq!(at(source, "/missing/b"), None);
        // An absent element of an array is not located.
        assert_eq!(at("[1]", "/5"), None);
    }

    #[test]
    fn keys_of_unknown_members() {
        let source = "{\"ok\": 1,\n \"redirectUrl\": \"x\"}";
        assert_eq!(
            at_target(source, "/redirectUrl", Target::Key),
            some(2, 2, "\"redirectUrl\"")
        );
        assert_eq!(at_target("[0, 1]", "/1", Target::Key), some(1, 5, "1"));
        assert_eq!(at_target(source, "/nope", Target::Key), some(1, 1, "{"));
    }

    #[test]
    fn pointers_into_scalars_lead_nowhere() {
        let source = "{\"s\": \"text\", \"n\": 12, \"t\": true}";
        for pointer in ["/s/0", "/n/x", "/t/a/b"] {
            assert_eq!(at(source, pointer), None, "{pointer}");
        }
        assert_eq!(at("\"x\"", "/0"), None);
    }

    #[test]
    fn many_pointers_are_located_in_one_pass() {
        let source = format!(
            "[{}]",
            (0..5000)
                .map(|i| format!("{{\"v\": {i}}}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let pointers: Vec<String> = (0..5000).rev().map(|i| format!("/{i}/v")).collect();
        let requests: Vec<Request<'_>> = pointers
            .iter()
            .map(|pointer| Request {
                pointer,
                target: Target::Value,
            })
            .collect();
        let found = locate_all(source.as_bytes(), &requests);
        for (i, location) in (0..5000).rev().zip(&found) {
            let span = location.as_ref().expect("located").span.clone();
            assert_eq!(&source[span], i.to_string());
        }
    }

    #[test]
    fn malformed_input_gives_none_without_panicking() {
        let cases: &[&[u8]] = &[
            b"",
            b"   ",
            b"{",
            b"{\"a\"",
            b"{\"a\":",
            b"{\"a\": 1",
            b"{\"a\": 1,",
            b"{\"a\" 1}",
            b"{a: 1}",
            b"{\"a\": 1}}",
            b"{\"a\": 1} x",
            b"[1, 2",
            b"[1 2]",
            b"]",
            b"\"abc",
            b"\"a\\",
            b"\"\\u12\"",
            b"\"\\x\"",
            b"\"a\nb\"",
        ];
        for &source in cases {
            for pointer in ["", "/a", "/0", "/a/b", "/\u{fffd}"] {
                for target in [Target::Value, Target::Key, Target::SecondKey] {
                    let _ = locate(source, pointer, target);
                }
            }
            assert_eq!(locate(source, "/a", Target::Value), None, "{source:?}");
        }
        // A lone surrogate is malformed, as `serde_json` and the compiled check read it (one
        // lexer for the workspace): nothing after it is located.
        assert_eq!(at("{\"\\ud800\": 1, \"a\": 2}", "/a"), None);
        assert!(serde_json::from_str::<serde_json::Value>("{\"\\ud800\": 1}").is_err());
        // So are bytes that are not UTF-8 in a string (a name here), as serde_json reads bytes;
        // the same name in UTF-8 is read.
        assert_eq!(
            locate(b"{\"\xff\": 1, \"a\": 2}", "/a", Target::Value),
            None
        );
        assert!(serde_json::from_slice::<serde_json::Value>(b"{\"\xff\": 1}").is_err());
        assert_eq!(
            locate("{\"ÿ\": 1, \"a\": 2}".as_bytes(), "/a", Target::Value).map(|l| l.column),
            Some(15)
        );
        // Deep nesting is read without recursion.
        let deep = format!(
            "{{\"a\": {}{}, \"b\": 1}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(at(&deep, "/b"), some(1, 200_014, "1"));
    }
}
