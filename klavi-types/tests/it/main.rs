//! klavi-types' integration tests, one test binary (each file is a module).

mod tax_id;
mod webhook_signature;
