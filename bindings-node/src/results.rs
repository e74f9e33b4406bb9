//! Core results as plain JavaScript objects (camelCase fields, amounts as integers, `raw`).

use napi_derive::napi;
use serde::Serialize;
use serde_json::{Map, Value};

/// QFPay's answer to a payment. For WeChat QR (800201) `qrcode` is what the customer scans;
/// the order is unpaid until they do.
#[napi(object)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    /// QFPay's transaction number.
    pub syssn: String,
    /// The merchant order number (generated when not given).
    pub out_trade_no: String,
    /// The pay type code, e.g. `800201`.
    pub pay_type: String,
    /// Amount in minor units.
    pub txamt: i64,
    /// Currency code.
    pub txcurrcd: String,
    /// Request time `YYYY-MM-DD hh:mm:ss`.
    pub txdtm: String,
    /// QFPay's system time.
    pub sysdtm: String,
    /// Payment time (CPM), when paid.
    pub paydtm: String,
    /// The QR code content to show (MPM pay types).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qrcode: Option<String>,
    /// The payment page URL (online pay types).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pay_url: Option<String>,
    /// The wallet's transaction number.
    pub chnlsn: String,
    /// Card number (masked), when sent.
    pub cardcd: String,
    /// Device id.
    pub udid: String,
    /// `respcd` (`0000`).
    pub respcd: String,
    /// `resperr`.
    pub resperr: String,
    /// `respmsg`.
    pub respmsg: String,
    /// Every field QFPay sent, as sent.
    pub raw: Map<String, Value>,
}

impl From<qfpay::Payment> for Payment {
    fn from(p: qfpay::Payment) -> Self {
        Self {
            syssn: p.syssn,
            out_trade_no: p.out_trade_no,
            pay_type: p.pay_type.code().to_owned(),
            txamt: p.txamt,
            txcurrcd: p.txcurrcd,
            txdtm: p.txdtm,
            sysdtm: p.sysdtm,
            paydtm: p.paydtm,
            qrcode: p.qrcode,
            pay_url: p.pay_url,
            chnlsn: p.chnlsn,
            cardcd: p.cardcd,
            udid: p.udid,
            respcd: p.respcd,
            resperr: p.resperr,
            respmsg: p.respmsg,
            raw: p.raw,
        }
    }
}

/// One transaction record from a query (also a `duplicate_order` error's `existing`: this is
/// the one conversion of a core transaction).
#[napi(object)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    /// QFPay's transaction number.
    pub syssn: String,
    /// Merchant order number.
    pub out_trade_no: String,
    /// `payment` or `refund`.
    pub order_type: String,
    /// The original payment's `syssn` (refund records).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origssn: Option<String>,
    /// Pay type code.
    pub pay_type: String,
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
    /// `succeeded`, `pending`, `failed`, `refunded`, `partially_refunded` or `cancelled`.
    pub state: String,
    /// Whether the customer's money was taken (paid, possibly refunded since): core's
    /// `Transaction::is_paid`.
    pub is_paid: bool,
    /// Whether this record is a refund: core's `Transaction::is_refund`.
    pub is_refund: bool,
    /// Every field QFPay sent.
    pub raw: Map<String, Value>,
}

impl From<qfpay::Transaction> for Transaction {
    fn from(t: qfpay::Transaction) -> Self {
        let is_paid = t.is_paid();
        let is_refund = t.is_refund();
        Self {
            syssn: t.syssn,
            out_trade_no: t.out_trade_no,
            order_type: t.order_type,
            origssn: t.origssn,
            pay_type: t.pay_type.code().to_owned(),
            txamt: t.txamt,
            txcurrcd: t.txcurrcd,
            txdtm: t.txdtm,
            sysdtm: t.sysdtm,
            paydtm: t.paydtm,
            respcd: t.respcd,
            errmsg: t.errmsg,
            cancel: t.cancel,
            goods_name: t.goods_name,
            chnlsn: t.chnlsn,
            state: t.state.as_str().to_owned(),
            is_paid,
            is_refund,
            raw: t.raw,
        }
    }
}

/// One page of query results.
#[napi(object)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryPage {
    /// The page number.
    pub page: u32,
    /// The page size.
    pub page_size: u32,
    /// The records on this page.
    pub data: Vec<Transaction>,
    /// Every field of the envelope QFPay sent.
    pub raw: Map<String, Value>,
}

impl From<qfpay::QueryPage> for QueryPage {
    fn from(p: qfpay::QueryPage) -> Self {
        Self {
            page: p.page,
            page_size: p.page_size,
            data: p.data.into_iter().map(Into::into).collect(),
            raw: p.raw,
        }
    }
}

/// QFPay's answer to a refund.
#[napi(object)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
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
    pub raw: Map<String, Value>,
}

impl From<qfpay::Refund> for Refund {
    fn from(r: qfpay::Refund) -> Self {
        Self {
            syssn: r.syssn,
            orig_syssn: r.orig_syssn,
            out_trade_no: r.out_trade_no,
            txamt: r.txamt,
            txcurrcd: r.txcurrcd,
            txdtm: r.txdtm,
            sysdtm: r.sysdtm,
            respcd: r.respcd,
            resperr: r.resperr,
            respmsg: r.respmsg,
            raw: r.raw,
        }
    }
}

/// QFPay's answer to a close or reversal.
#[napi(object)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
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
    pub raw: Map<String, Value>,
}

impl From<qfpay::Cancellation> for Cancellation {
    fn from(c: qfpay::Cancellation) -> Self {
        Self {
            syssn: c.syssn,
            orig_syssn: c.orig_syssn,
            out_trade_no: c.out_trade_no,
            txamt: c.txamt,
            respcd: c.respcd,
            resperr: c.resperr,
            respmsg: c.respmsg,
            raw: c.raw,
        }
    }
}

/// A verified notification.
#[napi(object)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    /// `notify_type`: `payment`, `refund` or another type as sent.
    pub notify_type: String,
    /// `status` (`"1"` = success).
    pub status: String,
    /// Whether `status` reports success: core's `Notification::is_success`.
    pub is_success: bool,
    /// Pay type code.
    pub pay_type: String,
    /// Transaction number.
    pub syssn: String,
    /// Merchant order number.
    pub out_trade_no: String,
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
    /// Cancellation status.
    pub cancel: String,
    /// Response code.
    pub respcd: String,
    /// Sub-merchant id (agents only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mchid: Option<String>,
    /// Goods description.
    pub goods_name: String,
    /// The wallet's transaction number.
    pub chnlsn: String,
    /// The original payment's number (refund notifications, when sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orig_syssn: Option<String>,
    /// The original payment's merchant number (refund notifications, when sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orig_out_trade_no: Option<String>,
    /// Every field QFPay sent.
    pub raw: Map<String, Value>,
}

impl From<qfpay::Notification> for Notification {
    fn from(n: qfpay::Notification) -> Self {
        Self {
            notify_type: n.kind.as_str().to_owned(),
            is_success: n.is_success(),
            status: n.status,
            pay_type: n.pay_type.code().to_owned(),
            syssn: n.syssn,
            out_trade_no: n.out_trade_no,
            txamt: n.txamt,
            txcurrcd: n.txcurrcd,
            txdtm: n.txdtm,
            sysdtm: n.sysdtm,
            paydtm: n.paydtm,
            cancel: n.cancel,
            respcd: n.respcd,
            mchid: n.mchid,
            goods_name: n.goods_name,
            chnlsn: n.chnlsn,
            orig_syssn: n.orig_syssn,
            orig_out_trade_no: n.orig_out_trade_no,
            raw: n.raw,
        }
    }
}
