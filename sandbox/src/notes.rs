//! `POST /trade/v1/add_note`: a merchant's note on a completed transaction, kept on the order
//! and shown in `/sandbox/orders` and on the dashboard.
//!
//! QFPay documents neither error codes nor whether a second note replaces the first: here a
//! note replaces the previous one, a merchant with an `mchid` is refused (QFPay allows the call
//! only to merchants who send none), and so is a transaction that is not paid (refunds
//! included once done): QFPay speaks of "a completed transaction".

use std::sync::Arc;

use serde_json::json;

use crate::app::{Answer, Shared};
use crate::handlers::{Params, error, param_error};
use crate::state::{MerchantState, Status, lock};

/// QFPay's limit, in characters.
const NOTE_MAX: usize = 200;

impl Shared {
    /// `POST /trade/v1/add_note` (authenticated by the caller).
    pub fn add_note(self: &Arc<Self>, m: &MerchantState, p: &Params) -> Answer {
        match self.add_note_inner(m, p) {
            Ok(a) | Err(a) => a,
        }
    }

    fn add_note_inner(self: &Arc<Self>, m: &MerchantState, p: &Params) -> Result<Answer, Answer> {
        if m.merchant.mchid.is_some() {
            return Err(param_error(
                "mchid",
                "add_note is only for merchants who do not pass an mchid",
            ));
        }
        let code = p.required("code")?;
        if code != m.merchant.app_code {
            return Err(param_error(
                "code",
                "code must be the merchant's app code (the X-QF-APPCODE header's value)",
            ));
        }
        let syssn = p.required("syssn")?;
        let note = p.required("note")?;
        let chars = note.chars().count();
        if chars > NOTE_MAX {
            return Err(param_error(
                "note",
                &format!("note is at most {NOTE_MAX} characters (got {chars})"),
            ));
        }
        let now = self.clock.now();
        let mut book = lock(&m.book);
        let Some(order) = book.orders.get_mut(syssn) else {
            return Err(error(
                "1268",
                "Order does not exist(1268)",
                "order not found",
            ));
        };
        order.refresh(now);
        if order.status != Status::Paid {
            return Err(error(
                "1261",
                "Order not paid, please confirm the result(1261)",
                "a note is for a completed transaction",
            ));
        }
        order.note = Some(note.to_owned());
        Ok(Answer::json(
            200,
            &json!({"respcd": "0000", "resperr": "Success", "respmsg": "", "data": {"syssn": syssn}}),
        ))
    }
}
