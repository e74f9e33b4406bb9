// Public types of the `qfpay` package (hand-written; the native addon's own generated
// `index.d.ts` types the internal `Native*` classes).

/** ISO 4217 codes QFPay documents. */
export type Currency =
  | 'AED' | 'CNY' | 'EUR' | 'HKD' | 'IDR' | 'JPY' | 'MMK' | 'MYR' | 'SGD' | 'THB' | 'USD' | 'CAD' | 'AUD'

/** A six-digit pay type code, e.g. `'800201'` (WeChat QR). */
export type PayType = string

/** Where a transaction stands. */
export type TransactionState =
  | 'succeeded' | 'pending' | 'failed' | 'refunded' | 'partially_refunded' | 'cancelled'

/** Every field QFPay sent, exactly as sent (QFPay's snake_case names, amounts as strings). */
export type Raw = Record<string, unknown>

export interface ClientOptions {
  /** `X-QF-APPCODE`. */
  appCode?: string
  /** The signing key. */
  clientKey?: string
  /** `'live_test'` (default), `'production'` or `'sandbox'` (QFPay's), or a base URL. */
  environment?: 'live_test' | 'production' | 'sandbox' | (string & {})
  /** Any base URL (overrides `environment`), e.g. a local `Sandbox`'s `baseUrl`. */
  baseUrl?: string
  /** Default `mchid` for every request (agents). */
  mchid?: string
  /** `'md5'` (default) or `'sha256'`. */
  signType?: 'md5' | 'sha256'
  /** Deadline for a whole call, retries included (default 30 000). */
  timeoutMs?: number
  /** Time allowed to connect (default 5 000). */
  connectTimeoutMs?: number
  /** Retries of requests QFPay cannot have processed (default 2). */
  maxRetries?: number
  /** How long to query for the outcome of a money-moving call that became unknown (default 15 000). */
  reconcileTimeoutMs?: number
  /** First retry delay (default 500). */
  retryBaseDelayMs?: number
  /** Largest retry delay (default 5 000). */
  retryMaxDelayMs?: number
  /** UTC offset of the `txdtm` clock in seconds (default +8 h). */
  utcOffsetSeconds?: number
  /** An HTTP(S) proxy URL. */
  proxy?: string
}

/** Per-call options. */
export interface CallOptions {
  /** This call's deadline. */
  timeoutMs?: number
  /** This call's retries. */
  maxRetries?: number
}

/** Real-name verification (WeChat, mainland residents), or a JSON object string sent as given. */
export type ExtendInfo = { userCreid: string, userTruename: string } | string

interface PaymentFields {
  /** Merchant order number; generated when absent. */
  outTradeNo?: string
  /** Request time `YYYY-MM-DD hh:mm:ss`; now when absent. */
  txdtm?: string
  /** The customer's code (CPM pay types only). */
  authCode?: string
  /** Minutes until the QR code expires, 5 to 120 (MPM only). */
  expiredTime?: number
  /** At most 64 characters. */
  goodsName?: string
  goodsInfo?: string
  mchid?: string
  udid?: string
  notifyUrl?: string
  returnUrl?: string
  /** `'Y'`, with CNY only. */
  rmbTag?: 'Y'
  extendInfo?: ExtendInfo
  limitPay?: 'no_credit'
  payTag?: 'ALIPAYHK' | 'ALIPAYCN'
  subOpenid?: string
}

export interface PaymentRequest extends PaymentFields {
  /** Minor units (cents; yen for JPY): 300 is HK$3.00. A whole number; never rounded. */
  amount: number
  currency: Currency
  payType: PayType
}

export interface WechatQrRequest extends PaymentFields {
  /** Minor units: 300 is HK$3.00. */
  amount: number
  /** Default `'HKD'`. */
  currency?: Currency
}

export interface QueryRequest {
  syssn?: string | string[]
  outTradeNo?: string | string[]
  payType?: PayType | PayType[]
  respcd?: string
  /** `YYYY-MM-DD hh:mm:ss`, same calendar month as `endTime`. */
  startTime?: string
  endTime?: string
  page?: number
  /** 1 to 100. */
  pageSize?: number
  mchid?: string
}

export interface RefundRequest {
  /** The original payment's `syssn`. */
  syssn: string
  /** Minor units to refund. */
  amount: number
  currency: Currency
  /** The refund's own, new merchant number; generated when absent. */
  outTradeNo?: string
  txdtm?: string
  mchid?: string
  udid?: string
}

export interface CancelRequest {
  /** `syssn` or `outTradeNo` is required. */
  syssn?: string
  outTradeNo?: string
  /** The original amount in minor units. */
  amount: number
  currency: Currency
  txdtm?: string
  mchid?: string
  udid?: string
}

export interface WaitOptions {
  /** Give up after this long (default 60 000) with StatusUnknownError. */
  timeoutMs?: number
  /** First interval between queries (default 1 000). */
  intervalMs?: number
  /** Largest interval (default 5 000). */
  maxIntervalMs?: number
}

export interface Payment {
  syssn: string
  outTradeNo: string
  payType: PayType
  /** Minor units. */
  txamt: number
  txcurrcd: string
  txdtm: string
  sysdtm: string
  paydtm: string
  /** What the customer scans (MPM pay types such as 800201). */
  qrcode?: string
  payUrl?: string
  chnlsn: string
  cardcd: string
  udid: string
  respcd: string
  resperr: string
  respmsg: string
  raw: Raw
}

export interface Transaction {
  syssn: string
  outTradeNo: string
  /** `'payment'` or `'refund'`. */
  orderType: string
  origssn?: string
  payType: PayType
  txamt: number
  txcurrcd: string
  txdtm: string
  sysdtm: string
  paydtm: string
  respcd: string
  errmsg: string
  cancel: string
  goodsName: string
  chnlsn: string
  state: TransactionState
  /** Whether the customer's money was taken (possibly refunded since). */
  paid: boolean
  raw: Raw
}

export interface QueryPage {
  page: number
  pageSize: number
  data: Transaction[]
  raw: Raw
}

export interface Refund {
  syssn: string
  origSyssn: string
  outTradeNo: string
  txamt: number
  txcurrcd: string
  txdtm: string
  sysdtm: string
  respcd: string
  resperr: string
  respmsg: string
  raw: Raw
}

export interface Cancellation {
  syssn: string
  origSyssn: string
  outTradeNo: string
  txamt: number
  respcd: string
  resperr: string
  respmsg: string
  raw: Raw
}

export interface Notification {
  /** `'payment'`, `'refund'` or another type as sent. */
  notifyType: string
  status: string
  /** `status === '1'`. */
  success: boolean
  payType: PayType
  syssn: string
  outTradeNo: string
  txamt: number
  txcurrcd: string
  txdtm: string
  sysdtm: string
  paydtm: string
  cancel: string
  respcd: string
  mchid?: string
  goodsName: string
  chnlsn: string
  origSyssn?: string
  origOutTradeNo?: string
  raw: Raw
}

/** A QFPay client; every operation returns a Promise and never blocks the event loop. */
export declare class Client {
  constructor(options: ClientOptions)
  /** From `QFPAY_APP_CODE`, `QFPAY_CLIENT_KEY`, `QFPAY_ENV` / `QFPAY_BASE_URL`, `QFPAY_MCHID`, `QFPAY_SIGN_TYPE`. */
  static fromEnv(overrides?: ClientOptions): Client
  readonly baseUrl: string
  readonly userAgent: string
  createPayment(request: PaymentRequest, options?: CallOptions): Promise<Payment>
  /** WeChat QR (800201): show `qrcode` to the customer. */
  wechatQr(request: WechatQrRequest, options?: CallOptions): Promise<Payment>
  query(request?: QueryRequest, options?: CallOptions): Promise<QueryPage>
  queryPages(request?: QueryRequest, options?: CallOptions): AsyncIterableIterator<QueryPage>
  findPayment(outTradeNo: string, options?: CallOptions): Promise<Transaction | null>
  refund(request: RefundRequest, options?: CallOptions): Promise<Refund>
  close(request: CancelRequest, options?: CallOptions): Promise<Cancellation>
  reverse(request: CancelRequest, options?: CallOptions): Promise<Cancellation>
  waitForPayment(outTradeNo: string, options?: WaitOptions): Promise<Transaction>
}

export type ErrorCode =
  | 'validation' | 'config' | 'api' | 'auth' | 'invalid_request' | 'declined' | 'duplicate_order'
  | 'order_state' | 'refund_rejected' | 'account' | 'server' | 'rate_limited' | 'network'
  | 'timeout' | 'status_unknown' | 'decode' | 'signature'

export declare class QfPayError extends Error {
  readonly code: ErrorCode
}
export declare class ValidationError extends QfPayError {
  readonly code: 'validation'
  /** The field by its QFPay name (`txamt`, `goods_name`, ...). */
  readonly field: string
  readonly rule: string
}
export declare class ConfigError extends QfPayError {}
export declare class ApiError extends QfPayError {
  readonly respcd?: string
  readonly resperr?: string
  readonly respmsg?: string
  readonly httpStatus?: number
}
export declare class AuthError extends ApiError {}
export declare class InvalidRequestError extends ApiError {}
export declare class DeclinedError extends ApiError {}
export declare class DuplicateOrderError extends ApiError {}
export declare class OrderStateError extends ApiError {}
export declare class RefundRejectedError extends ApiError {}
export declare class AccountError extends ApiError {}
export declare class ServerError extends ApiError {}
export declare class RateLimitedError extends QfPayError {
  /** Seconds the server asked to wait, when it said. */
  readonly retryAfter?: number
  readonly httpStatus?: number
}
export declare class NetworkError extends QfPayError {
  /** Whether the request may have reached QFPay. */
  readonly sent: boolean
}
export declare class RequestTimeoutError extends QfPayError {}
export declare class StatusUnknownError extends QfPayError {
  readonly code: 'status_unknown'
  /** The order to query (or wait for the notification of). Never pay again under a new number. */
  readonly outTradeNo: string
  readonly syssn?: string
  readonly respcd?: string
}
export declare class DecodeError extends QfPayError {}
export declare class SignatureError extends QfPayError {}

export declare const ERROR_CLASSES: Readonly<Record<ErrorCode, typeof QfPayError>>

/** The raw body of a notification request: exactly the bytes received. */
export type RawBody = Buffer | Uint8Array | ArrayBuffer | string

/**
 * Verifies `X-QF-SIGN` over the raw body and returns the notification. Throws SignatureError
 * on a mismatch, and ValidationError when given a parsed object instead of the raw body.
 */
export declare function verifyNotification(rawBody: RawBody, signature: string | string[] | undefined, clientKey: string): Notification
/** The `X-QF-SIGN` QFPay would send for a body. */
export declare function notificationSignature(rawBody: RawBody, clientKey: string): string
/** The request signature of `params` (uppercase hex). */
export declare function sign(params: Record<string, string | number>, key: string, signType?: 'md5' | 'sha256'): string
export declare function stringToSign(params: Record<string, string | number>): string
export declare function debugStringToSign(params: Record<string, string | number>): string
export declare const qr: {
  svg(content: string): string
  png(content: string, scale?: number): Buffer
  dataUrl(content: string): string
  terminal(content: string): string
}
export declare function generateOutTradeNo(): string
/** The body a notification receiver answers with: `'SUCCESS'`. */
export declare const ACK_BODY: string
export declare const VERSION: string
export declare const CORE_VERSION: string

export interface SandboxMerchant {
  appCode: string
  clientKey: string
  mchid?: string
  notifyUrl?: string
}

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number
  /** Default: one merchant with the default credentials, no mchid. */
  merchants?: SandboxMerchant[]
  /** Default on (100/s, 400/min); `false` turns it off. */
  rateLimit?: boolean | { perSecond?: number, perMinute?: number }
  /** 0.001 turns the 2-minute notification retry into 120 ms. */
  notifyTimeScale?: number
  /** Scenario 1002: queries answered "pending" before it is paid (2). */
  pendingQueries?: number
  /** Scenario 1005: delay before answering (3 000). */
  slowResponseMs?: number
}

export interface SandboxFault {
  kind: 'delay' | 'drop' | 'http_status' | 'malformed' | 'canned'
  /** How many API requests (default 1). */
  count?: number
  ms?: number
  status?: number
  body?: string
}

/**
 * An in-process QFPay simulator on 127.0.0.1. Amounts 1001–1007 trigger scenarios (paid,
 * pending, declined, pending on create, slow, server error, rate limited).
 */
export declare class Sandbox {
  static start(options?: SandboxOptions): Promise<Sandbox>
  readonly baseUrl: string
  readonly port: number
  readonly appCode: string
  readonly clientKey: string
  readonly mchid?: string
  readonly merchants: SandboxMerchant[]
  /** A Client for the first merchant (or `merchant`). */
  client(options?: ClientOptions & { merchant?: SandboxMerchant }): Client
  /** The customer pays (by syssn or out_trade_no); returns the order record. */
  pay(syssnOrOutTradeNo: string): Raw
  injectFault(fault: SandboxFault): void
  requests(): Raw[]
  requestCount(): number
  notifications(): Raw[]
  reset(): void
  stop(): Promise<void>
}
