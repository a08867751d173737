//! Reads a snapshot directory back, whatever format it was written in (GeoJSON, GeoJSON
//! sequences, GeoPackage, CSV). Used by `eventmap diff` and `eventmap render`.

use std::path::{Path, PathBuf};

use super::LayersError;
use super::schema::{Layer, Row, Value};

/// Reads one layer of a snapshot directory (`<layer>.geojson`, `<layer>.geojsons`,
/// `eventmap.gpkg` or `<layer>.csv`, in that order). A missing layer reads as `None`.
pub fn read_layer(dir: &Path, layer: Layer) -> Result<Option<Vec<Row>>, LayersError> {
    for ext in ["geojson", "geojsons"] {
        let path = dir.join(format!("{}.{ext}", layer.name()));
        match std::fs::read_to_string(&path) {
            Ok(text) => return parse_rows(&path, &text).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(LayersError::Io { path, source: e }),
        }
    }
    let gpkg = dir.join(super::gpkg::FILE_NAME);
    if gpkg.is_file() {
        return read_gpkg(&gpkg, layer);
    }
    let csv = dir.join(format!("{}.csv", layer.name()));
    match std::fs::read_to_string(&csv) {
        Ok(text) => {
            let types = std::fs::read_to_string(dir.join(format!("{}.csvt", layer.name())))
                .unwrap_or_default();
            parse_csv(&csv, &text, &types).map(Some)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(LayersError::Io {
            path: csv,
            source: e,
        }),
    }
}

fn id_of(props: &[(String, Value)], i: usize) -> String {
    props
        .iter()
        .find(|(k, _)| k == "id")
        .and_then(|(_, v)| v.as_text())
        .unwrap_or_else(|| format!("#{i}"))
}

/// Reads one layer of an eventmap GeoPackage (`None` when the table is absent).
pub fn read_gpkg(path: &Path, layer: Layer) -> Result<Option<Vec<Row>>, LayersError> {
    use rusqlite::types::ValueRef;
    let err = |e: rusqlite::Error| bad(path, e.to_string());
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(err)?;
    let exists: i64 = conn
        .query_row(
            "SELECT count(*) FROM gpkg_contents WHERE table_name = ?1",
            [layer.name()],
            |r| r.get(0),
        )
        .map_err(err)?;
    if exists == 0 {
        return Ok(None);
    }
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM \"{}\" ORDER BY fid", layer.name()))
        .map_err(err)?;
    let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
    let mut rows = Vec::new();
    let mut q = stmt.query([]).map_err(err)?;
    let mut i = 0;
    while let Some(r) = q.next().map_err(err)? {
        let mut props = Vec::new();
        let (mut lon, mut lat) = (f64::NAN, f64::NAN);
        for (c, name) in names.iter().enumerate() {
            let v = r.get_ref(c).map_err(err)?;
            if name == "fid" {
                continue;
            }
            if name == "geom" {
                if let ValueRef::Blob(b) = v {
                    (lon, lat) = gpkg_point(b).ok_or_else(|| bad(path, "unreadable geometry"))?;
                }
                continue;
            }
            let value = match v {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(x) => Value::Int(x),
                ValueRef::Real(x) => Value::Real(x),
                ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(_) => Value::Null,
            };
            props.push((name.clone(), value));
        }
        rows.push(Row {
            id: id_of(&props, i),
            lon,
            lat,
            props,
        });
        i += 1;
    }
    Ok(Some(rows))
}

/// Coordinates of a GeoPackage binary point.
fn gpkg_point(b: &[u8]) -> Option<(f64, f64)> {
    if b.len() < 8 || &b[..2] != b"GP" {
        return None;
    }
    let flags = b[3];
    let envelope = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        _ => return None,
    };
    let wkb = b.get(8 + envelope..)?;
    let le = *wkb.first()? == 1;
    let f = |o: usize| -> Option<f64> {
        let bytes: [u8; 8] = wkb.get(o..o + 8)?.try_into().ok()?;
        Some(if le {
            f64::from_le_bytes(bytes)
        } else {
            f64::from_be_bytes(bytes)
        })
    };
    Some((f(5)?, f(13)?))
}

/// Splits CSV text into records (RFC 4180 quoting).
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// Parses an eventmap CSV layer; the `.csvt` text (may be empty) gives the column types.
fn parse_csv(path: &Path, text: &str, csvt: &str) -> Result<Vec<Row>, LayersError> {
    let mut records = csv_records(text).into_iter();
    let header = records.next().ok_or_else(|| bad(path, "empty CSV"))?;
    let types: Vec<String> = csvt
        .trim()
        .split(',')
        .map(|t| t.trim().trim_matches('"').to_string())
        .collect();
    let (Some(lat_i), Some(lon_i)) = (
        header.iter().position(|h| h == "lat"),
        header.iter().position(|h| h == "lon"),
    ) else {
        return Err(bad(path, "no lat/lon columns"));
    };
    let mut rows = Vec::new();
    for (i, rec) in records.enumerate() {
        let num = |j: usize| rec.get(j).and_then(|v| v.parse::<f64>().ok());
        let (Some(lat), Some(lon)) = (num(lat_i), num(lon_i)) else {
            return Err(bad(path, format!("row {} has no coordinates", i + 2)));
        };
        let props: Vec<(String, Value)> = header
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != lat_i && *j != lon_i)
            .map(|(j, h)| {
                let raw = rec.get(j).cloned().unwrap_or_default();
                let v = if raw.is_empty() {
                    Value::Null
                } else {
                    match types.get(j).map(String::as_str) {
                        Some("Integer") => raw.parse().map(Value::Int).unwrap_or(Value::Text(raw)),
                        Some("Real") => raw.parse().map(Value::Real).unwrap_or(Value::Text(raw)),
                        _ => Value::Text(raw),
                    }
                };
                (h.clone(), v)
            })
            .collect();
        rows.push(Row {
            id: id_of(&props, i),
            lon,
            lat,
            props,
        });
    }
    Ok(rows)
}

/// The four layers of a snapshot directory; it is an error when none of them exists.
pub fn read_snapshot(dir: &Path) -> Result<Vec<(Layer, Vec<Row>)>, LayersError> {
    let mut out = Vec::new();
    let mut found = false;
    for layer in Layer::ALL {
        let rows = read_layer(dir, layer)?;
        found |= rows.is_some();
        out.push((layer, rows.unwrap_or_default()));
    }
    if !found {
        // A path that is no directory at all says so, rather than that it holds no layers.
        if let Err(source) = std::fs::read_dir(dir) {
            return Err(LayersError::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
        return Err(LayersError::NotASnapshot(dir.to_path_buf()));
    }
    Ok(out)
}

fn bad(path: &Path, msg: impl Into<String>) -> LayersError {
    LayersError::BadLayer {
        path: PathBuf::from(path),
        message: msg.into(),
    }
}

/// Parses a FeatureCollection or an RFC 8142 sequence into point rows.
pub fn parse_rows(path: &Path, text: &str) -> Result<Vec<Row>, LayersError> {
    let features: Vec<serde_json::Value> = if text.trim_start().starts_with('\u{1e}') {
        text.split('\u{1e}')
            .filter(|s| !s.trim().is_empty())
            .map(serde_json::from_str)
            .collect::<Result<_, _>>()
            .map_err(|e| bad(path, e.to_string()))?
    } else {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| bad(path, e.to_string()))?;
        v.get("features")
            .and_then(|f| f.as_array())
            .cloned()
            .ok_or_else(|| bad(path, "not a FeatureCollection"))?
    };
    let mut rows = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        let coords = f
            .pointer("/geometry/coordinates")
            .and_then(|c| c.as_array())
            .ok_or_else(|| bad(path, format!("feature {i} has no point geometry")))?;
        let (Some(lon), Some(lat)) = (
            coords.first().and_then(|v| v.as_f64()),
            coords.get(1).and_then(|v| v.as_f64()),
        ) else {
            return Err(bad(path, format!("feature {i} has no point coordinates")));
        };
        let props: Vec<(String, Value)> = f
            .get("properties")
            .and_then(|p| p.as_object())
            .map(|m| {
                m.iter()
                    .map(|(k, v)| {
                        let v = match v {
                            serde_json::Value::Null => Value::Null,
                            serde_json::Value::Number(n) => n
                                .as_i64()
                                .map(Value::Int)
                                .unwrap_or_else(|| Value::Real(n.as_f64().unwrap_or(f64::NAN))),
                            serde_json::Value::String(s) => Value::Text(s.clone()),
                            other => Value::Text(other.to_string()),
                        };
                        (k.clone(), v)
                    })
                    .collect()
            })
            .unwrap_or_default();
        rows.push(Row {
            id: id_of(&props, i),
            lon,
            lat,
            props,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_records_handle_quotes() {
        let r = csv_records("a,b\n\"x, \"\"y\"\"\",\"two\nlines\"\n");
        assert_eq!(
            r,
            vec![
                vec!["a".to_string(), "b".to_string()],
                vec!["x, \"y\"".to_string(), "two\nlines".to_string()]
            ]
        );
    }

    #[test]
    fn gpkg_point_round_trip() {
        let b = super::super::gpkg::point_blob(36.5, 33.25);
        assert_eq!(gpkg_point(&b), Some((36.5, 33.25)));
        assert_eq!(gpkg_point(b"XX"), None);
    }
}
