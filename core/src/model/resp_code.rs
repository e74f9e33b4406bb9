//! QFPay response codes (`respcd`) and what each category means for a caller.

/// What a `respcd` means for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RespCategory {
    /// `0000`: the request succeeded.
    Success,
    /// `1143`, `1145`, `1295`, `1298`: still processing; the outcome is not known yet, query it.
    Processing,
    /// `1108`: signature or credential error.
    Auth,
    /// `1103`, `1104`: the request was malformed or a parameter was rejected.
    InvalidRequest,
    /// The payment was declined by the wallet, bank or risk control.
    Declined,
    /// The `out_trade_no` was used before (`1102`, `2011`, or `1251` "out_trade_no is used").
    DuplicateOrder,
    /// The order is in a state that does not allow the operation (paid, closed, refunded...).
    OrderState,
    /// The refund was refused (amount, window, balance, partial refunds not supported...).
    RefundRejected,
    /// The merchant, device or store is not set up for this (`1105`-`1107`, `1203`, `1241`...).
    Account,
    /// QFPay or the channel had a transient problem; try again later.
    Server,
    /// A code this SDK does not know; treated as a failure.
    Unknown,
}

/// QFPay's response codes by category, as [`RespCategory::of`] reads them (`docs/errors.md` is
/// generated from this). `1251` is in neither list: its text tells a used `out_trade_no`
/// ([`RespCategory::DuplicateOrder`]) from a store set-up problem ([`RespCategory::Account`]).
pub const RESPCD: &[(RespCategory, &[&str])] = &[
    (RespCategory::Success, &["0000"]),
    (
        RespCategory::Processing,
        &["1143", "1145", "1295", "1298", "1161"],
    ),
    (RespCategory::Auth, &["1108", "2003"]),
    (RespCategory::InvalidRequest, &["1103", "1104"]),
    (RespCategory::DuplicateOrder, &["1102", "2011"]),
    (
        RespCategory::Declined,
        &[
            "1147", "1201", "1202", "1204", "1205", "1212", "1250", "1294", "2005", "2004", "2006",
            "2007", "1118",
        ],
    ),
    (
        RespCategory::OrderState,
        &[
            "1101", "1125", "1136", "1142", "1181", "1260", "1261", "1262", "1263", "1264", "1266",
            "1267", "1268",
        ],
    ),
    (
        RespCategory::RefundRejected,
        &[
            "1124", "1150", "1155", "1265", "1269", "1270", "1271", "1272",
        ],
    ),
    (
        RespCategory::Account,
        &[
            "1105", "1106", "1107", "1203", "1241", "1242", "1243", "2001", "2002",
        ],
    ),
    (
        RespCategory::Server,
        &["1100", "1252", "1254", "1296", "1297", "2009", "2010"],
    ),
];

impl RespCategory {
    /// The category of `respcd`; `resperr` and `respmsg` tell a duplicate `1251` from a
    /// store-configuration `1251`.
    pub fn of(respcd: &str, resperr: &str, respmsg: &str) -> Self {
        if respcd == "1251" {
            let text = format!("{resperr} {respmsg}").to_ascii_lowercase();
            return if text.contains("out_trade_no") || text.contains("duplicate") {
                Self::DuplicateOrder
            } else {
                Self::Account
            };
        }
        RESPCD
            .iter()
            .find(|(_, codes)| codes.contains(&respcd))
            .map_or(Self::Unknown, |(category, _)| *category)
    }

    /// The error code ([`crate::Error::code`]) of an API error in this category.
    pub fn error_code(self) -> &'static str {
        match self {
            Self::Auth => "auth",
            Self::InvalidRequest => "invalid_request",
            Self::Declined => "declined",
            Self::DuplicateOrder => "duplicate_order",
            Self::OrderState => "order_state",
            Self::RefundRejected => "refund_rejected",
            Self::Account => "account",
            Self::Server => "server",
            Self::Success | Self::Processing | Self::Unknown => "api",
        }
    }

    /// Whether a transaction with this code may still complete (query it).
    pub fn is_pending(self) -> bool {
        self == Self::Processing
    }
}

/// Whether `respcd` means "still processing, query for the result".
pub fn is_processing(respcd: &str) -> bool {
    RespCategory::of(respcd, "", "") == RespCategory::Processing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories() {
        assert_eq!(RespCategory::of("0000", "", ""), RespCategory::Success);
        assert!(RespCategory::of("1145", "", "").is_pending());
        assert_eq!(
            RespCategory::of(
                "1251",
                "Do not use duplicate out_trade_no for request(1251)",
                "out_trade_no is used"
            ),
            RespCategory::DuplicateOrder
        );
        assert_eq!(RespCategory::of("1251", "store", ""), RespCategory::Account);
        assert_eq!(
            RespCategory::of("1272", "", ""),
            RespCategory::RefundRejected
        );
        assert_eq!(RespCategory::of("9999", "", ""), RespCategory::Unknown);
    }
}
