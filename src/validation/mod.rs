//! Live validation (opt-in): is this secret still working, whose is it, and
//! what can it do? Each unique secret is checked once per run, at one
//! provider only (when several rules claim the same bytes, the rule with the
//! strongest evidence), only at the host its rule declares, over HTTPS, with
//! bounded concurrency, per-host limits, timeouts, a deadline for the whole
//! phase, and retries that honour `Retry-After`. A `live` verdict needs an
//! answer only a working credential produces.
//!
//! Which validator runs is the recipe's typed `kind`
//! ([`crate::rules::ValidationKind`], one arm each in `validator`): `http`
//! builds and reads what the rule's recipe declares (`http.rs`), and each
//! coded validator (`aws.rs`, `gcp.rs`, `azure.rs`) owns its request and its
//! verdict behind the `Check` trait. This file is the engine: one check per secret,
//! limits, retries, routing and scrubbing.
//!
//! The provider's answer is hostile input: at most [`MAX_BODY`] of it is
//! read (a longer answer is never `live`), redirects are not followed, and
//! every string a verdict carries (detail, identity, permissions) passes
//! [`scrub::Scrubber`] at the check's single exit, which removes any piece of
//! the secret and every control character.
//!
//! Proxies: checks honour the standard `HTTPS_PROXY`, `HTTP_PROXY`,
//! `ALL_PROXY` and `NO_PROXY` environment variables (reqwest's default). A
//! check to an `https://` provider goes through the proxy as a CONNECT
//! tunnel, so the proxy sees the provider's host name but not the secret; a
//! `--validation-endpoint` with an `http://` URL is sent in the clear, and
//! an HTTP proxy then sees the whole request, secret included. Unset the
//! proxy variables (or list the hosts in `NO_PROXY`) to keep checks off a
//! proxy. Errors name only what failed ("connection failed", "timed out"),
//! never the URL or the proxy's answer, so neither leaks the secret.

pub mod aws;
pub mod azure;
pub mod gcp;
pub mod http;
pub mod scrub;

use std::cmp::Reverse;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::findings::{Finding, Validation, ValidationStatus};
use crate::rules::{Rule, ValidationKind, ValidationRecipe};
use http::{Answer, Captures};

/// How validation runs.
#[derive(Debug, Clone)]
pub struct ValidateOptions {
    /// Checks in flight at once (clamped to `1..=MAX_CONCURRENCY`).
    pub concurrency: usize,
    /// Checks in flight at once per host (clamped to `1..=MAX_CONCURRENCY`).
    pub per_host: usize,
    /// Per request, connecting and reading included (clamped to `1 s..=1 h`).
    pub timeout: Duration,
    /// The whole validation phase; checks still running then end as `error`
    /// "validation deadline reached" (clamped to at most a week).
    pub deadline: Duration,
    /// Most bytes of an answer read; a longer answer is never `live`.
    pub max_body: usize,
    /// `host` → base URL (`http://127.0.0.1:8080`) for tests, mirrors and proxies.
    pub endpoints: HashMap<String, String>,
    /// Attempts on 429/5xx before giving up.
    pub attempts: u32,
    /// Longest `Retry-After` honoured; longer waits end as `error`.
    pub max_retry_after: Duration,
    pub progress: bool,
}

/// Upper bound for `concurrency` and `per_host` (far below what
/// `Semaphore::new` accepts).
pub const MAX_CONCURRENCY: usize = 1024;
/// Default and most bytes of a provider's answer that are read.
pub const MAX_BODY: usize = 1 << 20;

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            concurrency: 16,
            per_host: 16,
            timeout: Duration::from_secs(10),
            deadline: Duration::from_secs(120),
            max_body: MAX_BODY,
            endpoints: HashMap::new(),
            attempts: 3,
            max_retry_after: Duration::from_secs(30),
            progress: false,
        }
    }
}

impl ValidateOptions {
    /// The same options with every number in a range that cannot panic or
    /// hang (0 becomes 1, huge becomes the maximum).
    fn clamped(&self) -> ValidateOptions {
        ValidateOptions {
            concurrency: self.concurrency.clamp(1, MAX_CONCURRENCY),
            per_host: self.per_host.clamp(1, MAX_CONCURRENCY),
            timeout: self
                .timeout
                .clamp(Duration::from_secs(1), Duration::from_secs(3600)),
            deadline: self.deadline.min(Duration::from_secs(7 * 24 * 3600)),
            max_body: self.max_body.clamp(1024, MAX_BODY * 64),
            attempts: self.attempts.clamp(1, 10),
            max_retry_after: self.max_retry_after.min(Duration::from_secs(3600)),
            ..self.clone()
        }
    }
}

/// A verdict with only a status and a detail.
pub(crate) fn verdict(status: ValidationStatus, detail: impl Into<String>) -> Validation {
    Validation {
        status,
        detail: detail.into(),
        ..Validation::default()
    }
}

/// One validator: how it builds its request from a match's values, and how
/// it reads the provider's answer. The engine sends the request (limits,
/// retries, routing, the body cap) and scrubs the verdict.
///
/// Adding a coded validator: a file `validation/<kind>.rs` with a type that
/// implements this, a [`ValidationKind`] variant, and its arm in
/// [`validator`].
pub(crate) trait Check: Sync {
    /// The request to send, or the verdict when none can be built (a part
    /// is missing, the host is not the declared one).
    fn prepare(&self, recipe: &ValidationRecipe, caps: &Captures) -> Result<Prepared, Validation>;
    /// What the answer says of the credential.
    fn judge(&self, recipe: &ValidationRecipe, answer: &Answer, caps: &Captures) -> Validation;
}

/// The validator of `kind`, or the verdict for a kind that is never checked.
fn validator(kind: ValidationKind) -> Result<&'static dyn Check, Validation> {
    match kind {
        ValidationKind::Http => Ok(&http::Http),
        ValidationKind::Aws => Ok(&aws::CallerIdentity),
        ValidationKind::GcpServiceAccount => Ok(&gcp::TokenExchange),
        ValidationKind::AzureStorage => Ok(&azure::ListContainers),
        ValidationKind::Unknown => Err(verdict(
            ValidationStatus::Unknown,
            "not checked: a connection attempt to a database is out of scope",
        )),
        #[cfg(test)]
        ValidationKind::TestPanic => Ok(&tests::Panics),
    }
}

/// One check to run: a recipe, the values it is filled with, and the rule
/// (which says which of those values may appear in a verdict).
struct Job {
    recipe: ValidationRecipe,
    caps: Captures,
    rule: Arc<Rule>,
}

/// How strongly a finding's rule claims its secret, strongest greatest:
/// priority; a specific rule over a generic one; a rule whose keyword is in
/// the secret itself (a literal prefix or marker) over one that matched by
/// context; a checksum-verified rule; a recipe with a fixed host over one
/// whose host comes from the scanned text; then the smaller rule id.
fn evidence<'a>(secret: &str, spec: &'a crate::rules::RuleSpec) -> impl Ord + use<'a> {
    let raw = secret.to_ascii_lowercase();
    let self_named = spec
        .keywords
        .iter()
        .any(|k| !k.is_empty() && raw.contains(&k.to_ascii_lowercase()));
    let fixed_host = spec
        .validation
        .as_ref()
        .and_then(|r| http::host_of(&r.url))
        .is_some_and(|h| !h.contains('{'));
    (
        spec.priority,
        !spec.generic,
        self_named,
        spec.checksum.is_some(),
        fixed_host,
        Reverse(spec.id.as_str()),
    )
}

/// What happens to one finding.
enum Plan {
    NoValidator,
    Job(usize),
    /// Another finding's rule checks these secret bytes (its index).
    CheckedAs(usize),
}

/// Check every finding whose rule has a recipe; the others become `unknown`
/// ("no validator"). One secret goes to one provider only: when findings of
/// several rules with recipes share the secret bytes, only the finding with
/// the strongest evidence (see `evidence`) is checked, and the others are `unknown`
/// "not checked: this secret is checked as `rule`'s" (its verdict is not
/// copied: live at one provider says nothing about another).
pub fn validate(findings: &mut [Finding], opts: &ValidateOptions) {
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        let spec = &f.rule_spec.spec;
        if spec.validation.is_none() {
            continue;
        }
        let best = owner.entry(f.fingerprint.as_str()).or_insert(i);
        let current = &findings[*best].rule_spec.spec;
        if evidence(&f.raw, spec) > evidence(&findings[*best].raw, current) {
            *best = i;
        }
    }
    let mut jobs: Vec<Job> = Vec::new();
    let mut plans: Vec<Plan> = Vec::with_capacity(findings.len());
    let mut by_key: HashMap<(String, String), usize> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        let spec = &f.rule_spec.spec;
        let Some(recipe) = spec.validation.clone() else {
            plans.push(Plan::NoValidator);
            continue;
        };
        match owner.get(f.fingerprint.as_str()) {
            Some(&o) if o != i => {
                plans.push(Plan::CheckedAs(o));
                continue;
            }
            _ => {}
        }
        let key = (
            format!("{}|{}|{}", recipe.kind, recipe.method, recipe.url),
            f.fingerprint.clone(),
        );
        let idx = *by_key.entry(key).or_insert_with(|| {
            let mut caps: Captures = f.raw_parts.iter().cloned().collect();
            caps.insert("secret".into(), f.raw.to_string());
            jobs.push(Job {
                recipe,
                caps,
                rule: f.rule_spec.clone(),
            });
            jobs.len() - 1
        });
        plans.push(Plan::Job(idx));
    }
    let checked_as: Vec<String> = plans
        .iter()
        .map(|p| match p {
            Plan::CheckedAs(o) => findings[*o].rule_spec.spec.id.clone(),
            _ => String::new(),
        })
        .collect();
    let results = run_jobs(jobs, opts);
    for ((f, plan), other) in findings.iter_mut().zip(plans).zip(checked_as) {
        f.validation = match plan {
            Plan::Job(i) => results
                .get(i)
                .cloned()
                .unwrap_or_else(|| verdict(ValidationStatus::Error, "check did not finish")),
            Plan::CheckedAs(_) => verdict(
                ValidationStatus::Unknown,
                format!(
                    "not checked: this secret is checked as {}'s",
                    scrub::strip_controls(&other)
                ),
            ),
            Plan::NoValidator => verdict(ValidationStatus::Unknown, "no validator for this rule"),
        };
    }
}

fn run_jobs(jobs: Vec<Job>, opts: &ValidateOptions) -> Vec<Validation> {
    if jobs.is_empty() {
        return Vec::new();
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let opts = opts.clamped();
    let n = jobs.len();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            return jobs
                .iter()
                .map(|_| verdict(ValidationStatus::Error, format!("cannot start: {e}")))
                .collect();
        }
    };
    let client = match reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(opts.timeout)
        .connect_timeout(opts.timeout)
        // Bound what a hostile answer's headers may take (the body is
        // bounded by `read_capped`; no decompression is compiled in).
        .http1_max_headers(MAX_HEADERS)
        .http2_max_header_list_size(64 * 1024)
        .user_agent(concat!("keysprawl/", env!("CARGO_PKG_VERSION")))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            let msg = format!("cannot build HTTP client: {e}");
            return jobs
                .iter()
                .map(|_| verdict(ValidationStatus::Error, msg.clone()))
                .collect();
        }
    };
    let bar = opts.progress.then(|| {
        let b = indicatif::ProgressBar::new(n as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("validating {bar:30} {pos}/{len} {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let engine = Arc::new(Engine {
        client,
        global: Semaphore::new(opts.concurrency),
        hosts: std::sync::Mutex::new(HashMap::new()),
        opts: opts.clone(),
    });
    // A panic in a check becomes that check's `error`; its message (which may
    // quote the values being handled, e.g. a string slice) is not printed.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "keysprawl: internal error in a validation check{at} (the check ends as `error`)"
        );
    }));
    let mut ordered: Vec<Option<Validation>> = vec![None; n];
    let deadline_hit = runtime.block_on(async {
        let deadline = tokio::time::Instant::now().checked_add(opts.deadline);
        let mut set = tokio::task::JoinSet::new();
        let mut index_of = HashMap::new();
        for (i, job) in jobs.into_iter().enumerate() {
            let engine = engine.clone();
            let bar = bar.clone();
            let handle = set.spawn(async move {
                let v = engine.check(&job).await;
                if let Some(b) = &bar {
                    b.inc(1);
                }
                (i, v)
            });
            index_of.insert(handle.id(), i);
        }
        loop {
            let next = match deadline {
                Some(d) => match tokio::time::timeout_at(d, set.join_next_with_id()).await {
                    Ok(next) => next,
                    Err(_) => {
                        set.abort_all();
                        return true;
                    }
                },
                None => set.join_next_with_id().await,
            };
            match next {
                None => return false,
                Some(Ok((_, (i, v)))) => ordered[i] = Some(v),
                Some(Err(e)) => {
                    if let Some(&i) = index_of.get(&e.id()) {
                        ordered[i] = Some(verdict(
                            ValidationStatus::Error,
                            "the check failed inside keysprawl (an internal error); nothing was concluded",
                        ));
                    }
                }
            }
        }
    });
    std::panic::set_hook(previous_hook);
    runtime.shutdown_background();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let missing = if deadline_hit {
        "validation deadline reached"
    } else {
        "check did not finish"
    };
    ordered
        .into_iter()
        .map(|v| v.unwrap_or_else(|| verdict(ValidationStatus::Error, missing)))
        .collect()
}

struct Engine {
    client: reqwest::Client,
    global: Semaphore,
    hosts: std::sync::Mutex<HashMap<String, Arc<Semaphore>>>,
    opts: ValidateOptions,
}

/// A request ready to send.
pub(crate) struct Prepared {
    pub method: reqwest::Method,
    pub url: String,
    /// The host the rule declares (the per-host limit's key).
    pub host: String,
    pub headers: Vec<(String, String)>,
    pub basic: Option<(String, String)>,
    pub body: Option<String>,
}

impl Engine {
    fn host_limit(&self, host: &str) -> Arc<Semaphore> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(host.to_string())
            .or_insert_with(|| Arc::new(Semaphore::new(self.opts.per_host)))
            .clone()
    }

    /// Point `url` at an override endpoint when one is configured for its host.
    fn route(&self, url: &str, host: &str) -> String {
        match self.opts.endpoints.get(host) {
            Some(base) => {
                let rest = url
                    .strip_prefix("https://")
                    .and_then(|r| r.find('/').map(|i| &r[i..]))
                    .unwrap_or("/");
                format!("{}{rest}", base.trim_end_matches('/'))
            }
            None => url.to_string(),
        }
    }

    /// The single exit of a check: whatever it concluded, the verdict's
    /// strings are scrubbed of the values the check used.
    async fn check(&self, job: &Job) -> Validation {
        let v = self.check_unscrubbed(job).await;
        scrubber(job).verdict(v)
    }

    async fn check_unscrubbed(&self, job: &Job) -> Validation {
        let check = match validator(job.recipe.kind) {
            Ok(check) => check,
            Err(v) => return v,
        };
        let prepared = match check.prepare(&job.recipe, &job.caps) {
            Ok(p) => p,
            Err(v) => return v,
        };
        match self.exchange(&prepared).await {
            Ok(answer) => check.judge(&job.recipe, &answer, &job.caps),
            Err(v) => v,
        }
    }

    /// Send with limits and retries; `Err` is the final error verdict.
    async fn exchange(&self, p: &Prepared) -> Result<Answer, Validation> {
        let host_limit = self.host_limit(&p.host);
        let url = self.route(&p.url, &p.host);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let answer = {
                let _g = self.global.acquire().await;
                let _h = host_limit.acquire().await;
                let mut req = self.client.request(p.method.clone(), &url);
                for (k, v) in &p.headers {
                    req = req.header(k, v);
                }
                if let Some((u, pw)) = &p.basic {
                    req = req.basic_auth(u, Some(pw));
                }
                if let Some(b) = &p.body {
                    req = req.body(b.clone());
                }
                match req.send().await {
                    Err(e) => Err(transport_error(&e)),
                    Ok(resp) => {
                        let status = resp.status().as_u16();
                        // Only the first headers, each cut short: a huge
                        // header is not copied around.
                        let headers: Vec<(String, String)> = resp
                            .headers()
                            .iter()
                            .take(MAX_HEADERS)
                            .map(|(k, v)| {
                                let b = v.as_bytes();
                                (
                                    k.as_str().to_string(),
                                    String::from_utf8_lossy(&b[..b.len().min(MAX_HEADER_VALUE)])
                                        .into_owned(),
                                )
                            })
                            .collect();
                        let content_type = resp
                            .headers()
                            .get(reqwest::header::CONTENT_TYPE)
                            .map(|v| String::from_utf8_lossy(v.as_bytes()).to_ascii_lowercase())
                            .unwrap_or_default();
                        match read_capped(resp, self.opts.max_body).await {
                            Ok(Some(body)) => Ok(Answer {
                                status,
                                headers,
                                content_type,
                                body,
                            }),
                            Ok(None) => Err(verdict(
                                ValidationStatus::Unknown,
                                format!(
                                    "HTTP {status}: the answer is larger than {} KiB; stopped reading, not classified",
                                    self.opts.max_body / 1024
                                ),
                            )),
                            Err(e) => Err(transport_error(&e)),
                        }
                    }
                }
            };
            let answer = answer?;
            let retryable = answer.status == 429 || (500..600).contains(&answer.status);
            if !retryable {
                return Ok(answer);
            }
            let wait = retry_after(&answer).unwrap_or(Duration::from_millis(250 << attempt.min(6)));
            if attempt >= self.opts.attempts || wait > self.opts.max_retry_after {
                let what = if answer.status == 429 {
                    "rate limited"
                } else {
                    "server error"
                };
                return Err(verdict(
                    ValidationStatus::Error,
                    format!("HTTP {}: {what} after {attempt} attempts", answer.status),
                ));
            }
            tokio::time::sleep(wait).await;
        }
    }
}

const MAX_HEADERS: usize = 100;
const MAX_HEADER_VALUE: usize = 4096;

/// The body, read in chunks; `None` once it would pass `cap` bytes (the rest
/// is never read: dropping the response closes the connection).
async fn read_capped(
    mut resp: reqwest::Response,
    cap: usize,
) -> Result<Option<Vec<u8>>, reqwest::Error> {
    if resp.content_length().is_some_and(|n| n > cap as u64) {
        return Ok(None);
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        if body.len() + chunk.len() > cap {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

/// What must not leave this check: the secret, every part its rule does not
/// show (an account name or an e-mail it does), and the basic-auth pair as
/// sent.
fn scrubber(job: &Job) -> scrub::Scrubber {
    let values = job
        .caps
        .iter()
        .filter(|(k, _)| k.as_str() == "secret" || !crate::findings::part_is_shown(&job.rule, k))
        .map(|(_, v)| v.as_str());
    let s = scrub::Scrubber::new(values);
    match &job.recipe.basic_auth {
        Some((u, p)) => s.with_basic_auth(&http::fill(u, &job.caps), &http::fill(p, &job.caps)),
        None => s,
    }
}

fn retry_after(a: &Answer) -> Option<Duration> {
    let v = a
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("retry-after"))?
        .1
        .trim()
        .to_string();
    v.parse::<u64>().ok().map(Duration::from_secs)
}

/// Describe a transport failure without the URL (it may hold the secret).
fn transport_error(e: &reqwest::Error) -> Validation {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_redirect() {
        "redirect not followed"
    } else if e.is_body() || e.is_decode() {
        "could not read the answer"
    } else {
        "request failed"
    };
    verdict(ValidationStatus::Error, what)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A validator with a bug: it panics with the secret in its message.
    pub(super) struct Panics;

    impl Check for Panics {
        fn prepare(&self, _: &ValidationRecipe, caps: &Captures) -> Result<Prepared, Validation> {
            panic!("a validator bug handling {:?}", caps.get("secret"))
        }

        fn judge(&self, _: &ValidationRecipe, _: &Answer, _: &Captures) -> Validation {
            verdict(ValidationStatus::Unknown, "unreachable")
        }
    }

    fn job(kind: ValidationKind, secret: &str) -> Job {
        Job {
            recipe: ValidationRecipe {
                kind,
                ..ValidationRecipe::default()
            },
            caps: HashMap::from([("secret".to_string(), secret.to_string())]),
            rule: Rule::detached(),
        }
    }

    #[test]
    fn a_panicking_check_is_an_error_and_the_others_still_report() {
        // The panicking job last: its slot must still exist.
        let jobs = vec![
            job(ValidationKind::Unknown, "pw-one-1234567"),
            job(ValidationKind::TestPanic, "pw-two-1234567"),
        ];
        let out = run_jobs(jobs, &ValidateOptions::default());
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].status, ValidationStatus::Unknown);
        assert_eq!(out[1].status, ValidationStatus::Error);
        assert!(
            out[1].detail.contains("internal error"),
            "{}",
            out[1].detail
        );
        assert!(!out[1].detail.contains("pw-two"));
    }

    #[test]
    fn zero_and_huge_limits_neither_panic_nor_hang() {
        for n in [0, 1, usize::MAX] {
            let opts = ValidateOptions {
                concurrency: n,
                per_host: n,
                timeout: Duration::from_secs(u64::MAX),
                deadline: Duration::from_secs(u64::MAX),
                attempts: 0,
                max_body: usize::MAX,
                ..ValidateOptions::default()
            };
            let out = run_jobs(vec![job(ValidationKind::Unknown, "pw-1234567")], &opts);
            assert_eq!(out[0].status, ValidationStatus::Unknown);
        }
    }
}

#[cfg(test)]
mod pairs {
    use super::*;
    use crate::matcher::{ContentHints, Matcher};
    use crate::rules::RuleSet;
    use crate::scan::{ScanScratch, Scanner};

    /// Every built-in secret that two rules with recipes claim (found by
    /// putting each rule's examples next to each other rule's keywords).
    pub fn claimed_twice() -> Vec<(String, String, String, bool)> {
        let set = RuleSet::embedded().expect("rules");
        let matcher = Matcher::new(&set).expect("matcher");
        let scanner = Scanner::new(matcher, 1 << 20);
        let m = scanner.matcher();
        let validating: Vec<usize> = (0..m.rule_count())
            .filter(|&i| m.rule(i).spec.validation.is_some())
            .collect();
        let mut scratch = ScanScratch::default();
        let mut out = Vec::new();
        let mut seen = std::collections::BTreeMap::new();
        for &a in &validating {
            for e in &m.rule(a).spec.examples {
                for &b in &validating {
                    if a == b {
                        continue;
                    }
                    for k in m.rule(b).spec.keywords.iter().take(1) {
                        for text in [format!("{k}\n{e}\n")] {
                            out.clear();
                            scanner.scan_slice(
                                text.as_bytes(),
                                ContentHints::default(),
                                &mut scratch,
                                &mut out,
                            );
                            for x in &out {
                                for y in &out {
                                    let (rx, ry) = (&m.rule(x.rule).spec, &m.rule(y.rule).spec);
                                    if x.rule < y.rule
                                        && x.secret == y.secret
                                        && rx.validation.is_some()
                                        && ry.validation.is_some()
                                    {
                                        let fx = String::from_utf8_lossy(&x.secret).into_owned();
                                        let fy = fx.clone();
                                        let (ex, ey) = (evidence(&fx, rx), evidence(&fy, ry));
                                        let winner = if ex > ey { &rx.id } else { &ry.id };
                                        // Decided by the id alone?
                                        let tie = {
                                            let mut a = rx.clone();
                                            a.id = String::new();
                                            let mut b = ry.clone();
                                            b.id = String::new();
                                            evidence(&fx, &a) == evidence(&fy, &b)
                                        };
                                        seen.insert(
                                            (rx.id.clone(), ry.id.clone()),
                                            (winner.clone(), tie),
                                        );
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        seen.into_iter()
            .map(|((a, b), (w, t))| (a, b, w, t))
            .collect()
    }

    /// The built-in pairs, and which rule's provider gets the secret. A new
    /// pair fails this test so that someone decides where its secret goes.
    #[test]
    fn built_in_secrets_claimed_twice_go_to_one_provider() {
        let found = claimed_twice();
        // The scanner now leaves one finding per secret bytes (see
        // `Scanner::resolve_overlaps`: priority, confidence, width, then the
        // nearer keyword), so no built-in pair reaches validation twice from
        // one place. It went to the example's own rule in each former pair
        // (assemblyai over azure-openai, algolia over azure-openai, datadog
        // over azure-openai, openai-legacy over stability), as `evidence`
        // decided. A secret claimed twice from different places still goes
        // to one provider by `evidence`.
        let expected: [(&str, &str, &str, bool); 0] = [];
        let found: Vec<(&str, &str, &str, bool)> = found
            .iter()
            .map(|(a, b, w, t)| (a.as_str(), b.as_str(), w.as_str(), *t))
            .collect();
        assert_eq!(found, expected);
    }
}
