//! Hosted checkout (`/checkstand/#/?…&sign=…`): the page's script posts the link's query text
//! to `POST /checkstand/session`, which reads it with [`qfpay::checkout::parse`], finds the
//! merchant by `appcode`, checks the signature with [`qfpay::checkout::diagnose`] and opens
//! (or finds again) the order the link describes.

use std::sync::Arc;

use chrono::{NaiveDateTime, TimeDelta};
use qfpay::checkout::CheckoutExpiry;
use serde_json::{Value, json};

use crate::app::{Answer, Shared};
use crate::pages::{is_http_url, order_view};
use crate::state::{Order, lock};

/// How long a checkout stays open when the link says nothing (`checkout_expired_time`).
pub const DEFAULT_CHECKOUT_MINUTES: i64 = 30;

fn refused(code: &str, reason: impl Into<String>) -> Answer {
    Answer::json(
        200,
        &json!({"ok": false, "error": code, "reason": reason.into()}),
    )
}

/// When a checkout opened `now` closes, from its `checkout_expired_time` (minutes from the
/// first open, or an instant in Unix milliseconds), in sandbox time (UTC+8).
pub fn checkout_deadline(value: Option<&str>, now: NaiveDateTime) -> Result<NaiveDateTime, String> {
    let Some(v) = value.filter(|v| !v.is_empty()) else {
        return Ok(now + TimeDelta::minutes(DEFAULT_CHECKOUT_MINUTES));
    };
    match CheckoutExpiry::parse("checkout_expired_time", v) {
        Ok(CheckoutExpiry::Minutes(m)) => Ok(now + TimeDelta::minutes(i64::from(m))),
        Ok(CheckoutExpiry::AtMillis(ms)) => chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| t.naive_utc() + TimeDelta::hours(8))
            .ok_or_else(|| "checkout_expired_time is out of range".to_owned()),
        Err(e) => Err(e.to_string()),
    }
}

impl Shared {
    /// `POST /checkstand/session` with `{"query": "<the link's query text>"}`.
    pub fn checkstand_session(self: &Arc<Self>, body: &[u8]) -> Answer {
        let query = match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(o)) => match o.get("query") {
                Some(Value::String(q)) => q.clone(),
                _ => return refused("400", "send {\"query\": \"…\"}"),
            },
            _ => return refused("400", "the body must be a JSON object"),
        };
        let query = query.trim_start_matches('#').trim_start_matches('/');
        let query = query.strip_prefix('?').unwrap_or(query);
        let link = match qfpay::checkout::parse(&format!("?{query}")) {
            Ok(l) => l,
            Err(e) => {
                return refused(
                    "QFSign_Error",
                    format!("QFSign_Error: the link cannot be read: {e}"),
                );
            }
        };
        let get = |name: &str| -> &str {
            link.params
                .iter()
                .find(|(k, _)| k == name)
                .map_or("", |(_, v)| v.as_str())
        };
        let app_code = get("appcode");
        let Some((_, m)) = self.merchant_by_app_code(app_code) else {
            return refused(
                "QFSign_Error",
                if app_code.is_empty() {
                    "QFSign_Error: the link has no appcode".to_owned()
                } else {
                    format!("QFSign_Error: no merchant has appcode {app_code:?}")
                },
            );
        };
        if let Some(reason) = qfpay::checkout::diagnose(&link, &m.merchant.client_key) {
            return refused("QFSign_Error", reason);
        }
        // Signed by the merchant: now the values themselves.
        let bad = |field: &str, rule: &str| refused("1104", format!("{field} {rule}"));
        if !get("paysource").ends_with("_checkout") {
            return bad("paysource", "must end in _checkout");
        }
        let txamt = match get("txamt").parse::<i64>() {
            Ok(v) if v > 0 && v <= qfpay::model::money::MAX_AMOUNT => v,
            _ => return bad("txamt", "must be a positive whole number of minor units"),
        };
        let txcurrcd = get("txcurrcd");
        if qfpay::Currency::parse(txcurrcd).is_err() {
            return bad("txcurrcd", "is not a supported currency");
        }
        let out_trade_no = get("out_trade_no");
        if out_trade_no.is_empty() || out_trade_no.chars().count() > 128 {
            return bad("out_trade_no", "must be 1 to 128 characters");
        }
        let mut urls: [Option<String>; 4] = [None, None, None, None];
        for (slot, field) in
            urls.iter_mut()
                .zip(["return_url", "failed_url", "cancel_url", "notify_url"])
        {
            let v = get(field);
            if v.is_empty() {
                continue;
            }
            if v.len() > 512 || !is_http_url(v) {
                return bad(field, "must be an http(s) URL of at most 512 characters");
            }
            *slot = Some(v.to_owned());
        }
        let [return_url, failed_url, cancel_url, notify_url] = urls;
        let sign = get("sign").to_ascii_lowercase();
        let now = self.clock.now();
        let deadline = match checkout_deadline(Some(get("checkout_expired_time")), now) {
            Ok(d) => d,
            Err(e) => return refused("1104", e),
        };
        let mut book = lock(&m.book);
        if let Some(key) = book.by_out_trade_no.get(out_trade_no).cloned() {
            let Some(existing) = book.orders.get_mut(&key) else {
                return refused("500", "the order book is inconsistent");
            };
            if existing.checkout_sign.as_deref() != Some(sign.as_str()) {
                return refused(
                    "1251",
                    "Do not use duplicate out_trade_no for request(1251): another order already uses this out_trade_no",
                );
            }
            existing.refresh(now);
            return Answer::json(200, &json!({"ok": true, "order": order_view(existing)}));
        }
        let txdtm = match get("txdtm") {
            "" => crate::state::fmt_time(now),
            t => t.to_owned(),
        };
        let mut order = Order::payment(now, out_trade_no, "", txamt, txcurrcd, &txdtm);
        order.expires = Some(deadline);
        order.goods_name = get("goods_name").to_owned();
        order.udid = get("udid").to_owned();
        order.notify_url = notify_url;
        order.return_url = return_url;
        order.failed_url = failed_url;
        order.cancel_url = cancel_url;
        order.checkout_sign = Some(sign);
        order.refresh(now);
        let view = order_view(&order);
        book.insert(order);
        Answer::json(200, &json!({"ok": true, "order": view}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines() {
        let now = crate::state::Clock::default().now();
        assert_eq!(
            checkout_deadline(None, now).ok(),
            Some(now + TimeDelta::minutes(30))
        );
        assert_eq!(
            checkout_deadline(Some("12"), now).ok(),
            Some(now + TimeDelta::minutes(12))
        );
        let at = checkout_deadline(Some("1700000000000"), now).ok();
        assert_eq!(
            at.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string()),
            Some("2023-11-15 06:13:20".to_owned())
        );
        assert!(checkout_deadline(Some("12345"), now).is_err());
    }
}
