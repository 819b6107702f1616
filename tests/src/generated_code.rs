//! Generated code as reviewable snapshots: the tokens `klavi_schema::generate` returns, split
//! into one pretty-printed text per generated module (plus one for the items outside them), in
//! which each type's `SOURCE_SCHEMA` (one compact JSON line in the code) is replaced by a name
//! (`SOURCE_SCHEMA_3`) and printed, indented, after the module's code. A schema edit then shows
//! as a small, readable diff.

use proc_macro2::TokenStream;

/// One snapshot: its name (`module_links`, `outside_modules`) and its text.
pub struct CodeSnapshot {
    /// `module_NAME` for a generated module, `outside_modules` for the rest.
    pub name: String,
    /// The code, then each schema it holds.
    pub text: String,
}

/// Splits `tokens` (a whole generated file) into snapshots. Panics when the tokens are not a
/// Rust file or a `SOURCE_SCHEMA` is not a JSON string literal: both are generator bugs.
pub fn split_by_module(tokens: TokenStream) -> Vec<CodeSnapshot> {
    let file: syn::File = syn::parse2(tokens).expect("generated code parses as a Rust file");
    let mut outside = Vec::new();
    let mut snapshots = Vec::new();
    for item in file.items {
        match item {
            syn::Item::Mod(mut module) if module.content.is_some() => {
                let name = format!("module_{}", module.ident);
                let (brace, mut items) = module.content.take().expect("checked above");
                let schemas = take_schemas(&mut items);
                module.content = Some((brace, items));
                snapshots.push(CodeSnapshot {
                    name,
                    text: render(vec![syn::Item::Mod(module)], schemas),
                });
            }
            other => outside.push(other),
        }
    }
    let schemas = take_schemas(&mut outside);
    snapshots.push(CodeSnapshot {
        name: "outside_modules".to_owned(),
        text: render(outside, schemas),
    });
    snapshots
}

/// The pretty-printed items, then each schema, indented.
fn render(items: Vec<syn::Item>, schemas: Vec<(String, String)>) -> String {
    let mut file: syn::File = syn::parse_str("").expect("an empty file parses");
    file.items = items;
    let mut text = prettyplease::unparse(&file);
    for (name, schema) in schemas {
        let value: serde_json::Value =
            serde_json::from_str(&schema).expect("SOURCE_SCHEMA is JSON");
        let pretty = serde_json::to_string_pretty(&value).expect("JSON prints");
        text.push_str(&format!("\n// {name}:\n{pretty}\n"));
    }
    text
}

/// Replaces each `SOURCE_SCHEMA` literal in the impls of `items` by a numbered name, returning
/// (name and type, literal text) in order.
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
            let number = schemas.len() + 1;
            schemas.push((
                format!("SOURCE_SCHEMA_{number} ({type_name})"),
                literal.value(),
            ));
            constant.expr =
                syn::parse_str(&format!("SOURCE_SCHEMA_{number}")).expect("an identifier parses");
        }
    }
    schemas
}
