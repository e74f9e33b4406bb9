<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use QfPay\Sandbox;

/**
 * The seed document's PHP sample client (tests/fixtures/seed_sample.php: the seed's code,
 * unchanged but for the base URL and credentials, which it reads from the environment) gets
 * 0000 and a QR code from the sandbox: the sandbox takes the fourth sample's wire form too.
 */
final class SeedSampleTest extends TestCase
{
    public function testSeedSampleGetsAQrCode(): void
    {
        $this->assertTrue(extension_loaded('curl'), 'the seed sample needs php8.2-curl');
        $sb = Sandbox::start(['rateLimit' => false]);
        try {
            $env = ['QFPAY_BASE_URL' => $sb->baseUrl, 'QFPAY_APP_CODE' => $sb->appCode, 'QFPAY_CLIENT_KEY' => $sb->clientKey] + getenv();
            $proc = proc_open([PHP_BINARY, __DIR__ . '/fixtures/seed_sample.php'], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
            $out = (string) stream_get_contents($pipes[1]);
            $err = (string) stream_get_contents($pipes[2]);
            $this->assertSame(0, proc_close($proc), $err);
            $this->assertMatchesRegularExpression('/\[respcd\] => 0000/', $out, $out);
            $this->assertMatchesRegularExpression('/\[qrcode\] => weixin:\/\/\S+/', $out);
            $this->assertMatchesRegularExpression('/\[txamt\] => 2200/', $out);
            $orders = $sb->orders();
            $this->assertCount(1, $orders);
            $this->assertSame(2200, (int) $orders[0]['txamt']);
        } finally {
            $sb->stop();
        }
    }
}
