//! Client configuration: environment, credentials, timeouts, retries; the builder and `from_env`.

use std::time::Duration;

use crate::error::{Error, Result};
use crate::secret::ClientKey;
use crate::sign::SignType;
use crate::validate;

/// Which QFPay to talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Environment {
    /// `https://openapi-hk.qfapi.com`: live payments.
    Production,
    /// `https://test-openapi-hk.qfapi.com`: real wallets on test accounts, not settled.
    LiveTest,
    /// `https://openapi-int.qfapi.com`: QFPay's card-simulation sandbox.
    Sandbox,
    /// Any base URL (another region, or the local `qfpay sandbox`).
    Custom(String),
}

impl Environment {
    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Production => "https://openapi-hk.qfapi.com",
            Environment::LiveTest => "https://test-openapi-hk.qfapi.com",
            Environment::Sandbox => "https://openapi-int.qfapi.com",
            Environment::Custom(url) => url.trim_end_matches('/'),
        }
    }

    /// Parses `production`, `live_test` (or `livetest`, `test`), `sandbox`, or an `http(s)://` URL.
    pub fn parse(value: &str) -> Result<Self> {
        let v = value.trim();
        match v.to_ascii_lowercase().replace('-', "_").as_str() {
            "production" | "prod" | "live" => Ok(Environment::Production),
            "live_test" | "livetest" | "test" => Ok(Environment::LiveTest),
            "sandbox" => Ok(Environment::Sandbox),
            _ if v.starts_with("http://") || v.starts_with("https://") => {
                Ok(Environment::Custom(v.to_owned()))
            }
            _ => Err(Error::config(format!(
                "unknown environment {v:?}: use production, live_test, sandbox or a base URL"
            ))),
        }
    }
}

/// Everything a [`crate::Client`] needs. Built with [`ClientBuilder`]; `Debug` never shows the key.
#[derive(Debug, Clone)]
pub struct Config {
    /// Base URL without a trailing slash.
    pub base_url: String,
    /// `X-QF-APPCODE`.
    pub app_code: String,
    /// The signing key.
    pub client_key: ClientKey,
    /// Default `mchid` for every request (agents and merchants that were assigned one).
    pub mchid: Option<String>,
    /// MD5 (default) or SHA256.
    pub sign_type: SignType,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Deadline for a whole call, retries included (reconciliation has its own, below).
    pub timeout: Duration,
    /// After a money-moving call's outcome became unknown, how long to keep querying for it.
    pub reconcile_timeout: Duration,
    /// Retries after a failure that QFPay never processed (connect failure, HTTP 429), and for
    /// queries also after timeouts and 5xx.
    pub max_retries: u32,
    /// First retry delay; doubles each retry, with jitter.
    pub retry_base_delay: Duration,
    /// Largest retry delay.
    pub retry_max_delay: Duration,
    /// Offset from UTC, in seconds, of the clock used for `txdtm` (QFPay HK: +8 h).
    pub utc_offset_seconds: i32,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// An HTTP(S) proxy URL, if any.
    pub proxy: Option<String>,
}

/// The SDK version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Builds a [`crate::Client`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    environment: Environment,
    app_code: Option<String>,
    client_key: Option<ClientKey>,
    mchid: Option<String>,
    sign_type: SignType,
    connect_timeout: Duration,
    timeout: Duration,
    reconcile_timeout: Duration,
    max_retries: u32,
    retry_base_delay: Duration,
    retry_max_delay: Duration,
    utc_offset_seconds: i32,
    user_agent_prefix: String,
    proxy: Option<String>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            environment: Environment::LiveTest,
            app_code: None,
            client_key: None,
            mchid: None,
            sign_type: SignType::Md5,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            reconcile_timeout: Duration::from_secs(15),
            max_retries: 2,
            retry_base_delay: Duration::from_millis(500),
            retry_max_delay: Duration::from_secs(5),
            utc_offset_seconds: 8 * 3600,
            user_agent_prefix: format!("qfpay-rust/{VERSION}"),
            proxy: None,
        }
    }
}

impl ClientBuilder {
    /// A builder with the defaults: live-test environment, MD5, connect 5 s, call 30 s,
    /// reconciliation 15 s, 2 retries from 0.5 s up to 5 s, `txdtm` in UTC+8.
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies the `QFPAY_*` environment variables that are set: `QFPAY_APP_CODE`,
    /// `QFPAY_CLIENT_KEY`, `QFPAY_MCHID`, `QFPAY_ENV` or `QFPAY_BASE_URL` (the URL wins),
    /// `QFPAY_SIGN_TYPE`. Values set on the builder afterwards win over them.
    pub fn env(self) -> Result<Self> {
        self.env_from(|name| std::env::var(name).ok())
    }

    /// Like [`ClientBuilder::env`], reading variables through `get`.
    pub fn env_from(mut self, get: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let var = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        if let Some(v) = var("QFPAY_APP_CODE") {
            self.app_code = Some(v);
        }
        if let Some(v) = var("QFPAY_CLIENT_KEY") {
            self.client_key = Some(ClientKey::new(v));
        }
        if let Some(v) = var("QFPAY_MCHID") {
            self.mchid = Some(v);
        }
        if let Some(v) = var("QFPAY_ENV") {
            self.environment = Environment::parse(&v)?;
        }
        if let Some(v) = var("QFPAY_BASE_URL") {
            self.environment = Environment::Custom(v);
        }
        if let Some(v) = var("QFPAY_SIGN_TYPE") {
            self.sign_type = SignType::parse(&v)?;
        }
        Ok(self)
    }

    /// The environment (default: live test).
    pub fn environment(mut self, env: Environment) -> Self {
        self.environment = env;
        self
    }
    /// A custom base URL (for example the local sandbox's).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.environment = Environment::Custom(url.into());
        self
    }
    /// App code and client key.
    pub fn credentials(
        mut self,
        app_code: impl Into<String>,
        client_key: impl Into<ClientKey>,
    ) -> Self {
        self.app_code = Some(app_code.into());
        self.client_key = Some(client_key.into());
        self
    }
    /// The app code alone (`X-QF-APPCODE`).
    pub fn app_code(mut self, app_code: impl Into<String>) -> Self {
        self.app_code = Some(app_code.into());
        self
    }
    /// The client key alone.
    pub fn client_key(mut self, client_key: impl Into<ClientKey>) -> Self {
        self.client_key = Some(client_key.into());
        self
    }
    /// The default `mchid`.
    pub fn mchid(mut self, mchid: impl Into<String>) -> Self {
        self.mchid = Some(mchid.into()).filter(|m: &String| !m.is_empty());
        self
    }
    /// MD5 or SHA256.
    pub fn sign_type(mut self, sign_type: SignType) -> Self {
        self.sign_type = sign_type;
        self
    }
    /// Connect timeout.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }
    /// Per-call deadline.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }
    /// How long to query for the outcome of a money-moving call that became unknown.
    pub fn reconcile_timeout(mut self, d: Duration) -> Self {
        self.reconcile_timeout = d;
        self
    }
    /// Retries (0 turns them off).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }
    /// First and largest retry delay.
    pub fn retry_delay(mut self, base: Duration, max: Duration) -> Self {
        self.retry_base_delay = base;
        self.retry_max_delay = max;
        self
    }
    /// The UTC offset of the clock used for `txdtm`, in seconds.
    pub fn utc_offset_seconds(mut self, seconds: i32) -> Self {
        self.utc_offset_seconds = seconds;
        self
    }
    /// The first part of the `User-Agent` (bindings set `qfpay-python/<version>`...).
    pub fn user_agent_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.user_agent_prefix = prefix.into();
        self
    }
    /// An HTTP(S) proxy for every request.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<crate::Client> {
        crate::Client::from_config(self.into_config()?)
    }

    /// Checks the configuration.
    pub fn into_config(self) -> Result<Config> {
        let app_code = self
            .app_code
            .filter(|a| !a.trim().is_empty())
            .ok_or_else(|| {
                Error::config("the app code is missing (credentials(...) or QFPAY_APP_CODE)")
            })?;
        let client_key = self.client_key.filter(|k| !k.is_empty()).ok_or_else(|| {
            Error::config("the client key is missing (credentials(...) or QFPAY_CLIENT_KEY)")
        })?;
        if app_code.chars().any(|c| c.is_control() || c == ' ') {
            return Err(Error::config(
                "the app code must not contain spaces or control characters",
            ));
        }
        if let Some(m) = &self.mchid {
            validate::length("mchid", m, 1, 16).map_err(|e| Error::config(e.to_string()))?;
        }
        let base_url = self.environment.base_url().to_owned();
        match url::Url::parse(&base_url) {
            Ok(u) if (u.scheme() == "http" || u.scheme() == "https") && u.host().is_some() => {}
            _ => {
                return Err(Error::config(format!(
                    "the base URL {base_url:?} is not an http(s) URL"
                )));
            }
        }
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::config("timeouts must be greater than zero"));
        }
        if !(-14 * 3600..=14 * 3600).contains(&self.utc_offset_seconds) {
            return Err(Error::config("the UTC offset must be within ±14 hours"));
        }
        Ok(Config {
            base_url,
            app_code,
            client_key,
            mchid: self.mchid,
            sign_type: self.sign_type,
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
            reconcile_timeout: self.reconcile_timeout,
            max_retries: self.max_retries,
            retry_base_delay: self.retry_base_delay,
            retry_max_delay: self.retry_max_delay.max(self.retry_base_delay),
            utc_offset_seconds: self.utc_offset_seconds,
            user_agent: format!("{} (core {VERSION})", self.user_agent_prefix),
            proxy: self.proxy,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments() {
        assert_eq!(
            Environment::parse("production").ok(),
            Some(Environment::Production)
        );
        assert_eq!(
            Environment::parse("live-test").ok(),
            Some(Environment::LiveTest)
        );
        assert_eq!(
            Environment::Custom("http://127.0.0.1:9/".into()).base_url(),
            "http://127.0.0.1:9"
        );
        assert!(Environment::parse("mars").is_err());
    }

    #[test]
    fn env_variables() {
        let vars = |name: &str| match name {
            "QFPAY_APP_CODE" => Some("APPX".to_owned()),
            "QFPAY_CLIENT_KEY" => Some("KEYX".to_owned()),
            "QFPAY_MCHID" => Some("M1".to_owned()),
            "QFPAY_ENV" => Some("production".to_owned()),
            "QFPAY_SIGN_TYPE" => Some("SHA256".to_owned()),
            _ => None,
        };
        let cfg = ClientBuilder::new()
            .env_from(vars)
            .unwrap()
            .into_config()
            .unwrap();
        assert_eq!(
            (cfg.app_code.as_str(), cfg.client_key.expose()),
            ("APPX", "KEYX")
        );
        assert_eq!(cfg.mchid.as_deref(), Some("M1"));
        assert_eq!(cfg.base_url, "https://openapi-hk.qfapi.com");
        assert_eq!(cfg.sign_type, SignType::Sha256);
        let url = |name: &str| {
            (name == "QFPAY_BASE_URL")
                .then(|| "http://127.0.0.1:1/".to_owned())
                .or_else(|| vars(name))
        };
        let cfg = ClientBuilder::new()
            .env_from(url)
            .unwrap()
            .into_config()
            .unwrap();
        assert_eq!(cfg.base_url, "http://127.0.0.1:1");
        let bad = |name: &str| (name == "QFPAY_SIGN_TYPE").then(|| "sha1".to_owned());
        assert_eq!(
            ClientBuilder::new().env_from(bad).err().map(|e| e.code()),
            Some("config")
        );
        let missing = ClientBuilder::new()
            .env_from(|_| None)
            .unwrap()
            .into_config();
        assert!(
            missing
                .err()
                .unwrap()
                .to_string()
                .contains("QFPAY_APP_CODE")
        );
    }

    #[test]
    fn config_checks_and_hides_key() {
        let cfg = ClientBuilder::new()
            .credentials("APP", "SECRETKEY123")
            .into_config();
        let Ok(cfg) = cfg else { panic!("config") };
        let dbg = format!("{cfg:?}");
        assert!(!dbg.contains("SECRETKEY123"), "{dbg}");
        assert!(cfg.user_agent.starts_with("qfpay-rust/"));
        assert!(ClientBuilder::new().into_config().is_err());
        assert!(
            ClientBuilder::new()
                .credentials("APP", "K")
                .mchid("x".repeat(17))
                .into_config()
                .is_err()
        );
    }
}
