//! Name normalization: the one function that turns any written form of a place name into the key
//! stored in (and looked up from) the gazetteer index.
//!
//! Index keys and query strings go through the same [`normalize`], so two spellings match exactly
//! when they normalize to the same key. The steps, in order, per character:
//!
//! 1. Unicode default case folding (`DARAYA` → `daraya`, `Дамаск` → `дамаск`, `ß` → `ss`).
//! 2. Apostrophe-like characters (`'`, `’`, `‘`, `` ` ``, `´`, `ʻ`, `ʼ`, `ʾ`, `ʿ`, `′`) are dropped
//!    without leaving a gap (`Ma'arrat` → `maarrat`, `Ḩalab` → `halab`).
//! 3. Compatibility decomposition (NFKD) and removal of every combining mark, so Latin diacritics
//!    (`Dārayyā` → `darayya`), Arabic harakat and shadda, Hebrew points and the hamza carried by
//!    alef/waw/yeh (`أ إ آ` → `ا`) disappear. A few Latin letters that do not decompose are
//!    transliterated (`ø ł đ æ œ þ ı` → `o l d ae oe th i`).
//! 4. Arabic letter variants are unified: alef wasla `ٱ` → `ا`, ta marbuta `ة` → `ه`, alef maqsura
//!    `ى` → `ي`, Persian yeh `ی` → `ي`, keheh `ک` → `ك`; tatweel `ـ` is removed.
//! 5. Every character that is not alphanumeric (punctuation, symbols, whitespace, control
//!    characters) becomes a separator; runs of separators become one ASCII space and leading and
//!    trailing separators are dropped (`Rif-Dimashq` → `rif dimashq`, `U.S.` → `u s`).
//!
//! A key therefore consists of alphanumeric "words" joined by single spaces. A recognizer that
//! walks the index over running text can normalize token by token with [`normalize_into`] and
//! feed a single `b' '` between tokens.
//!
//! Pure-ASCII input takes a fast path that never allocates beyond the output string.
//!
//! This file depends only on `std`, `unicode-normalization` and `caseless`: the build script
//! compiles it too, so index keys made at build time and query keys made at run time agree.

use caseless::Caseless;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Normalizes a place name to its index key. See the [module documentation](self) for the rules.
///
/// ```
/// use eventmap::gazetteer::normalize;
/// assert_eq!(normalize("Dārayyā"), "darayya");
/// assert_eq!(normalize("Rif-Dimashq"), "rif dimashq");
/// assert_eq!(normalize("  U.S. "), "u s");
/// assert_eq!(normalize("دارَيّا"), "داريا");
/// assert_eq!(normalize("МОСКВА"), "москва");
/// ```
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    normalize_into(name, &mut out);
    out
}

/// Appends the normalized form of `name` to `out` (which is not cleared).
///
/// If `out` already ends with a word and `name` yields a word, nothing is inserted between them:
/// callers that join tokens push the `' '` themselves. Reusing one `String` avoids allocation
/// when normalizing many tokens.
pub fn normalize_into(name: &str, out: &mut String) {
    if name.is_ascii() {
        normalize_ascii(name, out);
        return;
    }
    let mut sink = Sink {
        out,
        start: 0,
        pending: false,
    };
    sink.start = sink.out.len();
    for c in name.chars() {
        if c.is_ascii() {
            sink.ascii(c as u8);
            continue;
        }
        if let Some(a) = arabic_fast(c) {
            match a {
                Folded::Drop => {}
                Folded::One(l) => sink.push(l),
                Folded::Two(..) => unreachable!("arabic_fast yields single letters"),
            }
            continue;
        }
        if is_caseless_script(c) {
            if !is_apostrophe(c) {
                decompose_compatible(c, |d| sink.decomposed(d));
            }
            continue;
        }
        for folded in std::iter::once(c).default_case_fold() {
            if folded.is_ascii() {
                sink.ascii(folded as u8);
            } else if !is_apostrophe(folded) {
                decompose_compatible(folded, |d| sink.decomposed(d));
            }
        }
    }
}

/// Output state of [`normalize_into`]: where the key started and whether a separator is due.
struct Sink<'a> {
    out: &'a mut String,
    start: usize,
    pending: bool,
}

impl Sink<'_> {
    fn push(&mut self, c: char) {
        if self.pending && self.out.len() > self.start {
            self.out.push(' ');
        }
        self.pending = false;
        self.out.push(c);
    }

    fn ascii(&mut self, b: u8) {
        if b.is_ascii_alphanumeric() {
            self.push(b.to_ascii_lowercase() as char);
        } else if b != b'\'' && b != b'`' {
            self.pending = true;
        }
    }

    /// One character of a compatibility decomposition (already case-folded).
    fn decomposed(&mut self, c: char) {
        if c.is_ascii() {
            // e.g. the letters of a decomposed "é" or the space of a decomposed "´"
            self.ascii(c as u8);
            return;
        }
        if is_combining_mark(c) || is_apostrophe(c) {
            return;
        }
        match fold_letter(c) {
            Folded::Drop => {}
            Folded::One(c) if c.is_alphanumeric() => self.push(c),
            Folded::One(_) => self.pending = true,
            Folded::Two(a, b) => {
                self.push(a);
                self.push(b);
            }
        }
    }
}

/// The ASCII fast path of [`normalize_into`].
fn normalize_ascii(name: &str, out: &mut String) {
    let start = out.len();
    let bytes = name.as_bytes();
    if bytes.iter().all(u8::is_ascii_alphanumeric) {
        // A plain word (the common case): copied and lower-cased in place.
        out.push_str(name);
        out[start..].make_ascii_lowercase();
        return;
    }
    let mut pending = false;
    for &b in bytes {
        if b.is_ascii_alphanumeric() {
            if pending && out.len() > start {
                out.push(' ');
            }
            pending = false;
            out.push(b.to_ascii_lowercase() as char);
        } else if b == b'\'' || b == b'`' {
            // apostrophes vanish without separating
        } else {
            pending = true;
        }
    }
}

/// The common Arabic letters and marks, handled without table lookups. Same result as the
/// general path (decomposition, mark removal, [`fold_letter`]); `None` for anything else.
fn arabic_fast(c: char) -> Option<Folded> {
    Some(match c {
        '\u{0622}' | '\u{0623}' | '\u{0625}' => Folded::One('\u{0627}'), // آ أ إ → ا
        '\u{0624}' => Folded::One('\u{0648}'),                           // ؤ → و
        '\u{0626}' => Folded::One('\u{064A}'),                           // ئ → ي
        '\u{0621}' | '\u{0627}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => fold_letter(c),
        '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' => Folded::Drop,
        _ => return None,
    })
}

/// Blocks of scripts without letter case (Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan,
/// Indic scripts, Thai, CJK, Hangul), where case folding is the identity and can be skipped.
fn is_caseless_script(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{0FFF}' | '\u{3040}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}')
}

/// Characters used as apostrophes or as transliteration marks for hamza/ayn.
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '`'
            | '\u{00B4}' // acute accent
            | '\u{02B9}'
            ..='\u{02BF}' // modifier primes, ʻ ʼ ʽ ʾ ʿ
            | '\u{02C8}' // modifier vertical line
            | '\u{2018}' | '\u{2019}' | '\u{201B}' // ‘ ’ ‛
            | '\u{2032}' // prime
            | '\u{FF07}' // fullwidth apostrophe
    )
}

enum Folded {
    Drop,
    One(char),
    Two(char, char),
}

/// Letter-level unification applied after decomposition.
fn fold_letter(c: char) -> Folded {
    match c {
        // Arabic
        '\u{0640}' => Folded::Drop,            // tatweel
        '\u{0671}' => Folded::One('\u{0627}'), // alef wasla → alef
        '\u{0629}' => Folded::One('\u{0647}'), // ta marbuta → heh
        '\u{0649}' => Folded::One('\u{064A}'), // alef maqsura → yeh
        '\u{06CC}' => Folded::One('\u{064A}'), // Farsi yeh → yeh
        '\u{06A9}' => Folded::One('\u{0643}'), // keheh → kaf
        // Latin letters without a decomposition
        'ø' => Folded::One('o'),
        'ł' => Folded::One('l'),
        'đ' | 'ð' => Folded::One('d'),
        'ı' => Folded::One('i'),
        'ħ' => Folded::One('h'),
        'æ' => Folded::Two('a', 'e'),
        'œ' => Folded::Two('o', 'e'),
        'þ' => Folded::Two('t', 'h'),
        _ => Folded::One(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin() {
        let cases = [
            ("Daraya", "daraya"),
            ("DARAYA", "daraya"),
            ("Dārayyā", "darayya"),
            ("Genève", "geneve"),
            ("Rif-Dimashq", "rif dimashq"),
            ("Rīf Dimashq", "rif dimashq"),
            ("U.S.", "u s"),
            ("u s", "u s"),
            ("  New   York  ", "new york"),
            ("Ma'arrat al-Nu'man", "maarrat al numan"),
            ("Maʿarrat an-Nuʿmān", "maarrat an numan"),
            ("Ma’arrat", "maarrat"),
            ("Ḩalab", "halab"),
            ("Łódź", "lodz"),
            ("Straße", "strasse"),
            ("Øresund", "oresund"),
            ("Æro", "aero"),
            ("İstanbul", "istanbul"),
            ("Diyarbakır", "diyarbakir"),
            ("Saint-Étienne", "saint etienne"),
            ("ﬁnland", "finland"),
            ("Ｇｅｎｅｖａ", "geneva"),
            ("", ""),
            ("...", ""),
            ("a--b", "a b"),
            ("Sector 7", "sector 7"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input), want, "normalize({input:?})");
        }
    }

    #[test]
    fn arabic() {
        let cases = [
            ("داريا", "داريا"),
            ("داريّا", "داريا"),    // shadda
            ("دَارَيَّا", "داريا"),    // harakat
            ("داريـــا", "داريا"), // tatweel
            ("أريحا", "اريحا"),    // alef with hamza above
            ("إدلب", "ادلب"),      // alef with hamza below
            ("آمد", "امد"),        // alef madda
            ("ٱلرقة", "الرقه"),    // alef wasla + ta marbuta
            ("الرقة", "الرقه"),
            ("دير الزور", "دير الزور"),
            ("ريف دمشق", "ريف دمشق"),
            ("ريف-دمشق", "ريف دمشق"),
            ("مصطفى", "مصطفي"),       // alef maqsura
            ("کرمانشاه", "كرمانشاه"), // keheh
            ("ایران", "ايران"),       // Farsi yeh
            ("حلب،", "حلب"),          // Arabic comma
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input), want, "normalize({input:?})");
        }
    }

    #[test]
    fn cyrillic_and_greek() {
        let cases = [
            ("МОСКВА", "москва"),
            ("Дамаск", "дамаск"),
            ("Ростов-на-Дону", "ростов на дону"),
            ("Йошкар-Ола", "иошкар ола"), // й decomposes to и + breve
            ("Ёлки", "елки"),
            ("Αθήνα", "αθηνα"),
            ("ΣΟΦΙΑ", "σοφια"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input), want, "normalize({input:?})");
        }
    }

    #[test]
    fn into_appends_and_matches_normalize() {
        let mut buf = String::from("rif");
        buf.push(' ');
        normalize_into("Dimashq", &mut buf);
        assert_eq!(buf, "rif dimashq");
        let mut buf = String::from("x");
        normalize_into(" -Dārayyā- ", &mut buf);
        assert_eq!(buf, "xdarayya");
    }

    #[test]
    fn arabic_fast_path_agrees_with_general_path() {
        for c in '\u{0600}'..='\u{06FF}' {
            let Some(fast) = arabic_fast(c) else { continue };
            let mut general = String::new();
            let mut sink = Sink {
                out: &mut general,
                start: 0,
                pending: false,
            };
            decompose_compatible(c, |d| sink.decomposed(d));
            let fast = match fast {
                Folded::Drop => String::new(),
                Folded::One(l) => l.to_string(),
                Folded::Two(a, b) => format!("{a}{b}"),
            };
            assert_eq!(fast, general, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn idempotent() {
        for s in [
            "Dārayyā",
            "Rif-Dimashq",
            "دَارَيَّا",
            "Ростов-на-Дону",
            "U.S.",
            "Łódź",
        ] {
            let once = normalize(s);
            assert_eq!(normalize(&once), once);
        }
    }
}
