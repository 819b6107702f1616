//! The workspace's integration tests, one test binary (each file is a module: one link of the
//! whole dependency graph instead of one per file). `alloc` and `hostile_inputs` stay binaries
//! of their own: each installs dhat as its global allocator.

mod all_messages;
mod api;
mod check_json_text;
mod differential;
mod differential_all;
mod docs_samples;
mod endpoints;
mod examples;
mod free_form_objects;
mod fuzz_corpus;
mod generated_code;
mod lockstep;
mod one_copy;
mod one_verdict;
mod parallel;
mod privacy;
mod products;
mod rules;
mod standalone;
mod test_targets;
