//! Cancellation of a call by an `AbortSignal`: the JavaScript wrapper asks for a token before
//! the call and cancels it when the signal aborts; the call's core future is then dropped
//! (the core reports a money-moving call cancelled after sending as a `cancelled` event naming
//! its `out_trade_no`).

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use napi_derive::napi;
use tokio::sync::Notify;

static NEXT: AtomicU32 = AtomicU32::new(1);
static TOKENS: LazyLock<Mutex<HashMap<u32, Arc<Notify>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn tokens() -> std::sync::MutexGuard<'static, HashMap<u32, Arc<Notify>>> {
    TOKENS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A new cancellation token for one call.
#[napi]
pub fn cancel_token() -> u32 {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    tokens().insert(id, Arc::new(Notify::new()));
    id
}

/// Cancels the call holding token `id` (a no-op once the call has ended).
#[napi]
pub fn cancel_call(id: u32) {
    if let Some(n) = tokens().get(&id) {
        // `notify_one` keeps a permit, so a call that has not started waiting yet still sees it.
        n.notify_one();
    }
}

/// Forgets token `id` (the wrapper calls it when the native call could not start).
#[napi]
pub fn release_token(id: u32) {
    tokens().remove(&id);
}

/// Removes the token when the call ends, however it ends.
struct Release(u32);

impl Drop for Release {
    fn drop(&mut self) {
        release_token(self.0);
    }
}

/// Runs `fut`, or drops it when token `id` is cancelled (then the result is `None`).
pub async fn cancellable<T>(id: Option<u32>, fut: impl Future<Output = T>) -> Option<T> {
    let Some(id) = id else {
        return Some(fut.await);
    };
    let _release = Release(id);
    let Some(notify) = tokens().get(&id).cloned() else {
        return Some(fut.await);
    };
    tokio::select! {
        r = fut => Some(r),
        () = notify.notified() => None,
    }
}
