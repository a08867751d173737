//! `eventmap eval --corpus GOLD.jsonl`: geoparse a gold corpus and score the result with the
//! reference definitions (see `eventmap::eval`).

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use eventmap::eval::{GoldDoc, SpanPoint, score};
use eventmap::resolve::Geoparser;
use rayon::prelude::*;
use serde::Deserialize;

/// Arguments of `eventmap eval`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Gold corpus: JSONL with `id`, `text` and `toponyms` (`start`, `end`, `lat`, `lon`, …).
    #[arg(long, value_name = "GOLD.jsonl")]
    pub corpus: PathBuf,
    /// Print the scores as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Also write the system output (one JSON line per document) to this file.
    #[arg(long, value_name = "SYSTEM.jsonl")]
    pub output: Option<PathBuf>,
    /// Worker threads (0 = all cores).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
    #[command(flatten)]
    pub confidence: super::ConfidenceArg,
}

#[derive(Deserialize)]
struct GoldLine {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    toponyms: Vec<SpanPoint>,
}

/// Reads a gold corpus; a malformed line is an error naming FILE:LINE.
pub fn read_gold(path: &PathBuf) -> anyhow::Result<Vec<(GoldDoc, String)>> {
    let f =
        std::fs::File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in BufReader::new(f).lines().enumerate() {
        let line = line.with_context(|| format!("{}:{}: cannot read", path.display(), n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let g: GoldLine = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not a gold document", path.display(), n + 1))?;
        let id = match g.id {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        out.push((
            GoldDoc {
                id,
                toponyms: g.toponyms,
            },
            g.text,
        ));
    }
    Ok(out)
}

pub fn run(global: &super::Global, args: Args) -> anyhow::Result<ExitCode> {
    let gaz = super::gazetteer::load(global)?;
    let gold = read_gold(&args.corpus)?;
    let gp = Geoparser::new(&gaz).with_min_confidence(args.confidence.min_confidence);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()?;
    let system: Vec<(GoldDoc, String)> = pool.install(|| {
        gold.par_iter()
            .map(|(g, text)| {
                let tops = gp.geoparse(text);
                let line = serde_json::json!({"id": g.id, "toponyms": tops}).to_string();
                let spans = tops.iter().map(SpanPoint::from).collect();
                (
                    GoldDoc {
                        id: g.id.clone(),
                        toponyms: spans,
                    },
                    line,
                )
            })
            .collect()
    });
    if let Some(path) = &args.output {
        let mut body = String::new();
        for (_, line) in &system {
            body.push_str(line);
            body.push('\n');
        }
        std::fs::write(path, body).with_context(|| format!("{}: cannot write", path.display()))?;
    }
    let gold_docs: Vec<GoldDoc> = gold.into_iter().map(|(g, _)| g).collect();
    let sys_docs: Vec<GoldDoc> = system.into_iter().map(|(s, _)| s).collect();
    let s = score(&gold_docs, &sys_docs);
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&s)?)?;
    } else {
        write!(out, "{}", s.to_table())?;
    }
    Ok(ExitCode::SUCCESS)
}
