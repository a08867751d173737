//! The recognizer's decision model: logistic regression over named context features.
//!
//! Weights are plain text (`data/models/recognizer.tsv`: `feature<TAB>weight`), embedded at
//! compile time and reproducible with `eventmap train` (L2-regularized, fitted by Newton's method,
//! so the same examples always give the same weights).
//!
//! ```
//! use eventmap::recognize::{Features, Model};
//!
//! let model = Model::from_tsv("bias\t-1\ncommon_word\t-4\nprev_place_prep\t4\n").unwrap();
//! let mut f = Features::default();
//! f.set("bias", 1.0);
//! f.set("prev_place_prep", 1.0);
//! assert!(model.probability(&f) > 0.9);
//! f.set("common_word", 1.0);
//! assert!(model.probability(&f) < 0.5);
//! ```

use std::sync::OnceLock;

/// Names of all features, in vector order.
pub const FEATURES: &[&str] = &[
    "bias",
    "sent_start",
    "common_word",
    "common_word_start",
    "first_name",
    "prev_title",
    "prev_first_name",
    "next_speech_verb",
    "next_cap_word",
    "next_org_head",
    "prev_place_prep",
    "place_noun",
    "direction_before",
    "qualified",
    "is_country",
    "is_admin1",
    "is_capital",
    "is_region",
    "log_pop",
    "abbreviation",
    "demonym",
    "multi_word",
    "all_caps",
    "short",
    "headline",
    "person_in_doc",
    "possessive",
    "hyphen_after",
    "repeated",
    "lower_in_doc",
    "prev_the",
    "alternate_only",
    "inside_cap_run",
    "calendar",
    "alternate_only_rare",
    "speech_after_prep",
    "fold",
    "common_word_start_major",
    "next_eponym_head",
    "less_common_word",
    "no_population",
    "place_in_doc",
    "caps_unlisted",
    "org_name",
    "ap_abbreviation",
    "relative_after",
];

/// Position of `name` in `names`, usable in constants: `feature_index(FEATURES, "bias")`.
/// Evaluated at compile time, an unknown name is a build error.
pub const fn feature_index(names: &[&str], name: &str) -> usize {
    let mut i = 0;
    while i < names.len() {
        let a = names[i].as_bytes();
        let b = name.as_bytes();
        if a.len() == b.len() {
            let mut k = 0;
            while k < a.len() && a[k] == b[k] {
                k += 1;
            }
            if k == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("unknown feature name")
}

/// A feature vector (one value per entry of [`FEATURES`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Features(pub Vec<f64>);

impl Default for Features {
    fn default() -> Self {
        Features(vec![0.0; FEATURES.len()])
    }
}

impl Features {
    /// Sets a feature by name; unknown names are a programming error caught by tests.
    pub fn set(&mut self, name: &str, value: f64) {
        if let Some(i) = FEATURES.iter().position(|f| *f == name) {
            self.0[i] = value;
        } else {
            debug_assert!(false, "unknown feature {name}");
        }
    }

    /// A zero vector of `n` values (for models over other feature lists).
    pub fn zeros(n: usize) -> Self {
        Features(vec![0.0; n])
    }

    /// Sets the feature at index `i` (see [`feature_index`]).
    #[inline]
    pub fn put(&mut self, i: usize, value: f64) {
        self.0[i] = value;
    }

    /// Value of a feature by name (0 when unknown).
    pub fn get(&self, name: &str) -> f64 {
        FEATURES
            .iter()
            .position(|f| *f == name)
            .map(|i| self.0[i])
            .unwrap_or(0.0)
    }
}

/// Index of `log_pop`, the one recognizer feature whose values are not just 0 and 1.
const LOG_POP: usize = feature_index(FEATURES, "log_pop");

const _: () = assert!(FEATURES.len() <= 64, "a MentionFeatures bit per feature");

/// A recognizer feature vector (over [`FEATURES`]) held without allocating. Every feature but
/// `log_pop` is 0 or 1, so the vector is the set of features that are 1 and the value of
/// `log_pop`.
///
/// ```
/// use eventmap::recognize::{FEATURES, MentionFeatures, Model};
///
/// let model = Model::from_tsv("bias\t-1\nprev_place_prep\t4\n").unwrap();
/// let mut f = MentionFeatures::default();
/// f.flag(0, true); // bias
/// f.flag(FEATURES.iter().position(|n| *n == "prev_place_prep").unwrap(), true);
/// assert_eq!(model.probability_of(&f), model.probability(&f.to_features()));
/// ```
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct MentionFeatures {
    /// Bit `i` set: feature `i` is 1 (never the bit of `log_pop`).
    ones: u64,
    /// The value of `log_pop`.
    log_pop: f64,
}

impl MentionFeatures {
    /// Sets the 0/1 feature at index `i` (see [`feature_index`]) to 1 if `on`, else leaves it.
    #[inline]
    pub fn flag(&mut self, i: usize, on: bool) {
        debug_assert!(i != LOG_POP && i < FEATURES.len(), "not a 0/1 feature: {i}");
        self.ones |= u64::from(on) << i;
    }

    /// Sets `log_pop`.
    pub fn set_log_pop(&mut self, value: f64) {
        self.log_pop = value;
    }

    /// The value of the feature at index `i`.
    pub fn value(&self, i: usize) -> f64 {
        if i == LOG_POP {
            self.log_pop
        } else {
            (self.ones >> i & 1) as f64
        }
    }

    /// The vector as [`Features`] (for training).
    pub fn to_features(&self) -> Features {
        Features((0..FEATURES.len()).map(|i| self.value(i)).collect())
    }
}

/// Logistic-regression weights over a named feature list.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    names: &'static [&'static str],
    weights: Vec<f64>,
}

/// A weights file line that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ModelError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

const EMBEDDED: &str = include_str!("../../data/models/recognizer.tsv");

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl Model {
    /// The weights embedded in the binary.
    pub fn embedded() -> &'static Model {
        static M: OnceLock<Model> = OnceLock::new();
        M.get_or_init(|| {
            Model::from_tsv(EMBEDDED).unwrap_or_else(|_| Model {
                names: FEATURES,
                weights: vec![0.0; FEATURES.len()],
            })
        })
    }

    /// Reads `feature<TAB>weight` lines (`#` comments allowed; missing features weigh 0).
    pub fn from_tsv(text: &str) -> Result<Model, ModelError> {
        Model::from_tsv_named(FEATURES, text)
    }

    /// Like [`Model::from_tsv`], over another feature list.
    pub fn from_tsv_named(names: &'static [&'static str], text: &str) -> Result<Model, ModelError> {
        let mut weights = vec![0.0; names.len()];
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |reason: String| ModelError {
                line: n + 1,
                reason,
            };
            let (name, w) = line
                .split_once('\t')
                .ok_or_else(|| err("expected feature<TAB>weight".into()))?;
            let i = names
                .iter()
                .position(|f| *f == name)
                .ok_or_else(|| err(format!("unknown feature {name:?}")))?;
            weights[i] = w
                .trim()
                .parse()
                .map_err(|_| err(format!("bad weight {w:?}")))?;
        }
        Ok(Model { names, weights })
    }

    /// Writes the weights in the format [`Model::from_tsv`] reads.
    pub fn to_tsv(&self, header: &str) -> String {
        let mut s = String::new();
        for l in header.lines() {
            s.push_str("# ");
            s.push_str(l);
            s.push('\n');
        }
        for (name, w) in self.names.iter().zip(&self.weights) {
            s.push_str(&format!("{name}\t{w:.4}\n"));
        }
        s
    }

    /// The linear score (log-odds) of a feature vector.
    pub fn logit(&self, f: &Features) -> f64 {
        self.weights.iter().zip(&f.0).map(|(w, x)| w * x).sum()
    }

    /// Probability that the features describe a place.
    pub fn probability(&self, f: &Features) -> f64 {
        sigmoid(self.weights.iter().zip(&f.0).map(|(w, x)| w * x).sum())
    }

    /// [`Model::probability`] of a recognizer vector held as [`MentionFeatures`], for a model
    /// over [`FEATURES`]. Only the nonzero terms are summed, in the same order: a zero term
    /// leaves a nonzero sum as it is, and a zero sum's sign does not change the probability, so
    /// the value is exactly that of the dense vector.
    pub fn probability_of(&self, f: &MentionFeatures) -> f64 {
        debug_assert_eq!(self.weights.len(), FEATURES.len());
        let mut ones = f.ones;
        let mut z = 0.0;
        let mut log_pop_added = f.log_pop == 0.0;
        while ones != 0 {
            let i = ones.trailing_zeros() as usize;
            if !log_pop_added && i > LOG_POP {
                z += self.weights[LOG_POP] * f.log_pop;
                log_pop_added = true;
            }
            z += self.weights[i];
            ones &= ones - 1;
        }
        if !log_pop_added {
            z += self.weights[LOG_POP] * f.log_pop;
        }
        sigmoid(z)
    }

    /// Fits L2-regularized logistic regression with Newton's method (deterministic).
    pub fn train(examples: &[(Features, bool)], l2: f64, iterations: usize) -> Model {
        Model::train_named(FEATURES, examples, l2, iterations)
    }

    /// Like [`Model::train`], over another feature list (vectors of `names.len()` values).
    pub fn train_named(
        names: &'static [&'static str],
        examples: &[(Features, bool)],
        l2: f64,
        iterations: usize,
    ) -> Model {
        let d = names.len();
        let mut w = vec![0.0; d];
        for _ in 0..iterations {
            let mut grad = vec![0.0; d];
            let mut hess = vec![vec![0.0; d]; d];
            for (x, y) in examples {
                let p = sigmoid(w.iter().zip(&x.0).map(|(a, b)| a * b).sum());
                let r = p - if *y { 1.0 } else { 0.0 };
                let s = p * (1.0 - p);
                for (g, xi) in grad.iter_mut().zip(&x.0) {
                    *g += r * xi;
                }
                add_outer(&mut hess, &x.0, s);
            }
            for i in 0..d {
                grad[i] += l2 * w[i];
                hess[i][i] += l2;
            }
            if newton_step(&mut w, grad, hess) < 1e-6 {
                break;
            }
        }
        Model { names, weights: w }
    }

    /// Fits a conditional-logit ranking model: in each group (the candidates of one mention)
    /// the softmax of the scores should put its mass on the candidates marked right. Groups with
    /// no right candidate are skipped. Minimizes the mean negative log-likelihood plus an L2
    /// penalty (`l2 / 2n · |w|²`, n groups) with Newton's method from `start`, at most
    /// `iterations` steps, to convergence: the optimum is unique (the objective is convex and the
    /// penalty makes it strictly so), so the weights depend on the data, not on how the search
    /// went. Deterministic.
    pub fn train_ranking(
        start: &Model,
        groups: &[Vec<(Features, bool)>],
        l2: f64,
        iterations: usize,
    ) -> Model {
        let d = start.weights.len();
        let mut w = start.weights.clone();
        let groups: Vec<&Vec<(Features, bool)>> =
            groups.iter().filter(|g| g.iter().any(|c| c.1)).collect();
        let n = groups.len().max(1) as f64;
        for _ in 0..iterations {
            let mut grad = vec![0.0; d];
            let mut hess = vec![vec![0.0; d]; d];
            let mut mean = vec![0.0; d];
            for g in &groups {
                let scores: Vec<f64> = g
                    .iter()
                    .map(|(x, _)| w.iter().zip(&x.0).map(|(a, b)| a * b).sum())
                    .collect();
                let top = scores.iter().copied().fold(f64::MIN, f64::max);
                let z: f64 = scores.iter().map(|s| (s - top).exp()).sum();
                let right = g.iter().filter(|c| c.1).count() as f64;
                // The gradient is Σ (p − target)·x; the Hessian Σ p·x·xᵀ − m·mᵀ, with m = Σ p·x.
                mean.fill(0.0);
                for ((x, y), s) in g.iter().zip(&scores) {
                    let p = (s - top).exp() / z;
                    let target = if *y { 1.0 / right } else { 0.0 };
                    for i in 0..d {
                        grad[i] += (p - target) * x.0[i];
                        mean[i] += p * x.0[i];
                    }
                    add_outer(&mut hess, &x.0, p);
                }
                add_outer(&mut hess, &mean, -1.0);
            }
            for i in 0..d {
                grad[i] = (grad[i] + l2 * w[i]) / n;
                for h in hess[i].iter_mut() {
                    *h /= n;
                }
                hess[i][i] += l2 / n;
            }
            if newton_step(&mut w, grad, hess) < 1e-9 {
                break;
            }
        }
        Model {
            names: start.names,
            weights: w,
        }
    }

    /// Weight of a feature by name.
    pub fn weight(&self, name: &str) -> f64 {
        self.names
            .iter()
            .position(|f| *f == name)
            .map(|i| self.weights[i])
            .unwrap_or(0.0)
    }
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting.
/// Adds `weight · x·xᵀ` to `hess` (rows of `x` that are 0 add nothing).
fn add_outer(hess: &mut [Vec<f64>], x: &[f64], weight: f64) {
    for (row, &xi) in hess.iter_mut().zip(x) {
        if xi == 0.0 {
            continue;
        }
        for (h, xj) in row.iter_mut().zip(x) {
            *h += weight * xi * xj;
        }
    }
}

/// One Newton step on `w` (the step solves `hess · step = grad`); returns its largest move.
fn newton_step(w: &mut [f64], grad: Vec<f64>, hess: Vec<Vec<f64>>) -> f64 {
    let step = solve(hess, grad);
    let mut change = 0.0f64;
    for (wi, si) in w.iter_mut().zip(&step) {
        *wi -= si;
        change = change.max(si.abs());
    }
    change
}

fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for c in 0..n {
        let p = (c..n)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .unwrap_or(c);
        a.swap(c, p);
        b.swap(c, p);
        let piv = a[c][c];
        if piv.abs() < 1e-12 {
            continue;
        }
        for r in c + 1..n {
            let f = a[r][c] / piv;
            if f == 0.0 {
                continue;
            }
            let (top, bottom) = a.split_at_mut(r);
            for (dst, src) in bottom[0][c..].iter_mut().zip(&top[c][c..]) {
                *dst -= f * src;
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = vec![0.0; n];
    for c in (0..n).rev() {
        let s: f64 = (c + 1..n).map(|k| a[c][k] * x[k]).sum();
        x[c] = if a[c][c].abs() < 1e-12 {
            0.0
        } else {
            (b[c] - s) / a[c][c]
        };
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn training_separates_a_simple_rule() {
        // Places follow a preposition; common words do not.
        let mut ex = Vec::new();
        for k in 0..40 {
            let mut f = Features::default();
            f.set("bias", 1.0);
            let place = k % 2 == 0;
            f.set(
                if place {
                    "prev_place_prep"
                } else {
                    "common_word"
                },
                1.0,
            );
            ex.push((f, place));
        }
        let m = Model::train(&ex, 1.0, 50);
        assert!(m.weight("prev_place_prep") > 1.0);
        assert!(m.weight("common_word") < -1.0);
        let again = Model::train(&ex, 1.0, 50);
        assert_eq!(m, again, "training is deterministic");
    }

    #[test]
    fn mention_features_score_as_their_dense_vectors() {
        let model = Model::embedded();
        let idx = |name| feature_index(FEATURES, name);
        // (features that are 1, log_pop)
        let cases: &[(&[&str], f64)] = &[
            (&[], 0.0),
            (&["bias"], 0.0),
            (&["bias"], 0.7),
            (&["bias", "sent_start", "common_word", "is_region"], 0.0),
            (&["bias", "is_country", "is_capital", "abbreviation"], 0.9),
            (&["bias", "prev_place_prep", "demonym", "fold"], 0.31),
            (&["common_word", "lower_in_doc", "speech_after_prep"], 1e-9),
            (&["fold"], 0.5),
            (FEATURES, 0.0),
        ];
        for &(ones, log_pop) in cases {
            let mut f = MentionFeatures::default();
            for &name in ones.iter().filter(|&&n| n != "log_pop") {
                f.flag(idx(name), true);
            }
            f.flag(idx("bias"), false); // `false` leaves a feature as it is
            f.set_log_pop(log_pop);
            let dense = f.to_features();
            for (i, name) in FEATURES.iter().enumerate() {
                let want = if i == LOG_POP {
                    log_pop
                } else {
                    f64::from(u8::from(ones.contains(name)))
                };
                assert_eq!(f.value(i), want, "{name} in {ones:?}");
                assert_eq!(dense.0[i], want, "{name} in {ones:?}");
            }
            let (sparse, full) = (model.probability_of(&f), model.probability(&dense));
            assert_eq!(sparse.to_bits(), full.to_bits(), "{ones:?} {log_pop}");
        }
    }

    #[test]
    fn ranking_fit_reaches_the_one_optimum_from_any_start() {
        // Groups of candidates with two features; in each group the right candidate is the
        // one with the larger first feature, unless the second feature is large (a noisy rule,
        // so the optimum is finite).
        const NAMES: &[&str] = &["a", "b"];
        let mut groups = Vec::new();
        for i in 0..40 {
            let mut group: Vec<(Features, bool)> = (0..3)
                .map(|k| {
                    let a = f64::from((i * 7 + k * 5) % 11) / 10.0;
                    let b = f64::from((i * 3 + k * 2) % 7) / 6.0;
                    (Features(vec![a, b]), false)
                })
                .collect();
            let best = (0..3)
                .max_by(|&x, &y| {
                    let score = |c: &(Features, bool)| c.0.0[0] - 0.8 * c.0.0[1] * f64::from(i % 3);
                    score(&group[x]).total_cmp(&score(&group[y]))
                })
                .unwrap();
            group[best].1 = true;
            groups.push(group);
        }
        let fit = |start: Vec<f64>| {
            let start = Model {
                names: NAMES,
                weights: start,
            };
            Model::train_ranking(&start, &groups, 1.0, 100).weights
        };
        let (w1, w2) = (fit(vec![0.0, 0.0]), fit(vec![5.0, -3.0]));
        for (a, b) in w1.iter().zip(&w2) {
            assert!((a - b).abs() < 1e-6, "{w1:?} vs {w2:?}");
        }
        // The larger first feature wins.
        assert!(w1[0] > 0.0, "{w1:?}");
    }

    #[test]
    fn tsv_round_trip_and_errors() {
        let m = Model::from_tsv("bias\t0.5\nlog_pop\t2\n").unwrap();
        let back = Model::from_tsv(&m.to_tsv("made by a test")).unwrap();
        assert_eq!(m, back);
        let e = Model::from_tsv("bias\t0.5\nnot_a_feature\t1\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(Model::from_tsv("bias\tx\n").is_err());
    }
}
