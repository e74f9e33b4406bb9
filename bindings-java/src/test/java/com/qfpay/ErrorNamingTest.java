package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 22 (5) on the JVM: errors name a request field as QFPay does (the message names the Java
 * argument when it differs) and an option by its Java name, never by a core/Rust-internal one;
 * nothing the SDK throws is a non-SDK exception; a zero deadline is refused before anything is
 * sent.
 */
class ErrorNamingTest {
    static Sandbox sandbox;
    static QfPayClient client;

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

    static void named(String field, ValidationException e) {
        assertEquals(field, e.getField(), e.getMessage());
        assertTrue(e.getMessage().startsWith("invalid " + field + ": "), e.getMessage());
    }

    @Test
    void aZeroPerCallTimeoutIsRefusedBeforeAnythingIsSent() {
        long before = sandbox.requestCount();
        CallOptions zero = CallOptions.timeout(Duration.ZERO);
        ValidationException q = assertThrows(ValidationException.class, () -> client.query(QueryRequest.byOutTradeNo("qfX"), zero));
        named("timeout", q);
        assertEquals("invalid timeout: must be greater than zero", q.getMessage());
        named("timeout", assertThrows(ValidationException.class,
                () -> client.createPayment(PaymentRequest.wechatQr(1001, "HKD").build(), zero)));
        named("timeout", assertThrows(ValidationException.class, () -> client.findPayment("qfX", zero)));
        named("timeout", assertThrows(ValidationException.class, () -> client.refund(RefundRequest.of("2026", 1, "HKD"), zero)));
        CompletionException async = assertThrows(CompletionException.class,
                () -> client.findPaymentAsync("qfX", zero).join());
        named("timeout", assertInstanceOf(ValidationException.class, async.getCause()));
        assertEquals(before, sandbox.requestCount(), "a request was sent");
        // One millisecond is a deadline (it may expire): not refused.
        assertThrows(QfPayException.class, () -> {
            sandbox.injectDelay(Duration.ofMillis(200), 1);
            client.query(QueryRequest.byOutTradeNo("qfX"), CallOptions.timeout(Duration.ofMillis(1)));
        });
    }

    @Test
    void zeroClientDeadlinesNameTheJavaOption() {
        // The core's rule, a ConfigException naming the Java option, as in every language.
        ConfigException t = assertThrows(ConfigException.class, () -> sandbox.clientBuilder().timeout(Duration.ZERO).build());
        assertEquals("timeout", t.getField(), t.getMessage());
        assertEquals("configuration error: timeout must be greater than zero", t.getMessage());
        ConfigException c = assertThrows(ConfigException.class,
                () -> sandbox.clientBuilder().connectTimeout(Duration.ZERO).build());
        assertEquals("connectTimeout", c.getField(), c.getMessage());
        assertFalse(c.getMessage().contains("connect_timeout"), c.getMessage());
    }

    @Test
    void optionsAreNamedAsJavaNamesThem() {
        named("maxRetries", assertThrows(ValidationException.class, () -> sandbox.clientBuilder().maxRetries(-1).build()));
        named("maxRetries", assertThrows(ValidationException.class,
                () -> client.query(QueryRequest.byOutTradeNo("qfX"), CallOptions.builder().maxRetries(-1).build())));
        named("retryBaseDelay", assertThrows(ValidationException.class,
                () -> sandbox.clientBuilder().retryBaseDelay(Duration.ofMillis(-1)).build()));
        named("reconcileTimeout", assertThrows(ValidationException.class,
                () -> sandbox.clientBuilder().reconcileTimeout(Duration.ofMillis(-1)).build()));
        named("maxInterval", assertThrows(ValidationException.class,
                () -> client.waitForPayment("qfX", Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMillis(-1))));
        named("pendingQueries", assertThrows(ValidationException.class, () -> Sandbox.builder().pendingQueries(-1).start()));
        named("slowResponse", assertThrows(ValidationException.class,
                () -> Sandbox.builder().slowResponse(Duration.ofMillis(-1)).start()));
        // A port of the right type that cannot work is the sandbox reader's configuration error
        // (a wrong type or a broken rule such as -1 is a validation error), naming the option.
        ConfigException port = assertThrows(ConfigException.class, () -> Sandbox.builder().port(70000).start());
        assertEquals("port", port.getField(), port.getMessage());
        assertEquals("configuration error: port " + port.getRule(), port.getMessage());
        named("port", assertThrows(ValidationException.class, () -> Sandbox.builder().port(-1).start()));
    }

    @Test
    void requestFieldsAreQfpaysNamesWhateverTheProblem() {
        // null, a broken rule and a lone surrogate on the same argument give the same field
        named("txcurrcd", assertThrows(ValidationException.class, () -> PaymentRequest.wechatQr(1001, null)));
        named("txcurrcd", assertThrows(ValidationException.class, () -> client.wechatQr(1001, "XYZ")));
        named("txcurrcd", assertThrows(ValidationException.class, () -> PaymentRequest.wechatQr(1001, "HK\ud800")));
        named("out_trade_no", assertThrows(ValidationException.class, () -> client.findPayment(null)));
        named("out_trade_no", assertThrows(ValidationException.class, () -> client.waitForPayment(null)));
        named("out_trade_no", assertThrows(ValidationException.class, () -> QueryRequest.byOutTradeNo(null)));
        named("pay_type", assertThrows(ValidationException.class, () -> QueryRequest.builder().payType((String) null)));
        named("syssn", assertThrows(ValidationException.class, () -> CancelRequest.bySyssn(null, 1, "HKD")));
        ValidationException w = assertInstanceOf(ValidationException.class,
                assertThrows(CompletionException.class, () -> client.waitForPaymentAsync(null).join()).getCause());
        named("out_trade_no", w);
        assertTrue(w.getMessage().contains("outTradeNo"), w.getMessage());
    }

    @Test
    void signingRefusesNullAndNonStringEntriesAsValidation() {
        Map<String, String> withNull = new HashMap<>();
        withNull.put("txamt", "1");
        withNull.put("mchid", null);
        named("mchid", assertThrows(ValidationException.class, () -> Signing.sign(withNull, "K", SignType.MD5)));
        named("mchid", assertThrows(ValidationException.class, () -> Signing.stringToSign(withNull)));
        Map<String, String> nullName = new HashMap<>();
        nullName.put(null, "1");
        named("params", assertThrows(ValidationException.class, () -> Signing.sign(nullName, "K", SignType.MD5)));
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> notText = (Map) Map.of("txamt", 1);
        named("txamt", assertThrows(ValidationException.class, () -> Signing.sign(notText, "K", SignType.MD5)));
        named("params", assertThrows(ValidationException.class, () -> Signing.sign(null, "K", SignType.MD5)));
    }

    @Test
    void exceptionsSurviveJavaSerialization() throws Exception {
        ValidationException v = assertThrows(ValidationException.class, () -> client.wechatQr(0, "HKD"));
        ValidationException back = (ValidationException) roundTrip(v);
        assertEquals(v.getMessage(), back.getMessage());
        assertEquals("txamt", back.getField());
        assertEquals(v.getRule(), back.getRule());
        assertEquals(v.getOutTradeNo(), back.getOutTradeNo());
        DeclinedException d = assertThrows(DeclinedException.class, () -> client.wechatQr(1003, "HKD"));
        DeclinedException d2 = (DeclinedException) roundTrip(d);
        assertEquals(d.getRespcd(), d2.getRespcd());
        assertEquals(d.getHttpStatus(), d2.getHttpStatus());
        assertEquals("declined", d2.getCode());
    }

    static Object roundTrip(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
