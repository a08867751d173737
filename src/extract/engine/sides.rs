//! Who acts in an event: the actors tied to a trigger (`roles`), the words that make an actor
//! an ally or backer rather than a side, the sources of reports that are no sides, ACLED's rule
//! that civilians never act, political arrests, and claims of responsibility.

use super::{Sentence, clause_bounds};
use crate::extract::Inter;
use crate::extract::actors::Mention;
use crate::extract::pattern::{Item, ItemKind};

/// Participles before "by" that name a go-between, not a side ("brokered by the United
/// Nations", "mediated by Qatar").
const GO_BETWEEN: &[&str] = &[
    "brokered",
    "mediated",
    "hosted",
    "facilitated",
    "sponsored",
    "chaired",
    "organised",
    "organized",
    "witnessed",
    "monitored",
];

/// Words just before an actor that make it an ally or backer of a side, not a side ("allied
/// militias", "backed by Russia").
const ALLY_WORDS: &[&str] = &[
    "allied",
    "allies",
    "alongside",
    "side",
    "backed",
    "supported",
    "affiliated",
    "linked",
    "including",
    "ally",
    "partners",
    "partner",
    "supporting",
    "backing",
];

/// Whether the actor at item `a` is an ally, backer or go-between rather than a side (an
/// [`ALLY_WORDS`] or [`GO_BETWEEN`] word up to three items before it).
pub(super) fn is_ally(items: &[Item], a: usize) -> bool {
    items[a.saturating_sub(3)..a]
        .iter()
        .any(|x| x.is_any(ALLY_WORDS) || x.is_any(GO_BETWEEN))
}

/// Whether item `i` is an actor that can be a side: not an ally, backer or go-between.
pub(super) fn is_side(items: &[Item], i: usize) -> bool {
    matches!(items[i].kind, ItemKind::Actor(_)) && !is_ally(items, i) && !across_border(items, i)
}

/// Whether the actor at item `i` names the country across a border ("the town of Chinshwehaw
/// on the border with China", "near the border with Georgia and Azerbaijan"), a place and no
/// side.
fn across_border(items: &[Item], i: usize) -> bool {
    let mut i = i;
    // "near the border with Georgia and Azerbaijan": past the names listed before this one.
    while i >= 2
        && (items[i - 1].is("and") || items[i - 1].text == ",")
        && matches!(items[i - 2].kind, ItemKind::Actor(_) | ItemKind::Place(_))
    {
        i -= 2;
    }
    i >= 2
        && items[i - 1].is("with")
        && items[i - 2].is_any(&["border", "borders", "frontier", "boundary"])
}

/// The actors of the trigger at `ts..te`: (actor1, actor2) item indexes.
pub(super) fn roles(items: &[Item], ts: usize, te: usize) -> (Option<usize>, Option<usize>) {
    let (cs, ce) = clause_bounds(items, ts, te);
    let is_actor = |i: usize| matches!(items[i].kind, ItemKind::Actor(_));
    // The trigger starts with an actor mention ("Russian jets bombed"); in "Turkish drones and
    // warplanes struck" the first of the two names the side.
    if is_actor(ts) {
        // "Two journalists were killed in an Israeli strike": those the strike killed stand
        // before its phrase.
        let in_phrase = ts >= 2
            && items[ts - 1].is_any(&["a", "an", "the"])
            && items[ts - 2].is_any(&["in", "during", "by"]);
        let a2 = (ts + 1..ce.min(te + 12))
            .find(|&i| is_side(items, i))
            .or_else(|| {
                in_phrase
                    .then(|| (cs..ts - 2).rev().find(|&i| is_side(items, i)))
                    .flatten()
            });
        let a1 = match ts.checked_sub(2) {
            Some(f) if f >= cs && items[ts - 1].is("and") && is_side(items, f) => f,
            _ => ts,
        };
        return (Some(a1), a2);
    }
    // "between A and B"
    if let Some(b) = (cs..ce).find(|&i| items[i].is("between")) {
        let a = (b + 1..ce.min(b + 4)).find(|&i| is_actor(i));
        if let Some(a) = a {
            let c = (a + 1..ce.min(a + 5)).find(|&i| is_actor(i));
            if c.is_some() {
                return (Some(a), c);
            }
        }
    }
    // Passive agent: "… by the regime" (but not a go-between: "a prisoner exchange brokered
    // by the United Nations", nor a backer: "M23 rebels backed by Rwanda").
    let mut agent = None;
    let mut j = te;
    while j < ce && j < te + 14 {
        if items[j].is("by")
            && !(j > 0 && (items[j - 1].is_any(GO_BETWEEN) || items[j - 1].is_any(ALLY_WORDS)))
        {
            let mut k = j + 1;
            while k < ce && k <= j + 5 {
                if is_actor(k) {
                    agent = Some(k);
                    break;
                }
                let backer = items.get(k + 1).is_some_and(|x| x.text == "-")
                    && items.get(k + 2).is_some_and(|x| {
                        x.is_any(&[
                            "backed",
                            "allied",
                            "led",
                            "affiliated",
                            "linked",
                            "aligned",
                            "supported",
                            "sponsored",
                        ])
                    });
                if !(items[k].kind == ItemKind::Punct
                    || backer
                    || items[k].is_any(&[
                        "the", "some", "a", "its", "their", "backed", "allied", "forces", "of",
                    ]))
                {
                    break;
                }
                k += 1;
            }
            break;
        }
        j += 1;
    }
    // "an attack … that Turkey blamed on the PKK": who is blamed did it; who blames is no side.
    if let Some(b) = (te..ce.min(te + 12)).find(|&i| items[i].is("blamed"))
        && items.get(b + 1).is_some_and(|x| x.is("on"))
        && let Some(a) = (b + 2..ce.min(b + 5)).find(|&i| is_side(items, i))
    {
        return (Some(a), None);
    }
    // "Jihadists killed dozens of soldiers in an ambush": a trigger in a prepositional phrase
    // names the event of the verb before it, whose subject made it and whose object suffered it.
    let in_phrase = |i: usize| items.get(i).is_some_and(|x| x.is_any(&["in", "during"]));
    // "in an ambush", "during the raid", "in Burkina Faso ambush".
    let modifier = ts >= 1
        && (items[ts - 1].is_any(&["a", "an", "the"])
            || matches!(items[ts - 1].kind, ItemKind::Place(_)));
    if (modifier && ts >= 2 && in_phrase(ts - 2)) || (ts >= 1 && in_phrase(ts - 1)) {
        // Not who reports it ("Police said gang members killed 70 people in an attack"). The
        // subject may stand far back, before a participle ("Israeli forces raided the Nur Shams
        // refugee camp near Tulkarm, killing two Palestinian militants in a gun battle").
        let sides: Vec<usize> = (cs.max(ts.saturating_sub(20))..ts)
            .filter(|&i| is_side(items, i) && !reports_other(items, i))
            .collect();
        if let [.., a, b] = sides[..]
            && items[a + 1..b]
                .iter()
                .any(|x| x.kind == ItemKind::Word && !x.is_any(&["and", "or", "of", "the"]))
        {
            return (Some(a), Some(b));
        }
    }
    // Nearest actor before the trigger in the clause (within 12 items).
    // "… was hit by an air strike": the trigger is the agent noun; the subject is its target.
    let by_trigger = (ts >= 1 && items[ts - 1].is("by"))
        || (ts >= 2 && items[ts - 1].is_any(&["a", "an", "the"]) && items[ts - 2].is("by"));
    if by_trigger {
        let target = (cs.max(ts.saturating_sub(12))..ts)
            .rev()
            .find(|&i| is_side(items, i));
        return (None, target);
    }
    let mut before = (cs.max(ts.saturating_sub(12))..ts)
        .rev()
        .find(|&i| is_side(items, i));
    // A coordinated verb ("the regime forced … and continues to take …") shares the subject of
    // the first one, which may be further back.
    // So does a participle after a comma ("… attacked a boat near Gao, killing 12 civilians").
    // So does a gerund after a conjunction of time ("soldiers set fire to hundreds of homes in
    // the village of Kyauk Ka after clashing with …").
    if before.is_none()
        && (items[ts.saturating_sub(4)..ts].iter().any(|x| x.is("and"))
            || (ts >= 1 && items[ts - 1].text == ",")
            || (ts >= 1
                && items[ts - 1].is_any(&["after", "before", "while", "when"])
                && items[ts].text.ends_with("ing")))
    {
        before = (cs.max(ts.saturating_sub(30))..ts)
            .rev()
            .find(|&i| is_side(items, i));
    }
    // "Russian mercenaries of the Africa Corps": of two names of one kind of side, the head of
    // the phrase is the side, as the words before it tell ("the army and Russian mercenaries
    // of the Africa Corps clashed"); "fighters of the Islamic State" stay the group.
    let before = before.map(|b| {
        let k = if b >= 1 && items[b - 1].is("the") {
            b - 1
        } else {
            b
        };
        match k.checked_sub(2) {
            Some(h)
                if items[k - 1].is("of")
                    && h >= cs
                    && is_side(items, h)
                    && items[h].inter == items[b].inter =>
            {
                h
            }
            _ => b,
        }
    });
    // "A and B", "A, B", "A and Amhara regional B": up to two modifiers before the second.
    let pair = before.and_then(|b| {
        (1..=3).find_map(|k| {
            let j = b.checked_sub(k)?;
            let joined = (items[j].is("and") || items[j].text == ",")
                && items[j + 1..b].iter().all(|x| {
                    matches!(x.kind, ItemKind::Word | ItemKind::Place(_))
                        && !x.is_any(&["and", "by", "led"])
                        && !x.is_any(ALLY_WORDS)
                });
            let first = j.checked_sub(1)?;
            (joined && is_actor(first) && first >= cs).then_some((first, b))
        })
    });
    let after = (ts + 1..ce.min(te + 10)).find(|&i| is_side(items, i) && Some(i) != agent);
    // In the passive the side before the verb is acted on: "nine of its activists were arrested
    // in Batumi", "the remains of Iranians killed in Aleppo".
    if agent.is_none()
        && let Some(b) = before
    {
        match passive(items, b, ts, te) {
            Some(Passive::Subject) => return (None, Some(b)),
            // "the remains of Iranians killed in Aleppo": acted on are the people named right
            // before the verb, no side; the side further back is not the agent either.
            Some(Passive::Other) => return (None, None),
            None => {}
        }
    }
    match (agent, pair, before) {
        (Some(ag), _, b) => (Some(ag), b.or(after)),
        // "A and B clashed with C": A (with B) against C.
        (None, Some((x, _)), _) if after.is_some() => (Some(x), after),
        (None, Some((x, y)), _) => (Some(x), Some(y)),
        (None, None, b) => (b, after),
    }
}

/// Whom a trigger in the passive acts on ([`passive`]).
enum Passive {
    /// The side before the verb.
    Subject,
    /// Somebody else, named right before the verb.
    Other,
}

/// Whether the trigger at `ts..te` is a verb in the passive, and whether its subject is the side
/// at `b`: after an auxiliary ("were arrested", "was reportedly killed"), or a participle of a
/// verb that takes an object, right after its noun and before a preposition ("Iranians killed in
/// Aleppo"; "protested in Ramallah" is active).
fn passive(items: &[Item], b: usize, ts: usize, te: usize) -> Option<Passive> {
    const AUX: &[&str] = &["was", "were", "been", "being", "is", "are", "got", "get"];
    const PREP: &[&str] = &[
        "in", "at", "near", "during", "on", "outside", "when", "while", "after", "since",
    ];
    const TRANSITIVE: &[&str] = &[
        "killed",
        "wounded",
        "injured",
        "arrested",
        "detained",
        "abducted",
        "kidnapped",
        "shot",
        "executed",
        "beheaded",
        "massacred",
        "murdered",
    ];
    if te != ts + 1 {
        return None;
    }
    let aux = |i: Option<usize>| i.is_some_and(|i| i > b && items[i].is_any(AUX));
    let after_aux = items[ts].text.ends_with("ed")
        && (aux(ts.checked_sub(1))
            || (aux(ts.checked_sub(2)) && items[ts - 1].kind == ItemKind::Word));
    if after_aux {
        return Some(Passive::Subject);
    }
    // "killed at least 40 people" has an object.
    let at_least = items
        .get(te + 1)
        .is_some_and(|x| x.is_any(&["least", "most"]));
    let reduced = items[ts].is_any(TRANSITIVE)
        && ts > 0
        && items[ts - 1].kind != ItemKind::Punct
        && items.get(te).is_some_and(|x| x.is_any(PREP))
        && !at_least;
    match (reduced, b + 1 == ts) {
        (true, true) => Some(Passive::Subject),
        (true, false) => Some(Passive::Other),
        _ => None,
    }
}

/// Whether the actor item `it` makes an arrest political (ACLED codes no other): a side that is
/// neither a state's forces nor civilians (protesters, militants), or civilians whose work is
/// public (journalists, activists, lawyers, opposition politicians).
pub(super) fn is_political(it: &Item) -> bool {
    const PUBLIC: &[&str] = &[
        "journalist",
        "reporter",
        "activist",
        "lawyer",
        "student",
        "opposition",
        "politician",
    ];
    match it.inter {
        Some(Inter::StateForces) | None => false,
        Some(Inter::Civilians) => PUBLIC.iter().any(|w| it.text.contains(w)),
        Some(_) => true,
    }
}

/// Phrases of a claim of responsibility (in lower case).
pub(super) const CLAIMS: &[&str] = &[
    "claimed responsibility",
    "claimed the attack",
    "claimed the bombing",
    "claimed by",
];

/// The actor that claims responsibility in sentence `s`: the one at most four items before
/// "claimed" ("The Islamic State group's affiliate claimed responsibility"), or in the passive
/// the one at most two items after "claimed by" ("The attack was claimed by JNIM").
pub(super) fn claimant<'s>(s: &'s Sentence) -> Option<&'s Mention> {
    let actor = |it: &Item| match it.kind {
        ItemKind::Actor(a) => Some(&s.actors[a]),
        _ => None,
    };
    let c = s.col.iter().position(|it| it.is("claimed"))?;
    if s.col.get(c + 1).is_some_and(|it| it.is("by")) {
        return s.col[c + 2..].iter().take(2).find_map(actor);
    }
    s.col[c.saturating_sub(5)..c].iter().rev().find_map(actor)
}

/// Verbs that make the actor before them the source of a report, not a side of the event
/// ("Residents reported heavy shelling").
const REPORTING: &[&str] = &[
    "said",
    "say",
    "says",
    "reported",
    "report",
    "reports",
    "told",
    "described",
    "recounted",
    "witnessed",
    "saw",
    "heard",
    "according",
];

/// Whether item `i` is civilians whose own verb reports ("residents and aid workers said"): the
/// source of the report, no side of what it reports.
pub(super) fn is_reporter(items: &[Item], i: usize) -> bool {
    items[i].inter == Some(Inter::Civilians) && reports(items, i)
}

/// Whether the verb of the actor at item `i` is a reporting one ("the Armenian government
/// said", "residents and aid workers said").
pub(super) fn reports(items: &[Item], i: usize) -> bool {
    reporting_verb(items, i).is_some()
}

/// The item of the reporting verb of the actor at item `i`, if its verb is one.
fn reporting_verb(items: &[Item], i: usize) -> Option<usize> {
    let after = &items[i + 1..];
    after
        .iter()
        .take(4)
        // "journalists who had reported on the attack": a relative clause says who they are.
        .take_while(|x| {
            matches!(x.kind, ItemKind::Word | ItemKind::Actor(_))
                && !x.is_any(&["who", "which", "that", "whose"])
        })
        .enumerate()
        // "fighting with troops was reported": reported by others.
        .find(|&(k, x)| {
            x.is_any(REPORTING)
                && !(k > 0 && after[k - 1].is_any(&["was", "were", "is", "are", "been", "being"]))
        })
        .map(|(k, _)| i + 1 + k)
}

/// Whether the actor at item `i` reports what another side did: its verb is a reporting one
/// and the clause it reports has a subject of its own ("Police said gang members killed …"),
/// not a pronoun for the actor ("The army said it had killed 15 assailants").
pub(super) fn reports_other(items: &[Item], i: usize) -> bool {
    let Some(verb) = reporting_verb(items, i) else {
        return false;
    };
    !items[verb + 1..]
        .iter()
        .find(|x| !x.is_any(&["that", "on", "late", "earlier", "later"]))
        .is_some_and(|x| x.is_any(&["it", "they", "he", "she", "we", "its", "their"]))
}

/// ACLED never codes civilians as the side that acts. Civilians found as `actor1` are the
/// source of the report when a reporting verb stands between them and the trigger ("Residents
/// reported shelling"), and otherwise the side acted on: the roles swap ("civilians … fired on
/// by troops"). Civilians whose own verb is a reporting one are no side either ("… fighting
/// with government troops, residents and aid workers said").
pub(super) fn civilians_never_act(
    items: &[Item],
    (a1, a2): (Option<usize>, Option<usize>),
    ts: usize,
) -> (Option<usize>, Option<usize>) {
    let a2 = a2.filter(|&i| !is_reporter(items, i));
    let civilians = |i: Option<usize>| i.is_some_and(|i| items[i].inter == Some(Inter::Civilians));
    match a1 {
        Some(i) if civilians(a1) => {
            if i < ts && items[i + 1..ts].iter().any(|x| x.is_any(REPORTING)) {
                (None, a2)
            } else if civilians(a2) {
                // "Herders attacked farmers": the attackers are no civilians the dictionary
                // names; the victims are.
                (None, a2)
            } else {
                (a2, Some(i))
            }
        }
        _ => (a1, a2),
    }
}
