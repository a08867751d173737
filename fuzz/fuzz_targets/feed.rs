//! RSS/Atom feed parsing on arbitrary input.
#![no_main]

use eventmap::ingest::feed;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = feed::looks_like_feed(&text);
    let (parsed, _) = feed::parse(&text);
    for item in &parsed.items {
        let _ = item.text();
    }
});
