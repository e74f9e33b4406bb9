//! The python binding's generated type files, from the core's surface:
//! `python/qfpay/_types.py` (the keyword options as `TypedDict`s, the value types and enums),
//! `python/qfpay/_errors.py` (the exception classes, one per error code) and
//! `python/qfpay/_surface.pyi` (the stubs of the result classes, which the extension builds
//! from the same descriptions, and of `Client`, whose operations read their arguments by these
//! names). The hand-written `_qfpay.pyi` imports them and declares the functions, the page
//! iterators and the sandbox.

use std::fmt::Write;

use qfpay::surface::schema::{RESULTS, surface};
use qfpay::surface::spec::{Kind, Opt};
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
];

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
    ]
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
        (_, Kind::Map) => "dict[str, Any]",
        (_, Kind::Flag) => "bool",
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
    out.push_str("from typing import Any, Literal, TypedDict, Union\n\n");
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
    out.push_str("#: Real-name fields (``{\"user_creid\": ..., \"user_truename\": ...}``), or any JSON object as a str.\nExtendInfo = Union[dict[str, str], str]\nStrOrList = Union[str, list[str], tuple[str, ...]]\n");
    for (name, values) in ENUMS {
        let _ = writeln!(
            out,
            "#: ``{name}``.\n{} = {}",
            pascal(name),
            literal(values.iter().copied())
        );
    }
    out.push_str("#: ``Notification.notify_type``: payment, refund, or another type QFPay sends, kept as sent.\nNotifyType = Union[Literal[\"payment\", \"refund\"], str]\n");
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
        let doc = format!(
            "Optional arguments of ``{op}`` (by their QFPay names), with the per-call options."
        );
        typed_dict(&mut out, name, "CallOptions", &doc, &fields);
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

fn client(out: &mut String) {
    let config_raises = [
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
    ];
    out.push_str("\n\n@final\nclass Client:\n    \"\"\"A synchronous QFPay client; thread-safe, the GIL is released during network waits. Every\n    operation also takes ``timeout=`` (seconds) and ``max_retries=`` for that call; every error\n    from a money-moving call names ``.out_trade_no``.\"\"\"\n\n");
    out.push_str("    def __init__(self, app_code: str | None = None, client_key: str | None = None, **config: Unpack[ConfigOptions]) -> None:\n");
    method_doc(
        out,
        "A client configured by keywords (durations in seconds).",
        &config_raises,
    );
    let vars = surface()["client"]["env_vars"].clone();
    let vars: Vec<String> = vars
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(|v| format!("``{v}``")))
        .collect();
    out.push_str("    @classmethod\n    def from_env(cls, **overrides: Unpack[EnvConfigOptions]) -> Client:\n");
    let summary = format!(
        "A client from the environment variables; keywords override them. Configuration\n        warnings are logged on ``qfpay.config``. Variables: {}.",
        vars.join(", ")
    );
    method_doc(out, &summary, &config_raises);
    for (name, ty, doc) in PROPERTIES {
        let _ = writeln!(
            out,
            "    @property\n    def {name}(self) -> {ty}:\n        \"\"\"{doc}\"\"\""
        );
    }
    for op in OPERATIONS {
        let mut params = vec!["self".to_owned()];
        if KEYWORD_ONLY.contains(&op.name) {
            params.push("*".to_owned());
        }
        for a in op.args {
            let ty = if a.kind == Kind::Amount { "int" } else { "str" };
            params.push(match a.default {
                Some(d) => format!("{}: {ty} = {d:?}", a.name),
                None => format!("{}: {ty}", a.name),
            });
        }
        let options = if op.call == WAIT_OPTIONS {
            "WaitOptions"
        } else {
            // An operation taking the same options as one listed (query_pages, reverse) shares
            // its TypedDict.
            OPTIONS
                .iter()
                .find(|(n, _)| operation(n).is_some_and(|o| o.options == op.options))
                .map_or("CallOptions", |(_, t)| t)
        };
        params.push(format!("**options: Unpack[{options}]"));
        let returns = match op.returns {
            "list<QueryPage>" => "QueryPages".to_owned(),
            r => render(L, r),
        };
        let _ = writeln!(
            out,
            "    def {}({}) -> {returns}:",
            L.member(op.name),
            params.join(", ")
        );
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
        raises.extend(extra.iter().map(|c| raise(c, error_doc(c))));
        if op.call == WAIT_OPTIONS {
            raises.push((
                "KeyboardInterrupt".to_owned(),
                "Ctrl-C during the wait.".to_owned(),
            ));
        }
        let named = match (op.moves_money, KEYWORD_ONLY.contains(&op.name)) {
            (true, false) => " Every one names ``.out_trade_no``.",
            (true, true) => " Every one names ``.out_trade_no`` when it was given.",
            _ => "",
        };
        raises.push((L.error_class(None), format!("any other failure.{named}")));
        method_doc(out, &summary, &raises);
    }
}

fn stubs() -> String {
    let mut out = String::new();
    head(
        &mut out,
        "Stubs of the result classes (frozen: every attribute is read-only) and of ``Client``.",
    );
    out.push_str("from collections.abc import Iterator\nfrom typing import Any, Unpack, final\n\nfrom ._qfpay import QueryPages\nfrom ._types import (\n    CallOptions,\n    CancelOptions,\n    ConfigOptions,\n    EnvConfigOptions,\n    PaymentOptions,\n    QrPaymentOptions,\n    QueryOptions,\n    RefundOptions,\n    TransactionState,\n    WaitOptions,\n)\n");
    client(&mut out);
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
            if let Some(item) = f.ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
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
