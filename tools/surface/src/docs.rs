//! `docs/configuration.md`, `docs/errors.md` and `docs/pay-types.md`: the configuration, error
//! and pay-type tables every package README links to, from the core's one definition of each
//! option, environment variable, error code, QFPay response code, piece of advice, pay type,
//! answer shape and per-method required field.

use qfpay::client::config::ENV_VARS;
use qfpay::model::pay_type::LEGACY;
use qfpay::model::resp_code::RESPCD;
use qfpay::surface::schema::SANDBOX_START_OPTIONS;
use qfpay::surface::{
    CALL_OPTIONS, CLIENT_OPTIONS, ERROR_ADVICE, ERROR_DOCS, ERROR_FIELDS, Kind, LANGS, Opt,
    WAIT_OPTIONS,
};
use qfpay::{AnswerShape, Environment, PayType, log_filter};

use crate::File;
use crate::naming::{header, header_with};
use crate::types::render;

/// A table cell: `|` would end the cell early.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn env_of(option: &str) -> Option<&'static str> {
    ENV_VARS.iter().find(|(o, _)| *o == option).map(|(_, v)| *v)
}

fn options(out: &mut String, title: &str, intro: &str, table: &[Opt], env: bool) {
    out.push_str(&format!("\n## {title}\n\n{intro}\n\n"));
    let columns: &[&str] = if env {
        &["environment variable", "default", "about"]
    } else {
        &["default", "about"]
    };
    header_with(out, "option", columns);
    for o in table {
        out.push_str(&format!("| `{}` |", o.name));
        for l in LANGS {
            let unit = if o.kind == Kind::Duration {
                format!(" ({})", render(*l, "duration"))
            } else {
                String::new()
            };
            out.push_str(&format!(" `{}`{unit} |", l.option(o.name)));
        }
        if env {
            match env_of(o.name) {
                Some(v) => out.push_str(&format!(" `{v}` |")),
                None => out.push_str(" – |"),
            }
        }
        let default = o.default.map(cell).unwrap_or_else(|| "–".to_owned());
        out.push_str(&format!(" {default} | {} |\n", cell(o.doc)));
    }
}

fn configuration() -> String {
    let mut out = crate::banner("<!--");
    out.push_str("# Configuration\n\nEvery option of the SDK, as each language spells it. Durations are `std::time::Duration` in Rust, seconds (int or float) in Python, milliseconds (the `Ms` suffix) in Node.js and PHP, `java.time.Duration` on the JVM; a duration must be greater than zero and at most 100 years, and a wrong type or value is a `validation` error naming the option, raised before anything is sent. Options given in code win over environment variables. Where each language takes them: its package README (Rust `core/README.md`, Python `bindings-python/README.md`, Node.js `bindings-node/README.md`, JVM `bindings-java/README.md`, PHP `bindings-php/README.md`); the names of everything else are in [NAMING.md](NAMING.md).\n");
    out.push_str("\n## Environments\n\n`environment` (or `QFPAY_ENV`) takes a name; `base_url` (or `QFPAY_BASE_URL`) any URL instead, such as the local sandbox's. When both are set and disagree, the URL wins and the client reports a configuration warning. `sandbox` and `live` are refused as ambiguous, with a message saying what to use.\n\n| name | accepted spellings | base URL |\n|---|---|---|\n");
    for env in [
        Environment::Production,
        Environment::LiveTest,
        Environment::CardSandbox,
    ] {
        let spellings: Vec<String> = Environment::NAMES
            .iter()
            .filter(|n| Environment::parse(n).map(|e| e == env).unwrap_or(false))
            .map(|n| format!("`{n}`"))
            .collect();
        out.push_str(&format!(
            "| `{}` | {} | `{}` |\n",
            env.name(),
            spellings.join(", "),
            env.base_url()
        ));
    }
    options(
        &mut out,
        "Client options",
        "Given when the client is built; `from_env` (every language) and the `qfpay` command line read the environment variables.",
        CLIENT_OPTIONS,
        true,
    );
    out.push_str(&format!(
        "\nLogging: `{}` sets what the SDK logs, with the same syntax in every language: a level (`off`, `error`, `warn`, `info`, `debug`, `trace`) or `target=level` directives such as `qfpay=debug,qfpay::reconcile=off`. An unusable value turns logging off with one warning.\n",
        log_filter::ENV
    ));
    options(
        &mut out,
        "Per-call options",
        "Given to one call, over the client's.",
        CALL_OPTIONS,
        false,
    );
    options(
        &mut out,
        "`wait_for_payment` options",
        "When the deadline passes with the order still pending, the call raises `status_unknown` ([errors.md](errors.md)).",
        WAIT_OPTIONS,
        false,
    );
    options(
        &mut out,
        "Sandbox start options",
        "The embedded sandbox each language can start for tests ([testing.md](testing.md)).",
        SANDBOX_START_OPTIONS,
        false,
    );
    out
}

/// QFPay's response codes that become the error code `code`.
fn respcds(code: &str) -> String {
    let mut codes: Vec<String> = RESPCD
        .iter()
        .filter(|(category, _)| category.error_code() == code)
        .flat_map(|(_, codes)| codes.iter().map(|c| format!("`{c}`")))
        .collect();
    if matches!(code, "duplicate_order" | "account") {
        codes.push("`1251` (by its text)".to_owned());
    }
    match code {
        "api" => "any other".to_owned(),
        "rate_limited" => "HTTP 429".to_owned(),
        "status_unknown" => RESPCD
            .iter()
            .filter(|(c, _)| c.is_pending())
            .flat_map(|(_, codes)| codes.iter().map(|c| format!("`{c}`")))
            .chain(["HTTP 5xx".to_owned()])
            .collect::<Vec<_>>()
            .join(", "),
        _ if codes.is_empty() => "–".to_owned(),
        _ => codes.join(", "),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => {
            let rest: String = chars.collect();
            let end = if rest.ends_with('.') { "" } else { "." };
            format!("{}{rest}{end}", first.to_uppercase())
        }
        None => String::new(),
    }
}

fn errors() -> String {
    let mut out = crate::banner("<!--");
    out.push_str("# Errors\n\nEvery failure is one error type per language with a stable `code`; each code has its own class, a subclass of the base one. Read an error through its fields (below), never by parsing its message. Every error of a money-moving call (payment, refund, close, reversal) names its `out_trade_no`; why some failures are `status_unknown` rather than failures: [concepts.md](concepts.md).\n\n");
    header_with(
        &mut out,
        "code",
        &["QFPay `respcd`", "meaning", "what to do"],
    );
    out.push_str("| (every error) |");
    for l in LANGS {
        match l {
            qfpay::surface::Lang::Rust => out.push_str(" `qfpay::Error` |"),
            _ => out.push_str(&format!(" `{}` |", l.error_class(None))),
        }
    }
    out.push_str(" | | |\n");
    for ((code, doc), (_, advice)) in ERROR_DOCS.iter().zip(ERROR_ADVICE) {
        out.push_str(&format!("| `{code}` |"));
        for l in LANGS {
            let class = if *l == qfpay::surface::Lang::Rust {
                format!("`code() == \"{code}\"`")
            } else {
                format!("`{}`", l.error_class(Some(code)))
            };
            out.push_str(&format!(" {class} |"));
        }
        out.push_str(&format!(
            " {} | {} | {} |\n",
            respcds(code),
            cell(doc),
            cell(&capitalised(advice))
        ));
    }
    out.push_str("\n## Fields of every error\n\nNull (or absent) when they do not apply.\n\n");
    header(&mut out, "field");
    for (name, ty, doc) in ERROR_FIELDS {
        out.push_str(&format!("| `{name}` |"));
        for l in LANGS {
            out.push_str(&format!(
                " `{}`: `{}` |",
                l.error_field(name),
                cell(&render(*l, ty))
            ));
        }
        out.push_str(&format!(" {} |\n", cell(doc)));
    }
    out
}

/// The files this module writes.
/// What the customer is shown, in the table's words.
fn shape_text(shape: AnswerShape) -> &'static str {
    match shape {
        AnswerShape::Qrcode => "`qrcode`: show it as a QR code",
        AnswerShape::Cpm => "paid at once with the customer's `auth_code`",
        AnswerShape::PayUrl => "`pay_url`: open or embed it (some hosts answer `web_url`)",
        AnswerShape::WechatJsapi => {
            "`wechat_pay_params`: hand `raw` to WeixinJSBridge / wx.requestPayment, or use `cashier_url`"
        }
        AnswerShape::WechatApp => "`wechat_app_params`: hand `raw` to the WeChat app SDK",
        AnswerShape::AlipayApp => "`alipay_pay_params`: hand `raw` to Alipay's SDK",
    }
}

fn pay_types() -> String {
    let mut out = crate::banner("<!--");
    out.push_str("# Pay types

Every `pay_type` the SDK names, what QFPay's answer carries for the customer, and the fields the method's page makes required beyond the common ones (checked before anything is sent; a missing one is a `validation` error naming it). How each flow runs end to end: [online-payments.md](online-payments.md).

| pay_type | method | the answer carries | also required |
|---|---|---|---|
");
    for (code, label) in PayType::LABELS {
        let p = PayType::from_code(code);
        let required = p.required_fields().map_or_else(
            || "–".to_owned(),
            |(fields, _)| {
                fields
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        );
        out.push_str(&format!(
            "| `{code}` | {} | {} | {required} |\n",
            cell(label),
            shape_text(p.answer_shape())
        ));
    }
    out.push_str("\n## Legacy codes

Still in QFPay's pay-code source, commented out or from its 2017 documents; whether a merchant account can use them is unknown. The SDK sends them as given (its `Other` pay type), the local sandbox accepts them (unless started with strict pay types), and the answer's shape follows the code's last two digits as above.

| pay_type | method | the answer carries |
|---|---|---|
");
    for (code, label) in LEGACY {
        out.push_str(&format!(
            "| `{code}` | {} | {} |\n",
            cell(label),
            shape_text(PayType::from_code(code).answer_shape())
        ));
    }
    out
}

pub fn files() -> Vec<File> {
    vec![
        ("docs/configuration.md", configuration()),
        ("docs/errors.md", errors()),
        ("docs/pay-types.md", pay_types()),
    ]
}
