//! The acceptance names, looked up in the embedded gazetteer by the real binary.

use std::process::Command;

fn lookup(name: &str) -> Vec<serde_json::Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .args(["lookup", "--json", "--limit", "3", name])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "lookup {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn acceptance_names_rank_first() {
    let cases = [
        ("Daraya", 170892),
        ("Darayya", 170892),
        ("Dārayyā", 170892),
        ("DARAYA", 170892),
        ("داريا", 170892),
        ("Aleppo", 170063),
        ("Halab", 170063),
        ("Geneva", 2660646),
        ("Damascus", 170654),
        ("Syria", 163843),
        ("Rif Dimashq", 170652),
    ];
    for (name, want) in cases {
        let c = lookup(name);
        assert_eq!(c[0]["geonameid"], want, "{name}: {c:?}");
    }
}

#[test]
fn near_and_country_change_the_answer() {
    let md = Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .args(["lookup", "--json", "--country", "US", "Damascus"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&md.stdout).unwrap();
    assert_eq!(v[0]["country_code"], "US");
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .all(|c| c["country_code"] == "US")
    );
}

#[test]
fn info_reports_the_embedded_counts() {
    let out = Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .args(["gazetteer", "info", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["places"].as_u64().unwrap() >= 230_000, "{v}");
    assert!(v["names"].as_u64().unwrap() >= 1_000_000, "{v}");
    assert!(v["feature_classes"]["P"].as_u64().unwrap() > 200_000);
    assert!(v["sources"].as_object().is_some_and(|s| !s.is_empty()));
}
