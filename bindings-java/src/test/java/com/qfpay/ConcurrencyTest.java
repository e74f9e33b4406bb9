package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Sixteen threads share one client. */
class ConcurrencyTest {
    static final int THREADS = 16;
    static final int PER_THREAD = 25;

    @Test
    void sixteenThreadsShareOneClient() throws Exception {
        try (Sandbox sb = Sandbox.builder().rateLimit(false).start(); QfPayClient client = sb.client()) {
            Set<String> numbers = ConcurrentHashMap.newKeySet();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    int ok = 0;
                    for (int i = 0; i < PER_THREAD; i++) {
                        Payment p = client.wechatQr(1001, "HKD");
                        assertEquals("0000", p.getRespcd());
                        assertTrue(numbers.add(p.getOutTradeNo()), "duplicate " + p.getOutTradeNo());
                        ok++;
                    }
                    return ok;
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> f : done) total += f.get(120, TimeUnit.SECONDS);
            pool.shutdown();
            assertEquals(THREADS * PER_THREAD, total);
            assertEquals(THREADS * PER_THREAD, numbers.size());
            assertEquals(THREADS * PER_THREAD, sb.requestCount());
        }
    }
}
