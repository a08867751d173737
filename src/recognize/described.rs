//! What the words around a place name say it is.
//!
//! News often names the kind of place along with the place: "the town of Daraya", "Aleppo
//! city", "Daraa, the southern city where the uprising began", "Hama province", "the
//! governorate of Idlib". Where a city and the division around it share a name (Aleppo, Idlib,
//! Daraa, New York), that noun is the best evidence of which one is meant, so the recognizer
//! records it on the mention ([`super::Mention::described_as`]) and the resolver weighs it.
//!
//! Four places are looked at, in this order, and the first noun found wins:
//!
//! 1. a plural noun after or before a list of names, said of each: "Alachua and Gilchrist
//!    counties", "the provinces of Homs, Hama and Idlib";
//! 2. the word right after the name: "Hama province", "Aleppo city";
//! 3. "NOUN of" right before it: "the town of Daraya", "the province of Idlib";
//! 4. an appositive after a comma — an article and at most three more words, one of them the
//!    noun: "Daraa, the southern city", "Daraya, a suburb of Damascus".
//!
//! Which nouns count is data: the `settlement_noun` and `division_noun` categories of
//! `data/lexicons/cues.tsv`.
//!
//! ```
//! use eventmap::recognize::{Lexicon, PlaceClass, described_as};
//!
//! let lex = Lexicon::embedded();
//! let text = "Protesters gathered in Daraa, the southern city, and in Hama province.";
//! let at = |name: &str| text.find(name).map(|s| (s, s + name.len())).unwrap();
//! let (s, e) = at("Daraa");
//! assert_eq!(described_as(text, s, e, lex), Some(PlaceClass::Settlement));
//! let (s, e) = at("Hama");
//! assert_eq!(described_as(text, s, e, lex), Some(PlaceClass::Division));
//! ```

use super::lexicon::{Lexicon, cue};

/// The kind of place a text says a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceClass {
    /// A city, town, village or neighbourhood.
    Settlement,
    /// An administrative division: a province, governorate, state, county, district.
    Division,
}

/// Words an appositive may have after its article before the noun ("the southern city").
const APPOSITIVE_WORDS: usize = 3;

/// What the words around the name at bytes `start..end` of `text` say it is, if anything.
pub fn described_as(text: &str, start: usize, end: usize, lex: &Lexicon) -> Option<PlaceClass> {
    let class_of =
        |word: &str| class_of_cues(cues_of(lex, word)).or_else(|| plural_class(word, lex));
    let after = &text[end..];
    // "Aleppo and Idlib provinces", "the towns of Kafr Nabl and Saraqib": a plural noun after
    // or before a list of names is said of each. Only a name joined to another (", ", " and ",
    // " or ") can be in a list: tested on bytes first, as most names are not.
    let before = &text[..start];
    let joined =
        |s: &[u8]| s.starts_with(b", ") || s.starts_with(b" and ") || s.starts_with(b" or ");
    let joined_before =
        |s: &[u8]| s.ends_with(b", ") || s.ends_with(b" and ") || s.ends_with(b" or ");
    let listed = joined(after.as_bytes())
        .then(|| plural_after_list(after, lex))
        .flatten()
        .or_else(|| {
            joined_before(before.as_bytes())
                .then(|| plural_before_list(before, lex))
                .flatten()
        });
    if listed.is_some() {
        return listed;
    }
    // "Hama province": the very next word, after spaces only.
    let rest = after.trim_start_matches(is_space);
    if rest.len() < after.len()
        && let Some(c) = class_of(first_word(rest))
    {
        return Some(c);
    }
    // "the town of Daraya".
    let before = before.trim_end_matches(is_space);
    if before.len() < start
        && let Some(before_of) = strip_of(before)
    {
        let (noun, _) = last_word(before_of.trim_end_matches(is_space));
        if let Some(c) = class_of(noun) {
            return Some(c);
        }
    }
    // "Daraa, the southern city".
    let appositive = after.strip_prefix(',')?.trim_start_matches(is_space);
    let mut words = appositive.split(is_space);
    if !matches!(words.next()?, "a" | "an" | "the") {
        return None;
    }
    for w in words.take(APPOSITIVE_WORDS) {
        let word = first_word(w);
        if let Some(c) = class_of(word) {
            return Some(c);
        }
        // The appositive ends at punctuation.
        if word.len() != w.len() {
            break;
        }
    }
    None
}

/// Most names a list of places has before its noun ("Homs, Hama and Idlib provinces").
const LIST_NAMES: usize = 4;

/// The class of a plural noun ("provinces", "cities"), by its singular.
fn plural_class(word: &str, lex: &Lexicon) -> Option<PlaceClass> {
    // The shortest plural of a place noun is "towns": "is", "was" and "its" need no lookup.
    if word.len() < 5 || !word.ends_with('s') {
        return None;
    }
    if let Some(stem) = word.strip_suffix("ies") {
        let mut buf = [0u8; 24];
        let b = buf.get_mut(..stem.len() + 1)?;
        b[..stem.len()].copy_from_slice(stem.as_bytes());
        b[stem.len()] = b'y';
        return class_of_cues(cues_of(lex, std::str::from_utf8(b).ok()?));
    }
    class_of_cues(cues_of(lex, word.strip_suffix('s')?))
}

/// Whether `word` is a capitalized word of a name ("Idlib", "Kafr").
fn is_name_word(word: &str) -> bool {
    word.starts_with(char::is_uppercase)
}

/// After a name, more names joined by commas, "and" or "or", then a plural noun of places:
/// "[Aleppo] and Idlib provinces".
fn plural_after_list(after: &str, lex: &Lexicon) -> Option<PlaceClass> {
    let words = after
        .split(|c: char| is_space(c) || c == ',')
        .filter(|w| !w.is_empty());
    let mut joined = false;
    let mut names = 0;
    for w in words.take(3 * LIST_NAMES) {
        if matches!(w, "and" | "or") {
            joined = true;
        } else if is_name_word(w) && first_word(w).len() == w.len() {
            names += 1;
        } else {
            // The list is over: the word after it must be the plural noun, after "and" and a name.
            return (joined && names > 0)
                .then(|| plural_class(first_word(w), lex))
                .flatten();
        }
    }
    None
}

/// Before a name, more names joined by commas, "and" or "or", after "NOUNs of": "the
/// provinces of Aleppo and [Idlib]".
fn plural_before_list(before: &str, lex: &Lexicon) -> Option<PlaceClass> {
    let mut words = before
        .rsplit(|c: char| is_space(c) || c == ',')
        .filter(|w| !w.is_empty());
    // Any word between "of" and the name makes it a later name of a list (names are joined
    // only by commas, "and" and "or").
    let mut listed = false;
    for w in words.by_ref().take(3 * LIST_NAMES) {
        if matches!(w, "and" | "or") || is_name_word(w) && first_word(w).len() == w.len() {
            listed = true;
        } else if w.eq_ignore_ascii_case("of") && listed {
            return plural_class(words.next()?, lex);
        } else {
            return None;
        }
    }
    None
}

/// `s` without the word "of" (any case) it ends with, if it ends with that word.
fn strip_of(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let n = b.len();
    let is_of = n >= 2 && b[n - 2..].eq_ignore_ascii_case(b"of");
    // "of" must be a whole word: "Chief of" but not "Kharkof".
    (is_of && last_word(&s[..n - 2]).0.is_empty()).then(|| &s[..n - 2])
}

/// The cue bits of `word`, lower-cased (ASCII) on the stack when it is short.
fn cues_of(lex: &Lexicon, word: &str) -> u16 {
    if !word.bytes().any(|b| b.is_ascii_uppercase()) {
        return lex.cues(word);
    }
    let mut buf = [0u8; 24];
    match buf.get_mut(..word.len()) {
        Some(b) => {
            b.copy_from_slice(word.as_bytes());
            b.make_ascii_lowercase();
            // Lower-casing ASCII bytes keeps UTF-8 valid.
            std::str::from_utf8(b).map_or(0, |w| lex.cues(w))
        }
        None => lex.cues(&word.to_ascii_lowercase()),
    }
}

/// The class a noun's cue bits give (none for other words and for nouns in both lists).
fn class_of_cues(cues: u16) -> Option<PlaceClass> {
    match (
        cues & cue::SETTLEMENT_NOUN != 0,
        cues & cue::DIVISION_NOUN != 0,
    ) {
        (true, false) => Some(PlaceClass::Settlement),
        (false, true) => Some(PlaceClass::Division),
        _ => None,
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\t')
}

/// Letters, digits and hyphens inside a word ("rebel-held").
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}

/// The word `s` starts with (empty when it starts with anything else).
fn first_word(s: &str) -> &str {
    // ASCII letters, digits and hyphens byte by byte; the rest of the word, if it goes on in
    // another script, character by character.
    let ascii = s
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
        .count();
    let rest = &s[ascii..];
    let n = ascii + rest.find(|c| !is_word_char(c)).unwrap_or(rest.len());
    &s[..n]
}

/// The word `s` ends with (empty when it ends with anything else) and what comes before it.
fn last_word(s: &str) -> (&str, &str) {
    let ascii = s
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
        .count();
    let head = &s[..s.len() - ascii];
    let n = head
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c))
        .last()
        .map_or(head.len(), |(i, _)| i);
    (&s[n..], &s[..n])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nouns_around_a_name() {
        use PlaceClass::{Division, Settlement};
        // (text, name, class)
        let cases = [
            (
                "Fighting spread across Hama province.",
                "Hama",
                Some(Division),
            ),
            (
                "Clashes continued in Aleppo city.",
                "Aleppo",
                Some(Settlement),
            ),
            (
                "Fighting in Idlib Governorate went on.",
                "Idlib",
                Some(Division),
            ),
            (
                "They shelled the town of Daraya.",
                "Daraya",
                Some(Settlement),
            ),
            (
                "Troops left the province of Idlib.",
                "Idlib",
                Some(Division),
            ),
            ("He lives in the state of Texas.", "Texas", Some(Division)),
            // A plural noun after or before a list is said of each name.
            (
                "Clashes spread to Aleppo and Idlib provinces.",
                "Aleppo",
                Some(Division),
            ),
            (
                "Clashes spread to Aleppo and Idlib provinces.",
                "Idlib",
                Some(Division),
            ),
            (
                "Clashes spread to Homs, Hama and Idlib provinces.",
                "Hama",
                Some(Division),
            ),
            (
                "Rebels took the towns of Kafr Nabl and Saraqib.",
                "Kafr Nabl",
                Some(Settlement),
            ),
            (
                "Rebels took the towns of Kafr Nabl and Saraqib.",
                "Saraqib",
                Some(Settlement),
            ),
            (
                "Jets struck the provinces of Homs, Hama and Idlib.",
                "Hama",
                Some(Division),
            ),
            ("Aleppo and Idlib were shelled.", "Aleppo", None),
            ("Aleppo and Idlib were shelled.", "Idlib", None),
            (
                "Daraa, the southern city where it began.",
                "Daraa",
                Some(Settlement),
            ),
            (
                "Daraya, a suburb of Damascus, fell.",
                "Daraya",
                Some(Settlement),
            ),
            (
                "Daraya, a suburb of Damascus, fell.",
                "Damascus",
                Some(Settlement),
            ),
            (
                "Kafr Nabl, a rebel-held town, was hit.",
                "Kafr Nabl",
                Some(Settlement),
            ),
            (
                "Idlib, the province bordering Turkey, is held by rebels.",
                "Idlib",
                Some(Division),
            ),
            // Nothing said, or something else said.
            ("Rebels shelled Daraa on Monday.", "Daraa", None),
            ("The governor of Idlib spoke.", "Idlib", None),
            ("The countryside of Hama burned.", "Hama", None),
            ("Aleppo's old city was shelled.", "Aleppo", None),
            (
                "Aleppo, where the siege goes on, is the city.",
                "Aleppo",
                None,
            ),
            (
                "Homs, a symbol of the uprising, and the town of Rastan.",
                "Homs",
                None,
            ),
            ("Aleppo-province border.", "Aleppo", None),
            ("Aleppo", "Aleppo", None),
            (
                "Troops left the town Of Daraya.",
                "Daraya",
                Some(Settlement),
            ),
            ("Troops left Kharkof Daraya.", "Daraya", None),
            ("Troops left the town-of Daraya.", "Daraya", None),
            // Words in other scripts are whole words too.
            ("Clashes near Ḩamāh province.", "Ḩamāh", Some(Division)),
            (
                "They left the town of Dārayyā.",
                "Dārayyā",
                Some(Settlement),
            ),
            ("They left the townß of Dārayyā.", "Dārayyā", None),
            ("Fighting in Hama provinceé went on.", "Hama", None),
        ];
        let lex = Lexicon::embedded();
        for (text, name, want) in cases {
            let s = text.find(name).unwrap();
            assert_eq!(
                described_as(text, s, s + name.len(), lex),
                want,
                "{name} in {text:?}"
            );
        }
    }
}
