//! The php binding's generated files: the IDE stub `bindings-php/stubs/surface.php` (the client
//! with its options and every operation's arguments and options, the query iterators, the
//! result classes and the exception classes) and `bindings-php/src/ext/methods.rs` (the
//! client's PHP methods, one per operation), from the core's surface. The hand-written
//! `stubs/qfpay.php` declares the rest (signing, QR, constants, the sandbox, the logger
//! interface); IDEs read every file of `stubs/`, and `tests/StubTest.php` checks both against
//! the extension by reflection.

use std::fmt::Write;

use qfpay::surface::schema::RESULTS;
use qfpay::surface::spec::{Kind, LEDGER_FIELDS, LEDGER_REQUIRED, Opt};
use qfpay::surface::{
    CLIENT_OPTIONS, ENUMS, ERROR_DOCS, ERROR_FIELDS, Lang, OPERATIONS, Operation, WAIT_OPTIONS,
    is_api_category,
};

use crate::File;
use crate::types::render;

const PATH: &str = "bindings-php/stubs/surface.php";
const L: Lang = Lang::Php;

/// The client class's own docs (PHP's: FPM, errors about options, secrecy, `QFPAY_LOG`).
const CLIENT_DOC: &str = "\
A QFPay client. Each call blocks until QFPay answers. Safe in PHP-FPM workers: nothing runs
at module start-up, and a client used after a fork builds a fresh connection pool.
Create it where you need it, per request if you like: clients built with the same options
share one connection pool per PHP process (a PHP-FPM worker keeps its connections to QFPay
from one request to the next); building one costs ~0.2 ms.

Every operation's options array also takes the per-call options (timeoutMs, maxRetries).
Amounts are int minor units (300 is HK$3.00) and durations int milliseconds: a float, a
numeric string or a bool is refused, never rounded or coerced.

An error about an option names it as written here, in its message and in $field
(timeoutMs, maxRetries, logLevel...): a value of the wrong type or an unknown key is a
ValidationException; a configuration that cannot work (missing credential, zero timeoutMs,
unknown environment, bad base URL or proxy, unknown signType or logLevel, utcOffsetSeconds
beyond ±14 hours) a ConfigException, whose message is \"configuration error: \" then the
option, then $rule (\"configuration error: timeoutMs must be greater than zero\"). A value
that may be a secret (a string in the wrong option, an environment, a base URL, a proxy) is
never quoted. Every parameter that can carry the client key is #[\\SensitiveParameter]: with
zend.exception_ignore_args=0 a trace shows a SensitiveParameterValue there.

QFPAY_LOG (without a logger or logLevel, events go to error_log()): a level (off, error,
warn, info, debug, trace) or comma-separated TARGET=LEVEL directives such as qfpay=debug or
qfpay::http=trace,qfpay::reconcile=off. A value that does not follow this syntax never fails
a call: logging stays off and one warning per process goes to error_log().";

/// PHP's own client options beside the core's: name, type, doc.
const CLIENT_EXTRAS: &[(&str, &str, &str)] = &[
    (
        "logger",
        "Logger|object",
        "Receives the SDK's events (a Logger or any PSR-3 logger).",
    ),
    (
        "logLevel",
        "string",
        "error, warn, info, debug or trace: the events a logger or error_log() receives (default: QFPAY_LOG's, else debug with a logger).",
    ),
];

/// The client's properties (canonical names, the client configuration's fields): name, type,
/// doc.
const CLIENT_PROPERTIES: &[(&str, &str, &str)] = &[
    ("base_url", "string", "The base URL in use."),
    ("app_code", "string", "The app code (X-QF-APPCODE)."),
    ("mchid", "?string", "The default mchid, if any."),
];

/// `Notification::verify()`, the one method of a result class.
const VERIFY: &str = "
    /**
     * Verifies X-QF-SIGN over the exact raw body, then reads the notification:
     * Notification::verify(file_get_contents('php://input'), $_SERVER['HTTP_X_QF_SIGN'] ?? null, $key);
     * answer QfPay::NOTIFICATION_ACK with HTTP 200.
     * @param string $rawBody the raw request body, never a parsed and re-encoded one
     * @param ?string $signature the X-QF-SIGN header; null or empty is a SignatureException
     * @throws SignatureException the signature is missing or does not match
     * @throws DecodeException|ValidationException|ConfigException
     */
    public static function verify(string $rawBody, #[\\SensitiveParameter] ?string $signature, #[\\SensitiveParameter] string $clientKey): Notification {}
";

/// The files this module writes.
pub fn files() -> Vec<File> {
    let mut out = format!(
        "<?php\n{}\n/**\n * IDE stub for the qfpay extension (qfpay.so), with stubs/qfpay.php: the client, the\n * results and the exceptions. Not loaded at run time: the classes come from the extension.\n */\n\nnamespace QfPay;\n",
        crate::banner("//")
    );
    client(&mut out);
    iterators(&mut out);
    for (name, doc, fields) in RESULTS {
        let _ = write!(out, "\n/** {doc} */\nfinal class {name}\n{{\n");
        for f in *fields {
            let (ty, var) = field_type(f.ty);
            let _ = writeln!(
                out,
                "    /** {}{var} */\n    public readonly {ty} ${};",
                f.doc,
                L.member(f.name)
            );
        }
        if *name == "Notification" {
            out.push_str(VERIFY);
        }
        out.push_str("}\n");
    }
    errors(&mut out);
    vec![(PATH, out), (METHODS_PATH, methods())]
}

const METHODS_PATH: &str = "bindings-php/src/ext/methods.rs";

/// `QfPay\Client`'s PHP methods (ext-php-rs takes one `#[php_impl]` block per class): the
/// constructors, a getter per property and one method per operation of `OPERATIONS`, each
/// handing its arguments by PHP name to the hand-written `client.rs`.
fn methods() -> String {
    let mut out = format!(
        "{}//! `QfPay\\Client`'s PHP methods: the constructors, the properties and one method per\n//! operation of the core's `OPERATIONS`, each handing its arguments by PHP name to `client`.\n\nuse ext_php_rs::prelude::*;\nuse ext_php_rs::types::{{ZendHashTable, Zval}};\n\nuse super::client::{{{}}};\n\n#[php_impl]\nimpl Client {{\n",
        crate::banner("//"),
        std::iter::once("Client".to_owned())
            .chain(stream_classes().into_iter().map(|(class, _)| class))
            .collect::<Vec<_>>()
            .join(", ")
    );
    out.push_str("    /// `new Client(['appCode' => ..., 'clientKey' => ..., 'baseUrl' => ...])`.\n    pub fn __construct(options: Option<&ZendHashTable>) -> PhpResult<Self> {\n        Self::new(options)\n    }\n\n");
    out.push_str("    /// A client from the `QFPAY_*` environment variables, then `overrides`.\n    pub fn from_env(overrides: Option<&ZendHashTable>) -> PhpResult<Self> {\n        Self::env(overrides)\n    }\n");
    for (name, ty, doc) in CLIENT_PROPERTIES {
        let ty = if ty.starts_with('?') {
            "Option<String>"
        } else {
            "String"
        };
        let _ = write!(
            out,
            "\n    /// {doc}\n    #[php(getter)]\n    pub fn get_{name}(&self) -> {ty} {{\n        self.config().{name}.clone()\n    }}\n"
        );
    }
    for op in OPERATIONS {
        let mut params = vec!["&self".to_owned()];
        let mut args = Vec::new();
        for a in op.args {
            let n = written(a);
            if a.default.is_some() {
                params.push(format!("{n}: Option<&Zval>"));
                args.push(format!("(\"{n}\", {n})"));
            } else {
                params.push(format!("{n}: &Zval"));
                args.push(format!("(\"{n}\", Some({n}))"));
            }
        }
        params.push("options: Option<&ZendHashTable>".to_owned());
        let (ret, via) = match stream_class(op.returns) {
            Some(class) => (
                class.clone(),
                format!(
                    "stream(\"{}\", &[{}], options).map({class})",
                    op.name,
                    args.join(", ")
                ),
            ),
            None => (
                "Zval".to_owned(),
                format!("call(\"{}\", &[{}], options)", op.name, args.join(", ")),
            ),
        };
        let _ = write!(
            out,
            "\n    /// {}\n    pub fn {}({}) -> PhpResult<{ret}> {{\n        self.{via}\n    }}\n",
            op.doc,
            op.name,
            params.join(", "),
        );
    }
    out.push_str("}\n");
    out
}

/// The iterator class an operation returning `returns` gives, by the type alone: a list of
/// pages (`list<QueryPage>`) is `QueryPages` (its `items()` a `QueryItems`), a list of anything
/// else (`list<Transaction>`) the item iterator `Transactions`; `None` for a single result.
fn stream_class(returns: &str) -> Option<String> {
    let item = returns.strip_prefix("list<")?.strip_suffix('>')?;
    Some(format!("{item}s"))
}

/// Every iterator class the operations return, once each, with the type they iterate.
fn stream_classes() -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for op in OPERATIONS {
        if let Some(class) = stream_class(op.returns)
            && !out.iter().any(|(c, _)| *c == class)
        {
            let item = &op.returns[5..op.returns.len() - 1];
            out.push((class, item));
        }
    }
    out
}

/// A result field's declared type and its `@var` detail, if any.
fn field_type(ty: &str) -> (String, String) {
    if let Some(inner) = ty.strip_suffix('?') {
        let (t, var) = field_type(inner);
        return (format!("?{t}"), var);
    }
    if let Some(e) = ty.strip_prefix("enum:") {
        let values = ENUMS
            .iter()
            .find(|(n, _)| *n == e)
            .map(|(_, v)| v.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>())
            .unwrap_or_default();
        return ("string".into(), format!(" One of {}.", values.join(", ")));
    }
    if let Some(item) = ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
        return ("array".into(), format!(" @var list<{}>", render(L, item)));
    }
    let var = if ty == "raw" {
        " @var array<string, mixed>".to_owned()
    } else {
        String::new()
    };
    (render(L, ty), var)
}

/// A value's type in a docblock shape.
fn kind_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Text | Kind::Secret | Kind::Currency => "string",
        Kind::TextList => "string|list<string>",
        Kind::Amount | Kind::Count | Kind::Offset | Kind::Duration => "int",
        Kind::ExtendInfo => {
            "array{userCreid?: string, userTruename?: string}|array<string, mixed>|string"
        }
        Kind::Map => "array<string, mixed>|string",
        Kind::Flag => "bool",
        Kind::Number => "int|float",
        Kind::Ledger => LEDGER_SHAPE.as_str(),
    }
}

/// `reconcile`'s ledger: CSV text, or a list of entries shaped by the core's `LEDGER_FIELDS`.
static LEDGER_SHAPE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let members: Vec<String> = LEDGER_FIELDS
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let ty = if f.name == "state" {
                qfpay::reconcile::LedgerState::NAMES
                    .iter()
                    .map(|n| format!("'{n}'"))
                    .collect::<Vec<_>>()
                    .join("|")
            } else {
                kind_type(f.kind).to_owned()
            };
            let q = if i >= LEDGER_REQUIRED { "?" } else { "" };
            format!("{}{q}: {ty}", L.member(f.name))
        })
        .collect();
    format!("string|list<array{{{}}}>", members.join(", "))
});

/// A value's type in a signature (PHP's own types, without a docblock's shapes).
fn native_type(kind: Kind) -> &'static str {
    match kind {
        Kind::TextList | Kind::ExtendInfo | Kind::Map | Kind::Ledger => "array|string",
        Kind::Number => "int|float",
        k => kind_type(k),
    }
}

/// An option's name as PHP writes it (a request field's member name, an option's).
fn written(o: &Opt) -> String {
    if o.field.is_some() {
        L.member(o.name)
    } else {
        L.option(o.name)
    }
}

/// A list of options, one per line (` * - name (type, default ...): doc`).
fn option_lines(
    out: &mut String,
    opts: impl Iterator<Item = (String, String, Option<String>, String)>,
) {
    for (name, ty, default, doc) in opts {
        let default = default
            .map(|d| format!(", default {d}"))
            .unwrap_or_default();
        let _ = writeln!(out, "     *   - {name} ({ty}{default}): {doc}");
    }
}

fn opt_row(o: &Opt) -> (String, String, Option<String>, String) {
    (
        written(o),
        kind_type(o.kind).to_owned(),
        o.default.map(str::to_owned),
        o.doc.to_owned(),
    )
}

/// `array{a?: T, ...}`.
fn shape(opts: &[(String, String, Option<String>, String)]) -> String {
    let keys: Vec<String> = opts
        .iter()
        .map(|(n, t, _, _)| format!("{n}?: {t}"))
        .collect();
    format!("array{{{}}}", keys.join(", "))
}

fn client(out: &mut String) {
    let _ = write!(out, "\n/**\n");
    for line in CLIENT_DOC.lines() {
        let _ = writeln!(out, " * {line}");
    }
    *out = out.replace(" * \n", " *\n");
    out.push_str(" */\nfinal class Client\n{\n");
    for (name, ty, doc) in CLIENT_PROPERTIES {
        let _ = writeln!(
            out,
            "    /** {doc} */\n    public readonly {ty} ${};",
            L.member(name)
        );
    }
    let mut opts: Vec<_> = CLIENT_OPTIONS.iter().map(opt_row).collect();
    opts.extend(
        CLIENT_EXTRAS
            .iter()
            .map(|(n, t, d)| ((*n).to_owned(), (*t).to_owned(), None, (*d).to_owned())),
    );
    out.push_str("\n    /**\n     * A client from its options:\n");
    option_lines(out, opts.iter().cloned());
    let _ = write!(
        out,
        "     * @param {} $options\n     * @throws ConfigException|ValidationException a missing credential or a bad option\n     */\n    public function __construct(#[\\SensitiveParameter] array $options = []) {{}}\n",
        shape(&opts)
    );
    out.push_str("\n    /**\n     * A client from the QFPAY_* environment variables (QFPAY_APP_CODE, QFPAY_CLIENT_KEY,\n     * QFPAY_MCHID, QFPAY_ENV, QFPAY_BASE_URL, QFPAY_SIGN_TYPE, QFPAY_PROXY), then $overrides.\n");
    let _ = write!(
        out,
        "     * @param {} $overrides any client option\n     * @throws ConfigException|ValidationException\n     */\n    public static function fromEnv(#[\\SensitiveParameter] array $overrides = []): Client {{}}\n",
        shape(&opts)
    );
    for op in OPERATIONS {
        operation(out, op);
    }
    out.push_str("}\n");
}

/// The iterator classes the operations return, by their return type: a list of pages
/// (`list<QueryPage>`) is `QueryPages` over the pages and, from its `items()`, `QueryItems` over
/// the items of every page (the page's list field); a list of records (`list<Transaction>`) is
/// `Transactions`, over each page's records in turn.
fn iterators(out: &mut String) {
    for (class, item) in stream_classes() {
        if item != "QueryPage" {
            let _ = write!(
                out,
                "\n/**\n * Every {item} of a period, fetched a page at a time as the iteration advances (one page\n * in memory); iterating again starts again from the first page. @implements \\Iterator<int, {item}>\n */\nfinal class {class} implements \\Iterator\n{{\n    /** The current {item}. */\n    public function current(): ?{item} {{}}\n    /** Its position in the walk, from 0. */\n    public function key(): int {{}}\n    /** Moves on, fetching the next page when needed (waiting out QFPay's rate limit). @throws QfPayException */\n    public function next(): void {{}}\n    /** Starts again from the first page. @throws QfPayException */\n    public function rewind(): void {{}}\n    /** Whether there is a current {item}. */\n    public function valid(): bool {{}}\n}}\n"
            );
            continue;
        }
        let page = item;
        let base = page.strip_suffix("Page").unwrap_or(page);
        let item = RESULTS
            .iter()
            .find(|(n, _, _)| *n == page)
            .and_then(|(_, _, fields)| fields.iter().find_map(|f| f.ty.strip_prefix("list<")))
            .and_then(|t| t.strip_suffix('>'))
            .unwrap_or("mixed");
        let _ = write!(
            out,
            "\n/** The pages of a query; iterating again starts again from the first page. @implements \\Iterator<int, {page}> */\nfinal class {class} implements \\Iterator\n{{\n    /** The current page. */\n    public function current(): ?{page} {{}}\n    /** The page's position, from 0. */\n    public function key(): int {{}}\n    /** Fetches the next page. @throws QfPayException */\n    public function next(): void {{}}\n    /** Fetches the first page. @throws QfPayException */\n    public function rewind(): void {{}}\n    /** Whether there is a current page. */\n    public function valid(): bool {{}}\n    /** Every {item} of every page, as one iteration. */\n    public function items(): {base}Items {{}}\n}}\n"
        );
        let _ = write!(
            out,
            "\n/** Every {item} of every page of a query. @implements \\Iterator<int, {item}> */\nfinal class {base}Items implements \\Iterator\n{{\n    /** The current {item}. */\n    public function current(): ?{item} {{}}\n    /** Its position across pages, from 0. */\n    public function key(): int {{}}\n    /** Moves on, fetching the next page when needed. @throws QfPayException */\n    public function next(): void {{}}\n    /** Starts again from the first page. @throws QfPayException */\n    public function rewind(): void {{}}\n    /** Whether there is a current {item}. */\n    public function valid(): bool {{}}\n}}\n"
        );
    }
}

fn operation(out: &mut String, op: &Operation) {
    let opts: Vec<_> = op.optional().chain(op.call).map(opt_row).collect();
    let _ = write!(out, "\n    /**\n     * {}\n", op.doc);
    if !opts.is_empty() {
        out.push_str("     * Options:\n");
        option_lines(out, opts.iter().cloned());
    }
    let mut params = Vec::new();
    for a in op.args {
        let _ = writeln!(
            out,
            "     * @param {} ${} {}",
            kind_type(a.kind),
            written(a),
            a.doc
        );
        let ty = native_type(a.kind);
        params.push(match a.default {
            Some(d) => format!("{ty} ${} = '{d}'", written(a)),
            None => format!("{ty} ${}", written(a)),
        });
    }
    params.push("array $options = []".to_owned());
    let _ = writeln!(out, "     * @param {} $options", shape(&opts));
    let returns = stream_class(op.returns).unwrap_or_else(|| render(L, op.returns));
    let waits = !op.call.is_empty()
        && op
            .call
            .iter()
            .map(|o| o.name)
            .eq(WAIT_OPTIONS.iter().map(|o| o.name));
    let throws = match op.name {
        _ if waits => {
            "StatusUnknownException timeoutMs passed: query $e->outTradeNo later\n     * @throws DeclinedException|ApiException the payment failed\n     * @throws ValidationException|QfPayException"
        }
        _ if op.returns.starts_with("list<") => {
            "ValidationException a value was refused; nothing was sent (pages are fetched, and their errors thrown, as the iteration advances)"
        }
        _ if op.moves_money => {
            "ValidationException a value was refused; nothing was sent\n     * @throws StatusUnknownException the outcome is not known: query $e->outTradeNo, never pay again under a new number\n     * @throws ApiException QFPay refused it (DeclinedException, DuplicateOrderException, OrderStateException, ...)\n     * @throws QfPayException any other failure (network, rate limit, ...), naming the order"
        }
        _ => {
            "ValidationException a value was refused; nothing was sent\n     * @throws QfPayException QFPay refused it, or the call failed"
        }
    };
    let _ = write!(
        out,
        "     * @throws {throws}\n     */\n    public function {}({}): {returns} {{}}\n",
        L.member(op.name),
        params.join(", ")
    );
}

fn errors(out: &mut String) {
    out.push_str("\n/**\n * Every SDK error. $errorCode is the core's stable code (getCode() is not used). Fields that\n * do not apply are null.\n */\nclass QfPayException extends \\Exception\n{\n");
    for (name, ty, doc) in ERROR_FIELDS {
        let (prop, doc) = match *name {
            "message" => continue,
            "code" => {
                let codes: Vec<String> = ERROR_DOCS.iter().map(|(c, _)| format!("'{c}'")).collect();
                (
                    L.error_field(name),
                    format!("The error's code: {}.", codes.join(", ")),
                )
            }
            "field" => (
                L.error_field(name),
                format!(
                    "{doc} A request field by its QFPay name (txamt, goods_name, ...), an option as PHP writes it (appCode, timeoutMs, logLevel, ...)."
                ),
            ),
            n if ty.starts_with("duration") => {
                (L.error_field(n), format!("{doc} In milliseconds."))
            }
            n => (L.error_field(n), (*doc).to_owned()),
        };
        let _ = writeln!(
            out,
            "    /** {doc} @var {} */\n    public ${prop} = null;",
            render(L, ty)
        );
    }
    out.push_str("}\n");
    for (code, doc) in ERROR_DOCS {
        let doc = if *code == "api" {
            "QFPay answered with a failure code: the parent of the classes of each category (AuthException, DeclinedException, ...); alone, a code of no category."
        } else {
            doc
        };
        let parent = if is_api_category(code) {
            "ApiException"
        } else {
            "QfPayException"
        };
        let _ = writeln!(
            out,
            "\n/** {doc} */\nclass {} extends {parent} {{}}",
            L.error_class(Some(code))
        );
    }
}
