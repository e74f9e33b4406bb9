//! The public surface, defined once: every option, argument, request field, result field and
//! error code every binding exposes, with its type, unit, default and doc ([`spec`], and each
//! result's `describe!`); the one applier that reads options and requests by name
//! ([`apply`]); each language's spelling and units ([`Lang`]); and the schema the generated
//! type files and `tests/surface.json` are written from ([`schema`]).
//!
//! A binding turns its language's kwargs, object, array or builder into [`Value`]s by name and
//! does nothing else with them: names, units, defaults, type rules and QFPay field mapping are
//! all here.

pub mod apply;
pub mod schema;
pub mod spec;

pub use apply::{Fields, Request, Value};
pub use spec::{
    CALL_OPTIONS, CLIENT_OPTIONS, ENUMS, ERROR_ADVICE, ERROR_DOCS, ERROR_FIELDS, Kind, OPERATIONS,
    Operation, Opt, WAIT_OPTIONS, WECHAT_QR_CURRENCY, operation,
};

/// A language's conventions: how it spells names, which unit its durations are in, how its
/// type errors read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Rust: snake_case, `std::time::Duration`.
    Rust,
    /// Python: snake_case, durations as seconds (int or float).
    Python,
    /// Node.js: lowerCamelCase, durations as milliseconds with the suffix `Ms`.
    Node,
    /// The JVM (Java, Kotlin): lowerCamelCase, `java.time.Duration` (crossing as nanoseconds).
    Jvm,
    /// PHP: lowerCamelCase, durations as milliseconds with the suffix `Ms`.
    Php,
}

/// Every language, in the order of the documentation's tables.
pub const LANGS: &[Lang] = &[Lang::Rust, Lang::Python, Lang::Node, Lang::Jvm, Lang::Php];

/// The unit a language's durations are given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationUnit {
    /// A number of seconds, fractions allowed (Python).
    Seconds,
    /// A number of milliseconds (Node, PHP).
    Millis,
    /// A whole number of nanoseconds (the JVM's `Duration`, as it crosses).
    Nanos,
}

fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether the canonical option `name` is a duration anywhere on the surface.
fn is_duration(name: &str) -> bool {
    CLIENT_OPTIONS
        .iter()
        .chain(CALL_OPTIONS)
        .chain(WAIT_OPTIONS)
        .chain(schema::SANDBOX_START_OPTIONS)
        .chain(OPERATIONS.iter().flat_map(|o| o.optional()))
        .any(|o| o.name == name && o.kind == Kind::Duration)
        || name == "retry_after"
}

impl Lang {
    /// The language's name in the schema and the docs.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Rust => "rust",
            Lang::Python => "python",
            Lang::Node => "node",
            Lang::Jvm => "jvm",
            Lang::Php => "php",
        }
    }

    /// A member's name (a result field, a request field, a method): snake_case in Rust and
    /// Python, lowerCamelCase elsewhere.
    pub fn member(self, canonical: &str) -> String {
        match self {
            Lang::Rust | Lang::Python => canonical.to_owned(),
            _ => camel(canonical),
        }
    }

    /// An option's name: as [`Lang::member`], plus the unit suffix `Ms` on a duration where
    /// durations are plain numbers of milliseconds (`connect_timeout` → `connectTimeoutMs` in
    /// Node and PHP, `connectTimeout` on the JVM, `connect_timeout` in Python).
    pub fn option(self, canonical: &str) -> String {
        let mut name = self.member(canonical);
        if self.duration_unit() == DurationUnit::Millis && is_duration(canonical) {
            name.push_str("Ms");
        }
        name
    }

    /// An error field's name ([`ERROR_FIELDS`]): as [`Lang::option`] (durations carry the unit
    /// suffix: `retryAfterMs`), except PHP's `code`, which is `errorCode` because
    /// `Exception::getCode()` is PHP's own.
    pub fn error_field(self, canonical: &str) -> String {
        match (self, canonical) {
            (Lang::Php, "code") => "errorCode".to_owned(),
            _ => self.option(canonical),
        }
    }

    /// The unit of a duration given in this language.
    pub fn duration_unit(self) -> DurationUnit {
        match self {
            Lang::Python => DurationUnit::Seconds,
            Lang::Node | Lang::Php => DurationUnit::Millis,
            Lang::Rust | Lang::Jvm => DurationUnit::Nanos,
        }
    }

    /// What a value of `kind` must be, in the language's words (`a str`, `a string`).
    pub fn expected(self, kind: Kind) -> &'static str {
        use Kind::*;
        match (self, kind) {
            (Lang::Python, Text | Secret | Currency) => "a str",
            (Lang::Python, TextList) => "a str or a list of str",
            (Lang::Python, Amount) => "an int (a whole number of minor units: 300 is HK$3.00)",
            (Lang::Python, Count | Offset) => "an int",
            (Lang::Python, Duration) => "a number of seconds (int or float)",
            (Lang::Python, ExtendInfo) => {
                "a dict ({\"user_creid\": ..., \"user_truename\": ...}) or a JSON str"
            }
            (Lang::Jvm | Lang::Rust, Text | Secret | Currency) => "a String",
            (_, Text | Secret | Currency) => "a string",
            (_, TextList) => "a string or a list of strings",
            (_, Amount) => "a whole number of minor units (300 is HK$3.00)",
            (_, Count | Offset) => "a whole number",
            (Lang::Jvm | Lang::Rust, Duration) => "a Duration",
            (_, Duration) => "a number of milliseconds",
            (Lang::Php, ExtendInfo) => {
                "['userCreid' => ..., 'userTruename' => ...] or a JSON object string"
            }
            (_, ExtendInfo) => "{ userCreid, userTruename } or a JSON object string",
            (Lang::Python, Map) => "a dict",
            (Lang::Php, Map) => "an array",
            (_, Map) => "an object",
            (Lang::Python, Flag) => "a bool or None",
            (_, Flag) => "a boolean",
            (Lang::Python, Number) => "a number (int or float)",
            (_, Number) => "a number",
            (Lang::Python, Ledger) => "CSV text (str), or dicts in a list, a tuple or an iterator",
            (Lang::Php, Ledger) => "CSV text (string) or a list of arrays",
            (Lang::Jvm | Lang::Rust, Ledger) => "CSV text (String) or a List of Maps",
            (_, Ledger) => "CSV text (a string) or an array of objects",
        }
    }

    /// A wrong type's rule: `must be a str, not int` (Python's own wording for a `TypeError`),
    /// `must be a string, got a number` elsewhere. `got` comes from [`Value::type_name`].
    pub fn wrong_type(self, kind: Kind, got: &str) -> String {
        match self {
            Lang::Python => format!("must be {}, not {got}", self.expected(kind)),
            _ => format!("must be {}, got {got}", self.expected(kind)),
        }
    }

    /// A module constant's name (`notification_ack` → `NOTIFICATION_ACK`).
    pub fn constant(self, canonical: &str) -> String {
        canonical.to_ascii_uppercase()
    }

    /// The error class of an error code: UpperCamelCase plus `Error` (Rust, Python, Node) or
    /// `Exception` (JVM, PHP); `timeout` is `RequestTimeout…` everywhere (the JVM's
    /// `TimeoutException` and Python's `TimeoutError` are taken), and the base class is
    /// `QfPay…` (code `None`).
    pub fn error_class(self, code: Option<&str>) -> String {
        let suffix = match self {
            Lang::Jvm | Lang::Php => "Exception",
            _ => "Error",
        };
        let stem = match code {
            None => "QfPay".to_owned(),
            Some("timeout") => "RequestTimeout".to_owned(),
            Some(code) => {
                let mut c = camel(code);
                if let Some(first) = c.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                c
            }
        };
        format!("{stem}{suffix}")
    }
}

/// The codes whose classes extend the API error's (QFPay answered with that category).
pub fn is_api_category(code: &str) -> bool {
    matches!(
        code,
        "auth"
            | "invalid_request"
            | "declined"
            | "duplicate_order"
            | "order_state"
            | "refund_rejected"
            | "account"
            | "server"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_each_convention() {
        assert_eq!(Lang::Node.option("connect_timeout"), "connectTimeoutMs");
        assert_eq!(Lang::Php.option("retry_base_delay"), "retryBaseDelayMs");
        assert_eq!(Lang::Jvm.option("connect_timeout"), "connectTimeout");
        assert_eq!(Lang::Python.option("connect_timeout"), "connect_timeout");
        assert_eq!(Lang::Node.option("utc_offset_seconds"), "utcOffsetSeconds");
        assert_eq!(Lang::Node.option("app_code"), "appCode");
        assert_eq!(Lang::Node.option("interval"), "intervalMs");
        assert_eq!(Lang::Node.member("out_trade_no"), "outTradeNo");
        assert_eq!(Lang::Php.option("retry_after"), "retryAfterMs");
        assert_eq!(
            Lang::Jvm.error_class(Some("timeout")),
            "RequestTimeoutException"
        );
        assert_eq!(
            Lang::Python.error_class(Some("invalid_request")),
            "InvalidRequestError"
        );
        assert_eq!(Lang::Php.error_class(None), "QfPayException");
    }
}
