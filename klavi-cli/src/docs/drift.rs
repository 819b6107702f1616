//! Drift: how a block and the schemas of its endpoint differ, field by field (a field added,
//! removed, retyped, or whose required-ness changed; the `Authorization` header against the
//! endpoint's token). `klavi docs check` reports it.

use klavi_schema::index::{EndpointSpec, TokenKind};
use klavi_schema::load::Documents;

use super::block::{Block, Location};
use super::schemas::{GROUPS, endpoint_of, schema_fields};

/// How the docs and a schema differ on one field.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DriftKind {
    /// The docs have it; the schema does not.
    Added,
    /// The schema has it; the docs do not.
    Removed,
    /// The types differ.
    Retyped,
    /// One says required, the other optional.
    Required,
    /// A curl example of the block calls another path than the block's `url`.
    Example,
    /// The copy documents another method or path than the index gives the endpoint its file
    /// is named after.
    Endpoint,
}

impl DriftKind {
    /// `added`, `removed`, `retyped`, `required`, `example` or `endpoint`.
    pub fn as_str(&self) -> &'static str {
        match self {
            DriftKind::Added => "added",
            DriftKind::Removed => "removed",
            DriftKind::Retyped => "retyped",
            DriftKind::Required => "required",
            DriftKind::Example => "example",
            DriftKind::Endpoint => "endpoint",
        }
    }
}

/// One difference between a block and the schemas.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Drift {
    /// The message id (`create-link.request`), or the endpoint id for headers.
    pub message: String,
    /// The field (the schema's wire name when it has one, else the block's).
    pub field: String,
    /// What differs.
    pub kind: DriftKind,
    /// In words.
    pub detail: String,
}

/// Whether the docs' type (`""`: not given) is compatible with the schema's types.
fn compatible(docs: &str, schema: &[String]) -> bool {
    if docs.is_empty() {
        return true;
    }
    let docs = match docs {
        "number" => "integer",
        other => other,
    };
    schema.is_empty()
        || schema.iter().any(|t| {
            t == docs || (docs == "integer" && t == "number") || (docs == "string" && t == "null")
        })
}

/// Whether two paths are the same, ignoring case and punctuation (a plain copy has none).
pub(crate) fn same_path(a: &str, b: &str) -> bool {
    let words = |path: &str| -> Vec<String> {
        path.to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    };
    words(a) == words(b)
}

/// Every difference between `block` and the schemas of its endpoint. A list the copy does not
/// give whole (see [`Block::ending`]) is compared as far as it goes: its fields are checked,
/// but no schema member is reported removed for lack of it, and a field the copy stops inside
/// is not compared (even its name may be cut short).
pub fn check(documents: &Documents, block: &Block) -> Result<Vec<Drift>, String> {
    let endpoint = endpoint_of(documents, block)
        .ok_or_else(|| format!("no endpoint `{} {}` in the index", block.method, block.path))?;
    Ok(compare(documents, endpoint, block))
}

/// Every difference between `block` and the schemas of `endpoint`, the endpoint a kept copy is
/// named after (a page may show no method or path; one that shows others than the index's is
/// [`DriftKind::Endpoint`] drift). As [`check`] otherwise.
pub fn compare<'a>(
    documents: &Documents,
    endpoint: &'a EndpointSpec,
    block: &'a Block,
) -> Vec<Drift> {
    let mut drift = Vec::new();
    let method = endpoint.method.as_str();
    let path = endpoint.path.as_str();
    if (!block.method.is_empty() && block.method != method)
        || (!block.path.is_empty() && !same_path(&block.path, path))
    {
        // What the copy shows, the index's word where it shows nothing.
        let or = |shown: &'a str, index: &'a str| if shown.is_empty() { index } else { shown };
        let documented = format!("{} {}", or(&block.method, method), or(&block.path, path));
        drift.push(Drift {
            message: endpoint.id.clone(),
            detail: format!(
                "the copy documents `{documented}`; the index has `{method} {path}` for `{}`",
                endpoint.id
            ),
            field: documented,
            kind: DriftKind::Endpoint,
        });
    }
    for (location, kind) in GROUPS {
        let documented = block.at(location);
        let message = endpoint.message_id(kind);
        let schema = schema_fields(documents, endpoint, kind).unwrap_or_default();
        // A field the copy stops inside is uncertain, its name included (`swi…`).
        for field in documented.iter().filter(|f| !f.partial) {
            match schema
                .iter()
                .find(|s| s.name.eq_ignore_ascii_case(&field.name))
            {
                None => drift.push(Drift {
                    message: message.clone(),
                    field: field.name.clone(),
                    kind: DriftKind::Added,
                    detail: if field.ty.is_empty() {
                        format!(
                            "the docs document `{}`; the schema does not declare it",
                            field.name
                        )
                    } else {
                        format!(
                            "the docs document `{}` ({}); the schema does not declare it",
                            field.name, field.ty
                        )
                    },
                }),
                Some(s) => {
                    if !compatible(&field.ty, &s.types) {
                        drift.push(Drift {
                            message: message.clone(),
                            field: s.name.clone(),
                            kind: DriftKind::Retyped,
                            detail: format!(
                                "the docs say {}, the schema says {}",
                                field.ty,
                                s.types.join(" or ")
                            ),
                        });
                    }
                    if let Some(required) = field.required
                        && required != s.required
                    {
                        let word = |r: bool| if r { "required" } else { "optional" };
                        drift.push(Drift {
                            message: message.clone(),
                            field: s.name.clone(),
                            kind: DriftKind::Required,
                            detail: format!(
                                "the docs say {}, the schema says {}",
                                word(required),
                                word(s.required)
                            ),
                        });
                    }
                }
            }
        }
        // A list the copy does not give whole says nothing of the fields it does not reach.
        if !block.is_complete(location) {
            continue;
        }
        for s in &schema {
            if !documented
                .iter()
                .any(|f| f.name.eq_ignore_ascii_case(&s.name))
            {
                drift.push(Drift {
                    message: message.clone(),
                    field: s.name.clone(),
                    kind: DriftKind::Removed,
                    detail: format!(
                        "the schema declares `{}`; the docs do not document it",
                        s.name
                    ),
                });
            }
        }
    }
    let authorization = block.fields.iter().any(|f| {
        f.location == Location::Header
            && f.name.eq_ignore_ascii_case("authorization")
            && f.required == Some(true)
    });
    if block.is_complete(Location::Header) && authorization != (endpoint.token != TokenKind::None) {
        drift.push(Drift {
            message: endpoint.id.clone(),
            field: "Authorization".into(),
            kind: DriftKind::Required,
            detail: format!(
                "the docs {} an Authorization header; the index says token `{}`",
                if authorization {
                    "require"
                } else {
                    "do not require"
                },
                endpoint.token.as_str()
            ),
        });
    }
    for example in &block.example_paths {
        if !same_path(example, &block.path) {
            drift.push(Drift {
                message: endpoint.id.clone(),
                field: example.clone(),
                kind: DriftKind::Example,
                detail: format!(
                    "a curl example calls `{example}`; the block's url is `{}`",
                    block.path
                ),
            });
        }
    }
    drift.sort();
    drift
}
