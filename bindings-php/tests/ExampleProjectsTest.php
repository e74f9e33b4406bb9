<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use QfPay\{Sandbox, Signing};

/**
 * The example projects of examples/php/ as real servers, each doing what a shopper and QFPay do
 * over HTTP against an in-process sandbox: the checkout page → the order page with its QR code →
 * a tampered notification (refused, not a 500) → the customer pays → the sandbox's signed
 * notification acknowledged by the example's route → the order page confirms it by a query →
 * refund (and its notification) → a second order closed unpaid; then the hosted checkout
 * (hostedCheckout).
 *  - examples/php/fpm: its run.sh, PHP-FPM behind nginx.
 *  - examples/php/laravel: Laravel 8 (Debian's php-laravel-framework) under `php -S` with
 *    4 workers, as its README runs it (server.php), CSRF tokens and session cookie included.
 */
final class ExampleProjectsTest extends TestCase
{
    private static function freePort(): int
    {
        $s = stream_socket_server('tcp://127.0.0.1:0');
        $name = (string) stream_socket_get_name($s, false);
        fclose($s);
        return (int) substr($name, strrpos($name, ':') + 1);
    }

    /** @return array{0: int, 1: string, 2: string} status, body, final URL (redirects followed, cookies kept) */
    private static function http(\CurlHandle $c, string $method, string $url, ?array $form = null, array $headers = [], ?string $raw = null): array
    {
        curl_setopt_array($c, [CURLOPT_URL => $url, CURLOPT_HTTPHEADER => $headers]);
        if ($method === 'GET') {
            curl_setopt($c, CURLOPT_HTTPGET, true);
        } else {
            curl_setopt($c, CURLOPT_POST, true);   // a redirect after it is followed with GET
            curl_setopt($c, CURLOPT_POSTFIELDS, $raw ?? http_build_query($form ?? []));
        }
        $body = curl_exec($c);
        if ($body === false) {
            throw new \RuntimeException("$method $url: " . curl_error($c));
        }
        return [(int) curl_getinfo($c, CURLINFO_RESPONSE_CODE), (string) $body, (string) curl_getinfo($c, CURLINFO_EFFECTIVE_URL)];
    }

    private static function browser(): \CurlHandle
    {
        $c = curl_init();
        curl_setopt_array($c, [
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_FOLLOWLOCATION => true,
            CURLOPT_POSTREDIR => 0,          // 303 after POST: GET, like a browser
            CURLOPT_COOKIEFILE => '',        // keep cookies (Laravel's session) in memory
            CURLOPT_TIMEOUT => 60,
        ]);
        return $c;
    }

    private static function waitForPort(int $port, $proc, string $log): void
    {
        $deadline = microtime(true) + 20;
        while (microtime(true) < $deadline) {
            if ($s = @fsockopen('127.0.0.1', $port)) {
                fclose($s);
                return;
            }
            if (!proc_get_status($proc)['running']) {
                break;
            }
            usleep(50000);
        }
        throw new \RuntimeException("the example did not listen on $port:\n" . @file_get_contents($log));
    }

    private static function stopServer($proc): void
    {
        $pid = proc_get_status($proc)['pid'];
        posix_kill(-$pid, SIGTERM) || proc_terminate($proc);   // its process group: run.sh and its servers
        $deadline = microtime(true) + 10;
        while (proc_get_status($proc)['running'] && microtime(true) < $deadline) {
            usleep(50000);
        }
        if (proc_get_status($proc)['running']) {
            posix_kill(-$pid, SIGKILL);
        }
        proc_close($proc);
    }

    /** Starts $cmd in its own process group (setsid), output to $log. */
    private static function startServer(array $cmd, array $env, string $cwd, string $log)
    {
        $proc = proc_open(array_merge(['setsid'], $cmd), [0 => ['file', '/dev/null', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']], $pipes, $cwd, $env + getenv());
        if (!is_resource($proc)) {
            throw new \RuntimeException('cannot start ' . implode(' ', $cmd));
        }
        return $proc;
    }

    /** The deliveries of $outTradeNo's notifications ($type: payment or refund) that the example acknowledged. */
    private static function waitForAck(Sandbox $sb, string $syssnOrNo, string $type): array
    {
        $deadline = microtime(true) + 20;
        do {
            foreach ($sb->notifications() as $d) {
                if ($d['notify_type'] === $type && ($d['out_trade_no'] === $syssnOrNo || $d['syssn'] === $syssnOrNo || str_contains($d['body'], "\"$syssnOrNo\"")) && $d['delivered']) {
                    return $d;
                }
            }
            usleep(100000);
        } while (microtime(true) < $deadline);
        throw new \RuntimeException("no acknowledged $type notification for $syssnOrNo: " . json_encode($sb->notifications()));
    }

    private static function state(string $html): string
    {
        return preg_match('/id="state">([^<]*)</', $html, $m) ? $m[1] : "(no state in: $html)";
    }

    /**
     * The whole flow against a running example. $paths: index, checkout, notify (absolute URLs)
     * and the order page's form actions found in the HTML.
     */
    private function shopperAndQfPay(Sandbox $sb, string $base, string $notifyPath, bool $csrf): void
    {
        $browser = self::browser();
        $form = fn (string $html) => $csrf && preg_match('/name="_token" value="([^"]+)"/', $html, $m) ? ['_token' => $m[1]] : [];

        // The checkout page, then the order page with its QR code.
        [$status, $home] = self::http($browser, 'GET', "$base/");
        $this->assertSame(200, $status, $home);
        $this->assertMatchesRegularExpression('/<form method="post" action="([^"]+)"/', $home);
        preg_match('/<form method="post" action="([^"]+)"/', $home, $m);
        $checkout = str_starts_with($m[1], 'http') ? $m[1] : $base . $m[1];
        [$status, $order, $orderUrl] = self::http($browser, 'POST', $checkout, ['amount' => '300'] + $form($home));
        $this->assertSame(200, $status, $order);
        $this->assertSame('pending', self::state($order));
        $this->assertStringContainsString('<svg', $order, 'the QR code is shown');
        $this->assertMatchesRegularExpression('/id="out-trade-no">([^<]+)</', $order);
        preg_match('/id="out-trade-no">([^<]+)</', $order, $m);
        $no = $m[1];
        $created = array_values(array_filter($sb->orders(), fn ($o) => $o['out_trade_no'] === $no));
        $this->assertCount(1, $created);
        $this->assertSame(300, (int) $created[0]['txamt']);

        // Forged and tampered notifications: refused with 401, never a 500 (QFPay would resend).
        $notify = self::browser();
        $body = json_encode(['status' => '1', 'pay_type' => '800201', 'txamt' => '300', 'notify_type' => 'payment', 'syssn' => $created[0]['syssn'], 'out_trade_no' => $no, 'cancel' => '0', 'respcd' => '0000']);
        $sig = Signing::notificationSignature($body, $sb->clientKey);
        [$status] = self::http($notify, 'POST', $base . $notifyPath, null, ['Content-Type: application/json', "X-QF-SIGN: $sig"], str_replace('"300"', '"1"', $body));
        $this->assertSame(401, $status, 'tampered body');
        [$status] = self::http($notify, 'POST', $base . $notifyPath, null, ['Content-Type: application/json'], $body);
        $this->assertSame(401, $status, 'no X-QF-SIGN');
        [$status] = self::http($notify, 'POST', $base . $notifyPath, null, ['Content-Type: application/json', 'X-QF-SIGN: ' . Signing::notificationSignature($body, 'ANOTHERKEY')], $body);
        $this->assertSame(401, $status, 'signed with another key');
        [$status, $page] = self::http($browser, 'GET', $orderUrl);
        $this->assertSame('pending', self::state($page), 'a forged notification changes nothing');
        $this->assertStringContainsString('id="notifications">0<', $page);

        // The customer pays; the sandbox posts the signed notification to the example's route.
        $sb->pay($no);
        $d = self::waitForAck($sb, $no, 'payment');
        $this->assertSame($base . $notifyPath, $d['url']);
        $this->assertSame('SUCCESS', end($d['attempts'])['response']);
        [$status, $page] = self::http($browser, 'GET', $orderUrl);
        $this->assertSame(200, $status);
        $this->assertSame('succeeded', self::state($page), 'confirmed by a query');
        $this->assertStringContainsString('id="notifications">1<', $page);
        $this->assertStringNotContainsString('<svg', $page);

        // Refund the whole payment; its notification reaches the same route.
        $this->assertMatchesRegularExpression('/<form method="post" action="([^"]*refund[^"]*)"/', $page);
        preg_match('/<form method="post" action="([^"]*refund[^"]*)"/', $page, $m);
        $refundUrl = str_starts_with($m[1], 'http') ? $m[1] : $base . $m[1];
        [$status, $page] = self::http($browser, 'POST', $refundUrl, ['no' => $no, 'amount' => '300'] + $form($page));
        $this->assertSame(200, $status, $page);
        $this->assertSame('refunded', self::state($page));
        $refunds = array_values(array_filter($sb->orders(), fn ($o) => $o['kind'] === 'refund' && $o['orig_syssn'] === $created[0]['syssn']));
        $this->assertCount(1, $refunds);
        $this->assertSame(300, (int) $refunds[0]['txamt']);
        self::waitForAck($sb, $refunds[0]['syssn'], 'refund');
        [, $page] = self::http($browser, 'GET', $orderUrl);
        $this->assertStringContainsString('id="notifications">2<', $page);

        // A second order, closed unpaid.
        [, $home] = self::http($browser, 'GET', "$base/");
        [$status, $order] = self::http($browser, 'POST', $checkout, ['amount' => '250'] + $form($home));
        $this->assertSame('pending', self::state($order));
        preg_match('/id="out-trade-no">([^<]+)</', $order, $m);
        $second = $m[1];
        $this->assertMatchesRegularExpression('/<form method="post" action="([^"]*close[^"]*)"/', $order);
        preg_match('/<form method="post" action="([^"]*close[^"]*)"/', $order, $m);
        $closeUrl = str_starts_with($m[1], 'http') ? $m[1] : $base . $m[1];
        [$status, $page] = self::http($browser, 'POST', $closeUrl, ['no' => $second] + $form($order));
        $this->assertSame(200, $status, $page);
        $this->assertSame('cancelled', self::state($page));
        $closed = array_values(array_filter($sb->orders(), fn ($o) => $o['out_trade_no'] === $second));
        $this->assertSame('cancelled', $closed[0]['state']);
    }

    /**
     * An example's hosted checkout: the shop's form → a redirect to the signed link → the
     * sandbox's checkstand (its page, then the calls its script makes: the session, Pay) → the
     * notification acknowledged by the example's notify route → the customer back on the
     * example's result page, which reads "succeeded" from a query.
     */
    private function hostedCheckout(Sandbox $sb, string $base, string $notifyPath, bool $csrf): void
    {
        $browser = self::browser();
        [, $home] = self::http($browser, 'GET', "$base/");
        $this->assertMatchesRegularExpression('/<form method="post" action="([^"]*hosted[^"]*)"/', $home);
        preg_match('/<form method="post" action="([^"]*hosted[^"]*)"/', $home, $m);
        $hosted = str_starts_with($m[1], 'http') ? $m[1] : $base . $m[1];
        $form = $csrf && preg_match('/name="_token" value="([^"]+)"/', $home, $t) ? ['_token' => $t[1]] : [];
        curl_setopt($browser, CURLOPT_FOLLOWLOCATION, false);
        [$status, $body] = self::http($browser, 'POST', $hosted, ['amount' => '300'] + $form);
        $this->assertSame(303, $status, $body);
        $link = (string) curl_getinfo($browser, CURLINFO_REDIRECT_URL);
        curl_setopt($browser, CURLOPT_FOLLOWLOCATION, true);
        $this->assertStringStartsWith($sb->baseUrl . '/checkstand/#/?', $link);

        [$status, $page] = self::http($browser, 'GET', $link);
        $this->assertSame(200, $status);
        $this->assertStringContainsString('data-page="checkstand"', $page);
        $json = ['Content-Type: application/json', 'Origin: ' . $sb->baseUrl];
        [, $session] = self::http($browser, 'POST', $sb->baseUrl . '/checkstand/session', null, $json, json_encode(['query' => substr($link, strpos($link, '#/?') + 3)]));
        $session = json_decode($session, true, 16, JSON_THROW_ON_ERROR);
        $this->assertTrue($session['ok'], json_encode($session));
        $no = $session['order']['out_trade_no'];
        $this->assertSame(300, $session['order']['txamt']);

        [, $paid] = self::http($browser, 'POST', $sb->baseUrl . '/sandbox/checkout/' . $session['order']['syssn'], null, $json, json_encode(['action' => 'pay', 'wallet' => 'alipay']));
        $paid = json_decode($paid, true, 16, JSON_THROW_ON_ERROR);
        $this->assertTrue($paid['ok']);
        $this->assertStringStartsWith("$base/", $paid['redirect'], 'back to the shop');
        $this->assertStringContainsString($no, $paid['redirect']);
        $d = self::waitForAck($sb, $no, 'payment');
        $this->assertSame($base . $notifyPath, $d['url']);
        [$status, $result] = self::http($browser, 'GET', $paid['redirect']);
        $this->assertSame(200, $status, $result);
        $this->assertSame('succeeded', self::state($result), 'confirmed by a query');
        $this->assertStringContainsString('id="notifications">1<', $result);
    }

    public function testPhpFpmBehindNginx(): void
    {
        foreach (['/usr/sbin/php-fpm8.2', '/usr/sbin/nginx'] as $bin) {
            $this->assertFileExists($bin, 'bindings-php/debian-packages.txt installs php8.2-fpm and nginx');
        }
        $sb = Sandbox::start(['rateLimit' => false, 'notifyTimeScale' => 0.001]);
        $port = self::freePort();
        $log = (string) tempnam(sys_get_temp_dir(), 'qfpay-fpm-example');
        $server = self::startServer(['bash', QFPAY_REPO . '/examples/php/fpm/run.sh'], [
            'PORT' => (string) $port,
            'QFPAY_PHP_EXTENSION' => qfpay_extension_path(),
            'QFPAY_BASE_URL' => $sb->baseUrl, 'QFPAY_APP_CODE' => $sb->appCode, 'QFPAY_CLIENT_KEY' => $sb->clientKey,
        ], QFPAY_REPO, $log);
        try {
            self::waitForPort($port, $server, $log);
            $this->shopperAndQfPay($sb, "http://127.0.0.1:$port", '/notify.php', false);
            $this->hostedCheckout($sb, "http://127.0.0.1:$port", '/notify.php', false);
        } catch (\Throwable $e) {
            fwrite(STDERR, "\n[fpm example log]\n" . file_get_contents($log));
            throw $e;
        } finally {
            self::stopServer($server);
            $sb->stop();
            @unlink($log);
        }
    }

    public function testLaravelUnderPhpS(): void
    {
        $this->assertFileExists('/usr/share/php/Illuminate/autoload.php', 'bindings-php/debian-packages.txt installs php-laravel-framework');
        // A copy, as a fresh checkout of the project: Laravel writes its caches, sessions and
        // compiled views under bootstrap/cache and storage/.
        $app = sys_get_temp_dir() . '/qfpay-laravel-' . getmypid();
        exec('cp -a ' . escapeshellarg(QFPAY_REPO . '/examples/php/laravel') . ' ' . escapeshellarg($app), $_, $rc);
        $this->assertSame(0, $rc);
        @unlink("$app/.env");   // a developer's own settings, if any: the test's come from the environment
        $sb = Sandbox::start(['rateLimit' => false, 'notifyTimeScale' => 0.001]);
        $port = self::freePort();
        $log = (string) tempnam(sys_get_temp_dir(), 'qfpay-laravel-example');
        // The README's command: PHP's built-in server, 4 workers (a notification arrives while
        // a worker waits on QFPay), every path through public/index.php (server.php).
        $server = self::startServer(
            [PHP_BINARY, '-d', 'extension=' . qfpay_extension_path(), '-S', "127.0.0.1:$port", '-t', 'public', 'server.php'],
            [
                'PHP_CLI_SERVER_WORKERS' => '4',
                'APP_KEY' => 'base64:' . base64_encode(random_bytes(32)),
                'QFPAY_BASE_URL' => $sb->baseUrl, 'QFPAY_APP_CODE' => $sb->appCode, 'QFPAY_CLIENT_KEY' => $sb->clientKey,
            ],
            $app,
            $log,
        );
        try {
            self::waitForPort($port, $server, $log);
            $this->shopperAndQfPay($sb, "http://127.0.0.1:$port", '/qfpay/notify', true);
            $this->hostedCheckout($sb, "http://127.0.0.1:$port", '/qfpay/notify', true);
            $serverLog = (string) file_get_contents($log);
            $this->assertStringContainsString('DEBUG: request /trade/v1/refund', $serverLog, "the SDK's events reach Laravel's log");
            $this->assertStringNotContainsString($sb->clientKey, $serverLog);

            // Without the CSRF exemption a post like QFPay's would be refused (419) by Laravel:
            // the checkout route is not exempt.
            [$status] = self::http(self::browser(), 'POST', "http://127.0.0.1:$port/checkout", ['amount' => '300']);
            $this->assertSame(419, $status, 'CSRF protects the checkout');
        } catch (\Throwable $e) {
            fwrite(STDERR, "\n[laravel example log]\n" . file_get_contents($log));
            throw $e;
        } finally {
            self::stopServer($server);
            $sb->stop();
            @unlink($log);
            exec('rm -rf ' . escapeshellarg($app));
        }
    }
}
