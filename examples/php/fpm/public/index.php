<?php
// The checkout page: pick an amount, pay with WeChat Pay (a QR code on the order page) or on
// QFPay's hosted checkout page.
declare(strict_types=1);
require __DIR__ . '/../src/shop.php';

page('Coffee shop', <<<HTML
<form method="post" action="/checkout.php">
  <label>Amount (minor units, 300 is HK$3.00) <input name="amount" value="300"></label>
  <button>Pay with WeChat Pay</button>
</form>
<form method="post" action="/hosted.php">
  <input type="hidden" name="amount" value="300">
  <button>Pay on QFPay's checkout page (HK$3.00)</button>
</form>
HTML);
