<?php

namespace App\Http\Controllers;

use App\Payments\OrderStore;
use Illuminate\Http\Request;
use QfPay\{Notification, QfPay, QfPayException, SignatureException};

/**
 * POST /qfpay/notify, the notify_url (exempt from CSRF in App\Http\Middleware\VerifyCsrfToken):
 * verify X-QF-SIGN over the raw body, record the notification once, answer 200 "SUCCESS"
 * (anything else and QFPay sends it again). A bad signature is a 401, never a 500.
 */
class QfPayNotificationController extends Controller
{
    public function __invoke(Request $request, OrderStore $orders)
    {
        try {
            $n = Notification::verify(
                $request->getContent(),               // the exact bytes QFPay sent, not $request->all()
                $request->header('X-QF-SIGN'),        // null when missing: a SignatureException
                (string) config('services.qfpay.client_key'),
            );
        } catch (SignatureException $e) {
            return response('bad signature', 401);   // not from QFPay: do not acknowledge
        } catch (QfPayException $e) {
            return response($e->errorCode, 400);
        }

        // A refund notification names the refund's own order number; its payment's is origOutTradeNo.
        $no = $n->notifyType === 'refund' && $n->origOutTradeNo !== null ? $n->origOutTradeNo : $n->outTradeNo;
        if ($orders->find($no) !== null) {
            // Idempotent: QFPay may deliver the same notification more than once.
            $orders->update($no, function (array $o) use ($n) {
                $o['notifications']["{$n->notifyType}:{$n->syssn}"] = [
                    'type' => $n->notifyType, 'syssn' => $n->syssn, 'txamt' => $n->txamt, 'success' => $n->isSuccess,
                ];
                return $o;
            });
            // Fulfil only what a query confirms (the order page queries; a real shop would ship here).
        }
        return response(QfPay::NOTIFICATION_ACK, 200)->header('Content-Type', 'text/plain');
    }
}
