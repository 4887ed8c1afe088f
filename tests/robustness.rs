//! No input makes any stage panic: pseudo-random bytes and mangled
//! near-formats through the matcher, the JWT decoder, the CI parser and the
//! Kubernetes decoder (a cheap stand-in for the fuzz targets).

use keysprawl::analysis::{ci, jwt};
use keysprawl::matcher::{ContentHints, Matcher, Scratch};
use keysprawl::rules::RuleSet;
use keysprawl::scan::{ScanScratch, Scanner};
use keysprawl::sources::{CiDocument, CiSystem};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn bytes(&mut self, n: usize, alphabet: &[u8]) -> Vec<u8> {
        (0..n)
            .map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize])
            .collect()
    }
}

const FRAGMENTS: &[&str] = &[
    "ghp_",
    "AKIA",
    "eyJ",
    "-----BEGIN PRIVATE KEY-----",
    "-----END PRIVATE KEY-----",
    "password = \"",
    "postgres://",
    "kind: Secret\ndata:\n  k: ",
    "xoxb-",
    "sk_live_",
    "\\n",
    "\"",
    "'",
    "${{",
    "}}",
    "\n",
    "\r\n",
    "\0",
    "\u{feff}",
    "jobs:\n  a:\n    steps:\n      - uses: ",
    "on: pull_request_target\n",
    "  env:\n    AWS_ACCESS_KEY_ID: ",
];

fn mangled(rng: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..(rng.next() % 40) {
        match rng.next() % 3 {
            0 => out.extend_from_slice(
                FRAGMENTS[(rng.next() % FRAGMENTS.len() as u64) as usize].as_bytes(),
            ),
            1 => {
                let n = (rng.next() % 120) as usize;
                out.extend(rng.bytes(n, b"ABCDEFabcdef0123456789+/=_-.:@ \t\n"));
            }
            _ => {
                let n = (rng.next() % 20) as usize;
                out.extend((0..n).map(|_| (rng.next() & 0xff) as u8));
            }
        }
    }
    out
}

#[test]
fn no_stage_panics_on_any_input() {
    let set = RuleSet::embedded().expect("rules");
    let matcher = Matcher::new(&set).expect("matcher");
    matcher.compile_all().expect("compile");
    let scanner = Scanner::new(Matcher::new(&set).expect("matcher"), 1 << 20);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut scratch = Scratch::default();
    let mut scan_scratch = ScanScratch::default();
    for i in 0..3000 {
        let data = mangled(&mut rng);
        let mut out = Vec::new();
        matcher.find(&data, ContentHints::default(), &mut scratch, &mut out);
        let mut hits = Vec::new();
        scanner.scan_slice(
            &data,
            ContentHints::for_path("Cargo.lock"),
            &mut scan_scratch,
            &mut hits,
        );
        let _ = scanner.scan_reader(
            &data[..],
            ContentHints::default(),
            &mut scan_scratch,
            &mut hits,
        );
        let _ = jwt::decode(&data);
        let _ = keysprawl::matcher::canonical_secret(&data);
        let text = String::from_utf8_lossy(&data).into_owned();
        let system = [
            CiSystem::GithubActions,
            CiSystem::Gitlab,
            CiSystem::Circleci,
            CiSystem::Jenkins,
            CiSystem::Travis,
        ][i % 5];
        let doc = CiDocument {
            repo: None,
            path: ".github/workflows/x.yml".into(),
            system,
            text,
        };
        let _ = ci::audit(std::slice::from_ref(&doc));
        let _ = ci::place_of(&doc, rng.next() % 50);
    }
}
