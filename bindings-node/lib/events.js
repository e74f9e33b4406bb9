'use strict'
// Logging and hooks: the core's events (one per attempt, retry, reconciliation, status-unknown
// and cancellation) reach a `logger` and `client.on(kind, fn)` listeners. The native side calls
// one threadsafe function per client, without blocking its I/O thread, and only once a logger
// or listener exists; its `enabled(level)` is one atomic load.

const native = require('./native.js')

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

// What a wrong value is: its type, never its content.
function typeOf (v) {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  const t = typeof v
  if (t === 'object') return 'an object'
  if (t === 'bigint') return 'a BigInt'
  if (t === 'symbol') return 'a Symbol'
  if (t === 'undefined') return 'undefined'
  return `a ${t}`
}

// The default logger (`DEBUG=qfpay` or `QFPAY_LOG`): one line per event on stderr.
const stderrLogger = Object.freeze(Object.fromEntries(LEVELS.map((level) => [level, (message, fields) => {
  process.stderr.write(`qfpay ${level} ${message}${fields ? ' ' + JSON.stringify(fields) : ''}\n`)
}])))

// `QFPAY_LOG`, read by the core's one rule (`qfpay::log_filter`, the same in every language):
// `LEVEL`, `TARGET=LEVEL` or `TARGET`, comma-separated. `null`: no logging from it.
let envFilter
function qfpayLog () {
  if (envFilter === undefined) {
    envFilter = null
    try {
      if (typeof native.envLogFilter === 'function') envFilter = native.envLogFilter() || null
    } catch (_) {
      envFilter = null
    }
  }
  return envFilter
}

// A `QFPAY_LOG` value that cannot be used turns logging off and is reported once per process,
// as a Node warning (code `QFPAY_LOG`; the message never quotes the value). Never throws.
function warnUnusableQfpayLog () {
  try {
    const warning = typeof native.takeEnvLogWarning === 'function' ? native.takeEnvLogWarning() : null
    if (warning) process.emitWarning(warning, { type: 'QfPayWarning', code: 'QFPAY_LOG' })
  } catch (_) {
    // A warning never breaks a call.
  }
}

// Whether `QFPAY_LOG` is set (to anything but blank): then it decides, and `DEBUG` is not read.
function qfpayLogSet (env) {
  return typeof env.QFPAY_LOG === 'string' && env.QFPAY_LOG.trim() !== ''
}

function debugQfpay (env) {
  const debug = String(env.DEBUG || '').split(/[\s,]+/)
  return debug.some((d) => d === 'qfpay' || d === 'qfpay:*' || d === '*')
}

/**
 * The logging the environment asks for: `{ level, filter }` (`filter`: the `QFPAY_LOG` filter,
 * or null for `DEBUG=qfpay`, which logs every event at debug), or undefined for none.
 */
function envLogging (env = process.env) {
  if (qfpayLogSet(env)) {
    const f = qfpayLog()
    return f ? { level: f.maxLevel, filter: f } : undefined
  }
  if (debugQfpay(env)) return { level: 'debug', filter: null }
  return undefined
}

/** The level the environment asks for (`QFPAY_LOG`'s most verbose, or debug for `DEBUG=qfpay`). */
function envLevel (env = process.env) {
  const l = envLogging(env)
  return l ? l.level : undefined
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
  // The `QFPAY_LOG` filter, when the logger's level came from it: events pass per kind (by
  // target), and bodies only where the target is logged at trace.
  #filter = null
  #listeners = new Map()
  #observing = false
  #rank = OFF

  constructor (native, options, invalid) {
    this.#native = native
    this.#invalid = invalid
    const { logger, logLevel } = options || {}
    if (logLevel !== undefined && parseLevel(logLevel) === undefined) {
      throw invalid('logLevel', `must be one of ${LEVELS.join(', ')}, got ${typeof logLevel === 'string' ? 'another string' : typeOf(logLevel)}`)
    }
    if (logger !== undefined && logger !== null) {
      if (typeof logger !== 'object' && typeof logger !== 'function') throw invalid('logger', `must be an object with debug, info, warn and error methods, got ${typeOf(logger)}`)
      for (const m of ['debug', 'info', 'warn', 'error']) {
        if (typeof logger[m] !== 'function') throw invalid('logger', `must have a ${m}() method`)
      }
    }
    warnUnusableQfpayLog()
    const explicit = parseLevel(logLevel) || (logger !== undefined && logger !== null ? parseLevel(logger.level) : undefined)
    const env = explicit ? undefined : envLogging()
    if (logger !== undefined && logger !== null) {
      this.#logger = logger
      this.#loggerRank = rank(explicit || (env && env.level) || 'info')
      if (env) this.#filter = env.filter
    } else if (explicit || env) {
      this.#logger = stderrLogger
      this.#loggerRank = rank(explicit || env.level)
      if (env) this.#filter = env.filter
    }
    this.#update()
  }

  /** Configuration warnings (e.g. QFPAY_ENV and QFPAY_BASE_URL disagree) to the logger. */
  warnConfig (warnings) {
    if (this.#filter && !this.#filter.configWarnings) return
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
    if (!KINDS.includes(kind)) throw this.#invalid('kind', `must be one of ${KINDS.join(', ')}, got ${typeof kind === 'string' ? 'another string' : typeOf(kind)}`)
    if (!removing && typeof listener !== 'function') throw this.#invalid('listener', `must be a function, got ${typeOf(listener)}`)
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

  #logEvent (event) {
    if (!this.#logger) return
    const filter = this.#filter
    if (filter && !filter.allowed[event.kind]) return
    const fields = fieldsOf(event)
    let level = event.level
    if (fields.body !== undefined) {
      if (filter && !filter.bodies[event.kind]) delete fields.body
      else level = 'trace'
    }
    this.#log(level, event.message, fields)
  }

  #dispatch (event) {
    this.#logEvent(event)
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

module.exports = { Events, KINDS, LEVELS, envLevel, envLogging }
