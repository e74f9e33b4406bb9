package com.qfpay.examples.ktor

import com.qfpay.CancelRequest
import com.qfpay.CheckoutRequest
import com.qfpay.Notifications
import com.qfpay.PaymentRequest
import com.qfpay.QfPay
import com.qfpay.QfPayClient
import com.qfpay.QfPayException
import com.qfpay.Qr
import com.qfpay.RefundRequest
import com.qfpay.SignatureException
import com.qfpay.ValidationException
import com.qfpay.closeOrderAwait
import com.qfpay.createPaymentAwait
import com.qfpay.findPaymentAwait
import com.qfpay.refundAwait
import io.ktor.http.ContentType
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.Application
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.ApplicationStopped
import io.ktor.server.cio.CIO
import io.ktor.server.engine.embeddedServer
import io.ktor.server.request.receive
import io.ktor.server.request.receiveParameters
import io.ktor.server.response.respondRedirect
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.post
import io.ktor.server.routing.routing
import java.util.concurrent.ConcurrentHashMap

/** The shop's own record of an order (a database row in a real shop). */
class Order(val amount: Long, val currency: String) {
    @Volatile var qrcode: String? = null
    @Volatile var notified = false
}

/** A tiny JSON object writer (this example has no serialization dependency). */
private fun json(vararg fields: Pair<String, Any?>): String = fields.joinToString(",", "{", "}") { (k, v) ->
    "\"$k\":" + when (v) {
        null -> "null"
        is Number, is Boolean -> v.toString()
        else -> "\"" + v.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\""
    }
}

private suspend fun ApplicationCall.respondJson(status: HttpStatusCode, vararg fields: Pair<String, Any?>) =
    respondText(json(*fields), ContentType.Application.Json, status)

/**
 * The routes: create the payment, its QR code, QFPay's notifications, the order confirmed by
 * query, refund, close. Every SDK call is a suspend function: a request waiting for QFPay holds
 * no thread, and cancelling a request's coroutine (a timeout, the server stopping) cancels its call.
 */
fun Application.checkout(client: QfPayClient, clientKey: String, publicUrl: String) {
    val orders = ConcurrentHashMap<String, Order>()
    val notifyUrl = "$publicUrl/qfpay/notify"   // QFPay POSTs the signed notification here

    routing {
        post("/checkout") {
            val amount = call.request.queryParameters["amount"]?.toLongOrNull()
                ?: return@post call.respondJson(HttpStatusCode.BadRequest, "error" to "validation", "field" to "amount")
            val number = QfPay.generateOutTradeNo()     // generate, store, then call
            val order = Order(amount, "HKD").also { orders[number] = it }
            try {
                val p = client.createPaymentAwait(
                    PaymentRequest.wechatQr(amount, "HKD").outTradeNo(number).goodsName("Coffee").notifyUrl(notifyUrl).build(),
                )
                order.qrcode = p.qrcode
                call.respondJson(HttpStatusCode.OK, "out_trade_no" to number, "qrcode" to p.qrcode, "qr" to "/orders/$number/qr.svg")
            } catch (e: ValidationException) {
                call.respondJson(HttpStatusCode.BadRequest, "error" to e.code, "field" to e.field)
            } catch (e: QfPayException) {
                call.respondJson(HttpStatusCode.BadGateway, "error" to e.code, "out_trade_no" to e.outTradeNo)
            }
        }

        // QFPay's hosted checkout: sign the link (a plain call: nothing is sent) and send the
        // customer to QFPay's page; QFPay notifies /qfpay/notify and sends the customer back.
        // A POST (the shop's "pay" form), so that no link prefetch or crawler makes orders.
        post("/shop/checkout") {
            val amount = call.receiveParameters()["amount"]?.toLongOrNull()
                ?: return@post call.respondJson(HttpStatusCode.BadRequest, "error" to "validation", "field" to "amount")
            val number = QfPay.generateOutTradeNo()
            orders[number] = Order(amount, "HKD")
            val result = "$publicUrl/shop/result/$number"
            val link = client.checkoutUrl(
                CheckoutRequest.builder(amount, "HKD", result, result, notifyUrl).outTradeNo(number).goodsName("Coffee beans").build(),
            )
            call.respondRedirect(link.url)
        }

        // The customer is back (paid, failed or cancelled): the state, read by query.
        get("/shop/result/{number}") {
            val number = call.parameters["number"]!!
            if (orders[number] == null) return@get call.respondText("no such order", status = HttpStatusCode.NotFound)
            val t = client.findPaymentAwait(number)
            val state = when {
                t == null -> "not paid"
                t.isPaid -> "paid"
                else -> t.state.wire.replace('_', ' ')
            }
            call.respondText("<!doctype html><title>Your order</title><h1>Order $number</h1><p id=\"state\">$state</p>", ContentType.Text.Html)
        }

        get("/orders/{number}/qr.svg") {
            val qrcode = orders[call.parameters["number"]]?.qrcode
                ?: return@get call.respondText("no such order", status = HttpStatusCode.NotFound)
            call.respondText(Qr.svg(qrcode), ContentType.Image.SVG)
        }

        // The exact raw bytes: the signature covers them, never a parsed and re-serialised body.
        post("/qfpay/notify") {
            val raw = call.receive<ByteArray>()
            val n = try {
                Notifications.verify(raw, call.request.headers["X-QF-SIGN"], clientKey)
            } catch (e: SignatureException) {
                return@post call.respondText("bad signature", status = HttpStatusCode.Unauthorized)
            } catch (e: QfPayException) {
                return@post call.respondText("not a notification", status = HttpStatusCode.BadRequest)
            }
            val order = orders[n.outTradeNo]
            if (order != null && n.notifyType == "payment" && n.isSuccess) order.notified = true   // idempotent
            call.respondText(QfPay.NOTIFICATION_ACK)   // "SUCCESS"
        }

        // Confirmed by query: the notification alone is never trusted.
        get("/orders/{number}") {
            val number = call.parameters["number"]!!
            val order = orders[number]
            val t = client.findPaymentAwait(number)
            if (order == null || t == null) return@get call.respondText("no such order", status = HttpStatusCode.NotFound)
            call.respondJson(
                HttpStatusCode.OK,
                "out_trade_no" to number, "state" to t.state.toString().lowercase(), "paid" to t.isPaid, "notified" to order.notified,
            )
        }

        post("/orders/{number}/refund") {
            val number = call.parameters["number"]!!
            val amount = call.request.queryParameters["amount"]?.toLongOrNull()
                ?: return@post call.respondJson(HttpStatusCode.BadRequest, "error" to "validation", "field" to "amount")
            val t = client.findPaymentAwait(number)
            if (t == null || !t.isPaid) return@post call.respondJson(HttpStatusCode.Conflict, "error" to "not paid")
            try {
                val refund = client.refundAwait(RefundRequest.of(t.syssn, amount, t.txcurrcd))
                call.respondJson(HttpStatusCode.OK, "refund_syssn" to refund.syssn, "txamt" to refund.txamt)
            } catch (e: QfPayException) {
                call.respondJson(HttpStatusCode.BadGateway, "error" to e.code)
            }
        }

        post("/orders/{number}/close") {
            val number = call.parameters["number"]!!
            val order = orders[number] ?: return@post call.respondText("no such order", status = HttpStatusCode.NotFound)
            try {
                client.closeOrderAwait(CancelRequest.byOutTradeNo(number, order.amount, order.currency))
                call.respondJson(HttpStatusCode.OK, "out_trade_no" to number, "state" to client.findPaymentAwait(number)?.state.toString().lowercase())
            } catch (e: QfPayException) {
                call.respondJson(HttpStatusCode.BadGateway, "error" to e.code)
            }
        }
    }
}

/**
 * Configured by the environment: `QFPAY_APP_CODE`, `QFPAY_CLIENT_KEY`, `QFPAY_ENV` or
 * `QFPAY_BASE_URL` (the client), `PUBLIC_URL` (where QFPay reaches this application), `PORT`.
 */
fun main() {
    val port = System.getenv("PORT")?.toInt() ?: 8080
    val publicUrl = System.getenv("PUBLIC_URL") ?: "http://127.0.0.1:$port"
    val clientKey = System.getenv("QFPAY_CLIENT_KEY") ?: error("set QFPAY_CLIENT_KEY")
    val client = QfPayClient.fromEnv()   // one client for the application: thread-safe
    embeddedServer(CIO, port = port, host = "127.0.0.1") {
        monitor.subscribe(ApplicationStopped) { client.close() }
        checkout(client, clientKey, publicUrl)
    }.start(wait = true)
}
