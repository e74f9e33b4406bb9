<?php
// Sequential payments per second against a separate sandbox process (like QFPay: another
// process, its own cores), interleaved rounds: the extension with one Client, the extension
// with a new Client for every payment (what a PHP-FPM request does), the seed sample's approach
// (curl, a new connection per payment) and a reused curl handle (keep-alive).
// Not a test: bindings-php/bench.sh runs it with the release builds.
//   php -d extension=qfpay.so bench.php PATH_TO_QFPAY_CLI [payments per run] [rounds]
declare(strict_types=1);

$cli = $argv[1] ?? 'qfpay';
$n = (int) ($argv[2] ?? 2000);
$rounds = (int) ($argv[3] ?? 5);

$proc = proc_open([$cli, 'sandbox', '--json', '--port', '0', '--rate-limit', 'off'],
    [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
$sb = json_decode((string) fgets($pipes[1]), true);
if (!is_array($sb)) {
    fwrite(STDERR, "the sandbox did not start\n");
    exit(1);
}
$options = ['appCode' => $sb['app_code'], 'clientKey' => $sb['client_key'], 'baseUrl' => $sb['base_url']];
$url = $sb['base_url'] . '/trade/v1/payment';

function seed_request($ch, string $url, string $appCode, string $key): array
{
    $fields = [
        'pay_type' => '800201',
        'out_trade_no' => bin2hex(random_bytes(10)),
        'txcurrcd' => 'HKD',
        'txamt' => '2200',
        'txdtm' => date('Y-m-d H:i:s'),
    ];
    ksort($fields);
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
    $r = json_decode((string) curl_exec($ch), true);
    if (($r['respcd'] ?? '') !== '0000') {
        throw new RuntimeException('seed request failed');
    }
    return $r;
}

$client = new QfPay\Client($options);
$keep = curl_init();
$variants = [
    'qfpay extension, one Client' => function () use ($client) {
        $client->wechatQr(2200, 'HKD');
    },
    'qfpay extension, new Client per payment' => function () use ($options) {
        (new QfPay\Client($options))->wechatQr(2200, 'HKD');
    },
    'seed sample: curl, new connection each time' => function () use ($url, $sb) {
        $ch = curl_init();
        seed_request($ch, $url, $sb['app_code'], $sb['client_key']);
        curl_close($ch);
    },
    'curl handle reused (keep-alive)' => function () use ($keep, $url, $sb) {
        seed_request($keep, $url, $sb['app_code'], $sb['client_key']);
    },
];
$rates = [];
$names = array_keys($variants);
for ($r = 0; $r < $rounds; $r++) {
    // Rotate the order each round, so no variant always runs first.
    $order = array_merge(array_slice($names, $r % count($names)), array_slice($names, 0, $r % count($names)));
    foreach ($order as $name) {
        $one = $variants[$name];
        for ($i = 0; $i < 100; $i++) {
            $one();
        }
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            $one();
        }
        $rates[$name][] = $n / ((hrtime(true) - $t) / 1e9);
    }
}
proc_terminate($proc);

function median(array $xs): float
{
    sort($xs);
    $m = intdiv(count($xs), 2);
    return count($xs) % 2 ? $xs[$m] : ($xs[$m - 1] + $xs[$m]) / 2;
}

$load = trim((string) @file_get_contents('/proc/loadavg'));
printf("PHP %s, %d payments per run, %d interleaved rounds, separate sandbox process; load average %s\n\n",
    PHP_VERSION, $n, $rounds, $load);
printf("| client | payments/s, median (min–max) | µs per payment |\n|---|---:|---:|\n");
foreach ($rates as $name => $xs) {
    printf("| %s | %s (%s–%s) | %.0f |\n", $name, number_format(median($xs)), number_format(min($xs)),
        number_format(max($xs)), 1e6 / median($xs));
}
$ratio = function (string $a, string $b) use ($rates): string {
    $per = array_map(fn ($x, $y) => $x / $y, $rates[$a], $rates[$b]);
    return sprintf('%.2f× (%.2f–%.2f)', median($per), min($per), max($per));
};
printf("\nper-round ratios: one Client ÷ curl keep-alive %s; one Client ÷ seed (new connection) %s; "
    . "new Client per payment ÷ seed (new connection) %s\n",
    $ratio('qfpay extension, one Client', 'curl handle reused (keep-alive)'),
    $ratio('qfpay extension, one Client', 'seed sample: curl, new connection each time'),
    $ratio('qfpay extension, new Client per payment', 'seed sample: curl, new connection each time'));
