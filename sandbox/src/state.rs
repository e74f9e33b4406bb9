//! Orders, per-merchant books, the sandbox clock and the request log.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use bytes::Bytes;
use chrono::{NaiveDateTime, TimeDelta, Utc};
use rand::Rng;
use serde_json::{Value, json};

use crate::config::Merchant;
use crate::rate_limit::Limiter;

/// Locks a mutex, recovering the data if a holder panicked (the state stays usable).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The `YYYY-MM-DD hh:mm:ss` format QFPay uses.
pub const DATETIME: &str = "%Y-%m-%d %H:%M:%S";

/// Formats a time as QFPay does.
pub fn fmt_time(t: NaiveDateTime) -> String {
    t.format(DATETIME).to_string()
}

/// The furthest the sandbox clock may be moved from real time, either way: 100 years. Beyond
/// it dates stop being representable; control calls asking for more are refused.
pub const MAX_CLOCK_OFFSET_SECONDS: i64 = 100 * 366 * 24 * 3600;

/// The sandbox clock: QFPay HK time (UTC+8), which tests can move forward.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// The current sandbox time.
    pub fn now(&self) -> NaiveDateTime {
        let real = Utc::now().naive_utc() + TimeDelta::hours(8);
        // The offset is kept within MAX_CLOCK_OFFSET_SECONDS, so this cannot overflow; if it
        // somehow did, real time is a better answer than a panic.
        TimeDelta::try_milliseconds(self.offset_ms.load(Ordering::Relaxed))
            .and_then(|d| real.checked_add_signed(d))
            .unwrap_or(real)
    }

    /// Moves the clock forward (or back, for a negative value) by `ms`, saturating at
    /// [`MAX_CLOCK_OFFSET_SECONDS`] from real time.
    pub fn advance(&self, ms: i64) {
        let limit = MAX_CLOCK_OFFSET_SECONDS * 1000;
        let _ = self
            .offset_ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |cur| {
                Some(cur.saturating_add(ms).clamp(-limit, limit))
            });
    }

    /// Moves the clock by `seconds`, or refuses (leaving it unchanged) when the resulting
    /// offset from real time would exceed [`MAX_CLOCK_OFFSET_SECONDS`].
    pub fn try_advance_seconds(&self, seconds: i64) -> Result<(), String> {
        let limit = MAX_CLOCK_OFFSET_SECONDS * 1000;
        let refused = || {
            format!(
                "advance_seconds {seconds} would move the sandbox clock more than {MAX_CLOCK_OFFSET_SECONDS} seconds (100 years) from real time"
            )
        };
        let ms = seconds.checked_mul(1000).ok_or_else(refused)?;
        self.offset_ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |cur| {
                cur.checked_add(ms).filter(|n| (-limit..=limit).contains(n))
            })
            .map(|_| ())
            .map_err(|_| refused())
    }

    /// Puts the clock back to real time.
    pub fn reset(&self) {
        self.offset_ms.store(0, Ordering::Relaxed);
    }
}

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Waiting for the customer.
    Pending,
    /// Paid (payments) or done (refunds).
    Paid,
    /// Closed while unpaid (`/trade/v1/close`).
    Closed,
    /// Reversed while unpaid (`/trade/v1/reversal`).
    Reversed,
    /// Not paid before `expired_time`.
    Expired,
    /// Declined by the tester (a checkout page's "Fail" or "Decline").
    Failed,
}

/// The text of a refund still processing (`1143`).
pub const REFUND_PROCESSING: &str = "處理中，請稍等(1143)";

/// A payment or refund the sandbox knows.
#[derive(Debug, Clone)]
pub struct Order {
    /// Whether this is a refund record.
    pub is_refund: bool,
    /// QFPay's number.
    pub syssn: String,
    /// The merchant's number.
    pub out_trade_no: String,
    /// Pay type code.
    pub pay_type: String,
    /// Amount in minor units.
    pub txamt: i64,
    /// Currency.
    pub txcurrcd: String,
    /// Request time as sent.
    pub txdtm: String,
    /// System time.
    pub sysdtm: String,
    /// Payment time.
    pub paydtm: String,
    /// When it was created (sandbox clock).
    pub created: NaiveDateTime,
    /// When an unpaid MPM order expires.
    pub expires: Option<NaiveDateTime>,
    /// State.
    pub status: Status,
    /// Amount refunded so far (payments).
    pub refunded: i64,
    /// Wallet transaction number (28 digits once paid).
    pub chnlsn: String,
    /// Buyer id.
    pub cardcd: String,
    /// Goods name.
    pub goods_name: String,
    /// Goods info.
    pub goods_info: String,
    /// Device id.
    pub udid: String,
    /// The request's notification URL.
    pub notify_url: Option<String>,
    /// Refunds: the original payment's `syssn`.
    pub origssn: Option<String>,
    /// Refunds: the original payment's `out_trade_no`.
    pub orig_out_trade_no: Option<String>,
    /// Scenario 1002: queries left that answer pending.
    pub pending_queries: Option<u32>,
    /// Where the customer's browser goes after paying (`return_url`).
    pub return_url: Option<String>,
    /// Where it goes when the payment fails (`failed_url`, checkout).
    pub failed_url: Option<String>,
    /// Where it goes on cancelling (`cancel_url`, checkout).
    pub cancel_url: Option<String>,
    /// The WeChat prepay id (`wx…`) handed out in `pay_params`, for `/q/direct`.
    pub prepay_id: Option<String>,
    /// The `paySign` handed out in `pay_params`, for `/q/direct`.
    pub pay_sign: Option<String>,
    /// Checkout orders: the link's signature, to tell a second open of the same link from
    /// another link reusing its `out_trade_no`.
    pub checkout_sign: Option<String>,
    /// The `qrcode` handed out for a QR payment (shown on the dashboard).
    pub qrcode: Option<String>,
    /// The merchant's note (`/trade/v1/add_note`); a later note replaces it.
    pub note: Option<String>,
}

impl Order {
    /// The `cancel` value of the record.
    pub fn cancel(&self) -> &'static str {
        match self.status {
            Status::Closed => "2",
            Status::Reversed => "1",
            Status::Paid if !self.is_refund && self.refunded >= self.txamt && self.txamt > 0 => "3",
            Status::Paid if !self.is_refund && self.refunded > 0 => "5",
            _ => "0",
        }
    }

    /// The record's own `respcd`.
    pub fn respcd(&self) -> &'static str {
        match self.status {
            Status::Paid => "0000",
            Status::Expired => "1181",
            Status::Failed => "1205",
            _ => "1143",
        }
    }

    /// The status text (`errmsg`).
    pub fn errmsg(&self) -> &'static str {
        match self.status {
            Status::Paid => "success",
            Status::Expired => "Order expired(1181)",
            Status::Closed => "Order closed(1142)",
            Status::Reversed => "Order reversed",
            Status::Pending if self.is_refund => REFUND_PROCESSING,
            Status::Pending => "The order has not been paid, the password is being entered(1143)",
            Status::Failed => "Transaction failed(1205)",
        }
    }

    /// Where the order stands, in the SDK's words (`succeeded`, `pending`, `failed`,
    /// `refunded`, `partially_refunded`, `cancelled`): what a query of it reads as.
    pub fn state(&self) -> &'static str {
        qfpay::model::query::state_of(self.respcd(), self.cancel()).as_str()
    }

    /// The order as `/sandbox/orders` lists it.
    pub fn summary(&self, app_code: &str) -> Value {
        json!({
            "kind": if self.is_refund { "refund" } else { "payment" },
            "out_trade_no": self.out_trade_no,
            "syssn": self.syssn,
            "txamt": self.txamt,
            "txcurrcd": self.txcurrcd,
            "state": self.state(),
            "orig_syssn": self.origssn,
            "pay_type": self.pay_type,
            "refunded": self.refunded,
            "app_code": app_code,
            "sysdtm": self.sysdtm,
            "note": self.note,
        })
    }

    /// Marks a pending payment expired when its time has passed.
    pub fn refresh(&mut self, now: NaiveDateTime) {
        if self.status == Status::Pending && self.expires.is_some_and(|e| now >= e) {
            self.status = Status::Expired;
        }
    }

    /// Marks the order paid now. A checkout paid with no wallet chosen (through
    /// `/sandbox/pay`) records WeChat Pay, 800201.
    pub fn mark_paid(&mut self, now: NaiveDateTime) {
        self.status = Status::Paid;
        if self.pay_type.is_empty() && !self.is_refund {
            self.pay_type = "800201".to_owned();
        }
        self.paydtm = fmt_time(now);
        if self.chnlsn.is_empty() {
            self.chnlsn = chnlsn(now);
        }
        if self.cardcd.is_empty() && !self.is_refund {
            self.cardcd = random_alnum(28);
        }
        self.pending_queries = None;
    }

    /// The query record.
    pub fn record(&self) -> Value {
        let amount = self.txamt.to_string();
        json!({
            "syssn": self.syssn,
            "out_trade_no": self.out_trade_no,
            "order_type": if self.is_refund { "refund" } else { "payment" },
            "origssn": self.origssn,
            "pay_type": self.pay_type,
            "txamt": amount,
            "txcurrcd": self.txcurrcd,
            "txdtm": self.txdtm,
            "sysdtm": self.sysdtm,
            "paydtm": self.paydtm,
            "respcd": self.respcd(),
            "errmsg": self.errmsg(),
            "cancel": self.cancel(),
            "chnlsn": self.chnlsn,
            "chnlsn2": "",
            "cardcd": self.cardcd,
            "cardtp": "",
            "clisn": "",
            "userid": "",
            "goods_name": self.goods_name,
            "goods_info": self.goods_info,
            "goods_detail": "",
            "udid": self.udid,
            "exchange_rate": "",
            "cash_fee": if self.status == Status::Paid { amount.clone() } else { "0".to_owned() },
            "cash_fee_type": self.txcurrcd,
            "cash_refund_fee": self.refunded.to_string(),
            "cash_refund_fee_type": self.txcurrcd,
        })
    }

    /// The query record as a borrowed view: serialises to exactly the bytes of
    /// [`Order::record`] without building a JSON tree (a query page's hot path).
    pub fn record_view(&self) -> RecordView<'_> {
        let amount = self.txamt.to_string();
        RecordView {
            cancel: self.cancel(),
            cardcd: &self.cardcd,
            cardtp: "",
            cash_fee: if self.status == Status::Paid {
                amount.clone()
            } else {
                "0".to_owned()
            },
            cash_fee_type: &self.txcurrcd,
            cash_refund_fee: self.refunded.to_string(),
            cash_refund_fee_type: &self.txcurrcd,
            chnlsn: &self.chnlsn,
            chnlsn2: "",
            clisn: "",
            errmsg: self.errmsg(),
            exchange_rate: "",
            goods_detail: "",
            goods_info: &self.goods_info,
            goods_name: &self.goods_name,
            order_type: if self.is_refund { "refund" } else { "payment" },
            origssn: self.origssn.as_deref(),
            out_trade_no: &self.out_trade_no,
            pay_type: &self.pay_type,
            paydtm: &self.paydtm,
            respcd: self.respcd(),
            sysdtm: &self.sysdtm,
            syssn: &self.syssn,
            txamt: amount,
            txcurrcd: &self.txcurrcd,
            txdtm: &self.txdtm,
            udid: &self.udid,
            userid: "",
        }
    }

    /// The notification body fields, in QFPay's order, for a paid payment or a refund.
    pub fn notification_fields(&self, mchid: Option<&str>) -> Vec<(&'static str, String)> {
        let mut f: Vec<(&'static str, String)> = vec![
            ("status", "1".into()),
            ("pay_type", self.pay_type.clone()),
            ("sysdtm", self.sysdtm.clone()),
            ("paydtm", self.paydtm.clone()),
            ("goods_name", self.goods_name.clone()),
            ("txcurrcd", self.txcurrcd.clone()),
            ("txdtm", self.txdtm.clone()),
        ];
        if let Some(m) = mchid {
            f.push(("mchid", m.to_owned()));
        }
        f.extend([
            ("txamt", self.txamt.to_string()),
            ("exchange_rate", String::new()),
            ("chnlsn2", String::new()),
            ("out_trade_no", self.out_trade_no.clone()),
            ("syssn", self.syssn.clone()),
            ("cash_fee_type", self.txcurrcd.clone()),
            ("cancel", self.cancel().to_owned()),
            ("respcd", "0000".into()),
            ("goods_info", self.goods_info.clone()),
            ("cash_fee", self.txamt.to_string()),
            (
                "notify_type",
                if self.is_refund { "refund" } else { "payment" }.into(),
            ),
            ("chnlsn", self.chnlsn.clone()),
            ("cardcd", self.cardcd.clone()),
        ]);
        if self.is_refund {
            f.push(("orig_syssn", self.origssn.clone().unwrap_or_default()));
            f.push((
                "orig_out_trade_no",
                self.orig_out_trade_no.clone().unwrap_or_default(),
            ));
        }
        f
    }
}

/// An order's query record, borrowed; fields in the byte order `serde_json` sorts a map's
/// keys in, so it serialises exactly as [`Order::record`]'s JSON does.
#[derive(Debug, serde::Serialize)]
pub struct RecordView<'a> {
    cancel: &'static str,
    cardcd: &'a str,
    cardtp: &'static str,
    cash_fee: String,
    cash_fee_type: &'a str,
    cash_refund_fee: String,
    cash_refund_fee_type: &'a str,
    chnlsn: &'a str,
    chnlsn2: &'static str,
    clisn: &'static str,
    errmsg: &'static str,
    exchange_rate: &'static str,
    goods_detail: &'static str,
    goods_info: &'a str,
    goods_name: &'a str,
    order_type: &'static str,
    origssn: Option<&'a str>,
    out_trade_no: &'a str,
    pay_type: &'a str,
    paydtm: &'a str,
    respcd: &'static str,
    sysdtm: &'a str,
    syssn: &'a str,
    txamt: String,
    txcurrcd: &'a str,
    txdtm: &'a str,
    udid: &'a str,
    userid: &'static str,
}

/// One merchant's orders.
#[derive(Debug, Default)]
pub struct Book {
    /// By `syssn`.
    pub orders: HashMap<String, Order>,
    /// `out_trade_no` → `syssn` (payments and refunds share the space).
    pub by_out_trade_no: HashMap<String, String>,
    /// `syssn`s in creation order.
    pub sequence: Vec<String>,
    /// Seeded duplicates only: further payments under an `out_trade_no` already in
    /// `by_out_trade_no` (several successful payments for one merchant order).
    pub duplicates: HashMap<String, Vec<String>>,
    /// Creation times and pending positions, parallel to `sequence`, for fast query windows.
    pub timeline: crate::timeline::Timeline,
}

impl Book {
    /// Adds an order.
    pub fn insert(&mut self, order: Order) {
        self.by_out_trade_no
            .insert(order.out_trade_no.clone(), order.syssn.clone());
        self.timeline
            .push(order.created, order.status == Status::Pending);
        self.sequence.push(order.syssn.clone());
        self.orders.insert(order.syssn.clone(), order);
    }

    /// Adds a further payment under an `out_trade_no` the book already holds (seeding only:
    /// the API refuses a reused number with 1251).
    pub fn insert_duplicate(&mut self, order: Order) {
        self.duplicates
            .entry(order.out_trade_no.clone())
            .or_default()
            .push(order.syssn.clone());
        self.timeline
            .push(order.created, order.status == Status::Pending);
        self.sequence.push(order.syssn.clone());
        self.orders.insert(order.syssn.clone(), order);
    }

    /// Every `syssn` under `out_trade_no`: the first, then seeded duplicates.
    pub fn all_by_out_trade_no(&self, out_trade_no: &str) -> Vec<String> {
        let mut keys: Vec<String> = self
            .by_out_trade_no
            .get(out_trade_no)
            .cloned()
            .into_iter()
            .collect();
        if let Some(more) = self.duplicates.get(out_trade_no) {
            keys.extend(more.iter().cloned());
        }
        keys
    }

    /// Finds by `syssn` or `out_trade_no`.
    pub fn find_key(&self, id: &str) -> Option<String> {
        if self.orders.contains_key(id) {
            return Some(id.to_owned());
        }
        self.by_out_trade_no.get(id).cloned()
    }
}

impl Order {
    /// A new pending payment with the given essentials; every other field empty.
    pub fn payment(
        now: NaiveDateTime,
        out_trade_no: &str,
        pay_type: &str,
        txamt: i64,
        txcurrcd: &str,
        txdtm: &str,
    ) -> Self {
        let sysdtm = fmt_time(now);
        Order {
            is_refund: false,
            syssn: new_syssn(now),
            out_trade_no: out_trade_no.to_owned(),
            pay_type: pay_type.to_owned(),
            txamt,
            txcurrcd: txcurrcd.to_owned(),
            txdtm: txdtm.to_owned(),
            sysdtm: sysdtm.clone(),
            paydtm: sysdtm,
            created: now,
            expires: None,
            status: Status::Pending,
            refunded: 0,
            chnlsn: String::new(),
            cardcd: String::new(),
            goods_name: String::new(),
            goods_info: String::new(),
            udid: String::new(),
            notify_url: None,
            origssn: None,
            orig_out_trade_no: None,
            pending_queries: None,
            return_url: None,
            failed_url: None,
            cancel_url: None,
            prepay_id: None,
            pay_sign: None,
            checkout_sign: None,
            qrcode: None,
            note: None,
        }
    }
}

/// A merchant and its state.
#[derive(Debug)]
pub struct MerchantState {
    /// The configuration.
    pub merchant: Merchant,
    /// Its orders.
    pub book: Mutex<Book>,
    /// Its rate limiter, when limiting is on.
    pub limiter: Option<Limiter>,
}

static SEQ: AtomicU64 = AtomicU64::new(0);

/// A new 26-digit `syssn`: `YYYYMMDD` + 18 digits, unique within the process.
pub fn new_syssn(now: NaiveDateTime) -> String {
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    let base = START.get_or_init(|| rand::rng().random_range(10_000_000_000u64..40_000_000_000));
    format!(
        "{}0003000{:011}",
        now.format("%Y%m%d"),
        (base + n) % 100_000_000_000
    )
}

static START: std::sync::OnceLock<u64> = std::sync::OnceLock::new();

/// A 28-digit wallet transaction number.
pub fn chnlsn(now: NaiveDateTime) -> String {
    let mut rng = rand::rng();
    format!(
        "4200{}{:016}",
        now.format("%Y%m%d"),
        rng.random_range(0..10_000_000_000_000_000u64)
    )
}

/// `n` random letters and digits.
pub fn random_alnum(n: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..n)
        .map(|_| char::from(CHARS[rng.random_range(0..CHARS.len())]))
        .collect()
}

/// The largest number of requests the log keeps.
pub const LOG_CAPACITY: usize = 1000;
/// The largest body excerpt kept per logged request.
pub const LOG_BODY_BYTES: usize = 4096;

/// One logged API request.
#[derive(Debug, Clone)]
pub struct LogEntry {
    /// Sequence number since start or reset.
    pub seq: u64,
    /// Sandbox time.
    pub time: String,
    /// HTTP method.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// `X-QF-APPCODE`.
    pub app_code: String,
    /// `X-QF-SIGNTYPE`.
    pub sign_type: String,
    /// `Content-Type`.
    pub content_type: String,
    /// The body (at most [`LOG_BODY_BYTES`]).
    pub body: Bytes,
    /// The body's full length.
    pub body_len: usize,
    /// The HTTP status answered (0 if the connection was dropped).
    pub status: u16,
    /// The `respcd` answered, if any.
    pub respcd: String,
    /// The fault applied, if any.
    pub fault: Option<&'static str>,
    /// The signature check, when the request got that far.
    pub signature: Option<SignatureCheck>,
}

/// What the sandbox concluded about a request's signature, for the request log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureCheck {
    /// `ok`, `bad`, `missing`, `unknown_app_code` or `unsupported_sign_type`.
    pub verdict: &'static str,
    /// The sign type used (`MD5`, `SHA256`), empty when not known.
    pub sign_type: String,
    /// What the client sent (`X-QF-SIGN` or a `sign` parameter), empty when missing.
    pub client_sign: String,
    /// When the check failed, the string the sandbox signed with the key masked as
    /// `<client_key>` ([`qfpay::sign::debug_string_to_sign`]).
    pub string_to_sign: Option<String>,
}

impl SignatureCheck {
    /// A verdict with nothing else known.
    pub fn verdict(verdict: &'static str) -> Self {
        Self {
            verdict,
            sign_type: String::new(),
            client_sign: String::new(),
            string_to_sign: None,
        }
    }

    /// As JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "verdict": self.verdict,
            "sign_type": self.sign_type,
            "client_sign": self.client_sign,
            "string_to_sign": self.string_to_sign,
        })
    }
}

impl LogEntry {
    /// As JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "seq": self.seq,
            "time": self.time,
            "method": self.method,
            "path": self.path,
            "app_code": self.app_code,
            "sign_type": self.sign_type,
            "content_type": self.content_type,
            "body": String::from_utf8_lossy(&self.body),
            "body_len": self.body_len,
            "status": self.status,
            "respcd": self.respcd,
            "fault": self.fault,
            "signature": self.signature.as_ref().map(SignatureCheck::to_json),
        })
    }
}

/// The bounded request log.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Mutex<VecDeque<LogEntry>>,
    count: AtomicU64,
}

impl RequestLog {
    /// Counts a request and returns its sequence number.
    pub fn next_seq(&self) -> u64 {
        self.count.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Records a request, dropping the oldest beyond the capacity.
    pub fn push(&self, entry: LogEntry) {
        let mut e = lock(&self.entries);
        if e.len() >= LOG_CAPACITY {
            e.pop_front();
        }
        e.push_back(entry);
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> Vec<Value> {
        lock(&self.entries).iter().map(LogEntry::to_json).collect()
    }

    /// Requests received since start or reset.
    pub fn count(&self) -> usize {
        usize::try_from(self.count.load(Ordering::Relaxed)).unwrap_or(usize::MAX)
    }

    /// Forgets everything.
    pub fn clear(&self) {
        lock(&self.entries).clear();
        self.count.store(0, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let now = Clock::default().now();
        let s = new_syssn(now);
        assert_eq!(s.len(), 26, "{s}");
        assert!(s.bytes().all(|b| b.is_ascii_digit()));
        assert_ne!(new_syssn(now), s);
        let c = chnlsn(now);
        assert_eq!(c.len(), 28, "{c}");
        assert_eq!(random_alnum(7).len(), 7);
    }

    #[test]
    fn record_view_serialises_as_the_record() {
        let now = Clock::default().now();
        let mut p = Order::payment(now, "O\"1,é", "800201", 1234, "HKD", "2026-01-01 00:00:00");
        let pending = p.clone();
        p.mark_paid(now);
        p.refunded = 34;
        let mut r = Order::payment(now, "R1", "800201", 34, "HKD", "");
        r.is_refund = true;
        r.origssn = Some(p.syssn.clone());
        for o in [&pending, &p, &r] {
            let a = serde_json::to_string(&o.record()).unwrap();
            let b = serde_json::to_string(&o.record_view()).unwrap();
            assert_eq!(a, b);
        }
    }

    #[test]
    fn clock_is_bounded() {
        let c = Clock::default();
        assert!(c.try_advance_seconds(10_000_000_000_000).is_err());
        assert!(c.try_advance_seconds(i64::MAX).is_err());
        assert!(c.try_advance_seconds(i64::MIN).is_err());
        assert!(c.try_advance_seconds(3600).is_ok());
        c.advance(i64::MAX);
        c.advance(i64::MAX);
        let _ = c.now();
        c.advance(i64::MIN);
        c.advance(i64::MIN);
        let _ = c.now();
        c.reset();
        assert!(c.try_advance_seconds(-MAX_CLOCK_OFFSET_SECONDS).is_ok());
        assert!(c.try_advance_seconds(-1).is_err());
    }

    #[test]
    fn log_is_bounded() {
        let log = RequestLog::default();
        for _ in 0..LOG_CAPACITY + 10 {
            let seq = log.next_seq();
            log.push(LogEntry {
                seq,
                time: String::new(),
                method: "POST".into(),
                path: "/".into(),
                app_code: String::new(),
                sign_type: String::new(),
                content_type: String::new(),
                body: Bytes::new(),
                body_len: 0,
                status: 200,
                respcd: String::new(),
                fault: None,
                signature: None,
            });
        }
        assert_eq!(log.entries().len(), LOG_CAPACITY);
        assert_eq!(log.count(), LOG_CAPACITY + 10);
    }
}
