//! The `klavi` binary at the edges a user reaches in the first week: long lines, closed pipes,
//! full disks, slow producers, forged member names, duplicate members, huge integers, malformed
//! JSON of every kind, oversized payloads, misspelled ids, a secret passed as a variable name.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

fn klavi() -> Command {
    Command::new(env!("CARGO_BIN_EXE_klavi"))
}

/// Runs `klavi args` with `stdin`; (status, stdout, stderr).
fn run(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = klavi()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("klavi runs");
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let output = child.wait_with_output().expect("klavi ends");
    let _ = writer.join();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn json_errors(stdout: &str) -> Vec<Value> {
    let report: Value = serde_json::from_str(stdout).expect("one JSON document");
    report["errors"].as_array().cloned().unwrap_or_default()
}

#[test]
fn a_marker_far_along_a_line_is_drawn_in_a_cut_frame() {
    let payload = format!("{{{}\"email\": \"bad\"}}", "\t".repeat(17_000));
    let (status, stdout, stderr) = run(&["validate", "create-link.request"], payload.as_bytes());
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert!(stdout.contains(" --> stdin:1:17011\n"), "{stdout}");
    assert!(
        stdout.lines().all(|line| line.chars().count() < 200),
        "{stdout}"
    );
    // A minified list with one bad timestamp far along its only line.
    let consent = r#"{"consentId": "c", "linkId": "l", "externalTrackId": "e", "personalTaxId": "", "businessTaxId": "", "institutionCode": "001", "status": "AUTHORISED", "permissionsApply": [], "permissionsGranted": [], "expireAt": "2024-12-07T23:59:59.999Z", "createdAt": "2023-12-08T09:19:19Z", "updatedAt": "2023-12-08T11:29:50Z"}"#;
    let mut list = vec![consent.to_owned(); 400];
    list[350] = consent.replace("2023-12-08T09:19:19Z", "yesterday");
    let payload = format!("[{}]", list.join(","));
    let (status, stdout, stderr) = run(
        &["validate", "get-consent-list.response"],
        payload.as_bytes(),
    );
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stdout.contains("error[date_time]: /350/createdAt"),
        "{stdout}"
    );
    assert!(stdout.contains("| ..."), "{stdout}");
}

#[test]
fn many_violations_render_every_frame() {
    let items = vec!["\"1\""; 5_000].join(",");
    let payload = format!("{{\"personalTaxId\": [{items}]}}");
    let (status, stdout, _) = run(&["validate", "create-link.request"], payload.as_bytes());
    assert_eq!(status, 1);
    assert!(
        stdout.starts_with("invalid: create-link.request (stdin): 1 violation"),
        "{stdout}"
    );
    assert!(!stdout.contains("\"1\""), "{stdout}");
}

/// Reads the first line of `child`'s standard output, then closes it (`| head -1`): (that
/// line, its standard error, how it ended).
fn first_line_then_close(
    mut child: std::process::Child,
) -> (String, String, std::process::ExitStatus) {
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("a first line");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr");
    (first, stderr, child.wait().expect("klavi ends"))
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_verdict() {
    let mut stream = Vec::new();
    for _ in 0..50_000 {
        stream.extend_from_slice(b"{\"linkId\": \"l\"}\n");
    }
    for format in ["json", "human", "github"] {
        let mut child = klavi()
            .args([
                "validate",
                "get-consent-list.query",
                "--jsonl",
                "--format",
                format,
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("klavi runs");
        let mut input = child.stdin.take().expect("stdin");
        let stream = stream.clone();
        let writer = std::thread::spawn(move || {
            let _ = input.write_all(&stream);
        });
        let (first, stderr, status) = first_line_then_close(child);
        let _ = writer.join();
        assert!(!first.is_empty(), "{format}");
        assert_eq!(status.code(), Some(1), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_a_write_error() {
    for args in [
        &["validate", "get-consent-list.query", "--jsonl"][..],
        &["validate", "get-consent-list.query"][..],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let mut child = klavi()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(full)
            .stderr(Stdio::piped())
            .spawn()
            .expect("klavi runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(b"{\"linkId\": \"l\"}\n")
            .expect("written");
        let output = child.wait_with_output().expect("klavi ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("cannot write"), "{args:?}: {stderr}");
        assert!(!stderr.contains("cannot read"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_slow_producer_sees_each_result_soon_after_its_line() {
    let mut child = klavi()
        .args([
            "validate",
            "get-consent-list.query",
            "--jsonl",
            "--format",
            "json",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("klavi runs");
    let mut input = child.stdin.take().expect("stdin");
    let output = child.stdout.take().expect("stdout");
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(output).lines() {
            if sender.send(line.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    for round in 1..=3 {
        input
            .write_all(b"{\"personalTaxId\": \"28001238938\"}\n{\"linkId\": \"l\"}\n")
            .expect("written");
        input.flush().expect("flushed");
        // The producer keeps its end open: the result must come anyway.
        let line = receiver
            .recv_timeout(Duration::from_secs(30))
            .expect("a result while the input is still open");
        let result: Value = serde_json::from_str(&line).expect("JSON");
        assert_eq!(result["line"], 2 * round, "{line}");
    }
    drop(input);
    let summary = receiver
        .recv_timeout(Duration::from_secs(30))
        .expect("a summary");
    assert!(summary.starts_with("{\"summary\""), "{summary}");
    assert_eq!(child.wait().expect("ends").code(), Some(1));
}

#[test]
fn member_names_cannot_forge_or_drive_the_output() {
    let line = "{\"x\\nline 7: valid\\u001b[2J\\u202e\": 1}\n";
    for format in ["human", "json", "github"] {
        let (status, stdout, _) = run(
            &[
                "validate",
                "create-link.request",
                "--jsonl",
                "--format",
                format,
            ],
            line.as_bytes(),
        );
        assert_eq!(status, 1, "{format}");
        assert!(!stdout.contains("line 7: valid"), "{format}: {stdout}");
        assert!(
            !stdout.contains('\u{1b}') && !stdout.contains('\u{202e}'),
            "{format}: {stdout}"
        );
    }
    for format in ["human", "json", "github"] {
        let (_, stdout, _) = run(
            &["validate", "create-link.request", "--format", format],
            line.as_bytes(),
        );
        assert!(!stdout.contains("line 7: valid"), "{format}: {stdout}");
        assert!(!stdout.contains('\u{1b}'), "{format}: {stdout}");
    }
}

#[test]
fn violations_are_listed_in_document_order_in_every_format() {
    let payload =
        "{\n  \"redirectURL\": \"nope\",\n  \"email\": \"x\",\n  \"personalTaxId\": \"1\"\n}";
    let (_, stdout, _) = run(
        &["validate", "create-link.request", "--format", "json"],
        payload.as_bytes(),
    );
    let lines: Vec<u64> = json_errors(&stdout)
        .iter()
        .map(|e| e["line"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(lines, [2, 3, 4], "{stdout}");
    let (_, stdout, _) = run(
        &["validate", "create-link.request", "--format", "github"],
        payload.as_bytes(),
    );
    let order: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split("line=").nth(1)?.split(',').next())
        .collect();
    assert_eq!(order, ["2", "3", "4"], "{stdout}");
    let (_, stdout, _) = run(
        &["validate", "create-link.request", "--jsonl"],
        payload.replace('\n', " ").as_bytes(),
    );
    let pointers: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("line "))
        .filter_map(|l| l.split(": ").nth(1))
        .collect();
    assert_eq!(
        pointers,
        ["/redirectURL", "/email", "/personalTaxId"],
        "{stdout}"
    );
}

#[test]
fn duplicate_members_are_reported_at_their_second_copy() {
    let payload = "{\"email\": \"bad\",\n \"email\": \"maria@example.com\"}";
    let (status, stdout, _) = run(
        &["validate", "create-link.request", "--format", "json"],
        payload.as_bytes(),
    );
    assert_eq!(status, 1);
    let errors = json_errors(&stdout);
    assert_eq!(errors.len(), 1, "{stdout}");
    assert_eq!(errors[0]["code"], "duplicate_member");
    assert_eq!(errors[0]["pointer"], "/email");
    assert_eq!(
        (errors[0]["line"].as_u64(), errors[0]["column"].as_u64()),
        (Some(2), Some(2))
    );
    let payload =
        r#"{"productsCallbackURL": {"all": "https://x.com/a", "all": "https://x.com/b"}}"#;
    let (status, stdout, _) = run(
        &["validate", "create-link.request", "--format", "json"],
        payload.as_bytes(),
    );
    assert_eq!(status, 1, "{stdout}");
    let errors = json_errors(&stdout);
    assert_eq!(errors[0]["code"], "duplicate_member", "{stdout}");
    assert_eq!(errors[0]["pointer"], "/productsCallbackURL/all");
    assert_eq!(errors[0]["column"], 52);
}

#[test]
fn pointers_are_escaped_once_and_integers_say_when_they_are_too_large() {
    let (_, stdout, _) = run(
        &["validate", "create-link.request", "--format", "json"],
        br#"{"a/b": 1}"#,
    );
    let errors = json_errors(&stdout);
    assert_eq!(errors.len(), 1, "{stdout}");
    assert_eq!(errors[0]["column"], 2);
    let (_, stdout, _) = run(
        &["validate", "submit-mfa.request", "--format", "json"],
        br#"{"mfaId": 18446744073709551616, "code": "1"}"#,
    );
    let codes: Vec<&str> = json_errors(&stdout)
        .iter()
        .filter_map(|e| e["code"].as_str().map(str::to_owned))
        .map(|c| Box::leak(c.into_boxed_str()) as &str)
        .collect();
    assert_eq!(codes, ["integer_range"], "{stdout}");
}

#[test]
fn every_malformed_payload_is_located_as_its_message_says() {
    let cases: &[&[u8]] = &[
        b"{\"email\": \"\xff\"}",
        b"{\"expireIn\": 1e400}",
        b"{\"email\": \"\\ud800\"}",
        b"{\"email\": \"a\x01\"}",
        b"{\"\xc3\xa9\": \"a\x01\"}",
        b"{\"email\": ",
    ];
    let deep = format!("{}{}", "[".repeat(500), "]".repeat(500));
    for payload in cases.iter().copied().chain([deep.as_bytes()]) {
        let (status, stdout, _) = run(
            &["validate", "create-link.request", "--format", "json"],
            payload,
        );
        assert_eq!(status, 1);
        let errors = json_errors(&stdout);
        let error = &errors[0];
        assert_eq!(error["code"], "invalid_json");
        let (line, column) = (error["line"].as_u64(), error["column"].as_u64());
        assert!(line.is_some() && column.is_some(), "{stdout}");
        let said = format!(
            "at line {}, column {}:",
            line.unwrap_or(0),
            column.unwrap_or(0)
        );
        assert!(
            error["message"].as_str().unwrap_or("").contains(&said),
            "{stdout}"
        );
    }
    // The control character is at column 14 (characters, not bytes).
    let (_, stdout, _) = run(
        &["validate", "create-link.request", "--format", "json"],
        "{\"é\": \"a\u{1}\"}".as_bytes(),
    );
    assert_eq!(json_errors(&stdout)[0]["column"], 9, "{stdout}");
}

#[test]
fn an_oversized_payload_is_an_invalid_result_in_every_format() {
    let payload = vec![b' '; (16 << 20) + 1];
    let (status, stdout, stderr) = run(
        &["validate", "create-link.request", "--format", "json"],
        &payload,
    );
    assert_eq!(status, 1, "{stderr}");
    assert_eq!(
        json_errors(&stdout)[0]["code"],
        "payload_too_large",
        "{stdout}"
    );
    let (status, stdout, _) = run(&["validate", "create-link.request"], &payload);
    assert_eq!(status, 1);
    assert!(stdout.contains("error[payload_too_large]"), "{stdout}");
}

#[test]
fn small_things_a_user_notices() {
    let (status, _, stderr) = run(&["validate", "create-link.requets"], b"");
    assert_eq!(status, 2);
    assert!(
        stderr.contains("did you mean `create-link.request`?"),
        "{stderr}"
    );
    let (status, stdout, _) = run(&["tax-id", "１２３４５６７８９０９"], b"");
    assert_eq!(status, 1);
    assert!(stdout.contains("[cpf_character]"), "{stdout}");
    assert!(stdout.contains("position 0"), "{stdout}");
    let secret = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
    let (status, _, stderr) = run(
        &[
            "webhook",
            "verify",
            "--secret-env",
            secret,
            "--signature",
            "00",
        ],
        b"{}",
    );
    assert_eq!(status, 2);
    assert!(
        !stderr.contains(secret) && !stderr.contains("4eC39"),
        "{stderr}"
    );
}

/// `klavi openapi` (220 KB) into a reader that stops after one line (`| head -1`): it ends
/// quietly with success; into a full disk: a write error.
#[test]
fn openapi_into_a_closed_pipe_or_a_full_disk() {
    let child = klavi()
        .arg("openapi")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("klavi runs");
    let (first, stderr, status) = first_line_then_close(child);
    assert_eq!(first, "{\n");
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    #[cfg(target_os = "linux")]
    {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let output = klavi()
            .arg("openapi")
            .stdout(full)
            .output()
            .expect("klavi runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("cannot write"), "{stderr}");
    }
}
