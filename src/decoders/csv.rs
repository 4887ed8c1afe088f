//! Records whose header names a credential column: a CSV, TSV, semicolon-
//! or pipe-separated export whose first line is a header (`id,email,password`),
//! and SQL `INSERT INTO t (…, password, …) VALUES (…), (…)` rows. A rule sees
//! one line of a record at a time, so it cannot tell which column a value is
//! in; this decoder can. Each non-empty cell of a credential column is
//! presented as the view `record-field: <column>=<value>` on the cell's span,
//! for the `record-password-field` rule (`rules/generic-commands.toml`) to
//! judge (hashes, placeholders and references are its filters' business).
//!
//! Bounds: the header is the first line (at most [`MAX_HEADER`] bytes, at most
//! [`MAX_COLUMNS`] columns); a cell or an SQL value longer than [`MAX_VALUE`]
//! is not presented; every byte of the input is read a bounded number of
//! times (each record once, each `INSERT` once from where the last ended).

use super::{Decoded, Decoder, MAX_SPANS};

pub struct Records;

/// The longest header line looked at.
const MAX_HEADER: usize = 4096;
/// The most columns a header or an `INSERT` column list may have.
const MAX_COLUMNS: usize = 256;
/// The longest cell presented (a password or a token is shorter).
const MAX_VALUE: usize = 256;
/// The longest `INSERT` statement parsed (a dump's multi-row statement is
/// read up to here; the rest of it is not).
const MAX_STATEMENT: usize = 1 << 20;

/// What the view of a cell starts with: what the rule keys on.
pub const VIEW_PREFIX: &[u8] = b"record-field: ";

impl Decoder for Records {
    fn name(&self) -> &'static str {
        "record"
    }

    fn keywords(&self) -> &'static [&'static str] {
        &[
            "password", "passwd", "secret", "token", "api_key", "apikey", "pwd",
        ]
    }

    fn applies(&self, data: &[u8]) -> bool {
        header(data).is_some() || has_insert(data)
    }

    fn decode(&self, data: &[u8], out: &mut Vec<Decoded>) {
        if let Some(h) = header(data) {
            delimited(data, &h, out);
        }
        inserts(data, out);
    }
}

/// A delimited text's header: its delimiter, its column names, which of
/// them are credential columns, and where the first record starts.
struct Header {
    delimiter: u8,
    columns: usize,
    wanted: Vec<(usize, String)>,
    body: usize,
}

fn header(data: &[u8]) -> Option<Header> {
    let bom = if data.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let rest = &data[bom..];
    let nl = memchr::memchr(b'\n', &rest[..rest.len().min(MAX_HEADER + 1)])?;
    let line = trim_cr(&rest[..nl]);
    let delimiter = [b',', b'\t', b';', b'|']
        .into_iter()
        .map(|d| (memchr::memchr_iter(d, line).count(), d))
        .filter(|&(n, _)| n > 0)
        .max()?
        .1;
    let cells = split(line, delimiter, MAX_COLUMNS)?;
    if cells.len() < 2 {
        return None;
    }
    let mut wanted = Vec::new();
    for (i, &(s, e)) in cells.iter().enumerate() {
        let name = &line[s..e];
        if !is_name(name) {
            return None;
        }
        if is_credential_column(name) {
            wanted.push((i, String::from_utf8_lossy(name).into_owned()));
        }
    }
    if wanted.is_empty() {
        return None;
    }
    Some(Header {
        delimiter,
        columns: cells.len(),
        wanted,
        body: bom + nl + 1,
    })
}

/// Every record after the header: a line with as many cells as the header
/// (quoted cells may hold the delimiter, not a line break).
fn delimited(data: &[u8], h: &Header, out: &mut Vec<Decoded>) {
    let mut at = h.body;
    while at < data.len() && out.len() < MAX_SPANS {
        let end = memchr::memchr(b'\n', &data[at..]).map_or(data.len(), |i| at + i);
        let line = trim_cr(&data[at..end]);
        if let Some(cells) = split(line, h.delimiter, h.columns + 1) {
            let fits = cells.len() == h.columns
                || (cells.len() == h.columns + 1 && cells[h.columns].0 == cells[h.columns].1);
            if fits {
                for (i, name) in &h.wanted {
                    let (s, e) = cells[*i];
                    push_view(name, &line[s..e], at + s, at + e, out);
                }
            }
        }
        at = end + 1;
    }
}

/// The cells of one line, as spans of their values (inside quotes and
/// blanks); `None` for a line with an unbalanced quote or more than `max`
/// cells.
fn split(line: &[u8], delimiter: u8, max: usize) -> Option<Vec<(usize, usize)>> {
    let mut cells = Vec::new();
    let mut i = 0;
    loop {
        if cells.len() >= max {
            return None;
        }
        while i < line.len() && line[i] == b' ' {
            i += 1;
        }
        let (s, e, next) = if line.get(i) == Some(&b'"') {
            // A quoted cell: `""` is a quote inside it.
            let s = i + 1;
            let mut j = s;
            loop {
                match memchr::memchr(b'"', &line[j..]) {
                    Some(k) if line.get(j + k + 1) == Some(&b'"') => j += k + 2,
                    Some(k) => break (s, j + k, j + k + 1),
                    None => return None,
                }
            }
        } else {
            let e = memchr::memchr(delimiter, &line[i..]).map_or(line.len(), |k| i + k);
            (i, e, e)
        };
        let mut e2 = e;
        while e2 > s && matches!(line[e2 - 1], b' ' | b'\t') && delimiter != b'\t' {
            e2 -= 1;
        }
        cells.push((s, e2));
        let mut n = next;
        while n < line.len() && line[n] == b' ' {
            n += 1;
        }
        match line.get(n) {
            None => return Some(cells),
            Some(&b) if b == delimiter => i = n + 1,
            Some(_) => return None,
        }
    }
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// A column name: a letter or `_` first, then letters, digits, `_ .-`.
fn is_name(name: &[u8]) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && (name[0].is_ascii_alphabetic() || name[0] == b'_')
        && name
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b' ' | b'.' | b'-'))
}

/// A column that holds a credential in clear: its name ends in a
/// credential word, and says nothing of a hash, a date or a setting.
fn is_credential_column(name: &[u8]) -> bool {
    let lower: String = name
        .iter()
        .map(|&b| match b.to_ascii_lowercase() {
            b' ' | b'.' | b'-' => '_',
            b => b as char,
        })
        .collect();
    const ENDS: &[&str] = &[
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "_pass",
        "secret",
        "token",
        "api_key",
        "apikey",
        "secret_key",
        "access_key",
    ];
    const NOT: &[&str] = &[
        "hash", "digest", "salt", "crypt", "hint", "reset", "expir", "policy", "length", "changed",
        "updated", "created", "date", "time", "type", "count", "status", "confirm", "question",
        "strength", "format", "page", "next", "csrf", "xsrf", "previous", "last_", "old_", "_id",
    ];
    (lower == "pass" || ENDS.iter().any(|w| lower.ends_with(w)))
        && !NOT.iter().any(|w| lower.contains(w))
}

/// A stored password hash, not a password: modular crypt (`$2b$…`,
/// `$argon2id$…`), Django's `algorithm$…`, LDAP's `{SSHA}…` and a bare
/// MD5/SHA-1/SHA-256/SHA-512 hex digest.
fn is_hash_format(value: &[u8]) -> bool {
    let alg = |v: &[u8], end: u8| {
        let n = v
            .iter()
            .take(24)
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            .count();
        n > 0 && v.get(n) == Some(&end)
    };
    let digest =
        matches!(value.len(), 32 | 40 | 64 | 128) && value.iter().all(u8::is_ascii_hexdigit);
    digest
        || value.starts_with(b"$")
        || alg(value, b'$')
        || value.strip_prefix(b"{").is_some_and(|v| alg(v, b'}'))
}

fn push_view(column: &str, value: &[u8], start: usize, end: usize, out: &mut Vec<Decoded>) {
    if value.is_empty()
        || value.len() > MAX_VALUE
        || out.len() >= MAX_SPANS
        || is_hash_format(value)
    {
        return;
    }
    let mut bytes = Vec::with_capacity(VIEW_PREFIX.len() + column.len() + 1 + value.len());
    bytes.extend_from_slice(VIEW_PREFIX);
    bytes.extend_from_slice(column.as_bytes());
    bytes.push(b'=');
    // A doubled quote (CSV `""`, SQL `''`) is one quote of the value.
    let mut i = 0;
    while i < value.len() {
        let b = value[i];
        bytes.push(b);
        i += if matches!(b, b'"' | b'\'') && value.get(i + 1) == Some(&b) {
            2
        } else {
            1
        };
    }
    out.push(Decoded { start, end, bytes });
}

/// Where an `INSERT INTO` (upper or lower case, any blanks between)
/// starting at `i` has its table name, if one starts there.
fn insert_at(data: &[u8], i: usize) -> Option<usize> {
    if !starts_ci(&data[i..], b"insert") || (i > 0 && is_word(data[i - 1])) {
        return None;
    }
    let j = skip_ws(data, i + 6);
    if j == i + 6 || !starts_ci(&data[j..], b"into") {
        return None;
    }
    let after = skip_ws(data, j + 4);
    (after > j + 4).then_some(after)
}

/// Whether `data` may hold an `INSERT INTO` (two SIMD passes).
fn has_insert(data: &[u8]) -> bool {
    memchr::memmem::find(data, b"INSERT").is_some()
        || memchr::memmem::find(data, b"insert").is_some()
}

fn starts_ci(data: &[u8], word: &[u8]) -> bool {
    data.len() >= word.len() && data[..word.len()].eq_ignore_ascii_case(word)
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn skip_ws(data: &[u8], mut i: usize) -> usize {
    while i < data.len() && data[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Every `INSERT INTO name (columns) VALUES (row), (row)…` with a
/// credential column: each row's quoted value in that column.
fn inserts(data: &[u8], out: &mut Vec<Decoded>) {
    let mut upper = memchr::memmem::find_iter(data, b"INSERT").peekable();
    let mut lower = memchr::memmem::find_iter(data, b"insert").peekable();
    let mut from = 0;
    loop {
        // The next candidate at or after `from`, of either spelling; each
        // iterator moves forward only, so the whole is two passes.
        while upper.next_if(|&i| i < from).is_some() {}
        while lower.next_if(|&i| i < from).is_some() {}
        let i = match (upper.peek(), lower.peek()) {
            (Some(&a), Some(&b)) => a.min(b),
            (Some(&a), None) | (None, Some(&a)) => a,
            (None, None) => return,
        };
        if out.len() >= MAX_SPANS {
            return;
        }
        from = match insert_at(data, i) {
            Some(table) => insert(data, table, out).max(i + 1),
            None => i + 1,
        };
    }
}

/// Parse one `INSERT` from its table name; return where parsing stopped.
fn insert(data: &[u8], table: usize, out: &mut Vec<Decoded>) -> usize {
    let limit = (table + MAX_STATEMENT).min(data.len());
    let data = &data[..limit];
    let mut i = table;
    while i < data.len()
        && (is_word(data[i]) || matches!(data[i], b'.' | b'"' | b'`' | b'[' | b']'))
    {
        i += 1;
    }
    if i == table {
        return i;
    }
    i = skip_ws(data, i);
    if data.get(i) != Some(&b'(') {
        return i;
    }
    let list_end = (i + MAX_HEADER).min(data.len());
    let Some(close) = memchr::memchr(b')', &data[i..list_end]).map(|k| i + k) else {
        return list_end;
    };
    let mut columns = Vec::new();
    for raw in data[i + 1..close].split(|&b| b == b',') {
        let name = raw
            .trim_ascii()
            .strip_prefix(b"\"")
            .or_else(|| raw.trim_ascii().strip_prefix(b"`"))
            .or_else(|| raw.trim_ascii().strip_prefix(b"["))
            .unwrap_or(raw.trim_ascii());
        let name = name
            .strip_suffix(b"\"")
            .or_else(|| name.strip_suffix(b"`"))
            .or_else(|| name.strip_suffix(b"]"))
            .unwrap_or(name);
        if !is_name(name) || columns.len() >= MAX_COLUMNS {
            return close;
        }
        columns.push(name);
    }
    let wanted: Vec<(usize, String)> = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| is_credential_column(c))
        .map(|(n, c)| (n, String::from_utf8_lossy(c).into_owned()))
        .collect();
    i = skip_ws(data, close + 1);
    if wanted.is_empty() || !starts_ci(&data[i..], b"values") {
        return i;
    }
    i = skip_ws(data, i + 6);
    // Rows: `(v, v, …)` separated by commas, until anything else.
    while data.get(i) == Some(&b'(') {
        let (values, end) = match row(data, i + 1, columns.len()) {
            Ok(row) => row,
            // What a broken row read is not read again.
            Err(reached) => return reached.max(i + 1),
        };
        if values.len() == columns.len() {
            for (n, name) in &wanted {
                if let Some((s, e)) = values[*n] {
                    push_view(name, &data[s..e], s, e, out);
                }
            }
        }
        i = skip_ws(data, end);
        if data.get(i) != Some(&b',') {
            return i;
        }
        i = skip_ws(data, i + 1);
    }
    i
}

/// One row's values from just after its `(`: for each, the span inside its
/// quotes when it is a quoted string (`None` for a number, NULL, a call);
/// and where the row ends (after its `)`). `Err(reached)` when the row is
/// not well-formed or has more than `max` values: how far it was read.
#[allow(clippy::type_complexity)]
fn row(
    data: &[u8],
    mut i: usize,
    max: usize,
) -> Result<(Vec<Option<(usize, usize)>>, usize), usize> {
    let mut values = Vec::new();
    loop {
        if values.len() > max {
            return Err(i);
        }
        i = skip_ws(data, i);
        // A string prefix: N'…' (SQL Server), E'…' (PostgreSQL).
        if matches!(data.get(i), Some(b'N' | b'n' | b'E' | b'e')) && data.get(i + 1) == Some(&b'\'')
        {
            i += 1;
        }
        if data.get(i) == Some(&b'\'') {
            let s = i + 1;
            let mut j = s;
            let e = loop {
                let Some(k) = memchr::memchr2(b'\'', b'\\', &data[j..]) else {
                    return Err(data.len());
                };
                let p = j + k;
                if data[p] == b'\\' || data.get(p + 1) == Some(&b'\'') {
                    j = p + 2;
                } else {
                    break p;
                }
                if j >= data.len() {
                    return Err(data.len());
                }
            };
            values.push(Some((s, e)));
            i = skip_ws(data, e + 1);
        } else {
            // A bare value or a call: up to a comma or `)` at depth 0.
            let mut depth = 0usize;
            loop {
                match data.get(i).ok_or(i)? {
                    b'(' => depth += 1,
                    b')' if depth == 0 => break,
                    b')' => depth -= 1,
                    b',' if depth == 0 => break,
                    b'\'' | b';' | b'\n' => return Err(i),
                    _ => {}
                }
                i += 1;
            }
            values.push(None);
        }
        match data.get(i).ok_or(i)? {
            b',' => i += 1,
            b')' => return Ok((values, i + 1)),
            _ => return Err(i),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decoders::spans;

    fn views(text: &str) -> Vec<(String, String)> {
        spans(&Records, text)
    }

    #[test]
    fn csv_cells_of_credential_columns_are_presented() {
        let text = "id,email,password,created_at\n\
                    1,ann@corp.local,Wq8#kz2Lm,2024-01-02\n\
                    2,bob@corp.local,\"a,b\"\"c9\",2024-01-03\n\
                    3,eve@corp.local,,2024-01-04\n\
                    not a record\n";
        assert_eq!(
            views(text),
            [
                (
                    "Wq8#kz2Lm".to_string(),
                    "record-field: password=Wq8#kz2Lm".to_string() // keysprawl:allow (test fixture)
                ),
                (
                    "a,b\"\"c9".to_string(),
                    "record-field: password=a,b\"c9".to_string() // keysprawl:allow (test fixture)
                ),
            ]
        );
    }

    #[test]
    fn tsv_and_semicolon_headers() {
        let tsv = "user\tapi_key\tnote\r\nops\tKq7mW2xL9vTr4zP8\tprod\r\n";
        assert_eq!(views(tsv)[0].1, "record-field: api_key=Kq7mW2xL9vTr4zP8"); // keysprawl:allow (test fixture)
        let semi = "Benutzer;Passwort;Password\nanna;x;Rz7kq2Wm\n";
        assert_eq!(
            views(semi),
            [("Rz7kq2Wm".into(), "record-field: Password=Rz7kq2Wm".into())] // keysprawl:allow (test fixture)
        );
    }

    #[test]
    fn hash_and_setting_columns_and_prose_are_not_presented() {
        for text in [
            "id,email,password_hash\n1,a@b.c,$2b$12$abc\n",
            "id,password_changed_at,token_type\n1,2024-01-01,bearer\n",
            "import { password, user } from './x'\nconst a = 1, b = 2\n",
            "# user,password\nann,Wq8#kz2Lm\n",
            "user,password\nann,pbkdf2_sha256$600000$c2FsdA$aGFzaA==\nbob,{SSHA}aGFzaA==\n",
            "user,password\nann,5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8\n",
            "just one column password\nWq8#kz2Lm\n",
        ] {
            assert!(views(text).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn insert_rows_are_presented_by_column() {
        let text = "INSERT INTO `users` (`id`, `login`, `password`, `created`) VALUES\n\
                    (1, 'admin', 'Adm1n#2024', NOW()),\n\
                    (2, 'o''neil', 'It''s9x', DEFAULT);\n\
                    insert into t (a, b) values ('x', 'y');\n\
                    INSERT INTO users (email, password_hash) VALUES ('a', '$2b$');\n";
        assert_eq!(
            views(text),
            [
                (
                    "Adm1n#2024".to_string(),
                    "record-field: password=Adm1n#2024".to_string() // keysprawl:allow (test fixture)
                ),
                (
                    "It''s9x".to_string(),
                    "record-field: password=It's9x".to_string()
                ),
            ]
        );
    }

    #[test]
    fn broken_input_does_not_panic() {
        for text in [
            "INSERT INTO",
            "INSERT INTO users (password) VALUES ('abc",
            "INSERT INTO users (password) VALUES (",
            "INSERT INTO users (password VALUES ('x')",
            "insert into users(password)values('Wq8#kz2Lm\\",
            "a,password\n\"unterminated,x\n",
            "a,password\n",
            "a,password",
        ] {
            let _ = views(text);
        }
        let long = format!("a,password\n{}", "x,y\n".repeat(1_000));
        assert_eq!(views(&long).len(), 1_000);
        let many = format!("a,password\n{}", "x,y\n".repeat(MAX_SPANS + 10));
        assert_eq!(views(&many).len(), MAX_SPANS);
        // Unterminated rows are read once, not once per INSERT after them.
        let hostile = "INSERT INTO u (password) VALUES ('x".repeat(20_000);
        assert!(views(&hostile).is_empty());
    }
}
