<?php
/**
 * IDE stub for the qfpay extension (qfpay.so). Not loaded at run time: the classes come from
 * the extension. tests/StubTest.php checks this file against the loaded extension by reflection.
 *
 * Amounts are int minor units (300 is HK$3.00); a float or numeric string is refused with a
 * ValidationException. Durations are milliseconds, named with the suffix Ms (timeoutMs,
 * QfPayException::$retryAfterMs); only Sandbox::advanceClock() takes whole seconds, as in every
 * language (QFPay's times have one-second resolution).
 */

namespace QfPay;

/**
 * A QFPay client. Each call blocks until QFPay answers. Safe in PHP-FPM workers: nothing runs
 * at module start-up, and a client used after a fork builds a fresh connection pool.
 * Create it where you need it, per request if you like: clients built with the same options
 * share one connection pool per PHP process (a PHP-FPM worker keeps its connections to QFPay
 * from one request to the next); building one costs ~0.2 ms.
 *
 * Client options: appCode, clientKey, environment ('production', 'live_test', 'card_sandbox'),
 * baseUrl, mchid, signType ('md5'|'sha256'), timeoutMs, connectTimeoutMs, maxRetries,
 * reconcileTimeoutMs, retryBaseDelayMs, retryMaxDelayMs, utcOffsetSeconds, proxy,
 * logger (a Logger), logLevel ('error'|'warn'|'info'|'debug'|'trace').
 *
 * Every operation's options array also takes the per-call options timeoutMs and maxRetries.
 *
 * An error about an option names it as written here, in its message and in $field
 * (timeoutMs, maxRetries, logLevel...): a value of the wrong type, one PHP cannot convert or an
 * unknown key is a ValidationException; a configuration that cannot work (missing credential,
 * zero timeoutMs, unknown environment, bad base URL or proxy, unknown signType or logLevel,
 * utcOffsetSeconds beyond ±14 hours) a ConfigException, whose message is "configuration
 * error: " then the option, then $rule ("configuration error: timeoutMs must be greater than
 * zero", "configuration error: appCode is missing: ..."). A value
 * that may be a secret (a string in the wrong option, an environment, a base URL, a proxy) is
 * never quoted. Every parameter that can carry the client key is #[\SensitiveParameter]: with
 * zend.exception_ignore_args=0 a trace shows a SensitiveParameterValue there.
 *
 * QFPAY_LOG (without a logger or logLevel, events go to error_log()): a level (off, error,
 * warn, info, debug, trace) or comma-separated TARGET=LEVEL directives such as qfpay=debug or
 * qfpay::http=trace,qfpay::reconcile=off. A value that does not follow this syntax never fails
 * a call: logging stays off and one warning per process goes to error_log().
 */
final class Client
{
    /** The base URL in use. */
    public readonly string $baseUrl;
    /** The app code (X-QF-APPCODE). */
    public readonly string $appCode;
    /** The default mchid, if any. */
    public readonly ?string $mchid;

    /**
     * @param array{appCode?: string, clientKey?: string, environment?: string, baseUrl?: string, mchid?: string, signType?: string, timeoutMs?: int, connectTimeoutMs?: int, maxRetries?: int, reconcileTimeoutMs?: int, retryBaseDelayMs?: int, retryMaxDelayMs?: int, utcOffsetSeconds?: int, proxy?: string, logger?: Logger|object, logLevel?: string} $options
     * @throws ConfigException|ValidationException a missing credential or a bad option
     */
    public function __construct(#[\SensitiveParameter] array $options = []) {}

    /**
     * A client from the QFPAY_* environment variables (QFPAY_APP_CODE, QFPAY_CLIENT_KEY,
     * QFPAY_MCHID, QFPAY_ENV, QFPAY_BASE_URL, QFPAY_SIGN_TYPE, QFPAY_PROXY), then $overrides.
     * @param array<string, mixed> $overrides any client option
     * @throws ConfigException|ValidationException
     */
    public static function fromEnv(#[\SensitiveParameter] array $overrides = []): Client {}

    /**
     * Creates a payment of any pay type.
     * @param int $amount minor units
     * @param string $currency e.g. 'HKD'
     * @param string $payType six-digit code, e.g. '800201' (WeChat QR), '800208' (WeChat CPM)
     * @param array{outTradeNo?: string, txdtm?: string, expiredTime?: int, goodsName?: string, goodsInfo?: string, mchid?: string, udid?: string, notifyUrl?: string, returnUrl?: string, rmbTag?: string, extendInfo?: array{userCreid: string, userTruename: string}|string, limitPay?: string, authCode?: string, payTag?: string, subOpenid?: string, timeoutMs?: int, maxRetries?: int} $options
     * @throws ValidationException nothing was sent
     * @throws DeclinedException|DuplicateOrderException|AuthException|ApiException QFPay refused it
     * @throws StatusUnknownException the outcome is not known: query $e->outTradeNo, never pay again under a new number
     * @throws QfPayException any other failure (network, rate limit, ...), naming the order
     */
    public function createPayment(int $amount, string $currency, string $payType, array $options = []): Payment {}

    /**
     * A WeChat QR payment (800201): show $payment->qrcode to the customer (Qr::svg()).
     * @param int $amount minor units
     * @param array{outTradeNo?: string, txdtm?: string, expiredTime?: int, goodsName?: string, goodsInfo?: string, mchid?: string, udid?: string, notifyUrl?: string, returnUrl?: string, rmbTag?: string, extendInfo?: array{userCreid: string, userTruename: string}|string, limitPay?: string, timeoutMs?: int, maxRetries?: int} $options
     * @throws ValidationException|DeclinedException|DuplicateOrderException|StatusUnknownException|QfPayException
     */
    public function wechatQr(int $amount, string $currency = 'HKD', array $options = []): Payment {}

    /**
     * One page of transactions.
     * @param array{syssn?: string|list<string>, outTradeNo?: string|list<string>, payType?: string|list<string>, respcd?: string, startTime?: string, endTime?: string, page?: int, pageSize?: int, mchid?: string, timeoutMs?: int, maxRetries?: int} $options
     * @throws ValidationException|QfPayException
     */
    public function query(array $options = []): QueryPage {}

    /**
     * Every page of a query, fetched as a foreach advances; ->items() iterates the
     * transactions across pages.
     * @param array{syssn?: string|list<string>, outTradeNo?: string|list<string>, payType?: string|list<string>, respcd?: string, startTime?: string, endTime?: string, page?: int, pageSize?: int, mchid?: string, timeoutMs?: int, maxRetries?: int} $options
     * @throws ValidationException
     */
    public function queryPages(array $options = []): QueryPages {}

    /**
     * The payment with merchant order number $outTradeNo, or null.
     * @param array{timeoutMs?: int, maxRetries?: int} $options
     * @throws ValidationException|QfPayException
     */
    public function findPayment(string $outTradeNo, array $options = []): ?Transaction {}

    /**
     * Refunds a paid transaction, fully or partly.
     * @param string $syssn the payment's syssn
     * @param int $amount minor units to refund
     * @param array{outTradeNo?: string, txdtm?: string, mchid?: string, udid?: string, timeoutMs?: int, maxRetries?: int} $options
     * @throws ValidationException|RefundRejectedException|OrderStateException|StatusUnknownException|QfPayException
     */
    public function refund(string $syssn, int $amount, string $currency, array $options = []): Refund {}

    /**
     * Closes an unpaid order, given by syssn or outTradeNo in $options.
     * @param array{syssn?: string, outTradeNo?: string, txdtm?: string, mchid?: string, udid?: string, timeoutMs?: int, maxRetries?: int} $options
     * @throws ValidationException|OrderStateException|StatusUnknownException|QfPayException
     */
    public function close(int $amount, string $currency, array $options = []): Cancellation {}

    /**
     * Reverses an unfinished transaction, given by syssn or outTradeNo in $options. Confirm with
     * a query: a reversal does not prove the customer was not charged.
     * @param array{syssn?: string, outTradeNo?: string, txdtm?: string, mchid?: string, udid?: string, timeoutMs?: int, maxRetries?: int} $options
     * @throws ValidationException|OrderStateException|StatusUnknownException|QfPayException
     */
    public function reverse(int $amount, string $currency, array $options = []): Cancellation {}

    /**
     * Polls until the payment is paid (returns it), fails (throws its error) or timeoutMs
     * passes (StatusUnknownException). Defaults: timeoutMs 120000, intervalMs 1000,
     * maxIntervalMs 5000.
     * @param array{timeoutMs?: int, intervalMs?: int, maxIntervalMs?: int} $options
     * @throws StatusUnknownException|DeclinedException|ApiException|ValidationException|QfPayException
     */
    public function waitForPayment(string $outTradeNo, array $options = []): Transaction {}
}

/** The pages of a query; iterating again starts again from the first page. @implements \Iterator<int, QueryPage> */
final class QueryPages implements \Iterator
{
    /** The current page. */
    public function current(): ?QueryPage {}
    /** The page's position, from 0. */
    public function key(): int {}
    /** Fetches the next page. @throws QfPayException */
    public function next(): void {}
    /** Fetches the first page. @throws QfPayException */
    public function rewind(): void {}
    /** Whether there is a current page. */
    public function valid(): bool {}
    /** The transactions of every page. */
    public function items(): QueryItems {}
}

/** The transactions of every page of a query. @implements \Iterator<int, Transaction> */
final class QueryItems implements \Iterator
{
    /** The current transaction. */
    public function current(): ?Transaction {}
    /** Its position across pages, from 0. */
    public function key(): int {}
    /** Moves on, fetching the next page when needed. @throws QfPayException */
    public function next(): void {}
    /** Starts again from the first page. @throws QfPayException */
    public function rewind(): void {}
    /** Whether there is a current transaction. */
    public function valid(): bool {}
}

/** QFPay's answer to a payment. For MPM pay types (800201) the customer has not paid yet. */
final class Payment
{
    /** QFPay's transaction number. */
    public readonly string $syssn;
    /** The merchant order number (generated when not given). */
    public readonly string $outTradeNo;
    /** The pay type code. */
    public readonly string $payType;
    /** Amount in minor units. */
    public readonly int $txamt;
    /** Currency code. */
    public readonly string $txcurrcd;
    /** Request time. */
    public readonly string $txdtm;
    /** QFPay's system time. */
    public readonly string $sysdtm;
    /** Payment time. */
    public readonly string $paydtm;
    /** What the customer scans (MPM pay types). */
    public readonly ?string $qrcode;
    /** Payment page URL (online pay types). */
    public readonly ?string $payUrl;
    /** The wallet's transaction number. */
    public readonly string $chnlsn;
    /** Card or buyer id. */
    public readonly string $cardcd;
    /** Device id. */
    public readonly string $udid;
    /** '0000'. */
    public readonly string $respcd;
    /** QFPay's resperr. */
    public readonly string $resperr;
    /** QFPay's respmsg. */
    public readonly string $respmsg;
    /** Every field QFPay sent, as sent. @var array<string, mixed> */
    public readonly array $raw;
}

/** One transaction record from a query. */
final class Transaction
{
    /** QFPay's transaction number. */
    public readonly string $syssn;
    /** Merchant order number. */
    public readonly string $outTradeNo;
    /** 'payment' or 'refund'. */
    public readonly string $orderType;
    /** The original payment's syssn (refunds). */
    public readonly ?string $origssn;
    /** Pay type code. */
    public readonly string $payType;
    /** Amount in minor units. */
    public readonly int $txamt;
    /** Currency code. */
    public readonly string $txcurrcd;
    /** Request time. */
    public readonly string $txdtm;
    /** System time. */
    public readonly string $sysdtm;
    /** Payment time. */
    public readonly string $paydtm;
    /** The transaction's own status code. */
    public readonly string $respcd;
    /** Status text. */
    public readonly string $errmsg;
    /** Cancellation status ('0' none, '1'/'2' cancelled, '3' refunded, '5' partly refunded). */
    public readonly string $cancel;
    /** Goods description. */
    public readonly string $goodsName;
    /** The wallet's transaction number. */
    public readonly string $chnlsn;
    /** 'succeeded', 'pending', 'failed', 'refunded', 'partially_refunded' or 'cancelled'. */
    public readonly string $state;
    /** Whether the customer's money was taken (possibly refunded since). */
    public readonly bool $isPaid;
    /** Whether this is a refund record. */
    public readonly bool $isRefund;
    /** Every field QFPay sent. @var array<string, mixed> */
    public readonly array $raw;
}

/** One page of query results. */
final class QueryPage
{
    /** The page number, from 1. */
    public readonly int $page;
    /** The page size. */
    public readonly int $pageSize;
    /** The records. @var list<Transaction> */
    public readonly array $data;
    /** The envelope QFPay sent. @var array<string, mixed> */
    public readonly array $raw;
}

/** QFPay's answer to a refund. */
final class Refund
{
    /** The refund's own transaction number. */
    public readonly string $syssn;
    /** The original payment's syssn. */
    public readonly string $origSyssn;
    /** The refund's merchant number. */
    public readonly string $outTradeNo;
    /** Amount refunded in minor units. */
    public readonly int $txamt;
    /** Currency code. */
    public readonly string $txcurrcd;
    /** Request time. */
    public readonly string $txdtm;
    /** System time. */
    public readonly string $sysdtm;
    /** QFPay's respcd. */
    public readonly string $respcd;
    /** QFPay's resperr. */
    public readonly string $resperr;
    /** QFPay's respmsg. */
    public readonly string $respmsg;
    /** Every field QFPay sent. @var array<string, mixed> */
    public readonly array $raw;
}

/** QFPay's answer to a close or reversal. */
final class Cancellation
{
    /** The cancellation's own transaction number (empty when learned by a query). */
    public readonly string $syssn;
    /** The cancelled transaction's syssn. */
    public readonly string $origSyssn;
    /** The cancelled transaction's merchant order number. */
    public readonly string $outTradeNo;
    /** Amount in minor units. */
    public readonly int $txamt;
    /** QFPay's respcd. */
    public readonly string $respcd;
    /** QFPay's resperr. */
    public readonly string $resperr;
    /** QFPay's respmsg. */
    public readonly string $respmsg;
    /** Every field QFPay sent. @var array<string, mixed> */
    public readonly array $raw;
}

/** A verified asynchronous notification. */
final class Notification
{
    /** 'payment', 'refund' or another notify_type. */
    public readonly string $notifyType;
    /** '1' = success. */
    public readonly string $status;
    /** Pay type code. */
    public readonly string $payType;
    /** Transaction number. */
    public readonly string $syssn;
    /** Merchant order number. */
    public readonly string $outTradeNo;
    /** Amount in minor units. */
    public readonly int $txamt;
    /** Currency code. */
    public readonly string $txcurrcd;
    /** Request time. */
    public readonly string $txdtm;
    /** System time. */
    public readonly string $sysdtm;
    /** Payment time. */
    public readonly string $paydtm;
    /** Cancellation status. */
    public readonly string $cancel;
    /** Response code. */
    public readonly string $respcd;
    /** Sub-merchant id (agents). */
    public readonly ?string $mchid;
    /** Goods description. */
    public readonly string $goodsName;
    /** The wallet's transaction number. */
    public readonly string $chnlsn;
    /** The original payment's syssn (refund notifications). */
    public readonly ?string $origSyssn;
    /** The original payment's out_trade_no (refund notifications). */
    public readonly ?string $origOutTradeNo;
    /** Whether status is '1'. */
    public readonly bool $isSuccess;
    /** Every field QFPay sent. @var array<string, mixed> */
    public readonly array $raw;

    /**
     * Verifies X-QF-SIGN over the exact raw body, then reads the notification:
     * Notification::verify(file_get_contents('php://input'), $_SERVER['HTTP_X_QF_SIGN'] ?? null, $key);
     * answer QfPay::NOTIFICATION_ACK with HTTP 200.
     * @param string $rawBody the raw request body, never a parsed and re-encoded one
     * @param ?string $signature the X-QF-SIGN header; null or empty is a SignatureException
     * @throws SignatureException the signature is missing or does not match
     * @throws DecodeException|ValidationException|ConfigException
     */
    public static function verify(string $rawBody, #[\SensitiveParameter] ?string $signature, #[\SensitiveParameter] string $clientKey): Notification {}
}

/** Request signatures (X-QF-SIGN), for debugging a 1108 and testing your own code. */
final class Signing
{
    /**
     * Sorted by name, empty values left out, k=v joined by &, the key appended, hashed, uppercase hex.
     * @param array<string, string|int|null> $params
     * @param string $signType 'md5' or 'sha256'
     * @throws ValidationException|ConfigException
     */
    public static function sign(array $params, #[\SensitiveParameter] string $clientKey, string $signType = 'md5'): string {}

    /**
     * The string that is signed, without the key.
     * @param array<string, string|int|null> $params
     * @throws ValidationException
     */
    public static function stringToSign(array $params): string {}

    /** The expected X-QF-SIGN of a notification body (uppercase hex MD5 of body + key). */
    public static function notificationSignature(string $rawBody, #[\SensitiveParameter] string $clientKey): string {}
}

/** QR codes for a payment's qrcode. */
final class Qr
{
    /** An SVG document. @throws ValidationException */
    public static function svg(string $content): string {}
    /** PNG bytes, $scale pixels per module (1 to 64). @throws ValidationException */
    public static function png(string $content, int $scale = 8): string {}
    /** A data:image/png;base64 URL for an <img src>. @throws ValidationException */
    public static function dataUrl(string $content): string {}
    /** Text for a terminal. @throws ValidationException */
    public static function terminal(string $content): string {}
}

/** Versions and fixed values. */
final class QfPay
{
    /** This extension's version. */
    public const VERSION = '0.1.0';
    /** The Rust core's version. */
    public const CORE_VERSION = '0.1.0';
    /** The body a notification receiver answers with (HTTP 200), or QFPay sends the notification again. */
    public const NOTIFICATION_ACK = 'SUCCESS';
    /** The local sandbox's default app code. */
    public const SANDBOX_APP_CODE = 'SANDBOXAPPCODE000000000000000001';
    /** The local sandbox's default client key. */
    public const SANDBOX_CLIENT_KEY = 'SANDBOXCLIENTKEY0000000000000001';

    /** A fresh merchant order number (OS random source): generate it, store it with the order, then pay with it. */
    public static function generateOutTradeNo(): string {}
}

/**
 * A local QFPay simulator on 127.0.0.1 (its own thread), for tests. Amounts 1001-1007 trigger
 * scenarios: 1001 paid at once, 1002 pending then paid, 1003 declined, 1004 pending on create,
 * 1005 slow, 1006 HTTP 500, 1007 rate limited.
 */
final class Sandbox
{
    /** http://127.0.0.1:<port> */
    public readonly string $baseUrl;
    /** The port. */
    public readonly int $port;
    /** The first merchant's app code. */
    public readonly string $appCode;
    /** The first merchant's client key. */
    public readonly string $clientKey;

    /**
     * Starts a sandbox (a free port unless 'port' is given).
     * @param array{port?: int, merchants?: list<array{appCode: string, clientKey: string, mchid?: string, notifyUrl?: string}>, rateLimit?: bool|array{perSecond?: int, perMinute?: int}, notifyTimeScale?: float, pendingQueries?: int, slowResponseMs?: int} $options
     * @throws ConfigException
     */
    public static function start(#[\SensitiveParameter] array $options = []): Sandbox {}
    /** A Client for the first merchant. @param array<string, mixed> $overrides any client option */
    public function client(#[\SensitiveParameter] array $overrides = []): Client {}
    /** The customer pays the order (syssn or out_trade_no); returns its record. @return array<string, mixed> @throws ValidationException */
    public function pay(string $syssnOrOutTradeNo): array {}
    /**
     * Faults for the next 'count' API requests.
     * @param array{kind: 'delay'|'drop'|'http_status'|'malformed'|'canned', count?: int, ms?: int, status?: int, body?: string} $fault
     * @throws ValidationException
     */
    public function injectFault(array $fault): void {}
    /** The request log, oldest first. @return list<array<string, mixed>> */
    public function requests(): array {}
    /** API requests received since start or reset. */
    public function requestCount(): int {}
    /** Notification deliveries and their attempts. @return list<array<string, mixed>> */
    public function notifications(): array {}
    /** Every order and refund (kind, out_trade_no, syssn, txamt, txcurrcd, state, orig_syssn). @return list<array<string, mixed>> */
    public function orders(): array {}
    /** Forgets orders, the log, faults and notifications. */
    public function reset(): void {}
    /** Moves the sandbox clock forward. @throws ValidationException */
    public function advanceClock(int $seconds): void {}
    /** Stops the server (idempotent). */
    public function stop(): void {}
}

/** PSR-3 shaped logger the client accepts ('logger' => $obj); any object with these methods works. */
interface Logger
{
    /** Every request and answer (context: kind, endpoint, attempt, out_trade_no, elapsed_ms, http_status, respcd, decision, reason; body at trace). @param array<string, mixed> $context */
    public function debug(string $message, array $context): void;
    /** Retries. @param array<string, mixed> $context */
    public function info(string $message, array $context): void;
    /** Reconciliation, status unknown, configuration warnings. @param array<string, mixed> $context */
    public function warning(string $message, array $context): void;
    /** Failures the SDK cannot report through a result. @param array<string, mixed> $context */
    public function error(string $message, array $context): void;
}

/**
 * Every SDK error. $errorCode is the core's stable code (getCode() is not used). Fields that do
 * not apply are null.
 */
class QfPayException extends \Exception
{
    /** 'validation', 'config', 'auth', 'invalid_request', 'declined', 'duplicate_order', 'order_state', 'refund_rejected', 'account', 'server', 'api', 'rate_limited', 'network', 'timeout', 'status_unknown', 'decode' or 'signature'. */
    public $errorCode = null;
    /** QFPay's respcd, when it answered. @var ?string */
    public $respcd = null;
    /** QFPay's resperr. @var ?string */
    public $resperr = null;
    /** QFPay's respmsg. @var ?string */
    public $respmsg = null;
    /** The HTTP status of QFPay's answer. @var ?int */
    public $httpStatus = null;
    /** The order: set on every error from a money-moving call whenever the number is known (generated ones too). @var ?string */
    public $outTradeNo = null;
    /** QFPay's transaction number, when known. @var ?string */
    public $syssn = null;
    /** The field that failed validation (QFPay's name: txamt, goods_name, ...), or the option a configuration or option error is about, as PHP writes it (appCode, timeoutMs, logLevel, environment, ...). @var ?string */
    public $field = null;
    /** The rule it broke; for a ConfigException about an option, what follows its name ("must be greater than zero"). @var ?string */
    public $rule = null;
    /** rate_limited: milliseconds the server asked to wait (its Retry-After), when it said. @var ?int */
    public $retryAfterMs = null;
    /** network: whether the request may have reached QFPay. @var ?bool */
    public $sent = null;
    /** duplicate_order: the transaction already under that out_trade_no. @var ?Transaction */
    public $existing = null;
}

/** A request field broke a documented rule; nothing was sent. */
class ValidationException extends QfPayException {}
/** The client is not configured correctly. */
class ConfigException extends QfPayException {}
/** QFPay answered with a failure code. */
class ApiException extends QfPayException {}
/** 1108 and similar: app code, key, mchid or environment. */
class AuthException extends ApiException {}
/** QFPay refused the parameters. */
class InvalidRequestException extends ApiException {}
/** The payment was declined. */
class DeclinedException extends ApiException {}
/** 1251: the out_trade_no was used before; see $existing. */
class DuplicateOrderException extends ApiException {}
/** The order cannot do that in its state. */
class OrderStateException extends ApiException {}
/** The refund was refused. */
class RefundRejectedException extends ApiException {}
/** The merchant account, device or store is not set up for this. */
class AccountException extends ApiException {}
/** QFPay had a transient problem. */
class ServerException extends ApiException {}
/** HTTP 429; see $retryAfterMs. */
class RateLimitedException extends QfPayException {}
/** The request could not be delivered; see $sent. */
class NetworkException extends QfPayException {}
/** The call's deadline (timeoutMs) passed (a call that moves no money). */
class RequestTimeoutException extends QfPayException {}
/** The outcome of a money-moving call is not known: query $outTradeNo, never pay again under a new number. */
class StatusUnknownException extends QfPayException {}
/** An answer or notification could not be read. */
class DecodeException extends QfPayException {}
/** A notification's signature is missing or does not match. */
class SignatureException extends QfPayException {}
