//! Asynchronous notifications: verify the signature on the raw body, then read it.

use crate::error::{Error, Result};
use crate::model::fields::{self, RawMap};
use crate::model::pay_type::PayType;
use crate::sign;

/// The body a notification receiver must answer with (HTTP 200), or QFPay sends it again.
pub const ACK_BODY: &str = "SUCCESS";

/// What a notification is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotificationKind {
    /// A payment succeeded.
    Payment,
    /// A refund succeeded.
    Refund,
    /// Another `notify_type` (for example `unfreeze`), kept as sent.
    Other(String),
}

impl NotificationKind {
    /// The `notify_type` value.
    pub fn as_str(&self) -> &str {
        match self {
            NotificationKind::Payment => "payment",
            NotificationKind::Refund => "refund",
            NotificationKind::Other(s) => s,
        }
    }
}

/// A verified notification.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    /// `notify_type`.
    pub kind: NotificationKind,
    /// `status` (`"1"` = success).
    pub status: String,
    /// Payment method.
    pub pay_type: PayType,
    /// Transaction number (for refunds, usually the refund's own).
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
    /// Response code (`0000`).
    pub respcd: String,
    /// Sub-merchant id (agents only).
    pub mchid: Option<String>,
    /// Goods description.
    pub goods_name: String,
    /// The wallet's transaction number.
    pub chnlsn: String,
    /// The original payment's number (refund notifications, when sent).
    pub orig_syssn: Option<String>,
    /// The original payment's merchant number (refund notifications, when sent).
    pub orig_out_trade_no: Option<String>,
    /// Every field QFPay sent.
    pub raw: RawMap,
}

impl Notification {
    /// Whether the notification reports success (`status` `1`).
    pub fn is_success(&self) -> bool {
        self.status == "1"
    }

    /// Reads a body whose signature was already checked.
    pub fn parse(raw_body: &[u8]) -> Result<Self> {
        Self::parse_inner(raw_body).map_err(|e| e.decoding("the notification"))
    }

    fn parse_inner(raw_body: &[u8]) -> Result<Self> {
        let raw = fields::parse_object(raw_body)?;
        let kind = match fields::text(&raw, "notify_type").as_str() {
            "payment" => NotificationKind::Payment,
            "refund" => NotificationKind::Refund,
            "" => return Err(Error::Decode("it has no notify_type".into())),
            other => NotificationKind::Other(other.to_owned()),
        };
        Ok(Self {
            kind,
            status: fields::text(&raw, "status"),
            pay_type: PayType::from_code(&fields::text(&raw, "pay_type")),
            syssn: fields::text(&raw, "syssn"),
            out_trade_no: fields::text(&raw, "out_trade_no"),
            txamt: fields::amount(&raw, "txamt")?.unwrap_or(0),
            txcurrcd: fields::text(&raw, "txcurrcd"),
            txdtm: fields::text(&raw, "txdtm"),
            sysdtm: fields::text(&raw, "sysdtm"),
            paydtm: fields::text(&raw, "paydtm"),
            cancel: fields::text(&raw, "cancel"),
            respcd: fields::text(&raw, "respcd"),
            mchid: fields::opt_text(&raw, "mchid"),
            goods_name: fields::text(&raw, "goods_name"),
            chnlsn: fields::text(&raw, "chnlsn"),
            orig_syssn: fields::opt_text(&raw, "orig_syssn"),
            orig_out_trade_no: fields::opt_text(&raw, "orig_out_trade_no"),
            raw,
        })
    }
}

/// Verifies `signature` (the `X-QF-SIGN` header) over the exact bytes received, then reads the
/// notification. Pass the raw request body: a body parsed and re-serialised by a framework no
/// longer matches the signature.
pub fn verify(raw_body: &[u8], signature: &str, client_key: &str) -> Result<Notification> {
    if client_key.is_empty() {
        return Err(Error::config_option("client_key", "is empty"));
    }
    if signature.trim().is_empty() {
        return Err(Error::Signature(
            "notification signature mismatch: the X-QF-SIGN header is missing or empty".into(),
        ));
    }
    if !sign::verify_notification_signature(raw_body, signature, client_key) {
        return Err(Error::Signature(format!(
            "notification signature mismatch: {}",
            mismatch_hint(raw_body)
        )));
    }
    Notification::parse(raw_body)
}

fn mismatch_hint(raw_body: &[u8]) -> String {
    let mut msg = String::from("the X-QF-SIGN header does not match the body and client key");
    if raw_body.starts_with(&[0xEF, 0xBB, 0xBF]) {
        msg.push_str("; the body starts with a byte-order mark that QFPay did not send");
    } else if raw_body.windows(2).any(|w| w == b"\":") && !raw_body.windows(3).any(|w| w == b"\": ")
    {
        msg.push_str(
            "; the body looks re-serialised (QFPay sends \", \" and \": \" separators): pass the raw request body, not a parsed and re-encoded one",
        );
    } else {
        msg.push_str("; check that this is the client key of the app code that took the payment");
    }
    msg
}

crate::model::describe::describe!(Notification "A verified asynchronous notification from QFPay." {
    notify_type: "str" "payment, refund, or the kind QFPay sent." = |n| n.kind.as_str(),
    status: "str" "Status (1 = success)." = |n| &n.status,
    pay_type: "str" "Payment method (pay type code)." = |n| n.pay_type.code(),
    syssn: "str" "Transaction number (for refunds, usually the refund's own)." = |n| &n.syssn,
    out_trade_no: "str" "Merchant order number." = |n| &n.out_trade_no,
    txamt: "int" "Amount in minor units." = |n| n.txamt,
    txcurrcd: "str" "Currency code." = |n| &n.txcurrcd,
    txdtm: "str" "Request time." = |n| &n.txdtm,
    sysdtm: "str" "System time." = |n| &n.sysdtm,
    paydtm: "str" "Payment time." = |n| &n.paydtm,
    cancel: "str" "Cancellation status." = |n| &n.cancel,
    respcd: "str" "Response code (0000)." = |n| &n.respcd,
    mchid: "str?" "Sub-merchant id (agents only)." = |n| &n.mchid,
    goods_name: "str" "Goods description." = |n| &n.goods_name,
    chnlsn: "str" "The wallet's transaction number." = |n| &n.chnlsn,
    orig_syssn: "str?" "The original payment's number (refund notifications, when sent)." = |n| &n.orig_syssn,
    orig_out_trade_no: "str?" "The original payment's merchant order number (refund notifications, when sent)." = |n| &n.orig_out_trade_no,
    is_success: "bool" "Whether the notification reports success (status 1)." = |n| n.is_success(),
    raw: "raw" "Every field QFPay sent." = |n| &n.raw,
});

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"status": "1", "pay_type": "800201", "txamt": "300", "notify_type": "payment", "syssn": "20200514000300020093755455", "out_trade_no": "A1", "cancel": "0", "respcd": "0000"}"#;

    #[test]
    fn good_tampered_wrong_key() {
        let sig = sign::notification_signature(BODY, "k1");
        let n = verify(BODY, &sig, "k1");
        assert!(matches!(&n, Ok(n) if n.kind == NotificationKind::Payment && n.txamt == 300));
        let mut tampered = BODY.to_vec();
        tampered[40] = b'9';
        assert_eq!(
            verify(&tampered, &sig, "k1").err().map(|e| e.code()),
            Some("signature")
        );
        assert_eq!(
            verify(BODY, &sig, "k2").err().map(|e| e.code()),
            Some("signature")
        );
        let compact = br#"{"status":"1"}"#;
        let msg = verify(compact, &sig, "k1")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(msg.contains("re-serialised"), "{msg}");
    }

    #[test]
    fn decode_errors_say_notification() {
        let body = b"not json";
        let sig = sign::notification_signature(body, "k1");
        let e = verify(body, &sig, "k1").unwrap_err();
        assert_eq!(e.code(), "decode");
        let msg = e.to_string();
        assert!(
            msg.contains("notification") && !msg.contains("QFPay's answer"),
            "{msg}"
        );
    }
}
