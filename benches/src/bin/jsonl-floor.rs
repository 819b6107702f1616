//! The parse-only floor of `klavi validate MESSAGE --jsonl`: the same JSON Lines file read
//! line by line and each line passed over by `serde_json` (into `IgnoredAny`, as the
//! benchmarks' `anchor_parse_only` does), on every core the machine has, in chunks of whole
//! lines as the `klavi` engine takes them. Nothing is checked and nothing is written but the
//! count: what reading and parsing alone cost, beside `wc -l` (reading alone) and `klavi`.
//!
//! Usage: `cargo run --release -q -p klavi-bench --bin jsonl-floor FILE`; prints the lines,
//! how many are JSON, and the wall time.

use std::io::Read;

/// How much of the file each round takes (the `klavi` engine's chunk).
const CHUNK_BYTES: usize = 4 * 1024 * 1024;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: jsonl-floor FILE");
        std::process::exit(2);
    };
    let started = std::time::Instant::now();
    let mut file = std::fs::File::open(&path).unwrap_or_else(|error| {
        eprintln!("{path}: {error}");
        std::process::exit(2);
    });
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let (mut lines, mut parsed) = (0u64, 0u64);
    let mut pending: Vec<u8> = Vec::new();
    let mut buffer = vec![0u8; CHUNK_BYTES];
    loop {
        let read = file.read(&mut buffer).unwrap_or_else(|error| {
            eprintln!("{path}: {error}");
            std::process::exit(2);
        });
        pending.extend_from_slice(&buffer[..read]);
        let whole = if read == 0 {
            pending.len()
        } else {
            pending
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |at| at + 1)
        };
        if whole > 0 {
            let (l, p) = parse_lines(&pending[..whole], threads);
            lines += l;
            parsed += p;
            pending.drain(..whole);
        }
        if read == 0 {
            break;
        }
    }
    println!(
        "{lines} lines, {parsed} JSON, {:.3} s on {threads} thread(s)",
        started.elapsed().as_secs_f64()
    );
}

/// The lines of `chunk` and how many parse, the chunk cut at line breaks into one piece per
/// thread.
fn parse_lines(chunk: &[u8], threads: usize) -> (u64, u64) {
    let mut pieces = Vec::with_capacity(threads);
    let mut start = 0;
    for i in 1..=threads {
        let target = (chunk.len() * i / threads).max(start);
        let end = if i == threads {
            chunk.len()
        } else {
            chunk[target..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(chunk.len(), |at| target + at + 1)
        };
        pieces.push(&chunk[start..end]);
        start = end;
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = pieces
            .into_iter()
            .map(|piece| {
                scope.spawn(move || {
                    let (mut lines, mut parsed) = (0u64, 0u64);
                    for line in piece.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                        lines += 1;
                        let ok = klavi_bench::read::from_bytes::<serde::de::IgnoredAny>(line);
                        parsed += u64::from(ok.is_ok());
                    }
                    (lines, parsed)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap_or((0, 0)))
            .fold((0, 0), |(a, b), (c, d)| (a + c, b + d))
    })
}
