//! Fuzz target `report`: any payload bytes and any violations (first byte: the message; the
//! payload up to `0xFF`; then violations) into the locator, the masking and the human and
//! GitHub renderers of `klavi validate`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| klavi_tests::fuzzing::report(data));
