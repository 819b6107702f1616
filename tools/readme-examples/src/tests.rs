//! The rule on synthetic READMEs, and the repository's own READMEs held to it.

use super::{added_crates, examples, readmes};

#[test]
fn an_example_is_its_block_with_the_file_setup_and_run_its_lead_in_names() {
    let text = "\
# T

```sh
cargo add klavi-client klavi-types
cargo add --dev klavi-mock
```

then, as `examples/first.rs`, after `cargo add tokio --features rt,macros`, run with
`cargo run --example first`:

```rust,ignore
fn main() {}
```

* a list item
* an item whose block, in `src/main.rs` after `cargo add klavi-types`:

  ```rust
  fn main() {
      println!(\"indented\");
  }
  ```
";
    let found = examples("R.md", text).unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].origin, "R.md:11");
    assert_eq!(found[0].file, "examples/first.rs");
    assert_eq!(
        found[0].setup,
        [
            "cargo add klavi-client klavi-types",
            "cargo add --dev klavi-mock",
            "cargo add tokio --features rt,macros"
        ]
    );
    assert_eq!(found[0].run.as_deref(), Some("cargo run --example first"));
    assert_eq!(found[0].source, "fn main() {}\n");
    assert_eq!(found[1].file, "src/main.rs");
    assert_eq!(found[1].setup, ["cargo add klavi-types"]);
    assert_eq!(found[1].run, None);
    assert_eq!(
        found[1].source,
        "fn main() {\n    println!(\"indented\");\n}\n"
    );
}

#[test]
fn a_block_that_breaks_the_rule_is_named_with_its_line() {
    let cases = [
        ("```rust\nfn main() {}\n```\n", "R.md:1: no paragraph"),
        (
            "Text.\n\n```rust\nfn main() {}\n```\n",
            "R.md:3: the paragraph before the block names no file",
        ),
        (
            "In `src/main.rs` or `examples/a.rs`, after `cargo add a`:\n\n```rust\nfn main() {}\n```\n",
            "R.md:3: the paragraph before the block names",
        ),
        (
            "In `src/main.rs`, after `cargo add a`:\n\n```rust\n# fn hidden() {}\nfn main() {}\n```\n",
            "R.md:3: a rustdoc hidden line, which GitHub shows: `# fn hidden() {}`",
        ),
        (
            "In `src/main.rs`:\n\n```rust\nfn main() {}\n",
            "R.md: the block at line 3 is not closed",
        ),
        (
            "In `src/main.rs`:\n\n```rust\nfn main() {}\n```\n",
            "R.md:3: the paragraph before the block gives no `cargo add` line",
        ),
        (
            "In `src/main.rs` after `cargo add a`, `cargo run` or `cargo test`:\n\n```rust\nfn main() {}\n```\n",
            "R.md:3: the paragraph before the block runs",
        ),
    ];
    for (text, expected) in cases {
        let problems = examples("R.md", text).unwrap_err();
        assert!(
            problems[0].starts_with(expected),
            "{problems:?} for {text:?}"
        );
    }
    // Other languages are not examples; a `#[derive]` is not a hidden line.
    let text = "Text.\n\n```sh\n# a comment\n```\n\nIn `src/main.rs`, after `cargo add a`:\n\n```rust\n#[derive(Debug)]\nstruct A;\nfn main() {}\n```\n";
    assert_eq!(examples("R.md", text).unwrap().len(), 1);
}

#[test]
fn cargo_add_lines_name_their_crates_and_features() {
    assert_eq!(
        added_crates("cargo add klavi-types axum tokio --features tokio/full").unwrap(),
        [
            ("klavi-types".to_owned(), false, vec![]),
            ("axum".to_owned(), false, vec![]),
            ("tokio".to_owned(), false, vec!["full".to_owned()]),
        ]
    );
    assert_eq!(
        added_crates("cargo add --dev klavi-mock -F x,y").unwrap(),
        [(
            "klavi-mock".to_owned(),
            true,
            vec!["x".to_owned(), "y".to_owned()]
        )]
    );
    for bad in [
        "cargo add a b --features x",
        "cargo add a --features b/x",
        "cargo add --path ../a",
        "cargo install a",
        "cargo add --features x",
    ] {
        assert!(added_crates(bad).is_err(), "{bad}");
    }
}

#[test]
fn the_repository_readmes_follow_the_rule() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut count = 0;
    let mut fences = 0;
    for readme in readmes(&root).unwrap() {
        let text = std::fs::read_to_string(&readme).unwrap();
        fences += text
            .lines()
            .filter(|line| line.trim_start().starts_with("```rust"))
            .count();
        let found = examples(&readme.display().to_string(), &text)
            .unwrap_or_else(|problems| panic!("{problems:#?}"));
        for example in &found {
            for line in &example.setup {
                added_crates(line)
                    .unwrap_or_else(|problem| panic!("{}: {problem}", example.origin));
            }
        }
        count += found.len();
    }
    // Every Rust block is an example (none escapes the reader), and there are some.
    assert_eq!(count, fences);
    assert!(count >= 7, "{count}");
}
