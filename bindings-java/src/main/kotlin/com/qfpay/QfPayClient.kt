package com.qfpay

import com.qfpay.ffi.FfiClient
import com.qfpay.ffi.FfiClientConfig
import com.qfpay.ffi.FfiQueryPages
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.ThreadFactory
import java.util.concurrent.atomic.AtomicInteger
import java.util.function.Supplier

/** Which QFPay to talk to. */
enum class Environment(internal val wire: String) {
    /** Live payments. */
    PRODUCTION("production"),
    /** Real wallets on test accounts, not settled (the default). */
    LIVE_TEST("live_test"),
    /** QFPay's card-simulation sandbox. */
    SANDBOX("sandbox"),
}

/** The hash used for request signatures. */
enum class SignType(internal val wire: String) { MD5("md5"), SHA256("sha256") }

/**
 * A QFPay client over the Rust core. Thread-safe: create one and share it between threads.
 *
 * Every operation has a blocking form and an `...Async` form returning a [CompletableFuture]
 * that runs the blocking call on the client's executor (a cached pool of daemon threads unless
 * [Builder.executor] gives one). The future fails with the same [QfPayException] (wrapped in a
 * `CompletionException`/`ExecutionException` by `join`/`get`).
 */
class QfPayClient private constructor(
    private val ffi: FfiClient,
    private val executor: Executor,
    private val ownedExecutor: ExecutorService?,
) : AutoCloseable {

    /** The base URL requests go to. */
    val baseUrl: String get() = ffi.baseUrl()

    /** The `User-Agent` sent (`qfpay-java/<version> (core <version>)`). */
    val userAgent: String get() = ffi.userAgent()

    /** Creates a payment. The core validates, signs, retries only what QFPay cannot have processed,
     *  and reconciles unknown outcomes (then [StatusUnknownException] carries the `out_trade_no`). */
    fun createPayment(request: PaymentRequest): Payment = ffi { Payment.of(ffi.createPayment(request.ffi)) }

    /** Creates a WeChat Pay QR payment (800201) of [amount] minor units; show `payment.qrcode`. */
    fun wechatQr(amount: Long, currency: String): Payment =
        createPayment(PaymentRequest.wechatQr(amount, currency).build())

    /** One page of a transaction query. */
    fun query(request: QueryRequest): QueryPage = ffi { QueryPage.of(ffi.query(request.ffi)) }

    /** Every page of a query, fetched lazily as it is iterated (each `iterator()` starts over). */
    fun queryPages(request: QueryRequest): Iterable<QueryPage> = Iterable { PageIterator(ffi { ffi.queryPages(request.ffi) }) }

    /** The payment with this `out_trade_no`, or null when QFPay has none. */
    fun findPayment(outTradeNo: String): Transaction? = ffi { ffi.findPayment(outTradeNo)?.let(Transaction::of) }

    /** Refunds (part of) a payment. */
    fun refund(request: RefundRequest): Refund = ffi { Refund.of(ffi.refund(request.ffi)) }

    /** Closes an unpaid order. */
    fun close(request: CancelRequest): Cancellation = ffi { Cancellation.of(ffi.close(request.ffi)) }

    /** Reverses a payment. */
    fun reverse(request: CancelRequest): Cancellation = ffi { Cancellation.of(ffi.reverse(request.ffi)) }

    /** Queries until the payment is no longer pending, for up to [timeout] (1 s, then 1.5× up to 5 s apart). */
    fun waitForPayment(outTradeNo: String, timeout: Duration): Transaction =
        ffi { Transaction.of(ffi.waitForPayment(outTradeNo, timeout.toMillis(), null, null)) }

    /** As [waitForPayment], with the first and largest interval between queries. */
    fun waitForPayment(outTradeNo: String, timeout: Duration, initialInterval: Duration, maxInterval: Duration): Transaction =
        ffi { Transaction.of(ffi.waitForPayment(outTradeNo, timeout.toMillis(), initialInterval.toMillis(), maxInterval.toMillis())) }

    fun createPaymentAsync(request: PaymentRequest): CompletableFuture<Payment> = async { createPayment(request) }
    fun wechatQrAsync(amount: Long, currency: String): CompletableFuture<Payment> = async { wechatQr(amount, currency) }
    fun queryAsync(request: QueryRequest): CompletableFuture<QueryPage> = async { query(request) }
    /** Every page, collected into a list. */
    fun queryAllAsync(request: QueryRequest): CompletableFuture<List<QueryPage>> = async { queryPages(request).toList() }
    fun findPaymentAsync(outTradeNo: String): CompletableFuture<Transaction?> = async { findPayment(outTradeNo) }
    fun refundAsync(request: RefundRequest): CompletableFuture<Refund> = async { refund(request) }
    fun closeAsync(request: CancelRequest): CompletableFuture<Cancellation> = async { close(request) }
    fun reverseAsync(request: CancelRequest): CompletableFuture<Cancellation> = async { reverse(request) }
    fun waitForPaymentAsync(outTradeNo: String, timeout: Duration): CompletableFuture<Transaction> =
        async { waitForPayment(outTradeNo, timeout) }

    private fun <T> async(block: () -> T): CompletableFuture<T> = CompletableFuture.supplyAsync(Supplier(block), executor)

    /** Releases the native client and the client's own executor. Calls in flight finish first. */
    override fun close() {
        ownedExecutor?.shutdown()
        ffi.destroy()
    }

    private class PageIterator(private val pages: FfiQueryPages) : Iterator<QueryPage> {
        private var next: QueryPage? = null
        private var done = false
        override fun hasNext(): Boolean {
            if (next == null && !done) {
                next = ffi { pages.nextPage() }?.let(QueryPage::of)
                if (next == null) {
                    done = true
                    pages.destroy()
                }
            }
            return next != null
        }
        override fun next(): QueryPage {
            if (!hasNext()) throw NoSuchElementException()
            return next!!.also { next = null }
        }
    }

    /** Settings for a [QfPayClient]; unset values keep the core's defaults. */
    class Builder internal constructor() {
        private var fromEnv = false
        private var appCode: String? = null
        private var clientKey: String? = null
        private var environment: String? = null
        private var baseUrl: String? = null
        private var mchid: String? = null
        private var signType: String? = null
        private var timeout: Duration? = null
        private var connectTimeout: Duration? = null
        private var reconcileTimeout: Duration? = null
        private var maxRetries: Int? = null
        private var retryBase: Duration? = null
        private var retryMax: Duration? = null
        private var utcOffsetSeconds: Int? = null
        private var proxy: String? = null
        private var executor: Executor? = null

        /** Starts from the `QFPAY_*` environment variables; later setters override them. */
        fun fromEnv() = apply { fromEnv = true }
        fun appCode(v: String) = apply { appCode = v }
        fun clientKey(v: String) = apply { clientKey = v }
        /** App code and client key. */
        fun credentials(appCode: String, clientKey: String) = apply { this.appCode = appCode; this.clientKey = clientKey }
        fun environment(v: Environment) = apply { environment = v.wire }
        /** `production`, `live_test`, `sandbox` or a base URL. */
        fun environment(v: String) = apply { environment = v }
        /** A custom base URL (another region, or the local sandbox). */
        fun baseUrl(v: String) = apply { baseUrl = v }
        fun mchid(v: String?) = apply { mchid = v }
        fun signType(v: SignType) = apply { signType = v.wire }
        /** Deadline for a whole call, retries included (default 30 s). */
        fun timeout(v: Duration) = apply { timeout = v }
        fun connectTimeout(v: Duration) = apply { connectTimeout = v }
        /** How long to query for the outcome of a money-moving call that became unknown (default 15 s). */
        fun reconcileTimeout(v: Duration) = apply { reconcileTimeout = v }
        /** Retries after failures QFPay never processed (default 2; 0 turns them off). */
        fun maxRetries(v: Int) = apply { maxRetries = v }
        fun retryDelay(base: Duration, max: Duration) = apply { retryBase = base; retryMax = max }
        fun utcOffsetSeconds(v: Int) = apply { utcOffsetSeconds = v }
        fun proxy(v: String?) = apply { proxy = v }
        /** The executor for the `...Async` methods (default: the client's own daemon threads). */
        fun executor(v: Executor) = apply { executor = v }

        /** Checks the settings and builds the client; fails with [ConfigException]. */
        fun build(): QfPayClient {
            val config = FfiClientConfig(
                fromEnv, appCode, clientKey, environment, baseUrl, mchid, signType,
                timeout?.toMillis(), connectTimeout?.toMillis(), reconcileTimeout?.toMillis(),
                maxRetries?.toLong(), retryBase?.toMillis(), retryMax?.toMillis(), utcOffsetSeconds, proxy,
                "qfpay-java/" + QfPay.VERSION,
            )
            val native = ffi { FfiClient(config) }
            val own = if (executor == null) Executors.newCachedThreadPool(DaemonThreads) else null
            return QfPayClient(native, executor ?: own!!, own)
        }
    }

    private object DaemonThreads : ThreadFactory {
        private val n = AtomicInteger()
        override fun newThread(r: Runnable) = Thread(r, "qfpay-async-" + n.incrementAndGet()).apply { isDaemon = true }
    }

    companion object {
        /** A new builder. */
        @JvmStatic
        fun builder() = Builder()

        /** A client from `QFPAY_APP_CODE`, `QFPAY_CLIENT_KEY`, `QFPAY_ENV`/`QFPAY_BASE_URL`, `QFPAY_MCHID`, `QFPAY_SIGN_TYPE`. */
        @JvmStatic
        fun fromEnv() = Builder().fromEnv().build()
    }
}

/** SDK-wide facts. */
object QfPay {
    /** The SDK version (the core's; the binding is versioned with it). */
    @JvmField
    val VERSION: String = com.qfpay.ffi.coreVersion()

    /** A fresh `out_trade_no` (34 URL-safe characters). */
    @JvmStatic
    fun generateOutTradeNo(): String = com.qfpay.ffi.generateOutTradeNo()
}
