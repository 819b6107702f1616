//! Differential test over every message of the registry: values generated from each bundled
//! schema ([`klavi_tests::schema_gen`]), valid ones and near misses, must get the same verdict
//! from the typed path (`MessageInfo::check`: deserialize into the generated type, then
//! `validate()`) and from `jsonschema` running the same schema (`validator_for`, with the `cpf`
//! and `cnpj` formats registered). Besides:
//!
//! * every valid-mode value is accepted by both (the generator is correct), and the canonical
//!   JSON the typed path produces for an accepted value is accepted by `jsonschema` too;
//! * at least [`MIN_REJECTED_PERCENT`] of the near misses of a path, query or request message
//!   are rejected (responses are lenient by design: there only the verdicts must agree);
//! * when both reject, the typed path's first violation (pointer and code) is among the
//!   violations `Diagnostics::check_value` maps from `jsonschema`'s errors.
//!
//! Cases: `KLAVI_DIFF_CASES_PER_MESSAGE` valid values and as many near misses per message,
//! default 1000: 2,000 cases per message, 112,000 over the 56 messages in `cargo test`. CI runs
//! 5000 (560,000 cases) on the same build (`.ci/run`). The messages are spread over every core
//! ([`klavi_tests::parallel`]). Raise the count for a long local run: millions with
//! `KLAVI_DIFF_CASES_PER_MESSAGE=50000 cargo test --release --all-features -p klavi-tests
//! --test it differential_all` (5.6 million cases); `PROPTEST_RNG_SEED` replays a run. A failure is
//! shrunk by proptest to a minimal payload (the first per message and mode); the ignored test
//! `survey_disagreements` instead lists every kind of failure over all cases. Add a fixed
//! disagreement to [`REGRESSIONS`].

use std::cell::Cell;
use std::time::Instant;

use klavi_tests::lists::pointers_and_codes as codes_of;
use klavi_tests::{parallel, schema_gen};
use klavi_types::MessageKind;
use klavi_types::diagnostics::{Diagnostics, validator_for};
use klavi_types::registry::{self, MessageInfo};
use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use serde_json::Value;

/// The share of near misses of a path, query or request message that must be rejected (some
/// mutations can land on a valid value: a lower-cased numeric CNPJ, a changed digit that keeps
/// the check digits).
const MIN_REJECTED_PERCENT: usize = 80;

/// Payloads on which the two validators once disagreed, minimized: `(message id, payload)`.
/// Each must pass [`Subject::check`] (same verdict, and the typed path's first violation among
/// the diagnostics), forever. Grouped by cause.
#[rustfmt::skip]
const REGRESSIONS: &[(&str, &str)] = &[
    // 0. `Amount` had no violation code of its own: the typed path said `invalid`.
    ("pf-categorized-checking-l3.product", r#"{"checkingAccounts": [{"number": "", "balances": {"automaticallyInvestedAmount": {"amount": "1,5"}}}]}"#),
    // 1. A struct read from a JSON array, its members in declaration order (serde's `visit_seq`).
    ("get-consent.path", r#"["x"]"#),
    ("pf-categorized-checking-l3.product", r#"{"checkingAccounts": [{"number": "", "balances": {"availableAmount": ["1"]}}]}"#),
    // 2. `null` for an optional member where `additionalProperties` is not `false` (responses,
    //    redirect queries, webhook payloads, and the free-form parts of requests).
    ("link-redirect.query", r#"{"link_id": "x", "error": null}"#),
    ("get-task-status.response", r#"{"code": 200, "message": "ok", "status": "pending", "mfaInfo": null}"#),
    ("create-link.request", r#"{"externalInfo": {"customization": null}}"#),
    ("create-link.request", r#"{"externalInfo": {"customization": {"landingTitle": null}}}"#),
    // 3. An integral float is a JSON Schema integer (`i64` members).
    ("submit-mfa.request", r#"{"mfaId": 22.0}"#),
    //    Compared as numbers up to 2^53: a fraction of zero changes nothing (issue #27).
    ("submit-mfa.request", r#"{"mfaId": 9007199254740990.0}"#),
    // 5. E-mail: an empty quoted local part (jsonschema accepts it).
    ("create-link.request", r#"{"email": "\"\"@example.com"}"#),
    // 6. `x-klavi-aliases`: `eventID` is now declared (a string) beside `eventId`.
    ("webhook.event", r#"{"eventName": "link_created", "eventTime": "2024-01-01T00:00:00Z", "eventID": false}"#),
    // 7. A tagged union with a catch-all `{"type": "object"}` branch keeps any object, also
    //    one with a known tag and broken members.
    ("get-task-status.response", r#"{"code": 200, "message": "ok", "status": "needMFA", "mfaInfo": {"mfaType": "basic"}}"#),
    ("get-task-status.response", r#"{"code": 200, "message": "ok", "status": "needMFA", "mfaInfo": {"mfaType": "basic", "mfaId": "22"}}"#),
    // 8. Codes: a wrong JSON type for an enumeration or a union is `type` in the typed path,
    //    `enum` in the diagnostics.
    ("error.response", r#"{"statusCode": null, "message": ""}"#),
    ("consent-authorised.payload", r#"{"linkId": "", "consents": null}"#),
    ("get-consent.response", r#"{"consentId": "", "linkId": "", "externalTrackId": "", "personalTaxId": "", "businessTaxId": "", "institutionCode": "", "status": null, "permissionsApply": [], "permissionsGranted": [], "expireAt": "2024-01-01T00:00:00Z", "createdAt": "2024-01-01T00:00:00Z", "updatedAt": "2024-01-01T00:00:00Z"}"#),
    // 9. Codes: `Seconds` out of range or fractional is `integer` in the typed path,
    //    `minimum` / `type` / `maximum` in the diagnostics.
    ("generate-access-token.response", r#"{"accessToken": "", "expireIn": -1}"#),
    ("generate-access-token.response", r#"{"accessToken": "", "expireIn": 1.5}"#),
    ("generate-access-token.response", r#"{"accessToken": "", "expireIn": 1e20}"#),
    // 10. Codes: `Amount` of a wrong JSON type is `invalid` in the typed path, `type` in the
    //     diagnostics.
    ("pf-categorized-checking-l3.product", r#"{"checkingAccounts": [{"number": "", "balances": {"availableAmount": {"amount": true}}}]}"#),
    // 11. Pointers: for a one-or-many `anyOf` (object or array of objects) the diagnostics
    //     report only `enum` at the union; the typed path points inside it.
    ("webhook.event", r#"{"eventName": "link_created", "eventTime": "x"}"#),
    ("webhook.event", r#"[{"eventName": "link_created"}]"#),
    ("consent-authorised.payload", r#"{"linkId": "", "consents": {"consentId": 1}}"#),
    // 12. An `x-klavi-aliases` spelling that was not declared as a property: the typed path
    //     read it into its member, `jsonschema` ignored it as unknown. The generator now
    //     requires the declaration.
    ("pf-credit-card.product", r#"{"creditCards": [{"limit": null}]}"#),
    ("pf-variable-incomes.product", r#"{"investments": {"variableIncomes": [{"transactions": [{"brOKerNoteId": []}]}]}}"#),
    ("product-report.webhook", r#"{"code": 200, "message": "", "requestId": "", "productName": "", "productVersion": "", "productReportId": "", "productReportTime": "", "enquiryCpf": "", "links": [{"linkId": "", "institutionCode": "", "consents": [{"consentId": "", "permissions": {"a": {"accountId": null}}}]}]}"#),
];

fn cases_per_message() -> u32 {
    std::env::var("KLAVI_DIFF_CASES_PER_MESSAGE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

/// A failed case: what went wrong, with both reports, and a rough signature to group failures
/// of the same kind (`survey_disagreements`).
struct Failure {
    report: String,
    signature: String,
}

impl Failure {
    fn new(subject: &Subject<'_>, value: &Value, what: String) -> Self {
        let bytes = serde_json::to_vec(value).expect("serializes");
        let kind_at = |pointer: &str| match value.pointer(pointer) {
            Some(Value::Null) => "null",
            Some(Value::Bool(_)) => "boolean",
            Some(Value::Number(n)) if n.is_f64() => "float",
            Some(Value::Number(_)) => "integer",
            Some(Value::String(_)) => "string",
            Some(Value::Array(_)) => "array",
            Some(Value::Object(_)) => "object",
            None => "absent",
        };
        // The last member name of a pointer (array indexes as `N`).
        let last = |pointer: &str| {
            let name = pointer.rsplit('/').next().unwrap_or_default();
            if name.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty() {
                "N".to_owned()
            } else {
                name.to_owned()
            }
        };
        let typed = match (subject.info.check)(&bytes) {
            Ok(()) => "accepted".to_owned(),
            Err(errors) => {
                let first = &errors.as_slice()[0];
                format!(
                    "{} on {} `{}`",
                    first.code(),
                    kind_at(first.pointer()),
                    last(first.pointer())
                )
            }
        };
        let oracle = subject.oracle.iter_errors(value).next().map_or_else(
            || "accepted".to_owned(),
            |e| {
                let at = e.instance_path().as_str();
                format!("{} on {} `{}`", e.kind().keyword(), kind_at(at), last(at))
            },
        );
        let what_kind = what
            .split(['(', ':'])
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned();
        let signature = match (subject.info.check)(&bytes) {
            // A list mismatch: what each list has that the other lacks, by code and place.
            _ if what_kind.starts_with("check_json") => {
                let compiled = (subject.info.check_json)(&bytes)
                    .err()
                    .map(|e| codes_of(e.as_slice()))
                    .unwrap_or_default();
                let listed = subject
                    .diagnostics
                    .check(subject.info.id, &bytes)
                    .map(|l| codes_of(&l))
                    .unwrap_or_default();
                let only = |a: &[(String, &str)], b: &[(String, &str)]| -> Vec<String> {
                    a.iter()
                        .filter(|x| !b.contains(x))
                        .map(|(p, c)| format!("{c} on {} `{}`", kind_at(p), last(p)))
                        .collect()
                };
                format!(
                    "{what_kind} | only compiled {:?} | only diagnostics {:?}",
                    only(&compiled, &listed),
                    only(&listed, &compiled)
                )
            }
            // A code mismatch: the typed code and the diagnostics' codes at its pointer.
            Err(errors) if what_kind.starts_with("typed violation") => {
                let first = &errors.as_slice()[0];
                let at: Vec<&str> = subject
                    .diagnostics
                    .check_value(subject.info.id, value)
                    .map(|list| {
                        list.iter()
                            .filter(|v| v.pointer() == first.pointer())
                            .map(|v| v.code())
                            .collect()
                    })
                    .unwrap_or_default();
                let at: Vec<String> = at.into_iter().map(str::to_owned).collect();
                format!("{what_kind} | typed {typed} | diagnostics there {at:?}")
            }
            _ => format!("{what_kind} | typed {typed} | jsonschema {oracle}"),
        };
        Failure {
            report: format!("{what}\n{}", subject.reports(value)),
            signature,
        }
    }
}

/// One message under test: its schema compiled by `jsonschema`, and the diagnostics.
struct Subject<'a> {
    info: &'static MessageInfo,
    oracle: jsonschema::Validator,
    diagnostics: &'a Diagnostics,
}

/// What a case concluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Accepted,
    Rejected,
}

impl<'a> Subject<'a> {
    fn new(info: &'static MessageInfo, diagnostics: &'a Diagnostics) -> Self {
        let schema: Value = serde_json::from_str(info.schema).expect("bundled schema is JSON");
        let oracle = validator_for(&schema).expect("bundled schema compiles");
        Subject {
            info,
            oracle,
            diagnostics,
        }
    }

    /// Both reports on `value`, for a failure message.
    fn reports(&self, value: &Value) -> String {
        let bytes = serde_json::to_vec(value).expect("serializes");
        let typed = match (self.info.check)(&bytes) {
            Ok(()) => "accepted".to_owned(),
            Err(errors) => format!("rejected: {errors:?}"),
        };
        let oracle: Vec<String> = self
            .oracle
            .iter_errors(value)
            .map(|e| format!("{} at `{}` ({})", e, e.instance_path(), e.schema_path()))
            .collect();
        let oracle = if oracle.is_empty() {
            "accepted".to_owned()
        } else {
            format!("rejected: {oracle:#?}")
        };
        format!(
            "message {}\npayload {value}\ntyped path: {typed}\njsonschema: {oracle}",
            self.info.id
        )
    }

    /// Checks one value; `expect_valid` for valid-mode values.
    fn check(&self, value: &Value, expect_valid: bool) -> Result<Verdict, Failure> {
        let bytes = serde_json::to_vec(value).expect("serializes");
        let typed = (self.info.check)(&bytes);
        let oracle_ok = self.oracle.is_valid(value);
        let fail = |what: String| Failure::new(self, value, what);
        if typed.is_ok() != oracle_ok {
            return Err(fail("verdicts differ".to_owned()));
        }
        if expect_valid && !oracle_ok {
            return Err(fail("the generator produced an invalid value".to_owned()));
        }
        let compiled = (self.info.check_json)(&bytes);
        if compiled.is_ok() != oracle_ok {
            return Err(fail(format!(
                "check_json's verdict differs: {:?}",
                compiled.as_ref().err().map(|e| codes_of(e.as_slice()))
            )));
        }
        if let Err(compiled) = &compiled {
            let listed = self
                .diagnostics
                .check(self.info.id, &bytes)
                .expect("registered message");
            if codes_of(compiled.as_slice()) != codes_of(&listed) {
                return Err(fail(format!(
                    "check_json's list {:?} differs from the diagnostics' {:?}",
                    codes_of(compiled.as_slice()),
                    codes_of(&listed)
                )));
            }
        }
        match typed {
            Ok(()) => {
                let canonical = (self.info.canonical)(&bytes)
                    .map_err(|e| fail(format!("check accepts, canonical rejects: {e:?}")))?;
                if !self.oracle.is_valid(&canonical) {
                    return Err(fail(format!("the canonical form {canonical} is invalid")));
                }
                Ok(Verdict::Accepted)
            }
            Err(errors) => {
                let first = &errors.as_slice()[0];
                let reported = self
                    .diagnostics
                    .check_value(self.info.id, value)
                    .expect("registered message");
                if !reported
                    .iter()
                    .any(|v| v.code() == first.code() && v.pointer() == first.pointer())
                {
                    return Err(fail(format!(
                        "typed violation ({}, {}) not among the diagnostics {:?}",
                        first.pointer(),
                        first.code(),
                        reported
                            .iter()
                            .map(|v| (v.pointer(), v.code()))
                            .collect::<Vec<_>>(),
                    )));
                }
                Ok(Verdict::Rejected)
            }
        }
    }

    /// Runs `cases` values of `strategy`; returns how many were rejected, or the (shrunk)
    /// failure.
    fn run(
        &self,
        strategy: &impl Strategy<Value = Value>,
        cases: u32,
        expect_valid: bool,
    ) -> Result<usize, String> {
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        let rejected = Cell::new(0);
        let result = runner.run(strategy, |value| {
            match self.check(&value, expect_valid) {
                Ok(Verdict::Rejected) => rejected.set(rejected.get() + 1),
                Ok(Verdict::Accepted) => {}
                Err(failure) => return Err(TestCaseError::fail(failure.report)),
            }
            Ok(())
        });
        match result {
            Ok(()) => Ok(rejected.get()),
            Err(TestError::Fail(reason, value)) => {
                Err(format!("{reason}\nminimal payload: {value}"))
            }
            Err(TestError::Abort(reason)) => Err(format!("aborted: {reason}")),
        }
    }
}

#[test]
fn the_generator_understands_every_schema() {
    for info in registry::messages() {
        let schema: Value = serde_json::from_str(info.schema).expect("bundled schema is JSON");
        let unknown = schema_gen::strategies(&schema).unknown_shapes;
        assert!(
            unknown.is_empty(),
            "{}: shapes the generator skipped: {unknown:#?}",
            info.id
        );
    }
}

#[test]
fn typed_path_and_jsonschema_agree_on_every_message() {
    let started = Instant::now();
    let cases = cases_per_message();
    let diagnostics = Diagnostics::new();
    let messages: Vec<&'static MessageInfo> = registry::messages().collect();
    // Each message on the next free core; its line and failures reported in registry order.
    let outcomes = parallel::map_in_order(&messages, |&info| {
        let mut failures = Vec::new();
        let subject = Subject::new(info, &diagnostics);
        let schema: Value = serde_json::from_str(info.schema).expect("bundled schema is JSON");
        let strategies = schema_gen::strategies(&schema);
        if !strategies.unknown_shapes.is_empty() {
            failures.push(format!(
                "{}: shapes the generator skipped: {:#?}",
                info.id, strategies.unknown_shapes
            ));
        }
        let valid = subject.run(&strategies.valid, cases, true);
        let near = subject.run(&strategies.near_miss, cases, false);
        let line = match (&valid, &near) {
            (Ok(_), Ok(rejected)) => {
                let strict = matches!(
                    info.kind,
                    MessageKind::Path | MessageKind::Query | MessageKind::Request
                );
                if strict && rejected * 100 < cases as usize * MIN_REJECTED_PERCENT {
                    failures.push(format!(
                        "{}: only {rejected} of {cases} near misses rejected: the generator is off",
                        info.id
                    ));
                }
                format!(
                    "{:<48} valid {cases:>6}  near-miss {cases:>6}  rejected {rejected:>6} ({}%)",
                    info.id,
                    rejected * 100 / cases.max(1) as usize
                )
            }
            _ => {
                failures.extend(valid.err().map(|e| format!("{} (valid): {e}", info.id)));
                failures.extend(near.err().map(|e| format!("{} (near miss): {e}", info.id)));
                format!("{:<48} FAILED", info.id)
            }
        };
        (line, failures)
    });
    let mut failures = Vec::new();
    for (line, message_failures) in outcomes {
        eprintln!("{line}");
        failures.extend(message_failures);
    }
    let total = 2 * cases as usize * messages.len();
    eprintln!(
        "differential_all: {total} cases over {} messages on {} threads in {:.1?}",
        messages.len(),
        parallel::workers(),
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} failure(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Not a check: lists every kind of failure (grouped by a rough signature) with the shortest
/// payload found, over all messages, instead of stopping at the first one per message.
#[test]
#[ignore = "a survey for debugging: cargo test -p klavi-tests --test it differential_all -- --ignored"]
fn survey_disagreements() {
    use proptest::strategy::ValueTree;
    use std::collections::BTreeMap;
    let cases = cases_per_message();
    let diagnostics = Diagnostics::new();
    let mut runner = TestRunner::default();
    let mut found: BTreeMap<String, (usize, String, usize)> = BTreeMap::new();
    for info in registry::messages() {
        let mut near_rejected = 0;
        let subject = Subject::new(info, &diagnostics);
        let schema: Value = serde_json::from_str(info.schema).expect("bundled schema is JSON");
        let strategies = schema_gen::strategies(&schema);
        for (strategy, expect_valid) in [(&strategies.valid, true), (&strategies.near_miss, false)]
        {
            for _ in 0..cases {
                let value = strategy.new_tree(&mut runner).expect("generates").current();
                if !expect_valid && !subject.oracle.is_valid(&value) {
                    near_rejected += 1;
                }
                if let Err(failure) = subject.check(&value, expect_valid) {
                    let size = value.to_string().len();
                    let entry =
                        found
                            .entry(failure.signature)
                            .or_insert((usize::MAX, String::new(), 0));
                    entry.2 += 1;
                    if size < entry.0 {
                        entry.0 = size;
                        entry.1 = failure.report;
                    }
                }
            }
        }
        eprintln!(
            "{:<48} near misses rejected by jsonschema: {near_rejected} of {cases}",
            info.id
        );
    }
    for (signature, (_, report, count)) in &found {
        eprintln!("=== {signature} ({count} cases)\n{report}\n");
    }
    eprintln!("{} kinds of failure", found.len());
}

/// Where the two validators knowingly differ (documented in ARCHITECTURE.md), as
/// `(message id, payload, typed path accepts, jsonschema accepts)`. The generators never produce
/// these; this table pins the divergence so that a change in either side is noticed.
#[rustfmt::skip]
const KNOWN_DIVERGENCES: &[(&str, &str, bool, bool)] = &[
    // Integers are `i64`: JSON Schema's `integer` has no bound.
    ("submit-mfa.request", r#"{"mfaId": 9223372036854775808}"#, false, true),
    ("error.response", r#"{"statusCode": 9223372036854775808, "message": ""}"#, false, true),
    // From 2^53 on, a whole number written with a fraction or an exponent may not be the one
    // read: refused (`integer_range`); just below, it is the same number as the integer.
    ("submit-mfa.request", r#"{"mfaId": 9007199254740992.0}"#, false, true),
    ("submit-mfa.request", r#"{"mfaId": 1e16}"#, false, true),
    // A member and its alias together: one field, so the duplicate is refused.
    ("webhook.event", r#"{"eventName": "link_created", "eventTime": "2024-01-01T00:00:00Z", "eventId": "a", "eventID": "b"}"#, false, true),
];

#[test]
fn known_divergences_are_exactly_the_documented_ones() {
    for (id, payload, typed_accepts, oracle_accepts) in KNOWN_DIVERGENCES {
        let info = registry::message(id).expect("registered");
        let schema: Value = serde_json::from_str(info.schema).expect("JSON");
        let oracle = validator_for(&schema).expect("compiles");
        let value: Value = serde_json::from_str(payload).expect("JSON");
        assert_eq!(
            (info.check)(payload.as_bytes()).is_ok(),
            *typed_accepts,
            "{id} {payload}"
        );
        assert_eq!(oracle.is_valid(&value), *oracle_accepts, "{id} {payload}");
        // The compiled check sides with the typed path here, and its list is the diagnostics'
        // (which merge the typed path's violation): ARCHITECTURE.md, "Known divergences".
        let compiled = (info.check_json)(payload.as_bytes())
            .err()
            .unwrap_or_default();
        assert_eq!(compiled.is_empty(), *typed_accepts, "{id} {payload}");
        let listed = Diagnostics::new()
            .check(id, payload.as_bytes())
            .expect("registered");
        assert_eq!(
            codes_of(compiled.as_slice()),
            codes_of(&listed),
            "{id} {payload}"
        );
    }
}

#[test]
fn regressions_agree() {
    let diagnostics = Diagnostics::new();
    let mut failures = Vec::new();
    for (id, payload) in REGRESSIONS {
        let info = registry::message(id).expect("registered message");
        let value: Value = serde_json::from_str(payload).expect("payload is JSON");
        if let Err(failure) = Subject::new(info, &diagnostics).check(&value, false) {
            failures.push(failure.report);
        }
    }
    assert!(
        failures.is_empty(),
        "{} regression(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
