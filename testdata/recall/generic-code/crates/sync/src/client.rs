use std::env;

const API_KEY: &str = "900715dc1ac1a27df8713e4731de361b";
const SIGNATURE_SHA256: &str = "43be4de8db4947f39b8868767611088d013782257bffb6aaf423e6ed8c4b4a95";
static UPSTREAM_TOKEN: &str = "BPxLgD4ufIfBKKF0RDt0Xaet";

pub struct Config {
    pub user: String,
    pub password: String,
}

pub fn local() -> Config {
    let password = "n6QMfStFUWSus4";
    Config { user: "sync".into(), password: password.into() }
}

pub fn from_env() -> Result<Config, env::VarError> {
    let password = env::var("SYNC_PASSWORD")?;
    Ok(Config { user: env::var("SYNC_USER")?, password })
}

pub async fn fetch(url: &str) -> reqwest::Result<String> {
    reqwest::Client::new()
        .get(url)
        .basic_auth("sync", Some("jowQUux6huTC"))
        .send()
        .await?
        .text()
        .await
}
