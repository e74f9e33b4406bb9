package com.qfpay

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

/** The suspend functions (Coroutines.kt): results, errors, and cancellation reaching the core. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KotlinCoroutinesTest {
    private lateinit var sandbox: Sandbox
    private lateinit var client: QfPayClient
    private val events = CopyOnWriteArrayList<QfPayEvent>()

    @BeforeAll
    fun start() {
        sandbox = Sandbox.builder().rateLimit(false).start()
        client = sandbox.clientBuilder().timeout(Duration.ofSeconds(10)).listener { events.add(it) }.build()
    }

    @AfterAll
    fun stop() {
        client.close()
        sandbox.close()
    }

    @Test
    fun payQueryRefundClose() = runBlocking {
        val p = client.createPaymentAwait(PaymentRequest.wechatQr(2500, "HKD").goodsName("Coffee").build())
        sandbox.pay(p.outTradeNo)
        assertEquals(TransactionState.SUCCEEDED, client.waitForPaymentAwait(p.outTradeNo, Duration.ofSeconds(10)).state)
        assertEquals(500L, client.refundAwait(RefundRequest.of(p.syssn, 500, "HKD")).txamt)
        val unpaid = client.wechatQrAwait(300, "HKD")
        client.closeOrderAwait(CancelRequest.byOutTradeNo(unpaid.outTradeNo, 300, "HKD"))
        assertEquals(TransactionState.CANCELLED, client.findPaymentAwait(unpaid.outTradeNo)?.state)
        assertNull(client.findPaymentAwait(QfPay.generateOutTradeNo()))
    }

    @Test
    fun errorsAreTheSameExceptions() = runBlocking {
        val e = assertThrows<DeclinedException> { runBlocking { client.wechatQrAwait(1003, "HKD") } }
        assertEquals("1201", e.respcd)
        assertThrows<ValidationException> { runBlocking { client.wechatQrAwait(1001, null) } }
        Unit
    }

    @Test
    fun cancellingTheCoroutineCancelsTheWait() = runBlocking {
        val p = client.wechatQrAwait(2600, "HKD")   // pending: nobody scans
        val before = sandbox.requestCount()
        assertThrows<CancellationException> {
            runBlocking { withTimeout(1500) { client.waitForPaymentAwait(p.outTradeNo, Duration.ofSeconds(60)) } }
        }
        val atCancel = sandbox.requestCount()
        assertTrue(atCancel > before, "the wait queried before it was cancelled")
        delay(3000)                                  // a live wait would query again within 1.5 s
        assertEquals(atCancel, sandbox.requestCount(), "no query after the coroutine was cancelled")
    }

    @Test
    fun cancellingAMoneyMovingCallIsLoggedWithItsNumber() = runBlocking {
        val number = QfPay.generateOutTradeNo()
        sandbox.injectDelay(Duration.ofMillis(1500), 1)
        val call = async(Dispatchers.Default) {
            client.createPaymentAwait(PaymentRequest.wechatQr(1001, "HKD").outTradeNo(number).build())
        }
        delay(300)
        call.cancel()
        assertThrows<CancellationException> { runBlocking { call.await() } }
        delay(1700)
        assertTrue(events.any { it.kind == "cancelled" && it.outTradeNo == number }, "a cancelled event names $number: $events")
        // The request had been sent: the stored number finds the order.
        assertEquals(TransactionState.SUCCEEDED, client.findPaymentAwait(number)?.state)
    }
}
