package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** QFPAY_LOG without any SLF4J backend: the events go to stderr (a child JVM without logback). */
class QfpayLogTest {
    @Test
    void qfpayLogPrintsToStderrWithoutAnSlf4jBackend() throws Exception {
        // Surefire runs tests from a manifest-only jar; the real class path is in surefire.test.class.path.
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String cp = Arrays.stream(full.split(File.pathSeparator))
                .filter(e -> !e.contains("logback") && !e.contains("test-classes") && !e.contains("junit"))
                .collect(Collectors.joining(File.pathSeparator));
        ProcessBuilder pb = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-cp", cp, "com.qfpay.SelfCheck");
        pb.environment().put("QFPAY_LOG", "debug");
        pb.redirectErrorStream(false);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        assertTrue(err.contains("qfpay debug request") && err.contains("endpoint=/trade/v1/payment"), err);
        assertTrue(err.contains("qfpay debug response"), err);
    }
}
