//! `qfpay sandbox --seed … --refund-rules …` and `qfpay sandbox seed` against a running one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_qfpay");

struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env_remove("QFPAY_BASE_URL")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `qfpay sandbox --rate-limit off` with `args`: the process (killed when dropped) and its
/// start-up JSON line.
fn serve(args: &[&str]) -> (Served, serde_json::Value) {
    let mut child = Command::new(BIN)
        .args(["sandbox", "--rate-limit", "off"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let served = Served(child);
    (served, serde_json::from_str(&line).unwrap())
}

#[test]
fn serve_with_seed_and_refund_rules_then_seed_more() {
    let (_served, v) = serve(&[
        "--refund-rules",
        "qfpay",
        "--seed",
        "40,2025-01-01,2025-03-31,0.25,2",
    ]);
    let seeded = &v["seeded"];
    assert_eq!(seeded["orders"], 40, "{v}");
    assert_eq!(seeded["refunds"], 10);
    assert_eq!(seeded["duplicates"], 2);
    assert_eq!(seeded["from"], "2025-01-01");
    let base = v["base_url"].as_str().unwrap().to_owned();

    let (code, out, err) = run(&[
        "sandbox",
        "seed",
        "10",
        "--from",
        "2025-04-01",
        "--to",
        "2025-04-30",
        "--refunds",
        "3",
        "--duplicates",
        "1",
        "--random-seed",
        "5",
        "--base-url",
        &base,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("seeded 10 payments (3 refunded, 1 orders paid more than once) from 2025-04-01 to 2025-04-30"), "{out}");
    // The same seed again is refused: exit 1, nothing added.
    let (code, out, err) = run(&[
        "sandbox",
        "seed",
        "10",
        "--from",
        "2025-04-01",
        "--to",
        "2025-04-30",
        "--random-seed",
        "5",
        "--json",
        "--base-url",
        &base,
    ]);
    assert_ne!(code, 0, "{out}{err}");
    let (code, _, err) = run(&[
        "sandbox",
        "seed",
        "1",
        "--refunds",
        "x",
        "--base-url",
        &base,
    ]);
    assert_eq!(code, 2, "{err}");
    let (code, out, _) = run(&["sandbox", "orders", "--json", "--base-url", &base]);
    assert_eq!(code, 0);
    let o: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let records = seeded["records"].as_u64().unwrap();
    assert!(o["count"].as_u64().unwrap() > records, "{o}");
}

#[test]
fn bad_seed_and_rules_are_usage_errors() {
    for args in [
        &["sandbox", "--seed", "x"][..],
        &["sandbox", "--seed", "10,2025-01-01"][..],
        &["sandbox", "--refund-rules", "nope"][..],
        &["sandbox", "--refund-rules", "{\"bogus\": 1}"][..],
    ] {
        let (code, _, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
    }
}

/// `qfpay export`: every seeded transaction of four months, month by month, as JSON lines and
/// as CSV, with a summary line; a period given backwards is a usage error.
#[test]
fn export_writes_every_transaction_of_a_seeded_period() {
    let (_served, v) = serve(&["--seed", "150,2025-01-01,2025-04-30,0.2,3"]);
    let records = v["seeded"]["records"].as_u64().unwrap() as usize;
    let credentials = [
        ("QFPAY_BASE_URL", v["base_url"].as_str().unwrap().to_owned()),
        ("QFPAY_APP_CODE", v["app_code"].as_str().unwrap().to_owned()),
        (
            "QFPAY_CLIENT_KEY",
            v["client_key"].as_str().unwrap().to_owned(),
        ),
    ];
    let export = |args: &[&str]| {
        let out = Command::new(BIN)
            .arg("export")
            .args(args)
            .envs(credentials.iter().map(|(k, v)| (*k, v.as_str())))
            .env_remove("QFPAY_MCHID")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, err) = export(&["--from", "2025-01-01", "--to", "2025-04-30", "--jsonl"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), records, "{err}");
    let syssns: std::collections::HashSet<&str> =
        lines.iter().map(|t| t["syssn"].as_str().unwrap()).collect();
    assert_eq!(syssns.len(), records, "no transaction twice");
    assert!(
        lines.iter().any(|t| t["order_type"] == "refund"),
        "refunds are exported"
    );
    // Four month windows; one of 100+ records takes a second page.
    assert!(
        err.contains(&format!("exported {records} transactions")) && err.contains(" requests"),
        "{err}"
    );
    let (code, out, err) = export(&["--from", "2025-01-01", "--to", "2025-04-30"]);
    assert_eq!(code, 0, "{err}");
    let mut rows = out.lines();
    assert!(
        rows.next()
            .unwrap()
            .starts_with("syssn,out_trade_no,order_type,origssn,")
    );
    assert_eq!(rows.count(), records);
    let (code, out, _) = export(&["--from", "2025-01-01", "--to", "2025-01-31", "--jsonl"]);
    assert_eq!(code, 0);
    assert!(out.lines().count() < records);
    let (code, _, err) = export(&["--from", "2025-02-01", "--to", "2025-01-01"]);
    assert_eq!(code, 2, "{err}");
}

/// `qfpay reconcile`: a ledger exported from a seeded sandbox, one amount changed and one
/// order dropped, reconciled as text, CSV and JSON; the seeded duplicates are found.
#[test]
fn reconcile_finds_what_a_ledger_gets_wrong() {
    let (_served, v) = serve(&["--seed", "60,2025-01-01,2025-03-31,0,2"]);
    let env = [
        ("QFPAY_BASE_URL", v["base_url"].as_str().unwrap().to_owned()),
        ("QFPAY_APP_CODE", v["app_code"].as_str().unwrap().to_owned()),
        (
            "QFPAY_CLIENT_KEY",
            v["client_key"].as_str().unwrap().to_owned(),
        ),
    ];
    let cli = |args: &[&str], input: Option<&str>| {
        let mut child = Command::new(BIN)
            .args(args)
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .env_remove("QFPAY_MCHID")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(text) = input {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        let out = child.wait_with_output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let period = ["--from", "2025-01-01", "--to", "2025-03-31"];
    let (code, out, err) = cli(&[&["export"][..], &period, &["--jsonl"]].concat(), None);
    assert_eq!(code, 0, "{err}");
    // The merchant's ledger: each order once, as paid.
    let mut ledger = String::from("out_trade_no,amount,currency\n");
    let mut seen = std::collections::HashSet::new();
    let mut orders = Vec::new();
    for line in out.lines() {
        let t: serde_json::Value = serde_json::from_str(line).unwrap();
        let no = t["out_trade_no"].as_str().unwrap().to_owned();
        if t["order_type"] == "payment" && seen.insert(no.clone()) {
            let currency = t["txcurrcd"].as_str().unwrap().to_owned();
            orders.push((no, t["txamt"].as_i64().unwrap(), currency));
        }
    }
    let (dropped, changed) = (orders[0].0.clone(), orders[1].0.clone());
    for (i, (no, amount, currency)) in orders.iter().enumerate().skip(1) {
        let amount = if i == 1 { amount + 1 } else { *amount };
        ledger.push_str(&format!("{no},{amount},{currency}\n"));
    }
    let dir = std::env::temp_dir().join(format!("qfpay-reconcile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("orders.csv");
    std::fs::write(&file, &ledger).unwrap();
    let path = file.to_str().unwrap();

    let (code, out, err) = cli(
        &[&["reconcile", "--ledger", path][..], &period].concat(),
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("missing_in_ledger") && l.contains(&dropped)),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("amount_mismatch") && l.contains(&changed)),
        "{out}"
    );
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("duplicate_payments"))
            .count(),
        2,
        "{out}"
    );
    assert!(out.contains("net 2025-01-"), "{out}");
    assert!(
        err.contains("reconciled 2025-01-01 00:00:00 to 2025-03-31 23:59:59 in "),
        "{err}"
    );
    assert!(err.contains("1 amount_mismatch"), "{err}");

    let (code, out, _) = cli(
        &[&["reconcile", "--ledger", "-", "--csv"][..], &period].concat(),
        Some(&ledger),
    );
    assert_eq!(code, 0);
    assert!(
        out.starts_with("kind,out_trade_no,syssns,ledger_amount,qfpay_amount,currency,detail\n")
    );
    assert_eq!(out.lines().count(), 1 + 1 + 1 + 2, "{out}");

    let (code, out, _) = cli(
        &[&["--json", "reconcile", "--ledger", path][..], &period].concat(),
        None,
    );
    assert_eq!(code, 0);
    let report: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(report["clean"], false);
    assert_eq!(report["discrepancies"].as_array().unwrap().len(), 4);

    // A bad ledger is a usage error naming the line; nothing is sent.
    std::fs::write(&file, "out_trade_no,amount,currency\nA,1.5,HKD\n").unwrap();
    let (code, _, err) = cli(
        &[&["reconcile", "--ledger", path][..], &period].concat(),
        None,
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("line 2: amount must be a whole number"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
