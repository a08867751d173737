#!/usr/bin/env bash
# Throughput benchmark: the dev corpora (../shared/corpora, reduced to id/text/title/url by
# `eventmap ingest`) repeated to about SIZE_MB megabytes, then `ingest`, `geoparse` and `run`
# on one thread and on all cores. Prints MB/s (10^6 bytes of JSONL input per second), documents/s
# and peak memory (when /usr/bin/time is available). Repeating the corpora lets the per-thread
# caches of words and places warm up, as they do over a long run of real news; the rows marked
# "once" run over the corpora a single time, where every word and place is met for the first
# time and the start-up (loading the gazetteer and dictionaries) is part of the time.
#
#   scripts/bench.sh                 # 50 MB, all three commands
#   SIZE_MB=10 COMMANDS="geoparse run" scripts/bench.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
corpora="${CORPORA:-$root/../shared/corpora}"
size_mb="${SIZE_MB:-50}"
commands="${COMMANDS:-ingest geoparse run}"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="$target/release/eventmap"

if ! ls "$corpora"/*.jsonl >/dev/null 2>&1; then
    echo "bench: no corpora in $corpora (set CORPORA=DIR)" >&2
    exit 2
fi
(cd "$root" && cargo build --release --quiet)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin" ingest -q "$corpora"/*.jsonl > "$work/once.jsonl"
: > "$work/bench.jsonl"
while [ "$(stat -c %s "$work/bench.jsonl")" -lt $((size_mb * 1000000)) ]; do
    cat "$work/once.jsonl" >> "$work/bench.jsonl"
done
bytes=$(stat -c %s "$work/bench.jsonl")
docs=$(wc -l < "$work/bench.jsonl")
cores=$(nproc)
printf 'input: %d documents, %.1f MB; %d cores\n' "$docs" "$(echo "$bytes / 1000000" | bc -l)" "$cores"
printf '%-14s %7s %9s %10s %9s\n' command threads "MB/s" "docs/s" "peak MB"

measure() {
    local cmd=$1 threads=$2 input=${3:-$work/bench.jsonl} label=${4:-$1}
    local args=("$cmd" -q -j "$threads" "$input")
    [ "$cmd" = run ] && args+=(--out "$work/out")
    local in_bytes in_docs start end secs peak="-"
    in_bytes=$(stat -c %s "$input")
    in_docs=$(wc -l < "$input")
    if [ -x /usr/bin/time ]; then
        start=$(date +%s.%N)
        /usr/bin/time -f '%M' -o "$work/time" "$bin" "${args[@]}" > /dev/null
        end=$(date +%s.%N)
        peak=$(echo "$(cat "$work/time") / 1024" | bc)
    else
        start=$(date +%s.%N)
        "$bin" "${args[@]}" > /dev/null
        end=$(date +%s.%N)
    fi
    secs=$(echo "$end - $start" | bc -l)
    printf '%-14s %7s %9.1f %10.0f %9s\n' "$label" "$threads" \
        "$(echo "$in_bytes / 1000000 / $secs" | bc -l)" "$(echo "$in_docs / $secs" | bc -l)" "$peak"
}

for cmd in $commands; do
    measure "$cmd" 1
    [ "$cores" -gt 1 ] && measure "$cmd" "$cores"
    [ "$cmd" != ingest ] && measure "$cmd" 1 "$work/once.jsonl" "$cmd (once)"
done
