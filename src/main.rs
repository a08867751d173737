//! The `eventmap` command line: parses arguments, calls the library, maps errors to exit codes.
//!
//! Exit codes: 0 all good, 1 some inputs failed (outputs for the rest were still written),
//! 2 usage or output errors.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Recognition and resolution allocate many small, short-lived vectors per document; mimalloc
/// serves them from per-thread free lists.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turn news text into map layers: find places, geocode them offline, extract events and
/// territorial control, and write styled GeoJSON layers.
#[derive(Parser)]
#[command(name = "eventmap", version, about)]
struct Cli {
    #[command(flatten)]
    global: cmd::Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Geoparse documents, extract events and territorial control, and write the map layers.
    Run(cmd::run::Args),
    /// Look up a place name in the gazetteer and print ranked candidates.
    Lookup(cmd::lookup::Args),
    /// Read documents from files, folders, feeds, URLs or stdin and print them as JSONL.
    Ingest(cmd::ingest::Args),
    /// Build or inspect gazetteer indexes.
    #[command(subcommand)]
    Gazetteer(cmd::gazetteer::Command),
    /// Show what changed between two snapshot directories (exit 1 when they differ).
    Diff(cmd::diff::Args),
    /// Draw a snapshot as a static map (SVG or PNG).
    Render(cmd::render::Args),
    /// Find and resolve every place named in each document; one JSON line per document.
    Geoparse(cmd::geoparse::Args),
    /// Geoparse a gold corpus and print recognition and resolution scores.
    Eval(cmd::eval::Args),
    /// Fit the recognizer's decision model on gold corpora (held-out split by document id).
    Train(cmd::train::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => cmd::run::run(&cli.global, args),
        Command::Lookup(args) => cmd::lookup::run(&cli.global, args),
        Command::Ingest(args) => cmd::ingest::run(&cli.global, args),
        Command::Gazetteer(command) => cmd::gazetteer::run(&cli.global, command),
        Command::Diff(args) => cmd::diff::run(&cli.global, args),
        Command::Render(args) => cmd::render::run(&cli.global, args),
        Command::Geoparse(args) => cmd::geoparse::run(&cli.global, args),
        Command::Eval(args) => cmd::eval::run(&cli.global, args),
        Command::Train(args) => cmd::train::run(&cli.global, args),
    };
    match result {
        Ok(code) => code,
        // The reader of standard output went away (`eventmap geoparse … | head`): stop
        // quietly, as command-line tools do.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("eventmap: error: {}", message(&err));
            ExitCode::from(2)
        }
    }
}

/// `err` and its causes joined by ": ", saying nothing twice: library errors name their cause
/// in their own message ("{path}: {source}"), which the chain would repeat, and a cause that
/// starts with the path the message before it ends with ("cannot write the layers to X" then
/// "X: File exists") is not given that path again.
fn message(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if out.ends_with(&text) {
            continue;
        }
        // The path ends the message as a word of its own ("… to /tmp/out"), not by chance.
        let text = match text.split_once(": ") {
            Some((head, rest)) if out.ends_with(&format!(" {head}")) => rest,
            _ => &text,
        };
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(text);
    }
    out
}

/// Whether `err` comes from writing to a pipe whose reader has closed it.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::message;

    /// An error that names its path and cause in its own message, as the library's do.
    #[derive(Debug)]
    struct AtPath(&'static str, std::io::Error);

    impl std::fmt::Display for AtPath {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{}: {}", self.0, self.1)
        }
    }

    impl std::error::Error for AtPath {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.1)
        }
    }

    #[test]
    fn each_cause_is_said_once() {
        let io = || std::io::Error::new(std::io::ErrorKind::AlreadyExists, "File exists");
        let at = |path| anyhow::Error::new(AtPath(path, io()));
        let cases = [
            (
                at("/tmp/out").context("cannot write the layers to /tmp/out"),
                "cannot write the layers to /tmp/out: File exists",
            ),
            (
                at("/tmp/out/events.geojson").context("cannot write the layers to /tmp/out"),
                "cannot write the layers to /tmp/out: /tmp/out/events.geojson: File exists",
            ),
            (at("/tmp/out"), "/tmp/out: File exists"),
            (
                anyhow::Error::new(io()).context("reading x.jsonl"),
                "reading x.jsonl: File exists",
            ),
            // A number that ends the message by chance is no path.
            (
                anyhow::anyhow!("2: not a number").context("at line 12"),
                "at line 12: 2: not a number",
            ),
        ];
        for (err, want) in cases {
            assert_eq!(message(&err), want);
        }
    }
}
