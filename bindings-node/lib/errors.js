'use strict'
// The one function that turns a native error into a QfPayError (the classes are generated from
// the core's error codes into ./error-classes.js).
//
// Native errors arrive as `"[code] message" + "\u001e" + JSON` (see src/errors.rs): napi cannot
// give an async rejection a custom code, so the code and fields travel in the message and are
// parsed here, once.

const SEPARATOR = '\u001e'
const NATIVE = /^\[([a-z_]+)\] ([\s\S]*)$/

const classes = require('./error-classes.js')

const { QfPayError, ERROR_CLASSES } = classes

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
  if (!m || !Object.prototype.hasOwnProperty.call(ERROR_CLASSES, m[1])) return err
  let details = {}
  if (cut >= 0) {
    try {
      details = JSON.parse(err.message.slice(cut + 1))
    } catch (_) {
      details = {}
    }
  }
  const Cls = ERROR_CLASSES[m[1]]
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

module.exports = { ...classes, fromNative, rethrow }
