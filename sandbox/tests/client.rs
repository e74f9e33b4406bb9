//! The core SDK's async client against the sandbox: the whole story and each error path.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use qfpay::{
    CancelRequest, Client, Currency, Money, PayType, PaymentRequest, QueryRequest, RefundRequest,
    TransactionState, Wait,
};
use qfpay_sandbox::Fault;
use std::time::Duration;

fn client(sb: &qfpay_sandbox::Sandbox) -> Client {
    Client::builder()
        .base_url(sb.base_url())
        .credentials(APP, KEY)
        .timeout(Duration::from_secs(5))
        .reconcile_timeout(Duration::from_secs(3))
        .build()
        .unwrap()
}

fn hkd(n: i64) -> Money {
    Money::new(n, Currency::HKD)
}

#[tokio::test]
async fn pay_scan_wait_refund_query() {
    let sb = sandbox().await;
    let c = client(&sb);
    let p = c
        .create_payment(PaymentRequest::wechat_qr(hkd(300)).goods_name("Coffee"))
        .await
        .unwrap();
    assert!(
        p.qrcode
            .as_deref()
            .unwrap()
            .starts_with("weixin://wxpay/bizpayurl?pr=")
    );
    assert_eq!(p.syssn.len(), 26);
    sb.pay(&p.out_trade_no).unwrap();
    let paid = c
        .wait_for_payment(&p.out_trade_no, Wait::up_to(Duration::from_secs(5)))
        .await
        .unwrap();
    assert_eq!(paid.state, TransactionState::Succeeded);
    let r = c
        .refund(RefundRequest::new(&paid.syssn, hkd(100)))
        .await
        .unwrap();
    assert_eq!(r.orig_syssn, paid.syssn);
    let t = c.find_payment(&p.out_trade_no).await.unwrap().unwrap();
    assert_eq!(t.state, TransactionState::PartiallyRefunded);
    let page = c.query(QueryRequest::by_syssn(&r.syssn)).await.unwrap();
    assert!(page.data[0].is_refund());
    let err = c
        .refund(RefundRequest::new(&paid.syssn, hkd(500)))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "refund_rejected", "{err}");
}

#[tokio::test]
async fn sha256_and_mchid_clients() {
    let sb = sandbox().await;
    let c = Client::builder()
        .base_url(sb.base_url())
        .credentials(MCH_APP, MCH_KEY)
        .mchid(MCHID)
        .sign_type(qfpay::SignType::Sha256)
        .build()
        .unwrap();
    let p = c
        .create_payment(PaymentRequest::wechat_qr(hkd(1001)))
        .await
        .unwrap();
    assert_eq!(
        c.find_payment(&p.out_trade_no)
            .await
            .unwrap()
            .unwrap()
            .state,
        TransactionState::Succeeded
    );
}

#[tokio::test]
async fn error_codes_map() {
    let sb = sandbox().await;
    let c = client(&sb);
    let e = c
        .create_payment(PaymentRequest::wechat_qr(hkd(1003)))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "declined", "{e}");
    let p = c
        .create_payment(PaymentRequest::wechat_qr(hkd(500)))
        .await
        .unwrap();
    let e = c
        .create_payment(PaymentRequest::wechat_qr(hkd(500)).out_trade_no(&p.out_trade_no))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "duplicate_order", "{e}");
    let bad = Client::builder()
        .base_url(sb.base_url())
        .credentials(APP, "WRONG")
        .build()
        .unwrap();
    let e = bad.query(QueryRequest::new()).await.unwrap_err();
    assert_eq!(e.code(), "auth", "{e}");
    let e = c
        .with_max_retries(0)
        .create_payment(PaymentRequest::wechat_qr(hkd(1007)))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "rate_limited", "{e}");
    let e = c
        .refund(RefundRequest::new("20200101000300000000000000", hkd(1)))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "order_state", "{e}");
}

#[tokio::test]
async fn close_and_reverse() {
    let sb = sandbox().await;
    let c = client(&sb);
    let p = c
        .create_payment(PaymentRequest::wechat_qr(hkd(500)))
        .await
        .unwrap();
    let closed = c
        .close(CancelRequest::by_out_trade_no(&p.out_trade_no, hkd(500)))
        .await
        .unwrap();
    assert_eq!(closed.orig_syssn, p.syssn);
    let t = c.find_payment(&p.out_trade_no).await.unwrap().unwrap();
    assert_eq!(t.state, TransactionState::Cancelled);
    let q = c
        .create_payment(PaymentRequest::wechat_qr(hkd(500)))
        .await
        .unwrap();
    c.reverse(CancelRequest::by_syssn(&q.syssn, hkd(500)))
        .await
        .unwrap();
    let paid = c
        .create_payment(PaymentRequest::wechat_qr(hkd(1001)))
        .await
        .unwrap();
    let e = c
        .close(CancelRequest::by_syssn(&paid.syssn, hkd(1001)))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "order_state", "{e}");
}

#[tokio::test]
async fn pending_and_unknown_outcomes_reconcile() {
    let sb = sandbox().await;
    let c = client(&sb);
    // 1002: pending, then paid while waiting.
    let p = c
        .create_payment(PaymentRequest::wechat_qr(hkd(1002)))
        .await
        .unwrap();
    let t = c
        .wait_for_payment(&p.out_trade_no, Wait::up_to(Duration::from_secs(10)))
        .await
        .unwrap();
    assert_eq!(t.state, TransactionState::Succeeded);
    // CPM answers lost in transit are recovered by querying the out_trade_no.
    let cpm = |amount| PaymentRequest::cpm(hkd(amount), PayType::WechatCpm, "134857900000000001");
    let slow = c.with_timeout(Duration::from_millis(500));
    let got = slow.create_payment(cpm(1005)).await;
    assert!(
        got.is_ok() || got.as_ref().is_err_and(|e| e.code() == "status_unknown"),
        "{got:?}"
    );
    let p = c.create_payment(cpm(1006)).await.unwrap();
    assert_eq!(p.syssn.len(), 26, "recovered after HTTP 500");
    sb.inject_fault(Fault::Drop, 1);
    let p = c.create_payment(cpm(500)).await.unwrap();
    assert_eq!(p.syssn.len(), 26, "recovered after a dropped connection");
    sb.inject_fault(Fault::Malformed, 1);
    let p = c.create_payment(cpm(500)).await.unwrap();
    assert_eq!(p.syssn.len(), 26, "recovered after a malformed answer");
    // An MPM order whose QR answer is lost cannot be shown: status unknown.
    let e = c
        .create_payment(PaymentRequest::wechat_qr(hkd(1004)))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "status_unknown", "{e}");
    // Queries are retried on 5xx.
    sb.inject_fault(Fault::HttpStatus(503), 1);
    c.query(QueryRequest::new()).await.unwrap();
}
