<?php
// PHP clients of the cross-language benchmark (bench/run.sh): the qfpay extension and a
// hand-written curl client (keep-alive: one handle reused) doing the same signed WeChat QR
// payment (800201) against the shared sandbox process named by QFPAY_BASE_URL, QFPAY_APP_CODE,
// QFPAY_CLIENT_KEY (127.0.0.1). Sequential, as PHP runs. Prints one JSON line.
//
//   php -d extension=libqfpay_php.so php_clients.php pay sdk|curl SECONDS WARMUP
//   php ... php_clients.php micro | startup | rss sdk|curl

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

function rss_kb(): int
{
    foreach (file('/proc/self/status') as $line) {
        if (str_starts_with($line, 'VmRSS:')) {
            return (int) preg_replace('/[^0-9]/', '', $line);
        }
    }
    return 0;
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
    default:
        fwrite(STDERR, "usage: php_clients.php pay sdk|curl SECONDS WARMUP | micro | startup | rss sdk|curl\n");
        exit(2);
}
echo json_encode($out), "\n";
