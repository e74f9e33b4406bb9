package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every case of every file in tests/vectors/, through the public Java API. */
class VectorTest {
    private static Sandbox sandbox;
    private static QfPayClient client;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.builder().rateLimit(false).slowResponse(Duration.ofMillis(200)).start();
        client = sandbox.clientBuilder().maxRetries(0).reconcileTimeout(Duration.ofMillis(300))
                .timeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    @Test
    void everyVectorFileIsCovered() throws Exception {
        Set<String> known = Set.of("signing.json", "notifications.json", "validation.json", "responses.json", "results.json",
                "checkout.json");
        Set<String> present = Vectors.files().stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        assertTrue(present.containsAll(known), "vector files missing: " + present);
        assertEquals(known, present, "a new vector file needs a runner here");
    }

    @TestFactory
    List<DynamicTest> signing() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (JSONObject c : Vectors.cases("signing.json")) {
            tests.add(DynamicTest.dynamicTest(c.getString("name"), () -> {
                Map<String, String> params = new HashMap<>();
                JSONObject p = c.getJSONObject("params");
                for (String k : p.keySet()) params.put(k, p.getString(k));
                SignType st = c.getString("sign_type").equalsIgnoreCase("sha256") ? SignType.SHA256 : SignType.MD5;
                assertEquals(c.getString("string_to_sign"), Signing.stringToSign(params));
                assertEquals(c.getString("signature"), Signing.sign(params, c.getString("key"), st));
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> notifications() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (JSONObject c : Vectors.cases("notifications.json")) {
            tests.add(DynamicTest.dynamicTest(c.getString("name"), () -> {
                byte[] body = c.getString("body").getBytes(StandardCharsets.UTF_8);
                if (c.getBoolean("valid")) {
                    Notification n = Notifications.verify(body, c.getString("signature"), c.getString("key"));
                    JSONObject expect = c.getJSONObject("expect");
                    for (String k : expect.keySet()) {
                        Object actual = Vectors.field(n, k);
                        assertTrue(Vectors.same(expect.get(k), actual), k + ": expected " + expect.get(k) + ", got " + actual);
                    }
                } else {
                    QfPayException e = assertThrows(QfPayException.class,
                            () -> Notifications.verify(body, c.getString("signature"), c.getString("key")));
                    assertEquals(c.getString("error_code"), e.getCode(), e.getMessage());
                    if (e.getCode().equals("signature")) assertInstanceOf(SignatureException.class, e);
                    if (e.getCode().equals("decode")) assertInstanceOf(DecodeException.class, e);
                }
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> validation() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (JSONObject c : Vectors.cases("validation.json")) {
            tests.add(DynamicTest.dynamicTest(c.getString("name"), () -> {
                long before = sandbox.requestCount();
                try {
                    Vectors.call(client, c.getString("operation"), c.getJSONObject("params"));
                    if (!c.getBoolean("valid")) fail("expected a validation error on " + c.optString("field"));
                } catch (ValidationException e) {
                    if (c.getBoolean("valid")) fail("unexpected validation error: " + e.getMessage());
                    assertEquals("validation", e.getCode());
                    assertEquals(c.getString("field"), e.getField(), e.getMessage());
                    assertEquals(before, sandbox.requestCount(), "a request was sent");
                } catch (QfPayException e) {
                    if (!c.getBoolean("valid")) fail("expected validation on " + c.optString("field") + ", got " + e.getCode() + ": " + e.getMessage());
                }
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> responses() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (JSONObject c : Vectors.cases("responses.json")) {
            tests.add(DynamicTest.dynamicTest(c.getString("name"), () -> {
                sandbox.reset();
                sandbox.injectCanned(c.getInt("status"), c.getString("body"), 1);
                JSONObject expect = c.getJSONObject("expect");
                String op = c.getString("operation");
                if (expect.getBoolean("ok")) {
                    Object result = Vectors.call(client, op, c.getJSONObject("request"));
                    JSONObject fields = expect.getJSONObject("fields");
                    for (String k : fields.keySet()) {
                        if (op.equals("query") && k.equals("records")) {
                            assertEquals(fields.getInt(k), ((QueryPage) result).getData().size());
                        } else if (op.equals("query") && k.equals("first")) {
                            Transaction first = ((QueryPage) result).getData().get(0);
                            JSONObject f = fields.getJSONObject(k);
                            for (String fk : f.keySet()) {
                                Object actual = Vectors.field(first, fk);
                                assertTrue(Vectors.same(f.get(fk), actual), "first." + fk + ": expected " + f.get(fk) + ", got " + actual);
                            }
                        } else {
                            Object actual = Vectors.field(result, k);
                            assertTrue(Vectors.same(fields.get(k), actual), k + ": expected " + fields.get(k) + ", got " + actual);
                        }
                    }
                } else {
                    QfPayException e = assertThrows(QfPayException.class, () -> Vectors.call(client, op, c.getJSONObject("request")));
                    assertEquals(expect.getString("error_code"), e.getCode(), e.getMessage());
                    if (expect.has("respcd")) {
                        String respcd = e instanceof ApiException ? ((ApiException) e).getRespcd()
                                : e instanceof StatusUnknownException ? ((StatusUnknownException) e).getRespcd() : null;
                        assertEquals(expect.getString("respcd"), respcd, e.getMessage());
                    }
                    if (e instanceof StatusUnknownException) {
                        assertFalse(((StatusUnknownException) e).getOutTradeNo().isEmpty());
                    }
                }
            }));
        }
        return tests;
    }

    /** Every expected field of [expect] (core snake_case names) equals the result's; [what] prefixes the message. */
    private static void fields(String what, Object result, JSONObject expect) {
        for (String k : expect.keySet()) {
            Object actual = Vectors.field(result, k);
            assertTrue(Vectors.same(expect.get(k), actual), what + k + ": expected " + expect.get(k) + ", got " + actual);
        }
    }

    /** A typed pay-parameters object: every field of [expect], `raw` compared key by key (its values as text). */
    private static void nested(String what, Object result, JSONObject expect) {
        for (String k : expect.keySet()) {
            Object actual = Vectors.field(result, k);
            if (k.equals("raw")) {
                JSONObject raw = expect.getJSONObject(k);
                @SuppressWarnings("unchecked")
                Map<String, String> got = (Map<String, String>) actual;
                assertEquals(raw.keySet(), got.keySet(), what + "raw keys");
                for (String rk : raw.keySet()) {
                    assertTrue(Vectors.same(raw.get(rk), got.get(rk)), what + "raw." + rk + ": expected " + raw.get(rk) + ", got " + got.get(rk));
                }
            } else {
                assertTrue(Vectors.same(expect.get(k), actual), what + k + ": expected " + expect.get(k) + ", got " + actual);
            }
        }
    }

    /**
     * [actual] holds everything [want] says (the core's `contains`): an object's expected fields
     * (core snake_case names, read through the getters; others may exist), a list item by item
     * with the same length, numbers as longs, an enum by its wire name, null as null.
     */
    private static void contains(String what, Object actual, Object want) {
        if (actual instanceof DiscrepancyKind k) actual = k.getWire();
        if (want instanceof JSONObject o) {
            assertNotNull(actual, what + ": expected an object, got null");
            for (String k : o.keySet()) contains(what + "." + k, Vectors.field(actual, k), o.get(k));
        } else if (want instanceof JSONArray a) {
            assertInstanceOf(List.class, actual, what + ": expected a list, got " + actual);
            List<?> got = (List<?>) actual;
            assertEquals(a.length(), got.size(), what + ": " + got);
            for (int i = 0; i < a.length(); i++) contains(what + "[" + i + "]", got.get(i), a.get(i));
        } else if (want == JSONObject.NULL) {
            assertNull(actual, what);
        } else if (want instanceof Number n) {
            assertInstanceOf(Number.class, actual, what + ": expected " + want + ", got " + actual);
            assertEquals(n.longValue(), ((Number) actual).longValue(), what);
        } else {
            assertEquals(want, actual, what); // a String or a Boolean, of the same type
        }
    }

    /**
     * checkout.json: `sign` cases build the link on a client made from the case (exactly `url`,
     * and it verifies back); `verify` cases read a link back: valid, or a [SignatureException]
     * whose message holds `reason`.
     */
    @TestFactory
    List<DynamicTest> checkout() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (JSONObject c : Vectors.cases("checkout.json")) {
            tests.add(DynamicTest.dynamicTest(c.getString("name"), () -> {
                QfPayClient.Builder b = QfPayClient.builder().credentials(c.getString("app_code"), c.getString("key"))
                        .baseUrl(c.getString("base_url"));
                if (c.has("sign_type")) b.signType(c.getString("sign_type").equalsIgnoreCase("sha256") ? SignType.SHA256 : SignType.MD5);
                try (QfPayClient local = b.build()) {
                    if (c.getString("kind").equals("sign")) {
                        CheckoutLink link = (CheckoutLink) Vectors.call(local, "checkout_url", c.getJSONObject("request"));
                        assertEquals(c.getString("url"), link.getUrl());
                        assertEquals(c.getString("sign"), link.getSign());
                        CheckoutLink back = local.verifyCheckoutUrl(link.getUrl());
                        assertEquals(link, back);
                        JSONObject req = c.getJSONObject("request");
                        if (req.has("out_trade_no")) assertEquals(req.getString("out_trade_no"), back.getOutTradeNo());
                        assertEquals(req.getLong("amount"), back.getTxamt());
                    } else if (c.getBoolean("valid")) {
                        assertEquals(c.getString("url"), local.verifyCheckoutUrl(c.getString("url")).getUrl());
                    } else {
                        SignatureException e = assertThrows(SignatureException.class, () -> local.verifyCheckoutUrl(c.getString("url")));
                        assertEquals("signature", e.getCode());
                        if (c.has("reason")) assertTrue(e.getMessage().contains(c.getString("reason")), e.getMessage());
                    }
                }
            }));
        }
        return tests;
    }

    /**
     * results.json: what the typed results mean, computed values included (state, isPaid,
     * isRefund, isSuccess, a notification's kind, a duplicate's existing order, a reconcile
     * report, a note's transaction), every case and every expected key; the computed values are
     * the core's, carried through the conversion.
     */
    @TestFactory
    List<DynamicTest> results() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        Set<String> kinds = new java.util.TreeSet<>();
        for (JSONObject c : Vectors.cases("results.json")) {
            String kind = c.getString("kind");
            kinds.add(kind);
            tests.add(DynamicTest.dynamicTest(c.getString("name"), () -> {
                JSONObject expect = c.getJSONObject("expect");
                switch (kind) {
                    case "transaction": {
                        sandbox.reset();
                        sandbox.injectCanned(200, c.getString("answer"), 1);
                        QueryPage page = client.query(QueryRequest.bySyssn(c.getString("syssn")));
                        assertEquals(1, page.getData().size());
                        fields("", page.getData().get(0), expect);
                        break;
                    }
                    case "notification": {
                        byte[] body = c.getString("body").getBytes(StandardCharsets.UTF_8);
                        fields("", Notifications.verify(body, c.getString("signature"), c.getString("key")), expect);
                        break;
                    }
                    case "duplicate_order": {
                        sandbox.reset();
                        var answers = c.getJSONArray("answers");
                        for (int i = 0; i < answers.length(); i++) sandbox.injectCanned(200, answers.getString(i), 1);
                        DuplicateOrderException e = assertThrows(DuplicateOrderException.class,
                                () -> Vectors.call(client, "payment", c.getJSONObject("request")));
                        assertEquals(expect.getString("error_code"), e.getCode(), e.getMessage());
                        assertEquals(expect.getString("respcd"), e.getRespcd(), e.getMessage());
                        assertEquals(expect.getString("out_trade_no"), e.getOutTradeNo(), e.getMessage());
                        assertTrue(e.getExisting() != null, "no existing transaction: " + e.getMessage());
                        fields("existing.", e.getExisting(), expect.getJSONObject("existing"));
                        break;
                    }
                    case "payment": {
                        sandbox.reset();
                        sandbox.injectCanned(200, c.getString("answer"), 1);
                        Payment payment = (Payment) Vectors.call(client, "payment", c.getJSONObject("request"));
                        for (String k : expect.keySet()) {
                            Object want = expect.get(k);
                            Object actual = Vectors.field(payment, k);
                            if (want instanceof JSONObject) {
                                assertTrue(actual != null, k + ": expected an object, got null");
                                nested(k + ".", actual, (JSONObject) want);
                            } else {
                                assertTrue(Vectors.same(want, actual), k + ": expected " + want + ", got " + actual);
                            }
                        }
                        break;
                    }
                    case "reconcile": {
                        sandbox.reset();
                        sandbox.injectCanned(200, c.getString("answer"), 1);
                        ReconcileReport report = client.reconcile(ReconcileRequest.builder(c.getString("ledger"),
                                c.getString("start_time"), c.getString("end_time")).minInterval(Duration.ZERO).build());
                        contains("report", report, expect);
                        break;
                    }
                    case "note": {
                        sandbox.reset();
                        sandbox.injectCanned(200, c.getString("answer"), 1);
                        NoteAdded added = client.addNote(c.getString("syssn"), c.getString("note"));
                        fields("", added, expect);
                        break;
                    }
                    default:
                        fail("unknown kind " + kind);
                }
            }));
        }
        assertEquals(Set.of("transaction", "notification", "duplicate_order", "payment", "reconcile", "note"), kinds,
                "a new kind needs a runner here");
        return tests;
    }

}
