//! `tests/vectors/results.json`: raw QFPay answers and the typed results they must give,
//! computed values included (the same file runs in every language's suite).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use qfpay::surface::{Lang, Request};
use qfpay::{Client, Currency, Money, PayType, PaymentRequest, QueryRequest};
use qfpay_sandbox::{Fault, Sandbox, SandboxConfig};
use serde_json::Value;

/// A result as the core describes it (its `Serialize`: every field and computed value).
fn view(result: &impl serde::Serialize) -> Value {
    serde_json::to_value(result).unwrap()
}

/// Each expected field equals the result's.
fn check(name: &str, got: &Value, expect: &Value) {
    for (k, v) in expect.as_object().unwrap() {
        assert_eq!(got.get(k), Some(v), "{name}: {k} (got {got})");
    }
}

/// `got` holds everything `expect` says, at every depth: an object's expected fields (others
/// may be there too), a list's items one by one (the same number), a value equal.
fn contains(name: &str, got: &Value, expect: &Value) {
    match expect {
        Value::Object(fields) => {
            for (k, v) in fields {
                let at = got
                    .get(k)
                    .unwrap_or_else(|| panic!("{name}: no {k} in {got}"));
                contains(&format!("{name}.{k}"), at, v);
            }
        }
        Value::Array(items) => {
            let got_items = got
                .as_array()
                .unwrap_or_else(|| panic!("{name}: not a list: {got}"));
            assert_eq!(got_items.len(), items.len(), "{name}: {got}");
            for (i, (g, e)) in got_items.iter().zip(items).enumerate() {
                contains(&format!("{name}[{i}]"), g, e);
            }
        }
        _ => assert_eq!(got, expect, "{name}"),
    }
}

#[tokio::test]
async fn results_mean_the_same_in_every_language() {
    let sb = Sandbox::start(SandboxConfig {
        rate_limit: None,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let m = sb.merchant();
    let c = Client::builder()
        .base_url(sb.base_url())
        .credentials(m.app_code.clone(), m.client_key.clone())
        .max_retries(0)
        .reconcile_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let canned = |body: &str| {
        sb.inject_fault(
            Fault::Canned {
                status: 200,
                body: body.to_owned(),
            },
            1,
        );
    };
    let cases = common::cases("results.json");
    let mut kinds = std::collections::BTreeSet::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let expect = &case["expect"];
        let kind = case["kind"].as_str().unwrap();
        kinds.insert(kind);
        match kind {
            "transaction" => {
                canned(case["answer"].as_str().unwrap());
                let page = c
                    .query(QueryRequest::by_syssn(case["syssn"].as_str().unwrap()))
                    .await
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(page.data.len(), 1, "{name}");
                check(name, &view(&page.data[0]), expect);
            }
            "notification" => {
                let n = qfpay::notify::verify(
                    case["body"].as_str().unwrap().as_bytes(),
                    case["signature"].as_str().unwrap(),
                    case["key"].as_str().unwrap(),
                )
                .unwrap_or_else(|e| panic!("{name}: {e}"));
                check(name, &view(&n), expect);
            }
            "duplicate_order" => {
                for answer in case["answers"].as_array().unwrap() {
                    canned(answer.as_str().unwrap());
                }
                let r = &case["request"];
                let req = PaymentRequest::new(
                    Money::new(
                        r["txamt"].as_i64().unwrap(),
                        Currency::parse(r["txcurrcd"].as_str().unwrap()).unwrap(),
                    ),
                    PayType::from_code(r["pay_type"].as_str().unwrap()),
                )
                .out_trade_no(r["out_trade_no"].as_str().unwrap());
                let e = c.create_payment(req).await.unwrap_err();
                assert_eq!(e.code(), expect["error_code"], "{name}: {e}");
                assert_eq!(e.respcd(), expect["respcd"].as_str(), "{name}");
                assert_eq!(e.out_trade_no(), expect["out_trade_no"].as_str(), "{name}");
                let existing = e
                    .existing()
                    .unwrap_or_else(|| panic!("{name}: no existing"));
                check(name, &view(existing), &expect["existing"]);
            }
            "payment" => {
                canned(case["answer"].as_str().unwrap());
                // The request by the surface's names, through the one applier.
                let mut args = case["request"].as_object().unwrap().clone();
                let amount = args.remove("txamt").unwrap();
                let currency = args.remove("txcurrcd").unwrap();
                args.insert("amount".into(), amount);
                args.insert("currency".into(), currency);
                let op = qfpay::surface::operation("create_payment").unwrap();
                let Request::Payment(req) =
                    qfpay::surface::apply::request(Lang::Rust, op, Value::Object(args).into())
                        .unwrap_or_else(|e| panic!("{name}: {e}"))
                else {
                    panic!("{name}: not a payment")
                };
                let p = c
                    .create_payment(req)
                    .await
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                check(name, &view(&p), expect);
            }
            "reconcile" => {
                canned(case["answer"].as_str().unwrap());
                let ledger = qfpay::reconcile::Ledger::from_csv(case["ledger"].as_str().unwrap())
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                let mut req = qfpay::ReconcileRequest::new(
                    ledger,
                    case["start_time"].as_str().unwrap(),
                    case["end_time"].as_str().unwrap(),
                );
                req.min_interval = Duration::ZERO;
                let report = c
                    .reconcile(req)
                    .await
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                contains(name, &view(&report), expect);
            }
            "note" => {
                canned(case["answer"].as_str().unwrap());
                let added = c
                    .add_note(qfpay::NoteRequest::new(
                        case["syssn"].as_str().unwrap(),
                        case["note"].as_str().unwrap(),
                    ))
                    .await
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                check(name, &view(&added), expect);
            }
            other => panic!("{name}: unknown kind {other}"),
        }
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            "duplicate_order",
            "note",
            "notification",
            "payment",
            "reconcile",
            "transaction"
        ]
    );
}
