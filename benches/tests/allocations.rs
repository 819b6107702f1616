//! The zero-allocation targets of issue #6, asserted: the tax-id checks (bare, masked,
//! alphanumeric) and `validate()` of a valid request never touch the heap. dhat (this test
//! binary only) counts the heap blocks allocated.

use klavi_bench::{payloads, tax_ids};
use klavi_types::Validate;
use klavi_types::links::CreateLinkRequest;
use klavi_types::tax_id::{Cnpj, Cpf, TaxId};

#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

/// How many heap blocks `run` allocates.
fn allocations_of(run: impl FnOnce()) -> u64 {
    let before = dhat::HeapStats::get().total_blocks;
    run();
    dhat::HeapStats::get().total_blocks - before
}

/// One test, so that no other test thread allocates while a count is taken.
#[test]
fn tax_id_checks_and_validate_never_allocate() {
    let _profiler = dhat::Profiler::builder().testing().build();
    // The counter sees allocations (so a zero below means something).
    assert_eq!(allocations_of(|| drop(std::hint::black_box(vec![1u8]))), 1);
    for (name, input) in tax_ids::CPFS {
        assert_eq!(
            allocations_of(|| assert!(Cpf::is_valid(input))),
            0,
            "CPF {name}"
        );
        assert_eq!(
            allocations_of(|| assert!(Cpf::parse(input).is_ok())),
            0,
            "CPF {name}"
        );
        assert_eq!(
            allocations_of(|| assert!(TaxId::parse_any(input).is_ok())),
            0,
            "{name}"
        );
    }
    for (name, input) in tax_ids::CNPJS {
        assert_eq!(
            allocations_of(|| assert!(Cnpj::is_valid(input))),
            0,
            "CNPJ {name}"
        );
        assert_eq!(
            allocations_of(|| assert!(Cnpj::parse(input).is_ok())),
            0,
            "CNPJ {name}"
        );
        assert_eq!(
            allocations_of(|| assert!(TaxId::parse_any(input).is_ok())),
            0,
            "{name}"
        );
    }
    // A wrong check digit is reported without allocating either.
    assert_eq!(
        allocations_of(|| assert!(Cpf::parse("28001238939").is_err())),
        0
    );

    let request: CreateLinkRequest =
        klavi_types::from_json(payloads::CREATE_LINK_VALID.as_bytes()).expect("valid");
    assert_eq!(allocations_of(|| assert!(request.validate().is_ok())), 0);
}
