//! klavi-types' integration tests, one test binary (each file is a module).

#[cfg(feature = "openapi")]
mod openapi;
mod tax_id;
mod webhook_signature;
