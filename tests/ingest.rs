//! End-to-end tests of `eventmap ingest`: files, directories, stdin, bad input, exit codes, and
//! URLs served by a small HTTP server on 127.0.0.1 started inside the test (200, 404, 500, slow,
//! oversize, redirect loop, retry on 503, gzip, legacy charset, HTML article, RSS and Atom feeds,
//! `--follow`).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(FIXTURES).join(name)).expect("fixture")
}

fn eventmap(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run eventmap");
    {
        let mut input = child.stdin.take().expect("stdin");
        if let Some(bytes) = stdin {
            input.write_all(bytes).expect("write stdin");
        }
    }
    child.wait_with_output().expect("wait")
}

fn docs(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSONL output"))
        .collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

// ---------------------------------------------------------------- local HTTP server

struct Server {
    base: String,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

fn respond(stream: &mut TcpStream, status: &str, headers: &[(&str, String)], body: &[u8]) {
    let mut head = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
}

fn handle(mut stream: TcpStream, base: &str, hits: &Mutex<HashMap<String, usize>>) {
    let mut req = Vec::new();
    let mut buf = [0u8; 1024];
    while !req.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => req.extend_from_slice(&buf[..n]),
        }
    }
    let req = String::from_utf8_lossy(&req).into_owned();
    let path = req.split_whitespace().nth(1).unwrap_or("/").to_string();
    let count = {
        let mut h = hits.lock().unwrap();
        let c = h.entry(path.clone()).or_insert(0);
        *c += 1;
        *c
    };
    let ua = req
        .lines()
        .find_map(|l| {
            l.strip_prefix("user-agent: ")
                .or_else(|| l.strip_prefix("User-Agent: "))
        })
        .unwrap_or("")
        .to_string();
    let html = |b: String| {
        (
            vec![("Content-Type", "text/html; charset=utf-8".to_string())],
            b.into_bytes(),
        )
    };
    match path.as_str() {
        "/article.html" => {
            let (h, b) = html(fixture("article.html"));
            respond(&mut stream, "200 OK", &h, &b);
        }
        "/ua" => respond(
            &mut stream,
            "200 OK",
            &[("Content-Type", "text/plain".into())],
            ua.as_bytes(),
        ),
        "/missing" => respond(&mut stream, "404 Not Found", &[], b"nothing here"),
        "/error" => respond(&mut stream, "500 Internal Server Error", &[], b"oops"),
        "/flaky" if count == 1 => respond(
            &mut stream,
            "503 Service Unavailable",
            &[("Retry-After", "0".into())],
            b"",
        ),
        "/flaky" => respond(
            &mut stream,
            "200 OK",
            &[("Content-Type", "text/plain".into())],
            b"Back up in Mosul.",
        ),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(3));
            respond(&mut stream, "200 OK", &[], b"too late");
        }
        "/big" => {
            // No Content-Length: the limit must be enforced while streaming.
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n",
            );
            let chunk = vec![b'a'; 64 * 1024];
            for _ in 0..64 {
                if stream.write_all(&chunk).is_err() {
                    return;
                }
            }
        }
        "/big-declared" => respond(
            &mut stream,
            "200 OK",
            &[("Content-Length", "50000000".into())],
            b"",
        ),
        "/loop-a" => respond(
            &mut stream,
            "302 Found",
            &[("Location", format!("{base}/loop-b"))],
            b"",
        ),
        "/loop-b" => respond(
            &mut stream,
            "302 Found",
            &[("Location", format!("{base}/loop-a"))],
            b"",
        ),
        "/moved" => respond(
            &mut stream,
            "301 Moved Permanently",
            &[("Location", "/article.html".into())],
            b"",
        ),
        "/gzip" => {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(b"Compressed news from Basra.").unwrap();
            let body = enc.finish().unwrap();
            respond(
                &mut stream,
                "200 OK",
                &[
                    ("Content-Type", "text/plain".into()),
                    ("Content-Encoding", "gzip".into()),
                    ("Content-Length", body.len().to_string()),
                ],
                &body,
            );
        }
        "/latin1" => respond(
            &mut stream,
            "200 OK",
            &[("Content-Type", "text/html; charset=ISO-8859-1".into())],
            b"<html><body><p>Gen\xe8ve et Z\xfcrich</p></body></html>",
        ),
        "/rss" => {
            let body = fixture("wire.rss").replace(
                "https://harbour.example/mersin-ferry",
                &format!("{base}/article.html"),
            );
            respond(
                &mut stream,
                "200 OK",
                &[("Content-Type", "application/rss+xml".into())],
                body.as_bytes(),
            );
        }
        "/atom" => {
            let body = format!(
                "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A</title>\
<entry><title>Talks in Doha</title><link href=\"{base}/missing\"/><id>urn:1</id>\
<published>2020-02-29T12:00:00Z</published><summary>Delegations met in Doha.</summary></entry></feed>"
            );
            // Served as generic XML: sniffing must recognise the feed.
            respond(
                &mut stream,
                "200 OK",
                &[("Content-Type", "text/xml".into())],
                body.as_bytes(),
            );
        }
        _ => respond(&mut stream, "404 Not Found", &[], b""),
    }
}

fn server() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(Mutex::new(HashMap::new()));
    let (b, h) = (base.clone(), hits.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (b, h) = (b.clone(), h.clone());
            std::thread::spawn(move || handle(stream, &b, &h));
        }
    });
    Server { base, hits }
}

/// A port on which nothing listens.
fn closed_port() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    format!("http://{addr}/")
}

const FAST: &[&str] = &["--http-timeout", "1", "--http-retries", "1", "-q"];

// ---------------------------------------------------------------- URL tests

#[test]
fn url_article_and_failures() {
    let s = server();
    let url = |p: &str| format!("{}{p}", s.base);
    let refused = closed_port();
    let specs = [
        url("/article.html"),
        url("/missing"),
        url("/error"),
        url("/loop-a"),
        url("/big"),
        url("/big-declared"),
        refused.clone(),
        url("/gzip"),
        url("/latin1"),
        url("/moved"),
    ];
    let mut args: Vec<&str> = vec!["ingest", "--max-doc-bytes", "1M"];
    args.extend(FAST);
    args.extend(specs.iter().map(String::as_str));
    let out = eventmap(&args, None);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let d = docs(&out);
    assert_eq!(d.len(), 4, "{d:?}");
    // The article: main text only, og:title, published date, paragraphs.
    assert_eq!(d[0]["id"], url("/article.html"));
    assert_eq!(d[0]["title"], "Floods cut roads between Tobruk and Derna");
    assert_eq!(d[0]["date"], "2019-02-14");
    let text = d[0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("Floods cut roads between Tobruk and Derna\n\nHeavy rain closed"),
        "{text}"
    );
    assert!(text.contains("stay indoors & away"), "{text}");
    for junk in [
        "Benghazi",
        "Misrata",
        "Tripoli edition",
        "Sirte",
        "Zawiya",
        "Sabha",
        "font-weight",
    ] {
        assert!(!text.contains(junk), "{junk} in {text}");
    }
    assert_eq!(d[1]["text"], "Compressed news from Basra.");
    assert_eq!(d[2]["text"], "Gen\u{e8}ve et Z\u{fc}rich");
    assert_eq!(d[3]["id"], url("/moved"));
    assert_eq!(d[3]["url"], url("/article.html"));
    for (u, why) in [
        (url("/missing"), "HTTP 404"),
        (url("/error"), "HTTP 500"),
        (url("/loop-a"), "redirect loop"),
        (url("/big"), "larger than the limit"),
        (url("/big-declared"), "larger than the limit"),
        (refused, "connection refused"),
    ] {
        assert!(
            err.lines()
                .any(|l| l.contains(&format!("error: {u}: ")) && l.contains(why)),
            "no {why:?} error for {u} in:\n{err}"
        );
    }
    // 404/500 are not retried.
    assert_eq!(s.hits.lock().unwrap().get("/missing"), Some(&1));
}

#[test]
fn url_timeout_and_retry() {
    let s = server();
    let started = std::time::Instant::now();
    let out = eventmap(
        &[
            "ingest",
            "--http-timeout",
            "0.5",
            "--http-retries",
            "1",
            &format!("{}/slow", s.base),
            &format!("{}/flaky", s.base),
        ],
        None,
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("/slow: timed out"), "{err}");
    let d = docs(&out);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["text"], "Back up in Mosul.");
    assert_eq!(
        s.hits.lock().unwrap().get("/flaky"),
        Some(&2),
        "503 is retried once"
    );
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn user_agent_names_the_project() {
    let s = server();
    let out = eventmap(&["ingest", "-q", &format!("{}/ua", s.base)], None);
    let d = docs(&out);
    assert!(
        d[0]["text"].as_str().unwrap().starts_with("eventmap/"),
        "{d:?}"
    );
}

#[test]
fn feeds_from_urls() {
    let s = server();
    let rss = format!("{}/rss", s.base);
    let atom = format!("{}/atom", s.base);
    let out = eventmap(&["ingest", "--date", "2000-01-01", "-q", &rss, &atom], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let d = docs(&out);
    assert_eq!(d.len(), 3, "{d:?}");
    assert_eq!(d[0]["id"], format!("{}/article.html", s.base));
    assert_eq!(d[0]["date"], "2019-03-05");
    assert_eq!(d[0]["title"], "Ferry service resumes in Mersin");
    assert_eq!(
        d[0]["text"],
        "Ferry service resumes in Mersin\n\nThe ferry between Mersin and Famagusta sailed again."
    );
    assert_eq!(d[1]["id"], "https://harbour.example/iskenderun-strike");
    assert_eq!(
        d[1]["date"], "2000-01-01",
        "--date fills in a missing pubDate"
    );
    assert_eq!(d[2]["text"], "Talks in Doha\n\nDelegations met in Doha.");
    assert_eq!(d[2]["date"], "2020-02-29");

    // --follow: the article's main text replaces the summary; the page's date and title win;
    // an item whose link fails keeps the feed's text with a warning.
    let out = eventmap(
        &[
            "ingest",
            "--follow",
            "--http-timeout",
            "1",
            "--http-retries",
            "0",
            &rss,
            &atom,
        ],
        None,
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let d = docs(&out);
    assert_eq!(d.len(), 3);
    assert!(
        d[0]["text"]
            .as_str()
            .unwrap()
            .contains("Heavy rain closed the coastal road"),
        "{d:?}"
    );
    assert_eq!(d[0]["title"], "Floods cut roads between Tobruk and Derna");
    assert_eq!(d[0]["date"], "2019-02-14");
    assert_eq!(d[2]["text"], "Talks in Doha\n\nDelegations met in Doha.");
    assert!(
        err.contains("warning: ") && err.contains("/missing: HTTP 404"),
        "{err}"
    );
}

// ---------------------------------------------------------------- files, stdin, bad input

#[test]
fn files_markdown_feed_and_directory() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("in")).unwrap();
    for f in ["article.html", "wire.rss", "notes.md"] {
        std::fs::copy(Path::new(FIXTURES).join(f), d.join("in").join(f)).unwrap();
    }
    std::fs::write(d.join("in/photo.jpg"), b"\xff\xd8\xff\xe0").unwrap();
    let out = eventmap(&["ingest", "-q", d.join("in").to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let docs = docs(&out);
    let ids: Vec<&str> = docs.iter().map(|x| x["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "article.html",
            "notes.md",
            "https://harbour.example/mersin-ferry",
            "https://harbour.example/iskenderun-strike"
        ]
    );
    assert_eq!(docs[1]["title"], "Field notes from Kirkuk");
    assert_eq!(docs[1]["date"], "2018-05-12");
    assert_eq!(
        docs[1]["text"],
        "Market day\n\nTraders from Erbil and Sulaymaniyah met in the old market.\n\nfuel prices\n\nbread prices"
    );
}

#[test]
fn stdin_text_and_jsonl() {
    let out = eventmap(
        &["ingest", "-q", "--date", "2016-08-26", "-"],
        Some(b"Shelling in Aleppo.\n"),
    );
    let d = docs(&out);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["text"], "Shelling in Aleppo.\n");
    assert_eq!(d[0]["date"], "2016-08-26");
    let input = b"{\"id\":\"a\",\"text\":\"one\",\"date\":\"2015-01-02\"}\n{\"id\":\"b\",\"text\":\"two\"}\n";
    let out = eventmap(&["ingest", "-q", "--date", "2016-08-26"], Some(input));
    assert_eq!(out.status.code(), Some(0));
    let d = docs(&out);
    assert_eq!(
        (d[0]["date"].as_str(), d[1]["date"].as_str()),
        (Some("2015-01-02"), Some("2016-08-26"))
    );
    let out = eventmap(&["ingest", "-q"], Some(b""));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(docs(&out).len(), 1, "empty stdin is one empty document");
}

#[test]
fn bad_input_is_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let jsonl = d.join("c.jsonl");
    std::fs::write(
        &jsonl,
        "{\"id\":\"ok1\",\"text\":\"Homs\"}\nnot json\n{\"id\":\"ok2\",\"text\":\"Hama\"}\n",
    )
    .unwrap();
    let lossy = d.join("l.txt");
    std::fs::write(&lossy, b"caf\xe9 \xe9 in Beirut\0 with a NUL").unwrap();
    let bin = d.join("b.txt");
    std::fs::write(&bin, [0u8; 100]).unwrap();
    let missing = d.join("nope.txt");
    let args = [
        "ingest",
        jsonl.to_str().unwrap(),
        lossy.to_str().unwrap(),
        bin.to_str().unwrap(),
        missing.to_str().unwrap(),
    ];
    let out = eventmap(&args, None);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let docs = docs(&out);
    let ids: Vec<&str> = docs.iter().map(|x| x["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["ok1", "ok2", "l.txt"]);
    assert_eq!(
        docs[2]["text"],
        "caf\u{fffd} \u{fffd} in Beirut\u{0} with a NUL"
    );
    assert!(
        err.contains(&format!("error: {}:2: not a JSON object", jsonl.display())),
        "{err}"
    );
    assert_eq!(err.matches("invalid UTF-8").count(), 1, "{err}");
    assert!(err.contains("looks like a binary file"), "{err}");
    assert!(
        err.contains(&format!("{}: no such file or directory", missing.display())),
        "{err}"
    );
    assert!(
        err.contains("3 documents read, 2 failed, 2 warnings"),
        "{err}"
    );

    // --strict: the first bad input stops the run.
    let out = eventmap(
        &[
            "ingest",
            "--strict",
            "-q",
            jsonl.to_str().unwrap(),
            lossy.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(self::docs(&out).len(), 1);
    assert!(stderr(&out).contains("--strict"));

    // Warnings alone keep exit code 0.
    let out = eventmap(&["ingest", "-q", lossy.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0));

    // Usage and output errors: 2.
    assert_eq!(
        eventmap(&["ingest", "--date", "26/08/2016", "x"], None)
            .status
            .code(),
        Some(2)
    );
    let out = eventmap(
        &[
            "ingest",
            "--out",
            d.join("no/such/dir/out.jsonl").to_str().unwrap(),
            lossy.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn huge_single_line_documents() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.jsonl");
    let mut f = std::fs::File::create(&path).unwrap();
    let big = "Aleppo ".repeat(3_000_000); // 21 MB on one line
    writeln!(f, "{{\"id\":\"huge\",\"text\":\"{big}\"}}").unwrap();
    writeln!(f, "{{\"id\":\"after\",\"text\":\"Idlib\"}}").unwrap();
    drop(f);
    let started = std::time::Instant::now();
    let out = eventmap(&["ingest", "-q", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let d = docs(&out);
    assert_eq!(d[0]["text"].as_str().unwrap().len(), big.len());
    assert_eq!(d[1]["id"], "after");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );

    let out = eventmap(
        &[
            "ingest",
            "-q",
            "--max-doc-bytes",
            "10M",
            path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains(":1: document of 21000023 bytes is larger than --max-doc-bytes 10485760"),
        "{}",
        stderr(&out)
    );
    let d = docs(&out);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["id"], "after");
}

// ---------------------------------------------------------------- the commands that use inputs

#[test]
fn geoparse_and_run_share_inputs_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.txt");
    std::fs::write(
        &good,
        "Shelling hit Aleppo on Friday, officials in Damascus said.",
    )
    .unwrap();
    let missing = dir.path().join("missing.txt");
    let (good, missing) = (good.to_str().unwrap(), missing.to_str().unwrap());

    let out = eventmap(&["geoparse", "-q", good, missing], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let lines = docs(&out);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["id"], "good.txt");
    assert!(stderr(&out).contains("missing.txt: no such file or directory"));

    let layers = dir.path().join("layers");
    let out = eventmap(
        &[
            "run",
            "-q",
            "--date",
            "2016-08-26",
            good,
            missing,
            "--out",
            layers.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        layers.join("places.geojson").exists(),
        "layers for the rest are written"
    );

    // An output that cannot be written is exit code 2.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "").unwrap();
    let out = eventmap(
        &[
            "run",
            "-q",
            good,
            "--out",
            blocker.join("sub").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
