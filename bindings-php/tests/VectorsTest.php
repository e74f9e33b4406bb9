<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use QfPay\{Client, CheckoutLink, Sandbox, Notification, Signing, QfPayException, SignatureException, ValidationException, DuplicateOrderException, Transaction, Payment, ReconcileReport, NoteAdded};

/** Every case of tests/vectors/*.json, through the PHP API. */
final class VectorsTest extends TestCase
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

    /** `out_trade_no` → `outTradeNo`. */
    public static function camel(string $name): string
    {
        return lcfirst(str_replace('_', '', ucwords($name, '_')));
    }

    /** Runs a vector operation with QFPay-named params through the client. */
    private static function call(Client $c, string $op, array $params)
    {
        $amount = $params['txamt'] ?? null;
        $currency = $params['txcurrcd'] ?? 'HKD';
        unset($params['txamt'], $params['txcurrcd']);
        $opts = [];
        foreach ($params as $k => $v) {
            if ($k === 'extend_info' && is_array($v)) {
                $v = ['userCreid' => $v['user_creid'], 'userTruename' => $v['user_truename']];
            }
            $opts[self::camel($k)] = $v;
        }
        switch ($op) {
            case 'payment':
                $payType = $opts['payType'];
                unset($opts['payType']);
                return $c->createPayment($amount, $currency, $payType, $opts);
            case 'query':
                return $c->query($opts);
            case 'refund':
                $syssn = $opts['syssn'];
                unset($opts['syssn']);
                return $c->refund($syssn, $amount, $currency, $opts);
            case 'close':
                return $c->close($amount, $currency, $opts);
            case 'reverse':
                return $c->reverse($amount, $currency, $opts);
        }
        throw new \LogicException("unknown operation $op");
    }

    public function testSigning(): void
    {
        $cases = qfpay_vectors('signing');
        $this->assertNotEmpty($cases);
        foreach ($cases as $case) {
            $this->assertSame($case['string_to_sign'], Signing::stringToSign($case['params']), $case['name']);
            $this->assertSame($case['signature'], Signing::sign($case['params'], $case['key'], $case['sign_type']), $case['name']);
        }
    }

    public function testNotifications(): void
    {
        $cases = qfpay_vectors('notifications');
        $this->assertNotEmpty($cases);
        foreach ($cases as $case) {
            if ($case['valid']) {
                $n = Notification::verify($case['body'], $case['signature'], $case['key']);
                foreach ($case['expect'] as $field => $want) {
                    $this->assertSame($want, $n->{self::camel($field)}, "{$case['name']}: $field");
                }
                $this->assertSame(Signing::notificationSignature($case['body'], $case['key']), strtoupper($case['signature']), $case['name']);
            } else {
                try {
                    Notification::verify($case['body'], $case['signature'], $case['key']);
                    $this->fail("{$case['name']}: accepted");
                } catch (QfPayException $e) {
                    $this->assertSame($case['error_code'], $e->errorCode, $case['name']);
                }
            }
        }
    }

    public function testValidation(): void
    {
        $cases = qfpay_vectors('validation');
        $this->assertNotEmpty($cases);
        $client = self::$sandbox->client(['maxRetries' => 0, 'reconcileTimeoutMs' => 300]);
        foreach ($cases as $case) {
            self::$sandbox->reset();
            try {
                self::call($client, $case['operation'], $case['params']);
                $this->assertTrue($case['valid'], "{$case['name']}: accepted");
            } catch (ValidationException $e) {
                $this->assertFalse($case['valid'], "{$case['name']}: refused: " . $e->getMessage());
                $this->assertSame($case['field'], $e->field, "{$case['name']}: " . $e->getMessage());
                $this->assertSame(0, self::$sandbox->requestCount(), "{$case['name']}: sent");
            } catch (QfPayException $e) {
                $this->assertTrue($case['valid'], "{$case['name']}: " . $e->getMessage());
            }
        }
    }

    public function testResponses(): void
    {
        $cases = qfpay_vectors('responses');
        $this->assertNotEmpty($cases);
        $client = self::$sandbox->client(['maxRetries' => 0, 'reconcileTimeoutMs' => 300]);
        foreach ($cases as $case) {
            self::$sandbox->reset();
            self::$sandbox->injectFault(['kind' => 'canned', 'status' => $case['status'], 'body' => $case['body']]);
            $expect = $case['expect'];
            try {
                $result = self::call($client, $case['operation'], $case['request']);
            } catch (QfPayException $e) {
                $this->assertFalse($expect['ok'], "{$case['name']}: " . $e->getMessage());
                $this->assertSame($expect['error_code'], $e->errorCode, "{$case['name']}: " . $e->getMessage());
                if (isset($expect['respcd'])) {
                    $this->assertSame($expect['respcd'], $e->respcd, $case['name']);
                }
                if (in_array($case['operation'], ['payment', 'refund', 'close'], true)) {
                    $this->assertNotNull($e->outTradeNo, "{$case['name']}: the error names its order");
                }
                continue;
            }
            $this->assertTrue($expect['ok'], "{$case['name']}: succeeded");
            foreach ($expect['fields'] as $field => $want) {
                if ($field === 'records') {
                    $this->assertCount($want, $result->data, $case['name']);
                } elseif ($field === 'first') {
                    foreach ($want as $f => $v) {
                        $this->assertSame($v, $result->data[0]->{self::camel($f)}, "{$case['name']}: first.$f");
                    }
                } else {
                    $this->assertSame($want, $result->{self::camel($field)}, "{$case['name']}: $field");
                }
            }
        }
    }

    /**
     * Every expected field of a result, core snake_case names read as the PHP properties
     * (`is_paid` → `isPaid`, `notify_type` → `notifyType`): every key, none skipped.
     */
    private function checkFields(string $name, object $result, array $expect): void
    {
        $this->assertNotEmpty($expect, $name);
        foreach ($expect as $field => $want) {
            $this->assertSame($want, $result->{self::camel($field)}, "$name: $field");
        }
    }

    /**
     * `$got` holds everything `$expect` says, recursively: an expected object's fields (core
     * snake_case names read as the PHP camelCase properties; others may exist, e.g. `detail`),
     * an expected list item by item with the same length, any other value the same (`kind` is
     * already its string; null is an absent amount).
     */
    private function contains(string $name, mixed $got, mixed $expect): void
    {
        if (is_array($expect) && !array_is_list($expect)) {
            $this->assertIsObject($got, "$name: not an object");
            foreach ($expect as $field => $want) {
                $prop = self::camel((string) $field);
                $this->assertTrue(property_exists($got, $prop), "$name: no $prop in " . get_class($got));
                $this->contains("$name.$field", $got->{$prop}, $want);
            }
        } elseif (is_array($expect)) {
            $this->assertIsArray($got, "$name: not a list");
            $this->assertTrue(array_is_list($got), "$name: not a list");
            $this->assertCount(count($expect), $got, $name);
            foreach ($expect as $i => $want) {
                $this->contains("{$name}[$i]", $got[$i], $want);
            }
        } else {
            $this->assertSame($expect, $got, $name);
        }
    }

    /**
     * A payment's expected fields; the pay-parameter objects (`wechat_pay_params`, ...) are
     * typed objects compared field by field, `raw` as QFPay sent it, or null.
     */
    private function checkPayment(string $name, Payment $p, array $expect): void
    {
        foreach ($expect as $field => $want) {
            $got = $p->{self::camel($field)};
            if (is_array($want) && str_ends_with($field, '_params')) {
                $this->assertIsObject($got, "$name: $field");
                $this->assertSame('QfPay\\' . ucfirst(self::camel($field)), get_class($got), "$name: $field");
                foreach ($want as $f => $v) {
                    if ($f === 'raw') {
                        $this->assertEquals($v, $got->raw, "$name: $field.raw");
                    } else {
                        $this->assertSame($v, $got->{self::camel($f)}, "$name: $field.$f");
                    }
                }
            } else {
                $this->assertSame($want, $got, "$name: $field");
            }
        }
    }

    /**
     * tests/vectors/checkout.json: `sign` cases build exactly the link (checkoutUrl, by the
     * SDK's names as PHP writes them) and read it back; `verify` cases verify, or fail with a
     * SignatureException naming the reason.
     */
    public function testCheckout(): void
    {
        $cases = qfpay_vectors('checkout');
        $kinds = [];
        foreach ($cases as $case) {
            $name = $case['name'];
            $kinds[$case['kind']] = true;
            $options = ['appCode' => $case['app_code'], 'clientKey' => $case['key'], 'baseUrl' => $case['base_url']];
            if (isset($case['sign_type'])) {
                $options['signType'] = $case['sign_type'];
            }
            $client = new Client($options);
            if ($case['kind'] === 'sign') {
                $r = $case['request'];
                $opts = [];
                foreach ($r as $k => $v) {
                    if (!in_array($k, ['amount', 'currency', 'return_url', 'failed_url', 'notify_url'], true)) {
                        $opts[self::camel($k)] = $v;
                    }
                }
                $link = $client->checkoutUrl($r['amount'], $r['currency'], $r['return_url'], $r['failed_url'], $r['notify_url'], $opts);
                $this->assertInstanceOf(CheckoutLink::class, $link, $name);
                $this->assertSame($case['url'], $link->url, $name);
                $this->assertSame($case['sign'], $link->sign, $name);
                $this->assertSame($case['sign_type'], $link->signType, $name);
                $this->assertSame($r['out_trade_no'], $link->outTradeNo, $name);
                $this->assertSame($r['amount'], $link->txamt, $name);
                $back = $client->verifyCheckoutUrl($link->url);
                $this->assertSame($link->sign, $back->sign, "$name: read back");
                $this->assertSame($link->params, $back->params, "$name: read back");
            } elseif ($case['valid']) {
                $this->assertInstanceOf(CheckoutLink::class, $client->verifyCheckoutUrl($case['url']), $name);
            } else {
                try {
                    $client->verifyCheckoutUrl($case['url']);
                    $this->fail("$name: verified");
                } catch (SignatureException $e) {
                    $this->assertSame('signature', $e->errorCode, $name);
                    if (isset($case['reason'])) {
                        $this->assertStringContainsString($case['reason'], $e->getMessage(), $name);
                    }
                }
            }
        }
        ksort($kinds);
        $this->assertSame(['sign', 'verify'], array_keys($kinds));
    }

    /** tests/vectors/results.json: typed fields and computed values (state, isPaid, isRefund, isSuccess) from core. */
    public function testResults(): void
    {
        $cases = qfpay_vectors('results');
        $this->assertNotEmpty($cases);
        $client = self::$sandbox->client(['maxRetries' => 0, 'reconcileTimeoutMs' => 300]);
        $kinds = [];
        foreach ($cases as $case) {
            $name = $case['name'];
            $expect = $case['expect'];
            $kinds[$case['kind']] = true;
            self::$sandbox->reset();
            switch ($case['kind']) {
                case 'transaction':
                    self::$sandbox->injectFault(['kind' => 'canned', 'status' => 200, 'body' => $case['answer']]);
                    $page = $client->query(['syssn' => $case['syssn']]);
                    $this->assertCount(1, $page->data, $name);
                    $this->assertInstanceOf(Transaction::class, $page->data[0], $name);
                    $this->checkFields($name, $page->data[0], $expect);
                    break;
                case 'notification':
                    $n = Notification::verify($case['body'], $case['signature'], $case['key']);
                    $this->checkFields($name, $n, $expect);
                    break;
                case 'duplicate_order':
                    foreach ($case['answers'] as $answer) {
                        self::$sandbox->injectFault(['kind' => 'canned', 'status' => 200, 'body' => $answer]);
                    }
                    $r = $case['request'];
                    try {
                        $client->createPayment($r['txamt'], $r['txcurrcd'], $r['pay_type'], ['outTradeNo' => $r['out_trade_no']]);
                        $this->fail("$name: accepted");
                    } catch (DuplicateOrderException $e) {
                        $this->assertSame($expect['error_code'], $e->errorCode, $name);
                        $this->assertSame($expect['respcd'], $e->respcd, $name);
                        $this->assertSame($expect['out_trade_no'], $e->outTradeNo, $name);
                        $this->assertInstanceOf(Transaction::class, $e->existing, "$name: existing");
                        $this->checkFields("$name: existing", $e->existing, $expect['existing']);
                    }
                    break;
                case 'payment':
                    self::$sandbox->injectFault(['kind' => 'canned', 'status' => 200, 'body' => $case['answer']]);
                    $r = $case['request'];
                    $opts = [];
                    foreach ($r as $k => $v) {
                        if (!in_array($k, ['txamt', 'txcurrcd', 'pay_type'], true)) {
                            $opts[self::camel($k)] = $v;
                        }
                    }
                    $p = $client->createPayment($r['txamt'], $r['txcurrcd'], $r['pay_type'], $opts);
                    $this->assertInstanceOf(Payment::class, $p, $name);
                    $this->checkPayment($name, $p, $expect);
                    break;
                case 'reconcile':
                    self::$sandbox->injectFault(['kind' => 'canned', 'status' => 200, 'body' => $case['answer']]);
                    $report = $client->reconcile($case['ledger'], $case['start_time'], $case['end_time'], ['minIntervalMs' => 0]);
                    $this->assertInstanceOf(ReconcileReport::class, $report, $name);
                    $this->assertNotEmpty($expect, $name);
                    $this->contains($name, $report, $expect);
                    break;
                case 'note':
                    self::$sandbox->injectFault(['kind' => 'canned', 'status' => 200, 'body' => $case['answer']]);
                    $added = $client->addNote($case['syssn'], $case['note']);
                    $this->assertInstanceOf(NoteAdded::class, $added, $name);
                    $this->checkFields($name, $added, $expect);
                    break;
                default:
                    $this->fail("$name: unknown kind {$case['kind']}");
            }
        }
        ksort($kinds);
        $this->assertSame(['duplicate_order', 'note', 'notification', 'payment', 'reconcile', 'transaction'], array_keys($kinds));
    }
}
