//! A small hand-built snapshot used by the layer tests: a few events, control states, control
//! changes and places in Syria and Switzerland, with every property type and some nulls.
#![allow(dead_code)]

use chrono::NaiveDate;
use eventmap::aggregate::{ControlChangeRecord, ControlRecord, EventRecord, PlaceRecord, Snapshot};

fn d(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

#[allow(clippy::too_many_arguments)]
fn event(
    id: &str,
    event_type: &str,
    sub: &str,
    location: &str,
    date: &str,
    lon: f64,
    lat: f64,
    fatalities: Option<u32>,
) -> EventRecord {
    EventRecord {
        id: id.into(),
        event_type: event_type.into(),
        sub_event_type: sub.into(),
        cameo_root: 19,
        actor1: Some("Military Forces of Syria".into()),
        inter1: Some("State forces".into()),
        actor2: None,
        inter2: None,
        location: location.into(),
        geonameid: Some(170063),
        country_code: "SY".into(),
        admin1: "Aleppo".into(),
        geo_precision: 1,
        date: d(date),
        time_precision: 1,
        status: "occurred".into(),
        fatalities,
        notes: format!("Test note about {location}, with a comma and \"quotes\"."),
        sources: "doc-a;doc-b".into(),
        source_count: 2,
        confidence: 0.8,
        lat,
        lon,
    }
}

/// The fixture snapshot.
pub fn snapshot() -> Snapshot {
    let mut geneva = event(
        "ev-geneva-agreement",
        "Strategic developments",
        "Agreement",
        "Geneva",
        "2016-08-26",
        6.14569,
        46.20222,
        None,
    );
    geneva.actor1 = Some("United States".into());
    geneva.actor2 = Some("Russia".into());
    geneva.inter2 = Some("External/Other forces".into());
    geneva.country_code = "CH".into();
    geneva.admin1 = "Geneva".into();
    geneva.geonameid = Some(2660646);
    geneva.status = "failed".into();
    geneva.cameo_root = 3;
    geneva.confidence = 1.0;
    let mut protest = event(
        "ev-idlib-protest",
        "Protests",
        "Peaceful protest",
        "Idlib",
        "2016-08-19",
        36.63393,
        35.93062,
        None,
    );
    protest.date = None;
    protest.time_precision = 3;
    Snapshot {
        events: vec![
            event(
                "ev-aleppo-shelling",
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack",
                "Aleppo",
                "2016-08-25",
                37.16117,
                36.20124,
                Some(12),
            ),
            geneva,
            event(
                "ev-aleppo-south-clash",
                "Battles",
                "Armed clash",
                "Aleppo",
                "2016-08-24",
                37.15,
                36.15,
                Some(0),
            ),
            protest,
        ],
        control: vec![
            ControlRecord {
                id: "ctl-daraya".into(),
                place: "Darayya".into(),
                geonameid: Some(170592),
                country_code: "SY".into(),
                admin1: "Rif-dimashq".into(),
                status: "controlled".into(),
                controller: Some("Military Forces of Syria".into()),
                controller_inter: Some("State forces".into()),
                previous_controller: Some("Opposition Rebels".into()),
                besieged_by: None,
                since: d("2016-08-26"),
                notes: "Daraya surrendered to the government.".into(),
                sources: "doc-a".into(),
                confidence: 0.9,
                lat: 33.45833,
                lon: 36.23611,
            },
            ControlRecord {
                id: "ctl-aleppo".into(),
                place: "Aleppo".into(),
                geonameid: Some(170063),
                country_code: "SY".into(),
                admin1: "Aleppo".into(),
                status: "besieged".into(),
                controller: Some("Opposition Rebels".into()),
                controller_inter: Some("Rebel group".into()),
                previous_controller: None,
                besieged_by: Some("Military Forces of Syria".into()),
                since: None,
                notes: "Besieged Aleppo.".into(),
                sources: "doc-b".into(),
                confidence: 0.6,
                lat: 36.20124,
                lon: 37.16117,
            },
        ],
        control_changes: vec![ControlChangeRecord {
            id: "chg-daraya-2016-08-26".into(),
            place: "Darayya".into(),
            geonameid: Some(170592),
            country_code: "SY".into(),
            admin1: "Rif-dimashq".into(),
            date: d("2016-08-26"),
            status: "siege_lifted".into(),
            controller: Some("Military Forces of Syria".into()),
            controller_inter: Some("State forces".into()),
            previous_controller: Some("Opposition Rebels".into()),
            besieged_by: None,
            notes: "The siege of Daraya was lifted.".into(),
            sources: "doc-a".into(),
            confidence: 0.9,
            lat: 33.45833,
            lon: 36.23611,
        }],
        places: vec![
            place(
                "pl-170063",
                "Aleppo",
                170063,
                "PPLA",
                "SY",
                36.20124,
                37.16117,
                3,
            ),
            place(
                "pl-170592",
                "Darayya",
                170592,
                "PPL",
                "SY",
                33.45833,
                36.23611,
                2,
            ),
            place(
                "pl-2660646",
                "Geneva",
                2660646,
                "PPLA",
                "CH",
                46.20222,
                6.14569,
                1,
            ),
            place(
                "pl-163843",
                "Idlib",
                163843,
                "PPLA",
                "SY",
                35.93062,
                36.63393,
                1,
            ),
        ],
    }
}

#[allow(clippy::too_many_arguments)]
fn place(
    id: &str,
    name: &str,
    geonameid: u32,
    code: &str,
    cc: &str,
    lat: f64,
    lon: f64,
    mentions: u32,
) -> PlaceRecord {
    PlaceRecord {
        id: id.into(),
        name: name.into(),
        geonameid: Some(geonameid),
        feature_code: code.into(),
        country_code: cc.into(),
        admin1: String::new(),
        mentions,
        sources: "doc-a".into(),
        lat,
        lon,
    }
}

/// The same snapshot with every list reversed.
pub fn reversed() -> Snapshot {
    let mut s = snapshot();
    s.events.reverse();
    s.control.reverse();
    s.control_changes.reverse();
    s.places.reverse();
    s
}

/// A fresh empty directory under the system temp dir.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("eventmap-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
