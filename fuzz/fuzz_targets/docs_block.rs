//! Fuzz target `docs_block`: any text into the docs readers (API block and page), the drift
//! check and the importer.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| klavi_tests::fuzzing::docs_block(data));
