//! Runs the real binary's `geoparse` on a project-written article with the traps of conflict
//! news: people named like places (Kerry), organizations (Nusra Front, Hezbollah, Islamic State),
//! demonyms, metonyms (Washington, Moscow), and "X, a suburb of Y".

use std::process::Command;

use serde_json::Value;

fn geoparse(args: &[&str]) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .arg("geoparse")
        .arg("--quiet")
        .args(args)
        .output()
        .expect("run eventmap");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn resolves_the_places_and_skips_the_traps() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/syria-talks.txt"
    );
    let docs = geoparse(&[path]);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["id"], "syria-talks.txt");
    let tops = docs[0]["toponyms"].as_array().unwrap();
    let found = |name: &str| {
        tops.iter()
            .filter(|t| t["name"] == name)
            .collect::<Vec<_>>()
    };
    for (name, id) in [
        ("United States", 6252001),
        ("Russia", 2017370),
        ("Geneva", 2660646),
        ("Aleppo", 170063),
        ("Daraya", 170892),
        ("Damascus", 170654),
        ("Iran", 130758),
        ("Washington", 4140963),
        ("Moscow", 524901),
    ] {
        let hits = found(name);
        assert!(!hits.is_empty(), "{name} not found in {tops:#?}");
        for t in hits {
            assert_eq!(t["geonameid"], id, "{name}");
            assert_eq!(t["kind"], "place");
        }
    }
    let syrian = found("Syrian");
    assert_eq!(syrian.len(), 1);
    assert_eq!(syrian[0]["kind"], "demonym");
    assert_eq!(syrian[0]["country_code"], "SY");
    for not_a_place in [
        "Kerry",
        "John Kerry",
        "Lavrov",
        "Sergei Lavrov",
        "Assad",
        "Bashar Assad",
        "Hezbollah",
        "Nusra",
        "Islamic State",
    ] {
        assert!(
            found(not_a_place).is_empty(),
            "{not_a_place} is not a place: {tops:#?}"
        );
    }
    assert!(
        tops.iter().all(|t| t["country_code"] != "IE"),
        "nothing in Ireland"
    );
    // Offsets: code points and bytes both point at the name.
    let text = std::fs::read_to_string(path).unwrap();
    for t in tops {
        let (bs, be) = (
            t["byte_start"].as_u64().unwrap() as usize,
            t["byte_end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[bs..be], t["name"].as_str().unwrap());
        let (s, e) = (
            t["start"].as_u64().unwrap() as usize,
            t["end"].as_u64().unwrap() as usize,
        );
        let by_chars: String = text.chars().skip(s).take(e - s).collect();
        assert_eq!(by_chars, t["name"].as_str().unwrap());
        let c = t["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
    }
}

#[test]
fn jsonl_input_keeps_order_and_ids_whatever_the_thread_count() {
    let dir = std::env::temp_dir().join(format!("eventmap-geoparse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("docs.jsonl");
    let mut body = String::new();
    for k in 0..40 {
        let text = if k % 2 == 0 {
            "Shelling hit Aleppo again."
        } else {
            "Talks resumed in Geneva on Monday."
        };
        body.push_str(&serde_json::json!({"id": format!("d{k}"), "text": text}).to_string());
        body.push('\n');
    }
    std::fs::write(&path, body).unwrap();
    let one = geoparse(&["--threads", "1", path.to_str().unwrap()]);
    let two = geoparse(&["--threads", "2", path.to_str().unwrap()]);
    assert_eq!(one, two);
    assert_eq!(one.len(), 40);
    for (k, d) in one.iter().enumerate() {
        assert_eq!(d["id"], format!("d{k}"));
        let want = if k % 2 == 0 { 170063 } else { 2660646 };
        assert_eq!(d["toponyms"][0]["geonameid"], want);
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Scores the dev corpora when they are present next to the project (skipped otherwise).
#[test]
fn eval_matches_published_definitions_on_dev_corpora() {
    let corpus = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpora/trnews.jsonl"
    );
    if !std::path::Path::new(corpus).exists() {
        eprintln!("SKIPPED: {corpus} is absent");
        return;
    }
    let out = Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .args(["eval", "--json", "--corpus", corpus])
        .output()
        .unwrap();
    assert!(out.status.success());
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(s["overlap"]["f1"].as_f64().unwrap() >= 0.80, "{s}");
    assert!(s["end_to_end_acc161"].as_f64().unwrap() >= 0.70, "{s}");
}
