//! Peak heap of reading a checking statement of 10,000 transactions (about 6.9 MB), for each reader
//! of `benches/benches/klavi.rs`'s `checking_statement_10000` group: `cargo test --release -p
//! klavi-bench --test statement_memory -- --nocapture` prints them (BENCHMARKS.md). The typed
//! report is asserted to stay within a few times its input.
//!
//! dhat's peak cannot be reset, so each reader is measured in a process of its own: the test
//! runs its own binary again once per reader (`KLAVI_MEMORY_READER`), with the payload built
//! before the profiler starts.

use std::process::Command;

use klavi_bench::{floor, payloads, read};
use klavi_types::reports::{ProductReport, ProductReportBody};
use serde_json::Value;

#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

const READERS: [&str; 3] = ["typed", "value", "floor"];

/// Reads `bytes` with `reader` and returns the peak heap it took (the payload excluded).
fn peak_of(reader: &str, bytes: &[u8]) -> u64 {
    let _profiler = dhat::Profiler::builder().testing().build();
    match reader {
        "typed" => {
            let report: ProductReport = klavi_types::from_json(bytes).unwrap();
            let ProductReportBody::CheckingAccounts(body) = &report.body else {
                panic!("not a checking statement");
            };
            let account = &body.checking_accounts.as_ref().unwrap()[0];
            assert_eq!(account.transaction_details.as_ref().unwrap().len(), 10_000);
        }
        "value" => drop(read::from_bytes::<Value>(bytes).unwrap()),
        "floor" => drop(read::from_bytes::<floor::CheckingStatementReport>(bytes).unwrap()),
        other => panic!("unknown reader {other}"),
    }
    dhat::HeapStats::get().max_bytes as u64
}

#[test]
fn a_statement_of_10000_transactions_is_read_in_bounded_memory() {
    let text = payloads::checking_statement(10_000);
    let input = text.len() as u64;
    if let Ok(reader) = std::env::var("KLAVI_MEMORY_READER") {
        println!("peak={}", peak_of(&reader, text.as_bytes()));
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let mut peaks = Vec::new();
    for reader in READERS {
        let output = Command::new(&exe)
            .args([
                "--exact",
                "a_statement_of_10000_transactions_is_read_in_bounded_memory",
                "--nocapture",
            ])
            .env("KLAVI_MEMORY_READER", reader)
            .output()
            .unwrap();
        assert!(output.status.success(), "{reader}: {output:?}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let peak: u64 = stdout
            .lines()
            .find_map(|line| line.strip_prefix("peak="))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("{reader}: {stdout}"));
        peaks.push((reader, peak));
    }
    for (reader, peak) in &peaks {
        eprintln!(
            "a statement of {input} bytes, peak heap of the {reader} reader: {peak} bytes ({:.2}x the input)",
            *peak as f64 / input as f64
        );
    }
    let typed = peaks[0].1;
    assert!(
        typed < 8 * input,
        "typed report peak {typed} for {input} bytes"
    );
}
