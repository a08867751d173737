//! Building an index from a directory of places TSV files (`gazetteer/data/`).
//!
//! Used by the build script for the embedded index and by `eventmap gazetteer build --data DIR`.
//! Files named `*.tsv` or `*.tsv.gz` are read in sorted file-name order, except `sources.tsv`,
//! whose text (comments dropped) is stored in the index metadata under the key `sources` for
//! `gazetteer info`. Depends only on `std` and sibling modules (the build script compiles it).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::format::{FormatError, IndexWriter};
use super::placeset::{NoBase, PlaceSet};
use super::tsv::{RowError, open_maybe_gz, read_places};

/// What was read from a data directory.
#[derive(Debug, Default)]
pub struct DirSummary {
    /// Data files read, in order, with their number of valid rows.
    pub files: Vec<(String, usize)>,
    /// Rows rejected (also passed to the error callback).
    pub bad_rows: usize,
    /// Places written.
    pub places: u64,
    /// (key, place) pairs written.
    pub names: u64,
}

/// The data files of `dir` in the order they are read (sorted by name).
pub fn data_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            (name.ends_with(".tsv") || name.ends_with(".tsv.gz")) && name != "sources.tsv"
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Reads every data file of `dir` and writes the index to `out`. Malformed rows go to
/// `on_error` and are skipped.
pub fn build_from_dir(
    dir: &Path,
    out: &mut dyn Write,
    on_error: &mut dyn FnMut(RowError),
) -> Result<DirSummary, FormatError> {
    let mut set = PlaceSet::new();
    let mut summary = DirSummary::default();
    for path in data_files(dir)? {
        let label = path.display().to_string();
        let mut rows = 0usize;
        let mut errors = Vec::new();
        let mut parse_errors = Vec::new();
        let reader = open_maybe_gz(&path)?;
        read_places(
            reader,
            &label,
            |row| match set.apply(&row, &NoBase) {
                Ok(()) => rows += 1,
                Err(reason) => errors.push(RowError {
                    file: label.clone(),
                    line: row.line,
                    reason,
                }),
            },
            |e| parse_errors.push(e),
        )?;
        errors.append(&mut parse_errors);
        errors.sort_by_key(|e| e.line);
        summary.bad_rows += errors.len();
        errors.into_iter().for_each(&mut *on_error);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        summary.files.push((name, rows));
    }
    set.join_admin_names(&NoBase);
    let mut w = IndexWriter::in_memory();
    set.write(&mut w, 0)?;
    let sources = dir.join("sources.tsv");
    if let Ok(text) = std::fs::read_to_string(&sources) {
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .collect();
        w.add_meta("sources", &kept.join("\n"));
    }
    for (file, rows) in &summary.files {
        w.add_meta(&format!("file.{file}"), &rows.to_string());
    }
    let stats = w.finish(out)?;
    summary.places = stats.places;
    summary.names = stats.names;
    Ok(summary)
}
