//! The operations: payment, query, refund, close and reversal, each with the error naming its
//! order.

use super::*;

/// A found record's final state, or "keep waiting".
pub(super) fn settle<T>(t: &Transaction, ok: impl FnOnce(&Transaction) -> Result<T>) -> Verdict<T> {
    match t.state {
        TransactionState::Pending => {
            Verdict::Wait("QFPay still reports the transaction as processing".into())
        }
        TransactionState::Failed => Verdict::Done(Err(Error::api(&t.respcd, &t.errmsg, "", 200))),
        TransactionState::Cancelled => Verdict::Done(Err(Error::api(
            "1263",
            "the order was cancelled or closed",
            &t.errmsg,
            200,
        ))),
        _ => Verdict::Done(ok(t)),
    }
}

pub(super) fn payment_from(t: &Transaction) -> Payment {
    let raw = t.raw.to_map();
    Payment {
        syssn: t.syssn.clone(),
        out_trade_no: t.out_trade_no.clone(),
        pay_type: t.pay_type.clone(),
        txamt: t.txamt,
        txcurrcd: t.txcurrcd.clone(),
        txdtm: t.txdtm.clone(),
        sysdtm: t.sysdtm.clone(),
        paydtm: t.paydtm.clone(),
        qrcode: None,
        pay_url: None,
        web_url: None,
        pay_params: None,
        chnlsn: t.chnlsn.clone(),
        cardcd: fields::text_of(raw.get("cardcd")),
        udid: fields::text_of(raw.get("udid")),
        respcd: t.respcd.clone(),
        resperr: t.errmsg.clone(),
        respmsg: String::new(),
        raw,
    }
}

pub(super) fn refund_from(t: &Transaction, req: &RefundRequest) -> Refund {
    Refund {
        syssn: t.syssn.clone(),
        orig_syssn: t.origssn.clone().unwrap_or_else(|| req.syssn.clone()),
        out_trade_no: t.out_trade_no.clone(),
        txamt: t.txamt,
        txcurrcd: t.txcurrcd.clone(),
        txdtm: t.txdtm.clone(),
        sysdtm: t.sysdtm.clone(),
        respcd: t.respcd.clone(),
        resperr: t.errmsg.clone(),
        respmsg: String::new(),
        raw: t.raw.to_map(),
    }
}

impl Client {
    /// Creates a payment. `out_trade_no` is generated when absent and `txdtm` filled in.
    /// For WeChat QR (800201) the answer's `qrcode` is what the customer scans; the order is
    /// unpaid until they do ([`Client::wait_for_payment`] or the notification tells you).
    ///
    /// Every error names the order ([`Error::out_trade_no`]). A `duplicate_order` for a
    /// number you gave carries the transaction QFPay already has under it
    /// ([`Error::existing`]).
    pub async fn create_payment(&self, req: PaymentRequest) -> Result<Payment> {
        self.masked(self.create_payment_unmasked(req).await)
    }

    pub(super) async fn create_payment_unmasked(&self, req: PaymentRequest) -> Result<Payment> {
        let given = req.out_trade_no.is_some();
        let out_trade_no = req
            .out_trade_no
            .clone()
            .unwrap_or_else(generate_out_trade_no);
        let mut guard = self.guard(Endpoint::Payment, Some(&out_trade_no));
        let result = self.payment_flow(&req, &out_trade_no, &guard).await;
        guard.done = true;
        drop(guard);
        match result {
            Ok(p) => Ok(p),
            Err(e) => Err(self.name_order(e, &out_trade_no, given, false).await),
        }
    }

    /// Attaches the order to `e`; for `duplicate_order` on a caller-given number, queries the
    /// transaction already under it.
    pub(super) async fn name_order(
        &self,
        e: Error,
        out_trade_no: &str,
        given: bool,
        refund: bool,
    ) -> Error {
        let e = e.with_order(out_trade_no, None);
        if !(given && e.code() == "duplicate_order") {
            return e;
        }
        let deadline = deadline_after(self.timeout.min(Duration::from_secs(10)));
        let query = QueryRequest::by_out_trade_no(out_trade_no);
        let call = self.call(Endpoint::Query, Some(out_trade_no), None);
        match self
            .query_until(&query, deadline, self.max_retries, &call)
            .await
        {
            Ok(page) => {
                // The record of the same kind (refund or payment), else any under the number;
                // with several, `other_payments` names the rest.
                let found = pick_order(page.data.clone(), out_trade_no, refund)
                    .or_else(|| pick_order(page.data, out_trade_no, !refund));
                match found {
                    Some(t) => e.with_existing(t),
                    None => e,
                }
            }
            Err(q) => {
                tracing::debug!(target: "qfpay::http", out_trade_no, error = %q, "could not query the existing order after duplicate_order");
                e
            }
        }
    }

    pub(super) async fn payment_flow(
        &self,
        req: &PaymentRequest,
        out_trade_no: &str,
        guard: &CancelGuard<'_>,
    ) -> Result<Payment> {
        req.validate()?;
        if req.out_trade_no.is_none() {
            crate::validate::order_number("out_trade_no", out_trade_no)?;
        }
        let txdtm = req.txdtm.clone().unwrap_or_else(|| self.now_txdtm());
        let mut params: Vec<(&str, String)> =
            req.to_params(out_trade_no, &txdtm, self.mchid(req.mchid.as_deref()));
        // Parameters the SDK does not name, after the typed ones (validated above).
        params.extend(
            req.extra
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k.as_str(), v.clone())),
        );
        let mut call = self.call(Endpoint::Payment, Some(out_trade_no), Some(guard));
        call.mask = req.auth_code.as_deref().filter(|a| !a.is_empty());
        let (reason, respcd) = match self.send_money(&call, &params).await? {
            Sent::Done(raw) => {
                match Payment::from_raw(raw, out_trade_no, &txdtm, &req.amount, &req.pay_type) {
                    Ok(p) => return Ok(p),
                    Err(e) => (
                        format!("QFPay answered 0000 but the answer could not be read ({e})"),
                        Some("0000".into()),
                    ),
                }
            }
            Sent::Unknown { reason, respcd } => (reason, respcd),
        };
        let mpm = !req.pay_type.is_cpm();
        let query = QueryRequest::by_out_trade_no(out_trade_no);
        self.reconcile_by_query(&call, query, out_trade_no, reason, respcd, |records| {
            let Some(t) = records.iter().find(|t| t.out_trade_no == out_trade_no && !t.is_refund()) else {
                return Verdict::Wait("QFPay has no record of the order yet".into());
            };
            match t.state {
                TransactionState::Pending if mpm => Verdict::Stop(format!(
                    "the order exists (syssn {}) and waits for the customer, but QFPay's answer with the QR code was lost; close it and create a new payment, or wait for it to be paid",
                    t.syssn
                )),
                _ => settle(t, |t| Ok(payment_from(t))),
            }
        })
        .await
    }

    /// Queries transactions (one page).
    pub async fn query(&self, req: QueryRequest) -> Result<QueryPage> {
        self.masked(self.query_unmasked(req).await)
    }

    pub(super) async fn query_unmasked(&self, req: QueryRequest) -> Result<QueryPage> {
        req.validate()?;
        let one = (req.out_trade_no.len() == 1).then(|| req.out_trade_no[0].as_str());
        let call = self.call(Endpoint::Query, one, None);
        self.query_until(&req, deadline_after(self.timeout), self.max_retries, &call)
            .await
    }

    /// The payment with merchant order number `out_trade_no`, if QFPay has it. When QFPay
    /// holds several payments under the number (a customer who paid twice), the one that took
    /// the money is returned and its [`Transaction::other_payments`] names the others (a
    /// warning is logged too): refund or reconcile them.
    pub async fn find_payment(&self, out_trade_no: &str) -> Result<Option<Transaction>> {
        let page = self
            .query(QueryRequest::by_out_trade_no(out_trade_no))
            .await?;
        let found = pick_order(page.data, out_trade_no, false);
        if let Some(t) = &found {
            warn_if_several(t);
        }
        Ok(found)
    }

    /// Refunds a paid transaction, fully or partly. The refund's own `out_trade_no` is
    /// generated when absent; every error names it.
    pub async fn refund(&self, req: RefundRequest) -> Result<Refund> {
        self.masked(self.refund_unmasked(req).await)
    }

    pub(super) async fn refund_unmasked(&self, req: RefundRequest) -> Result<Refund> {
        let given = req.out_trade_no.is_some();
        let out_trade_no = req
            .out_trade_no
            .clone()
            .unwrap_or_else(generate_out_trade_no);
        let mut guard = self.guard(Endpoint::Refund, Some(&out_trade_no));
        let result = self.refund_flow(&req, &out_trade_no, &guard).await;
        guard.done = true;
        drop(guard);
        match result {
            Ok(r) => Ok(r),
            Err(e) => Err(self.name_order(e, &out_trade_no, given, true).await),
        }
    }

    pub(super) async fn refund_flow(
        &self,
        req: &RefundRequest,
        out_trade_no: &str,
        guard: &CancelGuard<'_>,
    ) -> Result<Refund> {
        req.validate()?;
        let txdtm = req.txdtm.clone().unwrap_or_else(|| self.now_txdtm());
        let params = req.to_params(out_trade_no, &txdtm, self.mchid(req.mchid.as_deref()));
        let call = self.call(Endpoint::Refund, Some(out_trade_no), Some(guard));
        let (reason, respcd) = match self.send_money(&call, &params).await? {
            Sent::Done(raw) => match Refund::from_raw(raw, req, out_trade_no, &txdtm) {
                Ok(r) => return Ok(r),
                Err(e) => (
                    format!("QFPay answered 0000 but the answer could not be read ({e})"),
                    Some("0000".into()),
                ),
            },
            Sent::Unknown { reason, respcd } => (reason, respcd),
        };
        let query = QueryRequest::by_out_trade_no(out_trade_no);
        self.reconcile_by_query(&call, query, out_trade_no, reason, respcd, |records| {
            let Some(t) = records
                .iter()
                .find(|t| t.out_trade_no == out_trade_no && t.is_refund())
            else {
                return Verdict::Wait("QFPay has no record of the refund yet".into());
            };
            settle(t, |t| Ok(refund_from(t, req)))
        })
        .await
    }

    /// Closes an unpaid order (`/trade/v1/close`).
    pub async fn close(&self, req: CancelRequest) -> Result<Cancellation> {
        self.cancel(Endpoint::Close, req).await
    }

    /// Reverses an unfinished transaction (`/trade/v1/reversal`). A reversal does not prove
    /// the customer was not charged: confirm with a query.
    pub async fn reverse(&self, req: CancelRequest) -> Result<Cancellation> {
        self.cancel(Endpoint::Reversal, req).await
    }

    pub(super) async fn cancel(
        &self,
        endpoint: Endpoint,
        req: CancelRequest,
    ) -> Result<Cancellation> {
        self.masked(self.cancel_unmasked(endpoint, req).await)
    }

    pub(super) async fn cancel_unmasked(
        &self,
        endpoint: Endpoint,
        req: CancelRequest,
    ) -> Result<Cancellation> {
        let mut guard = self.guard(endpoint, req.out_trade_no.as_deref());
        let result = self.cancel_flow(endpoint, &req, &guard).await;
        guard.done = true;
        drop(guard);
        result.map_err(|e| match (&req.out_trade_no, e.out_trade_no()) {
            (Some(o), None) => e.with_order(o, req.syssn.as_deref()),
            _ => e,
        })
    }

    pub(super) async fn cancel_flow(
        &self,
        endpoint: Endpoint,
        req: &CancelRequest,
        guard: &CancelGuard<'_>,
    ) -> Result<Cancellation> {
        req.validate()?;
        let txdtm = req.txdtm.clone().unwrap_or_else(|| self.now_txdtm());
        let params = req.to_params(&txdtm, self.mchid(req.mchid.as_deref()));
        let call = self.call(endpoint, req.out_trade_no.as_deref(), Some(guard));
        let (reason, respcd) = match self.send_money(&call, &params).await? {
            Sent::Done(raw) => match Cancellation::from_raw(raw, req) {
                Ok(c) => return Ok(c),
                Err(e) => (
                    format!("QFPay answered 0000 but the answer could not be read ({e})"),
                    Some("0000".into()),
                ),
            },
            Sent::Unknown { reason, respcd } => (reason, respcd),
        };
        let (query, ident) = match (&req.out_trade_no, &req.syssn) {
            (Some(o), _) => (QueryRequest::by_out_trade_no(o), o.clone()),
            (None, Some(s)) => (QueryRequest::by_syssn(s), s.clone()),
            (None, None) => {
                return Err(Error::validation(
                    "syssn",
                    "either syssn or out_trade_no is required",
                ));
            }
        };
        self.reconcile_by_query(&call, query, &ident, reason, respcd, |records| {
            let Some(t) = records.iter().find(|t| !t.is_refund()) else {
                return Verdict::Wait("QFPay has no record of the order".into());
            };
            match t.state {
                TransactionState::Cancelled => Verdict::Done(Ok(Cancellation {
                    syssn: String::new(),
                    orig_syssn: t.syssn.clone(),
                    out_trade_no: t.out_trade_no.clone(),
                    txamt: t.txamt,
                    respcd: "0000".into(),
                    resperr: "cancellation confirmed by query".into(),
                    respmsg: String::new(),
                    raw: t.raw.to_map(),
                })),
                TransactionState::Pending => Verdict::Wait("the order is not cancelled yet".into()),
                TransactionState::Failed => {
                    Verdict::Done(Err(Error::api(&t.respcd, &t.errmsg, "", 200)))
                }
                _ => Verdict::Done(Err(Error::api(
                    "1260",
                    "the order was paid; refund it instead",
                    "",
                    200,
                ))),
            }
        })
        .await
    }
}
