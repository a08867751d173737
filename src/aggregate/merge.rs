//! Merging what many documents say: events reported by several documents become one feature,
//! control statements are ordered by date into a timeline and a latest state per place, and
//! toponym mentions are counted per place.
//!
//! Everything is order-independent: inputs are sorted by content before merging, ids are a
//! fixed 64-bit FNV-1a hash of the record's identifying content (not a per-process random
//! hash), and the output is sorted, so the same documents always give the same snapshot
//! whatever the thread count or input order.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rustc_hash::FxHashMap;

use crate::aggregate::{ControlChangeRecord, ControlRecord, EventRecord, PlaceRecord, Snapshot};
use crate::extract::actors::inter_name;
use crate::extract::clean_name;
use crate::extract::{
    Actor, ControlStatement, ControlStatus, Event, Extraction, Location, SubEventType,
};
use crate::resolve::Toponym;

/// 64-bit FNV-1a of `parts` joined by "|", as 16 hex digits.
pub fn stable_id(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h ^= b'|' as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in p.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The mentions of one place of the places layer, gathered as documents are added: what the
/// layer's record needs of them, not the mentions themselves.
#[derive(Debug, Clone)]
struct PlaceGroup {
    /// The first of the mentions least by (document id, byte offset): it describes the place.
    best: Toponym,
    /// Index in [`Aggregator::doc_ids`] of the document of `best`.
    best_doc: u32,
    /// Each spelling ([`clean_name`] of the mention) and how often it occurs.
    spellings: Vec<(String, u32)>,
    /// Number of mentions.
    mentions: u32,
    /// The documents with a mention (indices in [`Aggregator::doc_ids`]), each listed once per
    /// run of mentions from it.
    docs: Vec<u32>,
}

/// Collects per-document results and builds the [`Snapshot`].
#[derive(Debug, Clone, Default)]
pub struct Aggregator {
    events: Vec<Event>,
    control: Vec<ControlStatement>,
    /// Ids of the documents with a place mention, in the order they were added.
    doc_ids: Vec<String>,
    /// The group of each place (see [`PlaceIdentity`]) in [`Aggregator::places`].
    group_of: FxHashMap<PlaceIdentity, usize>,
    /// The places mentioned, in the order of their first mention.
    places: Vec<PlaceGroup>,
}

fn place_key(l: &Location) -> String {
    match l.geonameid {
        Some(id) => id.to_string(),
        None => format!("{}@{:.4},{:.4}", l.location, l.lat, l.lon),
    }
}

fn topo_key(t: &Toponym) -> String {
    match t.geonameid {
        Some(id) => id.to_string(),
        None => format!("{}@{:.4},{:.4}", t.name, t.lat, t.lon),
    }
}

fn date_str(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn actor_name(a: &Option<Actor>) -> &str {
    a.as_ref().map(|a| a.name.as_str()).unwrap_or("")
}

fn compatible(a: &Option<Actor>, b: &Option<Actor>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x.name == y.name,
        _ => true,
    }
}

fn symmetric(s: SubEventType) -> bool {
    matches!(s, SubEventType::ArmedClash | SubEventType::Agreement)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Combined confidence of independent reports: 1 − Π(1 − cᵢ).
fn combine(confs: impl Iterator<Item = f64>) -> f64 {
    let miss: f64 = confs.map(|c| 1.0 - c.clamp(0.0, 1.0)).product();
    round3((1.0 - miss).min(0.99))
}

fn status_rank(s: ControlStatus) -> u8 {
    match s {
        ControlStatus::Contested => 1,
        ControlStatus::Besieged => 2,
        ControlStatus::Controlled | ControlStatus::SiegeLifted => 3,
    }
}

impl Aggregator {
    /// An empty aggregator.
    pub fn new() -> Aggregator {
        Aggregator::default()
    }

    /// Adds one document's extraction and, for the places layer, its toponyms that the extraction
    /// found to be places (`x` is what [`crate::extract::Extractor::extract`] made of
    /// `toponyms`; they are kept, not copied).
    pub fn add_document(&mut self, doc_id: &str, toponyms: Vec<Toponym>, x: Extraction) {
        // `x.places` is ascending.
        let mut places = x.places.iter().peekable();
        let mut doc = None;
        for (i, t) in toponyms.into_iter().enumerate() {
            if places.next_if_eq(&&i).is_some() {
                let d = *doc.get_or_insert_with(|| {
                    self.doc_ids.push(doc_id.to_string());
                    (self.doc_ids.len() - 1) as u32
                });
                self.add_place(d, t);
            }
        }
        self.events.extend(x.events);
        self.control.extend(x.control);
    }

    /// Counts place mention `t` of document `doc` (an index in [`Aggregator::doc_ids`]) in its
    /// place's group.
    fn add_place(&mut self, doc: u32, t: Toponym) {
        let identity = match t.geonameid {
            Some(id) => PlaceIdentity::GeoName(id),
            None => PlaceIdentity::Key(topo_key(&t)),
        };
        let spelling = clean_name(&t.name);
        let Some(&g) = self.group_of.get(&identity) else {
            self.group_of.insert(identity, self.places.len());
            self.places.push(PlaceGroup {
                spellings: vec![(spelling.to_string(), 1)],
                best: t,
                best_doc: doc,
                mentions: 1,
                docs: vec![doc],
            });
            return;
        };
        let group = &mut self.places[g];
        group.mentions += 1;
        match group.spellings.iter_mut().find(|(s, _)| s == spelling) {
            Some((_, n)) => *n += 1,
            None => group.spellings.push((spelling.to_string(), 1)),
        }
        if group.docs.last() != Some(&doc) {
            group.docs.push(doc);
        }
        // The first least mention stays: a later one replaces it only when strictly less.
        let best_id = &self.doc_ids[group.best_doc as usize];
        if (self.doc_ids[doc as usize].as_str(), t.byte_start)
            < (best_id.as_str(), group.best.byte_start)
        {
            group.best = t;
            group.best_doc = doc;
        }
    }

    /// Merges everything into a sorted snapshot.
    pub fn finish(mut self) -> Snapshot {
        Snapshot {
            events: self.merge_events(),
            control_changes: Vec::new(),
            control: Vec::new(),
            places: self.merge_places(),
        }
        .with_control(std::mem::take(&mut self.control))
    }

    fn merge_events(&mut self) -> Vec<EventRecord> {
        // Each event's place key, computed once: it is part of the sort key and of the grouping.
        let mut keyed: Vec<(String, Event)> = std::mem::take(&mut self.events)
            .into_iter()
            .map(|e| (place_key(&e.location), e))
            .collect();
        keyed.sort_by(|(ka, a), (kb, b)| {
            (a.sub_event_type, ka, a.date, &a.doc_id, a.byte_start)
                .cmp(&(b.sub_event_type, kb, b.date, &b.doc_id, b.byte_start))
                .then(b.confidence.total_cmp(&a.confidence))
        });
        let (keys, evs): (Vec<String>, Vec<Event>) = keyed.into_iter().unzip();
        // Groups of indexes into `evs`. Events are sorted by sub-type, place and date, so only
        // the trailing groups with the same three can take an event.
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (i, e) in evs.iter().enumerate() {
            let found = groups
                .iter_mut()
                .rev()
                .take_while(|g| {
                    let r = &evs[g[0]];
                    r.sub_event_type == e.sub_event_type
                        && keys[g[0]] == keys[i]
                        && r.date == e.date
                })
                .find(|g| {
                    g.iter().all(|&j| {
                        let o = &evs[j];
                        (compatible(&o.actor1, &e.actor1) && compatible(&o.actor2, &e.actor2))
                            || (symmetric(e.sub_event_type)
                                && compatible(&o.actor1, &e.actor2)
                                && compatible(&o.actor2, &e.actor1))
                    })
                });
            match found {
                Some(g) => g.push(i),
                None => groups.push(vec![i]),
            }
        }
        let mut out = Vec::with_capacity(groups.len());
        let mut used_ids = BTreeSet::new();
        for g in groups {
            // Representative: most confident, then earliest document.
            let &rep_i = g
                .iter()
                .min_by(|&&a, &&b| {
                    evs[b]
                        .confidence
                        .total_cmp(&evs[a].confidence)
                        .then(evs[a].doc_id.cmp(&evs[b].doc_id))
                        .then(evs[a].byte_start.cmp(&evs[b].byte_start))
                })
                .expect("non-empty group");
            let rep = &evs[rep_i];
            let mut a1 = rep.actor1.clone();
            let mut a2 = rep.actor2.clone();
            let mut others: Vec<usize> = g.clone();
            others.sort_by(|&a, &b| {
                evs[b]
                    .confidence
                    .total_cmp(&evs[a].confidence)
                    .then(evs[a].doc_id.cmp(&evs[b].doc_id))
            });
            for &j in &others {
                let o = &evs[j];
                let swapped = !(compatible(&o.actor1, &a1) && compatible(&o.actor2, &a2));
                let (o1, o2) = if swapped {
                    (&o.actor2, &o.actor1)
                } else {
                    (&o.actor1, &o.actor2)
                };
                if a1.is_none() && o1.as_ref().map(|x| &x.name) != a2.as_ref().map(|x| &x.name) {
                    a1 = o1.clone();
                }
                if a2.is_none() && o2.as_ref().map(|x| &x.name) != a1.as_ref().map(|x| &x.name) {
                    a2 = o2.clone();
                }
            }
            let mut per_doc: BTreeMap<&str, f64> = BTreeMap::new();
            for &j in &g {
                let c = per_doc.entry(evs[j].doc_id.as_str()).or_insert(0.0);
                *c = c.max(evs[j].confidence);
            }
            let sources: Vec<&str> = per_doc.keys().copied().collect();
            let fatalities = g.iter().filter_map(|&j| evs[j].fatalities).max();
            let geo_precision = g
                .iter()
                .map(|&j| evs[j].location.geo_precision)
                .min()
                .unwrap_or(rep.location.geo_precision);
            let time_precision = g
                .iter()
                .map(|&j| evs[j].time_precision)
                .min()
                .unwrap_or(rep.time_precision);
            let date = date_str(rep.date);
            let mut id = stable_id(&[
                rep.sub_event_type.name(),
                &keys[rep_i],
                &date,
                actor_name(&a1),
                actor_name(&a2),
            ]);
            let mut n = 1;
            while used_ids.contains(&id) {
                n += 1;
                id = stable_id(&[&id, &n.to_string()]);
            }
            used_ids.insert(id.clone());
            out.push(EventRecord {
                id,
                event_type: rep.sub_event_type.event_type().name().to_string(),
                sub_event_type: rep.sub_event_type.name().to_string(),
                cameo_root: rep.cameo_root,
                inter1: a1.as_ref().map(|a| inter_name(a.inter).to_string()),
                actor1: a1.map(|a| a.name),
                inter2: a2.as_ref().map(|a| inter_name(a.inter).to_string()),
                actor2: a2.map(|a| a.name),
                location: rep.location.location.clone(),
                geonameid: rep.location.geonameid,
                country_code: rep.location.country_code.clone(),
                admin1: rep.location.admin1.clone(),
                geo_precision,
                date: rep.date,
                time_precision,
                status: rep.status.name().to_string(),
                fatalities,
                notes: rep.notes.clone(),
                sources: sources.join(";"),
                source_count: sources.len() as u32,
                confidence: combine(per_doc.values().copied()),
                lat: rep.location.lat,
                lon: rep.location.lon,
            });
        }
        out.sort_by(|a, b| {
            (a.date, &a.location, &a.sub_event_type, &a.id).cmp(&(
                b.date,
                &b.location,
                &b.sub_event_type,
                &b.id,
            ))
        });
        out
    }

    fn merge_places(&mut self) -> Vec<PlaceRecord> {
        let doc_ids = &self.doc_ids;
        let mut out: Vec<(String, PlaceRecord)> = self
            .places
            .iter()
            .map(|g| {
                let key = topo_key(&g.best);
                // The most frequent spelling names the place (ties: alphabetical).
                let name = g
                    .spellings
                    .iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                    .map(|(n, _)| n.clone())
                    .unwrap_or_default();
                let t = &g.best;
                let mut sources: Vec<&str> = g
                    .docs
                    .iter()
                    .map(|&d| doc_ids[d as usize].as_str())
                    .collect();
                sources.sort_unstable();
                sources.dedup();
                let record = PlaceRecord {
                    id: stable_id(&["place", &key]),
                    name,
                    geonameid: t.geonameid,
                    feature_code: t.feature_code.clone(),
                    country_code: t.country_code.clone(),
                    admin1: t.admin1.clone(),
                    mentions: g.mentions,
                    sources: sources.join(";"),
                    lat: t.lat,
                    lon: t.lon,
                };
                (key, record)
            })
            .collect();
        // The key text last: places equal in all else keep the order of their keys.
        out.sort_by(|(ka, a), (kb, b)| {
            (&a.country_code, &a.name, &a.id, ka).cmp(&(&b.country_code, &b.name, &b.id, kb))
        });
        out.into_iter().map(|(_, record)| record).collect()
    }
}

/// What makes toponym mentions one place of the places layer: the GeoNames id, or else the text
/// of [`topo_key`] (name and rounded coordinates).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum PlaceIdentity {
    GeoName(u32),
    Key(String),
}

/// One merged control change: statements with the same place, date, status and actors.
struct Change {
    key: String,
    place: Location,
    date: Option<NaiveDate>,
    status: ControlStatus,
    controller: Option<Actor>,
    previous: Option<Actor>,
    besieged_by: Option<Actor>,
    notes: String,
    sources: BTreeSet<String>,
    confidence: f64,
}

impl Snapshot {
    fn with_control(mut self, statements: Vec<ControlStatement>) -> Snapshot {
        // Each statement's place key, computed once for sorting and merging.
        let mut keyed: Vec<(String, ControlStatement)> = statements
            .into_iter()
            .map(|s| (place_key(&s.place), s))
            .collect();
        keyed.sort_by(|(ka, a), (kb, b)| {
            (
                ka,
                a.date,
                a.status,
                actor_name(&a.controller),
                &a.doc_id,
                a.byte_start,
            )
                .cmp(&(
                    kb,
                    b.date,
                    b.status,
                    actor_name(&b.controller),
                    &b.doc_id,
                    b.byte_start,
                ))
        });
        let mut changes: Vec<Change> = Vec::new();
        for (key, s) in keyed {
            // Statements are sorted by place, date, status and controller, so only the trailing
            // changes with the same four can take this one.
            let same = changes
                .iter_mut()
                .rev()
                .take_while(|c| {
                    c.key == key
                        && c.date == s.date
                        && c.status == s.status
                        && actor_name(&c.controller) == actor_name(&s.controller)
                })
                .find(|c| actor_name(&c.besieged_by) == actor_name(&s.besieged_by));
            match same {
                Some(c) => {
                    if c.previous.is_none() {
                        c.previous = s.previous_controller.clone();
                    }
                    if s.confidence > c.confidence {
                        c.notes = s.notes.clone();
                        c.confidence = s.confidence;
                    }
                    c.sources.insert(s.doc_id.clone());
                    c.place.geo_precision = c.place.geo_precision.min(s.place.geo_precision);
                }
                None => changes.push(Change {
                    key,
                    place: s.place.clone(),
                    date: s.date,
                    status: s.status,
                    controller: s.controller.clone(),
                    previous: s.previous_controller.clone(),
                    besieged_by: s.besieged_by.clone(),
                    notes: s.notes.clone(),
                    sources: BTreeSet::from([s.doc_id.clone()]),
                    confidence: s.confidence,
                }),
            }
        }
        let change_id = |c: &Change| {
            stable_id(&[
                "change",
                &c.key,
                &date_str(c.date),
                c.status.name(),
                actor_name(&c.controller),
                actor_name(&c.besieged_by),
            ])
        };
        let sources = |c: &Change| c.sources.iter().cloned().collect::<Vec<_>>().join(";");
        self.control_changes = changes
            .iter()
            .map(|c| ControlChangeRecord {
                id: change_id(c),
                place: c.place.location.clone(),
                geonameid: c.place.geonameid,
                country_code: c.place.country_code.clone(),
                admin1: c.place.admin1.clone(),
                date: c.date,
                status: c.status.name().to_string(),
                controller: c.controller.as_ref().map(|a| a.name.clone()),
                controller_inter: c
                    .controller
                    .as_ref()
                    .map(|a| inter_name(a.inter).to_string()),
                previous_controller: c.previous.as_ref().map(|a| a.name.clone()),
                besieged_by: c.besieged_by.as_ref().map(|a| a.name.clone()),
                notes: c.notes.clone(),
                sources: sources(c),
                confidence: c.confidence,
                lat: c.place.lat,
                lon: c.place.lon,
            })
            .collect();
        self.control_changes
            .sort_by(|a, b| (&a.place, a.date, &a.id).cmp(&(&b.place, b.date, &b.id)));

        // Latest state per place: ordered by date (undated first), then by how decisive the
        // status is (a capture outranks a siege, a siege outranks "contested" on the same day),
        // then confidence.
        let mut by_place: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
        for c in &changes {
            by_place.entry(c.key.as_str()).or_default().push(c);
        }
        let mut control = Vec::new();
        for (key, mut cs) in by_place {
            cs.sort_by(|a, b| {
                a.date
                    .cmp(&b.date)
                    .then(status_rank(a.status).cmp(&status_rank(b.status)))
                    .then(a.confidence.total_cmp(&b.confidence))
                    .then(change_id(a).cmp(&change_id(b)))
            });
            let last = *cs.last().expect("non-empty");
            // Since when the place has been in this state (same status and controller).
            let mut since = last.date;
            for c in cs.iter().rev() {
                if c.status == last.status
                    && actor_name(&c.controller) == actor_name(&last.controller)
                {
                    if c.date.is_some() {
                        since = c.date.min(since).or(c.date);
                    }
                } else {
                    break;
                }
            }
            let previous = last.previous.clone().or_else(|| {
                cs.iter()
                    .rev()
                    .filter_map(|c| c.controller.as_ref())
                    .find(|a| Some(&a.name) != last.controller.as_ref().map(|x| &x.name))
                    .cloned()
            });
            let previous = if last.status == ControlStatus::Controlled {
                previous
            } else {
                last.previous.clone()
            };
            let srcs: BTreeSet<&str> = cs
                .iter()
                .flat_map(|c| c.sources.iter().map(String::as_str))
                .collect();
            control.push(ControlRecord {
                id: stable_id(&["control", key]),
                place: last.place.location.clone(),
                geonameid: last.place.geonameid,
                country_code: last.place.country_code.clone(),
                admin1: last.place.admin1.clone(),
                status: last.status.name().to_string(),
                controller: last.controller.as_ref().map(|a| a.name.clone()),
                controller_inter: last
                    .controller
                    .as_ref()
                    .map(|a| inter_name(a.inter).to_string()),
                previous_controller: previous.map(|a| a.name),
                besieged_by: last.besieged_by.as_ref().map(|a| a.name.clone()),
                since,
                notes: last.notes.clone(),
                sources: srcs.into_iter().collect::<Vec<_>>().join(";"),
                confidence: last.confidence,
                lat: last.place.lat,
                lon: last.place.lon,
            });
        }
        control.sort_by(|a, b| {
            (&a.country_code, &a.place, &a.id).cmp(&(&b.country_code, &b.place, &b.id))
        });
        self.control = control;
        self
    }
}

#[cfg(test)]
mod tests;
