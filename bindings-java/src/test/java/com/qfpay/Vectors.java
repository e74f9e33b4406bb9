package com.qfpay;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.json.JSONArray;
import org.json.JSONObject;

/** Loads tests/vectors/*.json and maps their QFPay-named params onto the public API. */
final class Vectors {
    private Vectors() {}

    static Path dir() {
        String env = System.getenv("QFPAY_VECTORS_DIR");
        if (env != null && !env.isEmpty()) return Paths.get(env);
        return Paths.get("..", "tests", "vectors");
    }

    static List<Path> files() throws IOException {
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(dir())) {
            s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(out::add);
        }
        return out;
    }

    static List<JSONObject> cases(String file) throws IOException {
        JSONObject root = new JSONObject(Files.readString(dir().resolve(file), StandardCharsets.UTF_8));
        JSONArray arr = root.getJSONArray("cases");
        List<JSONObject> out = new ArrayList<>();
        for (int i = 0; i < arr.length(); i++) out.add(arr.getJSONObject(i));
        return out;
    }

    private static String str(JSONObject p, String k) {
        return p.has(k) && !p.isNull(k) ? String.valueOf(p.get(k)) : null;
    }

    private static String[] list(JSONObject p, String k) {
        if (!p.has(k)) return new String[0];
        JSONArray a = p.getJSONArray(k);
        String[] out = new String[a.length()];
        for (int i = 0; i < a.length(); i++) out[i] = a.getString(i);
        return out;
    }

    /** Runs one operation with QFPay-named params; returns the public result object. */
    static Object call(QfPayClient c, String op, JSONObject p) {
        switch (op) {
            case "payment": {
                PaymentRequest.Builder b = PaymentRequest.builder(
                        p.optLong("txamt", 0), p.optString("txcurrcd", ""), p.optString("pay_type", PayTypes.WECHAT_QR));
                b.outTradeNo(str(p, "out_trade_no")).txdtm(str(p, "txdtm")).authCode(str(p, "auth_code"))
                        .goodsName(str(p, "goods_name"))
                        .goodsInfo(str(p, "goods_info")).mchid(str(p, "mchid")).udid(str(p, "udid"))
                        .notifyUrl(str(p, "notify_url")).returnUrl(str(p, "return_url")).rmbTag(str(p, "rmb_tag"))
                        .limitPay(str(p, "limit_pay")).payTag(str(p, "pay_tag")).subOpenid(str(p, "sub_openid"))
                        .openid(str(p, "openid")).sellerId(str(p, "seller_id")).failedUrl(str(p, "failed_url"))
                        .cancelUrl(str(p, "cancel_url"));
                if (p.has("extra_params")) {
                    JSONObject x = p.getJSONObject("extra_params");
                    Map<String, String> extra = new LinkedHashMap<>();
                    for (String k : x.keySet()) extra.put(k, str(x, k));
                    b.extraParams(extra);
                }
                if (p.has("expired_time")) b.expiredTime(p.getInt("expired_time"));
                if (p.has("extend_info")) {
                    JSONObject e = p.getJSONObject("extend_info");
                    b.realName(str(e, "user_creid"), str(e, "user_truename"));
                }
                return c.createPayment(b.build());
            }
            case "query": {
                QueryRequest.Builder b = QueryRequest.builder()
                        .syssn(list(p, "syssn")).outTradeNo(list(p, "out_trade_no")).payType(list(p, "pay_type"))
                        .respcd(str(p, "respcd")).timeRange(str(p, "start_time"), str(p, "end_time"))
                        .mchid(str(p, "mchid"));
                if (p.has("page")) b.page(p.getInt("page"));
                if (p.has("page_size")) b.pageSize(p.getInt("page_size"));
                return c.query(b.build());
            }
            case "refund":
                return c.refund(RefundRequest.builder(p.optString("syssn", ""), p.optLong("txamt", 0), p.optString("txcurrcd", ""))
                        .outTradeNo(str(p, "out_trade_no")).txdtm(str(p, "txdtm")).mchid(str(p, "mchid"))
                        .udid(str(p, "udid")).build());
            case "close":
            case "reverse": {
                CancelRequest r = CancelRequest.builder(p.optLong("txamt", 0), p.optString("txcurrcd", ""))
                        .syssn(str(p, "syssn")).outTradeNo(str(p, "out_trade_no")).txdtm(str(p, "txdtm"))
                        .mchid(str(p, "mchid")).udid(str(p, "udid")).build();
                return op.equals("close") ? c.closeOrder(r) : c.reverse(r);
            }
            case "checkout_url": {
                CheckoutRequest.Builder b = CheckoutRequest.builder(p.optLong("amount", 0), str(p, "currency"),
                        str(p, "return_url"), str(p, "failed_url"), str(p, "notify_url"));
                b.outTradeNo(str(p, "out_trade_no")).txdtm(str(p, "txdtm")).paysource(str(p, "paysource"))
                        .cancelUrl(str(p, "cancel_url")).mchntid(str(p, "mchntid")).goodsName(str(p, "goods_name"))
                        .udid(str(p, "udid")).checkoutExpiresAt(str(p, "checkout_expires_at"))
                        .limitPay(str(p, "limit_pay")).lang(str(p, "lang"));
                if (p.has("expired_time")) b.expiredTime(p.getInt("expired_time"));
                if (p.has("checkout_expired_time")) b.checkoutExpiredTime(p.getInt("checkout_expired_time"));
                return c.checkoutUrl(b.build());
            }
            default:
                throw new IllegalArgumentException("unknown operation " + op);
        }
    }

    /** A result's field by the core's snake_case name (`out_trade_no` -> getOutTradeNo()). */
    static Object field(Object result, String snake) {
        StringBuilder camel = new StringBuilder();
        for (String part : snake.split("_")) {
            camel.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        // `is_paid` -> isPaid() (a Kotlin `isX` property), `out_trade_no` -> getOutTradeNo().
        String[] names = snake.startsWith("is_")
                ? new String[] {"is" + camel.substring(2)}
                : new String[] {"get" + camel, "is" + camel};
        for (String name : names) {
            try {
                Method m = result.getClass().getMethod(name);
                Object v = m.invoke(result);
                if (v instanceof TransactionState) return ((TransactionState) v).getWire();
                return v;
            } catch (NoSuchMethodException e) {
                // try the next name
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no field " + snake + " on " + result.getClass().getSimpleName());
    }

    /** Whether an actual value equals the JSON expectation (numbers compared as longs). */
    static boolean same(Object expected, Object actual) {
        if (expected == null || expected == JSONObject.NULL) return actual == null;
        if (expected instanceof Number && actual instanceof Number) {
            return ((Number) expected).longValue() == ((Number) actual).longValue();
        }
        if (expected instanceof Boolean) return expected.equals(actual);
        if (expected instanceof org.json.JSONArray a && actual instanceof java.util.List<?> l) {
            if (a.length() != l.size()) return false;
            for (int i = 0; i < l.size(); i++) if (!same(a.get(i), l.get(i))) return false;
            return true;
        }
        return String.valueOf(expected).equals(actual == null ? null : String.valueOf(actual));
    }
}
