//! Unit-test support: lowers a small schema held in memory, as the only message of a one-endpoint
//! index, so that each shape's file can test its lowering on a fixture of a few lines.

use crate::error::SchemaErrors;
use crate::load::{MemorySource, load};
use crate::model::{Model, TypeBody};

/// The index every fixture uses: `POST /demo`, its request in `demo/x.json`, and the shared
/// definitions in `demo/defs.json`.
const INDEX: &str = r#"{"modules": {"demo": "Demo."}, "endpoints": [
  {"id": "x", "title": "X", "description": "X.", "method": "POST", "path": "/demo",
   "token": "none", "module": "demo", "docs": "https://example.com",
   "messages": {"request": "demo/x.json"}}]}"#;

/// Checks and lowers `schema` as the request of the fixture endpoint, with `defs` as
/// `demo/defs.json`.
pub(crate) fn lower_with_defs(schema: &str, defs: &str) -> Result<Model, SchemaErrors> {
    let mut source = MemorySource::new([
        ("endpoints.json", INDEX),
        ("demo/x.json", schema),
        ("demo/defs.json", defs),
    ]);
    let documents = load(&mut source, "endpoints.json")?;
    crate::check::check(&documents)?;
    super::lower(&documents)
}

/// Checks and lowers `schema` as the request of the fixture endpoint.
pub(crate) fn lower_one(schema: &str) -> Result<Model, SchemaErrors> {
    lower_with_defs(schema, r#"{"$defs": {}}"#)
}

/// The body of the type named `name`.
pub(crate) fn body<'m>(model: &'m Model, name: &str) -> &'m TypeBody {
    match model.types.iter().find(|t| t.name == name) {
        Some(def) => &def.body,
        None => panic!(
            "no type `{name}` in {:?}",
            model.types.iter().map(|t| &t.name).collect::<Vec<_>>()
        ),
    }
}

/// The (pointer, message) of every error, for assertions.
pub(crate) fn errors(result: Result<Model, SchemaErrors>) -> Vec<(String, String)> {
    match result {
        Ok(_) => panic!("expected errors"),
        Err(errors) => errors
            .0
            .into_iter()
            .map(|e| (e.pointer, e.message))
            .collect(),
    }
}
