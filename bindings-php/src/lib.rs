//! `qfpay.so`: the PHP extension over the qfpay core (namespace `QfPay`).
//!
//! Every QFPay rule (validation, signing, retries, reconciliation) lives in the core; this crate
//! only converts PHP values to core requests and core results and errors back to PHP objects.
//! Built with `--features php` (needs `php-config`); without it the crate is empty so that the
//! Rust workspace builds on machines without PHP.

#[cfg(feature = "php")]
mod ext;
