//! Checking every kept copy at once, as `klavi docs check` does: each copy against the
//! endpoint it is named after, an older copy set aside wherever the newer one it names
//! (`# superseded-by:`) gives a list whole, the differences `accepted.json` explains taken out
//! (and the explanations nothing needs any more reported), and which endpoints no copy lets
//! the check watch, and why. [`survey`].

use serde::Deserialize;

use klavi_schema::load::Documents;

use super::block::{Ending, Form, Location};
use super::drift::{Drift, compare};
use super::kept::KeptCopy;
use super::schemas::endpoint_by_id;

/// One difference the project accepts (an entry of `schemas/docs/accepted.json`).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Accepted {
    /// The message id (`create-link.request`), or the endpoint id for headers and paths.
    pub message: String,
    /// The field, or `*` for every field of the message.
    pub field: String,
    /// The kind of drift (`added`, `removed`, `retyped`, `required`, `example`, `endpoint`).
    pub kind: String,
    /// Why: the docs' mistake, or what we chose and on what grounds.
    pub reason: String,
}

impl Accepted {
    fn covers(&self, drift: &Drift) -> bool {
        self.message == drift.message
            && (self.field == drift.field || self.field == "*")
            && self.kind == drift.kind.as_str()
    }
}

/// How one kept copy compares with the schemas.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyCheck {
    /// Its file name.
    pub file: String,
    /// The endpoint it is named after.
    pub endpoint: String,
    /// Its form.
    pub form: Form,
    /// How many fields it documents (as far as it goes, the lists set aside left out).
    pub fields: usize,
    /// The lists it gives whole (a field the schema declares and such a list lacks is one the
    /// docs dropped).
    pub whole: Vec<Location>,
    /// The differences no entry of `accepted.json` explains.
    pub drift: Vec<Drift>,
    /// How many differences `accepted.json` explains.
    pub accepted: usize,
    /// Where the copy stops, when it is cut off.
    pub ending: Option<Ending>,
    /// The newer copy this one is superseded by, and the lists set aside for it.
    pub superseded: Option<(String, Vec<Location>)>,
}

/// An endpoint the check cannot watch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unwatched {
    /// The endpoint id.
    pub endpoint: String,
    /// Why not.
    pub reason: String,
}

/// Every kept copy checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Survey {
    /// Each copy, in file-name order.
    pub copies: Vec<CopyCheck>,
    /// The endpoints some copy documents a field or a whole list of, in index order.
    pub watched: Vec<String>,
    /// The others, in index order.
    pub unwatched: Vec<Unwatched>,
    /// The entries of `accepted.json` no copy needs.
    pub stale: Vec<Accepted>,
}

impl Survey {
    /// No drift, and nothing stale in `accepted.json`.
    pub fn is_in_step(&self) -> bool {
        self.stale.is_empty() && self.copies.iter().all(|c| c.drift.is_empty())
    }

    /// How many endpoints the index has.
    pub fn endpoints(&self) -> usize {
        self.watched.len() + self.unwatched.len()
    }
}

/// Checks every kept copy against the schemas. An error: a copy named after an endpoint the
/// index does not have, or superseded by a copy that is not there or is of another endpoint.
pub fn survey(
    documents: &Documents,
    mut copies: Vec<KeptCopy>,
    accepted: &[Accepted],
) -> Result<Survey, String> {
    copies.sort_by(|a, b| a.file.cmp(&b.file));
    let index = &documents.index().endpoints;
    // Set aside, in each superseded copy, every list its newer copy gives whole.
    let mut set_aside: Vec<Option<(String, Vec<Location>)>> = Vec::with_capacity(copies.len());
    for copy in &copies {
        let Some(newer) = &copy.header.superseded_by else {
            set_aside.push(None);
            continue;
        };
        let newer_copy = copies
            .iter()
            .find(|c| &c.file == newer && c.file != copy.file)
            .ok_or_else(|| format!("{}: superseded by `{newer}`, which is not kept", copy.file))?;
        if newer_copy.name.endpoint != copy.name.endpoint {
            return Err(format!(
                "{}: superseded by `{newer}`, a copy of another endpoint",
                copy.file
            ));
        }
        set_aside.push(Some((newer.clone(), newer_copy.block.whole_lists())));
    }
    let mut used = vec![false; accepted.len()];
    let mut checks = Vec::with_capacity(copies.len());
    for (mut copy, superseded) in copies.into_iter().zip(set_aside) {
        let endpoint = endpoint_by_id(documents, &copy.name.endpoint).ok_or_else(|| {
            format!(
                "{}: no endpoint `{}` in the index (a kept copy is named after its endpoint's id)",
                copy.file, copy.name.endpoint
            )
        })?;
        for location in superseded.iter().flat_map(|(_, locations)| locations) {
            copy.block.set_aside(*location);
        }
        let mut drift = Vec::new();
        let mut explained = 0;
        for difference in compare(documents, endpoint, &copy.block) {
            match accepted.iter().position(|a| a.covers(&difference)) {
                Some(at) => {
                    used[at] = true;
                    explained += 1;
                }
                None => drift.push(difference),
            }
        }
        checks.push(CopyCheck {
            file: copy.file,
            endpoint: endpoint.id.clone(),
            form: copy.block.form,
            fields: copy.block.fields.iter().filter(|f| !f.partial).count(),
            whole: copy.block.whole_lists(),
            drift,
            accepted: explained,
            ending: copy.block.ending.clone(),
            superseded,
        });
    }
    let mut watched = Vec::new();
    let mut unwatched = Vec::new();
    for endpoint in index {
        let of_it: Vec<&CopyCheck> = checks
            .iter()
            .filter(|c| c.endpoint == endpoint.id)
            .collect();
        if of_it.iter().any(|c| c.fields > 0 || !c.whole.is_empty()) {
            watched.push(endpoint.id.clone());
        } else if of_it.is_empty() {
            unwatched.push(Unwatched {
                endpoint: endpoint.id.clone(),
                reason: format!(
                    "no kept copy of its page (paste the page's text into docs/{}.page.txt)",
                    endpoint.id
                ),
            });
        } else {
            let files: Vec<&str> = of_it.iter().map(|c| c.file.as_str()).collect();
            unwatched.push(Unwatched {
                endpoint: endpoint.id.clone(),
                reason: format!(
                    "its kept copies ({}) document no field the check can read",
                    files.join(", ")
                ),
            });
        }
    }
    let stale = accepted
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(entry, _)| entry.clone())
        .collect();
    Ok(Survey {
        copies: checks,
        watched,
        unwatched,
        stale,
    })
}
