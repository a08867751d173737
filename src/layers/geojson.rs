//! GeoJSON (RFC 7946 FeatureCollection) and GeoJSON text sequences (RFC 8142) writers.
//!
//! Written by hand rather than through a generic serializer so the bytes are fixed: one feature
//! per line (diff-friendly), properties in schema order with explicit nulls, coordinates with
//! exactly 6 decimals, LF line ends and a trailing newline.

use std::fmt::Write;

use super::schema::{FieldType, Row, Table, format_coord};

/// One feature as a single line of JSON.
pub fn feature_json(table: &Table, row: &Row, with_simplestyle: bool) -> String {
    let mut s = String::with_capacity(512);
    s.push_str(r#"{"type":"Feature","geometry":{"type":"Point","coordinates":["#);
    s.push_str(&format_coord(row.lon));
    s.push(',');
    s.push_str(&format_coord(row.lat));
    s.push_str(r#"]},"properties":{"#);
    let mut first = true;
    for (name, ty) in &table.fields {
        if !with_simplestyle && super::schema::SIMPLESTYLE.contains(&name.as_str()) {
            continue;
        }
        if !first {
            s.push(',');
        }
        first = false;
        s.push_str(&serde_json::to_string(name).unwrap_or_default());
        s.push(':');
        let v = row.get(name).cloned().unwrap_or(super::schema::Value::Null);
        let json = match (ty, &v) {
            // An integer column never carries a float, and vice versa.
            (FieldType::Real, super::schema::Value::Int(i)) => {
                super::schema::format_real(*i as f64)
            }
            _ => v.to_json(),
        };
        s.push_str(&json);
    }
    s.push_str("}}");
    s
}

/// An RFC 7946 FeatureCollection with one feature per line.
pub fn feature_collection(table: &Table) -> Vec<u8> {
    let mut s = String::new();
    s.push_str("{\"type\":\"FeatureCollection\",\"name\":");
    s.push_str(&serde_json::to_string(table.layer.name()).unwrap_or_default());
    s.push_str(",\"features\":[");
    for (i, row) in table.rows.iter().enumerate() {
        s.push_str(if i == 0 { "\n" } else { ",\n" });
        s.push_str(&feature_json(table, row, true));
    }
    s.push_str("\n]}\n");
    s.into_bytes()
}

/// RFC 8142 GeoJSON text sequence: each feature prefixed by RS (0x1E) and ended by LF.
pub fn feature_sequence(table: &Table) -> Vec<u8> {
    let mut s = String::new();
    for row in &table.rows {
        let _ = writeln!(s, "\u{1e}{}", feature_json(table, row, true));
    }
    s.into_bytes()
}
