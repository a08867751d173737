//! # eventmap
//!
//! Turns news text into map layers. The library is organised as one module per pipeline stage:
//!
//! `ingest` → `text` → `gazetteer` → `recognize` → `resolve` → `extract` → `aggregate` → `layers`
//!
//! * [`ingest`] reads documents (files, JSONL, HTML, feeds, URLs) into [`ingest::Document`]s.
//! * [`text`] splits a document into sentences and tokens and converts byte offsets to code points.
//! * [`gazetteer`] is the GeoNames-derived place index (embedded in the binary, or memory-mapped).
//! * [`recognize`] finds candidate place names in text.
//! * [`resolve`] chooses one place for each name and yields [`resolve::Toponym`]s.
//! * [`extract`] finds events and territorial-control statements in sentences.
//! * [`aggregate`] merges what several documents say into one set of features.
//! * [`layers`] writes GeoJSON (and other formats) with QGIS styles.
//!
//! Every mention carries byte offsets into the original document text through every stage.

pub mod aggregate;
pub mod eval;
pub mod extract;
pub mod gazetteer;
pub mod ingest;
pub mod layers;
pub mod recognize;
pub mod resolve;
pub mod text;
