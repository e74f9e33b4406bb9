//! Field rules shared by the request types. Each failure names the field and the rule.

use chrono::NaiveDateTime;

use crate::error::{Error, Result};
use crate::model::money::{MAX_AMOUNT, Money};

/// The `YYYY-MM-DD hh:mm:ss` format of `txdtm`, `start_time` and `end_time`.
pub const DATETIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// A length in characters between `min` and `max`.
pub fn length(field: &str, value: &str, min: usize, max: usize) -> Result<()> {
    let n = value.chars().count();
    if n < min || n > max {
        let rule = if min == 0 {
            format!("must be at most {max} characters (got {n})")
        } else if min == max {
            format!("must be exactly {max} characters (got {n})")
        } else {
            format!("must be {min} to {max} characters (got {n})")
        };
        return Err(Error::validation(field, rule));
    }
    no_control_chars(field, value)
}

/// No ASCII control characters (they would corrupt the form body QFPay parses).
pub fn no_control_chars(field: &str, value: &str) -> Result<()> {
    if value.chars().any(|c| c.is_control()) {
        return Err(Error::validation(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}

/// A merchant order number: 1 to 128 printable ASCII characters without spaces.
pub fn order_number(field: &str, value: &str) -> Result<()> {
    length(field, value, 1, 128)?;
    if !value.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return Err(Error::validation(
            field,
            "must be printable ASCII without spaces",
        ));
    }
    Ok(())
}

/// An amount: positive and at most 11 digits (`Int(11)`).
pub fn amount(field: &str, money: &Money) -> Result<()> {
    if money.amount <= 0 {
        return Err(Error::validation(
            field,
            format!(
                "must be a positive amount in minor units (got {})",
                money.amount
            ),
        ));
    }
    if money.amount > MAX_AMOUNT {
        return Err(Error::validation(
            field,
            format!(
                "must be at most {MAX_AMOUNT} minor units (got {})",
                money.amount
            ),
        ));
    }
    Ok(())
}

/// A `YYYY-MM-DD hh:mm:ss` date-time.
pub fn datetime(field: &str, value: &str) -> Result<NaiveDateTime> {
    if value.len() != 19 {
        return Err(Error::validation(
            field,
            "must be formatted YYYY-MM-DD hh:mm:ss",
        ));
    }
    NaiveDateTime::parse_from_str(value, DATETIME_FORMAT).map_err(|_| {
        Error::validation(
            field,
            "must be a valid date-time formatted YYYY-MM-DD hh:mm:ss",
        )
    })
}

/// An absolute `http` or `https` URL of at most `max` characters.
pub fn http_url(field: &str, value: &str, max: usize) -> Result<()> {
    length(field, value, 1, max)?;
    match url::Url::parse(value) {
        Ok(u) if (u.scheme() == "http" || u.scheme() == "https") && u.host().is_some() => Ok(()),
        _ => Err(Error::validation(
            field,
            "must be an absolute http or https URL",
        )),
    }
}

/// Extra parameters (what QFPay adds after this SDK): each name ASCII letters, digits and `_`,
/// given once, none that a typed field sends (`reserved`) and never `sign` or `key` (QFPay's
/// documents once showed the client key as a form field: it must never be sent); values without
/// control characters. Errors name `extra_params.<name>`.
pub fn extra_params(extra: &[(String, String)], reserved: &[&str]) -> Result<()> {
    for (i, (name, value)) in extra.iter().enumerate() {
        let field = format!("extra_params.{name}");
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(Error::validation(
                "extra_params",
                "names must be ASCII letters, digits and _",
            ));
        }
        if reserved.contains(&name.as_str()) {
            return Err(Error::validation(
                &field,
                "is a typed field: set it by its own name, not as an extra parameter",
            ));
        }
        if matches!(
            name.as_str(),
            "sign" | "key" | "client_key" | "app_code" | "appcode"
        ) {
            return Err(Error::validation(
                &field,
                "is never sent as a parameter (the signature and credentials go in headers)",
            ));
        }
        if extra[..i].iter().any(|(n, _)| n == name) {
            return Err(Error::validation(&field, "is given twice"));
        }
        no_control_chars(&field, value)?;
    }
    Ok(())
}

/// A mainland China resident ID number (GB 11643-1999): 17 digits and a check character
/// (a digit or `X`) that matches the ISO 7064 MOD 11-2 checksum.
pub fn resident_id(field: &str, value: &str) -> Result<()> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [u8; 11] = *b"10X98765432";
    let bytes = value.as_bytes();
    if bytes.len() != 18 {
        return Err(Error::validation(
            field,
            format!(
                "must be an 18-character resident ID (got {} characters)",
                value.chars().count()
            ),
        ));
    }
    let mut sum = 0u32;
    for (i, b) in bytes[..17].iter().enumerate() {
        if !b.is_ascii_digit() {
            return Err(Error::validation(
                field,
                "the first 17 characters must be digits",
            ));
        }
        sum += u32::from(b - b'0') * WEIGHTS[i];
    }
    let expected = CHECK[(sum % 11) as usize];
    if bytes[17] != expected {
        return Err(Error::validation(
            field,
            format!("check character must be {} (GB 11643)", expected as char),
        ));
    }
    Ok(())
}

/// An optional field: checked only when present.
pub fn optional<T: ?Sized>(value: Option<&T>, check: impl FnOnce(&T) -> Result<()>) -> Result<()> {
    match value {
        Some(v) => check(v),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::money::Currency;

    #[test]
    fn resident_ids() {
        assert!(resident_id("user_creid", "11010519491231002X").is_ok());
        assert!(resident_id("user_creid", "110105194912310021").is_err());
        assert!(resident_id("user_creid", "11010519491231002x").is_err());
        assert!(resident_id("user_creid", "1101051949123100").is_err());
        assert!(resident_id("user_creid", "A1010519491231002X").is_err());
    }

    #[test]
    fn lengths_and_amounts() {
        assert!(length("goods_name", &"a".repeat(64), 0, 64).is_ok());
        assert!(length("goods_name", &"a".repeat(65), 0, 64).is_err());
        assert!(length("goods_name", &"咖".repeat(64), 0, 64).is_ok());
        assert!(amount("txamt", &Money::new(1, Currency::HKD)).is_ok());
        assert!(amount("txamt", &Money::new(0, Currency::HKD)).is_err());
        assert!(amount("txamt", &Money::new(MAX_AMOUNT + 1, Currency::HKD)).is_err());
        assert!(datetime("txdtm", "2024-02-29 23:59:59").is_ok());
        assert!(datetime("txdtm", "2023-02-29 23:59:59").is_err());
        assert!(datetime("txdtm", "2023-02-01T23:59:59").is_err());
        assert!(http_url("notify_url", "https://shop.example/qf", 256).is_ok());
        assert!(http_url("notify_url", "ftp://shop.example/qf", 256).is_err());
        assert!(order_number("out_trade_no", "A B").is_err());
    }
}
