#!/usr/bin/env python3
"""Sanity checks over the converted gazetteer data; prints a summary, exits non-zero on failure.

Usage: python3 gazetteer/check.py [DATA_DIR [BASEMAP_GEOJSON]]

Checks the format contract (header, column counts, no `|`-free list columns with commas used as
separators, unique ids across files, sorted rows, coordinates in range) and a set of well-known
places that the lookup acceptance depends on.
"""

from __future__ import annotations

import collections
import gzip
import json
import os
import sys

FILES = ["continents.tsv", "countries.tsv", "admin1.tsv.gz", "admin2.tsv.gz", "places.tsv.gz",
         "regions.tsv"]


def read(path):
    opener = gzip.open if path.endswith(".gz") else open
    header = None
    rows = []
    problems = []
    with opener(path, "rt", encoding="utf-8", newline="\n") as fh:
        for n, line in enumerate(fh, start=1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            f = line.split("\t")
            if header is None:
                header = f
                continue
            if len(f) != len(header):
                problems.append(f"{os.path.basename(path)}:{n}: {len(f)} fields, header has {len(header)}")
                continue
            r = dict(zip(header, f))
            r["_line"] = n
            rows.append(r)
    return header or [], rows, problems


def alts(r):
    v = r.get("alternatenames", "")
    return [a for a in v.split("|") if a] if v else []


def run(data_dir: str, basemap: str | None = None) -> int:
    failures = []
    by_id = {}
    total_rows = total_names = 0
    per_file = {}
    fcl = collections.Counter()
    for fname in FILES:
        path = os.path.join(data_dir, fname)
        if not os.path.exists(path):
            failures.append(f"missing {fname}")
            continue
        header, rows, problems = read(path)
        failures += problems[:20]
        prev = None
        ids_here = 0
        alias_rows = 0
        for r in rows:
            gid = r.get("geonameid", "")
            has_pos = bool(r.get("lat")) and bool(r.get("lon"))
            if gid:
                if not gid.isdigit():
                    failures.append(f"{fname}:{r['_line']}: bad geonameid {gid!r}")
                    continue
                key = (0, int(gid), "")
                override = gid in by_id and has_pos
                if override and by_id[gid][0] == fname:
                    failures.append(f"{fname}:{r['_line']}: geonameid {gid} already in {fname}")
                if not has_pos or override:
                    alias_rows += 1
                    if gid not in by_id:
                        failures.append(f"{fname}:{r['_line']}: alias row for unknown geonameid {gid}")
                    else:
                        # the contract: an alias row adds its names and demonyms to the place;
                        # an override row (a later file, with lat/lon) also replaces the fields
                        # it gives
                        target = by_id[gid][1]
                        if override:
                            r["_override"] = True
                            for k, v in r.items():
                                if v and not k.startswith("_") and k not in (
                                        "geonameid", "name", "alternatenames", "demonyms", "sources"):
                                    target[k] = v
                        added = [r.get("name", "")] + alts(r)
                        target["alternatenames"] = "|".join(alts(target) + [a for a in added if a])
                        dem = [d for d in (target.get("demonyms", ""), r.get("demonyms", "")) if d]
                        target["demonyms"] = "|".join(dem)
                    continue
                by_id[gid] = (fname, r)
                ids_here += 1
            else:
                key = (1, 0, r.get("name", ""))
                if not r.get("name") or not has_pos:
                    failures.append(f"{fname}:{r['_line']}: row without geonameid needs name, lat, lon")
            if prev is not None and key < prev:
                failures.append(f"{fname}:{r['_line']}: rows not sorted")
            prev = key
            if has_pos:
                try:
                    lat, lon = float(r["lat"]), float(r["lon"])
                    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                        failures.append(f"{fname}:{r['_line']}: coordinates out of range")
                except ValueError:
                    failures.append(f"{fname}:{r['_line']}: bad coordinates")
            if r.get("population") and not r["population"].isdigit():
                failures.append(f"{fname}:{r['_line']}: bad population {r['population']!r}")
            if has_pos:
                fcl[r.get("feature_class") or "P"] += 1
        names = sum(1 + len(alts(r)) for r in rows if r.get("lat") and not r.get("_override"))
        per_file[fname] = (len(rows), names, alias_rows, os.path.getsize(path))
        total_rows += len(rows) - alias_rows
        total_names += names

    regions = read(os.path.join(data_dir, "regions.tsv"))[1] if "regions.tsv" in per_file else []

    def place(gid):
        return by_id.get(str(gid), (None, None))[1]

    def expect(gid, name=None, alt=None, fcode=None, file=None, cc=None):
        r = place(gid)
        if r is None:
            failures.append(f"expected geonameid {gid} ({name})")
            return
        if name and r["name"] != name and name not in alts(r):
            failures.append(f"{gid}: expected name {name!r}, got {r['name']!r}")
        for a in alt or []:
            if a not in alts(r) and a != r["name"] and a != r.get("asciiname"):
                failures.append(f"{gid} {r['name']}: missing alternate name {a!r}")
        if fcode and r.get("feature_code") != fcode:
            failures.append(f"{gid} {r['name']}: feature_code {r.get('feature_code')!r}, expected {fcode!r}")
        if file and by_id[str(gid)][0] != file:
            failures.append(f"{gid} {r['name']}: in {by_id[str(gid)][0]}, expected {file}")
        if cc and r.get("country_code") != cc:
            failures.append(f"{gid} {r['name']}: country {r.get('country_code')!r}, expected {cc!r}")

    expect(170892, "Dārayyā", ["Daraya", "Darayya", "داريا"], cc="SY", file="places.tsv.gz")
    expect(170063, "Aleppo", ["Halab", "حلب"], cc="SY", file="places.tsv.gz")
    expect(2660646, "Geneva", ["Genève", "Genf"], cc="CH", file="places.tsv.gz")
    expect(170654, "Damascus", ["Dimashq", "دمشق"], fcode="PPLC", cc="SY", file="places.tsv.gz")
    expect(163843, "Syria", ["Syrian Arab Republic", "سوريا"], fcode="PCLI", file="countries.tsv")
    expect(170652, None, ["Rif Dimashq", "ريف دمشق"], fcode="ADM1", cc="SY", file="admin1.tsv.gz")
    expect(6252001, None, ["US", "USA", "U.S.", "United States of America"], file="countries.tsv")
    expect(2635167, None, ["UK"], file="countries.tsv")
    expect(290557, None, ["UAE"], file="countries.tsv")
    expect(1873107, None, ["DPRK"], file="countries.tsv")
    expect(6255146, "Africa", fcode="CONT", file="continents.tsv")
    expect(281132, "Gaza Strip", fcode="ADM1", cc="PS", file="admin1.tsv.gz")
    for region in ("Middle East", "Eastern Ghouta", "Darfur", "Donbas", "Golan Heights", "Sinai Peninsula",
                   "Kurdistan", "Sahel", "Caucasus", "Balkans", "Horn of Africa", "European Union"):
        if not any(r["name"] == region for r in regions):
            failures.append(f"regions.tsv lacks {region}")

    syria = place(163843)
    if syria:
        if "Syrian" not in syria.get("demonyms", "").split("|"):
            failures.append("Syria lacks demonym Syrian")
        if syria.get("capital") != "170654":
            failures.append(f"Syria capital {syria.get('capital')!r}, expected 170654")
    russia = place(2017370)
    if russia and "Russian" not in russia.get("demonyms", "").split("|"):
        failures.append("Russia lacks demonym Russian")

    # US states carry their postal abbreviation where the source gives it
    california = place(5332921)
    if california and "CA" not in alts(california):
        failures.append("California lacks the postal abbreviation CA")

    # every country has a capital (except those without one in the source)
    no_cap = [r["country_code"] for f, r in by_id.values() if f == "countries.tsv" and not r.get("capital")]

    # admin codes of places resolve to admin rows
    adm1 = {(r["country_code"], r["admin1_code"]) for f, r in by_id.values() if f == "admin1.tsv.gz"}
    adm2 = {(r["country_code"], r["admin1_code"], r["admin2_code"])
            for f, r in by_id.values() if f == "admin2.tsv.gz"}
    places = [r for f, r in by_id.values() if f == "places.tsv.gz"]
    a1_ok = sum(1 for r in places if (r["country_code"], r["admin1_code"]) in adm1)
    a2_has = sum(1 for r in places if r["admin2_code"])
    a2_ok = sum(1 for r in places if (r["country_code"], r["admin1_code"], r["admin2_code"]) in adm2)

    n_places = per_file.get("places.tsv.gz", (0,))[0]
    if n_places < 230000:
        failures.append(f"only {n_places} rows in places.tsv.gz")
    if total_rows < 230000:
        failures.append(f"only {total_rows} places in total")
    if total_names < 1000000:
        failures.append(f"only {total_names} names in total")

    bm_features = None
    if basemap and os.path.exists(basemap):
        with open(basemap, encoding="utf-8") as fh:
            gj = json.load(fh)
        bm_features = len(gj["features"])
        for f in gj["features"]:
            for poly in ([f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon"
                         else f["geometry"]["coordinates"]):
                for ring in poly:
                    if len(ring) < 4 or ring[0] != ring[-1]:
                        failures.append(f"basemap {f['properties']['name']}: ring not closed")
                        break
                    # No edge may jump across the map, except along a pole.
                    if any(abs(a[0] - b[0]) > 180 and not (a[1] == b[1] and abs(a[1]) == 90)
                           for a, b in zip(ring, ring[1:])):
                        failures.append(f"basemap {f['properties']['name']}: crosses ±180°")
                        break

    print("gazetteer check")
    for fname, (n, names, alias_rows, size) in per_file.items():
        extra = f", {alias_rows} alias rows" if alias_rows else ""
        print(f"  {fname:16} {n:8} rows {names:9} names {size / 1e6:7.2f} MB{extra}")
    print(f"  total            {total_rows:8} places {total_names:8} names")
    print("  feature classes  " + " ".join(f"{k}={v}" for k, v in sorted(fcl.items())))
    print(f"  places with admin1 row: {a1_ok}/{len(places)}; with admin2 code: {a2_has}, "
          f"resolving to an admin2 row: {a2_ok}")
    print(f"  countries without capital: {' '.join(sorted(no_cap)) or '-'}")
    if bm_features is not None:
        print(f"  basemap features: {bm_features}")
    if failures:
        print(f"FAILED ({len(failures)}):")
        for f in failures[:60]:
            print("  " + f)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "data")
    b = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "basemap", "countries-50m.geojson")
    sys.exit(run(d, b))
