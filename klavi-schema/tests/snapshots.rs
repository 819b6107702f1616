//! Snapshot of the code generated from the real schemas in `schemas/`, pretty-printed. Review
//! changes with `cargo insta review`: the diff shows exactly what a schema edit changes in the
//! generated API.

use std::path::PathBuf;

use klavi_schema::{EmitOptions, generate, load::DirSource};

fn schemas_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

/// Pretty-prints generated tokens so that snapshots are readable and diffs meaningful.
fn pretty(tokens: proc_macro2::TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens).expect("generated code parses as a Rust file");
    prettyplease::unparse(&file)
}

#[test]
fn generated_code_for_the_klavi_schemas() {
    let mut source = DirSource::new(schemas_dir());
    let generated = generate(&mut source, "endpoints.json", &EmitOptions::default())
        .unwrap_or_else(|errors| panic!("the schemas must generate:\n{errors}"));
    insta::assert_snapshot!("klavi_types", pretty(generated.tokens));
}
