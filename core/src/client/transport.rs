//! One HTTP exchange with QFPay: sign, encode, send, and say precisely how it failed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER, USER_AGENT};
use tokio::time::Instant;

use crate::client::config::Config;
use crate::error::{Error, Result};
use crate::events::{Emit, EventKind, Fields};
use crate::model::fields::{self, RawMap};
use crate::sign;

/// A QFPay endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `/trade/v1/payment`
    Payment,
    /// `/trade/v1/query`
    Query,
    /// `/trade/v1/refund`
    Refund,
    /// `/trade/v1/close`
    Close,
    /// `/trade/v1/reversal`
    Reversal,
}

impl Endpoint {
    /// Every endpoint, in declaration order.
    pub const ALL: [Endpoint; 5] = [
        Endpoint::Payment,
        Endpoint::Query,
        Endpoint::Refund,
        Endpoint::Close,
        Endpoint::Reversal,
    ];

    /// The path.
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::Payment => "/trade/v1/payment",
            Endpoint::Query => "/trade/v1/query",
            Endpoint::Refund => "/trade/v1/refund",
            Endpoint::Close => "/trade/v1/close",
            Endpoint::Reversal => "/trade/v1/reversal",
        }
    }
}

/// The endpoints' URLs, parsed once per client (parsing a URL string on every request was a
/// measurable part of a payment's CPU time), in the order of [`Endpoint::ALL`].
#[derive(Debug)]
pub(crate) struct Urls(Vec<reqwest::Url>);

impl Urls {
    /// The URLs under `base_url` (already checked to be an http(s) URL by the builder).
    pub(crate) fn new(base_url: &str) -> Result<Self> {
        Endpoint::ALL
            .iter()
            .map(|e| {
                reqwest::Url::parse(&format!("{base_url}{}", e.path()))
                    .map_err(|e| Error::config(format!("the base URL is not usable: {e}")))
            })
            .collect::<Result<_>>()
            .map(Self)
    }

    fn get(&self, e: Endpoint) -> &reqwest::Url {
        // `ALL` lists the variants in declaration order, so the discriminant is the index.
        &self.0[e as usize]
    }
}

/// How an exchange went.
#[derive(Debug)]
pub(crate) enum Exchange {
    /// A JSON object came back with HTTP 200.
    Answer(RawMap),
    /// HTTP 429.
    RateLimited(Option<Duration>),
    /// The request never left (connection refused, DNS, TLS, connect timeout).
    NotSent(String),
    /// The request may have been processed but no answer came back (read timeout, connection
    /// lost).
    Lost(String),
    /// HTTP 200 with a body that is not a JSON object.
    Unreadable(String),
    /// HTTP 5xx: the server failed, possibly after processing the request.
    ServerError(u16),
    /// Any other HTTP status: the server refused the request.
    Rejected(u16, Option<RawMap>),
}

/// Builds the pooled HTTP client.
pub(crate) fn http_client(config: &Config) -> Result<reqwest::Client> {
    let mut headers = HeaderMap::new();
    let ua = HeaderValue::from_str(&config.user_agent)
        .map_err(|_| Error::config("the User-Agent contains characters not allowed in a header"))?;
    headers.insert(USER_AGENT, ua);
    let mut b = reqwest::Client::builder()
        .default_headers(headers)
        .connect_timeout(config.connect_timeout)
        .pool_idle_timeout(Duration::from_secs(30))
        // QFPay's API never redirects; a redirected POST would be re-sent as a GET elsewhere.
        // A 3xx answer is an error naming its status, like any other unexpected status.
        .redirect(reqwest::redirect::Policy::none())
        .tls_backend_preconfigured(crate::client::tls::config()?)
        .tcp_nodelay(true);
    let direct = crate::client::config::is_loopback(
        host_of(config)
            .rsplit_once(':')
            .map_or(host_of(config), |(h, _)| h),
    );
    b = match config.proxy.as_ref().filter(|_| !direct) {
        Some(p) => b.proxy(
            reqwest::Proxy::all(p).map_err(|e| Error::config(format!("invalid proxy URL: {e}")))?,
        ),
        None => b.no_proxy(),
    };
    b.build()
        .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))
}

/// The signed headers and URL-encoded body for `params`.
pub(crate) fn encode(config: &Config, params: &[(&str, String)]) -> Result<(HeaderMap, String)> {
    let signature = sign::sign(params, config.client_key.expose(), config.sign_type);
    let mut headers = HeaderMap::new();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    headers.insert(
        "X-QF-APPCODE",
        HeaderValue::from_str(&config.app_code)
            .map_err(|_| Error::config("the app code is not a valid header value"))?,
    );
    headers.insert(
        "X-QF-SIGN",
        HeaderValue::from_str(&signature)
            .map_err(|_| Error::config("the signature is not a valid header value"))?,
    );
    if let Some(t) = config.sign_type.header_value() {
        headers.insert("X-QF-SIGNTYPE", HeaderValue::from_static(t));
    }
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params.iter().filter(|(_, v)| !v.is_empty()) {
        ser.append_pair(k, v);
    }
    Ok((headers, ser.finish()))
}

/// Parameters for a log line: `auth_code` masked, the key never present (it is not a
/// parameter).
pub(crate) fn loggable(params: &[(&str, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| {
            if *k == "auth_code" {
                format!("{k}=***")
            } else {
                format!("{k}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// An answer body for a log line, with any `auth_code` value masked.
fn loggable_body(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    match fields::parse_object(bytes) {
        Ok(mut map) if map.contains_key("auth_code") => {
            map.insert("auth_code".into(), serde_json::Value::from("***"));
            serde_json::Value::Object(map).to_string()
        }
        _ => text.into_owned(),
    }
}

/// What one attempt is about, for its events.
pub(crate) struct Attempt<'a> {
    pub(crate) endpoint: Endpoint,
    pub(crate) number: u32,
    pub(crate) out_trade_no: Option<&'a str>,
    pub(crate) started: std::time::Instant,
    pub(crate) emit: &'a Emit<'a>,
    /// Set just before the request leaves (a money-moving call's cancellation guard).
    pub(crate) sent: Option<&'a AtomicBool>,
}

/// An exchange and what its events need.
pub(crate) struct Reply {
    pub(crate) exchange: Exchange,
    pub(crate) http_status: Option<u16>,
    pub(crate) body: Option<String>,
}

/// The host of the base URL, for messages.
pub(crate) fn host_of(config: &Config) -> &str {
    let s = config
        .base_url
        .split("://")
        .nth(1)
        .unwrap_or(&config.base_url);
    s.split('/').next().unwrap_or(s)
}

/// Sends one request and classifies the result.
pub(crate) async fn exchange(
    http: &reqwest::Client,
    config: &Config,
    urls: &Urls,
    params: &[(&str, String)],
    deadline: Instant,
    at: &Attempt<'_>,
) -> Result<Reply> {
    let endpoint = at.endpoint;
    let (headers, body) = encode(config, params)?;
    let remaining = deadline.saturating_duration_since(Instant::now());
    if remaining.is_zero() {
        return Ok(Reply {
            exchange: Exchange::NotSent(
                "the call's deadline passed before the request was sent".into(),
            ),
            http_status: None,
            body: None,
        });
    }
    at.emit
        .emit(EventKind::Request, endpoint.path(), |with_body| Fields {
            attempt: at.number,
            out_trade_no: at.out_trade_no.map(str::to_owned),
            elapsed: at.started.elapsed(),
            body: with_body.then(|| loggable(params)),
            ..Fields::default()
        });
    let url = urls.get(endpoint).clone();
    if let Some(flag) = at.sent {
        flag.store(true, Ordering::Relaxed);
    }
    let sent = http
        .post(url)
        .headers(headers)
        .body(body)
        .timeout(remaining)
        .send()
        .await;
    let resp = match sent {
        Ok(r) => r,
        Err(e) => {
            let what = describe(&e, remaining);
            return Ok(Reply {
                exchange: if e.is_connect() {
                    Exchange::NotSent(what)
                } else {
                    Exchange::Lost(what)
                },
                http_status: None,
                body: None,
            });
        }
    };
    let status = resp.status().as_u16();
    let retry_after = resp
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let bytes = match resp.bytes().await {
        Ok(b) => b,
        Err(e) => {
            return Ok(Reply {
                exchange: Exchange::Lost(format!(
                    "the answer was cut off: {}",
                    describe(&e, remaining)
                )),
                http_status: Some(status),
                body: None,
            });
        }
    };
    let body = at.emit.wants_body().then(|| loggable_body(&bytes));
    let exchange = match status {
        200 => match fields::parse_object(&bytes) {
            Ok(map) => Exchange::Answer(map),
            Err(e) => Exchange::Unreadable(format!("HTTP 200 with an unreadable body ({e})")),
        },
        429 => Exchange::RateLimited(retry_after),
        s if s >= 500 => Exchange::ServerError(s),
        s => Exchange::Rejected(s, fields::parse_object(&bytes).ok()),
    };
    Ok(Reply {
        exchange,
        http_status: Some(status),
        body,
    })
}

/// A duration for messages: `250 ms`, `1.5 s`, `120 s`.
pub(crate) fn human(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else if d < Duration::from_secs(10) {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        format!("{} s", d.as_secs())
    }
}

/// What went wrong, in one clause, without repeating the layers' own words (the caller names
/// the endpoint and host).
fn describe(e: &reqwest::Error, allowed: Duration) -> String {
    if e.is_timeout() {
        return format!("no answer within {}", human(allowed));
    }
    let mut root: Option<String> = None;
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = src {
        root = Some(s.to_string());
        src = s.source();
    }
    let root = root.unwrap_or_else(|| e.to_string());
    if e.is_connect() {
        format!("could not connect ({root})")
    } else {
        format!("the connection failed ({root})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::config::ClientBuilder;

    #[test]
    fn encodes_and_signs_raw_values() {
        let cfg = ClientBuilder::new()
            .credentials("APP", "abcd1234")
            .into_config()
            .unwrap();
        let params = vec![
            ("txdtm", "2019-07-22 14:57:42".to_owned()),
            ("goods_name", "a&b".to_owned()),
            ("udid", String::new()),
        ];
        let (headers, body) = encode(&cfg, &params).unwrap();
        assert_eq!(body, "txdtm=2019-07-22+14%3A57%3A42&goods_name=a%26b");
        let expected = sign::sign(&params, "abcd1234", sign::SignType::Md5);
        let urls = Urls::new("http://h:1").unwrap();
        for e in Endpoint::ALL {
            assert_eq!(urls.get(e).path(), e.path());
        }
        assert_eq!(headers.get("X-QF-SIGN").unwrap(), expected.as_str());
        assert!(headers.get("X-QF-SIGNTYPE").is_none());
        assert_eq!(loggable(&[("auth_code", "123".into())]), "auth_code=***");
    }
}
