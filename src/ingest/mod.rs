//! Reading documents from every input a user has: plain text, Markdown, HTML, JSONL, RSS/Atom
//! feeds, directories, standard input and `http(s)://` URLs.
//!
//! Every input becomes a [`Document`]: an id, the text, and optional metadata. The id of a plain
//! file is its file name (its path relative to the directory given, for files found in a
//! directory); JSONL lines carry their own `id`; feed items and URLs use their link.
//!
//! [`read_inputs`] streams documents in a deterministic order (inputs in the order given,
//! directories recursively in sorted order, JSONL lines in file order) without holding them all in
//! memory. Bad input never panics and never stops the stream: it is reported as an [`InputError`]
//! item (with the file, line or URL and the reason) and reading goes on with the next document.
//! Warnings (lossily decoded UTF-8, skipped binary files, unparsable dates) are `InputError`s too,
//! distinguished by [`InputError::is_warning`]. [`parallel::for_each_document_parallel`] maps
//! documents across threads in bounded batches and hands results back in input order;
//! [`progress`] draws the progress bar and prints the final summary.

pub mod date;
pub mod decode;
pub mod feed;
pub mod html;
pub mod http;
pub mod jsonl;
pub mod markdown;
pub mod parallel;
pub mod progress;
mod reader;

use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use parallel::for_each_document_parallel;
pub use progress::{Progress, RunStats};
pub use reader::{Inputs, read_inputs};

/// One news document, as read from any input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable identifier (file name, JSONL `id`, or URL).
    pub id: String,
    /// The full text; all offsets in later stages point into this string.
    pub text: String,
    /// Publication date, when known.
    pub date: Option<NaiveDate>,
    /// Title, when known.
    pub title: Option<String>,
    /// Source URL, when known.
    pub url: Option<String>,
}

/// Default for [`IngestOptions::max_doc_bytes`]: 64 MiB.
pub const DEFAULT_MAX_DOC_BYTES: u64 = 64 * 1024 * 1024;

/// How inputs are read.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Publication date for documents that carry none (a document's own date always wins).
    pub default_date: Option<NaiveDate>,
    /// For feeds: fetch each item's link and use the article's main text.
    pub follow: bool,
    /// Documents (a file, a JSONL line, a fetched body) larger than this are rejected.
    pub max_doc_bytes: u64,
    /// HTTP client settings for URLs.
    pub http: http::HttpOptions,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            default_date: None,
            follow: false,
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
            http: http::HttpOptions::default(),
        }
    }
}

/// A problem with one input: a file, a JSONL line, a URL or a feed item. Reading continues with
/// the next document; warnings (see [`InputError::is_warning`]) come with a document that was
/// still produced or with an input that was deliberately skipped.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// A path that does not exist.
    #[error("{path}: no such file or directory")]
    NotFound {
        /// The path as given.
        path: PathBuf,
    },
    /// Any other I/O failure (permissions, a read error, a directory that cannot be listed).
    #[error("{path}: {source}")]
    Io {
        /// The path as given.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A document above `--max-doc-bytes`.
    #[error(
        "{source_name}: document of {size} bytes is larger than --max-doc-bytes {limit}; skipped"
    )]
    TooLarge {
        /// File, `FILE:LINE` or URL.
        source_name: String,
        /// The size seen (at least this many bytes).
        size: u64,
        /// The limit in force.
        limit: u64,
    },
    /// A malformed JSONL line.
    #[error("{path}:{line}: {reason}")]
    BadLine {
        /// The JSONL file (`-` for stdin).
        path: String,
        /// 1-based line number.
        line: u64,
        /// What is wrong with it.
        reason: String,
    },
    /// A URL that could not be fetched.
    #[error("{url}: {reason}")]
    Url {
        /// The URL.
        url: String,
        /// Why it failed (refused, DNS, timeout, HTTP status, too large, redirect loop, ...).
        reason: String,
    },
    /// A feed that could not be parsed (items before the error are still produced).
    #[error("{source_name}: malformed feed: {reason}")]
    BadFeed {
        /// File or URL.
        source_name: String,
        /// The parser's message.
        reason: String,
    },
    /// Warning: invalid UTF-8 was replaced by U+FFFD; offsets refer to the decoded text.
    #[error("{source_name}: invalid UTF-8 replaced by U+FFFD (offsets refer to the decoded text)")]
    InvalidUtf8 {
        /// File, `-` or URL.
        source_name: String,
    },
    /// Warning: a binary file was skipped.
    #[error("{source_name}: looks like a binary file ({reason}); skipped")]
    Binary {
        /// File or URL.
        source_name: String,
        /// What gave it away.
        reason: String,
    },
    /// Warning: a date that could not be read; the `--date` default (if any) is used.
    #[error("{source_name}: unrecognised date {value:?}; using the default date")]
    BadDate {
        /// Where it came from.
        source_name: String,
        /// The date as written.
        value: String,
    },
    /// Warning: a feed item's article could not be fetched; the feed's own text is used.
    #[error("{url}: {reason}; using the feed item's text instead")]
    FollowFailed {
        /// The article URL.
        url: String,
        /// Why the fetch failed.
        reason: String,
    },
}

impl InputError {
    /// True for problems that still let the run count as clean (a document was produced from the
    /// input, or the input was deliberately skipped as not text). `--strict` treats them as errors.
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            InputError::InvalidUtf8 { .. }
                | InputError::Binary { .. }
                | InputError::BadDate { .. }
                | InputError::FollowFailed { .. }
        )
    }
}

/// Read a `--max-doc-bytes`-style size: a number with an optional `K`, `M`, `G` (or `KiB`, `MiB`,
/// `GiB`, `KB`, `MB`, `GB`, all binary multiples) suffix.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("invalid size {s:?} (expected e.g. 64M)"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("invalid size unit in {s:?} (use K, M or G)")),
    };
    let bytes = value * mult as f64;
    if !(bytes.is_finite() && bytes >= 1.0 && bytes < u64::MAX as f64) {
        return Err(format!("invalid size {s:?}"));
    }
    Ok(bytes as u64)
}

/// Read a duration in seconds (fractions allowed), as used by `--http-timeout`.
pub fn parse_seconds(s: &str) -> Result<Duration, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("invalid number of seconds {s:?}"))?;
    if !(v.is_finite() && v > 0.0 && v < 86_400.0) {
        return Err(format!("invalid number of seconds {s:?}"));
    }
    Ok(Duration::from_secs_f64(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        for (s, want) in [
            ("100", Some(100)),
            ("64M", Some(64 << 20)),
            ("64MiB", Some(64 << 20)),
            ("1k", Some(1024)),
            ("1.5K", Some(1536)),
            ("2G", Some(2u64 << 30)),
            ("0", None),
            ("abc", None),
            ("10X", None),
        ] {
            assert_eq!(parse_size(s).ok(), want, "{s}");
        }
    }

    #[test]
    fn warnings_are_classified() {
        let w = InputError::InvalidUtf8 {
            source_name: "a".into(),
        };
        assert!(w.is_warning());
        let e = InputError::BadLine {
            path: "a.jsonl".into(),
            line: 3,
            reason: "invalid JSON".into(),
        };
        assert!(!e.is_warning());
        assert_eq!(e.to_string(), "a.jsonl:3: invalid JSON");
    }
}
