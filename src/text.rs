//! Text utilities shared by every later stage: word tokens, sentence boundaries, and conversion
//! between UTF-8 byte offsets (what Rust slices use) and Unicode code-point offsets (what Python
//! and the geoparsing corpora use).
//!
//! Everything here works on the original document text and returns byte ranges into it, so a
//! mention found in a token or sentence can always be traced back to the exact bytes it came from.
//!
//! ```
//! use eventmap::text::{sentences, tokens, CharOffsets};
//!
//! let text = "Daraya fell. Aleppo is besieged.";
//! let s: Vec<&str> = sentences(text).iter().map(|r| &text[r.clone()]).collect();
//! assert_eq!(s, ["Daraya fell.", "Aleppo is besieged."]);
//!
//! let words: Vec<&str> = tokens(text).iter().filter(|t| t.is_word()).map(|t| t.as_str(text)).collect();
//! assert_eq!(words[..2], ["Daraya", "fell"]);
//!
//! let t = "Dārayyā, Syria";
//! let mut offsets = CharOffsets::new(t);
//! assert_eq!(offsets.char_offset(t.find("Syria").unwrap()), 9);
//! ```

use std::ops::Range;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters and digits (any script), e.g. `Aleppo`, `48`, `داريا`.
    Word,
    /// A single punctuation or symbol character, e.g. `.`, `’`, `-`.
    Punct,
}

/// A token: a byte range into the text and its kind. Whitespace is never a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// Word or punctuation.
    pub kind: TokenKind,
}

impl Token {
    /// True for word tokens.
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    /// The token's text.
    pub fn as_str<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// True for characters that belong inside a word token.
#[inline]
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Combining marks (Arabic harakat, Latin combining accents) stay inside words.
#[inline]
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED)
}

/// Splits text into word and punctuation tokens (whitespace dropped).
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5);
    for_each_token(text, |t| out.push(t));
    out
}

/// Calls `f` with each token of [`tokens`], in order, without collecting them.
pub fn for_each_token(text: &str, mut f: impl FnMut(Token)) {
    for_each_token_with_facts(text, |t, _| f(t));
}

/// What the tokenizer learns about a token while scanning it, so later stages need not look at
/// its bytes again: a set of the flag bits below, which a caller may keep as they are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenFacts(u8);

impl TokenFacts {
    /// A word token (else punctuation).
    pub const WORD: u8 = 1;
    /// A word whose first character is upper-case or in a script without case ("Aleppo",
    /// "داريا"); never punctuation.
    pub const CAP: u8 = 1 << 1;
    /// A word whose cased characters are all upper-case, with at least one of them ("UN",
    /// "F16"); never punctuation.
    pub const ALL_CAPS: u8 = 1 << 2;
    /// A line break (`\n`) among the bytes skipped since the previous token.
    pub const NEWLINE_BEFORE: u8 = 1 << 6;

    /// The facts' bits.
    #[inline]
    pub fn bits(self) -> u8 {
        self.0
    }

    /// [`TokenFacts::CAP`].
    pub fn cap(self) -> bool {
        self.0 & Self::CAP != 0
    }

    /// [`TokenFacts::ALL_CAPS`].
    pub fn all_caps(self) -> bool {
        self.0 & Self::ALL_CAPS != 0
    }

    /// [`TokenFacts::NEWLINE_BEFORE`].
    #[inline]
    pub fn newline_before(self) -> bool {
        self.0 & Self::NEWLINE_BEFORE != 0
    }
}

/// `bit` if `on`, else 0.
#[inline(always)]
fn bit_if(on: bool, bit: u8) -> u8 {
    u8::from(on) * bit
}

/// [`BYTE_CLASS`] bit of an upper-case ASCII letter.
const UPPER: u8 = 1;
/// [`BYTE_CLASS`] bit of a lower-case ASCII letter.
const LOWER: u8 = 2;
/// [`BYTE_CLASS`] bit of an ASCII digit.
const DIGIT: u8 = 4;
/// [`BYTE_CLASS`] bits of bytes that belong inside a word.
const WORD: u8 = UPPER | LOWER | DIGIT;
/// [`BYTE_CLASS`] of ASCII whitespace (other than `\n`) and control characters: skipped.
const SKIP: u8 = 8;
/// [`BYTE_CLASS`] of `\n`: skipped, but remembered for the next token.
const NEWLINE: u8 = 16;
/// [`BYTE_CLASS`] of ASCII punctuation and symbols: one token each.
const PUNCT: u8 = 32;
/// [`BYTE_CLASS`] of bytes 0x80–0xFF: the character must be decoded.
const NON_ASCII: u8 = 64;

/// The class of every byte, so that the tokenizer handles an ASCII byte with one table load.
const BYTE_CLASS: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_uppercase() {
            UPPER
        } else if c.is_ascii_lowercase() {
            LOWER
        } else if c.is_ascii_digit() {
            DIGIT
        } else if c == b'\n' {
            NEWLINE
        } else if c.is_ascii_whitespace() || c.is_ascii_control() {
            SKIP
        } else {
            PUNCT
        };
        b += 1;
    }
    t
};

/// [`for_each_token`], also passing each token's [`TokenFacts`].
///
/// ```
/// use eventmap::text::for_each_token_with_facts;
///
/// let text = "UN envoy\nin Aleppo";
/// let mut caps = Vec::new();
/// for_each_token_with_facts(text, |t, f| caps.push((t.as_str(text), f.cap(), f.all_caps(), f.newline_before())));
/// assert_eq!(caps, [("UN", true, true, false), ("envoy", false, false, false),
///                   ("in", false, false, true), ("Aleppo", true, false, false)]);
/// ```
#[inline]
pub fn for_each_token_with_facts(text: &str, mut f: impl FnMut(Token, TokenFacts)) {
    // One call site, so that `f` is inlined into the loop.
    let mut tokenizer = Tokenizer::new(text);
    while let Some((token, facts)) = tokenizer.next_token() {
        f(token, facts);
    }
}

/// The tokens of a text with their [`TokenFacts`], in order.
///
/// The text is read in blocks of [`BLOCK`] bytes, each classified at once into bit masks
/// ([`classify`]). The tokens of a block's ASCII stretches come out of the masks with a few bit
/// operations per token, whatever their length; tokens that touch a non-ASCII byte, and words
/// longer than a block, are read a character at a time ([`scalar_token`]).
struct Tokenizer<'t> {
    text: &'t str,
    /// Byte offset of the current block.
    base: usize,
    /// What the block's bytes are.
    masks: BlockMasks,
    /// Offset in the block where the current stretch ends: its first non-ASCII byte from where
    /// the stretch starts, or [`BLOCK`].
    hole: usize,
    /// Bits of the tokens of the stretch not yet passed on.
    starts: u64,
    /// Bits of the line breaks of the stretch not yet accounted for in `newline`.
    newlines: u64,
    /// [`BlockMasks::word`] with every bit from the hole on set.
    words: u64,
    /// A line break came since the last token.
    newline: bool,
}

impl<'t> Tokenizer<'t> {
    /// A tokenizer at the start of `text`.
    fn new(text: &'t str) -> Self {
        let mut t = Tokenizer {
            text,
            base: 0,
            masks: BlockMasks::default(),
            hole: 0,
            starts: 0,
            newlines: 0,
            words: 0,
            newline: false,
        };
        t.start_block(0);
        t
    }

    /// Classifies the block at byte `base` (at most the text's length) and starts its first
    /// stretch.
    #[inline(always)]
    fn start_block(&mut self, base: usize) {
        let bytes = self.text.as_bytes();
        self.base = base;
        self.masks = match bytes.get(base..base + BLOCK) {
            Some(block) => classify(block.try_into().expect("a block")),
            None => {
                // The last bytes, padded with spaces: the end of the text ends a word as a space
                // does.
                let mut block = [b' '; BLOCK];
                block[..bytes.len() - base].copy_from_slice(&bytes[base..]);
                classify(&block)
            }
        };
        self.start_stretch(0);
    }

    /// Starts the stretch of the current block at offset `o` (below [`BLOCK`]), which is not
    /// inside a token.
    #[inline(always)]
    fn start_stretch(&mut self, o: usize) {
        let m = &self.masks;
        let from_o = !0u64 << o;
        self.hole = (m.non_ascii & from_o).trailing_zeros() as usize;
        let stretch = from_o & low_bits(self.hole);
        self.starts = (m.word & !(m.word << 1) | m.punct) & stretch;
        self.newlines = m.newline & stretch;
        // From the hole on, every byte counts as a word's: a word that reaches the hole runs
        // to the block's end, so one test tells that it may go on.
        self.words = m.word | !stretch;
    }

    /// Notes the line breaks of the stretch before offset `o` in `newline`.
    #[inline(always)]
    fn newlines_before(&mut self, o: usize) {
        let before = low_bits(o);
        self.newline |= self.newlines & before != 0;
        self.newlines &= !before;
    }

    /// The next token and its facts. Inlined, so that the tokenizer's state stays in registers
    /// in the caller's loop.
    #[inline(always)]
    fn next_token(&mut self) -> Option<(Token, TokenFacts)> {
        loop {
            // Where the stretch stops: the start of a word that may go on past it, or its end.
            let stop = 'stop: {
                if self.starts == 0 {
                    break 'stop self.hole;
                }
                let m = &self.masks;
                let s = self.starts.trailing_zeros() as usize;
                let bit = 1u64 << s;
                let (end, kind, bits) = if m.punct & bit != 0 {
                    (s + 1, TokenKind::Punct, 0)
                } else {
                    // The word ends at the first byte after `s` that is no ASCII letter or digit.
                    let end = s + (!(self.words >> s)).trailing_zeros() as usize;
                    if end == BLOCK {
                        // It may go on past the block or through a non-ASCII letter.
                        self.starts = 0;
                        break 'stop s;
                    }
                    let word = ((1u64 << end) - 1) & bit.wrapping_neg();
                    let all_caps = m.upper & word != 0 && m.lower & word == 0;
                    let cap = (m.upper >> s) as u8 & 1;
                    let bits = TokenFacts::WORD
                        | (cap * TokenFacts::CAP)
                        | bit_if(all_caps, TokenFacts::ALL_CAPS);
                    (end, TokenKind::Word, bits)
                };
                self.starts &= self.starts - 1;
                // Line breaks before the token.
                let newline = std::mem::take(&mut self.newline) || self.newlines & (bit - 1) != 0;
                self.newlines &= bit.wrapping_neg();
                let facts = TokenFacts(bits | bit_if(newline, TokenFacts::NEWLINE_BEFORE));
                let token = Token {
                    start: self.base + s,
                    end: self.base + end,
                    kind,
                };
                return Some((token, facts));
            };
            self.newlines_before(stop);
            let next_block = self.base + BLOCK;
            if stop == BLOCK {
                if next_block >= self.text.len() {
                    return None;
                }
                self.start_block(next_block);
            } else if self.hole == BLOCK && stop > 0 {
                // A word running past the block: the next block starts with it.
                self.start_block(self.base + stop);
            } else {
                // A token at a non-ASCII byte, or a word longer than a block.
                let newline = std::mem::take(&mut self.newline);
                let (token, facts) = scalar_token(self.text, self.base + stop, newline)?;
                if token.end < next_block {
                    self.start_stretch(token.end - self.base);
                } else {
                    self.start_block(token.end);
                }
                return Some((token, facts));
            }
        }
    }
}

/// Bytes classified at once by [`classify`].
const BLOCK: usize = 64;

/// What each byte of a block of [`BLOCK`] bytes is: bit `k` of each mask is about byte `k`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct BlockMasks {
    /// ASCII letters and digits.
    word: u64,
    /// Upper-case ASCII letters.
    upper: u64,
    /// Lower-case ASCII letters.
    lower: u64,
    /// `\n`.
    newline: u64,
    /// ASCII punctuation and symbols.
    punct: u64,
    /// Bytes 0x80–0xFF.
    non_ascii: u64,
}

/// The [`BlockMasks`] of a block.
#[cfg(target_arch = "x86_64")]
#[inline]
fn classify(block: &[u8; BLOCK]) -> BlockMasks {
    // SAFETY: every x86_64 processor has SSE2.
    unsafe { classify_sse2(block) }
}

/// The [`BlockMasks`] of a block, sixteen bytes at a time.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn classify_sse2(block: &[u8; BLOCK]) -> BlockMasks {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8, _mm_slli_epi16,
    };
    /// Lanes of `v` from `lo` to `hi`: shifted so that the range starts at -128, one signed
    /// comparison tells them apart.
    #[target_feature(enable = "sse2")]
    fn in_range(v: __m128i, lo: u8, hi: u8) -> __m128i {
        let shifted = _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8));
        _mm_cmpgt_epi8(
            _mm_set1_epi8((0x80 + (hi - lo) as u32 + 1) as u8 as i8),
            shifted,
        )
    }
    /// One bit per lane: its top bit.
    #[target_feature(enable = "sse2")]
    fn bits(v: __m128i) -> u64 {
        u64::from(_mm_movemask_epi8(v) as u16)
    }
    let mut m = BlockMasks::default();
    for (k, chunk) in block.chunks_exact(16).enumerate() {
        // SAFETY: `chunk` has 16 readable bytes; the load needs no alignment.
        let v = unsafe { _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>()) };
        // Letters of either case are 'a'..='z' with bit 0x20 set; that bit, moved to the top of
        // its lane, tells lower from upper case.
        let letter = bits(in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', b'z'));
        let bit5 = bits(_mm_slli_epi16(v, 2));
        let digit = bits(in_range(v, b'0', b'9'));
        let graphic = bits(in_range(v, b'!', b'~'));
        let shift = 16 * k;
        m.word |= (letter | digit) << shift;
        m.upper |= (letter & !bit5) << shift;
        m.lower |= (letter & bit5) << shift;
        m.newline |= bits(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8))) << shift;
        m.punct |= (graphic & !(letter | digit)) << shift;
        m.non_ascii |= bits(v) << shift;
    }
    m
}

/// The [`BlockMasks`] of a block, a byte at a time through [`BYTE_CLASS`].
#[cfg(any(test, not(target_arch = "x86_64")))]
fn classify_bytes(block: &[u8; BLOCK]) -> BlockMasks {
    let mut m = BlockMasks::default();
    for (k, &b) in block.iter().enumerate() {
        let class = BYTE_CLASS[b as usize];
        let bit = 1 << k;
        for (mask, set) in [
            (&mut m.word, class & WORD != 0),
            (&mut m.upper, class == UPPER),
            (&mut m.lower, class == LOWER),
            (&mut m.newline, class == NEWLINE),
            (&mut m.punct, class == PUNCT),
            (&mut m.non_ascii, class == NON_ASCII),
        ] {
            if set {
                *mask |= bit;
            }
        }
    }
    m
}

/// The [`BlockMasks`] of a block.
#[cfg(not(target_arch = "x86_64"))]
fn classify(block: &[u8; BLOCK]) -> BlockMasks {
    classify_bytes(block)
}

/// The bits below bit `n` (all of them for `n` ≥ 64).
#[inline(always)]
fn low_bits(n: usize) -> u64 {
    if n >= 64 { !0 } else { (1 << n) - 1 }
}

/// Reads the text from byte `i` (not inside a token) a character at a time: skips whitespace and
/// control characters and returns the token after them, if any. `newline` says whether a line
/// break came before byte `i` since the last token.
fn scalar_token(text: &str, mut i: usize, mut newline: bool) -> Option<(Token, TokenFacts)> {
    let bytes = text.as_bytes();
    while i < bytes.len() {
        let start = i;
        let b = bytes[i];
        let class = BYTE_CLASS[b as usize];
        // The token starting here: a word, or else one punctuation character (whitespace and
        // control characters are skipped).
        let mut cap = false;
        let (mut upper, mut lower, mut seen) = (false, false, 0);
        let kind = if class & WORD != 0 {
            i += 1;
            cap = class == UPPER;
            seen = class;
            TokenKind::Word
        } else if class == NON_ASCII {
            // Not `\n` (ASCII), so a line break is never decoded here.
            let ch = text[i..].chars().next().unwrap_or(' ');
            i += ch.len_utf8();
            if is_word_char(ch) {
                cap = ch.is_uppercase() || (ch.is_alphabetic() && !ch.is_lowercase());
                (upper, lower) = (ch.is_uppercase(), ch.is_lowercase());
                TokenKind::Word
            } else if !ch.is_whitespace() && !ch.is_control() {
                TokenKind::Punct
            } else {
                continue;
            }
        } else {
            i += 1;
            if class != PUNCT {
                newline |= class == NEWLINE;
                continue;
            }
            TokenKind::Punct
        };
        if kind == TokenKind::Word {
            // The rest of the word. ASCII bytes: the union of their classes, one table load per
            // byte.
            while i < bytes.len() {
                let c = bytes[i];
                let class = BYTE_CLASS[c as usize];
                if class & WORD != 0 {
                    seen |= class;
                    i += 1;
                } else if class == NON_ASCII {
                    let ch = text[i..].chars().next().unwrap_or(' ');
                    if !is_word_char(ch) {
                        break;
                    }
                    upper |= ch.is_uppercase();
                    lower |= ch.is_lowercase();
                    i += ch.len_utf8();
                } else {
                    break;
                }
            }
            upper |= seen & UPPER != 0;
            lower |= seen & LOWER != 0;
        }
        let facts = TokenFacts(
            bit_if(kind == TokenKind::Word, TokenFacts::WORD)
                | bit_if(cap, TokenFacts::CAP)
                | bit_if(upper && !lower, TokenFacts::ALL_CAPS)
                | bit_if(newline, TokenFacts::NEWLINE_BEFORE),
        );
        let token = Token {
            start,
            end: i,
            kind,
        };
        return Some((token, facts));
    }
    None
}

/// Tells, token by token, which tokens of a text start one of its [`sentences`]: those after
/// which (before the next token) one of the sentences ends.
///
/// Sentences end at line breaks, which the tokenizer sees ([`TokenFacts::NEWLINE_BEFORE`]), and
/// after runs of terminators, which are looked for apart from the tokens, so that a caller
/// that needs both tokens and sentences reads the text once more only at `.`, `!` and `?`.
///
/// ```
/// use eventmap::text::{SentenceStarts, for_each_token_with_facts};
///
/// let text = "Gen. Ali left.\n“Why?” Then rain";
/// let mut sentences = SentenceStarts::new(text);
/// let mut starts = Vec::new();
/// for_each_token_with_facts(text, |t, f| {
///     if sentences.starts(t.start, f.newline_before()) {
///         starts.push(t.as_str(text));
///     }
/// });
/// assert_eq!(starts, ["“", "Then"]);
/// ```
pub struct SentenceStarts<'t> {
    text: &'t str,
    /// Where to look for the next terminator.
    search_from: usize,
    /// Where the next sentence that ends after a terminator run ends (`usize::MAX` if none).
    next_cut: usize,
    /// No token has been asked about yet.
    first: bool,
}

impl<'t> SentenceStarts<'t> {
    /// Sentence starts of `text`, to be asked about its tokens in order.
    pub fn new(text: &'t str) -> Self {
        let mut s = SentenceStarts {
            text,
            search_from: 0,
            next_cut: usize::MAX,
            first: true,
        };
        s.next_cut = s.find_cut();
        s
    }

    /// Where the next terminator run from `search_from` on that ends a sentence ends.
    fn find_cut(&mut self) -> usize {
        let bytes = self.text.as_bytes();
        while let Some(k) = memchr::memchr3(b'.', b'!', b'?', &bytes[self.search_from..]) {
            // The run is never looked at again.
            let (j, ends) = terminator_run(self.text, self.search_from + k);
            self.search_from = j;
            if ends {
                return j;
            }
        }
        self.search_from = bytes.len();
        usize::MAX
    }

    /// Whether the token at byte `start`, the next token of the text, starts a sentence (never
    /// the first token); `newline_before` says whether a line break came before it since the
    /// previous token.
    #[inline]
    pub fn starts(&mut self, start: usize, newline_before: bool) -> bool {
        // The first token at or after a cut: every token of the run before it starts earlier.
        let cut = start >= self.next_cut;
        if cut {
            self.next_cut = self.find_cut();
        }
        let first = std::mem::replace(&mut self.first, false);
        !first && (newline_before || cut)
    }
}

/// Whether `ranges`, the sentences of `text` as [`SentenceStarts`] groups its tokens (each from
/// its first token's start to its last token's end, in order), are exactly its [`sentences`].
///
/// Both cut the text at the same places (line breaks and the same terminator runs), and
/// [`sentences`] trims each piece of whitespace, which is never part of a token. They differ
/// only where a character that is neither whitespace nor part of a token (a control character
/// such as U+0007) is left at a sentence's edge, or makes a sentence on its own: such characters
/// lie between the token sentences or before the first or after the last, where nothing but
/// whitespace may be.
///
/// ```
/// use eventmap::text::{SentenceStarts, for_each_token_with_facts, sentences, token_sentences_exact};
///
/// fn token_sentences(text: &str) -> Vec<std::ops::Range<usize>> {
///     let mut starts = SentenceStarts::new(text);
///     let mut out: Vec<std::ops::Range<usize>> = Vec::new();
///     for_each_token_with_facts(text, |t, f| {
///         let new = starts.starts(t.start, f.newline_before());
///         match out.last_mut() {
///             Some(r) if !new => r.end = t.end,
///             _ => out.push(t.start..t.end),
///         }
///     });
///     out
/// }
/// let text = "Gen. Ali left.\n“Why?” Then rain";
/// assert!(token_sentences_exact(text, &token_sentences(text)));
/// assert_eq!(token_sentences(text), sentences(text));
/// // A control character on its own line is a sentence of `sentences` only.
/// let text = "Ali left.\n\u{7}\nThen rain";
/// assert!(!token_sentences_exact(text, &token_sentences(text)));
/// ```
pub fn token_sentences_exact(text: &str, ranges: &[Range<usize>]) -> bool {
    let blank = |gap: &str| gap.chars().all(char::is_whitespace);
    let mut prev_end = 0;
    for r in ranges {
        if !blank(&text[prev_end..r.start]) {
            return false;
        }
        prev_end = r.end;
    }
    blank(&text[prev_end..])
}

/// The words title case leaves in lower case: articles, coordinating conjunctions and short
/// prepositions ("Storm Damage in Split and Nice Worse Than Feared"). Every other word of a
/// title-case line is capitalized, verbs included, so "the Miss World 2007 was in Sanya" is no
/// such line.
///
/// ```
/// use eventmap::text::is_title_minor;
/// assert!(is_title_minor("of") && is_title_minor("into"));
/// assert!(!is_title_minor("was") && !is_title_minor("Of"));
/// ```
pub fn is_title_minor(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "the"
            | "and"
            | "but"
            | "or"
            | "nor"
            | "for"
            | "so"
            | "yet"
            | "as"
            | "at"
            | "by"
            | "in"
            | "of"
            | "off"
            | "on"
            | "per"
            | "to"
            | "up"
            | "via"
            | "vs"
            | "from"
            | "into"
            | "onto"
            | "over"
            | "than"
            | "upon"
            | "with"
    )
}

/// Lower-case abbreviations after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "cpl", "pvt", "adm",
    "gov", "sen", "rep", "pres", "rev", "st", "ft", "mt", "jr", "sr", "no", "vs", "etc", "inc",
    "co", "corp", "ltd", "dept", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "e.g", "i.e", "approx", "ave", "blvd", "rd", "cmdr", "gens", "sens",
    "reps", "atty", "supt", "hon",
];

/// Sentence boundaries as byte ranges (trimmed of surrounding whitespace; never empty).
///
/// A sentence ends at `.`, `!` or `?` (plus closing quotes or brackets) followed by whitespace
/// and then an upper-case letter, digit, quote or non-Latin letter — unless the period closes a
/// known abbreviation ("Gen.", "Mr.") or a single initial ("John F. Kennedy"). A line break that
/// follows a blank line or a line without final punctuation (headline) also ends a sentence.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    // Positions of the next line break and the next terminator at or after `i` (`n` if none),
    // searched again only once `i` has passed them: every other byte is skipped.
    let mut next_nl = memchr::memchr(b'\n', bytes).unwrap_or(n);
    let mut next_term = memchr::memchr3(b'.', b'!', b'?', bytes).unwrap_or(n);
    while i < n {
        if next_nl < i {
            next_nl = memchr::memchr(b'\n', &bytes[i..]).map_or(n, |k| i + k);
        }
        if next_term < i {
            next_term = memchr::memchr3(b'.', b'!', b'?', &bytes[i..]).map_or(n, |k| i + k);
        }
        i = next_nl.min(next_term);
        if i >= n {
            break;
        }
        let b = bytes[i];
        if b == b'\n' {
            // Paragraph or headline break: a newline ends a sentence.
            push_trimmed(text, start, i, &mut out);
            start = i + 1;
            i += 1;
            continue;
        }
        // A terminator: the run it starts is never looked at again.
        let (j, ends) = terminator_run(text, i);
        if ends {
            push_trimmed(text, start, j, &mut out);
            start = j;
        }
        i = j;
    }
    push_trimmed(text, start, bytes.len(), &mut out);
    out
}

/// The run of terminators and closing quotes or brackets that starts with the terminator (`.`,
/// `!` or `?`) at byte `i`: where it ends, and whether a sentence of [`sentences`] ends there.
fn terminator_run(text: &str, i: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut j = i + 1;
    // Absorb repeated terminators and closing quotes/brackets (ASCII ones without decoding).
    while let Some(&b) = bytes.get(j) {
        if b.is_ascii() {
            if !matches!(b, b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']') {
                break;
            }
            j += 1;
        } else {
            let c = text[j..].chars().next().unwrap_or(' ');
            if !matches!(c, '”' | '’' | '»') {
                break;
            }
            j += c.len_utf8();
        }
    }
    let ws_end = skip_spaces(text, j);
    let at_end = ws_end >= bytes.len();
    let followed_by_break = ws_end > j || at_end;
    let ends = followed_by_break
        && (at_end || starts_sentence(text, ws_end))
        && !(bytes[i] == b'.' && is_abbreviation_before(text, i));
    (j, ends)
}

fn skip_spaces(text: &str, mut j: usize) -> usize {
    let bytes = text.as_bytes();
    while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t' || bytes[j] == b'\r') {
        j += 1;
    }
    j
}

fn starts_sentence(text: &str, at: usize) -> bool {
    // ASCII without decoding: the only letters that may start one are upper-case.
    if let Some(&b) = text.as_bytes().get(at)
        && b.is_ascii()
    {
        return b.is_ascii_uppercase()
            || b.is_ascii_digit()
            || matches!(b, b'"' | b'\'' | b'(' | b'[' | b'\n');
    }
    match text[at..].chars().next() {
        Some(c) => {
            c.is_uppercase()
                || c.is_ascii_digit()
                || matches!(c, '"' | '“' | '‘' | '\'' | '(' | '[' | '«' | '\n')
                || (c.is_alphabetic() && !c.is_lowercase())
        }
        None => true,
    }
}

/// True when the period at byte `dot` closes an abbreviation or an initial.
fn is_abbreviation_before(text: &str, dot: usize) -> bool {
    // The word before the period: letters, digits and periods.
    let bytes = text.as_bytes();
    let mut start = dot;
    while start > 0 {
        let b = bytes[start - 1];
        if b.is_ascii() {
            if !(b.is_ascii_alphanumeric() || b == b'.') {
                break;
            }
            start -= 1;
        } else {
            match text[..start].chars().next_back() {
                Some(c) if c.is_alphanumeric() => start -= c.len_utf8(),
                _ => break,
            }
        }
    }
    let word = &text[start..dot];
    if word.is_empty() {
        return false;
    }
    // Single initials and dotted acronyms ("F.", "U.S", "D.C") — but a lone capital letter
    // closing a sentence is rarer than an initial. The parts between periods are all initials
    // when no two letters are adjacent and every letter is upper-case.
    let (mut initials, mut after_period) = (0, true);
    for c in word.chars() {
        if c == '.' {
            after_period = true;
        } else if after_period && c.is_uppercase() {
            initials += 1;
            after_period = false;
        } else {
            return pack_lower(word.as_bytes())
                .is_some_and(|k| ABBREVIATION_KEYS.binary_search(&k).is_ok());
        }
    }
    // A dotted acronym like "U.S." can end a sentence; treat it as a boundary only when it has
    // two or more letters and the next word is a typical sentence opener. Keep it simple:
    // initials never end sentences, acronyms do.
    initials == 1
}

/// A word of at most 8 bytes, ASCII letters lower-cased, as one integer (first byte lowest);
/// `None` for a longer word. Words without NUL bytes pack to the same integer exactly when they
/// are equal ignoring ASCII case.
const fn pack_lower(word: &[u8]) -> Option<u64> {
    if word.len() > 8 {
        return None;
    }
    let mut key = 0;
    let mut k = 0;
    while k < word.len() {
        key |= (word[k].to_ascii_lowercase() as u64) << (8 * k);
        k += 1;
    }
    Some(key)
}

/// [`ABBREVIATIONS`] through [`pack_lower`], sorted.
const ABBREVIATION_KEYS: [u64; ABBREVIATIONS.len()] = {
    let mut keys = [0; ABBREVIATIONS.len()];
    let mut k = 0;
    while k < keys.len() {
        keys[k] = match pack_lower(ABBREVIATIONS[k].as_bytes()) {
            Some(key) => key,
            None => panic!("abbreviations have at most 8 bytes"),
        };
        // Insertion sort.
        let mut m = k;
        while m > 0 && keys[m - 1] > keys[m] {
            (keys[m - 1], keys[m]) = (keys[m], keys[m - 1]);
            m -= 1;
        }
        k += 1;
    }
    keys
};

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Range<usize>>) {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    let (a, b) = (start + lead, end - trail);
    if a < b {
        out.push(a..b);
    }
}

/// Converts increasing byte offsets to code-point offsets in one forward pass (amortized O(1)
/// per query when queries are sorted; falls back to counting from the start otherwise).
pub struct CharOffsets<'t> {
    text: &'t str,
    byte: usize,
    chars: usize,
}

impl<'t> CharOffsets<'t> {
    /// A converter for `text`.
    pub fn new(text: &'t str) -> Self {
        CharOffsets {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// Code-point offset of byte offset `byte` (which must lie on a char boundary; otherwise it
    /// is rounded down to one).
    pub fn char_offset(&mut self, byte: usize) -> usize {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        // Both ends are character boundaries.
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

/// Byte offset of code-point offset `chars` in `text` (clamped to the text length).
pub fn byte_offset(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map(|(i, _)| i)
        .unwrap_or(text.len())
}

/// Test input shared by the tests of the tokenizer and of the stages that use it.
#[cfg(test)]
pub(crate) mod testing {
    /// `count` texts of fewer than `max_pieces` pieces each, drawn from `pieces` by a xorshift
    /// generator started at `seed`: the same texts on every run.
    pub(crate) fn random_texts(
        seed: u64,
        pieces: &[&str],
        max_pieces: usize,
        count: usize,
    ) -> Vec<String> {
        let mut seed = seed;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as usize
        };
        (0..count)
            .map(|_| {
                let n = next() % max_pieces;
                (0..n).map(|_| pieces[next() % pieces.len()]).collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::random_texts;
    use super::*;

    fn sents(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn token_facts_table() {
        // (word, cap, all_caps)
        let cases = [
            ("Aleppo", true, false),
            ("aleppo", false, false),
            ("UN", true, true),
            ("U", true, true),
            ("F16", true, true),
            ("16", false, false),
            ("iPhone", false, false),
            ("McDONALD", true, false),
            ("Dārayyā", true, false),
            ("DĀRAYYĀ", true, true),
            ("Ürümqi", true, false),
            ("ÜRÜMQI", true, true),
            ("élan", false, false),
            ("داريا", true, false),
            ("МОСКВА", true, true),
            ("Москва", true, false),
            ("ß", false, false),
        ];
        for (word, cap, all_caps) in cases {
            let mut got = Vec::new();
            for_each_token_with_facts(word, |t, f| got.push((t, f)));
            assert_eq!(got.len(), 1, "{word}");
            let (t, f) = got[0];
            assert_eq!((t.as_str(word), t.kind), (word, TokenKind::Word));
            assert_eq!((f.cap(), f.all_caps()), (cap, all_caps), "{word}");
        }
    }

    #[test]
    fn block_masks_match_byte_classes() {
        // Every byte value at every offset of a block.
        for shift in 0..BLOCK {
            for chunk in 0..256 / BLOCK {
                let block: [u8; BLOCK] =
                    std::array::from_fn(|k| ((chunk * BLOCK + (k + shift) % BLOCK) % 256) as u8);
                assert_eq!(classify(&block), classify_bytes(&block), "{shift} {chunk}");
            }
        }
    }

    /// The tokens of `text` and their facts, read a character at a time.
    fn scalar_tokens(text: &str) -> Vec<(Token, TokenFacts)> {
        let mut out = Vec::new();
        let mut i = 0;
        while let Some((t, f)) = scalar_token(text, i, false) {
            out.push((t, f));
            i = t.end;
        }
        out
    }

    #[test]
    fn block_tokens_match_scalar_tokens() {
        let long = "x".repeat(BLOCK - 1);
        let longer = "Y".repeat(2 * BLOCK + 3);
        let fixed = [
            "",
            " ",
            "a",
            "\n",
            "Syria's Aleppo-based ’48 داريا, Dārayyā.\n\n“Hi” \u{2028}x \r\n\tB",
            &long,
            &longer,
        ];
        for text in fixed {
            let mut got = Vec::new();
            for_each_token_with_facts(text, |t, f| got.push((t, f)));
            assert_eq!(got, scalar_tokens(text), "{text:?}");
        }
        // Texts strung together from pieces that matter to either reading, long enough to
        // cross block boundaries anywhere.
        let pieces = [
            "a",
            "Z",
            "7",
            "word",
            "Word",
            "WORD",
            "iPhone",
            "F16",
            " ",
            "  ",
            "\n",
            "\r\n",
            "\t",
            "\u{7}",
            "\u{7f}",
            ".",
            ",",
            "'",
            "’",
            "-",
            "“",
            "”",
            "Dārayyā",
            "ā",
            "Ö",
            "ß",
            "داريا",
            "\u{300}",
            "\u{a0}",
            "\u{2028}",
            "…",
            "é",
            "МОСКВА",
            &long,
            &longer,
        ];
        for text in random_texts(0x9E37_79B9_7F4A_7C15, &pieces, 80, 3000) {
            let mut got = Vec::new();
            for_each_token_with_facts(&text, |t, f| got.push((t, f)));
            assert_eq!(got, scalar_tokens(&text), "{text:?}");
        }
    }

    #[test]
    fn token_facts_see_line_breaks_and_keep_tokens() {
        let text = "A.\n\n“Hi” \u{2028}x \r\n\tB";
        let mut got = Vec::new();
        for_each_token_with_facts(text, |t, f| got.push((t.as_str(text), f.newline_before())));
        assert_eq!(
            got,
            [
                ("A", false),
                (".", false),
                ("“", true),
                ("Hi", false),
                ("”", false),
                ("x", false),
                ("B", true)
            ]
        );
        let plain: Vec<Token> = tokens(text);
        let mut with = Vec::new();
        for_each_token_with_facts(text, |t, _| with.push(t));
        assert_eq!(plain, with);
    }

    #[test]
    fn sentence_table() {
        let cases: &[(&str, &[&str])] = &[
            ("One. Two.", &["One.", "Two."]),
            (
                "Gen. Smith arrived. He left.",
                &["Gen. Smith arrived.", "He left."],
            ),
            ("John F. Kennedy spoke.", &["John F. Kennedy spoke."]),
            (
                "It rose 2.5 percent. Then fell.",
                &["It rose 2.5 percent.", "Then fell."],
            ),
            ("“We left.” Then rain.", &["“We left.”", "Then rain."]),
            (
                "HEADLINE HERE\nBody text. More.",
                &["HEADLINE HERE", "Body text.", "More."],
            ),
            ("Where? Here!", &["Where?", "Here!"]),
            ("", &[]),
            ("   ", &[]),
            ("no final stop", &["no final stop"]),
            (
                "Troops left the U.S. Then they came.",
                &["Troops left the U.S.", "Then they came."],
            ),
            (
                "Sgt. Lee and Gov. Ali met in St. Louis, e.g. Here.",
                &["Sgt. Lee and Gov. Ali met in St. Louis, e.g. Here."],
            ),
            ("Ask Mr. Ö. Yılmaz. Done.", &["Ask Mr. Ö. Yılmaz.", "Done."]),
            ("See A. Then B.", &["See A. Then B."]),
            ("Wait... Now. ...", &["Wait...", "Now. ..."]),
            ("قال. ثم ذهب.", &["قال.", "ثم ذهب."]),
            ("GOV. X. Y", &["GOV. X. Y"]),
            (
                "Line one\n\nLine two. Three",
                &["Line one", "Line two.", "Three"],
            ),
            ("Done!\r\nNext?\tYes.", &["Done!", "Next?", "Yes."]),
        ];
        for (text, want) in cases {
            assert_eq!(&sents(text), want, "{text:?}");
        }
    }

    /// For every pair of neighbouring tokens: whether [`sentences`] puts them in different
    /// sentences, and whether [`SentenceStarts`] says the second starts one.
    fn sentence_starts_both_ways(text: &str) -> (Vec<bool>, Vec<bool>) {
        let ranges = sentences(text);
        let sentence_of = |t: &Token| ranges.iter().position(|r| r.contains(&t.start));
        let toks = tokens(text);
        let want = toks
            .windows(2)
            .map(|w| sentence_of(&w[0]) != sentence_of(&w[1]))
            .collect();
        let mut got = Vec::new();
        let mut starts = SentenceStarts::new(text);
        for_each_token_with_facts(text, |t, f| {
            got.push(starts.starts(t.start, f.newline_before()))
        });
        assert_eq!(got.len(), toks.len(), "{text:?}");
        assert!(!got.first().copied().unwrap_or(false), "{text:?}");
        (want, got.split_off(1.min(got.len())))
    }

    #[test]
    fn token_pass_sentences_match_sentences() {
        let cases = [
            "One. Two.",
            "Gen. Smith arrived. He left.",
            "John F. Kennedy spoke.",
            "It rose 2.5 percent. Then fell.",
            "“We left.” Then rain.",
            "HEADLINE HERE\nBody text. More.",
            "Where? Here!",
            "",
            "   ",
            "\n\nLead. In",
            "Troops left the U.S. Then they came.",
            "Sgt. Lee and Gov. Ali met in St. Louis, e.g. Here.",
            "Ask Mr. Ö. Yılmaz. Done.",
            "Wait... Now. ...",
            "Wait.\".) Now",
            "قال. ثم ذهب.",
            "Line one\n\nLine two. Three",
            "Done!\r\nNext?\tYes.",
            "Done. \nNext",
            "A.\u{7}B. \u{7}C",
            "x. \u{2003}Y. (Z) 'q' «r» [s]",
            "end.",
            "end. ",
            "?!",
            "a .b. C",
        ];
        for text in cases {
            let (want, got) = sentence_starts_both_ways(text);
            assert_eq!(got, want, "{text:?}");
        }
        // Texts strung together from pieces that matter to either side.
        let pieces = [
            ".", "!", "?", "\"", "'", ")", "”", "’", "»", " ", "  ", "\t", "\r", "\n", "U", "S",
            "Gen", "St", "e.g", "ok", "Ö", "ß", "قال", "4", "(", "“", "«", "-", "\u{7}", "\u{a0}",
            "\u{2028}", "…",
        ];
        for text in random_texts(0x2545_F491_4F6C_DD1D, &pieces, 24, 5000) {
            let (want, got) = sentence_starts_both_ways(&text);
            assert_eq!(got, want, "{text:?}");
        }
    }

    /// The sentences of `text` as [`SentenceStarts`] groups its tokens.
    fn token_sentences(text: &str) -> Vec<Range<usize>> {
        let mut starts = SentenceStarts::new(text);
        let mut out: Vec<Range<usize>> = Vec::new();
        for_each_token_with_facts(text, |t, f| {
            let new = starts.starts(t.start, f.newline_before());
            match out.last_mut() {
                Some(r) if !new => r.end = t.end,
                _ => out.push(t.start..t.end),
            }
        });
        out
    }

    #[test]
    fn token_sentences_exact_table() {
        // (text, whether its token sentences are its sentences)
        let cases = [
            ("One. Two.", true),
            ("", true),
            ("  \n\t", true),
            ("\u{7}", false),
            ("HEADLINE HERE\n\nBody text. More.  ", true),
            ("Done!\r\nNext?\u{2028}\tYes.\u{a0}", true),
            // Inside a sentence a control character changes nothing.
            ("A.\u{7}B. \u{7}c", true),
            ("Left.\n\u{7}\nThen rain.", false),
            ("Left.\n\u{7}Then rain.", false),
            ("Left. \u{85}Then\u{1f}", false),
            ("Left.\u{85} Then", true),
        ];
        for (text, exact) in cases {
            let got = token_sentences(text);
            assert_eq!(token_sentences_exact(text, &got), exact, "{text:?}");
            if exact {
                assert_eq!(got, sentences(text), "{text:?}");
            } else {
                assert_ne!(got, sentences(text), "{text:?}");
            }
        }
        let pieces = [
            ".", "!", "?", "\"", ")", "”", "»", " ", "\t", "\r", "\n", "U", "Gen", "e.g", "ok",
            "Ö", "قال", "4", "(", "“", "-", "\u{7}", "\u{a0}", "\u{2028}", "\u{85}",
        ];
        for text in random_texts(0x9E37_79B9_7F4A_7C15, &pieces, 24, 5000) {
            let got = token_sentences(&text);
            if token_sentences_exact(&text, &got) {
                assert_eq!(got, sentences(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn abbreviation_table() {
        // (text ending in the period in question, abbreviation or initial)
        let cases = [
            ("Gen.", true),
            ("the GEN.", true),
            ("see e.g.", true),
            ("i.E.", true),
            ("Approx.", true),
            ("approxi.", false),
            ("John F.", true),
            ("Ask Mr. Ö.", true),
            ("x.Ö.", false),
            ("U.S.", false),
            ("D.C.", false),
            ("Syria.", false),
            ("a.", false),
            ("...", false),
            ("in 2.", false),
            ("(St.", true),
            ("Ist.", false),
            ("a-no.", true),
            ("Stadt St.", true),
            ("blvd.", true),
            ("blvds.", false),
            (".", false),
        ];
        for (text, want) in cases {
            let dot = text.len() - 1;
            assert_eq!(is_abbreviation_before(text, dot), want, "{text:?}");
        }
        for a in ABBREVIATIONS {
            // Upper-case "E.G." is an acronym, not an abbreviation.
            let upper = if a.contains('.') {
                a.to_string()
            } else {
                a.to_uppercase()
            };
            for word in [a.to_string(), upper, format!("x {a}")] {
                let text = format!("{word}.");
                assert!(is_abbreviation_before(&text, word.len()), "{text:?}");
            }
            let longer = format!("{a}s.");
            let known = ABBREVIATIONS.contains(&&longer[..longer.len() - 1]);
            assert_eq!(is_abbreviation_before(&longer, longer.len() - 1), known);
        }
    }

    #[test]
    fn tokens_split_words_and_punct() {
        let text = "Syria's Aleppo-based ’48 داريا, Dārayyā.";
        let toks: Vec<&str> = tokens(text).iter().map(|t| t.as_str(text)).collect();
        assert_eq!(
            toks,
            [
                "Syria",
                "'",
                "s",
                "Aleppo",
                "-",
                "based",
                "’",
                "48",
                "داريا",
                ",",
                "Dārayyā",
                "."
            ]
        );
    }

    #[test]
    fn char_offsets_match_python_semantics() {
        let text = "Dārayyā — داريا and Aleppo";
        let mut co = CharOffsets::new(text);
        for (byte, _) in text.char_indices() {
            let expect = text[..byte].chars().count();
            assert_eq!(co.char_offset(byte), expect);
        }
        assert_eq!(co.char_offset(text.len()), text.chars().count());
        // Going backwards still works.
        assert_eq!(co.char_offset(0), 0);
        let b = byte_offset(text, 10);
        assert_eq!(text[..b].chars().count(), 10);
    }

    #[test]
    fn control_characters_are_not_tokens() {
        let text = "A\u{0}B\u{7}C";
        let toks: Vec<&str> = tokens(text).iter().map(|t| t.as_str(text)).collect();
        assert_eq!(toks, ["A", "B", "C"]);
    }
}
