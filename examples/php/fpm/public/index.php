<?php
// The checkout page: pick an amount, pay with WeChat Pay.
declare(strict_types=1);
require __DIR__ . '/../src/shop.php';

page('Coffee shop', <<<HTML
<form method="post" action="/checkout.php">
  <label>Amount (minor units, 300 is HK$3.00) <input name="amount" value="300"></label>
  <button>Pay with WeChat Pay</button>
</form>
HTML);
