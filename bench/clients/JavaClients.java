import com.qfpay.Payment;
import com.qfpay.PaymentRequest;
import com.qfpay.QfPay;
import com.qfpay.QfPayClient;
import com.qfpay.SignType;
import com.qfpay.Signing;
import com.qfpay.Transaction;
import com.qfpay.TransactionIterator;
import com.qfpay.TransactionsRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JVM clients of the cross-language benchmark (bench/run.sh): the SDK (blocking from threads, and
 * its ...Async form) and a hand-written java.net.http.HttpClient client doing the same signed
 * WeChat QR payment (800201) against the shared sandbox process named by QFPAY_BASE_URL,
 * QFPAY_APP_CODE, QFPAY_CLIENT_KEY (127.0.0.1). Prints one JSON line.
 *
 * <pre>
 *   java JavaClients pay sdk64|async64|async64direct|http64 SECONDS WARMUP
 *   java JavaClients micro | startup | rss sdk|http
 *   java JavaClients transactions sdk|hand    (BENCH_FROM, BENCH_TO: every record of the period)
 * </pre>
 */
public final class JavaClients {
    static final String BASE_URL = System.getenv("QFPAY_BASE_URL");
    static final String APP_CODE = System.getenv("QFPAY_APP_CODE");
    static final String CLIENT_KEY = System.getenv("QFPAY_CLIENT_KEY");
    static final AtomicLong SEQ = new AtomicLong();
    static final DateTimeFormatter TXDTM = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** The plain Java signer: sort (TreeMap), join, MD5 (MessageDigest), upper-case hex (HexFormat). */
    static String handSign(Map<String, String> params, String key) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            if (sb.length() > 0) sb.append('&');
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        sb.append(key);
        byte[] d = MessageDigest.getInstance("MD5").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().withUpperCase().formatHex(d);
    }

    interface Op { boolean run() throws Exception; }

    static final class Result {
        final long n, errors;
        final double secs;
        Result(long n, long errors, double secs) { this.n = n; this.errors = errors; this.secs = secs; }
        String json() {
            return String.format(java.util.Locale.ROOT, "{\"n\":%d,\"errors\":%d,\"secs\":%.4f,\"rate\":%.1f}", n, errors, secs, n / secs);
        }
    }

    /** {@code width} threads, each paying in a loop until the deadline. */
    static Result threads(int width, Op op, double seconds) throws Exception {
        AtomicLong ok = new AtomicLong(), failed = new AtomicLong();
        long until = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < until) {
                    try {
                        if (op.run()) ok.incrementAndGet(); else failed.incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            });
            t.start();
            ts.add(t);
        }
        for (Thread t : ts) t.join();
        return new Result(ok.get(), failed.get(), (System.nanoTime() - start) / 1e9);
    }

    /** {@code width} chains of the SDK's ...Async calls: each completion starts the next call. */
    static Result async(int width, QfPayClient client, double seconds) throws Exception {
        AtomicLong ok = new AtomicLong(), failed = new AtomicLong();
        long until = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        CountDownLatch done = new CountDownLatch(width);
        for (int i = 0; i < width; i++) chain(client, until, ok, failed, done);
        done.await();
        return new Result(ok.get(), failed.get(), (System.nanoTime() - start) / 1e9);
    }

    static void chain(QfPayClient client, long until, AtomicLong ok, AtomicLong failed, CountDownLatch done) {
        if (System.nanoTime() >= until) {
            done.countDown();
            return;
        }
        CompletableFuture<Payment> f = client.createPaymentAsync(PaymentRequest.wechatQr(300, "HKD").build());
        f.whenComplete((p, e) -> {
            if (e == null && "0000".equals(p.getRespcd())) ok.incrementAndGet(); else failed.incrementAndGet();
            chain(client, until, ok, failed, done);
        });
    }

    static Op sdkOp(QfPayClient client) {
        return () -> "0000".equals(client.createPayment(PaymentRequest.wechatQr(300, "HKD").build()).getRespcd());
    }

    static Op httpOp() {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create(BASE_URL + "/trade/v1/payment");
        return () -> {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("txamt", "300");
            m.put("txcurrcd", "HKD");
            m.put("pay_type", "800201");
            m.put("out_trade_no", "jv" + ProcessHandle.current().pid() + "x" + SEQ.incrementAndGet() + "x" + System.nanoTime());
            m.put("txdtm", LocalDateTime.now().format(TXDTM));
            StringBuilder form = new StringBuilder();
            for (Map.Entry<String, String> e : m.entrySet()) {
                if (form.length() > 0) form.append('&');
                form.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            }
            HttpRequest req = HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-QF-APPCODE", APP_CODE).header("X-QF-SIGN", handSign(m, CLIENT_KEY))
                    .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"respcd\":\"0000\"");
        };
    }

    static QfPayClient client() {
        return QfPayClient.fromEnv();
    }

    static String pay(String kind, double seconds, double warmup) throws Exception {
        switch (kind) {
            case "sdk64": {
                try (QfPayClient c = client()) {
                    Op op = sdkOp(c);
                    threads(64, op, warmup);
                    return threads(64, op, seconds).json();
                }
            }
            case "sdk1": {
                // Sequential blocking payments from one thread (not in run.py's table; for A/B runs by hand).
                try (QfPayClient c = client()) {
                    Op op = sdkOp(c);
                    threads(1, op, warmup);
                    return threads(1, op, seconds).json();
                }
            }
            case "async64": {
                try (QfPayClient c = client()) {
                    async(64, c, warmup);
                    return async(64, c, seconds).json();
                }
            }
            case "async64direct": {
                // Futures completed on the library's I/O threads (the documented option for
                // callbacks that never block): no hand-off to the client's executor.
                try (QfPayClient c = QfPayClient.builder().fromEnv().executor(Runnable::run).build()) {
                    async(64, c, warmup);
                    return async(64, c, seconds).json();
                }
            }
            case "http64": {
                Op op = httpOp();
                threads(64, op, warmup);
                return threads(64, op, seconds).json();
            }
            default:
                throw new IllegalArgumentException("unknown case " + kind);
        }
    }

    interface Call { Object run() throws Exception; }

    static volatile Object sink;

    /** Best of 5 timings after a warm-up, in nanoseconds per call. */
    static double nsPerCall(int n, Call call) throws Exception {
        for (int i = 0; i < n; i++) sink = call.run();
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) sink = call.run();
            best = Math.min(best, (System.nanoTime() - t) / (double) n);
        }
        return best;
    }

    static String micro() throws Exception {
        Map<String, String> seed = new LinkedHashMap<>();
        seed.put("txamt", "10");
        seed.put("txcurrcd", "HKD");
        seed.put("pay_type", "800201");
        seed.put("out_trade_no", "01234567890123");
        seed.put("txdtm", "2020-04-10 11:45:44");
        seed.put("mchid", "ZaMVg*****");
        String key = "0E32A59A8B454940A2FF39**********";
        if (!Signing.sign(seed, key, SignType.MD5).equalsIgnoreCase(handSign(seed, key))) {
            throw new AssertionError("Signing.sign and the plain Java signer disagree");
        }
        try (QfPayClient c = client()) {
            int n = Integer.parseInt(System.getProperty("bench.micro", "10000"));
            double trivial = nsPerCall(n, c::getBaseUrl);
            double sdk = nsPerCall(n, () -> Signing.sign(seed, key, SignType.MD5));
            double hand = nsPerCall(n, () -> handSign(seed, key));
            return String.format(java.util.Locale.ROOT,
                    "{\"trivial_ns\":%.1f,\"trivial_what\":\"QfPayClient.getBaseUrl()\",\"sign_sdk_ns\":%.1f,\"sign_hand_ns\":%.1f}",
                    trivial, sdk, hand);
        }
    }

    /**
     * The first SDK call in a fresh JVM: class loading plus loading the native library (the JNI
     * path). Then, for the record, the first call still on uniffi's JNA path (JNA and the
     * generated bindings load there) and the first client built after it, with its first call.
     */
    static String startup() {
        // The first SDK call a merchant's JVM makes: building a client (class loading, the
        // native library, the client itself), then one call on it.
        long t = System.nanoTime();
        String url;
        try (QfPayClient c = QfPayClient.builder().appCode("A").clientKey("K").baseUrl("http://127.0.0.1:9").build()) {
            url = c.getBaseUrl();
        }
        double ms = (System.nanoTime() - t) / 1e6;
        if (url.isEmpty()) throw new AssertionError();
        long t1 = System.nanoTime();
        String qr = com.qfpay.Qr.svg("x"); // a call still on uniffi's JNA path: JNA and the generated bindings load
        double jnaMs = (System.nanoTime() - t1) / 1e6;
        if (qr.isEmpty()) throw new AssertionError();
        return String.format(java.util.Locale.ROOT,
                "{\"startup_ms\":%.2f,\"startup_what\":\"first QfPayClient built\",\"first_jna_ms\":%.2f}", ms, jnaMs);
    }

    static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return 0;
    }

    static String rss(String which) throws Exception {
        QfPayClient c = which.equals("http") ? null : client();
        Op op = c == null ? httpOp() : sdkOp(c);
        long failed = 0;
        for (int i = 0; i < 1000; i++) if (!op.run()) failed++;
        String out = String.format("{\"rss_kb\":%d,\"errors\":%d}", rssKb(), failed);
        if (c != null) c.close();
        return out;
    }

    static long vmKb(String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return 0;
    }

    /**
     * Every record of BENCH_FROM..BENCH_TO: through the SDK's {@code transactions} iterator
     * (unpaced), or by hand: calendar months split here, each paged at 100 through
     * /trade/v1/query with the seed document's MD5 signing, each page's JSON parsed and its
     * records counted, never kept. One JSON line: records, requests, seconds, RSS before the walk
     * and peak RSS after it, and the sum of txamt (a correctness check).
     */
    static String transactions(String how) throws Exception {
        String from = System.getenv("BENCH_FROM"), to = System.getenv("BENCH_TO");
        long[] count = new long[3]; // records, requests, txamt sum
        QfPayClient c = how.equals("sdk") ? client() : null;
        long before = vmKb("VmRSS");
        long t = System.nanoTime();
        if (c != null) {
            try (TransactionIterator it = c.transactions(TransactionsRequest.builder(from, to).minInterval(java.time.Duration.ZERO).build()).iterator()) {
                while (it.hasNext()) {
                    Transaction r = it.next();
                    count[0]++;
                    count[2] += r.getTxamt();
                }
                count[1] = it.getRequests();
            }
        } else if (how.equals("hand")) {
            handWalk(from, to, count);
        } else {
            throw new IllegalArgumentException("transactions sdk|hand");
        }
        double secs = (System.nanoTime() - t) / 1e9;
        long peak = vmKb("VmHWM");
        if (c != null) c.close();
        return String.format(java.util.Locale.ROOT,
                "{\"records\":%d,\"requests\":%d,\"seconds\":%.4f,\"rss_before_kb\":%d,\"rss_peak_kb\":%d,\"txamt_sum\":%d}",
                count[0], count[1], secs, before, peak, count[2]);
    }

    /** The loop a merchant writes without the SDK: months, pages of 100, MD5 signing, JSON. */
    static void handWalk(String from, String to, long[] count) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create(BASE_URL + "/trade/v1/query");
        LocalDateTime end = LocalDateTime.parse(to, TXDTM);
        for (LocalDateTime start = LocalDateTime.parse(from, TXDTM); !start.isAfter(end); ) {
            LocalDateTime next = start.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
            LocalDateTime last = next.minusSeconds(1).isBefore(end) ? next.minusSeconds(1) : end;
            for (int page = 1; ; page++) {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("start_time", start.format(TXDTM));
                m.put("end_time", last.format(TXDTM));
                m.put("page", Integer.toString(page));
                m.put("page_size", "100");
                StringBuilder form = new StringBuilder();
                for (Map.Entry<String, String> e : m.entrySet()) {
                    if (form.length() > 0) form.append('&');
                    form.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
                }
                HttpRequest req = HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("X-QF-APPCODE", APP_CODE).header("X-QF-SIGN", handSign(m, CLIENT_KEY))
                        .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                count[1]++;
                if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
                Map<?, ?> body = (Map<?, ?>) new Json(r.body()).value();
                if (!"0000".equals(body.get("respcd"))) throw new IllegalStateException("respcd " + body.get("respcd") + ": " + r.body());
                List<?> data = (List<?>) body.get("data");
                for (Object o : data) {
                    count[0]++;
                    count[2] += Long.parseLong(String.valueOf(((Map<?, ?>) o).get("txamt")));
                }
                if (data.size() < 100) break;
            }
            start = next;
        }
    }

    /** A plain JSON reader (objects, arrays, strings with escapes, numbers, literals). */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) { this.s = s; }

        Object value() {
            ws();
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (s.charAt(i) == '}') { i++; return m; }
                    while (true) {
                        ws();
                        String k = string();
                        ws();
                        i++; // ':'
                        m.put(k, value());
                        ws();
                        if (s.charAt(i++) == '}') return m;
                    }
                }
                case '[': {
                    i++;
                    List<Object> a = new ArrayList<>();
                    ws();
                    if (s.charAt(i) == ']') { i++; return a; }
                    while (true) {
                        a.add(value());
                        ws();
                        if (s.charAt(i++) == ']') return a;
                    }
                }
                case '"': return string();
                case 't': i += 4; return Boolean.TRUE;
                case 'f': i += 5; return Boolean.FALSE;
                case 'n': i += 4; return null;
                default: {
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
                    String n = s.substring(start, i);
                    return n.contains(".") || n.contains("e") || n.contains("E") ? (Object) Double.parseDouble(n) : (Object) Long.parseLong(n);
                }
            }
        }

        private String string() {
            i++; // opening quote
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') { b.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'r': b.append('\r'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    default: b.append(e);
                }
            }
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "";
        String out;
        switch (mode) {
            case "pay": out = pay(args[1], Double.parseDouble(args[2]), Double.parseDouble(args[3])); break;
            case "micro": out = micro(); break;
            case "startup": out = startup(); break;
            case "rss": out = rss(args.length > 1 ? args[1] : "sdk"); break;
            case "transactions": out = transactions(args.length > 1 ? args[1] : "sdk"); break;
            default: throw new IllegalArgumentException("usage: JavaClients pay CASE SECONDS WARMUP | micro | startup | rss sdk|http | transactions sdk|hand");
        }
        System.out.println(out);
        System.exit(0); // the SDK's and HttpClient's pools hold no non-daemon threads, but never hang
    }
}
