//! The geoparser: recognition plus resolution, text in, [`Toponym`]s out.
//!
//! Resolution reads a few facts of every candidate place (prior, codes, position); they are
//! functions of the gazetteer alone, so each thread keeps them across documents in a
//! [`FactCache`], and the document's countries and divisions are compared as small integers
//! rather than strings.

use std::cell::RefCell;
use std::collections::hash_map::Entry;

use rustc_hash::FxHashMap as HashMap;

use super::{Calibration, ConfidenceParts, MentionKind, Toponym};
use crate::gazetteer::{
    DefaultPrior, EARTH_RADIUS_KM, Gazetteer, MatchKind, Place, PlaceIdx, PlacePrior,
    is_country_code, match_weight,
};
use crate::recognize::{Features, Lexicon, Mention, Model, PlaceClass, Recognizer, Sentences};
use crate::text::CharOffsets;

/// Candidates per mention the resolver considers (postings come best static rank first).
const MAX_CANDIDATES: usize = 40;

/// Chooses one place per recognized mention. Implementations are interchangeable: the default
/// is [`ContextResolver`].
pub trait Disambiguator: Send + Sync {
    /// For each mention, the chosen place and the probability that the choice is right.
    fn resolve(&self, gaz: &Gazetteer, mentions: &[Mention]) -> Vec<Option<(PlaceIdx, f64)>>;
}

/// Names of the resolver's candidate features, in vector order.
pub const RESOLVER_FEATURES: &[&str] = &[
    "prior",
    "primary_name",
    "country",
    "admin1",
    "hierarchy",
    "proximity",
    "proximity_near",
    "country_vote",
    "admin1_vote",
    "seat_of_namesake",
    "described_kind",
];

/// Positions of the features in [`RESOLVER_FEATURES`] (checked by a test).
const F_PRIOR: usize = 0;
const F_PRIMARY: usize = 1;
const F_COUNTRY: usize = 2;
const F_ADMIN1: usize = 3;
const F_HIER: usize = 4;
const F_PROX: usize = 5;
const F_NEAR: usize = 6;
const F_CVOTE: usize = 7;
const F_AVOTE: usize = 8;
const F_SEAT: usize = 9;
const F_KIND: usize = 10;
/// Number of resolver features.
const NF: usize = 11;

const RESOLVER_WEIGHTS: &str = include_str!("../../data/models/resolver.tsv");

/// The default [`Disambiguator`]: every candidate gets evidence features — its prior
/// ([`DefaultPrior`]: feature importance, population, match quality), whether it lies in a
/// country or first-level division the document names, inside the place that qualifies it
/// ("Paris, Texas"), near the document's other places (spatial coherence), and how much of the
/// document's candidate mass falls in its country and division — combined by a logistic model
/// (`data/models/resolver.tsv`, fitted by `eventmap train`). Mentions with the same name share
/// one choice (one sense per discourse).
#[derive(Debug, Clone)]
pub struct ContextResolver {
    /// The model's weights in feature order, read once (see [`model_weights`]).
    weights: [f64; NF],
}

impl Default for ContextResolver {
    fn default() -> Self {
        ContextResolver::with_model(
            Model::from_tsv_named(RESOLVER_FEATURES, RESOLVER_WEIGHTS)
                .unwrap_or_else(|e| unreachable!("embedded resolver weights are valid: {e}")),
        )
    }
}

/// The weights `model` gives the features, by position, read as the scores of the unit
/// vectors. Scoring with them ([`logit`]) gives the same value as [`Model::logit`] (the same
/// products summed in the same order), up to the sign of a zero.
fn model_weights(model: &Model) -> [f64; NF] {
    let mut w = [0.0; NF];
    let mut f = Features::zeros(NF);
    for (i, w) in w.iter_mut().enumerate() {
        f.0.fill(0.0);
        f.0[i] = 1.0;
        *w = model.logit(&f);
    }
    w
}

/// The linear score of a feature vector.
fn logit(weights: &[f64; NF], f: &[f64; NF]) -> f64 {
    weights.iter().zip(f).map(|(w, x)| w * x).sum()
}

/// Feature-code classes the resolver tests ([`Facts::class`] bits).
const IS_COUNTRY: u16 = 1;
const IS_ADM1: u16 = 2;
const IS_ADM2: u16 = 4;
/// `CONT` or `RGN`: too big to anchor.
const IS_BROAD: u16 = 8;
/// `PPLA*` or `PPLC`: possibly the seat of a namesake division.
const IS_SEAT: u16 = 16;
/// No country code.
const NO_COUNTRY: u16 = 32;
/// `PPL*`: a populated place.
const IS_POPULATED: u16 = 64;
/// `ADM*`: an administrative division of any order.
const IS_DIVISION: u16 = 128;
/// A region, sea, range or other natural or named area (GeoNames classes `L`, `H`, `T`):
/// what "the Levant", "the Balkans" or "the Negev" names.
const IS_AREA: u16 = 256;

/// What the resolver reads of a place record: a function of the gazetteer alone.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Facts {
    /// The [`DefaultPrior`] score of an abbreviation match, whose [`match_weight`] is 0: the
    /// prior of a match of any kind is this plus its match weight.
    base_prior: f64,
    /// The place as a unit vector (see [`unit_vector`]).
    unit: [f64; 3],
    /// Code ids (see [`FactCache::read`]) of the country code and of (country code, admin1
    /// code): equal ids, equal codes.
    cc: u32,
    div: u32,
    /// `IS_*` bits.
    class: u16,
}

/// Entries a [`FactCache`] holds before it starts over (about 50 bytes each).
const FACT_CACHE_MAX: usize = 1 << 17;

/// Room a new [`FactCache`] makes at once for places and for divisions.
const FACT_CACHE_START: usize = 1 << 13;

/// Country-code ids are the codes' bytes (below this); division ids come after.
const COUNTRY_IDS: u32 = 1 << 16;

/// Per-thread memory of place [`Facts`] across documents, for one gazetteer at a time, with
/// the code ids they refer to and each code's number within the current document.
#[derive(Default)]
struct FactCache {
    /// [`Gazetteer::id`] of the gazetteer the entries belong to.
    owner: u64,
    facts: HashMap<u32, Facts>,
    /// (Country code bytes, admin1 code) → division id − [`COUNTRY_IDS`].
    divisions: HashMap<Box<[u8]>, u32>,
    /// Scratch for building division keys.
    key: Vec<u8>,
    /// Per code id: the document stamp it was last numbered in and its number there.
    local: Vec<(u32, u32)>,
    /// The current document's stamp.
    stamp: u32,
    /// Codes numbered in the current document.
    n_local: u32,
}

impl FactCache {
    /// Starts a document over `gaz`: empties the cache if it was another gazetteer's or has
    /// grown too big (never in the middle of a document: code ids must stay put), and starts a
    /// new document numbering.
    fn start(&mut self, gaz: &Gazetteer) {
        if self.owner != gaz.id()
            || self.facts.len() >= FACT_CACHE_MAX
            || self.divisions.len() >= FACT_CACHE_MAX
        {
            self.owner = gaz.id();
            self.facts.clear();
            self.facts.reserve(FACT_CACHE_START);
            self.divisions.clear();
            self.local.clear();
            self.local.reserve(COUNTRY_IDS as usize + FACT_CACHE_START);
            self.local.resize(COUNTRY_IDS as usize, (0, 0));
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.local.fill((0, 0));
            self.stamp = 1;
        }
        self.n_local = 0;
    }

    /// The facts of place `p` (`None` when the gazetteer has no such place).
    fn facts(&mut self, gaz: &Gazetteer, p: PlaceIdx) -> Option<Facts> {
        if let Some(f) = self.facts.get(&p.0) {
            return Some(*f);
        }
        let place = gaz.get(p)?;
        let f = self.read(&place);
        self.facts.insert(p.0, f);
        Some(f)
    }

    /// Reads the facts of a place record.
    fn read(&mut self, place: &Place<'_>) -> Facts {
        let fc = place.feature_code();
        let cc = place.country_code();
        let mut class = 0;
        for (bit, yes) in [
            (IS_COUNTRY, is_country_code(fc)),
            (IS_ADM1, fc == "ADM1"),
            (IS_ADM2, fc == "ADM2"),
            (IS_BROAD, matches!(fc, "CONT" | "RGN")),
            (IS_SEAT, fc.starts_with("PPLA") || fc == "PPLC"),
            (NO_COUNTRY, cc.is_empty()),
            (IS_POPULATED, fc.starts_with("PPL")),
            (IS_DIVISION, fc.starts_with("ADM")),
            (
                IS_AREA,
                matches!(place.feature_class(), 'L' | 'H' | 'T') && fc != "ZN",
            ),
        ] {
            if yes {
                class |= bit;
            }
        }
        // A country code has at most two bytes, none of them 0: its bytes are its id.
        let cc_bytes = match *cc.as_bytes() {
            [] => [0, 0],
            [a] => [a, 0],
            [a, b, ..] => [a, b],
        };
        self.key.clear();
        self.key.extend_from_slice(&cc_bytes);
        self.key.extend_from_slice(place.admin1_code().as_bytes());
        let div = match self.divisions.get(self.key.as_slice()) {
            Some(&id) => id,
            None => {
                let id = self.divisions.len() as u32;
                self.divisions.insert(self.key.as_slice().into(), id);
                self.local.push((0, 0));
                id
            }
        };
        Facts {
            base_prior: DefaultPrior.score(place, MatchKind::Abbreviation),
            unit: unit_vector(place.lat(), place.lon()),
            cc: u16::from_be_bytes(cc_bytes) as u32,
            div: COUNTRY_IDS + div,
            class,
        }
    }

    /// The number of code `id` in the current document (0, 1, 2, … in order of first use).
    fn local(&mut self, id: u32) -> usize {
        let e = &mut self.local[id as usize];
        if e.0 != self.stamp {
            *e = (self.stamp, self.n_local);
            self.n_local += 1;
        }
        e.1 as usize
    }
}

/// A candidate place of a mention, as the resolver sees it.
#[derive(Clone, Copy)]
struct Cand {
    idx: PlaceIdx,
    prior: f64,
    /// Matched by its primary or ASCII name.
    primary: bool,
    facts: Facts,
    /// Document numbers (see [`FactCache::local`]) of its country and its division codes.
    cc: usize,
    div: usize,
}

impl Cand {
    /// A candidate known by its place's facts alone (no prior, match or document numbers), as a
    /// qualifier is ("Texas" in "Paris, Texas").
    fn from_facts(idx: PlaceIdx, facts: Facts) -> Cand {
        Cand {
            idx,
            prior: 0.0,
            primary: false,
            facts,
            cc: 0,
            div: 0,
        }
    }

    fn is(&self, class: u16) -> bool {
        self.facts.class & class != 0
    }
}

/// Whether qualifier `q` ("Texas" in "Paris, Texas") contains place `p`.
fn qualifier_contains(gaz: &Gazetteer, q: &Cand, p: &Cand) -> bool {
    if q.idx == p.idx || q.is(NO_COUNTRY) {
        return false;
    }
    if q.is(IS_COUNTRY) {
        p.facts.cc == q.facts.cc
    } else if q.is(IS_ADM1) {
        p.facts.div == q.facts.div
    } else if q.is(IS_ADM2) {
        let a2 = |c: &Cand| gaz.get(c.idx).map(|p| p.admin2_code());
        p.facts.div == q.facts.div && a2(p) == a2(q)
    } else {
        false
    }
}

/// A candidate place with its features.
type Scored = (PlaceIdx, [f64; NF]);

/// What one mention says of one of its candidates beyond what every mention of its name says.
#[derive(Clone, Copy, Default)]
struct Flags {
    /// The candidate lies inside a place that qualifies the mention ("Paris, Texas").
    inside: bool,
    /// The candidate is of the kind the words around the mention name ("Hama province").
    described: bool,
    /// The mention follows "the" and the candidate is an area ("the Levant"): see
    /// [`ContextResolver::choose`].
    definite_area: bool,
}

impl Flags {
    /// `f` with this mention's features set.
    fn apply(self, mut f: [f64; NF]) -> [f64; NF] {
        f[F_HIER] = self.inside as u8 as f64;
        f[F_KIND] = self.described as u8 as f64;
        f
    }
}

/// Whether candidate `x` is of the kind `class`.
fn is_of_class(x: &Cand, class: PlaceClass) -> bool {
    match class {
        PlaceClass::Settlement => x.is(IS_POPULATED),
        PlaceClass::Division => x.is(IS_DIVISION),
    }
}

/// The evidence for one document: each distinct candidate list (a "group": the mentions of one
/// name share it) with its candidates' features, and for each mention its group and, when it
/// is qualified or described, its own [`Flags`] for each candidate.
#[derive(Default)]
struct Evidence {
    /// The candidates of every group, group after group, with their features; the
    /// "hierarchy" and "described_kind" features are 0 here (see `flags`).
    cands: Vec<Scored>,
    /// Group `g`'s candidates are `cands[group_at[g]..group_at[g + 1]]`.
    group_at: Vec<usize>,
    /// Each mention's group.
    group_of: Vec<usize>,
    /// For qualified or described mentions, where their candidates' flags start in `flags`.
    flags_at: Vec<Option<usize>>,
    flags: Vec<Flags>,
}

impl Evidence {
    /// Mention `k`'s candidates with their features, and its own flags if it has any.
    fn row(&self, k: usize) -> (&[Scored], Option<&[Flags]>) {
        let g = self.group_of[k];
        let c = &self.cands[self.group_at[g]..self.group_at[g + 1]];
        (c, self.flags_at[k].map(|h| &self.flags[h..h + c.len()]))
    }
}

/// How strongly the other names of a document name a country or division: the largest weight
/// (`m1`, given by key `k1`) and the largest among keys other than `k1` (`m2`).
#[derive(Clone, Copy)]
struct Naming {
    m1: f64,
    k1: usize,
    m2: f64,
}

impl Naming {
    const NONE: Naming = Naming {
        m1: 0.0,
        k1: usize::MAX,
        m2: 0.0,
    };

    /// The largest weight given by a key other than `own` (0 when none).
    fn by_others(&self, own: usize) -> f64 {
        if own != self.k1 { self.m1 } else { self.m2 }
    }
}

/// Fills `t` with the [`Naming`]s of `entries` (code number, key, weight), indexed by code
/// number.
fn namings(entries: &[(usize, usize, f64)], n: usize, t: &mut Vec<Naming>) {
    t.clear();
    t.resize(n, Naming::NONE);
    for &(c, key, w) in entries {
        if w > t[c].m1 {
            t[c].m1 = w;
            t[c].k1 = key;
        }
    }
    for &(c, key, w) in entries {
        if key != t[c].k1 {
            t[c].m2 = t[c].m2.max(w);
        }
    }
}

/// What a candidate loses when the mention follows "the" and another candidate is an area (a
/// margin no evidence overcomes).
const NOT_THE_AREA: f64 = 50.0;

/// Distance (km) from which an anchor adds no proximity evidence (a [`biweight`] kernel: half
/// of its weight at 490 km).
const PROXIMITY_KM: f64 = 900.0;
/// The same for the local scale (neighbouring towns of one county or metro area; half at
/// 80 km).
const NEAR_KM: f64 = 150.0;

/// A thread's resolver memory: the fact cache, and buffers reused from document to document.
#[derive(Default)]
struct Workspace {
    cache: FactCache,
    ev: Evidence,
    s: Scratch,
    places: PlaceFieldsCache,
}

/// What a [`Toponym`] says of its place, as [`Geoparser::geoparse`] writes it: a function of
/// the gazetteer alone.
#[derive(Debug, Clone, PartialEq)]
struct PlaceFields {
    geonameid: Option<u32>,
    lat: f64,
    lon: f64,
    feature_code: String,
    country_code: String,
    admin1: String,
}

impl PlaceFields {
    fn read(gaz: &Gazetteer, place: &Place<'_>) -> PlaceFields {
        PlaceFields {
            geonameid: place.geonameid(),
            lat: round6(place.lat()),
            lon: round6(place.lon()),
            feature_code: place.feature_code().to_string(),
            country_code: place.country_code().to_string(),
            admin1: admin1_name(gaz, place),
        }
    }
}

/// Per-thread memory of [`PlaceFields`] across documents, for one gazetteer at a time (places
/// recur from document to document; their records need not be decoded again).
#[derive(Default)]
struct PlaceFieldsCache {
    /// [`Gazetteer::id`] of the gazetteer the entries belong to.
    owner: u64,
    fields: HashMap<u32, PlaceFields>,
}

impl PlaceFieldsCache {
    /// The fields of place `p` (`None` when the gazetteer has no such place).
    fn get(&mut self, gaz: &Gazetteer, p: PlaceIdx) -> Option<&PlaceFields> {
        if self.owner != gaz.id() || self.fields.len() >= FACT_CACHE_MAX {
            self.owner = gaz.id();
            self.fields.clear();
        }
        match self.fields.entry(p.0) {
            Entry::Occupied(e) => Some(e.into_mut()),
            Entry::Vacant(e) => {
                let place = gaz.get(p)?;
                Some(e.insert(PlaceFields::read(gaz, &place)))
            }
        }
    }
}

/// Per-document working buffers (see [`evidence`] for what they hold).
#[derive(Default)]
struct Scratch {
    cands: Vec<Cand>,
    group_key: Vec<usize>,
    group_of_key: Vec<Option<(usize, usize)>>,
    group_first: Vec<Option<usize>>,
    named_countries: Vec<(usize, usize, f64)>,
    named_admin1s: Vec<(usize, usize, f64)>,
    countries: Vec<Naming>,
    admin1s: Vec<Naming>,
    seen: Vec<bool>,
    vote: Vec<f64>,
    own_at: Vec<Option<(usize, usize)>>,
    own_list: Vec<(usize, f64)>,
    acc: Vec<f64>,
    touched: Vec<bool>,
    order: Vec<usize>,
    exps: Vec<f64>,
    anchored: Vec<bool>,
    anchors: Vec<Anchor>,
    /// The anchors of the next pass, while they are compared with the last (see [`reanchor`]).
    next_anchors: Vec<Anchor>,
    own: Vec<f64>,
    own_divisions: Vec<usize>,
    quals: Vec<Cand>,
    // For `choose`.
    group_scores: Vec<f64>,
    hier_scores: Vec<f64>,
    key_at: Vec<usize>,
    next: Vec<usize>,
    by_key: Vec<usize>,
    total: Vec<f64>,
}

thread_local! {
    /// One resolver workspace per thread.
    static WORKSPACE: RefCell<Workspace> = RefCell::new(Workspace::default());
}

/// Empties `v` and fills it with `n` copies of `x`, keeping its allocation.
fn reset<T: Clone>(v: &mut Vec<T>, n: usize, x: T) {
    v.clear();
    v.resize(n, x);
}

impl ContextResolver {
    /// A resolver with the given weights (over [`RESOLVER_FEATURES`]).
    pub fn with_model(model: Model) -> Self {
        ContextResolver {
            weights: model_weights(&model),
        }
    }

    /// The candidates of every mention with their evidence features. The document's context
    /// (its countries, divisions and anchor points) is read from each mention's best candidate
    /// by prior alone.
    pub fn candidate_features(
        &self,
        gaz: &Gazetteer,
        mentions: &[Mention],
    ) -> Vec<Vec<(PlaceIdx, Features)>> {
        let key_ids = key_ids(mentions);
        WORKSPACE.with_borrow_mut(|w| {
            evidence(w, gaz, mentions, &key_ids);
            let ev = &w.ev;
            (0..mentions.len())
                .map(|k| {
                    let (c, flags) = ev.row(k);
                    c.iter()
                        .enumerate()
                        .map(|(i, (p, f))| {
                            let own = flags.map_or(Flags::default(), |h| h[i]);
                            (*p, Features(own.apply(*f).to_vec()))
                        })
                        .collect()
                })
                .collect()
        })
    }

    /// For each mention, its chosen place and the probability that it is right. Mentions with
    /// the same key share one choice, scored by the mean of their evidence; a qualified
    /// occurrence ("Paris, Texas") counts for all (one sense per discourse).
    fn choose(
        &self,
        key_ids: &[usize],
        ev: &Evidence,
        s: &mut Scratch,
    ) -> Vec<Option<(PlaceIdx, f64)>> {
        let w = &self.weights;
        s.group_scores.clear();
        s.group_scores
            .extend(ev.cands.iter().map(|(_, f)| logit(w, f)));
        reset(&mut s.hier_scores, ev.flags.len(), 0.0);
        let n = key_ids.len();
        for k in 0..n {
            if let Some(h) = ev.flags_at[k] {
                let (c, flags) = ev.row(k);
                let flags = flags.unwrap_or(&[]);
                // "the Middle East", "the Levant": a name that follows the article and that an
                // area bears is the area, not the town or neighbourhood of the same name
                // (Middle East in Baltimore, Levant in Maine), whatever the country around.
                let area = flags.iter().any(|f| f.definite_area);
                for (i, ((_, f), &own)) in c.iter().zip(flags).enumerate() {
                    let not_area = if area && !own.definite_area {
                        NOT_THE_AREA
                    } else {
                        0.0
                    };
                    s.hier_scores[h + i] = logit(w, &own.apply(*f)) - not_area;
                }
            }
        }
        let (group_scores, hier_scores) = (&s.group_scores, &s.hier_scores);
        let scores = |k: usize| -> &[f64] {
            let g = ev.group_of[k];
            match ev.flags_at[k] {
                Some(h) => &hier_scores[h..h + ev.group_at[g + 1] - ev.group_at[g]],
                None => &group_scores[ev.group_at[g]..ev.group_at[g + 1]],
            }
        };
        // The mentions of each key, in text order.
        let keys = key_ids.iter().max().map_or(0, |&m| m + 1);
        reset(&mut s.key_at, keys + 1, 0);
        for &id in key_ids {
            s.key_at[id + 1] += 1;
        }
        for i in 0..keys {
            s.key_at[i + 1] += s.key_at[i];
        }
        s.next.clear();
        s.next.extend_from_slice(&s.key_at);
        reset(&mut s.by_key, n, 0);
        for (k, &id) in key_ids.iter().enumerate() {
            s.by_key[s.next[id]] = k;
            s.next[id] += 1;
        }
        let mut out = vec![None; n];
        let total = &mut s.total;
        for id in 0..keys {
            let ks = &s.by_key[s.key_at[id]..s.key_at[id + 1]];
            let Some(&k0) = ks.first() else { continue };
            let len = scores(k0).len();
            if len == 0 {
                continue;
            }
            reset(total, len, 0.0);
            let mut same = 0usize;
            for &k in ks.iter().filter(|&&k| scores(k).len() == len) {
                same += 1;
                for (t, s) in total.iter_mut().zip(scores(k)) {
                    *t += s;
                }
            }
            for t in total.iter_mut() {
                *t /= same.max(1) as f64;
            }
            for &k in ks {
                let row = if scores(k).len() == len {
                    &total[..]
                } else {
                    scores(k)
                };
                if row.is_empty() {
                    continue;
                }
                let b = best_by_idx(row);
                let g = ev.group_of[k];
                out[k] = Some((ev.cands[ev.group_at[g] + b].0, sigmoid(row[b])));
            }
        }
        out
    }
}

/// Fills the workspace's [`Evidence`] for `mentions` (with their key ids).
fn evidence(w: &mut Workspace, gaz: &Gazetteer, mentions: &[Mention], key_ids: &[usize]) {
    let Workspace { cache, ev, s, .. } = w;
    cache.start(gaz);
    let n = mentions.len();
    // Mentions of one name have the same candidates: read them once per name.
    let cands = &mut s.cands;
    cands.clear();
    reset(&mut ev.group_at, 1, 0);
    s.group_key.clear();
    ev.group_of.clear();
    reset(&mut s.group_of_key, n, None);
    for (k, m) in mentions.iter().enumerate() {
        let earlier = s.group_of_key[key_ids[k]].filter(|&(j, _)| {
            let o = &mentions[j];
            o.kind == m.kind && o.candidates == m.candidates
        });
        if let Some((_, g)) = earlier {
            ev.group_of.push(g);
            continue;
        }
        let demonym = m.kind == MentionKind::Demonym;
        for &(p, kind) in m
            .candidates
            .iter()
            .filter(|(_, k)| !demonym || *k == MatchKind::Demonym)
            .take(MAX_CANDIDATES)
        {
            let Some(facts) = cache.facts(gaz, p) else {
                continue;
            };
            cands.push(Cand {
                idx: p,
                prior: facts.base_prior + match_weight(kind),
                primary: matches!(
                    kind,
                    MatchKind::Primary | MatchKind::Ascii | MatchKind::Variant
                ),
                facts,
                cc: cache.local(facts.cc),
                div: cache.local(facts.div),
            });
        }
        let g = s.group_key.len();
        ev.group_at.push(cands.len());
        s.group_key.push(key_ids[k]);
        ev.group_of.push(g);
        s.group_of_key[key_ids[k]] = Some((k, g));
    }
    let cands = &s.cands;
    let group_at = &ev.group_at;
    let group_of = &ev.group_of;
    let group = |g: usize| &cands[group_at[g]..group_at[g + 1]];
    // Each group's best candidate by prior (an index into `cands`).
    s.group_first.clear();
    s.group_first.extend(
        (0..s.group_key.len()).map(|g| best_by(group(g), |x| x.prior).map(|i| group_at[g] + i)),
    );
    let group_first = &s.group_first;
    let codes = cache.n_local as usize;

    // The countries and divisions the document names, with who names them: a name is not
    // evidence for its own other readings ("Mexico" the country does not argue for "Mexico"
    // the state).
    s.named_countries.clear();
    s.named_admin1s.clear();
    for (k, m) in mentions.iter().enumerate() {
        let Some(b) = group_first[group_of[k]] else {
            continue;
        };
        let p = &cands[b];
        let conf = m.probability;
        if !p.is(NO_COUNTRY) {
            let w = if p.is(IS_COUNTRY) { conf } else { conf * 0.5 };
            s.named_countries.push((p.cc, key_ids[k], w));
        }
        if p.is(IS_ADM1) {
            s.named_admin1s.push((p.div, key_ids[k], conf));
        }
    }
    namings(&s.named_countries, codes, &mut s.countries);
    namings(&s.named_admin1s, codes, &mut s.admin1s);
    // Naming one country says more about where the places of a document are than naming one
    // of several (the powers at a peace conference).
    reset(&mut s.seen, codes, false);
    let mut country_count = 0usize;
    for &(c, _, _) in &s.named_countries {
        if !std::mem::replace(&mut s.seen[c], true) {
            country_count += 1;
        }
    }
    let country_count = country_count.max(1) as f64;

    // Soft votes: each distinct name spreads its prior (softmax) over its candidates'
    // countries and divisions. A candidate is judged by the other names' votes. Country and
    // division codes have distinct numbers, so one table holds both.
    reset(&mut s.vote, codes, 0.0);
    reset(&mut s.own_at, n, None);
    s.own_list.clear();
    reset(&mut s.acc, codes, 0.0);
    reset(&mut s.touched, codes, false);
    let mut voters = 0usize;
    for k in 0..n {
        let c = group(group_of[k]);
        if c.is_empty() || s.own_at[key_ids[k]].is_some() {
            continue;
        }
        let top = c.iter().map(|x| x.prior).fold(f64::MIN, f64::max);
        s.exps.clear();
        s.exps.extend(c.iter().map(|x| (x.prior - top).exp()));
        let z: f64 = s.exps.iter().copied().sum();
        s.order.clear();
        for (x, &e) in c.iter().zip(&s.exps) {
            let p = e / z;
            for code in [x.cc, x.div] {
                if !std::mem::replace(&mut s.touched[code], true) {
                    s.order.push(code);
                }
                s.acc[code] += p;
            }
        }
        let start = s.own_list.len();
        for &code in &s.order {
            s.vote[code] += s.acc[code];
            s.own_list.push((code, s.acc[code]));
            s.acc[code] = 0.0;
            s.touched[code] = false;
        }
        s.own_at[key_ids[k]] = Some((start, s.own_list.len()));
        voters += 1;
    }
    let others = (voters.max(2) - 1) as f64;

    // Anchor points for spatial coherence: the prior's choice of every other mention (see
    // `anchors`).
    anchors(
        mentions,
        key_ids,
        |k| group_first[group_of[k]],
        cands,
        &mut s.anchored,
        &mut s.anchors,
    );

    // The features of each group's candidates (every mention of a name shares them, but for
    // the hierarchy flags of qualified mentions, below).
    ev.cands.clear();
    reset(&mut s.own, codes, 0.0);
    for (g, &key) in s.group_key.iter().enumerate() {
        let c = group(g);
        let own_votes = s.own_at[key].map_or(&[][..], |(a, b)| &s.own_list[a..b]);
        for &(code, v) in own_votes {
            s.own[code] = v;
        }
        // The divisions among this name's own readings (for the seat feature).
        s.own_divisions.clear();
        s.own_divisions
            .extend(c.iter().filter(|o| o.is(IS_ADM1)).map(|o| o.div));
        for x in c {
            let mut f = [0.0; NF];
            f[F_PRIOR] = x.prior / 10.0;
            f[F_PRIMARY] = x.primary as u8 as f64;
            if !x.is(IS_COUNTRY) {
                f[F_COUNTRY] = s.countries[x.cc].by_others(key) / country_count;
            }
            if !x.is(IS_ADM1) {
                f[F_ADMIN1] = s.admin1s[x.div].by_others(key);
            }
            [f[F_PROX], f[F_NEAR]] = proximity_features(x.facts.unit, key, &s.anchors);
            f[F_CVOTE] = (s.vote[x.cc] - s.own[x.cc]).max(0.0) / others;
            f[F_AVOTE] = (s.vote[x.div] - s.own[x.div]).max(0.0) / others;
            // The seat of a division that has the same name ("Gao", "Aleppo"): the mention
            // names both, and the model learns which is meant.
            let seat = x.is(IS_SEAT) && s.own_divisions.contains(&x.div);
            f[F_SEAT] = seat as u8 as f64;
            ev.cands.push((x.idx, f));
        }
        for &(code, _) in own_votes {
            s.own[code] = 0.0;
        }
    }

    // Qualifiers: the places a qualifying mention may stand for, and which candidates of the
    // qualified mention lie inside one of them; and which are of the kind the text names.
    reset(&mut ev.flags_at, n, None);
    ev.flags.clear();
    for (k, m) in mentions.iter().enumerate() {
        let c = group(group_of[k]);
        // "the Levant" among a town of that name; "the Jordan", "the Gambia": where a country
        // has the name, the article decides nothing.
        let definite =
            m.definite && c.iter().any(|x| x.is(IS_AREA)) && !c.iter().any(|x| x.is(IS_COUNTRY));
        if m.qualifier.is_none()
            && m.ap_qualifier.is_none()
            && m.described_as.is_none()
            && !definite
        {
            continue;
        }
        s.quals.clear();
        if let Some(q) = m.qualifier {
            s.quals.extend(group(group_of[q]).iter().take(8).copied());
        }
        if let Some(code) = &m.ap_qualifier
            && let Some((cc, a1)) = code.split_once('.')
            && let Some(p) = gaz.admin1(cc, a1)
            && let Some(facts) = cache.facts(gaz, p.idx())
        {
            s.quals.push(Cand::from_facts(p.idx(), facts));
        }
        ev.flags_at[k] = Some(ev.flags.len());
        ev.flags.extend(c.iter().map(|x| Flags {
            inside: s.quals.iter().any(|q| qualifier_contains(gaz, q, x)),
            described: m.described_as.is_some_and(|c| is_of_class(x, c)),
            definite_area: definite && x.is(IS_AREA),
        }));
    }
}

/// The anchor points of spatial coherence: for each name, the place `pick` gives its first
/// mention (an index into `cands`), weighted by the mention's recognition probability; countries,
/// broad regions and first-level divisions are too big to anchor. A name anchors once, and is
/// never its own anchor.
fn anchors(
    mentions: &[Mention],
    key_ids: &[usize],
    pick: impl Fn(usize) -> Option<usize>,
    cands: &[Cand],
    anchored: &mut Vec<bool>,
    out: &mut Vec<Anchor>,
) {
    reset(anchored, mentions.len(), false);
    out.clear();
    for (k, m) in mentions.iter().enumerate() {
        let Some(b) = pick(k) else {
            continue;
        };
        let c = &cands[b];
        if c.is(IS_COUNTRY | IS_BROAD | IS_ADM1) {
            continue;
        }
        let key = key_ids[k];
        if std::mem::replace(&mut anchored[key], true) {
            continue;
        }
        out.push(Anchor {
            key,
            unit: c.facts.unit,
            weight: m.probability,
        });
    }
}

/// Anchors the document's names at the places `chosen` for them (by the previous pass of
/// [`ContextResolver::choose`]) instead of their prior's choice, and recomputes the proximity
/// features of every candidate. Returns false, changing nothing, when the anchors stay as they
/// are (the features would too).
fn reanchor(
    w: &mut Workspace,
    mentions: &[Mention],
    key_ids: &[usize],
    chosen: &[Option<(PlaceIdx, f64)>],
) -> bool {
    let Workspace { ev, s, .. } = w;
    let (group_at, group_of) = (&ev.group_at, &ev.group_of);
    let cands = &s.cands;
    let pick = |k: usize| {
        let (p, _) = chosen[k]?;
        let g = group_of[k];
        (group_at[g]..group_at[g + 1]).find(|&i| cands[i].idx == p)
    };
    let mut next = std::mem::take(&mut s.next_anchors);
    anchors(mentions, key_ids, pick, cands, &mut s.anchored, &mut next);
    if next == s.anchors {
        s.next_anchors = next;
        return false;
    }
    s.next_anchors = std::mem::replace(&mut s.anchors, next);
    for (g, &key) in s.group_key.iter().enumerate() {
        let range = group_at[g]..group_at[g + 1];
        for ((_, f), x) in ev.cands[range.clone()].iter_mut().zip(&cands[range]) {
            [f[F_PROX], f[F_NEAR]] = proximity_features(x.facts.unit, key, &s.anchors);
        }
    }
    true
}

/// The proximity features of a point (a unit vector) from the anchors of names other than
/// `key`: [`proximity`] capped and scaled to 0–1.
fn proximity_features(u: [f64; 3], key: usize, anchors: &[Anchor]) -> [f64; 2] {
    let (prox, near) = proximity(u, key, anchors);
    [
        prox.min(PROXIMITY_CAP) / PROXIMITY_CAP,
        near.min(PROXIMITY_CAP) / PROXIMITY_CAP,
    ]
}

/// Proximity evidence of a point (a unit vector) from the anchors of names other than `key`:
/// the sums of their weights decayed to zero over [`PROXIMITY_KM`] and [`NEAR_KM`].
///
/// Both are used capped at [`PROXIMITY_CAP`], and the terms are never negative, so a sum that
/// has reached the cap is final: its remaining terms are not computed.
fn proximity(u: [f64; 3], key: usize, anchors: &[Anchor]) -> (f64, f64) {
    let mut prox = 0.0f64;
    let mut near = 0.0f64;
    for a in anchors {
        if a.key == key {
            continue;
        }
        let d2 = chord2_km2(u, a.unit);
        // Both kernels are zero beyond PROXIMITY_KM (NEAR_KM is the shorter).
        if d2 >= PROXIMITY_KM * PROXIMITY_KM {
            continue;
        }
        if prox < PROXIMITY_CAP {
            prox += a.weight * biweight(d2 / (PROXIMITY_KM * PROXIMITY_KM));
        }
        near += a.weight * biweight(d2 / (NEAR_KM * NEAR_KM));
        if prox >= PROXIMITY_CAP && near >= PROXIMITY_CAP {
            break;
        }
    }
    (prox, near)
}

/// The biweight kernel (1 − x²)² of a squared scaled distance `x2`, zero from 1 on: the
/// closeness of two points with no exponential, square root or arc sine.
fn biweight(x2: f64) -> f64 {
    if x2 < 1.0 {
        let t = 1.0 - x2;
        t * t
    } else {
        0.0
    }
}

/// The largest proximity sum that counts.
const PROXIMITY_CAP: f64 = 3.0;

/// A point the document's places cluster around.
#[derive(Debug, Clone, PartialEq)]
struct Anchor {
    key: usize,
    /// The point as a unit vector (see [`unit_vector`]).
    unit: [f64; 3],
    weight: f64,
}

fn unit_vector(lat: f64, lon: f64) -> [f64; 3] {
    let (sp, cp) = lat.to_radians().sin_cos();
    let (sl, cl) = lon.to_radians().sin_cos();
    [cp * cl, cp * sl, sp]
}

/// The squared chord between two unit vectors, in km²: 2R²(1 − u·v). The chord is shorter than
/// the great-circle arc by less than 1% up to 1,500 km, and needs no square root or arc sine.
fn chord2_km2(u: [f64; 3], v: [f64; 3]) -> f64 {
    (2.0 - 2.0 * dot(u, v)).max(0.0) * (EARTH_RADIUS_KM * EARTH_RADIUS_KM)
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// A small integer per distinct mention key (same key, same id; 0, 1, 2, … in text order).
fn key_ids(mentions: &[Mention]) -> Vec<usize> {
    let mut ids: HashMap<&str, usize> =
        HashMap::with_capacity_and_hasher(mentions.len(), Default::default());
    mentions
        .iter()
        .map(|m| {
            let next = ids.len();
            *ids.entry(&*m.key).or_insert(next)
        })
        .collect()
}

/// At most this many passes of choosing places: the first reads the document's other names as
/// their prior would choose them, the next ones as the pass before did (measured on the dev
/// corpora, a third pass still helps a little and a fourth no more).
const PASSES: usize = 3;

impl Disambiguator for ContextResolver {
    fn resolve(&self, gaz: &Gazetteer, mentions: &[Mention]) -> Vec<Option<(PlaceIdx, f64)>> {
        let key_ids = key_ids(mentions);
        WORKSPACE.with_borrow_mut(|w| {
            evidence(w, gaz, mentions, &key_ids);
            let mut chosen = self.choose(&key_ids, &w.ev, &mut w.s);
            // Refinement: the other names are read as the last pass chose them, not as their
            // prior would, until the anchors stop changing.
            for _ in 1..PASSES {
                if !reanchor(w, mentions, &key_ids, &chosen) {
                    break;
                }
                chosen = self.choose(&key_ids, &w.ev, &mut w.s);
            }
            chosen
        })
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

fn best_by(c: &[Cand], f: impl Fn(&Cand) -> f64) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, x) in c.iter().enumerate() {
        let s = f(x);
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    best.map(|b| b.0)
}

fn best_by_idx(s: &[f64]) -> usize {
    let mut best = 0;
    for (i, &v) in s.iter().enumerate() {
        if v > s[best] {
            best = i;
        }
    }
    best
}

/// Text in, resolved toponyms out.
///
/// ```no_run
/// use eventmap::resolve::Geoparser;
/// use eventmap::gazetteer::Gazetteer;
///
/// let gp = Geoparser::new(Gazetteer::embedded());
/// let tops = gp.geoparse("Fighting continued in Aleppo.");
/// assert_eq!(tops[0].geonameid, Some(170063));
/// ```
pub struct Geoparser<'g> {
    gaz: &'g Gazetteer,
    recognizer: Recognizer<'g>,
    resolver: Box<dyn Disambiguator + 'g>,
    calibration: Calibration,
    /// Toponyms with a lower confidence are dropped.
    min_confidence: f64,
}

impl<'g> Geoparser<'g> {
    /// A geoparser with the embedded lexicon and model and the default resolver.
    pub fn new(gaz: &'g Gazetteer) -> Self {
        Geoparser {
            gaz,
            recognizer: Recognizer::new(gaz, Lexicon::embedded(), Model::embedded()),
            resolver: Box::new(ContextResolver::default()),
            calibration: Calibration::embedded(),
            min_confidence: 0.0,
        }
    }

    /// Replaces the disambiguation method.
    pub fn with_resolver(mut self, resolver: Box<dyn Disambiguator + 'g>) -> Self {
        self.resolver = resolver;
        self
    }

    /// Replaces the recognizer (one with other weights, say).
    pub fn with_recognizer(mut self, recognizer: Recognizer<'g>) -> Self {
        self.recognizer = recognizer;
        self
    }

    /// Replaces the confidence calibration ([`Calibration::identity`] gives the raw products
    /// of the two models' probabilities).
    pub fn with_calibration(mut self, calibration: Calibration) -> Self {
        self.calibration = calibration;
        self
    }

    /// Drops the toponyms whose confidence (as written, to three decimals) is below `p`; the
    /// default, 0, keeps all.
    pub fn with_min_confidence(mut self, p: f64) -> Self {
        self.min_confidence = p;
        self
    }

    /// The recognizer in use.
    pub fn recognizer(&self) -> &Recognizer<'g> {
        &self.recognizer
    }

    /// Finds and resolves every place named in `text`, in text order.
    pub fn geoparse(&self, text: &str) -> Vec<Toponym> {
        let mentions = self.recognizer.recognize(text);
        self.resolve(text, &mentions, None)
    }

    /// [`Geoparser::geoparse`], and for each toponym the two probabilities its confidence is
    /// calibrated from (what `eventmap train` fits the calibration on).
    pub fn geoparse_with_parts(&self, text: &str) -> (Vec<Toponym>, Vec<ConfidenceParts>) {
        let mentions = self.recognizer.recognize(text);
        let mut parts = Vec::new();
        let toponyms = self.resolve(text, &mentions, Some(&mut parts));
        (toponyms, parts)
    }

    /// [`Geoparser::geoparse`], and the sentences of `text` (byte ranges, as
    /// [`crate::text::sentences`] gives them, and their tokens), which recognizing finds on the
    /// way.
    pub fn geoparse_with_sentences(&self, text: &str) -> (Vec<Toponym>, Sentences) {
        let (mentions, sentences) = self.recognizer.recognize_with_sentences(text);
        (self.resolve(text, &mentions, None), sentences)
    }

    /// The toponyms of the place names `mentions` recognized in `text`, resolved; the
    /// probabilities behind each one's confidence are pushed to `parts` when given.
    fn resolve(
        &self,
        text: &str,
        mentions: &[Mention],
        mut parts: Option<&mut Vec<ConfidenceParts>>,
    ) -> Vec<Toponym> {
        let choices = self.resolver.resolve(self.gaz, mentions);
        let mut offsets = CharOffsets::new(text);
        let mut out = Vec::with_capacity(mentions.len());
        WORKSPACE.with_borrow_mut(|w| {
            for (m, choice) in mentions.iter().zip(choices) {
                let Some((idx, p_resolve)) = choice else {
                    continue;
                };
                let Some(place) = w.places.get(self.gaz, idx) else {
                    continue;
                };
                let start = offsets.char_offset(m.byte_start);
                let end = offsets.char_offset(m.byte_end);
                let p = ConfidenceParts {
                    recognized: m.probability,
                    resolved: p_resolve,
                    kind: m.kind,
                };
                let confidence = round3(self.calibration.apply(p));
                if confidence < self.min_confidence {
                    continue;
                }
                if let Some(parts) = parts.as_deref_mut() {
                    parts.push(p);
                }
                out.push(Toponym {
                    start,
                    end,
                    byte_start: m.byte_start,
                    byte_end: m.byte_end,
                    name: text[m.byte_start..m.byte_end].to_string(),
                    geonameid: place.geonameid,
                    lat: place.lat,
                    lon: place.lon,
                    feature_code: place.feature_code.clone(),
                    country_code: place.country_code.clone(),
                    admin1: place.admin1.clone(),
                    kind: m.kind,
                    confidence,
                });
            }
        });
        out
    }
}

pub(super) fn admin1_name(gaz: &Gazetteer, p: &Place<'_>) -> String {
    if p.feature_code() == "ADM1" {
        return p.name().to_string();
    }
    let n = p.admin1_name();
    if !n.is_empty() {
        return n.to_string();
    }
    if !p.admin1_code().is_empty()
        && let Some(a) = gaz.admin1(p.country_code(), p.admin1_code())
    {
        return a.name().to_string();
    }
    String::new()
}

pub(super) fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn round3(x: f64) -> f64 {
    (x * 1e3).round() / 1e3
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::distance_km;

    /// (text, name in it, country code and feature code of the place it must resolve to).
    const CASES: &[(&str, &str, &str, &str)] = &[
        // Refinement: by their priors Cornwall and Salisbury are in England, which is where the
        // first pass reads them when it weighs the other names; read as that pass chose them,
        // Falls Village and Sharon (Connecticut) keep the cluster in New England.
        (
            "Volunteers from Falls Village, Sharon, Cornwall, Kent and Salisbury met at the \
             regional school to plan the spring cleanup of the river banks.",
            "Salisbury",
            "US",
            "PPL",
        ),
        // A country is not argued down by its own namesake division.
        (
            "Health officials in Mexico reported 40 new cases on Monday.",
            "Mexico",
            "MX",
            "PCLI",
        ),
        // The seat of a division with the same name.
        (
            "Gunmen attacked an army post near Gao on Sunday, officials in Bamako said.",
            "Gao",
            "ML",
            "PPLA",
        ),
        // Explicit hierarchy beats the capital.
        (
            "The council of Paris, Texas, met on Tuesday.",
            "Paris",
            "US",
            "PPLA2",
        ),
        // The words around a name say which of a city and its namesake division is meant.
        (
            "Fighting was reported in the city of Balkh on Monday.",
            "Balkh",
            "AF",
            "PPLA2",
        ),
        (
            "Fighting spread across Hama province as the army advanced north.",
            "Hama",
            "SY",
            "ADM1",
        ),
        // Other places of the document pull an ambiguous name to their region.
        (
            "Flooding closed roads in Columbus, Westerville and Dublin after the storm crossed Franklin County.",
            "Dublin",
            "US",
            "PPL",
        ),
    ];

    #[test]
    fn resolves_by_document_context() {
        assert_resolves(CASES);
    }

    #[test]
    fn demonyms_refer_to_their_countries() {
        // (text, the (name, kind, country) of each toponym in it).
        type Toponyms<'a> = &'a [(&'a str, MentionKind, &'a str)];
        let cases: &[(&str, Toponyms)] = &[
            // Before a person's title, a demonym says whose president it is.
            (
                "Turkish President Recep Tayyip Erdogan met Russian President Vladimir Putin in Sochi.",
                &[
                    ("Turkish", MentionKind::Demonym, "TR"),
                    ("Russian", MentionKind::Demonym, "RU"),
                    ("Sochi", MentionKind::Place, "RU"),
                ],
            ),
            (
                "Syrian forces shelled Aleppo.",
                &[
                    ("Syrian", MentionKind::Demonym, "SY"),
                    ("Aleppo", MentionKind::Place, "SY"),
                ],
            ),
            // Inside a longer proper name, or a disease's name, it refers to no country.
            ("The Russian Orthodox Church objected to the law.", &[]),
            (
                "Cases of Japanese encephalitis rose in India.",
                &[("India", MentionKind::Place, "IN")],
            ),
        ];
        let gp = Geoparser::new(Gazetteer::embedded());
        for &(text, want) in cases {
            let got: Vec<(String, MentionKind, String)> = gp
                .geoparse(text)
                .into_iter()
                .map(|t| (t.name, t.kind, t.country_code))
                .collect();
            let want: Vec<(String, MentionKind, String)> = want
                .iter()
                .map(|&(n, k, c)| (n.to_string(), k, c.to_string()))
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn dates_are_not_places() {
        // (text, the places in it). "March" and "Thursday" are places in GeoNames too.
        let cases: &[(&str, &[&str])] = &[
            (
                "The ceasefire began on Thursday, March 12, in Aleppo, and ended in May.",
                &["Aleppo"],
            ),
            (
                "Elections set for Nov. 6 were delayed in Kandahar province until March.",
                &["Kandahar"],
            ),
            // Holidays are dates too ("Eid" is also a town in Eritrea).
            (
                "Markets in Cairo closed over Christmas and during Ramadan, and on Eid the roads \
                 to Giza were full.",
                &["Cairo", "Giza"],
            ),
            // A country's abbreviation glued to a dollar sign names its currency.
            (
                "Libya agreed to a US$460 million settlement in Tripoli.",
                &["Libya", "Tripoli"],
            ),
            // Era notation after a year or century; "B.C." is also British Columbia.
            (
                "The temple in Palmyra was built in 500 B.C. and rebuilt in the fifth century BC.",
                &["Palmyra"],
            ),
        ];
        assert_places(cases);
    }

    /// Checks `(text, names)` cases: the toponyms found in `text` are `names`, in order.
    fn assert_places(cases: &[(&str, &[&str])]) {
        let gp = Geoparser::new(Gazetteer::embedded());
        for &(text, want) in cases {
            let got: Vec<String> = gp.geoparse(text).into_iter().map(|t| t.name).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    /// Checks `(text, name, country code, feature code)` cases: `name` is found in `text` and
    /// resolves to a place of that country with that feature code.
    fn assert_resolves(cases: &[(&str, &str, &str, &str)]) {
        let gp = Geoparser::new(Gazetteer::embedded());
        for &(text, name, cc, fc) in cases {
            let tops = gp.geoparse(text);
            let t = tops
                .iter()
                .find(|t| t.name == name)
                .unwrap_or_else(|| panic!("{name} not found in {text:?}: {tops:?}"));
            assert_eq!(
                (t.country_code.as_str(), t.feature_code.as_str()),
                (cc, fc),
                "{name} in {text:?}"
            );
        }
    }

    #[test]
    fn large_areas_beat_their_namesakes() {
        // (text, name, country and feature code). GeoNames' cities500 has a Java in Georgia, a
        // Luzon in Davao, an Alps in Jamaica and an Andes in Colombia, and no row for the island
        // or the range.
        let cases: &[(&str, &str, &str, &str)] = &[
            (
                "A tsunami hit the Indonesian island of Java on Monday.",
                "Java",
                "ID",
                "ISL",
            ),
            (
                "The typhoon made landfall on Luzon, flooding Manila.",
                "Luzon",
                "PH",
                "ISL",
            ),
            (
                "Commuters from Long Island faced delays into New York City.",
                "Long Island",
                "US",
                "ISL",
            ),
            (
                "Avalanches in the Alps killed two skiers.",
                "Alps",
                "",
                "MTS",
            ),
            ("Glaciers in the Andes are shrinking.", "Andes", "", "MTS"),
            (
                "Migrants crossed the Sahara to reach Libya.",
                "Sahara",
                "",
                "DSRT",
            ),
            (
                "Snow fell across the Midwest and New England.",
                "New England",
                "US",
                "RGN",
            ),
        ];
        assert_resolves(cases);
    }

    #[test]
    fn a_name_after_the_article_is_the_area() {
        // (text, name, country and feature code of the place it resolves to). GeoNames has a
        // Middle East in Baltimore and a Levant in Maine; a town is not named with "the".
        let cases: &[(&str, &str, &str, &str)] = &[
            (
                "The senator from Ohio said in Columbus that peace in the Middle East was the goal.",
                "Middle East",
                "",
                "RGN",
            ),
            (
                "Fighters crossed from Iraq into the Levant on Monday.",
                "Levant",
                "",
                "RGN",
            ),
            // Without the article, the town of the story's state.
            (
                "Officials in Baltimore said Middle East residents lost power.",
                "Middle East",
                "US",
                "PPL",
            ),
            (
                "Police in Bangor said Levant, a town near Bangor, had a new fire chief.",
                "Levant",
                "US",
                "PPL",
            ),
            // A country keeps its name with the article.
            (
                "Tourists in the Gambia visited Banjul.",
                "Gambia",
                "GM",
                "PCLI",
            ),
        ];
        assert_resolves(cases);
    }

    #[test]
    fn compass_words_before_a_name_are_no_places() {
        // (text, the places in it). GeoNames has regions called "Northern" (Uganda), "North
        // East" (Botswana) and "South" (Cameroon); names that begin with a compass word are
        // matched whole.
        let cases: &[(&str, &[&str])] = &[
            (
                "Rebels advanced in Northern Syria and shelled southern Aleppo.",
                &["Syria", "Aleppo"],
            ),
            (
                "Most school districts in Northeast Georgia and Western Pennsylvania cut staff.",
                &["Georgia", "Pennsylvania"],
            ),
            (
                "Aid reached South Sudan, East Timor and West Virginia.",
                &["South Sudan", "East Timor", "West Virginia"],
            ),
            // Not right before another name, the word is left to the model.
            (
                "Officials in Gulu said the Northern region had no new cases.",
                &["Gulu", "Northern"],
            ),
            // Before any capitalized word it is part of a name (a street, a group).
            (
                "Protesters met at Northwest Eighth Avenue in Gainesville.",
                &["Gainesville"],
            ),
        ];
        assert_places(cases);
    }

    #[test]
    fn place_nouns_after_a_name_are_no_places() {
        // (text, the places in it). GeoNames lists places under "Region" (in the Philippines)
        // and "Province"; after a name the noun says what kind of place that one is.
        let cases: &[(&str, &[&str])] = &[
            (
                "Fighting continued in the Oromia Region on Monday.",
                &["Oromia"],
            ),
            (
                "Ukrainian Drones Strike Oil Depot in Russia's Belgorod Region",
                &["Ukrainian", "Russia", "Belgorod"],
            ),
            // A name that ends with the noun is matched whole.
            (
                "Gunmen attacked a village in Zamfara State.",
                &["Zamfara State"],
            ),
        ];
        assert_places(cases);
    }

    #[test]
    fn abbreviations_and_sentence_openers() {
        // (text, the places in it with their GeoNames ids).
        let cases: &[(&str, &[(&str, u32)])] = &[
            // The pronoun "us" says nothing of "US".
            (
                "Tell us more. Cases were reported in 30 US states.",
                &[("US", 6252001)],
            ),
            // Press abbreviations of provinces and states, as a qualifier and on their own.
            (
                "She was found in Surrey, B.C., on Monday. In B.C., snow is expected.",
                &[("Surrey", 6159905), ("B.C.", 5909050), ("B.C.", 5909050)],
            ),
            // An AP-style abbreviation names its division, not what else its letters spell
            // ("Kan" is also Ganzhou, "Man" the Isle of Man).
            (
                "Police in Wichita, Kan., arrested him. He moved to Winnipeg, Man., in May.",
                &[
                    ("Wichita", 4281730),
                    ("Kan.", 4273857),
                    ("Winnipeg", 6183235),
                    ("Man.", 6065171),
                ],
            ),
            // Two-letter abbreviations are places too, in running text and in datelines.
            (
                "Police in Glasgow, Ky., and Alexandria, La., closed roads after the storm.",
                &[
                    ("Glasgow", 4292826),
                    ("Ky.", 6254925),
                    ("Alexandria", 4314550),
                    ("La.", 4331987),
                ],
            ),
            (
                "GLASGOW, Ky. (AP) - One woman has died after being hit by a car.",
                &[("GLASGOW", 4292826), ("Ky.", 6254925)],
            ),
            // The European Union is a curated zone (no geonameid), its point in Brussels.
            (
                "The EU pledged 50 million euros for refugees in Lebanon.",
                &[("EU", 0), ("Lebanon", 272103)],
            ),
            (
                "Restrictions were placed on horses in NSW after the outbreak.",
                &[("NSW", 2155400)],
            ),
            // A place name before "virus" or "encephalitis" names a disease.
            (
                "An outbreak of Marburg virus killed 12 people in Angola, and cases of Japanese \
                 encephalitis rose in India.",
                &[("Angola", 3351879), ("India", 1269750)],
            ),
            (
                "Pigs on two farms tested positive for Reston ebolavirus, and a case of Marburg \
                 haemorrhagic fever was confirmed in Uganda.",
                &[("Uganda", 226074)],
            ),
            // One sense per discourse: a name used as a place once is read as one elsewhere.
            (
                "Refugees crossed into Turkey on Monday. Turkey has become used to attacks.",
                &[("Turkey", 298795), ("Turkey", 298795)],
            ),
            // A country whose name is also a common word, opening a sentence.
            (
                "China has announced a new outbreak of bird flu.",
                &[("China", 1814991)],
            ),
        ];
        let gp = Geoparser::new(Gazetteer::embedded());
        for &(text, want) in cases {
            let got: Vec<(String, u32)> = gp
                .geoparse(text)
                .into_iter()
                .map(|t| (t.name, t.geonameid.unwrap_or(0)))
                .collect();
            let want: Vec<(String, u32)> = want.iter().map(|&(n, id)| (n.into(), id)).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn key_ids_group_equal_keys() {
        let m = |key: &str| Mention {
            byte_start: 0,
            byte_end: 0,
            key: key.into(),
            candidates: [].into(),
            kind: MentionKind::Place,
            probability: 1.0,
            features: crate::recognize::MentionFeatures::default(),
            qualifier: None,
            ap_qualifier: None,
            described_as: None,
            definite: false,
        };
        let ids = key_ids(&[m("paris"), m("texas"), m("paris"), m("aleppo")]);
        assert_eq!(ids[0], ids[2]);
        assert_ne!(ids[0], ids[1]);
        assert_ne!(ids[1], ids[3]);
        assert_ne!(ids[0], ids[3]);
    }

    #[test]
    fn feature_positions_match_the_names() {
        let at = [
            (F_PRIOR, "prior"),
            (F_PRIMARY, "primary_name"),
            (F_COUNTRY, "country"),
            (F_ADMIN1, "admin1"),
            (F_HIER, "hierarchy"),
            (F_PROX, "proximity"),
            (F_NEAR, "proximity_near"),
            (F_CVOTE, "country_vote"),
            (F_AVOTE, "admin1_vote"),
            (F_SEAT, "seat_of_namesake"),
            (F_KIND, "described_kind"),
        ];
        assert_eq!(RESOLVER_FEATURES.len(), NF);
        for (i, name) in at {
            assert_eq!(RESOLVER_FEATURES[i], name);
        }
    }

    /// The first `per_name` places each of `names` reaches in `gaz`: places of several kinds
    /// for the cache tests.
    fn places_named<'g>(gaz: &'g Gazetteer, names: &[&str], per_name: usize) -> Vec<Place<'g>> {
        names
            .iter()
            .flat_map(|name| {
                gaz.matches(name)
                    .into_iter()
                    .take(per_name)
                    .filter_map(|(p, _)| gaz.get(p))
            })
            .collect()
    }

    /// The facts as read straight from the records, compared with the cached ones: the same
    /// prior for every match kind (bit for bit) and the same containment answers as comparing
    /// the code strings.
    #[test]
    fn cached_facts_agree_with_the_records() {
        let gaz = Gazetteer::embedded();
        let mut cache = FactCache::default();
        cache.start(gaz);
        let kinds = MatchKind::ALL;
        let mut places = places_named(
            gaz,
            &[
                "Paris",
                "Texas",
                "Mexico",
                "Georgia",
                "Aleppo",
                "Orange County",
            ],
            12,
        );
        places.extend(gaz.country("US"));
        places.extend(gaz.admin2("US", "TX", "201"));
        let cand = |cache: &mut FactCache, p: &Place<'_>| {
            Cand::from_facts(p.idx(), cache.facts(gaz, p.idx()).unwrap())
        };
        for p in &places {
            let c = cand(&mut cache, p);
            for kind in kinds {
                let want = DefaultPrior.score(p, kind);
                let got = c.facts.base_prior + match_weight(kind);
                assert_eq!(got.to_bits(), want.to_bits(), "{p:?} {kind:?}");
            }
            assert_eq!(c.facts.unit, unit_vector(p.lat(), p.lon()));
            assert_eq!(c.is(IS_COUNTRY), p.is_country(), "{p:?}");
            assert_eq!(c.is(NO_COUNTRY), p.country_code().is_empty(), "{p:?}");
            // A second read is the cached entry and the same.
            assert_eq!(cache.facts(gaz, p.idx()), Some(c.facts));
        }
        // Reference containment on the strings.
        let contains = |q: &Place<'_>, p: &Place<'_>| {
            if q.idx() == p.idx() || q.country_code().is_empty() {
                return false;
            }
            let same = |a: &str, b: &str| a == b;
            if q.is_country() {
                return same(p.country_code(), q.country_code());
            }
            match q.feature_code() {
                "ADM1" => {
                    same(p.country_code(), q.country_code())
                        && same(p.admin1_code(), q.admin1_code())
                }
                "ADM2" => {
                    same(p.country_code(), q.country_code())
                        && same(p.admin1_code(), q.admin1_code())
                        && same(p.admin2_code(), q.admin2_code())
                }
                _ => false,
            }
        };
        let mut inside = 0;
        for q in &places {
            for p in &places {
                let (cq, cp) = (cand(&mut cache, q), cand(&mut cache, p));
                assert_eq!(
                    qualifier_contains(gaz, &cq, &cp),
                    contains(q, p),
                    "{q:?} ⊃ {p:?}"
                );
                inside += contains(q, p) as usize;
            }
        }
        assert!(
            inside > 10,
            "the sample has containments to check: {inside}"
        );
    }

    /// The cached place fields are the ones read from the records, for places of several
    /// kinds (with and without an admin1 name of their own), read again from the cache, and
    /// after another gazetteer used the cache.
    #[test]
    fn cached_place_fields_agree_with_the_records() {
        let gaz = Gazetteer::embedded();
        let mut cache = PlaceFieldsCache::default();
        let mut places = places_named(
            gaz,
            &["Aleppo", "Texas", "Mexico", "Georgia", "Paris", "Africa"],
            8,
        );
        places.extend(gaz.country("US"));
        assert!(places.len() > 20, "{}", places.len());
        let tsv = "geonameid\tname\tasciiname\talternatenames\tlat\tlon\tfeature_class\t\
                   feature_code\tcountry_code\tpopulation\n\
                   1\tAleppo\tAleppo\t\t1.0\t2.0\tP\tPPLA\tSY\t2000000\n";
        let small = Gazetteer::from_places_tsv(tsv.as_bytes()).unwrap();
        let small_place = small.get(small.matches("Aleppo")[0].0).unwrap();
        for round in 0..2 {
            for p in &places {
                let want = PlaceFields::read(gaz, p);
                assert_eq!(
                    cache.get(gaz, p.idx()),
                    Some(&want),
                    "{p:?} (round {round})"
                );
            }
            // The small gazetteer's first place has the same number as one of the embedded's.
            let want = PlaceFields::read(&small, &small_place);
            assert_eq!(want.lat, 1.0);
            assert_eq!(cache.get(&small, small_place.idx()), Some(&want));
        }
        assert!(
            places
                .iter()
                .any(|p| !PlaceFields::read(gaz, p).admin1.is_empty())
        );
    }

    /// Results do not depend on what the thread's fact cache holds: documents in either order,
    /// with a fresh cache, and after another gazetteer (whose place numbers mean other places)
    /// used the same thread.
    #[test]
    fn fact_cache_does_not_change_results() {
        let docs = [
            "Troops moved from Aleppo to Idlib and Homs, officials in Damascus said.",
            "The council of Paris, Texas, met in Austin; Dallas and Houston sent observers.",
            "Alexandria, La., and Alexandria, Va., both reported storms; Cairo was calm.",
        ];
        let gp = Geoparser::new(Gazetteer::embedded());
        let fresh = |text: &str| {
            WORKSPACE.with_borrow_mut(|w| *w = Workspace::default());
            gp.geoparse(text)
        };
        let want: Vec<Vec<Toponym>> = docs.iter().map(|d| fresh(d)).collect();
        assert!(want.iter().all(|t| t.len() >= 3), "{want:?}");
        for order in [[0, 1, 2], [2, 1, 0], [1, 0, 2]] {
            WORKSPACE.with_borrow_mut(|w| *w = Workspace::default());
            for i in order {
                assert_eq!(gp.geoparse(docs[i]), want[i], "{order:?}");
            }
        }
        let tsv = "geonameid\tname\tasciiname\talternatenames\tlat\tlon\tfeature_class\t\
                   feature_code\tcountry_code\tpopulation\n\
                   1\tAleppo\tAleppo\t\t1.0\t2.0\tP\tPPLA\tSY\t2000000\n\
                   2\tDamascus\tDamascus\t\t3.0\t4.0\tP\tPPLC\tSY\t2000000\n";
        let small = Gazetteer::from_places_tsv(tsv.as_bytes()).unwrap();
        let other = Geoparser::new(&small).geoparse(docs[0]);
        assert!(other.iter().any(|t| t.lat == 1.0), "{other:?}");
        assert_eq!(gp.geoparse(docs[0]), want[0]);
        assert_eq!(Geoparser::new(&small).geoparse(docs[0]), other);
    }

    /// Scoring with the weights read off the model gives the model's own scores, bit for bit,
    /// on real candidate features (with and without the hierarchy flag).
    #[test]
    fn weights_score_like_the_model() {
        let gaz = Gazetteer::embedded();
        let gp = Geoparser::new(gaz);
        let text = "The council of Paris, Texas, met in Austin; Dallas, Houston and Springfield \
                    sent observers, and Georgia's governor flew in from Atlanta.";
        let mentions = gp.recognizer().recognize(text);
        let tuned = "prior\t0.75\nprimary_name\t-1.5e-3\ncountry\t0\nhierarchy\t3.25\n\
                     proximity\t-0.0\nseat_of_namesake\t2\n";
        let models = [
            Model::from_tsv_named(RESOLVER_FEATURES, RESOLVER_WEIGHTS).unwrap(),
            Model::from_tsv_named(RESOLVER_FEATURES, tuned).unwrap(),
        ];
        let mut checked = 0;
        for model in models {
            let r = ContextResolver::with_model(model.clone());
            for row in r.candidate_features(gaz, &mentions) {
                for (_, f) in row {
                    for hier in [0.0, 1.0] {
                        let mut f = f.clone();
                        f.0[F_HIER] = hier;
                        let arr: [f64; NF] = f.0.as_slice().try_into().unwrap();
                        let (got, want) = (logit(&r.weights, &arr), model.logit(&f));
                        assert_eq!(got.to_bits(), want.to_bits(), "{f:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 50, "{checked}");
    }

    #[test]
    fn proximity_fades_to_nothing_at_its_radius() {
        // Damascus–Daraya (about 10 km), –Homs (about 160 km), –Aleppo (about 310 km),
        // –Geneva (about 2,900 km).
        let dam = unit_vector(33.51, 36.29);
        let at = |lat, lon| {
            let d2 = chord2_km2(dam, unit_vector(lat, lon));
            (
                biweight(d2 / (PROXIMITY_KM * PROXIMITY_KM)),
                biweight(d2 / (NEAR_KM * NEAR_KM)),
            )
        };
        let (daraya, homs, aleppo, geneva) = (
            at(33.46, 36.24),
            at(34.73, 36.72),
            at(36.20, 37.16),
            at(46.20, 6.14),
        );
        assert!(daraya.0 > 0.99 && daraya.1 > 0.99, "{daraya:?}");
        assert!(homs.0 > aleppo.0 && aleppo.0 > 0.5, "{homs:?} {aleppo:?}");
        assert!(homs.1 < 0.1 && aleppo.1 == 0.0, "{homs:?} {aleppo:?}");
        assert_eq!(geneva, (0.0, 0.0));
        assert_eq!(biweight(0.0), 1.0);
        assert_eq!(biweight(1.0), 0.0);
    }

    #[test]
    fn the_chord_is_close_to_the_great_circle_distance() {
        // (lat, lon) pairs: neighbours, one country apart, across ±180°, one point (1 - u·v
        // loses a few metres to rounding).
        let pairs = [
            ((33.51, 36.29), (33.46, 36.25)),
            ((33.51, 36.29), (36.20, 37.16)),
            ((40.0, -100.0), (48.0, -92.0)),
            ((-17.8, 178.9), (-16.5, -179.9)),
            ((36.2, 37.16), (36.2, 37.16)),
        ];
        for ((a_lat, a_lon), (b_lat, b_lon)) in pairs {
            let chord = chord2_km2(unit_vector(a_lat, a_lon), unit_vector(b_lat, b_lon)).sqrt();
            let arc = distance_km(a_lat, a_lon, b_lat, b_lon);
            assert!(
                chord <= arc + 1e-3 && chord >= arc * 0.99,
                "{a_lat},{a_lon} → {b_lat},{b_lon}: {chord} vs {arc}"
            );
        }
    }
}
