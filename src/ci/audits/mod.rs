//! One file per audit; each is listed once in [`crate::ci::registry`].

pub mod secrets_exposed_to_untrusted_code;
pub mod shared_secret;
pub mod static_cloud_credentials;
pub mod static_keys_beside_oidc;
