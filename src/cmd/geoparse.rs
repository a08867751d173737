//! `eventmap geoparse [INPUT...]`: one JSON line per document with every place it names,
//! resolved: `{"id": ..., "toponyms": [{"start", "end", "byte_start", "byte_end", "name",
//! "geonameid", "lat", "lon", "feature_code", "country_code", "admin1", "kind", "confidence"}]}`.
//! Documents are processed in parallel; lines come out in input order.
//!
//! Lines are written by [`write_line`], which produces exactly what `serde_json` makes of
//! `{"id", "toponyms": [Toponym]}` (the tests hold it to that) without going through the
//! generic serializer: field names are constants and most strings need no escaping.

use std::cell::RefCell;
use std::io::Write;
use std::process::ExitCode;
use std::sync::LazyLock;

use anyhow::Context;
use eventmap::layers::schema::json_string_pieces;
use eventmap::resolve::{Geoparser, MentionKind, Toponym};
use rustc_hash::FxHashMap as HashMap;
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
    #[command(flatten)]
    pub confidence: super::ConfidenceArg,
}

pub fn run(global: &super::Global, args: Args) -> anyhow::Result<ExitCode> {
    let gaz = super::gazetteer::load(global)?;
    let geoparser = Geoparser::new(&gaz).with_min_confidence(args.confidence.min_confidence);
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
    PLACE_JSON.with_borrow_mut(|places| {
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
            out.extend_from_slice(places.json(t));
            out.extend_from_slice(match t.kind {
                MentionKind::Place => b",\"kind\":\"place\"",
                MentionKind::Demonym => b",\"kind\":\"demonym\"",
            });
            out.extend_from_slice(b",\"confidence\":");
            write_confidence(out, t.confidence);
            out.push(b'}');
        }
    });
    out.extend_from_slice(b"]}\n");
}

/// Appends the place fields of `t` (`,"geonameid":…` through `"admin1":…`) to `out`.
fn write_place_fields(out: &mut Vec<u8>, t: &Toponym) {
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
}

/// Entries a [`PlaceJson`] table holds before it starts over.
const PLACE_JSON_MAX: usize = 1 << 16;

/// What a remembered place has besides its key (coordinate bits and id): its codes and names
/// as a toponym has them, and the JSON of all its fields.
#[derive(Default)]
struct PlaceEntry {
    feature_code: String,
    country_code: String,
    admin1: String,
    json: Vec<u8>,
}

impl PlaceEntry {
    /// Whether the entry holds the codes and names of `t`.
    fn holds(&self, t: &Toponym) -> bool {
        self.feature_code == t.feature_code
            && self.country_code == t.country_code
            && self.admin1 == t.admin1
    }
}

/// Per-thread memory of the JSON of toponyms' place fields: places recur from document to
/// document, and formatting their coordinates is the dearest part of a line. Entries are
/// found by coordinates (bit for bit) and id, and used only when the codes and names are equal
/// too (otherwise they are written over).
#[derive(Default)]
struct PlaceJson {
    entries: HashMap<(u64, u64, Option<u32>), PlaceEntry>,
}

impl PlaceJson {
    /// The JSON of the place fields of `t`, as [`write_place_fields`] writes it.
    fn json(&mut self, t: &Toponym) -> &[u8] {
        if self.entries.len() >= PLACE_JSON_MAX {
            self.entries.clear();
        }
        let key = (t.lat.to_bits(), t.lon.to_bits(), t.geonameid);
        let e = self.entries.entry(key).or_default();
        if e.json.is_empty() || !e.holds(t) {
            for (field, value) in [
                (&mut e.feature_code, &t.feature_code),
                (&mut e.country_code, &t.country_code),
                (&mut e.admin1, &t.admin1),
            ] {
                field.clear();
                field.push_str(value);
            }
            e.json.clear();
            write_place_fields(&mut e.json, t);
        }
        &e.json
    }
}

thread_local! {
    /// One place-JSON table per thread.
    static PLACE_JSON: RefCell<PlaceJson> = RefCell::new(PlaceJson::default());
}

/// Confidences are rounded to thousandths (`k / 1000.0`): their JSON for k = 0..=1000.
static CONFIDENCE_JSON: LazyLock<Vec<Box<[u8]>>> = LazyLock::new(|| {
    (0..=1000)
        .map(|k| {
            let mut v = Vec::new();
            write_f64(&mut v, f64::from(k) / 1e3);
            v.into()
        })
        .collect()
});

/// A confidence as [`write_f64`] writes it, from [`CONFIDENCE_JSON`] when it is one of the
/// thousandths there (bit for bit).
fn write_confidence(out: &mut Vec<u8>, x: f64) {
    // Saturating: NaN and out-of-range values give a k whose entry is not `x`.
    let k = ((x * 1e3).round() as u32).min(1000);
    if (f64::from(k) / 1e3).to_bits() == x.to_bits() {
        out.extend_from_slice(&CONFIDENCE_JSON[k as usize]);
    } else {
        write_f64(out, x);
    }
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

    /// The place table serves a place's JSON only for the same fields: places that share
    /// coordinates, id or codes with the previous ones, in a sequence that revisits them.
    #[test]
    fn place_json_is_reused_only_for_equal_fields() {
        let base = toponym("Aleppo", 36.2, 0.5);
        let with = |f: &dyn Fn(&mut Toponym)| {
            let mut t = base.clone();
            f(&mut t);
            t
        };
        let variants = [
            base.clone(),
            with(&|t| t.geonameid = None),
            with(&|t| t.geonameid = Some(1)),
            with(&|t| t.lat = -0.0),
            with(&|t| t.lat = 0.0),
            with(&|t| t.lon = 36.2),
            with(&|t| t.feature_code = "PPLC".into()),
            with(&|t| t.country_code = String::new()),
            with(&|t| t.admin1 = "Halab".into()),
            with(&|t| t.admin1 = "\"quoted\"".into()),
        ];
        let mut table = PlaceJson::default();
        for round in 0..3 {
            for (i, t) in variants.iter().chain(variants.iter().rev()).enumerate() {
                let mut want = Vec::new();
                write_place_fields(&mut want, t);
                assert_eq!(
                    String::from_utf8_lossy(table.json(t)),
                    String::from_utf8_lossy(&want),
                    "round {round}, toponym {i}"
                );
            }
        }
    }

    /// Confidences from the table are written as without it: every thousandth, its
    /// neighbouring floats, signed zeros and values beyond the table.
    #[test]
    fn confidences_are_written_as_floats() {
        let mut xs = vec![-0.0, 0.0, -0.001, 1.0005, 1e3, 1e-3 / 3.0, 4e9, f64::NAN];
        for k in 0..=1000 {
            let x = f64::from(k) / 1e3;
            xs.extend([x, x.next_up(), x.next_down()]);
        }
        for x in xs {
            let (mut got, mut want) = (Vec::new(), Vec::new());
            write_confidence(&mut got, x);
            write_f64(&mut want, x);
            assert_eq!(got, want, "{x:?}");
        }
    }
}
