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

// The default logger (`DEBUG=qfpay` or `QFPAY_LOG`): one line per event on stderr.
const stderrLogger = Object.freeze(Object.fromEntries(LEVELS.map((level) => [level, (message, fields) => {
  process.stderr.write(`qfpay ${level} ${message}${fields ? ' ' + JSON.stringify(fields) : ''}\n`)
}])))

// The logging the environment asks for: `{ level, filter }`, or undefined for none. A
// `QFPAY_LOG` set to anything but blank decides, by the core's one rule (`qfpay::log_filter`,
// the same in every language; `filter` says per kind what passes, null turns logging off);
// else `DEBUG=qfpay` logs every event at debug (`filter` null).
function envLogging (env = process.env) {
  if (typeof env.QFPAY_LOG === 'string' && env.QFPAY_LOG.trim() !== '') {
    const { filter } = native.envLog()
    return filter ? { level: filter.maxLevel, filter } : undefined
  }
  const debug = String(env.DEBUG || '').split(/[\s,]+/)
  return debug.some((d) => d === 'qfpay' || d === 'qfpay:*' || d === '*') ? { level: 'debug', filter: null } : undefined
}


/**
 * The events of one client: its logger and listeners. `nativeClient` is the NativeClient; `invalid`
 * makes a ValidationError, `typeOf` names a wrong value's type.
 */
class Events {
  #native
  #invalid
  #typeOf
  #logger
  #loggerRank = OFF
  // The `QFPAY_LOG` filter, when the logger's level came from it: events pass per kind (by
  // target), and bodies only where the target is logged at trace.
  #filter = null
  #listeners = new Map()
  #observing = false
  #rank = OFF

  constructor (nativeClient, options, invalid, typeOf) {
    this.#native = nativeClient
    this.#invalid = invalid
    this.#typeOf = typeOf
    const { logger, logLevel } = options || {}
    const hasLogger = logger !== undefined && logger !== null
    if (logLevel !== undefined && parseLevel(logLevel) === undefined) {
      throw invalid('logLevel', `must be one of ${LEVELS.join(', ')}, got ${typeof logLevel === 'string' ? 'another string' : typeOf(logLevel)}`)
    }
    if (hasLogger) {
      if (typeof logger !== 'object' && typeof logger !== 'function') throw invalid('logger', `must be an object with debug, info, warn and error methods, got ${typeOf(logger)}`)
      for (const m of ['debug', 'info', 'warn', 'error']) {
        if (typeof logger[m] !== 'function') throw invalid('logger', `must have a ${m}() method`)
      }
    }
    // A `QFPAY_LOG` that cannot be used turns logging off and is reported once per process, as
    // a Node warning (the message never quotes the value).
    const { warning } = native.envLog()
    if (warning) process.emitWarning(warning, { type: 'QfPayWarning', code: 'QFPAY_LOG' })
    const explicit = parseLevel(logLevel) || (hasLogger ? parseLevel(logger.level) : undefined)
    const env = explicit ? undefined : envLogging()
    if (hasLogger || explicit || env) {
      this.#logger = hasLogger ? logger : stderrLogger
      this.#loggerRank = rank(explicit || env?.level || 'info')
      this.#filter = env ? env.filter : null
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
    if (!KINDS.includes(kind)) throw this.#invalid('kind', `must be one of ${KINDS.join(', ')}, got ${typeof kind === 'string' ? 'another string' : this.#typeOf(kind)}`)
    if (!removing && typeof listener !== 'function') throw this.#invalid('listener', `must be a function, got ${this.#typeOf(listener)}`)
  }

  // The least severe level anyone listens at; the native observer is created on first need.
  #update () {
    let r = this.#loggerRank
    for (const kind of this.#listeners.keys()) r = Math.min(r, rank(KIND_LEVEL[kind]))
    if (r === this.#rank) return
    this.#rank = r
    if (r === OFF && !this.#observing) return
    if (!this.#observing) {
      this.#observing = true
      this.#native.observe((json) => this.#dispatch(JSON.parse(json)), r)
    } else {
      this.#native.observe(null, r)
    }
  }

  #log (level, message, fields) {
    const logger = this.#logger
    if (!logger || rank(level) < this.#loggerRank) return
    const fn = (level === 'trace' && typeof logger.trace !== 'function') ? logger.debug : logger[level]
    try {
      // pino and pino-like loggers take (fields, message); console-like ones (message, fields).
      if (typeof logger.child === 'function' && typeof logger.bindings === 'function') fn.call(logger, fields, message)
      else fn.call(logger, message, fields)
    } catch (_) {
      // A logger that throws never breaks a call.
    }
  }

  #logEvent (event) {
    if (!this.#logger) return
    // The event's fields beside its kind, level and message (absent ones are left out natively).
    let { kind, level, message, ...fields } = event
    const filter = this.#filter
    if (filter && !filter.allowed[kind]) return
    if (fields.body !== undefined) {
      if (filter && !filter.bodies[kind]) delete fields.body
      else level = 'trace'
    }
    this.#log(level, message, fields)
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

module.exports = { Events }
