//! One verdict, whichever way a payload is checked: the diagnostics ([`Diagnostics::check`])
//! and `klavi validate --jsonl` (a stream, [`validate_lines`], the compiled check) must
//! agree on every payload, and so must the typed check and the schema on every format, since
//! each format has one rule (the runtime type's, registered with `jsonschema`).
//!
//! The corpus: for each format the API uses (e-mail, http(s) URL, absolute URI, CPF, CNPJ,
//! date-time, product name), valid spellings mutated 3,000 times each (characters replaced,
//! inserted, deleted, doubled; punycode `xn--` labels, percent signs, separators, non-ASCII
//! letters, upper and lower case), each planted in the member of a message that uses it. The
//! library-level comparison runs the whole corpus; the CLI-level one runs a sample through the
//! `klavi` binary itself, once per payload and once as a JSON Lines stream.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::process::{Command, Stdio};

use klavi_cli::jsonl::validate_lines;
use klavi_types::diagnostics::{Diagnostics, validator_for};
use klavi_types::registry;
use serde_json::{Value, json};

/// Mutations per format.
const MUTATIONS: usize = 3_000;

/// Payloads per format that also go through the `klavi` binary.
const CLI_SAMPLE: usize = 40;

/// A format: where it is planted and the valid spellings it starts from.
struct Format {
    name: &'static str,
    message: &'static str,
    plant: fn(&str) -> Value,
    seeds: &'static [&'static str],
}

const FORMATS: &[Format] = &[
    Format {
        name: "e-mail",
        message: "create-link.request",
        plant: |text| json!({"email": text}),
        seeds: &[
            "maria@example.com",
            "a.b+c@x.com.br",
            "a@xn--a.com",
            "a@xn--ls8h.la",
            "x@[127.0.0.1]",
            "\"a b\"@x.com",
            "o'neil@a-b.io",
        ],
    },
    Format {
        name: "http(s) URL",
        message: "create-link.request",
        plant: |text| json!({"redirectURL": text}),
        seeds: &[
            "https://www.yourdomain.com/klavi/return?a=1#f",
            "http://127.0.0.1:8080/x",
            "https://xn--bcher-kva.example/p%20q",
            "https://user@host.com/",
        ],
    },
    Format {
        name: "absolute URI",
        message: "create-link.request",
        plant: |text| json!({"appLink": text, "appRedirectURLKey": "k"}),
        seeds: &[
            "myapp://klavi/callback",
            "urn:isbn:0451450523",
            "mailto:a@b.com",
            "https://[::1]:443/a",
        ],
    },
    Format {
        name: "CPF",
        message: "create-link.request",
        plant: |text| json!({"personalTaxId": text}),
        seeds: &["28001238938", "280.012.389-38", "16109277672"],
    },
    Format {
        name: "CNPJ",
        message: "create-link.request",
        plant: |text| json!({"businessTaxId": text}),
        seeds: &["12ABC34501DE35", "12.ABC.345/01DE-35", "11222333000181"],
    },
    Format {
        name: "date-time",
        message: "get-consent.response",
        plant: |text| {
            let mut value: Value = serde_json::from_str(
                r#"{"consentId": "c", "linkId": "l", "externalTrackId": "e", "personalTaxId": "",
                    "businessTaxId": "", "institutionCode": "001", "status": "AUTHORISED",
                    "permissionsApply": [], "permissionsGranted": [],
                    "expireAt": "2024-12-07T23:59:59.999Z", "updatedAt": "2023-12-08T11:29:50Z"}"#,
            )
            .expect("JSON");
            value["createdAt"] = Value::from(text);
            value
        },
        seeds: &[
            "2023-12-08T09:19:19.253Z",
            "2023-12-08T09:19:19Z",
            "2024-02-29T23:59:59.123456789Z",
            "2023-12-31T23:59:60Z",
        ],
    },
    Format {
        name: "product name",
        message: "request-personal-user-report.request",
        plant: |text| json!({"taxId": "28001238938", "linkId": "l", "products": [text]}),
        seeds: &["pf_checking_account", "all", "pf_credit_card", "other"],
    },
];

/// Characters mutations draw from: what makes formats subtle.
const ALPHABET: &[char] = &[
    'a', 'Z', '0', '9', '-', '.', '@', ':', '/', '%', '_', '+', '~', '[', ']', '"', ' ', 'é', 'x',
    'n', '#', '?', 'T', 'z', '\'', ',', '\\',
];

/// A small deterministic generator (the corpus is the same every run).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// `seed` changed one to three times.
fn mutate(seed: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = seed.chars().collect();
    for _ in 0..=rng.below(3) {
        let at = rng.below(chars.len() + 1);
        let c = ALPHABET[rng.below(ALPHABET.len())];
        match rng.below(6) {
            0 if at < chars.len() => chars[at] = c,
            1 => chars.insert(at, c),
            2 if at < chars.len() => {
                chars.remove(at);
            }
            3 if at < chars.len() => {
                let doubled = chars[at];
                chars.insert(at, doubled);
            }
            4 => {
                for (i, p) in "xn--".chars().enumerate() {
                    chars.insert((at + i).min(chars.len()), p);
                }
            }
            _ if at < chars.len() => chars[at] = chars[at].to_ascii_uppercase(),
            _ => chars.push(c),
        }
    }
    chars.into_iter().collect()
}

/// The corpus of one format: its seeds and their mutations, as one-line payloads.
fn corpus(format: &Format) -> Vec<Vec<u8>> {
    let mut rng = Rng(0x006b_6c61_7669 ^ format.name.len() as u64);
    let mut texts: Vec<String> = format.seeds.iter().map(|s| (*s).to_owned()).collect();
    for i in 0..MUTATIONS {
        let seed = format.seeds[i % format.seeds.len()];
        texts.push(mutate(seed, &mut rng));
    }
    texts
        .iter()
        .map(|text| serde_json::to_vec(&(format.plant)(text)).expect("JSON"))
        .collect()
}

/// The line numbers (1-based) `--jsonl`'s reader finds invalid in `lines`.
fn invalid_lines(message: &str, lines: &[Vec<u8>]) -> BTreeSet<u64> {
    let info = registry::message(message).expect("registered");
    let stream = lines.join(&b'\n');
    let mut invalid = BTreeSet::new();
    validate_lines(
        std::io::Cursor::new(stream),
        info,
        |result| {
            invalid.insert(result.line);
            Ok(())
        },
        |_| Ok(()),
    )
    .map_err(|error| format!("{error:?}"))
    .expect("reading from memory");
    invalid
}

#[test]
fn single_and_json_lines_verdicts_agree_on_mutated_formats() {
    let diagnostics = Diagnostics::new();
    let mut report = Vec::new();
    for format in FORMATS {
        let lines = corpus(format);
        let single: BTreeSet<u64> = lines
            .iter()
            .enumerate()
            .filter(|(_, payload)| {
                !diagnostics
                    .check(format.message, payload)
                    .expect("known")
                    .is_empty()
            })
            .map(|(i, _)| i as u64 + 1)
            .collect();
        let batch = invalid_lines(format.message, &lines);
        let disagree: Vec<String> = single
            .symmetric_difference(&batch)
            .take(5)
            .map(|&line| String::from_utf8_lossy(&lines[line as usize - 1]).into_owned())
            .collect();
        assert!(
            disagree.is_empty(),
            "{}: single and JSON Lines verdicts differ on {} payloads, such as {disagree:#?}",
            format.name,
            single.symmetric_difference(&batch).count()
        );
        report.push(format!(
            "{}: {} payloads, {} invalid",
            format.name,
            lines.len(),
            single.len()
        ));
        // Both verdicts are not trivially equal: the corpus holds valid and invalid payloads.
        assert!(
            single.len() > lines.len() / 10,
            "{}: too few invalid",
            format.name
        );
        assert!(single.len() < lines.len(), "{}: nothing valid", format.name);
    }
    eprintln!("{}", report.join("\n"));
}

#[test]
fn the_typed_check_and_the_schema_share_each_format_rule() {
    for format in FORMATS {
        let info = registry::message(format.message).expect("registered");
        let schema: Value = serde_json::from_str(info.schema).expect("JSON");
        let oracle = validator_for(&schema).expect("compiles");
        for payload in corpus(format) {
            let value: Value = serde_json::from_slice(&payload).expect("JSON");
            assert_eq!(
                (info.check)(&payload).is_ok(),
                oracle.is_valid(&value),
                "{}: {}",
                format.name,
                String::from_utf8_lossy(&payload)
            );
        }
    }
}

/// Runs the `klavi` binary with `input` on its standard input.
fn klavi_with_stdin(args: &[&str], input: &[u8]) -> std::process::Output {
    let mut child = Command::new(klavi_tests::binary::klavi())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("klavi runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("written");
    child.wait_with_output().expect("klavi ends")
}

#[test]
fn the_klavi_binary_gives_one_verdict_per_payload_either_way() {
    for format in FORMATS {
        let lines: Vec<Vec<u8>> = corpus(format).into_iter().take(CLI_SAMPLE).collect();
        let mut single = BTreeSet::new();
        for (i, payload) in lines.iter().enumerate() {
            let output =
                klavi_with_stdin(&["validate", format.message, "--format", "json"], payload);
            match output.status.code() {
                Some(0) => {}
                Some(1) => {
                    single.insert(i as u64 + 1);
                }
                other => panic!("{}: exit status {other:?}", format.name),
            }
        }
        let output = klavi_with_stdin(
            &["validate", format.message, "--jsonl", "--format", "json"],
            &lines.join(&b'\n'),
        );
        let batch: BTreeSet<u64> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| {
                serde_json::from_str::<Value>(line)
                    .ok()?
                    .get("line")?
                    .as_u64()
            })
            .collect();
        assert_eq!(single, batch, "{}", format.name);
        assert_eq!(
            output.status.code(),
            Some(if single.is_empty() { 0 } else { 1 }),
            "{}",
            format.name
        );
    }
}
