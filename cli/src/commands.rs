//! `sandbox`, `sign`, `pay`, `query`, `refund`, `close`, `reverse`, `verify-notification`.

use std::io::Read;
use std::time::Duration;

use qfpay::{
    CancelRequest, Client, Currency, Money, PayType, PaymentRequest, QueryRequest, RefundRequest,
    SignType,
};
use qfpay_sandbox::{Merchant, RateLimit, Sandbox, SandboxConfig};
use serde_json::json;

use crate::output::print;
use crate::{
    AmountArgs, CancelArgs, Failure, PayArgs, QueryArgs, RefundArgs, SandboxArgs, SignArgs,
    VerifyArgs,
};

fn money(a: &AmountArgs) -> Result<Money, Failure> {
    let currency = Currency::parse(&a.currency.to_uppercase())?;
    Ok(Money::new(a.amount, currency))
}

fn client() -> Result<Client, Failure> {
    Client::from_env().map_err(|e| {
        Failure::usage(format!(
            "{e}: set QFPAY_APP_CODE, QFPAY_CLIENT_KEY and QFPAY_ENV or QFPAY_BASE_URL (and QFPAY_MCHID if you have one)"
        ))
    })
}

/// `qfpay sandbox`: prints one JSON line, then serves until Ctrl-C.
pub async fn sandbox(a: SandboxArgs) -> Result<(), Failure> {
    let mut merchants = Vec::new();
    for spec in &a.merchants {
        let mut m = Merchant::parse_spec(spec).map_err(Failure::usage)?;
        if let Some(u) = &a.notify_url {
            m = m.with_notify_url(u.clone());
        }
        merchants.push(m);
    }
    if merchants.is_empty() {
        let mut m = Merchant::default();
        if let Some(u) = &a.notify_url {
            m = m.with_notify_url(u.clone());
        }
        merchants.push(m);
    }
    let rate_limit = RateLimit::parse_spec(&a.rate_limit).map_err(Failure::usage)?;
    if !(a.notify_time_scale.is_finite() && a.notify_time_scale >= 0.0) {
        return Err(Failure::usage(
            "--notify-time-scale must be a non-negative number",
        ));
    }
    let config = SandboxConfig {
        port: a.port,
        merchants,
        rate_limit,
        notify_time_scale: a.notify_time_scale,
        pending_queries: a.pending_queries,
        slow_response: Duration::from_millis(a.slow_response_ms),
    };
    let sb = Sandbox::start(config)
        .await
        .map_err(|e| Failure::other(format!("cannot start the sandbox on port {}: {e}", a.port)))?;
    let m = sb.merchant();
    println!(
        "{}",
        json!({
            "base_url": sb.base_url(),
            "app_code": m.app_code,
            "client_key": m.client_key,
            "mchid": m.mchid,
            "merchants": sb.merchants().iter().map(|m| json!({"app_code": m.app_code, "client_key": m.client_key, "mchid": m.mchid})).collect::<Vec<_>>(),
        })
    );
    eprintln!(
        "qfpay sandbox listening on {} (Ctrl-C to stop); try: QFPAY_BASE_URL={} QFPAY_APP_CODE={} QFPAY_CLIENT_KEY=<client_key above> qfpay pay --amount 300",
        sb.base_url(),
        sb.base_url(),
        m.app_code
    );
    // Serve until the process is interrupted (Ctrl-C ends it).
    std::future::pending::<()>().await;
    drop(sb);
    Ok(())
}

/// `qfpay sign`.
pub fn sign(a: SignArgs, json: bool) -> Result<(), Failure> {
    let mut params = Vec::new();
    for p in &a.params {
        let (k, v) = p
            .split_once('=')
            .ok_or_else(|| Failure::usage(format!("parameter {p:?} is not NAME=VALUE")))?;
        params.push((k.to_owned(), v.to_owned()));
    }
    if a.key.is_empty() {
        return Err(Failure::usage(
            "the client key is empty (--key or QFPAY_CLIENT_KEY)",
        ));
    }
    let st = SignType::parse(&a.sign_type)?;
    let masked = qfpay::sign::debug_string_to_sign(&params);
    let signature = qfpay::sign::sign(&params, &a.key, st);
    if json {
        println!(
            "{}",
            json!({"string_to_sign": masked, "sign_type": st.as_str(), "signature": signature, "header": st.header_value()})
        );
    } else {
        println!("string to sign: {masked}");
        println!("sign type:      {}", st.as_str().to_uppercase());
        println!("X-QF-SIGN:      {signature}");
        if let Some(h) = st.header_value() {
            println!("X-QF-SIGNTYPE:  {h}");
        }
    }
    Ok(())
}

/// `qfpay pay`.
pub async fn pay(a: PayArgs, json: bool) -> Result<(), Failure> {
    let amount = money(&a.money)?;
    let pay_type = PayType::from_code(&a.pay_type);
    let mut req = PaymentRequest::new(amount, pay_type);
    if let Some(v) = a.out_trade_no {
        req = req.out_trade_no(v);
    }
    if let Some(v) = a.goods_name {
        req = req.goods_name(v);
    }
    if let Some(v) = a.auth_code {
        req = req.auth_code(v);
    }
    if let Some(v) = a.expired_time {
        req = req.expired_time(v);
    }
    if let Some(v) = a.notify_url {
        req = req.notify_url(v);
    }
    req.validate()?;
    let p = client()?.create_payment(req).await?;
    print(
        json,
        "payment created",
        &[
            ("syssn", p.syssn.clone()),
            ("out_trade_no", p.out_trade_no.clone()),
            ("pay_type", p.pay_type.code().to_owned()),
            ("amount", format!("{} {}", p.txamt, p.txcurrcd)),
            ("respcd", p.respcd.clone()),
            ("qrcode", p.qrcode.clone().unwrap_or_default()),
            ("pay_url", p.pay_url.clone().unwrap_or_default()),
        ],
        &p.raw,
    );
    if a.qr
        && !json
        && let Some(qr) = &p.qrcode
    {
        println!("{}", qfpay::qr::terminal(qr)?);
    }
    Ok(())
}

/// `qfpay query`.
pub async fn query(a: QueryArgs, json: bool) -> Result<(), Failure> {
    let mut req = QueryRequest::new();
    for s in a.syssn {
        req = req.syssn(s);
    }
    for o in a.out_trade_no {
        req = req.out_trade_no(o);
    }
    if let Some(p) = a.page {
        req = req.page(p);
    }
    if let Some(p) = a.page_size {
        req = req.page_size(p);
    }
    req.validate()?;
    let page = client()?.query(req).await?;
    if json {
        println!("{}", serde_json::Value::Object(page.raw));
        return Ok(());
    }
    println!(
        "page {} ({} per page): {} record(s)",
        page.page,
        page.page_size,
        page.data.len()
    );
    for t in &page.data {
        println!(
            "  {}  {:<7}  {:<18}  {} {}  {}  out_trade_no={}{}",
            t.syssn,
            t.order_type,
            t.state.as_str(),
            t.txamt,
            t.txcurrcd,
            t.sysdtm,
            t.out_trade_no,
            t.origssn
                .as_deref()
                .map(|o| format!(" origssn={o}"))
                .unwrap_or_default()
        );
    }
    Ok(())
}

/// `qfpay refund`.
pub async fn refund(a: RefundArgs, json: bool) -> Result<(), Failure> {
    let mut req = RefundRequest::new(&a.syssn, money(&a.money)?);
    if let Some(o) = a.out_trade_no {
        req = req.out_trade_no(o);
    }
    req.validate()?;
    let r = client()?.refund(req).await?;
    print(
        json,
        "refund accepted",
        &[
            ("syssn", r.syssn.clone()),
            ("orig_syssn", r.orig_syssn.clone()),
            ("out_trade_no", r.out_trade_no.clone()),
            ("amount", format!("{} {}", r.txamt, r.txcurrcd)),
            ("respcd", r.respcd.clone()),
        ],
        &r.raw,
    );
    Ok(())
}

/// `qfpay close` / `qfpay reverse`.
pub async fn cancel(a: CancelArgs, reversal: bool, json: bool) -> Result<(), Failure> {
    let amount = money(&a.money)?;
    let req = match (a.syssn, a.out_trade_no) {
        (Some(s), _) => CancelRequest::by_syssn(s, amount),
        (None, Some(o)) => CancelRequest::by_out_trade_no(o, amount),
        (None, None) => return Err(Failure::usage("give --syssn or --out-trade-no")),
    };
    req.validate()?;
    let c = client()?;
    let r = if reversal {
        c.reverse(req).await?
    } else {
        c.close(req).await?
    };
    print(
        json,
        if reversal { "reversed" } else { "closed" },
        &[
            ("syssn", r.syssn.clone()),
            ("orig_syssn", r.orig_syssn.clone()),
            ("out_trade_no", r.out_trade_no.clone()),
            ("respcd", r.respcd.clone()),
        ],
        &r.raw,
    );
    Ok(())
}

/// `qfpay verify-notification`.
pub fn verify(a: VerifyArgs, json: bool) -> Result<(), Failure> {
    let mut body = Vec::new();
    if a.body.as_os_str() == "-" {
        std::io::stdin()
            .read_to_end(&mut body)
            .map_err(|e| Failure::other(format!("cannot read standard input: {e}")))?;
    } else {
        body = std::fs::read(&a.body)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", a.body.display())))?;
    }
    let n = qfpay::notify::verify(&body, &a.signature, &a.key)
        .map_err(|e| Failure::other(format!("{e} ({})", e.code())))?;
    print(
        json,
        "notification verified",
        &[
            ("notify_type", n.kind.as_str().to_owned()),
            ("syssn", n.syssn.clone()),
            ("out_trade_no", n.out_trade_no.clone()),
            ("amount", format!("{} {}", n.txamt, n.txcurrcd)),
            ("status", n.status.clone()),
            ("cancel", n.cancel.clone()),
            ("orig_syssn", n.orig_syssn.clone().unwrap_or_default()),
        ],
        &n.raw,
    );
    Ok(())
}
