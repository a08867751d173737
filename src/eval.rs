//! Geoparsing evaluation: recognition precision/recall/F1 (exact and overlapping spans),
//! resolution accuracy at 161 km, mean/median error, AUC of the log-error curve, and end-to-end
//! acc@161 — with the same definitions (and rounding) as the reference scorer
//! `score_geoparse.py`, so numbers from either can be compared directly — and, beyond the
//! reference scorer, how well the system's `confidence` is calibrated ([`calibration`]).
//!
//! Spans are code-point offsets, end exclusive, as in the gold corpora.
//!
//! ```
//! use eventmap::eval::{score, GoldDoc, SpanPoint};
//!
//! let gold = vec![GoldDoc {
//!     id: "d1".into(),
//!     toponyms: vec![SpanPoint { start: 0, end: 6, lat: Some(36.2), lon: Some(37.16), geonameid: Some(170063), confidence: None }],
//! }];
//! let system = vec![GoldDoc {
//!     id: "d1".into(),
//!     toponyms: vec![SpanPoint { start: 0, end: 6, lat: Some(36.21), lon: Some(37.15), geonameid: Some(170063), confidence: Some(0.9) }],
//! }];
//! let s = score(&gold, &system);
//! assert_eq!(s.exact.f1, 1.0);
//! assert_eq!(s.acc161, Some(1.0));
//! // One toponym, right, at confidence 0.9: Brier score (1 − 0.9)².
//! assert_eq!(s.calibration.unwrap().brier, 0.01);
//! ```

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

/// Mean Earth radius used by the reference scorer (km).
pub const EARTH_KM: f64 = 6371.0088;
/// Half the Earth's circumference: the largest possible error (km).
pub const MAX_ERR_KM: f64 = 20039.0;
/// A resolved toponym within this distance (km) of its gold point counts as right (acc@161).
pub const ACC_KM: f64 = 161.0;

/// A toponym span with optional coordinates (gold or system side).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpanPoint {
    pub start: usize,
    pub end: usize,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub geonameid: Option<i64>,
    /// A system toponym's confidence (what [`calibration`] judges); gold toponyms have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
}

impl From<&crate::resolve::Toponym> for SpanPoint {
    /// The scored part of a system toponym: span, point, GeoNames id and confidence.
    fn from(t: &crate::resolve::Toponym) -> Self {
        SpanPoint {
            start: t.start,
            end: t.end,
            lat: Some(t.lat),
            lon: Some(t.lon),
            geonameid: t.geonameid.map(i64::from),
            confidence: Some(t.confidence),
        }
    }
}

impl SpanPoint {
    fn coords(&self) -> Option<(f64, f64)> {
        Some((self.lat?, self.lon?))
    }
}

/// A document's toponyms (gold or system).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldDoc {
    pub id: String,
    #[serde(default)]
    pub toponyms: Vec<SpanPoint>,
}

/// Precision, recall and F1, rounded to 4 decimals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// All figures of one evaluation, in the reference scorer's key order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub documents: usize,
    pub gold_toponyms: usize,
    pub system_toponyms: usize,
    pub exact: Prf,
    pub overlap: Prf,
    pub resolved_pairs: usize,
    pub acc161: Option<f64>,
    pub mean_km: Option<f64>,
    pub median_km: Option<f64>,
    pub auc: Option<f64>,
    pub geonameid_agreement: Option<f64>,
    pub end_to_end_acc161: Option<f64>,
    /// How well the system toponyms' confidences are calibrated; `None` when none has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<CalibrationScores>,
}

/// How well confidences predict that a system toponym is right: it overlaps a gold toponym
/// (paired one to one as for recognition) whose point lies within 161 km of the system's. A
/// toponym paired with a gold toponym without a point is not judged; one paired with none is
/// wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationScores {
    /// Toponyms judged.
    pub toponyms: usize,
    /// Mean squared difference between confidence and outcome (0 best), rounded to 4 decimals.
    pub brier: f64,
    /// Expected calibration error over ten equal-width confidence bins: the mean, weighted by
    /// the bins' sizes, of |share right − mean confidence| (0 best), rounded to 4 decimals.
    pub ece: f64,
    /// The reliability table behind `ece`: the bins that hold toponyms, lowest first.
    pub bins: Vec<ReliabilityBin>,
}

/// One confidence bin of [`CalibrationScores`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityBin {
    /// The bin is `[low, low + 0.1)` (the last one includes 1).
    pub low: f64,
    pub toponyms: usize,
    /// Mean confidence in the bin, rounded to 4 decimals.
    pub confidence: f64,
    /// Share of the bin's toponyms that are right, rounded to 4 decimals.
    pub right: f64,
}

/// Whether each system toponym of one document is right (see [`CalibrationScores`]), in system
/// order: `None` for one paired with a gold toponym without a point (not judged).
pub fn judge(gold: &[SpanPoint], system: &[SpanPoint]) -> Vec<Option<bool>> {
    judge_pairs(&pair_overlaps(gold, system), system)
}

/// [`judge`] with the document's [`pair_overlaps`] already made.
fn judge_pairs(pairs: &[(&SpanPoint, &SpanPoint)], system: &[SpanPoint]) -> Vec<Option<bool>> {
    system
        .iter()
        .map(
            |s| match pairs.iter().find(|(_, st)| std::ptr::eq(*st, s)) {
                None => Some(false),
                Some((g, _)) => {
                    let ((a, b), (x, y)) = (g.coords()?, s.coords()?);
                    Some(haversine_km(a, b, x, y) <= ACC_KM)
                }
            },
        )
        .collect()
}

/// Calibration scores of judged `(confidence, right)` pairs; `None` for none.
pub fn calibration(judged: &[(f64, bool)]) -> Option<CalibrationScores> {
    if judged.is_empty() {
        return None;
    }
    let n = judged.len() as f64;
    let outcome = |r: bool| f64::from(u8::from(r));
    let brier = judged
        .iter()
        .map(|&(c, r)| (c - outcome(r)).powi(2))
        .sum::<f64>()
        / n;
    // (toponyms, sum of confidences, right) per bin.
    let mut sums = [(0usize, 0.0f64, 0usize); 10];
    for &(c, r) in judged {
        let b = ((c * 10.0).floor().max(0.0) as usize).min(9);
        sums[b].0 += 1;
        sums[b].1 += c;
        sums[b].2 += usize::from(r);
    }
    let mut ece = 0.0;
    let mut bins = Vec::new();
    for (b, &(k, conf, right)) in sums.iter().enumerate() {
        if k == 0 {
            continue;
        }
        let (conf, right) = (conf / k as f64, right as f64 / k as f64);
        ece += k as f64 / n * (right - conf).abs();
        bins.push(ReliabilityBin {
            low: b as f64 / 10.0,
            toponyms: k,
            confidence: round_to(conf, 4),
            right: round_to(right, 4),
        });
    }
    Some(CalibrationScores {
        toponyms: judged.len(),
        brier: round_to(brier, 4),
        ece: round_to(ece, 4),
        bins,
    })
}

/// Great-circle distance in km (haversine, as the reference scorer computes it).
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_KM * a.sqrt().min(1.0).asin()
}

/// Python's `round(x, n)`: correctly rounded from the exact binary value, ties to even —
/// which is what Rust's float formatting does too.
fn round_to(x: f64, digits: usize) -> f64 {
    format!("{x:.digits$}").parse().unwrap_or(x)
}

fn prf(tp: usize, n_sys: usize, n_gold: usize) -> Prf {
    let p = if n_sys > 0 {
        tp as f64 / n_sys as f64
    } else {
        0.0
    };
    let r = if n_gold > 0 {
        tp as f64 / n_gold as f64
    } else {
        0.0
    };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    Prf {
        precision: round_to(p, 4),
        recall: round_to(r, 4),
        f1: round_to(f, 4),
    }
}

/// One-to-one greedy pairing of overlapping spans, largest overlap first (ties by gold index,
/// then system index — the order a sort of `(-overlap, i, j)` gives).
pub fn pair_overlaps<'a>(
    gold: &'a [SpanPoint],
    system: &'a [SpanPoint],
) -> Vec<(&'a SpanPoint, &'a SpanPoint)> {
    let mut cands = Vec::new();
    for (i, g) in gold.iter().enumerate() {
        for (j, s) in system.iter().enumerate() {
            let ov = g.end.min(s.end) as i64 - g.start.max(s.start) as i64;
            if ov > 0 {
                cands.push((-ov, i, j));
            }
        }
    }
    cands.sort_unstable();
    let (mut used_g, mut used_s) = (HashSet::new(), HashSet::new());
    let mut pairs = Vec::new();
    for (_, i, j) in cands {
        if used_g.contains(&i) || used_s.contains(&j) {
            continue;
        }
        used_g.insert(i);
        used_s.insert(j);
        pairs.push((&gold[i], &system[j]));
    }
    pairs
}

/// Area under the sorted, normalized log-error curve (lower is better); `None` below 2 errors.
pub fn auc(errors_km: &[f64]) -> Option<f64> {
    if errors_km.len() < 2 {
        return None;
    }
    let mut ys: Vec<f64> = errors_km
        .iter()
        .map(|e| e.ln_1p() / MAX_ERR_KM.ln())
        .collect();
    ys.sort_by(f64::total_cmp);
    let area: f64 = ys.windows(2).map(|w| (w[0] + w[1]) / 2.0).sum();
    Some(round_to(area / (ys.len() - 1) as f64, 4))
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// Scores system documents against gold documents (matched by id; a missing system document
/// counts as empty). Gold documents define the document set.
pub fn score(gold: &[GoldDoc], system: &[GoldDoc]) -> Scores {
    // Later duplicates win, as in the reference loader.
    let mut gold_map: Vec<&GoldDoc> = Vec::new();
    let mut gold_index: HashMap<&str, usize> = HashMap::new();
    for g in gold {
        match gold_index.get(g.id.as_str()) {
            Some(&k) => gold_map[k] = g,
            None => {
                gold_index.insert(&g.id, gold_map.len());
                gold_map.push(g);
            }
        }
    }
    let sys_map: HashMap<&str, &GoldDoc> = system.iter().map(|d| (d.id.as_str(), d)).collect();
    let empty: Vec<SpanPoint> = Vec::new();
    let (mut n_gold, mut n_sys, mut tp_exact, mut tp_overlap) = (0, 0, 0, 0);
    let (mut errors, mut id_agree, mut id_pairs, mut gold_with_coords) =
        (Vec::new(), 0usize, 0usize, 0usize);
    let mut judged = Vec::new();
    for g in &gold_map {
        let gt = &g.toponyms;
        let st = sys_map
            .get(g.id.as_str())
            .map(|d| &d.toponyms)
            .unwrap_or(&empty);
        n_gold += gt.len();
        n_sys += st.len();
        gold_with_coords += gt.iter().filter(|t| t.coords().is_some()).count();
        let spans: HashSet<(usize, usize)> = gt.iter().map(|t| (t.start, t.end)).collect();
        tp_exact += st
            .iter()
            .filter(|t| spans.contains(&(t.start, t.end)))
            .count();
        let pairs = pair_overlaps(gt, st);
        judged.extend(
            st.iter()
                .zip(judge_pairs(&pairs, st))
                .filter_map(|(s, right)| Some((s.confidence?, right?))),
        );
        tp_overlap += pairs.len();
        for (gt_t, st_t) in pairs {
            if let (Some((a, b)), Some((c, d))) = (gt_t.coords(), st_t.coords()) {
                errors.push(haversine_km(a, b, c, d));
            }
            if let (Some(a), Some(b)) = (gt_t.geonameid, st_t.geonameid)
                && a != 0
                && b != 0
            {
                id_pairs += 1;
                id_agree += usize::from(a == b);
            }
        }
    }
    let within = errors.iter().filter(|&&e| e <= ACC_KM).count();
    let mut sorted = errors.clone();
    sorted.sort_by(f64::total_cmp);
    let ratio = |a: usize, b: usize| {
        if b > 0 {
            Some(round_to(a as f64 / b as f64, 4))
        } else {
            None
        }
    };
    Scores {
        documents: gold_map.len(),
        gold_toponyms: n_gold,
        system_toponyms: n_sys,
        exact: prf(tp_exact, n_sys, n_gold),
        overlap: prf(tp_overlap, n_sys, n_gold),
        resolved_pairs: errors.len(),
        acc161: ratio(within, errors.len()),
        mean_km: (!errors.is_empty())
            .then(|| round_to(errors.iter().sum::<f64>() / errors.len() as f64, 1)),
        median_km: (!errors.is_empty()).then(|| round_to(median(&sorted), 1)),
        auc: auc(&errors),
        geonameid_agreement: ratio(id_agree, id_pairs),
        end_to_end_acc161: ratio(within, gold_with_coords),
        calibration: calibration(&judged),
    }
}

impl Scores {
    /// The human-readable table, one `key value` line per figure (as the reference scorer prints).
    pub fn to_table(&self) -> String {
        let opt = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_else(|| "None".into());
        let p = |x: &Prf| {
            format!(
                "{{'precision': {}, 'recall': {}, 'f1': {}}}",
                x.precision, x.recall, x.f1
            )
        };
        let mut rows: Vec<(&str, String)> = vec![
            ("documents", self.documents.to_string()),
            ("gold_toponyms", self.gold_toponyms.to_string()),
            ("system_toponyms", self.system_toponyms.to_string()),
            ("exact", p(&self.exact)),
            ("overlap", p(&self.overlap)),
            ("resolved_pairs", self.resolved_pairs.to_string()),
            ("acc161", opt(self.acc161)),
            ("mean_km", opt(self.mean_km)),
            ("median_km", opt(self.median_km)),
            ("auc", opt(self.auc)),
            ("geonameid_agreement", opt(self.geonameid_agreement)),
            ("end_to_end_acc161", opt(self.end_to_end_acc161)),
        ];
        if let Some(c) = &self.calibration {
            rows.push(("confidence_brier", c.brier.to_string()));
            rows.push(("confidence_ece", c.ece.to_string()));
        }
        rows.into_iter()
            .map(|(k, v)| format!("{k:22} {v}\n"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(start: usize, end: usize, ll: Option<(f64, f64)>) -> SpanPoint {
        SpanPoint {
            start,
            end,
            lat: ll.map(|x| x.0),
            lon: ll.map(|x| x.1),
            geonameid: None,
            confidence: None,
        }
    }

    #[test]
    fn python_rounding() {
        for (x, d, want) in [
            (0.12345, 4, 0.1235),
            (0.5, 0, 0.0),
            (1.5, 0, 2.0),
            (2.675, 2, 2.67),
            (161.25, 1, 161.2),
        ] {
            // 2.675 is 2.67499.. in binary, as in Python.
            assert_eq!(round_to(x, d), want, "{x}");
        }
    }

    #[test]
    fn haversine_known_distance() {
        // Geneva → Damascus, as the reference scorer computes it.
        let d = haversine_km(46.20222, 6.14569, 33.5102, 36.29128);
        assert!((d - 2909.5812).abs() < 1e-3, "{d}");
        assert_eq!(haversine_km(10.0, 10.0, 10.0, 10.0), 0.0);
    }

    #[test]
    fn overlap_pairing_is_one_to_one_largest_first() {
        let gold = vec![sp(0, 10, None), sp(12, 20, None)];
        let sys = vec![sp(5, 15, None), sp(0, 4, None)];
        let pairs = pair_overlaps(&gold, &sys);
        // (0,10)-(5,15) overlap 5 wins; both other candidates reuse one of its spans.
        assert_eq!(pairs.len(), 1);
        assert_eq!((pairs[0].0.start, pairs[0].1.start), (0, 5));
        let pairs = pair_overlaps(&gold, &sys[1..]);
        assert_eq!(pairs.len(), 1);
        assert_eq!((pairs[0].0.start, pairs[0].1.start), (0, 0));
    }

    #[test]
    fn calibration_judges_each_system_toponym() {
        let conf = |mut t: SpanPoint, c: f64| {
            t.confidence = Some(c);
            t
        };
        let gold = vec![
            sp(0, 5, Some((0.0, 0.0))),
            sp(10, 15, None),
            sp(30, 35, Some((10.0, 10.0))),
        ];
        let sys = vec![
            // Right: within 161 km of its gold point.
            conf(sp(0, 5, Some((0.5, 0.5))), 0.9),
            // Not judged: its gold toponym has no point.
            conf(sp(10, 15, Some((1.0, 1.0))), 0.8),
            // Wrong: no gold toponym there.
            conf(sp(20, 25, Some((1.0, 1.0))), 0.6),
            // Wrong: far from its gold point.
            conf(sp(30, 35, Some((20.0, 20.0))), 0.7),
        ];
        assert_eq!(
            judge(&gold, &sys),
            [Some(true), None, Some(false), Some(false)]
        );
        let s = score(
            &[GoldDoc {
                id: "a".into(),
                toponyms: gold,
            }],
            &[GoldDoc {
                id: "a".into(),
                toponyms: sys,
            }],
        );
        let c = s.calibration.expect("confidences were given");
        assert_eq!(c.toponyms, 3);
        // ((1 − 0.9)² + 0.6² + 0.7²) / 3 and (|1 − 0.9| + 0.6 + 0.7) / 3.
        assert_eq!(c.brier, 0.2867);
        assert_eq!(c.ece, 0.4667);
        let bins: Vec<(f64, usize, f64)> = c
            .bins
            .iter()
            .map(|b| (b.low, b.toponyms, b.right))
            .collect();
        assert_eq!(bins, [(0.6, 1, 0.0), (0.7, 1, 0.0), (0.9, 1, 1.0)]);
        // Without confidences there is nothing to judge.
        assert_eq!(calibration(&[]), None);
    }

    #[test]
    fn end_to_end_counts_misses_as_wrong() {
        let gold = vec![GoldDoc {
            id: "a".into(),
            toponyms: vec![sp(0, 5, Some((0.0, 0.0))), sp(10, 15, Some((10.0, 10.0)))],
        }];
        let sys = vec![GoldDoc {
            id: "a".into(),
            toponyms: vec![sp(0, 5, Some((0.5, 0.5)))],
        }];
        let s = score(&gold, &sys);
        assert_eq!(
            s.exact,
            Prf {
                precision: 1.0,
                recall: 0.5,
                f1: 0.6667
            }
        );
        assert_eq!(s.acc161, Some(1.0));
        assert_eq!(s.end_to_end_acc161, Some(0.5));
        assert_eq!(s.auc, None);
    }
}
