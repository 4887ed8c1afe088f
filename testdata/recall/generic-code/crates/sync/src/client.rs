use std::env;

const API_KEY: &str = "fa947bab3ae8e9ea7c72bb0bcc6bc455";
const SIGNATURE_SHA256: &str = "2e9071590d292a283a2043d77faecbaa4ff21db0c2e0b03dd475c5a6cd981f93";
static UPSTREAM_TOKEN: &str = "tPjX6l6dWDbLE6ZcugmlwnLp";

pub struct Config {
    pub user: String,
    pub password: String,
}

pub fn local() -> Config {
    let password = "MTEMGoCl5rzl6W";
    Config { user: "sync".into(), password: password.into() }
}

pub fn from_env() -> Result<Config, env::VarError> {
    let password = env::var("SYNC_PASSWORD")?;
    Ok(Config { user: env::var("SYNC_USER")?, password })
}

pub async fn fetch(url: &str) -> reqwest::Result<String> {
    reqwest::Client::new()
        .get(url)
        .basic_auth("sync", Some("7tOJ80JE2qF4"))
        .send()
        .await?
        .text()
        .await
}
