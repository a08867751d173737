//! Towns named like their divisions: in the layers, a bare name read as a division is the town,
//! and a town's name followed by a division noun is the division.
//!
//! GeoNames gives many divisions their main town's name, and counts more people in the division
//! than in the town: Jenin, Ramallah and Nablus are West Bank governorates as well as cities,
//! Lagos a state as well as the city, Gusau a district as well as Zamfara's capital. The
//! resolver is judged on coordinates, and a division's point lies near its town, so it often
//! takes the division. An event's place is another matter: news that says "Israeli troops
//! raided Jenin" means the city, and an event at a division is placed less precisely
//! (`geo_precision` 2 or 3 instead of 1). [`town_for_division`] turns such toponyms into the
//! town, unless the text names the division as one ("Jenin governorate", "the province of
//! Idlib", "Lagos State"). `geoparse` output is left as the resolver chose; `run` uses this for
//! its layers.
//!
//! ```
//! use eventmap::gazetteer::Gazetteer;
//! use eventmap::resolve::{town_for_division, Geoparser};
//!
//! let gaz = Gazetteer::embedded_handle();
//! let gp = Geoparser::new(&gaz);
//! let jenin = |text: &str| {
//!     let mut topos = gp.geoparse(text);
//!     town_for_division(&gaz, text, &mut topos);
//!     topos.into_iter().find(|t| t.name == "Jenin").unwrap().feature_code
//! };
//! assert!(jenin("Israeli troops raided Jenin on Monday.").starts_with("PPL"));
//! // Named as a division, it stays one.
//! assert_eq!(jenin("Israeli troops raided villages in Jenin governorate."), "ADM2");
//! ```

use super::{MentionKind, Toponym, geoparser::admin1_name, geoparser::round6};
use rustc_hash::FxHashMap;

use crate::gazetteer::{Gazetteer, MatchKind, Place, PlaceIdx};

/// Nouns that name a division when they follow or introduce its name.
const DIVISION_NOUNS: &[&str] = &[
    "province",
    "provinces",
    "governorate",
    "state",
    "region",
    "district",
    "county",
    "oblast",
    "municipality",
    "department",
    "prefecture",
    "division",
    "territory",
    "emirate",
    "canton",
    "parish",
    "raion",
];

/// How far a town may lie from the point of a second-level or lower division that has its name.
const MAX_TOWN_KM: f64 = 40.0;

/// The towns found for divisions and their spellings, per thread, for one gazetteer: news names
/// the same places document after document.
#[derive(Default)]
struct TownCache {
    /// [`Gazetteer::id`] of the gazetteer the towns are from.
    gazetteer: u64,
    /// By division: each spelling met and its town.
    towns: FxHashMap<u32, Vec<Spelling>>,
    /// Spellings kept in all.
    entries: usize,
}

impl TownCache {
    /// The town of division `id` written `surface`, found by `find` the first time.
    fn town(
        &mut self,
        gaz: &Gazetteer,
        id: u32,
        surface: &str,
        find: impl FnOnce() -> Option<PlaceIdx>,
    ) -> Option<PlaceIdx> {
        if self.gazetteer != gaz.id() || self.entries >= MAX_CACHED {
            self.gazetteer = gaz.id();
            self.towns.clear();
            self.entries = 0;
        }
        let spellings = self.towns.entry(id).or_default();
        if let Some(&(_, town)) = spellings.iter().find(|(s, _)| **s == *surface) {
            return town;
        }
        let town = find();
        spellings.push((surface.into(), town));
        self.entries += 1;
        town
    }
}

/// A division's name as written and the town it gives, if any.
type Spelling = (Box<str>, Option<PlaceIdx>);

/// The most entries [`TownCache`] keeps before it starts anew.
const MAX_CACHED: usize = 1 << 16;

thread_local! {
    static TOWNS: std::cell::RefCell<TownCache> = std::cell::RefCell::new(TownCache::default());
}

/// Gives each toponym of `toponyms` read as a division (`ADM1`–`ADM4`) the populated place of
/// the same name in that division, the most populous one, when `text` does not name the
/// division as one. See the module docs.
pub fn town_for_division(gaz: &Gazetteer, text: &str, toponyms: &mut [Toponym]) {
    // One sense per document: a division named as one anywhere ("Aleppo and Idlib provinces")
    // is the division at each of its mentions ("rebel-held areas of Idlib").
    let level = |t: &Toponym| match t.feature_code.as_str() {
        "ADM1" => Some(1),
        "ADM2" => Some(2),
        "ADM3" => Some(3),
        "ADM4" => Some(4),
        _ => None,
    };
    let named: Vec<u32> = toponyms
        .iter()
        .filter(|t| level(t).is_some() && named_as_division(text, t.byte_start, t.byte_end))
        .filter_map(|t| t.geonameid)
        .collect();
    for t in toponyms.iter_mut() {
        let Some(level) = level(t) else {
            continue;
        };
        if t.kind != MentionKind::Place || t.geonameid.is_some_and(|id| named.contains(&id)) {
            continue;
        }
        let Some(id) = t.geonameid else {
            continue;
        };
        let surface = &text[t.byte_start..t.byte_end];
        let town = TOWNS.with_borrow_mut(|cache| {
            cache.town(gaz, id, surface, || {
                gaz.by_geonameid(id)
                    .and_then(|division| town_of(gaz, surface, &division, level))
            })
        });
        if let Some(town) = town.and_then(|idx| gaz.get(idx)) {
            move_to(t, gaz, &town);
        }
    }
}

/// Gives each toponym of `toponyms` read as a town and named as a division right after it
/// ("Russia's Belgorod Region", "the Kherson region", "Idlib province") the first-level
/// division the town is in, when that division's name begins with the name as written: the
/// words say the division is meant, and the resolver read the town. See the module docs.
///
/// ```
/// use eventmap::gazetteer::Gazetteer;
/// use eventmap::resolve::{division_for_town, Geoparser};
///
/// let gaz = Gazetteer::embedded_handle();
/// let text = "Drones hit an oil depot in the Belgorod region overnight.";
/// let mut topos = Geoparser::new(&gaz).geoparse(text);
/// division_for_town(&gaz, text, &mut topos);
/// assert_eq!(topos[0].feature_code, "ADM1");
/// ```
pub fn division_for_town(gaz: &Gazetteer, text: &str, toponyms: &mut [Toponym]) {
    for t in toponyms.iter_mut() {
        if t.kind != MentionKind::Place
            || !t.feature_code.starts_with("PPL")
            || !named_as_division_after(text, t.byte_end)
        {
            continue;
        }
        let Some(town) = t.geonameid.and_then(|id| gaz.by_geonameid(id)) else {
            continue;
        };
        let Some(division) = gaz.admin1(town.country_code(), town.admin1_code()) else {
            continue;
        };
        let surface = &text[t.byte_start..t.byte_end];
        let begins = division
            .name()
            .get(..surface.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(surface))
            || division
                .asciiname()
                .get(..surface.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(surface));
        if !begins {
            continue;
        }
        move_to(t, gaz, &division);
    }
}

/// Makes toponym `t` a mention of `place`: its id, point, feature code and first-level
/// division; the name as written, the offsets and the confidence stay.
fn move_to(t: &mut Toponym, gaz: &Gazetteer, place: &Place<'_>) {
    t.geonameid = place.geonameid();
    t.lat = round6(place.lat());
    t.lon = round6(place.lon());
    t.feature_code = place.feature_code().to_string();
    t.admin1 = admin1_name(gaz, place);
}

/// Whether a division noun follows byte `end` of `text` ("Belgorod Region", "Idlib province").
fn named_as_division_after(text: &str, end: usize) -> bool {
    let after = text[end..].trim_start_matches([' ', '-']);
    let next_end = after
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(after.len());
    is_division_noun(&after[..next_end])
}

/// The most populous place named `surface` (its primary, ASCII or variant name) inside
/// `division`, a division of `level` ([`is_town_of`]).
///
/// Only a division written with its own name has such a town: "Gaza", another name of the Gaza
/// Strip, says the Strip (or Gaza City, when the resolver reads so), never the city for the
/// Strip.
fn town_of(gaz: &Gazetteer, surface: &str, division: &Place<'_>, level: u8) -> Option<PlaceIdx> {
    let own = |kind: MatchKind| {
        matches!(
            kind,
            MatchKind::Primary | MatchKind::Ascii | MatchKind::Variant
        )
    };
    let matches = gaz.matches(surface);
    if !matches
        .iter()
        .any(|&(idx, kind)| idx == division.idx() && own(kind))
    {
        return None;
    }
    matches
        .into_iter()
        .filter(|&(_, kind)| own(kind))
        .filter_map(|(idx, _)| gaz.get(idx))
        .filter(|p| is_town_of(p, division, level))
        .max_by_key(|p| (p.population(), std::cmp::Reverse(p.geonameid())))
        .map(|p| p.idx())
}

/// Whether `p` is a populated place inside `division`, a division of `level`: in its country
/// and first-level division, and for a lower division near its point.
fn is_town_of(p: &Place<'_>, division: &Place<'_>, level: u8) -> bool {
    p.feature_class() == 'P'
        && p.country_code() == division.country_code()
        && p.admin1_code() == division.admin1_code()
        && (level == 1 || km(p, division) <= MAX_TOWN_KM)
}

/// Great-circle distance between two places in km.
fn km(a: &Place<'_>, b: &Place<'_>) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.lat().to_radians(),
        a.lon().to_radians(),
        b.lat().to_radians(),
        b.lon().to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// Whether the name at `start..end` of `text` is named as a division: a division noun right
/// after it ("Jenin governorate", "Lagos State"), after the name coordinated with it ("Aleppo
/// and Idlib provinces") or before it with "of" ("the province of Idlib").
fn named_as_division(text: &str, start: usize, end: usize) -> bool {
    let mut after = text[end..].trim_start_matches([' ', '-']);
    // "Aleppo and Idlib provinces", "Aleppo, Hama and Idlib provinces": past the names after
    // this one, up to three words.
    for _ in 0..3 {
        let Some(rest) = after
            .strip_prefix("and ")
            .or_else(|| after.strip_prefix(", "))
        else {
            break;
        };
        let rest = rest.trim_start_matches("and ");
        if !rest.starts_with(char::is_uppercase) {
            break;
        }
        let word_end = rest
            .find(|c: char| !c.is_alphabetic() && c != '-')
            .unwrap_or(rest.len());
        after = rest[word_end..].trim_start_matches(' ');
    }
    let next_end = after
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(after.len());
    if is_division_noun(&after[..next_end]) {
        return true;
    }
    let Some(before) = text[..start].trim_end().strip_suffix("of") else {
        return false;
    };
    let before = before.trim_end();
    let prev_start = before.rfind(|c: char| !c.is_alphabetic()).map_or(0, |i| {
        i + before[i..].chars().next().map_or(1, char::len_utf8)
    });
    is_division_noun(&before[prev_start..])
}

/// Whether `word` is one of [`DIVISION_NOUNS`], in any case.
fn is_division_noun(word: &str) -> bool {
    DIVISION_NOUNS.iter().any(|n| n.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toponym of `text`'s first `name`, read as the place with GeoNames id `id`.
    fn read_as(gaz: &Gazetteer, text: &str, name: &str, id: u32) -> Toponym {
        let start = text.find(name).unwrap();
        let place = gaz.by_geonameid(id).unwrap();
        Toponym {
            start,
            end: start + name.len(),
            byte_start: start,
            byte_end: start + name.len(),
            name: name.to_string(),
            geonameid: Some(id),
            lat: place.lat(),
            lon: place.lon(),
            feature_code: place.feature_code().to_string(),
            country_code: place.country_code().to_string(),
            admin1: admin1_name(gaz, &place),
            kind: MentionKind::Place,
            confidence: 0.8,
        }
    }

    #[test]
    fn towns_of_divisions_written_with_their_own_names() {
        let gaz = Gazetteer::embedded();
        // (text, name, division read, feature code after)
        let cases = [
            // The Jenin governorate and Lagos State are written with their own names.
            ("Troops raided Jenin on Monday.", "Jenin", 7828733, "PPL"),
            ("Protesters marched in Lagos.", "Lagos", 2332453, "PPLA2"),
            // "Gaza" is another name of the Gaza Strip: the Strip it stays.
            ("Air strikes hit Gaza overnight.", "Gaza", 281132, "ADM1"),
            // Named as a division.
            (
                "Troops raided villages in Jenin governorate.",
                "Jenin",
                7828733,
                "ADM2",
            ),
        ];
        for (text, name, id, want) in cases {
            let mut topos = vec![read_as(gaz, text, name, id)];
            town_for_division(gaz, text, &mut topos);
            assert_eq!(topos[0].feature_code, want, "{text:?}");
        }
    }

    #[test]
    fn names_given_as_divisions() {
        // (text, name, named as a division)
        let cases = [
            ("raided Jenin on Monday", "Jenin", false),
            ("villages in Jenin governorate", "Jenin", true),
            ("gunmen in Zamfara State", "Zamfara", true),
            ("in the province of Idlib.", "Idlib", true),
            ("in the Kherson region", "Kherson", true),
            ("in Idlib, where", "Idlib", false),
            ("the Idlib offensive", "Idlib", false),
            ("of Idlib", "Idlib", false),
            ("villages in Aleppo and Idlib provinces", "Aleppo", true),
            ("in Aleppo, Hama and Idlib provinces", "Aleppo", true),
            ("in Aleppo and Idlib provinces", "Idlib", true),
            ("in Aleppo and Damascus on Monday", "Aleppo", false),
            ("in Aleppo and the province", "Aleppo", false),
        ];
        for (text, name, want) in cases {
            let start = text.find(name).unwrap();
            assert_eq!(
                named_as_division(text, start, start + name.len()),
                want,
                "{text:?}"
            );
        }
    }
}
