<?php

namespace App\Http\Controllers;

use App\Payments\OrderStore;
use Illuminate\Http\Request;
use QfPay\{Client, OrderStateException, QfPay, QfPayException, RefundRejectedException, StatusUnknownException, ValidationException};

class CheckoutController extends Controller
{
    public function __construct(private Client $qfpay, private OrderStore $orders)
    {
    }

    /** GET /: the checkout page. */
    public function index()
    {
        return view('checkout');
    }

    /** POST /checkout: generate and store the order number, create the payment with notify_url. */
    public function store(Request $request)
    {
        $amount = (int) $request->validate(['amount' => 'required|integer|min:1'])['amount'];
        $no = QfPay::generateOutTradeNo();   // generate, store with the order, then pay
        $this->orders->update($no, fn () => ['amount' => $amount, 'currency' => 'HKD', 'notifications' => []]);
        try {
            $payment = $this->qfpay->wechatQr($amount, 'HKD', [
                'outTradeNo' => $no,
                'goodsName' => 'Coffee',
                'notifyUrl' => config('services.qfpay.notify_url') ?: route('qfpay.notify'),
            ]);
        } catch (StatusUnknownException $e) {
            // The order may exist: never pay again under a new number; the order page queries it.
            return redirect()->route('orders.show', $no);
        } catch (QfPayException $e) {
            return response()->view('error', ['message' => "Payment failed: {$e->errorCode}"], 502);
        }
        $this->orders->update($no, fn ($o) => ['syssn' => $payment->syssn, 'qrcode' => $payment->qrcode] + $o);
        return redirect()->route('orders.show', $no);
    }

    /**
     * POST /checkout/hosted: QFPay's hosted checkout. Store the order, build the signed link
     * (nothing is sent to QFPay) and send the customer there; QFPay's page takes the payment,
     * notifies qfpay.notify and sends the customer back to orders.result.
     */
    public function hosted(Request $request)
    {
        $amount = (int) $request->validate(['amount' => 'required|integer|min:1'])['amount'];
        $no = QfPay::generateOutTradeNo();
        $this->orders->update($no, fn () => ['amount' => $amount, 'currency' => 'HKD', 'notifications' => []]);
        $back = route('orders.result', $no);   // paid or not: the page reads the state by a query
        try {
            $link = $this->qfpay->checkoutUrl($amount, 'HKD', $back, $back, config('services.qfpay.notify_url') ?: route('qfpay.notify'), [
                'outTradeNo' => $no,
                'goodsName' => 'Coffee',
            ]);
        } catch (ValidationException $e) {
            return response()->view('error', ['message' => "{$e->field}: {$e->rule}"], 422);
        }
        return redirect()->away($link->url, 303);
    }

    /** GET /orders/{no}/result: where the checkout page sends the customer back. */
    public function result(string $no)
    {
        $order = $this->orders->find($no) ?? abort(404);
        try {
            // null until the customer opened the checkout page
            $state = $this->qfpay->findPayment($no)?->state ?? 'pending';
        } catch (QfPayException $e) {
            $state = "unknown ({$e->errorCode})";
        }
        return view('result', ['no' => $no, 'order' => $order, 'state' => $state]);
    }

    /** GET /orders/{no}: where the order stands, confirmed by a query (never by a notification alone). */
    public function show(string $no)
    {
        $order = $this->orders->find($no) ?? abort(404);
        try {
            $state = $this->qfpay->findPayment($no)?->state ?? 'unknown';
        } catch (QfPayException $e) {
            $state = "unknown ({$e->errorCode})";
        }
        return view('order', ['no' => $no, 'order' => $order, 'state' => $state]);
    }

    /** POST /orders/{no}/refund: refund all or part of the payment, under a new order number. */
    public function refund(Request $request, string $no)
    {
        $order = $this->orders->find($no) ?? abort(404);
        $amount = (int) $request->validate(['amount' => 'required|integer|min:1'])['amount'];
        $refundNo = QfPay::generateOutTradeNo();   // stored before the call, like a payment's
        $this->orders->update($no, fn ($o) => ['refunds' => [...($o['refunds'] ?? []), $refundNo]] + $o);
        try {
            $this->qfpay->refund($order['syssn'], $amount, $order['currency'], ['outTradeNo' => $refundNo]);
        } catch (RefundRejectedException $e) {
            return response()->view('error', ['message' => "Refund refused: {$e->resperr}"], 409);
        } catch (StatusUnknownException $e) {
            // Query $refundNo later; never refund again under a new number.
        } catch (QfPayException $e) {
            return response()->view('error', ['message' => "Refund failed: {$e->errorCode}"], 502);
        }
        return redirect()->route('orders.show', $no);
    }

    /** POST /orders/{no}/close: close the unpaid order; its QR code stops working. */
    public function close(string $no)
    {
        $order = $this->orders->find($no) ?? abort(404);
        try {
            $this->qfpay->close($order['amount'], $order['currency'], ['outTradeNo' => $no]);
        } catch (OrderStateException $e) {
            return response()->view('error', ['message' => "Cannot close: {$e->resperr}"], 409);
        } catch (QfPayException $e) {
            return response()->view('error', ['message' => "Close failed: {$e->errorCode}"], 502);
        }
        return redirect()->route('orders.show', $no);
    }
}
