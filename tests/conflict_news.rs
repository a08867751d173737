//! Runs the real binary on project-written conflict-news briefs (`tests/fixtures/conflict/`)
//! that name Syrian, Iraqi, Yemeni and Libyan places the way newsrooms spell them ("Raqqa",
//! "Fallujah", "Douma", "Deir al-Zour", "Misrata"), often bare ("Raqqa has been run by…",
//! "Misrata sent more fighters"), next to people and groups whose names look like places
//! ("Ahmed Said", "Ahrar al-Sham", "Hassan Nasrallah"). GeoNames has most of these spellings only
//! as alternate names of its transliterated primary names ("Ar Raqqah", "Al Fallūjah", "Dūmā"),
//! so they depend on the index marking them as transliteration variants.

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::Value;

fn eventmap(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .args(args)
        .output()
        .expect("run eventmap");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Toponyms of every brief, by file name.
fn briefs() -> BTreeMap<String, Vec<Value>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/conflict");
    eventmap(&["geoparse", "--quiet", dir])
        .lines()
        .map(|l| {
            let doc: Value = serde_json::from_str(l).unwrap();
            let id = doc["id"].as_str().unwrap().to_string();
            (id, doc["toponyms"].as_array().unwrap().clone())
        })
        .collect()
}

#[test]
fn newsroom_spellings_resolve() {
    let docs = briefs();
    assert_eq!(docs.len(), 6, "{:?}", docs.keys());
    // (brief, name as written, mentions expected, accepted geonameids, country)
    let expected: &[(&str, &str, usize, &[u64], &str)] = &[
        ("syria-north.txt", "Raqqa", 2, &[172955], "SY"),
        // "aircraft struck Idlib": the city or its governorate
        ("syria-north.txt", "Idlib", 1, &[169389, 169387], "SY"),
        ("syria-east.txt", "Deir al-Zour", 1, &[170794], "SY"),
        ("syria-east.txt", "Deir ez-Zor", 1, &[170794], "SY"),
        ("syria-east.txt", "Hasakah", 1, &[173811], "SY"),
        ("syria-east.txt", "Tal Abyad", 1, &[163750], "SY"),
        ("syria-south.txt", "Douma", 1, &[170592], "SY"),
        // "the southern city", but the governorate (170903) wins today: the resolver has no
        // feature for an apposition naming the kind of place.
        ("syria-south.txt", "Daraa", 1, &[170905, 170903], "SY"),
        ("syria-south.txt", "Homs", 1, &[169577], "SY"),
        ("syria-south.txt", "Hama", 1, &[170017], "SY"),
        ("syria-south.txt", "Aleppo", 1, &[170063], "SY"),
        // "opposition fighters in Khan Sheikhoun said": after "in", the speech verb's subject
        // is not the place.
        ("syria-south.txt", "Khan Sheikhoun", 1, &[168325], "SY"),
        ("iraq.txt", "Fallujah", 2, &[99454], "IQ"),
        ("iraq.txt", "Mosul", 1, &[99072], "IQ"),
        ("iraq.txt", "Tikrit", 1, &[90150], "IQ"),
        ("iraq.txt", "Ramadi", 1, &[98717], "IQ"),
        ("iraq.txt", "Haditha", 1, &[96309], "IQ"),
        ("iraq.txt", "Kirkuk", 1, &[94787], "IQ"),
        ("yemen.txt", "Sanaa", 1, &[71137], "YE"),
        ("yemen.txt", "Saada", 1, &[71334], "YE"),
        ("yemen.txt", "Taiz", 1, &[70225], "YE"),
        ("yemen.txt", "Aden", 1, &[415189], "YE"),
        ("libya.txt", "Sirte", 1, &[2210554], "LY"),
        ("libya.txt", "Misrata", 1, &[2214846], "LY"),
        ("libya.txt", "Benghazi", 1, &[88319], "LY"),
        ("libya.txt", "Derna", 1, &[87205], "LY"),
    ];
    for &(doc, name, count, ids, cc) in expected {
        let tops = &docs[doc];
        let hits: Vec<&Value> = tops.iter().filter(|t| t["name"] == name).collect();
        assert_eq!(hits.len(), count, "{doc}: mentions of {name} in {tops:#?}");
        for t in hits {
            assert_eq!(t["kind"], "place", "{doc}: {name}");
            assert_eq!(t["country_code"], cc, "{doc}: {name}");
            let id = t["geonameid"].as_u64().unwrap_or(0);
            assert!(ids.contains(&id), "{doc}: {name} resolved to {id}");
        }
    }
}

#[test]
fn people_and_groups_are_not_places() {
    let docs = briefs();
    let traps = [
        "Islamic State",
        "Ahrar al-Sham",
        "Sham",
        "Jaish al-Islam",
        "Alloush",
        "Zahran Alloush",
        "Mohammed Alloush",
        "Ryan Dillon",
        "Haider al-Abadi",
        "Abadi",
        "Abu Bakr al-Baghdadi",
        "Baghdadi",
        "Houthi",
        "Ali Abdullah Saleh",
        "Saleh",
        "Hadi",
        "Rajeh Badi",
        "Ahmed Said",
        "Said",
        "Khalifa Haftar",
        "Haftar",
        "Hassan Nasrallah",
        "Hassan",
        "Nasrallah",
    ];
    for (doc, tops) in &docs {
        for t in tops {
            let name = t["name"].as_str().unwrap_or("");
            assert!(!traps.contains(&name), "{doc}: {name} is not a place");
        }
    }
}

#[test]
fn lookup_labels_transliteration_variants() {
    let rows: Vec<Value> =
        serde_json::from_str(&eventmap(&["lookup", "--quiet", "--json", "Raqqa"])).unwrap();
    assert_eq!(rows[0]["geonameid"], 172955);
    assert_eq!(rows[0]["match"], "variant");
    // "Palmyra" is another name of Tadmur, not a spelling of it.
    let rows: Vec<Value> = serde_json::from_str(&eventmap(&[
        "lookup",
        "--quiet",
        "--json",
        "--country",
        "SY",
        "Palmyra",
    ]))
    .unwrap();
    assert_eq!(rows[0]["geonameid"], 163808);
    assert_eq!(rows[0]["match"], "alternate");
}
