//! Snapshots of the code generated from the real schemas in `schemas/`, pretty-printed, one per
//! generated module (`snapshots/snapshots__module_NAME.snap`) plus one for the items outside
//! the modules (endpoint markers, registry). Each type's `SOURCE_SCHEMA` is one compact JSON
//! line in the code; here it is replaced by a name (`SOURCE_SCHEMA_3`) and printed, indented,
//! at the end of its module's snapshot, so a schema edit shows as a readable diff. Review
//! changes with `cargo insta review`.

use std::path::PathBuf;

use klavi_schema::{EmitOptions, generate, load::DirSource};

fn schemas_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

/// One snapshot: the pretty-printed items, then each schema they hold.
struct Snapshot {
    items: Vec<syn::Item>,
    schemas: Vec<(String, String)>,
}

impl Snapshot {
    fn render(self) -> String {
        let mut file: syn::File = syn::parse_str("").expect("an empty file parses");
        file.items = self.items;
        let mut text = prettyplease::unparse(&file);
        for (name, schema) in self.schemas {
            let value: serde_json::Value =
                serde_json::from_str(&schema).expect("SOURCE_SCHEMA is JSON");
            let pretty = serde_json::to_string_pretty(&value).expect("JSON prints");
            text.push_str(&format!("\n// {name}:\n{pretty}\n"));
        }
        text
    }
}

/// Replaces each `SOURCE_SCHEMA` literal in the impls of `items` by a numbered name, keeping
/// the literal's text.
fn take_schemas(items: &mut [syn::Item]) -> Vec<(String, String)> {
    let mut schemas = Vec::new();
    for item in items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let type_name = match &*block.self_ty {
            syn::Type::Path(path) => path
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default(),
            _ => String::new(),
        };
        for impl_item in &mut block.items {
            let syn::ImplItem::Const(constant) = impl_item else {
                continue;
            };
            if constant.ident != "SOURCE_SCHEMA" {
                continue;
            }
            let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(literal),
                ..
            }) = &constant.expr
            else {
                panic!("SOURCE_SCHEMA of {type_name} is not a string literal");
            };
            let name = format!("SOURCE_SCHEMA_{} ({type_name})", schemas.len() + 1);
            schemas.push((name, literal.value()));
            let placeholder = format!("SOURCE_SCHEMA_{}", schemas.len());
            constant.expr = syn::parse_str(&placeholder).expect("an identifier parses");
        }
    }
    schemas
}

#[test]
fn generated_code_for_the_klavi_schemas() {
    let mut source = DirSource::new(schemas_dir());
    let generated = generate(&mut source, "endpoints.json", &EmitOptions::default())
        .unwrap_or_else(|errors| panic!("the schemas must generate:\n{errors}"));
    let file: syn::File =
        syn::parse2(generated.tokens).expect("generated code parses as a Rust file");
    let mut outside = Vec::new();
    let mut modules = Vec::new();
    for item in file.items {
        match item {
            syn::Item::Mod(mut module) if module.content.is_some() => {
                let name = module.ident.to_string();
                let (_, items) = module.content.take().expect("checked above");
                modules.push((name, module, items));
            }
            other => outside.push(other),
        }
    }
    assert!(
        modules.len() >= 5,
        "expected the generated modules, found {}",
        modules.len()
    );
    for (name, mut module, mut items) in modules {
        let schemas = take_schemas(&mut items);
        module.content = Some((Default::default(), items));
        let snapshot = Snapshot {
            items: vec![syn::Item::Mod(module)],
            schemas,
        };
        insta::assert_snapshot!(format!("module_{name}"), snapshot.render());
    }
    let schemas = take_schemas(&mut outside);
    insta::assert_snapshot!(
        "outside_modules",
        Snapshot {
            items: outside,
            schemas
        }
        .render()
    );
}
