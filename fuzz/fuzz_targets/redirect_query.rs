//! Fuzz target `redirect_query`: any query string into the success and failure redirect parsers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| klavi_tests::fuzzing::redirect_query(data));
