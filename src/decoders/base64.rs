//! Base64 runs in text: the standard (`+/`) and URL-safe (`-_`) alphabets,
//! padded or not, in runs of at least [`MIN_RUN`] characters. Runs are
//! located by [`super::alnum_streaks`] (three aligned 8-byte words of
//! letters and digits), so a run is found when it has 31 alphanumeric
//! characters in a row: base64 of ASCII text has `+/` (or `-_`) only where a third byte is
//! one of `>?~`, so this misses almost none. Shorter values (a short
//! password) decode to too little for any rule to match alone; `Basic`
//! credentials and Kubernetes `data:` values have their own decoders. Only
//! runs with both upper- and lower-case letters are tried (hex digests and
//! words are not base64), and only a decoding that reads as text is kept
//! ([`super::looks_like_text`]): random bytes from a chance run are dropped.

use base64::Engine as _;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, GeneralPurpose as Gp};

use super::{Decoded, Decoder, looks_like_text};

pub struct Base64;

/// A run this long is decoded wherever it is.
pub const MIN_RUN: usize = 32;
/// A long run's first this-many characters are decoded first: binary
/// (a key, an image, a certificate) is dropped without decoding the rest.
const PROBE: usize = 64;

const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const STANDARD: GeneralPurpose = Gp::new(&base64::alphabet::STANDARD, LENIENT);
const URL_SAFE: GeneralPurpose = Gp::new(&base64::alphabet::URL_SAFE, LENIENT);

const UPPER: u8 = 1;
const LOWER: u8 = 2;
const DIGIT: u8 = 4;
const STD: u8 = 8; // + /
const URL: u8 = 16; // - _

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = match b {
            b'A'..=b'Z' => UPPER,
            b'a'..=b'z' => LOWER,
            b'0'..=b'9' => DIGIT,
            b'+' | b'/' => STD,
            b'-' | b'_' => URL,
            _ => 0,
        };
        i += 1;
    }
    t
};

impl Decoder for Base64 {
    fn name(&self) -> &'static str {
        "base64"
    }

    fn applies(&self, data: &[u8]) -> bool {
        data.len() >= MIN_RUN
    }

    fn decode(&self, data: &[u8], out: &mut Vec<Decoded>) {
        // Streaks of alphanumeric words locate the candidates; the exact
        // runs (with `+/-_`) are then read around each streak.
        let mut done = 0usize;
        super::alnum_streaks(data, |s, e| {
            if e <= done {
                return;
            }
            let mut lo = s.max(done);
            while lo > done && CLASS[data[lo - 1] as usize] != 0 {
                lo -= 1;
            }
            let mut hi = e;
            while hi < data.len() && CLASS[data[hi] as usize] != 0 {
                hi += 1;
            }
            runs(data, lo, hi, out);
            done = hi;
        });
    }
}

/// The maximal runs of base64 characters in `data[lo..hi]` (one pass),
/// each with the classes of its characters, to [`consider`].
fn runs(data: &[u8], lo: usize, hi: usize, out: &mut Vec<Decoded>) {
    let mut start = lo;
    let mut classes = 0u8;
    for (j, &c) in data[lo..hi].iter().enumerate() {
        let class = CLASS[c as usize];
        if class != 0 {
            classes |= class;
            continue;
        }
        if out.len() >= super::MAX_SPANS {
            return;
        }
        if lo + j - start >= MIN_RUN {
            consider(data, start, lo + j, classes, out);
        }
        start = lo + j + 1;
        classes = 0;
    }
    if hi - start >= MIN_RUN {
        consider(data, start, hi, classes, out);
    }
}

fn consider(data: &[u8], a: usize, b: usize, classes: u8, out: &mut Vec<Decoded>) {
    if classes & (UPPER | LOWER) != UPPER | LOWER || classes & (STD | URL) == STD | URL {
        return;
    }
    let engine = if classes & URL != 0 {
        &URL_SAFE
    } else {
        &STANDARD
    };
    wrapped(data, a, b, engine, out);
    // Up to two `=` of padding belong to the run.
    let mut end = b;
    while end < data.len() && end < b + 2 && data[end] == b'=' {
        end += 1;
    }
    let run = &data[a..b];
    // A run whose length leaves one character over is not base64 as a
    // whole; its last character is most likely not part of the value.
    let run = if run.len() % 4 == 1 {
        &run[..run.len() - 1]
    } else {
        run
    };
    if run.len() > PROBE {
        match engine.decode(&run[..PROBE]) {
            Ok(head) if looks_like_text(&head) => {}
            _ => return,
        }
    }
    let Ok(bytes) = engine.decode(run) else {
        return;
    };
    if looks_like_text(&bytes) {
        out.push(Decoded {
            start: a,
            end,
            bytes,
        });
    }
}

/// Line widths base64 tools wrap at are multiples of 4 in this range
/// (PEM's 64, MIME's and the `base64` command's 76).
const WRAP: std::ops::RangeInclusive<usize> = 60..=128;
/// A wrapped block is joined up to this many base64 characters.
const MAX_WRAPPED: usize = 1 << 20;
/// The indentation a wrapped block's lines may have (YAML, code).
const MAX_INDENT: usize = 64;

/// The base64 run of the line starting at `pos`, after its indentation:
/// `(start, end, end with padding, start of the next line)`, when the line
/// holds nothing else.
fn line_run(data: &[u8], pos: usize) -> Option<(usize, usize, usize, usize)> {
    let mut s = pos;
    while s < data.len() && matches!(data[s], b' ' | b'\t') {
        s += 1;
        if s - pos > MAX_INDENT {
            // Deeper blocks are decoded line by line only, which keeps the
            // first-line test (and so the join) linear.
            return None;
        }
    }
    let mut e = s;
    while e < data.len() && CLASS[data[e] as usize] != 0 {
        e += 1;
    }
    let mut p = e;
    while p < data.len() && p < e + 2 && data[p] == b'=' {
        p += 1;
    }
    let mut n = p;
    if n < data.len() && data[n] == b'\r' {
        n += 1;
    }
    match data.get(n) {
        None => Some((s, e, p, data.len())),
        Some(b'\n') => Some((s, e, p, n + 1)),
        Some(_) => None,
    }
}

/// A block of base64 wrapped at a fixed width (what `base64`, PEM and MIME
/// write) whose first line is the run `data[a..b]`: its lines are joined
/// and decoded as one, so a value across a line break is found. Each line
/// is still decoded on its own too (a wrap width divisible by 4 keeps
/// lines aligned); a secret seen both ways is one finding.
fn wrapped(data: &[u8], a: usize, b: usize, engine: &GeneralPurpose, out: &mut Vec<Decoded>) {
    let width = b - a;
    if !width.is_multiple_of(4) || !WRAP.contains(&width) {
        return;
    }
    // The run is a whole line (after its indentation: looked for back over
    // blanks only, so this stays linear on long lines), and the first of
    // its block.
    let mut line_start = a;
    while line_start > 0 && matches!(data[line_start - 1], b' ' | b'\t') {
        line_start -= 1;
    }
    if line_start > 0 && data[line_start - 1] != b'\n' {
        return;
    }
    let Some((s, e, p, mut next)) = line_run(data, line_start) else {
        return;
    };
    if s != a || e != b || p != e || next >= data.len() {
        return;
    }
    // Not the first line when the line before holds a run of this width
    // (looked for back over at most such a line and its indentation).
    if line_start > 0 {
        let nl = line_start - 1;
        let from = nl.saturating_sub(width + 2 + MAX_INDENT);
        let prev_start = data[from..nl]
            .iter()
            .rposition(|&c| c == b'\n')
            .map(|p| from + p + 1);
        let prev_start = match prev_start {
            Some(p) => Some(p),
            None if from == 0 => Some(0),
            None => None,
        };
        if prev_start
            .and_then(|p| line_run(data, p))
            .is_some_and(|(s, e, _, _)| e - s == width)
        {
            return;
        }
    }
    let mut joined: Vec<u8> = data[a..b].to_vec();
    let mut end = b;
    let mut lines = 1;
    while let Some((s, e, p, n)) = line_run(data, next) {
        let len = e - s;
        if len == 0 || len > width || joined.len() + (p - s) > MAX_WRAPPED {
            break;
        }
        joined.extend_from_slice(&data[s..p]);
        end = p;
        lines += 1;
        if len < width || p > e || n >= data.len() {
            break;
        }
        next = n;
    }
    if lines < 2 {
        return;
    }
    if let Ok(head) = engine.decode(&joined[..PROBE.min(joined.len())])
        && !looks_like_text(&head)
    {
        return;
    }
    if let Ok(bytes) = engine.decode(&joined)
        && looks_like_text(&bytes)
    {
        out.push(Decoded {
            start: a,
            end,
            bytes,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_wrapped_at_a_fixed_width_is_joined() {
        use base64::engine::general_purpose::STANDARD as B64;
        let text = "host=db.internal\nuser=app\npassword=Zq8x2lm9v4b7nW3kP0sR\nregion=eu-west-1\n"; // keysprawl:allow (test fixture)
        let enc = B64.encode(text);
        for width in [64, 76] {
            for indent in ["", "    "] {
                let block: String = enc
                    .as_bytes()
                    .chunks(width)
                    .map(|c| format!("{indent}{}\n", String::from_utf8_lossy(c)))
                    .collect();
                let got = decoded(&block);
                assert!(
                    got.iter().any(|(_, d)| d == text),
                    "width {width}, indent {indent:?}: {got:?}"
                );
            }
        }
        // A run alone on its line that the next line does not continue is
        // decoded as itself only.
        let one = format!("{}\nnot base64 here\n", &enc[..76]);
        assert!(decoded(&one).iter().all(|(_, d)| d.len() <= 57));
    }

    fn decoded(text: &str) -> Vec<(String, String)> {
        crate::decoders::spans(&Base64, text)
    }

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    #[test]
    fn long_runs_anywhere() {
        let enc = b64("the api key is abc123 and more text");
        let got = decoded(&format!("x = foo({enc}) // {enc}\n"));
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, enc);
        assert_eq!(got[0].1, "the api key is abc123 and more text");
    }

    #[test]
    fn url_safe_unpadded() {
        let text = "some longer text with a question? mark and more words here to make it long";
        let enc = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text);
        assert!(enc.contains(['-', '_']));
        let got = decoded(&format!("v={enc}&x"));
        assert_eq!(got, vec![(enc, text.to_string())]);
    }

    #[test]
    fn short_runs_are_not_decoded() {
        let enc = b64("hunter2hunter");
        assert!(enc.len() < MIN_RUN);
        assert!(decoded(&format!("password: {enc}\n")).is_empty());
    }

    #[test]
    fn binary_hashes_and_words_are_not_decoded() {
        // Random bytes: not text.
        let bin: Vec<u8> = (0..48u32).map(|i| (i * 97 + 13) as u8 ^ 0xa5).collect();
        let enc = base64::engine::general_purpose::STANDARD.encode(&bin);
        assert!(decoded(&format!("blob: {enc}")).is_empty());
        // A hex digest, a long identifier.
        assert!(
            decoded("sha: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                .is_empty()
        );
        assert!(decoded("some_really_long_snake_case_identifier_name").is_empty());
        assert!(decoded("").is_empty());
        assert!(decoded("=====").is_empty());
    }

    #[test]
    fn runs_are_found_whatever_their_offset() {
        let enc = b64("secret text that is long enough");
        for pad in 0..30 {
            let text = format!("{}{enc}", ".".repeat(pad));
            assert_eq!(decoded(&text).len(), 1, "pad {pad}");
        }
    }
}
