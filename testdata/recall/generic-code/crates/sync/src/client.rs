use std::env;

const API_KEY: &str = "6ed8c4b4a95db3ea22dfe9029629fa94";
const SIGNATURE_SHA256: &str = "7bab3ae8e9ea7c72bb0bcc6bc4552e9071590d292a283a2043d77faecbaa4ff2";
static UPSTREAM_TOKEN: &str = "TN6cAW0Qw2aZy1f4D9IObHxT";

pub struct Config {
    pub user: String,
    pub password: String,
}

pub fn local() -> Config {
    let password = "aZhA7A6jpVkOyR";
    Config { user: "sync".into(), password: password.into() }
}

pub fn from_env() -> Result<Config, env::VarError> {
    let password = env::var("SYNC_PASSWORD")?;
    Ok(Config { user: env::var("SYNC_USER")?, password })
}

pub async fn fetch(url: &str) -> reqwest::Result<String> {
    reqwest::Client::new()
        .get(url)
        .basic_auth("sync", Some("kunyBHsr4dEt"))
        .send()
        .await?
        .text()
        .await
}
