package com.qfpay

import com.sun.net.httpserver.HttpServer
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.net.InetSocketAddress
import java.util.concurrent.ArrayBlockingQueue
import java.util.concurrent.TimeUnit

/** Notifications from Kotlin: good, tampered, wrong key, parsed object, and a real delivery. */
class KotlinNotificationTest {
    private val key = "0E32A59A8B454940A2FF39SANDBOX01"
    private val body = """{"notify_type": "payment", "status": "1", "syssn": "20261125000300020000000001", """ +
        """"out_trade_no": "qfK1", "txamt": 1001, "txcurrcd": "HKD", "pay_type": "800201", "cancel": "0", """ +
        """"respcd": "0000", "txdtm": "2026-11-25 10:00:00", "goods_name": "咖啡"}"""

    @Test
    fun goodNotificationParsesToAnObject() {
        val raw = body.toByteArray()
        val n = Notifications.verify(raw, Notifications.signature(raw, key), key)
        assertEquals("payment", n.notifyType)
        assertEquals(1001L, n.txamt)
        assertEquals("qfK1", n.outTradeNo)
        assertEquals("咖啡", n.goodsName)
        assertTrue(n.isSuccess)
        assertEquals("1001", n.raw["txamt"])
        assertNull(n.origSyssn)
    }

    @Test
    fun tamperedBodyIsRejected() {
        val raw = body.toByteArray()
        val sig = Notifications.signature(raw, key)
        val tampered = body.replace("1001", "9001").toByteArray()
        val e = assertThrows<SignatureException> { Notifications.verify(tampered, sig, key) }
        assertEquals("signature", e.code)
    }

    @Test
    fun wrongKeyIsRejected() {
        val raw = body.toByteArray()
        val e = assertThrows<QfPayException> { Notifications.verify(raw, Notifications.signature(raw, key), key + "X") }
        assertTrue(e is SignatureException)
    }

    @Test
    fun notJsonIsADecodeError() {
        val raw = "not json".toByteArray()
        assertThrows<DecodeException> { Notifications.verify(raw, Notifications.signature(raw, key), key) }
    }

    @Test
    fun sandboxDeliversAVerifiableNotification() {
        val received = ArrayBlockingQueue<Pair<ByteArray, String>>(4)
        val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
        server.createContext("/notify") { ex ->
            val raw = ex.requestBody.readAllBytes()
            received.add(raw to (ex.requestHeaders.getFirst("X-QF-SIGN") ?: ""))
            val ok = "SUCCESS".toByteArray()
            ex.sendResponseHeaders(200, ok.size.toLong())
            ex.responseBody.use { it.write(ok) }
        }
        server.start()
        try {
            val url = "http://127.0.0.1:${server.address.port}/notify"
            Sandbox.builder().notifyUrl(url).notifyTimeScale(0.001).start().use { sb ->
                sb.client().use { client ->
                    val p = client.createPayment(PaymentRequest.wechatQr(1001, "HKD").goodsName("Tea").build())
                    val (raw, sig) = received.poll(10, TimeUnit.SECONDS) ?: error("no notification arrived")
                    val n = Notifications.verify(raw, sig, sb.clientKey)
                    assertEquals(p.outTradeNo, n.outTradeNo)
                    assertEquals(p.syssn, n.syssn)
                    assertEquals(1001L, n.txamt)
                    assertThrows<SignatureException> { Notifications.verify(raw, sig, "WRONG") }
                }
            }
        } finally {
            server.stop(0)
        }
    }
}
