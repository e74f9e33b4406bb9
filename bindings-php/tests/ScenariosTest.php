<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use QfPay\{Client, Sandbox, Notification, Signing, Payment, Transaction, Refund, Cancellation, QueryPage};
use QfPay\{QfPayException, ValidationException, DeclinedException, DuplicateOrderException,
    StatusUnknownException, SignatureException, ConfigException, ApiException, OrderStateException,
    RateLimitedException, RequestTimeoutException};

/** The same sandbox scenarios as the other languages' suites. */
final class ScenariosTest extends TestCase
{
    private static Sandbox $sandbox;
    private Client $client;

    public static function setUpBeforeClass(): void
    {
        self::$sandbox = Sandbox::start(['rateLimit' => false, 'pendingQueries' => 2]);
    }

    public static function tearDownAfterClass(): void
    {
        self::$sandbox->stop();
    }

    protected function setUp(): void
    {
        self::$sandbox->reset();
        $this->client = self::$sandbox->client(['reconcileTimeoutMs' => 1500]);
    }

    public function testPayScanQueryRefund(): void
    {
        $p = $this->client->wechatQr(300, 'HKD', ['goodsName' => 'Coffee']);
        $this->assertInstanceOf(Payment::class, $p);
        $this->assertSame('0000', $p->respcd);
        $this->assertSame(300, $p->txamt);
        $this->assertSame('HKD', $p->txcurrcd);
        $this->assertStringStartsWith('weixin://', (string) $p->qrcode);
        $this->assertSame('800201', $p->payType);
        $this->assertSame($p->syssn, $p->raw['syssn']);

        $t = $this->client->findPayment($p->outTradeNo);
        $this->assertInstanceOf(Transaction::class, $t);
        $this->assertSame('pending', $t->state);
        $this->assertFalse($t->isPaid);

        self::$sandbox->pay($p->outTradeNo);   // the customer scans
        $t = $this->client->findPayment($p->outTradeNo);
        $this->assertSame('succeeded', $t->state);
        $this->assertTrue($t->isPaid);
        $this->assertFalse($t->isRefund);

        $page = $this->client->query(['outTradeNo' => $p->outTradeNo]);
        $this->assertInstanceOf(QueryPage::class, $page);
        $this->assertCount(1, $page->data);
        $this->assertSame($p->syssn, $page->data[0]->syssn);

        $r = $this->client->refund($p->syssn, 100, 'HKD');
        $this->assertInstanceOf(Refund::class, $r);
        $this->assertSame(100, $r->txamt);
        $this->assertSame($p->syssn, $r->origSyssn);
        $this->assertSame('partially_refunded', $this->client->findPayment($p->outTradeNo)->state);
        $this->assertNull($this->client->findPayment('NOSUCHORDER123'));
    }

    public function testCpmAndCreatePayment(): void
    {
        $p = $this->client->createPayment(1001, 'HKD', '800208', ['authCode' => '134567890123456789']);
        $this->assertSame('0000', $p->respcd);
        $this->assertSame('succeeded', $this->client->findPayment($p->outTradeNo)->state);
    }

    public function testPendingThenWait(): void
    {
        $p = $this->client->wechatQr(1002, 'HKD');
        $t = $this->client->waitForPayment($p->outTradeNo, ['timeoutMs' => 10000, 'intervalMs' => 50, 'maxIntervalMs' => 200]);
        $this->assertSame('succeeded', $t->state);
        $this->assertSame(1002, $t->txamt);
    }

    public function testWaitGivesUpWithStatusUnknown(): void
    {
        $p = $this->client->wechatQr(300, 'HKD');
        $start = microtime(true);
        try {
            $this->client->waitForPayment($p->outTradeNo, ['timeoutMs' => 600, 'intervalMs' => 100]);
            $this->fail('no exception');
        } catch (StatusUnknownException $e) {
            $this->assertSame('status_unknown', $e->errorCode);
            $this->assertSame($p->outTradeNo, $e->outTradeNo);
        }
        $this->assertGreaterThanOrEqual(0.55, microtime(true) - $start, 'keeps its deadline');
    }

    public function testDeclined(): void
    {
        try {
            $this->client->wechatQr(1003, 'HKD', ['outTradeNo' => 'DECLINED0001']);
            $this->fail('no exception');
        } catch (DeclinedException $e) {
            $this->assertInstanceOf(ApiException::class, $e);
            $this->assertInstanceOf(QfPayException::class, $e);
            $this->assertInstanceOf(\Exception::class, $e);
            $this->assertSame('declined', $e->errorCode);
            $this->assertSame('1201', $e->respcd);
            $this->assertSame('DECLINED0001', $e->outTradeNo);
            $this->assertSame(200, $e->httpStatus);
            $this->assertNotSame('', (string) $e->resperr);
        }
    }

    public function testDuplicateCarriesTheExistingOrder(): void
    {
        $p = $this->client->wechatQr(300, 'HKD', ['outTradeNo' => 'DUPLICATE0001']);
        self::$sandbox->pay($p->syssn);
        try {
            $this->client->wechatQr(300, 'HKD', ['outTradeNo' => 'DUPLICATE0001']);
            $this->fail('no exception');
        } catch (DuplicateOrderException $e) {
            $this->assertSame('duplicate_order', $e->errorCode);
            $this->assertSame('DUPLICATE0001', $e->outTradeNo);
            $this->assertInstanceOf(Transaction::class, $e->existing);
            $this->assertSame('succeeded', $e->existing->state);
            $this->assertSame($p->syssn, $e->existing->syssn);
            $this->assertSame(300, $e->existing->txamt);
        }
    }

    public function testClose(): void
    {
        $p = $this->client->wechatQr(300, 'HKD');
        $c = $this->client->close(300, 'HKD', ['outTradeNo' => $p->outTradeNo]);
        $this->assertInstanceOf(Cancellation::class, $c);
        $this->assertSame('0000', $c->respcd);
        $this->assertSame('cancelled', $this->client->findPayment($p->outTradeNo)->state);
        $p2 = $this->client->wechatQr(300, 'HKD');
        $c2 = $this->client->reverse(300, 'HKD', ['syssn' => $p2->syssn]);
        $this->assertSame('0000', $c2->respcd);
    }

    public function testBadInputIsValidationNamingTheField(): void
    {
        $cases = [
            [fn () => $this->client->wechatQr(3.5), 'txamt'],
            [fn () => $this->client->wechatQr(300.0), 'txamt'],
            [fn () => $this->client->wechatQr('300'), 'txamt'],
            [fn () => $this->client->wechatQr(true), 'txamt'],
            [fn () => $this->client->wechatQr(null), 'txamt'],
            [fn () => $this->client->wechatQr(-5), 'txamt'],
            [fn () => $this->client->wechatQr(300, 'XYZ'), 'txcurrcd'],
            [fn () => $this->client->wechatQr(300, 'HKD', ['goodsName' => str_repeat('x', 65)]), 'goods_name'],
            [fn () => $this->client->wechatQr(300, 'HKD', ['expiredTime' => 4]), 'expired_time'],
            [fn () => $this->client->wechatQr(300, 'HKD', ['expiredTime' => 30.0]), 'expired_time'],
            [fn () => $this->client->wechatQr(300, 'HKD', ['timeoutMs' => NAN]), 'timeoutMs'],
            [fn () => $this->client->wechatQr(300, 'HKD', ['timeoutMs' => INF]), 'timeoutMs'],
            [fn () => $this->client->wechatQr(300, 'HKD', ['timeoutMs' => -1]), 'timeoutMs'],
            [fn () => $this->client->wechatQr(300, 'HKD', ['timeoutMs' => 1e300]), 'timeoutMs'],
            [fn () => $this->client->wechatQr(300, 'HKD', ['timeoutMs' => 0]), 'timeoutMs'],
            [fn () => $this->client->wechatQr(300, 'HKD', ['timeoutMs' => '5000']), 'timeoutMs'],
            [fn () => $this->client->wechatQr(300, 'HKD', ['maxRetries' => -1]), 'maxRetries'],
            [fn () => $this->client->wechatQr(300, 'HKD', ['maxRetries' => true]), 'maxRetries'],
            [fn () => $this->client->wechatQr(300, 'HKD', ['goods_name' => 'typo']), 'goods_name'],
            [fn () => $this->client->wechatQr(300, 'HKD', ['extendInfo' => ['userCreid' => '123', 'userTruename' => 'X']]), 'extend_info.user_creid'],
            [fn () => $this->client->wechatQr(300, 'HKD', ['extendInfo' => '{"user_creid":"123","user_truename":"X"}']), 'extend_info.user_creid'],
            [fn () => $this->client->findPayment(null), 'out_trade_no'],
            [fn () => $this->client->findPayment(123), 'out_trade_no'],
            [fn () => $this->client->waitForPayment('A1', ['timeoutMs' => NAN]), 'timeoutMs'],
            [fn () => $this->client->waitForPayment('A1', ['intervalMs' => -1]), 'intervalMs'],
            [fn () => $this->client->refund('S1', 1.5, 'HKD'), 'txamt'],
            [fn () => $this->client->close(300, 'HKD'), 'syssn'],
            [fn () => $this->client->query(['pageSize' => 1000]), 'page_size'],
            [fn () => $this->client->query(['page' => '2']), 'page'],
            [fn () => $this->client->query(['outTradeNo' => ['A', 3]]), 'out_trade_no'],
            [fn () => $this->client->refund('S1', 100, 'HKD', ['syssn' => 'S2']), 'syssn'],
            [fn () => $this->client->wechatQr(300, 'HKD', ['amount' => 400]), 'amount'],
        ];
        $before = self::$sandbox->requestCount();
        foreach ($cases as $i => [$call, $field]) {
            try {
                $call();
                $this->fail("case $i: no exception");
            } catch (ValidationException $e) {
                $this->assertSame('validation', $e->errorCode, "case $i");
                $this->assertSame($field, $e->field, "case $i: " . $e->getMessage());
                $this->assertNotSame('', (string) $e->rule, "case $i");
            }
        }
        $this->assertSame($before, self::$sandbox->requestCount(), 'nothing was sent');
    }

    public function testValidationAfterGenerationNamesTheOrder(): void
    {
        try {
            $this->client->wechatQr(300, 'HKD', ['goodsName' => str_repeat('x', 65)]);
            $this->fail('no exception');
        } catch (ValidationException $e) {
            $this->assertSame('goods_name', $e->field);
        }
        try {
            $this->client->wechatQr(300, 'HKD', ['outTradeNo' => 'MINE0001', 'goodsName' => str_repeat('x', 65)]);
            $this->fail('no exception');
        } catch (ValidationException $e) {
            $this->assertSame('MINE0001', $e->outTradeNo);
        }
    }

    public function testBadClientOptionsAreConfigErrors(): void
    {
        $base = ['appCode' => 'A', 'clientKey' => 'K', 'baseUrl' => self::$sandbox->baseUrl];
        foreach ([
            ['timeoutMs' => NAN], ['timeoutMs' => INF], ['timeoutMs' => -1.0], ['timeoutMs' => 1e300],
            ['connectTimeoutMs' => 1e19], ['reconcileTimeoutMs' => -5], ['retryBaseDelayMs' => NAN],
            ['environment' => 'sandbox'], ['environment' => 'live'], ['environment' => 'mars'],
            ['typo' => 1], ['maxRetries' => 1.5],
        ] as $i => $bad) {
            try {
                new Client($bad + $base);
                $this->fail("case $i: no exception");
            } catch (QfPayException $e) {
                $this->assertContains($e->errorCode, ['config', 'validation'], "case $i");
            }
        }
        $this->expectException(ConfigException::class);
        new Client([]);
    }

    public function testStatusUnknownAfterADroppedAnswer(): void
    {
        // The order is created but the answer is lost, and every reconciliation query too.
        self::$sandbox->injectFault(['kind' => 'drop', 'count' => 50]);
        $c = self::$sandbox->client(['reconcileTimeoutMs' => 400, 'maxRetries' => 0, 'timeoutMs' => 2000]);
        try {
            $c->wechatQr(300, 'HKD', ['outTradeNo' => 'UNKNOWN0001']);
            $this->fail('no exception');
        } catch (StatusUnknownException $e) {
            $this->assertSame('status_unknown', $e->errorCode);
            $this->assertSame('UNKNOWN0001', $e->outTradeNo);
            $this->assertStringContainsString('UNKNOWN0001', $e->getMessage());
        }
    }

    public function testReconciledAfterADroppedAnswer(): void
    {
        self::$sandbox->injectFault(['kind' => 'drop', 'count' => 1]);
        $p = $this->client->createPayment(1001, 'HKD', '800208', ['authCode' => '134567890123456789']);
        $this->assertSame('succeeded', $this->client->findPayment($p->outTradeNo)->state);
        $this->assertSame(1, count(array_filter(self::$sandbox->orders(), fn ($o) => $o['out_trade_no'] === $p->outTradeNo)));
    }

    public function testNotifications(): void
    {
        $key = self::$sandbox->clientKey;
        $body = '{"status": "1", "pay_type": "800201", "txamt": "300", "notify_type": "payment", "syssn": "20200514000300020093755455", "out_trade_no": "A1", "cancel": "0", "respcd": "0000", "txcurrcd": "HKD"}';
        $sig = Signing::notificationSignature($body, $key);
        $n = Notification::verify($body, $sig, $key);
        $this->assertSame('payment', $n->notifyType);
        $this->assertSame(300, $n->txamt);
        $this->assertTrue($n->isSuccess);
        $this->assertSame('A1', $n->outTradeNo);
        $this->assertSame(\QfPay\QfPay::NOTIFICATION_ACK, 'SUCCESS');
        $this->assertSame(Notification::verify($body, strtolower($sig), $key)->syssn, '20200514000300020093755455');

        $bad = [
            'tampered' => [str_replace('"300"', '"30000"', $body), $sig, $key],
            'wrong key' => [$body, $sig, 'WRONGKEY'],
            'missing header' => [$body, null, $key],
            'empty header' => [$body, '', $key],
            'blank header' => [$body, '   ', $key],
        ];
        foreach ($bad as $name => [$b, $s, $k]) {
            try {
                Notification::verify($b, $s, $k);
                $this->fail("$name: no exception");
            } catch (SignatureException $e) {
                $this->assertSame('signature', $e->errorCode, $name);
            }
        }
        try {
            Notification::verify(['not' => 'raw'], $sig, $key);
            $this->fail('array body accepted');
        } catch (ValidationException $e) {
            $this->assertSame('raw_body', $e->field);
        }
    }

    public function testQueryPagesAndItems(): void
    {
        $numbers = [];
        for ($i = 0; $i < 5; $i++) {
            $numbers[] = $this->client->wechatQr(300 + $i, 'HKD')->outTradeNo;
        }
        $pages = $this->client->queryPages(['pageSize' => 2]);
        $this->assertInstanceOf(\Iterator::class, $pages);
        $sizes = [];
        foreach ($pages as $i => $page) {
            $sizes[$i] = count($page->data);
        }
        $this->assertSame([0 => 2, 1 => 2, 2 => 1], $sizes);
        $again = iterator_to_array($pages);   // iterating again starts again
        $this->assertCount(3, $again);
        $seen = [];
        foreach ($this->client->queryPages(['pageSize' => 2])->items() as $t) {
            $seen[] = $t->outTradeNo;
        }
        sort($seen);
        sort($numbers);
        $this->assertSame($numbers, $seen);
        // A count that is a multiple of the page size: no trailing empty page.
        $this->client->wechatQr(399, 'HKD');
        $this->assertCount(3, iterator_to_array($this->client->queryPages(['pageSize' => 2])));
    }

    public function testPerCallOptions(): void
    {
        self::$sandbox->injectFault(['kind' => 'delay', 'ms' => 1500]);
        $start = microtime(true);
        try {
            $this->client->query(['timeoutMs' => 200, 'maxRetries' => 0]);
            $this->fail('no exception');
        } catch (QfPayException $e) {
            $this->assertContains($e->errorCode, ['timeout', 'network']);
        }
        $this->assertLessThan(1.2, microtime(true) - $start);
    }

    /** The names every language shares: a request-timeout error, a rate limit's wait in Ms. */
    public function testTimeoutAndRateLimitErrors(): void
    {
        self::$sandbox->injectFault(['kind' => 'delay', 'ms' => 1500]);
        try {
            self::$sandbox->client()->query(['syssn' => 'S1', 'timeoutMs' => 200, 'maxRetries' => 0]);
            $this->fail('no exception');
        } catch (RequestTimeoutException $e) {
            $this->assertSame('timeout', $e->errorCode);
        }
        try {
            $this->client->wechatQr(1007, 'HKD', ['maxRetries' => 0]);   // the sandbox's "rate limited"
            $this->fail('no exception');
        } catch (RateLimitedException $e) {
            $this->assertSame('rate_limited', $e->errorCode);
            $this->assertSame(429, $e->httpStatus);
            $this->assertSame(1000, $e->retryAfterMs);                   // Retry-After: 1
            $this->assertNotNull($e->outTradeNo);
        }
    }

    public function testFromEnvWithOverrides(): void
    {
        putenv('QFPAY_BASE_URL=' . self::$sandbox->baseUrl);
        putenv('QFPAY_APP_CODE=' . self::$sandbox->appCode);
        putenv('QFPAY_CLIENT_KEY=WRONG');
        try {
            $c = Client::fromEnv(['clientKey' => self::$sandbox->clientKey]);
            $this->assertSame(self::$sandbox->baseUrl, $c->baseUrl);
            $this->assertSame(self::$sandbox->appCode, $c->appCode);
            $this->assertSame('0000', $c->wechatQr(300)->respcd);
            $this->expectException(\QfPay\AuthException::class);
            Client::fromEnv()->wechatQr(300);
        } finally {
            putenv('QFPAY_BASE_URL');
            putenv('QFPAY_APP_CODE');
            putenv('QFPAY_CLIENT_KEY');
        }
    }

    public function testResultsAreReadOnly(): void
    {
        $p = $this->client->wechatQr(300);
        try {
            $p->txamt = 1;
            $this->fail('a result was modified');
        } catch (\Throwable $e) {
            $this->assertSame(300, $p->txamt);
        }
        self::$sandbox->pay($p->outTradeNo);
        $key = self::$sandbox->clientKey;
        $body = '{"status": "1", "pay_type": "800201", "txamt": "300", "notify_type": "payment", "syssn": "20200514000300020093755455", "out_trade_no": "A1", "cancel": "0", "respcd": "0000", "txcurrcd": "HKD"}';
        $results = [
            'Payment' => $p,
            'Transaction' => $this->client->findPayment($p->outTradeNo),
            'QueryPage' => $this->client->query(['outTradeNo' => $p->outTradeNo]),
            'Refund' => $this->client->refund($p->syssn, 100, 'HKD'),
            'Cancellation' => $this->client->close(300, 'HKD', ['outTradeNo' => $this->client->wechatQr(300)->outTradeNo]),
            'Notification' => Notification::verify($body, Signing::notificationSignature($body, $key), $key),
            'Client' => $this->client,
        ];
        foreach ($results as $class => $r) {
            // No property can be added to a result either (PHP's own Error, as for a class
            // without dynamic properties), so what a caller reads is only what QFPay sent.
            try {
                $r->addedLater = 1;
                $this->fail("a property was added to a $class");
            } catch (\Error $e) {
                $this->assertStringContainsString('Cannot create dynamic property', $e->getMessage());
                $this->assertFalse(isset($r->addedLater));
                $this->assertArrayNotHasKey('addedLater', get_object_vars($r));
            }
        }
    }
}
