//! `eventmap lookup NAME`.

use std::process::ExitCode;

/// Arguments of `eventmap lookup`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The name to look up (any script; matching is normalized).
    pub name: String,
}

pub fn run(_global: &super::Global, _args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("lookup is not built yet")
}
