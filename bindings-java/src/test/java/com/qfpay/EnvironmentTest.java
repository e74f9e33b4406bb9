package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Issue 10: environment names per the core contract. */
class EnvironmentTest {
    @Test
    void environmentNames() {
        try (QfPayClient c = QfPayClient.builder().credentials("A", "K").environment(Environment.CARD_SANDBOX).build()) {
            assertTrue(c.getBaseUrl().startsWith("https://"), c.getBaseUrl());
        }
        for (String alias : new String[] {"production", "prod", "live_test", "livetest", "test", "card_sandbox"}) {
            QfPayClient.builder().credentials("A", "K").environment(alias).build().close();
        }
        ConfigException sandbox = assertThrows(ConfigException.class,
                () -> QfPayClient.builder().credentials("A", "K").environment("sandbox").build());
        assertTrue(sandbox.getMessage().contains("card_sandbox"), sandbox.getMessage());
        assertEquals("environment", sandbox.getField());
        assertTrue(sandbox.getMessage().startsWith("configuration error: environment \"sandbox\" is ambiguous"), sandbox.getMessage());
        ConfigException live = assertThrows(ConfigException.class,
                () -> QfPayClient.builder().credentials("A", "K").environment("live").build());
        assertEquals("environment", live.getField());
        assertEquals("production", Environment.PRODUCTION.name().toLowerCase());
    }
}
