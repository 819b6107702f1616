//! Fuzz target `jsonl`: a JSON Lines stream (first byte: the message) into `klavi validate --jsonl`'s reader.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| klavi_tests::fuzzing::jsonl(data));
