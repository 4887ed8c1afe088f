//! The rule files under `rules/`, embedded by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
