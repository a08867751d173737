//! Tests of the gazetteer API on the fixture data in `tests/fixtures/places/`.

use super::*;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/places")
}

fn fixture() -> Gazetteer {
    let mut bytes = Vec::new();
    let mut errors = Vec::new();
    datadir::build_from_dir(&fixture_dir(), &mut bytes, &mut |e| errors.push(e)).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    Gazetteer::from_vec(bytes).unwrap()
}

fn top(g: &Gazetteer, name: &str) -> Option<u32> {
    let c = g.lookup(name);
    c.first().and_then(|c| g.get(c.place)?.geonameid())
}

#[test]
fn acceptance_names_rank_first() {
    let g = fixture();
    let cases = [
        ("Daraya", 170892),
        ("Darayya", 170892),
        ("Dārayyā", 170892),
        ("DARAYA", 170892),
        ("داريا", 170892),
        ("دَارَيّا", 170892),
        ("Aleppo", 170063),
        ("Halab", 170063),
        ("Ḩalab", 170063),
        ("Geneva", 2660646),
        ("Damascus", 170654),
        ("Syria", 163843),
        ("Rif Dimashq", 170652),
        ("Rif-Dimashq", 170652),
        ("ريف دمشق", 170652),
        ("Москва", 524901),
    ];
    for (name, want) in cases {
        assert_eq!(top(&g, name), Some(want), "lookup({name:?})");
    }
}

#[test]
fn ranking_uses_country_and_near() {
    let g = fixture();
    let us = LookupOptions {
        country: Some("us".into()),
        ..Default::default()
    };
    let c = g.lookup_with("Geneva", &us, &DefaultPrior);
    assert_eq!(c.len(), 2);
    // without context the county seat in Alabama (PPLA2) outranks the NY town (PPL)
    assert_eq!(g.get(c[0].place).unwrap().geonameid(), Some(4060954));
    // near Geneva, NY the NY town wins
    let near = LookupOptions {
        country: Some("US".into()),
        near: Some((42.87, -76.98)),
        limit: Some(1),
    };
    let c = g.lookup_with("Geneva", &near, &DefaultPrior);
    assert_eq!(c.len(), 1);
    assert_eq!(g.get(c[0].place).unwrap().geonameid(), Some(5117378));
    // near Maryland the national capital still wins: a 4-point boost does not beat its prior
    let md = LookupOptions {
        near: Some((39.29, -77.2)),
        ..Default::default()
    };
    let c = g.lookup_with("Damascus", &md, &DefaultPrior);
    assert_eq!(g.get(c[0].place).unwrap().geonameid(), Some(170654));
    assert!(c[1].score > 0.0);
}

#[test]
fn scores_are_sorted_and_kinds_reported() {
    let g = fixture();
    let c = g.lookup("Geneva");
    assert!(c.windows(2).all(|w| w[0].score >= w[1].score));
    assert_eq!(c[0].kind, MatchKind::Alternate);
    let ny = c
        .iter()
        .find(|c| g.get(c.place).unwrap().geonameid() == Some(5117378))
        .unwrap();
    assert_eq!(ny.kind, MatchKind::Primary);
    // the canton is reached too but ranks below its seat
    let canton = c
        .iter()
        .position(|c| g.get(c.place).unwrap().geonameid() == Some(2660645))
        .unwrap();
    assert!(canton > 0);
    // abbreviations are matches of the lowest kind
    let dam = g.lookup("DAM");
    assert_eq!(dam[0].kind, MatchKind::Abbreviation);
    assert_eq!(g.lookup("U.S.")[0].kind, MatchKind::Abbreviation);
    assert_eq!(top(&g, "usa"), Some(6252001));
    assert!(g.lookup("Atlantis").is_empty());
    assert!(g.lookup("").is_empty());
}

#[test]
fn place_fields_and_code_lookups() {
    let g = fixture();
    let p = g.by_geonameid(170892).unwrap();
    assert_eq!(p.name(), "Dārayyā");
    assert_eq!(p.asciiname(), "Darayya");
    assert_eq!(p.feature_class(), 'P');
    assert_eq!(p.feature_code(), "PPLA2");
    assert_eq!(p.country_code(), "SY");
    assert_eq!(p.admin1_code(), "08");
    assert_eq!(p.admin1_name(), "Rif Dimashq");
    assert_eq!(p.population(), 71596);
    assert!((p.lat() - 33.45835).abs() < 1e-6 && (p.lon() - 36.23256).abs() < 1e-6);
    let sy = g.country("sy").unwrap();
    assert_eq!(sy.geonameid(), Some(163843));
    assert_eq!(sy.capital(), Some(170654));
    assert_eq!(sy.iso3(), "SYR");
    assert_eq!(
        sy.neighbours().collect::<Vec<_>>(),
        ["IQ", "JO", "IL", "TR", "LB"]
    );
    assert!(sy.is_country());
    assert_eq!(g.admin1("SY", "08").unwrap().geonameid(), Some(170652));
    assert!(g.admin1("SY", "99").is_none());
    assert!(g.by_geonameid(1).is_none());
    let ghouta = &g.lookup("East Ghouta")[0];
    let p = g.get(ghouta.place).unwrap();
    assert_eq!((p.geonameid(), p.feature_code()), (None, "RGN"));
    assert_eq!(p.admin1_name(), "Rif Dimashq");
}

#[test]
fn demonyms_listed() {
    let g = fixture();
    assert_eq!(
        g.demonym_keys(),
        vec!["american", "russian", "swiss", "syrian"]
    );
    let c = g.lookup("Syrian");
    assert_eq!(c[0].kind, MatchKind::Demonym);
    assert_eq!(top(&g, "Syrian"), Some(163843));
}

#[test]
fn walker_matches_multiword_names() {
    let g = fixture();
    let mut w = g.walker();
    let mut buf = String::new();
    let mut found = Vec::new();
    for (i, tok) in ["Rif", "Dimashq", "governorate"].iter().enumerate() {
        buf.clear();
        if i > 0 {
            buf.push(' ');
        }
        normalize_into(tok, &mut buf);
        if !w.feed(buf.as_bytes()) {
            break;
        }
        if let Some(m) = w.key_match() {
            found.push((i, g.key_postings(m).next().unwrap().0));
        }
    }
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, 1);
    assert_eq!(g.get(found[0].1).unwrap().geonameid(), Some(170652));
    // A stored position resumes the walk where it was taken.
    let mut w = g.walker();
    assert!(w.feed(b"rif"));
    let at = w.position();
    let mut other = g.walker();
    other.resume(at);
    assert!(other.feed(b" dimashq"));
    assert!(w.feed(b" dimashq"));
    assert!(other.key_match().is_some());
    assert_eq!(other.key_match(), w.key_match());
    let mut dead = g.walker();
    assert!(!dead.feed(b"zzzzqx"));
    other.resume(dead.position());
    assert!(!other.is_alive());
    assert!(other.key_match().is_none());
    // raw fst access gives the same postings
    let v = g.names_fst().get("rif dimashq").unwrap().value();
    let p: Vec<_> = g.base_postings(v).collect();
    assert_eq!(p[0].0, found[0].1);
}

#[test]
fn places_overlay_aliases_overrides_and_new_places() {
    let dir = std::env::temp_dir().join(format!("evm-overlay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("mine.tsv");
    std::fs::write(
        &path,
        "geonameid\tname\talternatenames\tlat\tlon\tfeature_code\tcountry_code\tadmin1_code\n\
         170892\t\tDarayya al-Balad|Daraya City\t\t\t\t\t\n\
         \tKhan al-Shih Camp\tKhan Eshieh\t33.37\t36.10\tPPLX\tSY\t08\n\
         170654\t\t\t33.51\t36.30\t\t\t\n\
         999999999\tNowhere\t\t\t\t\t\t\n\
         \tBroken\t\tnorth\t36\t\t\t\n",
    )
    .unwrap();
    let (g, errors) = fixture().with_places(std::slice::from_ref(&path)).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let errors: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].ends_with(
        "mine.tsv:5: geonameid 999999999 is not a known place and the row has no lat/lon"
    ));
    assert!(errors[1].ends_with("mine.tsv:6: lat `north` is not a number"));
    // alias
    assert_eq!(top(&g, "Daraya City"), Some(170892));
    // new place, admin1 name joined from the base index
    let camp = g.get(g.lookup("Khan Eshieh")[0].place).unwrap();
    assert_eq!(camp.name(), "Khan al-Shih Camp");
    assert_eq!(camp.admin1_name(), "Rif Dimashq");
    assert_eq!(camp.geonameid(), None);
    assert!(camp.idx().0 >= fixture().len());
    // override: Damascus moved; old names reach the replacement
    let d = g.by_geonameid(170654).unwrap();
    assert!((d.lat() - 33.51).abs() < 1e-9);
    assert_eq!(d.name(), "Damascus");
    assert_eq!(d.feature_code(), "PPLC");
    let c = g.lookup("Dimashq");
    assert!(c.iter().any(|c| c.place == d.idx()));
    assert!(c.iter().all(|c| g.get(c.place).unwrap().lat() != 33.5102));
    // walker sees overlay names
    let mut w = g.walker();
    assert!(w.feed(b"khan eshieh"));
    assert!(w.key_match().is_some());
    assert_eq!(g.info().added_places, 2);
}

#[test]
fn info_counts_and_sources() {
    let g = fixture();
    let info = g.info();
    assert_eq!(info.places, 20);
    assert!(info.names > info.places);
    let meta: HashMap<_, _> = info.meta.iter().cloned().collect();
    assert_eq!(meta["class.P"], "8");
    assert_eq!(meta["class.A"], "11");
    assert_eq!(meta["file.places.tsv"], "8");
    assert!(meta["sources"].contains("fixture written for the tests"));
}

#[test]
fn embedded_opens() {
    // The embedded index is valid whatever data it was built from.
    let g = Gazetteer::embedded();
    assert_eq!(g.len() as u64, g.info().places);
}

#[test]
fn country_points_lie_at_their_representative_points() {
    // (geonameid, lat, lon): the point a country resolves to. The United States sits at
    // GeoNames' point near the centre of the contiguous states (an override row in
    // regions.tsv), not at the Factbook's 38, -97; the others keep the Factbook's point.
    let cases = [
        (6252001, 39.76, -98.5),
        (163843, 35.0, 38.0),
        (2017370, 60.0, 100.0),
        (1814991, 35.0, 105.0),
    ];
    let g = Gazetteer::embedded();
    for (id, lat, lon) in cases {
        let p = g.by_geonameid(id).unwrap();
        assert_eq!((p.lat(), p.lon()), (lat, lon), "{}", p.name());
        assert!(p.feature_code().starts_with("PCL"), "{}", p.name());
    }
    // The override keeps the names the sources give and the aliases the row adds.
    let us = g.by_geonameid(6252001).unwrap();
    assert_eq!(us.name(), "United States");
    for name in ["United States of America", "U.S.", "America"] {
        let first = g.lookup(name)[0].place;
        assert_eq!(g.get(first).unwrap().geonameid(), Some(6252001), "{name}");
    }
}
