//! What changed between two snapshots, in the terms a reviewer wants: new and removed events,
//! control changes (place, from → to), new control statements, places added, removed or moved.
//!
//! Features are matched by their `id` property (ids are derived from content, so an event whose
//! defining fields changed shows up as one removed and one new event).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use super::schema::{Layer, Row};

/// One event, as a reviewer reads it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventSummary {
    pub id: String,
    pub event_type: String,
    pub sub_event_type: String,
    pub location: String,
    pub country_code: String,
    pub date: Option<String>,
    pub status: String,
    pub fatalities: Option<i64>,
}

/// A change of the control state of one place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlDiff {
    pub id: String,
    pub place: String,
    /// `new`, `removed` or `changed`.
    pub change: &'static str,
    pub from_controller: Option<String>,
    pub to_controller: Option<String>,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub since: Option<String>,
}

/// One control statement added to or removed from the history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlChangeSummary {
    pub id: String,
    pub place: String,
    pub date: Option<String>,
    pub status: String,
    pub previous_controller: Option<String>,
    pub controller: Option<String>,
}

/// A place added, removed or moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceDiff {
    pub id: String,
    pub name: String,
    pub country_code: String,
    /// `added`, `removed` or `moved`.
    pub change: &'static str,
    /// Distance moved in km (for `moved`).
    pub moved_km: Option<f64>,
}

/// Everything that differs between two snapshots.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SnapshotDiff {
    pub events_added: Vec<EventSummary>,
    pub events_removed: Vec<EventSummary>,
    /// Same id, other details (fatalities, sources, notes, …).
    pub events_changed: Vec<EventSummary>,
    pub control: Vec<ControlDiff>,
    pub control_changes_added: Vec<ControlChangeSummary>,
    pub control_changes_removed: Vec<ControlChangeSummary>,
    pub places: Vec<PlaceDiff>,
}

/// Places moving less than this are not reported (coordinate rounding).
const MOVE_THRESHOLD_KM: f64 = 0.05;

fn by_id(rows: &[Row]) -> BTreeMap<&str, &Row> {
    rows.iter().map(|r| (r.id.as_str(), r)).collect()
}

fn s(r: &Row, k: &str) -> String {
    r.text(k).unwrap_or_default()
}

fn event(r: &Row) -> EventSummary {
    EventSummary {
        id: r.id.clone(),
        event_type: s(r, "event_type"),
        sub_event_type: s(r, "sub_event_type"),
        location: s(r, "location"),
        country_code: s(r, "country_code"),
        date: r.text("date"),
        status: s(r, "status"),
        fatalities: match r.get("fatalities") {
            Some(super::Value::Int(i)) => Some(*i),
            _ => None,
        },
    }
}

fn change(r: &Row) -> ControlChangeSummary {
    ControlChangeSummary {
        id: r.id.clone(),
        place: s(r, "place"),
        date: r.text("date"),
        status: s(r, "status"),
        previous_controller: r.text("previous_controller"),
        controller: r.text("controller"),
    }
}

/// Same properties and position, ignoring display-only properties and treating an empty text
/// like null (CSV cannot tell them apart), so snapshots in different formats compare equal.
fn same_content(a: &Row, b: &Row) -> bool {
    let norm = |r: &Row| -> Vec<(String, super::Value)> {
        let mut v: Vec<(String, super::Value)> = r
            .props
            .iter()
            .filter(|(k, _)| !super::schema::SIMPLESTYLE.contains(&k.as_str()))
            .map(|(k, v)| {
                let v = match v {
                    super::Value::Text(t) if t.is_empty() => super::Value::Null,
                    other => other.clone(),
                };
                (k.clone(), v)
            })
            .collect();
        v.sort_by(|x, y| x.0.cmp(&y.0));
        v
    };
    norm(a) == norm(b) && haversine_km(a.lon, a.lat, b.lon, b.lat) < 1e-4
}

/// Great-circle distance in km.
pub fn haversine_km(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().min(1.0).asin()
}

fn layer(snap: &[(Layer, Vec<Row>)], l: Layer) -> &[Row] {
    snap.iter()
        .find(|(x, _)| *x == l)
        .map(|(_, r)| r.as_slice())
        .unwrap_or(&[])
}

/// Compares two snapshots read with [`super::read::read_snapshot`].
pub fn diff(old: &[(Layer, Vec<Row>)], new: &[(Layer, Vec<Row>)]) -> SnapshotDiff {
    let mut d = SnapshotDiff::default();

    let (o, n) = (
        by_id(layer(old, Layer::Events)),
        by_id(layer(new, Layer::Events)),
    );
    for (id, r) in &n {
        match o.get(id) {
            None => d.events_added.push(event(r)),
            Some(old_r) if !same_content(old_r, r) => d.events_changed.push(event(r)),
            Some(_) => {}
        }
    }
    for (id, r) in &o {
        if !n.contains_key(id) {
            d.events_removed.push(event(r));
        }
    }

    // Control is one feature per place: match on the place's geonameid (else its name), so a
    // new controller of the same place is a change, not a removal plus an addition.
    let key = |r: &Row| r.text("geonameid").unwrap_or_else(|| s(r, "place"));
    let o: BTreeMap<String, &Row> = layer(old, Layer::Control)
        .iter()
        .map(|r| (key(r), r))
        .collect();
    let n: BTreeMap<String, &Row> = layer(new, Layer::Control)
        .iter()
        .map(|r| (key(r), r))
        .collect();
    for (k, r) in &n {
        let old_r = o.get(k);
        let differs = old_r.is_none_or(|o| {
            o.text("controller") != r.text("controller")
                || o.text("status") != r.text("status")
                || o.text("since") != r.text("since")
        });
        if differs {
            d.control.push(ControlDiff {
                id: r.id.clone(),
                place: s(r, "place"),
                change: if old_r.is_some() { "changed" } else { "new" },
                from_controller: old_r.and_then(|o| o.text("controller")),
                to_controller: r.text("controller"),
                from_status: old_r.and_then(|o| o.text("status")),
                to_status: r.text("status"),
                since: r.text("since"),
            });
        }
    }
    for (k, r) in &o {
        if !n.contains_key(k) {
            d.control.push(ControlDiff {
                id: r.id.clone(),
                place: s(r, "place"),
                change: "removed",
                from_controller: r.text("controller"),
                to_controller: None,
                from_status: r.text("status"),
                to_status: None,
                since: None,
            });
        }
    }

    let (o, n) = (
        by_id(layer(old, Layer::ControlChanges)),
        by_id(layer(new, Layer::ControlChanges)),
    );
    d.control_changes_added = n
        .iter()
        .filter(|(id, _)| !o.contains_key(*id))
        .map(|(_, r)| change(r))
        .collect();
    d.control_changes_removed = o
        .iter()
        .filter(|(id, _)| !n.contains_key(*id))
        .map(|(_, r)| change(r))
        .collect();
    let by_date = |a: &ControlChangeSummary, b: &ControlChangeSummary| {
        (&a.date, &a.place, &a.id).cmp(&(&b.date, &b.place, &b.id))
    };
    d.control_changes_added.sort_by(by_date);
    d.control_changes_removed.sort_by(by_date);

    let (o, n) = (
        by_id(layer(old, Layer::Places)),
        by_id(layer(new, Layer::Places)),
    );
    let place = |r: &Row, change, moved_km| PlaceDiff {
        id: r.id.clone(),
        name: s(r, "name"),
        country_code: s(r, "country_code"),
        change,
        moved_km,
    };
    for (id, r) in &n {
        match o.get(id) {
            None => d.places.push(place(r, "added", None)),
            Some(old_r) => {
                let km = haversine_km(old_r.lon, old_r.lat, r.lon, r.lat);
                if km >= MOVE_THRESHOLD_KM {
                    d.places
                        .push(place(r, "moved", Some((km * 10.0).round() / 10.0)));
                }
            }
        }
    }
    for (id, r) in &o {
        if !n.contains_key(id) {
            d.places.push(place(r, "removed", None));
        }
    }
    let by_date = |a: &EventSummary, b: &EventSummary| {
        (&a.date, &a.location, &a.id).cmp(&(&b.date, &b.location, &b.id))
    };
    d.events_added.sort_by(by_date);
    d.events_removed.sort_by(by_date);
    d.events_changed.sort_by(by_date);
    d
}

impl SnapshotDiff {
    /// True when nothing differs.
    pub fn is_empty(&self) -> bool {
        self.events_added.is_empty()
            && self.events_removed.is_empty()
            && self.events_changed.is_empty()
            && self.control.is_empty()
            && self.control_changes_added.is_empty()
            && self.control_changes_removed.is_empty()
            && self.places.is_empty()
    }

    /// The human-readable report.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if self.is_empty() {
            out.push_str("No differences.\n");
            return out;
        }
        let ev = |e: &EventSummary| {
            let mut s = format!(
                "{}  {} / {} at {}{}",
                e.date.as_deref().unwrap_or("undated   "),
                e.event_type,
                e.sub_event_type,
                e.location,
                if e.country_code.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", e.country_code)
                }
            );
            if e.status != "occurred" && !e.status.is_empty() {
                let _ = write!(s, ", {}", e.status);
            }
            if let Some(f) = e.fatalities {
                let _ = write!(s, ", {f} killed");
            }
            s
        };
        let n_ev = self.events_added.len() + self.events_removed.len() + self.events_changed.len();
        if n_ev > 0 {
            let _ = writeln!(
                out,
                "Events: {} new, {} removed, {} changed",
                self.events_added.len(),
                self.events_removed.len(),
                self.events_changed.len()
            );
            for e in &self.events_added {
                let _ = writeln!(out, "  + {}", ev(e));
            }
            for e in &self.events_removed {
                let _ = writeln!(out, "  - {}", ev(e));
            }
            for e in &self.events_changed {
                let _ = writeln!(out, "  ~ {}", ev(e));
            }
        }
        let who = |c: &Option<String>| c.clone().unwrap_or_else(|| "nobody known".into());
        let st = |c: &Option<String>| c.clone().unwrap_or_default().replace('_', " ");
        if !self.control.is_empty() {
            let _ = writeln!(out, "Control: {} places", self.control.len());
            for c in &self.control {
                let since = c
                    .since
                    .as_ref()
                    .map(|s| format!(" since {s}"))
                    .unwrap_or_default();
                let line = match c.change {
                    "new" => format!(
                        "  + {}: {} ({}){since}",
                        c.place,
                        who(&c.to_controller),
                        st(&c.to_status)
                    ),
                    "removed" => format!(
                        "  - {}: was {} ({})",
                        c.place,
                        who(&c.from_controller),
                        st(&c.from_status)
                    ),
                    _ => format!(
                        "  ~ {}: {} ({}) → {} ({}){since}",
                        c.place,
                        who(&c.from_controller),
                        st(&c.from_status),
                        who(&c.to_controller),
                        st(&c.to_status)
                    ),
                };
                let _ = writeln!(out, "{line}");
            }
        }
        let ch = |c: &ControlChangeSummary| {
            let mut s = format!(
                "{}  {}: {}",
                c.date.as_deref().unwrap_or("undated   "),
                c.place,
                c.status.replace('_', " ")
            );
            match (&c.previous_controller, &c.controller) {
                (Some(a), Some(b)) => {
                    let _ = write!(s, ", {a} → {b}");
                }
                (None, Some(b)) => {
                    let _ = write!(s, ", held by {b}");
                }
                _ => {}
            }
            s
        };
        if !(self.control_changes_added.is_empty() && self.control_changes_removed.is_empty()) {
            let _ = writeln!(
                out,
                "Control changes: {} new, {} removed",
                self.control_changes_added.len(),
                self.control_changes_removed.len()
            );
            for c in &self.control_changes_added {
                let _ = writeln!(out, "  + {}", ch(c));
            }
            for c in &self.control_changes_removed {
                let _ = writeln!(out, "  - {}", ch(c));
            }
        }
        if !self.places.is_empty() {
            let count = |k| self.places.iter().filter(|p| p.change == k).count();
            let _ = writeln!(
                out,
                "Places: {} added, {} removed, {} moved",
                count("added"),
                count("removed"),
                count("moved")
            );
            for p in &self.places {
                let cc = if p.country_code.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", p.country_code)
                };
                let line = match p.change {
                    "added" => format!("  + {}{cc}", p.name),
                    "removed" => format!("  - {}{cc}", p.name),
                    _ => format!(
                        "  ~ {}{cc} moved {:.1} km",
                        p.name,
                        p.moved_km.unwrap_or(0.0)
                    ),
                };
                let _ = writeln!(out, "{line}");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_known_distance() {
        // Damascus to Aleppo is about 310 km.
        let km = haversine_km(36.29128, 33.5102, 37.16117, 36.20124);
        assert!((km - 310.0).abs() < 10.0, "{km}");
        assert_eq!(haversine_km(1.0, 2.0, 1.0, 2.0), 0.0);
    }
}
