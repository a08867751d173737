//! Reading documents: plain text, JSONL, and (later) HTML, feeds and URLs.
//!
//! Every input becomes a [`Document`]: an id, the text, and optional metadata. The id of a plain
//! file is its file name; JSONL lines carry their own `id`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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
