package com.qfpay.examples

import com.qfpay.DeclinedException
import com.qfpay.Notifications
import com.qfpay.PaymentRequest
import com.qfpay.QfPay
import com.qfpay.QfPayClient
import com.qfpay.QfPayException
import com.qfpay.RefundRequest
import com.qfpay.Sandbox
import com.qfpay.StatusUnknownException
import com.qfpay.TransactionState
import java.time.Duration

/**
 * The seed's WeChat Pay QR payment from Kotlin, then the customer's scan, a query, a partial
 * refund and a notification check. Against QFPay when `QFPAY_APP_CODE` is set, else (or with
 * `--sandbox`) against the in-process sandbox.
 */
object KotlinWechatQr {
    @JvmStatic
    fun main(args: Array<String>) {
        val sandbox = if ("--sandbox" in args || System.getenv("QFPAY_APP_CODE") == null) Sandbox.start() else null
        try {
            (sandbox?.client() ?: QfPayClient.fromEnv()).use { client ->
                val payment = client.createPayment(
                    PaymentRequest.wechatQr(2500, "HKD").outTradeNo(QfPay.generateOutTradeNo()).goodsName("Coffee").build(),
                )
                println("scan ${payment.qrcode} to pay ${payment.txamt} ${payment.txcurrcd}")

                sandbox?.pay(payment.outTradeNo) // the customer's scan (sandbox only)

                val t = client.waitForPayment(payment.outTradeNo, Duration.ofSeconds(60))
                if (t.state == TransactionState.SUCCEEDED) {
                    val refund = client.refund(RefundRequest.of(payment.syssn, 500, "HKD"))
                    println("refunded ${refund.txamt} of ${payment.txamt}; refund syssn ${refund.syssn}")
                }

                // Async variant: the future completes on the client's executor.
                client.findPaymentAsync(payment.outTradeNo).thenAccept { println("now ${it?.state}") }.join()
            }
        } catch (e: DeclinedException) {
            println("declined ${e.respcd}: ${e.resperr}")
        } catch (e: StatusUnknownException) {
            println("unknown outcome for ${e.outTradeNo}; query it later, do not pay again")
        } catch (e: QfPayException) {
            println("failed [${e.code}]: ${e.message}")
        } finally {
            sandbox?.close()
        }

        // Notifications: verify the exact raw body against the X-QF-SIGN header.
        val key = "EXAMPLEKEY"
        val body = """{"notify_type":"payment","status":"1","out_trade_no":"qf1","txamt":"2500","txcurrcd":"HKD"}""".toByteArray()
        val n = Notifications.verify(body, Notifications.signature(body, key), key)
        println("notification ${n.notifyType} for ${n.outTradeNo}: ${n.txamt}")
    }
}
