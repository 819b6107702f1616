//! How every contender turns bytes into a Rust value: the very function `klavi_types::from_json`
//! reads with. The UTF-8 of the whole payload is checked once, then `serde_json` reads the text
//! (`from_slice` checks the UTF-8 of every string separately, 17% of a valid Create a Link
//! request), so the `jsonschema` contenders, the floor and the anchors get the same reading and
//! the ratios measure validation and representation, not the choice of `serde_json` entry point.

/// Reads `bytes` as JSON into `T`: `from_str` after one UTF-8 check, `from_slice` (which
/// reports where the UTF-8 breaks) otherwise.
pub use klavi_types::read_json as from_bytes;
