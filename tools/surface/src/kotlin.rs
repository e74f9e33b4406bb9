//! The kotlin binding's generated type file: the result classes (from each result's
//! `describe!`), each read from the generic value the native library sends (the core's
//! `Serialize` output, `bindings-java/src/value.rs`); the setters of the requests' optional
//! arguments and of the per-call options (from `OPERATIONS` and `CALL_OPTIONS`), which the
//! hand-written builders extend; the exception classes of the error codes that add no member
//! of their own and the code → class table (from `ERROR_DOCS`).

use qfpay::surface::schema::RESULTS;
use qfpay::surface::{CALL_OPTIONS, ERROR_DOCS, Kind, Lang, Opt, is_api_category, operation};

use crate::File;
use crate::types::{pascal, render};

const PATH: &str = "bindings-java/src/main/kotlin/com/qfpay/Generated.kt";

/// The error codes whose exception classes are written by hand in `Exceptions.kt` (they add
/// members), besides the base classes.
const HAND_WRITTEN: &[&str] = &[
    "validation",
    "config",
    "api",
    "duplicate_order",
    "rate_limited",
    "network",
    "status_unknown",
];

/// A field's Kotlin type (`raw` is QFPay's fields as text on the JVM).
fn kotlin_type(ty: &str) -> String {
    match ty {
        "raw" => "Map<String, String>".to_owned(),
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
        "bool" => format!("{x} as Boolean"),
        "raw" => format!("{x} as Map<String, String>"),
        result => format!("{result}.of({x})"),
    }
}

fn kdoc(indent: &str, doc: &str) -> String {
    format!("{indent}/** {} */\n", doc.replace("*/", "*&#47;"))
}

fn results() -> String {
    let mut out = String::new();
    for (name, doc, fields) in RESULTS {
        out.push('\n');
        out.push_str(&kdoc("", doc));
        out.push_str(&format!("data class {name}(\n"));
        for f in *fields {
            out.push_str(&kdoc("    ", f.doc));
            out.push_str(&format!(
                "    val {}: {},\n",
                Lang::Jvm.member(f.name),
                kotlin_type(f.ty)
            ));
        }
        // A result holding a list (a page of transactions) iterates it.
        let list = fields.iter().find_map(|f| {
            let item = f.ty.strip_prefix("list<")?.strip_suffix('>')?;
            Some((Lang::Jvm.member(f.name), item))
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
        out.push_str("    internal companion object {\n");
        out.push_str(
            "        /** The result from the generic value the native library sends. */\n",
        );
        out.push_str("        @Suppress(\"UNCHECKED_CAST\")\n");
        out.push_str(&format!("        fun of(v: Any?): {name} {{\n"));
        out.push_str("            val m = v as Map<String, Any?>\n");
        out.push_str(&format!("            return {name}(\n"));
        for f in *fields {
            let x = format!("m[\"{}\"]", f.name);
            out.push_str(&format!("                {},\n", read(f.ty, &x)));
        }
        out.push_str("            )\n        }\n    }\n}\n");
    }
    out
}

fn errors() -> String {
    let mut out = String::new();
    for (code, doc) in ERROR_DOCS {
        if HAND_WRITTEN.contains(code) {
            continue;
        }
        let parent = if is_api_category(code) {
            "ApiException"
        } else {
            "QfPayException"
        };
        out.push('\n');
        out.push_str(&kdoc("", doc));
        out.push_str(&format!(
            "class {} internal constructor(info: FfiErrorInfo) : {parent}(info)\n",
            Lang::Jvm.error_class(Some(code))
        ));
    }
    out.push_str("\n/** The exception class of a core error, by its code. */\n");
    out.push_str(
        "internal fun toQfPayException(f: FfiErrorInfo): QfPayException = when (f.code) {\n",
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

fn setters() -> String {
    let mut out = String::new();
    for (class, what, op) in SETTERS {
        let opts: Vec<&Opt> = match op.and_then(operation) {
            Some(op) => op.optional().collect(),
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
            out.push_str(&setter(o));
        }
        out.push_str("}\n");
    }
    out
}

/// The files this module writes.
pub fn files() -> Vec<File> {
    let text = format!(
        "{}\npackage com.qfpay\n\nimport com.qfpay.ffi.FfiErrorInfo\nimport java.time.Duration\n{}{}{}",
        crate::banner("//"),
        results(),
        setters(),
        errors()
    );
    vec![(PATH, text)]
}
