//! The geoparser: recognition plus resolution, text in, [`Toponym`]s out.

use rustc_hash::FxHashMap as HashMap;

use super::{MentionKind, Toponym};
use crate::gazetteer::{
    DefaultPrior, EARTH_RADIUS_KM, Gazetteer, MatchKind, Place, PlaceIdx, PlacePrior,
    is_country_code,
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
    "seat_of_namesake",
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
    /// The place's country code, first-level division code and feature code, read once.
    cc: &'a str,
    a1: &'a str,
    fc: &'a str,
    country: bool,
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
                let fc = place.feature_code();
                Some(Cand {
                    place,
                    prior,
                    kind: k,
                    cc: place.country_code(),
                    a1: place.admin1_code(),
                    fc,
                    country: is_country_code(fc),
                })
            })
            .collect()
    }

    /// The candidates of every mention with their evidence features. The document's context
    /// (its countries, divisions and anchor points) is read from each mention's best candidate
    /// by prior alone.
    pub fn candidate_features(
        &self,
        gaz: &Gazetteer,
        mentions: &[Mention],
    ) -> Vec<Vec<(PlaceIdx, Features)>> {
        let (rows, row_of) = self.features(gaz, mentions, &key_ids(mentions));
        row_of.iter().map(|&r| rows[r].clone()).collect()
    }

    /// For each mention, the index of the chosen candidate and the probability that it is right.
    /// Mentions with the same key share one choice, scored by the mean of their evidence; a
    /// qualified occurrence ("Paris, Texas") counts for all (one sense per discourse).
    /// `rows` are the distinct feature rows and `row_of[k]` the one of mention `k`.
    fn choose(
        &self,
        key_ids: &[usize],
        rows: &[Vec<(PlaceIdx, Features)>],
        row_of: &[usize],
    ) -> Vec<Option<(usize, f64)>> {
        let row_scores: Vec<Vec<f64>> = rows
            .iter()
            .map(|row| row.iter().map(|(_, f)| self.model.logit(f)).collect())
            .collect();
        let scores: Vec<&[f64]> = row_of.iter().map(|&r| row_scores[r].as_slice()).collect();
        let mut by_key: Vec<Vec<usize>> = vec![Vec::new(); key_ids.len()];
        for (k, &id) in key_ids.iter().enumerate() {
            by_key[id].push(k);
        }
        let mut out = vec![None; key_ids.len()];
        for ks in by_key.iter().filter(|ks| !ks.is_empty()) {
            let n = scores[ks[0]].len();
            if n == 0 {
                continue;
            }
            let same: Vec<usize> = ks
                .iter()
                .copied()
                .filter(|&k| scores[k].len() == n)
                .collect();
            let mut total = vec![0.0; n];
            for &k in &same {
                for (t, s) in total.iter_mut().zip(scores[k]) {
                    *t += s;
                }
            }
            for t in &mut total {
                *t /= same.len().max(1) as f64;
            }
            for &k in ks {
                let row = if scores[k].len() == n {
                    &total[..]
                } else {
                    scores[k]
                };
                if row.is_empty() {
                    continue;
                }
                let b = best_by_idx(row);
                out[k] = Some((b, sigmoid(row[b])));
            }
        }
        out
    }

    /// [`ContextResolver::candidate_features`] with the mentions' key ids already known.
    fn features(
        &self,
        gaz: &Gazetteer,
        mentions: &[Mention],
        key_ids: &[usize],
    ) -> (Vec<Vec<(PlaceIdx, Features)>>, Vec<usize>) {
        // Mentions of one name have the same candidates: read them once per name.
        let mut groups: Vec<Vec<Cand<'_>>> = Vec::new();
        let mut group_of: Vec<usize> = Vec::with_capacity(mentions.len());
        let mut group_of_key: Vec<Option<(usize, usize)>> = vec![None; mentions.len()];
        for (k, m) in mentions.iter().enumerate() {
            let earlier = group_of_key[key_ids[k]].filter(|&(j, _)| {
                let o = &mentions[j];
                o.kind == m.kind && o.candidates == m.candidates
            });
            match earlier {
                Some((_, g)) => group_of.push(g),
                None => {
                    groups.push(self.candidates(gaz, m));
                    group_of.push(groups.len() - 1);
                    group_of_key[key_ids[k]] = Some((k, groups.len() - 1));
                }
            }
        }
        let group_first: Vec<Option<usize>> =
            groups.iter().map(|c| best_by(c, |x| x.prior)).collect();
        let cands: Vec<&[Cand<'_>]> = group_of.iter().map(|&g| groups[g].as_slice()).collect();
        let first: Vec<Option<usize>> = group_of.iter().map(|&g| group_first[g]).collect();

        // The countries and divisions the document names, with who names them: a name is not
        // evidence for its own other readings ("Mexico" the country does not argue for
        // "Mexico" the state).
        let mut countries: HashMap<&str, Vec<(usize, f64)>> = sized(groups.len());
        let mut admin1s: HashMap<(&str, &str), Vec<(usize, f64)>> = sized(groups.len());
        for (k, (m, (c, b))) in mentions.iter().zip(cands.iter().zip(&first)).enumerate() {
            let Some(b) = *b else { continue };
            let p = &c[b];
            let conf = m.probability;
            if !p.cc.is_empty() {
                let w = if p.country { conf } else { conf * 0.5 };
                countries.entry(p.cc).or_default().push((key_ids[k], w));
            }
            if p.fc == "ADM1" {
                admin1s
                    .entry((p.cc, p.a1))
                    .or_default()
                    .push((key_ids[k], conf));
            }
        }
        // Naming one country says more about where the places of a document are than naming
        // one of several (the powers at a peace conference).
        let country_count = countries.len().max(1) as f64;
        let named_by_others = |by: Option<&Vec<(usize, f64)>>, own: usize| -> f64 {
            by.map_or(0.0, |l| {
                l.iter()
                    .filter(|e| e.0 != own)
                    .map(|e| e.1)
                    .fold(0.0, f64::max)
            })
        };

        // Soft votes: each distinct name spreads its prior (softmax) over its candidates'
        // countries and divisions. A candidate is judged by the other names' votes.
        let mut country_vote: HashMap<&str, f64> = sized(4 * groups.len());
        let mut admin1_vote: HashMap<(&str, &str), f64> = sized(8 * groups.len());
        let mut own_votes: Vec<Option<Votes<'_>>> = (0..mentions.len()).map(|_| None).collect();
        for (k, c) in cands.iter().enumerate() {
            if c.is_empty() || own_votes[key_ids[k]].is_some() {
                continue;
            }
            let top = c.iter().map(|x| x.prior).fold(f64::MIN, f64::max);
            let z: f64 = c.iter().map(|x| (x.prior - top).exp()).sum();
            let mut v = Votes {
                country: sized(c.len()),
                admin1: sized(c.len()),
            };
            for x in c.iter() {
                let p = (x.prior - top).exp() / z;
                *v.country.entry(x.cc).or_default() += p;
                *v.admin1.entry((x.cc, x.a1)).or_default() += p;
            }
            for (&key, &x) in &v.country {
                *country_vote.entry(key).or_default() += x;
            }
            for (&key, &x) in &v.admin1 {
                *admin1_vote.entry(key).or_default() += x;
            }
            own_votes[key_ids[k]] = Some(v);
        }
        let voters = own_votes.iter().filter(|v| v.is_some()).count();
        let others = (voters.max(2) - 1) as f64;

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
        // weighted by its recognition probability (countries are too big to anchor). A name
        // anchors once (at its first mention), and never its own mentions.
        let mut anchored = vec![false; mentions.len()];
        let anchors: Vec<Anchor> = mentions
            .iter()
            .enumerate()
            .filter_map(|(k, m)| {
                let c = &cands[k][first[k]?];
                if c.country || matches!(c.fc, "CONT" | "RGN" | "ADM1") {
                    return None;
                }
                let p = &c.place;
                let key = key_ids[k];
                if std::mem::replace(&mut anchored[key], true) {
                    return None;
                }
                Some(Anchor {
                    key,
                    unit: unit_vector(p.lat(), p.lon()),
                    weight: m.probability,
                })
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
        let f_seat = idx("seat_of_namesake");
        let (f_cvote, f_avote) = (idx("country_vote"), idx("admin1_vote"));
        // A mention without a qualifier has the same evidence as every other unqualified
        // mention of its name: its row is computed once.
        let mut rows = Vec::with_capacity(groups.len());
        let mut row_of = Vec::with_capacity(mentions.len());
        let mut group_row: Vec<Option<usize>> = vec![None; groups.len()];
        for (k, c) in cands.iter().enumerate() {
            let unqualified = mentions[k].qualifier.is_none() && mentions[k].ap_qualifier.is_none();
            if unqualified && let Some(r) = group_row[group_of[k]] {
                row_of.push(r);
                continue;
            }
            let quals = qualifier_of(k);
            // The divisions among this name's own readings (for the seat feature).
            let own_divisions: Vec<(&str, &str)> = c
                .iter()
                .filter(|o| o.fc == "ADM1")
                .map(|o| (o.cc, o.a1))
                .collect();
            let row = c
                .iter()
                .map(|x| {
                    let p = &x.place;
                    let (cc, fc) = (x.cc, x.fc);
                    let a1 = (cc, x.a1);
                    let mut f = Features::zeros(RESOLVER_FEATURES.len());
                    f.0[f_prior] = x.prior / 10.0;
                    f.0[f_primary] =
                        matches!(x.kind, MatchKind::Primary | MatchKind::Ascii) as u8 as f64;
                    if !x.country {
                        f.0[f_country] =
                            named_by_others(countries.get(cc), key_ids[k]) / country_count;
                    }
                    if fc != "ADM1" {
                        f.0[f_admin1] = named_by_others(admin1s.get(&a1), key_ids[k]);
                    }
                    f.0[f_hier] = quals.iter().any(|q| qualifier_contains(q, p)) as u8 as f64;
                    let mut prox = 0.0f64;
                    let mut near = 0.0f64;
                    if anchors.iter().any(|a| a.key != key_ids[k]) {
                        let u = unit_vector(p.lat(), p.lon());
                        for a in &anchors {
                            // Far anchors add nothing measurable: skip them on the cheap
                            // chord test before the exact distance.
                            if a.key == key_ids[k] || dot(u, a.unit) < FAR_COS {
                                continue;
                            }
                            let d = chord_distance_km(u, a.unit);
                            prox += a.weight * (-d / PROXIMITY_KM).exp();
                            near += a.weight * (-d / NEAR_KM).exp();
                        }
                    }
                    f.0[f_prox] = prox.min(3.0) / 3.0;
                    f.0[f_near] = near.min(3.0) / 3.0;
                    let own = own_votes[key_ids[k]].as_ref();
                    f.0[f_cvote] = (country_vote.get(cc).copied().unwrap_or(0.0)
                        - own.and_then(|v| v.country.get(cc)).copied().unwrap_or(0.0))
                    .max(0.0)
                        / others;
                    f.0[f_avote] = (admin1_vote.get(&a1).copied().unwrap_or(0.0)
                        - own.and_then(|v| v.admin1.get(&a1)).copied().unwrap_or(0.0))
                    .max(0.0)
                        / others;
                    // The seat of a division that has the same name ("Gao", "Aleppo"): the
                    // mention names both, and the model learns which is meant.
                    let seat =
                        (fc.starts_with("PPLA") || fc == "PPLC") && own_divisions.contains(&a1);
                    f.0[f_seat] = seat as u8 as f64;
                    (p.idx(), f)
                })
                .collect();
            rows.push(row);
            row_of.push(rows.len() - 1);
            if unqualified {
                group_row[group_of[k]] = Some(rows.len() - 1);
            }
        }
        (rows, row_of)
    }
}

/// An empty map with room for `n` entries (the maps here are filled once and never shrink).
fn sized<K, V>(n: usize) -> HashMap<K, V> {
    HashMap::with_capacity_and_hasher(n, Default::default())
}

/// How one name spreads its prior over countries and divisions.
struct Votes<'a> {
    country: HashMap<&'a str, f64>,
    admin1: HashMap<(&'a str, &'a str), f64>,
}

/// A point the document's places cluster around.
struct Anchor {
    key: usize,
    /// The point as a unit vector (see [`unit_vector`]).
    unit: [f64; 3],
    weight: f64,
}

/// Cosine of the central angle beyond which an anchor is ignored (5,000 km: its proximity
/// evidence, e^(-5000/250), is below 10^-8).
const FAR_COS: f64 = 0.707_7;

fn unit_vector(lat: f64, lon: f64) -> [f64; 3] {
    let (sp, cp) = lat.to_radians().sin_cos();
    let (sl, cl) = lon.to_radians().sin_cos();
    [cp * cl, cp * sl, sp]
}

/// Great-circle distance between two unit vectors, from their chord: 2R·asin(|u − v| / 2).
/// The same distance as [`distance_km`] without recomputing the points' sines and cosines.
fn chord_distance_km(u: [f64; 3], v: [f64; 3]) -> f64 {
    let (x, y, z) = (u[0] - v[0], u[1] - v[1], u[2] - v[2]);
    let half = (x * x + y * y + z * z).sqrt() / 2.0;
    2.0 * EARTH_RADIUS_KM * half.min(1.0).asin()
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// A small integer per distinct mention key (same key, same id).
fn key_ids(mentions: &[Mention]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_by(|&a, &b| mentions[a].key.cmp(&mentions[b].key));
    let mut ids = vec![0; mentions.len()];
    let mut next = 0;
    for (n, &i) in order.iter().enumerate() {
        if n > 0 && mentions[order[n - 1]].key != mentions[i].key {
            next += 1;
        }
        ids[i] = next;
    }
    ids
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
        let key_ids = key_ids(mentions);
        let (rows, row_of) = self.features(gaz, mentions, &key_ids);
        self.choose(&key_ids, &rows, &row_of)
            .into_iter()
            .zip(&row_of)
            .map(|(c, &r)| c.map(|(i, p)| (rows[r][i].0, p)))
            .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::distance_km;

    /// (text, name in it, country code and feature code of the place it must resolve to).
    const CASES: &[(&str, &str, &str, &str)] = &[
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
        let gp = Geoparser::new(Gazetteer::embedded());
        for &(text, name, cc, fc) in CASES {
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
        ];
        let gp = Geoparser::new(Gazetteer::embedded());
        for &(text, want) in cases {
            let got: Vec<String> = gp.geoparse(text).into_iter().map(|t| t.name).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn key_ids_group_equal_keys() {
        let m = |key: &str| Mention {
            byte_start: 0,
            byte_end: 0,
            key: key.to_string(),
            candidates: Vec::new(),
            kind: MentionKind::Place,
            probability: 1.0,
            features: Features::default(),
            qualifier: None,
            ap_qualifier: None,
        };
        let ids = key_ids(&[m("paris"), m("texas"), m("paris"), m("aleppo")]);
        assert_eq!(ids[0], ids[2]);
        assert_ne!(ids[0], ids[1]);
        assert_ne!(ids[1], ids[3]);
        assert_ne!(ids[0], ids[3]);
    }

    #[test]
    fn far_anchors_are_beyond_the_cutoff() {
        // Damascus–Aleppo (about 310 km) is near; Damascus–Geneva (about 2,900 km) is inside the
        // cutoff too; Damascus–Washington is not.
        let dam = unit_vector(33.51, 36.29);
        assert!(dot(dam, unit_vector(36.20, 37.16)) > FAR_COS);
        assert!(dot(dam, unit_vector(46.20, 6.14)) > FAR_COS);
        assert!(dot(dam, unit_vector(38.90, -77.04)) < FAR_COS);
    }

    #[test]
    fn chord_distance_is_the_great_circle_distance() {
        // (lat, lon) pairs: neighbours, a continent apart, antipodes, across ±180°, one point.
        let pairs = [
            ((33.51, 36.29), (33.46, 36.25)),
            ((33.51, 36.29), (46.20, 6.14)),
            ((0.0, 0.0), (0.0, 180.0)),
            ((-17.8, 178.9), (-16.5, -179.9)),
            ((36.2, 37.16), (36.2, 37.16)),
        ];
        for ((a_lat, a_lon), (b_lat, b_lon)) in pairs {
            let chord = chord_distance_km(unit_vector(a_lat, a_lon), unit_vector(b_lat, b_lon));
            let haversine = distance_km(a_lat, a_lon, b_lat, b_lon);
            assert!(
                (chord - haversine).abs() < 1e-6,
                "{a_lat},{a_lon} → {b_lat},{b_lon}: {chord} vs {haversine}"
            );
        }
    }
}
