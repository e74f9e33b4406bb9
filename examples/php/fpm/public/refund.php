<?php
// POST /refund.php: refund all or part of a paid order (by its syssn, under a new order number).
declare(strict_types=1);
require __DIR__ . '/../src/shop.php';

use QfPay\{QfPay, QfPayException, RefundRejectedException, StatusUnknownException};

$no = (string) ($_POST['no'] ?? '');
$order = load_order($no);
$amount = filter_var($_POST['amount'] ?? '', FILTER_VALIDATE_INT);
if ($_SERVER['REQUEST_METHOD'] !== 'POST' || $order === null || !isset($order['syssn']) || $amount === false) {
    http_response_code(400);
    page('Refund', '<p>Nothing to refund.</p>');
    return;
}
$refundNo = QfPay::generateOutTradeNo();   // stored before the call, like a payment's
update_order($no, fn ($o) => ['refunds' => [...($o['refunds'] ?? []), $refundNo]] + $o);
try {
    qfpay()->refund($order['syssn'], $amount, $order['currency'], ['outTradeNo' => $refundNo]);
    redirect('/order.php?no=' . urlencode($no));
} catch (RefundRejectedException $e) {
    http_response_code(409);
    page('Refund', '<p>Refund refused: ' . h($e->resperr) . '</p>');
} catch (StatusUnknownException $e) {
    redirect('/order.php?no=' . urlencode($no));   // query $refundNo later; never refund twice
} catch (QfPayException $e) {
    http_response_code(502);
    page('Refund', '<p>Refund failed: ' . h($e->errorCode) . '</p>');
}
