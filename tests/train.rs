//! `eventmap train` reproduces the committed model weights (`data/models/`) from the dev corpora
//! (`../shared/corpora`, read where present; the test says so and passes where they are absent).

use std::path::Path;
use std::process::Command;

#[test]
fn train_reproduces_the_committed_models() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpora = root.join("../shared/corpora");
    let names = ["lgl.jsonl", "trnews.jsonl", "geovirus.jsonl"];
    if !names.iter().all(|n| corpora.join(n).is_file()) {
        eprintln!("skipped: no dev corpora in {}", corpora.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (rec, res, conf) = (
        dir.path().join("recognizer.tsv"),
        dir.path().join("resolver.tsv"),
        dir.path().join("confidence.tsv"),
    );
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_eventmap"));
    cmd.arg("train");
    for n in names {
        cmd.arg("--corpus").arg(corpora.join(n));
    }
    let out = cmd
        .arg("--out")
        .arg(&rec)
        .arg("--resolver-out")
        .arg(&res)
        .arg("--calibration-out")
        .arg(&conf)
        .output()
        .expect("run eventmap train");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (trained, committed) in [
        (&rec, "data/models/recognizer.tsv"),
        (&res, "data/models/resolver.tsv"),
        (&conf, "data/models/confidence.tsv"),
    ] {
        let trained = weights(&std::fs::read_to_string(trained).unwrap());
        let want = weights(&std::fs::read_to_string(root.join(committed)).unwrap());
        assert_eq!(
            trained.iter().map(|w| &w.0).collect::<Vec<_>>(),
            want.iter().map(|w| &w.0).collect::<Vec<_>>(),
            "{committed}: features"
        );
        // Written with four decimals; a last-bit difference of a math library between machines
        // may move the last one.
        for ((name, a), (_, b)) in trained.iter().zip(&want) {
            assert!(
                (a - b).abs() <= 2e-3,
                "{committed}: {name} {a} trained, {b} committed"
            );
        }
    }
}

/// The (feature, weight) rows of a model file, comments left out.
fn weights(tsv: &str) -> Vec<(String, f64)> {
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (name, w) = l.split_once('\t').expect("feature<TAB>weight");
            (name.to_string(), w.trim().parse().expect("a number"))
        })
        .collect()
}
