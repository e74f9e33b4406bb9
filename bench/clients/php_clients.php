<?php
// PHP clients of the cross-language benchmark (bench/run.sh): the qfpay extension and a
// hand-written curl client (keep-alive: one handle reused) doing the same signed WeChat QR
// payment (800201) against the shared sandbox process named by QFPAY_BASE_URL, QFPAY_APP_CODE,
// QFPAY_CLIENT_KEY (127.0.0.1). Sequential, as PHP runs. Prints one JSON line.
//
//   php -d extension=libqfpay_php.so php_clients.php pay sdk|curl SECONDS WARMUP
//   php ... php_clients.php micro | startup | rss sdk|curl
//   php ... php_clients.php transactions sdk|hand   (BENCH_FROM, BENCH_TO: the period)
//
// `transactions` walks every record of BENCH_FROM..BENCH_TO (YYYY-MM-DD hh:mm:ss; a bare day
// is taken whole): `sdk` with $client->transactions(..., ['minIntervalMs' => 0]), `hand` as a
// merchant writes it in PHP (calendar months, pages of 100 through /trade/v1/query, the seed's
// md5 signing, curl keep-alive, json_decode), both streaming. One JSON line: records, requests,
// seconds, rss_before_kb (VmRSS before the walk), rss_peak_kb (VmHWM after it), txamt_sum.

declare(strict_types=1);

$BASE_URL = getenv('QFPAY_BASE_URL');
$APP_CODE = getenv('QFPAY_APP_CODE');
$CLIENT_KEY = getenv('QFPAY_CLIENT_KEY');

// The seed's signing (shared/spec/seed-wechat-qr-payment.md): ksort, k=v joined by &, md5, upper case.
function hand_sign(array $fields, string $key): string
{
    ksort($fields);
    $s = '';
    foreach ($fields as $k => $v) {
        $s .= $k . '=' . $v . '&';
    }
    $s = substr($s, 0, strlen($s) - 1);
    return strtoupper(md5($s . $key));
}

function curl_client(): Closure
{
    global $BASE_URL, $APP_CODE, $CLIENT_KEY;
    $ch = curl_init();
    curl_setopt($ch, CURLOPT_URL, $BASE_URL . '/trade/v1/payment');
    curl_setopt($ch, CURLOPT_RETURNTRANSFER, 1);
    curl_setopt($ch, CURLOPT_POST, 1);
    $n = 0;
    return function () use ($ch, $APP_CODE, $CLIENT_KEY, &$n): bool {
        $fields = [
            'pay_type' => '800201',
            'out_trade_no' => 'php' . getmypid() . 'x' . ($n++) . 'x' . hrtime(true),
            'txcurrcd' => 'HKD',
            'txamt' => '300',
            'txdtm' => date('Y-m-d H:i:s'),
        ];
        curl_setopt($ch, CURLOPT_HTTPHEADER, ['X-QF-APPCODE: ' . $APP_CODE, 'X-QF-SIGN: ' . hand_sign($fields, $CLIENT_KEY)]);
        curl_setopt($ch, CURLOPT_POSTFIELDS, http_build_query($fields));
        $out = curl_exec($ch);
        if ($out === false || curl_getinfo($ch, CURLINFO_RESPONSE_CODE) !== 200) {
            return false;
        }
        $data = json_decode($out, true);
        return is_array($data) && ($data['respcd'] ?? '') === '0000';
    };
}

function sdk_client(): Closure
{
    $client = \QfPay\Client::fromEnv();
    return fn (): bool => $client->wechatQr(300, 'HKD')->respcd === '0000';
}

function phase(Closure $one, float $seconds): array
{
    $ok = 0;
    $failed = 0;
    $start = hrtime(true);
    $until = $start + (int) ($seconds * 1e9);
    while (hrtime(true) < $until) {
        try {
            if ($one()) {
                $ok++;
            } else {
                $failed++;
            }
        } catch (\Throwable $e) {
            $failed++;
        }
    }
    $secs = (hrtime(true) - $start) / 1e9;
    return ['n' => $ok, 'errors' => $failed, 'secs' => $secs, 'rate' => $ok / $secs];
}

function ns_per_call(int $n, Closure $f): float
{
    $best = INF;
    for ($r = 0; $r < 5; $r++) {
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            $f();
        }
        $best = min($best, (hrtime(true) - $t) / $n);
    }
    return $best;
}

function rss_kb(string $field = 'VmRSS'): int
{
    foreach (file('/proc/self/status') as $line) {
        if (str_starts_with($line, "$field:")) {
            return (int) preg_replace('/[^0-9]/', '', $line);
        }
    }
    return 0;
}

/** The sandbox's count of API requests received (its control API; not part of a walk). */
function sandbox_request_count(): int
{
    global $BASE_URL;
    $answer = json_decode((string) file_get_contents($BASE_URL . '/sandbox/requests'), true);
    return (int) ($answer['request_count'] ?? -1);
}

/** BENCH_FROM and BENCH_TO as the period's first and last second. */
function bench_period(): array
{
    $from = (string) getenv('BENCH_FROM');
    $to = (string) getenv('BENCH_TO');
    if (strlen($from) === 10) {
        $from .= ' 00:00:00';
    }
    if (strlen($to) === 10) {
        $to .= ' 23:59:59';
    }
    return [$from, $to];
}

/** The SDK's walk: [records, txamt sum]. */
function transactions_sdk(string $from, string $to): array
{
    $client = \QfPay\Client::fromEnv();
    $records = 0;
    $sum = 0;
    foreach ($client->transactions($from, $to, ['minIntervalMs' => 0]) as $t) {
        $records++;
        $sum += $t->txamt;
    }
    return [$records, $sum, null];
}

/**
 * The hand-written walk: each calendar month of the period, pages of 100 until a short one,
 * signed as the seed signs, one curl handle kept alive; a 429 waits Retry-After. Only the page
 * being read is in memory. [records, txamt sum, requests].
 */
function transactions_hand(string $from, string $to): array
{
    global $BASE_URL, $APP_CODE, $CLIENT_KEY;
    $ch = curl_init($BASE_URL . '/trade/v1/query');
    curl_setopt($ch, CURLOPT_RETURNTRANSFER, 1);
    curl_setopt($ch, CURLOPT_POST, 1);
    $retryAfter = 0;
    curl_setopt($ch, CURLOPT_HEADERFUNCTION, function ($ch, string $h) use (&$retryAfter): int {
        if (stripos($h, 'retry-after:') === 0) {
            $retryAfter = (int) trim(substr($h, 12));
        }
        return strlen($h);
    });
    $records = 0;
    $sum = 0;
    $requests = 0;
    $end = new DateTimeImmutable($to);
    $start = new DateTimeImmutable($from);
    while ($start <= $end) {
        $next = $start->modify('first day of next month')->setTime(0, 0, 0);
        $windowEnd = min($next->modify('-1 second'), $end);
        for ($page = 1; ; $page++) {
            $fields = [
                'start_time' => $start->format('Y-m-d H:i:s'),
                'end_time' => $windowEnd->format('Y-m-d H:i:s'),
                'page' => (string) $page,
                'page_size' => '100',
            ];
            curl_setopt($ch, CURLOPT_HTTPHEADER, ['X-QF-APPCODE: ' . $APP_CODE, 'X-QF-SIGN: ' . hand_sign($fields, $CLIENT_KEY)]);
            curl_setopt($ch, CURLOPT_POSTFIELDS, http_build_query($fields));
            $requests++;
            $body = curl_exec($ch);
            $status = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
            if ($status === 429) {
                sleep(max(1, $retryAfter));
                $page--;
                continue;
            }
            $answer = is_string($body) ? json_decode($body, true) : null;
            if ($status !== 200 || !is_array($answer) || ($answer['respcd'] ?? '') !== '0000') {
                fwrite(STDERR, "query failed: HTTP $status " . substr((string) $body, 0, 200) . "\n");
                exit(1);
            }
            $data = $answer['data'] ?? [];
            foreach ($data as $t) {
                $records++;
                $sum += (int) $t['txamt'];
            }
            if (count($data) < 100) {
                break;
            }
        }
        $start = $next;
    }
    return [$records, $sum, $requests];
}

$mode = $argv[1] ?? '';
switch ($mode) {
    case 'pay':
        $one = $argv[2] === 'sdk' ? sdk_client() : ($argv[2] === 'curl' ? curl_client() : null);
        if ($one === null) {
            fwrite(STDERR, "unknown case {$argv[2]}\n");
            exit(2);
        }
        phase($one, (float) $argv[4]);
        $out = phase($one, (float) $argv[3]);
        break;
    case 'micro':
        $client = \QfPay\Client::fromEnv();
        $seed = ['txamt' => '10', 'txcurrcd' => 'HKD', 'pay_type' => '800201', 'out_trade_no' => '01234567890123',
            'txdtm' => '2020-04-10 11:45:44', 'mchid' => 'ZaMVg*****'];
        $key = '0E32A59A8B454940A2FF39**********';
        if (\QfPay\Signing::sign($seed, $key) !== hand_sign($seed, $key)) {
            fwrite(STDERR, "QfPay\\Signing::sign and the seed's md5 code disagree\n");
            exit(1);
        }
        $out = [
            'trivial_ns' => ns_per_call(200000, fn () => $client->baseUrl),
            'trivial_what' => '$client->baseUrl',
            'sign_sdk_ns' => ns_per_call(100000, fn () => \QfPay\Signing::sign($seed, $key)),
            'sign_hand_ns' => ns_per_call(100000, fn () => hand_sign($seed, $key)),
        ];
        break;
    case 'startup':
        // The extension is loaded when PHP starts; this is the first call into it.
        $t = hrtime(true);
        \QfPay\QfPay::generateOutTradeNo();
        $out = ['startup_ms' => (hrtime(true) - $t) / 1e6, 'startup_what' => 'first call'];
        break;
    case 'rss':
        $one = ($argv[2] ?? 'sdk') === 'curl' ? curl_client() : sdk_client();
        $failed = 0;
        for ($i = 0; $i < 1000; $i++) {
            if (!$one()) {
                $failed++;
            }
        }
        $out = ['rss_kb' => rss_kb(), 'errors' => $failed];
        break;
    case 'transactions':
        $walk = ['sdk' => 'transactions_sdk', 'hand' => 'transactions_hand'][$argv[2] ?? ''] ?? null;
        if ($walk === null) {
            fwrite(STDERR, "usage: php_clients.php transactions sdk|hand\n");
            exit(2);
        }
        [$from, $to] = bench_period();
        $sentBefore = sandbox_request_count();
        $rssBefore = rss_kb();
        $t = hrtime(true);
        [$records, $sum, $requests] = $walk($from, $to);
        $secs = (hrtime(true) - $t) / 1e9;
        $out = [
            'records' => $records,
            'requests' => $requests ?? sandbox_request_count() - $sentBefore,
            'seconds' => $secs,
            'rss_before_kb' => $rssBefore,
            'rss_peak_kb' => rss_kb('VmHWM'),
            'txamt_sum' => $sum,
        ];
        break;
    default:
        fwrite(STDERR, "usage: php_clients.php pay sdk|curl SECONDS WARMUP | micro | startup | rss sdk|curl | transactions sdk|hand\n");
        exit(2);
}
echo json_encode($out), "\n";
