//! `kind = "aws"`: the STS `GetCallerIdentity` check, the one call every
//! working access key may make, which changes nothing; signed with AWS
//! Signature Version 4 (no SDK).

use ring::{digest, hmac};

use super::http::{Answer, Captures};
use super::{Check, Prepared, verdict};
use crate::findings::{Validation, ValidationStatus};
use crate::rules::ValidationRecipe;

/// The validator of `kind = "aws"`. It reads `secret` (the secret access
/// key), `key_id` or `access_key_id`, and an optional `session_token`.
pub struct CallerIdentity;

const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

impl Check for CallerIdentity {
    fn prepare(&self, _: &ValidationRecipe, caps: &Captures) -> Result<Prepared, Validation> {
        let secret = caps.get("secret").map_or("", String::as_str);
        let Some(key_id) = caps.get("key_id").or_else(|| caps.get("access_key_id")) else {
            return Err(verdict(
                ValidationStatus::Unknown,
                "no access key id found next to the secret key",
            ));
        };
        let amz_date = amz_date_now();
        let req = SigV4Request {
            method: "POST",
            host: STS_HOST,
            path: "/",
            query: "",
            headers: &[("content-type", CONTENT_TYPE)],
            body: STS_BODY.as_bytes(),
        };
        let auth = authorization(&req, key_id, secret, "us-east-1", "sts", &amz_date);
        let mut headers = vec![
            ("Content-Type".to_string(), CONTENT_TYPE.to_string()),
            ("X-Amz-Date".to_string(), amz_date),
            ("Authorization".to_string(), auth),
            ("Accept".to_string(), "application/xml".to_string()),
        ];
        if let Some(token) = caps.get("session_token") {
            headers.push(("X-Amz-Security-Token".into(), token.clone()));
        }
        Ok(Prepared {
            method: reqwest::Method::POST,
            url: format!("https://{STS_HOST}/"),
            host: STS_HOST.to_string(),
            headers,
            basic: None,
            body: Some(STS_BODY.to_string()),
        })
    }

    fn judge(&self, _: &ValidationRecipe, answer: &Answer, _: &Captures) -> Validation {
        let body = String::from_utf8_lossy(&answer.body);
        match answer.status {
            200 => match caller_identity(&body) {
                Some((arn, account)) => {
                    let mut v = verdict(
                        ValidationStatus::Live,
                        "HTTP 200 from STS GetCallerIdentity",
                    );
                    // The account's root user can do everything.
                    v.overprivileged = arn.ends_with(":root");
                    v.identity = Some(format!("{arn} (account {account})"));
                    v
                }
                None => verdict(
                    ValidationStatus::Unknown,
                    "HTTP 200 without a caller identity",
                ),
            },
            403 if body.contains("InvalidClientTokenId")
                || body.contains("SignatureDoesNotMatch") =>
            {
                verdict(ValidationStatus::Revoked, "HTTP 403: AWS rejects the key")
            }
            403 if body.contains("ExpiredToken") => {
                verdict(ValidationStatus::Revoked, "HTTP 403: session expired")
            }
            s => verdict(
                ValidationStatus::Unknown,
                format!("HTTP {s}: not an answer this check knows"),
            ),
        }
    }
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(digest::digest(&digest::SHA256, data))
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let k = hmac::Key::new(hmac::HMAC_SHA256, key);
    hmac::sign(&k, data).as_ref().to_vec()
}

/// A request to sign: method, host, path, query (already canonical: sorted,
/// URI-encoded), extra headers (lower-case names) and body.
pub struct SigV4Request<'a> {
    pub method: &'a str,
    pub host: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
}

/// The `Authorization` header value for `req`, signed at `amz_date`
/// (`YYYYMMDDTHHMMSSZ`).
pub fn authorization(
    req: &SigV4Request<'_>,
    key_id: &str,
    secret: &str,
    region: &str,
    service: &str,
    amz_date: &str,
) -> String {
    let date = &amz_date[..8.min(amz_date.len())];
    let mut headers: Vec<(String, String)> = vec![
        ("host".into(), req.host.trim().to_string()),
        ("x-amz-date".into(), amz_date.to_string()),
    ];
    for (k, v) in req.headers {
        headers.push((k.to_ascii_lowercase(), v.trim().to_string()));
    }
    headers.sort();
    let canonical_headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_headers = headers
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method,
        req.path,
        req.query,
        canonical_headers,
        signed_headers,
        sha256_hex(req.body)
    );
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let k_date = hmac_sha256(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac_sha256(&k_date, region.as_bytes());
    let k_service = hmac_sha256(&k_region, service.as_bytes());
    let k_signing = hmac_sha256(&k_service, b"aws4_request");
    let signature = hex::encode(hmac_sha256(&k_signing, string_to_sign.as_bytes()));
    format!(
        "AWS4-HMAC-SHA256 Credential={key_id}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"
    )
}

/// `YYYYMMDDTHHMMSSZ` for now.
pub fn amz_date_now() -> String {
    jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

pub const STS_HOST: &str = "sts.amazonaws.com";
pub const STS_BODY: &str = "Action=GetCallerIdentity&Version=2011-06-15";

/// Pull `<Arn>` and `<Account>` out of STS's XML answer.
pub fn caller_identity(xml: &str) -> Option<(String, String)> {
    let tag = |name: &str| {
        let open = format!("<{name}>");
        let close = format!("</{name}>");
        let start = xml.find(&open)? + open.len();
        let end = xml[start..].find(&close)? + start;
        Some(xml[start..end].trim().to_string())
    };
    Some((tag("Arn")?, tag("Account")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's published SigV4 test suite, case `get-vanilla`.
    #[test]
    fn get_vanilla_vector() {
        let req = SigV4Request {
            method: "GET",
            host: "example.amazonaws.com",
            path: "/",
            query: "",
            headers: &[],
            body: b"",
        };
        let auth = authorization(
            &req,
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "us-east-1",
            "service",
            "20150830T123600Z",
        );
        assert_eq!(
            auth,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }

    #[test]
    fn parses_caller_identity() {
        let xml = "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci</Arn>\
                   <UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>";
        assert_eq!(
            caller_identity(xml),
            Some((
                "arn:aws:iam::123456789012:user/ci".into(),
                "123456789012".into()
            ))
        );
    }
}
