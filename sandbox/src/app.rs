//! Request routing: faults, authentication, rate limiting, the request log, and the answer.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use qfpay::SignType;
use serde_json::{Value, json};

use crate::config::SandboxConfig;
use crate::faults::{Fault, Faults};
use crate::form::Form;
use crate::handlers::{Params, error};
use crate::notify::Notifier;
use crate::rate_limit::Limiter;
use crate::server::ConnHandle;
use crate::state::{
    Book, Clock, LOG_BODY_BYTES, LogEntry, MerchantState, RequestLog, SignatureCheck, fmt_time,
};

/// The largest request body accepted (1 MiB); larger ones get HTTP 413.
pub const MAX_BODY: usize = 1 << 20;

/// Everything the sandbox knows, shared by every connection.
#[derive(Debug)]
pub struct Shared {
    /// The configuration (merchants resolved).
    pub config: SandboxConfig,
    /// The merchants and their orders.
    pub merchants: Vec<MerchantState>,
    by_app_code: HashMap<String, usize>,
    /// The sandbox clock.
    pub clock: Clock,
    /// Pending faults.
    pub faults: Faults,
    /// The request log.
    pub log: RequestLog,
    /// Notification deliveries.
    pub notifier: Arc<Notifier>,
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    /// Connection cap and timeouts.
    pub server: crate::server::ServerOptions,
    /// Refuse the legacy pay codes ([`qfpay::model::pay_type::LEGACY`]) with 1104.
    pub strict_pay_types: std::sync::atomic::AtomicBool,
    /// WeChat OAuth codes handed out by `/tool/v1/get_weixin_oauth_code`.
    pub oauth_codes: crate::wechat_tool::OauthCodes,
    /// The refund rules in force.
    pub refund_rules: std::sync::Mutex<crate::refund_rules::RefundRules>,
    /// The legacy settlement query's fee, in basis points (60 = 0.6 %).
    pub settlement_fee_bps: std::sync::atomic::AtomicU32,
}

/// An answer to send.
#[derive(Debug)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Body.
    pub body: Bytes,
    /// Content type.
    pub content_type: &'static str,
    /// `respcd` for the log.
    pub respcd: String,
    /// Wait this long before answering.
    pub delay: Option<Duration>,
    /// Add `Retry-After: 1`.
    pub retry_after: bool,
    /// More headers (`Location`, `Content-Security-Policy`...).
    pub headers: Vec<(&'static str, String)>,
}

impl Answer {
    /// A JSON answer.
    pub fn json(status: u16, v: &Value) -> Self {
        let respcd = v
            .get("respcd")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        Self {
            status,
            body: Bytes::from(serde_json::to_vec(v).unwrap_or_default()),
            content_type: "application/json; charset=utf-8",
            respcd,
            delay: None,
            retry_after: false,
            headers: Vec::new(),
        }
    }

    /// A plain-text answer.
    pub fn text(status: u16, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            body: body.into(),
            content_type: "text/plain; charset=utf-8",
            respcd: String::new(),
            delay: None,
            retry_after: false,
            headers: Vec::new(),
        }
    }

    /// HTTP 429 with `Retry-After: 1`.
    pub fn rate_limited() -> Self {
        let mut a = Self::json(
            429,
            &json!({"respcd": "429", "resperr": "Too Many Requests: the rate limit is 100 requests per second and 400 per minute per app code", "respmsg": "rate limited"}),
        );
        a.retry_after = true;
        a
    }

    fn into_response(self) -> Response {
        let mut b = Response::builder()
            .status(StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
        if !self.body.is_empty() {
            b = b.header(header::CONTENT_TYPE, self.content_type);
        }
        if self.retry_after {
            b = b.header(header::RETRY_AFTER, "1");
        }
        for (k, v) in &self.headers {
            b = b.header(*k, v.as_str());
        }
        b.body(Body::from(self.body)).unwrap_or_default()
    }
}

fn header_str<'a>(h: &'a HeaderMap, name: &str) -> &'a str {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .trim()
}

/// The endpoint a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Payment,
    Query,
    Refund,
    Close,
    Reversal,
    WeixinOpenid,
    TradeBill,
    Settlement,
    AddNote,
}

impl Endpoint {
    fn of(path: &str) -> Option<Self> {
        match path.trim_end_matches('/') {
            "/trade/v1/payment" => Some(Self::Payment),
            "/trade/v1/query" => Some(Self::Query),
            "/trade/v1/refund" => Some(Self::Refund),
            "/trade/v1/close" => Some(Self::Close),
            "/trade/v1/reversal" => Some(Self::Reversal),
            "/tool/v1/get_weixin_openid" => Some(Self::WeixinOpenid),
            "/download/v1/trade_bill" => Some(Self::TradeBill),
            "/settlement/v1/query" => Some(Self::Settlement),
            "/trade/v1/add_note" => Some(Self::AddNote),
            _ => None,
        }
    }

    fn allows_get(self) -> bool {
        matches!(
            self,
            Self::Query
                | Self::Close
                | Self::Reversal
                | Self::WeixinOpenid
                | Self::TradeBill
                | Self::Settlement
        )
    }

    /// Whether a merchant with an `mchid` may leave it out: the statement (which QFPay says
    /// takes none), the legacy settlement query (optional in the sandbox) and a note (which
    /// such a merchant may not add: the handler says so).
    fn mchid_optional(self) -> bool {
        matches!(self, Self::TradeBill | Self::Settlement | Self::AddNote)
    }
}

/// Whether `sig` signs `params` under `key`, with empty values left out (the documented rule)
/// or included (the legacy rule).
fn signature_matches(params: &[(String, String)], sig: &str, key: &str, st: SignType) -> bool {
    if qfpay::sign::verify_request_signature(params, sig, key, st) {
        return true;
    }
    if params.iter().any(|(_, v)| v.is_empty()) {
        let mut sorted: Vec<&(String, String)> = params.iter().collect();
        sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        let joined = sorted
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        return qfpay::sign::digest(&joined, key, st).eq_ignore_ascii_case(sig.trim());
    }
    false
}

impl Shared {
    /// Builds the state for `config` served at `base_url`.
    pub fn new(
        mut config: SandboxConfig,
        server: crate::server::ServerOptions,
        base_url: String,
        notifier: Notifier,
    ) -> Self {
        if config.merchants.is_empty() {
            config.merchants.push(crate::config::Merchant::default());
        }
        let merchants: Vec<MerchantState> = config
            .merchants
            .iter()
            .map(|m| MerchantState {
                merchant: m.clone(),
                book: std::sync::Mutex::new(Book::default()),
                limiter: config.rate_limit.map(Limiter::new),
            })
            .collect();
        let mut by_app_code = HashMap::new();
        for (i, m) in merchants.iter().enumerate() {
            by_app_code.entry(m.merchant.app_code.clone()).or_insert(i);
        }
        let strict = config.strict_pay_types;
        let rules = config.refund_rules.clone();
        let fee_bps = config.settlement_fee_bps;
        Self {
            config,
            merchants,
            by_app_code,
            clock: Clock::default(),
            faults: Faults::default(),
            log: RequestLog::default(),
            notifier: Arc::new(notifier),
            base_url,
            server,
            strict_pay_types: std::sync::atomic::AtomicBool::new(strict),
            oauth_codes: crate::wechat_tool::OauthCodes::default(),
            refund_rules: std::sync::Mutex::new(rules),
            settlement_fee_bps: std::sync::atomic::AtomicU32::new(fee_bps),
        }
    }

    /// Whether the legacy pay codes are refused.
    pub fn strict_pay_types(&self) -> bool {
        self.strict_pay_types
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The refund rules in force (a copy).
    pub fn refund_rules(&self) -> crate::refund_rules::RefundRules {
        crate::state::lock(&self.refund_rules).clone()
    }

    /// The merchant with this app code, and its index.
    pub fn merchant_by_app_code(&self, app_code: &str) -> Option<(usize, &MerchantState)> {
        let idx = *self.by_app_code.get(app_code)?;
        self.merchants.get(idx).map(|m| (idx, m))
    }

    /// Forgets orders, the log, faults, notifications and clock changes.
    pub fn reset(&self) {
        for m in &self.merchants {
            *crate::state::lock(&m.book) = Book::default();
            if let Some(l) = &m.limiter {
                l.reset();
            }
        }
        self.faults.clear();
        self.log.clear();
        self.notifier.clear();
        self.clock.reset();
        self.oauth_codes.clear();
    }

    /// Handles one authenticated API call.
    fn api(
        self: &Arc<Self>,
        method: &Method,
        endpoint: Endpoint,
        headers: &HeaderMap,
        mut form: Form,
        check: &mut Option<SignatureCheck>,
    ) -> Answer {
        if method != Method::POST && !(method == Method::GET && endpoint.allows_get()) {
            let mut a = error(
                "1104",
                "Request method not allowed: use POST",
                "method not allowed",
            );
            a.status = 405;
            return a;
        }
        let app_code = header_str(headers, "x-qf-appcode");
        let Some(&idx) = self.by_app_code.get(app_code) else {
            *check = Some(SignatureCheck::verdict("unknown_app_code"));
            return error(
                "1108",
                &format!("Signature error: unknown X-QF-APPCODE {app_code:?}"),
                "",
            );
        };
        let Some(m) = self.merchants.get(idx) else {
            return error("1108", "Signature error: unknown X-QF-APPCODE", "");
        };
        if let Some(l) = &m.limiter
            && !l.allow()
        {
            return Answer::rate_limited();
        }
        let sign_type = match header_str(headers, "x-qf-signtype")
            .to_ascii_uppercase()
            .as_str()
        {
            "" | "MD5" => SignType::Md5,
            "SHA256" => SignType::Sha256,
            other => {
                *check = Some(SignatureCheck::verdict("unsupported_sign_type"));
                return error(
                    "1108",
                    &format!(
                        "Signature error: unsupported X-QF-SIGNTYPE {other:?} (use MD5 or SHA256)"
                    ),
                    "",
                );
            }
        };
        // A `sign` parameter is never part of the signed set; without the header it is the
        // signature (the hosted-checkout style).
        let sign_param = form.take_sign();
        let sig = match (header_str(headers, "x-qf-sign"), &sign_param) {
            ("", Some(p)) => p.trim(),
            ("", None) => {
                *check = Some(SignatureCheck {
                    sign_type: sign_type.as_str().to_uppercase(),
                    ..SignatureCheck::verdict("missing")
                });
                return error(
                    "1108",
                    "Signature error: the X-QF-SIGN header is missing",
                    "",
                );
            }
            (h, _) => h,
        };
        let key = &m.merchant.client_key;
        let mut verdict = SignatureCheck {
            sign_type: sign_type.as_str().to_uppercase(),
            client_sign: sig.chars().take(256).collect(),
            ..SignatureCheck::verdict("ok")
        };
        let params = if signature_matches(&form.decoded, sig, key, sign_type) {
            *check = Some(verdict);
            form.decoded
        } else if form.readings_differ() && signature_matches(&form.raw, sig, key, sign_type) {
            *check = Some(verdict);
            form.raw
        } else {
            verdict.verdict = "bad";
            verdict.string_to_sign = Some(qfpay::sign::debug_string_to_sign(&form.decoded));
            *check = Some(verdict);
            return error(
                "1108",
                &format!(
                    "Signature error: X-QF-SIGN does not match; the sandbox signed {} with {}",
                    qfpay::sign::debug_string_to_sign(&form.decoded),
                    sign_type.as_str().to_uppercase()
                ),
                "",
            );
        };
        let params = Params(params);
        match (&m.merchant.mchid, params.get("mchid")) {
            (Some(expected), Some(given)) if expected == given => {}
            (Some(_), Some(given)) => {
                return error(
                    "1108",
                    &format!("MCHCODE非法: mchid {given:?} does not belong to this app code"),
                    "",
                );
            }
            (Some(_), None) if endpoint.mchid_optional() => {}
            (Some(_), None) => {
                return error("1108", "MCHCODE非法: this merchant must send its mchid", "");
            }
            (None, Some(given)) => {
                return error(
                    "1108",
                    &format!(
                        "MCHCODE非法: this merchant has no mchid, do not send one (got {given:?})"
                    ),
                    "",
                );
            }
            (None, None) => {}
        }
        match endpoint {
            Endpoint::Payment => self.payment(m, &params),
            Endpoint::Query => self.query(m, &params),
            Endpoint::Refund => self.refund(m, &params),
            Endpoint::Close => self.cancel(m, &params, false),
            Endpoint::Reversal => self.cancel(m, &params, true),
            Endpoint::WeixinOpenid => self.weixin_openid(idx, &params),
            Endpoint::TradeBill => self.trade_bill(m, &params),
            Endpoint::Settlement => self.settlement(m, &params),
            Endpoint::AddNote => self.add_note(m, &params),
        }
    }
}

async fn read_body(headers: &HeaderMap, body: Body, limit: Duration) -> Result<Bytes, Answer> {
    let declared = header_str(headers, "content-length").parse::<usize>().ok();
    if declared.is_some_and(|n| n > MAX_BODY) {
        return Err(Answer::text(413, "Payload Too Large: the limit is 1 MiB"));
    }
    match tokio::time::timeout(limit, axum::body::to_bytes(body, MAX_BODY)).await {
        Ok(Ok(b)) => Ok(b),
        Ok(Err(_)) => Err(Answer::text(413, "Payload Too Large: the limit is 1 MiB")),
        Err(_) => Err(Answer::text(
            408,
            "Request Timeout: the body did not arrive in time",
        )),
    }
}

/// The single entry point for every request.
pub async fn dispatch(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    req: Request,
) -> Response {
    // No timeout cuts a request short while it is processed (delays, slow scenarios).
    let _busy = conn.busy();
    let (parts, body) = req.into_parts();
    let path = parts.uri.path();
    let routed =
        crate::dashboard::route(&shared, &parts.method, path, &parts.headers).or_else(|| {
            crate::pages::route(
                &shared,
                &parts.method,
                path,
                parts.uri.query().unwrap_or_default(),
                &parts.headers,
            )
        });
    if let Some(answer) = routed {
        let answer = match answer {
            crate::pages::Routed::Done(a) => a,
            crate::pages::Routed::WithBody(handler) => {
                match read_body(&parts.headers, body, shared.server.header_read_timeout).await {
                    Ok(bytes) => handler(&shared, &bytes),
                    Err(a) => a,
                }
            }
        };
        return answer.into_response();
    }
    if path == "/sandbox" || path.starts_with("/sandbox/") {
        if parts.method != Method::GET
            && parts.method != Method::HEAD
            && let Some(a) = crate::dashboard::cross_site_refusal(&shared.base_url, &parts.headers)
        {
            return a.into_response();
        }
        let answer = match read_body(&parts.headers, body, shared.server.header_read_timeout).await
        {
            Ok(bytes) => crate::control::handle(&shared, &parts.method, path, &bytes),
            Err(a) => a,
        };
        return answer.into_response();
    }
    let Some(endpoint) = Endpoint::of(path) else {
        let mut a = Answer::json(
            404,
            &json!({"respcd": "404", "resperr": format!("Not found: {path}"), "respmsg": "not found"}),
        );
        a.respcd.clear();
        return a.into_response();
    };
    trade(shared, conn, parts, body, endpoint).await
}

async fn trade(
    shared: Arc<Shared>,
    conn: ConnHandle,
    parts: axum::http::request::Parts,
    body: Body,
    endpoint: Endpoint,
) -> Response {
    let seq = shared.log.next_seq();
    let fault = shared.faults.take();
    let body = read_body(&parts.headers, body, shared.server.header_read_timeout).await;
    let (bytes, body_len) = match &body {
        Ok(b) => (b.slice(..b.len().min(LOG_BODY_BYTES)), b.len()),
        Err(_) => (Bytes::new(), 0),
    };
    let mut check = None;
    let mut answer = match (&fault, body) {
        (Some(Fault::HttpStatus(s)), _) => Answer::text(*s, Bytes::new()),
        (Some(Fault::Canned { status, body }), _) => Answer::text(*status, body.clone()),
        (_, Err(a)) => a,
        (_, Ok(bytes)) => {
            // Parameters in the body, or in the query string when the body is empty.
            let form = if bytes.iter().all(u8::is_ascii_whitespace) {
                Form::parse(parts.uri.query().unwrap_or_default().as_bytes())
            } else {
                Form::parse_body(header_str(&parts.headers, "content-type"), &bytes)
            };
            shared.api(&parts.method, endpoint, &parts.headers, form, &mut check)
        }
    };
    let status = match &fault {
        Some(Fault::Drop) => 0,
        Some(Fault::Malformed) => 200,
        _ => answer.status,
    };
    // Logged before any delay: a client that gives up early still leaves its request in the log.
    shared.log.push(LogEntry {
        seq,
        time: fmt_time(shared.clock.now()),
        method: parts.method.to_string(),
        path: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned()),
        app_code: header_str(&parts.headers, "x-qf-appcode").to_owned(),
        sign_type: header_str(&parts.headers, "x-qf-signtype").to_owned(),
        content_type: header_str(&parts.headers, "content-type").to_owned(),
        body: bytes,
        body_len,
        status,
        respcd: answer.respcd.clone(),
        fault: fault.as_ref().map(Fault::kind),
        signature: check,
    });
    if let Some(d) = answer.delay.take() {
        tokio::time::sleep(d).await;
    }
    match &fault {
        Some(Fault::Delay(d)) => tokio::time::sleep(*d).await,
        Some(Fault::Drop) => {
            conn.kill();
        }
        Some(Fault::Malformed) => {
            answer = Answer::text(
                200,
                "<html><body>502 Bad Gateway</body></html>{\"respcd\": ",
            );
            answer.content_type = "application/json";
        }
        _ => {}
    }
    answer.into_response()
}
