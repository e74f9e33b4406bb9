package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * addNote against the embedded sandbox over real HTTP: the note kept on the order (a later one
 * replaces it), a bad note and a client with an mchid refused before sending.
 */
class NotesTest {
    private static String noteOf(Sandbox sb, String syssn) {
        JSONArray orders = new JSONArray(sb.orders());
        for (int i = 0; i < orders.length(); i++) {
            JSONObject o = orders.getJSONObject(i);
            if (o.getString("syssn").equals(syssn)) return o.isNull("note") ? null : o.getString("note");
        }
        throw new AssertionError("no order " + syssn);
    }

    @Test
    void aNoteIsKeptOnTheOrderAndALaterOneReplacesIt() {
        try (Sandbox sb = Sandbox.builder().rateLimit(false).start(); QfPayClient client = sb.client()) {
            Payment p = client.wechatQr(1001, "HKD"); // paid at once in the sandbox
            NoteAdded added = client.addNote(p.getSyssn(), "禮物包裝 gift wrap");
            assertEquals(p.getSyssn(), added.getSyssn());
            assertEquals("禮物包裝 gift wrap", added.getNote());
            assertEquals("0000", added.getRaw().get("respcd"));
            assertEquals("禮物包裝 gift wrap", noteOf(sb, p.getSyssn()));
            assertEquals("second", client.addNoteAsync(p.getSyssn(), "second", null).join().getNote());
            assertEquals("second", noteOf(sb, p.getSyssn()));
            QfPayException e = assertThrows(QfPayException.class,
                    () -> client.addNote("20990101000300020000000001", "x"));
            assertEquals("1268", e.getRespcd());
        }
    }

    @Test
    void aBadNoteAndAnMchidClientAreRefusedBeforeSending() {
        try (Sandbox sb = Sandbox.builder().rateLimit(false).start(); QfPayClient client = sb.client()) {
            for (String note : new String[] {"", "x".repeat(201), "a\nb"}) {
                ValidationException e = assertThrows(ValidationException.class,
                        () -> client.addNote("20260101000300020000000001", note));
                assertEquals("note", e.getField());
            }
            assertEquals(0, sb.requestCount());
        }
        try (Sandbox sb = Sandbox.builder().credentials("APPMCH", "KEYMCH").mchid("MCH0001").start();
             QfPayClient agent = sb.client()) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> agent.addNote("20260101000300020000000001", "x"));
            assertTrue(e.getMessage().contains("mchid"), e.getMessage());
            assertEquals(0, sb.requestCount());
        }
    }
}
