//! Percent-encoding (`%XX`) in URLs, log lines and form bodies. The span is
//! the token around a `%XX`: up to whitespace, a quote, `<`, `>`, a
//! backtick, a bracket or a parenthesis. Every `%XX` in it is decoded; other
//! bytes, `+` included, are kept as they are (a `+` for a space only
//! matters between words, never inside a secret).

use super::{Decoded, Decoder, Unescaped, hex_digit};

pub struct Percent;

fn stops(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t'
            | b'\r'
            | b'\n'
            | b'"'
            | b'\''
            | b'`'
            | b'<'
            | b'>'
            | b'('
            | b')'
            | b'['
            | b']'
            | b'{'
            | b'}'
    )
}

fn escape_at(data: &[u8], i: usize) -> Option<u8> {
    let hi = hex_digit(*data.get(i + 1)?)?;
    let lo = hex_digit(*data.get(i + 2)?)?;
    Some(hi << 4 | lo)
}

impl Decoder for Percent {
    fn name(&self) -> &'static str {
        "percent"
    }

    fn applies(&self, data: &[u8]) -> bool {
        memchr::memchr(b'%', data).is_some()
    }

    fn decode(&self, data: &[u8], out: &mut Vec<Decoded>) {
        super::decode_tokens(
            data,
            b'%',
            stops,
            |d, i| escape_at(d, i).map(|v| Unescaped::byte(3, v)),
            out,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(text: &str) -> Vec<(String, String)> {
        crate::decoders::spans(&Percent, text)
    }

    #[test]
    fn tokens_with_escapes_are_decoded() {
        assert_eq!(
            decoded("GET /cb?token=ghp%5Fabc%2Bd+e&x=1 HTTP/1.1 100%"), // keysprawl:allow (test fixture)
            vec![(
                "/cb?token=ghp%5Fabc%2Bd+e&x=1".to_string(), // keysprawl:allow (test fixture)
                "/cb?token=ghp_abc+d+e&x=1".to_string()
            )]
        );
        assert_eq!(decoded("\"a%20b\" 'c%41'").len(), 2);
    }

    #[test]
    fn bad_escapes_are_kept() {
        assert!(decoded("50% off, %zz %4").is_empty());
        assert_eq!(decoded("a%4%41")[0].1, "a%4A");
    }
}
