//! Statements: the day's trade bill and the legacy settlement query.

use super::exchange::Answer;
use super::*;
use crate::model::{SettlementRequest, Settlements, TradeBill};

impl Client {
    /// The trade bill of `trade_date` (`YYYY-MM-DD`, QFPay's day) exactly as QFPay sends it
    /// (`GET /download/v1/trade_bill`): the zip and the list of its entries. QFPay serves it in
    /// production only (its test hosts refuse it: this client does too, before sending), for
    /// the whole channel (no `mchid`); the format of its files is undocumented, so nothing is
    /// parsed from them. Retried like a query.
    pub async fn download_trade_bill(&self, trade_date: &str) -> Result<TradeBill> {
        let day = chrono::NaiveDate::parse_from_str(trade_date, "%Y-%m-%d").ok();
        if trade_date.len() != 10 || day.is_none() {
            return Err(Error::validation(
                "trade_date",
                "must be a real day written YYYY-MM-DD",
            ));
        }
        let base = self.inner.config.base_url.as_str();
        for test in [Environment::LiveTest, Environment::CardSandbox] {
            if base == test.base_url() {
                return Err(Error::config(format!(
                    "download_trade_bill is served in production only (QFPay's documentation); this client uses {} ({base})",
                    test.name()
                )));
            }
        }
        let params = vec![("trade_date", trade_date.to_owned())];
        let call = self.call(Endpoint::TradeBill, None, None);
        let result = self
            .read_answer_until(
                &params,
                deadline_after(self.timeout),
                self.max_retries,
                &call,
                |answer| match answer {
                    Answer::File(bytes) => TradeBill::from_zip(trade_date, bytes.to_vec()),
                    Answer::Json(_) => Err(Error::Decode(
                        "QFPay answered 0000 without the zip file".into(),
                    )),
                },
            )
            .await;
        self.masked(result)
    }

    /// The legacy settlement query (`/settlement/v1/query`): settled totals per day and
    /// channel from `date_start` to `date_end`. QFPay's current documents no longer list it,
    /// and its own notes say it has no test environment: use it where QFPay confirmed it is
    /// served. Retried like a query.
    pub async fn settlements(&self, req: SettlementRequest) -> Result<Settlements> {
        req.validate()?;
        let params = req.to_params(self.mchid(req.mchid.as_deref()));
        self.read(Endpoint::Settlement, &params, Settlements::from_raw)
            .await
    }
}
