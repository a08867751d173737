//! Finding actor aliases in text: a byte trie searched the way a leftmost-longest, ASCII
//! case-insensitive Aho–Corasick automaton searches, skipping the insides of words.
//!
//! The automaton's matches are: the match that starts first wins, the longest alias starting
//! there is taken (the alias added first among equal spellings), and the search goes on after
//! its end — so a match the caller rejects still hides the ones it overlaps. The caller keeps
//! only matches on word boundaries, so a match that starts inside a word (a letter or digit
//! right after a letter or digit) is always rejected; it matters only if it hides a match that
//! is kept, which needs it to run past the end of its word. [`AliasTrie::find_iter`] therefore
//! tries every position that is not inside a word, and the positions inside a word only when
//! an alias could start there and run on past the word's end: when the text after the word
//! begins with the *tail* of some alias (what follows the alias's first word, "-Qaeda" of
//! "al-Qaeda", " rebels" of "Syrian rebels"). The matches it yields are those of the automaton,
//! less some that start inside a word.
//!
//! Building sorts the aliases and lays the trie out in one pass over them, each node after its
//! children (no failure links, which are what makes building an automaton of thousands of
//! aliases slow). The root, the nodes one or two bytes deep and the nodes with many children
//! have a dense table of transitions (both ASCII cases), so that the first steps of a walk, which
//! most walks never get past, read one table each; the others keep a short sorted list of
//! lower-case bytes. A transition names the node it leads to and whether a key ends there, so a
//! walk reads only transition tables.

use std::ops::Range;

use rustc_hash::FxHashSet;

/// No node: the target of a missing transition (the root is never a target).
const NO_NODE: u32 = 0;
/// Nodes up to this depth get a dense transition table.
const DENSE_DEPTH: usize = 2;
/// So do nodes with at least this many children.
const DENSE_CHILDREN: usize = 8;

/// A node as transitions name it: the index of its table shifted left by two, with bit 1 set
/// for a node with a sparse table (an index into [`Trie::sparse`]) rather than a dense one, and
/// bit 0 set when a key ends at the node. The root is the dense table 0, so that its state is
/// [`NO_NODE`], which no transition leads to.
type State = u32;

/// [`State`] bit of a node with a sparse table.
const SPARSE: State = 2;

/// A byte trie over keys compared ASCII case-insensitively.
#[derive(Debug, Clone)]
struct Trie {
    /// Dense transition tables, 256 entries each, indexed by the raw byte (both ASCII cases);
    /// the root's is the first.
    dense: Vec<State>,
    /// The key that ends at the node of each dense table (the first added of equal spellings),
    /// `u32::MAX` for none.
    dense_key: Vec<u32>,
    /// For each node with a sparse table: its edges in `edge_bytes` / `edge_next`, and the key
    /// that ends there as in `dense_key`.
    sparse: Vec<(Range<u32>, u32)>,
    /// Lower-cased edge bytes, sorted per node.
    edge_bytes: Vec<u8>,
    /// The state each edge leads to.
    edge_next: Vec<State>,
}

impl Trie {
    /// The trie of `keys`; key `i` is reported as `i`. An empty key never matches.
    fn new<'k>(keys: impl IntoIterator<Item = &'k str>) -> Trie {
        // The folded keys lie end to end in one buffer: key `i` is `folded[spans[i]]`.
        let mut folded: Vec<u8> = Vec::new();
        let mut spans: Vec<Range<usize>> = Vec::new();
        for k in keys {
            let from = folded.len();
            folded.extend_from_slice(k.as_bytes());
            folded[from..].make_ascii_lowercase();
            spans.push(from..folded.len());
        }
        // Keys in folded order, equal spellings in the order added: the keys below a node are a
        // run, those ending at it come first, and its children's runs follow in byte order.
        // Each led by its first bytes as a number, which orders most pairs without comparing
        // the slices.
        let mut order: Vec<(u128, &[u8], u32)> = spans
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let key = &folded[r.clone()];
                (leading_bytes(key), key, i as u32)
            })
            .collect();
        order.sort_unstable();
        let mut trie = Trie {
            // The root's table, filled last.
            dense: vec![NO_NODE; 256],
            dense_key: vec![u32::MAX],
            sparse: Vec::new(),
            edge_bytes: Vec::with_capacity(folded.len()),
            edge_next: Vec::with_capacity(folded.len()),
        };
        // One pass over the sorted keys: the nodes along the previous key are open (the root
        // first), each with the key that ends there and the start of its children in `kids`;
        // a node is laid out when the keys leave it, after its descendants, so that nodes are
        // laid out children first and siblings in byte order.
        let mut open: Vec<(u32, usize)> = vec![(u32::MAX, 0)];
        let mut kids: Vec<(u8, State)> = Vec::new();
        let mut prev: &[u8] = &[];
        for &(_, key, i) in &order {
            let common = prev.iter().zip(key).take_while(|(a, b)| a == b).count();
            trie.close(&mut open, &mut kids, prev, common);
            open.extend((common..key.len()).map(|_| (u32::MAX, kids.len())));
            // The first added of equal spellings ends here; an empty key nowhere.
            if let Some(top) = open.last_mut().filter(|_| !key.is_empty())
                && top.0 == u32::MAX
            {
                top.0 = i;
            }
            prev = key;
        }
        trie.close(&mut open, &mut kids, prev, 0);
        trie.lay_out(0, u32::MAX, &kids);
        trie
    }

    /// Lays out the open nodes (see [`Trie::new`]) deeper than `depth` along `path`, the
    /// deepest first, each as a child of the node above it.
    fn close(
        &mut self,
        open: &mut Vec<(u32, usize)>,
        kids: &mut Vec<(u8, State)>,
        path: &[u8],
        depth: usize,
    ) {
        while open.len() > depth + 1 {
            let d = open.len() - 1;
            let (key, mark) = open.pop().expect("below the root");
            let state = self.lay_out(d, key, &kids[mark..]);
            kids.truncate(mark);
            kids.push((path[d - 1], state));
        }
    }

    /// Lays out a node `depth` bytes deep where `key` ends (`u32::MAX` for none), with its
    /// `children` (in byte order), and returns its state.
    fn lay_out(&mut self, depth: usize, key: u32, children: &[(u8, State)]) -> State {
        let ends = State::from(key != u32::MAX);
        if depth <= DENSE_DEPTH || children.len() >= DENSE_CHILDREN {
            let index = if depth == 0 {
                0
            } else {
                self.dense.resize(self.dense.len() + 256, NO_NODE);
                self.dense_key.push(key);
                self.dense_key.len() - 1
            };
            let table = &mut self.dense[index * 256..(index + 1) * 256];
            for &(b, child) in children {
                table[b as usize] = child;
                table[b.to_ascii_uppercase() as usize] = child;
            }
            (index as State) << 2 | ends
        } else {
            let from = self.edge_bytes.len() as u32;
            for &(b, child) in children {
                self.edge_bytes.push(b);
                self.edge_next.push(child);
            }
            self.sparse.push((from..self.edge_bytes.len() as u32, key));
            ((self.sparse.len() - 1) as State) << 2 | SPARSE | ends
        }
    }

    /// The state reached from `state` by byte `b`, or [`NO_NODE`].
    #[inline]
    fn step(&self, state: State, b: u8) -> State {
        let index = (state >> 2) as usize;
        if state & SPARSE == 0 {
            return self.dense[index * 256 + b as usize];
        }
        let edges = &self.sparse[index].0;
        let (from, to) = (edges.start as usize, edges.end as usize);
        let b = b.to_ascii_lowercase();
        match self.edge_bytes[from..to].iter().position(|&c| c == b) {
            Some(k) => self.edge_next[from + k],
            None => NO_NODE,
        }
    }

    /// The key that ends at the node of `state`.
    fn key(&self, state: State) -> u32 {
        let index = (state >> 2) as usize;
        if state & SPARSE == 0 {
            self.dense_key[index]
        } else {
            self.sparse[index].1
        }
    }

    /// True when some key begins with byte `b`.
    #[inline]
    fn may_start(&self, b: u8) -> bool {
        // The root's table is the first.
        self.dense[b as usize] != NO_NODE
    }

    /// True when `hay` begins with a key.
    #[inline]
    fn any_prefix(&self, hay: &[u8]) -> bool {
        let mut state = 0;
        for &b in hay {
            state = self.step(state, b);
            if state == NO_NODE {
                return false;
            }
            if state & 1 == 1 {
                return true;
            }
        }
        false
    }

    /// The longest key `hay` begins with: its length and index.
    #[inline]
    fn longest_prefix(&self, hay: &[u8]) -> Option<(usize, usize)> {
        let mut state = 0;
        let mut best = None;
        for (i, &b) in hay.iter().enumerate() {
            state = self.step(state, b);
            if state == NO_NODE {
                break;
            }
            if state & 1 == 1 {
                best = Some((i + 1, state));
            }
        }
        best.map(|(len, state)| (len, self.key(state) as usize))
    }
}

/// The first 16 bytes of `key` as a big-endian number, zeros after its end: where the numbers of
/// two keys differ, they order the keys as comparing the keys does.
fn leading_bytes(key: &[u8]) -> u128 {
    let mut bytes = [0; 16];
    let n = key.len().min(16);
    bytes[..n].copy_from_slice(&key[..n]);
    u128::from_be_bytes(bytes)
}

/// The compiled alias matcher.
#[derive(Debug, Clone)]
pub(super) struct AliasTrie {
    aliases: Trie,
    /// The tails of the aliases that begin with a letter or digit: from their first character
    /// that is neither to the end.
    tails: Trie,
}

/// A match: byte range in the text and the index of the alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TrieMatch {
    pub start: usize,
    pub end: usize,
    pub alias: usize,
}

/// Letters and digits: what the word boundaries of aliases are tested on.
#[inline]
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The tail of an alias that begins with a letter or digit (see the module docs).
fn tail(alias: &str) -> Option<&str> {
    if !alias.chars().next().is_some_and(is_word_char) {
        return None;
    }
    alias
        .char_indices()
        .find(|&(_, c)| !is_word_char(c))
        .map(|(i, _)| &alias[i..])
}

/// The tails of `aliases`, each once: only whether text begins with one is asked of them, and
/// the aliases made of a demonym and a role noun share a few tails (" rebels") thousands of times.
fn distinct_tails<S: AsRef<str>>(aliases: &[S]) -> Vec<&str> {
    // Deduplicated before sorting: there are few distinct tails among many aliases.
    let distinct: FxHashSet<&str> = aliases.iter().filter_map(|a| tail(a.as_ref())).collect();
    let mut tails: Vec<&str> = distinct.into_iter().collect();
    tails.sort_unstable();
    tails
}

impl AliasTrie {
    /// The matcher of `aliases`; alias `i` is reported as `i`.
    pub fn new<S: AsRef<str>>(aliases: &[S]) -> AliasTrie {
        AliasTrie {
            aliases: Trie::new(aliases.iter().map(AsRef::as_ref)),
            tails: Trie::new(distinct_tails(aliases)),
        }
    }

    /// The matches in `text[range]` (offsets into `text`), left to right, without overlaps:
    /// those of the automaton, less some that start inside a word (see the module docs).
    pub fn find_iter<'h>(
        &'h self,
        text: &'h str,
        range: Range<usize>,
    ) -> impl Iterator<Item = TrieMatch> + 'h {
        let hay = &text.as_bytes()[..range.end];
        let mut pos = range.start;
        // Whether the character before `pos` is a letter or digit.
        let mut after_word = text[..pos].chars().next_back().is_some_and(is_word_char);
        // Every position before this one is tried (the inside of a word an alias may run out of).
        let mut try_until = range.start;
        std::iter::from_fn(move || {
            while pos < hay.len() {
                let (word, len) = char_at(text, pos);
                if word && after_word && pos >= try_until {
                    // Inside a word: try it only if an alias could run out of it.
                    let mut end = pos + len;
                    while end < hay.len() {
                        // ASCII letters and digits without decoding.
                        if hay[end].is_ascii_alphanumeric() {
                            end += 1;
                            continue;
                        }
                        match char_at(text, end) {
                            (true, len) => end += len,
                            (false, _) => break,
                        }
                    }
                    if end == hay.len()
                        || !self.tails.may_start(hay[end])
                        || !self.tails.any_prefix(&hay[end..])
                    {
                        pos = end;
                        continue;
                    }
                    try_until = end;
                }
                let start = pos;
                if !self.aliases.may_start(hay[start]) {
                    after_word = word;
                    pos += len;
                    continue;
                }
                if let Some((len, alias)) = self.aliases.longest_prefix(&hay[start..]) {
                    pos = start + len;
                    after_word = text[..pos].chars().next_back().is_some_and(is_word_char);
                    return Some(TrieMatch {
                        start,
                        end: pos,
                        alias,
                    });
                }
                after_word = word;
                pos += len;
            }
            None
        })
    }
}

/// Whether the character at byte `i` of `text` is a letter or digit, and its length in bytes.
#[inline]
fn char_at(text: &str, i: usize) -> (bool, usize) {
    let b = text.as_bytes()[i];
    if b.is_ascii() {
        (b.is_ascii_alphanumeric(), 1)
    } else {
        let c = text[i..].chars().next().unwrap_or(' ');
        (is_word_char(c), c.len_utf8())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasickBuilder, MatchKind};

    /// True when a match at `s` starts inside a word.
    fn inside(text: &str, s: usize) -> bool {
        text[s..].chars().next().is_some_and(is_word_char)
            && text[..s].chars().next_back().is_some_and(is_word_char)
    }

    /// The matches of the automaton the trie stands in for, less those inside a word.
    fn automaton(aliases: &[&str], hay: &str) -> Vec<TrieMatch> {
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(aliases)
            .unwrap();
        ac.find_iter(hay)
            .filter(|m| !inside(hay, m.start()))
            .map(|m| TrieMatch {
                start: m.start(),
                end: m.end(),
                alias: m.pattern().as_usize(),
            })
            .collect()
    }

    /// The trie's matches, less those inside a word.
    fn trie(aliases: &[&str], hay: &str) -> Vec<TrieMatch> {
        AliasTrie::new(aliases)
            .find_iter(hay, 0..hay.len())
            .filter(|m| !inside(hay, m.start))
            .collect()
    }

    /// Aliases, a text, and the matches `(start, end, alias)` outside words.
    type Case<'a> = (&'a [&'a str], &'a str, &'a [(usize, usize, usize)]);

    #[test]
    fn leading_bytes_order_keys_as_the_keys_do() {
        let keys: &[&[u8]] = &[
            b"",
            b"\0",
            b"\0\0",
            b"a",
            b"a\0",
            b"a\0b",
            b"ab",
            b"syrian forces",
            b"syrian rebels",
            b"palestinian force",
            b"palestinian forces",
            b"palestinian forcez",
            b"palestinian forc\0",
            b"palestinian forc",
            b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
        ];
        for a in keys {
            for b in keys {
                let (x, y) = (leading_bytes(a), leading_bytes(b));
                if x != y {
                    assert_eq!(x.cmp(&y), a.cmp(b), "{a:?} {b:?}");
                }
                if a == b {
                    assert_eq!(x, y);
                }
            }
        }
    }

    #[test]
    fn distinct_tails_table() {
        let cases: &[(&[&str], &[&str])] = &[
            (&[], &[]),
            (&["JNIM", "-Qaeda", "US"], &[]),
            (
                &["al-Qaeda", "Syrian rebels", "Iraqi rebels", "Syrian army"],
                &[" army", " rebels", "-Qaeda"],
            ),
            (&["Syrian Rebels", "Iraqi rebels"], &[" Rebels", " rebels"]),
        ];
        for (aliases, want) in cases {
            assert_eq!(distinct_tails(aliases), *want, "{aliases:?}");
        }
    }

    #[test]
    fn matches_table() {
        let cases: &[Case] = &[
            (&["us", "US troops"], "us troops", &[(0, 9, 1)]),
            (&["US", "us"], "Us", &[(0, 2, 0)]),
            // "the regime" inside "bathe" hides "regime".
            (&["the regime", "regime"], "bathe regime", &[]),
            (&["the regime", "regime"], "bathe  regime", &[(7, 13, 1)]),
            // "bcd e" would hide "e", but "abc" hides it.
            (&["abc", "bcd e", "e"], "abcd e", &[(0, 3, 0), (5, 6, 2)]),
            (&["bcd e", "e"], "abcd e", &[]),
            (&["ab", "bcd"], "ab abcd", &[(0, 2, 0), (3, 5, 0)]),
            (&["abcd", "bc"], "abce bce", &[(5, 7, 1)]),
            (
                &["é", "Émir"],
                "é Émir ÉMIR",
                &[(0, 2, 0), (3, 8, 1), (9, 14, 1)],
            ),
            (
                &["U.S.", "U.S. troops"],
                "U.S. troops, U.S.",
                &[(0, 11, 1), (13, 17, 0)],
            ),
            (&["a"], "", &[]),
        ];
        for (aliases, hay, want) in cases {
            let want: Vec<TrieMatch> = want
                .iter()
                .map(|&(start, end, alias)| TrieMatch { start, end, alias })
                .collect();
            assert_eq!(trie(aliases, hay), want, "{aliases:?} in {hay:?}");
            assert_eq!(automaton(aliases, hay), want, "{aliases:?} in {hay:?}");
        }
    }

    #[test]
    fn same_matches_as_the_automaton_on_random_text() {
        // A small alphabet makes overlaps, shared prefixes and equal spellings frequent.
        const ALPHABET: [&str; 7] = ["a", "B", "b", " ", "-", "é", "A"];
        fn word(len: usize, next: &mut dyn FnMut(usize) -> usize) -> String {
            (0..len).map(|_| ALPHABET[next(ALPHABET.len())]).collect()
        }
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..2000 {
            let n = 1 + next(12);
            let aliases: Vec<String> = (0..n)
                .map(|_| {
                    let len = 1 + next(5);
                    word(len, &mut next)
                })
                .collect();
            let aliases: Vec<&str> = aliases.iter().map(String::as_str).collect();
            let len = next(60);
            let hay = word(len, &mut next);
            assert_eq!(
                trie(&aliases, &hay),
                automaton(&aliases, &hay),
                "{aliases:?} in {hay:?}"
            );
        }
    }

    #[test]
    fn same_matches_as_the_automaton_with_the_default_dictionary() {
        let table = super::super::parse(&[("actors.tsv", super::super::DEFAULT_ACTORS)]).unwrap();
        let aliases: Vec<&str> = table.patterns.iter().map(String::as_str).collect();
        for text in [
            include_str!("../../../examples/articles/01-idlib-offensive.md"),
            include_str!("../../../examples/articles/02-el-fasher-siege.md"),
            include_str!("../../../examples/articles/05-sahel-attack.md"),
            "because the US-backed Syrian rebels, Iraqi troops and IS fighters; thebus",
        ] {
            assert_eq!(trie(&aliases, text), automaton(&aliases, text));
        }
    }
}
