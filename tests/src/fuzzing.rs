//! The bodies of the fuzz targets in `fuzz/` (cargo-fuzz, libFuzzer), kept here so that the
//! workspace tests replay every corpus on the stable toolchain (`tests/tests/it/fuzz_corpus.rs`)
//! and the fuzz crate stays a list of one-line targets.
//!
//! Each target takes arbitrary bytes. Besides "never panics" (a panic is libFuzzer's crash),
//! each asserts the properties that must hold on any input: the two views of a message agree,
//! canonical output is accepted again and is a fixed point, tax-id errors never echo the input,
//! a signature made is a signature verified, every byte of a JSON Lines stream is accounted
//! for. An assertion failure is a finding.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use crate::lists::assert_same_list;
use klavi_types::diagnostics::Diagnostics;
use klavi_types::registry::{self, MessageInfo};
use klavi_types::secret::Secret;
use klavi_types::tax_id::{Cnpj, Cpf, TaxId, TaxIdError, Unverified, normalize};
use klavi_types::validation::{ValidationErrors, code_info};
use klavi_types::webhook_signature::{self, SignatureError, Verifier};

/// A fuzz target: its name (the `fuzz/fuzz_targets/NAME.rs` file and corpus folder) and body.
pub struct Target {
    /// Name of the target and of its corpus folder `fuzz/corpus/NAME`.
    pub name: &'static str,
    /// The body: must not panic on any input.
    pub run: fn(&[u8]),
}

/// Every fuzz target.
pub const TARGETS: &[Target] = &[
    Target {
        name: "message",
        run: message,
    },
    Target {
        name: "tax_id",
        run: tax_id,
    },
    Target {
        name: "webhook_signature",
        run: webhook_signature,
    },
    Target {
        name: "jsonl",
        run: jsonl,
    },
    Target {
        name: "docs_block",
        run: docs_block,
    },
    Target {
        name: "redirect_query",
        run: redirect_query,
    },
    Target {
        name: "report",
        run: report,
    },
];

/// Every message of the registry, in a fixed order (the first input byte picks one).
pub fn all_messages() -> &'static [&'static MessageInfo] {
    static MESSAGES: OnceLock<Vec<&'static MessageInfo>> = OnceLock::new();
    MESSAGES.get_or_init(|| registry::messages().collect())
}

/// The message picked by `selector` (any byte picks one).
pub fn message_for(selector: u8) -> &'static MessageInfo {
    let messages = all_messages();
    messages[usize::from(selector) % messages.len()]
}

fn diagnostics() -> &'static Diagnostics {
    static DIAGNOSTICS: OnceLock<Diagnostics> = OnceLock::new();
    DIAGNOSTICS.get_or_init(Diagnostics::new)
}

/// Every violation has a pointer (empty or starting with `/`), a registered code and a message.
fn assert_well_formed(errors: &ValidationErrors) {
    assert!(!errors.is_empty(), "an error without violations");
    for violation in errors {
        let pointer = violation.pointer();
        assert!(
            pointer.is_empty() || pointer.starts_with('/'),
            "pointer {pointer:?}"
        );
        assert!(
            code_info(violation.code()).is_some(),
            "unregistered code {}",
            violation.code()
        );
        assert!(!violation.message().is_empty(), "empty message");
        let _ = violation.to_string();
    }
}

/// The typed check and the canonical form of `bytes` as message `info`, after asserting that
/// they and the `Debug` rendering agree on the verdict.
pub fn typed_views(
    info: &MessageInfo,
    bytes: &[u8],
) -> (
    Result<(), ValidationErrors>,
    Result<serde_json::Value, ValidationErrors>,
) {
    let checked = (info.check)(bytes);
    let canonical = (info.canonical)(bytes);
    let debug = (info.debug)(bytes);
    assert_eq!(
        checked.is_ok(),
        canonical.is_ok(),
        "{}: check vs canonical",
        info.id
    );
    assert_eq!(
        checked.is_ok(),
        debug.is_ok(),
        "{}: check vs debug",
        info.id
    );
    (checked, canonical)
}

/// First byte: the message; the rest: its JSON. The typed check, the canonical form and the
/// `Debug` rendering agree on the verdict; a canonical form is accepted again and is a fixed
/// point; violations are well formed; the `jsonschema` diagnostics never panic either, and the
/// compiled check (`check_json`) gives their verdict and list.
pub fn message(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let info = message_for(selector);
    let (_, canonical) = typed_views(info, bytes);
    match canonical {
        Ok(value) => {
            let again = serde_json::to_vec(&value).expect("a JSON value serializes");
            assert!(
                (info.check)(&again).is_ok(),
                "{}: canonical JSON rejected",
                info.id
            );
            let twice = (info.canonical)(&again).expect("canonical JSON accepted");
            assert_eq!(
                twice, value,
                "{}: canonical JSON is not a fixed point",
                info.id
            );
        }
        Err(errors) => assert_well_formed(&errors),
    }
    let compiled = (info.check_json)(bytes);
    if let Err(errors) = &compiled {
        assert_well_formed(errors);
    }
    if let Ok(violations) = diagnostics().check(info.id, bytes) {
        for violation in &violations {
            assert!(
                code_info(violation.code()).is_some(),
                "{}",
                violation.code()
            );
        }
        // The compiled check gives the diagnostics' verdict, and their list (pointer and
        // code) unless either was cut at the limit.
        let compiled = compiled.err().unwrap_or_default();
        assert_same_list(compiled.as_slice(), &violations, info.id);
    }
}

/// Whether `error`'s message could be said to echo `input` (a run of six or more digits of it).
fn echoes(error: &TaxIdError, input: &str) -> bool {
    input.bytes().filter(u8::is_ascii_digit).count() >= 6 && error.to_string().contains(input)
}

/// Bytes as a string: the strict parsers, the normalizers and the either-kind parser agree
/// with `is_valid`; an accepted id round-trips through its bare and formatted spellings and is
/// masked in `Debug`/`Display`; an error never echoes the input.
pub fn tax_id(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for input in [
        text.as_ref(),
        &normalize::serpro(&text),
        &normalize::loose(&text),
    ] {
        match Cpf::parse(input) {
            Ok(cpf) => {
                assert!(Cpf::is_valid(input));
                assert_eq!(Cpf::parse(cpf.as_str()), Ok(cpf));
                assert_eq!(Cpf::parse(&cpf.to_formatted_string()), Ok(cpf));
                assert!(!format!("{cpf:?}{cpf}").contains(cpf.as_str()));
            }
            Err(error) => {
                assert!(!Cpf::is_valid(input));
                assert!(code_info(error.code()).is_some(), "{}", error.code());
                assert!(!echoes(&error, input), "the error echoes the input");
            }
        }
        match Cnpj::parse(input) {
            Ok(cnpj) => {
                assert!(Cnpj::is_valid(input));
                assert_eq!(Cnpj::parse(cnpj.as_str()), Ok(cnpj));
                assert_eq!(Cnpj::parse(&cnpj.to_formatted_string()), Ok(cnpj));
                assert!(!format!("{cnpj:?}{cnpj}").contains(cnpj.as_str()));
            }
            Err(error) => {
                assert!(!Cnpj::is_valid(input));
                assert!(code_info(error.code()).is_some(), "{}", error.code());
                assert!(!echoes(&error, input), "the error echoes the input");
            }
        }
        let either = TaxId::parse_any(input);
        assert_eq!(either.is_ok(), TaxId::is_valid(input));
        assert_eq!(
            either.is_ok(),
            Cpf::is_valid(input) || Cnpj::is_valid(input)
        );
        let unverified = Unverified::<Cpf>::new(input);
        assert_eq!(unverified.as_received(), input);
        let _ = (unverified.parse(), format!("{unverified:?}"));
    }
}

/// Bytes split at `0xFF` into secret, signature, timestamp and body: verification never panics
/// and accepts only the signature [`webhook_signature::sign`] makes (in either hex case); a
/// signature made verifies, and one flipped body byte makes it fail.
pub fn webhook_signature(data: &[u8]) {
    let mut parts = data.splitn(4, |&b| b == 0xFF);
    let secret = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let signature = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let timestamp = parts.next().map(String::from_utf8_lossy);
    let body = parts.next().unwrap_or_default();
    let secret = Secret::new(secret.into_owned());
    let expected = webhook_signature::sign(&secret, body);
    match webhook_signature::verify(&secret, body, &signature) {
        Ok(()) => assert!(signature.trim_ascii().eq_ignore_ascii_case(&expected)),
        Err(error) => assert!(!error.code().is_empty() && !error.message().is_empty()),
    }
    assert_eq!(webhook_signature::verify(&secret, body, &expected), Ok(()));
    let verifier = Verifier::new(secret.clone()).with_tolerance(Duration::from_secs(300));
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let verdict = verifier.verify(body, &expected, timestamp.as_deref(), now);
    if timestamp.is_none() {
        assert_eq!(verdict, Err(SignatureError::MissingTimestamp));
    }
    if let Some((first, rest)) = body.split_first() {
        let mut flipped = Vec::with_capacity(body.len());
        flipped.push(first ^ 1);
        flipped.extend_from_slice(rest);
        assert_eq!(
            webhook_signature::verify(&secret, &flipped, &expected),
            Err(SignatureError::Mismatch)
        );
    }
}

/// First byte: the message; the rest: a JSON Lines stream. Every byte is counted, every line
/// is valid or invalid, and each invalid line reports well-formed violations.
pub fn jsonl(data: &[u8]) {
    let Some((&selector, stream)) = data.split_first() else {
        return;
    };
    let info = message_for(selector);
    let mut reported = 0u64;
    let summary = klavi_cli::jsonl::validate_lines(
        std::io::Cursor::new(stream.to_vec()),
        info,
        |line| {
            reported += 1;
            assert!(
                !line.errors.is_empty(),
                "an invalid line without violations"
            );
            let mut out = Vec::new();
            for output in [
                klavi_cli::jsonl::Output::Human,
                klavi_cli::jsonl::Output::Json,
                klavi_cli::jsonl::Output::Github(Some("f.jsonl")),
            ] {
                klavi_cli::jsonl::write_result(&mut out, line, output)
                    .expect("writing to memory cannot fail");
            }
            assert_one_result_per_line(&out);
            Ok(())
        },
        |_| Ok(()),
    )
    .map_err(|error| format!("{error:?}"))
    .expect("reading from memory cannot fail");
    assert_eq!(summary.bytes, stream.len() as u64);
    assert_eq!(summary.valid + summary.invalid, summary.lines);
    assert_eq!(summary.invalid, reported);
}

/// Output lines hold no character that could break or forge a line, or drive a terminal.
fn assert_one_result_per_line(out: &[u8]) {
    let text = std::str::from_utf8(out).expect("output is UTF-8");
    for line in text.lines() {
        assert!(
            !line.chars().any(klavi_cli::text::is_unsafe_char),
            "an unsafe character in {line:?}"
        );
    }
}

/// The pointer of every value in `value`, parents first.
fn pointers_in(value: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = vec![(String::new(), value)];
    while let Some((pointer, value)) = pending.pop() {
        match value {
            serde_json::Value::Object(members) => {
                for (name, member) in members {
                    let mut child = pointer.clone();
                    klavi_types::validation::pointer::push_token(&mut child, name);
                    pending.push((child, member));
                }
            }
            serde_json::Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    pending.push((format!("{pointer}/{index}"), item));
                }
            }
            _ => {}
        }
        out.push(pointer);
    }
    out
}

/// The codes a fuzzed violation may have: each located its own way.
const REPORT_CODES: &[&str] = &[
    "invalid_json",
    "unknown_field",
    "duplicate_member",
    "required",
    "type",
    "cpf_check_digit",
];

/// First byte: the message; then the payload, up to a `0xFF` byte; then violations separated
/// by `0x00`, each a code selector byte and a pointer. Locating, masking and rendering them in
/// every format never panics, stays linear (a frame is a few bounded lines) and prints no
/// unsafe character.
pub fn report(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let info = message_for(selector);
    let (source, specs) = match rest.iter().position(|&b| b == 0xFF) {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[][..]),
    };
    let violations: Vec<klavi_types::validation::Violation> = specs
        .split(|&b| b == 0)
        .filter_map(|spec| {
            let (&code, pointer) = spec.split_first()?;
            let code = REPORT_CODES[usize::from(code) % REPORT_CODES.len()];
            Some(klavi_types::validation::Violation::new(
                String::from_utf8_lossy(pointer).into_owned(),
                code,
                "a message",
            ))
        })
        .collect();
    let located = klavi_cli::report::locate_violations(source, &violations);
    assert_eq!(located.len(), violations.len());
    let masking = klavi_cli::report::masking_for(info.id, source);
    let human = klavi_cli::render::human(
        info.id,
        "f.json",
        source,
        &located,
        &masking,
        klavi_cli::render::Style::default(),
    );
    assert_one_result_per_line(human.as_bytes());
    // A frame line is a gutter, `...`, the window and `...`; a marker line adds its label (at
    // most a member name of 64 characters, in a sentence).
    let bound = klavi_cli::render::WINDOW + 24;
    let is_frame_line = |line: &&str| {
        let gutter = line.trim_start();
        let digits = gutter.bytes().take_while(u8::is_ascii_digit).count();
        gutter[digits..].starts_with(" | ") || gutter.starts_with("| ")
    };
    for line in human.lines().filter(is_frame_line) {
        let label = if line.contains('^') { 128 } else { 0 };
        assert!(
            line.chars().count() <= bound + label,
            "a frame line longer than its window: {line:?}"
        );
    }
    assert!(human.lines().count() <= 2 + 8 * violations.len());
    let github = klavi_cli::render::github(Some("f.json"), None, &located);
    assert_one_result_per_line(github.as_bytes());
    assert_eq!(github.lines().count(), violations.len());
}

/// The schemas of this workspace, loaded once (for the docs importer).
fn documents() -> &'static klavi_schema::load::Documents {
    static DOCUMENTS: OnceLock<klavi_schema::load::Documents> = OnceLock::new();
    DOCUMENTS.get_or_init(|| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas");
        let mut source = klavi_schema::load::DirSource::new(root);
        klavi_schema::load::load(&mut source, "endpoints.json").expect("the schemas load")
    })
}

/// Bytes as a kept copy of the docs, an API block or a page (`klavi docs check` and `klavi
/// docs import`): both readers (a page cut off or whole), the header, the drift check against
/// every endpoint and the import, with and without schemas, never panic.
pub fn docs_block(data: &[u8]) {
    use klavi_cli::docs;
    let text = String::from_utf8_lossy(data);
    let endpoints = &documents().index().endpoints;
    // The endpoint a kept copy would be named after: any of them, picked by the first byte.
    let endpoint = &endpoints[usize::from(data.first().copied().unwrap_or(0)) % endpoints.len()];
    for truncated in [false, true] {
        let page = docs::parse_page(&text, truncated);
        let _ = docs::compare(documents(), endpoint, &page);
        let _ = docs::import(Some(documents()), Some(endpoint), &page, &[]);
        let _ = docs::import(None, None, &page, &[]);
    }
    for file in [
        "x.page.txt",
        "create-link.page-2.txt",
        "create-link.block.txt",
    ] {
        if let Ok(copy) = docs::read_copy(file, &text) {
            let _ = docs::survey(documents(), vec![copy], &[]);
        }
    }
    let Ok(block) = docs::parse_block(&text) else {
        return;
    };
    let _ = docs::check(documents(), &block);
    let _ = docs::import(Some(documents()), None, &block, &[]);
    let _ = docs::import(None, None, &block, &[]);
}

/// Bytes as the query string of a success or failure redirect: the typed parsers never panic
/// and report well-formed violations.
pub fn redirect_query(data: &[u8]) {
    let query = String::from_utf8_lossy(data);
    if let Err(errors) = klavi_types::links::LinkRedirect::from_query_string(&query) {
        assert_well_formed(&errors);
    }
    if let Err(errors) = klavi_types::consents::ConsentRedirect::from_query_string(&query) {
        assert_well_formed(&errors);
    }
}

/// The examples of a message (`MessageInfo::examples`), as compact JSON.
fn examples_of(info: &MessageInfo) -> Vec<Vec<u8>> {
    info.examples()
        .iter()
        .map(|example| serde_json::to_vec(example).expect("serializes"))
        .collect()
}

/// The seed inputs of `target`, taken from the schemas' examples and the kept docs blocks, so
/// that fuzzing starts from realistic payloads: `cargo run -p klavi-tests --bin fuzz-seeds`
/// writes them to `fuzz/seeds/`, and the corpus replay test runs them directly.
pub fn seeds(target: &str) -> Vec<Vec<u8>> {
    let messages = all_messages();
    let selected = |index: usize, bytes: &[u8]| {
        let mut seed = vec![u8::try_from(index).expect("fewer than 256 messages")];
        seed.extend_from_slice(bytes);
        seed
    };
    match target {
        "message" => messages
            .iter()
            .enumerate()
            .flat_map(|(index, info)| {
                examples_of(info)
                    .into_iter()
                    .map(move |example| selected(index, &example))
            })
            .collect(),
        "jsonl" => messages
            .iter()
            .enumerate()
            .map(|(index, info)| {
                let mut stream = Vec::new();
                for example in examples_of(info) {
                    stream.extend_from_slice(&example);
                    stream.extend_from_slice(b"\r\n\n");
                }
                stream.extend_from_slice(b"{}\n[1, \n");
                selected(index, &stream)
            })
            .collect(),
        "report" => messages
            .iter()
            .enumerate()
            .flat_map(|(index, info)| {
                examples_of(info).into_iter().map(move |example| {
                    let mut seed = example.clone();
                    seed.push(0xFF);
                    let value: serde_json::Value =
                        serde_json::from_slice(&example).unwrap_or_default();
                    for (n, pointer) in pointers_in(&value).into_iter().take(24).enumerate() {
                        seed.push(u8::try_from(n % 6).unwrap_or(0));
                        seed.extend_from_slice(pointer.as_bytes());
                        seed.push(0);
                    }
                    selected(index, &seed)
                })
            })
            .chain([
                // A long line of tabs, a minified payload, a broken one, hostile names.
                selected(0, &{
                    let mut seed = format!("{{{}\"email\": \"bad\"}}", "\t".repeat(17_000)).into_bytes();
                    seed.extend_from_slice(b"\xFF\x04/email");
                    seed
                }),
                selected(0, b"{\"52998224725\": 1, \"a\nb\": {\"\\u001b[2J\": 2}, \"x\": [1, 2,]\xFF\x00\x00\x01/52998224725\x00\x02/x\x00\x03/a\nb/q"),
            ])
            .collect(),
        "tax_id" => {
            let cpf = Cpf::from_base(b"123456789").expect("a CPF base");
            let cnpj = Cnpj::from_base(b"112223330001").expect("a CNPJ base");
            let alphanumeric = Cnpj::from_base(b"12ABC34501DE").expect("an alphanumeric base");
            let mut seeds: Vec<String> = [cpf.as_str(), cnpj.as_str(), alphanumeric.as_str()]
                .into_iter()
                .flat_map(|id| [id.to_owned(), id.to_ascii_lowercase(), format!(" {id} ")])
                .collect();
            seeds.extend([
                cpf.to_formatted_string(),
                cnpj.to_formatted_string(),
                alphanumeric.to_formatted_string(),
                "111.111.111-11".to_owned(),
                "00000000000000".to_owned(),
                "123.456.78909".to_owned(),
                "１２３４５６７８９０９".to_owned(),
            ]);
            seeds.into_iter().map(String::into_bytes).collect()
        }
        "webhook_signature" => {
            let body = br#"{"eventName":"link_created","eventTime":"2024-01-01T00:00:00Z"}"#;
            let secret = Secret::new("whsec-example");
            let signature = webhook_signature::sign(&secret, body);
            [Some("1700000000"), Some(" 1700000100 "), None]
                .into_iter()
                .map(|timestamp| {
                    let mut seed = b"whsec-example\xFF".to_vec();
                    seed.extend_from_slice(signature.as_bytes());
                    seed.push(0xFF);
                    if let Some(timestamp) = timestamp {
                        seed.extend_from_slice(timestamp.as_bytes());
                        seed.push(0xFF);
                    }
                    seed.extend_from_slice(body);
                    seed
                })
                .collect()
        }
        // Every kept copy, blocks and pages.
        "docs_block" => {
            let dir = format!("{}/../schemas/docs", env!("CARGO_MANIFEST_DIR"));
            let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
                .unwrap_or_else(|error| panic!("{dir}: {error}"))
                .map(|entry| entry.expect("a directory entry").path())
                .filter(|path| path.extension().is_some_and(|e| e == "txt"))
                .collect();
            files.sort();
            files
                .iter()
                .map(|path| std::fs::read(path).unwrap_or_else(|error| panic!("{path:?}: {error}")))
                .collect()
        }
        "redirect_query" => ["link-redirect.query", "consent-redirect.query"]
            .into_iter()
            .flat_map(|id| {
                let info = registry::message(id).expect("a redirect message");
                examples_of(info).into_iter().map(|example| {
                    let object: serde_json::Map<String, serde_json::Value> =
                        serde_json::from_slice(&example).expect("an object");
                    let mut query = form_urlencoded::Serializer::new(String::new());
                    for (key, value) in &object {
                        query.append_pair(key, value.as_str().unwrap_or_default());
                    }
                    query.finish().into_bytes()
                })
            })
            .collect(),
        other => panic!("no fuzz target `{other}`"),
    }
}
