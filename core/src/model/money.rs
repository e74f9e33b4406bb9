//! Amounts in integer minor units and the currencies QFPay documents.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// The 13 currencies QFPay documents, with their ISO 4217 minor-unit exponents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Currency {
    /// UAE dirham.
    AED,
    /// Chinese yuan.
    CNY,
    /// Euro.
    EUR,
    /// Hong Kong dollar.
    HKD,
    /// Indonesian rupiah.
    IDR,
    /// Japanese yen (no minor unit).
    JPY,
    /// Myanmar kyat.
    MMK,
    /// Malaysian ringgit.
    MYR,
    /// Singapore dollar.
    SGD,
    /// Thai baht.
    THB,
    /// US dollar.
    USD,
    /// Canadian dollar.
    CAD,
    /// Australian dollar.
    AUD,
}

impl Currency {
    /// Every documented currency.
    pub const ALL: [Currency; 13] = [
        Currency::AED,
        Currency::CNY,
        Currency::EUR,
        Currency::HKD,
        Currency::IDR,
        Currency::JPY,
        Currency::MMK,
        Currency::MYR,
        Currency::SGD,
        Currency::THB,
        Currency::USD,
        Currency::CAD,
        Currency::AUD,
    ];

    /// The ISO 4217 code (`txcurrcd`).
    pub fn code(self) -> &'static str {
        match self {
            Currency::AED => "AED",
            Currency::CNY => "CNY",
            Currency::EUR => "EUR",
            Currency::HKD => "HKD",
            Currency::IDR => "IDR",
            Currency::JPY => "JPY",
            Currency::MMK => "MMK",
            Currency::MYR => "MYR",
            Currency::SGD => "SGD",
            Currency::THB => "THB",
            Currency::USD => "USD",
            Currency::CAD => "CAD",
            Currency::AUD => "AUD",
        }
    }

    /// Digits after the decimal point in a major-unit amount (ISO 4217): 0 for JPY, 2 otherwise.
    pub fn exponent(self) -> u32 {
        match self {
            Currency::JPY => 0,
            _ => 2,
        }
    }

    /// Parses a documented code (exact, uppercase).
    pub fn parse(code: &str) -> Result<Self, Error> {
        Currency::ALL
            .into_iter()
            .find(|c| c.code() == code)
            .ok_or_else(|| {
                // Quoted only when it is short enough to be a currency code, never a secret.
                let shown = if code.chars().count() <= 3 {
                    format!("{code:?}")
                } else {
                    format!("a {}-character value", code.chars().count())
                };
                Error::validation(
                    "txcurrcd",
                    format!(
                        "{shown} is not a QFPay currency (one of AED, CNY, EUR, HKD, IDR, JPY, MMK, MYR, SGD, THB, USD, CAD, AUD)"
                    ),
                )
            })
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Currency::parse(s)
    }
}

/// The largest amount QFPay accepts: `txamt` is an `Int(11)`.
pub const MAX_AMOUNT: i64 = 99_999_999_999;

/// An amount of money: integer minor units (cents; yen for JPY) and a currency. No floats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    /// The amount in minor units (`txamt`).
    pub amount: i64,
    /// The currency (`txcurrcd`).
    pub currency: Currency,
}

impl Money {
    /// `amount` minor units of `currency`: `Money::new(300, Currency::HKD)` is HK$3.00.
    pub fn new(amount: i64, currency: Currency) -> Self {
        Self { amount, currency }
    }

    /// Parses a major-unit decimal string exactly: `Money::from_major("10.50", Currency::HKD)`
    /// is 1050 cents. More decimals than the currency has is an error, never a rounding.
    pub fn from_major(value: &str, currency: Currency) -> Result<Self, Error> {
        let exp = currency.exponent() as usize;
        let bad = |rule: String| Error::validation("txamt", rule);
        let (whole, frac) = match value.split_once('.') {
            Some((w, f)) => (w, f),
            None => (value, ""),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(format!("{value:?} is not a plain decimal amount")));
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) || (value.contains('.') && frac.is_empty()) {
            return Err(bad(format!("{value:?} is not a plain decimal amount")));
        }
        if frac.len() > exp {
            return Err(bad(format!(
                "{value:?} has more than {exp} decimal places for {currency}"
            )));
        }
        let digits = format!("{whole}{frac:0<exp$}");
        let amount: i64 = digits
            .parse()
            .map_err(|_| bad(format!("{value:?} is too large")))?;
        Ok(Self { amount, currency })
    }

    /// The amount as a major-unit decimal string (`"3.00"` for 300 HKD cents).
    pub fn to_major_string(&self) -> String {
        let exp = self.currency.exponent();
        if exp == 0 {
            return self.amount.to_string();
        }
        let div = 10_i64.pow(exp);
        let sign = if self.amount < 0 { "-" } else { "" };
        let abs = self.amount.unsigned_abs();
        let div = div.unsigned_abs();
        format!(
            "{sign}{}.{:0width$}",
            abs / div,
            abs % div,
            width = exp as usize
        )
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.currency, self.to_major_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn major_parsing_is_exact() {
        assert_eq!(
            Money::from_major("10.50", Currency::HKD).ok(),
            Some(Money::new(1050, Currency::HKD))
        );
        assert_eq!(
            Money::from_major("10", Currency::HKD).ok(),
            Some(Money::new(1000, Currency::HKD))
        );
        assert_eq!(
            Money::from_major("1200", Currency::JPY).ok(),
            Some(Money::new(1200, Currency::JPY))
        );
        assert!(Money::from_major("10.505", Currency::HKD).is_err());
        assert!(Money::from_major("1.5", Currency::JPY).is_err());
        assert!(Money::from_major("-1", Currency::HKD).is_err());
        assert!(Money::from_major("1e3", Currency::HKD).is_err());
        assert!(Money::from_major("1.", Currency::HKD).is_err());
    }

    #[test]
    fn display() {
        assert_eq!(Money::new(300, Currency::HKD).to_string(), "HKD 3.00");
        assert_eq!(Money::new(5, Currency::USD).to_major_string(), "0.05");
        assert_eq!(Money::new(500, Currency::JPY).to_string(), "JPY 500");
    }

    #[test]
    fn currencies() {
        assert_eq!(Currency::ALL.len(), 13);
        assert_eq!(Currency::parse("HKD").ok(), Some(Currency::HKD));
        assert!(Currency::parse("hkd").is_err());
        assert!(Currency::parse("GBP").is_err());
    }
}
