//! The dashboard at `/sandbox/`: one page (orders, an order, requests, faults and clock,
//! merchants) and the few read endpoints it needs beyond the control API, plus the
//! cross-site refusal every state-changing control call goes through.
//!
//! The page acts only through the existing control API (`/sandbox/pay`, `/sandbox/clock`,
//! `/sandbox/faults`, `/sandbox/reset`) and the checkout page's action endpoint; what it reads
//! here is `GET /sandbox/dashboard/orders` (every order as the page shows it),
//! `GET /sandbox/orders/<syssn>/qr.svg` (the order's QR code, rendered by [`qfpay::qr::svg`])
//! and `POST /sandbox/dashboard/key` (a merchant's client key, only when the tester asks).

use std::sync::Arc;

use axum::http::{HeaderMap, Method};
use serde_json::{Value, json};

use crate::app::{Answer, Shared};
use crate::pages::Routed;
use crate::state::{Order, Status, fmt_time, lock};

/// The dashboard page, served at `/sandbox/`.
const DASHBOARD_HTML: &str = include_str!("../assets/dashboard.html");
/// The dashboard script, served from `/sandbox/assets/dashboard.js`.
const DASHBOARD_JS: &str = include_str!("../assets/dashboard.js");

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .trim()
}

/// Whether an `Accept` header prefers HTML to JSON (a browser's navigation, not an SDK).
pub fn prefers_html(accept: &str) -> bool {
    let accept = accept.to_ascii_lowercase();
    match (accept.find("text/html"), accept.find("application/json")) {
        (Some(_), None) => true,
        (Some(h), Some(j)) => h < j,
        _ => false,
    }
}

/// Whether a request is a browser's page navigation: an `Accept` preferring HTML and a
/// navigation marker (`Sec-Fetch-Mode: navigate` or `Upgrade-Insecure-Requests`). Java's
/// default `Accept` also lists `text/html` first; it sends neither marker.
pub fn is_navigation(headers: &HeaderMap) -> bool {
    prefers_html(header(headers, "accept"))
        && (header(headers, "sec-fetch-mode") == "navigate"
            || !header(headers, "upgrade-insecure-requests").is_empty())
}

/// Refuses a state-changing control call sent by a browser from another site: 403 when
/// `Origin` names another origin, or, without `Origin`, when `Sec-Fetch-Site` says
/// `cross-site` or `same-site`. A request with neither (an SDK, curl) passes.
pub fn cross_site_refusal(base_url: &str, headers: &HeaderMap) -> Option<Answer> {
    let origin = header(headers, "origin");
    let refused = if origin.is_empty() {
        matches!(
            header(headers, "sec-fetch-site"),
            "cross-site" | "same-site"
        )
    } else {
        let localhost = base_url.replacen("127.0.0.1", "localhost", 1);
        origin != base_url && origin != localhost
    };
    refused.then(|| {
        Answer::json(
            403,
            &json!({"error": "cross-site request refused: only the sandbox's own pages, SDKs and tools without an Origin may change the sandbox"}),
        )
    })
}

/// A pay type's short name (`WeChat MPM / Native QR`), from the SDK's table or the legacy
/// codes (the label up to its first `:` or `;`); empty when unknown.
pub fn pay_type_name(code: &str) -> String {
    qfpay::PayType::LABELS
        .iter()
        .chain(qfpay::model::pay_type::LEGACY.iter())
        .find(|(c, _)| *c == code)
        .map(|(_, label)| {
            let short = label.split([':', ';']).next().unwrap_or(label);
            short.trim().trim_end_matches('.').to_owned()
        })
        .unwrap_or_default()
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Pending => "pending",
        Status::Paid => "paid",
        Status::Closed => "closed",
        Status::Reversed => "reversed",
        Status::Expired => "expired",
        Status::Failed => "declined",
    }
}

/// An order as the dashboard shows it: amounts in minor units and in major units (computed
/// with the currency's exponent), the pay type by name, times, the QR code and links.
pub fn order_json(o: &Order, app_code: &str, base_url: &str, now: chrono::NaiveDateTime) -> Value {
    let exponent = qfpay::Currency::parse(&o.txcurrcd)
        .map(|c| c.exponent())
        .ok();
    let pending = o.status == Status::Pending;
    let expires_in = o
        .expires
        .filter(|_| pending)
        .map(|e| (e - now).num_seconds().max(0) + 1);
    json!({
        "kind": if o.is_refund { "refund" } else { "payment" },
        "syssn": o.syssn,
        "out_trade_no": o.out_trade_no,
        "txamt": o.txamt,
        "amount": crate::pay_params::major_units(o.txamt, &o.txcurrcd),
        "currency": o.txcurrcd,
        "exponent": exponent,
        "pay_type": o.pay_type,
        "pay_type_name": pay_type_name(&o.pay_type),
        "state": o.state(),
        "status": status_name(o.status),
        "goods_name": o.goods_name,
        "note": o.note,
        "created": fmt_time(o.created),
        "paid": (o.status == Status::Paid).then(|| o.paydtm.clone()),
        "expires": o.expires.map(fmt_time),
        "expires_in_seconds": expires_in,
        "app_code": app_code,
        "qrcode": o.qrcode,
        "checkout_url": (!o.is_refund).then(|| format!("{base_url}/sandbox/checkout/{}", o.syssn)),
        "orig_syssn": o.origssn,
        "refunded": o.refunded,
        "notify_url": o.notify_url,
        "record": o.record(),
    })
}

impl Shared {
    /// Every order of every merchant as [`order_json`] shows it, newest first.
    pub fn dashboard_orders(&self) -> Value {
        let now = self.clock.now();
        let mut out: Vec<(chrono::NaiveDateTime, Value)> = Vec::new();
        for m in &self.merchants {
            let mut book = lock(&m.book);
            let book = &mut *book;
            for key in &book.sequence {
                if let Some(o) = book.orders.get_mut(key) {
                    o.refresh(now);
                    out.push((
                        o.created,
                        order_json(o, &m.merchant.app_code, &self.base_url, now),
                    ));
                }
            }
        }
        out.reverse();
        out.sort_by_key(|o| std::cmp::Reverse(o.0));
        json!({
            "now": fmt_time(now),
            "count": out.len(),
            "orders": out.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
        })
    }

    /// The QR code of the order with this `syssn` (any merchant), if it has one.
    fn qrcode_of(&self, syssn: &str) -> Option<String> {
        self.merchants.iter().find_map(|m| {
            lock(&m.book)
                .orders
                .get(syssn)
                .and_then(|o| o.qrcode.clone())
        })
    }

    /// `GET /sandbox/orders/<syssn>/qr.svg`.
    fn qr_svg(&self, syssn: &str) -> Answer {
        let Some(code) = self.qrcode_of(syssn) else {
            return Answer::json(
                404,
                &json!({"error": "no order with this syssn has a qrcode"}),
            );
        };
        match qfpay::qr::svg(&code) {
            Ok(svg) => {
                let mut a = Answer::text(200, svg);
                a.content_type = "image/svg+xml";
                a.headers
                    .push(("content-security-policy", crate::pages::CSP.to_owned()));
                a.headers
                    .push(("x-content-type-options", "nosniff".to_owned()));
                a.headers.push(("cache-control", "no-store".to_owned()));
                a
            }
            Err(e) => Answer::json(500, &json!({"error": e.to_string()})),
        }
    }

    /// `POST /sandbox/dashboard/key` `{"app_code": ...}`: the merchant's client key, for the
    /// Merchants panel's "Show" button.
    fn client_key(&self, body: &[u8]) -> Answer {
        let app_code = serde_json::from_slice::<Value>(body)
            .ok()
            .and_then(|v| v.get("app_code").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_default();
        match self.merchant_by_app_code(&app_code) {
            Some((_, m)) => Answer::json(
                200,
                &json!({"app_code": app_code, "client_key": m.merchant.client_key}),
            ),
            None => Answer::json(404, &json!({"error": "no merchant has this app_code"})),
        }
    }
}

fn page(body: &'static str, content_type: &'static str) -> Answer {
    let mut a = Answer::text(200, body);
    a.content_type = content_type;
    crate::pages::with_page_headers(a)
}

/// Routes the dashboard's own paths; `None` for every other path.
pub fn route(
    shared: &Arc<Shared>,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
) -> Option<Routed> {
    let get = method == Method::GET || method == Method::HEAD;
    let done = |a: Answer| Some(Routed::Done(a));
    match path {
        "/sandbox/" | "/sandbox/index.html" if get => {
            done(page(DASHBOARD_HTML, "text/html; charset=utf-8"))
        }
        "/sandbox" if get && is_navigation(headers) => {
            let mut a = Answer::text(303, "");
            a.headers.push(("location", "/sandbox/".to_owned()));
            done(a)
        }
        "/sandbox/assets/dashboard.js" if get => {
            done(page(DASHBOARD_JS, "text/javascript; charset=utf-8"))
        }
        "/sandbox/dashboard/orders" if get => done(Answer::json(200, &shared.dashboard_orders())),
        "/sandbox/dashboard/key" => {
            if method != Method::POST {
                return done(Answer::json(405, &json!({"error": "use POST"})));
            }
            let json_body = header(headers, "content-type")
                .to_ascii_lowercase()
                .starts_with("application/json");
            if !json_body {
                return done(Answer::json(
                    415,
                    &json!({"error": "send a JSON body (Content-Type: application/json)"}),
                ));
            }
            if let Some(a) = cross_site_refusal(&shared.base_url, headers) {
                return done(a);
            }
            Some(Routed::WithBody(Box::new(|s, b| s.client_key(b))))
        }
        _ => {
            let syssn = path
                .strip_prefix("/sandbox/orders/")?
                .strip_suffix("/qr.svg")?;
            if !get {
                return done(Answer::json(405, &json!({"error": "use GET"})));
            }
            done(shared.qr_svg(syssn))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_preferred_only_when_asked_for() {
        assert!(prefers_html(
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        ));
        assert!(!prefers_html("application/json"));
        assert!(!prefers_html("*/*"));
        assert!(!prefers_html(""));
        assert!(!prefers_html("application/json, text/html"));
    }

    #[test]
    fn cross_site_requests_are_refused() {
        let base = "http://127.0.0.1:9";
        let with = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, axum::http::HeaderValue::from_static(v));
            }
            cross_site_refusal(base, &h).map(|a| a.status)
        };
        assert_eq!(with(&[]), None);
        assert_eq!(with(&[("origin", "http://127.0.0.1:9")]), None);
        assert_eq!(with(&[("origin", "http://localhost:9")]), None);
        assert_eq!(with(&[("origin", "http://evil.example")]), Some(403));
        assert_eq!(with(&[("origin", "null")]), Some(403));
        assert_eq!(with(&[("sec-fetch-site", "cross-site")]), Some(403));
        assert_eq!(with(&[("sec-fetch-site", "same-origin")]), None);
    }

    #[test]
    fn pay_types_have_names() {
        assert_eq!(pay_type_name("800201"), "WeChat MPM / Native QR");
        assert_eq!(
            pay_type_name("800101"),
            "Alipay MPM in store (overseas merchants)"
        );
        assert!(pay_type_name("804101").contains("Maybank"));
        assert_eq!(pay_type_name("999999"), "");
    }
}
