//! History seeding (`POST /sandbox/seed`): paid payments spread over a date range, some
//! refunded (fully or partly), some merchant orders paid several times — written straight
//! into a merchant's book, deterministic for a given `seed`.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use crate::SandboxError;
use crate::app::Shared;
use crate::state::{Order, fmt_time, lock};

/// The most payments one seed call creates.
pub const MAX_SEED_ORDERS: u64 = 1_000_000;

/// The most duplicated `out_trade_no`s the seed summary lists.
pub const MAX_LISTED_DUPLICATES: usize = 100;

/// Pay types seeded payments use, with their currencies.
const PAY_TYPES: &[(&str, &[&str])] = &[
    ("800201", &["HKD", "CNY"]),
    ("800101", &["HKD", "CNY"]),
    ("805801", &["HKD"]),
    ("802001", &["HKD"]),
    ("802808", &["HKD"]),
    ("800008", &["HKD"]),
];

/// How many seeded payments get a refund.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Refunds {
    /// This share of the payments (0.0 to 1.0), rounded down.
    Fraction(f64),
    /// This many payments.
    Count(u64),
}

/// What to seed.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedRequest {
    /// Paid payments to create (duplicates not counted).
    pub orders: u64,
    /// First day (sandbox calendar, UTC+8).
    pub from: Option<NaiveDate>,
    /// Last day, at most today; `from` and `to` default to the 30 days ending today.
    pub to: Option<NaiveDate>,
    /// Payments refunded: half of them fully, the others partly.
    pub refunds: Refunds,
    /// Merchant orders paid two or three times under one `out_trade_no`.
    pub duplicates: u64,
    /// The merchant's app code; the first merchant when absent.
    pub merchant: Option<String>,
    /// The random seed; a random one (reported in the summary) when absent.
    pub seed: Option<u64>,
}

impl SeedRequest {
    /// `orders` payments over the 30 days ending today, nothing else.
    pub fn new(orders: u64) -> Self {
        Self {
            orders,
            from: None,
            to: None,
            refunds: Refunds::Count(0),
            duplicates: 0,
            merchant: None,
            seed: None,
        }
    }

    /// Reads `{"orders", "from", "to", "refunds", "duplicates", "merchant", "seed"}`.
    pub fn from_json(v: &Value) -> Result<Self, String> {
        let count = |k: &str| -> Result<Option<u64>, String> {
            match v.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(n) => n
                    .as_u64()
                    .map(Some)
                    .ok_or_else(|| format!("\"{k}\" must be a non-negative integer")),
            }
        };
        let date = |k: &str| -> Result<Option<NaiveDate>, String> {
            match v.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(d) => d
                    .as_str()
                    .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
                    .map(Some)
                    .ok_or_else(|| format!("\"{k}\" must be a date YYYY-MM-DD")),
            }
        };
        let refunds = match v.get("refunds") {
            None | Some(Value::Null) => Refunds::Count(0),
            Some(n) if n.is_u64() => Refunds::Count(n.as_u64().unwrap_or(0)),
            Some(n) => match n.as_f64() {
                Some(f) if (0.0..=1.0).contains(&f) => Refunds::Fraction(f),
                _ => {
                    return Err(
                        "\"refunds\" must be a count (integer) or a fraction from 0.0 to 1.0"
                            .into(),
                    );
                }
            },
        };
        let merchant = match v.get("merchant") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Some(_) => return Err("\"merchant\" must be an app code".into()),
        };
        let orders = count("orders")?.ok_or("\"orders\" (the number of payments) is required")?;
        if orders > MAX_SEED_ORDERS {
            return Err(format!("\"orders\" must be at most {MAX_SEED_ORDERS}"));
        }
        if let Some(obj) = v.as_object()
            && let Some(k) = obj.keys().find(|k| {
                ![
                    "orders",
                    "from",
                    "to",
                    "refunds",
                    "duplicates",
                    "merchant",
                    "seed",
                ]
                .contains(&k.as_str())
            })
        {
            return Err(format!(
                "unknown key {k:?}; send orders, from, to, refunds, duplicates, merchant, seed"
            ));
        }
        Ok(Self {
            orders,
            from: date("from")?,
            to: date("to")?,
            refunds,
            duplicates: count("duplicates")?.unwrap_or(0),
            merchant,
            seed: count("seed")?,
        })
    }

    /// Parses the CLI's `--seed N[,FROM,TO[,REFUNDS[,DUPLICATES]]]`: REFUNDS is a count, or a
    /// fraction when it has a decimal point (`0.1`); FROM and TO are `YYYY-MM-DD`.
    pub fn parse_spec(spec: &str) -> Result<Self, String> {
        let usage = || {
            format!(
                "invalid seed {spec:?}: expected N[,FROM,TO[,REFUNDS[,DUPLICATES]]], e.g. 1000,2026-01-01,2026-03-31,0.1,5"
            )
        };
        let parts: Vec<&str> = spec.split(',').map(str::trim).collect();
        let mut v = serde_json::Map::new();
        let n: u64 = parts
            .first()
            .and_then(|p| p.parse().ok())
            .ok_or_else(usage)?;
        v.insert("orders".into(), json!(n));
        match parts.len() {
            1 => {}
            3..=5 => {
                v.insert("from".into(), json!(parts[1]));
                v.insert("to".into(), json!(parts[2]));
            }
            _ => return Err(usage()),
        }
        if let Some(r) = parts.get(3) {
            let r = if r.contains('.') {
                r.parse::<f64>().ok().map(|f| json!(f))
            } else {
                r.parse::<u64>().ok().map(|c| json!(c))
            };
            v.insert("refunds".into(), r.ok_or_else(usage)?);
        }
        if let Some(d) = parts.get(4) {
            v.insert(
                "duplicates".into(),
                json!(d.parse::<u64>().map_err(|_| usage())?),
            );
        }
        Self::from_json(&Value::Object(v)).map_err(|e| format!("{}: {e}", usage()))
    }

    fn refund_count(&self) -> u64 {
        match self.refunds {
            Refunds::Count(n) => n,
            // Bounded by 0..=1 times at most MAX_SEED_ORDERS: the cast cannot overflow.
            Refunds::Fraction(f) => (f * self.orders as f64).floor() as u64,
        }
    }
}

/// A random time on `day`, no later than `now`.
fn time_on(rng: &mut StdRng, day: NaiveDate, now: NaiveDateTime) -> NaiveDateTime {
    let start = day.and_time(chrono::NaiveTime::MIN);
    let max = if day == now.date() {
        (now - start).num_seconds().max(0)
    } else {
        86_399
    };
    start + TimeDelta::seconds(rng.random_range(0..=max))
}

/// `t` plus up to `minutes`, kept on `t`'s day and no later than `now`.
fn later(rng: &mut StdRng, t: NaiveDateTime, minutes: i64, now: NaiveDateTime) -> NaiveDateTime {
    let end = t.date().and_time(chrono::NaiveTime::MIN) + TimeDelta::seconds(86_399);
    (t + TimeDelta::seconds(rng.random_range(1..=minutes * 60)))
        .min(end)
        .min(now)
        .max(t)
}

fn paid(created: NaiveDateTime, otn: &str, pay_type: &str, amount: i64, cur: &str) -> Order {
    let mut o = Order::payment(created, otn, pay_type, amount, cur, &fmt_time(created));
    o.goods_name = "seeded".into();
    o.mark_paid(created);
    o
}

#[derive(Default)]
struct Totals {
    payments: u64,
    paid: i64,
    refunds: u64,
    refunded: i64,
}

impl Shared {
    /// Seeds history into a merchant's book and answers a summary: counts, the range, the seed
    /// and totals per currency.
    pub fn seed(self: &Arc<Self>, req: &SeedRequest) -> Result<Value, SandboxError> {
        let m = match &req.merchant {
            None => self.merchants.first(),
            Some(a) => self.merchant_by_app_code(a).map(|(_, m)| m),
        }
        .ok_or_else(|| SandboxError::NotFound(format!("no merchant {:?}", req.merchant)))?;
        let now = self.clock.now();
        let today = now.date();
        let to = req.to.unwrap_or(today);
        let from = req.from.unwrap_or(to - TimeDelta::days(29));
        if from > to {
            return Err(SandboxError::InvalidState(format!(
                "from {from} is after to {to}"
            )));
        }
        if to > today {
            return Err(SandboxError::InvalidState(format!(
                "to {to} is after the sandbox's today {today}: history cannot be in the future"
            )));
        }
        let refunds = req.refund_count();
        if refunds.saturating_add(req.duplicates) > req.orders {
            return Err(SandboxError::InvalidState(format!(
                "refunds ({refunds}) plus duplicates ({}) exceed orders ({})",
                req.duplicates, req.orders
            )));
        }
        let seed = req.seed.unwrap_or_else(|| rand::rng().random());
        let mut rng = StdRng::seed_from_u64(seed);
        let days = (to - from).num_days() + 1;

        // Payments: time, pay type, currency, amount; numbered in time order.
        let mut plan: Vec<(NaiveDateTime, &str, &str, i64)> = (0..req.orders)
            .map(|_| {
                let day = from + TimeDelta::days(rng.random_range(0..days));
                let t = time_on(&mut rng, day, now);
                let (pt, curs) = PAY_TYPES[rng.random_range(0..PAY_TYPES.len())];
                let cur = curs[rng.random_range(0..curs.len())];
                (t, pt, cur, rng.random_range(2..=200_000i64))
            })
            .collect();
        plan.sort_by_key(|p| p.0);
        let mut picks: Vec<usize> = (0..plan.len()).collect();
        picks.shuffle(&mut rng);
        let to_usize = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        let (refunded, rest) = picks.split_at(to_usize(refunds).min(picks.len()));
        let duplicated = &rest[..to_usize(req.duplicates).min(rest.len())];

        let mut payments: Vec<Order> = plan
            .iter()
            .enumerate()
            .map(|(i, (t, pt, cur, amt))| paid(*t, &format!("SEED{seed}-{i:07}"), pt, *amt, cur))
            .collect();
        let mut extra: Vec<(Order, bool)> = Vec::new();
        let (mut full, mut partial) = (0u64, 0u64);
        let mut sorted_refunded = refunded.to_vec();
        sorted_refunded.sort_unstable();
        for &i in &sorted_refunded {
            let p = &mut payments[i];
            let amount = if rng.random_bool(0.5) {
                full += 1;
                p.txamt
            } else {
                partial += 1;
                rng.random_range(1..p.txamt)
            };
            let t = later(&mut rng, p.created, 180, now);
            let mut r = paid(
                t,
                &format!("{}-R", p.out_trade_no),
                &p.pay_type,
                amount,
                &p.txcurrcd,
            );
            r.is_refund = true;
            r.cardcd = p.cardcd.clone();
            r.origssn = Some(p.syssn.clone());
            r.orig_out_trade_no = Some(p.out_trade_no.clone());
            p.refunded = amount;
            extra.push((r, false));
        }
        let mut sorted_dup = duplicated.to_vec();
        sorted_dup.sort_unstable();
        let mut duplicate_payments = 0u64;
        for &i in &sorted_dup {
            let p = &payments[i];
            for _ in 0..rng.random_range(1..=2) {
                let t = later(&mut rng, p.created, 30, now);
                extra.push((
                    paid(t, &p.out_trade_no, &p.pay_type, p.txamt, &p.txcurrcd),
                    true,
                ));
                duplicate_payments += 1;
            }
        }

        let duplicate_out_trade_nos: Vec<&str> = sorted_dup
            .iter()
            .take(MAX_LISTED_DUPLICATES)
            .filter_map(|&i| payments.get(i).map(|p| p.out_trade_no.as_str()))
            .collect();
        let duplicate_out_trade_nos = json!(duplicate_out_trade_nos);
        let mut totals: BTreeMap<String, Totals> = BTreeMap::new();
        for o in payments.iter().chain(extra.iter().map(|(o, _)| o)) {
            let t = totals.entry(o.txcurrcd.clone()).or_default();
            if o.is_refund {
                t.refunds += 1;
                t.refunded += o.txamt;
            } else {
                t.payments += 1;
                t.paid += o.txamt;
            }
        }
        let records = payments.len() + extra.len();
        let mut all: Vec<(Order, bool)> = payments.into_iter().map(|o| (o, false)).collect();
        all.extend(extra);
        // Stable: a payment precedes its refund and duplicates made in the same second.
        all.sort_by_key(|(o, _)| o.created);
        {
            let mut book = lock(&m.book);
            if let Some((o, _)) = all
                .iter()
                .find(|(o, dup)| !dup && book.by_out_trade_no.contains_key(&o.out_trade_no))
            {
                return Err(SandboxError::InvalidState(format!(
                    "out_trade_no {} is already in the book (seeded with seed {seed} before?); reset or use another seed",
                    o.out_trade_no
                )));
            }
            for (o, dup) in all {
                if dup {
                    book.insert_duplicate(o);
                } else {
                    book.insert(o);
                }
            }
        }
        let totals: serde_json::Map<String, Value> = totals
            .into_iter()
            .map(|(c, t)| {
                (
                    c,
                    json!({"payments": t.payments, "paid": t.paid, "refunds": t.refunds, "refunded": t.refunded}),
                )
            })
            .collect();
        Ok(json!({
            "ok": true,
            "merchant": m.merchant.app_code,
            "seed": seed,
            "from": from.to_string(),
            "to": to.to_string(),
            "orders": req.orders,
            "refunds": refunds,
            "full_refunds": full,
            "partial_refunds": partial,
            "duplicates": sorted_dup.len(),
            "duplicate_payments": duplicate_payments,
            "duplicate_out_trade_nos": duplicate_out_trade_nos,
            "records": records,
            "out_trade_no_prefix": format!("SEED{seed}-"),
            "totals": totals,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_requests() {
        let r = SeedRequest::from_json(&json!({"orders": 10, "from": "2026-01-01", "to": "2026-01-31", "refunds": 0.5, "duplicates": 2, "seed": 7})).unwrap();
        assert_eq!(r.refund_count(), 5);
        assert_eq!(r.seed, Some(7));
        let r = SeedRequest::from_json(&json!({"orders": 10, "refunds": 3})).unwrap();
        assert_eq!(r.refunds, Refunds::Count(3));
        assert!(SeedRequest::from_json(&json!({})).is_err());
        assert!(SeedRequest::from_json(&json!({"orders": 1, "from": "2026-13-01"})).is_err());
        assert!(SeedRequest::from_json(&json!({"orders": 1, "refunds": 1.5})).is_err());
        assert!(SeedRequest::from_json(&json!({"orders": 1, "bogus": 1})).is_err());
        assert!(SeedRequest::from_json(&json!({"orders": MAX_SEED_ORDERS + 1})).is_err());
    }

    #[test]
    fn parses_cli_specs() {
        assert_eq!(SeedRequest::parse_spec("10"), Ok(SeedRequest::new(10)));
        let r = SeedRequest::parse_spec("100,2026-01-01,2026-03-31,0.25,4").unwrap();
        assert_eq!(r.refunds, Refunds::Fraction(0.25));
        assert_eq!(r.duplicates, 4);
        assert_eq!(r.from, NaiveDate::from_ymd_opt(2026, 1, 1));
        let r = SeedRequest::parse_spec("100,2026-01-01,2026-03-31,7").unwrap();
        assert_eq!(r.refunds, Refunds::Count(7));
        for bad in [
            "",
            "x",
            "10,2026-01-01",
            "10,a,b",
            "10,2026-01-01,2026-01-02,x",
            "1,2,3,4,5,6",
        ] {
            assert!(SeedRequest::parse_spec(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn times_stay_on_the_day_and_in_the_past() {
        let mut rng = StdRng::seed_from_u64(1);
        let now =
            NaiveDateTime::parse_from_str("2026-03-10 08:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        for _ in 0..200 {
            let t = time_on(&mut rng, now.date(), now);
            assert!(t <= now && t.date() == now.date());
            let l = later(&mut rng, t, 180, now);
            assert!(l >= t && l <= now && l.date() == t.date());
        }
    }
}
