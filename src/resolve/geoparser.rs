//! The geoparser: recognition plus resolution, text in, [`Toponym`]s out.

use std::collections::HashMap;

use super::{MentionKind, Toponym};
use crate::gazetteer::{
    DefaultPrior, Gazetteer, MatchKind, Place, PlaceIdx, PlacePrior, distance_km,
};
use crate::recognize::{Lexicon, Mention, Model, Recognizer};
use crate::text::CharOffsets;

/// Candidates per mention the resolver considers (postings come best static rank first).
const MAX_CANDIDATES: usize = 40;

/// Chooses one place per recognized mention. Implementations are interchangeable: the default
/// is [`ContextResolver`].
pub trait Disambiguator: Send + Sync {
    /// For each mention, the chosen place and the probability that the choice is right.
    fn resolve(&self, gaz: &Gazetteer, mentions: &[Mention]) -> Vec<Option<(PlaceIdx, f64)>>;
}

/// Weights of the context resolver's evidence (log-odds units added to the prior).
#[derive(Debug, Clone)]
pub struct ContextWeights {
    /// Candidate lies in a country the document names (or names the people of).
    pub country: f64,
    /// Candidate lies in a first-level division the document names.
    pub admin1: f64,
    /// Candidate lies inside the place that qualifies it ("Paris, Texas").
    pub hierarchy: f64,
    /// Spatial coherence: closeness to the other places of the document.
    pub proximity: f64,
    /// Distance (km) at which the proximity evidence has fallen to 1/e.
    pub proximity_km: f64,
}

impl Default for ContextWeights {
    fn default() -> Self {
        ContextWeights {
            country: 2.5,
            admin1: 2.5,
            hierarchy: 8.0,
            proximity: 1.5,
            proximity_km: 250.0,
        }
    }
}

/// The default [`Disambiguator`]: population and feature importance ([`DefaultPrior`]), the
/// document's countries and first-level divisions, explicit hierarchy, spatial coherence, and one
/// sense per discourse.
#[derive(Debug, Clone, Default)]
pub struct ContextResolver {
    /// Evidence weights.
    pub weights: ContextWeights,
}

struct Cand<'a> {
    place: Place<'a>,
    prior: f64,
}

impl ContextResolver {
    fn candidates<'a>(&self, gaz: &'a Gazetteer, m: &Mention) -> Vec<Cand<'a>> {
        let demonym = m.kind == MentionKind::Demonym;
        m.candidates
            .iter()
            .filter(|(_, k)| !demonym || *k == MatchKind::Demonym)
            .take(MAX_CANDIDATES)
            .filter_map(|&(p, k)| {
                let place = gaz.get(p)?;
                let prior = DefaultPrior.score(&place, k);
                Some(Cand { place, prior })
            })
            .collect()
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
        let w = &self.weights;
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

        // Qualifiers: the place each qualifying mention resolves to under the prior.
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

        // Pass 2: full score per candidate.
        let mut scores: Vec<Vec<f64>> = Vec::with_capacity(mentions.len());
        for (k, c) in cands.iter().enumerate() {
            let quals = qualifier_of(k);
            let row = c
                .iter()
                .map(|x| {
                    let p = &x.place;
                    let mut s = x.prior;
                    if let Some(v) = countries.get(p.country_code())
                        && !p.is_country()
                    {
                        s += w.country * v;
                    }
                    if let Some(v) = admin1s.get(&(p.country_code(), p.admin1_code()))
                        && p.feature_code() != "ADM1"
                    {
                        s += w.admin1 * v;
                    }
                    if quals.iter().any(|q| qualifier_contains(q, p)) {
                        s += w.hierarchy;
                    }
                    let mut prox = 0.0f64;
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
                        prox += pr * (-d / w.proximity_km).exp();
                    }
                    s + w.proximity * prox.min(3.0)
                })
                .collect();
            scores.push(row);
        }

        // One sense per discourse: mentions with the same key share one choice, scored by the
        // sum of their evidence; a qualified occurrence ("Paris, Texas") decides for all.
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
        for (k, m) in mentions.iter().enumerate() {
            by_key.entry(&m.key).or_default().push(k);
        }
        let mut out = vec![None; mentions.len()];
        for ks in by_key.values() {
            let k0 = ks[0];
            let n = cands[k0].len();
            if n == 0 {
                continue;
            }
            // Same key ⇒ same candidate list (unless demonym filtering differs; keep per-kind).
            let mut total = vec![0.0; n];
            for &k in ks {
                if cands[k].len() != n {
                    continue;
                }
                for (t, s) in total.iter_mut().zip(&scores[k]) {
                    *t += s;
                }
            }
            let count = ks.iter().filter(|&&k| cands[k].len() == n).count().max(1) as f64;
            for t in &mut total {
                *t /= count;
            }
            let best = best_by_idx(&total);
            let z: f64 = total.iter().map(|s| (s - total[best]).exp()).sum();
            let p_resolve = 1.0 / z;
            for &k in ks {
                let (choice, pr) = if cands[k].len() == n {
                    (best, p_resolve)
                } else {
                    let b = best_by_idx(&scores[k]);
                    let z: f64 = scores[k].iter().map(|s| (s - scores[k][b]).exp()).sum();
                    (b, 1.0 / z)
                };
                out[k] = Some((cands[k][choice].place.idx(), pr));
            }
        }
        out
    }
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
