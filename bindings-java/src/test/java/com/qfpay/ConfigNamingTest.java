package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 23 (2, 5) on the JVM: every client option the core names (and the binding's own) is named
 * in an error's {@code getField()} and message as the builder method that sets it ({@code appCode},
 * {@code connectTimeout}, durations without a unit), never by the core's snake_case name. A
 * configuration error's message is {@code configuration error: <option> <rule>}.
 */
class ConfigNamingTest {
    static final String LOCAL = "http://127.0.0.1:9";
    /** Not loopback (a documentation address, never connected to): a proxy applies to it. */
    static final String REMOTE = "http://192.0.2.1:9";
    static final Duration CENTURIES = Duration.ofDays(365L * 200);

    static QfPayClient.Builder ok() {
        return QfPayClient.builder().credentials("A", "K").baseUrl(LOCAL);
    }

    static void build(QfPayClient.Builder b) {
        b.build().close();
    }

    /** Option (Java), the core's name, the class, what breaks it. */
    static Stream<Arguments> options() {
        return Stream.of(
                row("appCode", "app_code", ConfigException.class,
                        () -> build(QfPayClient.builder().clientKey("K").baseUrl(LOCAL))),
                row("appCode", "app_code", ConfigException.class, () -> build(ok().appCode("A B"))),
                row("appCode", "app_code", ConfigException.class, () -> build(ok().appCode("A".repeat(200)))),
                row("clientKey", "client_key", ConfigException.class,
                        () -> build(QfPayClient.builder().appCode("A").baseUrl(LOCAL))),
                row("clientKey", "client_key", ConfigException.class,
                        () -> Notifications.verify("{}".getBytes(StandardCharsets.UTF_8), "X", "")),
                row("environment", "environment", ConfigException.class, () -> build(ok().environment("mars"))),
                row("environment", "environment", ConfigException.class, () -> build(ok().environment("sandbox"))),
                row("baseUrl", "base_url", ConfigException.class, () -> build(ok().baseUrl("ftp://host"))),
                row("mchid", "mchid", ConfigException.class, () -> build(ok().mchid("1".repeat(17)))),
                // signType takes the SignType enum; its wrong-value error comes from QFPAY_SIGN_TYPE
                // (fromEnvNamesTheOption)
                row("signType", "sign_type", ValidationException.class, () -> ok().signType(null)),
                row("timeout", "timeout", ConfigException.class, () -> build(ok().timeout(Duration.ZERO))),
                row("timeout", "timeout", ValidationException.class, () -> build(ok().timeout(CENTURIES))),
                row("connectTimeout", "connect_timeout", ConfigException.class,
                        () -> build(ok().connectTimeout(Duration.ZERO))),
                row("connectTimeout", "connect_timeout", ValidationException.class,
                        () -> build(ok().connectTimeout(Duration.ofMillis(-1)))),
                row("reconcileTimeout", "reconcile_timeout", ValidationException.class,
                        () -> build(ok().reconcileTimeout(CENTURIES))),
                row("retryBaseDelay", "retry_base_delay", ValidationException.class,
                        () -> build(ok().retryBaseDelay(CENTURIES))),
                row("retryMaxDelay", "retry_max_delay", ValidationException.class,
                        () -> build(ok().retryMaxDelay(Duration.ofMillis(-1)))),
                row("utcOffsetSeconds", "utc_offset_seconds", ConfigException.class,
                        () -> build(ok().utcOffsetSeconds(15 * 3600))),
                row("proxy", "proxy", ConfigException.class, () -> build(ok().baseUrl(REMOTE).proxy("ftp://host:1"))),
                row("proxy", "proxy", ConfigException.class, () -> build(ok().baseUrl(REMOTE).proxy("not a proxy"))),
                // the binding's own options
                row("maxRetries", "max_retries", ValidationException.class, () -> build(ok().maxRetries(-1))),
                row("executor", "executor", ValidationException.class, () -> ok().executor(null)));
    }

    static Arguments row(String option, String core, Class<? extends QfPayException> kind, Executable e) {
        return Arguments.of(option, core, kind, e);
    }

    /** The exception names [option] as Java does, in its field and its message, and never [core] where they differ. */
    static void namesOption(String option, String core, QfPayException q) {
        String message = q.getMessage();
        if (q instanceof ConfigException c) {
            assertEquals("config", c.getCode());
            assertEquals(option, c.getField(), message);
            assertNotNull(c.getRule(), message);
            assertEquals("configuration error: " + option + " " + c.getRule(), message);
        } else {
            ValidationException v = assertInstanceOf(ValidationException.class, q);
            assertEquals(option, v.getField(), message);
            assertTrue(message.startsWith("invalid " + option + ": "), message);
        }
        if (!core.equals(option)) assertFalse(message.contains(core), "the core's name in: " + message);
    }

    @ParameterizedTest(name = "{0} ({1}): {2}")
    @MethodSource("options")
    void everyOptionIsNamedAsJavaNamesIt(String option, String core, Class<? extends QfPayException> kind, Executable e) {
        namesOption(option, core, assertThrows(kind, e));
    }

    /** QFPAY_* variables, read by {@code fromEnv()}: the option the variable sets is named. */
    static Stream<Arguments> environments() {
        return Stream.of(
                Arguments.of("signType", "sign_type", Map.of("QFPAY_SIGN_TYPE", "sha1")),
                Arguments.of("environment", "environment", Map.of("QFPAY_ENV", "mars")),
                Arguments.of("appCode", "app_code", Map.of("QFPAY_APP_CODE", "")),
                Arguments.of("proxy", "proxy", Map.of("QFPAY_BASE_URL", REMOTE, "QFPAY_PROXY", "ftp://host:1")));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("environments")
    void fromEnvNamesTheOption(String option, String core, Map<String, String> vars) throws Exception {
        String cp = Arrays.stream(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                        .split(File.pathSeparator))
                .filter(e -> !e.contains("logback"))
                .collect(Collectors.joining(File.pathSeparator));
        ProcessBuilder pb = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-cp", cp,
                "com.qfpay.ConfigNamingTest$FromEnvProbe");
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("QFPAY_") || k.toLowerCase().endsWith("_proxy"));
        env.put("QFPAY_APP_CODE", "A");
        env.put("QFPAY_CLIENT_KEY", "K");
        if (!vars.containsKey("QFPAY_ENV")) env.put("QFPAY_BASE_URL", LOCAL);
        env.putAll(vars);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);   // SLF4J's "no providers" notice
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        String[] parts = out.lines().reduce((a, b) -> b).orElse("").split("\t", -1);
        assertEquals(3, parts.length, out);
        assertEquals(option, parts[0], out);
        assertEquals("configuration error: " + option + " " + parts[1], parts[2]);
        if (!core.equals(option)) assertFalse(parts[2].contains(core), out);
    }

    /** Run in a child JVM: {@code QfPayClient.fromEnv()}, printing the ConfigException's field, rule and message. */
    public static final class FromEnvProbe {
        private FromEnvProbe() {}

        public static void main(String[] args) {
            try {
                QfPayClient.fromEnv().close();
                System.out.println("built");
            } catch (ConfigException e) {
                System.out.println(e.getField() + "\t" + e.getRule() + "\t" + e.getMessage());
            }
        }
    }
}
