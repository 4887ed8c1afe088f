
use builtin;
use str;

set edit:completion:arg-completer[keysprawl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'keysprawl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'keysprawl'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand scan 'Scan files, directories or standard input for credentials'
            cand rules 'List the rules or check their examples'
            cand report-schema 'Print the JSON Schema of the JSON report (`--format json`, version 1)'
            cand ignore 'Accept a finding: add its fingerprint to `.keysprawlignore`'
            cand config 'Configuration helpers'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'keysprawl;scan'= {
            cand --repos-from 'Also scan the paths listed in FILE, one per line (blank lines and lines starting with `#` are skipped; a relative path is taken from FILE''s directory), after those on the command line. For audits of many repositories: `--history --repos-from repos.txt`. A listed path that does not exist is an error naming the line'
            cand -f 'Report format. Example: `--format sarif > keysprawl.sarif`'
            cand --format 'Report format. Example: `--format sarif > keysprawl.sarif`'
            cand -o 'Write the report to FILE instead of standard output. Example: `-o report.json`'
            cand --output 'Write the report to FILE instead of standard output. Example: `-o report.json`'
            cand --min-confidence 'Report only findings at least this sure (and only those can fail the run). `high`: a checksum, a provider''s own format or a live check proves it; `medium` (default): a specific format, or a generic value in a strong context (`POSTGRES_PASSWORD: example123`); `low`: also generic values with weak evidence, listed last in the text report. Example: `--min-confidence high` for a gate that must never cry wolf'
            cand --min-severity 'Report only findings at least this severe (and only those can fail the run); the others are counted in the summary. Example: `--min-severity high` for a gate on what matters most'
            cand --fail-on 'Which findings make the run exit 1 (repeatable or comma-separated). Example: `--fail-on live,validation-error` in CI after `--validate` (fails when a secret is live, and when any check could not run)'
            cand --baseline 'Suppress findings already in this earlier JSON report (same secret fingerprint and path). Example: `--baseline .keysprawl-baseline.json`'
            cand --config 'Configuration file, trusted and applied to every root. Without it each scanned directory''s own `.keysprawl.toml` governs that directory only (in `--staged`/`--range A..B`, the one of the base revision), and may not name files outside it nor make its rules validate'
            cand --range 'Scan only what the commits in A..B introduce (implies --history, skips the work tree). Example: `--range origin/main..HEAD` on a pull request'
            cand --since 'Only commits with a committer date at or after DATE (implies --history). Example: `--since 2024-01-01` or `--since 2024-01-01T00:00:00Z`'
            cand --validate-concurrency 'Checks in flight at once, across all providers (1-1024)'
            cand --validate-per-host 'Checks in flight at once against any one provider host (keep it low for providers with tight rate limits; 1-1024)'
            cand --validate-timeout 'Seconds before a check gives up (the verdict is then `error`; 1-3600)'
            cand --validate-deadline 'Seconds the whole validation phase may take; checks still running then end as `error` "validation deadline reached" (1-86400)'
            cand --validation-endpoint 'Send checks for HOST to URL instead (tests, mirrors, corporate proxies; a warning names each override). Example: `--validation-endpoint api.github.com=http://127.0.0.1:8080`'
            cand --rules 'Add rules from a TOML file or every *.toml under a directory (repeatable). Example: `--rules ./security/keysprawl-rules/`'
            cand --disable-rule 'Disable a rule by id (repeatable). Example: `--disable-rule generic-password`'
            cand --only-rule 'Run only these rule ids (repeatable). Example: `--only-rule aws-access-key`'
            cand --exclude 'Skip paths matching GLOB (gitignore syntax, repeatable). Example: `--exclude ''vendor/**''`'
            cand --max-file-size 'Files larger than this are scanned in overlapping chunks of this size instead of being read whole (suffixes K, M, G). Archives (zip, jar, tar, gz …) larger than this are not expanded, and no archive member is read past it. Example: `--max-file-size 20M`'
            cand -j 'Worker threads, 0 to 256 (0: one per core)'
            cand --threads 'Worker threads, 0 to 256 (0: one per core)'
            cand --max-duration 'Stop reading new input after this long and report what was found so far. The report says how many files, blobs and commits were left unread (an entry in `summary.errors`), and the run exits 2: a scan cut short never passes as a clean one. Findings, validation and the report still run after the budget. Examples: `--max-duration 90s`, `--max-duration 10m`, `--max-duration 1h30m`'
            cand --allow-marker 'A comment marker that allows its line (repeatable; replaces the defaults `keysprawl:allow` and `gitleaks:allow`). Example: `--allow-marker keysprawl:allow --allow-marker nosec-secret`'
            cand --color 'Colour the text report: auto (terminal and no NO_COLOR), always, never'
            cand --show-secrets 'Print secrets in full. By default every output shows them redacted'
            cand --history 'Also scan the full history of each PATH (a git repository): every blob reachable from any ref, each once, attributed to the commits that introduced it. Example: `keysprawl scan --history ~/src/repo-a ~/src/repo-b`'
            cand --all-objects 'Also scan objects that no ref reaches (dangling blobs; implies --history)'
            cand --staged 'Pre-commit mode: scan what is staged in the index and differs from HEAD, as it will be committed. No network. Example: `keysprawl scan --staged`'
            cand --validate 'Check with each provider whether the secrets found still work (opt-in; read-only calls; each unique secret once). Example: `--validate --fail-on live`'
            cand --no-builtin-rules 'Use only the rules given with --rules, not the built-in library'
            cand --no-ignore 'Do not honour .gitignore, .ignore and git''s exclude files'
            cand --no-follow 'Do not follow symbolic links. By default a link is followed only to a regular file inside the scanned root and outside `.git`'
            cand --scan-binary 'Scan files that look binary (a NUL byte in the first 8 KiB) instead of skipping them. Archives and UTF-16 text are decoded and scanned either way'
            cand -q 'Only the one summary line on standard error: no progress display, notes or warnings (errors are counted in that line and listed in the report). Example: `-q -f sarif -o keysprawl.sarif` in CI'
            cand --quiet 'Only the one summary line on standard error: no progress display, notes or warnings (errors are counted in that line and listed in the report). Example: `-q -f sarif -o keysprawl.sarif` in CI'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'keysprawl;rules'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List every rule: id, provider, severity, lifetime, keywords'
            cand check 'Run every rule''s examples (must match) and negative examples (must not)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'keysprawl;rules;list'= {
            cand --rules 'Add rules from a TOML file or every *.toml under a directory (repeatable). Example: `--rules ./security/keysprawl-rules/`'
            cand --disable-rule 'Disable a rule by id (repeatable). Example: `--disable-rule generic-password`'
            cand --only-rule 'Run only these rule ids (repeatable). Example: `--only-rule aws-access-key`'
            cand --format 'Output format. Example: `keysprawl rules list --format json | jq ''.[].id''`'
            cand --no-builtin-rules 'Use only the rules given with --rules, not the built-in library'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'keysprawl;rules;check'= {
            cand --rules 'Add rules from a TOML file or every *.toml under a directory (repeatable). Example: `--rules ./security/keysprawl-rules/`'
            cand --disable-rule 'Disable a rule by id (repeatable). Example: `--disable-rule generic-password`'
            cand --only-rule 'Run only these rule ids (repeatable). Example: `--only-rule aws-access-key`'
            cand --no-builtin-rules 'Use only the rules given with --rules, not the built-in library'
            cand --json 'Print the result as JSON'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'keysprawl;rules;help'= {
            cand list 'List every rule: id, provider, severity, lifetime, keywords'
            cand check 'Run every rule''s examples (must match) and negative examples (must not)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'keysprawl;rules;help;list'= {
        }
        &'keysprawl;rules;help;check'= {
        }
        &'keysprawl;rules;help;help'= {
        }
        &'keysprawl;report-schema'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'keysprawl;ignore'= {
            cand --reason 'Why it is accepted (written after `#` on the entry''s line)'
            cand --path 'Only under this path glob (relative to the scanned directory). Example: `--path ''tests/fixtures/**''`'
            cand --file 'The ignore file to add to'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'keysprawl;config'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand import-gitleaks 'Convert a `.gitleaks.toml`''s allowlists into a `.keysprawl.toml`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'keysprawl;config;import-gitleaks'= {
            cand -o 'Write here instead of standard output (refuses to overwrite)'
            cand --output 'Write here instead of standard output (refuses to overwrite)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'keysprawl;config;help'= {
            cand import-gitleaks 'Convert a `.gitleaks.toml`''s allowlists into a `.keysprawl.toml`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'keysprawl;config;help;import-gitleaks'= {
        }
        &'keysprawl;config;help;help'= {
        }
        &'keysprawl;completions'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'keysprawl;help'= {
            cand scan 'Scan files, directories or standard input for credentials'
            cand rules 'List the rules or check their examples'
            cand report-schema 'Print the JSON Schema of the JSON report (`--format json`, version 1)'
            cand ignore 'Accept a finding: add its fingerprint to `.keysprawlignore`'
            cand config 'Configuration helpers'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'keysprawl;help;scan'= {
        }
        &'keysprawl;help;rules'= {
            cand list 'List every rule: id, provider, severity, lifetime, keywords'
            cand check 'Run every rule''s examples (must match) and negative examples (must not)'
        }
        &'keysprawl;help;rules;list'= {
        }
        &'keysprawl;help;rules;check'= {
        }
        &'keysprawl;help;report-schema'= {
        }
        &'keysprawl;help;ignore'= {
        }
        &'keysprawl;help;config'= {
            cand import-gitleaks 'Convert a `.gitleaks.toml`''s allowlists into a `.keysprawl.toml`'
        }
        &'keysprawl;help;config;import-gitleaks'= {
        }
        &'keysprawl;help;completions'= {
        }
        &'keysprawl;help;help'= {
        }
    ]
    $completions[$command]
}
