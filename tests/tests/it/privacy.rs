//! LGPD: personal data and credentials never leave through output, and always reach the wire
//! unchanged. For every message of the registry, its schema examples and generated payloads get
//! a unique canary in every value the schema marks as personal or secret (CPF, CNPJ, e-mail,
//! phone and other `x-klavi-personal-data`, tokens, keys, passwords: `klavi_tests::privacy`),
//! then:
//!
//! * the typed value's `Debug` never shows a canary, and its serialization (the wire) carries
//!   each canary exactly, at its pointer;
//! * with invalid canaries (wrong check digits, broken e-mails) the validation errors (`Display`,
//!   `Debug`, every message) and the `jsonschema` diagnostics never quote one;
//! * the `klavi` CLI's output and its error stream, in every format and in JSON Lines mode,
//!   never show one;
//! * each runtime type's `Display` and `Debug` masks the value while serializing it verbatim.
//!
//! The client's errors and `tracing` lines are checked in `klavi-client/tests/` (they never
//! carry a URL, body, token or personal value).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use klavi_tests::binary::klavi;
use klavi_tests::privacy::{self, Canary, Kind, Validity};
use klavi_tests::schema_gen;
use klavi_types::diagnostics::Diagnostics;
use klavi_types::formats::Email;
use klavi_types::personal::PersonalData;
use klavi_types::registry::{self, MessageInfo};
use klavi_types::secret::Secret;
use klavi_types::tax_id::{Cnpj, Cpf, TaxId, UnverifiedCnpj, UnverifiedCpf};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;

/// Generated payloads per message, besides the schema's examples.
const GENERATED_PER_MESSAGE: usize = 24;

fn schema(info: &MessageInfo) -> Value {
    serde_json::from_str(info.schema).expect("bundled schemas are JSON")
}

/// The schema's examples and generated valid payloads (fixed seed: the same every run).
fn instances(info: &MessageInfo) -> Vec<Value> {
    let schema = schema(info);
    let mut instances: Vec<Value> = info.examples();
    let strategy = schema_gen::valid(&schema);
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    for _ in 0..GENERATED_PER_MESSAGE {
        if let Ok(tree) = strategy.new_tree(&mut runner) {
            instances.push(tree.current());
        }
    }
    instances
}

/// `instance` with canaries of `validity` planted, as bytes, and the canaries.
fn planted(info: &MessageInfo, instance: &Value, validity: Validity) -> (Vec<u8>, Vec<Canary>) {
    let mut value = instance.clone();
    let canaries = privacy::plant(&schema(info), &mut value, validity);
    (serde_json::to_vec(&value).unwrap(), canaries)
}

fn assert_not_shown(canaries: &[Canary], output: &str, context: &str) {
    for canary in canaries {
        if let Some(spelling) = canary.found_in(output) {
            panic!(
                "{context}: the {:?} at {} leaks as `{spelling}` in:\n{output}",
                canary.kind, canary.pointer
            );
        }
    }
}

#[test]
fn typed_values_mask_every_personal_value_and_serialize_it_exactly() {
    let mut per_kind: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut per_message: BTreeMap<&str, usize> = BTreeMap::new();
    for info in registry::messages() {
        for instance in instances(info) {
            let (bytes, canaries) = planted(info, &instance, Validity::Valid);
            if canaries.is_empty() || (info.check)(&bytes).is_err() {
                // No sensitive member, or a canary the schema's length or pattern refuses.
                continue;
            }
            let debug = (info.debug)(&bytes).expect("accepted by check");
            assert_not_shown(&canaries, &debug, &format!("{} Debug", info.id));
            let wire = (info.canonical)(&bytes).expect("accepted by check");
            for canary in &canaries {
                assert_eq!(
                    wire.pointer(&canary.pointer).and_then(Value::as_str),
                    Some(canary.value.as_str()),
                    "{}: the {:?} at {} must reach the wire unchanged",
                    info.id,
                    canary.kind,
                    canary.pointer
                );
                *per_kind.entry(canary.kind).or_default() += 1;
            }
            *per_message.entry(info.id).or_default() += canaries.len();
        }
    }
    eprintln!(
        "privacy: canaries checked by kind {per_kind:?} over {} messages",
        per_message.len()
    );
    // Every kind is exercised, and every message that declares sensitive members.
    for kind in [
        Kind::Cpf,
        Kind::Cnpj,
        Kind::Email,
        Kind::Secret,
        Kind::Personal,
    ] {
        assert!(
            per_kind.get(&kind).copied().unwrap_or(0) >= 20,
            "{kind:?}: {per_kind:?}"
        );
    }
    for id in [
        "generate-access-token.request",
        "generate-access-token.response",
        "create-link.request",
        "create-link.response",
        "create-consent.request",
        "get-consent.response",
        "get-consent-list.query",
        "get-consent-list.response",
        "request-personal-user-report.request",
        "request-business-user-report.request",
        "submit-mfa.request",
        "webhook.event",
        "link-created.payload",
        "product-report.webhook",
    ]
    .into_iter()
    // Every report product: each has personal data (names, account numbers, tax ids).
    .chain(
        registry::standalone()
            .iter()
            .map(|m| m.id)
            .filter(|id| id.ends_with(".product")),
    ) {
        assert!(
            per_message.contains_key(id),
            "{id} got no canary: {per_message:?}"
        );
    }
}

#[test]
fn violations_never_quote_personal_values() {
    let diagnostics = Diagnostics::new();
    let mut reported = 0;
    for info in registry::messages() {
        for instance in instances(info) {
            let (bytes, canaries) = planted(info, &instance, Validity::Invalid);
            let Err(errors) = (info.check)(&bytes) else {
                continue;
            };
            let mut text = format!("{errors}\n{errors:?}\n");
            for violation in errors.iter() {
                text.push_str(violation.message());
                text.push('\n');
            }
            assert_not_shown(&canaries, &text, &format!("{} validation errors", info.id));
            let mapped = diagnostics.check(info.id, &bytes).expect("a known message");
            assert_not_shown(
                &canaries,
                &format!("{mapped:?}"),
                &format!("{} diagnostics", info.id),
            );
            reported += 1;
        }
    }
    assert!(
        reported >= 100,
        "only {reported} invalid payloads were checked"
    );
}

fn run_cli(args: &[&str], context: &str, canaries: &[Canary]) -> i32 {
    let output = Command::new(klavi())
        .args(args)
        .output()
        .expect("run klavi");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_not_shown(canaries, &text, context);
    output.status.code().unwrap_or(-1)
}

#[test]
fn the_cli_never_prints_personal_values() {
    let directory = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("privacy");
    std::fs::create_dir_all(&directory).unwrap();
    let mut runs = 0;
    for info in registry::messages() {
        // The first instance that carries canaries, valid and invalid.
        let Some((valid, invalid)) = instances(info).iter().find_map(|instance| {
            let valid = planted(info, instance, Validity::Valid);
            let invalid = planted(info, instance, Validity::Invalid);
            (!valid.1.is_empty()).then_some((valid, invalid))
        }) else {
            continue;
        };
        let valid_file = directory.join(format!("{}.valid.json", info.id));
        let invalid_file = directory.join(format!("{}.invalid.json", info.id));
        let jsonl_file = directory.join(format!("{}.jsonl", info.id));
        std::fs::write(&valid_file, &valid.0).unwrap();
        std::fs::write(&invalid_file, &invalid.0).unwrap();
        std::fs::write(
            &jsonl_file,
            [&valid.0[..], b"\n", &invalid.0[..], b"\n"].concat(),
        )
        .unwrap();
        let canaries: Vec<Canary> = valid.1.iter().chain(&invalid.1).cloned().collect();
        for format in ["human", "json", "github"] {
            for file in [&valid_file, &invalid_file] {
                let file = file.to_str().unwrap();
                let context = format!("klavi validate {} --format {format} {file}", info.id);
                run_cli(
                    &["validate", info.id, "--format", format, file],
                    &context,
                    &canaries,
                );
                runs += 1;
            }
        }
        let jsonl = jsonl_file.to_str().unwrap();
        let context = format!("klavi validate {} --jsonl {jsonl}", info.id);
        run_cli(
            &["validate", info.id, "--jsonl", jsonl],
            &context,
            &canaries,
        );
        runs += 1;
        // Whatever the schema says of the invalid canaries, the valid payload is accepted
        // when the typed path accepts it: the CLI is the same validator.
        if (info.check)(&valid.0).is_ok() {
            let file = valid_file.to_str().unwrap();
            assert_eq!(
                run_cli(&["validate", info.id, file], "exit status", &canaries),
                0
            );
        }
    }
    assert!(runs >= 100, "only {runs} CLI runs");
}

#[test]
fn runtime_types_mask_in_display_and_debug_and_serialize_verbatim() {
    let cpf = "52998224725";
    let cnpj = "12ABC34501DE35";
    let email = "canary.person@example.com";
    let phone = "+55 11 98765-4321";
    let token = "SeCrEt-Canary-token-9f2b";
    let canaries: Vec<Canary> = [
        (Kind::Cpf, cpf),
        (Kind::Cnpj, cnpj),
        (Kind::Email, email),
        (Kind::Personal, phone),
        (Kind::Secret, token),
    ]
    .into_iter()
    .map(|(kind, value)| Canary {
        pointer: String::new(),
        kind,
        value: value.to_owned(),
    })
    .collect();
    let cases: Vec<(&str, String, String, String)> = vec![
        row("Cpf", &Cpf::parse(cpf).unwrap(), cpf),
        row(
            "Cpf (masked input)",
            &Cpf::parse("529.982.247-25").unwrap(),
            cpf,
        ),
        row("Cnpj", &Cnpj::parse(cnpj).unwrap(), cnpj),
        row(
            "Cnpj (numeric)",
            &Cnpj::parse("11.222.333/0001-81").unwrap(),
            "11222333000181",
        ),
        row("TaxId", &TaxId::parse_any(cpf).unwrap(), cpf),
        row("Email", &Email::parse(email).unwrap(), email),
        row("PersonalData", &PersonalData::new(phone), phone),
        row("Secret", &Secret::new(token), token),
    ];
    let unverified = [
        debug_row("UnverifiedCpf", &UnverifiedCpf::new(cpf), cpf),
        debug_row("UnverifiedCnpj", &UnverifiedCnpj::new(cnpj), cnpj),
    ];
    let numeric = Canary {
        pointer: String::new(),
        kind: Kind::Cnpj,
        value: "11222333000181".to_owned(),
    };
    for (name, display, debug, wire) in cases.into_iter().chain(unverified) {
        let mut all = canaries.clone();
        all.push(numeric.clone());
        assert_not_shown(&all, &display, &format!("{name} Display"));
        assert_not_shown(&all, &debug, &format!("{name} Debug"));
        assert!(
            !display.is_empty() && !debug.is_empty(),
            "{name} prints something"
        );
        let expected: Value = serde_json::from_str(&wire).unwrap();
        assert!(
            canaries
                .iter()
                .chain([&numeric])
                .any(|canary| expected == canary.value.as_str()),
            "{name} serializes verbatim, got {wire}"
        );
    }
}

/// `(name, Display, Debug, JSON)` of a value that serializes to `expected`.
fn row<T: std::fmt::Display + std::fmt::Debug + serde::Serialize>(
    name: &'static str,
    value: &T,
    expected: &str,
) -> (&'static str, String, String, String) {
    let wire = serde_json::to_string(value).unwrap();
    assert_eq!(wire, format!("\"{expected}\""), "{name} on the wire");
    (name, value.to_string(), format!("{value:?}"), wire)
}

/// The same, for types without `Display`.
fn debug_row<T: std::fmt::Debug + serde::Serialize>(
    name: &'static str,
    value: &T,
    expected: &str,
) -> (&'static str, String, String, String) {
    let wire = serde_json::to_string(value).unwrap();
    assert_eq!(wire, format!("\"{expected}\""), "{name} on the wire");
    (name, format!("{value:?}"), format!("{value:?}"), wire)
}

/// `planted` with each canary moved to a place where masking used to miss it: as a JSON number
/// (digits only), inside an array, inside an object (as a value and as a key), as the value of
/// a misspelled member, and as an undeclared member's name. One payload per place.
///
/// The first canary is also written into every other string value of its object and of the
/// objects in it (a URL, an enum, free text, a map's values), as the whole value and inside a
/// URL (user information, query, fragment, a path segment): where a value is shown only when
/// it is one of its declared type. One payload per spelling.
fn odd_placements(planted: &Value, canaries: &[Canary]) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    if let Some(canary) = canaries.first() {
        let parent = canary
            .pointer
            .rsplit_once('/')
            .map_or("", |(parent, _)| parent);
        let secret = &canary.value;
        let spellings = [
            ("the whole value", secret.clone()),
            (
                "URL user information",
                format!("https://{secret}@example.com/back"),
            ),
            (
                "URL query",
                format!("https://example.com/back?cpf={secret}&x=1"),
            ),
            ("URL fragment", format!("https://example.com/back#{secret}")),
            (
                "URL path segment",
                format!("https://example.com/clientes/{secret}/ok"),
            ),
        ];
        for (what, spelling) in spellings {
            let mut payload = planted.clone();
            let mut replaced = 0;
            if let Some(Value::Object(members)) = payload.pointer_mut(parent) {
                for (name, value) in members.iter_mut() {
                    if canary.pointer == format!("{parent}/{name}") {
                        continue;
                    }
                    let inner = match value {
                        Value::Object(inner) => inner.values_mut().collect::<Vec<_>>(),
                        other => vec![other],
                    };
                    for slot in inner.into_iter().filter(|v| v.is_string()) {
                        *slot = Value::from(spelling.clone());
                        replaced += 1;
                    }
                }
            }
            if replaced > 0 {
                out.push((
                    format!("{what} in the strings beside {}", canary.pointer),
                    payload,
                ));
            }
        }
    }
    for canary in canaries {
        let (parent, last) = canary
            .pointer
            .rsplit_once('/')
            .unwrap_or(("", canary.pointer.as_str()));
        let digits: String = canary.value.chars().filter(char::is_ascii_digit).collect();
        let mut placed = |what: &str, new: Value| {
            let mut payload = planted.clone();
            if let Some(slot) = payload.pointer_mut(&canary.pointer) {
                *slot = new;
                out.push((format!("{what} at {}", canary.pointer), payload));
            }
        };
        if let Ok(number) = digits.parse::<u64>() {
            placed("a number", Value::from(number));
        }
        placed("an array", Value::from(vec![canary.value.clone()]));
        let mut object = serde_json::Map::new();
        object.insert("nested".to_owned(), Value::from(canary.value.clone()));
        object.insert(canary.value.clone(), Value::from(1));
        placed("an object", Value::Object(object));
        // Beside the canary's member: a misspelled copy and a member named by the canary.
        let mut payload = planted.clone();
        if let Some(Value::Object(members)) = payload.pointer_mut(parent) {
            let misspelled: String = last
                .chars()
                .rev()
                .enumerate()
                .map(|(i, c)| if i == 0 { c.to_ascii_uppercase() } else { c })
                .collect::<Vec<char>>()
                .into_iter()
                .rev()
                .collect();
            let misspelled = if misspelled == last {
                format!("{last}X")
            } else {
                misspelled
            };
            members.insert(misspelled, Value::from(canary.value.clone()));
            members.insert(canary.value.clone(), Value::from(canary.value.clone()));
            out.push((
                format!("undeclared names beside {}", canary.pointer),
                payload,
            ));
        }
    }
    out
}

#[test]
fn the_cli_never_prints_personal_values_wherever_they_are_placed() {
    let directory = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("privacy-odd");
    std::fs::create_dir_all(&directory).unwrap();
    let mut runs = 0;
    for info in registry::messages() {
        let Some((planted_value, canaries)) = instances(info).iter().find_map(|instance| {
            let mut value = instance.clone();
            let canaries = privacy::plant(&schema(info), &mut value, Validity::Invalid);
            (!canaries.is_empty()).then_some((value, canaries))
        }) else {
            continue;
        };
        let payloads = odd_placements(&planted_value, &canaries);
        let mut fixtures = Vec::new();
        let mut lines = Vec::new();
        for (index, (what, payload)) in payloads.iter().enumerate() {
            let bytes = serde_json::to_vec_pretty(payload).unwrap();
            let file = directory.join(format!("odd{index}.{}.json", info.id));
            std::fs::write(&file, &bytes).unwrap();
            for format in ["human", "json", "github"] {
                let file = file.to_str().unwrap();
                let context = format!("klavi validate {} --format {format}: {what}", info.id);
                run_cli(
                    &["validate", info.id, "--format", format, file],
                    &context,
                    &canaries,
                );
                runs += 1;
            }
            lines.push(serde_json::to_vec(payload).unwrap());
            fixtures.push(file.to_str().unwrap().to_owned());
        }
        let jsonl = directory.join(format!("odd.{}.jsonl", info.id));
        std::fs::write(&jsonl, lines.join(&b'\n')).unwrap();
        for format in ["human", "json", "github"] {
            let jsonl = jsonl.to_str().unwrap();
            let context = format!("klavi validate {} --jsonl --format {format}", info.id);
            run_cli(
                &["validate", info.id, "--jsonl", "--format", format, jsonl],
                &context,
                &canaries,
            );
            runs += 1;
        }
        let mut args = vec!["check-fixtures"];
        args.extend(fixtures.iter().map(String::as_str));
        run_cli(
            &args,
            &format!("klavi check-fixtures ({})", info.id),
            &canaries,
        );
        runs += 1;
    }
    assert!(runs >= 200, "only {runs} CLI runs");
}

#[test]
fn undeclared_names_and_map_keys_never_reach_pointers_or_messages() {
    let cpf = "52998224725";
    let email = "maria.canary@example.com";
    let payload = format!(
        "{{\"{cpf}\": 1, \"productsCallbackURL\": {{\"{email}\": \"https://x.com/a\"}}, \
         \"personalTaxID\": \"529.982.247-25\"}}"
    );
    let canaries = [
        Canary {
            pointer: "/".to_owned() + cpf,
            kind: Kind::Cpf,
            value: cpf.to_owned(),
        },
        Canary {
            pointer: "/productsCallbackURL".to_owned(),
            kind: Kind::Email,
            value: email.to_owned(),
        },
    ];
    let file = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("names.create-link.request.json");
    std::fs::write(&file, &payload).unwrap();
    let file = file.to_str().unwrap();
    for format in ["human", "json", "github"] {
        let status = run_cli(
            &["validate", "create-link.request", "--format", format, file],
            &format!("undeclared names, --format {format}"),
            &canaries,
        );
        assert_eq!(status, 1);
    }
    // The diagnostics' own violations (Display, Debug) redact the names; the pointer itself
    // stays exact for programs.
    let violations = Diagnostics::new()
        .check("create-link.request", payload.as_bytes())
        .unwrap();
    assert!(violations.iter().any(|v| v.pointer() == format!("/{cpf}")));
    for violation in &violations {
        let shown = format!("{violation} {violation:?} {}", violation.message());
        assert_not_shown(&canaries, &shown, "a violation");
    }
}
