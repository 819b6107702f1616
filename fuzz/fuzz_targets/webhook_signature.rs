//! Fuzz target `webhook_signature`: secret, signature, timestamp and body into the webhook signature verifier.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| klavi_tests::fuzzing::webhook_signature(data));
