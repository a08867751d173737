//! Word lists the recognizer consults: common English words, given names, and context cues
//! (person titles, speech verbs, organization heads, locative prepositions, place nouns,
//! compass words, month and weekday names), plus AP-style state abbreviations.
//!
//! The lists live in plain files under `data/lexicons/` (embedded at compile time) so they can be
//! reviewed and extended; [`Lexicon::extend_cues`] adds a user's own cue file at run time.

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// Context cue categories (bit flags).
pub mod cue {
    /// Introduces a person's name ("Secretary", "President").
    pub const PERSON_TITLE: u16 = 1;
    /// Follows a person's name ("said").
    pub const SPEECH_VERB: u16 = 2;
    /// Turns a preceding name into an organization ("Front", "Party").
    pub const ORG_HEAD: u16 = 4;
    /// Introduces a location ("in", "near").
    pub const PLACE_PREP: u16 = 8;
    /// Introduces or follows a place ("town", "province").
    pub const PLACE_NOUN: u16 = 16;
    /// Compass adjective ("northern").
    pub const DIRECTION: u16 = 32;
    /// Month or weekday name ("March", "Thu").
    pub const CALENDAR: u16 = 64;
    /// Says a name is a populated place ("town", "city").
    pub const SETTLEMENT_NOUN: u16 = 128;
    /// Says a name is an administrative division ("province", "governorate").
    pub const DIVISION_NOUN: u16 = 256;
    /// Era notation after a year ("500 B.C."), which gazetteers also list as a place's
    /// abbreviation ("B.C." for British Columbia).
    pub const ERA: u16 = 512;
    /// Turns the name before it into the name of something called after the place, a
    /// disease above all ("West Nile virus", "Minamata disease").
    pub const EPONYM_HEAD: u16 = 1024;
    /// A title that introduces a person's name in lower case too ("Hezbollah leader Hassan
    /// Nasrallah", "army spokesman Ahmed"), unlike "major" or "private".
    pub const ROLE_NOUN: u16 = 2048;
    /// A one-word name of an armed group or organization in the actor dictionary
    /// (`data/actors.tsv`: "Hamas", "Taliban"), which gazetteers may also list as a place.
    pub const ORG_NAME: u16 = 4096;
}

/// Bit of [`Lexicon::words`] entries: a common English word.
const COMMON: u16 = 1 << 14;
/// Bit of [`Lexicon::words`] entries: a common word that is among the less common of the list
/// (SCOWL size 35, as "china", "turkey" and "buffalo"; not 10 or 20, as "reading" and "mobile").
const LESS_COMMON: u16 = 1 << 13;
/// Bit of [`Lexicon::words`] entries: a given name.
const FIRST_NAME: u16 = 1 << 15;

const _: () = assert!(
    cue::ORG_NAME < LESS_COMMON,
    "cue bits stay below the list bits"
);

/// What the lexicon knows about one lower-cased word (see [`Lexicon::word`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WordFacts {
    /// [`cue`] bits (0 when none).
    pub cues: u16,
    /// A common English word.
    pub common: bool,
    /// A common word among the less common of the list ([`WordFacts::common`] is set too).
    pub less_common: bool,
    /// A given name.
    pub first_name: bool,
}

/// The recognizer's word lists.
///
/// All lists share one map from word to bits, so that everything about a word takes one lookup.
/// The common words and given names are borrowed from text that lives for the whole program
/// (the embedded files, and the given names lower-cased once), so loading them allocates no
/// string per word.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Word → [`cue`] bits, [`COMMON`], [`LESS_COMMON`] and [`FIRST_NAME`].
    words: FxHashMap<Cow<'static, str>, u16>,
    ap_states: Vec<(String, String)>,
}

const COMMON_WORDS: &str = include_str!("../../data/lexicons/common-words.txt");
const FIRST_NAMES: &str = include_str!("../../data/lexicons/first-names.txt");
const CUES: &str = include_str!("../../data/lexicons/cues.tsv");
const AP_STATES: &str = include_str!("../../data/lexicons/ap-states.tsv");
/// The actor dictionary, whose named actors the recognizer weighs as organizations.
const ACTORS: &str = include_str!("../../data/actors.tsv");

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

impl Lexicon {
    /// The lexicon built from the files embedded in the binary (parsed once, on first use).
    pub fn embedded() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(|| {
            // Lower-casing the whole file gives each line its lower-case form: a line break is a
            // word boundary, so no character maps differently than on its own line. The text
            // is kept for the life of the program, as the lexicon is.
            let first_names: &'static str = Box::leak(FIRST_NAMES.to_lowercase().into_boxed_str());
            let mut lex = Lexicon::default();
            lex.words
                .reserve((COMMON_WORDS.len() + first_names.len()) / 8);
            // Common words come with their SCOWL size ("word<TAB>size").
            for l in lines(COMMON_WORDS) {
                let (word, size) = l.split_once('\t').unwrap_or((l, ""));
                let bits = if size == "35" {
                    COMMON | LESS_COMMON
                } else {
                    COMMON
                };
                *lex.words.entry(Cow::Borrowed(word)).or_default() |= bits;
            }
            for word in lines(first_names) {
                *lex.words.entry(Cow::Borrowed(word)).or_default() |= FIRST_NAME;
            }
            lex.extend_cues(CUES);
            lex.extend_org_names(ACTORS);
            for l in lines(AP_STATES) {
                if let Some((abbr, code)) = l.split_once('\t') {
                    lex.ap_states.push((abbr.to_string(), code.to_string()));
                }
            }
            lex
        })
    }

    /// Adds cues from text in the `cues.tsv` format (`category<TAB>word`). Unknown categories
    /// are ignored.
    pub fn extend_cues(&mut self, text: &str) {
        for l in lines(text) {
            let Some((cat, word)) = l.split_once('\t') else {
                continue;
            };
            let bit = match cat {
                "person_title" => cue::PERSON_TITLE,
                "speech_verb" => cue::SPEECH_VERB,
                "org_head" => cue::ORG_HEAD,
                "place_prep" => cue::PLACE_PREP,
                "place_noun" => cue::PLACE_NOUN,
                "direction" => cue::DIRECTION,
                "calendar" => cue::CALENDAR,
                "settlement_noun" => cue::SETTLEMENT_NOUN,
                "division_noun" => cue::DIVISION_NOUN,
                "era" => cue::ERA,
                "eponym_head" => cue::EPONYM_HEAD,
                "role_noun" => cue::ROLE_NOUN,
                _ => continue,
            };
            *self
                .words
                .entry(Cow::Owned(word.trim().to_lowercase()))
                .or_default() |= bit;
        }
    }

    /// Marks the one-word aliases of the named actors (`actor` rows) of text in the actor
    /// dictionary format (see `data/actors.tsv`) as [`cue::ORG_NAME`].
    pub fn extend_org_names(&mut self, text: &str) {
        for l in lines(text) {
            let cols: Vec<&str> = l.split('\t').collect();
            let (Some(&"actor"), Some(aliases)) = (cols.first(), cols.get(4)) else {
                continue;
            };
            for alias in aliases.split('|').map(str::trim) {
                if !alias.is_empty() && !alias.contains(' ') {
                    *self
                        .words
                        .entry(Cow::Owned(alias.to_lowercase()))
                        .or_default() |= cue::ORG_NAME;
                }
            }
        }
    }

    /// Everything the lexicon knows about a lower-cased word, in one lookup.
    pub fn word(&self, lower: &str) -> WordFacts {
        let bits = self.words.get(lower).copied().unwrap_or(0);
        WordFacts {
            cues: bits & !(COMMON | LESS_COMMON | FIRST_NAME),
            common: bits & COMMON != 0,
            less_common: bits & LESS_COMMON != 0,
            first_name: bits & FIRST_NAME != 0,
        }
    }

    /// True when the lower-cased word is a common English word.
    pub fn is_common(&self, lower: &str) -> bool {
        self.word(lower).common
    }

    /// True when the lower-cased word is a given name.
    pub fn is_first_name(&self, lower: &str) -> bool {
        self.word(lower).first_name
    }

    /// Cue bits of a lower-cased word (0 when none).
    pub fn cues(&self, lower: &str) -> u16 {
        self.word(lower).cues
    }

    /// AP-style abbreviations ("Calif.") with the admin1 code ("US.CA") they stand for.
    pub fn ap_states(&self) -> &[(String, String)] {
        &self.ap_states
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lists_load() {
        let lex = Lexicon::embedded();
        for (word, common) in [
            ("mobile", true),
            ("reading", true),
            ("the", true),
            ("aleppo", false),
            ("geneva", false),
        ] {
            assert_eq!(lex.is_common(word), common, "{word}");
        }
        assert!(lex.is_first_name("john"));
        assert!(!lex.is_first_name("aleppo"));
        assert_eq!(lex.cues("secretary") & cue::PERSON_TITLE, cue::PERSON_TITLE);
        assert_eq!(lex.cues("said"), cue::SPEECH_VERB);
        assert_eq!(lex.cues("front"), cue::ORG_HEAD);
        assert!(lex.cues("in") & cue::PLACE_PREP != 0);
        // (word, cues, common, less common, given name): one lookup answers all of them.
        for (word, cues, common, less_common, first_name) in [
            ("said", cue::SPEECH_VERB, true, false, false),
            ("john", 0, false, false, true),
            ("aleppo", 0, false, false, false),
            ("march", cue::CALENDAR, true, false, false),
            ("mobile", 0, true, false, false),
            ("turkey", 0, true, true, false),
            // named actors of the actor dictionary, one-word aliases only
            ("hamas", cue::ORG_NAME, false, false, false),
            ("taliban", cue::ORG_NAME, false, false, false),
            ("hezbollah", cue::ORG_NAME, false, false, false),
            ("nusra", cue::ORG_NAME, false, false, false),
            // a state actor's names are places
            ("syria", 0, false, false, false),
        ] {
            let want = WordFacts {
                cues,
                common,
                less_common,
                first_name,
            };
            assert_eq!(lex.word(word), want, "{word}");
        }
        assert!(lex.cues("town") & cue::SETTLEMENT_NOUN != 0);
        assert!(lex.cues("governorate") & cue::DIVISION_NOUN != 0);
        assert!(
            lex.ap_states()
                .iter()
                .any(|(a, c)| a == "Calif." && c == "US.CA")
        );
    }
}
