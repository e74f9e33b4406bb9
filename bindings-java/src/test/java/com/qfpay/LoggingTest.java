package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** Issue 12 on the JVM: the core's events reach SLF4J (com.qfpay.*) and the builder's listener. */
class LoggingTest {
    private final ListAppender<ILoggingEvent> records = new ListAppender<>();
    private Logger root;
    private Level before;

    @BeforeEach
    void capture() {
        root = (Logger) LoggerFactory.getLogger("com.qfpay");
        before = root.getLevel();
        records.start();
        root.addAppender(records);
    }

    @AfterEach
    void release() {
        root.detachAppender(records);
        root.setLevel(before);
    }

    private static Map<String, String> kv(ILoggingEvent e) {
        List<KeyValuePair> pairs = e.getKeyValuePairs() == null ? List.of() : e.getKeyValuePairs();
        return pairs.stream().collect(Collectors.toMap(p -> p.key, p -> String.valueOf(p.value), (a, b) -> b));
    }

    private List<ILoggingEvent> of(String kind) {
        return records.list.stream().filter(e -> kind.equals(kv(e).get("event"))).collect(Collectors.toList());
    }

    @Test
    void aRetriedPaymentLogsItsAttemptsAndTheListenerSeesThem() {
        root.setLevel(Level.DEBUG);
        List<QfPayEvent> events = new CopyOnWriteArrayList<>();
        try (Sandbox sb = Sandbox.builder().rateLimit(false).start();
             QfPayClient c = sb.clientBuilder().retryDelay(Duration.ofMillis(10), Duration.ofMillis(20)).listener(events::add).build()) {
            sb.injectHttpStatus(429, 1);
            Payment p = c.wechatQr(1001, "HKD");
            List<ILoggingEvent> retries = of("retry");
            assertFalse(retries.isEmpty(), "no retry record in " + records.list);
            ILoggingEvent r = retries.get(0);
            assertEquals("com.qfpay.http", r.getLoggerName());
            assertEquals(Level.INFO, r.getLevel());
            assertEquals(p.getOutTradeNo(), kv(r).get("outTradeNo"));
            assertEquals("1", kv(r).get("attempt"));
            assertEquals("retry", kv(r).get("decision"));
            assertEquals("/trade/v1/payment", kv(r).get("endpoint"));
            assertTrue(of("request").stream().anyMatch(e -> "2".equals(kv(e).get("attempt"))), "second attempt");
            assertTrue(of("response").stream().anyMatch(e -> "429".equals(kv(e).get("httpStatus"))));
            assertTrue(events.stream().anyMatch(e -> e.getKind().equals("retry") && p.getOutTradeNo().equals(e.getOutTradeNo())));
            assertTrue(events.stream().anyMatch(e -> e.getKind().equals("response") && e.getElapsedMs() >= 0));
        }
    }

    @Test
    void aReconciledPaymentLogsTheDecision() {
        root.setLevel(Level.INFO);
        try (Sandbox sb = Sandbox.builder().rateLimit(false).start(); QfPayClient c = sb.client()) {
            sb.injectDrop(1);
            Payment p = c.wechatQr(1001, "HKD");
            List<ILoggingEvent> rec = of("reconcile");
            assertFalse(rec.isEmpty(), "no reconcile record in " + records.list);
            ILoggingEvent r = rec.get(0);
            assertEquals("com.qfpay.reconcile", r.getLoggerName());
            assertEquals(Level.WARN, r.getLevel());
            assertEquals(p.getOutTradeNo(), kv(r).get("outTradeNo"));
            assertEquals("reconcile", kv(r).get("decision"));
            assertTrue(kv(r).containsKey("attempt"));
            assertTrue(of("request").isEmpty(), "debug records at INFO");
        }
    }

    @Test
    void aCancelledPaymentIsLoggedNamingItsOrder() throws Exception {
        root.setLevel(Level.WARN);
        try (Sandbox sb = Sandbox.builder().rateLimit(false).start(); QfPayClient c = sb.client()) {
            String number = QfPay.generateOutTradeNo();
            sb.injectDelay(Duration.ofMillis(1000), 1);
            var f = c.createPaymentAsync(PaymentRequest.wechatQr(1001, "HKD").outTradeNo(number).build());
            Thread.sleep(300);
            f.cancel(true);
            long deadline = System.currentTimeMillis() + 3000;
            while (of("cancelled").isEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(20);
            List<ILoggingEvent> cancelled = of("cancelled");
            assertFalse(cancelled.isEmpty(), "no cancelled record in " + records.list);
            assertEquals(Level.WARN, cancelled.get(0).getLevel());
            assertEquals(number, kv(cancelled.get(0)).get("outTradeNo"));
        }
    }

    @Test
    void theClientKeyAppearsNowhereAtTheMostVerboseLevel() {
        root.setLevel(Level.TRACE);
        List<QfPayEvent> events = new CopyOnWriteArrayList<>();
        List<String> seen = new ArrayList<>();
        try (Sandbox sb = Sandbox.builder().rateLimit(false).start();
             QfPayClient c = sb.clientBuilder().listener(events::add).build();
             QfPayClient wrong = QfPayClient.builder().baseUrl(sb.getBaseUrl()).credentials(sb.getAppCode(), "WRONGKEY0123456789")
                     .listener(events::add).build()) {
            c.wechatQr(1001, "HKD");
            seen.add(assertThrows(AuthException.class, () -> wrong.wechatQr(1001, "HKD")).getMessage());   // 1108
            byte[] body = "{\"notify_type\":\"payment\"}".getBytes(StandardCharsets.UTF_8);
            seen.add(assertThrows(SignatureException.class, () -> Notifications.verify(body, "BAD", sb.getClientKey())).getMessage());
            assertTrue(records.list.stream().anyMatch(e -> kv(e).containsKey("body")), "no body at TRACE");
            for (ILoggingEvent e : records.list) seen.add(e.getFormattedMessage() + " " + kv(e));
            for (QfPayEvent e : events) seen.add(e.toString());
            assertFalse(seen.isEmpty());
            for (String s : seen) {
                assertFalse(s.contains(sb.getClientKey()), "client key in: " + s);
                assertFalse(s.contains("WRONGKEY0123456789"), "client key in: " + s);
            }
        }
    }
}
