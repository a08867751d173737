//! Runs the `eventmap` binary: `gazetteer build` (GeoNames dumps and places TSV), `lookup`,
//! `gazetteer info` and `--places` on fixtures written for these tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_eventmap"))
}

fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(p)
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("evm-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn lookup_json(index: &Path, extra: &[&str], name: &str) -> Vec<serde_json::Value> {
    let mut args = vec![
        "--gazetteer",
        index.to_str().unwrap(),
        "lookup",
        "--json",
        name,
    ];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(out.status.success(), "lookup {name}: {}", text(&out.stderr));
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn build_from_geonames_dumps_reports_bad_rows() {
    let dir = tmpdir("geonames");
    let index = dir.join("gn.idx");
    let out = run(&[
        "gazetteer",
        "build",
        "--geonames",
        fixture("geonames").to_str().unwrap(),
        "--out",
        index.to_str().unwrap(),
    ]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    for want in [
        "cities500.txt:5: geonameid `not-a-number` is not a number",
        "cities500.txt:8: bad coordinates `31.03`, `far east`",
        "cities500.txt:9: expected 19 columns, got 9",
        "cities500.txt:10: population `lots` is not a whole number",
        "admin1CodesASCII.txt:10: expected 4 columns",
        "countryInfo.txt:6: expected at least 17 columns",
        "alternateNamesV2.txt:5: expected alternateNameId, geonameid, isolanguage, name",
        "7 malformed rows skipped",
    ] {
        assert!(err.contains(want), "missing `{want}` in:\n{err}");
    }
    // no temporary files left next to the output
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("gn.idx")]);

    let top = |name: &str| lookup_json(&index, &[], name)[0]["geonameid"].as_u64();
    assert_eq!(top("Daraya"), Some(170892));
    assert_eq!(top("داريا"), Some(170892));
    assert_eq!(top("Darayya al-Sham"), Some(170892)); // from alternateNamesV2
    assert_eq!(top("Geneva"), Some(2660646));
    assert_eq!(top("Damascus"), Some(170654));
    assert_eq!(top("Halab"), Some(170063));
    // countries and divisions come from countryInfo / admin1 codes
    let syria = &lookup_json(&index, &[], "Syria")[0];
    assert_eq!(syria["geonameid"], 163843);
    assert_eq!(syria["feature_code"], "PCLI");
    assert_eq!(top("سوريا"), Some(163843));
    let rif = &lookup_json(&index, &[], "Rif Dimashq")[0];
    assert_eq!(rif["geonameid"], 170652);
    assert_eq!(rif["feature_code"], "ADM1");
    // the lone SY.08 place is Darayya, so the division sits there
    assert!((rif["lat"].as_f64().unwrap() - 33.45835).abs() < 1e-4);
    let d = &lookup_json(&index, &[], "Daraya")[0];
    assert_eq!(d["admin1"], "Rif Dimashq");
    // link rows are not names
    assert!(lookup_json_status(&index, "https en wikipedia org wiki darayya") == 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn lookup_json_status(index: &Path, name: &str) -> i32 {
    run(&[
        "--gazetteer",
        index.to_str().unwrap(),
        "lookup",
        "--json",
        name,
    ])
    .status
    .code()
    .unwrap()
}

fn data_index(dir: &Path) -> PathBuf {
    let index = dir.join("data.idx");
    let out = run(&[
        "gazetteer",
        "build",
        "--data",
        fixture("places").to_str().unwrap(),
        "--out",
        index.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    index
}

#[test]
fn lookup_json_fields_filters_and_table() {
    let dir = tmpdir("lookup");
    let index = data_index(&dir);
    let all = lookup_json(&index, &[], "Geneva");
    assert_eq!(all[0]["geonameid"], 2660646);
    for key in [
        "geonameid",
        "name",
        "feature_code",
        "country_code",
        "admin1",
        "population",
        "lat",
        "lon",
        "score",
    ] {
        assert!(all[0].get(key).is_some(), "missing {key}");
    }
    assert_eq!(all[0]["admin1"], "Genève");
    let us = lookup_json(
        &index,
        &["--country", "US", "--near", "42.9,-77.0", "--limit", "1"],
        "Geneva",
    );
    assert_eq!(us.len(), 1);
    assert_eq!(us[0]["geonameid"], 5117378);
    // human table
    let out = run(&["--gazetteer", index.to_str().unwrap(), "lookup", "Damascus"]);
    let table = text(&out.stdout);
    assert!(out.status.success());
    let first = table.lines().nth(1).unwrap();
    assert!(
        first.contains("170654") && first.contains("PPLC"),
        "{table}"
    );
    // an unlisted spelling reaches a place with a transliterated primary name by its skeleton
    let fold = lookup_json(&index, &[], "Dareyya");
    assert_eq!(fold[0]["geonameid"], 170892);
    assert_eq!(fold[0]["match"], "fold");
    assert_ne!(lookup_json(&index, &[], "Daraya")[0]["match"], "fold");
    // unknown names exit 1, bad options exit 2; a different skeleton is not a match
    assert_eq!(lookup_json_status(&index, "Atlantis"), 1);
    assert_eq!(lookup_json_status(&index, "Dariya"), 1);
    let out = run(&[
        "--gazetteer",
        index.to_str().unwrap(),
        "lookup",
        "X",
        "--near",
        "500,1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn places_overlay_and_info() {
    let dir = tmpdir("overlay");
    let index = data_index(&dir);
    let places = dir.join("mine.tsv");
    std::fs::write(
        &places,
        "name\tgeonameid\talternatenames\tlat\tlon\tcountry_code\n\
         Khan al-Shih Camp\t\tKhan Eshieh\t33.37\t36.10\tSY\n\
         \t170892\tDarayya al-Balad\t\t\t\n\
         Broken\t\t\tnowhere\t1\t\n",
    )
    .unwrap();
    let (i, p) = (index.to_str().unwrap(), places.to_str().unwrap());
    let out = run(&[
        "--gazetteer",
        i,
        "--places",
        p,
        "lookup",
        "--json",
        "Khan Eshieh",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["name"], "Khan al-Shih Camp");
    assert!(v[0]["geonameid"].is_null());
    assert!(text(&out.stderr).contains("mine.tsv:4: lat `nowhere` is not a number"));
    let out = run(&[
        "--gazetteer",
        i,
        "--places",
        p,
        "lookup",
        "--json",
        "Darayya al-Balad",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["geonameid"], 170892);

    let out = run(&[
        "--gazetteer",
        i,
        "--places",
        p,
        "gazetteer",
        "info",
        "--json",
    ]);
    assert!(out.status.success());
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["places"], 21);
    assert_eq!(info["added_places"], 1);
    assert_eq!(info["feature_classes"]["P"], 8);
    // skeletons of transliterated primary names: Dārayyā's, and one for Genève the city and
    // the canton
    assert_eq!(info["fold_keys"], 2);
    assert_eq!(info["folds"], 3);
    assert_eq!(info["sources"]["source"], "fixture written for the tests");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn build_rejects_missing_inputs_without_leaving_files() {
    let dir = tmpdir("missing");
    let out = run(&[
        "gazetteer",
        "build",
        "--geonames",
        dir.to_str().unwrap(),
        "--out",
        dir.join("x.idx").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no allCountries.txt or citiesN.txt"));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    let bad = dir.join("bad.idx");
    std::fs::write(&bad, b"not an index").unwrap();
    let out = run(&["--gazetteer", bad.to_str().unwrap(), "lookup", "Aleppo"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not a valid gazetteer index"));
    std::fs::remove_dir_all(&dir).unwrap();
}
