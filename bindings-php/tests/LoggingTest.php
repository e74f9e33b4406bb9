<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use QfPay\{Sandbox, Notification, QfPayException};

/** A logger that keeps every record. */
final class CapturingLogger implements QfPay\Logger
{
    public array $records = [];
    public function debug(string $message, array $context): void { $this->records[] = ['debug', $message, $context]; }
    public function info(string $message, array $context): void { $this->records[] = ['info', $message, $context]; }
    public function warning(string $message, array $context): void { $this->records[] = ['warning', $message, $context]; }
    public function error(string $message, array $context): void { $this->records[] = ['error', $message, $context]; }
}

/** A PSR-3 style logger that does not implement QfPay\Logger and throws. */
final class ThrowingLogger
{
    public function debug($message, array $context = []) { throw new \RuntimeException('logger broke'); }
    public function info($message, array $context = []) { throw new \RuntimeException('logger broke'); }
    public function warning($message, array $context = []) { throw new \RuntimeException('logger broke'); }
    public function error($message, array $context = []) { throw new \RuntimeException('logger broke'); }
}

final class LoggingTest extends TestCase
{
    private static Sandbox $sandbox;

    public static function setUpBeforeClass(): void
    {
        self::$sandbox = Sandbox::start(['rateLimit' => false]);
    }

    public static function tearDownAfterClass(): void
    {
        self::$sandbox->stop();
    }

    private static function kinds(CapturingLogger $l): array
    {
        return array_map(fn ($r) => $r[2]['kind'] ?? '', $l->records);
    }

    public function testRetryAfter429AndReconcileAfterDrop(): void
    {
        $log = new CapturingLogger();
        $c = self::$sandbox->client(['logger' => $log, 'retryBaseDelayMs' => 10]);
        self::$sandbox->injectFault(['kind' => 'http_status', 'status' => 429]);
        $p = $c->wechatQr(300, 'HKD', ['outTradeNo' => 'LOGRETRY0001']);
        $retry = array_values(array_filter($log->records, fn ($r) => ($r[2]['kind'] ?? '') === 'retry'));
        $this->assertCount(1, $retry, json_encode($log->records));
        $this->assertSame('info', $retry[0][0]);
        $this->assertSame('LOGRETRY0001', $retry[0][2]['out_trade_no']);
        $this->assertSame('/trade/v1/payment', $retry[0][2]['endpoint']);
        $this->assertSame(1, $retry[0][2]['attempt']);
        $this->assertArrayHasKey('decision', $retry[0][2]);
        $this->assertContains('request', self::kinds($log));
        $this->assertContains('response', self::kinds($log));
        $this->assertSame('0000', $p->respcd);

        $log->records = [];
        self::$sandbox->injectFault(['kind' => 'drop']);
        $c->createPayment(1001, 'HKD', '800208', ['authCode' => '134567890123456789', 'outTradeNo' => 'LOGDROP0001']);
        $rec = array_values(array_filter($log->records, fn ($r) => ($r[2]['kind'] ?? '') === 'reconcile'));
        $this->assertNotEmpty($rec, json_encode($log->records));
        $this->assertSame('warning', $rec[0][0]);
        $this->assertSame('LOGDROP0001', $rec[0][2]['out_trade_no']);
        $this->assertArrayHasKey('elapsed_ms', $rec[0][2]);
    }

    public function testClientsWithTheSameOptionsShareAPoolButNotALogger(): void
    {
        // Clients built with the same options share one connection pool per process (the
        // PHP-FPM case: a client per request); a logger belongs to its own client only.
        $log = new CapturingLogger();
        $logged = self::$sandbox->client(['logger' => $log]);
        $plain = self::$sandbox->client();
        $plain->wechatQr(300, 'HKD');
        $this->assertSame([], $log->records);
        $logged->wechatQr(300, 'HKD');
        $this->assertContains('response', self::kinds($log));
        $log->records = [];
        $plain->wechatQr(300, 'HKD');
        $this->assertSame([], $log->records);
    }

    public function testTheClientKeyAppearsNowhereAtTrace(): void
    {
        $log = new CapturingLogger();
        $key = self::$sandbox->clientKey;
        $c = self::$sandbox->client(['logger' => $log, 'logLevel' => 'trace']);
        $c->createPayment(1001, 'HKD', '800208', ['authCode' => '134567890123456789']);
        $bad = self::$sandbox->client(['logger' => $log, 'logLevel' => 'trace', 'clientKey' => 'WRONGKEY00000000WRONGKEY']);
        try {
            $bad->wechatQr(300);
            $this->fail('no 1108');
        } catch (QfPayException $e) {
            $this->assertSame('auth', $e->errorCode);
            $this->assertStringNotContainsString('WRONGKEY00000000WRONGKEY', $e->getMessage());
        }
        try {
            Notification::verify('{"a": "1"}', 'BAD', $key);
        } catch (QfPayException $e) {
            $this->assertStringNotContainsString($key, $e->getMessage());
        }
        $all = json_encode($log->records);
        $this->assertStringContainsString('body', $all, 'bodies at trace');
        $this->assertStringNotContainsString($key, $all);
        $this->assertStringNotContainsString('WRONGKEY00000000WRONGKEY', $all);
        $this->assertStringNotContainsString('134567890123456789', $all, 'auth_code is masked');
    }

    public function testALoggerThatThrowsNeverBreaksACall(): void
    {
        $c = self::$sandbox->client(['logger' => new ThrowingLogger()]);
        $this->assertSame('0000', $c->wechatQr(300)->respcd);
        $this->expectException(\QfPay\ConfigException::class);
        self::$sandbox->client(['logger' => 'not an object']);
    }

    public function testQfpayLogWritesToErrorLog(): void
    {
        $code = '$sb = QfPay\Sandbox::start(["rateLimit" => false]); $sb->client()->wechatQr(300); echo "done";';
        foreach (['debug' => true, '' => false] as $level => $expect) {
            $env = ['QFPAY_LOG' => $level] + getenv();
            if ($level === '') {
                unset($env['QFPAY_LOG']);
            }
            $proc = proc_open([PHP_BINARY, '-d', 'extension=' . qfpay_extension_path(), '-d', 'log_errors=1', '-d', 'error_log=', '-r', $code],
                [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
            $out = (string) stream_get_contents($pipes[1]);
            $err = (string) stream_get_contents($pipes[2]);
            proc_close($proc);
            $this->assertSame('done', $out, $err);
            if ($expect) {
                $this->assertStringContainsString('qfpay: [debug]', $err);
                $this->assertStringContainsString('/trade/v1/payment', $err);
            } else {
                $this->assertStringNotContainsString('qfpay:', $err, 'off by default');
            }
        }
    }
    /** Runs $code with the extension and the environment $env; [status, stdout, stderr]. */
    private static function php(string $code, array $env): array
    {
        $proc = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . qfpay_extension_path(), '-d', 'log_errors=1', '-d', 'error_log=',
            '-d', 'display_errors=stderr', '-d', 'error_reporting=-1', '-r', $code],
            [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env + getenv());
        $out = (string) stream_get_contents($pipes[1]);
        $err = (string) stream_get_contents($pipes[2]);
        return [proc_close($proc), $out, $err];
    }

    /** Pays once through each entry point that builds a client; prints "ok" per success. */
    private const ENTRY_POINTS = <<<'PHP'
        $sb = QfPay\Sandbox::start(['rateLimit' => false]);
        putenv('QFPAY_APP_CODE=' . $sb->appCode);
        putenv('QFPAY_CLIENT_KEY=' . $sb->clientKey);
        putenv('QFPAY_BASE_URL=' . $sb->baseUrl);
        $clients = [
            'NEWCLIENT0001' => fn () => new QfPay\Client(['appCode' => $sb->appCode, 'clientKey' => $sb->clientKey, 'baseUrl' => $sb->baseUrl]),
            'FROMENV00001' => fn () => QfPay\Client::fromEnv(),
            'SANDBOXCLIENT01' => fn () => $sb->client(),
        ];
        foreach ($clients as $no => $make) {
            try {
                $make()->wechatQr(300, 'HKD', ['outTradeNo' => $no]);
                echo "ok $no\n";
            } catch (Throwable $e) {
                echo get_class($e), ': ', $e->getMessage(), "\n";
            }
        }
        $sb->stop();
        PHP;

    public function testTheCoresFilterSyntaxLogsAtEveryEntryPoint(): void
    {
        // Before: ConfigException "QFPAY_LOG must be error, warn, ... (got "qfpay=debug")" from
        // all three, so every payment failed.
        [$status, $out, $err] = self::php(self::ENTRY_POINTS, ['QFPAY_LOG' => 'qfpay=debug']);
        $this->assertSame(0, $status, $err);
        $this->assertSame("ok NEWCLIENT0001\nok FROMENV00001\nok SANDBOXCLIENT01\n", $out, $err);
        foreach (['NEWCLIENT0001', 'FROMENV00001', 'SANDBOXCLIENT01'] as $no) {
            $lines = array_filter(explode("\n", $err), fn ($l) => str_contains($l, 'qfpay: [debug]') && str_contains($l, $no));
            $this->assertNotEmpty($lines, "$no logged: $err");
        }
        $this->assertStringNotContainsString('"body"', $err, 'bodies only at trace');
        $this->assertStringNotContainsString('QFPAY_LOG', $err, 'no warning');
    }

    public function testAnUnusableQfpayLogIsLoggingOffAndOneWarningNeverAFailedCall(): void
    {
        [$status, $out, $err] = self::php(self::ENTRY_POINTS, ['QFPAY_LOG' => 'nonsense[[']);
        $this->assertSame(0, $status, $err);
        $this->assertSame("ok NEWCLIENT0001\nok FROMENV00001\nok SANDBOXCLIENT01\n", $out, $err);
        $this->assertStringNotContainsString('qfpay: [debug]', $err, 'logging is off');
        $this->assertStringNotContainsString('/trade/v1/payment', $err, 'logging is off');
        // One warning for the process (error_log(), not a PHP warning), without the value.
        $this->assertSame(1, substr_count($err, 'QFPAY_LOG'), $err);
        $this->assertSame(1, substr_count($err, 'qfpay: [warn]'), $err);
        $this->assertStringNotContainsString('nonsense', $err);
        $this->assertStringNotContainsString('PHP Warning', $err);
    }

    public function testQfpayLogFiltersPerTarget(): void
    {
        // Reconciliation events only: a dropped answer logs its reconciliation, never a request.
        $code = '$sb = QfPay\Sandbox::start(["rateLimit" => false]); $c = $sb->client(["retryBaseDelayMs" => 10]);'
            . '$sb->injectFault(["kind" => "drop"]);'
            . '$c->createPayment(1001, "HKD", "800208", ["authCode" => "134567890123456789", "outTradeNo" => "FILTER0001"]); echo "done";';
        [$status, $out, $err] = self::php($code, ['QFPAY_LOG' => 'qfpay::http=off,qfpay::reconcile=warn']);
        $this->assertSame('done', $out, $err);
        $this->assertStringContainsString('qfpay: [warn]', $err);
        $this->assertStringContainsString('"kind":"reconcile"', $err);
        $this->assertStringNotContainsString('"kind":"request"', $err);
        $this->assertStringNotContainsString('"kind":"response"', $err);
    }

    public function testAnInvalidLogLevelOptionIsAConfigErrorNamingIt(): void
    {
        try {
            self::$sandbox->client(['logLevel' => 'verbose']);
            $this->fail('no exception');
        } catch (\QfPay\ConfigException $e) {
            $this->assertSame('logLevel', $e->field);
            $this->assertStringContainsString('logLevel', $e->getMessage());
            $this->assertStringNotContainsString('QFPAY_LOG', $e->getMessage());
            $this->assertStringNotContainsString('verbose', $e->getMessage(), 'not quoted');
        }
        try {
            self::$sandbox->client(['logger' => 'not an object']);
            $this->fail('no exception');
        } catch (\QfPay\ConfigException $e) {
            $this->assertSame('logger', $e->field);
        }
    }
}
