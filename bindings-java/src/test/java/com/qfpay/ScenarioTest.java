package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox scenarios (the same as the Python and Node suites) through the Java API. */
class ScenarioTest {
    private static Sandbox sandbox;
    private static QfPayClient client;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.builder().rateLimit(false).slowResponse(Duration.ofMillis(300)).start();
        client = sandbox.client();
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    @Test
    void wechatQrScanQueryRefund() {
        Payment payment = client.createPayment(PaymentRequest.wechatQr(2500, "HKD").goodsName("Coffee").build());
        assertEquals("0000", payment.getRespcd());
        assertEquals("800201", payment.getPayType());
        assertEquals(2500L, payment.getTxamt());
        assertTrue(payment.getQrcode().startsWith("weixin://"), payment.getQrcode());
        assertEquals(payment.getQrcode(), payment.getRaw().get("qrcode"));
        assertTrue(Qr.svg(payment.getQrcode()).contains("<svg"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(Qr.png(payment.getQrcode()), 4));

        Transaction found = client.findPayment(payment.getOutTradeNo());
        assertNotNull(found);
        assertEquals(TransactionState.PENDING, found.getState());
        assertFalse(found.isPaid());

        JSONObject record = new JSONObject(sandbox.pay(payment.getOutTradeNo()));
        assertEquals("0000", record.getString("respcd"));

        Transaction paid = client.findPayment(payment.getOutTradeNo());
        assertNotNull(paid);
        assertEquals(TransactionState.SUCCEEDED, paid.getState());
        assertTrue(paid.isPaid());
        assertEquals(payment.getSyssn(), paid.getSyssn());

        QueryPage page = client.query(QueryRequest.bySyssn(payment.getSyssn()));
        assertEquals(1, page.getData().size());
        assertEquals(payment.getOutTradeNo(), page.getData().get(0).getOutTradeNo());
        assertEquals(2500L, page.getData().get(0).getTxamt());

        Refund refund = client.refund(RefundRequest.of(payment.getSyssn(), 1000, "HKD"));
        assertEquals("0000", refund.getRespcd());
        assertEquals(1000L, refund.getTxamt());
        assertEquals(payment.getSyssn(), refund.getOrigSyssn());
        assertEquals(TransactionState.PARTIALLY_REFUNDED, client.findPayment(payment.getOutTradeNo()).getState());

        assertEquals(1500L, client.refund(RefundRequest.of(payment.getSyssn(), 1500, "HKD")).getTxamt());
        assertEquals(TransactionState.REFUNDED, client.findPayment(payment.getOutTradeNo()).getState());

        ApiException e = assertThrows(ApiException.class, () -> client.refund(RefundRequest.of(payment.getSyssn(), 1, "HKD")));
        assertTrue(e.getCode().equals("refund_rejected") || e.getCode().equals("order_state"), e.getCode());
        assertNotNull(e.getRespcd());
    }

    @Test
    void paidAtOnceThenWait() {
        Payment p = client.wechatQr(1001, "HKD");
        Transaction t = client.waitForPayment(p.getOutTradeNo(), Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(100));
        assertEquals(TransactionState.SUCCEEDED, t.getState());
    }

    @Test
    void pendingThenWait() {
        Payment p = client.wechatQr(1002, "HKD");
        Transaction t = client.waitForPayment(p.getOutTradeNo(), Duration.ofSeconds(10), Duration.ofMillis(50), Duration.ofMillis(100));
        assertEquals(TransactionState.SUCCEEDED, t.getState());
        assertEquals(p.getOutTradeNo(), t.getOutTradeNo());
    }

    @Test
    void waitTimesOutWithStatusUnknown() {
        Payment p = client.wechatQr(777, "HKD");
        StatusUnknownException e = assertThrows(StatusUnknownException.class,
                () -> client.waitForPayment(p.getOutTradeNo(), Duration.ofMillis(300), Duration.ofMillis(50), Duration.ofMillis(50)));
        assertEquals(p.getOutTradeNo(), e.getOutTradeNo());
        assertEquals("status_unknown", e.getCode());
    }

    @Test
    void declined() {
        DeclinedException e = assertThrows(DeclinedException.class, () -> client.wechatQr(1003, "HKD"));
        assertInstanceOf(ApiException.class, e);
        assertInstanceOf(QfPayException.class, e);
        assertInstanceOf(RuntimeException.class, e);
        assertEquals("declined", e.getCode());
        assertEquals("1201", e.getRespcd());
        assertNotNull(e.getResperr());
        assertEquals(200, e.getHttpStatus());
        assertTrue(e.getMessage().contains("1201"));
    }

    @Test
    void duplicateOrder() {
        String number = QfPay.generateOutTradeNo();
        client.createPayment(PaymentRequest.wechatQr(300, "HKD").outTradeNo(number).build());
        DuplicateOrderException e = assertThrows(DuplicateOrderException.class,
                () -> client.createPayment(PaymentRequest.wechatQr(300, "HKD").outTradeNo(number).build()));
        assertEquals("duplicate_order", e.getCode());
        assertNotNull(e.getRespcd());
    }

    @Test
    void pendingOnCreateIsStatusUnknown() {
        try (QfPayClient c = sandbox.clientBuilder().reconcileTimeout(Duration.ofMillis(300)).build()) {
            StatusUnknownException e = assertThrows(StatusUnknownException.class,
                    () -> c.createPayment(PaymentRequest.wechatQr(1004, "HKD").outTradeNo("qfJPENDING1004").build()));
            assertEquals("qfJPENDING1004", e.getOutTradeNo());
            assertTrue(List.of("1143", "1145").contains(e.getRespcd()), e.getRespcd());
            sandbox.pay("qfJPENDING1004");
            assertEquals(TransactionState.SUCCEEDED, c.findPayment("qfJPENDING1004").getState());
        }
    }

    @Test
    void serverErrorReconcilesToTheCreatedOrder() {
        try {
            Payment p = client.createPayment(PaymentRequest.wechatQr(1006, "HKD").outTradeNo("qfJSERVER1006").build());
            assertEquals("qfJSERVER1006", p.getOutTradeNo());
        } catch (StatusUnknownException e) {
            assertEquals("qfJSERVER1006", e.getOutTradeNo());
        }
    }

    @Test
    void rateLimited() {
        try (QfPayClient c = sandbox.clientBuilder().maxRetries(0).build()) {
            RateLimitedException e = assertThrows(RateLimitedException.class, () -> c.wechatQr(1007, "HKD"));
            assertEquals("rate_limited", e.getCode());
            assertEquals(Duration.ofSeconds(1), e.getRetryAfter());
        }
    }

    @Test
    void closeUnpaidOrder() {
        Payment p = client.wechatQr(400, "HKD");
        Cancellation closed = client.closeOrder(CancelRequest.byOutTradeNo(p.getOutTradeNo(), 400, "HKD"));
        assertEquals("0000", closed.getRespcd());
        assertEquals(TransactionState.CANCELLED, client.findPayment(p.getOutTradeNo()).getState());
        assertThrows(OrderStateException.class, () -> client.closeOrder(CancelRequest.byOutTradeNo(p.getOutTradeNo(), 400, "HKD")));
    }

    @Test
    void reverse() {
        Payment p = client.wechatQr(450, "HKD");
        assertEquals("0000", client.reverse(CancelRequest.bySyssn(p.getSyssn(), 450, "HKD")).getRespcd());
    }

    @Test
    void queryPagesAndFindNone() {
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < 3; i++) numbers.add(client.wechatQr(1001, "HKD").getOutTradeNo());
        List<QueryPage> pages = new ArrayList<>();
        client.queryPages(QueryRequest.builder().outTradeNo(numbers.toArray(new String[0])).pageSize(2).build()).forEach(pages::add);
        assertEquals(2, pages.get(0).getData().size());
        assertEquals(1, pages.get(1).getData().size());
        List<String> seen = new ArrayList<>();
        for (QueryPage pg : pages) {
            for (Transaction t : pg) seen.add(t.getOutTradeNo());
        }
        seen.sort(null);
        numbers.sort(null);
        assertEquals(numbers, seen);
        assertNull(client.findPayment("qfNOSUCHORDER"));
    }

    @Test
    void badInputRejectedBeforeSending() {
        long before = sandbox.requestCount();
        assertEquals("txamt", assertThrows(ValidationException.class, () -> client.wechatQr(0, "HKD")).getField());
        assertEquals("txcurrcd", assertThrows(ValidationException.class, () -> client.wechatQr(300, "XYZ")).getField());
        assertEquals("goods_name", assertThrows(ValidationException.class,
                () -> client.createPayment(PaymentRequest.wechatQr(300, "HKD").goodsName("x".repeat(65)).build())).getField());
        assertEquals("extend_info.user_creid", assertThrows(ValidationException.class,
                () -> client.createPayment(PaymentRequest.wechatQr(300, "HKD").realName("123", "A").build())).getField());
        assertEquals("syssn", assertThrows(ValidationException.class,
                () -> client.closeOrder(CancelRequest.builder(300, "HKD").build())).getField());
        assertEquals("page_size", assertThrows(ValidationException.class,
                () -> client.query(QueryRequest.builder().pageSize(1000).build())).getField());
        ValidationException e = assertThrows(ValidationException.class,
                () -> client.createPayment(PaymentRequest.wechatQr(300, "HKD").expiredTime(-1).build()));
        assertEquals("expired_time", e.getField());
        assertEquals("validation", e.getCode());
        assertEquals(before, sandbox.requestCount());
    }

    @Test
    void realNameExtendInfoAccepted() {
        assertEquals("0000", client.createPayment(PaymentRequest.wechatQr(300, "HKD").realName("11010519491231002X", "小林").build()).getRespcd());
        assertEquals("0000", client.createPayment(PaymentRequest.wechatQr(300, "HKD")
                .extendInfoJson("{\"user_creid\":\"11010519491231002X\",\"user_truename\":\"\\u5c0f\\u6797\"}").build()).getRespcd());
    }

    @Test
    void timeoutIsATimeoutError() {
        try (QfPayClient c = sandbox.clientBuilder().timeout(Duration.ofMillis(200)).build()) {
            sandbox.injectDelay(Duration.ofMillis(800), 1);
            RequestTimeoutException e = assertThrows(RequestTimeoutException.class, () -> c.query(QueryRequest.byOutTradeNo("qfSLOW")));
            assertEquals("timeout", e.getCode());
        }
    }

    @Test
    void networkErrorWhenNothingListens() {
        try (QfPayClient c = QfPayClient.builder().credentials("APP", "KEY").baseUrl("http://127.0.0.1:9")
                .maxRetries(0).connectTimeout(Duration.ofMillis(500)).build()) {
            NetworkException e = assertThrows(NetworkException.class, () -> c.query(QueryRequest.byOutTradeNo("qfX")));
            assertFalse(e.getSent());
        }
    }

    @Test
    void wrongKeyIsAuthError() {
        try (QfPayClient c = QfPayClient.builder().credentials(sandbox.getAppCode(), "WRONGKEY").baseUrl(sandbox.getBaseUrl()).build()) {
            assertEquals("1108", assertThrows(AuthException.class, () -> c.query(QueryRequest.byOutTradeNo("qfX"))).getRespcd());
        }
    }

    @Test
    void mchidMerchant() {
        try (Sandbox sb = Sandbox.builder().credentials("APPMCH", "KEYMCH").mchid("MCH0001").start();
             QfPayClient c = sb.client()) {
            assertEquals("MCH0001", sb.getMchid());
            assertEquals("0000", c.wechatQr(1001, "HKD").getRespcd());
            assertTrue(sb.requests().contains("MCH0001"));
        }
    }

    @Test
    void injectedFaults() {
        try (QfPayClient c = sandbox.clientBuilder().maxRetries(0).reconcileTimeout(Duration.ofMillis(300)).build()) {
            sandbox.injectFault(Fault.httpStatus(503), 1);
            assertThrows(ServerException.class, () -> c.query(QueryRequest.byOutTradeNo("qfX")));
            sandbox.injectFault(Fault.malformed(), 1);
            assertThrows(DecodeException.class, () -> c.query(QueryRequest.byOutTradeNo("qfX")));
            sandbox.injectFault(Fault.drop(), 1);
            Payment p = null;
            try {
                p = c.createPayment(PaymentRequest.wechatQr(1001, "HKD").outTradeNo("qfJDROP1").build());
            } catch (StatusUnknownException e) {
                assertEquals("qfJDROP1", e.getOutTradeNo());
            }
            if (p != null) assertEquals("qfJDROP1", p.getOutTradeNo()); // reconciled by querying
        }
    }

    @Test
    void fromEnvironment() {
        // Surefire sets QFPAY_APP_CODE=ENVAPP, QFPAY_CLIENT_KEY=ENVKEY, QFPAY_BASE_URL=http://127.0.0.1:9.
        try (QfPayClient c = QfPayClient.fromEnv()) {
            assertEquals("http://127.0.0.1:9", c.getBaseUrl());
        }
        try (QfPayClient c = QfPayClient.builder().fromEnv().baseUrl(sandbox.getBaseUrl()).build()) {
            assertEquals("1108", assertThrows(AuthException.class, () -> c.query(QueryRequest.byOutTradeNo("qfX"))).getRespcd());
        }
    }

    @Test
    void configErrors() {
        assertEquals("appCode", assertThrows(ConfigException.class,
                () -> QfPayClient.builder().baseUrl("http://127.0.0.1:9").build()).getField());
        assertEquals("environment", assertThrows(ConfigException.class,
                () -> QfPayClient.builder().credentials("A", "K").environment("mars").build()).getField());
        assertTrue(client.getUserAgent().startsWith("qfpay-java/" + QfPay.VERSION), client.getUserAgent());
    }

    @Test
    void asyncVariants() {
        Payment p = client.wechatQrAsync(1001, "HKD").join();
        assertEquals("0000", p.getRespcd());
        assertEquals(TransactionState.SUCCEEDED, client.findPaymentAsync(p.getOutTradeNo()).join().getState());
        assertEquals(TransactionState.SUCCEEDED,
                client.waitForPaymentAsync(p.getOutTradeNo(), Duration.ofSeconds(5)).join().getState());
        assertEquals(1, client.queryAsync(QueryRequest.byOutTradeNo(p.getOutTradeNo())).join().getData().size());
        assertEquals(1, client.queryAllAsync(QueryRequest.byOutTradeNo(p.getOutTradeNo())).join().size());
        assertEquals(300L, client.refundAsync(RefundRequest.of(p.getSyssn(), 300, "HKD")).join().getTxamt());
        Payment q = client.createPaymentAsync(PaymentRequest.wechatQr(500, "HKD").build()).join();
        assertEquals("0000", client.closeOrderAsync(CancelRequest.byOutTradeNo(q.getOutTradeNo(), 500, "HKD")).join().getRespcd());
        Payment r = client.wechatQr(600, "HKD");
        assertEquals("0000", client.reverseAsync(CancelRequest.bySyssn(r.getSyssn(), 600, "HKD")).join().getRespcd());
        CompletionException e = assertThrows(CompletionException.class, () -> client.wechatQrAsync(1003, "HKD").join());
        assertInstanceOf(DeclinedException.class, e.getCause());
    }
}
