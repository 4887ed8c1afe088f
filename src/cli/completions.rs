//! Shell completion scripts, generated from the clap definitions.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// The shells we ship completion files for, and each file's name.
pub const SHIPPED: &[(Shell, &str)] = &[
    (Shell::Bash, "keysprawl.bash"),
    (Shell::Zsh, "_keysprawl"),
    (Shell::Fish, "keysprawl.fish"),
    (Shell::PowerShell, "_keysprawl.ps1"),
    (Shell::Elvish, "keysprawl.elv"),
];

pub fn print(shell: Shell, out: &mut dyn std::io::Write) {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "keysprawl", out);
}

/// The completion script for `shell` as a string.
pub fn render(shell: Shell) -> String {
    let mut buf = Vec::new();
    print(shell, &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}
