//! The shipped completion scripts in `completions/` match the CLI.
//! Regenerate with `UPDATE_COMPLETIONS=1 cargo test --test completions`.

use keysprawl::cli::completions::{SHIPPED, render};

#[test]
fn completions_are_up_to_date() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("UPDATE_COMPLETIONS").is_some();
    let mut stale = Vec::new();
    for (shell, file) in SHIPPED {
        let want = render(*shell);
        let path = dir.join(file);
        if update {
            std::fs::create_dir_all(&dir).expect("mkdir completions");
            std::fs::write(&path, &want).expect("write completion");
            continue;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        if have != want {
            stale.push(file.to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "completions out of date with the CLI: {stale:?}; run `UPDATE_COMPLETIONS=1 cargo test --test completions`"
    );
}

#[test]
fn every_flag_has_help_text() {
    use clap::CommandFactory;
    fn check(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            if arg.get_help().is_none() && !matches!(arg.get_id().as_str(), "help" | "version") {
                missing.push(format!("{path} --{}", arg.get_id()));
            }
        }
        for sub in cmd.get_subcommands() {
            check(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = Vec::new();
    check(&keysprawl::cli::Cli::command(), "keysprawl", &mut missing);
    assert!(missing.is_empty(), "flags without help: {missing:?}");
}
