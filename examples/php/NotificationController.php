<?php
// A Laravel-style controller for QFPay notifications, without a framework dependency: in
// Laravel, route it with Route::post('/qfpay/notify', NotificationController::class) and pass
// $request->getContent() and $request->header('X-QF-SIGN'); return response($body, $status).
declare(strict_types=1);

namespace App\Http\Controllers;

use QfPay\{Notification, QfPay, QfPayException, SignatureException};

final class NotificationController
{
    /** @var callable(Notification): void */
    private $onPaid;

    /** @param callable(Notification): void $onPaid records the outcome (idempotently) */
    public function __construct(private string $clientKey, callable $onPaid)
    {
        $this->onPaid = $onPaid;
    }

    /** @return array{0: int, 1: string} HTTP status and body */
    public function __invoke(string $rawBody, ?string $signature): array
    {
        try {
            $n = Notification::verify($rawBody, $signature, $this->clientKey);
        } catch (SignatureException $e) {
            return [401, 'bad signature'];   // not from QFPay: do not acknowledge
        } catch (QfPayException $e) {
            return [400, $e->errorCode];
        }
        ($this->onPaid)($n);
        return [200, QfPay::NOTIFICATION_ACK];
    }
}
