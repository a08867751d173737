//! `eventmap gazetteer build|info`, and [`load`], which every subcommand uses to get the
//! gazetteer selected by the global `--gazetteer` / `--places` options.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use eventmap::gazetteer::{Gazetteer, datadir, geonames};

/// Subcommands of `eventmap gazetteer`.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Print counts and source versions of the gazetteer in use.
    Info {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Build an index file (for `--gazetteer FILE`) from GeoNames dump files or from a
    /// directory of eventmap places TSV files.
    Build {
        /// Directory with GeoNames dumps: allCountries.txt or citiesN.txt, admin1CodesASCII.txt,
        /// admin2Codes.txt, countryInfo.txt, optionally alternateNamesV2.txt.
        #[arg(
            long,
            value_name = "DIR",
            conflicts_with = "data",
            required_unless_present = "data"
        )]
        geonames: Option<PathBuf>,
        /// Directory of places TSV files (like gazetteer/data).
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// Output index file (written atomically).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// The gazetteer selected by the global options: `--gazetteer FILE` (memory-mapped) or the
/// embedded one, plus `--places` files. Malformed `--places` rows are reported on stderr.
pub fn load(global: &super::Global) -> anyhow::Result<Gazetteer> {
    let gaz = match &global.gazetteer {
        Some(path) => Gazetteer::open(path)?,
        None => {
            let g = Gazetteer::embedded_handle();
            if g.is_empty() {
                anyhow::bail!(
                    "the embedded gazetteer is empty (this binary was built without \
                     gazetteer/data); use --gazetteer FILE"
                );
            }
            g
        }
    };
    let (gaz, errors) = gaz.with_places(&global.places)?;
    for e in &errors {
        eprintln!("eventmap: warning: {e}");
    }
    Ok(gaz)
}

pub fn run(global: &super::Global, command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Info { json } => info(global, json),
        Command::Build {
            geonames,
            data,
            out,
        } => build(global, geonames.as_deref(), data.as_deref(), &out),
    }
}

fn info(global: &super::Global, json: bool) -> anyhow::Result<ExitCode> {
    let gaz = load(global)?;
    let info = gaz.info();
    let with_prefix = |prefix: &str| -> Vec<(String, u64)> {
        info.meta
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(prefix)?.to_string(), v.parse().ok()?)))
            .collect()
    };
    let classes = with_prefix("class.");
    let kinds = with_prefix("kind.");
    let files = with_prefix("file.");
    let sources: Vec<(String, String)> = info
        .meta
        .iter()
        .filter(|(k, _)| k == "sources")
        .flat_map(|(_, v)| v.lines())
        .filter_map(|l| {
            let (k, v) = l.split_once('\t')?;
            (k != "key").then(|| (k.to_string(), v.to_string()))
        })
        .collect();
    let mut out = std::io::stdout().lock();
    let source = match &global.gazetteer {
        Some(p) => p.display().to_string(),
        None => "embedded".to_string(),
    };
    if json {
        let obj = |v: &[(String, u64)]| {
            serde_json::Value::Object(
                v.iter()
                    .map(|(k, n)| (k.clone(), serde_json::json!(n)))
                    .collect(),
            )
        };
        let value = serde_json::json!({
            "index": source,
            "places": info.places,
            "names": info.names,
            "keys": info.keys,
            "index_bytes": info.index_bytes,
            "added_places": info.added_places,
            "fold_keys": info.fold_keys,
            "folds": info.folds,
            "feature_classes": obj(&classes),
            "match_kinds": obj(&kinds),
            "files": obj(&files),
            "sources": serde_json::Value::Object(
                sources.iter().map(|(k, v)| (k.clone(), serde_json::json!(v))).collect()
            ),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "index:        {source} ({} bytes)", info.index_bytes)?;
    writeln!(out, "places:       {}", info.places)?;
    if info.added_places > 0 {
        writeln!(out, "  from --places: {}", info.added_places)?;
    }
    writeln!(out, "names:        {} (name, place) pairs", info.names)?;
    writeln!(out, "keys:         {} distinct normalized names", info.keys)?;
    writeln!(
        out,
        "folds:        {} transliteration skeletons, {} (skeleton, place) pairs",
        info.fold_keys, info.folds
    )?;
    let list = |v: &[(String, u64)]| {
        v.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "by class:     {}", list(&classes))?;
    writeln!(out, "by match:     {}", list(&kinds))?;
    if !files.is_empty() {
        writeln!(out, "data files:   {}", list(&files))?;
    }
    if !sources.is_empty() {
        writeln!(out, "sources:")?;
        for (k, v) in &sources {
            writeln!(out, "  {k}: {v}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn build(
    global: &super::Global,
    geonames_dir: Option<&Path>,
    data: Option<&Path>,
    out: &Path,
) -> anyhow::Result<ExitCode> {
    let file_name = out
        .file_name()
        .with_context(|| format!("{}: not a file name", out.display()))?
        .to_string_lossy()
        .into_owned();
    let tmp = out.with_file_name(format!(".{file_name}.tmp-{}", std::process::id()));
    let mut bad = 0usize;
    let mut report = |e: eventmap::gazetteer::RowError| {
        bad += 1;
        eprintln!("{e}");
    };
    let result = (|| -> anyhow::Result<(u64, u64)> {
        let file =
            std::fs::File::create(&tmp).with_context(|| format!("create {}", tmp.display()))?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
        let counts = if let Some(dir) = data {
            let s = datadir::build_from_dir(dir, &mut w, &mut report)
                .with_context(|| format!("build from {}", dir.display()))?;
            (s.places, s.names)
        } else {
            let dir = geonames_dir.context("give --geonames DIR or --data DIR")?;
            let s = geonames::build(dir, &tmp, &mut w, !global.quiet, &mut report)
                .with_context(|| format!("build from {}", dir.display()))?;
            (s.places, s.names)
        };
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(counts)
    })();
    let (places, names) = match result {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    // Check what was written opens before replacing the output.
    Gazetteer::open(&tmp).with_context(|| format!("verify {}", tmp.display()))?;
    std::fs::rename(&tmp, out)
        .with_context(|| format!("rename {} to {}", tmp.display(), out.display()))?;
    if !global.quiet {
        eprintln!(
            "wrote {}: {places} places, {names} names{}",
            out.display(),
            if bad > 0 {
                format!(", {bad} malformed rows skipped")
            } else {
                String::new()
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}
