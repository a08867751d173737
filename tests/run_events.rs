//! `eventmap run` end to end: the project's example snapshot in `output/` is exactly what the
//! current code produces, a project-written article with the seed article's traps gives the
//! expected events and control, project-written news sentences give their events, and output
//! does not depend on thread count or input order.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_eventmap"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("eventmap-run-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs `eventmap run -q ARGS… INPUT --out OUT` and asserts it succeeded, showing its errors if
/// not.
fn run_ok(args: &[&str], input: &Path, out: &Path) {
    let st = bin()
        .args(["run", "-q"])
        .args(args)
        .arg(input)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
}

fn features(dir: &Path, layer: &str) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(dir.join(format!("{layer}.geojson"))).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"].clone())
        .collect()
}

#[test]
fn example_output_is_current() {
    // The documented command; regenerate with:
    //   eventmap run examples/articles --out output
    let out = bin()
        .current_dir(root())
        .args([
            "run",
            "examples/articles",
            "--out",
            "output",
            "--check",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "output/ is stale; run `eventmap run examples/articles --out output`:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn seed_like_article() {
    let dir = tmp("talks");
    let st = bin()
        .args(["run", "--date", "2016-08-26", "-q", "--out"])
        .arg(&dir)
        .arg(root().join("tests/fixtures/talks-2016-08-26.txt"))
        .status()
        .unwrap();
    assert!(st.success());
    let events = features(&dir, "events");
    let control = features(&dir, "control");
    let dump = format!("{events:#?}\n{control:#?}");
    let ev = |sub: &str, place: &str| {
        events
            .iter()
            .find(|e| e["sub_event_type"] == sub && e["location"] == place)
            .unwrap_or_else(|| panic!("no {sub} at {place}:\n{dump}"))
            .clone()
    };
    let agreement = ev("Agreement", "Geneva");
    assert_eq!(agreement["status"], "failed");
    assert_eq!(agreement["event_type"], "Strategic developments");
    let parties = [agreement["actor1"].as_str(), agreement["actor2"].as_str()];
    assert!(
        parties.contains(&Some("United States")) && parties.contains(&Some("Russia")),
        "{dump}"
    );

    let daraya = control
        .iter()
        .find(|c| c["place"] == "Daraya")
        .expect(&dump);
    assert_eq!(daraya["status"], "controlled");
    assert_eq!(daraya["controller_inter"], "State forces");
    assert_eq!(daraya["controller"], "Military Forces of Syria");
    assert_eq!(daraya["previous_controller"], "Opposition Rebels (Syria)");
    assert_eq!(daraya["since"], "2016-08-26");
    assert!(daraya["besieged_by"].is_null());
    ev("Non-violent transfer of territory", "Daraya");

    let aleppo = control
        .iter()
        .find(|c| c["place"] == "Aleppo")
        .expect(&dump);
    assert_eq!(aleppo["status"], "besieged");
    assert!(
        aleppo["besieged_by"]
            .as_str()
            .unwrap_or("")
            .contains("Military Forces of Syria")
    );
    ev("Shelling/artillery/missile attack", "Aleppo");
    let offensive = ev("Armed clash", "Aleppo");
    assert_eq!(offensive["geo_precision"], 2);
    let gains = ev("Government regains territory", "Damascus");
    assert!(gains["geo_precision"].as_u64().unwrap() >= 2);

    for layer in ["events", "control", "control_changes", "places"] {
        for f in features(&dir, layer) {
            assert_ne!(f["country_code"], "IE", "nothing in Ireland: {f}");
        }
    }
}

/// `tests/fixtures/news-sentences.tsv` and `news-sentences-2.tsv`: one document per sentence
/// through the whole pipeline; the share whose event (sub-type at the place) is found, and of
/// those with actor1 too.
#[test]
fn news_sentences() {
    for file in [
        "news-sentences.tsv",
        "news-sentences-2.tsv",
        "news-sentences-3.tsv",
        "news-sentences-4.tsv",
        "news-sentences-5.tsv",
        "news-headlines.tsv",
    ] {
        news_sentences_of(file);
    }
}

/// The rows of a fixture table in `tests/fixtures`: tab-separated columns, lines starting with
/// `#` and blank lines skipped.
fn fixture_rows(file: &str) -> Vec<Vec<String>> {
    let table = std::fs::read_to_string(root().join("tests/fixtures").join(file)).unwrap();
    table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// Runs `eventmap run` over `texts`, one document each (ids `{prefix}00`, `{prefix}01`, …,
/// dated 2024-06-01), in a fresh directory named `name`; returns the output directory.
fn run_texts<'a>(name: &str, prefix: &str, texts: impl Iterator<Item = &'a str>) -> PathBuf {
    let dir = tmp(name);
    let input = dir.join("docs.jsonl");
    let jsonl: String = texts
        .enumerate()
        .map(|(i, t)| {
            format!(
                "{}\n",
                serde_json::json!({"id": format!("{prefix}{i:02}"), "text": t, "date": "2024-06-01"})
            )
        })
        .collect();
    std::fs::write(&input, jsonl).unwrap();
    let out = dir.join("out");
    run_ok(&[], &input, &out);
    out
}

fn news_sentences_of(file: &str) {
    let rows = fixture_rows(file);
    let out = run_texts(
        file.trim_end_matches(".tsv"),
        "s",
        rows.iter().map(|r| r[0].as_str()),
    );
    let events = features(&out, "events");
    let (mut found, mut with_actor) = (0, 0);
    let mut misses = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let id = format!("s{i:02}");
        let hits: Vec<&serde_json::Value> = events
            .iter()
            .filter(|e| {
                e["sources"]
                    .as_str()
                    .is_some_and(|s| s.split(',').any(|x| x.trim() == id))
                    && e["sub_event_type"] == r[1]
                    && e["location"] == r[2]
            })
            .collect();
        let actor = r.get(3).map_or("", String::as_str);
        if !hits.is_empty() {
            found += 1;
        }
        if hits
            .iter()
            .any(|e| actor.is_empty() || e["actor1"] == actor)
        {
            with_actor += 1;
        } else {
            misses.push(format!("{} (want {} @ {} {actor})", r[0], r[1], r[2]));
        }
    }
    let n = rows.len() as f64;
    eprintln!(
        "{file}: event {found}/{}, with actor1 {with_actor}/{}\n{}",
        rows.len(),
        rows.len(),
        misses.join("\n")
    );
    assert!(rows.len() >= 20);
    assert!(
        found as f64 / n >= 0.75,
        "events found {found}/{}",
        rows.len()
    );
    assert!(
        with_actor as f64 / n >= 0.7,
        "with actor1 {with_actor}/{}",
        rows.len()
    );
}

/// Who holds which place, in sentences written for the project
/// (`tests/fixtures/control-sentences.tsv`): the statement found for most of them.
#[test]
fn control_sentences() {
    let rows = fixture_rows("control-sentences.tsv");
    let out = run_texts("control-sentences", "c", rows.iter().map(|r| r[0].as_str()));
    let control = features(&out, "control");
    let mut misses = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let id = format!("c{i:02}");
        let side = r.get(3).map_or("", String::as_str);
        let found = control.iter().any(|c| {
            c["sources"]
                .as_str()
                .is_some_and(|s| s.split(';').any(|x| x == id))
                && c["place"] == r[1]
                && c["status"] == r[2]
                && (side.is_empty() || c["controller"] == side || c["besieged_by"] == side)
        });
        if !found {
            misses.push(format!("{} (want {} {} {side})", r[0], r[1], r[2]));
        }
    }
    eprintln!(
        "control-sentences.tsv: {}/{}\n{}",
        rows.len() - misses.len(),
        rows.len(),
        misses.join("\n")
    );
    assert!(rows.len() >= 12);
    assert!(
        (rows.len() - misses.len()) as f64 / rows.len() as f64 >= 0.7,
        "{} misses",
        misses.len()
    );
}

/// Ordinary news with trigger words gives no event (`tests/fixtures/news-non-events.txt`).
#[test]
fn news_non_events() {
    let lines = fixture_rows("news-non-events.txt");
    assert!(lines.len() >= 10);
    let out = run_texts("non-events", "n", lines.iter().map(|l| l[0].as_str()));
    let events = features(&out, "events");
    let found: Vec<String> = events
        .iter()
        .map(|e| {
            format!(
                "{} at {}: {}",
                e["sub_event_type"], e["location"], e["notes"]
            )
        })
        .collect();
    assert!(
        found.is_empty(),
        "events in ordinary news:\n{}",
        found.join("\n")
    );
}

/// "the Libyan capital" places events at the capital the gazetteer records for the country,
/// under the capital's name, and taking a site of a place leaves the place contested.
#[test]
fn capitals_named_by_description() {
    let dir = tmp("capitals");
    let input = dir.join("capitals.txt");
    std::fs::write(
        &input,
        "Heavy clashes erupted overnight in the Libyan capital between the Radaa force and the \
         444 Brigade, residents said.\n\n\
         Russian missiles struck the Ukrainian capital on Tuesday, killing three people.\n\n\
         The army retook the Sudanese capital's main airport from the Rapid Support Forces.\n\n\
         Investors fled Russian capital markets after the sanctions.\n",
    )
    .unwrap();
    let out = dir.join("out");
    run_ok(&["--date", "2024-05-14"], &input, &out);
    let mut events: Vec<(String, String, u64)> = features(&out, "events")
        .iter()
        .map(|e| {
            (
                e["sub_event_type"].as_str().unwrap().to_string(),
                e["location"].as_str().unwrap().to_string(),
                e["geonameid"].as_u64().unwrap(),
            )
        })
        .collect();
    events.sort();
    let want = [
        ("Armed clash", "Tripoli", 2210247),
        ("Government regains territory", "Khartoum", 379252),
        ("Shelling/artillery/missile attack", "Kyiv", 703448),
    ];
    let want: Vec<(String, String, u64)> = want
        .iter()
        .map(|(t, l, g)| (t.to_string(), l.to_string(), *g))
        .collect();
    assert_eq!(events, want);
    let control = features(&out, "control");
    assert_eq!(control.len(), 1);
    assert_eq!(control[0]["place"], "Khartoum");
    assert_eq!(control[0]["status"], "contested");
    let mut places: Vec<String> = features(&out, "places")
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    places.sort();
    assert_eq!(places, ["Khartoum", "Kyiv", "Tripoli"]);
}

#[test]
fn output_does_not_depend_on_threads_or_order() {
    let articles = root().join("examples/articles");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&articles)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let a = tmp("t1");
    let b = tmp("t2");
    assert!(
        bin()
            .args(["run", "-q", "--threads", "1", "--out"])
            .arg(&a)
            .args(&files)
            .status()
            .unwrap()
            .success()
    );
    files.reverse();
    assert!(
        bin()
            .args(["run", "-q", "--threads", "2", "--out"])
            .arg(&b)
            .args(&files)
            .status()
            .unwrap()
            .success()
    );
    for layer in ["events", "control", "control_changes", "places"] {
        let x = std::fs::read(a.join(format!("{layer}.geojson"))).unwrap();
        let y = std::fs::read(b.join(format!("{layer}.geojson"))).unwrap();
        assert!(x == y, "{layer} differs between runs");
    }
}

#[test]
fn bad_actor_file_is_a_usage_error() {
    let dir = tmp("bad-actors");
    let actors = dir.join("actors.tsv");
    std::fs::write(&actors, "actor\tX\tNot a category\t-\tx\n").unwrap();
    let out = bin()
        .args(["run", "-q", "--out"])
        .arg(dir.join("out"))
        .arg("--actors")
        .arg(&actors)
        .arg(root().join("tests/fixtures/talks-2016-08-26.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Not a category"));
}

#[test]
fn strict_run_that_stops_leaves_the_layers_alone() {
    let dir = tmp("strict");
    let out_dir = dir.join("layers");
    let good = dir.join("good.txt");
    std::fs::write(
        &good,
        "Shelling hit the town of Daraya, a suburb of Damascus, on Monday.\n",
    )
    .unwrap();
    let run = |extra: &[&str], input: &Path| {
        bin()
            .args(["run", "-q"])
            .args(extra)
            .arg("--out")
            .arg(&out_dir)
            .arg(input)
            .output()
            .unwrap()
    };
    // A first, complete run writes the layers.
    let first = run(&[], &good);
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    let before = std::fs::read(out_dir.join("places.geojson")).unwrap();

    // A strict run that meets a malformed JSONL line stops, exits 1 and writes nothing.
    let bad = dir.join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"id\": \"a\", \"text\": \"Clashes were reported in Aleppo.\"}\nnot json\n",
    )
    .unwrap();
    let strict = run(&["--strict"], &bad);
    assert_eq!(strict.status.code(), Some(1), "{strict:?}");
    let err = String::from_utf8_lossy(&strict.stderr);
    assert!(err.contains("bad.jsonl:2"), "{err}");
    assert!(err.contains("no layers written"), "{err}");
    assert_eq!(
        std::fs::read(out_dir.join("places.geojson")).unwrap(),
        before
    );

    // Without --strict the bad line is skipped and the rest is written (exit 1: some input failed).
    let lenient = run(&[], &bad);
    assert_eq!(lenient.status.code(), Some(1), "{lenient:?}");
    let places = std::fs::read_to_string(out_dir.join("places.geojson")).unwrap();
    assert!(places.contains("Aleppo"), "{places}");
}
