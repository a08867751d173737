//! The geoparser: recognition plus resolution, text in, [`Toponym`]s out.

use std::collections::HashMap;

use super::{MentionKind, Toponym};
use crate::gazetteer::{
    DefaultPrior, Gazetteer, MatchKind, Place, PlaceIdx, PlacePrior, distance_km,
};
use crate::recognize::{Features, Lexicon, Mention, Model, Recognizer};
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
    "first_candidate",
];

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
    model: Model,
}

impl Default for ContextResolver {
    fn default() -> Self {
        ContextResolver {
            model: Model::from_tsv_named(RESOLVER_FEATURES, RESOLVER_WEIGHTS)
                .unwrap_or_else(|e| unreachable!("embedded resolver weights are valid: {e}")),
        }
    }
}

struct Cand<'a> {
    place: Place<'a>,
    prior: f64,
    kind: MatchKind,
}

/// Distance (km) at which proximity evidence has fallen to 1/e.
const PROXIMITY_KM: f64 = 250.0;
/// The same for the local scale (neighbouring towns of one county or metro area).
const NEAR_KM: f64 = 40.0;

impl ContextResolver {
    /// A resolver with the given weights (over [`RESOLVER_FEATURES`]).
    pub fn with_model(model: Model) -> Self {
        ContextResolver { model }
    }

    fn candidates<'a>(&self, gaz: &'a Gazetteer, m: &Mention) -> Vec<Cand<'a>> {
        let demonym = m.kind == MentionKind::Demonym;
        m.candidates
            .iter()
            .filter(|(_, k)| !demonym || *k == MatchKind::Demonym)
            .take(MAX_CANDIDATES)
            .filter_map(|&(p, k)| {
                let place = gaz.get(p)?;
                let prior = DefaultPrior.score(&place, k);
                Some(Cand {
                    place,
                    prior,
                    kind: k,
                })
            })
            .collect()
    }

    /// The candidates of every mention with their evidence features.
    pub fn candidate_features(
        &self,
        gaz: &Gazetteer,
        mentions: &[Mention],
    ) -> Vec<Vec<(PlaceIdx, Features)>> {
        let cands: Vec<Vec<Cand<'_>>> = mentions.iter().map(|m| self.candidates(gaz, m)).collect();

        // Pass 1: prior only, to learn the document's countries and divisions.
        let first: Vec<Option<usize>> = cands.iter().map(|c| best_by(c, |x| x.prior)).collect();
        let mut countries: HashMap<&str, f64> = HashMap::new();
        let mut admin1s: HashMap<(&str, &str), f64> = HashMap::new();
        for (m, (c, b)) in mentions.iter().zip(cands.iter().zip(&first)) {
            let Some(b) = *b else { continue };
            let p = &c[b].place;
            let conf = m.probability;
            if !p.country_code().is_empty() {
                let e = countries.entry(p.country_code()).or_default();
                *e = e.max(if p.is_country() { conf } else { conf * 0.5 });
            }
            if p.feature_code() == "ADM1" {
                let e = admin1s
                    .entry((p.country_code(), p.admin1_code()))
                    .or_default();
                *e = e.max(conf);
            }
        }

        // Soft votes: each distinct name spreads its prior (softmax) over its candidates'
        // countries and divisions.
        let mut seen_keys: Vec<&str> = Vec::new();
        let mut country_vote: HashMap<&str, f64> = HashMap::new();
        let mut admin1_vote: HashMap<(&str, &str), f64> = HashMap::new();
        for (m, c) in mentions.iter().zip(&cands) {
            if c.is_empty() || seen_keys.contains(&m.key.as_str()) {
                continue;
            }
            seen_keys.push(&m.key);
            let top = c.iter().map(|x| x.prior).fold(f64::MIN, f64::max);
            let z: f64 = c.iter().map(|x| (x.prior - top).exp()).sum();
            let mut cv: HashMap<&str, f64> = HashMap::new();
            let mut av: HashMap<(&str, &str), f64> = HashMap::new();
            for x in c {
                let p = (x.prior - top).exp() / z;
                *cv.entry(x.place.country_code()).or_default() += p;
                *av.entry((x.place.country_code(), x.place.admin1_code()))
                    .or_default() += p;
            }
            for (k, v) in cv {
                *country_vote.entry(k).or_default() += v;
            }
            for (k, v) in av {
                *admin1_vote.entry(k).or_default() += v;
            }
        }
        let names = seen_keys.len().max(1) as f64;

        // Qualifiers: the places a qualifying mention may stand for.
        let qualifier_of = |k: usize| -> Vec<Place<'_>> {
            let mut qs = Vec::new();
            if let Some(q) = mentions[k].qualifier {
                qs.extend(cands[q].iter().take(8).map(|c| c.place));
            }
            if let Some(code) = &mentions[k].ap_qualifier
                && let Some((cc, a1)) = code.split_once('.')
                && let Some(p) = gaz.admin1(cc, a1)
            {
                qs.push(p);
            }
            qs
        };

        // Anchor points for spatial coherence: the prior's choice of every other mention,
        // weighted by its recognition probability (countries are too big to anchor).
        let anchors: Vec<(usize, f64, f64, f64)> = mentions
            .iter()
            .enumerate()
            .filter_map(|(k, m)| {
                let b = first[k]?;
                let p = &cands[k][b].place;
                (!p.is_country() && !matches!(p.feature_code(), "CONT" | "RGN" | "ADM1"))
                    .then(|| (k, p.lat(), p.lon(), m.probability))
            })
            .collect();

        let idx = |name: &str| {
            RESOLVER_FEATURES
                .iter()
                .position(|f| *f == name)
                .unwrap_or(0)
        };
        let (f_prior, f_primary) = (idx("prior"), idx("primary_name"));
        let f_near = idx("proximity_near");
        let (f_country, f_admin1, f_hier, f_prox) = (
            idx("country"),
            idx("admin1"),
            idx("hierarchy"),
            idx("proximity"),
        );
        let (f_cvote, f_avote, f_first) = (
            idx("country_vote"),
            idx("admin1_vote"),
            idx("first_candidate"),
        );
        let mut out = Vec::with_capacity(mentions.len());
        for (k, c) in cands.iter().enumerate() {
            let quals = qualifier_of(k);
            let row = c
                .iter()
                .enumerate()
                .map(|(ci, x)| {
                    let p = &x.place;
                    let mut f = Features::zeros(RESOLVER_FEATURES.len());
                    f.0[f_prior] = x.prior / 10.0;
                    f.0[f_primary] =
                        matches!(x.kind, MatchKind::Primary | MatchKind::Ascii) as u8 as f64;
                    if !p.is_country() {
                        f.0[f_country] = countries.get(p.country_code()).copied().unwrap_or(0.0);
                    }
                    if p.feature_code() != "ADM1" {
                        f.0[f_admin1] = admin1s
                            .get(&(p.country_code(), p.admin1_code()))
                            .copied()
                            .unwrap_or(0.0);
                    }
                    f.0[f_hier] = quals.iter().any(|q| qualifier_contains(q, p)) as u8 as f64;
                    let mut prox = 0.0f64;
                    let mut near = 0.0f64;
                    let mut keys_seen: Vec<&str> = Vec::new();
                    for &(j, lat, lon, pr) in &anchors {
                        if j == k
                            || mentions[j].key == mentions[k].key
                            || keys_seen.contains(&mentions[j].key.as_str())
                        {
                            continue;
                        }
                        keys_seen.push(&mentions[j].key);
                        let d = distance_km(p.lat(), p.lon(), lat, lon);
                        prox += pr * (-d / PROXIMITY_KM).exp();
                        near += pr * (-d / NEAR_KM).exp();
                    }
                    f.0[f_prox] = prox.min(3.0) / 3.0;
                    f.0[f_near] = near.min(3.0) / 3.0;
                    f.0[f_cvote] =
                        country_vote.get(p.country_code()).copied().unwrap_or(0.0) / names;
                    f.0[f_avote] = admin1_vote
                        .get(&(p.country_code(), p.admin1_code()))
                        .copied()
                        .unwrap_or(0.0)
                        / names;
                    f.0[f_first] = (ci == 0) as u8 as f64;
                    (p.idx(), f)
                })
                .collect();
            out.push(row);
        }
        out
    }
}

fn qualifier_contains(q: &Place<'_>, p: &Place<'_>) -> bool {
    if q.idx() == p.idx() || q.country_code().is_empty() {
        return false;
    }
    if q.is_country() {
        return p.country_code() == q.country_code();
    }
    match q.feature_code() {
        "ADM1" => p.country_code() == q.country_code() && p.admin1_code() == q.admin1_code(),
        "ADM2" => {
            p.country_code() == q.country_code()
                && p.admin1_code() == q.admin1_code()
                && p.admin2_code() == q.admin2_code()
        }
        _ => false,
    }
}

impl Disambiguator for ContextResolver {
    fn resolve(&self, gaz: &Gazetteer, mentions: &[Mention]) -> Vec<Option<(PlaceIdx, f64)>> {
        let feats = self.candidate_features(gaz, mentions);
        let scores: Vec<Vec<f64>> = feats
            .iter()
            .map(|row| row.iter().map(|(_, f)| self.model.logit(f)).collect())
            .collect();

        // One sense per discourse: mentions with the same key share one choice, scored by the
        // mean of their evidence; a qualified occurrence ("Paris, Texas") counts for all.
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
        for (k, m) in mentions.iter().enumerate() {
            by_key.entry(&m.key).or_default().push(k);
        }
        let mut out = vec![None; mentions.len()];
        for ks in by_key.values() {
            let n = feats[ks[0]].len();
            if n == 0 {
                continue;
            }
            let same: Vec<usize> = ks
                .iter()
                .copied()
                .filter(|&k| feats[k].len() == n)
                .collect();
            let mut total = vec![0.0; n];
            for &k in &same {
                for (t, s) in total.iter_mut().zip(&scores[k]) {
                    *t += s;
                }
            }
            for t in &mut total {
                *t /= same.len().max(1) as f64;
            }
            for &k in ks {
                let row = if feats[k].len() == n {
                    &total
                } else {
                    &scores[k]
                };
                let b = best_by_idx(row);
                out[k] = Some((feats[k][b].0, sigmoid(row[b])));
            }
        }
        out
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

fn best_by(c: &[Cand<'_>], f: impl Fn(&Cand<'_>) -> f64) -> Option<usize> {
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
}

impl<'g> Geoparser<'g> {
    /// A geoparser with the embedded lexicon and model and the default resolver.
    pub fn new(gaz: &'g Gazetteer) -> Self {
        Geoparser {
            gaz,
            recognizer: Recognizer::new(gaz, Lexicon::embedded(), Model::embedded()),
            resolver: Box::new(ContextResolver::default()),
        }
    }

    /// Replaces the disambiguation method.
    pub fn with_resolver(mut self, resolver: Box<dyn Disambiguator + 'g>) -> Self {
        self.resolver = resolver;
        self
    }

    /// The recognizer in use.
    pub fn recognizer(&self) -> &Recognizer<'g> {
        &self.recognizer
    }

    /// Finds and resolves every place named in `text`, in text order.
    pub fn geoparse(&self, text: &str) -> Vec<Toponym> {
        let mentions = self.recognizer.recognize(text);
        let choices = self.resolver.resolve(self.gaz, &mentions);
        let mut offsets = CharOffsets::new(text);
        let mut out = Vec::with_capacity(mentions.len());
        for (m, choice) in mentions.iter().zip(choices) {
            let Some((idx, p_resolve)) = choice else {
                continue;
            };
            let Some(place) = self.gaz.get(idx) else {
                continue;
            };
            let start = offsets.char_offset(m.byte_start);
            let end = offsets.char_offset(m.byte_end);
            out.push(Toponym {
                start,
                end,
                byte_start: m.byte_start,
                byte_end: m.byte_end,
                name: text[m.byte_start..m.byte_end].to_string(),
                geonameid: place.geonameid(),
                lat: round6(place.lat()),
                lon: round6(place.lon()),
                feature_code: place.feature_code().to_string(),
                country_code: place.country_code().to_string(),
                admin1: admin1_name(self.gaz, &place),
                kind: m.kind,
                confidence: round3(m.probability * p_resolve),
            });
        }
        out
    }
}

fn admin1_name(gaz: &Gazetteer, p: &Place<'_>) -> String {
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

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn round3(x: f64) -> f64 {
    (x * 1e3).round() / 1e3
}
