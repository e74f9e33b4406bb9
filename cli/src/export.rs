//! `qfpay export`: every transaction of a period (`qfpay::Client::transactions`: calendar-month
//! windows, pages of 100, paced under QFPay's rate limit) as CSV or JSON lines, streamed: one
//! page in memory however long the period. A progress line on a terminal; a summary at the end.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};

use clap::Args;
use qfpay::{PayType, QueryRequest, Transaction};

use crate::{Failure, Target};

/// `qfpay export` options.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// From this day (`YYYY-MM-DD`, from 00:00:00) or time (`YYYY-MM-DD hh:mm:ss`), QFPay's time.
    #[arg(long)]
    pub from: String,
    /// To this day (until 23:59:59) or time, inclusive.
    #[arg(long)]
    pub to: String,
    /// CSV with a header row (the default).
    #[arg(long, conflicts_with = "jsonl")]
    pub csv: bool,
    /// One JSON object per line: each transaction as the SDK describes it (`raw` included);
    /// also what the global `--json` gives.
    #[arg(long)]
    pub jsonl: bool,
    /// Only these pay types (repeatable).
    #[arg(long)]
    pub pay_type: Vec<String>,
    /// Only transactions with this status code (0000: succeeded).
    #[arg(long)]
    pub respcd: Option<String>,
}

/// The CSV columns, in order: the transaction's own fields (the SDK's names).
const COLUMNS: &[&str] = &[
    "syssn",
    "out_trade_no",
    "order_type",
    "origssn",
    "pay_type",
    "txamt",
    "txcurrcd",
    "state",
    "respcd",
    "txdtm",
    "sysdtm",
    "paydtm",
    "cancel",
    "goods_name",
    "chnlsn",
];

/// The CSV record of a transaction, in [`COLUMNS`] order.
fn csv_record(t: &Transaction) -> Vec<String> {
    let v = serde_json::to_value(t).unwrap_or_default();
    COLUMNS
        .iter()
        .map(|c| match &v[*c] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        })
        .collect()
}

/// A day alone is the whole day.
pub(crate) fn bound(value: &str, end: bool) -> String {
    if value.len() == 10 {
        format!("{value} {}", if end { "23:59:59" } else { "00:00:00" })
    } else {
        value.to_owned()
    }
}

/// Runs `qfpay export`.
pub async fn run(a: ExportArgs, t: &Target, json: bool) -> Result<(), Failure> {
    let jsonl = a.jsonl || json;
    let client = crate::commands::client(t)?;
    let mut filter = QueryRequest::new();
    filter.pay_type = a.pay_type.iter().map(|c| PayType::from_code(c)).collect();
    filter.respcd = a.respcd.clone();
    let (from, to) = (bound(&a.from, false), bound(&a.to, true));
    let mut all = client.transactions(&from, &to, filter)?;
    let progress = std::io::stderr().is_terminal();
    let cannot = |e: &dyn std::fmt::Display| Failure::other(format!("cannot write: {e}"));
    let mut lines = jsonl.then(|| std::io::BufWriter::new(std::io::stdout().lock()));
    let mut csv = (!jsonl).then(|| csv::Writer::from_writer(std::io::stdout().lock()));
    if let Some(w) = &mut csv {
        w.write_record(COLUMNS).map_err(|e| cannot(&e))?;
    }
    let (mut payments, mut refunds) = (0u64, 0u64);
    // Net per currency in minor units: succeeded payments less refunds.
    let mut net: BTreeMap<String, i64> = BTreeMap::new();
    while let Some(t) = all.next().await {
        let t = t?;
        if let Some(w) = &mut csv {
            w.write_record(csv_record(&t)).map_err(|e| cannot(&e))?;
        }
        if let Some(w) = &mut lines {
            writeln!(w, "{}", crate::model::json(&t)).map_err(|e| cannot(&e))?;
        }
        let entry = net.entry(t.txcurrcd.clone()).or_default();
        if t.is_refund() {
            refunds += 1;
            if t.respcd == "0000" {
                *entry -= t.txamt;
            }
        } else {
            payments += 1;
            if t.is_paid() {
                *entry += t.txamt;
            }
        }
        if progress && (payments + refunds) % 100 == 0 {
            eprint!(
                "\rexporting: {} transactions, {} requests",
                payments + refunds,
                all.requests()
            );
        }
    }
    if let Some(w) = &mut csv {
        w.flush().map_err(|e| cannot(&e))?;
    }
    if let Some(w) = &mut lines {
        w.flush().map_err(|e| cannot(&e))?;
    }
    if progress {
        eprint!("\r");
    }
    let nets: Vec<String> = net
        .iter()
        .map(|(c, v)| format!("{c} {v} (minor units)"))
        .collect();
    crate::output::err_line(&format!(
        "exported {} transactions ({payments} payments, {refunds} refunds) from {from} to {to} in {} requests; net {}",
        payments + refunds,
        all.requests(),
        if nets.is_empty() {
            "0".to_owned()
        } else {
            nets.join(", ")
        }
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_alone_is_the_whole_day() {
        assert_eq!(bound("2026-12-01", false), "2026-12-01 00:00:00");
        assert_eq!(bound("2026-12-31", true), "2026-12-31 23:59:59");
        assert_eq!(bound("2026-12-31 10:00:00", true), "2026-12-31 10:00:00");
    }
}
