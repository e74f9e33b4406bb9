package com.qfpay

import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap
import kotlin.concurrent.thread

/** The sandbox scenarios from Kotlin: properties, nullability, exceptions as in Java. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KotlinScenarioTest {
    private lateinit var sandbox: Sandbox
    private lateinit var client: QfPayClient

    @BeforeAll
    fun start() {
        sandbox = Sandbox.builder().rateLimit(false).start()
        client = sandbox.clientBuilder().timeout(Duration.ofSeconds(10)).build()
    }

    @AfterAll
    fun stop() {
        client.close()
        sandbox.close()
    }

    @Test
    fun payScanQueryRefund() {
        val p = client.createPayment(PaymentRequest.wechatQr(2500, "HKD").goodsName("Coffee").build())
        assertTrue(p.qrcode!!.startsWith("weixin://"))
        assertEquals(TransactionState.PENDING, client.findPayment(p.outTradeNo)?.state)
        sandbox.pay(p.outTradeNo)
        val paid = client.findPayment(p.outTradeNo)
        assertNotNull(paid)
        assertTrue(paid!!.isPaid)
        val refund = client.refund(RefundRequest.of(p.syssn, 2500, "HKD"))
        assertEquals(2500L, refund.txamt)
        assertEquals(TransactionState.REFUNDED, client.findPayment(p.outTradeNo)?.state)
    }

    @Test
    fun pendingThenWait() {
        val p = client.wechatQr(1002, "HKD")
        val t = client.waitForPayment(p.outTradeNo, Duration.ofSeconds(10), Duration.ofMillis(50), Duration.ofMillis(100))
        assertEquals(TransactionState.SUCCEEDED, t.state)
    }

    @Test
    fun declinedAndDuplicate() {
        val e = assertThrows<DeclinedException> { client.wechatQr(1003, "HKD") }
        assertEquals("1201", e.respcd)
        val n = QfPay.generateOutTradeNo()
        client.createPayment(PaymentRequest.wechatQr(300, "HKD").outTradeNo(n).build())
        val d = assertThrows<ApiException> { client.createPayment(PaymentRequest.wechatQr(300, "HKD").outTradeNo(n).build()) }
        assertEquals("duplicate_order", d.code)
    }

    @Test
    fun closeAndBadInput() {
        val p = client.wechatQr(400, "HKD")
        assertEquals("0000", client.closeOrder(CancelRequest.byOutTradeNo(p.outTradeNo, 400, "HKD")).respcd)
        val before = sandbox.requestCount()
        val v = assertThrows<ValidationException> { client.wechatQr(-1, "HKD") }
        assertEquals("txamt", v.field)
        assertEquals(before, sandbox.requestCount())
    }

    @Test
    fun statusUnknownCarriesTheOrderNumber() {
        sandbox.clientBuilder().reconcileTimeout(Duration.ofMillis(300)).build().use { c ->
            val e = assertThrows<StatusUnknownException> {
                c.createPayment(PaymentRequest.wechatQr(1004, "HKD").outTradeNo("qfKPENDING1004").build())
            }
            assertEquals("qfKPENDING1004", e.outTradeNo)
        }
    }

    @Test
    fun sixteenThreadsFromKotlin() {
        val seen = ConcurrentHashMap.newKeySet<String>()
        val errors = ConcurrentHashMap.newKeySet<Throwable>()
        val threads = (1..16).map {
            thread {
                repeat(20) {
                    try {
                        seen.add(client.wechatQr(1001, "HKD").outTradeNo)
                    } catch (t: Throwable) {
                        errors.add(t)
                    }
                }
            }
        }
        threads.forEach { it.join() }
        assertTrue(errors.isEmpty(), errors.toString())
        assertEquals(320, seen.size)
    }

    @Test
    fun signingAndQrHelpers() {
        val sig = Signing.sign(mapOf("mchid" to "ZaMVg12345", "txamt" to "100", "txcurrcd" to "HKD"), "abcd1234", SignType.MD5)
        assertEquals("3CB3AA9C21D818AB4CAFAA8FA3FEACF4", sig)
        assertTrue(Qr.svg("weixin://wxpay/bizpayurl?pr=x").contains("<svg"))
        assertTrue(Qr.dataUrl("x").startsWith("data:image/png;base64,"))
    }
}
