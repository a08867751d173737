//! `eventmap run` as a snapshot writer: byte-identical output whatever the thread count and input
//! order, `--check` exit codes, atomic writes, every format, and `diff` on real changes.
//! The input is `tests/fixtures/layers/articles.jsonl` (short articles written for these tests).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn eventmap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .args(args)
        .output()
        .unwrap()
}

/// `eventmap run` exists in this build (it is skipped with a message, not passed, otherwise).
fn run_available(test: &str) -> bool {
    let ok = eventmap(&["run", "--help"]).status.success();
    if !ok {
        println!("SKIPPED {test}: this build has no `eventmap run` subcommand");
        eprintln!("SKIPPED {test}: this build has no `eventmap run` subcommand");
    }
    ok
}

fn articles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layers/articles.jsonl")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eventmap-run-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every file under `dir` (relative path → bytes), sorted.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

fn run_ok(args: &[&str]) -> Output {
    let out = eventmap(args);
    assert!(
        out.status.success(),
        "eventmap {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn same_bytes_for_any_thread_count_and_input_order() {
    if !run_available("same_bytes_for_any_thread_count_and_input_order") {
        return;
    }
    let work = temp_dir("determinism");
    let reversed = work.join("reversed.jsonl");
    let text = fs::read_to_string(articles()).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.reverse();
    fs::write(&reversed, lines.join("\n") + "\n").unwrap();
    for format in ["geojson", "geojsonseq", "gpkg", "csv"] {
        let a = work.join(format!("{format}-a"));
        let b = work.join(format!("{format}-b"));
        let input = articles();
        run_ok(&[
            "run",
            s(&input),
            "--out",
            s(&a),
            "--threads",
            "1",
            "--format",
            format,
            "-q",
        ]);
        run_ok(&[
            "run",
            s(&reversed),
            "--out",
            s(&b),
            "--threads",
            "2",
            "--format",
            format,
            "-q",
        ]);
        let (ta, tb) = (tree(&a), tree(&b));
        assert!(!ta.is_empty());
        assert_eq!(
            ta.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
            tb.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>()
        );
        for ((p, x), (_, y)) in ta.iter().zip(&tb) {
            assert!(x == y, "{format}: {} differs between runs", p.display());
        }
    }
    let events = fs::read_to_string(work.join("geojson-a/events.geojson")).unwrap();
    assert!(
        events.contains("\"type\":\"Feature\""),
        "no events extracted:\n{events}"
    );
    let _ = fs::remove_dir_all(&work);
}

#[test]
fn check_exit_codes_and_summary() {
    if !run_available("check_exit_codes_and_summary") {
        return;
    }
    let work = temp_dir("check");
    let out_dir = work.join("map");
    let input = articles();
    let args = |extra: &[&'static str]| -> Vec<String> {
        let mut v: Vec<String> = ["run", s(&input), "--out", s(&out_dir), "-q"]
            .iter()
            .map(|x| x.to_string())
            .collect();
        v.extend(extra.iter().map(|x| x.to_string()));
        v
    };
    let call = |extra: &[&'static str]| {
        let a = args(extra);
        eventmap(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    // Nothing written yet: check fails and writes nothing.
    let out = call(&["--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!out_dir.join("events.geojson").exists());
    assert!(String::from_utf8_lossy(&out.stderr).contains("events.geojson: missing"));

    let out = call(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = call(&["--check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A hand edit is reported, and check leaves the edited file alone.
    let places = out_dir.join("places.geojson");
    let edited =
        fs::read_to_string(&places)
            .unwrap()
            .replacen("\"mentions\":", "\"mentions\":1", 1);
    fs::write(&places, &edited).unwrap();
    fs::remove_file(out_dir.join("control.qml")).unwrap();
    let out = call(&["--check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("places.geojson: differs"), "{err}");
    assert!(err.contains("control.qml: missing"), "{err}");
    assert!(!err.contains("events.geojson"), "{err}");
    assert_eq!(fs::read_to_string(&places).unwrap(), edited);

    // Writing again restores the snapshot; no temporary files remain.
    call(&[]);
    assert_eq!(call(&["--check"]).status.code(), Some(0));
    assert!(
        tree(&out_dir)
            .iter()
            .all(|(p, _)| !p.to_string_lossy().contains(".eventmap-tmp-"))
    );
    let _ = fs::remove_dir_all(&work);
}

#[test]
fn diff_between_runs_names_the_new_events() {
    if !run_available("diff_between_runs_names_the_new_events") {
        return;
    }
    let work = temp_dir("diff");
    let text = fs::read_to_string(articles()).unwrap();
    let first: Vec<&str> = text.lines().take(1).collect();
    let part = work.join("first.jsonl");
    fs::write(&part, first.join("\n") + "\n").unwrap();
    let (old, new) = (work.join("old"), work.join("new"));
    run_ok(&["run", s(&part), "--out", s(&old), "-q"]);
    run_ok(&["run", s(&articles()), "--out", s(&new), "-q"]);
    let out = eventmap(&["diff", s(&old), s(&new)]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.contains("Events: ") && report.contains("  + "),
        "{report}"
    );
    let same = eventmap(&["diff", s(&new), s(&new)]);
    assert_eq!(same.status.code(), Some(0));
    let _ = fs::remove_dir_all(&work);
}

#[test]
fn an_output_that_cannot_be_written_is_reported_once_with_exit_code_2() {
    if !run_available("an_output_that_cannot_be_written_is_reported_once_with_exit_code_2") {
        return;
    }
    let dir = temp_dir("unwritable");
    let file = dir.join("not-a-directory");
    fs::write(&file, "kept as it is").unwrap();
    for out in [file.clone(), file.join("sub")] {
        let shown = out.display().to_string();
        let result = eventmap(&["run", "-q", s(&articles()), "--out", &shown]);
        assert_eq!(result.status.code(), Some(2), "--out {shown}");
        let stderr = String::from_utf8_lossy(&result.stderr);
        let line = stderr
            .lines()
            .find(|l| l.starts_with("eventmap: error:"))
            .unwrap_or_else(|| panic!("no error line for --out {shown}: {stderr}"));
        // The path and the operating system's reason, each once.
        assert_eq!(line.matches(shown.as_str()).count(), 1, "{line}");
        assert_eq!(line.matches("os error").count(), 1, "{line}");
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), "kept as it is");
    fs::remove_dir_all(&dir).unwrap();
}
