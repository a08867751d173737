//! Resolution: choosing one gazetteer place for each recognized name.

use serde::{Deserialize, Serialize};

/// How a toponym refers to its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionKind {
    /// A literal place name ("Aleppo", "the United States").
    Place,
    /// A demonym or adjectival form ("Syrian", "Russian") standing for its country or region.
    Demonym,
}

/// A place name found in a document and resolved to a gazetteer place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Toponym {
    /// Code-point offset of the first character (what Python and the corpora use).
    pub start: usize,
    /// Code-point offset one past the last character.
    pub end: usize,
    /// UTF-8 byte offset of the first byte.
    pub byte_start: usize,
    /// UTF-8 byte offset one past the last byte.
    pub byte_end: usize,
    /// The text as written in the document.
    pub name: String,
    /// GeoNames id, when the place has one (curated and user places may not).
    pub geonameid: Option<u32>,
    /// WGS84 latitude.
    pub lat: f64,
    /// WGS84 longitude.
    pub lon: f64,
    /// GeoNames feature code (`PPLC`, `ADM1`, `PCLI`, …).
    pub feature_code: String,
    /// ISO 3166-1 alpha-2 country code (empty for continents and multi-country regions).
    pub country_code: String,
    /// First-level administrative division name (empty when unknown).
    pub admin1: String,
    /// Literal name or demonym.
    pub kind: MentionKind,
    /// Calibrated probability that this toponym is a place and resolved within 161 km of where
    /// it is (0–1; see [`Calibration`]).
    pub confidence: f64,
}

mod calibrate;
mod capital;
mod display;
mod geoparser;
mod settlement;

pub use calibrate::{CALIBRATION_FEATURES, Calibration, ConfidenceParts};
pub use capital::name_capitals;
pub use display::name_capitalized;
pub use geoparser::{ContextResolver, Disambiguator, Geoparser, RESOLVER_FEATURES};
pub use settlement::{division_for_town, town_for_division};
