//! Decoding JSON Web Tokens (header and claims only; signatures are not checked).

use base64::Engine as _;
use serde_json::Value;

/// A decoded JWT's header and claims.
#[derive(Debug, Clone)]
pub struct Jwt {
    pub header: Value,
    pub claims: Value,
}

impl Jwt {
    pub fn claim_i64(&self, name: &str) -> Option<i64> {
        let v = self.claims.get(name)?;
        v.as_i64().or_else(|| v.as_f64().map(|f| f as i64))
    }

    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claims.get(name)?.as_str()
    }
}

fn b64(part: &[u8]) -> Option<Vec<u8>> {
    let trimmed: &[u8] = match part.iter().rposition(|&b| b != b'=') {
        Some(p) => &part[..=p],
        None => part,
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(trimmed)
        .ok()
}

/// Decode `header.claims.signature`; `None` unless the header is a JSON
/// object with an `alg` and the claims a JSON object.
pub fn decode(token: &[u8]) -> Option<Jwt> {
    let mut parts = token.split(|&b| b == b'.');
    let header = parts.next()?;
    let claims = parts.next()?;
    let _signature = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    let header: Value = serde_json::from_slice(&b64(header)?).ok()?;
    if !header.is_object() || header.get("alg").is_none() {
        return None;
    }
    let claims: Value = serde_json::from_slice(&b64(claims)?).ok()?;
    if !claims.is_object() {
        return None;
    }
    Some(Jwt { header, claims })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(v: &str) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v)
    }

    #[test]
    fn decodes_header_and_claims() {
        let t = format!(
            "{}.{}.sig",
            enc(r#"{"alg":"HS256"}"#),
            enc(r#"{"exp":1700000000,"sub":"svc"}"#)
        );
        let jwt = decode(t.as_bytes()).expect("decodes");
        assert_eq!(jwt.claim_i64("exp"), Some(1_700_000_000));
        assert_eq!(jwt.claim_str("sub"), Some("svc"));
    }

    #[test]
    fn rejects_non_jwt() {
        assert!(decode(b"a.b.c").is_none());
        let t = format!("{}.{}.sig", enc(r#"{"typ":"x"}"#), enc("{}"));
        assert!(decode(t.as_bytes()).is_none());
    }
}
