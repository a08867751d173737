//! Layer writers: golden files per format, determinism, atomic writes and check mode.
//! Refresh the golden files with `UPDATE_GOLDEN=1 cargo test --test layers`.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use eventmap::layers::{self, FileState, Format, LayerOptions};

const FORMATS: [Format; 3] = [Format::GeoJson, Format::GeoJsonSeq, Format::Csv];

fn golden_dir(format: Format) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format.name())
}

#[test]
fn golden_files_per_format() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for format in FORMATS {
        let files = layers::snapshot_files(&support::snapshot(), format).unwrap();
        let dir = golden_dir(format);
        for f in &files {
            if f.path.starts_with("basemap") {
                // The basemap is a verbatim copy of gazetteer/basemap; not duplicated here.
                continue;
            }
            let path = dir.join(&f.path);
            if update {
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(&path, &f.bytes).unwrap();
                continue;
            }
            let want = fs::read(&path).unwrap_or_else(|e| {
                panic!(
                    "{}: {e} (run with UPDATE_GOLDEN=1 to create)",
                    path.display()
                )
            });
            assert!(
                want == f.bytes,
                "{} differs from the golden file; if the change is intended, run UPDATE_GOLDEN=1 cargo test --test layers\n--- got ---\n{}",
                path.display(),
                String::from_utf8_lossy(&f.bytes)
            );
        }
    }
}

#[test]
fn same_bytes_whatever_the_record_order() {
    for format in FORMATS {
        let a = layers::snapshot_files(&support::snapshot(), format).unwrap();
        let b = layers::snapshot_files(&support::reversed(), format).unwrap();
        assert_eq!(a, b, "{format}");
    }
}

#[test]
fn text_files_are_lf_with_trailing_newline_and_six_decimals() {
    let files = layers::snapshot_files(&support::snapshot(), Format::GeoJson).unwrap();
    for f in files.into_iter().filter(|f| !f.path.starts_with("basemap")) {
        let text = String::from_utf8(f.bytes).unwrap();
        assert!(!text.contains('\r'), "{}", f.path.display());
        assert!(text.ends_with('\n'), "{}", f.path.display());
        if f.path.extension().unwrap() != "geojson" || f.path.starts_with("basemap") {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        for feat in v["features"].as_array().unwrap() {
            // Each property keeps the set of keys of the schema (explicit nulls).
            assert_eq!(
                feat["properties"].as_object().unwrap().len(),
                v["features"][0]["properties"].as_object().unwrap().len()
            );
        }
        for line in text.lines().filter(|l| l.contains("coordinates")) {
            let start = line.find("\"coordinates\":[").unwrap() + 15;
            let end = start + line[start..].find(']').unwrap();
            for c in line[start..end].split(',') {
                assert_eq!(c.split('.').nth(1).unwrap().len(), 6, "{c}");
            }
        }
    }
}

fn leftovers(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(layers::fsio::TEMP_PREFIX) {
            out.push(name);
        }
        if e.path().is_dir() {
            out.extend(leftovers(&e.path()));
        }
    }
    out
}

#[test]
fn write_then_check_is_clean_and_leaves_no_temp_files() {
    let dir = support::temp_dir("write-check");
    let opts = LayerOptions::default();
    let out = layers::write_snapshot(&dir, &support::snapshot(), &opts).unwrap();
    assert!(out.files.iter().all(|(_, s)| *s == FileState::Written));
    assert!(leftovers(&dir).is_empty());
    // Writing again changes nothing.
    let again = layers::write_snapshot(&dir, &support::reversed(), &opts).unwrap();
    assert!(again.is_unchanged(), "{}", again.summary());
    let check = LayerOptions {
        check: true,
        ..Default::default()
    };
    let out = layers::write_snapshot(&dir, &support::snapshot(), &check).unwrap();
    assert!(out.is_unchanged(), "{}", out.summary());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn check_reports_differences_and_touches_nothing() {
    let dir = support::temp_dir("check-diff");
    layers::write_snapshot(&dir, &support::snapshot(), &LayerOptions::default()).unwrap();
    let mut changed = support::snapshot();
    changed.events.remove(0);
    changed.places[0].mentions = 7;
    let before: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| (e.path(), fs::read(e.path()).unwrap_or_default()))
        .collect();
    fs::remove_file(dir.join("control.geojson")).unwrap();
    let check = LayerOptions {
        check: true,
        ..Default::default()
    };
    let out = layers::write_snapshot(&dir, &changed, &check).unwrap();
    assert!(!out.is_unchanged());
    let summary = out.summary();
    assert!(
        summary.contains(
            "events.geojson: differs: 4 features on disk, 3 expected; 1 gone (ev-aleppo-shelling)"
        ),
        "{summary}"
    );
    assert!(
        summary.contains(
            "places.geojson: differs: 4 features on disk, 4 expected; 1 changed (pl-170063)"
        ),
        "{summary}"
    );
    assert!(summary.contains("control.geojson: missing"), "{summary}");
    assert!(!summary.contains("control_changes"), "{summary}");
    for (path, bytes) in before {
        if path.ends_with("control.geojson") {
            assert!(!path.exists());
        } else {
            assert_eq!(fs::read(&path).unwrap(), bytes, "{}", path.display());
        }
    }
    assert!(leftovers(&dir).is_empty());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn geopackage_is_byte_stable_and_typed() {
    let a = layers::snapshot_files(&support::snapshot(), Format::Gpkg).unwrap();
    let b = layers::snapshot_files(&support::reversed(), Format::Gpkg).unwrap();
    assert_eq!(a, b);
    let gpkg = a
        .iter()
        .find(|f| f.path.ends_with("eventmap.gpkg"))
        .unwrap();
    assert_eq!(&gpkg.bytes[..16], b"SQLite format 3\0");
    // application_id "GPKG" at offset 68, user_version 10300 at offset 60.
    assert_eq!(&gpkg.bytes[68..72], b"GPKG");
    assert_eq!(
        u32::from_be_bytes(gpkg.bytes[60..64].try_into().unwrap()),
        10300
    );
    let dir = support::temp_dir("gpkg");
    let path = dir.join("eventmap.gpkg");
    fs::write(&path, &gpkg.bytes).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM events"), 4);
    assert_eq!(
        count("SELECT count(*) FROM layer_styles WHERE useAsDefault = 1"),
        4
    );
    assert_eq!(
        count("SELECT count(*) FROM gpkg_contents WHERE data_type = 'features' AND srs_id = 4326"),
        4
    );
    let decl: String = conn
        .query_row(
            "SELECT group_concat(name || ' ' || type, ', ') FROM pragma_table_info('events') WHERE name IN ('date', 'fatalities', 'confidence', 'location', 'geom')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        decl,
        "geom POINT, location TEXT, date DATE, fatalities INTEGER, confidence REAL"
    );
    let last: String = conn
        .query_row(
            "SELECT last_change FROM gpkg_contents WHERE table_name = 'events'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(last, "2016-08-26T00:00:00.000Z");
    drop(conn);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn basemap_copy_and_project_are_written() {
    let files = layers::snapshot_files(&support::snapshot(), Format::GeoJson).unwrap();
    let names: Vec<String> = files.iter().map(|f| f.path.display().to_string()).collect();
    for want in [
        "events.geojson",
        "events.qml",
        "control.qml",
        "control_changes.qml",
        "places.qml",
        "basemap/countries.geojson",
        "basemap/countries.qml",
        "eventmap.qgs",
    ] {
        assert!(names.contains(&want.to_string()), "{want} not in {names:?}");
    }
    let qgs = String::from_utf8(files.last().unwrap().bytes.clone()).unwrap();
    assert!(qgs.contains("<datasource>./events.geojson</datasource>"));
    assert!(qgs.contains("<datasource>./basemap/countries.geojson</datasource>"));
    assert!(!qgs.contains("/tmp") && !qgs.contains("saveDateTime"));
}

#[test]
fn check_describes_geopackage_changes_by_layer() {
    let dir = support::temp_dir("check-gpkg");
    let gpkg = LayerOptions {
        format: Format::Gpkg,
        ..Default::default()
    };
    layers::write_snapshot(&dir, &support::snapshot(), &gpkg).unwrap();
    let mut changed = support::snapshot();
    changed.places.pop();
    changed.events[0].fatalities = Some(13);
    let check = LayerOptions {
        check: true,
        ..gpkg
    };
    let out = layers::write_snapshot(&dir, &changed, &check).unwrap();
    let summary = out.summary();
    assert!(
        summary.contains("eventmap.gpkg: differs: events: 4 features on disk, 4 expected (0 new, 0 gone, 1 changed); places: 4 features on disk, 3 expected (0 new, 1 gone, 0 changed)"),
        "{summary}"
    );
    assert!(leftovers(&dir).is_empty());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn basemap_polygons_stay_on_their_side_of_the_antimeridian() {
    // Desktop GIS draws an edge from 179.9° to -180° across the whole map; shapes that cross
    // ±180° are split in gazetteer/convert.py. Edges along a pole (Antarctica) are fine.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("gazetteer/basemap/countries-50m.geojson");
    let gj: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut names = Vec::new();
    for f in gj["features"].as_array().unwrap() {
        let g = &f["geometry"];
        let polys: Vec<&serde_json::Value> = if g["type"] == "Polygon" {
            vec![&g["coordinates"]]
        } else {
            g["coordinates"].as_array().unwrap().iter().collect()
        };
        let crossing = polys
            .iter()
            .flat_map(|p| p.as_array().unwrap())
            .any(|ring| {
                let pts: Vec<(f64, f64)> = ring
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
                    .collect();
                pts.windows(2).any(|w| {
                    (w[0].0 - w[1].0).abs() > 180.0 && !(w[0].1 == w[1].1 && w[0].1.abs() == 90.0)
                })
            });
        if crossing {
            names.push(f["properties"]["name"].as_str().unwrap_or("?").to_string());
        }
    }
    assert!(names.is_empty(), "crossing ±180°: {names:?}");
    // Russia keeps its far east (Chukotka, west of -170°) as polygons of its own.
    let russia = gj["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["name"] == "Russia")
        .unwrap();
    let west = russia["geometry"]["coordinates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            p[0].as_array()
                .unwrap()
                .iter()
                .all(|pt| pt[0].as_f64().unwrap() < -168.0)
        })
        .count();
    assert!(west >= 1, "Chukotka missing from Russia");
}
