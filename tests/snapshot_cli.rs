//! `eventmap diff` and `eventmap render` on snapshot directories written by the layer writer.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use eventmap::layers::{self, Format, LayerOptions};

fn eventmap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .args(args)
        .output()
        .unwrap()
}

fn write(dir: &Path, snap: &eventmap::aggregate::Snapshot, format: Format) {
    let opts = LayerOptions {
        format,
        ..Default::default()
    };
    layers::write_snapshot(dir, snap, &opts).unwrap();
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn diff_reports_events_control_and_places() {
    let old = support::temp_dir("diff-old");
    let new = support::temp_dir("diff-new");
    let base = support::snapshot();
    write(&old, &base, Format::GeoJson);
    let mut changed = base.clone();
    // One event gone, one new; Aleppo changes hands; a new dated statement; a place moved.
    changed.events.retain(|e| e.id != "ev-idlib-protest");
    let mut strike = changed.events[0].clone();
    strike.id = "ev-idlib-airstrike".into();
    strike.sub_event_type = "Air/drone strike".into();
    strike.location = "Idlib".into();
    strike.fatalities = Some(4);
    strike.date = chrono::NaiveDate::from_ymd_opt(2016, 8, 27);
    changed.events.push(strike);
    let aleppo = changed
        .control
        .iter_mut()
        .find(|c| c.id == "ctl-aleppo")
        .unwrap();
    aleppo.status = "controlled".into();
    aleppo.controller = Some("Military Forces of Syria".into());
    aleppo.controller_inter = Some("State forces".into());
    aleppo.previous_controller = Some("Opposition Rebels".into());
    aleppo.since = chrono::NaiveDate::from_ymd_opt(2016, 12, 22);
    let mut c = changed.control_changes[0].clone();
    c.id = "chg-aleppo-2016-12-22".into();
    c.place = "Aleppo".into();
    c.status = "controlled".into();
    c.date = chrono::NaiveDate::from_ymd_opt(2016, 12, 22);
    changed.control_changes.push(c);
    changed.places[3].lat += 0.1; // Idlib moves about 11 km north
    write(&new, &changed, Format::GeoJsonSeq);

    let out = eventmap(&["diff", s(&old), s(&new)]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for want in [
        "Events: 1 new, 1 removed, 0 changed",
        "  + 2016-08-27  Explosions/Remote violence / Air/drone strike at Idlib (SY), 4 killed",
        "  - undated     Protests / Peaceful protest at Idlib (SY)",
        "  ~ Aleppo: Opposition Rebels (besieged) → Military Forces of Syria (controlled) since 2016-12-22",
        "Control changes: 1 new, 0 removed",
        "  + 2016-12-22  Aleppo: controlled, Opposition Rebels → Military Forces of Syria",
        "Places: 0 added, 0 removed, 1 moved",
        "  ~ Idlib (SY) moved 11.1 km",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    let out = eventmap(&["diff", s(&old), s(&new), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["events_added"][0]["id"], "ev-idlib-airstrike");
    assert_eq!(v["control"][0]["to_controller"], "Military Forces of Syria");
    assert_eq!(v["places"][0]["moved_km"], 11.1);

    let same = eventmap(&["diff", s(&old), s(&old)]);
    assert_eq!(same.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&same.stdout), "No differences.\n");

    let empty = support::temp_dir("diff-empty");
    let bad = eventmap(&["diff", s(&empty), s(&old)]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("holds no eventmap layers"));
    // A directory that does not exist is said to be missing, not to hold no layers.
    let missing = empty.join("no-such-snapshot");
    let bad = eventmap(&["diff", s(&old), s(&missing)]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains(&format!("{}: ", missing.display())),
        "{stderr}"
    );
    assert!(!stderr.contains("holds no eventmap layers"), "{stderr}");
    for d in [old, new, empty] {
        let _ = std::fs::remove_dir_all(d);
    }
}

fn artifact(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

#[test]
fn render_writes_svg_and_png() {
    let dir = support::temp_dir("render");
    write(&dir, &support::snapshot(), Format::GeoJson);
    let svg = artifact("render-fixture.svg");
    let out = eventmap(&["render", s(&dir), "--out", s(&svg)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(text.ends_with("</svg>\n"));
    for want in [
        "© GeoNames CC BY 4.0, Natural Earth",
        "Aleppo (besieged)",
        ">Darayya</text>",
        "Strategic developments",
        "fill=\"#ff7f0e\"", // Explosions/Remote violence, as in the QML
        "eventmap: 4 events, 2 places with known control, 2016-08-24 – 2016-08-26",
    ] {
        assert!(text.contains(want), "{want:?} not in the SVG");
    }
    // Country outlines were drawn.
    assert!(text.contains("fill=\"#f4f1ea\"") && text.matches('L').count() > 1000);

    let png = artifact("render-fixture.png");
    let out = eventmap(&[
        "render",
        s(&dir),
        "--out",
        s(&png),
        "--bbox",
        "35,32,39,37.5",
        "--width",
        "900",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    assert_eq!(width, 900);
    assert!(
        bytes.len() > 20_000,
        "PNG suspiciously small: {}",
        bytes.len()
    );

    let bad = eventmap(&["render", s(&dir), "--out", s(&png), "--bbox", "1,2,3"]);
    assert_eq!(bad.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_reads_every_format_alike() {
    let base = support::temp_dir("formats");
    let mut dirs = Vec::new();
    for format in [
        Format::GeoJson,
        Format::GeoJsonSeq,
        Format::Gpkg,
        Format::Csv,
    ] {
        let dir = base.join(format.name());
        write(&dir, &support::snapshot(), format);
        dirs.push(dir);
    }
    for d in &dirs[1..] {
        let out = eventmap(&["diff", s(&dirs[0]), s(d)]);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "No differences.\n",
            "geojson vs {}",
            d.display()
        );
        assert_eq!(out.status.code(), Some(0));
    }
    let mut fewer = support::snapshot();
    fewer.places.pop();
    let csv_old = base.join("csv-old");
    write(&csv_old, &fewer, Format::Csv);
    let out = eventmap(&["diff", s(&csv_old), s(&dirs[2])]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("  + Idlib (SY)"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let png = base.join("gpkg.svg");
    let out = eventmap(&["render", s(&dirs[2]), "--out", s(&png)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&base);
}
