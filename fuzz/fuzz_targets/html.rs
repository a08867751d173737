//! HTML main-text extraction on arbitrary input.
#![no_main]

use eventmap::ingest::html;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let page = html::extract(&text);
    let _ = page.text.len();
    let _ = html::strip_tags(&text);
    let _ = html::decode_entities(&text);
});
