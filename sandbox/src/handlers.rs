//! The QFPay API endpoints: payment, query, refund, close and reversal.

use std::sync::Arc;

use chrono::{Datelike, NaiveDateTime, TimeDelta, Timelike};
use qfpay::PayType;
use qfpay::model::AnswerShape;
use serde_json::{Map, Value, json};

use crate::app::{Answer, Shared};
use crate::pay_params;
use crate::state::{
    MerchantState, Order, RecordView, Status, fmt_time, lock, new_syssn, random_alnum,
};

/// Request parameters after the signature check: the first value of each name.
#[derive(Debug, Default)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// The value of `name`, if present and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// The trimmed value of `name`, if present and not blank.
    fn text(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }

    pub(crate) fn required(&self, name: &str) -> Result<&str, Answer> {
        self.text(name)
            .ok_or_else(|| param_error(name, &format!("{name} is required")))
    }
}

/// A `respcd` answer with HTTP 200.
pub fn error(respcd: &str, resperr: &str, respmsg: &str) -> Answer {
    Answer::json(
        200,
        &json!({"respcd": respcd, "resperr": resperr, "respmsg": respmsg}),
    )
}

/// `1104`, naming the field.
pub fn param_error(field: &str, detail: &str) -> Answer {
    error(
        "1104",
        &format!("Request parameter error: {detail} (field: {field})"),
        &format!("parameter error: {field}"),
    )
}

fn amount(p: &Params, field: &str) -> Result<i64, Answer> {
    let raw = p.required(field)?;
    match raw.parse::<i64>() {
        Ok(v) if raw.bytes().all(|b| b.is_ascii_digit()) && v > 0 && v <= 99_999_999_999 => Ok(v),
        _ => Err(param_error(
            field,
            &format!("{field} must be a positive integer amount in minor units (got {raw:?})"),
        )),
    }
}

fn datetime(p: &Params, field: &str, required: bool) -> Result<Option<NaiveDateTime>, Answer> {
    let Some(v) = p.text(field) else {
        return if required {
            Err(param_error(field, &format!("{field} is required")))
        } else {
            Ok(None)
        };
    };
    qfpay::validate::datetime(field, v).map(Some).map_err(|_| {
        param_error(
            field,
            &format!("{field} must be formatted YYYY-MM-DD hh:mm:ss (got {v:?})"),
        )
    })
}

fn max_len(p: &Params, field: &str, max: usize) -> Result<(), Answer> {
    match p.text(field) {
        Some(v) if v.chars().count() > max => Err(param_error(
            field,
            &format!("{field} must be at most {max} characters"),
        )),
        _ => Ok(()),
    }
}

/// Whether the sandbox takes `code`: every code QFPay's pay-code source lists
/// ([`PayType::is_known`]), or only the current ones in strict mode.
fn check_pay_type(code: &str, strict: bool) -> Result<(), Answer> {
    if PayType::DOCUMENTED.contains(&code) || (!strict && PayType::is_known(code)) {
        return Ok(());
    }
    let detail = if PayType::is_known(code) {
        format!(
            "pay_type {code:?} is a legacy code; this sandbox runs with strict_pay_types and refuses it"
        )
    } else {
        format!("pay_type {code:?} is not a supported pay type")
    };
    Err(param_error("pay_type", &detail))
}

/// An optional browser URL (`return_url`, `failed_url`, `cancel_url`): http(s), at most 512.
fn browser_url(p: &Params, field: &str) -> Result<Option<String>, Answer> {
    match p.text(field) {
        None => Ok(None),
        Some(u) if u.len() <= 512 && crate::pages::is_http_url(u) => Ok(Some(u.to_owned())),
        Some(_) => Err(param_error(
            field,
            &format!("{field} must be an http(s) URL of at most 512 characters"),
        )),
    }
}

fn qrcode_for(pay_type: &str) -> String {
    match pay_type {
        "800201" => format!("weixin://wxpay/bizpayurl?pr={}", random_alnum(7)),
        "800101" | "801501" => format!(
            "https://qr.alipay.com/bax0{}",
            random_alnum(20).to_lowercase()
        ),
        "805801" => format!("https://qr.payme.hsbc.com.hk/2/{}", random_alnum(22)),
        "800701" => format!("https://qr.95516.com/00010000/{}", random_alnum(20)),
        "803701" => format!("octopus://pay?token={}", random_alnum(24)),
        _ => format!(
            "https://qr.sandbox.qfpay.invalid/{pay_type}/{}",
            random_alnum(16)
        ),
    }
}

/// The merchant's refundable amount today (sandbox day) for this pay type and currency: the
/// day's paid payments less the day's refunds (pending ones included).
fn available_today(
    book: &crate::state::Book,
    now: NaiveDateTime,
    pay_type: &str,
    currency: &str,
) -> i64 {
    let today = now.date();
    book.orders
        .values()
        .filter(|o| {
            o.created.date() == today
                && o.pay_type == pay_type
                && o.txcurrcd == currency
                && (o.is_refund || o.status == Status::Paid)
        })
        .map(|o| if o.is_refund { -o.txamt } else { o.txamt })
        .sum()
}

/// Expires a pending order whose time has passed, and counts down scenario 1002's pending
/// queries (paying the order, to be notified, when they run out): what any query that
/// matches the order does to it.
fn settle_on_query(order: &mut Order, now: NaiveDateTime, to_notify: &mut Vec<Order>) {
    order.refresh(now);
    if order.status == Status::Pending
        && let Some(left) = order.pending_queries
    {
        if left == 0 {
            order.mark_paid(now);
            to_notify.push(order.clone());
        } else {
            order.pending_queries = Some(left - 1);
        }
    }
}

/// The filters of a query by time window (no `syssn`, no `out_trade_no`).
struct PageFilter<'a> {
    window: Option<(NaiveDateTime, NaiveDateTime)>,
    pay_types: &'a [String],
    respcd: Option<&'a str>,
}

/// One page of a window query, newest order first, through the book's time index: the
/// pending orders in the window are settled first (as a walk of every order would), then
/// the page is read straight off the index when only the window filters, or by a walk of the
/// window alone otherwise. Orders are never cloned wholesale.
fn window_page<'b>(
    book: &'b mut crate::state::Book,
    f: &PageFilter<'_>,
    now: NaiveDateTime,
    skip: usize,
    page_size: usize,
    to_notify: &mut Vec<Order>,
) -> Vec<RecordView<'b>> {
    use crate::timeline::whole_seconds;
    let (start, end) = f.window.map_or((i64::MIN, i64::MAX), |(s, e)| {
        (whole_seconds(s), whole_seconds(e))
    });
    let (range, exact) = book.timeline.window(start, end);
    let in_window =
        |tl: &crate::timeline::Timeline, pos: usize| exact || tl.within(pos, start, end);
    let type_ok = |o: &Order| f.pay_types.is_empty() || f.pay_types.contains(&o.pay_type);
    for pos in book.timeline.unsettled_in(range.clone()) {
        if !in_window(&book.timeline, pos) {
            continue;
        }
        let Some(order) = book.sequence.get(pos).and_then(|k| book.orders.get_mut(k)) else {
            continue;
        };
        if type_ok(order) {
            settle_on_query(order, now, to_notify);
        }
        if order.status != Status::Pending {
            book.timeline.settled(pos);
        }
    }
    let book = &*book;
    let mut records = Vec::new();
    if exact && f.pay_types.is_empty() && f.respcd.is_none() {
        // Every position in the range matches: jump straight to the page.
        let hi = range.end.saturating_sub(skip).max(range.start);
        for pos in (range.start..hi).rev().take(page_size) {
            if let Some(o) = book.sequence.get(pos).and_then(|k| book.orders.get(k)) {
                records.push(o.record_view());
            }
        }
        return records;
    }
    let mut matched = 0usize;
    for pos in range.rev() {
        if records.len() >= page_size {
            break;
        }
        if !in_window(&book.timeline, pos) {
            continue;
        }
        let Some(order) = book.sequence.get(pos).and_then(|k| book.orders.get(k)) else {
            continue;
        };
        if !type_ok(order) || f.respcd.is_some_and(|r| r != order.respcd()) {
            continue;
        }
        if matched >= skip {
            records.push(order.record_view());
        }
        matched += 1;
    }
    records
}

/// A query answer, serialised straight from its records (keys in `serde_json`'s sorted map
/// order, so the bytes are those a JSON tree of it would give).
#[derive(serde::Serialize)]
struct QueryAnswer<'a, T: serde::Serialize> {
    data: &'a [T],
    page: usize,
    page_size: usize,
    respcd: &'static str,
    resperr: &'static str,
    respmsg: &'static str,
}

fn query_answer<T: serde::Serialize>(page: usize, page_size: usize, data: &[T]) -> Answer {
    let body = serde_json::to_vec(&QueryAnswer {
        data,
        page,
        page_size,
        respcd: "0000",
        resperr: "success",
        respmsg: "",
    })
    .unwrap_or_default();
    let mut a = Answer::text(200, body);
    a.content_type = "application/json; charset=utf-8";
    a.respcd = "0000".into();
    a
}

impl Shared {
    /// `POST /trade/v1/payment`.
    pub fn payment(self: &Arc<Self>, m: &MerchantState, p: &Params) -> Answer {
        match self.payment_inner(m, p) {
            Ok(a) | Err(a) => a,
        }
    }

    fn payment_inner(self: &Arc<Self>, m: &MerchantState, p: &Params) -> Result<Answer, Answer> {
        let txamt = amount(p, "txamt")?;
        let txcurrcd = p.required("txcurrcd")?;
        qfpay::Currency::parse(txcurrcd).map_err(|_| {
            param_error(
                "txcurrcd",
                &format!("txcurrcd {txcurrcd:?} is not a supported currency"),
            )
        })?;
        let pay_type_code = p.required("pay_type")?;
        check_pay_type(pay_type_code, self.strict_pay_types())?;
        let pay_type = PayType::from_code(pay_type_code);
        let shape = pay_type.answer_shape();
        let out_trade_no = p.required("out_trade_no")?;
        max_len(p, "out_trade_no", 128)?;
        let txdtm = p.required("txdtm")?;
        datetime(p, "txdtm", true)?;
        max_len(p, "goods_name", 64)?;
        max_len(p, "goods_info", 1024)?;
        max_len(p, "udid", 40)?;
        max_len(p, "auth_code", 128)?;
        max_len(p, "seller_id", 64)?;
        max_len(p, "openid", 128)?;
        max_len(p, "sub_openid", 128)?;
        let cpm = shape == AnswerShape::Cpm;
        if cpm && p.text("auth_code").is_none() {
            return Err(param_error(
                "auth_code",
                &format!("auth_code is required for consumer-presented pay type {pay_type_code}"),
            ));
        }
        // The core's table of each method's required fields (1104 naming the first missing).
        let required = pay_type
            .required_fields()
            .map_or(&[][..], |(fields, _)| fields);
        for field in required {
            if p.text(field).is_none() {
                return Err(param_error(
                    field,
                    &format!("{field} is required for pay type {pay_type_code}"),
                ));
            }
        }
        let expired_minutes = match p.text("expired_time") {
            None => 30,
            Some(_) if cpm => {
                return Err(param_error(
                    "expired_time",
                    "expired_time is only for merchant-presented (MPM) pay types",
                ));
            }
            Some(v) => match v.parse::<i64>() {
                Ok(n) if (5..=120).contains(&n) => n,
                _ => {
                    return Err(param_error(
                        "expired_time",
                        &format!("expired_time must be 5 to 120 minutes (got {v:?})"),
                    ));
                }
            },
        };
        let notify_url = match p.text("notify_url") {
            Some(u)
                if u.len() > 256 || !(u.starts_with("http://") || u.starts_with("https://")) =>
            {
                return Err(param_error(
                    "notify_url",
                    "notify_url must be an http(s) URL of at most 256 characters",
                ));
            }
            other => other.map(str::to_owned),
        };
        let mut urls = [None, None, None];
        for (slot, field) in urls
            .iter_mut()
            .zip(["return_url", "failed_url", "cancel_url"])
        {
            *slot = browser_url(p, field)?;
        }
        let [return_url, failed_url, cancel_url] = urls;
        if let Some(info) = p.text("extend_info")
            && !matches!(serde_json::from_str::<Value>(info), Ok(Value::Object(_)))
        {
            return Err(param_error(
                "extend_info",
                "extend_info must be a JSON object",
            ));
        }
        if let Some(tag) = p.text("rmb_tag")
            && (tag != "Y" || txcurrcd != "CNY")
        {
            return Err(param_error(
                "rmb_tag",
                "rmb_tag must be \"Y\" and only with CNY",
            ));
        }

        // Scenario amounts that create no order.
        match txamt {
            1003 => {
                return Ok(error(
                    "1201",
                    "Insufficient balance(1201)",
                    "The customer's balance is insufficient",
                ));
            }
            1007 => return Ok(Answer::rate_limited()),
            _ => {}
        }

        let now = self.clock.now();
        let mut order = Order::payment(now, out_trade_no, pay_type_code, txamt, txcurrcd, txdtm);
        order.expires = (!cpm).then(|| now + TimeDelta::minutes(expired_minutes));
        order.goods_name = p.text("goods_name").unwrap_or_default().to_owned();
        order.goods_info = p.text("goods_info").unwrap_or_default().to_owned();
        order.udid = p.text("udid").unwrap_or_default().to_owned();
        order.notify_url = notify_url;
        order.return_url = return_url;
        order.failed_url = failed_url;
        order.cancel_url = cancel_url;
        if cpm || txamt == 1001 {
            order.mark_paid(now);
        }
        if txamt == 1002 {
            order.pending_queries = Some(self.config.pending_queries);
        }
        let shown = match shape {
            AnswerShape::Cpm => None,
            AnswerShape::Qrcode => {
                let code = qrcode_for(pay_type_code);
                order.qrcode = Some(code.clone());
                Some(("qrcode", Value::String(code)))
            }
            AnswerShape::PayUrl => Some((
                "pay_url",
                Value::String(format!(
                    "{}/sandbox/checkout/{}",
                    self.base_url, order.syssn
                )),
            )),
            AnswerShape::WechatJsapi => {
                let (v, prepay, sign) = pay_params::wechat_jsapi(&m.merchant.app_code, now);
                order.prepay_id = Some(prepay);
                order.pay_sign = Some(sign);
                Some(("pay_params", v))
            }
            AnswerShape::WechatApp => {
                let (v, prepay) = pay_params::wechat_app(&m.merchant.app_code, now);
                order.prepay_id = Some(prepay);
                Some(("pay_params", v))
            }
            AnswerShape::AlipayApp => {
                let notify = order
                    .notify_url
                    .clone()
                    .or_else(|| m.merchant.notify_url.clone())
                    .unwrap_or_default();
                Some((
                    "pay_params",
                    pay_params::alipay_app(&pay_params::AlipayOrder {
                        seller_id: p.text("seller_id").unwrap_or_default(),
                        goods_name: &order.goods_name,
                        goods_info: &order.goods_info,
                        txamt,
                        txcurrcd,
                        notify_url: &notify,
                        return_url: order.return_url.as_deref().unwrap_or_default(),
                        expired_minutes,
                        pay_tag: p.text("pay_tag").unwrap_or("ALIPAYHK"),
                        syssn: &order.syssn,
                    }),
                ))
            }
        };
        let paid = order.status == Status::Paid;
        let mut body = Map::new();
        let mut snapshot = None;
        {
            let mut book = lock(&m.book);
            if book.by_out_trade_no.contains_key(out_trade_no) {
                return Err(error(
                    "1251",
                    "Do not use duplicate out_trade_no for request(1251)",
                    "out_trade_no is used",
                ));
            }
            for (k, v) in [
                ("syssn", &order.syssn),
                ("out_trade_no", &order.out_trade_no),
                ("pay_type", &order.pay_type),
                ("txcurrcd", &order.txcurrcd),
                ("txdtm", &order.txdtm),
                ("sysdtm", &order.sysdtm),
                ("paydtm", &order.paydtm),
                ("chnlsn", &order.chnlsn),
                ("cardcd", &order.cardcd),
                ("udid", &order.udid),
            ] {
                body.insert(k.to_owned(), Value::String(v.clone()));
            }
            if paid {
                snapshot = Some(order.clone());
            }
            book.insert(order);
        }
        if let Some(o) = &snapshot {
            self.notify_paid(m, o);
        }
        body.insert("txamt".into(), Value::String(txamt.to_string()));
        if let Some((k, v)) = shown {
            body.insert(k.into(), v);
        }
        let (respcd, resperr) = if txamt == 1004 {
            ("1145", "Please wait while processing(1145)")
        } else {
            ("0000", "success")
        };
        body.insert("respcd".into(), Value::String(respcd.into()));
        body.insert("resperr".into(), Value::String(resperr.into()));
        body.insert("respmsg".into(), Value::String("OK".into()));
        let mut answer = Answer::json(200, &Value::Object(body));
        match txamt {
            1005 => answer.delay = Some(self.config.slow_response),
            1006 => {
                answer = Answer::text(500, "Internal Server Error");
                answer.respcd = "500".into();
            }
            _ => {}
        }
        Ok(answer)
    }

    /// Starts the notification for a paid payment or a refund, if the merchant or the request
    /// has a notification URL.
    pub fn notify_paid(self: &Arc<Self>, m: &MerchantState, order: &Order) {
        let Some(url) = order
            .notify_url
            .clone()
            .or_else(|| m.merchant.notify_url.clone())
        else {
            return;
        };
        let fields = order.notification_fields(m.merchant.mchid.as_deref());
        let body = crate::python_json::dumps_pairs(&fields);
        self.notifier.send(
            url,
            body,
            &m.merchant.client_key,
            crate::notify::NotificationMeta {
                notify_type: if order.is_refund { "refund" } else { "payment" }.into(),
                syssn: order.syssn.clone(),
                out_trade_no: order.out_trade_no.clone(),
            },
        );
    }

    /// `/trade/v1/query`.
    pub fn query(self: &Arc<Self>, m: &MerchantState, p: &Params) -> Answer {
        match self.query_inner(m, p) {
            Ok(a) | Err(a) => a,
        }
    }

    fn query_inner(self: &Arc<Self>, m: &MerchantState, p: &Params) -> Result<Answer, Answer> {
        let list = |name: &str| -> Vec<String> {
            p.text(name)
                .map(|v| {
                    v.split(',')
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default()
        };
        let syssns = list("syssn");
        let out_trade_nos = list("out_trade_no");
        let pay_types = list("pay_type");
        let respcd = p.text("respcd");
        let page = match p.text("page") {
            None => 1usize,
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| param_error("page", "page must be a positive integer"))?,
        };
        let page_size = match p.text("page_size") {
            None => 10usize,
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=100).contains(n))
                .ok_or_else(|| param_error("page_size", "page_size must be 1 to 100"))?,
        };
        let start = datetime(p, "start_time", false)?;
        let end = datetime(p, "end_time", false)?;
        let now = self.clock.now();
        let month_start = |t: NaiveDateTime| {
            t.date()
                .with_day(1)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .unwrap_or(t)
        };
        let month_end = |t: NaiveDateTime| {
            let (y, mo) = if t.month() == 12 {
                (t.year() + 1, 1)
            } else {
                (t.year(), t.month() + 1)
            };
            chrono::NaiveDate::from_ymd_opt(y, mo, 1)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map_or(t, |d| d - TimeDelta::seconds(1))
        };
        let window = match (start, end) {
            (Some(s), Some(e)) => {
                if s > e {
                    return Err(param_error(
                        "start_time",
                        "start_time must not be after end_time",
                    ));
                }
                if (s.year(), s.month()) != (e.year(), e.month()) {
                    return Err(param_error(
                        "end_time",
                        "start_time and end_time must be in the same calendar month",
                    ));
                }
                Some((s, e))
            }
            (Some(s), None) => Some((s, month_end(s))),
            (None, Some(e)) => Some((month_start(e), e)),
            (None, None) if syssns.is_empty() && out_trade_nos.is_empty() => {
                Some((month_start(now), month_end(now)))
            }
            (None, None) => None,
        };
        let window = if syssns.is_empty() { window } else { None };

        let mut to_notify = Vec::new();
        let answer;
        let skip = (page - 1).saturating_mul(page_size);
        {
            let mut guard = lock(&m.book);
            let book = &mut *guard;
            if syssns.is_empty() && out_trade_nos.is_empty() {
                let filter = PageFilter {
                    window,
                    pay_types: &pay_types,
                    respcd,
                };
                let views = window_page(book, &filter, now, skip, page_size, &mut to_notify);
                answer = query_answer(page, page_size, &views);
            } else {
                let mut records = Vec::new();
                let keys: Vec<String> = if !syssns.is_empty() {
                    syssns
                        .iter()
                        .filter(|s| book.orders.contains_key(*s))
                        .cloned()
                        .collect()
                } else {
                    out_trade_nos
                        .iter()
                        .flat_map(|o| book.all_by_out_trade_no(o))
                        .collect()
                };
                let mut matched = 0usize;
                for key in keys {
                    let Some(order) = book.orders.get_mut(&key) else {
                        continue;
                    };
                    if !out_trade_nos.is_empty() && !out_trade_nos.contains(&order.out_trade_no) {
                        continue;
                    }
                    if !pay_types.is_empty() && !pay_types.contains(&order.pay_type) {
                        continue;
                    }
                    // QFPay's times are whole seconds: an order made at 10:00:00.6 is in a
                    // window that ends at 10:00:00.
                    let created = order.created.with_nanosecond(0).unwrap_or(order.created);
                    if let Some((s, e)) = window
                        && (created < s || created > e)
                    {
                        continue;
                    }
                    settle_on_query(order, now, &mut to_notify);
                    if respcd.is_some_and(|r| r != order.respcd()) {
                        continue;
                    }
                    if matched >= skip && records.len() < page_size {
                        records.push(order.record());
                    }
                    matched += 1;
                }
                answer = query_answer(page, page_size, &records);
            }
        }
        for order in &to_notify {
            self.notify_paid(m, order);
        }
        Ok(answer)
    }

    /// `POST /trade/v1/refund`.
    pub fn refund(self: &Arc<Self>, m: &MerchantState, p: &Params) -> Answer {
        match self.refund_inner(m, p) {
            Ok(a) | Err(a) => a,
        }
    }

    fn refund_inner(self: &Arc<Self>, m: &MerchantState, p: &Params) -> Result<Answer, Answer> {
        let orig = p.required("syssn")?;
        let out_trade_no = p.required("out_trade_no")?;
        max_len(p, "out_trade_no", 128)?;
        let txamt = amount(p, "txamt")?;
        let txdtm = p.required("txdtm")?;
        datetime(p, "txdtm", true)?;
        max_len(p, "udid", 40)?;
        let now = self.clock.now();
        let refund = {
            let mut book = lock(&m.book);
            if book.by_out_trade_no.contains_key(out_trade_no) {
                return Err(error(
                    "1251",
                    "Do not use duplicate out_trade_no for request(1251)",
                    "out_trade_no is used",
                ));
            }
            let Some(original) = book.orders.get_mut(orig).filter(|o| !o.is_refund) else {
                return Err(error(
                    "1268",
                    "Order does not exist(1268)",
                    "order not found",
                ));
            };
            original.refresh(now);
            if original.status != Status::Paid {
                return Err(error(
                    "1261",
                    "Order not paid, please confirm the result(1261)",
                    "order not paid",
                ));
            }
            let remaining = original.txamt - original.refunded;
            if remaining <= 0 {
                return Err(error(
                    "1264",
                    "Order closed, please confirm the order status before continuing(1264)",
                    "wrong cancel",
                ));
            }
            if txamt > remaining {
                return Err(error(
                    "1272",
                    &format!(
                        "Refund amount is greater than the refundable amount {remaining}(1272)"
                    ),
                    "refund amount exceeds the refundable amount",
                ));
            }
            // The refund rules (all off by default; see refund_rules.rs).
            let rules = self.refund_rules();
            let (pay_type, currency) = (original.pay_type.clone(), original.txcurrcd.clone());
            let (paid_at, payment_amount, refunded) =
                (original.created, original.txamt, original.refunded);
            let available_today = if rules.daily_unsettled {
                available_today(&book, now, &pay_type, &currency)
            } else {
                0
            };
            let facts = crate::refund_rules::RefundFacts {
                now,
                paid_at,
                pay_type: &pay_type,
                currency: &currency,
                payment_amount,
                refunded,
                amount: txamt,
                available_today,
            };
            if let Some(r) = rules.check(&facts) {
                return Err(error(r.respcd, &r.resperr, r.respmsg));
            }
            // Looked up again: the book was read in between.
            let Some(original) = book.orders.get_mut(orig) else {
                return Err(error(
                    "1268",
                    "Order does not exist(1268)",
                    "order not found",
                ));
            };
            original.refunded += txamt;
            let mut refund = Order::payment(
                now,
                out_trade_no,
                &original.pay_type,
                txamt,
                &original.txcurrcd,
                txdtm,
            );
            refund.is_refund = true;
            refund.cardcd = original.cardcd.clone();
            refund.goods_name = original.goods_name.clone();
            refund.udid = p.text("udid").unwrap_or_default().to_owned();
            refund.notify_url = original.notify_url.clone();
            refund.origssn = Some(original.syssn.clone());
            refund.orig_out_trade_no = Some(original.out_trade_no.clone());
            if rules.pending_queries > 0 {
                refund.pending_queries = Some(rules.pending_queries);
            } else {
                refund.mark_paid(now);
            }
            book.insert(refund.clone());
            refund
        };
        let (respcd, resperr) = if refund.status == Status::Paid {
            self.notify_paid(m, &refund);
            ("0000", "success")
        } else {
            ("1143", crate::state::REFUND_PROCESSING)
        };
        Ok(Answer::json(
            200,
            &json!({
                "respcd": respcd,
                "resperr": resperr,
                "respmsg": "",
                "syssn": refund.syssn,
                "orig_syssn": refund.origssn,
                "out_trade_no": refund.out_trade_no,
                "txamt": refund.txamt.to_string(),
                "txcurrcd": refund.txcurrcd,
                "txdtm": refund.txdtm,
                "sysdtm": refund.sysdtm,
                "paydtm": refund.paydtm,
                "chnlsn": refund.chnlsn,
                "cardcd": refund.cardcd,
                "udid": refund.udid,
                "cash_fee": refund.txamt.to_string(),
                "cash_fee_type": refund.txcurrcd,
                "cash_refund_fee": refund.txamt.to_string(),
                "cash_refund_fee_type": refund.txcurrcd,
            }),
        ))
    }

    /// `/trade/v1/close` (`reversal == false`) and `/trade/v1/reversal`.
    pub fn cancel(self: &Arc<Self>, m: &MerchantState, p: &Params, reversal: bool) -> Answer {
        match self.cancel_inner(m, p, reversal) {
            Ok(a) | Err(a) => a,
        }
    }

    fn cancel_inner(
        self: &Arc<Self>,
        m: &MerchantState,
        p: &Params,
        reversal: bool,
    ) -> Result<Answer, Answer> {
        let id = match (p.text("syssn"), p.text("out_trade_no")) {
            (Some(s), _) => s,
            (None, Some(o)) => o,
            (None, None) => {
                return Err(param_error(
                    "syssn",
                    "either syssn or out_trade_no is required",
                ));
            }
        };
        let txamt = amount(p, "txamt")?;
        datetime(p, "txdtm", false)?;
        max_len(p, "udid", 40)?;
        let now = self.clock.now();
        let mut book = lock(&m.book);
        let key = match (p.text("syssn"), p.text("out_trade_no")) {
            (Some(s), _) => book.orders.contains_key(s).then(|| s.to_owned()),
            _ => book.by_out_trade_no.get(id).cloned(),
        };
        let Some(order) = key
            .and_then(|k| book.orders.get_mut(&k))
            .filter(|o| !o.is_refund)
        else {
            return Err(error(
                "1268",
                "Order does not exist(1268)",
                "order not found",
            ));
        };
        order.refresh(now);
        if txamt != order.txamt {
            return Err(error(
                "1266",
                &format!("Amount wrong: the order's amount is {}(1266)", order.txamt),
                "amount wrong",
            ));
        }
        match order.status {
            Status::Paid => {
                return Err(error(
                    "1260",
                    "Order already paid, please confirm the result; refund it instead(1260)",
                    "order already paid",
                ));
            }
            Status::Closed | Status::Reversed => {
                return Err(error("1142", "Order already closed(1142)", "order closed"));
            }
            Status::Expired => {
                return Err(error("1181", "Order expired(1181)", "order expired"));
            }
            Status::Failed => {
                return Err(error("1205", "Transaction failed(1205)", "order failed"));
            }
            Status::Pending => {}
        }
        order.status = if reversal {
            Status::Reversed
        } else {
            Status::Closed
        };
        Ok(Answer::json(
            200,
            &json!({
                "respcd": "0000",
                "resperr": "success",
                "respmsg": "",
                "syssn": new_syssn(now),
                "orig_syssn": order.syssn,
                "out_trade_no": order.out_trade_no,
                "txamt": order.txamt.to_string(),
                "txcurrcd": order.txcurrcd,
                "txdtm": p.text("txdtm").unwrap_or(&order.txdtm),
                "sysdtm": fmt_time(now),
                "chnlsn": "",
                "chnlsn2": "",
                "cardcd": "",
                "udid": p.text("udid").unwrap_or_default(),
                "surcharge_fee": 0,
                "surcharge_rate": 0,
            }),
        ))
    }

    /// Every payment and refund of every merchant, in creation order per merchant (expiry
    /// applied first), as `/sandbox/orders` lists them.
    pub fn orders(&self) -> Vec<Value> {
        let now = self.clock.now();
        let mut out = Vec::new();
        for m in &self.merchants {
            let mut book = lock(&m.book);
            let book = &mut *book;
            for key in &book.sequence {
                if let Some(order) = book.orders.get_mut(key) {
                    order.refresh(now);
                    out.push(order.summary(&m.merchant.app_code));
                }
            }
        }
        out
    }

    /// The customer's scan: pays a pending payment found by `syssn` or `out_trade_no` in any
    /// merchant (or only `app_code`'s). Paying a paid order returns it unchanged.
    pub fn pay(
        self: &Arc<Self>,
        id: &str,
        app_code: Option<&str>,
    ) -> Result<Value, crate::SandboxError> {
        let now = self.clock.now();
        for m in &self.merchants {
            if app_code.is_some_and(|a| a != m.merchant.app_code) {
                continue;
            }
            let mut book = lock(&m.book);
            let Some(key) = book.find_key(id) else {
                continue;
            };
            let Some(order) = book.orders.get_mut(&key) else {
                continue;
            };
            if order.is_refund {
                return Err(crate::SandboxError::InvalidState(format!(
                    "{id} is a refund, not a payment"
                )));
            }
            order.refresh(now);
            match order.status {
                Status::Paid => return Ok(order.record()),
                Status::Pending => {
                    order.mark_paid(now);
                    let snapshot = order.clone();
                    drop(book);
                    self.notify_paid(m, &snapshot);
                    return Ok(snapshot.record());
                }
                Status::Closed | Status::Reversed => {
                    return Err(crate::SandboxError::InvalidState(format!(
                        "order {id} was closed and cannot be paid"
                    )));
                }
                Status::Expired => {
                    return Err(crate::SandboxError::InvalidState(format!(
                        "order {id} has expired and cannot be paid"
                    )));
                }
                Status::Failed => {
                    return Err(crate::SandboxError::InvalidState(format!(
                        "order {id} was declined and cannot be paid"
                    )));
                }
            }
        }
        Err(crate::SandboxError::NotFound(format!(
            "no payment with syssn or out_trade_no {id:?}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_answers_serialise_as_json_trees_do() {
        let now = crate::state::Clock::default().now();
        let mut o = Order::payment(now, "A", "800201", 5, "HKD", "");
        o.mark_paid(now);
        let tree = json!({
            "respcd": "0000", "resperr": "success", "respmsg": "",
            "page": 2, "page_size": 10, "data": [o.record()],
        });
        let a = query_answer(2, 10, &[o.record_view()]);
        assert_eq!(
            a.body,
            bytes::Bytes::from(serde_json::to_vec(&tree).unwrap())
        );
        assert_eq!(a.respcd, "0000");
    }
}

#[cfg(test)]
mod bench {
    use super::*;

    /// Sandbox work per query page on a seeded year of 100,000 orders: every calendar-month
    /// window paged at 100 to its end. Run in release:
    /// `cargo test --release -p qfpay-sandbox --lib -- --ignored query_speed --nocapture`.
    #[tokio::test]
    #[ignore = "a measurement; run in release"]
    async fn query_speed() {
        let (_tx, rx) = tokio::sync::watch::channel(false);
        let notifier = crate::notify::Notifier::new(tokio::runtime::Handle::current(), rx, 1.0);
        let shared = Arc::new(Shared::new(
            crate::config::SandboxConfig::default(),
            crate::server::ServerOptions::default(),
            "http://127.0.0.1:1".into(),
            notifier,
        ));
        let today = shared.clock.now().date();
        let from = today - TimeDelta::days(364);
        let mut req = crate::seed::SeedRequest::new(100_000);
        req.from = Some(from);
        req.to = Some(today);
        req.seed = Some(1);
        shared.seed(&req).unwrap();
        let m = &shared.merchants[0];
        let mut first = from.with_day(1).unwrap();
        let (mut pages, mut records) = (0u64, 0usize);
        let mut worst = std::time::Duration::ZERO;
        let mut in_query = std::time::Duration::ZERO;
        let mut each = Vec::new();
        let started = std::time::Instant::now();
        while first <= today {
            let next = first.checked_add_months(chrono::Months::new(1)).unwrap();
            let last = next - TimeDelta::days(1);
            let (s, e) = (format!("{first} 00:00:00"), format!("{last} 23:59:59"));
            for page in 1.. {
                let p = Params(vec![
                    ("start_time".into(), s.clone()),
                    ("end_time".into(), e.clone()),
                    ("page".into(), page.to_string()),
                    ("page_size".into(), "100".into()),
                ]);
                let t = std::time::Instant::now();
                let a = shared.query(m, &p);
                let took = t.elapsed();
                worst = worst.max(took);
                in_query += took;
                each.push(took);
                pages += 1;
                let v: Value = serde_json::from_slice(&a.body).unwrap();
                let n = v["data"].as_array().unwrap().len();
                records += n;
                if n < 100 {
                    break;
                }
            }
            first = next;
        }
        let total = started.elapsed();
        println!(
            "query_speed: {records} records, {pages} pages, {:.1} µs/page in the handler (mean), {:.1} µs/page with the answer parsed, worst {:.1} µs",
            in_query.as_secs_f64() * 1e6 / pages as f64,
            total.as_secs_f64() * 1e6 / pages as f64,
            worst.as_secs_f64() * 1e6
        );
        assert_eq!(records, 100_000);
        each.sort_unstable();
        let at = |q: f64| each[((each.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e6;
        println!(
            "query_speed: per page in the handler: median {:.1} µs, p99 {:.1} µs",
            at(0.5),
            at(0.99)
        );
    }
}
