<?php
// One PHP request = one payment, as a merchant's checkout page runs it under PHP-FPM or `php -S`
// (the router of bench_requests.php; not a test). GET /sdk pays with the extension; GET /curl
// pays the seed's way with curl: a handle cannot outlive the request on PHP 8.2, so each request
// opens a new connection, whereas the extension's shared client keeps its pool in the process.
declare(strict_types=1);

$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
if ($path === '/sdk') {
    $p = QfPay\Client::fromEnv()->wechatQr(2200, 'HKD');
    echo $p->respcd;
    return;
}
if ($path === '/curl') {
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
    $sign = strtoupper(md5($s . getenv('QFPAY_CLIENT_KEY')));
    $ch = curl_init(getenv('QFPAY_BASE_URL') . '/trade/v1/payment');
    curl_setopt($ch, CURLOPT_RETURNTRANSFER, 1);
    curl_setopt($ch, CURLOPT_HTTPHEADER, ['X-QF-APPCODE: ' . getenv('QFPAY_APP_CODE'), "X-QF-SIGN: $sign"]);
    curl_setopt($ch, CURLOPT_POST, 1);
    curl_setopt($ch, CURLOPT_POSTFIELDS, $s);
    $r = json_decode((string) curl_exec($ch), true);
    echo is_array($r) ? ($r['respcd'] ?? '') : '';
    return;
}
http_response_code(404);
