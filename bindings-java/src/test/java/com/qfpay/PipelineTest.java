package com.qfpay;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class PipelineTest {
    @Test
    void nativeLibraryLoadsFromClasspath() {
        assertFalse(com.qfpay.ffi.Qfpay_jvmKt.coreVersion().isEmpty());
    }
}
