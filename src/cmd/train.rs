//! `eventmap train`: fits the recognizer's decision model on gold corpora, reproducibly.
//!
//! Documents are split by a hash of their id: one in `--holdout` goes to the held-out set, the
//! rest train. Every gazetteer match in a training document is an example, labelled a place when
//! it overlaps a gold toponym. The fitted weights are written as TSV (the format of
//! `data/models/recognizer.tsv`), and recognition on the held-out documents is reported for the
//! current and the new weights.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use eventmap::eval::{GoldDoc, SpanPoint, score};
use eventmap::recognize::{Lexicon, Model, Recognizer};
use rayon::prelude::*;

/// Arguments of `eventmap train`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Gold corpora (JSONL with `id`, `text`, `toponyms`). Repeatable.
    #[arg(long, required = true, value_name = "GOLD.jsonl")]
    pub corpus: Vec<PathBuf>,
    /// Where to write the weights.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// One document in N (by id hash) is held out for evaluation.
    #[arg(long, default_value_t = 5)]
    pub holdout: u64,
    /// L2 regularization strength.
    #[arg(long, default_value_t = 1.0)]
    pub l2: f64,
}

/// FNV-1a, for a split that does not depend on file order or platform.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

pub fn run(global: &super::Global, args: Args) -> anyhow::Result<ExitCode> {
    let gaz = super::gazetteer::load(global)?;
    let lex = Lexicon::embedded();
    let mut train_docs = Vec::new();
    let mut held_docs = Vec::new();
    for path in &args.corpus {
        let tag = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (g, text) in super::eval::read_gold(path)? {
            if fnv(&format!("{tag}/{}", g.id)).is_multiple_of(args.holdout.max(2)) {
                held_docs.push((g, text));
            } else {
                train_docs.push((g, text));
            }
        }
    }
    let current = Model::embedded();
    let rec = Recognizer::new(&gaz, lex, current);
    let examples: Vec<_> = train_docs
        .par_iter()
        .flat_map_iter(|(g, text)| {
            let mut offsets = eventmap::text::CharOffsets::new(text);
            rec.candidates(text)
                .into_iter()
                .filter(|m| m.kind != eventmap::resolve::MentionKind::Demonym)
                .map(|m| {
                    let (s, e) = (
                        offsets.char_offset(m.byte_start),
                        offsets.char_offset(m.byte_end),
                    );
                    let label = g.toponyms.iter().any(|t| t.start < e && s < t.end);
                    (m.features, label)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let positives = examples.iter().filter(|e| e.1).count();
    eprintln!(
        "training on {} documents: {} matches, {} places; {} documents held out",
        train_docs.len(),
        examples.len(),
        positives,
        held_docs.len()
    );
    let model = Model::train(&examples, args.l2, 50);
    let evaluate = |m: &Model| {
        let rec = Recognizer::new(&gaz, lex, m);
        let sys: Vec<GoldDoc> = held_docs
            .par_iter()
            .map(|(g, text)| {
                let mut offsets = eventmap::text::CharOffsets::new(text);
                let toponyms = rec
                    .recognize(text)
                    .iter()
                    .map(|m| SpanPoint {
                        start: offsets.char_offset(m.byte_start),
                        end: offsets.char_offset(m.byte_end),
                        lat: None,
                        lon: None,
                        geonameid: None,
                    })
                    .collect();
                GoldDoc {
                    id: g.id.clone(),
                    toponyms,
                }
            })
            .collect();
        let gold: Vec<GoldDoc> = held_docs.iter().map(|(g, _)| g.clone()).collect();
        score(&gold, &sys)
    };
    let before = evaluate(current);
    let after = evaluate(&model);
    eprintln!(
        "held-out recognition (overlap P/R/F1): current {:.3}/{:.3}/{:.3}, trained {:.3}/{:.3}/{:.3}",
        before.overlap.precision,
        before.overlap.recall,
        before.overlap.f1,
        after.overlap.precision,
        after.overlap.recall,
        after.overlap.f1
    );
    let names: Vec<String> = args
        .corpus
        .iter()
        .map(|p| {
            p.file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    let header = format!(
        "Recognizer weights fitted by `eventmap train` (L2 {}, one document in {} held out by id hash)\non: {}\nheld-out overlap F1 {:.3}",
        args.l2,
        args.holdout,
        names.join(", "),
        after.overlap.f1
    );
    std::fs::write(&args.out, model.to_tsv(&header))
        .with_context(|| format!("{}: cannot write", args.out.display()))?;
    Ok(ExitCode::SUCCESS)
}
