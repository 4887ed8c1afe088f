//! Named verifiers for token formats that carry their own checksum or a
//! fixed inner structure. A token that fails its verifier is not a finding.

use base64::Engine as _;

use crate::rules::Checksum;

/// Run verifier `checksum` over `secret`.
pub fn verify(checksum: Checksum, secret: &[u8]) -> bool {
    match checksum {
        Checksum::GithubCrc32 => github_crc32(secret),
        Checksum::Jwt => jwt_structure(secret),
        Checksum::Base64Bytes64 => base64_decodes_to(secret, 64),
        Checksum::PypiMacaroon => pypi_macaroon(secret),
        Checksum::OpenaiMarker => memchr::memmem::find(secret, b"T3BlbkFJ").is_some(),
        Checksum::AzureDevopsPat => azure_devops_pat(secret),
        Checksum::GitlabRoutable => gitlab_routable(secret),
        Checksum::GrafanaCrc32 => grafana_crc32(secret),
        Checksum::NkeyCrc16 => nkey_seed(secret),
        Checksum::BasicAuth => basic_auth(secret),
    }
}

/// A NATS NKEY seed (nats-io/nkeys): 58 characters of RFC 4648 base32
/// (no padding) decoding to 36 bytes: two prefix bytes (the seed marker
/// 18 in the top 5 bits, then the key type: account, cluster, operator,
/// server, user or curve), the 32-byte Ed25519/X25519 seed, and the
/// CRC16/XMODEM (polynomial 0x1021, initial 0) of the first 34 bytes,
/// little-endian.
fn nkey_seed(secret: &[u8]) -> bool {
    if secret.len() != 58 {
        return false;
    }
    let mut bytes = Vec::with_capacity(36);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in secret {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return false,
        };
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bytes.len() != 36 || bytes[0] >> 3 != 18 {
        return false;
    }
    // The public key type, spread over the two prefix bytes: A C N O U X.
    let kind = ((bytes[0] & 7) << 5) | (bytes[1] >> 3);
    if ![0u8, 2 << 3, 13 << 3, 14 << 3, 20 << 3, 23 << 3].contains(&kind) {
        return false;
    }
    let (body, crc) = bytes.split_at(34);
    crc16_xmodem(body) == u16::from_le_bytes([crc[0], crc[1]])
}

fn crc16_xmodem(data: &[u8]) -> u16 {
    let mut crc = 0u16;
    for &b in data {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE36: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// `n` written with the digits `alphabet` (its length is the base),
/// left-padded with the zero digit to `width` characters.
fn in_base(mut n: u64, alphabet: &[u8], width: usize) -> String {
    let base = alphabet.len() as u64;
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(alphabet[(n % base) as usize]);
        n /= base;
    }
    while digits.len() < width {
        digits.push(alphabet[0]);
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// Base62 of `n`, left-padded with `0` to `width` characters.
pub fn base62(n: u64, width: usize) -> String {
    in_base(n, BASE62, width)
}

/// Base36 (lowercase) of `n`, left-padded with `0` to `width` characters.
fn base36(n: u64, width: usize) -> String {
    in_base(n, BASE36, width)
}

/// GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm (`npm_`) tokens:
/// `prefix_` + 30 random base62 + 6 base62 digits of CRC32(random).
pub fn github_crc32(secret: &[u8]) -> bool {
    let Some(us) = memchr::memrchr(b'_', secret) else {
        return false;
    };
    let body = &secret[us + 1..];
    if body.len() != 36 || !body.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let (random, check) = body.split_at(30);
    base62(u64::from(crc32fast::hash(random)), 6).as_bytes() == check
}

/// GitLab tokens. The routable format (GitLab 17.x+) is
/// `prefix + base64url(payload) + "." + version(2, base36) + "." +
/// payload length(2, base36) + CRC32(everything before it)(7, base36)`;
/// that CRC must hold. The legacy format (prefix + 20 random characters,
/// no `.`) carries no checksum and passes.
fn gitlab_routable(secret: &[u8]) -> bool {
    if !secret.contains(&b'.') {
        return true;
    }
    if secret.len() < 7 {
        return false;
    }
    let (signed, crc) = secret.split_at(secret.len() - 7);
    let want = base36(u64::from(crc32fast::hash(signed)), 7);
    if want.as_bytes() == crc {
        return true;
    }
    // Runner and CI job tokens carry a partition prefix (`t1_`, `1a_`); if
    // GitLab signs the token without it, the CRC still holds past it.
    signed.iter().position(|&b| b == b'_').is_some_and(|us| {
        base36(u64::from(crc32fast::hash(&signed[us + 1..])), 7).as_bytes() == crc
    })
}

/// Grafana service-account tokens: `glsa_` + 32 random + `_` + the CRC32
/// (IEEE) of `glsa_<random>`, as 8 hex digits of its little-endian bytes.
fn grafana_crc32(secret: &[u8]) -> bool {
    let Some(us) = memchr::memrchr(b'_', secret) else {
        return false;
    };
    let (signed, check) = (&secret[..us], &secret[us + 1..]);
    let crc = crc32fast::hash(signed).to_le_bytes();
    let hex: String = crc.iter().map(|b| format!("{b:02x}")).collect();
    hex.as_bytes() == check
}

/// HTTP Basic credentials (RFC 7617): standard or URL-safe base64, padded
/// or not, of printable UTF-8 `user:password` (the user has no colon, the
/// password may). The password must not be a stand-in: a placeholder or
/// template (`password`, `<pass>`, `${PASS}`), an environment reference, a
/// word of lower-case letters only (`opensesame`, `guest`), shorter than 6
/// characters, or the user name again.
fn basic_auth(secret: &[u8]) -> bool {
    use base64::engine::DecodePaddingMode;
    use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
    const CONFIG: GeneralPurposeConfig = GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    const STANDARD: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, CONFIG);
    const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, CONFIG);
    if secret.len() > 1024 {
        return false;
    }
    let Ok(bytes) = STANDARD.decode(secret).or_else(|_| URL_SAFE.decode(secret)) else {
        return false;
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return false;
    };
    if text.chars().any(char::is_control) {
        return false;
    }
    let Some((user, password)) = text.split_once(':') else {
        return false;
    };
    // A `Basic` header is an unambiguous context: any chosen password counts,
    // however weak (`test:test`, `user:pass`); the canonical documentation
    // pair `user:password` and stand-ins (`user:changeme`, `u:***`) do not.
    let (lu, lp) = (user.to_ascii_lowercase(), password.to_ascii_lowercase());
    // RFC 7617's own example is `Aladdin:open sesame`.
    let doc_pair =
        (matches!(lu.as_str(), "user" | "username") && lp == "password") || lu == "aladdin";
    !user.is_empty()
        && !user.chars().any(char::is_whitespace)
        && !password.trim().is_empty()
        && !doc_pair
        && super::noise::classify_weak(password.as_bytes()).is_none()
        && super::noise::classify(user.as_bytes(), false) != Some(super::noise::Noise::Template)
}

/// Three base64url parts, the header decoding to a JSON object with `alg`.
fn jwt_structure(secret: &[u8]) -> bool {
    super::jwt::decode(secret).is_some()
}

fn base64_decodes_to(secret: &[u8], len: usize) -> bool {
    base64::engine::general_purpose::STANDARD
        .decode(secret)
        .is_ok_and(|d| d.len() == len)
}

/// PyPI API tokens are macaroons: `pypi-` + base64url whose decoding names
/// `pypi.org` (or test.pypi.org) as the location.
fn pypi_macaroon(secret: &[u8]) -> bool {
    let Some(body) = secret.strip_prefix(b"pypi-") else {
        return false;
    };
    let head = &body[..body.len().min(64)];
    let head = &head[..head.len() - head.len() % 4];
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(head)
        .is_ok_and(|d| memchr::memmem::find(&d, b"pypi.org").is_some())
}

/// Azure DevOps PATs (52 chars of base32 lowercase in the legacy format)
/// have no public checksum; accept the legacy alphabet and the newer
/// 84-character format that embeds the `AZDO` signature.
fn azure_devops_pat(secret: &[u8]) -> bool {
    match secret.len() {
        52 => secret
            .iter()
            .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(b)),
        84 => memchr::memmem::find(secret, b"AZDO").is_some(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make_github(prefix: &str, random: &str) -> String {
        let check = base62(u64::from(crc32fast::hash(random.as_bytes())), 6);
        format!("{prefix}_{random}{check}")
    }

    #[test]
    fn github_checksum_round_trips() {
        let tok = make_github("ghp", "aB3dE5gH7jK9mN1pQ3sT5vW7yZ0bC2");
        assert!(github_crc32(tok.as_bytes()));
        let mut bad = tok.into_bytes();
        let last = bad.len() - 1;
        bad[last] = if bad[last] == b'A' { b'B' } else { b'A' };
        assert!(!github_crc32(&bad));
    }

    fn make_gitlab_routable(prefix: &str, payload: &str) -> String {
        let signed = format!("{prefix}{payload}.01.{}", base36(payload.len() as u64, 2));
        let crc = base36(u64::from(crc32fast::hash(signed.as_bytes())), 7);
        format!("{signed}{crc}")
    }

    #[test]
    fn gitlab_routable_checksum_round_trips() {
        let tok = make_gitlab_routable("glpat-", "q1W2e3R4t5Y6u7I8o9P0aSdFgHjKlZxCvBnM");
        assert!(gitlab_routable(tok.as_bytes()), "{tok}");
        let mut bad = tok.clone().into_bytes();
        bad[8] = if bad[8] == b'A' { b'B' } else { b'A' };
        assert!(!gitlab_routable(&bad));
        // The legacy format has no checksum to check.
        assert!(gitlab_routable(b"glpat-xK2mP9qR4sT7vW1yZ3bC")); // keysprawl:allow (test fixture)
    }

    #[test]
    fn grafana_checksum_round_trips() {
        let signed = "glsa_Zq8Lm2Xv4Rt6Yp0Nc3Bw5Hd7Kf9Gj1Sa";
        let crc = crc32fast::hash(signed.as_bytes()).to_le_bytes();
        let hex: String = crc.iter().map(|b| format!("{b:02x}")).collect();
        let tok = format!("{signed}_{hex}");
        assert!(grafana_crc32(tok.as_bytes()));
        assert!(!grafana_crc32(format!("{signed}_0badc0de").as_bytes()));
    }

    #[test]
    fn nkey_seed_checksum() {
        // Built as nkeys does: prefix bytes, a seed, the CRC16 of both.
        let mut raw = vec![(18 << 3) | (160 >> 5), (160 & 31) << 3];
        raw.extend((0u8..32).map(|i| i.wrapping_mul(37).wrapping_add(11)));
        let crc = crc16_xmodem(&raw).to_le_bytes();
        raw.extend(crc);
        let mut text = String::new();
        let (mut acc, mut bits) = (0u64, 0u32);
        for b in &raw {
            acc = (acc << 8) | u64::from(*b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                text.push(
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[((acc >> bits) & 31) as usize] as char,
                );
            }
        }
        if bits > 0 {
            text.push(
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[((acc << (5 - bits)) & 31) as usize] as char,
            );
        }
        assert!(text.starts_with("SU"), "{text}");
        assert!(nkey_seed(text.as_bytes()), "{text}");
        let mut bad = text.into_bytes();
        bad[20] = if bad[20] == b'A' { b'B' } else { b'A' };
        assert!(!nkey_seed(&bad));
        assert_eq!(crc16_xmodem(b"123456789"), 0x31c3);
    }

    #[test]
    fn basic_auth_needs_a_user_and_a_chosen_password() {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        for good in [
            "ci-deployer:quQrDs0GPRZwwrPwV81A",
            "api:key-3ax6xnjp29jd6fds4gc373sgvjxteol0",
            "u:a:b:c:d:e1",
            // Weak, but chosen: a test's or a default account's password.
            "test:test",
            "user:pass",
            "admin:admin",
            "user:pw1",
            "Xk9mW2h4Q7:Xk9mW2h4Q7",
        ] {
            assert!(basic_auth(b64(good).as_bytes()), "{good}");
            assert!(
                basic_auth(b64(good).trim_end_matches('=').as_bytes()),
                "{good}"
            );
        }
        for bad in [
            "username:password",
            "Aladdin:opensesame",
            "Aladdin:open sesame",
            "user:password",
            "user:${PASSWORD}",
            "user:<password>",
            "user:$PASS",
            "user:xxxxxxxx",
            ":Xk9mW2h4Q7SH75",
            "nocolon-Xk9mW2h4Q7SH75",
            "user:line\nbreak9",
        ] {
            assert!(!basic_auth(b64(bad).as_bytes()), "{bad}");
        }
        assert!(!basic_auth(b"!!!!!!!!"));
    }

    #[test]
    fn every_checksum_rejects_an_empty_or_shapeless_secret() {
        // GitLab's legacy tokens carry no checksum, so anything without a `.` passes.
        for &c in Checksum::ALL
            .iter()
            .filter(|&&c| c != Checksum::GitlabRoutable)
        {
            assert!(!verify(c, b""), "{c}");
            assert!(!verify(c, b"not a token at all"), "{c}");
        }
    }

    #[test]
    fn an_unknown_checksum_name_does_not_load() {
        let err =
            toml::from_str::<std::collections::HashMap<String, Checksum>>("c = \"github-crc33\"")
                .expect_err("unknown name");
        assert!(err.to_string().contains("github-crc33"), "{err}");
        for &c in Checksum::ALL {
            let parsed: std::collections::HashMap<String, Checksum> =
                toml::from_str(&format!("c = \"{c}\"")).expect("known name");
            assert_eq!(parsed["c"], c);
        }
    }
}
