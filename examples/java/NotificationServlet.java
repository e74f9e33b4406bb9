package com.qfpay.examples;

import com.qfpay.Notification;
import com.qfpay.Notifications;
import com.qfpay.QfPay;
import com.qfpay.QfPayException;
import com.qfpay.SignatureException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A notification receiver as a Servlet (Tomcat, Jetty, or Spring Boot via a
 * {@code ServletRegistrationBean}); a Spring {@code @PostMapping} handler is the same three
 * steps: read the raw body bytes (never a parsed and re-serialised object), verify them with
 * the {@code X-QF-SIGN} header, answer 200 {@code SUCCESS} once the notification is stored.
 *
 * <pre>{@code
 * @PostMapping("/qfpay/notify")
 * ResponseEntity<String> notify(@RequestBody byte[] raw, @RequestHeader(value = "X-QF-SIGN", required = false) String sign) {
 *     try {
 *         Notification n = Notifications.verify(raw, sign, clientKey);
 *         orders.markPaid(n.getOutTradeNo(), n.getTxamt());          // idempotent: QFPay may resend
 *         return ResponseEntity.ok(QfPay.NOTIFICATION_ACK);
 *     } catch (QfPayException e) {
 *         return ResponseEntity.status(e instanceof SignatureException ? 401 : 400).body(e.getCode());
 *     }
 * }
 * }</pre>
 */
public class NotificationServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** Receives each verified notification (store it idempotently: QFPay resends until it gets SUCCESS). */
    public interface Handler {
        /** Handles one verified notification. */
        void handle(Notification n) throws Exception;
    }

    private final String clientKey;
    private final transient Handler handler;

    /** A servlet verifying with {@code clientKey} and passing each notification to {@code handler}. */
    public NotificationServlet(String clientKey, Handler handler) {
        this.clientKey = clientKey;
        this.handler = handler;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] raw = req.getInputStream().readAllBytes();
        int status;
        String answer;
        try {
            Notification n = Notifications.verify(raw, req.getHeader("X-QF-SIGN"), clientKey);   // null header: SignatureException
            handler.handle(n);
            status = HttpServletResponse.SC_OK;
            answer = QfPay.NOTIFICATION_ACK;
        } catch (SignatureException e) {
            status = HttpServletResponse.SC_UNAUTHORIZED;      // missing or wrong signature: not from QFPay
            answer = e.getCode();
        } catch (QfPayException e) {
            status = HttpServletResponse.SC_BAD_REQUEST;       // not a valid QFPay notification
            answer = e.getCode();
        } catch (Exception e) {
            status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;   // our failure: QFPay will resend
            answer = "error";
        }
        resp.setStatus(status);
        resp.setContentType("text/plain; charset=utf-8");
        resp.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
    }
}
