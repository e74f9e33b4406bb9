package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 23 (one name per concept, by the language's convention) on the JVM: every duration is a
 * {@link Duration} (no millisecond or second numbers, no overloads taking them), the QR helpers
 * are reached one way ({@link Qr}), and {@code wechatQr} takes the per-call options every other
 * operation takes.
 */
class NamingTest {
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

    private static final Set<Class<?>> NUMBERS =
            Set.of(long.class, Long.class, double.class, Double.class, float.class, Float.class);

    /** Every overload of [name] on [c]: at least one, none taking a number, one taking a Duration. */
    private static void durationOnly(Class<?> c, String name, List<String> problems) {
        List<Method> overloads = new ArrayList<>();
        for (Method m : c.getMethods()) if (m.getName().equals(name)) overloads.add(m);
        if (overloads.isEmpty()) {
            problems.add(c.getSimpleName() + "." + name + " is missing");
            return;
        }
        boolean takesDuration = false;
        for (Method m : overloads) {
            for (Class<?> p : m.getParameterTypes()) {
                if (NUMBERS.contains(p)) problems.add(c.getSimpleName() + "." + name + " takes a " + p.getSimpleName() + ": " + m);
                if (p == Duration.class) takesDuration = true;
            }
        }
        if (!takesDuration) problems.add(c.getSimpleName() + "." + name + " takes no Duration");
    }

    @Test
    void everyDurationIsAJavaTimeDuration() throws Exception {
        List<String> problems = new ArrayList<>();
        for (String m : List.of("timeout", "connectTimeout", "reconcileTimeout", "retryBaseDelay", "retryMaxDelay", "retryDelay")) {
            durationOnly(QfPayClient.Builder.class, m, problems);
        }
        durationOnly(CallOptions.Builder.class, "timeout", problems);
        durationOnly(CallOptions.class, "timeout", problems);
        durationOnly(QfPayClient.class, "waitForPayment", problems);
        durationOnly(QfPayClient.class, "waitForPaymentAsync", problems);
        durationOnly(Sandbox.Builder.class, "slowResponse", problems);
        durationOnly(Sandbox.class, "injectDelay", problems);
        durationOnly(Sandbox.class, "advanceClock", problems);
        durationOnly(Fault.class, "delay", problems);
        assertEquals(Duration.class, RateLimitedException.class.getMethod("getRetryAfter").getReturnType());
        // No millisecond or second variant left beside them (the event's elapsedMs and the
        // utcOffsetSeconds setting keep the unit in their canonical names).
        for (Class<?> c : List.of(QfPayClient.class, QfPayClient.Builder.class, CallOptions.class, CallOptions.Builder.class,
                Sandbox.class, Sandbox.Builder.class, Fault.class, RateLimitedException.class)) {
            for (Method m : c.getMethods()) {
                String n = m.getName();
                if ((n.endsWith("Ms") || n.endsWith("Millis") || n.endsWith("Seconds")) && !n.equals("utcOffsetSeconds")) {
                    problems.add(c.getSimpleName() + "." + n);
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void advanceClockTakesADuration() {
        sandbox.advanceClock(Duration.ofMinutes(5));
        sandbox.advanceClock(Duration.ofMinutes(-5));
        ValidationException e = assertThrows(ValidationException.class, () -> sandbox.advanceClock(null));
        assertEquals("duration", e.getField());
        ValidationException far = assertThrows(ValidationException.class, () -> sandbox.advanceClock(Duration.ofDays(365L * 200)));
        assertEquals("duration", far.getField(), far.getMessage());
    }

    @Test
    void theQrHelpersAreReachedOneWay() {
        for (Method m : Payment.class.getMethods()) {
            assertTrue(!m.getName().toLowerCase(java.util.Locale.ROOT).startsWith("qr"), "Payment." + m.getName() + ": use Qr.svg(payment.getQrcode())");
        }
        Payment p = client.wechatQr(1001, "HKD");
        assertTrue(Qr.svg(p.getQrcode()).contains("<svg"));
        assertTrue(Qr.png(p.getQrcode()).length > 0);
    }

    @Test
    void wechatQrTakesThePerCallOptions() {
        long before = sandbox.requestCount();
        CallOptions zero = CallOptions.timeout(Duration.ZERO);
        ValidationException e = assertThrows(ValidationException.class, () -> client.wechatQr(1001, "HKD", zero));
        assertEquals("timeout", e.getField(), e.getMessage());
        CompletionException async = assertThrows(CompletionException.class, () -> client.wechatQrAsync(1001, "HKD", zero).join());
        assertEquals("timeout", assertInstanceOf(ValidationException.class, async.getCause()).getField());
        assertEquals(before, sandbox.requestCount(), "a request was sent");
        CallOptions options = CallOptions.builder().timeout(Duration.ofSeconds(10)).maxRetries(0).build();
        assertEquals("0000", client.wechatQr(1001, "HKD", options).getRespcd());
        assertEquals("0000", client.wechatQrAsync(1001, "HKD", options).join().getRespcd());
    }
}
