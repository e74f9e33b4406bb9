//! Reconciliation over real HTTP against the sandbox: a ledger built from what was sold, then
//! changed so that every kind of difference appears once; duplicates named by
//! `other_payments`; a `1269` refusal carrying the amount still refundable.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use qfpay::reconcile::{DiscrepancyKind, Ledger, LedgerEntry, LedgerState};
use qfpay::{Currency, Money, PaymentRequest, QueryRequest, ReconcileRequest, RefundRequest};
use qfpay_sandbox::seed::SeedRequest;
use qfpay_sandbox::{RefundRules, Sandbox, SandboxConfig};

async fn sandbox() -> (Sandbox, qfpay::Client) {
    let sb = Sandbox::start(SandboxConfig {
        rate_limit: None,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let c = sb.client_builder().max_retries(0).build().unwrap();
    (sb, c)
}

fn seed(orders: u64, from: &str, to: &str, refunds: u64, duplicates: u64) -> SeedRequest {
    let mut s = SeedRequest::new(orders);
    s.from = Some(from.parse().unwrap());
    s.to = Some(to.parse().unwrap());
    s.refunds = qfpay_sandbox::seed::Refunds::Count(refunds);
    s.duplicates = duplicates;
    s.seed = Some(7);
    s
}

#[tokio::test]
async fn every_kind_of_difference_between_a_ledger_and_the_sandbox() {
    let (sb, c) = sandbox().await;
    sb.seed(&seed(30, "2026-01-05", "2026-02-20", 3, 1))
        .unwrap();
    let (from, to) = ("2026-01-01 00:00:00", "2026-02-28 23:59:59");
    // The ledger a merchant would hold: every paid order, refunded ones marked so.
    let mut walk = c
        .transactions(from, to, QueryRequest::new())
        .unwrap()
        .min_interval(Duration::ZERO);
    let (mut entries, mut refunded, mut dup) = (Vec::<LedgerEntry>::new(), Vec::new(), None);
    let mut by_syssn = std::collections::HashMap::new();
    while let Some(t) = walk.next().await {
        let t = t.unwrap();
        if t.is_refund() {
            refunded.push((t.origssn.clone().unwrap(), t.txamt));
            continue;
        }
        by_syssn.insert(t.syssn.clone(), t.out_trade_no.clone());
        if entries.iter().any(|e| e.out_trade_no == t.out_trade_no) {
            dup = Some(t.out_trade_no.clone());
            continue;
        }
        entries.push(LedgerEntry::paid(&t.out_trade_no, t.txamt, &t.txcurrcd));
    }
    for (orig, amount) in &refunded {
        let no = &by_syssn[orig];
        let e = entries.iter_mut().find(|e| &e.out_trade_no == no).unwrap();
        e.state = LedgerState::Refunded;
        e.refunded = Some(e.refunded.unwrap_or(0) + amount);
    }
    let dup = dup.expect("seeding made a duplicate");
    let clean = c
        .reconcile(ReconcileRequest {
            min_interval: Duration::ZERO,
            ..ReconcileRequest::new(Ledger::new(entries.clone()).unwrap(), from, to)
        })
        .await
        .unwrap();
    let only_dup: Vec<_> = clean.discrepancies.iter().map(|d| d.kind).collect();
    assert_eq!(
        only_dup,
        [DiscrepancyKind::DuplicatePayments],
        "{:?}",
        clean.discrepancies
    );
    assert_eq!(clean.discrepancies[0].out_trade_no, dup);

    // Now change the ledger so each difference appears once.
    let pick = |i: usize| entries[i].out_trade_no.clone();
    let plain: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].state == LedgerState::Paid && entries[i].out_trade_no != dup)
        .collect();
    let refunded_one = entries
        .iter()
        .position(|e| e.state == LedgerState::Refunded)
        .unwrap();
    let (dropped, short, foreign, unpaid, unknown_refund) = (
        pick(plain[0]),
        pick(plain[1]),
        pick(plain[2]),
        pick(plain[3]),
        pick(refunded_one),
    );
    entries[plain[1]].amount += 1;
    entries[plain[2]].currency = "USD".into();
    entries[plain[3]].state = LedgerState::Unpaid;
    entries[refunded_one].state = LedgerState::Paid;
    entries[refunded_one].refunded = None;
    entries.remove(plain[0]);
    entries.push(LedgerEntry::paid("NEVER-SOLD-1", 500, "HKD"));
    // And a payment QFPay holds unpaid for an hour of its two (sandbox clock one hour back).
    sb.advance_clock(-3600);
    let mut slow = PaymentRequest::wechat_qr(Money::new(990, Currency::HKD));
    slow.expired_time = Some(120);
    let stuck = c.create_payment(slow).await.unwrap();
    sb.advance_clock(3600);
    let to_now = format!("{} 23:59:59", &stuck.sysdtm[..10]);
    let stuck_no = stuck.out_trade_no.clone();
    entries.push(LedgerEntry::paid(&stuck_no, 990, "HKD"));
    // Ledger as CSV, the form merchants export.
    let mut csv = String::from("out_trade_no,amount,currency,state,refunded\n");
    for e in &entries {
        csv.push_str(&format!(
            "{},{},{},{},{}\n",
            e.out_trade_no,
            e.amount,
            e.currency,
            e.state.as_str(),
            e.refunded.map(|r| r.to_string()).unwrap_or_default()
        ));
    }
    let report = c
        .reconcile(ReconcileRequest {
            min_interval: Duration::ZERO,
            ..ReconcileRequest::new(Ledger::from_csv(&csv).unwrap(), from, to_now.as_str())
        })
        .await
        .unwrap();
    let found: Vec<(DiscrepancyKind, &str)> = report
        .discrepancies
        .iter()
        .map(|d| (d.kind, d.out_trade_no.as_str()))
        .collect();
    let mut want = vec![
        (DiscrepancyKind::MissingAtQfpay, "NEVER-SOLD-1"),
        (DiscrepancyKind::MissingAtQfpay, stuck_no.as_str()),
        (DiscrepancyKind::MissingInLedger, dropped.as_str()),
        (DiscrepancyKind::AmountMismatch, short.as_str()),
        (DiscrepancyKind::CurrencyMismatch, foreign.as_str()),
        (DiscrepancyKind::DuplicatePayments, dup.as_str()),
        (DiscrepancyKind::PendingTooLong, stuck_no.as_str()),
        (DiscrepancyKind::UnknownRefund, unknown_refund.as_str()),
        (DiscrepancyKind::StateMismatch, unpaid.as_str()),
    ];
    want.sort();
    assert_eq!(found, want, "{}", report.summary());
    // Net per day and currency adds up to the seeded totals.
    let paid: i64 = report.net.iter().map(|n| n.paid).sum();
    let back: i64 = report.net.iter().map(|n| n.refunded).sum();
    assert_eq!(paid - back, report.net.iter().map(|n| n.net).sum::<i64>());
    assert!(report.requests >= 12, "month windows from January to now");
    assert!(report.to_csv().lines().count() == want.len() + 1);
}

#[tokio::test]
async fn find_payment_names_the_other_payments_under_one_number() {
    let (sb, c) = sandbox().await;
    let summary = sb.seed(&seed(6, "2026-03-01", "2026-03-02", 0, 2)).unwrap();
    let mut dups = Vec::new();
    let mut walk = c
        .transactions(
            "2026-03-01 00:00:00",
            "2026-03-02 23:59:59",
            QueryRequest::new(),
        )
        .unwrap()
        .min_interval(Duration::ZERO);
    let mut seen = std::collections::HashMap::<String, usize>::new();
    while let Some(t) = walk.next().await {
        *seen.entry(t.unwrap().out_trade_no).or_default() += 1;
    }
    for (no, n) in seen {
        if n > 1 {
            dups.push((no, n));
        }
    }
    assert_eq!(dups.len() as u64, summary["duplicates"].as_u64().unwrap());
    for (no, n) in dups {
        let t = c.find_payment(&no).await.unwrap().unwrap();
        assert!(t.is_paid());
        assert_eq!(t.other_payments.len(), n - 1, "{no}");
        assert!(!t.other_payments.contains(&t.syssn));
        let waited = c
            .wait_for_payment(&no, qfpay::Wait::default())
            .await
            .unwrap();
        assert_eq!(waited.other_payments.len(), n - 1);
        // Paying again under the number: the error's existing order names the others too.
        let mut again = PaymentRequest::wechat_qr(Money::new(100, Currency::HKD));
        again.out_trade_no = Some(no.clone());
        let e = c.create_payment(again).await.unwrap_err();
        assert_eq!(e.code(), "duplicate_order");
        let existing = e.existing().unwrap();
        assert_eq!(existing.other_payments.len(), n - 1);
        assert!(
            e.to_string()
                .contains(&format!("it holds {} more under the same number", n - 1)),
            "{e}"
        );
    }
    // A single payment names none.
    let p = c
        .create_payment(PaymentRequest::wechat_qr(Money::new(100, Currency::HKD)))
        .await
        .unwrap();
    let one = c.find_payment(&p.out_trade_no).await.unwrap().unwrap();
    assert!(one.other_payments.is_empty());
}

#[tokio::test]
async fn a_refund_beyond_the_days_unsettled_amount_says_what_is_available() {
    let (sb, c) = sandbox().await;
    sb.set_refund_rules(RefundRules {
        daily_unsettled: true,
        ..RefundRules::default()
    });
    let pay = |amount| {
        let c = c.clone();
        let sb = &sb;
        async move {
            let p = c
                .create_payment(PaymentRequest::wechat_qr(Money::new(amount, Currency::HKD)))
                .await
                .unwrap();
            sb.pay(&p.syssn).unwrap();
            p
        }
    };
    // Yesterday's payment of 3.00; today only 1.00 taken, 0.20 of it refunded.
    let p = pay(300).await;
    sb.advance_clock(86_400);
    let today = pay(100).await;
    c.refund(RefundRequest::new(
        today.syssn.clone(),
        Money::new(20, Currency::HKD),
    ))
    .await
    .unwrap();
    let e = c
        .refund(RefundRequest::new(
            p.syssn.clone(),
            Money::new(250, Currency::HKD),
        ))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "refund_rejected", "{e}");
    assert_eq!(e.respcd(), Some("1269"));
    assert_eq!(e.available(), Some(80), "{e}");
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["available"], 80);
    // Within what is available, it goes through.
    c.refund(RefundRequest::new(p.syssn, Money::new(80, Currency::HKD)))
        .await
        .unwrap();
}
