//! What the benchmarks (`benches/klavi.rs`) measure, kept here so that the tests of this crate
//! can check it is what it claims: the payloads ([`payloads`]), the "no checks at all" floor
//! ([`floor`]), the `jsonschema` validators, runtime and compile-time ([`oracles`]), and the
//! tax ids ([`tax_ids`]), and how every contender reads bytes ([`read`]). `BENCHMARKS.md` at the root of the workspace has the results.

pub mod floor;
pub mod oracles;
pub mod payloads;
pub mod read;
pub mod tax_ids;
