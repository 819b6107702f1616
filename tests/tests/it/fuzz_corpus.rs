//! Replays every fuzz target's seeds, kept corpus (`fuzz/corpus/TARGET/`) and fixed findings
//! (`fuzz/regressions/TARGET/`) through the same bodies the fuzzer runs
//! ([`klavi_tests::fuzzing`]), on the stable toolchain and in a few seconds. A corpus file that
//! panics here is a finding the fuzzer made that is not fixed; a new finding goes into
//! `fuzz/regressions/` once it is.

use std::path::{Path, PathBuf};

use klavi_tests::fuzzing::{TARGETS, seeds};

fn files_in(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a readable folder").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_target_survives_its_seeds_corpus_and_regressions() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut report = Vec::new();
    for target in TARGETS {
        let seeds = seeds(target.name);
        assert!(!seeds.is_empty(), "{}: no seeds", target.name);
        for seed in &seeds {
            (target.run)(seed);
        }
        let mut replayed = 0;
        for kind in ["corpus", "regressions"] {
            for file in files_in(&fuzz.join(kind).join(target.name)) {
                let input = std::fs::read(&file).expect("a readable corpus file");
                let outcome = std::panic::catch_unwind(|| (target.run)(&input));
                assert!(
                    outcome.is_ok(),
                    "{} fails on {}",
                    target.name,
                    file.display()
                );
                replayed += 1;
            }
        }
        report.push(format!(
            "{}: {} seeds, {replayed} corpus files",
            target.name,
            seeds.len()
        ));
    }
    println!("{}", report.join("\n"));
}

#[test]
fn the_fuzz_crate_has_one_binary_per_target() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let manifest = std::fs::read_to_string(fuzz.join("Cargo.toml")).expect("fuzz/Cargo.toml");
    for target in TARGETS {
        let source = fuzz
            .join("fuzz_targets")
            .join(format!("{}.rs", target.name));
        let body = std::fs::read_to_string(&source).expect("a target source");
        assert!(
            body.contains(&format!("klavi_tests::fuzzing::{}(", target.name)),
            "{} does not call its body",
            source.display()
        );
        assert!(
            manifest.contains(&format!("name = \"{}\"", target.name)),
            "fuzz/Cargo.toml lacks the binary {}",
            target.name
        );
    }
}
