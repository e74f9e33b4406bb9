//! Refunding a payment, fully or partly.

use std::time::Duration;

use chrono::{NaiveDateTime, NaiveTime, Timelike};

use crate::error::Result;
use crate::model::fields::{self, RawMap};
use crate::model::money::Money;
use crate::validate;

/// When a refund answered `1265` may be sent again: QFPay refuses refunds between 23:30 and
/// 00:30 (its time; `local` is the current time there) and answers the same code, with another
/// text ("已經超出可退款時限", the refund period has passed), when a refund will never be
/// accepted. `Some(wait)` until 00:30 inside the window; `None` for the final refusal, or when
/// the time is outside the window (QFPay also cites special promotions: nothing says when).
pub fn retry_after_1265(local: NaiveDateTime, resperr: &str, respmsg: &str) -> Option<Duration> {
    let text = format!("{resperr} {respmsg}").to_ascii_lowercase();
    if text.contains("超出") || text.contains("exceed") || text.contains("expired") {
        return None;
    }
    let t = local.time();
    let secs = i64::from(t.num_seconds_from_midnight());
    let half_past_midnight = 30 * 60;
    let wait = if t >= NaiveTime::from_hms_opt(23, 30, 0)? {
        24 * 3600 - secs + half_past_midnight
    } else if secs < half_past_midnight {
        half_past_midnight - secs
    } else {
        return None;
    };
    u64::try_from(wait).ok().map(Duration::from_secs)
}

/// What can still be refunded today, in minor units, from a `1269` refusal's text ("Today
/// this payment method refundable balance is 3.00 HKD, please try again after the data update
/// at 11 AM"): the amount after "balance is", read exactly in the named currency's minor units.
/// `None` when the text names no amount (QFPay's other wording, "try again after the data
/// update at 11 AM", says only when).
pub fn available_1269(resperr: &str, respmsg: &str) -> Option<i64> {
    [resperr, respmsg].iter().find_map(|text| {
        let lower = text.to_ascii_lowercase();
        let at = lower.find("balance is")? + "balance is".len();
        let mut words = text.get(at..)?.split_whitespace();
        let amount = words.next()?.trim_end_matches([',', '.', ';']);
        let code: String = words
            .next()?
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        let currency = crate::model::money::Currency::parse(&code).ok()?;
        Money::from_major(amount, currency).ok().map(|m| m.amount)
    })
}

/// A refund (`POST /trade/v1/refund`) of a paid transaction.
///
/// QFPay refunds in the original payment's currency and takes only `txamt`; the currency in
/// `amount` documents intent and is not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    /// The original payment's `syssn`.
    pub syssn: String,
    /// The amount to refund (at most what is left of the payment).
    pub amount: Money,
    /// A new, unique merchant number for this refund; generated when absent.
    pub out_trade_no: Option<String>,
    /// Request time; the current time when absent.
    pub txdtm: Option<String>,
    /// Sub-merchant id; the client's when absent.
    pub mchid: Option<String>,
    /// Device id.
    pub udid: Option<String>,
}

impl RefundRequest {
    /// Refunds `amount` of the payment `syssn`.
    pub fn new(syssn: impl Into<String>, amount: Money) -> Self {
        Self {
            syssn: syssn.into(),
            amount,
            out_trade_no: None,
            txdtm: None,
            mchid: None,
            udid: None,
        }
    }
    /// Sets the refund's own `out_trade_no`.
    pub fn out_trade_no(mut self, v: impl Into<String>) -> Self {
        self.out_trade_no = Some(v.into());
        self
    }
    /// Sets `txdtm`.
    pub fn txdtm(mut self, v: impl Into<String>) -> Self {
        self.txdtm = Some(v.into());
        self
    }
    /// Sets `mchid`.
    pub fn mchid(mut self, v: impl Into<String>) -> Self {
        self.mchid = Some(v.into());
        self
    }
    /// Sets `udid`.
    pub fn udid(mut self, v: impl Into<String>) -> Self {
        self.udid = Some(v.into());
        self
    }

    /// Checks every documented rule.
    pub fn validate(&self) -> Result<()> {
        validate::length("syssn", &self.syssn, 1, 128)?;
        validate::amount("txamt", &self.amount)?;
        validate::optional(self.out_trade_no.as_deref(), |v| {
            validate::order_number("out_trade_no", v)
        })?;
        validate::optional(self.txdtm.as_deref(), |v| {
            validate::datetime("txdtm", v).map(|_| ())
        })?;
        validate::optional(self.mchid.as_deref(), |v| {
            validate::length("mchid", v, 1, 16)
        })?;
        validate::optional(self.udid.as_deref(), |v| validate::length("udid", v, 1, 40))
    }

    pub(crate) fn to_params(
        &self,
        out_trade_no: &str,
        txdtm: &str,
        mchid: Option<&str>,
    ) -> Vec<(&'static str, String)> {
        let mut p = vec![
            ("syssn", self.syssn.clone()),
            ("out_trade_no", out_trade_no.to_owned()),
            ("txamt", self.amount.amount.to_string()),
            ("txdtm", txdtm.to_owned()),
        ];
        if let Some(m) = mchid.filter(|m| !m.is_empty()) {
            p.push(("mchid", m.to_owned()));
        }
        if let Some(u) = self.udid.as_deref().filter(|u| !u.is_empty()) {
            p.push(("udid", u.to_owned()));
        }
        p
    }
}

/// QFPay's answer to a refund.
#[derive(Debug, Clone, PartialEq)]
pub struct Refund {
    /// The refund's own transaction number.
    pub syssn: String,
    /// The original payment's transaction number.
    pub orig_syssn: String,
    /// The refund's merchant number.
    pub out_trade_no: String,
    /// Amount refunded in minor units.
    pub txamt: i64,
    /// Currency code.
    pub txcurrcd: String,
    /// Request time.
    pub txdtm: String,
    /// System time.
    pub sysdtm: String,
    /// `respcd`.
    pub respcd: String,
    /// `resperr`.
    pub resperr: String,
    /// `respmsg`.
    pub respmsg: String,
    /// Every field QFPay sent.
    pub raw: RawMap,
}

impl Refund {
    pub(crate) fn from_raw(
        raw: RawMap,
        req: &RefundRequest,
        out_trade_no: &str,
        txdtm: &str,
    ) -> Result<Self> {
        Ok(Self {
            syssn: fields::text(&raw, "syssn"),
            orig_syssn: fields::opt_text(&raw, "orig_syssn").unwrap_or_else(|| req.syssn.clone()),
            out_trade_no: fields::opt_text(&raw, "out_trade_no")
                .unwrap_or_else(|| out_trade_no.to_owned()),
            txamt: fields::amount(&raw, "txamt")?.unwrap_or(req.amount.amount),
            txcurrcd: fields::opt_text(&raw, "txcurrcd")
                .unwrap_or_else(|| req.amount.currency.code().to_owned()),
            txdtm: fields::opt_text(&raw, "txdtm").unwrap_or_else(|| txdtm.to_owned()),
            sysdtm: fields::text(&raw, "sysdtm"),
            respcd: fields::text(&raw, "respcd"),
            resperr: fields::text(&raw, "resperr"),
            respmsg: fields::text(&raw, "respmsg"),
            raw,
        })
    }
}

crate::model::describe::describe!(Refund "A refund QFPay accepted." {
    syssn: "str" "The refund's own transaction number." = |r| &r.syssn,
    orig_syssn: "str" "The original payment's transaction number." = |r| &r.orig_syssn,
    out_trade_no: "str" "The refund's merchant order number." = |r| &r.out_trade_no,
    txamt: "int" "Amount refunded in minor units." = |r| r.txamt,
    txcurrcd: "str" "Currency code." = |r| &r.txcurrcd,
    txdtm: "str" "Request time." = |r| &r.txdtm,
    sysdtm: "str" "System time." = |r| &r.sysdtm,
    respcd: "str" "QFPay response code." = |r| &r.respcd,
    resperr: "str" "QFPay response text." = |r| &r.resperr,
    respmsg: "str" "QFPay message, when any." = |r| &r.respmsg,
    raw: "raw" "Every field QFPay sent." = |r| &r.raw,
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refunds_refused_in_the_night_window_wait_until_half_past_midnight() {
        let at = |h, m| {
            chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
                .unwrap()
                .and_hms_opt(h, m, 0)
                .unwrap()
        };
        let text = "Cannot be refunded";
        assert_eq!(
            retry_after_1265(at(23, 45), text, ""),
            Some(Duration::from_secs(45 * 60))
        );
        assert_eq!(
            retry_after_1265(at(0, 10), text, ""),
            Some(Duration::from_secs(20 * 60))
        );
        assert_eq!(retry_after_1265(at(12, 0), text, ""), None);
        assert_eq!(retry_after_1265(at(23, 45), "已經超出可退款時限", ""), None);
    }

    #[test]
    fn the_amount_a_1269_refusal_names() {
        let text = "Today this payment method refundable balance is 3.00 HKD, please try again after the data update at 11 AM(1269)";
        assert_eq!(available_1269(text, ""), Some(300));
        assert_eq!(
            available_1269("", "refundable balance is 0 HKD..."),
            Some(0)
        );
        assert_eq!(
            available_1269("refundable balance is 1250 JPY", ""),
            Some(1250)
        );
        assert_eq!(
            available_1269("try again after the data update at 11 AM", ""),
            None
        );
        assert_eq!(available_1269("balance is 3.001 HKD", ""), None);
    }
}
