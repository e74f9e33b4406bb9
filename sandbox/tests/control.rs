//! Faults and the HTTP control API.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use qfpay_sandbox::Fault;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

async fn control(
    sb: &qfpay_sandbox::Sandbox,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let url = format!("{}{}", sb.base_url(), path);
    let req = match method {
        "GET" => http().get(url),
        "DELETE" => http().delete(url),
        _ => http().post(url),
    };
    let req = match body {
        Some(b) => req
            .header("Content-Type", "application/json")
            .body(b.to_string()),
        None => req,
    };
    let r = req.send().await.unwrap();
    let st = r.status().as_u16();
    let t = r.text().await.unwrap();
    (st, serde_json::from_str(&t).unwrap_or(Value::String(t)))
}

async fn count_orders(sb: &qfpay_sandbox::Sandbox) -> usize {
    query(sb, &[("page_size", "100")]).await["data"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn delay_fault() {
    let sb = sandbox().await;
    sb.inject_fault(Fault::Delay(Duration::from_millis(300)), 1);
    let started = Instant::now();
    let v = pay_req(&sb, "500", "800201").await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(v["respcd"], "0000");
    let started = Instant::now();
    pay_req(&sb, "500", "800201").await;
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "only the next request"
    );
}

#[tokio::test]
async fn drop_fault_processes_then_closes() {
    let sb = sandbox().await;
    sb.inject_fault(Fault::Drop, 1);
    let otn = unique("DROP");
    let t = now();
    let p = [
        ("txamt", "500"),
        ("txcurrcd", "HKD"),
        ("pay_type", "800201"),
        ("out_trade_no", otn.as_str()),
        ("txdtm", t.as_str()),
    ];
    let sig = qfpay::sign::sign(&p, KEY, qfpay::SignType::Md5);
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(p)
        .finish();
    let r = http()
        .post(format!("{}/trade/v1/payment", sb.base_url()))
        .header("X-QF-APPCODE", APP)
        .header("X-QF-SIGN", sig)
        .body(body)
        .send()
        .await;
    assert!(r.is_err(), "no answer: {r:?}");
    let q = query(&sb, &[("out_trade_no", &otn)]).await;
    assert_eq!(q["data"].as_array().unwrap().len(), 1, "processed");
    assert_eq!(
        sb.requests()
            .iter()
            .filter(|r| r["fault"] == "drop")
            .count(),
        1
    );
}

#[tokio::test]
async fn http_status_and_canned_faults_do_not_process() {
    let sb = sandbox().await;
    sb.inject_fault(Fault::HttpStatus(503), 2);
    let (st, v) = call(&sb, "/trade/v1/payment", APP, KEY, &[("txamt", "1")]).await;
    assert_eq!(st, 503);
    assert_eq!(v, Value::String(String::new()));
    pay_req(&sb, "500", "800201").await;
    assert_eq!(count_orders(&sb).await, 0, "two requests were faulted");
    sb.inject_fault(
        Fault::Canned {
            status: 200,
            body: "{\"respcd\":\"1100\"}".into(),
        },
        1,
    );
    let (st, v) = call(&sb, "/trade/v1/query", APP, KEY, &[]).await;
    assert_eq!((st, v), (200, json!({"respcd": "1100"})));
    assert_eq!(pay_req(&sb, "500", "800201").await["respcd"], "0000");
}

#[tokio::test]
async fn malformed_fault_processes_and_garbles() {
    let sb = sandbox().await;
    sb.inject_fault(Fault::Malformed, 1);
    let v = pay_req(&sb, "500", "800201").await;
    assert!(v.is_string(), "not JSON: {v}");
    assert_eq!(count_orders(&sb).await, 1);
}

#[tokio::test]
async fn control_api_over_http() {
    let sb = sandbox().await;
    let (st, h) = control(&sb, "GET", "/sandbox/health", None).await;
    assert_eq!(st, 200);
    assert_eq!(h["status"], "ok");
    assert_eq!(h["merchants"][0]["app_code"], APP);
    assert!(h.to_string().find(KEY).is_none(), "no keys in health");

    // Faults over HTTP apply to /trade only.
    let (st, _) = control(
        &sb,
        "POST",
        "/sandbox/faults",
        Some(json!({"kind": "http_status", "status": 502, "count": 1})),
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(control(&sb, "GET", "/sandbox/health", None).await.0, 200);
    assert_eq!(call(&sb, "/trade/v1/query", APP, KEY, &[]).await.0, 502);
    let (st, _) = control(
        &sb,
        "POST",
        "/sandbox/faults",
        Some(json!({"kind": "delay", "ms": 200})),
    )
    .await;
    assert_eq!(st, 200);
    let started = Instant::now();
    call(&sb, "/trade/v1/query", APP, KEY, &[]).await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    for bad in [
        json!({"kind": "bogus"}),
        json!({"kind": "delay"}),
        json!({"kind": "http_status", "status": 5}),
    ] {
        assert_eq!(
            control(&sb, "POST", "/sandbox/faults", Some(bad)).await.0,
            400
        );
    }
    assert_eq!(
        control(
            &sb,
            "POST",
            "/sandbox/faults",
            Some(json!({"kind": "drop", "count": 3}))
        )
        .await
        .0,
        200
    );
    assert_eq!(control(&sb, "DELETE", "/sandbox/faults", None).await.0, 200);

    // Pay by out_trade_no and by syssn.
    let a = pay_req(&sb, "500", "800201").await;
    let (st, rec) = control(
        &sb,
        "POST",
        "/sandbox/pay",
        Some(json!({"out_trade_no": s(&a, "out_trade_no")})),
    )
    .await;
    assert_eq!(st, 200, "{rec}");
    assert_eq!(rec["respcd"], "0000");
    let b = pay_req(&sb, "500", "800201").await;
    let (st, rec) = control(
        &sb,
        "POST",
        "/sandbox/pay",
        Some(json!({"syssn": s(&b, "syssn")})),
    )
    .await;
    assert_eq!((st, rec["syssn"].clone()), (200, b["syssn"].clone()));
    assert_eq!(
        control(&sb, "POST", "/sandbox/pay", Some(json!({"syssn": "nope"})))
            .await
            .0,
        404
    );
    assert_eq!(
        control(&sb, "POST", "/sandbox/pay", Some(json!({})))
            .await
            .0,
        400
    );
    assert_eq!(control(&sb, "POST", "/sandbox/pay", None).await.0, 400);
    let body = http()
        .post(format!("{}/sandbox/pay", sb.base_url()))
        .body("not json")
        .send()
        .await
        .unwrap();
    assert_eq!(body.status().as_u16(), 400);

    // Request log.
    let (_, log) = control(&sb, "GET", "/sandbox/requests", None).await;
    let entries = log["requests"].as_array().unwrap();
    assert_eq!(
        log["request_count"].as_u64().unwrap() as usize,
        entries.len()
    );
    assert_eq!(entries.len(), sb.request_count());
    assert!(
        entries
            .iter()
            .all(|e| e["path"].as_str().unwrap().starts_with("/trade/"))
    );
    assert_eq!(entries[0]["status"], 502);
    assert_eq!(entries.last().unwrap()["respcd"], "0000");

    // Clock.
    let (st, c) = control(
        &sb,
        "POST",
        "/sandbox/clock",
        Some(json!({"advance_seconds": 3600})),
    )
    .await;
    assert_eq!(st, 200);
    assert!(c["now"].is_string());

    // Notifications list (none configured).
    let (st, n) = control(&sb, "GET", "/sandbox/notifications", None).await;
    assert_eq!((st, n["notifications"].as_array().unwrap().len()), (200, 0));

    // Reset.
    assert_eq!(control(&sb, "POST", "/sandbox/reset", None).await.0, 200);
    assert_eq!(sb.request_count(), 0);
    assert!(sb.requests().is_empty());
    assert_eq!(count_orders(&sb).await, 0);

    // Unknown control path, wrong method.
    assert_eq!(control(&sb, "GET", "/sandbox/nope", None).await.0, 404);
    assert_eq!(control(&sb, "GET", "/sandbox/reset", None).await.0, 405);
}

#[tokio::test]
async fn pay_control_errors() {
    let sb = sandbox().await;
    assert!(matches!(
        sb.pay("missing"),
        Err(qfpay_sandbox::SandboxError::NotFound(_))
    ));
    let p = pay_req(&sb, "1001", "800201").await;
    let t = now();
    let (_, r) = call(
        &sb,
        "/trade/v1/refund",
        APP,
        KEY,
        &[
            ("syssn", &s(&p, "syssn")),
            ("out_trade_no", &unique("R")),
            ("txamt", "1"),
            ("txdtm", &t),
        ],
    )
    .await;
    assert!(matches!(
        sb.pay(&s(&r, "syssn")),
        Err(qfpay_sandbox::SandboxError::InvalidState(_))
    ));
}
