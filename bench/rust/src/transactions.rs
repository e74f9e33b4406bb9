//! `qfpay-bench-rust transactions sdk|hand`: every transaction from `BENCH_FROM` to `BENCH_TO`
//! through `qfpay::Client::transactions` (unpaced: the sandbox has no rate limit) or through the
//! loop a merchant would write by hand (calendar months, pages of 100, the seed document's MD5
//! signing, hyper-less reqwest, serde_json), streaming either way. One JSON line:
//! `{"records", "requests", "seconds", "rss_before_kb", "rss_peak_kb", "txamt_sum"}`.

use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};
use md5::{Digest, Md5};
use qfpay::{Client, QueryRequest};

fn status_kb(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn period() -> Result<(String, String), String> {
    let var = |k: &str| std::env::var(k).map_err(|_| format!("{k} is not set"));
    Ok((var("BENCH_FROM")?, var("BENCH_TO")?))
}

/// Runs the walk named `how`.
pub async fn run(how: &str) -> Result<String, String> {
    let (from, to) = period()?;
    let before = status_kb("VmRSS:");
    let started = Instant::now();
    let (records, requests, sum) = match how {
        "sdk" => sdk(&from, &to).await?,
        "hand" => hand(&from, &to).await?,
        other => return Err(format!("unknown walk {other:?} (sdk or hand)")),
    };
    let seconds = started.elapsed().as_secs_f64();
    Ok(format!(
        r#"{{"records":{records},"requests":{requests},"seconds":{seconds},"rss_before_kb":{before},"rss_peak_kb":{},"txamt_sum":{sum}}}"#,
        status_kb("VmHWM:")
    ))
}

async fn sdk(from: &str, to: &str) -> Result<(u64, u64, i64), String> {
    let client = Client::from_env().map_err(|e| e.to_string())?;
    let mut walk = client
        .transactions(from, to, QueryRequest::new())
        .map_err(|e| e.to_string())?
        .min_interval(Duration::ZERO);
    let (mut n, mut sum) = (0u64, 0i64);
    while let Some(t) = walk.next().await {
        let t = t.map_err(|e| e.to_string())?;
        n += 1;
        sum += t.txamt;
    }
    Ok((n, walk.requests(), sum))
}

/// QFPay's signature as the seed document computes it: sorted `k=v` joined by `&`, the key
/// appended, MD5, uppercase hex.
fn sign(params: &mut [(&str, String)], key: &str) -> String {
    params.sort();
    let joined: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let digest = Md5::digest(format!("{}{key}", joined.join("&")).as_bytes());
    digest.iter().map(|b| format!("{b:02X}")).collect()
}

async fn hand(from: &str, to: &str) -> Result<(u64, u64, i64), String> {
    let var = |k: &str| std::env::var(k).map_err(|_| format!("{k} is not set"));
    let (base, app, key) = (
        var("QFPAY_BASE_URL")?,
        var("QFPAY_APP_CODE")?,
        var("QFPAY_CLIENT_KEY")?,
    );
    let http = reqwest::Client::new();
    let fmt = "%Y-%m-%d %H:%M:%S";
    let parse = |s: &str| NaiveDateTime::parse_from_str(s, fmt).map_err(|e| e.to_string());
    let (mut start, end) = (parse(from)?, parse(to)?);
    let (mut n, mut requests, mut sum) = (0u64, 0u64, 0i64);
    while start <= end {
        let (y, m) = if start.month() == 12 {
            (start.year() + 1, 1)
        } else {
            (start.year(), start.month() + 1)
        };
        let next = NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .ok_or("no next month")?;
        let stop = (next - TimeDelta::seconds(1)).min(end);
        for page in 1.. {
            let mut params = vec![
                ("start_time", start.format(fmt).to_string()),
                ("end_time", stop.format(fmt).to_string()),
                ("page", page.to_string()),
                ("page_size", "100".to_owned()),
            ];
            let signature = sign(&mut params, &key);
            let body: String = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(params.iter().map(|(k, v)| (*k, v.as_str())))
                .finish();
            requests += 1;
            let bytes = http
                .post(format!("{base}/trade/v1/query"))
                .header("X-QF-APPCODE", &app)
                .header("X-QF-SIGN", signature)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .map_err(|e| e.to_string())?
                .bytes()
                .await
                .map_err(|e| e.to_string())?;
            let answer: serde_json::Value =
                serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
            if answer["respcd"] != "0000" {
                return Err(format!("query answered {}", answer["respcd"]));
            }
            let data = answer["data"].as_array().map_or(&[][..], Vec::as_slice);
            for t in data {
                n += 1;
                sum += t["txamt"]
                    .as_str()
                    .and_then(|s| s.parse::<i64>().ok())
                    .or_else(|| t["txamt"].as_i64())
                    .unwrap_or(0);
            }
            if data.len() < 100 {
                break;
            }
        }
        start = next;
    }
    Ok((n, requests, sum))
}
