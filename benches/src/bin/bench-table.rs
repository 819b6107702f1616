//! Prints the medians of the last `cargo bench -p klavi-bench` run as the Markdown table of
//! `BENCHMARKS.md`: one row per contender, with its ratio to klavi-types in the same group.
//! Reads criterion's `target/criterion/GROUP/BENCH[/INPUT]/new/estimates.json`.
//!
//! Usage: `cargo run -q -p klavi-bench --bin bench-table [CRITERION_DIR]`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The median of one benchmark, in nanoseconds, from its `estimates.json`.
fn median_ns(estimates: &Path) -> Option<f64> {
    let text = std::fs::read_to_string(estimates).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value["median"]["point_estimate"].as_f64()
}

/// Every `…/new/estimates.json` under `dir`, as (benchmark id relative to `root`, median).
fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, f64)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.file_name().is_some_and(|name| name == "new") {
            if let Some(median) = median_ns(&path.join("estimates.json")) {
                let id = dir.strip_prefix(root).unwrap_or(dir);
                out.push((id.to_string_lossy().into_owned(), median));
            }
        } else if path.is_dir() && path.file_name().is_some_and(|name| name != "report") {
            collect(root, &path, out);
        }
    }
}

fn human(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.3} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.3} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}

fn main() {
    let root = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/criterion"));
    let mut medians = Vec::new();
    collect(&root, &root, &mut medians);
    if medians.is_empty() {
        eprintln!(
            "no criterion results under {}: run `cargo bench -p klavi-bench` first",
            root.display()
        );
        std::process::exit(2);
    }
    // Group rows by (group, input): `cpf/klavi_types/bare` is group `cpf`, input `bare`.
    let mut groups: BTreeMap<(String, String), Vec<(String, f64)>> = BTreeMap::new();
    for (id, median) in medians {
        let parts: Vec<&str> = id.split('/').collect();
        let (group, contender, input) = match parts.as_slice() {
            [group, contender] => (*group, *contender, ""),
            [group, contender, input] => (*group, *contender, *input),
            _ => continue,
        };
        groups
            .entry((group.to_owned(), input.to_owned()))
            .or_default()
            .push((contender.to_owned(), median));
    }
    let mut table = String::from(
        "| Group | Input | Contender | Median | Ratio to klavi-types |\n|---|---|---|---:|---:|\n",
    );
    for ((group, input), rows) in &groups {
        let ours = rows
            .iter()
            .find(|(contender, _)| contender == "klavi_types" || contender == "create_link_valid")
            .map(|(_, median)| *median);
        for (contender, median) in rows {
            let ratio = ours.map_or_else(|| "".to_owned(), |ours| format!("{:.2}×", median / ours));
            table.push_str(&format!(
                "| {group} | {input} | {contender} | {} | {ratio} |\n",
                human(*median)
            ));
        }
    }
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), table.as_bytes());
}
