//! Backslash escapes: JSON-escaped strings (`\"`, `\\`, `\/`, `\n`, …),
//! `\uXXXX` (surrogate pairs included) and `\xNN`. A double-quoted string
//! holding an escape that can hide a secret (`\"`, `\/`, `\'`, `\u`, `\x`)
//! is decoded whole: a JSON document embedded as a string in another JSON,
//! YAML or code file. Outside double quotes, the whitespace-delimited token
//! around such an escape is decoded. Lines are read one at a time, only
//! those holding a backslash.

use super::{Decoded, Decoder, hex_digit};

pub struct Escapes;

impl Decoder for Escapes {
    fn name(&self) -> &'static str {
        "json-string"
    }

    fn applies(&self, data: &[u8]) -> bool {
        memchr::memchr(b'\\', data).is_some()
    }

    fn decode(&self, data: &[u8], out: &mut Vec<Decoded>) {
        let mut pos = 0usize;
        while let Some(k) = memchr::memchr(b'\\', &data[pos..]) {
            let i = pos + k;
            let ls = memchr::memrchr(b'\n', &data[pos..i]).map_or(pos, |p| pos + p + 1);
            let le = memchr::memchr(b'\n', &data[i..]).map_or(data.len(), |p| i + p);
            line(data, ls, le, out);
            pos = le;
            if pos >= data.len() {
                break;
            }
        }
    }
}

/// An escape (the byte after `\`) that can hide part of a secret.
fn significant(b: Option<&u8>) -> bool {
    matches!(b, Some(b'"' | b'/' | b'\'' | b'u' | b'x'))
}

fn line(data: &[u8], ls: usize, le: usize, out: &mut Vec<Decoded>) {
    let mut j = ls;
    let mut token = ls; // start of the current unquoted token
    while j < le {
        match data[j] {
            b'"' => {
                let mut k = j + 1;
                let mut found = false;
                while k < le {
                    match data[k] {
                        b'\\' => {
                            found |= significant(data.get(k + 1));
                            k += 2;
                        }
                        b'"' => break,
                        _ => k += 1,
                    }
                }
                let k = k.min(le);
                if found {
                    push(data, j + 1, k, out);
                }
                j = k + 1;
                token = j;
            }
            b'\\' => {
                let mut k = j;
                let mut found = false;
                while k < le && !matches!(data[k], b' ' | b'\t' | b'\r' | b'"') {
                    if data[k] == b'\\' {
                        found |= significant(data.get(k + 1));
                        k += 2;
                    } else {
                        k += 1;
                    }
                }
                let k = k.min(le);
                if found {
                    push(data, token, k, out);
                }
                j = k;
                token = k;
            }
            b' ' | b'\t' | b'\r' => {
                j += 1;
                token = j;
            }
            _ => j += 1,
        }
    }
}

fn push(data: &[u8], start: usize, end: usize, out: &mut Vec<Decoded>) {
    if start >= end || out.len() >= super::MAX_SPANS {
        return;
    }
    out.push(Decoded {
        start,
        end,
        bytes: unescape(&data[start..end]),
    });
}

fn hex4(s: &[u8], i: usize) -> Option<u32> {
    let mut v = 0u32;
    for k in 0..4 {
        v = v << 4 | u32::from(hex_digit(*s.get(i + k)?)?);
    }
    Some(v)
}

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// Undo one layer of backslash escapes; an unknown or broken escape is kept
/// as written.
pub fn unescape(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] != b'\\' || i + 1 >= s.len() {
            out.push(s[i]);
            i += 1;
            continue;
        }
        let simple = match s[i + 1] {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            b'/' => Some(b'/'),
            b'\'' => Some(b'\''),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'b' => Some(8),
            b'f' => Some(12),
            _ => None,
        };
        if let Some(b) = simple {
            out.push(b);
            i += 2;
            continue;
        }
        match s[i + 1] {
            b'x' => match (
                s.get(i + 2).and_then(|&b| hex_digit(b)),
                s.get(i + 3).and_then(|&b| hex_digit(b)),
            ) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 4;
                }
                _ => {
                    out.push(b'\\');
                    i += 1;
                }
            },
            b'u' => match hex4(s, i + 2) {
                Some(hi @ 0xD800..=0xDBFF) => {
                    let lo = (s.get(i + 6) == Some(&b'\\') && s.get(i + 7) == Some(&b'u'))
                        .then(|| hex4(s, i + 8))
                        .flatten()
                        .filter(|lo| (0xDC00..=0xDFFF).contains(lo));
                    match lo {
                        Some(lo) => {
                            let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                            push_char(&mut out, char::from_u32(c).unwrap_or('\u{fffd}'));
                            i += 12;
                        }
                        None => {
                            push_char(&mut out, '\u{fffd}');
                            i += 6;
                        }
                    }
                }
                Some(v) => {
                    push_char(&mut out, char::from_u32(v).unwrap_or('\u{fffd}'));
                    i += 6;
                }
                None => {
                    out.push(b'\\');
                    i += 1;
                }
            },
            _ => {
                out.push(b'\\');
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(text: &str) -> Vec<(String, String)> {
        crate::decoders::spans(&Escapes, text)
    }

    #[test]
    fn embedded_json_string() {
        let text = r#"{"config": "{\"token\": \"abc\", \"url\": \"https:\/\/x\"}", "n": "a\nb"}"#;
        assert_eq!(
            decoded(text),
            vec![(
                r#"{\"token\": \"abc\", \"url\": \"https:\/\/x\"}"#.to_string(),
                r#"{"token": "abc", "url": "https://x"}"#.to_string()
            )]
        );
    }

    #[test]
    fn unicode_and_hex_escapes() {
        assert_eq!(unescape(br"\u0067hp\u005f\x41"), b"ghp_A");
        assert_eq!(unescape(br"\ud83d\ude00!"), "😀!".as_bytes());
        assert_eq!(unescape(br"\ud83d?"), "\u{fffd}?".as_bytes());
        assert_eq!(unescape(br"\u12 \x4 \q \"), br"\u12 \x4 \q \");
        assert_eq!(
            decoded(r"key=\u0067hp_abc rest"),
            vec![(r"key=\u0067hp_abc".to_string(), "key=ghp_abc".to_string())]
        );
    }

    #[test]
    fn unterminated_and_plain() {
        assert_eq!(decoded("\"abc\\\"def").len(), 1);
        assert!(decoded("printf(\"hello\\n\")").is_empty());
        assert!(decoded("\\").is_empty());
        assert!(decoded("\\\n\\").is_empty());
    }
}
