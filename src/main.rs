//! The `keysprawl` binary: parse arguments, run, map errors to exit code 2.

use clap::Parser;

fn main() {
    let cli = keysprawl::cli::Cli::parse();
    let code = match keysprawl::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("keysprawl: error: {e}");
            2
        }
    };
    std::process::exit(code);
}
