//! Statements over HTTP: the synthetic `trade_bill` zip read back with the `zip` crate, the
//! legacy settlement query against seeded totals, the seed's duplicate list, and paging a
//! big book (every record once, newest first).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;

use chrono::{Datelike, NaiveDate, TimeDelta};
use qfpay::SignType;
use qfpay_sandbox::Sandbox;
use serde_json::{Value, json};

/// A header-signed GET with the parameters in the query string: status, content type, body.
async fn get_signed(
    sb: &Sandbox,
    path: &str,
    app: &str,
    key: &str,
    params: &[(&str, &str)],
) -> (u16, String, Vec<u8>) {
    let sig = qfpay::sign::sign(params, key, SignType::Md5);
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        ser.append_pair(k, v);
    }
    let r = http()
        .get(format!("{}{path}?{}", sb.base_url(), ser.finish()))
        .header("X-QF-APPCODE", app)
        .header("X-QF-SIGN", sig)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, ct, r.bytes().await.unwrap().to_vec())
}

/// The zip's entries: name → text; every entry STORED.
fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        assert_eq!(f.compression(), zip::CompressionMethod::Stored);
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        out.insert(f.name().unwrap().to_string(), text);
    }
    out
}

async fn bill(sb: &Sandbox, date: &str) -> BTreeMap<String, String> {
    let (st, ct, body) = get_signed(
        sb,
        "/download/v1/trade_bill",
        APP,
        KEY,
        &[("trade_date", date)],
    )
    .await;
    assert_eq!(st, 200, "{}", String::from_utf8_lossy(&body));
    assert_eq!(ct, "application/zip");
    unzip(&body)
}

async fn seed(sb: &Sandbox, body: Value) -> Value {
    let (st, v) = ctl(sb, Some(body), "/sandbox/seed").await;
    assert_eq!(st, 200, "{v}");
    v
}

fn channel(pay_type: &str) -> &'static str {
    match pay_type.get(..4) {
        Some("8002") => "wechat",
        Some("8001" | "8015") => "alipay",
        _ => "other",
    }
}

#[tokio::test]
async fn trade_bill_zip_lists_the_days_records_per_channel() {
    let sb = sandbox().await;
    let today = sandbox_now(&sb).await.date();
    let from = today - TimeDelta::days(2);
    seed(
        &sb,
        json!({"orders": 300, "from": from.to_string(), "to": from.to_string(),
               "refunds": 0.2, "duplicates": 5, "seed": 11}),
    )
    .await;
    let expected: HashMap<String, Value> = sb
        .orders()
        .into_iter()
        .map(|o| (s(&o, "syssn"), o))
        .collect();
    let entries = bill(&sb, &from.to_string()).await;
    let stamp = from.format("%Y%m%d");
    assert!(!entries.is_empty());
    let mut seen = HashSet::new();
    for (name, text) in &entries {
        let ch = name
            .strip_prefix(&format!("trade_bill_{stamp}_"))
            .and_then(|n| n.strip_suffix(".csv"))
            .unwrap_or_else(|| panic!("unexpected entry {name}"));
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("syssn,out_trade_no,order_type,pay_type,txamt,txcurrcd,sysdtm,respcd,origssn")
        );
        for line in lines {
            let f: Vec<&str> = line.split(',').collect();
            assert_eq!(f.len(), 9, "{line}");
            let o = &expected[f[0]];
            assert_eq!(channel(f[3]), ch, "{line}");
            assert_eq!(f[1], s(o, "out_trade_no"));
            assert_eq!(f[2], s(o, "kind"));
            assert_eq!(f[4], o["txamt"].to_string());
            assert_eq!(f[5], s(o, "txcurrcd"));
            assert_eq!(f[6], s(o, "sysdtm"));
            assert_eq!(f[7], "0000");
            assert_eq!(f[8], o["orig_syssn"].as_str().unwrap_or_default());
            assert!(seen.insert(f[0].to_owned()), "{} twice", f[0]);
        }
    }
    assert_eq!(seen.len(), expected.len(), "every record of the day, once");

    // A day with nothing, and a future day: the README alone.
    for day in [today, today + TimeDelta::days(3)] {
        let e = bill(&sb, &day.to_string()).await;
        assert_eq!(e.keys().collect::<Vec<_>>(), ["README.txt"], "{day}");
        assert!(e["README.txt"].contains("No transactions"));
    }
    // A merchant with an mchid may leave it out (QFPay takes none here).
    let (st, ct, _) = get_signed(
        &sb,
        "/download/v1/trade_bill",
        MCH_APP,
        MCH_KEY,
        &[("trade_date", &today.to_string())],
    )
    .await;
    assert_eq!((st, ct.as_str()), (200, "application/zip"));
}

#[tokio::test]
async fn trade_bill_refuses_bad_dates_and_signatures() {
    let sb = sandbox().await;
    for params in [
        vec![],
        vec![("trade_date", "")],
        vec![("trade_date", "2026/12/07")],
        vec![("trade_date", "2026-02-30")],
        vec![("trade_date", "20261207")],
        vec![("trade_date", "2026-1-7")],
    ] {
        let (st, _, body) = get_signed(&sb, "/download/v1/trade_bill", APP, KEY, &params).await;
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            (st, s(&v, "respcd").as_str()),
            (200, "1104"),
            "{params:?}: {v}"
        );
        assert!(s(&v, "resperr").contains("trade_date"), "{v}");
    }
    let (_, _, body) = get_signed(
        &sb,
        "/download/v1/trade_bill",
        APP,
        "WRONGKEY",
        &[("trade_date", "2026-01-01")],
    )
    .await;
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(s(&v, "respcd"), "1108", "{v}");
}

async fn settlement(sb: &Sandbox, params: &[(&str, &str)]) -> Value {
    let (st, _, body) = get_signed(sb, "/settlement/v1/query", APP, KEY, params).await;
    assert_eq!(st, 200);
    serde_json::from_slice(&body).unwrap()
}

#[tokio::test]
async fn settlement_sums_match_the_seeded_book() {
    let sb = sandbox().await;
    let today = sandbox_now(&sb).await.date();
    let from = today - TimeDelta::days(20);
    let summary = seed(
        &sb,
        json!({"orders": 2000, "from": from.to_string(), "to": today.to_string(),
               "refunds": 0.3, "duplicates": 20, "seed": 3}),
    )
    .await;
    let (ds, de) = (
        from.format("%Y%m%d").to_string(),
        today.format("%Y%m%d").to_string(),
    );
    let v = settlement(
        &sb,
        &[("date_start", ds.as_str()), ("date_end", de.as_str())],
    )
    .await;
    assert_eq!(s(&v, "respcd"), "0000", "{v}");
    let data = v["data"].as_array().unwrap();
    assert!(!data.is_empty());

    // Expected from the book: (day, paymethod text, currency) → (paid, refunded).
    let mut want: BTreeMap<(String, &str, String), (i64, i64)> = BTreeMap::new();
    let mut other: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for o in sb.orders() {
        let amt = o["txamt"].as_i64().unwrap();
        let refund = o["kind"] == "refund";
        let slot = match channel(&s(&o, "pay_type")) {
            "wechat" | "alipay" => {
                let text = if channel(&s(&o, "pay_type")) == "wechat" {
                    "微信"
                } else {
                    "支付宝"
                };
                let day = s(&o, "sysdtm")[..10].replace('-', "");
                want.entry((day, text, s(&o, "txcurrcd"))).or_default()
            }
            _ => other.entry(s(&o, "txcurrcd")).or_default(),
        };
        if refund {
            slot.1 += amt;
        } else {
            slot.0 += amt;
        }
    }
    let mut got: BTreeMap<(String, &str, String), (i64, i64)> = BTreeMap::new();
    for r in data {
        let pay = r["pay_amt"].as_i64().unwrap();
        let refund = r["refund_amt"].as_i64().unwrap();
        let fee = r["chnl_poundage_amt"].as_i64().unwrap();
        assert_eq!(fee, (pay * 6 + 500) / 1000, "{r}");
        assert_eq!(r["pay_net_amt"].as_i64().unwrap(), pay - refund, "{r}");
        assert_eq!(
            r["settlement_amt"].as_i64().unwrap(),
            pay - refund - fee,
            "{r}"
        );
        assert_eq!(r["date_start"], r["date_end"]);
        let day = NaiveDate::parse_from_str(&s(r, "date_start"), "%Y%m%d").unwrap();
        assert_eq!(
            s(r, "date_settlement"),
            (day + TimeDelta::days(1)).format("%Y%m%d").to_string()
        );
        assert!(!s(r, "chnl_mch_id").is_empty());
        let text = if r["paymethod"] == "微信" {
            "微信"
        } else {
            assert_eq!(r["paymethod"], "支付宝", "{r}");
            "支付宝"
        };
        let key = (s(r, "date_start"), text, s(r, "currency"));
        assert!(
            got.insert(key, (pay, refund)).is_none(),
            "one record per key"
        );
    }
    assert_eq!(got, want);
    // With the other channels, the seed's totals per currency.
    for (cur, t) in summary["totals"].as_object().unwrap() {
        let (mut paid, mut refunded) = other.get(cur).copied().unwrap_or_default();
        for ((_, _, c), (p, r)) in &got {
            if c == cur {
                paid += p;
                refunded += r;
            }
        }
        assert_eq!(paid, t["paid"].as_i64().unwrap(), "{cur}");
        assert_eq!(refunded, t["refunded"].as_i64().unwrap(), "{cur}");
    }

    // paymethod 3: WeChat only; POST answers alike; the fee rate is configurable.
    let v = settlement(
        &sb,
        &[
            ("date_start", ds.as_str()),
            ("date_end", de.as_str()),
            ("paymethod", "3"),
        ],
    )
    .await;
    let wechat = v["data"].as_array().unwrap();
    assert!(!wechat.is_empty() && wechat.iter().all(|r| r["paymethod"] == "微信"));
    let (_, posted) = call(
        &sb,
        "/settlement/v1/query",
        APP,
        KEY,
        &[
            ("date_start", ds.as_str()),
            ("date_end", de.as_str()),
            ("paymethod", "3"),
        ],
    )
    .await;
    assert_eq!(posted, v);
    let (st, c) = ctl(
        &sb,
        Some(json!({"settlement_fee_bps": 100})),
        "/sandbox/config",
    )
    .await;
    assert_eq!(
        (st, c["settlement_fee_bps"].as_u64()),
        (200, Some(100)),
        "{c}"
    );
    let v = settlement(
        &sb,
        &[
            ("date_start", ds.as_str()),
            ("date_end", de.as_str()),
            ("paymethod", "2"),
        ],
    )
    .await;
    for r in v["data"].as_array().unwrap() {
        let pay = r["pay_amt"].as_i64().unwrap();
        assert_eq!(r["paymethod"], "支付宝");
        assert_eq!(r["chnl_poundage_amt"].as_i64().unwrap(), (pay + 50) / 100);
    }
}

#[tokio::test]
async fn settlement_refuses_bad_parameters() {
    let sb = sandbox().await;
    for (params, field) in [
        (vec![("date_end", "20260101")], "date_start"),
        (vec![("date_start", "20260101")], "date_end"),
        (
            vec![("date_start", "2026-01-01"), ("date_end", "20260101")],
            "date_start",
        ),
        (
            vec![("date_start", "20260230"), ("date_end", "20260301")],
            "date_start",
        ),
        (
            vec![("date_start", "20260201"), ("date_end", "20260131")],
            "date_start",
        ),
        (
            vec![("date_start", "20260101"), ("date_end", "20260201")],
            "date_end",
        ),
        (
            vec![
                ("date_start", "20260101"),
                ("date_end", "20260131"),
                ("paymethod", "4"),
            ],
            "paymethod",
        ),
    ] {
        let v = settlement(&sb, &params).await;
        assert_eq!(s(&v, "respcd"), "1104", "{params:?}: {v}");
        assert!(s(&v, "resperr").contains(field), "{params:?}: {v}");
    }
    // 31 days is the most; nothing seeded, no records.
    let v = settlement(&sb, &[("date_start", "20260101"), ("date_end", "20260131")]).await;
    assert_eq!(s(&v, "respcd"), "0000", "{v}");
    assert_eq!(v["data"], json!([]));
    // mchid is optional for a merchant that has one.
    let (st, _, body) = get_signed(
        &sb,
        "/settlement/v1/query",
        MCH_APP,
        MCH_KEY,
        &[("date_start", "20260101"), ("date_end", "20260102")],
    )
    .await;
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!((st, s(&v, "respcd").as_str()), (200, "0000"), "{v}");
}

#[tokio::test]
async fn seed_lists_duplicates_findable_by_query() {
    let sb = sandbox().await;
    let v = seed(
        &sb,
        json!({"orders": 200, "duplicates": 7, "refunds": 10, "seed": 21}),
    )
    .await;
    let dups = v["duplicate_out_trade_nos"].as_array().unwrap();
    assert_eq!(dups.len(), 7, "{v}");
    for otn in dups {
        let q = query(&sb, &[("out_trade_no", otn.as_str().unwrap())]).await;
        let rows = q["data"].as_array().unwrap();
        let paid = rows
            .iter()
            .filter(|r| r["order_type"] == "payment" && r["respcd"] == "0000")
            .count();
        assert!(paid >= 2, "{otn}: {q}");
    }
    // At most 100 listed.
    let v = seed(&sb, json!({"orders": 400, "duplicates": 150, "seed": 22})).await;
    assert_eq!(v["duplicates"], 150);
    assert_eq!(v["duplicate_out_trade_nos"].as_array().unwrap().len(), 100);
}

/// Every record of `first..=last` (one month at most) paging at 100, in answer order.
async fn walk(
    sb: &Sandbox,
    first: NaiveDate,
    last: NaiveDate,
    extra: &[(&str, &str)],
) -> Vec<Value> {
    let (start, end) = (format!("{first} 00:00:00"), format!("{last} 23:59:59"));
    let mut out = Vec::new();
    for page in 1.. {
        let p = page.to_string();
        let mut params = vec![
            ("start_time", start.as_str()),
            ("end_time", end.as_str()),
            ("page", p.as_str()),
            ("page_size", "100"),
        ];
        params.extend_from_slice(extra);
        let v = query(sb, &params).await;
        assert_eq!(s(&v, "respcd"), "0000", "{v}");
        let data = v["data"].as_array().unwrap().clone();
        let n = data.len();
        out.extend(data);
        if n < 100 {
            break;
        }
    }
    out
}

fn month_of(d: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = d.with_day(1).unwrap();
    let next = first.checked_add_months(chrono::Months::new(1)).unwrap();
    (first, next - TimeDelta::days(1))
}

#[tokio::test]
async fn big_books_page_every_record_once_newest_first() {
    let sb = sandbox().await;
    // A live payment first, then history seeded behind it: the book's times are out of
    // order, which the query must handle as well as the in-order case.
    let live = pay_req(&sb, "1002", "800201").await;
    let today = sandbox_now(&sb).await.date();
    let (first, last) = month_of(today);
    let v = seed(
        &sb,
        json!({"orders": 6000, "from": first.to_string(), "to": today.to_string(),
               "refunds": 0.1, "duplicates": 30, "seed": 5}),
    )
    .await;
    let records = v["records"].as_u64().unwrap() as usize;
    let all = walk(&sb, first, last, &[]).await;
    assert_eq!(all.len(), records + 1);
    let ids: HashSet<String> = all.iter().map(|r| s(r, "syssn")).collect();
    assert_eq!(ids.len(), all.len(), "no record twice");
    // Newest first, except the live payment, made first, which comes last.
    assert_eq!(s(all.last().unwrap(), "syssn"), s(&live, "syssn"));
    let times: Vec<String> = all[..records].iter().map(|r| s(r, "sysdtm")).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    // The scenario-1002 payment counts down on window queries too: paid by now.
    assert_eq!(
        s(all.last().unwrap(), "respcd"),
        "0000",
        "{}",
        all.last().unwrap()
    );
    // Filters page the same way.
    let wechat = walk(&sb, first, last, &[("pay_type", "800201")]).await;
    assert_eq!(
        wechat.len(),
        all.iter().filter(|r| r["pay_type"] == "800201").count()
    );
    let refunds_ok = walk(&sb, first, last, &[("respcd", "0000")]).await;
    assert_eq!(refunds_ok.len(), all.len());
}

#[tokio::test]
async fn in_order_books_page_by_the_index() {
    let sb = sandbox().await;
    let today = sandbox_now(&sb).await.date();
    let from = today - TimeDelta::days(90);
    let v = seed(
        &sb,
        json!({"orders": 8000, "from": from.to_string(), "to": today.to_string(), "seed": 8}),
    )
    .await;
    let mut total = 0;
    let mut d = from;
    while d <= today {
        let (first, last) = month_of(d);
        let page = walk(&sb, first.max(from), last.min(today), &[]).await;
        let times: Vec<String> = page.iter().map(|r| s(r, "sysdtm")).collect();
        assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
        total += page.len();
        d = last + TimeDelta::days(1);
    }
    assert_eq!(total as u64, v["records"].as_u64().unwrap());
    // A page past the end is empty.
    let (first, last) = month_of(today);
    let (s_, e_) = (format!("{first} 00:00:00"), format!("{last} 23:59:59"));
    let v = query(
        &sb,
        &[
            ("start_time", s_.as_str()),
            ("end_time", e_.as_str()),
            ("page", "100000"),
            ("page_size", "100"),
        ],
    )
    .await;
    assert_eq!(v["data"], json!([]));
}
