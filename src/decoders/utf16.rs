//! UTF-16 text (Windows `.reg` exports, PowerShell scripts, some `.ini` and
//! `.config` files) transcoded to UTF-8 before matching, so it is no longer
//! skipped as binary for its NUL bytes.
//!
//! Recognised by its byte order mark (`FF FE` little-endian, `FE FF`
//! big-endian), or without one when the first KiB has the NUL pattern of
//! ASCII text in UTF-16 (nearly every second byte zero, the other a
//! printable character). Unpaired surrogates become U+FFFD; the byte order
//! mark itself is dropped, so line and column are those of the decoded
//! UTF-8 text (columns count its bytes, as for any other file).

use std::io::Read;

/// Byte order of a UTF-16 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endian {
    Little,
    Big,
}

/// How much of the content the BOM-less check looks at.
const SNIFF: usize = 1024;
/// Code units the BOM-less check needs before it decides.
const MIN_UNITS: usize = 16;

/// Whether `data` is UTF-16 text, and in which byte order. `data` may be
/// only the head of the content.
pub fn detect(data: &[u8]) -> Option<Endian> {
    match data {
        // `FF FE 00 00` opens UTF-32LE, not UTF-16.
        [0xFF, 0xFE, 0, 0, ..] => None,
        [0xFF, 0xFE, ..] => Some(Endian::Little),
        [0xFE, 0xFF, ..] => Some(Endian::Big),
        _ => sniff(data),
    }
}

/// The BOM-less check: over the first KiB, at least 95% of the code units
/// are ASCII text (a zero high byte and a printable or whitespace low byte)
/// in one byte order.
fn sniff(data: &[u8]) -> Option<Endian> {
    let head = &data[..data.len().min(SNIFF) & !1];
    let units = head.len() / 2;
    if units < MIN_UNITS {
        return None;
    }
    let text = |b: u8| matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7E);
    let (mut le, mut be) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        if pair[1] == 0 && text(pair[0]) {
            le += 1;
        }
        if pair[0] == 0 && text(pair[1]) {
            be += 1;
        }
    }
    let enough = |n: usize| n * 100 >= units * 95;
    if enough(le) {
        Some(Endian::Little)
    } else if enough(be) {
        Some(Endian::Big)
    } else {
        None
    }
}

/// Incremental UTF-16 → UTF-8 transcoding: input may be cut anywhere (an
/// odd byte, half a surrogate pair), so chunks of a stream decode the same
/// as the whole.
#[derive(Debug)]
pub struct Transcoder {
    endian: Endian,
    /// A byte of a code unit whose other byte is in the next chunk.
    odd: Option<u8>,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
    /// Nothing decoded yet: a leading byte order mark is dropped.
    at_start: bool,
}

impl Transcoder {
    pub fn new(endian: Endian) -> Transcoder {
        Transcoder {
            endian,
            odd: None,
            high: None,
            at_start: true,
        }
    }

    /// Decode `input`, appending UTF-8 to `out`.
    pub fn push(&mut self, mut input: &[u8], out: &mut Vec<u8>) {
        out.reserve(input.len() + input.len() / 2);
        if let Some(first) = self.odd.take() {
            let Some((&second, rest)) = input.split_first() else {
                self.odd = Some(first);
                return;
            };
            self.unit([first, second], out);
            input = rest;
        }
        let mut pairs = input.chunks_exact(2);
        for pair in &mut pairs {
            self.unit([pair[0], pair[1]], out);
        }
        if let [last] = pairs.remainder() {
            self.odd = Some(*last);
        }
    }

    /// The end of the input: a dangling half unit or surrogate becomes U+FFFD.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        if self.high.take().is_some() || self.odd.take().is_some() {
            push_char(char::REPLACEMENT_CHARACTER, out);
        }
    }

    fn unit(&mut self, bytes: [u8; 2], out: &mut Vec<u8>) {
        let u = match self.endian {
            Endian::Little => u16::from_le_bytes(bytes),
            Endian::Big => u16::from_be_bytes(bytes),
        };
        if std::mem::take(&mut self.at_start) && u == 0xFEFF {
            return;
        }
        if let Some(high) = self.high.take() {
            if (0xDC00..0xE000).contains(&u) {
                let c = 0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
                push_char(
                    char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER),
                    out,
                );
                return;
            }
            push_char(char::REPLACEMENT_CHARACTER, out);
        }
        match u {
            0..0x80 => out.push(u as u8),
            0xD800..0xDC00 => self.high = Some(u),
            0xDC00..0xE000 => push_char(char::REPLACEMENT_CHARACTER, out),
            _ => push_char(
                char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER),
                out,
            ),
        }
    }
}

fn push_char(c: char, out: &mut Vec<u8>) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// `data` (all of it) as UTF-8, appended to `out`.
pub fn decode_into(data: &[u8], endian: Endian, out: &mut Vec<u8>) {
    let mut t = Transcoder::new(endian);
    t.push(data, out);
    t.finish(out);
}

/// A reader of UTF-16 text that yields its UTF-8 transcoding, for inputs
/// too large to hold (they are scanned in chunks like any large file).
pub struct Utf16Reader<R> {
    inner: R,
    transcoder: Transcoder,
    raw: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    done: bool,
}

impl<R: Read> Utf16Reader<R> {
    pub fn new(inner: R, endian: Endian) -> Utf16Reader<R> {
        Utf16Reader {
            inner,
            transcoder: Transcoder::new(endian),
            raw: vec![0u8; 64 * 1024],
            out: Vec::new(),
            pos: 0,
            done: false,
        }
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.out.len() {
            if self.done {
                return Ok(0);
            }
            self.out.clear();
            self.pos = 0;
            let n = match self.inner.read(&mut self.raw) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                self.done = true;
                self.transcoder.finish(&mut self.out);
            } else {
                self.transcoder.push(&self.raw[..n], &mut self.out);
            }
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn le(s: &str, bom: bool) -> Vec<u8> {
        let mut v = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        v.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        v
    }

    fn be(s: &str, bom: bool) -> Vec<u8> {
        let mut v = if bom { vec![0xFE, 0xFF] } else { Vec::new() };
        v.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        v
    }

    const TEXT: &str = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\Acme]\r\n\"Token\"=\"gr\u{fc}n 😀\"\r\n";

    fn decoded(data: &[u8], endian: Endian) -> String {
        let mut out = Vec::new();
        decode_into(data, endian, &mut out);
        String::from_utf8(out).expect("the transcoding is UTF-8")
    }

    #[test]
    fn byte_order_marks_and_the_nul_pattern_are_recognised() {
        assert_eq!(detect(&le(TEXT, true)), Some(Endian::Little));
        assert_eq!(detect(&be(TEXT, true)), Some(Endian::Big));
        assert_eq!(detect(&le(TEXT, false)), Some(Endian::Little));
        assert_eq!(detect(&be(TEXT, false)), Some(Endian::Big));
        // UTF-32LE, plain text, short input, and binary with some NULs.
        assert_eq!(detect(&[0xFF, 0xFE, 0, 0, b'a', 0, 0, 0]), None);
        assert_eq!(detect(TEXT.as_bytes()), None);
        assert_eq!(detect(&le("short", false)), None);
        let binary: Vec<u8> = (0..2048u32).map(|i| (i * 7 % 256) as u8).collect();
        assert_eq!(detect(&binary), None);
        assert_eq!(detect(&[0u8; 4096]), None);
    }

    #[test]
    fn text_decodes_whole_and_in_pieces_without_its_bom() {
        for (data, endian) in [
            (le(TEXT, true), Endian::Little),
            (be(TEXT, true), Endian::Big),
            (le(TEXT, false), Endian::Little),
        ] {
            assert_eq!(decoded(&data, endian), TEXT);
            // Cut at every odd size: halves of units and of surrogate pairs.
            for step in [1, 3, 5, 7] {
                let mut t = Transcoder::new(endian);
                let mut out = Vec::new();
                for piece in data.chunks(step) {
                    t.push(piece, &mut out);
                }
                t.finish(&mut out);
                assert_eq!(String::from_utf8(out).expect("utf-8"), TEXT);
            }
            let mut r = Utf16Reader::new(&data[..], endian);
            let mut s = String::new();
            r.read_to_string(&mut s).expect("reads");
            assert_eq!(s, TEXT);
        }
    }

    #[test]
    fn broken_surrogates_and_odd_lengths_become_replacement_characters() {
        // A lone high surrogate, a lone low one, a dangling byte.
        let data = [0x3D, 0xD8, b'a', 0, 0x00, 0xDC, b'b', 0, b'c'];
        assert_eq!(decoded(&data, Endian::Little), "\u{fffd}a\u{fffd}b\u{fffd}");
        // A high surrogate at the very end.
        assert_eq!(decoded(&[b'x', 0, 0x3D, 0xD8], Endian::Little), "x\u{fffd}");
        assert_eq!(decoded(&[], Endian::Big), "");
    }
}
