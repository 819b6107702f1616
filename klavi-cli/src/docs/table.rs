//! The rows of a rendered page's tables and lists: a response table four lines a row (name,
//! type, `Yes`/`No`, description) or a pipe table (`Name | Type | Required | Description |`,
//! `Name | Description |`, with or without its `---|` rule), and the cell readers the request
//! lists share (the docs' type words, a `Required` cell, a field the copy stops inside).

use super::block::{DocField, Location};

/// The types a rendered list or table writes (`String`, `Array`, `List`…), lower-cased.
const TYPES: [&str; 8] = [
    "string", "number", "integer", "boolean", "array", "object", "enum", "list",
];

/// Whether `line` is the header of a pipe table (`Name | Type | Required | Description |`).
pub(super) fn is_pipe_header(line: &str) -> bool {
    line.contains('|')
        && cells(line)
            .first()
            .is_some_and(|cell| cell.eq_ignore_ascii_case("name"))
}

pub(super) fn is_type(line: &str) -> bool {
    TYPES.contains(&line.to_ascii_lowercase().as_str())
}

/// The type a list or table writes, as the block's type words (`List` is an array).
pub(super) fn type_name(line: &str) -> String {
    match line.to_ascii_lowercase().as_str() {
        "list" => "array".to_owned(),
        other => other.to_owned(),
    }
}

/// A table's `Required` cell: `Yes`, `No`, or a condition (`Yes(Only when institutionType is
/// 1)`), which says neither (`Some(None)`); `None` when the cell is not one of these.
fn required_cell(cell: &str) -> Option<Option<bool>> {
    match cell {
        "Yes" | "yes" => Some(Some(true)),
        "No" | "no" => Some(Some(false)),
        _ if cell.starts_with("Yes(") || cell.starts_with("Yes (") => Some(None),
        _ => None,
    }
}

/// Whether the copy, cut off, stops inside an item that starts at `at`: a single word in the
/// last two lines, which an item's kind and type would have followed.
fn starts_a_cut_item(lines: &[&str], at: usize) -> bool {
    lines.len() - at <= 2 && !lines[at].contains(char::is_whitespace)
}

/// A documented field, its description to come.
fn field(location: Location, name: &str, required: Option<bool>, ty: String) -> DocField {
    DocField {
        location,
        name: name.to_owned(),
        required,
        ty,
        description: String::new(),
        partial: false,
    }
}

/// An item the copy stops inside: only its name (perhaps cut short) is known.
fn cut_item(location: Location, name: &str) -> DocField {
    DocField {
        partial: true,
        ..field(location, name, None, String::new())
    }
}

fn append(description: &mut String, line: &str) {
    if !description.is_empty() {
        description.push(' ');
    }
    description.push_str(line);
}

/// The index of the first row after a `Name` / `Type` / `Required` / `Description` header
/// starting at `at`.
pub(super) fn table_header(lines: &[&str], at: usize) -> Option<usize> {
    let header = ["Name", "Type", "Required", "Description"];
    (lines.get(at..at + 4)? == header).then_some(at + 4)
}

/// The rows of a four-column response table from `start`: name, type, `Yes`/`No`,
/// description (which may run over several lines); the index past it.
pub(super) fn table(
    lines: &[&str],
    start: usize,
    truncated: bool,
    ends: fn(&str) -> bool,
) -> (Vec<DocField>, usize) {
    let row_at = |i: usize| {
        let ty = lines.get(i + 1)?;
        let required = required_cell(lines.get(i + 2)?)?;
        is_type(ty).then(|| (required, type_name(ty)))
    };
    rows(lines, start, Location::Response, truncated, ends, row_at)
}

/// The rows of a table or the items of a list at `location`, one token a line: where
/// `row_at(i)` reads a row's required-ness and type (the name on line `i`, the two lines
/// after it), a row starts; every other line adds to the last row's description. A copy cut
/// off (`truncated`) may stop inside a row, which is then partial. The index past the rows.
pub(super) fn rows(
    lines: &[&str],
    start: usize,
    location: Location,
    truncated: bool,
    ends: fn(&str) -> bool,
    row_at: impl Fn(usize) -> Option<(Option<bool>, String)>,
) -> (Vec<DocField>, usize) {
    let mut fields: Vec<DocField> = Vec::new();
    let mut i = start;
    while i < lines.len() && !ends(lines[i]) {
        if let Some((required, ty)) = row_at(i) {
            fields.push(field(location, lines[i], required, ty));
            i += 3;
            continue;
        }
        if truncated && starts_a_cut_item(lines, i) {
            fields.push(cut_item(location, lines[i]));
            // The copy ends inside this row: nothing past it.
            i = lines.len();
            break;
        }
        if let Some(field) = fields.last_mut() {
            append(&mut field.description, lines[i]);
        }
        i += 1;
    }
    (fields, i)
}

/// The columns of a `Name | Type | Required | Description |` table (or `Name | Description |`)
/// whose header is the line at `at`, and its first row (after its `---|---|` rule, when it has
/// one).
pub(super) fn pipe_table_header(lines: &[&str], at: usize) -> Option<(Columns, usize)> {
    let line = lines.get(at)?;
    if !line.contains('|') {
        return None;
    }
    let header = cells(line);
    let column = |name: &str| {
        header
            .iter()
            .position(|cell| cell.eq_ignore_ascii_case(name))
    };
    let columns = Columns {
        name: column("name").filter(|at| *at == 0)?,
        ty: column("type"),
        required: column("required"),
        description: header
            .iter()
            .position(|cell| cell.to_ascii_lowercase().starts_with("desc")),
    };
    let is_rule =
        |line: &str| line.contains('-') && line.chars().all(|c| matches!(c, '-' | '|' | ':' | ' '));
    let first = if lines.get(at + 1).is_some_and(|line| is_rule(line)) {
        at + 2
    } else {
        at + 1
    };
    Some((columns, first))
}

/// Where a pipe table's columns are.
#[derive(Clone, Copy)]
pub(super) struct Columns {
    name: usize,
    ty: Option<usize>,
    required: Option<usize>,
    description: Option<usize>,
}

fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_end_matches('|')
        .split('|')
        .map(|cell| cell.trim().to_owned())
        .collect()
}

/// The rows of a pipe table (a `name | description |` one gives no type and no
/// required-ness); the index past it.
pub(super) fn pipe_table(
    lines: &[&str],
    columns: Columns,
    start: usize,
    truncated: bool,
) -> (Vec<DocField>, usize) {
    let mut fields = Vec::new();
    let mut i = start;
    while i < lines.len() && lines[i].contains('|') {
        let row = cells(lines[i]);
        let cell = |at: Option<usize>| at.and_then(|at| row.get(at)).cloned();
        if let Some(name) = cell(Some(columns.name)).filter(|name| !name.is_empty()) {
            let ty = cell(columns.ty)
                .filter(|ty| is_type(ty))
                .map(|ty| type_name(&ty))
                .unwrap_or_default();
            let required = cell(columns.required)
                .and_then(|cell| required_cell(&cell))
                .flatten();
            fields.push(DocField {
                location: Location::Response,
                name,
                required,
                ty,
                description: cell(columns.description).unwrap_or_default(),
                // The copy may stop inside its last row.
                partial: truncated && i + 1 == lines.len(),
            });
        }
        i += 1;
    }
    (fields, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_types_and_required_cells() {
        for (word, expected) in [
            ("String", Some("string")),
            ("List", Some("array")),
            ("Number", Some("number")),
            ("Boolean", Some("boolean")),
            ("Str", None),
            ("", None),
        ] {
            assert_eq!(
                is_type(word).then(|| type_name(word)).as_deref(),
                expected,
                "{word}"
            );
        }
        for (cell, expected) in [
            ("Yes", Some(Some(true))),
            ("no", Some(Some(false))),
            ("Yes(Only when institutionType is 1)", Some(None)),
            ("Yes (if personal)", Some(None)),
            ("Maybe", None),
            ("Yesterday", None),
        ] {
            assert_eq!(required_cell(cell), expected, "{cell}");
        }
        assert_eq!(cells("a | b |  c |"), ["a", "b", "c"]);
        assert!(is_pipe_header("Name | Descritption |") && !is_pipe_header("code | x |"));
    }

    #[test]
    fn a_conditional_row_reads_as_no_answer_and_a_list_as_an_array() {
        let lines = [
            "businessType",
            "String",
            "Yes(Only when institutionType is 1)",
            "The business type",
            "availableResources",
            "List",
            "Yes(Only when institutionType is 1)",
            "REGISTRATION,",
        ];
        let (fields, next) = table(&lines, 0, false, |_| false);
        assert_eq!(next, lines.len());
        let rows: Vec<(&str, Option<bool>, &str)> = fields
            .iter()
            .map(|f| (f.name.as_str(), f.required, f.ty.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                ("businessType", None, "string"),
                ("availableResources", None, "array")
            ]
        );
    }
}
