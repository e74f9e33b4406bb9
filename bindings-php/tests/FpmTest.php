<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use QfPay\{Client, Sandbox};

/**
 * Under real PHP-FPM: the master loads the extension (php.ini) and forks 4 workers; requests
 * driven concurrently with cgi-fcgi make payments in every worker. Also pcntl_fork after use,
 * and 1,000 payments in one process without memory growth.
 */
final class FpmTest extends TestCase
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

    private static function freePort(): int
    {
        $s = stream_socket_server('tcp://127.0.0.1:0');
        $name = stream_socket_get_name($s, false);
        fclose($s);
        return (int) substr((string) $name, strrpos((string) $name, ':') + 1);
    }

    private static function env(): array
    {
        return [
            'QFPAY_BASE_URL' => self::$sandbox->baseUrl,
            'QFPAY_APP_CODE' => self::$sandbox->appCode,
            'QFPAY_CLIENT_KEY' => self::$sandbox->clientKey,
        ];
    }

    public function testWorkersForkedAfterTheExtensionLoadedMakePayments(): void
    {
        $fpm = '/usr/sbin/php-fpm8.2';
        if (!is_executable($fpm) || trim((string) shell_exec('command -v cgi-fcgi')) === '') {
            $this->fail('php8.2-fpm and libfcgi-bin are required (bindings-php/test.sh installs them)');
        }
        $dir = sys_get_temp_dir() . '/qfpay-fpm-' . getmypid();
        @mkdir($dir);
        $port = self::freePort();
        $ext = qfpay_extension_path();
        file_put_contents("$dir/php.ini", "extension=$ext\nzend.exception_ignore_args=0\n");
        $env = '';
        foreach (self::env() as $k => $v) {
            $env .= "env[$k] = $v\n";
        }
        file_put_contents("$dir/fpm.conf", <<<CONF
[global]
error_log = $dir/fpm.log
daemonize = no
[qfpay]
listen = 127.0.0.1:$port
pm = static
pm.max_children = 4
catch_workers_output = yes
clear_env = yes
$env
CONF);
        $proc = proc_open([$fpm, '-F', '-R', '-c', "$dir/php.ini", '-y', "$dir/fpm.conf"], [1 => ['file', "$dir/out.log", 'w'], 2 => ['file', "$dir/err.log", 'w']], $pipes);
        $this->assertIsResource($proc);
        try {
            $deadline = microtime(true) + 10;
            while (!@fsockopen('127.0.0.1', $port) && microtime(true) < $deadline) {
                usleep(50000);
            }
            $script = realpath(__DIR__ . '/fixtures/fpm_worker.php');
            $requests = [];
            for ($i = 0; $i < 12; $i++) {
                $requests[] = proc_open(
                    ['cgi-fcgi', '-bind', '-connect', "127.0.0.1:$port"],
                    [1 => ['pipe', 'w'], 2 => ['pipe', 'w']],
                    $p,
                    null,
                    ['SCRIPT_FILENAME' => $script, 'REQUEST_METHOD' => 'GET', 'QUERY_STRING' => 'n=8'],
                );
                $pipesOf[$i] = $p;
            }
            $pids = [];
            $numbers = [];
            $payments = 0;
            foreach ($requests as $i => $r) {
                stream_set_timeout($pipesOf[$i][1], 60);
                $raw = (string) stream_get_contents($pipesOf[$i][1]);
                proc_close($r);
                $body = substr($raw, (int) strpos($raw, "\r\n\r\n") + 4);
                $out = json_decode($body, true);
                $this->assertIsArray($out, "request $i answered: $raw\n" . @file_get_contents("$dir/fpm.log"));
                $this->assertSame([], $out['errors'], "request $i");
                $this->assertSame(array_fill(0, 8, '0000'), $out['codes'], "request $i");
                $this->assertTrue($out['key_argument_sensitive'], "request $i: the key is a SensitiveParameterValue in the trace");
                $this->assertFalse($out['key_in_trace'], "request $i: the key is not in the trace");
                $this->assertSame(8, $out['found'], "request $i: its payments, each once, in the month walked in the worker");
                $this->assertGreaterThanOrEqual(8, $out['walked'], "request $i");
                $pids[$out['pid']] = true;
                $payments += count($out['codes']);
                foreach ($out['numbers'] as $n) {
                    $numbers[] = $n;
                }
            }
            $this->assertGreaterThanOrEqual(4, count($pids), 'every worker served requests');
            $this->assertSame(96, $payments);
            $this->assertCount(count($numbers), array_unique($numbers), 'no two workers generated the same out_trade_no');
            $orders = array_filter(self::$sandbox->orders(), fn ($o) => $o['kind'] === 'payment');
            $this->assertGreaterThanOrEqual(96, count($orders));
            $log = (string) @file_get_contents("$dir/fpm.log");
            $this->assertStringNotContainsString('SIGSEGV', $log);
            $this->assertStringNotContainsString('exited on signal', $log);
        } finally {
            proc_terminate($proc, 15);
            proc_close($proc);
            array_map('unlink', glob("$dir/*") ?: []);
            @rmdir($dir);
        }
    }

    public function testPcntlForkAfterUse(): void
    {
        if (!function_exists('pcntl_fork')) {
            $this->markTestSkipped('pcntl is not available');
        }
        $client = self::$sandbox->client();
        $first = $client->wechatQr(300)->outTradeNo;   // runtime and pool exist before the fork
        $children = [];
        $dir = sys_get_temp_dir();
        for ($i = 0; $i < 3; $i++) {
            $pid = pcntl_fork();
            if ($pid === 0) {
                $nums = [];
                try {
                    for ($j = 0; $j < 5; $j++) {
                        $nums[] = $client->wechatQr(300)->outTradeNo;
                    }
                } catch (\Throwable $e) {
                    $nums = ['error: ' . $e->getMessage()];
                }
                file_put_contents("$dir/qfpay-fork-" . getmypid(), json_encode($nums));
                posix_kill(getmypid(), SIGKILL);   // leave no PHPUnit shutdown in the child
            }
            $children[] = $pid;
        }
        $all = [$first];
        foreach ($children as $pid) {
            pcntl_waitpid($pid, $status);
            $nums = json_decode((string) @file_get_contents("$dir/qfpay-fork-$pid"), true);
            @unlink("$dir/qfpay-fork-$pid");
            $this->assertIsArray($nums);
            $this->assertCount(5, $nums, json_encode($nums));
            $all = array_merge($all, $nums);
        }
        $all[] = $client->wechatQr(300)->outTradeNo;   // the parent still works
        $this->assertCount(count($all), array_unique($all));
    }

    public function testThousandPaymentsWithoutMemoryGrowth(): void
    {
        $env = self::env() + getenv();
        $proc = proc_open(
            [PHP_BINARY, '-d', 'extension=' . qfpay_extension_path(), __DIR__ . '/fixtures/memory.php', '1000'],
            [1 => ['pipe', 'w'], 2 => ['pipe', 'w']],
            $pipes,
            null,
            $env,
        );
        $out = (string) stream_get_contents($pipes[1]);
        $err = (string) stream_get_contents($pipes[2]);
        proc_close($proc);
        $r = json_decode($out, true);
        $this->assertIsArray($r, $out . $err);
        $this->assertSame(1000, $r['payments']);
        $growth = $r['after_kb'] - $r['before_kb'];
        fwrite(STDERR, sprintf("\n[memory] 1000 payments: RSS %d kB -> %d kB (%+d kB)\n", $r['before_kb'], $r['after_kb'], $growth));
        $this->assertLessThan(4096, $growth, 'RSS grew by more than 4 MB over 1,000 payments');
    }
}
