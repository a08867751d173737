//! Transliteration variants: which alternate names of a place are only another spelling of its
//! primary (or ASCII) name.
//!
//! GeoNames gives Arabic, Persian and many other places a scholarly transliteration as primary
//! name ("Ar Raqqah", "Al Fallūjah", "Dūmā", "Dayr az Zawr") and keeps the spellings news
//! writes ("Raqqa", "Fallujah", "Douma", "Deir ez Zor") among the alternate names, together
//! with exonyms, names in other languages and, for small places, surnames. The index marks an
//! alternate name [`MatchKind::Variant`](super::format::MatchKind::Variant) when it folds to the
//! same string as the place's own primary or ASCII name under [`fold`], so that the recognizer
//! and resolver can treat it like the primary name, and leaves the other alternates
//! (`Mailand` for Milano, `Tadmur` for Palmyra) as plain alternates.
//!
//! [`fold`] works on normalized keys (see [`super::normalize()`]) and is deliberately coarse: it
//! never creates a name, it only decides whether an existing alternate of a place spells the
//! same name as that place's primary name. Per word, in order:
//!
//! 1. an Arabic article word (`al el ar as ash at ad adh an az ath er es et ed en ez`) is dropped
//!    when another word follows it (`ar raqqah` → `raqqah`, `dayr az zawr` → `dayr zawr`);
//! 2. `ph` → `f`, `ck` and `q` → `k`;
//! 3. a final `h` after a vowel is dropped (`raqqah` → `raqqa`, `hamah` → `hama`), and a final
//!    `eh` becomes `a` (`jableh` → `jabla`);
//! 4. doubled letters become single (`raqqa` → `raqa`, `daraa` → `dara`);
//! 5. vowel spellings are unified: `ou` and `oo` → `u`, `ee` → `i`, `y` and `w` closing a
//!    syllable (after a vowel, not before one) → `i` and `u` (`dayr` → `dair`, `zawr` →
//!    `zaur`), then `e` → `a` and `o` → `u` except at the end of the word (`deir` → `dair`,
//!    `douma` → `duma`, but `rome` and `roma`, `geneve` and `geneva` stay apart: a changed
//!    final vowel is more often another language's name than another transliteration);
//! 6. doubled letters are made single again.
//!
//! An alternate name is a variant when it has at least [`MIN_LETTERS`] letters and folds to the
//! fold of the primary or ASCII name. Shorter names are left alone: folding "He" or "I" makes
//! them spell some village's name, and such words are far more often not places.
//!
//! Letters outside ASCII (other scripts) are kept as they are, so names in other scripts are
//! variants only of identical names.
//!
//! The same skeleton also finds places by spellings the gazetteer does not list at all: the index
//! keeps a second map (FOLDS, see [`super::format`]) from the folds of the primary and ASCII
//! names of the places [`is_fold_indexed`] selects to those places, and the recognizer looks a
//! capitalized word up there when it matches no name ("Qamishli" and "Al Qāmishlī" both fold to
//! `kamishli`). Only places with a transliterated primary name that news name often enough to be
//! worth the risk are in it: a fold map over every village would make surnames and
//! organizations into places.
//!
//! This file depends only on `std` and its sibling `normalize`, because the build script
//! compiles it as well.

use super::normalize::normalize_into;

/// Fewest letters (and digits) an alternate name needs to be a variant.
pub const MIN_LETTERS: usize = 4;

/// Fewest inhabitants a populated place that is no administrative seat needs to be in the fold
/// map (see [`is_fold_indexed`]).
pub const FOLD_MIN_POPULATION: u64 = 15_000;

/// Whether a place (primary name, GeoNames feature class and code, population) is in the fold
/// map. Its primary name must be a scholarly transliteration — written with letters outside
/// ASCII ("Al Qāmishlī") or with an Arabic article word before another word ("Al Hasakah"):
/// a place whose name is plain ASCII is written the way news write it, and folding its name
/// would only make other words reach it ("Beth" folds to "Bath"). And it must be a country, a
/// first-level division, a capital or the seat of a first- or second-level division (`PPLC`,
/// `PPLG`, `PPLA`, `PPLA2`, whatever its recorded population: GeoNames leaves it 0 for many,
/// such as Al Ḩawījah), or another populated place of at least [`FOLD_MIN_POPULATION`].
///
/// ```
/// use eventmap::gazetteer::variant::is_fold_indexed;
/// assert!(is_fold_indexed("Al Ḩawījah", b'P', "PPLA2", 0));
/// assert!(is_fold_indexed("Ad Daqahlīyah", b'A', "ADM1", 0));
/// assert!(!is_fold_indexed("Bath", b'P', "PPLA2", 101_557));
/// assert!(!is_fold_indexed("Kafr Nūrān", b'P', "PPL", 900));
/// ```
pub fn is_fold_indexed(name: &str, feature_class: u8, feature_code: &str, population: u64) -> bool {
    let transliterated = !name.is_ascii() || {
        let mut words = name.split([' ', '-']).filter(|w| !w.is_empty());
        let first = words.next().unwrap_or_default().to_ascii_lowercase();
        words.next().is_some() && ARTICLES.contains(&first.as_str())
    };
    transliterated
        && match feature_class {
            b'A' => feature_code == "ADM1" || feature_code.starts_with("PCL"),
            b'P' => {
                matches!(feature_code, "PPLC" | "PPLG" | "PPLA" | "PPLA2")
                    || population >= FOLD_MIN_POPULATION
            }
            _ => false,
        }
}

/// Article words dropped when another word follows them.
const ARTICLES: [&str; 18] = [
    "al", "el", "ar", "as", "ash", "at", "ad", "adh", "an", "az", "ath", "er", "es", "et", "ed",
    "en", "ez", "ul",
];

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Folds a normalized key (lower-case words joined by single spaces) to its transliteration
/// skeleton. See the [module documentation](self) for the rules.
///
/// ```
/// use eventmap::gazetteer::variant::fold;
/// assert_eq!(fold("ar raqqah"), fold("raqqa"));
/// assert_eq!(fold("dayr az zawr"), "dair zaur");
/// assert_ne!(fold("mailand"), fold("milano"));
/// ```
pub fn fold(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    fold_into(key, &mut out, &mut Vec::new());
    out
}

/// [`fold`], appending the skeleton to `out` (not cleared) and using `scratch` as work space,
/// so that callers folding many keys allocate nothing.
pub fn fold_into(key: &str, out: &mut String, scratch: &mut Vec<u8>) {
    let mut words = key.split(' ').filter(|w| !w.is_empty()).peekable();
    let mut first = true;
    while let Some(w) = words.next() {
        if words.peek().is_some() && ARTICLES.contains(&w) {
            continue;
        }
        if !first {
            out.push(' ');
        }
        first = false;
        fold_word(w.as_bytes(), scratch);
        // Only ASCII bytes were rewritten, and always into ASCII: other characters are copied
        // whole, so the bytes stay valid UTF-8.
        out.push_str(std::str::from_utf8(scratch).unwrap_or(w));
    }
}

/// Folds one word (bytes of a normalized key word) into `out` (cleared first), rewriting it in
/// place step by step; every step keeps or shortens it.
fn fold_word(w: &[u8], out: &mut Vec<u8>) {
    out.clear();
    // 2. consonant spellings
    let mut i = 0;
    while i < w.len() {
        match (w[i], w.get(i + 1).copied()) {
            (b'p', Some(b'h')) => {
                out.push(b'f');
                i += 2;
            }
            (b'c', Some(b'k')) => {
                out.push(b'k');
                i += 2;
            }
            (b'q', _) => {
                out.push(b'k');
                i += 1;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    // 3. final h after a vowel; "-eh" is the same ending as "-ah"
    let n = out.len();
    if n > 2 && out[n - 1] == b'h' && is_vowel(out[n - 2]) {
        out.pop();
        if out[n - 2] == b'e' {
            out[n - 2] = b'a';
        }
    }
    // 4. doubled letters
    out.dedup_by(|x, y| *x == *y && x.is_ascii());
    // 5. vowel spellings, written over the bytes already read
    let len = out.len();
    let (mut read, mut write) = (0, 0);
    let mut prev = None;
    while read < len {
        let c = out[read];
        let next = out.get(read + 1).copied();
        let merged = match (c, next) {
            (b'o', Some(b'u')) | (b'o', Some(b'o')) => Some(b'u'),
            (b'e', Some(b'e')) => Some(b'i'),
            _ => None,
        };
        if let Some(m) = merged {
            out[write] = m;
            write += 1;
            prev = next;
            read += 2;
            continue;
        }
        let closes = prev.is_some_and(is_vowel) && !next.is_some_and(is_vowel);
        let last = next.is_none();
        out[write] = match c {
            b'y' if closes => b'i',
            b'w' if closes => b'u',
            b'e' if !last => b'a',
            b'o' if !last => b'u',
            _ => c,
        };
        write += 1;
        prev = Some(c);
        read += 1;
    }
    out.truncate(write);
    // 6. doubled letters again
    out.dedup_by(|x, y| *x == *y && x.is_ascii());
}

/// Remembers the folded primary and ASCII names of one place, to classify its alternate names.
#[derive(Debug, Default, Clone)]
pub struct VariantOf {
    folded: [String; 2],
    key: String,
}

impl VariantOf {
    /// Prepares the comparison for a place with primary name `name` and ASCII name `ascii`
    /// (either may be empty).
    pub fn new(name: &str, ascii: &str) -> VariantOf {
        let mut v = VariantOf::default();
        v.set(name, ascii);
        v
    }

    /// Re-targets this comparison at another place (reusing its buffers).
    pub fn set(&mut self, name: &str, ascii: &str) {
        for (slot, n) in self.folded.iter_mut().zip([name, ascii]) {
            self.key.clear();
            normalize_into(n, &mut self.key);
            *slot = if self.key.is_empty() {
                String::new()
            } else {
                fold(&self.key)
            };
        }
    }

    /// Whether the alternate name `alt` is a transliteration variant of the place's primary or
    /// ASCII name.
    pub fn matches(&mut self, alt: &str) -> bool {
        match self.fold_name(alt) {
            Some(f) => self.folded.contains(&f),
            None => false,
        }
    }

    /// Compact stand-ins (32-bit hashes, 0 for none) for the folded primary and ASCII names, for
    /// builders that meet a place's alternate names long after its primary name and keep
    /// little per place (see [`VariantOf::matches_fingerprints`]).
    pub fn fingerprints(&self) -> [u32; 2] {
        [fingerprint(&self.folded[0]), fingerprint(&self.folded[1])]
    }

    /// [`VariantOf::matches`] against the [`VariantOf::fingerprints`] of some place. A hash
    /// collision can make an alternate a variant by mistake, about once in four billion names.
    pub fn matches_fingerprints(&mut self, alt: &str, fingerprints: [u32; 2]) -> bool {
        match self.fold_name(alt) {
            Some(f) => {
                let h = fingerprint(&f);
                fingerprints.contains(&h)
            }
            None => false,
        }
    }

    /// The folded key of alternate name `name`, `None` when it is too short to be a variant.
    fn fold_name(&mut self, name: &str) -> Option<String> {
        self.key.clear();
        normalize_into(name, &mut self.key);
        if self.key.chars().filter(|c| *c != ' ').count() < MIN_LETTERS {
            return None;
        }
        Some(fold(&self.key))
    }
}

/// FNV-1a hash of a folded name, never 0 except for the empty name.
fn fingerprint(folded: &str) -> u32 {
    if folded.is_empty() {
        return 0;
    }
    let mut h: u32 = 0x811c_9dc5;
    for &b in folded.as_bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h.max(1)
}

/// Whether `alt` is a transliteration variant of the primary name `name` or ASCII name `ascii`
/// of the same place.
///
/// ```
/// use eventmap::gazetteer::variant::is_variant;
/// assert!(is_variant("Fallujah", "Al Fallūjah", "Al Fallujah"));
/// assert!(!is_variant("Tadmur", "Palmyra", "Palmyra"));
/// ```
pub fn is_variant(alt: &str, name: &str, ascii: &str) -> bool {
    VariantOf::new(name, ascii).matches(alt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_table() {
        let cases = [
            ("ar raqqah", "raka"),
            ("raqqa", "raka"),
            ("al fallujah", "faluja"),
            ("fallujah", "faluja"),
            ("dayr az zawr", "dair zaur"),
            ("deir ez zor", "dair zur"),
            ("douma", "duma"),
            ("khan shaykhun", "khan shaikhun"),
            ("khan sheikhoun", "khan shaikhun"),
            ("darayya", "daraya"),
            ("daraya", "daraya"),
            ("al", "al"),
            ("el paso", "paso"),
            ("philadelphia", "filadalfia"),
            ("jableh", "jabla"),
            ("idlib", "idlib"),
            ("iona", "iuna"),
            ("milano", "milano"),
            ("rome", "rume"),
            ("roma", "ruma"),
            // spellings GeoNames does not list, and the names they respell
            ("qamishli", "kamishli"),
            ("al qamishli", "kamishli"),
            ("hodeidah", "hudaida"),
            ("al hudaydah", "hudaida"),
            ("hawija", "hawija"),
            ("al hawijah", "hawija"),
            ("ракка", "ракка"),
            ("الرقه", "الرقه"),
            ("", ""),
        ];
        for (key, want) in cases {
            assert_eq!(fold(key), want, "fold({key:?})");
        }
    }

    #[test]
    fn variant_table() {
        // (alternate, primary, ascii, variant?)
        let cases = [
            ("Raqqa", "Ar Raqqah", "Ar Raqqah", true),
            ("Rakka", "Ar Raqqah", "Ar Raqqah", true),
            ("Al-Raqqa", "Ar Raqqah", "Ar Raqqah", true),
            ("Fallujah", "Al Fallūjah", "Al Fallujah", true),
            ("Douma", "Dūmā", "Duma", true),
            ("Hama", "Ḩamāh", "Hamah", true),
            ("Deraa", "Dar‘ā", "Dar`a", true),
            ("Misrata", "Misratah", "Misratah", true),
            ("Derna", "Darnah", "Darnah", true),
            ("Saada", "Sa'dah", "Sa'dah", true),
            ("Haditha", "Ḩadīthah", "Hadithah", true),
            ("Khan Sheikhoun", "Khān Shaykhūn", "Khan Shaykhun", true),
            (
                "Jisr al-Shughour",
                "Jisr ash Shughūr",
                "Jisr ash Shughur",
                true,
            ),
            ("Tal Abyad", "Tall Abyaḑ", "Tall Abyad", true),
            ("Jableh", "Jablah", "Jablah", true),
            // a different first vowel is not evened out: GeoNames lists "Iraq" among the names
            // of Arak (Iran)
            ("Iraq", "Arāk", "Arak", false),
            ("Azaz", "I‘zāz", "I`zaz", false),
            ("Daraya", "Dārayyā", "Darayya", true),
            ("Mailand", "Milano", "Milano", false),
            ("Tadmur", "Palmyra", "Palmyra", false),
            ("Kobani", "‘Ayn al ‘Arab", "`Ayn al `Arab", false),
            ("Callinicum", "Ar Raqqah", "Ar Raqqah", false),
            ("الرقة", "Ar Raqqah", "Ar Raqqah", false),
            ("Köln", "Cologne", "Cologne", false),
            ("Roma", "Rome", "Rome", false),
            ("Geneva", "Genève", "Geneve", false),
            ("Al", "Al Bāb", "Al Bab", false),
            ("Bab", "Al Bāb", "Al Bab", false), // too short
            ("He", "Heh", "Heh", false),
            ("Northeast", "North East", "North East", false),
            ("", "Dūmā", "Duma", false),
            ("Duma", "", "", false),
        ];
        for (alt, name, ascii, want) in cases {
            assert_eq!(
                is_variant(alt, name, ascii),
                want,
                "is_variant({alt:?}, {name:?}, {ascii:?})"
            );
        }
    }

    #[test]
    fn fingerprints_agree_with_matches() {
        let mut v = VariantOf::new("Ar Raqqah", "Ar Raqqah");
        let fp = v.fingerprints();
        for alt in ["Raqqa", "Rakka", "Callinicum", "الرقة", "", "Ar Raqqah"] {
            let direct = v.matches(alt);
            assert_eq!(v.matches_fingerprints(alt, fp), direct, "{alt:?}");
        }
        assert_eq!(VariantOf::new("", "").fingerprints(), [0, 0]);
        assert!(!VariantOf::new("", "").matches_fingerprints("x", [0, 0]));
    }

    #[test]
    fn fold_index_selection() {
        // (primary name, feature class, feature code, population, in the fold map?)
        let cases = [
            ("Sūrīyah", b'A', "PCLI", 0, true),
            ("Ad Daqahlīyah", b'A', "ADM1", 0, true),
            ("Al Ḩudaydah", b'A', "ADM2", 500_000, false),
            ("Ḩalab", b'A', "ADM3", 50_000, false),
            ("Şan‘ā’", b'P', "PPLC", 0, true),
            ("Al Ḩudaydah", b'P', "PPLA", 0, true),
            ("Al Qāmishlī", b'P', "PPLA2", 0, true),
            ("Al Hasakah", b'P', "PPLA2", 0, true),
            ("Ar-Rastan", b'P', "PPLA3", 15_000, true),
            ("Ţalkalakh", b'P', "PPLA3", 14_999, false),
            ("Mosul", b'P', "PPLA", 1_739_800, false),
            ("Bath", b'P', "PPLA2", 101_557, false),
            ("Al", b'P', "PPLA2", 0, false),
            ("Ar Ruţbah", b'P', "PPL", 900, false),
            ("Dūmā", b'P', "PPLX", 20_000, true),
            ("Nahr al Furāt", b'H', "STM", 1_000_000, false),
            ("Al Jazīrah", b'L', "RGN", 0, false),
            ("Ḩimş", 0, "", 1_000_000, false),
        ];
        for (name, class, code, pop, want) in cases {
            assert_eq!(
                is_fold_indexed(name, class, code, pop),
                want,
                "is_fold_indexed({name:?}, {}, {code:?}, {pop})",
                class as char
            );
        }
    }

    #[test]
    fn fold_is_idempotent_on_its_output() {
        for k in ["ar raqqah", "dayr az zawr", "khan sheikhoun", "douma"] {
            let once = fold(k);
            assert_eq!(fold(&once), once);
        }
    }
}
