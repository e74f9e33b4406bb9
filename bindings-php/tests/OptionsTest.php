<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use QfPay\{Client, ConfigException, QfPayException, Sandbox, Signing, ValidationException};

/**
 * Every error about an option names it as PHP code writes it, in $field and in the message: a
 * value of the wrong type, one PHP cannot convert or an unknown key is a ValidationException, a
 * configuration the core refuses a ConfigException ("configuration error: timeoutMs must be
 * greater than zero"). Never a core name (timeout, max_retries, connect_timeout,
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

    /**
     * Every client option the core names (tests/surface.json) and the extension's own, each with
     * values it refuses: [option as the core names it (null: the extension's own), options, class,
     * $field, words the message has]. A ConfigException reads "configuration error: <option as
     * PHP writes it> <rule>", the core's rule after PHP's name, never the core's snake_case name.
     */
    private function clientOptionCases(): array
    {
        $v = ValidationException::class;
        $c = ConfigException::class;
        return [
            ['app_code', ['appCode' => null], $c, 'appCode', ['is missing', 'QFPAY_APP_CODE']],
            ['app_code', ['appCode' => 5], $v, 'appCode', ['string']],
            ['app_code', ['appCode' => 'A B'], $c, 'appCode', ['spaces']],
            ['app_code', ['appCode' => str_repeat('A', 65)], $c, 'appCode', ['64']],
            ['client_key', ['clientKey' => ''], $c, 'clientKey', ['is missing', 'QFPAY_CLIENT_KEY']],
            ['environment', ['environment' => 'mars', 'baseUrl' => null], $c, 'environment', ['is unknown', 'production']],
            ['environment', ['environment' => 'sandbox', 'baseUrl' => null], $c, 'environment', ['ambiguous']],
            ['base_url', ['baseUrl' => 'ftp://x'], $c, 'baseUrl', ['http']],
            ['mchid', ['mchid' => str_repeat('M', 17)], $c, 'mchid', ['16']],
            ['sign_type', ['signType' => 'sha1'], $c, 'signType', ['is unknown', 'md5', 'sha256']],
            ['timeout', ['timeoutMs' => 0], $c, 'timeoutMs', ['must be greater than zero']],
            ['timeout', ['timeoutMs' => 0.0], $v, 'timeoutMs', ['milliseconds', 'got a float']],
            ['timeout', ['timeoutMs' => 'soon'], $v, 'timeoutMs', ['milliseconds']],
            ['timeout', ['timeoutMs' => -1], $v, 'timeoutMs', ['negative']],
            ['connect_timeout', ['connectTimeoutMs' => 0], $c, 'connectTimeoutMs', ['must be greater than zero']],
            ['connect_timeout', ['connectTimeoutMs' => 1e19], $v, 'connectTimeoutMs', []],
            ['max_retries', ['maxRetries' => 1.5], $v, 'maxRetries', ['whole number']],
            ['max_retries', ['maxRetries' => -1], $v, 'maxRetries', ['0 to 4294967295']],
            ['max_retries', ['maxRetries' => '3'], $v, 'maxRetries', ['whole number']],
            ['reconcile_timeout', ['reconcileTimeoutMs' => NAN], $v, 'reconcileTimeoutMs', []],
            ['retry_base_delay', ['retryBaseDelayMs' => -1], $v, 'retryBaseDelayMs', []],
            ['retry_max_delay', ['retryMaxDelayMs' => INF], $v, 'retryMaxDelayMs', []],
            ['utc_offset_seconds', ['utcOffsetSeconds' => 15 * 3600], $c, 'utcOffsetSeconds', ['14 hours']],
            ['utc_offset_seconds', ['utcOffsetSeconds' => PHP_INT_MIN], $c, 'utcOffsetSeconds', ['14 hours']],
            ['utc_offset_seconds', ['utcOffsetSeconds' => 1.5], $v, 'utcOffsetSeconds', ['whole number']],
            ['proxy', ['baseUrl' => 'https://pay.example', 'proxy' => 'http://user:pw@[bad'], $c, 'proxy', ['proxy URL']],
            ['proxy', ['baseUrl' => 'https://pay.example', 'proxy' => 'socks5://proxy.example:1080'], $c, 'proxy', ['http://']],
            [null, ['logLevel' => 'loud'], $c, 'logLevel', ['must be error, warn']],
            [null, ['logger' => 5], $c, 'logger', ['must be an object']],
            [null, ['typo' => 1], $v, 'typo', ['is not an option of the client options']],
            [null, ['app_code' => 'A'], $v, 'app_code', ['is not an option', 'appCode']],
        ];
    }

    public function testEveryClientOptionIsNamedAsPhpWritesIt(): void
    {
        $base = ['appCode' => 'A', 'clientKey' => 'K', 'baseUrl' => self::$sandbox->baseUrl];
        $surface = json_decode((string) file_get_contents(__DIR__ . '/../../tests/surface.json'), true);
        $cases = $this->clientOptionCases();
        $covered = array_filter(array_column($cases, 0));
        foreach ($surface['client']['options'] as $o) {
            $this->assertContains($o, $covered, "client option $o has a case");
        }
        $configs = 0;
        foreach ($cases as $i => [$core, $opts, $class, $field, $says]) {
            $case = "case $i " . json_encode($opts);
            $this->assertNamed(fn () => new Client($opts + $base), $class, $field, $case, ...$says);
            try {
                new Client($opts + $base);
            } catch (QfPayException $e) {
                $m = $e->getMessage();
                if ($core !== null && $core !== $field) {
                    $this->assertDoesNotMatchRegularExpression("/\\b$core\\b/", $m, "$case: the core's name");
                }
                if ($class === ConfigException::class) {
                    $configs++;
                    $this->assertSame('config', $e->errorCode, $case);
                    $this->assertSame("configuration error: $field {$e->rule}", $m, $case);
                }
            }
        }
        $this->assertGreaterThan(10, $configs);
        // The same rules through the other entry points.
        $v = ValidationException::class;
        $c = ConfigException::class;
        $this->assertNamed(fn () => self::$sandbox->client(['timeoutMs' => 0]), $c, 'timeoutMs', 'sandbox client');
        $this->assertNamed(fn () => self::$sandbox->client(['timeoutMs' => -1]), $v, 'timeoutMs', 'sandbox client');
        $this->assertNamed(fn () => Client::fromEnv($base + ['maxRetries' => 1.5]), $v, 'maxRetries', 'fromEnv');
        $this->assertNamed(fn () => Client::fromEnv($base + ['connectTimeoutMs' => 0]), $c, 'connectTimeoutMs', 'fromEnv');
        $this->assertNamed(fn () => \QfPay\Notification::verify('{}', 'X', ''), $c, 'clientKey', 'verify', 'configuration error: clientKey is empty');
        $this->assertNamed(fn () => \QfPay\Notification::verify('{}', 'X', 5), $v, 'clientKey', 'verify');
    }

    public function testEnvironmentVariablesAreNamedByTheirOption(): void
    {
        $saved = getenv('QFPAY_SIGN_TYPE');
        putenv('QFPAY_SIGN_TYPE=sha1');
        try {
            $base = ['appCode' => 'A', 'clientKey' => 'K', 'baseUrl' => self::$sandbox->baseUrl];
            $this->assertNamed(fn () => Client::fromEnv($base), ConfigException::class, 'signType', 'QFPAY_SIGN_TYPE', 'md5');
        } finally {
            putenv($saved === false ? 'QFPAY_SIGN_TYPE' : "QFPAY_SIGN_TYPE=$saved");
        }
    }

    public function testPerCallAndWaitOptions(): void
    {
        $c = self::$sandbox->client();
        $v = ValidationException::class;
        $before = self::$sandbox->requestCount();
        $this->assertNamed(fn () => $c->wechatQr(300, 'HKD', ['timeoutMs' => 0]), $v, 'timeoutMs', 'payment timeoutMs 0', 'greater than zero');
        $this->assertNamed(fn () => $c->wechatQr(300, 'HKD', ['maxRetries' => 1.5]), $v, 'maxRetries', 'payment maxRetries 1.5', 'whole number');
        $this->assertNamed(fn () => $c->findPayment('A1', ['maxRetries' => -2]), $v, 'maxRetries', 'find maxRetries -2', '0 to 4294967295');
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
        $this->assertNamed(fn () => Sandbox::start(['merchants' => 'x']), $v, 'merchants', 'merchants', 'got a string');
        $this->assertNamed(fn () => Sandbox::start(['rateLimit' => 3]), $v, 'rateLimit', 'rateLimit', 'got an int');
        $this->assertNamed(fn () => Sandbox::start(['typo' => 1]), $v, 'typo', 'sandbox typo', 'is not an option of the sandbox options');
        $this->assertNamed(fn () => Sandbox::start(['rateLimit' => ['perHour' => 1]]), $v, 'perHour', 'rateLimit typo');
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
