package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.qfpay.examples.KotlinWechatQr;
import com.qfpay.examples.NotificationServer;
import com.qfpay.examples.WechatQrPayment;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The loose examples (examples/java/*.java, examples/kotlin/*.kt) are compiled with the tests and run here against the sandbox; the framework projects under them are run by bindings-java/example-projects.py. */
class ExamplesTest {
    private static String run(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void javaExampleRunsAgainstTheSandbox() {
        String out = run(() -> WechatQrPayment.main(new String[] {"--sandbox"}));
        assertTrue(out.contains("is succeeded"), out);
    }

    @Test
    void kotlinExampleRunsAgainstTheSandbox() {
        String out = run(() -> KotlinWechatQr.main(new String[] {"--sandbox"}));
        assertTrue(out.contains("refunded 500 of 2500"), out);
        assertTrue(out.contains("notification payment for qf1: 2500"), out);
    }

    @Test
    void notificationServerExampleVerifies() throws Exception {
        HttpServer server = NotificationServer.start(0, "K1");
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/qfpay/notify";
            byte[] body = "{\"notify_type\":\"payment\",\"out_trade_no\":\"qf9\",\"txamt\":\"1\",\"txcurrcd\":\"HKD\"}"
                    .getBytes(StandardCharsets.UTF_8);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> good = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("X-QF-SIGN", Notifications.signature(body, "K1"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(good.statusCode() == 200 && good.body().equals("SUCCESS"), good.body());
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("X-QF-SIGN", Notifications.signature(body, "K2"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(bad.statusCode() == 401 && bad.body().equals("signature"), bad.body());
        } finally {
            server.stop(0);
        }
    }
}
