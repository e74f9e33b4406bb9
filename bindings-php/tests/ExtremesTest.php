<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use QfPay\{Client, Sandbox, Qr, Signing, Notification, QfPayException};

/** Hostile values everywhere: always a QfPayException (or PHP's TypeError), never a Rust panic (\Error). */
final class ExtremesTest extends TestCase
{
    public function testNoPanicOnExtremes(): void
    {
        $sb = Sandbox::start(['rateLimit' => false]);
        $c = $sb->client();
        $base = ['appCode' => 'A', 'clientKey' => 'K', 'baseUrl' => $sb->baseUrl];
        $numbers = [NAN, INF, -INF, 1e300, -1, 0, PHP_INT_MAX, PHP_INT_MIN, 1e19, -0.0];
        $calls = [];
        foreach ($numbers as $v) {
            foreach (['timeoutMs', 'connectTimeoutMs', 'reconcileTimeoutMs', 'retryBaseDelayMs', 'retryMaxDelayMs', 'maxRetries', 'utcOffsetSeconds'] as $opt) {
                $calls[] = fn () => new Client([$opt => $v] + $base);
            }
            $calls[] = fn () => $c->wechatQr($v);
            $calls[] = fn () => $c->wechatQr(300, 'HKD', ['timeoutMs' => $v, 'maxRetries' => 0]);
            $calls[] = fn () => $c->wechatQr(300, 'HKD', ['expiredTime' => $v]);
            $calls[] = fn () => $c->refund('S1', $v, 'HKD');
            $calls[] = fn () => $c->query(['page' => $v, 'pageSize' => $v]);
            $calls[] = fn () => $c->waitForPayment('A1', ['timeoutMs' => $v, 'intervalMs' => $v, 'maxIntervalMs' => $v]);
            $calls[] = fn () => Sandbox::start(['port' => $v]);
            $calls[] = fn () => Sandbox::start(['notifyTimeScale' => $v, 'slowResponseMs' => $v, 'pendingQueries' => $v]);
            $calls[] = fn () => $sb->injectFault(['kind' => 'delay', 'ms' => $v, 'count' => $v]);
            if (is_int($v)) {
                $calls[] = fn () => Qr::png('x', $v);
                $calls[] = fn () => $sb->advanceClock($v);
            }
        }
        foreach (["\0", str_repeat('x', 100000), "\xff\xfe", '', ' '] as $s) {
            $calls[] = fn () => $c->wechatQr(300, $s);
            $calls[] = fn () => $c->findPayment($s);
            $calls[] = fn () => $c->wechatQr(300, 'HKD', ['goodsName' => $s, 'outTradeNo' => $s]);
            $calls[] = fn () => Notification::verify($s, $s, $s);
            $calls[] = fn () => Signing::sign([$s => $s], 'k', $s);
            $calls[] = fn () => Qr::svg($s);
            $calls[] = fn () => new Client(['appCode' => $s, 'clientKey' => $s, 'baseUrl' => $s]);
            $calls[] = fn () => $sb->pay($s);
        }
        $sb->reset();
        $panics = [];
        foreach ($calls as $i => $call) {
            try {
                $r = $call();
                if ($r instanceof Sandbox) {
                    $r->stop();
                }
            } catch (QfPayException | \TypeError | \ValueError $e) {
                // expected
            } catch (\Throwable $e) {
                $panics[] = "case $i: " . get_class($e) . ': ' . $e->getMessage();
            }
        }
        $sb->stop();
        $this->assertSame([], $panics);
    }
}
