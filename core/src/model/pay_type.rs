//! Payment methods (`pay_type`).

use std::fmt;

macro_rules! pay_types {
    ($( #[doc = $doc:literal] $name:ident = $code:literal ),* $(,)?) => {
        /// A QFPay payment method. Every documented code has a variant; any other code is kept
        /// as [`PayType::Other`] and sent as given.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum PayType {
            $( #[doc = $doc] $name, )*
            /// A code this SDK does not name.
            Other(String),
        }

        impl PayType {
            /// Every documented code.
            pub const DOCUMENTED: &'static [&'static str] = &[$($code),*];

            /// Every documented code with what it is (the docs' pay-type table).
            pub const LABELS: &'static [(&'static str, &'static str)] =
                &[$(($code, $doc.trim_ascii())),*];

            /// The six-digit code sent as `pay_type`.
            pub fn code(&self) -> &str {
                match self {
                    $( PayType::$name => $code, )*
                    PayType::Other(code) => code,
                }
            }

            /// The pay type for a code; unknown codes are kept as [`PayType::Other`].
            pub fn from_code(code: &str) -> Self {
                match code {
                    $( $code => PayType::$name, )*
                    other => PayType::Other(other.to_owned()),
                }
            }
        }
    };
}

pay_types! {
    /// CPM for WeChat, Alipay, UnionPay Quick Pass, PayMe (generic consumer-presented code).
    GenericCpm = "800008",
    /// Alipay MPM in store (overseas merchants).
    AlipayMpm = "800101",
    /// Alipay CPM (overseas and HK).
    AlipayCpm = "800108",
    /// Alipay Service Window H5.
    AlipayServiceWindow = "800107",
    /// Alipay Online WEB (overseas).
    AlipayOnlineWeb = "801101",
    /// Alipay Online WAP (overseas).
    AlipayOnlineWap = "801107",
    /// Alipay in-app (overseas).
    AlipayInApp = "801110",
    /// Alipay MPM (HK merchants).
    AlipayHkMpm = "801501",
    /// Alipay in-app (HK).
    AlipayHkInApp = "801510",
    /// Alipay Online WAP (HK).
    AlipayHkOnlineWap = "801512",
    /// Alipay Online WEB (HK).
    AlipayHkOnlineWeb = "801514",
    /// WeChat MPM / Native QR: the merchant shows a QR code, the customer scans it.
    WechatQr = "800201",
    /// WeChat CPM: the merchant scans the customer's code.
    WechatCpm = "800208",
    /// WeChat JSAPI (Official Account).
    WechatJsapi = "800207",
    /// WeChat H5 (mobile browser).
    WechatH5 = "800212",
    /// WeChat in-app.
    WechatInApp = "800210",
    /// WeChat Mini-Program.
    WechatMiniProgram = "800213",
    /// WeChat Pay HK CPM.
    WechatHkCpm = "801008",
    /// WeChat Pay HK in-app.
    WechatHkInApp = "801010",
    /// PayMe MPM (HK).
    PaymeMpm = "805801",
    /// PayMe CPM (HK).
    PaymeCpm = "805808",
    /// PayMe Online WEB (HK).
    PaymeOnlineWeb = "805814",
    /// PayMe Online WAP (HK).
    PaymeOnlineWap = "805812",
    /// PayMe in-app (HK).
    PaymeInApp = "805810",
    /// UnionPay Quick Pass MPM.
    UnionpayMpm = "800701",
    /// UnionPay Quick Pass CPM.
    UnionpayCpm = "800708",
    /// UnionPay WAP (HK).
    UnionpayWap = "800712",
    /// UnionPay PC-Web (HK).
    UnionpayWeb = "800714",
    /// UnionPay in-app (HK).
    UnionpayInApp = "800710",
    /// FPS MPM (HK); no refunds.
    FpsMpm = "802001",
    /// PromptPay MPM (Thailand); no refunds; legacy, used by QFPay's own Postman collection.
    PromptpayMpm = "802901",
    /// Octopus dynamic QR MPM (HK).
    OctopusMpm = "803701",
    /// Octopus WAP (HK).
    OctopusWap = "803712",
    /// Octopus PC-Web (HK).
    OctopusWeb = "803714",
    /// Visa / Mastercard online.
    CardOnline = "802801",
    /// Visa / Mastercard offline.
    CardOffline = "802808",
    /// Apple Pay online.
    ApplePay = "806527",
    /// UnionPay card offline.
    UnionpayCardOffline = "806708",
    /// American Express card offline.
    AmexOffline = "806808",
}

/// Codes QFPay's pay-code source still holds, commented out or from its 2017 documents, with
/// what they were: availability unknown. [`PayType::is_known`] accepts them (the sandbox does,
/// unless told to be strict); they are sent as [`PayType::Other`].
pub const LEGACY: &[(&str, &str)] = &[
    ("804101", "Maybank MPM (MY)"),
    ("804108", "Maybank CPM (MY)"),
    ("804114", "Maybank online (MY)"),
    ("804201", "GrabPay MPM (MY/SG)"),
    ("804208", "GrabPay CPM (MY/SG)"),
    ("804214", "GrabPay online (MY/SG)"),
    ("803801", "Dash MPM (SG)"),
    ("803808", "Dash CPM (SG)"),
    ("804001", "Boost MPM (MY)"),
    ("804008", "Boost CPM (MY)"),
    ("804014", "Boost online (MY)"),
    ("805208", "TrueMoney CPM (TH)"),
    ("805401", "ThaiQR MPM (SG/MY)"),
    ("803101", "VIA MPM (JP/HK)"),
    ("803108", "VIA CPM (JP/HK)"),
    ("803208", "Touch 'n Go CPM (MY)"),
    ("803214", "Touch 'n Go online (MY)"),
    ("803301", "Razer MPM (MY)"),
    ("803308", "Razer CPM (MY)"),
    ("803314", "Razer online (MY)"),
    ("802201", "AIRPAY online (TH)"),
    ("802301", "PayNow MPM (SG); no refunds"),
    ("801908", "Origami CPM"),
    ("801208", "LINE Pay CPM (TH)"),
    ("801301", "LINE Pay online (TH)"),
    ("801408", "AIRPAY CPM (TH)"),
    ("801701", "NETSPAY MPM"),
    ("805601", "GoPay MPM"),
    ("805612", "GoPay WAP"),
    ("801801", "Alipay pre-auth CPM"),
    ("801808", "Alipay pre-auth MPM"),
    ("801810", "Alipay pre-auth in-app"),
    ("801814", "Alipay pre-auth online"),
    ("803001", "eWallet MPM"),
    ("803008", "eWallet CPM"),
    ("805508", "first_data credit card CPM (HK)"),
    ("805514", "first_data credit card online (HK)"),
    ("800151", "Alipay pre-order, PC web (2017)"),
    ("800152", "Alipay WAP (2017)"),
    ("800228", "WeChat HK swipe card, CPM (2017)"),
];

/// What QFPay's answer to a payment carries for the customer, by pay type (as each method's
/// page documents it; the sandbox answers in the same shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerShape {
    /// A `qrcode` to show (merchant-presented, codes ending in `01`).
    Qrcode,
    /// Consumer-presented: the merchant sent the customer's `auth_code`; nothing to show.
    Cpm,
    /// A `pay_url` to open or embed (WAP / H5, web, card and app-link pay types).
    PayUrl,
    /// WeChat `pay_params` for `WeixinJSBridge` / `wx.requestPayment` (JSAPI 800207,
    /// mini-program 800213): `appId`, `timeStamp`, `nonceStr`, `package`, `signType`, `paySign`.
    WechatJsapi,
    /// WeChat in-app `pay_params` for the WeChat app SDK (800210, 801010): `appid`,
    /// `partnerid`, `prepayid`, `package`, `noncestr`, an integer `timestamp`, `sign`.
    WechatApp,
    /// Alipay in-app `pay_params` (`mobile.securitypay.pay` fields: 801110, 801510, 801810).
    AlipayApp,
}

impl AnswerShape {
    /// The shape's name in the docs and the sandbox (`qrcode`, `pay_url`, `wechat_jsapi`...).
    pub fn name(self) -> &'static str {
        match self {
            AnswerShape::Qrcode => "qrcode",
            AnswerShape::Cpm => "cpm",
            AnswerShape::PayUrl => "pay_url",
            AnswerShape::WechatJsapi => "wechat_jsapi",
            AnswerShape::WechatApp => "wechat_app",
            AnswerShape::AlipayApp => "alipay_app",
        }
    }
}

/// The fields a pay type's page makes required, beyond the common ones: (codes, fields, the
/// method's name). [`crate::PaymentRequest::validate`] checks them before sending and the
/// docs' pay-type table lists them.
pub const REQUIRED_FIELDS: &[(&[&str], &[&str], &str)] = &[
    (
        &["800207", "800213"],
        &["sub_openid"],
        "WeChat JSAPI and mini-programs",
    ),
    (&["800107"], &["openid"], "the Alipay service window"),
    (
        &["801110", "801510"],
        &["goods_name", "return_url", "seller_id"],
        "Alipay in-app",
    ),
    (&["801107", "801512"], &["return_url"], "Alipay WAP"),
    (&["800212"], &["extend_info"], "WeChat H5"),
];

impl PayType {
    /// The fields this pay type requires beyond the common ones ([`REQUIRED_FIELDS`]), with
    /// the method's name.
    pub fn required_fields(&self) -> Option<(&'static [&'static str], &'static str)> {
        let code = self.code();
        REQUIRED_FIELDS
            .iter()
            .find(|(codes, _, _)| codes.contains(&code))
            .map(|(_, fields, why)| (*fields, *why))
    }

    /// Whether QFPay's pay-code source lists `code`, current ([`PayType::DOCUMENTED`]) or
    /// legacy ([`LEGACY`]).
    pub fn is_known(code: &str) -> bool {
        Self::DOCUMENTED.contains(&code) || LEGACY.iter().any(|(c, _)| *c == code)
    }

    /// What QFPay's answer carries for this pay type ([`AnswerShape`]). By the code's mode
    /// (the last two digits: 01 MPM, 08 CPM, 07 JSAPI, 10 in-app, 12 WAP, 13 mini-program,
    /// 14 web), with the documented exceptions (800008 and 800228 are consumer-presented; the
    /// Alipay service window 800107, web 801101, WAP 801107 and card online 802801 answer a
    /// `pay_url`; WeChat
    /// in-app and Alipay in-app answer their own `pay_params`).
    pub fn answer_shape(&self) -> AnswerShape {
        let code = self.code();
        match code {
            "800008" | "800228" => return AnswerShape::Cpm,
            "800207" | "800213" => return AnswerShape::WechatJsapi,
            "800210" | "801010" => return AnswerShape::WechatApp,
            "801110" | "801510" | "801810" => return AnswerShape::AlipayApp,
            "801101" | "801107" | "800107" | "802801" => return AnswerShape::PayUrl,
            _ => {}
        }
        match (code.len(), code.get(4..)) {
            (6, Some("08")) => AnswerShape::Cpm,
            (6, Some("01")) => AnswerShape::Qrcode,
            _ => AnswerShape::PayUrl,
        }
    }

    /// Consumer-presented code: the merchant scans the customer's code and must send
    /// `auth_code`. QFPay codes end in `08` for these (and 800008, 800228).
    pub fn is_cpm(&self) -> bool {
        self.answer_shape() == AnswerShape::Cpm
    }

    /// Merchant-presented QR code: the answer carries a `qrcode` to show. Codes end in `01` (but Alipay web 801101).
    pub fn is_mpm(&self) -> bool {
        self.answer_shape() == AnswerShape::Qrcode
    }
}

impl fmt::Display for PayType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl From<&str> for PayType {
    fn from(code: &str) -> Self {
        PayType::from_code(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for code in PayType::DOCUMENTED {
            assert_eq!(PayType::from_code(code).code(), *code);
            assert!(!matches!(PayType::from_code(code), PayType::Other(_)));
        }
        assert_eq!(
            PayType::from_code("804101"),
            PayType::Other("804101".into())
        );
        assert!(PayType::WechatCpm.is_cpm());
        assert!(PayType::WechatQr.is_mpm());
        assert!(!PayType::WechatQr.is_cpm());
        assert!(PayType::from_code("804108").is_cpm());
        assert!(PayType::is_known("802901") && PayType::is_known("800710"));
        assert!(PayType::is_known("800228") && !PayType::is_known("809999"));
        for (code, _) in LEGACY {
            assert!(!PayType::DOCUMENTED.contains(code), "{code} twice");
        }
    }

    #[test]
    fn answer_shapes_follow_the_documented_pages() {
        let shape = |c: &str| PayType::from_code(c).answer_shape();
        assert_eq!(shape("800201"), AnswerShape::Qrcode);
        assert_eq!(shape("800208"), AnswerShape::Cpm);
        assert_eq!(shape("800008"), AnswerShape::Cpm);
        assert_eq!(shape("800207"), AnswerShape::WechatJsapi);
        assert_eq!(shape("800213"), AnswerShape::WechatJsapi);
        assert_eq!(shape("800210"), AnswerShape::WechatApp);
        assert_eq!(shape("801510"), AnswerShape::AlipayApp);
        for url in [
            "801101", "801107", "800107", "801512", "801514", "805812", "800212", "802801",
        ] {
            assert_eq!(shape(url), AnswerShape::PayUrl, "{url}");
        }
    }
}
