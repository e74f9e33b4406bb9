<?php
// A QFPay notification receiver: verify X-QF-SIGN over the raw body, record the outcome,
// answer 200 "SUCCESS" (anything else and QFPay sends it again). Works under `php -S`, PHP-FPM
// and mod_php (the extension loaded with extension=qfpay.so in php.ini).
//   QFPAY_CLIENT_KEY=... php -d extension=qfpay.so -S 127.0.0.1:8000 examples/php/notify.php
declare(strict_types=1);

use QfPay\{Notification, QfPay, SignatureException, QfPayException};

$key = (string) getenv('QFPAY_CLIENT_KEY');
$raw = (string) file_get_contents('php://input');        // the exact bytes QFPay sent
$signature = $_SERVER['HTTP_X_QF_SIGN'] ?? null;          // null when the header is missing

try {
    $n = Notification::verify($raw, $signature, $key);
} catch (SignatureException $e) {
    http_response_code(401);                              // not from QFPay: do not acknowledge
    echo 'bad signature';
    return;
} catch (QfPayException $e) {
    http_response_code(400);
    echo $e->errorCode;
    return;
}

// Idempotent: QFPay may deliver the same notification more than once.
$log = getenv('QFPAY_NOTIFY_LOG');
if ($log !== false && $log !== '') {
    file_put_contents($log, json_encode([
        'notify_type' => $n->notifyType, 'out_trade_no' => $n->outTradeNo, 'syssn' => $n->syssn,
        'txamt' => $n->txamt, 'success' => $n->isSuccess,
    ]) . "\n", FILE_APPEND | LOCK_EX);
}
echo QfPay::NOTIFICATION_ACK;
