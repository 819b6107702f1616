//! Fuzz target `message`: raw bytes (first byte: the message) into every message's deserialize + validate, canonical form and diagnostics.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| klavi_tests::fuzzing::message(data));
