//! Builds the embedded gazetteer index from `gazetteer/data/` (or `$EVENTMAP_GAZETTEER_DATA`)
//! into `$OUT_DIR/gazetteer.idx`, which `src/gazetteer/mod.rs` includes with `include_bytes!`.
//!
//! The TSV reader and index writer are the library's own modules, compiled here by path, so the
//! embedded index and `eventmap gazetteer build --data` produce the same bytes. Without a data
//! directory an empty index is written (and a warning printed): the program still builds, and
//! `lookup` says that the embedded gazetteer is empty.

#[allow(dead_code)]
#[path = "src/gazetteer/datadir.rs"]
mod datadir;
#[allow(dead_code)]
#[path = "src/gazetteer/format.rs"]
mod format;
#[allow(dead_code)]
#[path = "src/gazetteer/normalize.rs"]
mod normalize;
#[allow(dead_code)]
#[path = "src/gazetteer/placeset.rs"]
mod placeset;
#[allow(dead_code)]
#[path = "src/gazetteer/rank.rs"]
mod rank;
#[allow(dead_code)]
#[path = "src/gazetteer/tsv.rs"]
mod tsv;
#[allow(dead_code)]
#[path = "src/gazetteer/variant.rs"]
mod variant;

use std::io::BufWriter;
use std::path::PathBuf;

fn main() {
    for f in [
        "datadir.rs",
        "format.rs",
        "normalize.rs",
        "placeset.rs",
        "rank.rs",
        "tsv.rs",
        "variant.rs",
    ] {
        println!("cargo:rerun-if-changed=src/gazetteer/{f}");
    }
    println!("cargo:rerun-if-env-changed=EVENTMAP_GAZETTEER_DATA");
    let dir = match std::env::var_os("EVENTMAP_GAZETTEER_DATA") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from("gazetteer/data"),
    };
    println!("cargo:rerun-if-changed={}", dir.display());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let out_path = out_dir.join("gazetteer.idx");
    let file = std::fs::File::create(&out_path).expect("create $OUT_DIR/gazetteer.idx");
    let mut out = BufWriter::new(file);
    if !dir.is_dir() {
        println!(
            "cargo:warning=no gazetteer data at {}: the embedded gazetteer is empty",
            dir.display()
        );
        format::IndexWriter::in_memory()
            .finish(&mut out)
            .expect("write empty index");
        return;
    }
    if let Ok(files) = datadir::data_files(&dir) {
        for f in files {
            println!("cargo:rerun-if-changed={}", f.display());
        }
    }
    println!(
        "cargo:rerun-if-changed={}",
        dir.join("sources.tsv").display()
    );
    let mut shown = 0;
    let summary = datadir::build_from_dir(&dir, &mut out, &mut |e| {
        if shown < 20 {
            println!("cargo:warning=gazetteer data: {e}");
        }
        shown += 1;
    })
    .expect("build the embedded gazetteer index");
    if summary.bad_rows > 0 {
        println!(
            "cargo:warning=gazetteer data: {} malformed rows skipped",
            summary.bad_rows
        );
    }
}
