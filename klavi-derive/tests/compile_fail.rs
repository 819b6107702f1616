//! Every schema error is a compile error naming the file and JSON Pointer, never a panic of the
//! macro: unreadable file, invalid JSON, unknown keyword, unknown format, dangling `$ref`, two
//! types with one name.

#[test]
fn schema_errors_are_compile_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
