// The generated project trybuild compiles lives in TARGET/tests/trybuild/klavi-derive; the
// fixtures are linked beside it (see compile_fail.rs), wherever the target directory is.
klavi_derive::generate!(index = "../klavi-derive-fixtures/body-without-raw/endpoints.json");

fn main() {}
