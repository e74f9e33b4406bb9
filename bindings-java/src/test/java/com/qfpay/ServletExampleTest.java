package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.qfpay.examples.NotificationServlet;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** examples/java/NotificationServlet.java driven through the Servlet API (requests as dynamic proxies). */
class ServletExampleTest {
    static final class Answer {
        int status;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
    }

    static Answer post(NotificationServlet servlet, byte[] raw, String sign) throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(raw);
        ServletInputStream sin = new ServletInputStream() {
            @Override public int read() { return in.read(); }
            @Override public boolean isFinished() { return in.available() == 0; }
            @Override public boolean isReady() { return true; }
            @Override public void setReadListener(ReadListener l) {}
        };
        Answer a = new Answer();
        ServletOutputStream sout = new ServletOutputStream() {
            @Override public void write(int b) { a.body.write(b); }
            @Override public boolean isReady() { return true; }
            @Override public void setWriteListener(WriteListener l) {}
        };
        HttpServletRequest req = (HttpServletRequest) Proxy.newProxyInstance(HttpServletRequest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, args) -> switch (m.getName()) {
                    case "getInputStream" -> sin;
                    case "getHeader" -> "X-QF-SIGN".equalsIgnoreCase((String) args[0]) ? sign : null;
                    case "getMethod" -> "POST";
                    default -> null;
                });
        HttpServletResponse resp = (HttpServletResponse) Proxy.newProxyInstance(HttpServletResponse.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> {
                    if (m.getName().equals("setStatus")) a.status = (Integer) args[0];
                    if (m.getName().equals("getOutputStream")) return sout;
                    return null;
                });
        servlet.service(req, resp);
        return a;
    }

    @Test
    void theServletVerifiesAndAnswers() throws Exception {
        byte[] raw = "{\"notify_type\":\"payment\",\"out_trade_no\":\"qfS1\",\"txamt\":\"100\",\"txcurrcd\":\"HKD\"}"
                .getBytes(StandardCharsets.UTF_8);
        List<String> stored = new ArrayList<>();
        NotificationServlet servlet = new NotificationServlet("K1", n -> stored.add(n.getOutTradeNo()));
        Answer ok = post(servlet, raw, Notifications.signature(raw, "K1"));
        assertEquals(200, ok.status);
        assertEquals("SUCCESS", ok.body.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("qfS1"), stored);
        Answer missing = post(servlet, raw, null);
        assertEquals(401, missing.status);
        assertEquals("signature", missing.body.toString(StandardCharsets.UTF_8));
        Answer wrong = post(servlet, raw, Notifications.signature(raw, "K2"));
        assertEquals(401, wrong.status);
        NotificationServlet failing = new NotificationServlet("K1", n -> { throw new IllegalStateException("db down"); });
        assertEquals(500, post(failing, raw, Notifications.signature(raw, "K1")).status);
    }
}
