package com.qfpay;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every form the JVM has of an exception or an object, as text, for the secrecy checks: toString,
 * getMessage/getLocalizedMessage, printStackTrace, the cause chain and suppressed exceptions,
 * every field read by reflection up the class hierarchy (following the SDK's own objects,
 * arrays, collections and maps), and Java serialization (the bytes as Latin-1 text).
 */
final class Dump {
    private Dump() {}

    /** Every form of [t]; whatever could not be read is said so (a secret never hides there). */
    static String throwable(Throwable t) {
        StringBuilder out = new StringBuilder();
        out.append("toString: ").append(t).append('\n');
        out.append("getMessage: ").append(t.getMessage()).append('\n');
        out.append("getLocalizedMessage: ").append(t.getLocalizedMessage()).append('\n');
        StringWriter stack = new StringWriter();
        t.printStackTrace(new PrintWriter(stack, true));     // causes and suppressed included
        out.append("printStackTrace: ").append(stack).append('\n');
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            out.append("chain: ").append(c.getClass().getName()).append(' ').append(c.getMessage()).append('\n');
            for (Throwable s : c.getSuppressed()) out.append("suppressed: ").append(throwable(s)).append('\n');
        }
        out.append("fields: ");
        fields(t, out, Collections.newSetFromMap(new IdentityHashMap<>()), 0, true);
        out.append('\n');
        out.append("serialized: ").append(serialized(t)).append('\n');
        return out.toString();
    }

    /** toString and the reflected fields of an object; [deep]: follow into the SDK's objects. */
    static String object(Object o, boolean deep) {
        StringBuilder out = new StringBuilder();
        out.append("toString: ").append(o).append('\n');
        out.append("fields: ");
        fields(o, out, Collections.newSetFromMap(new IdentityHashMap<>()), 0, deep);
        return out.append('\n').toString();
    }

    static String serialized(Object o) {
        if (!(o instanceof Serializable)) return "(not Serializable)";
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(o);
            }
            // Java serialization writes ASCII text as is: Latin-1 shows every byte as one char.
            return new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1);
        } catch (Exception e) {
            return "(serialization failed: " + e + ")";
        }
    }

    private static boolean followed(Object v) {
        if (v instanceof Throwable || v instanceof Collection || v instanceof Map || v.getClass().isArray()) return true;
        String n = v.getClass().getName();
        return n.startsWith("com.qfpay.");
    }

    private static void fields(Object o, StringBuilder out, Set<Object> seen, int depth, boolean deep) {
        if (o == null || !seen.add(o) || depth > 8) return;
        if (o.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(o); i++) value(Array.get(o, i), out, seen, depth, deep);
            return;
        }
        if (o instanceof Collection<?> c) {
            for (Object v : c) value(v, out, seen, depth, deep);
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                value(e.getKey(), out, seen, depth, deep);
                value(e.getValue(), out, seen, depth, deep);
            }
            return;
        }
        for (Class<?> k = o.getClass(); k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) continue;
                Object v;
                try {
                    f.setAccessible(true);
                    v = f.get(o);
                } catch (RuntimeException | IllegalAccessException e) {
                    throw new AssertionError("cannot read " + k.getName() + "." + f.getName() + " (run with --add-opens)", e);
                }
                out.append(k.getSimpleName()).append('.').append(f.getName()).append('=');
                if (deep || depth == 0) value(v, out, seen, depth + 1, deep);
                else out.append(v);
                out.append("; ");
            }
        }
    }

    private static void value(Object v, StringBuilder out, Set<Object> seen, int depth, boolean deep) {
        if (v == null) {
            out.append("null ");
            return;
        }
        if (v instanceof StackTraceElement || v instanceof CharSequence || v instanceof Number || v instanceof Boolean
                || v instanceof Character || v instanceof Enum<?>) {
            out.append(v).append(' ');
            return;
        }
        if (v instanceof byte[] b) {
            out.append(new String(b, StandardCharsets.ISO_8859_1)).append(' ');
            return;
        }
        if (v instanceof char[] c) {
            out.append(new String(c)).append(' ');
            return;
        }
        out.append(String.valueOf(v)).append(' ');
        if (deep && followed(v)) {
            out.append('{');
            fields(v, out, seen, depth, deep);
            out.append('}');
        }
    }
}
