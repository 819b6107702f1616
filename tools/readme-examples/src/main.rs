//! `readme-examples ROOT OUT`: writes each example of the READMEs under `ROOT` (every
//! package's, see [`readmes`]) to `OUT/NN/` (`origin`,
//! `file`, `setup`, `run`, `source`: one value each, read by `.ci/consumer`), and a manifest
//! that depends on every crate their `cargo add` lines add (`OUT/vendor/Cargo.toml`, for
//! `cargo vendor`). Exit status 1 when a README breaks the rule (see the library's docs).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use klavi_readme_examples::{Example, added_crates, examples, readmes};

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(root), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: readme-examples ROOT OUT");
        return ExitCode::from(2);
    };
    let (root, out) = (PathBuf::from(root), PathBuf::from(out));
    let found = match readmes(&root) {
        Ok(found) => found,
        Err(error) => {
            eprintln!("{}: {error}", root.display());
            return ExitCode::from(2);
        }
    };
    let mut all = Vec::new();
    let mut problems = Vec::new();
    for readme in found {
        let text = match std::fs::read_to_string(&readme) {
            Ok(text) => text,
            Err(error) => {
                problems.push(format!("{}: {error}", readme.display()));
                continue;
            }
        };
        let name = readme
            .strip_prefix(&root)
            .unwrap_or(&readme)
            .display()
            .to_string();
        match examples(&name, &text) {
            Ok(found) => all.extend(found),
            Err(found) => problems.extend(found),
        }
    }
    let manifest = match vendor_manifest(&all) {
        Ok(manifest) => manifest,
        Err(problem) => {
            problems.push(problem);
            String::new()
        }
    };
    if !problems.is_empty() {
        for problem in problems {
            eprintln!("{problem}");
        }
        return ExitCode::FAILURE;
    }
    match write(&out, &all, &manifest) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{}: {error}", out.display());
            ExitCode::from(2)
        }
    }
}

/// A manifest whose dependencies are every crate the examples add, with the union of their
/// features (any version: the packaged crates are patched in, the third-party ones locked by
/// the workspace's lock file copied beside it).
fn vendor_manifest(all: &[Example]) -> Result<String, String> {
    let mut crates: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in all.iter().flat_map(|e| &e.setup) {
        for (name, _dev, features) in added_crates(line)? {
            let known = crates.entry(name).or_default();
            for feature in features {
                if !known.contains(&feature) {
                    known.push(feature);
                }
            }
        }
    }
    let mut manifest = String::from(
        "[package]\nname = \"readme-examples-vendor\"\nversion = \"0.0.0\"\nedition = \
         \"2024\"\npublish = false\n\n[dependencies]\n",
    );
    for (name, features) in crates {
        let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
        manifest.push_str(&format!(
            "{name} = {{ version = \"*\", features = [{}] }}\n",
            features.join(", ")
        ));
    }
    manifest.push_str("\n[workspace]\n");
    Ok(manifest)
}

fn write(out: &Path, all: &[Example], manifest: &str) -> std::io::Result<()> {
    for (index, example) in all.iter().enumerate() {
        let dir = out.join(format!("{:02}", index + 1));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("origin"), &example.origin)?;
        std::fs::write(dir.join("file"), &example.file)?;
        std::fs::write(dir.join("setup"), example.setup.join("\n") + "\n")?;
        std::fs::write(dir.join("run"), example.run.as_deref().unwrap_or_default())?;
        std::fs::write(dir.join("source"), &example.source)?;
    }
    let vendor = out.join("vendor");
    std::fs::create_dir_all(vendor.join("src"))?;
    std::fs::write(vendor.join("Cargo.toml"), manifest)?;
    std::fs::write(vendor.join("src/lib.rs"), "")
}
