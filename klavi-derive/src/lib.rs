//! A thin procedural macro over `klavi-schema`: it resolves the index path against
//! `CARGO_MANIFEST_DIR`, runs the pipeline, turns schema errors into `compile_error!`s that name
//! the file and JSON Pointer, and adds one `include_str!` per file read so that editing any
//! schema rebuilds the types.
#![forbid(unsafe_code)]

use std::path::PathBuf;

use proc_macro::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{LitStr, Token};

/// Arguments: `index = "path/to/endpoints.json"` and optionally `runtime = path::to::crate`.
struct Args {
    index: LitStr,
    runtime: Option<proc_macro2::TokenStream>,
}

/// A path such as `crate` or `::klavi_types`: identifiers and `::`, up to the next `,`. Read
/// token by token, so that syn's `derive`/`full` features (its `Path` type) are not needed.
fn runtime_path(input: ParseStream<'_>) -> syn::Result<proc_macro2::TokenStream> {
    let mut path = proc_macro2::TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        let token: proc_macro2::TokenTree = input.parse()?;
        match &token {
            proc_macro2::TokenTree::Ident(_) => {}
            proc_macro2::TokenTree::Punct(punct) if punct.as_char() == ':' => {}
            _ => {
                return Err(syn::Error::new(
                    token.span(),
                    "expected a path such as `crate` or `::klavi_types`",
                ));
            }
        }
        path.extend([token]);
    }
    if path.is_empty() {
        return Err(input.error("expected a path such as `crate` or `::klavi_types`"));
    }
    Ok(path)
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut index = None;
        let mut runtime = None;
        while !input.is_empty() {
            let key: syn::Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "index" => index = Some(input.parse::<LitStr>()?),
                "runtime" => runtime = Some(runtime_path(input)?),
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown argument `{other}` (expected `index` or `runtime`)"),
                    ));
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        let index = index.ok_or_else(|| {
            syn::Error::new(
                proc_macro2::Span::call_site(),
                "missing `index = \"path/to/endpoints.json\"`",
            )
        })?;
        Ok(Args { index, runtime })
    }
}

/// Generates the Klavi types from a schema index.
///
/// ```ignore
/// klavi_derive::generate!(index = "../schemas/endpoints.json", runtime = crate);
/// ```
///
/// The path is relative to the invoking crate's `Cargo.toml`; `$ref`s are relative to the file
/// that holds them. Every schema error becomes a `compile_error!` naming the file and the JSON
/// Pointer of the problem.
#[proc_macro]
pub fn generate(input: TokenStream) -> TokenStream {
    let args = match syn::parse::<Args>(input) {
        Ok(args) => args,
        Err(error) => return error.to_compile_error().into(),
    };
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let index_path = manifest_dir.join(args.index.value());
    let root = index_path
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir.clone());
    let index_file = index_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut source = klavi_schema::load::DirSource::new(&root);
    let options = klavi_schema::EmitOptions {
        runtime: args.runtime.unwrap_or_else(|| quote!(::klavi_types)),
    };
    let result = klavi_schema::generate(&mut source, &index_file, &options);
    let includes = source.files_read().iter().map(|path| {
        let path = path.to_string_lossy().into_owned();
        quote!(
            const _: &str = include_str!(#path);
        )
    });
    let includes = quote!(#(#includes)*);
    match result {
        Ok(generated) => {
            let tokens = generated.tokens;
            quote!(#includes #tokens).into()
        }
        Err(errors) => {
            let span = args.index.span();
            let errors = errors.0.iter().map(|error| {
                let message = format!("klavi schema error: {error}");
                quote::quote_spanned!(span=> ::core::compile_error!(#message);)
            });
            quote!(#includes #(#errors)*).into()
        }
    }
}
