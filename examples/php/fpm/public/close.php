<?php
// POST /close.php: close an unpaid order (the customer gave up); its QR code stops working.
declare(strict_types=1);
require __DIR__ . '/../src/shop.php';

use QfPay\{OrderStateException, QfPayException};

$no = (string) ($_POST['no'] ?? '');
$order = load_order($no);
if ($_SERVER['REQUEST_METHOD'] !== 'POST' || $order === null) {
    http_response_code(400);
    page('Close', '<p>No such order.</p>');
    return;
}
try {
    qfpay()->close((int) $order['amount'], $order['currency'], ['outTradeNo' => $no]);
    redirect('/order.php?no=' . urlencode($no));
} catch (OrderStateException $e) {
    http_response_code(409);                       // paid meanwhile, or already closed
    page('Close', '<p>Cannot close: ' . h($e->resperr) . '</p>');
} catch (QfPayException $e) {
    http_response_code(502);
    page('Close', '<p>Close failed: ' . h($e->errorCode) . '</p>');
}
