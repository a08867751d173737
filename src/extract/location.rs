//! Where an event happened: choosing the place mention syntactically tied to a trigger, and
//! ACLED's geo precision from the words around it.
//!
//! A place is tied to an event when it is the object of a locative preposition ("in", "near",
//! "outside", "on", "the siege of"), the object of the trigger verb ("shelled Aleppo"), or the
//! subject of a passive ("Aleppo was bombarded"). Places named as venues of speech ("told a news
//! conference in Geneva") are never event locations; venues of meetings ("talks in Geneva") are
//! the location of agreements only. Capital-city metonyms ("Moscow will not…") and person names
//! that look like places ("Secretary Kerry") are not locations.
//!
//! Precision: 1 the town itself; 2 "near/outside/around X", "the outskirts/suburbs of X",
//! "southern X", "X countryside", or a district; 3 a province, region or country.

use crate::extract::pattern::{Item, ItemKind};
use crate::resolve::{MentionKind, Toponym};

/// Prepositions that make the following place the location of an event.
pub const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "around",
    "on",
    "into",
    "inside",
    "within",
    "through",
    "across",
    "throughout",
    "towards",
    "toward",
    "against",
    "of",
    "for",
    "from",
    "nearby",
    "to",
    "between",
    "over",
    "along",
    "by",
    "off",
];
/// Participles after a holder and a hyphen before a place ("rebel-held Idlib",
/// "Kurdish-controlled northeast Syria").
pub const HOLDER_PARTICIPLES: &[&str] = &[
    "held",
    "controlled",
    "occupied",
    "run",
    "dominated",
    "besieged",
    "led",
];

/// Nouns of a capture ("the fall of Goma"): the place after their "of" is the topic of the
/// words around it, not where another trigger happened.
pub const CAPTURE_NOUNS: &[&str] = &[
    "fall",
    "capture",
    "recapture",
    "seizure",
    "liberation",
    "loss",
    "surrender",
    "takeover",
];
/// Words before "from X" that make X where people come from, not where something happened ("a
/// tourist from Canada was killed in the shooting").
pub const ORIGIN_NOUNS: &[&str] = &[
    "tourist",
    "tourists",
    "visitor",
    "visitors",
    "visiting",
    "national",
    "nationals",
    "citizen",
    "citizens",
    "man",
    "men",
    "woman",
    "women",
    "worker",
    "workers",
    "student",
    "students",
    "journalist",
    "journalists",
    "migrant",
    "migrants",
    "immigrant",
    "immigrants",
    "refugee",
    "refugees",
    "family",
    "families",
    "delegation",
    "delegates",
    "hailing",
    "originally",
];
/// Prepositions that mean "close to, not in".
const NEAR: &[&str] = &[
    "near", "outside", "around", "nearby", "towards", "toward", "along", "off",
];
/// Nouns that put a following "of X" at precision 2.
const PART_NOUNS: &[&str] = &[
    "region",
    "zone",
    "part",
    "parts",
    "outskirts",
    "suburbs",
    "edge",
    "edges",
    "environs",
    "vicinity",
    "periphery",
    "countryside",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "outside",
    "districts",
    "neighbourhoods",
    "neighborhoods",
    "areas",
    "area",
    "surroundings",
    "countrysides",
    "province",
    "governorate",
];
/// Nouns after a place that put it at precision 2 ("the Damascus suburbs").
const POST_PART: &[&str] = &[
    "suburbs",
    "outskirts",
    "countryside",
    "environs",
    "area",
    "areas",
    "surroundings",
    "district",
    "districts",
    "county",
    "front",
    "frontline",
    "axis",
    "outskirt",
    "periphery",
    "neighbourhoods",
    "neighborhoods",
    "parts",
];
/// Nouns after a place that put it at precision 3 ("Idlib province").
const POST_REGION: &[&str] = &[
    "province",
    "governorate",
    "region",
    "state",
    "oblast",
    "department",
    "prefecture",
    "division",
    "territory",
    "valley",
];
/// Sites inside or beside a place ("Khartoum's main airport", "the Kherson bridge"): taking one
/// is not taking the place.
const FACILITIES: &[&str] = &[
    "building",
    "complex",
    "compound",
    "tower",
    "plant",
    "airport",
    "airbase",
    "airfield",
    "base",
    "barracks",
    "bridge",
    "checkpoint",
    "citadel",
    "crossing",
    "dam",
    "garrison",
    "harbor",
    "harbour",
    "headquarters",
    "hospital",
    "palace",
    "port",
    "prison",
    "refinery",
    "stadium",
    "station",
    "university",
];
/// Words after a place that show it is used as an agent (metonym or person), not a location.
const AGENT_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "will",
    "would",
    "has",
    "have",
    "had",
    "announced",
    "accused",
    "denied",
    "denies",
    "warned",
    "insisted",
    "insists",
    "claimed",
    "claims",
    "wants",
    "want",
    "vowed",
    "told",
    "threatened",
    "agreed",
    "rejected",
    "demanded",
    "urged",
    "called",
    "believes",
    "is",
    "was",
    "added",
    "emphasized",
    "emphasised",
    "stressed",
    "noted",
    "hopes",
    "sees",
    "sent",
    "supports",
    "backs",
    "condemned",
    "welcomed",
    "stated",
    "responded",
    "confirmed",
    "expects",
    "could",
    "should",
    "must",
    "may",
    "might",
    "does",
    "did",
];
/// Words that, before a place, mean the "place" is a person ("Secretary Kerry").
const TITLES: &[&str] = &[
    "secretary",
    "minister",
    "president",
    "gen",
    "general",
    "mr",
    "mrs",
    "ms",
    "dr",
    "senator",
    "sen",
    "rep",
    "king",
    "prince",
    "princess",
    "queen",
    "pope",
    "sheikh",
    "colonel",
    "col",
    "lt",
    "lieutenant",
    "sgt",
    "sergeant",
    "captain",
    "capt",
    "commander",
    "spokesman",
    "spokeswoman",
    "ambassador",
    "envoy",
    "governor",
    "gov",
    "mayor",
    "premier",
    "chancellor",
    "judge",
    "justice",
    "emir",
    "imam",
    "bishop",
    "professor",
    "prof",
    "marshal",
    "admiral",
    "adm",
    "chairman",
];
/// Capitalized words that can start a place name and so are not first names.
const NAME_PREFIXES: &[&str] = &[
    "new", "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "central", "upper", "lower", "greater", "old", "al", "el", "saint", "st", "port", "fort",
    "lake", "mount", "cape", "the", "in", "at", "of", "from", "near", "and", "but", "as", "on",
];
/// Words before "in/at X" that make X a venue of a meeting: [`venue`] finds a meeting only in a
/// sentence with one of them.
pub const MEETING: &[&str] = &[
    "talks",
    "meeting",
    "meetings",
    "conference",
    "summit",
    "negotiations",
    "discussions",
    "table",
    "met",
    "meet",
    "meets",
    "held",
    "hosted",
    "convened",
    "gathered",
    "here",
    "signed",
    "signing",
    "ceremony",
    "forum",
    "dialogue",
    "session",
    "consultations",
    "mediation",
    "negotiators",
    "mediators",
    "delegations",
    "delegates",
    "envoys",
];
/// Words before "in/at X" that make X only the place of a statement.
const SPEECH: &[&str] = &[
    "said",
    "says",
    "told",
    "speaking",
    "addressing",
    "interview",
    "statement",
    "briefing",
    "reporters",
    "journalists",
    "remarks",
    "speech",
    "announced",
    "visit",
    "visiting",
    "trip",
    "based",
    "headquartered",
    "correspondent",
    "reporting",
    "wrote",
    "spokesman",
    "spokeswoman",
    "spokesperson",
];

/// How a place mention is used in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Venue {
    None,
    /// Where a meeting or negotiation happened.
    Meeting,
    /// Where somebody spoke.
    Speech,
}

/// The eight compass points ("north", "southwest").
pub fn is_compass_noun(w: &str) -> bool {
    matches!(
        w,
        "north" | "south" | "east" | "west" | "northeast" | "northwest" | "southeast" | "southwest"
    )
}

/// True for "northern", "southern", "north-western", … used before a place name, and for the
/// compass nouns news use as adjectives there ("in northwest Pakistan", "north Gaza").
pub fn is_direction_adjective(w: &str) -> bool {
    is_compass_noun(w)
        || matches!(
            w,
            "north-east"
                | "north-west"
                | "south-east"
                | "south-west"
                | "northern"
                | "southern"
                | "eastern"
                | "western"
                | "central"
                | "northeastern"
                | "northwestern"
                | "southeastern"
                | "southwestern"
                | "north-western"
                | "north-eastern"
                | "south-western"
                | "south-eastern"
                | "rural"
                | "greater"
                | "upper"
                | "lower"
                | "downtown"
                | "eastern-held"
                | "western-held"
        )
}

/// Toponyms below this confidence are no event's or control statement's place: on the dev
/// corpora one in sixteen of them is right (within 161 km), so an event placed there would be
/// placed wrong ("Pont" in France for the Haitian town of Pont-Sondé, which the gazetteer
/// lacks). They stay in the places layer.
pub const MIN_LOCATION_CONFIDENCE: f64 = 0.03;

/// Toponyms in another country than most of their document's places need this confidence to be
/// an event's or control statement's place: on the dev corpora, of such toponyms below 0.1 one
/// in twenty-five is right, and below 0.3 one in thirteen, where a toponym of the main country
/// below 0.3 is right one time in three ("Abu", a town in India, read off "Abu Shouk camp" in
/// a report on Darfur). They stay in the places layer.
pub const MIN_FOREIGN_CONFIDENCE: f64 = 0.3;

/// Named seas and gulfs of two words or more ("the Gulf of Aden", "the Red Sea") need only this
/// confidence: the corpora put seas far from the gazetteer's points, so their calibrated
/// confidence is low (about 0.005) however sure the name is, and attacks on ships are told
/// there.
pub const MIN_SEA_CONFIDENCE: f64 = 0.001;

/// Whether a toponym may be the place of an event or a control statement: a literal place name
/// (not a demonym) confident enough ([`MIN_LOCATION_CONFIDENCE`], [`MIN_SEA_CONFIDENCE`] for a
/// named sea).
pub fn locatable(t: &Toponym) -> bool {
    t.kind == MentionKind::Place
        && (t.confidence >= MIN_LOCATION_CONFIDENCE
            || t.confidence >= MIN_SEA_CONFIDENCE
                && is_water(&t.feature_code)
                && t.name.trim().contains(' '))
}

/// True for seas, gulfs, bays, straits, lakes and reservoirs (GeoNames class H): places where
/// events are reported off, not in, when a town is named too.
pub fn is_water(feature_code: &str) -> bool {
    [
        "SEA", "OCN", "GULF", "BAY", "BAYS", "STRT", "SD", "CHN", "LGN", "LK", "LKS", "RSV",
    ]
    .iter()
    .any(|c| feature_code.eq_ignore_ascii_case(c))
}

/// ACLED precision implied by a GeoNames feature code alone.
pub fn base_precision(feature_code: &str) -> u8 {
    let fc = feature_code.to_ascii_uppercase();
    if fc.starts_with("PPL") || fc.is_empty() {
        1
    } else if fc.starts_with("PCL")
        || fc == "ADM1"
        || fc == "ADM1H"
        || fc == "RGN"
        || fc == "CONT"
        || fc == "TERR"
        || fc == "ZN"
        || is_water(&fc)
    {
        3
    } else if fc.starts_with("ADM") || fc == "AREA" || fc == "VAL" || fc == "ISL" {
        2
    } else {
        1
    }
}

/// True for country-level or larger features: countries, continents, regions, territories and
/// zones (the European Union).
pub fn is_country_level(feature_code: &str) -> bool {
    let fc = feature_code.as_bytes();
    fc.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(b"PCL"))
        || ["CONT", "RGN", "TERR", "ZN"]
            .iter()
            .any(|c| fc.eq_ignore_ascii_case(c.as_bytes()))
}

/// True when `word` (lower case) is one of [`TITLES`]: a set, as this is asked of every toponym.
fn is_title(word: &str) -> bool {
    static SET: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::LazyLock::new(|| TITLES.iter().copied().collect());
    SET.contains(word)
}

/// First item index of the phrase that introduces the place at `p` ("the southern part of the
/// divided city of Aleppo" → index of the first "the"), with the precision its words imply and
/// whether a place inside the phrase is only a qualifier.
pub fn phrase_start(items: &[Item], p: usize) -> (usize, u8) {
    let mut start = p;
    let mut prec = 1u8;
    loop {
        // direction adjective right before: "southern Aleppo"
        if start > 0
            && items[start - 1].kind == ItemKind::Word
            && is_direction_adjective(&items[start - 1].text)
        {
            prec = prec.max(2);
            start -= 1;
        }
        // Who holds it: "rebel-held Idlib", "Kurdish-controlled northeast Syria".
        if start >= 3 && items[start - 1].is_any(HOLDER_PARTICIPLES) && items[start - 2].text == "-"
        {
            start -= 3;
            continue;
        }
        // A place in the possessive before: "Borno state's Marte town", "Mozambique's northern
        // Cabo Delgado province" (the place within the first).
        if let Some(owner) = possessive_owner(items, start) {
            start = owner;
            continue;
        }
        // "the"
        if start > 0 && items[start - 1].is_any(&["the", "a"]) {
            start -= 1;
        }
        // NOUN of: "city of", "outskirts of", "suburb of"
        if start >= 2 && items[start - 1].is("of") && items[start - 2].kind == ItemKind::Word {
            let noun = items[start - 2].text.as_ref();
            let descriptor = is_descriptor(noun);
            if descriptor || PART_NOUNS.contains(&noun) {
                if PART_NOUNS.contains(&noun) {
                    prec = prec.max(if matches!(noun, "province" | "governorate") {
                        3
                    } else {
                        2
                    });
                }
                start -= 2;
                // adjectives / qualifier places / "the" before the noun: "the northern Syrian town"
                let mut k = 0;
                while start > 0 && k < 4 {
                    let it = &items[start - 1];
                    let adj = match it.kind {
                        ItemKind::Place(_) => true,
                        ItemKind::Word => {
                            is_direction_adjective(&it.text)
                                || matches!(
                                    it.text.as_ref(),
                                    "divided"
                                        | "besieged"
                                        | "strategic"
                                        | "key"
                                        | "small"
                                        | "nearby"
                                        | "rebel"
                                        | "border"
                                        | "frontline"
                                        | "embattled"
                                        | "contested"
                                        | "coastal"
                                        | "northern"
                                        | "southern"
                                        | "eastern"
                                        | "western"
                                        | "war"
                                        | "torn"
                                        | "opposition"
                                        | "government"
                                        | "regime"
                                        | "held"
                                        | "controlled"
                                        | "main"
                                        | "port"
                                        | "capital"
                                        | "provincial"
                                        | "remote"
                                        | "mountainous"
                                        | "central"
                                        | "largest"
                                        | "second"
                                        | "ancient"
                                        | "historic"
                                        | "devastated"
                                        | "northwestern"
                                        | "northeastern"
                                        | "southwestern"
                                        | "southeastern"
                                )
                        }
                        ItemKind::Punct => it.text == "-",
                        ItemKind::Actor(_) => false,
                    };
                    if !adj {
                        break;
                    }
                    if it.kind == ItemKind::Word
                        && is_direction_adjective(&it.text)
                        && PART_NOUNS.contains(&noun)
                    {
                        prec = prec.max(2);
                    }
                    start -= 1;
                    k += 1;
                }
                if start > 0 && items[start - 1].is_any(&["the", "a"]) {
                    start -= 1;
                }
                continue;
            }
        }
        break;
    }
    // "north of X", "10 km west of X"
    if start >= 2 && items[start - 1].is("of") && is_compass_noun(&items[start - 2].text) {
        prec = prec.max(2);
    }
    (start, prec)
}

fn is_descriptor(noun: &str) -> bool {
    matches!(
        noun,
        "town"
            | "towns"
            | "city"
            | "cities"
            | "village"
            | "villages"
            | "suburb"
            | "district"
            | "neighbourhood"
            | "neighborhood"
            | "municipality"
            | "hamlet"
            | "camp"
            | "capital"
            | "port"
            | "enclave"
            | "island"
            | "stronghold"
            | "raion"
            | "commune"
            | "locality"
            | "settlement"
            | "quarter"
            | "hub"
            | "outpost"
            | "heart"
            | "centre"
            | "center"
            | "airport"
            | "base"
            | "region"
            | "state"
            | "county"
            | "department"
            | "oblast"
    )
}

/// Precision of the place item at `p` from its surroundings (and its feature code).
pub fn precision(items: &[Item], p: usize, topo: &Toponym) -> u8 {
    let (start, mut prec) = phrase_start(items, p);
    if start > 0
        && items[start - 1].kind == ItemKind::Word
        && NEAR.contains(&items[start - 1].text.as_ref())
    {
        prec = prec.max(2);
    }
    // "the city's southern districts", "Aleppo's eastern neighbourhoods": past a possessive and
    // a compass word, the noun after the name.
    let mut q = p + 1;
    if possessive_at(items, q) {
        q += 2;
        if items
            .get(q)
            .is_some_and(|x| is_direction_adjective(&x.text))
        {
            q += 1;
        }
    }
    if let Some(next) = items.get(q)
        && next.kind == ItemKind::Word
    {
        if POST_PART.contains(&next.text.as_ref()) {
            prec = prec.max(2);
        } else if POST_REGION.contains(&next.text.as_ref()) {
            prec = prec.max(3);
        }
    }
    prec.max(base_precision(&topo.feature_code)).min(3)
}

/// Whether the place item at `p` names where a site of `FACILITIES` is rather than the place
/// itself: the site follows it, past a possessive and up to two modifiers ("Khartoum's main
/// airport", "the Kherson city bridge", "Kabul international airport").
pub fn site_of(items: &[Item], p: usize) -> bool {
    let mut q = p + 1;
    let possessive = possessive_at(items, q);
    if possessive {
        q += 2;
    }
    // After a possessive the phrase is the place's, "and" joins its modifiers ("Omdurman's radio
    // and television building").
    for x in items[q.min(items.len())..]
        .iter()
        .take(if possessive { 4 } else { 3 })
    {
        let joins = possessive && x.is("and");
        if x.kind != ItemKind::Word || (FUNCTION_WORDS.contains(&x.text.as_ref()) && !joins) {
            return false;
        }
        if FACILITIES.contains(&x.text.as_ref()) {
            return true;
        }
    }
    false
}

/// Words that end the noun phrase after a place ("took Bakhmut and the airport").
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or",
    "the", "to", "with",
];

/// The index of the place that owns the phrase starting at `start` ("Borno state's" before
/// "Marte town", "Mozambique's" before "northern Cabo Delgado"), if a place in the possessive,
/// with or without a division noun, stands right before it.
fn possessive_owner(items: &[Item], start: usize) -> Option<usize> {
    let s = start.checked_sub(2)?;
    if !(items[s].kind == ItemKind::Punct && possessive_at(items, s)) {
        return None;
    }
    let mut owner = s.checked_sub(1)?;
    if items[owner].kind == ItemKind::Word && POST_REGION.contains(&items[owner].text.as_ref()) {
        owner = owner.checked_sub(1)?;
    }
    matches!(items[owner].kind, ItemKind::Place(_)).then_some(owner)
}

/// Whether items `q` and `q + 1` are a possessive's "'s" (straight or typographic apostrophe).
fn possessive_at(items: &[Item], q: usize) -> bool {
    items
        .get(q)
        .is_some_and(|it| matches!(it.text.as_ref(), "'" | "’"))
        && items.get(q + 1).is_some_and(|x| x.is("s"))
}

/// Whether the place at `p` is named as the venue of a meeting or of a statement.
pub fn venue(items: &[Item], p: usize) -> Venue {
    let (start, _) = phrase_start(items, p);
    let Some(prep) = start.checked_sub(1).map(|i| &items[i]) else {
        return Venue::None;
    };
    if !prep.is_any(&["in", "at"]) {
        return Venue::None;
    }
    let from = start.saturating_sub(5);
    let mut v = Venue::None;
    for it in &items[from..start - 1] {
        if it.is_clause_break() {
            v = Venue::None;
            continue;
        }
        if it.kind == ItemKind::Word {
            if SPEECH.contains(&it.text.as_ref()) {
                v = Venue::Speech;
            } else if MEETING.contains(&it.text.as_ref()) && v == Venue::None {
                v = Venue::Meeting;
            }
        }
    }
    v
}

/// True when the place item at `p` is used as an agent ("Moscow will", "Washington is aware").
/// Nouns of sides, their weapons and their envoys, which a country's name before them only
/// modifies ("US airstrikes", "UN officials").
const MODIFIED_HEADS: &[&str] = &[
    "airstrikes",
    "airstrike",
    "strikes",
    "strike",
    "troops",
    "forces",
    "soldiers",
    "military",
    "army",
    "navy",
    "jets",
    "warplanes",
    "warships",
    "drones",
    "missiles",
    "officials",
    "officers",
    "envoy",
    "diplomats",
    "negotiators",
    "mediators",
    "advisers",
    "advisors",
    "contractors",
    "mercenaries",
    "peacekeepers",
];

/// Whether the place at item `p` only modifies the noun after it, a side or its weapons ("backed
/// by US airstrikes", "UN officials"): a country is then no place where anything happened.
pub fn is_modifier(items: &[Item], p: usize) -> bool {
    items
        .get(p + 1)
        .is_some_and(|n| matches!(n.kind, ItemKind::Actor(_)) || n.is_any(MODIFIED_HEADS))
}

/// [`is_modifier`] over text: whether the word after byte `end` of `text` (after one space) is
/// one of the nouns a country's name before it only modifies.
pub fn modifies_next(text: &str, end: usize) -> bool {
    let Some(rest) = text[end..].strip_prefix(' ') else {
        return false;
    };
    let word = rest
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    MODIFIED_HEADS.iter().any(|h| h.eq_ignore_ascii_case(word))
}

pub fn is_agent(items: &[Item], p: usize) -> bool {
    let (start, _) = phrase_start(items, p);
    let preceded_by_prep = start > 0
        && items[start - 1].kind == ItemKind::Word
        && LOCATIVE.contains(&items[start - 1].text.as_ref());
    if preceded_by_prep {
        return false;
    }
    // Only a place in subject position can be an agent: at the clause start or after a
    // conjunction ("that Washington is aware"), not after a verb ("who fled El Fasher said").
    if let Some(prev) = start.checked_sub(1).map(|i| &items[i])
        && prev.kind == ItemKind::Word
        && !prev.is_any(&[
            "that",
            "and",
            "but",
            "while",
            "as",
            "because",
            "since",
            "when",
            "if",
            "after",
            "before",
            "although",
            "though",
            "meanwhile",
            "however",
            "whereas",
        ])
    {
        return false;
    }
    let next = items.get(p + 1);
    // "Moscow's", "Washington ’s" are possessive agents too, but "Aleppo's old city" is a place;
    // only verbs count.
    next.is_some_and(|n| n.kind == ItemKind::Word && AGENT_VERBS.contains(&n.text.as_ref()))
        && !items.get(p + 2).is_some_and(|n| {
            n.is_any(&[
                "besieged",
                "shelled",
                "bombed",
                "captured",
                "hit",
                "attacked",
                "under",
                "surrounded",
                "encircled",
                "struck",
                "targeted",
                "retaken",
                "recaptured",
                "seized",
                "liberated",
                "taken",
                "overrun",
                "contested",
                "divided",
                "held",
                "controlled",
                "been",
            ])
        })
}

/// `s` in lower case, borrowed when it already is (plain ASCII without capitals).
fn lowercase(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.to_lowercase())
    }
}

/// A common English word that is no given name ("seize", not "john"), as the recognizer's
/// lexicon has it.
fn is_common_word(lower: &str) -> bool {
    let w = crate::recognize::Lexicon::embedded().word(lower);
    w.common && !w.first_name
}

/// Whether the line around byte `at` is written in title case ("Taliban Seize Kunduz After
/// Fierce Fighting"): at least three words of four letters or more, every word capitalized but
/// for those title case leaves in lower case ([`crate::text::is_title_minor`]), and not most of
/// them in capitals. There a capitalized word before a place is no sign of a person's name.
fn in_title_case_line(text: &str, at: usize) -> bool {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let (mut words, mut long, mut all_caps) = (0usize, 0usize, 0usize);
    // Words as written between spaces, without the punctuation around them: "Nigeria's" and
    // "Russian-backed" are one word each, numbers none.
    for w in text[start..end]
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.starts_with(char::is_alphabetic))
    {
        if !w.starts_with(char::is_uppercase) && !crate::text::is_title_minor(w) {
            return false;
        }
        words += 1;
        long += usize::from(w.chars().nth(3).is_some());
        all_caps += usize::from(w.chars().all(char::is_uppercase));
    }
    long >= 3 && all_caps * 2 <= words
}

/// True when a toponym is really a place in this text: not a person's name after a title or a
/// first name ("Secretary Kerry", "John Kerry"), and not the subject of "said" when it is a town
/// ("Kerry said"). Country-level names and capitals used as metonyms stay places.
pub fn is_usable(text: &str, t: &Toponym) -> bool {
    if t.kind == MentionKind::Demonym {
        return true;
    }
    let before = &text[..t.byte_start];
    let after = &text[t.byte_end..];
    let trimmed = before.trim_end();
    // The word right before: letters and periods ("Gen.", "U.S.").
    let prev_len: usize = trimmed
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic() || *c == '.')
        .map(char::len_utf8)
        .sum();
    let prev_word = &trimmed[trimmed.len() - prev_len..];
    let prev_clean = lowercase(prev_word.trim_end_matches('.'));
    let prev_clean = prev_clean.as_ref();
    // the word before the previous one is sentence punctuation → previous word starts a sentence
    let before_prev = trimmed[..trimmed.len() - prev_len].trim_end();
    let prev_starts_sentence =
        before_prev.is_empty() || before_prev.ends_with(['.', '!', '?', '“', '"', '\n', ':']);
    let next = after.trim_start_matches([' ', ',']);
    let next_len: usize = next
        .chars()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum();
    let next_word = lowercase(&next[..next_len]);
    let major = is_country_level(&t.feature_code) || t.feature_code.eq_ignore_ascii_case("PPLC");
    if is_title(prev_clean) {
        return false;
    }
    // "John Kerry": a capitalized, non-place word right before (not at sentence start).
    let adjacent = before.ends_with(' ') && !before.ends_with("  ");
    if adjacent
        && !major
        && prev_word.len() >= 3
        && prev_word.chars().next().is_some_and(|c| c.is_uppercase())
        && prev_word.chars().skip(1).all(|c| c.is_lowercase())
        && !prev_starts_sentence
        && !NAME_PREFIXES.contains(&prev_clean)
        && !(is_common_word(prev_clean) && in_title_case_line(text, t.byte_start))
    {
        return false;
    }
    let prev_is_lower_word = prev_word.chars().next().is_some_and(|c| c.is_lowercase())
        && !matches!(
            prev_clean,
            "said" | "says" | "added" | "asked" | "according"
        );
    if !major
        && (matches!(
            prev_clean,
            "said" | "says" | "added" | "asked" | "according"
        ) || (!prev_is_lower_word
            && matches!(
                next_word.as_ref(),
                "said"
                    | "says"
                    | "added"
                    | "told"
                    | "emphasized"
                    | "emphasised"
                    | "stressed"
                    | "noted"
                    | "insisted"
                    | "warned"
                    | "argued"
                    | "replied"
            )))
    {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::MentionKind;

    fn topo(text: &str, name: &str, fc: &str) -> Toponym {
        let s = text.find(name).unwrap();
        Toponym {
            start: s,
            end: s + name.len(),
            byte_start: s,
            byte_end: s + name.len(),
            name: name.into(),
            geonameid: Some(1),
            lat: 0.0,
            lon: 0.0,
            feature_code: fc.into(),
            country_code: "SY".into(),
            admin1: String::new(),
            kind: MentionKind::Place,
            confidence: 0.9,
        }
    }

    #[test]
    fn person_names_are_not_places() {
        let cases: &[(&str, &str, &str, bool)] = &[
            (
                "Secretary of State John Kerry spoke.",
                "Kerry",
                "ADM2",
                false,
            ),
            ("Secretary Kerry emphasized it.", "Kerry", "ADM2", false),
            ("“Nothing,” said Kerry.", "Kerry", "ADM2", false),
            ("Kerry added that", "Kerry", "ADM2", false),
            ("Fighting in Aleppo continued.", "Aleppo", "PPLA", true),
            ("Aleppo continues to be besieged.", "Aleppo", "PPLA", true),
            ("Washington said it would", "Washington", "PPLC", true),
            ("the Damascus suburb of Daraya", "Daraya", "PPL", true),
            ("President Bashar Assad", "Assad", "PPL", false),
            // A title-case headline: "Seize" is a verb, not a given name.
            (
                "Taliban Seize Kunduz After Fierce Fighting",
                "Kunduz",
                "PPLA",
                true,
            ),
            (
                "Rebels Reach Kunduz\nFighting went on.",
                "Kunduz",
                "PPLA",
                true,
            ),
            // A given name stays one in a title-case line.
            (
                "Profile: General John Kerry Retires",
                "Kerry",
                "ADM2",
                false,
            ),
            (
                "Gunmen Seize Nigeria's Kunduz in 2024 Raid",
                "Kunduz",
                "PPLA",
                true,
            ),
            // Not title case: the sentence has words in lower case that title case capitalizes.
            ("A report by Seize Kunduz was read", "Kunduz", "PPLA", false),
            (
                "Troops Seize Kunduz as Talks go On",
                "Kunduz",
                "PPLA",
                false,
            ),
        ];
        for (text, name, fc, want) in cases {
            assert_eq!(is_usable(text, &topo(text, name, fc)), *want, "{text:?}");
        }
    }

    #[test]
    fn seas_are_places_at_lower_confidence() {
        // (name, feature code, confidence, locatable)
        let cases = [
            ("Gulf of Aden", "GULF", 0.004, true),
            ("Red Sea", "SEA", 0.005, true),
            ("Gulf of Aden", "GULF", 0.0005, false),
            // One word may be anything ("Bay", "Gulf").
            ("Bay", "BAY", 0.004, false),
            ("Pont", "PPL", 0.014, false),
            ("Aleppo", "PPLA", 0.5, true),
        ];
        for (name, fc, confidence, want) in cases {
            let text = format!("in the {name} on Monday");
            let t = Toponym {
                confidence,
                ..topo(&text, name, fc)
            };
            assert_eq!(locatable(&t), want, "{name} {confidence}");
        }
    }

    #[test]
    fn country_level_without_allocating() {
        let old = |fc: &str| {
            let fc = fc.to_ascii_uppercase();
            fc.starts_with("PCL") || fc == "CONT" || fc == "RGN" || fc == "TERR" || fc == "ZN"
        };
        for fc in [
            "PCLI", "pcli", "PCL", "PC", "", "CONT", "cont", "CONTI", "RGN", "rGn", "RGNE", "TERR",
            "terr", "PPLC", "ADM1", "PPL", "é", "PCLé", "ÉPCL", "ZN", "zn", "ZNB",
        ] {
            assert_eq!(is_country_level(fc), old(fc), "{fc:?}");
        }
    }

    #[test]
    fn title_set_is_the_title_list() {
        let mut words: Vec<&str> = TITLES.to_vec();
        words.extend([
            "",
            "said",
            "Gen",
            "generals",
            "kerry",
            "secretary-general",
            "é",
        ]);
        for w in words {
            assert_eq!(is_title(w), TITLES.contains(&w), "{w:?}");
        }
    }

    #[test]
    fn lowercase_borrows_what_is_already_lower_case() {
        for (word, want, borrowed) in [
            ("said", "said", true),
            ("", "", true),
            ("Gen", "gen", false),
            ("Émir", "émir", false),
            ("émir", "émir", false),
        ] {
            let got = lowercase(word);
            assert_eq!(got, want, "{word:?}");
            assert_eq!(
                matches!(got, std::borrow::Cow::Borrowed(_)),
                borrowed,
                "{word:?}"
            );
        }
    }

    #[test]
    fn base_precision_by_feature_code() {
        assert_eq!(base_precision("PPLA"), 1);
        assert_eq!(base_precision("ADM2"), 2);
        assert_eq!(base_precision("ADM1"), 3);
        assert_eq!(base_precision("PCLI"), 3);
    }
}
