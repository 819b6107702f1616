//! The library half of the `klavi` command: input handling and the reports that the binary,
//! the tests and the fuzz targets (`fuzz/`) share. The command itself lives in `main.rs`.
//!
//! A report flows: violations ([`klavi_types::check_json`]) → [`report::locate_violations`]
//! (one pass of [`scan`] through [`locate`], document order) → [`mask`] (what of the payload a
//! frame may show, from the schema) → [`render`] (frames, workflow commands), with
//! [`text::sanitize`] on everything taken from a payload or the command line.
//!
//! [`docs`] is the logic of `klavi docs check` and `klavi docs import` (and of the fuzz target
//! `docs_block`): reading the kept copies of Klavi's docs (API blocks and rendered pages),
//! their drift from the schemas, and drafting schemas from them.

pub mod docs;
pub mod jsonl;
pub mod locate;
pub mod mask;
pub mod render;
pub mod report;
pub mod scan;
pub mod text;

/// The largest payload `klavi` reads (16 MiB): a single file or standard input, and each line
/// of a JSON Lines stream (not counting its line break). Klavi's payloads are a few kilobytes; a
/// larger input is refused before it is held in memory whole.
pub const MAX_PAYLOAD_BYTES: usize = klavi_types::check::MAX_PAYLOAD_BYTES;

/// The violation of an input larger than [`MAX_PAYLOAD_BYTES`] (`what`: "payload", "line",
/// "file"): an invalid result, never held in memory, never validated.
pub fn payload_too_large(what: &str) -> klavi_types::validation::Violation {
    klavi_types::validation::Violation::new(
        String::new(),
        klavi_types::validation::Code::PayloadTooLarge,
        format!(
            "the {what} is larger than {} MiB and was not validated",
            MAX_PAYLOAD_BYTES >> 20
        ),
    )
}
