//! One HTTP exchange with QFPay: sign, encode, send, and say precisely how it failed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{
    CONTENT_TYPE, HeaderMap, HeaderValue, PROXY_AUTHORIZATION, RETRY_AFTER, USER_AGENT,
};
use hyper::{Method, Request, Uri};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use tokio::time::Instant;

use crate::client::config::Config;
use crate::client::connect::{self, Route};
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
    /// `/tool/v1/get_weixin_openid` (a header-signed GET)
    WechatOpenid,
    /// `/download/v1/trade_bill` (a header-signed GET answered with a zip file)
    TradeBill,
    /// `/settlement/v1/query` (legacy)
    Settlement,
    /// `/trade/v1/add_note`
    AddNote,
}

impl Endpoint {
    /// Every endpoint, in declaration order.
    pub const ALL: [Endpoint; 9] = [
        Endpoint::Payment,
        Endpoint::Query,
        Endpoint::Refund,
        Endpoint::Close,
        Endpoint::Reversal,
        Endpoint::WechatOpenid,
        Endpoint::TradeBill,
        Endpoint::Settlement,
        Endpoint::AddNote,
    ];

    /// The path.
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::Payment => "/trade/v1/payment",
            Endpoint::Query => "/trade/v1/query",
            Endpoint::Refund => "/trade/v1/refund",
            Endpoint::Close => "/trade/v1/close",
            Endpoint::Reversal => "/trade/v1/reversal",
            Endpoint::WechatOpenid => "/tool/v1/get_weixin_openid",
            Endpoint::TradeBill => "/download/v1/trade_bill",
            Endpoint::Settlement => "/settlement/v1/query",
            Endpoint::AddNote => "/trade/v1/add_note",
        }
    }

    /// Whether the endpoint takes its signed parameters in the query of a GET (the openid
    /// exchange, the trade bill) rather than a form body.
    pub fn is_get(self) -> bool {
        matches!(self, Endpoint::WechatOpenid | Endpoint::TradeBill)
    }
}

/// The endpoints' URLs, parsed once per client (parsing a URL string on every request was a
/// measurable part of a payment's CPU time), in the order of [`Endpoint::ALL`].
#[derive(Debug)]
pub(crate) struct Urls(Vec<Uri>);

impl Urls {
    /// The URLs under `base_url` (already checked to be an http(s) URL by the builder).
    pub(crate) fn new(base_url: &str) -> Result<Self> {
        Endpoint::ALL
            .iter()
            .map(|e| {
                format!("{base_url}{}", e.path())
                    .parse::<Uri>()
                    .map_err(|e| Error::config_option("base_url", format!("is not usable: {e}")))
            })
            .collect::<Result<_>>()
            .map(Self)
    }

    fn get(&self, e: Endpoint) -> &Uri {
        // `ALL` lists the variants in declaration order, so the discriminant is the index.
        &self.0[e as usize]
    }
}

/// How an exchange went.
#[derive(Debug)]
pub(crate) enum Exchange {
    /// A JSON object came back with HTTP 200 (a `data` list kept as its records' text).
    Answer(fields::Body),
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
    /// HTTP 200 with a file (a zip) where the endpoint answers with one
    /// ([`Endpoint::TradeBill`]).
    File(Bytes),
}

/// The pooled HTTP client of one process: hyper's client over [`connect::Route`], with the
/// headers every request carries. Cheap to clone (the pool is shared).
#[derive(Clone)]
pub(crate) struct Http {
    client: hyper_util::client::legacy::Client<hyper_rustls::HttpsConnector<Route>, Full<Bytes>>,
    user_agent: HeaderValue,
    /// `Proxy-Authorization` for requests forwarded by an HTTP proxy (an `http` base URL);
    /// a `CONNECT` tunnel carries it in the tunnel request instead.
    forward_auth: Option<HeaderValue>,
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the proxy credentials.
        f.debug_struct("Http").finish_non_exhaustive()
    }
}

/// Builds the pooled HTTP client.
pub(crate) fn http_client(config: &Config) -> Result<Http> {
    let user_agent = HeaderValue::from_str(&config.user_agent)
        .map_err(|_| Error::config("the User-Agent contains characters not allowed in a header"))?;
    let tls = crate::client::tls::config()?;
    let mut tcp = HttpConnector::new();
    // The TLS layer above it handles `https`.
    tcp.enforce_http(false);
    tcp.set_nodelay(true);
    tcp.set_connect_timeout(Some(config.connect_timeout));
    // A pooled connection whose peer vanished (a NAT or load balancer dropping it) is found
    // out by TCP keepalive rather than by the next payment's timeout.
    tcp.set_keepalive(Some(Duration::from_secs(15)));
    tcp.set_keepalive_interval(Some(Duration::from_secs(15)));
    tcp.set_keepalive_retries(Some(3));
    let direct = crate::client::config::is_loopback(
        host_of(config)
            .rsplit_once(':')
            .map_or(host_of(config), |(h, _)| h),
    );
    let proxy = match config.proxy.as_deref().filter(|_| !direct) {
        Some(p) => Some(proxy(p, config, &tcp, &tls)?),
        None => None,
    };
    let forward_auth = proxy
        .as_ref()
        .filter(|_| !config.base_url.starts_with("https:"))
        .and_then(|p| p.auth.clone());
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .enable_http2()
        .wrap_connector(Route { tcp, proxy });
    // QFPay's API never redirects and hyper's client follows nothing: a 3xx answer is an error
    // naming its status, like any other unexpected status.
    let client = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(30))
        .pool_timer(TokioTimer::new())
        .build(connector);
    Ok(Http {
        client,
        user_agent,
        forward_auth,
    })
}

/// The route through the proxy URL `url` (already checked to be an http(s) URL with a host).
fn proxy(
    url: &str,
    config: &Config,
    tcp: &HttpConnector,
    tls: &rustls::ClientConfig,
) -> Result<connect::Proxy> {
    let base: Uri = config
        .base_url
        .parse()
        .map_err(|e| Error::config_option("base_url", format!("is not usable: {e}")))?;
    // hyper-util's proxy matcher parses the URL: credentials percent-decoded into a `Basic`
    // value (marked sensitive), the proxy's URI without them.
    let intercept = Matcher::builder()
        .all(url.to_owned())
        .build()
        .intercept(&base)
        .ok_or_else(|| Error::config_option("proxy", "is not a proxy URL (http://host:port)"))?;
    // The proxy itself speaks HTTP/1.1 (a CONNECT or a forwarded request), also over TLS.
    // With HTTP/1.1 only, hyper-rustls offers no ALPN protocol at all.
    let to_proxy = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls.clone())
        .https_or_http()
        .enable_http1()
        .wrap_connector(tcp.clone());
    Ok(connect::Proxy {
        uri: intercept.uri().clone(),
        auth: intercept.basic_auth().cloned(),
        to_proxy,
    })
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
            .map_err(|_| Error::config_option("app_code", "is not a valid header value"))?,
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
/// The base URL's `host[:port]` for messages, without any `user:password@`.
pub(crate) fn host_of(config: &Config) -> &str {
    let s = config
        .base_url
        .split("://")
        .nth(1)
        .unwrap_or(&config.base_url);
    let authority = s.split('/').next().unwrap_or(s);
    authority.rsplit('@').next().unwrap_or(authority)
}

/// Sends one request and classifies the result.
pub(crate) async fn exchange(
    http: &Http,
    config: &Config,
    urls: &Urls,
    params: &[(&str, String)],
    deadline: Instant,
    at: &Attempt<'_>,
) -> Result<Reply> {
    let endpoint = at.endpoint;
    let (mut headers, body) = encode(config, params)?;
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
    headers.insert(USER_AGENT, http.user_agent.clone());
    if let Some(auth) = &http.forward_auth {
        headers.insert(PROXY_AUTHORIZATION, auth.clone());
    }
    let mut request;
    if endpoint.is_get() {
        let uri = format!("{}?{body}", urls.get(endpoint))
            .parse::<Uri>()
            .map_err(|e| Error::config(format!("the request URL is not usable: {e}")))?;
        headers.remove(CONTENT_TYPE);
        request = Request::new(Full::new(Bytes::new()));
        *request.method_mut() = Method::GET;
        *request.uri_mut() = uri;
    } else {
        request = Request::new(Full::new(Bytes::from(body)));
        *request.method_mut() = Method::POST;
        *request.uri_mut() = urls.get(endpoint).clone();
    }
    *request.headers_mut() = headers;
    if let Some(flag) = at.sent {
        flag.store(true, Ordering::Relaxed);
    }
    let no_answer = || format!("no answer within {}", human(remaining));
    let resp = match tokio::time::timeout_at(deadline, http.client.request(request)).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            let what = describe(&e, e.is_connect());
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
        Err(_) => {
            return Ok(Reply {
                exchange: Exchange::Lost(no_answer()),
                http_status: None,
                body: None,
            });
        }
    };
    let (head, incoming) = resp.into_parts();
    let status = head.status.as_u16();
    let retry_after = head
        .headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let cut_off = match tokio::time::timeout_at(deadline, incoming.collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) => Err(describe(&e, false)),
        Err(_) => Err(no_answer()),
    };
    let bytes = match cut_off {
        Ok(b) => b,
        Err(what) => {
            return Ok(Reply {
                exchange: Exchange::Lost(format!("the answer was cut off: {what}")),
                http_status: Some(status),
                body: None,
            });
        }
    };
    if status == 200 && endpoint == Endpoint::TradeBill && bytes.starts_with(b"PK") {
        return Ok(Reply {
            body: at
                .emit
                .wants_body()
                .then(|| format!("(a zip file of {} bytes)", bytes.len())),
            exchange: Exchange::File(bytes),
            http_status: Some(status),
        });
    }
    let body = at.emit.wants_body().then(|| loggable_body(&bytes));
    let exchange = match status {
        200 => match fields::parse_body(&bytes) {
            Ok(body) => Exchange::Answer(body),
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
/// the endpoint and host): the innermost cause, which is the one that says what happened.
fn describe(e: &(dyn std::error::Error + 'static), connecting: bool) -> String {
    let mut root = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        root = s.to_string();
        src = s.source();
    }
    if connecting {
        format!("could not connect ({root})")
    } else {
        format!("the connection failed ({root})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::config::ClientBuilder;

    fn config(base: &str, proxy: Option<&str>) -> Config {
        let mut b = ClientBuilder::new()
            .credentials("APP", "abcd1234")
            .base_url(base);
        if let Some(p) = proxy {
            b = b.proxy(p);
        }
        b.into_config().unwrap()
    }

    #[test]
    fn builds_every_route_and_keeps_proxy_credentials_out_of_debug() {
        // Direct, TLS to QFPay through a TLS proxy (a tunnel), and a forwarding HTTP proxy:
        // none may panic while the connectors are put together.
        let direct = http_client(&config("https://openapi.qfpay.com", None)).unwrap();
        assert!(direct.forward_auth.is_none());
        let tunnel = http_client(&config(
            "https://openapi.qfpay.com",
            Some("https://u%40x:p%3Ass@proxy.example:8443"),
        ))
        .unwrap();
        // A tunnel carries the credentials in its CONNECT request, not in every request.
        assert!(tunnel.forward_auth.is_none());
        let forward = http_client(&config(
            "http://test-openapi-hk.qfapi.com",
            Some("http://u%40x:p%3Ass@proxy.example:3128"),
        ))
        .unwrap();
        // "u@x:p:ss", percent-decoded, in Basic form.
        assert_eq!(forward.forward_auth.as_ref().unwrap(), "Basic dUB4OnA6c3M=");
        for h in [direct, tunnel, forward] {
            let shown = format!("{h:?}");
            assert!(
                !shown.contains("dUB4") && !shown.contains("p%3Ass"),
                "{shown}"
            );
        }
    }

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
