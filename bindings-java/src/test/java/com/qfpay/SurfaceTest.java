package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * The JVM binding against tests/surface.json, by reflection over the public classes of
 * com.qfpay: something added there and missing here fails this test. Name mapping: lowerCamelCase
 * members (getters for properties), UpperCamelCase classes; JVM differences are the ones
 * surface.json records (closeOrder) plus RequestTimeoutException for `timeout` (so that it does
 * not clash with java.util.concurrent.TimeoutException).
 */
class SurfaceTest {
    static JSONObject surface() throws Exception {
        Path p = Path.of(System.getenv("QFPAY_VECTORS_DIR")).getParent().resolve("surface.json");
        return new JSONObject(Files.readString(p));
    }

    static String camel(String snake) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    static String pascal(String snake) {
        String c = camel(snake);
        return Character.toUpperCase(c.charAt(0)) + c.substring(1);
    }

    static Set<String> methods(Class<?> c) {
        Set<String> names = new TreeSet<>();
        for (Method m : c.getMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !m.getName().contains("$")) names.add(m.getName());
        }
        for (var f : c.getFields()) names.add(f.getName());
        return names;
    }

    /**
     * A property or member [name] (snake_case) of class [c]: `x`, `getX` (a Kotlin `isX` property
     * is `isX()`, which `x` covers for `is_x`). Durations are `java.time.Duration` under the
     * canonical name: no `xMs` variant is accepted.
     */
    static boolean has(Class<?> c, String snake) {
        Set<String> m = methods(c);
        String camel = camel(snake);
        String pas = pascal(snake);
        return m.contains(camel) || m.contains("get" + pas);
    }

    static List<String> strings(JSONArray a) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.length(); i++) out.add(a.getString(i));
        return out;
    }

    final List<String> missing = new ArrayList<>();

    void need(boolean ok, String what) {
        if (!ok) missing.add(what);
    }

    @Test
    void theBindingHasEverythingSurfaceJsonDescribes() throws Exception {
        JSONObject s = surface();
        JSONObject client = s.getJSONObject("client");
        Class<?> builder = QfPayClient.Builder.class;
        for (String o : strings(client.getJSONArray("options"))) need(has(builder, o), "client option " + o);
        need(has(QfPayClient.class, "builder"), "constructor new (builder)");
        need(has(QfPayClient.class, "from_env"), "constructor from_env");
        for (String p : strings(client.getJSONArray("properties"))) need(has(QfPayClient.class, p), "client property " + p);
        for (String e : strings(client.getJSONArray("environments"))) {
            need(Arrays.stream(Environment.values()).anyMatch(v -> v.name().equals(e.toUpperCase(Locale.ROOT))), "environment " + e);
        }
        for (String o : strings(s.getJSONArray("call_options"))) need(has(CallOptions.Builder.class, o), "call option " + o);

        JSONObject ops = s.getJSONObject("operations");
        for (String op : ops.keySet()) {
            JSONObject d = ops.getJSONObject(op);
            String name = op.equals("close") ? "closeOrder" : camel(op);   // surface.json: "JVM names it closeOrder"
            need(has(QfPayClient.class, name), "operation " + name);
            // An operation that sends nothing (io false) is synchronous only: no ...Async form; one
            // returning a stream (list<...>) returns its iterator class instead.
            boolean stream = d.getString("returns").startsWith("list<");
            if (d.optBoolean("io", true) && !stream) need(has(QfPayClient.class, name + "Async"), "operation " + name + "Async");
            if (stream) {
                String iterator = d.getString("returns").equals("list<Transaction>") ? "Transactions" : "QueryPages";
                need(Arrays.stream(QfPayClient.class.getMethods()).anyMatch(m -> m.getName().equals(name) && m.getReturnType().getSimpleName().equals(iterator)),
                        "operation " + name + " returning " + iterator);
            }
            if (!d.optBoolean("io", true)) need(!has(QfPayClient.class, name + "Async"), "no ...Async for the local operation " + name);
            Class<?> req = switch (op) {
                case "create_payment", "wechat_qr" -> PaymentRequest.Builder.class;
                case "query", "query_pages" -> QueryRequest.Builder.class;
                case "refund" -> RefundRequest.Builder.class;
                case "close", "reverse" -> CancelRequest.Builder.class;
                case "checkout_url" -> CheckoutRequest.Builder.class;
                case "transactions" -> TransactionsRequest.Builder.class;
                case "reconcile" -> ReconcileRequest.Builder.class;
                default -> null;
            };
            if (req != null) {
                for (String o : strings(d.getJSONArray("options"))) need(has(req, o), op + " option " + o);
            }
        }
        need(has(QueryPages.class, "items"), "query_pages items()");
        need(has(Transactions.class, "stream") && has(Transactions.class, "for_each_async"), "transactions stream() and forEachAsync()");

        JSONObject results = s.getJSONObject("results");
        for (String r : results.keySet()) {
            Class<?> c = Class.forName("com.qfpay." + r);
            for (String f : strings(results.getJSONArray(r))) need(has(c, f), r + "." + f);
        }
        for (String st : strings(s.getJSONArray("transaction_states"))) {
            need(Arrays.stream(TransactionState.values()).anyMatch(v -> v.getWire().equals(st)), "state " + st);
        }

        JSONObject errors = s.getJSONObject("errors");
        List<Class<?>> exceptionClasses = new ArrayList<>();
        for (String code : strings(errors.getJSONArray("codes"))) {
            String cls = code.equals("timeout") ? "RequestTimeoutException" : pascal(code) + "Exception";
            try {
                Class<?> c = Class.forName("com.qfpay." + cls);
                need(QfPayException.class.isAssignableFrom(c), cls + " extends QfPayException");
                exceptionClasses.add(c);
            } catch (ClassNotFoundException e) {
                need(false, "exception class " + cls + " for " + code);
            }
        }
        for (String f : strings(errors.getJSONArray("fields"))) {
            need(exceptionClasses.stream().anyMatch(c -> has(c, f)) || has(QfPayException.class, f), "error field " + f);
        }
        need(has(QfPayException.class, "out_trade_no") && has(QfPayException.class, "syssn"), "outTradeNo/syssn on every exception");
        need(has(DuplicateOrderException.class, "existing"), "DuplicateOrderException.existing");

        List<Class<?>> holders = List.of(QfPay.class, Signing.class, Notifications.class, Qr.class, Sandbox.class);
        for (String fn : strings(s.getJSONArray("functions"))) {
            boolean found = false;
            for (Class<?> h : holders) {
                String stem = h.getSimpleName().toLowerCase(Locale.ROOT).replaceFirst("s$", "");
                String rest = camel(Arrays.stream(fn.split("_")).filter(w -> !w.equals(stem)).reduce((a, b) -> a + "_" + b).orElse(fn));
                if (methods(h).contains(camel(fn)) || methods(h).contains(rest)) found = true;
            }
            need(found, "function " + fn);
        }
        for (String k : strings(s.getJSONArray("constants"))) {
            String upper = k.toUpperCase(Locale.ROOT);
            boolean found = methods(QfPay.class).contains(upper)
                    || methods(Sandbox.class).contains(upper.replaceFirst("^SANDBOX_", ""));
            need(found, "constant " + k);
        }

        JSONObject sandbox = s.getJSONObject("sandbox");
        for (String c : strings(sandbox.getJSONArray("controls"))) need(has(Sandbox.class, c), "sandbox control " + c);
        for (String o : strings(sandbox.getJSONArray("start_options"))) need(has(Sandbox.Builder.class, o), "sandbox option " + o);
        for (String f : strings(sandbox.getJSONArray("faults"))) need(has(Fault.class, f), "fault " + f);

        assertEquals(List.of(), missing, "missing from the JVM binding");
    }
}
