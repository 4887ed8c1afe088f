//! `kind = "azure-storage"`: Azure Storage account keys. A Shared Key
//! signed `List Containers` call, which only reads.

use base64::Engine as _;
use ring::hmac;

use super::http::{Answer, Captures};
use super::{Check, Prepared, verdict};
use crate::findings::{Validation, ValidationStatus};
use crate::rules::ValidationRecipe;

/// The validator of `kind = "azure-storage"`. It reads `secret` (the
/// base64 account key) and `account` (the storage account's name).
pub struct ListContainers;

/// The storage account a match names, when it is a valid account name
/// (3 to 24 lowercase letters and digits): it becomes part of the host.
fn account(caps: &Captures) -> Result<String, Validation> {
    let Some(account) = caps.get("account").map(|a| a.to_ascii_lowercase()) else {
        return Err(verdict(
            ValidationStatus::Unknown,
            "no storage account name next to the key",
        ));
    };
    if !(3..=24).contains(&account.len())
        || !account
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return Err(verdict(
            ValidationStatus::Unknown,
            "not checked: the account name is not a storage account name",
        ));
    }
    Ok(account)
}

impl Check for ListContainers {
    fn prepare(&self, _: &ValidationRecipe, caps: &Captures) -> Result<Prepared, Validation> {
        let key = caps.get("secret").map_or("", String::as_str);
        let account = account(caps)?;
        let date = now_rfc1123();
        let (url, auth) = list_containers(&account, key, &date)
            .map_err(|e| verdict(ValidationStatus::Unknown, format!("not checked: {e}")))?;
        Ok(Prepared {
            method: reqwest::Method::GET,
            url,
            host: format!("{account}.blob.core.windows.net"),
            headers: vec![
                ("x-ms-date".into(), date),
                ("x-ms-version".into(), VERSION.into()),
                ("Authorization".into(), auth),
            ],
            basic: None,
            body: None,
        })
    }

    fn judge(&self, _: &ValidationRecipe, answer: &Answer, caps: &Captures) -> Validation {
        let body = String::from_utf8_lossy(&answer.body);
        match answer.status {
            200 if body.contains("<EnumerationResults") => {
                let mut v = verdict(ValidationStatus::Live, "HTTP 200: container list returned");
                if let Ok(account) = account(caps) {
                    v.identity = Some(format!("storage account {account}"));
                }
                v.permissions = vec!["account key (full control of the account)".into()];
                v.overprivileged = true;
                v
            }
            403 if body.contains("AuthenticationFailed") => {
                verdict(ValidationStatus::Revoked, "HTTP 403: AuthenticationFailed")
            }
            s => verdict(
                ValidationStatus::Unknown,
                format!("HTTP {s}: not an answer this check knows"),
            ),
        }
    }
}

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
