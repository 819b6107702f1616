//! The benchmarks of issue #6, side by side in one run: `cargo bench -p klavi-bench`.
//! Every group compares klavi-types with what a Rust team would otherwise use on the same input;
//! `BENCHMARKS.md` lists the medians and ratios and how they changed.

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main,
};
use klavi_bench::oracles::{self, ConsentListSchema, CreateLinkSchema};
use klavi_bench::{floor, payloads, read, tax_ids};
use klavi_types::consents::GetConsentListResponse;
use klavi_types::diagnostics::Diagnostics;
use klavi_types::links::CreateLinkRequest;
use klavi_types::reports::ProductReport;
use klavi_types::tax_id::{Cnpj, Cpf};
use klavi_types::{CheckJson, Validate};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// (a) A valid Create a Link request, bytes to verdict.
fn create_link_valid(c: &mut Criterion) {
    let bytes = payloads::CREATE_LINK_VALID.as_bytes();
    let mut group = c.benchmark_group("create_link_valid");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    verdict_contenders::<CreateLinkRequest, floor::CreateLinkRequest>(
        &mut group,
        bytes,
        &oracles::runtime("create-link.request"),
        CreateLinkSchema::is_valid,
        &oracles::Boon::new("create-link.request"),
    );
    // Anchors, to say what bounds the rest: reading the JSON and keeping nothing, and reading
    // it into a `serde_json::Value` (the first half of the `jsonschema` contenders).
    group.bench_function("anchor_parse_only", |b| {
        b.iter(|| read::from_bytes::<serde::de::IgnoredAny>(black_box(bytes)).is_ok())
    });
    group.bench_function("anchor_serde_json_value", |b| {
        b.iter(|| read::from_bytes::<Value>(black_box(bytes)).is_ok())
    });
    group.finish();
}

/// (b) The same request with five violations, bytes to the list of violations.
fn create_link_invalid(c: &mut Criterion) {
    let bytes = payloads::CREATE_LINK_INVALID.as_bytes();
    let runtime = oracles::runtime("create-link.request");
    let diagnostics = Diagnostics::new();
    let mut group = c.benchmark_group("create_link_invalid");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("klavi_types", |b| {
        b.iter(
            || match klavi_types::from_json::<CreateLinkRequest>(black_box(bytes)) {
                Ok(_) => 0,
                Err(errors) => errors.len(),
            },
        )
    });
    group.bench_function("klavi_types_diagnostics", |b| {
        b.iter(|| {
            diagnostics
                .check("create-link.request", black_box(bytes))
                .map(|violations| violations.len())
        })
    });
    group.bench_function("klavi_types_check_json", |b| {
        b.iter(
            || match klavi_types::check_json::<CreateLinkRequest>(black_box(bytes)) {
                Ok(()) => 0,
                Err(errors) => errors.len(),
            },
        )
    });
    let boon = oracles::Boon::new("create-link.request");
    group.bench_function("boon", |b| {
        b.iter(|| {
            let value: Value = read::from_bytes(black_box(bytes)).unwrap();
            boon.count_errors(&value)
        })
    });
    group.bench_function("jsonschema_runtime", |b| {
        b.iter(|| {
            let value: Value = read::from_bytes(black_box(bytes)).unwrap();
            runtime.iter_errors(&value).count()
        })
    });
    group.bench_function("jsonschema_compile_time", |b| {
        b.iter(|| {
            let value: Value = read::from_bytes(black_box(bytes)).unwrap();
            CreateLinkSchema::iter_errors(&value).count()
        })
    });
    group.finish();
}

/// (c) A consent list of 1,000 consents, bytes to verdict.
fn consent_list(c: &mut Criterion) {
    let text = payloads::consent_list(1000);
    let bytes = text.as_bytes();
    let mut group = c.benchmark_group("consent_list_1000");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.sample_size(50);
    verdict_contenders::<GetConsentListResponse, Vec<floor::Consent>>(
        &mut group,
        bytes,
        &oracles::runtime("get-consent-list.response"),
        ConsentListSchema::is_valid,
        &oracles::Boon::new("get-consent-list.response"),
    );
    group.bench_function("anchor_parse_only", |b| {
        b.iter(|| read::from_bytes::<serde::de::IgnoredAny>(black_box(bytes)).is_ok())
    });
    group.finish();
}

/// The four contenders of a valid payload, bytes to verdict: klavi-types reading `Ours`, the
/// `jsonschema` runtime validator, its compile-time validator `compile_time`, and the floor
/// (`Floor`, read with every check removed). Generic, so that each is inlined into its own loop.
fn verdict_contenders<Ours, Floor>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    bytes: &[u8],
    runtime: &jsonschema::Validator,
    compile_time: impl Fn(&Value) -> bool,
    boon: &oracles::Boon,
) where
    Ours: DeserializeOwned + Validate + CheckJson,
    Floor: DeserializeOwned,
{
    group.bench_function("klavi_types", |b| {
        b.iter(|| klavi_types::from_json::<Ours>(black_box(bytes)).is_ok())
    });
    group.bench_function("klavi_types_check_json", |b| {
        b.iter(|| klavi_types::check_json::<Ours>(black_box(bytes)).is_ok())
    });
    group.bench_function("boon", |b| {
        b.iter(|| {
            let value: Value = read::from_bytes(black_box(bytes)).unwrap();
            boon.is_valid(&value)
        })
    });
    group.bench_function("jsonschema_runtime", |b| {
        b.iter(|| {
            let value: Value = read::from_bytes(black_box(bytes)).unwrap();
            runtime.is_valid(&value)
        })
    });
    group.bench_function("jsonschema_compile_time", |b| {
        b.iter(|| {
            let value: Value = read::from_bytes(black_box(bytes)).unwrap();
            compile_time(&value)
        })
    });
    group.bench_function("serde_floor", |b| {
        b.iter(|| read::from_bytes::<Floor>(black_box(bytes)).is_ok())
    });
}

/// One tax-id contender over every input of its group. Generic, so each check is inlined into
/// its own loop as it would be in a caller (a function pointer would add an indirect call to
/// every contender and flatten the ratios).
fn tax_id_contender(
    group: &mut BenchmarkGroup<'_, WallTime>,
    contender: &str,
    inputs: &[(&str, &str)],
    check: impl Fn(&str) -> bool,
) {
    for (name, input) in inputs {
        group.bench_with_input(BenchmarkId::new(contender, name), input, |b, s| {
            b.iter(|| check(black_box(s)))
        });
    }
}

/// (d) CPF and CNPJ checks against the `cpf`, `cnpj` and `cpf_cnpj` crates.
fn tax_id(c: &mut Criterion) {
    let mut group = c.benchmark_group("cpf");
    tax_id_contender(&mut group, "klavi_types", tax_ids::CPFS, Cpf::is_valid);
    tax_id_contender(&mut group, "klavi_types_parse", tax_ids::CPFS, |s| {
        Cpf::parse(s).is_ok()
    });
    tax_id_contender(&mut group, "cpf", tax_ids::CPFS, |s| cpf::valid(s));
    tax_id_contender(
        &mut group,
        "cpf_cnpj",
        tax_ids::CPFS,
        cpf_cnpj::cpf::validate,
    );
    group.finish();
    let mut group = c.benchmark_group("cnpj");
    tax_id_contender(&mut group, "klavi_types", tax_ids::CNPJS, Cnpj::is_valid);
    tax_id_contender(&mut group, "klavi_types_parse", tax_ids::CNPJS, |s| {
        Cnpj::parse(s).is_ok()
    });
    tax_id_contender(&mut group, "cnpj", tax_ids::CNPJS, |s| cnpj::valid(s));
    tax_id_contender(
        &mut group,
        "cpf_cnpj",
        tax_ids::CNPJS,
        cpf_cnpj::cnpj::validate,
    );
    group.finish();
}

/// (e) `validate()` alone, on an already-built valid request.
fn validate_alone(c: &mut Criterion) {
    let request: CreateLinkRequest =
        klavi_types::from_json(payloads::CREATE_LINK_VALID.as_bytes()).unwrap();
    let mut group = c.benchmark_group("validate_alone");
    group.bench_function("create_link_valid", |b| {
        b.iter(|| black_box(&request).validate().is_ok())
    });
    group.finish();
}

/// What the checks of a Create a Link request cost one by one (each includes the one `String`
/// the value keeps), beside that allocation alone: where (a)'s distance to the floor goes.
fn formats(c: &mut Criterion) {
    use klavi_types::formats::{AbsoluteUri, Email, HttpUrl};
    let mut group = c.benchmark_group("formats");
    let url = "https://acme.com.br/klavi/return";
    group.bench_function("string_alloc_only", |b| {
        b.iter(|| String::from(black_box(url)))
    });
    group.bench_function("http_url", |b| {
        b.iter(|| HttpUrl::parse(black_box(url)).is_ok())
    });
    group.bench_function("absolute_uri", |b| {
        b.iter(|| AbsoluteUri::parse(black_box("myapp://klavi/callback")).is_ok())
    });
    group.bench_function("email", |b| {
        b.iter(|| Email::parse(black_box("maria@example.com")).is_ok())
    });
    group.finish();
}

/// (f) A checking statement of 10,000 transactions (about 6.9 MB): the report read to typed
/// values (envelope and body, every rule checked) and to a verdict, next to `jsonschema` and the
/// floor. Peak memory: `cargo test --release -p klavi-bench --test statement_memory -- --nocapture`.
fn checking_statement(c: &mut Criterion) {
    let text = payloads::checking_statement(10_000);
    let bytes = text.as_bytes();
    let diagnostics = Diagnostics::new();
    let mut group = c.benchmark_group("checking_statement_10000");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.sample_size(10);
    group.bench_function("klavi_types_typed", |b| {
        b.iter(|| klavi_types::from_json::<ProductReport>(black_box(bytes)).is_ok())
    });
    group.bench_function("klavi_types_verdict", |b| {
        b.iter(|| diagnostics.is_valid("product-report.webhook", black_box(bytes)))
    });
    group.bench_function("klavi_types_check_json", |b| {
        b.iter(|| klavi_types::check_json::<ProductReport>(black_box(bytes)).is_ok())
    });
    let runtime = oracles::runtime("product-report.webhook");
    group.bench_function("jsonschema_runtime", |b| {
        b.iter(|| {
            let value: Value = read::from_bytes(black_box(bytes)).unwrap();
            runtime.is_valid(&value)
        })
    });
    group.bench_function("serde_floor", |b| {
        b.iter(|| read::from_bytes::<floor::CheckingStatementReport>(black_box(bytes)).is_ok())
    });
    group.bench_function("anchor_parse_only", |b| {
        b.iter(|| read::from_bytes::<serde::de::IgnoredAny>(black_box(bytes)).is_ok())
    });
    group.finish();
}

criterion_group!(
    benches,
    formats,
    create_link_valid,
    create_link_invalid,
    consent_list,
    tax_id,
    validate_alone,
    checking_statement
);
criterion_main!(benches);
