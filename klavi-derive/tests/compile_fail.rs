//! Every malformed schema shape is a compile error naming the file and JSON Pointer: never a panic
//! of the macro, never a rustc error in the generated code. Each case is `tests/ui/NAME.rs` with
//! its schemas in `tests/fixtures/NAME/` and the expected error in `tests/ui/NAME.stderr`. The
//! families:
//!
//! - files: unreadable, invalid JSON, empty, invalid UTF-8, nested past the JSON depth limit, a
//!   message schema that is an array or `true`;
//! - the index (`index-*`): not an object, no `endpoints`, unknown module, method, token kind or
//!   message kind, a module named like a Rust keyword, a duplicate endpoint id, two endpoints
//!   with one marker type, a message file outside the schema directory, a path parameter that
//!   is unclosed or missing from the `path` message;
//! - keywords and their values: unknown keyword or `x-` extension, `allOf`, `type` unknown, not a
//!   string or unsupported (`number`), `required` not an array, naming an undeclared property or
//!   repeating one, `properties` not an object, `additionalProperties` not a schema, `items` as
//!   a tuple, an `x-` flag that is not a boolean, `minLength` negative or a string, a lower bound
//!   above its upper bound, `pattern` on a plain string;
//! - formats: an unknown `format`, a `format` or `x-klavi-personal-data` on a non-string;
//! - enums and unions: empty, mixing strings and integers, a repeated value, a `oneOf` of objects
//!   without a tag, an exclusive-map key that takes the entries variant's name;
//! - references (`*-ref`, `ref-*`): dangling, absolute URI, anchor, pointing at a non-schema, a
//!   cycle of `$ref`s or of arrays, an object containing itself with no array in between;
//! - names: a property that cannot be a Rust field, two properties with one snake_case name, an
//!   `x-rust-name` that is not an identifier or is a keyword (field, type, enum variant), two
//!   types with one name.

//!
//! trybuild compiles each case in its own project, `TARGET/tests/trybuild/klavi-derive`, where
//! `TARGET` is the target directory (`CARGO_TARGET_DIR` or the workspace's `target/`). The
//! cases name their fixtures from there, as `../klavi-derive-fixtures/NAME/…`, and this test
//! puts the fixtures there first, so the suite passes wherever the target directory is.

use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn schema_errors_are_compile_errors() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let link = target_directory().join("tests/trybuild/klavi-derive-fixtures");
    place_fixtures(&fixtures, &link);
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}

/// The target directory, as trybuild finds it: `cargo metadata`'s `target_directory`.
fn target_directory() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "cargo metadata failed");
    let text = String::from_utf8(output.stdout).expect("UTF-8 metadata");
    let key = "\"target_directory\":\"";
    let start = text.find(key).expect("a target directory") + key.len();
    let end = start + text[start..].find('"').expect("a closing quote");
    // JSON escapes in a path: only `\\` (Windows separators) and `\"` can occur.
    PathBuf::from(text[start..end].replace("\\\\", "\\"))
}

/// Makes `link` show the `fixtures` folder: a symbolic link where possible, else a copy.
fn place_fixtures(fixtures: &Path, link: &Path) {
    std::fs::create_dir_all(link.parent().expect("a parent")).expect("the trybuild folder");
    #[cfg(unix)]
    {
        if std::fs::read_link(link).is_ok_and(|target| target == fixtures) {
            return;
        }
        let _ = std::fs::remove_file(link);
        let _ = std::fs::remove_dir_all(link);
        std::os::unix::fs::symlink(fixtures, link).expect("a link to the fixtures");
    }
    #[cfg(not(unix))]
    {
        let _ = std::fs::remove_dir_all(link);
        copy_dir(fixtures, link);
    }
}

#[cfg(not(unix))]
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("the fixtures") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a copy");
        }
    }
}
