//! The surface's tables: every option, argument and request field a binding takes, with its
//! kind, default, QFPay field and one-line doc; every operation with what it takes; every error
//! code with what it means. The appliers ([`super::apply`]) read values by these names, the
//! schema ([`super::schema`]) publishes them, and the generated type files are written from it.

/// What a value must be (each language words it its own way, [`super::Lang::expected`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text.
    Text,
    /// Secret text (the client key): never quoted, never shown.
    Secret,
    /// Text, or a list of text (query filters).
    TextList,
    /// A whole number of minor units (an amount).
    Amount,
    /// A whole number from 0 to 2^32 − 1 (counts, pages, seconds of validity).
    Count,
    /// A whole number of seconds, which may be negative (an offset from UTC).
    Offset,
    /// A duration, in the language's unit ([`super::Lang::duration_unit`]).
    Duration,
    /// A currency code (`HKD`).
    Currency,
    /// `extend_info`: real-name fields, or any JSON object given as text.
    ExtendInfo,
    /// A map (the sandbox's merchants).
    Map,
    /// On or off.
    Flag,
    /// Any finite number (a scale).
    Number,
    /// The merchant's ledger: CSV text with a header, or a list of maps
    /// (`out_trade_no`, `amount`, `currency`, `state`?, `refunded`?).
    Ledger,
}

impl Kind {
    /// The kind's name in the schema.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Text => "str",
            Kind::Secret => "secret",
            Kind::TextList => "str_list",
            Kind::Amount => "int",
            Kind::Count => "count",
            Kind::Offset => "offset",
            Kind::Duration => "duration",
            Kind::Currency => "currency",
            Kind::ExtendInfo => "extend_info",
            Kind::Map => "map",
            Kind::Flag => "flag",
            Kind::Number => "number",
            Kind::Ledger => "ledger",
        }
    }
}

/// One option, argument or request field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opt {
    /// The canonical (snake_case) name; each language spells it by its convention
    /// ([`super::Lang::option`]).
    pub name: &'static str,
    /// What the value must be.
    pub kind: Kind,
    /// The default when not given, as documentation (`"30 s"`, `"HKD"`), if any.
    pub default: Option<&'static str>,
    /// The QFPay field it is sent as (request fields), which errors name.
    pub field: Option<&'static str>,
    /// One line of documentation.
    pub doc: &'static str,
}

const fn opt(name: &'static str, kind: Kind, doc: &'static str) -> Opt {
    Opt {
        name,
        kind,
        default: None,
        field: None,
        doc,
    }
}

const fn dflt(name: &'static str, kind: Kind, default: &'static str, doc: &'static str) -> Opt {
    Opt {
        name,
        kind,
        default: Some(default),
        field: None,
        doc,
    }
}

const fn field(name: &'static str, kind: Kind, doc: &'static str) -> Opt {
    Opt {
        name,
        kind,
        default: None,
        field: Some(name),
        doc,
    }
}

/// The client's options (constructor keywords, options object, builder methods).
pub const CLIENT_OPTIONS: &[Opt] = &[
    opt(
        "app_code",
        Kind::Text,
        "X-QF-APPCODE, from QFPay (QFPAY_APP_CODE).",
    ),
    opt(
        "client_key",
        Kind::Secret,
        "The signing key, from QFPay (QFPAY_CLIENT_KEY); never shown.",
    ),
    dflt(
        "environment",
        Kind::Text,
        "live_test",
        "production, live_test or card_sandbox (QFPAY_ENV).",
    ),
    opt(
        "base_url",
        Kind::Text,
        "A base URL instead of an environment: the local sandbox's (QFPAY_BASE_URL).",
    ),
    opt(
        "mchid",
        Kind::Text,
        "Default sub-merchant id for every request (agents; QFPAY_MCHID).",
    ),
    dflt(
        "sign_type",
        Kind::Text,
        "md5",
        "md5 or sha256 (QFPAY_SIGN_TYPE).",
    ),
    dflt(
        "timeout",
        Kind::Duration,
        "30 s",
        "Deadline for a whole call, retries included; greater than zero.",
    ),
    dflt(
        "connect_timeout",
        Kind::Duration,
        "5 s",
        "Time allowed to open a connection; greater than zero.",
    ),
    dflt(
        "max_retries",
        Kind::Count,
        "2",
        "Retries after a failure QFPay never processed.",
    ),
    dflt(
        "reconcile_timeout",
        Kind::Duration,
        "15 s",
        "How long to query for a money-moving call's outcome once it became unknown.",
    ),
    dflt(
        "retry_base_delay",
        Kind::Duration,
        "0.5 s",
        "First retry delay; doubles each retry, with jitter.",
    ),
    dflt(
        "retry_max_delay",
        Kind::Duration,
        "5 s",
        "Largest retry delay.",
    ),
    dflt(
        "utc_offset_seconds",
        Kind::Offset,
        "28800",
        "Offset from UTC of the clock used for txdtm (QFPay Hong Kong: +8 h).",
    ),
    opt(
        "proxy",
        Kind::Text,
        "HTTP(S) proxy URL, or none for direct connections (QFPAY_PROXY, then HTTPS_PROXY).",
    ),
];

/// Per-call options every operation takes (over the client's).
pub const CALL_OPTIONS: &[Opt] = &[
    opt(
        "timeout",
        Kind::Duration,
        "This call's deadline instead of the client's; greater than zero.",
    ),
    opt(
        "max_retries",
        Kind::Count,
        "This call's retries instead of the client's.",
    ),
];

/// The options of `wait_for_payment`.
pub const WAIT_OPTIONS: &[Opt] = &[
    dflt(
        "timeout",
        Kind::Duration,
        "120 s",
        "Give up after this long.",
    ),
    dflt(
        "interval",
        Kind::Duration,
        "1 s",
        "First interval between queries (each is 1.5 times longer).",
    ),
    dflt(
        "max_interval",
        Kind::Duration,
        "5 s",
        "Largest interval between queries.",
    ),
];

const AMOUNT: Opt = Opt {
    name: "amount",
    kind: Kind::Amount,
    default: None,
    field: Some("txamt"),
    doc: "Amount in integer minor units (300 is HK$3.00).",
};
const CURRENCY: Opt = Opt {
    name: "currency",
    kind: Kind::Currency,
    default: None,
    field: Some("txcurrcd"),
    doc: "Currency code (HKD, CNY, ...).",
};
const PAY_TYPE: Opt = field(
    "pay_type",
    Kind::Text,
    "QFPay pay type code (800201 is WeChat QR).",
);
const OUT_TRADE_NO: Opt = field(
    "out_trade_no",
    Kind::Text,
    "Merchant order number, unique per app code (generated when absent; on errors too).",
);
const TXDTM: Opt = field(
    "txdtm",
    Kind::Text,
    "Request time, YYYY-MM-DD hh:mm:ss (now, in the client's offset, when absent).",
);
const MCHID: Opt = field("mchid", Kind::Text, "Sub-merchant id (agents).");
const UDID: Opt = field("udid", Kind::Text, "Device id.");
const SYSSN: Opt = field("syssn", Kind::Text, "QFPay's transaction number.");

const PAYMENT_FIELDS: &[Opt] = &[
    OUT_TRADE_NO,
    TXDTM,
    field(
        "expired_time",
        Kind::Count,
        "Minutes the QR code stays payable (5 to 120; WeChat, Alipay QR).",
    ),
    field(
        "goods_name",
        Kind::Text,
        "Goods description shown to the customer (at most 20 characters).",
    ),
    field("goods_info", Kind::Text, "Goods details."),
    MCHID,
    UDID,
    field(
        "notify_url",
        Kind::Text,
        "Where QFPay posts this order's notifications.",
    ),
    field(
        "return_url",
        Kind::Text,
        "Where the customer returns after paying (H5 / WAP).",
    ),
    field("rmb_tag", Kind::Text, "Y to charge in CNY (WeChat Pay HK)."),
    field(
        "extend_info",
        Kind::ExtendInfo,
        "Real-name fields (user_creid, user_truename) or any JSON object as text.",
    ),
    field(
        "limit_pay",
        Kind::Text,
        "no_credit to refuse credit cards (mainland wallets).",
    ),
    field(
        "failed_url",
        Kind::Text,
        "Where the customer goes when the payment fails (web / WAP flows).",
    ),
    field(
        "cancel_url",
        Kind::Text,
        "Where the customer goes on cancelling (web / WAP flows).",
    ),
    EXTRA_PARAMS,
];

const RETURN_URL: Opt = field(
    "return_url",
    Kind::Text,
    "Where the customer goes after paying.",
);
const FAILED_URL: Opt = field(
    "failed_url",
    Kind::Text,
    "Where the customer goes when the payment fails.",
);
const NOTIFY_URL: Opt = field(
    "notify_url",
    Kind::Text,
    "Where QFPay posts the notification.",
);

const CHECKOUT_FIELDS: &[Opt] = &[
    OUT_TRADE_NO,
    TXDTM,
    Opt {
        default: Some(crate::checkout::DEFAULT_PAYSOURCE),
        ..field(
            "paysource",
            Kind::Text,
            "The checkout's source; must end in _checkout.",
        )
    },
    field(
        "cancel_url",
        Kind::Text,
        "Where the customer goes on cancelling.",
    ),
    field(
        "mchntid",
        Kind::Text,
        "Sub-merchant id (agents; the client's mchid when absent).",
    ),
    field(
        "goods_name",
        Kind::Text,
        "Goods shown on the page (at most 64 characters; QFPay advises 20).",
    ),
    UDID,
    field(
        "expired_time",
        Kind::Count,
        "Minutes the wallet's QR code stays payable (5 to 120; WeChat, Alipay).",
    ),
    field(
        "checkout_expired_time",
        Kind::Count,
        "Minutes the checkout page stays open (1 to 999).",
    ),
    Opt {
        field: Some("checkout_expired_time"),
        ..opt(
            "checkout_expires_at",
            Kind::Text,
            "When the checkout page closes, YYYY-MM-DD hh:mm:ss in the client's offset (sent as Unix milliseconds); instead of checkout_expired_time.",
        )
    },
    field(
        "limit_pay",
        Kind::Text,
        "no_credit to refuse credit cards (WeChat).",
    ),
    field(
        "lang",
        Kind::Text,
        "The page's language: zh-hk, zh-cn or en.",
    ),
];

const WECHAT_MCHID: &[Opt] = &[MCHID];

const CASHIER_FIELDS: &[Opt] = &[
    field(
        "goods_name",
        Kind::Text,
        "Goods shown on the page (at most 64 characters).",
    ),
    opt(
        "region",
        Kind::Text,
        "The cashier's region: hk, cn or th (the client's base URL's when absent; the local sandbox serves the page itself).",
    ),
];

const CPM_FIELDS: &[Opt] = &[
    field(
        "auth_code",
        Kind::Text,
        "The code scanned from the customer's wallet (consumer-presented pay types).",
    ),
    field("pay_tag", Kind::Text, "Wallet tag (ALIPAYHK, ALIPAYCN)."),
    field(
        "sub_openid",
        Kind::Text,
        "The payer's WeChat openid (JSAPI 800207, mini-program 800213: required there).",
    ),
    field(
        "openid",
        Kind::Text,
        "The payer's Alipay user id (service window 800107: required there; not sub_openid).",
    ),
    field(
        "seller_id",
        Kind::Text,
        "The Alipay seller id (Alipay in-app 801110, 801510: required there).",
    ),
];

/// Parameters QFPay adds after this SDK: `extra_params`.
pub const EXTRA_PARAMS: Opt = Opt {
    name: "extra_params",
    kind: Kind::Map,
    default: None,
    field: Some("extra_params"),
    doc: "Parameters this SDK does not name, as text, signed and sent like the rest; a typed field's name is refused.",
};

const ORDER_FIELDS: &[Opt] = &[OUT_TRADE_NO, TXDTM, MCHID, UDID];

/// One operation of the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The canonical name.
    pub name: &'static str,
    /// Whether it can move money (its errors always carry the order number).
    pub moves_money: bool,
    /// Whether it talks to QFPay. One that does not (a link built and signed locally) is a
    /// plain synchronous call in every language, also on async clients, and takes no per-call
    /// options.
    pub io: bool,
    /// Its required arguments, in order (positional where the language has them).
    pub args: &'static [Opt],
    /// Its optional arguments (keyword / object members).
    pub options: &'static [&'static [Opt]],
    /// The options it takes besides (per-call or wait options).
    pub call: &'static [Opt],
    /// The result type.
    pub returns: &'static str,
    /// One line of documentation.
    pub doc: &'static str,
}

impl Operation {
    /// Every optional argument, in order.
    pub fn optional(&self) -> impl Iterator<Item = &'static Opt> + '_ {
        self.options.iter().flat_map(|g| g.iter())
    }
}

const QUERY_FIELDS: &[Opt] = &[
    field(
        "syssn",
        Kind::TextList,
        "QFPay transaction numbers (one, or a list).",
    ),
    field(
        "out_trade_no",
        Kind::TextList,
        "Merchant order numbers (one, or a list).",
    ),
    field(
        "pay_type",
        Kind::TextList,
        "Pay type codes (one, or a list).",
    ),
    field(
        "respcd",
        Kind::Text,
        "Only transactions with this status code.",
    ),
    field(
        "start_time",
        Kind::Text,
        "Start of the time range (YYYY-MM-DD hh:mm:ss; same month as end_time).",
    ),
    field("end_time", Kind::Text, "End of the time range."),
    field("page", Kind::Count, "Page number, from 1."),
    field("page_size", Kind::Count, "Records per page (at most 100)."),
    MCHID,
];

/// `wechat_qr`'s currency when none is given.
pub const WECHAT_QR_CURRENCY: &str = "HKD";

/// Every operation of the client, in the order the documentation gives them.
pub const OPERATIONS: &[Operation] = &[
    Operation {
        name: "create_payment",
        moves_money: true,
        io: true,
        args: &[AMOUNT, CURRENCY, PAY_TYPE],
        options: &[PAYMENT_FIELDS, CPM_FIELDS],
        call: CALL_OPTIONS,
        returns: "Payment",
        doc: "Creates a payment of any pay type.",
    },
    Operation {
        name: "wechat_qr",
        moves_money: true,
        io: true,
        args: &[
            AMOUNT,
            Opt {
                default: Some(WECHAT_QR_CURRENCY),
                ..CURRENCY
            },
        ],
        options: &[PAYMENT_FIELDS],
        call: CALL_OPTIONS,
        returns: "Payment",
        doc: "Creates a WeChat QR payment (800201): show its qrcode to the customer.",
    },
    Operation {
        name: "query",
        moves_money: false,
        io: true,
        args: &[],
        options: &[QUERY_FIELDS],
        call: CALL_OPTIONS,
        returns: "QueryPage",
        doc: "One page of transactions matching the filters.",
    },
    Operation {
        name: "query_pages",
        moves_money: false,
        io: true,
        args: &[],
        options: &[QUERY_FIELDS],
        call: CALL_OPTIONS,
        returns: "list<QueryPage>",
        doc: "Every page of transactions matching the filters, fetched as you iterate.",
    },
    Operation {
        name: "find_payment",
        moves_money: false,
        io: true,
        args: &[OUT_TRADE_NO],
        options: &[],
        call: CALL_OPTIONS,
        returns: "Transaction?",
        doc: "The payment with this order number, or null when QFPay has none.",
    },
    Operation {
        name: "refund",
        moves_money: true,
        io: true,
        args: &[SYSSN, AMOUNT, CURRENCY],
        options: &[ORDER_FIELDS],
        call: CALL_OPTIONS,
        returns: "Refund",
        doc: "Refunds all or part of a payment (by its syssn).",
    },
    Operation {
        name: "close",
        moves_money: true,
        io: true,
        args: &[AMOUNT, CURRENCY],
        options: &[&[SYSSN], ORDER_FIELDS],
        call: CALL_OPTIONS,
        returns: "Cancellation",
        doc: "Closes an unpaid order (by syssn or out_trade_no).",
    },
    Operation {
        name: "reverse",
        moves_money: true,
        io: true,
        args: &[AMOUNT, CURRENCY],
        options: &[&[SYSSN], ORDER_FIELDS],
        call: CALL_OPTIONS,
        returns: "Cancellation",
        doc: "Reverses an order, refunding it if it was paid (by syssn or out_trade_no).",
    },
    Operation {
        name: "wait_for_payment",
        moves_money: false,
        io: true,
        args: &[OUT_TRADE_NO],
        options: &[],
        call: WAIT_OPTIONS,
        returns: "Transaction",
        doc: "Polls until the payment is final or the wait times out.",
    },
    Operation {
        name: "checkout_url",
        moves_money: false,
        io: false,
        args: &[AMOUNT, CURRENCY, RETURN_URL, FAILED_URL, NOTIFY_URL],
        options: &[CHECKOUT_FIELDS],
        call: &[],
        returns: "CheckoutLink",
        doc: "Builds a signed hosted-checkout link (nothing is sent): send the customer to its url.",
    },
    Operation {
        name: "verify_checkout_url",
        moves_money: false,
        io: false,
        args: &[field("url", Kind::Text, "A checkout link (the whole URL).")],
        options: &[],
        call: &[],
        returns: "CheckoutLink",
        doc: "Reads a checkout link back and verifies its signature with the client's key.",
    },
    Operation {
        name: "wechat_oauth_url",
        moves_money: false,
        io: false,
        args: &[field(
            "redirect_uri",
            Kind::Text,
            "Where QFPay sends the customer back with code=... (at most 512 characters).",
        )],
        options: &[WECHAT_MCHID],
        call: &[],
        returns: "str",
        doc: "The signed link that starts WeChat OAuth inside the WeChat browser (JSAPI, 800207).",
    },
    Operation {
        name: "get_wechat_openid",
        moves_money: false,
        io: true,
        args: &[field(
            "code",
            Kind::Text,
            "The code QFPay appended to the redirect_uri (single use).",
        )],
        options: &[WECHAT_MCHID],
        call: CALL_OPTIONS,
        returns: "str",
        doc: "Exchanges an OAuth code for the customer's openid (a new one for every payment).",
    },
    Operation {
        name: "cashier_url",
        moves_money: false,
        io: false,
        args: &[
            AMOUNT,
            CURRENCY,
            Opt {
                name: "pay_params",
                kind: Kind::Map,
                default: None,
                field: Some("pay_params"),
                doc: "The JSAPI payment's WeChat pay parameters (its wechat_pay_params.raw, or their JSON text).",
            },
            field(
                "mchntnm",
                Kind::Text,
                "The merchant's name shown on the page.",
            ),
            field(
                "redirect_url",
                Kind::Text,
                "Where the customer goes after paying.",
            ),
        ],
        options: &[CASHIER_FIELDS],
        call: &[],
        returns: "str",
        doc: "QFPay's cashier link (/q/direct) that pays a JSAPI payment in the WeChat browser.",
    },
    Operation {
        name: "transactions",
        moves_money: false,
        io: true,
        args: PERIOD,
        options: &[PERIOD_FILTERS],
        call: CALL_OPTIONS,
        returns: "list<Transaction>",
        doc: "Every transaction of a period of any length, fetched as you iterate: split into calendar months, pages of 100, paced under QFPay's rate limit; refunds name their payment (origssn).",
    },
    Operation {
        name: "reconcile",
        moves_money: false,
        io: true,
        args: &[
            Opt {
                name: "ledger",
                kind: Kind::Ledger,
                default: None,
                field: Some("ledger"),
                doc: "The merchant's orders of the period: CSV text (out_trade_no,amount,currency[,state][,refunded]) or a list of entries.",
            },
            PERIOD[0],
            PERIOD[1],
        ],
        options: &[PERIOD_FILTERS, RECONCILE_OPTIONS],
        call: CALL_OPTIONS,
        returns: "ReconcileReport",
        doc: "Compares the merchant's ledger with every QFPay transaction of the period: missing on either side, amount or currency mismatches, several payments for one order, pending too long, unknown refunds, net per currency and day.",
    },
    Operation {
        name: "download_trade_bill",
        moves_money: false,
        io: true,
        args: &[field("trade_date", Kind::Text, "The day (YYYY-MM-DD).")],
        options: &[],
        call: CALL_OPTIONS,
        returns: "TradeBill",
        doc: "The day's trade bill exactly as QFPay sends it (a zip and its entries; production only, format undocumented).",
    },
    Operation {
        name: "settlements",
        moves_money: false,
        io: true,
        args: &[
            field("date_start", Kind::Text, "The first day (YYYYMMDD)."),
            field("date_end", Kind::Text, "The last day (YYYYMMDD)."),
        ],
        options: &[&[
            field(
                "paymethod",
                Kind::Text,
                "alipay or wechat (sent as 2 or 3); every channel when absent.",
            ),
            MCHID,
        ]],
        call: CALL_OPTIONS,
        returns: "Settlements",
        doc: "The legacy settlement query (/settlement/v1/query): settled totals per day and channel.",
    },
    Operation {
        name: "add_note",
        moves_money: false,
        io: true,
        args: &[
            field(
                "syssn",
                Kind::Text,
                "QFPay's transaction number (a completed transaction).",
            ),
            field(
                "note",
                Kind::Text,
                "The note: 1 to 200 characters, shown in QFPay's merchant portal and reports.",
            ),
        ],
        options: &[],
        call: CALL_OPTIONS,
        returns: "NoteAdded",
        doc: "Adds a note to a completed transaction (/trade/v1/add_note); refused before sending when an mchid is configured, which QFPay does not allow.",
    },
];

/// The criteria of a walk over a period (`transactions`, `reconcile`).
const PERIOD_FILTERS: &[Opt] = &[
    field(
        "pay_type",
        Kind::TextList,
        "Only these pay type codes (one, or a list).",
    ),
    field(
        "respcd",
        Kind::Text,
        "Only transactions with this status code.",
    ),
    MCHID,
    dflt(
        "min_interval",
        Kind::Duration,
        "150 ms",
        "Requests at least this far apart (QFPay allows 400 a minute); a 429 is waited out.",
    ),
];

const PERIOD: &[Opt] = &[
    field(
        "start_time",
        Kind::Text,
        "The period's start (YYYY-MM-DD hh:mm:ss, QFPay's time); any length: split into calendar months.",
    ),
    field("end_time", Kind::Text, "The period's end (inclusive)."),
];

/// What only `reconcile` takes.
const RECONCILE_OPTIONS: &[Opt] = &[dflt(
    "pending_after",
    Kind::Duration,
    "30 min",
    "A payment pending longer than this is reported (pending_too_long).",
)];

/// The members of a ledger entry (`reconcile`'s `ledger`, a list of maps by the language's
/// member names) and the columns of its CSV form, in order; the first three are required.
pub const LEDGER_FIELDS: [Opt; 5] = [
    Opt {
        name: "out_trade_no",
        kind: Kind::Text,
        default: None,
        field: Some("out_trade_no"),
        doc: "The merchant's order number.",
    },
    Opt {
        name: "amount",
        kind: Kind::Amount,
        default: None,
        field: Some("amount"),
        doc: "The amount in minor units (300 is HK$3.00).",
    },
    Opt {
        name: "currency",
        kind: Kind::Currency,
        default: None,
        field: Some("currency"),
        doc: "The currency.",
    },
    Opt {
        name: "state",
        kind: Kind::Text,
        default: Some("paid"),
        field: Some("state"),
        doc: "What the ledger expects: `paid` (default), `refunded` or `unpaid`.",
    },
    Opt {
        name: "refunded",
        kind: Kind::Amount,
        default: None,
        field: Some("refunded"),
        doc: "How much was refunded, in minor units.",
    },
];

/// How many of [`LEDGER_FIELDS`] a ledger entry must have (the first ones).
pub const LEDGER_REQUIRED: usize = 3;

/// The operation named `name`.
pub fn operation(name: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|o| o.name == name)
}

/// The one-line meaning of each of [`crate::Error::CODES`], in that order (a test checks the
/// two lists agree).
pub const ERROR_DOCS: &[(&str, &str)] = &[
    (
        "validation",
        "An argument broke a rule or had the wrong type; nothing was sent.",
    ),
    ("config", "The client is not configured correctly."),
    (
        "auth",
        "QFPay refused the credentials or the signature (app code, key, sign type).",
    ),
    ("invalid_request", "QFPay refused a field of the request."),
    ("declined", "The payment was declined."),
    (
        "duplicate_order",
        "The order number was used before; existing holds that transaction when it could be read.",
    ),
    (
        "order_state",
        "The order cannot do this in its state (already paid, closed...).",
    ),
    ("refund_rejected", "QFPay refused the refund."),
    (
        "account",
        "The merchant account cannot do this (not enabled, limits).",
    ),
    ("server", "QFPay failed internally."),
    (
        "api",
        "Another QFPay error code (an undocumented one on a money-moving call is reconciled instead: status_unknown).",
    ),
    (
        "rate_limited",
        "Too many requests (HTTP 429); retry_after says how long to wait, when known.",
    ),
    (
        "network",
        "No answer; sent says whether the request may have reached QFPay.",
    ),
    ("timeout", "The call's deadline passed."),
    (
        "status_unknown",
        "A money-moving call's outcome could not be learned; query out_trade_no before retrying.",
    ),
    ("decode", "QFPay's answer could not be read."),
    ("signature", "A notification's signature did not verify."),
];

/// What to do about each of [`crate::Error::CODES`], in that order (a test checks it). An API
/// error's message ends with its code's advice; `docs/errors.md` is generated from this.
pub const ERROR_ADVICE: &[(&str, &str)] = &[
    (
        "validation",
        "Fix the argument the error names (field() / the message says which rule); nothing was sent, so calling again with a corrected value is safe.",
    ),
    (
        "config",
        "Fix the client's configuration (the option is named in the message); raised when the client is built, before any request.",
    ),
    (
        "auth",
        "check the app code, client key, mchid and environment; the string to sign (string_to_sign, with the key masked) shows what was signed",
    ),
    ("invalid_request", "fix the request parameters"),
    (
        "declined",
        "the payment was declined; the customer may try again or use another method",
    ),
    (
        "duplicate_order",
        "this out_trade_no was used before; query it instead of paying again",
    ),
    ("order_state", "query the order to see its current state"),
    (
        "refund_rejected",
        "the refund was refused; query the original payment (1265 between 23:30 and 00:30: send it again after retry_after; 1269: the day's unsettled amount is short, available says how much can be refunded today)",
    ),
    (
        "account",
        "the merchant account, device or store is not set up for this",
    ),
    (
        "server",
        "QFPay had a transient problem; query before trying again",
    ),
    (
        "api",
        "nothing moved (a money-moving call's undocumented codes are reconciled by query first); report the code if it repeats",
    ),
    (
        "rate_limited",
        "Wait retry_after (when given) before sending again; the SDK already retried within max_retries. QFPay never processed the request.",
    ),
    (
        "network",
        "If sent is false, QFPay never saw the request: calling again is safe. If sent is true, query the out_trade_no before anything else.",
    ),
    (
        "timeout",
        "The call's deadline passed. A money-moving call whose outcome is unknown is status_unknown instead; after a query timeout, query again.",
    ),
    (
        "status_unknown",
        "Do not pay again under a new number: query out_trade_no (or syssn) until it is final, or let reconciliation find it. Also what wait_for_payment raises when its timeout passes with the order still pending: close it or keep waiting.",
    ),
    (
        "decode",
        "QFPay's answer could not be read; for a money-moving call the SDK reconciled first. Query the order; report the answer if it repeats.",
    ),
    (
        "signature",
        "Answer the notification with an error status (not SUCCESS) and do not act on it; check the key, and that the raw body was verified, not a re-serialised one.",
    ),
];

/// The fields every error carries, with their types and docs (null when not applicable).
pub const ERROR_FIELDS: &[(&str, &str, &str)] = &[
    ("code", "str", "One of the error codes."),
    ("message", "str", "What went wrong."),
    (
        "respcd",
        "str?",
        "QFPay's response code, when QFPay answered.",
    ),
    ("resperr", "str?", "QFPay's error text."),
    ("respmsg", "str?", "QFPay's message."),
    (
        "http_status",
        "count?",
        "The HTTP status, when there was one.",
    ),
    (
        "out_trade_no",
        "str?",
        "The order number of a money-moving call (generated ones included).",
    ),
    ("syssn", "str?", "QFPay's transaction number, when known."),
    (
        "field",
        "str?",
        "The field or option at fault (validation, config).",
    ),
    ("rule", "str?", "The rule it broke."),
    (
        "retry_after",
        "duration?",
        "How long to wait before sending again: what QFPay asked (rate_limited), or until 00:30 for a refund refused in QFPay's nightly window (refund_rejected, 1265).",
    ),
    (
        "sent",
        "bool?",
        "network: whether the request may have reached QFPay.",
    ),
    (
        "existing",
        "Transaction?",
        "duplicate_order: the transaction already under that order number (its other_payments name any more).",
    ),
    (
        "available",
        "int?",
        "refund_rejected 1269: what QFPay says can still be refunded today, in minor units, when its text names it.",
    ),
];

/// Enumerations results use, with their values.
pub const ENUMS: &[(&str, &[&str])] = &[
    (
        "transaction_state",
        &[
            "succeeded",
            "pending",
            "failed",
            "refunded",
            "partially_refunded",
            "cancelled",
        ],
    ),
    ("discrepancy_kind", crate::reconcile::DiscrepancyKind::NAMES),
    ("ledger_state", crate::reconcile::LedgerState::NAMES),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_code_is_documented_once_in_order() {
        let documented: Vec<&str> = ERROR_DOCS.iter().map(|(c, _)| *c).collect();
        assert_eq!(documented, crate::Error::CODES);
        let advised: Vec<&str> = ERROR_ADVICE.iter().map(|(c, _)| *c).collect();
        assert_eq!(advised, crate::Error::CODES);
    }
}
