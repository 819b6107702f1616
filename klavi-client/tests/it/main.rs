//! klavi-client's integration tests against `klavi-mock`, one test binary (each file is a
//! module). `tracing` stays a binary of its own: it installs the process's subscriber and runs on
//! one thread.

mod endpoints;
mod flow;
mod hardening;
mod load;
mod receiver;
mod replicas;
