import com.qfpay.Payment;
import com.qfpay.PaymentRequest;
import com.qfpay.QfPayClient;
import com.qfpay.Sandbox;
import com.qfpay.SignType;
import com.qfpay.Signing;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain timed harness (not a test): signing against the seed's Java code, and payments per
 * second against the in-process sandbox compared with java.net.http.HttpClient over keep-alive.
 * Prints Markdown rows; bench.sh writes them to BENCHMARKS.md.
 */
public final class Bench {
    private static final AtomicLong SEQ = new AtomicLong();

    // ---- The seed's Java sample: QFPayUtils.getDataString + getMd5Value ----
    static String seedDataString(Map<String, String> unsorted) {
        Map<String, String> sorted = new TreeMap<>(unsorted);
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            if (sb.length() > 0) sb.append('&');
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.toString();
    }

    static String seedMd5(String s) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        byte[] d = md.digest(s.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder();
        for (byte b : d) hex.append(String.format("%02X", b));
        return hex.toString();
    }

    static Map<String, String> params(String outTradeNo) {
        Map<String, String> m = new HashMap<>();
        m.put("mchid", "ZaMVg12345");
        m.put("pay_type", "800201");
        m.put("out_trade_no", outTradeNo);
        m.put("txdtm", "2026-11-25 10:00:00");
        m.put("txamt", "1001");
        m.put("txcurrcd", "HKD");
        m.put("goods_name", "test1");
        return m;
    }

    interface Op { void run() throws Exception; }

    static double nsPerOp(int n, Op op) throws Exception {
        for (int i = 0; i < n / 5; i++) op.run(); // warm-up
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) op.run();
        return (System.nanoTime() - t0) / (double) n;
    }

    static double throughput(int threads, int total, Op op) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        int per = total / threads;
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                for (int i = 0; i < per; i++) op.run();
                return null;
            }));
        }
        for (Future<?> f : fs) f.get();
        double secs = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        return per * threads / secs;
    }

    public static void main(String[] args) throws Exception {
        int signN = Integer.parseInt(System.getProperty("bench.sign", "200000"));
        int payN = Integer.parseInt(System.getProperty("bench.pay", "4000"));
        String key = "0E32A59A8B454940A2FF39SANDBOX01";
        Map<String, String> p = params("qfBENCH0000000000000000000000001");

        if (!Signing.sign(p, key, SignType.MD5).equals(seedMd5(seedDataString(p) + key))) {
            throw new AssertionError("the SDK and the seed sign differently");
        }
        double seed = nsPerOp(signN, () -> seedMd5(seedDataString(p) + key));
        double sdk = nsPerOp(signN, () -> Signing.sign(p, key, SignType.MD5));
        System.out.printf("| signing, seed Java (TreeMap + MessageDigest MD5) | %.2f µs/op |%n", seed / 1000);
        System.out.printf("| signing, SDK `Signing.sign` (JNA call into the core) | %.2f µs/op |%n", sdk / 1000);
        double empty = nsPerOp(signN, () -> com.qfpay.QfPay.generateOutTradeNo());
        System.out.printf("| one JNA round trip into the core (`QfPay.generateOutTradeNo`, for scale) | %.2f µs/op |%n", empty / 1000);

        try (Sandbox sb = Sandbox.builder().rateLimit(false).start();
             QfPayClient client = sb.client()) {
            String url = sb.getBaseUrl() + "/trade/v1/payment";
            String appCode = sb.getAppCode();
            String ck = sb.getClientKey();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            ThreadLocal<SimpleDateFormat> df = ThreadLocal.withInitial(() -> new SimpleDateFormat("yyyy-MM-dd HH:mm:ss"));

            Op sdkPay = () -> {
                Payment pay = client.createPayment(PaymentRequest.wechatQr(1001, "HKD").goodsName("test1").build());
                if (!pay.getRespcd().equals("0000")) throw new AssertionError(pay.getRespcd());
            };
            Op rawPay = () -> {
                Map<String, String> m = new HashMap<>();
                m.put("pay_type", "800201");
                m.put("out_trade_no", "qfRAW" + SEQ.incrementAndGet() + "x" + System.nanoTime());
                m.put("txdtm", df.get().format(new Date()));
                m.put("txamt", "1001");
                m.put("txcurrcd", "HKD");
                m.put("goods_name", "test1");
                String data = seedDataString(m);
                String sign = seedMd5(data + ck);
                StringBuilder form = new StringBuilder();
                for (Map.Entry<String, String> e : m.entrySet()) {
                    if (form.length() > 0) form.append('&');
                    form.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
                }
                HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("X-QF-APPCODE", appCode).header("X-QF-SIGN", sign)
                        .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200 || !r.body().contains("\"0000\"")) throw new AssertionError(r.body());
            };
            // Warm both paths (JIT, connection pools), then measure in interleaved rounds and
            // report the median (the machine is shared, so single runs are noisy).
            throughput(4, 400, sdkPay);
            throughput(4, 400, rawPay);
            sb.reset();
            int rounds = Integer.parseInt(System.getProperty("bench.rounds", "5"));
            for (int threads : new int[] {1, 16}) {
                int n = threads == 1 ? payN / 4 : payN;
                double[] raw = new double[rounds];
                double[] s = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    raw[r] = throughput(threads, n, rawPay);
                    sb.reset();
                    s[r] = throughput(threads, n, sdkPay);
                    sb.reset();
                }
                java.util.Arrays.sort(raw);
                java.util.Arrays.sort(s);
                double rawMed = raw[rounds / 2];
                double sMed = s[rounds / 2];
                System.out.printf("| payments/s, %d thread(s), java.net.http.HttpClient keep-alive + seed signing | %.0f (median of %d; %.0f–%.0f) |%n",
                        threads, rawMed, rounds, raw[0], raw[rounds - 1]);
                System.out.printf("| payments/s, %d thread(s), SDK `QfPayClient.createPayment` | %.0f (median of %d; %.0f–%.0f) = %.2fx |%n",
                        threads, sMed, rounds, s[0], s[rounds - 1], sMed / rawMed);
            }
        }
    }
}
