//! The binary index format: writer and zero-copy reader.
//!
//! An index is one byte string, usable straight from `include_bytes!` or a memory map: nothing
//! is parsed at start-up beyond a 176-byte header. All integers are little-endian and read with
//! `from_le_bytes` from slices, so the bytes need no particular alignment.
//!
//! ```text
//! header (176 bytes)
//!   0  magic  b"EVMGAZ\0\x01"
//!   8  u32 format version (3)          12 u32 record size (72)
//!   16 u32 place count                 20 u32 reserved (0)
//!   24 u64 key count                   (distinct normalized names)
//!   32 9 × (u64 offset, u64 length)    sections, in this order:
//! NAMES     fst::Map: normalized name → posting value (see below)
//! POSTINGS  u32 words: [count, posting, posting, …] lists referenced by NAMES values
//! RECORDS   place count × 72-byte place records
//! STRINGS   string pool: LEB128 length + UTF-8 bytes; offset 0 is the empty string
//! GEONAMEID (u32 geonameid, u32 place) pairs sorted by geonameid
//! CODES     fst::Map: "CC" → country, "CC.A1" → ADM1, "CC.A1.A2" → ADM2 place index
//! META      (u32 len, key bytes, u32 len, value bytes)* — counts and source versions
//! DEMONYMS  '\n'-separated normalized keys that have at least one demonym posting
//! FOLDS     (u64 skeleton hash, u64 posting value) pairs sorted by hash (lists in POSTINGS)
//! ```
//!
//! A **posting** is a `u32`: `place_index << 3 | match_kind` ([`MatchKind`] as 0–6; version 1
//! indexes, which had no `Variant`, numbered the kinds 0–4 and are refused, and version 2
//! indexes, which had no FOLDS section, are refused too). A NAMES or FOLDS value with bit 63
//! set holds a single posting inline in its low 32 bits; otherwise it is the index (in `u32`
//! words) of a list in POSTINGS. Postings of one key are ordered by the places' static
//! importance ([`super::rank::static_rank`]), most important first, then place index. One
//! place appears at most once per key, with its best match kind.
//!
//! **FOLDS** maps the [`fold`] (transliteration skeleton), by its
//! [`fold_hash`], of the normalized primary and ASCII names
//! of the places [`IndexWriter::add_fold`] was given (the builders pass those that
//! [`super::variant::is_fold_indexed`] selects) to those places, every posting of kind
//! [`MatchKind::Fold`]; a skeleton that is a NAMES key too keeps only the places that name
//! reaches (a word that folds to another place's listed name is left to that name). It answers "which place does this unlisted spelling
//! respell?" for words that match no key of NAMES ("Qamishli" → `kamishli` ← "Al Qāmishlī").
//! Most such words are no place at all, so the section is a table searched by hash rather than
//! an fst walked byte by byte: a lookup costs a hash and a binary search. Only the hash of a
//! skeleton is stored; a skeleton that is not in the table matches some entry with probability
//! below 10⁻¹⁵ (about 12,000 entries of 64 bits).
//!
//! A **place record** (72 bytes; `str` = u32 offset into STRINGS):
//!
//! ```text
//!  0 u32 geonameid (0 = none)   4 i32 lat (1e-7 °)   8 i32 lon (1e-7 °)
//! 12 str name     16 str asciiname   20 str admin1 code   24 str admin2 code
//! 28 str admin1 name   32 str admin2 name   36 u32 capital geonameid (countries; 0 = none)
//! 40 str neighbours ("|"-separated ISO codes)   44 str iso3   48 u64 population
//! 56 u8 feature class   57 [u8; 7] feature code (zero-padded)   64 [u8; 2] country code
//! 66 u16 flags (0)   68 u32 reserved (0)
//! ```
//!
//! The writer ([`IndexWriter`]) works in bounded memory: records, strings, postings and the fst
//! can be spooled to temporary files, and (key, posting) pairs are sorted in runs that spill to
//! disk and are merged. This file depends only on `std` and `fst` plus its sibling modules
//! `normalize`, `rank` and `variant`, because the build script compiles it as well.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::normalize::normalize_into;
use super::variant::{MIN_LETTERS, fold};

/// File magic, first 8 bytes of every index.
pub const MAGIC: &[u8; 8] = b"EVMGAZ\0\x01";
/// Format version stored in the header.
pub const VERSION: u32 = 3;
/// Size of one place record in bytes.
pub const RECORD_SIZE: usize = 72;
/// Size of the header in bytes.
pub const HEADER_SIZE: usize = 176;
const SECTIONS: usize = 9;
const S_NAMES: usize = 0;
const S_POSTINGS: usize = 1;
const S_RECORDS: usize = 2;
const S_STRINGS: usize = 3;
const S_GEONAMEID: usize = 4;
const S_CODES: usize = 5;
const S_META: usize = 6;
const S_DEMONYMS: usize = 7;
const S_FOLDS: usize = 8;
const INLINE: u64 = 1 << 63;

/// How a name reaches a place. Lower values are better matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MatchKind {
    /// The place's primary name.
    Primary = 0,
    /// The place's ASCII name.
    Ascii = 1,
    /// An alternate name that only spells the primary or ASCII name another way ("Raqqa" for
    /// "Ar Raqqah", "Douma" for "Dūmā"; see [`super::variant`]).
    Variant = 2,
    /// One of its other alternate names (other languages, scripts, exonyms, old names).
    Alternate = 3,
    /// A demonym or adjectival form ("Syrian").
    Demonym = 4,
    /// An abbreviation or code ("US", "UAE", airport codes).
    Abbreviation = 5,
    /// No name of the place, but a spelling that folds to the same transliteration skeleton as
    /// its primary or ASCII name ("Qamishli" for "Al Qāmishlī"; found only through FOLDS).
    Fold = 6,
}

impl MatchKind {
    /// All kinds, best first.
    pub const ALL: [MatchKind; 7] = [
        MatchKind::Primary,
        MatchKind::Ascii,
        MatchKind::Variant,
        MatchKind::Alternate,
        MatchKind::Demonym,
        MatchKind::Abbreviation,
        MatchKind::Fold,
    ];

    /// Decodes the 3-bit value stored in a posting.
    pub fn from_bits(bits: u32) -> Option<MatchKind> {
        MatchKind::ALL.get(bits as usize).copied()
    }

    /// Lower-case English label (`primary`, `ascii`, `variant`, `alternate`, `demonym`,
    /// `abbreviation`, `fold`).
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Primary => "primary",
            MatchKind::Ascii => "ascii",
            MatchKind::Variant => "variant",
            MatchKind::Alternate => "alternate",
            MatchKind::Demonym => "demonym",
            MatchKind::Abbreviation => "abbreviation",
            MatchKind::Fold => "fold",
        }
    }
}

impl fmt::Display for MatchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Errors reading or writing an index.
#[derive(Debug)]
pub enum FormatError {
    /// The bytes are not an index of a supported version, or a section is out of bounds.
    Invalid(String),
    /// An embedded fst failed to load or build.
    Fst(fst::Error),
    /// Reading or writing temporary or output files failed.
    Io(io::Error),
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::Invalid(msg) => write!(f, "not a valid gazetteer index: {msg}"),
            FormatError::Fst(err) => write!(f, "gazetteer index name map: {err}"),
            FormatError::Io(err) => write!(f, "{err}"),
        }
    }
}

impl std::error::Error for FormatError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            FormatError::Invalid(_) => None,
            FormatError::Fst(err) => Some(err),
            FormatError::Io(err) => Some(err),
        }
    }
}

impl From<io::Error> for FormatError {
    fn from(err: io::Error) -> Self {
        FormatError::Io(err)
    }
}

impl From<fst::Error> for FormatError {
    fn from(err: fst::Error) -> Self {
        match err {
            fst::Error::Io(err) => FormatError::Io(err),
            other => FormatError::Fst(other),
        }
    }
}

/// The FOLDS hash of a transliteration skeleton: 64-bit FNV-1a of its bytes.
pub fn fold_hash(skeleton: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in skeleton.as_bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Encodes a posting word.
pub fn encode_posting(place: u32, kind: MatchKind) -> u32 {
    (place << 3) | kind as u32
}

/// Decodes a posting word into (place index, kind).
pub fn decode_posting(word: u32) -> (u32, MatchKind) {
    (
        word >> 3,
        MatchKind::from_bits(word & 7).unwrap_or(MatchKind::Abbreviation),
    )
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/// Section boundaries of an index, parsed once from the header (cheap, no data is touched).
#[derive(Debug, Clone)]
pub struct Layout {
    sections: [(usize, usize); SECTIONS],
    place_count: u32,
    key_count: u64,
}

fn read_u32(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .unwrap_or(0)
}

fn read_u64(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8)
        .map(|s| {
            let mut a = [0u8; 8];
            a.copy_from_slice(s);
            u64::from_le_bytes(a)
        })
        .unwrap_or(0)
}

impl Layout {
    /// Validates the header and section table of `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<Layout, FormatError> {
        if bytes.len() < HEADER_SIZE || &bytes[..8] != MAGIC {
            return Err(FormatError::Invalid("missing header".into()));
        }
        let version = read_u32(bytes, 8);
        if version != VERSION {
            return Err(FormatError::Invalid(format!(
                "format version {version}, this program reads version {VERSION}"
            )));
        }
        if read_u32(bytes, 12) as usize != RECORD_SIZE {
            return Err(FormatError::Invalid("unexpected record size".into()));
        }
        let place_count = read_u32(bytes, 16);
        let key_count = read_u64(bytes, 24);
        let mut sections = [(0usize, 0usize); SECTIONS];
        for (i, section) in sections.iter_mut().enumerate() {
            let off = read_u64(bytes, 32 + 16 * i);
            let len = read_u64(bytes, 40 + 16 * i);
            let end = off.checked_add(len).filter(|&e| e <= bytes.len() as u64);
            match end {
                Some(end) if off >= HEADER_SIZE as u64 => {
                    *section = (off as usize, end as usize);
                }
                _ => return Err(FormatError::Invalid(format!("section {i} out of bounds"))),
            }
        }
        let layout = Layout {
            sections,
            place_count,
            key_count,
        };
        let records = layout.section(bytes, S_RECORDS);
        if records.len() != place_count as usize * RECORD_SIZE {
            return Err(FormatError::Invalid("record section size mismatch".into()));
        }
        if !layout.section(bytes, S_POSTINGS).len().is_multiple_of(4)
            || !layout.section(bytes, S_GEONAMEID).len().is_multiple_of(8)
            || !layout.section(bytes, S_FOLDS).len().is_multiple_of(16)
        {
            return Err(FormatError::Invalid("misaligned section".into()));
        }
        fst::raw::Fst::new(layout.section(bytes, S_NAMES))?;
        fst::raw::Fst::new(layout.section(bytes, S_CODES))?;
        Ok(layout)
    }

    fn section<'a>(&self, bytes: &'a [u8], i: usize) -> &'a [u8] {
        let (a, b) = self.sections[i];
        &bytes[a..b]
    }

    /// Borrows `bytes` (the same bytes this layout was parsed from) as an index.
    pub fn view<'a>(&'a self, bytes: &'a [u8]) -> RawIndex<'a> {
        RawIndex {
            bytes,
            layout: self,
        }
    }
}

/// A borrowed, zero-copy view of one index.
#[derive(Clone, Copy)]
pub struct RawIndex<'a> {
    bytes: &'a [u8],
    layout: &'a Layout,
}

impl<'a> RawIndex<'a> {
    /// Number of place records.
    pub fn place_count(&self) -> u32 {
        self.layout.place_count
    }

    /// Number of distinct normalized names.
    pub fn key_count(&self) -> u64 {
        self.layout.key_count
    }

    /// The name fst (normalized key → posting value).
    pub fn names(&self) -> fst::raw::Fst<&'a [u8]> {
        // validated in Layout::parse
        fst::raw::Fst::new(self.layout.section(self.bytes, S_NAMES))
            .unwrap_or_else(|_| unreachable!("name fst validated when the index was opened"))
    }

    /// The FOLDS value (for [`RawIndex::postings`]) of a transliteration skeleton (see the
    /// module docs), if the index has it.
    pub fn fold_value(&self, skeleton: &str) -> Option<u64> {
        let table = self.layout.section(self.bytes, S_FOLDS);
        let want = fold_hash(skeleton);
        let (mut lo, mut hi) = (0usize, table.len() / 16);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match read_u64(table, mid * 16).cmp(&want) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(read_u64(table, mid * 16 + 8)),
            }
        }
        None
    }

    /// The administrative code fst.
    pub fn codes(&self) -> fst::raw::Fst<&'a [u8]> {
        fst::raw::Fst::new(self.layout.section(self.bytes, S_CODES))
            .unwrap_or_else(|_| unreachable!("code fst validated when the index was opened"))
    }

    /// Postings of a NAMES or FOLDS value. Entries that point outside the index are skipped.
    pub fn postings(&self, value: u64) -> Postings<'a> {
        if value & INLINE != 0 {
            return Postings {
                inline: Some(value as u32),
                words: &[],
            };
        }
        let words = self.layout.section(self.bytes, S_POSTINGS);
        let start = (value as usize).saturating_mul(4);
        let count = read_u32(words, start) as usize;
        let body = words
            .get(start + 4..start + 4 + count.saturating_mul(4))
            .unwrap_or(&[]);
        Postings {
            inline: None,
            words: body,
        }
    }

    /// The raw 72-byte record of place `idx`.
    pub fn record(&self, idx: u32) -> Option<&'a [u8]> {
        if idx >= self.layout.place_count {
            return None;
        }
        let start = idx as usize * RECORD_SIZE;
        Some(&self.layout.section(self.bytes, S_RECORDS)[start..start + RECORD_SIZE])
    }

    /// A string from the pool; the empty string for bad offsets.
    pub fn string(&self, offset: u32) -> &'a str {
        let pool = self.layout.section(self.bytes, S_STRINGS);
        let mut at = offset as usize;
        let mut len = 0usize;
        let mut shift = 0;
        loop {
            let Some(&b) = pool.get(at) else { return "" };
            at += 1;
            len |= ((b & 0x7f) as usize) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 35 {
                return "";
            }
        }
        pool.get(at..at.saturating_add(len))
            .and_then(|s| std::str::from_utf8(s).ok())
            .unwrap_or("")
    }

    /// Place index of a GeoNames id.
    pub fn by_geonameid(&self, id: u32) -> Option<u32> {
        let table = self.layout.section(self.bytes, S_GEONAMEID);
        let n = table.len() / 8;
        let (mut lo, mut hi) = (0usize, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let gid = read_u32(table, mid * 8);
            match gid.cmp(&id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(read_u32(table, mid * 8 + 4)),
            }
        }
        None
    }

    /// Place index for an administrative code key (`"SY"`, `"SY.09"`, `"SY.09.123"`).
    pub fn code(&self, key: &str) -> Option<u32> {
        self.codes().get(key).map(|o| o.value() as u32)
    }

    /// Metadata pairs, in stored order.
    pub fn meta(&self) -> Vec<(&'a str, &'a str)> {
        let m = self.layout.section(self.bytes, S_META);
        let mut out = Vec::new();
        let mut at = 0usize;
        let take = |at: &mut usize| -> Option<&'a str> {
            let len = read_u32(m, *at) as usize;
            let s = m.get(*at + 4..(*at + 4).checked_add(len)?)?;
            *at += 4 + len;
            std::str::from_utf8(s).ok()
        };
        while at < m.len() {
            let (Some(k), Some(v)) = (take(&mut at), take(&mut at)) else {
                break;
            };
            out.push((k, v));
        }
        out
    }

    /// Normalized keys that have at least one demonym posting, in key order.
    pub fn demonym_keys(&self) -> impl Iterator<Item = &'a str> + 'a {
        let d = self.layout.section(self.bytes, S_DEMONYMS);
        std::str::from_utf8(d)
            .unwrap_or("")
            .split('\n')
            .filter(|s| !s.is_empty())
    }
}

/// Iterator over the postings of one key: `(place index, match kind)`.
#[derive(Clone)]
pub struct Postings<'a> {
    inline: Option<u32>,
    words: &'a [u8],
}

impl Iterator for Postings<'_> {
    type Item = (u32, MatchKind);
    fn next(&mut self) -> Option<Self::Item> {
        if let Some(w) = self.inline.take() {
            return Some(decode_posting(w));
        }
        if self.words.len() < 4 {
            return None;
        }
        let w = read_u32(self.words, 0);
        self.words = &self.words[4..];
        Some(decode_posting(w))
    }
}

/// Decoded fixed fields of a record.
pub mod rec {
    use super::{read_u32, read_u64};

    /// GeoNames id, 0 when none.
    pub fn geonameid(r: &[u8]) -> u32 {
        read_u32(r, 0)
    }
    /// Latitude in degrees.
    pub fn lat(r: &[u8]) -> f64 {
        read_u32(r, 4) as i32 as f64 / 1e7
    }
    /// Longitude in degrees.
    pub fn lon(r: &[u8]) -> f64 {
        read_u32(r, 8) as i32 as f64 / 1e7
    }
    /// String-pool offset of a string field at byte `at` (12, 16, … 44).
    pub fn str_at(r: &[u8], at: usize) -> u32 {
        read_u32(r, at)
    }
    /// Capital geonameid (countries), 0 when none.
    pub fn capital(r: &[u8]) -> u32 {
        read_u32(r, 36)
    }
    /// Population.
    pub fn population(r: &[u8]) -> u64 {
        read_u64(r, 48)
    }
    /// Feature class byte (`b'P'`), 0 when unknown.
    pub fn feature_class(r: &[u8]) -> u8 {
        r[56]
    }
    /// Feature code (`"PPLC"`).
    pub fn feature_code(r: &[u8]) -> &str {
        let raw = &r[57..64];
        let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
        std::str::from_utf8(&raw[..end]).unwrap_or("")
    }
    /// ISO country code (`"SY"`), empty when none.
    pub fn country_code(r: &[u8]) -> &str {
        let raw = &r[64..66];
        let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
        std::str::from_utf8(&raw[..end]).unwrap_or("")
    }
    /// Offsets of string fields.
    pub const NAME: usize = 12;
    /// ASCII name.
    pub const ASCIINAME: usize = 16;
    /// Admin1 code.
    pub const ADMIN1_CODE: usize = 20;
    /// Admin2 code.
    pub const ADMIN2_CODE: usize = 24;
    /// Admin1 name.
    pub const ADMIN1_NAME: usize = 28;
    /// Admin2 name.
    pub const ADMIN2_NAME: usize = 32;
    /// Neighbours.
    pub const NEIGHBOURS: usize = 40;
    /// ISO alpha-3.
    pub const ISO3: usize = 44;
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/// Everything the writer stores about one place.
#[derive(Debug, Clone, Default)]
pub struct PlaceData<'a> {
    /// GeoNames id.
    pub geonameid: Option<u32>,
    /// Primary name.
    pub name: &'a str,
    /// ASCII name (may be empty or equal to `name`).
    pub asciiname: &'a str,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Feature class (`"P"`).
    pub feature_class: &'a str,
    /// Feature code (`"PPLA"`).
    pub feature_code: &'a str,
    /// ISO country code.
    pub country_code: &'a str,
    /// Admin1 code.
    pub admin1_code: &'a str,
    /// Admin2 code.
    pub admin2_code: &'a str,
    /// Admin1 name (joined at build time).
    pub admin1_name: &'a str,
    /// Admin2 name.
    pub admin2_name: &'a str,
    /// Population.
    pub population: u64,
    /// Capital geonameid (countries).
    pub capital: Option<u32>,
    /// Neighbour ISO codes, `|`-separated.
    pub neighbours: &'a str,
    /// ISO alpha-3 (countries).
    pub iso3: &'a str,
}

/// Where the writer keeps a growing section: in memory or in a temporary file.
enum Spool {
    Mem(Vec<u8>),
    File {
        w: BufWriter<File>,
        len: u64,
        path: PathBuf,
    },
}

impl Spool {
    fn new(dir: Option<&Path>, name: &str) -> io::Result<Spool> {
        match dir {
            None => Ok(Spool::Mem(Vec::new())),
            Some(dir) => {
                let path = dir.join(name);
                let f = File::create(&path)?;
                Ok(Spool::File {
                    w: BufWriter::with_capacity(1 << 20, f),
                    len: 0,
                    path,
                })
            }
        }
    }

    fn len(&self) -> u64 {
        match self {
            Spool::Mem(v) => v.len() as u64,
            Spool::File { len, .. } => *len,
        }
    }

    /// Overwrites 4 bytes at `at` (already written).
    fn patch_u32(&mut self, at: u64, value: u32) -> io::Result<()> {
        match self {
            Spool::Mem(v) => {
                v[at as usize..at as usize + 4].copy_from_slice(&value.to_le_bytes());
                Ok(())
            }
            Spool::File { w, .. } => {
                w.flush()?;
                let f = w.get_mut();
                f.seek(SeekFrom::Start(at))?;
                f.write_all(&value.to_le_bytes())?;
                f.seek(SeekFrom::End(0))?;
                Ok(())
            }
        }
    }

    fn copy_to(self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Spool::Mem(v) => out.write_all(&v),
            Spool::File { w, path, .. } => {
                let f = w.into_inner().map_err(|e| e.into_error())?;
                drop(f);
                let mut r = BufReader::with_capacity(1 << 20, File::open(&path)?);
                io::copy(&mut r, out)?;
                drop(r);
                std::fs::remove_file(&path)
            }
        }
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Spool::Mem(v) => {
                v.extend_from_slice(buf);
                Ok(buf.len())
            }
            Spool::File { w, len, .. } => {
                let n = w.write(buf)?;
                *len += n as u64;
                Ok(n)
            }
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Spool::Mem(_) => Ok(()),
            Spool::File { w, .. } => w.flush(),
        }
    }
}

/// Sorts byte strings in bounded memory: runs of at most `limit` bytes are sorted and, when more
/// than one run is needed, spilled to files in `dir` and merged.
struct ExternalSorter {
    buf: Vec<u8>,
    entries: Vec<(u32, u32)>,
    limit: usize,
    dir: Option<PathBuf>,
    /// File name prefix of the runs, so that sorters sharing `dir` do not collide.
    name: &'static str,
    runs: Vec<PathBuf>,
}

impl ExternalSorter {
    fn new(dir: Option<&Path>, name: &'static str, limit: usize) -> Self {
        ExternalSorter {
            buf: Vec::new(),
            entries: Vec::new(),
            limit,
            dir: dir.map(Path::to_path_buf),
            name,
            runs: Vec::new(),
        }
    }

    fn push(&mut self, item: &[u8]) -> io::Result<()> {
        self.entries
            .push((self.buf.len() as u32, item.len() as u32));
        self.buf.extend_from_slice(item);
        if self.dir.is_some()
            && (self.buf.len() >= self.limit || self.buf.len() > u32::MAX as usize / 2)
        {
            self.spill()?;
        }
        Ok(())
    }

    fn sort_entries(&mut self) {
        let buf = &self.buf;
        self.entries.sort_unstable_by(|a, b| {
            buf[a.0 as usize..(a.0 + a.1) as usize].cmp(&buf[b.0 as usize..(b.0 + b.1) as usize])
        });
    }

    fn spill(&mut self) -> io::Result<()> {
        let Some(dir) = self.dir.clone() else {
            return Ok(());
        };
        self.sort_entries();
        let path = dir.join(format!("{}{:04}", self.name, self.runs.len()));
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&path)?);
        for &(off, len) in &self.entries {
            w.write_all(&(len as u16).to_le_bytes())?;
            w.write_all(&self.buf[off as usize..(off + len) as usize])?;
        }
        w.flush()?;
        self.runs.push(path);
        self.buf.clear();
        self.entries.clear();
        Ok(())
    }

    /// Calls `f` with every item in sorted order.
    fn finish(
        mut self,
        mut f: impl FnMut(&[u8]) -> Result<(), FormatError>,
    ) -> Result<(), FormatError> {
        if self.runs.is_empty() {
            self.sort_entries();
            for &(off, len) in &self.entries {
                f(&self.buf[off as usize..(off + len) as usize])?;
            }
            return Ok(());
        }
        if !self.entries.is_empty() {
            self.spill()?;
        }
        self.buf = Vec::new();
        self.entries = Vec::new();
        let mut readers = Vec::new();
        for path in &self.runs {
            readers.push(BufReader::with_capacity(1 << 16, File::open(path)?));
        }
        fn next_item(r: &mut BufReader<File>) -> io::Result<Option<Vec<u8>>> {
            let mut len = [0u8; 2];
            match r.read_exact(&mut len) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
                Err(e) => return Err(e),
            }
            let mut item = vec![0u8; u16::from_le_bytes(len) as usize];
            r.read_exact(&mut item)?;
            Ok(Some(item))
        }
        let mut heap = BinaryHeap::new();
        for (i, r) in readers.iter_mut().enumerate() {
            if let Some(item) = next_item(r)? {
                heap.push(Reverse((item, i)));
            }
        }
        while let Some(Reverse((item, i))) = heap.pop() {
            f(&item)?;
            if let Some(next) = next_item(&mut readers[i])? {
                heap.push(Reverse((next, i)));
            }
        }
        drop(readers);
        for path in &self.runs {
            let _ = std::fs::remove_file(path);
        }
        Ok(())
    }
}

/// Counts gathered while writing, stored in META.
#[derive(Debug, Default, Clone)]
pub struct WriteStats {
    /// Places written.
    pub places: u64,
    /// Distinct normalized keys.
    pub keys: u64,
    /// (key, place) pairs.
    pub names: u64,
    /// Places per feature class.
    pub per_class: BTreeMap<String, u64>,
    /// (key, place) pairs per match kind.
    pub per_kind: BTreeMap<&'static str, u64>,
    /// Distinct FOLDS keys.
    pub fold_keys: u64,
    /// (FOLDS key, place) pairs.
    pub folds: u64,
}

/// The POSTINGS section being written: lists of more than one posting, addressed by word index.
struct PostingLists {
    spool: Spool,
    /// `u32` words written so far.
    words: u64,
}

impl PostingLists {
    /// The NAMES or FOLDS value of a key with `group` (not empty): the posting itself when it
    /// is alone, else the word index of the list written for it.
    fn value(&mut self, group: &[u32]) -> io::Result<u64> {
        if let [one] = group {
            return Ok(INLINE | *one as u64);
        }
        let at = self.words;
        self.spool.write_all(&(group.len() as u32).to_le_bytes())?;
        for w in group {
            self.spool.write_all(&w.to_le_bytes())?;
        }
        self.words += 1 + group.len() as u64;
        Ok(at)
    }
}

/// The places of one FOLDS key while the index is written.
struct FoldGroup {
    /// The transliteration skeleton.
    key: Vec<u8>,
    /// Places whose primary or ASCII name folds to it, most important first, each once.
    places: Vec<u32>,
    /// When the skeleton is a NAMES key too: the places that name reaches. Only those of
    /// `places` keep the fold: a word that folds to another place's listed name respells that
    /// name as much as theirs.
    named: Option<Vec<u32>>,
}

/// Splits a sort item of [`IndexWriter`] (key, `0`, rank, place, kind) into key, place and kind.
fn split_item(item: &[u8]) -> Option<(&[u8], u32, MatchKind)> {
    let n = item.len();
    if n < 8 {
        return None;
    }
    let place = u32::from_be_bytes([item[n - 5], item[n - 4], item[n - 3], item[n - 2]]);
    let kind = MatchKind::from_bits(item[n - 1] as u32).unwrap_or(MatchKind::Alternate);
    Some((&item[..n - 8], place, kind))
}

/// Builds an index. Add places and names in any order, then [`IndexWriter::finish`].
pub struct IndexWriter {
    records: Spool,
    pool: Spool,
    interned: HashMap<String, u32>,
    sorter: ExternalSorter,
    fold_sorter: ExternalSorter,
    geonameids: Vec<(u32, u32)>,
    codes: BTreeMap<String, (u8, u32)>,
    place_count: u32,
    per_class: BTreeMap<String, u64>,
    meta: Vec<(String, String)>,
    key_buf: String,
    item_buf: Vec<u8>,
    dir: Option<PathBuf>,
}

impl IndexWriter {
    /// A writer that keeps everything in memory (for small indexes and run-time overlays).
    pub fn in_memory() -> IndexWriter {
        Self::with_dir(None).unwrap_or_else(|_| unreachable!("in-memory spools cannot fail"))
    }

    /// A writer that spools sections and sort runs to files in `dir` (which must exist), keeping
    /// memory bounded for very large inputs.
    pub fn on_disk(dir: &Path) -> Result<IndexWriter, FormatError> {
        Self::with_dir(Some(dir))
    }

    fn with_dir(dir: Option<&Path>) -> Result<IndexWriter, FormatError> {
        let mut pool = Spool::new(dir, "strings")?;
        pool.write_all(&[0])?; // offset 0: the empty string
        Ok(IndexWriter {
            records: Spool::new(dir, "records")?,
            pool,
            interned: HashMap::new(),
            sorter: ExternalSorter::new(dir, "run", 256 << 20),
            fold_sorter: ExternalSorter::new(dir, "foldrun", 256 << 20),
            geonameids: Vec::new(),
            codes: BTreeMap::new(),
            place_count: 0,
            per_class: BTreeMap::new(),
            meta: Vec::new(),
            key_buf: String::new(),
            item_buf: Vec::new(),
            dir: dir.map(Path::to_path_buf),
        })
    }

    /// Sets the size (bytes of sort items) at which an on-disk writer spills a sorted run
    /// (default 256 MiB). No effect on in-memory writers.
    pub fn set_sort_run_limit(&mut self, bytes: usize) {
        self.sorter.limit = bytes.max(1);
        self.fold_sorter.limit = bytes.max(1);
    }

    /// Number of places added so far.
    pub fn place_count(&self) -> u32 {
        self.place_count
    }

    fn put_string(&mut self, s: &str) -> io::Result<u32> {
        if s.is_empty() {
            return Ok(0);
        }
        let off = self.pool.len();
        if off > u32::MAX as u64 - s.len() as u64 - 8 {
            return Err(io::Error::other("string pool exceeds 4 GiB"));
        }
        let mut len = s.len();
        let mut hdr = [0u8; 10];
        let mut n = 0;
        loop {
            let b = (len & 0x7f) as u8;
            len >>= 7;
            if len == 0 {
                hdr[n] = b;
                n += 1;
                break;
            }
            hdr[n] = b | 0x80;
            n += 1;
        }
        self.pool.write_all(&hdr[..n])?;
        self.pool.write_all(s.as_bytes())?;
        Ok(off as u32)
    }

    fn intern(&mut self, s: &str) -> io::Result<u32> {
        if s.is_empty() {
            return Ok(0);
        }
        if let Some(&off) = self.interned.get(s) {
            return Ok(off);
        }
        let off = self.put_string(s)?;
        self.interned.insert(s.to_string(), off);
        Ok(off)
    }

    /// Appends a place record and returns its index.
    pub fn add_place(&mut self, p: &PlaceData<'_>) -> Result<u32, FormatError> {
        if self.place_count >= (1 << 29) - 1 {
            return Err(FormatError::Invalid("more than 2^29 places".into()));
        }
        let idx = self.place_count;
        let name = self.put_string(p.name)?;
        let ascii = if p.asciiname == p.name {
            name
        } else {
            self.put_string(p.asciiname)?
        };
        let mut r = [0u8; RECORD_SIZE];
        let put32 = |r: &mut [u8; RECORD_SIZE], at: usize, v: u32| {
            r[at..at + 4].copy_from_slice(&v.to_le_bytes());
        };
        put32(&mut r, 0, p.geonameid.unwrap_or(0));
        put32(&mut r, 4, to_e7(p.lat, 90.0) as u32);
        put32(&mut r, 8, to_e7(p.lon, 180.0) as u32);
        put32(&mut r, 12, name);
        put32(&mut r, 16, ascii);
        put32(&mut r, 20, self.intern(p.admin1_code)?);
        put32(&mut r, 24, self.intern(p.admin2_code)?);
        put32(&mut r, 28, self.intern(p.admin1_name)?);
        put32(&mut r, 32, self.intern(p.admin2_name)?);
        put32(&mut r, 36, p.capital.unwrap_or(0));
        put32(&mut r, 40, self.intern(p.neighbours)?);
        put32(&mut r, 44, self.intern(p.iso3)?);
        r[48..56].copy_from_slice(&p.population.to_le_bytes());
        r[56] = p.feature_class.bytes().next().unwrap_or(0);
        let code = p.feature_code.as_bytes();
        let n = code.len().min(7);
        r[57..57 + n].copy_from_slice(&code[..n]);
        let cc = p.country_code.as_bytes();
        let n = cc.len().min(2);
        r[64..64 + n].copy_from_slice(&cc[..n]);
        self.records.write_all(&r)?;
        if let Some(gid) = p.geonameid {
            self.geonameids.push((gid, idx));
        }
        *self
            .per_class
            .entry(p.feature_class.to_string())
            .or_default() += 1;
        if let Some((key, priority)) = code_key(p) {
            let better = match self.codes.get(&key) {
                Some(&(old, _)) => priority < old,
                None => true,
            };
            if better {
                self.codes.insert(key, (priority, idx));
            }
        }
        self.place_count += 1;
        Ok(idx)
    }

    /// Overwrites the capital geonameid of an already written place.
    pub fn set_capital(&mut self, idx: u32, capital: u32) -> Result<(), FormatError> {
        if idx >= self.place_count {
            return Err(FormatError::Invalid(format!("no place {idx}")));
        }
        self.records
            .patch_u32(idx as u64 * RECORD_SIZE as u64 + 36, capital)?;
        Ok(())
    }

    /// Adds `name` (normalized here) as a key for place `place` with `kind`. `rank` orders the
    /// postings of one key (higher first; use [`super::rank::static_rank`]). `place` may refer to a
    /// place of another index (run-time overlays point at places of the base index). Names
    /// that normalize to nothing are ignored.
    pub fn add_name(
        &mut self,
        name: &str,
        place: u32,
        kind: MatchKind,
        rank: u16,
    ) -> Result<(), FormatError> {
        self.key_buf.clear();
        normalize_into(name, &mut self.key_buf);
        if self.key_buf.is_empty() || self.key_buf.len() > 200 {
            return Ok(());
        }
        let item = sort_item(&mut self.item_buf, &self.key_buf, place, kind, rank);
        Ok(self.sorter.push(item)?)
    }

    /// Adds the [`fold`] of `name` (normalized here) as a FOLDS key of place `place` (see the
    /// [module docs](self)); `rank` orders the postings as in [`IndexWriter::add_name`]. Names
    /// with fewer than [`MIN_LETTERS`] letters are ignored: folded, short names spell too many
    /// other words.
    pub fn add_fold(&mut self, name: &str, place: u32, rank: u16) -> Result<(), FormatError> {
        self.key_buf.clear();
        normalize_into(name, &mut self.key_buf);
        let letters = self.key_buf.bytes().filter(|&b| b != b' ').count();
        if letters < MIN_LETTERS || self.key_buf.len() > 200 {
            return Ok(());
        }
        let folded = fold(&self.key_buf);
        let item = sort_item(&mut self.item_buf, &folded, place, MatchKind::Fold, rank);
        Ok(self.fold_sorter.push(item)?)
    }

    /// Adds a metadata pair (source versions and the like).
    pub fn add_meta(&mut self, key: &str, value: &str) {
        self.meta.push((key.to_string(), value.to_string()));
    }

    /// Writes the complete index to `out` and returns what was counted.
    pub fn finish(mut self, out: &mut dyn Write) -> Result<WriteStats, FormatError> {
        let dir = self.dir.clone();
        let mut postings = PostingLists {
            spool: Spool::new(dir.as_deref(), "postings")?,
            words: 0,
        };
        let fst_spool = Spool::new(dir.as_deref(), "names.fst")?;
        let mut map = fst::MapBuilder::new(fst_spool)?;
        let mut stats = WriteStats::default();
        let mut demonyms = Vec::<u8>::new();

        // group sorted items by key
        let mut cur_key: Vec<u8> = Vec::new();
        let mut group: Vec<u32> = Vec::new();
        let mut group_has_demonym = false;
        let mut last_place: Option<u32> = None;
        let mut flush = |key: &[u8],
                         group: &mut Vec<u32>,
                         has_demonym: bool,
                         map: &mut fst::MapBuilder<Spool>,
                         postings: &mut PostingLists,
                         stats: &mut WriteStats|
         -> Result<(), FormatError> {
            if group.is_empty() {
                return Ok(());
            }
            map.insert(key, postings.value(group)?)?;
            stats.keys += 1;
            stats.names += group.len() as u64;
            if has_demonym {
                demonyms.extend_from_slice(key);
                demonyms.push(b'\n');
            }
            group.clear();
            Ok(())
        };
        // Fold keys grouped (sorted, each place once, most important first), to be matched
        // against the name keys as they stream by.
        let mut fold_groups: Vec<FoldGroup> = Vec::new();
        self.fold_sorter.finish(|item| {
            let Some((key, place, _)) = split_item(item) else {
                return Ok(());
            };
            match fold_groups.last_mut() {
                Some(g) if g.key.as_slice() == key => {
                    if g.places.last() != Some(&place) {
                        g.places.push(place);
                    }
                }
                _ => fold_groups.push(FoldGroup {
                    key: key.to_vec(),
                    places: vec![place],
                    named: None,
                }),
            }
            Ok(())
        })?;
        let mut next_fold = 0usize;
        let mut per_kind: BTreeMap<&'static str, u64> = BTreeMap::new();
        self.sorter.finish(|item| {
            let Some((key, place, kind)) = split_item(item) else {
                return Ok(());
            };
            if key != cur_key.as_slice() {
                while fold_groups
                    .get(next_fold)
                    .is_some_and(|g| g.key.as_slice() < key)
                {
                    next_fold += 1;
                }
                flush(
                    &cur_key,
                    &mut group,
                    group_has_demonym,
                    &mut map,
                    &mut postings,
                    &mut stats,
                )?;
                cur_key.clear();
                cur_key.extend_from_slice(key);
                group_has_demonym = false;
                last_place = None;
            }
            if let Some(g) = fold_groups.get_mut(next_fold)
                && g.key.as_slice() == key
            {
                g.named.get_or_insert_with(Vec::new).push(place);
            }
            if last_place == Some(place) {
                return Ok(()); // same place again with a worse (or equal) kind
            }
            last_place = Some(place);
            group.push(encode_posting(place, kind));
            *per_kind.entry(kind.as_str()).or_default() += 1;
            if kind == MatchKind::Demonym {
                group_has_demonym = true;
            }
            Ok(())
        })?;
        flush(
            &cur_key,
            &mut group,
            group_has_demonym,
            &mut map,
            &mut postings,
            &mut stats,
        )?;
        let fst_spool = map.into_inner()?;

        // fold table, every posting of kind Fold
        let mut fold_table: Vec<(u64, u64)> = Vec::new();
        let mut fold_postings = Vec::new();
        for g in &fold_groups {
            fold_postings.clear();
            fold_postings.extend(
                g.places
                    .iter()
                    .filter(|p| g.named.as_ref().is_none_or(|named| named.contains(p)))
                    .map(|&p| encode_posting(p, MatchKind::Fold)),
            );
            if !fold_postings.is_empty() {
                let key = std::str::from_utf8(&g.key).unwrap_or_default();
                fold_table.push((fold_hash(key), postings.value(&fold_postings)?));
                stats.fold_keys += 1;
                stats.folds += fold_postings.len() as u64;
            }
        }
        fold_table.sort_unstable();
        let mut folds = Vec::with_capacity(fold_table.len() * 16);
        for (hash, value) in &fold_table {
            folds.extend_from_slice(&hash.to_le_bytes());
            folds.extend_from_slice(&value.to_le_bytes());
        }
        let postings = postings.spool;

        // codes fst
        let mut codes = fst::MapBuilder::memory();
        for (key, (_, idx)) in &self.codes {
            codes.insert(key, *idx as u64)?;
        }
        let codes = codes.into_inner()?;

        // geonameid table
        self.geonameids.sort_unstable();
        self.geonameids.dedup_by_key(|p| p.0);
        let mut gids = Vec::with_capacity(self.geonameids.len() * 8);
        for (gid, idx) in &self.geonameids {
            gids.extend_from_slice(&gid.to_le_bytes());
            gids.extend_from_slice(&idx.to_le_bytes());
        }

        stats.places = self.place_count as u64;
        stats.per_class = self.per_class.clone();
        stats.per_kind = per_kind;
        let mut meta_pairs: Vec<(String, String)> = vec![
            ("places".into(), stats.places.to_string()),
            ("names".into(), stats.names.to_string()),
            ("keys".into(), stats.keys.to_string()),
            ("fold_keys".into(), stats.fold_keys.to_string()),
            ("folds".into(), stats.folds.to_string()),
        ];
        for (class, n) in &stats.per_class {
            meta_pairs.push((format!("class.{class}"), n.to_string()));
        }
        for (kind, n) in &stats.per_kind {
            meta_pairs.push((format!("kind.{kind}"), n.to_string()));
        }
        meta_pairs.append(&mut self.meta);
        let mut meta = Vec::new();
        for (k, v) in &meta_pairs {
            meta.extend_from_slice(&(k.len() as u32).to_le_bytes());
            meta.extend_from_slice(k.as_bytes());
            meta.extend_from_slice(&(v.len() as u32).to_le_bytes());
            meta.extend_from_slice(v.as_bytes());
        }

        // layout
        let lens = [
            fst_spool.len(),
            postings.len(),
            self.records.len(),
            self.pool.len(),
            gids.len() as u64,
            codes.len() as u64,
            meta.len() as u64,
            demonyms.len() as u64,
            folds.len() as u64,
        ];
        let mut header = Vec::with_capacity(HEADER_SIZE);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&VERSION.to_le_bytes());
        header.extend_from_slice(&(RECORD_SIZE as u32).to_le_bytes());
        header.extend_from_slice(&self.place_count.to_le_bytes());
        header.extend_from_slice(&0u32.to_le_bytes());
        header.extend_from_slice(&stats.keys.to_le_bytes());
        let mut offsets = [0u64; SECTIONS];
        let mut at = HEADER_SIZE as u64;
        for (i, len) in lens.iter().enumerate() {
            offsets[i] = at;
            header.extend_from_slice(&at.to_le_bytes());
            header.extend_from_slice(&len.to_le_bytes());
            at += len.div_ceil(8) * 8;
        }
        debug_assert_eq!(header.len(), HEADER_SIZE);
        out.write_all(&header)?;
        let pad = |out: &mut dyn Write, len: u64| -> io::Result<()> {
            let p = (len.div_ceil(8) * 8 - len) as usize;
            out.write_all(&[0u8; 8][..p])
        };
        fst_spool.copy_to(out)?;
        pad(out, lens[S_NAMES])?;
        postings.copy_to(out)?;
        pad(out, lens[S_POSTINGS])?;
        self.records.copy_to(out)?;
        pad(out, lens[S_RECORDS])?;
        self.pool.copy_to(out)?;
        pad(out, lens[S_STRINGS])?;
        out.write_all(&gids)?;
        pad(out, lens[S_GEONAMEID])?;
        out.write_all(&codes)?;
        pad(out, lens[S_CODES])?;
        out.write_all(&meta)?;
        pad(out, lens[S_META])?;
        out.write_all(&demonyms)?;
        pad(out, lens[S_DEMONYMS])?;
        out.write_all(&folds)?;
        pad(out, lens[S_FOLDS])?;
        out.flush()?;
        Ok(stats)
    }

    /// Convenience: [`IndexWriter::finish`] into a new `Vec<u8>`.
    pub fn finish_to_vec(self) -> Result<(Vec<u8>, WriteStats), FormatError> {
        let mut v = Vec::new();
        let stats = self.finish(&mut v)?;
        Ok((v, stats))
    }
}

/// Fills `buf` with the sort item of (key, place, kind, rank) and returns it: the key, a `0`
/// byte, the inverted rank (so that higher ranks sort first) and the place big-endian, and the
/// kind.
fn sort_item<'b>(
    buf: &'b mut Vec<u8>,
    key: &str,
    place: u32,
    kind: MatchKind,
    rank: u16,
) -> &'b [u8] {
    buf.clear();
    buf.extend_from_slice(key.as_bytes());
    buf.push(0);
    buf.extend_from_slice(&(u16::MAX - rank).to_be_bytes());
    buf.extend_from_slice(&place.to_be_bytes());
    buf.push(kind as u8);
    buf
}

fn to_e7(deg: f64, max: f64) -> i32 {
    if !deg.is_finite() {
        return 0;
    }
    (deg.clamp(-max, max) * 1e7).round() as i32
}

/// The CODES key of a place and its priority (lower wins) if it is a country or admin division.
fn code_key(p: &PlaceData<'_>) -> Option<(String, u8)> {
    if p.country_code.len() != 2 {
        return None;
    }
    let cc = p.country_code;
    let priority = match p.feature_code {
        "PCLI" => 0,
        "PCL" | "PCLD" | "PCLF" | "PCLS" | "PCLIX" => 1,
        "TERR" => 2,
        "ADM1" if !p.admin1_code.is_empty() => {
            return Some((format!("{cc}.{}", p.admin1_code), 0));
        }
        "ADM2" if !p.admin1_code.is_empty() && !p.admin2_code.is_empty() => {
            return Some((format!("{cc}.{}.{}", p.admin1_code, p.admin2_code), 0));
        }
        _ => return None,
    };
    Some((cc.to_string(), priority))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(dir: Option<&Path>) -> Vec<u8> {
        sample_with_limit(dir, None)
    }

    fn sample_with_limit(dir: Option<&Path>, limit: Option<usize>) -> Vec<u8> {
        let mut w = match dir {
            Some(d) => IndexWriter::on_disk(d).unwrap(),
            None => IndexWriter::in_memory(),
        };
        if let Some(limit) = limit {
            w.set_sort_run_limit(limit);
        }
        let a = w
            .add_place(&PlaceData {
                geonameid: Some(170892),
                name: "Dārayyā",
                asciiname: "Darayya",
                lat: 33.45835,
                lon: 36.23256,
                feature_class: "P",
                feature_code: "PPLA2",
                country_code: "SY",
                admin1_code: "08",
                admin1_name: "Rif Dimashq",
                population: 71596,
                ..Default::default()
            })
            .unwrap();
        let b = w
            .add_place(&PlaceData {
                geonameid: Some(163843),
                name: "Syria",
                asciiname: "Syria",
                lat: 35.0,
                lon: 38.0,
                feature_class: "A",
                feature_code: "PCLI",
                country_code: "SY",
                population: 22_933_531,
                capital: Some(170654),
                neighbours: "IQ|JO|IL|TR|LB",
                iso3: "SYR",
                ..Default::default()
            })
            .unwrap();
        let c = w
            .add_place(&PlaceData {
                name: "Nowhere Farm",
                lat: -10.5,
                lon: -170.25,
                feature_class: "P",
                feature_code: "PPL",
                ..Default::default()
            })
            .unwrap();
        w.add_name("Dārayyā", a, MatchKind::Primary, 5).unwrap();
        w.add_name("Darayya", a, MatchKind::Ascii, 5).unwrap();
        w.add_name("داريا", a, MatchKind::Alternate, 5).unwrap();
        w.add_name("Daraya", a, MatchKind::Alternate, 5).unwrap();
        w.add_name("Syria", b, MatchKind::Primary, 9).unwrap();
        w.add_name("Syrian", b, MatchKind::Demonym, 9).unwrap();
        w.add_name("Darayya", c, MatchKind::Alternate, 1).unwrap();
        w.add_name("...", c, MatchKind::Alternate, 1).unwrap();
        w.add_name("Daraya", c, MatchKind::Alternate, 1).unwrap();
        w.add_name("Nuhare Farm", c, MatchKind::Alternate, 1)
            .unwrap();
        w.add_fold("Nowhere Farm", c, 1).unwrap();
        w.add_fold("Nouhere-Farm", a, 5).unwrap();
        w.add_fold("Darayyah", c, 1).unwrap();
        w.add_fold("Dārayyā", a, 5).unwrap();
        w.add_fold("Darayya", a, 5).unwrap();
        w.add_fold("Syria", b, 9).unwrap();
        w.add_fold("Sy", b, 9).unwrap(); // too short
        w.add_meta("source", "fixture 1");
        w.finish_to_vec().unwrap().0
    }

    fn check(bytes: &[u8]) {
        let layout = Layout::parse(bytes).unwrap();
        let ix = layout.view(bytes);
        assert_eq!(ix.place_count(), 3);
        assert_eq!(ix.key_count(), 6); // darayya, daraya, داريا, syria, syrian, nuhare farm
        let v = ix.names().get("darayya").unwrap().value();
        let posts: Vec<_> = ix.postings(v).collect();
        // rank 5 place first, then rank 1; primary name of `a` normalizes to darayya too
        assert_eq!(
            posts,
            vec![(0, MatchKind::Primary), (2, MatchKind::Alternate)]
        );
        let v = ix.names().get("داريا").unwrap().value();
        assert_eq!(
            ix.postings(v).collect::<Vec<_>>(),
            vec![(0, MatchKind::Alternate)]
        );
        let r = ix.record(0).unwrap();
        assert_eq!(rec::geonameid(r), 170892);
        assert!((rec::lat(r) - 33.45835).abs() < 1e-7);
        assert!((rec::lon(r) - 36.23256).abs() < 1e-7);
        assert_eq!(ix.string(rec::str_at(r, rec::NAME)), "Dārayyā");
        assert_eq!(ix.string(rec::str_at(r, rec::ASCIINAME)), "Darayya");
        assert_eq!(ix.string(rec::str_at(r, rec::ADMIN1_NAME)), "Rif Dimashq");
        assert_eq!(rec::feature_code(r), "PPLA2");
        assert_eq!(rec::feature_class(r), b'P');
        assert_eq!(rec::country_code(r), "SY");
        assert_eq!(rec::population(r), 71596);
        let r = ix.record(1).unwrap();
        assert_eq!(rec::capital(r), 170654);
        assert_eq!(ix.string(rec::str_at(r, rec::NEIGHBOURS)), "IQ|JO|IL|TR|LB");
        assert_eq!(ix.string(rec::str_at(r, rec::ISO3)), "SYR");
        let r = ix.record(2).unwrap();
        assert_eq!(rec::geonameid(r), 0);
        assert_eq!(rec::lon(r), -170.25);
        assert!(ix.record(3).is_none());
        assert_eq!(ix.by_geonameid(163843), Some(1));
        assert_eq!(ix.by_geonameid(170892), Some(0));
        assert_eq!(ix.by_geonameid(1), None);
        assert_eq!(ix.code("SY"), Some(1));
        assert_eq!(ix.code("SY.08"), None);
        assert_eq!(ix.demonym_keys().collect::<Vec<_>>(), vec!["syrian"]);
        // (skeleton, postings): each place once, most important first, all of kind Fold; a
        // skeleton that is a name keeps only the places that name reaches ("nuhare farm" is a
        // name of place 2 only)
        let folds: [(&str, &[u32]); 5] = [
            ("nuhare farm", &[2]),
            ("daraya", &[0, 2]),
            ("syria", &[1]),
            ("darayya", &[]),
            ("sy", &[]),
        ];
        for (key, places) in folds {
            let got: Vec<_> = ix
                .fold_value(key)
                .map(|v| ix.postings(v).collect())
                .unwrap_or_default();
            let want: Vec<_> = places.iter().map(|&p| (p, MatchKind::Fold)).collect();
            assert_eq!(got, want, "fold key {key:?}");
        }
        let meta = ix.meta();
        assert!(meta.contains(&("places", "3")));
        assert!(meta.contains(&("source", "fixture 1")));
        assert!(meta.contains(&("class.P", "2")));
        assert!(meta.contains(&("fold_keys", "3")));
        assert!(meta.contains(&("folds", "4")));
    }

    #[test]
    fn round_trip_in_memory() {
        check(&sample(None));
    }

    #[test]
    fn round_trip_spooled_and_identical() {
        let dir = std::env::temp_dir().join(format!("evm-format-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bytes = sample(Some(&dir));
        check(&bytes);
        assert_eq!(bytes, sample(None), "disk and memory writers must agree");
        // tiny runs: every name spills, so postings of one key come from several runs
        let spilled = sample_with_limit(Some(&dir), Some(8));
        assert_eq!(spilled, bytes, "merged runs must give the same index");
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            0,
            "spool files removed"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn external_sort_merges_runs() {
        let dir = std::env::temp_dir().join(format!("evm-sort-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut s = ExternalSorter::new(Some(&dir), "run", 64);
        let mut want = Vec::new();
        for i in 0..500u32 {
            let item = format!("k{:05}", (i * 7919) % 1000).into_bytes();
            s.push(&item).unwrap();
            want.push(item);
        }
        want.sort();
        assert!(s.runs.len() > 3);
        let mut got = Vec::new();
        s.finish(|item| {
            got.push(item.to_vec());
            Ok(())
        })
        .unwrap();
        assert_eq!(got, want);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "runs removed");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn rejects_garbage() {
        assert!(Layout::parse(b"").is_err());
        assert!(Layout::parse(&[0u8; 400]).is_err());
        let mut bytes = sample(None);
        bytes.truncate(bytes.len() - 9);
        assert!(Layout::parse(&bytes).is_err());
        let mut bytes = sample(None);
        bytes[8] = 9; // version
        assert!(Layout::parse(&bytes).is_err());
    }
}
