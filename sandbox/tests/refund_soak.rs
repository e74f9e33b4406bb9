//! A fault soak of refunds through the SDK (`qfpay::Client`) with the pending-refund rule
//! on: dropped connections, answers slower than the client's timeout and HTTP 5xx injected at
//! random. Asserts no double refund and that every uncertain outcome is reconciled.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use qfpay::model::query::QueryRequest;
use qfpay::model::refund::RefundRequest;
use qfpay::{Currency, Error, Money};
use qfpay_sandbox::Fault;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const PAYMENT: i64 = 10_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refunds_under_faults_never_double_and_always_reconcile() {
    let sb = sandbox_with(|c| c.refund_rules.pending_queries = 2).await;
    let client = sb
        .client_builder()
        .timeout(Duration::from_millis(200))
        .reconcile_timeout(Duration::from_millis(200))
        .retry_base_delay(Duration::from_millis(5))
        .retry_max_delay(Duration::from_millis(50))
        .max_retries(2)
        .build()
        .unwrap();
    let mut payments = Vec::new();
    for _ in 0..12 {
        let v = pay_req(&sb, &PAYMENT.to_string(), "800208").await;
        assert_eq!(s(&v, "respcd"), "0000", "{v}");
        payments.push(s(&v, "syssn"));
    }
    let seed = std::env::var("QFPAY_SOAK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_207u64);
    let mut rng = StdRng::seed_from_u64(seed);
    // Per payment: what the SDK reported done.
    let mut done: HashMap<String, i64> = HashMap::new();
    // (out_trade_no, payment, amount) whose outcome the SDK could not tell.
    let mut unknown: Vec<(String, String, i64)> = Vec::new();
    let (mut faults, mut refused) = (0u32, 0u32);
    for i in 0..80 {
        let payment = payments[rng.random_range(0..payments.len())].clone();
        let amount = rng.random_range(1..=2_500i64);
        let fault = match rng.random_range(0..10) {
            0 | 1 => Some(Fault::Drop),
            2 | 3 => Some(Fault::Delay(Duration::from_millis(350))),
            4 => Some(Fault::HttpStatus(502)),
            5 => Some(Fault::HttpStatus(503)),
            _ => None,
        };
        if let Some(f) = fault {
            faults += 1;
            sb.inject_fault(f, 1);
        }
        let otn = format!("SOAK{seed}-{i:03}");
        let req = RefundRequest::new(payment.clone(), Money::new(amount, Currency::HKD))
            .out_trade_no(otn.clone());
        match client.refund(req).await {
            Ok(r) => {
                assert_eq!(r.out_trade_no, otn);
                assert_eq!(r.txamt, amount);
                *done.entry(payment).or_default() += amount;
            }
            Err(Error::StatusUnknown { out_trade_no, .. }) => {
                assert_eq!(
                    out_trade_no, otn,
                    "status_unknown names the refund's number"
                );
                unknown.push((otn, payment, amount));
            }
            Err(e) => {
                // A definite refusal: over the refundable amount, or closed when fully refunded.
                assert!(
                    matches!(e.respcd(), Some("1272" | "1264")),
                    "refund {otn}: unexpected {e:?}"
                );
                assert_eq!(e.out_trade_no(), Some(otn.as_str()));
                refused += 1;
            }
        }
    }
    // Every fault was taken by its refund; let a late delayed answer finish.
    tokio::time::sleep(Duration::from_millis(400)).await;

    // Reconcile every uncertain outcome by query (the pending rule needs a few), then retry
    // those QFPay never saw under the same number.
    let mut reconciled = 0u32;
    for (otn, payment, amount) in &unknown {
        let mut state = None;
        for _ in 0..6 {
            let page = client
                .query(QueryRequest::by_out_trade_no(otn.clone()))
                .await
                .unwrap();
            match page.data.iter().find(|t| &t.out_trade_no == otn) {
                Some(t) if t.respcd == "0000" => {
                    state = Some(true);
                    break;
                }
                Some(_) => continue,
                None => {
                    state = Some(false);
                    break;
                }
            }
        }
        let req = RefundRequest::new(payment.clone(), Money::new(*amount, Currency::HKD))
            .out_trade_no(otn.clone());
        match state {
            Some(true) => {
                *done.entry(payment.clone()).or_default() += amount;
                // Resending the same number creates nothing.
                let e = client.refund(req).await.unwrap_err();
                assert_eq!(e.respcd(), Some("1251"), "{otn}: {e:?}");
            }
            Some(false) => match client.refund(req).await {
                Ok(_) => *done.entry(payment.clone()).or_default() += amount,
                Err(e) => assert!(matches!(e.respcd(), Some("1272" | "1264")), "{otn}: {e:?}"),
            },
            None => panic!("refund {otn} still pending after 6 queries"),
        }
        reconciled += 1;
    }

    // The sandbox's book against what the SDK reported.
    let orders = sb.orders();
    let mut seen = HashSet::new();
    let mut booked: HashMap<String, i64> = HashMap::new();
    for o in orders.iter().filter(|o| o["kind"] == "refund") {
        assert!(
            seen.insert(s(o, "out_trade_no")),
            "two refunds for {}",
            o["out_trade_no"]
        );
        assert_eq!(o["state"], "succeeded", "{o}");
        *booked.entry(s(o, "orig_syssn")).or_default() += o["txamt"].as_i64().unwrap();
    }
    for p in &payments {
        let b = booked.get(p).copied().unwrap_or(0);
        assert!(b <= PAYMENT, "{p} refunded {b} of {PAYMENT}");
        assert_eq!(b, done.get(p).copied().unwrap_or(0), "payment {p}");
    }
    assert_eq!(reconciled as usize, unknown.len());
    assert!(faults >= 20, "the soak injected {faults} faults");
    eprintln!(
        "refund soak seed {seed}: 80 refunds, {faults} faults, {} uncertain (all reconciled), {refused} refused",
        unknown.len()
    );
}
