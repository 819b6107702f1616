// The generated project trybuild compiles lives in target/tests/trybuild/klavi-derive, so the
// fixture is four levels up, in the workspace.
klavi_derive::generate!(index = "../../../../klavi-derive/tests/fixtures/extension-unknown/endpoints.json");

fn main() {}
