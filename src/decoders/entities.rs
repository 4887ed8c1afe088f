//! HTML/XML character references: `&quot;`, `&amp;`, `&lt;`, `&gt;`,
//! `&apos;`, `&#34;`, `&#x22;`. The span is the attribute value or text
//! around a reference: up to a quote, `<`, `>` or the end of the line.

use super::{Decoded, Decoder, Unescaped};

pub struct Entities;

const NAMED: &[(&[u8], u8)] = &[
    (b"quot;", b'"'),
    (b"amp;", b'&'),
    (b"lt;", b'<'),
    (b"gt;", b'>'),
    (b"apos;", b'\''),
];

/// The reference starting at the `&` at `i`: its length and what it stands for.
fn reference(data: &[u8], i: usize) -> Option<(usize, char)> {
    let rest = data.get(i + 1..)?;
    for (name, c) in NAMED {
        if rest.starts_with(name) {
            return Some((1 + name.len(), char::from(*c)));
        }
    }
    let rest = rest.strip_prefix(b"#")?;
    let (radix, digits) = match rest.first() {
        Some(b'x' | b'X') => (16, &rest[1..]),
        _ => (10, rest),
    };
    let n = digits
        .iter()
        .take(8)
        .take_while(|b| b.is_ascii_hexdigit() && (radix == 16 || b.is_ascii_digit()))
        .count();
    if n == 0 || digits.get(n) != Some(&b';') {
        return None;
    }
    let text = std::str::from_utf8(&digits[..n]).ok()?;
    let c = char::from_u32(u32::from_str_radix(text, radix).ok()?)?;
    Some((1 + (rest.len() - digits.len()) + 1 + n + 1, c))
}

fn stops(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | b'<' | b'>' | b'\n')
}

impl Decoder for Entities {
    fn name(&self) -> &'static str {
        "html-entities"
    }

    fn applies(&self, data: &[u8]) -> bool {
        memchr::memchr(b'&', data).is_some()
    }

    fn decode(&self, data: &[u8], out: &mut Vec<Decoded>) {
        super::decode_tokens(
            data,
            b'&',
            stops,
            |d, i| reference(d, i).map(|(len, c)| Unescaped::char(len, c)),
            out,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(text: &str) -> Vec<(String, String)> {
        crate::decoders::spans(&Entities, text)
    }

    #[test]
    fn attribute_values_are_decoded() {
        let text =
            r#"<add value="Server=x;Password=&quot;p&amp;w&#34;&#x22;&lt;&gt;&apos;&#128512;" />"#; // keysprawl:allow (test fixture)
        assert_eq!(
            decoded(text),
            vec![(
                "Server=x;Password=&quot;p&amp;w&#34;&#x22;&lt;&gt;&apos;&#128512;".to_string(), // keysprawl:allow (test fixture)
                "Server=x;Password=\"p&w\"\"<>'😀".to_string() // keysprawl:allow (test fixture)
            )]
        );
    }

    #[test]
    fn not_references() {
        assert!(decoded("a && b &x; &#; &#xzz; &#99999999999;").is_empty());
        assert!(decoded("&").is_empty());
        assert!(decoded("&#x110000;").is_empty());
    }
}
