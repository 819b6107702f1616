//! The zero-allocation targets of issues #6 and #18, asserted: the tax-id checks (bare, masked,
//! alphanumeric), `validate()` of a valid request and the compiled check of the valid payloads
//! never touch the heap; and issue #29's: the invalid payload's list takes one block per
//! violation's pointer and one for the list. dhat (this test
//! binary only) counts the heap blocks allocated.
//!
//! The binary has no test harness (`harness = false` in `Cargo.toml`): libtest's main thread
//! allocates after it has started a test (its table of running tests, its timeout queue, the
//! channel's waiter when it blocks), and on a busy machine that lands inside a count (CI saw 4
//! blocks during the 1,000-consent check). Here `main` is the only thread while counting.

use klavi_bench::{payloads, tax_ids};
use klavi_types::Validate;
use klavi_types::consents::GetConsentListResponse;
use klavi_types::links::CreateLinkRequest;
use klavi_types::tax_id::{Cnpj, Cpf, TaxId};

/// A check under test: its name, the named spellings it gets (`tax_ids::CPFS` or
/// `tax_ids::CNPJS`), and the check itself.
type Check = (
    &'static str,
    &'static [(&'static str, &'static str)],
    fn(&str) -> bool,
);

#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

/// How many heap blocks `run` allocates.
fn allocations_of(run: impl FnOnce()) -> u64 {
    let before = dhat::HeapStats::get().total_blocks;
    run();
    dhat::HeapStats::get().total_blocks - before
}

/// The only thread of the process runs every count; a failed assertion panics, and the
/// process exits non-zero (so `cargo test` fails).
fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    // The counter sees allocations (so a zero below means something).
    assert_eq!(allocations_of(|| drop(std::hint::black_box(vec![1u8]))), 1);
    let checks: [Check; 6] = [
        ("Cpf::is_valid", tax_ids::CPFS, Cpf::is_valid),
        ("Cpf::parse", tax_ids::CPFS, |s| Cpf::parse(s).is_ok()),
        ("TaxId::parse_any", tax_ids::CPFS, |s| {
            TaxId::parse_any(s).is_ok()
        }),
        ("Cnpj::is_valid", tax_ids::CNPJS, Cnpj::is_valid),
        ("Cnpj::parse", tax_ids::CNPJS, |s| Cnpj::parse(s).is_ok()),
        ("TaxId::parse_any", tax_ids::CNPJS, |s| {
            TaxId::parse_any(s).is_ok()
        }),
    ];
    for (what, inputs, check) in checks {
        for (name, input) in inputs {
            assert_eq!(allocations_of(|| assert!(check(input))), 0, "{what} {name}");
        }
    }
    // A wrong check digit is reported without allocating either.
    assert_eq!(
        allocations_of(|| assert!(Cpf::parse("28001238939").is_err())),
        0
    );

    let request: CreateLinkRequest =
        klavi_types::from_json(payloads::CREATE_LINK_VALID.as_bytes()).expect("valid");
    assert_eq!(allocations_of(|| assert!(request.validate().is_ok())), 0);

    // The compiled check of the benchmarks' valid payloads: the request and the 1,000-consent
    // list, read from their bytes without one allocation.
    let bytes = payloads::CREATE_LINK_VALID.as_bytes();
    assert_eq!(
        allocations_of(|| assert!(klavi_types::check_json::<CreateLinkRequest>(bytes).is_ok())),
        0
    );
    let list = payloads::consent_list(1000);
    assert_eq!(
        allocations_of(|| {
            assert!(klavi_types::check_json::<GetConsentListResponse>(list.as_bytes()).is_ok())
        }),
        0
    );

    // The invalid payload's five violations: one block for each pointer and one for the list,
    // nothing else (every message borrowed, the sort in place).
    let invalid = payloads::CREATE_LINK_INVALID.as_bytes();
    let mut listed = 0;
    let blocks = allocations_of(|| {
        let errors = klavi_types::check_json::<CreateLinkRequest>(invalid).unwrap_err();
        listed = errors.len();
    });
    assert_eq!((listed, blocks), (5, 6));
    println!(
        "allocations: tax-id checks, validate() and check_json allocate nothing; an invalid list one block per pointer and one for the list: ok"
    );
}
