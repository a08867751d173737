//! Reads a snapshot directory back: the layers written as GeoJSON or GeoJSON sequences, and the
//! basemap copy. Used by `eventmap diff` and `eventmap render`.

use std::path::{Path, PathBuf};

use super::LayersError;
use super::schema::{Layer, Row, Value};

/// Reads one layer of a snapshot directory (`<layer>.geojson`, else `<layer>.geojsons`).
/// A missing layer file reads as `None`.
pub fn read_layer(dir: &Path, layer: Layer) -> Result<Option<Vec<Row>>, LayersError> {
    for ext in ["geojson", "geojsons"] {
        let path = dir.join(format!("{}.{ext}", layer.name()));
        match std::fs::read_to_string(&path) {
            Ok(text) => return parse_rows(&path, &text).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(LayersError::Io { path, source: e }),
        }
    }
    Ok(None)
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
        let id = props
            .iter()
            .find(|(k, _)| k == "id")
            .and_then(|(_, v)| v.as_text())
            .unwrap_or_else(|| format!("#{i}"));
        rows.push(Row {
            id,
            lon,
            lat,
            props,
        });
    }
    Ok(rows)
}
