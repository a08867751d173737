//! `eventmap geoparse [INPUT...]`: one JSON line per document with every place it names,
//! resolved: `{"id": ..., "toponyms": [{"start", "end", "byte_start", "byte_end", "name",
//! "geonameid", "lat", "lon", "feature_code", "country_code", "admin1", "kind", "confidence"}]}`.
//! Documents are processed in parallel; lines come out in input order.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use eventmap::resolve::{Geoparser, Toponym};
use serde::Serialize;

use super::input::{InputArgs, jsonl_sink, process_documents};

/// Arguments of `eventmap geoparse`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// Write the JSONL here instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
}

#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    toponyms: &'a [Toponym],
}

pub fn run(global: &super::Global, args: Args) -> anyhow::Result<ExitCode> {
    let gaz = super::gazetteer::load(global)?;
    let geoparser = Geoparser::new(&gaz);
    let mut out = jsonl_sink(args.out.as_deref())?;
    let (stats, progress) = process_documents(
        &args.input,
        global.quiet,
        |doc| geoparser.geoparse(&doc.text),
        |doc, toponyms, stats| {
            stats.places += toponyms.len() as u64;
            serde_json::to_writer(
                &mut out,
                &Line {
                    id: &doc.id,
                    toponyms: &toponyms,
                },
            )?;
            out.write_all(b"\n")?;
            Ok(())
        },
    )
    .context("cannot write the output")?;
    out.flush().context("cannot write the output")?;
    progress.finish(&stats);
    Ok(ExitCode::from(stats.exit_code()))
}
