<?php
// GET /order.php?no=...: the order as QFPay reports it (confirmed by a query, never by the
// notification alone), its QR code while unpaid, and the refund / close buttons.
declare(strict_types=1);
require __DIR__ . '/../src/shop.php';

use QfPay\{QfPayException, Qr};

$no = (string) ($_GET['no'] ?? '');
$order = load_order($no);
if ($order === null) {
    http_response_code(404);
    page('Order', '<p>No such order.</p>');
    return;
}
try {
    $t = qfpay()->findPayment($no);          // ?QfPay\Transaction
    $state = $t === null ? 'unknown' : $t->state;
} catch (QfPayException $e) {
    $state = 'unknown (' . $e->errorCode . ')';
}
$amount = (int) $order['amount'];
$body = '<p>Order <code id="out-trade-no">' . h($no) . '</code>, HK$' . number_format($amount / 100, 2) . "</p>\n"
    . '<p>State: <strong id="state">' . h($state) . "</strong></p>\n"
    . '<p>Notifications received: <span id="notifications">' . count($order['notifications']) . "</span></p>\n";
$action = fn (string $path, string $label, string $extra = '') => '<form method="post" action="' . $path . '">'
    . '<input type="hidden" name="no" value="' . h($no) . '">' . $extra . "<button>$label</button></form>\n";
if ($state === 'pending') {
    $body .= '<div id="qr">' . Qr::svg((string) $order['qrcode']) . "</div>\n"
        . '<p>Scan with WeChat to pay. <a href="">Refresh</a></p>' . "\n"
        . $action('/close.php', 'Cancel this order');
} elseif ($state === 'succeeded' || $state === 'partially_refunded') {
    $body .= $action('/refund.php', 'Refund', '<input name="amount" value="' . $amount . '"> ');
}
page('Order', $body);
