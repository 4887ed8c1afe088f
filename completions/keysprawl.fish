# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_keysprawl_global_optspecs
    string join \n h/help V/version
end

function __fish_keysprawl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_keysprawl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_keysprawl_using_subcommand
    set -l cmd (__fish_keysprawl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c keysprawl -n "__fish_keysprawl_needs_command" -s h -l help -d 'Print help'
complete -c keysprawl -n "__fish_keysprawl_needs_command" -s V -l version -d 'Print version'
complete -c keysprawl -n "__fish_keysprawl_needs_command" -f -a "scan" -d 'Scan files, directories or standard input for credentials'
complete -c keysprawl -n "__fish_keysprawl_needs_command" -f -a "rules" -d 'List the rules or check their examples'
complete -c keysprawl -n "__fish_keysprawl_needs_command" -f -a "report-schema" -d 'Print the JSON Schema of the JSON report (`--format json`, version 1)'
complete -c keysprawl -n "__fish_keysprawl_needs_command" -f -a "ignore" -d 'Accept a finding: add its fingerprint to `.keysprawlignore`'
complete -c keysprawl -n "__fish_keysprawl_needs_command" -f -a "config" -d 'Configuration helpers'
complete -c keysprawl -n "__fish_keysprawl_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c keysprawl -n "__fish_keysprawl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l repos-from -d 'Also scan the paths listed in FILE, one per line (blank lines and lines starting with `#` are skipped; a relative path is taken from FILE\'s directory), after those on the command line. For audits of many repositories: `--history --repos-from repos.txt`. A listed path that does not exist is an error naming the line' -r -F
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -s f -l format -d 'Report format. Example: `--format sarif > keysprawl.sarif`' -r -f -a "text\t'Human report grouped by finding (coloured on a terminal)'
json\t'One JSON document (the contract in README: "JSON report")'
jsonl\t'One finding object per line'
sarif\t'SARIF 2.1.0, as GitHub code scanning accepts it'
html\t'One self-contained HTML page for audits: posture, charts, a sortable and filterable findings table, CI issues (offline, no requests)'"
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -s o -l output -d 'Write the report to FILE instead of standard output. Example: `-o report.json`' -r -F
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l min-confidence -d 'Report only findings at least this sure (and only those can fail the run). `high`: a checksum, a provider\'s own format or a live check proves it; `medium` (default): a specific format, or a generic value in a strong context (`POSTGRES_PASSWORD: example123`); `low`: also generic values with weak evidence, listed last in the text report. Example: `--min-confidence high` for a gate that must never cry wolf' -r -f -a "low\t''
medium\t''
high\t''"
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l min-severity -d 'Report only findings at least this severe (and only those can fail the run); the others are counted in the summary. Example: `--min-severity high` for a gate on what matters most' -r -f -a "info\t''
low\t''
medium\t''
high\t''
critical\t''"
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l fail-on -d 'Which findings make the run exit 1 (repeatable or comma-separated). Example: `--fail-on live,validation-error` in CI after `--validate` (fails when a secret is live, and when any check could not run)' -r -f -a "any\t'Any finding fails the run (the default)'
none\t'Never fail on findings (errors still exit 2)'
live\t'Only secrets validation shows to be live (needs --validate)'
static\t'Only long-lived (static) credentials'
reused\t'Only credentials found in two or more files or repositories'
validation-error\t'Any finding whose check (with --validate) ended `error`: connection failed, timed out, rate limited, deadline reached. One is enough, so `--fail-on live,validation-error` never passes because validation could not run. Findings without a validator (`unknown`) do not count'"
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l baseline -d 'Suppress findings already in this earlier JSON report (same secret fingerprint and path). Example: `--baseline .keysprawl-baseline.json`' -r -F
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l config -d 'Configuration file, trusted and applied to every root. Without it each scanned directory\'s own `.keysprawl.toml` governs that directory only (in `--staged`/`--range A..B`, the one of the base revision), and may not name files outside it nor make its rules validate' -r -F
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l range -d 'Scan only what the commits in A..B introduce (implies --history, skips the work tree). Example: `--range origin/main..HEAD` on a pull request' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l since -d 'Only commits with a committer date at or after DATE (implies --history). Example: `--since 2024-01-01` or `--since 2024-01-01T00:00:00Z`' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l validate-concurrency -d 'Checks in flight at once, across all providers (1-1024)' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l validate-per-host -d 'Checks in flight at once against any one provider host (keep it low for providers with tight rate limits; 1-1024)' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l validate-timeout -d 'Seconds before a check gives up (the verdict is then `error`; 1-3600)' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l validate-deadline -d 'Seconds the whole validation phase may take; checks still running then end as `error` "validation deadline reached" (1-86400)' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l validation-endpoint -d 'Send checks for HOST to URL instead (tests, mirrors, corporate proxies; a warning names each override). Example: `--validation-endpoint api.github.com=http://127.0.0.1:8080`' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l rules -d 'Add rules from a TOML file or every *.toml under a directory (repeatable). Example: `--rules ./security/keysprawl-rules/`' -r -F
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l disable-rule -d 'Disable a rule by id (repeatable). Example: `--disable-rule generic-password`' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l only-rule -d 'Run only these rule ids (repeatable). Example: `--only-rule aws-access-key`' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l exclude -d 'Skip paths matching GLOB (gitignore syntax, repeatable). Example: `--exclude \'vendor/**\'`' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l max-file-size -d 'Files larger than this are scanned in overlapping chunks of this size instead of being read whole (suffixes K, M, G). Archives (zip, jar, tar, gz …) larger than this are not expanded, and no archive member is read past it. Example: `--max-file-size 20M`' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -s j -l threads -d 'Worker threads, 0 to 256 (0: one per core)' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l max-duration -d 'Stop reading new input after this long and report what was found so far. The report says how many files, blobs and commits were left unread (an entry in `summary.errors`), and the run exits 2: a scan cut short never passes as a clean one. Findings, validation and the report still run after the budget. Examples: `--max-duration 90s`, `--max-duration 10m`, `--max-duration 1h30m`' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l allow-marker -d 'A comment marker that allows its line (repeatable; replaces the defaults `keysprawl:allow` and `gitleaks:allow`). Example: `--allow-marker keysprawl:allow --allow-marker nosec-secret`' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l color -d 'Colour the text report: auto (terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l show-secrets -d 'Print secrets in full. By default every output shows them redacted'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l history -d 'Also scan the full history of each PATH (a git repository): every blob reachable from any ref, each once, attributed to the commits that introduced it. Example: `keysprawl scan --history ~/src/repo-a ~/src/repo-b`'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l all-objects -d 'Also scan objects that no ref reaches (dangling blobs; implies --history)'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l staged -d 'Pre-commit mode: scan what is staged in the index and differs from HEAD, as it will be committed. No network. Example: `keysprawl scan --staged`'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l validate -d 'Check with each provider whether the secrets found still work (opt-in; read-only calls; each unique secret once). Example: `--validate --fail-on live`'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l no-builtin-rules -d 'Use only the rules given with --rules, not the built-in library'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l no-ignore -d 'Do not honour .gitignore, .ignore and git\'s exclude files'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l no-follow -d 'Do not follow symbolic links. By default a link is followed only to a regular file inside the scanned root and outside `.git`'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -l scan-binary -d 'Scan files that look binary (a NUL byte in the first 8 KiB) instead of skipping them. Archives and UTF-16 text are decoded and scanned either way'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -s q -l quiet -d 'Only the one summary line on standard error: no progress display, notes or warnings (errors are counted in that line and listed in the report). Example: `-q -f sarif -o keysprawl.sarif` in CI'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand scan" -s V -l version -d 'Print version'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and not __fish_seen_subcommand_from list check help" -s h -l help -d 'Print help'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and not __fish_seen_subcommand_from list check help" -s V -l version -d 'Print version'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and not __fish_seen_subcommand_from list check help" -f -a "list" -d 'List every rule: id, provider, severity, lifetime, keywords'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and not __fish_seen_subcommand_from list check help" -f -a "check" -d 'Run every rule\'s examples (must match) and negative examples (must not)'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and not __fish_seen_subcommand_from list check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and __fish_seen_subcommand_from list" -l rules -d 'Add rules from a TOML file or every *.toml under a directory (repeatable). Example: `--rules ./security/keysprawl-rules/`' -r -F
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and __fish_seen_subcommand_from list" -l disable-rule -d 'Disable a rule by id (repeatable). Example: `--disable-rule generic-password`' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and __fish_seen_subcommand_from list" -l only-rule -d 'Run only these rule ids (repeatable). Example: `--only-rule aws-access-key`' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and __fish_seen_subcommand_from list" -l format -d 'Output format. Example: `keysprawl rules list --format json | jq \'.[].id\'`' -r -f -a "text\t''
json\t''"
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and __fish_seen_subcommand_from list" -l no-builtin-rules -d 'Use only the rules given with --rules, not the built-in library'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and __fish_seen_subcommand_from check" -l rules -d 'Add rules from a TOML file or every *.toml under a directory (repeatable). Example: `--rules ./security/keysprawl-rules/`' -r -F
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and __fish_seen_subcommand_from check" -l disable-rule -d 'Disable a rule by id (repeatable). Example: `--disable-rule generic-password`' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and __fish_seen_subcommand_from check" -l only-rule -d 'Run only these rule ids (repeatable). Example: `--only-rule aws-access-key`' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and __fish_seen_subcommand_from check" -l no-builtin-rules -d 'Use only the rules given with --rules, not the built-in library'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and __fish_seen_subcommand_from check" -l json -d 'Print the result as JSON'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and __fish_seen_subcommand_from help" -f -a "list" -d 'List every rule: id, provider, severity, lifetime, keywords'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and __fish_seen_subcommand_from help" -f -a "check" -d 'Run every rule\'s examples (must match) and negative examples (must not)'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand rules; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand report-schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand report-schema" -s V -l version -d 'Print version'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand ignore" -l reason -d 'Why it is accepted (written after `#` on the entry\'s line)' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand ignore" -l path -d 'Only under this path glob (relative to the scanned directory). Example: `--path \'tests/fixtures/**\'`' -r
complete -c keysprawl -n "__fish_keysprawl_using_subcommand ignore" -l file -d 'The ignore file to add to' -r -F
complete -c keysprawl -n "__fish_keysprawl_using_subcommand ignore" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand ignore" -s V -l version -d 'Print version'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand config; and not __fish_seen_subcommand_from import-gitleaks help" -s h -l help -d 'Print help'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand config; and not __fish_seen_subcommand_from import-gitleaks help" -s V -l version -d 'Print version'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand config; and not __fish_seen_subcommand_from import-gitleaks help" -f -a "import-gitleaks" -d 'Convert a `.gitleaks.toml`\'s allowlists into a `.keysprawl.toml`'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand config; and not __fish_seen_subcommand_from import-gitleaks help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand config; and __fish_seen_subcommand_from import-gitleaks" -s o -l output -d 'Write here instead of standard output (refuses to overwrite)' -r -F
complete -c keysprawl -n "__fish_keysprawl_using_subcommand config; and __fish_seen_subcommand_from import-gitleaks" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand config; and __fish_seen_subcommand_from import-gitleaks" -s V -l version -d 'Print version'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "import-gitleaks" -d 'Convert a `.gitleaks.toml`\'s allowlists into a `.keysprawl.toml`'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand help; and not __fish_seen_subcommand_from scan rules report-schema ignore config completions help" -f -a "scan" -d 'Scan files, directories or standard input for credentials'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand help; and not __fish_seen_subcommand_from scan rules report-schema ignore config completions help" -f -a "rules" -d 'List the rules or check their examples'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand help; and not __fish_seen_subcommand_from scan rules report-schema ignore config completions help" -f -a "report-schema" -d 'Print the JSON Schema of the JSON report (`--format json`, version 1)'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand help; and not __fish_seen_subcommand_from scan rules report-schema ignore config completions help" -f -a "ignore" -d 'Accept a finding: add its fingerprint to `.keysprawlignore`'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand help; and not __fish_seen_subcommand_from scan rules report-schema ignore config completions help" -f -a "config" -d 'Configuration helpers'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand help; and not __fish_seen_subcommand_from scan rules report-schema ignore config completions help" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand help; and not __fish_seen_subcommand_from scan rules report-schema ignore config completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand help; and __fish_seen_subcommand_from rules" -f -a "list" -d 'List every rule: id, provider, severity, lifetime, keywords'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand help; and __fish_seen_subcommand_from rules" -f -a "check" -d 'Run every rule\'s examples (must match) and negative examples (must not)'
complete -c keysprawl -n "__fish_keysprawl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "import-gitleaks" -d 'Convert a `.gitleaks.toml`\'s allowlists into a `.keysprawl.toml`'
