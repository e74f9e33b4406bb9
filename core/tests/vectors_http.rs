//! Runs the shared vectors that need a server: validation through the client (nothing may reach
//! the sandbox) and canned QFPay answers (what the client makes of each).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::Op;
use qfpay::{Client, Error};
use qfpay_sandbox::{Fault, Sandbox, SandboxConfig};
use serde_json::{Value, json};

async fn run(c: &Client, op: Op) -> Result<Value, Error> {
    Ok(match op {
        Op::Payment(r) => {
            let p = c.create_payment(r).await?;
            json!({"syssn": p.syssn, "qrcode": p.qrcode, "txamt": p.txamt, "txcurrcd": p.txcurrcd, "respcd": p.respcd,
                   "pay_type": p.pay_type.code(), "out_trade_no": p.out_trade_no, "udid": p.udid, "chnlsn": p.chnlsn,
                   "resperr": p.resperr})
        }
        Op::Query(r) => {
            let page = c.query(r).await?;
            let first = page.data.first().map(|t| {
                json!({"syssn": t.syssn, "txamt": t.txamt, "state": t.state.as_str(), "order_type": t.order_type,
                       "cancel": t.cancel, "respcd": t.respcd})
            });
            json!({"records": page.data.len(), "page": page.page, "page_size": page.page_size, "first": first})
        }
        Op::Refund(r) => {
            let x = c.refund(r).await?;
            json!({"syssn": x.syssn, "orig_syssn": x.orig_syssn, "txamt": x.txamt, "out_trade_no": x.out_trade_no})
        }
        Op::Close(r) => {
            let x = c.close(r).await?;
            json!({"syssn": x.syssn, "orig_syssn": x.orig_syssn, "txamt": x.txamt})
        }
        Op::Reverse(r) => {
            let x = c.reverse(r).await?;
            json!({"syssn": x.syssn, "orig_syssn": x.orig_syssn, "txamt": x.txamt})
        }
    })
}

fn client(sb: &Sandbox) -> Client {
    let m = sb.merchant();
    Client::builder()
        .base_url(sb.base_url())
        .credentials(m.app_code.clone(), m.client_key.clone())
        .max_retries(0)
        .reconcile_timeout(Duration::from_millis(300))
        .retry_delay(Duration::from_millis(20), Duration::from_millis(50))
        .build()
        .unwrap()
}

#[tokio::test]
async fn validation_vectors_through_the_client() {
    let sb = Sandbox::start(SandboxConfig {
        rate_limit: None,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let c = client(&sb);
    for case in common::cases("validation.json") {
        let name = case["name"].as_str().unwrap();
        let before = sb.request_count();
        let result = match common::op(case["operation"].as_str().unwrap(), &case["params"]) {
            Ok(op) => run(&c, op).await,
            Err(e) => Err(e),
        };
        if case["valid"].as_bool().unwrap() {
            if let Err(e) = &result {
                assert_ne!(e.code(), "validation", "{name}: {e}");
            }
        } else {
            let e = result.err().unwrap_or_else(|| panic!("{name}: accepted"));
            assert_eq!(
                (e.code(), e.field()),
                ("validation", case["field"].as_str()),
                "{name}: {e}"
            );
            assert_eq!(
                sb.request_count(),
                before,
                "{name}: a request reached the server"
            );
        }
    }
}

#[tokio::test]
async fn response_vectors() {
    let sb = Sandbox::start(SandboxConfig {
        rate_limit: None,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let c = client(&sb);
    for case in common::cases("responses.json") {
        let name = case["name"].as_str().unwrap();
        let op = common::op(case["operation"].as_str().unwrap(), &case["request"]).unwrap();
        let status = case["status"].as_u64().unwrap() as u16;
        sb.inject_fault(
            Fault::Canned {
                status,
                body: case["body"].as_str().unwrap().to_owned(),
            },
            1,
        );
        let result = run(&c, op).await;
        let expect = &case["expect"];
        if expect["ok"].as_bool().unwrap() {
            let got = result.unwrap_or_else(|e| panic!("{name}: {e}"));
            for (field, want) in expect["fields"].as_object().unwrap() {
                if field == "first" {
                    for (f, w) in want.as_object().unwrap() {
                        assert_eq!(&got["first"][f], w, "{name}: first.{f}");
                    }
                } else {
                    assert_eq!(&got[field], want, "{name}: {field}");
                }
            }
        } else {
            let e = result.err().unwrap_or_else(|| panic!("{name}: succeeded"));
            assert_eq!(
                e.code(),
                expect["error_code"].as_str().unwrap(),
                "{name}: {e}"
            );
            if let Some(respcd) = expect.get("respcd") {
                assert_eq!(e.respcd(), respcd.as_str(), "{name}: {e}");
            }
        }
    }
}
