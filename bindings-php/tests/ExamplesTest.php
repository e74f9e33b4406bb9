<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use QfPay\{Sandbox, Signing};

/** examples/php: the rewritten seed sample, and the notification receiver under `php -S`. */
final class ExamplesTest extends TestCase
{
    private static function exec(array $cmd, array $env): array
    {
        $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env + getenv());
        $out = (string) stream_get_contents($pipes[1]);
        $err = (string) stream_get_contents($pipes[2]);
        return [proc_close($proc), $out, $err];
    }

    public function testWechatQrExample(): void
    {
        $sb = Sandbox::start(['rateLimit' => false]);
        try {
            [$rc, $out, $err] = self::exec(
                [PHP_BINARY, '-d', 'extension=' . qfpay_extension_path(), QFPAY_REPO . '/examples/php/wechat_qr.php'],
                ['QFPAY_BASE_URL' => $sb->baseUrl, 'QFPAY_APP_CODE' => $sb->appCode, 'QFPAY_CLIENT_KEY' => $sb->clientKey],
            );
            $this->assertSame(0, $rc, $err);
            $this->assertStringContainsString('respcd: 0000', $out);
            $this->assertMatchesRegularExpression('/qrcode: weixin:\/\/\S+/', $out);
            $this->assertSame(2200, (int) $sb->orders()[0]['txamt']);
        } finally {
            $sb->stop();
        }
    }

    public function testNotificationReceiverUnderPhpS(): void
    {
        $s = stream_socket_server('tcp://127.0.0.1:0');
        $name = (string) stream_socket_get_name($s, false);
        fclose($s);
        $port = (int) substr($name, strrpos($name, ':') + 1);
        $log = tempnam(sys_get_temp_dir(), 'qfpay-notify');
        $sb = Sandbox::start(['rateLimit' => false, 'merchants' => [['appCode' => 'APPNOTIFY0001', 'clientKey' => 'KEYNOTIFY0001', 'notifyUrl' => "http://127.0.0.1:$port/notify"]], 'notifyTimeScale' => 0.001]);
        $server = proc_open(
            [PHP_BINARY, '-d', 'extension=' . qfpay_extension_path(), '-S', "127.0.0.1:$port", QFPAY_REPO . '/examples/php/notify.php'],
            [1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes, null,
            ['QFPAY_CLIENT_KEY' => 'KEYNOTIFY0001', 'QFPAY_NOTIFY_LOG' => $log] + getenv(),
        );
        try {
            $deadline = microtime(true) + 5;
            while (!@fsockopen('127.0.0.1', $port) && microtime(true) < $deadline) {
                usleep(50000);
            }
            $post = function (string $body, ?string $sig) use ($port): array {
                $headers = "Content-Type: application/json\r\n" . ($sig === null ? '' : "X-QF-SIGN: $sig\r\n");
                $ctx = stream_context_create(['http' => ['method' => 'POST', 'header' => $headers, 'content' => $body, 'ignore_errors' => true]]);
                $answer = (string) file_get_contents("http://127.0.0.1:$port/notify", false, $ctx);
                return [(int) explode(' ', $http_response_header[0])[1], $answer];
            };
            $body = '{"status": "1", "pay_type": "800201", "txamt": "300", "notify_type": "payment", "syssn": "S1", "out_trade_no": "A1", "cancel": "0", "respcd": "0000"}';
            $sig = Signing::notificationSignature($body, 'KEYNOTIFY0001');
            $this->assertSame([200, 'SUCCESS'], $post($body, $sig), 'good');
            $this->assertSame(401, $post(str_replace('300', '301', $body), $sig)[0], 'tampered');
            $this->assertSame(401, $post($body, Signing::notificationSignature($body, 'OTHERKEY'))[0], 'wrong key');
            $this->assertSame(401, $post($body, null)[0], 'missing header');

            // A real notification from the sandbox after the customer pays.
            $c = $sb->client();
            $p = $c->wechatQr(300);
            $sb->pay($p->outTradeNo);
            $deadline = microtime(true) + 10;
            while (!str_contains((string) file_get_contents($log), $p->outTradeNo) && microtime(true) < $deadline) {
                usleep(50000);
            }
            $this->assertStringContainsString($p->outTradeNo, (string) file_get_contents($log), json_encode($sb->notifications()));
        } finally {
            proc_terminate($server);
            proc_close($server);
            $sb->stop();
            @unlink($log);
        }
    }

    public function testLaravelStyleController(): void
    {
        require_once QFPAY_REPO . '/examples/php/NotificationController.php';
        $seen = [];
        $c = new \App\Http\Controllers\NotificationController('KEY1', function ($n) use (&$seen) { $seen[] = $n->outTradeNo; });
        $body = '{"status": "1", "notify_type": "payment", "out_trade_no": "A9", "txamt": "100"}';
        $sig = Signing::notificationSignature($body, 'KEY1');
        $this->assertSame([200, 'SUCCESS'], $c($body, $sig));
        $this->assertSame([401, 'bad signature'], $c($body . ' ', $sig));
        $this->assertSame([401, 'bad signature'], $c($body, null));
        $this->assertSame(['A9'], $seen);
    }
}
