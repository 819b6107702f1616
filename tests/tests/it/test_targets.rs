//! The test targets are what the test run builds, so nothing written as a test goes unbuilt:
//!
//! * each crate's integration tests are one binary, `tests/it/main.rs`, and every other file of
//!   `tests/it/` must be one of its `mod` lines (an undeclared file would never compile);
//! * a package that turns its unit tests or doctests off (`test = false`, `doctest = false`,
//!   to save building an empty test binary) must hold none in `src/`.
//!
//! And where `unsafe` may be: one module of the workspace, `klavi-types/src/simd.rs`,
//! each of its blocks with its safety argument.

use std::path::{Path, PathBuf};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

/// The workspace members, from the root manifest's `members` list.
fn members() -> Vec<PathBuf> {
    let root = workspace_root();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("the root manifest");
    let line = manifest
        .lines()
        .find(|line| line.starts_with("members = ["))
        .expect("a members line");
    let members: Vec<PathBuf> = line
        .split('"')
        .skip(1)
        .step_by(2)
        .map(|member| root.join(member))
        .collect();
    assert!(members.len() >= 8, "members: {members:?}");
    members
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("a readable folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_file_of_an_integration_binary_is_one_of_its_modules() {
    let mut binaries = 0;
    for member in members() {
        let folder = member.join("tests/it");
        let Ok(main) = std::fs::read_to_string(folder.join("main.rs")) else {
            continue;
        };
        binaries += 1;
        for entry in std::fs::read_dir(&folder).expect("a readable folder") {
            let path = entry.expect("an entry").path();
            let Some(name) = path
                .file_name()
                .and_then(|name| name.to_str())
                .and_then(|name| name.strip_suffix(".rs"))
            else {
                continue;
            };
            if name != "main" {
                assert!(
                    main.lines().any(|line| line == format!("mod {name};")),
                    "{} is not a module of {}: add `mod {name};`",
                    path.display(),
                    folder.join("main.rs").display()
                );
            }
        }
    }
    // klavi-schema, klavi-types, klavi-client, klavi-mock, klavi-cli and this crate.
    assert_eq!(binaries, 6);
}

#[test]
fn packages_without_test_targets_hold_no_tests() {
    let mut checked = 0;
    for member in members() {
        let manifest = std::fs::read_to_string(member.join("Cargo.toml")).expect("a manifest");
        let no_tests = manifest.lines().any(|line| line == "test = false");
        let no_doctests = manifest.lines().any(|line| line == "doctest = false");
        if !no_tests && !no_doctests {
            continue;
        }
        checked += 1;
        for file in rust_files(&member.join("src")) {
            let text = std::fs::read_to_string(&file).expect("a readable source");
            let mut in_block = false;
            for (number, line) in text.lines().enumerate() {
                let line = line.trim_start();
                let place = format!("{}:{}", file.display(), number + 1);
                if no_tests {
                    for marker in ["#[test]", "#[cfg(test)]", "proptest!"] {
                        assert!(
                            !line.starts_with(marker),
                            "{place}: a test in a package built with `test = false`"
                        );
                    }
                }
                if no_doctests && (line.starts_with("///") || line.starts_with("//!")) {
                    // An opening fence without a language, or with `rust`, is a doctest.
                    if let Some(info) = line[3..].trim().strip_prefix("```") {
                        assert!(
                            in_block || !(info.is_empty() || info.starts_with("rust")),
                            "{place}: a doctest in a package built with `doctest = false`"
                        );
                        in_block = !in_block;
                    }
                }
            }
        }
    }
    // klavi-tests, klavi-bench and partner-app.
    assert_eq!(checked, 3);
}

/// The one module allowed `unsafe` code.
const UNSAFE_MODULE: &str = "klavi-types/src/simd.rs";

/// `unsafe` is denied in every package (the workspace's lints) and allowed in one module: no
/// other file of the workspace or of the fuzz targets allows it or writes an `unsafe` block,
/// function or impl, and each block of that module follows a `// SAFETY:` comment.
#[test]
fn unsafe_code_lives_in_one_module() {
    let root = workspace_root();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("the root manifest");
    assert!(
        manifest
            .lines()
            .any(|line| line == r#"unsafe_code = "deny""#)
    );
    let mut folders: Vec<PathBuf> = members();
    folders.push(root.join("fuzz"));
    let mut found = Vec::new();
    let mut blocks = 0;
    for folder in folders {
        for file in rust_files(&folder) {
            if file.components().any(|part| part.as_os_str() == "target") {
                continue;
            }
            let text = std::fs::read_to_string(&file).expect("a readable source");
            let name = file
                .strip_prefix(&root)
                .expect("inside the workspace")
                .to_string_lossy()
                .replace('\\', "/");
            let lines: Vec<&str> = text.lines().collect();
            for (number, line) in lines.iter().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                // Spelt in pieces, so that this file does not match itself.
                let unsafe_here = code.contains(concat!("allow(", "unsafe_code)"))
                    || [" {", " fn", " impl", " extern"]
                        .iter()
                        .any(|word| code.contains(&format!("unsafe{word}")));
                if !unsafe_here {
                    continue;
                }
                found.push(name.clone());
                if code.contains(concat!("unsafe", " {")) {
                    blocks += 1;
                    let argued = lines[..number]
                        .iter()
                        .rev()
                        .take(3)
                        .any(|above| above.trim_start().starts_with("// SAFETY:"));
                    assert!(
                        argued,
                        "{name}:{}: an unsafe block without `// SAFETY:`",
                        number + 1
                    );
                }
            }
        }
    }
    found.dedup();
    assert_eq!(found, [UNSAFE_MODULE]);
    // The four calls into the SSE2 functions, the one load, and the conversions of
    // `ascii_run` and `ascii_str`.
    assert_eq!(blocks, 7);
}
