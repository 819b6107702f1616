//! The logic of `klavi docs check` and `klavi docs import`, which keep the schemas in step with
//! Klavi's docs. The docs show each endpoint in two forms: an "API block" (flattened,
//! lower-cased JSON) and the rendered page (title, method, `Body Parameters` and the other
//! lists, a response table, an `Updated` date), sometimes only as page text flattened to
//! prose. The copies followed are kept in `schemas/docs/` (`ID.block.txt`, `ID.page.txt`,
//! `ID.page-2.txt`…). Whichever form a copy is, it is read into one model of what the docs say,
//! a [`Block`] ([`parse_block`], [`parse_page`], [`read_copy`] for a kept file), compared with
//! the schemas ([`check`], [`compare`], the [`Drift`]: a field added, removed, retyped or whose
//! required-ness changed), every kept copy at once with the differences the project accepts
//! ([`survey`]), and imported into the schemas, never dropping what was written by hand
//! ([`import`]). The command itself (its arguments, reading the directory, the output) lives
//! in the binary.
//!
//! One file per job: `block` reads an API block (its two flattenings read by `quoted` and
//! `plain`, either of which may be cut off), `page` a page (with `table`, its tables' rows
//! and cells, `example`, a response shown only by its 200 example, and `prose`, the
//! parameters named in sentences), `kept` a kept file's name and header, `schemas` what the
//! schemas declare for an endpoint, `drift` compares the two, `survey` checks every kept
//! copy, `import` drafts schemas from a copy.
//!
//! ```
//! use klavi_cli::docs::{Location, parse_block};
//!
//! let block = parse_block(r#"{ "method" "get", "url" "https //api klavi ai/data/v1/ping",
//!     "response" \[ { "name" "status", "kind" "required", "type" "string" } ] }"#).unwrap();
//! assert_eq!((block.method.as_str(), block.path.as_str()), ("GET", "/data/v1/ping"));
//! assert_eq!(block.fields[0].location, Location::Response);
//! ```

mod block;
mod drift;
mod example;
mod import;
mod kept;
mod page;
mod plain;
mod prose;
mod quoted;
mod schemas;
mod survey;
mod table;

pub use block::{Block, DocField, Ending, Form, Location, parse_block};
pub use drift::{Drift, DriftKind, check, compare};
pub use import::{Import, import};
pub use kept::{CopyKind, CopyName, Header, KeptCopy, read_copy};
pub use page::parse_page;
pub use schemas::{endpoint_by_id, endpoint_of};
pub use survey::{Accepted, CopyCheck, Survey, Unwatched, survey};
