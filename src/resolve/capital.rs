//! Capitals named by description: "the Libyan capital", "Ukraine's capital", "the capital of
//! Sudan".
//!
//! Conflict reporting names a capital by its country as often as by its name, and the sentence
//! that does so is often the one that says what happened there ("clashes erupted in the Libyan
//! capital"). The recognizer finds only the country reference in it (`Libyan`, a demonym of
//! Libya), which places nothing finer than the country. [`name_capitals`] turns each such
//! description into a toponym of the capital the gazetteer records for that country
//! ([`Place::capital`]), so that `run` can place events and control there.
//!
//! Three forms are read, around a resolved country-level toponym `C` (a demonym or a country
//! name):
//!
//! - `C capital` ("the Libyan capital", "in Ukrainian capital");
//! - `C's capital` ("Sudan's capital");
//! - `the capital of C` ("the capital of Syria").
//!
//! A description is left alone when the capital is named next to it ("the Libyan capital,
//! Tripoli", "Tripoli, the Libyan capital": that name is a toponym already; "Jerusalem as
//! Palestinian capital": the description is said of it), when a qualifier
//! makes it another city ("Nigeria's commercial capital" is Lagos, not Abuja: only the three
//! forms above, with nothing between, are read), and when "capital" is the financial noun of a
//! compound ("Russian capital markets", see [`COMPOUNDS`]).
//!
//! The description's toponym replaces the country reference it contains: it spans the
//! description (`Libyan capital`, `capital of Syria`), carries the capital's name as the
//! gazetteer writes it (`Tripoli`: the description itself names no place a map reader would
//! recognize), and the country reference's confidence. `geoparse` does not report these; they
//! are descriptions, not names.

use super::{MentionKind, Toponym, geoparser::admin1_name, geoparser::round6};
use crate::gazetteer::{Gazetteer, is_country_code};

/// Words after "capital" that make it the financial noun ("capital markets"), never the city.
pub const COMPOUNDS: &[&str] = &[
    "account",
    "accounts",
    "adequacy",
    "allocation",
    "base",
    "budget",
    "controls",
    "expenditure",
    "expenditures",
    "flight",
    "flows",
    "gains",
    "goods",
    "inflows",
    "injection",
    "investment",
    "investments",
    "market",
    "markets",
    "outflows",
    "punishment",
    "ratio",
    "ratios",
    "requirements",
    "spending",
    "stock",
];

/// Replaces each description of a capital in `text` ("the Libyan capital") whose country
/// reference is among `toponyms` (sorted by start, as the geoparser returns them) with a
/// toponym of that capital; `toponyms` stays sorted by start. The forms read: a demonym
/// before "capital" ("the Libyan capital"), a country's possessive ("Sudan's capital") and
/// "the capital of" a country ("the capital of Syria"); a description next to the capital's
/// own name is left alone.
///
/// ```
/// use eventmap::gazetteer::Gazetteer;
/// use eventmap::resolve::{Geoparser, name_capitals};
///
/// let gaz = Gazetteer::embedded();
/// let text = "Heavy clashes erupted overnight in the Libyan capital.";
/// let mut toponyms = Geoparser::new(gaz).geoparse(text);
/// name_capitals(gaz, text, &mut toponyms);
/// let capital = toponyms.iter().find(|t| t.feature_code == "PPLC").unwrap();
/// assert_eq!((capital.name.as_str(), capital.country_code.as_str()), ("Tripoli", "LY"));
/// assert_eq!(&text[capital.byte_start..capital.byte_end], "Libyan capital");
/// ```
pub fn name_capitals(gaz: &Gazetteer, text: &str, toponyms: &mut [Toponym]) {
    // The descriptions first: most documents have none, and need nothing more.
    let described: Vec<(usize, (usize, usize))> = toponyms
        .iter()
        .enumerate()
        .filter(|(_, t)| is_country_code(&t.feature_code))
        .filter_map(|(i, t)| Some((i, description(text, t.byte_start, t.byte_end)?)))
        .collect();
    if described.is_empty() {
        return;
    }
    // The toponyms as they were found: a description's neighbours are looked up among them.
    let starts: Vec<(usize, usize)> = toponyms
        .iter()
        .map(|t| (t.byte_start, t.byte_end))
        .collect();
    for (i, (span_start, span_end)) in described {
        if named_beside(text, span_start, span_end, &starts) {
            continue;
        }
        let t = &mut toponyms[i];
        let Some(capital) = gaz
            .country(&t.country_code)
            .and_then(|c| c.capital())
            .and_then(|id| gaz.by_geonameid(id))
        else {
            continue;
        };
        let start = t.start - text[span_start..t.byte_start].chars().count();
        let end = t.end + text[t.byte_end..span_end].chars().count();
        *t = Toponym {
            start,
            end,
            byte_start: span_start,
            byte_end: span_end,
            name: capital.name().to_string(),
            geonameid: capital.geonameid(),
            lat: round6(capital.lat()),
            lon: round6(capital.lon()),
            feature_code: capital.feature_code().to_string(),
            country_code: capital.country_code().to_string(),
            admin1: admin1_name(gaz, &capital),
            kind: MentionKind::Place,
            confidence: t.confidence,
        };
    }
}

/// The byte span of the description of a capital around the country reference at `start..end`,
/// if there is one.
fn description(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let after = &text[end..];
    // "Libyan capital", "Sudan's capital"
    for lead in [" ", "'s ", "’s "] {
        if let Some(rest) = strip_prefix_ci(after, lead)
            && let Some(rest) = strip_word_ci(rest, "capital")
            && !compound_follows(rest)
        {
            return Some((start, text.len() - rest.len()));
        }
    }
    // "the capital of Syria"
    let before = &text[..start];
    let head = strip_suffix_ci(before, " capital of ")?;
    let the = strip_suffix_ci(head, "the")?;
    let word_before_the = the.chars().next_back().is_some_and(char::is_alphanumeric);
    (!word_before_the).then_some((head.len() + 1, end))
}

/// Whether a word of [`COMPOUNDS`] comes next in `rest` (after "capital").
fn compound_follows(rest: &str) -> bool {
    let rest = rest.trim_start_matches(' ');
    let word = &rest[..rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len())];
    COMPOUNDS.contains(&word)
}

/// Whether a toponym of `toponyms` (their byte spans) stands right after the description at
/// `start..end` ("the Libyan capital, Tripoli") or right before it ("Tripoli, the Libyan
/// capital", "Jerusalem as Palestinian capital"): the capital is named, or the description is
/// said of the name before it, and adds nothing.
fn named_beside(text: &str, start: usize, end: usize, toponyms: &[(usize, usize)]) -> bool {
    toponyms.iter().any(|&(s, e)| {
        if s >= end {
            let gap = &text[end..s];
            gap.len() <= 2 && gap.chars().all(|c| matches!(c, ' ' | ','))
        } else if e <= start {
            let gap = text[e..start].trim_end();
            let gap = strip_suffix_ci(gap, "the").unwrap_or(gap);
            matches!(gap.trim(), "," | "as" | "is" | "was")
        } else {
            false
        }
    })
}

/// `s` without the prefix `p` (ASCII, any case).
fn strip_prefix_ci<'a>(s: &'a str, p: &str) -> Option<&'a str> {
    let head = s.get(..p.len())?;
    head.eq_ignore_ascii_case(p).then(|| &s[p.len()..])
}

/// `s` without the suffix `p` (ASCII, any case).
fn strip_suffix_ci<'a>(s: &'a str, p: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(p.len())?;
    let tail = s.get(cut..)?;
    tail.eq_ignore_ascii_case(p).then(|| &s[..cut])
}

/// `s` without the whole word `w` at its start (ASCII, any case): no letter or digit follows.
fn strip_word_ci<'a>(s: &'a str, w: &str) -> Option<&'a str> {
    let rest = strip_prefix_ci(s, w)?;
    (!rest.starts_with(char::is_alphanumeric)).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::Geoparser;

    /// The capitals the descriptions of `text` are turned into (the toponyms whose name is not
    /// their text), as (description, name, country), in text order.
    fn capitals(text: &str) -> Vec<(String, String, String)> {
        let gaz = Gazetteer::embedded();
        let mut toponyms = Geoparser::new(gaz).geoparse(text);
        name_capitals(gaz, text, &mut toponyms);
        for t in &toponyms {
            let chars: String = text.chars().skip(t.start).take(t.end - t.start).collect();
            assert_eq!(chars, &text[t.byte_start..t.byte_end], "offsets of {t:?}");
        }
        toponyms
            .iter()
            .filter(|t| text[t.byte_start..t.byte_end] != t.name)
            .map(|t| {
                (
                    text[t.byte_start..t.byte_end].to_string(),
                    t.name.clone(),
                    t.country_code.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn descriptions_name_their_capitals() {
        // (text, [(description, capital, country)])
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str, &'a str)]);
        let cases: &[Case] = &[
            (
                "Heavy clashes erupted in the Libyan capital on Monday.",
                &[("Libyan capital", "Tripoli", "LY")],
            ),
            (
                "Missiles struck the Ukrainian capital overnight.",
                &[("Ukrainian capital", "Kyiv", "UA")],
            ),
            (
                "Fighting spread to Sudan's capital and its twin city.",
                &[("Sudan's capital", "Khartoum", "SD")],
            ),
            (
                "Protesters marched in the capital of Syria on Friday.",
                &[("capital of Syria", "Damascus", "SY")],
            ),
            (
                "Explosion Rocks Afghan Capital",
                &[("Afghan Capital", "Kabul", "AF")],
            ),
            // Named beside: the name is the toponym, no description is added.
            ("Clashes hit the Libyan capital, Tripoli, again.", &[]),
            ("Clashes hit Tripoli, the Libyan capital, again.", &[]),
            ("No peace without Jerusalem as Palestinian capital.", &[]),
            // Another city, or the financial noun.
            ("Shelling reached Nigeria's commercial capital.", &[]),
            ("Investors fled Russian capital markets.", &[]),
            ("Almaty, the former capital of Kazakhstan, was calm.", &[]),
        ];
        for (text, want) in cases {
            let got = capitals(text);
            let want: Vec<(String, String, String)> = want
                .iter()
                .map(|(d, n, c)| (d.to_string(), n.to_string(), c.to_string()))
                .collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn the_country_reference_gives_way_to_the_capital() {
        let gaz = Gazetteer::embedded();
        let text = "Drones struck the Sudanese capital as talks resumed in Jeddah.";
        let mut toponyms = Geoparser::new(gaz).geoparse(text);
        let sudanese = toponyms
            .iter()
            .find(|t| &text[t.byte_start..t.byte_end] == "Sudanese")
            .map(|t| t.confidence)
            .expect("the demonym is found");
        name_capitals(gaz, text, &mut toponyms);
        let names: Vec<&str> = toponyms.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Khartoum", "Jeddah"]);
        assert_eq!(toponyms[0].kind, MentionKind::Place);
        assert_eq!(toponyms[0].confidence, sudanese);
        assert!(toponyms.is_sorted_by_key(|t| t.byte_start));
    }
}
