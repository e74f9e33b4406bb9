'use strict'
// The QfPayError hierarchy, and the one function that turns a native error into it.
//
// Native errors arrive as `"[code] message" + "\u001e" + JSON` (see src/errors.rs): napi cannot
// give an async rejection a custom code, so the code and fields travel in the message and are
// parsed here, once.

const SEPARATOR = '\u001e'
const NATIVE = /^\[([a-z_]+)\] ([\s\S]*)$/

/** Base class of every error the SDK throws. `.code` is the core's stable error code. */
class QfPayError extends Error {
  constructor (message, code, details) {
    super(message)
    this.name = new.target.name
    /** @type {string} */
    this.code = code || 'api'
    if (details) {
      for (const key of Object.keys(details)) {
        if (details[key] !== undefined && details[key] !== null) this[key] = details[key]
      }
    }
  }
}

/** A request field broke a documented rule; nothing was sent. `.field`, `.rule`. */
class ValidationError extends QfPayError {}
/**
 * The client is not configured correctly. `.field`: the option at fault as JavaScript spells it
 * (`appCode`, `timeoutMs`), when one is; `.rule`: what is wrong with it.
 */
class ConfigError extends QfPayError {}
/** QFPay answered with a failure code. `.respcd`, `.resperr`, `.respmsg`, `.httpStatus`. */
class ApiError extends QfPayError {}
/** Signature, app code, key, mchid or environment rejected. */
class AuthError extends ApiError {}
/** QFPay rejected the request's parameters. */
class InvalidRequestError extends ApiError {}
/** The payment was declined. */
class DeclinedError extends ApiError {}
/** The out_trade_no was used before. */
class DuplicateOrderError extends ApiError {}
/** The order is not in a state that allows this. */
class OrderStateError extends ApiError {}
/** The refund was refused. */
class RefundRejectedError extends ApiError {}
/** The merchant account, device or store is not set up for this. */
class AccountError extends ApiError {}
/** QFPay had a transient problem. */
class ServerError extends ApiError {}
/** HTTP 429. `.retryAfterMs`: milliseconds the server asked to wait, when it said. */
class RateLimitedError extends QfPayError {}
/** The request could not be delivered. `.sent` tells whether it may have reached QFPay. */
class NetworkError extends QfPayError {}
/** The call's deadline passed (calls that move no money). */
class RequestTimeoutError extends QfPayError {}
/**
 * The outcome of a money-moving call is not known. Query `.outTradeNo` (or wait for the
 * notification); never pay again under a new number.
 */
class StatusUnknownError extends QfPayError {}
/** An answer could not be understood. */
class DecodeError extends QfPayError {}
/** A notification's signature did not match its body and key. */
class SignatureError extends QfPayError {}

const CLASSES = {
  validation: ValidationError,
  config: ConfigError,
  api: ApiError,
  auth: AuthError,
  invalid_request: InvalidRequestError,
  declined: DeclinedError,
  duplicate_order: DuplicateOrderError,
  order_state: OrderStateError,
  refund_rejected: RefundRejectedError,
  account: AccountError,
  server: ServerError,
  rate_limited: RateLimitedError,
  network: NetworkError,
  timeout: RequestTimeoutError,
  status_unknown: StatusUnknownError,
  decode: DecodeError,
  signature: SignatureError
}

// The core's authentication hint names a Rust function; say what a JavaScript user calls instead.
// (Configuration errors need nothing here: src/errors.rs names their option as JavaScript does.)
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
  const cut = err.message.indexOf(SEPARATOR)
  const head = cut < 0 ? err.message : err.message.slice(0, cut)
  const m = NATIVE.exec(head)
  if (!m || !Object.prototype.hasOwnProperty.call(CLASSES, m[1])) return err
  let details = {}
  if (cut >= 0) {
    try {
      details = JSON.parse(err.message.slice(cut + 1))
    } catch (_) {
      details = {}
    }
  }
  const Cls = CLASSES[m[1]]
  const e = new Cls(inJsTerms(m[2]), m[1], details)
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

module.exports = {
  QfPayError,
  ValidationError,
  ConfigError,
  ApiError,
  AuthError,
  InvalidRequestError,
  DeclinedError,
  DuplicateOrderError,
  OrderStateError,
  RefundRejectedError,
  AccountError,
  ServerError,
  RateLimitedError,
  NetworkError,
  RequestTimeoutError,
  StatusUnknownError,
  DecodeError,
  SignatureError,
  ERROR_CLASSES: Object.freeze({ ...CLASSES }),
  fromNative,
  rethrow
}
