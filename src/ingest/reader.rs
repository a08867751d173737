//! The input dispatcher: turns the command line's input specs into a stream of documents.
//!
//! A spec is `-` (standard input; JSONL when it starts with `{`, otherwise one document), an
//! `http(s)://` URL (the response's content type, then sniffing, decides between HTML, feed,
//! JSONL and text), a directory (walked recursively in sorted byte order; hidden entries and files
//! without a known extension are ignored; symlinked directories are not followed) or a file.
//! Files are read by extension: `.jsonl`/`.ndjson` line by line, `.html`/`.htm`/`.xhtml` as HTML,
//! `.md`/`.markdown` as Markdown, anything else as text unless its content is a feed or an HTML
//! page. A final `.gz` is decompressed while reading and the extension before it decides.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

use super::decode::{binary_reason, decode};
use super::feed::{self, FeedItem};
use super::http::Fetcher;
use super::jsonl::JsonlReader;
use super::{Document, IngestOptions, InputError, html, markdown};

type Item = Result<Document, InputError>;
type Stream = Box<dyn Iterator<Item = Item> + Send>;

/// Extensions picked up when walking a directory.
const KNOWN_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "html", "htm", "xhtml", "jsonl", "ndjson", "xml", "rss",
    "atom",
];

/// How to interpret the bytes of one input.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// Decide from the content (feed, HTML, else text).
    Sniff,
    Text,
    Markdown,
    Html,
    Feed,
    Jsonl,
}

enum Spec {
    Arg(String),
    File { path: PathBuf, id: String },
    Error(InputError),
}

/// Streams the documents of a list of input specs, in order. Created by [`read_inputs`].
pub struct Inputs {
    specs: VecDeque<Spec>,
    current: Option<Stream>,
    /// Streams of files read ahead in parallel, in input order.
    ready: VecDeque<Stream>,
    ctx: Ctx,
}

/// What reading one input needs; shared by the threads that read files ahead.
struct Ctx {
    opts: IngestOptions,
    fetcher: OnceLock<Result<Arc<Fetcher>, String>>,
    consumed: Arc<AtomicU64>,
}

/// Files read ahead in parallel: at most this many at once...
const READ_AHEAD_FILES: usize = 64;
/// ...and at most this many bytes (but always at least one file).
const READ_AHEAD_BYTES: u64 = 32 << 20;

/// Stream the documents of `specs` (files, directories, `-`, URLs) in a deterministic order.
/// Problems are yielded as `Err` items in place; the stream always goes on.
pub fn read_inputs(specs: &[String], opts: &IngestOptions) -> Inputs {
    Inputs {
        specs: specs.iter().cloned().map(Spec::Arg).collect(),
        current: None,
        ready: VecDeque::new(),
        ctx: Ctx {
            opts: opts.clone(),
            fetcher: OnceLock::new(),
            consumed: Arc::new(AtomicU64::new(0)),
        },
    }
}

impl Iterator for Inputs {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(cur) = self.current.as_mut() {
                match cur.next() {
                    Some(Ok(mut doc)) => {
                        if doc.date.is_none() {
                            doc.date = self.ctx.opts.default_date;
                        }
                        return Some(Ok(doc));
                    }
                    Some(Err(e)) => return Some(Err(e)),
                    None => self.current = None,
                }
            }
            if let Some(stream) = self.ready.pop_front() {
                self.current = Some(stream);
                continue;
            }
            let spec = self.specs.pop_front()?;
            match spec {
                Spec::Error(e) => return Some(Err(e)),
                Spec::Arg(arg) => self.open_arg(&arg),
                Spec::File { path, id } => self.read_ahead(path, id),
            }
        }
    }
}

impl Inputs {
    /// A counter of input bytes read so far (files, JSONL lines, stdin, response bodies), for
    /// progress display; shared, so it can be read while the stream is being consumed elsewhere.
    pub fn bytes_counter(&self) -> Arc<AtomicU64> {
        self.ctx.consumed.clone()
    }

    /// Open the file `path` and, when the next specs are files too, read and parse them ahead
    /// in parallel (bounded by [`READ_AHEAD_FILES`] and [`READ_AHEAD_BYTES`]); their streams are
    /// queued in input order. JSONL files are streamed and never read ahead.
    fn read_ahead(&mut self, path: PathBuf, id: String) {
        let streamed = |p: &Path| matches!(extension(p).0.as_str(), "jsonl" | "ndjson");
        if streamed(&path) {
            self.current = Some(self.ctx.open_file(&path, id));
            return;
        }
        let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
        let mut total = size(&path);
        let mut batch = vec![(path, id)];
        while batch.len() < READ_AHEAD_FILES {
            let Some(Spec::File { path, .. }) = self.specs.front() else {
                break;
            };
            if streamed(path) {
                break;
            }
            let s = size(path);
            if total + s > READ_AHEAD_BYTES {
                break;
            }
            total += s;
            if let Some(Spec::File { path, id }) = self.specs.pop_front() {
                batch.push((path, id));
            }
        }
        if batch.len() == 1 {
            let (path, id) = batch.pop().expect("one file");
            self.current = Some(self.ctx.open_file(&path, id));
            return;
        }
        if self.ctx.opts.follow {
            // Create the client once, before the threads need it.
            let _ = self.ctx.fetcher();
        }
        let ctx = &self.ctx;
        // Files are read and parsed eagerly by `open_file` (feed items are turned into documents
        // lazily, which matters only with --follow), so this does the work in parallel.
        let streams: Vec<Stream> = batch
            .into_par_iter()
            .map(|(path, id)| ctx.open_file(&path, id))
            .collect();
        self.ready.extend(streams);
    }

    fn open_arg(&mut self, arg: &str) {
        if arg == "-" {
            self.current = Some(self.ctx.open_stdin());
            return;
        }
        let lower = arg.get(..8).unwrap_or(arg).to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            self.current = Some(self.ctx.open_url(arg));
            return;
        }
        let path = PathBuf::from(arg);
        match std::fs::metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.current = Some(one(Err(InputError::NotFound { path })));
            }
            Err(e) => self.current = Some(one(Err(InputError::Io { path, source: e }))),
            Ok(m) if m.is_dir() => {
                let mut found = Vec::new();
                walk(&path, "", &mut found);
                for spec in found.into_iter().rev() {
                    self.specs.push_front(spec);
                }
            }
            Ok(_) => {
                let id = path
                    .file_name()
                    .map_or_else(|| arg.to_string(), |n| n.to_string_lossy().into_owned());
                self.current = Some(self.ctx.open_file(&path, id));
            }
        }
    }
}

impl Ctx {
    fn fetcher(&self) -> Result<Arc<Fetcher>, String> {
        self.fetcher
            .get_or_init(|| Fetcher::new(&self.opts.http).map(Arc::new))
            .clone()
    }

    fn open_file(&self, path: &Path, id: String) -> Stream {
        let name = path.display().to_string();
        let (ext, gzip) = extension(path);
        let io_err = |e: std::io::Error| -> Stream {
            one(Err(match e.kind() {
                std::io::ErrorKind::NotFound => InputError::NotFound {
                    path: path.to_path_buf(),
                },
                _ => InputError::Io {
                    path: path.to_path_buf(),
                    source: e,
                },
            }))
        };
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => return io_err(e),
        };
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        let source: Box<dyn Read + Send> = if gzip {
            Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(file)))
        } else {
            Box::new(file)
        };
        if matches!(ext.as_str(), "jsonl" | "ndjson") {
            let reader = BufReader::with_capacity(1 << 20, source);
            return Box::new(
                JsonlReader::new(reader, name, &self.opts).with_counter(self.consumed.clone()),
            );
        }
        if !gzip && len > self.opts.max_doc_bytes {
            return one(Err(InputError::TooLarge {
                source_name: name,
                size: len,
                limit: self.opts.max_doc_bytes,
            }));
        }
        let mut bytes = Vec::with_capacity(if gzip { 0 } else { len as usize });
        if let Err(e) = source
            .take(self.opts.max_doc_bytes + 1)
            .read_to_end(&mut bytes)
        {
            return io_err(e);
        }
        if bytes.len() as u64 > self.opts.max_doc_bytes {
            return one(Err(InputError::TooLarge {
                source_name: name,
                size: bytes.len() as u64,
                limit: self.opts.max_doc_bytes,
            }));
        }
        let kind = match ext.as_str() {
            "html" | "htm" | "xhtml" => Kind::Html,
            "md" | "markdown" => Kind::Markdown,
            _ => Kind::Sniff,
        };
        self.interpret(bytes, &name, id, None, kind, None)
    }

    fn open_stdin(&self) -> Stream {
        let mut reader = BufReader::with_capacity(1 << 20, std::io::stdin());
        let first = match reader.fill_buf() {
            Ok(buf) => buf.iter().find(|b| !b.is_ascii_whitespace()).copied(),
            Err(e) => {
                return one(Err(InputError::Io {
                    path: PathBuf::from("-"),
                    source: e,
                }));
            }
        };
        if first == Some(b'{') {
            return Box::new(
                JsonlReader::new(reader, "-", &self.opts).with_counter(self.consumed.clone()),
            );
        }
        let mut bytes = Vec::new();
        if let Err(e) = reader
            .take(self.opts.max_doc_bytes + 1)
            .read_to_end(&mut bytes)
        {
            return one(Err(InputError::Io {
                path: PathBuf::from("-"),
                source: e,
            }));
        }
        if bytes.len() as u64 > self.opts.max_doc_bytes {
            return one(Err(InputError::TooLarge {
                source_name: "-".into(),
                size: bytes.len() as u64,
                limit: self.opts.max_doc_bytes,
            }));
        }
        self.interpret(bytes, "-", "stdin".into(), None, Kind::Sniff, None)
    }

    fn open_url(&self, url: &str) -> Stream {
        let fetcher = match self.fetcher() {
            Ok(f) => f,
            Err(reason) => {
                return one(Err(InputError::Url {
                    url: url.into(),
                    reason,
                }));
            }
        };
        let fetched = match fetcher.fetch(url, self.opts.max_doc_bytes) {
            Ok(f) => f,
            Err(reason) => {
                return one(Err(InputError::Url {
                    url: url.into(),
                    reason,
                }));
            }
        };
        let kind = match fetched.media_type().as_deref() {
            Some("text/html" | "application/xhtml+xml") => Kind::Html,
            Some(
                "application/rss+xml"
                | "application/atom+xml"
                | "application/rdf+xml"
                | "application/xml"
                | "text/xml",
            ) => Kind::Feed,
            Some("application/x-ndjson" | "application/jsonl" | "application/x-jsonlines") => {
                Kind::Jsonl
            }
            Some("text/markdown") => Kind::Markdown,
            _ => Kind::Sniff,
        };
        let charset = fetched.charset().map(str::to_string);
        let final_url = fetched.url.clone();
        self.interpret(
            fetched.body,
            url,
            url.to_string(),
            Some(final_url),
            kind,
            charset.as_deref(),
        )
    }

    /// Interpret the bytes of one input.
    fn interpret(
        &self,
        bytes: Vec<u8>,
        name: &str,
        id: String,
        url: Option<String>,
        kind: Kind,
        charset: Option<&str>,
    ) -> Stream {
        let mut out: VecDeque<Item> = VecDeque::new();
        if kind != Kind::Jsonl {
            self.consumed
                .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        }
        if let Some(reason) = binary_reason(&bytes[..bytes.len().min(8192)]) {
            return one(Err(InputError::Binary {
                source_name: name.into(),
                reason: reason.into(),
            }));
        }
        if kind == Kind::Jsonl {
            return Box::new(
                JsonlReader::new(std::io::Cursor::new(bytes), name.to_string(), &self.opts)
                    .with_counter(self.consumed.clone()),
            );
        }
        let decoded = decode(bytes, charset);
        if decoded.lossy {
            out.push_back(Err(InputError::InvalidUtf8 {
                source_name: name.into(),
            }));
        }
        let text = decoded.text;
        let kind = match kind {
            Kind::Sniff | Kind::Feed if feed::looks_like_feed(&text) => Kind::Feed,
            Kind::Sniff | Kind::Feed if looks_like_html(&text) => Kind::Html,
            Kind::Sniff => Kind::Text,
            // Declared XML that is not a feed: keep its text content.
            Kind::Feed => Kind::Html,
            k => k,
        };
        let bad_date = |raw: &str, out: &mut VecDeque<Item>| {
            out.push_back(Err(InputError::BadDate {
                source_name: name.into(),
                value: raw.into(),
            }));
        };
        match kind {
            Kind::Text | Kind::Sniff | Kind::Jsonl => out.push_back(Ok(Document {
                id,
                date: super::date::date_line(&text),
                text,
                title: None,
                url,
            })),
            Kind::Markdown => {
                let md = markdown::to_text(&text);
                let date = md.date.as_deref().and_then(|raw| {
                    let d = super::date::parse_date(raw);
                    if d.is_none() {
                        bad_date(raw, &mut out);
                    }
                    d
                });
                // Without front matter, a date line under the title.
                let date = date.or_else(|| super::date::date_line(&md.text));
                out.push_back(Ok(Document {
                    id,
                    text: md.text,
                    date,
                    title: md.title,
                    url,
                }));
            }
            Kind::Html => {
                let page = html::extract(&text);
                drop(text);
                out.push_back(Ok(Document {
                    id,
                    date: page.date.or_else(|| super::date::date_line(&page.text)),
                    text: page.text,
                    title: page.title,
                    url: url.or(page.canonical),
                }));
            }
            Kind::Feed => {
                let (parsed, error) = feed::parse(&text);
                drop(text);
                let follow = self.opts.follow;
                let fetcher = if follow { Some(self.fetcher()) } else { None };
                let items = FeedItems {
                    items: parsed.items.into_iter().enumerate().collect(),
                    source: name.to_string(),
                    fetcher,
                    max_bytes: self.opts.max_doc_bytes,
                    pending: out,
                    trailing_error: error.map(|reason| InputError::BadFeed {
                        source_name: name.into(),
                        reason,
                    }),
                };
                return Box::new(items);
            }
        }
        Box::new(out.into_iter())
    }
}

fn looks_like_html(text: &str) -> bool {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    let head = &head.as_bytes()[..head.len().min(512)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || (lower.starts_with(b"<") && memchr::memmem::find(&lower, b"<html").is_some())
}

/// The lowercased extension of `path`, looking through a final `.gz` (then `true`).
fn extension(path: &Path) -> (String, bool) {
    let ext_of = |p: &Path| {
        p.extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default()
    };
    let ext = ext_of(path);
    if ext == "gz" {
        (
            ext_of(Path::new(path.file_stem().unwrap_or_default())),
            true,
        )
    } else {
        (ext, false)
    }
}

fn one(item: Item) -> Stream {
    Box::new(std::iter::once(item))
}

/// Collect the files of a directory, recursively, sorted by name.
fn walk(dir: &Path, prefix: &str, out: &mut Vec<Spec>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            out.push(Spec::Error(InputError::Io {
                path: dir.to_path_buf(),
                source: e,
            }));
            return;
        }
    };
    let mut list: Vec<(Vec<u8>, PathBuf, String, bool)> = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.push(Spec::Error(InputError::Io {
                    path: dir.to_path_buf(),
                    source: e,
                }));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let Ok(ft) = entry.file_type() else { continue };
        // Symlinks to files are read; symlinked directories are not followed (no loops).
        let is_dir = ft.is_dir();
        let is_file = ft.is_file() || (ft.is_symlink() && path.is_file());
        if !is_dir && !is_file {
            continue;
        }
        if is_file {
            let (ext, _) = extension(&path);
            if !KNOWN_EXTENSIONS.contains(&ext.as_str()) {
                continue;
            }
        }
        list.push((name.clone().into_bytes(), path, name, is_dir));
    }
    list.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, path, name, is_dir) in list {
        let id = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        if is_dir {
            walk(&path, &id, out);
        } else {
            out.push(Spec::File { path, id });
        }
    }
}

/// Feed items turned into documents one at a time (fetching the article when following links).
struct FeedItems {
    items: VecDeque<(usize, FeedItem)>,
    source: String,
    fetcher: Option<Result<std::sync::Arc<Fetcher>, String>>,
    max_bytes: u64,
    pending: VecDeque<Item>,
    trailing_error: Option<InputError>,
}

impl Iterator for FeedItems {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if let Some(p) = self.pending.pop_front() {
            return Some(p);
        }
        let Some((index, item)) = self.items.pop_front() else {
            return self.trailing_error.take().map(Err);
        };
        let id = item
            .link
            .clone()
            .or_else(|| item.guid.clone())
            .unwrap_or_else(|| format!("{}#{}", self.source, index + 1));
        if let (None, Some(raw)) = (item.date, item.date_raw.as_ref()) {
            self.pending.push_back(Err(InputError::BadDate {
                source_name: id.clone(),
                value: raw.clone(),
            }));
        }
        let mut doc = Document {
            id,
            text: item.text(),
            date: item.date,
            title: item.title.clone(),
            url: item.link.clone(),
        };
        if let (Some(fetcher), Some(link)) = (self.fetcher.as_ref(), item.link.as_ref()) {
            let result = fetcher
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|f| f.fetch(link, self.max_bytes))
                .and_then(|fetched| {
                    if binary_reason(&fetched.body[..fetched.body.len().min(8192)]).is_some() {
                        return Err("the linked page is not text".to_string());
                    }
                    let charset = fetched.charset().map(str::to_string);
                    let decoded = decode(fetched.body, charset.as_deref());
                    let page = html::extract(&decoded.text);
                    if page.text.trim().is_empty() {
                        return Err("the linked page has no main text".to_string());
                    }
                    Ok(page)
                });
            match result {
                Ok(page) => {
                    doc.text = page.text;
                    doc.date = page.date.or(doc.date);
                    doc.title = page.title.or(doc.title);
                }
                Err(reason) => self.pending.push_back(Err(InputError::FollowFailed {
                    url: link.clone(),
                    reason,
                })),
            }
        }
        self.pending.push_back(Ok(doc));
        self.pending.pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(specs: &[&str], opts: &IngestOptions) -> Vec<Result<Document, String>> {
        let specs: Vec<String> = specs.iter().map(|s| s.to_string()).collect();
        read_inputs(&specs, opts)
            .map(|r| r.map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn files_and_directories() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/sub")).unwrap();
        std::fs::write(root.join("b/z.txt"), "Zed in Homs").unwrap();
        std::fs::write(root.join("b/a.md"), "# Head\n\nAleppo *now*").unwrap();
        std::fs::write(
            root.join("b/sub/c.jsonl"),
            "{\"id\":\"j1\",\"text\":\"Idlib\"}\n{bad\n",
        )
        .unwrap();
        std::fs::write(root.join("b/.hidden.txt"), "no").unwrap();
        std::fs::write(root.join("b/image.png"), b"\x89PNG\r\n\x1a\n").unwrap();
        std::fs::write(root.join("b/page.html"), "<title>T</title><p>Raqqa</p>").unwrap();
        std::fs::write(root.join("bin.txt"), b"\x89PNG\r\n\x1a\n\0\0\0").unwrap();
        std::fs::write(root.join("lossy.txt"), b"Gen\xe8ve and \xffAleppo").unwrap();
        std::fs::write(root.join("empty.txt"), b"").unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"{\"id\":\"g1\",\"text\":\"Mosul\"}\n").unwrap();
        std::fs::write(root.join("b/sub/d.jsonl.gz"), gz.finish().unwrap()).unwrap();
        let opts = IngestOptions {
            default_date: chrono::NaiveDate::from_ymd_opt(2016, 8, 26),
            ..Default::default()
        };
        let p = |s: &str| root.join(s).display().to_string();
        let got = collect(
            &[
                &p("lossy.txt"),
                &p("b"),
                &p("missing.txt"),
                &p("bin.txt"),
                &p("empty.txt"),
            ],
            &opts,
        );
        let summary: Vec<String> = got
            .iter()
            .map(|r| match r {
                Ok(d) => format!("{} = {:?}", d.id, d.text),
                Err(e) => format!("ERR {}", e.replace(&root.display().to_string(), "R")),
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                "ERR R/lossy.txt: invalid UTF-8 replaced by U+FFFD (offsets refer to the decoded text)".to_string(),
                "lossy.txt = \"Gen\u{fffd}ve and \u{fffd}Aleppo\"".into(),
                "a.md = \"Head\\n\\nAleppo now\"".into(),
                "page.html = \"Raqqa\"".into(),
                "sub/c.jsonl = \"Idlib\"".replace("sub/c.jsonl", "j1"),
                "ERR R/b/sub/c.jsonl:2: invalid JSON: key must be a string at column 2".into(),
                "g1 = \"Mosul\"".into(),
                "z.txt = \"Zed in Homs\"".into(),
                "ERR R/missing.txt: no such file or directory".into(),
                "ERR R/bin.txt: looks like a binary file (PNG image); skipped".into(),
                "empty.txt = \"\"".into(),
            ]
        );
        // Offsets refer to the decoded text we keep.
        let lossy = got[1].as_ref().unwrap();
        let a = lossy.text.find("Aleppo").unwrap();
        assert_eq!(&lossy.text[a..a + 6], "Aleppo");
        assert_eq!(lossy.text[..a].chars().count(), 12);
        // Dates: default applied; page title kept.
        assert!(got.iter().flatten().all(|d| d.date == opts.default_date));
        assert_eq!(got[3].as_ref().unwrap().title.as_deref(), Some("T"));
    }

    #[test]
    fn read_ahead_keeps_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut want = Vec::new();
        for i in 0..150 {
            let name = format!("f{i:03}");
            if i % 40 == 7 {
                std::fs::write(
                    dir.path().join(format!("{name}.jsonl")),
                    format!("{{\"id\":\"{name}j\",\"text\":\"x\"}}\n"),
                )
                .unwrap();
                want.push(format!("{name}j"));
            } else if i % 3 == 0 {
                std::fs::write(
                    dir.path().join(format!("{name}.html")),
                    format!("<p>{name}</p>"),
                )
                .unwrap();
                want.push(format!("{name}.html"));
            } else {
                std::fs::write(dir.path().join(format!("{name}.txt")), &name).unwrap();
                want.push(format!("{name}.txt"));
            }
        }
        let specs = vec![
            dir.path().display().to_string(),
            dir.path().join("f001.txt").display().to_string(),
        ];
        want.push("f001.txt".into());
        let got: Vec<String> = read_inputs(&specs, &IngestOptions::default())
            .map(|r| r.unwrap().id)
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn size_limit_and_feed_file() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.txt");
        std::fs::write(&big, "x".repeat(2000)).unwrap();
        let feed = dir.path().join("wire.xml");
        std::fs::write(&feed, super::super::feed::tests::RSS).unwrap();
        let opts = IngestOptions {
            max_doc_bytes: 1000,
            ..Default::default()
        };
        let got = collect(
            &[&big.display().to_string(), &feed.display().to_string()],
            &opts,
        );
        assert!(
            got[0]
                .as_ref()
                .unwrap_err()
                .contains("document of 2000 bytes is larger than --max-doc-bytes 1000")
        );
        let ids: Vec<&str> = got[1..]
            .iter()
            .map(|r| r.as_ref().unwrap().id.as_str())
            .collect();
        assert_eq!(
            ids,
            ["https://wire.example/aleppo", "https://wire.example/daraya"]
        );
    }
}
