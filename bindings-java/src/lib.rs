//! JVM binding of the qfpay core. uniffi (library mode) generates Kotlin from these exports;
//! the hand-written `com.qfpay` classes in `src/main/kotlin` wrap them for Java and Kotlin.
//! Everything here is conversion: every QFPay rule lives in the core.
// The FFI error is passed by value across the boundary (uniffi lifts it into a Kotlin exception),
// so boxing it to shrink `Result` would only add an allocation on the error path.
#![allow(clippy::result_large_err)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

uniffi::setup_scaffolding!();

pub mod client;
pub mod errors;
pub mod events;
pub mod functions;
mod jni_path;
pub mod sandbox;
mod value;

pub use client::{FfiClient, FfiQueryPages};
pub use errors::{FfiErrorInfo, QfPayFfiError};

/// The library's own allocations (the core's requests, responses, futures) go to mimalloc: with
/// glibc's malloc, 64 calls in flight from JVM threads and the I/O threads contended on its
/// arenas (BENCHMARKS.md: `...Async` 0.46x native Rust with glibc, 0.65x with mimalloc). Only
/// the JVM binding: mimalloc has no `fork()` handlers (a child forked while another thread holds
/// one of its locks could hang on its first allocation), and the Python and PHP bindings promise
/// forked workers (gunicorn, Celery, PHP-FPM); a JVM does not fork.
#[cfg(not(target_env = "musl"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
