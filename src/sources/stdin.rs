//! Standard input as one piece of content, read in chunks.

use std::sync::atomic::Ordering;

use crate::matcher::ContentHints;
use crate::scan::{ScanScratch, Scanner, Sink};
use crate::sources::{Origin, Site};

pub fn scan_stdin(scanner: &Scanner, sink: &dyn Sink) {
    let mut scratch = ScanScratch::default();
    let mut hits = Vec::new();
    let stdin = std::io::stdin();
    let read = crate::scan::catch(|| {
        scanner.scan_reader(
            stdin.lock(),
            ContentHints::default(),
            &mut scratch,
            &mut hits,
        )
    });
    let read = match read {
        Ok(r) => r,
        Err(why) => {
            sink.error(
                "-",
                format!("internal error while scanning standard input ({why})"),
            );
            return;
        }
    };
    match read {
        Ok(bytes) => {
            sink.counters()
                .files_scanned
                .fetch_add(1, Ordering::Relaxed);
            sink.counters()
                .bytes_scanned
                .fetch_add(bytes, Ordering::Relaxed);
            sink.deliver(Site::single(Origin::Stdin), &mut hits);
        }
        Err(e) => sink.error("-", format!("cannot read standard input: {e}")),
    }
}

/// Standard input (`-`) as a [`crate::sources::Source`].
pub struct Stdin;

impl crate::sources::Source for Stdin {
    fn describe(&self) -> String {
        "-".into()
    }

    fn scan(&self, scanner: &Scanner, sink: &dyn Sink) -> Result<(), crate::error::Error> {
        scan_stdin(scanner, sink);
        Ok(())
    }
}
