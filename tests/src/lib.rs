//! Workspace test crate of klavi-rs: the tests live in `tests/`.
