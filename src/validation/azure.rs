//! Azure Storage account keys: a Shared Key signed `List Containers` call,
//! which only reads.

use base64::Engine as _;
use ring::hmac;

pub const VERSION: &str = "2021-08-06";

/// `(url, authorization, x-ms-date)` for listing containers of `account`.
pub fn list_containers(
    account: &str,
    key_b64: &str,
    date: &str,
) -> Result<(String, String), String> {
    let key = base64::engine::general_purpose::STANDARD
        .decode(key_b64)
        .map_err(|_| "the account key is not base64")?;
    let string_to_sign = format!(
        "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:{date}\nx-ms-version:{VERSION}\n/{account}/\ncomp:list"
    );
    let tag = hmac::sign(
        &hmac::Key::new(hmac::HMAC_SHA256, &key),
        string_to_sign.as_bytes(),
    );
    let sig = base64::engine::general_purpose::STANDARD.encode(tag.as_ref());
    Ok((
        format!("https://{account}.blob.core.windows.net/?comp=list"),
        format!("SharedKey {account}:{sig}"),
    ))
}

/// RFC 1123 date as Azure wants it in `x-ms-date`.
pub fn now_rfc1123() -> String {
    jiff::Timestamp::now()
        .strftime("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_deterministically_for_the_account_host() {
        let key = base64::engine::general_purpose::STANDARD.encode([7u8; 64]);
        let (url, auth) =
            list_containers("acct", &key, "Mon, 01 Jan 2024 00:00:00 GMT").expect("signs");
        assert_eq!(url, "https://acct.blob.core.windows.net/?comp=list");
        assert!(auth.starts_with("SharedKey acct:"));
        let (_, again) =
            list_containers("acct", &key, "Mon, 01 Jan 2024 00:00:00 GMT").expect("signs");
        assert_eq!(auth, again);
    }
}
