//! The `klavi` command-line tool.
fn main() {}
