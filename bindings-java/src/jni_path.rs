//! The JNI fast path (class `com.qfpay.Jni`): the hot entry points without JNA. Arguments,
//! results, errors and events cross as one `byte[]` each, in the generic form of `value.rs`
//! (`Wire` in Kotlin): one JNI crossing and one array copy each way, no JNA `Structure`, no
//! `Memory` registered in JNA's global map, no handle clone per method.
//!
//! An `...Async` call runs on the library's runtime; its outcome is delivered by one JNI call,
//! `Jni.deliver(done, outcome)`, from the runtime thread, which is attached to the
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
use qfpay::events::{Event, Level, Observer};

use crate::client::{Completion, FfiClient, FfiTask, outcome};
use crate::errors::QfPayFfiError;

/// What the runtime threads need to call back into the JVM: the JVM, `Jni`, `Jni.deliver`.
struct Callback {
    vm: usize,
    class: Global<JClass<'static>>,
    deliver: JStaticMethodID,
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

/// A JVM object the library hands bytes to with `Jni.deliver(target, bytes)`: an `...Async`
/// call's `Completion` (its outcome) or a client's `EventForwarder` (its events).
pub(crate) struct JvmTarget(pub(crate) Global<JObject<'static>>);

impl Completion for JvmTarget {
    fn complete(&self, outcome: Vec<u8>) {
        self.deliver(&outcome);
    }
}

impl JvmTarget {
    /// Calls `Jni.deliver(target, bytes)` from any thread (a runtime thread is attached once,
    /// as a daemon; a JVM thread in a blocking call already is). Never leaves an exception
    /// pending: the Kotlin method catches everything.
    fn deliver(&self, bytes: &[u8]) {
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
            let args = [jvalue { l: self.0.as_raw() }, jvalue { l: array.as_raw() }];
            let void = ReturnType::Primitive(Primitive::Void);
            // SAFETY: `cb.deliver` is `Jni.deliver(Object, byte[]): void` of `cb.class`.
            unsafe { env.call_static_method_unchecked(&cb.class, cb.deliver, void, &args)? };
            Ok(())
        });
        if delivered.is_err() {
            // Whatever escaped must not stay pending on a runtime thread, nor reach the
            // blocking call that emitted an event.
            env.exception_clear();
        }
    }
}

/// The observer installed in the core: its level is fixed when the client is built (so
/// `enabled` is a comparison in Rust, never a call into the JVM); each event goes to the JVM's
/// `EventForwarder` (SLF4J and the listener) as the core's `Serialize` form plus its logger
/// `area` (`http`, `reconcile`).
pub(crate) struct JvmObserver {
    pub(crate) min: Level,
    pub(crate) sink: JvmTarget,
}

impl Observer for JvmObserver {
    fn enabled(&self, level: Level) -> bool {
        level >= self.min
    }

    fn on_event(&self, event: &Event) {
        let mut v = serde_json::to_value(event).unwrap_or_default();
        if let Some(m) = v.as_object_mut() {
            let area = event.kind.target().trim_start_matches("qfpay::");
            m.insert("area".into(), area.into());
        }
        let mut bytes = Vec::with_capacity(256);
        crate::value::write(&v, &mut bytes);
        self.sink.deliver(&bytes);
    }
}

/// The client behind a handle from `FfiClient.uniffiCloneHandle()`.
///
/// # Safety
/// `handle` must be a live clone (an `Arc<FfiClient>` strong count) owned by the Kotlin
/// `QfPayClient`, which releases it with `clientRef` only after its last call returned.
unsafe fn client<'a>(handle: jlong) -> &'a FfiClient {
    // SAFETY: per this function's contract.
    unsafe { &*(handle as usize as *const FfiClient) }
}

// ---------------------------------------------------------------------------------------------
// Native methods of `com.qfpay.Jni`.

/// `Jni.setup()`: remembers the JVM and `Jni.deliver` for the runtime threads.
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
            let deliver = env.get_static_method_id(
                &class,
                jni_str!("deliver"),
                jni_sig!("(Ljava/lang/Object;[B)V"),
            )?;
            let vm = env.get_java_vm()?.get_raw() as usize;
            let class = env.new_global_ref(&class)?;
            let _ = CALLBACK.set(Callback { vm, class, deliver });
            Ok(())
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

fn new_string<'l>(env: &mut Env<'l>, s: Option<&str>) -> jni::errors::Result<JString<'l>> {
    s.map_or(Ok(JString::default()), |s| JString::new(env, s))
}

/// `Jni.text(handle, which): String?`: of the client `handle`, 0 its base URL, 1 app code, 2
/// user agent, 3 mchid; then 4 the core's version, 5 a fresh `out_trade_no`, 6 the warning
/// about an unusable `QFPAY_LOG` (once per process; it never quotes the value), 7 and 8 the
/// sandbox's default app code and client key, and 9 + i the level `QFPAY_LOG` gives the SDK's
/// target i (`qfpay::http`, `qfpay::reconcile`, `qfpay::config`) by the core's rule, null: off.
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_text<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    which: jint,
) -> JString<'l> {
    unowned
        .with_env(|env| -> jni::errors::Result<JString<'l>> {
            let owned: String;
            let v = match which {
                0..=3 => {
                    // SAFETY: the facade passes its live handle (see `client`).
                    let config = unsafe { client(handle) }.config();
                    match which {
                        0 => Some(config.base_url.as_str()),
                        1 => Some(config.app_code.as_str()),
                        2 => Some(config.user_agent.as_str()),
                        _ => config.mchid.as_deref(),
                    }
                }
                4 => Some(qfpay::VERSION),
                5 => {
                    owned = qfpay::generate_out_trade_no();
                    Some(owned.as_str())
                }
                6 => qfpay::log_filter::env_log().take_warning(),
                7 => Some(qfpay_sandbox::DEFAULT_APP_CODE),
                8 => Some(qfpay_sandbox::DEFAULT_CLIENT_KEY),
                _ => {
                    let target = usize::try_from(which - 9)
                        .ok()
                        .and_then(|i| qfpay::log_filter::SDK_TARGETS.get(i));
                    let log = qfpay::log_filter::env_log();
                    let level = log
                        .filter
                        .as_ref()
                        .zip(target)
                        .and_then(|(f, t)| f.level_for(t));
                    level.map(|l| l.as_str())
                }
            };
            new_string(env, v)
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

/// `Jni.sign(buffer, signType): String?`: the signature of the buffer's pairs under its key with
/// `signType` (0 MD5, 1 SHA-256), or with -1 the string that is signed (the key ignored); null
/// for a malformed buffer (never from the facade).
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
            let signed = key_and_pairs(&bytes).map(|(key, pairs)| match st {
                -1 => qfpay::sign::string_to_sign(&pairs),
                1 => qfpay::sign::sign(&pairs, key, qfpay::SignType::Sha256),
                _ => qfpay::sign::sign(&pairs, key, qfpay::SignType::Md5),
            });
            new_string(env, signed.as_deref())
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Jni.notification(body, signature, key): byte[]`: the notification verified against
/// `signature` under `key` (UTF-8), or with a null `signature` only parsed; an outcome
/// (`client::outcome`) holding the notification as a generic value.
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_notification<'l>(
    mut unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    body: JByteArray<'l>,
    signature: JByteArray<'l>,
    key: JByteArray<'l>,
) -> JByteArray<'l> {
    unowned
        .with_env(|env| -> jni::errors::Result<JByteArray<'l>> {
            let body = env.convert_byte_array(&body)?;
            let r = if signature.is_null() {
                qfpay::Notification::parse(&body)
            } else {
                // Strict UTF-8 from the facade (`Jni.utf8`).
                let signature = env.convert_byte_array(&signature)?;
                let key = env.convert_byte_array(&key)?;
                let text = |b| String::from_utf8_lossy(b).into_owned();
                qfpay::notify::verify(&body, &text(&signature), &text(&key))
            };
            let r = r.map_err(QfPayFfiError::from);
            let out = outcome(r.map(|n| crate::value::encode("Notification", &n)));
            env.byte_array_from_slice(&out)
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Jni.clientNew(config, sink): byte[]`: builds a client without JNA (uniffi's generated
/// constructor would load JNA and register every export first: ~0.3 s of a JVM's first client).
/// `config` is the options buffer of `FfiClient::new`; `sink` the `EventForwarder`, or null when no
/// level is enabled. Answers an outcome (`client::outcome`) holding a list: the handle (an
/// `Arc<FfiClient>` strong count owned by the facade, given back with `clientRef`) and the
/// configuration warnings (a list of text).
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
            let sink = if sink.is_null() {
                None
            } else {
                Some(JvmTarget(env.new_global_ref(&sink)?))
            };
            let built = FfiClient::new(&mut config.as_slice(), sink).map(|client| {
                let warnings = serde_json::json!(client.config().warnings);
                let handle = Arc::into_raw(client) as usize as i64;
                let mut buf = Vec::with_capacity(64);
                crate::value::write(&serde_json::json!([handle, warnings]), &mut buf);
                buf
            });
            env.byte_array_from_slice(&outcome(built))
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Jni.clientRef(handle, add)`: one more strong count of a live client (for the uniffi object
/// that the query-pages iterator still takes through JNA), or without `add` gives back the
/// facade's own count.
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_clientRef<'l>(
    _unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    add: jni::sys::jboolean,
) -> jlong {
    let client = handle as usize as *const FfiClient;
    if handle == 0 {
    } else if add {
        // SAFETY: `handle` is a live `Arc<FfiClient>` of the facade (see `client`).
        unsafe { Arc::increment_strong_count(client) };
    } else {
        // SAFETY: `handle` is the facade's `Arc<FfiClient>` clone, released once.
        drop(unsafe { Arc::from_raw(client) });
    }
    handle
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
/// receives `Jni.deliver(done, outcome)`. Returns the task handle (for `taskFinish`, once).
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
            let done = Box::new(JvmTarget(env.new_global_ref(&done)?));
            // SAFETY: the facade passes its live handle (see `client`).
            let c = unsafe { client(handle) };
            let task = c.call_async(op, &mut request.as_slice(), done);
            Ok(Arc::into_raw(task) as usize as jlong)
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Jni.taskFinish(task, cancel)`: releases the task handle of a call, first dropping the call's
/// future when `cancel` (the core then reports a money-moving call already sent as cancelled).
#[unsafe(no_mangle)]
pub extern "system" fn Java_com_qfpay_Jni_taskFinish<'l>(
    _unowned: EnvUnowned<'l>,
    _class: JClass<'l>,
    task: jlong,
    cancel: jni::sys::jboolean,
) {
    if task != 0 {
        // SAFETY: a handle from `callAsync`, consumed once (the facade's AtomicLong guarantees it).
        let task = unsafe { Arc::from_raw(task as usize as *const FfiTask) };
        if let (true, Some(a)) = (cancel, task.as_ref()) {
            a.abort();
        }
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
