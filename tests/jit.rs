//! The JIT view: lifetime, exposure, reuse, CI posture and OWASP NHI ids.

mod common;

use std::path::Path;

use base64::Engine as _;
use common::*;
use serde_json::Value;

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/jit/make-fixture.sh");
    let status = std::process::Command::new("bash")
        .arg(&script)
        .arg(dir.path())
        .status()
        .expect("run make-fixture.sh");
    assert!(status.success());
    dir
}

fn by_rule<'a>(r: &'a Value, id: &str) -> &'a Value {
    r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"]["id"] == id)
        .unwrap_or_else(|| panic!("no {id} finding"))
}

fn has_nhi(f: &Value, id: &str) -> bool {
    f["nhi"]
        .as_array()
        .is_some_and(|a| a.iter().any(|x| x == id))
}

#[test]
fn multi_repo_posture() {
    let dir = fixture();
    let out = run(
        dir.path(),
        &[
            "scan",
            "--history",
            "payments-api",
            "web-frontend",
            "infra",
            "-f",
            "json",
        ],
    );
    let r = json(&out);

    // An AWS key added two years ago and removed last month.
    let aws = by_rule(&r, "aws-secret-access-key");
    let c = &aws["credential"];
    assert_eq!(c["lifetime"], "static");
    assert_eq!(c["present_at_head"], false);
    assert!(c["removed_at"].is_string());
    let days = c["exposure_days"].as_i64().expect("exposure days");
    assert!(
        (699..=701).contains(&days),
        "added 730 days ago, removed 30 days ago: {days}"
    );
    assert!(has_nhi(aws, "NHI2") && has_nhi(aws, "NHI7"));
    assert_eq!(
        aws["parts"][0]["name"], "key_id",
        "the multi-part credential reports its key id"
    );

    // AKIA is static, ASIA ephemeral.
    assert_eq!(
        by_rule(&r, "aws-access-key-id")["credential"]["lifetime"],
        "static"
    );
    assert_eq!(
        by_rule(&r, "aws-temporary-access-key-id")["credential"]["lifetime"],
        "ephemeral"
    );

    // The same Stripe key in app config, a workflow and a second repository.
    let stripe = by_rule(&r, "stripe-secret-key");
    let reuse = &stripe["reuse"];
    assert_eq!(reuse["repos"], 2);
    assert_eq!(reuse["files"], 3);
    assert_eq!(reuse["reused"], true);
    assert_eq!(reuse["in_ci"], true);
    assert_eq!(reuse["in_code"], true);
    assert!(has_nhi(stripe, "NHI9"));
    let ci_loc = stripe["locations"]
        .as_array()
        .expect("locations")
        .iter()
        .find(|l| l["ci"].is_object())
        .expect("a CI location");
    assert_eq!(ci_loc["ci"]["system"], "github_actions");
    assert_eq!(ci_loc["ci"]["job"], "release");
    assert_eq!(ci_loc["ci"]["step"], "smoke test");

    // Findings are ordered by risk.
    let risks: Vec<u64> = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["risk"].as_u64().expect("risk"))
        .collect();
    assert!(risks.windows(2).all(|w| w[0] >= w[1]), "{risks:?}");

    // CI posture: stored cloud keys in five pipelines, not in the OIDC one.
    let ci = r["ci"].as_array().expect("ci issues");
    let kinds = |k: &str| ci.iter().filter(|i| i["kind"] == k).collect::<Vec<_>>();
    let static_keys = kinds("static_cloud_credentials");
    assert!(
        static_keys
            .iter()
            .all(|i| i["path"] != ".github/workflows/release.yml"),
        "OIDC workflow is clean"
    );
    let deploy = static_keys
        .iter()
        .find(|i| i["path"] == ".github/workflows/deploy.yml")
        .expect("deploy workflow flagged");
    assert_eq!(deploy["job"], "deploy");
    assert_eq!(deploy["step"], "Configure AWS");
    assert!(
        deploy["instead"]
            .as_str()
            .is_some_and(|s| s.contains("role-to-assume"))
    );
    assert!(
        static_keys
            .iter()
            .any(|i| i["system"] == "gitlab" && i["job"] == "plan")
    );
    assert!(
        static_keys.iter().all(|i| i["job"] != "apply"),
        "the id_tokens job is clean"
    );
    assert!(static_keys.iter().any(|i| i["system"] == "circleci"));
    assert!(static_keys.iter().any(|i| i["system"] == "jenkins"));
    assert_eq!(kinds("secrets_exposed_to_untrusted_code").len(), 1);
    assert!(kinds("shared_secret").iter().any(|i| {
        i["secrets"]
            .as_array()
            .is_some_and(|s| s.iter().any(|n| n == "AWS_SECRET_ACCESS_KEY"))
    }));

    let p = &r["posture"];
    assert_eq!(p["static"], 3);
    assert_eq!(p["ephemeral"], 1);
    assert_eq!(p["reused"], 1);
    assert_eq!(p["in_ci_and_code"], 1);
    assert_eq!(p["pipelines_with_stored_cloud_keys"], 5);
    assert_eq!(p["untrusted_code_exposures"], 1);
    assert_eq!(p["oldest_exposures"][0]["exposure_days"], days);
    assert_eq!(p["most_reused"][0]["rule"], "stripe-secret-key");

    // The text report opens with the posture; SARIF carries it too.
    let text = stdout(&run(
        dir.path(),
        &["scan", "--history", "payments-api", "web-frontend", "infra"],
    ));
    assert!(text.starts_with("Static-credential posture"), "{text}");
    let sarif = json(&run(
        dir.path(),
        &[
            "scan",
            "--history",
            "payments-api",
            "web-frontend",
            "infra",
            "-f",
            "sarif",
        ],
    ));
    assert_eq!(sarif["runs"][0]["properties"]["posture"]["static"], 3);
    assert!(
        sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .any(|r| r["id"] == "ci-static-cloud-credentials")
    );
}

#[test]
fn fail_on_static_and_reused() {
    let dir = fixture();
    let infra = dir.path().join("infra");
    // infra holds only an ephemeral ASIA key id.
    assert_eq!(
        run(&infra, &["scan", ".", "--fail-on", "static"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&infra, &["scan", ".", "--fail-on", "reused"])
            .status
            .code(),
        Some(0)
    );
    let both = run(
        dir.path(),
        &[
            "scan",
            "payments-api",
            "web-frontend",
            "--fail-on",
            "reused",
        ],
    );
    assert_eq!(both.status.code(), Some(1));
}

fn jwt(claims: &str) -> String {
    let e = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.{}",
        e(r#"{"alg":"HS256","typ":"JWT"}"#),
        e(claims),
        e("not-a-real-signature-bytes!")
    )
}

#[test]
fn jwt_claims_decide_lifetime() {
    let dir = tempfile::tempdir().expect("tempdir");
    let now = jiff::Timestamp::now().as_second();
    let no_exp = jwt(r#"{"sub":"svc-batch","iss":"auth.corp.test"}"#);
    let short = jwt(&format!(
        r#"{{"sub":"u1","iat":{},"exp":{}}}"#,
        now - 60,
        now + 3000
    ));
    let long = jwt(&format!(
        r#"{{"sub":"u2","iat":{},"exp":{}}}"#,
        now - 60,
        now + 400 * 86_400
    ));
    let expired = jwt(r#"{"sub":"u3","iat":1600000000,"exp":1600003600}"#);
    write(
        dir.path(),
        "tokens.env",
        format!("A_JWT={no_exp}\nB_JWT={short}\nC_JWT={long}\nD_JWT={expired}\n"),
    );
    let r = json(&run(
        dir.path(),
        &["scan", ".", "-f", "json", "--show-secrets"],
    ));
    let life = |t: &str| {
        let f = r["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["secret"] == t)
            .unwrap_or_else(|| panic!("no finding for a JWT in {r:#}"));
        (
            f["credential"]["lifetime"]
                .as_str()
                .expect("lifetime")
                .to_string(),
            f["credential"]["expires_at"].clone(),
        )
    };
    assert_eq!(
        life(&no_exp),
        ("static".into(), Value::Null),
        "no exp: never expires"
    );
    assert_eq!(life(&short).0, "ephemeral");
    assert!(life(&short).1.is_string());
    assert_eq!(life(&long).0, "static");
    assert_eq!(
        life(&expired),
        (
            "expired".into(),
            Value::String("2020-09-13T13:26:40Z".into())
        )
    );
}

#[test]
fn each_ci_system_static_keys_flagged_oidc_clean() {
    let cases: &[(&str, &str, &str)] = &[
        (
            ".github/workflows/a.yml",
            "on: push\njobs:\n  d:\n    runs-on: x\n    steps:\n      - uses: google-github-actions/auth@v2\n        with:\n          credentials_json: ${{ secrets.GCP_SA_KEY }}\n      - uses: azure/login@v2\n        with:\n          creds: ${{ secrets.AZURE_CREDENTIALS }}\n",
            "on: push\npermissions:\n  id-token: write\njobs:\n  d:\n    runs-on: x\n    steps:\n      - uses: google-github-actions/auth@v2\n        with:\n          workload_identity_provider: projects/1/locations/global/workloadIdentityPools/p/providers/gh\n          service_account: d@p.iam.gserviceaccount.com\n      - uses: azure/login@v2\n        with:\n          client-id: ${{ vars.AZURE_CLIENT_ID }}\n          tenant-id: ${{ vars.AZURE_TENANT_ID }}\n",
        ),
        (
            ".gitlab-ci.yml",
            "deploy:\n  script:\n    - aws s3 sync . s3://b --region $AWS_REGION\n  variables:\n    AWS_ACCESS_KEY_ID: $PROD_AWS_KEY\n",
            "deploy:\n  id_tokens:\n    T: { aud: https://gitlab.com }\n  script:\n    - aws sts assume-role-with-web-identity --web-identity-token $T\n",
        ),
        (
            ".circleci/config.yml",
            "version: 2.1\njobs:\n  d:\n    steps:\n      - aws-cli/setup:\n          profile_name: default\n",
            "version: 2.1\njobs:\n  d:\n    steps:\n      - aws-cli/setup:\n          role_arn: arn:aws:iam::1:role/ci\n",
        ),
        (
            "azure-pipelines.yml",
            "steps:\n  - script: aws s3 ls\n    env:\n      AWS_ACCESS_KEY_ID: $(awsKeyId)\n      AWS_SECRET_ACCESS_KEY: $(awsSecret)\n",
            "steps:\n  - task: AWSShellScript@1\n    inputs:\n      awsCredentials: WorkloadIdentity-conn\n",
        ),
        (
            "bitbucket-pipelines.yml",
            "pipelines:\n  default:\n    - step:\n        script:\n          - pipe: atlassian/aws-s3-deploy:1.1.0\n            variables:\n              AWS_ACCESS_KEY_ID: $AWS_ACCESS_KEY_ID\n              AWS_SECRET_ACCESS_KEY: $AWS_SECRET_ACCESS_KEY\n",
            "pipelines:\n  default:\n    - step:\n        oidc: true\n        script:\n          - pipe: atlassian/aws-s3-deploy:1.1.0\n            variables:\n              AWS_OIDC_ROLE_ARN: arn:aws:iam::1:role/bb\n",
        ),
        (
            "Jenkinsfile",
            "withCredentials([[$class: 'AmazonWebServicesCredentialsBinding', credentialsId: 'aws']]) { sh 'aws s3 ls' }\n",
            "node { sh 'aws s3 ls' }\n",
        ),
        (
            ".travis.yml",
            "env:\n  global:\n    - AWS_ACCESS_KEY_ID=$TRAVIS_AWS_KEY\n",
            "script: make\n",
        ),
        (
            ".buildkite/pipeline.yml",
            "steps:\n  - command: aws s3 ls\n    env:\n      AWS_SECRET_ACCESS_KEY: $BK_AWS_SECRET\n",
            "steps:\n  - command: aws s3 ls\n    plugins:\n      - aws-assume-role-with-web-identity#v1.0.0:\n          role-arn: arn:aws:iam::1:role/bk\n",
        ),
    ];
    for (path, bad, good) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), path, bad);
        let r = json(&run(dir.path(), &["scan", ".", "-f", "json"]));
        let issues = r["ci"].as_array().expect("ci");
        assert!(
            issues
                .iter()
                .any(|i| i["kind"] == "static_cloud_credentials" && i["path"] == *path),
            "{path}: static keys not reported: {issues:?}"
        );
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), path, good);
        let r = json(&run(dir.path(), &["scan", ".", "-f", "json"]));
        assert_eq!(
            r["ci"].as_array().map(Vec::len),
            Some(0),
            "{path}: the OIDC form is clean: {r:#}"
        );
    }
}

#[test]
fn removed_from_head_but_live_is_flagged() {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for mut s in listener.incoming().flatten() {
            let mut r = BufReader::new(s.try_clone().expect("clone"));
            let mut line = String::new();
            while r.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                line.clear();
            }
            let body = r#"{"login":"deploy-bot","id":7}"#;
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-OAuth-Scopes: read:packages\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    write(
        d,
        "deploy.env",
        format!("GH={}\n", github_token("ghp", 700)),
    );
    commit_at(d, "add", "2024-01-01T00:00:00Z");
    std::fs::remove_file(d.join("deploy.env")).expect("rm");
    commit_at(d, "remove", "2024-06-01T00:00:00Z");
    let out = run(
        d,
        &[
            "scan",
            "--history",
            ".",
            "--validate",
            "--validation-endpoint",
            &format!("api.github.com=http://127.0.0.1:{port}"),
            "-f",
            "json",
        ],
    );
    let r = json(&out);
    let f = by_rule(&r, "github-pat");
    assert_eq!(f["validation"]["status"], "live");
    assert_eq!(f["credential"]["removed_but_live"], true);
    assert_eq!(
        f["credential"]["exposure_days"], 152,
        "2024-01-01 to its removal on 2024-06-01"
    );
    assert!(has_nhi(f, "NHI1"), "{:?}", f["nhi"]);
    assert_eq!(r["posture"]["removed_but_live"], 1);
    assert_eq!(r["posture"]["live_static"], 1);
    let text = stdout(&run(
        d,
        &[
            "scan",
            "--history",
            ".",
            "--validate",
            "--validation-endpoint",
            &format!("api.github.com=http://127.0.0.1:{port}"),
        ],
    ));
    assert!(text.contains("removed from HEAD but still live"), "{text}");
}
