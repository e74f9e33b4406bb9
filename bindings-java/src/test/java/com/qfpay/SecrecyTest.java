package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Issue 22 (2 and the secrecy check) on the JVM: the client key is passed to every operation and
 * option that takes it, and into options where it does not belong; every exception (blocking and
 * CompletableFuture, the JNI fast path and uniffi's JNA path) is dumped every way the JVM has
 * (Dump: toString, messages, printStackTrace, causes and suppressed, every reflected field,
 * Java serialization), with the clients' and builders' toString and fields, what SLF4J captured
 * at TRACE and what the listener saw; the key appears 0 times.
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SecrecyTest {
    /** The key: 32 characters, as QFPay issues them, and found nowhere else. */
    static final String K = "Zq7SeCrEtKeY0123456789abcdefXw9P";
    static final String BAD = "\ud800";

    private final ListAppender<ILoggingEvent> records = new ListAppender<>();
    private Logger root;
    private Level before;
    private final List<String> dumps = new ArrayList<>();
    private final List<String> failed = new ArrayList<>();
    private final List<QfPayEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void capture() {
        root = (Logger) LoggerFactory.getLogger("com.qfpay");
        before = root.getLevel();
        root.setLevel(Level.TRACE);     // read when a client is built: every event, bodies included
        records.start();
        root.addAppender(records);
    }

    @AfterEach
    void release() {
        root.detachAppender(records);
        root.setLevel(before);
    }

    interface Call {
        Object run() throws Throwable;
    }

    /** Runs [c] (joining a returned future) and dumps what it threw; [mustFail]: it has to throw. */
    void dump(String label, boolean mustFail, Call c) {
        try {
            Object r = c.run();
            if (r instanceof CompletableFuture<?> f) f.join();
            if (r instanceof AutoCloseable a) a.close();
            if (mustFail) failed.add(label + " did not fail");
        } catch (Throwable t) {
            dumps.add(label + ": " + Dump.throwable(t));
        }
    }

    void fail(String label, Call c) {
        dump(label, true, c);
    }

    void assertNoKey() {
        List<String> all = new ArrayList<>(dumps);
        for (ILoggingEvent e : records.list) {
            StringBuilder b = new StringBuilder(e.getLoggerName()).append(' ').append(e.getFormattedMessage());
            if (e.getKeyValuePairs() != null) e.getKeyValuePairs().forEach(p -> b.append(' ').append(p.key).append('=').append(p.value));
            for (IThrowableProxy p = e.getThrowableProxy(); p != null; p = p.getCause()) b.append(' ').append(p.getMessage());
            all.add("log: " + b);
        }
        for (QfPayEvent e : events) all.add("listener: " + e + " " + Dump.object(e, true));
        assertEquals(List.of(), failed);
        assertTrue(all.stream().noneMatch(s -> s.contains("(serialization failed")), "an exception did not serialize");
        assertTrue(dumps.stream().anyMatch(s -> s.contains("Throwable.detailMessage=")), "Throwable's fields were not read");
        List<String> hits = all.stream().filter(s -> s.contains(K)).collect(Collectors.toList());
        assertEquals(0, hits.size(), "the key appears in: " + String.join("\n----\n", hits));
    }

    static Map<String, String> params() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("txamt", "1001");
        m.put("txcurrcd", "HKD");
        m.put("pay_type", "800201");
        return m;
    }

    @Test
    void theKeyNeverAppearsInAnyExceptionLogOrObjectOfTheSandboxClient() throws Exception {
        try (Sandbox sb = Sandbox.builder().rateLimit(false).pendingQueries(100).credentials("APPK", K).start();
             QfPayClient c = sb.clientBuilder().listener(events::add).reconcileTimeout(Duration.ofMillis(300))
                     .retryDelay(Duration.ofMillis(5), Duration.ofMillis(10)).build()) {
            dumps.add("client: " + Dump.object(c, true));
            // Blocking calls on the JNI fast path.
            Payment paid = c.wechatQr(1001, "HKD");
            fail("validation", () -> c.wechatQr(0, "HKD"));
            fail("declined", () -> c.wechatQr(1003, "HKD"));
            fail("duplicate", () -> c.createPayment(PaymentRequest.wechatQr(1001, "HKD").outTradeNo(paid.getOutTradeNo()).build()));
            fail("rate limited", () -> c.createPayment(PaymentRequest.wechatQr(1007, "HKD").build(), CallOptions.builder().maxRetries(0).build()));
            fail("status unknown", () -> c.wechatQr(1004, "HKD"));
            fail("wait", () -> c.waitForPayment(c.wechatQr(2500, "HKD").getOutTradeNo(), Duration.ofMillis(50)));
            sb.injectHttpStatus(503, 1);
            fail("server", () -> c.query(QueryRequest.byOutTradeNo("qfX"), CallOptions.builder().maxRetries(0).build()));
            sb.injectMalformed(1);
            fail("decode", () -> c.query(QueryRequest.byOutTradeNo("qfX"), CallOptions.builder().maxRetries(0).build()));
            sb.injectDelay(Duration.ofMillis(500), 1);
            fail("timeout", () -> c.query(QueryRequest.byOutTradeNo("qfX"), CallOptions.timeout(Duration.ofMillis(100))));
            fail("zero timeout", () -> c.query(QueryRequest.byOutTradeNo("qfX"), CallOptions.timeout(Duration.ZERO)));
            fail("refund rejected", () -> c.refund(RefundRequest.of(paid.getSyssn(), 999_999, "HKD")));
            fail("close paid", () -> c.closeOrder(CancelRequest.byOutTradeNo(paid.getOutTradeNo(), 1001, "HKD")));
            fail("lone surrogate", () -> c.findPayment("qf" + BAD));
            // The same through CompletableFuture.
            fail("async declined", () -> c.wechatQrAsync(1003, "HKD"));
            fail("async validation", () -> c.createPaymentAsync(PaymentRequest.wechatQr(0, "HKD").build()));
            sb.injectDelay(Duration.ofMillis(500), 1);
            fail("async timeout", () -> c.queryAsync(QueryRequest.byOutTradeNo("qfX"), CallOptions.timeout(Duration.ofMillis(100))));
            fail("async lone surrogate", () -> c.findPaymentAsync("qf" + BAD));
            fail("async status unknown", () -> c.createPaymentAsync(PaymentRequest.wechatQr(1004, "HKD").build()));
            fail("async wait", () -> c.waitForPaymentAsync("qfNone", Duration.ofMillis(50)));
            fail("queryAll", () -> { sb.injectHttpStatus(503, 5); return c.queryAllAsync(QueryRequest.byOutTradeNo("qfX")); });
            // uniffi's JNA path: the page iterator, QR codes, the sandbox.
            sb.injectHttpStatus(503, 5);
            fail("pages", () -> c.queryPages(QueryRequest.byOutTradeNo("qfX")).iterator().hasNext());
            fail("qr", () -> Qr.svg("x".repeat(10_000)));
            fail("sandbox pay", () -> sb.pay("no-such-order"));
            fail("closed", () -> { QfPayClient x = sb.client(); x.close(); return x.wechatQr(1001, "HKD"); });
            // A client with this key against a sandbox that does not know it, and the reverse.
            try (Sandbox other = Sandbox.builder().rateLimit(false).start()) {
                fail("wrong key", () -> QfPayClient.builder().baseUrl(other.getBaseUrl()).credentials(other.getAppCode(), K)
                        .listener(events::add).build().wechatQr(1001, "HKD"));
                fail("wrong key async", () -> QfPayClient.builder().baseUrl(other.getBaseUrl()).credentials(other.getAppCode(), K)
                        .build().wechatQrAsync(1001, "HKD"));
            }
            // (The key in the app code's place is in theKeyInTheWrongOptionIsNeverEchoed: the sandbox's own
            // answer quotes an unknown app code, which is the server's text, not the SDK's.)
            dumps.add("client after: " + Dump.object(c, true));
        }
        assertTrue(records.list.stream().anyMatch(e -> e.getKeyValuePairs() != null
                && e.getKeyValuePairs().stream().anyMatch(p -> p.key.equals("body"))), "nothing logged at TRACE");
        assertTrue(dumps.size() > 25, "dumps: " + dumps.size());
        assertNoKey();
    }

    @Test
    void theKeyNeverAppearsWhenNotificationsOrSigningFail() {
        byte[] body = "{\"notify_type\":\"payment\",\"out_trade_no\":\"qf1\",\"txamt\":\"1\",\"txcurrcd\":\"HKD\"}".getBytes(StandardCharsets.UTF_8);
        String sig = Notifications.signature(body, K);
        fail("bad signature", () -> Notifications.verify(body, "0".repeat(32), K));
        fail("null signature", () -> Notifications.verify(body, null, K));
        fail("empty signature", () -> Notifications.verify(body, "", K));
        fail("lone surrogate signature", () -> Notifications.verify(body, BAD, K));
        fail("lone surrogate key", () -> Notifications.verify(body, sig, K + BAD));
        fail("null body", () -> Notifications.verify(null, sig, K));
        fail("empty key", () -> Notifications.verify(body, sig, ""));
        for (String bad : List.of("not json", "", "[]", "{\"notify_type\":1}", "{\"notify_type\":\"payment\",\"txamt\":\"x\"}", K)) {
            byte[] b = bad.getBytes(StandardCharsets.UTF_8);
            dump("bad body " + bad.length(), false, () -> Notifications.verify(b, Notifications.signature(b, K), K));
            dump("bad body wrong sig " + bad.length(), true, () -> Notifications.verify(b, sig, K));
        }
        byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, '{', '}'};
        fail("not utf-8", () -> Notifications.verify(notUtf8, Notifications.signature(notUtf8, K), K));
        fail("signature of null", () -> Notifications.signature(null, K));
        fail("signature lone surrogate", () -> Notifications.signature(body, K + BAD));
        // Signing helpers, the JNI path and (a NUL in a value) uniffi's.
        Map<String, String> withNull = new HashMap<>(params());
        withNull.put("mchid", null);
        Map<String, String> withNul = new HashMap<>(params());
        withNul.put("goods_info", "a\u0000b");
        Map<String, String> withBad = new HashMap<>(params());
        withBad.put("goods_name", "x" + BAD);
        fail("sign null params", () -> Signing.sign(null, K, SignType.MD5));
        fail("sign null value", () -> Signing.sign(withNull, K, SignType.MD5));
        fail("sign lone surrogate", () -> Signing.sign(withBad, K, SignType.SHA256));
        fail("sign key lone surrogate", () -> Signing.sign(params(), K + BAD, SignType.MD5));
        fail("sign null type", () -> Signing.sign(params(), K, null));
        fail("sign NUL null type", () -> Signing.sign(withNul, K, null));
        dump("sign NUL", false, () -> Signing.sign(withNul, K + "\u0000", SignType.MD5));
        assertNoKey();
    }

    @Test
    void theKeyInTheWrongOptionIsNeverEchoed() {
        QfPayClient.Builder live = QfPayClient.builder().credentials("APP", K).environment(Environment.LIVE_TEST)
                .connectTimeout(Duration.ofSeconds(2)).maxRetries(0).listener(events::add);
        fail("environment", () -> QfPayClient.builder().credentials("APP", K).environment(K).build());
        fail("base URL", () -> QfPayClient.builder().credentials("APP", K).baseUrl(K).build());
        fail("base URL path", () -> QfPayClient.builder().credentials("APP", K).baseUrl("ftp://x/" + K).build());
        fail("proxy", () -> QfPayClient.builder().credentials("APP", K).environment(Environment.LIVE_TEST).proxy(K).build());
        fail("proxy no host", () -> QfPayClient.builder().credentials("APP", K).environment(Environment.LIVE_TEST)
                .proxy("http://user:" + K + "@").build());
        fail("proxy scheme", () -> QfPayClient.builder().credentials("APP", K).environment(Environment.LIVE_TEST)
                .proxy("socks5://user:" + K + "@127.0.0.1:1080").build());
        fail("proxy lone surrogate", () -> QfPayClient.builder().credentials("APP", K).proxy("http://u:" + K + BAD + "@h:1").build());
        // A well-formed proxy URL with the key as its password: the call fails at the proxy.
        fail("proxy refused", () -> live.proxy("http://user:" + K + "@127.0.0.1:9").build().wechatQr(1001, "HKD"));
        fail("proxy refused async", () -> live.proxy("http://user:" + K + "@127.0.0.1:9").build().findPaymentAsync("qfX"));
        // A base URL with the key as its password.
        fail("base URL credentials", () -> QfPayClient.builder().credentials("APP", K).baseUrl("http://user:" + K + "@127.0.0.1:9")
                .maxRetries(0).listener(events::add).build().wechatQr(1001, "HKD"));
        fail("mchid", () -> QfPayClient.builder().credentials("APP", K).baseUrl("http://127.0.0.1:9").mchid(K).build());
        fail("mchid short", () -> QfPayClient.builder().credentials("APP", K).baseUrl("http://127.0.0.1:9").mchid(K + "\n").build());
        fail("app code long", () -> QfPayClient.builder().credentials(K + K + K, K).baseUrl("http://127.0.0.1:9").build());
        fail("app code space", () -> QfPayClient.builder().credentials(K + " x", K).baseUrl("http://127.0.0.1:9").build());
        fail("no app code", () -> QfPayClient.builder().clientKey(K).baseUrl("http://127.0.0.1:9").build());
        fail("app code key", () -> QfPayClient.builder().credentials(K, K).baseUrl("http://127.0.0.1:9").maxRetries(0).build().findPayment("qfX"));
        fail("environment lone surrogate", () -> QfPayClient.builder().environment(K + BAD));
        // Sandbox options.
        fail("sandbox key lone surrogate", () -> Sandbox.builder().credentials("APP", K + BAD));
        dump("sandbox notify", false, () -> Sandbox.builder().credentials("APP", K).notifyUrl(K).mchid(K).start());
        // The builder and the clients themselves.
        QfPayClient.Builder b = QfPayClient.builder().credentials("APP", K).baseUrl("http://127.0.0.1:9");
        dumps.add("builder: " + Dump.object(b, false));
        try (QfPayClient c = b.build()) {
            dumps.add("client: " + Dump.object(c, true));
            dumps.add("getters: " + c.getBaseUrl() + c.getAppCode() + c.getMchid() + c.getUserAgent());
        }
        assertNoKey();
    }

    /** The environments of the child JVMs: the key in QFPAY_CLIENT_KEY and in other variables. */
    static Stream<Arguments> environments() {
        String local = "http://127.0.0.1:9";
        return Stream.of(
                Arguments.of("QFPAY_ENV", Map.of("QFPAY_ENV", K)),
                Arguments.of("QFPAY_BASE_URL", Map.of("QFPAY_BASE_URL", K)),
                Arguments.of("QFPAY_BASE_URL credentials, QFPAY_ENV disagreeing",
                        Map.of("QFPAY_ENV", "production", "QFPAY_BASE_URL", "http://user:" + K + "@127.0.0.1:9", "QFPAY_LOG", "warn")),
                Arguments.of("QFPAY_PROXY malformed", Map.of("QFPAY_ENV", "live_test", "QFPAY_PROXY", "http://user:" + K + "@")),
                Arguments.of("QFPAY_PROXY refused", Map.of("QFPAY_ENV", "live_test", "QFPAY_PROXY", "http://user:" + K + "@127.0.0.1:9")),
                Arguments.of("QFPAY_MCHID", Map.of("QFPAY_BASE_URL", local, "QFPAY_MCHID", K)),
                Arguments.of("QFPAY_SIGN_TYPE", Map.of("QFPAY_BASE_URL", local, "QFPAY_SIGN_TYPE", K)),
                Arguments.of("QFPAY_APP_CODE and QFPAY_LOG", Map.of("QFPAY_BASE_URL", local, "QFPAY_APP_CODE", K, "QFPAY_LOG", K + "=" + K)),
                Arguments.of("QFPAY_LOG=trace", Map.of("QFPAY_BASE_URL", local, "QFPAY_LOG", "trace")),
                Arguments.of("no app code", Map.of("QFPAY_BASE_URL", local, "QFPAY_APP_CODE", "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environments")
    void fromEnvNeverEchoesTheKey(String name, Map<String, String> vars) throws Exception {
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String cp = Arrays.stream(full.split(File.pathSeparator))
                .filter(e -> !e.contains("logback"))      // no SLF4J backend: QFPAY_LOG prints to stderr
                .collect(Collectors.joining(File.pathSeparator));
        ProcessBuilder pb = new ProcessBuilder(System.getProperty("java.home") + "/bin/java",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", cp, "com.qfpay.SecrecyProbe");
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("QFPAY_") || k.toLowerCase().endsWith("_proxy"));
        env.put("QFPAY_APP_CODE", "APP");
        env.put("QFPAY_CLIENT_KEY", K);
        env.putAll(vars);
        Process p = pb.start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (java.io.IOException e) {
                return new byte[0];
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), name);
        String stderr = new String(err.get(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out + stderr);
        assertTrue(out.contains("CAUGHT ") && !out.contains("CAUGHT 0"), name + ": nothing was thrown\n" + out);
        assertTrue(!out.contains(K), name + ": the key in stdout:\n" + out);
        assertTrue(!stderr.contains(K), name + ": the key in stderr:\n" + stderr);
        if (name.contains("QFPAY_LOG=trace")) assertTrue(stderr.contains("qfpay debug request"), stderr);
        if (name.contains("and QFPAY_LOG")) assertTrue(stderr.contains("QFPAY_LOG"), "no warning about QFPAY_LOG:\n" + stderr);
        if (name.contains("disagreeing")) assertTrue(stderr.contains("disagree") && stderr.contains("***@"), "no warning:\n" + stderr);
    }
}
