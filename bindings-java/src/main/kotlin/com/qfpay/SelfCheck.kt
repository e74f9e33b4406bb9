package com.qfpay

/**
 * `java -cp qfpay.jar:jna.jar:kotlin-stdlib.jar com.qfpay.SelfCheck`: loads the native library
 * from the jar (JNA resource path, no `jna.library.path`), starts an in-process sandbox and
 * makes one WeChat QR payment through it.
 */
object SelfCheck {
    /** Runs the check; exits non-zero (an exception) when anything fails. */
    @JvmStatic
    fun main(args: Array<String>) {
        Sandbox.start().use { sb ->
            sb.client().use { client ->
                val p = client.wechatQr(1001, "HKD")
                check(p.respcd == "0000") { "unexpected respcd ${p.respcd}" }
                println("qfpay-java ${QfPay.VERSION} self check: native library loaded, payment ${p.outTradeNo} ${p.respcd}")
            }
        }
    }
}
