<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * The IDE stub (stubs/qfpay.php and the generated stubs/surface.php) against the loaded
 * extension, by reflection: every class, method (with its
 * parameter names and optionality), property and constant of one is in the other, nothing
 * missing and nothing extra, and every stub member has a docblock. Then tests/surface.json
 * (canonical snake_case) against the extension, names mapped to lowerCamelCase.
 */
final class StubTest extends TestCase
{
    /** @return array<string, array{kind: string, parent: ?string, methods: array<string, list<array{string, bool}>>, props: list<string>, consts: list<string>, undocumented: list<string>}> */
    private static function parseStub(): array
    {
        $classes = [];
        foreach (qfpay_stub_files() as $file) {
            $more = self::parseStubFile($file);
            $twice = array_keys(array_intersect_key($classes, $more));
            if ($twice !== []) {
                throw new \LogicException('declared in two stub files: ' . implode(', ', $twice));
            }
            $classes += $more;
        }
        return $classes;
    }

    /** @return array<string, array{kind: string, parent: ?string, methods: array<string, list<array{string, bool}>>, props: list<string>, consts: list<string>, undocumented: list<string>}> */
    private static function parseStubFile(string $file): array
    {
        $tokens = token_get_all((string) file_get_contents($file));
        $classes = [];
        $current = null;
        $doc = null;
        $depth = 0;
        $classDepth = -1;
        $n = count($tokens);
        for ($i = 0; $i < $n; $i++) {
            $t = $tokens[$i];
            if (is_string($t)) {
                if ($t === '{') {
                    $depth++;
                } elseif ($t === '}') {
                    $depth--;
                    if ($depth === $classDepth) {
                        $current = null;
                        $classDepth = -1;
                    }
                }
                continue;
            }
            [$id, $text] = $t;
            if ($id === T_DOC_COMMENT) {
                $doc = $text;
                continue;
            }
            if ($id === T_CURLY_OPEN || $id === T_DOLLAR_OPEN_CURLY_BRACES) {
                $depth++;
                continue;
            }
            $next = fn (int $from) => (function () use ($tokens, $from, $n) {
                for ($j = $from; $j < $n; $j++) {
                    if (is_array($tokens[$j]) && $tokens[$j][0] === T_STRING) {
                        return [$j, $tokens[$j][1]];
                    }
                }
                return [$n, ''];
            })();
            if (($id === T_CLASS || $id === T_INTERFACE) && $current === null) {
                [$j, $name] = $next($i + 1);
                $parent = null;
                for ($k = $j + 1; $k < $n && $tokens[$k] !== '{'; $k++) {
                    if (is_array($tokens[$k]) && $tokens[$k][0] === T_EXTENDS) {
                        for ($m = $k + 1; $m < $n; $m++) {
                            if (is_array($tokens[$m]) && in_array($tokens[$m][0], [T_STRING, T_NAME_FULLY_QUALIFIED, T_NAME_QUALIFIED], true)) {
                                $raw = $tokens[$m][1];
                                $parent = str_starts_with($raw, '\\') ? ltrim($raw, '\\') : "QfPay\\$raw";
                                break;
                            }
                        }
                    }
                }
                $current = "QfPay\\$name";
                $classes[$current] = ['kind' => $id === T_CLASS ? 'class' : 'interface', 'parent' => $parent, 'methods' => [], 'props' => [], 'consts' => [], 'undocumented' => $doc === null ? ['(class)'] : []];
                $classDepth = $depth;
                $doc = null;
                continue;
            }
            if ($current === null) {
                continue;
            }
            if ($id === T_FUNCTION) {
                [$j, $name] = $next($i + 1);
                $params = [];
                for ($k = $j + 1; $k < $n && $tokens[$k] !== ')'; $k++) {
                    if (is_array($tokens[$k]) && $tokens[$k][0] === T_VARIABLE) {
                        $optional = false;
                        for ($m = $k + 1; $m < $n && $tokens[$m] !== ',' && $tokens[$m] !== ')'; $m++) {
                            if ($tokens[$m] === '=') {
                                $optional = true;
                            }
                        }
                        $params[] = [substr($tokens[$k][1], 1), $optional];
                    }
                }
                $classes[$current]['methods'][$name] = $params;
                if ($doc === null) {
                    $classes[$current]['undocumented'][] = "$name()";
                }
                $doc = null;
                $i = $k;
                continue;
            }
            if ($id === T_VARIABLE && $depth === $classDepth + 1) {
                $classes[$current]['props'][] = substr($text, 1);
                if ($doc === null) {
                    $classes[$current]['undocumented'][] = $text;
                }
                $doc = null;
                continue;
            }
            if ($id === T_CONST) {
                [$j, $name] = $next($i + 1);
                $classes[$current]['consts'][] = $name;
                if ($doc === null) {
                    $classes[$current]['undocumented'][] = $name;
                }
                $doc = null;
                $i = $j;
            }
        }
        return $classes;
    }

    public function testStubMatchesTheExtension(): void
    {
        $stub = self::parseStub();
        $loaded = (new ReflectionExtension('qfpay'))->getClassNames();
        sort($loaded);
        $declared = array_keys($stub);
        sort($declared);
        $this->assertSame($loaded, $declared, 'the same classes');
        foreach ($stub as $class => $s) {
            $rc = new ReflectionClass($class);
            $this->assertSame([], $s['undocumented'], "$class: every member has a docblock");
            $this->assertSame($s['kind'] === 'interface', $rc->isInterface(), $class);
            $parent = $rc->getParentClass();
            $this->assertSame($s['parent'], $parent ? $parent->getName() : null, "$class: parent");
            $methods = [];
            foreach ($rc->getMethods() as $m) {
                if ($m->getDeclaringClass()->getName() !== $class) {
                    continue;
                }
                if ($m->getName() === '__construct' && $m->getNumberOfParameters() === 0 && !isset($s['methods']['__construct'])) {
                    continue;   // ext-php-rs's "not constructible from PHP" placeholder
                }
                $methods[$m->getName()] = array_map(fn ($p) => [$p->getName(), $p->isOptional()], $m->getParameters());
            }
            ksort($methods);
            $want = $s['methods'];
            ksort($want);
            $this->assertSame($want, $methods, "$class: methods and their parameters");
            $props = [];
            foreach ($rc->getProperties() as $p) {
                if ($p->getDeclaringClass()->getName() === $class && $p->isPublic()) {
                    $props[] = $p->getName();
                }
            }
            $wantProps = $s['props'];
            sort($props);
            sort($wantProps);
            $this->assertSame($wantProps, $props, "$class: properties");
            $consts = array_keys(array_filter($rc->getReflectionConstants(), fn ($c) => $c->getDeclaringClass()->getName() === $class));
            $consts = array_map(fn ($c) => $c->getName(), array_filter($rc->getReflectionConstants(), fn ($c) => $c->getDeclaringClass()->getName() === $class));
            sort($consts);
            $wantConsts = $s['consts'];
            sort($wantConsts);
            $this->assertSame($wantConsts, $consts, "$class: constants");
        }
        // The constants' values are the extension's.
        $this->assertSame('SUCCESS', \QfPay\QfPay::NOTIFICATION_ACK);
        $this->assertStringContainsString("NOTIFICATION_ACK = 'SUCCESS';", (string) file_get_contents(__DIR__ . '/../stubs/qfpay.php'));
    }

    private static function camel(string $s): string
    {
        return lcfirst(str_replace('_', '', ucwords($s, '_')));
    }

    public function testSurfaceJson(): void
    {
        $surface = json_decode((string) file_get_contents(QFPAY_REPO . '/tests/surface.json'), true, 512, JSON_THROW_ON_ERROR);
        $client = new ReflectionClass(\QfPay\Client::class);
        $this->assertTrue($client->hasMethod('__construct'));
        $this->assertTrue($client->hasMethod('fromEnv'));
        foreach ($surface['client']['properties'] as $p) {
            $this->assertTrue($client->hasProperty(self::camel($p)), "Client::\$" . self::camel($p));
        }
        $stub = qfpay_stub();
        // Client options: durations are milliseconds with the suffix Ms.
        $durations = ['timeout', 'connect_timeout', 'reconcile_timeout', 'retry_base_delay', 'retry_max_delay'];
        $sb = \QfPay\Sandbox::start(['rateLimit' => false]);
        try {
            foreach ($surface['client']['options'] as $o) {
                $key = self::camel($o) . (in_array($o, $durations, true) ? 'Ms' : '');
                $this->assertStringContainsString("$key?:", $stub, "client option $key documented");
                // The option is known to the extension (an unknown one is refused).
                try {
                    new \QfPay\Client([$key => null, 'appCode' => 'A', 'clientKey' => 'K', 'baseUrl' => $sb->baseUrl]);
                } catch (\QfPay\QfPayException $e) {
                    $this->assertStringNotContainsString("invalid $key: is not an option", $e->getMessage(), $key);
                }
            }
            foreach ($surface['client']['refused_environment_names'] as $env) {
                try {
                    new \QfPay\Client(['environment' => $env, 'appCode' => 'A', 'clientKey' => 'K']);
                    $this->fail("environment $env accepted");
                } catch (\QfPay\ConfigException $e) {
                    $this->assertSame('config', $e->errorCode);
                }
            }
            foreach ($surface['client']['environments'] as $env) {
                $this->assertNotEmpty((new \QfPay\Client(['environment' => $env, 'appCode' => 'A', 'clientKey' => 'K']))->baseUrl, $env);
            }
            $c = $sb->client();
            foreach ($surface['operations'] as $op => $spec) {
                $m = self::camel($op);
                $this->assertTrue($client->hasMethod($m), "Client::$m");
                $params = array_map(fn ($p) => $p->getName(), $client->getMethod($m)->getParameters());
                $args = array_map([self::class, 'camel'], $spec['args']);
                $this->assertSame($args, array_slice($params, 0, count($args)), "$m: arguments");
                $this->assertSame('options', end($params), "$m: an options array last");
                foreach ($spec['options'] as $o) {
                    $key = self::camel($o) . ($op === 'wait_for_payment' ? 'Ms' : '');
                    // Known to the extension: passing it never says "is not an option".
                    try {
                        $bad = [$key => ['x']];
                        match ($op) {
                            'create_payment' => $c->createPayment(300, 'HKD', '800201', $bad),
                            'wechat_qr' => $c->wechatQr(300, 'HKD', $bad),
                            'query' => $c->query($bad),
                            'query_pages' => $c->queryPages($bad),
                            'refund' => $c->refund('S', 1, 'HKD', $bad),
                            'close' => $c->close(1, 'HKD', $bad),
                            'reverse' => $c->reverse(1, 'HKD', $bad),
                            'wait_for_payment' => $c->waitForPayment('A1', $bad),
                            default => null,
                        };
                    } catch (\QfPay\QfPayException $e) {
                        $this->assertStringNotContainsString("invalid $key: is not an option", $e->getMessage(), "$m: $key");
                    }
                }
                if ($spec['moves_money'] || in_array($op, ['query', 'query_pages', 'find_payment'], true)) {
                    foreach ($surface['call_options'] as $o) {
                        $key = self::camel($o) . ($o === 'timeout' ? 'Ms' : '');
                        $this->assertStringContainsString("$key?:", $stub, "$m: call option $key documented");
                    }
                }
            }
            $this->assertTrue((new ReflectionClass(\QfPay\QueryPages::class))->hasMethod('items'));
            foreach ($surface['results'] as $class => $fields) {
                $rc = new ReflectionClass("QfPay\\$class");
                $this->assertTrue($rc->isFinal(), $class);
                foreach ($fields as $f) {
                    $this->assertTrue($rc->hasProperty(self::camel($f)), "$class::\$" . self::camel($f));
                    // Typed and read-only in the extension, declared the same in the stub.
                    $p = $rc->getProperty(self::camel($f));
                    $this->assertTrue($p->isReadOnly(), "$class::\$" . $p->getName());
                    // A nested result's class as the stub names it, in its namespace.
                    $type = str_replace('QfPay\\', '', (string) $p->getType());
                    $this->assertStringContainsString("public readonly $type \${$p->getName()};", $stub, "$class::\$" . $p->getName());
                }
            }
            $base = new ReflectionClass(\QfPay\QfPayException::class);
            foreach ($surface['errors']['fields'] as $f) {
                if ($f === 'retry_after') {
                    // A duration: milliseconds with the suffix Ms, as the options (timeoutMs).
                    $this->assertTrue($base->hasProperty('retryAfterMs'), 'QfPayException::$retryAfterMs');
                    $this->assertFalse($base->hasProperty('retryAfter'), 'no unitless QfPayException::$retryAfter');
                } elseif ($f === 'code') {
                    $this->assertTrue($base->hasProperty('errorCode'));
                } elseif ($f === 'message') {
                    $this->assertTrue($base->hasMethod('getMessage'));
                } else {
                    $this->assertTrue($base->hasProperty(self::camel($f)), "QfPayException::\$" . self::camel($f));
                }
            }
            // Deliberate class names: code timeout is a request-timeout error in every language
            // (Python RequestTimeoutError, the JVM's and PHP's RequestTimeoutException).
            $classNames = ['timeout' => 'RequestTimeout'];
            $this->assertFalse(class_exists('QfPay\\TimeoutException'), 'no second name for code timeout');
            foreach ($surface['errors']['codes'] as $code) {
                $name = 'QfPay\\' . ($classNames[$code] ?? str_replace('_', '', ucwords($code, '_'))) . 'Exception';
                $this->assertTrue(class_exists($name), $name);
                $this->assertTrue(is_subclass_of($name, \QfPay\QfPayException::class), $name);
            }
            // Functions: PHP groups them in classes (recorded here, not in surface.json's names).
            $functions = [
                'sign' => [\QfPay\Signing::class, 'sign'], 'string_to_sign' => [\QfPay\Signing::class, 'stringToSign'],
                'verify_notification' => [\QfPay\Notification::class, 'verify'],
                'notification_signature' => [\QfPay\Signing::class, 'notificationSignature'],
                'qr_svg' => [\QfPay\Qr::class, 'svg'], 'qr_png' => [\QfPay\Qr::class, 'png'],
                'qr_data_url' => [\QfPay\Qr::class, 'dataUrl'], 'qr_terminal' => [\QfPay\Qr::class, 'terminal'],
                'generate_out_trade_no' => [\QfPay\QfPay::class, 'generateOutTradeNo'],
            ];
            $this->assertSame($surface['functions'], array_keys($functions));
            foreach ($functions as [$class, $method]) {
                $this->assertTrue((new ReflectionMethod($class, $method))->isStatic(), "$class::$method");
            }
            // Each function reachable one way: no second home for one of them on another class.
            foreach (get_declared_classes() as $class) {
                if (!str_starts_with($class, 'QfPay\\')) {
                    continue;
                }
                foreach ($functions as [$home, $method]) {
                    if ($class !== $home) {
                        $this->assertFalse(method_exists($class, $method), "$class::$method besides $home::$method");
                    }
                }
            }
            // One constant for the notification answer: QfPay::NOTIFICATION_ACK, none elsewhere.
            foreach (get_declared_classes() as $class) {
                if (str_starts_with($class, 'QfPay\\') && $class !== \QfPay\QfPay::class) {
                    $this->assertNotContains(\QfPay\QfPay::NOTIFICATION_ACK, (new ReflectionClass($class))->getConstants(), "$class: a second notification answer");
                }
            }
            foreach ($surface['constants'] as $const) {
                $this->assertTrue(defined('QfPay\QfPay::' . strtoupper($const)), $const);
            }
            $sandbox = new ReflectionClass(\QfPay\Sandbox::class);
            foreach ($surface['sandbox']['controls'] as $ctl) {
                $n = self::camel($ctl);
                $this->assertTrue($sandbox->hasMethod($n) || $sandbox->hasProperty($n), "Sandbox::$n");
            }
            foreach ($surface['sandbox']['start_options'] as $o) {
                $key = self::camel($o) . ($o === 'slow_response' ? 'Ms' : '');
                $this->assertStringContainsString("$key?:", $stub, "sandbox option $key");
            }
            foreach ($surface['sandbox']['faults'] as $kind) {
                $sb->injectFault(['kind' => $kind, 'ms' => 1, 'status' => 500, 'body' => '{}']);
            }
            $sb->reset();
            $order = $c->wechatQr(300);
            $orders = $sb->orders();
            foreach ($surface['sandbox']['orders_fields'] as $f) {
                $this->assertArrayHasKey($f, $orders[0]);
            }
            $this->assertSame($order->outTradeNo, $orders[0]['out_trade_no']);
            $log = new class {
                public array $kinds = [];
                public array $fields = [];
                public function debug($m, array $c = []) { $this->kinds[] = $c['kind']; $this->fields += $c; }
                public function info($m, array $c = []) { $this->debug($m, $c); }
                public function warning($m, array $c = []) { $this->debug($m, $c); }
                public function error($m, array $c = []) { $this->debug($m, $c); }
            };
            $sb->injectFault(['kind' => 'http_status', 'status' => 429]);
            $sb->client(['logger' => $log, 'retryBaseDelayMs' => 5])->wechatQr(300);
            foreach (['request', 'response', 'retry'] as $k) {
                $this->assertContains($k, $log->kinds);
            }
            foreach (['endpoint', 'attempt', 'out_trade_no', 'elapsed_ms', 'http_status', 'decision'] as $f) {
                $this->assertArrayHasKey($f, $log->fields, "event field $f");
            }
        } finally {
            $sb->stop();
        }
    }
}
