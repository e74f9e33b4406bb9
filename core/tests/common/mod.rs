//! Helpers shared by the integration tests: loading vectors and building requests from them.
#![allow(dead_code)]

use std::path::PathBuf;

use qfpay::{
    CancelRequest, Currency, Error, ExtendInfo, Money, PayType, PaymentRequest, QueryRequest,
    RefundRequest,
};
use serde_json::Value;

/// The cases of `tests/vectors/<file>`.
pub fn cases(file: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).unwrap();
    let cases = doc["cases"].as_array().unwrap().clone();
    assert!(!cases.is_empty(), "{file} has no cases");
    cases
}

fn s(p: &Value, k: &str) -> Option<String> {
    p.get(k).and_then(Value::as_str).map(str::to_owned)
}

fn list(p: &Value, k: &str) -> Vec<String> {
    p.get(k)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn money(p: &Value) -> Result<Money, Error> {
    let currency = Currency::parse(&s(p, "txcurrcd").unwrap_or_default())?;
    Ok(Money::new(p["txamt"].as_i64().unwrap(), currency))
}

/// A vector operation, ready to run.
#[allow(clippy::large_enum_variant)]
pub enum Op {
    Payment(PaymentRequest),
    Query(QueryRequest),
    Refund(RefundRequest),
    Close(CancelRequest),
    Reverse(CancelRequest),
}

impl Op {
    /// Checks the request's rules without sending anything.
    pub fn validate(&self) -> Result<(), Error> {
        match self {
            Op::Payment(r) => r.validate(),
            Op::Query(r) => r.validate(),
            Op::Refund(r) => r.validate(),
            Op::Close(r) | Op::Reverse(r) => r.validate(),
        }
    }
}

/// Builds the request of a vector case (`operation` + `params`/`request`).
pub fn op(operation: &str, p: &Value) -> Result<Op, Error> {
    Ok(match operation {
        "payment" => {
            let mut r = PaymentRequest::new(
                money(p)?,
                PayType::from_code(&s(p, "pay_type").unwrap_or_default()),
            );
            r.out_trade_no = s(p, "out_trade_no");
            r.txdtm = s(p, "txdtm");
            r.auth_code = s(p, "auth_code");
            r.expired_time = p
                .get("expired_time")
                .and_then(Value::as_u64)
                .map(|v| v as u32);
            r.goods_name = s(p, "goods_name");
            r.mchid = s(p, "mchid");
            r.udid = s(p, "udid");
            r.notify_url = s(p, "notify_url");
            r.return_url = s(p, "return_url");
            r.rmb_tag = s(p, "rmb_tag");
            r.sub_openid = s(p, "sub_openid");
            r.openid = s(p, "openid");
            r.seller_id = s(p, "seller_id");
            r.failed_url = s(p, "failed_url");
            r.cancel_url = s(p, "cancel_url");
            if let Some(Value::Object(extra)) = p.get("extra_params") {
                r.extra = extra
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                    .collect();
            }
            if let Some(e) = p.get("extend_info") {
                r.extend_info = Some(ExtendInfo::real_name(
                    e["user_creid"].as_str().unwrap_or_default(),
                    e["user_truename"].as_str().unwrap_or_default(),
                ));
            }
            Op::Payment(r)
        }
        "query" => Op::Query(QueryRequest {
            syssn: list(p, "syssn"),
            out_trade_no: list(p, "out_trade_no"),
            pay_type: list(p, "pay_type")
                .iter()
                .map(|c| PayType::from_code(c))
                .collect(),
            respcd: s(p, "respcd"),
            start_time: s(p, "start_time"),
            end_time: s(p, "end_time"),
            page: p.get("page").and_then(Value::as_u64).map(|v| v as u32),
            page_size: p.get("page_size").and_then(Value::as_u64).map(|v| v as u32),
            mchid: s(p, "mchid"),
        }),
        "refund" => {
            let mut r = RefundRequest::new(s(p, "syssn").unwrap_or_default(), money(p)?);
            r.out_trade_no = s(p, "out_trade_no");
            r.txdtm = s(p, "txdtm");
            Op::Refund(r)
        }
        "close" | "reverse" => {
            let r = CancelRequest {
                syssn: s(p, "syssn"),
                out_trade_no: s(p, "out_trade_no"),
                amount: money(p)?,
                txdtm: s(p, "txdtm"),
                mchid: s(p, "mchid"),
                udid: s(p, "udid"),
            };
            if operation == "close" {
                Op::Close(r)
            } else {
                Op::Reverse(r)
            }
        }
        other => panic!("unknown operation {other}"),
    })
}
