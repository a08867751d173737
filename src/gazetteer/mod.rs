//! The gazetteer: a GeoNames-derived place index that is ready in milliseconds.
//!
//! Every later stage stands on this module: the recognizer walks its name index over running
//! text, the resolver ranks its candidates, the layers print its coordinates.
//!
//! # What it is
//!
//! An index is one byte string (format in [`format`](mod@format)): an `fst` map from normalized names
//! ([`normalize()`]) to postings (place + [`MatchKind`]), fixed-width place records, a string pool
//! and a little metadata. It is read in place — from the copy embedded in the binary
//! ([`Gazetteer::embedded`], built from `gazetteer/data/` by `build.rs`) or from a memory-mapped
//! file ([`Gazetteer::open`], made by `eventmap gazetteer build`). Nothing is parsed at start-up.
//! User additions (`--places FILE`, see [`tsv`] and [`placeset`]) are a small second index built
//! in memory on top ([`Gazetteer::with_places`]): new places get indices after the base places,
//! alias rows add postings to base places, and override rows replace base places.
//!
//! # API stability
//!
//! The items re-exported here — [`Gazetteer`], [`Place`], [`PlaceIdx`], [`Candidate`],
//! [`MatchKind`], [`LookupOptions`], [`PlacePrior`], [`DefaultPrior`], [`Walker`],
//! [`WalkPosition`], [`KeyMatch`], [`normalize()`], [`normalize_into`], [`distance_km`] — are the
//! stable interface for the other stages. New methods may be added; existing signatures stay.
//!
//! # Example
//!
//! ```
//! use eventmap::gazetteer::{Gazetteer, MatchKind};
//!
//! let tsv = "geonameid\tname\tasciiname\talternatenames\tlat\tlon\tfeature_class\tfeature_code\tcountry_code\tpopulation\n\
//!            170892\tDārayyā\tDarayya\tDaraya|داريا\t33.45835\t36.23256\tP\tPPLA2\tSY\t71596\n";
//! let gaz = Gazetteer::from_places_tsv(tsv.as_bytes()).unwrap();
//! let best = &gaz.lookup("DARAYA")[0];
//! let place = gaz.get(best.place).unwrap();
//! assert_eq!(place.geonameid(), Some(170892));
//! // "Daraya" only spells "Darayya" another way: a transliteration variant
//! assert_eq!(best.kind, MatchKind::Variant);
//! assert_eq!(gaz.lookup("داريا")[0].place, best.place);
//! assert_eq!(gaz.lookup("داريا")[0].kind, MatchKind::Alternate);
//! ```

pub mod datadir;
pub mod format;
pub mod geonames;
pub mod normalize;
pub mod placeset;
pub mod rank;
pub mod tsv;
pub mod variant;

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use fst::raw::CompiledAddr;

pub use format::MatchKind;
use format::{FormatError, Layout, RawIndex, rec};
pub use normalize::{normalize, normalize_into};
use placeset::{BaseLookup, Entry, PlaceSet};
pub use tsv::RowError;

/// Errors opening or extending a gazetteer.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The bytes are not a usable index.
    #[error("{path}: {source}")]
    Format {
        /// Where the bytes came from.
        path: String,
        /// The cause.
        source: FormatError,
    },
}

/// Index of a place in a [`Gazetteer`] (base places first, then `--places` additions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlaceIdx(pub u32);

/// A name match: a place, how the name reached it, and its score (higher is better).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// The place.
    pub place: PlaceIdx,
    /// Best way the name reaches the place.
    pub kind: MatchKind,
    /// Ranking score from the prior plus context (see [`Gazetteer::lookup_with`]).
    pub score: f64,
}

/// Context for [`Gazetteer::lookup_with`].
#[derive(Debug, Clone, Default)]
pub struct LookupOptions {
    /// Keep only places in this ISO country (case-insensitive).
    pub country: Option<String>,
    /// Boost places near this point (lat, lon), by up to [`NEAR_WEIGHT`].
    pub near: Option<(f64, f64)>,
    /// Return at most this many candidates.
    pub limit: Option<usize>,
}

/// Largest boost `--near` gives (at distance 0; half of it at [`NEAR_HALF_KM`]).
pub const NEAR_WEIGHT: f64 = 4.0;
/// Distance at which the `--near` boost has halved.
pub const NEAR_HALF_KM: f64 = 50.0;

/// A replaceable prior: how likely a name refers to a place before reading any context.
pub trait PlacePrior {
    /// Score of `place` reached by a name with match `kind`; higher is more likely.
    fn score(&self, place: &Place<'_>, kind: MatchKind) -> f64;
}

/// The default prior: [`rank::static_score`] (feature importance + log population) plus
/// [`match_weight`].
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultPrior;

impl PlacePrior for DefaultPrior {
    fn score(&self, place: &Place<'_>, kind: MatchKind) -> f64 {
        rank::static_score(
            place.feature_class_byte(),
            place.feature_code(),
            place.population(),
        ) + match_weight(kind)
    }
}

/// How much the match kind adds to the prior: primary 2.0, ASCII and transliteration variant
/// 1.8, unlisted spelling of the same skeleton (fold) 1.4, alternate 1.0, demonym 0.8,
/// abbreviation 0.
pub fn match_weight(kind: MatchKind) -> f64 {
    match kind {
        MatchKind::Primary => 2.0,
        MatchKind::Ascii | MatchKind::Variant => 1.8,
        MatchKind::Fold => 1.4,
        MatchKind::Alternate => 1.0,
        MatchKind::Demonym => 0.8,
        MatchKind::Abbreviation => 0.0,
    }
}

/// Whether a GeoNames feature code is a country's: `PCL*` (independent, dependent, …) or `TERR`.
pub fn is_country_code(feature_code: &str) -> bool {
    feature_code.starts_with("PCL") || feature_code == "TERR"
}

/// Mean Earth radius (IUGG), in kilometres.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance in kilometres.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

enum Storage {
    Static(&'static [u8]),
    Mmap(memmap2::Mmap),
    Owned(Vec<u8>),
}

struct Layer {
    storage: Storage,
    layout: Layout,
}

impl Layer {
    fn new(storage: Storage, label: &str) -> Result<Layer, GazetteerError> {
        let bytes: &[u8] = match &storage {
            Storage::Static(b) => b,
            Storage::Mmap(m) => m,
            Storage::Owned(v) => v,
        };
        let layout = Layout::parse(bytes).map_err(|source| GazetteerError::Format {
            path: label.to_string(),
            source,
        })?;
        Ok(Layer { storage, layout })
    }

    fn raw(&self) -> RawIndex<'_> {
        let bytes: &[u8] = match &self.storage {
            Storage::Static(b) => b,
            Storage::Mmap(m) => m,
            Storage::Owned(v) => v,
        };
        self.layout.view(bytes)
    }

    fn bytes_len(&self) -> usize {
        match &self.storage {
            Storage::Static(b) => b.len(),
            Storage::Mmap(m) => m.len(),
            Storage::Owned(v) => v.len(),
        }
    }
}

struct Overlay {
    layer: Layer,
    offset: u32,
    redirects: HashMap<u32, u32>,
}

/// A place index: the base index plus optional user additions. See the [module docs](self).
pub struct Gazetteer {
    base: Layer,
    overlay: Option<Overlay>,
    /// See [`Gazetteer::id`].
    id: u64,
}

/// Source of [`Gazetteer::id`]s.
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The index built into the binary by `build.rs`.
///
/// A function, not a `static`: the compiler writes a static's value into the crate's metadata,
/// which every build of a dependent crate (tests, clippy) would then carry as another copy of the
/// 47 MB index. Not inlined, so that its body (the bytes) stays out of the metadata too.
#[inline(never)]
fn embedded_bytes() -> &'static [u8] {
    include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer.idx"))
}

/// A place record, borrowed from its gazetteer.
#[derive(Clone, Copy)]
pub struct Place<'a> {
    idx: PlaceIdx,
    raw: RawIndex<'a>,
    rec: &'a [u8],
}

impl std::fmt::Debug for Place<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Place")
            .field("idx", &self.idx.0)
            .field("geonameid", &self.geonameid())
            .field("name", &self.name())
            .field("feature_code", &self.feature_code())
            .field("country_code", &self.country_code())
            .finish()
    }
}

impl<'a> Place<'a> {
    /// Its index in the gazetteer.
    pub fn idx(&self) -> PlaceIdx {
        self.idx
    }
    /// GeoNames id (`None` for curated or user places without one).
    pub fn geonameid(&self) -> Option<u32> {
        Some(rec::geonameid(self.rec)).filter(|&g| g != 0)
    }
    /// Primary name.
    pub fn name(&self) -> &'a str {
        self.raw.string(rec::str_at(self.rec, rec::NAME))
    }
    /// ASCII name.
    pub fn asciiname(&self) -> &'a str {
        self.raw.string(rec::str_at(self.rec, rec::ASCIINAME))
    }
    /// WGS84 latitude.
    pub fn lat(&self) -> f64 {
        rec::lat(self.rec)
    }
    /// WGS84 longitude.
    pub fn lon(&self) -> f64 {
        rec::lon(self.rec)
    }
    /// GeoNames feature class (`'P'`, `'A'`, …; `' '` when unknown).
    pub fn feature_class(&self) -> char {
        match rec::feature_class(self.rec) {
            0 => ' ',
            b => b as char,
        }
    }
    fn feature_class_byte(&self) -> u8 {
        rec::feature_class(self.rec)
    }
    /// GeoNames feature code (`"PPLC"`).
    pub fn feature_code(&self) -> &'a str {
        rec::feature_code(self.rec)
    }
    /// ISO 3166-1 alpha-2 country code (empty for continents and multi-country regions).
    pub fn country_code(&self) -> &'a str {
        rec::country_code(self.rec)
    }
    /// Admin1 code (`"08"`).
    pub fn admin1_code(&self) -> &'a str {
        self.raw.string(rec::str_at(self.rec, rec::ADMIN1_CODE))
    }
    /// Name of the first-level division (empty when unknown).
    pub fn admin1_name(&self) -> &'a str {
        self.raw.string(rec::str_at(self.rec, rec::ADMIN1_NAME))
    }
    /// Admin2 code.
    pub fn admin2_code(&self) -> &'a str {
        self.raw.string(rec::str_at(self.rec, rec::ADMIN2_CODE))
    }
    /// Name of the second-level division (empty when unknown).
    pub fn admin2_name(&self) -> &'a str {
        self.raw.string(rec::str_at(self.rec, rec::ADMIN2_NAME))
    }
    /// Population (0 when unknown).
    pub fn population(&self) -> u64 {
        rec::population(self.rec)
    }
    /// For countries: geonameid of the capital.
    pub fn capital(&self) -> Option<u32> {
        Some(rec::capital(self.rec)).filter(|&g| g != 0)
    }
    /// For countries: ISO codes of neighbouring countries.
    pub fn neighbours(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.raw
            .string(rec::str_at(self.rec, rec::NEIGHBOURS))
            .split('|')
            .filter(|s| !s.is_empty())
    }
    /// For countries: ISO alpha-3 code.
    pub fn iso3(&self) -> &'a str {
        self.raw.string(rec::str_at(self.rec, rec::ISO3))
    }
    /// Whether this is a country (see [`is_country_code`]).
    pub fn is_country(&self) -> bool {
        is_country_code(self.feature_code())
    }
}

/// The result of walking a complete key (see [`Walker`]), or of a fold lookup
/// ([`Gazetteer::find_fold`]): its value in each layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyMatch {
    base: Option<u64>,
    overlay: Option<u64>,
}

/// Byte-by-byte matching of normalized text against all names, for leftmost-longest
/// multi-word recognition without allocation.
///
/// Feed normalized bytes (e.g. tokens normalized with [`normalize_into`] joined by `b' '`);
/// after each token ask [`Walker::key_match`] whether the bytes so far are a complete name, and
/// stop when [`Walker::feed`] returns `false` (no name continues this way). `Walker` is cheap to
/// clone, so a recognizer can keep the state at each token boundary.
///
/// ```
/// # use eventmap::gazetteer::Gazetteer;
/// let tsv = "name\tlat\tlon\nRif Dimashq\t33.5\t36.5\n";
/// let gaz = Gazetteer::from_places_tsv(tsv.as_bytes()).unwrap();
/// let mut w = gaz.walker();
/// assert!(w.feed(b"rif"));
/// assert!(w.key_match().is_none()); // "rif" alone is no name
/// assert!(w.feed(b" dimashq"));
/// let m = w.key_match().unwrap();
/// let places: Vec<_> = gaz.key_postings(m).collect();
/// assert_eq!(gaz.get(places[0].0).unwrap().name(), "Rif Dimashq");
/// assert!(!w.feed(b" x"));
/// ```
#[derive(Clone)]
pub struct Walker<'g> {
    gaz: &'g Gazetteer,
    base_fst: fst::raw::Fst<&'g [u8]>,
    overlay_fst: Option<fst::raw::Fst<&'g [u8]>>,
    base: Option<(CompiledAddr, u64)>,
    overlay: Option<(CompiledAddr, u64)>,
}

fn step(f: &fst::raw::Fst<&[u8]>, state: &mut Option<(CompiledAddr, u64)>, b: u8) {
    if let Some((addr, out)) = *state {
        let node = f.node(addr);
        *state = node.find_input(b).map(|i| {
            let t = node.transition(i);
            (t.addr, out + t.out.value())
        });
    }
}

fn finish(f: &fst::raw::Fst<&[u8]>, state: Option<(CompiledAddr, u64)>) -> Option<u64> {
    let (addr, out) = state?;
    let node = f.node(addr);
    node.is_final().then(|| out + node.final_output().value())
}

impl<'g> Walker<'g> {
    /// Feeds bytes; returns whether some name still starts with everything fed so far.
    pub fn feed(&mut self, bytes: &[u8]) -> bool {
        for &b in bytes {
            step(&self.base_fst, &mut self.base, b);
            if let Some(f) = &self.overlay_fst {
                step(f, &mut self.overlay, b);
            }
            if !self.is_alive() {
                return false;
            }
        }
        self.is_alive()
    }

    /// Whether some name still starts with everything fed so far.
    pub fn is_alive(&self) -> bool {
        self.base.is_some() || self.overlay.is_some()
    }

    /// If the bytes fed so far are a complete name: its match (for [`Gazetteer::key_postings`]).
    pub fn key_match(&self) -> Option<KeyMatch> {
        let base = finish(&self.base_fst, self.base);
        let overlay = self
            .overlay_fst
            .as_ref()
            .and_then(|f| finish(f, self.overlay));
        (base.is_some() || overlay.is_some()).then_some(KeyMatch { base, overlay })
    }

    /// Starts over at the empty key.
    pub fn reset(&mut self) {
        *self = self.gaz.walker();
    }

    /// Where the walker is, detached from the gazetteer so it can be stored and resumed with
    /// [`Walker::resume`] (on a walker of the same gazetteer).
    pub fn position(&self) -> WalkPosition {
        WalkPosition {
            base: self.base,
            overlay: self.overlay,
        }
    }

    /// Continues from a position taken with [`Walker::position`] on a walker of the same
    /// gazetteer: afterwards the walker behaves as the one the position was taken from.
    pub fn resume(&mut self, at: WalkPosition) {
        self.base = at.base;
        self.overlay = at.overlay;
    }
}

/// A [`Walker`]'s state in each layer: the fst node reached and the output summed so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WalkPosition {
    base: Option<(CompiledAddr, u64)>,
    overlay: Option<(CompiledAddr, u64)>,
}

/// Summary of a gazetteer for `gazetteer info`.
#[derive(Debug, Clone)]
pub struct Info {
    /// Places (base + additions).
    pub places: u64,
    /// (normalized name, place) pairs.
    pub names: u64,
    /// Distinct normalized names.
    pub keys: u64,
    /// Index size in bytes (base index).
    pub index_bytes: u64,
    /// Places added by `--places` files.
    pub added_places: u64,
    /// Distinct transliteration skeletons in the FOLDS section (base index).
    pub fold_keys: u64,
    /// (skeleton, place) pairs in the FOLDS section (base index).
    pub folds: u64,
    /// Metadata pairs of the base index (counts per class `class.X`, per kind `kind.X`,
    /// `sources`, `file.*`, …).
    pub meta: Vec<(String, String)>,
}

struct BaseView<'a>(RawIndex<'a>);

impl BaseLookup for BaseView<'_> {
    fn find(&self, geonameid: u32) -> Option<(u32, Entry)> {
        let idx = self.0.by_geonameid(geonameid)?;
        let r = self.0.record(idx)?;
        let s = |at| self.0.string(rec::str_at(r, at)).to_string();
        let class = rec::feature_class(r);
        let e = Entry {
            geonameid: Some(geonameid),
            name: s(rec::NAME),
            asciiname: s(rec::ASCIINAME),
            lat: rec::lat(r),
            lon: rec::lon(r),
            feature_class: if class == 0 {
                String::new()
            } else {
                (class as char).to_string()
            },
            feature_code: rec::feature_code(r).to_string(),
            country_code: rec::country_code(r).to_string(),
            admin1_code: s(rec::ADMIN1_CODE),
            admin2_code: s(rec::ADMIN2_CODE),
            admin1_name: s(rec::ADMIN1_NAME),
            admin2_name: s(rec::ADMIN2_NAME),
            population: rec::population(r),
            capital: Some(rec::capital(r)).filter(|&c| c != 0),
            neighbours: s(rec::NEIGHBOURS),
            iso3: s(rec::ISO3),
            ..Default::default()
        };
        Some((idx, e))
    }

    fn admin_name(&self, cc: &str, admin1: &str, admin2: Option<&str>) -> Option<String> {
        let key = match admin2 {
            None => format!("{cc}.{admin1}"),
            Some(a2) => format!("{cc}.{admin1}.{a2}"),
        };
        let idx = self.0.code(&key)?;
        let r = self.0.record(idx)?;
        Some(self.0.string(rec::str_at(r, rec::NAME)).to_string())
    }
}

impl Gazetteer {
    /// The gazetteer embedded in the binary (built from `gazetteer/data/`). Opening it only
    /// reads the header; the first call costs microseconds, later calls nothing.
    pub fn embedded() -> &'static Gazetteer {
        static EMBEDDED: OnceLock<Gazetteer> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            Gazetteer::from_static(embedded_bytes())
                .unwrap_or_else(|e| unreachable!("the build script writes a valid index: {e}"))
        })
    }

    /// A new handle on the embedded index, for callers that want to own it (e.g. to add
    /// `--places` with [`Gazetteer::with_places`]). As cheap as [`Gazetteer::embedded`].
    pub fn embedded_handle() -> Gazetteer {
        Gazetteer::from_static(embedded_bytes())
            .unwrap_or_else(|e| unreachable!("the build script writes a valid index: {e}"))
    }

    /// Uses index bytes that live for the whole program (e.g. from `include_bytes!`).
    pub fn from_static(bytes: &'static [u8]) -> Result<Gazetteer, GazetteerError> {
        Ok(Gazetteer {
            base: Layer::new(Storage::Static(bytes), "embedded index")?,
            overlay: None,
            id: next_id(),
        })
    }

    /// Uses owned index bytes.
    pub fn from_vec(bytes: Vec<u8>) -> Result<Gazetteer, GazetteerError> {
        Ok(Gazetteer {
            base: Layer::new(Storage::Owned(bytes), "index")?,
            overlay: None,
            id: next_id(),
        })
    }

    /// Memory-maps an index file written by `eventmap gazetteer build`.
    pub fn open(path: &Path) -> Result<Gazetteer, GazetteerError> {
        let io = |source| GazetteerError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = File::open(path).map_err(io)?;
        // SAFETY: the map is read-only; the index file is not expected to change while mapped
        // (index files are replaced by rename, which leaves the mapped inode intact).
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
        Ok(Gazetteer {
            base: Layer::new(Storage::Mmap(map), &path.display().to_string())?,
            overlay: None,
            id: next_id(),
        })
    }

    /// Builds a small in-memory gazetteer from places TSV text (tests, examples, tools).
    /// Malformed rows are skipped.
    pub fn from_places_tsv(text: &[u8]) -> Result<Gazetteer, GazetteerError> {
        let mut set = PlaceSet::new();
        let fail = |source: std::io::Error| GazetteerError::Io {
            path: PathBuf::from("<places>"),
            source,
        };
        tsv::read_places(
            text,
            "<places>",
            |row| {
                let _ = set.apply(&row, &placeset::NoBase);
            },
            |_| {},
        )
        .map_err(fail)?;
        set.join_admin_names(&placeset::NoBase);
        let mut w = format::IndexWriter::in_memory();
        let fmt = |source| GazetteerError::Format {
            path: "<places>".into(),
            source,
        };
        set.write(&mut w, 0).map_err(fmt)?;
        let (bytes, _) = w.finish_to_vec().map_err(fmt)?;
        Gazetteer::from_vec(bytes)
    }

    /// Adds user places/aliases from places TSV files (format in `docs/gazetteer.md`) on top of
    /// this gazetteer. Malformed rows are returned (`FILE:LINE: reason`) and skipped; an
    /// unreadable file is an error. Replaces earlier additions.
    pub fn with_places(
        mut self,
        paths: &[PathBuf],
    ) -> Result<(Gazetteer, Vec<RowError>), GazetteerError> {
        self.overlay = None;
        self.id = next_id();
        if paths.is_empty() {
            return Ok((self, Vec::new()));
        }
        let base = BaseView(self.base.raw());
        let mut set = PlaceSet::new();
        let mut errors = Vec::new();
        for path in paths {
            let label = path.display().to_string();
            let mut file_errors = Vec::new();
            let mut parse_errors = Vec::new();
            tsv::read_places_file(
                path,
                |row| {
                    if let Err(reason) = set.apply(&row, &base) {
                        file_errors.push(RowError {
                            file: label.clone(),
                            line: row.line,
                            reason,
                        });
                    }
                },
                |e| parse_errors.push(e),
            )
            .map_err(|source| GazetteerError::Io {
                path: path.clone(),
                source,
            })?;
            file_errors.append(&mut parse_errors);
            file_errors.sort_by_key(|e| e.line);
            errors.append(&mut file_errors);
        }
        set.join_admin_names(&base);
        let offset = self.base.raw().place_count();
        let fmt = |source| GazetteerError::Format {
            path: "--places".into(),
            source,
        };
        let mut w = format::IndexWriter::in_memory();
        let redirects = set.write(&mut w, offset).map_err(fmt)?;
        let (bytes, _) = w.finish_to_vec().map_err(fmt)?;
        let layer = Layer::new(Storage::Owned(bytes), "--places")?;
        self.overlay = Some(Overlay {
            layer,
            offset,
            redirects: redirects.into_iter().collect(),
        });
        Ok((self, errors))
    }

    /// A process-unique id of this gazetteer and its contents (a new one after
    /// [`Gazetteer::with_places`]), for caches of facts derived from its places.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Number of places (base + additions; replaced base places still count).
    pub fn len(&self) -> u32 {
        self.base.raw().place_count()
            + self
                .overlay
                .as_ref()
                .map_or(0, |o| o.layer.raw().place_count())
    }

    /// Whether there are no places at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn redirect(&self, idx: u32) -> u32 {
        match &self.overlay {
            Some(o) => o.redirects.get(&idx).copied().unwrap_or(idx),
            None => idx,
        }
    }

    /// The place at `idx`.
    pub fn get(&self, idx: PlaceIdx) -> Option<Place<'_>> {
        let base = self.base.raw();
        if idx.0 < base.place_count() {
            return Some(Place {
                idx,
                raw: base,
                rec: base.record(idx.0)?,
            });
        }
        let o = self.overlay.as_ref()?;
        let raw = o.layer.raw();
        Some(Place {
            idx,
            raw,
            rec: raw.record(idx.0.checked_sub(o.offset)?)?,
        })
    }

    /// The place with this GeoNames id (additions first, so overrides win).
    pub fn by_geonameid(&self, id: u32) -> Option<Place<'_>> {
        if let Some(o) = &self.overlay
            && let Some(i) = o.layer.raw().by_geonameid(id)
        {
            return self.get(PlaceIdx(o.offset + i));
        }
        let i = self.base.raw().by_geonameid(id)?;
        self.get(PlaceIdx(self.redirect(i)))
    }

    fn code(&self, key: &str) -> Option<Place<'_>> {
        if let Some(o) = &self.overlay
            && let Some(i) = o.layer.raw().code(key)
        {
            return self.get(PlaceIdx(o.offset + i));
        }
        let i = self.base.raw().code(key)?;
        self.get(PlaceIdx(self.redirect(i)))
    }

    /// The country with ISO code `cc` (case-insensitive; prefers `PCLI` over dependencies).
    pub fn country(&self, cc: &str) -> Option<Place<'_>> {
        self.code(&cc.to_ascii_uppercase())
    }

    /// The first-level division `code` of country `cc` (`admin1("SY", "08")` = Rif Dimashq).
    pub fn admin1(&self, cc: &str, code: &str) -> Option<Place<'_>> {
        self.code(&format!("{}.{code}", cc.to_ascii_uppercase()))
    }

    /// The second-level division `(cc, admin1, admin2)`.
    pub fn admin2(&self, cc: &str, admin1: &str, admin2: &str) -> Option<Place<'_>> {
        self.code(&format!("{}.{admin1}.{admin2}", cc.to_ascii_uppercase()))
    }

    /// Every place the (already normalized) key reaches, with its best match kind, in index
    /// order of importance, replaced places redirected, each place once.
    pub fn key_postings(&self, m: KeyMatch) -> impl Iterator<Item = (PlaceIdx, MatchKind)> + '_ {
        let base = m
            .base
            .into_iter()
            .flat_map(move |v| self.base.raw().postings(v));
        let over = self.overlay.iter().flat_map(move |o| {
            m.overlay
                .into_iter()
                .flat_map(move |v| o.layer.raw().postings(v))
        });
        // Without additions a key's postings are unique; with them, the same place can be
        // reached through both layers or through a redirect.
        let dedup = self.overlay.is_some();
        let mut seen = std::collections::HashSet::new();
        over.chain(base).filter_map(move |(p, kind)| {
            let p = self.redirect(p);
            if dedup && !seen.insert(p) {
                return None;
            }
            Some((PlaceIdx(p), kind))
        })
    }

    /// The [`KeyMatch`] of an already normalized key, if it is a name.
    pub fn find_key(&self, key: &str) -> Option<KeyMatch> {
        let base = self.base.raw().names().get(key).map(|o| o.value());
        let overlay = self
            .overlay
            .as_ref()
            .and_then(|o| o.layer.raw().names().get(key).map(|o| o.value()));
        (base.is_some() || overlay.is_some()).then_some(KeyMatch { base, overlay })
    }

    /// The [`KeyMatch`] of the places whose primary or ASCII name has the transliteration
    /// skeleton ([`variant::fold`]) of the already normalized `key`, if there are any; their
    /// postings ([`Gazetteer::key_postings`]) are all of kind [`MatchKind::Fold`]. Only places
    /// [`variant::is_fold_indexed`] selects are found, and only for keys of at least
    /// [`variant::MIN_LETTERS`] letters. Meant for words that match no name: "Qamishli" finds
    /// Al Qāmishlī. `folded` and `scratch` are work space (their contents are overwritten), so
    /// that callers looking up many keys allocate nothing.
    ///
    /// ```
    /// # use eventmap::gazetteer::{Gazetteer, MatchKind};
    /// let tsv = "name\tlat\tlon\tfeature_code\tpopulation\nAl Qāmishlī\t37.05\t41.23\tPPLA2\t184231\n";
    /// let gaz = Gazetteer::from_places_tsv(tsv.as_bytes()).unwrap();
    /// assert!(gaz.find_key("qamishli").is_none());
    /// let (mut folded, mut scratch) = (String::new(), Vec::new());
    /// let m = gaz.find_fold("qamishli", &mut folded, &mut scratch).unwrap();
    /// let (place, kind) = gaz.key_postings(m).next().unwrap();
    /// assert_eq!(gaz.get(place).unwrap().name(), "Al Qāmishlī");
    /// assert_eq!(kind, MatchKind::Fold);
    /// ```
    pub fn find_fold(
        &self,
        key: &str,
        folded: &mut String,
        scratch: &mut Vec<u8>,
    ) -> Option<KeyMatch> {
        if key.bytes().filter(|&b| b != b' ').count() < variant::MIN_LETTERS {
            return None;
        }
        folded.clear();
        variant::fold_into(key, folded, scratch);
        let base = self.base.raw().fold_value(folded);
        let overlay = self
            .overlay
            .as_ref()
            .and_then(|o| o.layer.raw().fold_value(folded));
        (base.is_some() || overlay.is_some()).then_some(KeyMatch { base, overlay })
    }

    /// All places a name reaches (normalized here), unranked.
    pub fn matches(&self, name: &str) -> Vec<(PlaceIdx, MatchKind)> {
        let key = normalize(name);
        self.find_key(&key)
            .map_or_else(Vec::new, |m| self.places_of(m))
    }

    /// The places key match `m` reaches, each once with its best kind (the overlay and the
    /// base may both reach a place), in place order.
    fn places_of(&self, m: KeyMatch) -> Vec<(PlaceIdx, MatchKind)> {
        let mut v: Vec<_> = self.key_postings(m).collect();
        v.sort_unstable();
        v.dedup_by_key(|p| p.0);
        v
    }

    /// The places a name (normalized here) reaches by transliteration skeleton
    /// ([`Gazetteer::find_fold`]), each once, unranked.
    pub fn fold_matches(&self, name: &str) -> Vec<(PlaceIdx, MatchKind)> {
        let (mut folded, mut scratch) = (String::new(), Vec::new());
        self.find_fold(&normalize(name), &mut folded, &mut scratch)
            .map_or_else(Vec::new, |m| self.places_of(m))
    }

    /// Ranked candidates for a name with the [`DefaultPrior`] and no context.
    pub fn lookup(&self, name: &str) -> Vec<Candidate> {
        self.lookup_with(name, &LookupOptions::default(), &DefaultPrior)
    }

    /// Ranked candidates, best first. A name that matches no listed name falls back to the
    /// places whose primary or ASCII name shares its transliteration skeleton
    /// ([`Gazetteer::find_fold`], kind [`MatchKind::Fold`]), as the recognizer does for words
    /// in text: "Qamishli" finds Al Qāmishlī.
    ///
    /// Score = `prior.score(place, kind)` + a `near` boost of
    /// `NEAR_WEIGHT / (1 + distance / NEAR_HALF_KM)`. Places outside `country` are dropped.
    /// One relational rule follows: when an administrative division (`ADM1`–`ADM4`) and the
    /// seat of that division (`PPLC`/`PPLG`/`PPLA` for ADM1, `PPLA2` for ADM2, …, same
    /// country and admin codes) are both reached by the name, the seat ranks first (news say
    /// "Aleppo" for the city, "Aleppo province" for the division). Ties break on geonameid.
    pub fn lookup_with(
        &self,
        name: &str,
        opts: &LookupOptions,
        prior: &dyn PlacePrior,
    ) -> Vec<Candidate> {
        let cc = opts.country.as_ref().map(|c| c.to_ascii_uppercase());
        let mut out: Vec<Candidate> = Vec::new();
        let mut reached = self.matches(name);
        if reached.is_empty() {
            reached = self.fold_matches(name);
        }
        for (idx, kind) in reached {
            let Some(place) = self.get(idx) else { continue };
            if let Some(cc) = &cc
                && place.country_code() != cc
            {
                continue;
            }
            let mut score = prior.score(&place, kind);
            if let Some((lat, lon)) = opts.near {
                let d = distance_km(lat, lon, place.lat(), place.lon());
                score += NEAR_WEIGHT / (1.0 + d / NEAR_HALF_KM);
            }
            out.push(Candidate {
                place: idx,
                kind,
                score,
            });
        }
        self.prefer_seats(&mut out);
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| self.gid_of(a.place).cmp(&self.gid_of(b.place)))
                .then(a.place.cmp(&b.place))
        });
        if let Some(limit) = opts.limit {
            out.truncate(limit);
        }
        out
    }

    fn gid_of(&self, idx: PlaceIdx) -> u32 {
        self.get(idx)
            .and_then(|p| p.geonameid())
            .unwrap_or(u32::MAX)
    }

    /// The seat rule of [`Gazetteer::lookup_with`].
    fn prefer_seats(&self, cands: &mut [Candidate]) {
        let level = |p: &Place<'_>| match p.feature_code() {
            "ADM1" => Some(1),
            "ADM2" => Some(2),
            "ADM3" => Some(3),
            "ADM4" => Some(4),
            _ => None,
        };
        let seat_level = |p: &Place<'_>| match p.feature_code() {
            "PPLC" | "PPLG" | "PPLA" => Some(1),
            "PPLA2" => Some(2),
            "PPLA3" => Some(3),
            "PPLA4" => Some(4),
            _ => None,
        };
        let seats: Vec<(usize, u8, f64)> = cands
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let p = self.get(c.place)?;
                Some((i, seat_level(&p)?, c.score))
            })
            .collect();
        if seats.is_empty() {
            return;
        }
        for i in 0..cands.len() {
            let Some(div) = self.get(cands[i].place) else {
                continue;
            };
            let Some(lvl) = level(&div) else { continue };
            for &(j, slvl, sscore) in &seats {
                let Some(seat) = self.get(cands[j].place) else {
                    continue;
                };
                let same = seat.country_code() == div.country_code()
                    && (lvl < 1 || seat.admin1_code() == div.admin1_code())
                    && (lvl < 2 || seat.admin2_code() == div.admin2_code());
                if same && slvl <= lvl && cands[i].score >= sscore {
                    cands[i].score = sscore - 0.01;
                }
            }
        }
    }

    /// The base name fst, for custom walks (`fst::raw::Fst::root`, `node`, …). Values are
    /// passed to [`Gazetteer::base_postings`]. Most callers want [`Gazetteer::walker`], which
    /// also covers `--places` additions.
    pub fn names_fst(&self) -> fst::raw::Fst<&[u8]> {
        self.base.raw().names()
    }

    /// Postings of a value of [`Gazetteer::names_fst`] (replaced places redirected).
    pub fn base_postings(&self, value: u64) -> impl Iterator<Item = (PlaceIdx, MatchKind)> + '_ {
        self.base
            .raw()
            .postings(value)
            .map(move |(p, k)| (PlaceIdx(self.redirect(p)), k))
    }

    /// A [`Walker`] at the empty key.
    pub fn walker(&self) -> Walker<'_> {
        let base_fst = self.base.raw().names();
        let overlay_fst = self.overlay.as_ref().map(|o| o.layer.raw().names());
        Walker {
            gaz: self,
            base: Some((base_fst.root().addr(), 0)),
            overlay: overlay_fst.as_ref().map(|f| (f.root().addr(), 0)),
            base_fst,
            overlay_fst,
        }
    }

    /// All normalized keys that are demonyms of some place (`"syrian"`, `"russian"`), sorted.
    pub fn demonym_keys(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.base.raw().demonym_keys().collect();
        if let Some(o) = &self.overlay {
            v.extend(o.layer.raw().demonym_keys());
            v.sort_unstable();
            v.dedup();
        }
        v
    }

    /// Counts and source metadata.
    pub fn info(&self) -> Info {
        let raw = self.base.raw();
        let meta: Vec<(String, String)> = raw
            .meta()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let get = |k: &str| {
            meta.iter()
                .find(|(key, _)| key == k)
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0)
        };
        let added = self
            .overlay
            .as_ref()
            .map_or(0, |o| o.layer.raw().place_count() as u64);
        let added_names = self.overlay.as_ref().map_or(0, |o| {
            o.layer
                .raw()
                .meta()
                .iter()
                .find(|(k, _)| *k == "names")
                .and_then(|(_, v)| v.parse::<u64>().ok())
                .unwrap_or(0)
        });
        Info {
            places: raw.place_count() as u64 + added,
            names: get("names") + added_names,
            keys: raw.key_count(),
            index_bytes: self.base.bytes_len() as u64,
            added_places: added,
            fold_keys: get("fold_keys"),
            folds: get("folds"),
            meta,
        }
    }
}

#[cfg(test)]
mod tests;
