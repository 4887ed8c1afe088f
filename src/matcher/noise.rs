//! False-positive defences shared by every rule: placeholders, documented
//! example keys, template and environment references, hashes and ids that
//! look random but are not secrets. Each check is small and named, so a test
//! can show what it keeps out.

/// Why a candidate was dropped (kept for tests and `--explain` style output).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Noise {
    DocumentedExample,
    Placeholder,
    Template,
    EnvReference,
    RepeatedOrSequential,
    Uuid,
    HexDigest,
    LowEntropy,
    Identifier,
    PathOrUrl,
    FakeFixture,
}

/// Keys that providers print in their own documentation.
const DOCUMENTED: &[&str] = &[
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
    "pk_test_TYooMQauvdEDq54NiTphI7jx",
    "xoxb-not-a-real-token-this-will-not-work",
    // The signature of jwt.io's sample token.
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe",
    // The TOTP seed of Google Authenticator's Key Uri Format page, copied into tutorials.
    "JBSWY3DPEHPK3PXP",
];

/// Lower-case fragments that mark a value as a stand-in, not a credential.
const PLACEHOLDER_WORDS: &[&str] = &[
    "example",
    "xxxx",
    "****",
    "...",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "your_",
    "your-",
    "yourkey",
    "yourtoken",
    "yourpassword",
    "redacted",
    "dummy",
    "sample",
    "insert",
    "replace_",
    "replaceme",
    "todo",
    "fixme",
    "notreal",
    "not_real",
    "not-a-real",
    "notarealkey",
    "secret_here",
    "token_here",
    "key_here",
    "password_here",
    "<your",
    "foobar",
];

/// Values that are placeholders only when they are the whole value (as
/// fragments they occur inside real tokens, e.g. OpenAI `sk-None-…`).
const PLACEHOLDER_VALUES: &[&str] = &[
    "none",
    "null",
    "nil",
    "undefined",
    "true",
    "false",
    "token",
    // Types, validation rules and hash names that fill a `password` slot in
    // schemas, forms and configs.
    "string",
    "str",
    "text",
    "hidden",
    "required",
    "optional",
    "confirmed",
    "nullable",
    "sometimes",
    "bcrypt",
    "argon2",
    "argon2id",
    "scrypt",
    "pbkdf2",
    "plain",
    "plaintext",
    "md5",
    "sha1",
    "sha256",
    "sha512",
    "encrypted",
    "hashed",
    "masked",
    "unknown",
    "default",
    "empty",
    "blank",
    "varchar",
    "boolean",
    "integer",
    "number",
    "object",
    "field",
    "input",
    "value",
    "ignored",
    "yes",
    "no",
    "on",
    "off",
    "enabled",
    "disabled",
    "anonymous",
    "unused",
    "notused",
    // What a test sends to see a login fail.
    "short",
    "invalid",
    "wrong",
    "incorrect",
    "weak",
];

/// Weak passwords (and, with [`KNOWN_DEFAULTS`], service defaults): stand-ins where the evidence is only the
/// value's shape, but credentials where the context is unambiguous (a rule
/// with `weak_values`, see [`classify_weak`]): `POSTGRES_PASSWORD: postgres`
/// logs in wherever that default was left in place.
const WEAK_WORDS: &[&str] = &["password", "secret", "test", "admin", "passwd", "pass"];

/// The documented defaults of database and broker images and installers
/// (`POSTGRES_PASSWORD: postgres`, `guest:guest@rabbitmq`, the Docker Hub
/// postgres page's `mysecretpassword`): credentials, but nobody's chosen
/// secret, so a finding of one is `low` confidence (see [`is_known_default`]).
const KNOWN_DEFAULTS: &[&str] = &[
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "root",
    "guest",
    "oracle",
    "redis",
    "rabbitmq",
    "mongo",
    "mongodb",
    "cassandra",
    "elastic",
];

/// Defaults documented by an image's page rather than named for the
/// service (Docker Hub's postgres page): `low` too, but a chosen-looking
/// value where only the shape speaks.
const DOCUMENTED_DEFAULTS: &[&str] = &["mysecretpassword"];

/// A service's documented default password (see [`KNOWN_DEFAULTS`]).
pub fn is_known_default(secret: &[u8]) -> bool {
    KNOWN_DEFAULTS
        .iter()
        .chain(DOCUMENTED_DEFAULTS)
        .any(|d| secret.eq_ignore_ascii_case(d.as_bytes()))
}

/// A captured `user` that names the slot (`username`, `<username>`)
/// beside a password that does too (`password`, `pass`): a template.
pub fn is_template_pair(parts: &[(String, String)], secret: &[u8]) -> bool {
    let slot_user = |u: &str| {
        let u = u.to_ascii_lowercase();
        matches!(
            u.trim_matches(['<', '>', '[', ']']),
            "username" | "user_name" | "your_username" | "your-username" | "your_user"
        )
    };
    let slot_password = matches!(
        secret.to_ascii_lowercase().as_slice(),
        b"password" | b"pass" | b"passwd" | b"your_password" | b"your-password"
    );
    slot_password
        && parts
            .iter()
            .any(|(name, value)| name == "user" && slot_user(value))
}

/// Fragments that mark a stand-in only in the shape-based checks: as whole
/// words they are chosen (weak) passwords (`Passwd: "foobar"`).
const WEAK_FRAGMENTS: &[&str] = &["foobar"];

/// Markers of template engines and environment references inside a value.
const TEMPLATE_MARKERS: &[&str] = &[
    "${", "{{", "}}", "#{", "%{", "%(", "<%", "%>", "{%", "$(", "[[", "]]", "@{",
];

/// Checks every rule's `secret` goes through. `generic` adds the stricter
/// checks meant for loose `password = "…"` style rules.
pub fn classify(secret: &[u8], generic: bool) -> Option<Noise> {
    let text = String::from_utf8_lossy(secret);
    let lower = text.to_ascii_lowercase();
    if let Some(noise) = documented_or_template(&text, &lower) {
        return Some(noise);
    }
    if wrapped_placeholder(&lower) {
        return Some(Noise::Placeholder);
    }
    if PLACEHOLDER_VALUES.contains(&lower.as_str())
        || WEAK_WORDS.contains(&lower.as_str())
        || KNOWN_DEFAULTS.contains(&lower.as_str())
        || PLACEHOLDER_WORDS
            .iter()
            .any(|w| lower.contains(w) && !is_word_and_number(&lower, w))
    {
        return Some(Noise::Placeholder);
    }
    if fake_fixture(secret, &lower) {
        return Some(Noise::FakeFixture);
    }
    // Long structured tokens (STS session tokens, macaroons) carry runs of
    // padding by design: a run marks a placeholder only in shorter values.
    if secret.len() < 64 && (has_run(secret, 6) || has_sequence(&lower, 7)) {
        return Some(Noise::RepeatedOrSequential);
    }
    if generic {
        return classify_generic(secret, &lower);
    }
    None
}

/// Checks for a value in an unambiguous credential context (a rule with
/// `weak_values`: a literal assigned to a password name, a URL's userinfo on
/// a concrete host, a connection string's `Password=`). Any chosen value is
/// a credential there, however weak (`secret`, `pass`, `123`, a service
/// default); what stays out is what is not a chosen value at all: templates
/// and references, stand-ins (`changeme`, `<password>`, `your_password`,
/// `xxxx`, `***`), types and schema words (`string`, `required`, `bcrypt`),
/// booleans and nulls, a failing test's `invalid`, identifiers that name a
/// secret instead of holding one (`DB_PASSWORD`, `userPassword`), and
/// capitalised words that read as a form's label (`Password`, `Passwort`).
pub fn classify_weak(secret: &[u8]) -> Option<Noise> {
    let text = String::from_utf8_lossy(secret);
    let lower = text.to_ascii_lowercase();
    if let Some(noise) = documented_or_template(&text, &lower) {
        return Some(noise);
    }
    if wrapped_placeholder(&lower)
        || lower.starts_with('*')
        || (lower.starts_with('%') && lower.len() <= 4)
        || (lower.starts_with('{') && lower.ends_with('}'))
    {
        return Some(Noise::Placeholder);
    }
    // `…`, `\\`, `---`: an elision or stray punctuation, not a chosen value.
    if !text.chars().any(char::is_alphanumeric) {
        return Some(Noise::Placeholder);
    }
    if html_entity(&lower) || regex_syntax(&text) {
        return Some(Noise::Template);
    }
    // `required|min:8`, `string,nullable`: a validation rule in the value's place.
    let schema = |part: &str| PLACEHOLDER_VALUES.contains(&part) || part.starts_with("min:");
    if PLACEHOLDER_VALUES.contains(&lower.as_str())
        || (lower.contains(['|', ',']) && lower.split(['|', ',']).any(schema))
        || PLACEHOLDER_WORDS.iter().any(|w| {
            !WEAK_FRAGMENTS.contains(w) && lower.contains(w) && !is_word_and_number(&lower, w)
        })
    {
        return Some(Noise::Placeholder);
    }
    if fake_fixture(secret, &lower) {
        return Some(Noise::FakeFixture);
    }
    if has_run(secret, 8) {
        return Some(Noise::RepeatedOrSequential);
    }
    if env_reference(secret, &lower) {
        return Some(Noise::EnvReference);
    }
    if path_or_url(&lower) || lower.starts_with("urn:") {
        return Some(Noise::PathOrUrl);
    }
    if names_a_secret(secret, &lower) || names_something_else(&text, &lower) {
        return Some(Noise::Identifier);
    }
    if has_format_verb(&lower) {
        return Some(Noise::Template);
    }
    if lower.contains(char::is_whitespace) && reads_as_prose(&lower) {
        return Some(Noise::Placeholder);
    }
    None
}

/// An HTML or XML character reference where a value would start (`&quot`,
/// `&amp;`, `&#39;`): the value was cut at an escaped quote.
fn html_entity(lower: &str) -> bool {
    let Some(rest) = lower.strip_prefix('&') else {
        return false;
    };
    let name = rest.split(';').next().unwrap_or_default();
    (1..=8).contains(&name.len())
        && (name.bytes().all(|b| b.is_ascii_alphabetic())
            || name
                .strip_prefix('#')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric())))
}

/// A regular expression in the value's place (a rule or validator written
/// in code): `(?P<secret>…)`, `[A-Za-z0-9]+`, `\d{4}`.
fn regex_syntax(text: &str) -> bool {
    [
        "(?P<", "(?<", "(?:", "(?i", "[A-Za-z", "[a-zA-Z", "[a-z0-9", "[0-9", "\\d{", "\\w+",
        "\\s*", "\\b(",
    ]
    .iter()
    .any(|s| text.contains(s))
}

/// Values that name something other than a secret: a version (`0.19.39`),
/// a relative path or MIME type (`text/score/owner.txt`,
/// `application/json`), a dotted identifier (`ticket.group.price`), a
/// header name (`X-Cookie-Encode`, `Content-Type`).
fn names_something_else(text: &str, lower: &str) -> bool {
    let version = lower.split('.').count() >= 2
        && lower
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let segments = |sep: char| {
        lower.contains(sep)
            && lower.split(sep).all(|p| {
                !p.is_empty()
                    && p.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-+".contains(&b)
                    })
            })
    };
    let path = segments('/');
    let dotted = segments('.') && lower.bytes().all(|b| b.is_ascii_lowercase() || b == b'.');
    let header = text.contains('-')
        && text.split('-').all(|w| {
            let mut c = w.chars();
            w == "X"
                || (c.next().is_some_and(|f| f.is_ascii_uppercase())
                    && c.all(|r| r.is_ascii_lowercase()))
        });
    version || path || dotted || header
}

/// A printf or format placeholder inside the value (`failed: %s`, `{0}`).
fn has_format_verb(lower: &str) -> bool {
    let b = lower.as_bytes();
    b.windows(2)
        .any(|w| w[0] == b'%' && b"sdvqxf".contains(&w[1]))
        || lower.contains("{}")
        || lower.contains("{0}")
}

/// A value with blanks that reads as a form's text rather than a chosen
/// passphrase: it talks about the credential (`Enter your password`), is
/// a sentence, or is long (`pro gamer 1990` and `open sesame` are values).
fn reads_as_prose(lower: &str) -> bool {
    const UI_WORDS: &[&str] = &[
        "pass",
        "pwd",
        "secret",
        "token",
        "key",
        "your",
        "enter",
        "must",
        "please",
        "should",
        "least",
        "character",
        "required",
        "invalid",
        "wrong",
        "incorrect",
        "forgot",
        "confirm",
        "new ",
        "old ",
        "current",
        "here",
        "not ",
        "no ",
        "use ",
        "instead",
        "deprecated",
        "failed",
        "error",
    ];
    let words = lower.split_whitespace().count();
    words > 4
        || lower.starts_with(char::is_whitespace)
        || lower.ends_with(char::is_whitespace)
        || lower.ends_with(['.', '?', '!', ':'])
        || lower.contains(": ")
        || UI_WORDS.iter().any(|w| lower.contains(w))
}

/// An identifier or label in a value's place: `DB_PASSWORD`, `user_password`,
/// `userPassword`, `getToken`, `Password`, `Passwort`. A plain lower-case
/// word (`secret`, `mypass`) or anything with a digit or symbol is a value.
fn names_a_secret(secret: &[u8], lower: &str) -> bool {
    // Non-ASCII bytes count as letters: `Contraseña` is a label too.
    let letters_only = secret
        .iter()
        .all(|&b| b.is_ascii_alphabetic() || b >= 0x80 || matches!(b, b'_' | b'-' | b'.'));
    if !letters_only {
        return false;
    }
    let capitals = secret.iter().filter(|b| b.is_ascii_uppercase()).count();
    let has_sep = secret.iter().any(|b| matches!(b, b'_' | b'-' | b'.'));
    let names_credential = ["pass", "pwd", "secret", "token", "key", "auth", "cred"]
        .iter()
        .any(|w| lower.contains(w));
    // `Password`, `Passwort`, `Secret`: a form's label, capitalised.
    let label = capitals == 1 && secret.first().is_some_and(u8::is_ascii_uppercase);
    // `DB_PASSWORD`, `API_KEY`, `SECRET`: the name of a variable.
    let upper_name = capitals == secret.iter().filter(|b| b.is_ascii_alphabetic()).count()
        && (has_sep || names_credential);
    // `userPassword`, `getToken`, `db_password`, `user-token`.
    let compound = names_credential
        && (has_sep || (capitals >= 1 && secret.first().is_some_and(u8::is_ascii_lowercase)));
    label || upper_name || compound
}

fn classify_generic(secret: &[u8], lower: &str) -> Option<Noise> {
    if env_reference(secret, lower) {
        return Some(Noise::EnvReference);
    }
    if is_uuid(secret) {
        return Some(Noise::Uuid);
    }
    if is_hex_digest(secret) {
        return Some(Noise::HexDigest);
    }
    if path_or_url(lower) {
        return Some(Noise::PathOrUrl);
    }
    if looks_like_identifier(secret) {
        return Some(Noise::Identifier);
    }
    None
}

/// A provider's documented example key, or a template engine's or an
/// environment reference's marker inside the value.
fn documented_or_template(text: &str, lower: &str) -> Option<Noise> {
    if DOCUMENTED.iter().any(|d| text.contains(d)) {
        return Some(Noise::DocumentedExample);
    }
    if TEMPLATE_MARKERS.iter().any(|m| lower.contains(m)) {
        return Some(Noise::Template);
    }
    None
}

/// `<TOKEN>`, `__PASSWORD__`, `%DB_PASS%`: a stand-in by its wrapping.
fn wrapped_placeholder(lower: &str) -> bool {
    (lower.starts_with('<') && lower.ends_with('>'))
        || (lower.starts_with("__") && lower.ends_with("__"))
        || (lower.starts_with('%') && lower.ends_with('%') && lower.len() > 2)
}

/// A short value that says it is fake (`fake-password-9x2`, `dummy_key`).
fn fake_fixture(secret: &[u8], lower: &str) -> bool {
    secret.len() < 100 && (lower.contains("fake") || lower.contains("dummy"))
}

/// `$DB_PASS`, `process.env.TOKEN`, `secrets.X`: a reference, not a value.
fn env_reference(secret: &[u8], lower: &str) -> bool {
    secret.starts_with(b"$")
        || lower.starts_with("env.")
        || lower.starts_with("process.env")
        || lower.starts_with("os.environ")
        || lower.starts_with("secrets.")
        || lower.starts_with("vars.")
}

/// A URL or a file path in the value's place.
fn path_or_url(lower: &str) -> bool {
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with('/')
        || lower.starts_with("./")
        || lower.starts_with("../")
        || lower.starts_with("~/")
}

/// `example123`: a placeholder word followed only by digits is a chosen
/// (weak) password, as in `POSTGRES_PASSWORD: example123`, not a stand-in.
/// Only for `example` and `sample`, the words people build such passwords on.
fn is_word_and_number(lower: &str, word: &str) -> bool {
    matches!(word, "example" | "sample")
        && lower.strip_prefix(word).is_some_and(|rest| {
            let digits = rest.strip_prefix(['_', '-']).unwrap_or(rest);
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        })
}

/// A run of `n` identical bytes (`000000`, `aaaaaa`).
fn has_run(s: &[u8], n: usize) -> bool {
    let mut run = 1;
    for w in s.windows(2) {
        if w[0] == w[1] {
            run += 1;
            if run >= n {
                return true;
            }
        } else {
            run = 1;
        }
    }
    false
}

/// An ascending run like `1234567` or `abcdefg` of length `n`.
fn has_sequence(lower: &str, n: usize) -> bool {
    let b = lower.as_bytes();
    let mut run = 1;
    for w in b.windows(2) {
        if w[0].is_ascii_alphanumeric() && w[1] == w[0].wrapping_add(1) {
            run += 1;
            if run >= n {
                return true;
            }
        } else {
            run = 1;
        }
    }
    false
}

/// `8-4-4-4-12` hex.
pub fn is_uuid(s: &[u8]) -> bool {
    s.len() == 36
        && s.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// A bare MD5/SHA-1/SHA-256/SHA-512 hex digest or git object id.
pub fn is_hex_digest(s: &[u8]) -> bool {
    matches!(s.len(), 32 | 40 | 64 | 128) && s.iter().all(u8::is_ascii_hexdigit)
}

/// Programming identifiers (`user_password`, `getToken`, `API_KEY_NAME`):
/// letters and `_`/`-`/`.` only, no digits, and made of dictionary-like parts.
fn looks_like_identifier(s: &[u8]) -> bool {
    let letters_only = s
        .iter()
        .all(|b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'-' | b'.'));
    if !letters_only {
        return false;
    }
    let has_sep = s.iter().any(|b| matches!(b, b'_' | b'-' | b'.'));
    let all_upper = s.iter().all(|b| !b.is_ascii_lowercase());
    let all_lower = s.iter().all(|b| !b.is_ascii_uppercase());
    // camelCase: lower start, at most a few capitals each starting a word.
    let capitals = s.iter().filter(|b| b.is_ascii_uppercase()).count();
    let camel = s.first().is_some_and(u8::is_ascii_lowercase) && capitals <= s.len() / 4;
    has_sep || all_upper || all_lower || camel
}

/// Translation catalogues (their values are a product's words in some
/// language: `"password": "contraseña"`) and minified bundles (labels and
/// config of a built product): weak-value rules do not run there.
pub fn is_translation(path: &str) -> bool {
    let lower = path.to_ascii_lowercase().replace('\\', "/");
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let dirs = &lower[..lower.len() - name.len()];
    let catalogue_dir = dirs.split('/').any(|d| {
        matches!(
            d,
            "locale" | "locales" | "i18n" | "l10n" | "lang" | "langs" | "translations" | "messages"
        )
    });
    let catalogue_file = [".po", ".pot", ".xlf", ".xliff", ".resx", ".strings", ".ftl"]
        .iter()
        .any(|e| name.ends_with(e))
        || (name.starts_with("messages_") && name.ends_with(".properties"));
    // Minified bundles: their strings are a product's labels and config.
    let bundle = [".min.js", ".min.mjs", ".bundle.js", ".chunk.js"]
        .iter()
        .any(|e| name.ends_with(e));
    catalogue_dir || catalogue_file || bundle
}

/// File names whose contents are hashes and ids by design: generic and
/// hash-shaped rules do not run on them.
pub fn is_lockfile(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    matches!(
        name,
        "Cargo.lock"
            | "package-lock.json"
            | "npm-shrinkwrap.json"
            | "yarn.lock"
            | "pnpm-lock.yaml"
            | "go.sum"
            | "poetry.lock"
            | "Pipfile.lock"
            | "composer.lock"
            | "Gemfile.lock"
            | "mix.lock"
            | "flake.lock"
            | "packages.lock.json"
            | "gradle.lockfile"
            | "bun.lock"
            | "uv.lock"
            | "Podfile.lock"
            | "pubspec.lock"
            | ".terraform.lock.hcl"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_keys_are_noise() {
        assert_eq!(
            classify(b"AKIAIOSFODNN7EXAMPLE", false),
            Some(Noise::DocumentedExample)
        );
    }

    #[test]
    fn templates_and_placeholders() {
        for s in [
            "${DB_PASSWORD}",
            "{{ .Values.password }}",
            "${{ secrets.TOKEN }}",
            "<TOKEN>",
            "#{password}",
            "%(password)s",
            "<%= ENV['X'] %>",
            "__PASSWORD__",
            "changeme",
            "your_api_key_here",
            "xxxxxxxxxxxxxxxx",
            "example",
            "example-password",
            "my_example_key",
            "sample_token",
        ] {
            assert!(
                classify(s.as_bytes(), true).is_some(),
                "{s} should be noise"
            );
        }
    }

    #[test]
    fn a_placeholder_word_with_a_number_is_a_chosen_password() {
        for s in ["example123", "sample2024", "example_123"] {
            assert_eq!(classify(s.as_bytes(), true), None, "{s}");
        }
    }

    #[test]
    fn generic_specific_noise() {
        assert_eq!(
            classify(b"123e4567-e89b-12d3-a456-426614174000", true),
            Some(Noise::Uuid)
        );
        assert_eq!(
            classify(b"da39a3ee5e6b4b0d3255bfef95601890afd80709", true),
            Some(Noise::HexDigest)
        );
        assert_eq!(
            classify(b"user_password_field", true),
            Some(Noise::Identifier)
        );
        assert_eq!(
            classify(b"getPasswordFromVault", true),
            Some(Noise::Identifier)
        );
        assert_eq!(classify(b"$DB_PASS", true), Some(Noise::EnvReference));
        assert_eq!(
            classify(b"process.env.TOKEN", true),
            Some(Noise::EnvReference)
        );
        assert_eq!(classify(b"/etc/secrets/db", true), Some(Noise::PathOrUrl));
    }

    #[test]
    fn whole_value_placeholders_do_not_eat_real_tokens() {
        assert_eq!(classify(b"None", true), Some(Noise::Placeholder));
        assert_eq!(classify(b"null", false), Some(Noise::Placeholder));
        assert_eq!(classify(b"sk-None-q8Xr2LmT9vB4nZ7wK1pSd3", false), None);
    }

    #[test]
    fn real_looking_secrets_pass() {
        assert_eq!(classify(b"q8Xr2LmT9vB4nZ7wK1pS", true), None);
        assert_eq!(
            classify(b"ghp_R8sK2mQ9xL4vT7nB1wZ5pY3cJ6hD0fG2aE4u", false),
            None
        );
    }

    #[test]
    fn weak_values_are_credentials_in_a_strong_context() {
        for s in [
            "secret",
            "password",
            "pass",
            "postgres",
            "guest",
            "foobar",
            "bar",
            "123",
            "12345678",
            "admin",
            "mypass",
            "s3Cur3",
            "Admin_123",
            "hello:pass:world",
            "C6A79608-782F-4ED0-A11D-BD82FAD829CD",
        ] {
            assert_eq!(classify_weak(s.as_bytes()), None, "{s}");
            // The same values carry no weight where only their shape speaks.
        }
        for s in ["secret", "password", "postgres", "foobar"] {
            assert!(classify(s.as_bytes(), true).is_some(), "{s}");
        }
    }

    #[test]
    fn weak_context_still_rejects_what_is_not_a_chosen_value() {
        for s in [
            "${DB_PASSWORD}",
            "{{ password }}",
            "changeme",
            "<password>",
            "your_password",
            "xxxxxx",
            "***",
            "********",
            "string",
            "required",
            "bcrypt",
            "null",
            "true",
            "invalid",
            "DB_PASSWORD",
            "userPassword",
            "db_password",
            "Password",
            "Passwort",
            "$PGPASS",
            "process.env.PW",
            "fake-password",
            "/run/secrets/db",
            "example",
            "token",
            "ignored",
            "0.19.39",
            "application/json",
            "text/score/owner.txt",
            "ticket.group.price",
            "X-Cookie-Encode",
            "Content-Type",
            "close url failed: %s",
            "Deprecated: use scan_amount_proxy instead",
            "…",
            "\\",
            "---",
            "&quot",
            "&amp;",
            "&#39;",
            "(?P<secret>[A-Za-z0-9]+)",
            "[a-zA-Z0-9]{32}",
        ] {
            assert!(classify_weak(s.as_bytes()).is_some(), "{s} should be noise");
        }
    }

    #[test]
    fn passphrases_with_blanks_count_but_form_text_does_not() {
        for s in ["open sesame", "pro gamer 1990", "rustacean since 2015"] {
            assert_eq!(classify_weak(s.as_bytes()), None, "{s}");
        }
        for s in [
            "Enter your password",
            "forgot your password",
            "Password must be at least 8 characters.",
            "test pass ",
            "not very secret in tests",
        ] {
            assert!(classify_weak(s.as_bytes()).is_some(), "{s}");
        }
    }

    #[test]
    fn translation_catalogues() {
        for p in [
            "web/locales/es.json",
            "config/locales/de.yml",
            "src/i18n/fr.ts",
            "po/de.po",
            "src/main/resources/messages_es.properties",
            "App/Strings.resx",
            "dist/app.3f9a.min.js",
        ] {
            assert!(is_translation(p), "{p}");
        }
        for p in [
            "src/config.json",
            "docker-compose.yml",
            "src/language.rs",
            "messages.go",
        ] {
            assert!(!is_translation(p), "{p}");
        }
    }

    #[test]
    fn lockfiles() {
        assert!(is_lockfile("a/b/Cargo.lock"));
        assert!(is_lockfile("go.sum"));
        assert!(!is_lockfile("src/lock.rs"));
    }
}
