//! Fuzz target `tax_id`: any string into the CPF and CNPJ parsers and normalizers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| klavi_tests::fuzzing::tax_id(data));
