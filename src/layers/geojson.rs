//! GeoJSON (RFC 7946 FeatureCollection) and GeoJSON text sequences (RFC 8142) writers.
//!
//! Written by hand rather than through a generic serializer so the bytes are fixed: one feature
//! per line (diff-friendly), properties in schema order with explicit nulls, coordinates with
//! exactly 6 decimals, LF line ends and a trailing newline.

use super::schema::{
    FieldType, Row, SIMPLESTYLE, Table, Value, format_real, push_coord, push_json_string,
};

/// The properties a layer's features carry: for each, the JSON key text (`"name":`), the
/// property name and its column type. Built once per layer, shared by all its features.
struct Keys<'a>(Vec<(String, &'a str, FieldType)>);

impl<'a> Keys<'a> {
    fn new(table: &'a Table, with_simplestyle: bool) -> Keys<'a> {
        Keys(
            table
                .fields
                .iter()
                .filter(|(name, _)| with_simplestyle || !SIMPLESTYLE.contains(&name.as_str()))
                .map(|(name, ty)| {
                    let mut key = String::new();
                    push_json_string(&mut key, name);
                    key.push(':');
                    (key, name.as_str(), *ty)
                })
                .collect(),
        )
    }
}

/// Appends one feature as a single line of JSON to `s`.
fn push_feature(s: &mut String, keys: &Keys, row: &Row) {
    s.push_str(r#"{"type":"Feature","geometry":{"type":"Point","coordinates":["#);
    push_coord(s, row.lon);
    s.push(',');
    push_coord(s, row.lat);
    s.push_str(r#"]},"properties":{"#);
    for (i, (key, name, ty)) in keys.0.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(key);
        match (ty, row.get(name)) {
            // An integer column never carries a float, and vice versa.
            (FieldType::Real, Some(Value::Int(i))) => s.push_str(&format_real(*i as f64)),
            (_, Some(v)) => v.push_json(s),
            (_, None) => s.push_str("null"),
        }
    }
    s.push_str("}}");
}

/// One feature as a single line of JSON.
pub fn feature_json(table: &Table, row: &Row, with_simplestyle: bool) -> String {
    let mut s = String::with_capacity(512);
    push_feature(&mut s, &Keys::new(table, with_simplestyle), row);
    s
}

/// An RFC 7946 FeatureCollection with one feature per line.
pub fn feature_collection(table: &Table) -> Vec<u8> {
    let keys = Keys::new(table, true);
    let mut s = String::with_capacity(64 + 512 * table.rows.len());
    s.push_str("{\"type\":\"FeatureCollection\",\"name\":");
    push_json_string(&mut s, table.layer.name());
    s.push_str(",\"features\":[");
    for (i, row) in table.rows.iter().enumerate() {
        s.push_str(if i == 0 { "\n" } else { ",\n" });
        push_feature(&mut s, &keys, row);
    }
    s.push_str("\n]}\n");
    s.into_bytes()
}

/// RFC 8142 GeoJSON text sequence: each feature prefixed by RS (0x1E) and ended by LF.
pub fn feature_sequence(table: &Table) -> Vec<u8> {
    let keys = Keys::new(table, true);
    let mut s = String::with_capacity(512 * table.rows.len());
    for row in &table.rows {
        s.push('\u{1e}');
        push_feature(&mut s, &keys, row);
        s.push('\n');
    }
    s.into_bytes()
}
