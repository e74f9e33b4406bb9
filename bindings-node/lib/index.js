'use strict'
// The public surface of the `qfpay` package. The native addon (built by `napi build`) does all
// protocol work; this file only adapts it: QfPayError subclasses, async iteration, and the
// raw-body check of verifyNotification.

const native = require('../index.js')
const errors = require('./errors.js')

const { fromNative, rethrow, ValidationError } = errors
const VERSION = require('../package.json').version

function call (fn) {
  try {
    return fn()
  } catch (e) {
    throw fromNative(e)
  }
}

/**
 * A QFPay client. Every operation returns a Promise and runs on the core's async runtime, off
 * the event loop. One client holds one connection pool: create it once and share it.
 */
class Client {
  #native

  /**
   * @param {object} options `{ appCode, clientKey, environment?, baseUrl?, mchid?, signType?,
   *   timeoutMs?, connectTimeoutMs?, maxRetries?, reconcileTimeoutMs?, ... }`
   */
  constructor (options) {
    if (options instanceof native.NativeClient) {
      this.#native = options
    } else {
      this.#native = call(() => new native.NativeClient(options))
    }
  }

  /** A client from `QFPAY_APP_CODE`, `QFPAY_CLIENT_KEY`, `QFPAY_ENV`/`QFPAY_BASE_URL`, ... then `overrides`. */
  static fromEnv (overrides) {
    return new Client(call(() => native.nativeClientFromEnv(overrides)))
  }

  /** The base URL requests go to. */
  get baseUrl () {
    return this.#native.baseUrl
  }

  /** The User-Agent sent (`qfpay-node/<version> (core <version>)`). */
  get userAgent () {
    return this.#native.userAgent
  }

  /** Creates a payment (`/trade/v1/payment`). */
  createPayment (request, options) {
    return call(() => this.#native.createPayment(request, options)).catch(rethrow)
  }

  /** Creates a WeChat QR payment (800201); `currency` defaults to HKD. */
  wechatQr (request, options) {
    return call(() => this.#native.wechatQr(request, options)).catch(rethrow)
  }

  /** Queries one page of transactions (`/trade/v1/query`). */
  query (request, options) {
    return call(() => this.#native.query(request, options)).catch(rethrow)
  }

  /** Every page of a query, as an async iterator of pages. */
  queryPages (request, options) {
    const pages = call(() => this.#native.queryPages(request, options))
    return {
      async next () {
        const page = await pages.nextPage().catch(rethrow)
        return page === null ? { done: true, value: undefined } : { done: false, value: page }
      },
      async return () {
        return { done: true, value: undefined }
      },
      [Symbol.asyncIterator] () {
        return this
      }
    }
  }

  /** The payment with merchant order number `outTradeNo`, or `null` when QFPay has none. */
  findPayment (outTradeNo, options) {
    return call(() => this.#native.findPayment(outTradeNo, options)).catch(rethrow)
  }

  /** Refunds a paid transaction, fully or partly (`/trade/v1/refund`). */
  refund (request, options) {
    return call(() => this.#native.refund(request, options)).catch(rethrow)
  }

  /** Closes an unpaid order (`/trade/v1/close`). */
  close (request, options) {
    return call(() => this.#native.close(request, options)).catch(rethrow)
  }

  /** Reverses an unfinished transaction (`/trade/v1/reversal`); confirm with a query. */
  reverse (request, options) {
    return call(() => this.#native.reverse(request, options)).catch(rethrow)
  }

  /** Polls until the payment is paid, fails, or `timeoutMs` passes (StatusUnknownError). */
  waitForPayment (outTradeNo, options) {
    return call(() => this.#native.waitForPayment(outTradeNo, options)).catch(rethrow)
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
  return call(() => native.verifyNotification(body, signatureOf(signature), clientKey))
}

/** The notification signature of a raw body (what QFPay puts in `X-QF-SIGN`). */
function notificationSignature (rawBody, clientKey) {
  return call(() => native.notificationSignature(rawBodyOf(rawBody), clientKey))
}

/** The request signature of `params` under `key` (uppercase hex; `signType` `md5` or `sha256`). */
function sign (params, key, signType) {
  return call(() => native.sign(params, key, signType))
}

/** The string that is signed, before the key is appended. */
function stringToSign (params) {
  return call(() => native.stringToSign(params))
}

/** The string to sign with the key masked as `<client_key>`, to debug a 1108 error. */
function debugStringToSign (params) {
  return call(() => native.debugStringToSign(params))
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
  VERSION,
  CORE_VERSION: native.CORE_VERSION,
  ...errors,
  fromNative: undefined,
  rethrow: undefined
}
delete module.exports.fromNative
delete module.exports.rethrow
