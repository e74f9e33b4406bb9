'use strict'
// Sandbox: the core's in-process QFPay simulator, for tests and demos.

module.exports = function (native, Client, call, rethrow, { prepare, invalid, typeOf, opaque }) {
  /** A local QFPay simulator on 127.0.0.1 (a free port). Start with `await Sandbox.start()`. */
  class Sandbox {
    #native
    #stopped = false

    constructor (handle) {
      this.#native = handle
      const merchants = handle.merchants()
      /** `http://127.0.0.1:<port>`. */
      this.baseUrl = handle.baseUrl
      /** The port. */
      this.port = handle.port
      /** Every configured merchant `{ appCode, clientKey, mchid?, notifyUrl? }`. */
      this.merchants = merchants
      /** The first merchant's app code. */
      this.appCode = merchants[0].appCode
      /** The first merchant's client key. */
      this.clientKey = merchants[0].clientKey
      /** The first merchant's mchid, if any. */
      this.mchid = merchants[0].mchid
    }

    /**
     * Starts a sandbox: `{ merchants?, rateLimit?, notifyTimeScale?, pendingQueries?,
     * slowResponseMs? }`.
     */
    static async start (options) {
      const opts = prepare(options)
      const handle = call(() => native.startSandbox(opts))
      return new Sandbox(handle)
    }

    /** A Client for the first merchant (or `options.merchant`), with any other Client options. */
    client (options = {}) {
      if (options === null || typeof options !== 'object' || Array.isArray(options) || opaque(options)) {
        throw invalid('options', `must be an object (the client options), got ${typeOf(options)}`)
      }
      const { merchant, ...rest } = options
      const m = merchant || this.merchants[0]
      return new Client({
        baseUrl: this.baseUrl,
        appCode: m.appCode,
        clientKey: m.clientKey,
        ...(m.mchid ? { mchid: m.mchid } : {}),
        ...rest
      })
    }

    /** The customer scans/pays the order (by syssn or out_trade_no); returns the record. */
    pay (syssnOrOutTradeNo) {
      if (typeof syssnOrOutTradeNo !== 'string') throw invalid('syssn', `must be a syssn or out_trade_no (a string), got ${typeOf(syssnOrOutTradeNo)}`)
      return call(() => this.#native.pay(syssnOrOutTradeNo))
    }

    /** Faults for the next `count` API requests: `{ kind, count?, ms?, status?, body? }`. */
    injectFault (fault) {
      if (fault === null || typeof fault !== 'object' || Array.isArray(fault) || opaque(fault)) {
        throw invalid('fault', `must be an object { kind, count?, ms?, status?, body? }, got ${typeOf(fault)}`)
      }
      const f = prepare(fault)
      call(() => this.#native.injectFault(f))
    }

    /** The request log, oldest first. */
    requests () {
      return call(() => this.#native.requests())
    }

    /** API requests received since start or reset. */
    requestCount () {
      return call(() => this.#native.requestCount())
    }

    /** Notification deliveries and their attempts. */
    notifications () {
      return call(() => this.#native.notifications())
    }

    /** Every payment and refund the sandbox holds `{ kind, outTradeNo, syssn, txamt, txcurrcd, state, origSyssn, ... }`. */
    orders () {
      const camel = (k) => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())
      return call(() => this.#native.orders()).map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), v])))
    }

    /** Moves the sandbox clock forward by `seconds` (to expire orders without waiting). */
    advanceClock (seconds) {
      if (typeof seconds !== 'number') throw invalid('seconds', `must be a whole number of seconds, got ${typeOf(seconds)}`)
      call(() => this.#native.advanceClock(seconds))
    }

    /** Forgets orders, the log, faults, notifications and clock changes. */
    reset () {
      call(() => this.#native.reset())
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
  }
  return { Sandbox }
}
