<?php

use App\Http\Controllers\CheckoutController;
use App\Http\Controllers\QfPayNotificationController;
use Illuminate\Support\Facades\Route;

Route::get('/', [CheckoutController::class, 'index'])->name('checkout');
Route::post('/checkout', [CheckoutController::class, 'store'])->name('checkout.store');
Route::post('/checkout/hosted', [CheckoutController::class, 'hosted'])->name('checkout.hosted');
Route::get('/orders/{no}', [CheckoutController::class, 'show'])->name('orders.show');
Route::get('/orders/{no}/result', [CheckoutController::class, 'result'])->name('orders.result');
Route::post('/orders/{no}/refund', [CheckoutController::class, 'refund'])->name('orders.refund');
Route::post('/orders/{no}/close', [CheckoutController::class, 'close'])->name('orders.close');

// QFPay's notifications: the notify_url of every payment (CSRF-exempt, see VerifyCsrfToken).
Route::post('/qfpay/notify', QfPayNotificationController::class)->name('qfpay.notify');
