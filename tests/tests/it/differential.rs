//! Differential test: the typed path (deserialize into `CreateLinkRequest`, then `validate()`)
//! and the `jsonschema` crate running the same bundled schema (with `cpf` and `cnpj` registered)
//! must reach the same verdict on every generated payload, valid or near miss. When both reject,
//! the typed path's first violation must be among the ones the diagnostics report.
//!
//! Cases: `KLAVI_DIFF_CASES` (default 4000; set e.g. 1000000 locally for a long run).

use std::sync::atomic::{AtomicUsize, Ordering};

use klavi_types::diagnostics::{Diagnostics, validator_for};
use klavi_types::links::CreateLinkRequest;
use klavi_types::registry;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

fn cases() -> u32 {
    std::env::var("KLAVI_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4000)
}

#[test]
fn typed_path_and_jsonschema_agree_on_create_link_requests() {
    let info = registry::message("create-link.request").expect("registered");
    let schema: Value = serde_json::from_str(info.schema).expect("bundled schema is JSON");
    let oracle = validator_for(&schema).expect("schema compiles");
    let diagnostics = Diagnostics::new();
    let valid = AtomicUsize::new(0);
    let total = AtomicUsize::new(0);
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&klavi_tests::payloads::create_link_request(), |payload| {
            let bytes = serde_json::to_vec(&payload).expect("serializes");
            let typed = klavi_types::from_json::<CreateLinkRequest>(&bytes);
            let oracle_ok = oracle.is_valid(&payload);
            total.fetch_add(1, Ordering::Relaxed);
            prop_assert_eq!(
                typed.is_ok(),
                oracle_ok,
                "verdicts differ on {}: typed {:?}",
                payload,
                typed.as_ref().err()
            );
            match typed {
                Ok(request) => {
                    valid.fetch_add(1, Ordering::Relaxed);
                    // What the typed value serializes to is valid too, and reads back equal.
                    let again = serde_json::to_value(&request).expect("serializes");
                    prop_assert!(
                        oracle.is_valid(&again),
                        "re-serialized {} is invalid",
                        again
                    );
                    let back: CreateLinkRequest =
                        klavi_types::from_json(&serde_json::to_vec(&again).expect("bytes"))
                            .expect("round trip");
                    prop_assert_eq!(back, request);
                }
                Err(errors) => {
                    let first = &errors.as_slice()[0];
                    // The schema-side report only (`check` would merge the typed one in).
                    let reported = diagnostics
                        .check_value("create-link.request", &payload)
                        .expect("known message");
                    prop_assert!(
                        reported
                            .iter()
                            .any(|v| v.code() == first.code() && v.pointer() == first.pointer()),
                        "typed violation {} not among diagnostics {:?} for {}",
                        first,
                        reported,
                        payload
                    );
                }
            }
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
    let total = total.load(Ordering::Relaxed);
    let valid = valid.load(Ordering::Relaxed);
    eprintln!(
        "differential: {total} payloads, {valid} valid, {} invalid",
        total - valid
    );
    assert!(
        valid * 10 >= total,
        "too few valid payloads ({valid}/{total}): the generator is off"
    );
    assert!(
        valid * 10 <= total * 9,
        "too few near misses ({valid}/{total}): the generator is off"
    );
}
