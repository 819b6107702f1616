//! `validate()` on a valid typed value allocates nothing: violation paths are built only on
//! failure. Measured with dhat's heap profiler in testing mode (this test binary only).

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

#[test]
fn validating_valid_values_does_not_allocate() {
    let _profiler = dhat::Profiler::builder().testing().build();
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
