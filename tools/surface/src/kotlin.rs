//! The kotlin binding's generated type file: the result classes (from each result's
//! `describe!`), each read from the generic value the native library sends (the core's
//! `Serialize` output, `bindings-java/src/value.rs`); the setters of the requests' optional
//! arguments and of the per-call options (from `OPERATIONS` and `CALL_OPTIONS`), which the
//! hand-written builders extend; the exception class of every error code (from `ERROR_DOCS`, its
//! members from `ERROR_FIELDS`) and the code → class table.

use qfpay::events::Event;
use qfpay::surface::schema::{CONSTANTS, FUNCTIONS, RESULTS};
use qfpay::surface::{
    CALL_OPTIONS, CLIENT_OPTIONS, ENUMS, ERROR_DOCS, ERROR_FIELDS, Kind, Lang, OPERATIONS, Opt,
    WAIT_OPTIONS, is_api_category, operation,
};

use crate::File;
use crate::types::{pascal, render};

const PATH: &str = "bindings-java/src/main/kotlin/com/qfpay/Generated.kt";

/// The members an error code's exception adds to the base class's: (code, canonical field of
/// `ERROR_FIELDS`, whose doc it takes, Kotlin declaration after the name, read of `info`).
const MEMBERS: &[(&str, &str, &str)] = &[
    (
        "validation",
        "field",
        "String = info[\"field\"] as String? ?: \"\"",
    ),
    (
        "validation",
        "rule",
        "String = info[\"rule\"] as String? ?: \"\"",
    ),
    ("config", "field", "String? = info[\"field\"] as String?"),
    ("config", "rule", "String? = info[\"rule\"] as String?"),
    (
        "duplicate_order",
        "existing",
        // A record the binding cannot read (an unknown state) is "could not be read".
        "Transaction? = try {\n        info[\"existing\"]?.let(Transaction::of)\n    } catch (_: QfPayException) {\n        null\n    }",
    ),
    (
        "refund_rejected",
        "retry_after",
        "Duration? = (info[\"retry_after\"] as Long?)?.let { Duration.ofMillis(it) }",
    ),
    (
        "refund_rejected",
        "available",
        "Long? = info[\"available\"] as Long?",
    ),
    (
        "rate_limited",
        "retry_after",
        "Duration? = (info[\"retry_after\"] as Long?)?.let { Duration.ofMillis(it) }",
    ),
    (
        "network",
        "sent",
        "Boolean = info[\"sent\"] as Boolean? ?: true",
    ),
    (
        "status_unknown",
        "out_trade_no",
        "String get() = super.outTradeNo ?: \"\"",
    ),
];

/// A field's Kotlin type (`raw` is QFPay's fields as text on the JVM).
fn kotlin_type(ty: &str) -> String {
    match ty {
        "raw" => "Map<String, String>".to_owned(),
        "int32" => "Int".to_owned(),
        "int32?" => "Int?".to_owned(),
        other => render(Lang::Jvm, other),
    }
}

/// The expression reading `x` (an `Any?` of the generic value) as `ty`.
fn read(ty: &str, x: &str) -> String {
    if let Some(inner) = ty.strip_suffix('?') {
        return format!("{x}?.let {{ {} }}", read(inner, "it"));
    }
    if let Some(item) = ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
        return format!("({x} as List<*>).map {{ {} }}", read(item, "it"));
    }
    if let Some(name) = ty.strip_prefix("enum:") {
        return format!("{}.fromWire({x} as String)", pascal(name));
    }
    match ty {
        "str" => format!("{x} as String"),
        "int" | "count" => format!("{x} as Long"),
        "int32" => format!("({x} as Long).toInt()"),
        "bool" => format!("{x} as Boolean"),
        "raw" => format!("{x} as Map<String, String>"),
        // `bytes` cross as base64 text (the core's JSON form).
        "bytes" => format!("java.util.Base64.getDecoder().decode({x} as String)"),
        result => format!("{result}.of({x})"),
    }
}

/// A Kotlin declaration name: a hard keyword (`package`) in backticks (Java still sees
/// `getPackage()`).
fn ident(name: &str) -> String {
    const HARD: &[&str] = &[
        "as",
        "break",
        "class",
        "continue",
        "do",
        "else",
        "false",
        "for",
        "fun",
        "if",
        "in",
        "interface",
        "is",
        "null",
        "object",
        "package",
        "return",
        "super",
        "this",
        "throw",
        "true",
        "try",
        "typealias",
        "typeof",
        "val",
        "var",
        "when",
        "while",
    ];
    if HARD.contains(&name) {
        format!("`{name}`")
    } else {
        name.to_owned()
    }
}

fn kdoc(indent: &str, doc: &str) -> String {
    format!("{indent}/** {} */\n", doc.replace("*/", "*&#47;"))
}

/// A result's field (a copy of the core's, whose type the tool cannot name).
struct Field {
    name: &'static str,
    ty: &'static str,
    doc: &'static str,
}

/// The result classes, and the events (`QfPayEvent`, whose attempt and HTTP status are `Int`s).
fn results() -> String {
    macro_rules! fields {
        ($s:expr) => {
            $s.iter()
                .map(|f| Field {
                    name: f.name,
                    ty: f.ty,
                    doc: f.doc,
                })
                .collect::<Vec<Field>>()
        };
    }
    let mut classes: Vec<(&str, &str, Vec<Field>)> = RESULTS
        .iter()
        .map(|(n, d, s)| (*n, *d, fields!(s)))
        .collect();
    let mut event = fields!(Event::SCHEMA);
    for f in event
        .iter_mut()
        .filter(|f| matches!(f.name, "attempt" | "http_status"))
    {
        f.ty = if f.ty.ends_with('?') {
            "int32?"
        } else {
            "int32"
        };
    }
    classes.push(("QfPayEvent", Event::DOC, event));
    let mut out = String::new();
    for (name, doc, fields) in &classes {
        out.push('\n');
        out.push_str(&kdoc("", doc));
        out.push_str(&format!("data class {name}(\n"));
        for f in fields {
            out.push_str(&kdoc("    ", f.doc));
            out.push_str(&format!(
                "    val {}: {},\n",
                ident(&Lang::Jvm.member(f.name)),
                kotlin_type(f.ty)
            ));
        }
        // A result whose `data` is a list of results (a page of transactions) iterates it.
        let list = fields.iter().filter(|f| f.name == "data").find_map(|f| {
            let item = f.ty.strip_prefix("list<")?.strip_suffix('>')?;
            RESULTS
                .iter()
                .any(|r| r.0 == item)
                .then(|| (Lang::Jvm.member(f.name), item))
        });
        match &list {
            Some((_, item)) => out.push_str(&format!(") : Iterable<{item}> {{\n")),
            None => out.push_str(") {\n"),
        }
        if let Some((field, item)) = &list {
            out.push_str(&format!(
                "    /** The items of [{field}]. */\n    override fun iterator(): Iterator<{item}> = {field}.iterator()\n\n"
            ));
        }
        // A class holding bytes compares and hashes them by content, and prints their size only.
        if fields.iter().any(|f| f.ty.trim_end_matches('?') == "bytes") {
            let member = |f: &Field| ident(&Lang::Jvm.member(f.name));
            let eq: Vec<String> = fields
                .iter()
                .map(|f| match f.ty {
                    "bytes" => format!("{0}.contentEquals(other.{0})", member(f)),
                    "bytes?" => format!(
                        "({0}?.contentEquals(other.{0}) ?: (other.{0} == null))",
                        member(f)
                    ),
                    _ => format!("{0} == other.{0}", member(f)),
                })
                .collect();
            let hash: Vec<String> = fields
                .iter()
                .map(|f| match f.ty {
                    "bytes" => format!("{}.contentHashCode()", member(f)),
                    "bytes?" => format!("({}?.contentHashCode() ?: 0)", member(f)),
                    _ => format!("{}.hashCode()", member(f)),
                })
                .collect();
            let show: Vec<String> = fields
                .iter()
                .map(|f| {
                    let m = member(f);
                    let name = m.trim_matches('`');
                    match f.ty {
                        "bytes" => format!("{name}=<${{{m}.size}} bytes>"),
                        "bytes?" => format!("{name}=<${{{m}?.size}} bytes>"),
                        _ => format!("{name}=${{{m}}}"),
                    }
                })
                .collect();
            out.push_str(&format!(
                "    /** Equal when every field is, the bytes compared by content. */\n    override fun equals(other: Any?): Boolean =\n        this === other || (other is {name} && {})\n\n    /** From every field, the bytes by content. */\n    override fun hashCode(): Int = listOf({}).hashCode()\n\n    /** Every field, the bytes by their size only. */\n    override fun toString(): String = \"{name}({})\"\n\n",
                eq.join(" && "),
                hash.join(", "),
                show.join(", ")
            ));
        }
        out.push_str("    internal companion object {\n");
        out.push_str(
            "        /** The result from the generic value the native library sends. */\n",
        );
        out.push_str("        @Suppress(\"UNCHECKED_CAST\")\n");
        out.push_str(&format!("        fun of(v: Any?): {name} {{\n"));
        out.push_str("            val m = v as Map<String, Any?>\n");
        out.push_str(&format!("            return {name}(\n"));
        for f in fields {
            let x = format!("m[\"{}\"]", f.name);
            out.push_str(&format!("                {},\n", read(f.ty, &x)));
        }
        out.push_str("            )\n        }\n    }\n}\n");
    }
    out
}

/// `ERROR_FIELDS` that every exception has (the others belong to one code's class, written by
/// hand, or are the message).
const BASE_ERROR_FIELDS: &[&str] = &[
    "code",
    "out_trade_no",
    "syssn",
    "respcd",
    "resperr",
    "respmsg",
    "http_status",
];

fn errors() -> String {
    let mut out = String::from(
        "\n/**\n * Base of every SDK failure (unchecked). [code] is the core's stable error code\n * (`validation`, `declined`, `status_unknown`, ...); each code has its own subclass.\n *\n * Every exception from a money-moving call (`createPayment`, `wechatQr`, `refund`,\n * `closeOrder`, `reverse`) names its order in [outTradeNo], generated numbers included, so the\n * order can always be queried afterwards. Exceptions are `Serializable` (a duplicate order's\n * [DuplicateOrderException.existing] is not carried over); no form of them ever holds the\n * client key.\n */\nopen class QfPayException internal constructor(info: ErrorInfo) : RuntimeException(info[\"message\"] as String) {\n",
    );
    for (name, ty, doc) in ERROR_FIELDS {
        if !BASE_ERROR_FIELDS.contains(name) {
            continue;
        }
        let member = Lang::Jvm.member(name);
        let x = format!("info[\"{name}\"]");
        let (kt, get) = match *ty {
            "str" => ("String".to_owned(), format!("{x} as String")),
            "count?" => ("Int?".to_owned(), format!("({x} as Long?)?.toInt()")),
            t => (kotlin_type(t), format!("{x} as {}", kotlin_type(t))),
        };
        out.push_str(&kdoc("    ", doc));
        // The order number is open: a status unknown always has one.
        if *name == "out_trade_no" {
            out.push_str(&format!("    open val {member}: {kt} get() = orderNo\n    private val orderNo: {kt} = {get}\n\n"));
        } else {
            out.push_str(&format!("    val {member}: {kt} = {get}\n\n"));
        }
    }
    out.push_str("    private companion object {\n        private const val serialVersionUID = 1L\n    }\n}\n");
    for (code, doc) in ERROR_DOCS {
        let parent = if is_api_category(code) {
            "ApiException"
        } else {
            "QfPayException"
        };
        let open = if *code == "api" { "open " } else { "" };
        out.push('\n');
        out.push_str(&kdoc("", doc));
        out.push_str(&format!(
            "{open}class {} internal constructor(info: ErrorInfo) : {parent}(info)",
            Lang::Jvm.error_class(Some(code))
        ));
        let members: Vec<String> = MEMBERS
            .iter()
            .filter(|m| m.0 == *code)
            .map(|(_, name, decl)| {
                let doc = ERROR_FIELDS
                    .iter()
                    .find(|f| f.0 == *name)
                    .map_or("", |f| f.2);
                let doc = match doc.strip_prefix(&format!("{code}: ")) {
                    Some(d) => d[..1].to_uppercase() + &d[1..],
                    None => doc.to_owned(),
                };
                let modifier = match *name {
                    "existing" => "@Transient\n    val",
                    "out_trade_no" => "override val",
                    _ => "val",
                };
                format!(
                    "{}    {modifier} {}: {decl}\n",
                    kdoc("    ", &doc),
                    Lang::Jvm.member(name)
                )
            })
            .collect();
        if members.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!(" {{\n{}}}\n", members.join("\n")));
        }
    }
    out.push_str("\n/** The exception class of a core error, by its code. */\n");
    out.push_str(
        "internal fun toQfPayException(f: ErrorInfo): QfPayException = when (f[\"code\"]) {\n",
    );
    for (code, _) in ERROR_DOCS {
        out.push_str(&format!(
            "    \"{code}\" -> {}(f)\n",
            Lang::Jvm.error_class(Some(code))
        ));
    }
    out.push_str("    else -> QfPayException(f)\n}\n");
    out
}

/// The generated setter bases: class, what it sets, the operation whose optional arguments
/// (or `None`: the per-call options) it sets.
const SETTERS: &[(&str, &str, Option<&str>)] = &[
    (
        "PaymentFields",
        "a payment's optional arguments",
        Some("create_payment"),
    ),
    ("QueryFields", "a query's optional arguments", Some("query")),
    (
        "RefundFields",
        "a refund's optional arguments",
        Some("refund"),
    ),
    (
        "CancelFields",
        "a close's or a reversal's optional arguments",
        Some("close"),
    ),
    (
        "CheckoutFields",
        "a checkout link's optional arguments",
        Some("checkout_url"),
    ),
    (
        "PeriodFields",
        "a walk over a period's optional arguments",
        Some("transactions"),
    ),
    (
        "ReconcileFields",
        "a reconciliation's optional arguments",
        Some("reconcile"),
    ),
    ("CallOptionFields", "the per-call options", None),
];

/// One setter of `o`, named and checked as the JVM names it; errors name `o`'s QFPay field.
fn setter(o: &Opt) -> String {
    let name = Lang::Jvm.member(o.name);
    let field = o.field.unwrap_or(o.name);
    let doc = match o.field {
        Some(f) => format!("`{f}`: {}", o.doc),
        None => o.doc.to_owned(),
    };
    let text = |field: &str, arg: &str, v: &str| format!("text({v}, \"{field}\", \"{arg}\")");
    let body = match o.kind {
        Kind::TextList => format!("(v: String?): B = add(\"{name}\", \"{field}\", v)")
            .replace("(v: String?)", "(vararg v: String?)"),
        Kind::Count | Kind::Offset => format!("(v: Int): B = put(\"{name}\", v)"),
        Kind::Amount => format!("(v: Long): B = put(\"{name}\", v)"),
        Kind::Duration => format!("(v: Duration?): B = put(\"{name}\", nanos(v, \"{name}\"))"),
        Kind::Map => {
            return format!(
                "    /** {doc} */\n    fun {name}(v: Map<String, String?>?): B = put(\"{name}\", textMap(v, \"{field}\", \"{name}\"))\n\n    /** [{name}] as the JSON text of an object of text values. */\n    fun {name}Json(v: String?): B = put(\"{name}\", {})\n",
                text(field, &format!("{name}Json"), "v")
            );
        }
        Kind::ExtendInfo => {
            let creid = text("extend_info.user_creid", "userCreid", "userCreid");
            let truename = text("extend_info.user_truename", "userTruename", "userTruename");
            let real = format!(
                "    /** `{field}` as the real-name fields `user_creid` and `user_truename` (checked by the core); null and null clear it. */\n    fun realName(userCreid: String?, userTruename: String?): B {{\n        val fields = mapOf(\"userCreid\" to {creid}, \"userTruename\" to {truename})\n        return put(\"{name}\", if (fields.values.all {{ it == null }}) null else fields)\n    }}\n\n"
            );
            return format!(
                "{real}    /** `{field}` as a JSON object string, sent byte-for-byte as given (real-name fields are still checked). */\n    fun {name}(v: String?): B = put(\"{name}\", {})\n",
                text(field, &name, "v")
            );
        }
        _ => format!(
            "(v: String?): B = put(\"{name}\", {})",
            text(field, &name, "v")
        ),
    };
    format!("    /** {doc} */\n    fun {name}{body}\n")
}

/// The client options `QfPayClient.Builder` sets by hand (a secret, enum overloads), and those
/// whose setter accepts null (to clear them); any other text option is required.
const CLIENT_NULLABLE: &[&str] = &["mchid", "proxy"];

/// A client option's setter (see [`CLIENT_NULLABLE`]): the key held as a `Secret` (a dump of
/// the builder never shows it); `environment` and `sign_type` by their enum classes too
/// (`environment` also by any name or a base URL).
fn client_setter(o: &Opt) -> String {
    let name = Lang::Jvm.member(o.name);
    let doc = kdoc("    ", o.doc);
    let text = format!(
        "{doc}    fun {name}(v: String?): B = put(\"{name}\", requiredText(v, \"{name}\"))\n"
    );
    let by_enum = format!(
        "{doc}    fun {name}(v: {}?): B = put(\"{name}\", required(v, \"{name}\").wire)\n",
        pascal(o.name)
    );
    match o.name {
        _ if o.kind == Kind::Secret => format!(
            "{doc}    fun {name}(v: String?): B = put(\"{name}\", Secret(requiredText(v, \"{name}\")))\n"
        ),
        "environment" => format!("{by_enum}\n{text}"),
        "sign_type" => by_enum,
        _ if !CLIENT_NULLABLE.contains(&o.name) && o.kind == Kind::Text => text,
        _ => setter(o),
    }
}

fn setters() -> String {
    let mut out = String::new();
    let client = ("ClientOptionFields", "the client options", None);
    for (class, what, op) in SETTERS.iter().chain([&client]) {
        let opts: Vec<&Opt> = match op.and_then(operation) {
            Some(op) => op.optional().collect(),
            None if *class == "ClientOptionFields" => CLIENT_OPTIONS.iter().collect(),
            None => CALL_OPTIONS.iter().collect(),
        };
        out.push_str(&format!(
            "\n/** The setters of {what} by name, as the core reads them (null clears one). */\n"
        ));
        out.push_str(&format!(
            "abstract class {class}<B : {class}<B>> internal constructor() {{\n"
        ));
        out.push_str("    /** The values set, by their Java names. */\n    internal val args = LinkedHashMap<String, Any?>()\n\n");
        out.push_str("    @Suppress(\"UNCHECKED_CAST\")\n    internal fun put(name: String, v: Any?): B = (this as B).also { args[name] = v }\n\n");
        if opts.iter().any(|o| o.kind == Kind::TextList) {
            out.push_str("    @Suppress(\"UNCHECKED_CAST\")\n    private fun add(name: String, field: String, v: Array<out String?>): B {\n        val list = args.getOrPut(name) { ArrayList<String>() } as MutableList<String>\n        for (s in v) list.add(requiredText(s, field, name))\n        return this as B\n    }\n\n");
        }
        out.push_str("    /** A copy of the values set (lists copied too). */\n    internal fun snapshot(): Map<String, Any?> = LinkedHashMap(args).also { it.replaceAll { _, v -> if (v is List<*>) v.toList() else v } }\n");
        for o in opts {
            out.push('\n');
            out.push_str(&if *class == "ClientOptionFields" {
                client_setter(o)
            } else {
                setter(o)
            });
        }
        out.push_str("}\n");
    }
    out
}

/// How the JVM spells each operation of `OPERATIONS` (a `QfPayClient` method): its method name,
/// the request class that carries its arguments (or `None`: positional arguments), and what it
/// throws. An operation returning a stream (see [`STREAMS`]) returns its iterator class.
const METHODS: &[(&str, &str, Option<&str>, &str)] = &[
    (
        "create_payment",
        "createPayment",
        Some("PaymentRequest"),
        "The core validates, signs, retries only what QFPay cannot have processed, and reconciles\n * unknown outcomes. Every exception names the order ([QfPayException.outTradeNo]).\n * @throws QfPayException ([ValidationException], [DeclinedException], [DuplicateOrderException], [StatusUnknownException], ...)",
    ),
    (
        "wechat_qr",
        "wechatQr",
        None,
        "Show `payment.qrcode` (rendered with [Qr]). The same as\n * `createPayment(PaymentRequest.wechatQr(amount, currency).build(), options)`, which also sets the payment's other fields.\n * @throws QfPayException as [createPayment]",
    ),
    (
        "query",
        "query",
        Some("QueryRequest"),
        "@throws QfPayException ([ValidationException], [RequestTimeoutException], [NetworkException], ...)",
    ),
    (
        "find_payment",
        "findPayment",
        None,
        "@throws QfPayException as [query]",
    ),
    (
        "refund",
        "refund",
        Some("RefundRequest"),
        "@throws QfPayException ([RefundRejectedException], [StatusUnknownException], ...), naming the refund's `out_trade_no`",
    ),
    (
        "close",
        "closeOrder",
        Some("CancelRequest"),
        "QFPay's `close`, named `closeOrder` because [QfPayClient.close] releases the client.\n * @throws QfPayException ([OrderStateException], [StatusUnknownException], ...)",
    ),
    (
        "reverse",
        "reverse",
        Some("CancelRequest"),
        "@throws QfPayException ([OrderStateException], [StatusUnknownException], ...)",
    ),
    (
        "wait_for_payment",
        "waitForPayment",
        None,
        "Queries (1 s, then 1.5x up to 5 s apart) and once more at the deadline.\n * @throws StatusUnknownException when it is still pending at the deadline",
    ),
    (
        "checkout_url",
        "checkoutUrl",
        Some("CheckoutRequest"),
        "Synchronous, also on an async caller: nothing is sent.\n * @throws ValidationException naming the field",
    ),
    (
        "verify_checkout_url",
        "verifyCheckoutUrl",
        None,
        "Synchronous: nothing is sent.\n * @throws SignatureException naming what does not match (wrong key, a value changed or not encoded)",
    ),
    (
        "wechat_oauth_url",
        "wechatOauthUrl",
        None,
        "Synchronous: nothing is sent. Open it in the WeChat browser; QFPay redirects to [redirectUri] with `code`.\n * @throws ValidationException naming the field",
    ),
    (
        "get_wechat_openid",
        "getWechatOpenid",
        None,
        "@throws QfPayException ([InvalidRequestException] for a used or unknown code, [NetworkException], ...)",
    ),
    (
        "cashier_url",
        "cashierUrl",
        None,
        "Synchronous: nothing is sent. [payParams] is the payment's `wechatPayParams.raw` (or, in the\n * overload taking text, its JSON text).\n * @throws ValidationException naming the field",
    ),
    (
        "query_pages",
        "queryPages",
        Some("QueryRequest"),
        "Each `iterator()` starts the query over; [QueryPages.items] iterates the transactions across\n * pages, [QfPayClient.queryAllAsync] collects the pages into a future (Kotlin: `asFlow()`).\n * @throws ValidationException at once for a bad query (nothing is sent); a failed page throws its\n * [QfPayException] from the iterator's `hasNext` (as [query])",
    ),
    (
        "transactions",
        "transactions",
        Some("TransactionsRequest"),
        "Each `iterator()` starts the walk over and holds one page at a time; [Transactions.stream]\n * streams them, [Transactions.forEachAsync] walks them on the client's executor (Kotlin: `asFlow()`).\n * @throws ValidationException at once for a bad period or filter (nothing is sent); a failed page\n * throws its [QfPayException] from the iterator's `hasNext`",
    ),
    (
        "reconcile",
        "reconcile",
        Some("ReconcileRequest"),
        "Walks the period as [transactions] does; a bad ledger entry is refused before anything is sent.\n * @throws ValidationException naming `ledger`, the entry or CSV line and the rule",
    ),
    (
        "download_trade_bill",
        "downloadTradeBill",
        None,
        "@throws ConfigException on QFPay's live_test and card_sandbox hosts, before sending (QFPay serves\n * statements in production only)",
    ),
    (
        "settlements",
        "settlements",
        None,
        "Legacy: QFPay's current documents no longer list this endpoint.\n * @throws QfPayException ([ValidationException] for a day not YYYYMMDD, ...)",
    ),
    (
        "add_note",
        "addNote",
        None,
        "@throws ConfigException when an mchid is configured (QFPay allows notes only to merchants who send\n * none), before sending\n * @throws ValidationException for a note that is empty, over 200 characters or holds control characters",
    ),
];

/// The iterator class of each stream an operation returns: by the operation's return type,
/// never its name.
const STREAMS: &[(&str, &str)] = &[
    ("list<QueryPage>", "QueryPages"),
    ("list<Transaction>", "Transactions"),
];

/// A positional argument's Kotlin parameter and the expression that checks it (a map as its
/// JSON text when `json`).
fn param(o: &Opt, json: bool) -> (String, String) {
    let name = Lang::Jvm.member(o.name);
    let field = o.field.unwrap_or(o.name);
    match o.kind {
        Kind::Amount => (format!("{name}: Long"), name),
        Kind::Map if !json => (
            format!("{name}: Map<String, String?>?"),
            format!("textMap({name}, \"{field}\", \"{name}\")"),
        ),
        _ => (
            format!("{name}: String?"),
            format!("requiredText({name}, \"{field}\", \"{name}\")"),
        ),
    }
}

/// The operation methods of `QfPayClient` (a base class it extends), blocking and `...Async`;
/// and (second) the text of `Coroutines.kt`: each operation's `...Await` suspend function.
fn operations() -> (String, String) {
    let mut suspending = String::new();
    let mut out = String::from(
        "\n/**\n * The operations of [QfPayClient] (from the core's `OPERATIONS`), each blocking and `...Async`\n * (a [QfPayFuture]; its `cancel` drops the call).\n */\nabstract class QfPayOperations internal constructor() {\n    /** A blocking call of operation [op]: [request] encodes its arguments and options. */\n    internal abstract fun <T> call(op: Int, request: () -> ByteArray, pick: (Any?) -> T): T\n\n    /** An `...Async` call (a failure to encode its request fails the future). */\n    internal abstract fun <T> start(op: Int, request: () -> ByteArray, pick: (Any?) -> T): CompletableFuture<T>\n\n    /** The pages of a stream operation [op], opened anew by each iterator. */\n    internal abstract fun pages(op: Int, request: () -> ByteArray): PageSource\n",
    );
    for (code, op) in OPERATIONS.iter().enumerate() {
        let Some((_, method, class, extra)) = METHODS.iter().find(|m| m.0 == op.name) else {
            continue;
        };
        if let Some((_, iterator)) = STREAMS.iter().find(|s| s.0 == op.returns) {
            let Some(class) = class else {
                continue;
            };
            let item = op
                .returns
                .strip_prefix("list<")
                .and_then(|t| t.strip_suffix('>'))
                .unwrap_or(op.returns);
            suspending.push_str(&format!(
                "\n/**\n * [QfPayOperations.{method}]'s items as a cold [Flow]: each collection walks anew, a page at\n * a time on [Dispatchers.IO] (the walk blocks a thread there, never the collector's); cancelling the\n * collector ends the walk after the page in hand.\n */\nfun {iterator}.asFlow(): Flow<{item}> = flow {{\n    iterator().use {{ it -> while (it.hasNext()) emit(it.next()) }}\n}}.flowOn(Dispatchers.IO)\n"
            ));
            let doc = format!("{}\n * {extra}", op.doc).replace("\n * ", "\n     * ");
            out.push_str(&format!(
                "\n    /**\n     * {doc}\n     */\n    @JvmOverloads\n    fun {method}(request: {class}?, options: CallOptions? = null): {iterator} {{\n        val args = required(request, \"request\").args\n        return {iterator}(pages({code}) {{ Wire.encode(args, options?.options) }})\n    }}\n"
            ));
            continue;
        }
        // A map argument has a second form of the method, taking its JSON text.
        let forms = if class.is_none() && op.args.iter().any(|o| o.kind == Kind::Map) {
            vec![false, true]
        } else {
            vec![false]
        };
        for json in forms {
            operation_methods(
                &mut out,
                &mut suspending,
                code,
                op,
                method,
                *class,
                extra,
                json,
            );
        }
    }
    out.push_str("}\n");
    (out, suspending)
}

/// One operation's methods (see [`operations`]); `json`: its map arguments as JSON text.
#[allow(clippy::too_many_arguments)]
fn operation_methods(
    out: &mut String,
    suspending: &mut String,
    code: usize,
    op: &qfpay::surface::Operation,
    method: &str,
    class: Option<&str>,
    extra: &str,
    json: bool,
) {
    {
        let (params, args) = match class {
            Some(c) => (
                vec![format!("request: {c}?")],
                "required(request, \"request\").args".to_owned(),
            ),
            None => {
                let mut ps: Vec<(String, String)> =
                    op.args.iter().map(|o| param(o, json)).collect();
                // A few optional arguments (at most two) follow, each defaulting to null
                // (absent); `wechatQr`'s many are set on its `PaymentRequest` instead.
                let few = op.optional().count() <= 2;
                for o in op.optional().filter(|_| few) {
                    let name = Lang::Jvm.member(o.name);
                    let field = o.field.unwrap_or(o.name);
                    ps.push((
                        format!("{name}: String? = null"),
                        format!("text({name}, \"{field}\", \"{name}\")"),
                    ));
                }
                let names = op.args.iter().chain(op.optional().filter(|_| few));
                let entries: Vec<String> = names
                    .zip(&ps)
                    .map(|(o, p)| format!("\"{}\" to {}", Lang::Jvm.member(o.name), p.1))
                    .collect();
                (
                    ps.into_iter().map(|p| p.0).collect(),
                    format!("mapOf({})", entries.join(", ")),
                )
            }
        };
        let ret = render(Lang::Jvm, op.returns);
        let pick = match op.returns.strip_suffix('?') {
            _ if op.returns == "str" => "{ it as String }".to_owned(),
            Some(t) => format!("{{ it?.let({t}::of) }}"),
            None => format!("{}::of", op.returns),
        };
        // The per-call options as one optional argument; the wait options as overloads.
        let variants: Vec<(Vec<String>, String, bool)> = if op.call.is_empty() {
            vec![(vec![], "null".to_owned(), false)]
        } else if std::ptr::eq(op.call, WAIT_OPTIONS) {
            let names: Vec<String> = op.call.iter().map(|o| Lang::Jvm.member(o.name)).collect();
            let opts = |n: &[String]| {
                let e: Vec<String> = n
                    .iter()
                    .map(|x| format!("\"{x}\" to nanos({x}, \"{x}\")"))
                    .collect();
                format!("linkedMapOf<String, Any?>({})", e.join(", "))
            };
            vec![
                (vec![], "null".to_owned(), false),
                (names[..1].to_vec(), opts(&names[..1]), false),
                (names.clone(), opts(&names), false),
            ]
        } else {
            vec![(
                vec!["options".to_owned()],
                "options?.options".to_owned(),
                true,
            )]
        };
        // An operation that sends nothing is one synchronous method.
        let kinds = [
            (true, "", ret.clone()),
            (false, "Async", format!("CompletableFuture<{ret}>")),
        ];
        for (sync, suffix, ty) in kinds.into_iter().take(if op.io { 2 } else { 1 }) {
            for (extra_params, options, overloads) in &variants {
                let mut ps = params.clone();
                for x in extra_params {
                    ps.push(if *overloads {
                        format!("{x}: CallOptions? = null")
                    } else {
                        format!("{x}: Duration?")
                    });
                }
                let doc = if sync {
                    let with = if extra_params.is_empty() || *overloads {
                        String::new()
                    } else {
                        format!(" With [{}].", extra_params.join("], ["))
                    };
                    format!("{}{with}\n * {extra}", op.doc)
                } else {
                    format!("[{method}] without blocking.")
                };
                let doc = doc.replace("\n * ", "\n     * ");
                out.push_str(&format!("\n    /**\n     * {doc}\n     */\n"));
                if *overloads || ps.iter().any(|p| p.ends_with("= null")) {
                    out.push_str("    @JvmOverloads\n");
                }
                out.push_str(&format!(
                    "    fun {method}{suffix}({}): {ty} =\n        {}({code}, {{ Wire.encode({args}, {options}) }}, {pick})\n",
                    ps.join(", "),
                    if sync { "call" } else { "start" },
                ));
                if !sync {
                    let names: Vec<&str> = ps
                        .iter()
                        .map(|p| p.split(':').next().unwrap_or(p).trim())
                        .collect();
                    suspending.push_str(&format!(
                        "\n/**\n * [QfPayOperations.{method}] as a suspend function: the coroutine waits without holding a\n * thread, and cancelling it cancels the call (as [QfPayFuture.cancel]).\n */\nsuspend fun QfPayOperations.{method}Await({}): {ret} =\n    {method}Async({}).await()\n",
                        ps.join(", "),
                        names.join(", "),
                    ));
                }
            }
        }
    }
}

const COROUTINES_PATH: &str = "bindings-java/src/main/kotlin/com/qfpay/Coroutines.kt";

/// `Coroutines.kt`: the suspend functions (kotlinx-coroutines is an optional dependency of the
/// jar, so they live in a class of their own, `QfPayCoroutines`, which Java code never loads).
fn coroutines(functions: &str) -> String {
    format!(
        "{}@file:JvmName(\"QfPayCoroutines\")\n\npackage com.qfpay\n\nimport java.time.Duration\nimport kotlinx.coroutines.Dispatchers\nimport kotlinx.coroutines.flow.Flow\nimport kotlinx.coroutines.flow.flow\nimport kotlinx.coroutines.flow.flowOn\nimport kotlinx.coroutines.future.await\n{functions}",
        crate::banner("//"),
    )
}

/// The documentation of each value of the core's `ENUMS` (a test of the generated file fails
/// when one is missing).
const ENUM_DOCS: &[(&str, &str)] = &[
    ("succeeded", "Paid."),
    ("pending", "Waiting for the customer (or for QFPay)."),
    ("failed", "Failed; no money moved."),
    ("refunded", "Paid, then refunded in full."),
    ("partially_refunded", "Paid, then refunded in part."),
    ("cancelled", "Closed or reversed."),
    (
        "missing_at_qfpay",
        "In the ledger as paid, but QFPay has no successful payment for it.",
    ),
    (
        "missing_in_ledger",
        "A successful payment at QFPay the ledger does not have.",
    ),
    ("amount_mismatch", "The amounts differ."),
    ("currency_mismatch", "The currencies differ."),
    (
        "duplicate_payments",
        "Several successful payments for one out_trade_no (a customer who paid twice).",
    ),
    (
        "pending_too_long",
        "A payment still pending longer than the report allows.",
    ),
    (
        "unknown_refund",
        "Refunds at QFPay the ledger does not account for.",
    ),
    (
        "state_mismatch",
        "The ledger's state disagrees with QFPay's (unpaid but paid, refunded but not).",
    ),
    ("paid", "Paid (the default)."),
    ("unpaid", "Not paid."),
];

/// The enums of the core's `ENUMS`, each value with its lowercase wire name.
fn enums() -> String {
    let mut out = String::new();
    for (name, values) in ENUMS {
        let class = pascal(name);
        out.push_str(&format!("\n/** A {}. */\nenum class {class}(\n    /** The lowercase name used on the wire and in every other language. */\n    val wire: String,\n) {{\n", name.replace('_', " ")));
        for v in *values {
            let doc = ENUM_DOCS.iter().find(|d| d.0 == *v).map_or("", |d| d.1);
            out.push_str(&format!(
                "    /** {doc} */\n    {}(\"{v}\"),\n",
                v.to_uppercase()
            ));
        }
        out.push_str(&format!("    ;\n\n    companion object {{\n        /** The value for its lowercase name. */\n        @JvmStatic\n        fun fromWire(value: String): {class} =\n            entries.firstOrNull {{ it.wire == value }} ?: throw DecodeException(errorInfo(\"decode\", \"unknown {} $value\"))\n    }}\n}}\n", name.replace('_', " ")));
    }
    out
}

/// The files this module writes.
/// The `QfPay` object: the module-level constants of `CONSTANTS` (the sandbox's are
/// `Sandbox.APP_CODE`/`CLIENT_KEY`) and `generateOutTradeNo` of `FUNCTIONS`.
fn module() -> String {
    let mut out = String::from("\n/** SDK-wide facts and helpers. */\nobject QfPay {\n");
    let ack = format!(
        "const val NOTIFICATION_ACK: String = \"{}\"",
        qfpay::notify::ACK_BODY
    );
    for (name, doc) in CONSTANTS.iter().chain(FUNCTIONS) {
        let decl = match *name {
            "version" => "@JvmField\n    val VERSION: String = Jni.text(4)!!",
            "core_version" => "@JvmField\n    val CORE_VERSION: String = VERSION",
            "notification_ack" => &ack,
            "generate_out_trade_no" => {
                "@JvmStatic\n    fun generateOutTradeNo(): String = Jni.text(5)!!"
            }
            _ => continue,
        };
        out.push_str(&format!("{}    {decl}\n\n", kdoc("    ", doc)));
    }
    out.truncate(out.len() - 1);
    out + "}\n"
}

/// `Environment` (the core's environments by name, with the aliases its parser takes) and
/// `SignType` (the core's, by configuration name); the Kotlin constant's ordinal is the JNI code.
fn config_enums() -> String {
    use qfpay::{Environment as E, SignType as S};
    let mut out = String::from(
        "\n/** Which QFPay to talk to (our local sandbox is a base URL instead: [Sandbox.client]). */\nenum class Environment(internal val wire: String) {\n",
    );
    for (e, doc) in [
        (E::Production, "Live payments"),
        (
            E::LiveTest,
            "Real wallets on test accounts, not settled (the default)",
        ),
        (
            E::CardSandbox,
            "QFPay's remote card-simulation host, not the local [Sandbox]",
        ),
    ] {
        let name = e.name();
        let aliases: Vec<String> = E::NAMES
            .iter()
            .filter(|n| **n != name && E::parse(n).ok().map(|x| x.name()) == Some(name))
            .map(|n| format!(", alias `{n}`"))
            .collect();
        let doc = format!("{doc} (`{name}`{}).", aliases.concat());
        out.push_str(&format!(
            "{}    {}(\"{name}\"),\n",
            kdoc("    ", &doc),
            name.to_uppercase()
        ));
    }
    out.push_str("}\n\n/** The hash used for request signatures. */\nenum class SignType(internal val wire: String) {\n");
    for s in [S::Md5, S::Sha256] {
        let doc = match s.header_value() {
            None => format!("`{}` (QFPay's default).", s.as_str()),
            Some(h) => format!("`{}` (sent with `X-QF-SIGNTYPE: {h}`).", s.as_str()),
        };
        out.push_str(&format!(
            "{}    {}(\"{}\"),\n",
            kdoc("    ", &doc),
            s.as_str().to_uppercase(),
            s.as_str()
        ));
    }
    out + "}\n"
}

/// `CallOptions`, the `CallOptionFields` setters of `CALL_OPTIONS` built, with a shortcut for
/// each duration option (`CallOptions.timeout(d)`).
fn call_options() -> String {
    let example: String = CALL_OPTIONS
        .iter()
        .map(|o| {
            let v = if o.kind == Kind::Duration {
                "Duration.ofSeconds(5)"
            } else {
                "0"
            };
            format!(".{}({v})", Lang::Jvm.option(o.name))
        })
        .collect();
    let mut out = format!(
        "\n/**\n * Per-call overrides of the client's settings, e.g.\n * `client.createPayment(req, CallOptions.builder(){example}.build())`.\n */\nclass CallOptions private constructor(internal val options: Map<String, Any?>) {{\n    /** Builder for [CallOptions]; unset values keep the client's. */\n    class Builder internal constructor() : CallOptionFields<Builder>() {{\n        /** The options. */\n        fun build() = CallOptions(snapshot())\n    }}\n\n    companion object {{\n        /** A new builder. */\n        @JvmStatic\n        fun builder() = Builder()\n"
    );
    for o in CALL_OPTIONS.iter().filter(|o| o.kind == Kind::Duration) {
        let name = Lang::Jvm.option(o.name);
        out.push_str(&format!(
            "\n{}        @JvmStatic\n        fun {name}(v: Duration?) = Builder().{name}(v).build()\n",
            kdoc("        ", &format!("Only [Builder.{name}]. {}", o.doc))
        ));
    }
    out + "    }\n}\n"
}

/// The `Qr` object: the `qr_*` functions of `FUNCTIONS`, each a format of the native `qr`.
fn qr() -> String {
    let mut out = String::from(
        "\n/** QR code rendering for `payment.qrcode`. */\nobject Qr {\n    private fun qr(content: String?, format: String, scale: Int = 0) =\n        ffi { com.qfpay.ffi.qr(requiredText(content, \"content\"), format, scale) }\n",
    );
    for (name, doc) in FUNCTIONS {
        let Some(format) = name.strip_prefix("qr_") else {
            continue;
        };
        let decl = if format == "png" {
            "@JvmStatic\n    @JvmOverloads\n    fun png(content: String?, scale: Int = 8): ByteArray = qr(content, \"png\", scale)".to_owned()
        } else {
            format!(
                "@JvmStatic\n    fun {}(content: String?): String = String(qr(content, \"{format}\"), Charsets.UTF_8)",
                Lang::Jvm.member(format)
            )
        };
        out.push_str(&format!("\n{}    {decl}\n", kdoc("    ", doc)));
    }
    out + "}\n"
}

pub fn files() -> Vec<File> {
    let (operations, suspending) = operations();
    let text = format!(
        "{}\npackage com.qfpay\n\nimport java.time.Duration\nimport java.util.concurrent.CompletableFuture\n{}{}{}{}{}{}{}{}{}",
        crate::banner("//"),
        module(),
        config_enums(),
        qr(),
        call_options(),
        enums(),
        results(),
        setters(),
        operations,
        errors()
    );
    vec![(PATH, text), (COROUTINES_PATH, coroutines(&suspending))]
}
