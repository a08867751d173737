//! A small phrase-pattern language over the items of a sentence, used by the trigger lexicon
//! (`data/event_triggers.tsv`) and the control patterns (`data/control_patterns.tsv`), so that
//! the extraction rules live in reviewable data files instead of code.
//!
//! A sentence is a sequence of [`Item`]s: words, punctuation, and (after actor and place
//! recognition) whole actor mentions and place mentions. Pattern syntax, space-separated:
//!
//! * `word` — that word (case-insensitive); `word*` — any word starting so; `a|b` — either.
//! * `(x y|z)` — alternative phrases; any element or group followed by `?` is optional.
//! * `~N` — up to N items of anything except actors and clause boundaries.
//! * `@role` or `@role:kind` — an actor mention, captured under `role`; `kind` restricts its
//!   ACLED category (`state`, `rebel`, `pmil`, `imil`, `rioters`, `protesters`, `civ`, `ext`).
//! * `#place` — a place mention, optionally introduced by descriptors such as "the northern
//!   Syrian town of" (the last place of the phrase is captured).
//!
//! Hyphens inside words are separate items ("sit-in" is `sit - in`).

use std::borrow::Cow;

use crate::extract::Inter;

mod index;
pub use index::{ItemWords, Match, PatternSet, Scratch, WordMark};

/// What an item of a sentence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A word token.
    Word,
    /// A punctuation token.
    Punct,
    /// A place mention: index into the sentence's place list.
    Place(usize),
    /// An actor mention: index into the sentence's actor list.
    Actor(usize),
}

/// One item of a sentence with its lower-cased text and byte range in the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Item<'a> {
    pub kind: ItemKind,
    /// Lower-cased text (for places and actors: the whole mention), usually borrowed from a
    /// lower-cased copy of the document.
    pub text: Cow<'a, str>,
    pub start: usize,
    pub end: usize,
    /// For actor items: the actor's ACLED category.
    pub inter: Option<Inter>,
}

impl Item<'_> {
    /// True for punctuation that ends a clause (actor and gap searches do not cross it).
    pub fn is_clause_break(&self) -> bool {
        self.kind == ItemKind::Punct
            && matches!(
                &*self.text,
                ";" | ":" | "–" | "—" | "(" | ")" | "“" | "”" | "\"" | "?" | "!" | "/"
            )
    }

    /// True when the item is the word `w`.
    pub fn is(&self, w: &str) -> bool {
        self.kind == ItemKind::Word && self.text == w
    }

    /// True when the item is one of the words.
    pub fn is_any(&self, ws: &[&str]) -> bool {
        self.kind == ItemKind::Word && ws.contains(&&*self.text)
    }
}

/// The lower-cased text of `text[range]` (what `str::to_lowercase` gives), borrowed from
/// `ascii_lower` — `text.to_ascii_lowercase()`, which keeps every byte offset — whenever that
/// already is the answer: for ASCII and for characters without case. Other text is lower-cased
/// into a new string. Inlined: it is asked of every token of every sentence that is built.
#[inline]
pub fn lower_text<'a>(
    text: &str,
    ascii_lower: &'a str,
    range: std::ops::Range<usize>,
) -> Cow<'a, str> {
    let l = &ascii_lower[range.clone()];
    let unchanged = l.is_ascii()
        || l.chars().all(|c| {
            let mut lc = c.to_lowercase();
            lc.next() == Some(c) && lc.next().is_none()
        });
    if unchanged {
        Cow::Borrowed(l)
    } else {
        Cow::Owned(text[range].to_lowercase())
    }
}

/// Slot names a pattern can capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    A1,
    A2,
    Ctrl,
    Prev,
    Siege,
}

/// Item indexes captured by one match.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Captures {
    pub a1: Option<usize>,
    pub a2: Option<usize>,
    pub ctrl: Option<usize>,
    pub prev: Option<usize>,
    pub siege: Option<usize>,
    pub place: Option<usize>,
}

impl Captures {
    fn set(&mut self, role: Role, i: usize) {
        match role {
            Role::A1 => self.a1 = Some(i),
            Role::A2 => self.a2 = Some(i),
            Role::Ctrl => self.ctrl = Some(i),
            Role::Prev => self.prev = Some(i),
            Role::Siege => self.siege = Some(i),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct WordPat {
    text: String,
    prefix: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Elem {
    Words(Vec<WordPat>),
    Gap(usize),
    Slot(Role, Option<Inter>),
    Place,
    Group(Vec<Vec<Step>>),
}

#[derive(Debug, Clone, PartialEq)]
struct Step {
    elem: Elem,
    optional: bool,
}

/// A parsed phrase pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    steps: Vec<Step>,
    /// Word alternatives of the first step every match must contain (a non-optional literal
    /// step at the top level), when there is one: a sentence without any of them cannot match,
    /// so [`Pattern::find_all`] skips it without trying every position.
    required: Option<Vec<WordPat>>,
    /// True when the pattern refers to actors or places (it must run on collapsed items).
    pub uses_mentions: bool,
    /// The source text, for error messages and debugging.
    pub source: String,
}

/// Error in a pattern's syntax.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad pattern {pattern:?}: {reason}")]
pub struct PatternError {
    pub pattern: String,
    pub reason: String,
}

fn split_lexemes(src: &str) -> Vec<String> {
    // Parentheses, "|" between groups and "?" are their own lexemes; words are split at hyphens.
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.is_empty() {
            out.push(std::mem::take(cur));
        }
    };
    for c in src.chars() {
        match c {
            '(' | ')' => {
                flush(&mut cur, &mut out);
                if c == '(' {
                    depth += 1;
                } else {
                    depth = depth.saturating_sub(1);
                }
                out.push(c.to_string());
            }
            '|' if depth > 0 => {
                flush(&mut cur, &mut out);
                out.push("|".into());
            }
            '?' if cur.is_empty() => {
                out.push("?".into());
            }
            '?' => {
                flush(&mut cur, &mut out);
                out.push("?".into());
            }
            c if c.is_whitespace() => flush(&mut cur, &mut out),
            '-' if !cur.starts_with('@') && !cur.starts_with('#') => {
                flush(&mut cur, &mut out);
                out.push("-".into());
            }
            _ => cur.push(c),
        }
    }
    flush(&mut cur, &mut out);
    out
}

fn parse_inter(s: &str) -> Option<Inter> {
    Some(match s {
        "state" => Inter::StateForces,
        "rebel" => Inter::RebelGroup,
        "pmil" => Inter::PoliticalMilitia,
        "imil" => Inter::IdentityMilitia,
        "rioters" => Inter::Rioters,
        "protesters" => Inter::Protesters,
        "civ" => Inter::Civilians,
        "ext" => Inter::ExternalOtherForces,
        _ => return None,
    })
}

impl Pattern {
    /// Parses a pattern.
    pub fn parse(src: &str) -> Result<Pattern, PatternError> {
        let err = |reason: &str| PatternError {
            pattern: src.to_string(),
            reason: reason.to_string(),
        };
        let lex = split_lexemes(src);
        let mut pos = 0;
        let steps = parse_seq(&lex, &mut pos, false).map_err(|r| err(&r))?;
        if pos != lex.len() {
            return Err(err("unbalanced parentheses"));
        }
        if steps.is_empty() {
            return Err(err("empty pattern"));
        }
        let uses_mentions = steps.iter().any(step_uses_mentions);
        let required = required_words(&steps);
        Ok(Pattern {
            steps,
            required,
            uses_mentions,
            source: src.to_string(),
        })
    }

    /// The end (exclusive item index) of a match starting exactly at `start`, with captures.
    pub fn match_at(&self, items: &[Item], start: usize) -> Option<(usize, Captures)> {
        let mut caps = Captures::default();
        match_steps(&self.steps, items, start, &mut caps).map(|end| (end, caps))
    }

    /// All non-overlapping matches, leftmost first: `(start, end, captures)`.
    pub fn find_all(&self, items: &[Item]) -> Vec<(usize, usize, Captures)> {
        let mut out = Vec::new();
        if let Some(req) = &self.required
            && !items.iter().any(|it| word_matches(req, it))
        {
            return out;
        }
        let mut i = 0;
        while i < items.len() {
            match self.match_at(items, i) {
                Some((end, caps)) if end > i => {
                    out.push((i, end, caps));
                    i = end;
                }
                _ => i += 1,
            }
        }
        out
    }
}

impl Pattern {
    /// True when the pattern has a `#place` slot.
    pub fn has_place(&self) -> bool {
        fn f(s: &Step) -> bool {
            match &s.elem {
                Elem::Place => true,
                Elem::Group(alts) => alts.iter().flatten().any(f),
                _ => false,
            }
        }
        self.steps.iter().any(f)
    }
}

/// Words of which every match of `steps` must contain one: those of the first non-optional step
/// that has such a set (a literal step, or a group whose every alternative has one).
fn required_words(steps: &[Step]) -> Option<Vec<WordPat>> {
    steps
        .iter()
        .filter(|s| !s.optional)
        .find_map(|s| match &s.elem {
            Elem::Words(pats) => Some(pats.clone()),
            Elem::Group(alts) => {
                let mut all = Vec::new();
                for alt in alts {
                    all.extend(required_words(alt)?);
                }
                Some(all)
            }
            _ => None,
        })
}

fn step_uses_mentions(s: &Step) -> bool {
    match &s.elem {
        Elem::Slot(..) | Elem::Place => true,
        Elem::Group(alts) => alts.iter().flatten().any(step_uses_mentions),
        _ => false,
    }
}

fn parse_seq(lex: &[String], pos: &mut usize, in_group: bool) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    while *pos < lex.len() {
        let l = lex[*pos].as_str();
        let elem = match l {
            ")" | "|" if in_group => break,
            ")" => return Err("unexpected ')'".into()),
            "?" => return Err("'?' must follow an element".into()),
            "(" => {
                *pos += 1;
                let mut alts = Vec::new();
                loop {
                    let seq = parse_seq(lex, pos, true)?;
                    if seq.is_empty() {
                        return Err("empty alternative".into());
                    }
                    alts.push(seq);
                    match lex.get(*pos).map(String::as_str) {
                        Some("|") => *pos += 1,
                        Some(")") => break,
                        _ => return Err("missing ')'".into()),
                    }
                }
                Elem::Group(alts)
            }
            _ if l.starts_with('~') => {
                let n: usize = l[1..].parse().map_err(|_| format!("bad gap {l:?}"))?;
                Elem::Gap(n)
            }
            _ if l.starts_with('@') => {
                let body = &l[1..];
                let (role, kind) = match body.split_once(':') {
                    Some((r, k)) => (r, Some(k)),
                    None => (body, None),
                };
                let role = match role {
                    "a1" => Role::A1,
                    "a2" => Role::A2,
                    "ctrl" => Role::Ctrl,
                    "prev" => Role::Prev,
                    "siege" => Role::Siege,
                    _ => return Err(format!("unknown actor role {role:?}")),
                };
                let inter = match kind {
                    Some(k) => Some(parse_inter(k).ok_or_else(|| format!("unknown kind {k:?}"))?),
                    None => None,
                };
                Elem::Slot(role, inter)
            }
            "#place" => Elem::Place,
            _ => {
                // A word lexeme may itself contain "|" alternatives (no spaces).
                let alts: Vec<WordPat> = l
                    .split('|')
                    .filter(|w| !w.is_empty())
                    .map(|w| {
                        let lw = w.to_lowercase();
                        match lw.strip_suffix('*') {
                            Some(p) => WordPat {
                                text: p.to_string(),
                                prefix: true,
                            },
                            None => WordPat {
                                text: lw,
                                prefix: false,
                            },
                        }
                    })
                    .collect();
                if alts.is_empty() {
                    return Err(format!("empty word {l:?}"));
                }
                Elem::Words(alts)
            }
        };
        *pos += 1;
        let optional = lex.get(*pos).map(String::as_str) == Some("?");
        if optional {
            *pos += 1;
        }
        steps.push(Step { elem, optional });
    }
    Ok(steps)
}

fn word_matches(pats: &[WordPat], item: &Item) -> bool {
    if !matches!(item.kind, ItemKind::Word | ItemKind::Punct) {
        return false;
    }
    pats.iter().any(|p| {
        if p.prefix {
            item.text.starts_with(&p.text)
        } else {
            item.text == p.text
        }
    })
}

/// Words and punctuation that may sit between "the" and "town of" in a place descriptor.
const DESCRIPTOR_NOUNS: &[&str] = &[
    "town",
    "towns",
    "city",
    "cities",
    "village",
    "villages",
    "suburb",
    "suburbs",
    "district",
    "districts",
    "neighbourhood",
    "neighborhood",
    "neighbourhoods",
    "neighborhoods",
    "area",
    "areas",
    "province",
    "governorate",
    "region",
    "state",
    "county",
    "municipality",
    "hamlet",
    "camp",
    "outskirts",
    "countryside",
    "part",
    "parts",
    "capital",
    "port",
    "enclave",
    "island",
    "stronghold",
    "oblast",
    "raion",
    "commune",
    "department",
    "locality",
    "settlement",
    "quarter",
    "hub",
    "outpost",
    "edge",
    "edges",
    "heart",
    "centre",
    "center",
    "environs",
    "vicinity",
    "periphery",
    "north",
    "south",
    "east",
    "west",
    "airport",
    "base",
];

/// Matches a place phrase at `i`: returns (end, index of the place item).
pub fn match_place(items: &[Item], i: usize) -> Option<(usize, usize)> {
    let is_place = |j: usize| matches!(items.get(j).map(|it| it.kind), Some(ItemKind::Place(_)));
    let mut j = i;
    if items
        .get(j)
        .is_some_and(|it| it.is_any(&["the", "a", "an"]))
    {
        j += 1;
    }
    // Direct: [direction adjective]? PLACE
    let mut k = j;
    if items.get(k).is_some_and(|it| {
        it.kind == ItemKind::Word && crate::extract::location::is_direction_adjective(&it.text)
    }) {
        k += 1;
    }
    if is_place(k) {
        let mut end = k + 1;
        let mut place = k;
        // "Damascus suburb of Daraya", "Aleppo city" — a descriptor after the place name.
        if let Some((e, p)) = descriptor_of(items, end) {
            end = e;
            place = p;
        }
        return Some((end, place));
    }
    // Descriptor: up to 5 items then NOUN of [the]? PLACE (recursively: "the southern part of the
    // divided city of Aleppo").
    let limit = (j + 6).min(items.len());
    for n in j..limit {
        let it = &items[n];
        if matches!(it.kind, ItemKind::Actor(_)) || it.is_clause_break() {
            return None;
        }
        if let Some((e, p)) = descriptor_of(items, n) {
            return Some((e, p));
        }
    }
    None
}

/// At `n`: NOUN of [the]? PLACE (or a nested descriptor) → (end, place).
fn descriptor_of(items: &[Item], n: usize) -> Option<(usize, usize)> {
    let it = items.get(n)?;
    if !(it.kind == ItemKind::Word && DESCRIPTOR_NOUNS.contains(&&*it.text)) {
        return None;
    }
    if !items.get(n + 1).is_some_and(|x| x.is("of")) {
        return None;
    }
    match_place(items, n + 2)
}

fn match_steps(steps: &[Step], items: &[Item], pos: usize, caps: &mut Captures) -> Option<usize> {
    let Some((first, rest)) = steps.split_first() else {
        return Some(pos);
    };
    let saved = *caps;
    // Try the element, then (if optional) skipping it.
    for end in match_elem(&first.elem, items, pos, caps) {
        let mut c2 = *caps;
        if let Some(e) = match_steps(rest, items, end, &mut c2) {
            *caps = c2;
            return Some(e);
        }
        *caps = saved;
    }
    *caps = saved;
    if first.optional {
        return match_steps(rest, items, pos, caps);
    }
    None
}

/// Possible end positions of one element at `pos` (captures updated for the first one only when
/// the element is a slot; slots have one possible end).
fn match_elem(elem: &Elem, items: &[Item], pos: usize, caps: &mut Captures) -> Vec<usize> {
    match elem {
        Elem::Words(pats) => match items.get(pos) {
            Some(it) if word_matches(pats, it) => vec![pos + 1],
            _ => vec![],
        },
        Elem::Gap(n) => {
            let mut ends = vec![pos];
            let mut j = pos;
            while j < items.len() && j - pos < *n {
                let it = &items[j];
                if matches!(it.kind, ItemKind::Actor(_)) || it.is_clause_break() {
                    break;
                }
                j += 1;
                ends.push(j);
            }
            ends
        }
        Elem::Slot(role, inter) => {
            // An optional "the" before the actor ("from the rebels").
            let pos = if items.get(pos).is_some_and(|it| it.is("the"))
                && items
                    .get(pos + 1)
                    .is_some_and(|it| matches!(it.kind, ItemKind::Actor(_)))
            {
                pos + 1
            } else {
                pos
            };
            match items.get(pos) {
                Some(it) if matches!(it.kind, ItemKind::Actor(_)) => {
                    if inter.is_some() && it.inter != *inter {
                        return vec![];
                    }
                    caps.set(*role, pos);
                    vec![pos + 1]
                }
                _ => vec![],
            }
        }
        Elem::Place => match match_place(items, pos) {
            Some((end, place)) => {
                caps.place = Some(place);
                vec![end]
            }
            None => vec![],
        },
        Elem::Group(alts) => {
            let mut ends = Vec::new();
            for alt in alts {
                let mut c = *caps;
                if let Some(e) = match_steps(alt, items, pos, &mut c)
                    && !ends.contains(&e)
                {
                    ends.push(e);
                }
            }
            ends
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<Item<'static>> {
        crate::text::tokens(s)
            .iter()
            .map(|t| Item {
                kind: if t.is_word() {
                    ItemKind::Word
                } else {
                    ItemKind::Punct
                },
                text: t.as_str(s).to_lowercase().into(),
                start: t.start,
                end: t.end,
                inter: None,
            })
            .collect()
    }

    #[test]
    fn word_patterns() {
        let cases: &[(&str, &str, bool)] = &[
            ("air strike*", "the air strikes hit", true),
            ("air strike*", "the air was still", false),
            ("sit - in*", "a sit-in began", true),
            (
                "(exchange|exchanges|exchanged) (of fire|fire)",
                "they exchanged fire",
                true,
            ),
            (
                "(exchange|exchanges|exchanged) (of fire|fire)",
                "an exchange of fire",
                true,
            ),
            (
                "(exchange|exchanges|exchanged) (of fire|fire)",
                "an exchange of views",
                false,
            ),
            ("bomb (exploded|went off)", "a bomb went off", true),
            ("killed ~3 soldiers", "killed at least 3 soldiers", true),
            ("killed ~1 soldiers", "killed at least 3 soldiers", false),
            ("made (new)? gains", "made gains", true),
            ("made (new)? gains", "made new gains", true),
        ];
        for (pat, text, want) in cases {
            let p = Pattern::parse(pat).unwrap();
            let got = !p.find_all(&words(text)).is_empty();
            assert_eq!(got, *want, "{pat:?} on {text:?}");
        }
    }

    #[test]
    fn bad_patterns_are_errors() {
        for bad in ["(a|b", "a )", "", "@boss", "~x", "@a1:giants", "?"] {
            assert!(Pattern::parse(bad).is_err(), "{bad:?}");
        }
    }
}
