//! The HTTP control API under `/sandbox/`: pay, faults, requests, notifications, orders,
//! reset, health, and the clock.

use std::sync::Arc;

use axum::http::Method;
use serde_json::{Value, json};

use crate::SandboxError;
use crate::app::{Answer, Shared};
use crate::faults::Fault;

fn bad(status: u16, msg: impl Into<String>) -> Answer {
    Answer::json(status, &json!({"error": msg.into()}))
}

fn body_json(body: &[u8]) -> Result<Value, Answer> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(bad(400, "the body must be a JSON object")),
    }
}

/// Handles one control request.
pub fn handle(shared: &Arc<Shared>, method: &Method, path: &str, body: &[u8]) -> Answer {
    let route = path.trim_end_matches('/');
    let result = match (method.as_str(), route) {
        ("GET", "/sandbox/health") | ("GET", "/sandbox") => Ok(Answer::json(
            200,
            &json!({
                "status": "ok",
                "base_url": shared.base_url,
                "merchants": shared.merchants.iter().map(|m| json!({
                    "app_code": m.merchant.app_code,
                    "mchid": m.merchant.mchid,
                    "notify_url": m.merchant.notify_url,
                })).collect::<Vec<_>>(),
                "rate_limit": shared.config.rate_limit.map(|r| json!({"per_second": r.per_second, "per_minute": r.per_minute})),
                "notify_time_scale": shared.config.notify_time_scale,
                "pending_queries": shared.config.pending_queries,
                "slow_response_ms": shared.config.slow_response.as_millis(),
                "max_connections": shared.server.max_connections,
                "strict_pay_types": shared.strict_pay_types(),
                "refund_rules": shared.refund_rules().to_json(),
                "settlement_fee_bps": shared.settlement_fee_bps(),
            }),
        )),
        ("POST", "/sandbox/pay") => pay(shared, body),
        ("POST", "/sandbox/faults") => faults(shared, body),
        ("DELETE", "/sandbox/faults") => {
            shared.faults.clear();
            Ok(Answer::json(200, &json!({"ok": true})))
        }
        ("GET", "/sandbox/requests") => Ok(Answer::json(
            200,
            &json!({"request_count": shared.log.count(), "requests": shared.log.entries()}),
        )),
        ("GET", "/sandbox/orders") => {
            let orders = shared.orders();
            Ok(Answer::json(
                200,
                &json!({"count": orders.len(), "orders": orders}),
            ))
        }
        ("GET", "/sandbox/notifications") => Ok(Answer::json(
            200,
            &json!({"notifications": shared.notifier.list()}),
        )),
        ("POST", "/sandbox/reset") => {
            shared.reset();
            Ok(Answer::json(200, &json!({"ok": true})))
        }
        ("POST", "/sandbox/clock") => clock(shared, body),
        ("POST", "/sandbox/config") => set_config(shared, body),
        ("POST", "/sandbox/seed") => seed(shared, body),
        (
            _,
            "/sandbox/health"
            | "/sandbox/pay"
            | "/sandbox/faults"
            | "/sandbox/requests"
            | "/sandbox/notifications"
            | "/sandbox/orders"
            | "/sandbox/reset"
            | "/sandbox/clock"
            | "/sandbox/config"
            | "/sandbox/seed",
        ) => Err(bad(405, format!("method {method} not allowed on {route}"))),
        _ => Err(bad(404, format!("unknown control path {route}"))),
    };
    match result {
        Ok(a) | Err(a) => a,
    }
}

fn pay(shared: &Arc<Shared>, body: &[u8]) -> Result<Answer, Answer> {
    let v = body_json(body)?;
    let id = ["syssn", "out_trade_no"]
        .iter()
        .find_map(|k| v.get(*k).and_then(Value::as_str).filter(|s| !s.is_empty()))
        .ok_or_else(|| bad(400, "send {\"syssn\": ...} or {\"out_trade_no\": ...}"))?;
    let app_code = v.get("app_code").and_then(Value::as_str);
    match shared.pay(id, app_code) {
        Ok(record) => Ok(Answer::json(200, &record)),
        Err(e @ SandboxError::NotFound(_)) => Err(bad(404, e.to_string())),
        Err(e) => Err(bad(409, e.to_string())),
    }
}

fn faults(shared: &Arc<Shared>, body: &[u8]) -> Result<Answer, Answer> {
    let v = body_json(body)?;
    let fault = Fault::from_json(&v).map_err(|e| bad(400, e))?;
    let count = match v.get("count") {
        None => 1,
        Some(c) => c
            .as_u64()
            .and_then(|c| u32::try_from(c).ok())
            .ok_or_else(|| bad(400, "\"count\" must be a non-negative integer"))?,
    };
    let kind = fault.kind();
    shared.faults.push(fault, count);
    Ok(Answer::json(
        200,
        &json!({"ok": true, "kind": kind, "count": count}),
    ))
}

fn clock(shared: &Arc<Shared>, body: &[u8]) -> Result<Answer, Answer> {
    let v = body_json(body)?;
    let usage = || {
        bad(
            400,
            format!(
                "send {{\"advance_seconds\": N}} with N a whole number of seconds; the clock stays within {} seconds (100 years) of real time",
                crate::state::MAX_CLOCK_OFFSET_SECONDS
            ),
        )
    };
    let n = v.get("advance_seconds").ok_or_else(usage)?;
    let secs = match (n.as_i64(), n.as_f64()) {
        (Some(i), _) => i,
        // 1e3 or 60.0: a whole number written as a float; anything else is refused.
        (None, Some(f))
            if f.is_finite()
                && f.fract() == 0.0
                && f.abs() <= crate::state::MAX_CLOCK_OFFSET_SECONDS as f64 * 2.0 =>
        {
            f as i64
        }
        _ => return Err(usage()),
    };
    shared
        .clock
        .try_advance_seconds(secs)
        .map_err(|e| bad(400, e))?;
    Ok(Answer::json(
        200,
        &json!({"ok": true, "now": crate::state::fmt_time(shared.clock.now())}),
    ))
}

fn set_config(shared: &Arc<Shared>, body: &[u8]) -> Result<Answer, Answer> {
    let v = body_json(body)?;
    let Some(obj) = v.as_object() else {
        return Err(bad(400, "the body must be a JSON object"));
    };
    // Everything is checked before anything changes.
    let mut strict = None;
    let mut rules = None;
    let mut fee_bps = None;
    for (k, val) in obj {
        match (k.as_str(), val) {
            ("strict_pay_types", Value::Bool(b)) => strict = Some(*b),
            ("strict_pay_types", _) => {
                return Err(bad(400, "\"strict_pay_types\" must be true or false"));
            }
            ("refund_rules", v) => {
                let mut r = shared.refund_rules();
                r.apply_json(v).map_err(|e| bad(400, e))?;
                rules = Some(r);
            }
            ("settlement_fee_bps", v) => {
                fee_bps = Some(
                    v.as_u64()
                        .and_then(|n| u32::try_from(n).ok())
                        .filter(|n| *n <= 10_000)
                        .ok_or_else(|| {
                            bad(
                                400,
                                "\"settlement_fee_bps\" must be an integer from 0 to 10000",
                            )
                        })?,
                );
            }
            (other, _) => {
                return Err(bad(
                    400,
                    format!(
                        "unknown setting {other:?}; settable: strict_pay_types, refund_rules, settlement_fee_bps"
                    ),
                ));
            }
        }
    }
    if let Some(b) = strict {
        shared
            .strict_pay_types
            .store(b, std::sync::atomic::Ordering::Relaxed);
    }
    if let Some(r) = rules {
        *crate::state::lock(&shared.refund_rules) = r;
    }
    if let Some(n) = fee_bps {
        shared
            .settlement_fee_bps
            .store(n, std::sync::atomic::Ordering::Relaxed);
    }
    Ok(Answer::json(
        200,
        &json!({
            "ok": true,
            "strict_pay_types": shared.strict_pay_types(),
            "refund_rules": shared.refund_rules().to_json(),
            "settlement_fee_bps": shared.settlement_fee_bps(),
        }),
    ))
}

fn seed(shared: &Arc<Shared>, body: &[u8]) -> Result<Answer, Answer> {
    let v = body_json(body)?;
    let req = crate::seed::SeedRequest::from_json(&v).map_err(|e| bad(400, e))?;
    match shared.seed(&req) {
        Ok(summary) => Ok(Answer::json(200, &summary)),
        Err(e @ SandboxError::NotFound(_)) => Err(bad(404, e.to_string())),
        Err(e) => Err(bad(409, e.to_string())),
    }
}
