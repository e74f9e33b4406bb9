//! `QFPAY_LOG`: the one logging setting every language reads, parsed by one rule.
//!
//! The value is a comma-separated list of directives, each one of:
//! - `LEVEL`: every target at that level (`qfpay=LEVEL` in effect, since only the SDK's own
//!   targets are read by the bindings; the CLI also applies it to the sandbox and itself);
//! - `TARGET=LEVEL`: that target and the targets below it (`qfpay::http`, `qfpay::reconcile`,
//!   `qfpay::config`, or any other `tracing` target for the CLI);
//! - `TARGET` alone: that target at `trace`.
//!
//! `LEVEL` is `off`, `error`, `warn` (or `warning`), `info`, `debug` or `trace`, in any case. The
//! most specific directive for a target wins. An empty or unset value means no logging.
//!
//! A value that does not follow this syntax never fails a call: logging stays off and the
//! binding reports one warning (see [`EnvLog`]). The warning names the directive's position and
//! what is wrong with it, never the value itself (it could be a secret pasted in the wrong place).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::events::{EventKind, Level};

/// The environment variable: `QFPAY_LOG`.
pub const ENV: &str = "QFPAY_LOG";

/// The targets the SDK's events and warnings are emitted under.
pub const SDK_TARGETS: [&str; 3] = ["qfpay::http", "qfpay::reconcile", "qfpay::config"];

/// A parsed `QFPAY_LOG` value. `None` as a level means `off`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogFilter {
    default: Option<Option<Level>>,
    directives: Vec<(String, Option<Level>)>,
}

/// The level names accepted, for messages.
const LEVELS: &str = "off, error, warn, info, debug or trace";

fn parse_level(word: &str) -> Option<Option<Level>> {
    if word.trim().eq_ignore_ascii_case("off") {
        return Some(None);
    }
    Level::parse(word).map(Some)
}

fn valid_target(t: &str) -> bool {
    !t.is_empty()
        && t.split("::").all(|seg| {
            let mut chars = seg.chars();
            chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, r) if r != 11 => "st",
        (2, r) if r != 12 => "nd",
        (3, r) if r != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

impl LogFilter {
    /// Parses a `QFPAY_LOG` value. `Ok(None)`: empty, `off`, or every directive off. The error
    /// says which directive is wrong and why, without quoting the value.
    pub fn parse(spec: &str) -> Result<Option<LogFilter>, String> {
        let mut filter = LogFilter::default();
        for (i, raw) in spec.split(',').enumerate() {
            let d = raw.trim();
            if d.is_empty() {
                continue;
            }
            let bad = |why: &str| {
                Err(format!(
                    "{ENV}: the {} directive {why}; logging stays off (the syntax: LEVEL, TARGET=LEVEL or TARGET, separated by commas; LEVEL is {LEVELS})",
                    ordinal(i + 1)
                ))
            };
            match d.split_once('=') {
                Some((target, level)) => {
                    let target = target.trim();
                    if !valid_target(target) {
                        return bad(
                            "has no valid target before `=` (a target is a path such as qfpay or qfpay::http)",
                        );
                    }
                    let Some(level) = parse_level(level) else {
                        return bad(&format!("has an unknown level after `=` (use {LEVELS})"));
                    };
                    filter.directives.push((target.to_owned(), level));
                }
                None => match parse_level(d) {
                    Some(level) => filter.default = Some(level),
                    None if valid_target(d) => {
                        filter.directives.push((d.to_owned(), Some(Level::Trace)))
                    }
                    None => return bad(&format!("is neither a level ({LEVELS}) nor a target")),
                },
            }
        }
        // Most specific first, so `level_for` takes the first match.
        filter
            .directives
            .sort_by_key(|d| std::cmp::Reverse(d.0.len()));
        Ok(
            (filter.max_level().is_some() || filter.directives.iter().any(|d| d.1.is_some()))
                .then_some(filter),
        )
    }

    /// The level `target` is logged at, or `None` when it is off. A directive's target matches
    /// itself and every target below it (`qfpay` matches `qfpay::http`, not `qfpay_cli`).
    pub fn level_for(&self, target: &str) -> Option<Level> {
        self.directives
            .iter()
            .find(|(t, _)| {
                target == t
                    || target
                        .strip_prefix(t.as_str())
                        .is_some_and(|rest| rest.starts_with("::"))
            })
            .map(|(_, l)| *l)
            .unwrap_or_else(|| self.default.flatten())
    }

    /// The most verbose level any of the SDK's targets ([`SDK_TARGETS`]) is logged at, or
    /// `None` when all of them are off: what a binding's observer answers `enabled` with.
    pub fn max_level(&self) -> Option<Level> {
        SDK_TARGETS.iter().filter_map(|t| self.level_for(t)).min()
    }

    /// Whether an event of `kind` passes: its target's level is at least as verbose as the
    /// kind's (bodies need `trace`).
    pub fn allows(&self, kind: EventKind) -> bool {
        self.level_for(kind.target())
            .is_some_and(|l| l <= kind.level())
    }

    /// Whether a configuration warning (target `qfpay::config`, level warn) passes.
    pub fn allows_config_warnings(&self) -> bool {
        self.level_for("qfpay::config")
            .is_some_and(|l| l <= Level::Warn)
    }

    /// The same filter as `tracing` directives (for the CLI's subscriber). A bare level applies
    /// to `crates`, the CLI's own crates (whose names `tracing` uses as targets).
    pub fn tracing_directives(&self, crates: &[&str]) -> String {
        let name = |l: Option<Level>| l.map_or("off", Level::as_str);
        let mut out: Vec<String> = Vec::new();
        if let Some(l) = self.default {
            out.extend(crates.iter().map(|c| format!("{c}={}", name(l))));
        }
        // Less specific first: `tracing` lets the most specific directive win either way.
        out.extend(
            self.directives
                .iter()
                .rev()
                .map(|(t, l)| format!("{t}={}", name(*l))),
        );
        out.join(",")
    }
}

/// `QFPAY_LOG` as read from this process's environment, once.
#[derive(Debug)]
pub struct EnvLog {
    /// The filter, or `None` for no logging (unset, empty, `off`, or unusable).
    pub filter: Option<LogFilter>,
    warning: Option<String>,
    warned: AtomicBool,
}

impl EnvLog {
    /// From a value (`None`: the variable is unset or not UTF-8 text).
    pub fn from_value(value: Option<&str>) -> Self {
        let (filter, warning) = match value.map(LogFilter::parse) {
            None | Some(Ok(None)) => (None, None),
            Some(Ok(Some(f))) => (Some(f), None),
            Some(Err(w)) => (None, Some(w)),
        };
        Self {
            filter,
            warning,
            warned: AtomicBool::new(false),
        }
    }

    /// The warning about an unusable value, the first time it is asked for in this process
    /// (later calls get `None`), so each binding reports it once.
    pub fn take_warning(&self) -> Option<&str> {
        match &self.warning {
            Some(w) if !self.warned.swap(true, Ordering::AcqRel) => Some(w),
            _ => None,
        }
    }

    /// The warning, whether or not it was taken.
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }
}

/// `QFPAY_LOG` from the environment, read on the first call and kept for the process.
pub fn env_log() -> &'static EnvLog {
    static ENV_LOG: OnceLock<EnvLog> = OnceLock::new();
    ENV_LOG.get_or_init(|| {
        let value = std::env::var_os(ENV).map(|v| v.into_string());
        match value {
            None => EnvLog::from_value(None),
            Some(Ok(v)) => EnvLog::from_value(Some(&v)),
            Some(Err(_)) => EnvLog {
                filter: None,
                warning: Some(format!("{ENV} is not UTF-8 text; logging stays off")),
                warned: AtomicBool::new(false),
            },
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> LogFilter {
        LogFilter::parse(s).unwrap().unwrap()
    }

    #[test]
    fn levels_and_filters() {
        assert_eq!(f("debug").max_level(), Some(Level::Debug));
        assert_eq!(f("WARNING").max_level(), Some(Level::Warn));
        assert_eq!(f("qfpay=debug").max_level(), Some(Level::Debug));
        assert_eq!(
            f("qfpay::http=trace").level_for("qfpay::http"),
            Some(Level::Trace)
        );
        assert_eq!(f("qfpay::http=trace").level_for("qfpay::reconcile"), None);
        assert_eq!(f("qfpay::http=trace").max_level(), Some(Level::Trace));
        let x = f("info, qfpay::reconcile=off ,qfpay=debug");
        assert_eq!(x.level_for("qfpay::http"), Some(Level::Debug));
        assert_eq!(x.level_for("qfpay::reconcile"), None);
        assert_eq!(x.level_for("hyper"), Some(Level::Info));
        assert!(x.allows(EventKind::Request));
        assert!(!x.allows(EventKind::StatusUnknown));
        assert_eq!(f("qfpay").level_for("qfpay::http"), Some(Level::Trace));
        // Path segments, not string prefixes.
        assert_eq!(f("qfpay=debug").level_for("qfpay_cli"), None);
        assert_eq!(f("hyper=debug").max_level(), None);
        assert!(f("warn").allows(EventKind::Reconcile));
        assert!(!f("warn").allows(EventKind::Retry));
        assert!(f("warn").allows_config_warnings());
        assert!(!f("error").allows_config_warnings());
    }

    #[test]
    fn off_and_empty() {
        for s in ["", "  ", "off", "OFF", ",", "qfpay=off"] {
            assert_eq!(LogFilter::parse(s), Ok(None), "{s:?}");
        }
    }

    #[test]
    fn unusable_values_name_the_directive_not_the_value() {
        for (s, n) in [
            ("qfpay=nonsense[[", "1st"),
            ("debug,SECRETKEY123=", "2nd"),
            ("x,y,SECRET KEY 123", "3rd"),
            ("a b", "1st"),
            ("=debug", "1st"),
            ("qfpay[span]=debug", "1st"),
        ] {
            let e = LogFilter::parse(s).unwrap_err();
            assert!(e.contains(&format!("the {n} directive")), "{s:?}: {e}");
            assert!(!e.contains("SECRET") && !e.contains("nonsense"), "{e}");
            assert!(e.contains("logging stays off"), "{e}");
        }
    }

    #[test]
    fn tracing_directives() {
        let c = ["qfpay", "qfpay_cli"];
        assert_eq!(
            f("debug").tracing_directives(&c),
            "qfpay=debug,qfpay_cli=debug"
        );
        assert_eq!(
            f("qfpay=info,qfpay::http=trace").tracing_directives(&c),
            "qfpay=info,qfpay::http=trace"
        );
    }

    #[test]
    fn the_warning_is_given_once() {
        let e = EnvLog::from_value(Some("qfpay=loud"));
        assert!(e.filter.is_none());
        assert!(e.take_warning().is_some());
        assert!(e.take_warning().is_none());
        assert!(e.warning().is_some());
        let ok = EnvLog::from_value(Some("debug"));
        assert!(ok.filter.is_some() && ok.take_warning().is_none());
        assert!(EnvLog::from_value(None).filter.is_none());
    }
}
