//! `klavi example`, `explain`, `check-fixtures` and `completions`.

use assert_cmd::Command;

fn klavi(args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("klavi")
        .expect("the klavi binary")
        .args(args)
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn fixture(name: &str, content: &str) -> std::path::PathBuf {
    // Cargo's directory for integration tests' files (under `target/`): nothing is left in
    // the system's temporary directory, and each run writes the same files again.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("klavi-fixtures");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, content).expect("writes");
    path
}

#[test]
fn every_message_has_a_valid_example() {
    for info in klavi_types::registry::messages() {
        let (status, stdout, stderr) = klavi(&["example", info.id]);
        assert_eq!(status, 0, "{}: {stderr}", info.id);
        let path = fixture(&format!("example.{}.json", info.id), &stdout);
        let (status, report, _) = klavi(&["validate", info.id, path.to_str().unwrap()]);
        assert_eq!(status, 0, "{}: its example is invalid: {report}", info.id);
    }
    let (status, stdout, _) = klavi(&["example", "create-link.request", "--all"]);
    assert_eq!(status, 0);
    assert!(
        serde_json::from_str::<serde_json::Value>(&stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len()
            >= 2
    );
    let (status, _, stderr) = klavi(&["example", "create-link.request", "--index", "99"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("out of range"), "{stderr}");
}

#[test]
fn explain_prints_meaning_and_fix_and_suggests_near_codes() {
    let (status, stdout, _) = klavi(&["explain", "cnpj_lower_case"]);
    assert_eq!(status, 0);
    assert!(stdout.starts_with("cnpj_lower_case\n"), "{stdout}");
    assert!(
        stdout.contains("What it means:") && stdout.contains("How to fix it:"),
        "{stdout}"
    );
    let (status, _, stderr) = klavi(&["explain", "[dependent_requierd]"]);
    assert_eq!(status, 2);
    assert!(
        stderr.contains("did you mean `dependent_required`?"),
        "{stderr}"
    );
}

#[test]
fn check_fixtures_finds_the_message_in_the_file_name() {
    let good = fixture(
        "signup.create-link.request.json",
        r#"{"personalTaxId": "28001238938"}"#,
    );
    let bad = fixture("broken.get-consent-list.query.json", r#"{"linkId": "l"}"#);
    let (status, stdout, _) = klavi(&[
        "check-fixtures",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(status, 1, "{stdout}");
    assert!(
        stdout.contains("valid: ") && stdout.contains("(create-link.request)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("(get-consent-list.query): 1 violation"),
        "{stdout}"
    );
    assert!(stdout.contains("[missing_one_of]"), "{stdout}");
    let (status, _, _) = klavi(&["check-fixtures", good.to_str().unwrap()]);
    assert_eq!(status, 0);
    let unnamed = fixture("payload.json", "{}");
    let (status, stdout, _) = klavi(&["check-fixtures", unnamed.to_str().unwrap()]);
    assert_eq!(status, 2);
    assert!(stdout.contains("names no message"), "{stdout}");
}

#[test]
fn check_fixtures_reports_every_file_and_exits_with_the_worst() {
    let good = fixture(
        "every.create-link.request.json",
        r#"{"personalTaxId": "28001238938"}"#,
    );
    let bad = fixture(
        "every-bad.create-link.request.json",
        "{\n  \"personalTaxId\": \"52998224726\",\n  \"a\\nline 9: valid\": 1\n}",
    );
    let missing = good.with_file_name("missing.create-link.request.json");
    let unnamed = fixture("every.json", "{}");
    let files = [&good, &missing, &bad, &unnamed].map(|p| p.to_str().unwrap().to_owned());
    let (status, stdout, stderr) =
        klavi(&["check-fixtures", &files[0], &files[1], &files[2], &files[3]]);
    assert_eq!(status, 2, "{stdout}{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("valid: ") && lines[0].contains("every.create-link"),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with("error: ") && lines[1].contains("missing"),
        "{stdout}"
    );
    assert!(
        lines[2].starts_with("invalid: ") && lines[2].ends_with("2 violations"),
        "{stdout}"
    );
    // In document order, located, the forged name neither shown nor breaking a line.
    assert!(
        lines[3].starts_with("  line 2, column 20: /personalTaxId: "),
        "{stdout}"
    );
    assert!(
        lines[4].starts_with("  line 3, column 3: /***: "),
        "{stdout}"
    );
    assert!(
        lines[5].starts_with("error: ") && lines[5].contains("names no message"),
        "{stdout}"
    );
    assert_eq!(lines.len(), 6, "{stdout}");
    assert!(!stdout.contains("52998224726"), "{stdout}");
    // Without the unreadable ones: 1 for the invalid file.
    let (status, _, _) = klavi(&["check-fixtures", &files[0], &files[2]]);
    assert_eq!(status, 1);
}

#[cfg(unix)]
#[test]
fn check_fixtures_reads_every_file_with_the_size_bound() {
    let link = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("klavi-fixtures")
        .join("zero.create-link.request.json");
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink("/dev/zero", &link).expect("a symlink");
    let (status, stdout, _) = klavi(&["check-fixtures", link.to_str().unwrap()]);
    assert_eq!(status, 1, "{stdout}");
    assert!(stdout.contains("[payload_too_large]"), "{stdout}");
}

#[test]
fn completions_cover_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (status, stdout, stderr) = klavi(&["completions", shell]);
        assert_eq!(status, 0, "{shell}: {stderr}");
        for subcommand in [
            "validate",
            "tax-id",
            "endpoints",
            "webhook",
            "check-fixtures",
            "explain",
        ] {
            assert!(
                stdout.contains(subcommand),
                "{shell} completion lacks {subcommand}"
            );
        }
        // Message ids complete too, where clap_complete writes positional values (bash, zsh;
        // its fish, PowerShell and elvish scripts complete options and subcommands only).
        if matches!(shell, "bash" | "zsh") {
            for id in ["create-link.request", "pf-balance.product", "webhook.event"] {
                assert!(stdout.contains(id), "{shell} completion lacks {id}");
            }
        }
    }
}

#[test]
fn check_fixtures_suggests_the_id_a_misspelled_file_name_meant() {
    let misspelled = fixture("x.create-link.requst.json", "{}");
    let (status, stdout, _) = klavi(&["check-fixtures", misspelled.to_str().unwrap()]);
    assert_eq!(status, 2, "{stdout}");
    assert!(stdout.contains("names no message"), "{stdout}");
    assert!(
        stdout.contains("did you mean `create-link.request`?"),
        "{stdout}"
    );
    let product = fixture("y.pf-balance.json", "{}");
    let (_, stdout, _) = klavi(&["check-fixtures", product.to_str().unwrap()]);
    assert!(
        stdout.contains("did you mean `pf-balance.product`?"),
        "{stdout}"
    );
}

#[test]
fn the_pre_commit_hook_matches_fixture_names() {
    let hooks = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../.pre-commit-hooks.yaml"
    ))
    .expect("the hook file");
    assert!(hooks.contains("entry: klavi check-fixtures"));
    assert!(hooks.contains("id: klavi-check-fixtures"));
}

#[test]
fn jsonl_reports_scattered_invalid_lines_and_a_summary() {
    let valid = r#"{"personalTaxId": "28001238938", "redirectURL": "https://example.com/back"}"#;
    let invalid = [
        r#"{"personalTaxId": "28001238939"}"#,
        r#"{"appLink": "myapp://x"}"#,
        r#"{"redirectUrl": "https://example.com"}"#,
        r#"{"personalTaxId": "#,
    ];
    let mut input = String::new();
    let mut expected = Vec::new();
    for line in 1..=60_000usize {
        if line % 1_201 == 0 {
            input.push_str(invalid[(line / 1_201) % invalid.len()]);
            expected.push(line as u64);
        } else {
            input.push_str(valid);
        }
        input.push('\n');
    }
    let output = Command::cargo_bin("klavi")
        .unwrap()
        .args([
            "validate",
            "create-link.request",
            "--jsonl",
            "--format",
            "json",
        ])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (summary, reported) = lines.split_last().unwrap();
    let numbers: Vec<u64> = reported
        .iter()
        .map(|l| l["line"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, expected);
    assert!(
        reported
            .iter()
            .all(|l| l["valid"] == false && !l["errors"].as_array().unwrap().is_empty())
    );
    let summary = &summary["summary"];
    assert_eq!(summary["lines"], 60_000);
    assert_eq!(summary["invalid"], expected.len());
    assert_eq!(summary["valid"], 60_000 - expected.len());
    let codes = summary["codes"].as_object().unwrap();
    for code in [
        "cpf_check_digit",
        "dependent_required",
        "unknown_field",
        "invalid_json",
    ] {
        assert!(
            codes[code].as_u64().unwrap() > 0,
            "{code} missing from {codes:?}"
        );
    }
    assert!(!stdout.contains("28001238939"), "a CPF leaked");
    // All valid: exit 0 and a summary only.
    let output = Command::cargo_bin("klavi")
        .unwrap()
        .args(["validate", "create-link.request", "--jsonl"])
        .write_stdin(format!("{valid}\n{valid}\n"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "2 payload(s): 2 valid, 0 invalid\n"
    );
}

#[test]
fn code_frames_mask_every_personal_value_not_only_the_invalid_ones() {
    let payload = "{\n  \"personalTaxId\": \"28001238938\",\n  \"phone\": \"+55 11 99999-0000\",\n  \"email\": \"bad\"\n}\n";
    let output = Command::cargo_bin("klavi")
        .unwrap()
        .args(["validate", "create-link.request"])
        .env("NO_COLOR", "1")
        .write_stdin(payload)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    for secret in ["28001238938", "99999-0000", "\"bad\""] {
        assert!(!stdout.contains(secret), "{secret} shown in {stdout}");
    }
    // The phone line is in the frame's context, masked to its length.
    assert!(stdout.contains("\"*****************\""), "{stdout}");
}

#[test]
fn every_subcommand_help_shows_examples() {
    let commands: &[&[&str]] = &[
        &["validate"],
        &["tax-id"],
        &["endpoints"],
        &["codes"],
        &["schema"],
        &["webhook"],
        &["webhook", "verify"],
        &["example"],
        &["explain"],
        &["check-fixtures"],
        &["completions"],
        &["docs"],
        &["docs", "check"],
        &["docs", "import"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let (status, stdout, _) = klavi(&args);
        assert_eq!(status, 0, "{command:?}");
        assert!(
            stdout.contains("Examples:"),
            "`klavi {} --help` shows no examples",
            command.join(" ")
        );
    }
}

/// `klavi openapi` prints the document the repository and the package keep, byte for byte,
/// and writes nothing else; a closed pipe ends it quietly.
#[test]
fn openapi_prints_the_kept_document() {
    let (status, stdout, stderr) = klavi(&["openapi"]);
    assert_eq!((status, stderr.as_str()), (0, ""));
    let kept = concat!(env!("CARGO_MANIFEST_DIR"), "/../klavi-types/openapi.json");
    assert_eq!(
        stdout,
        std::fs::read_to_string(kept).expect("the kept copy")
    );
    let document: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(document["openapi"], "3.1.0");
    let (status, _, _) = klavi(&["openapi", "--unexpected"]);
    assert_eq!(status, 2);
}
