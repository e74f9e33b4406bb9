//! The sandbox's start options, read by name from any language through the core's applier
//! (`qfpay::surface::apply::Fields`), as `Sandbox.start` takes them in every binding:
//! `port`, `merchants` (a list of maps with `app_code`, `client_key`, optionally `mchid` and
//! `notify_url`, spelled as the language spells members), `rate_limit` (`false` off, `true` the
//! documented limits, or a map of `per_second`/`per_minute`), `notify_time_scale`,
//! `pending_queries`, `slow_response` (a duration in the language's unit), `strict_pay_types`
//! (a boolean).

use qfpay::surface::schema::SANDBOX_START_OPTIONS;
use qfpay::surface::{Fields, Kind, Lang, Opt, Value};
use qfpay::{Error, Result};

use crate::config::{Merchant, RateLimit, SandboxConfig};

const fn opt(name: &'static str, kind: Kind) -> Opt {
    Opt {
        name,
        kind,
        default: None,
        field: None,
        doc: "",
    }
}

fn start_option(name: &str) -> &'static Opt {
    SANDBOX_START_OPTIONS
        .iter()
        .find(|o| o.name == name)
        .unwrap_or(&SANDBOX_START_OPTIONS[0])
}

fn invalid(field: String, rule: impl Into<String>) -> Error {
    Error::Validation {
        field,
        rule: rule.into(),
    }
}

fn merchant(lang: Lang, v: Value) -> Result<Merchant> {
    let shape = format!(
        "must each be a map of {} and {}",
        lang.option("app_code"),
        lang.option("client_key")
    );
    if !matches!(v, Value::Map(_)) {
        return Err(invalid(lang.option("merchants"), shape));
    }
    let mut f = Fields::new(lang, "a sandbox merchant", v)?;
    let app_code = f.required_text(&opt("app_code", Kind::Text))?;
    let mut m = Merchant::new(app_code, f.required_text(&opt("client_key", Kind::Secret))?);
    if let Some(id) = f.text(&opt("mchid", Kind::Text))? {
        m = m.with_mchid(id);
    }
    if let Some(u) = f.text(&opt("notify_url", Kind::Text))? {
        m = m.with_notify_url(u);
    }
    f.finish()?;
    Ok(m)
}

/// The sandbox configuration from `options` (a map, or null for the defaults) under `lang`'s
/// names and units. A wrong type or an unknown name is a validation error (the valid names
/// listed); a value of the right type that cannot work (port 70000, a negative time scale) a
/// configuration error naming the option by its canonical name ([`Error::in_lang`] spells it).
pub fn config(lang: Lang, options: Value) -> Result<SandboxConfig> {
    let mut f = Fields::new(lang, "the sandbox options", options)?;
    let mut c = SandboxConfig::default();
    if let Some(p) = f.count(start_option("port"))? {
        c.port = u16::try_from(p)
            .map_err(|_| Error::config_option("port", format!("must be 0 to 65535, got {p}")))?;
    }
    match f.take(start_option("merchants")) {
        None => {}
        Some(Value::List(items)) => {
            c.merchants = items
                .into_iter()
                .map(|m| merchant(lang, m))
                .collect::<Result<_>>()?;
        }
        Some(other) => {
            return Err(Error::ArgumentType {
                field: lang.option("merchants"),
                rule: format!(
                    "must be a list of maps of {} and {}, got {}",
                    lang.option("app_code"),
                    lang.option("client_key"),
                    other.type_name(lang)
                ),
            });
        }
    }
    match f.take(start_option("rate_limit")) {
        None => {}
        Some(Value::Bool(false)) => c.rate_limit = None,
        Some(Value::Bool(true)) => c.rate_limit = Some(RateLimit::default()),
        Some(m @ Value::Map(_)) => {
            let mut r = Fields::new(lang, "the rate limit", m)?;
            let d = RateLimit::default();
            c.rate_limit = Some(RateLimit {
                per_second: r
                    .count(&opt("per_second", Kind::Count))?
                    .unwrap_or(d.per_second),
                per_minute: r
                    .count(&opt("per_minute", Kind::Count))?
                    .unwrap_or(d.per_minute),
            });
            r.finish()?;
        }
        Some(other) => {
            return Err(Error::ArgumentType {
                field: lang.option("rate_limit"),
                rule: format!(
                    "must be false, true or a map of {} and {}, got {}",
                    lang.option("per_second"),
                    lang.option("per_minute"),
                    other.type_name(lang)
                ),
            });
        }
    }
    let scale = start_option("notify_time_scale");
    match f.take(scale) {
        None => {}
        Some(Value::Int(i)) if i >= 0 => c.notify_time_scale = i as f64,
        Some(Value::Float(x)) if x.is_finite() && x >= 0.0 => c.notify_time_scale = x,
        Some(Value::Int(_) | Value::Float(_)) => {
            return Err(Error::config_option(
                scale.name,
                "must be a finite number, zero or more",
            ));
        }
        Some(v) => {
            return Err(Error::ArgumentType {
                field: lang.option(scale.name),
                rule: lang.wrong_type(scale.kind, &v.type_name(lang)),
            });
        }
    }
    if let Some(n) = f.count(start_option("pending_queries"))? {
        c.pending_queries = n;
    }
    if let Some(d) = f.duration(start_option("slow_response"))? {
        c.slow_response = d;
    }
    let strict = start_option("strict_pay_types");
    match f.take(strict) {
        None => {}
        Some(Value::Bool(b)) => c.strict_pay_types = b,
        Some(v) => {
            return Err(Error::ArgumentType {
                field: lang.option(strict.name),
                rule: lang.wrong_type(strict.kind, &v.type_name(lang)),
            });
        }
    }
    f.finish()?;
    Ok(c)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    fn map(pairs: Vec<(&str, Value)>) -> Value {
        Value::Map(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    #[test]
    fn every_option_in_each_languages_names() {
        let merchant = |lang: Lang| {
            Value::List(vec![map(vec![
                (&lang.option("app_code"), Value::Text("APP".into())),
                (&lang.option("client_key"), Value::Text("KEY".into())),
            ])])
        };
        let c = config(
            Lang::Node,
            map(vec![
                ("port", Value::Int(0)),
                ("merchants", merchant(Lang::Node)),
                ("rateLimit", Value::Bool(false)),
                ("notifyTimeScale", Value::Float(0.01)),
                ("pendingQueries", Value::Int(2)),
                ("slowResponseMs", Value::Int(250)),
            ]),
        )
        .unwrap();
        assert!(c.rate_limit.is_none());
        assert_eq!(c.merchants.len(), 1);
        assert_eq!(c.pending_queries, 2);
        assert_eq!(c.slow_response, std::time::Duration::from_millis(250));
        let c = config(
            Lang::Python,
            map(vec![
                ("merchants", merchant(Lang::Python)),
                ("slow_response", Value::Float(0.25)),
            ]),
        )
        .unwrap();
        assert_eq!(c.slow_response, std::time::Duration::from_millis(250));
        assert!(c.rate_limit.is_some(), "on by default");
    }

    #[test]
    fn wrong_and_unknown_names_are_refused() {
        let e = config(Lang::Php, map(vec![("slowResponse", Value::Int(1))])).unwrap_err();
        assert_eq!(e.field(), Some("slowResponse"));
        assert!(e.rule().unwrap().contains("slowResponseMs"), "{e}");
        let e = config(Lang::Node, map(vec![("port", Value::Int(70000))])).unwrap_err();
        assert_eq!(e.code(), "config");
        let e = config(
            Lang::Node,
            map(vec![("notifyTimeScale", Value::Float(-1.0))]),
        )
        .unwrap_err()
        .in_lang(Lang::Node);
        assert_eq!((e.code(), e.field()), ("config", Some("notifyTimeScale")));
        let e = config(
            Lang::Node,
            map(vec![("rateLimit", Value::Text("x".into()))]),
        )
        .unwrap_err();
        assert!(e.is_wrong_type());
    }
}
