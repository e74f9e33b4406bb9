package com.qfpay.examples.springboot;

import com.qfpay.CancelRequest;
import com.qfpay.Payment;
import com.qfpay.PaymentRequest;
import com.qfpay.QfPay;
import com.qfpay.QfPayClient;
import com.qfpay.QfPayException;
import com.qfpay.Qr;
import com.qfpay.Refund;
import com.qfpay.RefundRequest;
import com.qfpay.Transaction;
import com.qfpay.ValidationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Create the payment, show its QR code, confirm by query, refund, close. */
@RestController
public class CheckoutController {
    private final QfPayClient client;
    private final Orders orders;
    private final String notifyUrl;

    public CheckoutController(QfPayClient client, Orders orders) {
        this.client = client;
        this.orders = orders;
        String publicUrl = System.getenv().getOrDefault("PUBLIC_URL", "http://127.0.0.1:8080");
        this.notifyUrl = publicUrl + "/qfpay/notify";   // QFPay POSTs the signed notification here
    }

    /**
     * Creates the payment: generate the number, store it, then call. Spring MVC serves a
     * CompletableFuture without holding a request thread while QFPay answers.
     */
    @PostMapping("/checkout")
    public CompletableFuture<Map<String, Object>> checkout(@RequestParam long amount) {
        String number = QfPay.generateOutTradeNo();
        orders.store(number, amount, "HKD");
        PaymentRequest request = PaymentRequest.wechatQr(amount, "HKD")
                .outTradeNo(number).goodsName("Coffee").notifyUrl(notifyUrl).build();
        return client.createPaymentAsync(request).thenApply((Payment p) -> {
            orders.get(number).qrcode = p.getQrcode();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("out_trade_no", p.getOutTradeNo());
            body.put("qrcode", p.getQrcode());
            body.put("qr", "/orders/" + p.getOutTradeNo() + "/qr.svg");   // show this to the customer
            return body;
        });
    }

    /** The QR code the customer scans, as SVG. */
    @GetMapping(value = "/orders/{number}/qr.svg", produces = "image/svg+xml")
    public ResponseEntity<String> qr(@PathVariable String number) {
        Orders.Order order = orders.get(number);
        if (order == null || order.qrcode == null) return ResponseEntity.notFound().build();
        return ResponseEntity.ok().contentType(MediaType.valueOf("image/svg+xml")).body(Qr.svg(order.qrcode));
    }

    /** The order's state, confirmed by query (never by the notification alone). */
    @GetMapping("/orders/{number}")
    public ResponseEntity<Map<String, Object>> order(@PathVariable String number) {
        Orders.Order order = orders.get(number);
        Transaction t = client.findPayment(number);
        if (order == null || t == null) return ResponseEntity.notFound().build();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("out_trade_no", number);
        body.put("state", t.getState().toString().toLowerCase());
        body.put("paid", t.isPaid());
        body.put("notified", order.notified);
        return ResponseEntity.ok(body);
    }

    /** Refunds part or all of a paid order. */
    @PostMapping("/orders/{number}/refund")
    public Map<String, Object> refund(@PathVariable String number, @RequestParam long amount) {
        Transaction t = client.findPayment(number);
        if (t == null || !t.isPaid()) throw new IllegalStateException("order " + number + " is not paid");
        Refund refund = client.refund(RefundRequest.of(t.getSyssn(), amount, t.getTxcurrcd()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("refund_syssn", refund.getSyssn());
        body.put("txamt", refund.getTxamt());
        return body;
    }

    /** Closes an unpaid order (the customer gave up). */
    @PostMapping("/orders/{number}/close")
    public Map<String, Object> close(@PathVariable String number) {
        Orders.Order order = orders.get(number);
        if (order == null) throw new IllegalStateException("no order " + number);
        client.closeOrder(CancelRequest.byOutTradeNo(number, order.amount, order.currency));
        return Map.of("out_trade_no", number, "state", client.findPayment(number).getState().toString().toLowerCase());
    }

    /** Input the SDK refused: the caller's mistake, named by its field. */
    @ExceptionHandler(ValidationException.class)
    public ResponseEntity<Map<String, String>> invalid(ValidationException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getCode(), "field", e.getField()));
    }

    /** QFPay refused or could not be reached: see the code (docs/errors.md). */
    @ExceptionHandler(QfPayException.class)
    public ResponseEntity<Map<String, String>> failed(QfPayException e) {
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(Map.of("error", e.getCode()));
    }

    /** A refund of an unpaid order, a close of an unknown one. */
    @ExceptionHandler(IllegalStateException.class)
    public ResponseEntity<Map<String, String>> conflict(IllegalStateException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
    }
}
