//! GeoPackage output: one `eventmap.gpkg` with all four layers as point feature tables.
//!
//! Follows OGC GeoPackage 1.3: `application_id`/`user_version` set, the mandatory
//! `gpkg_spatial_ref_sys` rows (-1, 0, 4326), `gpkg_contents` with extents, `gpkg_geometry_columns`,
//! GeoPackage binary geometries (little-endian WKB points, no envelope) and typed columns (DATE,
//! INTEGER, REAL, TEXT). The QML styles go into QGIS's `layer_styles` table with `useAsDefault = 1`,
//! so QGIS applies them when the layer is added. No spatial index (small layers do not need one).
//!
//! Byte stability: the database is built from scratch in one transaction with fixed pragmas and
//! timestamps derived from the data (`last_change` is the latest date in the layer), so the same
//! snapshot gives the same file bytes with the same bundled SQLite.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rusqlite::{Connection, params};

use super::LayersError;
use super::qgis;
use super::schema::{FieldType, SIMPLESTYLE, Table, Value};

/// File name of the GeoPackage in a snapshot directory.
pub const FILE_NAME: &str = "eventmap.gpkg";

const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

fn sql_err(path: &Path, e: rusqlite::Error) -> LayersError {
    LayersError::Gpkg {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// GeoPackage binary encoding of a point (header + little-endian WKB).
pub fn point_blob(lon: f64, lat: f64) -> Vec<u8> {
    let mut b = Vec::with_capacity(29);
    b.extend_from_slice(b"GP");
    b.push(0); // version 1
    b.push(0b0000_0001); // little endian, no envelope, not empty, standard
    b.extend_from_slice(&4326i32.to_le_bytes());
    b.push(1); // WKB little endian
    b.extend_from_slice(&1u32.to_le_bytes()); // Point
    b.extend_from_slice(&lon.to_le_bytes());
    b.extend_from_slice(&lat.to_le_bytes());
    b
}

fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Columns written to the GeoPackage (simplestyle properties are only for GeoJSON).
fn columns(table: &Table) -> Vec<(&str, FieldType)> {
    table
        .fields
        .iter()
        .filter(|(n, _)| !SIMPLESTYLE.contains(&n.as_str()))
        .map(|(n, t)| (n.as_str(), *t))
        .collect()
}

fn build(conn: &mut Connection, path: &Path, tables: &[Table]) -> Result<(), LayersError> {
    let e = |err| sql_err(path, err);
    conn.execute_batch(
        "PRAGMA page_size = 4096;
         PRAGMA journal_mode = OFF;
         PRAGMA application_id = 1196444487;
         PRAGMA user_version = 10300;",
    )
    .map_err(e)?;
    let tx = conn.transaction().map_err(e)?;
    tx.execute_batch(
        "CREATE TABLE gpkg_spatial_ref_sys (
           srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
           organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
         CREATE TABLE gpkg_contents (
           table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
           description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
           min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
           CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
         CREATE TABLE gpkg_geometry_columns (
           table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
           srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
           CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
           CONSTRAINT uk_gc_table_name UNIQUE (table_name),
           CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
           CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
         CREATE TABLE layer_styles (
           id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256),
           f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT,
           styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),
           update_time DATETIME DEFAULT CURRENT_TIMESTAMP);",
    )
    .map_err(e)?;
    tx.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES
           ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
           ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
           ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?1, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
        params![WGS84_WKT],
    )
    .map_err(e)?;
    for table in tables {
        let name = table.layer.name();
        let cols = columns(table);
        let defs: Vec<String> = cols
            .iter()
            .map(|(n, t)| format!("{} {}", quote_ident(n), t.sql()))
            .collect();
        tx.execute_batch(&format!(
            "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom POINT, {});",
            quote_ident(name),
            defs.join(", ")
        ))
        .map_err(e)?;
        let placeholders: Vec<String> =
            (0..cols.len() + 1).map(|i| format!("?{}", i + 1)).collect();
        let names: Vec<String> = cols.iter().map(|(n, _)| quote_ident(n)).collect();
        let sql = format!(
            "INSERT INTO {} (geom, {}) VALUES ({})",
            quote_ident(name),
            names.join(", "),
            placeholders.join(", ")
        );
        {
            let mut stmt = tx.prepare(&sql).map_err(e)?;
            for row in &table.rows {
                let mut values: Vec<rusqlite::types::Value> =
                    vec![rusqlite::types::Value::Blob(point_blob(row.lon, row.lat))];
                for (n, t) in &cols {
                    let v = row.get(n).cloned().unwrap_or(Value::Null);
                    values.push(match (v, t) {
                        (Value::Null, _) => rusqlite::types::Value::Null,
                        (Value::Int(i), FieldType::Real) => rusqlite::types::Value::Real(i as f64),
                        (Value::Int(i), _) => rusqlite::types::Value::Integer(i),
                        (Value::Real(r), _) if r.is_finite() => rusqlite::types::Value::Real(r),
                        (Value::Real(_), _) => rusqlite::types::Value::Null,
                        (Value::Text(s), _) => rusqlite::types::Value::Text(s),
                    });
                }
                stmt.execute(rusqlite::params_from_iter(values))
                    .map_err(e)?;
            }
        }
        let bbox = qgis::BBox::fit(table.rows.iter().map(|r| (r.lon, r.lat)), 0.0, 0.0);
        let last_change = format!(
            "{}T00:00:00.000Z",
            table.latest_date().unwrap_or_else(|| "1970-01-01".into())
        );
        tx.execute(
            "INSERT INTO gpkg_contents VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, ?7, 4326)",
            params![
                name,
                table.layer.title(),
                last_change,
                bbox.min_lon,
                bbox.min_lat,
                bbox.max_lon,
                bbox.max_lat
            ],
        )
        .map_err(e)?;
        tx.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', 'POINT', 4326, 0, 0)",
            params![name],
        )
        .map_err(e)?;
        tx.execute(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name,
               f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner,
               ui, update_time)
             VALUES ('', '', ?1, 'geom', ?1, ?2, '', 1, 'eventmap default style', '', NULL, ?3)",
            params![name, qgis::qml(table.layer), last_change],
        )
        .map_err(e)?;
    }
    tx.commit().map_err(e)?;
    Ok(())
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The bytes of the GeoPackage for these tables. The database is built in a scratch file in the
/// system temporary directory (never in the output directory) and removed afterwards.
pub fn gpkg_bytes(tables: &[Table]) -> Result<Vec<u8>, LayersError> {
    let scratch: PathBuf = std::env::temp_dir().join(format!(
        "eventmap-{}-{}.gpkg",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_file(&scratch);
    let result = (|| {
        let mut conn = Connection::open(&scratch).map_err(|e| sql_err(&scratch, e))?;
        build(&mut conn, &scratch, tables)?;
        conn.close().map_err(|(_, e)| sql_err(&scratch, e))?;
        std::fs::read(&scratch).map_err(|e| LayersError::Io {
            path: scratch.clone(),
            source: e,
        })
    })();
    let _ = std::fs::remove_file(&scratch);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_blob_layout() {
        let b = point_blob(1.5, -2.0);
        assert_eq!(&b[..8], &[b'G', b'P', 0, 1, 0xe6, 0x10, 0, 0]);
        assert_eq!(b.len(), 8 + 21);
        assert_eq!(f64::from_le_bytes(b[13..21].try_into().unwrap()), 1.5);
        assert_eq!(f64::from_le_bytes(b[21..29].try_into().unwrap()), -2.0);
    }
}
