//! Requests and results as uniffi records, and their conversions to and from the core's types.
//! Amounts are `i64` minor units; `raw` holds every field QFPay sent, non-string JSON values
//! as their JSON text.

use std::collections::HashMap;

use qfpay::{Currency, ExtendInfo, Money, PayType};

use crate::errors::{FfiResult, to_u32};

/// QFPay's fields as strings (non-string JSON values as their JSON text).
pub(crate) fn raw_map(raw: &qfpay::RawMap) -> HashMap<String, String> {
    raw.iter()
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), text)
        })
        .collect()
}

fn money(amount: i64, currency: &str) -> FfiResult<Money> {
    Ok(Money::new(amount, Currency::parse(currency)?))
}

/// A payment to create (`/trade/v1/payment`).
#[derive(Debug, Clone, uniffi::Record)]
pub struct FfiPaymentRequest {
    /// `txamt` in minor units.
    pub amount: i64,
    /// `txcurrcd` (`HKD`, `CNY`, ...).
    pub currency: String,
    /// `pay_type` (`800201` is WeChat Pay QR).
    pub pay_type: String,
    /// `out_trade_no`; generated when absent.
    pub out_trade_no: Option<String>,
    /// `txdtm`; the current time when absent.
    pub txdtm: Option<String>,
    /// `auth_code` (CPM).
    pub auth_code: Option<String>,
    /// `expired_time` in minutes (MPM).
    pub expired_time: Option<i64>,
    /// `goods_name`.
    pub goods_name: Option<String>,
    /// `goods_info`.
    pub goods_info: Option<String>,
    /// `mchid`.
    pub mchid: Option<String>,
    /// `udid`.
    pub udid: Option<String>,
    /// `notify_url`.
    pub notify_url: Option<String>,
    /// `return_url`.
    pub return_url: Option<String>,
    /// `rmb_tag`.
    pub rmb_tag: Option<String>,
    /// `extend_info` real-name verification: `user_creid`.
    pub user_creid: Option<String>,
    /// `extend_info` real-name verification: `user_truename`.
    pub user_truename: Option<String>,
    /// `extend_info` as a JSON object sent exactly as given (instead of real-name fields).
    pub extend_info_json: Option<String>,
    /// `limit_pay`.
    pub limit_pay: Option<String>,
    /// `pay_tag`.
    pub pay_tag: Option<String>,
    /// `sub_openid`.
    pub sub_openid: Option<String>,
}

impl FfiPaymentRequest {
    pub(crate) fn into_core(self) -> FfiResult<qfpay::PaymentRequest> {
        let mut r = qfpay::PaymentRequest::new(
            money(self.amount, &self.currency)?,
            PayType::from_code(&self.pay_type),
        );
        r.out_trade_no = self.out_trade_no;
        r.txdtm = self.txdtm;
        r.auth_code = self.auth_code;
        r.expired_time = self
            .expired_time
            .map(|m| to_u32("expired_time", m))
            .transpose()?;
        r.goods_name = self.goods_name;
        r.goods_info = self.goods_info;
        r.mchid = self.mchid;
        r.udid = self.udid;
        r.notify_url = self.notify_url;
        r.return_url = self.return_url;
        r.rmb_tag = self.rmb_tag;
        r.extend_info = match (self.extend_info_json, self.user_creid, self.user_truename) {
            (Some(json), _, _) => Some(ExtendInfo::Json(json)),
            (None, None, None) => None,
            (None, creid, name) => Some(ExtendInfo::real_name(
                creid.unwrap_or_default(),
                name.unwrap_or_default(),
            )),
        };
        r.limit_pay = self.limit_pay;
        r.pay_tag = self.pay_tag;
        r.sub_openid = self.sub_openid;
        Ok(r)
    }
}

/// QFPay's answer to a payment.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FfiPayment {
    /// QFPay's transaction number.
    pub syssn: String,
    /// The merchant order number.
    pub out_trade_no: String,
    /// `pay_type`.
    pub pay_type: String,
    /// Amount in minor units.
    pub txamt: i64,
    /// Currency.
    pub txcurrcd: String,
    /// `txdtm` as sent.
    pub txdtm: String,
    /// QFPay's system time.
    pub sysdtm: String,
    /// Payment time, when paid.
    pub paydtm: String,
    /// The QR code content to show (MPM).
    pub qrcode: Option<String>,
    /// The payment URL (online payments).
    pub pay_url: Option<String>,
    /// The wallet's transaction number.
    pub chnlsn: String,
    /// Card or wallet identifier.
    pub cardcd: String,
    /// `udid`.
    pub udid: String,
    /// `respcd`.
    pub respcd: String,
    /// `resperr`.
    pub resperr: String,
    /// `respmsg`.
    pub respmsg: String,
    /// Every field QFPay sent.
    pub raw: HashMap<String, String>,
}

impl From<qfpay::Payment> for FfiPayment {
    fn from(p: qfpay::Payment) -> Self {
        Self {
            raw: raw_map(&p.raw),
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
        }
    }
}

/// A transaction query (`/trade/v1/query`).
#[derive(Debug, Clone, uniffi::Record)]
pub struct FfiQueryRequest {
    /// `syssn` values.
    pub syssn: Vec<String>,
    /// `out_trade_no` values.
    pub out_trade_no: Vec<String>,
    /// `pay_type` codes.
    pub pay_type: Vec<String>,
    /// `respcd` filter.
    pub respcd: Option<String>,
    /// `start_time`.
    pub start_time: Option<String>,
    /// `end_time`.
    pub end_time: Option<String>,
    /// `page` (from 1).
    pub page: Option<i64>,
    /// `page_size`.
    pub page_size: Option<i64>,
    /// `mchid`.
    pub mchid: Option<String>,
}

impl FfiQueryRequest {
    pub(crate) fn into_core(self) -> FfiResult<qfpay::QueryRequest> {
        let mut q = qfpay::QueryRequest::new();
        q.syssn = self.syssn;
        q.out_trade_no = self.out_trade_no;
        q.pay_type = self
            .pay_type
            .iter()
            .map(|c| PayType::from_code(c))
            .collect();
        q.respcd = self.respcd;
        q.start_time = self.start_time;
        q.end_time = self.end_time;
        q.page = self.page.map(|v| to_u32("page", v)).transpose()?;
        q.page_size = self.page_size.map(|v| to_u32("page_size", v)).transpose()?;
        q.mchid = self.mchid;
        Ok(q)
    }
}

/// One transaction record.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FfiTransaction {
    /// QFPay's transaction number.
    pub syssn: String,
    /// The merchant order number.
    pub out_trade_no: String,
    /// `order_type` (`payment`, `refund`...).
    pub order_type: String,
    /// The original transaction of a refund.
    pub origssn: Option<String>,
    /// `pay_type`.
    pub pay_type: String,
    /// Amount in minor units.
    pub txamt: i64,
    /// Currency.
    pub txcurrcd: String,
    /// `txdtm`.
    pub txdtm: String,
    /// `sysdtm`.
    pub sysdtm: String,
    /// `paydtm`.
    pub paydtm: String,
    /// `respcd`.
    pub respcd: String,
    /// `errmsg`.
    pub errmsg: String,
    /// `cancel`.
    pub cancel: String,
    /// `goods_name`.
    pub goods_name: String,
    /// `chnlsn`.
    pub chnlsn: String,
    /// `succeeded`, `pending`, `failed`, `refunded`, `partially_refunded` or `cancelled`.
    pub state: String,
    /// The core's `Transaction::is_paid`: the money was taken (possibly refunded since).
    pub is_paid: bool,
    /// The core's `Transaction::is_refund`: this record is a refund.
    pub is_refund: bool,
    /// Every field QFPay sent for the record.
    pub raw: HashMap<String, String>,
}

impl From<qfpay::Transaction> for FfiTransaction {
    fn from(t: qfpay::Transaction) -> Self {
        Self {
            is_paid: t.is_paid(),
            is_refund: t.is_refund(),
            raw: raw_map(&t.raw),
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
        }
    }
}

/// One page of a query.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FfiQueryPage {
    /// The page number.
    pub page: i64,
    /// The page size.
    pub page_size: i64,
    /// The records.
    pub data: Vec<FfiTransaction>,
    /// Every top-level field QFPay sent.
    pub raw: HashMap<String, String>,
}

impl From<qfpay::QueryPage> for FfiQueryPage {
    fn from(p: qfpay::QueryPage) -> Self {
        Self {
            raw: raw_map(&p.raw),
            page: i64::from(p.page),
            page_size: i64::from(p.page_size),
            data: p.data.into_iter().map(Into::into).collect(),
        }
    }
}

/// A refund (`/trade/v1/refund`).
#[derive(Debug, Clone, uniffi::Record)]
pub struct FfiRefundRequest {
    /// The payment's `syssn`.
    pub syssn: String,
    /// Amount to refund in minor units.
    pub amount: i64,
    /// Currency.
    pub currency: String,
    /// The refund's own `out_trade_no`; generated when absent.
    pub out_trade_no: Option<String>,
    /// `txdtm`.
    pub txdtm: Option<String>,
    /// `mchid`.
    pub mchid: Option<String>,
    /// `udid`.
    pub udid: Option<String>,
}

impl FfiRefundRequest {
    pub(crate) fn into_core(self) -> FfiResult<qfpay::RefundRequest> {
        let mut r = qfpay::RefundRequest::new(self.syssn, money(self.amount, &self.currency)?);
        if self.out_trade_no.is_some() {
            r.out_trade_no = self.out_trade_no;
        }
        r.txdtm = self.txdtm;
        r.mchid = self.mchid;
        r.udid = self.udid;
        Ok(r)
    }
}

/// QFPay's answer to a refund.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FfiRefund {
    /// The refund's transaction number.
    pub syssn: String,
    /// The refunded payment's transaction number.
    pub orig_syssn: String,
    /// The refund's merchant order number.
    pub out_trade_no: String,
    /// Amount in minor units.
    pub txamt: i64,
    /// Currency.
    pub txcurrcd: String,
    /// `txdtm`.
    pub txdtm: String,
    /// `sysdtm`.
    pub sysdtm: String,
    /// `respcd`.
    pub respcd: String,
    /// `resperr`.
    pub resperr: String,
    /// `respmsg`.
    pub respmsg: String,
    /// Every field QFPay sent.
    pub raw: HashMap<String, String>,
}

impl From<qfpay::Refund> for FfiRefund {
    fn from(r: qfpay::Refund) -> Self {
        Self {
            raw: raw_map(&r.raw),
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
        }
    }
}

/// A close or reversal (`/trade/v1/close`, `/trade/v1/reversal`).
#[derive(Debug, Clone, uniffi::Record)]
pub struct FfiCancelRequest {
    /// The payment's `syssn` (this or `out_trade_no`).
    pub syssn: Option<String>,
    /// The payment's `out_trade_no` (this or `syssn`).
    pub out_trade_no: Option<String>,
    /// The payment's amount in minor units.
    pub amount: i64,
    /// Currency.
    pub currency: String,
    /// `txdtm`.
    pub txdtm: Option<String>,
    /// `mchid`.
    pub mchid: Option<String>,
    /// `udid`.
    pub udid: Option<String>,
}

impl FfiCancelRequest {
    pub(crate) fn into_core(self) -> FfiResult<qfpay::CancelRequest> {
        let amount = money(self.amount, &self.currency)?;
        let mut r = match (self.syssn, self.out_trade_no) {
            (Some(s), o) => {
                let mut r = qfpay::CancelRequest::by_syssn(s, amount);
                r.out_trade_no = o;
                r
            }
            (None, Some(o)) => qfpay::CancelRequest::by_out_trade_no(o, amount),
            (None, None) => {
                let mut r = qfpay::CancelRequest::by_syssn(String::new(), amount);
                r.syssn = None;
                r
            }
        };
        r.txdtm = self.txdtm;
        r.mchid = self.mchid;
        r.udid = self.udid;
        Ok(r)
    }
}

/// QFPay's answer to a close or reversal.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FfiCancellation {
    /// The cancellation's transaction number.
    pub syssn: String,
    /// The cancelled payment's transaction number.
    pub orig_syssn: String,
    /// The cancelled payment's merchant order number.
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
    pub raw: HashMap<String, String>,
}

impl From<qfpay::Cancellation> for FfiCancellation {
    fn from(c: qfpay::Cancellation) -> Self {
        Self {
            raw: raw_map(&c.raw),
            syssn: c.syssn,
            orig_syssn: c.orig_syssn,
            out_trade_no: c.out_trade_no,
            txamt: c.txamt,
            respcd: c.respcd,
            resperr: c.resperr,
            respmsg: c.respmsg,
        }
    }
}

/// A verified notification.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FfiNotification {
    /// `notify_type`: `payment`, `refund` or another value as sent.
    pub notify_type: String,
    /// `status`.
    pub status: String,
    /// `pay_type`.
    pub pay_type: String,
    /// `syssn`.
    pub syssn: String,
    /// `out_trade_no`.
    pub out_trade_no: String,
    /// Amount in minor units.
    pub txamt: i64,
    /// Currency.
    pub txcurrcd: String,
    /// `txdtm`.
    pub txdtm: String,
    /// `sysdtm`.
    pub sysdtm: String,
    /// `paydtm`.
    pub paydtm: String,
    /// `cancel`.
    pub cancel: String,
    /// `respcd`.
    pub respcd: String,
    /// `mchid`.
    pub mchid: Option<String>,
    /// `goods_name`.
    pub goods_name: String,
    /// `chnlsn`.
    pub chnlsn: String,
    /// The original transaction (refunds).
    pub orig_syssn: Option<String>,
    /// The original order number (refunds).
    pub orig_out_trade_no: Option<String>,
    /// Whether this reports a success.
    pub is_success: bool,
    /// Every field sent.
    pub raw: HashMap<String, String>,
}

impl From<qfpay::Notification> for FfiNotification {
    fn from(n: qfpay::Notification) -> Self {
        Self {
            is_success: n.is_success(),
            raw: raw_map(&n.raw),
            notify_type: n.kind.as_str().to_owned(),
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
        }
    }
}
