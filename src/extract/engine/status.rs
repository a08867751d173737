//! Whether an event happened: the words before a trigger that make it failed, planned,
//! threatened or denied ("failed to reach", "plans to", "vowed to", "denied"), and aims stated
//! with "to" ("launched an offensive to retake Mosul").

use crate::extract::EventStatus;
use crate::extract::pattern::{Item, ItemKind};

const FAILED: &[&str] = &[
    "failed",
    "fail",
    "fails",
    "failing",
    "unable",
    "without",
    "never",
    "not",
    "t",
    "no",
    "collapsed",
    "cannot",
];
const PLANNED: &[&str] = &[
    "will",
    "would",
    "ll",
    "plans",
    "plan",
    "planned",
    "planning",
    "intends",
    "intend",
    "intended",
    "scheduled",
    "expected",
    "prepare",
    "preparing",
    "prepared",
    "aims",
    "aim",
    "seeks",
    "seek",
    "could",
    "might",
    "may",
    "proposed",
    "upcoming",
    "try",
    "trying",
    "hopes",
    "hope",
    "wants",
    "want",
    // Talks about it: "met in Cairo to discuss a six-week truce", "urged a ceasefire".
    "discuss",
    "discusses",
    "discussed",
    "discussing",
    "negotiate",
    "negotiating",
    "consider",
    "considering",
    "urged",
    "urges",
    "urging",
    "demanded",
    "demanding",
];
const THREATENED: &[&str] = &[
    "threatened",
    "threatens",
    "threaten",
    "threatening",
    "vowed",
    "vows",
    "vow",
    "warned",
    "warns",
    "ultimatum",
];
const DENIED: &[&str] = &[
    "denied",
    "denies",
    "deny",
    "denying",
    "refuted",
    "dismissed",
];

/// Status from the words shortly before a trigger (nearest cue wins).
pub(super) fn status_before(items: &[Item], ts: usize) -> EventStatus {
    status_within(items, ts, 7)
}

/// Base forms of event verbs: after "to" they state an aim ("launched an offensive to retake
/// Mosul"), not an event, unless a word of [`DONE_TO`] comes first.
const AIM_VERBS: &[&str] = &[
    "take",
    "retake",
    "capture",
    "recapture",
    "seize",
    "storm",
    "enter",
    "liberate",
    "free",
    "regain",
    "reclaim",
    "overrun",
    "clear",
    "occupy",
    "control",
    "secure",
    "attack",
    "strike",
    "bomb",
    "shell",
    "hit",
    "target",
    "kill",
    "break",
    "lift",
    "end",
    "besiege",
    "encircle",
    "surround",
    "sign",
    "protest",
    "march",
    "rally",
    "arrest",
    "detain",
    "abduct",
    "kidnap",
    "loot",
    "destroy",
    "burn",
];

/// Words before "to" + a verb that tell the event happened ("managed to retake", "continued to
/// take").
const DONE_TO: &[&str] = &[
    "managed",
    "able",
    "continued",
    "continues",
    "continue",
    "continuing",
    "began",
    "begun",
    "begin",
    "begins",
    "started",
    "starts",
    "went",
    "moved",
    "tried",
    "attempted",
    "sought",
    "used",
    "appeared",
    "seemed",
    "helped",
];

/// Status from the `window` items before `ts`.
pub(super) fn status_within(items: &[Item], ts: usize, window: usize) -> EventStatus {
    let from = ts.saturating_sub(window);
    // An aim ("to retake"), unless a word further back says more ("vowed to attack").
    let mut aim = false;
    for (i, it) in items[from..ts].iter().enumerate().rev() {
        if it.is_clause_break() {
            break;
        }
        if it.kind != ItemKind::Word {
            continue;
        }
        let w = it.text.as_ref();
        let at = from + i;
        if w == "to"
            && items.get(at + 1).is_some_and(|x| x.is_any(AIM_VERBS))
            && at
                .checked_sub(1)
                .is_some_and(|p| items[p].kind == ItemKind::Word && !items[p].is_any(DONE_TO))
        {
            aim = true;
            continue;
        }
        if DENIED.contains(&w) {
            return EventStatus::Denied;
        }
        if THREATENED.contains(&w) {
            return EventStatus::Threatened;
        }
        if FAILED.contains(&w) {
            return EventStatus::Failed;
        }
        if PLANNED.contains(&w) {
            return EventStatus::Planned;
        }
    }
    if aim {
        EventStatus::Planned
    } else {
        EventStatus::Occurred
    }
}
