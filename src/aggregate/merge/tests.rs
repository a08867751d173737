use super::*;
use crate::extract::Extractor;
use crate::extract::testgaz::{doc, toponyms};
use crate::resolve::MentionKind;

fn extractor() -> &'static Extractor {
    static X: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
    X.get_or_init(|| Extractor::new().unwrap())
}

fn snapshot(docs: &[(&str, &str, &str)]) -> Snapshot {
    let mut agg = Aggregator::new();
    for (id, date, text) in docs {
        let mut d = doc(text, date);
        d.id = id.to_string();
        let topos = toponyms(text);
        let x = extractor().extract(&d, &topos);
        agg.add_document(&d.id, topos, x);
    }
    agg.finish()
}

/// A project-written article with the traps of the seed article: talks in one city about
/// fighting in others, a surrender after a siege, a besieged and bombarded city, an offensive in
/// part of a divided city, gains in suburbs, and a person named like an Irish county.
const TALKS: &str = "Washington and Moscow failed to agree on a truce for Aleppo after a long day of talks in Geneva. \
US Secretary of State John Kerry and Russian Foreign Minister Sergei Lavrov told reporters in Geneva that experts would keep working. \
Earlier today, rebel fighters surrendered the Damascus suburb of Daraya to the Syrian government after four years of siege. \
“Aleppo remains besieged and shelled by the regime and its allies,” said Kerry. \
Meanwhile an opposition offensive continued in the southern part of the divided city of Aleppo. \
The regime also keeps taking ground in the Damascus suburbs, Kerry added.";

#[test]
fn seed_like_article() {
    let s = snapshot(&[("talks", "2016-08-26", TALKS)]);
    let dump = serde_json::to_string_pretty(&s).unwrap();
    let agreement = s
        .events
        .iter()
        .find(|e| e.sub_event_type == "Agreement")
        .expect(&dump);
    assert_eq!(agreement.location, "Geneva", "{dump}");
    assert_eq!(agreement.status, "failed");
    assert_eq!(agreement.event_type, "Strategic developments");
    let actors = [agreement.actor1.as_deref(), agreement.actor2.as_deref()];
    assert!(
        actors.contains(&Some("United States")) && actors.contains(&Some("Russia")),
        "{dump}"
    );

    let daraya = s.control.iter().find(|c| c.place == "Daraya").expect(&dump);
    assert_eq!(daraya.status, "controlled");
    assert_eq!(
        daraya.controller.as_deref(),
        Some("Military Forces of Syria")
    );
    assert_eq!(daraya.controller_inter.as_deref(), Some("State forces"));
    assert_eq!(
        daraya.previous_controller.as_deref(),
        Some("Opposition Rebels (Syria)")
    );
    assert_eq!(daraya.since, NaiveDate::from_ymd_opt(2016, 8, 26));
    assert!(daraya.besieged_by.is_none());
    assert!(
        s.events
            .iter()
            .any(|e| e.location == "Daraya"
                && e.sub_event_type == "Non-violent transfer of territory"),
        "{dump}"
    );

    let aleppo = s.control.iter().find(|c| c.place == "Aleppo").expect(&dump);
    assert_eq!(aleppo.status, "besieged", "{dump}");
    assert!(
        aleppo
            .besieged_by
            .as_deref()
            .unwrap_or("")
            .contains("Military Forces of Syria")
    );
    assert!(
        s.events
            .iter()
            .any(|e| e.location == "Aleppo"
                && e.sub_event_type == "Shelling/artillery/missile attack"),
        "{dump}"
    );
    assert!(
        s.events.iter().any(|e| e.location == "Aleppo"
            && e.sub_event_type == "Armed clash"
            && e.geo_precision == 2
            && e.actor1.as_deref() == Some("Opposition Rebels (Syria)")),
        "{dump}"
    );
    assert!(
        s.events.iter().any(|e| e.location == "Damascus"
            && e.sub_event_type == "Government regains territory"
            && e.geo_precision >= 2),
        "{dump}"
    );
    // Nothing placed in Ireland, and no violent event in Geneva.
    assert!(s.places.iter().all(|p| p.country_code != "IE"), "{dump}");
    assert!(s.events.iter().all(|e| e.country_code != "IE"));
    assert!(
        s.events
            .iter()
            .filter(|e| e.location == "Geneva")
            .all(|e| e.event_type == "Strategic developments"),
        "{dump}"
    );
}

#[test]
fn one_event_reported_twice_is_one_feature() {
    let a = (
        "a",
        "2023-05-02",
        "Russian forces shelled Kharkiv on Monday, killing 3 civilians.",
    );
    let b = (
        "b",
        "2023-05-01",
        "Shelling hit Kharkiv today and killed four people, officials said.",
    );
    let s = snapshot(&[a, b]);
    let shelling: Vec<_> = s
        .events
        .iter()
        .filter(|e| e.sub_event_type == "Shelling/artillery/missile attack")
        .collect();
    assert_eq!(shelling.len(), 1, "{:#?}", s.events);
    let e = shelling[0];
    assert_eq!(e.sources, "a;b");
    assert_eq!(e.source_count, 2);
    assert_eq!(e.fatalities, Some(4));
    assert_eq!(e.actor1.as_deref(), Some("Military Forces of Russia"));
    // A different day is a different event.
    let c = ("c", "2023-05-09", "Shelling hit Kharkiv today.");
    let s = snapshot(&[a, b, c]);
    assert_eq!(
        s.events
            .iter()
            .filter(|e| e.sub_event_type == "Shelling/artillery/missile attack")
            .count(),
        2
    );
}

#[test]
fn snapshot_does_not_depend_on_input_order() {
    let docs = [
        (
            "a",
            "2023-05-02",
            "Russian forces shelled Kharkiv on Monday, killing 3 civilians.",
        ),
        (
            "b",
            "2023-05-03",
            "Ukrainian troops recaptured Kherson. Protesters rallied in Kharkiv.",
        ),
        (
            "c",
            "2023-05-04",
            "Russian forces captured Bakhmut after months of fighting for Bakhmut.",
        ),
        ("d", "2016-08-26", TALKS),
    ];
    let fwd = snapshot(&docs);
    let mut rev = docs;
    rev.reverse();
    let bwd = snapshot(&rev);
    assert_eq!(
        serde_json::to_string(&fwd).unwrap(),
        serde_json::to_string(&bwd).unwrap()
    );
    let mut ids: Vec<&str> = fwd.events.iter().map(|e| e.id.as_str()).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "event ids are unique");
}

#[test]
fn later_control_statements_win() {
    let s = snapshot(&[
        ("a", "2022-03-02", "Russian forces captured Kherson."),
        ("b", "2022-11-11", "Ukrainian troops recaptured Kherson."),
        (
            "c",
            "2022-06-01",
            "Russian-backed separatists seized Bakhmut.",
        ),
    ]);
    let kherson = s.control.iter().find(|c| c.place == "Kherson").unwrap();
    assert_eq!(
        kherson.controller.as_deref(),
        Some("Military Forces of Ukraine")
    );
    assert_eq!(
        kherson.previous_controller.as_deref(),
        Some("Military Forces of Russia")
    );
    assert_eq!(kherson.since, NaiveDate::from_ymd_opt(2022, 11, 11));
    let changes: Vec<_> = s
        .control_changes
        .iter()
        .filter(|c| c.place == "Kherson")
        .collect();
    assert_eq!(changes.len(), 2);
    assert!(changes[0].date < changes[1].date);
    // The territory events agree with control.
    let ev = s
        .events
        .iter()
        .find(|e| e.location == "Kherson" && e.date == NaiveDate::from_ymd_opt(2022, 11, 11))
        .unwrap();
    assert_eq!(ev.sub_event_type, "Government regains territory");
    let ev = s
        .events
        .iter()
        .find(|e| e.location == "Kherson" && e.date == NaiveDate::from_ymd_opt(2022, 3, 2))
        .unwrap();
    assert_eq!(ev.sub_event_type, "Non-state actor overtakes territory");
}

#[test]
fn stable_id_is_fixed() {
    // FNV-1a 64 test vectors.
    assert_eq!(stable_id(&[""]), "cbf29ce484222325");
    assert_eq!(stable_id(&["a"]), "af63dc4c8601ec8c");
    assert_ne!(stable_id(&["a", "b"]), stable_id(&["ab"]));
}

/// A place mention for the places-layer table: name, GeoNames id, byte offset and admin1 (which
/// tells the mentions apart when the best one is picked).
fn topo(name: &str, geonameid: Option<u32>, byte_start: usize, admin1: &str) -> Toponym {
    Toponym {
        start: byte_start,
        end: byte_start + name.len(),
        byte_start,
        byte_end: byte_start + name.len(),
        name: name.to_string(),
        geonameid,
        lat: 36.2,
        lon: 37.15,
        feature_code: "PPLA".to_string(),
        country_code: "SY".to_string(),
        admin1: admin1.to_string(),
        kind: MentionKind::Place,
        confidence: 0.9,
    }
}

/// Places layer: mentions counted per place, the most frequent spelling (ties: alphabetical)
/// names it, the first mention least by (document id, offset) describes it, sources are the
/// distinct document ids sorted, and toponyms that the extraction did not keep are not counted.
#[test]
fn places_layer_groups_mentions() {
    // Per document: id, its toponyms, the indices kept as places.
    type Doc = (&'static str, Vec<Toponym>, Vec<usize>);
    // Expected per place: name, mentions, sources, admin1 of the describing mention.
    type Want = (&'static str, u32, &'static str, &'static str);
    let cases: Vec<(Vec<Doc>, Vec<Want>)> = vec![
        (
            vec![
                ("d2", vec![topo("Aleppo", Some(1), 5, "a")], vec![0]),
                (
                    "d1",
                    vec![
                        topo("Halab", Some(1), 9, "b"),
                        topo("Halab", Some(1), 3, "c"),
                        topo("Aleppo", Some(1), 1, "skipped"),
                    ],
                    vec![0, 1],
                ),
            ],
            vec![("Halab", 3, "d1;d2", "c")],
        ),
        (
            // A spelling tie goes to the alphabetically first; equal (id, offset): first wins;
            // a repeated document id is one source.
            vec![
                ("x", vec![topo("Halab", Some(1), 4, "first")], vec![0]),
                ("y", vec![topo("Aleppo", Some(1), 2, "y")], vec![0]),
                ("x", vec![topo("Halab", Some(1), 4, "second")], vec![0]),
                ("y", vec![topo("Aleppo", Some(1), 7, "y2")], vec![0]),
            ],
            vec![("Aleppo", 4, "x;y", "first")],
        ),
        (
            // Without a GeoNames id, name and coordinates make the place.
            vec![(
                "d",
                vec![
                    topo("Nowhere", None, 0, "n"),
                    topo("Elsewhere", None, 10, "e"),
                    topo("Nowhere", None, 20, "n2"),
                ],
                vec![0, 1, 2],
            )],
            vec![("Elsewhere", 1, "d", "e"), ("Nowhere", 2, "d", "n")],
        ),
    ];
    for (docs, want) in cases {
        let mut agg = Aggregator::new();
        for (id, topos, places) in &docs {
            let x = Extraction {
                places: places.clone(),
                ..Extraction::default()
            };
            agg.add_document(id, topos.clone(), x);
        }
        let s = agg.finish();
        let got: Vec<(&str, u32, &str, &str)> = s
            .places
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.mentions,
                    p.sources.as_str(),
                    p.admin1.as_str(),
                )
            })
            .collect();
        assert_eq!(got, want, "{docs:?}");
    }
}

/// Two reports of one event whose sides are told the other way round ("Israel" as the second
/// side in one, as the first in the other) merge into one event with that side once, not on
/// both sides.
#[test]
fn a_side_is_never_both_sides() {
    let text = "Israel and Hamas agreed to a truce in Gaza.";
    let israel = Actor {
        name: "Israel".into(),
        inter: crate::extract::Inter::StateForces,
        country_code: Some("IL".into()),
    };
    let topos = toponyms(text);
    let gaza = topos.iter().find(|t| t.name == "Gaza").unwrap();
    let event = |doc: &str, a1: Option<Actor>, a2: Option<Actor>, confidence: f64| Event {
        sub_event_type: SubEventType::Agreement,
        cameo_root: 5,
        actor1: a1,
        actor2: a2,
        location: Location {
            location: "Gaza".into(),
            geonameid: gaza.geonameid,
            lat: gaza.lat,
            lon: gaza.lon,
            country_code: gaza.country_code.clone(),
            admin1: gaza.admin1.clone(),
            geo_precision: 1,
            byte_start: gaza.byte_start,
            byte_end: gaza.byte_end,
        },
        date: NaiveDate::from_ymd_opt(2024, 6, 1),
        time_precision: 1,
        status: crate::extract::EventStatus::Occurred,
        fatalities: None,
        notes: text.into(),
        doc_id: doc.into(),
        confidence,
        byte_start: 0,
        byte_end: text.len(),
    };
    let mut agg = Aggregator::new();
    for (doc, a1, a2, confidence) in [
        ("a", None, Some(israel.clone()), 0.9),
        ("b", Some(israel.clone()), None, 0.5),
    ] {
        let x = Extraction {
            events: vec![event(doc, a1, a2, confidence)],
            ..Extraction::default()
        };
        agg.add_document(doc, topos.clone(), x);
    }
    let s = agg.finish();
    assert_eq!(s.events.len(), 1);
    let e = &s.events[0];
    assert_ne!(e.actor1, e.actor2, "{e:?}");
}
