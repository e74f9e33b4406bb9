//! Sending: a money-moving request that is never sent twice blindly, queries with retries, and
//! reconciliation by query when an outcome is unknown.

use super::*;

/// A successful answer of a call that moves no money: QFPay's JSON, or a file.
pub(super) enum Answer {
    /// The `0000` JSON answer (a `data` list kept as its records' text).
    Json(crate::model::fields::Body),
    /// A file (the trade bill's zip).
    File(bytes::Bytes),
}

pub(super) fn transient(e: &Error) -> bool {
    matches!(
        e.code(),
        "network" | "timeout" | "rate_limited" | "server" | "decode"
    )
}

pub(super) fn rejected(status: u16, body: Option<RawMap>) -> Error {
    match body {
        Some(b) if !fields::text(&b, "respcd").is_empty() => Error::api(
            &fields::text(&b, "respcd"),
            &fields::text(&b, "resperr"),
            &fields::text(&b, "respmsg"),
            status,
        ),
        _ => Error::http(RespCategory::Unknown, status),
    }
}

impl Client {
    pub(super) async fn send_money(
        &self,
        call: &Call<'_>,
        params: &[(&str, String)],
    ) -> Result<Sent> {
        let deadline = deadline_after(self.timeout);
        let (cfg, urls) = (&self.inner.config, &self.inner.urls);
        let http = self.inner.http()?;
        let mut attempt = 0;
        loop {
            let number = attempt + 1;
            let reply =
                transport::exchange(&http, cfg, urls, params, deadline, &call.attempt(number))
                    .await?;
            let (status, body) = (reply.http_status, reply.body);
            let (err, retry_after) = match reply.exchange {
                Exchange::Answer(answer) => {
                    let raw = answer.into_map();
                    let respcd = fields::text(&raw, "respcd");
                    let resperr = fields::text(&raw, "resperr");
                    if respcd == "0000" {
                        call.response(number, status, Some(&respcd), "done", || None, body);
                        return Ok(Sent::Done(raw));
                    }
                    if respcd.is_empty() {
                        let reason = "QFPay's answer has no respcd".to_owned();
                        return Ok(call.unknown(number, status, None, reason, body));
                    }
                    if is_processing(&respcd) {
                        let reason =
                            format!("QFPay answered {respcd} ({resperr}): still processing");
                        return Ok(call.unknown(number, status, Some(respcd), reason, body));
                    }
                    // A code QFPay does not document may mean "still processing" (a published
                    // client meets 2999 on refunds and queries): the money may have moved, so
                    // it is found out by query like any other uncertain outcome.
                    let respmsg = fields::text(&raw, "respmsg");
                    if RespCategory::of(&respcd, &resperr, &respmsg) == RespCategory::Unknown {
                        let reason = format!(
                            "QFPay answered {respcd} ({resperr}), a code it does not document: the outcome is found out by query"
                        );
                        return Ok(call.unknown(number, status, Some(respcd), reason, body));
                    }
                    call.response(
                        number,
                        status,
                        Some(&respcd),
                        "fail",
                        || Some(resperr.clone()),
                        body,
                    );
                    let syssn = fields::opt_text(&raw, "syssn");
                    let mut e = Error::api(
                        &respcd,
                        &call.masked(resperr),
                        &call.masked(fields::text(&raw, "respmsg")),
                        200,
                    );
                    match (call.endpoint, respcd.as_str(), &mut e) {
                        (Endpoint::Refund, "1265", Error::Api(a)) => {
                            a.retry_after = crate::model::refund::retry_after_1265(
                                self.now_local(),
                                &a.resperr,
                                &a.respmsg,
                            );
                        }
                        (Endpoint::Refund, "1269", Error::Api(a)) => {
                            a.available =
                                crate::model::refund::available_1269(&a.resperr, &a.respmsg);
                        }
                        _ => {}
                    }
                    return Err(match (call.out_trade_no, syssn) {
                        (Some(o), Some(sn)) => e.with_order(o, Some(&sn)),
                        _ => e,
                    });
                }
                Exchange::File(bytes) => {
                    let reason = format!(
                        "{} at {}: a file of {} bytes where a JSON answer was expected",
                        call.endpoint.path(),
                        transport::host_of(cfg),
                        bytes.len()
                    );
                    return Ok(call.unknown(number, status, None, reason, body));
                }
                Exchange::Lost(reason) | Exchange::Unreadable(reason) => {
                    let reason = format!(
                        "{} at {}: {reason}",
                        call.endpoint.path(),
                        transport::host_of(cfg)
                    );
                    return Ok(call.unknown(number, status, None, reason, body));
                }
                Exchange::ServerError(code) => {
                    let reason = format!("QFPay answered HTTP {code}");
                    return Ok(call.unknown(number, status, None, reason, body));
                }
                Exchange::Rejected(code, b) => {
                    let e = rejected(code, b);
                    call.response(
                        number,
                        status,
                        e.respcd(),
                        "fail",
                        || Some(e.to_string()),
                        body,
                    );
                    return Err(e);
                }
                Exchange::RateLimited(ra) => {
                    call.response(
                        number,
                        status,
                        None,
                        "retry",
                        || Some("rate limited (HTTP 429)".into()),
                        body,
                    );
                    (Error::RateLimited { retry_after: ra }, ra)
                }
                Exchange::NotSent(message) => {
                    call.response(
                        number,
                        status,
                        None,
                        "retry",
                        || Some(message.clone()),
                        body,
                    );
                    (
                        Error::Network {
                            message: format!(
                                "{} at {}: {message} ({number} attempt{}, {} in all)",
                                call.endpoint.path(),
                                transport::host_of(cfg),
                                if number == 1 { "" } else { "s" },
                                human(call.started.elapsed())
                            ),
                            sent: false,
                            order: None,
                        },
                        None,
                    )
                }
            };
            if attempt >= self.max_retries {
                return Err(err);
            }
            let delay = retry::backoff(
                cfg.retry_base_delay,
                cfg.retry_max_delay,
                attempt,
                retry_after,
            );
            if delay >= deadline.saturating_duration_since(Instant::now()) {
                return Err(err);
            }
            call.retry(number, delay, &err);
            sleep(delay).await;
            attempt += 1;
        }
    }

    pub(super) async fn query_until(
        &self,
        req: &QueryRequest,
        deadline: Instant,
        max_retries: u32,
        call: &Call<'_>,
    ) -> Result<QueryPage> {
        let params = req.to_params(self.mchid(req.mchid.as_deref()));
        self.read_until(&params, deadline, max_retries, call, |body| {
            QueryPage::from_body(body, req)
        })
        .await
    }

    /// [`Client::read_until`] with the client's own deadline and retries, its error masked: a
    /// whole call to `endpoint` that moves no money (settlements, the openid exchange, a note).
    pub(super) async fn read<T>(
        &self,
        endpoint: Endpoint,
        params: &[(&str, String)],
        read: impl Fn(crate::model::RawMap) -> Result<T>,
    ) -> Result<T> {
        let call = self.call(endpoint, None, None);
        let result = self
            .read_until(
                params,
                deadline_after(self.timeout),
                self.max_retries,
                &call,
                |body| read(body.into_map()),
            )
            .await;
        self.masked(result)
    }

    /// A call that moves no money (a query, the openid exchange): sent, and retried within
    /// `max_retries` and the deadline whenever it failed in a way a retry can mend (nothing
    /// sent, 429, 5xx, an answer lost); a `0000` answer is read by `read` (a `data` list kept as
    /// its records' text).
    pub(super) async fn read_until<T>(
        &self,
        params: &[(&str, String)],
        deadline: Instant,
        max_retries: u32,
        call: &Call<'_>,
        read: impl Fn(crate::model::fields::Body) -> Result<T>,
    ) -> Result<T> {
        self.read_answer_until(params, deadline, max_retries, call, |answer| match answer {
            Answer::Json(body) => read(body),
            Answer::File(bytes) => Err(Error::Decode(format!(
                "a file of {} bytes where a JSON answer was expected",
                bytes.len()
            ))),
        })
        .await
    }

    /// [`Client::read_until`] for an endpoint that may answer with a file: `read` gets the
    /// `0000` JSON answer or the file.
    pub(super) async fn read_answer_until<T>(
        &self,
        params: &[(&str, String)],
        deadline: Instant,
        max_retries: u32,
        call: &Call<'_>,
        read: impl Fn(Answer) -> Result<T>,
    ) -> Result<T> {
        let (cfg, urls) = (&self.inner.config, &self.inner.urls);
        let http = self.inner.http()?;
        let mut attempt = 0;
        loop {
            let number = attempt + 1;
            let reply =
                transport::exchange(&http, cfg, urls, params, deadline, &call.attempt(number))
                    .await?;
            let (status, body) = (reply.http_status, reply.body);
            let where_ = || format!("{} at {}", call.endpoint.path(), transport::host_of(cfg));
            let attempts = || {
                format!(
                    "{number} attempt{}, {} in all",
                    if number == 1 { "" } else { "s" },
                    human(call.started.elapsed())
                )
            };
            let (err, retry_after) = match reply.exchange {
                Exchange::Answer(answer) => {
                    let raw = &answer.fields;
                    let respcd = fields::text(raw, "respcd");
                    if respcd != "0000" {
                        let resperr = fields::text(raw, "resperr");
                        call.response(
                            number,
                            status,
                            Some(&respcd),
                            "fail",
                            || Some(resperr.clone()),
                            body,
                        );
                        return Err(Error::api(
                            &respcd,
                            &resperr,
                            &fields::text(raw, "respmsg"),
                            200,
                        ));
                    }
                    call.response(number, status, Some(&respcd), "done", || None, body);
                    return read(Answer::Json(answer))
                        .map_err(|e| e.decoding(&format!("QFPay's answer from {}", where_())));
                }
                Exchange::File(bytes) => {
                    call.response(number, status, None, "done", || None, body);
                    return read(Answer::File(bytes))
                        .map_err(|e| e.decoding(&format!("QFPay's file from {}", where_())));
                }
                Exchange::Rejected(code, b) => {
                    let e = rejected(code, b);
                    call.response(
                        number,
                        status,
                        e.respcd(),
                        "fail",
                        || Some(e.to_string()),
                        body,
                    );
                    return Err(e);
                }
                Exchange::ServerError(code) => (Error::http(RespCategory::Server, code), None),
                Exchange::Unreadable(message) => {
                    call.response(number, status, None, "fail", || Some(message.clone()), body);
                    return Err(Error::Decode(format!(
                        "could not decode QFPay's answer from {}: {message}",
                        where_()
                    )));
                }
                Exchange::RateLimited(ra) => (Error::RateLimited { retry_after: ra }, ra),
                Exchange::NotSent(message) => (
                    Error::Network {
                        message: format!("{}: {message} ({})", where_(), attempts()),
                        sent: false,
                        order: None,
                    },
                    None,
                ),
                Exchange::Lost(message) if Instant::now() >= deadline => (
                    Error::Timeout(format!("{}: {message} ({})", where_(), attempts())),
                    None,
                ),
                Exchange::Lost(message) => (
                    Error::Network {
                        message: format!("{}: {message} ({})", where_(), attempts()),
                        sent: true,
                        order: None,
                    },
                    None,
                ),
            };
            let retry = attempt < max_retries;
            let delay = retry::backoff(
                cfg.retry_base_delay,
                cfg.retry_max_delay,
                attempt,
                retry_after,
            );
            let retry = retry && delay < deadline.saturating_duration_since(Instant::now());
            call.response(
                number,
                status,
                None,
                if retry { "retry" } else { "fail" },
                || Some(err.to_string()),
                body,
            );
            if !retry {
                return Err(err);
            }
            call.retry(number, delay, &err);
            sleep(delay).await;
            attempt += 1;
        }
    }

    pub(super) async fn reconcile_by_query<T>(
        &self,
        call: &Call<'_>,
        query: QueryRequest,
        out_trade_no: &str,
        mut reason: String,
        respcd: Option<String>,
        verdict: impl Fn(&[Transaction]) -> Verdict<T>,
    ) -> Result<T> {
        let cfg = &self.inner.config;
        let deadline = deadline_after(cfg.reconcile_timeout);
        let mut interval = cfg.retry_base_delay.max(Duration::from_millis(1));
        let (mut syssn, mut respcd) = (None, respcd);
        let path = call.endpoint.path();
        call.emit.emit(EventKind::Reconcile, path, |_| Fields {
            out_trade_no: Some(out_trade_no.to_owned()),
            elapsed: call.started.elapsed(),
            respcd: respcd.clone(),
            decision: Some("reconcile"),
            reason: Some(call.masked(format!("{reason}; querying the same out_trade_no"))),
            ..Fields::default()
        });
        let qcall = Call {
            endpoint: Endpoint::Query,
            out_trade_no: Some(out_trade_no),
            started: call.started,
            emit: Emit {
                observer: call.emit.observer,
                secret: call.emit.secret,
            },
            sent: None,
            mask: call.mask,
        };
        loop {
            let query_deadline = poll_query_deadline(deadline, self.timeout);
            match self.query_until(&query, query_deadline, 0, &qcall).await {
                Ok(page) => {
                    if let Some(t) = page
                        .data
                        .iter()
                        .find(|t| t.out_trade_no == out_trade_no || t.syssn == out_trade_no)
                    {
                        syssn = Some(t.syssn.clone());
                        respcd = Some(t.respcd.clone());
                    }
                    match verdict(&page.data) {
                        Verdict::Done(result) => {
                            return result.map_err(|e| match syssn.as_deref() {
                                Some(sn) => e.with_order(out_trade_no, Some(sn)),
                                None => e,
                            });
                        }
                        Verdict::Wait(why) => reason = why,
                        Verdict::Stop(why) => {
                            reason = why;
                            break;
                        }
                    }
                }
                Err(e) if transient(&e) => reason = format!("the query failed: {e}"),
                Err(e) => {
                    reason = format!("the query failed: {e}");
                    break;
                }
            }
            // The window is used to its end: the last query is made at the deadline (with
            // time to be answered), as `wait_for_payment` does.
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            sleep(interval.min(deadline.saturating_duration_since(now))).await;
            interval = interval
                .saturating_mul(2)
                .min(cfg.retry_max_delay.max(interval));
        }
        call.emit.emit(EventKind::StatusUnknown, path, |_| Fields {
            out_trade_no: Some(out_trade_no.to_owned()),
            elapsed: call.started.elapsed(),
            respcd: respcd.clone(),
            decision: Some("status_unknown"),
            reason: Some(reason.clone()),
            ..Fields::default()
        });
        Err(Error::StatusUnknown {
            out_trade_no: out_trade_no.to_owned(),
            syssn,
            respcd,
            reason,
        })
    }
}
