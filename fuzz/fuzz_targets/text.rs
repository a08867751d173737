//! The text pipeline entry: bytes decoded as the reader does, split into sentences and tokens,
//! then geoparsed with the embedded gazetteer; every span must lie on character boundaries of
//! the text and agree with its code-point offsets.
#![no_main]

use std::sync::OnceLock;

use eventmap::gazetteer::Gazetteer;
use eventmap::ingest::decode;
use eventmap::resolve::Geoparser;
use eventmap::text;
use libfuzzer_sys::fuzz_target;

fn geoparser() -> &'static Geoparser<'static> {
    static GP: OnceLock<Geoparser<'static>> = OnceLock::new();
    GP.get_or_init(|| Geoparser::new(Gazetteer::embedded()))
}

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
    for topo in geoparser().geoparse(t) {
        assert!(topo.byte_start <= topo.byte_end && topo.byte_end <= t.len());
        assert!(t.is_char_boundary(topo.byte_start) && t.is_char_boundary(topo.byte_end));
        assert_eq!(t[..topo.byte_start].chars().count(), topo.start);
        assert_eq!(t[..topo.byte_end].chars().count(), topo.end);
    }
});
