<?php
// POST /notify.php, the notify_url: verify X-QF-SIGN over the raw body, record the notification
// once, answer 200 "SUCCESS" (anything else and QFPay sends it again). A bad signature is a 401,
// never a 500.
declare(strict_types=1);
require __DIR__ . '/../src/shop.php';

use QfPay\{Notification, QfPay, QfPayException, SignatureException};

$raw = (string) file_get_contents('php://input');        // the exact bytes QFPay sent
$signature = $_SERVER['HTTP_X_QF_SIGN'] ?? null;          // null when the header is missing
try {
    $n = Notification::verify($raw, $signature, (string) getenv('QFPAY_CLIENT_KEY'));
} catch (SignatureException $e) {
    http_response_code(401);                              // not from QFPay: do not acknowledge
    echo 'bad signature';
    return;
} catch (QfPayException $e) {
    http_response_code(400);
    echo $e->errorCode;
    return;
}

// A refund notification names the refund's own order number; its payment's is origOutTradeNo.
$no = $n->notifyType === 'refund' && $n->origOutTradeNo !== null ? $n->origOutTradeNo : $n->outTradeNo;
if (load_order($no) !== null) {
    // Idempotent: QFPay may deliver the same notification more than once.
    update_order($no, function (array $o) use ($n) {
        $key = "{$n->notifyType}:{$n->syssn}";
        $o['notifications'][$key] = ['type' => $n->notifyType, 'syssn' => $n->syssn, 'txamt' => $n->txamt, 'success' => $n->isSuccess];
        return $o;
    });
    // Fulfil only what a query confirms (order.php queries; a real shop would ship here).
}
echo QfPay::NOTIFICATION_ACK;
