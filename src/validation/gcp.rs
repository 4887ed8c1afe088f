//! `kind = "gcp-service-account"`: Google Cloud service-account keys. Sign
//! a JWT with the key (RS256) and exchange it at the token endpoint; only a
//! working key gets a token.

use base64::Engine as _;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};

use super::http::{Answer, Captures};
use super::{Check, Prepared, verdict};
use crate::findings::{Validation, ValidationStatus};
use crate::rules::ValidationRecipe;

/// The validator of `kind = "gcp-service-account"`. It reads `secret` (the
/// PEM private key) and `client_email`.
pub struct TokenExchange;

impl Check for TokenExchange {
    fn prepare(&self, _: &ValidationRecipe, caps: &Captures) -> Result<Prepared, Validation> {
        let pem = caps.get("secret").map_or("", String::as_str);
        let Some(email) = caps.get("client_email") else {
            return Err(verdict(
                ValidationStatus::Unknown,
                "no client_email next to the key",
            ));
        };
        let assertion = assertion(pem, email, jiff::Timestamp::now().as_second())
            .map_err(|e| verdict(ValidationStatus::Unknown, format!("not checked: {e}")))?;
        Ok(Prepared {
            method: reqwest::Method::POST,
            url: TOKEN_URL.to_string(),
            host: TOKEN_HOST.to_string(),
            headers: vec![(
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            )],
            basic: None,
            body: Some(form_body(&assertion)),
        })
    }

    fn judge(&self, _: &ValidationRecipe, answer: &Answer, caps: &Captures) -> Validation {
        let json: Option<serde_json::Value> = serde_json::from_slice(&answer.body).ok();
        let field = |k: &str| {
            json.as_ref()
                .and_then(|j| j.get(k))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        match answer.status {
            200 if field("access_token").is_some() => {
                let mut v = verdict(
                    ValidationStatus::Live,
                    "HTTP 200: the token endpoint issued an access token",
                );
                v.identity = caps.get("client_email").cloned();
                v
            }
            400 | 401 if field("error").as_deref() == Some("invalid_grant") => verdict(
                ValidationStatus::Revoked,
                format!(
                    "HTTP {}: invalid_grant (key deleted or disabled)",
                    answer.status
                ),
            ),
            s => verdict(
                ValidationStatus::Unknown,
                format!("HTTP {s}: not an answer this check knows"),
            ),
        }
    }
}

pub const TOKEN_HOST: &str = "oauth2.googleapis.com";
pub const TOKEN_URL: &str = "https://oauth2.googleapis.com/token";
const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform.read-only";

/// DER bytes of a PEM `PRIVATE KEY` (PKCS#8), also when its line breaks
/// are JSON-escaped `\n`.
pub fn pkcs8_der(pem: &str) -> Option<Vec<u8>> {
    let body = pem
        .replace("\\n", "\n")
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<String>();
    let clean: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(clean).ok()
}

/// The signed assertion for `client_email`, valid for ten minutes from `now`.
pub fn assertion(pem: &str, client_email: &str, now: i64) -> Result<String, String> {
    let der = pkcs8_der(pem).ok_or("the private key is not base64")?;
    let key =
        RsaKeyPair::from_pkcs8(&der).map_err(|_| "the private key does not parse as RSA PKCS#8")?;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = b64.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    let claims = serde_json::json!({
        "iss": client_email, "scope": SCOPE, "aud": TOKEN_URL, "iat": now, "exp": now + 600,
    });
    let claims = b64.encode(claims.to_string());
    let signing_input = format!("{header}.{claims}");
    let mut sig = vec![0u8; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        signing_input.as_bytes(),
        &mut sig,
    )
    .map_err(|_| "signing failed")?;
    Ok(format!("{signing_input}.{}", b64.encode(sig)))
}

pub fn form_body(assertion: &str) -> String {
    format!(
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={assertion}"
    )
}
