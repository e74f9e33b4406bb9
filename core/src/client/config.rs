//! Client configuration: environment, credentials, timeouts, retries; the builder and `from_env`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::convert::MAX_DURATION;
use crate::error::{Error, Result};
use crate::events::{Observer, ObserverSlot};
use crate::secret::ClientKey;
use crate::sign::SignType;
use crate::validate;

/// The environment variable of the client option `app_code`.
pub const APP_CODE_VAR: &str = "QFPAY_APP_CODE";
/// The environment variable of the client option `client_key`.
pub const CLIENT_KEY_VAR: &str = "QFPAY_CLIENT_KEY";
/// The environment variable of the client option `mchid`.
pub const MCHID_VAR: &str = "QFPAY_MCHID";
/// The environment variable of the client option `environment`.
pub const ENV_VAR: &str = "QFPAY_ENV";
/// The environment variable of the client option `base_url`.
pub const BASE_URL_VAR: &str = "QFPAY_BASE_URL";
/// The environment variable of the client option `sign_type`.
pub const SIGN_TYPE_VAR: &str = "QFPAY_SIGN_TYPE";
/// The environment variable of the client option `proxy`.
pub const PROXY_VAR: &str = "QFPAY_PROXY";

/// Every environment variable [`ClientBuilder::env`] reads, by the client option it sets
/// (`docs/configuration.md` is generated from this).
pub const ENV_VARS: &[(&str, &str)] = &[
    ("app_code", APP_CODE_VAR),
    ("client_key", CLIENT_KEY_VAR),
    ("mchid", MCHID_VAR),
    ("environment", ENV_VAR),
    ("base_url", BASE_URL_VAR),
    ("sign_type", SIGN_TYPE_VAR),
    ("proxy", PROXY_VAR),
];

/// Which QFPay to talk to. `Debug` shows a custom URL without credentials.
#[derive(Clone, PartialEq, Eq)]
pub enum Environment {
    /// `https://openapi-hk.qfapi.com`: live payments.
    Production,
    /// `https://test-openapi-hk.qfapi.com`: real wallets on test accounts, not settled.
    LiveTest,
    /// `https://openapi-int.qfapi.com`: QFPay's remote card-simulation host (name
    /// `card_sandbox`). Not the local `qfpay sandbox`, which is a [`Environment::Custom`] base URL.
    CardSandbox,
    /// The old name of [`Environment::CardSandbox`] (same host).
    #[doc(hidden)]
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
            Environment::CardSandbox | Environment::Sandbox => "https://openapi-int.qfapi.com",
            Environment::Custom(url) => url.trim_end_matches('/'),
        }
    }

    /// The canonical name: `production`, `live_test`, `card_sandbox`, or `custom`.
    pub fn name(&self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::LiveTest => "live_test",
            Environment::CardSandbox | Environment::Sandbox => "card_sandbox",
            Environment::Custom(_) => "custom",
        }
    }

    /// The names [`Environment::parse`] accepts (aliases included).
    pub const NAMES: [&'static str; 6] = [
        "production",
        "prod",
        "live_test",
        "livetest",
        "test",
        "card_sandbox",
    ];

    /// Parses `production` (or `prod`), `live_test` (or `livetest`, `test`), `card_sandbox`
    /// (QFPay's remote card-simulation host), or an `http(s)://` base URL. `sandbox` and `live`
    /// are refused as ambiguous, with a message saying what to use instead.
    pub fn parse(value: &str) -> Result<Self> {
        let v = value.trim();
        match v.to_ascii_lowercase().replace('-', "_").as_str() {
            "production" | "prod" => Ok(Environment::Production),
            "live_test" | "livetest" | "test" => Ok(Environment::LiveTest),
            "card_sandbox" | "cardsandbox" => Ok(Environment::CardSandbox),
            "sandbox" => Err(Error::config_option(
                "environment",
                "\"sandbox\" is ambiguous: for the local qfpay sandbox use its base URL (Sandbox.client(), or QFPAY_BASE_URL), for QFPay's remote card-simulation host use \"card_sandbox\"",
            )),
            "live" => Err(Error::config_option(
                "environment",
                "\"live\" is ambiguous: use \"production\" for live payments or \"live_test\" for QFPay's test accounts",
            )),
            _ if v.starts_with("http://") || v.starts_with("https://") => {
                Ok(Environment::Custom(v.to_owned()))
            }
            // The value is not quoted: a key pasted into the wrong option must not be echoed.
            _ => Err(Error::config_option(
                "environment",
                "is unknown: use production, live_test, card_sandbox or an http(s):// base URL",
            )),
        }
    }
}

/// Everything a [`crate::Client`] needs. Built with [`ClientBuilder`]; `Debug` never shows the key.
/// Two configurations are equal when every field is, the key included. `Debug` shows a proxy
/// URL without its credentials.
#[derive(Clone, PartialEq)]
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
    /// The HTTP(S) proxy every request goes through, or `None` for direct connections: the
    /// `proxy` option (`"none"` = direct), else `QFPAY_PROXY`, else `HTTPS_PROXY`/`https_proxy`/
    /// `ALL_PROXY`/`all_proxy` unless `NO_PROXY` matches the host. Loopback hosts are always
    /// reached directly.
    pub proxy: Option<String>,
    /// Warnings about the configuration (for example `QFPAY_ENV` and `QFPAY_BASE_URL`
    /// disagreeing), also logged through `tracing` (target `qfpay::config`). Bindings forward
    /// them to their language's logger.
    pub warnings: Vec<String>,
}

/// The longest app code accepted (QFPay issues 32 characters; a longer value is a mistake, and
/// would otherwise be sent as a header until the server refuses it).
pub const MAX_APP_CODE_CHARS: usize = 64;

/// The SDK version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Builds a [`crate::Client`]. `Debug` never shows the key or a proxy's credentials.
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
    proxy: Option<UrlText>,
    warnings: Vec<String>,
    observer: ObserverSlot,
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
            warnings: Vec::new(),
            observer: ObserverSlot::default(),
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
    /// `QFPAY_CLIENT_KEY`, `QFPAY_MCHID`, `QFPAY_ENV` or `QFPAY_BASE_URL` (the URL wins; a
    /// warning when both are set and disagree), `QFPAY_SIGN_TYPE`, `QFPAY_PROXY`. Values set on
    /// the builder afterwards win over them.
    pub fn env(self) -> Result<Self> {
        self.env_from(|name| std::env::var(name).ok())
    }

    /// Like [`ClientBuilder::env`], reading variables through `get`.
    pub fn env_from(mut self, get: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let var = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        if let Some(v) = var(APP_CODE_VAR) {
            self.app_code = Some(v);
        }
        if let Some(v) = var(CLIENT_KEY_VAR) {
            self.client_key = Some(ClientKey::new(v));
        }
        if let Some(v) = var(MCHID_VAR) {
            self.mchid = Some(v);
        }
        let named = match var(ENV_VAR) {
            Some(v) => Some((Environment::parse(&v)?, v)),
            None => None,
        };
        match (named, var(BASE_URL_VAR)) {
            (Some((env, name)), Some(url)) => {
                let given = Environment::Custom(url.clone());
                if env.base_url() != given.base_url() {
                    let w = format!(
                        "{ENV_VAR}={} ({}) and {BASE_URL_VAR}={} disagree; using {BASE_URL_VAR}",
                        name.trim(),
                        env.base_url(),
                        shown_url(given.base_url())
                    );
                    tracing::warn!(target: "qfpay::config", "{w}");
                    self.warnings.push(w);
                }
                self.environment = given;
            }
            (Some((env, _)), None) => self.environment = env,
            (None, Some(url)) => self.environment = Environment::Custom(url),
            (None, None) => {}
        }
        if let Some(v) = var(SIGN_TYPE_VAR) {
            self.sign_type = SignType::parse(&v)?;
        }
        if let Some(v) = var(PROXY_VAR) {
            self.proxy = Some(UrlText(v.trim().to_owned()));
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
    /// The first retry delay (default 500 ms); it doubles each retry, with jitter. A largest
    /// delay below it is raised to it.
    pub fn retry_base_delay(mut self, base: Duration) -> Self {
        self.retry_base_delay = base;
        self
    }
    /// The largest retry delay (default 5 s).
    pub fn retry_max_delay(mut self, max: Duration) -> Self {
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
    /// An HTTP(S) proxy for every request, or `"none"` for direct connections whatever the
    /// environment says. Loopback hosts are always reached directly.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(UrlText(url.into()));
        self
    }
    /// Receives an [`crate::events::Event`] per attempt, retry and reconciliation decision.
    pub fn observer(mut self, observer: Arc<dyn Observer>) -> Self {
        self.observer = ObserverSlot(Some(observer));
        self
    }

    pub(crate) fn take_observer(&mut self) -> ObserverSlot {
        std::mem::take(&mut self.observer)
    }

    /// Checks the configuration and builds the client.
    pub fn build(mut self) -> Result<crate::Client> {
        let observer = self.take_observer();
        Ok(crate::Client::from_config(self.into_config()?)?.with_observer_slot(observer))
    }

    /// Checks the configuration.
    pub fn into_config(self) -> Result<Config> {
        self.into_config_from(|name| std::env::var(name).ok())
    }

    /// Like [`ClientBuilder::into_config`], reading the standard proxy variables through `get`.
    pub fn into_config_from(self, get: impl Fn(&str) -> Option<String>) -> Result<Config> {
        let app_code = self
            .app_code
            .filter(|a| !a.trim().is_empty())
            .ok_or_else(|| {
                Error::config_option(
                    "app_code",
                    "is missing: give it to the client, or set QFPAY_APP_CODE",
                )
            })?;
        let client_key = self.client_key.filter(|k| !k.is_empty()).ok_or_else(|| {
            Error::config_option(
                "client_key",
                "is missing: give it to the client, or set QFPAY_CLIENT_KEY",
            )
        })?;
        if app_code.chars().any(|c| c.is_control() || c == ' ') {
            return Err(Error::config_option(
                "app_code",
                "must not contain spaces or control characters",
            ));
        }
        let n = app_code.chars().count();
        if n > MAX_APP_CODE_CHARS {
            return Err(Error::config_option(
                "app_code",
                format!(
                    "must be at most {MAX_APP_CODE_CHARS} characters (got {n}; QFPay issues 32)"
                ),
            ));
        }
        if let Some(m) = &self.mchid {
            validate::length("mchid", m, 1, 16).map_err(|e| {
                Error::config_option("mchid", e.rule().unwrap_or("is not valid").to_owned())
            })?;
        }
        let base_url = self.environment.base_url().to_owned();
        // Parsed once: the host is needed again for the proxy decision below.
        let host = match url::Url::parse(&base_url) {
            Ok(u) if u.scheme() == "http" || u.scheme() == "https" => {
                u.host_str().map(str::to_owned)
            }
            _ => None,
        }
        .ok_or_else(|| {
            Error::config_option(
                "base_url",
                "is not an http(s):// URL with a host (it is not quoted: it may hold a secret)",
            )
        })?;
        for (name, d) in [
            ("timeout", self.timeout),
            ("connect_timeout", self.connect_timeout),
            ("reconcile_timeout", self.reconcile_timeout),
            ("retry_base_delay", self.retry_base_delay),
            ("retry_max_delay", self.retry_max_delay),
        ] {
            check_duration(name, d)?;
        }
        if self.timeout.is_zero() {
            return Err(Error::config_option("timeout", "must be greater than zero"));
        }
        if self.connect_timeout.is_zero() {
            return Err(Error::config_option(
                "connect_timeout",
                "must be greater than zero",
            ));
        }
        let proxy = resolve_proxy(self.proxy.as_ref().map(|p| p.0.as_str()), &host, &get)?;
        if !(-14 * 3600..=14 * 3600).contains(&self.utc_offset_seconds) {
            return Err(Error::config_option(
                "utc_offset_seconds",
                "must be within ±14 hours",
            ));
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
            proxy,
            warnings: self.warnings,
        })
    }
}

/// A duration option within what clock arithmetic can hold.
pub(crate) fn check_duration(name: &str, d: Duration) -> Result<()> {
    if d > MAX_DURATION {
        return Err(Error::config_option(
            name,
            format!("must be at most 100 years (got {} s)", d.as_secs()),
        ));
    }
    Ok(())
}

/// A proxy or base URL as `Debug` shows it: scheme, host and port, never `user:password@` (an
/// unparsable value is shown as `***`).
fn shown_url(url: &str) -> String {
    match url::Url::parse(url.trim()) {
        Ok(u) if u.host_str().is_some() => {
            let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
            let creds = if u.username().is_empty() && u.password().is_none() {
                ""
            } else {
                "***@"
            };
            format!(
                "{}://{creds}{}{port}{}",
                u.scheme(),
                u.host_str().unwrap_or_default(),
                u.path().trim_end_matches('/')
            )
        }
        _ => "***".to_owned(),
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &shown_url(&self.base_url))
            .field("app_code", &self.app_code)
            .field("client_key", &self.client_key)
            .field("mchid", &self.mchid)
            .field("sign_type", &self.sign_type)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("reconcile_timeout", &self.reconcile_timeout)
            .field("max_retries", &self.max_retries)
            .field("retry_base_delay", &self.retry_base_delay)
            .field("retry_max_delay", &self.retry_max_delay)
            .field("utc_offset_seconds", &self.utc_offset_seconds)
            .field("user_agent", &self.user_agent)
            .field("proxy", &self.proxy.as_deref().map(shown_url))
            .field("warnings", &self.warnings)
            .finish()
    }
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Environment::Production => f.write_str("Production"),
            Environment::LiveTest => f.write_str("LiveTest"),
            Environment::CardSandbox => f.write_str("CardSandbox"),
            Environment::Sandbox => f.write_str("Sandbox"),
            Environment::Custom(url) => write!(f, "Custom({:?})", shown_url(url)),
        }
    }
}

/// A URL that may hold `user:password@` (a proxy): `Debug` shows it without them.
#[derive(Clone)]
struct UrlText(String);

impl fmt::Debug for UrlText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", shown_url(&self.0))
    }
}

/// Whether `host` is a loopback name or address.
pub(crate) fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost")
        || h.to_ascii_lowercase().ends_with(".localhost")
        || h.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether a `NO_PROXY` list matches `host`: `*`, an exact name or address, or a domain
/// suffix (`example.com` and `.example.com` both match `api.example.com`).
fn no_proxy_matches(list: &str, host: &str) -> bool {
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    list.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .any(|entry| {
            let e = entry.to_ascii_lowercase();
            let e = e.split(':').next().unwrap_or_default();
            let e = e.trim_start_matches("*.").trim_start_matches('.');
            e == "*" || host == e || host.ends_with(&format!(".{e}"))
        })
}

/// The proxy for `host`: the option (`"none"` = direct), else `QFPAY_PROXY` (read by
/// `from_env`) was already put in the option, else the standard variables.
fn resolve_proxy(
    option: Option<&str>,
    host: &str,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<String>> {
    if is_loopback(host) {
        return Ok(None);
    }
    let var = |name: &str| {
        get(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let chosen = match option.map(str::trim) {
        Some(p) if p.is_empty() || p.eq_ignore_ascii_case("none") => return Ok(None),
        Some(p) => p.to_owned(),
        None => {
            let no_proxy = var("NO_PROXY")
                .or_else(|| var("no_proxy"))
                .unwrap_or_default();
            if no_proxy_matches(&no_proxy, host) {
                return Ok(None);
            }
            match ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
                .iter()
                .find_map(|n| var(n))
            {
                Some(p) => p,
                None => return Ok(None),
            }
        }
    };
    // Never quoted, not even in part: a proxy URL may carry `user:password@`, and a malformed
    // one cannot be split reliably into what is secret and what is not.
    match url::Url::parse(&chosen) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(Some(chosen)),
        Ok(u) if u.host().is_some() => Err(Error::config_option(
            "proxy",
            "must be an http:// or https:// URL (or \"none\")",
        )),
        _ => Err(Error::config_option(
            "proxy",
            "is not a proxy URL of the form http://[user:password@]host:port, or \"none\"",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_reads_exactly_the_listed_variables_of_real_options() {
        let asked = std::cell::RefCell::new(Vec::new());
        let _ = ClientBuilder::new().env_from(|name| {
            asked.borrow_mut().push(name.to_owned());
            None
        });
        let listed: Vec<String> = ENV_VARS.iter().map(|(_, v)| (*v).to_owned()).collect();
        assert_eq!(asked.into_inner(), listed);
        for (option, _) in ENV_VARS {
            assert!(
                crate::surface::CLIENT_OPTIONS
                    .iter()
                    .any(|o| o.name == *option),
                "{option} is not a client option"
            );
        }
    }

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
    fn env_and_base_url_disagreeing_is_a_warning() {
        let vars = |name: &str| match name {
            "QFPAY_APP_CODE" => Some("A".to_owned()),
            "QFPAY_CLIENT_KEY" => Some("K".to_owned()),
            "QFPAY_ENV" => Some("production".to_owned()),
            "QFPAY_BASE_URL" => Some("http://127.0.0.1:9".to_owned()),
            _ => None,
        };
        let cfg = ClientBuilder::new()
            .env_from(vars)
            .unwrap()
            .into_config()
            .unwrap();
        assert_eq!(cfg.base_url, "http://127.0.0.1:9");
        assert_eq!(cfg.warnings.len(), 1);
        assert!(
            cfg.warnings[0].contains("QFPAY_ENV") && cfg.warnings[0].contains("QFPAY_BASE_URL")
        );
        let agree = |name: &str| match name {
            "QFPAY_ENV" => Some("production".to_owned()),
            "QFPAY_BASE_URL" => Some("https://openapi-hk.qfapi.com/".to_owned()),
            other => vars(other),
        };
        let cfg = ClientBuilder::new()
            .env_from(agree)
            .unwrap()
            .into_config()
            .unwrap();
        assert!(cfg.warnings.is_empty());
        let sandbox = |name: &str| (name == "QFPAY_ENV").then(|| "sandbox".to_owned());
        assert!(ClientBuilder::new().env_from(sandbox).is_err());
    }

    #[test]
    fn proxy_rules() {
        let none = |_: &str| None;
        let env = |name: &str| match name {
            "HTTPS_PROXY" => Some("http://proxy.corp:3128".to_owned()),
            "NO_PROXY" => Some("internal.example, .qfapi.test".to_owned()),
            _ => None,
        };
        let r = |opt: Option<&str>, host: &str, get: &dyn Fn(&str) -> Option<String>| {
            resolve_proxy(opt, host, get).unwrap()
        };
        assert_eq!(r(None, "openapi-hk.qfapi.com", &none), None);
        assert_eq!(
            r(None, "openapi-hk.qfapi.com", &env).as_deref(),
            Some("http://proxy.corp:3128")
        );
        assert_eq!(r(None, "api.qfapi.test", &env), None, "NO_PROXY suffix");
        assert_eq!(r(None, "internal.example", &env), None, "NO_PROXY exact");
        assert_eq!(r(None, "127.0.0.1", &env), None, "loopback direct");
        assert_eq!(
            r(Some("http://p:1"), "localhost", &env),
            None,
            "loopback direct"
        );
        assert_eq!(r(Some("none"), "openapi-hk.qfapi.com", &env), None);
        assert_eq!(
            r(Some("http://p:1"), "openapi-hk.qfapi.com", &none).as_deref(),
            Some("http://p:1")
        );
        let all = |name: &str| (name == "all_proxy").then(|| "http://all:1".to_owned());
        assert_eq!(r(None, "x.example", &all).as_deref(), Some("http://all:1"));
        let star = |name: &str| match name {
            "NO_PROXY" => Some("*".to_owned()),
            other => env(other),
        };
        assert_eq!(r(None, "x.example", &star), None);
        let e = resolve_proxy(Some("not a url"), "x.example", &none).unwrap_err();
        assert_eq!(e.code(), "config");
        for bad in [
            "ftp://u:secret@p:1",
            "u:secret@proxy.corp:3128",
            "http//u:secret@proxy",
            "secret",
        ] {
            let e = resolve_proxy(Some(bad), "x.example", &none).unwrap_err();
            assert!(!e.to_string().contains("secret"), "{e}");
            assert_eq!(e.code(), "config");
        }
        let qp = |name: &str| (name == "QFPAY_PROXY").then(|| "none".to_owned());
        let b = ClientBuilder::new()
            .credentials("A", "K")
            .env_from(qp)
            .unwrap();
        assert_eq!(b.into_config_from(env).unwrap().proxy, None);
        let cfg = ClientBuilder::new()
            .credentials("A", "K")
            .into_config_from(env)
            .unwrap();
        assert_eq!(
            cfg.proxy.as_deref(),
            Some("http://proxy.corp:3128"),
            "live test host via HTTPS_PROXY"
        );
    }

    #[test]
    fn retry_delays_are_set_independently() {
        let b = || ClientBuilder::new().credentials("APP", "K");
        let cfg = b().into_config().unwrap();
        assert_eq!(
            (cfg.retry_base_delay, cfg.retry_max_delay),
            (Duration::from_millis(500), Duration::from_secs(5))
        );
        let cfg = b()
            .retry_max_delay(Duration::from_secs(2))
            .into_config()
            .unwrap();
        assert_eq!(
            (cfg.retry_base_delay, cfg.retry_max_delay),
            (Duration::from_millis(500), Duration::from_secs(2))
        );
        let cfg = b()
            .retry_base_delay(Duration::from_secs(8))
            .into_config()
            .unwrap();
        assert_eq!(
            (cfg.retry_base_delay, cfg.retry_max_delay),
            (Duration::from_secs(8), Duration::from_secs(8)),
            "a largest delay below the first is raised to it"
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
        let proxied = ClientBuilder::new()
            .credentials("APP", "SECRETKEY123")
            .base_url("https://u:basepw@api.example:8443/")
            .proxy("http://user:proxypw@proxy.corp:3128");
        let dbg = format!("{proxied:?}");
        assert!(!dbg.contains("proxypw") && !dbg.contains("basepw"), "{dbg}");
        assert!(dbg.contains("proxy.corp:3128"), "{dbg}");
        let cfg = proxied.into_config().unwrap();
        let dbg = format!("{cfg:?}");
        assert!(!dbg.contains("proxypw") && !dbg.contains("basepw"), "{dbg}");
        assert!(!dbg.contains("SECRETKEY123"), "{dbg}");
        // A key in the wrong place is not echoed.
        for e in [
            Environment::parse("SECRETKEY123").unwrap_err(),
            ClientBuilder::new()
                .credentials("APP", "K")
                .base_url("SECRETKEY123")
                .into_config()
                .unwrap_err(),
        ] {
            assert!(!e.to_string().contains("SECRETKEY123"), "{e}");
        }
        let long = ClientBuilder::new()
            .credentials("A".repeat(MAX_APP_CODE_CHARS + 1), "K")
            .into_config()
            .unwrap_err();
        assert!(long.to_string().contains("at most 64"), "{long}");
        assert!(
            ClientBuilder::new()
                .credentials("A".repeat(MAX_APP_CODE_CHARS), "K")
                .into_config()
                .is_ok()
        );
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
