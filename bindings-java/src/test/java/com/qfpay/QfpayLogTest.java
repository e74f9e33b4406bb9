package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * QFPAY_LOG without any SLF4J backend: the events go to stderr (a child JVM without logback).
 * The value is read by the core's one rule (qfpay::log_filter), so the CLI's filter form works
 * here too, and an unusable value is logging off plus one warning, never a failed call.
 */
class QfpayLogTest {
    /** Runs SelfCheck (one sandbox payment) with QFPAY_LOG=[value]; its stderr. */
    static String run(String value) throws Exception {
        // Surefire runs tests from a manifest-only jar; the real class path is in surefire.test.class.path.
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String cp = Arrays.stream(full.split(File.pathSeparator))
                .filter(e -> !e.contains("logback") && !e.contains("test-classes") && !e.contains("junit"))
                .collect(Collectors.joining(File.pathSeparator));
        ProcessBuilder pb = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-cp", cp, "com.qfpay.SelfCheck");
        pb.environment().put("QFPAY_LOG", value);
        pb.redirectErrorStream(false);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), value + ": " + err);
        return err;
    }

    @Test
    void qfpayLogPrintsToStderrWithoutAnSlf4jBackend() throws Exception {
        String err = run("debug");
        assertTrue(err.contains("qfpay debug request") && err.contains("endpoint=/trade/v1/payment"), err);
        assertTrue(err.contains("qfpay debug response"), err);
    }

    @Test
    void theFilterFormWorksAsInEveryLanguage() throws Exception {
        for (String v : new String[] {"qfpay=debug", "qfpay::http=debug", "warn,qfpay::http=trace", "DEBUG"}) {
            String err = run(v);
            assertTrue(err.contains("qfpay debug request") && err.contains("qfpay debug response"), v + ": " + err);
        }
        for (String v : new String[] {"qfpay::reconcile=debug", "qfpay=debug,qfpay::http=off", "info", "off"}) {
            String err = run(v);
            assertFalse(err.contains("qfpay debug request"), v + ": " + err);
        }
    }

    @Test
    void anUnusableValueIsLoggingOffWithOneWarningNeverAFailedCall() throws Exception {
        String err = run("qfpay=loud,SECRET-ish value");    // SelfCheck's payment still succeeds (exit 0)
        assertFalse(err.contains("qfpay debug request"), err);
        assertEquals(1, err.split("QFPAY_LOG", -1).length - 1, "one warning: " + err);
        assertTrue(err.contains("logging stays off"), err);
        assertFalse(err.contains("loud") || err.contains("SECRET"), "the value is quoted: " + err);
    }
}
