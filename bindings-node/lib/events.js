'use strict'
// Logging and hooks: the core's events (one per attempt, retry, reconciliation, status-unknown
// and cancellation) reach a `logger` and `client.on(kind, fn)` listeners. The native side calls
// one threadsafe function per client, without blocking its I/O thread, and only once a logger
// or listener exists; its `enabled(level)` is one atomic load.

const KINDS = ['request', 'response', 'retry', 'reconcile', 'status_unknown', 'cancelled']
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error']
const KIND_LEVEL = { request: 'debug', response: 'debug', retry: 'info', reconcile: 'warn', status_unknown: 'warn', cancelled: 'warn' }
const OFF = 255

function rank (level) {
  const i = LEVELS.indexOf(level)
  return i < 0 ? OFF : i
}

function parseLevel (value) {
  if (typeof value !== 'string') return undefined
  const v = value.trim().toLowerCase()
  if (v === 'warning') return 'warn'
  return LEVELS.includes(v) ? v : undefined
}

// The default logger (`DEBUG=qfpay` or `QFPAY_LOG=<level>`): one line per event on stderr.
const stderrLogger = Object.freeze(Object.fromEntries(LEVELS.map((level) => [level, (message, fields) => {
  process.stderr.write(`qfpay ${level} ${message}${fields ? ' ' + JSON.stringify(fields) : ''}\n`)
}])))

function envLevel (env = process.env) {
  const q = parseLevel(env.QFPAY_LOG)
  if (q) return q
  const debug = String(env.DEBUG || '').split(/[\s,]+/)
  if (debug.some((d) => d === 'qfpay' || d === 'qfpay:*' || d === '*')) return 'debug'
  return undefined
}

// pino and pino-like loggers take (fields, message); console-like ones (message, fields).
function objectFirst (logger) {
  return typeof logger.child === 'function' && typeof logger.bindings === 'function'
}

function fieldsOf (event) {
  const f = {}
  for (const k of ['endpoint', 'attempt', 'outTradeNo', 'elapsedMs', 'httpStatus', 'respcd', 'decision', 'reason', 'body']) {
    if (event[k] !== undefined && event[k] !== null) f[k] = event[k]
  }
  return f
}

/**
 * The events of one client: its logger and listeners. `native` is the NativeClient; `invalid`
 * makes a ValidationError.
 */
class Events {
  #native
  #invalid
  #logger
  #loggerRank = OFF
  #listeners = new Map()
  #observing = false
  #rank = OFF

  constructor (native, options, invalid) {
    this.#native = native
    this.#invalid = invalid
    const { logger, logLevel } = options || {}
    if (logLevel !== undefined && parseLevel(logLevel) === undefined) {
      throw invalid('logLevel', `must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`)
    }
    if (logger !== undefined && logger !== null) {
      if (typeof logger !== 'object' && typeof logger !== 'function') throw invalid('logger', 'must be an object with debug, info, warn and error methods')
      for (const m of ['debug', 'info', 'warn', 'error']) {
        if (typeof logger[m] !== 'function') throw invalid('logger', `must have a ${m}() method`)
      }
      this.#logger = logger
      this.#loggerRank = rank(parseLevel(logLevel) || parseLevel(logger.level) || envLevel() || 'info')
    } else {
      const level = parseLevel(logLevel) || envLevel()
      if (level) {
        this.#logger = stderrLogger
        this.#loggerRank = rank(level)
      }
    }
    this.#update()
  }

  /** Configuration warnings (e.g. QFPAY_ENV and QFPAY_BASE_URL disagree) to the logger. */
  warnConfig (warnings) {
    for (const w of warnings || []) this.#log('warn', w, { area: 'config' })
  }

  on (kind, listener) {
    this.#check(kind, listener)
    if (!this.#listeners.has(kind)) this.#listeners.set(kind, new Set())
    this.#listeners.get(kind).add(listener)
    this.#update()
  }

  off (kind, listener) {
    this.#check(kind, listener, true)
    const set = this.#listeners.get(kind)
    if (set) {
      set.delete(listener)
      if (set.size === 0) this.#listeners.delete(kind)
    }
    this.#update()
  }

  #check (kind, listener, removing) {
    if (!KINDS.includes(kind)) throw this.#invalid('kind', `must be one of ${KINDS.join(', ')}, got ${JSON.stringify(kind)}`)
    if (!removing && typeof listener !== 'function') throw this.#invalid('listener', 'must be a function')
  }

  // The least severe level anyone listens at; the native observer is created on first need.
  #update () {
    let r = this.#loggerRank
    for (const kind of this.#listeners.keys()) r = Math.min(r, rank(KIND_LEVEL[kind]))
    if (r === this.#rank) return
    this.#rank = r
    if (r === OFF && !this.#observing) return
    if (typeof this.#native.observe !== 'function') return // an addon without events
    if (!this.#observing) {
      this.#observing = true
      this.#native.observe((event) => this.#dispatch(event), r)
    } else {
      this.#native.setLogLevel(r)
    }
  }

  #log (level, message, fields) {
    const logger = this.#logger
    if (!logger || rank(level) < this.#loggerRank) return
    const fn = (level === 'trace' && typeof logger.trace !== 'function') ? logger.debug : logger[level]
    try {
      if (objectFirst(logger)) fn.call(logger, fields, message)
      else fn.call(logger, message, fields)
    } catch (_) {
      // A logger that throws never breaks a call.
    }
  }

  #dispatch (event) {
    const fields = fieldsOf(event)
    this.#log(event.body !== undefined && event.body !== null ? 'trace' : event.level, event.message, fields)
    const set = this.#listeners.get(event.kind)
    if (!set) return
    for (const listener of [...set]) {
      try {
        const r = listener(event)
        if (r && typeof r.then === 'function') r.then(undefined, () => {})
      } catch (_) {
        // A listener that throws never breaks a call.
      }
    }
  }
}

module.exports = { Events, KINDS, LEVELS, envLevel }
