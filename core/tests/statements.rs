//! Statements over real HTTP against the sandbox: the trade bill's zip and entries, the legacy
//! settlement query typed, and the trade bill refused on QFPay's test hosts before sending.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use qfpay::{Currency, Environment, Money, PaymentRequest, RefundRequest, SettlementRequest};
use qfpay_sandbox::{Sandbox, SandboxConfig};

#[tokio::test]
async fn the_days_trade_bill_and_settlements() {
    let sb = Sandbox::start(SandboxConfig {
        rate_limit: None,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let c = sb.client_builder().max_retries(0).build().unwrap();
    let p = c
        .create_payment(PaymentRequest::wechat_qr(Money::new(1000, Currency::HKD)))
        .await
        .unwrap();
    sb.pay(&p.syssn).unwrap();
    c.refund(RefundRequest::new(
        p.syssn.clone(),
        Money::new(400, Currency::HKD),
    ))
    .await
    .unwrap();
    let day = &p.sysdtm[..10];
    let bill = c.download_trade_bill(day).await.unwrap();
    assert_eq!(bill.trade_date, day);
    assert!(bill.content.starts_with(b"PK"));
    let names: Vec<&str> = bill.entries.iter().map(|e| e.name.as_str()).collect();
    let wechat = names
        .iter()
        .find(|n| n.ends_with("_wechat.csv"))
        .unwrap_or_else(|| panic!("{names:?}"));
    let text = String::from_utf8(bill.stored_entry(wechat).unwrap()).unwrap();
    assert!(text.contains(&p.syssn), "{text}");
    assert!(bill.entries.iter().all(|e| e.size > 0));
    let json = serde_json::to_value(&bill).unwrap();
    assert!(
        json["content"].as_str().unwrap().starts_with("UEsD"),
        "base64 of PK\\x03"
    );

    let ymd = day.replace('-', "");
    let s = c
        .settlements(SettlementRequest::new(ymd.clone(), ymd.clone()))
        .await
        .unwrap();
    let hkd = s.data.iter().find(|r| r.currency == "HKD").unwrap();
    assert_eq!(
        (hkd.pay_amt, hkd.refund_amt, hkd.pay_net_amt),
        (1000, 400, 600)
    );
    assert_eq!(hkd.settlement_amt, hkd.pay_net_amt - hkd.chnl_poundage_amt);
    assert_eq!(hkd.paymethod, "微信");
    let mut alipay = SettlementRequest::new(ymd.clone(), ymd);
    alipay.paymethod = Some("alipay".into());
    assert!(c.settlements(alipay).await.unwrap().data.is_empty());

    // Refused before sending: bad input, and QFPay's test hosts.
    let before = sb.request_count();
    let e = c.download_trade_bill("2026-13-01").await.unwrap_err();
    assert_eq!((e.code(), e.field()), ("validation", Some("trade_date")));
    let mut bad = SettlementRequest::new("20260102", "20260101");
    assert_eq!(
        c.settlements(bad.clone()).await.unwrap_err().field(),
        Some("date_start")
    );
    bad.date_start = "20260101".into();
    bad.paymethod = Some("card".into());
    assert_eq!(
        c.settlements(bad).await.unwrap_err().field(),
        Some("paymethod")
    );
    assert_eq!(sb.request_count(), before, "nothing sent");
    let test_host = qfpay::Client::builder()
        .app_code("A")
        .client_key("K")
        .environment(Environment::LiveTest)
        .build()
        .unwrap();
    let e = test_host.download_trade_bill(day).await.unwrap_err();
    assert_eq!(e.code(), "config");
    assert!(e.to_string().contains("production only"), "{e}");
}
