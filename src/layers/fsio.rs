//! Atomic file output and snapshot comparison.
//!
//! Every file is first written completely to a hidden temporary file in its destination
//! directory, flushed, and then renamed over the destination; a rename within one directory is
//! atomic, so a reader (or an interrupted run) sees either the old or the new file, never a
//! half-written one. Files whose bytes would not change are left alone (their modification times
//! stay as they were).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::LayersError;

/// One output file: path relative to the snapshot directory and its exact bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// What happened to (or would happen to) one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    /// Already held exactly these bytes.
    Unchanged,
    /// Written (it was missing or different).
    Written,
    /// Check mode: the file does not exist.
    Missing,
    /// Check mode: the file exists with other content; the text says how it differs.
    Differs(String),
}

/// Prefix of temporary files (hidden, and recognisable so tests can look for leftovers).
pub const TEMP_PREFIX: &str = ".eventmap-tmp-";

fn io_err(path: &Path, e: std::io::Error) -> LayersError {
    LayersError::Io {
        path: path.to_path_buf(),
        source: e,
    }
}

/// Writes `bytes` to `dest` atomically (temp file in the same directory, then rename).
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> Result<(), LayersError> {
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| io_err(parent, e))?;
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = parent.join(format!("{TEMP_PREFIX}{}-{name}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp).map_err(|e| io_err(&tmp, e))?;
        f.write_all(bytes).map_err(|e| io_err(&tmp, e))?;
        f.sync_all().map_err(|e| io_err(&tmp, e))?;
        drop(f);
        fs::rename(&tmp, dest).map_err(|e| io_err(dest, e))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Writes every file that differs from what `dir` holds; returns each file's state.
pub fn write_all(dir: &Path, files: &[OutFile]) -> Result<Vec<(PathBuf, FileState)>, LayersError> {
    let mut out = Vec::new();
    for f in files {
        let dest = dir.join(&f.path);
        let same = fs::read(&dest).map(|b| b == f.bytes).unwrap_or(false);
        if same {
            out.push((f.path.clone(), FileState::Unchanged));
        } else {
            write_atomic(&dest, &f.bytes)?;
            out.push((f.path.clone(), FileState::Written));
        }
    }
    Ok(out)
}

/// Compares every file with what `dir` holds, writing nothing.
pub fn check_all(
    dir: &Path,
    files: &[OutFile],
    describe: &dyn Fn(&OutFile, &[u8]) -> String,
) -> Result<Vec<(PathBuf, FileState)>, LayersError> {
    let mut out = Vec::new();
    for f in files {
        let dest = dir.join(&f.path);
        let state = match fs::read(&dest) {
            Ok(old) if old == f.bytes => FileState::Unchanged,
            Ok(old) => FileState::Differs(describe(f, &old)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => FileState::Missing,
            Err(e) => return Err(io_err(&dest, e)),
        };
        out.push((f.path.clone(), state));
    }
    Ok(out)
}

/// Short description of how two text files differ: line counts and the first differing line.
pub fn describe_text_difference(new: &[u8], old: &[u8]) -> String {
    let new_s = String::from_utf8_lossy(new);
    let old_s = String::from_utf8_lossy(old);
    let new_lines: Vec<&str> = new_s.lines().collect();
    let old_lines: Vec<&str> = old_s.lines().collect();
    let first = new_lines
        .iter()
        .zip(old_lines.iter())
        .position(|(a, b)| a != b)
        .unwrap_or(new_lines.len().min(old_lines.len()));
    let mut s = format!(
        "{} lines on disk, {} expected; first difference at line {}",
        old_lines.len(),
        new_lines.len(),
        first + 1
    );
    if new_s.ends_with('\n') != old_s.ends_with('\n') {
        s.push_str(" (trailing newline differs)");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_leaves_no_temp_files() {
        let dir = std::env::temp_dir().join(format!("eventmap-fsio-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let dest = dir.join("sub/a.txt");
        write_atomic(&dest, b"one\n").unwrap();
        write_atomic(&dest, b"two\n").unwrap();
        assert_eq!(fs::read(&dest).unwrap(), b"two\n");
        let leftovers: Vec<_> = fs::read_dir(dir.join("sub"))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
            .collect();
        assert!(leftovers.is_empty());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn text_difference_names_first_line() {
        let d = describe_text_difference(b"a\nb\nc\n", b"a\nx\n");
        assert_eq!(d, "2 lines on disk, 3 expected; first difference at line 2");
    }
}
