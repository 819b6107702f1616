//! klavi-cli's integration tests, one test binary (each file is a module): the `klavi` binary
//! run as a user runs it, its edges, `klavi docs` and `klavi mock`.

mod cli;
mod docs;
mod docs_pages;
mod edges;
#[cfg(feature = "mock")]
mod mock;
mod more_commands;
