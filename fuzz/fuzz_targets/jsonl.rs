//! JSONL document reading (bounded lines, malformed lines, lossy UTF-8) on arbitrary input.
#![no_main]

use eventmap::ingest::{IngestOptions, jsonl::JsonlReader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = IngestOptions {
        max_doc_bytes: 4096,
        ..Default::default()
    };
    for item in JsonlReader::new(data, "fuzz.jsonl", &opts) {
        if let Ok(doc) = item {
            assert!(doc.text.len() <= 4096 * 3);
        }
    }
});
