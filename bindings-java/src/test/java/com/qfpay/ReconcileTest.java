package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation against the embedded sandbox over real HTTP: every transaction of a period
 * (month windows, pages, 429s waited out), the ledger diff's every category, duplicates named by
 * `otherPayments`, 1269's available amount, the trade bill and the legacy settlements. The
 * sandbox is driven through its HTTP control API (`/sandbox/seed`, `/sandbox/config`,
 * `/sandbox/requests`, `/sandbox/orders`).
 */
class ReconcileTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The sandbox's (and QFPay's) calendar: UTC+8. */
    private static final ZoneId QFPAY_TIME = ZoneId.of("Asia/Shanghai");

    static JSONObject control(Sandbox sb, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sb.getBaseUrl() + path))
                .header("Content-Type", "application/json");
        b = body == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return new JSONObject(r.body());
    }

    /** The API requests the sandbox logged. */
    static List<JSONObject> requests(Sandbox sb) throws Exception {
        JSONArray a = control(sb, "/sandbox/requests", null).getJSONArray("requests");
        List<JSONObject> out = new ArrayList<>();
        for (int i = 0; i < a.length(); i++) out.add(a.getJSONObject(i));
        return out;
    }

    /** The query requests QFPay answered (not 429), each request's form parameters. */
    static List<Map<String, String>> answeredQueries(Sandbox sb) throws Exception {
        List<Map<String, String>> out = new ArrayList<>();
        for (JSONObject r : requests(sb)) {
            if (r.getString("path").startsWith("/trade/v1/query") && r.optInt("status") == 200) out.add(form(r.getString("body")));
        }
        return out;
    }

    static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : body.split("&")) {
            int i = kv.indexOf('=');
            if (i > 0) m.put(URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    /** Every record the sandbox holds (its ground truth). */
    static List<JSONObject> orders(Sandbox sb) throws Exception {
        JSONArray a = control(sb, "/sandbox/orders", null).getJSONArray("orders");
        List<JSONObject> out = new ArrayList<>();
        for (int i = 0; i < a.length(); i++) out.add(a.getJSONObject(i));
        return out;
    }

    static Set<String> syssns(List<JSONObject> records) {
        return records.stream().map(o -> o.getString("syssn")).collect(Collectors.toCollection(TreeSet::new));
    }

    static String seed(int orders, String from, String to, int seed, int duplicates) {
        return new JSONObject(Map.of("orders", orders, "from", from, "to", to, "seed", seed, "duplicates", duplicates)).toString();
    }

    @Test
    void aPeriodIsWalkedMonthByMonthAndPageByPage() throws Exception {
        try (Sandbox sb = Sandbox.builder().rateLimit(false).start(); QfPayClient client = sb.client()) {
            JSONObject seeded = control(sb, "/sandbox/seed", seed(400, "2024-01-20", "2024-03-10", 11, 0));
            List<JSONObject> truth = orders(sb);
            assertEquals(seeded.getInt("records"), truth.size());

            Transactions walk = client.transactions(TransactionsRequest.builder("2024-01-15 00:00:00", "2024-03-31 23:59:59")
                    .minInterval(Duration.ZERO).build());
            List<String> seen = new ArrayList<>();
            long requests;
            try (TransactionIterator it = walk.iterator()) {
                while (it.hasNext()) seen.add(it.next().getSyssn());
                requests = it.getRequests();
            }
            assertEquals(truth.size(), seen.size(), "every record once");
            assertEquals(syssns(truth), new TreeSet<>(seen));

            // One window per calendar month (a leap February), each paged from 1 at 100.
            List<Map<String, String>> queries = answeredQueries(sb);
            assertEquals(requests, queries.size());
            List<String> windows = queries.stream().map(q -> q.get("start_time") + ".." + q.get("end_time")).distinct().toList();
            assertEquals(List.of(
                    "2024-01-15 00:00:00..2024-01-31 23:59:59",
                    "2024-02-01 00:00:00..2024-02-29 23:59:59",
                    "2024-03-01 00:00:00..2024-03-31 23:59:59"), windows);
            for (String w : windows) {
                List<String> pages = queries.stream().filter(q -> w.equals(q.get("start_time") + ".." + q.get("end_time")))
                        .map(q -> q.get("page") + "/" + q.get("page_size")).toList();
                List<String> expected = new ArrayList<>();
                for (int i = 1; i <= pages.size(); i++) expected.add(i + "/100");
                assertEquals(expected, pages, w);
            }
            long february = truth.stream().filter(o -> o.getString("sysdtm").startsWith("2024-02")).count();
            assertTrue(february > 100, "February holds more than a page: " + february);
            assertTrue(queries.stream().anyMatch(q -> q.get("start_time").startsWith("2024-02") && "2".equals(q.get("page"))));

            // The same walk as a Stream and on the client's executor.
            try (Stream<Transaction> s = walk.stream()) {
                assertEquals(seen.size(), s.count());
            }
            Set<String> async = java.util.concurrent.ConcurrentHashMap.newKeySet();
            assertEquals((long) seen.size(), walk.forEachAsync(t -> async.add(t.getSyssn())).get());
            assertEquals(new TreeSet<>(seen), new TreeSet<>(async));

            // A bad period is refused at once, naming the field; nothing is sent.
            long before = sb.requestCount();
            ValidationException e = assertThrows(ValidationException.class,
                    () -> client.transactions(TransactionsRequest.of("2024-03-31 23:59:59", "2024-01-15 00:00:00")));
            assertEquals("start_time", e.getField());
            assertEquals(before, sb.requestCount());
        }
    }

    @Test
    void aWalkWaitsOutTheRateLimit() throws Exception {
        try (Sandbox sb = Sandbox.builder().rateLimit(2, 400).start();
             QfPayClient client = sb.clientBuilder().maxRetries(0).build()) {
            JSONObject seeded = control(sb, "/sandbox/seed", seed(250, "2024-01-20", "2024-03-10", 12, 0));
            long t0 = System.nanoTime();
            Set<String> seen = new HashSet<>();
            for (Transaction t : client.transactions(TransactionsRequest.builder("2024-01-15 00:00:00", "2024-03-31 23:59:59")
                    .minInterval(Duration.ZERO).build())) {
                assertTrue(seen.add(t.getSyssn()));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertEquals(seeded.getInt("records"), seen.size());
            assertEquals(syssns(orders(sb)), seen);
            long limited = requests(sb).stream().filter(r -> r.optInt("status") == 429).count();
            assertTrue(limited >= 1, "the walk met the limit");
            assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "waited a second or so per 429: " + took);
        }
    }

    @Test
    void theDiffFindsEveryCategory() throws Exception {
        try (Sandbox sb = Sandbox.builder().rateLimit(false).start(); QfPayClient client = sb.client()) {
            LocalDate today = LocalDate.now(QFPAY_TIME);
            String from = today.minusDays(1) + " 00:00:00";
            String to = today.plusDays(1) + " 23:59:59";
            Payment pending = client.wechatQr(2500, "HKD");                         // waits for a scan
            Payment matched = client.wechatQr(1001, "HKD");                         // 1001: paid at once
            Payment unknown = client.wechatQr(1001, "HKD");
            Payment amount = client.wechatQr(1001, "HKD");
            Payment currency = client.wechatQr(1001, "HKD");
            Payment refunded = client.wechatQr(1001, "HKD");
            Payment unpaid = client.wechatQr(1001, "HKD");
            client.refund(RefundRequest.of(refunded.getSyssn(), 300, "HKD"));
            control(sb, "/sandbox/seed", seed(6, today.toString(), today.toString(), 21, 1));
            String never = "NEVER-SENT-" + QfPay.generateOutTradeNo();

            String csv = "out_trade_no,amount,currency,state,refunded\n"
                    + matched.getOutTradeNo() + ",1001,HKD,paid,\n"
                    + never + ",500,HKD,,\n"
                    + amount.getOutTradeNo() + ",1200,HKD,,\n"
                    + currency.getOutTradeNo() + ",1001,CNY,,\n"
                    + refunded.getOutTradeNo() + ",1001,HKD,paid,\n"
                    + unpaid.getOutTradeNo() + ",1001,HKD,unpaid,\n";
            List<Map<String, ?>> list = List.of(
                    Map.of("outTradeNo", matched.getOutTradeNo(), "amount", 1001, "currency", "HKD", "state", "paid"),
                    Map.of("outTradeNo", never, "amount", 500L, "currency", "HKD"),
                    Map.of("outTradeNo", amount.getOutTradeNo(), "amount", 1200, "currency", "HKD"),
                    Map.of("outTradeNo", currency.getOutTradeNo(), "amount", 1001, "currency", "CNY"),
                    Map.of("outTradeNo", refunded.getOutTradeNo(), "amount", 1001, "currency", "HKD"),
                    Map.of("outTradeNo", unpaid.getOutTradeNo(), "amount", 1001, "currency", "HKD", "state", "unpaid"));
            Thread.sleep(1100); // the pending payment is now more than pendingAfter (0) old

            ReconcileReport report = client.reconcile(ReconcileRequest.builder(csv, from, to)
                    .minInterval(Duration.ZERO).pendingAfter(Duration.ZERO).build());
            ReconcileReport fromList = client.reconcileAsync(ReconcileRequest.builder(list, from, to)
                    .minInterval(Duration.ZERO).pendingAfter(Duration.ZERO).build()).get();
            assertEquals(report.getDiscrepancies(), fromList.getDiscrepancies(), "the ledger as CSV and as a list");
            assertEquals(report.getNet(), fromList.getNet());

            assertFalse(report.getClean());
            assertEquals(6, report.getLedgerOrders());
            assertEquals(1, report.getMatched());
            assertEquals(EnumSet.allOf(DiscrepancyKind.class),
                    report.getDiscrepancies().stream().map(Discrepancy::getKind).collect(Collectors.toCollection(() -> EnumSet.noneOf(DiscrepancyKind.class))));
            Map<String, Set<DiscrepancyKind>> byOrder = new HashMap<>();
            for (Discrepancy d : report.getDiscrepancies()) byOrder.computeIfAbsent(d.getOutTradeNo(), k -> EnumSet.noneOf(DiscrepancyKind.class)).add(d.getKind());
            assertEquals(Set.of(DiscrepancyKind.MISSING_AT_QFPAY), byOrder.get(never));
            assertEquals(Set.of(DiscrepancyKind.MISSING_IN_LEDGER), byOrder.get(unknown.getOutTradeNo()));
            assertEquals(Set.of(DiscrepancyKind.AMOUNT_MISMATCH), byOrder.get(amount.getOutTradeNo()));
            assertEquals(Set.of(DiscrepancyKind.CURRENCY_MISMATCH), byOrder.get(currency.getOutTradeNo()));
            assertEquals(Set.of(DiscrepancyKind.UNKNOWN_REFUND), byOrder.get(refunded.getOutTradeNo()));
            assertEquals(Set.of(DiscrepancyKind.STATE_MISMATCH), byOrder.get(unpaid.getOutTradeNo()));
            assertEquals(Set.of(DiscrepancyKind.PENDING_TOO_LONG), byOrder.get(pending.getOutTradeNo()));
            assertFalse(byOrder.containsKey(matched.getOutTradeNo()));
            Discrepancy dup = report.getDiscrepancies().stream().filter(d -> d.getKind() == DiscrepancyKind.DUPLICATE_PAYMENTS).findFirst().orElseThrow();
            assertTrue(dup.getSyssns().size() >= 2, dup.toString());
            Discrepancy amt = report.getDiscrepancies().stream().filter(d -> d.getKind() == DiscrepancyKind.AMOUNT_MISMATCH).findFirst().orElseThrow();
            assertEquals(1200L, amt.getLedgerAmount());
            assertEquals(1001L, amt.getQfpayAmount());

            // Net per day and currency, against the sandbox's own records.
            List<JSONObject> truth = orders(sb);
            for (NetTotal n : report.getNet()) assertEquals(n.getPaid() - n.getRefunded(), n.getNet(), n.toString());
            for (String cur : List.of("HKD", "CNY")) {
                long paid = truth.stream().filter(o -> o.getString("kind").equals("payment") && o.getString("txcurrcd").equals(cur)
                        && !Set.of("pending", "failed", "cancelled").contains(o.getString("state"))).mapToLong(o -> o.getLong("txamt")).sum();
                long refunds = truth.stream().filter(o -> o.getString("kind").equals("refund") && o.getString("txcurrcd").equals(cur)
                        && o.getString("state").equals("succeeded")).mapToLong(o -> o.getLong("txamt")).sum();
                List<NetTotal> of = report.getNet().stream().filter(n -> n.getCurrency().equals(cur)).toList();
                assertEquals(paid, of.stream().mapToLong(NetTotal::getPaid).sum(), cur);
                assertEquals(refunds, of.stream().mapToLong(NetTotal::getRefunded).sum(), cur);
            }
            NetTotal hkdToday = report.getNet().stream().filter(n -> n.getCurrency().equals("HKD") && n.getDay().equals(today.toString())).findFirst().orElseThrow();
            assertTrue(hkdToday.getRefunded() >= 300 && hkdToday.getPayments() >= 6, hkdToday.toString());

            // The report's CSV and JSON read back.
            String[] lines = report.getCsv().strip().split("\n");
            assertEquals("kind,out_trade_no,syssns,ledger_amount,qfpay_amount,currency,detail", lines[0]);
            assertEquals(report.getDiscrepancies().size(), lines.length - 1);
            assertTrue(report.getCsv().contains("amount_mismatch," + amount.getOutTradeNo() + ","), report.getCsv());
            assertTrue(report.getNetCsv().startsWith("day,currency,payments,paid,refunds,refunded,net"));
            JSONObject json = new JSONObject(report.getJson());
            assertEquals(report.getDiscrepancies().size(), json.getJSONArray("discrepancies").length());
            assertEquals(report.getNet().size(), json.getJSONArray("net").length());
            assertTrue(report.getSummary().contains("amount_mismatch"), report.getSummary());

            // A bad ledger entry is refused naming the entry and the rule; nothing is sent.
            long before = sb.requestCount();
            ValidationException e = assertThrows(ValidationException.class, () -> client.reconcile(ReconcileRequest.builder(
                    List.of(Map.of("outTradeNo", "A1", "amount", 100, "currency", "HKD"), Map.of("outTradeNo", "A2", "currency", "HKD")), from, to).build()));
            assertEquals("ledger", e.getField());
            assertTrue(e.getMessage().contains("entry 2") && e.getMessage().contains("amount"), e.getMessage());
            e = assertThrows(ValidationException.class, () -> client.reconcile(ReconcileRequest.builder(
                    "out_trade_no,amount,currency\nA1,100,HKD\nA2,1.5,HKD\n", from, to).build()));
            assertEquals("ledger", e.getField());
            assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("whole number"), e.getMessage());
            List<Map<String, ?>> notMaps = new ArrayList<>();
            notMaps.add(Map.of("outTradeNo", "A1", "amount", 100, "currency", "HKD"));
            notMaps.add(Map.of("outTradeNo", "A2", "amount", new Object(), "currency", "HKD"));
            e = assertThrows(ValidationException.class, () -> ReconcileRequest.builder(notMaps, from, to));
            assertEquals("ledger", e.getField());
            assertTrue(e.getMessage().contains("entry 2") && e.getMessage().contains("amount"), e.getMessage());
            assertEquals(before, sb.requestCount());
        }
    }

    @Test
    void duplicatePaymentsAreNamed() throws Exception {
        try (Sandbox sb = Sandbox.builder().rateLimit(false).start(); QfPayClient client = sb.client()) {
            LocalDate today = LocalDate.now(QFPAY_TIME);
            JSONObject seeded = control(sb, "/sandbox/seed", seed(20, today.minusDays(3).toString(), today.toString(), 31, 2));
            Map<String, Set<String>> payments = new HashMap<>();
            for (JSONObject o : orders(sb)) {
                if (o.getString("kind").equals("payment")) payments.computeIfAbsent(o.getString("out_trade_no"), k -> new TreeSet<>()).add(o.getString("syssn"));
            }
            List<String> duplicated = new ArrayList<>();
            JSONArray named = seeded.optJSONArray("duplicate_out_trade_nos");
            if (named != null) {
                for (int i = 0; i < named.length(); i++) duplicated.add(named.getString(i));
            } else {
                payments.forEach((no, s) -> {
                    if (s.size() > 1) duplicated.add(no);
                });
            }
            assertEquals(2, duplicated.size(), seeded.toString());
            for (String no : duplicated) {
                Transaction t = client.findPayment(no);
                assertNotNull(t);
                assertTrue(t.isPaid());
                assertFalse(t.getOtherPayments().isEmpty(), no);
                Set<String> all = new TreeSet<>(t.getOtherPayments());
                all.add(t.getSyssn());
                assertEquals(payments.get(no), all);
            }
            String single = payments.entrySet().stream().filter(x -> x.getValue().size() == 1).findFirst().orElseThrow().getKey();
            assertEquals(List.of(), client.findPayment(single).getOtherPayments());

            // The duplicate-order error's existing record names the others too.
            DuplicateOrderException e = assertThrows(DuplicateOrderException.class,
                    () -> client.createPayment(PaymentRequest.wechatQr(1001, "HKD").outTradeNo(duplicated.get(0)).build()));
            assertNotNull(e.getExisting());
            assertFalse(e.getExisting().getOtherPayments().isEmpty());
        }
    }

    @Test
    void aRefundRefusedFor1269SaysWhatIsAvailable() throws Exception {
        try (Sandbox sb = Sandbox.builder().rateLimit(false).start(); QfPayClient client = sb.client()) {
            control(sb, "/sandbox/config", "{\"refund_rules\": {\"daily_unsettled\": true}}");
            Payment yesterday = client.wechatQr(5000, "HKD");
            sb.pay(yesterday.getOutTradeNo());
            sb.advanceClock(Duration.ofDays(1));
            client.wechatQr(1001, "HKD"); // today's unsettled amount: HKD 10.01
            RefundRejectedException e = assertThrows(RefundRejectedException.class,
                    () -> client.refund(RefundRequest.of(yesterday.getSyssn(), 3000, "HKD")));
            assertEquals("1269", e.getRespcd());
            assertEquals(1001L, e.getAvailable());
            assertNotNull(e.getOutTradeNo());
        }
    }

    @Test
    void tradeBillAndSettlements() throws Exception {
        try (Sandbox sb = Sandbox.builder().rateLimit(false).start(); QfPayClient client = sb.client()) {
            LocalDate today = LocalDate.now(QFPAY_TIME);
            client.wechatQr(1001, "HKD");
            client.wechatQr(1001, "HKD");

            TradeBill bill = client.downloadTradeBill(today.toString());
            assertEquals(today.toString(), bill.getTradeDate());
            assertEquals('P', bill.getContent()[0]);
            assertEquals('K', bill.getContent()[1]);
            assertFalse(bill.getEntries().isEmpty());
            List<String> inZip = new ArrayList<>();
            try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bill.getContent()))) {
                for (ZipEntry z; (z = zip.getNextEntry()) != null; ) inZip.add(z.getName());
            }
            assertEquals(inZip, bill.getEntries().stream().map(TradeBillEntry::getName).toList());
            String wechat = "trade_bill_" + today.format(DateTimeFormatter.BASIC_ISO_DATE) + "_wechat.csv";
            TradeBillEntry entry = bill.getEntries().stream().filter(x -> x.getName().equals(wechat)).findFirst().orElseThrow();
            assertTrue(entry.getSize() > 0);
            TradeBill again = client.downloadTradeBillAsync(today.toString()).get();
            assertArrayEquals(bill.getContent(), again.getContent());
            assertEquals(bill, again);                                    // the bytes compared by content
            assertEquals(bill.hashCode(), again.hashCode());
            assertTrue(bill.toString().contains("content=<" + bill.getContent().length + " bytes>"), bill.toString());

            // Production only: refused on QFPay's test hosts before anything is sent.
            try (QfPayClient live = QfPayClient.builder().environment(Environment.LIVE_TEST).credentials("APP", "KEY").build()) {
                ConfigException e = assertThrows(ConfigException.class, () -> live.downloadTradeBill(today.toString()));
                assertTrue(e.getMessage().contains("production"), e.getMessage());
            }

            String day = today.format(DateTimeFormatter.BASIC_ISO_DATE);
            Settlements settled = client.settlements(day, day);
            Settlement hkd = settled.getData().stream().filter(s -> s.getCurrency().equals("HKD")).findFirst().orElseThrow();
            assertEquals(2002L, hkd.getPayAmt());
            assertEquals(day, hkd.getDateStart());
            assertEquals(hkd.getPayAmt() - hkd.getRefundAmt(), hkd.getPayNetAmt());
            assertEquals(hkd.getPayNetAmt() - hkd.getChnlPoundageAmt(), hkd.getSettlementAmt());
            for (Settlement s : settled) assertNotNull(s.getRaw().get("chnl_mch_id"));
            assertTrue(client.settlements(day, day, "wechat", null).getData().stream().allMatch(s -> s.getCurrency().equals("HKD")));
            ValidationException bad = assertThrows(ValidationException.class, () -> client.settlements("2026-01-01", day));
            assertEquals("date_start", bad.getField());
        }
    }
}
