//! The text pipeline entry: bytes decoded as the reader does, then split into sentences and
//! tokens, with byte/code-point offset conversion checked on every token.
#![no_main]

use eventmap::ingest::decode;
use eventmap::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = decode::binary_reason(data);
    let doc = decode::decode(data.to_vec(), None);
    let t = doc.text.as_str();
    for s in text::sentences(t) {
        assert!(t.is_char_boundary(s.start) && t.is_char_boundary(s.end));
    }
    let mut offsets = text::CharOffsets::new(t);
    for tok in text::tokens(t) {
        let _ = tok.as_str(t);
        let _ = offsets.char_offset(tok.start);
    }
});
