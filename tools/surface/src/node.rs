//! The node binding's generated files, from the core's surface:
//! - `bindings-node/lib/surface.d.ts`: the result interfaces, the option and request
//!   interfaces, the client's operations (`ClientOperations`), the event (`QfPayEvent`), the
//!   module's functions and constants and the error classes' types. The hand-written
//!   `lib/index.d.ts` re-exports it (and declares the rest of the client, logging and the
//!   sandbox); it imports the few hand-written types it names (`Logger`, `LogLevel`,
//!   `PayType`, `RawBody`, `SandboxMerchant`, the streams' iterators `QueryPages` and
//!   `Transactions`) back.
//! - `bindings-node/lib/error-classes.js`: the error classes themselves and `ERROR_CLASSES`.
//! - `bindings-node/lib/operations.js`: the client's operations (method name, whether it moves
//!   money, whether its argument is an order number, whether it talks to QFPay: one that does
//!   not is a plain synchronous method; whether it returns a stream, iterated by page or by
//!   item; and where its result holds bytes), which `lib/index.js` turns into methods;
//!   `surface.d.ts` declares them (`ClientOperations`, merged into the `Client` class).
//!
//! No operation is known here by name but for documentation (`THROWS`) and the request
//! interfaces' names (`REQUESTS`): what a method returns follows from its return type
//! (`list<QueryPage>` → the page iterator `QueryPages`, another `list<T>` → an item iterator
//! named `Ts`, declared by hand in `lib/index.d.ts`).

use std::fmt::Write;

use qfpay::events::{Event, EventKind};
use qfpay::surface::schema::{CONSTANTS, FUNCTIONS, RESULTS, SANDBOX_START_OPTIONS};
use qfpay::surface::spec::{Kind, LEDGER_FIELDS, LEDGER_REQUIRED, Opt};
use qfpay::surface::{
    CALL_OPTIONS, CLIENT_OPTIONS, ENUMS, ERROR_DOCS, ERROR_FIELDS, Lang, OPERATIONS, WAIT_OPTIONS,
    is_api_category,
};

use crate::File;
use crate::types::{pascal, render};

const PATH: &str = "bindings-node/lib/surface.d.ts";
const CLASSES_PATH: &str = "bindings-node/lib/error-classes.js";
const OPS_PATH: &str = "bindings-node/lib/operations.js";
const L: Lang = Lang::Node;

/// Each operation's request interface (operations that take an order number alone have none).
const REQUESTS: &[(&str, &str)] = &[
    ("create_payment", "PaymentRequest"),
    ("wechat_qr", "WechatQrRequest"),
    ("query", "QueryRequest"),
    ("refund", "RefundRequest"),
    ("close", "CancelRequest"),
    ("checkout_url", "CheckoutRequest"),
    ("wechat_oauth_url", "WechatOauthUrlRequest"),
    ("get_wechat_openid", "WechatOpenidRequest"),
    ("cashier_url", "CashierRequest"),
    ("transactions", "TransactionsRequest"),
    ("reconcile", "ReconcileRequest"),
    ("settlements", "SettlementsRequest"),
    ("add_note", "AddNoteRequest"),
];

/// Node's own options beside the core's (`name`, type, doc), per options interface.
const SIGNAL: (&str, &str, &str) = (
    "signal",
    "AbortSignal",
    "Aborts the call: it rejects at once with a `DOMException` named `'AbortError'` (its `cause` is the signal's reason; `outTradeNo` names the order of a money-moving call), and the request in flight is dropped. A payment already sent may still exist: query its order number (generate and store it first with `generateOutTradeNo()`).",
);
const CLIENT_EXTRAS: &[(&str, &str, &str)] = &[
    (
        "logger",
        "Logger",
        "A logger for the client's events and configuration warnings (default: none, unless `QFPAY_LOG` holds a filter such as `qfpay=debug`, or `DEBUG=qfpay`: then one line per event on stderr).",
    ),
    (
        "logLevel",
        "LogLevel",
        "The least severe level logged (default: the logger's own `level` if it has one, else `QFPAY_LOG`'s filter, per target, else `'info'`).",
    ),
];

/// Error fields always present on an error of a code (optional elsewhere).
const ALWAYS: &[(&str, &[&str])] = &[
    ("validation", &["field", "rule"]),
    ("status_unknown", &["out_trade_no"]),
    ("network", &["sent"]),
];

/// The files this module writes.
pub fn files() -> Vec<File> {
    vec![
        (PATH, text()),
        (CLASSES_PATH, classes()),
        (OPS_PATH, operations()),
    ]
}

/// How an operation returning a stream (`list<...>`) is iterated, by its return type: a
/// `list<QueryPage>` page by page (`'pages'`, the `QueryPages` iterator), any other `list<T>`
/// item by item across pages (`'items'`, an iterator named `Ts`); `None` for one result.
fn iteration(op: &qfpay::surface::Operation) -> Option<(&'static str, String)> {
    let item = op.returns.strip_prefix("list<")?.strip_suffix('>')?;
    Some(match item {
        "QueryPage" => ("pages", "QueryPages".to_owned()),
        other => ("items", format!("{other}s")),
    })
}

/// The paths of the `bytes` fields within a value of surface type `ty` (`content`,
/// `entries.*.data`: `*` each item of a list), in Node's names: `lib/index.js` turns the base64
/// text the JSON form carries there into `Buffer`s.
fn bytes_paths(ty: &str, depth: usize) -> Vec<String> {
    let ty = ty.strip_suffix('?').unwrap_or(ty);
    if ty == "bytes" {
        return vec![String::new()];
    }
    if depth > 4 {
        return Vec::new();
    }
    if let Some(item) = ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
        let inner = bytes_paths(item, depth + 1);
        return inner.into_iter().map(|p| join("*", &p)).collect();
    }
    let Some((_, _, fields)) = RESULTS.iter().find(|(n, ..)| *n == ty) else {
        return Vec::new();
    };
    fields
        .iter()
        .flat_map(|f| {
            let name = L.member(f.name);
            bytes_paths(f.ty, depth + 1)
                .into_iter()
                .map(move |p| join(&name, &p))
        })
        .collect()
}

fn join(head: &str, rest: &str) -> String {
    if rest.is_empty() {
        head.to_owned()
    } else {
        format!("{head}.{rest}")
    }
}

/// The paths of the `bytes` fields in what operation `op` resolves to or yields (an item
/// iterator yields the items of its pages).
fn result_bytes(op: &qfpay::surface::Operation) -> Vec<String> {
    match iteration(op) {
        Some((_, _)) => {
            let item = op.returns.trim_start_matches("list<").trim_end_matches('>');
            bytes_paths(item, 0)
        }
        None => bytes_paths(op.returns, 0),
    }
}

/// Every operation: one method each.
fn methods() -> impl Iterator<Item = &'static qfpay::surface::Operation> {
    OPERATIONS.iter()
}

/// Whether operation `op`'s one argument is an order number (else a request object).
fn order_number(op: &qfpay::surface::Operation) -> bool {
    matches!(op.args, [only] if only.name == "out_trade_no")
}

/// `lib/operations.js`: what `lib/index.js` needs to define each operation's method.
fn operations() -> String {
    let mut out = crate::banner("//");
    out.push_str(
        "// The client's operations, from the core's table: each method's name, whether it moves\n\
         // money, whether its argument is an order number (else a request object), whether it\n\
         // talks to QFPay (`io`; one that does not is a synchronous method without options),\n\
         // how a stream is iterated (`iterate`: 'pages' or 'items', from its return type; null\n\
         // for one result) and where its result holds bytes (`bytes`: paths of base64 text that\n\
         // become Buffers; `*` each item of a list).\n\
         'use strict'\n\nmodule.exports = Object.freeze([\n",
    );
    let rows: Vec<String> = methods()
        .map(|op| {
            let iterate = iteration(op).map_or("null".to_owned(), |(how, _)| format!("'{how}'"));
            let bytes: Vec<String> = result_bytes(op).iter().map(|p| format!("'{p}'")).collect();
            format!(
                "  {{ method: '{}', movesMoney: {}, orderNumber: {}, io: {}, iterate: {iterate}, bytes: [{}] }}",
                L.member(op.name),
                op.moves_money,
                order_number(op),
                op.io,
                bytes.join(", ")
            )
        })
        .collect();
    let _ = writeln!(out, "{}\n])", rows.join(",\n"));
    out
}

/// What each operation throws, in Node's classes (its `@throws` lines in `surface.d.ts`).
const THROWS: &[(&str, &[&str])] = &[
    (
        "create_payment",
        &[
            "{ValidationError} a field broke a rule; nothing was sent.",
            "{DeclinedError} and other {@link ApiError}s with QFPay's answer; `.outTradeNo` names the order.",
            "{DuplicateOrderError} the order number was used before; `.existing` is that transaction.",
            "{StatusUnknownError} the outcome is unknown: query `.outTradeNo`, never pay again under a new number.",
            "{RateLimitedError | NetworkError} not processed (see `.sent`).",
            "{DOMException} named `AbortError` when `options.signal` aborts.",
        ],
    ),
    (
        "wechat_qr",
        &[
            "{QfPayError} as {@link Client.createPayment}; {@link DOMException} `AbortError` on abort.",
        ],
    ),
    (
        "query",
        &[
            "{ValidationError} a field broke a rule.",
            "{ApiError | NetworkError | RequestTimeoutError | RateLimitedError} the query failed.",
            "{DOMException} `AbortError` on abort.",
        ],
    ),
    (
        "query_pages",
        &[
            "{ValidationError} at once, for a bad request; each page may reject as {@link Client.query}.",
        ],
    ),
    (
        "find_payment",
        &[
            "{ValidationError} when `outTradeNo` is not a non-empty string.",
            "{ApiError | NetworkError | RequestTimeoutError} the query failed; {@link DOMException} `AbortError` on abort.",
        ],
    ),
    (
        "refund",
        &[
            "{ValidationError} a field broke a rule; nothing was sent.",
            "{RefundRejectedError} and other {@link ApiError}s; `.outTradeNo` names the refund; on `1269` (the day's unsettled amount is short) `.available` is what can still be refunded today, in minor units.",
            "{StatusUnknownError} the outcome is unknown: query `.outTradeNo`.",
            "{DOMException} `AbortError` on abort.",
        ],
    ),
    (
        "close",
        &[
            "{OrderStateError} and other {@link ApiError}s (e.g. already closed or paid).",
            "{ValidationError | StatusUnknownError | NetworkError} as {@link Client.createPayment}; `AbortError` on abort.",
        ],
    ),
    (
        "reverse",
        &[
            "{ApiError | ValidationError | StatusUnknownError | NetworkError} as {@link Client.close}; `AbortError` on abort.",
        ],
    ),
    (
        "wait_for_payment",
        &[
            "{StatusUnknownError} when `timeoutMs` passes (after one last query at the deadline).",
            "{DeclinedError} when the payment failed or was cancelled.",
            "{ValidationError} for a bad order number or option; {@link DOMException} `AbortError` on abort.",
        ],
    ),
    (
        "checkout_url",
        &[
            "{ValidationError} a field broke a rule (at once: nothing is sent).",
            "{ConfigError} the client has no key to sign with.",
        ],
    ),
    (
        "verify_checkout_url",
        &[
            "{SignatureError} the signature does not match the client's key, or the link's values were encoded wrongly (the message says which).",
            "{ValidationError} the text is not a checkout link.",
        ],
    ),
    (
        "wechat_oauth_url",
        &["{ValidationError} `redirectUri` is empty or too long."],
    ),
    (
        "get_wechat_openid",
        &[
            "{ApiError} QFPay refused the code (used before, or expired).",
            "{ValidationError | NetworkError | RequestTimeoutError} as {@link Client.query}; {@link DOMException} `AbortError` on abort.",
        ],
    ),
    (
        "cashier_url",
        &["{ValidationError} a field broke a rule, or `payParams` lacks WeChat's fields."],
    ),
    (
        "transactions",
        &[
            "{ValidationError} at once, for a bad period or filter (nothing is sent).",
            "{ApiError | NetworkError | RequestTimeoutError | RateLimitedError} from the iteration, when a page cannot be fetched (a `429` is waited out first, up to ten times a page); {@link DOMException} `AbortError` on abort.",
        ],
    ),
    (
        "reconcile",
        &[
            "{ValidationError} a bad ledger (`.field` `ledger`; the rule names the entry, from 1, or the CSV line) or period; nothing was sent.",
            "{ApiError | NetworkError | RequestTimeoutError | RateLimitedError} a page could not be fetched; {@link DOMException} `AbortError` on abort.",
        ],
    ),
    (
        "download_trade_bill",
        &[
            "{ConfigError} on QFPay's test hosts (`live_test`, `card_sandbox`): the statement is production-only; nothing is sent.",
            "{ValidationError} `tradeDate` is not `YYYY-MM-DD`.",
            "{ApiError | NetworkError | RequestTimeoutError} QFPay refused or the download failed; {@link DOMException} `AbortError` on abort.",
        ],
    ),
    (
        "settlements",
        &[
            "{ValidationError} `dateStart` / `dateEnd` are not `YYYYMMDD`, or `paymethod` is not `alipay` or `wechat`.",
            "{ApiError | NetworkError | RequestTimeoutError} the query failed; {@link DOMException} `AbortError` on abort.",
        ],
    ),
    (
        "add_note",
        &[
            "{ConfigError} an `mchid` is configured (QFPay allows notes only to merchants who send none); nothing is sent.",
            "{ValidationError} `note` is empty, over 200 characters or holds control characters; nothing is sent.",
            "{ApiError | NetworkError | RequestTimeoutError} QFPay refused it (`1268`: no such transaction) or the call failed; {@link DOMException} `AbortError` on abort.",
        ],
    ),
];

/// `ClientOperations`: each operation's method, from the core's table.
fn client_operations(out: &mut String) {
    doc(
        out,
        "",
        "The client's operations (the `Client` class has them): each one that talks to QFPay returns a Promise and never blocks the event loop; each one that does not (a link built and signed locally) returns at once.",
    );
    out.push_str("export interface ClientOperations {\n");
    for op in OPERATIONS {
        // `reverse` takes `close`'s request: the interface of the operation with the same fields.
        let names = |o: &qfpay::surface::Operation| {
            let all = o.args.iter().chain(o.optional());
            all.map(|a| a.name).collect::<Vec<_>>()
        };
        let request = REQUESTS
            .iter()
            .find(|(n, _)| {
                OPERATIONS
                    .iter()
                    .any(|o| o.name == *n && names(o) == names(op))
            })
            .map(|r| r.1);
        // One required text argument: the text alone, or (with its options) a request object.
        let arg = match request {
            Some(r) if op.args.is_empty() => format!("request?: {r}"),
            Some(r) if matches!(op.args, [a] if a.kind == Kind::Text) => {
                format!("{}: string | {r}", L.member(op.args[0].name))
            }
            Some(r) => format!("request: {r}"),
            None => format!("{}: string", L.member(op.args[0].name)),
        };
        let wait = op
            .call
            .iter()
            .map(|o| o.name)
            .eq(WAIT_OPTIONS.iter().map(|o| o.name));
        let options = if wait { "WaitOptions" } else { "CallOptions" };
        // A stream is an async iterator (declared in lib/index.d.ts); an operation that does
        // not talk to QFPay returns at once.
        let result = |t: &str| field_type("", t).0;
        let returns = match (iteration(op), op.returns.strip_suffix('?')) {
            (Some((_, iterator)), _) => iterator,
            _ if !op.io => result(op.returns),
            (_, Some(t)) => format!("Promise<{} | null>", result(t)),
            (_, None) => format!("Promise<{}>", result(op.returns)),
        };
        let params = if op.io {
            format!("{arg}, options?: {options}")
        } else {
            arg
        };
        let _ = writeln!(out, "  /**\n   * {}", op.doc);
        for t in THROWS
            .iter()
            .filter(|(n, _)| *n == op.name)
            .flat_map(|t| t.1)
        {
            let _ = writeln!(out, "   * @throws {t}");
        }
        let _ = writeln!(out, "   */\n  {}({params}): {returns}", L.member(op.name));
    }
    out.push_str("}\n\n");
}

/// What a QR function throws.
const QR_THROWS: &str =
    "{ValidationError} when `content` is not a string, or empty or too long for a QR code.";

/// Node's declaration of the core's module functions (`FUNCTIONS`): each one's parameters and
/// result, and what it throws. The `qr_*` functions are the `qr` object's methods.
/// (`debugStringToSign` is declared in lib/index.d.ts.)
const FUNCTION_DECLS: &[(&str, &str, &[&str])] = &[
    (
        "verify_notification",
        "(rawBody: RawBody, signature: string | string[] | null | undefined, clientKey: string): Notification",
        &[
            "{SignatureError} when the signature is missing, empty or does not match (answer 4xx; do not trust the body).",
            "{ValidationError} when given a parsed object instead of the raw body (`field` `rawBody`), or `signature` or `clientKey` is not a string (`field` names the argument).",
            "{DecodeError} when the signed body is not a notification.",
            "{ConfigError} when `clientKey` is empty.",
        ],
    ),
    (
        "notification_signature",
        "(rawBody: RawBody, clientKey: string): string",
        &[
            "{ValidationError} when `rawBody` is not raw bytes or a string, or `clientKey` not a string.",
        ],
    ),
    (
        "sign",
        "(params: Record<string, string | number>, key: string, signType?: 'md5' | 'sha256'): string",
        &[
            "{ValidationError} when a value is not a string or whole number, `key` is not a string, or `signType` is not `'md5'` or `'sha256'` (the value is never quoted).",
        ],
    ),
    (
        "string_to_sign",
        "(params: Record<string, string | number>): string",
        &["{ValidationError} when a value is not a string or whole number."],
    ),
    ("qr_svg", "(content: string): string", &[QR_THROWS]),
    (
        "qr_png",
        "(content: string, scale?: number): Buffer",
        &[
            "{ValidationError} when `content` is not a string, or empty or too long for a QR code, or `scale` (pixels per module, default 8) is not a whole number from 1 to 100.",
        ],
    ),
    ("qr_data_url", "(content: string): string", &[QR_THROWS]),
    ("qr_terminal", "(content: string): string", &[QR_THROWS]),
    (
        "generate_out_trade_no",
        "(): string",
        &[
            "never. Generate and store it before calling, so an aborted or unknown call can still be found.",
        ],
    ),
];

/// The module functions and constants, from the core's tables.
fn functions(out: &mut String) {
    let mut qr = String::new();
    for (name, what) in FUNCTIONS {
        let Some((_, signature, throws)) = FUNCTION_DECLS.iter().find(|d| d.0 == *name) else {
            continue;
        };
        let (indent, target, decl) = match name.strip_prefix("qr_") {
            Some(method) => ("  ", &mut qr, L.member(method)),
            None => (
                "",
                &mut *out,
                format!("export declare function {}", L.member(name)),
            ),
        };
        let _ = writeln!(target, "{indent}/**\n{indent} * {what}");
        for t in *throws {
            let _ = writeln!(target, "{indent} * @throws {t}");
        }
        let _ = writeln!(target, "{indent} */\n{indent}{decl}{signature}");
    }
    doc(out, "", "QR code rendering of a payment's `qrcode`.");
    let _ = writeln!(out, "export declare const qr: {{\n{qr}}}");
    for (name, what) in CONSTANTS {
        doc(out, "", what);
        let _ = writeln!(out, "export declare const {}: string", name.to_uppercase());
    }
    out.push('\n');
}

/// `EventKind` and `QfPayEvent`, from the core's description of an event.
fn events(out: &mut String) {
    doc(
        out,
        "",
        "The kinds of events a client emits (`client.on(kind, fn)`).",
    );
    let kinds: Vec<String> = EventKind::ALL
        .iter()
        .map(|k| format!("'{}'", k.as_str()))
        .collect();
    let _ = writeln!(out, "export type EventKind = {}\n", kinds.join(" | "));
    doc(out, "", Event::DOC);
    out.push_str("export interface QfPayEvent {\n");
    for f in Event::SCHEMA {
        let (ty, optional) = match f.name {
            "kind" => ("EventKind".to_owned(), false),
            "level" => ("LogLevel".to_owned(), false),
            _ => field_type(f.name, f.ty),
        };
        doc(out, "  ", f.doc);
        let q = if optional { "?" } else { "" };
        let _ = writeln!(out, "  {}{q}: {ty}", L.member(f.name));
    }
    out.push_str("}\n\n");
}

/// `lib/error-classes.js`: one class per error code (API categories under `ApiError`), and
/// `ERROR_CLASSES`; `lib/index.js` turns native errors into them.
fn classes() -> String {
    let mut out = crate::banner("//");
    out.push_str(
        "// The QfPayError hierarchy: one class per error code of the core; lib/index.js turns\n\
         // native errors into them.\n'use strict'\n\n",
    );
    let base = L.error_class(None);
    let api = L.error_class(Some("api"));
    doc(
        &mut out,
        "",
        "Base class of every error the SDK throws. `.code` is the core's stable error code; every field the native error carries is set.",
    );
    let _ = writeln!(
        out,
        "class {base} extends Error {{\n  constructor (message, code, details) {{\n    super(message)\n    this.name = new.target.name\n    this.code = code || 'api'\n    for (const key of Object.keys(details || {{}})) {{\n      if (details[key] !== undefined && details[key] !== null) this[key] = details[key]\n    }}\n  }}\n}}"
    );
    // `ApiError` first: the API categories extend it.
    let mut codes: Vec<&(&str, &str)> = ERROR_DOCS.iter().filter(|(c, _)| *c == "api").collect();
    codes.extend(ERROR_DOCS.iter().filter(|(c, _)| *c != "api"));
    for (code, what) in &codes {
        let parent = if is_api_category(code) { &api } else { &base };
        doc(&mut out, "", what);
        let _ = writeln!(
            out,
            "class {} extends {parent} {{}}",
            L.error_class(Some(code))
        );
    }
    let map: Vec<String> = ERROR_DOCS
        .iter()
        .map(|(c, _)| format!("  {c}: {}", L.error_class(Some(c))))
        .collect();
    let _ = writeln!(
        out,
        "\nconst ERROR_CLASSES = Object.freeze({{\n{}\n}})\n",
        map.join(",\n")
    );
    let names: Vec<String> = std::iter::once(base.clone())
        .chain(codes.iter().map(|(c, _)| L.error_class(Some(c))))
        .map(|n| format!("  {n},"))
        .collect();
    let _ = writeln!(
        out,
        "module.exports = {{\n{}\n  ERROR_CLASSES\n}}",
        names.join("\n")
    );
    out
}

fn doc(out: &mut String, indent: &str, text: &str) {
    let _ = writeln!(out, "{indent}/** {} */", text.replace("*/", "*\\/"));
}

/// A result or error field's type in TypeScript, and whether it may be absent. Currencies are
/// [`Currency`], pay types `PayType`, `raw` the `Raw` alias.
fn field_type(name: &str, ty: &str) -> (String, bool) {
    let (ty, optional) = match ty.strip_suffix('?') {
        Some(t) => (t, true),
        None => (ty, false),
    };
    let rendered = match (name, ty) {
        ("txcurrcd" | "currency", "str") => "Currency".to_owned(),
        ("pay_type", "str") => "PayType".to_owned(),
        (_, "raw") => "Raw".to_owned(),
        _ => render(L, ty),
    };
    (rendered, optional)
}

/// A default as Node writes it: durations in milliseconds (`0.5 s` → `500 ms`).
fn default(opt: &Opt) -> Option<String> {
    let d = opt.default?;
    if opt.kind != Kind::Duration {
        return Some(if d.contains(' ') {
            d.to_owned()
        } else {
            format!("`{d}`")
        });
    }
    let (number, scale) = match d.rsplit_once(' ')? {
        (n, "ms") => (n, 1.0),
        (n, "s") => (n, 1000.0),
        (n, "min") => (n, 60_000.0),
        _ => return None,
    };
    let ms: f64 = number.parse::<f64>().ok()? * scale;
    // Defaults are whole milliseconds.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let ms = ms.round() as u64;
    let digits = ms.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    Some(format!("{grouped} ms"))
}

/// An option's or request field's TypeScript type.
fn input_type(opt: &Opt) -> &'static str {
    match (opt.name, opt.kind) {
        ("merchants", Kind::Map) => "SandboxMerchant[]",
        ("rate_limit", Kind::Flag) => "boolean | { perSecond?: number, perMinute?: number }",
        ("pay_type", Kind::Text) => "PayType",
        ("pay_type", Kind::TextList) => "PayType | PayType[]",
        // A map of text, or its JSON text.
        ("extra_params", Kind::Map) => "Record<string, string> | string",
        ("pay_params", Kind::Map) => "Record<string, unknown> | string",
        (_, Kind::Text | Kind::Secret) => "string",
        (_, Kind::TextList) => "string | string[]",
        (_, Kind::Currency) => "Currency",
        (_, Kind::ExtendInfo) => "ExtendInfo",
        (_, Kind::Map) => "Record<string, unknown>",
        (_, Kind::Flag) => "boolean",
        (_, Kind::Amount | Kind::Count | Kind::Offset | Kind::Duration | Kind::Number) => "number",
        (_, Kind::Ledger) => "string | LedgerEntry[]",
    }
}

fn option(out: &mut String, opt: &Opt, required: bool, request: bool) {
    let mut text = opt.doc.to_owned();
    match (opt.kind == Kind::Duration, default(opt)) {
        (true, Some(d)) => {
            let _ = write!(text, " In milliseconds, default {d}.");
        }
        (true, None) => text.push_str(" In milliseconds."),
        (false, Some(d)) => {
            let _ = write!(text, " Default: {d}.");
        }
        (false, None) => {}
    }
    doc(out, "  ", &text);
    // As the core reads it (`apply::Fields`): a request's QFPay field by its member name, any
    // other option by its option name (a duration's with the unit suffix where Node has one).
    let name = if request && opt.field.is_some() {
        L.member(opt.name)
    } else {
        L.option(opt.name)
    };
    let q = if required && opt.default.is_none() {
        ""
    } else {
        "?"
    };
    let _ = writeln!(out, "  {name}{q}: {}", input_type(opt));
}

/// `LedgerEntry`: one order of the merchant's ledger given as an object (`reconcile`'s
/// `ledger`), from the core's `LEDGER_FIELDS`.
fn ledger_entry(out: &mut String) {
    doc(
        out,
        "",
        "One order of the merchant's ledger (`reconcile`'s `ledger` as an array of objects; CSV text has the same columns: `out_trade_no,amount,currency[,state][,refunded]`).",
    );
    let states = ENUMS
        .iter()
        .find(|(n, _)| *n == "ledger_state")
        .map_or("string".to_owned(), |(n, _)| pascal(n));
    let members = LEDGER_FIELDS.iter().enumerate().map(|(i, f)| {
        let ty = if f.name == "state" {
            states.as_str()
        } else {
            input_type(f)
        };
        (f.name, ty, i >= LEDGER_REQUIRED, f.doc)
    });
    out.push_str("export interface LedgerEntry {\n");
    for (name, ty, optional, what) in members {
        doc(out, "  ", what);
        let q = if optional { "?" } else { "" };
        let _ = writeln!(out, "  {}{q}: {ty}", L.member(name));
    }
    out.push_str("}\n\n");
}

fn options(out: &mut String, name: &str, what: &str, table: &[Opt], extras: &[(&str, &str, &str)]) {
    doc(out, "", what);
    let _ = writeln!(out, "export interface {name} {{");
    for o in table {
        option(out, o, false, false);
    }
    for (n, ty, d) in extras {
        doc(out, "  ", d);
        let _ = writeln!(out, "  {n}?: {ty}");
    }
    out.push_str("}\n\n");
}

fn text() -> String {
    let mut out = crate::banner("//");
    out.push_str(
        "// The `qfpay` package's results, options, requests and errors, from the core's surface;\n\
         // re-exported by the hand-written lib/index.d.ts.\n\n\
         ",
    );
    // The hand-written types this file names, the streams' iterators among them.
    let mut imports = vec![
        "Logger",
        "LogLevel",
        "PayType",
        "RawBody",
        "SandboxMerchant",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect::<Vec<_>>();
    imports.extend(OPERATIONS.iter().filter_map(|o| iteration(o).map(|i| i.1)));
    imports.sort();
    imports.dedup();
    let _ = writeln!(
        out,
        "import type {{ {} }} from './index'\n",
        imports.join(", ")
    );

    // Enumerations.
    doc(&mut out, "", "ISO 4217 currency codes QFPay documents.");
    let codes: Vec<String> = qfpay::Currency::ALL
        .iter()
        .map(|c| format!("'{}'", c.code()))
        .collect();
    let _ = writeln!(out, "export type Currency = {}\n", codes.join(" | "));
    for (name, values) in ENUMS {
        doc(&mut out, "", &format!("One of the `{name}` values."));
        let values: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
        let _ = writeln!(
            out,
            "export type {} = {}\n",
            pascal(name),
            values.join(" | ")
        );
    }
    doc(
        &mut out,
        "",
        "Every field QFPay sent, exactly as sent (QFPay's snake_case names, amounts as strings).",
    );
    out.push_str("export type Raw = Record<string, unknown>\n\n");
    doc(
        &mut out,
        "",
        "`extendInfo`: real-name verification (WeChat, mainland residents), any other JSON object (sent as its JSON text), or JSON text sent as given.",
    );
    out.push_str(
        "export type ExtendInfo = {\n  /** The customer's ID card number (18 characters, GB 11643). */\n  userCreid: string\n  /** The customer's real name. */\n  userTruename: string\n} | Record<string, unknown> | string\n\n",
    );

    // Options and requests.
    options(
        &mut out,
        "ClientOptions",
        "Client options (all optional; `Client.fromEnv` fills the rest from the environment).",
        CLIENT_OPTIONS,
        CLIENT_EXTRAS,
    );
    options(
        &mut out,
        "CallOptions",
        "Per-call options.",
        CALL_OPTIONS,
        &[SIGNAL],
    );
    options(
        &mut out,
        "WaitOptions",
        "How `waitForPayment` polls.",
        WAIT_OPTIONS,
        &[SIGNAL],
    );
    options(
        &mut out,
        "SandboxOptions",
        "`Sandbox.start`'s options.",
        SANDBOX_START_OPTIONS,
        &[],
    );
    ledger_entry(&mut out);
    for (op_name, interface) in REQUESTS {
        let Some(op) = OPERATIONS.iter().find(|o| o.name == *op_name) else {
            continue;
        };
        doc(
            &mut out,
            "",
            &format!("The request of `{}`: {}", L.member(op.name), op.doc),
        );
        let _ = writeln!(out, "export interface {interface} {{");
        for a in op.args {
            option(&mut out, a, true, true);
        }
        for o in op.optional() {
            option(&mut out, o, false, true);
        }
        out.push_str("}\n\n");
    }

    client_operations(&mut out);
    events(&mut out);
    functions(&mut out);

    // Results.
    for (name, what, fields) in RESULTS {
        doc(&mut out, "", what);
        let _ = writeln!(out, "export interface {name} {{");
        for f in *fields {
            let (ty, optional) = field_type(f.name, f.ty);
            doc(&mut out, "  ", f.doc);
            let q = if optional { "?" } else { "" };
            let _ = writeln!(out, "  {}{q}: {ty}", L.member(f.name));
        }
        out.push_str("}\n\n");
    }

    // Errors.
    doc(&mut out, "", "The stable error codes (`QfPayError.code`).");
    let codes: Vec<String> = ERROR_DOCS.iter().map(|(c, _)| format!("'{c}'")).collect();
    let _ = writeln!(out, "export type ErrorCode = {}\n", codes.join(" | "));
    let base = L.error_class(None);
    doc(&mut out, "", "Base class of every error the SDK throws.");
    let _ = writeln!(out, "export declare class {base} extends Error {{");
    for (name, ty, what) in ERROR_FIELDS {
        if *name == "message" {
            continue;
        }
        doc(&mut out, "  ", what);
        if *name == "code" {
            out.push_str("  readonly code: ErrorCode\n");
            continue;
        }
        let (ty, _) = field_type(name, ty);
        let _ = writeln!(out, "  readonly {}?: {ty}", error_field(name));
    }
    out.push_str("}\n");
    let api = L.error_class(Some("api"));
    for (code, what) in ERROR_DOCS {
        let parent = if is_api_category(code) { &api } else { &base };
        doc(&mut out, "", what);
        let _ = writeln!(
            out,
            "export declare class {} extends {parent} {{",
            L.error_class(Some(code))
        );
        if *code != "api" {
            doc(&mut out, "  ", &format!("Always `'{code}'`."));
            let _ = writeln!(out, "  readonly code: '{code}'");
        }
        let always = ALWAYS
            .iter()
            .find(|(c, _)| c == code)
            .map_or(&[][..], |a| a.1);
        for name in always {
            if let Some((_, ty, what)) = ERROR_FIELDS.iter().find(|(n, ..)| n == name) {
                let (ty, _) = field_type(name, ty);
                doc(&mut out, "  ", what);
                let _ = writeln!(out, "  readonly {}: {ty}", error_field(name));
            }
        }
        out.push_str("}\n");
    }
    out.push('\n');
    doc(&mut out, "", "Each error code's class.");
    let _ = writeln!(
        out,
        "export declare const ERROR_CLASSES: Readonly<Record<ErrorCode, typeof {base}>>"
    );
    out
}

/// An error field's name: durations are milliseconds, named like the options (`retryAfterMs`).
fn error_field(name: &str) -> String {
    L.error_field(name)
}
