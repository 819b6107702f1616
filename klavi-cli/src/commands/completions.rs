//! `klavi completions SHELL`: the shell completion script, generated from the command line's
//! own definition (so it never drifts from it).

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::cli::Cli;
use crate::output::{CliError, Outcome};

/// Arguments of `klavi completions`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    klavi completions bash > ~/.local/share/bash-completion/completions/klavi\n  \
    klavi completions zsh > \"${fpath[1]}/_klavi\"\n  \
    klavi completions fish > ~/.config/fish/completions/klavi.fish")]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

/// Runs `klavi completions`.
pub fn run(args: &CompletionsArgs) -> Result<Outcome, CliError> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "klavi", &mut script);
    String::from_utf8(script)
        .map(Outcome::valid)
        .map_err(|error| CliError(format!("the completion script is not UTF-8: {error}")))
}
