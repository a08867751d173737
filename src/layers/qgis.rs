//! QGIS styles and project.
//!
//! Every layer gets a `<layer>.qml` next to it (QGIS applies a same-named `.qml` as the default
//! style when the file is opened). The styles are plain QML files under `src/layers/styles/`, so
//! they can be reviewed and edited in QGIS itself. `eventmap.qgs` is a QGIS project (plain XML,
//! relative paths, no timestamps) with all layers, their styles embedded, a Natural Earth country
//! basemap at the bottom and the view fitted to the data, so opening it shows a finished map
//! without network access.

use std::fmt::Write;

use super::Format;
use super::schema::{Layer, Table};

/// The QML style of a layer.
pub fn qml(layer: Layer) -> &'static str {
    match layer {
        Layer::Events => include_str!("styles/events.qml"),
        Layer::Control => include_str!("styles/control.qml"),
        Layer::ControlChanges => include_str!("styles/control_changes.qml"),
        Layer::Places => include_str!("styles/places.qml"),
    }
}

/// The QML style of the basemap layer.
pub const BASEMAP_QML: &str = include_str!("styles/basemap.qml");

/// Path of the basemap copy inside a snapshot directory.
pub const BASEMAP_PATH: &str = "basemap/countries.geojson";

/// Natural Earth 1:50m country outlines (public domain), from `gazetteer/basemap/`.
pub const BASEMAP_GEOJSON: &[u8] = include_bytes!("../../gazetteer/basemap/countries-50m.geojson");

/// Background (sea) colour of the project canvas and of rendered maps.
pub const SEA_COLOR: (u8, u8, u8) = (0xdd, 0xe8, 0xf0);

/// The inner XML of a QML document (everything inside `<qgis ...>`), for embedding in a project.
fn qml_body(qml: &str) -> &str {
    let start = qml
        .find("<qgis")
        .and_then(|i| qml[i..].find('>').map(|j| i + j + 1))
        .unwrap_or(0);
    let end = qml.rfind("</qgis>").unwrap_or(qml.len());
    qml[start..end].trim_matches('\n')
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const WGS84_SRS: &str = r#"<spatialrefsys>
          <wkt></wkt>
          <proj4>+proj=longlat +datum=WGS84 +no_defs</proj4>
          <srsid>3452</srsid>
          <srid>4326</srid>
          <authid>EPSG:4326</authid>
          <description>WGS 84</description>
          <projectionacronym>longlat</projectionacronym>
          <ellipsoidacronym>EPSG:7030</ellipsoidacronym>
          <geographicflag>true</geographicflag>
        </spatialrefsys>"#;

/// A bounding box in degrees: min lon, min lat, max lon, max lat.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

impl BBox {
    /// The whole world.
    pub const WORLD: BBox = BBox {
        min_lon: -180.0,
        min_lat: -60.0,
        max_lon: 180.0,
        max_lat: 85.0,
    };

    /// Bounding box of points, padded by `pad` of its size (at least `min_span` degrees wide and
    /// high), clamped to the world; the world when there are no points.
    pub fn fit(points: impl IntoIterator<Item = (f64, f64)>, pad: f64, min_span: f64) -> BBox {
        let mut b: Option<BBox> = None;
        for (lon, lat) in points {
            let p = BBox {
                min_lon: lon,
                min_lat: lat,
                max_lon: lon,
                max_lat: lat,
            };
            b = Some(match b {
                None => p,
                Some(o) => BBox {
                    min_lon: o.min_lon.min(lon),
                    min_lat: o.min_lat.min(lat),
                    max_lon: o.max_lon.max(lon),
                    max_lat: o.max_lat.max(lat),
                },
            });
        }
        let Some(b) = b else { return BBox::WORLD };
        let w = (b.max_lon - b.min_lon).max(min_span);
        let h = (b.max_lat - b.min_lat).max(min_span);
        let (cx, cy) = ((b.min_lon + b.max_lon) / 2.0, (b.min_lat + b.max_lat) / 2.0);
        let (hw, hh) = (w * (0.5 + pad), h * (0.5 + pad));
        BBox {
            min_lon: (cx - hw).max(-180.0),
            min_lat: (cy - hh).max(-90.0),
            max_lon: (cx + hw).min(180.0),
            max_lat: (cy + hh).min(90.0),
        }
    }
}

/// The extent a project or map shows: all features of all layers, padded.
pub fn data_extent(tables: &[Table]) -> BBox {
    BBox::fit(
        tables
            .iter()
            .flat_map(|t| t.rows.iter().map(|r| (r.lon, r.lat))),
        0.15,
        1.0,
    )
}

fn datasource(layer: Layer, format: Format) -> String {
    match format {
        Format::Gpkg => format!("./eventmap.gpkg|layername={}", layer.name()),
        _ => format!("./{}.{}", layer.name(), format.extension()),
    }
}

struct ProjectLayer {
    id: String,
    name: String,
    source: String,
    geometry: &'static str,
    visible: bool,
    qml: &'static str,
}

/// The `eventmap.qgs` project for a snapshot written in `format`.
pub fn project(tables: &[Table], format: Format) -> Vec<u8> {
    let mut layers: Vec<ProjectLayer> = tables
        .iter()
        .map(|t| ProjectLayer {
            id: format!("eventmap_{}", t.layer.name()),
            name: t.layer.title().to_string(),
            source: datasource(t.layer, format),
            geometry: "Point",
            // The change history is for filtering and timelines; off by default.
            visible: t.layer != Layer::ControlChanges,
            qml: qml(t.layer),
        })
        .collect();
    layers.push(ProjectLayer {
        id: "eventmap_basemap".into(),
        name: "Countries (Natural Earth)".into(),
        source: format!("./{BASEMAP_PATH}"),
        geometry: "Polygon",
        visible: true,
        qml: BASEMAP_QML,
    });
    let e = data_extent(tables);
    let extent = format!(
        "<xmin>{:.6}</xmin><ymin>{:.6}</ymin><xmax>{:.6}</xmax><ymax>{:.6}</ymax>",
        e.min_lon, e.min_lat, e.max_lon, e.max_lat
    );
    let (sr, sg, sb) = SEA_COLOR;

    let mut x = String::new();
    x.push_str("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n");
    x.push_str("<qgis version=\"3.22.0\" projectname=\"eventmap\">\n");
    x.push_str("  <homePath path=\"\"/>\n  <title>eventmap</title>\n");
    let _ = writeln!(x, "  <projectCrs>\n    {WGS84_SRS}\n  </projectCrs>");
    x.push_str("  <layer-tree-group>\n");
    for l in &layers {
        let _ = writeln!(
            x,
            "    <layer-tree-layer id=\"{}\" name=\"{}\" source=\"{}\" providerKey=\"ogr\" checked=\"{}\" expanded=\"{}\"/>",
            l.id,
            xml_escape(&l.name),
            xml_escape(&l.source),
            if l.visible {
                "Qt::Checked"
            } else {
                "Qt::Unchecked"
            },
            if l.geometry == "Point" { 1 } else { 0 }
        );
    }
    x.push_str("  </layer-tree-group>\n");
    let _ = writeln!(
        x,
        "  <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\">\n    <units>degrees</units>\n    <extent>{extent}</extent>\n    <rotation>0</rotation>\n    <destinationsrs>\n      {WGS84_SRS}\n    </destinationsrs>\n    <rendermaptile>0</rendermaptile>\n  </mapcanvas>"
    );
    x.push_str("  <projectlayers>\n");
    for l in &layers {
        let _ = writeln!(
            x,
            "    <maplayer type=\"vector\" geometry=\"{g}\" wkbType=\"{g}\" labelsEnabled=\"{lab}\" hasScaleBasedVisibilityFlag=\"0\" minScale=\"100000000\" maxScale=\"0\">\n      <id>{id}</id>\n      <datasource>{src}</datasource>\n      <layername>{name}</layername>\n      <srs>\n        {WGS84_SRS}\n      </srs>\n      <provider encoding=\"UTF-8\">ogr</provider>\n{body}\n    </maplayer>",
            g = l.geometry,
            lab = if l.qml.contains("labelsEnabled=\"1\"") {
                1
            } else {
                0
            },
            id = l.id,
            src = xml_escape(&l.source),
            name = xml_escape(&l.name),
            body = qml_body(l.qml)
        );
    }
    x.push_str("  </projectlayers>\n  <layerorder>\n");
    for l in &layers {
        let _ = writeln!(x, "    <layer id=\"{}\"/>", l.id);
    }
    x.push_str("  </layerorder>\n");
    let _ = writeln!(
        x,
        "  <properties>\n    <Gui>\n      <CanvasColorRedPart type=\"int\">{sr}</CanvasColorRedPart>\n      <CanvasColorGreenPart type=\"int\">{sg}</CanvasColorGreenPart>\n      <CanvasColorBluePart type=\"int\">{sb}</CanvasColorBluePart>\n    </Gui>\n    <Paths>\n      <Absolute type=\"bool\">false</Absolute>\n    </Paths>\n  </properties>"
    );
    let _ = writeln!(
        x,
        "  <ProjectViewSettings UseProjectScales=\"0\" rotation=\"0\">\n    <Scales/>\n    <DefaultViewExtent xmin=\"{:.6}\" ymin=\"{:.6}\" xmax=\"{:.6}\" ymax=\"{:.6}\">\n      {WGS84_SRS}\n    </DefaultViewExtent>\n  </ProjectViewSettings>",
        e.min_lon, e.min_lat, e.max_lon, e.max_lat
    );
    x.push_str("</qgis>\n");
    x.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::palette;

    #[test]
    fn qml_templates_use_the_shared_palette() {
        let events = qml(Layer::Events);
        for s in palette::EVENT_STYLES {
            assert!(events.contains(&format!("value=\"{}\"", s.event_type)));
            assert!(events.contains(&format!("<prop k=\"color\" v=\"{}\"/>", s.color)));
            assert!(events.contains(&format!("<prop k=\"name\" v=\"{}\"/>", s.shape)));
        }
        for layer in [Layer::Control, Layer::ControlChanges] {
            let q = qml(layer);
            for s in palette::SIDES {
                assert!(q.contains(&format!("value=\"{}\"", s.key)), "{}", s.key);
                assert!(q.contains(&format!("v=\"{}\"", s.color)), "{}", s.color);
            }
            for (status, _) in palette::STATUSES {
                if status != "controlled" {
                    assert!(q.contains(&format!("'{status}'")), "{status}");
                }
            }
        }
        assert!(qml(Layer::Places).contains(palette::PLACE_COLOR));
    }

    #[test]
    fn qml_body_strips_the_wrapper() {
        let body = qml_body(qml(Layer::Places));
        assert!(body.trim_start().starts_with("<!--"));
        assert!(!body.contains("<qgis") && !body.contains("</qgis>"));
    }

    #[test]
    fn fit_pads_and_handles_single_points() {
        let b = BBox::fit([(36.0, 33.0)], 0.15, 1.0);
        assert!((b.max_lon - b.min_lon - 1.3).abs() < 1e-9);
        assert_eq!(BBox::fit(std::iter::empty(), 0.1, 1.0), BBox::WORLD);
    }
}
