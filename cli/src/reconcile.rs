//! `qfpay reconcile`: the merchant's ledger (CSV) against every QFPay transaction of a period
//! (`qfpay::reconcile`): the discrepancies as text, CSV or JSON on stdout, a progress line on a
//! terminal and a summary on stderr.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use clap::Args;
use qfpay::reconcile::{Ledger, Reconciler};
use qfpay::{PayType, QueryRequest};

use crate::{Failure, Target};

/// `qfpay reconcile` options.
#[derive(Debug, Args)]
pub struct ReconcileArgs {
    /// The ledger: a CSV file with a header naming out_trade_no, amount, currency and
    /// optionally state (paid, refunded, unpaid) and refunded; amounts in minor units. `-` reads
    /// standard input.
    #[arg(long, value_name = "FILE")]
    pub ledger: PathBuf,
    /// From this day (`YYYY-MM-DD`, from 00:00:00) or time (`YYYY-MM-DD hh:mm:ss`), QFPay's time.
    #[arg(long)]
    pub from: String,
    /// To this day (until 23:59:59) or time, inclusive.
    #[arg(long)]
    pub to: String,
    /// The discrepancies as CSV (kind,out_trade_no,syssns,ledger_amount,qfpay_amount,currency,detail).
    #[arg(long)]
    pub csv: bool,
    /// The net per day and currency as CSV instead of the discrepancies.
    #[arg(long, conflicts_with = "csv")]
    pub net: bool,
    /// Report payments pending for longer than this many minutes.
    #[arg(long, default_value_t = 30)]
    pub pending_after: u64,
    /// Only these pay types (repeatable).
    #[arg(long)]
    pub pay_type: Vec<String>,
}

/// Runs `qfpay reconcile`.
pub async fn run(a: ReconcileArgs, t: &Target, json: bool) -> Result<(), Failure> {
    let mut text = String::new();
    let read = if a.ledger.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text)
    } else {
        std::fs::File::open(&a.ledger).and_then(|mut f| f.read_to_string(&mut text))
    };
    read.map_err(|e| {
        Failure::usage(format!(
            "cannot read the ledger {}: {e}",
            a.ledger.display()
        ))
    })?;
    let ledger = Ledger::from_csv(&text)?;
    let client = crate::commands::client(t)?;
    let mut filter = QueryRequest::new();
    filter.pay_type = a.pay_type.iter().map(|c| PayType::from_code(c)).collect();
    let (from, to) = (
        crate::export::bound(&a.from, false),
        crate::export::bound(&a.to, true),
    );
    let mut walk = client.transactions(&from, &to, filter)?;
    let now = qfpay::validate::datetime("now", &client.now_txdtm())?;
    let before = qfpay::reconcile::pending_before(
        now,
        std::time::Duration::from_secs(a.pending_after.saturating_mul(60)),
    );
    let mut diff = Reconciler::new(ledger, &from, &to, before);
    let progress = std::io::stderr().is_terminal();
    let mut read = 0u64;
    while let Some(t) = walk.next().await {
        diff.add(t?);
        read += 1;
        if progress && read.is_multiple_of(100) {
            eprint!(
                "\rreconciling: {read} transactions, {} requests",
                walk.requests()
            );
        }
    }
    if progress {
        eprint!("\r");
    }
    let report = diff.finish(walk.requests());
    let cannot = |e: std::io::Error| Failure::other(format!("cannot write: {e}"));
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", report.to_json()).map_err(cannot)?;
    } else if a.csv {
        out.write_all(report.to_csv().as_bytes()).map_err(cannot)?;
    } else if a.net {
        out.write_all(report.net_csv().as_bytes()).map_err(cannot)?;
    } else {
        for d in &report.discrepancies {
            writeln!(
                out,
                "{:<18} {:<34} {} — {}",
                d.kind.as_str(),
                d.out_trade_no,
                d.syssns.join(" "),
                d.detail
            )
            .map_err(cannot)?;
        }
        for n in &report.net {
            writeln!(
                out,
                "net {} {}: {} paid ({}), {} refunded ({}), net {} (minor units)",
                n.day, n.currency, n.paid, n.payments, n.refunded, n.refunds, n.net
            )
            .map_err(cannot)?;
        }
    }
    out.flush().map_err(cannot)?;
    crate::output::err_line(&format!(
        "reconciled {from} to {to} in {} requests: {}",
        report.requests,
        report.summary()
    ));
    Ok(())
}
