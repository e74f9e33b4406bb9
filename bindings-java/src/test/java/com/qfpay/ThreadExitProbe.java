package com.qfpay;

import java.util.Map;

/**
 * Run by JniPathTest in a fresh JVM: a short-lived thread loads the library and exits, then
 * other threads make their first calls (this crashed the JVM under mimalloc 3).
 */
public final class ThreadExitProbe {
    private ThreadExitProbe() {}

    public static void main(String[] args) throws Exception {
        Thread first = new Thread(() -> Signing.sign(Map.of("txamt", "1"), "K", SignType.MD5));
        first.start();
        first.join();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> System.out.println(QfPay.generateOutTradeNo() + " " + QfPay.VERSION));
            t.start();
            t.join();
        }
        System.out.println("OK");
    }
}
