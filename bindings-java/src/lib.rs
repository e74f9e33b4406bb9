//! JVM binding of the qfpay core. uniffi (library mode) generates Kotlin from these exports;
//! the hand-written `com.qfpay` classes in `src/main/kotlin` wrap them for Java and Kotlin.
//! Everything here is conversion: every QFPay rule lives in the core.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

uniffi::setup_scaffolding!();

pub mod client;
pub mod errors;
pub mod functions;
mod jni_path;
pub mod sandbox;
mod value;

pub use client::{FfiClient, FfiPages};
pub use errors::QfPayFfiError;

/// The library's allocations go to mimalloc: glibc's arenas were contended by 64 calls in flight
/// (BENCHMARKS.md: `...Async` 0.46x native Rust with glibc, 0.65x with mimalloc). Only here:
/// mimalloc has no `fork()` handlers, and a JVM, unlike Python's and PHP's workers, does not fork.
#[cfg(not(target_env = "musl"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
