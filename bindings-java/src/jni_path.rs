//! The JNI fast path (class `com.qfpay.Jni`): the hot entry points without JNA.
//!
//! Arguments and results cross as one `byte[]` each: the arguments and options by their Java
//! names and the results as the core's `Serialize` output, both in the generic form of
//! `value.rs` (`Wire` in Kotlin); errors and events in uniffi's serialized form (the generated
//! `FfiConverter…read` in Kotlin). A call costs one JNI crossing and one array copy each way:
//! no JNA `Structure`, no `Memory` registered in JNA's global map, no handle clone per method.
//!
//! An `...Async` call runs on the library's runtime (as before); its outcome is delivered by one
//! JNI call, `Jni.onComplete(done, outcome)`, from the runtime thread, which is attached to the
//! JVM once, as a daemon thread (so it never keeps the JVM from exiting).
// JNI is an FFI boundary: every function here is called by the JVM with raw handles.
#![allow(unsafe_code)]

use std::cell::Cell;
use std::ffi::c_void;
use std::sync::{Arc, OnceLock};

use jni::errors::ThrowRuntimeExAndDefault;
use jni::ids::JStaticMethodID;
use jni::objects::{JByteArray, JClass, JObject, JString};
use jni::refs::Global;
use jni::signature::{Primitive, ReturnType};
use jni::sys::{self, jint, jlong, jvalue};
use jni::{AttachGuard, Env, EnvUnowned, jni_sig, jni_str};
use uniffi::Lower;

use crate::UniFfiTag;
use crate::client::{Completion, FfiClient, FfiTask, outcome};
use crate::errors::{FfiErrorInfo, FfiResult, QfPayFfiError};
use crate::events::{FfiEvent, FfiEventSink};

/// What the runtime threads need to call back into the JVM.
struct Callback {
    vm: usize,
    class: Global<JClass<'static>>,
    on_complete: JStaticMethodID,
    on_event: JStaticMethodID,
}

static CALLBACK: OnceLock<Callback> = OnceLock::new();

thread_local! {
    /// Whether this (runtime) thread was attached to the JVM by [`jvm_env`].
    static ATTACHED: Cell<bool> = const { Cell::new(false) };
}

/// The JNI environment of the current thread, attaching it to the JVM as a daemon thread the
/// first time (it then stays attached: no attach/detach per completion).
fn jvm_env(vm: *mut sys::JavaVM) -> Option<*mut sys::JNIEnv> {
    let mut env: *mut c_void = std::ptr::null_mut();
    // SAFETY: `vm` is the JavaVM pointer the JVM gave `Jni.setup`; it stays valid for the life of
    // the process (a JVM is never unloaded).
    unsafe {
        let rc = ((*(*vm)).v1_2.GetEnv)(vm, &mut env, sys::JNI_VERSION_1_8);
        if rc == sys::JNI_OK {
            return Some(env.cast());
        }
        if rc != sys::JNI_EDETACHED {
            return None;
        }
        let mut args = sys::JavaVMAttachArgs {
            version: sys::JNI_VERSION_1_8,
            name: c"qfpay-io".as_ptr().cast_mut(),
            group: std::ptr::null_mut(),
        };
        let rc = ((*(*vm)).v1_4.AttachCurrentThreadAsDaemon)(vm, &mut env, (&raw mut args).cast());
        if rc != sys::JNI_OK {
            return None;
        }
    }
    ATTACHED.set(true);
    Some(env.cast())
}

/// Detaches a runtime thread that [`jvm_env`] attached (the runtime's `on_thread_stop`).
pub(crate) fn detach_current_thread() {
    if !ATTACHED.get() {
        return;
    }
    if let Some(cb) = CALLBACK.get() {
        let vm = cb.vm as *mut sys::JavaVM;
        // SAFETY: this thread was attached by `jvm_env` and holds no JNI frame at this point.
        unsafe {
            ((*(*vm)).v1_1.DetachCurrentThread)(vm);
        }
    }
    ATTACHED.set(false);
}

/// Delivers an `...Async` outcome to the JVM: `Jni.onComplete(done, outcome)`.
struct JvmCompletion {
    done: Global<JObject<'static>>,
}

impl Completion for JvmCompletion {
    fn complete(&self, outcome: Vec<u8>) {
        deliver(&self.done, |cb| cb.on_complete, &outcome);
    }
}

/// The client's event sink on the JVM side (`EventForwarder`), called through `Jni.onEvent`.
struct JvmEventSink {
    sink: Global<JObject<'static>>,
}

impl FfiEventSink for JvmEventSink {
    fn on_event(&self, event: FfiEvent) {
        deliver(&self.sink, |cb| cb.on_event, &encode(event));
    }
}

/// Calls the static `Jni.<method>(target, bytes)` from any thread (a runtime thread is attached
/// once, as a daemon; a JVM thread in a blocking call already is). Never leaves an exception
/// pending: both Kotlin methods catch everything.
fn deliver(
    target: &Global<JObject<'static>>,
    method: fn(&Callback) -> JStaticMethodID,
    bytes: &[u8],
) {
    // A call made from the JVM always has the callback: `Jni.setup` ran first.
    let Some(cb) = CALLBACK.get() else { return };
    let Some(raw) = jvm_env(cb.vm as *mut sys::JavaVM) else {
        return;
    };
    // SAFETY: `raw` is the current thread's attached environment; the guard lives on this
    // stack frame only.
    let mut guard = unsafe { AttachGuard::from_unowned(raw) };
    let env = guard.borrow_env_mut();
    let delivered = env.with_local_frame(4, |env| -> jni::errors::Result<()> {
        let array = env.byte_array_from_slice(bytes)?;
        let args = [jvalue { l: target.as_raw() }, jvalue { l: array.as_raw() }];
        // SAFETY: `method(cb)` is `Jni.onComplete` or `Jni.onEvent`, both `(Object, byte[]): void` of `class`.
        unsafe {
            env.call_static_method_unchecked(
                &cb.class,
                method(cb),
                ReturnType::Primitive(Primitive::Void),
                &args,
            )?;
        }
        Ok(())
    });
    if delivered.is_err() {
        // `onComplete`/`onEvent` catch everything; whatever escaped must not stay pending
        // on a runtime thread, nor reach the blocking call that emitted an event.
        env.exception_clear();
    }
}

/// uniffi's serialized form of a value (what the generated Kotlin `read`s).
fn encode<T: Lower<UniFfiTag>>(v: T) -> Vec<u8> {
    let mut buf = Vec::with_capacity(256);
    T::write(v, &mut buf);
    buf
}

/// The client behind a handle from `FfiClient.uniffiCloneHandle()`.
///
/// # Safety
/// `handle` must be a live clone (an `Arc<FfiClient>` strong count) owned by the Kotlin
/// `QfPayClient`, which releases it with `clientRelease` only after its last call returned.
unsafe fn client<'a>(handle: jlong) -> &'a FfiClient {
    // SAFETY: per this function's contract.
    unsafe { &*(handle as usize as *const FfiClient) }
}

// ---------------------------------------------------------------------------------------------
// Native methods of `com.qfpay.Jni`.

/// `Jni.setup()`: remembers the JVM and `Jni.onComplete` for the runtime threads.
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_setup<'l>(
    mut unowned: EnvUnowned<'l>,
    class: JClass<'l>,
) {
    unowned
        .with_env(|env| -> jni::errors::Result<()> {
            if CALLBACK.get().is_some() {
                return Ok(());
            }
            let on_complete = env.get_static_method_id(
                &class,
                jni_str!("onComplete"),
                jni_sig!("(Ljava/lang/Object;[B)V"),
            )?;
            let on_event = env.get_static_method_id(
                &class,
                jni_str!("onEvent"),
                jni_sig!("(Ljava/lang/Object;[B)V"),
            )?;
            let vm = env.get_java_vm()?.get_raw() as usize;
            let class = env.new_global_ref(&class)?;
            let _ = CALLBACK.set(Callback {
                vm,
                class,
                on_complete,
                on_event,
            });
            Ok(())
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

fn new_string<'l>(env: &mut Env<'l>, s: &str) -> jni::errors::Result<JString<'l>> {
    JString::new(env, s)
}

/// `Jni.coreVersion(): String`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_coreVersion<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
) -> JString<'l> {
    unowned
        .with_env(|env| new_string(env, qfpay::VERSION))
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Jni.generateOutTradeNo(): String`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_generateOutTradeNo<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
) -> JString<'l> {
    unowned
        .with_env(|env| new_string(env, &qfpay::generate_out_trade_no()))
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Jni.logLevel(which): String?`: the level `QFPAY_LOG` gives one of the SDK's targets
/// (0 `qfpay::http`, 1 `qfpay::reconcile`, 2 `qfpay::config`) by the core's one rule
/// (`qfpay::log_filter`), or null when that target is off (the variable unset, empty, `off`,
/// or unusable: an unusable value never fails anything, see `logWarning`).
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_logLevel<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    which: jint,
) -> JString<'l> {
    unowned
        .with_env(|env| -> jni::errors::Result<JString<'l>> {
            let target = usize::try_from(which)
                .ok()
                .and_then(|i| qfpay::log_filter::SDK_TARGETS.get(i));
            let level = qfpay::log_filter::env_log()
                .filter
                .as_ref()
                .zip(target)
                .and_then(|(f, t)| f.level_for(t));
            match level {
                Some(l) => new_string(env, l.as_str()),
                None => Ok(JString::default()),
            }
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Jni.logWarning(): String?`: the warning about an unusable `QFPAY_LOG` value (it never
/// quotes the value), the first time it is asked for in the process; null otherwise.
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_logWarning<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
) -> JString<'l> {
    unowned
        .with_env(|env| -> jni::errors::Result<JString<'l>> {
            match qfpay::log_filter::env_log().take_warning() {
                Some(w) => new_string(env, w),
                None => Ok(JString::default()),
            }
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// A signing buffer from Kotlin: `key NUL (name NUL value NUL)*`, UTF-8 (Kotlin takes the JNA
/// path for any string holding a NUL).
fn key_and_pairs(buf: &[u8]) -> Option<(&str, Vec<(&str, &str)>)> {
    let text = std::str::from_utf8(buf).ok()?;
    let text = text.strip_suffix('\0')?;
    let mut parts = text.split('\0');
    let key = parts.next()?;
    let mut pairs = Vec::with_capacity(16);
    while let Some(k) = parts.next() {
        pairs.push((k, parts.next()?));
    }
    Some((key, pairs))
}

fn sign_type(code: jint) -> qfpay::SignType {
    if code == 1 {
        qfpay::SignType::Sha256
    } else {
        qfpay::SignType::Md5
    }
}

/// `Jni.sign(buffer, signType): String?` (null: a malformed buffer, never from the facade).
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_sign<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    buffer: JByteArray<'l>,
    st: jint,
) -> JString<'l> {
    unowned
        .with_env(|env| -> jni::errors::Result<JString<'l>> {
            let bytes = env.convert_byte_array(&buffer)?;
            match key_and_pairs(&bytes) {
                Some((key, pairs)) => {
                    new_string(env, &qfpay::sign::sign(&pairs, key, sign_type(st)))
                }
                None => Ok(JString::default()),
            }
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Jni.stringToSign(buffer): String?` (the buffer's key part is ignored).
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_stringToSign<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    buffer: JByteArray<'l>,
) -> JString<'l> {
    unowned
        .with_env(|env| -> jni::errors::Result<JString<'l>> {
            let bytes = env.convert_byte_array(&buffer)?;
            match key_and_pairs(&bytes) {
                Some((_, pairs)) => new_string(env, &qfpay::sign::string_to_sign(&pairs)),
                None => Ok(JString::default()),
            }
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

fn utf8(bytes: Vec<u8>, what: &str) -> FfiResult<String> {
    String::from_utf8(bytes)
        .map_err(|_| QfPayFfiError::simple("config", format!("{what} is not UTF-8")))
}

/// `Jni.verifyNotification(body, signature, key): byte[]` (see [`notification_bytes`]).
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_verifyNotification<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    body: JByteArray<'l>,
    signature: JByteArray<'l>,
    key: JByteArray<'l>,
) -> JByteArray<'l> {
    unowned
        .with_env(|env| -> jni::errors::Result<JByteArray<'l>> {
            let body = env.convert_byte_array(&body)?;
            let signature = env.convert_byte_array(&signature)?;
            let key = env.convert_byte_array(&key)?;
            let r = utf8(signature, "signature").and_then(|s| {
                let k = String::from_utf8(key).map_err(|_| {
                    QfPayFfiError::from(qfpay::Error::config_option("client_key", "is not UTF-8"))
                })?;
                Ok(qfpay::notify::verify(&body, &s, &k)?)
            });
            env.byte_array_from_slice(&notification_bytes(r))
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Jni.parseNotification(body): byte[]`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_parseNotification<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    body: JByteArray<'l>,
) -> JByteArray<'l> {
    unowned
        .with_env(|env| -> jni::errors::Result<JByteArray<'l>> {
            let body = env.convert_byte_array(&body)?;
            let r = qfpay::Notification::parse(&body).map_err(QfPayFfiError::from);
            env.byte_array_from_slice(&notification_bytes(r))
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// A notification result as an outcome (`client::outcome`): the notification as a generic value.
fn notification_bytes(r: FfiResult<qfpay::Notification>) -> Vec<u8> {
    outcome(r.map(|n| crate::value::encode("Notification", &n)))
}

/// A result as one buffer: 0 and the value (written by `write`), or 1 and the `FfiErrorInfo`.
fn tagged<T>(r: FfiResult<T>, capacity: usize, write: impl FnOnce(T, &mut Vec<u8>)) -> Vec<u8> {
    let mut buf = Vec::with_capacity(capacity);
    match r {
        Ok(v) => {
            buf.push(0);
            write(v, &mut buf);
        }
        Err(QfPayFfiError::Failure { info }) => {
            buf.push(1);
            <FfiErrorInfo as Lower<UniFfiTag>>::write(info, &mut buf);
        }
    }
    buf
}

/// `Jni.clientString(handle, which): String?`: 0 base URL, 1 app code, 2 user agent, 3 mchid.
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_clientString<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    which: jint,
) -> JString<'l> {
    unowned
        .with_env(|env| -> jni::errors::Result<JString<'l>> {
            // SAFETY: the facade passes its live handle (see `client`).
            let c = unsafe { client(handle) };
            let config = c.config();
            let v = match which {
                0 => Some(config.base_url.as_str()),
                1 => Some(config.app_code.as_str()),
                2 => Some(config.user_agent.as_str()),
                _ => config.mchid.as_deref(),
            };
            match v {
                Some(s) => new_string(env, s),
                None => Ok(JString::default()),
            }
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Jni.clientNew(config, sink): byte[]`: builds a client without JNA (uniffi's generated
/// constructor would load JNA and register every export first: ~0.3 s of a JVM's first client).
/// `config` is the options buffer of `FfiClient::new`; `sink` the `EventForwarder`, or null when no
/// level is enabled. Answers 0, the handle (8 bytes, big-endian: an `Arc<FfiClient>` strong
/// count owned by the facade, given back with `clientRelease`) and the configuration warnings
/// (`List<String>`), or 1 and the `FfiErrorInfo`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_clientNew<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    config: JByteArray<'l>,
    sink: JObject<'l>,
) -> JByteArray<'l> {
    unowned
        .with_env(|env| -> jni::errors::Result<JByteArray<'l>> {
            let config = env.convert_byte_array(&config)?;
            let sink: Option<Box<dyn FfiEventSink>> = if sink.is_null() {
                None
            } else {
                Some(Box::new(JvmEventSink {
                    sink: env.new_global_ref(&sink)?,
                }))
            };
            let built = FfiClient::new(&mut config.as_slice(), sink);
            let buf = tagged(built, 64, |client, buf| {
                let warnings = client.config().warnings.clone();
                buf.extend_from_slice(&(Arc::into_raw(client) as usize as u64).to_be_bytes());
                <Vec<String> as Lower<UniFfiTag>>::write(warnings, buf);
            });
            env.byte_array_from_slice(&buf)
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Jni.clientClone(handle): long`: one more strong count of a live client (for the uniffi
/// object that the query-pages iterator still takes through JNA).
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_clientClone<'l>(
    _unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
) -> jlong {
    if handle != 0 {
        // SAFETY: `handle` is a live `Arc<FfiClient>` of the facade (see `client`).
        unsafe { Arc::increment_strong_count(handle as usize as *const FfiClient) };
    }
    handle
}

/// `Jni.clientRelease(handle)`: gives back the facade's clone of the client.
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_clientRelease<'l>(
    _unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
) {
    if handle != 0 {
        // SAFETY: `handle` is the facade's `Arc<FfiClient>` clone, released once.
        drop(unsafe { Arc::from_raw(handle as usize as *const FfiClient) });
    }
}

/// `Jni.call(handle, op, request): byte[]`: a blocking operation, one crossing; the request
/// and its outcome (`client::outcome`) as buffers (see `FfiClient::call_blocking`).
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_call<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    op: jint,
    request: JByteArray<'l>,
) -> JByteArray<'l> {
    unowned
        .with_env(|env| -> jni::errors::Result<JByteArray<'l>> {
            let request = env.convert_byte_array(&request)?;
            // SAFETY: the facade passes its live handle (see `client`).
            let c = unsafe { client(handle) };
            env.byte_array_from_slice(&c.call_blocking(op, &mut request.as_slice()))
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Jni.callAsync(handle, op, request, done): long`: starts an `...Async` operation; `done`
/// receives `Jni.onComplete(done, outcome)`. Returns the task handle (for `taskCancel` /
/// `taskRelease`, exactly one of them, once).
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_callAsync<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    op: jint,
    request: JByteArray<'l>,
    done: JObject<'l>,
) -> jlong {
    unowned
        .with_env(|env| -> jni::errors::Result<jlong> {
            let request = env.convert_byte_array(&request)?;
            let done = Box::new(JvmCompletion {
                done: env.new_global_ref(&done)?,
            });
            // SAFETY: the facade passes its live handle (see `client`).
            let c = unsafe { client(handle) };
            let task = c.call_async(op, &mut request.as_slice(), done);
            Ok(Arc::into_raw(task) as usize as jlong)
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Jni.taskCancel(task)`: drops the call's future (the core then reports a money-moving call
/// already sent as cancelled) and releases the task handle.
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_taskCancel<'l>(
    _unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    task: jlong,
) {
    if task != 0 {
        // SAFETY: a handle from `callAsync`, consumed once (the facade's AtomicLong guarantees it).
        let task = unsafe { Arc::from_raw(task as usize as *const FfiTask) };
        task.cancel();
    }
}

/// `Jni.taskRelease(task)`: releases the task handle of a completed call.
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_taskRelease<'l>(
    _unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    task: jlong,
) {
    if task != 0 {
        // SAFETY: a handle from `callAsync`, consumed once.
        drop(unsafe { Arc::from_raw(task as usize as *const FfiTask) });
    }
}

#[cfg(test)]
mod tests {
    use super::key_and_pairs;

    #[test]
    fn buffers_split_into_key_and_pairs() {
        let (k, p) = key_and_pairs(b"key\0a\0\0b\x001\0").unwrap();
        assert_eq!(k, "key");
        assert_eq!(p, vec![("a", ""), ("b", "1")]);
        assert_eq!(key_and_pairs(b"\0").unwrap(), ("", vec![]));
        assert!(key_and_pairs(b"key\0a\0").is_none());
        assert!(key_and_pairs(b"").is_none());
    }
}
