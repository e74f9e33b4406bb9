//! Online flows on the client: hosted checkout links, the WeChat OAuth link, the openid
//! exchange and QFPay's cashier redirect, each with the client's credentials and base URL.

use super::*;
use crate::checkout::{self, CheckoutLink, CheckoutRequest};
use crate::wechat::{self, CashierRequest};

impl Client {
    /// The signed hosted-checkout link for `req` (`<base>/checkstand/#/?…&sign=…`), with
    /// `out_trade_no` generated and `txdtm` filled in when absent, and the client's `mchid` as
    /// `mchntid` when the request has none. Nothing is sent: the customer's browser opens the
    /// link, and the result comes by notification or query of the link's `out_trade_no`.
    pub fn checkout_url(&self, mut req: CheckoutRequest) -> Result<CheckoutLink> {
        let cfg = &self.inner.config;
        self.masked(req.validate())?;
        let out_trade_no = req
            .out_trade_no
            .clone()
            .unwrap_or_else(generate_out_trade_no);
        let txdtm = req.txdtm.clone().unwrap_or_else(|| self.now_txdtm());
        if req.mchntid.is_none() {
            req.mchntid = cfg.mchid.clone();
        }
        if let Some(at) = req.checkout_expires_at.take() {
            let local = crate::validate::datetime("checkout_expires_at", &at)?;
            let ms = local.and_utc().timestamp_millis() - i64::from(cfg.utc_offset_seconds) * 1000;
            req.checkout_expired_time = Some(checkout::CheckoutExpiry::AtMillis(ms));
        }
        self.masked(checkout::build(
            &cfg.base_url,
            &cfg.app_code,
            cfg.client_key.expose(),
            cfg.sign_type,
            &req,
            &out_trade_no,
            &txdtm,
        ))
    }

    /// Reads a checkout link back and verifies its signature with the client's key: a
    /// [`Error::Signature`] names the likely mistake (values signed encoded, left unencoded in
    /// the link, another key).
    pub fn verify_checkout_url(&self, url: &str) -> Result<CheckoutLink> {
        self.masked(checkout::verify(url, self.inner.config.client_key.expose()))
    }

    /// The signed link that starts WeChat's OAuth inside the WeChat browser
    /// (`/tool/v1/get_weixin_oauth_code`): QFPay sends the customer on to `redirect_uri` with
    /// `code=…`, which [`Client::get_wechat_openid`] exchanges. The client's `mchid` when none
    /// is given.
    pub fn wechat_oauth_url(&self, redirect_uri: &str, mchid: Option<&str>) -> Result<String> {
        let cfg = &self.inner.config;
        self.masked(wechat::oauth_url(
            &cfg.base_url,
            &cfg.app_code,
            cfg.client_key.expose(),
            redirect_uri,
            self.mchid(mchid),
        ))
    }

    /// The customer's openid for an OAuth `code` (`GET /tool/v1/get_weixin_openid`,
    /// header-signed). QFPay's rule: a code works once, and a new code and openid are obtained
    /// for every payment attempt. Retried like a query (it moves no money).
    pub async fn get_wechat_openid(&self, code: &str, mchid: Option<&str>) -> Result<String> {
        if code.is_empty() {
            return Err(Error::validation("code", "must not be empty"));
        }
        crate::validate::no_control_chars("code", code)?;
        crate::validate::optional(mchid, |m| crate::validate::length("mchid", m, 1, 16))?;
        let mut params = vec![("code", code.to_owned())];
        if let Some(m) = self.mchid(mchid) {
            params.push(("mchid", m.to_owned()));
        }
        self.read(Endpoint::WechatOpenid, &params, |raw| {
            fields::opt_text(&raw, "openid")
                .ok_or_else(|| Error::Decode("the answer has no openid".into()))
        })
        .await
    }

    /// QFPay's cashier link (`/q/direct`) for a JSAPI payment: the page shows `mchntnm`, the
    /// amount and goods, pays with the payment's `pay_params`, and sends the customer to
    /// `redirect_url`. The host is `region`'s (`hk`, `cn`, `th`); without one, the region of
    /// the client's base URL (the local sandbox serves the page itself).
    pub fn cashier_url(&self, req: &CashierRequest, region: Option<&str>) -> Result<String> {
        let host = match region {
            Some(r) => wechat::cashier_host(r)?.to_owned(),
            None => cashier_host_of(&self.inner.config.base_url),
        };
        wechat::cashier_url(&host, req)
    }
}

/// The cashier host that goes with a base URL: QFPay's Thailand and mainland hosts have their
/// own, every other QFPay host Hong Kong's, anything else (the local sandbox) itself.
fn cashier_host_of(base_url: &str) -> String {
    let host = url::Url::parse(base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    let region = if host.ends_with("-th.qfapi.com") {
        "th"
    } else if host.ends_with(".qfpay.com") {
        "cn"
    } else if host.ends_with(".qfapi.com") {
        "hk"
    } else {
        return base_url.trim_end_matches('/').to_owned();
    };
    wechat::cashier_host(region).map_or_else(|_| base_url.to_owned(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cashier_hosts_follow_the_base_url() {
        assert_eq!(
            cashier_host_of("https://openapi-hk.qfapi.com"),
            "https://o2-hk.qfapi.com"
        );
        assert_eq!(
            cashier_host_of("https://test-openapi-th.qfapi.com"),
            "https://o2-th.qfapi.com"
        );
        assert_eq!(
            cashier_host_of("https://openapi-test.qfpay.com"),
            "https://o2.qfpay.com"
        );
        assert_eq!(
            cashier_host_of("http://127.0.0.1:8080/"),
            "http://127.0.0.1:8080"
        );
    }
}
