//! Real QGIS and GDAL checks of the written layers (see `tests/qgis/check_layers.py`).
//!
//! Needs Debian's `python3-qgis` and `gdal-bin` (the system `/usr/bin/python3`, not a virtualenv).
//! Where they are missing the test prints `SKIPPED` with the reason and returns without failing.

mod support;

use std::path::Path;
use std::process::Command;

use eventmap::layers::{self, Format, LayerOptions};

const PYTHON: &str = "/usr/bin/python3";

fn qgis_available() -> Result<(), String> {
    let ok = Command::new(PYTHON)
        .args(["-c", "import qgis.core"])
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if ok {
        Ok(())
    } else {
        Err("python3-qgis is not installed (apt-get install -y python3-qgis)".into())
    }
}

fn ogrinfo(args: &[&str]) -> Option<String> {
    let out = Command::new("ogrinfo").args(args).output().ok()?;
    assert!(
        out.status.success(),
        "ogrinfo {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn layers_open_styled_in_qgis() {
    if let Err(why) = qgis_available() {
        println!("SKIPPED layers_open_styled_in_qgis: {why}");
        eprintln!("SKIPPED layers_open_styled_in_qgis: {why}");
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/qgis/check_layers.py");
    for format in [
        Format::GeoJson,
        Format::GeoJsonSeq,
        Format::Gpkg,
        Format::Csv,
    ] {
        // Kept under the cargo target directory for inspection.
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("qgis-{format}"));
        let _ = std::fs::remove_dir_all(&dir);
        let opts = LayerOptions {
            format,
            ..Default::default()
        };
        layers::write_snapshot(&dir, &support::snapshot(), &opts).unwrap();
        let png = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("qgis-{format}.png"));
        check_in_qgis(&script, &dir, format, &png, false, &format.to_string());
    }
}

#[test]
fn ogrinfo_reads_geojson_and_gpkg_types() {
    if ogrinfo(&["--version"]).is_none() {
        println!("SKIPPED ogrinfo_reads_geojson_and_gpkg_types: gdal-bin is not installed");
        eprintln!("SKIPPED ogrinfo_reads_geojson_and_gpkg_types: gdal-bin is not installed");
        return;
    }
    for format in [Format::GeoJson, Format::Gpkg] {
        let dir = support::temp_dir(&format!("ogr-{format}"));
        let opts = LayerOptions {
            format,
            ..Default::default()
        };
        layers::write_snapshot(&dir, &support::snapshot(), &opts).unwrap();
        let (src, layer) = match format {
            Format::Gpkg => (dir.join("eventmap.gpkg"), "events"),
            _ => (dir.join("events.geojson"), "events"),
        };
        let info = ogrinfo(&["-so", src.to_str().unwrap(), layer]).unwrap();
        for want in [
            "Geometry: Point",
            "Feature Count: 4",
            "date: Date",
            "geonameid: Integer",
            "fatalities: Integer",
            "confidence: Real",
            "event_type: String",
        ] {
            assert!(info.contains(want), "{format}: no {want:?} in\n{info}");
        }
        if format == Format::Gpkg {
            let all = ogrinfo(&["-q", src.to_str().unwrap()]).unwrap();
            for l in ["events", "control", "control_changes", "places"] {
                assert!(all.contains(&format!(": {l} (Point)")), "{all}");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Runs `eventmap run` on `input` into a fresh directory under the cargo target dir and checks it
/// with QGIS in every format.
/// Runs the QGIS check script on the layers in `dir` (rendering to `png`) and fails with its
/// output when a check fails.
fn check_in_qgis(
    script: &Path,
    dir: &Path,
    format: Format,
    png: &Path,
    allow_empty: bool,
    label: &str,
) {
    let mut cmd = Command::new(PYTHON);
    cmd.arg(script)
        .arg(dir)
        .arg(format.name())
        .arg(png)
        .env("QT_QPA_PLATFORM", "offscreen");
    if allow_empty {
        cmd.arg("--allow-empty");
    }
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("--- {label} ---\n{text}");
    assert!(
        out.status.success(),
        "QGIS checks failed for {label}:\n{text}"
    );
}

fn run_and_check(name: &str, input: &Path, extra: &[&str], allow_empty: bool) {
    let has_run = Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .args(["run", "--help"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_run {
        println!("SKIPPED {name}: this build has no `eventmap run` subcommand");
        eprintln!("SKIPPED {name}: this build has no `eventmap run` subcommand");
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/qgis/check_layers.py");
    for format in [
        Format::GeoJson,
        Format::GeoJsonSeq,
        Format::Gpkg,
        Format::Csv,
    ] {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{format}"));
        let _ = std::fs::remove_dir_all(&dir);
        let run = Command::new(env!("CARGO_BIN_EXE_eventmap"))
            .arg("run")
            .arg(input)
            .args(extra)
            .args([
                "--out",
                dir.to_str().unwrap(),
                "--format",
                format.name(),
                "-q",
            ])
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "eventmap run failed: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let png = dir.join("qgis-render.png");
        check_in_qgis(
            &script,
            &dir,
            format,
            &png,
            allow_empty,
            &format!("{name} {format}"),
        );
    }
}

#[test]
fn run_output_opens_styled_in_qgis() {
    if let Err(why) = qgis_available() {
        println!("SKIPPED run_output_opens_styled_in_qgis: {why}");
        eprintln!("SKIPPED run_output_opens_styled_in_qgis: {why}");
        return;
    }
    let articles =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layers/articles.jsonl");
    run_and_check("run-fixture", &articles, &[], true);
}

/// The seed article (not part of the repository): `EVENTMAP_SEED_ARTICLE`, or
/// `../shared/examples/geneva-talks-2016-08-26.txt` next to the project when present.
#[test]
fn seed_article_opens_in_qgis() {
    let default = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/examples/geneva-talks-2016-08-26.txt");
    let seed = match std::env::var_os("EVENTMAP_SEED_ARTICLE") {
        Some(p) => std::path::PathBuf::from(p),
        None if default.exists() => default,
        None => {
            println!(
                "SKIPPED seed_article_opens_in_qgis: no seed article (set EVENTMAP_SEED_ARTICLE)"
            );
            eprintln!(
                "SKIPPED seed_article_opens_in_qgis: no seed article (set EVENTMAP_SEED_ARTICLE)"
            );
            return;
        }
    };
    if let Err(why) = qgis_available() {
        println!("SKIPPED seed_article_opens_in_qgis: {why}");
        eprintln!("SKIPPED seed_article_opens_in_qgis: {why}");
        return;
    }
    run_and_check("seed", Path::new(&seed), &["--date", "2016-08-26"], false);
}
