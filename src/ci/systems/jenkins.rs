//! Jenkinsfiles are Groovy, not YAML: the audits read their lines.

/// (1-based line, 1-based column in characters, the line) for every line
/// `keep` accepts; `keep` gives the byte offset the column points at.
pub fn lines_with<'a>(
    text: &'a str,
    keep: impl Fn(&str) -> Option<usize> + 'a,
) -> impl Iterator<Item = (usize, usize, &'a str)> + 'a {
    text.lines().enumerate().filter_map(move |(n, line)| {
        let at = keep(line)?;
        let column = line.get(..at).map_or(1, |s| s.chars().count() + 1);
        Some((n + 1, column, line))
    })
}
