<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use QfPay\{Sandbox, QfPayException, StatusUnknownException};

/**
 * Issue 9's fault soak, sequential as PHP requests are: 300 payments (CPM, paid at once, and
 * WeChat QR) with a fault injected before ~20% of them, checked against the sandbox's orders:
 * 0 doubled, 0 lost, 0 wrong, every status-unknown naming its order.
 */
final class FaultSoakTest extends TestCase
{
    public function testFaultSoak(): void
    {
        $sb = Sandbox::start(['rateLimit' => false]);
        try {
            $client = $sb->client(['timeoutMs' => 300, 'reconcileTimeoutMs' => 600, 'retryBaseDelayMs' => 20, 'retryMaxDelayMs' => 100]);
            mt_srand(20261201);
            $faults = [
                ['kind' => 'drop'], ['kind' => 'http_status', 'status' => 500], ['kind' => 'http_status', 'status' => 502],
                ['kind' => 'malformed'], ['kind' => 'delay', 'ms' => 450], ['kind' => 'http_status', 'status' => 429],
            ];
            $ok = [];
            $unknown = [];
            $failed = 0;
            $injected = 0;
            for ($i = 0; $i < 300; $i++) {
                if (mt_rand(1, 100) <= 20) {
                    $sb->injectFault($faults[mt_rand(0, count($faults) - 1)]);
                    $injected++;
                }
                $amount = 500 + $i;
                $number = 'SOAK' . str_pad((string) $i, 6, '0', STR_PAD_LEFT) . bin2hex(random_bytes(4));
                try {
                    $p = $i % 2 === 0
                        ? $client->createPayment($amount, 'HKD', '800208', ['authCode' => '134567890123456789', 'outTradeNo' => $number])
                        : $client->wechatQr($amount, 'HKD', ['outTradeNo' => $number]);
                    $this->assertSame($number, $p->outTradeNo);
                    $this->assertSame($amount, $p->txamt);
                    $ok[$number] = $amount;
                } catch (StatusUnknownException $e) {
                    $this->assertSame($number, $e->outTradeNo, 'a status-unknown names its order');
                    $unknown[$number] = $amount;
                } catch (QfPayException $e) {
                    $this->assertSame($number, $e->outTradeNo, "every error names its order: {$e->errorCode}");
                    $failed++;
                }
            }
            $byNumber = [];
            foreach ($sb->orders() as $o) {
                if ($o['kind'] !== 'payment') {
                    continue;
                }
                $byNumber[$o['out_trade_no']][] = $o;
            }
            $doubled = count(array_filter($byNumber, fn ($list) => count($list) > 1));
            $lost = count(array_filter(array_keys($ok), fn ($n) => !isset($byNumber[$n])));
            $wrong = 0;
            foreach ($ok + $unknown as $n => $amount) {
                foreach ($byNumber[$n] ?? [] as $o) {
                    if ((int) $o['txamt'] !== $amount) {
                        $wrong++;
                    }
                }
            }
            fwrite(STDERR, sprintf("\n[soak] 300 payments, %d faults: %d ok, %d status unknown, %d failed; doubled %d, lost %d, wrong %d\n",
                $injected, count($ok), count($unknown), $failed, $doubled, $lost, $wrong));
            $this->assertGreaterThan(30, $injected);
            $this->assertSame(0, $doubled, 'doubled');
            $this->assertSame(0, $lost, 'lost');
            $this->assertSame(0, $wrong, 'wrong');
            $this->assertGreaterThan(200, count($ok));
        } finally {
            $sb->stop();
        }
    }
}
