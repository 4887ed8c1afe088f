//! Kubernetes `Secret` manifests hold their values base64-encoded under
//! `data:`: each such value is decoded (whatever it decodes to), so a
//! provider token in it is found by its own rule and takes the place of the
//! generic `config-k8s-secret-data` match on the same span.

use super::{Decoded, Decoder};

pub struct K8sSecret;

impl Decoder for K8sSecret {
    fn name(&self) -> &'static str {
        "base64 (Kubernetes Secret data)"
    }

    fn keywords(&self) -> &'static [&'static str] {
        &["kind: secret"]
    }

    fn applies(&self, data: &[u8]) -> bool {
        // `memmem::find(data, b"kind: Secret")`, but led by the rarer
        // capital: a third of the cost on source code.
        memchr::memchr_iter(b'S', data)
            .any(|i| i >= 6 && data[i - 6..].starts_with(b"kind: Secret"))
    }

    fn decode(&self, data: &[u8], out: &mut Vec<Decoded>) {
        out.extend(
            secret_values(data)
                .into_iter()
                .map(|(start, end, bytes)| Decoded { start, end, bytes }),
        );
    }
}

/// `(start, end, decoded)` of every base64 value under a `data:` key in a
/// YAML text that declares `kind: Secret`.
fn secret_values(data: &[u8]) -> Vec<(usize, usize, Vec<u8>)> {
    use base64::Engine as _;
    let mut out = Vec::new();
    let mut in_data: Option<usize> = None; // indentation of `data:`
    let mut offset = 0usize;
    for line in data.split(|&b| b == b'\n') {
        let line_start = offset;
        offset += line.len() + 1;
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let body = &line[indent..];
        let trimmed = body.strip_suffix(b"\r").unwrap_or(body);
        if trimmed == b"data:" {
            in_data = Some(indent);
            continue;
        }
        let Some(data_indent) = in_data else { continue };
        if trimmed.is_empty() || trimmed.starts_with(b"#") {
            continue;
        }
        if indent <= data_indent {
            in_data = None;
            continue;
        }
        let Some(colon) = memchr::memchr(b':', trimmed) else {
            continue;
        };
        let after = &trimmed[colon + 1..];
        let unquoted = after.trim_ascii();
        let value = unquoted
            .strip_prefix(b"\"")
            .and_then(|v| v.strip_suffix(b"\""))
            .unwrap_or(unquoted);
        // The span is the value itself, inside its quotes if it has them.
        let quote = usize::from(value.len() != unquoted.len());
        if value.len() < 12 {
            continue;
        }
        if out.len() >= super::MAX_SPANS {
            break;
        }
        if let Ok(plain) = base64::engine::general_purpose::STANDARD.decode(value) {
            let vstart = line_start
                + indent
                + colon
                + 1
                + (after.len() - after.trim_ascii_start().len())
                + quote;
            out.push((vstart, vstart + value.len(), plain));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_values_are_decoded_on_their_span() {
        let text = b"kind: Secret\ndata:\n  token: \"aGVsbG8gd29ybGQh\"\n  short: aGk=\nother: x\n  k: aGVsbG8gd29ybGQh\n"; // keysprawl:allow (test fixture)
        let mut out = Vec::new();
        assert!(K8sSecret.applies(text));
        K8sSecret.decode(text, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(&text[out[0].start..out[0].end], b"aGVsbG8gd29ybGQh");
        assert_eq!(out[0].bytes, b"hello world!");
    }
}
