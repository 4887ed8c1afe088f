//! Keystore files: Java KeyStore (JKS), JCEKS, BouncyCastle BKS (Android)
//! and PKCS#12 (`.p12`, `.pfx`, Java's default keystore type since 9),
//! recognised by their magic bytes,
//! not their names. Such a file is binary and holds its keys encrypted
//! under a store password (often `changeit`, or the empty password), so
//! no text rule could read it: the whole file is the credential.
//!
//! A keystore that holds a private or secret key is described to the
//! matcher as one line, `keysprawl-keystore FORMAT sha256:HEX` (the
//! `keystore-file` rule in `rules/keys/keystores.toml` reports it), so it
//! becomes one finding per file whose secret is the SHA-256 of the file:
//! stable across scans, redacted as usual, and never the key itself.
//! A truststore (only trusted certificates, public material) is not
//! described.
//!
//! Formats: JKS/JCEKS as OpenJDK's `JavaKeyStore`/`JceKeyStore` write them
//! (magic `FE ED FE ED` / `CE CE CE CE`, version 1 or 2, an entry count,
//! then tagged entries: 1 private key, 2 trusted certificate, 3 secret
//! key); BKS as BouncyCastle's `BcKeyStoreSpi` writes it (see [`bks`]);
//! PKCS#12 per RFC 7292 (a DER `PFX` SEQUENCE: INTEGER version 3,
//! then a `ContentInfo` of type pkcs7-data, 1.2.840.113549.1.7.1). A
//! PKCS#12 file counts as holding a key when a keyBag or
//! pkcs8ShroudedKeyBag (1.2.840.113549.1.12.10.1.1 / .2) OID is in the
//! clear: OpenSSL and Java both put keys in an unencrypted `SafeContents`
//! (the key bag itself is encrypted) and certificates in an encrypted
//! one, so a PKCS#12 with certificates only shows no key bag.

use sha2::{Digest, Sha256};

/// A keystore format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jks,
    Jceks,
    Bks,
    Pkcs12,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Jks => "jks",
            Kind::Jceks => "jceks",
            Kind::Bks => "bks",
            Kind::Pkcs12 => "pkcs12",
        }
    }
}

/// DER of the pkcs7-data OID, with its tag and length.
const PKCS7_DATA: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
];
/// DER of the keyBag OID without its last arc (1 keyBag, 2 shrouded).
const KEY_BAG: &[u8] = &[
    0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01,
];

/// Which keystore `head` (the first bytes of a file; 32 are enough) starts, if any.
pub fn detect(head: &[u8]) -> Option<Kind> {
    if head.len() >= 12 {
        let version = u32::from_be_bytes([head[4], head[5], head[6], head[7]]);
        if matches!(version, 1 | 2) {
            match head[..4] {
                [0xfe, 0xed, 0xfe, 0xed] => return Some(Kind::Jks),
                [0xce, 0xce, 0xce, 0xce] => return Some(Kind::Jceks),
                _ => {}
            }
        }
    }
    if bks(head) {
        return Some(Kind::Bks);
    }
    pkcs12(head).then_some(Kind::Pkcs12)
}

/// A BouncyCastle BKS keystore (`BcKeyStoreSpi`, Android's keystore type):
/// version 1 or 2, a 20-byte salt (its length written first), an
/// iteration count BouncyCastle draws from 1024..2047, then the first
/// entry's type (1 certificate, 2 key, 3 secret, 4 sealed) or the end
/// mark 0. Eight fixed bytes and two narrow fields: random bytes do not
/// pass.
fn bks(head: &[u8]) -> bool {
    if head.len() < 33 {
        return false;
    }
    let word = |at: usize| u32::from_be_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    matches!(word(0), 1 | 2) && word(4) == 20 && (1024..=2047).contains(&word(28)) && head[32] <= 4
}

/// A DER (or BER, indefinite length) SEQUENCE holding INTEGER 3 and then
/// a SEQUENCE that starts with the pkcs7-data OID.
fn pkcs12(head: &[u8]) -> bool {
    if head.first() != Some(&0x30) {
        return false;
    }
    let Some(rest) = head.get(1..).and_then(skip_length) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(&[0x02, 0x01, 0x03, 0x30]) else {
        return false;
    };
    rest.get(..)
        .and_then(skip_length)
        .is_some_and(|r| r.starts_with(PKCS7_DATA))
}

/// What follows a DER length (short, long up to 4 bytes, or indefinite).
fn skip_length(data: &[u8]) -> Option<&[u8]> {
    let first = *data.first()?;
    match first {
        0..=0x80 => data.get(1..),
        0x81..=0x84 => data.get(1 + usize::from(first & 0x7f)..),
        _ => None,
    }
}

/// Does this keystore hold a private or secret key (not only trusted
/// certificates)? A JKS/JCEKS file that cannot be read to its end counts
/// as holding one, unless it declares no entries.
pub fn holds_key(data: &[u8], kind: Kind) -> bool {
    match kind {
        Kind::Pkcs12 => memchr::memmem::find_iter(data, KEY_BAG)
            .any(|at| matches!(data.get(at + KEY_BAG.len()), Some(1 | 2))),
        Kind::Jks | Kind::Jceks => java_holds_key(data),
        Kind::Bks => bks_holds_key(data),
    }
}

/// Reads big-endian fields of a JKS/JCEKS file, never past its end.
struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n)?;
        let bytes = self.data.get(self.at..end)?;
        self.at = end;
        Some(bytes)
    }

    fn u16(&mut self) -> Option<usize> {
        self.take(2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A Java modified-UTF-8 string: a u16 length, then the bytes.
    fn utf(&mut self) -> Option<()> {
        let n = self.u16()?;
        self.take(n).map(|_| ())
    }

    /// A u32 length, then that many bytes.
    fn blob(&mut self) -> Option<()> {
        let n = usize::try_from(self.u32()?).ok()?;
        self.take(n).map(|_| ())
    }
}

/// Entries read at most: more than any real keystore holds.
const MAX_ENTRIES: u32 = 4096;

fn java_holds_key(data: &[u8]) -> bool {
    let mut r = Reader { data, at: 4 };
    let (Some(version), Some(count)) = (r.u32(), r.u32()) else {
        return false;
    };
    if count == 0 {
        return false;
    }
    for _ in 0..count.min(MAX_ENTRIES) {
        match r.u32() {
            // A trusted certificate: alias, date, (v2) type, encoding.
            Some(2) => {
                let skipped = (|| {
                    r.utf()?;
                    r.take(8)?;
                    if version == 2 {
                        r.utf()?;
                    }
                    r.blob()
                })();
                if skipped.is_none() {
                    return true;
                }
            }
            // A private key (1), a secret key (3, JCEKS), or an entry this
            // reader does not know: not only certificates.
            _ => return true,
        }
    }
    false
}

/// BKS entries: type, alias, date, a certificate chain (each: type name,
/// length, encoding), then the entry's own data; a 0 type ends the store.
/// Only certificate entries (1) mean public material; an entry this reader
/// cannot step over counts as a key.
fn bks_holds_key(data: &[u8]) -> bool {
    let mut r = Reader { data, at: 32 };
    for _ in 0..MAX_ENTRIES {
        match r.u8() {
            Some(0) | None => return false,
            Some(1) => {
                let skipped = (|| {
                    r.utf()?;
                    r.take(8)?;
                    let chain = r.u32()?;
                    for _ in 0..chain.min(MAX_ENTRIES) {
                        r.utf()?;
                        r.blob()?;
                    }
                    r.utf()?;
                    r.blob()
                })();
                if skipped.is_none() {
                    return true;
                }
            }
            Some(_) => return true,
        }
    }
    false
}

/// The line the matcher reads for a keystore that holds a key (see the
/// module docs), or `None` for a truststore.
pub fn describe(data: &[u8], kind: Kind) -> Option<Vec<u8>> {
    if !holds_key(data, kind) {
        return None;
    }
    let digest = Sha256::digest(data);
    Some(
        format!(
            "keysprawl-keystore {} sha256:{}\n",
            kind.as_str(),
            hex::encode(digest)
        )
        .into_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jks(magic: [u8; 4], entries: &[(u32, &[u8])]) -> Vec<u8> {
        let mut out = magic.to_vec();
        out.extend(2u32.to_be_bytes());
        out.extend((entries.len() as u32).to_be_bytes());
        for (tag, body) in entries {
            out.extend(tag.to_be_bytes());
            out.extend(3u16.to_be_bytes());
            out.extend(b"svc");
            out.extend(0x0000_01a2_510c_5d54u64.to_be_bytes());
            if *tag == 2 {
                out.extend(5u16.to_be_bytes());
                out.extend(b"X.509");
            }
            out.extend((body.len() as u32).to_be_bytes());
            out.extend(*body);
        }
        out
    }

    #[test]
    fn java_keystores_by_magic_and_entries() {
        let key = jks([0, 0, 0, 0], &[]);
        assert_eq!(detect(&key), None, "no magic");
        let store = jks([0xfe, 0xed, 0xfe, 0xed], &[(1, b"\x30\x82\x01\x00")]);
        assert_eq!(detect(&store), Some(Kind::Jks));
        assert!(holds_key(&store, Kind::Jks));
        let trust = jks(
            [0xfe, 0xed, 0xfe, 0xed],
            &[(2, b"\x30\x82"), (2, b"\x30\x81")],
        );
        assert!(!holds_key(&trust, Kind::Jks), "certificates only");
        assert!(describe(&trust, Kind::Jks).is_none());
        let mixed = jks(
            [0xce, 0xce, 0xce, 0xce],
            &[(2, b"\x30\x82"), (3, b"\xac\xed")],
        );
        assert_eq!(detect(&mixed), Some(Kind::Jceks));
        assert!(holds_key(&mixed, Kind::Jceks));
        // Truncated after a certificate's header: cannot prove it is a truststore.
        assert!(holds_key(&trust[..trust.len() - 1], Kind::Jks));
        let empty = jks([0xfe, 0xed, 0xfe, 0xed], &[]);
        assert!(!holds_key(&empty, Kind::Jks));
        let line = describe(&store, Kind::Jks).expect("described");
        assert!(line.starts_with(b"keysprawl-keystore jks sha256:"));
        assert_eq!(line.len(), "keysprawl-keystore jks sha256:".len() + 65);
    }

    fn bks_store(entries: &[u8]) -> Vec<u8> {
        let mut out = 2u32.to_be_bytes().to_vec();
        out.extend(20u32.to_be_bytes());
        out.extend([0x5a; 20]);
        out.extend(1500u32.to_be_bytes());
        for &tag in entries {
            out.push(tag);
            out.extend(2u16.to_be_bytes());
            out.extend(b"ca");
            out.extend(0x0000_01a2_510c_5d54u64.to_be_bytes());
            out.extend(0u32.to_be_bytes());
            if tag == 1 {
                out.extend(5u16.to_be_bytes());
                out.extend(b"X.509");
            } else {
                out.extend([0x02, 0x00, 0x05]);
                out.extend(b"PKCS8");
            }
            out.extend(4u32.to_be_bytes());
            out.extend([0x30, 0x82, 0x01, 0x00]);
        }
        out.push(0);
        out.extend([0xab; 20]);
        out
    }

    #[test]
    fn bks_by_header_and_entries() {
        let trust = bks_store(&[1, 1]);
        assert_eq!(detect(&trust), Some(Kind::Bks));
        assert!(!holds_key(&trust, Kind::Bks), "certificates only");
        let keyed = bks_store(&[1, 2]);
        assert_eq!(detect(&keyed), Some(Kind::Bks));
        assert!(holds_key(&keyed, Kind::Bks));
        let mut odd = keyed.clone();
        odd[28..32].copy_from_slice(&100u32.to_be_bytes());
        assert_eq!(
            detect(&odd),
            None,
            "an iteration count BouncyCastle never writes"
        );
    }

    #[test]
    fn pkcs12_by_structure_and_key_bags() {
        let mut p12 = vec![
            0x30, 0x82, 0x09, 0xef, 0x02, 0x01, 0x03, 0x30, 0x82, 0x09, 0xa5,
        ];
        p12.extend(PKCS7_DATA);
        p12.extend([0xa0, 0x82, 0x09, 0x96, 0x04, 0x82, 0x09, 0x92]);
        assert_eq!(detect(&p12), Some(Kind::Pkcs12));
        assert!(!holds_key(&p12, Kind::Pkcs12), "no key bag in the clear");
        let mut keyed = p12.clone();
        keyed.extend(KEY_BAG);
        keyed.push(2);
        assert!(holds_key(&keyed, Kind::Pkcs12));
        // Version 0 (a PKCS#8 key, a certificate): not PKCS#12.
        let mut other = p12.clone();
        other[6] = 0x00;
        assert_eq!(detect(&other), None);
        assert_eq!(detect(&[0x30]), None);
        assert_eq!(detect(&[]), None);
        assert_eq!(detect(&[0x30, 0xff, 0x02]), None);
    }
}
