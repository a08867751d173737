//! JSON Lines documents: one JSON object per line with `id`, `text` and optional `date`
//! (`YYYY-MM-DD` or an RFC 3339 timestamp), `title` and `url`; other fields (such as the gold
//! `toponyms` of the evaluation corpora) are ignored.
//!
//! Lines are read with bounded memory: a line longer than the document limit is skipped while it
//! is being read, never held whole. A malformed line is reported as `FILE:LINE: reason` and the
//! following lines are still read. A line without `id` gets `FILE:LINE` as its id. Blank lines are
//! skipped silently.
//!
//! Lines of the usual shape (only the fields above, string or null values) are read by
//! `quick_record`, which builds the same record `serde_json` does without its generic
//! machinery; any other line goes to `serde_json`, which also words the errors.

use std::collections::VecDeque;
use std::io::BufRead;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Deserialize;

use super::{Document, IngestOptions, InputError, date};

#[derive(Deserialize, Debug, Default, PartialEq)]
struct Record {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    date: Option<serde_json::Value>,
    #[serde(default)]
    title: Option<serde_json::Value>,
    #[serde(default)]
    url: Option<serde_json::Value>,
}

/// Outcome of reading one physical line.
enum Line {
    Eof,
    Ok,
    TooLong(u64),
}

/// Streams documents from a JSONL source.
pub struct JsonlReader<R> {
    reader: R,
    name: String,
    line_no: u64,
    buf: Vec<u8>,
    max: u64,
    default_date: Option<chrono::NaiveDate>,
    warned_utf8: bool,
    pending: VecDeque<Result<Document, InputError>>,
    done: bool,
    consumed: Option<Arc<AtomicU64>>,
}

impl<R: BufRead> JsonlReader<R> {
    /// Read JSONL from `reader`; `name` is used in ids and messages (a path or `-`).
    pub fn new(reader: R, name: impl Into<String>, opts: &IngestOptions) -> Self {
        JsonlReader {
            reader,
            name: name.into(),
            line_no: 0,
            buf: Vec::new(),
            max: opts.max_doc_bytes,
            default_date: opts.default_date,
            warned_utf8: false,
            pending: VecDeque::new(),
            done: false,
            consumed: None,
        }
    }

    /// Add the number of bytes read to `counter` as reading goes on (for progress display).
    pub fn with_counter(mut self, counter: Arc<AtomicU64>) -> Self {
        self.consumed = Some(counter);
        self
    }

    /// Read one line into `self.buf` (without the newline); past `max` bytes the rest of the line
    /// is consumed and dropped.
    fn read_line(&mut self) -> std::io::Result<Line> {
        self.buf.clear();
        let mut total: u64 = 0;
        let mut any = false;
        loop {
            let avail = match self.reader.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                break;
            }
            any = true;
            let (take, found) = match memchr::memchr(b'\n', avail) {
                Some(i) => (i, true),
                None => (avail.len(), false),
            };
            total += take as u64;
            if total <= self.max {
                self.buf.extend_from_slice(&avail[..take]);
            } else if !self.buf.is_empty() {
                self.buf = Vec::new();
            }
            self.reader.consume(take + usize::from(found));
            if let Some(c) = &self.consumed {
                c.fetch_add((take + usize::from(found)) as u64, Ordering::Relaxed);
            }
            if found {
                break;
            }
        }
        if !any {
            return Ok(Line::Eof);
        }
        if total > self.max {
            return Ok(Line::TooLong(total));
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        Ok(Line::Ok)
    }

    fn bad(&self, reason: impl Into<String>) -> InputError {
        InputError::BadLine {
            path: self.name.clone(),
            line: self.line_no,
            reason: reason.into(),
        }
    }

    fn parse_line(&mut self) {
        let line = self.line_no;
        let lossy;
        let text: std::borrow::Cow<str> = match std::str::from_utf8(&self.buf) {
            Ok(s) => {
                lossy = false;
                s.into()
            }
            Err(_) => {
                lossy = true;
                String::from_utf8_lossy(&self.buf).into_owned().into()
            }
        };
        if text.trim().is_empty() {
            return;
        }
        if lossy && !self.warned_utf8 {
            self.warned_utf8 = true;
            self.pending.push_back(Err(InputError::InvalidUtf8 {
                source_name: format!("{}:{}", self.name, line),
            }));
        }
        let parsed = match quick_record(&text) {
            Some(r) => Ok(r),
            None => serde_json::from_str(&text),
        };
        let record: Record = match parsed {
            Ok(r) => r,
            Err(e) => {
                let msg = e.to_string().replace(" at line 1 column ", " at column ");
                let reason = if text.trim_start().starts_with('{') {
                    format!("invalid JSON: {msg}")
                } else {
                    format!("not a JSON object: {msg}")
                };
                let err = self.bad(reason);
                self.pending.push_back(Err(err));
                return;
            }
        };
        let Some(doc_text) = record.text else {
            let err = self.bad("missing \"text\" (a string)");
            self.pending.push_back(Err(err));
            return;
        };
        let id = match record.id {
            Some(serde_json::Value::String(s)) if !s.is_empty() => s,
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => format!("{}:{}", self.name, line),
        };
        let string_field = |v: Option<serde_json::Value>| match v {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s),
            _ => None,
        };
        let mut date = self.default_date;
        if let Some(d) = string_field(record.date) {
            match date::parse_date(&d) {
                Some(parsed) => date = Some(parsed),
                None => self.pending.push_back(Err(InputError::BadDate {
                    source_name: format!("{}:{}", self.name, line),
                    value: d,
                })),
            }
        }
        self.pending.push_back(Ok(Document {
            id,
            text: doc_text,
            date,
            title: string_field(record.title),
            url: string_field(record.url),
        }));
    }
}

/// Whether `s` has a control character (not allowed raw in a JSON string). Takes the least
/// byte, without an early exit, so the check runs on whole vectors.
fn has_control(s: &str) -> bool {
    s.bytes().fold(u8::MAX, u8::min) < 0x20
}

/// JSON whitespace.
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\t' | b'\r')
}

/// A position in a line being read by [`quick_record`].
struct Cursor<'a> {
    b: &'a [u8],
    s: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    fn skip_ws(&mut self) {
        while self.b.get(self.i).is_some_and(|&b| is_ws(b)) {
            self.i += 1;
        }
    }

    /// Consumes `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        let yes = self.b.get(self.i) == Some(&byte);
        self.i += usize::from(yes);
        yes
    }

    /// A string without escapes (a key), after its opening quote.
    fn plain_string(&mut self) -> Option<&'a str> {
        let start = self.i;
        let len = memchr::memchr2(b'"', b'\\', &self.b[start..])?;
        let piece = &self.s[start..start + len];
        if self.b[start + len] != b'"' || has_control(piece) {
            return None;
        }
        self.i = start + len + 1;
        Some(piece)
    }

    /// A string, after its opening quote; `None` for what [`quick_record`] leaves to
    /// `serde_json` (control characters, bad escapes, escaped surrogates).
    fn string(&mut self) -> Option<String> {
        let mut out = String::new();
        loop {
            let start = self.i;
            let len = memchr::memchr2(b'"', b'\\', &self.b[start..])?;
            let piece = &self.s[start..start + len];
            if has_control(piece) {
                return None;
            }
            self.i = start + len + 1;
            if self.b[start + len] == b'"' {
                if out.is_empty() {
                    return Some(piece.to_string());
                }
                out.push_str(piece);
                return Some(out);
            }
            out.push_str(piece);
            let escaped = *self.b.get(self.i)?;
            self.i += 1;
            out.push(match escaped {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let hex = self.s.get(self.i..self.i + 4)?;
                    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return None;
                    }
                    self.i += 4;
                    // Surrogates (and pairs of them) are left to serde_json.
                    char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
                }
                _ => return None,
            });
        }
    }

    /// A field's value when it is a string or null (`Some(None)`).
    fn string_or_null(&mut self) -> Option<Option<String>> {
        if self.eat(b'"') {
            return self.string().map(Some);
        }
        if self.b[self.i..].starts_with(b"null") {
            self.i += 4;
            return Some(None);
        }
        None
    }
}

/// The record of a line that is an object of the known fields (each at most once), whose
/// values are strings (or null, but for `text`): what `serde_json` reads from it, faster.
/// `None` for any other line, which `serde_json` then reads (or rejects).
fn quick_record(line: &str) -> Option<Record> {
    let mut c = Cursor {
        b: line.as_bytes(),
        s: line,
        i: 0,
    };
    let mut r = Record::default();
    let mut seen = 0u8;
    c.skip_ws();
    if !c.eat(b'{') {
        return None;
    }
    c.skip_ws();
    if !c.eat(b'}') {
        loop {
            if !c.eat(b'"') {
                return None;
            }
            let key = c.plain_string()?;
            c.skip_ws();
            if !c.eat(b':') {
                return None;
            }
            c.skip_ws();
            // A field given twice is an error (left to serde_json), even after a null.
            let bit = match key {
                "id" => 1,
                "text" => 2,
                "date" => 4,
                "title" => 8,
                "url" => 16,
                // Other fields.
                _ => return None,
            };
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            let value = |v: Option<String>| v.map(serde_json::Value::String);
            match bit {
                1 => r.id = value(c.string_or_null()?),
                2 => {
                    if !c.eat(b'"') {
                        return None;
                    }
                    r.text = Some(c.string()?);
                }
                4 => r.date = value(c.string_or_null()?),
                8 => r.title = value(c.string_or_null()?),
                _ => r.url = value(c.string_or_null()?),
            }
            c.skip_ws();
            if c.eat(b'}') {
                break;
            }
            if !c.eat(b',') {
                return None;
            }
            c.skip_ws();
        }
    }
    c.skip_ws();
    (c.i == c.b.len()).then_some(r)
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Result<Document, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.done {
                return None;
            }
            self.line_no += 1;
            match self.read_line() {
                Ok(Line::Eof) => self.done = true,
                Ok(Line::Ok) => self.parse_line(),
                Ok(Line::TooLong(n)) => {
                    return Some(Err(InputError::TooLarge {
                        source_name: format!("{}:{}", self.name, self.line_no),
                        size: n,
                        limit: self.max,
                    }));
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(self.bad(format!("read error: {e}"))));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8], max: u64) -> Vec<Result<Document, String>> {
        let opts = IngestOptions {
            max_doc_bytes: max,
            default_date: chrono::NaiveDate::from_ymd_opt(2020, 1, 2),
            ..Default::default()
        };
        JsonlReader::new(input, "t.jsonl", &opts)
            .map(|r| r.map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn good_and_bad_lines() {
        let input = b"{\"id\": \"a\", \"text\": \"Aleppo\", \"date\": \"2016-08-26T10:00:00Z\", \"toponyms\": []}\n\
\n\
{\"id\": 7, \"text\": \"x\", \"title\": \"T\", \"url\": \"http://e/x\"}\r\n\
{\"id\": \"broken\", \"text\": \n\
[1,2]\n\
{\"id\": \"nt\"}\n\
{\"text\": \"no id\", \"date\": \"someday\"}\n\
{\"id\":\"last\",\"text\":\"end\"}";
        let got = read(input, 1 << 20);
        let ok = |r: &Result<Document, String>| r.as_ref().ok().cloned();
        assert_eq!(got.len(), 8, "{got:?}");
        let a = ok(&got[0]).unwrap();
        assert_eq!(
            (a.id.as_str(), a.date.unwrap().to_string()),
            ("a", "2016-08-26".to_string())
        );
        let b = ok(&got[1]).unwrap();
        assert_eq!(b.id, "7");
        assert_eq!(b.title.as_deref(), Some("T"));
        assert_eq!(b.url.as_deref(), Some("http://e/x"));
        assert_eq!(b.date.unwrap().to_string(), "2020-01-02");
        assert!(
            got[2]
                .as_ref()
                .unwrap_err()
                .starts_with("t.jsonl:4: invalid JSON"),
            "{:?}",
            got[2]
        );
        assert!(
            got[3]
                .as_ref()
                .unwrap_err()
                .starts_with("t.jsonl:5: not a JSON object"),
            "{:?}",
            got[3]
        );
        assert_eq!(
            got[4].as_ref().unwrap_err(),
            "t.jsonl:6: missing \"text\" (a string)"
        );
        assert!(
            got[5]
                .as_ref()
                .unwrap_err()
                .contains("t.jsonl:7: unrecognised date")
        );
        let c = ok(&got[6]).unwrap();
        assert_eq!(c.id, "t.jsonl:7");
        assert_eq!(c.date.unwrap().to_string(), "2020-01-02");
        assert_eq!(ok(&got[7]).unwrap().id, "last");
    }

    /// The quick reader against `serde_json`: the lines it takes, it reads the same; the
    /// others are left to `serde_json`.
    #[test]
    fn quick_records_are_what_serde_json_reads() {
        // (line, whether the quick reader takes it)
        let cases: &[(&str, bool)] = &[
            (r#"{"id":"a","text":"Aleppo"}"#, true),
            (
                r#" { "id" : "a" , "text" : "q\"b\\s\/\b\f\n\r\t\u00e9\u00E9\u0000\uFFFF\u2028" , "date":null,"title":null,"url":"http://e/x"} "#,
                true,
            ),
            ("{}", true),
            (" {\t}\r\n", true),
            ("{\"text\":\"x\"}\r\n\t ", true),
            (
                r#"{"date":"2016-08-26","text":"ok","title":"  ","id":""}"#,
                true,
            ),
            (r#"{"text":"Ελλάδα \"中国\" 🇸🇾","id":"ü"}"#, true),
            (r#"{"id":null,"text":"\u0041\u00410"}"#, true),
            // Surrogates, escaped alone or in pairs.
            (r#"{"text":"\ud83d\ude00"}"#, false),
            (r#"{"text":"\ud83d"}"#, false),
            (r#"{"text":"\ude00x"}"#, false),
            // Other values, other fields, repeated fields.
            (r#"{"id":7,"text":"x"}"#, false),
            (r#"{"id":"a","text":"x","title":{}}"#, false),
            (r#"{"id":null,"id":"a","text":"x"}"#, false),
            (r#"{"text":"a","text":"b"}"#, false),
            (r#"{"text":null}"#, false),
            (r#"{"text":"x","toponyms":[]}"#, false),
            (r#"{"te\u0078t":"x"}"#, false),
            // Malformed lines.
            ("{\"text\":\"tab\there\"}", false),
            (r#"{"text":"x",}"#, false),
            (r#"{"text":"x"} x"#, false),
            (r#"{"text":"x"}}"#, false),
            ("[1,2]", false),
            (r#"{"text":"\x"}"#, false),
            (r#"{"text":"\u12"}"#, false),
            (r#"{"text":"\u12g4"}"#, false),
            (r#"{"text":"unterminated}"#, false),
            (r#"{"text":"x\"#, false),
            (r#"{"text" "x"}"#, false),
            (r#"{"title":nul}"#, false),
            (r#"{"title":nullx}"#, false),
            (r#"{"title":null"#, false),
            ("", false),
            ("{", false),
        ];
        for &(line, quick) in cases {
            let got = quick_record(line);
            assert_eq!(got.is_some(), quick, "{line}");
            let want = serde_json::from_str::<Record>(line);
            if let Some(r) = got {
                assert_eq!(r, want.unwrap(), "{line}");
            }
        }
    }

    #[test]
    fn long_lines_are_skipped_in_bounded_memory() {
        let mut input = Vec::new();
        input.extend_from_slice(b"{\"id\":\"big\",\"text\":\"");
        input.extend(std::iter::repeat_n(b'a', 5000));
        input.extend_from_slice(b"\"}\n{\"id\":\"small\",\"text\":\"ok\"}\n");
        let reader = std::io::BufReader::with_capacity(64, &input[..]);
        let opts = IngestOptions {
            max_doc_bytes: 1000,
            ..Default::default()
        };
        let mut r = JsonlReader::new(reader, "big.jsonl", &opts);
        let first = r.next().unwrap().unwrap_err().to_string();
        assert!(
            first.starts_with("big.jsonl:1: document of 5022 bytes"),
            "{first}"
        );
        assert!(
            r.buf.capacity() <= 2048,
            "buffer grew to {}",
            r.buf.capacity()
        );
        assert_eq!(r.next().unwrap().unwrap().id, "small");
        assert!(r.next().is_none());
    }

    #[test]
    fn invalid_utf8_warns_once() {
        let input = b"{\"id\":\"a\",\"text\":\"caf\xe9\"}\n{\"id\":\"b\",\"text\":\"\xff\"}\n";
        let got = read(input, 1 << 20);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[0].as_ref().unwrap_err().contains("invalid UTF-8"));
        assert_eq!(got[1].as_ref().unwrap().text, "caf\u{fffd}");
        assert_eq!(got[2].as_ref().unwrap().text, "\u{fffd}");
    }

    #[test]
    fn empty_input() {
        assert!(read(b"", 100).is_empty());
        assert!(read(b"\n\n  \n", 100).is_empty());
    }
}
