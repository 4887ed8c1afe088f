//! The library's modules form layers: each top-level module may name only
//! the modules listed for it here (by `crate::module` paths in its code,
//! tests and comments aside), and no two modules name each other, directly
//! or through others. `docs/architecture.md` draws the same table; change
//! both together, and only to keep the stages one-way.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module → the modules it may use.
const ALLOWED: &[(&str, &[&str])] = &[
    ("error", &[]),
    ("safe_io", &["error"]),
    ("origin", &[]),
    ("rules", &["error", "safe_io"]),
    ("matcher", &["error", "rules"]),
    (
        "decoders",
        &["error", "matcher", "origin", "rules", "safe_io"],
    ),
    (
        "scan",
        &["decoders", "error", "matcher", "origin", "rules", "safe_io"],
    ),
    (
        "sources",
        &[
            "decoders", "error", "matcher", "origin", "rules", "safe_io", "scan",
        ],
    ),
    ("ignorefile", &["error", "safe_io"]),
    (
        "config",
        &[
            "error",
            "ignorefile",
            "origin",
            "rules",
            "safe_io",
            "sources",
        ],
    ),
    (
        "findings",
        &["error", "matcher", "origin", "rules", "safe_io", "scan"],
    ),
    ("ci", &["error", "origin", "safe_io"]),
    (
        "analysis",
        &["ci", "error", "findings", "matcher", "origin", "rules"],
    ),
    (
        "validation",
        &["error", "findings", "matcher", "origin", "rules", "safe_io"],
    ),
    (
        "report",
        &[
            "analysis", "ci", "error", "findings", "matcher", "origin", "rules", "safe_io", "scan",
        ],
    ),
    (
        "allow",
        &[
            "config",
            "error",
            "findings",
            "ignorefile",
            "matcher",
            "origin",
            "report",
            "rules",
            "safe_io",
        ],
    ),
    (
        "pipeline",
        &[
            "allow",
            "analysis",
            "ci",
            "config",
            "decoders",
            "error",
            "findings",
            "ignorefile",
            "matcher",
            "origin",
            "report",
            "rules",
            "safe_io",
            "scan",
            "sources",
            "validation",
        ],
    ),
    (
        "cli",
        &[
            "analysis",
            "ci",
            "config",
            "error",
            "findings",
            "ignorefile",
            "matcher",
            "origin",
            "pipeline",
            "report",
            "rules",
            "safe_io",
            "scan",
            "sources",
            "validation",
        ],
    ),
];

/// Code of a file without comments, string literals' contents aside (a
/// `crate::x` inside a string is rare and would only be stricter), and
/// without its `#[cfg(test)]` module (tests may reach anywhere).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules `code` names: `crate::x…` and `use crate::{x, y…}`.
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while let Some(p) = code[i..].find("crate::") {
        let start = i + p + "crate::".len();
        if bytes.get(start) == Some(&b'{') {
            let end = code[start..].find('}').map_or(code.len(), |e| start + e);
            for item in code[start + 1..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = code[start..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
        i = start;
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read src") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
}

fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(&src).expect("under src");
        let top = rel
            .components()
            .next()
            .expect("a component")
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&f).expect("read");
        let named = named_modules(&code_of(&text));
        let entry = edges.entry(top.clone()).or_default();
        entry.extend(named.into_iter().filter(|m| *m != top));
    }
    edges
}

#[test]
fn modules_use_only_the_layers_below_them() {
    let allowed: BTreeMap<&str, BTreeSet<&str>> = ALLOWED
        .iter()
        .map(|(m, to)| (*m, to.iter().copied().collect()))
        .collect();
    let mut wrong = Vec::new();
    for (module, uses) in edges() {
        let Some(ok) = allowed.get(module.as_str()) else {
            wrong.push(format!(
                "module `{module}` is not in the layering table (tests/layering.rs, docs/architecture.md)"
            ));
            continue;
        };
        for u in uses {
            if !ok.contains(u.as_str()) {
                wrong.push(format!("`{module}` uses `{u}`, which is not below it"));
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn the_layering_table_has_no_cycle() {
    // Every module may only use modules listed before it.
    let mut seen = BTreeSet::new();
    for (module, uses) in ALLOWED {
        for u in *uses {
            assert!(
                seen.contains(u),
                "`{module}` may use `{u}`, which is not listed before it"
            );
        }
        seen.insert(*module);
    }
}
