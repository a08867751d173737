//! Random input for every parser of the ingest stage: raw random bytes and random mixtures of
//! markup fragments (deterministic seed). Nothing may panic, and offsets must stay on character
//! boundaries of the text kept.

use eventmap::ingest::{self, IngestOptions, decode, feed, html, jsonl::JsonlReader, markdown};

/// xorshift64*: small, deterministic, good enough to shake parsers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "<",
    ">",
    "</",
    "/>",
    "<p>",
    "</p>",
    "<div class=\"nav\">",
    "</div>",
    "<article>",
    "</article>",
    "<main>",
    "<script>",
    "</script>",
    "<style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&#",
    "&#x",
    ";",
    "&eacute",
    "<?xml version=\"1.0\"?>",
    "<rss>",
    "<channel>",
    "<item>",
    "</item>",
    "<entry>",
    "<link href='",
    "'",
    "\"",
    "=",
    "<title>",
    "</title>",
    "<pubDate>",
    "Fri, 26 Aug 2016",
    "<meta property=\"article:published_time\" content=\"",
    "2016-08-26",
    "<time datetime=",
    "{",
    "}",
    "\"id\":",
    "\"text\":",
    ",",
    "\n",
    "\r\n",
    "# ",
    "*",
    "**",
    "[",
    "](",
    ")",
    "```",
    "---\n",
    "Aleppo",
    " ",
    "\u{e9}",
    "\u{1f600}",
    "\0",
    "\u{fffd}",
    "\\u00e9",
    "\\",
    "<br>",
    "<li>",
    "<h1>",
];

fn soup(rng: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..rng.below(200) {
        if rng.below(10) == 0 {
            out.push(rng.next() as u8);
        } else {
            out.extend_from_slice(PIECES[rng.below(PIECES.len())].as_bytes());
        }
    }
    out
}

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    (0..rng.below(3000)).map(|_| rng.next() as u8).collect()
}

fn exercise(bytes: &[u8]) {
    let _ = decode::binary_reason(bytes);
    let _ = decode::sniff_charset(bytes);
    let text = decode::decode(bytes.to_vec(), None).text;
    let page = html::extract(&text);
    assert!(
        !page.text.starts_with(char::is_whitespace) && !page.text.ends_with(char::is_whitespace)
    );
    let _ = html::strip_tags(&text);
    let _ = html::decode_entities(&text);
    let _ = feed::looks_like_feed(&text);
    let (f, _) = feed::parse(&text);
    for item in &f.items {
        let _ = item.text();
    }
    let md = markdown::to_text(&text);
    let _ = md.text.char_indices().count();
    let _ = ingest::date::parse_date(&text);
    let opts = IngestOptions {
        max_doc_bytes: 1000,
        ..Default::default()
    };
    for doc in JsonlReader::new(bytes, "r.jsonl", &opts).flatten() {
        assert!(doc.text.len() <= 3000);
    }
}

#[test]
fn random_bytes_do_not_panic() {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    for _ in 0..1500 {
        exercise(&random_bytes(&mut rng));
        exercise(&soup(&mut rng));
    }
}

#[test]
fn random_files_through_the_reader() {
    let mut rng = Rng(42);
    let dir = tempfile::tempdir().unwrap();
    let exts = ["txt", "md", "html", "jsonl", "xml", "rss", "bin"];
    let mut specs = Vec::new();
    for i in 0..120 {
        let path = dir.path().join(format!("f{i:03}.{}", exts[i % exts.len()]));
        let bytes = if i % 2 == 0 {
            soup(&mut rng)
        } else {
            random_bytes(&mut rng)
        };
        std::fs::write(&path, bytes).unwrap();
        specs.push(path.display().to_string());
    }
    specs.push(dir.path().display().to_string());
    let opts = IngestOptions {
        max_doc_bytes: 2000,
        ..Default::default()
    };
    let mut n = 0;
    for item in ingest::read_inputs(&specs, &opts) {
        n += 1;
        if let Ok(doc) = item {
            assert!(doc.text.len() <= 2000 * 4, "document grew beyond the limit");
        }
    }
    assert!(n >= 120);
}
