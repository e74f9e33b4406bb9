'use strict'
// The public surface of the `qfpay` package. The native addon (built by `napi build`) does all
// protocol work; this file only adapts it: QfPayError subclasses, async iteration, and the
// raw-body check of verifyNotification.

const { types: utilTypes } = require('node:util')
const native = require('./native.js')
const { QfPayError, ValidationError, ERROR_CLASSES } = require('./error-classes.js')
const { Events } = require('./events.js')
const OPERATIONS = require('./operations.js')

const VERSION = require('../package.json').version

// Native errors arrive as `"[code] message" + "\u001e" + JSON` (see src/results.rs): napi cannot
// give an async rejection a custom code, so the error (code, message and fields) travels as JSON
// in the message and is parsed here, once, into the QfPayError classes generated from the core's
// error codes.
const SEPARATOR = '\u001e'

// The core's authentication hint names a Rust function; say what a JavaScript user calls instead.
// (Configuration errors need nothing here: src/results.rs names their option as JavaScript does.)
const RUST_NAMES = [
  [/the string to sign \(string_to_sign, with the key masked\)/g, 'debugStringToSign(params), the string to sign with the key masked,'],
  [/\b(?:qfpay::)?(?:sign::)?debug_string_to_sign\b/g, 'debugStringToSign()'],
  [/\b(?:qfpay::)?(?:sign::)?string_to_sign\b/g, 'stringToSign()']
]
function inJsTerms (message) {
  for (const [re, js] of RUST_NAMES) message = message.replace(re, js)
  return message
}

/**
 * The QfPayError for a native error, or the error itself when it did not come from the core
 * (a JavaScript TypeError, say).
 */
function fromNative (err) {
  if (!err || typeof err.message !== 'string' || err instanceof QfPayError) return err
  let code, message, details
  try {
    ({ code, message, ...details } = JSON.parse(err.message.slice(err.message.indexOf(SEPARATOR) + 1)))
  } catch (_) {}
  if (typeof code !== 'string' || !Object.prototype.hasOwnProperty.call(ERROR_CLASSES, code)) return err
  const e = new ERROR_CLASSES[code](inJsTerms(String(message)), code, details)
  // Keep the caller's frames (this function is called from the wrapper's catch).
  Error.captureStackTrace?.(e, fromNative)
  return e
}

/** Rethrows `err` as a QfPayError (for `.catch(rethrow)`). */
function rethrow (err) {
  const e = fromNative(err)
  if (e !== err) Error.captureStackTrace?.(e, rethrow)
  throw e
}

function call (fn) {
  try {
    return fn()
  } catch (e) {
    throw fromNative(e)
  }
}

function invalid (field, rule) {
  return new ValidationError(`invalid ${field}: ${rule}`, 'validation', { field, rule })
}

const LONE_SURROGATE =
  'must be valid Unicode text, but holds a lone surrogate (half of a UTF-16 pair) that would be sent as U+FFFD'

// The stand-in for a value that has no JSON form (qfpay::surface::apply::TYPE_MARKER, read by
// src/convert.rs): the native side reports it as a wrong type, a lone surrogate or a number JSON
// cannot hold (NaN, ±Infinity), naming the field as for any other value.
const TYPE_MARKER = '\u0000qfpay:type'
const BAD_TEXT = { [TYPE_MARKER]: '\u0000bad text' }

function isPlainObject (v) {
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

// What a wrong value is, for an error message: its type, never its content (a key passed in the
// wrong place must not be echoed).
function typeOf (v) {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  switch (typeof v) {
    case 'undefined': return 'undefined'
    case 'string': return 'a string'
    case 'number': return 'a number'
    case 'boolean': return 'a boolean'
    case 'bigint': return 'a BigInt'
    case 'symbol': return 'a Symbol'
    case 'function': return 'a function'
  }
  if (Buffer.isBuffer(v)) return 'a Buffer'
  if (isPlainObject(v)) return 'an object'
  let name
  try {
    name = v.constructor && v.constructor.name
  } catch (_) {}
  return typeof name === 'string' && /^[A-Za-z_$][\w$]*$/.test(name) ? `${/^[AEIO]/.test(name) ? 'an' : 'a'} ${name}` : 'an object'
}

// A value that is not a record of fields and that napi cannot turn into JSON as it is (a
// BigInt, Symbol or function), or would turn into something else (a Buffer, typed array, Date,
// Map, Set, RegExp, Promise, Error or boxed primitive). Other objects, class instances
// included, are records: their own enumerable properties are read, as before.
function opaque (v) {
  const t = typeof v
  if (t === 'bigint' || t === 'symbol' || t === 'function') return true
  if (t !== 'object' || v === null || Array.isArray(v) || isPlainObject(v)) return false
  const k = utilTypes
  return k.isAnyArrayBuffer(v) || k.isArrayBufferView(v) || k.isDate(v) || k.isMap(v) || k.isSet(v) ||
    k.isWeakMap(v) || k.isWeakSet(v) || k.isRegExp(v) || k.isPromise(v) || k.isNativeError(v) ||
    k.isBoxedPrimitive(v) || v instanceof Error
}

function stand (v) {
  return { [TYPE_MARKER]: typeOf(v) }
}

// A request, options object or argument made JSON-safe for the native side, which checks it:
// a value with no JSON form (a Buffer, Date, BigInt, Symbol, function...) becomes a stand-in
// (napi would throw a plain Error naming nothing, or turn a string with a lone surrogate into
// U+FFFD). Returns `value`, or a copy when something was replaced.
function prepare (value) {
  switch (typeof value) {
    case 'string': return value.isWellFormed() ? value : BAD_TEXT
    case 'number': return Number.isFinite(value) ? value : { [TYPE_MARKER]: String(value) }
    case 'object': break
    case 'bigint': case 'symbol': case 'function': return stand(value)
    default: return value
  }
  if (value === null) return value
  if (opaque(value)) return stand(value)
  let out = value
  const keys = Array.isArray(value) ? value.keys() : Object.keys(value)
  for (const key of keys) {
    const v = value[key]
    const w = prepare(v)
    if (w !== v) {
      if (out === value) out = Array.isArray(value) ? value.slice() : { ...value }
      out[key] = w
    }
  }
  return out
}

// The order number a money-moving request is about, generating one for a new payment so that
// an aborted call can still name it ("generate, store, then call" done for the caller).
function withOrderNumber (method, request) {
  if (request === null || typeof request !== 'object') return { request, outTradeNo: undefined }
  if ((method === 'createPayment' || method === 'wechatQr' || method === 'refund') && request.outTradeNo == null) {
    request = { ...request, outTradeNo: native.generateOutTradeNo() }
  }
  return { request, outTradeNo: typeof request.outTradeNo === 'string' ? request.outTradeNo : undefined }
}

function abortError (signal, outTradeNo) {
  const e = new DOMException('This operation was aborted', 'AbortError')
  if (signal.reason !== undefined) Object.defineProperty(e, 'cause', { value: signal.reason, configurable: true, writable: true })
  if (outTradeNo !== undefined) e.outTradeNo = outTradeNo
  return e
}

// The options that stay in JavaScript (`names`: `signal`, or `logger` and `logLevel`) taken
// out of `options`; the rest, made JSON-safe, goes to the core.
function split (options, ...names) {
  if (options === null || typeof options !== 'object' || opaque(options) || !names.some((n) => n in options)) {
    return { own: {}, rest: prepare(options) }
  }
  const own = {}
  const rest = { ...options }
  for (const n of names) {
    own[n] = options[n]
    delete rest[n]
  }
  return { own, rest: prepare(rest) }
}

// `options.signal` taken out of the call options.
function splitSignal (options) {
  const { own: { signal }, rest } = split(options, 'signal')
  if (signal !== undefined && signal !== null && !(signal instanceof AbortSignal)) {
    throw invalid('signal', `must be an AbortSignal, got ${typeOf(signal)}`)
  }
  return { signal: signal ?? undefined, rest }
}

// Defines method `name` of `cls` as a class body would (named, not enumerable).
function define (cls, name, fn) {
  Object.defineProperty(fn, 'name', { value: name })
  Object.defineProperty(cls.prototype, name, { value: fn, writable: true, configurable: true })
}

const KEEP_ALIVE_MS = 2 ** 30

// The completion callback of one client: settles the call's promise from its JSON result or
// native error. While calls are pending, a timer keeps Node alive (the callback is weak).
function completions (bridge) {
  return (id, ok, payload) => {
    const p = bridge.pending.get(id)
    if (p === undefined) return
    bridge.pending.delete(id)
    if (bridge.pending.size === 0 && bridge.keep !== null) {
      clearInterval(bridge.keep)
      bridge.keep = null
    }
    // Turned into a QfPayError by the caller's `.catch(rethrow)`, so that its stack shows the
    // awaiting caller (async stack traces follow the promise chain, not this callback).
    if (!ok) return p.reject(new Error(payload))
    try {
      p.resolve(JSON.parse(payload))
    } catch (e) {
      p.reject(e)
    }
  }
}

const FROM_NATIVE = Symbol('qfpay.fromNative')

// Bytes in a result: its JSON form carries them as base64 text (qfpay::model::describe::Base64);
// `paths` (lib/operations.js, from the result's types: `content`, `entries.*.data`) say where,
// and each becomes a Buffer.
function withBytes (value, paths) {
  for (const path of paths) convertAt(value, path.split('.'), 0)
  return value
}
function convertAt (value, keys, at) {
  if (value === null || typeof value !== 'object') return
  const key = keys[at]
  if (key === '*') {
    if (Array.isArray(value)) for (const item of value) convertAt(item, keys, at + 1)
  } else if (at === keys.length - 1) {
    if (typeof value[key] === 'string') value[key] = Buffer.from(value[key], 'base64')
  } else {
    convertAt(value[key], keys, at + 1)
  }
}


/**
 * A QFPay client. Every operation that talks to QFPay returns a Promise and runs on the core's
 * async runtime, off the event loop; one that only builds a signed link (checkoutUrl,
 * verifyCheckoutUrl, wechatOauthUrl, cashierUrl) returns at once. One client holds one
 * connection pool: create it once and share it.
 */
class Client {
  #native
  #events
  #config
  #bridge = { pending: new Map(), keep: null, seq: 0 }

  /**
   * @param {object} options `{ appCode, clientKey, environment?, baseUrl?, mchid?, signType?,
   *   timeoutMs?, connectTimeoutMs?, maxRetries?, reconcileTimeoutMs?, logger?, logLevel?, ... }`
   */
  constructor (options, nativeClient, logging) {
    if (options !== FROM_NATIVE) {
      let rest
      ({ own: logging, rest } = split(options, 'logger', 'logLevel'))
      nativeClient = call(() => new native.NativeClient(rest))
    }
    this.#native = nativeClient
    this.#native.onDone(completions(this.#bridge))
    this.#config = this.#native.config
    this.#events = new Events(this.#native, logging, invalid, typeOf)
    this.#events.warnConfig(this.#config.warnings)
  }

  /** A client from `QFPAY_APP_CODE`, `QFPAY_CLIENT_KEY`, `QFPAY_ENV`/`QFPAY_BASE_URL`, ... then `overrides`. */
  static fromEnv (overrides) {
    const { own: logging, rest } = split(overrides, 'logger', 'logLevel')
    return new Client(FROM_NATIVE, call(() => native.nativeClientFromEnv(rest)), logging)
  }

  // Starts `method` natively; a promise of its result (throws on a bad argument). The result
  // arrives as JSON through the client's one completion callback (bindings-node/BENCHMARKS.md).
  #start (method, first, rest, token) {
    const b = this.#bridge
    const id = b.seq = (b.seq + 1) >>> 0
    this.#native.start(id, method, first, rest, token)
    return new Promise((resolve, reject) => {
      b.pending.set(id, { resolve, reject })
      if (b.keep === null) b.keep = setInterval(() => {}, KEEP_ALIVE_MS)
    }).catch(rethrow)
  }

  // One native call: checks, the AbortSignal, and errors as QfPayError subclasses. Never throws
  // synchronously: every failure is a rejection.
  #invoke (method, first, options, movesMoney, orderNumber) {
    let signal, rest, outTradeNo, token, pending
    try {
      ({ signal, rest } = splitSignal(options))
      first = prepare(first)
      if (signal && movesMoney) ({ request: first, outTradeNo } = withOrderNumber(method, first))
      if (orderNumber && typeof first === 'string') outTradeNo = first
      if (signal?.aborted) return Promise.reject(abortError(signal, outTradeNo))
      if (signal) token = new native.CancelToken()
      pending = this.#start(method, first, rest, token)
    } catch (e) {
      return Promise.reject(fromNative(e))
    }
    if (!signal) return pending
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        token.cancel()
        reject(abortError(signal, outTradeNo))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
    })
  }

  // An operation that does not talk to QFPay (a link built and signed locally): at once, on
  // this thread, no Promise and no options (a second argument would be dropped: refused).
  #run (method, first, rest) {
    if (rest.length > 0 && rest.some((r) => r !== undefined)) {
      throw invalid('options', `${method} takes one argument and no options (it sends nothing); put its fields in the request object`)
    }
    return JSON.parse(call(() => this.#native.run(method, prepare(first))))
  }

  // An operation returning a stream (`iterate` in lib/operations.js, from its return type): an
  // async iterator over its pages (`'pages'`; `.items()` iterates their records) or over each
  // page's records in turn (`'items'`). The request is checked now (a bad one throws at once);
  // each page is fetched when asked for, on the core's runtime, and only that page is held.
  #iterate (method, how, bytes, request, options) {
    const { signal, rest } = splitSignal(options)
    const pages = call(() => this.#native.pages(method, prepare(request), rest))
    const fetch = () => signal?.aborted ? Promise.reject(abortError(signal)) : pages.nextPage().catch(rethrow)
    // One page asked for ahead: the core reads and converts the next page while this one is
    // parsed and consumed. A walk left early leaves that request to settle unobserved.
    let ahead = null
    const next = () => {
      if (signal?.aborted) return Promise.reject(abortError(signal))
      const page = ahead ?? fetch()
      ahead = page.then((json) => json === null ? null : fetch())
      ahead.catch(() => {})
      return page
    }
    const convert = bytes.length === 0 ? (v) => v : (v) => withBytes(v, bytes)
    if (how === 'items') {
      return (async function * () {
        for (let json; (json = await next()) !== null;) {
          for (const item of JSON.parse(json).data) {
            if (signal?.aborted) throw abortError(signal)
            yield convert(item)
          }
        }
      })()
    }
    const iterator = (async function * () {
      for (let json; (json = await next()) !== null;) yield convert(JSON.parse(json))
    })()
    /** The records of every page, one at a time. */
    iterator.items = async function * () { for await (const page of iterator) yield * page.data }
    return iterator
  }

  /** Every transaction a query finds, across pages (`for await (const t of client.queryItems(...))`). */
  queryItems (request, options) {
    return this.queryPages(request, options).items()
  }

  // The operations from the core's table: one method each. Those that talk to QFPay
  // (createPayment, wechatQr, query, findPayment, refund, ..., reconcile, downloadTradeBill,
  // settlements) take `(requestOrText, options)` and return a Promise; those returning a stream
  // (queryPages, transactions) take the same and return an async iterator; the others
  // (checkoutUrl, verifyCheckoutUrl, wechatOauthUrl, cashierUrl) take `(requestOrText)` and
  // return their result at once.
  static {
    // `baseUrl`, `userAgent`, `appCode` and `mchid` (undefined when there is none).
    for (const name of ['baseUrl', 'userAgent', 'appCode', 'mchid']) {
      Object.defineProperty(this.prototype, name, { get () { return this.#config[name] ?? undefined }, configurable: true })
    }
    for (const { method, movesMoney, orderNumber, io, iterate, bytes } of OPERATIONS) {
      if (iterate) {
        define(this, method, function (request, options) { return this.#iterate(method, iterate, bytes, request, options) })
      } else if (io && bytes.length > 0) {
        define(this, method, function (first, options) { return this.#invoke(method, first, options, movesMoney, orderNumber).then((r) => withBytes(r, bytes)) })
      } else if (io) {
        define(this, method, function (first, options) { return this.#invoke(method, first, options, movesMoney, orderNumber) })
      } else {
        define(this, method, function (first, ...rest) { return this.#run(method, first, rest) })
      }
    }
    // `on(kind, listener)` (for each event of `kind`) and `off(kind, listener)`: the client's Events.
    for (const name of ['on', 'off']) define(this, name, function (kind, listener) { this.#events[name](kind, listener); return this })
  }
}

const RAW_BODY_HELP =
  'verifyNotification needs the raw request body exactly as received (a Buffer, Uint8Array or string), ' +
  'but got a parsed object. The signature covers the exact bytes QFPay sent, and a body parsed by ' +
  'express.json() (or bodyParser) and serialised again no longer matches. On the notification route use ' +
  "express.raw({ type: '*/*' }) and pass req.body (a Buffer), or read the request stream yourself."

function rawBodyOf (rawBody) {
  if (typeof rawBody === 'string' || rawBody instanceof Uint8Array) return rawBody
  if (rawBody instanceof ArrayBuffer) return new Uint8Array(rawBody)
  if (ArrayBuffer.isView(rawBody)) return new Uint8Array(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength)
  if (rawBody !== null && typeof rawBody === 'object') {
    throw new ValidationError(RAW_BODY_HELP, 'validation', { field: 'rawBody', rule: 'must be the raw body, not a parsed object' })
  }
  const message = `verifyNotification needs the raw request body (a Buffer, Uint8Array or string), got ${typeOf(rawBody)}`
  throw new ValidationError(message, 'validation', { field: 'rawBody', rule: 'must be a Buffer, Uint8Array or string' })
}

// The X-QF-SIGN header as Node gives it (a string, or the first of repeated headers); a value
// of another type is a mistake in the caller's code, not a forged notification.
function signatureOf (signature) {
  if (Array.isArray(signature)) signature = signature[0]
  return signature === undefined || signature === null ? '' : text(signature, 'signature', 'the X-QF-SIGN header value (a string)')
}

// A string argument of a helper (a key, `content`, `signType`), checked here so that napi's own
// error (which would print the value) never sees it.
function text (value, name, what = 'a string') {
  if (typeof value !== 'string') throw invalid(name, `must be ${what}, got ${typeOf(value)}`)
  if (!value.isWellFormed()) throw invalid(name, LONE_SURROGATE)
  return value
}
const keyOf = (key, name) => text(key, name, 'the client key as a string')

/**
 * Verifies a notification's `X-QF-SIGN` header over the raw body and returns it parsed.
 * Throws SignatureError on a mismatch (answer 4xx and do not trust the body).
 */
function verifyNotification (rawBody, signature, clientKey) {
  const body = rawBodyOf(rawBody)
  const key = keyOf(clientKey, 'clientKey')
  const sig = signatureOf(signature)
  return JSON.parse(call(() => native.verifyNotification(body, sig, key)))
}

/** The notification signature of a raw body (what QFPay puts in `X-QF-SIGN`). */
function notificationSignature (rawBody, clientKey) {
  const body = rawBodyOf(rawBody)
  const key = keyOf(clientKey, 'clientKey')
  return call(() => native.notificationSignature(body, key))
}

// Signing parameters as one string, `key NUL value NUL` per own enumerable property (null and
// undefined left out, whole numbers written out): one native crossing for the whole object.
function flatten (params) {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw invalid('params', `must be an object of strings, got ${typeOf(params)}`)
  let flat = ''
  let count = 0
  for (const k of Object.keys(params)) {
    const v = params[k]
    if (v === null || v === undefined) continue
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isSafeInteger(v))) {
      throw invalid(k, `must be a string or a whole number to be signed, got ${typeof v === 'number' ? v : typeOf(v)}`)
    }
    flat += k + '\u0000' + v + '\u0000'
    count++
  }
  return [flat, count]
}

/** The request signature of `params` under `key` (uppercase hex; `signType` `md5` or `sha256`). */
function sign (params, key, signType) {
  const [flat, count] = flatten(params)
  const k = keyOf(key, 'key')
  const t = signType === undefined || signType === null ? undefined : text(signType, 'signType')
  return call(() => native.sign(flat, count, k, t))
}

/** The string that is signed, before the key is appended. */
const stringToSign = (params) => call(() => native.sign(...flatten(params), null, null, false))
/** The string to sign with the key masked as `<client_key>`, to debug a 1108 error. */
const debugStringToSign = (params) => call(() => native.sign(...flatten(params), null, null, true))

function scaleOf (scale) {
  if (scale === undefined || scale === null) return undefined
  if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 1 || scale > 100) {
    throw invalid('scale', `must be a whole number of pixels per module from 1 to 100, got ${typeof scale === 'number' ? scale : typeOf(scale)}`)
  }
  return scale
}

// `svg`, `png` (a Buffer; `scale` pixels per module, default 8), `dataUrl` and `terminal`.
const qr = Object.freeze(Object.fromEntries(['svg', 'png', 'dataUrl', 'terminal'].map((format) =>
  [format, { [format]: (content, scale) => call(() => native.qr(format, text(content, 'content'), format === 'png' ? scaleOf(scale) : undefined)) }[format]])))

// Sandbox: the core's in-process QFPay simulator, for tests and demos (documented in
// lib/index.d.ts).
const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !opaque(v)
const camel = (k) => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())

/** A local QFPay simulator on 127.0.0.1 (a free port). Start with `await Sandbox.start()`. */
class Sandbox {
  #native
  #stopped = false

  constructor (handle) {
    this.#native = handle
    const { baseUrl, port, merchants } = handle.control('info')
    const { appCode, clientKey, mchid } = merchants[0]
    Object.assign(this, { baseUrl, port, merchants, appCode, clientKey, mchid })
  }

  /** Starts a sandbox: `{ merchants?, rateLimit?, notifyTimeScale?, pendingQueries?, slowResponseMs? }`. */
  static async start (options) {
    return new Sandbox(call(() => native.startSandbox(prepare(options))))
  }

  /** A Client for the first merchant (or `options.merchant`), with any other Client options. */
  client (options = {}) {
    if (!isRecord(options)) throw invalid('options', `must be an object (the client options), got ${typeOf(options)}`)
    const { merchant, ...rest } = options
    const { appCode, clientKey, mchid } = merchant || this.merchants[0]
    return new Client({ baseUrl: this.baseUrl, appCode, clientKey, ...(mchid ? { mchid } : {}), ...rest })
  }

  /** The customer scans/pays the order (by syssn or out_trade_no); returns the record. */
  pay (syssnOrOutTradeNo) {
    if (typeof syssnOrOutTradeNo !== 'string') throw invalid('syssn', `must be a syssn or out_trade_no (a string), got ${typeOf(syssnOrOutTradeNo)}`)
    return call(() => this.#native.control('pay', syssnOrOutTradeNo))
  }

  /** Faults for the next `count` API requests: `{ kind, count?, ms?, status?, body? }`. */
  injectFault (fault) {
    if (!isRecord(fault)) throw invalid('fault', `must be an object { kind, count?, ms?, status?, body? }, got ${typeOf(fault)}`)
    call(() => this.#native.control('injectFault', prepare(fault)))
  }

  /** Every payment and refund the sandbox holds `{ kind, outTradeNo, syssn, txamt, txcurrcd, state, origSyssn, ... }`. */
  orders () {
    return call(() => this.#native.control('orders')).map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), v])))
  }

  /** Moves the sandbox clock forward by `seconds` (to expire orders without waiting). */
  advanceClock (seconds) {
    if (typeof seconds !== 'number') throw invalid('seconds', `must be a whole number of seconds, got ${typeOf(seconds)}`)
    call(() => this.#native.control('advanceClock', seconds))
  }

  /** Stops the server (idempotent). */
  async stop () {
    if (this.#stopped) return
    this.#stopped = true
    await call(() => this.#native.stop()).catch(rethrow)
  }

  async [Symbol.asyncDispose] () {
    await this.stop()
  }

  // `requests()` (the request log, oldest first), `requestCount()` (API requests since start
  // or reset), `notifications()` (deliveries and their attempts) and `reset()` (forgets
  // orders, the log, faults, notifications and clock changes): the native ones, errors
  // converted.
  static {
    for (const name of ['requests', 'requestCount', 'notifications', 'reset']) {
      define(this, name, function () { return call(() => this.#native.control(name) ?? undefined) })
    }
  }
}

const { generateOutTradeNo, NOTIFICATION_ACK, SANDBOX_APP_CODE, SANDBOX_CLIENT_KEY, CORE_VERSION } = native

// A literal list, so that Node's ES module loader finds every name (lib/index.mjs).
module.exports = {
  Client,
  Sandbox,
  verifyNotification,
  notificationSignature,
  sign,
  stringToSign,
  debugStringToSign,
  qr,
  generateOutTradeNo,
  NOTIFICATION_ACK,
  SANDBOX_APP_CODE,
  SANDBOX_CLIENT_KEY,
  VERSION,
  CORE_VERSION,
  ...require('./error-classes.js')
}
