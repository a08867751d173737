//! Building an index from standard GeoNames dump files, streaming, in bounded memory.
//!
//! Input directory (names as GeoNames publishes them):
//!
//! * places: `allCountries.txt`, or else the first of `cities500.txt`, `cities1000.txt`,
//!   `cities5000.txt`, `cities15000.txt` (19 tab-separated columns, alternate names
//!   comma-separated);
//! * `admin1CodesASCII.txt`, `admin2Codes.txt` (`CODE\tname\tasciiname\tgeonameid`);
//! * `countryInfo.txt` (ISO codes, capital name, neighbours, geonameid);
//! * optionally `alternateNamesV2.txt` (or `alternateNames.txt`): more names per geonameid.
//!   Language `abbr`, `iata`, `icao`, `faac` names are abbreviations; `link`, `wkdt`, `post`,
//!   `unlc` entries are not names and are skipped.
//!
//! Alternate names that only spell the place's primary or ASCII name another way become
//! `Variant` postings, as in builds from places TSV files (see `super::variant`).
//!
//! The place file is read line by line; each row becomes a fixed-width record written straight to
//! a spool file and its names become (key, posting) pairs sorted in bounded runs on disk (see
//! [`super::format::IndexWriter::on_disk`]). What stays in memory is small per place: the
//! (geonameid, index) table, a 2-byte rank and two 4-byte fingerprints of the folded names per
//! place (about 18 bytes × places), plus the
//! admin code tables.
//!
//! A `citiesN.txt` file has no country or division rows. Countries from `countryInfo.txt` and
//! divisions from the admin code files that never appeared as rows are added as places located
//! at the population-weighted centre of their places (divisions with no places are left out).
//! Country capitals are the `PPLC` of the country (the one named in `countryInfo.txt` when there
//! are several).
//!
//! Malformed rows are reported as `FILE:LINE: reason` and skipped.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use super::format::{FormatError, IndexWriter, MatchKind, PlaceData};
use super::placeset::is_abbreviation;
use super::rank::static_rank;
use super::tsv::RowError;
use super::variant::{VariantOf, is_fold_indexed};

/// Errors that stop a GeoNames build (malformed rows do not).
#[derive(Debug, thiserror::Error)]
pub enum GeonamesError {
    /// No usable place file in the directory.
    #[error(
        "{0}: no allCountries.txt or citiesN.txt (cities500/1000/5000/15000) in this directory"
    )]
    NoPlaces(PathBuf),
    /// Reading an input failed.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// Writing the index failed.
    #[error("writing the index: {0}")]
    Write(#[from] FormatError),
}

/// What a build produced.
#[derive(Debug, Default, Clone)]
pub struct BuildSummary {
    /// The place file used.
    pub place_file: PathBuf,
    /// Places written (including added countries and divisions).
    pub places: u64,
    /// (key, place) pairs written.
    pub names: u64,
    /// Rows skipped as malformed.
    pub bad_rows: u64,
    /// Countries and divisions added from the code files.
    pub synthesized: u64,
}

struct Admin {
    name: String,
    asciiname: String,
    geonameid: Option<u32>,
}

struct Country {
    iso3: String,
    name: String,
    capital_name: String,
    population: u64,
    geonameid: Option<u32>,
    neighbours: String,
}

/// Population-weighted centre accumulator.
#[derive(Default, Clone, Copy)]
struct Centre {
    w: f64,
    lat: f64,
    lon: f64,
    population: u64,
}

impl Centre {
    fn add(&mut self, lat: f64, lon: f64, population: u64) {
        let w = population.max(1) as f64;
        self.w += w;
        self.lat += lat * w;
        self.lon += lon * w;
        self.population += population;
    }
    fn get(&self) -> Option<(f64, f64)> {
        (self.w > 0.0).then(|| (self.lat / self.w, self.lon / self.w))
    }
}

fn read_err(path: &Path) -> impl Fn(io::Error) -> GeonamesError + '_ {
    move |source| GeonamesError::Read {
        path: path.to_path_buf(),
        source,
    }
}

/// Calls `f(line_number, line)` for every line of a file (lossy UTF-8), with progress output.
fn for_lines(
    path: &Path,
    progress: bool,
    mut f: impl FnMut(usize, &str) -> Result<(), GeonamesError>,
) -> Result<(), GeonamesError> {
    let file = File::open(path).map_err(read_err(path))?;
    let mut r = BufReader::with_capacity(1 << 20, file);
    let mut buf = Vec::new();
    let mut n = 0usize;
    loop {
        buf.clear();
        if r.read_until(b'\n', &mut buf).map_err(read_err(path))? == 0 {
            break;
        }
        n += 1;
        let line = String::from_utf8_lossy(&buf);
        f(n, line.trim_end_matches(['\n', '\r']))?;
        if progress && n.is_multiple_of(1_000_000) {
            eprintln!("  {}: {} lines", path.display(), n);
        }
    }
    Ok(())
}

fn read_admin(
    path: &Path,
    progress: bool,
    on_error: &mut dyn FnMut(RowError),
    bad: &mut u64,
) -> Result<HashMap<String, Admin>, GeonamesError> {
    let mut map = HashMap::new();
    if !path.exists() {
        return Ok(map);
    }
    for_lines(path, progress, |line_no, line| {
        if line.is_empty() || line.starts_with('#') {
            return Ok(());
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 4 || cols[0].is_empty() || cols[1].is_empty() {
            *bad += 1;
            on_error(RowError {
                file: path.display().to_string(),
                line: line_no,
                reason: format!(
                    "expected 4 columns (code, name, asciiname, geonameid), got {}",
                    cols.len()
                ),
            });
            return Ok(());
        }
        map.insert(
            cols[0].to_string(),
            Admin {
                name: cols[1].to_string(),
                asciiname: cols[2].to_string(),
                geonameid: cols[3].trim().parse().ok(),
            },
        );
        Ok(())
    })?;
    Ok(map)
}

fn read_countries(
    path: &Path,
    on_error: &mut dyn FnMut(RowError),
    bad: &mut u64,
) -> Result<HashMap<String, Country>, GeonamesError> {
    let mut map = HashMap::new();
    if !path.exists() {
        return Ok(map);
    }
    for_lines(path, false, |line_no, line| {
        if line.is_empty() || line.starts_with('#') {
            return Ok(());
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 17 || cols[0].len() != 2 {
            *bad += 1;
            on_error(RowError {
                file: path.display().to_string(),
                line: line_no,
                reason: format!(
                    "expected at least 17 columns starting with an ISO code, got {}",
                    cols.len()
                ),
            });
            return Ok(());
        }
        map.insert(
            cols[0].to_string(),
            Country {
                iso3: cols[1].to_string(),
                name: cols[4].to_string(),
                capital_name: cols[5].to_string(),
                population: cols[7].trim().parse().unwrap_or(0),
                geonameid: cols[16].trim().parse().ok(),
                neighbours: cols
                    .get(17)
                    .map(|s| {
                        s.split(',')
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join("|")
                    })
                    .unwrap_or_default(),
            },
        );
        Ok(())
    })?;
    Ok(map)
}

/// The place file `build` will read from `dir`.
pub fn place_file(dir: &Path) -> Option<PathBuf> {
    [
        "allCountries.txt",
        "cities500.txt",
        "cities1000.txt",
        "cities5000.txt",
        "cities15000.txt",
    ]
    .iter()
    .map(|n| dir.join(n))
    .find(|p| p.is_file())
}

/// Builds an index from the GeoNames files in `dir`, writing it to `out`. Temporary files go
/// to a directory next to `tmp_base` (removed afterwards). Progress goes to stderr when
/// `progress`; malformed rows go to `on_error`.
pub fn build(
    dir: &Path,
    tmp_base: &Path,
    out: &mut dyn Write,
    progress: bool,
    on_error: &mut dyn FnMut(RowError),
) -> Result<BuildSummary, GeonamesError> {
    let places_path = place_file(dir).ok_or_else(|| GeonamesError::NoPlaces(dir.to_path_buf()))?;
    let spool = PathBuf::from(format!("{}.d", tmp_base.display()));
    std::fs::create_dir_all(&spool).map_err(read_err(&spool))?;
    let result = build_in(dir, &places_path, &spool, out, progress, on_error);
    let _ = std::fs::remove_dir_all(&spool);
    result
}

fn build_in(
    dir: &Path,
    places_path: &Path,
    spool: &Path,
    out: &mut dyn Write,
    progress: bool,
    on_error: &mut dyn FnMut(RowError),
) -> Result<BuildSummary, GeonamesError> {
    let mut summary = BuildSummary {
        place_file: places_path.to_path_buf(),
        ..Default::default()
    };
    let mut bad = 0u64;
    let countries = read_countries(&dir.join("countryInfo.txt"), on_error, &mut bad)?;
    let admin1 = read_admin(
        &dir.join("admin1CodesASCII.txt"),
        progress,
        on_error,
        &mut bad,
    )?;
    let admin2 = read_admin(&dir.join("admin2Codes.txt"), progress, on_error, &mut bad)?;
    let country_by_gid: HashMap<u32, &str> = countries
        .iter()
        .filter_map(|(cc, c)| Some((c.geonameid?, cc.as_str())))
        .collect();

    let mut w = IndexWriter::on_disk(spool)?;
    let mut gids: Vec<(u32, u32)> = Vec::new();
    let mut ranks: Vec<u16> = Vec::new();
    // Per place: fingerprints of its folded primary and ASCII names, to tell transliteration
    // variants among the alternate names read later (see `super::variant`).
    let mut folds: Vec<[u32; 2]> = Vec::new();
    let mut variant = VariantOf::default();
    let mut centres: HashMap<String, Centre> = HashMap::new();
    let mut seen_admin: std::collections::HashSet<u32> = std::collections::HashSet::new();
    let mut country_idx: HashMap<String, u32> = HashMap::new();
    // cc → (capital geonameid, population, name matches countryInfo)
    let mut capitals: HashMap<String, (u32, u64, bool)> = HashMap::new();
    let label = places_path.display().to_string();

    if progress {
        eprintln!("reading {label}");
    }
    for_lines(places_path, progress, |line_no, line| {
        if line.is_empty() || line.starts_with('#') {
            return Ok(());
        }
        let mut report = |reason: String| {
            bad += 1;
            on_error(RowError {
                file: label.clone(),
                line: line_no,
                reason,
            });
        };
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 15 {
            report(format!("expected 19 columns, got {}", cols.len()));
            return Ok(());
        }
        let Ok(gid) = cols[0].trim().parse::<u32>() else {
            report(format!("geonameid `{}` is not a number", cols[0]));
            return Ok(());
        };
        let lat = cols[4]
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.abs() <= 90.0);
        let lon = cols[5]
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.abs() <= 180.0);
        let (Some(lat), Some(lon)) = (lat, lon) else {
            report(format!("bad coordinates `{}`, `{}`", cols[4], cols[5]));
            return Ok(());
        };
        let population = match cols[14].trim() {
            "" => 0,
            p => match p.parse::<u64>() {
                Ok(p) => p,
                Err(_) => {
                    report(format!("population `{p}` is not a whole number"));
                    return Ok(());
                }
            },
        };
        let name = cols[1].trim();
        if name.is_empty() {
            report("empty name".to_string());
            return Ok(());
        }
        let (class, code, cc, a1, a2) = (cols[6], cols[7], cols[8], cols[10], cols[11]);
        let a1_key = format!("{cc}.{a1}");
        let a2_key = format!("{cc}.{a1}.{a2}");
        let a1_name = if a1.is_empty() {
            None
        } else {
            admin1.get(&a1_key)
        };
        let a2_name = if a2.is_empty() {
            None
        } else {
            admin2.get(&a2_key)
        };
        let country = country_by_gid.get(&gid).and_then(|cc| countries.get(*cc));
        let data = PlaceData {
            geonameid: Some(gid),
            name,
            asciiname: cols[2].trim(),
            lat,
            lon,
            feature_class: class,
            feature_code: code,
            country_code: cc,
            admin1_code: a1,
            admin2_code: a2,
            admin1_name: a1_name.map_or("", |a| a.name.as_str()),
            admin2_name: a2_name.map_or("", |a| a.name.as_str()),
            population,
            capital: None,
            neighbours: country.map_or("", |c| c.neighbours.as_str()),
            iso3: country.map_or("", |c| c.iso3.as_str()),
        };
        let idx = w.add_place(&data)?;
        let rank = static_rank(class.bytes().next().unwrap_or(0), code, population);
        gids.push((gid, idx));
        ranks.push(rank);
        variant.set(name, cols[2]);
        folds.push(variant.fingerprints());
        w.add_name(name, idx, MatchKind::Primary, rank)?;
        w.add_name(cols[2], idx, MatchKind::Ascii, rank)?;
        if is_fold_indexed(name, class.bytes().next().unwrap_or(0), code, population) {
            w.add_fold(name, idx, rank)?;
            w.add_fold(cols[2], idx, rank)?;
        }
        for alt in cols[3].split(',') {
            let kind = if is_abbreviation(alt) {
                MatchKind::Abbreviation
            } else if variant.matches(alt) {
                MatchKind::Variant
            } else {
                MatchKind::Alternate
            };
            w.add_name(alt, idx, kind, rank)?;
        }
        if country.is_some() {
            country_idx.insert(country_by_gid[&gid].to_string(), idx);
        }
        if matches!(code, "ADM1" | "ADM2") || country.is_some() {
            seen_admin.insert(gid);
        }
        if class == "P" && !cc.is_empty() {
            centres
                .entry(cc.to_string())
                .or_default()
                .add(lat, lon, population);
            if !a1.is_empty() {
                centres.entry(a1_key).or_default().add(lat, lon, population);
                if !a2.is_empty() {
                    centres.entry(a2_key).or_default().add(lat, lon, population);
                }
            }
            if code == "PPLC" {
                let named = countries.get(cc).is_some_and(|c| c.capital_name == name);
                let e = capitals
                    .entry(cc.to_string())
                    .or_insert((gid, population, named));
                if (named, population) > (e.2, e.1) {
                    *e = (gid, population, named);
                }
            }
        }
        Ok(())
    })?;

    // Countries and divisions that had no row of their own.
    let mut synth: Vec<(String, u8)> = Vec::new();
    for (cc, c) in &countries {
        if c.geonameid.is_none_or(|g| !seen_admin.contains(&g)) {
            synth.push((cc.clone(), 0));
        }
    }
    for (key, a) in &admin1 {
        if a.geonameid.is_none_or(|g| !seen_admin.contains(&g)) {
            synth.push((key.clone(), 1));
        }
    }
    for (key, a) in &admin2 {
        if a.geonameid.is_none_or(|g| !seen_admin.contains(&g)) {
            synth.push((key.clone(), 2));
        }
    }
    synth.sort();
    for (key, level) in synth {
        let Some((lat, lon)) = centres.get(&key).and_then(Centre::get) else {
            continue;
        };
        let parts: Vec<&str> = key.splitn(3, '.').collect();
        let cc = parts[0];
        let (name, ascii, gid, code, class, population, a1, a2) = match level {
            0 => {
                let c = &countries[&key];
                (
                    c.name.as_str(),
                    c.name.as_str(),
                    c.geonameid,
                    "PCLI",
                    "A",
                    c.population,
                    "",
                    "",
                )
            }
            1 => {
                let a = &admin1[&key];
                let pop = centres[&key].population;
                (
                    a.name.as_str(),
                    a.asciiname.as_str(),
                    a.geonameid,
                    "ADM1",
                    "A",
                    pop,
                    parts.get(1).copied().unwrap_or(""),
                    "",
                )
            }
            _ => {
                let a = &admin2[&key];
                let pop = centres[&key].population;
                (
                    a.name.as_str(),
                    a.asciiname.as_str(),
                    a.geonameid,
                    "ADM2",
                    "A",
                    pop,
                    parts.get(1).copied().unwrap_or(""),
                    parts.get(2).copied().unwrap_or(""),
                )
            }
        };
        let country = (level == 0).then(|| &countries[&key]);
        let a1_name = if level == 2 {
            admin1
                .get(&format!("{cc}.{a1}"))
                .map_or("", |a| a.name.as_str())
        } else if level == 1 {
            name
        } else {
            ""
        };
        let idx = w.add_place(&PlaceData {
            geonameid: gid,
            name,
            asciiname: ascii,
            lat,
            lon,
            feature_class: class,
            feature_code: code,
            country_code: cc,
            admin1_code: a1,
            admin2_code: a2,
            admin1_name: a1_name,
            admin2_name: if level == 2 { name } else { "" },
            population,
            capital: None,
            neighbours: country.map_or("", |c| c.neighbours.as_str()),
            iso3: country.map_or("", |c| c.iso3.as_str()),
        })?;
        let rank = static_rank(b'A', code, population);
        if let Some(g) = gid {
            gids.push((g, idx));
        }
        ranks.push(rank);
        variant.set(name, ascii);
        folds.push(variant.fingerprints());
        w.add_name(name, idx, MatchKind::Primary, rank)?;
        w.add_name(ascii, idx, MatchKind::Ascii, rank)?;
        if country.is_some() {
            country_idx.insert(cc.to_string(), idx);
        }
        summary.synthesized += 1;
    }
    for (cc, idx) in &country_idx {
        if let Some(&(cap, _, _)) = capitals.get(cc) {
            w.set_capital(*idx, cap)?;
        }
    }

    gids.sort_unstable();
    let alt_path = ["alternateNamesV2.txt", "alternateNames.txt"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file());
    if let Some(alt_path) = alt_path {
        if progress {
            eprintln!("reading {}", alt_path.display());
        }
        let label = alt_path.display().to_string();
        for_lines(&alt_path, progress, |line_no, line| {
            if line.is_empty() || line.starts_with('#') {
                return Ok(());
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let gid = cols.get(1).and_then(|g| g.trim().parse::<u32>().ok());
            let (Some(gid), Some(name)) = (gid, cols.get(3)) else {
                bad += 1;
                on_error(RowError {
                    file: label.clone(),
                    line: line_no,
                    reason: "expected alternateNameId, geonameid, isolanguage, name".to_string(),
                });
                return Ok(());
            };
            let kind = match cols[2] {
                "link" | "wkdt" | "post" | "unlc" => return Ok(()),
                "abbr" | "iata" | "icao" | "faac" => MatchKind::Abbreviation,
                _ if is_abbreviation(name) => MatchKind::Abbreviation,
                _ => MatchKind::Alternate,
            };
            if let Ok(i) = gids.binary_search_by_key(&gid, |p| p.0) {
                let idx = gids[i].1;
                let kind = match kind {
                    MatchKind::Alternate
                        if variant.matches_fingerprints(name, folds[idx as usize]) =>
                    {
                        MatchKind::Variant
                    }
                    k => k,
                };
                w.add_name(name, idx, kind, ranks[idx as usize])?;
            }
            Ok(())
        })?;
    }
    w.add_meta(
        "sources",
        &format!(
            "source\tGeoNames dump files from {}\nplaces\t{}",
            dir.display(),
            places_path.display()
        ),
    );
    if progress {
        eprintln!("sorting names and writing the index");
    }
    let stats = w.finish(out)?;
    summary.places = stats.places;
    summary.names = stats.names;
    summary.bad_rows = bad;
    Ok(summary)
}
