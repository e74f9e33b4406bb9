package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 22 (4): a String that is not valid UTF-16 (a lone surrogate) given to any entry point of
 * the JVM binding is a ValidationException naming the field (QFPay's name for a request field,
 * the option's or argument's name otherwise), thrown before anything is converted or sent; before,
 * the generated converter threw a checked java.nio.charset.MalformedInputException. The table
 * below is checked against a reflective walk of every public method taking a String, so a new
 * one must be added here.
 */
class LoneSurrogateTest {
    static final String BAD = "x\ud800";        // a high surrogate with nothing after it
    static final String BAD_LOW = "\udc00y";    // a low surrogate with nothing before it
    static final String KEY = Sandbox.CLIENT_KEY;
    static final byte[] BODY = "{\"notify_type\":\"payment\"}".getBytes(StandardCharsets.UTF_8);

    static Sandbox sandbox;
    static QfPayClient client;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.builder().rateLimit(false).start();
        client = sandbox.client();
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    /** One entry point given a bad String: what it calls. A returned future is joined. */
    interface Call {
        Object run() throws Throwable;
    }

    /** An entry point ("Class.method(arity)#argument"), the field it must name, and the call. */
    record Case(String entry, String field, Call call) {
        @Override
        public String toString() {
            return entry + " -> " + field;
        }
    }

    static PaymentRequest.Builder pay() {
        return PaymentRequest.wechatQr(1001, "HKD");
    }

    static Map<String, String> params(String name, String value) {
        Map<String, String> m = new HashMap<>();
        m.put("txamt", "1");
        m.put(name, value);
        return m;
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // PaymentRequest
        c.add(new Case("PaymentRequest.wechatQr(2)#1", "txcurrcd", () -> PaymentRequest.wechatQr(1, BAD)));
        c.add(new Case("PaymentRequest.builder(3)#1", "txcurrcd", () -> PaymentRequest.builder(1, BAD, "800201")));
        c.add(new Case("PaymentRequest.builder(3)#2", "pay_type", () -> PaymentRequest.builder(1, "HKD", BAD)));
        c.add(new Case("PaymentRequest$Builder.amount(2)#1", "txcurrcd", () -> pay().amount(1, BAD)));
        c.add(new Case("PaymentRequest$Builder.payType(1)#0", "pay_type", () -> pay().payType(BAD)));
        c.add(new Case("PaymentRequest$Builder.outTradeNo(1)#0", "out_trade_no", () -> pay().outTradeNo(BAD)));
        c.add(new Case("PaymentRequest$Builder.txdtm(1)#0", "txdtm", () -> pay().txdtm(BAD)));
        c.add(new Case("PaymentRequest$Builder.authCode(1)#0", "auth_code", () -> pay().authCode(BAD)));
        c.add(new Case("PaymentRequest$Builder.goodsName(1)#0", "goods_name", () -> pay().goodsName(BAD)));
        c.add(new Case("PaymentRequest$Builder.goodsInfo(1)#0", "goods_info", () -> pay().goodsInfo(BAD)));
        c.add(new Case("PaymentRequest$Builder.mchid(1)#0", "mchid", () -> pay().mchid(BAD)));
        c.add(new Case("PaymentRequest$Builder.udid(1)#0", "udid", () -> pay().udid(BAD)));
        c.add(new Case("PaymentRequest$Builder.notifyUrl(1)#0", "notify_url", () -> pay().notifyUrl(BAD)));
        c.add(new Case("PaymentRequest$Builder.returnUrl(1)#0", "return_url", () -> pay().returnUrl(BAD)));
        c.add(new Case("PaymentRequest$Builder.rmbTag(1)#0", "rmb_tag", () -> pay().rmbTag(BAD)));
        c.add(new Case("PaymentRequest$Builder.realName(2)#0", "extend_info.user_creid", () -> pay().realName(BAD, "A")));
        c.add(new Case("PaymentRequest$Builder.realName(2)#1", "extend_info.user_truename", () -> pay().realName("110101199003074477", BAD)));
        c.add(new Case("PaymentRequest$Builder.extendInfo(1)#0", "extend_info", () -> pay().extendInfo("{\"a\":\"" + BAD + "\"}")));
        c.add(new Case("PaymentRequest$Builder.extendInfoJson(1)#0", "extend_info", () -> pay().extendInfoJson(BAD)));
        c.add(new Case("PaymentRequest$Builder.limitPay(1)#0", "limit_pay", () -> pay().limitPay(BAD)));
        c.add(new Case("PaymentRequest$Builder.payTag(1)#0", "pay_tag", () -> pay().payTag(BAD)));
        c.add(new Case("PaymentRequest$Builder.subOpenid(1)#0", "sub_openid", () -> pay().subOpenid(BAD)));
        c.add(new Case("PaymentRequest$Builder.openid(1)#0", "openid", () -> pay().openid(BAD)));
        c.add(new Case("PaymentRequest$Builder.sellerId(1)#0", "seller_id", () -> pay().sellerId(BAD)));
        c.add(new Case("PaymentRequest$Builder.failedUrl(1)#0", "failed_url", () -> pay().failedUrl(BAD)));
        c.add(new Case("PaymentRequest$Builder.cancelUrl(1)#0", "cancel_url", () -> pay().cancelUrl(BAD)));
        c.add(new Case("PaymentRequest$Builder.extraParams(1)#0", "extra_params.x_ref", () -> pay().extraParams(Map.of("x_ref", BAD))));
        c.add(new Case("PaymentRequest$Builder.extraParams(1)#0 name", "extra_params", () -> pay().extraParams(Map.of(BAD_LOW, "a"))));
        c.add(new Case("PaymentRequest$Builder.extraParamsJson(1)#0", "extra_params", () -> pay().extraParamsJson("{\"x\":\"" + BAD + "\"}")));
        // CheckoutRequest
        String u = "https://shop.example/r";
        c.add(new Case("CheckoutRequest.builder(5)#1", "txcurrcd", () -> CheckoutRequest.builder(1, BAD, u, u, u)));
        c.add(new Case("CheckoutRequest.builder(5)#2", "return_url", () -> CheckoutRequest.builder(1, "HKD", BAD, u, u)));
        c.add(new Case("CheckoutRequest.builder(5)#3", "failed_url", () -> CheckoutRequest.builder(1, "HKD", u, BAD, u)));
        c.add(new Case("CheckoutRequest.builder(5)#4", "notify_url", () -> CheckoutRequest.builder(1, "HKD", u, u, BAD_LOW)));
        c.add(new Case("CheckoutRequest.of(5)#1", "txcurrcd", () -> CheckoutRequest.of(1, BAD, u, u, u)));
        c.add(new Case("CheckoutRequest.of(5)#2", "return_url", () -> CheckoutRequest.of(1, "HKD", BAD, u, u)));
        c.add(new Case("CheckoutRequest.of(5)#3", "failed_url", () -> CheckoutRequest.of(1, "HKD", u, BAD, u)));
        c.add(new Case("CheckoutRequest.of(5)#4", "notify_url", () -> CheckoutRequest.of(1, "HKD", u, u, BAD)));
        String[][] checkoutSetters = {
            {"outTradeNo", "out_trade_no"}, {"txdtm", "txdtm"}, {"paysource", "paysource"}, {"cancelUrl", "cancel_url"},
            {"mchntid", "mchntid"}, {"goodsName", "goods_name"}, {"udid", "udid"}, {"checkoutExpiresAt", "checkout_expired_time"},
            {"limitPay", "limit_pay"}, {"lang", "lang"},
        };
        for (String[] m : checkoutSetters) {
            c.add(new Case("CheckoutRequest$Builder." + m[0] + "(1)#0", m[1],
                    () -> {
                        try {
                            return CheckoutRequest.Builder.class.getMethod(m[0], String.class).invoke(CheckoutRequest.builder(1, "HKD", u, u, u), BAD);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }));
        }
        // QueryRequest
        c.add(new Case("QueryRequest.byOutTradeNo(1)#0", "out_trade_no", () -> QueryRequest.byOutTradeNo(BAD)));
        c.add(new Case("QueryRequest.bySyssn(1)#0", "syssn", () -> QueryRequest.bySyssn(BAD)));
        c.add(new Case("QueryRequest$Builder.syssn(1)#0", "syssn", () -> QueryRequest.builder().syssn("2026", BAD)));
        c.add(new Case("QueryRequest$Builder.outTradeNo(1)#0", "out_trade_no", () -> QueryRequest.builder().outTradeNo(BAD)));
        c.add(new Case("QueryRequest$Builder.payType(1)#0", "pay_type", () -> QueryRequest.builder().payType(BAD)));
        c.add(new Case("QueryRequest$Builder.respcd(1)#0", "respcd", () -> QueryRequest.builder().respcd(BAD)));
        c.add(new Case("QueryRequest$Builder.startTime(1)#0", "start_time", () -> QueryRequest.builder().startTime(BAD)));
        c.add(new Case("QueryRequest$Builder.endTime(1)#0", "end_time", () -> QueryRequest.builder().endTime(BAD)));
        c.add(new Case("QueryRequest$Builder.timeRange(2)#0", "start_time", () -> QueryRequest.builder().timeRange(BAD, "2026-11-25 00:00:00")));
        c.add(new Case("QueryRequest$Builder.timeRange(2)#1", "end_time", () -> QueryRequest.builder().timeRange("2026-11-25 00:00:00", BAD)));
        c.add(new Case("QueryRequest$Builder.mchid(1)#0", "mchid", () -> QueryRequest.builder().mchid(BAD)));
        // RefundRequest
        c.add(new Case("RefundRequest.builder(3)#0", "syssn", () -> RefundRequest.builder(BAD, 1, "HKD")));
        c.add(new Case("RefundRequest.builder(3)#2", "txcurrcd", () -> RefundRequest.builder("2026", 1, BAD)));
        c.add(new Case("RefundRequest.of(3)#0", "syssn", () -> RefundRequest.of(BAD, 1, "HKD")));
        c.add(new Case("RefundRequest.of(3)#2", "txcurrcd", () -> RefundRequest.of("2026", 1, BAD)));
        c.add(new Case("RefundRequest$Builder.outTradeNo(1)#0", "out_trade_no", () -> RefundRequest.builder("2026", 1, "HKD").outTradeNo(BAD)));
        c.add(new Case("RefundRequest$Builder.txdtm(1)#0", "txdtm", () -> RefundRequest.builder("2026", 1, "HKD").txdtm(BAD)));
        c.add(new Case("RefundRequest$Builder.mchid(1)#0", "mchid", () -> RefundRequest.builder("2026", 1, "HKD").mchid(BAD)));
        c.add(new Case("RefundRequest$Builder.udid(1)#0", "udid", () -> RefundRequest.builder("2026", 1, "HKD").udid(BAD)));
        // CancelRequest
        c.add(new Case("CancelRequest.builder(2)#1", "txcurrcd", () -> CancelRequest.builder(1, BAD)));
        c.add(new Case("CancelRequest.byOutTradeNo(3)#0", "out_trade_no", () -> CancelRequest.byOutTradeNo(BAD, 1, "HKD")));
        c.add(new Case("CancelRequest.byOutTradeNo(3)#2", "txcurrcd", () -> CancelRequest.byOutTradeNo("qf1", 1, BAD)));
        c.add(new Case("CancelRequest.bySyssn(3)#0", "syssn", () -> CancelRequest.bySyssn(BAD, 1, "HKD")));
        c.add(new Case("CancelRequest.bySyssn(3)#2", "txcurrcd", () -> CancelRequest.bySyssn("2026", 1, BAD)));
        c.add(new Case("CancelRequest$Builder.syssn(1)#0", "syssn", () -> CancelRequest.builder(1, "HKD").syssn(BAD)));
        c.add(new Case("CancelRequest$Builder.outTradeNo(1)#0", "out_trade_no", () -> CancelRequest.builder(1, "HKD").outTradeNo(BAD)));
        c.add(new Case("CancelRequest$Builder.txdtm(1)#0", "txdtm", () -> CancelRequest.builder(1, "HKD").txdtm(BAD)));
        c.add(new Case("CancelRequest$Builder.mchid(1)#0", "mchid", () -> CancelRequest.builder(1, "HKD").mchid(BAD)));
        c.add(new Case("CancelRequest$Builder.udid(1)#0", "udid", () -> CancelRequest.builder(1, "HKD").udid(BAD)));
        // QfPayClient: the JNI fast path, blocking and CompletableFuture
        Duration s = Duration.ofSeconds(1);
        c.add(new Case("QfPayClient.wechatQr(2)#1", "txcurrcd", () -> client.wechatQr(1001, BAD)));
        c.add(new Case("QfPayClient.wechatQrAsync(2)#1", "txcurrcd", () -> client.wechatQrAsync(1001, BAD)));
        c.add(new Case("QfPayClient.wechatQr(3)#1", "txcurrcd", () -> client.wechatQr(1001, BAD_LOW, CallOptions.timeout(s))));
        c.add(new Case("QfPayClient.wechatQrAsync(3)#1", "txcurrcd", () -> client.wechatQrAsync(1001, BAD, CallOptions.timeout(s))));
        c.add(new Case("QfPayClient.findPayment(1)#0", "out_trade_no", () -> client.findPayment(BAD)));
        c.add(new Case("QfPayClient.findPayment(2)#0", "out_trade_no", () -> client.findPayment(BAD_LOW, CallOptions.timeout(s))));
        c.add(new Case("QfPayClient.findPaymentAsync(1)#0", "out_trade_no", () -> client.findPaymentAsync(BAD)));
        c.add(new Case("QfPayClient.findPaymentAsync(2)#0", "out_trade_no", () -> client.findPaymentAsync(BAD, CallOptions.timeout(s))));
        c.add(new Case("QfPayClient.waitForPayment(1)#0", "out_trade_no", () -> client.waitForPayment(BAD)));
        c.add(new Case("QfPayClient.waitForPayment(2)#0", "out_trade_no", () -> client.waitForPayment(BAD, s)));
        c.add(new Case("QfPayClient.waitForPayment(4)#0", "out_trade_no", () -> client.waitForPayment(BAD, s, s, s)));
        c.add(new Case("QfPayClient.waitForPaymentAsync(1)#0", "out_trade_no", () -> client.waitForPaymentAsync(BAD)));
        c.add(new Case("QfPayClient.waitForPaymentAsync(2)#0", "out_trade_no", () -> client.waitForPaymentAsync(BAD, s)));
        c.add(new Case("QfPayClient.waitForPaymentAsync(4)#0", "out_trade_no", () -> client.waitForPaymentAsync(BAD, s, s, s)));
        // Reconciliation: the period, the ledger, statements
        String t0 = "2024-01-01 00:00:00", t1 = "2024-01-31 23:59:59";
        c.add(new Case("TransactionsRequest.builder(2)#0", "start_time", () -> TransactionsRequest.builder(BAD, t1)));
        c.add(new Case("TransactionsRequest.builder(2)#1", "end_time", () -> TransactionsRequest.builder(t0, BAD)));
        c.add(new Case("TransactionsRequest.of(2)#0", "start_time", () -> TransactionsRequest.of(BAD, t1)));
        c.add(new Case("TransactionsRequest.of(2)#1", "end_time", () -> TransactionsRequest.of(t0, BAD)));
        c.add(new Case("TransactionsRequest$Builder.payType(1)#0", "pay_type", () -> TransactionsRequest.builder(t0, t1).payType(BAD)));
        c.add(new Case("TransactionsRequest$Builder.respcd(1)#0", "respcd", () -> TransactionsRequest.builder(t0, t1).respcd(BAD)));
        c.add(new Case("TransactionsRequest$Builder.mchid(1)#0", "mchid", () -> TransactionsRequest.builder(t0, t1).mchid(BAD)));
        c.add(new Case("ReconcileRequest.builder(3)#0", "ledger", () -> ReconcileRequest.builder(BAD, t0, t1)));
        c.add(new Case("ReconcileRequest.builder(3)#0 list", "ledger", () -> ReconcileRequest.builder(List.of(Map.of("outTradeNo", BAD, "amount", 1, "currency", "HKD")), t0, t1)));
        c.add(new Case("ReconcileRequest.builder(3)#1", "start_time", () -> ReconcileRequest.builder("out_trade_no,amount,currency\n", BAD, t1)));
        c.add(new Case("ReconcileRequest.builder(3)#2", "end_time", () -> ReconcileRequest.builder(List.of(), t0, BAD)));
        c.add(new Case("ReconcileRequest$Builder.payType(1)#0", "pay_type", () -> ReconcileRequest.builder(List.of(), t0, t1).payType(BAD)));
        c.add(new Case("ReconcileRequest$Builder.respcd(1)#0", "respcd", () -> ReconcileRequest.builder(List.of(), t0, t1).respcd(BAD)));
        c.add(new Case("ReconcileRequest$Builder.mchid(1)#0", "mchid", () -> ReconcileRequest.builder(List.of(), t0, t1).mchid(BAD)));
        c.add(new Case("QfPayClient.downloadTradeBill(1)#0", "trade_date", () -> client.downloadTradeBill(BAD)));
        c.add(new Case("QfPayClient.downloadTradeBill(2)#0", "trade_date", () -> client.downloadTradeBill(BAD_LOW, CallOptions.timeout(s))));
        c.add(new Case("QfPayClient.downloadTradeBillAsync(1)#0", "trade_date", () -> client.downloadTradeBillAsync(BAD)));
        c.add(new Case("QfPayClient.downloadTradeBillAsync(2)#0", "trade_date", () -> client.downloadTradeBillAsync(BAD, CallOptions.timeout(s))));
        String[] settlementFields = {"date_start", "date_end", "paymethod", "mchid"};
        for (boolean async : new boolean[] {false, true}) {
            for (int arity = 2; arity <= 5; arity++) {
                for (int i = 0; i < Math.min(arity, 4); i++) {
                    String[] a = {"20240101", "20240102", "wechat", "M1"};
                    a[i] = BAD;
                    final int n = arity;
                    c.add(new Case("QfPayClient.settlements" + (async ? "Async" : "") + "(" + arity + ")#" + i, settlementFields[i], () -> switch (n) {
                        case 2 -> async ? client.settlementsAsync(a[0], a[1]) : client.settlements(a[0], a[1]);
                        case 3 -> async ? client.settlementsAsync(a[0], a[1], a[2]) : client.settlements(a[0], a[1], a[2]);
                        case 4 -> async ? client.settlementsAsync(a[0], a[1], a[2], a[3]) : client.settlements(a[0], a[1], a[2], a[3]);
                        default -> async ? client.settlementsAsync(a[0], a[1], a[2], a[3], CallOptions.timeout(s)) : client.settlements(a[0], a[1], a[2], a[3], CallOptions.timeout(s));
                    }));
                }
            }
        }
        String[] noteFields = {"syssn", "note"};
        for (boolean async : new boolean[] {false, true}) {
            for (int arity = 2; arity <= 3; arity++) {
                for (int i = 0; i < 2; i++) {
                    String[] a = {"20240101000300020000000001", "a note"};
                    a[i] = BAD;
                    final int n = arity;
                    c.add(new Case("QfPayClient.addNote" + (async ? "Async" : "") + "(" + arity + ")#" + i, noteFields[i], () -> n == 2
                            ? (async ? client.addNoteAsync(a[0], a[1]) : client.addNote(a[0], a[1]))
                            : (async ? client.addNoteAsync(a[0], a[1], CallOptions.timeout(s)) : client.addNote(a[0], a[1], CallOptions.timeout(s)))));
                }
            }
        }
        // QfPayClient: the online operations
        Map<String, String> pp = Map.of("package", "prepay_id=wx1");
        c.add(new Case("QfPayClient.verifyCheckoutUrl(1)#0", "url", () -> client.verifyCheckoutUrl(BAD)));
        c.add(new Case("QfPayClient.wechatOauthUrl(1)#0", "redirect_uri", () -> client.wechatOauthUrl(BAD)));
        c.add(new Case("QfPayClient.wechatOauthUrl(2)#0", "redirect_uri", () -> client.wechatOauthUrl(BAD, "M1")));
        c.add(new Case("QfPayClient.wechatOauthUrl(2)#1", "mchid", () -> client.wechatOauthUrl(u, BAD)));
        c.add(new Case("QfPayClient.getWechatOpenid(1)#0", "code", () -> client.getWechatOpenid(BAD)));
        c.add(new Case("QfPayClient.getWechatOpenid(2)#0", "code", () -> client.getWechatOpenid(BAD, null)));
        c.add(new Case("QfPayClient.getWechatOpenid(2)#1", "mchid", () -> client.getWechatOpenid("c", BAD)));
        c.add(new Case("QfPayClient.getWechatOpenid(3)#0", "code", () -> client.getWechatOpenid(BAD_LOW, null, CallOptions.timeout(s))));
        c.add(new Case("QfPayClient.getWechatOpenid(3)#1", "mchid", () -> client.getWechatOpenid("c", BAD, CallOptions.timeout(s))));
        c.add(new Case("QfPayClient.getWechatOpenidAsync(1)#0", "code", () -> client.getWechatOpenidAsync(BAD)));
        c.add(new Case("QfPayClient.getWechatOpenidAsync(2)#0", "code", () -> client.getWechatOpenidAsync(BAD, null)));
        c.add(new Case("QfPayClient.getWechatOpenidAsync(2)#1", "mchid", () -> client.getWechatOpenidAsync("c", BAD)));
        c.add(new Case("QfPayClient.getWechatOpenidAsync(3)#0", "code", () -> client.getWechatOpenidAsync(BAD, null, CallOptions.timeout(s))));
        c.add(new Case("QfPayClient.getWechatOpenidAsync(3)#1", "mchid", () -> client.getWechatOpenidAsync("c", BAD, CallOptions.timeout(s))));
        for (int arity = 5; arity <= 7; arity++) {
            for (int i = 1; i < arity; i++) {
                String[] args = {"HKD", null, "Tea House", u, "Tea", "hk"};
                String field = new String[] {"txcurrcd", "pay_params.package", "mchntnm", "redirect_url", "goods_name", "region"}[i - 1];
                final int n = arity, at = i;
                c.add(new Case("QfPayClient.cashierUrl(" + arity + ")#" + i, field, () -> {
                    args[at - 1] = BAD;
                    Map<String, String> params = at == 2 ? Map.of("package", BAD) : pp;
                    if (n == 5) return client.cashierUrl(1, args[0], params, args[2], args[3]);
                    if (n == 6) return client.cashierUrl(1, args[0], params, args[2], args[3], args[4]);
                    return client.cashierUrl(1, args[0], params, args[2], args[3], args[4], args[5]);
                }));
            }
        }
        c.add(new Case("QfPayClient.cashierUrl(5)#2 text", "pay_params", () -> client.cashierUrl(1, "HKD", BAD, "Tea House", u)));
        // QfPayClient.Builder: the options
        c.add(new Case("QfPayClient$Builder.appCode(1)#0", "appCode", () -> QfPayClient.builder().appCode(BAD)));
        c.add(new Case("QfPayClient$Builder.clientKey(1)#0", "clientKey", () -> QfPayClient.builder().clientKey(KEY + BAD)));
        c.add(new Case("QfPayClient$Builder.credentials(2)#0", "appCode", () -> QfPayClient.builder().credentials(BAD, KEY)));
        c.add(new Case("QfPayClient$Builder.credentials(2)#1", "clientKey", () -> QfPayClient.builder().credentials("APP", BAD)));
        c.add(new Case("QfPayClient$Builder.environment(1)#0", "environment", () -> QfPayClient.builder().environment(BAD)));
        c.add(new Case("QfPayClient$Builder.baseUrl(1)#0", "baseUrl", () -> QfPayClient.builder().baseUrl("http://127.0.0.1/" + BAD)));
        c.add(new Case("QfPayClient$Builder.mchid(1)#0", "mchid", () -> QfPayClient.builder().mchid(BAD)));
        c.add(new Case("QfPayClient$Builder.proxy(1)#0", "proxy", () -> QfPayClient.builder().proxy("http://u:" + BAD + "@proxy:3128")));
        // Notifications, Signing, Qr
        c.add(new Case("Notifications.verify(3)#1", "signature", () -> Notifications.verify(BODY, BAD, KEY)));
        c.add(new Case("Notifications.verify(3)#2", "clientKey", () -> Notifications.verify(BODY, "00", BAD)));
        c.add(new Case("Notifications.signature(2)#1", "clientKey", () -> Notifications.signature(BODY, BAD)));
        c.add(new Case("Signing.sign(3)#1", "key", () -> Signing.sign(params("goods_name", "a"), BAD, SignType.MD5)));
        c.add(new Case("Signing.sign(3)#0", "goods_name", () -> Signing.sign(params("goods_name", BAD), KEY, SignType.SHA256)));
        c.add(new Case("Signing.sign(3)#0 name", "params", () -> Signing.sign(params(BAD, "a"), KEY, SignType.MD5)));
        c.add(new Case("Signing.stringToSign(1)#0", "goods_name", () -> Signing.stringToSign(params("goods_name", BAD))));
        c.add(new Case("Signing.stringToSign(1)#0 name", "params", () -> Signing.stringToSign(params(BAD, "a"))));
        c.add(new Case("Qr.svg(1)#0", "content", () -> Qr.svg(BAD)));
        c.add(new Case("Qr.png(1)#0", "content", () -> Qr.png(BAD)));
        c.add(new Case("Qr.png(2)#0", "content", () -> Qr.png(BAD, 4)));
        c.add(new Case("Qr.dataUrl(1)#0", "content", () -> Qr.dataUrl(BAD)));
        c.add(new Case("Qr.terminal(1)#0", "content", () -> Qr.terminal(BAD)));
        // Sandbox
        c.add(new Case("Sandbox.pay(1)#0", "syssnOrOutTradeNo", () -> sandbox.pay(BAD)));
        c.add(new Case("Sandbox.injectCanned(3)#1", "body", () -> { sandbox.injectCanned(200, BAD, 1); return null; }));
        c.add(new Case("Fault.canned(2)#1", "body", () -> Fault.canned(200, BAD)));
        c.add(new Case("Sandbox$Builder.credentials(2)#0", "appCode", () -> Sandbox.builder().credentials(BAD, KEY)));
        c.add(new Case("Sandbox$Builder.credentials(2)#1", "clientKey", () -> Sandbox.builder().credentials("APP", BAD)));
        c.add(new Case("Sandbox$Builder.merchants(2)#0", "appCode", () -> Sandbox.builder().merchants(BAD, KEY)));
        c.add(new Case("Sandbox$Builder.merchants(2)#1", "clientKey", () -> Sandbox.builder().merchants("APP", BAD)));
        c.add(new Case("Sandbox$Builder.mchid(1)#0", "mchid", () -> Sandbox.builder().mchid(BAD)));
        c.add(new Case("Sandbox$Builder.notifyUrl(1)#0", "notifyUrl", () -> Sandbox.builder().notifyUrl(BAD)));
        return c;
    }

    static Stream<Arguments> entryPoints() {
        return cases().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entryPoints")
    void aLoneSurrogateIsAValidationExceptionNamingTheField(Case c) {
        long sent = sandbox.requestCount();
        Throwable thrown = null;
        try {
            Object r = c.call().run();
            if (r instanceof CompletableFuture<?> f) f.join();
        } catch (CompletionException e) {
            thrown = e.getCause();
        } catch (Throwable t) {
            thrown = t;
        }
        assertNotNull(thrown, c.entry() + " accepted a lone surrogate");
        ValidationException v = assertInstanceOf(ValidationException.class, thrown, c.entry() + ": " + thrown);
        assertEquals(c.field(), v.getField(), c.entry() + ": " + v.getMessage());
        assertEquals("validation", v.getCode());
        assertTrue(v.getMessage().startsWith("invalid " + c.field() + ": "), v.getMessage());
        assertTrue(v.getMessage().contains("not valid UTF-16") && v.getMessage().contains("lone surrogate"), v.getMessage());
        assertTrue(!v.getMessage().contains(KEY), v.getMessage());
        assertEquals(sent, sandbox.requestCount(), c.entry() + ": something was sent");
    }

    @Test
    void theMessageNamesTheJavaArgumentWhenItDiffersFromQfpaysField() {
        ValidationException v = (ValidationException) assertThrowsAny(() -> PaymentRequest.wechatQr(1001, "HKD").goodsName(BAD));
        assertEquals("goods_name", v.getField());
        assertEquals("invalid goods_name: goodsName is not valid UTF-16 text (a lone surrogate at index 1)", v.getMessage());
    }

    static Throwable assertThrowsAny(Call c) {
        try {
            c.run();
        } catch (Throwable t) {
            return t;
        }
        return fail("nothing thrown");
    }

    @Test
    void surrogatePairsAndOtherTextStillWork() {
        String text = "咖啡 ☕ 𝄞 é";   // 𝄞 is a surrogate pair: valid UTF-16
        Payment p = client.createPayment(PaymentRequest.wechatQr(1001, "HKD").goodsName(text).build());
        assertEquals(text, client.findPayment(p.getOutTradeNo()).getGoodsName());
        assertNotNull(Qr.svg(text));
        assertNotNull(Signing.sign(params("goods_name", text), KEY, SignType.MD5));
    }

    /** "Class.method(arity)#i" of every public method (declared or inherited from the SDK) of the SDK's entry classes with a String (or Map) argument. */
    static Set<String> walk() {
        Class<?>[] classes = {
            PaymentRequest.class, PaymentRequest.Builder.class, QueryRequest.class, QueryRequest.Builder.class,
            RefundRequest.class, RefundRequest.Builder.class, CancelRequest.class, CancelRequest.Builder.class,
            CheckoutRequest.class, CheckoutRequest.Builder.class, TransactionsRequest.class, TransactionsRequest.Builder.class,
            ReconcileRequest.class, ReconcileRequest.Builder.class, QfPayClient.class, QfPayClient.Builder.class, CallOptions.class, CallOptions.Builder.class,
            Notifications.class, Signing.class, Qr.class, QfPay.class, Sandbox.class, Sandbox.Builder.class, Fault.class,
        };
        Set<String> out = new TreeSet<>();
        for (Class<?> k : classes) {
            // With the SDK's own superclasses (the generated setters a builder extends).
            List<Method> methods = new ArrayList<>();
            for (Class<?> c = k; c != null && c.getName().startsWith("com.qfpay."); c = c.getSuperclass()) {
                methods.addAll(List.of(c.getDeclaredMethods()));
            }
            for (Method m : methods) {
                if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic() || m.getName().contains("$")) continue;
                Class<?>[] p = m.getParameterTypes();
                for (int i = 0; i < p.length; i++) {
                    boolean text = p[i] == String.class || p[i] == String[].class || Map.class.isAssignableFrom(p[i]);
                    if (text) out.add(k.getName().substring("com.qfpay.".length()) + "." + m.getName() + "(" + p.length + ")#" + i);
                }
            }
        }
        return out;
    }

    @Test
    void theTableCoversEveryPublicStringArgument() {
        Set<String> covered = new TreeSet<>();
        for (Case c : cases()) covered.add(c.entry().split(" ")[0]);
        Set<String> missing = new TreeSet<>(walk());
        missing.removeAll(covered);
        assertEquals(Set.of(), missing, "String arguments without a lone-surrogate case");
        assertTrue(covered.size() > 80, "walked " + covered.size());
    }
}
