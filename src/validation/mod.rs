//! Live validation (opt-in): is this secret still working, whose is it, and
//! what can it do? Each unique secret is checked once per run, only at the
//! host its rule declares, over HTTPS, with bounded concurrency, per-host
//! limits, timeouts and retries that honour `Retry-After`. A `live` verdict
//! needs an answer only a working credential produces.

pub mod aws;
pub mod azure;
pub mod gcp;
pub mod http;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::findings::{Finding, Validation, ValidationStatus};
use crate::matcher::Matcher;
use crate::rules::ValidationRecipe;
use http::{Answer, Captures};

/// How validation runs.
#[derive(Debug, Clone)]
pub struct ValidateOptions {
    pub concurrency: usize,
    pub per_host: usize,
    pub timeout: Duration,
    /// `host` → base URL (`http://127.0.0.1:8080`) for tests, mirrors and proxies.
    pub endpoints: HashMap<String, String>,
    /// Attempts on 429/5xx before giving up.
    pub attempts: u32,
    /// Longest `Retry-After` honoured; longer waits end as `error`.
    pub max_retry_after: Duration,
    pub progress: bool,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            concurrency: 16,
            per_host: 16,
            timeout: Duration::from_secs(10),
            endpoints: HashMap::new(),
            attempts: 3,
            max_retry_after: Duration::from_secs(30),
            progress: false,
        }
    }
}

/// Scopes and identities that mean "can do (almost) everything".
pub fn broad(permissions: &[String], identity: Option<&str>) -> bool {
    const BROAD: &[&str] = &[
        "*",
        "admin",
        "admin:org",
        "admin:enterprise",
        "admin:repo_hook",
        "delete_repo",
        "repo",
        "write:org",
        "api",
        "sudo",
        "owner",
        "root",
        "full_access",
        "all",
        "site_admin",
        "admin_all",
        "manage_all",
    ];
    permissions.iter().any(|p| {
        let p = p.to_ascii_lowercase();
        BROAD.contains(&p.as_str()) || p.ends_with(":admin") || p.starts_with("admin")
    }) || identity.is_some_and(|i| i.contains(":root"))
}

fn verdict(status: ValidationStatus, detail: impl Into<String>) -> Validation {
    Validation {
        status,
        detail: detail.into(),
        ..Validation::default()
    }
}

/// One check to run: a recipe and the values it is filled with.
struct Job {
    recipe: ValidationRecipe,
    caps: Captures,
}

/// Check every finding whose rule has a recipe; the others become `unknown`
/// ("no validator"). Findings sharing a secret and recipe share one check.
pub fn validate(findings: &mut [Finding], matcher: &Matcher, opts: &ValidateOptions) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut jobs: Vec<Job> = Vec::new();
    let mut job_of: Vec<Option<usize>> = Vec::with_capacity(findings.len());
    let mut by_key: HashMap<(String, String), usize> = HashMap::new();
    for f in findings.iter() {
        let spec = &matcher.rule(f.rule_index).spec;
        let Some(recipe) = spec.validation.clone() else {
            job_of.push(None);
            continue;
        };
        let key = (
            format!("{}|{}|{}", recipe.kind, recipe.method, recipe.url),
            f.fingerprint.clone(),
        );
        let idx = *by_key.entry(key).or_insert_with(|| {
            let mut caps: Captures = f.raw_parts.iter().cloned().collect();
            caps.insert("secret".into(), f.raw.to_string());
            jobs.push(Job { recipe, caps });
            jobs.len() - 1
        });
        job_of.push(Some(idx));
    }
    let results = run_jobs(jobs, opts);
    for (f, j) in findings.iter_mut().zip(job_of) {
        f.validation = match j {
            Some(i) => results[i].clone(),
            None => verdict(ValidationStatus::Unknown, "no validator for this rule"),
        };
    }
}

fn run_jobs(jobs: Vec<Job>, opts: &ValidateOptions) -> Vec<Validation> {
    if jobs.is_empty() {
        return Vec::new();
    }
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
        let b = indicatif::ProgressBar::new(jobs.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("validating {bar:30} {pos}/{len} {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let engine = Arc::new(Engine {
        client,
        global: Semaphore::new(opts.concurrency.max(1)),
        hosts: std::sync::Mutex::new(HashMap::new()),
        opts: opts.clone(),
    });
    let results = runtime.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for (i, job) in jobs.into_iter().enumerate() {
            let engine = engine.clone();
            let bar = bar.clone();
            set.spawn(async move {
                let v = engine.check(&job).await;
                if let Some(b) = &bar {
                    b.inc(1);
                }
                (i, v)
            });
        }
        let mut out = Vec::new();
        while let Some(r) = set.join_next().await {
            if let Ok(r) = r {
                out.push(r);
            }
        }
        out
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let n = results.iter().map(|(i, _)| i + 1).max().unwrap_or(0);
    let mut ordered = vec![verdict(ValidationStatus::Error, "check did not finish"); n];
    for (i, v) in results {
        ordered[i] = v;
    }
    ordered
}

struct Engine {
    client: reqwest::Client,
    global: Semaphore,
    hosts: std::sync::Mutex<HashMap<String, Arc<Semaphore>>>,
    opts: ValidateOptions,
}

/// A request ready to send.
struct Prepared {
    method: reqwest::Method,
    url: String,
    /// The host the rule declares (the per-host limit's key).
    host: String,
    headers: Vec<(String, String)>,
    basic: Option<(String, String)>,
    body: Option<String>,
}

impl Engine {
    fn host_limit(&self, host: &str) -> Arc<Semaphore> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(host.to_string())
            .or_insert_with(|| Arc::new(Semaphore::new(self.opts.per_host.max(1))))
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

    async fn check(&self, job: &Job) -> Validation {
        match job.recipe.kind.as_str() {
            "http" => match prepare_http(&job.recipe, &job.caps) {
                Ok(p) => self.send(p, &job.recipe).await,
                Err(v) => v,
            },
            "aws" => self.check_aws(job).await,
            "gcp-service-account" => self.check_gcp(job).await,
            "azure-storage" => self.check_azure(job).await,
            "unknown" | "database" => verdict(
                ValidationStatus::Unknown,
                "not checked: a connection attempt to a database is out of scope",
            ),
            other => verdict(
                ValidationStatus::Unknown,
                format!("validator `{other}` is not implemented yet"),
            ),
        }
    }

    async fn check_aws(&self, job: &Job) -> Validation {
        let secret = job.caps.get("secret").cloned().unwrap_or_default();
        let Some(key_id) = job
            .caps
            .get("key_id")
            .or_else(|| job.caps.get("access_key_id"))
            .cloned()
        else {
            return verdict(
                ValidationStatus::Unknown,
                "no access key id found next to the secret key",
            );
        };
        let amz_date = aws::amz_date_now();
        let content_type = "application/x-www-form-urlencoded; charset=utf-8";
        let req = aws::SigV4Request {
            method: "POST",
            host: aws::STS_HOST,
            path: "/",
            query: "",
            headers: &[("content-type", content_type)],
            body: aws::STS_BODY.as_bytes(),
        };
        let auth = aws::authorization(&req, &key_id, &secret, "us-east-1", "sts", &amz_date);
        let mut headers = vec![
            ("Content-Type".to_string(), content_type.to_string()),
            ("X-Amz-Date".to_string(), amz_date),
            ("Authorization".to_string(), auth),
            ("Accept".to_string(), "application/xml".to_string()),
        ];
        if let Some(token) = job.caps.get("session_token") {
            headers.push(("X-Amz-Security-Token".into(), token.clone()));
        }
        let p = Prepared {
            method: reqwest::Method::POST,
            url: format!("https://{}/", aws::STS_HOST),
            host: aws::STS_HOST.to_string(),
            headers,
            basic: None,
            body: Some(aws::STS_BODY.to_string()),
        };
        let answer = match self.exchange(&p).await {
            Ok(a) => a,
            Err(v) => return v,
        };
        let body = String::from_utf8_lossy(&answer.body);
        match answer.status {
            200 => match aws::caller_identity(&body) {
                Some((arn, account)) => {
                    let mut v = verdict(
                        ValidationStatus::Live,
                        "HTTP 200 from STS GetCallerIdentity",
                    );
                    v.overprivileged = arn.ends_with(":root");
                    v.identity = Some(format!("{arn} (account {account})"));
                    v
                }
                None => verdict(
                    ValidationStatus::Unknown,
                    "HTTP 200 without a caller identity",
                ),
            },
            403 if body.contains("InvalidClientTokenId")
                || body.contains("SignatureDoesNotMatch") =>
            {
                verdict(ValidationStatus::Revoked, "HTTP 403: AWS rejects the key")
            }
            403 if body.contains("ExpiredToken") => {
                verdict(ValidationStatus::Revoked, "HTTP 403: session expired")
            }
            s => verdict(
                ValidationStatus::Unknown,
                format!("HTTP {s}: not an answer this check knows"),
            ),
        }
    }

    async fn check_gcp(&self, job: &Job) -> Validation {
        let pem = job.caps.get("secret").cloned().unwrap_or_default();
        let Some(email) = job.caps.get("client_email") else {
            return verdict(ValidationStatus::Unknown, "no client_email next to the key");
        };
        let assertion = match gcp::assertion(&pem, email, jiff::Timestamp::now().as_second()) {
            Ok(a) => a,
            Err(e) => return verdict(ValidationStatus::Unknown, format!("not checked: {e}")),
        };
        let p = Prepared {
            method: reqwest::Method::POST,
            url: gcp::TOKEN_URL.to_string(),
            host: gcp::TOKEN_HOST.to_string(),
            headers: vec![(
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            )],
            basic: None,
            body: Some(gcp::form_body(&assertion)),
        };
        let answer = match self.exchange(&p).await {
            Ok(a) => a,
            Err(v) => return v,
        };
        let json: Option<serde_json::Value> = serde_json::from_slice(&answer.body).ok();
        let field = |k: &str| {
            json.as_ref()
                .and_then(|j| j.get(k))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        match answer.status {
            200 if field("access_token").is_some() => {
                let mut v = verdict(
                    ValidationStatus::Live,
                    "HTTP 200: the token endpoint issued an access token",
                );
                v.identity = Some(email.clone());
                v
            }
            400 | 401 if field("error").as_deref() == Some("invalid_grant") => verdict(
                ValidationStatus::Revoked,
                format!(
                    "HTTP {}: invalid_grant (key deleted or disabled)",
                    answer.status
                ),
            ),
            s => verdict(
                ValidationStatus::Unknown,
                format!("HTTP {s}: not an answer this check knows"),
            ),
        }
    }

    async fn check_azure(&self, job: &Job) -> Validation {
        let key = job.caps.get("secret").cloned().unwrap_or_default();
        let Some(account) = job.caps.get("account").map(|a| a.to_ascii_lowercase()) else {
            return verdict(
                ValidationStatus::Unknown,
                "no storage account name next to the key",
            );
        };
        if !(3..=24).contains(&account.len())
            || !account
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            return verdict(
                ValidationStatus::Unknown,
                "not checked: the account name is not a storage account name",
            );
        }
        let date = azure::now_rfc1123();
        let (url, auth) = match azure::list_containers(&account, &key, &date) {
            Ok(x) => x,
            Err(e) => return verdict(ValidationStatus::Unknown, format!("not checked: {e}")),
        };
        let host = format!("{account}.blob.core.windows.net");
        let p = Prepared {
            method: reqwest::Method::GET,
            url,
            host,
            headers: vec![
                ("x-ms-date".into(), date),
                ("x-ms-version".into(), azure::VERSION.into()),
                ("Authorization".into(), auth),
            ],
            basic: None,
            body: None,
        };
        let answer = match self.exchange(&p).await {
            Ok(a) => a,
            Err(v) => return v,
        };
        let body = String::from_utf8_lossy(&answer.body);
        match answer.status {
            200 if body.contains("<EnumerationResults") => {
                let mut v = verdict(ValidationStatus::Live, "HTTP 200: container list returned");
                v.identity = Some(format!("storage account {account}"));
                v.permissions = vec!["account key (full control of the account)".into()];
                v.overprivileged = true;
                v
            }
            403 if body.contains("AuthenticationFailed") => {
                verdict(ValidationStatus::Revoked, "HTTP 403: AuthenticationFailed")
            }
            s => verdict(
                ValidationStatus::Unknown,
                format!("HTTP {s}: not an answer this check knows"),
            ),
        }
    }

    async fn send(&self, p: Prepared, recipe: &ValidationRecipe) -> Validation {
        match self.exchange(&p).await {
            Ok(answer) => http::classify(recipe, &answer),
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
                        let headers: Vec<(String, String)> = resp
                            .headers()
                            .iter()
                            .map(|(k, v)| {
                                (
                                    k.as_str().to_string(),
                                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                                )
                            })
                            .collect();
                        let content_type = resp
                            .headers()
                            .get(reqwest::header::CONTENT_TYPE)
                            .map(|v| String::from_utf8_lossy(v.as_bytes()).to_ascii_lowercase())
                            .unwrap_or_default();
                        match resp.bytes().await {
                            Ok(body) => Ok(Answer {
                                status,
                                headers,
                                content_type,
                                body: body.to_vec(),
                            }),
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

fn prepare_http(recipe: &ValidationRecipe, caps: &Captures) -> Result<Prepared, Validation> {
    // Every template the request is built from must be fillable: a literal
    // `{username}` sent to the provider would be read as a bad credential.
    let mut templates: Vec<&str> = vec![&recipe.url];
    templates.extend(recipe.headers.iter().map(|(_, v)| v.as_str()));
    templates.extend(recipe.body.as_deref());
    if let Some((u, p)) = &recipe.basic_auth {
        templates.extend([u.as_str(), p.as_str()]);
    }
    let mut missing: Vec<String> = templates
        .iter()
        .flat_map(|t| http::missing_names(t, caps))
        .collect();
    missing.sort();
    missing.dedup();
    if !missing.is_empty() {
        return Err(verdict(
            ValidationStatus::Unknown,
            format!(
                "not checked: the match has no `{}` to build the request with",
                missing.join("`, `")
            ),
        ));
    }
    let url = http::fill(&recipe.url, caps);
    let host = http::host_allowed(&recipe.url, &url)
        .map_err(|e| verdict(ValidationStatus::Unknown, format!("not checked: {e}")))?;
    let method = reqwest::Method::from_bytes(recipe.method.to_ascii_uppercase().as_bytes())
        .map_err(|_| {
            verdict(
                ValidationStatus::Error,
                format!("bad method `{}`", recipe.method),
            )
        })?;
    if !matches!(method.as_str(), "GET" | "HEAD" | "POST") {
        return Err(verdict(
            ValidationStatus::Error,
            "only GET, HEAD and read-only POST are allowed",
        ));
    }
    Ok(Prepared {
        method,
        url,
        host,
        headers: recipe
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), http::fill(v, caps)))
            .collect(),
        basic: recipe
            .basic_auth
            .as_ref()
            .map(|(u, p)| (http::fill(u, caps), http::fill(p, caps))),
        body: recipe.body.as_ref().map(|b| http::fill(b, caps)),
    })
}
