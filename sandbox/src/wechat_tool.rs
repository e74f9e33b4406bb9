//! QFPay's WeChat helpers for Official Account (JSAPI) payments:
//! `GET /tool/v1/get_weixin_oauth_code` (query-signed; redirects the browser back with a
//! fresh `code`) and `GET /tool/v1/get_weixin_openid` (header-signed like every API call;
//! trades a code for an `openid`, once).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use qfpay::SignType;
use serde_json::json;

use crate::app::{Answer, Shared};
use crate::form::Form;
use crate::handlers::{Params, error, param_error};
use crate::state::{lock, random_alnum};

/// The codes handed out, and whether each was used.
#[derive(Debug, Default)]
pub struct OauthCodes {
    codes: Mutex<HashMap<String, Code>>,
}

#[derive(Debug, Clone, Copy)]
struct Code {
    merchant: usize,
    used: bool,
}

impl OauthCodes {
    /// A fresh code for merchant number `merchant`.
    pub fn issue(&self, merchant: usize) -> String {
        let code = format!("0{}", random_alnum(31));
        lock(&self.codes).insert(
            code.clone(),
            Code {
                merchant,
                used: false,
            },
        );
        code
    }

    /// Uses `code` for merchant number `merchant`: true the first time, false after (or for
    /// a code never issued, or issued to another merchant).
    pub fn redeem(&self, merchant: usize, code: &str) -> bool {
        let mut codes = lock(&self.codes);
        match codes.get_mut(code) {
            Some(c) if c.merchant == merchant && !c.used => {
                c.used = true;
                true
            }
            _ => false,
        }
    }

    /// Forgets every code.
    pub fn clear(&self) {
        lock(&self.codes).clear();
    }
}

/// The stand-in `openid` for a merchant's code: `o` and 27 characters, deterministic.
pub fn openid_for(app_code: &str, code: &str) -> String {
    let d = qfpay::sign::digest(&format!("{app_code}\n{code}"), "openid", SignType::Sha256);
    format!("o{}", d.get(..27).unwrap_or_default())
}

/// `redirect_uri` with `code=…` appended (`?` or `&` as it needs; before any fragment).
pub fn with_code(redirect_uri: &str, code: &str) -> String {
    let (base, fragment) = match redirect_uri.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (redirect_uri, None),
    };
    let sep = if !base.contains('?') {
        "?"
    } else if base.ends_with('?') || base.ends_with('&') {
        ""
    } else {
        "&"
    };
    let mut out = format!("{base}{sep}code={code}");
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

impl Shared {
    /// `GET /tool/v1/get_weixin_oauth_code?app_code=…&redirect_uri=…[&mchid=…]&sign=…`.
    pub fn weixin_oauth_code(self: &Arc<Self>, query: &str) -> Answer {
        let mut form = Form::parse(query.as_bytes());
        let sign = form.take_sign();
        let p = Params(form.decoded.clone());
        let Some(app_code) = p.get("app_code") else {
            return param_error("app_code", "app_code is required");
        };
        let Some(redirect_uri) = p.get("redirect_uri").map(str::to_owned) else {
            return param_error("redirect_uri", "redirect_uri is required");
        };
        let Some(sign) = sign else {
            return param_error("sign", "sign is required");
        };
        if redirect_uri.len() > 512 || !crate::pages::is_http_url(&redirect_uri) {
            return param_error(
                "redirect_uri",
                "redirect_uri must be an http(s) URL of at most 512 characters",
            );
        }
        let Some((idx, m)) = self.merchant_by_app_code(app_code) else {
            return error(
                "1108",
                &format!("Signature error: unknown app_code {app_code:?}"),
                "",
            );
        };
        let signed = |params: &[(String, String)]| {
            let only: Vec<(&str, &str)> = params
                .iter()
                .filter(|(k, _)| matches!(k.as_str(), "app_code" | "redirect_uri" | "mchid"))
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            qfpay::sign::verify_request_signature(
                &only,
                &sign,
                &m.merchant.client_key,
                SignType::Md5,
            )
        };
        if !(signed(&form.decoded) || (form.readings_differ() && signed(&form.raw))) {
            return error(
                "1108",
                "Signature error: sign must be the MD5 of the sorted app_code, redirect_uri (and mchid) and the client key",
                "",
            );
        }
        if let (Some(expected), Some(given)) = (&m.merchant.mchid, p.get("mchid"))
            && expected != given
        {
            return error(
                "1108",
                &format!("MCHCODE非法: mchid {given:?} does not belong to this app code"),
                "",
            );
        }
        let code = self.oauth_codes.issue(idx);
        let mut a = Answer::text(302, bytes::Bytes::new());
        a.headers
            .push(("location", with_code(&redirect_uri, &code)));
        a.headers.push(("cache-control", "no-store".into()));
        a
    }

    /// `GET /tool/v1/get_weixin_openid?code=…` (authenticated by the caller).
    pub fn weixin_openid(self: &Arc<Self>, merchant: usize, p: &Params) -> Answer {
        let Some(code) = p.get("code").map(str::trim).filter(|c| !c.is_empty()) else {
            return param_error("code", "code is required");
        };
        if !self.oauth_codes.redeem(merchant, code) {
            return error(
                "1104",
                "Request parameter error: code used or invalid (a code works once) (field: code)",
                "code used or invalid",
            );
        }
        let app_code = self
            .merchants
            .get(merchant)
            .map(|m| m.merchant.app_code.as_str())
            .unwrap_or_default();
        Answer::json(
            200,
            &json!({
                "respcd": "0000",
                "resperr": "success",
                "respmsg": "",
                "openid": openid_for(app_code, code),
            }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_appended() {
        assert_eq!(with_code("http://a/cb", "C"), "http://a/cb?code=C");
        assert_eq!(with_code("http://a/cb?x=1", "C"), "http://a/cb?x=1&code=C");
        assert_eq!(with_code("http://a/cb?", "C"), "http://a/cb?code=C");
        assert_eq!(with_code("http://a/cb#/h", "C"), "http://a/cb?code=C#/h");
    }

    #[test]
    fn codes_work_once() {
        let c = OauthCodes::default();
        let code = c.issue(0);
        assert!(!c.redeem(1, &code));
        assert!(c.redeem(0, &code));
        assert!(!c.redeem(0, &code));
        assert!(!c.redeem(0, "nope"));
        assert_eq!(openid_for("A", "B").len(), 28);
        assert_eq!(openid_for("A", "B"), openid_for("A", "B"));
    }
}
