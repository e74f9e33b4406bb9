<?php
// GET /result.php?no=...: where the checkout page sends the customer back (return_url and
// failed_url). The redirect says nothing about the outcome: the state comes from a query.
declare(strict_types=1);
require __DIR__ . '/../src/shop.php';

use QfPay\QfPayException;

$no = (string) ($_GET['no'] ?? '');
$order = load_order($no);
if ($order === null) {
    http_response_code(404);
    page('Your order', '<p>No such order.</p>');
    return;
}
try {
    $t = qfpay()->findPayment($no);          // null until the customer opened the checkout page
    $state = $t === null ? 'pending' : $t->state;
} catch (QfPayException $e) {
    $state = 'unknown (' . $e->errorCode . ')';
}
$said = match ($state) {
    'succeeded' => 'Paid, thank you.',
    'pending' => 'Waiting for the payment: refresh in a moment.',
    'failed', 'cancelled' => 'Not paid.',
    default => 'We are checking your payment.',
};
page('Your order', '<p>Order <code id="out-trade-no">' . h($no) . '</code>, HK$' . number_format((int) $order['amount'] / 100, 2) . "</p>\n"
    . '<p>State: <strong id="state">' . h($state) . '</strong> ' . h($said) . "</p>\n"
    . '<p>Notifications received: <span id="notifications">' . count($order['notifications']) . "</span></p>\n"
    . ($state === 'pending' ? '<p><a href="">Refresh</a></p>' : ''));
