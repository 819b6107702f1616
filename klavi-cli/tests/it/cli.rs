//! End-to-end tests of the `klavi` binary: exit statuses, JSON and human output, privacy of
//! payload values and tax ids, and snapshots of the human reports.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

/// The workspace root, where `examples/payloads/` lives.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the crate lies inside the workspace")
        .to_path_buf()
}

/// `klavi` run from the workspace root, so that example paths are short and stable.
fn klavi() -> Command {
    let mut command = Command::cargo_bin("klavi").expect("the klavi binary is built");
    command.current_dir(root());
    command
}

const VALID: &str = "examples/payloads/create-link.request.json";
const INVALID: &str = "examples/payloads/create-link.invalid.json";

/// Runs `klavi` with `args` and returns (exit status, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let output = klavi().args(args).output().expect("klavi runs");
    (
        output.status.code().expect("klavi exits normally"),
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    )
}

/// Parses one line of JSON output.
fn json(stdout: &str) -> Value {
    assert!(
        stdout.ends_with('\n'),
        "JSON output ends with a newline: {stdout:?}"
    );
    assert_eq!(
        stdout.lines().count(),
        1,
        "JSON output is one line: {stdout:?}"
    );
    serde_json::from_str(stdout).expect("stdout is JSON")
}

fn pairs(report: &Value) -> BTreeSet<(String, String)> {
    report["errors"]
        .as_array()
        .expect("errors is an array")
        .iter()
        .map(|e| {
            (
                e["pointer"].as_str().expect("pointer").to_owned(),
                e["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// validate

#[test]
fn validate_accepts_the_valid_example() {
    klavi()
        .args(["validate", "create-link.request", VALID])
        .assert()
        .code(0)
        .stdout(format!("valid: create-link.request ({VALID})\n"))
        .stderr("");
}

#[test]
fn validate_json_of_the_valid_example() {
    klavi()
        .args(["validate", "create-link.request", VALID, "--format", "json"])
        .assert()
        .code(0)
        .stdout("{\"valid\": true, \"errors\": []}\n");
}

#[test]
fn validate_accepts_the_other_examples() {
    for (message, file) in [
        (
            "get-consent-list.query",
            "examples/payloads/get-consent-list.query.json",
        ),
        (
            "get-consent-list.response",
            "examples/payloads/get-consent-list.response.json",
        ),
    ] {
        klavi().args(["validate", message, file]).assert().code(0);
    }
}

#[test]
fn validate_reads_stdin_for_dash_and_for_no_file() {
    let payload = std::fs::read(root().join(VALID)).expect("example exists");
    for args in [
        &["validate", "create-link.request", "-"][..],
        &["validate", "create-link.request"][..],
    ] {
        klavi()
            .args(args)
            .write_stdin(payload.clone())
            .assert()
            .code(0)
            .stdout("valid: create-link.request (stdin)\n");
    }
}

#[test]
fn validate_reports_the_five_problems_of_the_invalid_example() {
    let (code, stdout, stderr) = run(&[
        "validate",
        "create-link.request",
        INVALID,
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "stderr: {stderr}");
    let report = json(&stdout);
    assert_eq!(report["valid"], Value::Bool(false));
    let expected: BTreeSet<(String, String)> = [
        ("/personalTaxId", "cpf_check_digit"),
        ("/productsCallbackURL", "mutually_exclusive"),
        ("/appRedirectURLKey", "dependent_required"),
        ("/redirectUrl", "unknown_field"),
        ("/email", "email"),
    ]
    .into_iter()
    .map(|(p, c)| (p.to_owned(), c.to_owned()))
    .collect();
    assert_eq!(pairs(&report), expected);
    // Members in the documented order: pointer, code, message, line, column.
    assert!(
        stdout.starts_with(
            "{\"valid\": false, \"errors\": [{\"pointer\": \"/appRedirectURLKey\", \
             \"code\": \"dependent_required\", \"message\": \"`appRedirectURLKey` is required \
             when `appLink` is present\", \"line\": 1, \"column\": 1}, {\"pointer\": \"/"
        ),
        "{stdout}"
    );
    for error in report["errors"].as_array().into_iter().flatten() {
        assert_eq!(error.as_object().map(|o| o.len()), Some(5), "{error}");
        assert!(!error["message"].as_str().unwrap_or_default().is_empty());
    }
}

#[test]
fn validate_json_gives_the_line_and_column_of_each_violation() {
    let (code, stdout, _) = run(&[
        "validate",
        "create-link.request",
        INVALID,
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let report = json(&stdout);
    let positions: Vec<(&str, Value, Value)> = report["errors"]
        .as_array()
        .expect("errors is an array")
        .iter()
        .map(|e| {
            (
                e["pointer"].as_str().expect("pointer"),
                e["line"].clone(),
                e["column"].clone(),
            )
        })
        .collect();
    // Checked by hand against the file: the missing member at its object's `{`, the unknown
    // member at its key, the others at their values (columns count characters, from 1), in
    // document order.
    assert_eq!(
        positions,
        [
            ("/appRedirectURLKey", 1.into(), 1.into()),
            ("/personalTaxId", 2.into(), 20.into()),
            ("/email", 3.into(), 12.into()),
            ("/redirectUrl", 4.into(), 3.into()),
            ("/productsCallbackURL", 5.into(), 26.into()),
        ]
    );
}

#[test]
fn validate_json_positions_count_characters_and_may_be_unknown() {
    // `é` is two bytes but one column; a CRLF line ending still ends the line.
    let payload = "{\"personalTaxId\": \"é\",\r\n \"email\": \"x\"}";
    let assert = klavi()
        .args(["validate", "create-link.request", "--format", "json"])
        .write_stdin(payload)
        .assert()
        .code(1);
    let report = json(&String::from_utf8_lossy(&assert.get_output().stdout));
    for error in report["errors"].as_array().into_iter().flatten() {
        let position = (error["line"].clone(), error["column"].clone());
        match error["pointer"].as_str().unwrap_or_default() {
            "/personalTaxId" => assert_eq!(position, (1.into(), 19.into()), "{error}"),
            "/email" => assert_eq!(position, (2.into(), 11.into()), "{error}"),
            // Missing members: the root object's `{`.
            _ => assert_eq!(position, (1.into(), 1.into()), "{error}"),
        }
    }
}

#[test]
fn validate_never_echoes_payload_values() {
    for format in ["human", "json", "github"] {
        let output = klavi()
            .env("NO_COLOR", "1")
            .args([
                "validate",
                "create-link.request",
                INVALID,
                "--format",
                format,
            ])
            .output()
            .expect("klavi runs");
        let (code, stdout, stderr) = (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        );
        assert_eq!(code, Some(1));
        for secret in ["123.456.789-00", "12345678900", "not-an-email"] {
            assert!(
                !stdout.contains(secret),
                "{format} stdout leaks {secret}: {stdout}"
            );
            assert!(
                !stderr.contains(secret),
                "{format} stderr leaks {secret}: {stderr}"
            );
        }
    }
}

#[test]
fn validate_human_report_of_the_invalid_example() {
    let output = klavi()
        .env("NO_COLOR", "1")
        .args(["validate", "create-link.request", INVALID])
        .output()
        .expect("klavi runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stderr.is_empty());
    let stdout = String::from_utf8(output.stdout).expect("stdout is UTF-8");
    // Not a terminal: no colors, ASCII drawing.
    assert!(stdout.is_ascii(), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "{stdout}");
    // The masked values keep their length.
    assert!(
        stdout.contains("\"personalTaxId\": \"**************\""),
        "{stdout}"
    );
    assert!(stdout.contains("\"email\": \"************\""), "{stdout}");
    insta::assert_snapshot!("validate_invalid_human", stdout);
}

#[test]
fn validate_github_annotations() {
    let (code, stdout, stderr) = run(&[
        "validate",
        "create-link.request",
        INVALID,
        "--format",
        "github",
    ]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    let file = "file=examples/payloads/create-link.invalid.json";
    let expected = [
        format!(
            "::error {file},line=1,col=1,title=dependent_required::/appRedirectURLKey: \
             `appRedirectURLKey` is required when `appLink` is present"
        ),
        format!(
            "::error {file},line=2,col=20,title=cpf_check_digit::/personalTaxId: the CPF check \
             digits do not match"
        ),
        format!(
            "::error {file},line=3,col=12,title=email::/email: not a valid e-mail address \
             (expected `name@example.com`)"
        ),
        format!(
            "::error {file},line=4,col=3,title=unknown_field::/redirectUrl: `redirectUrl` is not \
             a member of this message; did you mean `redirectURL`?"
        ),
        format!(
            "::error {file},line=5,col=26,title=mutually_exclusive::/productsCallbackURL: `all` \
             cannot be combined with other keys: send `all` alone, or name each key"
        ),
    ];
    assert_eq!(stdout.lines().collect::<Vec<_>>(), expected);
    // Standard input names no file; malformed JSON is located where parsing stopped; a valid
    // payload prints nothing.
    klavi()
        .args(["validate", "create-link.request", "--format", "github"])
        .write_stdin("{\n  \"email\": }")
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "::error line=2,col=12,title=invalid_json::(root): invalid JSON at line 2, column 12: ",
        ));
    klavi()
        .args([
            "validate",
            "create-link.request",
            VALID,
            "--format",
            "github",
        ])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn validate_reports_malformed_json_with_its_position() {
    let assert = klavi()
        .args(["validate", "create-link.request", "--format", "json"])
        .write_stdin("{\"email\": \"secret@example.com\",\n  \"phone\": }")
        .assert()
        .code(1);
    let report = json(&String::from_utf8_lossy(&assert.get_output().stdout));
    assert_eq!(report["valid"], Value::Bool(false));
    assert_eq!(
        pairs(&report),
        BTreeSet::from([(String::new(), "invalid_json".to_owned())])
    );
    let message = report["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("line 2"), "{message}");
    assert_eq!(report["errors"][0]["line"], 2);
    assert_eq!(report["errors"][0]["column"], 12);
    assert!(!message.contains("secret@example.com"), "{message}");

    klavi()
        .args(["validate", "create-link.request"])
        .write_stdin("not json")
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "invalid: create-link.request (stdin): 1 violation\n\nerror[invalid_json]: (root): \
             invalid JSON at line 1, column 2: expected ident\n --> stdin:1:2\n",
        ));
}

#[test]
fn validate_rejects_an_unknown_message_with_a_hint_and_the_usage_line() {
    klavi()
        .args(["validate", "create-link.reqest", VALID])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "unknown message `create-link.reqest`; did you mean `create-link.request`?\n",
        ))
        .stderr(predicate::str::contains(
            "usage: klavi validate <MESSAGE> [FILE|-]",
        ))
        .stderr(predicate::str::contains("`klavi messages`"))
        // Not the list of every id.
        .stderr(predicate::str::contains("get-consent-list.query").not());
    // An unknown message fails before standard input is read.
    klavi()
        .args(["validate", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("usage: klavi validate"));
    klavi()
        .args(["validate", "create-link"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "its messages are: create-link.request, create-link.response",
        ));
    // The file given where the id goes: the order is said.
    klavi()
        .args(["validate", VALID])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "(the message id comes first, then the file)",
        ));
    // A report product's name without its suffix, in every command that takes an id.
    for command in ["validate", "example", "schema"] {
        klavi()
            .args([command, "pf-balance"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "did you mean `pf-balance.product`?",
            ))
            .stderr(predicate::str::contains(format!("usage: klavi {command} ")));
    }
    // A tax id where the id goes is not echoed.
    klavi()
        .args(["schema", "529.982.247-25"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("529.982.247-25").not());
}

#[test]
fn messages_lists_every_id_with_what_it_is() {
    let output = klavi().args(["messages"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    let count = klavi_types::registry::messages().count();
    assert_eq!(count, 56);
    assert_eq!(text.lines().count(), count + 1, "{text}");
    assert!(text.lines().next().unwrap().starts_with("ID "), "{text}");
    assert!(
        text.lines()
            .any(|line| line.starts_with("create-link.request ")
                && line.contains(" request ")
                && line.contains("POST /data/v1/links")
                && line.contains("klavi_types::links::CreateLinkRequest")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|line| line.starts_with("pf-balance.product ") && line.contains(" product ")),
        "{text}"
    );
    let output = klavi()
        .args(["messages", "PRODUCT", "--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let listed = json.as_array().unwrap();
    assert!(listed.len() >= 21, "{json}");
    assert!(
        listed
            .iter()
            .all(|m| m["id"].as_str().unwrap().contains("product")),
        "{json}"
    );
    let report = listed
        .iter()
        .find(|m| m["id"] == "product-report.webhook")
        .unwrap();
    assert_eq!(report["kind"], "webhook");
    assert_eq!(report["endpoint"], Value::Null);
    klavi()
        .args(["messages", "zzz"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no message id contains `zzz`"));
}

#[test]
fn validate_reports_a_missing_file() {
    klavi()
        .args([
            "validate",
            "create-link.request",
            "examples/payloads/missing.json",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "cannot read `examples/payloads/missing.json`",
        ));
}

#[test]
fn validate_usage_errors_exit_2() {
    klavi().args(["validate"]).assert().code(2);
    klavi()
        .args(["validate", "create-link.request", VALID, "--format", "xml"])
        .assert()
        .code(2);
}

// ---------------------------------------------------------------------------------------------
// tax-id

/// (value, kind flag, expected kind, valid, expected code)
const TAX_IDS: &[(&str, &str, &str, bool, Option<&str>)] = &[
    ("280.012.389-38", "any", "cpf", true, None),
    ("28001238938", "any", "cpf", true, None),
    ("28001238938", "cpf", "cpf", true, None),
    ("12.ABC.345/01DE-35", "any", "cnpj", true, None),
    ("12ABC34501DE35", "cnpj", "cnpj", true, None),
    (
        "12abc34501de35",
        "any",
        "cnpj",
        false,
        Some("cnpj_lower_case"),
    ),
    (
        "12.ABC.345/01DE-36",
        "any",
        "cnpj",
        false,
        Some("cnpj_check_digit"),
    ),
    (
        "123.456.789-00",
        "any",
        "cpf",
        false,
        Some("cpf_check_digit"),
    ),
    ("12345678900", "cpf", "cpf", false, Some("cpf_check_digit")),
    ("1234567", "any", "cpf", false, Some("cpf_length")),
    ("1234567", "cnpj", "cnpj", false, Some("cnpj_length")),
    ("111.111.111-11", "any", "cpf", false, Some("cpf_reserved")),
    ("28001238938", "cnpj", "cnpj", false, Some("cnpj_length")),
];

#[test]
fn tax_id_json_table() {
    for &(value, kind, expected_kind, valid, code) in TAX_IDS {
        let (status, stdout, stderr) = run(&["tax-id", "--kind", kind, "--format", "json", value]);
        assert_eq!(
            status,
            if valid { 0 } else { 1 },
            "{value} as {kind}: {stderr}"
        );
        let results = json(&stdout);
        let result = &results[0];
        assert_eq!(results.as_array().map(Vec::len), Some(1));
        assert_eq!(result["input_index"], 0);
        assert_eq!(result["kind"], expected_kind, "{value} as {kind}");
        assert_eq!(result["valid"], valid, "{value} as {kind}");
        assert_eq!(result["code"].as_str(), code, "{value} as {kind}");
        if valid {
            assert!(result["masked"].as_str().is_some_and(|m| m.contains('*')));
            assert!(result.get("canonical").is_none() && result.get("formatted").is_none());
        } else {
            assert!(result["message"].as_str().is_some_and(|m| !m.is_empty()));
            assert!(result.get("masked").is_none() && result.get("input").is_none());
        }
    }
}

#[test]
fn tax_id_json_keeps_input_order_and_masks() {
    let (status, stdout, _) = run(&[
        "tax-id",
        "--format",
        "json",
        "280.012.389-38",
        "12.ABC.345/01DE-36",
        "12ABC34501DE35",
    ]);
    assert_eq!(status, 1);
    assert_eq!(
        stdout,
        "[{\"input_index\": 0, \"kind\": \"cpf\", \"valid\": true, \"masked\": \"***.012.389-**\"}, \
         {\"input_index\": 1, \"kind\": \"cnpj\", \"valid\": false, \"code\": \"cnpj_check_digit\", \
         \"message\": \"the CNPJ check digits do not match\"}, \
         {\"input_index\": 2, \"kind\": \"cnpj\", \"valid\": true, \"masked\": \"**.ABC.345/****-**\"}]\n"
    );
}

#[test]
fn tax_id_human_lines() {
    klavi()
        .args(["tax-id", "280.012.389-38", "12.ABC.345/01DE-35"])
        .assert()
        .code(0)
        .stdout("valid   CPF  ***.012.389-**\nvalid   CNPJ **.ABC.345/****-**\n");
    klavi()
        .args(["tax-id", "12.ABC.345/01DE-36"])
        .assert()
        .code(1)
        .stdout("invalid CNPJ the CNPJ check digits do not match [cnpj_check_digit]\n");
}

#[test]
fn tax_id_hides_full_values_unless_revealed() {
    let values = [
        "280.012.389-38",
        "28001238938",
        "12.ABC.345/01DE-35",
        "123.456.789-00",
    ];
    let secrets = [
        "28001238938",
        "280.012.389-38",
        "12ABC34501DE35",
        "12.ABC.345/01DE-35",
        "12345678900",
        "123.456.789-00",
    ];
    for format in ["human", "json"] {
        let mut args = vec!["tax-id", "--format", format];
        args.extend(values);
        let (status, stdout, stderr) = run(&args);
        assert_eq!(status, 1);
        for secret in secrets {
            assert!(
                !stdout.contains(secret),
                "{format} leaks {secret}: {stdout}"
            );
            assert!(
                !stderr.contains(secret),
                "{format} leaks {secret}: {stderr}"
            );
        }
    }
}

#[test]
fn tax_id_reveal_shows_canonical_and_formatted() {
    let (status, stdout, _) = run(&[
        "tax-id",
        "--reveal",
        "--format",
        "json",
        "280.012.389-38",
        "12345678900",
    ]);
    assert_eq!(status, 1);
    let results = json(&stdout);
    assert_eq!(results[0]["canonical"], "28001238938");
    assert_eq!(results[0]["formatted"], "280.012.389-38");
    assert_eq!(results[0]["masked"], "***.012.389-**");
    assert_eq!(results[1]["input"], "12345678900");

    klavi()
        .args(["tax-id", "--reveal", "12.ABC.345/01DE-35"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("12ABC34501DE35"))
        .stdout(predicate::str::contains("12.ABC.345/01DE-35"));
}

#[test]
fn tax_id_usage_errors_exit_2() {
    klavi().args(["tax-id"]).assert().code(2).stdout("");
    klavi()
        .args(["tax-id", "--kind", "rg", "1"])
        .assert()
        .code(2);
}

// ---------------------------------------------------------------------------------------------
// endpoints, codes, schema, help

#[test]
fn endpoints_json_lists_the_registry() {
    let (status, stdout, _) = run(&["endpoints", "--format", "json"]);
    assert_eq!(status, 0);
    let endpoints = json(&stdout);
    let list = endpoints.as_array().expect("an array");
    let create = list
        .iter()
        .find(|e| e["id"] == "create-link")
        .expect("create-link");
    assert_eq!(create["method"], "POST");
    assert_eq!(create["path"], "/data/v1/links");
    assert_eq!(create["token"], "access");
    assert_eq!(create["path_uncertain"], false);
    assert_eq!(
        create["messages"],
        serde_json::json!(["create-link.request", "create-link.response"])
    );
    let consents = list
        .iter()
        .find(|e| e["id"] == "get-consent-list")
        .expect("get-consent-list");
    assert_eq!(consents["method"], "GET");
    assert_eq!(consents["path"], "/data/v1/consents");
    assert_eq!(consents["token"], "access");
    assert_eq!(
        consents["messages"],
        serde_json::json!(["get-consent-list.query", "get-consent-list.response"])
    );
    for endpoint in list {
        for key in [
            "id",
            "title",
            "method",
            "path",
            "token",
            "docs",
            "path_uncertain",
            "messages",
        ] {
            assert!(endpoint.get(key).is_some(), "{key} in {endpoint}");
        }
    }
}

#[test]
fn endpoints_human_table() {
    let (status, stdout, _) = run(&["endpoints"]);
    assert_eq!(status, 0);
    insta::assert_snapshot!("endpoints_human", stdout);
}

#[test]
fn codes_lists_every_code() {
    let (status, stdout, _) = run(&["codes"]);
    assert_eq!(status, 0);
    assert!(stdout.starts_with("CODE "));
    assert!(
        stdout.contains("cnpj_lower_case "),
        "tax-id codes are listed too"
    );
    for code in klavi_types::validation::all_codes() {
        let rows = stdout
            .lines()
            .filter(|l| l.starts_with(&format!("{} ", code.code)))
            .count();
        assert_eq!(rows, 1, "{} is listed once", code.code);
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(&format!("{} ", code.code)) && l.ends_with(code.summary)),
            "{}",
            code.code
        );
    }
    // Every code the tax-id parsers give is listed once, whatever list they come from.
    for (code, _) in klavi_types::tax_id::ALL_CODES {
        let rows = stdout
            .lines()
            .filter(|l| l.starts_with(&format!("{code} ")))
            .count();
        assert_eq!(rows, 1, "{code} is listed once");
    }
    let (status, stdout, _) = run(&["codes", "--format", "json"]);
    assert_eq!(status, 0);
    assert_eq!(
        json(&stdout).as_array().map(Vec::len),
        Some(klavi_types::validation::all_codes().count())
    );
}

#[test]
fn schema_prints_the_bundled_schema() {
    let (status, stdout, _) = run(&["schema", "create-link.request"]);
    assert_eq!(status, 0);
    let schema: Value = serde_json::from_str(&stdout).expect("a JSON schema");
    assert!(schema["properties"]["appRedirectURLKey"].is_object());
    klavi().args(["schema", "nope"]).assert().code(2);
}

#[test]
fn every_subcommand_help_has_an_example() {
    for command in ["validate", "tax-id", "endpoints", "codes", "schema"] {
        klavi()
            .args([command, "--help"])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("Examples:\n  klavi "));
    }
    klavi().arg("--help").assert().code(0);
    klavi().arg("--version").assert().code(0);
    klavi().assert().code(2);
}

// ---------------------------------------------------------------------------------------------
// webhook verify

/// The environment variable the webhook tests keep the secret key in.
const SECRET_VAR: &str = "KLAVI_CLI_TEST_WEBHOOK_SECRET";
const WEBHOOK_SECRET: &str = "s3cr3t-klavi-key-ç";
/// A webhook body, trailing newline included (it is part of the signed bytes).
const WEBHOOK_BODY: &str =
    "[{\"eventId\":\"1495468585434-0e73d1719173766fe4dfe1a8\",\"eventName\":\"link_created\"}]\n";
/// HMAC-SHA256 of `WEBHOOK_BODY` keyed with `WEBHOOK_SECRET`, computed with Python's `hmac`.
const WEBHOOK_SIGNATURE: &str = "be1b104989d0c1a105ead1c7c104e1c8d10c082010fdcece26d491d1b9c53891";

/// Runs `klavi webhook verify ARGS` with the secret in `SECRET_VAR` and `body` on stdin.
fn webhook_verify(args: &[&str], body: &str) -> (i32, String, String) {
    let output = klavi()
        .env(SECRET_VAR, WEBHOOK_SECRET)
        .args(["webhook", "verify", "--secret-env", SECRET_VAR])
        .args(args)
        .write_stdin(body)
        .output()
        .expect("klavi runs");
    let result = (
        output.status.code().expect("klavi exits normally"),
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    );
    assert_secret_not_printed(&result.1, &result.2);
    result
}

#[track_caller]
fn assert_secret_not_printed(stdout: &str, stderr: &str) {
    for stream in [stdout, stderr] {
        assert!(
            !stream.contains(WEBHOOK_SECRET),
            "the secret leaked: {stream}"
        );
        assert!(
            !stream.contains("s3cr3t"),
            "part of the secret leaked: {stream}"
        );
        assert!(
            !stream.contains(&WEBHOOK_SIGNATURE[..16]),
            "the signature was echoed: {stream}"
        );
    }
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs()
}

#[test]
fn webhook_verify_accepts_an_authentic_body() {
    for file in [&[][..], &["-"][..]] {
        let args = [&["--signature", WEBHOOK_SIGNATURE][..], file].concat();
        assert_eq!(
            webhook_verify(&args, WEBHOOK_BODY),
            (0, "authentic\n".to_owned(), String::new())
        );
    }
    // Upper-case hex and a header value with surrounding whitespace.
    let upper = WEBHOOK_SIGNATURE.to_ascii_uppercase();
    let padded = format!(" {WEBHOOK_SIGNATURE}\r\n");
    for signature in [upper.as_str(), padded.as_str()] {
        let (status, stdout, _) = webhook_verify(&["--signature", signature], WEBHOOK_BODY);
        assert_eq!((status, stdout.as_str()), (0, "authentic\n"));
    }
}

#[test]
fn webhook_verify_reads_a_file_byte_exact() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("webhook_verify_reads_a_file");
    std::fs::create_dir_all(&dir).expect("creates the temporary directory");
    let exact = dir.join("body.json");
    let trimmed = dir.join("trimmed.json");
    std::fs::write(&exact, WEBHOOK_BODY).expect("writes the body");
    std::fs::write(&trimmed, WEBHOOK_BODY.trim_end()).expect("writes the body");
    let exact = exact.to_str().expect("UTF-8 path");
    let trimmed = trimmed.to_str().expect("UTF-8 path");
    let (status, stdout, _) = webhook_verify(&["--signature", WEBHOOK_SIGNATURE, exact], "");
    assert_eq!((status, stdout.as_str()), (0, "authentic\n"));
    // Without its trailing newline the body is another body.
    let (status, stdout, _) = webhook_verify(&["--signature", WEBHOOK_SIGNATURE, trimmed], "");
    assert_eq!(status, 1);
    assert!(stdout.ends_with(" [signature_mismatch]\n"), "{stdout}");
}

#[test]
fn webhook_verify_rejects_a_tampered_body() {
    let tampered = WEBHOOK_BODY.replace("link_created", "link_createe");
    let appended = format!("{WEBHOOK_BODY} ");
    let reformatted = WEBHOOK_BODY.replace("\":\"", "\": \"");
    for body in [tampered, appended, reformatted] {
        let (status, stdout, stderr) = webhook_verify(&["--signature", WEBHOOK_SIGNATURE], &body);
        assert_eq!(status, 1, "{body:?}");
        assert!(
            stdout.starts_with("not authentic: ") && stdout.ends_with(" [signature_mismatch]\n"),
            "{stdout}"
        );
        assert_eq!(stdout.lines().count(), 1);
        assert_eq!(stderr, "");
    }
}

#[test]
fn webhook_verify_rejects_a_malformed_signature() {
    for signature in ["", "xyz", &WEBHOOK_SIGNATURE[..63], "-1"] {
        let (status, stdout, _) = webhook_verify(&["--signature", signature], WEBHOOK_BODY);
        assert_eq!(status, 1, "{signature:?}");
        assert!(stdout.ends_with(" [signature_malformed]\n"), "{stdout}");
    }
}

#[test]
fn webhook_verify_needs_the_secret_variable() {
    // Unset.
    let output = klavi()
        .env_remove(SECRET_VAR)
        .args(["webhook", "verify", "--secret-env", SECRET_VAR])
        .args(["--signature", WEBHOOK_SIGNATURE])
        .write_stdin(WEBHOOK_BODY)
        .output()
        .expect("klavi runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert!(
        stderr.starts_with("error: ") && stderr.contains(SECRET_VAR) && stderr.contains("not set"),
        "{stderr}"
    );
    // Empty.
    klavi()
        .env(SECRET_VAR, "")
        .args(["webhook", "verify", "--secret-env", SECRET_VAR])
        .args(["--signature", WEBHOOK_SIGNATURE])
        .write_stdin(WEBHOOK_BODY)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("is empty"));
    // Not a variable name.
    klavi()
        .args(["webhook", "verify", "--secret-env", "A=B"])
        .args(["--signature", WEBHOOK_SIGNATURE])
        .write_stdin(WEBHOOK_BODY)
        .assert()
        .code(2)
        .stdout("");
    // --secret-env and --signature are required.
    klavi()
        .args(["webhook", "verify", "--signature", WEBHOOK_SIGNATURE])
        .write_stdin(WEBHOOK_BODY)
        .assert()
        .code(2);
    klavi()
        .env(SECRET_VAR, WEBHOOK_SECRET)
        .args(["webhook", "verify", "--secret-env", SECRET_VAR])
        .write_stdin(WEBHOOK_BODY)
        .assert()
        .code(2);
    // The secret cannot be passed as an argument.
    klavi()
        .args(["webhook", "verify", "--secret", WEBHOOK_SECRET])
        .args(["--signature", WEBHOOK_SIGNATURE])
        .assert()
        .code(2);
}

#[test]
fn webhook_verify_reports_a_missing_file() {
    let (status, stdout, stderr) =
        webhook_verify(&["--signature", WEBHOOK_SIGNATURE, "no/such/body.json"], "");
    assert_eq!(status, 2);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("cannot read `no/such/body.json`"),
        "{stderr}"
    );
}

#[test]
fn webhook_verify_checks_the_timestamp() {
    let now = unix_now();
    let fresh = now.to_string();
    let signature = ["--signature", WEBHOOK_SIGNATURE];
    // A fresh timestamp, with the default and with an explicit tolerance.
    for extra in [
        &["--timestamp", fresh.as_str()][..],
        &["--timestamp", fresh.as_str(), "--tolerance", "60"][..],
    ] {
        let (status, stdout, _) = webhook_verify(&[&signature[..], extra].concat(), WEBHOOK_BODY);
        assert_eq!((status, stdout.as_str()), (0, "authentic\n"), "{extra:?}");
    }
    // Stale, past and future: the default tolerance is 300 seconds.
    let past = (now - 3_600).to_string();
    let future = (now + 3_600).to_string();
    for timestamp in [&past, &future] {
        let (status, stdout, _) = webhook_verify(
            &[&signature[..], &["--timestamp", timestamp]].concat(),
            WEBHOOK_BODY,
        );
        assert_eq!(status, 1, "{timestamp}");
        assert!(stdout.ends_with(" [timestamp_stale]\n"), "{stdout}");
    }
    // A wider tolerance accepts it.
    let (status, _, _) = webhook_verify(
        &[
            &signature[..],
            &["--timestamp", &past, "--tolerance", "7200"],
        ]
        .concat(),
        WEBHOOK_BODY,
    );
    assert_eq!(status, 0);
    // --tolerance without --timestamp: the timestamp is missing.
    let (status, stdout, _) = webhook_verify(
        &[&signature[..], &["--tolerance", "300"]].concat(),
        WEBHOOK_BODY,
    );
    assert_eq!(status, 1);
    assert!(stdout.ends_with(" [timestamp_missing]\n"), "{stdout}");
    // Not Unix seconds.
    for timestamp in ["soon", "-5", "2025-02-28T04:28:44Z"] {
        let (status, stdout, _) = webhook_verify(
            &[&signature[..], &["--timestamp", timestamp]].concat(),
            WEBHOOK_BODY,
        );
        assert_eq!(status, 1, "{timestamp}");
        assert!(stdout.ends_with(" [timestamp_invalid]\n"), "{stdout}");
    }
    // A negative tolerance is a usage error.
    let (status, _, _) = webhook_verify(
        &[
            &signature[..],
            &["--timestamp", &fresh, "--tolerance", "-1"],
        ]
        .concat(),
        WEBHOOK_BODY,
    );
    assert_eq!(status, 2);
}

#[test]
fn webhook_verify_json_output() {
    let (status, stdout, stderr) = webhook_verify(
        &["--signature", WEBHOOK_SIGNATURE, "--format", "json"],
        WEBHOOK_BODY,
    );
    assert_eq!((status, stderr.as_str()), (0, ""));
    assert_eq!(
        json(&stdout),
        serde_json::json!({"authentic": true, "code": null, "message": null})
    );
    let stale = (unix_now() - 3_600).to_string();
    for (args, code) in [
        (vec!["--signature", WEBHOOK_SIGNATURE], "signature_mismatch"),
        (vec!["--signature", "zz"], "signature_malformed"),
        (
            vec!["--signature", WEBHOOK_SIGNATURE, "--tolerance", "5"],
            "timestamp_missing",
        ),
        (
            vec!["--signature", WEBHOOK_SIGNATURE, "--timestamp", "x"],
            "timestamp_invalid",
        ),
        (
            vec!["--signature", WEBHOOK_SIGNATURE, "--timestamp", &stale],
            "timestamp_stale",
        ),
    ] {
        let body = if code == "signature_mismatch" {
            "tampered"
        } else {
            WEBHOOK_BODY
        };
        let (status, stdout, _) =
            webhook_verify(&[&args[..], &["--format", "json"]].concat(), body);
        assert_eq!(status, 1, "{code}");
        let report = json(&stdout);
        let object = report.as_object().expect("an object");
        assert_eq!(
            object.keys().map(String::as_str).collect::<Vec<_>>(),
            ["authentic", "code", "message"]
        );
        assert_eq!(report["authentic"], false);
        assert_eq!(report["code"], code);
        assert!(
            report["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{stdout}"
        );
    }
}

#[test]
fn webhook_verify_help_has_an_example() {
    for command in [
        &["webhook", "--help"][..],
        &["webhook", "verify", "--help"][..],
    ] {
        klavi()
            .args(command)
            .assert()
            .code(0)
            .stdout(predicate::str::contains(
                "Examples:\n  klavi webhook verify --secret-env ",
            ));
    }
    klavi()
        .args(["webhook", "verify", "--help"])
        .assert()
        .stdout(predicate::str::contains("300 seconds"))
        .stdout(predicate::str::contains("byte-exact"));
}
