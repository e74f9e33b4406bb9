<?php
// Sequential payments per second against a local sandbox: the extension, the seed sample's
// approach (curl, a new connection per payment) and a reused curl handle (keep-alive).
// Not a test: bindings-php/bench.sh runs it with the release build.
declare(strict_types=1);

$n = (int) ($argv[1] ?? 2000);
$sb = QfPay\Sandbox::start(['rateLimit' => false]);
$url = $sb->baseUrl . '/trade/v1/payment';

function seed_fields(): array
{
    $fields = [
        'pay_type' => '800201',
        'out_trade_no' => bin2hex(random_bytes(10)),
        'txcurrcd' => 'HKD',
        'txamt' => '2200',
        'txdtm' => date('Y-m-d H:i:s'),
    ];
    ksort($fields);
    return $fields;
}

function seed_request($ch, string $url, string $appCode, string $key): array
{
    $fields = seed_fields();
    $s = '';
    foreach ($fields as $k => $v) {
        $s .= "$k=$v&";
    }
    $s = substr($s, 0, -1);
    $sign = strtoupper(md5($s . $key));
    curl_setopt($ch, CURLOPT_URL, $url);
    curl_setopt($ch, CURLOPT_RETURNTRANSFER, 1);
    curl_setopt($ch, CURLOPT_HTTPHEADER, ["X-QF-APPCODE: $appCode", "X-QF-SIGN: $sign"]);
    curl_setopt($ch, CURLOPT_POST, 1);
    curl_setopt($ch, CURLOPT_POSTFIELDS, $s);
    return json_decode((string) curl_exec($ch), true);
}

$results = [];
$bench = function (string $name, callable $one) use ($n, &$results, $sb) {
    for ($i = 0; $i < 50; $i++) {
        $one();
    }
    $sb->reset();
    $t = hrtime(true);
    for ($i = 0; $i < $n; $i++) {
        $one();
    }
    $s = (hrtime(true) - $t) / 1e9;
    $results[$name] = $n / $s;
    printf("%-44s %8.0f payments/s  (%.0f us each)\n", $name, $n / $s, $s / $n * 1e6);
};

$client = $sb->client();
$bench('qfpay extension (one Client)', function () use ($client) {
    $client->wechatQr(2200, 'HKD');
});
$bench('seed sample: curl, new connection each time', function () use ($url, $sb) {
    $ch = curl_init();
    $r = seed_request($ch, $url, $sb->appCode, $sb->clientKey);
    curl_close($ch);
    if (($r['respcd'] ?? '') !== '0000') {
        throw new RuntimeException('seed request failed');
    }
});
$keep = curl_init();
$bench('curl handle reused (keep-alive)', function () use ($keep, $url, $sb) {
    $r = seed_request($keep, $url, $sb->appCode, $sb->clientKey);
    if (($r['respcd'] ?? '') !== '0000') {
        throw new RuntimeException('keep-alive request failed');
    }
});
$sb->stop();
printf("\nextension vs new connection: %.2fx, vs keep-alive: %.2fx (PHP %s, %d payments each)\n",
    $results['qfpay extension (one Client)'] / $results['seed sample: curl, new connection each time'],
    $results['qfpay extension (one Client)'] / $results['curl handle reused (keep-alive)'], PHP_VERSION, $n);
