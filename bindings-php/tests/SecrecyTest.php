<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use QfPay\{Client, Notification, Sandbox, Signing};

/**
 * The client key never shows in any form of an exception, even with
 * zend.exception_ignore_args=0 (PHP's built-in default and php.ini-development's), where every
 * trace frame records its arguments: every parameter that can carry the key is
 * #[\SensitiveParameter], and no message quotes a value that may be a secret.
 */
final class SecrecyTest extends TestCase
{
    /** Each parameter of the extension that can carry the key: class, method, parameter. */
    private const SENSITIVE = [
        ['QfPay\Client', '__construct', 'options'],
        ['QfPay\Client', 'fromEnv', 'overrides'],
        ['QfPay\Sandbox', 'start', 'options'],
        ['QfPay\Sandbox', 'client', 'overrides'],
        ['QfPay\Signing', 'sign', 'clientKey'],
        ['QfPay\Signing', 'notificationSignature', 'clientKey'],
        ['QfPay\Notification', 'verify', 'signature'],
        ['QfPay\Notification', 'verify', 'clientKey'],
    ];

    /** Runs $code in a php process with the extension and zend.exception_ignore_args=0. */
    private static function php(string $code, array $env = []): array
    {
        $file = tempnam(sys_get_temp_dir(), 'qfpay-secrecy');
        file_put_contents($file, "<?php\n" . $code);
        try {
            $proc = proc_open(
                [PHP_BINARY, '-n', '-d', 'extension=' . qfpay_extension_path(), '-d', 'zend.exception_ignore_args=0',
                    '-d', 'error_reporting=-1', '-d', 'display_errors=stderr', '-d', 'log_errors=0', $file],
                [1 => ['pipe', 'w'], 2 => ['pipe', 'w']],
                $pipes,
                null,
                $env + getenv()
            );
            $out = (string) stream_get_contents($pipes[1]);
            $err = (string) stream_get_contents($pipes[2]);
            $status = proc_close($proc);
        } finally {
            unlink($file);
        }
        return [$status, $out, $err];
    }

    public function testTheKeyCarryingParametersAreSensitiveInTheExtensionAndTheStub(): void
    {
        $stub = qfpay_stub();
        $expected = array_map(fn ($s) => implode('::', $s), self::SENSITIVE);
        $found = [];
        foreach (get_declared_classes() as $class) {
            if (!str_starts_with($class, 'QfPay\\')) {
                continue;
            }
            foreach ((new ReflectionClass($class))->getMethods() as $m) {
                foreach ($m->getParameters() as $p) {
                    $sensitive = $p->getAttributes(SensitiveParameter::class) !== [];
                    if ($sensitive) {
                        $found[] = "$class::{$m->getName()}::{$p->getName()}";
                    }
                    if ($p->getName() === 'clientKey') {
                        $this->assertTrue($sensitive, "$class::{$m->getName()} \$clientKey");
                    }
                }
            }
        }
        sort($found);
        sort($expected);
        $this->assertSame($expected, $found);
        foreach (self::SENSITIVE as [$class, $method, $param]) {
            $this->assertMatchesRegularExpression(
                '/function ' . $method . '\([^)]*#\[\\\\SensitiveParameter\] [^$)]*\$' . $param . '\b/',
                $stub,
                "the stub marks $class::$method \$$param"
            );
        }
    }

    public function testTracesHoldSensitiveParameterValuesNotTheKey(): void
    {
        // The reproduction of the issue, then every key-carrying parameter's frame.
        $code = <<<'PHP'
        $key = 'QFK' . bin2hex(random_bytes(14));
        $sb = QfPay\Sandbox::start(['rateLimit' => false]);
        $frames = [];
        $cases = [
            'verify' => [fn () => QfPay\Notification::verify('{}', '00', $key), 2],
            'verify, arguments swapped' => [fn () => QfPay\Notification::verify('{}', $key, '00'), 1],
            'construct' => [fn () => new QfPay\Client(['appCode' => 'A', 'clientKey' => $key, 'timeoutMs' => 0]), 0],
            'fromEnv' => [fn () => QfPay\Client::fromEnv(['appCode' => 'A', 'clientKey' => $key, 'timeoutMs' => 0]), 0],
            'sandbox client' => [fn () => $sb->client(['clientKey' => $key, 'timeoutMs' => 0]), 0],
            'sandbox start' => [fn () => QfPay\Sandbox::start(['merchants' => [['appCode' => 'A', 'clientKey' => $key]], 'port' => -1]), 0],
            'sign' => [fn () => QfPay\Signing::sign(['a' => [1]], $key), 1],
            'notificationSignature' => [fn () => QfPay\Signing::notificationSignature([], $key), 1],
        ];
        foreach ($cases as $name => [$f, $at]) {
            try {
                $f();
                $frames[$name] = 'no exception';
            } catch (Throwable $e) {
                $arg = $e->getTrace()[0]['args'][$at] ?? null;
                $frames[$name] = [
                    'class' => get_class($e),
                    'sensitive' => $arg instanceof SensitiveParameterValue,
                    // The wrapped value is the real argument (PHP's SensitiveParameterValue).
                    'wraps' => $arg instanceof SensitiveParameterValue && str_contains(json_encode($arg->getValue()), $key),
                    'hits' => substr_count(print_r($e->getTrace(), true), $key),
                ];
            }
        }
        $sb->stop();
        echo json_encode($frames);
        PHP;
        [$status, $out, $err] = self::php($code);
        $this->assertSame(0, $status, $err);
        $frames = json_decode($out, true);
        $this->assertIsArray($frames, $out . $err);
        foreach ($frames as $name => $f) {
            $this->assertIsArray($f, "$name: " . json_encode($f));
            $this->assertTrue($f['sensitive'], "$name: " . json_encode($f));
            $this->assertTrue($f['wraps'], "$name: " . json_encode($f));
            $this->assertSame(0, $f['hits'], $name);
        }
        $this->assertCount(8, $frames);
    }

    public function testTheKeyAppearsInNoFormOfAnyException(): void
    {
        $code = <<<'PHP'
        $key = 'QFK' . bin2hex(random_bytes(14));          // 31 characters, unique
        $head = substr($key, 0, 12);                       // what a truncated string arg shows
        $sb = QfPay\Sandbox::start(['rateLimit' => false, 'merchants' => [['appCode' => 'SECRECYAPP000001', 'clientKey' => $key]]]);
        $base = $sb->baseUrl;
        $c = fn (#[\SensitiveParameter] array $o) => new QfPay\Client($o + ['appCode' => 'A', 'clientKey' => $key, 'baseUrl' => $base]);
        $cases = [
            'timeoutMs 0' => fn () => $c(['timeoutMs' => 0]),
            'key as environment' => fn () => $c(['environment' => $key, 'baseUrl' => null]),
            'key in a malformed proxy' => fn () => $c(['baseUrl' => 'https://pay.example', 'proxy' => "http://user:$key@[bad"]),
            'key in a proxy of another scheme' => fn () => $c(['baseUrl' => 'https://pay.example', 'proxy' => "ftp://user:$key@proxy.example:21"]),
            'key as proxy' => fn () => $c(['baseUrl' => 'https://pay.example', 'proxy' => $key]),
            'key as baseUrl' => fn () => $c(['baseUrl' => $key]),
            'key as mchid' => fn () => $c(['mchid' => $key]),
            'key as appCode, with a space' => fn () => $c(['appCode' => "$key $key"]),
            'key as signType' => fn () => $c(['signType' => $key]),
            'key as timeoutMs' => fn () => $c(['timeoutMs' => $key]),
            'key as maxRetries' => fn () => $c(['maxRetries' => $key]),
            'key as utcOffsetSeconds' => fn () => $c(['utcOffsetSeconds' => $key]),
            'key as logLevel' => fn () => $c(['logLevel' => $key]),
            'key as logger' => fn () => $c(['logger' => $key]),
            'key as clientKey, not a string' => fn () => $c(['clientKey' => [$key]]),
            'wrong key (auth)' => fn () => $c(['appCode' => 'SECRECYAPP000001', 'clientKey' => "{$key}X"])->wechatQr(300),
            'fromEnv' => fn () => QfPay\Client::fromEnv(['appCode' => 'A', 'clientKey' => $key, 'environment' => $key]),
            'sandbox client' => fn () => $sb->client(['clientKey' => $key, 'proxy' => $key, 'baseUrl' => 'https://pay.example']),
            'sandbox start' => fn () => QfPay\Sandbox::start(['merchants' => [['appCode' => 'A', 'clientKey' => $key, 'notifyUrl' => $key]], 'port' => -1]),
            'sandbox start, bad merchant' => fn () => QfPay\Sandbox::start(['merchants' => [['appCode' => 'A', 'clientKey' => $key, 'bogus' => $key]]]),
            'verify, bad signature' => fn () => QfPay\Notification::verify('{"status": "1"}', 'BAD', $key),
            'verify, key as signature' => fn () => QfPay\Notification::verify('{"status": "1"}', $key, $key),
            'verify, body not a string' => fn () => QfPay\Notification::verify(['x'], 'BAD', $key),
            'verify, arguments swapped' => fn () => QfPay\Notification::verify('{"status": "1"}', $key, 'BAD'),
            'verify, key not a string' => fn () => QfPay\Notification::verify('{}', 'BAD', [$key]),
            'sign, bad params' => fn () => QfPay\Signing::sign(['a' => [1]], $key),
            'sign, unknown signType' => fn () => QfPay\Signing::sign(['a' => '1'], $key, 'sha1'),
            'sign, params not an array' => fn () => QfPay\Signing::sign('x', $key),
            'notificationSignature, body not a string' => fn () => QfPay\Signing::notificationSignature([], $key),
        ];
        $report = [];
        foreach ($cases as $name => $f) {
            try {
                $f();
                $report[$name] = ['class' => null];
                continue;
            } catch (Throwable $e) {
            }
            $forms = [];
            $forms['print_r'] = print_r($e, true);
            ob_start();
            var_dump($e);
            $forms['var_dump'] = (string) ob_get_clean();
            $forms['var_export'] = var_export($e, true);
            try {
                $forms['serialize'] = serialize($e);
            } catch (Throwable $s) {
                // A SensitiveParameterValue refuses to be serialized (as for hash_hmac's key).
                $forms['serialize'] = get_class($s) . ': ' . $s->getMessage();
            }
            $forms['getTraceAsString'] = $e->getTraceAsString();
            $forms['getTrace'] = print_r($e->getTrace(), true) . var_export($e->getTrace(), true);
            $forms['string'] = (string) $e;
            $forms['getMessage'] = $e->getMessage();
            $forms['json'] = (string) json_encode((array) $e, JSON_PARTIAL_OUTPUT_ON_ERROR | JSON_INVALID_UTF8_SUBSTITUTE)
                . (string) json_encode(get_object_vars($e), JSON_PARTIAL_OUTPUT_ON_ERROR);
            $hits = [];
            foreach ($forms as $form => $text) {
                $n = substr_count($text, $key) + substr_count($text, $head);
                if ($n > 0) {
                    $hits[$form] = $n;
                }
            }
            $report[$name] = ['class' => get_class($e), 'hits' => $hits, 'message' => str_replace($key, '<KEY>', $e->getMessage())];
        }
        // The client itself.
        $cl = $c([]);
        $forms = ['print_r' => print_r($cl, true), 'var_export' => var_export($cl, true), 'json' => (string) json_encode($cl), 'array' => print_r((array) $cl, true)];
        ob_start();
        var_dump($cl);
        $forms['var_dump'] = (string) ob_get_clean();
        try {
            $forms['serialize'] = serialize($cl);
        } catch (Throwable $s) {
            $forms['serialize'] = get_class($s) . ': ' . $s->getMessage();
        }
        $hits = [];
        foreach ($forms as $form => $text) {
            $n = substr_count($text, $key) + substr_count($text, $head);
            if ($n > 0) {
                $hits[$form] = $n;
            }
        }
        $report['the client object'] = ['class' => 'dump', 'hits' => $hits];
        $sb->stop();
        echo json_encode($report);
        PHP;
        [$status, $out, $err] = self::php($code);
        $this->assertSame(0, $status, $err);
        $report = json_decode($out, true);
        $this->assertIsArray($report, $out . $err);
        $this->assertCount(30, $report);
        $leaks = array_filter($report, fn ($r) => $r['class'] === null || $r['hits'] !== []);
        $this->assertSame([], $leaks, 'no exception, or the key shows');
        // What the misplaced values give (the messages name the option, never the value).
        $this->assertStringContainsString('environment is unknown', $report['key as environment']['message']);
        $this->assertStringContainsString('proxy', $report['key in a malformed proxy']['message']);
        $this->assertSame('QfPay\AuthException', $report['wrong key (auth)']['class']);
        $this->assertSame('QfPay\SignatureException', $report['verify, bad signature']['class']);
        $this->assertStringContainsString('signType', $report['sign, unknown signType']['message']);
    }
}
