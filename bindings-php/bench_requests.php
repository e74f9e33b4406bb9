<?php
// Payments per second when every payment is its own PHP request, as merchants deploy PHP: a
// checkout page under PHP-FPM or `php -S` (here `php -S`, one worker, the extension loaded).
// Each request pays once (bench_router.php): with the extension (`Client::fromEnv()` per request;
// the process's shared client keeps its connections to QFPay from one request to the next), or
// with the seed's curl code (a curl handle ends with its request on PHP 8.2, so every request
// opens a new connection to QFPay). The driver sends the requests one after another over one
// keep-alive curl handle, the two variants in interleaved rounds (bench_rounds).
// Not a test: bindings-php/bench.sh runs it after bench.php.
//   php bench_requests.php PATH_TO_QFPAY_CLI PATH_TO_QFPAY_SO [requests per run] [rounds]
declare(strict_types=1);

[$cli, $so] = [$argv[1] ?? 'qfpay', $argv[2] ?? 'qfpay.so'];
$n = (int) ($argv[3] ?? 2000);
$rounds = (int) ($argv[4] ?? 5);

require __DIR__ . '/bench_common.php';
[$sandbox, $sb] = bench_sandbox($cli);

// A free port for `php -S`.
$probe = stream_socket_server('tcp://127.0.0.1:0');
$port = (int) substr(strrchr((string) stream_socket_get_name($probe, false), ':'), 1);
fclose($probe);
$env = ['QFPAY_BASE_URL' => $sb['base_url'], 'QFPAY_APP_CODE' => $sb['app_code'],
    'QFPAY_CLIENT_KEY' => $sb['client_key'], 'PATH' => getenv('PATH')];
$server = proc_open([PHP_BINARY, '-d', "extension=$so", '-S', "127.0.0.1:$port",
    __DIR__ . '/bench_router.php'], [1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $p2, null, $env);

$ch = curl_init();
curl_setopt($ch, CURLOPT_RETURNTRANSFER, 1);
$get = function (string $path) use ($ch, $port): string {
    curl_setopt($ch, CURLOPT_URL, "http://127.0.0.1:$port$path");
    return (string) curl_exec($ch);
};
for ($i = 0; $i < 100 && $get('/sdk') !== '0000'; $i++) {
    usleep(50_000);   // until `php -S` listens
}

$pay = fn (string $path): Closure => function () use ($get, $path): void {
    if ($get($path) !== '0000') {
        fwrite(STDERR, "$path: a payment failed\n");
        exit(1);
    }
};
$rates = bench_rounds(['extension, a Client per request' => $pay('/sdk'),
    'seed curl code, per request' => $pay('/curl')], $n, $rounds);
proc_terminate($server);
proc_terminate($sandbox);

printf("\nOne payment per PHP request (`php -S`, one worker), PHP %s, %d requests per run, %d interleaved rounds; load average %s\n\n",
    PHP_VERSION, $n, $rounds, trim((string) @file_get_contents('/proc/loadavg')));
bench_table($rates, 'each request pays with', 'request');
printf("\nper-round ratio: extension ÷ seed curl code %s\n",
    bench_ratio($rates, 'extension, a Client per request', 'seed curl code, per request'));
