use std::env;

const API_KEY: &str = "72bb0bcc6bc4552e9071590d292a283a";
const SIGNATURE_SHA256: &str = "2043d77faecbaa4ff21db0c2e0b03dd475c5a6cd981f939451e0f1a365b67f7e";
static UPSTREAM_TOKEN: &str = "l5rzl6W7tOJ80JE2qF4z69vQ";

pub struct Config {
    pub user: String,
    pub password: String,
}

pub fn local() -> Config {
    let password = "JX9fE3ozdn8iZZ";
    Config { user: "sync".into(), password: password.into() }
}

pub fn from_env() -> Result<Config, env::VarError> {
    let password = env::var("SYNC_PASSWORD")?;
    Ok(Config { user: env::var("SYNC_USER")?, password })
}

pub async fn fetch(url: &str) -> reqwest::Result<String> {
    reqwest::Client::new()
        .get(url)
        .basic_auth("sync", Some("yHYHXrYdQ7p5"))
        .send()
        .await?
        .text()
        .await
}
