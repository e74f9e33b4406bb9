//! Querying transactions: the request, a page of results and one transaction's state.

use chrono::Datelike;

use crate::error::{Error, Result};
use serde_json::value::RawValue;

use crate::model::fields::{self, RawMap};
use crate::model::pay_type::PayType;
use crate::model::raw::Raw;
use crate::model::resp_code::is_processing;
use crate::validate;

/// A transaction enquiry (`POST /trade/v1/query`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryRequest {
    /// QFPay transaction numbers to look up.
    pub syssn: Vec<String>,
    /// Merchant order numbers to look up.
    pub out_trade_no: Vec<String>,
    /// Only these payment methods.
    pub pay_type: Vec<PayType>,
    /// Only transactions with this 4-digit `respcd`.
    pub respcd: Option<String>,
    /// From this time (`YYYY-MM-DD hh:mm:ss`), in the same calendar month as `end_time`.
    pub start_time: Option<String>,
    /// Until this time (`YYYY-MM-DD hh:mm:ss`).
    pub end_time: Option<String>,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Page size, 1 to 100 (QFPay's default is 10).
    pub page_size: Option<u32>,
    /// Sub-merchant id; the client's when absent.
    pub mchid: Option<String>,
}

impl QueryRequest {
    /// An empty query (this month's transactions).
    pub fn new() -> Self {
        Self::default()
    }
    /// Looks up one merchant order number.
    pub fn by_out_trade_no(v: impl Into<String>) -> Self {
        Self {
            out_trade_no: vec![v.into()],
            ..Self::default()
        }
    }
    /// Looks up one QFPay transaction number.
    pub fn by_syssn(v: impl Into<String>) -> Self {
        Self {
            syssn: vec![v.into()],
            ..Self::default()
        }
    }
    /// Adds a transaction number.
    pub fn syssn(mut self, v: impl Into<String>) -> Self {
        self.syssn.push(v.into());
        self
    }
    /// Adds a merchant order number.
    pub fn out_trade_no(mut self, v: impl Into<String>) -> Self {
        self.out_trade_no.push(v.into());
        self
    }
    /// Adds a pay type filter.
    pub fn pay_type(mut self, v: PayType) -> Self {
        self.pay_type.push(v);
        self
    }
    /// Sets the `respcd` filter.
    pub fn respcd(mut self, v: impl Into<String>) -> Self {
        self.respcd = Some(v.into());
        self
    }
    /// Sets the time range.
    pub fn time_range(mut self, start: impl Into<String>, end: impl Into<String>) -> Self {
        self.start_time = Some(start.into());
        self.end_time = Some(end.into());
        self
    }
    /// Sets the page number.
    pub fn page(mut self, v: u32) -> Self {
        self.page = Some(v);
        self
    }
    /// Sets the page size.
    pub fn page_size(mut self, v: u32) -> Self {
        self.page_size = Some(v);
        self
    }
    /// Sets `mchid`.
    pub fn mchid(mut self, v: impl Into<String>) -> Self {
        self.mchid = Some(v.into());
        self
    }

    /// Checks every documented rule.
    pub fn validate(&self) -> Result<()> {
        for s in &self.syssn {
            validate::length("syssn", s, 1, 40)?;
            list_item("syssn", s)?;
        }
        for s in &self.out_trade_no {
            validate::order_number("out_trade_no", s)?;
            list_item("out_trade_no", s)?;
        }
        for p in &self.pay_type {
            let c = p.code();
            if c.len() != 6 || !c.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::validation(
                    "pay_type",
                    "must be 6-digit pay type codes",
                ));
            }
        }
        if let Some(r) = &self.respcd
            && (r.len() != 4 || !r.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(Error::validation(
                "respcd",
                "must be a 4-digit response code",
            ));
        }
        let start = self
            .start_time
            .as_deref()
            .map(|v| validate::datetime("start_time", v))
            .transpose()?;
        let end = self
            .end_time
            .as_deref()
            .map(|v| validate::datetime("end_time", v))
            .transpose()?;
        if let (Some(s), Some(e)) = (start, end) {
            if s > e {
                return Err(Error::validation(
                    "start_time",
                    "must not be after end_time",
                ));
            }
            if (s.year(), s.month()) != (e.year(), e.month()) {
                return Err(Error::validation(
                    "end_time",
                    "must be in the same calendar month as start_time (QFPay queries one month at a time)",
                ));
            }
        }
        if self.page == Some(0) {
            return Err(Error::validation("page", "must be at least 1"));
        }
        if let Some(n) = self.page_size
            && !(1..=100).contains(&n)
        {
            return Err(Error::validation(
                "page_size",
                format!("must be 1 to 100 (got {n})"),
            ));
        }
        validate::optional(self.mchid.as_deref(), |v| {
            validate::length("mchid", v, 1, 16)
        })
    }

    pub(crate) fn to_params(&self, mchid: Option<&str>) -> Vec<(&'static str, String)> {
        let mut p = Vec::new();
        let join = |v: &[String]| v.join(",");
        if !self.syssn.is_empty() {
            p.push(("syssn", join(&self.syssn)));
        }
        if !self.out_trade_no.is_empty() {
            p.push(("out_trade_no", join(&self.out_trade_no)));
        }
        if !self.pay_type.is_empty() {
            let codes: Vec<String> = self.pay_type.iter().map(|t| t.code().to_owned()).collect();
            p.push(("pay_type", codes.join(",")));
        }
        if let Some(v) = &self.respcd {
            p.push(("respcd", v.clone()));
        }
        if let Some(v) = &self.start_time {
            p.push(("start_time", v.clone()));
        }
        if let Some(v) = &self.end_time {
            p.push(("end_time", v.clone()));
        }
        if let Some(v) = self.page {
            p.push(("page", v.to_string()));
        }
        if let Some(v) = self.page_size {
            p.push(("page_size", v.to_string()));
        }
        if let Some(m) = mchid.filter(|m| !m.is_empty()) {
            p.push(("mchid", m.to_owned()));
        }
        p
    }
}

fn list_item(field: &str, v: &str) -> Result<()> {
    if v.contains(',') {
        return Err(Error::validation(
            field,
            "items must not contain commas (the list is comma-separated)",
        ));
    }
    Ok(())
}

/// Where a transaction stands, from its `respcd` and `cancel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionState {
    /// Paid (payments) or done (refunds), and not cancelled or refunded.
    Succeeded,
    /// Still processing or waiting for the customer (`1143`, `1145`, ...).
    Pending,
    /// Failed; the `respcd` says why.
    Failed,
    /// Fully refunded (`cancel` 3).
    Refunded,
    /// Partly refunded (`cancel` 5).
    PartiallyRefunded,
    /// Reversed, closed or cancelled (`cancel` 1 or 2).
    Cancelled,
}

impl TransactionState {
    /// The lowercase name (`succeeded`, `pending`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            TransactionState::Succeeded => "succeeded",
            TransactionState::Pending => "pending",
            TransactionState::Failed => "failed",
            TransactionState::Refunded => "refunded",
            TransactionState::PartiallyRefunded => "partially_refunded",
            TransactionState::Cancelled => "cancelled",
        }
    }

    /// Whether the customer's money was taken (paid, possibly refunded since).
    pub fn is_paid(self) -> bool {
        matches!(
            self,
            Self::Succeeded | Self::Refunded | Self::PartiallyRefunded
        )
    }
}

/// One transaction record from a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Transaction {
    /// QFPay's transaction number.
    pub syssn: String,
    /// Merchant order number.
    pub out_trade_no: String,
    /// `payment` or `refund`.
    pub order_type: String,
    /// The original payment's `syssn` (refund records).
    pub origssn: Option<String>,
    /// Payment method.
    pub pay_type: PayType,
    /// Amount in minor units.
    pub txamt: i64,
    /// Currency code.
    pub txcurrcd: String,
    /// Request time.
    pub txdtm: String,
    /// System time.
    pub sysdtm: String,
    /// Payment time.
    pub paydtm: String,
    /// The transaction's own status code.
    pub respcd: String,
    /// Status text.
    pub errmsg: String,
    /// Cancellation status (`0` none, `1`/`2` cancelled, `3` refunded, `5` partly refunded).
    pub cancel: String,
    /// Goods description.
    pub goods_name: String,
    /// The wallet's transaction number.
    pub chnlsn: String,
    /// Where the transaction stands.
    pub state: TransactionState,
    /// The `syssn`s of the other records of the same kind under the same `out_trade_no`, when
    /// the record was picked from several ([`pick_order`]: `find_payment`, `wait_for_payment`,
    /// a `duplicate_order`'s existing order): a customer who paid twice. Empty otherwise.
    pub other_payments: Vec<String>,
    /// Every field QFPay sent, kept as the record's text and read when asked ([`Raw`]).
    pub raw: Raw,
}

impl Transaction {
    /// Reads one record from its fields.
    pub fn from_raw(raw: RawMap) -> Result<Self> {
        let text = serde_json::to_string(&raw)
            .map_err(|e| Error::Decode(format!("a query record could not be kept: {e}")))?;
        let text = RawValue::from_string(text)
            .map_err(|e| Error::Decode(format!("a query record could not be kept: {e}")))?;
        Self::from_record(text)
    }

    /// Reads one record from the JSON text QFPay sent: the typed fields are read from the text
    /// (no map of the record is built) and the text is kept as [`Transaction::raw`].
    pub fn from_record(record: fields::Record) -> Result<Self> {
        let [
            respcd,
            cancel,
            syssn,
            out_trade_no,
            order_type,
            origssn,
            pay_type,
            txamt,
            txcurrcd,
            txdtm,
            sysdtm,
            paydtm,
            errmsg,
            goods_name,
            chnlsn,
        ] = fields::pick(
            record.get(),
            &[
                "respcd",
                "cancel",
                "syssn",
                "out_trade_no",
                "order_type",
                "origssn",
                "pay_type",
                "txamt",
                "txcurrcd",
                "txdtm",
                "sysdtm",
                "paydtm",
                "errmsg",
                "goods_name",
                "chnlsn",
            ],
        )
        .map_err(|e| {
            Error::Decode(format!(
                "a query record is not an object ({e}): {}",
                record.get()
            ))
        })?;
        let respcd = fields::into_text(respcd);
        let cancel = fields::into_text(cancel);
        let state = state_of(&respcd, &cancel);
        let order_type = fields::into_text(order_type);
        let origssn = fields::into_text(origssn);
        Ok(Self {
            syssn: fields::into_text(syssn),
            out_trade_no: fields::into_text(out_trade_no),
            order_type: if order_type.is_empty() {
                "payment".to_owned()
            } else {
                order_type
            },
            origssn: Some(origssn).filter(|s| !s.is_empty()),
            pay_type: PayType::from_code(&fields::into_text(pay_type)),
            txamt: fields::amount_of("txamt", txamt.as_ref())?.unwrap_or(0),
            txcurrcd: fields::into_text(txcurrcd),
            txdtm: fields::into_text(txdtm),
            sysdtm: fields::into_text(sysdtm),
            paydtm: fields::into_text(paydtm),
            errmsg: fields::into_text(errmsg),
            goods_name: fields::into_text(goods_name),
            chnlsn: fields::into_text(chnlsn),
            respcd,
            cancel,
            state,
            other_payments: Vec::new(),
            raw: Raw::from_object_text(record),
        })
    }

    /// Whether the customer's money was taken (paid, possibly refunded since).
    pub fn is_paid(&self) -> bool {
        self.state.is_paid()
    }

    /// Whether this record is a refund.
    pub fn is_refund(&self) -> bool {
        self.order_type == "refund"
    }
}

/// How strongly a record speaks for its order: money taken first, then waiting, then
/// cancelled, then failed.
fn rank(state: TransactionState) -> u8 {
    match state {
        TransactionState::Succeeded
        | TransactionState::Refunded
        | TransactionState::PartiallyRefunded => 0,
        TransactionState::Pending => 1,
        TransactionState::Cancelled => 2,
        TransactionState::Failed => 3,
    }
}

/// The record that stands for order `out_trade_no` among `records`: of its payments (or, with
/// `refund`, its refunds), the one that took the money, else the pending one, else the first
/// listed. When there are several, the chosen record's [`Transaction::other_payments`] names
/// the others, so a second successful payment for one order (a customer who opened the
/// checkout twice) is never hidden behind the first.
pub fn pick_order(
    records: Vec<Transaction>,
    out_trade_no: &str,
    refund: bool,
) -> Option<Transaction> {
    let mut same: Vec<Transaction> = records
        .into_iter()
        .filter(|t| t.out_trade_no == out_trade_no && t.is_refund() == refund)
        .collect();
    let best = same
        .iter()
        .enumerate()
        .min_by_key(|(i, t)| (rank(t.state), *i))
        .map(|(i, _)| i)?;
    let mut chosen = same.remove(best);
    chosen.other_payments = same.into_iter().map(|t| t.syssn).collect();
    Some(chosen)
}

/// The state from a record's `respcd` and `cancel`.
pub fn state_of(respcd: &str, cancel: &str) -> TransactionState {
    if respcd == "0000" {
        match cancel {
            "3" => TransactionState::Refunded,
            "5" => TransactionState::PartiallyRefunded,
            "1" | "2" | "4" => TransactionState::Cancelled,
            _ => TransactionState::Succeeded,
        }
    } else if is_processing(respcd) {
        match cancel {
            "1" | "2" => TransactionState::Cancelled,
            _ => TransactionState::Pending,
        }
    } else {
        TransactionState::Failed
    }
}

/// One page of query results.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryPage {
    /// The page number.
    pub page: u32,
    /// The page size.
    pub page_size: u32,
    /// The records on this page.
    pub data: Vec<Transaction>,
    /// Every field of the envelope QFPay sent but `data` (whose records are [`QueryPage::data`],
    /// each with its own `raw`).
    pub raw: RawMap,
}

impl QueryPage {
    /// Reads a successful query answer. Its records move into `data` (each keeping its own
    /// `raw`); the envelope's `raw` keeps every other field.
    pub fn from_raw(raw: RawMap, req: &QueryRequest) -> Result<Self> {
        Self::from_body(
            fields::Body {
                fields: raw,
                records: None,
            },
            req,
        )
    }

    /// [`QueryPage::from_raw`] for an answer read by [`fields::parse_body`]: each record is
    /// read from its text and keeps it.
    pub fn from_body(mut body: fields::Body, req: &QueryRequest) -> Result<Self> {
        let data = fields::take_body_records(&mut body, "query record", Transaction::from_record)?;
        let raw = body.fields;
        Ok(Self {
            page: fields::count(&raw, "page").or(req.page).unwrap_or(1),
            page_size: fields::count(&raw, "page_size")
                .or(req.page_size)
                .unwrap_or(10),
            data,
            raw,
        })
    }
}

crate::model::describe::describe!(Transaction "One transaction (payment or refund) as a query returns it, with where it stands." {
    syssn: "str" "QFPay's transaction number." = |t| &t.syssn,
    out_trade_no: "str" "Merchant order number." = |t| &t.out_trade_no,
    order_type: "str" "payment or refund." = |t| &t.order_type,
    origssn: "str?" "The original payment's syssn (refund records)." = |t| &t.origssn,
    pay_type: "str" "Payment method (pay type code)." = |t| t.pay_type.code(),
    txamt: "int" "Amount in minor units." = |t| t.txamt,
    txcurrcd: "str" "Currency code." = |t| &t.txcurrcd,
    txdtm: "str" "Request time." = |t| &t.txdtm,
    sysdtm: "str" "System time." = |t| &t.sysdtm,
    paydtm: "str" "Payment time." = |t| &t.paydtm,
    respcd: "str" "The transaction's own status code." = |t| &t.respcd,
    errmsg: "str" "Status text." = |t| &t.errmsg,
    cancel: "str" "Cancellation status (0 none, 1/2 cancelled, 3 refunded, 5 partly refunded)." = |t| &t.cancel,
    goods_name: "str" "Goods description." = |t| &t.goods_name,
    chnlsn: "str" "The wallet's transaction number." = |t| &t.chnlsn,
    state: "enum:transaction_state" "Where the transaction stands." = |t| t.state.as_str(),
    is_paid: "bool" "Whether the customer's money was taken (paid, possibly refunded since)." = |t| t.is_paid(),
    is_refund: "bool" "Whether this record is a refund." = |t| t.is_refund(),
    other_payments: "list<str>" "The syssns of the other records of the same kind under this out_trade_no when it was picked from several (find_payment, wait_for_payment, duplicate_order's existing): a customer who paid twice. Empty otherwise." = |t| &t.other_payments,
    raw: "raw" "Every field QFPay sent." = |t| &t.raw,
});

crate::model::describe::describe!(QueryPage "One page of query results." {
    page: "count" "The page number (from 1)." = |p| p.page,
    page_size: "count" "Records per page." = |p| p.page_size,
    data: "list<Transaction>" "The transactions on this page." = |p| &p.data,
    raw: "raw" "Every field of the envelope QFPay sent but data (its records are data, each with its own raw)." = |p| &p.raw,
});

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(syssn: &str, no: &str, kind: &str, respcd: &str) -> Transaction {
        let serde_json::Value::Object(raw) = serde_json::json!({
            "syssn": syssn, "out_trade_no": no, "order_type": kind, "respcd": respcd,
            "txamt": "100", "txcurrcd": "HKD", "pay_type": "800201",
        }) else {
            unreachable!()
        };
        Transaction::from_raw(raw).unwrap()
    }

    #[test]
    fn the_paid_record_stands_for_its_order_and_names_the_others() {
        let records = vec![
            rec("F", "o1", "payment", "1100"),
            rec("P", "o1", "payment", "1143"),
            rec("S", "o1", "payment", "0000"),
            rec("R", "o1", "refund", "0000"),
            rec("X", "o2", "payment", "0000"),
            rec("S2", "o1", "payment", "0000"),
        ];
        let t = pick_order(records.clone(), "o1", false).unwrap();
        assert_eq!(t.syssn, "S");
        assert_eq!(t.other_payments, ["F", "P", "S2"]);
        let pending = pick_order(records[..2].to_vec(), "o1", false).unwrap();
        assert_eq!(
            (pending.syssn.as_str(), pending.other_payments.as_slice()),
            ("P", &["F".to_owned()][..])
        );
        let refund = pick_order(records.clone(), "o1", true).unwrap();
        assert_eq!(refund.syssn, "R");
        assert!(refund.other_payments.is_empty());
        assert!(pick_order(records, "o3", false).is_none());
    }

    #[test]
    fn rules() {
        assert!(QueryRequest::new().validate().is_ok());
        let bad = QueryRequest::new().time_range("2026-01-31 00:00:00", "2026-02-01 00:00:00");
        assert_eq!(
            bad.validate()
                .err()
                .and_then(|e| e.field().map(str::to_owned))
                .as_deref(),
            Some("end_time")
        );
        let ok = QueryRequest::new().time_range("2026-01-01 00:00:00", "2026-01-31 23:59:59");
        assert!(ok.validate().is_ok());
        assert!(QueryRequest::new().page_size(100).validate().is_ok());
        assert!(QueryRequest::new().page_size(101).validate().is_err());
        assert!(QueryRequest::new().page(0).validate().is_err());
        assert!(QueryRequest::new().respcd("00").validate().is_err());
        assert!(QueryRequest::by_out_trade_no("a,b").validate().is_err());
    }

    #[test]
    fn states() {
        assert_eq!(state_of("0000", "0"), TransactionState::Succeeded);
        assert_eq!(state_of("0000", "5"), TransactionState::PartiallyRefunded);
        assert_eq!(state_of("1143", ""), TransactionState::Pending);
        assert_eq!(state_of("1143", "2"), TransactionState::Cancelled);
        assert_eq!(state_of("1201", ""), TransactionState::Failed);
    }
}
