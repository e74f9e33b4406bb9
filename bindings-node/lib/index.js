'use strict'
// The public surface of the `qfpay` package. The native addon (built by `napi build`) does all
// protocol work; this file only adapts it: QfPayError subclasses, async iteration, and the
// raw-body check of verifyNotification.

const { types: utilTypes } = require('node:util')
const native = require('./native.js')
const errors = require('./errors.js')
const { Events } = require('./events.js')

const { fromNative, rethrow, ValidationError } = errors
const VERSION = require('../package.json').version

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

// `options.signal` taken out of the call options (the rest goes to the core).
function splitSignal (options) {
  if (options === null || typeof options !== 'object' || opaque(options) || !('signal' in options)) return { signal: undefined, rest: options }
  const { signal, ...rest } = options
  if (signal !== undefined && signal !== null && !(signal instanceof AbortSignal)) {
    throw invalid('signal', `must be an AbortSignal, got ${typeOf(signal)}`)
  }
  return { signal: signal ?? undefined, rest }
}

const KEEP_ALIVE_MS = 2 ** 30
function noop () {}

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
    let value
    try {
      value = JSON.parse(payload)
    } catch (e) {
      return p.reject(e)
    }
    p.resolve(value)
  }
}

const MONEY_MOVING = new Set(['createPayment', 'wechatQr', 'refund', 'close', 'reverse'])

/**
 * A QFPay client. Every operation returns a Promise and runs on the core's async runtime, off
 * the event loop. One client holds one connection pool: create it once and share it.
 */
const FROM_NATIVE = Symbol('qfpay.fromNative')

// The logging options, which stay in JavaScript; the rest goes to the core.
function splitLogging (options) {
  if (options === null || typeof options !== 'object' || opaque(options) || (!('logger' in options) && !('logLevel' in options))) {
    return { logging: {}, rest: options }
  }
  const { logger, logLevel, ...rest } = options
  return { logging: { logger, logLevel }, rest }
}

class Client {
  #native
  #events
  #bridge = { pending: new Map(), keep: null, seq: 0 }

  /**
   * @param {object} options `{ appCode, clientKey, environment?, baseUrl?, mchid?, signType?,
   *   timeoutMs?, connectTimeoutMs?, maxRetries?, reconcileTimeoutMs?, logger?, logLevel?, ... }`
   */
  constructor (options, nativeClient, logging) {
    if (options === FROM_NATIVE) {
      this.#native = nativeClient
    } else {
      const split = splitLogging(options)
      logging = split.logging
      const rest = prepare(split.rest)
      this.#native = call(() => new native.NativeClient(rest))
    }
    this.#native.onDone(completions(this.#bridge))
    this.#events = new Events(this.#native, logging, invalid)
    this.#events.warnConfig(this.#native.warnings)
  }

  /** A client from `QFPAY_APP_CODE`, `QFPAY_CLIENT_KEY`, `QFPAY_ENV`/`QFPAY_BASE_URL`, ... then `overrides`. */
  static fromEnv (overrides) {
    const split = splitLogging(overrides)
    const rest = prepare(split.rest)
    return new Client(FROM_NATIVE, call(() => native.nativeClientFromEnv(rest)), split.logging)
  }

  /** Calls `listener(event)` for each event of `kind` (`request`, `response`, `retry`, `reconcile`, `status_unknown`, `cancelled`). */
  on (kind, listener) {
    this.#events.on(kind, listener)
    return this
  }

  /** Removes a listener added with `on`. */
  off (kind, listener) {
    this.#events.off(kind, listener)
    return this
  }

  /** The base URL requests go to. */
  get baseUrl () {
    return this.#native.baseUrl
  }

  /** The User-Agent sent (`qfpay-node/<version> (core <version>)`). */
  get userAgent () {
    return this.#native.userAgent
  }

  /** The app code (`X-QF-APPCODE`). */
  get appCode () {
    return this.#native.appCode
  }

  /** The default `mchid`, or undefined. */
  get mchid () {
    return this.#native.mchid ?? undefined
  }

  // Starts `method` natively; a promise of its result (throws on a bad argument). The result
  // arrives as JSON through the client's one completion callback (bindings-node/BENCHMARKS.md).
  #start (method, first, rest, token) {
    const b = this.#bridge
    const id = b.seq = (b.seq + 1) >>> 0
    this.#native.start(id, method, first, rest, token)
    return new Promise((resolve, reject) => {
      b.pending.set(id, { resolve, reject })
      if (b.keep === null) b.keep = setInterval(noop, KEEP_ALIVE_MS)
    }).catch(rethrow)
  }

  // One native call: checks, the AbortSignal, and errors as QfPayError subclasses. Never throws
  // synchronously: every failure is a rejection.
  #invoke (method, first, options, firstIsRequest = true) {
    let signal, rest, outTradeNo
    try {
      ({ signal, rest } = splitSignal(options))
      first = prepare(first)
      rest = prepare(rest)
      if (signal && MONEY_MOVING.has(method)) ({ request: first, outTradeNo } = withOrderNumber(method, first))
      if (!firstIsRequest && typeof first === 'string') outTradeNo = first
    } catch (e) {
      return Promise.reject(e)
    }
    if (!signal) {
      try {
        return this.#start(method, first, rest, undefined)
      } catch (e) {
        return Promise.reject(fromNative(e))
      }
    }
    if (signal.aborted) return Promise.reject(abortError(signal, outTradeNo))
    const token = native.cancelToken()
    let pending
    try {
      pending = this.#start(method, first, rest, token)
    } catch (e) {
      native.releaseToken(token)
      return Promise.reject(fromNative(e))
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        native.cancelCall(token)
        reject(abortError(signal, outTradeNo))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
    })
  }

  /** Creates a payment (`/trade/v1/payment`). */
  createPayment (request, options) {
    return this.#invoke('createPayment', request, options)
  }

  /** Creates a WeChat QR payment (800201); `currency` defaults to HKD. */
  wechatQr (request, options) {
    return this.#invoke('wechatQr', request, options)
  }

  /** Queries one page of transactions (`/trade/v1/query`). */
  query (request, options) {
    return this.#invoke('query', request, options)
  }

  /**
   * Every page of a query, as an async iterator of pages; `.items()` iterates the
   * transactions across pages.
   */
  queryPages (request, options) {
    const split = splitSignal(options)
    const signal = split.signal
    const req = prepare(request)
    const rest = prepare(split.rest)
    const pages = call(() => this.#native.queryPages(req, rest))
    const iterator = {
      async next () {
        if (signal?.aborted) throw abortError(signal)
        const json = await pages.nextPage().catch(rethrow)
        const page = json === null ? null : JSON.parse(json)
        return page === null ? { done: true, value: undefined } : { done: false, value: page }
      },
      async return () {
        return { done: true, value: undefined }
      },
      [Symbol.asyncIterator] () {
        return this
      },
      /** The transactions of every page, one at a time. */
      async * items () {
        for await (const page of iterator) yield * page.data
      }
    }
    return iterator
  }

  /** Every transaction a query finds, across pages (`for await (const t of client.queryItems(...))`). */
  queryItems (request, options) {
    return this.queryPages(request, options).items()
  }

  /** The payment with merchant order number `outTradeNo`, or `null` when QFPay has none. */
  findPayment (outTradeNo, options) {
    return this.#invoke('findPayment', outTradeNo, options, false)
  }

  /** Refunds a paid transaction, fully or partly (`/trade/v1/refund`). */
  refund (request, options) {
    return this.#invoke('refund', request, options)
  }

  /** Closes an unpaid order (`/trade/v1/close`). */
  close (request, options) {
    return this.#invoke('close', request, options)
  }

  /** Reverses an unfinished transaction (`/trade/v1/reversal`); confirm with a query. */
  reverse (request, options) {
    return this.#invoke('reverse', request, options)
  }

  /** Polls until the payment is paid, fails, or `timeoutMs` passes (StatusUnknownError). */
  waitForPayment (outTradeNo, options) {
    return this.#invoke('waitForPayment', outTradeNo, options, false)
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
  throw new ValidationError(
    `verifyNotification needs the raw request body (a Buffer, Uint8Array or string), got ${typeOf(rawBody)}`,
    'validation',
    { field: 'rawBody', rule: 'must be a Buffer, Uint8Array or string' }
  )
}

// The X-QF-SIGN header as Node gives it (a string, or the first of repeated headers); a value
// of another type is a mistake in the caller's code, not a forged notification.
function signatureOf (signature) {
  if (Array.isArray(signature)) signature = signature[0]
  if (signature === undefined || signature === null) return ''
  if (typeof signature !== 'string') {
    throw invalid('signature', `must be the X-QF-SIGN header value (a string), got ${typeOf(signature)}`)
  }
  if (!signature.isWellFormed()) throw invalid('signature', LONE_SURROGATE)
  return signature
}

// A key argument: a string, checked here so that napi's own error (which would print the
// value) never sees it.
function keyOf (key, name) {
  if (typeof key !== 'string') throw invalid(name, `must be the client key as a string, got ${typeOf(key)}`)
  if (!key.isWellFormed()) throw invalid(name, LONE_SURROGATE)
  return key
}

// A string argument of a helper (`content`, `signType`), checked before napi sees it.
function stringArg (value, name) {
  if (typeof value !== 'string') throw invalid(name, `must be a string, got ${typeOf(value)}`)
  if (!value.isWellFormed()) throw invalid(name, LONE_SURROGATE)
  return value
}

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
    if (typeof v === 'string') {
      flat += k + '\u0000' + v + '\u0000'
    } else if (typeof v === 'number' && Number.isSafeInteger(v)) {
      flat += k + '\u0000' + v + '\u0000'
    } else {
      throw invalid(k, `must be a string or a whole number to be signed, got ${typeof v === 'number' ? v : typeOf(v)}`)
    }
    count++
  }
  return [flat, count]
}

/** The request signature of `params` under `key` (uppercase hex; `signType` `md5` or `sha256`). */
function sign (params, key, signType) {
  const [flat, count] = flatten(params)
  const k = keyOf(key, 'key')
  const t = signType === undefined || signType === null ? undefined : stringArg(signType, 'signType')
  return call(() => native.sign(flat, count, k, t))
}

/** The string that is signed, before the key is appended. */
function stringToSign (params) {
  const [flat, count] = flatten(params)
  return call(() => native.stringToSign(flat, count))
}

/** The string to sign with the key masked as `<client_key>`, to debug a 1108 error. */
function debugStringToSign (params) {
  const [flat, count] = flatten(params)
  return call(() => native.debugStringToSign(flat, count))
}

/** QR code rendering of a payment's `qrcode`. */
function scaleOf (scale) {
  if (scale === undefined || scale === null) return undefined
  if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 1 || scale > 100) {
    throw invalid('scale', `must be a whole number of pixels per module from 1 to 100, got ${typeof scale === 'number' ? scale : typeOf(scale)}`)
  }
  return scale
}

const qr = Object.freeze({
  /** An SVG image. */
  svg: (content) => call(() => native.qrSvg(stringArg(content, 'content'))),
  /** A PNG image as a Buffer; `scale` pixels per module (default 8). */
  png: (content, scale) => call(() => native.qrPng(stringArg(content, 'content'), scaleOf(scale))),
  /** A `data:image/png;base64,...` URL. */
  dataUrl: (content) => call(() => native.qrDataUrl(stringArg(content, 'content'))),
  /** Unicode text for a terminal. */
  terminal: (content) => call(() => native.qrTerminal(stringArg(content, 'content')))
})

const { Sandbox } = require('./sandbox.js')(native, Client, call, rethrow, { prepare, invalid, typeOf, opaque })

module.exports = {
  Client,
  Sandbox,
  verifyNotification,
  notificationSignature,
  sign,
  stringToSign,
  debugStringToSign,
  qr,
  generateOutTradeNo: native.generateOutTradeNo,
  NOTIFICATION_ACK: native.NOTIFICATION_ACK,
  SANDBOX_APP_CODE: native.SANDBOX_APP_CODE,
  SANDBOX_CLIENT_KEY: native.SANDBOX_CLIENT_KEY,
  VERSION,
  CORE_VERSION: native.CORE_VERSION,
  ...errors,
  fromNative: undefined,
  rethrow: undefined
}
delete module.exports.fromNative
delete module.exports.rethrow
