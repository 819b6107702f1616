//! The generated code, reviewed in small pieces (`cargo insta review` shows each change as a
//! diff). One snapshot per generated module, the code and then each type's schema, indented
//! (`klavi_tests::generated_code`):
//!
//! * `api_module_NAME`: the code generated from the real schemas in `schemas/`, what
//!   klavi-types compiles;
//! * `shape_module_NAME`: the shape fixtures in `klavi-types/tests/shapes/`, one module per row
//!   of ARCHITECTURE.md's "Shapes the generator understands". The same code is compiled and
//!   held to its schemas by klavi-types' unit tests (`klavi-types/src/shape_fixtures.rs`), which
//!   expand it with the runtime path used here.

use std::path::{Path, PathBuf};

use klavi_schema::load::DirSource;
use klavi_schema::{EmitOptions, generate};
use klavi_tests::generated_code::split_by_module;

fn klavi_types_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../klavi-types")
}

/// Generates from `dir`'s `endpoints.json` and checks each module's snapshot, named
/// `PREFIX_module_NAME`; returns how many there were.
fn check_snapshots(dir: PathBuf, options: &EmitOptions, prefix: &str) -> usize {
    let mut source = DirSource::new(dir);
    let generated = generate(&mut source, "endpoints.json", options)
        .unwrap_or_else(|errors| panic!("the schemas must generate:\n{errors}"));
    let snapshots = split_by_module(generated.tokens);
    let count = snapshots.len();
    for snapshot in snapshots {
        insta::assert_snapshot!(format!("{prefix}_{}", snapshot.name), snapshot.text);
    }
    count
}

#[test]
fn the_code_generated_for_the_klavi_api() {
    let count = check_snapshots(
        klavi_types_dir().join("schemas"),
        &EmitOptions::default(),
        "api",
    );
    assert_eq!(count, 11, "ten modules and the items outside them");
}

#[test]
fn the_code_generated_for_each_shape() {
    let options = EmitOptions {
        runtime: "crate::shape_fixtures"
            .parse()
            .expect("a path parses as tokens"),
    };
    let count = check_snapshots(klavi_types_dir().join("tests/shapes"), &options, "shape");
    assert_eq!(count, 15, "14 shape modules and the registry");
}
