//! Merchant order numbers (`generate_out_trade_no`) and the compact time format they and
//! `txdtm` use.

use super::*;

/// Appends `t` as `YYYY{d}MM{d}DD{s}hh{c}mm{c}ss` (chrono's `format` would parse its pattern
/// again on every call, a measurable part of a payment's CPU time).
pub(super) fn push_datetime(out: &mut String, t: &NaiveDateTime, d: &str, s: &str, c: &str) {
    // Digits written directly: `write!` with padded integers cost ~1,900 instructions a call
    // (two calls per payment), this ~100.
    pub(super) fn digits(out: &mut String, v: u32, width: u32) {
        for i in (0..width).rev() {
            let digit = (v / 10u32.pow(i)) % 10;
            out.push(char::from(b'0' + digit as u8));
        }
    }
    match u32::try_from(t.year()) {
        Ok(y) if y <= 9999 => digits(out, y, 4),
        _ => {
            // Outside 0..=9999 (never a current date): as `{:04}` writes it, sign and all digits.
            use std::fmt::Write;
            let _ = write!(out, "{:04}", t.year());
        }
    }
    out.push_str(d);
    digits(out, t.month(), 2);
    out.push_str(d);
    digits(out, t.day(), 2);
    out.push_str(s);
    digits(out, t.hour(), 2);
    out.push_str(c);
    digits(out, t.minute(), 2);
    out.push_str(c);
    digits(out, t.second(), 2);
}

/// A fresh merchant order number: `qf`, the UTC time to the second, and 18 random letters and
/// digits (34 URL-safe characters). The random part comes from the operating system
/// (`getrandom`), never from a user-space generator whose state a `fork()` would copy, so
/// parent and children never draw the same numbers.
pub fn generate_out_trade_no() -> String {
    const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let t = Utc::now().naive_utc();
    let mut out = String::with_capacity(34);
    out.push_str("qf");
    push_datetime(&mut out, &t, "", "", "");
    let mut buf = [0u8; 32];
    while out.len() < 34 {
        if rand::rngs::OsRng.try_fill_bytes(&mut buf).is_err() {
            // No OS random source (never seen on supported systems): mix the process id into
            // the thread generator so forked processes still diverge.
            use rand::Rng;
            let mut rng = rand::rng();
            let pid = std::process::id().to_le_bytes();
            rng.fill(&mut buf);
            for (b, p) in buf.iter_mut().zip(pid.iter().cycle()) {
                *b ^= *p;
            }
        }
        // 248 = 4 × 62: rejecting larger bytes keeps every character equally likely.
        for b in buf.iter().filter(|b| **b < 248) {
            if out.len() == 34 {
                break;
            }
            out.push(char::from(ALPHABET[usize::from(*b % 62)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_numbers_are_unique_and_url_safe() {
        let a = generate_out_trade_no();
        let b = generate_out_trade_no();
        assert_ne!(a, b);
        assert_eq!(a.len(), 34);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
    }

    #[test]
    fn datetimes_are_written_like_chrono_formats_them() {
        for t in [
            "2019-07-22T04:05:06",
            "2026-12-31T23:59:59",
            "0999-01-01T00:00:00",
        ] {
            let t: NaiveDateTime = t.parse().unwrap();
            let mut txdtm = String::new();
            push_datetime(&mut txdtm, &t, "-", " ", ":");
            assert_eq!(txdtm, t.format("%Y-%m-%d %H:%M:%S").to_string());
            let mut stamp = String::new();
            push_datetime(&mut stamp, &t, "", "", "");
            assert_eq!(stamp, t.format("%Y%m%d%H%M%S").to_string());
        }
    }
}
