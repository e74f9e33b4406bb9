//! # qfpay
//!
//! A client for the QFPay Open API: signing, validated typed requests, an async client that
//! never loses or doubles a payment, notification verification and QR rendering.
//!
//! ```no_run
//! # async fn demo() -> qfpay::Result<()> {
//! use qfpay::{Client, Currency, Money, PaymentRequest};
//! let client = Client::builder()
//!     .base_url("http://127.0.0.1:8080")
//!     .credentials("APPCODE", "CLIENTKEY")
//!     .build()?;
//! let payment = client
//!     .create_payment(PaymentRequest::wechat_qr(Money::new(300, Currency::HKD)).goods_name("Coffee"))
//!     .await?;
//! let svg = qfpay::qr::svg(payment.qrcode.as_deref().unwrap_or_default())?;
//! # let _ = svg; Ok(()) }
//! ```
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod blocking;
pub mod checkout;
pub mod client;
pub mod convert;
pub mod error;
pub mod events;
pub mod log_filter;
pub mod model;
pub mod notify;
#[cfg(feature = "qr")]
pub mod qr;
pub mod reconcile;
pub mod secret;
pub mod sign;
pub mod surface;
pub mod validate;
pub mod wechat;

/// The crate README's Rust blocks, compiled and run as doc-tests by `cargo test`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
mod readme {}

pub use client::{
    Client, ClientBuilder, Config, Endpoint, Environment, Pages, QueryPages, ReconcileRequest,
    Transactions, VERSION, Wait, generate_out_trade_no, month_windows,
};
pub use error::{ApiError, Error, OrderRef, Result};
pub use events::{Event, EventKind, Level, Observer};
pub use log_filter::LogFilter;
pub use model::{
    AlipayPayParams, AnswerShape, CancelRequest, Cancellation, Currency, Described, ExtendInfo,
    Money, NoteAdded, NoteRequest, PayParams, PayType, Payment, PaymentRequest, QueryPage,
    QueryRequest, Raw, RawMap, Refund, RefundRequest, RespCategory, Settlement, SettlementRequest,
    Settlements, TradeBill, TradeBillEntry, Transaction, TransactionState, WechatAppParams,
    WechatPayParams,
};
pub use notify::{Notification, NotificationKind};
pub use secret::ClientKey;
pub use sign::SignType;
