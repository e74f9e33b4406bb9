//! Payment methods (`pay_type`).

use std::fmt;

macro_rules! pay_types {
    ($( $(#[$doc:meta])* $name:ident = $code:literal ),* $(,)?) => {
        /// A QFPay payment method. Every documented code has a variant; any other code is kept
        /// as [`PayType::Other`] and sent as given.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum PayType {
            $( $(#[$doc])* $name, )*
            /// A code this SDK does not name.
            Other(String),
        }

        impl PayType {
            /// Every documented code.
            pub const DOCUMENTED: &'static [&'static str] = &[$($code),*];

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
    /// FPS MPM (HK); no refunds.
    FpsMpm = "802001",
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

impl PayType {
    /// Consumer-presented code: the merchant scans the customer's code and must send
    /// `auth_code`. QFPay codes end in `08` for these.
    pub fn is_cpm(&self) -> bool {
        self.code().len() == 6 && self.code().ends_with("08")
    }

    /// Merchant-presented QR code: the answer carries a `qrcode` to show. Codes end in `01`.
    pub fn is_mpm(&self) -> bool {
        self.code().len() == 6 && self.code().ends_with("01")
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
    }
}
