//! HTML to the main text of the page, with its title and publication date.
//!
//! A small, linear-time tokenizer (no DOM is built) walks the page once. Scripts, styles,
//! navigation, headers, footers, asides, forms and elements whose class or id marks them as
//! navigation, sharing, comments or ads are dropped. The text of block elements becomes
//! paragraphs joined by blank lines; inline whitespace is collapsed. When the page has an
//! `<article>` (the one with the most text wins) or else a `<main>`, only its text is kept.
//!
//! Title: `og:title`, then `<title>`, then the first `<h1>`. Date: `article:published_time` and the
//! other usual meta tags (`pubdate`, `date`, `DC.date`, `dcterms.date`, `og:published_time`, ...),
//! then JSON-LD `datePublished`, then the first `<time datetime>` (inside the article if any).
//!
//! Malformed markup never fails: unclosed tags, stray `<`, unterminated comments and attributes
//! are read as leniently as browsers do, and every byte is looked at a bounded number of times.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::date::parse_date;

/// What is extracted from a page.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct HtmlDoc {
    /// The main text, paragraphs separated by blank lines.
    pub text: String,
    /// The page title.
    pub title: Option<String>,
    /// The publication date.
    pub date: Option<NaiveDate>,
    /// `<link rel=canonical>` or `og:url`.
    pub canonical: Option<String>,
}

/// Elements whose whole content is dropped.
const DROP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "nav", "header", "footer", "aside",
    "form", "button", "select", "iframe", "object", "canvas", "menu", "dialog", "head",
];
/// Elements whose content is raw text (no tags inside).
const RAW: &[&str] = &[
    "script", "style", "title", "textarea", "xmp", "noscript", "template",
];
/// Elements without content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen",
];
/// Elements that start a new paragraph.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "figure",
    "figcaption",
    "address",
    "hr",
    "body",
    "center",
    "details",
    "summary",
    "caption",
    "thead",
    "tbody",
    "tfoot",
];
/// Words in a class or id that mark boilerplate.
const BOILERPLATE_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "sidebar",
    "comment",
    "comments",
    "share",
    "sharing",
    "social",
    "related",
    "advert",
    "advertisement",
    "ads",
    "cookie",
    "cookies",
    "newsletter",
    "subscribe",
    "breadcrumb",
    "breadcrumbs",
    "promo",
    "popup",
    "modal",
    "masthead",
];
/// Meta names/properties that carry the publication date, best first.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "og:pubdate",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "datepublished",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "citation_publication_date",
    "date",
    "original-publish-date",
];

struct Open {
    name: Cow<'static, str>,
    drop: bool,
}

/// Tag names common enough to be worth not allocating for.
const COMMON_TAGS: &[&str] = &[
    "p",
    "a",
    "div",
    "span",
    "li",
    "ul",
    "ol",
    "b",
    "i",
    "em",
    "strong",
    "td",
    "tr",
    "th",
    "table",
    "tbody",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "figure",
    "figcaption",
    "blockquote",
    "header",
    "footer",
    "nav",
    "aside",
    "form",
    "button",
    "small",
    "time",
    "sup",
    "sub",
    "u",
    "s",
    "label",
    "picture",
    "dl",
    "dt",
    "dd",
    "pre",
    "code",
    "html",
    "body",
    "select",
    "option",
    "svg",
    "g",
    "path",
    "iframe",
    "noscript",
    "cite",
    "abbr",
    "mark",
];

fn intern(name: &str) -> Cow<'static, str> {
    match COMMON_TAGS.iter().find(|t| **t == name) {
        Some(t) => Cow::Borrowed(t),
        None => Cow::Owned(name.to_string()),
    }
}

/// Length of the leading whitespace of `s` (Unicode whitespace, ASCII fast path).
fn skip_space(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            if !matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
                return i;
            }
            i += 1;
        } else {
            let ch = s[i..].chars().next().unwrap_or('x');
            if !ch.is_whitespace() {
                return i;
            }
            i += ch.len_utf8();
        }
    }
    b.len()
}

/// Position of the first whitespace character of `s` (or its length).
fn next_space(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
                return i;
            }
            i += 1;
        } else {
            let ch = s[i..].chars().next().unwrap_or('x');
            if ch.is_whitespace() {
                return i;
            }
            i += ch.len_utf8();
        }
    }
    b.len()
}

#[derive(Default)]
struct State {
    stack: Vec<Open>,
    drop_depth: usize,
    /// Index of the innermost open <article>, counted over the page.
    article: Vec<usize>,
    articles_seen: usize,
    main_depth: usize,
    blocks: Vec<(String, Option<usize>, bool)>,
    cur: String,
    pending_space: bool,
    in_h1: bool,
    h1: String,
    first_h1: Option<String>,
    title: Option<String>,
    og_title: Option<String>,
    meta_dates: Vec<(usize, String)>,
    ld_date: Option<String>,
    time_in_article: Option<String>,
    time_any: Option<String>,
    canonical: Option<String>,
}

const MAX_DEPTH: usize = 512;

impl State {
    fn flush(&mut self) {
        let t = self.cur.trim();
        if !t.is_empty() {
            let article = self.article.last().copied();
            self.blocks
                .push((t.to_string(), article, self.main_depth > 0));
        }
        self.cur.clear();
        self.pending_space = false;
    }

    fn text(&mut self, raw: &str) {
        if self.drop_depth > 0 || raw.is_empty() {
            return;
        }
        let decoded = decode_entities(raw);
        let mut rest: &str = &decoded;
        loop {
            let start = skip_space(rest);
            if start > 0 {
                self.pending_space = true;
            }
            rest = &rest[start..];
            if rest.is_empty() {
                break;
            }
            let end = next_space(rest);
            let word = &rest[..end];
            rest = &rest[end..];
            if self.pending_space && !self.cur.is_empty() && !self.cur.ends_with('\n') {
                self.cur.push(' ');
            }
            self.pending_space = false;
            self.cur.push_str(word);
            if self.in_h1 {
                if !self.h1.is_empty() {
                    self.h1.push(' ');
                }
                self.h1.push_str(word);
            }
        }
    }

    fn start(&mut self, name: &str, attrs: &[(String, String)], self_closing: bool) {
        let attr = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        match name {
            "meta" => {
                let key = attr("property")
                    .or_else(|| attr("name"))
                    .or_else(|| attr("itemprop"))
                    .map(str::to_ascii_lowercase);
                if let (Some(key), Some(content)) = (key, attr("content")) {
                    let content = content.trim();
                    if !content.is_empty() {
                        if key == "og:title" || (key == "twitter:title" && self.og_title.is_none())
                        {
                            self.og_title = Some(collapse(content));
                        } else if key == "og:url" && self.canonical.is_none() {
                            self.canonical = Some(content.to_string());
                        } else if let Some(rank) = DATE_KEYS.iter().position(|k| *k == key) {
                            self.meta_dates.push((rank, content.to_string()));
                        }
                    }
                }
                return;
            }
            "link" => {
                if attr("rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical"))
                    && let Some(href) = attr("href")
                {
                    self.canonical = Some(href.trim().to_string());
                }
                return;
            }
            "time" => {
                if let Some(dt) = attr("datetime").filter(|d| !d.trim().is_empty()) {
                    if !self.article.is_empty() && self.time_in_article.is_none() {
                        self.time_in_article = Some(dt.to_string());
                    }
                    if self.time_any.is_none() {
                        self.time_any = Some(dt.to_string());
                    }
                }
            }
            "br" => {
                if self.drop_depth == 0 && !self.cur.is_empty() && !self.cur.ends_with('\n') {
                    self.cur.push('\n');
                }
                self.pending_space = false;
                return;
            }
            "td" | "th" => self.pending_space = true,
            _ => {}
        }
        if BLOCK.contains(&name) {
            self.flush();
        }
        if VOID.contains(&name) || self_closing {
            return;
        }
        // Implicitly closed elements: a new <p> or <li> closes the open one.
        if matches!(
            name,
            "p" | "li" | "dt" | "dd" | "tr" | "td" | "th" | "option"
        ) && self.stack.last().is_some_and(|o| o.name == name)
        {
            self.end(name);
        }
        if self.stack.len() >= MAX_DEPTH {
            return;
        }
        let boilerplate = !matches!(name, "article" | "main" | "body" | "html")
            && [attr("class"), attr("id"), attr("role")]
                .into_iter()
                .flatten()
                .any(is_boilerplate);
        let hidden = attr("hidden").is_some()
            || attr("aria-hidden").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let drop = DROP.contains(&name) || boilerplate || hidden;
        if drop {
            self.drop_depth += 1;
        }
        match name {
            "article" => {
                self.article.push(self.articles_seen);
                self.articles_seen += 1;
            }
            "main" => self.main_depth += 1,
            "h1" if self.drop_depth == 0 => {
                self.in_h1 = true;
                self.h1.clear();
            }
            _ => {}
        }
        self.stack.push(Open {
            name: intern(name),
            drop,
        });
    }

    fn end(&mut self, name: &str) {
        if name == "br" {
            return self.start("br", &[], true);
        }
        let Some(pos) = self.stack.iter().rposition(|o| o.name == name) else {
            return;
        };
        while self.stack.len() > pos {
            let Some(open) = self.stack.pop() else { break };
            if BLOCK.contains(&&*open.name) {
                self.flush();
            }
            if open.drop {
                self.drop_depth -= 1;
            }
            match &*open.name {
                "article" => {
                    self.article.pop();
                }
                "main" => self.main_depth = self.main_depth.saturating_sub(1),
                "h1" if self.in_h1 => {
                    self.in_h1 = false;
                    if self.first_h1.is_none() && !self.h1.is_empty() {
                        self.first_h1 = Some(std::mem::take(&mut self.h1));
                    }
                }
                _ => {}
            }
        }
    }

    fn raw(&mut self, name: &str, attrs: &[(String, String)], content: &str) {
        match name {
            "title" if self.title.is_none() && !self.stack.iter().any(|o| o.name == "svg") => {
                let t = collapse(&decode_entities(content));
                if !t.is_empty() {
                    self.title = Some(t);
                }
            }
            "script" => {
                let ld = attrs
                    .iter()
                    .any(|(k, v)| k == "type" && v.eq_ignore_ascii_case("application/ld+json"));
                if ld && self.ld_date.is_none() {
                    self.ld_date = json_ld_date(content);
                }
            }
            "textarea" | "xmp" => self.text(content),
            _ => {}
        }
    }

    fn finish(mut self) -> HtmlDoc {
        self.flush();
        let keep: Vec<&str> = if self.articles_seen > 0 && self.blocks.iter().any(|b| b.1.is_some())
        {
            let mut sizes = vec![0usize; self.articles_seen];
            for (t, a, _) in &self.blocks {
                if let Some(a) = a {
                    sizes[*a] += t.len();
                }
            }
            let best = (0..sizes.len())
                .max_by_key(|&i| (sizes[i], std::cmp::Reverse(i)))
                .unwrap_or(0);
            self.blocks
                .iter()
                .filter(|b| b.1 == Some(best))
                .map(|b| b.0.as_str())
                .collect()
        } else if self.blocks.iter().any(|b| b.2) {
            self.blocks
                .iter()
                .filter(|b| b.2)
                .map(|b| b.0.as_str())
                .collect()
        } else {
            self.blocks.iter().map(|b| b.0.as_str()).collect()
        };
        let text = keep.join("\n\n");
        self.meta_dates.sort_by_key(|(rank, _)| *rank);
        let date = self
            .meta_dates
            .iter()
            .map(|(_, d)| d.as_str())
            .chain(self.ld_date.as_deref())
            .chain(self.time_in_article.as_deref())
            .chain(self.time_any.as_deref())
            .find_map(parse_date);
        HtmlDoc {
            text,
            title: self.og_title.or(self.title).or(self.first_h1),
            date,
            canonical: self.canonical,
        }
    }
}

fn is_boilerplate(value: &str) -> bool {
    value.split_ascii_whitespace().any(|token| {
        token
            .split(['-', '_'])
            .any(|w| BOILERPLATE_WORDS.iter().any(|b| w.eq_ignore_ascii_case(b)))
    })
}

/// `datePublished` anywhere in a JSON-LD block.
fn json_ld_date(content: &str) -> Option<String> {
    fn find(v: &serde_json::Value, depth: usize) -> Option<String> {
        if depth > 16 {
            return None;
        }
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::String(s)) = m.get("datePublished") {
                    return Some(s.clone());
                }
                m.values().find_map(|x| find(x, depth + 1))
            }
            serde_json::Value::Array(a) => a.iter().find_map(|x| find(x, depth + 1)),
            _ => None,
        }
    }
    let v: serde_json::Value = serde_json::from_str(content.trim()).ok()?;
    find(&v, 0)
}

/// Collapse runs of whitespace to single spaces and trim.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decode character references (`&amp;`, `&eacute;`, `&#233;`, `&#xE9;`); unknown or malformed
/// references are kept as written.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.bytes().take(33).position(|b| b == b';');
        let resolved = end.and_then(|end| {
            let name = &after[..end];
            let ch: Option<Cow<str>> = if let Some(num) = name.strip_prefix('#') {
                let code = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse::<u32>().ok(),
                };
                code.map(|c| match c {
                    0 => '\u{fffd}',
                    // Windows-1252 code points that pages write as numeric references.
                    0x80..=0x9f => windows_1252(c),
                    _ => char::from_u32(c).unwrap_or('\u{fffd}'),
                })
                .map(|c| Cow::Owned(c.to_string()))
            } else {
                quick_xml::escape::resolve_html5_entity(name).map(Cow::Borrowed)
            };
            ch.map(|c| (c, end))
        });
        match resolved {
            Some((c, end)) => {
                out.push_str(&c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn windows_1252(c: u32) -> char {
    let b = [c as u8];
    let (s, _, _) = encoding_rs::WINDOWS_1252.decode(&b);
    s.chars().next().unwrap_or('\u{fffd}')
}

/// Walk `src`, calling the state machine for text, tags and raw-text elements.
fn tokenize(src: &str, st: &mut State) {
    let b = src.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        let Some(lt) = memchr::memchr(b'<', &b[i..]).map(|p| p + i) else {
            st.text(&src[i..]);
            break;
        };
        if lt > i {
            st.text(&src[i..lt]);
        }
        i = lt;
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            i = find(b, i + 4, b"-->").map_or(n, |p| p + 3);
        } else if rest.starts_with(b"<![CDATA[") {
            let end = find(b, i + 9, b"]]>").unwrap_or(n);
            st.text(&src[i + 9..end]);
            i = (end + 3).min(n);
        } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = memchr::memchr(b'>', &b[i..]).map_or(n, |p| i + p + 1);
        } else if rest.len() > 1 && rest[1] == b'/' {
            let name_end = scan_name(b, i + 2);
            let name = lower(&src[i + 2..name_end]);
            i = memchr::memchr(b'>', &b[name_end..]).map_or(n, |p| name_end + p + 1);
            if !name.is_empty() {
                st.end(&name);
            }
        } else if rest.len() > 1 && rest[1].is_ascii_alphabetic() {
            let name_end = scan_name(b, i + 1);
            let name = lower(&src[i + 1..name_end]);
            let (attrs, self_closing, after) = parse_attrs(src, name_end);
            i = after;
            if RAW.contains(&&*name) && !self_closing {
                let end = find_end_tag(b, i, name.as_bytes()).unwrap_or(n);
                let content = &src[i..end];
                // Raw elements still count for dropping (script/style/noscript/template).
                if name == "title" || name == "script" {
                    st.raw(&name, &attrs, content);
                } else if !DROP.contains(&&*name) {
                    st.start(&name, &attrs, false);
                    st.raw(&name, &attrs, content);
                    st.end(&name);
                }
                i = memchr::memchr(b'>', &b[end..]).map_or(n, |p| end + p + 1);
            } else {
                st.start(&name, &attrs, self_closing);
            }
        } else {
            st.text("<");
            i += 1;
        }
    }
}

fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

fn scan_name(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'-' | b':' | b'_' | b'.'))
    {
        i += 1;
    }
    i
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(b.get(from..)?, needle).map(|p| p + from)
}

/// Position of `</name` (case-insensitive) at or after `from`.
fn find_end_tag(b: &[u8], mut from: usize, name: &[u8]) -> Option<usize> {
    while let Some(p) = memchr::memmem::find(b.get(from..)?, b"</") {
        let at = from + p;
        let cand = b.get(at + 2..at + 2 + name.len());
        let after = b.get(at + 2 + name.len()).copied();
        if cand.is_some_and(|c| c.eq_ignore_ascii_case(name))
            && after.is_none_or(|c| !c.is_ascii_alphanumeric())
        {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// Parse attributes from `i` (just after the tag name) to the closing `>`; returns the attributes
/// (names lowercased, values entity-decoded), whether the tag was self-closing, and the position
/// after the tag.
fn parse_attrs(src: &str, mut i: usize) -> (Vec<(String, String)>, bool, usize) {
    /// The attributes the extractor looks at; others are skipped without allocating.
    const WANTED: &[&str] = &[
        "class",
        "id",
        "role",
        "hidden",
        "aria-hidden",
        "property",
        "name",
        "itemprop",
        "content",
        "rel",
        "href",
        "datetime",
        "type",
    ];
    let b = src.as_bytes();
    let n = b.len();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < n && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            self_closing = b[i] == b'/';
            i += 1;
        }
        if i >= n {
            return (attrs, self_closing, n);
        }
        if b[i] == b'>' {
            return (attrs, self_closing, i + 1);
        }
        self_closing = false;
        let start = i;
        while i < n && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let raw_name = &src[start..i];
        let wanted = WANTED.iter().find(|w| w.eq_ignore_ascii_case(raw_name));
        while i < n && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = "";
        if i < n && b[i] == b'=' {
            i += 1;
            while i < n && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < n && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let end = memchr::memchr(q, &b[i + 1..]).map_or(n, |p| i + 1 + p);
                value = &src[i + 1..end];
                i = (end + 1).min(n);
            } else {
                let start = i;
                while i < n && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = &src[start..i];
            }
        }
        if let Some(name) = wanted
            && attrs.len() < 32
        {
            attrs.push((name.to_string(), decode_entities(value).into_owned()));
        }
    }
}

/// Extract the main text, title and date of an HTML page.
pub fn extract(src: &str) -> HtmlDoc {
    let mut st = State::default();
    tokenize(src, &mut st);
    st.finish()
}

/// All text of an HTML fragment (a feed item's description, inline HTML in Markdown), tags
/// removed and entities decoded, blocks separated by blank lines. Nothing is dropped except
/// scripts, styles and the like.
pub fn strip_tags(fragment: &str) -> String {
    if !fragment.contains(['<', '&']) {
        return collapse(fragment);
    }
    extract(fragment).text
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = r#"<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>Site | Talks fail</title>
<meta property="og:title" content="Ceasefire talks in Geneva end without a deal">
<meta property="article:published_time" content="2016-08-26T18:00:00+02:00">
<link rel="canonical" href="https://news.example/geneva">
<style>p { color: red }</style>
<script>var x = "<p>not text</p>";</script>
</head>
<body>
<header><a href="/">Example News</a></header>
<nav><ul><li>World</li><li>Sport</li></ul></nav>
<div class="share-buttons">Share on social</div>
<article>
<h1>Ceasefire talks end</h1>
<p>Diplomats met in <b>Geneva</b> on Friday &amp; talked
   about   Aleppo.</p>
<p>Government forces entered Daraya&#8217;s centre.<br>Residents left.</p>
<figure><img src="x.jpg" alt="map"><figcaption>Damascus suburbs</figcaption></figure>
<aside>Related: other story</aside>
</article>
<footer>Copyright</footer>
</body></html>"#;

    #[test]
    fn article_page() {
        let d = extract(ARTICLE);
        assert_eq!(
            d.text,
            "Ceasefire talks end\n\nDiplomats met in Geneva on Friday & talked about Aleppo.\n\n\
Government forces entered Daraya\u{2019}s centre.\nResidents left.\n\nDamascus suburbs"
        );
        assert_eq!(
            d.title.as_deref(),
            Some("Ceasefire talks in Geneva end without a deal")
        );
        assert_eq!(d.date, NaiveDate::from_ymd_opt(2016, 8, 26));
        assert_eq!(d.canonical.as_deref(), Some("https://news.example/geneva"));
    }

    #[test]
    fn fallbacks() {
        let cases: &[(&str, &str, Option<&str>, Option<&str>)] = &[
            // No article: main wins over the rest of the body.
            (
                "<body><div>menu text</div><main><p>Main one</p></main></body>",
                "Main one",
                None,
                None,
            ),
            // No article or main: whole body minus boilerplate; <title> and <time>.
            (
                "<title>T &amp; U</title><p>A</p><div id=\"sidebar\">S</div><p>B <time datetime=\"2015-03-01\">1 March</time></p>",
                "A\n\nB 1 March",
                Some("T & U"),
                Some("2015-03-01"),
            ),
            // Several articles: the longest.
            (
                "<article><p>short</p></article><article><p>the longer one</p></article>",
                "the longer one",
                None,
                None,
            ),
            // JSON-LD date and h1 title.
            (
                "<script type=\"application/ld+json\">{\"@graph\":[{\"datePublished\":\"2014-07-01T00:00Z\"}]}</script><h1>Head</h1><p>x</p>",
                "Head\n\nx",
                Some("Head"),
                Some("2014-07-01"),
            ),
            // Meta name=date with a written date; hidden elements dropped.
            (
                "<meta name=\"date\" content=\"August 26, 2016\"><p hidden>no</p><p>yes</p>",
                "yes",
                None,
                Some("2016-08-26"),
            ),
            // Broken markup.
            ("<p>a < b <!-- unterminated", "a < b", None, None),
            ("<p title='x>y'>q</p><", "q\n\n<", None, None),
            ("<div><p>one<p>two</div>", "one\n\ntwo", None, None),
            (
                "plain &unknown; &#x41;&#65;&#150;",
                "plain &unknown; AA\u{2013}",
                None,
                None,
            ),
            ("<script>never closed", "", None, None),
            ("", "", None, None),
        ];
        for (src, text, title, date) in cases {
            let d = extract(src);
            assert_eq!(d.text, *text, "{src}");
            assert_eq!(d.title.as_deref(), *title, "{src}");
            assert_eq!(d.date.map(|d| d.to_string()).as_deref(), *date, "{src}");
        }
    }

    #[test]
    fn strip() {
        assert_eq!(
            strip_tags("<p>Shelling in <a href=\"x\">Idlib</a></p><p>More</p>"),
            "Shelling in Idlib\n\nMore"
        );
        assert_eq!(strip_tags("  no   tags "), "no tags");
        assert_eq!(strip_tags("Tom &amp; Jerry"), "Tom & Jerry");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let src = "<div>".repeat(100_000) + "x" + &"</div>".repeat(100_000);
        assert_eq!(extract(&src).text, "x");
        let src = "</p>".repeat(100_000);
        assert_eq!(extract(&src).text, "");
    }
}
