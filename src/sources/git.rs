//! Git history source (issue #4): filled in by the history work.
