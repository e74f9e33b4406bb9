package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.qfpay.examples.NotificationServer;
import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/** Issue 9 and 10 on the JVM: the conditions of real deployments. */
@Timeout(value = 150, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeploymentTest {
    private static Sandbox sandbox;
    private static QfPayClient client;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.builder().rateLimit(false).start();
        client = sandbox.client();
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    private static final byte[] BODY =
            "{\"notify_type\":\"payment\",\"out_trade_no\":\"qf9\",\"txamt\":\"1\",\"txcurrcd\":\"HKD\"}".getBytes(StandardCharsets.UTF_8);

    // ---- (6) a missing signature header ----

    @Test
    void missingOrEmptySignatureIsASignatureException() {
        SignatureException a = assertThrows(SignatureException.class, () -> Notifications.verify(BODY, null, "K1"));
        assertEquals("signature", a.getCode());
        assertThrows(SignatureException.class, () -> Notifications.verify(BODY, "", "K1"));
        assertThrows(SignatureException.class, () -> Notifications.verify(BODY, "  ", "K1"));
        assertEquals("rawBody", assertThrows(ValidationException.class, () -> Notifications.verify(null, "X", "K1")).getField());
        assertEquals("clientKey", assertThrows(ValidationException.class, () -> Notifications.verify(BODY, "X", null)).getField());
    }

    @Test
    void notificationServerAnswersAMissingHeaderWith401() throws Exception {
        HttpServer server = NotificationServer.start(0, "K1");
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/qfpay/notify";
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(BODY)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, r.statusCode());
            assertEquals("signature", r.body());
            HttpResponse<String> empty = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .header("X-QF-SIGN", "").POST(HttpRequest.BodyPublishers.ofByteArray(BODY)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, empty.statusCode());
        } finally {
            server.stop(0);
        }
    }

    // ---- (3) every error from a money-moving call names its order ----

    @Test
    void everyMoneyMovingErrorNamesItsOrder() {
        DeclinedException declined = assertThrows(DeclinedException.class, () -> client.wechatQr(1003, "HKD"));
        assertNotNull(declined.getOutTradeNo(), "declined");
        assertTrue(declined.getMessage().contains(declined.getOutTradeNo()), declined.getMessage());

        try (QfPayClient c = sandbox.clientBuilder().maxRetries(0).build()) {
            RateLimitedException limited = assertThrows(RateLimitedException.class, () -> c.wechatQr(1007, "HKD"));
            assertNotNull(limited.getOutTradeNo(), "rate limited");
        }
        try (QfPayClient c = QfPayClient.builder().credentials(sandbox.getAppCode(), "WRONGKEY").baseUrl(sandbox.getBaseUrl()).build()) {
            AuthException auth = assertThrows(AuthException.class,
                    () -> c.createPayment(PaymentRequest.wechatQr(1001, "HKD").outTradeNo("qfJAUTH1").build()));
            assertEquals("qfJAUTH1", auth.getOutTradeNo());
        }
        try (QfPayClient c = QfPayClient.builder().credentials("APP", "KEY").baseUrl("http://127.0.0.1:9")
                .maxRetries(0).connectTimeout(Duration.ofMillis(500)).build()) {
            NetworkException net = assertThrows(NetworkException.class, () -> c.wechatQr(1001, "HKD"));
            assertNotNull(net.getOutTradeNo(), "network");
            assertFalse(net.getSent());
        }
        String number = QfPay.generateOutTradeNo();
        client.createPayment(PaymentRequest.wechatQr(300, "HKD").outTradeNo(number).build());
        Payment paid = client.wechatQr(1001, "HKD");
        QfPayException refund = assertThrows(QfPayException.class,
                () -> client.refund(RefundRequest.builder(paid.getSyssn(), 5000, "HKD").outTradeNo("qfJREFUNDTOOMUCH").build()));
        assertEquals("qfJREFUNDTOOMUCH", refund.getOutTradeNo());
        QfPayException close = assertThrows(QfPayException.class,
                () -> client.closeOrder(CancelRequest.byOutTradeNo("qfJNOSUCH", 300, "HKD")));
        assertEquals("qfJNOSUCH", close.getOutTradeNo());
    }

    // ---- (9) a re-submitted paid order is answered ----

    @Test
    void duplicateOfAPaidOrderCarriesTheExistingTransaction() {
        String number = QfPay.generateOutTradeNo();
        Payment first = client.createPayment(PaymentRequest.wechatQr(1001, "HKD").outTradeNo(number).build());
        DuplicateOrderException e = assertThrows(DuplicateOrderException.class,
                () -> client.createPayment(PaymentRequest.wechatQr(1001, "HKD").outTradeNo(number).build()));
        assertEquals(number, e.getOutTradeNo());
        Transaction existing = e.getExisting();
        assertNotNull(existing);
        assertEquals(TransactionState.SUCCEEDED, existing.getState());
        assertEquals(first.getSyssn(), existing.getSyssn());
        assertEquals(1001L, existing.getTxamt());
        assertEquals("HKD", existing.getTxcurrcd());
    }

    // ---- (5) waiting keeps its deadline and holds no thread ----

    @Test
    void waitForPaymentKeepsItsDeadline() {
        Payment p = client.wechatQr(777, "HKD");
        long t0 = System.nanoTime();
        StatusUnknownException e = assertThrows(StatusUnknownException.class,
                () -> client.waitForPayment(p.getOutTradeNo(), Duration.ofMillis(1500), Duration.ofMillis(400), Duration.ofMillis(1000)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 1450, "gave up after " + ms + " ms of 1500");
        assertEquals(p.getOutTradeNo(), e.getOutTradeNo());
    }

    @Test
    void waitForPaymentAsyncHoldsNoThreadWhileWaiting() throws Exception {
        ExecutorService one = Executors.newSingleThreadExecutor();
        try (QfPayClient c = sandbox.clientBuilder().executor(one).build()) {
            List<CompletableFuture<Transaction>> waits = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Payment p = c.wechatQr(777, "HKD");
                waits.add(c.waitForPaymentAsync(p.getOutTradeNo(), Duration.ofMillis(800), Duration.ofMillis(200), Duration.ofMillis(400)));
            }
            long t0 = System.nanoTime();
            for (CompletableFuture<Transaction> w : waits) {
                ExecutionExceptionCheck.assertCause(StatusUnknownException.class, w);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 4000, "12 waits of 0.8 s on one executor thread took " + ms + " ms: they are not scheduled");
        } finally {
            one.shutdownNow();
        }
    }

    @Test
    void defaultWaitOverloadExists() throws Exception {
        Payment p = client.wechatQr(1001, "HKD");
        assertEquals(TransactionState.SUCCEEDED, client.waitForPayment(p.getOutTradeNo()).getState());
        assertEquals(TransactionState.SUCCEEDED, client.waitForPaymentAsync(p.getOutTradeNo()).get(10, TimeUnit.SECONDS).getState());
    }

    // ---- (4) cancellation: generate, store, then call ----

    @Test
    void cancelDropsTheCallAndTheStoredNumberFindsTheOrder() throws Exception {
        String number = QfPay.generateOutTradeNo();          // 1. generate
        List<String> stored = new ArrayList<>();
        stored.add(number);                                  // 2. store (your database)
        sandbox.injectDelay(Duration.ofMillis(1500), 1);
        CompletableFuture<Payment> f = client.createPaymentAsync(    // 3. call
                PaymentRequest.wechatQr(1001, "HKD").outTradeNo(number).build());
        Thread.sleep(300);
        assertTrue(f.cancel(true));
        assertTrue(f.isCancelled());
        assertThrows(CancellationException.class, f::join);
        Thread.sleep(1600);
        Transaction t = client.findPayment(stored.get(0));   // after a cancel, the stored number finds it
        assertNotNull(t, "the order was sent before the cancel, so QFPay has it");
        assertEquals(TransactionState.SUCCEEDED, t.getState());
    }

    // ---- (7) extremes: never a crash, always an error naming the option ----

    private static void extreme(String option, Executable e) {
        try {
            e.execute();
        } catch (QfPayException q) {
            assertTrue(q instanceof ValidationException || q instanceof ConfigException, option + ": " + q);
            // Named as Java names it, in the field and the message, whichever check refused it.
            String field = q instanceof ValidationException v ? v.getField() : ((ConfigException) q).getField();
            assertEquals(option, field, q.getMessage());
            assertTrue(q.getMessage().contains(option), option + " not named in: " + q.getMessage());
        } catch (Throwable t) {
            fail(option + ": " + t);
        }
    }

    @Test
    void extremeDurationsAndAmountsAreTypedErrors() {
        Duration[] extremes = {Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), Duration.ofMillis(Long.MAX_VALUE),
            Duration.ofMillis(-1), Duration.ofSeconds(Long.MIN_VALUE)};
        List<String> names = List.of("timeout", "connectTimeout", "reconcileTimeout", "retryBaseDelay", "retryMaxDelay");
        for (Duration d : extremes) {
            for (String name : names) {
                extreme(name, () -> {
                    QfPayClient.Builder b = sandbox.clientBuilder();
                    switch (name) {
                        case "timeout" -> b.timeout(d);
                        case "connectTimeout" -> b.connectTimeout(d);
                        case "reconcileTimeout" -> b.reconcileTimeout(d);
                        case "retryBaseDelay" -> b.retryBaseDelay(d);
                        default -> b.retryMaxDelay(d);
                    }
                    try (QfPayClient c = b.build()) {
                        c.wechatQr(1001, "HKD");
                    }
                });
            }
            extreme("timeout", () -> client.query(QueryRequest.byOutTradeNo("qfX"), CallOptions.timeout(d)));
            extreme("timeout", () -> client.createPayment(PaymentRequest.wechatQr(1001, "HKD").build(), CallOptions.timeout(d)));
            extreme("timeout", () -> client.waitForPayment("qfX", d));
            extreme("interval", () -> client.waitForPayment("qfX", Duration.ofMillis(10), d, Duration.ofMillis(10)));
            extreme("delay", () -> sandbox.injectDelay(d, 0));
        }
        for (Duration zero : List.of(Duration.ZERO)) {
            for (String name : names) {
                extreme(name, () -> {
                    QfPayClient.Builder b = sandbox.clientBuilder();
                    switch (name) {
                        case "timeout" -> b.timeout(zero);
                        case "connectTimeout" -> b.connectTimeout(zero);
                        case "reconcileTimeout" -> b.reconcileTimeout(zero);
                        case "retryBaseDelay" -> b.retryBaseDelay(zero);
                        default -> b.retryMaxDelay(zero);
                    }
                    try (QfPayClient c = b.build()) {
                        c.query(QueryRequest.byOutTradeNo("qfX"));
                    } catch (RequestTimeoutException | NetworkException acceptable) {
                        // a zero deadline may simply expire
                    }
                });
            }
        }
        extreme("maxRetries", () -> sandbox.clientBuilder().maxRetries(-1).build().close());
        for (long amount : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1, 0}) {
            extreme("txamt", () -> client.wechatQr(amount, "HKD"));
            extreme("txamt", () -> client.refund(RefundRequest.of("20261201000100020000000001", amount, "HKD")));
        }
        extreme("expired_time", () -> client.createPayment(PaymentRequest.wechatQr(300, "HKD").expiredTime(Integer.MIN_VALUE).build()));
    }

    // ---- (8) null and invalid builder values name the argument ----

    @Test
    void nullArgumentsAreTypedErrorsNamingTheArgument() {
        // A request field is named as QFPay names it; the message names the Java argument.
        ValidationException currency = assertThrows(ValidationException.class, () -> PaymentRequest.wechatQr(1, null));
        assertEquals("txcurrcd", currency.getField());
        assertEquals("invalid txcurrcd: currency is required (got null)", currency.getMessage());
        assertEquals("pay_type", assertThrows(ValidationException.class, () -> PaymentRequest.builder(1, "HKD", null)).getField());
        assertEquals("out_trade_no", assertThrows(ValidationException.class, () -> client.findPayment(null)).getField());
        assertEquals("request", assertThrows(ValidationException.class, () -> client.createPayment(null)).getField());
        assertEquals("appCode", assertThrows(ValidationException.class, () -> QfPayClient.builder().appCode(null)).getField());
        assertEquals("timeout", assertThrows(ValidationException.class, () -> QfPayClient.builder().timeout(null)).getField());
        assertEquals("syssn", assertThrows(ValidationException.class, () -> RefundRequest.of(null, 1, "HKD")).getField());
        assertEquals("out_trade_no", assertThrows(ValidationException.class, () -> CancelRequest.byOutTradeNo(null, 1, "HKD")).getField());
        assertEquals("key", assertThrows(ValidationException.class, () -> Signing.sign(java.util.Map.of(), null, SignType.MD5)).getField());
        CompletionException async = assertThrows(CompletionException.class, () -> client.createPaymentAsync(null).join());
        assertInstanceOf(ValidationException.class, async.getCause());
    }

    // ---- issue 10: per-call options, closed client, closeOrder, items ----

    @Test
    void perCallTimeoutAndRetries() {
        sandbox.injectDelay(Duration.ofMillis(1000), 1);
        long t0 = System.nanoTime();
        assertThrows(RequestTimeoutException.class,
                () -> client.query(QueryRequest.byOutTradeNo("qfX"), CallOptions.timeout(Duration.ofMillis(200))));
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 900);
        long before = sandbox.requestCount();
        sandbox.injectHttpStatus(503, 1);
        assertThrows(ServerException.class,
                () -> client.query(QueryRequest.byOutTradeNo("qfX"), CallOptions.builder().maxRetries(0).build()));
        assertEquals(before + 1, sandbox.requestCount());
        sandbox.injectHttpStatus(503, 1);
        assertEquals(0, client.query(QueryRequest.byOutTradeNo("qfX"), CallOptions.builder().maxRetries(2).build()).getData().size());
    }

    @Test
    void aClosedClientSaysClientClosed() {
        QfPayClient c = sandbox.client();
        c.close();
        c.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.wechatQr(1001, "HKD"));
        assertEquals("client closed", e.getMessage());
        assertThrows(IllegalStateException.class, c::getBaseUrl);
    }

    @Test
    void itemsIterateAcrossPages() {
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < 5; i++) numbers.add(client.wechatQr(1001, "HKD").getOutTradeNo());
        List<String> seen = new ArrayList<>();
        for (Transaction t : client.queryPages(QueryRequest.builder().outTradeNo(numbers.toArray(new String[0])).pageSize(2).build()).items()) {
            seen.add(t.getOutTradeNo());
        }
        seen.sort(null);
        numbers.sort(null);
        assertEquals(numbers, seen);
    }

    @Test
    void sandboxRateLimitIsOnByDefault() {
        try (Sandbox sb = Sandbox.start(); QfPayClient c = sb.clientBuilder().maxRetries(0).build()) {
            int limited = 0;
            for (int i = 0; i < 130 && limited == 0; i++) {
                try {
                    c.query(QueryRequest.byOutTradeNo("qfX"));
                } catch (RateLimitedException e) {
                    limited++;
                }
            }
            assertTrue(limited > 0, "no 429 in 130 quick requests");
        }
    }

    // ---- the fault soak: ~20 % faults, 32 threads, a few hundred payments ----

    @Test
    void faultSoakAgainstTheSandboxOrders() throws Exception {
        final int threads = 32;
        final int perThread = 10;
        try (Sandbox sb = Sandbox.builder().rateLimit(false).start();
             QfPayClient c = sb.clientBuilder().reconcileTimeout(Duration.ofSeconds(3)).timeout(Duration.ofSeconds(10)).build()) {
            List<String> ok = java.util.Collections.synchronizedList(new ArrayList<>());
            List<String> unknown = java.util.Collections.synchronizedList(new ArrayList<>());
            List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
            List<String> unnamed = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.Random seed = new java.util.Random(9);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long s = seed.nextLong();
                done.add(pool.submit(() -> {
                    java.util.Random rnd = new java.util.Random(s);
                    for (int i = 0; i < perThread; i++) {
                        if (rnd.nextInt(100) < 20) {
                            Fault[] faults = {Fault.drop(), Fault.httpStatus(503), Fault.malformed(), Fault.delay(Duration.ofMillis(300)), Fault.httpStatus(502)};
                            sb.injectFault(faults[rnd.nextInt(faults.length)], 1);
                        }
                        try {
                            Payment p = c.wechatQr(1001, "HKD");
                            ok.add(p.getOutTradeNo() + " " + p.getTxamt());
                        } catch (StatusUnknownException e) {
                            if (e.getOutTradeNo().isEmpty()) unnamed.add(e.toString());
                            unknown.add(e.getOutTradeNo());
                        } catch (QfPayException e) {
                            if (e.getOutTradeNo() == null) unnamed.add(e.toString());
                            else failed.add(e.getOutTradeNo());
                        }
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : done) f.get(240, TimeUnit.SECONDS);
            pool.shutdown();
            assertEquals(List.of(), unnamed, "errors without their order");
            JSONArray orders = new JSONArray(sb.orders());
            java.util.Map<String, JSONObject> byNumber = new java.util.HashMap<>();
            int doubled = 0;
            for (int i = 0; i < orders.length(); i++) {
                JSONObject o = orders.getJSONObject(i);
                if (!o.getString("kind").equals("payment")) continue;
                if (byNumber.put(o.getString("out_trade_no"), o) != null) doubled++;
            }
            int lost = 0, wrong = 0;
            for (String line : ok) {
                String[] parts = line.split(" ");
                JSONObject o = byNumber.get(parts[0]);
                if (o == null) { lost++; continue; }
                if (o.getLong("txamt") != Long.parseLong(parts[1]) || !o.getString("state").equals("succeeded")) wrong++;
            }
            java.util.Set<String> known = new java.util.HashSet<>();
            ok.forEach(l -> known.add(l.split(" ")[0]));
            known.addAll(unknown);
            known.addAll(failed);
            for (String n : byNumber.keySet()) if (!known.contains(n)) lost++;
            for (String n : failed) {
                JSONObject o = byNumber.get(n);
                if (o != null && o.getString("state").equals("succeeded")) wrong++;   // reported failed, but paid
            }
            assertEquals(threads * perThread, ok.size() + unknown.size() + failed.size());
            assertEquals(0, doubled, "doubled");
            assertEquals(0, lost, "lost");
            assertEquals(0, wrong, "wrong");
            assertTrue(ok.size() >= threads * perThread * 7 / 10, "only " + ok.size() + " succeeded; unknown " + unknown.size() + ", failed " + failed.size());
        }
    }

    /** join() with the cause checked. */
    static final class ExecutionExceptionCheck {
        static void assertCause(Class<? extends Throwable> type, CompletableFuture<?> f) throws Exception {
            try {
                f.get(10, TimeUnit.SECONDS);
                fail("expected " + type.getSimpleName());
            } catch (java.util.concurrent.ExecutionException e) {
                assertInstanceOf(type, e.getCause());
            }
        }
    }
}
