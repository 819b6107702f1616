//! klavi-schema's integration tests, one test binary (each file is a module).

mod errors;
mod no_panic;
