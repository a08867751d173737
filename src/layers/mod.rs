//! Layers: writes a [`Snapshot`] as map layers — GeoJSON (default), GeoJSON text sequences, CSV
//! (and GeoPackage) — with QGIS styles, deterministically and atomically.
//!
//! Output is a *snapshot*: the same snapshot always gives the same bytes (features sorted by id,
//! fixed property order, explicit nulls, 6-decimal coordinates, LF, no timestamps), so snapshots
//! can be committed and compared in CI. Each file is written to a temporary file in the output
//! directory and renamed into place, so an interrupted run never leaves a half-written file.
//! With [`LayerOptions::check`] nothing is written; the outcome says which files would change.

mod csv;
pub mod diff;
pub mod fsio;
pub mod geojson;
pub mod gpkg;
pub mod palette;
pub mod qgis;
pub mod read;
pub mod render;
pub mod schema;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::aggregate::Snapshot;
pub use fsio::{FileState, OutFile};
pub use schema::{FieldType, Layer, Row, Table, Value};

/// Errors of the layer writers.
#[derive(Debug, thiserror::Error)]
pub enum LayersError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot serialize a record: {0}")]
    Serialize(String),
    #[error("{layer} feature {id:?} has an invalid coordinate (lon {lon}, lat {lat})")]
    BadCoordinate {
        layer: &'static str,
        id: String,
        lon: f64,
        lat: f64,
    },
    #[error(
        "{0} holds no eventmap layers (events/control/control_changes/places as .geojson, .geojsons, .csv or eventmap.gpkg)"
    )]
    NotASnapshot(PathBuf),
    #[error("{path}: {message}")]
    BadLayer { path: PathBuf, message: String },
    #[error("cannot render the map: {0}")]
    Render(String),
    #[error("GeoPackage {path}: {message}")]
    Gpkg { path: PathBuf, message: String },
    #[error("unknown format {0:?} (expected geojson, geojsonseq, gpkg, csv)")]
    UnknownFormat(String),
}

/// Output format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// RFC 7946 FeatureCollections, `<layer>.geojson`.
    #[default]
    GeoJson,
    /// RFC 8142 GeoJSON text sequences, `<layer>.geojsons`.
    GeoJsonSeq,
    /// One GeoPackage `eventmap.gpkg` with all layers and their styles.
    Gpkg,
    /// CSV with `lat`/`lon` columns, `<layer>.csv` (+ `.csvt` column types).
    Csv,
}

impl Format {
    /// Name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::GeoJson => "geojson",
            Format::GeoJsonSeq => "geojsonseq",
            Format::Gpkg => "gpkg",
            Format::Csv => "csv",
        }
    }

    /// File extension of the layer files.
    pub fn extension(self) -> &'static str {
        match self {
            Format::GeoJson => "geojson",
            Format::GeoJsonSeq => "geojsons",
            Format::Gpkg => "gpkg",
            Format::Csv => "csv",
        }
    }
}

impl FromStr for Format {
    type Err = LayersError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "geojson" | "json" => Ok(Format::GeoJson),
            "geojsonseq" | "geojsons" | "seq" => Ok(Format::GeoJsonSeq),
            "gpkg" | "geopackage" => Ok(Format::Gpkg),
            "csv" => Ok(Format::Csv),
            other => Err(LayersError::UnknownFormat(other.to_string())),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How to write a snapshot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayerOptions {
    pub format: Format,
    /// Write nothing; report whether the directory already holds exactly this output.
    pub check: bool,
}

/// What [`write_snapshot`] did (or, in check mode, would do) to each file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOutcome {
    /// The snapshot directory.
    pub dir: PathBuf,
    /// Every output file (relative to `dir`) with its state, in output order.
    pub files: Vec<(PathBuf, FileState)>,
}

impl WriteOutcome {
    /// True when every file already held exactly the expected bytes.
    pub fn is_unchanged(&self) -> bool {
        self.files.iter().all(|(_, s)| *s == FileState::Unchanged)
    }

    /// Files that are missing or differ (check mode) or were written.
    pub fn changed(&self) -> impl Iterator<Item = &(PathBuf, FileState)> {
        self.files
            .iter()
            .filter(|(_, s)| *s != FileState::Unchanged)
    }

    /// A short human summary: one line per changed file, or a line saying all is up to date.
    pub fn summary(&self) -> String {
        let changed: Vec<String> = self
            .changed()
            .map(|(p, s)| match s {
                FileState::Missing => format!("  {}: missing", p.display()),
                FileState::Differs(how) => format!("  {}: differs: {how}", p.display()),
                FileState::Written => format!("  {}: written", p.display()),
                FileState::Unchanged => String::new(),
            })
            .collect();
        if changed.is_empty() {
            format!(
                "{}: {} files up to date",
                self.dir.display(),
                self.files.len()
            )
        } else {
            format!(
                "{}: {} of {} files changed\n{}",
                self.dir.display(),
                changed.len(),
                self.files.len(),
                changed.join("\n")
            )
        }
    }
}

/// All files of a snapshot in a format, with their exact bytes (nothing is written): the layer
/// files, a `.qml` style per layer, the QGIS project `eventmap.qgs` and the basemap copy.
pub fn snapshot_files(snapshot: &Snapshot, format: Format) -> Result<Vec<OutFile>, LayersError> {
    let tables = schema::tables(snapshot)?;
    let mut files = Vec::new();
    if format == Format::Gpkg {
        files.push(OutFile {
            path: PathBuf::from(gpkg::FILE_NAME),
            bytes: gpkg::gpkg_bytes(&tables)?,
        });
    }
    for table in &tables {
        let stem = table.layer.name();
        let path = PathBuf::from(format!("{stem}.{}", format.extension()));
        match format {
            Format::GeoJson => files.push(OutFile {
                path,
                bytes: geojson::feature_collection(table),
            }),
            Format::GeoJsonSeq => files.push(OutFile {
                path,
                bytes: geojson::feature_sequence(table),
            }),
            Format::Csv => {
                files.push(OutFile {
                    path,
                    bytes: csv::csv(table),
                });
                files.push(OutFile {
                    path: PathBuf::from(format!("{stem}.csvt")),
                    bytes: csv::csvt(table),
                });
            }
            Format::Gpkg => {}
        }
        // QGIS applies `<file stem>.qml` as the default style of a file layer.
        if format != Format::Gpkg {
            files.push(OutFile {
                path: PathBuf::from(format!("{stem}.qml")),
                bytes: qgis::qml(table.layer).as_bytes().to_vec(),
            });
        }
    }
    files.push(OutFile {
        path: PathBuf::from(qgis::BASEMAP_PATH),
        bytes: qgis::BASEMAP_GEOJSON.to_vec(),
    });
    files.push(OutFile {
        path: PathBuf::from("basemap/countries.qml"),
        bytes: qgis::BASEMAP_QML.as_bytes().to_vec(),
    });
    files.push(OutFile {
        path: PathBuf::from("eventmap.qgs"),
        bytes: qgis::project(&tables, format),
    });
    Ok(files)
}

/// Writes (or with `check`, compares) the snapshot's files in `dir`.
pub fn write_snapshot(
    dir: &Path,
    snapshot: &Snapshot,
    options: &LayerOptions,
) -> Result<WriteOutcome, LayersError> {
    let files = snapshot_files(snapshot, options.format)?;
    let states = if options.check {
        fsio::check_all(dir, &files, &describe_difference)?
    } else {
        fsio::write_all(dir, &files)?
    };
    Ok(WriteOutcome {
        dir: dir.to_path_buf(),
        files: states,
    })
}

/// Features of a GeoJSON or GeoJSON-sequence file keyed by their `id` property.
fn features_by_id(bytes: &[u8]) -> Option<BTreeMap<String, serde_json::Value>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let features: Vec<serde_json::Value> = if text.starts_with('\u{1e}') {
        text.split('\u{1e}')
            .filter(|s| !s.trim().is_empty())
            .map(serde_json::from_str)
            .collect::<Result<_, _>>()
            .ok()?
    } else {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        v.get("features")?.as_array()?.clone()
    };
    let mut out = BTreeMap::new();
    for f in features {
        let id = f
            .pointer("/properties/id")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        out.insert(id, f);
    }
    Some(out)
}

/// How an existing file differs from the expected one, in features where possible.
fn describe_difference(expected: &OutFile, old: &[u8]) -> String {
    let ext = expected
        .path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    if matches!(ext, "geojson" | "geojsons")
        && let (Some(new), Some(old_f)) = (features_by_id(&expected.bytes), features_by_id(old))
    {
        let added: Vec<&String> = new.keys().filter(|k| !old_f.contains_key(*k)).collect();
        let removed: Vec<&String> = old_f.keys().filter(|k| !new.contains_key(*k)).collect();
        let changed: Vec<&String> = new
            .iter()
            .filter(|(k, v)| old_f.get(*k).is_some_and(|o| o != *v))
            .map(|(k, _)| k)
            .collect();
        let list = |v: &[&String]| {
            let mut s: Vec<String> = v.iter().take(3).map(|s| s.to_string()).collect();
            if v.len() > 3 {
                s.push(format!("… {} more", v.len() - 3));
            }
            s.join(", ")
        };
        let mut parts = vec![format!(
            "{} features on disk, {} expected",
            old_f.len(),
            new.len()
        )];
        if !added.is_empty() {
            parts.push(format!("{} new ({})", added.len(), list(&added)));
        }
        if !removed.is_empty() {
            parts.push(format!("{} gone ({})", removed.len(), list(&removed)));
        }
        if !changed.is_empty() {
            parts.push(format!("{} changed ({})", changed.len(), list(&changed)));
        }
        if added.is_empty() && removed.is_empty() && changed.is_empty() {
            parts.push("same features, different bytes (formatting)".into());
        }
        return parts.join("; ");
    }
    if ext == "gpkg" {
        return describe_gpkg_difference(&expected.bytes, old);
    }
    if ext == "geojson" && expected.path.starts_with("basemap") {
        return "basemap differs from the one built into this eventmap version".into();
    }
    fsio::describe_text_difference(&expected.bytes, old)
}

/// Per-layer feature counts and changed ids of two GeoPackages (read from scratch copies).
fn describe_gpkg_difference(new: &[u8], old: &[u8]) -> String {
    let fallback = format!(
        "GeoPackage differs ({} bytes on disk, {} expected)",
        old.len(),
        new.len()
    );
    let read_all = |bytes: &[u8], tag: &str| -> Option<Vec<(Layer, Vec<Row>)>> {
        let path =
            std::env::temp_dir().join(format!("eventmap-check-{}-{tag}.gpkg", std::process::id()));
        std::fs::write(&path, bytes).ok()?;
        let out = Layer::ALL
            .into_iter()
            .map(|l| {
                read::read_gpkg(&path, l)
                    .ok()
                    .map(|r| (l, r.unwrap_or_default()))
            })
            .collect::<Option<Vec<_>>>();
        let _ = std::fs::remove_file(&path);
        out
    };
    let (Some(n), Some(o)) = (read_all(new, "new"), read_all(old, "old")) else {
        return fallback;
    };
    let mut parts = Vec::new();
    for ((layer, nr), (_, or)) in n.iter().zip(&o) {
        if nr != or {
            let ids = |rows: &[Row]| -> std::collections::BTreeSet<String> {
                rows.iter().map(|r| r.id.clone()).collect()
            };
            let (ni, oi) = (ids(nr), ids(or));
            parts.push(format!(
                "{}: {} features on disk, {} expected ({} new, {} gone, {} changed)",
                layer.name(),
                or.len(),
                nr.len(),
                ni.difference(&oi).count(),
                oi.difference(&ni).count(),
                nr.iter()
                    .filter(|r| oi.contains(&r.id) && !or.contains(r))
                    .count()
            ));
        }
    }
    if parts.is_empty() {
        "same features, different file bytes (other SQLite version or styles)".into()
    } else {
        parts.join("; ")
    }
}
