
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'keysprawl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'keysprawl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'keysprawl' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Scan files, directories or standard input for credentials')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List the rules or check their examples')
            [CompletionResult]::new('report-schema', 'report-schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of the JSON report (`--format json`, version 1)')
            [CompletionResult]::new('ignore', 'ignore', [CompletionResultType]::ParameterValue, 'Accept a finding: add its fingerprint to `.keysprawlignore`')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Configuration helpers')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'keysprawl;scan' {
            [CompletionResult]::new('--repos-from', '--repos-from', [CompletionResultType]::ParameterName, 'Also scan the paths listed in FILE, one per line (blank lines and lines starting with `#` are skipped; a relative path is taken from FILE''s directory), after those on the command line. For audits of many repositories: `--history --repos-from repos.txt`. A listed path that does not exist is an error naming the line')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Report format. Example: `--format sarif > keysprawl.sarif`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Report format. Example: `--format sarif > keysprawl.sarif`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of standard output. Example: `-o report.json`')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of standard output. Example: `-o report.json`')
            [CompletionResult]::new('--min-confidence', '--min-confidence', [CompletionResultType]::ParameterName, 'Report only findings at least this sure (and only those can fail the run). `high`: a checksum, a provider''s own format or a live check proves it; `medium` (default): a specific format, or a generic value in a strong context (`POSTGRES_PASSWORD: example123`); `low`: also generic values with weak evidence, listed last in the text report. Example: `--min-confidence high` for a gate that must never cry wolf')
            [CompletionResult]::new('--min-severity', '--min-severity', [CompletionResultType]::ParameterName, 'Report only findings at least this severe (and only those can fail the run); the others are counted in the summary. Example: `--min-severity high` for a gate on what matters most')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Which findings make the run exit 1 (repeatable or comma-separated). Example: `--fail-on live,validation-error` in CI after `--validate` (fails when a secret is live, and when any check could not run)')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Suppress findings already in this earlier JSON report (same secret fingerprint and path). Example: `--baseline .keysprawl-baseline.json`')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file, trusted and applied to every root. Without it each scanned directory''s own `.keysprawl.toml` governs that directory only (in `--staged`/`--range A..B`, the one of the base revision), and may not name files outside it nor make its rules validate')
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'Scan only what the commits in A..B introduce (implies --history, skips the work tree). Example: `--range origin/main..HEAD` on a pull request')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only commits with a committer date at or after DATE (implies --history). Example: `--since 2024-01-01` or `--since 2024-01-01T00:00:00Z`')
            [CompletionResult]::new('--validate-concurrency', '--validate-concurrency', [CompletionResultType]::ParameterName, 'Checks in flight at once, across all providers (1-1024)')
            [CompletionResult]::new('--validate-per-host', '--validate-per-host', [CompletionResultType]::ParameterName, 'Checks in flight at once against any one provider host (keep it low for providers with tight rate limits; 1-1024)')
            [CompletionResult]::new('--validate-timeout', '--validate-timeout', [CompletionResultType]::ParameterName, 'Seconds before a check gives up (the verdict is then `error`; 1-3600)')
            [CompletionResult]::new('--validate-deadline', '--validate-deadline', [CompletionResultType]::ParameterName, 'Seconds the whole validation phase may take; checks still running then end as `error` "validation deadline reached" (1-86400)')
            [CompletionResult]::new('--validation-endpoint', '--validation-endpoint', [CompletionResultType]::ParameterName, 'Send checks for HOST to URL instead (tests, mirrors, corporate proxies; a warning names each override). Example: `--validation-endpoint api.github.com=http://127.0.0.1:8080`')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Add rules from a TOML file or every *.toml under a directory (repeatable). Example: `--rules ./security/keysprawl-rules/`')
            [CompletionResult]::new('--disable-rule', '--disable-rule', [CompletionResultType]::ParameterName, 'Disable a rule by id (repeatable). Example: `--disable-rule generic-password`')
            [CompletionResult]::new('--only-rule', '--only-rule', [CompletionResultType]::ParameterName, 'Run only these rule ids (repeatable). Example: `--only-rule aws-access-key`')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip paths matching GLOB (gitignore syntax, repeatable). Example: `--exclude ''vendor/**''`')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Files larger than this are scanned in overlapping chunks of this size instead of being read whole (suffixes K, M, G). Archives (zip, jar, tar, gz …) larger than this are not expanded, and no archive member is read past it. Example: `--max-file-size 20M`')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Worker threads, 0 to 256 (0: one per core)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads, 0 to 256 (0: one per core)')
            [CompletionResult]::new('--max-duration', '--max-duration', [CompletionResultType]::ParameterName, 'Stop reading new input after this long and report what was found so far. The report says how many files, blobs and commits were left unread (an entry in `summary.errors`), and the run exits 2: a scan cut short never passes as a clean one. Findings, validation and the report still run after the budget. Examples: `--max-duration 90s`, `--max-duration 10m`, `--max-duration 1h30m`')
            [CompletionResult]::new('--allow-marker', '--allow-marker', [CompletionResultType]::ParameterName, 'A comment marker that allows its line (repeatable; replaces the defaults `keysprawl:allow` and `gitleaks:allow`). Example: `--allow-marker keysprawl:allow --allow-marker nosec-secret`')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour the text report: auto (terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Print secrets in full. By default every output shows them redacted')
            [CompletionResult]::new('--history', '--history', [CompletionResultType]::ParameterName, 'Also scan the full history of each PATH (a git repository): every blob reachable from any ref, each once, attributed to the commits that introduced it. Example: `keysprawl scan --history ~/src/repo-a ~/src/repo-b`')
            [CompletionResult]::new('--all-objects', '--all-objects', [CompletionResultType]::ParameterName, 'Also scan objects that no ref reaches (dangling blobs; implies --history)')
            [CompletionResult]::new('--staged', '--staged', [CompletionResultType]::ParameterName, 'Pre-commit mode: scan what is staged in the index and differs from HEAD, as it will be committed. No network. Example: `keysprawl scan --staged`')
            [CompletionResult]::new('--validate', '--validate', [CompletionResultType]::ParameterName, 'Check with each provider whether the secrets found still work (opt-in; read-only calls; each unique secret once). Example: `--validate --fail-on live`')
            [CompletionResult]::new('--no-builtin-rules', '--no-builtin-rules', [CompletionResultType]::ParameterName, 'Use only the rules given with --rules, not the built-in library')
            [CompletionResult]::new('--no-ignore', '--no-ignore', [CompletionResultType]::ParameterName, 'Do not honour .gitignore, .ignore and git''s exclude files')
            [CompletionResult]::new('--no-follow', '--no-follow', [CompletionResultType]::ParameterName, 'Do not follow symbolic links. By default a link is followed only to a regular file inside the scanned root and outside `.git`')
            [CompletionResult]::new('--scan-binary', '--scan-binary', [CompletionResultType]::ParameterName, 'Scan files that look binary (a NUL byte in the first 8 KiB) instead of skipping them. Archives and UTF-16 text are decoded and scanned either way')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the one summary line on standard error: no progress display, notes or warnings (errors are counted in that line and listed in the report). Example: `-q -f sarif -o keysprawl.sarif` in CI')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the one summary line on standard error: no progress display, notes or warnings (errors are counted in that line and listed in the report). Example: `-q -f sarif -o keysprawl.sarif` in CI')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'keysprawl;rules' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every rule: id, provider, severity, lifetime, keywords')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Run every rule''s examples (must match) and negative examples (must not)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'keysprawl;rules;list' {
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Add rules from a TOML file or every *.toml under a directory (repeatable). Example: `--rules ./security/keysprawl-rules/`')
            [CompletionResult]::new('--disable-rule', '--disable-rule', [CompletionResultType]::ParameterName, 'Disable a rule by id (repeatable). Example: `--disable-rule generic-password`')
            [CompletionResult]::new('--only-rule', '--only-rule', [CompletionResultType]::ParameterName, 'Run only these rule ids (repeatable). Example: `--only-rule aws-access-key`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format. Example: `keysprawl rules list --format json | jq ''.[].id''`')
            [CompletionResult]::new('--no-builtin-rules', '--no-builtin-rules', [CompletionResultType]::ParameterName, 'Use only the rules given with --rules, not the built-in library')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'keysprawl;rules;check' {
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Add rules from a TOML file or every *.toml under a directory (repeatable). Example: `--rules ./security/keysprawl-rules/`')
            [CompletionResult]::new('--disable-rule', '--disable-rule', [CompletionResultType]::ParameterName, 'Disable a rule by id (repeatable). Example: `--disable-rule generic-password`')
            [CompletionResult]::new('--only-rule', '--only-rule', [CompletionResultType]::ParameterName, 'Run only these rule ids (repeatable). Example: `--only-rule aws-access-key`')
            [CompletionResult]::new('--no-builtin-rules', '--no-builtin-rules', [CompletionResultType]::ParameterName, 'Use only the rules given with --rules, not the built-in library')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'keysprawl;rules;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every rule: id, provider, severity, lifetime, keywords')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Run every rule''s examples (must match) and negative examples (must not)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'keysprawl;rules;help;list' {
            break
        }
        'keysprawl;rules;help;check' {
            break
        }
        'keysprawl;rules;help;help' {
            break
        }
        'keysprawl;report-schema' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'keysprawl;ignore' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why it is accepted (written after `#` on the entry''s line)')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Only under this path glob (relative to the scanned directory). Example: `--path ''tests/fixtures/**''`')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The ignore file to add to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'keysprawl;config' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('import-gitleaks', 'import-gitleaks', [CompletionResultType]::ParameterValue, 'Convert a `.gitleaks.toml`''s allowlists into a `.keysprawl.toml`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'keysprawl;config;import-gitleaks' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write here instead of standard output (refuses to overwrite)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write here instead of standard output (refuses to overwrite)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'keysprawl;config;help' {
            [CompletionResult]::new('import-gitleaks', 'import-gitleaks', [CompletionResultType]::ParameterValue, 'Convert a `.gitleaks.toml`''s allowlists into a `.keysprawl.toml`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'keysprawl;config;help;import-gitleaks' {
            break
        }
        'keysprawl;config;help;help' {
            break
        }
        'keysprawl;completions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'keysprawl;help' {
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Scan files, directories or standard input for credentials')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List the rules or check their examples')
            [CompletionResult]::new('report-schema', 'report-schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of the JSON report (`--format json`, version 1)')
            [CompletionResult]::new('ignore', 'ignore', [CompletionResultType]::ParameterValue, 'Accept a finding: add its fingerprint to `.keysprawlignore`')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Configuration helpers')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'keysprawl;help;scan' {
            break
        }
        'keysprawl;help;rules' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every rule: id, provider, severity, lifetime, keywords')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Run every rule''s examples (must match) and negative examples (must not)')
            break
        }
        'keysprawl;help;rules;list' {
            break
        }
        'keysprawl;help;rules;check' {
            break
        }
        'keysprawl;help;report-schema' {
            break
        }
        'keysprawl;help;ignore' {
            break
        }
        'keysprawl;help;config' {
            [CompletionResult]::new('import-gitleaks', 'import-gitleaks', [CompletionResultType]::ParameterValue, 'Convert a `.gitleaks.toml`''s allowlists into a `.keysprawl.toml`')
            break
        }
        'keysprawl;help;config;import-gitleaks' {
            break
        }
        'keysprawl;help;completions' {
            break
        }
        'keysprawl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
