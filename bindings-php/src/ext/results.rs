//! Core results as read-only PHP objects: typed properties (getters without setters) named in
//! lowerCamelCase, amounts as `int`, and `raw` (every field QFPay sent, as an array).

use ext_php_rs::boxed::ZBox;
use ext_php_rs::convert::IntoZval;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use serde_json::{Map, Value};

/// A JSON value as a PHP value (objects and lists as arrays).
pub fn json_to_zval(v: &Value) -> Zval {
    let mut z = Zval::new();
    match v {
        Value::Null => z.set_null(),
        Value::Bool(b) => z.set_bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => z.set_long(i),
            None => z.set_double(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => {
            if z.set_string(s, false).is_err() {
                z.set_null();
            }
        }
        Value::Array(items) => {
            let mut ht = ZendHashTable::with_capacity(u32::try_from(items.len()).unwrap_or(0));
            for item in items {
                let _ = ht.push(json_to_zval(item));
            }
            z.set_hashtable(ht);
        }
        Value::Object(m) => z.set_hashtable(map_to_array(m)),
    }
    z
}

/// A JSON object as a PHP array.
pub fn map_to_array(m: &Map<String, Value>) -> ZBox<ZendHashTable> {
    let mut ht = ZendHashTable::with_capacity(u32::try_from(m.len()).unwrap_or(0));
    for (k, v) in m {
        let _ = ht.insert(k.as_str(), json_to_zval(v));
    }
    ht
}

/// QFPay's answer to a payment. For WeChat QR (800201) `qrcode` is what the customer scans.
#[php_class]
#[php(name = "QfPay\\Payment")]
#[php(flags = ClassFlags::Final.union(ClassFlags::NoDynamicProperties))]
pub struct Payment {
    inner: qfpay::Payment,
}

impl From<qfpay::Payment> for Payment {
    fn from(inner: qfpay::Payment) -> Self {
        Self { inner }
    }
}

#[php_impl]
impl Payment {
    #[php(getter)]
    pub fn get_syssn(&self) -> String {
        self.inner.syssn.clone()
    }
    #[php(getter)]
    pub fn get_out_trade_no(&self) -> String {
        self.inner.out_trade_no.clone()
    }
    #[php(getter)]
    pub fn get_pay_type(&self) -> String {
        self.inner.pay_type.code().to_owned()
    }
    #[php(getter)]
    pub fn get_txamt(&self) -> i64 {
        self.inner.txamt
    }
    #[php(getter)]
    pub fn get_txcurrcd(&self) -> String {
        self.inner.txcurrcd.clone()
    }
    #[php(getter)]
    pub fn get_txdtm(&self) -> String {
        self.inner.txdtm.clone()
    }
    #[php(getter)]
    pub fn get_sysdtm(&self) -> String {
        self.inner.sysdtm.clone()
    }
    #[php(getter)]
    pub fn get_paydtm(&self) -> String {
        self.inner.paydtm.clone()
    }
    #[php(getter)]
    pub fn get_qrcode(&self) -> Option<String> {
        self.inner.qrcode.clone()
    }
    #[php(getter)]
    pub fn get_pay_url(&self) -> Option<String> {
        self.inner.pay_url.clone()
    }
    #[php(getter)]
    pub fn get_chnlsn(&self) -> String {
        self.inner.chnlsn.clone()
    }
    #[php(getter)]
    pub fn get_cardcd(&self) -> String {
        self.inner.cardcd.clone()
    }
    #[php(getter)]
    pub fn get_udid(&self) -> String {
        self.inner.udid.clone()
    }
    #[php(getter)]
    pub fn get_respcd(&self) -> String {
        self.inner.respcd.clone()
    }
    #[php(getter)]
    pub fn get_resperr(&self) -> String {
        self.inner.resperr.clone()
    }
    #[php(getter)]
    pub fn get_respmsg(&self) -> String {
        self.inner.respmsg.clone()
    }
    #[php(getter)]
    pub fn get_raw(&self) -> ZBox<ZendHashTable> {
        map_to_array(&self.inner.raw)
    }
}

/// One transaction record from a query.
#[php_class]
#[php(name = "QfPay\\Transaction")]
#[php(flags = ClassFlags::Final.union(ClassFlags::NoDynamicProperties))]
#[derive(Clone)]
pub struct Transaction {
    inner: qfpay::Transaction,
}

impl Transaction {
    /// Wraps a core transaction.
    pub fn from_core(inner: qfpay::Transaction) -> Self {
        Self { inner }
    }

    /// As a PHP object (null when it cannot be built).
    pub fn zval(t: &qfpay::Transaction) -> Zval {
        Self::from_core(t.clone())
            .into_zval(false)
            .unwrap_or_else(|_| Zval::null())
    }
}

#[php_impl]
impl Transaction {
    #[php(getter)]
    pub fn get_syssn(&self) -> String {
        self.inner.syssn.clone()
    }
    #[php(getter)]
    pub fn get_out_trade_no(&self) -> String {
        self.inner.out_trade_no.clone()
    }
    #[php(getter)]
    pub fn get_order_type(&self) -> String {
        self.inner.order_type.clone()
    }
    #[php(getter)]
    pub fn get_origssn(&self) -> Option<String> {
        self.inner.origssn.clone()
    }
    #[php(getter)]
    pub fn get_pay_type(&self) -> String {
        self.inner.pay_type.code().to_owned()
    }
    #[php(getter)]
    pub fn get_txamt(&self) -> i64 {
        self.inner.txamt
    }
    #[php(getter)]
    pub fn get_txcurrcd(&self) -> String {
        self.inner.txcurrcd.clone()
    }
    #[php(getter)]
    pub fn get_txdtm(&self) -> String {
        self.inner.txdtm.clone()
    }
    #[php(getter)]
    pub fn get_sysdtm(&self) -> String {
        self.inner.sysdtm.clone()
    }
    #[php(getter)]
    pub fn get_paydtm(&self) -> String {
        self.inner.paydtm.clone()
    }
    #[php(getter)]
    pub fn get_respcd(&self) -> String {
        self.inner.respcd.clone()
    }
    #[php(getter)]
    pub fn get_errmsg(&self) -> String {
        self.inner.errmsg.clone()
    }
    #[php(getter)]
    pub fn get_cancel(&self) -> String {
        self.inner.cancel.clone()
    }
    #[php(getter)]
    pub fn get_goods_name(&self) -> String {
        self.inner.goods_name.clone()
    }
    #[php(getter)]
    pub fn get_chnlsn(&self) -> String {
        self.inner.chnlsn.clone()
    }
    #[php(getter)]
    pub fn get_state(&self) -> String {
        self.inner.state.as_str().to_owned()
    }
    #[php(getter)]
    pub fn get_is_paid(&self) -> bool {
        self.inner.is_paid()
    }
    #[php(getter)]
    pub fn get_is_refund(&self) -> bool {
        self.inner.is_refund()
    }
    #[php(getter)]
    pub fn get_raw(&self) -> ZBox<ZendHashTable> {
        map_to_array(&self.inner.raw)
    }
}

/// One page of query results.
#[php_class]
#[php(name = "QfPay\\QueryPage")]
#[php(flags = ClassFlags::Final.union(ClassFlags::NoDynamicProperties))]
pub struct QueryPage {
    inner: qfpay::QueryPage,
}

impl From<qfpay::QueryPage> for QueryPage {
    fn from(inner: qfpay::QueryPage) -> Self {
        Self { inner }
    }
}

impl QueryPage {
    /// The records (for the item iterator).
    pub fn records(&self) -> &[qfpay::Transaction] {
        &self.inner.data
    }
}

#[php_impl]
impl QueryPage {
    #[php(getter)]
    pub fn get_page(&self) -> i64 {
        i64::from(self.inner.page)
    }
    #[php(getter)]
    pub fn get_page_size(&self) -> i64 {
        i64::from(self.inner.page_size)
    }
    #[php(getter)]
    pub fn get_data(&self) -> Vec<Transaction> {
        self.inner
            .data
            .iter()
            .cloned()
            .map(Transaction::from_core)
            .collect()
    }
    #[php(getter)]
    pub fn get_raw(&self) -> ZBox<ZendHashTable> {
        map_to_array(&self.inner.raw)
    }
}

/// QFPay's answer to a refund.
#[php_class]
#[php(name = "QfPay\\Refund")]
#[php(flags = ClassFlags::Final.union(ClassFlags::NoDynamicProperties))]
pub struct Refund {
    inner: qfpay::Refund,
}

impl From<qfpay::Refund> for Refund {
    fn from(inner: qfpay::Refund) -> Self {
        Self { inner }
    }
}

#[php_impl]
impl Refund {
    #[php(getter)]
    pub fn get_syssn(&self) -> String {
        self.inner.syssn.clone()
    }
    #[php(getter)]
    pub fn get_orig_syssn(&self) -> String {
        self.inner.orig_syssn.clone()
    }
    #[php(getter)]
    pub fn get_out_trade_no(&self) -> String {
        self.inner.out_trade_no.clone()
    }
    #[php(getter)]
    pub fn get_txamt(&self) -> i64 {
        self.inner.txamt
    }
    #[php(getter)]
    pub fn get_txcurrcd(&self) -> String {
        self.inner.txcurrcd.clone()
    }
    #[php(getter)]
    pub fn get_txdtm(&self) -> String {
        self.inner.txdtm.clone()
    }
    #[php(getter)]
    pub fn get_sysdtm(&self) -> String {
        self.inner.sysdtm.clone()
    }
    #[php(getter)]
    pub fn get_respcd(&self) -> String {
        self.inner.respcd.clone()
    }
    #[php(getter)]
    pub fn get_resperr(&self) -> String {
        self.inner.resperr.clone()
    }
    #[php(getter)]
    pub fn get_respmsg(&self) -> String {
        self.inner.respmsg.clone()
    }
    #[php(getter)]
    pub fn get_raw(&self) -> ZBox<ZendHashTable> {
        map_to_array(&self.inner.raw)
    }
}

/// QFPay's answer to a close or reversal.
#[php_class]
#[php(name = "QfPay\\Cancellation")]
#[php(flags = ClassFlags::Final.union(ClassFlags::NoDynamicProperties))]
pub struct Cancellation {
    inner: qfpay::Cancellation,
}

impl From<qfpay::Cancellation> for Cancellation {
    fn from(inner: qfpay::Cancellation) -> Self {
        Self { inner }
    }
}

#[php_impl]
impl Cancellation {
    #[php(getter)]
    pub fn get_syssn(&self) -> String {
        self.inner.syssn.clone()
    }
    #[php(getter)]
    pub fn get_orig_syssn(&self) -> String {
        self.inner.orig_syssn.clone()
    }
    #[php(getter)]
    pub fn get_out_trade_no(&self) -> String {
        self.inner.out_trade_no.clone()
    }
    #[php(getter)]
    pub fn get_txamt(&self) -> i64 {
        self.inner.txamt
    }
    #[php(getter)]
    pub fn get_respcd(&self) -> String {
        self.inner.respcd.clone()
    }
    #[php(getter)]
    pub fn get_resperr(&self) -> String {
        self.inner.resperr.clone()
    }
    #[php(getter)]
    pub fn get_respmsg(&self) -> String {
        self.inner.respmsg.clone()
    }
    #[php(getter)]
    pub fn get_raw(&self) -> ZBox<ZendHashTable> {
        map_to_array(&self.inner.raw)
    }
}
