//! Sandbox configuration: merchants, rate limit, notification time scale, scenario timings.

use std::time::Duration;

/// The app code used when no merchant is configured.
pub const DEFAULT_APP_CODE: &str = "SANDBOXAPPCODE000000000000000001";
/// The client key used when no merchant is configured.
pub const DEFAULT_CLIENT_KEY: &str = "SANDBOXCLIENTKEY0000000000000001";

/// A merchant account the sandbox accepts: its credentials, its `mchid` (if it has one, every
/// request must carry it; if not, none may) and its notification URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merchant {
    /// `X-QF-APPCODE`.
    pub app_code: String,
    /// The key requests are signed with and notifications are signed with.
    pub client_key: String,
    /// The merchant id requests must carry, if any.
    pub mchid: Option<String>,
    /// Where notifications go (a request's `notify_url` wins over this).
    pub notify_url: Option<String>,
}

impl Merchant {
    /// A merchant with these credentials, no `mchid` and no notification URL.
    pub fn new(app_code: impl Into<String>, client_key: impl Into<String>) -> Self {
        Self {
            app_code: app_code.into(),
            client_key: client_key.into(),
            mchid: None,
            notify_url: None,
        }
    }

    /// Sets the `mchid` every request of this merchant must carry.
    pub fn with_mchid(mut self, mchid: impl Into<String>) -> Self {
        self.mchid = Some(mchid.into()).filter(|m: &String| !m.is_empty());
        self
    }

    /// Sets the notification URL.
    pub fn with_notify_url(mut self, url: impl Into<String>) -> Self {
        self.notify_url = Some(url.into()).filter(|u: &String| !u.is_empty());
        self
    }

    /// Parses `APP:KEY[:MCHID]` (the CLI's `--merchant` syntax).
    pub fn parse_spec(spec: &str) -> Result<Self, String> {
        let mut parts = spec.splitn(3, ':');
        let app = parts.next().unwrap_or_default().trim();
        let key = parts.next().unwrap_or_default().trim();
        let mchid = parts.next().map(str::trim).unwrap_or_default();
        if app.is_empty() || key.is_empty() {
            return Err(format!(
                "invalid merchant {spec:?}: expected APP_CODE:CLIENT_KEY[:MCHID]"
            ));
        }
        let m = Merchant::new(app, key);
        Ok(if mchid.is_empty() {
            m
        } else {
            m.with_mchid(mchid)
        })
    }
}

impl Default for Merchant {
    fn default() -> Self {
        Merchant::new(DEFAULT_APP_CODE, DEFAULT_CLIENT_KEY)
    }
}

/// Requests allowed per app code; beyond either limit the answer is HTTP 429.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests per second (documented: 100).
    pub per_second: u32,
    /// Requests per minute (documented: 400).
    pub per_minute: u32,
}

impl Default for RateLimit {
    fn default() -> Self {
        Self {
            per_second: 100,
            per_minute: 400,
        }
    }
}

impl RateLimit {
    /// Parses `off` (None) or `PER_SEC,PER_MIN` (the CLI's `--rate-limit` syntax).
    pub fn parse_spec(spec: &str) -> Result<Option<Self>, String> {
        let s = spec.trim();
        if s.eq_ignore_ascii_case("off") || s.eq_ignore_ascii_case("none") {
            return Ok(None);
        }
        let (a, b) = s.split_once(',').ok_or_else(|| {
            format!("invalid rate limit {spec:?}: expected off or PER_SEC,PER_MIN")
        })?;
        let per_second = a
            .trim()
            .parse()
            .map_err(|_| format!("invalid per-second limit {a:?}"))?;
        let per_minute = b
            .trim()
            .parse()
            .map_err(|_| format!("invalid per-minute limit {b:?}"))?;
        Ok(Some(Self {
            per_second,
            per_minute,
        }))
    }
}

/// How the sandbox behaves. `SandboxConfig::default()` gives a free port, one merchant with the
/// default credentials, the documented rate limit, the real notification schedule, 2 pending
/// queries for scenario 1002 and a 3 s slow response for scenario 1005.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// The port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// The merchants; empty means one merchant with the default credentials and no `mchid`.
    pub merchants: Vec<Merchant>,
    /// The rate limit per app code; `None` turns it off.
    pub rate_limit: Option<RateLimit>,
    /// Multiplies the notification retry schedule: 1.0 is real time, 0.001 turns 2 min into 120 ms.
    pub notify_time_scale: f64,
    /// Scenario 1002: how many queries answer "pending" before the order is paid.
    pub pending_queries: u32,
    /// Scenario 1005: how long the answer is delayed.
    pub slow_response: Duration,
    /// Refuse the legacy pay codes (`qfpay::model::pay_type::LEGACY`) with 1104, as an account
    /// without them would; off by default. Switchable later with
    /// [`crate::Sandbox::set_strict_pay_types`].
    pub strict_pay_types: bool,
    /// The refund rules (1265, 1269, 1270, 1271, 1124, FPS age, pending 1143); all off by
    /// default. Switchable later with [`crate::Sandbox::set_refund_rules`] or `POST
    /// /sandbox/config {"refund_rules": {...}}`.
    pub refund_rules: crate::refund_rules::RefundRules,
    /// The fee the legacy settlement query (`/settlement/v1/query`) charges, in basis points
    /// of each record's `pay_amt`, rounded half up; 60 (0.6 %) by default. Switchable later
    /// with `POST /sandbox/config {"settlement_fee_bps": N}`.
    pub settlement_fee_bps: u32,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            port: 0,
            merchants: Vec::new(),
            rate_limit: Some(RateLimit::default()),
            notify_time_scale: 1.0,
            pending_queries: 2,
            slow_response: Duration::from_secs(3),
            strict_pay_types: false,
            refund_rules: crate::refund_rules::RefundRules::default(),
            settlement_fee_bps: crate::statements::DEFAULT_SETTLEMENT_FEE_BPS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        let m = Merchant::parse_spec("APP:KEY:MCH").unwrap_or_default();
        assert_eq!(m.mchid.as_deref(), Some("MCH"));
        assert!(Merchant::parse_spec("APP").is_err());
        assert_eq!(RateLimit::parse_spec("off"), Ok(None));
        assert_eq!(
            RateLimit::parse_spec("5,10"),
            Ok(Some(RateLimit {
                per_second: 5,
                per_minute: 10
            }))
        );
        assert!(RateLimit::parse_spec("x").is_err());
    }
}
