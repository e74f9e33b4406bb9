//! The browser side of the sandbox: routing of the pages and their assets, the HTML shell
//! (Content-Security-Policy, escaping), the `pay_url` page `/sandbox/checkout/<syssn>`, the
//! `/q/direct` cashier page, and the one action endpoint every page posts to.
//!
//! Pages never execute text that came from a request: server-rendered values are
//! HTML-escaped, the script sets values with `textContent`, and only `http(s)` URLs are
//! followed. State-changing calls take POST with a JSON body and refuse other origins.

use std::sync::Arc;

use axum::http::{HeaderMap, Method};
use serde_json::{Value, json};

use crate::app::{Answer, Shared};
use crate::form::Form;
use crate::handlers::Params;
use crate::state::{Order, Status, lock};

/// The page script, served from `/checkstand/assets/pages.js`.
const PAGES_JS: &str = include_str!("../assets/pages.js");
/// The page style, served from `/checkstand/assets/pages.css`.
const PAGES_CSS: &str = include_str!("../assets/pages.css");
/// The hosted checkout page, served at `/checkstand/`.
const CHECKSTAND_HTML: &str = include_str!("../assets/checkstand.html");

/// The Content-Security-Policy of every page: scripts and styles from the sandbox only, no
/// inline script, calls only to the sandbox, no framing.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// A request body handler, run once the body has been read.
pub type BodyHandler = Box<dyn FnOnce(&Arc<Shared>, &[u8]) -> Answer + Send>;

/// What [`route`] decided.
pub enum Routed {
    /// The answer.
    Done(Answer),
    /// Read the body, then call this.
    WithBody(BodyHandler),
}

/// Whether `u` is an absolute `http://` or `https://` URL (the only ones a page follows).
pub fn is_http_url(u: &str) -> bool {
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && u.len() > lower.find("//").map_or(0, |i| i + 2)
        && !u.chars().any(|c| c.is_control())
}

/// `s` escaped for HTML text and double-quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Adds the pages' headers: the CSP, `nosniff`, no referrer, no caching.
pub fn with_page_headers(mut a: Answer) -> Answer {
    a.headers.push(("content-security-policy", CSP.to_owned()));
    a.headers
        .push(("x-content-type-options", "nosniff".to_owned()));
    a.headers
        .push(("referrer-policy", "no-referrer".to_owned()));
    a.headers.push(("cache-control", "no-store".to_owned()));
    a
}

fn asset(body: &'static str, content_type: &'static str) -> Answer {
    let mut a = Answer::text(200, body);
    a.content_type = content_type;
    with_page_headers(a)
}

/// An HTML page: the shell around `main`, with `data` attributes (already escaped) on `body`.
pub fn html(status: u16, title: &str, data: &str, main: &str) -> Answer {
    let body = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{}</title><link rel=\"stylesheet\" href=\"/checkstand/assets/pages.css\">\
<script src=\"/checkstand/assets/pages.js\" defer></script></head>\
<body {data}><main class=\"card\">{main}<p class=\"back\"><a href=\"/sandbox/\">Sandbox dashboard</a></p></main></body></html>\n",
        escape(title)
    );
    let mut a = Answer::text(status, body);
    a.content_type = "text/html; charset=utf-8";
    with_page_headers(a)
}

fn json_error(status: u16, msg: &str) -> Answer {
    Answer::json(status, &json!({"ok": false, "error": msg}))
}

/// Refuses a state-changing call that is not a same-origin JSON POST: 415 without a JSON
/// content type, 403 when `Origin` (or, without it, `Sec-Fetch-Site`) says another site.
fn csrf_check(shared: &Shared, headers: &HeaderMap) -> Option<Answer> {
    let get = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let ct = get("content-type").to_ascii_lowercase();
    if !ct.starts_with("application/json") {
        return Some(json_error(
            415,
            "send a JSON body (Content-Type: application/json)",
        ));
    }
    let origin = get("origin");
    if !origin.is_empty() {
        let own = &shared.base_url;
        let localhost = own.replacen("127.0.0.1", "localhost", 1);
        if origin != *own && origin != localhost {
            return Some(json_error(
                403,
                "cross-origin request refused: only the sandbox's own pages may do this",
            ));
        }
    } else if matches!(get("sec-fetch-site").as_str(), "cross-site" | "same-site") {
        return Some(json_error(403, "cross-site request refused"));
    }
    None
}

/// Routes the browser-facing paths; `None` for every other path.
pub fn route(
    shared: &Arc<Shared>,
    method: &Method,
    path: &str,
    query: &str,
    headers: &HeaderMap,
) -> Option<Routed> {
    let get = method == Method::GET || method == Method::HEAD;
    let post = method == Method::POST;
    let not_allowed = || Some(Routed::Done(json_error(405, "method not allowed")));
    match path {
        "/checkstand" | "/checkstand/" | "/checkstand/index.html" => {
            if !get {
                return not_allowed();
            }
            let mut a = Answer::text(200, CHECKSTAND_HTML);
            a.content_type = "text/html; charset=utf-8";
            Some(Routed::Done(with_page_headers(a)))
        }
        "/checkstand/assets/pages.js" if get => Some(Routed::Done(asset(
            PAGES_JS,
            "text/javascript; charset=utf-8",
        ))),
        "/checkstand/assets/pages.css" if get => {
            Some(Routed::Done(asset(PAGES_CSS, "text/css; charset=utf-8")))
        }
        "/checkstand/session" => {
            if !post {
                return not_allowed();
            }
            if let Some(a) = csrf_check(shared, headers) {
                return Some(Routed::Done(a));
            }
            Some(Routed::WithBody(Box::new(|s, b| s.checkstand_session(b))))
        }
        "/q/direct" | "/q/direct/" => {
            if !get {
                return not_allowed();
            }
            Some(Routed::Done(shared.direct_page(query)))
        }
        "/tool/v1/get_weixin_oauth_code" => {
            if !get {
                return not_allowed();
            }
            Some(Routed::Done(shared.weixin_oauth_code(query)))
        }
        _ => {
            let syssn = path
                .strip_prefix("/sandbox/checkout/")?
                .trim_end_matches('/');
            if syssn.is_empty() || !syssn.bytes().all(|b| b.is_ascii_digit()) {
                return Some(Routed::Done(html(
                    404,
                    "Not found",
                    "",
                    "<h1>Order not found</h1>",
                )));
            }
            let syssn = syssn.to_owned();
            if get {
                Some(Routed::Done(shared.checkout_page(&syssn)))
            } else if post {
                if let Some(a) = csrf_check(shared, headers) {
                    return Some(Routed::Done(a));
                }
                Some(Routed::WithBody(Box::new(move |s, b| s.action(&syssn, b))))
            } else {
                not_allowed()
            }
        }
    }
}

/// The pay type recorded for a wallet chosen on the checkout page.
pub fn wallet_pay_type(wallet: &str) -> Option<&'static str> {
    match wallet {
        "wechat" => Some("800201"),
        "alipay" => Some("801514"),
        "card" => Some("802801"),
        _ => None,
    }
}

/// A pay type's name for people (`800207 WeChat JSAPI (Official Account)`).
pub fn pay_type_label(code: &str) -> String {
    if code.is_empty() {
        return "chosen on the page".to_owned();
    }
    let name = crate::dashboard::pay_type_name(code);
    if !name.is_empty() {
        return format!("{code} {name}");
    }
    format!("{code} {:?}", qfpay::PayType::from_code(code))
}

/// What a page shows of an order.
pub fn order_view(o: &Order) -> Value {
    json!({
        "syssn": o.syssn,
        "out_trade_no": o.out_trade_no,
        "txamt": o.txamt,
        "amount": crate::pay_params::major_units(o.txamt, &o.txcurrcd),
        "currency": o.txcurrcd,
        "goods_name": o.goods_name,
        "pay_type": o.pay_type,
        "state": o.state(),
        "expired": o.status == Status::Expired,
        "expires": o.expires.map(crate::state::fmt_time),
    })
}

fn state_sentence(o: &Order) -> &'static str {
    match o.status {
        Status::Pending => "Waiting for the customer.",
        Status::Paid => "This order is paid.",
        Status::Expired => "This checkout has expired.",
        Status::Failed => "This payment failed (declined).",
        Status::Closed | Status::Reversed => "This order was cancelled.",
    }
}

fn order_table(o: &Order, merchant: Option<&str>) -> String {
    let mut rows = String::new();
    if let Some(m) = merchant {
        rows.push_str(&format!(
            "<dt>Merchant</dt><dd id=\"merchant\">{}</dd>",
            escape(m)
        ));
    }
    rows.push_str(&format!(
        "<dt>Amount</dt><dd><span id=\"amount\">{} {}</span> <small id=\"minor\">({} minor units)</small></dd>\
<dt>Goods</dt><dd id=\"goods\">{}</dd><dt>Pay type</dt><dd id=\"pay-type\">{}</dd>\
<dt>Merchant order number</dt><dd id=\"out-trade-no\">{}</dd>",
        escape(&o.txcurrcd),
        escape(&crate::pay_params::major_units(o.txamt, &o.txcurrcd)),
        o.txamt,
        escape(&o.goods_name),
        escape(&pay_type_label(&o.pay_type)),
        escape(&o.out_trade_no),
    ));
    format!("<dl aria-label=\"Order\">{rows}</dl>")
}

fn buttons(decline: &str, with_fail: bool) -> String {
    let fail = if with_fail {
        format!(
            "<button type=\"button\" id=\"fail\" class=\"secondary\" disabled>{decline}</button>"
        )
    } else {
        String::new()
    };
    format!(
        "<div id=\"actions\" class=\"actions\" role=\"group\" aria-label=\"Actions\">\
<button type=\"button\" id=\"pay\" disabled>Pay</button>{fail}\
<button type=\"button\" id=\"cancel\" class=\"secondary\" disabled>Cancel</button></div>"
    )
}

const STATUS_LINE: &str = "<p id=\"status\" role=\"status\" aria-live=\"polite\"></p>";

impl Shared {
    /// Finds a payment by `syssn` in any merchant and runs `f` on it (expiry applied).
    pub fn with_order<T>(&self, syssn: &str, f: impl FnOnce(usize, &mut Order) -> T) -> Option<T> {
        let now = self.clock.now();
        for (i, m) in self.merchants.iter().enumerate() {
            let mut book = lock(&m.book);
            if let Some(o) = book.orders.get_mut(syssn).filter(|o| !o.is_refund) {
                o.refresh(now);
                return Some(f(i, o));
            }
        }
        None
    }

    /// `GET /sandbox/checkout/<syssn>`: the `pay_url` page.
    pub fn checkout_page(self: &Arc<Self>, syssn: &str) -> Answer {
        let Some(o) = self.with_order(syssn, |_, o| o.clone()) else {
            return html(
                404,
                "Order not found",
                "",
                "<h1>Order not found</h1><p role=\"alert\">No payment has this syssn.</p>",
            );
        };
        let actions = if o.status == Status::Pending {
            buttons("Decline", true)
        } else {
            String::new()
        };
        let main = format!(
            "<h1>QFPay sandbox payment</h1>{}<p id=\"state\">{}</p>{actions}{STATUS_LINE}",
            order_table(&o, None),
            state_sentence(&o),
        );
        html(
            200,
            "QFPay sandbox payment",
            &format!("data-page=\"checkout\" data-syssn=\"{}\"", escape(&o.syssn)),
            &main,
        )
    }

    /// `GET /q/direct?…`: QFPay's cashier redirect for a JSAPI payment.
    pub fn direct_page(self: &Arc<Self>, query: &str) -> Answer {
        let p = Params(Form::parse(query.as_bytes()).decoded);
        let mut problems: Vec<String> = Vec::new();
        for f in [
            "mchntnm",
            "txamt",
            "currency",
            "redirect_url",
            "package",
            "timeStamp",
            "signType",
            "paySign",
            "appId",
            "nonceStr",
        ] {
            if p.get(f).is_none() {
                problems.push(format!("{f} is missing"));
            }
        }
        let redirect = p.get("redirect_url").unwrap_or_default();
        if !redirect.is_empty() && !is_http_url(redirect) {
            problems.push("redirect_url must be an http(s) URL".to_owned());
        }
        let prepay = p
            .get("package")
            .and_then(|v| v.strip_prefix("prepay_id="))
            .unwrap_or_default()
            .to_owned();
        let found = if prepay.is_empty() {
            None
        } else {
            self.find_by_prepay_id(&prepay)
        };
        let order =
            match found {
                None => {
                    problems.push("no order has this package (prepay_id)".to_owned());
                    None
                }
                Some(o) => {
                    if !o.pay_sign.as_deref().is_some_and(|s| {
                        s.eq_ignore_ascii_case(p.get("paySign").unwrap_or_default())
                    }) {
                        problems.push("paySign does not match the order's pay_params".to_owned());
                    }
                    if p.get("txamt") != Some(o.txamt.to_string().as_str()) {
                        problems.push(format!(
                            "txamt does not match the order's amount ({} minor units)",
                            o.txamt
                        ));
                    }
                    if p.get("currency") != Some(o.txcurrcd.as_str()) {
                        problems.push(format!(
                            "currency does not match the order's ({})",
                            o.txcurrcd
                        ));
                    }
                    if o.status != Status::Pending {
                        problems.push(state_sentence(&o).to_owned());
                    }
                    Some(o)
                }
            };
        let mchntnm = p.get("mchntnm").unwrap_or_default();
        let table = order
            .as_ref()
            .map(|o| order_table(o, Some(mchntnm)))
            .unwrap_or_default();
        let (body, data) = if problems.is_empty() {
            let o = order.as_ref().map(|o| o.syssn.as_str()).unwrap_or_default();
            (
                format!("{table}{}{STATUS_LINE}", buttons("", false)),
                format!(
                    "data-page=\"direct\" data-syssn=\"{}\" data-redirect=\"{}\"",
                    escape(o),
                    escape(redirect)
                ),
            )
        } else {
            let items: String = problems
                .iter()
                .map(|m| format!("<li>{}</li>", escape(m)))
                .collect();
            (
                format!(
                    "{table}<div role=\"alert\" id=\"error\"><p>This payment cannot go ahead:</p><ul>{items}</ul></div>"
                ),
                "data-page=\"direct\"".to_owned(),
            )
        };
        html(
            if problems.is_empty() { 200 } else { 400 },
            "QFPay cashier (sandbox)",
            &data,
            &format!("<h1>WeChat Pay (sandbox cashier)</h1>{body}"),
        )
    }

    /// The payment `pay_params` handed out with this prepay id.
    pub fn find_by_prepay_id(&self, prepay_id: &str) -> Option<Order> {
        let now = self.clock.now();
        for m in &self.merchants {
            let mut book = lock(&m.book);
            if let Some(o) = book
                .orders
                .values_mut()
                .find(|o| o.prepay_id.as_deref() == Some(prepay_id))
            {
                o.refresh(now);
                return Some(o.clone());
            }
        }
        None
    }

    /// `POST /sandbox/checkout/<syssn>` with `{"action": "pay"|"fail"|"cancel", "wallet"?,
    /// "redirect_url"?}`: settles the order as the tester chose and says where the browser
    /// goes next.
    pub fn action(self: &Arc<Self>, syssn: &str, body: &[u8]) -> Answer {
        let v: Value = match serde_json::from_slice(body) {
            Ok(v @ Value::Object(_)) => v,
            _ => return json_error(400, "the body must be a JSON object"),
        };
        let action = v.get("action").and_then(Value::as_str).unwrap_or_default();
        if !matches!(action, "pay" | "fail" | "cancel") {
            return json_error(400, "\"action\" must be \"pay\", \"fail\" or \"cancel\"");
        }
        let wallet = match v.get("wallet").and_then(Value::as_str) {
            None | Some("") => None,
            Some(w) => match wallet_pay_type(w) {
                Some(code) => Some(code),
                None => {
                    return json_error(
                        400,
                        "\"wallet\" must be \"wechat\", \"alipay\" or \"card\"",
                    );
                }
            },
        };
        let asked_redirect = v
            .get("redirect_url")
            .and_then(Value::as_str)
            .filter(|u| is_http_url(u))
            .map(str::to_owned);
        let now = self.clock.now();
        let outcome = self.with_order(syssn, |idx, o| {
            let was = o.status;
            match (action, o.status) {
                ("pay", Status::Pending) => {
                    if let Some(code) =
                        wallet.filter(|_| o.pay_type.is_empty() || o.checkout_sign.is_some())
                    {
                        o.pay_type = code.to_owned();
                    }
                    o.mark_paid(now);
                }
                ("pay", Status::Paid) => {}
                ("fail", Status::Pending) => o.status = Status::Failed,
                ("cancel", Status::Pending) => o.status = Status::Closed,
                _ => {
                    return Err(format!("cannot {action} this order: {}", state_sentence(o)));
                }
            }
            let redirect = match action {
                "pay" => o.return_url.clone(),
                "fail" => o.failed_url.clone(),
                _ => o.cancel_url.clone().or_else(|| o.failed_url.clone()),
            };
            Ok((idx, was, o.clone(), redirect))
        });
        match outcome {
            None => json_error(404, "no payment has this syssn"),
            Some(Err(msg)) => json_error(409, &msg),
            Some(Ok((idx, was, order, redirect))) => {
                if action == "pay"
                    && was == Status::Pending
                    && let Some(m) = self.merchants.get(idx)
                {
                    self.notify_paid(m, &order);
                }
                let redirect = if action == "pay" {
                    asked_redirect.or(redirect)
                } else {
                    redirect.or(asked_redirect)
                };
                Answer::json(
                    200,
                    &json!({
                        "ok": true,
                        "state": order.state(),
                        "order": order_view(&order),
                        "redirect": redirect,
                    }),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_html_cares_about() {
        assert_eq!(
            escape("<script>\"a\"&'b'</script>"),
            "&lt;script&gt;&quot;a&quot;&amp;&#39;b&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn only_http_urls_are_followed() {
        assert!(is_http_url("https://shop.example/ok?x=1"));
        assert!(is_http_url("HTTP://a"));
        assert!(!is_http_url("javascript:alert(1)"));
        assert!(!is_http_url("//evil.example"));
        assert!(!is_http_url("http://"));
        assert!(!is_http_url("data:text/html,x"));
        assert!(!is_http_url("http://a/\nb"));
        assert!(!is_http_url(" http://a"));
    }

    #[test]
    fn wallets() {
        assert_eq!(wallet_pay_type("alipay"), Some("801514"));
        assert_eq!(wallet_pay_type("x"), None);
        assert!(pay_type_label("802901").starts_with("802901"));
        assert!(pay_type_label("804101").contains("Maybank"));
    }
}
