//! `eventmap diff OLD_DIR NEW_DIR [--json]`: what changed between two snapshots.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use eventmap::layers::{diff, read};

/// Arguments of `eventmap diff`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The earlier snapshot directory.
    pub old: PathBuf,
    /// The later snapshot directory.
    pub new: PathBuf,
    /// Print the differences as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Exit status 0 when the snapshots are equivalent, 1 when they differ (like `diff`).
pub fn run(_global: &super::Global, args: Args) -> anyhow::Result<ExitCode> {
    // The errors name the directory.
    let old = read::read_snapshot(&args.old)?;
    let new = read::read_snapshot(&args.new)?;
    let d = diff::diff(&old, &new);
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&d)?)?;
    } else {
        write!(out, "{}", d.to_text())?;
    }
    Ok(if d.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
