//! Static maps of a snapshot (SVG written by hand; PNG rasterized with `resvg`): country outlines
//! from the snapshot's basemap copy, control symbols, events coloured by type (the palette of the
//! QGIS styles), labelled places, a legend, a title and the attribution. The view is fitted to
//! the data with padding unless a bounding box is given. Projection: Web Mercator.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use super::LayersError;
use super::palette::{self, EVENT_STYLES, SIDES};
use super::qgis::{self, BBox};
use super::read;
use super::schema::{Layer, Row};

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderOptions {
    /// Area to show; fitted to the data when `None`.
    pub bbox: Option<BBox>,
    /// Image width in pixels.
    pub width: u32,
    /// Title; a summary of the snapshot when `None`.
    pub title: Option<String>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            bbox: None,
            width: 1200,
            title: None,
        }
    }
}

/// Attribution printed on every map.
pub const ATTRIBUTION: &str = "© GeoNames CC BY 4.0, Natural Earth";
const FONT: &str = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";
const TITLE_H: f64 = 46.0;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn merc(lat: f64) -> f64 {
    let lat = lat.clamp(-85.0, 85.0).to_radians();
    (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln()
}

fn inv_merc(y: f64) -> f64 {
    (2.0 * y.exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees()
}

/// Maps lon/lat to pixels in the map area.
struct View {
    bbox: BBox,
    x0: f64,
    y_top: f64,
    scale: f64,
    height: f64,
}

impl View {
    /// A view of `bbox` `width` pixels wide; the box is widened so the map is neither a sliver
    /// nor a tower.
    fn new(mut bbox: BBox, width: f64) -> View {
        let lon_span = (bbox.max_lon - bbox.min_lon).max(0.01).to_radians();
        let mut scale = width / lon_span;
        let (mut y0, mut y1) = (merc(bbox.min_lat), merc(bbox.max_lat));
        let mut height = (y1 - y0) * scale;
        let (min_h, max_h) = (width * 0.5, width * 1.1);
        if height < min_h {
            let c = (y0 + y1) / 2.0;
            let half = min_h / scale / 2.0;
            y0 = c - half;
            y1 = c + half;
            bbox.min_lat = inv_merc(y0);
            bbox.max_lat = inv_merc(y1);
            height = min_h;
        } else if height > max_h {
            let span = (y1 - y0) * width / max_h;
            let c = (bbox.min_lon + bbox.max_lon) / 2.0;
            bbox.min_lon = c - span.to_degrees() / 2.0;
            bbox.max_lon = c + span.to_degrees() / 2.0;
            scale = width / span;
            height = (y1 - y0) * scale;
        }
        View {
            bbox,
            x0: bbox.min_lon.to_radians(),
            y_top: y1,
            scale,
            height,
        }
    }

    fn px(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon.to_radians() - self.x0) * self.scale,
            TITLE_H + (self.y_top - merc(lat)) * self.scale,
        )
    }

    fn contains(&self, lon: f64, lat: f64) -> bool {
        lon >= self.bbox.min_lon
            && lon <= self.bbox.max_lon
            && lat >= self.bbox.min_lat
            && lat <= self.bbox.max_lat
    }
}

/// SVG element of an event marker shape.
fn shape(shape: &str, cx: f64, cy: f64, r: f64, fill: &str) -> String {
    let style = format!("fill=\"{fill}\" stroke=\"#ffffff\" stroke-width=\"1.2\"");
    let poly = |pts: Vec<(f64, f64)>| {
        let p: Vec<String> = pts
            .iter()
            .map(|(x, y)| format!("{:.1},{:.1}", cx + x, cy + y))
            .collect();
        format!("<polygon points=\"{}\" {style}/>", p.join(" "))
    };
    let regular = |n: usize, rr: f64, rot: f64| -> Vec<(f64, f64)> {
        (0..n)
            .map(|i| {
                let a = rot + i as f64 * std::f64::consts::TAU / n as f64;
                (rr * a.cos(), rr * a.sin())
            })
            .collect()
    };
    let up = -std::f64::consts::FRAC_PI_2;
    match shape {
        "star" => {
            let outer = regular(5, r * 1.35, up);
            let inner = regular(5, r * 0.55, up + std::f64::consts::PI / 5.0);
            poly(
                outer
                    .into_iter()
                    .zip(inner)
                    .flat_map(|(a, b)| [a, b])
                    .collect(),
            )
        }
        "triangle" => poly(regular(3, r * 1.25, up)),
        "diamond" => poly(regular(4, r * 1.2, up)),
        "square" => poly(regular(4, r * 1.2, std::f64::consts::FRAC_PI_4)),
        "pentagon" => poly(regular(5, r * 1.1, up)),
        _ => format!("<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{r:.1}\" {style}/>"),
    }
}

/// SVG of a control symbol: side colour, status mark.
fn control_symbol(side_color: &str, status: &str, cx: f64, cy: f64, r: f64) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{r:.1}\" fill=\"#ffffff\" stroke=\"{side_color}\" stroke-width=\"1.5\"/>"
    );
    if status == "contested" {
        let _ = write!(
            s,
            "<path d=\"M{:.1},{cy:.1} A{r:.1},{r:.1} 0 0 1 {:.1},{cy:.1} Z\" fill=\"{side_color}\"/>",
            cx - r,
            cx + r
        );
    } else {
        let _ = write!(
            s,
            "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{r:.1}\" fill=\"{side_color}\" stroke=\"#232323\" stroke-width=\"0.8\"/>"
        );
    }
    if status == "besieged" {
        let _ = write!(
            s,
            "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{:.1}\" fill=\"none\" stroke=\"{side_color}\" stroke-width=\"2.2\"/>",
            r * 1.75
        );
    }
    if status == "siege_lifted" {
        let d = r * 1.1;
        let _ = write!(
            s,
            "<path d=\"M{:.1},{:.1} L{:.1},{:.1} M{:.1},{:.1} L{:.1},{:.1}\" stroke=\"#141414\" stroke-width=\"2\"/>",
            cx - d,
            cy - d,
            cx + d,
            cy + d,
            cx - d,
            cy + d,
            cx + d,
            cy - d
        );
    }
    s
}

/// Country outlines inside the view as one SVG path.
fn basemap_path(geojson: &[u8], view: &View) -> String {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(geojson) else {
        return String::new();
    };
    let margin = 2.0;
    let mut d = String::new();
    let features = v
        .get("features")
        .and_then(|f| f.as_array())
        .cloned()
        .unwrap_or_default();
    let mut ring = |coords: &serde_json::Value| {
        let Some(pts) = coords.as_array() else { return };
        let pts: Vec<(f64, f64)> = pts
            .iter()
            .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
            .collect();
        let inside = pts
            .iter()
            .fold((f64::MAX, f64::MIN, f64::MAX, f64::MIN), |a, p| {
                (a.0.min(p.0), a.1.max(p.0), a.2.min(p.1), a.3.max(p.1))
            });
        if inside.1 < view.bbox.min_lon - margin
            || inside.0 > view.bbox.max_lon + margin
            || inside.3 < view.bbox.min_lat - margin
            || inside.2 > view.bbox.max_lat + margin
        {
            return;
        }
        // A ring that crosses the antimeridian jumps from +180 to -180. Start it right after a
        // jump and begin a new sub-path at every jump: each piece then ends on the antimeridian,
        // and its implicit fill closure runs along it instead of across the map.
        let mut pts = pts;
        if pts.len() > 1 && pts.first() == pts.last() {
            pts.pop();
        }
        let jumps = |a: &(f64, f64), b: &(f64, f64)| (a.0 - b.0).abs() > 180.0;
        let n = pts.len();
        let crosses = (0..n).find(|&i| jumps(&pts[i], &pts[(i + 1) % n]));
        if let Some(i) = crosses {
            pts.rotate_left((i + 1) % n);
        }
        let mut last = (f64::NAN, f64::NAN);
        let mut prev: Option<(f64, f64)> = None;
        let mut started = false;
        for (lon, lat) in pts {
            let new_piece = prev.is_some_and(|p| jumps(&p, &(lon, lat)));
            prev = Some((lon, lat));
            let (x, y) = view.px(lon, lat);
            let q = ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0);
            if q == last && !new_piece {
                continue;
            }
            let cmd = if !started || new_piece { "M" } else { "L" };
            let _ = write!(d, "{cmd}{:.1},{:.1}", q.0, q.1);
            started = true;
            last = q;
        }
        if started && crosses.is_none() {
            d.push('Z');
        }
    };
    for f in &features {
        let Some(g) = f.get("geometry") else { continue };
        let coords = g.get("coordinates");
        match (g.get("type").and_then(|t| t.as_str()), coords) {
            (Some("Polygon"), Some(c)) => c.as_array().into_iter().flatten().for_each(&mut ring),
            (Some("MultiPolygon"), Some(c)) => c
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p.as_array())
                .flatten()
                .for_each(&mut ring),
            _ => {}
        }
    }
    d
}

fn rows(snap: &[(Layer, Vec<Row>)], l: Layer) -> &[Row] {
    snap.iter()
        .find(|(x, _)| *x == l)
        .map(|(_, r)| r.as_slice())
        .unwrap_or(&[])
}

/// Axis-aligned box for label collision tests.
type Rect = (f64, f64, f64, f64);

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Renders the snapshot in `dir` to SVG text.
pub fn render_svg(dir: &Path, opts: &RenderOptions) -> Result<String, LayersError> {
    let snap = read::read_snapshot(dir)?;
    let basemap = std::fs::read(dir.join(qgis::BASEMAP_PATH))
        .unwrap_or_else(|_| qgis::BASEMAP_GEOJSON.to_vec());
    Ok(svg(&snap, &basemap, opts))
}

/// Renders layers to SVG text.
pub fn svg(snap: &[(Layer, Vec<Row>)], basemap: &[u8], opts: &RenderOptions) -> String {
    let events = rows(snap, Layer::Events);
    let control = rows(snap, Layer::Control);
    let places = rows(snap, Layer::Places);
    let bbox = opts.bbox.unwrap_or_else(|| {
        BBox::fit(
            events
                .iter()
                .chain(control)
                .chain(places)
                .map(|r| (r.lon, r.lat)),
            0.12,
            1.5,
        )
    });
    let width = f64::from(opts.width.clamp(200, 8000));
    let view = View::new(bbox, width);
    let total_h = (TITLE_H + view.height).round();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT}\">",
        w = width,
        h = total_h
    );
    let (sr, sg, sb) = qgis::SEA_COLOR;
    let _ = writeln!(
        s,
        "<defs><clipPath id=\"map\"><rect x=\"0\" y=\"{TITLE_H}\" width=\"{width}\" height=\"{:.1}\"/></clipPath></defs>",
        view.height
    );
    let _ = writeln!(
        s,
        "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n<rect x=\"0\" y=\"{TITLE_H}\" width=\"{width}\" height=\"{:.1}\" fill=\"rgb({sr},{sg},{sb})\"/>",
        view.height
    );
    let _ = writeln!(
        s,
        "<g clip-path=\"url(#map)\">\n<path d=\"{}\" fill=\"#f4f1ea\" stroke=\"#a8a39a\" stroke-width=\"0.7\" stroke-linejoin=\"round\" fill-rule=\"evenodd\"/>",
        basemap_path(basemap, &view)
    );

    // Place dots.
    for p in places.iter().filter(|p| view.contains(p.lon, p.lat)) {
        let (x, y) = view.px(p.lon, p.lat);
        let _ = writeln!(
            s,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"2.6\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"0.8\"/>",
            palette::PLACE_COLOR
        );
    }
    // Control symbols.
    let mut statuses_seen = BTreeMap::new();
    let mut sides_seen = BTreeMap::new();
    for c in control.iter().filter(|c| view.contains(c.lon, c.lat)) {
        let (x, y) = view.px(c.lon, c.lat);
        let side = palette::side_by_key(&c.text("side").unwrap_or_default());
        let status = c.text("status").unwrap_or_default();
        sides_seen.insert(side.key, ());
        statuses_seen.insert(status.clone(), ());
        let _ = writeln!(s, "{}", control_symbol(side.color, &status, x, y, 7.0));
    }
    // Events, spread around their point when several share it.
    let control_px: Vec<(f64, f64)> = control
        .iter()
        .filter(|c| view.contains(c.lon, c.lat))
        .map(|c| view.px(c.lon, c.lat))
        .collect();
    let near_control = |x: f64, y: f64| {
        control_px
            .iter()
            .position(|(cx, cy)| (cx - x).hypot(cy - y) < 14.0)
    };
    // Events are grouped by the control symbol they sit on, else by a 6-pixel grid cell; a group
    // is set in a ring around its centre so no marker hides another.
    let mut groups: BTreeMap<(i64, i64, i64), Vec<&Row>> = BTreeMap::new();
    for e in events.iter().filter(|e| view.contains(e.lon, e.lat)) {
        let (x, y) = view.px(e.lon, e.lat);
        let key = match near_control(x, y) {
            Some(i) => (0, i as i64, 0),
            None => (1, (x / 6.0).round() as i64, (y / 6.0).round() as i64),
        };
        groups.entry(key).or_default().push(e);
    }
    let mut types_seen = BTreeMap::new();
    // Symbols are obstacles for labels and the legend.
    let mut symbols: Vec<Rect> = control_px
        .iter()
        .map(|(x, y)| (x - 13.0, y - 13.0, x + 13.0, y + 13.0))
        .collect();
    for (key, group) in &groups {
        let n = group.len();
        let (centre, ring) = if key.0 == 0 {
            (Some(control_px[key.1 as usize]), 17.0 + n as f64)
        } else if n > 1 {
            (None, 9.0 + n as f64)
        } else {
            (None, 0.0)
        };
        for (k, e) in group.iter().enumerate() {
            let (mut x, mut y) = centre.unwrap_or_else(|| view.px(e.lon, e.lat));
            if ring > 0.0 {
                let a = -std::f64::consts::FRAC_PI_2 + k as f64 * std::f64::consts::TAU / n as f64;
                x += ring * a.cos();
                y += ring * a.sin();
            }
            symbols.push((x - 6.0, y - 6.0, x + 6.0, y + 6.0));
            let style = palette::event_style(&e.text("event_type").unwrap_or_default());
            types_seen.insert(style.event_type, ());
            let _ = writeln!(s, "{}", shape(style.shape, x, y, 5.5, style.color));
        }
    }
    // Labels: control places first (bold), then places by mentions; skip those that collide.
    // Control labels matter most: only control symbols block them; event markers and place
    // labels then fit around them.
    let n_control = control_px.len();
    let mut taken: Vec<Rect> = symbols[..n_control].to_vec();
    let mut labels = String::new();
    let mut label = |taken: &mut Vec<Rect>,
                     text: &str,
                     x: f64,
                     y: f64,
                     size: f64,
                     bold: bool,
                     off: f64| {
        let w = text.chars().count() as f64 * size * if bold { 0.64 } else { 0.58 };
        let candidates = [
            (x + off, y, "start"),
            (x - off, y, "end"),
            (x, y - off - size * 0.4, "middle"),
            (x, y + off + size * 0.9, "middle"),
        ];
        for (lx, y, anchor) in candidates {
            let rect = match anchor {
                "start" => (lx, y - size * 0.8, lx + w, y + size * 0.35),
                "end" => (lx - w, y - size * 0.8, lx, y + size * 0.35),
                _ => (lx - w / 2.0, y - size * 0.8, lx + w / 2.0, y + size * 0.35),
            };
            if rect.0 < 2.0 || rect.2 > width - 2.0 || rect.1 < TITLE_H + 2.0 {
                continue;
            }
            if taken.iter().any(|t| overlaps(t, &rect)) {
                continue;
            }
            taken.push(rect);
            let _ = writeln!(
                labels,
                "<text x=\"{lx:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" font-size=\"{size}\"{} fill=\"#1e1e1e\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">{}</text>",
                y + size * 0.35,
                if bold { " font-weight=\"bold\"" } else { "" },
                esc(text)
            );
            return;
        }
    };
    for c in control.iter().filter(|c| view.contains(c.lon, c.lat)) {
        let (x, y) = view.px(c.lon, c.lat);
        let status = c.text("status").unwrap_or_default();
        let text = match status.as_str() {
            "controlled" | "" => c.text("place").unwrap_or_default(),
            other => format!(
                "{} ({})",
                c.text("place").unwrap_or_default(),
                other.replace('_', " ")
            ),
        };
        label(&mut taken, &text, x, y, 13.0, true, 15.0);
    }
    taken.extend_from_slice(&symbols[n_control..]);
    let mut by_mentions: Vec<&Row> = places
        .iter()
        .filter(|p| view.contains(p.lon, p.lat))
        .collect();
    by_mentions.sort_by_key(|p| {
        std::cmp::Reverse(match p.get("mentions") {
            Some(super::Value::Int(i)) => *i,
            _ => 0,
        })
    });
    for p in by_mentions {
        let (x, y) = view.px(p.lon, p.lat);
        if near_control(x, y).is_some() {
            continue; // the control label names it already
        }
        label(
            &mut taken,
            &p.text("name").unwrap_or_default(),
            x,
            y,
            12.0,
            false,
            6.0,
        );
    }
    s.push_str(&labels);
    s.push_str("</g>\n");

    // Legend (bottom left of the map).
    let mut items: Vec<String> = Vec::new();
    let mut lines = 0.0;
    let lh = 19.0;
    let (lx, mut ly) = (22.0, 0.0);
    let push_heading = |items: &mut Vec<String>, t: &str, ly: &mut f64| {
        items.push(format!(
            "<text x=\"{lx}\" y=\"{:.1}\" font-size=\"12\" font-weight=\"bold\" fill=\"#1e1e1e\">{}</text>",
            *ly + 4.0,
            esc(t)
        ));
        *ly += lh;
    };
    if !types_seen.is_empty() {
        push_heading(&mut items, "Events", &mut ly);
        for st in EVENT_STYLES
            .iter()
            .chain(std::iter::once(&palette::OTHER_EVENT))
        {
            if types_seen.contains_key(st.event_type) {
                items.push(shape(st.shape, lx + 7.0, ly, 5.0, st.color));
                items.push(format!(
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#1e1e1e\">{}</text>",
                    lx + 20.0,
                    ly + 4.0,
                    esc(st.event_type)
                ));
                ly += lh;
            }
        }
    }
    if !sides_seen.is_empty() {
        push_heading(&mut items, "Control", &mut ly);
        for side in SIDES.iter().filter(|sd| sides_seen.contains_key(sd.key)) {
            items.push(control_symbol(side.color, "controlled", lx + 7.0, ly, 5.5));
            items.push(format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#1e1e1e\">{}</text>",
                lx + 20.0,
                ly + 4.0,
                esc(side.label)
            ));
            ly += lh;
        }
        for (status, how) in palette::STATUSES
            .iter()
            .filter(|(st, _)| *st != "controlled" && statuses_seen.contains_key(*st))
        {
            items.push(control_symbol("#969696", status, lx + 7.0, ly, 4.5));
            items.push(format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#1e1e1e\">{} ({})</text>",
                lx + 20.0,
                ly + 4.0,
                esc(&status.replace('_', " ")),
                esc(how)
            ));
            ly += lh;
        }
    }
    if !places.is_empty() {
        items.push(format!(
            "<circle cx=\"{:.1}\" cy=\"{ly:.1}\" r=\"2.6\" fill=\"{}\"/>",
            lx + 7.0,
            palette::PLACE_COLOR
        ));
        items.push(format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#1e1e1e\">Place mentioned</text>",
            lx + 20.0,
            ly + 4.0
        ));
        ly += lh;
    }
    lines += ly;
    if !items.is_empty() {
        let box_h = lines + 8.0;
        let (box_w, margin) = (270.0, 10.0);
        // The corner hiding the fewest symbols and labels (bottom left on ties).
        let bottom = TITLE_H + view.height - box_h - 22.0;
        let right = width - box_w - margin * 2.0;
        let corners = [
            (0.0, bottom),
            (right, bottom),
            (0.0, TITLE_H + 2.0),
            (right, TITLE_H + 2.0),
        ];
        let (left, top) = corners
            .into_iter()
            .min_by_key(|(x, y)| {
                let r = (x + margin, *y, x + margin + box_w, y + box_h);
                taken.iter().filter(|t| overlaps(t, &r)).count()
            })
            .unwrap_or((0.0, bottom));
        let _ = writeln!(
            s,
            "<g transform=\"translate({left:.1},{:.1})\"><rect x=\"10\" y=\"0\" width=\"270\" height=\"{box_h:.1}\" rx=\"4\" fill=\"#ffffff\" fill-opacity=\"0.88\" stroke=\"#8c8c8c\" stroke-width=\"0.8\"/><g transform=\"translate(0,{:.1})\">{}</g></g>",
            top,
            lh * 0.6,
            items.join("")
        );
    }

    // Title and attribution.
    let title = opts.title.clone().unwrap_or_else(|| default_title(snap));
    let title_size = (width - 28.0) / (title.chars().count().max(1) as f64 * 0.66);
    let _ = writeln!(
        s,
        "<text x=\"14\" y=\"30\" font-size=\"{:.1}\" font-weight=\"bold\" fill=\"#1e1e1e\">{}</text>",
        title_size.clamp(9.0, 20.0),
        esc(&title)
    );
    let _ = writeln!(
        s,
        "<line x1=\"0\" y1=\"{TITLE_H}\" x2=\"{width}\" y2=\"{TITLE_H}\" stroke=\"#8c8c8c\" stroke-width=\"1\"/>"
    );
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\" fill=\"#3c3c3c\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
        width - 8.0,
        total_h - 8.0,
        esc(ATTRIBUTION)
    );
    s.push_str("</svg>\n");
    s
}

/// "eventmap: 12 events, 3 places with control, 2016-08-24 – 2016-08-26".
fn default_title(snap: &[(Layer, Vec<Row>)]) -> String {
    let events = rows(snap, Layer::Events);
    let control = rows(snap, Layer::Control);
    let dates: Vec<String> = events
        .iter()
        .filter_map(|e| e.text("date"))
        .chain(control.iter().filter_map(|c| c.text("since")))
        .collect();
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let mut t = format!(
        "eventmap: {}, {} with known control",
        plural(events.len(), "event"),
        plural(control.len(), "place")
    );
    if let (Some(a), Some(b)) = (dates.iter().min(), dates.iter().max()) {
        if a == b {
            let _ = write!(t, ", {a}");
        } else {
            let _ = write!(t, ", {a} – {b}");
        }
    }
    t
}

/// Rasterizes SVG text to PNG bytes, with the system's fonts. Returns the PNG and whether any
/// font was found (without fonts the text is left out).
pub fn svg_to_png(svg: &str) -> Result<(Vec<u8>, bool), LayersError> {
    let mut opt = resvg::usvg::Options::default();
    opt.fontdb_mut().load_system_fonts();
    let has_fonts = !opt.fontdb.is_empty();
    if opt
        .fontdb
        .faces()
        .any(|f| f.families.iter().any(|(n, _)| n == "DejaVu Sans"))
    {
        opt.fontdb_mut().set_sans_serif_family("DejaVu Sans");
    }
    let tree =
        resvg::usvg::Tree::from_str(svg, &opt).map_err(|e| LayersError::Render(e.to_string()))?;
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| LayersError::Render("image size is zero".into()))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    let png = pixmap
        .encode_png()
        .map_err(|e| LayersError::Render(e.to_string()))?;
    Ok((png, has_fonts))
}

/// Parses `minlon,minlat,maxlon,maxlat`.
pub fn parse_bbox(s: &str) -> Option<BBox> {
    let v: Vec<f64> = s
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .ok()?;
    let [min_lon, min_lat, max_lon, max_lat] = v[..] else {
        return None;
    };
    let ok = min_lon < max_lon
        && min_lat < max_lat
        && (-180.0..=180.0).contains(&min_lon)
        && (-180.0..=180.0).contains(&max_lon)
        && (-90.0..=90.0).contains(&min_lat)
        && (-90.0..=90.0).contains(&max_lat);
    ok.then_some(BBox {
        min_lon,
        min_lat,
        max_lon,
        max_lat,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bbox_parsing() {
        assert_eq!(
            parse_bbox("35,32,38.5,37"),
            Some(BBox {
                min_lon: 35.0,
                min_lat: 32.0,
                max_lon: 38.5,
                max_lat: 37.0
            })
        );
        for bad in ["1,2,3", "a,b,c,d", "10,0,5,1", "0,0,1,100"] {
            assert_eq!(parse_bbox(bad), None, "{bad}");
        }
    }

    #[test]
    fn mercator_round_trips() {
        for lat in [-60.0, 0.0, 33.5, 80.0] {
            assert!((inv_merc(merc(lat)) - lat).abs() < 1e-9);
        }
    }
}
