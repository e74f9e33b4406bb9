package com.qfpay

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/** The online operations from Kotlin: named arguments, plain calls in a coroutine, `getWechatOpenidAwait`. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KotlinOnlineTest {
    private lateinit var sandbox: Sandbox
    private lateinit var client: QfPayClient
    private val http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

    @BeforeAll
    fun start() {
        sandbox = Sandbox.builder().rateLimit(false).start()
        client = sandbox.client()
    }

    @AfterAll
    fun stop() {
        client.close()
        sandbox.close()
    }

    private fun code(oauth: String): String {
        val r = http.send(HttpRequest.newBuilder(URI.create(oauth)).build(), HttpResponse.BodyHandlers.discarding())
        val location = r.headers().firstValue("Location").orElseThrow()
        return location.substringAfter("code=")
    }

    @Test
    fun jsapiInACoroutine() = runBlocking {
        // Building links is a plain call inside a coroutine: nothing to await.
        val link = client.checkoutUrl(
            CheckoutRequest.builder(900, "HKD", "https://shop.example/ok", "https://shop.example/ko", "https://shop.example/n")
                .goodsName("Tea").checkoutExpiredTime(15).build(),
        )
        assertEquals(link, client.verifyCheckoutUrl(link.url))
        val openid = client.getWechatOpenidAwait(code(client.wechatOauthUrl(redirectUri = "https://shop.example/back")))
        assertEquals(28, openid.length)
        val payment = client.createPaymentAwait(
            PaymentRequest.builder(1050, "HKD", PayTypes.WECHAT_JSAPI).subOpenid(openid).build(),
        )
        val pp = requireNotNull(payment.wechatPayParams)
        assertEquals(pp.`package`, pp.raw["package"])
        val cashier = client.cashierUrl(
            amount = 1050,
            currency = "HKD",
            payParams = pp.raw,
            mchntnm = "Tea House",
            redirectUrl = "https://shop.example/done",
            goodsName = "Tea",
        )
        assertTrue(cashier.startsWith(sandbox.baseUrl + "/q/direct?"), cashier)
        val e = assertThrows<ValidationException> {
            client.cashierUrl(1050, "HKD", mapOf("appId" to "wx"), mchntnm = "Tea House", redirectUrl = "ftp://x")
        }
        assertTrue(e.field.isNotEmpty(), e.message)
    }
}
