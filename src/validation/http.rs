//! HTTP recipes from rule files (`kind = "http"`): templating, host
//! safety, building the request, and reading the provider's answer into a
//! verdict. Everything such a validator knows is in its rule's recipe.

use std::collections::HashMap;

use serde_json::Value;

use super::{Check, Prepared, verdict};
use crate::findings::{Validation, ValidationStatus};
use crate::rules::ValidationRecipe;

/// The validator of `kind = "http"`: the request its recipe declares.
pub struct Http;

impl Check for Http {
    fn prepare(&self, recipe: &ValidationRecipe, caps: &Captures) -> Result<Prepared, Validation> {
        prepare(recipe, caps)
    }

    fn judge(&self, recipe: &ValidationRecipe, answer: &Answer, _: &Captures) -> Validation {
        classify(recipe, answer)
    }
}

/// The request `recipe` declares, filled with `caps`; sent only when every
/// placeholder is filled and the host is the one the recipe names.
fn prepare(recipe: &ValidationRecipe, caps: &Captures) -> Result<Prepared, Validation> {
    // Every template the request is built from must be fillable: a literal
    // `{username}` sent to the provider would be read as a bad credential.
    let mut templates: Vec<&str> = vec![&recipe.url];
    templates.extend(recipe.headers.iter().map(|(_, v)| v.as_str()));
    templates.extend(recipe.body.as_deref());
    if let Some((u, p)) = &recipe.basic_auth {
        templates.extend([u.as_str(), p.as_str()]);
    }
    let mut missing: Vec<String> = templates
        .iter()
        .flat_map(|t| missing_names(t, caps))
        .collect();
    missing.sort();
    missing.dedup();
    if !missing.is_empty() {
        return Err(verdict(
            ValidationStatus::Unknown,
            format!(
                "not checked: the match has no `{}` to build the request with",
                missing.join("`, `")
            ),
        ));
    }
    let url = fill(&recipe.url, caps);
    let host = host_allowed(&recipe.url, &url)
        .map_err(|e| verdict(ValidationStatus::Unknown, format!("not checked: {e}")))?;
    let method = reqwest::Method::from_bytes(recipe.method.to_ascii_uppercase().as_bytes())
        .map_err(|_| {
            verdict(
                ValidationStatus::Error,
                format!("bad method `{}`", recipe.method),
            )
        })?;
    if !matches!(method.as_str(), "GET" | "HEAD" | "POST") {
        return Err(verdict(
            ValidationStatus::Error,
            "only GET, HEAD and read-only POST are allowed",
        ));
    }
    Ok(Prepared {
        method,
        url,
        host,
        headers: recipe
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), fill(v, caps)))
            .collect(),
        basic: recipe
            .basic_auth
            .as_ref()
            .map(|(u, p)| (fill(u, caps), fill(p, caps))),
        body: recipe.body.as_ref().map(|b| fill(b, caps)),
    })
}

/// Values a recipe may use: `secret` and every named capture/companion.
pub type Captures = HashMap<String, String>;

/// Replace `{name}` for every known name; leave other braces alone.
pub fn fill(template: &str, caps: &Captures) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if caps.contains_key(&after[..close]) => {
                out.push_str(&caps[&after[..close]]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Names used as `{name}` in a URL that no capture provides.
pub fn missing_names(template: &str, caps: &Captures) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            if !caps.contains_key(name) {
                out.push(name.to_string());
            }
            rest = &after[close + 1..];
        } else {
            // Not a placeholder (`{"key": …`): look again from the next byte.
            rest = after;
        }
    }
    out
}

/// The host part of an `https://host/...` URL (template or filled).
pub fn host_of(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// What a redirect's `Location` may show: the host of an absolute URL
/// (scheme matched in any case, user info dropped), else "a relative
/// location". Never the path or query, which may echo the secret.
pub fn location_host(location: &str) -> String {
    let loc = location.trim();
    let scheme_end = loc.find("://").filter(|&i| {
        i > 0
            && loc.as_bytes()[0].is_ascii_alphabetic()
            && loc.as_bytes()[..i]
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    });
    let Some(i) = scheme_end else {
        return "a relative location".into();
    };
    let rest = &loc[i + 3..];
    let authority = &rest[..rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len())];
    let host = authority.rsplit('@').next().unwrap_or(authority);
    if host.is_empty() {
        "a relative location".into()
    } else {
        host.to_ascii_lowercase()
    }
}

/// A filled URL is safe when it is HTTPS and its host is the one the rule
/// declares: exactly, or, where the declared host starts with a capture
/// (`{shop}.myshopify.com`), the same fixed suffix after a plain DNS label.
pub fn host_allowed(template: &str, filled: &str) -> Result<String, String> {
    if !filled.starts_with("https://") {
        return Err("recipe URL is not HTTPS".into());
    }
    let declared = host_of(template).ok_or("recipe URL has no host")?;
    let actual = host_of(filled)
        .ok_or("URL has no host")?
        .to_ascii_lowercase();
    if !declared.contains('{') {
        return if actual == declared.to_ascii_lowercase() {
            Ok(actual)
        } else {
            Err(format!("host `{actual}` is not the declared `{declared}`"))
        };
    }
    let suffix = &declared[declared.rfind('}').map_or(0, |i| i + 1)..];
    if suffix.len() < 4 || !suffix.starts_with('.') {
        return Err("a templated host needs a fixed domain suffix".into());
    }
    let Some(label) = actual.strip_suffix(&suffix.to_ascii_lowercase()) else {
        return Err(format!("host `{actual}` is outside `*{suffix}`"));
    };
    let label_ok = !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if label_ok {
        Ok(actual)
    } else {
        Err(format!("host `{actual}` is outside `*{suffix}`"))
    }
}

/// A provider's answer, as much as the verdict needs.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn is_html(&self) -> bool {
        let head =
            String::from_utf8_lossy(&self.body[..self.body.len().min(512)]).to_ascii_lowercase();
        self.content_type.contains("text/html")
            || head.trim_start().starts_with("<!doctype html")
            || head.trim_start().starts_with("<html")
    }
}

fn pointer_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Read `answer` by the recipe's rules. `live` needs every stated proof; an
/// HTML page, an unexpected shape or an unlisted status is never `live` nor
/// `revoked`.
pub fn classify(recipe: &ValidationRecipe, answer: &Answer) -> Validation {
    let status = answer.status;
    let json: Option<Value> = serde_json::from_slice(&answer.body).ok();
    if let Some(j) = &json {
        for (ptr, want) in &recipe.revoked_json {
            if j.pointer(ptr) == Some(want) {
                return verdict(
                    ValidationStatus::Revoked,
                    format!("HTTP {status}: provider says the credential is invalid"),
                );
            }
        }
    }
    if answer.is_html() {
        return verdict(
            ValidationStatus::Unknown,
            format!("HTTP {status} with an HTML page, not an API answer"),
        );
    }
    if (300..400).contains(&status) {
        let to = answer
            .header("location")
            .map_or("an unnamed location".to_string(), location_host);
        return verdict(
            ValidationStatus::Unknown,
            format!("HTTP {status}: redirect to {to} not followed"),
        );
    }
    if recipe.revoked_status.contains(&status) {
        return verdict(ValidationStatus::Revoked, format!("HTTP {status}"));
    }
    if recipe.no_permission_status.contains(&status) {
        return verdict(
            ValidationStatus::Live,
            format!("HTTP {status}: valid credential without permission for this call"),
        );
    }
    let status_ok = if recipe.live_status.is_empty() {
        (200..300).contains(&status)
    } else {
        recipe.live_status.contains(&status)
    };
    if !status_ok {
        return verdict(
            ValidationStatus::Unknown,
            format!("HTTP {status}: not an answer this check knows"),
        );
    }
    if !recipe.live_json.is_empty() {
        let Some(j) = &json else {
            return verdict(
                ValidationStatus::Unknown,
                format!("HTTP {status} without the expected JSON"),
            );
        };
        if let Some(missing) = recipe
            .live_json
            .iter()
            .find(|p| j.pointer(p).is_none_or(Value::is_null))
        {
            return verdict(
                ValidationStatus::Unknown,
                format!("HTTP {status} without `{missing}` in the answer"),
            );
        }
    }
    if let Some(h) = &recipe.live_header
        && answer.header(h).is_none()
    {
        return verdict(
            ValidationStatus::Unknown,
            format!("HTTP {status} without the `{h}` header"),
        );
    }
    let mut v = verdict(ValidationStatus::Live, format!("HTTP {status}"));
    if let Some(j) = &json {
        let ids: Vec<String> = recipe
            .identity_json
            .iter()
            .filter_map(|p| j.pointer(p).and_then(pointer_text))
            .collect();
        if !ids.is_empty() {
            v.identity = Some(ids.join(" / "));
        }
        if let Some(p) = &recipe.scopes_json {
            match j.pointer(p) {
                Some(Value::Array(a)) => {
                    v.permissions = a.iter().filter_map(pointer_text).collect()
                }
                Some(Value::String(s)) => v.permissions = split_scopes(s),
                _ => {}
            }
        }
    }
    if let Some(h) = &recipe.scopes_header
        && let Some(s) = answer.header(h)
    {
        v.permissions = split_scopes(s);
    }
    // Broad is what this provider calls broad (the recipe's `broad`).
    v.overprivileged = v.permissions.iter().any(|p| recipe.is_broad(p));
    v
}

fn split_scopes(s: &str) -> Vec<String> {
    s.split([',', ' '])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps() -> Captures {
        HashMap::from([
            ("secret".to_string(), "tok".to_string()),
            ("shop".to_string(), "acme".to_string()),
        ])
    }

    #[test]
    fn fill_replaces_only_known_names() {
        assert_eq!(fill(r#"{"key": "{secret}"}"#, &caps()), r#"{"key": "tok"}"#);
        assert_eq!(fill("{ viewer { id } }", &caps()), "{ viewer { id } }");
        assert_eq!(
            missing_names("https://{dc}.api.x.com/{secret}", &caps()),
            vec!["dc"]
        );
        assert_eq!(
            missing_names(r#"{"username": "{user}", "password": "{secret}"}"#, &caps()),
            vec!["user"]
        );
    }

    #[test]
    fn redirects_name_only_a_host() {
        assert_eq!(
            location_host("HTTPS://Evil.Example/?key=sk-1"),
            "evil.example"
        );
        assert_eq!(
            location_host("https://u:sk-1@evil.example:8443/x"), // keysprawl:allow (test fixture)
            "evil.example:8443"
        );
        assert_eq!(location_host("/x?key=sk-1"), "a relative location");
        assert_eq!(location_host("x?https://sk-1"), "a relative location");
        assert_eq!(location_host("//evil.example/x"), "a relative location");
    }

    #[test]
    fn hosts_are_pinned() {
        assert!(host_allowed("https://api.github.com/user", "https://api.github.com/user").is_ok());
        assert!(host_allowed("https://api.github.com/user", "http://api.github.com/user").is_err());
        assert!(
            host_allowed(
                "https://{shop}.myshopify.com/x",
                "https://acme.myshopify.com/x"
            )
            .is_ok()
        );
        assert!(
            host_allowed(
                "https://{shop}.myshopify.com/x",
                "https://evil.com/.myshopify.com/x"
            )
            .is_err()
        );
        assert!(
            host_allowed(
                "https://{shop}.myshopify.com/x",
                "https://a.evil.com#.myshopify.com/x"
            )
            .is_err()
        );
        assert!(
            host_allowed(
                "https://{shop}.myshopify.com/x",
                "https://evil.com?.myshopify.com"
            )
            .is_err()
        );
    }

    fn recipe() -> ValidationRecipe {
        ValidationRecipe {
            live_status: vec![200],
            live_json: vec!["/login".into()],
            revoked_status: vec![401],
            revoked_json: vec![("/ok".into(), Value::Bool(false))],
            identity_json: vec!["/login".into()],
            scopes_header: Some("x-oauth-scopes".into()),
            broad: vec!["repo".into(), "admin*".into()],
            ..ValidationRecipe::default()
        }
    }

    fn answer(status: u16, ct: &str, body: &str) -> Answer {
        Answer {
            status,
            headers: vec![("x-oauth-scopes".into(), "repo, read:org".into())],
            content_type: ct.into(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn only_the_expected_shape_is_live() {
        let v = classify(
            &recipe(),
            &answer(200, "application/json", r#"{"login":"octo"}"#),
        );
        assert_eq!(v.status, ValidationStatus::Live);
        assert_eq!(v.identity.as_deref(), Some("octo"));
        assert_eq!(v.permissions, vec!["repo", "read:org"]);
        assert!(
            v.overprivileged,
            "`repo` is full control of private repositories"
        );
        // Broad is what the recipe calls broad: `repo` means nothing elsewhere.
        let elsewhere = ValidationRecipe {
            broad: vec!["admin".into()],
            ..recipe()
        };
        let v = classify(
            &elsewhere,
            &answer(200, "application/json", r#"{"login":"octo"}"#),
        );
        assert_eq!(v.status, ValidationStatus::Live);
        assert!(!v.overprivileged);
        for (status, ct, body) in [
            (200, "text/html", "<html>login</html>"),
            (200, "application/json", "{}"),
            (200, "application/json", r#"{"login":null}"#),
            (
                403,
                "text/html",
                "<!DOCTYPE html><title>Access denied</title>",
            ),
            (302, "text/plain", ""),
            (301, "application/json", "{}"),
            (418, "application/json", "{}"),
        ] {
            let v = classify(&recipe(), &answer(status, ct, body));
            assert_eq!(v.status, ValidationStatus::Unknown, "{status} {body}");
        }
        assert_eq!(
            classify(&recipe(), &answer(401, "application/json", "{}")).status,
            ValidationStatus::Revoked
        );
        assert_eq!(
            classify(
                &recipe(),
                &answer(
                    200,
                    "application/json",
                    r#"{"ok":false,"error":"invalid_auth"}"#
                )
            )
            .status,
            ValidationStatus::Revoked
        );
    }
}
