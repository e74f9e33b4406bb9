// Public types of the `qfpay` package (hand-written; the native addon's own generated
// `index.d.ts` types the internal `Native*` classes). Every member carries TSDoc, and every
// function and method says what it throws: tests/docs.test.js counts the undocumented ones.

/** ISO 4217 currency codes QFPay documents. */
export type Currency =
  | 'AED' | 'CNY' | 'EUR' | 'HKD' | 'IDR' | 'JPY' | 'MMK' | 'MYR' | 'SGD' | 'THB' | 'USD' | 'CAD' | 'AUD'

/** A six-digit pay type code, e.g. `'800201'` (WeChat QR). */
export type PayType = string

/** Where a transaction stands. */
export type TransactionState =
  | 'succeeded' | 'pending' | 'failed' | 'refunded' | 'partially_refunded' | 'cancelled'

/** Every field QFPay sent, exactly as sent (QFPay's snake_case names, amounts as strings). */
export type Raw = Record<string, unknown>

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

/** Client options (all optional; `Client.fromEnv` fills the rest from the environment). */
export interface ClientOptions {
  /** `X-QF-APPCODE`. */
  appCode?: string
  /** The signing key. Never logged. */
  clientKey?: string
  /**
   * `'live_test'` (default; aliases `'livetest'`, `'test'`), `'production'` (alias `'prod'`) or
   * `'card_sandbox'` (QFPay's remote card-simulation host). The local sandbox is a base URL:
   * `sandbox.client()` or `baseUrl: sandbox.baseUrl`.
   */
  environment?: 'live_test' | 'production' | 'card_sandbox' | (string & {})
  /** Any base URL (overrides `environment`), e.g. a local `Sandbox`'s `baseUrl`. */
  baseUrl?: string
  /** Default `mchid` for every request (agents). */
  mchid?: string
  /** `'md5'` (default) or `'sha256'`. */
  signType?: 'md5' | 'sha256'
  /** Deadline for a whole call, retries included, in milliseconds (default 30 000). */
  timeoutMs?: number
  /** Time allowed to connect, in milliseconds (default 5 000). */
  connectTimeoutMs?: number
  /** Retries of requests QFPay cannot have processed (default 2). */
  maxRetries?: number
  /** How long to query for the outcome of a money-moving call that became unknown (default 15 000). */
  reconcileTimeoutMs?: number
  /** First retry delay in milliseconds (default 500). */
  retryBaseDelayMs?: number
  /** Largest retry delay in milliseconds (default 5 000). */
  retryMaxDelayMs?: number
  /** UTC offset of the `txdtm` clock in seconds (default +8 h). */
  utcOffsetSeconds?: number
  /** An HTTP(S) proxy URL, or `'none'` for direct (default: `QFPAY_PROXY`, `HTTPS_PROXY`, ...). */
  proxy?: string
  /**
   * A logger for the client's events and configuration warnings (default: none, unless
   * `QFPAY_LOG` holds a filter such as `qfpay=debug`, or `DEBUG=qfpay`: then one line per event on stderr).
   */
  logger?: Logger
  /**
   * The least severe level logged (default: the logger's own `level` if it has one, else
   * `QFPAY_LOG`'s filter, per target, else `'info'`).
   */
  logLevel?: LogLevel
}

/** Per-call options. */
export interface CallOptions {
  /** This call's deadline in milliseconds. */
  timeoutMs?: number
  /** This call's retries. */
  maxRetries?: number
  /**
   * Aborts the call: it rejects at once with a `DOMException` named `'AbortError'` (its `cause`
   * is the signal's reason; `outTradeNo` names the order of a money-moving call), and the
   * request in flight is dropped. A payment already sent may still exist: query its order
   * number (generate and store it first with `generateOutTradeNo()`).
   */
  signal?: AbortSignal
}

/** Real-name verification (WeChat, mainland residents), or a JSON object string sent as given. */
export type ExtendInfo = {
  /** The customer's ID card number (18 characters, GB 11643). */
  userCreid: string
  /** The customer's real name. */
  userTruename: string
} | string

/** Fields every payment request may carry. */
interface PaymentFields {
  /** Merchant order number; generated when absent (generate and store it first to survive an abort). */
  outTradeNo?: string
  /** Request time `YYYY-MM-DD hh:mm:ss`; now when absent. */
  txdtm?: string
  /** The customer's code (CPM pay types only). */
  authCode?: string
  /** Minutes until the QR code expires, 5 to 120 (MPM only). */
  expiredTime?: number
  /** At most 64 characters. */
  goodsName?: string
  /** Goods details. */
  goodsInfo?: string
  /** Sub-merchant id (agents). */
  mchid?: string
  /** Device id. */
  udid?: string
  /** Where QFPay sends the notification. */
  notifyUrl?: string
  /** Where the payment page returns to (online pay types). */
  returnUrl?: string
  /** `'Y'`, with CNY only. */
  rmbTag?: 'Y'
  /** Real-name verification. */
  extendInfo?: ExtendInfo
  /** `'no_credit'` refuses credit cards. */
  limitPay?: 'no_credit'
  /** Alipay wallet choice. */
  payTag?: 'ALIPAYHK' | 'ALIPAYCN'
  /** The customer's WeChat sub-openid (JSAPI). */
  subOpenid?: string
}

/** A payment of any pay type. */
export interface PaymentRequest extends PaymentFields {
  /** Minor units (cents; yen for JPY): 300 is HK$3.00. A whole number; never rounded. */
  amount: number
  /** The currency of `amount`. */
  currency: Currency
  /** The pay type code. */
  payType: PayType
}

/** A WeChat QR payment (800201). */
export interface WechatQrRequest extends PaymentFields {
  /** Minor units: 300 is HK$3.00. */
  amount: number
  /** Default `'HKD'`. */
  currency?: Currency
}

/** A query of transactions. */
export interface QueryRequest {
  /** QFPay transaction numbers. */
  syssn?: string | string[]
  /** Merchant order numbers. */
  outTradeNo?: string | string[]
  /** Pay type codes. */
  payType?: PayType | PayType[]
  /** Only transactions with this status code. */
  respcd?: string
  /** `YYYY-MM-DD hh:mm:ss`, same calendar month as `endTime`. */
  startTime?: string
  /** `YYYY-MM-DD hh:mm:ss`. */
  endTime?: string
  /** Page number, from 1. */
  page?: number
  /** 1 to 100. */
  pageSize?: number
  /** Sub-merchant id (agents). */
  mchid?: string
}

/** A refund of a paid transaction. */
export interface RefundRequest {
  /** The original payment's `syssn`. */
  syssn: string
  /** Minor units to refund. */
  amount: number
  /** The payment's currency. */
  currency: Currency
  /** The refund's own, new merchant number; generated when absent. */
  outTradeNo?: string
  /** Request time; now when absent. */
  txdtm?: string
  /** Sub-merchant id (agents). */
  mchid?: string
  /** Device id. */
  udid?: string
}

/** A close or reversal of an order. */
export interface CancelRequest {
  /** `syssn` or `outTradeNo` is required. */
  syssn?: string
  /** The order's merchant number. */
  outTradeNo?: string
  /** The original amount in minor units. */
  amount: number
  /** The order's currency. */
  currency: Currency
  /** Request time; now when absent. */
  txdtm?: string
  /** Sub-merchant id (agents). */
  mchid?: string
  /** Device id. */
  udid?: string
}

/** How `waitForPayment` polls (defaults from the core's `Wait::default()`). */
export interface WaitOptions {
  /** Give up after this long (default 120 000 ms) with StatusUnknownError; one last query is made at the deadline. */
  timeoutMs?: number
  /** First interval between queries (default 1 000 ms). */
  intervalMs?: number
  /** Largest interval (default 5 000 ms). */
  maxIntervalMs?: number
  /** Stops waiting: rejects with an AbortError. */
  signal?: AbortSignal
}

/** QFPay's answer to a payment. */
export interface Payment {
  /** QFPay's transaction number. */
  syssn: string
  /** The merchant order number (generated when not given). */
  outTradeNo: string
  /** The pay type code. */
  payType: PayType
  /** Amount in minor units. */
  txamt: number
  /** Currency code. */
  txcurrcd: Currency
  /** Request time. */
  txdtm: string
  /** QFPay's system time. */
  sysdtm: string
  /** Payment time (CPM), when paid. */
  paydtm: string
  /** What the customer scans (MPM pay types such as 800201). */
  qrcode?: string
  /** The payment page URL (online pay types). */
  payUrl?: string
  /** The wallet's transaction number. */
  chnlsn: string
  /** Card number (masked), when sent. */
  cardcd: string
  /** Device id. */
  udid: string
  /** `'0000'`. */
  respcd: string
  /** QFPay's `resperr`. */
  resperr: string
  /** QFPay's `respmsg`. */
  respmsg: string
  /** Every field QFPay sent. */
  raw: Raw
}

/** One transaction record from a query. */
export interface Transaction {
  /** QFPay's transaction number. */
  syssn: string
  /** Merchant order number. */
  outTradeNo: string
  /** `'payment'` or `'refund'`. */
  orderType: string
  /** The original payment's `syssn` (refund records). */
  origssn?: string
  /** Pay type code. */
  payType: PayType
  /** Amount in minor units. */
  txamt: number
  /** Currency code. */
  txcurrcd: Currency
  /** Request time. */
  txdtm: string
  /** System time. */
  sysdtm: string
  /** Payment time. */
  paydtm: string
  /** The transaction's own status code. */
  respcd: string
  /** Status text. */
  errmsg: string
  /** Cancellation status (`0` none, `1`/`2` cancelled, `3` refunded, `5` partly refunded). */
  cancel: string
  /** Goods description. */
  goodsName: string
  /** The wallet's transaction number. */
  chnlsn: string
  /** Where it stands. */
  state: TransactionState
  /**
   * Whether the customer's money was taken: `true` for `succeeded`, `refunded` and
   * `partially_refunded` (paid, possibly refunded since). Computed by the core.
   */
  isPaid: boolean
  /** Whether this record is a refund (`orderType === 'refund'`). Computed by the core. */
  isRefund: boolean
  /** Every field QFPay sent. */
  raw: Raw
}

/** One page of query results. */
export interface QueryPage {
  /** The page number. */
  page: number
  /** The page size. */
  pageSize: number
  /** The records on this page. */
  data: Transaction[]
  /** Every field of the envelope QFPay sent. */
  raw: Raw
}

/** The pages of a query; `items()` iterates the transactions across pages. */
export interface QueryPages extends AsyncIterableIterator<QueryPage> {
  /**
   * The transactions of every page, one at a time.
   * @throws {QfPayError} as `query` does, when a page cannot be fetched.
   */
  items(): AsyncIterableIterator<Transaction>
}

/** QFPay's answer to a refund. */
export interface Refund {
  /** The refund's own transaction number. */
  syssn: string
  /** The original payment's transaction number. */
  origSyssn: string
  /** The refund's merchant number. */
  outTradeNo: string
  /** Amount refunded in minor units. */
  txamt: number
  /** Currency code. */
  txcurrcd: Currency
  /** Request time. */
  txdtm: string
  /** System time. */
  sysdtm: string
  /** `'0000'`. */
  respcd: string
  /** QFPay's `resperr`. */
  resperr: string
  /** QFPay's `respmsg`. */
  respmsg: string
  /** Every field QFPay sent. */
  raw: Raw
}

/** QFPay's answer to a close or reversal. */
export interface Cancellation {
  /** The cancellation's own transaction number (empty when learned by a query). */
  syssn: string
  /** The cancelled transaction's number. */
  origSyssn: string
  /** The cancelled transaction's merchant order number. */
  outTradeNo: string
  /** Amount in minor units. */
  txamt: number
  /** `'0000'`. */
  respcd: string
  /** QFPay's `resperr`. */
  resperr: string
  /** QFPay's `respmsg`. */
  respmsg: string
  /** Every field QFPay sent. */
  raw: Raw
}

/** A verified notification. */
export interface Notification {
  /** `'payment'`, `'refund'` or another type as sent. */
  notifyType: string
  /** `'1'` = success. */
  status: string
  /** Whether `status` reports success (`'1'`). Computed by the core. */
  isSuccess: boolean
  /** Pay type code. */
  payType: PayType
  /** Transaction number. */
  syssn: string
  /** Merchant order number. */
  outTradeNo: string
  /** Amount in minor units. */
  txamt: number
  /** Currency code. */
  txcurrcd: Currency
  /** Request time. */
  txdtm: string
  /** System time. */
  sysdtm: string
  /** Payment time. */
  paydtm: string
  /** Cancellation status. */
  cancel: string
  /** Response code. */
  respcd: string
  /** Sub-merchant id (agents only). */
  mchid?: string
  /** Goods description. */
  goodsName: string
  /** The wallet's transaction number. */
  chnlsn: string
  /** The original payment's number (refund notifications, when sent). */
  origSyssn?: string
  /** The original payment's merchant number (refund notifications, when sent). */
  origOutTradeNo?: string
  /** Every field QFPay sent. */
  raw: Raw
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

/** The stable error codes (`QfPayError.code`). */
export type ErrorCode =
  | 'validation' | 'config' | 'api' | 'auth' | 'invalid_request' | 'declined' | 'duplicate_order'
  | 'order_state' | 'refund_rejected' | 'account' | 'server' | 'rate_limited' | 'network'
  | 'timeout' | 'status_unknown' | 'decode' | 'signature'

/** Base class of every error the SDK throws. */
export declare class QfPayError extends Error {
  /** The core's stable code. */
  readonly code: ErrorCode
  /** The order a money-moving call was about (every error from one, whenever the number is known). */
  readonly outTradeNo?: string
  /** QFPay's transaction number, when known. */
  readonly syssn?: string
}
/**
 * A request field, option or argument has the wrong type or broke a documented rule; nothing
 * was sent. The message names the value's type, never the value.
 */
export declare class ValidationError extends QfPayError {
  /** Always `'validation'`. */
  readonly code: 'validation'
  /**
   * The field by its QFPay name (`txamt`, `goods_name`, nested with a dot:
   * `extend_info.user_creid`), the same for a wrong type and a broken rule; or the option or
   * argument as JavaScript spells it (`timeoutMs`, `options`, `request`, `clientKey`, `signature`).
   */
  readonly field: string
  /** The rule it broke. */
  readonly rule: string
}
/**
 * The client is not configured correctly. The message is `configuration error: <option> <rule>`
 * (`configuration error: timeoutMs must be greater than zero`) when one option is at fault, and
 * never quotes a key, URL or proxy.
 */
export declare class ConfigError extends QfPayError {
  /** Always `'config'`. */
  readonly code: 'config'
  /**
   * The option at fault as JavaScript spells it, when one is: the `ClientOptions` or
   * `SandboxOptions` key (`appCode`, `baseUrl`, `timeoutMs`, `connectTimeoutMs`, `rateLimit`, ...)
   * or `clientKey` for `verifyNotification`.
   */
  readonly field?: string
  /** What is wrong with that option (`must be greater than zero`), when `field` is set. */
  readonly rule?: string
}
/** QFPay answered with a failure code. */
export declare class ApiError extends QfPayError {
  /** QFPay's `respcd`. */
  readonly respcd?: string
  /** QFPay's `resperr`. */
  readonly resperr?: string
  /** QFPay's `respmsg`. */
  readonly respmsg?: string
  /** The HTTP status of the answer. */
  readonly httpStatus?: number
}
/** Signature, app code, key, mchid or environment rejected (e.g. 1108). */
export declare class AuthError extends ApiError {}
/** QFPay rejected the request's parameters. */
export declare class InvalidRequestError extends ApiError {}
/** The payment was declined. */
export declare class DeclinedError extends ApiError {}
/** The out_trade_no was used before. */
export declare class DuplicateOrderError extends ApiError {
  /** The transaction already under that number (state, amount, currency, syssn), or null when it could not be read. */
  readonly existing?: Transaction | null
}
/** The order is not in a state that allows this. */
export declare class OrderStateError extends ApiError {}
/** The refund was refused. */
export declare class RefundRejectedError extends ApiError {}
/** The merchant account, device or store is not set up for this. */
export declare class AccountError extends ApiError {}
/** QFPay had a transient problem. */
export declare class ServerError extends ApiError {}
/** HTTP 429: too many requests. */
export declare class RateLimitedError extends QfPayError {
  /** Milliseconds the server asked to wait (its `Retry-After`), when it said. */
  readonly retryAfterMs?: number
  /** 429. */
  readonly httpStatus?: number
}
/** The request could not be delivered. */
export declare class NetworkError extends QfPayError {
  /** Whether the request may have reached QFPay. */
  readonly sent: boolean
}
/** The call's deadline passed (calls that move no money). */
export declare class RequestTimeoutError extends QfPayError {}
/** The outcome of a money-moving call is not known. */
export declare class StatusUnknownError extends QfPayError {
  /** Always `'status_unknown'`. */
  readonly code: 'status_unknown'
  /** The order to query (or wait for the notification of). Never pay again under a new number. */
  readonly outTradeNo: string
  /** QFPay's `respcd`, when the last answer had one. */
  readonly respcd?: string
}
/** An answer (or notification) could not be understood. */
export declare class DecodeError extends QfPayError {}
/** A notification's signature is missing or does not match its body and key. */
export declare class SignatureError extends QfPayError {}

/** Each error code's class. */
export declare const ERROR_CLASSES: Readonly<Record<ErrorCode, typeof QfPayError>>

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

/** Sandbox options. */
export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number
  /** Default: one merchant with the default credentials, no mchid. */
  merchants?: SandboxMerchant[]
  /** Default on (100/s, 400/min, as QFPay); `false` turns it off. */
  rateLimit?: boolean | { perSecond?: number, perMinute?: number }
  /** 0.001 turns the 2-minute notification retry into 120 ms. */
  notifyTimeScale?: number
  /** Scenario 1002: queries answered "pending" before it is paid (2). */
  pendingQueries?: number
  /** Scenario 1005: delay before answering (3 000 ms). */
  slowResponseMs?: number
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
