//! `eventmap ingest [INPUT...]`: read documents from any input and print them as JSONL
//! (`id`, `text`, `date`, `title`, `url`), the same form the other commands accept. Useful to
//! turn web pages, feeds and folders into a corpus, and to see what the reader extracts.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;

use super::input::{InputArgs, jsonl_sink, process_documents};

/// Arguments of `eventmap ingest`.
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
    text: &'a str,
    date: Option<String>,
    title: Option<&'a str>,
    url: Option<&'a str>,
}

pub fn run(global: &super::Global, args: Args) -> anyhow::Result<ExitCode> {
    let mut out = jsonl_sink(args.out.as_deref())?;
    let (stats, progress) = process_documents(
        &args.input,
        global.quiet,
        |doc| {
            serde_json::to_string(&Line {
                id: &doc.id,
                text: &doc.text,
                date: doc.date.map(|d| d.to_string()),
                title: doc.title.as_deref(),
                url: doc.url.as_deref(),
            })
        },
        |_doc, line, _stats| {
            let line = line.context("cannot serialize a document")?;
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
            Ok(())
        },
    )
    .context("cannot write the output")?;
    out.flush().context("cannot write the output")?;
    progress.finish(&stats);
    Ok(ExitCode::from(stats.exit_code()))
}
