//! `klavi mock` as a process: the banner on standard output, a request answered, the request
//! log on standard error (no value in it), a bad flag refused, and SIGTERM ending it cleanly.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::Duration;

fn binary() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("klavi")
}

#[test]
fn it_serves_until_sigterm() {
    let mut child = Command::new(binary())
        .args([
            "mock",
            "--port",
            "0",
            "--format",
            "json",
            "--access-key",
            "k-1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    stdout.read_line(&mut banner).unwrap();
    let banner: serde_json::Value = serde_json::from_str(&banner).unwrap();
    // A key the user gave is not printed; the documented default is.
    assert_eq!(banner["accessKey"], serde_json::Value::Null);
    assert_eq!(banner["secretKey"], klavi_mock::DEFAULT_SECRET_KEY);
    let base = banner["baseUrl"].as_str().unwrap().to_owned();

    // A raw HTTP/1.1 request, without a client crate: a bad CPF in the consent list query.
    let address = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    std::io::Write::write_all(
        &mut stream,
        b"GET /data/v1/consents?personalTaxId=28001238939 HTTP/1.1\r\nhost: x\r\nauthorization: Bearer nope\r\nconnection: close\r\n\r\n",
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains(r#""statusCode":401"#), "{answer}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert_eq!(exit.code(), Some(0));
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(
        log.contains("GET /data/v1/consents (get-consent-list) -> 401"),
        "{log}"
    );
    assert!(
        !log.contains("28001238939") && !log.contains("nope"),
        "{log}"
    );
}

#[test]
fn bad_flags_are_usage_errors() {
    for args in [
        &["mock", "--fail-rate", "2"][..],
        &["mock", "--status", "200"],
        &["mock", "--latency", "5"],
        &["mock", "--authorise-after", "later"],
    ] {
        let output = Command::new(binary()).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = Command::new(binary())
        .args(["mock", "--port", &port])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("cannot listen on 127.0.0.1:"), "{error}");
}
