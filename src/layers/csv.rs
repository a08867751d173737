//! CSV output for spreadsheets: one file per layer, a header row, the properties in schema order
//! followed by `lat` and `lon` (6 decimals), RFC 4180 quoting, LF line ends. A GDAL `.csvt`
//! sidecar next to each file carries the column types (so QGIS/GDAL read dates as dates).

use super::schema::{FieldType, SIMPLESTYLE, Table, format_coord};

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) || field.starts_with(' ') || field.ends_with(' ') {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

fn columns(table: &Table) -> Vec<&(String, FieldType)> {
    table
        .fields
        .iter()
        .filter(|(n, _)| !SIMPLESTYLE.contains(&n.as_str()))
        .collect()
}

/// The CSV file of one layer.
pub fn csv(table: &Table) -> Vec<u8> {
    let cols = columns(table);
    let mut s = String::new();
    let mut header: Vec<String> = cols.iter().map(|(n, _)| quote(n)).collect();
    header.push("lat".into());
    header.push("lon".into());
    s.push_str(&header.join(","));
    s.push('\n');
    for row in &table.rows {
        let mut cells: Vec<String> = cols
            .iter()
            .map(|(n, _)| row.text(n).map(|t| quote(&t)).unwrap_or_default())
            .collect();
        cells.push(format_coord(row.lat));
        cells.push(format_coord(row.lon));
        s.push_str(&cells.join(","));
        s.push('\n');
    }
    s.into_bytes()
}

/// The GDAL `.csvt` sidecar: one quoted type per column.
pub fn csvt(table: &Table) -> Vec<u8> {
    let mut types: Vec<String> = columns(table)
        .iter()
        .map(|(_, t)| format!("\"{}\"", t.csvt()))
        .collect();
    types.push("\"CoordY\"".into());
    types.push("\"CoordX\"".into());
    let mut s = types.join(",");
    s.push('\n');
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        for (i, want) in [
            ("plain", "plain"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
        ] {
            assert_eq!(quote(i), want);
        }
    }
}
