<?php
/**
 * IDE stub for the qfpay extension (qfpay.so), with the generated stubs/surface.php; not loaded
 * at run time. Durations are int milliseconds (suffix Ms) but for Sandbox::advanceClock()'s
 * whole seconds (QFPay's times have one-second resolution).
 */

namespace QfPay;

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
    /** The first merchant's mchid, when it has one. */
    public readonly ?string $mchid;

    /**
     * Starts a sandbox (a free port unless 'port' is given); strictPayTypes refuses the legacy
     * pay codes with 1104, as an account without them would.
     * @param array{port?: int, merchants?: list<array{appCode: string, clientKey: string, mchid?: string, notifyUrl?: string}>, rateLimit?: bool|array{perSecond?: int, perMinute?: int}, notifyTimeScale?: float, pendingQueries?: int, slowResponseMs?: int, strictPayTypes?: bool} $options
     * @throws ConfigException
     */
    public static function start(#[\SensitiveParameter] array $options = []): Sandbox {}
    /** A Client for the first merchant (its mchid included). @param array<string, mixed> $overrides any client option */
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
    /**
     * Writes paid history into the first merchant's book, as POST /sandbox/seed does:
     * ['orders' => 500, 'from' => '2026-01-01', 'to' => '2026-03-31', 'refunds' => 0.1, 'duplicates' => 2, 'seed' => 42]
     * (orders paid at times spread over the days, out_trade_no SEED<seed>-<n>; 'duplicates'
     * orders paid more than once under one out_trade_no). Returns the summary: records, totals
     * per currency, out_trade_no_prefix, duplicate_out_trade_nos, ...
     * @param array{orders: int, from?: string, to?: string, refunds?: int|float, duplicates?: int, seed?: int} $request
     * @throws ValidationException a bad request, or that seed already written
     */
    public function seed(array $request): array {}
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
