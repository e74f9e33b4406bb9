//! Refund rules: the ways QFPay refuses or delays refunds, each switchable and all off by
//! default (see the README's "Refund rules").

use chrono::{NaiveDateTime, NaiveTime, TimeDelta, Timelike};
use serde_json::{Value, json};

/// Card pay types whose same-day refund is a void and must be full (`1124`): Visa /
/// Mastercard online and offline, UnionPay card offline, American Express offline.
pub const CARD_PAY_TYPES: &[&str] = &["802801", "802808", "806708", "806808"];

/// FPS.
pub const FPS_PAY_TYPE: &str = "802001";

/// QFPay's text for a refund past the refund period (`1265`, final).
pub const PERIOD_EXCEEDED: &str = "已經超出可退款時限(1265)";

/// Which refund rules apply. `RefundRules::default()` turns every one off: the sandbox then
/// refunds as it always did (only the hard refusals 1251, 1261, 1264, 1268 and 1272).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefundRules {
    /// Refuse refunds between 23:30 and 00:30 on the sandbox clock (UTC+8) with `1265`
    /// (retry after 00:30).
    pub time_window: bool,
    /// Refuse refunds of payments older than this many days with `1265` "已經超出可退款時限"
    /// (final); `None`: no limit.
    pub refund_period_days: Option<u32>,
    /// Refunds draw on the merchant's same-day (sandbox day) paid amount of the payment's pay
    /// type and currency, less that day's refunds; beyond it `1269` naming what is available.
    pub daily_unsettled: bool,
    /// Currencies that refuse partial refunds (`1270`).
    pub no_partial_currencies: Vec<String>,
    /// Pay types that refuse partial refunds (`1271`).
    pub no_partial_pay_types: Vec<String>,
    /// A same-day refund of a card payment ([`CARD_PAY_TYPES`]) is a void and must be full
    /// (`1124`).
    pub card_void_full: bool,
    /// Refuse refunds of FPS (802001) payments older than this many days (a third party saw
    /// 29) with `1265` "已經超出可退款時限"; `None`: no limit.
    pub fps_refund_days: Option<u32>,
    /// A new refund answers `1143` and queries of it show `respcd 1143` for this many queries,
    /// then it settles (`0000`, notification sent); 0: refunds settle at once.
    pub pending_queries: u32,
}

/// What the rules decide about one refund request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `respcd`.
    pub respcd: &'static str,
    /// `resperr`.
    pub resperr: String,
    /// `respmsg`.
    pub respmsg: &'static str,
}

/// The facts about a refund request the rules look at.
#[derive(Debug, Clone)]
pub struct RefundFacts<'a> {
    /// Sandbox time now.
    pub now: NaiveDateTime,
    /// The payment's creation time (sandbox clock).
    pub paid_at: NaiveDateTime,
    /// The payment's pay type.
    pub pay_type: &'a str,
    /// The payment's currency.
    pub currency: &'a str,
    /// The payment's amount.
    pub payment_amount: i64,
    /// Already refunded from it (pending refunds included).
    pub refunded: i64,
    /// Asked for now.
    pub amount: i64,
    /// The same-day amount available for refunds (only computed when `daily_unsettled`).
    pub available_today: i64,
}

/// Formats minor units as a major-unit amount of `currency` (`1050` HKD → `10.50`).
pub fn major(amount: i64, currency: &str) -> String {
    let exp = qfpay::Currency::parse(currency).map_or(2, |c| c.exponent());
    if exp == 0 {
        return amount.to_string();
    }
    let div = 10i64.pow(exp);
    let sign = if amount < 0 { "-" } else { "" };
    let a = amount.unsigned_abs();
    let d = div.unsigned_abs();
    format!("{sign}{}.{:0w$}", a / d, a % d, w = exp as usize)
}

/// Whether `t` (sandbox time) is inside 23:30–00:30.
pub fn in_window(t: NaiveDateTime) -> bool {
    let secs = t.time().num_seconds_from_midnight();
    let start =
        NaiveTime::from_hms_opt(23, 30, 0).map_or(84_600, |s| s.num_seconds_from_midnight());
    secs >= start || secs < 30 * 60
}

fn older_than(f: &RefundFacts<'_>, days: u32) -> bool {
    f.now - f.paid_at > TimeDelta::days(i64::from(days))
}

impl RefundRules {
    /// The first rule that refuses this refund, in QFPay's likely order: the time window, the
    /// refund period and FPS age, partial refunds by currency then pay type, same-day card
    /// voids, the day's unsettled amount.
    pub fn check(&self, f: &RefundFacts<'_>) -> Option<Refusal> {
        if self.time_window && in_window(f.now) {
            return Some(Refusal {
                respcd: "1265",
                resperr: "Refunds are not accepted between 23:30 and 00:30, please try again after 00:30(1265)".into(),
                respmsg: "refund not allowed now",
            });
        }
        let period = self.refund_period_days.is_some_and(|d| older_than(f, d));
        let fps =
            f.pay_type == FPS_PAY_TYPE && self.fps_refund_days.is_some_and(|d| older_than(f, d));
        if period || fps {
            return Some(Refusal {
                respcd: "1265",
                resperr: PERIOD_EXCEEDED.into(),
                respmsg: "cannot be refunded",
            });
        }
        let partial = f.refunded > 0 || f.amount < f.payment_amount;
        if partial && self.no_partial_currencies.iter().any(|c| c == f.currency) {
            return Some(Refusal {
                respcd: "1270",
                resperr: format!(
                    "Currency {} does not support partial refunds(1270)",
                    f.currency
                ),
                respmsg: "currency does not support partial refunds",
            });
        }
        if partial && self.no_partial_pay_types.iter().any(|p| p == f.pay_type) {
            return Some(Refusal {
                respcd: "1271",
                resperr: "Transaction does not support partial refunds(1271)".into(),
                respmsg: "transaction does not support partial refunds",
            });
        }
        if partial
            && self.card_void_full
            && CARD_PAY_TYPES.contains(&f.pay_type)
            && f.now.date() == f.paid_at.date()
        {
            return Some(Refusal {
                respcd: "1124",
                resperr: "For void request, it must be a full refund, please refund the full amount or try again tomorrow(1124)".into(),
                respmsg: "invalid transaction",
            });
        }
        if self.daily_unsettled && f.amount > f.available_today {
            return Some(Refusal {
                respcd: "1269",
                resperr: format!(
                    "Today this payment method refundable balance is {} {}, please try again after the data update at 11 AM(1269)",
                    major(f.available_today.max(0), f.currency),
                    f.currency
                ),
                respmsg: "today's unsettled amount is insufficient",
            });
        }
        None
    }

    /// As JSON (`GET /sandbox/health`, `POST /sandbox/config`).
    pub fn to_json(&self) -> Value {
        json!({
            "time_window": self.time_window,
            "refund_period_days": self.refund_period_days,
            "daily_unsettled": self.daily_unsettled,
            "no_partial_currencies": self.no_partial_currencies,
            "no_partial_pay_types": self.no_partial_pay_types,
            "card_void_full": self.card_void_full,
            "fps_refund_days": self.fps_refund_days,
            "pending_queries": self.pending_queries,
        })
    }

    /// Applies a JSON object's keys (the same names as [`RefundRules::to_json`]) over these
    /// rules; unknown keys and wrong types are refused with a message, leaving `self` as it was.
    pub fn apply_json(&mut self, v: &Value) -> Result<(), String> {
        let Some(obj) = v.as_object() else {
            return Err("\"refund_rules\" must be a JSON object".into());
        };
        let mut next = self.clone();
        for (k, val) in obj {
            let bool_of = || {
                val.as_bool()
                    .ok_or_else(|| format!("refund_rules.{k} must be true or false"))
            };
            let days = || -> Result<Option<u32>, String> {
                if val.is_null() {
                    return Ok(None);
                }
                val.as_u64()
                    .and_then(|d| u32::try_from(d).ok())
                    .map(Some)
                    .ok_or_else(|| {
                        format!("refund_rules.{k} must be a whole number of days or null")
                    })
            };
            let list = || -> Result<Vec<String>, String> {
                let err = || format!("refund_rules.{k} must be a list of strings");
                val.as_array()
                    .ok_or_else(err)?
                    .iter()
                    .map(|s| s.as_str().map(|s| s.trim().to_owned()).ok_or_else(err))
                    .collect()
            };
            match k.as_str() {
                "time_window" => next.time_window = bool_of()?,
                "refund_period_days" => next.refund_period_days = days()?,
                "daily_unsettled" => next.daily_unsettled = bool_of()?,
                "no_partial_currencies" => {
                    next.no_partial_currencies = list()?
                        .into_iter()
                        .map(|c| c.to_ascii_uppercase())
                        .collect();
                }
                "no_partial_pay_types" => next.no_partial_pay_types = list()?,
                "card_void_full" => next.card_void_full = bool_of()?,
                "fps_refund_days" => next.fps_refund_days = days()?,
                "pending_queries" => {
                    next.pending_queries = val
                        .as_u64()
                        .and_then(|n| u32::try_from(n).ok())
                        .ok_or("refund_rules.pending_queries must be a non-negative integer")?;
                }
                other => {
                    return Err(format!(
                        "unknown refund rule {other:?}; settable: time_window, refund_period_days, daily_unsettled, no_partial_currencies, no_partial_pay_types, card_void_full, fps_refund_days, pending_queries"
                    ));
                }
            }
        }
        *self = next;
        Ok(())
    }

    /// Every rule on, with the values a realistic account would have: the window, no period,
    /// the day's amount, no partial lists, card voids, FPS 29 days, 2 pending queries.
    pub fn qfpay_like() -> Self {
        Self {
            time_window: true,
            refund_period_days: None,
            daily_unsettled: true,
            no_partial_currencies: Vec::new(),
            no_partial_pay_types: Vec::new(),
            card_void_full: true,
            fps_refund_days: Some(29),
            pending_queries: 2,
        }
    }

    /// Parses the CLI's `--refund-rules` value: `off`, `qfpay`, or a JSON object as
    /// `POST /sandbox/config {"refund_rules": ...}` takes.
    pub fn parse_spec(spec: &str) -> Result<Self, String> {
        match spec.trim() {
            "" | "off" | "none" => Ok(Self::default()),
            "qfpay" | "all" => Ok(Self::qfpay_like()),
            s => {
                let v: Value = serde_json::from_str(s).map_err(|e| {
                    format!(
                        "invalid refund rules {s:?}: expected off, qfpay or a JSON object ({e})"
                    )
                })?;
                let mut r = Self::default();
                r.apply_json(&v)?;
                Ok(r)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn facts<'a>(now: &str, paid: &str, pay_type: &'a str, amount: i64) -> RefundFacts<'a> {
        RefundFacts {
            now: at(now),
            paid_at: at(paid),
            pay_type,
            currency: "HKD",
            payment_amount: 1000,
            refunded: 0,
            amount,
            available_today: 1000,
        }
    }

    #[test]
    fn off_refuses_nothing() {
        let r = RefundRules::default();
        let f = facts("2026-01-01 23:45:00", "2025-01-01 10:00:00", "802001", 1);
        assert_eq!(r.check(&f), None);
    }

    #[test]
    fn window() {
        let r = RefundRules {
            time_window: true,
            ..RefundRules::default()
        };
        for (t, refused) in [
            ("2026-01-01 23:29:59", false),
            ("2026-01-01 23:30:00", true),
            ("2026-01-02 00:29:59", true),
            ("2026-01-02 00:30:00", false),
        ] {
            let f = facts(t, "2026-01-01 10:00:00", "800201", 1000);
            assert_eq!(r.check(&f).is_some(), refused, "{t}");
        }
        let f = facts("2026-01-01 23:45:00", "2026-01-01 10:00:00", "800201", 1000);
        let refusal = r.check(&f).unwrap();
        let wait = qfpay::model::refund::retry_after_1265(f.now, &refusal.resperr, refusal.respmsg);
        assert_eq!(wait, Some(std::time::Duration::from_secs(45 * 60)));
    }

    #[test]
    fn period_fps_partial_card_daily() {
        let r = RefundRules {
            refund_period_days: Some(90),
            fps_refund_days: Some(29),
            no_partial_currencies: vec!["HKD".into()],
            ..RefundRules::default()
        };
        let old = facts("2026-05-01 10:00:00", "2026-01-01 10:00:00", "800201", 1000);
        assert_eq!(
            r.check(&old).map(|x| x.resperr),
            Some(PERIOD_EXCEEDED.to_owned())
        );
        let fps = facts("2026-02-01 10:00:00", "2026-01-01 10:00:00", "802001", 1000);
        assert_eq!(r.check(&fps).map(|x| x.respcd), Some("1265"));
        let fps_young = facts("2026-01-20 10:00:00", "2026-01-01 10:00:00", "802001", 1000);
        assert_eq!(r.check(&fps_young), None);
        let part = facts("2026-01-02 10:00:00", "2026-01-01 10:00:00", "800201", 10);
        assert_eq!(r.check(&part).map(|x| x.respcd), Some("1270"));

        let r = RefundRules {
            no_partial_pay_types: vec!["805801".into()],
            card_void_full: true,
            daily_unsettled: true,
            ..RefundRules::default()
        };
        let part = facts("2026-01-02 10:00:00", "2026-01-01 10:00:00", "805801", 10);
        assert_eq!(r.check(&part).map(|x| x.respcd), Some("1271"));
        let card = facts("2026-01-01 12:00:00", "2026-01-01 10:00:00", "802808", 10);
        assert_eq!(r.check(&card).map(|x| x.respcd), Some("1124"));
        let card_next_day = facts("2026-01-02 12:00:00", "2026-01-01 10:00:00", "802808", 10);
        assert_eq!(r.check(&card_next_day), None);
        let mut over = facts("2026-01-02 12:00:00", "2026-01-01 10:00:00", "800201", 1000);
        over.available_today = 250;
        let refusal = r.check(&over).unwrap();
        assert_eq!(refusal.respcd, "1269");
        assert!(refusal.resperr.contains("2.50 HKD"), "{}", refusal.resperr);
    }

    #[test]
    fn json_and_specs() {
        let mut r = RefundRules::default();
        r.apply_json(
            &json!({"time_window": true, "no_partial_currencies": ["jpy"], "fps_refund_days": 29}),
        )
        .unwrap();
        assert!(r.time_window);
        assert_eq!(r.no_partial_currencies, vec!["JPY".to_owned()]);
        assert_eq!(r.to_json()["fps_refund_days"], json!(29));
        let before = r.clone();
        assert!(
            r.apply_json(&json!({"time_window": true, "bogus": 1}))
                .is_err()
        );
        assert!(r.apply_json(&json!({"pending_queries": -1})).is_err());
        assert_eq!(r, before);
        assert_eq!(RefundRules::parse_spec("off"), Ok(RefundRules::default()));
        assert_eq!(
            RefundRules::parse_spec("qfpay"),
            Ok(RefundRules::qfpay_like())
        );
        assert_eq!(
            RefundRules::parse_spec("{\"pending_queries\": 3}").map(|r| r.pending_queries),
            Ok(3)
        );
        assert!(RefundRules::parse_spec("nope").is_err());
        assert_eq!(major(1050, "HKD"), "10.50");
        assert_eq!(major(5, "HKD"), "0.05");
        assert_eq!(major(1050, "JPY"), "1050");
    }
}
