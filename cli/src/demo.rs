//! `qfpay demo`: the whole story on an embedded sandbox, through the SDK.

use std::path::PathBuf;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use qfpay::{Client, Currency, Money, PaymentRequest, QueryRequest, RefundRequest, Wait};
use qfpay_sandbox::{Merchant, Sandbox, SandboxConfig};
use serde_json::json;
use tokio::sync::mpsc;

use crate::Failure;

struct Steps {
    json: bool,
    n: usize,
}

impl Steps {
    fn step(&mut self, title: &str, detail: serde_json::Value, lines: &[String]) {
        self.n += 1;
        if self.json {
            crate::output::line(&format!(
                "{}",
                json!({"step": self.n, "title": title, "detail": detail})
            ));
        } else {
            crate::output::line(&format!("\n{}. {title}", self.n));
            for l in lines {
                crate::output::line(&format!("   {l}"));
            }
        }
    }
}

fn other<E: std::fmt::Display>(what: &'static str) -> impl FnOnce(E) -> Failure {
    move |e| Failure::other(format!("{what}: {e}"))
}

/// Runs the demo; exits 0 when every step worked.
pub async fn run(out_dir: Option<PathBuf>, json: bool) -> Result<(), Failure> {
    let mut steps = Steps { json, n: 0 };

    // A webhook receiver that verifies each notification and forwards it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(other("cannot bind the webhook receiver"))?;
    let webhook = format!(
        "http://{}/qfpay/notify",
        listener.local_addr().map_err(other("webhook address"))?
    );
    let merchant = Merchant::default().with_notify_url(webhook.clone());
    let key = merchant.client_key.clone();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let receiver_key = key.clone();
    let app = Router::new().route(
        "/qfpay/notify",
        post(move |headers: HeaderMap, body: Bytes| {
            let tx = tx.clone();
            let key = receiver_key.clone();
            async move {
                let sig = headers
                    .get("x-qf-sign")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                match qfpay::notify::verify(&body, sig, &key) {
                    Ok(n) => {
                        let _ = tx.send((n, sig.to_owned(), body.len()));
                        (StatusCode::OK, qfpay::notify::ACK_BODY)
                    }
                    Err(_) => (StatusCode::BAD_REQUEST, "bad signature"),
                }
            }
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    let sandbox = Sandbox::start(SandboxConfig {
        merchants: vec![merchant.clone()],
        notify_time_scale: 0.01,
        ..SandboxConfig::default()
    })
    .await
    .map_err(other("cannot start the sandbox"))?;
    steps.step(
        "Started a local QFPay sandbox and a webhook receiver",
        json!({"base_url": sandbox.base_url(), "dashboard": crate::commands::dashboard_url(&sandbox.base_url()), "app_code": merchant.app_code, "webhook": webhook}),
        &[
            format!("sandbox:  {}", sandbox.base_url()),
            format!(
                "dashboard: {} (open it while the demo runs)",
                crate::commands::dashboard_url(&sandbox.base_url())
            ),
            format!("app code: {}", merchant.app_code),
            "key:      *** (the SDK signs every request with it)".into(),
            format!("webhook:  {webhook}"),
        ],
    );

    let client = Client::builder()
        .base_url(sandbox.base_url())
        .credentials(merchant.app_code.clone(), key.clone())
        .build()?;

    let payment = client
        .create_payment(
            PaymentRequest::wechat_qr(Money::new(300, Currency::HKD)).goods_name("Coffee"),
        )
        .await?;
    let qr = payment.qrcode.clone().unwrap_or_default();
    steps.step(
        "Created a WeChat Pay QR payment (pay_type 800201, HKD 3.00)",
        json!({"syssn": payment.syssn, "out_trade_no": payment.out_trade_no, "qrcode": qr, "respcd": payment.respcd}),
        &[
            format!("syssn:        {}", payment.syssn),
            format!("out_trade_no: {}", payment.out_trade_no),
            format!("qrcode:       {qr}"),
        ],
    );

    let dir = match out_dir {
        Some(d) => d,
        None => std::env::temp_dir().join(format!("qfpay-demo-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::other(format!("cannot create {}: {e}", dir.display())))?;
    let png_path = dir.join("qfpay-demo-qr.png");
    let svg_path = dir.join("qfpay-demo-qr.svg");
    std::fs::write(&png_path, qfpay::qr::png(&qr, 8)?)
        .map_err(|e| Failure::other(format!("cannot write {}: {e}", png_path.display())))?;
    std::fs::write(&svg_path, qfpay::qr::svg(&qr)?)
        .map_err(|e| Failure::other(format!("cannot write {}: {e}", svg_path.display())))?;
    let terminal = qfpay::qr::terminal(&qr)?;
    let mut lines: Vec<String> = vec!["Show this to the customer:".into()];
    lines.extend(terminal.lines().map(str::to_owned));
    lines.push(format!("PNG: {}", png_path.display()));
    lines.push(format!("SVG: {}", svg_path.display()));
    steps.step(
        "Rendered the QR code",
        json!({"png": png_path, "svg": svg_path}),
        &lines,
    );

    let before = client
        .find_payment(&payment.out_trade_no)
        .await?
        .map(|t| t.state);
    let record = sandbox
        .pay(&payment.out_trade_no)
        .map_err(other("the simulated scan failed"))?;
    steps.step(
        "The customer scanned and paid (simulated by the sandbox)",
        json!({"state_before": before.map(|s| s.as_str()), "record": record}),
        &[
            format!(
                "state before the scan: {}",
                before.map_or("unknown", |s| s.as_str())
            ),
            format!(
                "wallet transaction:    {}",
                record["chnlsn"].as_str().unwrap_or_default()
            ),
        ],
    );

    let (n, sig, len) = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .ok()
        .flatten()
        .ok_or_else(|| Failure::other("no payment notification arrived within 10 s"))?;
    steps.step(
        "Received the payment notification and verified its signature",
        json!({"notify_type": n.kind.as_str(), "syssn": n.syssn, "txamt": n.txamt, "x_qf_sign": sig}),
        &[
            format!("notify_type: {}  status: {}  amount: {} {}", n.kind.as_str(), n.status, n.txamt, n.txcurrcd),
            format!("X-QF-SIGN:   {sig} (MD5 of the {len}-byte raw body + key: valid)"),
            "answered:    200 SUCCESS".into(),
        ],
    );

    let paid = client
        .wait_for_payment(&payment.out_trade_no, Wait::up_to(Duration::from_secs(10)))
        .await?;
    steps.step(
        "Queried until paid",
        json!({"syssn": paid.syssn, "state": paid.state.as_str(), "respcd": paid.respcd}),
        &[format!(
            "state: {} (respcd {}, cancel {})",
            paid.state.as_str(),
            paid.respcd,
            paid.cancel
        )],
    );

    let refund = client
        .refund(RefundRequest::new(
            &paid.syssn,
            Money::new(100, Currency::HKD),
        ))
        .await?;
    let refund_note = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .ok()
        .flatten();
    let after = client.query(QueryRequest::by_syssn(&paid.syssn)).await?;
    let state = after.data.first().map_or("unknown", |t| t.state.as_str());
    steps.step(
        "Refunded HKD 1.00 of it",
        json!({"refund_syssn": refund.syssn, "orig_syssn": refund.orig_syssn, "payment_state": state, "refund_notification": refund_note.as_ref().map(|(n, _, _)| n.syssn.clone())}),
        &[
            format!("refund syssn:  {}", refund.syssn),
            format!("payment state: {state}"),
            format!(
                "refund notification: {}",
                refund_note.as_ref().map_or("not received".to_owned(), |(n, _, _)| format!("verified ({})", n.kind.as_str()))
            ),
        ],
    );
    if !json {
        crate::output::line(
            "\nDone. Point your own code at a sandbox with `qfpay sandbox` (see the README).",
        );
    }
    sandbox.shutdown();
    Ok(())
}
