//! `eventmap gazetteer build|info`.

use std::process::ExitCode;

/// Subcommands of `eventmap gazetteer`.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Print counts and source versions of the gazetteer in use.
    Info,
}

pub fn run(_global: &super::Global, _command: Command) -> anyhow::Result<ExitCode> {
    anyhow::bail!("gazetteer commands are not built yet")
}
