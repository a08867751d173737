//! `eventmap train`: fits the recognizer's decision model, and optionally the resolver's
//! ranking model and the confidence calibration, on gold corpora, reproducibly.
//!
//! Documents are split by a hash of their id: one in `--holdout` goes to the held-out set, the
//! rest train. Every gazetteer match in a training document is an example, labelled a place when
//! it overlaps a gold toponym. The fitted weights are written as TSV (the format of
//! `data/models/recognizer.tsv`), and recognition on the held-out documents is reported for the
//! current and the new weights. The resolver is fitted on the training documents too; the
//! calibration, which must judge the two new models on documents they were not fitted on, on the
//! held-out ones.

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
    /// Where to write the recognizer weights.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Where to write the resolver weights (fitted on the candidates of the places the current
    /// recognizer finds, each labelled right when within 161 km of the gold point).
    #[arg(long, value_name = "FILE")]
    pub resolver_out: Option<PathBuf>,
    /// Where to write the confidence calibration (fitted on the held-out documents, on the
    /// toponyms the new recognizer and resolver give them; needs `--resolver-out`).
    #[arg(long, value_name = "FILE", requires = "resolver_out")]
    pub calibration_out: Option<PathBuf>,
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
                    (m.features.to_features(), label)
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
                        confidence: None,
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
    if let Some(path) = &args.resolver_out {
        train_resolver(
            &gaz,
            &model,
            &train_docs,
            &held_docs,
            args.l2,
            path,
            args.calibration_out.as_ref(),
            &names,
        )?;
    }
    std::fs::write(&args.out, model.to_tsv(&header))
        .with_context(|| format!("{}: cannot write", args.out.display()))?;
    Ok(ExitCode::SUCCESS)
}

/// Fits the resolver's weights on the training documents and reports held-out acc@161.
#[allow(clippy::too_many_arguments)]
fn train_resolver(
    gaz: &eventmap::gazetteer::Gazetteer,
    recognizer: &Model,
    train_docs: &[(GoldDoc, String)],
    held_docs: &[(GoldDoc, String)],
    l2: f64,
    path: &PathBuf,
    calibration_out: Option<&PathBuf>,
    names: &[String],
) -> anyhow::Result<()> {
    use eventmap::resolve::{ContextResolver, Geoparser, RESOLVER_FEATURES};
    let rec = Recognizer::new(gaz, Lexicon::embedded(), recognizer);
    let start = Model::from_tsv_named(RESOLVER_FEATURES, RESOLVER_START)?;
    let groups = resolver_groups(gaz, &rec, train_docs);
    let model = Model::train_ranking(&start, &groups, l2, 100);
    // Both resolvers are judged on the names the trained recognizer finds, not the embedded
    // one's: the figures are those of the two new models together.
    let acc = |resolver: ContextResolver| {
        let gp = Geoparser::new(gaz)
            .with_recognizer(Recognizer::new(gaz, Lexicon::embedded(), recognizer))
            .with_resolver(Box::new(resolver));
        let sys: Vec<GoldDoc> = held_docs
            .par_iter()
            .map(|(g, text)| GoldDoc {
                id: g.id.clone(),
                toponyms: gp.geoparse(text).iter().map(SpanPoint::from).collect(),
            })
            .collect();
        let gold: Vec<GoldDoc> = held_docs.iter().map(|(g, _)| g.clone()).collect();
        score(&gold, &sys)
    };
    let before = acc(ContextResolver::default());
    let after = acc(ContextResolver::with_model(model.clone()));
    eprintln!(
        "held-out acc@161 / end-to-end, with the trained recognizer: current resolver {:?}/{:?}, trained {:?}/{:?}",
        before.acc161, before.end_to_end_acc161, after.acc161, after.end_to_end_acc161
    );
    let header = format!(
        "Resolver weights fitted by `eventmap train` (L2 {l2}; a candidate is right when it is the gold place, or within 161 km of the gold point)\non: {}",
        names.join(", ")
    );
    std::fs::write(path, model.to_tsv(&header))
        .with_context(|| format!("{}: cannot write", path.display()))?;
    if let Some(out) = calibration_out {
        train_calibration(gaz, recognizer, model, held_docs, out, names)?;
    }
    Ok(())
}

/// Fits the confidence calibration on the held-out documents: the raw confidences the new
/// recognizer and resolver give their toponyms, each judged right or wrong as `eval` judges
/// it. Reports the held-out Brier score and calibration error before and after.
fn train_calibration(
    gaz: &eventmap::gazetteer::Gazetteer,
    recognizer: &Model,
    resolver: Model,
    held_docs: &[(GoldDoc, String)],
    path: &PathBuf,
    names: &[String],
) -> anyhow::Result<()> {
    use eventmap::eval::{calibration, judge};
    use eventmap::resolve::{Calibration, ConfidenceParts, ContextResolver, Geoparser};
    let gp = Geoparser::new(gaz)
        .with_recognizer(Recognizer::new(gaz, Lexicon::embedded(), recognizer))
        .with_resolver(Box::new(ContextResolver::with_model(resolver)))
        .with_calibration(Calibration::identity());
    // (parts, right) of every judged held-out toponym, in document order.
    let examples: Vec<(ConfidenceParts, bool)> = held_docs
        .par_iter()
        .flat_map_iter(|(g, text)| {
            let (tops, parts) = gp.geoparse_with_parts(text);
            let spans: Vec<SpanPoint> = tops.iter().map(SpanPoint::from).collect();
            parts
                .into_iter()
                .zip(judge(&g.toponyms, &spans))
                .filter_map(|(p, right)| Some((p, right?)))
                .collect::<Vec<_>>()
        })
        .collect();
    let model = Calibration::fit(&examples);
    let fitted = Calibration::from_model(model.clone());
    let verdicts = |c: &Calibration| -> Vec<(f64, bool)> {
        examples
            .iter()
            .map(|&(p, right)| (c.apply(p), right))
            .collect()
    };
    let (before, after) = (
        calibration(&verdicts(&Calibration::identity())),
        calibration(&verdicts(&fitted)),
    );
    if let (Some(b), Some(a)) = (before, after) {
        eprintln!(
            "held-out confidence ({} toponyms), Brier / ECE: product of the two models {:.4}/{:.4}, calibrated {:.4}/{:.4}",
            a.toponyms, b.brier, b.ece, a.brier, a.ece
        );
    }
    let header = format!(
        "Confidence calibration fitted by `eventmap train` on the held-out documents (a toponym is right when it overlaps a gold toponym whose point is within 161 km)\non: {}",
        names.join(", ")
    );
    std::fs::write(path, model.to_tsv(&header))
        .with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(())
}

/// Where resolver training starts: the prior plus hand-set context evidence, so that the fitted
/// weights do not depend on the weights currently embedded.
const RESOLVER_START: &str = "prior\t10\ncountry\t2.5\nadmin1\t2.5\nhierarchy\t8\nproximity\t4.5\ncountry_vote\t2\nadmin1_vote\t2\n";

/// The candidates of every recognized mention that overlaps a gold toponym with a point, each
/// with its features and whether it is right. The features do not depend on the resolver's
/// weights.
fn resolver_groups(
    gaz: &eventmap::gazetteer::Gazetteer,
    rec: &Recognizer<'_>,
    train_docs: &[(GoldDoc, String)],
) -> Vec<Vec<(eventmap::recognize::Features, bool)>> {
    use eventmap::eval::haversine_km;
    let resolver = eventmap::resolve::ContextResolver::default();
    let groups: Vec<Vec<_>> = train_docs
        .par_iter()
        .flat_map_iter(|(g, text)| {
            let mentions = rec.recognize(text);
            let feats = resolver.candidate_features(gaz, &mentions);
            let mut offsets = eventmap::text::CharOffsets::new(text);
            let mut out = Vec::new();
            for (m, row) in mentions.iter().zip(feats) {
                let (s, e) = (
                    offsets.char_offset(m.byte_start),
                    offsets.char_offset(m.byte_end),
                );
                let Some(gold) = g
                    .toponyms
                    .iter()
                    .find(|t| t.start < e && s < t.end && t.lat.is_some())
                else {
                    continue;
                };
                let (glat, glon) = (gold.lat.unwrap_or(0.0), gold.lon.unwrap_or(0.0));
                // Right: the gold GeoNames place itself when the gold names one and it is among
                // the candidates (so a city beats its namesake province); otherwise any
                // candidate within 161 km of the gold point.
                let gold_id = gold.geonameid.filter(|&id| id > 0);
                let id_known = gold_id.is_some_and(|id| {
                    row.iter().any(|(p, _)| {
                        gaz.get(*p).and_then(|pl| pl.geonameid()).map(i64::from) == Some(id)
                    })
                });
                let group: Vec<_> = row
                    .into_iter()
                    .filter_map(|(p, f)| {
                        let pl = gaz.get(p)?;
                        let right = if id_known {
                            pl.geonameid().map(i64::from) == gold_id
                        } else {
                            haversine_km(glat, glon, pl.lat(), pl.lon()) <= 161.0
                        };
                        Some((f, right))
                    })
                    .collect();
                out.push(group);
            }
            out
        })
        .collect();
    eprintln!("resolver: {} mentions with gold points", groups.len());
    groups
}
