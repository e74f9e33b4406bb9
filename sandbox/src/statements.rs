//! Statements: the synthetic `GET /download/v1/trade_bill` zip and the legacy settlement
//! query `/settlement/v1/query`, both computed from a merchant's book.
//!
//! QFPay's statement format is undocumented; the zip made here is the sandbox's own (one CSV
//! per wallet channel), for exercising a client's download path, not a copy of QFPay's.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use serde_json::{Value, json};

use crate::app::{Answer, Shared};
use crate::handlers::{Params, param_error};
use crate::state::{Book, MerchantState, Order, Status, lock};
use crate::timeline::whole_seconds;

/// The longest settlement query range, in days.
pub const MAX_SETTLEMENT_DAYS: i64 = 31;

/// The settlement fee the sandbox charges by default, in basis points: 60 = 0.6 %.
pub const DEFAULT_SETTLEMENT_FEE_BPS: u32 = 60;

/// The CSV columns of a `trade_bill` entry.
pub const TRADE_BILL_COLUMNS: &str =
    "syssn,out_trade_no,order_type,pay_type,txamt,txcurrcd,sysdtm,respcd,origssn";

/// The wallet channel of a pay type: `wechat` (8002xx), `alipay` (8001xx and 8015xx) or
/// `other` (every other pay type, cards, PayMe, FPS, UnionPay... and the empty code of a
/// checkout not yet paid).
pub fn channel(pay_type: &str) -> &'static str {
    if pay_type.len() == 6 && pay_type.starts_with("8002") {
        "wechat"
    } else if pay_type.len() == 6 && (pay_type.starts_with("8001") || pay_type.starts_with("8015"))
    {
        "alipay"
    } else {
        "other"
    }
}

/// The channels in the order the zip lists them.
const CHANNELS: [&str; 3] = ["wechat", "alipay", "other"];

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_owned()
    }
}

/// One CSV line (no line break) for a payment or refund.
fn csv_line(o: &Order) -> String {
    [
        o.syssn.as_str(),
        o.out_trade_no.as_str(),
        if o.is_refund { "refund" } else { "payment" },
        o.pay_type.as_str(),
        &o.txamt.to_string(),
        o.txcurrcd.as_str(),
        o.sysdtm.as_str(),
        o.respcd(),
        o.origssn.as_deref().unwrap_or_default(),
    ]
    .iter()
    .map(|f| csv_field(f))
    .collect::<Vec<_>>()
    .join(",")
}

/// Calls `f` with every order of `book` created from `first` 00:00:00 to `last` 23:59:59,
/// in creation order, expiry applied first.
fn each_in_days(
    book: &mut Book,
    first: NaiveDate,
    last: NaiveDate,
    now: NaiveDateTime,
    mut f: impl FnMut(&Order),
) {
    let start = whole_seconds(first.and_time(NaiveTime::MIN));
    let end = whole_seconds(last.and_time(NaiveTime::MIN)) + 86_399;
    let (range, exact) = book.timeline.window(start, end);
    for pos in range {
        if !exact && !book.timeline.within(pos, start, end) {
            continue;
        }
        if let Some(o) = book.sequence.get(pos).and_then(|k| book.orders.get_mut(k)) {
            o.refresh(now);
            f(o);
        }
    }
}

/// The zip's bytes: `(name, text)` entries, STORED (no compression).
pub fn zip_entries(entries: &[(String, String)]) -> std::io::Result<Vec<u8>> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in entries {
        w.start_file(name.as_str(), options)
            .map_err(std::io::Error::other)?;
        w.write_all(text.as_bytes())?;
    }
    Ok(w.finish().map_err(std::io::Error::other)?.into_inner())
}

/// The `README.txt` of a day with no transactions.
fn empty_readme(day: NaiveDate, future: bool) -> String {
    let why = if future {
        "the day is after the sandbox's today"
    } else {
        "the merchant had no payment or refund that day"
    };
    format!(
        "No transactions on {day} (UTC+8): {why}.\n\n\
         This is the qfpay sandbox's own synthetic statement, not QFPay's format (which is \
         undocumented): one CSV per wallet channel (wechat, alipay, other), columns \
         {TRADE_BILL_COLUMNS}.\n"
    )
}

/// The day's statement entries: one CSV per channel with transactions, or a `README.txt`.
pub fn trade_bill_entries(
    book: &mut Book,
    day: NaiveDate,
    now: NaiveDateTime,
) -> Vec<(String, String)> {
    let mut per_channel: BTreeMap<&'static str, String> = BTreeMap::new();
    if day <= now.date() {
        each_in_days(book, day, day, now, |o| {
            let text = per_channel
                .entry(channel(&o.pay_type))
                .or_insert_with(|| format!("{TRADE_BILL_COLUMNS}\n"));
            text.push_str(&csv_line(o));
            text.push('\n');
        });
    }
    if per_channel.is_empty() {
        return vec![("README.txt".to_owned(), empty_readme(day, day > now.date()))];
    }
    let stamp = day.format("%Y%m%d");
    CHANNELS
        .iter()
        .filter_map(|c| {
            per_channel
                .remove(c)
                .map(|text| (format!("trade_bill_{stamp}_{c}.csv"), text))
        })
        .collect()
}

/// A required `YYYYMMDD` date parameter.
fn compact_date(p: &Params, field: &str) -> Result<NaiveDate, Answer> {
    let v = p
        .get(field)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| param_error(field, &format!("{field} is required")))?;
    if v.len() != 8 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(param_error(
            field,
            &format!("{field} must be a date YYYYMMDD (got {v:?})"),
        ));
    }
    NaiveDate::parse_from_str(v, "%Y%m%d").map_err(|_| {
        param_error(
            field,
            &format!("{field} must be a date YYYYMMDD (got {v:?})"),
        )
    })
}

/// Sums of one settlement record: successful payments and refunds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DaySums {
    /// Successful payments.
    pub pay_amt: i64,
    /// Successful refunds.
    pub refund_amt: i64,
}

/// The fee on `pay_amt` at `bps` basis points, rounded half up.
pub fn fee(pay_amt: i64, bps: u32) -> i64 {
    let f = (i128::from(pay_amt) * i128::from(bps) + 5_000) / 10_000;
    i64::try_from(f).unwrap_or(i64::MAX)
}

/// The settlement paymethod code of a channel (`2` Alipay, `3` WeChat), and its text as
/// QFPay's sample answers it.
fn paymethod(channel: &str) -> Option<(&'static str, &'static str)> {
    match channel {
        "alipay" => Some(("2", "支付宝")),
        "wechat" => Some(("3", "微信")),
        _ => None,
    }
}

/// One settlement record as JSON.
pub fn settlement_record(
    chnl_mch_id: &str,
    day: NaiveDate,
    method_text: &str,
    currency: &str,
    sums: DaySums,
    bps: u32,
) -> Value {
    let d = day.format("%Y%m%d").to_string();
    let poundage = fee(sums.pay_amt, bps);
    let net = sums.pay_amt - sums.refund_amt;
    json!({
        "chnl_mch_id": chnl_mch_id,
        "date_start": d,
        "date_end": d,
        "date_settlement": (day + TimeDelta::days(1)).format("%Y%m%d").to_string(),
        "paymethod": method_text,
        "currency": currency,
        "pay_amt": sums.pay_amt,
        "refund_amt": sums.refund_amt,
        "chnl_poundage_amt": poundage,
        "pay_net_amt": net,
        "settlement_amt": net - poundage,
    })
}

impl Shared {
    /// The settlement fee in force, in basis points.
    pub fn settlement_fee_bps(&self) -> u32 {
        self.settlement_fee_bps
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// `GET /download/v1/trade_bill?trade_date=YYYY-MM-DD` (authenticated by the caller).
    pub fn trade_bill(self: &Arc<Self>, m: &MerchantState, p: &Params) -> Answer {
        let Some(raw) = p.get("trade_date").map(str::trim).filter(|v| !v.is_empty()) else {
            return param_error("trade_date", "trade_date is required");
        };
        let day = match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(d) if raw.len() == 10 => d,
            _ => {
                return param_error(
                    "trade_date",
                    &format!("trade_date must be a date YYYY-MM-DD (got {raw:?})"),
                );
            }
        };
        let now = self.clock.now();
        let entries = trade_bill_entries(&mut lock(&m.book), day, now);
        match zip_entries(&entries) {
            Ok(bytes) => {
                let mut a = Answer::text(200, bytes);
                a.content_type = "application/zip";
                a.headers.push((
                    "content-disposition",
                    format!(
                        "attachment; filename=\"trade_bill_{}.zip\"",
                        day.format("%Y%m%d")
                    ),
                ));
                a
            }
            Err(e) => Answer::text(500, format!("the sandbox could not build the zip: {e}")),
        }
    }

    /// The legacy `/settlement/v1/query` (authenticated by the caller).
    pub fn settlement(self: &Arc<Self>, m: &MerchantState, p: &Params) -> Answer {
        match self.settlement_inner(m, p) {
            Ok(a) | Err(a) => a,
        }
    }

    fn settlement_inner(self: &Arc<Self>, m: &MerchantState, p: &Params) -> Result<Answer, Answer> {
        let first = compact_date(p, "date_start")?;
        let last = compact_date(p, "date_end")?;
        if first > last {
            return Err(param_error(
                "date_start",
                "date_start must not be after date_end",
            ));
        }
        if (last - first).num_days() >= MAX_SETTLEMENT_DAYS {
            return Err(param_error(
                "date_end",
                &format!("the range may cover at most {MAX_SETTLEMENT_DAYS} days"),
            ));
        }
        let only = match p.get("paymethod").map(str::trim).filter(|v| !v.is_empty()) {
            None => None,
            Some("2") => Some("alipay"),
            Some("3") => Some("wechat"),
            Some(other) => {
                return Err(param_error(
                    "paymethod",
                    &format!("paymethod must be 2 (Alipay) or 3 (WeChat) (got {other:?})"),
                ));
            }
        };
        let now = self.clock.now();
        // (day, paymethod code, currency) → sums, successful records only.
        let mut sums: BTreeMap<(NaiveDate, &'static str, String), DaySums> = BTreeMap::new();
        each_in_days(&mut lock(&m.book), first, last, now, |o| {
            let ch = channel(&o.pay_type);
            if o.status != Status::Paid || only.is_some_and(|c| c != ch) {
                return;
            }
            let Some((code, _)) = paymethod(ch) else {
                return;
            };
            let s = sums
                .entry((o.created.date(), code, o.txcurrcd.clone()))
                .or_default();
            if o.is_refund {
                s.refund_amt += o.txamt;
            } else {
                s.pay_amt += o.txamt;
            }
        });
        let bps = self.settlement_fee_bps();
        let who = m.merchant.mchid.as_deref().unwrap_or(&m.merchant.app_code);
        let data: Vec<Value> = sums
            .into_iter()
            .map(|((day, code, cur), s)| {
                let text = if code == "2" { "支付宝" } else { "微信" };
                let chnl = format!("SANDBOX-{who}-{code}");
                settlement_record(&chnl, day, text, &cur, s, bps)
            })
            .collect();
        Ok(Answer::json(
            200,
            &json!({"respcd": "0000", "resperr": "", "respmsg": "", "data": data}),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, crate::state::DATETIME).unwrap()
    }

    #[test]
    fn channels_group_pay_types() {
        assert_eq!(channel("800201"), "wechat");
        assert_eq!(channel("800207"), "wechat");
        assert_eq!(channel("800101"), "alipay");
        assert_eq!(channel("801514"), "alipay");
        assert_eq!(channel("805801"), "other");
        assert_eq!(channel("800008"), "other");
        assert_eq!(channel(""), "other");
        assert_eq!(paymethod("wechat"), Some(("3", "微信")));
        assert_eq!(paymethod("other"), None);
    }

    #[test]
    fn fees_round_half_up() {
        assert_eq!(fee(0, 60), 0);
        assert_eq!(fee(83, 60), 0); // 0.498
        assert_eq!(fee(84, 60), 1); // 0.504
        assert_eq!(fee(250, 60), 2); // 1.5 → 2
        for amt in [1, 99, 12_345, 99_999_999_999] {
            assert_eq!(fee(amt, 60), (amt * 6 + 500) / 1000);
        }
        let r = settlement_record(
            "X",
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            "微信",
            "HKD",
            DaySums {
                pay_amt: 10_000,
                refund_amt: 2_500,
            },
            60,
        );
        assert_eq!(r["date_settlement"], "20270101");
        assert_eq!(r["chnl_poundage_amt"], 60);
        assert_eq!(r["pay_net_amt"], 7_500);
        assert_eq!(r["settlement_amt"], 7_440);
    }

    #[test]
    fn csv_quotes_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn bills_split_by_channel_or_say_empty() {
        let mut book = Book::default();
        let day = t("2026-03-01 10:00:00");
        let mut a = Order::payment(day, "A,1", "800201", 100, "HKD", "");
        a.mark_paid(day);
        let mut b = Order::payment(day, "B", "805801", 200, "HKD", "");
        b.mark_paid(day);
        book.insert(a);
        book.insert(b);
        let now = t("2026-03-05 10:00:00");
        let e = trade_bill_entries(&mut book, day.date(), now);
        let names: Vec<&str> = e.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "trade_bill_20260301_wechat.csv",
                "trade_bill_20260301_other.csv"
            ]
        );
        let lines: Vec<&str> = e[0].1.lines().collect();
        assert_eq!(lines[0], TRADE_BILL_COLUMNS);
        assert!(lines[1].contains(",\"A,1\",payment,800201,100,HKD,2026-03-01 10:00:00,0000,"));
        let empty = trade_bill_entries(&mut book, day.date() + TimeDelta::days(1), now);
        assert_eq!(empty.len(), 1);
        assert_eq!(empty[0].0, "README.txt");
        let future = trade_bill_entries(&mut book, now.date() + TimeDelta::days(1), now);
        assert!(future[0].1.contains("after the sandbox's today"));
        let bytes = zip_entries(&e).unwrap();
        assert!(bytes.starts_with(b"PK"));
    }
}
