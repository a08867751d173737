//! The extraction engine: runs the actor dictionary, the trigger lexicon and the control
//! patterns over each sentence of a document and assembles [`Event`]s and
//! [`ControlStatement`]s.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::extract::actors::{ActorDict, ActorError, EntryKind, Mention};
use crate::extract::location::{self, Venue};
use crate::extract::numbers::find_fatalities;
use crate::extract::pattern::{
    Item, ItemKind, ItemWords, Match, Pattern, PatternError, PatternSet, Scratch, WordMark,
    lower_text,
};
use crate::extract::time::{DateMention, find_dates};
use crate::extract::{
    Actor, ControlStatement, ControlStatus, Event, EventStatus, EventType, Inter, Location,
    SubEventType,
};
use crate::ingest::Document;
use crate::recognize::Sentences;
use crate::resolve::{MentionKind, Toponym};
use crate::text;

use sides::{
    CLAIMS, civilians_never_act, claimant, is_ally, is_political, is_reporter, is_side, reports,
    reports_other, roles,
};
use status::{status_before, status_within};

/// The default trigger lexicon.
pub const DEFAULT_TRIGGERS: &str = include_str!("../../data/event_triggers.tsv");
/// The default control patterns.
pub const DEFAULT_CONTROL: &str = include_str!("../../data/control_patterns.tsv");

/// Errors building an extractor from its data files.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error(transparent)]
    Actors(#[from] ActorError),
    #[error("{file}:{line}: {reason}")]
    Row {
        file: String,
        line: usize,
        reason: String,
    },
    #[error("{file}:{line}: {source}")]
    Pattern {
        file: String,
        line: usize,
        source: PatternError,
    },
}

#[derive(Debug, Clone)]
struct TriggerRow {
    sub: SubEventType,
    cameo: u8,
    group: String,
    rank: u32,
    /// An event from this row needs a named side ("attacked" alone is too weak: "attacked the
    /// puck", "was attacked by a dog").
    needs_actor: bool,
    /// An event from this row needs a side that is neither a state's forces nor civilians: the
    /// arrest of protesters, activists, opposition members or militants, not of a thief.
    needs_political: bool,
    /// An event from this row needs a trigger of its group from a row without a need in the
    /// sentence: troops who open fire on a crowd use force against protesters only where the
    /// sentence tells of a protest.
    needs_group: bool,
    /// The row names phrases that are no events ("battle with cancer"); a trigger inside one
    /// does not count, and the phrase itself gives nothing.
    not_event: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ControlEvent {
    None,
    Capture,
    Transfer,
}

#[derive(Debug, Clone)]
struct ControlRow {
    status: ControlStatus,
    event: ControlEvent,
    confidence: f64,
}

/// What one document yields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    pub events: Vec<Event>,
    pub control: Vec<ControlStatement>,
    /// Indexes (into the toponyms extracted from) of the places of the text: the toponyms of
    /// kind [`MentionKind::Place`] with a valid span that [`location::is_usable`] accepts, in
    /// order.
    pub places: Vec<usize>,
}

/// Extracts events and control statements from documents. Cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Extractor {
    actors: ActorDict,
    triggers: Vec<TriggerRow>,
    control: Vec<ControlRow>,
    /// The pattern of each control row, then every trigger pattern, row after row.
    patterns: PatternSet,
    /// The trigger row of each trigger pattern (pattern `control.len() + i`).
    trigger_row: Vec<usize>,
    /// The words a sentence must have to name a meeting place ([`location::MEETING`]).
    meeting_words: WordMark,
}

fn data_rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines().enumerate().filter_map(|(n, l)| {
        let l = l.trim_end_matches('\r');
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            None
        } else {
            Some((n + 1, l.split('\t').collect()))
        }
    })
}

impl Extractor {
    /// An extractor with the embedded default dictionaries.
    pub fn new() -> Result<Extractor, ExtractError> {
        Extractor::with_actor_files(&[])
    }

    /// An extractor whose actor dictionary is the default plus `extra` files `(name, text)`.
    pub fn with_actor_files(extra: &[(&str, &str)]) -> Result<Extractor, ExtractError> {
        let mut sources = vec![("actors.tsv", crate::extract::actors::DEFAULT_ACTORS)];
        sources.extend_from_slice(extra);
        let actors = ActorDict::from_sources(&sources)?;
        let (triggers, trigger_patterns, trigger_row) =
            parse_triggers("event_triggers.tsv", DEFAULT_TRIGGERS)?;
        let (control, mut patterns) = parse_control("control_patterns.tsv", DEFAULT_CONTROL)?;
        patterns.extend(trigger_patterns);
        let mut patterns = PatternSet::new(patterns);
        let meeting_words = patterns.mark(location::MEETING);
        Ok(Extractor {
            actors,
            triggers,
            control,
            patterns,
            trigger_row,
            meeting_words,
        })
    }

    /// Marks toponyms written as a demonym of a known state ("Malian", "Saudi" in "Saudi-led")
    /// as demonyms: they refer to a country but name no place where something happened.
    pub fn normalize_toponyms(&self, text: &str, toponyms: &mut [Toponym]) {
        for t in toponyms.iter_mut() {
            if t.kind == MentionKind::Place
                && let Some(s) = text.get(t.byte_start..t.byte_end)
                && self.actors.is_demonym(s)
            {
                t.kind = MentionKind::Demonym;
            }
        }
    }

    /// The actor dictionary in use.
    pub fn actors(&self) -> &ActorDict {
        &self.actors
    }

    /// Extracts events and control statements from one document given its resolved toponyms.
    /// Events need a place in their sentence; documents without a date get undated events.
    pub fn extract(&self, doc: &Document, toponyms: &[Toponym]) -> Extraction {
        self.extract_in(doc, toponyms, None)
    }

    /// [`Extractor::extract`] for a document whose sentences are known: `sentences` must be
    /// those [`text::sentences`] gives for its text, and their tokens if given those
    /// [`text::tokens`] finds in each sentence (as
    /// [`Geoparser::geoparse_with_sentences`](crate::resolve::Geoparser::geoparse_with_sentences)
    /// returns them), so that the text is neither split nor tokenized again.
    pub fn extract_with_sentences(
        &self,
        doc: &Document,
        toponyms: &[Toponym],
        sentences: &Sentences,
    ) -> Extraction {
        self.extract_in(doc, toponyms, Some(sentences))
    }

    /// [`Extractor::extract`] with the document's sentences if known, else split when needed.
    fn extract_in(
        &self,
        doc: &Document,
        toponyms: &[Toponym],
        sentences: Option<&Sentences>,
    ) -> Extraction {
        let text = doc.text.as_str();
        let mut places = Vec::new();
        let mut usable: Vec<&Toponym> = Vec::new();
        for (i, t) in toponyms.iter().enumerate() {
            if t.byte_start < t.byte_end
                && t.byte_end <= text.len()
                && text.is_char_boundary(t.byte_start)
                && text.is_char_boundary(t.byte_end)
                && location::is_usable(text, t)
            {
                if t.kind == MentionKind::Place {
                    places.push(i);
                }
                usable.push(t);
            }
        }
        let mut out = Extraction {
            places,
            ..Extraction::default()
        };
        if usable.is_empty() {
            // Nothing can be placed: no event, no control statement.
            return out;
        }
        let main_country = main_country(&usable);
        // A doubtful place in another country than the one most of the document's place names
        // are in is a misread name.
        if let Some(main) = leading_country(&usable) {
            usable.retain(|t| {
                t.confidence >= location::MIN_FOREIGN_CONFIDENCE
                    || t.country_code.is_empty()
                    || t.country_code == main
            });
        }
        let ascii_lower = text.to_ascii_lowercase();
        let split;
        let sentences = match sentences {
            Some(known) => known,
            None => {
                split = Sentences::split(text);
                &split
            }
        };
        // The usable toponyms in the order a sentence lists its places.
        let mut by_start = usable.clone();
        by_start.sort_by_key(|t| (t.byte_start, std::cmp::Reverse(t.byte_end)));
        let prep = Prep {
            text,
            ascii_lower: &ascii_lower,
            usable: &by_start,
            sentences,
            actors: &self.actors,
            patterns: &self.patterns,
        };
        // Only sentences with a usable toponym can hold a place; they are read first, the others
        // when needed (an agreement at the document's meeting place, fatalities after an event).
        let mut slots: Vec<Slot> = sentences
            .ranges
            .iter()
            .enumerate()
            .map(|(si, r)| match within(&by_start, r).next() {
                Some(_) => Slot::Read(prep.tokens(si)),
                None => Slot::Unread,
            })
            .collect();
        // Where meetings took place (the location of agreements reached there): the first
        // meeting place of a sentence that names one.
        let mut meeting: Option<&Toponym> = None;
        for (si, slot) in slots.iter_mut().enumerate() {
            if let Slot::Read(t) = slot
                && t.words.has_any(&self.meeting_words)
            {
                let s = slot.sentence(&prep, si);
                meeting = s
                    .col
                    .iter()
                    .enumerate()
                    .find_map(|(pi, item)| match item.kind {
                        ItemKind::Place(k)
                            if location::locatable(s.places[k])
                                && location::venue(&s.col, pi) == Venue::Meeting =>
                        {
                            Some(s.places[k])
                        }
                        _ => None,
                    });
                if meeting.is_some() {
                    break;
                }
            }
        }
        // The thread's pattern buffers, sized once for the pattern set rather than per document.
        let mut scratch = SCRATCH.with_borrow_mut(std::mem::take);
        let mut matches = Vec::new();
        let mut last_event_sentence: Option<usize> = None;
        // The document's country as a toponym of its own, for events at places the gazetteer
        // lacks: the country whose name the document gives, and that has at least twice as many
        // of its place names as any other; in a document that names no place with a country
        // (but as a modifier: "US airstrikes"), the one country its demonyms name ("The Haitian
        // police said …"), under its name.
        let named_country = dominant_country(&usable, text).and_then(|c| {
            usable.iter().copied().find(|t| {
                t.country_code == c
                    && t.kind == MentionKind::Place
                    && location::is_country_level(&t.feature_code)
            })
        });
        let demonym_country = if named_country.is_none()
            && !usable.iter().any(|t| {
                location::locatable(t)
                    && !t.country_code.is_empty()
                    && !location::modifies_next(text, t.byte_end)
            }) {
            demonym_country(&usable).map(|t| Toponym {
                name: self.actors.country_name(&t.country_code),
                kind: MentionKind::Place,
                ..t.clone()
            })
        } else {
            None
        };
        let country_topo = named_country.or(demonym_country.as_ref());
        let ctx = DocCtx {
            doc,
            main_country: main_country.as_deref(),
            meeting,
            country_topo,
        };
        let anaphor_at = anaphors(prep.ascii_lower);
        let claim_at = claims(prep.ascii_lower);
        for (si, slot) in slots.iter_mut().enumerate() {
            let n_before = out.events.len();
            // "shelled a camp north of the city": in a sentence that names no place, "the city"
            // is the settlement named last in the three sentences before.
            if matches!(slot, Slot::Unread)
                && let Some(noun) = first_in(&anaphor_at, &prep.sentences.ranges[si])
                && let Some(antecedent) = antecedent(&prep, si, noun)
                && self
                    .patterns
                    .may_match(&slot.tokens(&prep, si).words, &mut scratch)
            {
                slot.sentence_mut(&prep, si).refer(noun, antecedent);
            }
            // Without a place in the sentence, a meeting place in the document or a settlement
            // the gazetteer lacks, nothing can be placed: no control statement, no event (so far
            // only the sentences with a place have been read). Nor without the words of some
            // pattern.
            if (!matches!(slot, Slot::Unread)
                || meeting.is_some()
                || country_topo.is_some()
                    && names_settlement(
                        &text[prep.sentences.ranges[si].clone()],
                        &prep.ascii_lower[prep.sentences.ranges[si].clone()],
                    ))
                && self
                    .patterns
                    .may_match(&slot.tokens(&prep, si).words, &mut scratch)
            {
                let s = slot.sentence(&prep, si);
                let dates = match doc.date {
                    Some(d) => find_dates(&s.tokens.raw, d),
                    None => Vec::new(),
                };
                matches.clear();
                // Control patterns (all over mentions) come first in the set.
                self.patterns
                    .find_all(&s.col, &s.tokens.words, true, &mut scratch, &mut matches);
                let n_control = matches.partition_point(|m| m.pattern < self.control.len());
                self.patterns.find_all(
                    &s.tokens.raw,
                    &s.tokens.words,
                    false,
                    &mut scratch,
                    &mut matches,
                );
                let (control, triggers) = matches.split_at_mut(n_control);
                // Row after row, pattern after pattern, as the rows are written.
                triggers.sort_by_key(|m| m.pattern);
                self.sentence_control(&ctx, s, &dates, control, &mut out);
                self.sentence_events(&ctx, s, &dates, triggers, &mut out);
            }
            if out.events.len() > n_before {
                last_event_sentence = Some(si);
            } else if let Some(prev) = last_event_sentence
                && si - prev <= 1
                && let Some((n, _)) = find_fatalities(&slot.tokens(&prep, si).raw)
            {
                // "Three soldiers were killed." right after an event sentence: its fatalities,
                // of the event of the kind the sentence names if it names one ("killed in the
                // clashes"; none when no event of that kind was told: "troops clashed with
                // Hezbollah near a village the gazetteer lacks … two soldiers were killed" is
                // not the rocket fire before), else of the last violent one.
                let named: Vec<SubEventType> = self
                    .rows_matching(slot.tokens(&prep, si), &mut scratch, &mut matches)
                    .map(|r| r.sub)
                    .filter(|&sub| is_violent(sub) && sub != SubEventType::Attack)
                    .collect();
                let recent = out
                    .events
                    .iter()
                    .rposition(|e| e.doc_id != doc.id)
                    .map_or(0, |i| i + 1);
                let own = &mut out.events[recent..];
                let violent = |e: &Event| is_violent(e.sub_event_type);
                let pick = if named.is_empty() {
                    own.iter().rposition(violent)
                } else {
                    own.iter().rposition(|e| named.contains(&e.sub_event_type))
                };
                if let Some(e) = pick.map(|i| &mut own[i])
                    && e.fatalities.is_none()
                {
                    e.fatalities = Some(n);
                }
            }
            // "The Islamic State group's affiliate claimed responsibility." after an event
            // whose perpetrator was not named: the claimant is.
            if out.events.len() == n_before
                && last_event_sentence.is_some_and(|prev| si - prev <= 2)
                && any_in(&claim_at, &prep.sentences.ranges[si])
                && let Some(claimant) = claimant(slot.sentence(&prep, si))
                && let Some(e) = out
                    .events
                    .iter_mut()
                    .rev()
                    .take_while(|e| e.doc_id == doc.id)
                    .find(|e| is_violent(e.sub_event_type) && self.unnamed_perpetrator(e))
            {
                let country = e.location.country();
                e.actor1 = Some(self.armed_actor(claimant, country));
            }
            // "Riot police used water cannon and tear gas to disperse the crowd." right after a
            // protest: that protest met intervention (or force).
            if out.events.len() == n_before
                && last_event_sentence.is_some_and(|prev| si - prev <= 1)
                && self
                    .patterns
                    .may_match(&slot.tokens(&prep, si).words, &mut scratch)
            {
                let s = slot.sentence(&prep, si);
                let met = self
                    .rows_matching(&s.tokens, &mut scratch, &mut matches)
                    .filter(|r| {
                        matches!(
                            r.sub,
                            SubEventType::ProtestWithIntervention
                                | SubEventType::ExcessiveForceAgainstProtesters
                        )
                    })
                    .max_by_key(|r| r.rank);
                if let Some(row) = met
                    && let Some(e) = out
                        .events
                        .iter_mut()
                        .rev()
                        .take_while(|e| e.doc_id == doc.id)
                        .find(|e| e.sub_event_type == SubEventType::PeacefulProtest)
                {
                    let country = e.location.country();
                    let force = s
                        .col
                        .iter()
                        .find_map(|it| match it.kind {
                            ItemKind::Actor(a) if it.inter == Some(Inter::StateForces) => {
                                Some(self.armed_actor(&s.actors[a], country))
                            }
                            _ => None,
                        })
                        .or_else(|| self.actors.role("police", country));
                    let protesters = e.actor1.take();
                    e.sub_event_type = row.sub;
                    e.cameo_root = row.cameo;
                    // ACLED's order: the protesters first when they met intervention, those who
                    // used force first when it was excessive.
                    (e.actor1, e.actor2) = if row.sub == SubEventType::ProtestWithIntervention {
                        (protesters, force)
                    } else {
                        (force, protesters)
                    };
                    if let Some((n, _)) = find_fatalities(&s.tokens.raw) {
                        e.fatalities = e.fatalities.or(Some(n));
                    }
                }
            }
        }
        SCRATCH.with_borrow_mut(|s| *s = scratch);
        drop_summaries(&mut out.events);
        drop_retold_killings(&mut out.events, doc.date);
        out
    }

    /// The trigger rows whose patterns (those without mentions) match `tokens`: what kinds of
    /// event a sentence names, for the sentences after an event that add to it.
    fn rows_matching<'a>(
        &'a self,
        tokens: &Tokens,
        scratch: &mut Scratch,
        matches: &'a mut Vec<Match>,
    ) -> impl Iterator<Item = &'a TriggerRow> + 'a {
        matches.clear();
        self.patterns
            .find_all(&tokens.raw, &tokens.words, false, scratch, matches);
        matches
            .iter()
            .filter_map(|m| m.pattern.checked_sub(self.control.len()))
            .map(|t| &self.triggers[self.trigger_row[t]])
    }

    /// Whether an event's perpetrator is unnamed: no actor1, or only an unidentified armed
    /// group ("gunmen", "gang members"), which a claim of responsibility names.
    fn unnamed_perpetrator(&self, e: &Event) -> bool {
        e.actor1.as_ref().is_none_or(|a| self.is_role(a, "militia"))
    }

    /// Whether `a` is the generic role `kind` ("police", "militia") of its country rather
    /// than a named actor.
    fn is_role(&self, a: &Actor, kind: &str) -> bool {
        self.actors
            .role(kind, a.country_code.as_deref())
            .is_some_and(|r| r.name == a.name)
    }

    fn sentence_control(
        &self,
        ctx: &DocCtx,
        s: &Sentence,
        dates: &[DateMention],
        matches: &[Match],
        out: &mut Extraction,
    ) {
        let mut seen_places: Vec<usize> = Vec::new();
        for &Match {
            pattern,
            start: ms,
            end: me,
            caps,
        } in matches
        {
            let row = &self.control[pattern];
            let Some(first) = caps.place else { continue };
            // "broke the siege of Nubl and Zahraa": each place listed with the matched one.
            for pi in std::iter::once(first).chain(listed_places(s, first)) {
                let ItemKind::Place(k) = s.col[pi].kind else {
                    continue;
                };
                let topo = s.places[k];
                if !location::locatable(topo) || seen_places.contains(&pi) {
                    continue;
                }
                let country = Some(topo.country_code.as_str())
                    .filter(|c| !c.is_empty())
                    .or(ctx.main_country);
                let actor = |i: Option<usize>| self.side_actor(s, i?, country, true);
                // Only an armed side holds or besieges a place: "demonstrators marched into
                // Niamey" is a protest, not a capture.
                let actor = |i: Option<usize>| actor(i).filter(|a| is_armed(a.inter));
                // "The army and allied militias retook X", "the army and Russian mercenaries
                // from the Wagner Group recaptured X": the side named first leads.
                let lead = |i: Option<usize>| {
                    i.map(|i| {
                        let is_actor = |j: usize| matches!(s.col[j].kind, ItemKind::Actor(_));
                        let col = &s.col;
                        // Over "… from (the) Z" after the second side.
                        let mut k = i;
                        if k >= 3 && col[k - 1].is("from") && is_actor(k - 2) {
                            k -= 2;
                        } else if k >= 4
                            && col[k - 1].is("the")
                            && col[k - 2].is("from")
                            && is_actor(k - 3)
                        {
                            k -= 3;
                        }
                        let k = if k >= 1 && col[k - 1].is("allied") {
                            k - 1
                        } else {
                            k
                        };
                        match k.checked_sub(2) {
                            Some(j) if col[k - 1].is("and") && is_actor(j) => j,
                            _ => i,
                        }
                    })
                };
                // "M23 rebels backed by Rwanda entered Goma": a backer next to the verb is not
                // who takes the place; the side before it is.
                let ctrl = caps.ctrl.map(|i| {
                    if is_ally(&s.col, i) {
                        (0..i).rev().find(|&j| is_side(&s.col, j)).unwrap_or(i)
                    } else {
                        i
                    }
                });
                let mut controller = actor(lead(ctrl));
                let mut previous = actor(caps.prev)
                    .filter(|p| Some(&p.name) != controller.as_ref().map(|c| &c.name));
                let mut besieged_by = actor(caps.siege);
                if let (Some(b), Some(i)) = (besieged_by.as_mut(), caps.siege)
                    && s.col.get(i + 1).is_some_and(|x| x.is("and"))
                    && s.col
                        .get(i + 2)
                        .is_some_and(|x| x.is_any(&["its", "their", "his"]))
                    && s.col
                        .get(i + 3)
                        .is_some_and(|x| x.is_any(&["allies", "allied"]))
                {
                    b.name.push_str(" and allies");
                }
                let mut status = row.status;
                let mut conf = row.confidence;
                match status_within(&s.col, me, me - ms + 2) {
                    EventStatus::Occurred => {}
                    // "failed to capture X": still fought over; "failed to break the siege".
                    EventStatus::Failed if status == ControlStatus::Controlled => {
                        status = ControlStatus::Contested;
                        controller = None;
                        previous = None;
                        conf *= 0.7;
                    }
                    EventStatus::Failed if status == ControlStatus::SiegeLifted => {
                        status = ControlStatus::Besieged;
                        conf *= 0.7;
                    }
                    _ => continue,
                }
                if status == ControlStatus::Controlled && controller.is_none() {
                    continue;
                }
                let precision = location::precision(&s.col, pi, topo);
                // "pushed into the western outskirts of Aleppo", "took the eastern part of the
                // city", "seized Khartoum's airport": a part of a place taken leaves the place
                // fought over, not held.
                let part_taken = status == ControlStatus::Controlled
                    && (precision == 2 || location::site_of(&s.col, pi));
                let (event_controller, event_previous) = (controller.clone(), previous.clone());
                if part_taken {
                    status = ControlStatus::Contested;
                    controller = None;
                    previous = None;
                }
                seen_places.push(pi);
                // Dated from the end of the statement, where its time adverbial stands ("retook
                // eastern Aleppo from rebels in December 2016").
                let (date, tprec) =
                    date_for(dates, s.raw_index(me.saturating_sub(1)), ctx.doc.date);
                let place = make_location(topo, precision);
                let confidence = round3(conf * (0.6 + 0.4 * topo.confidence.clamp(0.0, 1.0)));
                // "Fano fighters briefly took control of Lalibela before withdrawing": taken,
                // and not held.
                let let_go = status == ControlStatus::Controlled && let_go(&s.col, ms, me);
                out.control.extend((!let_go).then(|| ControlStatement {
                    place: place.clone(),
                    status,
                    controller: controller.clone(),
                    previous_controller: previous.clone(),
                    besieged_by,
                    date,
                    notes: s.text(ctx.doc).to_string(),
                    doc_id: ctx.doc.id.clone(),
                    confidence,
                    byte_start: s.range.start,
                    byte_end: s.range.end,
                }));
                // The territory event of a capture, of the part taken too (at precision 2).
                if (status == ControlStatus::Controlled || part_taken)
                    && row.event != ControlEvent::None
                {
                    let sub = match row.event {
                        ControlEvent::Transfer => SubEventType::NonViolentTransferOfTerritory,
                        _ => territory_sub(event_controller.as_ref(), &topo.country_code),
                    };
                    out.events.push(Event {
                        sub_event_type: sub,
                        cameo_root: sub.default_cameo_root(),
                        actor1: event_controller,
                        actor2: event_previous,
                        location: place,
                        date,
                        time_precision: tprec,
                        status: EventStatus::Occurred,
                        fatalities: None,
                        notes: s.text(ctx.doc).to_string(),
                        doc_id: ctx.doc.id.clone(),
                        confidence,
                        byte_start: s.range.start,
                        byte_end: s.range.end,
                    });
                }
            }
        }
    }

    /// The actor of item `i` of sentence `s` as a side, if it is an actor; `country` is that of
    /// generic sides ("the army"), and `armed` says the side fights or holds places (a state is
    /// then its armed forces, see [`Extractor::armed_actor`]). "The Israeli military said its
    /// jets had struck …": a generic side after "its" or "their" belongs to the actor named
    /// before it: to a named group itself when it fights ("Hezbollah said its fighters clashed
    /// …" is Hezbollah), else to its country.
    fn side_actor(
        &self,
        s: &Sentence,
        i: usize,
        country: Option<&str>,
        armed: bool,
    ) -> Option<Actor> {
        let ItemKind::Actor(a) = s.col[i].kind else {
            return None;
        };
        let m = &s.actors[a];
        let owner = (i > 0 && s.col[i - 1].is_any(&["its", "their"]))
            .then(|| {
                s.col[..i - 1].iter().rev().find_map(|it| match it.kind {
                    ItemKind::Actor(b) => Some(&s.actors[b]),
                    _ => None,
                })
            })
            .flatten();
        if let Some(o) = owner
            && armed
            && self.actors.entry(o).kind == EntryKind::Fixed
            && matches!(self.actors.entry(m).kind, EntryKind::Generic(_))
        {
            return Some(self.actors.resolve(o, None));
        }
        let owner_country = owner.and_then(|o| self.actors.resolve(o, None).country_code);
        let country = owner_country.as_deref().or(country);
        if armed {
            return Some(self.armed_actor(m, country));
        }
        let actor = self.actors.resolve(m, country);
        // "The government and the rebels signed a ceasefire": a government that does not fight
        // is its state, not the state's forces.
        if s.col[i].text.contains("government")
            && matches!(&self.actors.entry(m).kind, EntryKind::Generic(k) if k == "forces")
            && let Some(code) = actor.country_code.as_deref()
            && let Some(state) = self.actors.state(code)
        {
            return Some(Actor {
                name: state.name.clone(),
                inter: Inter::StateForces,
                country_code: Some(state.code.clone()),
            });
        }
        Some(actor)
    }

    /// An actor mention as a side of fighting or of control: a state is its armed forces
    /// ("Israel responded with artillery fire", "Russia took Avdiivka").
    fn armed_actor(&self, m: &Mention, country: Option<&str>) -> Actor {
        let actor = self.actors.resolve(m, country);
        match self.actors.entry(m).kind {
            EntryKind::State => self
                .actors
                .role("forces", actor.country_code.as_deref())
                .unwrap_or(actor),
            _ => actor,
        }
    }

    /// The side that every event of a protest type has, where the text names none: the
    /// protesters of a protest ("Hundreds protested in Ramallah"), the rioters of a riot, the
    /// protesters that force was used against; and ACLED's order of the sides of a protest
    /// with intervention (protesters, then those who intervene).
    fn implied_roles(
        &self,
        sub: SubEventType,
        a1: Option<Actor>,
        a2: Option<Actor>,
        country: Option<&str>,
    ) -> (Option<Actor>, Option<Actor>) {
        use SubEventType::*;
        match sub {
            PeacefulProtest | ProtestWithIntervention if a1.is_none() => {
                (self.actors.role("protesters", country), a2)
            }
            // ACLED puts the protesters first and those who intervene second ("Police dispersed
            // supporters who had gathered in Islamabad").
            ProtestWithIntervention if a1.as_ref().is_some_and(|a| is_armed(a.inter)) => {
                let protesters = a2
                    .filter(|a| a.inter == Inter::Protesters)
                    .or_else(|| self.actors.role("protesters", country));
                (protesters, a1)
            }
            ViolentDemonstration | MobViolence if a1.is_none() => {
                (self.actors.role("rioters", country), a2)
            }
            ExcessiveForceAgainstProtesters if a2.is_none() => {
                (a1, self.actors.role("protesters", country))
            }
            _ => (a1, a2),
        }
    }

    /// The first trigger row of sub-type `sub`, which says its group and rank.
    fn first_row(&self, sub: SubEventType) -> Option<&TriggerRow> {
        self.triggers.iter().find(|r| r.sub == sub)
    }

    /// A trigger with a definite article ("the attack") at `ts..te` refers back to the last
    /// event of its `group` in the document; a place tied to it that lies inside that event's
    /// broader place (its first-level division or country) is where that event was, more
    /// precisely.
    fn refine_place(
        &self,
        s: &Sentence,
        ts: usize,
        te: usize,
        group: &str,
        doc: &Document,
        out: &mut Extraction,
    ) {
        let Some((pi, true)) = choose_location(s, &doc.text, ts, te, false, &[]) else {
            return;
        };
        let ItemKind::Place(k) = s.col[pi].kind else {
            return;
        };
        let topo = s.places[k];
        let precision = location::precision(&s.col, pi, topo);
        let Some(e) = out
            .events
            .iter_mut()
            .rev()
            .take_while(|e| e.doc_id == doc.id)
            .find(|e| {
                self.first_row(e.sub_event_type)
                    .is_some_and(|r| r.group == group)
            })
        else {
            return;
        };
        let finer = make_location(topo, precision);
        if e.location.contains(&finer) {
            e.location = finer;
        }
    }

    fn sentence_events(
        &self,
        ctx: &DocCtx,
        s: &Sentence,
        dates: &[DateMention],
        matches: &[Match],
        out: &mut Extraction,
    ) {
        // 1. Trigger matches as byte spans.
        struct Hit<'r> {
            row: &'r TriggerRow,
            bs: usize,
            be: usize,
        }
        let mut hits: Vec<Hit> = Vec::new();
        for m in matches {
            let p = &self.patterns.patterns()[m.pattern];
            let items = if p.uses_mentions {
                &s.col
            } else {
                &s.tokens.raw
            };
            hits.push(Hit {
                row: &self.triggers[self.trigger_row[m.pattern - self.control.len()]],
                bs: items[m.start].start,
                be: items[m.end - 1].end,
            });
        }
        // A match inside a longer one does not count.
        let spans: Vec<(usize, usize)> = hits.iter().map(|h| (h.bs, h.be)).collect();
        // Groups with a trigger that stands alone: they vouch for the weaker triggers of the
        // group ("signed a ceasefire agreement" has "ceasefire").
        let mut vouched: Vec<&str> = hits
            .iter()
            .filter(|h| !h.row.needs_actor && !h.row.needs_group && !h.row.not_event)
            .map(|h| h.row.group.as_str())
            .collect();
        vouched.sort_unstable();
        vouched.dedup();
        // A phrase that is no event silences the triggers that start inside it ("a cholera
        // epidemic has killed 1,200 people": "killed 1,200 people" starts at its "killed").
        let silenced: Vec<(usize, usize)> = hits
            .iter()
            .filter(|h| h.row.not_event)
            .map(|h| (h.bs, h.be))
            .collect();
        hits.retain(|h| {
            !h.row.not_event
                && !spans
                    .iter()
                    .any(|&(s2, e2)| s2 <= h.bs && h.be <= e2 && (e2 - s2) > (h.be - h.bs))
                && !silenced.iter().any(|&(s2, e2)| s2 <= h.bs && h.bs < e2)
        });
        if hits.is_empty() {
            return;
        }
        // Where each trigger starts among the items: a place past another trigger is that
        // one's first.
        let trigger_starts: Vec<usize> = hits
            .iter()
            .filter_map(|h| s.col_range(h.bs, h.be).map(|(a, _)| a))
            .collect();
        let fatalities = find_fatalities(&s.tokens.raw);
        struct Cand {
            ev: Event,
            group: String,
            rank: u32,
            pos: usize,
        }
        let mut cands: Vec<Cand> = Vec::new();
        for h in &hits {
            let Some((ts, te)) = s.col_range(h.bs, h.be) else {
                continue;
            };
            // A trigger word inside a name is no trigger: "Battle Creek" (a place), "Linda
            // Battle", "Clash VI" (capitalized inside a sentence that is no headline; acronyms
            // such as "IED" are written in capitals anywhere).
            // A word that opens the text after a dateline or a label ("DAMASCUS, Syria --
            // Fighting raged …", "UPDATE: Clashes …") is capitalized as any sentence's first.
            let opens =
                ts == 0 || ts >= 1 && matches!(&*s.col[ts - 1].text, "-" | "—" | "–" | ":" | ")");
            if matches!(s.col[ts].kind, ItemKind::Place(_))
                || (h.bs > s.range.start
                    && !opens
                    && is_title_case(&ctx.doc.text[h.bs..h.be])
                    && !s.headline(ctx.doc))
            {
                continue;
            }
            let sub0 = h.row.sub;
            // "the attack", "this raid": a weak trigger with a definite article refers back to an
            // event told before.
            // "the 2022 protests", "the 2006 war": an event of the past named as context.
            if ts > 0 && is_year(&s.col[ts - 1].text) {
                continue;
            }
            // So does one that needs a side to stand ("The strike hit a car near the town of
            // Naqoura").
            if (h.row.rank <= 10 || h.row.needs_actor)
                && ts > 0
                && s.col[ts - 1].is_any(&["the", "this", "that", "these", "those"])
            {
                // "The attack took place at a hacienda in the municipality of Salvatierra":
                // where the event told before happened, more precisely.
                self.refine_place(s, ts, te, &h.row.group, ctx.doc, out);
                continue;
            }
            // "under a deal", "in violation of the truce": an agreement mentioned as context;
            // "the 1991 agreement", "the anniversary of the peace treaty", "an earlier deal": one
            // of the past.
            if sub0 == SubEventType::Agreement
                && s.col[ts.saturating_sub(3)..ts].iter().any(|it| {
                    it.is_any(&[
                        "under",
                        "per",
                        "violation",
                        "violating",
                        "violated",
                        "breach",
                        "breaching",
                        "breached",
                        "despite",
                        "anniversary",
                        "earlier",
                        "previous",
                        "former",
                        "past",
                    ]) || is_year(&it.text)
                })
            {
                continue;
            }
            // Location.
            let mut chosen_at = None;
            let mut loc_country_from_venue = false;
            let mut from_doc_venue = false;
            let chosen: Option<(&Toponym, u8, bool)> = if sub0 == SubEventType::Agreement {
                let in_sentence = s.col.iter().enumerate().find_map(|(pi, it)| match it.kind {
                    ItemKind::Place(k)
                        if location::locatable(s.places[k])
                            && location::venue(&s.col, pi) == Venue::Meeting =>
                    {
                        Some((
                            s.places[k],
                            location::precision(&s.col, pi, s.places[k]),
                            true,
                        ))
                    }
                    _ => None,
                });
                from_doc_venue = in_sentence.is_none() && ctx.meeting.is_some();
                match in_sentence.or_else(|| {
                    ctx.meeting
                        .map(|t| (t, location::base_precision(&t.feature_code), false))
                }) {
                    Some(x) => {
                        loc_country_from_venue = true;
                        Some(x)
                    }
                    None => choose_location(s, &ctx.doc.text, ts, te, true, &trigger_starts).map(
                        |(pi, cue)| {
                            let ItemKind::Place(k) = s.col[pi].kind else {
                                unreachable!()
                            };
                            (
                                s.places[k],
                                location::precision(&s.col, pi, s.places[k]),
                                cue,
                            )
                        },
                    ),
                }
            } else {
                // Protesters gather where they protest ("gathered in Islamabad", "protests were
                // held in Nairobi").
                let gathering = sub0.event_type() == EventType::Protests;
                choose_location(s, &ctx.doc.text, ts, te, gathering, &trigger_starts)
                    .map(|(pi, cue)| {
                        chosen_at = Some(pi);
                        let ItemKind::Place(k) = s.col[pi].kind else {
                            unreachable!()
                        };
                        (
                            s.places[k],
                            location::precision(&s.col, pi, s.places[k]),
                            cue,
                        )
                    })
                    .or_else(|| {
                        // "near the town of Boulkessi", a town the gazetteer lacks: the event is
                        // in the document's country, at the precision of a country.
                        let (cs, ce) = clause_bounds(&s.col, ts, te);
                        unlisted_settlement(s, &ctx.doc.text, cs, ce)
                            .then_some(ctx.country_topo)
                            .flatten()
                            .map(|t| (t, 3, true))
                    })
            };
            let Some((topo, precision, cue)) = chosen else {
                continue;
            };
            // Actors.
            // "…, killing two people, police said": a side found after the trigger whose own
            // verb reports is the source of the report.
            let (a1i, a2i) = roles(&s.col, ts, te);
            let a2i = a2i.filter(|&i| !(i >= te && reports(&s.col, i)));
            let (a1i, a2i) = if is_violent(sub0) {
                civilians_never_act(&s.col, (a1i, a2i), ts)
            } else {
                (a1i, a2i)
            };
            // The country of generic sides ("the government"): the place's; for agreements and
            // talks abroad, that of a party with a country of its own ("the TPLF and the federal
            // government agreed … in Nairobi"), else the document's.
            let party_country = |i: Option<usize>| match s.col[i?].kind {
                ItemKind::Actor(a) => self.actors.entry(&s.actors[a]).country.as_deref(),
                _ => None,
            };
            let country = if loc_country_from_venue || sub0 == SubEventType::Agreement {
                party_country(a1i)
                    .or_else(|| party_country(a2i))
                    .or(ctx.main_country)
            } else {
                Some(topo.country_code.as_str())
                    .filter(|c| !c.is_empty())
                    .or(ctx.main_country)
            };
            // A clash has two sides: with none after the trigger, the next actor before the
            // first is the other ("The army said it had killed 15 assailants during a
            // counter-offensive"); with none before it, the next actor after the second is its
            // opponent ("The fighting pitted the 444 Brigade against the Special Deterrence
            // Force").
            let (a1i, a2i) = match (a1i, a2i) {
                (None, Some(a)) if sub0 == SubEventType::ArmedClash => {
                    let (_, ce) = clause_bounds(&s.col, ts, te);
                    let other = (a + 1..ce.min(a + 6))
                        .find(|&i| is_side(&s.col, i) && !is_reporter(&s.col, i));
                    match other {
                        Some(o) => (Some(a), Some(o)),
                        None => (None, Some(a)),
                    }
                }
                (Some(a), None) if sub0 == SubEventType::ArmedClash => {
                    // Not the source of a report whose clause names its own side ("Police said
                    // gang members killed 70 people in an attack on …").
                    let (cs, _) = clause_bounds(&s.col, ts, te);
                    let other = (cs..a)
                        .rev()
                        .find(|&i| is_side(&s.col, i) && !reports_other(&s.col, i));
                    (Some(a), other)
                }
                other => other,
            };
            // A state that fights is its armed forces ("Israel responded with artillery fire");
            // in agreements and the like it stays the state.
            let armed = is_territory(sub0)
                || matches!(
                    sub0.event_type(),
                    EventType::Battles
                        | EventType::ExplosionsRemoteViolence
                        | EventType::ViolenceAgainstCivilians
                );
            let resolve = |i: Option<usize>| -> Option<(Actor, usize)> {
                let i = i?;
                Some((self.side_actor(s, i, country, armed)?, i))
            };
            let a1 = resolve(a1i).map(|x| x.0);
            // An agreement placed at the document's meeting place needs a party in its own
            // sentence ("before an agreement could be reached" alone is not one).
            if from_doc_venue && a1i.is_none() {
                continue;
            }
            let a2i = if h.row.sub == SubEventType::PeacefulProtest {
                None
            } else {
                a2i
            };
            // One side, not both: "Russian forces … Russia's Defence Ministry said" names the
            // source, not the other side of the fighting.
            let a2 = resolve(a2i).map(|x| x.0).filter(|a| {
                a1.as_ref().is_none_or(|b| {
                    a.name != b.name
                        && !(a.inter == Inter::StateForces
                            && b.inter == Inter::StateForces
                            && a.country_code.is_some()
                            && a.country_code == b.country_code)
                })
            });
            // Sub-type refinements by who acts on whom.
            let trigger_text = s.doc_text(ctx.doc, h.bs, h.be).to_lowercase();
            let sub = refine(
                sub0,
                a1.as_ref(),
                a2.as_ref(),
                &trigger_text,
                &topo.country_code,
            );
            // Armed men who march are moving, not protesting ("Rebels marched into Niamey");
            // those who protest are protesters, whoever they are ("Police officers protested",
            // "Residents protested").
            let armed_protest = sub == SubEventType::PeacefulProtest
                && a1.as_ref().is_some_and(|a| is_armed(a.inter));
            if armed_protest && matches!(trigger_text.as_str(), "marched" | "rallied") {
                continue;
            }
            let civilian_protest = matches!(
                sub,
                SubEventType::PeacefulProtest | SubEventType::ProtestWithIntervention
            ) && a1.as_ref().is_some_and(|a| a.inter == Inter::Civilians);
            // Nor do civilians sign agreements ("Refugees returned after a peace deal").
            let a1 =
                a1.filter(|a| !(sub == SubEventType::Agreement && a.inter == Inter::Civilians));
            let a1 = if armed_protest || civilian_protest {
                self.actors.role("protesters", country)
            } else {
                a1
            };
            let (named_a1, named_a2) = (a1.is_some(), a2.is_some());
            let vouched = vouched.contains(&h.row.group.as_str());
            if h.row.needs_actor && !named_a1 && !named_a2 && !vouched
                || h.row.needs_group && !vouched
            {
                continue;
            }
            if h.row.needs_political
                && !vouched
                && ![a1i, a2i]
                    .into_iter()
                    .flatten()
                    .any(|i| is_political(&s.col[i]))
            {
                continue;
            }
            let (a1, a2) = self.implied_roles(sub, a1, a2, country);
            let status = status_before(&s.col, ts);
            let (date, tprec) = date_for(dates, s.raw_index(ts), ctx.doc.date);
            let base = 0.3
                + if cue { 0.25 } else { 0.1 }
                + if named_a1 { 0.15 } else { 0.0 }
                + if named_a2 { 0.05 } else { 0.0 }
                + if h.row.rank >= 50 { 0.1 } else { 0.0 }
                + if loc_country_from_venue && !cue {
                    -0.1
                } else {
                    0.0
                };
            let cameo = if sub == sub0 {
                h.row.cameo
            } else {
                sub.default_cameo_root()
            };
            // "Protesters … attacked embassies": an assault by protesters is a demonstration,
            // weighed with the triggers of its own sub-type, so that it replaces the peaceful
            // protest its protesters also trigger at the place.
            let (group, rank) = match self.first_row(sub) {
                Some(r) if sub != sub0 && is_protest(sub) && !is_protest(sub0) => {
                    (r.group.clone(), r.rank)
                }
                _ => (h.row.group.clone(), h.row.rank),
            };
            // "Demonstrations took place in Mombasa, Kisumu and Nakuru": one event per place
            // listed with the chosen one.
            let listed = chosen_at.map_or_else(Vec::new, |p| listed_places(s, p));
            let places = std::iter::once((topo, precision)).chain(listed.into_iter().map(|q| {
                let ItemKind::Place(k) = s.col[q].kind else {
                    unreachable!()
                };
                (s.places[k], location::precision(&s.col, q, s.places[k]))
            }));
            for (topo, precision) in places {
                cands.push(Cand {
                    ev: Event {
                        sub_event_type: sub,
                        cameo_root: cameo,
                        actor1: a1.clone(),
                        actor2: a2.clone(),
                        location: make_location(topo, precision),
                        date,
                        time_precision: tprec,
                        status,
                        fatalities: None,
                        notes: s.text(ctx.doc).to_string(),
                        doc_id: ctx.doc.id.clone(),
                        confidence: round3(
                            (base * (0.6 + 0.4 * topo.confidence.clamp(0.0, 1.0)))
                                .clamp(0.05, 0.99),
                        ),
                        byte_start: s.range.start,
                        byte_end: s.range.end,
                    },
                    group: group.clone(),
                    rank,
                    pos: ts,
                });
            }
        }
        // 2. Within one group at one place keep only the best-ranked triggers.
        let place_key = |e: &Event| (e.location.geonameid, e.location.location.clone());
        let mut best: HashMap<(String, (Option<u32>, String)), u32> = HashMap::new();
        for c in &cands {
            let k = (c.group.clone(), place_key(&c.ev));
            let r = best.entry(k).or_insert(0);
            *r = (*r).max(c.rank);
        }
        // The first side of a dropped trigger told before the kept one, which names none, is
        // the subject they share: "Members of the Gran Grif gang killed 115 people …, calling it
        // one of the deadliest massacres in Haiti" is the massacre, by the gang.
        let (mut kept_cands, dropped): (Vec<Cand>, Vec<Cand>) = cands
            .into_iter()
            .partition(|c| best[&(c.group.clone(), place_key(&c.ev))] <= c.rank);
        for c in kept_cands.iter_mut().filter(|c| c.ev.actor1.is_none()) {
            let key = place_key(&c.ev);
            if let Some(a1) = dropped
                .iter()
                .filter(|d| d.group == c.group && d.pos < c.pos && place_key(&d.ev) == key)
                .find_map(|d| d.ev.actor1.as_ref())
                .filter(|a1| c.ev.actor2.as_ref() != Some(*a1))
            {
                c.ev.actor1 = Some(a1.clone());
            }
        }
        let mut cands = kept_cands;
        // "Militiamen attacked a camp near Bunia, killing 18 people": an assault with no second
        // side named, where people were killed at the same place, is one-sided violence (an
        // Attack), not also a clash.
        let attacked: Vec<_> = cands
            .iter()
            .filter(|c| c.ev.sub_event_type == SubEventType::Attack)
            .map(|c| place_key(&c.ev))
            .collect();
        cands.retain(|c| {
            !(c.ev.sub_event_type == SubEventType::ArmedClash
                && c.ev.actor2.is_none()
                && c.rank <= 10
                && attacked.contains(&place_key(&c.ev)))
        });
        // "Israeli troops arrested 20 people in raids across Jenin": raids that a state's
        // armed forces alone make to arrest people, told as the arrest, are arrests, not a
        // clash ("raided the camp, arresting 12" stays a raid; police raids are no events).
        let arrest_at = hits
            .iter()
            .filter(|h| h.row.sub == SubEventType::Arrests)
            .map(|h| s.col_index_of(h.bs))
            .min();
        for c in cands.iter_mut().filter(|c| {
            arrest_at.is_some_and(|a| a < c.pos)
                && c.ev.sub_event_type == SubEventType::ArmedClash
                && c.rank <= 10
                && c.ev.actor2.is_none()
                && c.ev
                    .actor1
                    .as_ref()
                    .is_some_and(|a| a.inter == Inter::StateForces && !self.is_role(a, "police"))
        }) {
            c.ev.sub_event_type = SubEventType::Arrests;
            c.ev.cameo_root = SubEventType::Arrests.default_cameo_root();
        }
        // "Police raided several homes": a raid by the police alone, against no named side, is
        // law enforcement, not a clash.
        cands.retain(|c| {
            let police = |a: &Option<Actor>| a.as_ref().is_some_and(|a| self.is_role(a, "police"));
            !(c.ev.sub_event_type == SubEventType::ArmedClash
                && c.rank <= 10
                && (police(&c.ev.actor1) && c.ev.actor2.is_none()
                    || police(&c.ev.actor2) && c.ev.actor1.is_none()))
        });
        // "Taliban fighters raided a house where IS militants were hiding, killing three of
        // them": the dead of a clash between two armed sides are its toll, not an attack.
        let fought: Vec<_> = cands
            .iter()
            .filter(|c| {
                c.ev.sub_event_type == SubEventType::ArmedClash
                    && c.ev.actor1.is_some()
                    && c.ev.actor2.as_ref().is_some_and(|a| is_armed(a.inter))
            })
            .map(|c| place_key(&c.ev))
            .collect();
        cands.retain(|c| {
            !(c.ev.sub_event_type == SubEventType::Attack
                && c.rank <= 10
                && c.ev
                    .actor2
                    .as_ref()
                    .is_none_or(|a| a.inter != Inter::Civilians)
                && fought.contains(&place_key(&c.ev)))
        });
        // "Security forces opened fire on protesters in Nairobi, killing at least five people":
        // a killing told by a participle after a comma is the toll of the violent event before
        // it at the same place, not an attack of its own (step 4 gives it the dead).
        let told_before: Vec<(usize, (Option<u32>, String))> = cands
            .iter()
            .filter(|c| {
                is_violent(c.ev.sub_event_type) && c.ev.sub_event_type != SubEventType::Attack
            })
            .map(|c| (c.pos, place_key(&c.ev)))
            .collect();
        cands.retain(|c| {
            !(c.ev.sub_event_type == SubEventType::Attack
                && c.rank <= 10
                && c.pos > 0
                && s.col[c.pos - 1].text == ","
                && told_before
                    .iter()
                    .any(|(pos, key)| *pos < c.pos && *key == place_key(&c.ev)))
        });
        // 3. One event per sub-type and place in a sentence (the most confident; earliest on ties).
        // Territory events already read from control patterns win over trigger-only ones.
        let mut kept: Vec<Cand> = Vec::new();
        for c in cands {
            let dup_control = out.events.iter().any(|e| {
                e.byte_start == c.ev.byte_start
                    && e.doc_id == c.ev.doc_id
                    && place_key(e) == place_key(&c.ev)
                    && (e.sub_event_type == c.ev.sub_event_type
                        || (c.group == "territory" && is_territory(e.sub_event_type)))
            });
            if dup_control {
                continue;
            }
            match kept.iter_mut().find(|k| {
                k.ev.sub_event_type == c.ev.sub_event_type && place_key(&k.ev) == place_key(&c.ev)
            }) {
                Some(k) => {
                    // Two triggers of one sub-type at one place tell one event: the sides one
                    // names and the other does not are kept.
                    let (o1, o2) = if c.ev.confidence > k.ev.confidence {
                        let sides = (k.ev.actor1.take(), k.ev.actor2.take());
                        *k = c;
                        sides
                    } else {
                        (c.ev.actor1, c.ev.actor2)
                    };
                    if k.ev.actor1.is_none() && k.ev.actor2 != o1 {
                        k.ev.actor1 = o1;
                    }
                    if k.ev.actor2.is_none() && k.ev.actor1 != o2 {
                        k.ev.actor2 = o2;
                    }
                }
                None => kept.push(c),
            }
        }
        // An agreement is reached once per sentence, wherever its terms apply ("a deal in Cairo
        // for a truce in Gaza" is one agreement, in Cairo).
        if let Some(first) = kept
            .iter()
            .filter(|k| k.ev.sub_event_type == SubEventType::Agreement)
            .max_by(|a, b| {
                a.ev.confidence
                    .total_cmp(&b.ev.confidence)
                    .then(b.pos.cmp(&a.pos))
            })
            .map(|k| k.pos)
        {
            kept.retain(|k| k.ev.sub_event_type != SubEventType::Agreement || k.pos == first);
        }
        // 4. Fatalities go to the violent event nearest the number; after ", killing" or
        // ", leaving", to the nearest one before it, whose verb the participle follows
        // ("struck targets in Syria, killing 12 civilians, a day after an attack near Ankara").
        if let Some((n, at)) = fatalities {
            let at_col = s.col_index_of(s.tokens.raw[at].start);
            let raw = &s.tokens.raw;
            let participle = (at.saturating_sub(4)..at)
                .any(|i| raw[i].is_any(&["killing", "leaving"]) && i > 0 && raw[i - 1].text == ",");
            let violent = |k: &&mut Cand| is_violent(k.ev.sub_event_type);
            let before = participle
                && kept
                    .iter()
                    .any(|k| is_violent(k.ev.sub_event_type) && k.pos < at_col);
            if let Some(k) = kept
                .iter_mut()
                .filter(violent)
                .filter(|k| !before || k.pos < at_col)
                .min_by_key(|k| (k.pos as i64 - at_col as i64).abs())
            {
                k.ev.fatalities = Some(n);
            }
        }
        out.events.extend(kept.into_iter().map(|k| k.ev));
    }
}

struct DocCtx<'a> {
    doc: &'a Document,
    main_country: Option<&'a str>,
    meeting: Option<&'a Toponym>,
    /// A toponym of the country where the document's towns that the gazetteer lacks are placed
    /// (see [`dominant_country`] and [`demonym_country`]), if the document has one.
    country_topo: Option<&'a Toponym>,
}

/// What a document's sentences are read and built with.
struct Prep<'a, 't> {
    text: &'t str,
    /// `text.to_ascii_lowercase()`, which the items borrow their words from.
    ascii_lower: &'t str,
    /// The document's usable toponyms, sorted by start, longest first.
    usable: &'a [&'t Toponym],
    /// The document's sentences, and their tokens if known.
    sentences: &'a Sentences,
    actors: &'a ActorDict,
    patterns: &'a PatternSet,
}

impl<'t> Prep<'_, 't> {
    /// The tokens of sentence `si` and their pattern words.
    fn tokens(&self, si: usize) -> Tokens<'t> {
        let (text, ascii_lower) = (self.text, self.ascii_lower);
        let range = &self.sentences.ranges[si];
        // An item of the token at `start..end`, a word or not.
        let item = |start: usize, end: usize, word: bool| Item {
            kind: if word {
                ItemKind::Word
            } else {
                ItemKind::Punct
            },
            text: lower_text(text, ascii_lower, start..end),
            start,
            end,
            inter: None,
        };
        let raw: Vec<Item> = match self.sentences.tokens(si) {
            Some(known) => known.map(|t| item(t.start, t.end, t.is_word())).collect(),
            None => {
                // The tokens go straight into items (no list of tokens in between).
                let mut raw = Vec::with_capacity(range.len() / 4);
                text::for_each_token(&text[range.clone()], |t| {
                    raw.push(item(
                        range.start + t.start,
                        range.start + t.end,
                        t.is_word(),
                    ));
                });
                raw
            }
        };
        let mut raw = raw;
        static OPENING_QUOTE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memchr::memmem::Finder::new("“"));
        let bytes = text[range.clone()].as_bytes();
        if memchr::memchr(b'"', bytes).is_some() || OPENING_QUOTE.find(bytes).is_some() {
            drop_scare_quotes(&mut raw);
        }
        let mut words = ItemWords::with_capacity(raw.len());
        self.patterns.words(&raw, &mut words);
        Tokens { raw, words }
    }

    /// Sentence `si` built from its tokens: actors are looked for sentence by sentence, as an
    /// alias never spans two sentences.
    fn sentence(&self, si: usize, tokens: Tokens<'t>) -> Sentence<'t> {
        let range = &self.sentences.ranges[si];
        Sentence::build(
            self.text,
            self.ascii_lower,
            range.clone(),
            tokens,
            self.usable,
            &self.actors.find(self.text, range.clone()),
            self.actors,
        )
    }
}

/// Removes the quotation marks around a single word ("its forces had \"liberated\" the
/// village"): they mark the word as somebody's, and end no clause, which quotation marks
/// around what somebody said do.
fn drop_scare_quotes(raw: &mut Vec<Item>) {
    let is_quote = |it: &Item| it.kind == ItemKind::Punct && matches!(&*it.text, "\"" | "“" | "”");
    let mut drop = vec![false; raw.len()];
    let mut i = 0;
    while i + 2 < raw.len() {
        if is_quote(&raw[i]) && raw[i + 1].kind == ItemKind::Word && is_quote(&raw[i + 2]) {
            drop[i] = true;
            drop[i + 2] = true;
            i += 3;
        } else {
            i += 1;
        }
    }
    let mut k = 0;
    raw.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

/// A sentence's tokens as items and the pattern words among them: what tells whether it may
/// yield anything before its actors are looked for.
struct Tokens<'t> {
    /// Every token as an item.
    raw: Vec<Item<'t>>,
    /// The pattern words of `raw`.
    words: ItemWords,
}

/// How far one sentence of a document has been prepared.
enum Slot<'t> {
    Unread,
    Read(Tokens<'t>),
    Built(Sentence<'t>),
}

impl<'t> Slot<'t> {
    /// The tokens of sentence `si` (this slot's), read if they were not.
    fn tokens(&mut self, prep: &Prep<'_, 't>, si: usize) -> &Tokens<'t> {
        if let Slot::Unread = self {
            *self = Slot::Read(prep.tokens(si));
        }
        match self {
            Slot::Read(t) => t,
            Slot::Built(s) => &s.tokens,
            Slot::Unread => unreachable!("the tokens were just read"),
        }
    }

    /// Sentence `si` (this slot's), built if it was not.
    fn sentence(&mut self, prep: &Prep<'_, 't>, si: usize) -> &Sentence<'t> {
        self.sentence_mut(prep, si)
    }

    /// [`Slot::sentence`], to change.
    fn sentence_mut(&mut self, prep: &Prep<'_, 't>, si: usize) -> &mut Sentence<'t> {
        if !matches!(self, Slot::Built(_)) {
            let tokens = match std::mem::replace(self, Slot::Unread) {
                Slot::Read(t) => t,
                _ => prep.tokens(si),
            };
            *self = Slot::Built(prep.sentence(si, tokens));
        }
        match self {
            Slot::Built(s) => s,
            _ => unreachable!("the sentence was just built"),
        }
    }
}

/// One sentence prepared for matching.
struct Sentence<'t> {
    range: std::ops::Range<usize>,
    /// Every token as an item, and their pattern words.
    tokens: Tokens<'t>,
    /// Tokens with actor and place mentions collapsed into single items.
    col: Vec<Item<'t>>,
    places: Vec<&'t Toponym>,
    actors: Vec<Mention>,
}

thread_local! {
    /// [`Scratch`] buffers kept between the documents a thread extracts from.
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The nouns by which news refers back to a town it has named ("north of the city").
const ANAPHORS: &[&str] = &["city", "town", "village"];

/// Where each "the city", "the town" or "the village" of `lower` (a document in lower case)
/// starts, with its noun: one pass over the document, looked up sentence by sentence.
fn anaphors(lower: &str) -> Vec<(usize, &'static str)> {
    use memchr::memmem::Finder;
    static FINDERS: std::sync::LazyLock<Vec<(Finder<'static>, &'static str)>> =
        std::sync::LazyLock::new(|| {
            ANAPHORS
                .iter()
                .map(|n| (Finder::new(format!("the {n}").as_bytes()).into_owned(), *n))
                .collect()
        });
    let mut found: Vec<(usize, &'static str)> = FINDERS
        .iter()
        .flat_map(|(f, n)| {
            f.find_iter(lower.as_bytes())
                .filter(|&i| !lower[i + 4 + n.len()..].starts_with(|c: char| c.is_alphanumeric()))
                .map(move |i| (i, *n))
        })
        .collect();
    found.sort_unstable();
    found
}

/// The nouns that name a settlement in [`unlisted_settlement`].
const SETTLEMENT_NOUNS: &[&str] = &["town", "village", "hamlet", "settlement", "locality"];

/// Whether `text` (a sentence; `lower` is it in ASCII lower case, byte for byte) may name a
/// settlement as [`unlisted_settlement`] reads it: a word of [`SETTLEMENT_NOUNS`] with " of "
/// and a capital after it ("the village of Kuriga") or a capitalized word before it ("Kadawa
/// village"). Cheap enough for every sentence that names no place.
fn names_settlement(text: &str, lower: &str) -> bool {
    use memchr::memmem::Finder;
    static FINDERS: std::sync::LazyLock<Vec<Finder<'static>>> = std::sync::LazyLock::new(|| {
        SETTLEMENT_NOUNS
            .iter()
            .map(|n| Finder::new(n.as_bytes()).into_owned())
            .collect()
    });
    let bytes = text.as_bytes();
    FINDERS.iter().any(|f| {
        f.find_iter(lower.as_bytes()).any(|at| {
            let end = at + f.needle().len();
            let whole = !bytes[..at].last().is_some_and(u8::is_ascii_alphabetic)
                && !bytes.get(end).is_some_and(u8::is_ascii_alphabetic);
            let named_after = text[end..]
                .strip_prefix(" of ")
                .is_some_and(|rest| rest.starts_with(char::is_uppercase));
            let named_before = text[..at]
                .strip_suffix(' ')
                .and_then(|before| before.split(' ').next_back())
                .is_some_and(|w| w.starts_with(char::is_uppercase));
            whole && (named_after || named_before)
        })
    })
}

/// Where each claim of responsibility ([`CLAIMS`]) of `lower` (a document in lower case) starts.
fn claims(lower: &str) -> Vec<usize> {
    memchr::memmem::find_iter(lower.as_bytes(), b"claimed ")
        .filter(|&i| CLAIMS.iter().any(|c| lower[i..].starts_with(c)))
        .collect()
}

/// Whether one of `starts` (sorted) lies inside `range`.
fn any_in(starts: &[usize], range: &std::ops::Range<usize>) -> bool {
    let k = starts.partition_point(|&s| s < range.start);
    starts.get(k).is_some_and(|&s| s < range.end)
}

/// The first of `starts` (sorted) inside `range`.
fn first_in<T: Copy>(starts: &[(usize, T)], range: &std::ops::Range<usize>) -> Option<T> {
    let k = starts.partition_point(|s| s.0 < range.start);
    starts.get(k).filter(|s| s.0 < range.end).map(|s| s.1)
}

/// The settlement (a populated place the geoparser is sure enough of) named last before
/// sentence `si`, within the three sentences before it, that `noun` may stand for: a city may
/// be any settlement, a town no capital of a country or province, a village only a plain
/// populated place ("the village" after Kharkiv is a village the gazetteer lacks).
fn antecedent<'t>(prep: &Prep<'_, 't>, si: usize, noun: &str) -> Option<&'t Toponym> {
    let fits = |fc: &str| fits_anaphor(noun, fc);
    let start = prep.sentences.ranges[si].start;
    let from = prep.sentences.ranges[si.saturating_sub(3)].start;
    let before = prep.usable.partition_point(|t| t.byte_start < start);
    prep.usable[..before]
        .iter()
        .rev()
        .take_while(|t| t.byte_start >= from)
        .find(|t| location::locatable(t) && t.feature_code.starts_with("PPL"))
        .filter(|t| fits(&t.feature_code))
        .copied()
}

/// Whether a place of feature code `fc` can be what "the `noun`" refers back to: a town is no
/// national or provincial capital, a village only a plain populated place.
fn fits_anaphor(noun: &str, fc: &str) -> bool {
    match noun {
        "village" => fc == "PPL",
        "town" => fc.starts_with("PPL") && !matches!(fc, "PPLC" | "PPLA"),
        _ => fc.starts_with("PPL"),
    }
}

/// The toponyms of `by_start` (sorted by start, longest first, none empty) that lie within
/// `range`, in that order: they are among the run that starts in it.
fn within<'a, 't>(
    by_start: &'a [&'t Toponym],
    range: &std::ops::Range<usize>,
) -> impl Iterator<Item = &'t Toponym> + 'a {
    let first = by_start.partition_point(|t| t.byte_start < range.start);
    let end = range.end;
    by_start[first..]
        .iter()
        .take_while(move |t| t.byte_start < end)
        .copied()
        .filter(move |t| t.byte_end <= end)
}

impl<'t> Sentence<'t> {
    /// `ascii_lower` is `text.to_ascii_lowercase()` (the items borrow their words from it);
    /// `tokens` are the sentence's; `usable` (the document's usable toponyms) is sorted by
    /// start, longest first, and `mentions` (the sentence's actor mentions) by start.
    fn build(
        text: &str,
        ascii_lower: &'t str,
        range: std::ops::Range<usize>,
        tokens: Tokens<'t>,
        usable: &[&'t Toponym],
        mentions: &[Mention],
        dict: &ActorDict,
    ) -> Sentence<'t> {
        let raw = &tokens.raw;
        let mut places: Vec<&Toponym> = within(usable, &range).collect();
        // Mentions are sorted by start and not empty: the ones within this sentence are among
        // the run that starts in it.
        let first = mentions.partition_point(|m| m.start < range.start);
        let mut actors: Vec<Mention> = mentions[first..]
            .iter()
            .take_while(|m| m.start < range.end)
            .filter(|m| m.end <= range.end)
            .cloned()
            .collect();
        // Resolve overlaps between places and actors.
        // The word before `pos`, over "the", compass adjectives and the like ("from southern
        // Lebanon", "in neighbouring Pakistan", "in war-torn Yemen").
        // And over who holds the place: "in Kurdish-controlled northeast Syria".
        let prev_word = |pos: usize| -> &str {
            let mut words = raw
                .iter()
                .rev()
                .skip_while(|it| it.end > pos)
                .map(|it| &*it.text);
            while let Some(w) = words.next() {
                if location::is_direction_adjective(w)
                    || matches!(
                        w,
                        "the"
                            | "neighbouring"
                            | "neighboring"
                            | "restive"
                            | "embattled"
                            | "war"
                            | "-"
                            | "torn"
                            | "ravaged"
                    )
                {
                    continue;
                }
                if location::HOLDER_PARTICIPLES.contains(&w) {
                    // "-" and the holder before it.
                    words.next();
                    words.next();
                    continue;
                }
                return w;
            }
            ""
        };
        // "Aleppo, Syria's second city": a country right after a place and a comma qualifies it
        // (but "near Saraqib, Ankara said" is the state speaking).
        let place_ends: Vec<usize> = places.iter().map(|t| t.byte_end).collect();
        let after_place_comma = |pos: usize| {
            let mut before = raw.iter().rev().skip_while(|it| it.end > pos);
            before.next().is_some_and(|c| c.text == ",")
                && before.next().is_some_and(|p| place_ends.contains(&p.end))
        };
        places.retain(|t| {
            let overlapping: Vec<&Mention> = actors
                .iter()
                .filter(|m| m.start < t.byte_end && t.byte_start < m.end)
                .collect();
            if overlapping.is_empty() {
                return true;
            }
            let m = overlapping[0];
            if m.start <= t.byte_start
                && t.byte_end <= m.end
                && (m.end - m.start) > (t.byte_end - t.byte_start)
            {
                return false; // "Russian forces" ⊃ "Russian"
            }
            if t.byte_start <= m.start
                && m.end <= t.byte_end
                && (t.byte_end - t.byte_start) > (m.end - m.start)
            {
                return true;
            }
            // Same span: a state's name is a place after a locative preposition; named groups
            // are always actors.
            let state = dict.entry(m).kind == EntryKind::State;
            state
                && t.kind == MentionKind::Place
                && location::is_country_level(&t.feature_code)
                && after_place_comma(t.byte_start.min(m.start))
                || state && t.kind == MentionKind::Place && {
                    matches!(
                        prev_word(t.byte_start.min(m.start)),
                        "in" | "at"
                            | "near"
                            | "into"
                            | "across"
                            | "inside"
                            | "throughout"
                            | "on"
                            | "along"
                            | "over"
                            | "beyond"
                            | "from"
                            | "of"
                            | "to"
                            | "within"
                            | "towards"
                            | "toward"
                            | "through"
                            | "around"
                            | "via"
                            | "outside"
                            // "cartel clashes shake Mexico", "protests sweep Iran"
                            | "shake"
                            | "shakes"
                            | "shook"
                            | "rock"
                            | "rocks"
                            | "rocked"
                            | "grip"
                            | "grips"
                            | "gripped"
                            | "sweep"
                            | "sweeps"
                            | "swept"
                            | "engulf"
                            | "engulfs"
                            | "engulfed"
                            | "roil"
                            | "roils"
                            | "roiled"
                            | "rattle"
                            | "rattles"
                            | "rattled"
                            | "plague"
                            | "plagues"
                            | "plagued"
                    )
                }
                // "Russian missiles hit Kyiv": a capital after a word that opens no clause is
                // the object of a verb, a place; at a clause's start it may speak for its state
                // ("Kyiv said").
                || state && t.kind == MentionKind::Place && t.feature_code == "PPLC" && {
                    let w = prev_word(t.byte_start.min(m.start));
                    w.chars().next().is_some_and(char::is_alphabetic)
                        && !matches!(
                            w,
                            "and"
                                | "or"
                                | "but"
                                | "that"
                                | "while"
                                | "as"
                                | "because"
                                | "since"
                                | "when"
                                | "after"
                                | "before"
                                | "where"
                                | "whereas"
                                | "though"
                                | "although"
                                | "said"
                                | "says"
                                | "between"
                                | "with"
                                | "by"
                                | "so"
                                | "then"
                                | "yet"
                                | "now"
                                | "also"
                                | "still"
                                | "meanwhile"
                                | "however"
                                | "thus"
                                | "if"
                                | "whether"
                        )
                }
        });
        actors.retain(|m| {
            !places
                .iter()
                .any(|t| m.start < t.byte_end && t.byte_start < m.end)
        });
        // Places may overlap each other (nested names): keep the outermost.
        let mut kept: Vec<&Toponym> = Vec::new();
        for t in places {
            if kept.last().is_some_and(|k| t.byte_start < k.byte_end) {
                continue;
            }
            kept.push(t);
        }
        let places = kept;
        // Collapse.
        let mut col = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            let start = raw[i].start;
            let place = places
                .iter()
                .position(|t| t.byte_start <= start && start < t.byte_end);
            let actor = actors
                .iter()
                .position(|m| m.start <= start && start < m.end);
            let (kind, s0, e0, inter) = match (place, actor) {
                (Some(k), _) => (
                    ItemKind::Place(k),
                    places[k].byte_start,
                    places[k].byte_end,
                    None,
                ),
                (None, Some(a)) => (
                    ItemKind::Actor(a),
                    actors[a].start,
                    actors[a].end,
                    Some(dict.entry(&actors[a]).inter),
                ),
                (None, None) => {
                    col.push(raw[i].clone());
                    i += 1;
                    continue;
                }
            };
            col.push(Item {
                kind,
                text: lower_text(text, ascii_lower, s0..e0),
                start: s0,
                end: e0,
                inter,
            });
            while i < raw.len() && raw[i].start < e0 {
                i += 1;
            }
        }
        // "Jama'at Nusrat al-Islam wal-Muslimin (JNIM)": an actor's short name in parentheses
        // right after it is the same mention, not a clause of its own.
        let mut k = 0;
        while k + 3 < col.len() {
            if matches!(col[k].kind, ItemKind::Actor(_))
                && col[k + 1].text == "("
                && matches!(col[k + 2].kind, ItemKind::Actor(_))
                && col[k + 3].text == ")"
            {
                col[k].end = col[k + 3].end;
                col.drain(k + 1..k + 4);
            }
            k += 1;
        }
        // "The rebels, led by Hayat Tahrir al-Sham, captured …": the leader is the side; the
        // words before are only its description.
        for k in 0..col.len() {
            let lead = if col.get(k + 1).is_some_and(|x| x.text == ",") {
                k + 2
            } else {
                k + 1
            };
            if matches!(col[k].kind, ItemKind::Actor(_))
                && col.get(lead).is_some_and(|x| x.is("led"))
                && col.get(lead + 1).is_some_and(|x| x.is("by"))
                && col
                    .get(lead + 2)
                    .is_some_and(|x| matches!(x.kind, ItemKind::Actor(_)))
            {
                col[k].kind = ItemKind::Word;
                col[k].inter = None;
            }
        }
        let mut sentence = Sentence {
            range,
            tokens,
            col,
            places,
            actors,
        };
        sentence.refer_within();
        sentence
    }

    /// "M23 rebels entered Goma … as they entered the city": "the city", "the town" or "the
    /// village" after a settlement named earlier in the same sentence is that settlement, if it
    /// can be one ([`fits_anaphor`]); not "the city of X", which names its own.
    fn refer_within(&mut self) {
        for i in 2..self.col.len() {
            if !self.col[i - 1].is("the") {
                continue;
            }
            let Some(noun) = ANAPHORS.iter().find(|n| self.col[i].is(n)) else {
                continue;
            };
            if self.col.get(i + 1).is_some_and(|x| x.is("of")) {
                continue;
            }
            // The last settlement named before it that can be one ("Wad Madani, the capital of
            // Gezira state, … seized the city": Wad Madani, not the state).
            let antecedent = self.col[..i - 1].iter().rev().find_map(|it| match it.kind {
                ItemKind::Place(k)
                    if location::locatable(self.places[k])
                        && fits_anaphor(noun, &self.places[k].feature_code) =>
                {
                    Some(self.places[k])
                }
                _ => None,
            });
            if let Some(t) = antecedent {
                self.col[i].kind = ItemKind::Place(self.places.len());
                self.places.push(t);
            }
        }
    }

    fn text<'d>(&self, doc: &'d Document) -> &'d str {
        &doc.text[self.range.clone()]
    }

    fn doc_text<'d>(&self, doc: &'d Document, s: usize, e: usize) -> &'d str {
        &doc.text[s..e]
    }

    /// Makes the word `noun` of the first "the `noun`" ("the city") a mention of `antecedent`,
    /// the place it refers back to.
    fn refer(&mut self, noun: &str, antecedent: &'t Toponym) {
        let Some(i) =
            (1..self.col.len()).find(|&i| self.col[i].is(noun) && self.col[i - 1].is("the"))
        else {
            return;
        };
        self.col[i].kind = ItemKind::Place(self.places.len());
        self.places.push(antecedent);
    }

    /// Whether the sentence is a headline: most of its words capitalized ("Firefighters Battle
    /// Tega Cay Fire").
    fn headline(&self, doc: &Document) -> bool {
        let (mut words, mut caps) = (0, 0);
        for it in self
            .tokens
            .raw
            .iter()
            .filter(|it| it.kind == ItemKind::Word)
        {
            words += 1;
            caps += usize::from(doc.text[it.start..].starts_with(char::is_uppercase));
        }
        words >= 3 && caps * 2 > words
    }

    /// The index among the sentence's tokens (`tokens.raw`, where date expressions are found)
    /// of the first token of item `i` of `col` (where mentions are single items).
    fn raw_index(&self, i: usize) -> usize {
        let start = self.col.get(i).map_or(usize::MAX, |it| it.start);
        self.tokens.raw.partition_point(|t| t.start < start)
    }

    /// Collapsed item range covering bytes `bs..be`.
    fn col_range(&self, bs: usize, be: usize) -> Option<(usize, usize)> {
        let a = self.col.iter().position(|it| it.end > bs)?;
        let b = self.col.iter().rposition(|it| it.start < be)?;
        (a <= b).then_some((a, b + 1))
    }

    fn col_index_of(&self, byte: usize) -> usize {
        self.col
            .iter()
            .position(|it| it.end > byte)
            .unwrap_or(self.col.len())
    }
}

/// The country that more of the document's place names (not demonyms) are in than any other,
/// if one is.
fn leading_country<'t>(usable: &[&'t Toponym]) -> Option<&'t str> {
    country_ahead(
        usable
            .iter()
            .copied()
            .filter(|t| t.kind == MentionKind::Place),
        |first, second| first > second,
    )
}

/// The country most of `toponyms` are in, if its count and the next country's pass `ahead`
/// (or it is the only country).
fn country_ahead<'t>(
    toponyms: impl Iterator<Item = &'t Toponym>,
    ahead: impl Fn(usize, usize) -> bool,
) -> Option<&'t str> {
    let mut counts = country_counts(toponyms);
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    match counts.as_slice() {
        [(c, _)] => Some(c),
        [(c, n), (_, m), ..] if ahead(*n, *m) => Some(c),
        _ => None,
    }
}

/// How many of `toponyms` each country has (those without a country aside), in order of first
/// appearance. A document names few countries: a short list counts them faster than a hash map.
fn country_counts<'t>(toponyms: impl Iterator<Item = &'t Toponym>) -> Vec<(&'t str, usize)> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for t in toponyms {
        let c = t.country_code.as_str();
        if c.is_empty() {
            continue;
        }
        match counts.iter_mut().find(|(k, _)| *k == c) {
            Some((_, n)) => *n += 1,
            None => counts.push((c, 1)),
        }
    }
    counts
}

/// The country that at least twice as many of the document's place names (not demonyms, nor
/// names too doubtful to place anything, see [`location::locatable`], nor names that only
/// modify a noun, "US airstrikes") in `text` are in as any other, if one is.
fn dominant_country<'t>(usable: &[&'t Toponym], text: &str) -> Option<&'t str> {
    country_ahead(
        usable
            .iter()
            .copied()
            .filter(|t| location::locatable(t) && !location::modifies_next(text, t.byte_end)),
        |first, second| first >= 2 * second,
    )
}

/// The country toponym of the only country the document's demonyms name, if they name one.
fn demonym_country<'t>(usable: &[&'t Toponym]) -> Option<&'t Toponym> {
    let mut demonyms = usable
        .iter()
        .copied()
        .filter(|t| t.kind == MentionKind::Demonym && !t.country_code.is_empty());
    let first = demonyms.next()?;
    demonyms
        .all(|t| t.country_code == first.country_code)
        .then_some(first)
        .filter(|t| location::is_country_level(&t.feature_code))
}

/// The country most places of the document belong to.
/// Ties go to the code first in alphabetical order.
fn main_country(usable: &[&Toponym]) -> Option<String> {
    country_counts(usable.iter().copied())
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(c, _)| c.to_string())
}

/// Whether the place at item `p` is a dateline ("PORT-AU-PRINCE, Oct 4 --", "BAMAKO, Mali
/// —"): the first item of its sentence, written in capitals, followed by a comma, a
/// parenthesis or a dash.
fn is_dateline(items: &[Item], text: &str, p: usize) -> bool {
    let it = &items[p];
    p == 0
        && !text[it.start..it.end].chars().any(char::is_lowercase)
        && text[it.start..it.end]
            .chars()
            .filter(|c| c.is_uppercase())
            .nth(2)
            .is_some()
        && items
            .get(p + 1)
            .is_some_and(|n| matches!(&*n.text, "," | "(" | "-" | "—" | "–"))
}

/// Whether items `cs..ce` of sentence `s` name a settlement the gazetteer lacks: "the town of
/// Boulkessi", "the village of Kuriga", "Kuriga village", a name next to a settlement noun that
/// is a capitalized word (no actor, no acronym) or a place too doubtful to place anything
/// ("Pont" in France, read off "Pont-Sondé").
fn unlisted_settlement(s: &Sentence, text: &str, cs: usize, ce: usize) -> bool {
    let items = &s.col;
    let name = |i: usize| {
        items.get(i).is_some_and(|it| {
            i < ce
                && match it.kind {
                    ItemKind::Word => {
                        text[it.start..].starts_with(char::is_uppercase)
                            && !text[it.start..it.end]
                                .bytes()
                                .all(|b| b.is_ascii_uppercase())
                    }
                    ItemKind::Place(k) => !location::locatable(s.places[k]),
                    _ => false,
                }
        })
    };
    (cs..ce.min(items.len())).any(|i| {
        items[i].is_any(SETTLEMENT_NOUNS)
            && (items.get(i + 1).is_some_and(|it| it.is("of")) && name(i + 2)
                || i > cs && name(i - 1) && !items[i - 1].is_any(&["the", "a"]))
    })
}

/// Whether the place at item `p` of sentence `s` is only the first word of a settlement's name
/// the gazetteer lacks: "the village of Kot Ali" is no Kot district, "Kot" being followed by a
/// capitalized word that is no place nor actor, right after a settlement noun and "of".
fn partial_settlement(s: &Sentence, text: &str, p: usize) -> bool {
    let items = &s.col;
    p >= 2
        && items[p - 1].is("of")
        && items[p - 2].is_any(SETTLEMENT_NOUNS)
        && items.get(p + 1).is_some_and(|it| {
            it.kind == ItemKind::Word && text[it.start..].starts_with(char::is_uppercase)
        })
}

fn clause_bounds(items: &[Item], ts: usize, te: usize) -> (usize, usize) {
    let boundary = |i: usize| items[i].is_clause_break() || new_subject_clause(items, i);
    let cs = (0..ts.min(items.len()))
        .rev()
        .find(|&i| boundary(i))
        .map(|i| i + 1)
        .unwrap_or(0);
    let ce = (te.min(items.len())..items.len())
        .find(|&i| boundary(i))
        .unwrap_or(items.len());
    (cs, ce)
}

/// Whether the comma at `i` opens a coordinated clause with a subject of its own: ", and
/// Israel responded …", ", but the army said …", ", as Hezbollah launched drones …". What
/// follows it is another event's.
fn new_subject_clause(items: &[Item], i: usize) -> bool {
    if items[i].text != "," {
        return false;
    }
    let mut j = i + 1;
    if !items
        .get(j)
        .is_some_and(|x| x.is_any(&["and", "but", "while", "whereas", "as"]))
    {
        return false;
    }
    j += 1;
    if items.get(j).is_some_and(|x| x.is("the")) {
        j += 1;
    }
    items
        .get(j)
        .is_some_and(|x| matches!(x.kind, ItemKind::Actor(_) | ItemKind::Place(_)))
        && items.get(j + 1).is_some_and(|x| x.kind == ItemKind::Word)
}

/// The places listed after the place item at `p`, joined by commas, "and" or "or" ("in Sanaa
/// and Saada", "in Mombasa, Kisumu and Nakuru"): item indices. A larger place after a comma
/// qualifies the one before ("Aleppo, Syria") and ends the list, and so does a country after a
/// town; the two ends of a route ("between Gao and Ansongo") are one event's.
fn listed_places(s: &Sentence, p: usize) -> Vec<usize> {
    let items = &s.col;
    let place = |i: usize| match items.get(i).map(|x| x.kind) {
        Some(ItemKind::Place(k)) if location::locatable(s.places[k]) => Some(s.places[k]),
        _ => None,
    };
    let Some(first) = place(p) else {
        return Vec::new();
    };
    let (start, _) = location::phrase_start(items, p);
    if start.checked_sub(1).is_some_and(|i| items[i].is("between")) {
        return Vec::new();
    }
    let level = location::base_precision(&first.feature_code);
    let mut out = Vec::new();
    let mut j = p + 1;
    loop {
        let mut k = j;
        if items.get(k).is_some_and(|x| x.text == ",") {
            k += 1;
        }
        if items.get(k).is_some_and(|x| x.is("and") || x.is("or")) {
            k += 1;
        }
        if k == j {
            break;
        }
        match place(k) {
            Some(t) if location::base_precision(&t.feature_code) <= level => {
                out.push(k);
                j = k + 1;
            }
            _ => break,
        }
    }
    out
}

/// Picks the place item tied to the trigger at `ts..te`: (item index, has a locative cue). A
/// meeting place ("talks in Geneva") counts only when `meetings` (agreements, protests);
/// `others` are where the sentence's other triggers start.
fn choose_location(
    s: &Sentence,
    text: &str,
    ts: usize,
    te: usize,
    meetings: bool,
    others: &[usize],
) -> Option<(usize, bool)> {
    let items = &s.col;
    let (cs, ce) = clause_bounds(items, ts, te);
    // Places inside another place's descriptor ("the Damascus suburb of Daraya") are qualifiers.
    let mut qualifier = vec![false; items.len()];
    for (p, it) in items.iter().enumerate() {
        if let ItemKind::Place(_) = it.kind {
            let (start, _) = location::phrase_start(items, p);
            // A place whose own phrase names a place of another country ("in Giza's Haram
            // district", Haram read as a Norwegian town) is misread: the other place stands.
            let country = |i: usize| match items[i].kind {
                ItemKind::Place(k) if s.places[k].kind == MentionKind::Place => {
                    s.places[k].country_code.as_str()
                }
                _ => "",
            };
            let own = country(p);
            if (start..p).any(|q| !own.is_empty() && !country(q).is_empty() && country(q) != own) {
                qualifier[p] = true;
                continue;
            }
            for q in qualifier.iter_mut().take(p).skip(start) {
                *q = true;
            }
            // "the town of Macomia in Mozambique's Cabo Delgado province": a larger place right
            // after "in" and another place says where that place is.
            if start >= 2
                && items[start - 1].is("in")
                && let (ItemKind::Place(a), ItemKind::Place(b)) = (items[start - 2].kind, it.kind)
                && location::base_precision(&s.places[b].feature_code)
                    > location::base_precision(&s.places[a].feature_code)
            {
                qualifier[p] = true;
            }
            // "the village of Krasnohorivka, west of Donetsk": a place a comma and a compass
            // point put after another says where that one is.
            if p >= 4
                && items[p - 1].is("of")
                && location::is_compass_noun(&items[p - 2].text)
                && items[p - 3].text == ","
                && matches!(items[p - 4].kind, ItemKind::Place(_))
            {
                qualifier[p] = true;
            }
            // "Aleppo, Syria": a larger place right after a comma qualifies the one before.
            if p >= 2
                && items[p - 1].text == ","
                && let (ItemKind::Place(a), ItemKind::Place(b)) = (items[p - 2].kind, it.kind)
                && location::base_precision(&s.places[b].feature_code)
                    > location::base_precision(&s.places[a].feature_code)
            {
                qualifier[p] = true;
            }
        }
    }
    let mut best: Option<(i64, usize, bool)> = None;
    // The places with a cue that no motion preposition introduces, with their scores.
    let mut cued: Vec<(i64, usize)> = Vec::new();
    for (p, it) in items.iter().enumerate() {
        let ItemKind::Place(k) = it.kind else {
            continue;
        };
        let topo = s.places[k];
        if !location::locatable(topo)
            || qualifier[p]
            || location::is_agent(items, p)
            || location::is_country_level(&topo.feature_code) && location::is_modifier(items, p)
            || partial_settlement(s, text, p)
        {
            continue;
        }
        match location::venue(items, p) {
            Venue::Speech => continue,
            Venue::Meeting if !meetings => continue,
            _ => {}
        }
        let (start, _) = location::phrase_start(items, p);
        let prep = start.checked_sub(1).map(|i| &items[i]);
        // "three villages west of Avdiivka", "10 km north of Gao" say where, as "near" does.
        let compass_of = [start, p].into_iter().any(|q| {
            q >= 2 && items[q - 1].is("of") && location::is_compass_noun(&items[q - 2].text)
        });
        let after_preposition = compass_of
            || prep.is_some_and(|x| {
                x.kind == ItemKind::Word && location::LOCATIVE.contains(&x.text.as_ref())
            });
        // "the fall of Goma", "the capture of Homs" name an event as a topic ("Protesters angry
        // at the fall of Goma attacked embassies in Kinshasa"): no location of another trigger.
        let topic = prep.is_some_and(|x| x.is("of"))
            && start >= 2
            && items[start - 2].is_any(location::CAPTURE_NOUNS);
        let prep_cue = after_preposition && !topic;
        // The trigger's object, also when the place's descriptor is part of the trigger
        // ("recaptured the town of Singa").
        let object_cue = p > ts && start <= te + 1;
        let passive_subject = p < ts && {
            let between = &items[p + 1..ts];
            between.len() <= 6
                && between.iter().all(|x| x.kind == ItemKind::Word)
                && between.iter().any(|x| {
                    x.is_any(&[
                        "is", "was", "were", "are", "be", "been", "being", "came", "comes", "come",
                        "under", "remains", "remained",
                    ])
                })
        };
        // "Aleppo fell", "Mosul shelling"; not after a preposition ("the fall of Goma attacked").
        let subject_verb = p < ts && ts - p == 1 && !after_preposition;
        let cue = prep_cue || object_cue || passive_subject || subject_verb;
        let in_clause = p >= cs && p < ce;
        if !cue && !in_clause {
            continue;
        }
        // A place after the trigger in a coordinated clause with its own subject is that
        // clause's ("fired rockets …, and Israel responded with artillery fire on Kfar Kila").
        if p >= ce && (ce..p).any(|i| new_subject_clause(items, i)) {
            continue;
        }
        let dist = if p < ts { ts - p } else { p.saturating_sub(te) } as i64;
        let mut score = dist;
        // "shelling in Omdurman and clashes near the airport in El Obeid": a place after a
        // preposition belongs to the words before it, so for a trigger it outranks one as near
        // before the trigger.
        if p < ts && prep_cue && !passive_subject && !subject_verb {
            score += 3;
        }
        if !cue {
            score += 30;
        }
        if !in_clause {
            score += 20;
        }
        if location::is_country_level(&topo.feature_code) {
            score += 40;
        }
        // "struck targets in northeast Syria …, a day after an attack on a company near
        // Ankara": a place past a comma and another trigger is that trigger's.
        let comma = |r: std::ops::Range<usize>| items[r].iter().any(|x| x.text == ",");
        if others
            .iter()
            .any(|&o| (te <= o && o < p && comma(te..o)) || (p < o && o < ts && comma(o..ts)))
        {
            score += 45;
        }
        // "MAKHACHKALA -- Three days of intense fighting … in a wooded area of Dagestan": a
        // dateline says where the story was filed; it is the place only when no other is tied.
        if is_dateline(items, text, p) {
            score += 25;
        }
        // Events happen on land: a sea or a lake is the place only when no town is named ("a
        // ship in the Red Sea off the port of Hodeidah" is at Hodeidah).
        if location::is_water(&topo.feature_code) {
            score += 15;
        }
        // "a tourist from Canada", "a woman visiting from Canada": where people come from.
        if prep.is_some_and(|x| x.is("from"))
            && start >= 2
            && items[start - 2].is_any(location::ORIGIN_NOUNS)
        {
            continue;
        }
        // "More than 70,000 people have fled to Armenia since Azerbaijani troops launched an
        // offensive": a place of motion in another clause before the trigger is that clause's.
        let went = prep.is_some_and(|x| x.is_any(&["from", "to"]));
        let motion = went || prep.is_some_and(|x| x.is_any(&["by", "for"]));
        if p < ts
            && went
            && items[p + 1..ts].iter().any(|x| {
                x.is_any(&[
                    "since", "after", "as", "when", "while", "because", "before", "until",
                    "although", "though", "whereas",
                ])
            })
        {
            continue;
        }
        if motion {
            // Far from the trigger, a place of motion is where someone went or came from
            // ("forcing flights to be diverted to Misrata"), not where it happened.
            if dist > 6 && went {
                continue;
            }
            score += 8;
        }
        if best.is_none_or(|(b, _, _)| score < b) {
            best = Some((score, p, cue));
        }
        if cue && !motion {
            cued.push((score, p));
        }
    }
    // The most precise place: "In the West Bank, Israeli settlers set fire to homes in the
    // village of Huwara" is at Huwara, a place tied to the trigger inside the division or
    // country chosen, nearly as near.
    let (score, p, cue) = best?;
    let place = |p: usize| match items[p].kind {
        ItemKind::Place(k) => s.places[k],
        _ => unreachable!("candidates are places"),
    };
    let broad = place(p);
    let finer = (location::base_precision(&broad.feature_code) == 3)
        .then(|| {
            cued.iter()
                .filter(|&&(sc, q)| {
                    let t = place(q);
                    sc <= score + 12
                        && location::base_precision(&t.feature_code) < 3
                        && t.country_code == broad.country_code
                        && (location::is_country_level(&broad.feature_code)
                            || t.admin1 == broad.admin1)
                })
                .min()
                .map(|&(_, q)| q)
        })
        .flatten();
    Some(finer.map_or((p, cue), |q| (q, true)))
}

/// The date of an event at token `pos`: the nearest date expression in the sentence, the one
/// after it when two are as near (a time adverbial follows its verb: "… on Sunday came years
/// after forces retook Aleppo in December 2016"), else the document date (precision 2:
/// reported, day not stated).
fn date_for(dates: &[DateMention], pos: usize, doc: Option<NaiveDate>) -> (Option<NaiveDate>, u8) {
    match dates
        .iter()
        .min_by_key(|d| ((d.item as i64 - pos as i64).abs(), d.item < pos))
    {
        Some(d) => (Some(d.date), d.precision),
        None => (doc, if doc.is_some() { 2 } else { 3 }),
    }
}

/// Whether `s` starts with a capital followed by a lower-case letter ("Battle", not "IED").
fn is_title_case(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.next().is_some_and(char::is_lowercase)
}

fn make_location(t: &Toponym, precision: u8) -> Location {
    Location {
        location: clean_name(&t.name).to_string(),
        geonameid: t.geonameid,
        lat: t.lat,
        lon: t.lon,
        country_code: t.country_code.clone(),
        admin1: t.admin1.clone(),
        geo_precision: precision,
        byte_start: t.byte_start,
        byte_end: t.byte_end,
    }
}

/// A place name without surrounding punctuation or spaces ("Gao." → "Gao").
pub fn clean_name(name: &str) -> &str {
    name.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '"' | '\'' | '’' | '“' | '”')
    })
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn is_violent(s: SubEventType) -> bool {
    matches!(
        s.event_type(),
        EventType::Battles
            | EventType::ExplosionsRemoteViolence
            | EventType::ViolenceAgainstCivilians
            | EventType::Riots
    ) || s == SubEventType::ExcessiveForceAgainstProtesters
}

/// Drops the events of a document that only sum up another of its events at a broader place:
/// "Ethiopian drone strike kills 30 in Amhara region" over "An Ethiopian military drone strike
/// on a market in the town of Finote Selam in the Amhara region killed at least 30 people". An
/// event at a first-level division or a country (precision 3) goes when the document has an
/// event of the same sub-type and status inside it at a finer precision, with the same first
/// actor and fatalities, or where the broad one names none ("Israeli strikes on southern
/// Lebanon killed at least 15 people" stays beside "jets had struck depots in Nabatieh": its
/// dead are not those strikes').
fn drop_summaries(events: &mut Vec<Event>) {
    let inside = |broad: &Event, fine: &Event| {
        broad.location.contains(&fine.location)
            && broad.sub_event_type == fine.sub_event_type
            && broad.status == fine.status
            && (broad.actor1.is_none() || broad.actor1 == fine.actor1)
            && (broad.fatalities.is_none() || broad.fatalities == fine.fatalities)
    };
    let summaries: Vec<bool> = events
        .iter()
        .map(|e| events.iter().any(|f| inside(e, f)))
        .collect();
    let mut flags = summaries.into_iter();
    events.retain(|_| !flags.next().unwrap_or(false));
}

/// Keeps one event of a killing a document tells twice. A headline's "Russian strikes killed 7
/// in Kharkiv" is an Attack with no victims named; the story's "Russian missiles struck the city
/// of Kharkiv, killing seven" is the shelling it was. An Attack with no second side and another
/// violent event at the same place and status, with the same or an unknown first actor, on the
/// same day (or one of them dated only by the document, `doc_date`, and the other in the week
/// before it: a headline has no date of its own), are one event: an explosion or remote
/// violence, or a battle between two named sides, is what the killing was; an armed clash with
/// no second side ("rustlers raided a village", after "rustlers have killed eleven people") was
/// the killing, as in one sentence (see `Extractor::extract`). The event kept has the larger
/// death toll of the two and the more precise date.
fn drop_retold_killings(events: &mut Vec<Event>, doc_date: Option<NaiveDate>) {
    // Dated by the document alone, and a date in the week before it.
    let undated = |e: &Event| e.time_precision >= 2 && e.date.is_some() && e.date == doc_date;
    let week_before = |e: &Event| {
        e.date
            .zip(doc_date)
            .is_some_and(|(d, doc)| (0..=7).contains(&(doc - d).num_days()))
    };
    let same_day = |a: &Event, b: &Event| {
        a.date == b.date || undated(a) && week_before(b) || undated(b) && week_before(a)
    };
    let same_act = |kill: &Event, other: &Event| {
        matches!(
            other.sub_event_type.event_type(),
            EventType::Battles | EventType::ExplosionsRemoteViolence
        ) && other.location.geonameid == kill.location.geonameid
            && other.location.location == kill.location.location
            && same_day(kill, other)
            && other.status == kill.status
            && (other.actor1.is_none() || kill.actor1.is_none() || other.actor1 == kill.actor1)
    };
    let mut k = 0;
    while k < events.len() {
        let kill = &events[k];
        let retold = if kill.sub_event_type == SubEventType::Attack && kill.actor2.is_none() {
            events.iter().position(|o| same_act(kill, o))
        } else {
            None
        };
        let Some(j) = retold else {
            k += 1;
            continue;
        };
        let one_sided =
            events[j].sub_event_type == SubEventType::ArmedClash && events[j].actor2.is_none();
        let (keep, drop) = if one_sided { (k, j) } else { (j, k) };
        let (dead, date, precision) = {
            let d = &events[drop];
            (d.fatalities, d.date, d.time_precision)
        };
        let kept = &mut events[keep];
        kept.fatalities = kept.fatalities.max(dead);
        if precision < kept.time_precision {
            (kept.date, kept.time_precision) = (date, precision);
        }
        events.remove(drop);
        // The event at `k` is looked at again when it stayed (another clash may tell it too)
        // and is the next one when it went.
        if drop < k {
            k -= 1;
        }
    }
}

/// Whether the capture at items `ms..me` of `items` was let go in the same clause: "briefly"
/// before it, or a withdrawal after it ("before withdrawing", "then withdrew", "later
/// retreated").
fn let_go(items: &[Item], ms: usize, me: usize) -> bool {
    const LEFT: &[&str] = &[
        "withdrawing",
        "withdrew",
        "retreating",
        "retreated",
        "pulling",
        "pulled",
        "abandoning",
        "abandoned",
    ];
    let (cs, ce) = clause_bounds(items, ms, me);
    items[cs..me].iter().any(|x| x.is("briefly"))
        || items[me..ce]
            .windows(2)
            .any(|w| w[0].is_any(&["before", "then", "later", "but"]) && w[1].is_any(LEFT))
}

/// Whether `w` is a year of the last or this century written in digits ("1991", "2016").
fn is_year(w: &str) -> bool {
    w.len() == 4
        && w.bytes().all(|b| b.is_ascii_digit())
        && (w.starts_with("19") || w.starts_with("20"))
}

/// Whether a sub-type is a demonstration's (a protest or a riot).
fn is_protest(s: SubEventType) -> bool {
    matches!(s.event_type(), EventType::Protests | EventType::Riots)
}

fn is_territory(s: SubEventType) -> bool {
    matches!(
        s,
        SubEventType::GovernmentRegainsTerritory
            | SubEventType::NonStateActorOvertakesTerritory
            | SubEventType::NonViolentTransferOfTerritory
    )
}

/// Government regains territory when state forces of the place's own country take it; anyone
/// else (rebels, militias, foreign armies) overtakes it.
fn territory_sub(actor: Option<&Actor>, place_country: &str) -> SubEventType {
    match actor {
        Some(a)
            if a.inter == Inter::StateForces
                && a.country_code.as_deref().is_none_or(|c| {
                    place_country.is_empty() || c.eq_ignore_ascii_case(place_country)
                }) =>
        {
            SubEventType::GovernmentRegainsTerritory
        }
        Some(_) => SubEventType::NonStateActorOvertakesTerritory,
        None => SubEventType::GovernmentRegainsTerritory,
    }
}

fn is_armed(i: Inter) -> bool {
    matches!(
        i,
        Inter::StateForces
            | Inter::RebelGroup
            | Inter::PoliticalMilitia
            | Inter::IdentityMilitia
            | Inter::ExternalOtherForces
    )
}

/// Adjusts a trigger's sub-type by the actors involved, as ACLED's definitions require.
fn refine(
    sub: SubEventType,
    a1: Option<&Actor>,
    a2: Option<&Actor>,
    trigger: &str,
    place_country: &str,
) -> SubEventType {
    use SubEventType::*;
    let i1 = a1.map(|a| a.inter);
    let i2 = a2.map(|a| a.inter);
    let has = |i: Inter| i1 == Some(i) || i2 == Some(i);
    match sub {
        GovernmentRegainsTerritory | NonStateActorOvertakesTerritory => match a1 {
            Some(_) => territory_sub(a1, place_country),
            None => sub,
        },
        ArmedClash => {
            if has(Inter::Protesters) || has(Inter::Rioters) {
                if trigger.starts_with("clash")
                    || i1 == Some(Inter::Protesters)
                    || i1 == Some(Inter::Rioters)
                {
                    ViolentDemonstration
                } else {
                    ExcessiveForceAgainstProtesters
                }
            } else if i2 == Some(Inter::Civilians) {
                Attack
            } else {
                ArmedClash
            }
        }
        Attack => {
            if i2 == Some(Inter::Protesters) {
                ExcessiveForceAgainstProtesters
            } else if i2.is_some_and(is_armed) && i1.is_none_or(is_armed) {
                ArmedClash
            } else {
                Attack
            }
        }
        Arrests => {
            if i1.is_some_and(|i| i != Inter::StateForces && is_armed(i)) {
                AbductionForcedDisappearance
            } else {
                Arrests
            }
        }
        PeacefulProtest if i1 == Some(Inter::Rioters) => ViolentDemonstration,
        other => other,
    }
}

/// The trigger rows, all their patterns (row after row) and each pattern's row.
type Triggers = (Vec<TriggerRow>, Vec<Pattern>, Vec<usize>);

fn parse_triggers(file: &str, text: &str) -> Result<Triggers, ExtractError> {
    let mut rows = Vec::new();
    let mut patterns = Vec::new();
    let mut pattern_row = Vec::new();
    for (line, cols) in data_rows(text) {
        let err = |reason: String| ExtractError::Row {
            file: file.into(),
            line,
            reason,
        };
        if !(5..=6).contains(&cols.len()) {
            return Err(err(format!(
                "expected 5 or 6 tab-separated columns, got {}",
                cols.len()
            )));
        }
        let not_event = cols[0].trim() == "-";
        let (needs_actor, needs_political, needs_group) = match cols.get(5).map(|c| c.trim()) {
            None | Some("-") => (false, false, false),
            Some("actor") => (true, false, false),
            Some("political") => (true, true, false),
            Some("group") => (false, false, true),
            Some(n) => {
                return Err(err(format!(
                    "unknown requirement {n:?} (actor, political, group or -)"
                )));
            }
        };
        let (sub, cameo, rank) = if not_event {
            (SubEventType::Other, 0, 0)
        } else {
            let sub = SubEventType::parse(cols[0])
                .ok_or_else(|| err(format!("unknown sub-event type {:?}", cols[0])))?;
            let cameo: u8 = cols[1]
                .trim()
                .parse()
                .ok()
                .filter(|c| (1..=20).contains(c))
                .ok_or_else(|| err("cameo_root must be 1–20".into()))?;
            let rank: u32 = cols[3]
                .trim()
                .parse()
                .map_err(|_| err("rank must be a number".into()))?;
            (sub, cameo, rank)
        };
        for p in cols[4].split(';').map(str::trim).filter(|p| !p.is_empty()) {
            patterns.push(Pattern::parse(p).map_err(|source| ExtractError::Pattern {
                file: file.into(),
                line,
                source,
            })?);
            pattern_row.push(rows.len());
        }
        rows.push(TriggerRow {
            sub,
            cameo,
            group: cols[2].trim().to_string(),
            rank,
            needs_actor,
            needs_political,
            needs_group,
            not_event,
        });
    }
    Ok((rows, patterns, pattern_row))
}

/// The control rows and the pattern of each.
fn parse_control(file: &str, text: &str) -> Result<(Vec<ControlRow>, Vec<Pattern>), ExtractError> {
    let mut rows = Vec::new();
    let mut patterns = Vec::new();
    for (line, cols) in data_rows(text) {
        let err = |reason: String| ExtractError::Row {
            file: file.into(),
            line,
            reason,
        };
        if cols.len() != 4 {
            return Err(err(format!(
                "expected 4 tab-separated columns, got {}",
                cols.len()
            )));
        }
        let status = ControlStatus::parse(cols[0])
            .ok_or_else(|| err(format!("unknown status {:?}", cols[0])))?;
        let event = match cols[1].trim() {
            "-" => ControlEvent::None,
            "capture" => ControlEvent::Capture,
            "transfer" => ControlEvent::Transfer,
            e => return Err(err(format!("unknown event kind {e:?}"))),
        };
        let confidence: f64 = cols[2]
            .trim()
            .parse()
            .ok()
            .filter(|c| (0.0..=1.0).contains(c))
            .ok_or_else(|| err("confidence must be 0–1".into()))?;
        let pattern = Pattern::parse(cols[3].trim()).map_err(|source| ExtractError::Pattern {
            file: file.into(),
            line,
            source,
        })?;
        if !pattern.has_place() {
            return Err(err("a control pattern needs #place".into()));
        }
        rows.push(ControlRow {
            status,
            event,
            confidence,
        });
        patterns.push(pattern);
    }
    Ok((rows, patterns))
}

mod sides;
mod status;
#[cfg(test)]
mod tests;
