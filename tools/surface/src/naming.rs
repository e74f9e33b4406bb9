//! `docs/NAMING.md`: every option, argument, operation, result field and error class under
//! each language's name, side by side.

use qfpay::surface::schema::{RESULTS, SANDBOX_START_OPTIONS};
use qfpay::surface::{
    CALL_OPTIONS, CLIENT_OPTIONS, ERROR_DOCS, LANGS, Lang, OPERATIONS, Opt, WAIT_OPTIONS,
};

use crate::File;
use crate::types::render;

/// A table's head: `first`, a column per language, then `after`.
pub(crate) fn header_with(out: &mut String, first: &str, after: &[&str]) {
    out.push_str(&format!("| {first} |"));
    for l in LANGS {
        out.push_str(&format!(" {} |", l.name()));
    }
    for column in after {
        out.push_str(&format!(" {column} |"));
    }
    out.push_str("\n|---|");
    for _ in 0..LANGS.len() + after.len() {
        out.push_str("---|");
    }
    out.push('\n');
}

pub(crate) fn header(out: &mut String, first: &str) {
    header_with(out, first, &["about"]);
}

fn options(out: &mut String, title: &str, table: &[Opt]) {
    out.push_str(&format!("\n## {title}\n\n"));
    header(out, "option");
    for o in table {
        out.push_str(&format!("| `{}` |", o.name));
        for l in LANGS {
            let name = if o.field.is_some() {
                l.member(o.name)
            } else {
                l.option(o.name)
            };
            let unit = if o.kind == qfpay::surface::Kind::Duration {
                format!(" ({})", render(*l, "duration"))
            } else {
                String::new()
            };
            out.push_str(&format!(" `{name}`{unit} |"));
        }
        let default = o
            .default
            .map(|d| format!(" Default: {d}."))
            .unwrap_or_default();
        let field = match o.field {
            Some(f) if f != o.name => format!(" QFPay field `{f}`."),
            _ => String::new(),
        };
        out.push_str(&format!(" {}{field}{default} |\n", o.doc));
    }
}

/// The files this module writes.
pub fn files() -> Vec<File> {
    let mut out = crate::banner("<!--");
    out.push_str(
        "# Names across languages\n\nOne concept, one name per language convention: snake_case in Rust and Python, lowerCamelCase in Node, the JVM and PHP; durations are `std::time::Duration` in Rust, seconds (int or float) in Python, milliseconds with the suffix `Ms` in Node and PHP, `java.time.Duration` on the JVM. Amounts are integer minor units everywhere. Request fields keep their QFPay meaning; errors name the QFPay field (`txamt` for `amount`).\n",
    );
    options(&mut out, "Client options", CLIENT_OPTIONS);
    options(&mut out, "Per-call options", CALL_OPTIONS);
    options(&mut out, "Wait options (`wait_for_payment`)", WAIT_OPTIONS);
    options(&mut out, "Sandbox start options", SANDBOX_START_OPTIONS);
    out.push_str("\n## Operations\n\n");
    header(&mut out, "operation");
    for op in OPERATIONS {
        out.push_str(&format!("| `{}` |", op.name));
        for l in LANGS {
            let name = match (*l, op.name) {
                (Lang::Jvm, "close") => "closeOrder".to_owned(),
                (l, n) => l.member(n),
            };
            out.push_str(&format!(" `{name}` |"));
        }
        out.push_str(&format!(" {} Returns `{}`. |\n", op.doc, op.returns));
    }
    for op in OPERATIONS {
        let fields: Vec<Opt> = op.args.iter().chain(op.optional()).copied().collect();
        options(&mut out, &format!("Arguments of `{}`", op.name), &fields);
    }
    for (name, doc, fields) in RESULTS {
        out.push_str(&format!("\n## `{name}`\n\n{doc}\n\n"));
        header(&mut out, "field");
        for f in *fields {
            out.push_str(&format!("| `{}` |", f.name));
            for l in LANGS {
                out.push_str(&format!(
                    " `{}`: `{}` |",
                    l.member(f.name),
                    render(*l, f.ty)
                ));
            }
            out.push_str(&format!(" {} |\n", f.doc));
        }
    }
    out.push_str("\n## Errors\n\n");
    header(&mut out, "code");
    out.push_str("| (base) |");
    for l in LANGS {
        out.push_str(&format!(" `{}` |", l.error_class(None)));
    }
    out.push_str(" Every error. |\n");
    for (code, doc) in ERROR_DOCS {
        out.push_str(&format!("| `{code}` |"));
        for l in LANGS {
            out.push_str(&format!(" `{}` |", l.error_class(Some(code))));
        }
        out.push_str(&format!(" {doc} |\n"));
    }
    vec![("docs/NAMING.md", out)]
}
