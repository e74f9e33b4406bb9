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

require __DIR__ . '/bench_common.php';
[$proc, $sb] = bench_sandbox($cli);
$options = ['appCode' => $sb['app_code'], 'clientKey' => $sb['client_key'], 'baseUrl' => $sb['base_url']];
$url = $sb['base_url'] . '/trade/v1/payment';

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
$rates = bench_rounds($variants, $n, $rounds);
proc_terminate($proc);

$load = trim((string) @file_get_contents('/proc/loadavg'));
printf("PHP %s, %d payments per run, %d interleaved rounds, separate sandbox process; load average %s\n\n",
    PHP_VERSION, $n, $rounds, $load);
bench_table($rates, 'client', 'payment');
printf("\nper-round ratios: one Client ÷ curl keep-alive %s; one Client ÷ seed (new connection) %s; "
    . "new Client per payment ÷ seed (new connection) %s\n",
    bench_ratio($rates, 'qfpay extension, one Client', 'curl handle reused (keep-alive)'),
    bench_ratio($rates, 'qfpay extension, one Client', 'seed sample: curl, new connection each time'),
    bench_ratio($rates, 'qfpay extension, new Client per payment', 'seed sample: curl, new connection each time'));
