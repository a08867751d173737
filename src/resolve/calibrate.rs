//! Confidence calibration: what a toponym's `confidence` says is the probability that the name
//! is a place *and* resolved within 161 km of where it is.
//!
//! The recognizer's probability that a name is a place and the resolver's probability for the
//! place it chose (the logistic of that candidate's score) are scores, not yet such a
//! probability: both models are fitted on the documents they are then judged on, their errors
//! are not independent, and their product is too confident on held-out documents.
//! [`Calibration`] maps the two through a logistic model (Platt scaling, one weight for each,
//! see [`CALIBRATION_FEATURES`]), with a term of its own for demonyms, whose recognition
//! probability is set by a rule; `eventmap train` fits the four weights on held-out documents
//! (`data/models/confidence.tsv`), and `eventmap eval` reports how well the result is
//! calibrated (Brier score and expected calibration error).
//!
//! ```
//! use eventmap::resolve::{Calibration, ConfidenceParts, MentionKind};
//!
//! let parts = |recognized, resolved| ConfidenceParts { recognized, resolved, kind: MentionKind::Place };
//! let c = Calibration::embedded();
//! let (low, high) = (c.apply(parts(0.6, 0.5)), c.apply(parts(0.95, 0.99)));
//! assert!(0.0 < low && low < high && high < 1.0);
//! // Without calibration, the confidence is the product of the two.
//! assert_eq!(Calibration::identity().apply(parts(0.5, 0.8)), 0.4);
//! ```

use crate::recognize::{Features, Model};

use super::MentionKind;

/// Names of the calibration features, in vector order: a constant, the logit of the
/// recognizer's probability, the resolver's probability in nines (−log10(1 − p), 1 at 0.9, 3 at
/// 0.999, at most 4), and whether the toponym is a demonym. The resolver's probability for the
/// place it chose is mostly very close to 1, and how many nines it has is what tells right from
/// wrong.
pub const CALIBRATION_FEATURES: &[&str] = &["bias", "recognized", "resolved", "demonym"];

const CALIBRATION_WEIGHTS: &str = include_str!("../../data/models/confidence.tsv");

/// Probabilities are kept this far from 0 and 1 before their logit is taken.
const EDGE: f64 = 1e-3;
/// The resolver's probability counts up to four nines (0.9999).
const MAX_NINES: f64 = 4.0;

/// What a toponym's confidence is calibrated from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConfidenceParts {
    /// The recognizer's probability that the name is a place here.
    pub recognized: f64,
    /// The resolver's probability of the place it chose.
    pub resolved: f64,
    pub kind: MentionKind,
}

/// A map from a toponym's [`ConfidenceParts`] to its calibrated confidence. See the module
/// docs.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// `None` leaves confidences as they are.
    model: Option<Model>,
}

impl Calibration {
    /// The calibration fitted by `eventmap train` (`data/models/confidence.tsv`).
    pub fn embedded() -> Calibration {
        Calibration::from_model(
            Model::from_tsv_named(CALIBRATION_FEATURES, CALIBRATION_WEIGHTS)
                .unwrap_or_else(|e| unreachable!("embedded calibration weights are valid: {e}")),
        )
    }

    /// No calibration: a confidence is the product of the two probabilities.
    pub fn identity() -> Calibration {
        Calibration { model: None }
    }

    /// A calibration with these weights (over [`CALIBRATION_FEATURES`]).
    pub fn from_model(model: Model) -> Calibration {
        Calibration { model: Some(model) }
    }

    /// The calibration features of a toponym.
    pub fn features(p: ConfidenceParts) -> Features {
        let logit = |x: f64| {
            let x = x.clamp(EDGE, 1.0 - EDGE);
            (x / (1.0 - x)).ln()
        };
        Features(vec![
            1.0,
            logit(p.recognized),
            -(1.0 - p.resolved).max(10f64.powf(-MAX_NINES)).log10(),
            f64::from(u8::from(p.kind == MentionKind::Demonym)),
        ])
    }

    /// The calibrated confidence of a toponym.
    pub fn apply(&self, p: ConfidenceParts) -> f64 {
        match &self.model {
            Some(m) => m.probability(&Calibration::features(p)),
            None => p.recognized * p.resolved,
        }
    }

    /// Fits the weights on `(parts, right)` examples: logistic regression with a light L2
    /// penalty, by Newton's method (deterministic).
    pub fn fit(examples: &[(ConfidenceParts, bool)]) -> Model {
        let rows: Vec<(Features, bool)> = examples
            .iter()
            .map(|&(p, right)| (Calibration::features(p), right))
            .collect();
        Model::train_named(CALIBRATION_FEATURES, &rows, 1e-3, 100)
    }
}

impl Default for Calibration {
    fn default() -> Self {
        Calibration::embedded()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(recognized: f64, resolved: f64, kind: MentionKind) -> ConfidenceParts {
        ConfidenceParts {
            recognized,
            resolved,
            kind,
        }
    }

    /// Examples whose outcomes follow a known curve: out of every 20 toponyms with the same
    /// parts, the first `round(20 · truth(parts))` are right.
    fn examples(
        truth: impl Fn(ConfidenceParts) -> f64,
        kind: MentionKind,
    ) -> Vec<(ConfidenceParts, bool)> {
        let mut out = Vec::new();
        for i in 1..10 {
            for resolved in [0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999, 0.9999] {
                let p = parts(f64::from(i) / 10.0, resolved, kind);
                let right = (20.0 * truth(p)).round() as usize;
                out.extend((0..20).map(|k| (p, k < right)));
            }
        }
        out
    }

    fn sigmoid(z: f64) -> f64 {
        1.0 / (1.0 + (-z).exp())
    }

    fn logit(x: f64) -> f64 {
        (x / (1.0 - x)).ln()
    }

    #[test]
    fn fit_recovers_a_known_curve() {
        // Right with probability σ(0.7·logit(recognized) + 0.9·nines(resolved) − 1) for places;
        // demonyms are right more often.
        let truth = |p: ConfidenceParts| {
            let demonym = if p.kind == MentionKind::Demonym {
                0.5
            } else {
                0.0
            };
            let nines = -(1.0 - p.resolved).log10();
            sigmoid(0.7 * logit(p.recognized) + 0.9 * nines - 1.0 + demonym)
        };
        let mut ex = examples(truth, MentionKind::Place);
        ex.extend(examples(truth, MentionKind::Demonym));
        let c = Calibration::from_model(Calibration::fit(&ex));
        for (r, s) in [(0.2, 0.5), (0.5, 0.9), (0.8, 0.3), (0.9, 0.999)] {
            for kind in [MentionKind::Place, MentionKind::Demonym] {
                let p = parts(r, s, kind);
                let got = c.apply(p);
                assert!(
                    (got - truth(p)).abs() < 0.03,
                    "{p:?}: {got} vs {}",
                    truth(p)
                );
            }
        }
    }

    #[test]
    fn calibrated_confidence_is_monotone_and_inside_the_unit_interval() {
        let c = Calibration::embedded();
        let steps = [0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0];
        for kind in [MentionKind::Place, MentionKind::Demonym] {
            for &fixed in &steps {
                let by_rec: Vec<f64> = steps
                    .iter()
                    .map(|&x| c.apply(parts(x, fixed, kind)))
                    .collect();
                let by_res: Vec<f64> = steps
                    .iter()
                    .map(|&x| c.apply(parts(fixed, x, kind)))
                    .collect();
                for got in [by_rec, by_res] {
                    assert!(got.windows(2).all(|w| w[0] <= w[1]), "{kind:?}: {got:?}");
                    assert!(got.iter().all(|&p| p > 0.0 && p < 1.0), "{kind:?}: {got:?}");
                }
            }
        }
    }
}
