//! `sandbox` (serve, `pay`, `orders`), `sign`, `pay`, `query`, `wait`, `refund`, `close`,
//! `reverse`, `verify-notification`.

use std::io::Read;
use std::time::Duration;

use qfpay::surface::{self, Lang, Request, Value, apply};
use qfpay::{CancelRequest, Client, Currency, Money, QueryRequest, RefundRequest, SignType, Wait};
use qfpay_sandbox::{Merchant, RateLimit, Sandbox, SandboxConfig, ServerOptions};
use serde_json::json;

use crate::output::{line, print};
use crate::{
    AmountArgs, CancelArgs, CheckoutArgs, Failure, PayArgs, QueryArgs, RefundArgs, SandboxAction,
    SandboxArgs, SandboxCmd, SignArgs, Target, VerifyArgs, WaitArgs, model,
};

fn money(a: &AmountArgs) -> Result<Money, Failure> {
    let currency = Currency::parse(&a.currency.to_uppercase())?;
    Ok(Money::new(a.amount, currency))
}

/// A client from `QFPAY_*` over `--base-url` / `--app-code`, its configuration warnings printed.
pub fn client(t: &Target) -> Result<Client, Failure> {
    let hint = |e: qfpay::Error| {
        let mut f = Failure::from(e);
        f.code = 2;
        f.message = format!(
            "{}: set QFPAY_APP_CODE, QFPAY_CLIENT_KEY and QFPAY_ENV or QFPAY_BASE_URL (and QFPAY_MCHID if you have one), or pass --base-url / --app-code",
            f.message
        );
        f
    };
    let mut b = qfpay::ClientBuilder::new().env().map_err(hint)?;
    if let Some(u) = &t.base_url {
        b = b.base_url(u.clone());
    }
    if let Some(a) = &t.app_code {
        b = b.app_code(a.clone());
    }
    let c = b.build().map_err(hint)?;
    for w in &c.config().warnings {
        crate::output::err_line(&format!("warning: {w}"));
    }
    Ok(c)
}

/// `qfpay sandbox`: serve, or control a running sandbox.
pub async fn sandbox(cmd: SandboxCmd, t: &Target, json: bool) -> Result<(), Failure> {
    match cmd.action {
        None => serve(cmd.serve).await,
        Some(action) => control(action, t, json).await,
    }
}

/// The running sandbox's base URL: `--base-url`, else `QFPAY_BASE_URL`.
fn sandbox_url(t: &Target) -> Result<String, Failure> {
    t.base_url
        .clone()
        .or_else(|| std::env::var("QFPAY_BASE_URL").ok())
        .map(|u| u.trim().trim_end_matches('/').to_owned())
        .filter(|u| !u.is_empty())
        .ok_or_else(|| {
            Failure::usage(
                "where is the sandbox? pass --base-url http://127.0.0.1:PORT or set QFPAY_BASE_URL (printed by `qfpay sandbox`)",
            )
        })
}

async fn control(action: SandboxAction, t: &Target, json: bool) -> Result<(), Failure> {
    let base = sandbox_url(t)?;
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| Failure::other(format!("cannot build an HTTP client: {e}")))?;
    let req = match &action {
        SandboxAction::Pay { id } => http
            .post(format!("{base}/sandbox/pay"))
            .header("Content-Type", "application/json")
            .body(json!({"syssn": id}).to_string()),
        SandboxAction::Orders => http.get(format!("{base}/sandbox/orders")),
        SandboxAction::Seed(a) => {
            let refunds: serde_json::Value = if a.refunds.contains('.') {
                a.refunds
                    .trim()
                    .parse::<f64>()
                    .map(|f| json!(f))
                    .map_err(|_| {
                        Failure::usage("--refunds must be a count or a fraction like 0.1")
                    })?
            } else {
                a.refunds
                    .trim()
                    .parse::<u64>()
                    .map(|c| json!(c))
                    .map_err(|_| {
                        Failure::usage("--refunds must be a count or a fraction like 0.1")
                    })?
            };
            http.post(format!("{base}/sandbox/seed"))
                .header("Content-Type", "application/json")
                .body(
                    json!({
                        "orders": a.orders,
                        "from": a.from,
                        "to": a.to,
                        "refunds": refunds,
                        "duplicates": a.duplicates,
                        "merchant": a.merchant,
                        "seed": a.seed,
                    })
                    .to_string(),
                )
        }
    };
    let resp = req
        .send()
        .await
        .map_err(|e| Failure::other(format!("cannot reach the sandbox at {base}: {e}")))?;
    let status = resp.status().as_u16();
    let text = resp
        .text()
        .await
        .map_err(|e| Failure::other(format!("the sandbox at {base} did not answer: {e}")))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|_| {
        Failure::other(format!(
            "{base} answered HTTP {status} with something that is not the sandbox's JSON; is it a qfpay sandbox?"
        ))
    })?;
    if status != 200 {
        let msg = v["error"].as_str().unwrap_or(&text).to_owned();
        let mut f = Failure::other(format!("sandbox: {msg}"));
        if status == 400 {
            f.code = 2;
        }
        f.kind = match status {
            404 => "not_found",
            409 => "invalid_state",
            _ => "failed",
        }
        .to_owned();
        return Err(f);
    }
    match action {
        SandboxAction::Pay { id } => {
            if json {
                line(&v.to_string());
            } else {
                let str_of = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
                print(
                    false,
                    &format!("paid {id} (the customer's scan)"),
                    &[
                        ("syssn", str_of("syssn")),
                        ("out_trade_no", str_of("out_trade_no")),
                        (
                            "amount",
                            format!("{} {}", str_of("txamt"), str_of("txcurrcd")),
                        ),
                        ("chnlsn", str_of("chnlsn")),
                    ],
                    &v,
                );
            }
        }
        SandboxAction::Seed(_) => {
            if json {
                line(&v.to_string());
            } else {
                line(&seed_summary(&v));
            }
        }
        SandboxAction::Orders => {
            if json {
                line(&v.to_string());
            } else {
                let orders = v["orders"].as_array().cloned().unwrap_or_default();
                line(&format!("{} order(s)", orders.len()));
                for o in &orders {
                    line(&format!(
                        "  {}  {:<7}  {:<18}  {} {}  out_trade_no={}{}",
                        o["syssn"].as_str().unwrap_or_default(),
                        o["kind"].as_str().unwrap_or_default(),
                        o["state"].as_str().unwrap_or_default(),
                        o["txamt"],
                        o["txcurrcd"].as_str().unwrap_or_default(),
                        o["out_trade_no"].as_str().unwrap_or_default(),
                        o["orig_syssn"]
                            .as_str()
                            .map(|s| format!(" orig_syssn={s}"))
                            .unwrap_or_default(),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// One line for a seed summary: counts, range, seed and totals per currency.
fn seed_summary(v: &serde_json::Value) -> String {
    let totals = v["totals"]
        .as_object()
        .map(|t| {
            t.iter()
                .map(|(c, x)| format!("{c} paid {} refunded {}", x["paid"], x["refunded"]))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    format!(
        "seeded {} payments ({} refunded, {} orders paid more than once) from {} to {} for {} (seed {}); {}",
        v["orders"],
        v["refunds"],
        v["duplicates"],
        v["from"].as_str().unwrap_or_default(),
        v["to"].as_str().unwrap_or_default(),
        v["merchant"].as_str().unwrap_or_default(),
        v["seed"],
        totals
    )
}

/// `qfpay sandbox`: prints one JSON line, then serves until Ctrl-C.
async fn serve(a: SandboxArgs) -> Result<(), Failure> {
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
        strict_pay_types: a.strict_pay_types,
        refund_rules: qfpay_sandbox::RefundRules::parse_spec(&a.refund_rules)
            .map_err(Failure::usage)?,
        ..SandboxConfig::default()
    };
    let seed = a
        .seed
        .as_deref()
        .map(qfpay_sandbox::seed::SeedRequest::parse_spec)
        .transpose()
        .map_err(Failure::usage)?;
    if a.max_connections == 0 {
        return Err(Failure::usage("--max-connections must be at least 1"));
    }
    let options = ServerOptions {
        max_connections: a.max_connections,
        ..ServerOptions::default()
    };
    let sb = Sandbox::start_with_options(config, options)
        .await
        .map_err(|e| Failure::other(format!("cannot start the sandbox on port {}: {e}", a.port)))?;
    let m = sb.merchant();
    let dashboard = dashboard_url(&sb.base_url());
    let mut started = json!({
        "base_url": sb.base_url(),
        "dashboard": dashboard,
        "app_code": m.app_code,
        "client_key": m.client_key,
        "mchid": m.mchid,
        "merchants": sb.merchants().iter().map(|m| json!({"app_code": m.app_code, "client_key": m.client_key, "mchid": m.mchid})).collect::<Vec<_>>(),
    });
    if let Some(req) = &seed {
        let summary = sb
            .seed(req)
            .map_err(|e| Failure::usage(format!("--seed: {e}")))?;
        started["seeded"] = summary;
    }
    line(&started.to_string());
    crate::output::err_line(&format!(
        "qfpay sandbox listening on {} (Ctrl-C to stop); try: QFPAY_BASE_URL={} QFPAY_APP_CODE={} QFPAY_CLIENT_KEY=<client_key above> qfpay pay --amount 300",
        sb.base_url(),
        sb.base_url(),
        m.app_code
    ));
    crate::output::err_line(&format!(
        "dashboard: {dashboard} (orders, QR codes, pay as the customer, requests, faults)"
    ));
    if a.open {
        open_browser(&dashboard);
    }
    // Serve until the process is interrupted (Ctrl-C ends it).
    std::future::pending::<()>().await;
    drop(sb);
    Ok(())
}

/// The dashboard's URL for a sandbox at `base_url`.
pub fn dashboard_url(base_url: &str) -> String {
    format!("{}/sandbox/", base_url.trim_end_matches('/'))
}

/// The browser command: the first entry of `$BROWSER` (a `:`-separated list, each entry a
/// command with arguments; `%s` stands for the URL), else `xdg-open` when it is on `PATH`.
pub fn browser_command(
    browser_var: Option<&str>,
    path_var: Option<&std::ffi::OsStr>,
    url: &str,
) -> Option<Vec<String>> {
    if let Some(entry) =
        browser_var.and_then(|b| b.split(':').map(str::trim).find(|e| !e.is_empty()))
    {
        let mut words: Vec<String> = entry.split_whitespace().map(str::to_owned).collect();
        if words.iter().any(|w| w.contains("%s")) {
            for w in &mut words {
                *w = w.replace("%s", url);
            }
        } else {
            words.push(url.to_owned());
        }
        return Some(words);
    }
    let on_path =
        path_var.is_some_and(|p| std::env::split_paths(p).any(|d| d.join("xdg-open").is_file()));
    on_path.then(|| vec!["xdg-open".to_owned(), url.to_owned()])
}

/// Opens `url` in a browser when one is present; otherwise, or when it cannot start, says so
/// on stderr. Never fails.
fn open_browser(url: &str) {
    let browser = std::env::var("BROWSER").ok();
    let Some(words) = browser_command(browser.as_deref(), std::env::var_os("PATH").as_deref(), url)
    else {
        crate::output::err_line(&format!(
            "--open: no browser found (set $BROWSER or install xdg-open); open {url} yourself"
        ));
        return;
    };
    let Some((program, args)) = words.split_first() else {
        return;
    };
    match std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        Ok(mut child) => {
            // Reaped in the background; the sandbox does not wait for the browser.
            std::thread::spawn(move || {
                let _ = child.wait();
            });
            crate::output::err_line(&format!("--open: opening {url} with {program}"));
        }
        Err(e) => crate::output::err_line(&format!(
            "--open: could not start {program} ({e}); open {url} yourself"
        )),
    }
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
        line(
            &json!({"string_to_sign": masked, "sign_type": st.as_str(), "signature": signature, "header": st.header_value()})
                .to_string(),
        );
    } else {
        line(&format!("string to sign: {masked}"));
        line(&format!("sign type:      {}", st.as_str().to_uppercase()));
        line(&format!("X-QF-SIGN:      {signature}"));
        if let Some(h) = st.header_value() {
            line(&format!("X-QF-SIGNTYPE:  {h}"));
        }
    }
    Ok(())
}

/// `qfpay pay`: the flags, by the surface's names, through the core's one applier.
pub async fn pay(a: PayArgs, t: &Target, json: bool) -> Result<(), Failure> {
    let mut args = vec![
        ("amount".to_owned(), Value::Int(a.money.amount)),
        (
            "currency".to_owned(),
            Value::Text(a.money.currency.to_uppercase()),
        ),
        ("pay_type".to_owned(), Value::Text(a.pay_type.clone())),
    ];
    args.extend(a.fields.0);
    let op = surface::operation("create_payment")
        .ok_or_else(|| Failure::other("the surface has no create_payment"))?;
    let Request::Payment(req) = apply::request(Lang::Rust, op, Value::Map(args))? else {
        return Err(Failure::other("create_payment read as another request"));
    };
    req.validate()?;
    let p = client(t)?.create_payment(req).await?;
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
        &model::json(&p),
    );
    if a.qr
        && !json
        && let Some(qr) = &p.qrcode
    {
        line(&qfpay::qr::terminal(qr)?);
    }
    Ok(())
}

/// `qfpay checkout-url`: a signed link (`--json`: the link and its values), or with
/// `--verify URL` the link read back and its signature checked with the client's key.
pub fn checkout_url(a: CheckoutArgs, t: &Target, json: bool) -> Result<(), Failure> {
    let c = client(t)?;
    let (title, link) = match a.verify {
        Some(url) => (
            "checkout link verified",
            c.verify_checkout_url(&url).map_err(|e| {
                let mut f = Failure::from(e);
                f.code = 1;
                f
            })?,
        ),
        None => {
            let text = |v: Option<String>| Value::Text(v.unwrap_or_default());
            let mut args = vec![
                (
                    "amount".to_owned(),
                    Value::Int(a.amount.unwrap_or_default()),
                ),
                (
                    "currency".to_owned(),
                    Value::Text(a.currency.to_uppercase()),
                ),
                ("return_url".to_owned(), text(a.return_url)),
                ("failed_url".to_owned(), text(a.failed_url)),
                ("notify_url".to_owned(), text(a.notify_url)),
            ];
            args.extend(a.fields.0);
            let op = surface::operation("checkout_url")
                .ok_or_else(|| Failure::other("the surface has no checkout_url"))?;
            let Request::Checkout(req) = apply::request(Lang::Rust, op, Value::Map(args))? else {
                return Err(Failure::other("checkout_url read as another request"));
            };
            ("checkout link", c.checkout_url(req)?)
        }
    };
    if json {
        line(&model::json(&link).to_string());
        return Ok(());
    }
    print(
        false,
        title,
        &[
            ("out_trade_no", link_value(&link, "out_trade_no")),
            (
                "amount",
                format!(
                    "{} {}",
                    link_value(&link, "txamt"),
                    link_value(&link, "txcurrcd")
                ),
            ),
            ("txdtm", link_value(&link, "txdtm")),
            ("sign_type", link_value(&link, "sign_type")),
        ],
        &serde_json::Value::Null,
    );
    line(&link.url);
    Ok(())
}

fn link_value(link: &qfpay::checkout::CheckoutLink, name: &str) -> String {
    link.params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// `qfpay query`.
pub async fn query(a: QueryArgs, t: &Target, json: bool) -> Result<(), Failure> {
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
    let page = client(t)?.query(req).await?;
    if json {
        line(&model::json(&page).to_string());
        return Ok(());
    }
    line(&format!(
        "page {} ({} per page): {} record(s)",
        page.page,
        page.page_size,
        page.data.len()
    ));
    for t in &page.data {
        line(&format!(
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
        ));
    }
    Ok(())
}

/// `qfpay wait`.
pub async fn wait(a: WaitArgs, t: &Target, json: bool) -> Result<(), Failure> {
    let wait = match a.timeout {
        None => Wait::default(),
        Some(s) => Wait::up_to(qfpay::convert::seconds_f64("timeout", s)?),
    };
    let tx = client(t)?.wait_for_payment(&a.out_trade_no, wait).await?;
    print(
        json,
        &format!("payment {}", tx.state.as_str()),
        &[
            ("syssn", tx.syssn.clone()),
            ("out_trade_no", tx.out_trade_no.clone()),
            ("state", tx.state.as_str().to_owned()),
            ("amount", format!("{} {}", tx.txamt, tx.txcurrcd)),
            ("respcd", tx.respcd.clone()),
            ("paydtm", tx.paydtm.clone()),
        ],
        &model::json(&tx),
    );
    Ok(())
}

/// `qfpay refund`.
pub async fn refund(a: RefundArgs, t: &Target, json: bool) -> Result<(), Failure> {
    let mut req = RefundRequest::new(&a.syssn, money(&a.money)?);
    if let Some(o) = a.out_trade_no {
        req = req.out_trade_no(o);
    }
    req.validate()?;
    let r = client(t)?.refund(req).await?;
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
        &model::json(&r),
    );
    Ok(())
}

/// `qfpay note`.
pub async fn note(a: crate::NoteArgs, t: &Target, json: bool) -> Result<(), Failure> {
    let req = qfpay::NoteRequest::new(a.syssn, a.note);
    req.validate()?;
    let n = client(t)?.add_note(req).await?;
    print(
        json,
        "note added",
        &[("syssn", n.syssn.clone()), ("note", n.note.clone())],
        &model::json(&n),
    );
    Ok(())
}

/// `qfpay close` / `qfpay reverse`.
pub async fn cancel(a: CancelArgs, reversal: bool, t: &Target, json: bool) -> Result<(), Failure> {
    let amount = money(&a.money)?;
    let req = match (a.order.syssn, a.order.out_trade_no) {
        (Some(s), _) => CancelRequest::by_syssn(s, amount),
        (None, Some(o)) => CancelRequest::by_out_trade_no(o, amount),
        (None, None) => return Err(Failure::usage("give --syssn or --out-trade-no")),
    };
    req.validate()?;
    let c = client(t)?;
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
        &model::json(&r),
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
    let n = qfpay::notify::verify(&body, &a.signature, &a.key).map_err(|e| {
        let mut f = Failure::from(e);
        f.code = 1;
        f
    })?;
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
        &model::json(&n),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dashboard_url_is_under_sandbox() {
        assert_eq!(
            dashboard_url("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080/sandbox/"
        );
        assert_eq!(dashboard_url("http://h:1/"), "http://h:1/sandbox/");
    }

    #[test]
    fn the_browser_is_browser_then_xdg_open() {
        let url = "http://127.0.0.1:1/sandbox/";
        assert_eq!(
            browser_command(Some("firefox"), None, url),
            Some(vec!["firefox".to_owned(), url.to_owned()])
        );
        assert_eq!(
            browser_command(Some(" :w3m -o x=%s:lynx"), None, url),
            Some(vec!["w3m".to_owned(), "-o".to_owned(), format!("x={url}")])
        );
        assert_eq!(browser_command(Some(""), None, url), None);
        assert_eq!(
            browser_command(None, Some(std::ffi::OsStr::new("/nonexistent-dir")), url),
            None
        );
        let dir = std::env::temp_dir().join(format!("qfpay-xdg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok();
        std::fs::write(dir.join("xdg-open"), "").ok();
        assert_eq!(
            browser_command(None, Some(dir.as_os_str()), url),
            Some(vec!["xdg-open".to_owned(), url.to_owned()])
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
