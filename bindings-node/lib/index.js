'use strict'
// The public surface of the `qfpay` package. The native addon (built by `napi build`) does all
// protocol work; this file only adapts it: QfPayError subclasses, async iteration, and the
// raw-body check of verifyNotification.

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

// QFPay's name of a request field, for errors raised here before the core sees the value
// (the same mapping as src/convert.rs).
function qfName (key) {
  if (key === 'amount') return 'txamt'
  if (key === 'currency') return 'txcurrcd'
  return key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())
}

function invalid (field, rule) {
  return new ValidationError(`invalid ${field}: ${rule}`, 'validation', { field, rule })
}

const LONE_SURROGATE =
  'must be valid Unicode text, but holds a lone surrogate (half of a UTF-16 pair) that would be sent as U+FFFD'

// Checks what napi cannot report with the field's name: a number that is not finite (NaN,
// ±Infinity) and a string with a lone surrogate (napi would silently turn it into U+FFFD).
// `js` names options as JavaScript spells them, otherwise fields get their QFPay names.
function preflight (value, js, prefix = '') {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return
  for (const key of Object.keys(value)) {
    const field = prefix + (js ? key : qfName(key))
    const check = (v) => {
      if (typeof v === 'string' && !v.isWellFormed()) throw invalid(field, LONE_SURROGATE)
      if (typeof v === 'number' && !Number.isFinite(v)) throw invalid(field, `must be a finite number (got ${v})`)
      if (typeof v === 'bigint') throw invalid(field, `must be a number, not a BigInt (got ${v}n)`)
    }
    const v = value[key]
    if (Array.isArray(v)) v.forEach(check)
    else if (v !== null && typeof v === 'object' && !js) preflight(v, false, field + '.')
    else check(v)
  }
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
  if (options === null || typeof options !== 'object' || !('signal' in options)) return { signal: undefined, rest: options }
  const { signal, ...rest } = options
  if (signal !== undefined && signal !== null && !(signal instanceof AbortSignal)) {
    throw invalid('signal', `must be an AbortSignal, got ${typeof signal}`)
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
  if (options === null || typeof options !== 'object' || (!('logger' in options) && !('logLevel' in options))) {
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
      preflight(split.rest, true)
      this.#native = call(() => new native.NativeClient(split.rest))
    }
    this.#native.onDone(completions(this.#bridge))
    this.#events = new Events(this.#native, logging, invalid)
    this.#events.warnConfig(this.#native.warnings)
  }

  /** A client from `QFPAY_APP_CODE`, `QFPAY_CLIENT_KEY`, `QFPAY_ENV`/`QFPAY_BASE_URL`, ... then `overrides`. */
  static fromEnv (overrides) {
    const { logging, rest } = splitLogging(overrides)
    preflight(rest, true)
    return new Client(FROM_NATIVE, call(() => native.nativeClientFromEnv(rest)), logging)
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
      if (firstIsRequest) preflight(first, false)
      preflight(rest, true)
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
    const { signal, rest } = splitSignal(options)
    preflight(request, false)
    preflight(rest, true)
    const pages = call(() => this.#native.queryPages(request, rest))
    const iterator = {
      async next () {
        if (signal?.aborted) throw abortError(signal)
        const page = await pages.nextPage().catch(rethrow)
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
    throw new ValidationError(RAW_BODY_HELP, 'validation', { field: 'raw_body', rule: 'must be the raw body, not a parsed object' })
  }
  throw new ValidationError(
    `verifyNotification needs the raw request body (a Buffer, Uint8Array or string), got ${rawBody === null ? 'null' : typeof rawBody}`,
    'validation',
    { field: 'raw_body', rule: 'must be a Buffer, Uint8Array or string' }
  )
}

function signatureOf (signature) {
  if (Array.isArray(signature)) signature = signature[0]
  if (signature === undefined || signature === null) return ''
  return String(signature)
}

/**
 * Verifies a notification's `X-QF-SIGN` header over the raw body and returns it parsed.
 * Throws SignatureError on a mismatch (answer 4xx and do not trust the body).
 */
function verifyNotification (rawBody, signature, clientKey) {
  const body = rawBodyOf(rawBody)
  if (typeof clientKey !== 'string') {
    throw new errors.ConfigError('verifyNotification needs the client key as a string', 'config')
  }
  return JSON.parse(call(() => native.verifyNotification(body, signatureOf(signature), clientKey)))
}

/** The notification signature of a raw body (what QFPay puts in `X-QF-SIGN`). */
function notificationSignature (rawBody, clientKey) {
  return call(() => native.notificationSignature(rawBodyOf(rawBody), clientKey))
}

// Signing parameters as one string, `key NUL value NUL` per own enumerable property (null and
// undefined left out, whole numbers written out): one native crossing for the whole object.
function flatten (params) {
  if (params === null || typeof params !== 'object') throw invalid('params', 'must be an object of strings')
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
      throw invalid(k, `must be a string or a whole number to be signed, got ${typeof v === 'number' ? v : typeof v}`)
    }
    count++
  }
  return [flat, count]
}

/** The request signature of `params` under `key` (uppercase hex; `signType` `md5` or `sha256`). */
function sign (params, key, signType) {
  const [flat, count] = flatten(params)
  return call(() => native.sign(flat, count, key, signType))
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
const qr = Object.freeze({
  /** An SVG image. */
  svg: (content) => call(() => native.qrSvg(content)),
  /** A PNG image as a Buffer; `scale` pixels per module (default 8). */
  png: (content, scale) => call(() => native.qrPng(content, scale)),
  /** A `data:image/png;base64,...` URL. */
  dataUrl: (content) => call(() => native.qrDataUrl(content)),
  /** Unicode text for a terminal. */
  terminal: (content) => call(() => native.qrTerminal(content))
})

const { Sandbox } = require('./sandbox.js')(native, Client, call, rethrow)

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
  ACK_BODY: native.ACK_BODY,
  NOTIFICATION_ACK: native.ACK_BODY,
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
