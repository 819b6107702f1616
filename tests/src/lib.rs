//! Shared helpers of the klavi-rs workspace tests: proptest strategies that generate Klavi
//! payloads, valid ones and near misses, for the differential tests against `jsonschema`; and
//! the bodies of the fuzz targets; the `klavi` binary of the build; generated code split into
//! reviewable snapshots; the long suites spread over every core.

pub mod binary;
pub mod fuzzing;
pub mod generated_code;
pub mod lists;
pub mod parallel;
pub mod payloads;
pub mod privacy;
pub mod schema_gen;
