//! Statements: the trade bill (`GET /download/v1/trade_bill`, a zip whose format QFPay does not
//! document) and the legacy settlement query (`/settlement/v1/query`).

use std::io::Cursor;

use crate::error::{Error, Result};
use crate::model::fields::{self, RawMap};

/// One file inside a trade bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TradeBillEntry {
    /// Its name in the zip.
    pub name: String,
    /// Its size, uncompressed, in bytes.
    pub size: u64,
    /// Its size in the zip, in bytes.
    pub compressed_size: u64,
}

/// The trade bill of one day, exactly as QFPay sent it: the zip's bytes and the list of its
/// entries. Nothing is parsed from the entries: QFPay does not document their format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TradeBill {
    /// The day (`YYYY-MM-DD`).
    pub trade_date: String,
    /// The zip file.
    pub content: Vec<u8>,
    /// Its entries, in the zip's order.
    pub entries: Vec<TradeBillEntry>,
}

impl TradeBill {
    /// Reads the zip's directory (nothing is decompressed). An answer that is not a zip is a
    /// decode error.
    pub fn from_zip(trade_date: &str, content: Vec<u8>) -> Result<Self> {
        let mut zip = zip::ZipArchive::new(Cursor::new(content.as_slice()))
            .map_err(|e| Error::Decode(format!("the trade bill is not a readable zip ({e})")))?;
        let mut entries = Vec::with_capacity(zip.len());
        for i in 0..zip.len() {
            let f = zip.by_index_raw(i).map_err(|e| {
                Error::Decode(format!("entry {i} of the trade bill is unreadable ({e})"))
            })?;
            entries.push(TradeBillEntry {
                name: f
                    .name()
                    .map_err(|e| Error::Decode(format!("entry {i}'s name is unreadable ({e})")))?
                    .into_owned(),
                size: f.size(),
                compressed_size: f.compressed_size(),
            });
        }
        drop(zip);
        Ok(TradeBill {
            trade_date: trade_date.to_owned(),
            content,
            entries,
        })
    }

    /// The bytes of entry `name`, decompressed when stored (entries compressed otherwise are
    /// read by the merchant's own zip library from [`TradeBill::content`]).
    pub fn stored_entry(&self, name: &str) -> Result<Vec<u8>> {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(Cursor::new(self.content.as_slice()))
            .map_err(|e| Error::Decode(format!("the trade bill is not a readable zip ({e})")))?;
        let mut f = zip
            .by_name(name)
            .map_err(|e| Error::Decode(format!("entry {name:?}: {e}")))?;
        let mut out = Vec::new();
        f.read_to_end(&mut out)
            .map_err(|e| Error::Decode(format!("entry {name:?}: {e}")))?;
        Ok(out)
    }
}

crate::model::describe::describe!(TradeBillEntry "One file inside a trade bill." {
    name: "str" "Its name in the zip." = |e| &e.name,
    size: "count" "Its size, uncompressed, in bytes." = |e| e.size,
    compressed_size: "count" "Its size in the zip, in bytes." = |e| e.compressed_size,
});

crate::model::describe::describe!(TradeBill "A day's trade bill exactly as QFPay sent it: the zip and the list of its entries (QFPay does not document their format: nothing is parsed)." {
    trade_date: "str" "The day (YYYY-MM-DD)." = |b| &b.trade_date,
    content: "bytes" "The zip file, as sent." = |b| crate::model::describe::Base64(&b.content),
    entries: "list<TradeBillEntry>" "The zip's entries, in order." = |b| &b.entries,
});

/// Which wallet a legacy settlement covers.
pub const PAYMETHODS: &[(&str, &str)] = &[("alipay", "2"), ("wechat", "3")];

/// The legacy settlement query (`/settlement/v1/query`): settled totals per day and channel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettlementRequest {
    /// First day, `YYYYMMDD`.
    pub date_start: String,
    /// Last day, `YYYYMMDD`.
    pub date_end: String,
    /// `alipay` or `wechat` (sent as 2 or 3); every channel when absent.
    pub paymethod: Option<String>,
    /// The merchant's `mchid` (the client's when absent).
    pub mchid: Option<String>,
}

impl SettlementRequest {
    /// The days `date_start` to `date_end` (`YYYYMMDD`, inclusive).
    pub fn new(date_start: impl Into<String>, date_end: impl Into<String>) -> Self {
        SettlementRequest {
            date_start: date_start.into(),
            date_end: date_end.into(),
            ..Default::default()
        }
    }

    /// Checks the days and the channel.
    pub fn validate(&self) -> Result<()> {
        let day = |field: &str, v: &str| {
            if v.len() != 8 || !v.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::validation(field, "must be a day written YYYYMMDD"));
            }
            chrono::NaiveDate::parse_from_str(v, "%Y%m%d")
                .map_err(|_| Error::validation(field, "must be a real day (YYYYMMDD)"))
        };
        let (start, end) = (
            day("date_start", &self.date_start)?,
            day("date_end", &self.date_end)?,
        );
        if start > end {
            return Err(Error::validation(
                "date_start",
                "must not be after date_end",
            ));
        }
        if let Some(p) = &self.paymethod
            && !PAYMETHODS.iter().any(|(n, _)| n == p)
        {
            return Err(Error::validation(
                "paymethod",
                "must be alipay or wechat (QFPay's 2 or 3)",
            ));
        }
        crate::validate::optional(self.mchid.as_deref(), |m| {
            crate::validate::length("mchid", m, 1, 16)
        })
    }

    /// The signed parameters.
    pub fn to_params(&self, mchid: Option<&str>) -> Vec<(&'static str, String)> {
        let mut p = vec![
            ("date_start", self.date_start.clone()),
            ("date_end", self.date_end.clone()),
        ];
        if let Some(code) = self
            .paymethod
            .as_deref()
            .and_then(|p| PAYMETHODS.iter().find(|(n, _)| *n == p))
        {
            p.push(("paymethod", code.1.to_owned()));
        }
        if let Some(m) = mchid.filter(|m| !m.is_empty()) {
            p.push(("mchid", m.to_owned()));
        }
        p
    }
}

/// One settled total (a day and channel) of the legacy settlement query. Amounts are integers
/// in minor units, as QFPay sends them.
#[derive(Debug, Clone, PartialEq)]
pub struct Settlement {
    /// The channel's merchant id.
    pub chnl_mch_id: String,
    /// The period's first day (`YYYYMMDD`).
    pub date_start: String,
    /// The period's last day.
    pub date_end: String,
    /// When it was settled.
    pub date_settlement: String,
    /// The channel as QFPay wrote it (its sample sends text such as `微信`).
    pub paymethod: String,
    /// The currency.
    pub currency: String,
    /// Payments.
    pub pay_amt: i64,
    /// Refunds.
    pub refund_amt: i64,
    /// The channel's fee.
    pub chnl_poundage_amt: i64,
    /// Payments less refunds.
    pub pay_net_amt: i64,
    /// What was settled.
    pub settlement_amt: i64,
    /// Every field QFPay sent.
    pub raw: RawMap,
}

impl Settlement {
    fn from_raw(raw: RawMap) -> Result<Self> {
        let amt = |k: &str| fields::amount(&raw, k).map(Option::unwrap_or_default);
        Ok(Settlement {
            chnl_mch_id: fields::text(&raw, "chnl_mch_id"),
            date_start: fields::text(&raw, "date_start"),
            date_end: fields::text(&raw, "date_end"),
            date_settlement: fields::text(&raw, "date_settlement"),
            paymethod: fields::text(&raw, "paymethod"),
            currency: fields::text(&raw, "currency"),
            pay_amt: amt("pay_amt")?,
            refund_amt: amt("refund_amt")?,
            chnl_poundage_amt: amt("chnl_poundage_amt")?,
            pay_net_amt: amt("pay_net_amt")?,
            settlement_amt: amt("settlement_amt")?,
            raw,
        })
    }
}

/// The answer of the legacy settlement query.
#[derive(Debug, Clone, PartialEq)]
pub struct Settlements {
    /// The settled totals.
    pub data: Vec<Settlement>,
    /// Every field of the envelope QFPay sent.
    pub raw: RawMap,
}

impl Settlements {
    /// Reads a `0000` answer.
    pub fn from_raw(raw: RawMap) -> Result<Self> {
        // The envelope keeps its `data` as sent (the answer is small, unlike a query's).
        let mut records = RawMap::new();
        if let Some(d) = raw.get("data") {
            records.insert("data".into(), d.clone());
        }
        let data = fields::take_records(&mut records, "settlement record", Settlement::from_raw)?;
        Ok(Settlements { data, raw })
    }
}

crate::model::describe::describe!(Settlement "One settled total (a day and channel) of the legacy settlement query; amounts in minor units." {
    chnl_mch_id: "str" "The channel's merchant id." = |s| &s.chnl_mch_id,
    date_start: "str" "The period's first day (YYYYMMDD)." = |s| &s.date_start,
    date_end: "str" "The period's last day (YYYYMMDD)." = |s| &s.date_end,
    date_settlement: "str" "When it was settled (YYYYMMDD)." = |s| &s.date_settlement,
    paymethod: "str" "The channel as QFPay wrote it (its sample sends text such as 微信)." = |s| &s.paymethod,
    currency: "str" "The currency." = |s| &s.currency,
    pay_amt: "int" "Payments, in minor units." = |s| s.pay_amt,
    refund_amt: "int" "Refunds, in minor units." = |s| s.refund_amt,
    chnl_poundage_amt: "int" "The channel's fee, in minor units." = |s| s.chnl_poundage_amt,
    pay_net_amt: "int" "Payments less refunds, in minor units." = |s| s.pay_net_amt,
    settlement_amt: "int" "What was settled, in minor units." = |s| s.settlement_amt,
    raw: "raw" "Every field QFPay sent." = |s| &s.raw,
});

crate::model::describe::describe!(Settlements "The legacy settlement query's answer (/settlement/v1/query; QFPay's current documents no longer list it)." {
    data: "list<Settlement>" "The settled totals, per day and channel." = |s| &s.data,
    raw: "raw" "Every field of the envelope QFPay sent." = |s| &s.raw,
});
