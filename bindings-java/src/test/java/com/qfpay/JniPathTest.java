package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The JNI fast path (com.qfpay.Jni, jni_path.rs) against uniffi's JNA path it replaces for the hot
 * calls: the same answers, one copy of the native library, daemon runtime threads.
 */
class JniPathTest {
    static Map<String, String> seed() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("txamt", "10");
        m.put("txcurrcd", "HKD");
        m.put("pay_type", "800201");
        m.put("out_trade_no", "01234567890123");
        m.put("txdtm", "2020-04-10 11:45:44");
        m.put("mchid", "ZaMVg*****");
        return m;
    }

    @Test
    void signingAgreesWithTheUniffiPath() throws Exception {
        String key = "0E32A59A8B454940A2FF39**********";
        List<Map<String, String>> cases = new java.util.ArrayList<>();
        cases.add(seed());
        Map<String, String> unicode = seed();
        unicode.put("goods_name", "咖啡 ☕ 𝄞 é");
        unicode.put("udid", "");
        cases.add(unicode);
        Map<String, String> nul = seed();
        nul.put("goods_info", "a\u0000b"); // takes uniffi's path
        cases.add(nul);
        cases.add(Map.of());
        for (Map<String, String> m : cases) {
            for (SignType st : SignType.values()) {
                assertEquals(com.qfpay.ffi.Qfpay_jvmKt.sign(m, key, st.name().toLowerCase(java.util.Locale.ROOT)), Signing.sign(m, key, st), m + " " + st);
            }
            assertEquals(com.qfpay.ffi.Qfpay_jvmKt.stringToSign(m), Signing.stringToSign(m), m.toString());
        }
        Map<String, String> withNull = new java.util.HashMap<>(seed());
        withNull.put("mchid", null);
        assertThrows(RuntimeException.class, () -> Signing.sign(withNull, key, SignType.MD5));
    }

    @Test
    void notificationsAgreeWithTheUniffiPath() throws Exception {
        String key = Sandbox.CLIENT_KEY;
        byte[] body = ("{\"notify_type\": \"payment\", \"status\": \"1\", \"syssn\": \"2026\", \"out_trade_no\": \"qfJ1\", "
                + "\"txamt\": 1001, \"txcurrcd\": \"HKD\", \"pay_type\": \"800201\", \"cancel\": \"0\", \"respcd\": \"0000\", "
                + "\"txdtm\": \"2026-11-25 10:00:00\", \"goods_name\": \"咖啡\"}").getBytes(StandardCharsets.UTF_8);
        String sig = Notifications.signature(body, key);
        Notification n = Notifications.verify(body, sig, key);
        assertEquals("qfJ1", n.getOutTradeNo());
        assertEquals(1001L, n.getTxamt());
        assertEquals("咖啡", n.getGoodsName());
        // raw: every field sent, non-text JSON values as their JSON text
        org.json.JSONObject sent = new org.json.JSONObject(new String(body, StandardCharsets.UTF_8));
        Map<String, String> raw = new java.util.HashMap<>();
        for (String k : sent.keySet()) raw.put(k, String.valueOf(sent.get(k)));
        assertEquals(raw, n.getRaw());
        assertEquals(n, Notifications.parse(body));
        assertThrows(SignatureException.class, () -> Notifications.verify(body, "0".repeat(32), key));
        assertThrows(SignatureException.class, () -> Notifications.verify(body, null, key));
        assertThrows(DecodeException.class, () -> Notifications.parse("not json".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theThreadThatLoadedTheLibraryMayExitFirst() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-cp", cp, "com.qfpay.ThreadExitProbe")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("OK"), out);
    }

    @Test
    void oneCopyOfTheNativeLibraryIsLoaded() throws Exception {
        QfPay.generateOutTradeNo(); // the JNI path
        try (Sandbox sb = Sandbox.start(); QfPayClient c = sb.client()) { // uniffi's JNA path
            assertEquals(sb.getBaseUrl(), c.getBaseUrl());
        }
        Set<String> paths = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains("qfpay_jvm"))
                .map(l -> l.substring(l.indexOf('/')))
                .collect(Collectors.toSet());
        assertEquals(1, paths.size(), "the library is mapped from more than one file: " + paths);
    }

    @Test
    void asyncCompletionsComeFromDaemonThreadsAndTheClientGetters() throws Exception {
        try (Sandbox sb = Sandbox.builder().rateLimit(false).start(); QfPayClient c = sb.client()) {
            assertEquals(sb.getAppCode(), c.getAppCode());
            assertEquals(sb.getMchid(), c.getMchid());
            assertTrue(c.getUserAgent().startsWith("qfpay-java/"));
            List<CompletableFuture<Payment>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) fs.add(c.createPaymentAsync(PaymentRequest.wechatQr(300, "HKD").build()));
            for (CompletableFuture<Payment> f : fs) assertEquals("0000", f.get(30, TimeUnit.SECONDS).getRespcd());
            // The runtime threads that delivered the outcomes are attached to the JVM as daemons:
            // they never keep a JVM from exiting.
            List<Thread> io = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("qfpay-io")).collect(Collectors.toList());
            assertFalse(io.isEmpty(), "no qfpay-io thread attached");
            for (Thread t : io) assertTrue(t.isDaemon(), t + " is not a daemon");
        }
    }

    @Test
    void futuresCompleteOnTheClientsDaemonPoolOrInPlaceWhenAskedTo() throws Exception {
        try (Sandbox sb = Sandbox.builder().rateLimit(false).start()) {
            try (QfPayClient c = sb.client()) {
                // Still pending when the callback is attached (an unpaid order, waited for 0.3 s).
                Payment unpaid = c.wechatQr(300, "HKD");
                Thread t = c.waitForPaymentAsync(unpaid.getOutTradeNo(), java.time.Duration.ofMillis(300))
                        .handle((tx, e) -> Thread.currentThread()).get(30, TimeUnit.SECONDS);
                assertTrue(t.getName().startsWith("qfpay-complete-"), t.getName());
                assertTrue(t.isDaemon(), t + " is not a daemon");
                // A blocking task on the default pool (queryAllAsync) does not starve it.
                List<CompletableFuture<?>> pages = new java.util.ArrayList<>();
                for (int i = 0; i < 6; i++) pages.add(c.queryAllAsync(QueryRequest.builder().build()));
                for (CompletableFuture<?> f : pages) f.get(30, TimeUnit.SECONDS);
            }
            try (QfPayClient c = sb.clientBuilder().executor(Runnable::run).build()) {
                // Pending when the callback is attached, so it runs where the future completes.
                Payment unpaid = c.wechatQr(300, "HKD");
                CompletableFuture<String> nested = c.waitForPaymentAsync(unpaid.getOutTradeNo(), java.time.Duration.ofMillis(300))
                        .handle((t, e) -> {
                            String where = Thread.currentThread().getName();
                            try {
                                c.wechatQr(300, "HKD"); // a blocking call from the I/O thread
                                return where + " paid";
                            } catch (QfPayException x) {
                                return where + " " + x.getCode();
                            }
                        });
                // Refused with a config error, not a deadlock of the runtime.
                assertEquals("qfpay-io config", nested.get(30, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void anAsyncCallRefusedBeforeItStartsFailsItsFuture() throws Exception {
        // Refused in Rust before anything is spawned: the outcome is delivered from inside the
        // starting JNI call itself (a nested JNI call on the caller's thread).
        try (Sandbox sb = Sandbox.start(); QfPayClient c = sb.client()) {
            CompletableFuture<Payment> bad = c.createPaymentAsync(PaymentRequest.wechatQr(300, "NOPE").build());
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> bad.get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof ValidationException, String.valueOf(e.getCause()));
            CompletableFuture<QueryPage> neg = c.queryAsync(QueryRequest.byOutTradeNo("qfX"),
                    CallOptions.builder().maxRetries(-1).build());
            e = assertThrows(java.util.concurrent.ExecutionException.class, () -> neg.get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof ValidationException, String.valueOf(e.getCause()));
            // and the client still works afterwards
            assertEquals("0000", c.createPaymentAsync(PaymentRequest.wechatQr(300, "HKD").build()).get(30, TimeUnit.SECONDS).getRespcd());
        }
    }

    @Test
    void aClosedClientFailsOnTheJniPathToo() {
        try (Sandbox sb = Sandbox.start()) {
            QfPayClient c = sb.client();
            c.close();
            c.close();
            assertEquals("client closed", assertThrows(IllegalStateException.class, c::getBaseUrl).getMessage());
            assertEquals("client closed", assertThrows(IllegalStateException.class,
                    () -> c.createPayment(PaymentRequest.wechatQr(300, "HKD").build())).getMessage());
            CompletableFuture<Payment> f = c.createPaymentAsync(PaymentRequest.wechatQr(300, "HKD").build());
            assertTrue(f.isCompletedExceptionally());
        }
    }
}
