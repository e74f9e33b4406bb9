<?php
// One PHP request = one payment, as a merchant's checkout page runs it under PHP-FPM or `php -S`
// (the router of bench_requests.php; not a test). GET /sdk pays with the extension; GET /curl
// pays the seed's way with curl: a handle cannot outlive the request on PHP 8.2, so each request
// opens a new connection, whereas the extension's shared client keeps its pool in the process.
declare(strict_types=1);

require __DIR__ . '/bench_common.php';   // both variants load it, so neither pays for it alone
$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
if ($path === '/sdk') {
    $p = QfPay\Client::fromEnv()->wechatQr(2200, 'HKD');
    echo $p->respcd;
    return;
}
if ($path === '/curl') {
    $r = seed_request(curl_init(), getenv('QFPAY_BASE_URL') . '/trade/v1/payment',
        (string) getenv('QFPAY_APP_CODE'), (string) getenv('QFPAY_CLIENT_KEY'));
    echo $r['respcd'];
    return;
}
http_response_code(404);
