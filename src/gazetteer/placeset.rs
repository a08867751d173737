//! Combining places TSV rows into places and writing them to an index.
//!
//! The rules (also in `docs/gazetteer.md`), applied row by row in file order:
//!
//! * A row whose `geonameid` is already known and that has no `lat`/`lon` adds its `name`,
//!   `asciiname`, `alternatenames` and `demonyms` as aliases of that place.
//! * A row with `lat`/`lon` and a known `geonameid` overrides the fields it gives (non-empty
//!   cells) and adds its names.
//! * Any other row is a new place; it needs `name`, `lat` and `lon`; `feature_class` /
//!   `feature_code` default to `P` / `PPL`.
//!
//! "Known" means seen in an earlier row or present in a *base* index: run-time overlays
//! (`--places`) are place sets on top of an already built index, so an alias row there makes
//! postings that point at the base place, and an override row makes a new place that replaces
//! (redirects) the base one.
//!
//! Name kinds: `name` is the primary name (an alias row's `name` is an alternate name, or an
//! abbreviation when it looks like one),
//! `asciiname` the ASCII name, `alternatenames` are alternate names except short all-capital
//! ASCII forms (`US`, `U.S.`, `UAE`, `DPRK`, airport codes like `GVA`), which are abbreviations;
//! `demonyms` are demonyms. When the places are written, an alternate name that is only another
//! spelling of the place's primary or ASCII name ("Raqqa" for "Ar Raqqah") becomes a
//! [`MatchKind::Variant`] (rule in [`super::variant`]), and the primary and ASCII names of the
//! places [`is_fold_indexed`] selects are added to the fold map ([`IndexWriter::add_fold`]).
//! ISO country codes are not added as names (`IN`, `IT`, `IS`, `NO` are common words); list the
//! codes wanted as names (`US`, `UAE`) in `alternatenames`.
//!
//! Admin names are joined at write time: a place's `admin1_name` is the primary name of the
//! `ADM1` place with the same `country_code` and `admin1_code` (likewise `ADM2`).
//!
//! Depends only on `std` and its siblings (`format`, `rank`, `tsv`, `variant`), so the build
//! script can use it.

use std::collections::HashMap;

use super::format::{FormatError, IndexWriter, MatchKind, PlaceData};
use super::rank::static_rank;
use super::tsv::PlaceRow;
use super::variant::{VariantOf, is_fold_indexed};

/// One place (or alias set) being assembled.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    /// Names-only entry adding aliases to place `alias_of` of the base index.
    pub alias_of: Option<u32>,
    /// A full place that replaces place `replaces` of the base index.
    pub replaces: Option<u32>,
    /// GeoNames id.
    pub geonameid: Option<u32>,
    /// Primary name.
    pub name: String,
    /// ASCII name.
    pub asciiname: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Feature class.
    pub feature_class: String,
    /// Feature code.
    pub feature_code: String,
    /// Country code.
    pub country_code: String,
    /// Admin1 code.
    pub admin1_code: String,
    /// Admin2 code.
    pub admin2_code: String,
    /// Admin1 name (filled at write time when empty).
    pub admin1_name: String,
    /// Admin2 name.
    pub admin2_name: String,
    /// Population.
    pub population: u64,
    /// Capital geonameid.
    pub capital: Option<u32>,
    /// Neighbours, `|`-separated.
    pub neighbours: String,
    /// ISO alpha-3.
    pub iso3: String,
    /// Names and how they reach the place.
    pub names: Vec<(String, MatchKind)>,
}

impl Entry {
    fn rank(&self) -> u16 {
        static_rank(
            self.feature_class.bytes().next().unwrap_or(0),
            &self.feature_code,
            self.population,
        )
    }

    fn override_with(&mut self, row: &PlaceRow) {
        let set = |dst: &mut String, src: &str| {
            if !src.is_empty() {
                *dst = src.to_string();
            }
        };
        if !row.name.is_empty() && row.name != self.name {
            for (_, kind) in self.names.iter_mut() {
                if matches!(kind, MatchKind::Primary | MatchKind::Ascii) {
                    *kind = MatchKind::Alternate;
                }
            }
            self.name = row.name.clone();
            if row.asciiname.is_empty() {
                self.asciiname = row.name.clone();
            }
        }
        set(&mut self.asciiname, &row.asciiname);
        if let (Some(lat), Some(lon)) = (row.lat, row.lon) {
            self.lat = lat;
            self.lon = lon;
        }
        set(&mut self.feature_class, &row.feature_class);
        set(&mut self.feature_code, &row.feature_code);
        set(&mut self.country_code, &row.country_code);
        if !row.admin1_code.is_empty() {
            self.admin1_code = row.admin1_code.clone();
            self.admin1_name.clear();
        }
        if !row.admin2_code.is_empty() {
            self.admin2_code = row.admin2_code.clone();
            self.admin2_name.clear();
        }
        if let Some(p) = row.population {
            self.population = p;
        }
        if row.capital.is_some() {
            self.capital = row.capital;
        }
        if !row.neighbours.is_empty() {
            self.neighbours = row.neighbours.join("|");
        }
        set(&mut self.iso3, &row.iso3);
    }

    fn add_names(&mut self, row: &PlaceRow, alias: bool) {
        // An alias row's name is one more alternate name ("NSW" is an abbreviation like the
        // alternate names that look like one).
        let primary = if alias {
            alternate_kind(&row.name)
        } else {
            MatchKind::Primary
        };
        if !row.name.is_empty() {
            self.names.push((row.name.clone(), primary));
        }
        if !row.asciiname.is_empty() {
            let kind = if alias {
                MatchKind::Alternate
            } else {
                MatchKind::Ascii
            };
            self.names.push((row.asciiname.clone(), kind));
        }
        for alt in &row.alternatenames {
            self.names.push((alt.clone(), alternate_kind(alt)));
        }
        for d in &row.demonyms {
            self.names.push((d.clone(), MatchKind::Demonym));
        }
    }
}

/// The kind of an alternate name: an abbreviation when it looks like one, else an alternate.
fn alternate_kind(name: &str) -> MatchKind {
    if is_abbreviation(name) {
        MatchKind::Abbreviation
    } else {
        MatchKind::Alternate
    }
}

/// Whether an alternate name looks like an abbreviation or code: 2–5 capital ASCII letters,
/// optionally with dots (`US`, `U.S.`, `UAE`, `GVA`).
pub fn is_abbreviation(name: &str) -> bool {
    let letters = name.bytes().filter(|b| b.is_ascii_uppercase()).count();
    (2..=5).contains(&letters) && name.bytes().all(|b| b.is_ascii_uppercase() || b == b'.')
}

/// Looks up places of a base index for overlays: geonameid → (place index, its fields).
pub trait BaseLookup {
    /// The base place with this geonameid, as an [`Entry`] without names.
    fn find(&self, geonameid: u32) -> Option<(u32, Entry)>;
    /// Admin1 (`admin2 = None`) or admin2 name from the base index.
    fn admin_name(&self, cc: &str, admin1: &str, admin2: Option<&str>) -> Option<String>;
}

/// No base index (building the embedded index from scratch).
pub struct NoBase;

impl BaseLookup for NoBase {
    fn find(&self, _: u32) -> Option<(u32, Entry)> {
        None
    }
    fn admin_name(&self, _: &str, _: &str, _: Option<&str>) -> Option<String> {
        None
    }
}

/// Places assembled from rows, in first-seen order.
#[derive(Debug, Default)]
pub struct PlaceSet {
    /// Entries in order.
    pub entries: Vec<Entry>,
    by_gid: HashMap<u32, usize>,
}

impl PlaceSet {
    /// An empty set.
    pub fn new() -> PlaceSet {
        PlaceSet::default()
    }

    /// Applies one row (see the module docs). Returns a reason when the row cannot be used.
    pub fn apply(&mut self, row: &PlaceRow, base: &dyn BaseLookup) -> Result<(), String> {
        let has_coords = row.lat.is_some() && row.lon.is_some();
        if let Some(gid) = row.geonameid {
            if let Some(&i) = self.by_gid.get(&gid) {
                let e = &mut self.entries[i];
                if has_coords {
                    if let Some(b) = e.alias_of.take() {
                        e.replaces = Some(b);
                    }
                    e.override_with(row);
                    e.add_names(row, false);
                } else {
                    e.add_names(row, true);
                }
                return Ok(());
            }
            if let Some((idx, mut e)) = base.find(gid) {
                if has_coords {
                    e.replaces = Some(idx);
                    e.override_with(row);
                    e.add_names(row, false);
                } else {
                    e.alias_of = Some(idx);
                    e.add_names(row, true);
                }
                self.push(e);
                return Ok(());
            }
            if !has_coords {
                return Err(format!(
                    "geonameid {gid} is not a known place and the row has no lat/lon"
                ));
            }
        }
        let (Some(lat), Some(lon)) = (row.lat, row.lon) else {
            return Err("a new place needs lat and lon".to_string());
        };
        if row.name.is_empty() {
            return Err("a new place needs a name".to_string());
        }
        let mut e = Entry {
            geonameid: row.geonameid,
            lat,
            lon,
            feature_class: "P".to_string(),
            feature_code: "PPL".to_string(),
            ..Default::default()
        };
        e.override_with(row);
        if e.asciiname.is_empty() {
            e.asciiname = e.name.clone();
        }
        e.add_names(row, false);
        self.push(e);
        Ok(())
    }

    fn push(&mut self, e: Entry) {
        if let Some(gid) = e.geonameid {
            self.by_gid.insert(gid, self.entries.len());
        }
        self.entries.push(e);
    }

    /// Number of entries that become places (alias-only entries excluded).
    pub fn place_count(&self) -> usize {
        self.entries.iter().filter(|e| e.alias_of.is_none()).count()
    }

    /// Fills empty admin1/admin2 names from ADM1/ADM2 entries of this set, then from `base`.
    pub fn join_admin_names(&mut self, base: &dyn BaseLookup) {
        let mut adm: HashMap<String, String> = HashMap::new();
        for e in &self.entries {
            match e.feature_code.as_str() {
                "ADM1" if !e.admin1_code.is_empty() => {
                    adm.entry(format!("{}.{}", e.country_code, e.admin1_code))
                        .or_insert_with(|| e.name.clone());
                }
                "ADM2" if !e.admin2_code.is_empty() => {
                    adm.entry(format!(
                        "{}.{}.{}",
                        e.country_code, e.admin1_code, e.admin2_code
                    ))
                    .or_insert_with(|| e.name.clone());
                }
                _ => {}
            }
        }
        for e in &mut self.entries {
            if e.alias_of.is_some() || e.country_code.is_empty() {
                continue;
            }
            if e.admin1_name.is_empty() && !e.admin1_code.is_empty() {
                let key = format!("{}.{}", e.country_code, e.admin1_code);
                if let Some(n) = adm
                    .get(&key)
                    .cloned()
                    .or_else(|| base.admin_name(&e.country_code, &e.admin1_code, None))
                {
                    e.admin1_name = n;
                }
            }
            if e.admin2_name.is_empty() && !e.admin2_code.is_empty() {
                let key = format!("{}.{}.{}", e.country_code, e.admin1_code, e.admin2_code);
                if let Some(n) = adm.get(&key).cloned().or_else(|| {
                    base.admin_name(&e.country_code, &e.admin1_code, Some(&e.admin2_code))
                }) {
                    e.admin2_name = n;
                }
            }
        }
    }

    /// Writes the places and names to `w`. Place `i` of this set gets index `offset + i'` where
    /// `i'` counts only non-alias entries; postings of alias entries point at base places.
    /// Returns the redirects (base place → replacing place index).
    pub fn write(&self, w: &mut IndexWriter, offset: u32) -> Result<Vec<(u32, u32)>, FormatError> {
        let mut redirects = Vec::new();
        let mut variant = VariantOf::default();
        for e in &self.entries {
            let rank = e.rank();
            variant.set(&e.name, &e.asciiname);
            let target = match e.alias_of {
                Some(base_idx) => base_idx,
                None => {
                    let local = w.add_place(&PlaceData {
                        geonameid: e.geonameid,
                        name: &e.name,
                        asciiname: &e.asciiname,
                        lat: e.lat,
                        lon: e.lon,
                        feature_class: &e.feature_class,
                        feature_code: &e.feature_code,
                        country_code: &e.country_code,
                        admin1_code: &e.admin1_code,
                        admin2_code: &e.admin2_code,
                        admin1_name: &e.admin1_name,
                        admin2_name: &e.admin2_name,
                        population: e.population,
                        capital: e.capital,
                        neighbours: &e.neighbours,
                        iso3: &e.iso3,
                    })?;
                    let global = offset + local;
                    if let Some(old) = e.replaces {
                        redirects.push((old, global));
                    }
                    let class = e.feature_class.bytes().next().unwrap_or(0);
                    if is_fold_indexed(&e.name, class, &e.feature_code, e.population) {
                        w.add_fold(&e.name, global, rank)?;
                        w.add_fold(&e.asciiname, global, rank)?;
                    }
                    global
                }
            };
            for (name, kind) in &e.names {
                let kind = match kind {
                    MatchKind::Alternate if variant.matches(name) => MatchKind::Variant,
                    k => *k,
                };
                w.add_name(name, target, kind, rank)?;
            }
        }
        Ok(redirects)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(gid: Option<u32>, name: &str, coords: Option<(f64, f64)>) -> PlaceRow {
        PlaceRow {
            geonameid: gid,
            name: name.to_string(),
            lat: coords.map(|c| c.0),
            lon: coords.map(|c| c.1),
            ..Default::default()
        }
    }

    #[test]
    fn alias_override_and_new() {
        let mut s = PlaceSet::new();
        let mut r = row(Some(1), "Alpha", Some((1.0, 2.0)));
        r.feature_code = "PPLA".into();
        r.alternatenames = vec!["Alfa".into(), "ALF".into()];
        s.apply(&r, &NoBase).unwrap();
        s.apply(&row(Some(1), "Alpha Town", None), &NoBase).unwrap();
        s.apply(&row(Some(1), "APT", None), &NoBase).unwrap();
        let mut o = row(Some(1), "", Some((3.0, 4.0)));
        o.population = Some(500);
        s.apply(&o, &NoBase).unwrap();
        s.apply(&row(None, "Beta", Some((5.0, 6.0))), &NoBase)
            .unwrap();
        assert!(s.apply(&row(Some(9), "Gamma", None), &NoBase).is_err());
        assert_eq!(s.entries.len(), 2);
        let a = &s.entries[0];
        assert_eq!((a.lat, a.lon, a.population), (3.0, 4.0, 500));
        assert_eq!(a.feature_code, "PPLA");
        assert_eq!(a.name, "Alpha");
        assert!(
            a.names
                .contains(&("Alpha Town".into(), MatchKind::Alternate))
        );
        assert!(a.names.contains(&("ALF".into(), MatchKind::Abbreviation)));
        assert!(a.names.contains(&("APT".into(), MatchKind::Abbreviation)));
        let b = &s.entries[1];
        assert_eq!(
            (b.feature_class.as_str(), b.feature_code.as_str()),
            ("P", "PPL")
        );
        assert_eq!(b.asciiname, "Beta");
    }

    #[test]
    fn abbreviations() {
        for (s, want) in [
            ("US", true),
            ("U.S.", true),
            ("UAE", true),
            ("DPRK", true),
            ("A", false),
            ("Syria", false),
            ("UNITED", false),
            ("الشام", false),
        ] {
            assert_eq!(is_abbreviation(s), want, "{s}");
        }
    }

    #[test]
    fn admin_names_joined() {
        let mut s = PlaceSet::new();
        let mut a = row(Some(2), "Rīf Dimashq", Some((33.5, 36.5)));
        a.feature_class = "A".into();
        a.feature_code = "ADM1".into();
        a.country_code = "SY".into();
        a.admin1_code = "08".into();
        let mut p = row(Some(3), "Dārayyā", Some((33.4, 36.2)));
        p.country_code = "SY".into();
        p.admin1_code = "08".into();
        s.apply(&p, &NoBase).unwrap();
        s.apply(&a, &NoBase).unwrap();
        s.join_admin_names(&NoBase);
        assert_eq!(s.entries[0].admin1_name, "Rīf Dimashq");
    }
}
