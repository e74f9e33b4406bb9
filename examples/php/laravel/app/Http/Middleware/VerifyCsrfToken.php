<?php

namespace App\Http\Middleware;

use Illuminate\Foundation\Http\Middleware\VerifyCsrfToken as Middleware;

class VerifyCsrfToken extends Middleware
{
    /**
     * QFPay posts notifications without a CSRF token: its route is exempt. The notification's
     * X-QF-SIGN, checked by QfPayNotificationController, is what proves it comes from QFPay.
     *
     * @var array<int, string>
     */
    protected $except = [
        'qfpay/notify',
    ];
}
