//! Live validation (issue #5). Findings carry `not_checked` until it runs.
