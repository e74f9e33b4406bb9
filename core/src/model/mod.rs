//! Typed requests and responses.

pub mod cancel;
pub(crate) mod describe;
pub use describe::Described;
pub mod fields;
pub mod money;
pub mod note;
pub mod pay_params;
pub mod pay_type;
pub mod payment;
pub mod query;
pub mod raw;
pub mod refund;
pub mod resp_code;
pub mod statement;

pub use cancel::{CancelRequest, Cancellation};
pub use fields::RawMap;
pub use money::{Currency, Money};
pub use note::{NoteAdded, NoteRequest};
pub use pay_params::{AlipayPayParams, PayParams, WechatAppParams, WechatPayParams};
pub use pay_type::{AnswerShape, PayType};
pub use payment::{ExtendInfo, Payment, PaymentRequest};
pub use query::{QueryPage, QueryRequest, Transaction, TransactionState};
pub use raw::Raw;
pub use refund::{Refund, RefundRequest};
pub use resp_code::RespCategory;
pub use statement::{Settlement, SettlementRequest, Settlements, TradeBill, TradeBillEntry};
