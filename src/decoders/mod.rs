//! The decoder stage, between the sources and the matcher: content that
//! holds a value in an encoding (base64, hex, percent, escapes, entities,
//! HTTP Basic, a Kubernetes `Secret`'s `data:`) is decoded and the decoded
//! text goes through the same matcher. A match in decoded content is placed
//! on the outermost encoded span of the original content, so its line and
//! column point at the encoded value in the file, and carries the chain of
//! encodings (outermost first) as its `encoding` part.
//!
//! Adding an inline decoder: one file with a type implementing [`Decoder`]
//! and one line in [`INLINE`].
//!
//! Whole-content decoders — archives ([`archive`]: zip, tar, gzip) and
//! UTF-16 text ([`utf16`]) — turn content that would be skipped as binary
//! into content to scan; the sources call them through
//! `sources::whole`, and a hit inside an archive member is placed in that
//! member (`dist/app.zip!config/prod.env:3`).
//!
//! [`walk`] drives the decoders over one piece of content: to a depth of
//! [`MAX_DEPTH`] layers, with an explicit worklist (never recursion on
//! input), and within fixed bounds on decoded bytes and spans per piece.

pub mod archive;
pub mod base64;
pub mod basic;
pub mod csv;
pub mod entities;
pub mod escapes;
pub mod hex;
pub mod k8s;
pub mod keystore;
pub mod percent;
pub mod utf16;

/// A span `start..end` of the content a decoder looked at, and what it
/// decodes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub start: usize,
    pub end: usize,
    pub bytes: Vec<u8>,
}

/// One inline (text) decoder.
pub trait Decoder: Sync {
    /// Shown to users in the `encoding` part, e.g. `base64`, `percent`.
    fn name(&self) -> &'static str;
    /// A cheap gate (memchr-class cost): `false` when `data` cannot hold
    /// anything this decoder decodes.
    fn applies(&self, data: &[u8]) -> bool;
    /// Words (ASCII, any case) without which this decoder has nothing to
    /// do. When it names some, the matcher's keyword pass, which reads every
    /// piece anyway, tells whether one occurs ([`triggers`]), and
    /// [`Decoder::applies`] runs only on pieces where one does: the gate
    /// then costs nothing on the content it does not apply to. Decoded
    /// content is gated by `applies` alone.
    fn keywords(&self) -> &'static [&'static str] {
        &[]
    }
    /// Append every span of `data` this decoder decodes, in any order, at
    /// most [`MAX_SPANS`] of them (`out` is empty when called), none longer
    /// than `data`. Must not panic on any input and must stay linear in
    /// `data`.
    fn decode(&self, data: &[u8], out: &mut Vec<Decoded>);
}

/// Every inline decoder, in precedence order: when two decode the very same
/// span, the first one's result is kept (so a Kubernetes `data:` value is
/// reported as such, not as a plain base64 run).
pub static INLINE: &[&dyn Decoder] = &[
    &k8s::K8sSecret,
    &basic::BasicAuth,
    &base64::Base64,
    &hex::Hex,
    &percent::Percent,
    &escapes::Escapes,
    &entities::Entities,
    &csv::Records,
];

/// The decoders for content that holds hashes by design (lock files, see
/// `ContentHints::hashes_by_design`): [`INLINE`] without the base64 and hex
/// run decoders, whose every candidate there is a digest (`sha512-…`
/// integrity strings), costly to reject and never a secret.
/// The keywords of every inline decoder with its trigger bit (one bit per
/// decoder, by its place in [`INLINE`]), for `Matcher::with_triggers`.
pub fn triggers() -> Vec<(&'static str, u32)> {
    INLINE
        .iter()
        .enumerate()
        .flat_map(|(i, d)| d.keywords().iter().map(move |k| (*k, 1u32 << i)))
        .collect()
}

/// The trigger bit of `d` (see [`triggers`]); 0 for a decoder not in [`INLINE`].
fn trigger_bit(d: &dyn Decoder) -> u32 {
    INLINE
        .iter()
        .position(|x| x.name() == d.name())
        .map_or(0, |i| 1u32 << i)
}

pub fn for_hashes() -> &'static [&'static dyn Decoder] {
    static LIST: std::sync::OnceLock<Vec<&'static dyn Decoder>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        INLINE
            .iter()
            .copied()
            .filter(|d| !matches!(d.name(), "base64" | "hex"))
            .collect()
    })
}

/// Layers of encoding decoded (`base64 → percent → json-string` is three).
pub const MAX_DEPTH: usize = 3;
/// Decoded bytes per piece, at most this many times the piece's length…
pub const MAX_GROWTH: usize = 4;
/// …and never more than this.
pub const MAX_DECODED_BYTES: usize = 64 << 20;
/// Decoded spans per piece (all layers together).
pub const MAX_SPANS: usize = 1 << 16;
/// Decoded content shorter than this holds no secret worth a finding.
pub const MIN_DECODED: usize = 8;
/// How the chain of encodings is written: outermost first.
pub const CHAIN_SEPARATOR: &str = " → ";

struct Item {
    bytes: Vec<u8>,
    start: usize,
    end: usize,
    chain: String,
    depth: usize,
}

/// Decode `data` with `decoders`, layer by layer, and call `visit` with each
/// decoded text, the outermost encoded span of `data` it came from and its
/// chain of encodings. When `visit` returns `false` nothing decoded from
/// that text is looked at.
///
/// Bounds: [`MAX_DEPTH`] layers, [`MAX_SPANS`] spans and
/// `min(MAX_GROWTH × data.len(), MAX_DECODED_BYTES)` decoded bytes per call;
/// what lies past a bound is not decoded.
///
/// `seen` is what the matcher's keyword pass saw in `data` (the bits of
/// [`triggers`]), when it was asked to look: a decoder with keywords then
/// runs on `data` only if one of them was seen. `None`: every gate runs.
pub fn walk(
    data: &[u8],
    decoders: &[&dyn Decoder],
    seen: Option<u32>,
    mut visit: impl FnMut(&[u8], usize, usize, &str) -> bool,
) {
    let mut budget = data.len().saturating_mul(MAX_GROWTH).min(MAX_DECODED_BYTES);
    let mut spans_left = MAX_SPANS;
    let mut found: Vec<(usize, Decoded)> = Vec::new();
    let mut stack: Vec<Item> = Vec::new();
    // The piece itself is layer 0: its spans are the outer spans.
    decode_layer(data, decoders, seen, &mut found);
    push_children(
        &mut found,
        decoders,
        None,
        &mut stack,
        &mut budget,
        &mut spans_left,
    );
    while let Some(item) = stack.pop() {
        if !visit(&item.bytes, item.start, item.end, &item.chain) {
            continue;
        }
        if item.depth >= MAX_DEPTH || spans_left == 0 || budget == 0 {
            continue;
        }
        decode_layer(&item.bytes, decoders, None, &mut found);
        push_children(
            &mut found,
            decoders,
            Some(&item),
            &mut stack,
            &mut budget,
            &mut spans_left,
        );
    }
}

fn decode_layer(
    data: &[u8],
    decoders: &[&dyn Decoder],
    seen: Option<u32>,
    found: &mut Vec<(usize, Decoded)>,
) {
    let _layer = Layer::enter(data);
    let mut out = Vec::new();
    for (i, d) in decoders.iter().enumerate() {
        if let Some(seen) = seen
            && !d.keywords().is_empty()
            && seen & trigger_bit(*d) == 0
        {
            continue;
        }
        if !d.applies(data) {
            continue;
        }
        d.decode(data, &mut out);
        found.extend(
            out.drain(..)
                .filter(|x| x.start < x.end && x.end <= data.len() && x.bytes.len() >= MIN_DECODED)
                .map(|x| (i, x)),
        );
    }
}

/// Turn one layer's decoded spans into work items: one per span (the first
/// decoder in registry order wins a span two decode), within the budgets.
fn push_children(
    found: &mut Vec<(usize, Decoded)>,
    decoders: &[&dyn Decoder],
    parent: Option<&Item>,
    stack: &mut Vec<Item>,
    budget: &mut usize,
    spans_left: &mut usize,
) {
    if found.is_empty() {
        return;
    }
    found.sort_by_key(|(i, d)| (d.start, d.end, *i));
    found.dedup_by(|b, a| a.1.start == b.1.start && a.1.end == b.1.end);
    // Later spans first onto the stack, so they are visited in order.
    let first = stack.len();
    for (i, d) in found.drain(..) {
        if *spans_left == 0 || d.bytes.len() > *budget {
            break;
        }
        *spans_left -= 1;
        *budget -= d.bytes.len();
        let name = decoders.get(i).map_or("?", |d| d.name());
        let (start, end, chain, depth) = match parent {
            None => (d.start, d.end, name.to_string(), 1),
            Some(p) => (
                p.start,
                p.end,
                format!("{}{CHAIN_SEPARATOR}{name}", p.chain),
                p.depth + 1,
            ),
        };
        stack.push(Item {
            bytes: d.bytes,
            start,
            end,
            chain,
            depth,
        });
    }
    stack[first..].reverse();
}

/// What one escape stands for: up to four bytes (a UTF-8 character).
pub(crate) struct Unescaped {
    /// Bytes of the escape in the input.
    pub len: usize,
    pub bytes: [u8; 4],
    pub count: usize,
}

impl Unescaped {
    pub(crate) fn byte(len: usize, b: u8) -> Unescaped {
        Unescaped {
            len,
            bytes: [b, 0, 0, 0],
            count: 1,
        }
    }

    pub(crate) fn char(len: usize, c: char) -> Unescaped {
        let mut bytes = [0u8; 4];
        let count = c.encode_utf8(&mut bytes).len();
        Unescaped { len, bytes, count }
    }
}

/// Decode every token of `data` that holds an escape: escapes start with
/// `lead` and `at(data, i)` reads the one at `i`; a token runs between
/// bytes for which `stops` holds. The span is the whole token, decoded in
/// place (bytes that are no escape are kept). Linear: each token is read
/// once, and spans never reach back into an earlier one.
pub(crate) fn decode_tokens(
    data: &[u8],
    lead: u8,
    stops: impl Fn(u8) -> bool,
    at: impl Fn(&[u8], usize) -> Option<Unescaped>,
    out: &mut Vec<Decoded>,
) {
    let mut pos = 0usize; // where the next `lead` is looked for
    let mut floor = 0usize; // spans never reach back before this
    while let Some(k) = memchr::memchr(lead, &data[pos..]) {
        if out.len() >= MAX_SPANS {
            return;
        }
        let i = pos + k;
        if at(data, i).is_none() {
            pos = i + 1;
            continue;
        }
        let mut a = i;
        while a > floor && !stops(data[a - 1]) {
            a -= 1;
        }
        let mut b = i;
        while b < data.len() && !stops(data[b]) {
            b += 1;
        }
        let mut bytes = Vec::with_capacity(b - a);
        let mut j = a;
        while j < b {
            let escape = if data[j] == lead {
                at(&data[..b], j)
            } else {
                None
            };
            match escape {
                Some(u) => {
                    bytes.extend_from_slice(&u.bytes[..u.count]);
                    j += u.len;
                }
                None => {
                    bytes.push(data[j]);
                    j += 1;
                }
            }
        }
        out.push(Decoded {
            start: a,
            end: b,
            bytes,
        });
        pos = b;
        floor = b;
    }
}

/// Decoded bytes that read as text: valid UTF-8, at least [`MIN_DECODED`]
/// bytes, and at least 90% printable characters (tab, CR and LF count as
/// printable). Random bytes from a chance base64 or hex run fail this.
pub fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.len() < MIN_DECODED {
        return false;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let (mut all, mut bad) = (0usize, 0usize);
    for c in text.chars() {
        all += 1;
        if (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{fffd}' {
            bad += 1;
        }
    }
    bad * 10 <= all
}

const HIGHS: u64 = 0x8080_8080_8080_8080;
const ONES: u64 = 0x0101_0101_0101_0101;

/// Whether all 8 bytes of `x` are ASCII and, with bit 0x20 set (ASCII
/// letters folded to lower case), in `0x30..=hi`: with `hi = b'z'` that is
/// the digits, the letters and `:;<=>?@` and a backtick; `_` folds to 0x7f
/// and is out, as are space, quotes, `.`, `,`, `+`, `-` and `/`.
#[inline(always)]
fn word_in(x: u64, hi: u8) -> bool {
    let y = (x | 0x2020_2020_2020_2020) & !HIGHS | HIGHS;
    let ge_lo = y.wrapping_sub(ONES * 0x30) & HIGHS;
    let gt_hi = y.wrapping_sub(ONES * (u64::from(hi) + 1)) & HIGHS;
    ge_lo & !gt_hi & !x & HIGHS == HIGHS
}

#[inline(always)]
fn word_at(data: &[u8], w: usize) -> u64 {
    match data.get(8 * w..8 * w + 8) {
        Some(&[a, b, c, d, e, f, g, h]) => u64::from_le_bytes([a, b, c, d, e, f, g, h]),
        _ => 0,
    }
}

/// The cheap pre-filter of the run decoders (base64, hex), eight bytes at a
/// time: calls `f(start, end)` for every streak of at least `words`
/// consecutive 8-byte words (aligned to the start of `data`) whose bytes all
/// pass [`word_in`]`(hi)`. A run of `8 × words + 7` such bytes always holds
/// such a streak; only every `words`-th word is looked at outside streaks,
/// so content without long alphanumeric runs costs about one word test per
/// `8 × words` bytes.
pub(crate) fn streaks(data: &[u8], hi: u8, words: usize, mut f: impl FnMut(usize, usize)) {
    let k = words.max(1);
    let n = data.len() / 8;
    let mut floor = 0usize;
    let mut w = k - 1;
    while w < n {
        // The common case: skip `k` words at a time while the sampled one
        // fails the test.
        let mut off = 8 * w;
        while let Some(&[a, b, c, d, e, f, g, h]) = data.get(off..off + 8) {
            if word_in(u64::from_le_bytes([a, b, c, d, e, f, g, h]), hi) {
                break;
            }
            off += 8 * k;
        }
        w = off / 8;
        if w >= n {
            break;
        }
        let mut a = w;
        while a > floor && word_in(word_at(data, a - 1), hi) {
            a -= 1;
        }
        let mut b = w + 1;
        while b < n && word_in(word_at(data, b), hi) {
            b += 1;
        }
        if b - a >= k {
            f(8 * a, 8 * b);
        }
        floor = b;
        w = b + k;
    }
}

/// A layer: its count, its data's address and length.
type LayerKey = (u64, usize, usize);

/// The alphanumeric streaks computed for one layer.
type Streaks = (Option<LayerKey>, Vec<(usize, usize)>);

/// Aligned 8-byte words a base64 or hex run must fill: three, so a run of
/// 31 alphanumeric characters in a row is always seen.
pub const RUN_WORDS: usize = 3;

thread_local! {
    /// The layer [`decode_layer`] is decoding on this thread (its data's
    /// address and length, and a count that tells layers apart), if any.
    static LAYER: std::cell::Cell<Option<LayerKey>> = const { std::cell::Cell::new(None) };
    static LAYERS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// The alphanumeric streaks of that layer, computed by the first run
    /// decoder that asks for them.
    static STREAKS: std::cell::RefCell<Streaks> = const { std::cell::RefCell::new((None, Vec::new())) };
}

/// While alive, the decoders run on one layer's (immutably borrowed) data.
struct Layer;

impl Layer {
    fn enter(data: &[u8]) -> Layer {
        let n = LAYERS.get().wrapping_add(1);
        LAYERS.set(n);
        LAYER.set(Some((n, data.as_ptr() as usize, data.len())));
        Layer
    }
}

impl Drop for Layer {
    fn drop(&mut self) {
        LAYER.set(None);
    }
}

/// The streaks of alphanumeric 8-byte words (see [`streaks`] with `hi =
/// b'z'`, [`RUN_WORDS`] words) of `data`, for the base64 and hex decoders: computed
/// once per layer when `data` is the layer [`walk`] is decoding, so the two
/// share one pass; computed afresh when called on anything else.
pub(crate) fn alnum_streaks(data: &[u8], mut f: impl FnMut(usize, usize)) {
    let key = LAYER
        .get()
        .filter(|&(_, p, n)| p == data.as_ptr() as usize && n == data.len());
    let Some(key) = key else {
        streaks(data, b'z', RUN_WORDS, f);
        return;
    };
    let cached = STREAKS.with_borrow_mut(|(k, v)| {
        if *k != Some(key) {
            v.clear();
            streaks(data, b'z', RUN_WORDS, |a, b| v.push((a, b)));
            *k = Some(key);
        }
        v.clone()
    });
    for (a, b) in cached {
        f(a, b);
    }
}

/// The value of one hex digit.
pub(crate) fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// What `decoder` makes of `text`, as (encoded span, decoded text) pairs,
/// through its gate as the driver calls it (for the decoders' tests).
#[cfg(test)]
pub(crate) fn spans(decoder: &dyn Decoder, text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if decoder.applies(text.as_bytes()) {
        decoder.decode(text.as_bytes(), &mut out);
    }
    out.into_iter()
        .map(|d| {
            (
                text[d.start..d.end].to_string(),
                String::from_utf8_lossy(&d.bytes).into_owned(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `[…]` to what is inside, for driver tests.
    struct Brackets;
    impl Decoder for Brackets {
        fn name(&self) -> &'static str {
            "brackets"
        }
        fn applies(&self, data: &[u8]) -> bool {
            memchr::memchr(b'[', data).is_some()
        }
        fn decode(&self, data: &[u8], out: &mut Vec<Decoded>) {
            let Some(s) = memchr::memchr(b'[', data) else {
                return;
            };
            let Some(e) = memchr::memrchr(b']', data) else {
                return;
            };
            if e > s {
                out.push(Decoded {
                    start: s,
                    end: e + 1,
                    bytes: data[s + 1..e].to_vec(),
                });
            }
        }
    }

    fn walked(data: &[u8]) -> Vec<(String, usize, usize, String)> {
        let mut seen = Vec::new();
        walk(data, &[&Brackets], None, |b, s, e, c| {
            seen.push((String::from_utf8_lossy(b).into_owned(), s, e, c.to_string()));
            true
        });
        seen
    }

    #[test]
    fn layers_keep_the_outer_span_and_name_the_chain() {
        let text = b"ab [[[[[[deep secret value]]]]]] cd";
        let seen = walked(text);
        assert_eq!(seen.len(), MAX_DEPTH);
        assert!(
            seen.iter()
                .all(|(_, s, e, _)| (*s, *e) == (3, text.len() - 3))
        );
        assert_eq!(seen[2].3, "brackets → brackets → brackets");
        assert_eq!(seen[2].0, "[[[deep secret value]]]");
    }

    #[test]
    fn short_decodings_are_dropped() {
        assert!(walked(b"x [short] y").is_empty());
    }

    #[test]
    fn streaks_cover_long_alphanumeric_runs() {
        let mut text = b"a b c.d-e_f ".repeat(10);
        let at = text.len() + 3;
        text.extend_from_slice(b"   ");
        text.extend_from_slice(&[b'Q'; 23]);
        text.extend_from_slice(b" x.y ");
        let mut seen = Vec::new();
        streaks(&text, b'z', 2, |a, b| seen.push((a, b)));
        assert_eq!(seen.len(), 1);
        assert!(seen[0].0 >= at && seen[0].1 <= at + 23, "{seen:?}");
        for pad in 0..16 {
            let mut t = vec![b' '; pad];
            t.extend_from_slice(&[b'7'; 23]);
            t.push(b' ');
            let mut n = 0;
            streaks(&t, b'f', 2, |_, _| n += 1);
            assert_eq!(n, 1, "pad {pad}");
        }
        let mut n = 0;
        streaks(b"under_score_words_are_not_runs_at_all", b'z', 2, |_, _| {
            n += 1
        });
        assert_eq!(n, 0);
    }

    #[test]
    fn decoders_stop_at_the_span_bound() {
        let cases: [(&dyn Decoder, &str); 3] = [
            (&percent::Percent, "%41bcdefghij "),
            (&escapes::Escapes, "\"\\x41bcdefghij\" "),
            (&entities::Entities, "'&amp;bcdefghij' "),
        ];
        for (d, unit) in cases {
            let text = unit.repeat(MAX_SPANS + 10);
            let mut out = Vec::new();
            d.decode(text.as_bytes(), &mut out);
            assert_eq!(out.len(), MAX_SPANS, "{}", d.name());
        }
    }

    #[test]
    fn text_test() {
        assert!(looks_like_text(b"user:hunter2 and more"));
        assert!(!looks_like_text(b"\x01\x02\x03\x04\x05\x06\x07\x08\x09"));
        assert!(!looks_like_text(b"\xff\xfe\x00abcdefgh"));
        assert!(!looks_like_text(b"short"));
    }
}
