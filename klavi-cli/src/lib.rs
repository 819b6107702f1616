//! The library half of the `klavi` command: the input handling that the binary, the tests and
//! the fuzz targets (`fuzz/`) share. The command itself lives in `main.rs`.

pub mod jsonl;

/// The largest payload `klavi` reads (16 MiB): a single file or standard input, and each line
/// of a JSON Lines stream. Klavi's payloads are a few kilobytes; a larger input is refused
/// before it is held in memory whole.
pub const MAX_PAYLOAD_BYTES: usize = 16 << 20;
