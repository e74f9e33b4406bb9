<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use QfPay\Sandbox;

/** examples/php/wechat_qr.php, the seed sample rewritten (the example projects: ExampleProjectsTest). */
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
}
