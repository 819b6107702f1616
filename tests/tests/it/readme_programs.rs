//! The README's Rust programs that its doctests cannot compile (they need `klavi-client` or
//! `klavi-mock`, which `klavi-types`' doctests do not see) are marked `rust,ignore` and are,
//! verbatim, files that CI builds: `consumer/examples/readme_integration.rs` (built and run
//! from the packaged crates by `.ci/consumer`) and `klavi-client/examples/webhook_receiver.rs`
//! (built by the workspace's tests and clippy). An edit to one without the other fails here.

use std::path::Path;

fn read(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the root");
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// The bodies of the README's ```` ```rust,ignore ```` blocks.
fn ignored_blocks(readme: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut rest = readme;
    while let Some(start) = rest.find("```rust,ignore\n") {
        let body = &rest[start + "```rust,ignore\n".len()..];
        let end = body.find("\n```").expect("a closed block");
        blocks.push(body[..=end].to_owned());
        rest = &body[end..];
    }
    blocks
}

#[test]
fn every_ignored_readme_program_is_a_file_ci_builds() {
    let readme = read("klavi-types/README.md");
    let blocks = ignored_blocks(&readme);
    let files = [
        "consumer/examples/readme_integration.rs",
        "klavi-client/examples/webhook_receiver.rs",
    ];
    assert_eq!(blocks.len(), files.len(), "one file per ignored block");
    for file in files {
        let text = read(file);
        assert!(
            blocks.contains(&text),
            "the README's copy of {file} differs from the file"
        );
    }
}
