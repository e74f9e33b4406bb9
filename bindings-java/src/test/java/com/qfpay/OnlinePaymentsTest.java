package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Online payments against the in-process sandbox, over HTTP as a browser would drive its pages:
 * a hosted-checkout link the SDK builds is verified and paid by the sandbox's checkstand, and its
 * notification verifies here; wrong keys and links signed over encoded values show the sandbox's
 * `QFSign_Error` reason; the WeChat JSAPI sequence (OAuth link, code, openid, 800207 payment,
 * typed pay parameters, `/q/direct`) ends paid; `extra_params` reaches QFPay signed.
 */
class OnlinePaymentsTest {
    private static Sandbox sandbox;
    private static QfPayClient client;
    private static HttpServer receiver;
    private static String local;
    /** Each notification received: its raw body and `X-QF-SIGN`. */
    private static final LinkedBlockingQueue<String[]> received = new LinkedBlockingQueue<>();
    private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.builder().rateLimit(false).start();
        client = sandbox.clientBuilder().maxRetries(0).build();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/notify", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            received.add(new String[] {new String(body, StandardCharsets.UTF_8), ex.getRequestHeaders().getFirst("X-QF-SIGN")});
            byte[] ack = QfPay.NOTIFICATION_ACK.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ack.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(ack);
            }
        });
        receiver.start();
        local = "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
        client.close();
        sandbox.close();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON POST to a sandbox page endpoint, as the page's own script sends it. */
    private static JSONObject post(String path, JSONObject body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sandbox.getBaseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return new JSONObject(r.body());
    }

    /** What the checkstand page posts when it opens: the link's query text after `#/?`. */
    private static JSONObject open(String link) throws Exception {
        return post("/checkstand/session", new JSONObject().put("query", link.substring(link.indexOf("#/?") + 3)));
    }

    /** The next notification (verified with the SDK) for [outTradeNo]. */
    private static Notification notification(String outTradeNo) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < end) {
            String[] got = received.poll(200, TimeUnit.MILLISECONDS);
            if (got == null) continue;
            Notification n = Notifications.verify(got[0].getBytes(StandardCharsets.UTF_8), got[1], sandbox.getClientKey());
            if (outTradeNo.equals(n.getOutTradeNo())) return n;
        }
        throw new AssertionError("no notification for " + outTradeNo);
    }

    private static CheckoutRequest.Builder checkout(long amount) {
        return CheckoutRequest.builder(amount, "HKD", local + "/return?order=1&lang=en", local + "/failed", local + "/notify")
                .goodsName("Green tea & cake");
    }

    @Test
    void aCheckoutLinkIsVerifiedAndPaidByTheSandboxAndItsNotificationVerifies() throws Exception {
        CheckoutLink link = client.checkoutUrl(checkout(1234).build());
        assertTrue(link.getUrl().startsWith(sandbox.getBaseUrl() + "/checkstand/#/?"), link.getUrl());
        assertEquals(1234L, link.getTxamt());
        assertEquals(link, client.verifyCheckoutUrl(link.getUrl()));

        JSONObject session = open(link.getUrl());
        assertTrue(session.getBoolean("ok"), session.toString());
        JSONObject order = session.getJSONObject("order");
        assertEquals(link.getOutTradeNo(), order.getString("out_trade_no"));
        assertEquals(1234, order.getLong("txamt"));
        assertEquals("pending", client.findPayment(link.getOutTradeNo()).getState().getWire());

        JSONObject paid = post("/sandbox/checkout/" + order.getString("syssn"), new JSONObject().put("action", "pay").put("wallet", "wechat"));
        assertTrue(paid.getBoolean("ok"), paid.toString());
        assertEquals(local + "/return?order=1&lang=en", paid.getString("redirect"));

        Notification n = notification(link.getOutTradeNo());
        assertTrue(n.isSuccess());
        assertEquals(1234L, n.getTxamt());
        Transaction t = client.waitForPayment(link.getOutTradeNo(), Duration.ofSeconds(10));
        assertTrue(t.isPaid());
        assertEquals(TransactionState.SUCCEEDED, client.findPayment(link.getOutTradeNo()).getState());
    }

    @Test
    void aLinkSignedWithAWrongKeyShowsTheSandboxsSignatureReason() throws Exception {
        try (QfPayClient wrong = sandbox.clientBuilder().clientKey("0123456789ABCDEF0123456789ABCDEF").build()) {
            CheckoutLink link = wrong.checkoutUrl(checkout(500).build());
            JSONObject session = open(link.getUrl());
            assertFalse(session.getBoolean("ok"), session.toString());
            assertEquals("QFSign_Error", session.getString("error"));
            assertTrue(session.getString("reason").contains("signature does not match"), session.toString());
            SignatureException e = assertThrows(SignatureException.class, () -> client.verifyCheckoutUrl(link.getUrl()));
            assertTrue(e.getMessage().contains("QFSign_Error"), e.getMessage());
        }
    }

    @Test
    void aLinkSignedOverEncodedValuesShowsTheSandboxsReason() throws Exception {
        CheckoutLink good = client.checkoutUrl(checkout(600).build());
        // The link's own values as they stand in it (percent-encoded), signed as they are: the
        // mistake a hand-written integration makes.
        String query = good.getUrl().substring(good.getUrl().indexOf("#/?") + 3);
        Map<String, String> encoded = new LinkedHashMap<>();
        Map<String, String> raw = new LinkedHashMap<>(good.getParams());
        raw.remove("sign");
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            if (!kv[0].equals("sign")) encoded.put(kv[0], kv[1]);
        }
        SignType st = good.getSignType().equals("sha256") ? SignType.SHA256 : SignType.MD5;
        // The checkout signature is the request signature's digest, in lowercase hex.
        assertEquals(good.getSign(), Signing.sign(raw, sandbox.getClientKey(), st).toLowerCase());
        String bad = query.substring(0, query.indexOf("&sign=")) + "&sign=" + Signing.sign(encoded, sandbox.getClientKey(), st).toLowerCase();
        JSONObject session = open(sandbox.getBaseUrl() + "/checkstand/#/?" + bad);
        assertFalse(session.getBoolean("ok"), session.toString());
        assertEquals("QFSign_Error", session.getString("error"));
        assertTrue(session.getString("reason").contains("percent-encoded"), session.toString());
    }

    @Test
    void theJsapiSequenceEndsPaidThroughTheCashier() throws Exception {
        String oauth = client.wechatOauthUrl(local + "/wechat/back");
        assertTrue(oauth.startsWith(sandbox.getBaseUrl() + "/tool/v1/get_weixin_oauth_code?"), oauth);
        HttpResponse<String> redirect = get(oauth);
        assertEquals(302, redirect.statusCode(), redirect.body());
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(local + "/wechat/back?code="), location);
        String code = location.substring(location.indexOf("code=") + 5);

        String openid = client.getWechatOpenid(code);
        assertEquals(28, openid.length(), openid);
        // A code is single-use.
        InvalidRequestException used = assertThrows(InvalidRequestException.class, () -> client.getWechatOpenid(code));
        assertEquals("invalid_request", used.getCode());
        assertEquals("1104", used.getRespcd(), used.getMessage());

        Payment payment = client.createPayment(PaymentRequest.builder(1050, "HKD", PayTypes.WECHAT_JSAPI)
                .subOpenid(openid).goodsName("Tea").notifyUrl(local + "/notify").build());
        WechatPayParams pp = payment.getWechatPayParams();
        assertNotNull(pp);
        assertNull(payment.getQrcode());
        assertTrue(pp.getPackage().startsWith("prepay_id="), pp.getPackage());
        assertEquals(pp.getPackage(), pp.getRaw().get("package"));
        assertEquals(pp.getPaySign(), pp.getRaw().get("paySign"));
        assertEquals(Set6.KEYS, pp.getRaw().keySet());

        String cashier = client.cashierUrl(1050, "HKD", pp.getRaw(), "Sandbox Tea House", local + "/done", "Tea", null);
        assertTrue(cashier.startsWith(sandbox.getBaseUrl() + "/q/direct?"), cashier);
        HttpResponse<String> page = get(cashier);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("id=\"pay\""), page.body());
        // The JSON text of the pay parameters gives the same link.
        assertEquals(cashier, client.cashierUrl(1050, "HKD", new JSONObject(pp.getRaw()).toString(), "Sandbox Tea House", local + "/done", "Tea", null));

        // The page's Pay button.
        JSONObject paid = post("/sandbox/checkout/" + payment.getSyssn(), new JSONObject().put("action", "pay").put("redirect_url", local + "/done"));
        assertEquals(local + "/done", paid.getString("redirect"));
        assertTrue(client.waitForPayment(payment.getOutTradeNo(), Duration.ofSeconds(10)).isPaid());
        assertTrue(notification(payment.getOutTradeNo()).isSuccess());
    }

    @Test
    void theOpenidExchangeRunsAsyncToo() throws Exception {
        String location = get(client.wechatOauthUrl(local + "/cb?x=1")).headers().firstValue("Location").orElseThrow();
        String code = location.substring(location.indexOf("code=") + 5);
        assertEquals(28, client.getWechatOpenidAsync(code).get(10, TimeUnit.SECONDS).length());
    }

    @Test
    void extraParamsAreSignedAndSentAndAShadowingOneIsRefusedBeforeSending() {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("x_shop_ref", "ABC-1");
        Payment p = client.createPayment(PaymentRequest.wechatQr(700, "HKD").extraParams(extra).build());
        JSONArray log = new JSONArray(sandbox.requests());
        JSONObject last = null;
        for (int i = 0; i < log.length(); i++) {
            JSONObject r = log.getJSONObject(i);
            if (r.getString("body").contains("out_trade_no=" + p.getOutTradeNo())) last = r;
        }
        assertNotNull(last, "the payment is not in the sandbox's log");
        assertTrue(last.getString("body").contains("x_shop_ref=ABC-1"), last.getString("body"));
        assertEquals("0000", last.getString("respcd"), "the signature covers extra_params");

        long before = sandbox.requestCount();
        Map<String, String> shadow = Map.of("txamt", "1");
        ValidationException e = assertThrows(ValidationException.class,
                () -> client.createPayment(PaymentRequest.wechatQr(700, "HKD").extraParams(shadow).build()));
        assertEquals("extra_params.txamt", e.getField(), e.getMessage());
        ValidationException json = assertThrows(ValidationException.class,
                () -> client.createPayment(PaymentRequest.wechatQr(700, "HKD").extraParamsJson("{\"sign\":\"x\"}").build()));
        assertEquals("extra_params.sign", json.getField(), json.getMessage());
        assertEquals(before, sandbox.requestCount(), "a refused request was sent");
    }

    @Test
    void localOperationsAreSynchronousEvenOnTheIoThread() throws Exception {
        // A completion run in place runs on the library's I/O thread, where a blocking call is
        // refused; building a link sends nothing, so it is a plain call there too.
        try (QfPayClient inPlace = sandbox.clientBuilder().executor(Runnable::run).build()) {
            CheckoutLink link = inPlace.findPaymentAsync("no-such-order")
                    .thenApply(none -> inPlace.checkoutUrl(checkout(800).build()))
                    .get(10, TimeUnit.SECONDS);
            assertEquals(link, inPlace.verifyCheckoutUrl(link.getUrl()));
            String oauth = inPlace.findPaymentAsync("no-such-order").thenApply(none -> inPlace.wechatOauthUrl(local + "/cb")).get(10, TimeUnit.SECONDS);
            assertTrue(oauth.contains("sign="), oauth);
        }
    }

    /** WeChat's six pay-parameter names. */
    private static final class Set6 {
        static final java.util.Set<String> KEYS = java.util.Set.of("appId", "timeStamp", "nonceStr", "package", "signType", "paySign");
    }
}
