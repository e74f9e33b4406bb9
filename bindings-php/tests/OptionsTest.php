<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use QfPay\{Client, ConfigException, QfPayException, Sandbox, Signing, ValidationException};

/**
 * Every error about an option names it as PHP code writes it, in $field and in the message: a
 * value of the wrong type or out of range is a ValidationException, a configuration that cannot
 * work a ConfigException. Never a core name (timeout, max_retries, connect_timeout,
 * credentials(...)), never the amount hint on a count, never a value that may be a secret.
 */
final class OptionsTest extends TestCase
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

    /** Core and Rust names that must not reach a PHP message. */
    private const FOREIGN = ['timeout_ms', 'max_retries', 'connect_timeout', 'reconcile_timeout', 'utc_offset', 'UTC offset',
        'credentials(', 'sign type', 'app code', 'client key', 'minor units'];

    private function assertNamed(callable $call, string $class, string $field, string $case, string ...$says): void
    {
        try {
            $call();
            $this->fail("$case: no exception");
        } catch (QfPayException $e) {
            $m = $e->getMessage();
            $this->assertInstanceOf($class, $e, "$case: $m");
            $this->assertSame($field, $e->field, "$case: $m");
            $this->assertStringContainsString($field, $m, $case);
            foreach ($says as $s) {
                $this->assertStringContainsString($s, $m, $case);
            }
            foreach (self::FOREIGN as $f) {
                $this->assertStringNotContainsString($f, $m, $case);
            }
        }
    }

    public function testClientOptions(): void
    {
        $base = ['appCode' => 'A', 'clientKey' => 'K', 'baseUrl' => self::$sandbox->baseUrl];
        $v = ValidationException::class;
        $c = ConfigException::class;
        $cases = [
            // [options, class, field, words the message has]
            [['timeoutMs' => 0], $v, 'timeoutMs', ['greater than zero']],
            [['timeoutMs' => 0.0], $v, 'timeoutMs', ['greater than zero']],
            [['timeoutMs' => 'soon'], $v, 'timeoutMs', ['milliseconds']],
            [['timeoutMs' => -1], $v, 'timeoutMs', ['negative']],
            [['connectTimeoutMs' => 0], $v, 'connectTimeoutMs', ['greater than zero']],
            [['reconcileTimeoutMs' => NAN], $v, 'reconcileTimeoutMs', []],
            [['retryBaseDelayMs' => -1], $v, 'retryBaseDelayMs', []],
            [['retryMaxDelayMs' => INF], $v, 'retryMaxDelayMs', []],
            [['maxRetries' => 1.5], $v, 'maxRetries', ['whole number', 'non-negative']],
            [['maxRetries' => -1], $v, 'maxRetries', ['whole number', 'non-negative']],
            [['maxRetries' => '3'], $v, 'maxRetries', ['whole number']],
            [['utcOffsetSeconds' => 1.5], $v, 'utcOffsetSeconds', ['whole number']],
            [['utcOffsetSeconds' => 15 * 3600], $v, 'utcOffsetSeconds', ['14 hours']],
            [['appCode' => 5], $v, 'appCode', ['string']],
            [['signType' => 'sha1'], $c, 'signType', ['md5', 'sha256']],
            [['logLevel' => 'loud'], $c, 'logLevel', []],
            [['logger' => 5], $c, 'logger', []],
            [['environment' => 'mars', 'baseUrl' => null], $c, 'environment', ['production']],
            [['environment' => 'sandbox', 'baseUrl' => null], $c, 'environment', ['ambiguous']],
            [['baseUrl' => 'ftp://x'], $c, 'baseUrl', ['http']],
            [['baseUrl' => 'https://pay.example', 'proxy' => 'http://user:pw@[bad'], $c, 'proxy', ['proxy URL']],
            [['appCode' => null], $c, 'appCode', ['missing', 'QFPAY_APP_CODE']],
            [['clientKey' => ''], $c, 'clientKey', ['missing', 'QFPAY_CLIENT_KEY']],
            [['appCode' => 'A B'], $c, 'appCode', ['spaces']],
            [['appCode' => str_repeat('A', 65)], $c, 'appCode', ['64']],
            [['mchid' => str_repeat('M', 17)], $c, 'mchid', ['16']],
            [['typo' => 1], $c, 'typo', ["unknown option 'typo'", 'the client options']],
        ];
        foreach ($cases as $i => [$opts, $class, $field, $says]) {
            $this->assertNamed(fn () => new Client($opts + $base), $class, $field, "case $i " . json_encode($opts), ...$says);
        }
        // The same rules through the other entry points.
        $this->assertNamed(fn () => self::$sandbox->client(['timeoutMs' => 0]), $v, 'timeoutMs', 'sandbox client');
        $this->assertNamed(fn () => Client::fromEnv($base + ['maxRetries' => 1.5]), $v, 'maxRetries', 'fromEnv');
    }

    public function testPerCallAndWaitOptions(): void
    {
        $c = self::$sandbox->client();
        $v = ValidationException::class;
        $before = self::$sandbox->requestCount();
        $this->assertNamed(fn () => $c->wechatQr(300, 'HKD', ['timeoutMs' => 0]), $v, 'timeoutMs', 'payment timeoutMs 0', 'greater than zero');
        $this->assertNamed(fn () => $c->wechatQr(300, 'HKD', ['maxRetries' => 1.5]), $v, 'maxRetries', 'payment maxRetries 1.5', 'whole number');
        $this->assertNamed(fn () => $c->findPayment('A1', ['maxRetries' => -2]), $v, 'maxRetries', 'find maxRetries -2', 'non-negative');
        $this->assertNamed(fn () => $c->query(['timeoutMs' => 'x']), $v, 'timeoutMs', 'query timeoutMs string');
        $this->assertNamed(fn () => $c->refund('S1', 100, 'HKD', ['maxRetries' => 2.0]), $v, 'maxRetries', 'refund maxRetries 2.0');
        $this->assertNamed(fn () => $c->close(100, 'HKD', ['syssn' => 'S1', 'timeoutMs' => 0]), $v, 'timeoutMs', 'close timeoutMs 0');
        $this->assertNamed(fn () => $c->waitForPayment('A1', ['timeoutMs' => -1]), $v, 'timeoutMs', 'wait timeoutMs -1');
        $this->assertNamed(fn () => $c->waitForPayment('A1', ['intervalMs' => 'often']), $v, 'intervalMs', 'wait intervalMs');
        $this->assertNamed(fn () => $c->waitForPayment('A1', ['maxIntervalMs' => NAN]), $v, 'maxIntervalMs', 'wait maxIntervalMs');
        $this->assertSame($before, self::$sandbox->requestCount(), 'nothing was sent');
        // A QFPay field keeps its QFPay name; the amount hint stays on amounts.
        $this->assertNamed(fn () => $c->query(['pageSize' => 1.5]), $v, 'page_size', 'pageSize 1.5', 'whole number');
        try {
            $c->wechatQr(3.5, 'HKD');
            $this->fail('no exception');
        } catch (ValidationException $e) {
            $this->assertSame('txamt', $e->field);
            $this->assertStringContainsString('minor units', $e->getMessage());
        }
    }

    public function testSandboxAndSigningOptions(): void
    {
        $v = ValidationException::class;
        $c = ConfigException::class;
        $this->assertNamed(fn () => Sandbox::start(['port' => -1]), $v, 'port', 'port -1');
        $this->assertNamed(fn () => Sandbox::start(['pendingQueries' => 1.5]), $v, 'pendingQueries', 'pendingQueries 1.5', 'whole number');
        $this->assertNamed(fn () => Sandbox::start(['merchants' => 'x']), $c, 'merchants', 'merchants');
        $this->assertNamed(fn () => Sandbox::start(['rateLimit' => 3]), $c, 'rateLimit', 'rateLimit');
        $this->assertNamed(fn () => Sandbox::start(['typo' => 1]), $c, 'typo', 'sandbox typo');
        $this->assertNamed(fn () => Signing::sign(['a' => '1'], 'K', 'sha1'), $c, 'signType', 'sign signType');
    }

    public function testAValueThatMayBeASecretIsNeverQuoted(): void
    {
        $key = 'SECRETKEY' . bin2hex(random_bytes(8));
        $base = ['appCode' => 'A', 'clientKey' => $key, 'baseUrl' => 'https://pay.example'];
        foreach ([
            ['environment' => $key, 'baseUrl' => null],
            ['proxy' => "http://user:$key@[bad"],
            ['proxy' => "socks5://user:$key@proxy.example:1080"],
            ['proxy' => $key],
            ['baseUrl' => $key],
            ['signType' => $key],
            ['logLevel' => $key],
            ['timeoutMs' => $key],
            ['maxRetries' => $key],
            ['utcOffsetSeconds' => $key],
        ] as $i => $opts) {
            try {
                new Client($opts + $base);
                $this->fail("case $i: no exception");
            } catch (QfPayException $e) {
                $this->assertStringNotContainsString('SECRETKEY', $e->getMessage(), "case $i");
                $this->assertNotNull($e->field, "case $i: " . $e->getMessage());
                $this->assertArrayHasKey($e->field, $opts, "case $i: " . $e->getMessage());
            }
        }
    }
}
