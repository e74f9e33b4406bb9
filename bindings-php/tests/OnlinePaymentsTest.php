<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use QfPay\{ApiException, CheckoutLink, Client, Notification, Sandbox, SignatureException, Signing, ValidationException, WechatPayParams};

/**
 * The online flows against the sandbox, over HTTP as a browser and QFPay would drive them: a
 * hosted checkout link paid through the sandbox's checkstand endpoints (the calls its page
 * makes), its notification received by a local server (tests/fixtures/receiver.php under
 * `php -S`) and verified; links the sandbox refuses with QFSign_Error; the WeChat JSAPI sequence
 * (OAuth link → code → openid → 800207 → pay_params → /q/direct → paid); extra_params.
 */
final class OnlinePaymentsTest extends TestCase
{
    private static Sandbox $sandbox;
    /** @var resource */
    private static $receiver;
    private static string $receiverUrl;
    private static string $receiverDir;
    private Client $client;

    public static function setUpBeforeClass(): void
    {
        self::$sandbox = Sandbox::start(['rateLimit' => false, 'notifyTimeScale' => 0.001]);
        $s = stream_socket_server('tcp://127.0.0.1:0');
        $name = (string) stream_socket_get_name($s, false);
        fclose($s);
        $port = (int) substr($name, strrpos($name, ':') + 1);
        self::$receiverDir = sys_get_temp_dir() . '/qfpay-receiver-' . getmypid();
        @mkdir(self::$receiverDir, 0700, true);
        self::$receiver = proc_open(
            [PHP_BINARY, '-n', '-S', "127.0.0.1:$port", __DIR__ . '/fixtures/receiver.php'],
            [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'a'], 2 => ['file', '/dev/null', 'a']],
            $pipes,
            null,
            ['RECEIVER_DIR' => self::$receiverDir] + getenv(),
        );
        self::$receiverUrl = "http://127.0.0.1:$port";
        $deadline = microtime(true) + 10;
        while (!($c = @fsockopen('127.0.0.1', $port)) && microtime(true) < $deadline) {
            usleep(50000);
        }
        if (!$c) {
            throw new \RuntimeException('the receiver did not start');
        }
        fclose($c);
    }

    public static function tearDownAfterClass(): void
    {
        proc_terminate(self::$receiver);
        proc_close(self::$receiver);
        self::$sandbox->stop();
        exec('rm -rf ' . escapeshellarg(self::$receiverDir));
    }

    protected function setUp(): void
    {
        self::$sandbox->reset();
        $this->client = self::$sandbox->client(['maxRetries' => 0]);
    }

    /**
     * One HTTP request, redirects not followed. $json: a JSON body, posted with the sandbox's
     * own Origin (as its page's script does).
     * @return array{status: int, body: string, location: ?string}
     */
    private static function http(string $method, string $url, ?array $json = null): array
    {
        $c = curl_init($url);
        $headers = [];
        curl_setopt_array($c, [CURLOPT_RETURNTRANSFER => true, CURLOPT_HEADER => true, CURLOPT_TIMEOUT => 20, CURLOPT_CUSTOMREQUEST => $method]);
        if ($json !== null) {
            $headers = ['Content-Type: application/json', 'Origin: ' . self::$sandbox->baseUrl];
            curl_setopt($c, CURLOPT_POSTFIELDS, json_encode($json, JSON_THROW_ON_ERROR));
        }
        curl_setopt($c, CURLOPT_HTTPHEADER, $headers);
        $out = curl_exec($c);
        if ($out === false) {
            throw new \RuntimeException("$method $url: " . curl_error($c));
        }
        $size = (int) curl_getinfo($c, CURLINFO_HEADER_SIZE);
        $head = substr((string) $out, 0, $size);
        $location = preg_match('/^Location:\s*(\S+)/mi', $head, $m) ? $m[1] : null;
        return ['status' => (int) curl_getinfo($c, CURLINFO_RESPONSE_CODE), 'body' => substr((string) $out, $size), 'location' => $location];
    }

    /** What the checkstand page's script does with a link: posts its query to /checkstand/session. */
    private static function openCheckstand(string $link): array
    {
        $page = self::http('GET', $link);
        if ($page['status'] !== 200 || !str_contains($page['body'], 'data-page="checkstand"')) {
            throw new \RuntimeException("the checkstand page: {$page['status']}");
        }
        $query = substr($link, strpos($link, '#/?') + 3);
        $session = self::http('POST', self::$sandbox->baseUrl . '/checkstand/session', ['query' => $query]);
        return json_decode($session['body'], true, 16, JSON_THROW_ON_ERROR);
    }

    /** The notification the receiver got for $outTradeNo (waits for it). */
    private static function receivedNotification(string $outTradeNo): array
    {
        $deadline = microtime(true) + 20;
        do {
            foreach (glob(self::$receiverDir . '/*.json') ?: [] as $f) {
                $n = json_decode((string) file_get_contents($f), true, 16, JSON_THROW_ON_ERROR);
                if (str_contains($n['body'], "\"$outTradeNo\"")) {
                    return $n;
                }
            }
            usleep(50000);
        } while (microtime(true) < $deadline);
        throw new \RuntimeException("no notification for $outTradeNo reached the receiver");
    }

    public function testCheckoutLinkPaidThroughTheCheckstand(): void
    {
        $r = self::$receiverUrl;
        $before = self::$sandbox->requestCount();
        $link = $this->client->checkoutUrl(1234, 'HKD', "$r/thanks?order=7", "$r/failed", "$r/notify", ['goodsName' => 'Coffee beans', 'lang' => 'en']);
        $this->assertInstanceOf(CheckoutLink::class, $link);
        $this->assertSame($before, self::$sandbox->requestCount(), 'nothing is sent to build a link');
        $this->assertStringStartsWith(self::$sandbox->baseUrl . '/checkstand/#/?', $link->url);
        $this->assertSame(1234, $link->txamt);
        $this->assertSame($link->outTradeNo, $this->client->verifyCheckoutUrl($link->url)->outTradeNo);

        $session = self::openCheckstand($link->url);
        $this->assertTrue($session['ok'], json_encode($session));
        $order = $session['order'];
        $this->assertSame($link->outTradeNo, $order['out_trade_no']);
        $this->assertSame(1234, $order['txamt']);
        $this->assertSame('Coffee beans', $order['goods_name']);
        $this->assertSame('pending', $this->client->findPayment($link->outTradeNo)->state);

        // Pay, as the page's "Pay" button: the browser goes to return_url.
        $paid = self::http('POST', self::$sandbox->baseUrl . '/sandbox/checkout/' . $order['syssn'], ['action' => 'pay', 'wallet' => 'wechat']);
        $answer = json_decode($paid['body'], true, 16, JSON_THROW_ON_ERROR);
        $this->assertTrue($answer['ok'], $paid['body']);
        $this->assertSame("$r/thanks?order=7", $answer['redirect']);
        $back = self::http('GET', $answer['redirect']);
        $this->assertSame(200, $back['status']);

        // The notification reached the merchant's notify_url and verifies with the client key.
        $kept = self::receivedNotification($link->outTradeNo);
        $this->assertSame('/notify', $kept['path']);
        $n = Notification::verify($kept['body'], $kept['signature'], self::$sandbox->clientKey);
        $this->assertSame($link->outTradeNo, $n->outTradeNo);
        $this->assertSame(1234, $n->txamt);
        $this->assertTrue($n->isSuccess);
        $this->assertSame('succeeded', $this->client->waitForPayment($link->outTradeNo, ['timeoutMs' => 5000])->state);
        $this->assertSame('succeeded', $this->client->findPayment($link->outTradeNo)->state);

        // The same link again shows the same order, now paid.
        $again = self::openCheckstand($link->url);
        $this->assertSame($order['syssn'], $again['order']['syssn']);
        $this->assertSame('succeeded', $again['order']['state']);
    }

    public function testCheckoutFailAndCancelGoToTheirUrls(): void
    {
        $r = self::$receiverUrl;
        $failed = $this->client->checkoutUrl(500, 'HKD', "$r/ok", "$r/failed", "$r/notify");
        $order = self::openCheckstand($failed->url)['order'];
        $answer = json_decode(self::http('POST', self::$sandbox->baseUrl . '/sandbox/checkout/' . $order['syssn'], ['action' => 'fail'])['body'], true);
        $this->assertSame("$r/failed", $answer['redirect']);
        $this->assertSame('failed', $this->client->findPayment($failed->outTradeNo)->state);

        $cancelled = $this->client->checkoutUrl(500, 'HKD', "$r/ok", "$r/failed", "$r/notify", ['cancelUrl' => "$r/cart"]);
        $order = self::openCheckstand($cancelled->url)['order'];
        $answer = json_decode(self::http('POST', self::$sandbox->baseUrl . '/sandbox/checkout/' . $order['syssn'], ['action' => 'cancel'])['body'], true);
        $this->assertSame("$r/cart", $answer['redirect']);
        $this->assertSame('cancelled', $this->client->findPayment($cancelled->outTradeNo)->state);
    }

    public function testBadLinksShowQfSignError(): void
    {
        $r = self::$receiverUrl;
        // Signed with another key than the merchant's.
        $other = new Client(['appCode' => self::$sandbox->appCode, 'clientKey' => str_repeat('0', 32), 'baseUrl' => self::$sandbox->baseUrl]);
        $wrong = $other->checkoutUrl(300, 'HKD', "$r/ok", "$r/failed", "$r/notify");
        $session = self::openCheckstand($wrong->url);
        $this->assertFalse($session['ok']);
        $this->assertSame('QFSign_Error', $session['error']);
        $this->assertStringContainsString('QFSign_Error: the signature does not match', $session['reason']);
        $this->assertNull($this->client->findPayment($wrong->outTradeNo), 'no order');
        try {
            $this->client->verifyCheckoutUrl($wrong->url);
            $this->fail('a link signed with another key verified');
        } catch (SignatureException $e) {
            $this->assertSame('signature', $e->errorCode);
        }

        // Signed over percent-encoded values (the mistake of hand-written integrations).
        $good = $this->client->checkoutUrl(300, 'HKD', "$r/ok?a=1&b=2", "$r/failed", "$r/notify");
        $params = $good->params;
        unset($params['sign']);
        $encoded = array_map('rawurlencode', array_map('strval', $params));
        $sign = hash('md5', Signing::stringToSign($encoded) . self::$sandbox->clientKey);
        $query = implode('&', array_map(fn ($k, $v) => "$k=$v", array_keys($encoded), $encoded)) . "&sign=$sign";
        $overEncoded = self::$sandbox->baseUrl . "/checkstand/#/?$query";
        $session = self::openCheckstand($overEncoded);
        $this->assertFalse($session['ok']);
        $this->assertSame('QFSign_Error', $session['error']);
        $this->assertStringContainsString('signed over percent-encoded values', $session['reason']);
        try {
            $this->client->verifyCheckoutUrl($overEncoded);
            $this->fail('a link signed over encoded values verified');
        } catch (SignatureException $e) {
            $this->assertStringContainsString('encoded', $e->getMessage());
        }
    }

    public function testWechatJsapiSequence(): void
    {
        $r = self::$receiverUrl;
        $sb = self::$sandbox;

        // OAuth: the link (built locally) answers 302 to redirect_uri with a single-use code.
        $before = $sb->requestCount();
        $oauth = $this->client->wechatOauthUrl("$r/jsapi?order=9");
        $this->assertIsString($oauth);
        $this->assertSame($before, $sb->requestCount(), 'nothing is sent to build the OAuth link');
        $redirect = self::http('GET', $oauth);
        $this->assertSame(302, $redirect['status']);
        $this->assertStringStartsWith("$r/jsapi?order=9&code=", (string) $redirect['location']);
        parse_str((string) parse_url((string) $redirect['location'], PHP_URL_QUERY), $q);
        $code = (string) $q['code'];

        $openid = $this->client->getWechatOpenid($code);
        $this->assertIsString($openid);
        $this->assertSame(28, strlen($openid));
        try {
            $this->client->getWechatOpenid($code);
            $this->fail('a code was used twice');
        } catch (ApiException $e) {
            $this->assertSame('1104', $e->respcd);
            $this->assertStringContainsString('code used or invalid', $e->getMessage());
        }

        // The JSAPI payment: WeChat's six pay parameters, typed and as sent.
        $p = $this->client->createPayment(1500, 'HKD', '800207', ['subOpenid' => $openid, 'goodsName' => 'Tea', 'notifyUrl' => "$r/notify"]);
        $this->assertInstanceOf(WechatPayParams::class, $p->wechatPayParams);
        $params = $p->wechatPayParams;
        $this->assertStringStartsWith('prepay_id=', $params->package);
        $this->assertSame($params->paySign, $params->raw['paySign']);
        foreach (['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign'] as $k) {
            $this->assertArrayHasKey($k, $params->raw);
        }
        $this->assertNull($p->wechatAppParams);
        $this->assertNull($p->alipayPayParams);

        // QFPay's cashier link, from the raw parameters or their JSON text alike.
        $cashier = $this->client->cashierUrl(1500, 'HKD', $params->raw, 'Tea House', "$r/paid", ['goodsName' => 'Tea']);
        $this->assertSame($cashier, $this->client->cashierUrl(1500, 'HKD', json_encode($params->raw), 'Tea House', "$r/paid", ['goodsName' => 'Tea']));
        $this->assertStringStartsWith($sb->baseUrl . '/q/direct?', $cashier);
        $page = self::http('GET', $cashier);
        $this->assertSame(200, $page['status'], $page['body']);
        $this->assertStringContainsString('Tea House', $page['body']);
        $this->assertMatchesRegularExpression('/data-syssn="(\d+)"/', $page['body']);
        preg_match('/data-syssn="(\d+)"/', $page['body'], $m);
        $this->assertSame($p->syssn, $m[1]);

        // Pay as the page's script does; the browser goes to redirect_url.
        $paid = json_decode(self::http('POST', $sb->baseUrl . '/sandbox/checkout/' . $m[1], ['action' => 'pay', 'redirect_url' => "$r/paid"])['body'], true);
        $this->assertTrue($paid['ok']);
        $this->assertSame("$r/paid", $paid['redirect']);
        $this->assertSame('succeeded', $this->client->waitForPayment($p->outTradeNo, ['timeoutMs' => 5000])->state);
        $kept = self::receivedNotification($p->outTradeNo);
        $this->assertSame($p->syssn, Notification::verify($kept['body'], $kept['signature'], $sb->clientKey)->syssn);

        // A cashier link whose amount does not match the order: a page saying so, nothing to pay.
        $mismatch = self::http('GET', $this->client->cashierUrl(1, 'HKD', $params->raw, 'Tea House', "$r/paid"));
        $this->assertSame(400, $mismatch['status']);
    }

    public function testExtraParamsAreSignedAndShadowingIsRefused(): void
    {
        $sb = self::$sandbox;
        $p = $this->client->createPayment(300, 'HKD', '800201', ['extraParams' => ['new_field' => 'v1']]);
        $sent = array_values(array_filter($sb->requests(), fn ($r) => $r['path'] === '/trade/v1/payment'));
        $this->assertCount(1, $sent);
        parse_str($sent[0]['body'], $body);
        $this->assertSame('v1', $body['new_field'], 'sent with the request');
        $this->assertSame('0000', $sent[0]['respcd'], "the sandbox's signature check covered it");
        $this->assertSame('pending', $this->client->findPayment($p->outTradeNo)->state);
        // As JSON text too.
        $this->client->createPayment(300, 'HKD', '800201', ['extraParams' => '{"new_field": "v2"}']);
        $last = $sb->requests();
        parse_str(end($last)['body'], $body);
        $this->assertSame('v2', $body['new_field']);

        $count = $sb->requestCount();
        foreach (['goods_name' => 'x', 'sign' => 'x', 'key' => 'x'] as $name => $value) {
            try {
                $this->client->createPayment(300, 'HKD', '800201', ['extraParams' => [$name => $value]]);
                $this->fail("extra_params.$name accepted");
            } catch (ValidationException $e) {
                $this->assertSame("extra_params.$name", $e->field);
            }
        }
        try {
            $this->client->createPayment(300, 'HKD', '800201', ['extraParams' => ['n' => 5]]);
            $this->fail('a number accepted');
        } catch (ValidationException $e) {
            $this->assertSame('extra_params.n', $e->field);
        }
        $this->assertSame($count, $sb->requestCount(), 'nothing sent');
    }

    public function testLegacyPayCodesAndStrictMode(): void
    {
        $this->assertNotNull($this->client->createPayment(300, 'HKD', '802901')->qrcode);   // PromptPay, in QFPay's Postman collection
        $this->assertNotNull($this->client->createPayment(300, 'HKD', '800710')->syssn);     // UnionPay in-app
        $this->assertNotNull($this->client->createPayment(300, 'HKD', '804201')->syssn);     // GrabPay MPM, a legacy code
        $strict = Sandbox::start(['rateLimit' => false, 'strictPayTypes' => true]);
        try {
            $strict->client(['maxRetries' => 0])->createPayment(300, 'HKD', '804201');
            $this->fail('a legacy code accepted in strict mode');
        } catch (ApiException $e) {
            $this->assertSame('1104', $e->respcd);
        } finally {
            $strict->stop();
        }
    }

    public function testLocalOperationsSendNothingAndTakeNoCallOptions(): void
    {
        $sb = self::$sandbox;
        $count = $sb->requestCount();
        $link = $this->client->checkoutUrl(300, 'HKD', 'https://shop.example/ok', 'https://shop.example/ko', 'https://shop.example/n');
        $this->assertInstanceOf(CheckoutLink::class, $link);
        $this->assertIsString($this->client->wechatOauthUrl('https://shop.example/jsapi'));
        $this->assertSame($count, $sb->requestCount());
        try {
            $this->client->checkoutUrl(300, 'HKD', 'https://shop.example/ok', 'https://shop.example/ko', 'https://shop.example/n', ['timeoutMs' => 1000]);
            $this->fail('timeoutMs accepted by a call that sends nothing');
        } catch (ValidationException $e) {
            $this->assertStringContainsString('timeoutMs', $e->getMessage());
        }
        try {
            $this->client->checkoutUrl(300, 'HKD', 'https://shop.example/ok', 'https://shop.example/ko', 'https://shop.example/n', ['paysource' => 'remotepay']);
            $this->fail('a paysource not ending in _checkout accepted');
        } catch (ValidationException $e) {
            $this->assertSame('paysource', $e->field);
        }
    }
}
