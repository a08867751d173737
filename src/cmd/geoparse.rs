//! `eventmap geoparse [INPUT...]`: one JSON line per document with every place it names,
//! resolved: `{"id": ..., "toponyms": [{"start", "end", "byte_start", "byte_end", "name",
//! "geonameid", "lat", "lon", "feature_code", "country_code", "admin1", "kind", "confidence"}]}`.
//! Documents are processed in parallel; lines come out in input order.
//!
//! Lines are written by [`write_line`], which produces exactly what `serde_json` makes of
//! `{"id", "toponyms": [Toponym]}` (the tests hold it to that) without going through the
//! generic serializer: field names are constants and most strings need no escaping.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use eventmap::layers::schema::json_string_pieces;
use eventmap::resolve::{Geoparser, MentionKind, Toponym};
use serde_json::ser::{CompactFormatter, Formatter};

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

pub fn run(global: &super::Global, args: Args) -> anyhow::Result<ExitCode> {
    let gaz = super::gazetteer::load(global)?;
    let geoparser = Geoparser::new(&gaz);
    let mut out = jsonl_sink(args.out.as_deref())?;
    let (stats, progress) = process_documents(
        &args.input,
        global.quiet,
        // Lines are made on the worker threads; the writer only copies them out.
        |doc| {
            let toponyms = geoparser.geoparse(&doc.text);
            let mut line = Vec::with_capacity(64 + 256 * toponyms.len());
            write_line(&mut line, &doc.id, &toponyms);
            (toponyms.len(), line)
        },
        |_doc, (places, line), stats| {
            stats.places += places as u64;
            out.write_all(&line)?;
            Ok(())
        },
    )
    .context("cannot write the output")?;
    out.flush().context("cannot write the output")?;
    progress.finish(&stats);
    Ok(ExitCode::from(stats.exit_code()))
}

/// Appends the JSON line (with its newline) of a document's toponyms to `out`.
fn write_line(out: &mut Vec<u8>, id: &str, toponyms: &[Toponym]) {
    out.extend_from_slice(b"{\"id\":");
    write_str(out, id);
    out.extend_from_slice(b",\"toponyms\":[");
    for (i, t) in toponyms.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"start\":");
        write_u64(out, t.start as u64);
        out.extend_from_slice(b",\"end\":");
        write_u64(out, t.end as u64);
        out.extend_from_slice(b",\"byte_start\":");
        write_u64(out, t.byte_start as u64);
        out.extend_from_slice(b",\"byte_end\":");
        write_u64(out, t.byte_end as u64);
        out.extend_from_slice(b",\"name\":");
        write_str(out, &t.name);
        out.extend_from_slice(b",\"geonameid\":");
        match t.geonameid {
            Some(g) => write_u64(out, g as u64),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"lat\":");
        write_f64(out, t.lat);
        out.extend_from_slice(b",\"lon\":");
        write_f64(out, t.lon);
        out.extend_from_slice(b",\"feature_code\":");
        write_str(out, &t.feature_code);
        out.extend_from_slice(b",\"country_code\":");
        write_str(out, &t.country_code);
        out.extend_from_slice(b",\"admin1\":");
        write_str(out, &t.admin1);
        out.extend_from_slice(match t.kind {
            MentionKind::Place => b",\"kind\":\"place\"",
            MentionKind::Demonym => b",\"kind\":\"demonym\"",
        });
        out.extend_from_slice(b",\"confidence\":");
        write_f64(out, t.confidence);
        out.push(b'}');
    }
    out.extend_from_slice(b"]}\n");
}

fn write_u64(out: &mut Vec<u8>, x: u64) {
    // Writing to a Vec cannot fail.
    let _ = CompactFormatter.write_u64(out, x);
}

/// A number as `serde_json` writes it (`null` when not finite).
fn write_f64(out: &mut Vec<u8>, x: f64) {
    if x.is_finite() {
        let _ = CompactFormatter.write_f64(out, x);
    } else {
        out.extend_from_slice(b"null");
    }
}

/// A JSON string as `serde_json` writes it.
fn write_str(out: &mut Vec<u8>, s: &str) {
    json_string_pieces(s, |piece| out.extend_from_slice(piece.as_bytes()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Line<'a> {
        id: &'a str,
        toponyms: &'a [Toponym],
    }

    /// What `serde_json` writes for the same line: the reference.
    fn oracle(id: &str, toponyms: &[Toponym]) -> Vec<u8> {
        let mut v = serde_json::to_vec(&Line { id, toponyms }).unwrap();
        v.push(b'\n');
        v
    }

    fn toponym(name: &str, lat: f64, confidence: f64) -> Toponym {
        Toponym {
            start: 3,
            end: 3 + name.chars().count(),
            byte_start: 3,
            byte_end: 3 + name.len(),
            name: name.to_string(),
            geonameid: Some(170063),
            lat,
            lon: -0.000_001,
            feature_code: "PPLA".into(),
            country_code: "SY".into(),
            admin1: "Muḩāfaz̧at Ḩalab".into(),
            kind: MentionKind::Place,
            confidence,
        }
    }

    #[test]
    fn lines_are_what_serde_json_writes() {
        let every_ascii: String = (0u8..0x80).map(char::from).collect();
        let names = [
            "Aleppo",
            "",
            "Côte d'Ivoire",
            "\"Quoted\" \\ back\\slash",
            "tab\there\r\nline\u{0008}\u{000c}\u{0000}\u{001f}\u{007f}",
            "中国 / Ελλάδα / \u{2028}\u{2029} / 🇸🇾",
            every_ascii.as_str(),
        ];
        let numbers = [
            0.0,
            -0.0,
            1.0,
            0.5,
            36.202_1,
            -179.999_999,
            1e-7,
            123_456_789.125,
            1e21,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let mut cases: Vec<(String, Vec<Toponym>)> = vec![
            ("empty".into(), Vec::new()),
            ("id \"with\" \\ escapes\n".into(), Vec::new()),
        ];
        for name in names {
            cases.push((name.into(), vec![toponym(name, 36.2, 0.731)]));
        }
        for (i, &x) in numbers.iter().enumerate() {
            let mut t = toponym("Aleppo", x, numbers[numbers.len() - 1 - i]);
            t.lon = x;
            t.geonameid = (i % 2 == 0).then_some(i as u32 * 1_000_003);
            t.kind = if i % 3 == 0 {
                MentionKind::Demonym
            } else {
                MentionKind::Place
            };
            t.start = usize::MAX - i;
            t.admin1 = String::new();
            cases.push((
                format!("n{i}"),
                vec![t.clone(), toponym("Homs", 34.73, 1.0)],
            ));
        }
        for (id, toponyms) in &cases {
            let mut got = Vec::new();
            write_line(&mut got, id, toponyms);
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&oracle(id, toponyms)),
                "{id:?}"
            );
        }
    }
}
