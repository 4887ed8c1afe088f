//! Google Cloud service-account keys: sign a JWT with the key (RS256) and
//! exchange it at the token endpoint. Only a working key gets a token.

use base64::Engine as _;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};

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
