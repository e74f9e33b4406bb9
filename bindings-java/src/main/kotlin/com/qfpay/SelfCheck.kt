package com.qfpay

/** Loads the native library from the jar (JNA resource path) and prints the core version. */
object SelfCheck {
    @JvmStatic
    fun main(args: Array<String>) {
        println("qfpay-java self check: core " + com.qfpay.ffi.coreVersion())
    }
}
