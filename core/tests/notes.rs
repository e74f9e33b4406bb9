//! `add_note` over real HTTP against the sandbox: the note kept on the order, the app code sent
//! as the signed `code` field, an `mchid` client refused before sending, a note checked first.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use qfpay::{Currency, Money, NoteRequest, PaymentRequest};
use qfpay_sandbox::config::Merchant;
use qfpay_sandbox::{Sandbox, SandboxConfig};

#[tokio::test]
async fn a_note_is_kept_on_the_order_and_a_later_one_replaces_it() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let c = sb.client().unwrap();
    let p = c
        .create_payment(PaymentRequest::wechat_qr(Money::new(300, Currency::HKD)))
        .await
        .unwrap();
    // Not paid yet: QFPay speaks of a completed transaction.
    let e = c
        .add_note(NoteRequest::new(&p.syssn, "too early"))
        .await
        .unwrap_err();
    assert_eq!(e.respcd(), Some("1261"), "{e}");
    sb.pay(&p.syssn).unwrap();
    let note = "禮物包裝 gift wrap, deliver Tuesday";
    let added = c.add_note(NoteRequest::new(&p.syssn, note)).await.unwrap();
    assert_eq!(added.syssn, p.syssn);
    assert_eq!(added.note, note);
    let order = |sb: &Sandbox| {
        sb.orders()
            .into_iter()
            .find(|o| o["syssn"] == p.syssn.as_str())
            .unwrap()
    };
    assert_eq!(order(&sb)["note"], note);
    // The app code went as the signed body field `code`.
    let log = sb.requests();
    let sent = log
        .iter()
        .rev()
        .find(|r| r["path"] == "/trade/v1/add_note")
        .unwrap();
    let body = sent["body"].as_str().unwrap();
    let code = form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned());
    assert_eq!(code.as_deref(), Some(sb.merchant().app_code.as_str()));
    c.add_note(NoteRequest::new(&p.syssn, "second"))
        .await
        .unwrap();
    assert_eq!(order(&sb)["note"], "second");
    // An unknown transaction.
    let e = c
        .add_note(NoteRequest::new("20990101000300020000000001", "x"))
        .await
        .unwrap_err();
    assert_eq!(e.respcd(), Some("1268"), "{e}");
}

#[tokio::test]
async fn a_bad_note_and_an_mchid_client_are_refused_before_sending() {
    let sb = Sandbox::start(SandboxConfig {
        merchants: vec![Merchant::new("AGENTAPP", "AGENTKEY").with_mchid("ZaMVg12345")],
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let agent = sb.client().unwrap();
    let e = agent
        .add_note(NoteRequest::new("20260101000300020000000001", "hello"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "config");
    assert!(e.to_string().contains("mchid"), "{e}");
    let plain = qfpay::Client::builder()
        .base_url(sb.base_url())
        .credentials("AGENTAPP", "AGENTKEY")
        .build()
        .unwrap();
    let e = plain
        .add_note(NoteRequest::new("2026", "x".repeat(201)))
        .await
        .unwrap_err();
    assert_eq!((e.code(), e.field()), ("validation", Some("note")));
    assert_eq!(sb.request_count(), 0);
    // Sent anyway (without the mchid), the sandbox refuses it as QFPay does.
    let e = plain
        .add_note(NoteRequest::new("20260101000300020000000001", "hello"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("mchid"), "{e}");
}
