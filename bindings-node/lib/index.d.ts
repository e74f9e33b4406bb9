// Public types of the `qfpay` package: hand-written here (the client's constructor, properties
// and events, logging and the sandbox); the client's operations, the module's functions and
// constants, results, options, requests, events and errors generated from the core's surface
// into ./surface.d.ts and re-exported (the native addon's own generated `index.d.ts` types the
// internal `Native*` classes). Every member carries TSDoc, and every function and method says
// what it throws: tests/docs.test.js counts the undocumented ones in both files.

import type {
  CallOptions, ClientOperations, ClientOptions, Currency, EventKind, QfPayEvent,
  QueryPage, QueryRequest, Raw, SandboxOptions, Transaction, TransactionState
} from './surface'

export * from './surface'

/** A six-digit pay type code, e.g. `'800201'` (WeChat QR). */
export type PayType = string

/**
 * Log levels, most verbose first. `QFPAY_LOG` (the environment variable every qfpay SDK reads
 * by one rule) takes these names, alone or per target: `debug`, `qfpay=debug`,
 * `qfpay::http=trace,qfpay::reconcile=warn`; a value it cannot use turns logging off with one
 * Node warning (code `QFPAY_LOG`), never an error.
 */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error'

/**
 * Where the client logs: any object with `debug`/`info`/`warn`/`error` (and optionally
 * `trace`), such as `console` or a pino logger. Console-style loggers are called as
 * `logger.warn(message, fields)`; pino-style ones (with `child` and `bindings`) as
 * `logger.warn(fields, message)`.
 */
export interface Logger {
  /**
   * Most verbose: request and answer bodies (falls back to `debug`).
   * @throws nothing the SDK relies on: an error thrown here is caught and ignored.
   */
  trace?(...args: unknown[]): void
  /**
   * Each request and answer.
   * @throws nothing the SDK relies on: an error thrown here is caught and ignored.
   */
  debug(...args: unknown[]): void
  /**
   * Retries.
   * @throws nothing the SDK relies on: an error thrown here is caught and ignored.
   */
  info(...args: unknown[]): void
  /**
   * Reconciliation, status unknown, cancellation after sending, configuration warnings.
   * @throws nothing the SDK relies on: an error thrown here is caught and ignored.
   */
  warn(...args: unknown[]): void
  /**
   * Failures the SDK cannot report through a result.
   * @throws nothing the SDK relies on: an error thrown here is caught and ignored.
   */
  error(...args: unknown[]): void
}

/** The pages of a query; `items()` iterates the transactions across pages. */
export interface QueryPages extends AsyncIterableIterator<QueryPage> {
  /**
   * The transactions of every page, one at a time.
   * @throws {QfPayError} as `query` does, when a page cannot be fetched.
   */
  items(): AsyncIterableIterator<Transaction>
}

/**
 * Every transaction of a period (`client.transactions(...)`), one at a time: `for await (const t
 * of client.transactions({ startTime, endTime }))`. Each month window is fetched a page of 100 at
 * a time, on the core's runtime, when the previous page has been read: only one page is held.
 */
export interface Transactions extends AsyncIterableIterator<Transaction> {}

/** A QFPay client; every operation that talks to QFPay ({@link ClientOperations}) returns a Promise and never blocks the event loop; those that only build a signed link return at once. */
export declare class Client {
  /**
   * A client from options. One client holds one connection pool: create it once and share it.
   * @throws {ConfigError} when credentials are missing or an option breaks a rule (`.field` names it:
   *   `appCode`, `timeoutMs`, ...; the message is `configuration error: <option> <rule>`).
   * @throws {ValidationError} when an option is unknown, has the wrong type or an impossible value
   *   (`.field` names it as written).
   */
  constructor(options: ClientOptions)
  /**
   * A client from `QFPAY_APP_CODE`, `QFPAY_CLIENT_KEY`, `QFPAY_ENV` / `QFPAY_BASE_URL`,
   * `QFPAY_MCHID`, `QFPAY_SIGN_TYPE`, `QFPAY_PROXY`, then `overrides` (any subset, e.g. only `clientKey`).
   * @throws {ConfigError} when the environment and overrides leave credentials missing, or a value is invalid.
   * @throws {ValidationError} when an override has the wrong type.
   */
  static fromEnv(overrides?: ClientOptions): Client
  /** The base URL requests go to. */
  readonly baseUrl: string
  /** The User-Agent sent. */
  readonly userAgent: string
  /** The app code (`X-QF-APPCODE`). */
  readonly appCode: string
  /** The default `mchid`, if any. */
  readonly mchid?: string
  /**
   * Every transaction a query finds, across pages: `for await (const t of client.queryItems(...))`.
   * @throws {ValidationError} at once, for a bad request; iteration may reject as {@link Client.query}.
   */
  queryItems(request?: QueryRequest, options?: CallOptions): AsyncIterableIterator<Transaction>
  /**
   * Calls `listener` for each event of `kind` (on the event loop, never blocking the call; a
   * listener that throws is ignored).
   * @throws {ValidationError} when `kind` is not an {@link EventKind} or `listener` not a function.
   */
  on(kind: EventKind, listener: (event: QfPayEvent) => void): this
  /**
   * Removes a listener added with {@link Client.on}.
   * @throws {ValidationError} when `kind` is not an {@link EventKind}.
   */
  off(kind: EventKind, listener: (event: QfPayEvent) => void): this
}

/** The operations of the client, declared from the core's table of operations (./surface.d.ts). */
export interface Client extends ClientOperations {}

/** The raw body of a notification request: exactly the bytes received. */
export type RawBody = Buffer | Uint8Array | ArrayBuffer | string

/**
 * The string to sign with the key shown as `<client_key>`, to debug a 1108.
 * @throws {ValidationError} when a value is not a string or whole number.
 */
export declare function debugStringToSign(params: Record<string, string | number>): string

/** A merchant the sandbox knows. */
export interface SandboxMerchant {
  /** Its app code. */
  appCode: string
  /** Its client key. */
  clientKey: string
  /** Its mchid (agents). */
  mchid?: string
  /** Where its notifications go by default. */
  notifyUrl?: string
}

/** A fault for the next API requests. */
export interface SandboxFault {
  /** What goes wrong. */
  kind: 'delay' | 'drop' | 'http_status' | 'malformed' | 'canned'
  /** How many API requests (default 1). */
  count?: number
  /** Delay in milliseconds (`delay`). */
  ms?: number
  /** HTTP status (`http_status`, `canned`). */
  status?: number
  /** Body (`canned`). */
  body?: string
}

/** An order the sandbox holds (`sandbox.orders()`). */
export interface SandboxOrder {
  /** `'payment'` or `'refund'`. */
  kind: 'payment' | 'refund'
  /** Merchant order number. */
  outTradeNo: string
  /** Transaction number. */
  syssn: string
  /** Amount in minor units. */
  txamt: number
  /** Currency code. */
  txcurrcd: Currency
  /** What a query would say. */
  state: TransactionState
  /** The original payment (refunds), else null. */
  origSyssn: string | null
  /** Other fields the sandbox keeps (`payType`, `refunded`, `appCode`, `sysdtm`). */
  [field: string]: unknown
}

/**
 * An in-process QFPay simulator on 127.0.0.1. Amounts 1001–1007 trigger scenarios (paid,
 * pending, declined, pending on create, slow, server error, rate limited).
 */
export declare class Sandbox {
  /**
   * Starts a sandbox.
   * @throws {ConfigError} when an option breaks a rule (`.field`: `port`, `merchants`, `rateLimit`) or the server cannot start.
   * @throws {ValidationError} when an option is unknown or has the wrong type.
   */
  static start(options?: SandboxOptions): Promise<Sandbox>
  /** `http://127.0.0.1:<port>`. */
  readonly baseUrl: string
  /** The port. */
  readonly port: number
  /** The first merchant's app code. */
  readonly appCode: string
  /** The first merchant's client key. */
  readonly clientKey: string
  /** The first merchant's mchid, if any. */
  readonly mchid?: string
  /** Every merchant. */
  readonly merchants: SandboxMerchant[]
  /**
   * A Client for the first merchant (or `merchant`), with any other Client options.
   * @throws {ConfigError | ValidationError} as the Client constructor.
   */
  client(options?: ClientOptions & { merchant?: SandboxMerchant }): Client
  /**
   * The customer pays (by syssn or out_trade_no); returns the order record.
   * @throws {ValidationError} when the argument is not a string, there is no such order or it cannot be paid.
   */
  pay(syssnOrOutTradeNo: string): Raw
  /**
   * Faults for the next API requests.
   * @throws {ValidationError} for an unknown fault or one that is not an object.
   */
  injectFault(fault: SandboxFault): void
  /**
   * The request log, oldest first.
   * @throws {ConfigError} after `stop()`.
   */
  requests(): Raw[]
  /**
   * API requests received since start or reset.
   * @throws {ConfigError} after `stop()`.
   */
  requestCount(): number
  /**
   * Notification deliveries and their attempts.
   * @throws {ConfigError} after `stop()`.
   */
  notifications(): Raw[]
  /**
   * Every payment and refund the sandbox holds (to check a run against: doubled, lost, wrong).
   * @throws {ConfigError} after `stop()`.
   */
  orders(): SandboxOrder[]
  /**
   * Moves the sandbox clock forward (to expire orders without waiting).
   * @throws {ValidationError} when `seconds` is not a whole number (of type number) or moves the clock too far.
   */
  advanceClock(seconds: number): void
  /**
   * Forgets orders, the log, faults, notifications and clock changes.
   * @throws {ConfigError} after `stop()`.
   */
  reset(): void
  /**
   * Stops the server (idempotent).
   * @throws never.
   */
  stop(): Promise<void>
}
