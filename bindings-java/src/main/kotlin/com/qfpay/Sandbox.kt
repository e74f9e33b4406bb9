package com.qfpay

import com.qfpay.ffi.FfiSandbox
import java.time.Duration

/**
 * The in-process QFPay sandbox for tests: a real HTTP server on 127.0.0.1 that signs, checks
 * and answers like QFPay, with QFPay's rate limit (100/s, 400/min) on unless
 * [Builder.rateLimit] turns it off. Scenario amounts (`txamt`): 1001 paid, 1002 pending then
 * paid, 1003 declined, 1004 pending on create, 1005 slow, 1006 server error, 1007 rate limited.
 * Any other MPM amount waits for [pay].
 *
 * ```java
 * try (Sandbox sb = Sandbox.start()) {
 *     QfPayClient client = sb.client();
 * }
 * ```
 */
class Sandbox private constructor(private val ffi: FfiSandbox) : AutoCloseable {
    /** The sandbox method [what] (`sandbox.rs`) with [args]. */
    private fun call(what: String, vararg args: Any?): String? = ffi { ffi.call(what, Wire.encode(args.toList())) }

    /** `http://127.0.0.1:<port>`. */
    val baseUrl: String = call("base_url")!!
    /** The sandbox merchant's app code. */
    val appCode: String = call("app_code")!!
    /** The sandbox merchant's client key (also the notification key). */
    val clientKey: String = call("client_key")!!
    /** The sandbox merchant's `mchid`, if it was given one. */
    val mchid: String? = call("mchid")

    /** The port on 127.0.0.1. */
    val port: Int get() = call("port")!!.toInt()

    /** A client builder already pointed at this sandbox with its credentials. */
    fun clientBuilder(): QfPayClient.Builder =
        QfPayClient.builder().baseUrl(baseUrl).credentials(appCode, clientKey).mchid(mchid)

    /** A client for this sandbox with the default settings. */
    fun client(): QfPayClient = clientBuilder().build()

    /** The customer scans and pays the order with this `syssn` or `out_trade_no`; the record as JSON. */
    fun pay(syssnOrOutTradeNo: String?): String = call("pay", requiredText(syssnOrOutTradeNo, "syssnOrOutTradeNo"))!!

    /** The next [count] API requests are answered after [delay]. */
    fun injectDelay(delay: Duration?, count: Int) = injectFault(Fault.delay(delay), count)
    /** The next [count] API requests are processed, then the connection is closed without an answer. */
    fun injectDrop(count: Int) = injectFault(Fault.drop(), count)
    /** The next [count] API requests are answered with this HTTP status and no body, unprocessed. */
    fun injectHttpStatus(status: Int, count: Int) = injectFault(Fault.httpStatus(status), count)
    /** The next [count] API requests are processed, then answered with a body that is not JSON. */
    fun injectMalformed(count: Int) = injectFault(Fault.malformed(), count)
    /** The next [count] API requests are answered exactly with [status] and [body], unprocessed. */
    fun injectCanned(status: Int, body: String?, count: Int) = injectFault(Fault.canned(status, body), count)

    /** Applies [fault] to the next [count] API requests (`/trade/...`; never `/sandbox/...`). */
    fun injectFault(fault: Fault?, count: Int) {
        call("inject_fault", count, *required(fault, "fault").spec.toTypedArray())
    }

    /** API requests received since start or [reset], rejected ones included. */
    fun requestCount(): Long = call("request_count")!!.toLong()

    /** The request log as a JSON array, oldest first. */
    fun requests(): String = call("requests")!!

    /** Notification deliveries and their attempts as a JSON array. */
    fun notifications(): String = call("notifications")!!

    /**
     * Every payment and refund the sandbox holds, as a JSON array of objects with `kind`
     * (`payment`/`refund`), `out_trade_no`, `syssn`, `txamt`, `txcurrcd`, `state` (what a query
     * would read) and `orig_syssn`: the ground truth to check a client's view against.
     */
    fun orders(): String = call("orders")!!

    /**
     * Moves the sandbox clock forward by [duration] (to expire orders without waiting); the
     * clock counts whole seconds, so a fraction of a second is dropped.
     * @throws ValidationException naming `duration` when it is null or moves the clock beyond its bounds
     */
    fun advanceClock(duration: Duration?) {
        call("advance_clock", required(duration, "duration").seconds)
    }

    /** Forgets orders, the request log, faults, notifications and clock changes. */
    fun reset() {
        call("reset")
    }

    /** Stops the server (the same as [close]). */
    fun stop() = close()

    /** Stops the server. Idempotent. */
    override fun close() {
        call("shutdown")
    }

    /** Sandbox settings, by their Java names as the sandbox reads them (`qfpay_sandbox::options`). */
    class Builder internal constructor() {
        private val m = LinkedHashMap<String, Any?>()
        /** The one merchant's fields (default credentials [APP_CODE] and [CLIENT_KEY]). */
        private val merchant = LinkedHashMap<String, Any?>()
        private fun set(name: String, v: Any?) = apply { m[name] = v }
        /** The port on 127.0.0.1 (0: a free one, the default). */
        fun port(v: Int) = set("port", v)
        /** The merchant's credentials (default [APP_CODE] and [CLIENT_KEY]). */
        fun credentials(appCode: String?, clientKey: String?) = apply {
            merchant["appCode"] = requiredText(appCode, "appCode")
            merchant["clientKey"] = requiredText(clientKey, "clientKey")
        }
        /** The one merchant of this sandbox: credentials (the same as [credentials]). */
        fun merchants(appCode: String?, clientKey: String?) = credentials(appCode, clientKey)
        /** The `mchid` every request must carry (null: none). */
        fun mchid(v: String?) = apply { merchant["mchid"] = text(v, "mchid") }
        /** Where notifications are sent. */
        fun notifyUrl(v: String?) = apply { merchant["notifyUrl"] = text(v, "notifyUrl") }
        /** QFPay's documented rate limit (100/s, 400/min per app code): on by default, as QFPay. */
        fun rateLimit(on: Boolean) = set("rateLimit", on)
        /** A rate limit of its own (a tight one, to see a client wait out QFPay's `429`s). */
        fun rateLimit(perSecond: Int, perMinute: Int) = set("rateLimit", mapOf("perSecond" to perSecond, "perMinute" to perMinute))
        /** Multiplies the notification retry schedule (1.0: real time). */
        fun notifyTimeScale(v: Double) = set("notifyTimeScale", v)
        /** Scenario 1002: how many queries answer "pending" before it is paid. */
        fun pendingQueries(v: Long) = set("pendingQueries", v)
        /** Scenario 1005: the delay. */
        fun slowResponse(v: Duration?) = set("slowResponse", nanos(v, "slowResponse"))
        /** Refuses the legacy pay codes (`1104`), as an account without them would (off by default). */
        fun strictPayTypes(on: Boolean) = set("strictPayTypes", on)
        /** Starts the sandbox on its own thread. */
        fun start(): Sandbox {
            val options = LinkedHashMap(m)
            if (merchant.values.any { it != null }) {
                options["merchants"] = listOf(linkedMapOf<String, Any?>("appCode" to APP_CODE, "clientKey" to CLIENT_KEY) + merchant)
            }
            return Sandbox(ffi { FfiSandbox.start(Wire.encode(options)) })
        }
    }

    companion object {
        /** The default sandbox merchant's app code. */
        @JvmField
        val APP_CODE: String = Jni.text(7)!!

        /** The default sandbox merchant's client key. */
        @JvmField
        val CLIENT_KEY: String = Jni.text(8)!!

        /** Starts a sandbox with the default merchant and the rate limit on, on a free port. */
        @JvmStatic
        fun start(): Sandbox = Builder().start()

        /** A builder for a sandbox with other settings. */
        @JvmStatic
        fun builder() = Builder()
    }
}

/** A fault for [Sandbox.injectFault]: its kind and arguments as the sandbox reads them (`sandbox.rs`). */
class Fault private constructor(internal val spec: List<Any>) {
    /** A description of the fault. */
    override fun toString() = "Fault" + spec

    companion object {
        /** Process normally, answer after [delay]. */
        @JvmStatic fun delay(delay: Duration?) = Fault(listOf("delay", nanos(delay, "delay")))
        /** Process, then close the connection without an answer. */
        @JvmStatic fun drop() = Fault(listOf("drop"))
        /** Answer with [status] and an empty body, without processing. */
        @JvmStatic fun httpStatus(status: Int) = Fault(listOf("http_status", status))
        /** Process, then answer HTTP 200 with a body that is not JSON. */
        @JvmStatic fun malformed() = Fault(listOf("malformed"))
        /** Answer exactly [status] and [body], without processing. */
        @JvmStatic fun canned(status: Int, body: String?) = Fault(listOf("canned", status, requiredText(body, "body")))
    }
}
