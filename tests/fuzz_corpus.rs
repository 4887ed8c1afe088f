//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) and the
//! crash regressions (`fuzz/regressions/<target>/`) through the very code
//! the cargo-fuzz targets run (`fuzz/src/lib.rs`, included below), on
//! stable, so `cargo test` keeps what the fuzzers learnt: no input panics,
//! and none takes long.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod harness;

/// A generous bound for one input in a debug build (the fuzzers ran with a
/// 10 s timeout on optimised builds).
const PER_INPUT: Duration = Duration::from_secs(10);

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect(),
        Err(_) => Vec::new(),
    };
    out.sort();
    out
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Run `target` over every file in `dir`; the failures (panic or too slow),
/// each with the file that caused it.
fn replay(target: &str, files: &[PathBuf]) -> Vec<String> {
    let mut failures = Vec::new();
    for file in files {
        let data = std::fs::read(file).expect("corpus file is readable");
        let started = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| harness::run(target, &data)));
        let took = started.elapsed();
        match outcome {
            Ok(true) if took <= PER_INPUT => {}
            Ok(true) => failures.push(format!("{}: took {took:?}", file.display())),
            Ok(false) => failures.push(format!("no fuzz target named {target}")),
            Err(_) => failures.push(format!("{}: panicked", file.display())),
        }
    }
    failures
}

fn replay_corpus(target: &str) {
    let files = files_under(&root().join("corpus").join(target));
    assert!(
        !files.is_empty(),
        "fuzz/corpus/{target}/ is empty or missing"
    );
    let failures = replay(target, &files);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn corpus_matcher() {
    replay_corpus("matcher");
}

#[test]
fn corpus_rules_loader() {
    replay_corpus("rules_loader");
}

#[test]
fn corpus_config_loader() {
    replay_corpus("config_loader");
}

#[test]
fn corpus_baseline_loader() {
    replay_corpus("baseline_loader");
}

#[test]
fn corpus_jwt_pem_base64() {
    replay_corpus("jwt_pem_base64");
}

#[test]
fn corpus_ci_yaml() {
    replay_corpus("ci_yaml");
}

#[test]
fn corpus_git_objects() {
    replay_corpus("git_objects");
}

#[test]
fn corpus_archive() {
    replay_corpus("archive");
}

#[test]
fn corpus_decoders() {
    replay_corpus("decoders");
}

#[test]
fn every_target_has_a_corpus_and_a_test() {
    for (name, _) in harness::TARGETS {
        assert!(
            root().join("corpus").join(name).is_dir(),
            "no fuzz/corpus/{name}/"
        );
        assert!(
            root()
                .join("fuzz_targets")
                .join(format!("{name}.rs"))
                .is_file(),
            "no fuzz/fuzz_targets/{name}.rs"
        );
    }
}

/// Inputs that crashed a target once, through the target as it runs now.
#[test]
fn regressions_through_their_targets() {
    for (name, _) in harness::TARGETS {
        let files = files_under(&root().join("regressions").join(name));
        let failures = replay(name, &files);
        assert!(failures.is_empty(), "{failures:#?}");
    }
}

/// Found by the `jwt_pem_base64` target's seed: a token with
/// `"exp": i64::MAX, "iat": i64::MIN` overflows `exp - iat` in
/// `analysis::lifetime` (src/analysis/mod.rs), a panic in debug builds and
/// a wrong "ephemeral" in release; fixed with a checked subtraction.
#[test]
fn regression_jwt_lifetime_overflow() {
    let files = files_under(&root().join("regressions/jwt_pem_base64"));
    assert!(!files.is_empty());
    for file in files {
        let data = std::fs::read(&file).expect("readable");
        harness::jwt_lifetime_unfiltered(&data);
    }
}
