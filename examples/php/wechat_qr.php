<?php
// The seed document's PHP sample (WeChat QR payment, pay_type 800201) on the SDK: no signing,
// no curl, no hand-made order numbers. Credentials from QFPAY_APP_CODE / QFPAY_CLIENT_KEY and
// QFPAY_ENV or QFPAY_BASE_URL (e.g. a local `qfpay sandbox`).
//   php -d extension=qfpay.so examples/php/wechat_qr.php
declare(strict_types=1);

use QfPay\{Client, Qr, QfPay, QfPayException, StatusUnknownException};

$client = Client::fromEnv();
$outTradeNo = QfPay::generateOutTradeNo();   // generate, store with the order, then pay
try {
    $payment = $client->wechatQr(2200, 'HKD', ['outTradeNo' => $outTradeNo, 'goodsName' => 'test1']);
    echo "respcd: {$payment->respcd}\n";
    echo "syssn: {$payment->syssn}\n";
    echo "out_trade_no: {$payment->outTradeNo}\n";
    echo "qrcode: {$payment->qrcode}\n";
    echo Qr::terminal((string) $payment->qrcode);
} catch (StatusUnknownException $e) {
    // Never pay again under a new number: query this one (or wait for the notification).
    fwrite(STDERR, "status unknown for {$e->outTradeNo}: {$e->getMessage()}\n");
    exit(2);
} catch (QfPayException $e) {
    fwrite(STDERR, "{$e->errorCode}: {$e->getMessage()}\n");
    exit(1);
}
