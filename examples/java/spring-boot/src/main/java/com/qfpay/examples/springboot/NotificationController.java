package com.qfpay.examples.springboot;

import com.qfpay.Notification;
import com.qfpay.Notifications;
import com.qfpay.QfPay;
import com.qfpay.QfPayException;
import com.qfpay.SignatureException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * QFPay's notifications. {@code @RequestBody byte[]} is the exact raw body, which is what the
 * signature covers (never bind it to an object and re-serialise it). Answers 200 {@code SUCCESS}
 * once the notification is stored, 401 for a missing or wrong signature, 400 for a body that is
 * not a notification; anything else is a 500 and QFPay sends it again later.
 */
@RestController
public class NotificationController {
    private final Orders orders;
    private final String clientKey = System.getenv("QFPAY_CLIENT_KEY");

    public NotificationController(Orders orders) {
        this.orders = orders;
    }

    @PostMapping(value = "/qfpay/notify", produces = MediaType.TEXT_PLAIN_VALUE)
    public ResponseEntity<String> notify(@RequestBody byte[] raw,
                                         @RequestHeader(value = "X-QF-SIGN", required = false) String signature) {
        Notification n;
        try {
            n = Notifications.verify(raw, signature, clientKey);   // a missing header is a SignatureException too
        } catch (SignatureException e) {
            return ResponseEntity.status(401).body("bad signature");
        } catch (QfPayException e) {
            return ResponseEntity.badRequest().body("not a notification");
        }
        if ("payment".equals(n.getNotifyType()) && n.isSuccess()) {
            orders.markNotified(n.getOutTradeNo());   // idempotent: QFPay may send the same notification again
        }
        return ResponseEntity.ok(QfPay.NOTIFICATION_ACK);   // "SUCCESS"
    }
}
