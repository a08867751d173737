//! `eventmap run [INPUT...] --out DIR`: the whole pipeline. Reads documents, geoparses each,
//! extracts events and control statements, merges them over all documents, and writes the
//! layers (events, control, control_changes, places) with their QGIS styles. With `--check`
//! nothing is written; the exit code says whether DIR already holds exactly this output.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use eventmap::aggregate::Aggregator;
use eventmap::extract::{Extraction, Extractor};
use eventmap::gazetteer::Gazetteer;
use eventmap::ingest::Document;
use eventmap::layers::{self, Format, LayerOptions};
use eventmap::recognize::Sentences;
use eventmap::resolve::{
    Geoparser, Toponym, division_for_town, name_capitalized, name_capitals, town_for_division,
};

use super::input::{InputArgs, process_documents};

/// Arguments of `eventmap run`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output directory for the layers (created if missing).
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// Output format: geojson, geojsonseq, gpkg or csv.
    #[arg(long, value_name = "FORMAT", default_value = "geojson")]
    pub format: Format,
    /// Write nothing; exit 0 if DIR already holds exactly this output, 1 (with a summary of what
    /// differs) otherwise.
    #[arg(long)]
    pub check: bool,
    /// Extra actor dictionary rows (TSV, same format as data/actors.tsv). Repeatable.
    #[arg(long = "actors", value_name = "FILE")]
    pub actors: Vec<PathBuf>,
    #[command(flatten)]
    pub confidence: super::ConfidenceArg,
}

/// Geoparses one document (the one place the pipeline calls the geoparser): its toponyms, and
/// its sentences for extraction.
fn geoparse(gp: &Geoparser, doc: &Document) -> (Vec<Toponym>, Sentences) {
    gp.geoparse_with_sentences(&doc.text)
}

fn extractor(files: &[PathBuf]) -> anyhow::Result<Extractor> {
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|p| {
            std::fs::read_to_string(p)
                .with_context(|| format!("cannot read actor file {}", p.display()))
                .map(|t| (p.display().to_string(), t))
        })
        .collect::<anyhow::Result<_>>()?;
    let refs: Vec<(&str, &str)> = texts
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    Ok(Extractor::with_actor_files(&refs)?)
}

pub fn run(global: &super::Global, args: Args) -> anyhow::Result<ExitCode> {
    let gaz: Gazetteer = super::gazetteer::load(global)?;
    let gp = Geoparser::new(&gaz).with_min_confidence(args.confidence.min_confidence);
    let ex = extractor(&args.actors)?;
    let mut agg = Aggregator::new();
    let (stats, progress) = process_documents(
        &args.input,
        global.quiet,
        |doc| -> (Vec<Toponym>, Extraction) {
            let (mut topos, sentences) = geoparse(&gp, doc);
            ex.normalize_toponyms(&doc.text, &mut topos);
            name_capitals(&gaz, &doc.text, &mut topos);
            name_capitalized(&gaz, &mut topos);
            town_for_division(&gaz, &doc.text, &mut topos);
            division_for_town(&gaz, &doc.text, &mut topos);
            let x = ex.extract_with_sentences(doc, &topos, &sentences);
            (topos, x)
        },
        |doc, (topos, x), stats| {
            stats.places += topos.len() as u64;
            stats.events += x.events.len() as u64;
            stats.control_changes += x.control.len() as u64;
            agg.add_document(&doc.id, topos, x);
            Ok(())
        },
    )?;
    if stats.aborted {
        // A strict run that stopped is incomplete: the layers already in DIR stay as they are.
        progress.finish(&stats);
        eprintln!(
            "eventmap: no layers written to {} (--strict stopped the run)",
            args.out.display()
        );
        return Ok(ExitCode::from(stats.exit_code()));
    }
    let snapshot = agg.finish();
    let outcome = layers::write_snapshot(
        &args.out,
        &snapshot,
        &LayerOptions {
            format: args.format,
            check: args.check,
        },
    )
    .with_context(|| format!("cannot write the layers to {}", args.out.display()))?;
    progress.finish(&stats);
    if args.check {
        let same = outcome.is_unchanged();
        if !same || !global.quiet {
            eprintln!("{}", outcome.summary());
        }
        if !same {
            return Ok(ExitCode::from(1));
        }
    } else if !global.quiet {
        eprintln!(
            "eventmap: {} events, {} controlled places, {} control changes, {} places → {}",
            snapshot.events.len(),
            snapshot.control.len(),
            snapshot.control_changes.len(),
            snapshot.places.len(),
            args.out.display()
        );
    }
    Ok(ExitCode::from(stats.exit_code()))
}
