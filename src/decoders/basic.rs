//! HTTP Basic credentials: the base64 after `Basic ` (an `Authorization:`
//! header, `"Authorization": "Basic …"`, curl's `-H`) decoded to
//! `user:password`, so a provider token used as user or password is found.
//! Kept only when it has that shape: printable UTF-8, exactly one colon, a
//! non-empty password. The scheme is matched in any case (`Basic`, `basic`,
//! `BASIC`); the matcher's keyword pass says which pieces hold it, so
//! pieces without it cost nothing here.

use base64::Engine as _;

use super::{Decoded, Decoder};

pub struct BasicAuth;

const MIN_VALUE: usize = 8;

fn in_value(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'=')
}

impl Decoder for BasicAuth {
    fn name(&self) -> &'static str {
        "basic-auth"
    }

    fn keywords(&self) -> &'static [&'static str] {
        &["basic "]
    }

    fn applies(&self, data: &[u8]) -> bool {
        schemes(data).next().is_some()
    }

    fn decode(&self, data: &[u8], out: &mut Vec<Decoded>) {
        for k in schemes(data) {
            if out.len() >= super::MAX_SPANS {
                return;
            }
            if k >= 1 && data[k - 1].is_ascii_alphanumeric() {
                continue;
            }
            let mut a = k + SCHEME.len();
            while a < data.len() && data[a] == b' ' {
                a += 1;
            }
            let mut b = a;
            while b < data.len() && in_value(data[b]) {
                b += 1;
            }
            if b - a < MIN_VALUE {
                continue;
            }
            if let Some(bytes) = credentials(&data[a..b]) {
                out.push(Decoded {
                    start: a,
                    end: b,
                    bytes,
                });
            }
        }
    }
}

/// Where `basic ` starts, in any case (`Basic`, `basic`, `BASIC`: HTTP
/// scheme names are case-insensitive). Runs only on pieces where the
/// matcher's keyword pass saw the word (see `keywords`), or on decoded text.
fn schemes(data: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr2_iter(b'B', b'b', data).filter(|&i| {
        data.get(i..i + SCHEME.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(SCHEME))
    })
}

const SCHEME: &[u8] = b"basic ";

fn credentials(value: &[u8]) -> Option<Vec<u8>> {
    use base64::engine::DecodePaddingMode;
    use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
    const CONFIG: GeneralPurposeConfig = GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    const STANDARD: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, CONFIG);
    const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, CONFIG);
    let bytes = STANDARD
        .decode(value)
        .or_else(|_| URL_SAFE.decode(value))
        .ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    if text.chars().any(char::is_control) {
        return None;
    }
    let (user, password) = text.split_once(':')?;
    (!user.is_empty() && !password.is_empty() && !password.contains(':')).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    fn decoded(text: &str) -> Vec<(String, String)> {
        crate::decoders::spans(&BasicAuth, text)
    }

    #[test]
    fn user_password_pairs() {
        let enc = b64("api:key-0123456789");
        assert_eq!(
            decoded(&format!("Authorization: Basic {enc}\r\n")),
            vec![(enc.clone(), "api:key-0123456789".to_string())]
        );
        assert_eq!(
            decoded(&format!("-H 'authorization: Basic {enc}'")).len(),
            1
        );
    }

    #[test]
    fn other_shapes_are_not() {
        for s in [
            "nocolon-at-all",
            "a:b:c:d:e",
            "user:",
            ":password",
            "line\nbreak:x",
        ] {
            assert!(decoded(&format!("Basic {}", b64(s))).is_empty(), "{s}");
        }
        assert!(decoded("Basic !!!!!!!!!!").is_empty());
        assert!(decoded(&format!("AcmeBasic {}", b64("user:password"))).is_empty());
        assert!(decoded("Basic ").is_empty());
        // Any case is the scheme; a word ending in it is not.
        let enc = b64("deploy:hunter2-Xq9");
        assert_eq!(decoded(&format!("authorization: basic {enc}")).len(), 1);
        assert_eq!(decoded(&format!("AUTHORIZATION: BASIC {enc}")).len(), 1);
        assert!(decoded(&format!("nonbasic {enc}")).is_empty());
    }
}
