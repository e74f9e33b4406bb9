//! Closing or reversing an unfinished transaction.

use crate::error::{Error, Result};
use crate::model::fields::{self, RawMap};
use crate::model::money::Money;
use crate::validate;

/// A close (`/trade/v1/close`) or reversal (`/trade/v1/reversal`) of an unpaid transaction,
/// identified by `syssn` or `out_trade_no`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelRequest {
    /// The transaction's `syssn`.
    pub syssn: Option<String>,
    /// The transaction's merchant order number.
    pub out_trade_no: Option<String>,
    /// The original amount.
    pub amount: Money,
    /// The original transaction time; the current time when absent.
    pub txdtm: Option<String>,
    /// Sub-merchant id; the client's when absent.
    pub mchid: Option<String>,
    /// Device id.
    pub udid: Option<String>,
}

impl CancelRequest {
    /// Cancels the order with merchant number `out_trade_no` and amount `amount`.
    pub fn by_out_trade_no(out_trade_no: impl Into<String>, amount: Money) -> Self {
        Self {
            syssn: None,
            out_trade_no: Some(out_trade_no.into()),
            amount,
            txdtm: None,
            mchid: None,
            udid: None,
        }
    }
    /// Cancels the transaction `syssn` with amount `amount`.
    pub fn by_syssn(syssn: impl Into<String>, amount: Money) -> Self {
        Self {
            syssn: Some(syssn.into()),
            out_trade_no: None,
            amount,
            txdtm: None,
            mchid: None,
            udid: None,
        }
    }
    /// Sets `txdtm` (the original transaction time).
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
        if self.syssn.as_deref().unwrap_or("").is_empty()
            && self.out_trade_no.as_deref().unwrap_or("").is_empty()
        {
            return Err(Error::validation(
                "syssn",
                "either syssn or out_trade_no is required",
            ));
        }
        validate::optional(self.syssn.as_deref(), |v| {
            validate::length("syssn", v, 1, 40)
        })?;
        validate::optional(self.out_trade_no.as_deref(), |v| {
            validate::order_number("out_trade_no", v)
        })?;
        validate::amount("txamt", &self.amount)?;
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
        txdtm: &str,
        mchid: Option<&str>,
    ) -> Vec<(&'static str, String)> {
        let mut p = Vec::new();
        if let Some(s) = self.syssn.as_deref().filter(|s| !s.is_empty()) {
            p.push(("syssn", s.to_owned()));
        }
        if let Some(s) = self.out_trade_no.as_deref().filter(|s| !s.is_empty()) {
            p.push(("out_trade_no", s.to_owned()));
        }
        p.push(("txamt", self.amount.amount.to_string()));
        p.push(("txdtm", txdtm.to_owned()));
        if let Some(m) = mchid.filter(|m| !m.is_empty()) {
            p.push(("mchid", m.to_owned()));
        }
        if let Some(u) = self.udid.as_deref().filter(|u| !u.is_empty()) {
            p.push(("udid", u.to_owned()));
        }
        p
    }
}

/// QFPay's answer to a close or reversal.
#[derive(Debug, Clone, PartialEq)]
pub struct Cancellation {
    /// The cancellation's own transaction number (empty when learned by a query).
    pub syssn: String,
    /// The cancelled transaction's number.
    pub orig_syssn: String,
    /// The cancelled transaction's merchant order number.
    pub out_trade_no: String,
    /// Amount in minor units.
    pub txamt: i64,
    /// `respcd`.
    pub respcd: String,
    /// `resperr`.
    pub resperr: String,
    /// `respmsg`.
    pub respmsg: String,
    /// Every field QFPay sent.
    pub raw: RawMap,
}

impl Cancellation {
    pub(crate) fn from_raw(raw: RawMap, req: &CancelRequest) -> Result<Self> {
        Ok(Self {
            syssn: fields::text(&raw, "syssn"),
            orig_syssn: fields::opt_text(&raw, "orig_syssn")
                .or_else(|| req.syssn.clone())
                .unwrap_or_default(),
            out_trade_no: fields::opt_text(&raw, "out_trade_no")
                .or_else(|| req.out_trade_no.clone())
                .unwrap_or_default(),
            txamt: fields::amount(&raw, "txamt")?.unwrap_or(req.amount.amount),
            respcd: fields::text(&raw, "respcd"),
            resperr: fields::text(&raw, "resperr"),
            respmsg: fields::text(&raw, "respmsg"),
            raw,
        })
    }
}

crate::model::describe::describe!(Cancellation "A closed or reversed order." {
    syssn: "str" "The cancellation's own transaction number (empty when learned by a query)." = |c| &c.syssn,
    orig_syssn: "str" "The cancelled transaction's number." = |c| &c.orig_syssn,
    out_trade_no: "str" "The cancelled transaction's merchant order number." = |c| &c.out_trade_no,
    txamt: "int" "Amount in minor units." = |c| c.txamt,
    respcd: "str" "QFPay response code." = |c| &c.respcd,
    resperr: "str" "QFPay response text." = |c| &c.resperr,
    respmsg: "str" "QFPay message, when any." = |c| &c.respmsg,
    raw: "raw" "Every field QFPay sent." = |c| &c.raw,
});
