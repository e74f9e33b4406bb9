package com.qfpay;

import java.time.Duration;

/**
 * Run by SecrecyTest in a child JVM whose QFPAY_* variables hold the client key (also in the
 * wrong variables): builds a client from the environment, makes one call if it was built, and
 * prints every form of whatever was thrown, the builder and the client to stdout. Its stderr
 * holds what QFPAY_LOG printed (the child has no SLF4J backend).
 */
public final class SecrecyProbe {
    private SecrecyProbe() {}

    public static void main(String[] args) {
        int caught = 0;
        QfPayClient.Builder b = QfPayClient.builder().fromEnv().connectTimeout(Duration.ofSeconds(2)).maxRetries(0);
        System.out.println("builder: " + Dump.object(b, false));
        try (QfPayClient c = b.build()) {
            System.out.println("client: " + Dump.object(c, true));
            try {
                c.wechatQr(1001, "HKD");
            } catch (Throwable t) {
                caught++;
                System.out.println("call: " + Dump.throwable(t));
            }
            try {
                c.findPaymentAsync("qfX").join();
            } catch (Throwable t) {
                caught++;
                System.out.println("async: " + Dump.throwable(t));
            }
        } catch (Throwable t) {
            caught++;
            System.out.println("build: " + Dump.throwable(t));
        }
        try {
            QfPayClient.fromEnv().close();
        } catch (Throwable t) {
            caught++;
            System.out.println("fromEnv: " + Dump.throwable(t));
        }
        System.out.println("CAUGHT " + caught);
    }
}
