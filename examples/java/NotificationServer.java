package com.qfpay.examples;

import com.qfpay.Notification;
import com.qfpay.Notifications;
import com.qfpay.QfPay;
import com.qfpay.QfPayException;
import com.qfpay.SignatureException;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A notification receiver with the JDK's HTTP server: verify the exact raw body with the
 * X-QF-SIGN header, then answer SUCCESS (anything else makes QFPay retry).
 */
public final class NotificationServer {
    private NotificationServer() {}

    /** Starts the receiver on 127.0.0.1:{@code port} (0 = any free port). */
    public static HttpServer start(int port, String clientKey) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/qfpay/notify", exchange -> {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String signature = exchange.getRequestHeaders().getFirst("X-QF-SIGN");   // null when missing
            int status;
            String answer;
            try {
                Notification n = Notifications.verify(raw, signature, clientKey);    // SignatureException when missing
                System.out.println(n.getNotifyType() + " " + n.getOutTradeNo() + " " + n.getTxamt() + " " + n.getTxcurrcd());
                status = 200;
                answer = QfPay.NOTIFICATION_ACK;                                       // "SUCCESS"
            } catch (SignatureException e) {
                status = 401;                                                          // not from QFPay: refuse
                answer = e.getCode();
            } catch (QfPayException e) {
                status = 400;                                                          // not a notification
                answer = e.getCode();
            } catch (RuntimeException e) {
                status = 500;                                                          // your own bug: QFPay retries later
                answer = "error";
            }
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
        return server;
    }

    public static void main(String[] args) throws IOException {
        String key = System.getenv("QFPAY_CLIENT_KEY");
        if (key == null) throw new IllegalStateException("set QFPAY_CLIENT_KEY");
        start(8080, key);
        System.out.println("listening on http://127.0.0.1:8080/qfpay/notify");
    }
}
