<?php
// POST /checkout.php: generate and store the order number, create the payment with notify_url,
// then show the order page (its QR code).
declare(strict_types=1);
require __DIR__ . '/../src/shop.php';

use QfPay\{QfPay, QfPayException, StatusUnknownException, ValidationException};

if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    redirect('/');
    return;
}
$amount = filter_var($_POST['amount'] ?? '', FILTER_VALIDATE_INT);
if ($amount === false) {
    http_response_code(422);
    page('Checkout', '<p>The amount must be a whole number of minor units.</p>');
    return;
}
$outTradeNo = QfPay::generateOutTradeNo();   // generate, store with the order, then pay
update_order($outTradeNo, fn () => ['amount' => $amount, 'currency' => 'HKD', 'notifications' => []]);
try {
    $payment = qfpay()->wechatQr($amount, 'HKD', [
        'outTradeNo' => $outTradeNo,
        'goodsName' => 'Coffee',
        'notifyUrl' => notify_url(),
    ]);
    update_order($outTradeNo, fn ($o) => ['syssn' => $payment->syssn, 'qrcode' => $payment->qrcode] + $o);
    redirect('/order.php?no=' . urlencode($outTradeNo));
} catch (ValidationException $e) {
    http_response_code(422);
    page('Checkout', '<p>' . h("{$e->field}: {$e->rule}") . '</p>');
} catch (StatusUnknownException $e) {
    // The order may exist: never pay again under a new number; the order page queries it.
    redirect('/order.php?no=' . urlencode($outTradeNo));
} catch (QfPayException $e) {
    http_response_code(502);
    page('Checkout', '<p>Payment failed: ' . h($e->errorCode) . '</p>');
}
