<?php
// POST /hosted.php: QFPay's hosted checkout. Store the order, build the signed checkout link
// (nothing is sent to QFPay) and send the customer to it; QFPay's page takes the payment, posts
// the notification to notify.php and sends the customer back to result.php.
declare(strict_types=1);
require __DIR__ . '/../src/shop.php';

use QfPay\{QfPay, ValidationException};

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
$outTradeNo = QfPay::generateOutTradeNo();
update_order($outTradeNo, fn () => ['amount' => $amount, 'currency' => 'HKD', 'notifications' => []]);
$result = shop_url('/result.php?no=' . urlencode($outTradeNo));
try {
    $link = qfpay()->checkoutUrl($amount, 'HKD', $result, $result, notify_url(), [
        'outTradeNo' => $outTradeNo,
        'goodsName' => 'Coffee',
    ]);
    redirect($link->url);
} catch (ValidationException $e) {
    http_response_code(422);
    page('Checkout', '<p>' . h("{$e->field}: {$e->rule}") . '</p>');
}
