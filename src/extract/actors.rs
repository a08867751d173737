//! The actor dictionary: who acts in an event, normalized to one name and an ACLED category.
//!
//! The dictionary is a plain TSV file (`data/actors.tsv`, embedded as the default; users add
//! rows with `--actors FILE`). Rows are states (political actors with names, metonyms and
//! demonyms), named groups with a fixed country, and generic roles ("the regime", "rebels",
//! "protesters") whose name is completed with the country the mention is resolved to. Demonyms
//! combine with the generic role nouns ("Syrian rebels", "Iraqi troops"). Matching is
//! leftmost-longest (a byte trie searched like Aho–Corasick, see `trie`), on word boundaries,
//! case-insensitive except for aliases written in capitals (acronyms such as "US" or "IS").

mod trie;

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::extract::{Actor, Inter};
use trie::AliasTrie;

/// The default dictionary shipped with eventmap.
pub const DEFAULT_ACTORS: &str = include_str!("../../data/actors.tsv");

/// Errors reading an actor file.
#[derive(Debug, thiserror::Error)]
pub enum ActorError {
    #[error("{source_name}:{line}: {reason}")]
    Row {
        source_name: String,
        line: usize,
        reason: String,
    },
}

/// What kind of row an entry came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// A country as a political actor.
    State,
    /// A named actor with a fixed country.
    Fixed,
    /// A generic role; the name is a template with `{country}`.
    Generic(String),
}

/// One dictionary row.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub kind: EntryKind,
    pub name: String,
    pub inter: Inter,
    pub country: Option<String>,
}

/// A state known to the dictionary.
#[derive(Debug, Clone, PartialEq)]
pub struct StateInfo {
    pub code: String,
    pub name: String,
    pub demonyms: Vec<String>,
}

/// An actor mention found in text.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Byte range in the document.
    pub start: usize,
    pub end: usize,
    /// Index of the dictionary entry.
    pub entry: usize,
    /// Country fixed by a demonym ("Iraqi troops" → IQ) for generic entries.
    pub country: Option<String>,
}

#[derive(Debug, Clone)]
struct AliasInfo {
    entry: usize,
    /// The state of a demonym combination (shared by all of that state's combinations).
    country: Option<Arc<str>>,
    /// Exact form required (acronyms).
    exact: Option<String>,
}

/// The compiled dictionary.
#[derive(Debug, Clone)]
pub struct ActorDict {
    entries: Vec<Entry>,
    states: Vec<StateInfo>,
    trie: AliasTrie,
    aliases: Vec<AliasInfo>,
    /// [`ActorDict::is_demonym`] as a table: each demonym that can stand for a place
    /// (ASCII-lower-cased), with the ASCII-lower-cased names of the states it belongs to.
    demonyms: FxHashMap<String, Vec<String>>,
}

fn parse_inter(s: &str) -> Option<Inter> {
    Some(match s.trim() {
        "State forces" => Inter::StateForces,
        "Rebel group" => Inter::RebelGroup,
        "Political militia" => Inter::PoliticalMilitia,
        "Identity militia" => Inter::IdentityMilitia,
        "Rioters" => Inter::Rioters,
        "Protesters" => Inter::Protesters,
        "Civilians" => Inter::Civilians,
        "External/Other forces" => Inter::ExternalOtherForces,
        _ => return None,
    })
}

/// The ACLED spelling of a category.
pub fn inter_name(i: Inter) -> &'static str {
    match i {
        Inter::StateForces => "State forces",
        Inter::RebelGroup => "Rebel group",
        Inter::PoliticalMilitia => "Political militia",
        Inter::IdentityMilitia => "Identity militia",
        Inter::Rioters => "Rioters",
        Inter::Protesters => "Protesters",
        Inter::Civilians => "Civilians",
        Inter::ExternalOtherForces => "External/Other forces",
    }
}

/// True for an alias that must match in capitals ("US", "IS", "U.S.", "SAF").
fn is_acronym(alias: &str) -> bool {
    let letters: Vec<char> = alias.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.len() <= 8 && letters.iter().all(|c| c.is_uppercase())
}

const GENERIC_KINDS: &[&str] = &[
    "forces",
    "police",
    "rebels",
    "militia",
    "protesters",
    "rioters",
    "civilians",
];

impl ActorDict {
    /// The default dictionary.
    pub fn default_dict() -> Result<ActorDict, ActorError> {
        ActorDict::from_sources(&[("actors.tsv", DEFAULT_ACTORS)])
    }

    /// Builds a dictionary from several TSV texts `(name, text)`; later rows win for equal aliases.
    pub fn from_sources(sources: &[(&str, &str)]) -> Result<ActorDict, ActorError> {
        let table = parse(sources)?;
        Ok(ActorDict {
            entries: table.entries,
            demonyms: demonym_table(&table.states),
            states: table.states,
            trie: AliasTrie::new(&table.patterns),
            aliases: table.aliases,
        })
    }

    /// True when `word` is a demonym of a known state ("Syrian", "Malian"; case-insensitive).
    /// Acronyms and dotted forms ("US", "U.S.") are names as well as adjectives, and a demonym
    /// spelled like its state's name is the name.
    pub fn is_demonym(&self, word: &str) -> bool {
        let w = word.trim().to_ascii_lowercase();
        self.demonyms
            .get(&w)
            .is_some_and(|names| names.iter().any(|n| *n != w))
    }

    /// [`ActorDict::is_demonym`] as a scan of every state: the oracle of the table.
    #[cfg(test)]
    fn is_demonym_scan(&self, word: &str) -> bool {
        let w = word.trim();
        self.states.iter().any(|s| {
            s.demonyms.iter().any(|d| {
                // "US", "U.S." are names as well as adjectives.
                d.eq_ignore_ascii_case(w)
                    && !s.name.eq_ignore_ascii_case(w)
                    && !is_acronym(d)
                    && !d.contains('.')
            })
        })
    }

    /// All dictionary entries.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The state with this ISO code.
    pub fn state(&self, code: &str) -> Option<&StateInfo> {
        self.states
            .iter()
            .find(|s| s.code.eq_ignore_ascii_case(code))
    }

    /// Country name used in generic actor names: the state row's ("Syria" for SY), else the
    /// gazetteer's ("Canada" for CA), else the code itself.
    ///
    /// ```
    /// use eventmap::extract::actors::ActorDict;
    ///
    /// let d = ActorDict::default_dict().unwrap();
    /// assert_eq!(d.country_name("SY"), "Syria");
    /// assert_eq!(d.country_name("pe"), "Peru");
    /// assert_eq!(d.country_name("QQ"), "QQ");
    /// ```
    pub fn country_name(&self, code: &str) -> String {
        match self.state(code) {
            Some(s) => s.name.clone(),
            None => crate::gazetteer::Gazetteer::embedded()
                .country(code)
                .filter(|p| p.country_code().eq_ignore_ascii_case(code))
                .map_or_else(|| code.to_uppercase(), |p| p.name().to_string()),
        }
    }

    /// Finds actor mentions in `text[range]` (offsets are document byte offsets).
    pub fn find(&self, text: &str, range: std::ops::Range<usize>) -> Vec<Mention> {
        let mut out: Vec<Mention> = Vec::new();
        for m in self.trie.find_iter(text, range) {
            let (s, e) = (m.start, m.end);
            let info = &self.aliases[m.alias];
            if !on_word_boundaries(text, s, e) {
                continue;
            }
            if let Some(exact) = &info.exact
                && &text[s..e] != exact
            {
                continue;
            }
            if is_backer(text, e) {
                continue;
            }
            let mut m = Mention {
                start: s,
                end: e,
                entry: info.entry,
                country: info.country.as_deref().map(str::to_string),
            };
            // "Pro-Palestinian demonstrators" in London are protesters of the place, whose cause
            // the demonym names.
            if matches!(self.entries[m.entry].kind, EntryKind::Generic(_)) && is_partisan(text, s) {
                m.country = None;
            }
            // "JNIM fighters", "Islamic State militants", "US troops": a named actor followed by
            // a role noun is one mention of the named actor (or of that state's forces); so is
            // its possessive ("Russia's army", "Hezbollah's fighters").
            if let Some(prev) = out.last_mut() {
                let between = &text[prev.end..s];
                let between = ["'s ", "’s ", "' ", "’ "]
                    .iter()
                    .find_map(|p| between.strip_prefix(p))
                    .map_or(between, |rest| if rest.is_empty() { " " } else { rest });
                let prev_kind = &self.entries[prev.entry].kind;
                if matches!(self.entries[m.entry].kind, EntryKind::Generic(_))
                    && !between.is_empty()
                    && between.chars().all(|c| c == ' ')
                    && m.country.is_none()
                {
                    match prev_kind {
                        EntryKind::Fixed => {
                            prev.end = e;
                            continue;
                        }
                        EntryKind::State => {
                            let code = self.entries[prev.entry].country.clone();
                            *prev = Mention {
                                start: prev.start,
                                end: e,
                                entry: m.entry,
                                country: code,
                            };
                            continue;
                        }
                        EntryKind::Generic(_) => {}
                    }
                }
            }
            out.push(m);
        }
        out
    }

    /// The normalized actor of a mention, completing generic names with `country` (the mention's
    /// own demonym country wins).
    pub fn resolve(&self, m: &Mention, country: Option<&str>) -> Actor {
        let e = &self.entries[m.entry];
        match &e.kind {
            EntryKind::Generic(_) => self.generic(e, m.country.as_deref().or(country)),
            _ => Actor {
                name: e.name.clone(),
                inter: e.inter,
                country_code: e.country.clone(),
            },
        }
    }

    /// The generic role `kind` ("protesters", "rioters"; the last row of that kind) as an actor
    /// of `country`: what ACLED codes when a text names no actor for a role every event of a
    /// type has ("Hundreds protested in Ramallah" → Protesters (Palestine)).
    ///
    /// ```
    /// use eventmap::extract::actors::ActorDict;
    ///
    /// let d = ActorDict::default_dict().unwrap();
    /// assert_eq!(d.role("protesters", Some("SD")).unwrap().name, "Protesters (Sudan)");
    /// assert!(d.role("pilgrims", Some("SD")).is_none());
    /// ```
    pub fn role(&self, kind: &str, country: Option<&str>) -> Option<Actor> {
        let e = self
            .entries
            .iter()
            .rev()
            .find(|e| matches!(&e.kind, EntryKind::Generic(k) if k == kind))?;
        Some(self.generic(e, country))
    }

    fn generic(&self, e: &Entry, cc: Option<&str>) -> Actor {
        let name = match cc {
            Some(c) => {
                let country = self.country_name(c);
                e.name
                    .replace(" of {country}", &format!(" of {}", with_article(&country)))
                    .replace("{country}", &country)
            }
            None => e
                .name
                .replace(" of {country}", "")
                .replace(" ({country})", "")
                .replace("{country}", "")
                .trim()
                .to_string(),
        };
        Actor {
            name,
            inter: e.inter,
            country_code: cc.map(|c| c.to_uppercase()),
        }
    }

    /// The entry of a mention.
    pub fn entry(&self, m: &Mention) -> &Entry {
        &self.entries[m.entry]
    }
}

/// What the TSV rows of an actor dictionary say: its entries, its states, and the aliases to
/// match with what each stands for.
struct Table {
    entries: Vec<Entry>,
    states: Vec<StateInfo>,
    /// The aliases in matching order (an alias added earlier wins over an equal spelling).
    patterns: Vec<String>,
    /// What each alias stands for.
    aliases: Vec<AliasInfo>,
}

/// An alias row before deduplication.
struct Draft {
    /// The alias as written.
    alias: String,
    entry: usize,
    country: Option<Arc<str>>,
    /// Whether the alias must match in capitals (see [`is_acronym`]).
    exact: bool,
}

impl Draft {
    /// What the alias stands for, requiring the spelling `exact` when it is an acronym.
    fn info(&self, exact: &str) -> AliasInfo {
        AliasInfo {
            entry: self.entry,
            country: self.country.clone(),
            exact: self.exact.then(|| exact.to_string()),
        }
    }
}

/// Reads TSV texts `(name, text)`; later rows win for equal aliases.
fn parse(sources: &[(&str, &str)]) -> Result<Table, ActorError> {
    let mut entries = Vec::new();
    let mut states: Vec<StateInfo> = Vec::new();
    // Aliases as written; generated demonym combinations are added first so explicit rows
    // override them.
    let mut explicit: Vec<Draft> = Vec::new();
    let mut generic_nouns: Vec<(usize, Vec<String>)> = Vec::new();
    for (src, text) in sources {
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let err = |reason: String| ActorError::Row {
                source_name: src.to_string(),
                line: n + 1,
                reason,
            };
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 5 {
                return Err(err(format!(
                    "expected 5 tab-separated columns (kind, name, inter, country, aliases), got {}",
                    cols.len()
                )));
            }
            let kind = cols[0].trim();
            let name = cols[1].trim().to_string();
            let inter = parse_inter(cols[2])
                .ok_or_else(|| err(format!("unknown ACLED category {:?}", cols[2])))?;
            let country = match cols[3].trim() {
                "-" | "*" | "" => None,
                c => Some(c.to_uppercase()),
            };
            let aliases: Vec<String> = cols[4]
                .split('|')
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect();
            if name.is_empty() {
                return Err(err("empty name".into()));
            }
            let entry_kind = match kind {
                "state" => {
                    let code = country
                        .clone()
                        .ok_or_else(|| err("a state row needs a country code".into()))?;
                    let demonyms: Vec<String> = cols
                        .get(5)
                        .map(|d| {
                            d.split('|')
                                .map(|x| x.trim().to_string())
                                .filter(|x| !x.is_empty())
                                .collect()
                        })
                        .unwrap_or_default();
                    states.retain(|s| s.code != code);
                    states.push(StateInfo {
                        code,
                        name: name.clone(),
                        demonyms,
                    });
                    EntryKind::State
                }
                "actor" => EntryKind::Fixed,
                k if GENERIC_KINDS.contains(&k) => {
                    if !name.contains("{country}") {
                        return Err(err(format!("a {k} row's name needs {{country}}")));
                    }
                    EntryKind::Generic(k.to_string())
                }
                k => return Err(err(format!("unknown kind {k:?}"))),
            };
            let idx = entries.len();
            if let EntryKind::Generic(_) = entry_kind {
                generic_nouns.retain(|(i, _)| {
                    entries[*i]
                        != Entry {
                            kind: entry_kind.clone(),
                            name: name.clone(),
                            inter,
                            country: None,
                        }
                });
                // The sixth column: nouns that name the role only after a demonym ("Russian
                // airstrikes", "an Israeli patrol"), not on their own.
                let after_demonym = cols
                    .get(5)
                    .into_iter()
                    .flat_map(|c| c.split('|'))
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty());
                generic_nouns.push((idx, aliases.iter().cloned().chain(after_demonym).collect()));
            }
            entries.push(Entry {
                kind: entry_kind,
                name,
                inter,
                country: country.clone(),
            });
            explicit.extend(aliases.into_iter().map(|alias| Draft {
                exact: is_acronym(&alias),
                alias,
                entry: idx,
                country: None,
            }));
        }
    }
    // Demonym + role noun ("Syrian rebels", "Iraqi troops", "Yemeni government").
    // Role nouns that take a demonym (not "the regime", "a mob").
    let role_nouns: Vec<(usize, &str)> = generic_nouns
        .iter()
        .flat_map(|(idx, nouns)| nouns.iter().map(move |n| (*idx, n.as_str())))
        .filter(|(_, noun)| {
            let ln = noun.to_lowercase();
            !(ln.starts_with("the ") || ln.starts_with("a "))
        })
        .collect();
    let mut generated: Vec<Draft> = Vec::with_capacity(
        states.iter().map(|s| s.demonyms.len()).sum::<usize>() * role_nouns.len(),
    );
    for st in &states {
        let code: Arc<str> = st.code.as_str().into();
        for dem in &st.demonyms {
            let exact = is_acronym(dem);
            for &(idx, noun) in &role_nouns {
                let mut alias = String::with_capacity(dem.len() + 1 + noun.len());
                alias.push_str(dem);
                alias.push(' ');
                alias.push_str(noun);
                generated.push(Draft {
                    alias,
                    entry: idx,
                    country: Some(code.clone()),
                    exact,
                });
            }
        }
    }
    // Deduplicate on the alias as written, whether it is exact, and the variant (as written or
    // with typographic apostrophes); the last definition wins, but a pattern keeps the place of
    // its first definition. An exact pattern requires its own spelling when first defined, the
    // alias as written when redefined.
    let mut by_key: FxHashMap<(&str, bool, bool), usize> =
        FxHashMap::with_capacity_and_hasher(generated.len() + explicit.len(), Default::default());
    let mut pats: Vec<String> = Vec::with_capacity(generated.len() + explicit.len());
    let mut infos: Vec<AliasInfo> = Vec::with_capacity(pats.capacity());
    // A row's own alias wins over a generated combination spelled the same in any case ("U.S.
    // military" is the row of the United States' forces, not "U.S." + "military").
    let written: rustc_hash::FxHashSet<String> =
        explicit.iter().map(|d| d.alias.to_lowercase()).collect();
    generated.retain(|d| !written.contains(&d.alias.to_lowercase()));
    for d in generated.iter().chain(&explicit) {
        let typographic = d.alias.contains('\'').then(|| d.alias.replace('\'', "’"));
        let variants = std::iter::once((d.alias.as_str(), false))
            .chain(typographic.as_deref().map(|t| (t, true)));
        for (v, is_typographic) in variants {
            match by_key.entry((d.alias.as_str(), d.exact, is_typographic)) {
                std::collections::hash_map::Entry::Occupied(i) => {
                    infos[*i.get()] = d.info(&d.alias);
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(pats.len());
                    pats.push(v.to_string());
                    infos.push(d.info(v));
                }
            }
        }
    }
    Ok(Table {
        entries,
        states,
        patterns: pats,
        aliases: infos,
    })
}

/// A country's name as it follows "of" in English: with "the" for the names that take it
/// ("Military Forces of the United States", "of the Democratic Republic of Congo", "of the
/// Philippines"), as ACLED writes them.
///
/// ```
/// # use eventmap::extract::actors::with_article;
/// assert_eq!(with_article("United States"), "the United States");
/// assert_eq!(with_article("Philippines"), "the Philippines");
/// assert_eq!(with_article("Sudan"), "Sudan");
/// ```
pub fn with_article(country: &str) -> std::borrow::Cow<'_, str> {
    const LEADS: &[&str] = &[
        "United ",
        "Democratic Republic",
        "Republic of ",
        "Central African ",
    ];
    const PLURAL: &[&str] = &[
        "Philippines",
        "Netherlands",
        "Bahamas",
        "Maldives",
        "Comoros",
        "Seychelles",
        "Gambia",
    ];
    let takes_the = LEADS.iter().any(|l| country.starts_with(l))
        || country.ends_with(" Republic")
        || country.ends_with(" Islands")
        || PLURAL.contains(&country);
    if takes_the && !country.starts_with("the ") {
        format!("the {country}").into()
    } else {
        country.into()
    }
}

/// Whether the mention starting at `s` follows "pro-" or "anti-" ("pro-Russian separatists",
/// "anti-Israel protesters"): its demonym names a cause, not a country.
fn is_partisan(text: &str, s: usize) -> bool {
    let before = &text.as_bytes()[..s];
    ["pro-", "anti-"].iter().any(|p| {
        before.len() >= p.len()
            && before[before.len() - p.len()..].eq_ignore_ascii_case(p.as_bytes())
            && before
                .len()
                .checked_sub(p.len() + 1)
                .is_none_or(|i| !before[i].is_ascii_alphanumeric())
    })
}

fn on_word_boundaries(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    let first = text[s..e].chars().next();
    let last = text[s..e].chars().next_back();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    !((word(before) && word(first)) || (word(after) && word(last)))
}

/// The table behind [`ActorDict::is_demonym`]: for each demonym that is neither an acronym nor
/// dotted (ASCII-lower-cased), the ASCII-lower-cased names of the states that have it.
fn demonym_table(states: &[StateInfo]) -> FxHashMap<String, Vec<String>> {
    let mut table: FxHashMap<String, Vec<String>> = FxHashMap::default();
    for s in states {
        for d in &s.demonyms {
            if !is_acronym(d) && !d.contains('.') {
                table
                    .entry(d.to_ascii_lowercase())
                    .or_default()
                    .push(s.name.to_ascii_lowercase());
            }
        }
    }
    table
}

/// True when the mention ending at `e` only qualifies someone else ("US-backed rebels",
/// "al-Qaeda linked group"): such actors are backers, not participants. Not so in the passive
/// ("Iraqi forces backed by coalition air strikes" are the ones who fight).
fn is_backer(text: &str, e: usize) -> bool {
    let rest = backer_word_start(text, e);
    // The usual case, a word of ASCII letters ended by ASCII or by the text's end, needs no copy.
    let n = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    if rest.as_bytes().get(n).is_none_or(u8::is_ascii) {
        return BACKER_WORDS
            .iter()
            .any(|w| w.eq_ignore_ascii_case(&rest[..n]))
            && !passive_by(rest);
    }
    starts_with_backer_word(rest) && !passive_by(rest)
}

/// Whether the word `rest` starts with is followed by the word "by" ("backed by").
fn passive_by(rest: &str) -> bool {
    let after = rest.trim_start_matches(char::is_alphabetic);
    after
        .strip_prefix(' ')
        .and_then(|a| a.strip_prefix("by"))
        .is_some_and(|a| !a.starts_with(char::is_alphanumeric))
}

/// The text after the mention ending at `e` and one joining hyphen or space (empty when none
/// follows).
fn backer_word_start(text: &str, e: usize) -> &str {
    text[e..].strip_prefix(['-', ' ', '‑']).unwrap_or("")
}

/// Whether the alphabetic word `rest` starts with, lower-cased, is a backer word (copying it).
fn starts_with_backer_word(rest: &str) -> bool {
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    BACKER_WORDS.contains(&word.as_str())
}

/// The words after an actor that make it a backer ("-backed", " allied").
const BACKER_WORDS: &[&str] = &[
    "backed",
    "allied",
    "affiliated",
    "linked",
    "aligned",
    "supported",
    "sponsored",
    "funded",
    "trained",
    "armed",
    "led",
    "inspired",
    "brokered",
    "mediated",
];

/// [`is_backer`] as it was first written (always copying the word): its oracle.
#[cfg(test)]
fn is_backer_copying(text: &str, e: usize) -> bool {
    let rest = backer_word_start(text, e);
    starts_with_backer_word(rest) && !passive_by(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, String)> {
        let d = ActorDict::default_dict().unwrap();
        d.find(text, 0..text.len())
            .iter()
            .map(|m| {
                let a = d.resolve(m, Some("SY"));
                (text[m.start..m.end].to_string(), a.name)
            })
            .collect()
    }

    #[test]
    fn default_dictionary_loads() {
        let d = ActorDict::default_dict().unwrap();
        assert!(d.entries().len() > 100);
        assert_eq!(d.country_name("SY"), "Syria");
        assert!(d.is_demonym("Malian") && d.is_demonym("saudi"));
        assert!(!d.is_demonym("Mali") && !d.is_demonym("Myanmar") && !d.is_demonym("US"));
    }

    #[test]
    fn backer_fast_path_agrees_with_the_copying_test() {
        for rest in [
            "",
            "-backed",
            "-backed by",
            " backed by the",
            " backed byzantine",
            "-Backed rebels",
            " LED",
            " led.",
            "‑backed",
            "-backedé",
            "-backed é",
            "-bac\u{212A}ed",
            "-backedx",
            " allied",
            "allied",
            "-led",
            "-le",
            " armed men",
            " mediated talks",
            "-affiliated",
            " brokered",
            "-backed\u{301}",
        ] {
            let text = format!("US{rest}");
            assert_eq!(is_backer(&text, 2), is_backer_copying(&text, 2), "{text:?}");
        }
    }

    #[test]
    fn demonym_table_agrees_with_the_scan() {
        let d = ActorDict::default_dict().unwrap();
        let mut words: Vec<String> = vec![
            "Malian", " saudi ", "SYRIAN", "Mali", "US", "U.S.", "", "Kerry", "Sudanese", "Iraqi",
            "Syria", "iRAQ", "Syrianx", "Malİan",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        for s in &d.states {
            words.push(s.name.clone());
            words.push(s.name.to_uppercase());
            for dem in &s.demonyms {
                words.push(dem.clone());
                words.push(dem.to_lowercase());
                words.push(format!(" {dem}"));
            }
        }
        for w in &words {
            assert_eq!(d.is_demonym(w), d.is_demonym_scan(w), "{w:?}");
        }
    }

    #[test]
    fn actor_table() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "The United States and Russia failed",
                &[("The United States", "United States"), ("Russia", "Russia")],
            ),
            (
                "bombarded by the regime and",
                &[("the regime", "Military Forces of Syria")],
            ),
            (
                "Assad’s forces advanced",
                &[("Assad’s forces", "Military Forces of Syria")],
            ),
            (
                "Western-backed opposition groups",
                &[("opposition groups", "Opposition Rebels (Syria)")],
            ),
            (
                "US-backed rebels",
                &[("rebels", "Opposition Rebels (Syria)")],
            ),
            ("tell us more", &[]),
            ("the US said", &[("US", "United States")]),
            ("this is it", &[]),
            ("IS fighters attacked", &[("IS fighters", "Islamic State")]),
            (
                "ISIL and Daesh",
                &[("ISIL", "Islamic State"), ("Daesh", "Islamic State")],
            ),
            (
                "the Nusra Front, an al-Qaeda affiliated group",
                &[("the Nusra Front", "Hayat Tahrir al-Sham")],
            ),
            (
                "Iraqi troops entered",
                &[("Iraqi troops", "Military Forces of Iraq")],
            ),
            ("Houthi rebels fired", &[("Houthi rebels", "Houthis")]),
            (
                "the RSF and the SAF",
                &[
                    ("the RSF", "Rapid Support Forces"),
                    ("SAF", "Military Forces of Sudan"),
                ],
            ),
            (
                "Russian forces shelled",
                &[("Russian forces", "Military Forces of Russia")],
            ),
            (
                "Ukrainian troops",
                &[("Ukrainian troops", "Military Forces of Ukraine")],
            ),
            (
                "al-Shabaab militants",
                &[("al-Shabaab militants", "Al Shabaab")],
            ),
            (
                "the Tatmadaw and the Arakan Army",
                &[
                    ("the Tatmadaw", "Military Forces of Myanmar"),
                    ("Arakan Army", "Arakan Army"),
                ],
            ),
            (
                "police dispersed protesters",
                &[
                    ("police", "Police Forces of Syria"),
                    ("protesters", "Protesters (Syria)"),
                ],
            ),
            (
                "Sudanese protesters",
                &[("Sudanese protesters", "Protesters (Sudan)")],
            ),
            // Nouns that name a side only after a demonym.
            (
                "Israeli airstrikes hit",
                &[("Israeli airstrikes", "Military Forces of Israel")],
            ),
            (
                "a Russian missile strike",
                &[("Russian missile strike", "Military Forces of Russia")],
            ),
            ("airstrikes hit the town", &[]),
            // A row's own alias wins over the combination of demonym and noun.
            (
                "the U.S. military said",
                &[("U.S. military", "Military Forces of the United States")],
            ),
            (
                "the Israeli military said",
                &[("Israeli military", "Military Forces of Israel")],
            ),
            ("the missile strike", &[]),
        ];
        for (text, want) in cases {
            let got = names(text);
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn user_rows_extend_and_override() {
        let extra = "actor\tTest Brigade\tPolitical militia\tSY\tTest Brigade|the regime\n";
        let d = ActorDict::from_sources(&[("a", DEFAULT_ACTORS), ("b", extra)]).unwrap();
        let text = "the regime and the Test Brigade";
        let got: Vec<String> = d
            .find(text, 0..text.len())
            .iter()
            .map(|m| d.resolve(m, None).name)
            .collect();
        assert_eq!(got, ["Test Brigade", "Test Brigade"]);
    }

    #[test]
    fn bad_rows_are_reported() {
        for bad in [
            "actor\tX\tNot a category\t-\tx\n",
            "actor\tX\n",
            "forces\tArmy\tState forces\t*\tarmy\n",
            "state\tNowhere\tState forces\t-\tnowhere\n",
            "warlord\tX\tRebel group\t-\tx\n",
        ] {
            assert!(
                ActorDict::from_sources(&[("bad.tsv", bad)]).is_err(),
                "{bad:?}"
            );
        }
    }
}
