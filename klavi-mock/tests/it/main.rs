//! klavi-mock's integration tests, one test binary (each file is a module: one link of the
//! dependency graph instead of one per file).

mod common;
mod error_table;
mod requests;
mod routes_and_memory;
