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

/// The confidence threshold of the commands that geoparse.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct ConfidenceArg {
    /// Drop the toponyms whose confidence (the calibrated probability that the name is a place
    /// resolved within 161 km) is below P, before anything else uses them. 0 keeps all.
    #[arg(long = "min-confidence", value_name = "P", default_value_t = 0.0, value_parser = parse_confidence)]
    pub min_confidence: f64,
}

/// A probability from the command line: a number from 0 to 1.
fn parse_confidence(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("`{s}` is not a probability (a number from 0 to 1)")),
    }
}
