//! Progress reporting and the end-of-run summary, shared by the commands that read documents.
//!
//! On a terminal, an `indicatif` bar on stderr shows documents, megabytes, rate and ETA (when the
//! total input size is known); otherwise a plain log line is written every few seconds. Input
//! warnings and errors are printed above the bar. `--quiet` keeps only errors. The summary line
//! (documents read/failed, places, events, control changes, time, MB/s) is printed at the end.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::InputError;

/// Counts gathered over a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunStats {
    /// Documents read and processed.
    pub documents: u64,
    /// Inputs (files, lines, URLs) that failed.
    pub failed: u64,
    /// Warnings (lossy UTF-8, skipped binary files, unreadable dates, ...).
    pub warnings: u64,
    /// Input bytes read (files, lines, response bodies).
    pub bytes: u64,
    /// Resolved place mentions.
    pub places: u64,
    /// Events extracted.
    pub events: u64,
    /// Control statements / changes extracted.
    pub control_changes: u64,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
    /// True when `--strict` stopped the run at the first bad input.
    pub aborted: bool,
}

impl RunStats {
    /// The process exit code for these stats: 0 when every input was read, 1 when some failed
    /// (or `--strict` stopped the run). Usage and output errors (code 2) are the caller's.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.failed > 0 || self.aborted)
    }

    /// Throughput in MB/s (10^6 bytes of input per second).
    pub fn mb_per_s(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        self.bytes as f64 / 1e6 / secs
    }

    /// One-line summary.
    pub fn summary(&self) -> String {
        let mut s = format!("{} documents read, {} failed", self.documents, self.failed);
        if self.warnings > 0 {
            s.push_str(&format!(", {} warnings", self.warnings));
        }
        s.push_str(&format!(
            "; {} places, {} events, {} control changes; {:.1} MB in {:.2} s ({:.1} MB/s)",
            self.places,
            self.events,
            self.control_changes,
            self.bytes as f64 / 1e6,
            self.elapsed.as_secs_f64(),
            self.mb_per_s()
        ));
        if self.aborted {
            s.push_str("; stopped early (--strict)");
        }
        s
    }
}

/// Progress display for one run.
pub struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
    start: Instant,
    last_log: Instant,
    log_every: Duration,
    documents: u64,
    bytes: u64,
    input_bytes: Option<Arc<AtomicU64>>,
}

impl Progress {
    /// A progress display; a bar is drawn only when stderr is a terminal and not `quiet`.
    /// `total_bytes` (the input size, when known) enables the ETA.
    pub fn new(quiet: bool, total_bytes: Option<u64>) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = match total_bytes {
                Some(t) if t > 0 => ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr()),
                _ => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
            };
            let template = if total_bytes.is_some_and(|t| t > 0) {
                "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg} ({bytes_per_sec}, ETA {eta})"
            } else {
                "{spinner} [{elapsed_precise}] {bytes} {msg} ({bytes_per_sec})"
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        let now = Instant::now();
        Progress {
            bar,
            quiet,
            start: now,
            last_log: now,
            log_every: Duration::from_secs(10),
            documents: 0,
            bytes: 0,
            input_bytes: None,
        }
    }

    /// Show progress in input bytes read (see [`super::Inputs::bytes_counter`]) instead of
    /// document text bytes, so that the bar and ETA match the total input size.
    pub fn track_input_bytes(&mut self, counter: Arc<AtomicU64>) {
        self.input_bytes = Some(counter);
    }

    /// Input bytes read so far (or document bytes when no counter is tracked).
    pub fn bytes(&self) -> u64 {
        self.input_bytes
            .as_ref()
            .map_or(self.bytes, |c| c.load(Ordering::Relaxed))
    }

    /// Documents counted so far.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// Time since the progress display was created.
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// Count one processed document of `bytes` bytes.
    pub fn document(&mut self, bytes: u64) {
        self.documents += 1;
        self.bytes += bytes;
        let pos = self.bytes();
        if let Some(bar) = &self.bar {
            bar.set_position(pos);
            if self.documents % 64 == 1 {
                bar.set_message(format!("{} docs", self.documents));
            }
        } else if !self.quiet && self.last_log.elapsed() >= self.log_every {
            self.last_log = Instant::now();
            let secs = self.start.elapsed().as_secs_f64().max(1e-9);
            eprintln!(
                "eventmap: {} documents, {:.1} MB, {:.1} MB/s",
                self.documents,
                pos as f64 / 1e6,
                pos as f64 / 1e6 / secs
            );
        }
    }

    /// Print a line on stderr without breaking the bar.
    pub fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Report an input problem (`warning:` or `error:` prefix); warnings are hidden when quiet.
    pub fn input_error(&self, err: &InputError) {
        if err.is_warning() {
            if !self.quiet {
                self.println(&format!("eventmap: warning: {err}"));
            }
        } else {
            self.println(&format!("eventmap: error: {err}"));
        }
    }

    /// Remove the bar and print the summary (unless quiet).
    pub fn finish(&self, stats: &RunStats) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if !self.quiet {
            eprintln!("eventmap: {}", stats.summary());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_and_exit_code() {
        let mut s = RunStats {
            documents: 10,
            bytes: 2_000_000,
            places: 40,
            events: 3,
            control_changes: 1,
            elapsed: Duration::from_secs(1),
            ..Default::default()
        };
        assert_eq!(s.exit_code(), 0);
        assert_eq!(
            s.summary(),
            "10 documents read, 0 failed; 40 places, 3 events, 1 control changes; 2.0 MB in 1.00 s (2.0 MB/s)"
        );
        s.failed = 1;
        assert_eq!(s.exit_code(), 1);
        s.failed = 0;
        s.warnings = 2;
        assert_eq!(s.exit_code(), 0);
        s.aborted = true;
        assert_eq!(s.exit_code(), 1);
    }
}
