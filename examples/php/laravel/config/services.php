<?php

return [
    // Read from the environment (or .env) here only: application code uses config(), which
    // still works once `php artisan config:cache` has stopped .env from being read.
    'qfpay' => [
        'app_code' => env('QFPAY_APP_CODE'),
        'client_key' => env('QFPAY_CLIENT_KEY'),
        'environment' => env('QFPAY_ENV'),          // live_test or production
        'base_url' => env('QFPAY_BASE_URL'),        // instead of an environment: the local sandbox's
        // Where QFPay posts notifications; by default the qfpay.notify route on the request's host.
        'notify_url' => env('QFPAY_NOTIFY_URL'),
    ],
];
