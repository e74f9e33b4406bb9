//! The SDK's result types as JSON for `--json`: the same field names every binding uses
//! (tests/surface.json), amounts as integers, transactions with their `state`, and `raw`
//! (every field QFPay sent).

use qfpay::{Cancellation, Notification, Payment, QueryPage, Refund, Transaction};
use serde_json::{Value, json};

fn raw(map: &qfpay::RawMap) -> Value {
    Value::Object(map.clone())
}

/// A created payment.
pub fn payment(p: &Payment) -> Value {
    json!({
        "syssn": p.syssn,
        "out_trade_no": p.out_trade_no,
        "pay_type": p.pay_type.code(),
        "txamt": p.txamt,
        "txcurrcd": p.txcurrcd,
        "txdtm": p.txdtm,
        "sysdtm": p.sysdtm,
        "paydtm": p.paydtm,
        "qrcode": p.qrcode,
        "pay_url": p.pay_url,
        "chnlsn": p.chnlsn,
        "cardcd": p.cardcd,
        "udid": p.udid,
        "respcd": p.respcd,
        "resperr": p.resperr,
        "respmsg": p.respmsg,
        "raw": raw(&p.raw),
    })
}

/// One query record.
pub fn transaction(t: &Transaction) -> Value {
    json!({
        "syssn": t.syssn,
        "out_trade_no": t.out_trade_no,
        "order_type": t.order_type,
        "origssn": t.origssn,
        "pay_type": t.pay_type.code(),
        "txamt": t.txamt,
        "txcurrcd": t.txcurrcd,
        "txdtm": t.txdtm,
        "sysdtm": t.sysdtm,
        "paydtm": t.paydtm,
        "respcd": t.respcd,
        "errmsg": t.errmsg,
        "cancel": t.cancel,
        "goods_name": t.goods_name,
        "chnlsn": t.chnlsn,
        "state": t.state.as_str(),
        "is_paid": t.state.is_paid(),
        "is_refund": t.is_refund(),
        "raw": raw(&t.raw),
    })
}

/// A query page.
pub fn page(p: &QueryPage) -> Value {
    json!({
        "page": p.page,
        "page_size": p.page_size,
        "data": p.data.iter().map(transaction).collect::<Vec<_>>(),
        "raw": raw(&p.raw),
    })
}

/// An accepted refund.
pub fn refund(r: &Refund) -> Value {
    json!({
        "syssn": r.syssn,
        "orig_syssn": r.orig_syssn,
        "out_trade_no": r.out_trade_no,
        "txamt": r.txamt,
        "txcurrcd": r.txcurrcd,
        "txdtm": r.txdtm,
        "sysdtm": r.sysdtm,
        "respcd": r.respcd,
        "resperr": r.resperr,
        "respmsg": r.respmsg,
        "raw": raw(&r.raw),
    })
}

/// A close or reversal.
pub fn cancellation(c: &Cancellation) -> Value {
    json!({
        "syssn": c.syssn,
        "orig_syssn": c.orig_syssn,
        "out_trade_no": c.out_trade_no,
        "txamt": c.txamt,
        "respcd": c.respcd,
        "resperr": c.resperr,
        "respmsg": c.respmsg,
        "raw": raw(&c.raw),
    })
}

/// A verified notification.
pub fn notification(n: &Notification) -> Value {
    json!({
        "notify_type": n.kind.as_str(),
        "status": n.status,
        "pay_type": n.pay_type.code(),
        "syssn": n.syssn,
        "out_trade_no": n.out_trade_no,
        "txamt": n.txamt,
        "txcurrcd": n.txcurrcd,
        "txdtm": n.txdtm,
        "sysdtm": n.sysdtm,
        "paydtm": n.paydtm,
        "cancel": n.cancel,
        "respcd": n.respcd,
        "mchid": n.mchid,
        "goods_name": n.goods_name,
        "chnlsn": n.chnlsn,
        "orig_syssn": n.orig_syssn,
        "orig_out_trade_no": n.orig_out_trade_no,
        "is_success": n.is_success(),
        "raw": raw(&n.raw),
    })
}
