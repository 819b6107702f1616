//! `validate()` on a valid typed value, and the compiled check (`check_json`) on a valid
//! payload, allocate nothing: violation paths are built only on failure. Measured with dhat's
//! heap profiler in testing mode (this test binary only).
//!
//! The binary has no test harness (`harness = false` in `Cargo.toml`): libtest's main thread
//! allocates after it has started a test (its table of running tests, its timeout queue, the
//! channel's waiter when it blocks), and on a busy machine that lands inside a count (CI saw 4
//! blocks during the 1,000-consent check). Here `main` is the only thread while counting.

use klavi_types::Validate;
use klavi_types::consents::GetConsentListResponse;
use klavi_types::links::CreateLinkRequest;

#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

fn allocations_during(f: impl FnOnce()) -> u64 {
    let before = dhat::HeapStats::get().total_blocks;
    f();
    dhat::HeapStats::get().total_blocks - before
}

/// The only thread of the process runs every count; a failed assertion panics, and the
/// process exits non-zero (so `cargo test` fails).
fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    validating_valid_values_does_not_allocate();
    checking_valid_payloads_does_not_allocate();
    println!("alloc: validate() and check_json allocate nothing on valid input: ok");
}

fn validating_valid_values_does_not_allocate() {
    let schema: serde_json::Value = serde_json::from_str(CreateLinkRequest::SOURCE_SCHEMA).unwrap();
    let requests: Vec<CreateLinkRequest> = schema["examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|payload| serde_json::from_value(payload.clone()).unwrap())
        .collect();
    let list: serde_json::Value =
        serde_json::from_str(GetConsentListResponse::SOURCE_SCHEMA).unwrap();
    let consents: GetConsentListResponse =
        serde_json::from_value(list["examples"][0].clone()).unwrap();
    let count = allocations_during(|| {
        for request in &requests {
            assert!(request.validate().is_ok());
        }
        assert!(consents.validate().is_ok());
    });
    assert_eq!(
        count, 0,
        "validate() allocated {count} times on valid values"
    );
    // Once something is wrong it does allocate (the pointer and the list): the counter works.
    let invalid = CreateLinkRequest::new().with_institution_code("");
    assert!(allocations_during(|| assert!(invalid.validate().is_err())) > 0);
}

/// Every example of every message (the compact JSON of each), checked by `check_json`.
fn checking_valid_payloads_does_not_allocate() {
    let mut checked = 0;
    for info in klavi_types::registry::messages() {
        for example in info.examples() {
            let bytes = serde_json::to_vec(&example).unwrap();
            // Examples of responses may break a rule on purpose (an invalid sample CPF is
            // lenient there, yet some are written to be refused): only the valid ones count.
            if (info.check_json)(&bytes).is_err() {
                continue;
            }
            let count = allocations_during(|| assert!((info.check_json)(&bytes).is_ok()));
            assert_eq!(
                count, 0,
                "check_json allocated {count} times on {}: {example}",
                info.id
            );
            checked += 1;
        }
    }
    assert!(checked >= 36, "only {checked} valid examples");
    // A payload with a violation allocates its list: the counter works.
    let count = allocations_during(|| {
        assert!(klavi_types::check_json::<CreateLinkRequest>(br#"{"redirectURL": 1}"#).is_err())
    });
    assert!(count > 0);
}
