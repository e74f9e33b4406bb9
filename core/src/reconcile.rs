//! A diff of QFPay's transactions against the merchant's own ledger ([`crate::Client::reconcile`]):
//! orders missing on either side, amounts or currencies that differ, several successful payments
//! for one `out_trade_no`, payments pending too long, refunds the ledger does not know, and the
//! net per currency and day. QFPay's side is read as a stream ([`crate::Transactions`]); only a
//! small summary per order number is kept, never the records.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use chrono::{NaiveDateTime, TimeDelta};

use crate::error::{Error, Result};
use crate::model::money::Currency;
use crate::model::{Transaction, TransactionState};

/// What the merchant's ledger says of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerState {
    /// Paid, not refunded (the default).
    Paid,
    /// Paid, then refunded (fully, or by `refunded`).
    Refunded,
    /// Never paid (abandoned, closed or cancelled): QFPay must hold no successful payment.
    Unpaid,
}

impl LedgerState {
    /// Every state's name, as the ledger writes it.
    pub const NAMES: &'static [&'static str] = &["paid", "refunded", "unpaid"];

    /// The state's name (`paid`, `refunded`, `unpaid`).
    pub fn as_str(self) -> &'static str {
        match self {
            LedgerState::Paid => "paid",
            LedgerState::Refunded => "refunded",
            LedgerState::Unpaid => "unpaid",
        }
    }

    /// Reads a state's name (lowercase, as [`LedgerState::NAMES`]).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "paid" => Some(LedgerState::Paid),
            "refunded" => Some(LedgerState::Refunded),
            "unpaid" => Some(LedgerState::Unpaid),
            _ => None,
        }
    }
}

/// One order of the merchant's ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    /// The merchant order number the payment was made under.
    pub out_trade_no: String,
    /// The order's amount in minor units.
    pub amount: i64,
    /// Its currency (`HKD`).
    pub currency: String,
    /// What the ledger says happened.
    pub state: LedgerState,
    /// How much the ledger says was refunded, in minor units (`None`: all of it when `state`
    /// is `refunded`, nothing otherwise).
    pub refunded: Option<i64>,
}

impl LedgerEntry {
    /// A paid order.
    pub fn paid(out_trade_no: impl Into<String>, amount: i64, currency: impl Into<String>) -> Self {
        LedgerEntry {
            out_trade_no: out_trade_no.into(),
            amount,
            currency: currency.into(),
            state: LedgerState::Paid,
            refunded: None,
        }
    }

    /// The refunded amount the ledger expects.
    pub fn expected_refund(&self) -> i64 {
        match (self.state, self.refunded) {
            (_, Some(r)) => r,
            (LedgerState::Refunded, None) => self.amount,
            _ => 0,
        }
    }

    fn validate(&self, at: &str) -> Result<()> {
        let bad = |rule: String| Error::validation("ledger", format!("{at}: {rule}"));
        crate::validate::order_number("out_trade_no", &self.out_trade_no)
            .map_err(|e| bad(format!("out_trade_no {e}")))?;
        if self.amount < 0 {
            return Err(bad("amount must not be negative (minor units)".into()));
        }
        Currency::parse(&self.currency)
            .map_err(|_| bad(format!("currency {:?} is not a known code", self.currency)))?;
        if let Some(r) = self.refunded
            && !(0..=self.amount).contains(&r)
        {
            return Err(bad(format!(
                "refunded must be from 0 to the amount ({})",
                self.amount
            )));
        }
        Ok(())
    }
}

/// The merchant's orders of a period, by order number (each at most once).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    entries: Vec<LedgerEntry>,
    index: HashMap<String, usize>,
}

impl Ledger {
    /// A ledger of `entries`, each checked (order number, amount, currency, refunded), each
    /// order number at most once. An error names the entry (`entry 3`) and the rule.
    pub fn new(entries: impl IntoIterator<Item = LedgerEntry>) -> Result<Self> {
        let mut ledger = Ledger::default();
        for (i, e) in entries.into_iter().enumerate() {
            ledger.push(e, &format!("entry {}", i + 1))?;
        }
        Ok(ledger)
    }

    fn push(&mut self, e: LedgerEntry, at: &str) -> Result<()> {
        e.validate(at)?;
        if self.index.contains_key(&e.out_trade_no) {
            return Err(Error::validation(
                "ledger",
                format!("{at}: out_trade_no {} is listed twice", e.out_trade_no),
            ));
        }
        self.index
            .insert(e.out_trade_no.clone(), self.entries.len());
        self.entries.push(e);
        Ok(())
    }

    /// A ledger from CSV text with a header line naming its columns ([`crate::surface::spec::LEDGER_FIELDS`], any
    /// order): `out_trade_no,amount,currency[,state][,refunded]`, amounts in minor units,
    /// `state` one of `paid` (default), `refunded`, `unpaid`. An error names the line.
    pub fn from_csv(text: &str) -> Result<Self> {
        let bad = |rule: String| Error::validation("ledger", rule);
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| bad(format!("the CSV header could not be read ({e})")))?
            .clone();
        let column = |name: &str| headers.iter().position(|h| h == name);
        for h in headers.iter() {
            let columns = crate::surface::spec::LEDGER_FIELDS.map(|f| f.name);
            if !columns.contains(&h) {
                return Err(bad(format!(
                    "unknown column {h:?}; the columns are {}",
                    columns.join(", ")
                )));
            }
        }
        let (Some(no), Some(amount), Some(currency)) =
            (column("out_trade_no"), column("amount"), column("currency"))
        else {
            return Err(bad(
                "the header must name out_trade_no, amount and currency".into(),
            ));
        };
        let (state, refunded) = (column("state"), column("refunded"));
        let mut ledger = Ledger::default();
        for (i, record) in reader.records().enumerate() {
            let line = i + 2;
            let record = record.map_err(|e| bad(format!("line {line}: {e}")))?;
            let get = |c: usize| record.get(c).unwrap_or("");
            let whole = |name: &str, v: &str| {
                v.parse::<i64>().map_err(|_| {
                    bad(format!(
                        "line {line}: {name} must be a whole number of minor units"
                    ))
                })
            };
            let entry = LedgerEntry {
                out_trade_no: get(no).to_owned(),
                amount: whole("amount", get(amount))?,
                currency: get(currency).to_owned(),
                state: match state.map(get).filter(|s| !s.is_empty()) {
                    None => LedgerState::Paid,
                    Some(s) => LedgerState::parse(s).ok_or_else(|| {
                        bad(format!(
                            "line {line}: state {s:?} is not one of {}",
                            LedgerState::NAMES.join(", ")
                        ))
                    })?,
                },
                refunded: match refunded.map(get).filter(|s| !s.is_empty()) {
                    None => None,
                    Some(r) => Some(whole("refunded", r)?),
                },
            };
            ledger.push(entry, &format!("line {line}"))?;
        }
        Ok(ledger)
    }

    /// The entries, in the order given.
    pub fn entries(&self) -> &[LedgerEntry] {
        &self.entries
    }

    /// The entry for `out_trade_no`.
    pub fn get(&self, out_trade_no: &str) -> Option<&LedgerEntry> {
        self.index.get(out_trade_no).map(|&i| &self.entries[i])
    }

    /// How many orders it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// What kind of difference a [`Discrepancy`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiscrepancyKind {
    /// The ledger has the order paid (or refunded); QFPay has no successful payment for it.
    MissingAtQfpay,
    /// QFPay has a successful payment whose order number the ledger does not have.
    MissingInLedger,
    /// The amounts differ.
    AmountMismatch,
    /// The currencies differ.
    CurrencyMismatch,
    /// Several successful payments for one `out_trade_no` (a customer who paid twice).
    DuplicatePayments,
    /// A payment still pending longer than the report allows.
    PendingTooLong,
    /// Refunds at QFPay the ledger does not account for.
    UnknownRefund,
    /// The ledger says unpaid and QFPay has it paid, or says refunded and QFPay refunded less.
    StateMismatch,
}

impl DiscrepancyKind {
    /// Every kind's name, in report order.
    pub const NAMES: &'static [&'static str] = &[
        "missing_at_qfpay",
        "missing_in_ledger",
        "amount_mismatch",
        "currency_mismatch",
        "duplicate_payments",
        "pending_too_long",
        "unknown_refund",
        "state_mismatch",
    ];

    /// The kind's name (`missing_at_qfpay`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            DiscrepancyKind::MissingAtQfpay => "missing_at_qfpay",
            DiscrepancyKind::MissingInLedger => "missing_in_ledger",
            DiscrepancyKind::AmountMismatch => "amount_mismatch",
            DiscrepancyKind::CurrencyMismatch => "currency_mismatch",
            DiscrepancyKind::DuplicatePayments => "duplicate_payments",
            DiscrepancyKind::PendingTooLong => "pending_too_long",
            DiscrepancyKind::UnknownRefund => "unknown_refund",
            DiscrepancyKind::StateMismatch => "state_mismatch",
        }
    }
}

/// One difference between the ledger and QFPay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discrepancy {
    /// What differs.
    pub kind: DiscrepancyKind,
    /// The order number.
    pub out_trade_no: String,
    /// QFPay's transactions involved (the payments; for `unknown_refund`, the refunds).
    pub syssns: Vec<String>,
    /// The ledger's amount (minor units), when the ledger has the order; for `unknown_refund`,
    /// what the ledger records as refunded.
    pub ledger_amount: Option<i64>,
    /// QFPay's amount (minor units): the payment's, or for `unknown_refund` the refunds' sum.
    pub qfpay_amount: Option<i64>,
    /// The currency (QFPay's when it has the order, else the ledger's).
    pub currency: String,
    /// One sentence saying what differs and what to do.
    pub detail: String,
}

/// The money of one currency on one day (QFPay's day, by `sysdtm`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetTotal {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// The currency.
    pub currency: String,
    /// Successful payments that day (every one, duplicates included).
    pub payments: u64,
    /// Their sum, in minor units.
    pub paid: i64,
    /// Successful refunds that day.
    pub refunds: u64,
    /// Their sum, in minor units.
    pub refunded: i64,
    /// `paid - refunded`.
    pub net: i64,
}

/// A reconciliation's result ([`crate::Client::reconcile`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReconcileReport {
    /// The period's start (`YYYY-MM-DD hh:mm:ss`).
    pub start_time: String,
    /// The period's end.
    pub end_time: String,
    /// Orders in the ledger.
    pub ledger_orders: u64,
    /// Payment records QFPay listed (any state).
    pub qfpay_payments: u64,
    /// Refund records QFPay listed (any state).
    pub qfpay_refunds: u64,
    /// Ledger orders that agree with QFPay in every respect.
    pub matched: u64,
    /// Every difference, by kind then order number.
    pub discrepancies: Vec<Discrepancy>,
    /// The net per day and currency, by day then currency.
    pub net: Vec<NetTotal>,
    /// Requests sent to QFPay.
    pub requests: u64,
}

impl ReconcileReport {
    /// Whether the ledger and QFPay agree (no discrepancy).
    pub fn is_clean(&self) -> bool {
        self.discrepancies.is_empty()
    }

    /// How many discrepancies of `kind`.
    pub fn count(&self, kind: DiscrepancyKind) -> usize {
        self.discrepancies.iter().filter(|d| d.kind == kind).count()
    }

    /// One line: orders, records, matched, and the count of each kind found.
    pub fn summary(&self) -> String {
        let mut out = format!(
            "{} ledger orders, {} QFPay payments, {} refunds: {} matched, {} discrepancies",
            self.ledger_orders,
            self.qfpay_payments,
            self.qfpay_refunds,
            self.matched,
            self.discrepancies.len()
        );
        let mut counts: BTreeMap<DiscrepancyKind, usize> = BTreeMap::new();
        for d in &self.discrepancies {
            *counts.entry(d.kind).or_default() += 1;
        }
        if !counts.is_empty() {
            let parts: Vec<String> = counts
                .iter()
                .map(|(k, n)| format!("{n} {}", k.as_str()))
                .collect();
            let _ = write!(out, " ({})", parts.join(", "));
        }
        out
    }

    /// The discrepancies as CSV: a header line, then one line per discrepancy
    /// (`kind,out_trade_no,syssns,ledger_amount,qfpay_amount,currency,detail`; `syssns`
    /// space-separated, absent amounts empty).
    pub fn to_csv(&self) -> String {
        let amount = |a: Option<i64>| a.map(|a| a.to_string()).unwrap_or_default();
        csv_text(
            DISCREPANCY_COLUMNS,
            self.discrepancies.iter().map(|d| {
                vec![
                    d.kind.as_str().to_owned(),
                    d.out_trade_no.clone(),
                    d.syssns.join(" "),
                    amount(d.ledger_amount),
                    amount(d.qfpay_amount),
                    d.currency.clone(),
                    d.detail.clone(),
                ]
            }),
        )
    }

    /// The net per day and currency as CSV (`day,currency,payments,paid,refunds,refunded,net`).
    pub fn net_csv(&self) -> String {
        csv_text(
            NET_COLUMNS,
            self.net.iter().map(|n| {
                vec![
                    n.day.clone(),
                    n.currency.clone(),
                    n.payments.to_string(),
                    n.paid.to_string(),
                    n.refunds.to_string(),
                    n.refunded.to_string(),
                    n.net.to_string(),
                ]
            }),
        )
    }

    /// The whole report as JSON text (the same form every binding's result reads).
    pub fn to_json(&self) -> String {
        serde_json::to_string(&ReportJson(self)).unwrap_or_default()
    }
}

/// CSV text: the header, then each row (writing to memory cannot fail).
fn csv_text(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(header);
    for row in rows {
        let _ = w.write_record(&row);
    }
    w.into_inner()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

/// The CSV columns of [`ReconcileReport::to_csv`].
pub const DISCREPANCY_COLUMNS: &[&str] = &[
    "kind",
    "out_trade_no",
    "syssns",
    "ledger_amount",
    "qfpay_amount",
    "currency",
    "detail",
];

/// The CSV columns of [`ReconcileReport::net_csv`].
pub const NET_COLUMNS: &[&str] = &[
    "day", "currency", "payments", "paid", "refunds", "refunded", "net",
];

/// The report without its computed text fields (what `to_json` writes: `csv` and `json`
/// inside the JSON would repeat it).
struct ReportJson<'a>(&'a ReconcileReport);

impl serde::Serialize for ReportJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let r = self.0;
        let mut st = s.serialize_struct("ReconcileReport", 10)?;
        st.serialize_field("start_time", &r.start_time)?;
        st.serialize_field("end_time", &r.end_time)?;
        st.serialize_field("ledger_orders", &r.ledger_orders)?;
        st.serialize_field("qfpay_payments", &r.qfpay_payments)?;
        st.serialize_field("qfpay_refunds", &r.qfpay_refunds)?;
        st.serialize_field("matched", &r.matched)?;
        st.serialize_field("clean", &r.is_clean())?;
        st.serialize_field("discrepancies", &r.discrepancies)?;
        st.serialize_field("net", &r.net)?;
        st.serialize_field("requests", &r.requests)?;
        st.end()
    }
}

crate::model::describe::describe!(Discrepancy "One difference between the merchant's ledger and QFPay." {
    kind: "enum:discrepancy_kind" "What differs." = |d| d.kind.as_str(),
    out_trade_no: "str" "The order number." = |d| &d.out_trade_no,
    syssns: "list<str>" "QFPay's transactions involved (the payments; for unknown_refund, the refunds)." = |d| &d.syssns,
    ledger_amount: "int?" "The ledger's amount in minor units, when the ledger has the order (for unknown_refund, what the ledger records as refunded)." = |d| d.ledger_amount,
    qfpay_amount: "int?" "QFPay's amount in minor units (for unknown_refund, the refunds' sum)." = |d| d.qfpay_amount,
    currency: "str" "The currency (QFPay's when it has the order, else the ledger's)." = |d| &d.currency,
    detail: "str" "One sentence saying what differs and what to do." = |d| &d.detail,
});

crate::model::describe::describe!(NetTotal "The money of one currency on one day (QFPay's day, by sysdtm)." {
    day: "str" "The day, YYYY-MM-DD." = |n| &n.day,
    currency: "str" "The currency." = |n| &n.currency,
    payments: "count" "Successful payments that day (duplicates included)." = |n| n.payments,
    paid: "int" "Their sum, in minor units." = |n| n.paid,
    refunds: "count" "Successful refunds that day." = |n| n.refunds,
    refunded: "int" "Their sum, in minor units." = |n| n.refunded,
    net: "int" "paid - refunded, in minor units." = |n| n.net,
});

crate::model::describe::describe!(ReconcileReport "A diff of QFPay's transactions of a period against the merchant's ledger." {
    start_time: "str" "The period's start (YYYY-MM-DD hh:mm:ss)." = |r| &r.start_time,
    end_time: "str" "The period's end." = |r| &r.end_time,
    ledger_orders: "count" "Orders in the ledger." = |r| r.ledger_orders,
    qfpay_payments: "count" "Payment records QFPay listed (any state)." = |r| r.qfpay_payments,
    qfpay_refunds: "count" "Refund records QFPay listed (any state)." = |r| r.qfpay_refunds,
    matched: "count" "Ledger orders that agree with QFPay in every respect." = |r| r.matched,
    clean: "bool" "Whether the ledger and QFPay agree (no discrepancy)." = |r| r.is_clean(),
    discrepancies: "list<Discrepancy>" "Every difference, by kind then order number." = |r| &r.discrepancies,
    net: "list<NetTotal>" "The net per day and currency, by day then currency." = |r| &r.net,
    requests: "count" "Requests sent to QFPay." = |r| r.requests,
    summary: "str" "One line: orders, records, matched, and the count of each kind found." = |r| r.summary(),
    csv: "str" "The discrepancies as CSV (kind,out_trade_no,syssns,ledger_amount,qfpay_amount,currency,detail)." = |r| r.to_csv(),
    net_csv: "str" "The net per day and currency as CSV (day,currency,payments,paid,refunds,refunded,net)." = |r| r.net_csv(),
    json: "str" "The whole report as JSON text." = |r| r.to_json(),
});

/// What QFPay showed for one order number.
#[derive(Debug, Default)]
struct Order {
    /// Successful payments: syssn, amount, currency.
    paid: Vec<(String, i64, String)>,
    /// Pending payments: syssn, sysdtm.
    pending: Vec<(String, String)>,
}

/// The diff, fed one QFPay record at a time ([`Reconciler::add`]) and finished against the
/// ledger ([`Reconciler::finish`]). What `Client::reconcile` runs; usable alone on records
/// read elsewhere (an export).
#[derive(Debug)]
pub struct Reconciler {
    ledger: Ledger,
    start_time: String,
    end_time: String,
    pending_before: NaiveDateTime,
    orders: HashMap<String, Order>,
    /// A successful payment's syssn → its order number (to link refunds).
    payment_order: HashMap<String, String>,
    /// Successful refunds per order number: syssns and sum.
    refunds: HashMap<String, (Vec<String>, i64)>,
    /// Successful refunds whose payment has not been seen (later in the stream, or outside
    /// the period).
    orphan_refunds: Vec<Transaction>,
    net: BTreeMap<(String, String), NetTotal>,
    payments: u64,
    refund_records: u64,
}

impl Reconciler {
    /// A diff of `ledger` over the period `start_time`..`end_time` (its texts, for the
    /// report); a payment pending since before `pending_before` (QFPay's time) is reported.
    pub fn new(
        ledger: Ledger,
        start_time: &str,
        end_time: &str,
        pending_before: NaiveDateTime,
    ) -> Self {
        Reconciler {
            ledger,
            start_time: start_time.to_owned(),
            end_time: end_time.to_owned(),
            pending_before,
            orders: HashMap::new(),
            payment_order: HashMap::new(),
            refunds: HashMap::new(),
            orphan_refunds: Vec::new(),
            net: BTreeMap::new(),
            payments: 0,
            refund_records: 0,
        }
    }

    fn net_of(&mut self, t: &Transaction) -> &mut NetTotal {
        let day = t.sysdtm.get(..10).unwrap_or(&t.sysdtm).to_owned();
        let currency = t.txcurrcd.clone();
        self.net
            .entry((day.clone(), currency.clone()))
            .or_insert_with(|| NetTotal {
                day,
                currency,
                payments: 0,
                paid: 0,
                refunds: 0,
                refunded: 0,
                net: 0,
            })
    }

    /// Takes one QFPay record into account.
    pub fn add(&mut self, t: Transaction) {
        if t.is_refund() {
            self.refund_records += 1;
            if t.state != TransactionState::Succeeded {
                return;
            }
            let n = self.net_of(&t);
            n.refunds += 1;
            n.refunded += t.txamt;
            n.net -= t.txamt;
            match t
                .origssn
                .as_ref()
                .and_then(|o| self.payment_order.get(o))
                .cloned()
            {
                Some(order) => {
                    let r = self.refunds.entry(order).or_default();
                    r.0.push(t.syssn);
                    r.1 += t.txamt;
                }
                // Its payment comes later in the stream, or lies outside the period.
                None => self.orphan_refunds.push(t),
            }
            return;
        }
        self.payments += 1;
        if t.is_paid() {
            let n = self.net_of(&t);
            n.payments += 1;
            n.paid += t.txamt;
            n.net += t.txamt;
            self.payment_order
                .insert(t.syssn.clone(), t.out_trade_no.clone());
            self.orders
                .entry(t.out_trade_no)
                .or_default()
                .paid
                .push((t.syssn, t.txamt, t.txcurrcd));
        } else if t.state == TransactionState::Pending {
            self.orders
                .entry(t.out_trade_no)
                .or_default()
                .pending
                .push((t.syssn, t.sysdtm));
        }
    }

    /// The report.
    pub fn finish(mut self, requests: u64) -> ReconcileReport {
        let mut found: Vec<Discrepancy> = Vec::new();
        for t in std::mem::take(&mut self.orphan_refunds) {
            match t.origssn.as_ref().and_then(|o| self.payment_order.get(o)) {
                Some(order) => {
                    let r = self.refunds.entry(order.clone()).or_default();
                    r.0.push(t.syssn);
                    r.1 += t.txamt;
                }
                None => found.push(disc(
                    DiscrepancyKind::UnknownRefund,
                    &t.out_trade_no,
                    vec![t.syssn.clone()],
                    None,
                    Some(t.txamt),
                    &t.txcurrcd,
                    format!(
                        "a refund of payment {}, which is not among the period's payments: check that the ledger knows it",
                        t.origssn.as_deref().unwrap_or("(unnamed)")
                    ),
                )),
            }
        }
        for e in self.ledger.entries() {
            self.check(e, &mut found);
        }
        let mut qfpay_only: Vec<(&String, &Order)> = self.orders.iter().collect();
        qfpay_only.sort_by(|a, b| a.0.cmp(b.0));
        let pending_text = self.pending_before.format("%Y-%m-%d %H:%M:%S").to_string();
        for (no, order) in qfpay_only {
            let known = self.ledger.get(no);
            if order.paid.is_empty() {
                for (sn, since) in &order.pending {
                    let old = crate::validate::datetime("sysdtm", since)
                        .map(|t| t < self.pending_before)
                        .unwrap_or(false);
                    if old {
                        found.push(disc(
                            DiscrepancyKind::PendingTooLong,
                            no,
                            vec![sn.clone()],
                            known.map(|e| e.amount),
                            None,
                            known.map_or("", |e| e.currency.as_str()),
                            format!(
                                "pending since {since} (before {pending_text}): query it, then close or reverse it"
                            ),
                        ));
                    }
                }
            }
            if known.is_none()
                && let Some((_, amt, cur)) = order.paid.first()
            {
                found.push(disc(
                    DiscrepancyKind::MissingInLedger,
                    no,
                    order.paid.iter().map(|p| p.0.clone()).collect(),
                    None,
                    Some(*amt),
                    cur,
                    "QFPay has a successful payment the ledger does not know: record the order, or refund it".into(),
                ));
                if let Some(dup) = duplicates(no, &order.paid, None) {
                    found.push(dup);
                }
                if let Some((syssns, sum)) = self.refunds.get(no) {
                    found.push(disc(
                        DiscrepancyKind::UnknownRefund,
                        no,
                        syssns.clone(),
                        None,
                        Some(*sum),
                        cur,
                        format!("QFPay refunded {sum} (minor units) of an order the ledger does not know"),
                    ));
                }
            }
        }
        found.sort_by(|a, b| (a.kind, &a.out_trade_no).cmp(&(b.kind, &b.out_trade_no)));
        // Matched: a ledger order no discrepancy names (a pending one found late included).
        let named: std::collections::HashSet<&str> =
            found.iter().map(|d| d.out_trade_no.as_str()).collect();
        let matched = self
            .ledger
            .entries()
            .iter()
            .filter(|e| !named.contains(e.out_trade_no.as_str()))
            .count() as u64;
        ReconcileReport {
            start_time: self.start_time,
            end_time: self.end_time,
            ledger_orders: self.ledger.len() as u64,
            qfpay_payments: self.payments,
            qfpay_refunds: self.refund_records,
            matched,
            discrepancies: found,
            net: self.net.into_values().collect(),
            requests,
        }
    }

    /// The differences of one ledger order.
    fn check(&self, e: &LedgerEntry, found: &mut Vec<Discrepancy>) {
        let no = e.out_trade_no.as_str();
        let order = self.orders.get(no);
        let paid = order.map(|o| o.paid.as_slice()).unwrap_or_default();
        let refunded = self.refunds.get(no).map_or(0, |r| r.1);
        let expected_refund = e.expected_refund();
        let Some((sn, amt, cur)) = paid.first() else {
            if e.state != LedgerState::Unpaid {
                found.push(disc(
                    DiscrepancyKind::MissingAtQfpay,
                    no,
                    order
                        .map(|o| o.pending.iter().map(|p| p.0.clone()).collect())
                        .unwrap_or_default(),
                    Some(e.amount),
                    None,
                    &e.currency,
                    "the ledger has it paid but QFPay has no successful payment in the period: do not ship; query the order".into(),
                ));
            }
            return;
        };
        let one = || vec![sn.clone()];
        if e.state == LedgerState::Unpaid {
            found.push(disc(
                DiscrepancyKind::StateMismatch,
                no,
                one(),
                Some(e.amount),
                Some(*amt),
                cur,
                "the ledger says unpaid but QFPay has it paid: record the payment, or refund it"
                    .into(),
            ));
        }
        if *cur != e.currency {
            found.push(disc(
                DiscrepancyKind::CurrencyMismatch,
                no,
                one(),
                Some(e.amount),
                Some(*amt),
                cur,
                format!("the ledger says {} but QFPay took {cur}", e.currency),
            ));
        } else if *amt != e.amount {
            found.push(disc(
                DiscrepancyKind::AmountMismatch,
                no,
                one(),
                Some(e.amount),
                Some(*amt),
                cur,
                format!(
                    "the ledger says {} but QFPay took {amt} (minor units)",
                    e.amount
                ),
            ));
        }
        if e.state == LedgerState::Refunded && refunded < expected_refund {
            found.push(disc(
                DiscrepancyKind::StateMismatch,
                no,
                one(),
                Some(expected_refund),
                Some(refunded),
                cur,
                "the ledger says refunded but QFPay refunded less: query the refund before sending it again".into(),
            ));
        }
        if let Some(dup) = duplicates(no, paid, Some(e.amount)) {
            found.push(dup);
        }
        if let Some((syssns, sum)) = self.refunds.get(no)
            && *sum > expected_refund
        {
            found.push(disc(
                DiscrepancyKind::UnknownRefund,
                no,
                syssns.clone(),
                Some(expected_refund),
                Some(*sum),
                cur,
                format!(
                    "QFPay refunded {sum} but the ledger accounts for {expected_refund} (minor units)"
                ),
            ));
        }
    }
}

/// A discrepancy.
fn disc(
    kind: DiscrepancyKind,
    out_trade_no: &str,
    syssns: Vec<String>,
    ledger_amount: Option<i64>,
    qfpay_amount: Option<i64>,
    currency: &str,
    detail: String,
) -> Discrepancy {
    Discrepancy {
        kind,
        out_trade_no: out_trade_no.to_owned(),
        syssns,
        ledger_amount,
        qfpay_amount,
        currency: currency.to_owned(),
        detail,
    }
}

/// `duplicate_payments` when `paid` holds more than one payment.
fn duplicates(
    no: &str,
    paid: &[(String, i64, String)],
    ledger_amount: Option<i64>,
) -> Option<Discrepancy> {
    let (_, _, cur) = paid.first().filter(|_| paid.len() > 1)?;
    Some(disc(
        DiscrepancyKind::DuplicatePayments,
        no,
        paid.iter().map(|p| p.0.clone()).collect(),
        ledger_amount,
        Some(paid.iter().map(|p| p.1).sum()),
        cur,
        format!(
            "{} successful payments under one order number: refund all but one",
            paid.len()
        ),
    ))
}

/// How long a payment may stay pending before a reconciliation reports it, by default.
pub const DEFAULT_PENDING_AFTER: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// `now` minus `after`, for [`Reconciler::new`].
pub fn pending_before(now: NaiveDateTime, after: std::time::Duration) -> NaiveDateTime {
    let secs = i64::try_from(after.as_secs()).unwrap_or(i64::MAX / 2);
    now - TimeDelta::try_seconds(secs).unwrap_or(TimeDelta::MAX / 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(
        syssn: &str,
        no: &str,
        kind: &str,
        amount: i64,
        respcd: &str,
        at: &str,
    ) -> Transaction {
        let mut raw = serde_json::json!({
            "syssn": syssn, "out_trade_no": no, "order_type": kind, "pay_type": "800201",
            "txamt": amount.to_string(), "txcurrcd": "HKD", "respcd": respcd, "cancel": "0",
            "sysdtm": at,
        });
        if let Some(orig) = kind.strip_prefix("refund:") {
            raw["order_type"] = "refund".into();
            raw["origssn"] = orig.into();
        }
        let serde_json::Value::Object(raw) = raw else {
            unreachable!()
        };
        Transaction::from_raw(raw).unwrap()
    }

    fn at(s: &str) -> NaiveDateTime {
        crate::validate::datetime("t", s).unwrap()
    }

    #[test]
    fn every_kind_of_difference_and_the_net_per_day() {
        let ledger = Ledger::from_csv(
            "out_trade_no,amount,currency,state,refunded\n\
             ok,100,HKD,,\n\
             gone,200,HKD,paid,\n\
             short,300,HKD,,\n\
             cur,400,USD,,\n\
             twice,500,HKD,,\n\
             refunded,600,HKD,paid,\n\
             unpaid,700,HKD,unpaid,\n\
             half,800,HKD,refunded,400\n",
        )
        .unwrap();
        let mut r = Reconciler::new(
            ledger,
            "2026-01-01 00:00:00",
            "2026-01-31 23:59:59",
            at("2026-01-02 00:00:00"),
        );
        let day1 = "2026-01-01 10:00:00";
        let day2 = "2026-01-02 10:00:00";
        for t in [
            record("S1", "ok", "payment", 100, "0000", day1),
            record("S3", "short", "payment", 299, "0000", day1),
            record("S4", "cur", "payment", 400, "0000", day1),
            record("S5a", "twice", "payment", 500, "0000", day1),
            record("S5b", "twice", "payment", 500, "0000", day2),
            record("S6", "refunded", "payment", 600, "0000", day1),
            record("R6", "refund-6", "refund:S6", 600, "0000", day2),
            record("S7", "unpaid", "payment", 700, "0000", day1),
            record("S8", "half", "payment", 800, "0000", day1),
            record("R8", "refund-8", "refund:S8", 100, "0000", day2),
            record("S9", "stranger", "payment", 900, "0000", day2),
            record("S10", "stuck", "payment", 50, "1143", day1),
            record("S11", "fresh", "payment", 50, "1143", day2),
            record("S12", "failed", "payment", 50, "1100", day1),
            record("R13", "refund-13", "refund:OLD", 70, "0000", day2),
        ] {
            r.add(t);
        }
        let report = r.finish(4);
        let kinds: Vec<(&str, &str)> = report
            .discrepancies
            .iter()
            .map(|d| (d.kind.as_str(), d.out_trade_no.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("missing_at_qfpay", "gone"),
                ("missing_in_ledger", "stranger"),
                ("amount_mismatch", "short"),
                ("currency_mismatch", "cur"),
                ("duplicate_payments", "twice"),
                ("pending_too_long", "stuck"),
                ("unknown_refund", "refund-13"),
                ("unknown_refund", "refunded"),
                ("state_mismatch", "half"),
                ("state_mismatch", "unpaid"),
            ]
        );
        assert_eq!(report.matched, 1);
        assert_eq!((report.qfpay_payments, report.qfpay_refunds), (12, 3));
        let dup = &report.discrepancies[4];
        assert_eq!(dup.syssns, ["S5a", "S5b"]);
        assert_eq!(dup.qfpay_amount, Some(1000));
        let half = &report.discrepancies[8];
        assert_eq!(
            (half.ledger_amount, half.qfpay_amount),
            (Some(400), Some(100))
        );
        let net: Vec<(&str, &str, i64, i64, i64)> = report
            .net
            .iter()
            .map(|n| {
                (
                    n.day.as_str(),
                    n.currency.as_str(),
                    n.paid,
                    n.refunded,
                    n.net,
                )
            })
            .collect();
        assert_eq!(
            net,
            [
                ("2026-01-01", "HKD", 3399, 0, 3399),
                ("2026-01-02", "HKD", 1400, 770, 630),
            ]
        );
        assert!(!report.is_clean());
        let csv = report.to_csv();
        assert!(
            csv.starts_with(
                "kind,out_trade_no,syssns,ledger_amount,qfpay_amount,currency,detail\n"
            )
        );
        assert!(csv.contains("duplicate_payments,twice,S5a S5b,500,1000,HKD,"));
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(json["discrepancies"].as_array().unwrap().len(), 10);
        assert_eq!(json["clean"], false);
        assert!(report.summary().contains("1 matched, 10 discrepancies"));
        assert!(report.net_csv().contains("2026-01-02,HKD,2,1400,3,770,630"));
    }

    #[test]
    fn an_order_reported_pending_too_long_is_not_matched() {
        let ledger = Ledger::new([LedgerEntry {
            state: LedgerState::Unpaid,
            ..LedgerEntry::paid("o1", 100, "HKD")
        }])
        .unwrap();
        let mut r = Reconciler::new(ledger, "a", "b", at("2026-01-02 00:00:00"));
        r.add(record(
            "S1",
            "o1",
            "payment",
            100,
            "1143",
            "2026-01-01 00:00:00",
        ));
        let report = r.finish(1);
        assert_eq!(report.count(DiscrepancyKind::PendingTooLong), 1);
        assert_eq!(report.matched, 0);
    }

    #[test]
    fn a_refund_listed_before_its_payment_is_linked() {
        let ledger = Ledger::new([LedgerEntry {
            state: LedgerState::Refunded,
            ..LedgerEntry::paid("o1", 100, "HKD")
        }])
        .unwrap();
        let mut r = Reconciler::new(ledger, "a", "b", at("2026-01-01 00:00:00"));
        r.add(record(
            "R1",
            "r1",
            "refund:S1",
            100,
            "0000",
            "2026-01-02 00:00:00",
        ));
        r.add(record(
            "S1",
            "o1",
            "payment",
            100,
            "0000",
            "2026-01-01 00:00:00",
        ));
        let report = r.finish(1);
        assert!(report.is_clean(), "{:?}", report.discrepancies);
        assert_eq!(report.matched, 1);
    }

    #[test]
    fn bad_ledgers_name_the_line_and_rule() {
        let err = |csv: &str| Ledger::from_csv(csv).unwrap_err().to_string();
        assert!(
            err("out_trade_no,amount\no1,1\n")
                .contains("must name out_trade_no, amount and currency")
        );
        assert!(err("out_trade_no,amount,currency,colour\n").contains("unknown column \"colour\""));
        assert!(
            err("out_trade_no,amount,currency\no1,1.50,HKD\n")
                .contains("line 2: amount must be a whole number")
        );
        assert!(
            err("out_trade_no,amount,currency\no1,1,HKD\no1,2,HKD\n")
                .contains("line 3: out_trade_no o1 is listed twice")
        );
        assert!(
            err("out_trade_no,amount,currency,state\no1,1,HKD,lost\n")
                .contains("line 2: state \"lost\"")
        );
        assert!(
            err("out_trade_no,amount,currency,refunded\no1,1,HKD,5\n")
                .contains("line 2: refunded must be from 0")
        );
        assert!(
            err("out_trade_no,amount,currency\no1,1,XXQ\n").contains("line 2: currency \"XXQ\"")
        );
        assert!(err("out_trade_no,amount,currency\no1,-1,HKD\n").contains("must not be negative"));
        let e = Ledger::new([LedgerEntry::paid("", 1, "HKD")]).unwrap_err();
        assert_eq!(e.field(), Some("ledger"));
        assert!(e.to_string().contains("entry 1: out_trade_no"), "{e}");
    }
}
