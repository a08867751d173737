//! The schema of every output layer: which properties a feature has, in which order, with which
//! type, plus the properties derived for display (`side`, simplestyle `marker-*`).
//!
//! Property names and order come from the record types in [`crate::aggregate`] through serde, so a
//! field added there shows up in every format without touching this module. Types come from a
//! fixed table for the known fields (so an empty layer or an all-null column still gets the right
//! column type) and are inferred from the values for fields the table does not know.

mod props;

use std::fmt;

use serde::Serialize;
use serde::de::{Deserializer, MapAccess, Visitor};

use super::LayersError;
use super::palette;
use crate::aggregate::{ControlChangeRecord, ControlRecord, EventRecord, PlaceRecord, Snapshot};

/// The four layers of a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    Events,
    Control,
    ControlChanges,
    Places,
}

impl Layer {
    /// All layers in output order (the order of the QGIS layer tree, top first).
    pub const ALL: [Layer; 4] = [
        Layer::Events,
        Layer::Control,
        Layer::ControlChanges,
        Layer::Places,
    ];

    /// File stem and layer name.
    pub fn name(self) -> &'static str {
        match self {
            Layer::Events => "events",
            Layer::Control => "control",
            Layer::ControlChanges => "control_changes",
            Layer::Places => "places",
        }
    }

    /// Human title (legend, QGIS layer name).
    pub fn title(self) -> &'static str {
        match self {
            Layer::Events => "Events",
            Layer::Control => "Territorial control",
            Layer::ControlChanges => "Control changes",
            Layer::Places => "Places",
        }
    }

    /// Parses a layer name as written by [`Layer::name`].
    pub fn from_name(name: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|l| l.name() == name)
    }
}

/// Column type of a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Integer,
    Real,
    /// A calendar date written as `YYYY-MM-DD`.
    Date,
}

impl FieldType {
    /// SQL type used in the GeoPackage.
    pub fn sql(self) -> &'static str {
        match self {
            FieldType::Text => "TEXT",
            FieldType::Integer => "INTEGER",
            FieldType::Real => "REAL",
            FieldType::Date => "DATE",
        }
    }

    /// GDAL `.csvt` type name.
    pub fn csvt(self) -> &'static str {
        match self {
            FieldType::Text => "String",
            FieldType::Integer => "Integer",
            FieldType::Real => "Real",
            FieldType::Date => "Date",
        }
    }
}

/// One property value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl Value {
    /// The value as text (for CSV and labels); `None` for null.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Int(i) => Some(i.to_string()),
            Value::Real(r) => Some(format_real(*r)),
            Value::Text(s) => Some(s.clone()),
        }
    }

    /// JSON text of the value.
    pub fn to_json(&self) -> String {
        let mut s = String::new();
        self.push_json(&mut s);
        s
    }

    /// Appends the JSON text of the value (see [`Value::to_json`]) to `out`.
    pub fn push_json(&self, out: &mut String) {
        use std::fmt::Write as _;
        match self {
            Value::Null => out.push_str("null"),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Real(r) if r.is_finite() => out.push_str(&format_real(*r)),
            Value::Real(_) => out.push_str("null"),
            Value::Text(s) => push_json_string(out, s),
        }
    }
}

/// Appends `s` as a JSON string literal, escaped exactly as `serde_json` escapes it: `"` and `\`,
/// the short forms `\b \t \n \f \r`, other control characters as `\u00xx`, all else as is.
pub fn push_json_string(out: &mut String, s: &str) {
    json_string_pieces(s, |piece| out.push_str(piece));
}

/// The pieces of `s` as a JSON string literal (see [`push_json_string`]), in order, for writers
/// that do not build a `String` (`geoparse` writes bytes).
pub fn json_string_pieces(s: &str, mut emit: impl FnMut(&str)) {
    emit("\"");
    // Most strings need no escaping: check all bytes at once (no early exit, so the check runs
    // on whole vectors) before looking for where.
    let plain = s
        .bytes()
        .fold(true, |ok, b| ok & (b >= 0x20) & (b != b'"') & (b != b'\\'));
    if plain {
        emit(s);
        emit("\"");
        return;
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        emit(&s[start..i]);
        if short.is_empty() {
            let code = [
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ];
            // Six ASCII bytes.
            emit(std::str::from_utf8(&code).unwrap_or_default());
        } else {
            emit(short);
        }
        start = i + 1;
    }
    emit(&s[start..]);
    emit("\"");
}

/// Shortest round-trip text of a float, always with a decimal point so readers keep it Real.
pub fn format_real(r: f64) -> String {
    if !r.is_finite() {
        return String::new();
    }
    let r = if r == 0.0 { 0.0 } else { r };
    let s = format!("{r:?}");
    if s.contains('.') || s.contains('e') || s.contains("inf") || s.contains("NaN") {
        s
    } else {
        format!("{s}.0")
    }
}

/// Formats a coordinate with exactly 6 decimals (no negative zero).
pub fn format_coord(c: f64) -> String {
    let mut s = String::with_capacity(12);
    push_coord(&mut s, c);
    s
}

/// Appends [`format_coord`]'s text of `c` to `out`.
pub fn push_coord(out: &mut String, c: f64) {
    match coord_micros(c) {
        Some(0) => out.push_str("0.000000"),
        Some(n) => {
            if n < 0 {
                out.push('-');
            }
            push_micros(out, n.unsigned_abs());
        }
        None => {
            let s = format!("{c:.6}");
            out.push_str(if s == "-0.000000" { "0.000000" } else { &s });
        }
    }
}

/// Appends `micros` millionths as decimal text with exactly 6 decimals (`1234567` → `1.234567`).
fn push_micros(out: &mut String, micros: u64) {
    use std::fmt::Write as _;
    let _ = write!(out, "{}.{:06}", micros / 1_000_000, micros % 1_000_000);
}

/// The coordinate rounded to 6 decimals, exactly the value [`format_coord`]'s text parses to.
pub fn round_coord(c: f64) -> f64 {
    match coord_micros(c) {
        Some(0) => 0.0,
        // `n` and 1e6 are exact and IEEE division rounds correctly, like parsing the text does.
        Some(n) => n as f64 / 1e6,
        None => format_coord(c).parse::<f64>().unwrap_or(c),
    }
}

/// `c` in millionths, rounded as `{:.6}` rounds the exact value, when that can be decided from
/// the float product `c * 1e6` (its error is far below the margin kept around half-way ties);
/// `None` for values too large or too close to a tie, which take the formatting path.
fn coord_micros(c: f64) -> Option<i64> {
    if c.is_nan() || c.abs() > 1e6 {
        return None;
    }
    let p = c * 1e6;
    let frac = p - p.floor();
    if (frac - 0.5).abs() < 1e-3 {
        return None;
    }
    Some(p.round() as i64)
}

/// One feature ready to be written by any format: a point and ordered properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: String,
    pub lon: f64,
    pub lat: f64,
    pub props: Vec<(String, Value)>,
}

impl Row {
    /// Value of a property by name.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.props.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Text of a property by name (`None` when absent or null).
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name).and_then(Value::as_text)
    }
}

/// One layer ready to be written: field list with types and sorted rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub layer: Layer,
    pub fields: Vec<(String, FieldType)>,
    pub rows: Vec<Row>,
}

impl Table {
    /// The latest date in the layer, used as a deterministic timestamp where a format wants one.
    pub fn latest_date(&self) -> Option<String> {
        let date_fields: Vec<&str> = self
            .fields
            .iter()
            .filter(|(_, t)| *t == FieldType::Date)
            .map(|(n, _)| n.as_str())
            .collect();
        self.rows
            .iter()
            .flat_map(|r| date_fields.iter().filter_map(|f| r.text(f)))
            .max()
    }
}

/// Properties only meant for GeoJSON previews (GitHub's simplestyle); other formats omit them.
pub const SIMPLESTYLE: [&str; 3] = ["marker-color", "marker-symbol", "marker-size"];

/// Type of a known property of a layer.
fn known_type(layer: Layer, name: &str) -> Option<FieldType> {
    use FieldType::*;
    let t = match (layer, name) {
        (_, "date" | "since") => Date,
        (_, "geonameid" | "mentions" | "source_count" | "fatalities") => Integer,
        (Layer::Events, "cameo_root" | "geo_precision" | "time_precision") => Integer,
        (_, "confidence") => Real,
        (
            _,
            "id"
            | "event_type"
            | "sub_event_type"
            | "actor1"
            | "inter1"
            | "actor2"
            | "inter2"
            | "location"
            | "country_code"
            | "admin1"
            | "status"
            | "notes"
            | "sources"
            | "place"
            | "controller"
            | "controller_inter"
            | "previous_controller"
            | "besieged_by"
            | "name"
            | "feature_code"
            | "side",
        ) => Text,
        (_, "marker-color" | "marker-symbol" | "marker-size") => Text,
        _ => return None,
    };
    Some(t)
}

/// Deserializes a JSON object keeping its key order.
struct Ordered(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Serializes a record into its ordered properties: directly for a struct of scalar fields,
/// through JSON text for anything else (both give the same properties).
fn ordered_props<T: Serialize>(record: &T) -> Result<Vec<(String, Value)>, LayersError> {
    match props::struct_props(record) {
        Ok(props) => Ok(props),
        Err(props::Unsupported) => json_props(record),
    }
}

/// A record's ordered properties by serializing it to JSON and reading the object back.
fn json_props<T: Serialize>(record: &T) -> Result<Vec<(String, Value)>, LayersError> {
    let json = serde_json::to_string(record).map_err(|e| LayersError::Serialize(e.to_string()))?;
    let Ordered(pairs) =
        serde_json::from_str(&json).map_err(|e| LayersError::Serialize(e.to_string()))?;
    Ok(pairs
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                serde_json::Value::Null => Value::Null,
                serde_json::Value::Bool(b) => Value::Int(i64::from(b)),
                serde_json::Value::Number(n) => {
                    if let Some(i) = n.as_i64() {
                        Value::Int(i)
                    } else if let Some(u) = n.as_u64() {
                        Value::Real(u as f64)
                    } else {
                        Value::Real(n.as_f64().unwrap_or(f64::NAN))
                    }
                }
                serde_json::Value::String(s) => Value::Text(s),
                other => Value::Text(other.to_string()),
            };
            (k, v)
        })
        .collect())
}

fn text(v: Option<&Value>) -> Option<&str> {
    match v {
        Some(Value::Text(s)) => Some(s.as_str()),
        _ => None,
    }
}

/// Adds the derived properties of a layer to one feature's properties.
fn add_derived(layer: Layer, props: &mut Vec<(String, Value)>) {
    let get = |props: &Vec<(String, Value)>, k: &str| {
        text(props.iter().find(|(n, _)| n == k).map(|(_, v)| v)).map(str::to_string)
    };
    let (color, symbol, size) = match layer {
        Layer::Events => {
            let t = get(props, "event_type").unwrap_or_default();
            let style = palette::event_style(&t);
            (style.color, style.letter, "medium")
        }
        Layer::Control | Layer::ControlChanges => {
            let inter = get(props, "controller_inter");
            let has_controller = get(props, "controller").is_some();
            let side = palette::side_of(inter.as_deref(), has_controller);
            props.push(("side".to_string(), Value::Text(side.key.to_string())));
            let status = get(props, "status").unwrap_or_default();
            (
                side.color,
                palette::status_letter(&status),
                if layer == Layer::Control {
                    "large"
                } else {
                    "small"
                },
            )
        }
        Layer::Places => (palette::PLACE_COLOR, "circle-stroked", "small"),
    };
    props.push(("marker-color".to_string(), Value::Text(color.to_string())));
    props.push(("marker-symbol".to_string(), Value::Text(symbol.to_string())));
    props.push(("marker-size".to_string(), Value::Text(size.to_string())));
}

fn make_row<T: Serialize>(
    layer: Layer,
    id: &str,
    record: &T,
    lon: f64,
    lat: f64,
) -> Result<Row, LayersError> {
    if !(lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-90.0..=90.0).contains(&lat))
    {
        return Err(LayersError::BadCoordinate {
            layer: layer.name(),
            id: id.to_string(),
            lon,
            lat,
        });
    }
    let mut props = ordered_props(record)?;
    add_derived(layer, &mut props);
    // Coordinates are written with 6 decimals; keep the in-memory value identical to the text.
    Ok(Row {
        id: id.to_string(),
        lon: round_coord(lon),
        lat: round_coord(lat),
        props,
    })
}

/// Builds the four tables of a snapshot: rows sorted by id (then by content, so even duplicate
/// ids give one order), field types fixed.
pub fn tables(snapshot: &Snapshot) -> Result<Vec<Table>, LayersError> {
    let mut out = Vec::new();
    for layer in Layer::ALL {
        let rows: Vec<Row> = match layer {
            Layer::Events => snapshot
                .events
                .iter()
                .map(|r: &EventRecord| make_row(layer, &r.id, r, r.lon, r.lat))
                .collect::<Result<_, _>>()?,
            Layer::Control => snapshot
                .control
                .iter()
                .map(|r: &ControlRecord| make_row(layer, &r.id, r, r.lon, r.lat))
                .collect::<Result<_, _>>()?,
            Layer::ControlChanges => snapshot
                .control_changes
                .iter()
                .map(|r: &ControlChangeRecord| make_row(layer, &r.id, r, r.lon, r.lat))
                .collect::<Result<_, _>>()?,
            Layer::Places => snapshot
                .places
                .iter()
                .map(|r: &PlaceRecord| make_row(layer, &r.id, r, r.lon, r.lat))
                .collect::<Result<_, _>>()?,
        };
        out.push(table(layer, rows, &field_names(layer)?));
    }
    Ok(out)
}

/// Property names of a layer, from a default record (so empty layers have a schema too).
fn field_names(layer: Layer) -> Result<Vec<String>, LayersError> {
    let mut props = match layer {
        Layer::Events => ordered_props(&default_event())?,
        Layer::Control => ordered_props(&default_control())?,
        Layer::ControlChanges => ordered_props(&default_change())?,
        Layer::Places => ordered_props(&default_place())?,
    };
    add_derived(layer, &mut props);
    Ok(props.into_iter().map(|(k, _)| k).collect())
}

/// The text rows are ordered by when their ids are equal: every property and the coordinates.
fn content_key(r: &Row) -> String {
    r.props
        .iter()
        .map(|(k, v)| format!("{k}={}", v.to_json()))
        .collect::<Vec<_>>()
        .join("\u{1f}")
        + &format!("|{}|{}", format_coord(r.lon), format_coord(r.lat))
}

fn table(layer: Layer, mut rows: Vec<Row>, names: &[String]) -> Table {
    // Sort by id, then by full content: a total, input-order-independent order. The content key
    // is only built for rows sharing an id, which is rare.
    rows.sort_by(|a, b| {
        a.id.cmp(&b.id)
            .then_with(|| content_key(a).cmp(&content_key(b)))
    });
    let fields = names
        .iter()
        .map(|n| {
            let t = known_type(layer, n).unwrap_or_else(|| infer_type(&rows, n));
            (n.clone(), t)
        })
        .collect();
    Table {
        layer,
        fields,
        rows,
    }
}

fn infer_type(rows: &[Row], name: &str) -> FieldType {
    let mut t: Option<FieldType> = None;
    for v in rows.iter().filter_map(|r| r.get(name)) {
        let this = match v {
            Value::Null => continue,
            Value::Int(_) => FieldType::Integer,
            Value::Real(_) => FieldType::Real,
            Value::Text(s) if is_iso_date(s) => FieldType::Date,
            Value::Text(_) => FieldType::Text,
        };
        t = Some(match (t, this) {
            (None, x) => x,
            (Some(a), b) if a == b => a,
            (Some(FieldType::Integer), FieldType::Real)
            | (Some(FieldType::Real), FieldType::Integer) => FieldType::Real,
            _ => FieldType::Text,
        });
    }
    t.unwrap_or(FieldType::Text)
}

/// True for `YYYY-MM-DD`.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn default_event() -> EventRecord {
    EventRecord {
        id: String::new(),
        event_type: String::new(),
        sub_event_type: String::new(),
        cameo_root: 0,
        actor1: None,
        inter1: None,
        actor2: None,
        inter2: None,
        location: String::new(),
        geonameid: None,
        country_code: String::new(),
        admin1: String::new(),
        geo_precision: 0,
        date: None,
        time_precision: 0,
        status: String::new(),
        fatalities: None,
        notes: String::new(),
        sources: String::new(),
        source_count: 0,
        confidence: 0.0,
        lat: 0.0,
        lon: 0.0,
    }
}

fn default_control() -> ControlRecord {
    ControlRecord {
        id: String::new(),
        place: String::new(),
        geonameid: None,
        country_code: String::new(),
        admin1: String::new(),
        status: String::new(),
        controller: None,
        controller_inter: None,
        previous_controller: None,
        besieged_by: None,
        since: None,
        notes: String::new(),
        sources: String::new(),
        confidence: 0.0,
        lat: 0.0,
        lon: 0.0,
    }
}

fn default_change() -> ControlChangeRecord {
    ControlChangeRecord {
        id: String::new(),
        place: String::new(),
        geonameid: None,
        country_code: String::new(),
        admin1: String::new(),
        date: None,
        status: String::new(),
        controller: None,
        controller_inter: None,
        previous_controller: None,
        besieged_by: None,
        notes: String::new(),
        sources: String::new(),
        confidence: 0.0,
        lat: 0.0,
        lon: 0.0,
    }
}

fn default_place() -> PlaceRecord {
    PlaceRecord {
        id: String::new(),
        name: String::new(),
        geonameid: None,
        feature_code: String::new(),
        country_code: String::new(),
        admin1: String::new(),
        mentions: 0,
        sources: String::new(),
        lat: 0.0,
        lon: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_have_six_decimals_and_no_negative_zero() {
        for (c, want) in [
            (36.2, "36.200000"),
            (-0.0000001, "0.000000"),
            (-12.3456789, "-12.345679"),
            (180.0, "180.000000"),
        ] {
            assert_eq!(format_coord(c), want, "{c}");
        }
    }

    /// The text `{:.6}` gives, without negative zero: what [`format_coord`] must match.
    fn reference_coord(c: f64) -> String {
        let s = format!("{c:.6}");
        if s == "-0.000000" {
            "0.000000".to_string()
        } else {
            s
        }
    }

    #[test]
    fn fast_coordinates_match_float_formatting() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut values = vec![
            0.0,
            -0.0,
            0.0000005,
            -0.0000005,
            0.0000015,
            1.0000005,
            2.5e-6,
            -2.5e-6,
            179.9999995,
            -179.9999995,
            36.2,
            1e6,
            1e7,
            f64::NAN,
            f64::INFINITY,
            f64::MIN_POSITIVE,
        ];
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
            values.push(unit * 360.0 - 180.0);
            // Values on a 7-decimal grid hit the half-way cases.
            values.push(((x % 3_600_000_001) as f64 - 1_800_000_000.0) / 1e7);
        }
        for c in values {
            let want = reference_coord(c);
            assert_eq!(format_coord(c), want, "{c:e}");
            if let Ok(parsed) = want.parse::<f64>() {
                assert_eq!(round_coord(c).to_bits(), parsed.to_bits(), "{c:e}");
            }
        }
    }

    #[test]
    fn json_strings_are_escaped_like_serde_json() {
        let mut samples: Vec<String> = (0u32..0x100)
            .filter_map(char::from_u32)
            .map(|c| format!("a{c}b"))
            .collect();
        samples.extend(
            ["", "plain", "say \"hi\"\n", "Aleppo — حلب \u{2028}\u{7f}\\"].map(String::from),
        );
        for s in samples {
            let mut got = String::new();
            push_json_string(&mut got, &s);
            assert_eq!(got, serde_json::to_string(&s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn micros_have_six_decimals() {
        for (m, want) in [
            (0, "0.000000"),
            (1, "0.000001"),
            (999_999, "0.999999"),
            (1_000_000, "1.000000"),
            (180_000_000, "180.000000"),
            (u64::MAX, "18446744073709.551615"),
        ] {
            let mut s = String::new();
            push_micros(&mut s, m);
            assert_eq!(s, want);
        }
    }

    #[test]
    fn reals_keep_a_decimal_point() {
        for (r, want) in [(1.0, "1.0"), (0.75, "0.75"), (-0.0, "0.0"), (0.1, "0.1")] {
            assert_eq!(format_real(r), want);
        }
    }

    #[test]
    fn iso_dates() {
        for (s, want) in [
            ("2016-08-26", true),
            ("2016-8-26", false),
            ("20160826xx", false),
            ("2016-08-2a", false),
        ] {
            assert_eq!(is_iso_date(s), want, "{s}");
        }
    }

    #[test]
    fn every_record_field_has_a_known_type() {
        for layer in Layer::ALL {
            for name in field_names(layer).unwrap() {
                assert!(
                    known_type(layer, &name).is_some(),
                    "{}.{name} has no type in the schema table",
                    layer.name()
                );
            }
        }
    }

    #[test]
    fn bad_coordinates_are_an_error() {
        let mut snap = Snapshot::default();
        let mut p = default_place();
        p.id = "p1".into();
        p.lat = f64::NAN;
        snap.places.push(p);
        assert!(matches!(
            tables(&snap),
            Err(LayersError::BadCoordinate { .. })
        ));
    }
}
