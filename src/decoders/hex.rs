//! Hex-encoded text: an even-length run of at least [`MIN_RUN`] hex digits
//! (16 bytes decoded), on its own (not part of a longer word), that decodes
//! to text. Digests and other binary values fail the text test and are
//! dropped.

use super::{Decoded, Decoder, hex_digit, looks_like_text};

pub struct Hex;

pub const MIN_RUN: usize = 32;

fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

impl Decoder for Hex {
    fn name(&self) -> &'static str {
        "hex"
    }

    fn applies(&self, data: &[u8]) -> bool {
        data.len() >= MIN_RUN
    }

    fn decode(&self, data: &[u8], out: &mut Vec<Decoded>) {
        let mut done = 0usize;
        // A hex run of 32 holds 31 hex digits in a row: inside an
        // alphanumeric streak, shared with the base64 decoder.
        super::alnum_streaks(data, |s, e| {
            if e <= done {
                return;
            }
            let mut lo = s.max(done);
            while lo > done && is_hex(data[lo - 1]) {
                lo -= 1;
            }
            let mut hi = e;
            while hi < data.len() && is_hex(data[hi]) {
                hi += 1;
            }
            // Only where three aligned words are all hex digits.
            if lo < hi {
                super::streaks(&data[lo..hi], b'f', super::RUN_WORDS, |a, b| {
                    let mut from = lo + a;
                    while from > lo && is_hex(data[from - 1]) {
                        from -= 1;
                    }
                    let mut to = lo + b;
                    while to < hi && is_hex(data[to]) {
                        to += 1;
                    }
                    runs(data, from, to, out);
                });
            }
            done = hi;
        });
    }
}

/// The hex runs of at least [`MIN_RUN`] digits in `data[from..to]`.
fn runs(data: &[u8], from: usize, to: usize, out: &mut Vec<Decoded>) {
    let n = to;
    let mut floor = from;
    let mut i = from + MIN_RUN - 1;
    while i < n && out.len() < super::MAX_SPANS {
        if !is_hex(data[i]) {
            floor = i + 1;
            i += MIN_RUN;
            continue;
        }
        let mut a = i;
        while a > floor && is_hex(data[a - 1]) {
            a -= 1;
        }
        let mut b = i + 1;
        while b < n && is_hex(data[b]) {
            b += 1;
        }
        floor = b;
        i = b + MIN_RUN;
        let len = b - a;
        let glued = |j: usize| data.get(j).is_some_and(|c| c.is_ascii_alphanumeric());
        if len < MIN_RUN || len % 2 == 1 || (a > 0 && glued(a - 1)) || glued(b) {
            continue;
        }
        if let Some(bytes) = decode_text(&data[a..b]) {
            out.push(Decoded {
                start: a,
                end: b,
                bytes,
            });
        }
    }
}

/// Decode a run of hex digit pairs; `None` as soon as one of the first
/// four bytes is not printable ASCII or the first 16 are not text (most
/// runs are digests: a random byte is printable ASCII three times in eight).
fn decode_text(run: &[u8]) -> Option<Vec<u8>> {
    for pair in run.chunks_exact(2).take(4) {
        let b = hex_digit(pair[0])? << 4 | hex_digit(pair[1])?;
        if !(b.is_ascii_graphic() || b.is_ascii_whitespace()) {
            return None;
        }
    }
    let mut bytes = Vec::with_capacity(run.len() / 2);
    for pair in run.chunks_exact(2) {
        bytes.push(hex_digit(pair[0])? << 4 | hex_digit(pair[1])?);
        if bytes.len() == 16 && !looks_like_text(&bytes) {
            return None;
        }
    }
    looks_like_text(&bytes).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(text: &str) -> Vec<(usize, usize, Vec<u8>)> {
        let mut out = Vec::new();
        Hex.decode(text.as_bytes(), &mut out);
        out.into_iter().map(|d| (d.start, d.end, d.bytes)).collect()
    }

    #[test]
    fn hex_text_is_decoded() {
        let enc = hex::encode("token=abcdef0123456789");
        let text = format!("KEY={enc}\n");
        assert_eq!(
            decoded(&text),
            vec![(4, 4 + enc.len(), b"token=abcdef0123456789".to_vec())]
        );
        assert_eq!(
            decoded(&hex::encode_upper("token=abcdef0123456789")).len(),
            1
        );
    }

    #[test]
    fn digests_odd_runs_and_glued_runs_are_not() {
        assert!(
            decoded("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08").is_empty()
        );
        let enc = hex::encode("token=abcdef0123456789");
        assert!(decoded(&format!("{enc}0")).is_empty());
        assert!(decoded(&format!("z{enc}")).is_empty());
        assert!(decoded("0123").is_empty());
    }
}
