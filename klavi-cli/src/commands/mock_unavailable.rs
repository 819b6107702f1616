//! `klavi mock` in a `klavi` built without the `mock` feature (the default, so that installing
//! the checker builds no web stack): the command exists, takes any arguments, and says how to
//! get the sandbox. `.ci/consumer` runs it from the installed light build.

use clap::Args;

use crate::output::{CliError, Outcome};

/// Arguments of `klavi mock` (any: this build has no sandbox to give them to).
#[derive(Debug, Args)]
#[command(after_help = "This klavi was built without the sandbox: \
    cargo install klavi-cli --locked --features mock")]
pub struct MockArgs {
    /// The sandbox's arguments (see `klavi mock --help` in a build with the `mock` feature).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    pub arguments: Vec<String>,
}

/// The hint, as a usage error (exit 2).
///
/// # Errors
///
/// Always.
pub fn run(_args: &MockArgs) -> Result<Outcome, CliError> {
    Err(CliError(
        "`klavi mock` is not in this build of klavi (it was installed without the `mock` \
         feature, which adds a web server); install it with \
         `cargo install klavi-cli --locked --features mock`, or in a checkout run \
         `cargo run -p klavi-cli --features mock -- mock`"
            .to_owned(),
    ))
}
