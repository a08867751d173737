//! Recognition: finding the place names in a text.
//!
//! Two steps:
//!
//! 1. **Matching.** Every capitalized (or uncased-script) word starts a walk of the gazetteer's
//!    name automaton ([`crate::gazetteer::Walker`]) over the normalized tokens that follow, so
//!    multi-word names ("New York City", "Rif Dimashq", "Eastern Ghouta") are found
//!    leftmost-longest without building any strings. Hyphens and periods inside names
//!    ("Rif-Dimashq", "U.S.", "St. Louis") are followed; apostrophes join ("Ma'arrat", "Sana'a"), and
//!    a name never ends inside a word ("Baha" in "Baha’i"; "Iraq's" is a possessive).
//! 2. **Deciding.** Each match gets a feature vector describing its context — sentence position,
//!    capitalization, whether it is a common English word or a given name, person titles and
//!    speech verbs around it, organization heads after it, locative prepositions before it, the
//!    kind and importance of its best gazetteer place, "X, Y" hierarchies, and what the rest of
//!    the document says about the same name (one sense per discourse: a name used for a person
//!    once is a person everywhere). A logistic model ([`Model`], weights in
//!    `data/models/recognizer.tsv`, trained by `eventmap train` on a held-out split) turns the
//!    features into the probability that the match is a place. Matches below 0.5 are dropped.
//!
//! A capitalized word that starts no name may still be a place spelled the way news spell it
//! and GeoNames does not list ("Qamishli" for "Al Qāmishlī", "Hodeidah" for "Al Ḩudaydah"): it
//! is looked up by its transliteration skeleton ([`Gazetteer::find_fold`]), and a match becomes
//! a mention whose candidates are of kind [`MatchKind::Fold`], which the model weighs with its
//! own feature.
//!
//! Demonyms ("Syrian", "Kurdish") are recognized the same way and marked
//! [`MentionKind::Demonym`].

pub mod described;
pub mod lexicon;
pub mod model;

use std::cell::RefCell;
use std::hash::BuildHasher;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};

use crate::gazetteer::{
    Gazetteer, KeyMatch, MatchKind, PlaceIdx, WalkPosition, Walker, is_country_code, normalize_into,
};
use crate::resolve::MentionKind;
use crate::text::{self, SentenceStarts, Token, TokenFacts, TokenKind, for_each_token_with_facts};
pub use described::{PlaceClass, described_as};
pub use lexicon::{Lexicon, WordFacts, cue};
pub use model::{FEATURES, Features, MentionFeatures, Model};

/// The index of a recognizer feature, resolved at compile time.
macro_rules! fi {
    ($name:literal) => {
        const { model::feature_index(FEATURES, $name) }
    };
}

/// Longest name, in words, the matcher tries.
const MAX_WORDS: usize = 8;

/// Entries a [`ThreadCache`] map holds before it starts over.
const CACHE_MAX: usize = 1 << 16;

/// Source of [`Recognizer::id`]s.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Gazetteer facts remembered across documents, since capitalized words and names repeat
/// ("The", "County", "Syria"): where the name automaton is after a match's first word and after
/// each word that continues a name ("York" after "New"; walking it is the matcher's main cost),
/// and the candidates of each matched key with their
/// [`CandSummary`] (decoding postings and reading the candidates' records are the scorer's).
/// All are functions of the gazetteer alone.
#[derive(Default)]
struct ThreadCache {
    /// [`Recognizer::id`] of the recognizer the entries belong to.
    owner: u64,
    /// A first word as written → what the name automaton and the fold map say of it.
    first_words: FxHashMap<Box<str>, FirstWordEntry>,
    /// The words of [`FirstWordEntry::Starts`] entries, by index.
    starts: Vec<FirstWord>,
    /// [`Continuation::slot`] → the word continuing a name there (the latest one seen in that
    /// slot).
    continuations: FxHashMap<u64, Continuation>,
    /// Matched key → its candidates and what they are.
    keys: FxHashMap<KeyMatch, KeyCandidates>,
    /// Work space of [`Gazetteer::find_fold`]: the skeleton.
    fold_buf: String,
    /// Work space of [`Gazetteer::find_fold`]: one folded word.
    fold_scratch: Vec<u8>,
}

impl ThreadCache {
    /// Makes the cache `owner`'s, emptying it if it was another recognizer's or has grown
    /// beyond [`CACHE_MAX`] entries. Called once per text, so a text may add entries beyond the
    /// limit before the next one empties it.
    fn claim(&mut self, owner: u64) {
        if self.owner != owner
            || self.first_words.len() >= CACHE_MAX
            || self.continuations.len() >= CACHE_MAX
            || self.keys.len() >= CACHE_MAX
        {
            self.owner = owner;
            self.first_words.clear();
            self.continuations.clear();
            self.keys.clear();
            self.starts.clear();
        }
    }
}

/// What a [`ThreadCache`] knows about a capitalized word that may start a match.
enum FirstWordEntry {
    /// Some name starts with the word, which is [`ThreadCache::starts`] at this index.
    Starts(usize),
    /// No name starts with the word; the places it spells by transliteration skeleton, if any
    /// (see [`Recognizer::fold_candidates`]).
    NoName(Option<KeyCandidates>),
}

/// Why [`Recognizer::longest_match`] matched nothing.
enum NoMatch {
    /// No name starts with the first word; the places it spells by transliteration skeleton,
    /// if any.
    NoName(Option<KeyCandidates>),
    /// Some name starts with the first word (which is [`ThreadCache::starts`] at this index),
    /// but none is completed at a word boundary.
    Started(usize),
}

/// What a [`ThreadCache`] knows about a word that starts some name.
struct FirstWord {
    /// Its normalized form.
    normalized: Box<str>,
    /// The walker's position after it.
    at: WalkPosition,
    /// The name it completes on its own, if any.
    key_match: Option<KeyMatch>,
    /// The walker's position after it and a space; `None` when no longer name starts with it
    /// and a space (most words: "Syria", "Aleppo"), so the next word need not be looked at.
    after_space: Option<WalkPosition>,
    /// The places it spells by transliteration skeleton, if any; found the first time no name
    /// is matched at it (see [`Recognizer::fold_match`]).
    fold: Option<Option<KeyCandidates>>,
}

/// What a [`ThreadCache`] knows about a word after a name's first word: from which walker
/// position, fed as written how, it leads where.
struct Continuation {
    /// The walker's position before the word.
    from: WalkPosition,
    /// Whether a space is fed before the word.
    spaced: bool,
    /// The word as written.
    word: Box<str>,
    /// Its normalized form.
    normalized: Box<str>,
    /// The walker's position after the (space and) word and the name completed there, if any;
    /// `None` when no name goes on this way.
    to: Option<(WalkPosition, Option<KeyMatch>)>,
}

impl Continuation {
    /// The cache slot of `word` fed (after a space if `spaced`) to a walker at `from`.
    fn slot(from: WalkPosition, spaced: bool, word: &str) -> u64 {
        FxBuildHasher.hash_one((from, spaced, word))
    }

    /// Whether this is `word` fed (after a space if `spaced`) to a walker at `from`.
    fn is(&self, from: WalkPosition, spaced: bool, word: &str) -> bool {
        self.from == from && self.spaced == spaced && *self.word == *word
    }
}

/// What a [`ThreadCache`] knows about a matched key: the key, its candidates and their
/// summary. Mentions share the key and the candidates with the cache.
#[derive(Clone)]
struct KeyCandidates {
    /// The normalized key last matched with this [`KeyMatch`].
    key: Arc<str>,
    /// Every place the key reaches, best static rank first.
    candidates: Arc<[(PlaceIdx, MatchKind)]>,
    /// What the candidates are.
    sum: CandSummary,
}

thread_local! {
    /// One cache per thread, for the recognizer that used it last.
    static THREAD_CACHE: RefCell<ThreadCache> = RefCell::new(ThreadCache::default());
}

/// A gazetteer match in a text, with its candidates and the recognizer's verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Byte offset of the first byte.
    pub byte_start: usize,
    /// Byte offset one past the last byte.
    pub byte_end: usize,
    /// The normalized key the text matched (shared by the mentions of one name).
    pub key: Arc<str>,
    /// Every place the key reaches, best static rank first (shared by the mentions of one
    /// name).
    pub candidates: Arc<[(PlaceIdx, MatchKind)]>,
    /// Literal name or demonym.
    pub kind: MentionKind,
    /// Probability that this is a place name (0–1).
    pub probability: f64,
    /// The feature vector the probability came from.
    pub features: MentionFeatures,
    /// Index (into the same list) of a mention that qualifies this one: "Paris, Texas".
    pub qualifier: Option<usize>,
    /// Admin1 code ("US.LA") of an AP-style state abbreviation that follows: "Alexandria, La.".
    pub ap_qualifier: Option<String>,
    /// The kind of place the words around the name say it is ("Hama province"; see
    /// [`described_as`]). Set on the accepted mentions of [`Recognizer::recognize`].
    pub described_as: Option<PlaceClass>,
    /// The name follows the definite article ("the Levant", "the Middle East"), as the names of
    /// regions, seas and ranges do and those of towns do not. Set on the accepted mentions of
    /// [`Recognizer::recognize`].
    pub definite: bool,
}

/// Finds place names in text.
pub struct Recognizer<'g> {
    gaz: &'g Gazetteer,
    lex: &'g Lexicon,
    model: &'g Model,
    /// A walker at the empty key, cloned for every match attempt.
    walker: Walker<'g>,
    /// Words whose closing period belongs to an AP-style abbreviation: the last dotted part of
    /// each one-word abbreviation ("Calif" of "Calif.", "C" of "D.C.").
    abbrev_words: FxHashSet<&'g str>,
    /// Bytes an AP-style abbreviation starts with (an empty one starts with any).
    ap_first: [bool; 256],
    /// Some AP-style abbreviation is empty.
    ap_first_empty: bool,
    /// The first-level division each AP-style abbreviation names ("Kan." → Kansas), found in
    /// the gazetteer by its code.
    ap_places: FxHashMap<&'g str, PlaceIdx>,
    /// Bytes an AP-style abbreviation ends with.
    ap_last: [bool; 256],
    /// Process-unique id, so that a thread's [`ThreadCache`] is never used with another
    /// gazetteer.
    id: u64,
    /// What the lexicon says of the empty word, the context word of a match with no word
    /// before or after it.
    no_word: WordFacts,
}

/// The sentences of a text (byte ranges, as [`text::sentences`] gives them), and their tokens
/// when [`Recognizer::recognize_with_sentences`] found them on the way.
#[derive(Debug, Clone, Default)]
pub struct Sentences {
    /// Each sentence's byte range.
    pub ranges: Vec<Range<usize>>,
    /// Every token of the text: each sentence's are those within its range.
    tokens: Option<Vec<TokInfo>>,
}

impl Sentences {
    /// The sentences of `text`, split by [`text::sentences`], without their tokens.
    pub fn split(text: &str) -> Self {
        Self {
            ranges: text::sentences(text),
            tokens: None,
        }
    }

    /// The tokens of sentence `i` (byte offsets into the whole text), if known: those
    /// [`text::tokens`] finds in the sentence's range alone.
    pub fn tokens(&self, i: usize) -> Option<impl ExactSizeIterator<Item = Token> + '_> {
        let tokens = self.tokens.as_ref()?;
        let range = &self.ranges[i];
        let first = tokens.partition_point(|t| t.start < range.start);
        let len = tokens[first..].partition_point(|t| t.end <= range.end);
        Some(tokens[first..first + len].iter().map(|t| Token {
            start: t.start,
            end: t.end,
            kind: if t.has(TokInfo::WORD) {
                TokenKind::Word
            } else {
                TokenKind::Punct
            },
        }))
    }
}

/// Per-token facts computed once per text: its byte range and [`TokInfo`] flag bits.
#[derive(Debug, Clone, Copy)]
struct TokInfo {
    /// Byte offset of the first byte.
    start: usize,
    /// Byte offset one past the last byte.
    end: usize,
    /// [`TokInfo::WORD`], [`TokInfo::CAP`], … bits.
    flags: u16,
}

impl TokInfo {
    /// A word token (else punctuation). This bit, the next two and
    /// [`TokInfo::NEWLINE_BEFORE`] are the tokenizer's [`TokenFacts`] bits, so that its facts are
    /// kept as they come.
    const WORD: u16 = TokenFacts::WORD as u16;
    /// First character is upper-case, or the word is in a script without case.
    const CAP: u16 = TokenFacts::CAP as u16;
    /// Every cased letter is upper-case (and there is at least one).
    const ALL_CAPS: u16 = TokenFacts::ALL_CAPS as u16;
    /// First word of its sentence.
    const SENT_START: u16 = 1 << 3;
    /// The first token of a sentence other than the text's first: this token and the one
    /// before it are in different sentences.
    const SENT_BREAK: u16 = 1 << 4;
    /// Whitespace between the previous token and this one.
    const SPACE_BEFORE: u16 = 1 << 5;
    /// A line break between the previous token and this one.
    const NEWLINE_BEFORE: u16 = TokenFacts::NEWLINE_BEFORE as u16;
    /// In a headline: a sentence of at least three words, most of them in capitals.
    const HEADLINE: u16 = 1 << 7;
    /// In a title-case line ("Taliban Seize Kunduz After Fierce Fighting"): a sentence of at
    /// least three longer words, all of them capitalized, not in capitals. Its capitals say
    /// nothing about which words are names.
    const TITLE: u16 = 1 << 8;

    fn has(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }

    fn is_word(&self) -> bool {
        self.has(Self::WORD)
    }

    fn cap(&self) -> bool {
        self.has(Self::CAP)
    }

    fn space_before(&self) -> bool {
        self.has(Self::SPACE_BEFORE)
    }

    /// The token's text.
    fn as_str<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// Whether a name ending at token `tok` would end inside a word: "Baha" in "Baha’i" would,
/// while "Iraq’s" (a possessive) does not, nor does "Sana’a" (the joined word completes the
/// name).
fn ends_inside_word(text: &str, infos: &[TokInfo], tok: usize) -> bool {
    matches!(infos.get(tok + 1..).unwrap_or(&[]), [apos, next, ..]
        if !apos.is_word()
            && !apos.space_before()
            && is_apostrophe(apos.as_str(text))
            && next.is_word()
            && !next.space_before()
            && !is_clitic(next.as_str(text)))
}

fn is_apostrophe(s: &str) -> bool {
    matches!(s, "'" | "’" | "‘" | "`" | "´" | "ʼ")
}

/// An English clitic written after an apostrophe: possessive "s" and the contractions ("ll",
/// "d", "re", "ve", "t", "m").
fn is_clitic(s: &str) -> bool {
    ["s", "ll", "d", "re", "ve", "t", "m"]
        .iter()
        .any(|c| s.eq_ignore_ascii_case(c))
}

impl<'g> Recognizer<'g> {
    /// A recognizer over `gaz` with the given lexicon and model.
    pub fn new(gaz: &'g Gazetteer, lex: &'g Lexicon, model: &'g Model) -> Self {
        let abbrev_words = lex
            .ap_states()
            .iter()
            .filter_map(|(a, _)| a.strip_suffix('.'))
            .filter(|w| !w.contains(' '))
            .filter_map(|w| w.rsplit('.').next())
            .collect();
        let ap_first_empty = lex.ap_states().iter().any(|(a, _)| a.is_empty());
        // The bytes an abbreviation starts and ends with: cheap tests before a lookup.
        let mut ap_first = [ap_first_empty; 256];
        let mut ap_last = [false; 256];
        for (a, _) in lex.ap_states() {
            if let (Some(&first), Some(&last)) = (a.as_bytes().first(), a.as_bytes().last()) {
                ap_first[first as usize] = true;
                ap_last[last as usize] = true;
            }
        }
        let ap_places = lex
            .ap_states()
            .iter()
            .filter_map(|(a, code)| {
                let (cc, admin1) = code.split_once('.')?;
                Some((a.as_str(), gaz.admin1(cc, admin1)?.idx()))
            })
            .collect();
        Recognizer {
            gaz,
            lex,
            model,
            ap_first,
            ap_first_empty,
            ap_places,
            ap_last,
            walker: gaz.walker(),
            abbrev_words,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            no_word: lex.word(""),
        }
    }

    /// All gazetteer matches in `text` with their features and probabilities (including those
    /// the model rejects — see [`Recognizer::recognize`] for the accepted ones).
    pub fn candidates(&self, text: &str) -> Vec<Mention> {
        let mut caps = Vec::new();
        let infos = token_infos(text, &mut caps, |_| {});
        self.candidates_in(text, &infos, &caps)
    }

    /// [`Recognizer::candidates`] for the tokens `infos` of `text`, of which `caps` are the
    /// capitalized words (the only ones a match starts at), in order.
    fn candidates_in(&self, text: &str, infos: &[TokInfo], caps: &[usize]) -> Vec<Mention> {
        let mut out: Vec<Mention> = Vec::new();
        // First and last token of each mention (the last may be an abbreviation's period).
        let mut spans: Vec<(usize, usize)> = Vec::new();
        let mut sums: Vec<CandSummary> = Vec::new();
        let mut key = String::new();
        // The thread's cache, borrowed once for the whole text.
        THREAD_CACHE.with_borrow_mut(|cache| {
            cache.claim(self.id);
            // The first token not yet inside a match.
            let mut next = 0;
            for &i in caps {
                if i < next {
                    continue;
                }
                let t = &infos[i];
                let found = match self.longest_match(text, infos, i, &mut key, cache) {
                    Ok((end_tok, m, end_byte)) => {
                        Some((end_tok, end_byte, self.key_candidates(m, &key, cache)))
                    }
                    // A capitalized word that starts no name may be a place spelled otherwise.
                    Err(no) => self.fold_match(text, infos, i, no, cache),
                };
                let Some((end_tok, end_byte, found)) = found else {
                    continue;
                };
                let KeyCandidates {
                    key: shared_key,
                    candidates: cands,
                    sum,
                } = found;
                if !cands.is_empty() {
                    let demonym = cands.iter().all(|c| c.1 == MatchKind::Demonym);
                    out.push(Mention {
                        byte_start: t.start,
                        byte_end: end_byte,
                        key: shared_key,
                        candidates: cands,
                        kind: if demonym {
                            MentionKind::Demonym
                        } else {
                            MentionKind::Place
                        },
                        probability: 0.0,
                        // Set by `score`.
                        features: MentionFeatures::default(),
                        qualifier: None,
                        ap_qualifier: None,
                        described_as: None,
                        definite: false,
                    });
                    let last = if end_byte == infos[end_tok].end {
                        end_tok
                    } else {
                        end_tok + 1
                    };
                    spans.push((i, last));
                    sums.push(sum);
                }
                next = end_tok + 1;
            }
        });
        self.ap_divisions(text, &mut out, &mut sums);
        self.link_qualifiers(text, infos, &mut out);
        self.score(text, infos, &spans, &sums, &mut out);
        out
    }

    /// An AP-style abbreviation names its division, whatever else its letters spell ("Kan." is
    /// Kansas, not the Ganzhou that GeoNames also calls "Kan"): such mentions get that division
    /// as their only candidate (and `sums` its summary).
    fn ap_divisions(&self, text: &str, mentions: &mut [Mention], sums: &mut [CandSummary]) {
        for (m, sum) in mentions.iter_mut().zip(sums) {
            let surface = &text[m.byte_start..m.byte_end];
            if !surface
                .as_bytes()
                .last()
                .is_some_and(|&b| self.ap_last[b as usize])
            {
                continue;
            }
            if let Some(&p) = self.ap_places.get(surface) {
                m.candidates = Arc::from([(p, MatchKind::Abbreviation)]);
                m.kind = MentionKind::Place;
                *sum = CandSummary {
                    ap: true,
                    ..self.summarize(&m.candidates)
                };
            }
        }
    }

    /// The accepted place names in `text` (probability ≥ 0.5), in text order.
    pub fn recognize(&self, text: &str) -> Vec<Mention> {
        let mut caps = Vec::new();
        let infos = token_infos(text, &mut caps, |_| {});
        self.accepted(text, &infos, &caps)
    }

    /// [`Recognizer::recognize`], and the sentences of `text` as [`text::sentences`] gives
    /// them with their tokens, found on the way (split anew, without tokens, only in the rare
    /// text where the two differ, see [`text::token_sentences_exact`]).
    pub fn recognize_with_sentences(&self, text: &str) -> (Vec<Mention>, Sentences) {
        let mut caps = Vec::new();
        let mut ranges = Vec::new();
        let infos = token_infos(text, &mut caps, |r| ranges.push(r));
        let mentions = self.accepted(text, &infos, &caps);
        let sentences = if text::token_sentences_exact(text, &ranges) {
            Sentences {
                ranges,
                tokens: Some(infos),
            }
        } else {
            Sentences::split(text)
        };
        (mentions, sentences)
    }

    /// The accepted place names among the candidates in `text`, whose tokens are `infos` and
    /// capitalized words `caps`.
    fn accepted(&self, text: &str, infos: &[TokInfo], caps: &[usize]) -> Vec<Mention> {
        let mut all = self.candidates_in(text, infos, caps);
        all.retain(|m| m.probability >= 0.5);
        // Qualifier indices referred to the unfiltered list; re-link them.
        for m in &mut all {
            m.qualifier = None;
        }
        self.link_qualifiers(text, infos, &mut all);
        for m in all.iter_mut().filter(|m| m.kind == MentionKind::Place) {
            m.described_as = described_as(text, m.byte_start, m.byte_end, self.lex);
            m.definite = after_definite_article(&text[..m.byte_start]);
        }
        all
    }

    /// Leftmost-longest match starting at word token `i`: (last token index, key match, end
    /// byte). `key` receives the normalized key of the match.
    #[inline(always)]
    fn longest_match(
        &self,
        text: &str,
        infos: &[TokInfo],
        i: usize,
        key: &mut String,
        cache: &mut ThreadCache,
    ) -> Result<(usize, KeyMatch, usize), NoMatch> {
        let mut w = self.walker.clone();
        // The key is built in place; only its first `len` bytes (of the best match) are kept.
        let buf = key;
        buf.clear();
        let mut best: Option<(usize, KeyMatch, usize, usize)> = None; // (tok, match, end byte, key len)
        let mut j = i;
        let mut words = 0;
        let mut join_next = false; // apostrophe seen: next word joins without a space
        let mut need_space = false;
        // The walker's position after the first word and a space (`None`: no name goes on).
        let mut after_space = None;
        // The first word's index in the cache's `starts`.
        let mut first = 0;
        while j < infos.len() && words < MAX_WORDS {
            let t = &infos[j];
            if j > i && t.has(TokInfo::NEWLINE_BEFORE | TokInfo::SENT_BREAK) {
                break;
            }
            let s = t.as_str(text);
            if t.is_word() {
                if j > i && t.space_before() && !need_space && !join_next {
                    // Words separated by whitespace.
                    need_space = true;
                }
                let word_match = if j == i {
                    match self.first_word(s, buf, &mut w, cache) {
                        Ok((at, m, space)) => {
                            first = at;
                            after_space = space;
                            m
                        }
                        Err(fold) => return Err(NoMatch::NoName(fold)),
                    }
                } else {
                    let mut spaced = need_space && !join_next && !buf.is_empty();
                    if spaced && words == 1 {
                        // Right after the first word: the walker's position after its space
                        // is cached.
                        match after_space {
                            Some(at) => {
                                w.resume(at);
                                buf.push(' ');
                                spaced = false;
                            }
                            None => break,
                        }
                    }
                    match self.next_word(s, spaced, buf, &mut w, cache) {
                        Some(m) => m,
                        None => break,
                    }
                };
                words += 1;
                need_space = false;
                // A word glued on by an apostrophe belongs to the word before ("Sana'a"),
                // unless it is an English clitic ("Iraq's", "I'll").
                let joined = std::mem::take(&mut join_next) && !is_clitic(s);
                // A name may end here only on a capitalized (or uncased) word.
                if (t.cap() || joined || s.chars().all(|c| c.is_ascii_digit()))
                    && let Some(m) = word_match
                {
                    let mut end = t.end;
                    // Abbreviations keep their closing period: "U.S.", "Calif.".
                    if let Some(n) = infos.get(j + 1)
                        && !n.is_word()
                        && !n.space_before()
                        && n.as_str(text) == "."
                        && self.is_abbrev_word(s)
                    {
                        end = n.end;
                    }
                    best = Some((j, m, end, buf.len()));
                }
            } else {
                if j == i {
                    break;
                }
                // Only punctuation glued to the words on both sides continues a name.
                let glued_next = infos
                    .get(j + 1)
                    .is_some_and(|n| !n.space_before() && n.is_word());
                if is_apostrophe(s) && !t.space_before() && glued_next {
                    join_next = true;
                } else if matches!(s, "-" | "‐" | "–") && !t.space_before() && glued_next {
                    need_space = true;
                } else if s == "." && !t.space_before() {
                    // "U.S", "St. Louis", "D.C."
                    need_space = true;
                } else {
                    break;
                }
            }
            j += 1;
        }
        // A name does not end inside a word.
        let Some((tok, m, end, len)) = best else {
            return Err(NoMatch::Started(first));
        };
        if ends_inside_word(text, infos, tok) {
            return Err(NoMatch::Started(first));
        }
        buf.truncate(len);
        Ok((tok, m, end))
    }

    /// For a capitalized word at token `i` where no name is matched (`no`): the places whose
    /// primary or ASCII name has the word's transliteration skeleton, as (token, end byte,
    /// candidates), unless the word goes on past an apostrophe. They come with `no` for a word
    /// that starts no name (kept in its [`FirstWordEntry`]), and are looked up once and kept in
    /// the cache's [`FirstWord`] for a word that starts some name.
    fn fold_match(
        &self,
        text: &str,
        infos: &[TokInfo],
        i: usize,
        no: NoMatch,
        cache: &mut ThreadCache,
    ) -> Option<(usize, usize, KeyCandidates)> {
        if ends_inside_word(text, infos, i) {
            return None;
        }
        let found = match no {
            NoMatch::NoName(fold) => fold,
            NoMatch::Started(first) => {
                let fw = &mut cache.starts[first];
                fw.fold
                    .get_or_insert_with(|| {
                        self.fold_candidates(
                            &fw.normalized,
                            &mut cache.fold_buf,
                            &mut cache.fold_scratch,
                        )
                    })
                    .clone()
            }
        };
        found.map(|found| (i, infos[i].end, found))
    }

    /// The places whose primary or ASCII name has the transliteration skeleton of the
    /// normalized word `key`, with their summary, if any ([`Gazetteer::find_fold`], with
    /// work space `folded` and `scratch`); uncached.
    fn fold_candidates(
        &self,
        key: &str,
        folded: &mut String,
        scratch: &mut Vec<u8>,
    ) -> Option<KeyCandidates> {
        let m = self.gaz.find_fold(key, folded, scratch)?;
        let candidates: Arc<[_]> = self.gaz.key_postings(m).collect();
        if candidates.is_empty() {
            return None;
        }
        let sum = self.summarize(&candidates);
        Some(KeyCandidates {
            key: key.into(),
            candidates,
            sum,
        })
    }

    /// Feeds a match's first word `word` to the fresh walker `w` and appends its normalized form
    /// to the empty `key`, through the thread's [`ThreadCache`] `cache`. Returns the word's
    /// index in the cache's `starts`, the name it completes on its own, if any, and the
    /// walker's position after the word and a space, if some name goes on; or, when no name
    /// starts with the word (`key` then holds its normalized form or is left as it is), the
    /// places it spells by transliteration skeleton, if any.
    #[inline(always)]
    fn first_word(
        &self,
        word: &str,
        key: &mut String,
        w: &mut Walker<'g>,
        cache: &mut ThreadCache,
    ) -> Result<(usize, Option<KeyMatch>, Option<WalkPosition>), Option<KeyCandidates>> {
        match cache.first_words.get(word) {
            Some(&FirstWordEntry::Starts(at)) => {
                let fw = &cache.starts[at];
                key.push_str(&fw.normalized);
                w.resume(fw.at);
                return Ok((at, fw.key_match, fw.after_space));
            }
            Some(FirstWordEntry::NoName(fold)) => return Err(fold.clone()),
            None => {}
        }
        normalize_into(word, key);
        let (entry, out) = if w.feed(key.as_bytes()) {
            let mut spaced = w.clone();
            let fw = FirstWord {
                normalized: key.as_str().into(),
                at: w.position(),
                key_match: w.key_match(),
                after_space: spaced.feed(b" ").then(|| spaced.position()),
                fold: None,
            };
            let at = cache.starts.len();
            let out = Ok((at, fw.key_match, fw.after_space));
            cache.starts.push(fw);
            (FirstWordEntry::Starts(at), out)
        } else {
            let fold = self.fold_candidates(key, &mut cache.fold_buf, &mut cache.fold_scratch);
            (FirstWordEntry::NoName(fold.clone()), Err(fold))
        };
        cache.first_words.insert(word.into(), entry);
        out
    }

    /// Feeds word `word` that follows a name's first word (after a space if `spaced`) to the
    /// walker `w` and appends it (and the space) normalized to `key`, through the thread's
    /// [`ThreadCache`] `cache`. Returns `None` when no name goes on this way (`key` is then left
    /// as it is or with the word appended), else the name completed with the word, if any.
    #[inline(always)]
    fn next_word(
        &self,
        word: &str,
        spaced: bool,
        key: &mut String,
        w: &mut Walker<'g>,
        cache: &mut ThreadCache,
    ) -> Option<Option<KeyMatch>> {
        let from = w.position();
        let slot = Continuation::slot(from, spaced, word);
        if let Some(c) = cache.continuations.get(&slot)
            && c.is(from, spaced, word)
        {
            let (at, m) = c.to?;
            if spaced {
                key.push(' ');
            }
            key.push_str(&c.normalized);
            w.resume(at);
            return Some(m);
        }
        let start = key.len();
        if spaced {
            key.push(' ');
        }
        let word_start = key.len();
        normalize_into(word, key);
        let to = w
            .feed(&key.as_bytes()[start..])
            .then(|| (w.position(), w.key_match()));
        cache.continuations.insert(
            slot,
            Continuation {
                from,
                spaced,
                word: word.into(),
                normalized: key[word_start..].into(),
                to,
            },
        );
        to.map(|(_, m)| m)
    }

    /// Links "X, Y" hierarchies (Y qualifies X when Y directly follows X after a comma) and
    /// AP-style state abbreviations after a comma ("Alexandria, La.").
    fn link_qualifiers(&self, text: &str, _infos: &[TokInfo], mentions: &mut [Mention]) {
        for k in 0..mentions.len() {
            let end = mentions[k].byte_end;
            let rest = &text[end..];
            let after_comma = rest.strip_prefix(',').or_else(|| rest.strip_prefix(" ,"));
            let Some(after) = after_comma else { continue };
            let trimmed = after.trim_start_matches([' ', '\u{a0}']);
            let at = text.len() - trimmed.len();
            if let Some(next) = mentions.get(k + 1)
                && next.byte_start == at
            {
                mentions[k].qualifier = Some(k + 1);
                continue;
            }
            // "X, a suburb of Y", "X, the provincial capital of Y": Y qualifies X.
            if let Some((_, Some(q))) = self.appositive(trimmed)
                && let Some(next) = mentions.get(k + 1)
                && next.byte_start == text.len() - trimmed.len() + q
            {
                mentions[k].qualifier = Some(k + 1);
                continue;
            }
            let could_start = match trimmed.as_bytes().first() {
                Some(&b) => self.ap_first[b as usize],
                None => self.ap_first_empty,
            };
            for (abbr, code) in self.lex.ap_states().iter().filter(|_| could_start) {
                if trimmed.starts_with(abbr.as_str()) {
                    mentions[k].ap_qualifier = Some(code.clone());
                    break;
                }
            }
        }
    }

    /// Reads an appositive after a name's comma: an article, at most three words of which one is
    /// a place noun ("a suburb", "the northern town", "a village"), and then optionally a
    /// preposition. Returns whether it was found and, after a preposition, the byte offset (in
    /// `after`) where the qualifying name should start.
    fn appositive(&self, after: &str) -> Option<(bool, Option<usize>)> {
        let mut words = after.split_inclusive(' ');
        let first = words.next()?.trim_end();
        if !matches!(first, "a" | "an" | "the") {
            return None;
        }
        let mut at = first.len() + 1;
        let mut noun = false;
        let mut lower = String::new();
        for _ in 0..4 {
            let Some(w) = words.next() else { break };
            let bare = w.trim_end().trim_end_matches([',', '.']);
            let cues = self.lex.cues(lower_into(bare, &mut lower));
            at += w.len();
            if cues & cue::PLACE_NOUN != 0 {
                noun = true;
            } else if noun && matches!(bare, "of" | "in" | "near" | "outside" | "on") {
                return Some((true, Some(at)));
            } else if noun || bare.chars().next().is_some_and(char::is_uppercase) {
                break;
            }
            if w.trim_end().len() != bare.len() {
                break;
            }
        }
        noun.then_some((true, None))
    }

    /// Computes features and probabilities for every mention; `spans` holds each mention's first
    /// and last token, `sums` what its candidates are.
    fn score(
        &self,
        text: &str,
        infos: &[TokInfo],
        spans: &[(usize, usize)],
        sums: &[CandSummary],
        mentions: &mut [Mention],
    ) {
        // Discourse evidence per key: used as a person / seen lower-case.
        let n = mentions.len();
        // Key → (mentions of it, whether one is used as a person, whether one is used as a
        // place: after a locative preposition or a compass word, or with a place noun).
        let mut key_uses: FxHashMap<&str, (u32, bool, bool)> =
            FxHashMap::with_capacity_and_hasher(n, Default::default());
        let mut ctx: Vec<Context> = Vec::with_capacity(mentions.len());
        let mut scratch = Scratch::default();
        for ((m, &(first, last)), sum) in mentions.iter().zip(spans).zip(sums) {
            let c = self.context(text, infos, first, last, &mut scratch);
            // "fighters in Khan Sheikhoun said": after a locative preposition the name is not
            // the one speaking.
            let person = c.prev_title
                || c.prev_first_name
                || c.next_speech_verb && !sum.strong && !c.prev_place_prep;
            let uses = key_uses.entry(&*m.key).or_default();
            uses.0 += 1;
            uses.1 |= person;
            uses.2 |= !person && (c.prev_place_prep || c.place_noun || c.direction_before);
            ctx.push(c);
        }
        // Which single-word names also occur as lower-case words ("mobile", "reading"). The
        // single-word names lower-cased, in one buffer (empty for the other names).
        let singles: Vec<bool> = mentions.iter().map(|m| !m.key.contains(' ')).collect();
        let single_len = mentions
            .iter()
            .zip(&singles)
            .filter(|&(_, &single)| single)
            .map(|(m, _)| m.byte_end - m.byte_start)
            .sum();
        let mut lowers_buf = String::with_capacity(single_len);
        let mut lower_ends = Vec::with_capacity(mentions.len());
        for (m, &single) in mentions.iter().zip(&singles) {
            if single {
                push_lower(&text[m.byte_start..m.byte_end], &mut lowers_buf);
            }
            lower_ends.push(lowers_buf.len());
        }
        let lowers: Vec<&str> = lower_ends
            .iter()
            .scan(0, |start, &end| {
                let l = &lowers_buf[*start..end];
                *start = end;
                Some(l)
            })
            .collect();
        // Lower-cased single-word names → whether the document has them as a lower-case word,
        // and what the lexicon says of them (looked up once per name).
        let mut lower_seen: FxHashMap<&str, (bool, WordFacts)> =
            FxHashMap::with_capacity_and_hasher(n, Default::default());
        for (&single, &l) in singles.iter().zip(&lowers) {
            if single {
                lower_seen
                    .entry(l)
                    .or_insert_with(|| (false, self.lex.word(l)));
            }
        }
        if !lower_seen.is_empty() {
            // A cheap test before hashing.
            let mut filter = WordFilter::default();
            for l in lower_seen.keys() {
                filter.insert(l);
            }
            for t in infos {
                if t.flags & (TokInfo::WORD | TokInfo::CAP) == TokInfo::WORD
                    && filter.may_contain(t.as_str(text))
                    && let Some((seen, _)) = lower_seen.get_mut(t.as_str(text))
                {
                    *seen = true;
                }
            }
        }
        let mut decided: Vec<(f64, MentionFeatures)> = Vec::with_capacity(mentions.len());
        for (k, m) in mentions.iter().enumerate() {
            let c = &ctx[k];
            let surface = &text[m.byte_start..m.byte_end];
            let lower = lowers[k];
            let single = singles[k];
            let CandSummary {
                country,
                admin1,
                capital,
                region,
                max_pop,
                ap,
                ..
            } = sums[k];
            let best_kind = m
                .candidates
                .iter()
                .map(|c| c.1)
                .min()
                .unwrap_or(MatchKind::Alternate);
            let (count, person_in_doc, place_in_doc) = key_uses[&*m.key];
            let (lower_in_doc, word) = if single {
                lower_seen[lower]
            } else {
                (false, WordFacts::default())
            };
            let (common, first_name) = (word.common, word.first_name);
            let mut f = MentionFeatures::default();
            f.flag(fi!("bias"), true);
            f.flag(fi!("sent_start"), c.sent_start);
            // The list's less common words ("china", "turkey") are weighed apart.
            f.flag(fi!("common_word"), common && !word.less_common);
            f.flag(fi!("less_common_word"), word.less_common);
            // A common word's capital says nothing at a sentence's start, nor in a title-case
            // line ("Grand Jury Indicts Man In December Slaying") unless a preposition of place
            // comes before it ("Israeli Strike on Tyre") or it names a country, first-level
            // division or capital ("President Ruto Visits Turkey").
            let major = country || admin1 || capital;
            let case_blind = c.sent_start || c.title && !c.prev_place_prep && !major;
            f.flag(fi!("common_word_start"), common && case_blind);
            // "China has announced…", "Turkey backs…": a country, first-level division or
            // capital that is also a common word, opening a sentence, is weighed apart from
            // the small places that do ("Mobile", "Reading").
            f.flag(
                fi!("common_word_start_major"),
                common && c.sent_start && major,
            );
            f.flag(fi!("first_name"), first_name);
            f.flag(fi!("prev_title"), c.prev_title);
            f.flag(fi!("prev_first_name"), c.prev_first_name);
            f.flag(fi!("next_speech_verb"), c.next_speech_verb);
            f.flag(fi!("next_cap_word"), c.next_cap_word);
            f.flag(fi!("next_org_head"), c.next_org_head);
            f.flag(fi!("next_eponym_head"), c.next_eponym_head);
            f.flag(fi!("prev_place_prep"), c.prev_place_prep);
            f.flag(fi!("place_noun"), c.place_noun);
            f.flag(fi!("direction_before"), c.direction_before);
            f.flag(
                fi!("qualified"),
                m.qualifier.is_some() || m.ap_qualifier.is_some(),
            );
            f.flag(fi!("is_country"), country);
            f.flag(fi!("is_admin1"), admin1);
            f.flag(fi!("is_capital"), capital);
            f.flag(fi!("is_region"), region);
            f.set_log_pop((max_pop as f64 + 1.0).log10() / 7.0);
            // GeoNames gives many places no population at all (regions, seas, towns in war
            // zones): unknown is not the same as tiny.
            f.flag(fi!("no_population"), max_pop == 0);
            f.flag(fi!("abbreviation"), best_kind == MatchKind::Abbreviation);
            // "Columbia, Ky.": the press's abbreviations of US states and Canadian provinces.
            f.flag(fi!("ap_abbreviation"), ap);
            f.flag(fi!("relative_after"), c.relative_after);
            f.flag(fi!("demonym"), m.kind == MentionKind::Demonym);
            f.flag(fi!("multi_word"), !single);
            f.flag(fi!("all_caps"), c.all_caps);
            f.flag(
                fi!("short"),
                surface
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .nth(2)
                    .is_none(),
            );
            f.flag(fi!("headline"), c.headline);
            f.flag(fi!("person_in_doc"), person_in_doc);
            // One sense per discourse, the other way: "into Turkey … Turkey has become".
            f.flag(fi!("place_in_doc"), place_in_doc);
            f.flag(fi!("possessive"), c.possessive);
            f.flag(fi!("hyphen_after"), c.hyphen_after);
            f.flag(fi!("repeated"), count > 1);
            // The pronoun "us" says nothing about "US": a listed abbreviation written in capitals
            // is another word than its lower-case letters.
            let listed = m.candidates.iter().any(|c| c.1 == MatchKind::Abbreviation);
            let acronym = c.all_caps && !c.headline && listed;
            f.flag(fi!("lower_in_doc"), lower_in_doc && !acronym);
            // "HIV", "FAO" in running text: a short word in capitals that is no listed
            // abbreviation of its places is an acronym of something else (a place known by its
            // letters, "UAE", "NYC", is listed so). A word opening a sentence is left out:
            // datelines ("ROME —") open one.
            f.flag(
                fi!("caps_unlisted"),
                c.all_caps
                    && !c.headline
                    && !c.sent_start
                    && single
                    && surface.len() <= 5
                    && !listed,
            );
            f.flag(fi!("prev_the"), c.prev_the);
            f.flag(fi!("alternate_only"), best_kind == MatchKind::Alternate);
            f.flag(fi!("inside_cap_run"), c.inside_cap_run);
            // An alternate name that is no common word nor given name. In the dev corpora these
            // are mostly surnames and foreign names of small places, so the model weighs them
            // apart from alternate names that are common words ("Center", "Olympic").
            f.flag(
                fi!("alternate_only_rare"),
                best_kind == MatchKind::Alternate && !common && !first_name,
            );
            f.flag(
                fi!("speech_after_prep"),
                c.next_speech_verb && c.prev_place_prep,
            );
            f.flag(fi!("calendar"), word.cues & cue::CALENDAR != 0);
            f.flag(fi!("org_name"), word.cues & cue::ORG_NAME != 0);
            f.flag(fi!("fold"), best_kind == MatchKind::Fold);
            // Looked up from the surface: a dotted name ("B.C.") is no single word of the key.
            let era = c.after_year
                && self.lex.word(lower_into(surface, &mut scratch.other)).cues & cue::ERA != 0;
            // "US$460 million", "A$5": a name glued to a dollar sign is a currency's.
            let currency = text[m.byte_end..].starts_with('$');
            // "Northern Syria", "Northeast Georgia": a compass word right before another name
            // says which part of that place is meant; it is not the place GeoNames calls
            // "Northern" (a region of Uganda). Names that begin with one ("South Sudan", "West
            // Virginia") are matched whole and never get here.
            // So does one before any capitalized word or ordinal: "Northwest Eighth Avenue" and
            // "Northwest 34th Street" are streets, "Northern Alliance" a name.
            let compass = single
                && word.cues & cue::DIRECTION != 0
                && infos.get(spans[k].1 + 1).is_some_and(|next| {
                    next.is_word()
                        && !next.has(TokInfo::SENT_BREAK)
                        && (next.cap() || next.as_str(text).as_bytes()[0].is_ascii_digit())
                });
            // "the Oromia Region", "Russia's Belgorod Region": a place noun right after a name
            // says what kind of place that one is; it is not a place GeoNames calls "Region" (in
            // the Philippines). Names that end with one ("Zamfara State") are matched whole.
            let kind_noun = single
                && word.cues & cue::PLACE_NOUN != 0
                && k.checked_sub(1).is_some_and(|j| {
                    spans[j].1 + 1 == spans[k].0 && !infos[spans[k].0].has(TokInfo::SENT_BREAK)
                });
            let probability = if era || currency || compass || kind_noun {
                // "500 B.C." is a date, not British Columbia.
                0.0
            } else if m.kind == MentionKind::Demonym {
                demonym_probability(c, single)
            } else {
                self.model.probability_of(&f)
            };
            decided.push((probability, f));
        }
        for (m, (p, f)) in mentions.iter_mut().zip(decided) {
            m.probability = p;
            m.features = f;
        }
    }

    /// A word whose closing period belongs to the name: a single letter ("U.S.", "D.C.") or an
    /// AP-style abbreviation from the lexicon ("Calif.", "Fla."). A full word before a period
    /// ("… in Syria.") ends a sentence instead.
    fn is_abbrev_word(&self, s: &str) -> bool {
        s.chars().count() == 1 || self.abbrev_words.contains(s)
    }

    /// The normalized `key` of key match `m`, its candidates (every place the key reaches, best
    /// static rank first) and their [`Recognizer::summarize`], through the thread's
    /// [`ThreadCache`] `cache`: the key and the candidates are shared with it, not copied.
    #[inline(always)]
    fn key_candidates(&self, m: KeyMatch, key: &str, cache: &mut ThreadCache) -> KeyCandidates {
        let kc = cache.keys.entry(m).or_insert_with(|| {
            let candidates: Arc<[_]> = self.gaz.key_postings(m).collect();
            let sum = self.summarize(&candidates);
            KeyCandidates {
                key: key.into(),
                candidates,
                sum,
            }
        });
        // A key match stands for one key; should two keys share one, the text's key wins.
        if *kc.key != *key {
            kc.key = key.into();
        }
        kc.clone()
    }

    /// What a mention's candidates are: the kinds among the first 32 and their largest
    /// population, and whether one of the first 8 is strong.
    fn summarize(&self, candidates: &[(PlaceIdx, MatchKind)]) -> CandSummary {
        let mut sum = CandSummary::default();
        for (n, &(p, _)) in candidates.iter().take(32).enumerate() {
            let Some(pl) = self.gaz.get(p) else { continue };
            let fc = pl.feature_code();
            let country = is_country_code(fc);
            sum.country |= country;
            sum.admin1 |= fc == "ADM1";
            sum.capital |= fc == "PPLC";
            sum.region |= matches!(
                fc,
                "CONT"
                    | "RGN"
                    | "RGNE"
                    | "ADMD"
                    | "TERR"
                    | "PCLD"
                    | "PCLS"
                    | "PCLF"
                    | "PCL"
                    | "PCLIX"
            );
            let pop = pl.population();
            sum.max_pop = sum.max_pop.max(pop);
            // A place so prominent that a speech verb after it is metonymy ("Washington said").
            sum.strong |= n < 8 && (country || fc == "PPLC" || fc == "ADM1" || pop > 1_000_000);
        }
        sum
    }

    fn context(
        &self,
        text: &str,
        infos: &[TokInfo],
        first: usize,
        last: usize,
        scratch: &mut Scratch,
    ) -> Context {
        let lex = self.lex;
        let word_before = |k: usize| -> Option<usize> {
            // The nearest word token before `k` in the same sentence, skipping one period.
            let mut j = k;
            while j > 0 {
                // `infos[j]` starts a sentence: the tokens before it are in another.
                if infos[j].has(TokInfo::SENT_BREAK) {
                    return None;
                }
                j -= 1;
                let t = &infos[j];
                if t.is_word() {
                    return Some(j);
                }
                if t.as_str(text) != "." {
                    return None;
                }
            }
            None
        };
        let prev_idx = word_before(first);
        let prev = prev_idx.map(|j| &infos[j]);
        let prev_lower = lower_into(prev.map_or("", |t| t.as_str(text)), &mut scratch.prev);
        let facts = |lower: &str| {
            if lower.is_empty() {
                self.no_word
            } else {
                lex.word(lower)
            }
        };
        let prev_facts = facts(prev_lower);
        let prev_cues = prev_facts.cues;
        let next = infos.get(last + 1).filter(|t| !t.has(TokInfo::SENT_BREAK));
        let next_word = next.filter(|t| t.is_word());
        let next_lower = lower_into(next_word.map_or("", |t| t.as_str(text)), &mut scratch.next);
        let next_facts = facts(next_lower);
        let next_cues = next_facts.cues;
        let s_first = &infos[first];
        let title = s_first.has(TokInfo::TITLE);
        // Whether a word is capitalized as a name: in a title-case line a common word is not
        // ("Taliban Seize Kunduz After Fierce Fighting" reads as "Taliban seize Kunduz after
        // fierce fighting"), unless it is also a given name. Titles and organization heads are
        // capitalized in names whatever the case of the line, so they keep their capitals.
        let name_cap = |t: &TokInfo, f: WordFacts| t.cap() && !(title && f.common && !f.first_name);
        let prev_cap = prev.is_some_and(|t| name_cap(t, prev_facts));
        let next_cap = next_word.is_some_and(|t| name_cap(t, next_facts));
        // A capitalized given name before the match.
        let prev_first = prev_cap && prev_facts.first_name;
        let prev_adjacent_cap =
            prev_cap && prev.is_some_and(|t| !t.has(TokInfo::SENT_START) || prev_first);
        let possessive = next.is_some_and(|t| is_apostrophe(t.as_str(text)) && !t.space_before())
            && infos.get(last + 2).is_some_and(|t| t.as_str(text) == "s");
        let hyphen_after = next.is_some_and(|t| t.as_str(text) == "-" && !t.space_before());
        // Previous two words for "the town of X".
        let place_noun_before = prev_lower == "of"
            && prev_idx
                .and_then(word_before)
                .map(|j| &infos[j])
                .is_some_and(|t| {
                    lex.cues(lower_into(t.as_str(text), &mut scratch.other)) & cue::PLACE_NOUN != 0
                });
        let all_caps = infos[first..=last]
            .iter()
            .all(|t| !t.is_word() || t.has(TokInfo::ALL_CAPS));
        // "Haditha, which never fell", "Daraya, where…": a relative clause for a thing or a
        // place, not a person.
        let comma_after = next.is_some_and(|t| t.as_str(text) == ",");
        let relative_after = comma_after
            && infos
                .get(last + 2)
                .is_some_and(|t| matches!(t.as_str(text), "which" | "where"));
        Context {
            relative_after,
            sent_start: s_first.has(TokInfo::SENT_START),
            all_caps,
            headline: s_first.has(TokInfo::HEADLINE),
            title,
            prev_title: prev_cues & cue::PERSON_TITLE != 0
                && (prev.is_some_and(|t| t.cap()) || prev_cues & cue::ROLE_NOUN != 0),
            prev_first_name: prev_first && prev_cues & cue::DIRECTION == 0,
            next_speech_verb: next_cues & cue::SPEECH_VERB != 0,
            next_cap_word: next_cap && next_cues & cue::PLACE_NOUN == 0,
            next_title: next_word.is_some_and(|t| t.cap()) && next_cues & cue::PERSON_TITLE != 0,
            next_org_head: next_word.is_some_and(|t| t.cap()) && next_cues & cue::ORG_HEAD != 0,
            next_eponym_head: next_cues & cue::EPONYM_HEAD != 0,
            prev_place_prep: prev_cues & cue::PLACE_PREP != 0 && prev.is_some() && !prev_cap,
            place_noun: place_noun_before
                || comma_after
                    && self
                        .appositive(text[infos[last].end..].trim_start_matches([',', ' ']))
                        .is_some()
                || next_word.is_some_and(|_| next_cues & cue::PLACE_NOUN != 0),
            direction_before: prev_cues & cue::DIRECTION != 0,
            possessive,
            hyphen_after,
            prev_the: prev_lower == "the",
            // Era notation is written in capitals ("B.C.", "AD").
            after_year: all_caps
                && (prev.is_some_and(|t| t.as_str(text).bytes().all(|b| b.is_ascii_digit()))
                    || matches!(prev_lower, "century" | "centuries" | "millennium")),
            inside_cap_run: prev_adjacent_cap && prev_cues == 0,
        }
    }
}

/// Facts about a mention's candidate places (see [`Recognizer::summarize`]).
#[derive(Debug, Default, Clone, Copy)]
struct CandSummary {
    /// One of the first 32 candidates is a country.
    country: bool,
    /// One of the first 32 candidates is a first-order division.
    admin1: bool,
    /// One of the first 32 candidates is a national capital.
    capital: bool,
    /// One of the first 32 candidates is a region, continent or dependency.
    region: bool,
    /// Largest population among the first 32 candidates.
    max_pop: u64,
    /// One of the first 8 candidates is a country, capital, first-order division or has more
    /// than a million inhabitants.
    strong: bool,
    /// The mention is an AP-style abbreviation of the lexicon ("Ky.", "Calif."), its division
    /// the only candidate.
    ap: bool,
}

/// A set of words with false positives: 1,024 bits indexed by each word's length and first and
/// last byte. A word not inserted is usually rejected without hashing it.
#[derive(Debug, Default)]
struct WordFilter {
    bits: [u64; 16],
}

impl WordFilter {
    fn slot(word: &str) -> usize {
        let b = word.as_bytes();
        let (first, last) = (b.first().copied(), b.last().copied());
        let h = (b.len() as u32).wrapping_mul(0x9E37_79B9)
            ^ u32::from(first.unwrap_or(0)).wrapping_mul(0x85EB_CA6B)
            ^ u32::from(last.unwrap_or(0)).wrapping_mul(0xC2B2_AE35);
        (h >> 22) as usize
    }

    /// Adds a word.
    fn insert(&mut self, word: &str) {
        let s = Self::slot(word);
        self.bits[s / 64] |= 1 << (s % 64);
    }

    /// False only if `word` was never inserted.
    fn may_contain(&self, word: &str) -> bool {
        let s = Self::slot(word);
        self.bits[s / 64] & (1 << (s % 64)) != 0
    }
}

/// Reusable buffers for lower-cased context words.
#[derive(Debug, Default)]
struct Scratch {
    prev: String,
    next: String,
    other: String,
}

/// Appends the lower-case form of `s` to `out`, exactly as [`str::to_lowercase`] would produce
/// it (ASCII without a Unicode round trip).
fn push_lower(s: &str, out: &mut String) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
    } else {
        out.push_str(&s.to_lowercase());
    }
}

/// `s` lower-cased: `s` itself when it is ASCII without upper-case letters (most context words:
/// "in", "said"), else its lower-case form written into `buf` (cleared first).
fn lower_into<'b>(s: &'b str, buf: &'b mut String) -> &'b str {
    if !s.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        return s;
    }
    buf.clear();
    push_lower(s, buf);
    buf
}

/// Context facts about one match.
#[derive(Debug, Default)]
struct Context {
    sent_start: bool,
    all_caps: bool,
    headline: bool,
    /// In a title-case line ([`TokInfo::TITLE`]).
    title: bool,
    prev_title: bool,
    prev_first_name: bool,
    next_speech_verb: bool,
    next_cap_word: bool,
    /// The word after is a person's title ("Turkish President Erdogan").
    next_title: bool,
    next_org_head: bool,
    /// The word after is a noun like "virus" ("West Nile virus").
    next_eponym_head: bool,
    /// ", which" or ", where" follows.
    relative_after: bool,
    prev_place_prep: bool,
    place_noun: bool,
    direction_before: bool,
    possessive: bool,
    hyphen_after: bool,
    prev_the: bool,
    /// A name in capitals after a number or "century" ("500 B.C.", "the fifth century BC").
    after_year: bool,
    inside_cap_run: bool,
}

/// Whether `before` (the text before a name) ends with the word "the" and a space ("in the
/// Levant", "The Balkans were").
fn after_definite_article(before: &str) -> bool {
    let Some(rest) = before.strip_suffix(' ') else {
        return false;
    };
    let Some(word_start) = rest.len().checked_sub(3) else {
        return false;
    };
    rest.is_char_boundary(word_start)
        && matches!(&rest[word_start..], "the" | "The")
        && !rest[..word_start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
}

/// Demonyms are decided by rule, not by the model: corpora disagree on whether to annotate them
/// (some do, some never do), so a model fitted on their mix would learn to drop them all. A
/// capitalized demonym refers to its country unless it is part of a longer proper name
/// ("Russian Orthodox Church"), names a disease ("Japanese encephalitis") or names a language
/// being spoken or written.
fn demonym_probability(c: &Context, single: bool) -> f64 {
    if c.next_cap_word && !c.next_title
        || c.next_org_head
        || c.next_eponym_head
        || c.all_caps && !c.headline
        || !single && c.sent_start
    {
        0.3
    } else {
        0.75
    }
}

/// Every token of `text` with its [`TokInfo`] flags, in one pass over the text: the tokens, what
/// each is on its own and where their sentences start as they come, the facts about a whole
/// sentence ([`sentence_flags`]) once it is complete. The indices of the capitalized words are
/// appended to `caps`; each complete sentence, from its first token's start to its last token's
/// end, is passed to `on_sentence`.
fn token_infos(
    text: &str,
    caps: &mut Vec<usize>,
    mut on_sentence: impl FnMut(Range<usize>),
) -> Vec<TokInfo> {
    // Room for every token of typical text (one per 4–6 bytes), so the vector rarely grows.
    let mut toks: Vec<TokInfo> = Vec::with_capacity(text.len() / 3 + 8);
    let mut prev_end = 0;
    let mut sentences = SentenceStarts::new(text);
    // The first token of the current sentence, and the number of capitalized words before it.
    let mut sent_first = 0;
    let mut caps_before = 0;
    for_each_token_with_facts(text, |tok, facts| {
        let k = toks.len();
        let mut flags = u16::from(facts.bits());
        if prev_end != tok.start {
            flags |= TokInfo::SPACE_BEFORE;
        }
        if sentences.starts(tok.start, facts.newline_before()) {
            sentence_flags(text, &mut toks[sent_first..], caps.len() - caps_before);
            on_sentence(toks[sent_first].start..prev_end);
            sent_first = k;
            caps_before = caps.len();
            flags |= TokInfo::SENT_BREAK;
        }
        if flags & TokInfo::CAP != 0 {
            caps.push(k);
        }
        toks.push(TokInfo {
            start: tok.start,
            end: tok.end,
            flags,
        });
        prev_end = tok.end;
    });
    sentence_flags(text, &mut toks[sent_first..], caps.len() - caps_before);
    if let Some(first) = toks.get(sent_first) {
        on_sentence(first.start..prev_end);
    }
    toks
}

/// Whether token `t` fits a title-case line: punctuation, a capitalized word, a number, the
/// rest of a word ("Nigeria's", "Russian-backed") or one of the words title case leaves in
/// lower case ([`text::is_title_minor`]).
fn title_cased(text: &str, t: &TokInfo) -> bool {
    let s = t.as_str(text);
    !t.is_word()
        || t.cap()
        || !t.space_before()
        || s.as_bytes()[0].is_ascii_digit()
        || text::is_title_minor(s)
}

/// Flags the first word of the tokens `sentence` of a sentence [`TokInfo::SENT_START`], and all
/// of them [`TokInfo::HEADLINE`] if it is one (at least three words, most of them in capitals)
/// or [`TokInfo::TITLE`] if it is written in title case (at least three words of four letters
/// or more, and every word capitalized but for numbers and the few that title case leaves in
/// lower case, "of", "in", "and"). A line in a script without case counts as title case too;
/// what the flag changes is gated by the English word list, so such lines are read as before.
/// `cap_words` is the number of its capitalized words.
fn sentence_flags(text: &str, sentence: &mut [TokInfo], cap_words: usize) {
    let Some(first) = sentence.iter_mut().find(|t| t.is_word()) else {
        return;
    };
    first.flags |= TokInfo::SENT_START;
    let (mut words, mut all_caps) = (0usize, 0usize);
    for t in sentence.iter() {
        words += usize::from(t.flags & TokInfo::WORD);
        all_caps += usize::from(t.flags & TokInfo::ALL_CAPS != 0);
    }
    let lower = words - cap_words;
    // Most sentences have more words in lower case than capitalized: no title case to look for.
    let title = || {
        lower * 2 < words
            && sentence
                .iter()
                .filter(|t| t.is_word() && t.end - t.start >= 4)
                .nth(2)
                .is_some()
            && sentence.iter().all(|t| title_cased(text, t))
    };
    let flag = if words >= 3 && all_caps * 2 > words {
        TokInfo::HEADLINE
    } else if title() {
        TokInfo::TITLE
    } else {
        return;
    };
    for t in sentence {
        t.flags |= flag;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definite_article_before_a_name() {
        let cases = [
            ("in the ", true),
            ("The ", true),
            ("peace in the  ", false),
            ("bathe ", false),
            ("in the", false),
            ("", false),
            ("«the ", true),
        ];
        for (before, want) in cases {
            assert_eq!(after_definite_article(before), want, "{before:?}");
        }
    }

    #[test]
    fn word_filter_has_no_false_negatives() {
        let words = [
            "",
            "a",
            "mobile",
            "reading",
            "aleppo",
            "ürümqi",
            "داريا",
            "x1",
        ];
        for n in 0..=words.len() {
            let mut f = WordFilter::default();
            for w in &words[..n] {
                f.insert(w);
            }
            for w in &words[..n] {
                assert!(f.may_contain(w), "{w}");
            }
        }
        let mut f = WordFilter::default();
        f.insert("mobile");
        let rejected = ["in", "the", "said", "reading", "town", "of"]
            .iter()
            .filter(|w| !f.may_contain(w))
            .count();
        assert!(rejected >= 5, "{rejected}");
    }

    #[test]
    fn push_lower_matches_to_lowercase() {
        for s in [
            "",
            "Aleppo",
            "U.S.",
            "ÜRÜMQI",
            "İstanbul",
            "ΟΔΟΣ",
            "داريا",
            "MiXeD 42",
            "said",
            "in 42",
            "élan",
        ] {
            let mut out = String::from(">");
            push_lower(s, &mut out);
            assert_eq!(out, format!(">{}", s.to_lowercase()), "{s}");
            let mut buf = String::from("junk");
            assert_eq!(lower_into(s, &mut buf), s.to_lowercase());
        }
    }

    #[test]
    fn token_infos_table() {
        // Per token: (text, sentence, sent_start, space_before, newline_before, headline).
        type Row = (&'static str, usize, bool, bool, bool, bool);
        let cases: &[(&str, &[Row])] = &[
            (
                "Gen. Smith left U.S. bases.\nREBELS TAKE TOWN",
                &[
                    ("Gen", 0, true, false, false, false),
                    (".", 0, false, false, false, false),
                    ("Smith", 0, false, true, false, false),
                    ("left", 0, false, true, false, false),
                    ("U", 0, false, true, false, false),
                    (".", 0, false, false, false, false),
                    ("S", 0, false, false, false, false),
                    (".", 0, false, false, false, false),
                    ("bases", 0, false, true, false, false),
                    (".", 0, false, false, false, false),
                    ("REBELS", 1, true, true, true, true),
                    ("TAKE", 1, false, true, false, true),
                    ("TOWN", 1, false, true, false, true),
                ],
            ),
            (
                "\"Hi.\" Dārayyā, داريا!  ok",
                &[
                    ("\"", 0, false, false, false, false),
                    ("Hi", 0, true, false, false, false),
                    (".", 0, false, false, false, false),
                    ("\"", 0, false, false, false, false),
                    ("Dārayyā", 1, true, true, false, false),
                    (",", 1, false, false, false, false),
                    ("داريا", 1, false, true, false, false),
                    ("!", 1, false, false, false, false),
                    ("ok", 1, false, true, false, false),
                ],
            ),
            (
                // A headline ended by a terminator and followed by a sentence that opens with
                // punctuation; a line break before the first token starts no sentence.
                "\nUN SAYS TALKS END. (Ok) Now",
                &[
                    ("UN", 0, true, true, true, true),
                    ("SAYS", 0, false, true, false, true),
                    ("TALKS", 0, false, true, false, true),
                    ("END", 0, false, true, false, true),
                    (".", 0, false, false, false, true),
                    ("(", 1, false, true, false, false),
                    ("Ok", 1, true, false, false, false),
                    (")", 1, false, false, false, false),
                    ("Now", 1, false, true, false, false),
                ],
            ),
        ];
        for (text, want) in cases {
            // Sentences are numbered by the sentence breaks before each token.
            let mut sent = 0;
            let mut caps = Vec::new();
            let infos = token_infos(text, &mut caps, |_| {});
            let got: Vec<Row> = infos
                .iter()
                .map(|t| {
                    sent += usize::from(t.has(TokInfo::SENT_BREAK));
                    (
                        t.as_str(text),
                        sent,
                        t.has(TokInfo::SENT_START),
                        t.space_before(),
                        t.has(TokInfo::NEWLINE_BEFORE),
                        t.has(TokInfo::HEADLINE),
                    )
                })
                .collect();
            let want: Vec<Row> = want.to_vec();
            assert_eq!(got, want, "{text:?}");
            // The capitalized words, in order.
            let cap_words: Vec<usize> = (0..infos.len())
                .filter(|&k| infos[k].is_word() && infos[k].cap())
                .collect();
            assert_eq!(caps, cap_words, "{text:?}");
        }
    }
}

#[cfg(test)]
mod title_tests {
    use super::*;

    /// Which sentences of a text are title-case lines, and which headlines in capitals.
    #[test]
    fn title_case_lines() {
        // (text, per sentence: TITLE, HEADLINE)
        let cases: &[(&str, &[(bool, bool)])] = &[
            (
                "Taliban Seize Kunduz After Fierce Fighting",
                &[(true, false)],
            ),
            // Short words title case leaves in lower case, numbers, possessives, hyphens.
            (
                "Gunmen Kill 20 Villagers in Northwest Nigeria's Zamfara State",
                &[(true, false)],
            ),
            (
                "Russian-backed Forces Advance on the Town of Pokrovsk",
                &[(true, false)],
            ),
            // A verb in lower case: a sentence with many names, not a title.
            (
                "Also in China, the Miss World 2007 was in Sanya on World AIDS Day.",
                &[(false, false)],
            ),
            (
                "Taliban fighters seized Kunduz after fierce fighting.",
                &[(false, false)],
            ),
            // Too few longer words to tell.
            ("Fighting in Kunduz", &[(false, false)]),
            ("TALIBAN SEIZE KUNDUZ", &[(false, true)]),
            // Each line is judged on its own.
            (
                "Storm Damage in Split and Nice Worse Than Feared\n\nThe storm hit the coast.",
                &[(true, false), (false, false)],
            ),
        ];
        for (text, want) in cases {
            let infos = token_infos(text, &mut Vec::new(), |_| {});
            let mut got = Vec::new();
            for t in &infos {
                if t.has(TokInfo::SENT_START) {
                    got.push((t.has(TokInfo::TITLE), t.has(TokInfo::HEADLINE)));
                }
            }
            assert_eq!(got, *want, "{text:?}");
        }
    }

    /// In a title-case line a capitalized common word is no part of a name: the place after
    /// "Seize" or before "Kills" is read as it is in the same words in sentence case.
    #[test]
    fn title_case_headlines_keep_their_places() {
        let g = Gazetteer::embedded();
        let r = Recognizer::new(g, Lexicon::embedded(), Model::embedded());
        let names = |text: &str| -> Vec<String> {
            r.recognize(text)
                .iter()
                .map(|m| text[m.byte_start..m.byte_end].to_string())
                .collect()
        };
        // (title-case line, the same words in sentence case, places in both)
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "Taliban Seize Kunduz After Fierce Fighting",
                "Taliban seize Kunduz after fierce fighting",
                &["Kunduz"],
            ),
            (
                "Israeli Strike on Tyre Kills Three, Lebanese Officials Say",
                "Israeli strike on Tyre kills three, Lebanese officials say",
                &["Israeli", "Tyre", "Lebanese"],
            ),
            (
                "President Ruto Visits Turkey Amid Trade Talks",
                "President Ruto visits Turkey amid trade talks",
                &["Turkey"],
            ),
        ];
        for (title, sentence, want) in cases {
            assert_eq!(names(title), *want, "{title:?}");
            assert_eq!(names(sentence), *want, "{sentence:?}");
        }
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;

    fn keys(ms: &[Mention]) -> Vec<&str> {
        ms.iter().map(|m| &*m.key).collect()
    }

    #[test]
    fn recognized_sentences_are_the_texts_sentences() {
        let tsv = "name\tlat\tlon\nAleppo\t36.2\t37.16\nSt. Louis\t38.6\t-90.2\n";
        let g = Gazetteer::from_places_tsv(tsv.as_bytes()).unwrap();
        let r = Recognizer::new(&g, Lexicon::embedded(), Model::embedded());
        let texts = [
            "",
            " \n ",
            "Shelling hit Aleppo. Gen. Ali left St. Louis!\n\nHEADLINE HERE\n“Why?” Then rain. ",
            "Done!\r\nNext?\tYes.\u{a0}",
            // Control characters where the tokens' sentences alone would differ.
            "\u{7}",
            "Aleppo fell.\n\u{7}\nThree died.",
            "Aleppo fell. \u{85}Then\u{1f}",
        ];
        for (i, text) in texts.into_iter().enumerate() {
            let sentences = check_sentences(&r, text);
            // The texts without control characters keep their tokens.
            let with_tokens = (0..sentences.ranges.len()).all(|k| sentences.tokens(k).is_some());
            assert_eq!(with_tokens, i < 4, "{text:?}");
        }
    }

    #[test]
    fn recognized_sentence_tokens_are_fresh_tokens_on_random_text() {
        let tsv = "name\tlat\tlon\nAleppo\t36.2\t37.16\n";
        let g = Gazetteer::from_places_tsv(tsv.as_bytes()).unwrap();
        let r = Recognizer::new(&g, Lexicon::embedded(), Model::embedded());
        // Texts strung together from pieces that matter to tokens or sentences.
        let pieces = [
            ".", "!", "?", "\"", "'", "’", ")", "”", "»", " ", "\t", "\r", "\n", "U", "S", "Gen",
            "St", "Aleppo", "ok", "Ö", "ß", "قال", "4", "3.5", "(", "“", "-", "\u{7}", "\u{a0}",
            "\u{2028}", "…", "e\u{301}",
        ];
        for text in text::testing::random_texts(0x9E37_79B9_7F4A_7C15, &pieces, 30, 3000) {
            check_sentences(&r, &text);
        }
    }

    /// Asserts that the sentences `r` finds in `text` are its [`text::sentences`], their tokens
    /// (if kept) those [`text::tokens`] finds in each sentence alone, and its mentions those of
    /// [`Recognizer::recognize`]; returns the sentences.
    fn check_sentences(r: &Recognizer, text: &str) -> Sentences {
        let (mentions, sentences) = r.recognize_with_sentences(text);
        assert_eq!(sentences.ranges, text::sentences(text), "{text:?}");
        for (k, range) in sentences.ranges.iter().enumerate() {
            if let Some(tokens) = sentences.tokens(k) {
                let tokens: Vec<Token> = tokens.collect();
                let fresh: Vec<Token> = text::tokens(&text[range.clone()])
                    .into_iter()
                    .map(|t| Token {
                        start: range.start + t.start,
                        end: range.start + t.end,
                        ..t
                    })
                    .collect();
                assert_eq!(tokens, fresh, "{text:?}, sentence {k}");
            }
        }
        assert_eq!(keys(&mentions), keys(&r.recognize(text)), "{text:?}");
        sentences
    }

    #[test]
    fn apostrophes_join_words_but_clitics_stay_apart() {
        let tsv = "name\tlat\tlon\nSanaa\t15.35\t44.2\nSana\t1.0\t1.0\nBaha\t20.0\t41.5\n\
                   Iraq\t33.0\t44.0\n";
        let g = Gazetteer::from_places_tsv(tsv.as_bytes()).unwrap();
        let r = Recognizer::new(&g, Lexicon::embedded(), Model::embedded());
        // (text, keys of the matches)
        let cases: [(&str, &[&str]); 5] = [
            ("Jets bombed Sana'a again.", &["sanaa"]),
            ("Jets bombed Sana\u{2019}a again.", &["sanaa"]),
            ("She kept the Baha\u{2019}i faith.", &[]),
            ("Iraq's army and Baha's port.", &["iraq", "baha"]),
            ("Sana'll do.", &["sana"]),
        ];
        for (text, want) in cases {
            assert_eq!(keys(&r.candidates(text)), want, "{text}");
        }
    }

    #[test]
    fn cached_continuations_match_fresh_walks() {
        let tsv = "name\tlat\tlon\nNew York\t40.7\t-74.0\nNew York City\t40.7\t-74.0\n\
                   Rif Dimashq\t33.5\t36.5\nSt. Louis\t38.6\t-90.2\nBay of Pigs\t22.1\t-81.2\n\
                   Sanaa\t15.35\t44.2\n";
        let g = Gazetteer::from_places_tsv(tsv.as_bytes()).unwrap();
        // (text, keys of the matches): the same continuations recur with other outcomes.
        let cases: [(&str, &[&str]); 6] = [
            (
                "New York City and New York.",
                &["new york city", "new york"],
            ),
            ("New York Times in New York.", &["new york", "new york"]),
            (
                "Rif Dimashq, Rif-Dimashq and Rif Aleppo.",
                &["rif dimashq", "rif dimashq"],
            ),
            ("St. Louis and St Louis.", &["st louis", "st louis"]),
            ("Bay of Pigs, Bay of Bengal.", &["bay of pigs"]),
            ("Sana'a, Sana\u{2019}a.", &["sanaa", "sanaa"]),
        ];
        for (text, want) in cases {
            // A new recognizer starts with an empty cache: cold, then warm.
            let r = Recognizer::new(&g, Lexicon::embedded(), Model::embedded());
            let cold = r.candidates(text);
            assert_eq!(keys(&cold), want, "{text}");
            assert_eq!(r.candidates(text), cold, "{text}");
        }
    }

    #[test]
    fn unlisted_spellings_are_found_by_fold() {
        let tsv = "name\tlat\tlon\tfeature_code\tcountry_code\tpopulation\n\
                   Al Qāmishlī\t37.05\t41.23\tPPLA2\tSY\t184231\n\
                   Terråk\t65.09\t12.37\tPPLA2\tNO\t540\n\
                   Bath\t51.38\t-2.36\tPPLA2\tGB\t101557\n";
        let g = Gazetteer::from_places_tsv(tsv.as_bytes()).unwrap();
        // (text, keys of the fold matches, keys accepted as places)
        let cases: [(&str, &[&str], &[&str]); 4] = [
            (
                "Shelling hit the outskirts of Qamishli. Residents of Qamishli fled.",
                &["qamishli", "qamishli"],
                &["qamishli", "qamishli"],
            ),
            // a given name that folds to a Norwegian village's name: a candidate, not a place
            (
                "Brigadier General Tarek Jabbar told reporters.",
                &["tarek"],
                &[],
            ),
            // "Bath" is written as news write it, so it is not in the fold map
            ("Beth Jones said the roads were mined.", &[], &[]),
            // a name that is listed is matched as such, not folded
            ("Rebels entered Al Qamishli.", &[], &["al qamishli"]),
        ];
        for (text, folded, accepted) in cases {
            let r = Recognizer::new(&g, Lexicon::embedded(), Model::embedded());
            let cold = r.candidates(text);
            let fold_keys: Vec<&str> = cold
                .iter()
                .filter(|m| m.candidates.iter().all(|c| c.1 == MatchKind::Fold))
                .map(|m| &*m.key)
                .collect();
            assert_eq!(fold_keys, folded, "{text}");
            assert_eq!(keys(&r.recognize(text)), accepted, "{text}");
            // warm: the fold lookups now come from the thread's cache
            assert_eq!(r.candidates(text), cold, "{text}");
        }
    }

    #[test]
    fn thread_cache_does_not_change_results() {
        let tsv = "name\tlat\tlon\nRif Dimashq\t33.5\t36.5\nAleppo\t36.2\t37.16\n";
        let g1 = Gazetteer::from_places_tsv(tsv.as_bytes()).unwrap();
        let tsv2 = "name\tlat\tlon\nAleppo Road\t1.0\t2.0\n";
        let g2 = Gazetteer::from_places_tsv(tsv2.as_bytes()).unwrap();
        let (lex, model) = (Lexicon::embedded(), Model::embedded());
        let r1 = Recognizer::new(&g1, lex, model);
        let r2 = Recognizer::new(&g2, lex, model);
        let text = "Shelling hit Aleppo and Rif Dimashq. Aleppo Road was closed.";
        let cold = r1.candidates(text);
        assert_eq!(keys(&cold), ["aleppo", "rif dimashq", "aleppo"]);
        // Warm: the first words, candidates and their summaries now come from the cache.
        assert_eq!(r1.candidates(text), cold);
        // Another gazetteer on the same thread must not see the first one's entries.
        let other = r2.candidates(text);
        assert_eq!(keys(&other), ["aleppo road"]);
        assert_eq!(r1.candidates(text), cold);
        assert_eq!(r2.candidates(text), other);
    }
}
