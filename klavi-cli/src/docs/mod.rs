//! The logic of `klavi docs check` and `klavi docs import`, which keep the schemas in step with
//! Klavi's docs. The docs publish each endpoint as an "API block" (flattened, lower-cased JSON);
//! the blocks followed are kept in `schemas/docs/`. This module parses a block ([`parse_block`]),
//! compares it with the schemas ([`check`], the [`Drift`]: a field added, removed, retyped or
//! whose required-ness changed) and imports it into schema skeletons merged into the existing
//! schemas, never dropping what was written by hand ([`import`]). The command itself (its
//! arguments, the kept blocks, `schemas/docs/accepted.json`, the output) lives in the binary.
//!
//! One file per job: `block` parses a block (its two flattenings read by `quoted` and
//! `plain`, either of which may be cut off), `schemas` reads what the schemas declare for its
//! endpoint, `drift` compares the two, `import` drafts schemas from a block.
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
mod import;
mod page;
mod plain;
mod quoted;
mod schemas;

pub use block::{Block, DocField, Ending, Form, Location, parse_block};
pub use drift::{Drift, DriftKind, check};
pub use import::{Import, import};
pub use page::parse_page;
pub use schemas::endpoint_of;
