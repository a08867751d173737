//! An index over a list of [`Pattern`]s that finds, for one sentence, the matches of all of
//! them at once, trying each pattern only at the positions where a match can begin.
//!
//! Every pattern gets a *start set*: the words its first matched item can be, and whether that
//! item can be an actor mention or the beginning of a place phrase (or anything at all, after a
//! leading gap). It also gets its *needs*: sets of words of which a sentence must contain one
//! each (one set per non-optional word step or group), and whether it needs an actor or a place.
//! The words of all patterns are numbered; one pass over a sentence's tokens looks each up once
//! (a hash of the whole word plus a few prefix comparisons), and the collapsed items of the
//! sentence reuse those lookups. A pattern is then tried only when the sentence has all it needs,
//! and only at the positions where its match can begin. The matches found are exactly those of
//! [`Pattern::find_all`] on each pattern in turn, in the same order.

use rustc_hash::FxHashMap;

use super::{Captures, DESCRIPTOR_NOUNS, Elem, Item, ItemKind, Pattern, Step, WordPat};

/// One match of one pattern of a [`PatternSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// Index of the pattern in the set.
    pub pattern: usize,
    /// First item of the match.
    pub start: usize,
    /// One past the last item of the match.
    pub end: usize,
    pub caps: Captures,
}

/// The pattern words each word or punctuation item of a sentence is, keyed by the item's byte
/// offset so that the collapsed items of a sentence can reuse what was found for its tokens.
#[derive(Debug, Default, Clone)]
pub struct ItemWords {
    /// `(item start, end of its ids in ids)`, in item order.
    items: Vec<(usize, u32)>,
    ids: Vec<u32>,
}

impl ItemWords {
    /// Room for the words of `items` items without growing (most items are one word or none).
    pub fn with_capacity(items: usize) -> ItemWords {
        ItemWords {
            items: Vec::with_capacity(items),
            ids: Vec::with_capacity(items),
        }
    }

    fn clear(&mut self) {
        self.items.clear();
        self.ids.clear();
    }

    /// Whether one of the items is one of the words of `mark`.
    pub fn has_any(&self, mark: &WordMark) -> bool {
        self.ids
            .iter()
            .any(|&id| mark.0.get(id as usize).copied().unwrap_or(false))
    }
}

/// Words numbered along with the words of a [`PatternSet`] ([`PatternSet::mark`]), so that
/// what [`PatternSet::words`] finds for a sentence tells whether it has one of them.
#[derive(Debug, Clone, Default)]
pub struct WordMark(Vec<bool>);

/// Reusable buffers for [`PatternSet::find_all`] (no allocation per sentence once warmed up).
#[derive(Debug, Default)]
pub struct Scratch {
    /// Sentence counter; `satisfied[c] == stamp` when condition `c` holds in the sentence.
    stamp: u32,
    satisfied: Vec<u32>,
    /// Candidate `(pattern << 32) | position` pairs.
    cands: Vec<u64>,
    actor_starts: Vec<u32>,
    place_starts: Vec<u32>,
    /// Positions of descriptor nouns ("town", "suburb") in the sentence.
    descriptors: Vec<u32>,
    /// Word ids of an item looked up again.
    ids: Vec<u32>,
    /// The conditions a sentence satisfies, each once ([`PatternSet::may_match`]).
    met: Vec<u32>,
}

impl Scratch {
    /// Starts a new sentence with room for `n_conds` conditions, none satisfied: the stamp that
    /// marks the conditions it satisfies.
    fn next_sentence(&mut self, n_conds: usize) -> u32 {
        if self.satisfied.len() < n_conds {
            self.satisfied.resize(n_conds, 0);
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.satisfied.fill(0);
            self.stamp = 1;
        }
        self.stamp
    }
}

/// What the first item of a non-empty match can be.
#[derive(Debug, Clone, Default, PartialEq)]
struct Start {
    words: Vec<WordPat>,
    /// An actor item, or a "the" right before one.
    actor: bool,
    place: bool,
    any: bool,
}

/// Adds the start set of a step sequence to `out`; true when the sequence can match nothing.
fn seq_start(steps: &[Step], out: &mut Start) -> bool {
    for s in steps {
        let nullable = elem_start(&s.elem, out) || s.optional;
        if !nullable {
            return false;
        }
    }
    true
}

/// Adds the start set of an element to `out`; true when the element can match nothing.
fn elem_start(elem: &Elem, out: &mut Start) -> bool {
    match elem {
        Elem::Words(pats) => {
            out.words.extend(pats.iter().cloned());
            false
        }
        Elem::Gap(_) => {
            out.any = true;
            true
        }
        Elem::Slot(..) => {
            out.actor = true;
            false
        }
        Elem::Place => {
            out.place = true;
            false
        }
        Elem::Group(alts) => {
            let mut nullable = false;
            for alt in alts {
                nullable |= seq_start(alt, out);
            }
            nullable
        }
    }
}

/// What a sentence must contain for a pattern to match in it: one word of each of `words`, an
/// actor item, a place item.
#[derive(Debug, Clone, Default, PartialEq)]
struct Needs {
    words: Vec<Vec<WordPat>>,
    actor: bool,
    place: bool,
}

/// The needs of a step sequence (every non-optional step must match).
fn seq_needs(steps: &[Step]) -> Needs {
    let mut n = Needs::default();
    for s in steps.iter().filter(|s| !s.optional) {
        match &s.elem {
            Elem::Words(pats) => n.words.push(pats.clone()),
            Elem::Gap(_) => {}
            Elem::Slot(..) => n.actor = true,
            Elem::Place => n.place = true,
            Elem::Group(alts) => {
                // One alternative matches: what all of them need, and a word set made of one
                // needed set of each alternative (the one least likely to be a common word).
                let alts: Vec<Needs> = alts.iter().map(|a| seq_needs(a)).collect();
                n.actor |= alts.iter().all(|a| a.actor);
                n.place |= alts.iter().all(|a| a.place);
                let picks: Option<Vec<&Vec<WordPat>>> = alts
                    .iter()
                    .map(|a| {
                        a.words.iter().max_by_key(|ws| {
                            // Prefer sets of long words; the first of equals.
                            let shortest = ws.iter().map(|w| w.text.len()).min().unwrap_or(0);
                            (shortest, std::cmp::Reverse(ws.len()))
                        })
                    })
                    .collect();
                if let Some(picks) = picks {
                    n.words.push(picks.into_iter().flatten().cloned().collect());
                }
            }
        }
    }
    n
}

/// The words of all patterns, numbered, in a byte trie: the walk along an item's text passes the
/// nodes of the prefixes it starts with and ends at the node of the text itself, so one walk finds
/// every word the item matches (usually within a byte or two, where the walk leaves the trie).
#[derive(Debug, Clone)]
struct WordIndex {
    /// The nodes; the root, the empty word, is the first.
    nodes: Vec<WordNode>,
    len: usize,
}

/// A node of the [`WordIndex`] trie: the word spelled by the bytes on the way to it.
#[derive(Debug, Clone)]
struct WordNode {
    /// `(byte, node)` of each child.
    children: Vec<(u8, u32)>,
    /// The children by byte ([`NO_ID`] for none), for the root and the nodes with many
    /// children, where most walks pass.
    table: Option<Box<[u32; 256]>>,
    /// Id of the word matched exactly, of the word as a prefix (`word*`), or [`NO_ID`].
    exact: u32,
    prefix: u32,
}

/// No node, no word.
const NO_ID: u32 = u32::MAX;

/// Nodes with this many children get a table of them.
const TABLE_CHILDREN: usize = 4;

impl WordNode {
    fn new() -> WordNode {
        WordNode {
            children: Vec::new(),
            table: None,
            exact: NO_ID,
            prefix: NO_ID,
        }
    }

    /// The child by byte `b`, or [`NO_ID`].
    #[inline]
    fn child(&self, b: u8) -> u32 {
        match &self.table {
            Some(t) => t[b as usize],
            None => match self.children.iter().find(|&&(c, _)| c == b) {
                Some(&(_, n)) => n,
                None => NO_ID,
            },
        }
    }

    fn add_child(&mut self, b: u8, node: u32) {
        self.children.push((b, node));
        if self.table.is_none() && self.children.len() >= TABLE_CHILDREN {
            self.table = Some(Box::new([NO_ID; 256]));
        }
        if let Some(t) = &mut self.table {
            for &(c, n) in &self.children {
                t[c as usize] = n;
            }
        }
    }
}

impl Default for WordIndex {
    fn default() -> WordIndex {
        let mut root = WordNode::new();
        root.table = Some(Box::new([NO_ID; 256]));
        WordIndex {
            nodes: vec![root],
            len: 0,
        }
    }
}

impl WordIndex {
    /// The id of `w`, numbered next if it is new.
    fn id(&mut self, w: &WordPat) -> u32 {
        let mut node = 0;
        for &b in w.text.as_bytes() {
            node = match self.nodes[node].child(b) {
                NO_ID => {
                    let new = self.nodes.len() as u32;
                    self.nodes.push(WordNode::new());
                    self.nodes[node].add_child(b, new);
                    new
                }
                n => n,
            } as usize;
        }
        let n = &mut self.nodes[node];
        let slot = if w.prefix {
            &mut n.prefix
        } else {
            &mut n.exact
        };
        if *slot == NO_ID {
            *slot = self.len as u32;
            self.len += 1;
        }
        *slot
    }

    /// Ids of the words `item` matches (as [`super::word_matches`] decides), appended to `out`.
    #[inline]
    fn lookup(&self, item: &Item, out: &mut Vec<u32>) {
        if !matches!(item.kind, ItemKind::Word | ItemKind::Punct) {
            return;
        }
        let t = item.text.as_bytes();
        let mut node = 0;
        let mut i = 0;
        loop {
            let n = &self.nodes[node];
            if n.prefix != NO_ID {
                out.push(n.prefix);
            }
            let Some(&b) = t.get(i) else {
                if n.exact != NO_ID {
                    out.push(n.exact);
                }
                return;
            };
            match n.child(b) {
                NO_ID => return,
                next => node = next as usize,
            }
            i += 1;
        }
    }
}

/// A pattern's start and needs, in ids.
#[derive(Debug, Clone, Default)]
struct Entry {
    /// Condition ids that must all hold.
    conds: Vec<u32>,
    actor: bool,
    place: bool,
}

/// Pattern lists of one side (patterns over plain words, or over collapsed mentions).
#[derive(Debug, Clone, Default)]
struct Side {
    /// Per word id: patterns whose match can begin with that word.
    anchored: Vec<Vec<u32>>,
    /// Patterns whose match can begin at an actor (or the "the" before one).
    actor: Vec<u32>,
    /// Patterns whose match can begin a place phrase.
    place: Vec<u32>,
    /// Patterns whose match can begin anywhere.
    any: Vec<u32>,
}

/// Patterns indexed by the items their matches can begin with. See the module docs.
#[derive(Debug, Clone)]
pub struct PatternSet {
    patterns: Vec<Pattern>,
    words: WordIndex,
    entries: Vec<Entry>,
    /// Per word id: the conditions it satisfies.
    conds_of: Vec<Vec<u32>>,
    n_conds: usize,
    /// Per condition: the patterns whose first condition it is.
    first_of: Vec<Vec<u32>>,
    /// Whether some pattern needs no word at all.
    wordless: bool,
    /// Per word id: true for the descriptor nouns of place phrases.
    descriptor: Vec<bool>,
    /// `sides[0]`: patterns without mentions; `sides[1]`: patterns with actors or places.
    sides: [Side; 2],
}

impl PatternSet {
    /// Indexes the patterns (their order is the order of [`PatternSet::find_all`]'s results).
    pub fn new(patterns: Vec<Pattern>) -> PatternSet {
        let mut words = WordIndex::default();
        let mut conds: FxHashMap<Vec<u32>, u32> = FxHashMap::default();
        let mut starts = Vec::with_capacity(patterns.len());
        let mut entries = Vec::with_capacity(patterns.len());
        for p in &patterns {
            let mut st = Start::default();
            if seq_start(&p.steps, &mut st) {
                // Where no element consumes, only empty matches start, and they never count;
                // stay conservative all the same.
                st.any = true;
            }
            let ws: Vec<u32> = st.words.iter().map(|w| words.id(w)).collect();
            starts.push((st, ws));
            let needs = seq_needs(&p.steps);
            let mut e = Entry {
                conds: Vec::new(),
                actor: needs.actor,
                place: needs.place,
            };
            for set in &needs.words {
                let mut ids: Vec<u32> = set.iter().map(|w| words.id(w)).collect();
                ids.sort_unstable();
                ids.dedup();
                let next = conds.len() as u32;
                let c = *conds.entry(ids).or_insert(next);
                if !e.conds.contains(&c) {
                    e.conds.push(c);
                }
            }
            entries.push(e);
        }
        let descriptor_ids: Vec<u32> = DESCRIPTOR_NOUNS
            .iter()
            .map(|n| {
                words.id(&WordPat {
                    text: (*n).into(),
                    prefix: false,
                })
            })
            .collect();
        let mut descriptor = vec![false; words.len];
        for &d in &descriptor_ids {
            descriptor[d as usize] = true;
        }
        let mut conds_of = vec![Vec::new(); words.len];
        for (ids, &c) in &conds {
            for &w in ids {
                conds_of[w as usize].push(c);
            }
        }
        for c in &mut conds_of {
            c.sort_unstable();
        }
        let mut first_of = vec![Vec::new(); conds.len()];
        for (pi, e) in entries.iter().enumerate() {
            if let Some(&c) = e.conds.first() {
                first_of[c as usize].push(pi as u32);
            }
        }
        let wordless = entries.iter().any(|e| e.conds.is_empty());
        let mut sides: [Side; 2] = Default::default();
        for side in &mut sides {
            side.anchored = vec![Vec::new(); words.len];
        }
        for (pi, (p, (st, ws))) in patterns.iter().zip(&starts).enumerate() {
            let side = &mut sides[usize::from(p.uses_mentions)];
            let pi = pi as u32;
            if st.any {
                side.any.push(pi);
                continue;
            }
            for &w in ws {
                if side.anchored[w as usize].last() != Some(&pi) {
                    side.anchored[w as usize].push(pi);
                }
            }
            if st.actor {
                side.actor.push(pi);
            }
            if st.place {
                side.place.push(pi);
            }
        }
        PatternSet {
            patterns,
            words,
            entries,
            conds_of,
            n_conds: conds.len(),
            first_of,
            wordless,
            descriptor,
            sides,
        }
    }

    /// Numbers `words` (lower-case words matched exactly) along with the patterns' words: the
    /// mark of an item that is one of them.
    pub fn mark(&mut self, words: &[&str]) -> WordMark {
        let ids: Vec<u32> = words
            .iter()
            .map(|w| {
                self.words.id(&WordPat {
                    text: (*w).into(),
                    prefix: false,
                })
            })
            .collect();
        // The tables per word id cover the new words, which no pattern has.
        let n = self.words.len;
        self.conds_of.resize(n, Vec::new());
        self.descriptor.resize(n, false);
        for side in &mut self.sides {
            side.anchored.resize(n, Vec::new());
        }
        let mut mark = vec![false; n];
        for id in ids {
            mark[id as usize] = true;
        }
        WordMark(mark)
    }

    /// The patterns, in order.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Looks up the words of `items` (a sentence's tokens) for [`PatternSet::find_all`].
    pub fn words(&self, items: &[Item], out: &mut ItemWords) {
        out.clear();
        for it in items {
            if matches!(it.kind, ItemKind::Word | ItemKind::Punct) {
                self.words.lookup(it, &mut out.ids);
                out.items.push((it.start, out.ids.len() as u32));
            }
        }
    }

    /// Whether some pattern may match in a sentence whose tokens have the pattern words `words`
    /// (what [`PatternSet::words`] found for them): whether it has a word of each set that some
    /// pattern needs. When it is false, [`PatternSet::find_all`] finds nothing over the tokens or
    /// over the items collapsed from them, whose words are among the tokens'.
    pub fn may_match(&self, words: &ItemWords, scratch: &mut Scratch) -> bool {
        if self.wordless {
            return true;
        }
        let stamp = scratch.next_sentence(self.n_conds);
        let sat = &mut scratch.satisfied;
        let met = &mut scratch.met;
        met.clear();
        for &id in &words.ids {
            for &c in &self.conds_of[id as usize] {
                if sat[c as usize] != stamp {
                    sat[c as usize] = stamp;
                    met.push(c);
                }
            }
        }
        met.iter().any(|&c| {
            self.first_of[c as usize].iter().any(|&p| {
                self.entries[p as usize]
                    .conds
                    .iter()
                    .all(|&c| sat[c as usize] == stamp)
            })
        })
    }

    /// Appends to `out` the matches over `items` of the patterns whose
    /// [`Pattern::uses_mentions`] equals `mentions`: for each such pattern in order, what
    /// [`Pattern::find_all`] finds, leftmost first. `words` is what [`PatternSet::words`] found
    /// for `items` or for the tokens they were collapsed from (words missing there are looked up
    /// again).
    pub fn find_all(
        &self,
        items: &[Item],
        words: &ItemWords,
        mentions: bool,
        scratch: &mut Scratch,
        out: &mut Vec<Match>,
    ) {
        let side = &self.sides[usize::from(mentions)];
        let sc = scratch;
        let stamp = sc.next_sentence(self.n_conds);
        sc.cands.clear();
        sc.actor_starts.clear();
        sc.descriptors.clear();
        let mut last_place = None;
        let mut w = 0; // next entry of `words`
        for (i, it) in items.iter().enumerate() {
            match it.kind {
                ItemKind::Actor(_) => {
                    if i > 0 && items[i - 1].is("the") {
                        sc.actor_starts.push(i as u32 - 1);
                    }
                    sc.actor_starts.push(i as u32);
                }
                ItemKind::Place(_) => last_place = Some(i),
                ItemKind::Word | ItemKind::Punct => {
                    while w < words.items.len() && words.items[w].0 < it.start {
                        w += 1;
                    }
                    let ids: &[u32] = if w < words.items.len() && words.items[w].0 == it.start {
                        let from = if w == 0 { 0 } else { words.items[w - 1].1 };
                        &words.ids[from as usize..words.items[w].1 as usize]
                    } else {
                        sc.ids.clear();
                        self.words.lookup(it, &mut sc.ids);
                        &sc.ids
                    };
                    if it.kind == ItemKind::Word
                        && ids.iter().any(|&id| self.descriptor[id as usize])
                    {
                        sc.descriptors.push(i as u32);
                    }
                    for &id in ids {
                        for &c in &self.conds_of[id as usize] {
                            sc.satisfied[c as usize] = stamp;
                        }
                        for &p in &side.anchored[id as usize] {
                            sc.cands.push(((p as u64) << 32) | i as u64);
                        }
                    }
                }
            }
        }
        let has_actor = !sc.actor_starts.is_empty();
        let has_place = last_place.is_some();
        let ok = |p: u32, sat: &[u32]| {
            let e = &self.entries[p as usize];
            (!e.actor || has_actor)
                && (!e.place || has_place)
                && e.conds.iter().all(|&c| sat[c as usize] == stamp)
        };
        if has_actor {
            for &p in &side.actor {
                if ok(p, &sc.satisfied) {
                    for &a in &sc.actor_starts {
                        sc.cands.push(((p as u64) << 32) | a as u64);
                    }
                }
            }
        }
        if let Some(last) = last_place
            && !side.place.is_empty()
        {
            place_starts(items, last, &sc.descriptors, &mut sc.place_starts);
            for &p in &side.place {
                if ok(p, &sc.satisfied) {
                    for &i in &sc.place_starts {
                        sc.cands.push(((p as u64) << 32) | i as u64);
                    }
                }
            }
        }
        for &p in &side.any {
            if ok(p, &sc.satisfied) {
                for i in 0..items.len() {
                    sc.cands.push(((p as u64) << 32) | i as u64);
                }
            }
        }
        sc.cands.sort_unstable();
        sc.cands.dedup();
        let mut k = 0;
        while k < sc.cands.len() {
            let p = (sc.cands[k] >> 32) as usize;
            let mut next = k;
            while next < sc.cands.len() && (sc.cands[next] >> 32) as usize == p {
                next += 1;
            }
            if ok(p as u32, &sc.satisfied) {
                let pat = &self.patterns[p];
                let mut cursor = 0;
                for &c in &sc.cands[k..next] {
                    let i = (c & 0xffff_ffff) as usize;
                    if i < cursor {
                        continue;
                    }
                    if let Some((end, caps)) = pat.match_at(items, i)
                        && end > i
                    {
                        out.push(Match {
                            pattern: p,
                            start: i,
                            end,
                            caps,
                        });
                        cursor = end;
                    }
                }
            }
            k = next;
        }
    }
}

/// Positions where a place phrase ([`super::match_place`]) can begin, ascending, given that the
/// last place item is at `last_place` and the descriptor nouns at `descriptors` (ascending): up
/// to two items before a place item ("the northern X"), or up to six before a descriptor noun
/// followed by "of" ("the divided city of X").
fn place_starts(items: &[Item], last_place: usize, descriptors: &[u32], out: &mut Vec<u32>) {
    out.clear();
    let push_window = |from: usize, to: usize, out: &mut Vec<u32>| {
        // Windows arrive with increasing `to`; keep `out` ascending and unique.
        let from = match out.last() {
            Some(&l) => from.max(l as usize + 1),
            None => from,
        };
        for i in from..=to {
            out.push(i as u32);
        }
    };
    let mut d = descriptors.iter().peekable();
    for (n, it) in items.iter().enumerate().take(last_place + 1) {
        let is_descriptor = d.next_if(|&&x| x as usize == n).is_some();
        match it.kind {
            ItemKind::Place(_) => push_window(n.saturating_sub(2), n, out),
            ItemKind::Word if is_descriptor && items.get(n + 1).is_some_and(|x| x.is("of")) => {
                push_window(n.saturating_sub(6), n, out)
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Items of a sentence where `[A:kind]` marks an actor and `[P]` a place (one item each).
    fn items(s: &str) -> Vec<Item<'static>> {
        let mut out = Vec::new();
        let (mut na, mut np) = (0, 0);
        for (n, w) in s.split_whitespace().enumerate() {
            let (kind, inter) =
                if let Some(k) = w.strip_prefix("[A:").and_then(|k| k.strip_suffix(']')) {
                    na += 1;
                    (ItemKind::Actor(na - 1), super::super::parse_inter(k))
                } else if w == "[P]" {
                    np += 1;
                    (ItemKind::Place(np - 1), None)
                } else if w.chars().all(char::is_alphanumeric) {
                    (ItemKind::Word, None)
                } else {
                    (ItemKind::Punct, None)
                };
            out.push(Item {
                kind,
                text: w.to_lowercase().into(),
                start: n * 10,
                end: n * 10 + w.len(),
                inter,
            });
        }
        out
    }

    /// A test sentence's items, and the tokens its mentions were collapsed from (each bracketed
    /// mention becomes one plain word, so the other words keep their offsets).
    fn sentence_items(sentence: &str) -> (Vec<Item<'static>>, Vec<Item<'static>>) {
        let s = sentence.replace("sit-in", "sit - in");
        let plain: Vec<&str> = s
            .split_whitespace()
            .map(|w| if w.starts_with('[') { "x" } else { w })
            .collect();
        (items(&s), items(&plain.join(" ")))
    }

    fn naive(patterns: &[Pattern], items: &[Item], mentions: bool) -> Vec<Match> {
        let mut out = Vec::new();
        for (pi, p) in patterns.iter().enumerate() {
            if p.uses_mentions != mentions {
                continue;
            }
            for (start, end, caps) in p.find_all(items) {
                out.push(Match {
                    pattern: pi,
                    start,
                    end,
                    caps,
                });
            }
        }
        out
    }

    const PATTERNS: &[&str] = &[
        "clash*",
        "air strike*",
        "(exchange|exchanges|exchanged) (of fire|fire)",
        "made (new)? gains",
        "killed ~3 soldiers",
        "~2 fire",
        "(the)? siege of #place",
        "@ctrl ~4 (captured|seized) (control of)? #place from @prev",
        "#place ~3 (was|were) ~1 (captured|taken) by @ctrl",
        "#place ~2 (fell|falls) (to|into the hands of) @ctrl",
        "(besieged|encircled) #place",
        "@siege:state (besieged|encircled) #place",
        "(killed|shot) ~3 @a2:civ",
        "@a2:civ ~3 (were|was) ~2 (killed|shot)",
        "sit - in*",
        "*",
        "protest* (in|at)? #place?",
        "(a|b)? (c)? d",
    ];

    const SENTENCES: &[&str] = &[
        "the air strikes hit [P] and clashes followed .",
        "they exchanged fire near the northern town of [P] , then made new gains",
        "[A:state] captured control of [P] from [A:rebel] on monday",
        "[A:state] captured the [P] from the [A:rebel] ; [P] was captured by [A:rebel]",
        "[P] fell into the hands of [A:rebel] after the siege of the divided city of [P]",
        "[A:state] besieged [P] while [A:pmil] encircled the [P]",
        "gunmen killed at least 3 soldiers and shot two [A:civ]",
        "[A:civ] were reportedly killed in [P]",
        "a sit-in and protests at [P] and a protest",
        "a b c d , a d , c d , d d",
        "fire fire fire ; the siege of the outskirts of the eastern part of [P]",
        "",
        "[P] [P] [P]",
        "clashclash clash - clashes",
    ];

    #[test]
    fn indexed_matches_equal_naive_matches() {
        let patterns: Vec<Pattern> = PATTERNS
            .iter()
            .map(|p| Pattern::parse(p).unwrap())
            .collect();
        let set = PatternSet::new(patterns.clone());
        let mut scratch = Scratch::default();
        let mut words = ItemWords::default();
        let mut found_any = 0;
        for s in SENTENCES {
            let (its, tokens) = sentence_items(s);
            for mentions in [false, true] {
                let want = naive(&patterns, &its, mentions);
                found_any += want.len();
                for from in [&its[..], &tokens[..], &[]] {
                    let mut got = Vec::new();
                    set.words(from, &mut words);
                    set.find_all(&its, &words, mentions, &mut scratch, &mut got);
                    assert_eq!(got, want, "{s:?} (mentions: {mentions})");
                }
            }
        }
        assert!(
            found_any > 30,
            "the cases should exercise matches ({found_any})"
        );
    }

    #[test]
    fn default_data_indexed_equals_naive() {
        let lines: Vec<&str> = crate::extract::engine::DEFAULT_TRIGGERS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .flat_map(|l| l.split('\t').nth(4).unwrap_or("").split(';'))
            .chain(
                crate::extract::engine::DEFAULT_CONTROL
                    .lines()
                    .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                    .filter_map(|l| l.split('\t').nth(3)),
            )
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let patterns: Vec<Pattern> = lines.iter().map(|p| Pattern::parse(p).unwrap()).collect();
        let set = PatternSet::new(patterns.clone());
        let mut scratch = Scratch::default();
        let mut words = ItemWords::default();
        for s in SENTENCES.iter().chain(&[
            "[A:state] took full control of [P] from [A:rebel] after heavy fighting",
            "[P] , a suburb of [P] , was retaken by [A:state] on sunday",
            "[A:rebel] lifted the siege of [P] , a town held by [A:state]",
            "a suicide car bomb exploded in [P] , killing 12 [A:civ]",
            "[A:protesters] staged a sit - in at [P] ; police fired tear gas",
        ]) {
            let its = items(s);
            for mentions in [false, true] {
                let mut got = Vec::new();
                set.words(&its, &mut words);
                set.find_all(&its, &words, mentions, &mut scratch, &mut got);
                assert_eq!(got, naive(&patterns, &its, mentions), "{s:?}");
            }
        }
    }

    #[test]
    fn may_match_whenever_a_pattern_matches() {
        // Without "*", which any word matches, and the leading gap of "~2 fire".
        let patterns: Vec<Pattern> = PATTERNS
            .iter()
            .filter(|p| !p.starts_with('*'))
            .map(|p| Pattern::parse(p).unwrap())
            .collect();
        let set = PatternSet::new(patterns.clone());
        let mut scratch = Scratch::default();
        let mut words = ItemWords::default();
        for s in SENTENCES {
            let (its, tokens) = sentence_items(s);
            set.words(&tokens, &mut words);
            let any = [false, true]
                .iter()
                .any(|&m| !naive(&patterns, &its, m).is_empty());
            assert!(!any || set.may_match(&words, &mut scratch), "{s:?}");
        }
        // What the words of a sentence allow (a pattern needs one word of each of its sets).
        let cases: &[(&str, bool)] = &[
            ("", false),
            ("the air was still", false),
            ("a strike in [P]", false),
            ("an air strike", true),
            ("air and a strikes", true),
            ("made gains", true),
            ("made no progress", false),
            ("they exchanged views", false),
            ("an exchange of fire", true),
            ("[A:state] besieged [P]", true),
            ("the town fell", false),
            ("the town fell into the hands of", true),
            ("fire", true),
            ("d", true),
            ("a b c", false),
        ];
        for (s, want) in cases {
            set.words(&items(s), &mut words);
            assert_eq!(set.may_match(&words, &mut scratch), *want, "{s:?}");
        }
        // A pattern without words may match anywhere.
        let wordless = PatternSet::new(vec![Pattern::parse("@a1 ~3 #place").unwrap()]);
        wordless.words(&items("a b c"), &mut words);
        assert!(wordless.may_match(&words, &mut scratch));
    }

    #[test]
    fn marked_words() {
        let mut set = PatternSet::new(vec![
            Pattern::parse("held hostage*").unwrap(),
            Pattern::parse("talk* (in|at) #place").unwrap(),
        ]);
        let mark = set.mark(&["talks", "held", "met"]);
        let mut words = ItemWords::default();
        let cases: &[(&str, bool)] = &[
            ("", false),
            ("talks in [P]", true),
            ("the talk in [P]", false),
            ("they met", true),
            ("they held [A:civ] hostage", true),
            ("meeting", false),
            ("hostages were held", true),
            ("met - in", true),
            ("[P] talks", true),
        ];
        for (s, want) in cases {
            set.words(&items(s), &mut words);
            assert_eq!(words.has_any(&mark), *want, "{s:?}");
        }
        // The patterns match as they did.
        let mut scratch = Scratch::default();
        let its = items("talks in [P] , 3 held hostage");
        set.words(&its, &mut words);
        let mut got = Vec::new();
        set.find_all(&its, &words, false, &mut scratch, &mut got);
        set.find_all(&its, &words, true, &mut scratch, &mut got);
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn word_index_finds_the_words_an_item_matches() {
        let pats: Vec<WordPat> = [
            "air",
            "air*",
            "airstrike*",
            "a*",
            "a",
            "*",
            "-",
            "é*",
            "sit",
            "strike*",
            "air",
            "a*",
            "strikes",
            "s",
        ]
        .iter()
        .map(|w| wp(w))
        .collect();
        let mut index = WordIndex::default();
        let ids: Vec<u32> = pats.iter().map(|w| index.id(w)).collect();
        // Numbered in order, equal words alike.
        assert_eq!(ids, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 3, 10, 11]);
        for text in [
            "",
            "a",
            "air",
            "airs",
            "airstrike",
            "airstrikes",
            "ai",
            "b",
            "-",
            "é",
            "éa",
            "sit",
            "sits",
            "strike",
            "strikes",
            "s",
            "x-",
            "ä",
        ] {
            for kind in [ItemKind::Word, ItemKind::Punct, ItemKind::Place(0)] {
                let item = Item {
                    kind,
                    text: text.into(),
                    start: 0,
                    end: text.len(),
                    inter: None,
                };
                let mut got = Vec::new();
                index.lookup(&item, &mut got);
                got.sort_unstable();
                let mut want: Vec<u32> = pats
                    .iter()
                    .zip(&ids)
                    .filter(|(w, _)| super::super::word_matches(std::slice::from_ref(*w), &item))
                    .map(|(_, &id)| id)
                    .collect();
                want.sort_unstable();
                want.dedup();
                assert_eq!(got, want, "{text:?} as {kind:?}");
            }
        }
    }

    fn wp(w: &str) -> WordPat {
        match w.strip_suffix('*') {
            Some(p) => WordPat {
                text: p.into(),
                prefix: true,
            },
            None => WordPat {
                text: w.into(),
                prefix: false,
            },
        }
    }

    #[test]
    fn needs() {
        let cases: &[(&str, &[&[&str]], bool, bool)] = &[
            ("made (new)? gains", &[&["made"], &["gains"]], false, false),
            ("air strike*", &[&["air"], &["strike*"]], false, false),
            // "fall" stands for "the fall": a sentence with it has both or neither.
            (
                "(the fall|capture) of #place (to|by) @ctrl",
                &[&["fall", "capture"], &["of"], &["to", "by"]],
                true,
                true,
            ),
            (
                "#place ~2 (is|was) (contested)?",
                &[&["is", "was"]],
                false,
                true,
            ),
            ("(a|b @a1) c", &[&["a", "b"], &["c"]], false, false),
            ("(~2|b) c", &[&["c"]], false, false),
            ("@a1 ~3 (@a2|#place)", &[], true, false),
        ];
        for (src, words, actor, place) in cases {
            let p = Pattern::parse(src).unwrap();
            let want = Needs {
                words: words
                    .iter()
                    .map(|ws| ws.iter().map(|w| wp(w)).collect())
                    .collect(),
                actor: *actor,
                place: *place,
            };
            assert_eq!(seq_needs(&p.steps), want, "{src:?}");
        }
    }

    #[test]
    fn start_sets() {
        let cases: &[(&str, Start)] = &[
            (
                "made (new)? gains",
                Start {
                    words: vec![WordPat {
                        text: "made".into(),
                        prefix: false,
                    }],
                    ..Start::default()
                },
            ),
            (
                "(the)? siege",
                Start {
                    words: vec![
                        WordPat {
                            text: "the".into(),
                            prefix: false,
                        },
                        WordPat {
                            text: "siege".into(),
                            prefix: false,
                        },
                    ],
                    ..Start::default()
                },
            ),
            (
                "@ctrl took",
                Start {
                    actor: true,
                    ..Start::default()
                },
            ),
            (
                "#place fell",
                Start {
                    place: true,
                    ..Start::default()
                },
            ),
            (
                "~2 fire",
                Start {
                    words: vec![WordPat {
                        text: "fire".into(),
                        prefix: false,
                    }],
                    any: true,
                    ..Start::default()
                },
            ),
        ];
        for (src, want) in cases {
            let p = Pattern::parse(src).unwrap();
            let mut st = Start::default();
            seq_start(&p.steps, &mut st);
            assert_eq!(&st, want, "{src:?}");
        }
    }
}
