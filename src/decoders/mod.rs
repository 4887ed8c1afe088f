//! The decoder stage, between sources and matcher.

pub mod archive;
pub mod utf16;
