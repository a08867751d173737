//! Display names for the layers: a place written in capitals is named as the gazetteer writes it.
//!
//! Datelines ("ADDIS ABABA, Ethiopia —") and headlines in capitals name places in a form no map
//! label should carry, and a place's name in the layers is the spelling its mentions use most.
//! [`name_capitalized`] gives such toponyms the gazetteer's name (`Addis Ababa`), so a place
//! named once in a dateline reads as it does on any map. Abbreviations ("US", "UAE": three
//! letters or fewer) stay as written, and so do demonyms and places without a GeoNames id.
//! `geoparse` output keeps the text as written; `run` uses this for its layers.
//!
//! ```
//! use eventmap::gazetteer::Gazetteer;
//! use eventmap::resolve::{name_capitalized, Geoparser};
//!
//! let gaz = Gazetteer::embedded_handle();
//! let text = "ADDIS ABABA, Ethiopia - Talks opened in the capital.";
//! let mut topos = Geoparser::new(&gaz).geoparse(text);
//! name_capitalized(&gaz, &mut topos);
//! assert_eq!(topos[0].name, "Addis Ababa");
//! ```

use super::{MentionKind, Toponym};
use crate::gazetteer::Gazetteer;

/// Gives each place toponym of `toponyms` written in capitals (four letters or more, none in
/// lower case) the name the gazetteer has for its place. See the module docs.
pub fn name_capitalized(gaz: &Gazetteer, toponyms: &mut [Toponym]) {
    for t in toponyms.iter_mut() {
        if t.kind != MentionKind::Place || !in_capitals(&t.name) {
            continue;
        }
        if let Some(place) = t.geonameid.and_then(|id| gaz.by_geonameid(id)) {
            t.name = place.name().to_string();
        }
    }
}

/// Whether `name` has four letters or more, all of them capitals.
fn in_capitals(name: &str) -> bool {
    let mut letters = 0;
    for c in name.chars().filter(|c| c.is_alphabetic()) {
        if c.is_lowercase() {
            return false;
        }
        letters += usize::from(c.is_uppercase());
    }
    letters >= 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_capitals() {
        let cases = [
            ("ADDIS ABABA", true),
            ("KYIV", true),
            ("GAZA CITY", true),
            ("DAR ES SALAAM", true),
            ("UAE", false),
            ("U.S.", false),
            ("Kyiv", false),
            ("KYIV's", false),
            ("", false),
            ("داريا", false),
        ];
        for (name, want) in cases {
            assert_eq!(in_capitals(name), want, "{name:?}");
        }
    }
}
