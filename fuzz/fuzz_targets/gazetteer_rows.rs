//! Gazetteer inputs: places TSV rows (header, cells, lists, numbers) as read for `--places`,
//! a small gazetteer built from them, and the binary index layout check.
#![no_main]

use eventmap::gazetteer::{Gazetteer, format::Layout, tsv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tsv::read_places(data, "fuzz.tsv", |row| drop(row), |err| drop(err));
    if data.len() < 4096 {
        let _ = Gazetteer::from_places_tsv(data);
    }
    let _ = Layout::parse(data);
});
