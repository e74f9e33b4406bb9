//! A small fault soak: faults injected into about 20% of requests, 32 payments in flight, 300
//! payments, then every outcome checked against what the sandbox holds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use qfpay::{Client, Currency, Money, PayType, PaymentRequest, TransactionState};
use qfpay_sandbox::{Fault, Sandbox, SandboxConfig};
use tokio::sync::Semaphore;

const PAYMENTS: i64 = 300;
const IN_FLIGHT: usize = 32;

enum Outcome {
    Paid {
        out_trade_no: String,
        txamt: i64,
    },
    Unknown {
        out_trade_no: String,
        txamt: i64,
    },
    Failed {
        out_trade_no: String,
        code: &'static str,
    },
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_soak_loses_doubles_and_misstates_nothing() {
    let started = Instant::now();
    let sb = Arc::new(
        Sandbox::start(SandboxConfig {
            rate_limit: None,
            ..SandboxConfig::default()
        })
        .await
        .unwrap(),
    );
    let m = sb.merchant();
    let client = Client::builder()
        .base_url(sb.base_url())
        .credentials(m.app_code.clone(), m.client_key.clone())
        .timeout(Duration::from_millis(400))
        .reconcile_timeout(Duration::from_secs(3))
        .retry_delay(Duration::from_millis(10), Duration::from_millis(100))
        .build()
        .unwrap();
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut tasks = tokio::task::JoinSet::new();
    let mut faults = 0;
    for i in 0..PAYMENTS {
        // Amounts 2000.. are no scenario amounts, and each one names its payment.
        let txamt = 2000 + i;
        if rand::random::<f64>() < 0.2 {
            faults += 1;
            let fault = match i % 4 {
                0 => Fault::Drop,
                1 => Fault::HttpStatus(500),
                2 => Fault::Delay(Duration::from_millis(600)),
                _ => Fault::Malformed,
            };
            sb.inject_fault(fault, 1);
        }
        let permit = gate.clone().acquire_owned().await.unwrap();
        let c = client.clone();
        tasks.spawn(async move {
            let req = PaymentRequest::cpm(
                Money::new(txamt, Currency::HKD),
                PayType::WechatCpm,
                "134567890123456789",
            );
            let r = c.create_payment(req).await;
            drop(permit);
            match r {
                Ok(p) => {
                    assert_eq!(p.txamt, txamt, "a payment answered with another amount");
                    Outcome::Paid {
                        out_trade_no: p.out_trade_no,
                        txamt,
                    }
                }
                Err(e) => {
                    let out_trade_no = e
                        .out_trade_no()
                        .unwrap_or_else(|| panic!("an error without its order: {e}"))
                        .to_owned();
                    assert!(e.to_string().contains(&out_trade_no), "{e}");
                    if e.code() == "status_unknown" {
                        eprintln!("unknown: {e}");
                        Outcome::Unknown {
                            out_trade_no,
                            txamt,
                        }
                    } else {
                        Outcome::Failed {
                            out_trade_no,
                            code: e.code(),
                        }
                    }
                }
            }
        });
    }
    let mut outcomes = Vec::new();
    while let Some(o) = tasks.join_next().await {
        outcomes.push(o.unwrap());
    }
    assert_eq!(outcomes.len() as i64, PAYMENTS);
    assert!(faults > 20, "faults were injected ({faults})");

    // What the sandbox holds, by out_trade_no, read with a patient client (faults still queued
    // are used up by its retries).
    let checker = client
        .with_timeout(Duration::from_secs(5))
        .with_max_retries(5);
    let mut held: HashMap<String, (i64, TransactionState)> = HashMap::new();
    let mut known = HashSet::new();
    let (mut paid, mut unknown, mut failed) = (0, 0, 0);
    for o in &outcomes {
        let (out_trade_no, expect) = match o {
            Outcome::Paid {
                out_trade_no,
                txamt,
            } => {
                paid += 1;
                (out_trade_no, Some(*txamt))
            }
            Outcome::Unknown {
                out_trade_no,
                txamt,
            } => {
                unknown += 1;
                (out_trade_no, Some(*txamt))
            }
            Outcome::Failed { out_trade_no, code } => {
                failed += 1;
                eprintln!("failed: {out_trade_no} {code}");
                (out_trade_no, None)
            }
        };
        assert!(
            known.insert(out_trade_no.clone()),
            "one number for two payments"
        );
        let mut found = None;
        for _ in 0..5 {
            match checker
                .query(qfpay::QueryRequest::by_out_trade_no(out_trade_no.as_str()))
                .await
            {
                Ok(page) => {
                    found = Some(page.data);
                    break;
                }
                Err(_) => continue,
            }
        }
        let records = found.expect("the checking query succeeded");
        let payments: Vec<_> = records
            .iter()
            .filter(|t| &t.out_trade_no == out_trade_no && !t.is_refund())
            .collect();
        assert!(payments.len() <= 1, "doubled: {out_trade_no}");
        if let Some(t) = payments.first() {
            held.insert(out_trade_no.clone(), (t.txamt, t.state));
        }
        match (o, payments.first(), expect) {
            (Outcome::Paid { .. }, None, _) => {
                panic!("lost: {out_trade_no} was paid but is not held")
            }
            (Outcome::Paid { .. }, Some(t), _) => {
                assert_eq!(t.state, TransactionState::Succeeded, "{out_trade_no}")
            }
            (_, Some(t), Some(a)) => assert_eq!(t.txamt, a, "wrong amount for {out_trade_no}"),
            _ => {}
        }
    }
    // Nothing was created under a number no caller knows (a payment sent twice under two
    // numbers would show up here).
    let sent: HashSet<String> = sb
        .requests()
        .iter()
        .filter(|r| r["path"] == "/trade/v1/payment")
        .filter_map(|r| {
            let body = r["body"].as_str()?.to_owned();
            form_urlencoded::parse(body.as_bytes())
                .find(|(k, _)| k == "out_trade_no")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    assert!(
        sent.is_subset(&known),
        "a payment was sent under a number no caller was given"
    );
    for (n, (amount, _)) in &held {
        assert!(known.contains(n) && *amount >= 2000);
    }
    eprintln!(
        "soak: {PAYMENTS} payments, {faults} faults, {paid} paid, {unknown} status unknown, {failed} failed, {} ms",
        started.elapsed().as_millis()
    );
    assert!(paid > PAYMENTS * 7 / 10, "most payments succeed ({paid})");
}
