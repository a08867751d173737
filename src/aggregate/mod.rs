//! Aggregation: merges the events and control statements of all documents into one snapshot —
//! one event feature per real-world event, the latest control state per place, every dated
//! control change, and one feature per resolved place.
//!
//! The record types here are exactly the properties of the output layers (field order is the
//! property order), so [`crate::layers`] can write them without knowing their meaning.

mod merge;

pub use merge::{Aggregator, stable_id};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One feature of `events.geojson`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    /// Stable id derived from content (sub-type, place, date, actors).
    pub id: String,
    pub event_type: String,
    pub sub_event_type: String,
    pub cameo_root: u8,
    pub actor1: Option<String>,
    pub inter1: Option<String>,
    pub actor2: Option<String>,
    pub inter2: Option<String>,
    pub location: String,
    pub geonameid: Option<u32>,
    pub country_code: String,
    pub admin1: String,
    pub geo_precision: u8,
    pub date: Option<NaiveDate>,
    pub time_precision: u8,
    pub status: String,
    pub fatalities: Option<u32>,
    pub notes: String,
    /// Document ids joined by ";".
    pub sources: String,
    pub source_count: u32,
    pub confidence: f64,
    #[serde(skip)]
    pub lat: f64,
    #[serde(skip)]
    pub lon: f64,
}

/// One feature of `control.geojson`: the latest known state of one place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlRecord {
    pub id: String,
    pub place: String,
    pub geonameid: Option<u32>,
    pub country_code: String,
    pub admin1: String,
    pub status: String,
    pub controller: Option<String>,
    pub controller_inter: Option<String>,
    pub previous_controller: Option<String>,
    pub besieged_by: Option<String>,
    pub since: Option<NaiveDate>,
    pub notes: String,
    pub sources: String,
    pub confidence: f64,
    #[serde(skip)]
    pub lat: f64,
    #[serde(skip)]
    pub lon: f64,
}

/// One feature of `control_changes.geojson`: one dated statement about a place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlChangeRecord {
    pub id: String,
    pub place: String,
    pub geonameid: Option<u32>,
    pub country_code: String,
    pub admin1: String,
    pub date: Option<NaiveDate>,
    pub status: String,
    pub controller: Option<String>,
    pub controller_inter: Option<String>,
    pub previous_controller: Option<String>,
    pub besieged_by: Option<String>,
    pub notes: String,
    pub sources: String,
    pub confidence: f64,
    #[serde(skip)]
    pub lat: f64,
    #[serde(skip)]
    pub lon: f64,
}

/// One feature of `places.geojson`: a resolved place and how often it was mentioned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceRecord {
    pub id: String,
    pub name: String,
    pub geonameid: Option<u32>,
    pub feature_code: String,
    pub country_code: String,
    pub admin1: String,
    pub mentions: u32,
    pub sources: String,
    #[serde(skip)]
    pub lat: f64,
    #[serde(skip)]
    pub lon: f64,
}

/// Everything one run produces, sorted deterministically.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub events: Vec<EventRecord>,
    pub control: Vec<ControlRecord>,
    pub control_changes: Vec<ControlChangeRecord>,
    pub places: Vec<PlaceRecord>,
}
