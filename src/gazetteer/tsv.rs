//! Reader for the eventmap places TSV format (`gazetteer/data/*.tsv[.gz]` and `--places FILE`).
//!
//! The format is described in `gazetteer/README.md` and `docs/gazetteer.md`: UTF-8, optional
//! gzip, `#` comments, a header line naming the columns (any order, any subset, unknown columns
//! ignored), list columns separated by `|`. This module only parses and validates single rows;
//! how rows combine (aliases, overrides, new places) is [`super::placeset`]'s job.
//!
//! Malformed rows are reported as [`RowError`]s (`FILE:LINE: reason`) and skipped; reading goes
//! on. Depends only on `std` and `flate2` (the build script compiles it too).

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// One parsed data row. Empty cells are `None` / empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlaceRow {
    /// 1-based line number in its file.
    pub line: usize,
    /// GeoNames id.
    pub geonameid: Option<u32>,
    /// Primary name.
    pub name: String,
    /// ASCII name.
    pub asciiname: String,
    /// Alternate names.
    pub alternatenames: Vec<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Feature class.
    pub feature_class: String,
    /// Feature code.
    pub feature_code: String,
    /// ISO country code.
    pub country_code: String,
    /// Admin1 code.
    pub admin1_code: String,
    /// Admin2 code.
    pub admin2_code: String,
    /// Population.
    pub population: Option<u64>,
    /// Capital geonameid (countries).
    pub capital: Option<u32>,
    /// Neighbour ISO codes.
    pub neighbours: Vec<String>,
    /// Demonyms.
    pub demonyms: Vec<String>,
    /// ISO alpha-3.
    pub iso3: String,
}

/// A malformed row: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// File as given.
    pub file: String,
    /// 1-based line number (0 for file-level problems).
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Geonameid,
    Name,
    Asciiname,
    Alternatenames,
    Lat,
    Lon,
    FeatureClass,
    FeatureCode,
    CountryCode,
    Admin1Code,
    Admin2Code,
    Population,
    Capital,
    Neighbours,
    Demonyms,
    Iso3,
    Ignored,
}

fn column(name: &str) -> Col {
    match name.trim() {
        "geonameid" => Col::Geonameid,
        "name" => Col::Name,
        "asciiname" => Col::Asciiname,
        "alternatenames" => Col::Alternatenames,
        "lat" | "latitude" => Col::Lat,
        "lon" | "longitude" => Col::Lon,
        "feature_class" => Col::FeatureClass,
        "feature_code" => Col::FeatureCode,
        "country_code" => Col::CountryCode,
        "admin1_code" => Col::Admin1Code,
        "admin2_code" => Col::Admin2Code,
        "population" => Col::Population,
        "capital" => Col::Capital,
        "neighbours" => Col::Neighbours,
        "demonyms" => Col::Demonyms,
        "iso3" => Col::Iso3,
        _ => Col::Ignored,
    }
}

/// Opens a file, transparently decompressing gzip (detected by its magic bytes).
pub fn open_maybe_gz(path: &Path) -> io::Result<Box<dyn BufRead>> {
    let mut f = BufReader::new(File::open(path)?);
    let magic = f.fill_buf()?;
    if magic.len() >= 2 && magic[0] == 0x1f && magic[1] == 0x8b {
        Ok(Box::new(BufReader::new(
            flate2::bufread::MultiGzDecoder::new(f),
        )))
    } else {
        Ok(Box::new(f))
    }
}

fn split_list(cell: &str) -> Vec<String> {
    cell.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Reads a places TSV from `reader`, calling `on_row` for each valid row and `on_error` for each
/// malformed one. `label` names the input in error messages. I/O errors (including invalid
/// UTF-8 or gzip) end the read and are returned.
pub fn read_places(
    reader: impl Read,
    label: &str,
    mut on_row: impl FnMut(PlaceRow),
    mut on_error: impl FnMut(RowError),
) -> io::Result<()> {
    let mut reader = BufReader::new(reader);
    let mut header: Option<Vec<Col>> = None;
    let mut line = String::new();
    let mut line_no = 0usize;
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        line_no += 1;
        let text = line.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() || text.starts_with('#') {
            continue;
        }
        let err = |reason: String| RowError {
            file: label.to_string(),
            line: line_no,
            reason,
        };
        let Some(cols) = &header else {
            let cols: Vec<Col> = text.split('\t').map(column).collect();
            if !cols.contains(&Col::Name) && !cols.contains(&Col::Geonameid) {
                on_error(err(
                    "header names neither a `name` nor a `geonameid` column".to_string(),
                ));
                return Ok(());
            }
            header = Some(cols);
            continue;
        };
        let cells: Vec<&str> = text.split('\t').collect();
        if cells.len() > cols.len() {
            on_error(err(format!(
                "{} fields but the header names {} columns",
                cells.len(),
                cols.len()
            )));
            continue;
        }
        match parse_row(cols, &cells, line_no) {
            Ok(row) => on_row(row),
            Err(reason) => on_error(err(reason)),
        }
    }
    if header.is_none() {
        on_error(RowError {
            file: label.to_string(),
            line: 0,
            reason: "no header line".to_string(),
        });
    }
    Ok(())
}

/// [`read_places`] on a (possibly gzip-compressed) file.
pub fn read_places_file(
    path: &Path,
    on_row: impl FnMut(PlaceRow),
    on_error: impl FnMut(RowError),
) -> io::Result<()> {
    let r = open_maybe_gz(path)?;
    read_places(r, &path.display().to_string(), on_row, on_error)
}

fn parse_row(cols: &[Col], cells: &[&str], line: usize) -> Result<PlaceRow, String> {
    let mut row = PlaceRow {
        line,
        ..Default::default()
    };
    for (col, raw) in cols.iter().zip(cells) {
        let cell = raw.trim();
        if cell.is_empty() {
            continue;
        }
        match col {
            Col::Geonameid => {
                row.geonameid = Some(
                    cell.parse()
                        .map_err(|_| format!("geonameid `{cell}` is not a number"))?,
                )
            }
            Col::Name => row.name = cell.to_string(),
            Col::Asciiname => row.asciiname = cell.to_string(),
            Col::Alternatenames => row.alternatenames = split_list(cell),
            Col::Lat => row.lat = Some(parse_coord(cell, "lat", 90.0)?),
            Col::Lon => row.lon = Some(parse_coord(cell, "lon", 180.0)?),
            Col::FeatureClass => row.feature_class = cell.to_string(),
            Col::FeatureCode => row.feature_code = cell.to_string(),
            Col::CountryCode => {
                if cell.len() != 2 || !cell.bytes().all(|b| b.is_ascii_alphabetic()) {
                    return Err(format!("country_code `{cell}` is not a 2-letter code"));
                }
                row.country_code = cell.to_ascii_uppercase();
            }
            Col::Admin1Code => row.admin1_code = cell.to_string(),
            Col::Admin2Code => row.admin2_code = cell.to_string(),
            Col::Population => {
                row.population = Some(
                    cell.parse()
                        .map_err(|_| format!("population `{cell}` is not a whole number"))?,
                )
            }
            Col::Capital => {
                row.capital = Some(
                    cell.parse()
                        .map_err(|_| format!("capital `{cell}` is not a geonameid"))?,
                )
            }
            Col::Neighbours => row.neighbours = split_list(cell),
            Col::Demonyms => row.demonyms = split_list(cell),
            Col::Iso3 => row.iso3 = cell.to_string(),
            Col::Ignored => {}
        }
    }
    if row.lat.is_some() != row.lon.is_some() {
        return Err("lat and lon must be given together".to_string());
    }
    if row.geonameid.is_none() && (row.name.is_empty() || row.lat.is_none()) {
        return Err("a row without geonameid needs name, lat and lon".to_string());
    }
    if row.name.is_empty()
        && row.asciiname.is_empty()
        && row.alternatenames.is_empty()
        && row.demonyms.is_empty()
        && row.lat.is_none()
    {
        return Err("row gives neither a name nor coordinates".to_string());
    }
    Ok(row)
}

fn parse_coord(cell: &str, what: &str, max: f64) -> Result<f64, String> {
    match cell.parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() <= max => Ok(v),
        Ok(_) => Err(format!("{what} `{cell}` is out of range")),
        Err(_) => Err(format!("{what} `{cell}` is not a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<PlaceRow>, Vec<String>) {
        let mut rows = Vec::new();
        let mut errs = Vec::new();
        read_places(
            text.as_bytes(),
            "t.tsv",
            |r| rows.push(r),
            |e| errs.push(e.to_string()),
        )
        .unwrap();
        (rows, errs)
    }

    #[test]
    fn parses_header_any_order_and_lists() {
        let (rows, errs) = read(
            "# comment\n\nname\tgeonameid\talternatenames\tlat\tlon\textra\n\
             Dārayyā\t170892\tDaraya|داريا| \t33.45835\t36.23256\tx\n",
        );
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!(r.line, 4);
        assert_eq!(r.geonameid, Some(170892));
        assert_eq!(r.alternatenames, vec!["Daraya", "داريا"]);
        assert_eq!(r.lat, Some(33.45835));
    }

    #[test]
    fn reports_bad_rows_and_continues() {
        let text = "geonameid\tname\tlat\tlon\tpopulation\tcountry_code\n\
                    x1\tA\t1\t2\t\t\n\
                    \tB\t1\t\t\t\n\
                    \tC\t95\t2\t\t\n\
                    \tD\t1\t2\tmany\t\n\
                    \tE\t1\t2\t\tSYR\n\
                    \tF\t1\t2\t\t\t\tz\n\
                    \tNoCoords\t\t\t\t\n\
                    7\tGood\t1.5\t-2.5\t10\tsy\n";
        let (rows, errs) = read(text);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].country_code, "SY");
        let want = [
            "t.tsv:2: geonameid `x1` is not a number",
            "t.tsv:3: lat and lon must be given together",
            "t.tsv:4: lat `95` is out of range",
            "t.tsv:5: population `many` is not a whole number",
            "t.tsv:6: country_code `SYR` is not a 2-letter code",
            "t.tsv:7: 8 fields but the header names 6 columns",
            "t.tsv:8: a row without geonameid needs name, lat and lon",
        ];
        assert_eq!(errs, want);
    }

    #[test]
    fn alias_row_needs_no_coordinates() {
        let (rows, errs) = read("geonameid\talternatenames\n170892\tDarayya al-Balad\n");
        assert!(errs.is_empty());
        assert_eq!(rows[0].lat, None);
    }

    #[test]
    fn missing_header_column() {
        let (rows, errs) = read("lat\tlon\n1\t2\n");
        assert!(rows.is_empty());
        assert_eq!(errs.len(), 1);
    }
}
