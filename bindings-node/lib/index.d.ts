// Public types of the `qfpay` package: hand-written here (the client, functions, logging and
// the sandbox), the results, options, requests and errors generated from the core's surface
// into ./surface.d.ts and re-exported (the native addon's own generated `index.d.ts` types the
// internal `Native*` classes). Every member carries TSDoc, and every function and method says
// what it throws: tests/docs.test.js counts the undocumented ones in both files.

import type {
  CallOptions, CancelRequest, Cancellation, ClientOptions, Currency, Notification, Payment,
  PaymentRequest, QueryPage, QueryRequest, Raw, Refund, RefundRequest, SandboxOptions,
  Transaction, TransactionState, WaitOptions, WechatQrRequest
} from './surface'

export * from './surface'

/** A six-digit pay type code, e.g. `'800201'` (WeChat QR). */
export type PayType = string

/** The kinds of events a client emits (`client.on(kind, fn)`). */
export type EventKind = 'request' | 'response' | 'retry' | 'reconcile' | 'status_unknown' | 'cancelled'

/**
 * Log levels, most verbose first. `QFPAY_LOG` (the environment variable every qfpay SDK reads
 * by one rule) takes these names, alone or per target: `debug`, `qfpay=debug`,
 * `qfpay::http=trace,qfpay::reconcile=warn`; a value it cannot use turns logging off with one
 * Node warning (code `QFPAY_LOG`), never an error.
 */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error'

/**
 * One event of a call: per HTTP attempt (`request`, `response`, level debug), per retry
 * (`retry`, info), and per reconciliation, status-unknown or cancellation decision (warn). Never
 * holds the client key; `body` only at level `trace`, with `auth_code` masked.
 */
export interface QfPayEvent {
  /** What happened. */
  kind: EventKind
  /** How verbose it is. */
  level: LogLevel
  /** The endpoint path, e.g. `'/trade/v1/payment'`. */
  endpoint: string
  /** The attempt number, from 1. */
  attempt: number
  /** The merchant order number the call is about, when known. */
  outTradeNo?: string
  /** Milliseconds since the call started. */
  elapsedMs: number
  /** The HTTP status of the answer, when there was one. */
  httpStatus?: number
  /** QFPay's `respcd`, when the answer had one. */
  respcd?: string
  /** What the SDK decided: `done`, `retry`, `reconcile`, `fail` or `status_unknown`. */
  decision?: string
  /** Why (an error, a delay, a state). */
  reason?: string
  /** The request or answer body (level `trace` only; `auth_code` masked). */
  body?: string
  /** A one-line description. */
  message: string
}

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

/** A QFPay client; every operation returns a Promise and never blocks the event loop. */
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
   * Creates a payment of any pay type (`/trade/v1/payment`).
   * @throws {ValidationError} a field broke a rule; nothing was sent.
   * @throws {DeclinedError} and other {@link ApiError}s with QFPay's answer; `.outTradeNo` names the order.
   * @throws {DuplicateOrderError} the order number was used before; `.existing` is that transaction.
   * @throws {StatusUnknownError} the outcome is unknown: query `.outTradeNo`, never pay again under a new number.
   * @throws {RateLimitedError | NetworkError} not processed (see `.sent`).
   * @throws {DOMException} named `AbortError` when `options.signal` aborts.
   */
  createPayment(request: PaymentRequest, options?: CallOptions): Promise<Payment>
  /**
   * Creates a WeChat QR payment (800201): show `qrcode` to the customer.
   * @throws {QfPayError} as {@link Client.createPayment}; {@link DOMException} `AbortError` on abort.
   */
  wechatQr(request: WechatQrRequest, options?: CallOptions): Promise<Payment>
  /**
   * Queries one page of transactions (`/trade/v1/query`).
   * @throws {ValidationError} a field broke a rule.
   * @throws {ApiError | NetworkError | RequestTimeoutError | RateLimitedError} the query failed.
   * @throws {DOMException} `AbortError` on abort.
   */
  query(request?: QueryRequest, options?: CallOptions): Promise<QueryPage>
  /**
   * Every page of a query, fetched one at a time; `.items()` iterates transactions.
   * @throws {ValidationError} at once, for a bad request; each page may reject as {@link Client.query}.
   */
  queryPages(request?: QueryRequest, options?: CallOptions): QueryPages
  /**
   * Every transaction a query finds, across pages: `for await (const t of client.queryItems(...))`.
   * @throws {ValidationError} at once, for a bad request; iteration may reject as {@link Client.query}.
   */
  queryItems(request?: QueryRequest, options?: CallOptions): AsyncIterableIterator<Transaction>
  /**
   * The payment with merchant order number `outTradeNo`, or `null` when QFPay has none.
   * @throws {ValidationError} when `outTradeNo` is not a non-empty string.
   * @throws {ApiError | NetworkError | RequestTimeoutError} the query failed; {@link DOMException} `AbortError` on abort.
   */
  findPayment(outTradeNo: string, options?: CallOptions): Promise<Transaction | null>
  /**
   * Refunds a paid transaction, fully or partly (`/trade/v1/refund`).
   * @throws {ValidationError} a field broke a rule; nothing was sent.
   * @throws {RefundRejectedError} and other {@link ApiError}s; `.outTradeNo` names the refund.
   * @throws {StatusUnknownError} the outcome is unknown: query `.outTradeNo`.
   * @throws {DOMException} `AbortError` on abort.
   */
  refund(request: RefundRequest, options?: CallOptions): Promise<Refund>
  /**
   * Closes an unpaid order (`/trade/v1/close`).
   * @throws {OrderStateError} and other {@link ApiError}s (e.g. already closed or paid).
   * @throws {ValidationError | StatusUnknownError | NetworkError} as {@link Client.createPayment}; `AbortError` on abort.
   */
  close(request: CancelRequest, options?: CallOptions): Promise<Cancellation>
  /**
   * Reverses an unfinished transaction (`/trade/v1/reversal`); confirm with a query.
   * @throws {ApiError | ValidationError | StatusUnknownError | NetworkError} as {@link Client.close}; `AbortError` on abort.
   */
  reverse(request: CancelRequest, options?: CallOptions): Promise<Cancellation>
  /**
   * Polls until the payment is paid (resolves) or fails (rejects).
   * @throws {StatusUnknownError} when `timeoutMs` passes (after one last query at the deadline).
   * @throws {DeclinedError} when the payment failed or was cancelled.
   * @throws {ValidationError} for a bad order number or option; {@link DOMException} `AbortError` on abort.
   */
  waitForPayment(outTradeNo: string, options?: WaitOptions): Promise<Transaction>
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

/** The raw body of a notification request: exactly the bytes received. */
export type RawBody = Buffer | Uint8Array | ArrayBuffer | string

/**
 * Verifies `X-QF-SIGN` over the raw body and returns the notification.
 * @throws {SignatureError} when the signature is missing, empty or does not match (answer 4xx; do not trust the body).
 * @throws {ValidationError} when given a parsed object instead of the raw body (`field` `rawBody`), or
 *   `signature` or `clientKey` is not a string (`field` names the argument).
 * @throws {DecodeError} when the signed body is not a notification.
 * @throws {ConfigError} when `clientKey` is empty.
 */
export declare function verifyNotification(rawBody: RawBody, signature: string | string[] | null | undefined, clientKey: string): Notification
/**
 * The `X-QF-SIGN` QFPay would send for a body.
 * @throws {ValidationError} when `rawBody` is not raw bytes or a string, or `clientKey` not a string.
 */
export declare function notificationSignature(rawBody: RawBody, clientKey: string): string
/**
 * The request signature of `params` (uppercase hex).
 * @throws {ValidationError} when a value is not a string or whole number, `key` is not a
 *   string, or `signType` is not `'md5'` or `'sha256'` (the value is never quoted).
 */
export declare function sign(params: Record<string, string | number>, key: string, signType?: 'md5' | 'sha256'): string
/**
 * The string that is signed, before the key is appended.
 * @throws {ValidationError} when a value is not a string or whole number.
 */
export declare function stringToSign(params: Record<string, string | number>): string
/**
 * The string to sign with the key shown as `<client_key>`, to debug a 1108.
 * @throws {ValidationError} when a value is not a string or whole number.
 */
export declare function debugStringToSign(params: Record<string, string | number>): string
/** QR code rendering of a payment's `qrcode`. */
export declare const qr: {
  /**
   * An SVG image.
   * @throws {ValidationError} when `content` is not a string, or empty or too long for a QR code.
   */
  svg(content: string): string
  /**
   * A PNG image, `scale` pixels per module (a whole number from 1 to 100; default 8).
   * @throws {ValidationError} when `content` is not a string, or empty or too long for a QR
   *   code, or `scale` is not a whole number from 1 to 100.
   */
  png(content: string, scale?: number): Buffer
  /**
   * A `data:image/png;base64,...` URL.
   * @throws {ValidationError} when `content` is not a string, or empty or too long for a QR code.
   */
  dataUrl(content: string): string
  /**
   * Unicode text for a terminal.
   * @throws {ValidationError} when `content` is not a string, or empty or too long for a QR code.
   */
  terminal(content: string): string
}
/**
 * A fresh merchant order number (34 URL-safe characters, from the OS random source). Generate
 * and store it before calling, so an aborted or unknown call can still be found.
 * @throws never.
 */
export declare function generateOutTradeNo(): string
/**
 * The body a notification receiver answers with (HTTP 200): `'SUCCESS'`. Without it QFPay
 * sends the notification again.
 */
export declare const NOTIFICATION_ACK: string
/** This package's version. */
export declare const VERSION: string
/** The Rust core's version. */
export declare const CORE_VERSION: string
/** The default sandbox merchant's app code. */
export declare const SANDBOX_APP_CODE: string
/** The default sandbox merchant's client key. */
export declare const SANDBOX_CLIENT_KEY: string

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
