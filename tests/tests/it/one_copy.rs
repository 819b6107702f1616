//! One copy of every file a package needs. What `klavi-types` reads at build time (its
//! schemas, the README its doctests come from, the example payloads) lives in its package
//! directory, and the repository's top-level `schemas`, `README.md` and `examples/payloads` are
//! symbolic links to it; each publishable crate's license files are links to the top-level
//! ones, which `cargo package` copies in. An editor or `sed -i` that replaces a link with a file
//! would start a second copy that drifts: this test fails on it.
#![cfg(unix)]

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

fn assert_link(link: &str, target: &str) {
    let path = root().join(link);
    let metadata =
        std::fs::symlink_metadata(&path).unwrap_or_else(|error| panic!("`{link}`: {error}"));
    assert!(
        metadata.file_type().is_symlink(),
        "`{link}` must be a link to `{target}`, not a copy (restore it with `ln -sfn {target} {link}`)"
    );
    let actual = std::fs::read_link(&path).expect("a readable link");
    assert_eq!(actual, Path::new(target), "`{link}` points elsewhere");
    assert!(path.exists(), "`{link}` is a dangling link");
}

#[test]
fn the_repository_links_to_what_klavi_types_carries() {
    assert_link("schemas", "klavi-types/schemas");
    assert_link("README.md", "klavi-types/README.md");
    assert_link("examples/payloads", "../klavi-types/examples/payloads");
}

#[test]
fn every_publishable_crate_links_the_license_files() {
    for krate in ["klavi-schema", "klavi-derive", "klavi-types", "klavi-cli"] {
        for license in ["LICENSE-MIT", "LICENSE-APACHE"] {
            assert_link(&format!("{krate}/{license}"), &format!("../{license}"));
        }
    }
}
