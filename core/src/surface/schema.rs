//! The surface as one JSON document: `tests/surface.json` is this, written by
//! `cargo run -p qfpay-surface` (and checked by `make test` to be current). Every binding's
//! suite checks its language's surface against it by reflection; the generated type files are
//! written from the same data.

use serde_json::{Map, Value, json};

use super::LANGS;
use super::spec::{
    CALL_OPTIONS, CLIENT_OPTIONS, ENUMS, ERROR_DOCS, ERROR_FIELDS, Kind, OPERATIONS, Opt,
    WAIT_OPTIONS,
};
use crate::events::EventKind;
use crate::model::describe::FieldSpec;

/// The options of `Sandbox.start` (the embedded sandbox every binding can start).
pub const SANDBOX_START_OPTIONS: &[Opt] = &[
    Opt {
        name: "port",
        kind: Kind::Count,
        default: Some("0 (any free port)"),
        field: None,
        doc: "The port on 127.0.0.1 to listen on.",
    },
    Opt {
        name: "merchants",
        kind: Kind::Map,
        default: None,
        field: None,
        doc: "Extra app code → client key pairs the sandbox accepts.",
    },
    Opt {
        name: "rate_limit",
        kind: Kind::Flag,
        default: Some(
            "on: 100 per second and 400 per minute per app code, as QFPay documents; pass rate_limit off/None/null to turn it off",
        ),
        field: None,
        doc: "QFPay's documented rate limits, or off.",
    },
    Opt {
        name: "notify_time_scale",
        kind: Kind::Number,
        default: Some("1"),
        field: None,
        doc: "Speeds up the notification retry schedule (0.001 = a thousand times faster).",
    },
    Opt {
        name: "pending_queries",
        kind: Kind::Count,
        default: Some("0"),
        field: None,
        doc: "Queries that answer pending before a scanned payment shows as paid.",
    },
    Opt {
        name: "slow_response",
        kind: Kind::Duration,
        default: None,
        field: None,
        doc: "A delay added before every answer.",
    },
    Opt {
        name: "strict_pay_types",
        kind: Kind::Flag,
        default: Some("false"),
        field: None,
        doc: "Refuse the legacy pay codes (docs/pay-types.md) with 1104, as an account without them would.",
    },
];

/// The sandbox's controls, its fault kinds and the fields of its order list.
const SANDBOX_CONTROLS: &[&str] = &[
    "start",
    "base_url",
    "port",
    "app_code",
    "client_key",
    "client",
    "pay",
    "inject_fault",
    "requests",
    "request_count",
    "notifications",
    "orders",
    "reset",
    "advance_clock",
    "stop",
];
const SANDBOX_FAULTS: &[&str] = &["delay", "drop", "http_status", "malformed", "canned"];
const SANDBOX_ORDER_FIELDS: &[&str] = &[
    "kind",
    "out_trade_no",
    "syssn",
    "txamt",
    "txcurrcd",
    "state",
    "orig_syssn",
];

/// The module-level functions every binding has.
pub const FUNCTIONS: &[(&str, &str)] = &[
    (
        "sign",
        "The signature of a set of fields (QFPay's algorithm, md5 or sha256).",
    ),
    (
        "string_to_sign",
        "The text that is signed for a set of fields (for debugging a signature).",
    ),
    (
        "verify_notification",
        "Checks a notification's signature over its raw body and returns it typed.",
    ),
    (
        "notification_signature",
        "The signature QFPay would put on a notification body (for tests).",
    ),
    ("qr_svg", "A QR code as SVG text."),
    ("qr_png", "A QR code as PNG bytes."),
    ("qr_data_url", "A QR code as a data: URL (PNG)."),
    (
        "qr_terminal",
        "A QR code drawn with Unicode blocks for a terminal.",
    ),
    (
        "generate_out_trade_no",
        "A new order number: qf, the UTC time to the second and 18 random characters (34, URL-safe).",
    ),
];

/// The module-level constants every binding has.
pub const CONSTANTS: &[(&str, &str)] = &[
    ("version", "The binding's version."),
    ("core_version", "The Rust core's version."),
    (
        "notification_ack",
        "The body to answer a notification with (SUCCESS).",
    ),
    ("sandbox_app_code", "The embedded sandbox's app code."),
    ("sandbox_client_key", "The embedded sandbox's client key."),
];

/// Every result type: its name, doc and fields (from its `describe!`).
pub const RESULTS: &[(&str, &str, &[FieldSpec])] = &[
    ("Payment", crate::Payment::DOC, crate::Payment::SCHEMA),
    (
        "Transaction",
        crate::Transaction::DOC,
        crate::Transaction::SCHEMA,
    ),
    ("QueryPage", crate::QueryPage::DOC, crate::QueryPage::SCHEMA),
    ("Refund", crate::Refund::DOC, crate::Refund::SCHEMA),
    (
        "Cancellation",
        crate::Cancellation::DOC,
        crate::Cancellation::SCHEMA,
    ),
    (
        "Notification",
        crate::Notification::DOC,
        crate::Notification::SCHEMA,
    ),
    (
        "CheckoutLink",
        crate::checkout::CheckoutLink::DOC,
        crate::checkout::CheckoutLink::SCHEMA,
    ),
    (
        "WechatPayParams",
        crate::model::WechatPayParams::DOC,
        crate::model::WechatPayParams::SCHEMA,
    ),
    (
        "WechatAppParams",
        crate::model::WechatAppParams::DOC,
        crate::model::WechatAppParams::SCHEMA,
    ),
    (
        "AlipayPayParams",
        crate::model::AlipayPayParams::DOC,
        crate::model::AlipayPayParams::SCHEMA,
    ),
    (
        "ReconcileReport",
        crate::reconcile::ReconcileReport::DOC,
        crate::reconcile::ReconcileReport::SCHEMA,
    ),
    (
        "Discrepancy",
        crate::reconcile::Discrepancy::DOC,
        crate::reconcile::Discrepancy::SCHEMA,
    ),
    (
        "NetTotal",
        crate::reconcile::NetTotal::DOC,
        crate::reconcile::NetTotal::SCHEMA,
    ),
    (
        "TradeBill",
        crate::model::TradeBill::DOC,
        crate::model::TradeBill::SCHEMA,
    ),
    (
        "TradeBillEntry",
        crate::model::TradeBillEntry::DOC,
        crate::model::TradeBillEntry::SCHEMA,
    ),
    (
        "Settlements",
        crate::model::Settlements::DOC,
        crate::model::Settlements::SCHEMA,
    ),
    (
        "Settlement",
        crate::model::Settlement::DOC,
        crate::model::Settlement::SCHEMA,
    ),
    (
        "NoteAdded",
        crate::model::NoteAdded::DOC,
        crate::model::NoteAdded::SCHEMA,
    ),
];

fn names<'a>(it: impl IntoIterator<Item = &'a str>) -> Value {
    Value::Array(it.into_iter().map(|s| Value::from(s.to_owned())).collect())
}

fn opt_names(table: &[Opt]) -> Value {
    names(table.iter().map(|o| o.name))
}

/// An option's detail: kind, default, QFPay field, doc and each language's name.
fn opt_detail(o: &Opt) -> Value {
    let mut spelled = Map::new();
    for lang in LANGS {
        let name = if o.field.is_some() {
            lang.member(o.name)
        } else {
            lang.option(o.name)
        };
        spelled.insert(lang.name().to_owned(), Value::from(name));
    }
    json!({
        "name": o.name,
        "kind": o.kind.name(),
        "default": o.default,
        "field": o.field,
        "doc": o.doc,
        "names": spelled,
    })
}

fn opt_details(table: &[Opt]) -> Value {
    Value::Array(table.iter().map(opt_detail).collect())
}

/// The whole surface (what `tests/surface.json` holds).
pub fn surface() -> Value {
    let mut operations = Map::new();
    for op in OPERATIONS {
        let waits = op.call == WAIT_OPTIONS;
        let mut v = json!({
            "moves_money": op.moves_money,
            "io": op.io,
            "args": opt_names(op.args),
            "options": if waits { opt_names(op.call) } else { names(op.optional().map(|o| o.name)) },
            "returns": op.returns,
            "doc": op.doc,
        });
        if waits {
            v["defaults"] = json!({
                "timeout_seconds": crate::Wait::DEFAULT_TIMEOUT.as_secs(),
                "interval_seconds": crate::Wait::DEFAULT_INTERVAL.as_secs(),
                "max_interval_seconds": crate::Wait::DEFAULT_MAX_INTERVAL.as_secs(),
            });
        }
        if op.name == "close" {
            v["note"] = json!("JVM names it closeOrder (close() releases the client)");
        }
        operations.insert(op.name.to_owned(), v);
    }
    let results: Map<String, Value> = RESULTS
        .iter()
        .map(|(name, _, fields)| ((*name).to_owned(), names(fields.iter().map(|f| f.name))))
        .collect();
    let result_detail: Map<String, Value> = RESULTS
        .iter()
        .map(|(name, doc, fields)| {
            let fields: Vec<Value> = fields
                .iter()
                .map(|f| json!({"name": f.name, "type": f.ty, "doc": f.doc}))
                .collect();
            ((*name).to_owned(), json!({"doc": doc, "fields": fields}))
        })
        .collect();
    let op_detail: Map<String, Value> = OPERATIONS
        .iter()
        .map(|op| {
            let optional: Vec<Value> = op.optional().map(opt_detail).collect();
            (
                op.name.to_owned(),
                json!({
                    "args": opt_details(op.args),
                    "options": optional,
                    "call_options": opt_details(op.call),
                    "returns": op.returns,
                    "io": op.io,
                    "doc": op.doc,
                }),
            )
        })
        .collect();
    let enums: Map<String, Value> = ENUMS
        .iter()
        .map(|(n, values)| ((*n).to_owned(), names(values.iter().copied())))
        .collect();
    json!({
        "_generated": "GENERATED by `cargo run -p qfpay-surface` from the core's surface (core/src/surface, each result's describe!). Do not edit: change the core and regenerate; make test fails when this file is stale.",
        "_about": "The public surface every binding exposes. Names are canonical snake_case; each suite maps them to its language's convention (python: snake_case; node, jvm, php: lowerCamelCase for members and options, UpperCamelCase for classes) and checks its binding by reflection/introspection against this file, so something added here and missing in one binding fails that binding's suite. Durations are seconds (float) in Python, milliseconds (integer, suffix Ms) in Node and PHP, java.time.Duration on the JVM. Amounts are integer minor units everywhere. `schema` holds each name's type, unit, default, doc and spelling per language.",
        "version": 1,
        "binding_names": {
            "_about": "Deliberate per-binding names where the convention alone does not give the name (canonical -> binding).",
            "node": {
                "qr_svg": "qr.svg",
                "qr_png": "qr.png",
                "qr_data_url": "qr.dataUrl",
                "qr_terminal": "qr.terminal"
            }
        },
        "client": {
            "constructors": ["new", "from_env"],
            "options": opt_names(CLIENT_OPTIONS),
            "environments": ["production", "live_test", "card_sandbox"],
            "refused_environment_names": ["sandbox", "live"],
            "env_vars": [
                "QFPAY_APP_CODE", "QFPAY_CLIENT_KEY", "QFPAY_MCHID", "QFPAY_ENV",
                "QFPAY_BASE_URL", "QFPAY_SIGN_TYPE", "QFPAY_PROXY"
            ],
            "properties": ["base_url", "app_code", "mchid"]
        },
        "call_options": opt_names(CALL_OPTIONS),
        "operations": operations,
        "results": results,
        "transaction_states": enums["transaction_state"].clone(),
        "errors": {
            "codes": names(crate::Error::CODES),
            "fields": names(ERROR_FIELDS.iter().map(|f| f.0)),
            "field_notes": {
                "out_trade_no": "set on every error from a money-moving call (create_payment, wechat_qr, refund, close, reverse) whenever the order number is known, including generated ones",
                "syssn": "QFPay's transaction number when known",
                "existing": "duplicate_order only: the transaction already under that out_trade_no (a Transaction), or null when it could not be read",
                "retry_after": "rate_limited: seconds (Python float) / milliseconds (Node, PHP) / java.time.Duration (JVM) the server asked to wait, or null",
                "jvm_timeout_class": "JVM: code timeout is RequestTimeoutException (TimeoutException would clash with java.util.concurrent.TimeoutException)",
                "sent": "network: whether the request may have reached QFPay"
            }
        },
        "functions": names(FUNCTIONS.iter().map(|f| f.0)),
        "constants": names(CONSTANTS.iter().map(|c| c.0)),
        "sandbox": {
            "controls": names(SANDBOX_CONTROLS.iter().copied()),
            "start_options": opt_names(SANDBOX_START_OPTIONS),
            "defaults": {
                "rate_limit": SANDBOX_START_OPTIONS[2].default,
            },
            "faults": names(SANDBOX_FAULTS.iter().copied()),
            "orders_fields": names(SANDBOX_ORDER_FIELDS.iter().copied()),
        },
        "logging_events": names(EventKind::ALL.iter().map(|k| k.as_str())),
        "logging_event_fields": names(crate::events::Event::LOGGING_FIELDS.iter().copied()),
        "schema": {
            "client_options": opt_details(CLIENT_OPTIONS),
            "call_options": opt_details(CALL_OPTIONS),
            "wait_options": opt_details(WAIT_OPTIONS),
            "sandbox_start_options": opt_details(SANDBOX_START_OPTIONS),
            "operations": op_detail,
            "results": result_detail,
            "enums": enums,
            "event": {
                "doc": crate::events::Event::DOC,
                "fields": crate::events::Event::SCHEMA.iter().map(|f| json!({"name": f.name, "type": f.ty, "doc": f.doc})).collect::<Vec<_>>(),
            },
            "errors": {
                "codes": ERROR_DOCS.iter().map(|(c, d)| json!({"code": c, "doc": d})).collect::<Vec<_>>(),
                "fields": ERROR_FIELDS.iter().map(|(n, t, d)| json!({"name": n, "type": t, "doc": d})).collect::<Vec<_>>(),
            },
            "functions": FUNCTIONS.iter().map(|(n, d)| json!({"name": n, "doc": d})).collect::<Vec<_>>(),
            "constants": CONSTANTS.iter().map(|(n, d)| json!({"name": n, "doc": d})).collect::<Vec<_>>(),
            "languages": LANGS.iter().map(|l| json!({
                "name": l.name(),
                "duration_unit": match l.duration_unit() {
                    super::DurationUnit::Seconds => "seconds (int or float)",
                    super::DurationUnit::Millis => "milliseconds (suffix Ms)",
                    super::DurationUnit::Nanos => "Duration",
                },
            })).collect::<Vec<_>>(),
        }
    })
}

/// [`surface`] as the text of `tests/surface.json` (two-space indent, a final newline).
pub fn surface_text() -> String {
    let mut text = serde_json::to_string_pretty(&surface()).unwrap_or_default();
    text.push('\n');
    text
}
