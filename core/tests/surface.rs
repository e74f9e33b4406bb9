//! `tests/surface.json`, checked against the Rust core: error codes, result fields (declared
//! lists beside the structs, themselves checked against the structs' fields), request options,
//! environments, logging events and their fields.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use qfpay::events::{Event, EventKind};
use qfpay::{
    Cancellation, Environment, Error, Notification, Payment, QueryPage, Refund, Transaction,
};
use serde_json::Value;

fn surface() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/surface.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn names(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

fn set(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// The top-level field names of a struct's `Debug` output (`Name { a: .., b: .. }`).
fn debug_fields(debug: &str) -> BTreeSet<String> {
    let body = &debug[debug.find('{').unwrap() + 1..];
    let (mut depth, mut in_str, mut escaped) = (0i32, false, false);
    let mut out = BTreeSet::new();
    let mut token = String::new();
    for c in body.chars() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '{' | '[' | '(' => depth += 1,
            '}' | ']' | ')' => depth -= 1,
            ':' if depth == 0 && !token.trim().is_empty() => {
                out.insert(token.trim().trim_start_matches(',').trim().to_owned());
                token.clear();
            }
            ',' if depth == 0 => token.clear(),
            _ if depth == 0 => token.push(c),
            _ => {}
        }
        if depth < 0 {
            break;
        }
    }
    out
}

/// (name, declared list, Debug of an instance, accessor methods, struct-to-surface renames)
type Case = (
    &'static str,
    &'static [&'static str],
    String,
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

fn raw() -> qfpay::RawMap {
    qfpay::RawMap::new()
}

#[test]
fn error_codes_and_fields() {
    let s = surface();
    assert_eq!(names(&s["errors"]["codes"]), set(&Error::CODES));
    // Every error field has an accessor on Error (code/message are code() and Display).
    let accessors = set(&[
        "code",
        "message",
        "respcd",
        "resperr",
        "respmsg",
        "http_status",
        "out_trade_no",
        "syssn",
        "field",
        "rule",
        "retry_after",
        "sent",
        "existing",
        "available",
    ]);
    assert_eq!(names(&s["errors"]["fields"]), accessors);
    let e = Error::Validation {
        field: "txamt".into(),
        rule: "r".into(),
    };
    let _ = (
        e.code(),
        e.to_string(),
        e.respcd(),
        e.resperr(),
        e.respmsg(),
        e.http_status(),
    );
    let _ = (
        e.out_trade_no(),
        e.syssn(),
        e.field(),
        e.rule(),
        e.retry_after(),
        e.sent(),
        e.existing(),
        e.available(),
    );
}

#[test]
fn result_fields_match_the_structs() {
    let s = surface();
    let results = &s["results"];
    let txn = Transaction::from_raw(raw()).unwrap();
    let page = QueryPage::from_raw(raw(), &qfpay::QueryRequest::new()).unwrap();
    let notification = Notification::parse(br#"{"notify_type": "payment"}"#).unwrap();
    let payment = Payment {
        syssn: String::new(),
        out_trade_no: String::new(),
        pay_type: qfpay::PayType::WechatQr,
        txamt: 0,
        txcurrcd: String::new(),
        txdtm: String::new(),
        sysdtm: String::new(),
        paydtm: String::new(),
        qrcode: None,
        pay_url: None,
        web_url: None,
        pay_params: None,
        chnlsn: String::new(),
        cardcd: String::new(),
        udid: String::new(),
        respcd: String::new(),
        resperr: String::new(),
        respmsg: String::new(),
        raw: raw(),
    };
    let refund = Refund {
        syssn: String::new(),
        orig_syssn: String::new(),
        out_trade_no: String::new(),
        txamt: 0,
        txcurrcd: String::new(),
        txdtm: String::new(),
        sysdtm: String::new(),
        respcd: String::new(),
        resperr: String::new(),
        respmsg: String::new(),
        raw: raw(),
    };
    let cancellation = Cancellation {
        syssn: String::new(),
        orig_syssn: String::new(),
        out_trade_no: String::new(),
        txamt: 0,
        respcd: String::new(),
        resperr: String::new(),
        respmsg: String::new(),
        raw: raw(),
    };
    let link = qfpay::checkout::parse("https://h/checkstand/#/?txamt=1&sign=x").unwrap();
    let wechat = qfpay::wechat::pay_params_from_json(&serde_json::json!({"paySign": "x"})).unwrap();
    let app = qfpay::PayParams::read(Some(&serde_json::json!({"prepayid": "x"}))).unwrap();
    let alipay = qfpay::PayParams::read(Some(&serde_json::json!({"partner": "x"}))).unwrap();
    let (Some(app), Some(alipay)) = (app.wechat_app(), alipay.alipay()) else {
        panic!("pay_params shapes")
    };
    let report = qfpay::reconcile::Reconciler::new(
        qfpay::reconcile::Ledger::default(),
        "a",
        "b",
        qfpay::validate::datetime("t", "2026-01-01 00:00:00").unwrap(),
    )
    .finish(0);
    let discrepancy = qfpay::reconcile::Discrepancy {
        kind: qfpay::reconcile::DiscrepancyKind::MissingAtQfpay,
        out_trade_no: String::new(),
        syssns: Vec::new(),
        ledger_amount: None,
        qfpay_amount: None,
        currency: String::new(),
        detail: String::new(),
    };
    let net = qfpay::reconcile::NetTotal {
        day: String::new(),
        currency: String::new(),
        payments: 0,
        paid: 0,
        refunds: 0,
        refunded: 0,
        net: 0,
    };
    let entry = qfpay::TradeBillEntry {
        name: String::new(),
        size: 0,
        compressed_size: 0,
    };
    let bill = qfpay::TradeBill {
        trade_date: String::new(),
        content: Vec::new(),
        entries: Vec::new(),
    };
    let serde_json::Value::Object(answer) = serde_json::json!({"data": [{"pay_amt": 1}]}) else {
        panic!("an object")
    };
    let settlements = qfpay::Settlements::from_raw(answer).unwrap();
    let settlement = settlements.data[0].clone();
    let note = qfpay::NoteAdded::from_raw(
        qfpay::RawMap::new(),
        &qfpay::NoteRequest::new("2026", "a note"),
    )
    .unwrap();
    let cases: [Case; 18] = [
        (
            "NoteAdded",
            qfpay::NoteAdded::FIELDS,
            format!("{note:?}"),
            &[],
            &[],
        ),
        (
            "ReconcileReport",
            qfpay::reconcile::ReconcileReport::FIELDS,
            format!("{report:?}"),
            &["clean", "summary", "csv", "net_csv", "json"],
            &[],
        ),
        (
            "Discrepancy",
            qfpay::reconcile::Discrepancy::FIELDS,
            format!("{discrepancy:?}"),
            &[],
            &[],
        ),
        (
            "NetTotal",
            qfpay::reconcile::NetTotal::FIELDS,
            format!("{net:?}"),
            &[],
            &[],
        ),
        (
            "TradeBill",
            qfpay::TradeBill::FIELDS,
            format!("{bill:?}"),
            &[],
            &[],
        ),
        (
            "TradeBillEntry",
            qfpay::TradeBillEntry::FIELDS,
            format!("{entry:?}"),
            &[],
            &[],
        ),
        (
            "Settlements",
            qfpay::Settlements::FIELDS,
            format!("{settlements:?}"),
            &[],
            &[],
        ),
        (
            "Settlement",
            qfpay::Settlement::FIELDS,
            format!("{settlement:?}"),
            &[],
            &[],
        ),
        (
            "Payment",
            Payment::FIELDS,
            format!("{payment:?}"),
            &["wechat_app_params", "alipay_pay_params"],
            &[("pay_params", "wechat_pay_params")],
        ),
        (
            "CheckoutLink",
            qfpay::checkout::CheckoutLink::FIELDS,
            format!("{link:?}"),
            &[
                "out_trade_no",
                "txamt",
                "txcurrcd",
                "txdtm",
                "paysource",
                "appcode",
                "sign_type",
                "sign",
            ],
            &[],
        ),
        (
            "WechatPayParams",
            qfpay::WechatPayParams::FIELDS,
            format!("{wechat:?}"),
            &[],
            &[],
        ),
        (
            "WechatAppParams",
            qfpay::WechatAppParams::FIELDS,
            format!("{app:?}"),
            &[],
            &[],
        ),
        (
            "AlipayPayParams",
            qfpay::AlipayPayParams::FIELDS,
            format!("{alipay:?}"),
            &[],
            &[],
        ),
        (
            "Transaction",
            Transaction::FIELDS,
            format!("{txn:?}"),
            &["is_paid", "is_refund"],
            &[],
        ),
        (
            "QueryPage",
            QueryPage::FIELDS,
            format!("{page:?}"),
            &[],
            &[],
        ),
        ("Refund", Refund::FIELDS, format!("{refund:?}"), &[], &[]),
        (
            "Cancellation",
            Cancellation::FIELDS,
            format!("{cancellation:?}"),
            &[],
            &[],
        ),
        (
            "Notification",
            Notification::FIELDS,
            format!("{notification:?}"),
            &["is_success"],
            &[("kind", "notify_type")],
        ),
    ];
    let _ = (txn.is_paid(), txn.is_refund(), notification.is_success());
    for (name, declared, debug, methods, renames) in cases {
        assert_eq!(
            names(&results[name]),
            set(declared),
            "{name}: surface.json vs {name}::FIELDS"
        );
        let mut actual = debug_fields(&debug);
        for (from, to) in renames {
            assert!(actual.remove(*from), "{name} has no field {from}");
            actual.insert((*to).to_owned());
        }
        actual.extend(methods.iter().map(|m| (*m).to_owned()));
        assert_eq!(
            actual,
            set(declared),
            "{name}: the struct's fields vs {name}::FIELDS"
        );
    }
    assert_eq!(
        results.as_object().unwrap().len(),
        18,
        "a result type without a Rust check"
    );
}

#[test]
fn request_options_exist_on_the_request_types() {
    let s = surface();
    let ops = &s["operations"];
    let pay = format!(
        "{:?}",
        qfpay::PaymentRequest::wechat_qr(qfpay::Money::new(1, qfpay::Currency::HKD))
    );
    let fields = debug_fields(&pay);
    for op in ["create_payment", "wechat_qr"] {
        for o in names(&ops[op]["options"]) {
            // `extra_params` fills `extra`.
            let o = if o == "extra_params" {
                "extra".into()
            } else {
                o
            };
            assert!(
                fields.contains(&o),
                "{op} option {o} is not a PaymentRequest field"
            );
        }
    }
    let q = debug_fields(&format!("{:?}", qfpay::QueryRequest::new()));
    assert_eq!(
        names(&ops["query"]["options"]),
        q,
        "query options vs QueryRequest"
    );
}

#[test]
fn environments_and_logging_events() {
    let s = surface();
    let client = &s["client"];
    for name in names(&client["environments"]) {
        let env = Environment::parse(&name).unwrap();
        assert_eq!(env.name(), name);
    }
    for name in names(&client["refused_environment_names"]) {
        assert_eq!(Environment::parse(&name).unwrap_err().code(), "config");
    }
    let kinds: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(names(&s["logging_events"]), set(&kinds));
    assert_eq!(
        names(&s["logging_event_fields"]),
        set(&Event::LOGGING_FIELDS)
    );
}
