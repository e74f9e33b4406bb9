//! The python binding's generated type files, from the core's surface:
//! `python/qfpay/_types.py` (the keyword options as `TypedDict`s, the value types and enums),
//! `python/qfpay/_errors.py` (the exception classes, one per error code) and
//! `python/qfpay/_surface.pyi` (the stubs of the result classes, which the extension builds
//! from the same descriptions, and of `Client`, whose operations read their arguments by these
//! names). The hand-written `_qfpay.pyi` imports them and declares the functions, the page
//! iterators and the sandbox.

use std::fmt::Write;

use qfpay::surface::schema::{CONSTANTS, FUNCTIONS, RESULTS, surface};
use qfpay::surface::spec::{Kind, Operation, Opt};
use qfpay::surface::{
    CALL_OPTIONS, CLIENT_OPTIONS, ENUMS, ERROR_DOCS, ERROR_FIELDS, Lang, OPERATIONS, WAIT_OPTIONS,
    is_api_category, operation,
};

use crate::File;
use crate::types::{pascal, render};

const L: Lang = Lang::Python;

/// The client options Python takes positionally (`Client(app_code, client_key, ...)`).
const POSITIONAL: &[&str] = &["app_code", "client_key"];
/// The sign types (`sign_type`).
const SIGN_TYPES: &[&str] = &["md5", "sha256"];
/// Each operation's options `TypedDict` (with the per-call options).
const OPTIONS: &[(&str, &str)] = &[
    ("create_payment", "PaymentOptions"),
    ("wechat_qr", "QrPaymentOptions"),
    ("query", "QueryOptions"),
    ("refund", "RefundOptions"),
    ("close", "CancelOptions"),
    ("checkout_url", "CheckoutOptions"),
    ("wechat_oauth_url", "OauthOptions"),
    ("get_wechat_openid", "OpenidOptions"),
    ("cashier_url", "CashierOptions"),
    ("transactions", "PeriodOptions"),
    ("reconcile", "ReconcileOptions"),
    ("settlements", "SettlementOptions"),
];

/// The iterator classes of the operations returning a stream, by their return type: the
/// result type, the class `Client`'s method returns, `AsyncClient`'s, and the `Client` helper
/// (`client.rs`) that makes it. `list<QueryPage>` iterates pages, `list<Transaction>` the
/// records of each page in turn.
const STREAMS: &[(&str, &str, &str, &str)] = &[
    ("list<QueryPage>", "QueryPages", "AsyncQueryPages", "pages"),
    (
        "list<Transaction>",
        "Transactions",
        "AsyncTransactions",
        "items",
    ),
];

/// The stream `returns` is, if any (see [`STREAMS`]).
fn stream(returns: &str) -> Option<(&'static str, &'static str, &'static str)> {
    STREAMS
        .iter()
        .find(|(r, _, _, _)| *r == returns)
        .map(|(_, sync, asy, make)| (*sync, *asy, *make))
}

/// Operations whose required arguments are keyword-only (`close(amount=, currency=, ...)`).
const KEYWORD_ONLY: &[&str] = &["close", "reverse"];
/// The errors each operation documents besides validation and the base class.
const RAISES: &[(&str, &[&str])] = &[
    (
        "create_payment",
        &["declined", "duplicate_order", "status_unknown"],
    ),
    (
        "wechat_qr",
        &["declined", "duplicate_order", "status_unknown"],
    ),
    ("query", &["timeout"]),
    ("find_payment", &["timeout"]),
    ("refund", &["refund_rejected", "status_unknown"]),
    ("close", &["order_state", "status_unknown"]),
    ("reverse", &["order_state", "status_unknown"]),
    ("wait_for_payment", &["declined", "status_unknown"]),
    ("verify_checkout_url", &["signature"]),
    ("get_wechat_openid", &["invalid_request", "timeout"]),
    ("transactions", &["timeout"]),
    ("reconcile", &["timeout"]),
    ("download_trade_bill", &["config", "timeout"]),
    ("settlements", &["timeout"]),
    ("add_note", &["config", "timeout"]),
];
/// The client's properties.
const PROPERTIES: &[(&str, &str, &str)] = &[
    ("base_url", "str", "The base URL requests go to."),
    ("app_code", "str", "The app code (``X-QF-APPCODE``)."),
    ("mchid", "str | None", "The default ``mchid``, if any."),
];

/// The files this module writes.
pub fn files() -> Vec<File> {
    vec![
        ("bindings-python/python/qfpay/_types.py", types()),
        ("bindings-python/python/qfpay/_errors.py", errors()),
        ("bindings-python/python/qfpay/_surface.pyi", stubs()),
        ("bindings-python/python/qfpay/_async.py", async_client()),
        ("bindings-python/python/qfpay/__init__.py", package()),
        ("bindings-python/src/operations.rs", rust_operations()),
        ("bindings-python/src/classes.rs", rust_classes()),
    ]
}

/// An operation's arguments as the generated method's parameters (`amount: Arg<'_, '_>, `) and
/// as the `(name, value)` pairs it hands on.
fn arg_list(op: &qfpay::surface::Operation) -> (String, Vec<String>) {
    let params = op
        .args
        .iter()
        .map(|a| format!("{}: Arg<'_, '_>, ", a.name))
        .collect();
    let named = op
        .args
        .iter()
        .map(|a| format!("(\"{0}\", {0})", a.name))
        .collect();
    (params, named)
}
fn head(out: &mut String, doc: &str) {
    out.push_str(&crate::banner("#"));
    let _ = writeln!(
        out,
        "\"\"\"{doc}\"\"\"\n\nfrom __future__ import annotations\n"
    );
}

fn literal<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = values.into_iter().map(|v| format!("{v:?}")).collect();
    format!("Literal[{}]", quoted.join(", "))
}

/// An option's type in Python.
fn option_type(o: &Opt) -> String {
    let ty = match (o.name, o.kind) {
        ("environment", _) => "EnvironmentName",
        ("sign_type", _) => "SignTypeName",
        (_, Kind::Text | Kind::Secret | Kind::Currency) => "str",
        (_, Kind::TextList) => "StrOrList",
        (_, Kind::Amount | Kind::Count | Kind::Offset) => "int",
        (_, Kind::Duration | Kind::Number) => "float",
        (_, Kind::ExtendInfo) => "ExtendInfo",
        ("extra_params", Kind::Map) => "dict[str, str] | str",
        (_, Kind::Map) => "dict[str, Any] | str",
        (_, Kind::Flag) => "bool",
        (_, Kind::Ledger) => "Ledger",
    };
    format!("{ty} | None")
}

fn typed_dict(out: &mut String, name: &str, base: &str, doc: &str, opts: &[&Opt]) {
    let _ = writeln!(
        out,
        "\n\nclass {name}({base}, total=False):\n    \"\"\"{doc}\"\"\"\n"
    );
    for o in opts {
        let default = o
            .default
            .map(|d| format!(" Default: {d}."))
            .unwrap_or_default();
        let _ = writeln!(out, "    #: {}{default}", o.doc);
        let _ = writeln!(out, "    {}: {}", L.option(o.name), option_type(o));
    }
}

fn types() -> String {
    let mut out = String::new();
    head(
        &mut out,
        "Keyword-option and value types shared by ``Client`` and ``AsyncClient`` (for type checkers); durations are seconds.",
    );
    out.push_str("from collections.abc import Iterator, Mapping\nfrom typing import Any, Literal, TypedDict, Union\n\n");
    let envs = surface()["client"]["environments"].clone();
    let envs: Vec<&str> = envs
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .collect();
    let _ = writeln!(
        out,
        "#: An environment (for the local sandbox, give its ``base_url``: ``Sandbox.client()`` does).\nEnvironmentName = {}\nSignTypeName = {}",
        literal(envs),
        literal(SIGN_TYPES.iter().copied())
    );
    out.push_str("#: Real-name fields (``{\"user_creid\": ..., \"user_truename\": ...}``), or any JSON object as a str.\nExtendInfo = Union[dict[str, str], str]\nStrOrList = Union[str, list[str], tuple[str, ...]]\n#: The merchant's ledger for ``reconcile``: CSV text (header ``out_trade_no,amount,currency[,state][,refunded]``),\n#: or dicts with those keys in a list, a tuple or an iterator (a generator, a database cursor; ``amount`` and\n#: ``refunded`` in minor units, ``state`` a ``LedgerState``).\nLedger = Union[str, list[dict[str, Any]], tuple[dict[str, Any], ...], Iterator[Mapping[str, Any]]]\n");
    for (name, values) in ENUMS {
        let _ = writeln!(
            out,
            "#: ``{name}``.\n{} = {}",
            pascal(name),
            literal(values.iter().copied())
        );
    }
    out.push_str("#: ``Notification.notify_type``: payment, refund, or another type QFPay sends, kept as sent.\nNotifyType = Union[Literal[\"payment\", \"refund\"], str]\n");
    let strings = |key: &str| -> String {
        let items = surface()[key].clone();
        let items: Vec<String> = items
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(|v| format!("{v:?}")))
            .collect();
        items.join(", ")
    };
    let _ = writeln!(
        out,
        "#: The event kinds the core reports (``record.event`` on the ``qfpay`` loggers).\nEVENTS = ({})\n#: The event fields every log record carries as attributes.\nFIELDS = ({})",
        strings("logging_events"),
        strings("logging_event_fields")
    );
    let _ = writeln!(
        out,
        "#: ``QfPayError.code``.\nErrorCode = {}\n",
        literal(ERROR_DOCS.iter().map(|(c, _)| *c))
    );
    let config: Vec<&Opt> = CLIENT_OPTIONS
        .iter()
        .filter(|o| !POSITIONAL.contains(&o.name))
        .collect();
    let creds: Vec<&Opt> = CLIENT_OPTIONS
        .iter()
        .filter(|o| POSITIONAL.contains(&o.name))
        .collect();
    typed_dict(
        &mut out,
        "ConfigOptions",
        "TypedDict",
        "Client configuration keywords.",
        &config,
    );
    typed_dict(
        &mut out,
        "EnvConfigOptions",
        "ConfigOptions",
        "``from_env`` overrides: the configuration keywords and the credentials.",
        &creds,
    );
    let call: Vec<&Opt> = CALL_OPTIONS.iter().collect();
    typed_dict(
        &mut out,
        "CallOptions",
        "TypedDict",
        "Per-call options every operation takes.",
        &call,
    );
    let wait: Vec<&Opt> = WAIT_OPTIONS.iter().collect();
    typed_dict(
        &mut out,
        "WaitOptions",
        "TypedDict",
        "The options of ``wait_for_payment``.",
        &wait,
    );
    for (op, name) in OPTIONS {
        let Some(o) = OPERATIONS.iter().find(|o| o.name == *op) else {
            continue;
        };
        let fields: Vec<&Opt> = o.optional().collect();
        // An operation that sends nothing takes no per-call options.
        let (base, with) = if o.call.is_empty() {
            ("TypedDict", "")
        } else {
            ("CallOptions", ", with the per-call options")
        };
        let doc = format!("Optional arguments of ``{op}`` (by their QFPay names){with}.");
        typed_dict(&mut out, name, base, &doc, &fields);
    }
    out
}

fn errors() -> String {
    let mut out = String::new();
    head(
        &mut out,
        "The exception hierarchy, one class per core error code. The Rust extension raises these by\nlooking the class up by the error's code in ``BY_CODE`` (``ArgumentTypeError`` for a wrong\ntype) and setting the attributes that apply; the others are ``None``.",
    );
    out.push_str("from typing import TYPE_CHECKING\n\nfrom ._types import ErrorCode\n\nif TYPE_CHECKING:\n    from ._qfpay import Transaction\n\n");
    let classes: Vec<String> = ERROR_DOCS
        .iter()
        .map(|(c, _)| L.error_class(Some(c)))
        .collect();
    let base = L.error_class(None);
    let _ = writeln!(
        out,
        "#: The exception classes (``qfpay`` re-exports them).\n__all__ = [\"{base}\", \"ArgumentTypeError\", {}]\n",
        classes
            .iter()
            .map(|c| format!("{c:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        out,
        "\nclass {base}(Exception):\n    \"\"\"Base class of every error the SDK raises. ``code`` is the core's stable error code.\"\"\"\n\n    code: ErrorCode = \"api\""
    );
    for (name, ty, doc) in ERROR_FIELDS
        .iter()
        .filter(|f| f.0 != "code" && f.0 != "message")
    {
        let _ = writeln!(out, "    #: {doc}\n    {name}: {} = None", render(L, ty));
    }
    out.push_str(concat!(
        "\n    @property\n    def message(self) -> str:\n        \"\"\"What went wrong.\"\"\"\n",
        "        return str(self.args[0]) if self.args else \"\"\n\n",
        "    def __repr__(self) -> str:\n        extra = [\n",
        "            f\"{name}={getattr(self, name)!r}\"\n",
        "            for name in (\"field\", \"respcd\", \"out_trade_no\", \"syssn\", \"http_status\")\n",
        "            if getattr(self, name) is not None\n        ]\n",
        "        inner = \", \".join([repr(self.message), f\"code={self.code!r}\", *extra])\n",
        "        return f\"{type(self).__name__}({inner})\"\n",
    ));
    let api = L.error_class(Some("api"));
    let mut ordered: Vec<&(&str, &str)> = ERROR_DOCS.iter().filter(|(c, _)| *c == "api").collect();
    ordered.extend(ERROR_DOCS.iter().filter(|(c, _)| *c != "api"));
    for (code, doc) in ordered {
        let name = L.error_class(Some(code));
        let bases = match *code {
            "validation" => format!("{base}, ValueError"),
            "timeout" => format!("{base}, TimeoutError"),
            c if is_api_category(c) => api.clone(),
            _ => base.clone(),
        };
        let _ = writeln!(
            out,
            "\n\nclass {name}({bases}):\n    \"\"\"{doc}\"\"\"\n\n    code: ErrorCode = {code:?}"
        );
        if *code == "validation" {
            let _ = writeln!(
                out,
                "\n\nclass ArgumentTypeError({name}, TypeError):\n    \"\"\"An argument has the wrong type (``max_retries=True``, ``goods_name=5``); nothing was sent.\n    ``field`` names it. Also a ``TypeError``.\"\"\"\n\n    code: ErrorCode = {code:?}"
            );
        }
    }
    let _ = writeln!(
        out,
        "\n\n# Shown as ``qfpay.X`` in tracebacks and reprs (they are re-exported there).\ndef _public(*classes: type[{base}]) -> None:\n    for cls in classes:\n        cls.__module__ = \"qfpay\"\n        _public(*cls.__subclasses__())\n\n\n_public({base})\n\nBY_CODE: dict[str, type[{base}]] = {{\n{}}}",
        classes
            .iter()
            .zip(ERROR_DOCS)
            .map(|(c, (code, _))| format!("    {code:?}: {c},\n"))
            .collect::<String>()
    );
    out
}

fn error_doc(code: &str) -> &'static str {
    ERROR_DOCS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, d)| d)
}

/// A docstring of `summary` and a `Raises:` section, indented for a method.
fn method_doc(out: &mut String, summary: &str, raises: &[(String, String)]) {
    let _ = writeln!(out, "        \"\"\"{summary}\n\n        Raises:");
    for (class, why) in raises {
        let _ = writeln!(out, "            {class}: {why}");
    }
    out.push_str("        \"\"\"\n");
}

fn raise(code: &str, why: &str) -> (String, String) {
    (L.error_class(Some(code)), why.to_owned())
}

/// What a constructor raises.
fn config_raises() -> Vec<(String, String)> {
    vec![
        raise(
            "config",
            &format!(
                "{} ``.field`` names the keyword at fault; a value that may be a secret is never quoted.",
                error_doc("config")
            ),
        ),
        raise(
            "validation",
            "a number out of range (``.field`` names the keyword).",
        ),
        (
            "ArgumentTypeError".to_owned(),
            "a keyword of the wrong type (also a ``TypeError``).".to_owned(),
        ),
    ]
}

/// The environment variables `from_env` reads, quoted for a docstring.
fn env_vars() -> String {
    let vars = surface()["client"]["env_vars"].clone();
    let vars: Vec<String> = vars
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(|v| format!("``{v}``")))
        .collect();
    vars.join(", ")
}

fn client(out: &mut String) {
    let config_raises = config_raises();
    out.push_str("\n\n@final\nclass Client:\n    \"\"\"A synchronous QFPay client; thread-safe, the GIL is released during network waits. Every\n    operation that talks to QFPay also takes ``timeout=`` (seconds) and ``max_retries=`` for that\n    call (the links built locally take neither); every error from a money-moving call names\n    ``.out_trade_no``.\"\"\"\n\n");
    out.push_str("    def __init__(self, app_code: str | None = None, client_key: str | None = None, **config: Unpack[ConfigOptions]) -> None:\n");
    method_doc(
        out,
        "A client configured by keywords (durations in seconds).",
        &config_raises,
    );
    out.push_str("    @classmethod\n    def from_env(cls, **overrides: Unpack[EnvConfigOptions]) -> Client:\n");
    let summary = format!(
        "A client from the environment variables; keywords override them. Configuration\n        warnings are logged on ``qfpay.config``. Variables: {}.",
        env_vars()
    );
    method_doc(out, &summary, &config_raises);
    for (name, ty, doc) in PROPERTIES {
        let _ = writeln!(
            out,
            "    @property\n    def {name}(self) -> {ty}:\n        \"\"\"{doc}\"\"\""
        );
    }
    for op in OPERATIONS {
        let sig = op_sig(op);
        let _ = writeln!(
            out,
            "    def {}({}) -> {}:",
            L.member(op.name),
            sig.params.join(", "),
            sig.returns
        );
        method_doc(out, &sig.summary, &sig.raises);
    }
}

/// An operation's Python declaration: its parameters (`self` first, `**options` last), the
/// arguments that hand them on (`amount, currency` or `amount=amount`), its result type and
/// its docstring parts.
struct OpSig {
    params: Vec<String>,
    pass: Vec<String>,
    returns: String,
    summary: String,
    raises: Vec<(String, String)>,
}

fn op_sig(op: &Operation) -> OpSig {
    let keyword_only = KEYWORD_ONLY.contains(&op.name);
    let mut params = vec!["self".to_owned()];
    let mut pass = Vec::new();
    if keyword_only {
        params.push("*".to_owned());
    }
    for a in op.args {
        let ty = match a.kind {
            Kind::Amount => "int",
            Kind::Map => "dict[str, Any] | str",
            Kind::Ledger => "Ledger",
            _ => "str",
        };
        params.push(match a.default {
            Some(d) => format!("{}: {ty} = {d:?}", a.name),
            None => format!("{}: {ty}", a.name),
        });
        pass.push(if keyword_only {
            format!("{0}={0}", a.name)
        } else {
            a.name.to_owned()
        });
    }
    let options = if op.call == WAIT_OPTIONS {
        Some("WaitOptions")
    } else {
        // An operation taking the same options as one listed (query_pages, reverse) shares
        // its TypedDict; one that sends nothing and has no options takes no keywords.
        OPTIONS
            .iter()
            .find(|(n, _)| {
                operation(n).is_some_and(|o| o.options == op.options && o.call == op.call)
            })
            .map(|(_, t)| *t)
            .or((!op.call.is_empty()).then_some("CallOptions"))
    };
    if let Some(options) = options {
        params.push(format!("**options: Unpack[{options}]"));
        pass.push("**options".to_owned());
    }
    let returns = match stream(op.returns) {
        Some((class, _, _)) => class.to_owned(),
        None => render(L, op.returns),
    };
    let mut summary = op.doc.replace("null", "None");
    if op.call == WAIT_OPTIONS {
        let defaults: Vec<String> = WAIT_OPTIONS
            .iter()
            .filter_map(|o| o.default.map(|d| format!("{} {d}", o.name)))
            .collect();
        summary.push_str(&format!(
            " Defaults: {}. Ctrl-C stops the wait.",
            defaults.join(", ")
        ));
    }
    let mut raises = vec![raise(
        "validation",
        "an argument broke a rule; nothing was sent (``.field`` names it;\n                ``ArgumentTypeError``, also a ``TypeError``, for a wrong type).",
    )];
    let extra = RAISES
        .iter()
        .find(|(n, _)| *n == op.name)
        .map_or(&[][..], |(_, c)| c);
    raises.extend(extra.iter().map(|c| match *c {
        "signature" if !op.io => raise(
            c,
            "the link is not signed with the client's key (the message says why).",
        ),
        c => raise(c, error_doc(c)),
    }));
    if op.call == WAIT_OPTIONS {
        raises.push((
            "KeyboardInterrupt".to_owned(),
            "Ctrl-C during the wait.".to_owned(),
        ));
    }
    let named = match (op.moves_money, keyword_only) {
        (true, false) => " Every one names ``.out_trade_no``.",
        (true, true) => " Every one names ``.out_trade_no`` when it was given.",
        _ => "",
    };
    raises.push((L.error_class(None), format!("any other failure.{named}")));
    OpSig {
        params,
        pass,
        returns,
        summary,
        raises,
    }
}

/// The `from ._types import (...)` lines: the keyword-option `TypedDict`s and `extra`, sorted.
fn option_types(extra: &[&str]) -> String {
    let mut names: Vec<&str> = ["CallOptions", "ConfigOptions", "EnvConfigOptions"]
        .into_iter()
        .chain(OPTIONS.iter().map(|(_, t)| *t))
        .chain(extra.iter().copied())
        .collect();
    names.sort_unstable();
    names.iter().map(|n| format!("    {n},\n")).collect()
}

fn stubs() -> String {
    let mut out = String::new();
    head(
        &mut out,
        "Stubs of the result classes (frozen: every attribute is read-only) and of ``Client``.",
    );
    let enums = result_enums();
    let mut extra = vec!["Ledger", "WaitOptions"];
    extra.extend(enums.iter().map(String::as_str));
    let _ = writeln!(
        out,
        "import asyncio\nfrom collections.abc import Iterator\nfrom typing import Any, Self, Unpack, final\n\nfrom ._bridge import QueryItems\nfrom ._qfpay import _Channel\nfrom ._types import (\n{})",
        option_types(&extra)
    );
    let constants: Vec<String> = CONSTANTS
        .iter()
        .map(|(c, _)| match *c {
            "version" => "__version__".to_owned(),
            c => L.constant(c),
        })
        .collect();
    let mut all: Vec<String> = vec!["Client".to_owned()];
    all.extend(sync_streams().into_iter().map(str::to_owned));
    all.extend(RESULTS.iter().map(|(n, _, _)| (*n).to_owned()));
    all.extend(constants.iter().cloned());
    let _ = writeln!(
        out,
        "\n__all__ = [{}]\n",
        all.iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for (name, (_, doc)) in constants.iter().zip(CONSTANTS) {
        let _ = writeln!(out, "#: {doc}\n{name}: str");
    }
    client(&mut out);
    pages(&mut out);
    for (name, doc, fields) in RESULTS {
        let _ = writeln!(out, "\n\n@final\nclass {name}:\n    \"\"\"{doc}\"\"\"\n");
        for f in *fields {
            let ty = render(L, f.ty);
            let _ = writeln!(
                out,
                "    @property\n    def {}(self) -> {ty}:\n        \"\"\"{}\"\"\"",
                L.member(f.name),
                f.doc
            );
            if let Some((_, item)) = sequence_of(name).filter(|(s, _)| *s == f.name) {
                let _ = writeln!(
                    out,
                    "    def __len__(self) -> int:\n        \"\"\"The number of items in ``{0}``.\"\"\"\n    def __iter__(self) -> Iterator[{item}]:\n        \"\"\"The items of ``{0}``.\"\"\"",
                    f.name
                );
            }
        }
    }
    out
}

/// The enumerations the result classes' fields use (`TransactionState`, `DiscrepancyKind`).
fn result_enums() -> Vec<String> {
    let mut names: Vec<String> = RESULTS
        .iter()
        .flat_map(|(_, _, fields)| fields.iter())
        .filter_map(|f| f.ty.trim_end_matches('?').strip_prefix("enum:"))
        .map(pascal)
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The field a result is a sequence of (`len(page)`, `for t in page`) and its item type: its
/// only list field, when that lists results (a `list<str>` such as `other_payments` does not
/// make a transaction a sequence; a report with two lists is neither).
fn sequence_of(result: &str) -> Option<(&'static str, &'static str)> {
    let (_, _, fields) = RESULTS.iter().find(|(n, _, _)| *n == result)?;
    let mut lists = fields.iter().filter_map(|f| {
        let item = f.ty.strip_prefix("list<")?.strip_suffix('>')?;
        Some((f.name, item))
    });
    let (field, item) = lists.next()?;
    let is_result = RESULTS.iter().any(|(n, _, _)| *n == item);
    (lists.next().is_none() && is_result).then_some((field, item))
}

const ASYNC_DOC: &str =
    "An asyncio QFPay client. Same keywords, defaults and results as ``Client``; every
    operation that talks to QFPay is a coroutine (the links built locally are plain calls), nothing
    blocks the event loop, and no thread is held per call (waits sleep on the I/O runtime). Share one client across tasks and event loops.
    ``max_concurrency`` is accepted for compatibility and bounds nothing: calls in flight cost a
    small Rust task each. ``await client.aclose()`` (or ``async with``) is harmless.";

/// The async iterator classes (`_bridge.py`) of the streams the operations return.
fn async_streams() -> Vec<&'static str> {
    let mut names: Vec<&str> = STREAMS
        .iter()
        .filter(|(r, _, _, _)| OPERATIONS.iter().any(|o| o.returns == *r))
        .map(|(_, _, asy, _)| *asy)
        .collect();
    names.sort_unstable();
    names
}

/// The iterator classes (`client.rs`) of the streams the operations return.
fn sync_streams() -> Vec<&'static str> {
    STREAMS
        .iter()
        .filter(|(r, _, _, _)| OPERATIONS.iter().any(|o| o.returns == *r))
        .map(|(_, sync, _, _)| *sync)
        .collect()
}

/// `_async.py`: `AsyncClient`, each operation started on the asyncio bridge (`_bridge.py`).
fn async_client() -> String {
    let mut out = String::new();
    head(
        &mut out,
        "``AsyncClient``: the operations of ``Client``, each started on the asyncio bridge (``_bridge``)\nand awaited; cancelling the awaiting task cancels the call.",
    );
    // The result classes the operations return (by name, in the surface's order).
    let mut results: Vec<&str> = RESULTS
        .iter()
        .map(|(n, _, _)| *n)
        .filter(|n| {
            OPERATIONS.iter().any(|o| {
                let r = o.returns.trim_end_matches('?');
                r == *n || r.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) == Some(n)
            })
        })
        .collect();
    results.extend(["Client", "_check_concurrency"]);
    results.sort_unstable();
    let _ = writeln!(
        out,
        "from types import TracebackType\nfrom typing import TYPE_CHECKING, Any, Unpack\n\nfrom ._bridge import {}, _abandon, _channel\nfrom ._qfpay import {}\nfrom ._types import (\n{})\n\nif TYPE_CHECKING:\n    import asyncio\n\n__all__ = [\"AsyncClient\", {}]",
        async_streams().join(", "),
        results.join(", "),
        option_types(&["Ledger"]),
        async_streams()
            .iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        out,
        "\n\nclass AsyncClient:\n    \"\"\"{ASYNC_DOC}\"\"\"\n\n    __slots__ = (\"_engine\", \"_max_concurrency\")\n"
    );
    let mut raises = config_raises();
    out.push_str("    def __init__(\n        self,\n        app_code: str | None = None,\n        client_key: str | None = None,\n        *,\n        max_concurrency: int = 64,\n        **config: Unpack[ConfigOptions],\n    ) -> None:\n");
    method_doc(
        &mut out,
        "A client configured by keywords; see ``Client``.",
        &raises,
    );
    out.push_str("        _check_concurrency(max_concurrency)\n        self._engine = Client(app_code, client_key, **config)\n        self._max_concurrency = max_concurrency\n\n");
    out.push_str("    @classmethod\n    def from_env(cls, *, max_concurrency: int = 64, **overrides: Unpack[EnvConfigOptions]) -> AsyncClient:\n");
    raises.truncate(1);
    let summary = format!(
        "A client from the environment variables; keywords override them. Variables:\n        {}.",
        env_vars()
    );
    method_doc(&mut out, &summary, &raises);
    out.push_str("        _check_concurrency(max_concurrency)\n        self = cls.__new__(cls)\n        self._engine = Client.from_env(**overrides)\n        self._max_concurrency = max_concurrency\n        return self\n");
    for (name, ty, doc) in PROPERTIES {
        let _ = writeln!(
            out,
            "\n    @property\n    def {name}(self) -> {ty}:\n        \"\"\"{doc}\"\"\"\n        return self._engine.{name}"
        );
    }
    out.push_str(concat!(
        "\n    def __repr__(self) -> str:\n        return \"Async\" + repr(self._engine)\n\n",
        "    async def aclose(self) -> None:\n        \"\"\"Releases nothing and waits for nothing (calls in flight finish on their own); kept\n        so ``async with`` and existing code work.\"\"\"\n\n",
        "    async def __aenter__(self) -> AsyncClient:\n        return self\n\n",
        "    async def __aexit__(\n        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None\n    ) -> None:\n        await self.aclose()\n",
    ));
    for op in OPERATIONS {
        let mut sig = op_sig(op);
        let name = L.member(op.name);
        if op.call == WAIT_OPTIONS {
            // Named, so that `inspect.signature` shows them (None: the core's default).
            sig.params.pop();
            sig.pass.pop();
            sig.params.push("*".to_owned());
            for o in op.call {
                let n = L.option(o.name);
                sig.params.push(format!("{n}: float | None = None"));
                sig.pass.push(format!("{n}={n}"));
            }
        }
        let args = sig.pass.join(", ");
        if !op.io {
            // Nothing is sent: the same plain call as on `Client`, no coroutine.
            let _ = writeln!(
                out,
                "\n    def {name}({}) -> {}:",
                sig.params.join(", "),
                sig.returns
            );
            sig.summary
                .push_str(" A plain call here too, not a coroutine.");
            method_doc(&mut out, &sig.summary, &sig.raises);
            let _ = writeln!(out, "        return self._engine.{name}({args})");
            continue;
        }
        if let Some((_, asy, _)) = stream(op.returns) {
            let _ = writeln!(out, "\n    def {name}({}) -> {asy}:", sig.params.join(", "));
            sig.summary
                .push_str(" Iterate with ``async for``; the arguments are checked at once.");
            method_doc(&mut out, &sig.summary, &sig.raises);
            let _ = writeln!(out, "        return {asy}(self._engine.{name}({args}))");
            continue;
        }
        let _ = writeln!(
            out,
            "\n    async def {name}({}) -> {}:",
            sig.params.join(", "),
            sig.returns
        );
        method_doc(&mut out, &sig.summary, &sig.raises);
        let _ = writeln!(
            out,
            "        channel = _channel()\n        fut: asyncio.Future[{}] = self._engine.{name}({args}, _channel=channel)  # type: ignore[call-arg, assignment]\n        try:\n            return await fut\n        except BaseException:\n            _abandon(channel, fut)\n            raise",
            sig.returns
        );
    }
    out
}

/// `src/operations.rs` (included by `client.rs`): the macro that writes `Client`'s
/// `#[pymethods]`: the methods it is given, the constructors, and one method per operation,
/// each handing its arguments by name to `Client::call`. The text signatures list every
/// keyword the core's applier reads.
fn rust_operations() -> String {
    let mut out = crate::banner("//");
    let keywords = |opts: &mut dyn Iterator<Item = &Opt>| -> String {
        opts.map(|o| format!(", {}=None", L.option(o.name)))
            .collect()
    };
    let config = keywords(
        &mut CLIENT_OPTIONS
            .iter()
            .filter(|o| !POSITIONAL.contains(&o.name)),
    );
    let creds = keywords(
        &mut CLIENT_OPTIONS
            .iter()
            .filter(|o| POSITIONAL.contains(&o.name)),
    );
    let _ = writeln!(
        out,
        "// `Client`'s #[pymethods]: the methods given, the constructors, and one method per operation
// of the core's OPERATIONS, each handing its arguments by name to `Client::call`.
macro_rules! client_methods {{
    ($($fixed:tt)*) => {{
        #[pymethods]
        impl Client {{
            $($fixed)*

            /// A client configured by keywords (defaults: live-test environment, MD5, 30 s per
            /// call, connect 5 s, 2 retries, 15 s reconciliation).
            #[new]
            #[pyo3(signature = (app_code=None, client_key=None, **kw), text_signature = \"(app_code=None, client_key=None, *{config})\")]
            fn new(py: Python<'_>, app_code: Arg<'_, '_>, client_key: Arg<'_, '_>, kw: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {{
                build(py, false, &[(\"app_code\", app_code), (\"client_key\", client_key)], kw)
            }}

            /// A client from the `QFPAY_*` environment variables; keywords override them.
            #[classmethod]
            #[pyo3(signature = (**kw), text_signature = \"($cls, *{creds}{config})\")]
            fn from_env(_cls: &Bound<'_, PyType>, py: Python<'_>, kw: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {{
                build(py, true, &[], kw)
            }}"
    );
    for (name, ty, doc) in PROPERTIES {
        let rust = if ty.ends_with("| None") {
            "Option<String>"
        } else {
            "String"
        };
        let _ = writeln!(
            out,
            "\n            #[doc = {:?}]\n            #[getter]\n            fn {name}(&self) -> {rust} {{\n                self.core().config().{name}.clone()\n            }}",
            doc.replace("``", "`")
        );
    }
    for (i, op) in OPERATIONS.iter().enumerate() {
        let sig = op_sig(op);
        let keyword_only = KEYWORD_ONLY.contains(&op.name);
        let (mut signature, mut text) = (Vec::new(), vec!["$self".to_owned()]);
        if keyword_only {
            signature.push("*".to_owned());
            text.push("*".to_owned());
        }
        for a in op.args {
            signature.push(match a.default {
                Some(_) => format!("{}=None", a.name),
                None => a.name.to_owned(),
            });
            text.push(match a.default {
                Some(d) => format!("{}='{d}'", a.name),
                None => a.name.to_owned(),
            });
        }
        if !keyword_only {
            signature.push("*".to_owned());
            text.push("*".to_owned());
        }
        signature.extend(["_channel=None".to_owned(), "**kw".to_owned()]);
        text.extend(
            op.optional()
                .chain(op.call)
                .map(|o| format!("{}=None", L.option(o.name))),
        );
        let name = L.member(op.name);
        if !op.io {
            // Nothing is sent: run at once on the caller's thread, no channel, no call options.
            let mut signature: Vec<String> = op.args.iter().map(|a| a.name.to_owned()).collect();
            signature.push("**kw".to_owned());
            let mut text: Vec<String> = ["$self".to_owned()]
                .into_iter()
                .chain(op.args.iter().map(|a| a.name.to_owned()))
                .collect();
            if op.optional().next().is_some() {
                text.push("*".to_owned());
                text.extend(op.optional().map(|o| format!("{}=None", L.option(o.name))));
            }
            let (params, named) = arg_list(op);
            // self, py, the arguments, kw: clippy's limit is seven.
            let allow = if op.args.len() + 3 > 7 {
                "\n            #[allow(clippy::too_many_arguments)]"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "\n            #[doc = {:?}]{allow}\n            #[pyo3(signature = ({}), text_signature = \"({})\")]\n            fn {name}(&self, py: Python<'_>, {params}kw: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {{\n                self.local(py, &qfpay::surface::OPERATIONS[{i}], &[{}], kw)\n            }}",
                sig.summary,
                signature.join(", "),
                text.join(", "),
                named.join(", ")
            );
            continue;
        }
        let (params, named) = arg_list(op);
        if let Some((class, _, make)) = stream(op.returns) {
            // An iterator, made at once (the arguments checked), fetching pages as it advances.
            let mut signature: Vec<String> = op.args.iter().map(|a| a.name.to_owned()).collect();
            signature.push("**kw".to_owned());
            let _ = writeln!(
                out,
                "\n            #[doc = {:?}]\n            #[pyo3(signature = ({}), text_signature = \"({})\")]\n            fn {name}(&self, py: Python<'_>, {params}kw: Option<&Bound<'_, PyDict>>) -> PyResult<{class}> {{\n                self.{make}(py, &qfpay::surface::OPERATIONS[{i}], &[{}], kw)\n            }}",
                sig.summary,
                signature.join(", "),
                text.join(", "),
                named.join(", ")
            );
            continue;
        }
        let _ = writeln!(
            out,
            "\n            #[doc = {:?}]\n            #[pyo3(signature = ({}), text_signature = \"({})\")]\n            fn {name}(&self, py: Python<'_>, {params}_channel: Ch<'_, '_>, kw: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {{\n                self.call(py, &qfpay::surface::OPERATIONS[{i}], &[{}], kw, _channel)\n            }}",
            sig.summary,
            signature.join(", "),
            text.join(", "),
            named.join(", ")
        );
    }
    out.push_str("        }\n    };\n}\n");
    out
}

const PACKAGE_DOC: &str = r#"qfpay: the QFPay Open API SDK (QR and online payments, hosted checkout links, queries,
refunds, notifications).

Every protocol rule (validation, signing, retries, reconciliation, error classification) is
implemented once in the Rust core; this package is its Python face.

    >>> import qfpay
    >>> client = qfpay.Client(app_code="...", client_key="...", environment="live_test")
    >>> payment = client.wechat_qr(300, "HKD", goods_name="Coffee")   # doctest: +SKIP
    >>> payment.qrcode                                                 # doctest: +SKIP
    'weixin://wxpay/bizpayurl?pr=...'
"#;

/// `__init__.py`: the public names (the clients, the surface's results, functions, constants
/// and enums, the exceptions), re-exported from the modules that define them.
fn package() -> String {
    let mut out = crate::banner("#");
    let _ = writeln!(
        out,
        "\"\"\"{PACKAGE_DOC}\"\"\"\n\nfrom __future__ import annotations\n\nfrom . import _log  # noqa: F401 - the loggers, and QFPAY_LOG's stderr handler\nfrom . import _errors\nfrom ._errors import *  # noqa: F403 - the exception classes, one per error code\nfrom ._async import {}\nfrom ._bridge import QueryItems",
        ["AsyncClient"]
            .into_iter()
            .chain(async_streams())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let constants = CONSTANTS
        .iter()
        .map(|(c, _)| match *c {
            "version" => "__version__".to_owned(),
            c => L.constant(c),
        })
        .filter(|c| !c.starts_with("SANDBOX_"));
    let mut native: Vec<String> = constants
        .chain(["Client"].map(str::to_owned))
        .chain(sync_streams().into_iter().map(str::to_owned))
        .chain(RESULTS.iter().map(|(n, _, _)| (*n).to_owned()))
        .chain(FUNCTIONS.iter().map(|(f, _)| L.member(f)))
        .collect();
    native.sort_by_key(|n| (n.starts_with("__"), n.to_owned()));
    let mut types: Vec<String> = ENUMS.iter().map(|(n, _)| pascal(n)).collect();
    types.extend(["ErrorCode", "NotifyType"].map(str::to_owned));
    types.sort();
    let _ = writeln!(
        out,
        "from ._qfpay import (\n{})\nfrom ._types import {}\n\n#: Pay type of WeChat Pay QR code payments (merchant-presented; the customer scans).\nWECHAT_QR = \"800201\"\n",
        native
            .iter()
            .map(|n| format!("    {n},\n"))
            .collect::<String>(),
        types.join(", ")
    );
    let mut all = vec!["WECHAT_QR".to_owned(), "AsyncClient".to_owned()];
    all.extend(async_streams().into_iter().map(str::to_owned));
    all.extend(native);
    all.extend(types);
    let _ = writeln!(
        out,
        "__all__ = [\n{}]\n__all__ += _errors.__all__",
        all.iter()
            .map(|n| format!("    {n:?},\n"))
            .collect::<String>()
    );
    out
}

/// The iterator classes of the operations returning a stream: pages (`list<QueryPage>`) or
/// the transactions of each page in turn (`list<Transaction>`).
fn pages(out: &mut String) {
    for (returns, class, _, _) in STREAMS {
        let ops: Vec<&Operation> = OPERATIONS
            .iter()
            .filter(|o| o.returns == *returns)
            .collect();
        let Some(first) = ops.first() else { continue };
        let made_by: Vec<String> = ops
            .iter()
            .map(|o| format!("``Client.{}``", L.member(o.name)))
            .collect();
        let _ = writeln!(
            out,
            "\n\n@final\nclass {class}:\n    \"\"\"{}. Made by {}; the GIL is released while a page is fetched.\"\"\"\n",
            first.doc.trim_end_matches('.'),
            made_by.join(", ")
        );
        if *returns == "list<QueryPage>" {
            out.push_str("    def __iter__(self) -> Self:\n        \"\"\"This iterator.\"\"\"\n    def __next__(self) -> QueryPage:\n        \"\"\"The next page.\n\n        Raises:\n            StopIteration: after the last page.\n            QfPayError: the page could not be fetched (``RequestTimeoutError``, ``NetworkError``...).\n        \"\"\"\n    def items(self) -> QueryItems:\n        \"\"\"The transactions of every remaining page, in order: ``for t in pages.items()``.\n\n        Raises:\n            QfPayError: on iteration, when a page could not be fetched.\n        \"\"\"\n    def _next_async(self, channel: _Channel) -> asyncio.Future[Any]: ...\n    def _flush(self) -> None: ...\n");
        } else {
            out.push_str("    def __iter__(self) -> Self:\n        \"\"\"This iterator.\"\"\"\n    def __next__(self) -> Transaction:\n        \"\"\"The next transaction; the next page is fetched when the previous one is used up (one\n        page is held at a time, never the whole period).\n\n        Raises:\n            StopIteration: after the last transaction.\n            QfPayError: a page could not be fetched (``RequestTimeoutError``, ``NetworkError``...).\n        \"\"\"\n    def _take(self) -> Transaction | None: ...\n    def _fill_async(self, channel: _Channel) -> asyncio.Future[bool]: ...\n    def _flush(self) -> None: ...\n");
        }
    }
}

/// `src/classes.rs` (included by `lib.rs`): one frozen subclass of `Record` per result type,
/// how to make each, and the registration of those classes and of the module functions.
fn rust_classes() -> String {
    let mut out = crate::banner("//");
    for (name, _, _) in RESULTS {
        let _ = writeln!(
            out,
            "/// `qfpay.{name}`.\n#[pyclass(frozen, extends = results::Record, module = \"qfpay\")]\npub struct {name};\n"
        );
    }
    out.push_str("/// A result of class `name` holding `record`.\npub fn new_result(py: Python<'_>, name: &str, record: results::Record) -> PyResult<Py<PyAny>> {\n    let init = pyo3::PyClassInitializer::from(record);\n    match name {\n");
    for (name, _, _) in RESULTS {
        let _ = writeln!(
            out,
            "        \"{name}\" => Ok(Py::new(py, init.add_subclass({name}))?.into_any()),"
        );
    }
    out.push_str("        other => Err(pyo3::exceptions::PyTypeError::new_err(format!(\"no result class {other}\"))),\n    }\n}\n\n/// Adds the result classes and the module functions to the module.\nfn add_generated(m: &Bound<'_, PyModule>) -> PyResult<()> {\n");
    out.push_str("    m.add_class::<client::Client>()?;\n");
    for class in sync_streams() {
        let _ = writeln!(out, "    m.add_class::<client::{class}>()?;");
    }
    for (name, _, _) in RESULTS {
        let _ = writeln!(out, "    m.add_class::<{name}>()?;");
    }
    for (name, _) in FUNCTIONS {
        let _ = writeln!(
            out,
            "    m.add_function(wrap_pyfunction!(functions::{}, m)?)?;",
            L.member(name)
        );
    }
    out.push_str("    Ok(())\n}\n");
    // A result with one list field of results is a sequence of them (`len(page)`, `for t in page`).
    for (name, _, _) in RESULTS {
        if let Some((field, _)) = sequence_of(name) {
            let _ = writeln!(
                out,
                "\n#[pymethods]\nimpl {name} {{\n    /// The number of items in `{0}`.\n    fn __len__(slf: &Bound<'_, Self>) -> PyResult<usize> {{\n        slf.getattr(\"{0}\")?.len()\n    }}\n\n    /// The items of `{0}`.\n    fn __iter__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {{\n        Ok(slf.getattr(\"{0}\")?.try_iter()?.into_any())\n    }}\n}}",
                field
            );
        }
    }
    out
}
