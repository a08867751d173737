//! Markdown to text, and date parsing, on arbitrary input.
#![no_main]

use eventmap::ingest::{date, markdown};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = markdown::to_text(&text);
    let _ = date::parse_date(&text);
});
