//! Test support: hand-built toponyms from a small table of real places (GeoNames ids and
//! coordinates), standing in for the geoparser in unit tests.

use chrono::NaiveDate;

use crate::ingest::Document;
use crate::resolve::{MentionKind, Toponym};

/// (name, geonameid, lat, lon, feature code, country, admin1, is a literal place name)
type GazRow = (
    &'static str,
    u32,
    f64,
    f64,
    &'static str,
    &'static str,
    &'static str,
    bool,
);
const GAZ: &[GazRow] = &[
    (
        "Aleppo", 170063, 36.20124, 37.16117, "PPLA", "SY", "Aleppo", true,
    ),
    (
        "Daraya",
        170892,
        33.45,
        36.25,
        "PPL",
        "SY",
        "Rif Dimashq",
        true,
    ),
    (
        "Damascus", 170654, 33.5102, 36.29128, "PPLC", "SY", "Dimashq", true,
    ),
    // A dateline's spelling.
    (
        "DAMASCUS", 170654, 33.5102, 36.29128, "PPLC", "SY", "Dimashq", true,
    ),
    (
        "Geneva", 2660646, 46.20222, 6.14569, "PPLA", "CH", "Geneva", true,
    ),
    (
        "Idlib", 169389, 35.93062, 36.63393, "PPLA", "SY", "Idlib", true,
    ),
    (
        "Homs", 169577, 34.72682, 36.72339, "PPLA", "SY", "Homs", true,
    ),
    (
        "Raqqa",
        172955,
        35.95283,
        39.00788,
        "PPLA",
        "SY",
        "Ar-Raqqah",
        true,
    ),
    (
        "Deir ez-Zor",
        170794,
        35.33588,
        40.14084,
        "PPLA",
        "SY",
        "Deir ez-Zor",
        true,
    ),
    ("Syria", 163843, 35.0, 38.0, "PCLI", "SY", "", true),
    ("Russia", 2017370, 60.0, 100.0, "PCLI", "RU", "", true),
    ("Israel", 294640, 31.47, 35.13, "PCLI", "IL", "", true),
    // A curated region, with no GeoNames id.
    ("Red Sea", 0, 20.0, 38.5, "SEA", "", "", true),
    ("European Union", 0, 50.85, 4.35, "ZN", "", "", true),
    (
        "Brussels",
        2800866,
        50.85045,
        4.34878,
        "PPLC",
        "BE",
        "Brussels Capital",
        true,
    ),
    (
        "Niamey", 2440485, 13.51366, 2.1098, "PPLC", "NE", "Niamey", true,
    ),
    (
        "Lebanon", 272103, 33.83333, 35.83333, "PCLI", "LB", "", true,
    ),
    (
        "Kfar Kila",
        272849,
        33.2773,
        35.552,
        "PPL",
        "LB",
        "An Nabaţīyah",
        true,
    ),
    (
        "El Obeid",
        379003,
        13.1842,
        30.2167,
        "PPLA",
        "SD",
        "North Kordofan",
        true,
    ),
    (
        "Ramallah",
        282239,
        31.8996,
        35.2042,
        "PPL",
        "PS",
        "West Bank",
        true,
    ),
    (
        "United States",
        6252001,
        39.76,
        -98.5,
        "PCLI",
        "US",
        "",
        true,
    ),
    ("US", 6252001, 39.76, -98.5, "PCLI", "US", "", true),
    ("Iran", 130758, 32.0, 53.0, "PCLI", "IR", "", true),
    (
        "Washington",
        4140963,
        38.89511,
        -77.03637,
        "PPLC",
        "US",
        "District of Columbia",
        true,
    ),
    (
        "Moscow", 524901, 55.75222, 37.61556, "PPLC", "RU", "Moscow", true,
    ),
    (
        "Mosul", 99072, 36.335, 43.11889, "PPLA", "IQ", "Nineveh", true,
    ),
    (
        "Hodeidah",
        79415,
        14.79781,
        42.95452,
        "PPLA",
        "YE",
        "Al Hudaydah",
        true,
    ),
    (
        "Sanaa", 71137, 15.35472, 44.20667, "PPLC", "YE", "Sanaa", true,
    ),
    (
        "Marib", 70896, 15.46253, 45.32581, "PPLA", "YE", "Marib", true,
    ),
    (
        "Bakhmut", 709161, 48.5956, 38.0003, "PPL", "UA", "Donetsk", true,
    ),
    (
        "Avdiivka", 712451, 48.13989, 37.74255, "PPL", "UA", "Donetsk", true,
    ),
    (
        "Donetsk", 709717, 48.023, 37.80224, "PPLA", "UA", "Donetsk", true,
    ),
    (
        "Kharkiv", 706483, 49.98081, 36.25272, "PPLA", "UA", "Kharkiv", true,
    ),
    (
        "Kherson", 706448, 46.65581, 32.6178, "PPLA", "UA", "Kherson", true,
    ),
    (
        "El Fasher",
        379303,
        13.62793,
        25.34936,
        "PPLA",
        "SD",
        "North Darfur",
        true,
    ),
    (
        "Khartoum", 379252, 15.55177, 32.53241, "PPLC", "SD", "Khartoum", true,
    ),
    (
        "Omdurman", 365137, 15.64453, 32.47773, "PPL", "SD", "Khartoum", true,
    ),
    (
        "Gao", 2457163, 16.27167, -0.04472, "PPLA", "ML", "Gao", true,
    ),
    (
        "Kidal", 2455290, 18.44111, 1.40778, "PPLA", "ML", "Kidal", true,
    ),
    (
        "Mogadishu",
        53654,
        2.03711,
        45.34375,
        "PPLC",
        "SO",
        "Banaadir",
        true,
    ),
    (
        "Kabul", 1138958, 34.52813, 69.17233, "PPLC", "AF", "Kabul", true,
    ),
    (
        "Kandahar", 1138336, 31.61332, 65.71013, "PPLA", "AF", "Kandahar", true,
    ),
    (
        "Sittwe", 1295765, 20.14624, 92.89835, "PPLA", "MM", "Rakhine", true,
    ),
    (
        "Gaza",
        281133,
        31.50161,
        34.46672,
        "PPLA",
        "PS",
        "Gaza Strip",
        true,
    ),
    (
        "Khan Younis",
        281102,
        31.34018,
        34.30627,
        "PPL",
        "PS",
        "Gaza Strip",
        true,
    ),
    (
        "Goma",
        216281,
        -1.67409,
        29.22845,
        "PPLA",
        "CD",
        "North Kivu",
        true,
    ),
    (
        "Bunia", 217570, 1.55941, 30.25224, "PPLA", "CD", "Ituri", true,
    ),
    (
        "Maiduguri",
        2331447,
        11.84692,
        13.15712,
        "PPLA",
        "NG",
        "Borno",
        true,
    ),
    (
        "Tripoli", 2210247, 32.88743, 13.18733, "PPLC", "LY", "Tripoli", true,
    ),
    (
        "Benghazi", 88319, 32.11486, 20.06859, "PPLA", "LY", "Benghazi", true,
    ),
    (
        "Mekelle", 331180, 13.49667, 39.47528, "PPLA", "ET", "Tigray", true,
    ),
    (
        "Cairo", 360630, 30.06263, 31.24967, "PPLC", "EG", "Cairo", true,
    ),
    (
        "Nairobi", 184745, -1.28333, 36.81667, "PPLC", "KE", "Nairobi", true,
    ),
    ("Kerry", 2963597, 52.1, -9.75, "ADM2", "IE", "Munster", true),
    ("Syrian", 163843, 35.0, 38.0, "PCLI", "SY", "", false),
    ("Russian", 2017370, 60.0, 100.0, "PCLI", "RU", "", false),
    ("Iraqi", 99237, 33.0, 44.0, "PCLI", "IQ", "", false),
    ("Ukrainian", 690791, 49.0, 32.0, "PCLI", "UA", "", false),
    ("Sudanese", 366755, 16.0, 30.0, "PCLI", "SD", "", false),
];

/// Hand-built toponyms for every table place found in `text` (longest names first).
pub(crate) fn toponyms(text: &str) -> Vec<Toponym> {
    let mut names: Vec<_> = GAZ.iter().collect();
    names.sort_by_key(|g| std::cmp::Reverse(g.0.len()));
    let mut out: Vec<Toponym> = Vec::new();
    for g in names {
        let mut from = 0;
        while let Some(off) = text[from..].find(g.0) {
            let s = from + off;
            let e = s + g.0.len();
            from = e;
            let before = text[..s].chars().next_back();
            let after = text[e..].chars().next();
            if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            if out.iter().any(|t| t.byte_start < e && s < t.byte_end) {
                continue;
            }
            let mut co = crate::text::CharOffsets::new(text);
            out.push(Toponym {
                start: co.char_offset(s),
                end: co.char_offset(e),
                byte_start: s,
                byte_end: e,
                name: g.0.to_string(),
                geonameid: Some(g.1),
                lat: g.2,
                lon: g.3,
                feature_code: g.4.into(),
                country_code: g.5.into(),
                admin1: g.6.into(),
                kind: if g.7 {
                    MentionKind::Place
                } else {
                    MentionKind::Demonym
                },
                confidence: 0.9,
            });
        }
    }
    out.sort_by_key(|t| t.byte_start);
    out
}

pub(crate) fn doc(text: &str, date: &str) -> Document {
    Document {
        id: "t".into(),
        text: text.into(),
        date: NaiveDate::parse_from_str(date, "%Y-%m-%d").ok(),
        title: None,
        url: None,
    }
}
