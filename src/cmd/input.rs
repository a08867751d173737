//! Input options shared by every command that reads documents (`ingest`, `geoparse`, `run`),
//! and [`process_documents`], which drives reading, parallel processing in input order,
//! progress, input-error reporting, `--strict` and the run statistics; and [`jsonl_sink`], where
//! the JSONL-printing commands write.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use chrono::NaiveDate;
use eventmap::ingest::{
    self, Document, IngestOptions, InputError, Progress, RunStats, for_each_document_parallel,
};

/// Where documents come from and how they are read.
#[derive(clap::Args, Debug, Clone)]
pub struct InputArgs {
    /// Inputs: text, Markdown (.md) and HTML (.html/.htm) files, .jsonl/.ndjson files (one
    /// document per line), RSS/Atom feeds, directories (recursive), http(s):// URLs, and `-` for
    /// standard input (the default when no input is given).
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Publication date for documents that carry none (a document's own date always wins).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date_arg)]
    pub date: Option<NaiveDate>,
    /// For feeds: fetch each item's link and use the article's main text.
    #[arg(long)]
    pub follow: bool,
    /// Stop at the first bad input (including warnings such as invalid UTF-8) instead of
    /// reporting it and going on.
    #[arg(long)]
    pub strict: bool,
    /// Reject documents larger than this (suffixes K, M, G).
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = ingest::parse_size)]
    pub max_doc_bytes: u64,
    /// Worker threads (0 = all cores).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// HTTP connect/read timeout in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = ingest::parse_seconds)]
    pub http_timeout: Duration,
    /// Extra attempts for a URL after a transient failure (with exponential backoff).
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub http_retries: u32,
}

fn parse_date_arg(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("invalid date {s:?} (expected YYYY-MM-DD)"))
}

impl InputArgs {
    /// The library options these arguments stand for.
    pub fn options(&self) -> IngestOptions {
        let mut opts = IngestOptions {
            default_date: self.date,
            follow: self.follow,
            max_doc_bytes: self.max_doc_bytes,
            ..Default::default()
        };
        opts.http.timeout = self.http_timeout;
        opts.http.retries = self.http_retries;
        opts
    }

    /// The input specs, `-` (stdin) when none were given.
    pub fn specs(&self) -> Vec<String> {
        if self.inputs.is_empty() {
            vec!["-".to_string()]
        } else {
            self.inputs.clone()
        }
    }
}

/// Why processing stopped early.
enum Stop {
    Strict,
    Output(anyhow::Error),
}

/// Read every document of `args`, apply `map` to each in parallel (bounded batches), and call
/// `consume` with each document and its result in input order. Input problems are reported on
/// stderr as they come (`--strict` stops at the first one). Returns the statistics (documents,
/// failures, bytes, time; `consume` fills in places/events/control changes) and the progress
/// display, whose [`Progress::finish`] prints the summary once the command has written its
/// outputs. An error returned by `consume` (an output error) is returned as is.
pub fn process_documents<R, M, C>(
    args: &InputArgs,
    quiet: bool,
    map: M,
    mut consume: C,
) -> anyhow::Result<(RunStats, Progress)>
where
    M: Fn(&Document) -> R + Sync,
    R: Send,
    C: FnMut(Document, R, &mut RunStats) -> anyhow::Result<()>,
{
    let specs = args.specs();
    let total = (!quiet && std::io::stderr().is_terminal())
        .then(|| input_size(&specs))
        .flatten();
    let mut progress = Progress::new(quiet, total);
    let inputs = ingest::read_inputs(&specs, &args.options());
    progress.track_input_bytes(inputs.bytes_counter());
    let mut stats = RunStats::default();
    let strict = args.strict;
    let result = for_each_document_parallel(
        inputs,
        args.threads,
        map,
        |item: Result<(Document, R), InputError>| match item {
            Ok((doc, r)) => {
                let bytes = doc.text.len() as u64;
                consume(doc, r, &mut stats).map_err(Stop::Output)?;
                stats.documents += 1;
                progress.document(bytes);
                Ok(())
            }
            Err(e) => {
                progress.input_error(&e);
                if e.is_warning() {
                    stats.warnings += 1;
                } else {
                    stats.failed += 1;
                }
                if strict {
                    return Err(Stop::Strict);
                }
                Ok(())
            }
        },
    );
    stats.bytes = progress.bytes();
    stats.elapsed = progress.elapsed();
    match result {
        Ok(()) => {}
        Err(Stop::Strict) => {
            stats.aborted = true;
            progress.println("eventmap: error: stopping at the first bad input (--strict)");
        }
        Err(Stop::Output(e)) => return Err(e),
    }
    Ok((stats, progress))
}

/// Where a command that prints JSONL writes: the `--out` file, or standard output. Buffered.
pub fn jsonl_sink(out: Option<&Path>) -> anyhow::Result<BufWriter<Box<dyn Write>>> {
    let sink: Box<dyn Write> = match out {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    Ok(BufWriter::with_capacity(1 << 20, sink))
}

/// Total size of the input files (for the ETA); `None` when it cannot be known (stdin, URLs).
fn input_size(specs: &[String]) -> Option<u64> {
    fn size(path: &Path, depth: usize) -> u64 {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return 0;
        };
        if meta.is_file() {
            return meta.len();
        }
        if !meta.is_dir() || depth > 64 {
            return 0;
        }
        std::fs::read_dir(path)
            .map(|rd| rd.flatten().map(|e| size(&e.path(), depth + 1)).sum())
            .unwrap_or(0)
    }
    let mut total = 0;
    for spec in specs {
        if spec == "-" || spec.contains("://") {
            return None;
        }
        total += size(Path::new(spec), 0);
    }
    Some(total)
}
