//! The static part of the place prior: how important a place is before any context is known.
//!
//! Two ingredients, both documented here because the index builder uses them to order postings
//! (most important place first) and [`super::DefaultPrior`] uses them to score candidates:
//!
//! * [`feature_weight`]: a fixed table over GeoNames feature codes. Countries and continents
//!   outrank capitals, capitals outrank first-order divisions, which outrank the seats of
//!   divisions (`PPLA`, `PPLA2`, …), which outrank ordinary populated places (`PPL`); sections of
//!   places, spots and buildings come last.
//! * the population, on a log scale ([`population_weight`]), so a city of 1.5 million beats a
//!   village of 500 with the same name, but a town does not beat a capital just by size.
//!
//! Depends only on `std` (the build script compiles this file too).

/// Importance of a feature type, on the same scale as [`population_weight`].
pub fn feature_weight(feature_class: u8, feature_code: &str) -> f64 {
    match feature_code {
        "CONT" => 7.0,
        "PCLI" | "PCL" | "PCLD" | "PCLF" | "PCLS" | "PCLIX" => 7.0,
        "TERR" | "PCLH" => 5.0,
        "RGN" | "RGNE" | "ZN" => 5.0,
        "PPLC" => 5.0,
        "PPLG" => 4.5,
        "ADM1" => 4.0,
        "PPLA" => 3.5,
        "ADM2" | "ADMD" => 2.5,
        "PPLA2" => 2.5,
        "ADM3" | "PPLA3" => 1.8,
        "ADM4" | "ADM5" | "PPLA4" | "PPLA5" => 1.5,
        "ISL" | "ISLS" | "PEN" | "DSRT" | "MTS" | "PLN" | "VAL" => 1.5,
        "PPL" | "PPLS" | "PPLF" | "PPLR" => 1.0,
        "PPLX" | "PPLL" => 0.6,
        "ADM1H" | "ADM2H" | "PPLCH" | "PPLH" | "PPLQ" | "PPLW" => 0.2,
        _ => match feature_class {
            b'A' => 1.5,
            b'L' => 1.2,
            b'P' => 0.8,
            b'H' | b'T' => 0.8,
            _ => 0.3,
        },
    }
}

/// Weight of a population figure: `0.8 · log10(1 + population)`.
pub fn population_weight(population: u64) -> f64 {
    0.8 * (1.0 + population as f64).log10()
}

/// [`feature_weight`] + [`population_weight`]: the context-free importance of a place.
pub fn static_score(feature_class: u8, feature_code: &str, population: u64) -> f64 {
    feature_weight(feature_class, feature_code) + population_weight(population)
}

/// [`static_score`] quantized to 16 bits (higher = more important), used to order postings.
pub fn static_rank(feature_class: u8, feature_code: &str, population: u64) -> u16 {
    let score = static_score(feature_class, feature_code, population);
    (score * 1000.0).clamp(0.0, u16::MAX as f64) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_order() {
        let order = [
            (b'A', "PCLI"),
            (b'P', "PPLC"),
            (b'A', "ADM1"),
            (b'P', "PPLA"),
            (b'P', "PPLA2"),
            (b'P', "PPL"),
            (b'P', "PPLX"),
            (b'S', "HTL"),
        ];
        for pair in order.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            assert!(
                feature_weight(a.0, a.1) > feature_weight(b.0, b.1),
                "{} should outrank {}",
                a.1,
                b.1
            );
        }
    }

    #[test]
    fn population_is_logarithmic_and_monotone() {
        assert_eq!(population_weight(0), 0.0);
        assert!(population_weight(1_000_000) > population_weight(10_000));
        // a capital of 100k still beats a town of 1M
        assert!(static_score(b'P', "PPLC", 100_000) > static_score(b'P', "PPL", 1_000_000));
        assert!(static_rank(b'A', "PCLI", 20_000_000) > static_rank(b'P', "PPL", 20_000_000));
    }
}
