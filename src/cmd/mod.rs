//! One module per subcommand; each has an `Args` (clap) and a `run` function.

pub mod diff;
pub mod eval;
pub mod gazetteer;
pub mod geoparse;
pub mod ingest;
pub mod input;
pub mod lookup;
pub mod render;
pub mod run;
pub mod train;

use std::path::PathBuf;

/// Options every subcommand accepts.
#[derive(clap::Args, Debug, Clone)]
pub struct Global {
    /// Use this gazetteer index (built by `eventmap gazetteer build`) instead of the embedded one;
    /// it is memory-mapped.
    #[arg(long, global = true, value_name = "FILE")]
    pub gazetteer: Option<PathBuf>,
    /// Extra places or aliases (TSV, see gazetteer/README.md), merged at run time. Repeatable.
    #[arg(long = "places", global = true, value_name = "FILE")]
    pub places: Vec<PathBuf>,
    /// Print nothing but errors and results.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}
