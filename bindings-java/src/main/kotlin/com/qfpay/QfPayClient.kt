package com.qfpay

import com.qfpay.ffi.FfiClient
import com.qfpay.ffi.FfiQueryPages
import com.qfpay.ffi.UniffiWithHandle
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor
import java.util.concurrent.ExecutorService
import java.util.concurrent.ForkJoinPool
import java.util.concurrent.ForkJoinWorkerThread
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import java.util.function.Supplier

/** Which QFPay to talk to (our local sandbox is a base URL instead: [Sandbox.client]). */
enum class Environment(internal val wire: String) {
    /** Live payments (`production`, alias `prod`). */
    PRODUCTION("production"),
    /** Real wallets on test accounts, not settled (the default; `live_test`). */
    LIVE_TEST("live_test"),
    /** QFPay's remote card-simulation host (`card_sandbox`), not the local [Sandbox]. */
    CARD_SANDBOX("card_sandbox"),
}

/** The hash used for request signatures. */
enum class SignType(internal val wire: String) {
    /** MD5 (QFPay's default). */
    MD5("md5"),
    /** SHA-256 (sent with `X-QF-SIGNTYPE: SHA256`). */
    SHA256("sha256"),
}

/** A [Duration] option in nanoseconds as it crosses (saturating: the core refuses what is too long); null is refused naming [name]. */
internal fun nanos(d: Duration?, name: String): Long {
    val v = required(d, name)
    return try {
        v.toNanos()
    } catch (_: ArithmeticException) {
        if (v.isNegative) Long.MIN_VALUE else Long.MAX_VALUE
    }
}

/** Converts a [Duration] option to milliseconds, saturating instead of overflowing; null is refused naming [name]. */
internal fun millis(d: Duration?, name: String): Long {
    val v = required(d, name)
    return try {
        v.toMillis()
    } catch (_: ArithmeticException) {
        if (v.isNegative) Long.MIN_VALUE else Long.MAX_VALUE
    }
}

/**
 * Per-call overrides of the client's deadline and retries, e.g.
 * `client.createPayment(req, CallOptions.builder().timeout(Duration.ofSeconds(5)).maxRetries(0).build())`.
 */
class CallOptions private constructor(internal val options: Map<String, Any?>) {
    /** Builder for [CallOptions]; unset values keep the client's. */
    class Builder internal constructor() : CallOptionFields<Builder>() {
        /** The options. */
        fun build() = CallOptions(snapshot())
    }

    companion object {
        /** A new builder. */
        @JvmStatic
        fun builder() = Builder()

        /** Only a deadline for the call. */
        @JvmStatic
        fun timeout(v: Duration?) = Builder().timeout(v).build()
    }
}

/**
 * The future of an `...Async` call. [cancel] drops the call in the core: nothing more is sent,
 * and a money-moving call whose request was already sent is logged by the core as cancelled
 * (a warning on `com.qfpay.reconcile` naming the `out_trade_no`): query that order to learn
 * its outcome. Futures derived with `thenApply` etc. do not propagate cancellation back.
 */
class QfPayFuture<T> internal constructor() : CompletableFuture<T>() {
    /** The native task handle (0: none, or already given back): consumed exactly once. */
    private val task = AtomicLong()

    internal fun attach(t: Long) {
        task.set(t)
        if (isDone) finish() // completed (or cancelled) before the handle arrived
    }

    /** Gives the task handle back once the call is over: cancelling it if this future was cancelled. */
    internal fun finish() {
        val t = task.getAndSet(0)
        if (t != 0L) if (isCancelled) Jni.taskCancel(t) else Jni.taskRelease(t)
    }

    /** Cancels the future and drops the call in the core. */
    override fun cancel(mayInterruptIfRunning: Boolean): Boolean {
        val cancelled = super.cancel(mayInterruptIfRunning)
        if (isCancelled) finish()
        return cancelled
    }
}

/** Completes a [QfPayFuture] on the client's executor (on the library's I/O thread only if that executor runs tasks in place). */
private class Completion<T>(
    private val future: QfPayFuture<T>,
    private val executor: Executor,
    private val pick: (Any?) -> T,
) : NativeCompletion {
    override fun complete(outcome: ByteArray) {
        val finish = Runnable {
            try {
                future.complete(pick(Jni.outcome(outcome)))
            } catch (t: Throwable) {
                future.completeExceptionally(t)
            } finally {
                future.finish()
            }
        }
        try {
            executor.execute(finish)
        } catch (_: Throwable) {
            finish.run()
        }
    }
}

/**
 * A QFPay client over the Rust core. Thread-safe: create one and share it between threads;
 * [close] it when done.
 *
 * Every operation has a blocking form and an `...Async` form returning a [QfPayFuture]: the
 * call runs on the library's own I/O runtime (no thread is held while it waits or between the
 * polls of [waitForPaymentAsync]), and the future completes on the client's executor (a
 * work-stealing pool of daemon threads, one per processor, unless [Builder.executor] gives one). A failed future holds the same
 * [QfPayException] (wrapped in a `CompletionException`/`ExecutionException` by `join`/`get`).
 * Every operation also takes [CallOptions] for its own deadline and retries.
 */
class QfPayClient private constructor(
    /**
     * The facade's reference to the native client (an `Arc` strong count, given back when the
     * client is closed and no call is running).
     */
    private val handle: Long,
    private val executor: Executor,
    private val ownedExecutor: ExecutorService?,
) : AutoCloseable {
    private val closed = AtomicBoolean()

    /** The count of calls using [handle], plus one while the client is open. */
    private val uses = AtomicLong(1)

    /** Runs [block] with the native handle, which stays valid until it returns. */
    private inline fun <R> withHandle(block: (Long) -> R): R {
        while (true) {
            val n = uses.get()
            if (n == 0L || closed.get()) throw IllegalStateException("client closed")
            if (uses.compareAndSet(n, n + 1)) break
        }
        try {
            return block(handle)
        } finally {
            if (uses.decrementAndGet() == 0L) Jni.clientRelease(handle)
        }
    }

    /**
     * A blocking operation: one JNI crossing, with the arguments by name and the options as
     * one buffer ([Wire]) and the result (or the error) as another.
     */
    private inline fun <T> call(op: Int, args: Map<String, Any?>, options: Map<String, Any?>?, pick: (Any?) -> T): T =
        pick(Jni.outcome(withHandle { Jni.call(it, op, Wire.encode(args, options)) }))

    /** The base URL requests go to. */
    val baseUrl: String get() = withHandle { Jni.clientString(it, 0)!! }

    /** The app code requests are signed for. */
    val appCode: String get() = withHandle { Jni.clientString(it, 1)!! }

    /** The default `mchid`, if any. */
    val mchid: String? get() = withHandle { Jni.clientString(it, 3) }

    /** The `User-Agent` sent (`qfpay-java/<version> ...`). */
    val userAgent: String get() = withHandle { Jni.clientString(it, 2)!! }

    /**
     * Creates a payment. The core validates, signs, retries only what QFPay cannot have processed,
     * and reconciles unknown outcomes. Every exception names the order ([QfPayException.outTradeNo]).
     * @throws QfPayException ([ValidationException], [DeclinedException], [DuplicateOrderException], [StatusUnknownException], ...)
     */
    @JvmOverloads
    fun createPayment(request: PaymentRequest?, options: CallOptions? = null): Payment {
        return call(Jni.CREATE_PAYMENT, required(request, "request").args, options?.options, Payment::of)
    }

    /**
     * Creates a WeChat Pay QR payment (800201) of [amount] minor units; show `payment.qrcode`
     * (rendered with [Qr]). The same as `createPayment(PaymentRequest.wechatQr(amount, currency).build(), options)`,
     * which also sets the payment's other fields.
     * @throws QfPayException as [createPayment]
     */
    @JvmOverloads
    fun wechatQr(amount: Long, currency: String?, options: CallOptions? = null): Payment =
        createPayment(PaymentRequest.wechatQr(amount, currency).build(), options)

    /**
     * One page of a transaction query.
     * @throws QfPayException ([ValidationException], [RequestTimeoutException], [NetworkException], ...)
     */
    @JvmOverloads
    fun query(request: QueryRequest?, options: CallOptions? = null): QueryPage {
        return call(Jni.QUERY, required(request, "request").args, options?.options, QueryPage::of)
    }

    /**
     * Every page of a query, fetched lazily as it is iterated (each `iterator()` starts over);
     * [QueryPages.items] iterates the transactions across pages.
     */
    fun queryPages(request: QueryRequest?): QueryPages {
        val r = required(request, "request")
        // The page iterator is uniffi's (through JNA): a uniffi object over one more count of
        // the native client, let go as soon as the iterator holds its own.
        return QueryPages {
            ffi { withHandle { FfiClient(UniffiWithHandle, Jni.clientClone(it)).use { c -> c.queryPages(Wire.encode(r.args)) } } }
        }
    }

    /**
     * The payment with this `out_trade_no`, or null when QFPay has none.
     * @throws QfPayException as [query]
     */
    @JvmOverloads
    fun findPayment(outTradeNo: String?, options: CallOptions? = null): Transaction? {
        val args = mapOf("outTradeNo" to requiredText(outTradeNo, "out_trade_no", "outTradeNo"))
        return call(Jni.FIND_PAYMENT, args, options?.options) { it?.let(Transaction::of) }
    }

    /**
     * Refunds (part of) a payment.
     * @throws QfPayException ([RefundRejectedException], [StatusUnknownException], ...), naming the refund's `out_trade_no`
     */
    @JvmOverloads
    fun refund(request: RefundRequest?, options: CallOptions? = null): Refund {
        return call(Jni.REFUND, required(request, "request").args, options?.options, Refund::of)
    }

    /**
     * Closes an unpaid order (QFPay's `close`; named `closeOrder` because [close] releases the client).
     * @throws QfPayException ([OrderStateException], [StatusUnknownException], ...)
     */
    @JvmOverloads
    fun closeOrder(request: CancelRequest?, options: CallOptions? = null): Cancellation {
        return call(Jni.CLOSE_ORDER, required(request, "request").args, options?.options, Cancellation::of)
    }

    /**
     * Reverses a payment.
     * @throws QfPayException ([OrderStateException], [StatusUnknownException], ...)
     */
    @JvmOverloads
    fun reverse(request: CancelRequest?, options: CallOptions? = null): Cancellation {
        return call(Jni.REVERSE, required(request, "request").args, options?.options, Cancellation::of)
    }

    /**
     * Queries until the payment is no longer pending, for up to the default 120 s (1 s, then
     * 1.5× up to 5 s apart); it queries once more at the deadline.
     * @throws StatusUnknownException when it is still pending at the deadline
     */
    fun waitForPayment(outTradeNo: String?): Transaction = waitBlocking(outTradeNo, null)

    /**
     * As [waitForPayment], for up to [timeout].
     * @throws StatusUnknownException when it is still pending at the deadline
     */
    fun waitForPayment(outTradeNo: String?, timeout: Duration?): Transaction =
        waitBlocking(outTradeNo, waitOptions(timeout))

    /**
     * As [waitForPayment], with the first and the largest interval between queries.
     * @throws StatusUnknownException when it is still pending at the deadline
     */
    fun waitForPayment(outTradeNo: String?, timeout: Duration?, interval: Duration?, maxInterval: Duration?): Transaction =
        waitBlocking(outTradeNo, waitOptions(timeout, interval, maxInterval))

    /** `wait_for_payment`'s options by name (the core's defaults for those not given). */
    private fun waitOptions(timeout: Duration?, vararg intervals: Duration?): Map<String, Any?> {
        val m = linkedMapOf<String, Any?>("timeout" to nanos(timeout, "timeout"))
        if (intervals.isNotEmpty()) {
            m["interval"] = nanos(intervals[0], "interval")
            m["maxInterval"] = nanos(intervals[1], "maxInterval")
        }
        return m
    }

    private fun waitBlocking(outTradeNo: String?, options: Map<String, Any?>?): Transaction =
        call(Jni.WAIT_FOR_PAYMENT, mapOf("outTradeNo" to requiredText(outTradeNo, "out_trade_no", "outTradeNo")), options, Transaction::of)

    /** An `...Async` operation: one JNI crossing to start it, one back with its outcome. */
    private fun <T> start(op: Int, args: () -> Map<String, Any?>, options: Map<String, Any?>?, pick: (Any?) -> T): QfPayFuture<T> {
        val future = QfPayFuture<T>()
        try {
            val r = Wire.encode(args(), options)
            val task = withHandle { Jni.callAsync(it, op, r, Completion(future, executor, pick)) }
            future.attach(task)
        } catch (e: RuntimeException) {
            future.completeExceptionally(e)
        }
        return future
    }

    /** [createPayment] without blocking; [QfPayFuture.cancel] drops the call. */
    @JvmOverloads
    fun createPaymentAsync(request: PaymentRequest?, options: CallOptions? = null): CompletableFuture<Payment> {
        return start(Jni.CREATE_PAYMENT, { required(request, "request").args }, options?.options, Payment::of)
    }

    /** [wechatQr] without blocking; [QfPayFuture.cancel] drops the call. */
    @JvmOverloads
    fun wechatQrAsync(amount: Long, currency: String?, options: CallOptions? = null): CompletableFuture<Payment> {
        val r = try { PaymentRequest.wechatQr(amount, currency).build() } catch (e: QfPayException) { return CompletableFuture.failedFuture(e) }
        return createPaymentAsync(r, options)
    }

    /** [query] without blocking. */
    @JvmOverloads
    fun queryAsync(request: QueryRequest?, options: CallOptions? = null): CompletableFuture<QueryPage> {
        return start(Jni.QUERY, { required(request, "request").args }, options?.options, QueryPage::of)
    }

    /** Every page of a query, collected into a list on the client's executor. */
    fun queryAllAsync(request: QueryRequest?): CompletableFuture<List<QueryPage>> =
        CompletableFuture.supplyAsync(Supplier { managedBlocking { queryPages(request).toList() } }, executor)

    /** [findPayment] without blocking. */
    @JvmOverloads
    fun findPaymentAsync(outTradeNo: String?, options: CallOptions? = null): CompletableFuture<Transaction?> {
        return start(Jni.FIND_PAYMENT, { mapOf("outTradeNo" to requiredText(outTradeNo, "out_trade_no", "outTradeNo")) }, options?.options) {
            it?.let(Transaction::of)
        }
    }

    /** [refund] without blocking; [QfPayFuture.cancel] drops the call. */
    @JvmOverloads
    fun refundAsync(request: RefundRequest?, options: CallOptions? = null): CompletableFuture<Refund> {
        return start(Jni.REFUND, { required(request, "request").args }, options?.options, Refund::of)
    }

    /** [closeOrder] without blocking; [QfPayFuture.cancel] drops the call. */
    @JvmOverloads
    fun closeOrderAsync(request: CancelRequest?, options: CallOptions? = null): CompletableFuture<Cancellation> {
        return start(Jni.CLOSE_ORDER, { required(request, "request").args }, options?.options, Cancellation::of)
    }

    /** [reverse] without blocking; [QfPayFuture.cancel] drops the call. */
    @JvmOverloads
    fun reverseAsync(request: CancelRequest?, options: CallOptions? = null): CompletableFuture<Cancellation> {
        return start(Jni.REVERSE, { required(request, "request").args }, options?.options, Cancellation::of)
    }

    /** [waitForPayment] without blocking: the polls are timers on the library's runtime, no thread sleeps. */
    fun waitForPaymentAsync(outTradeNo: String?): CompletableFuture<Transaction> = waitAsync(outTradeNo) { null }

    /** [waitForPayment] (with [timeout]) without blocking. */
    fun waitForPaymentAsync(outTradeNo: String?, timeout: Duration?): CompletableFuture<Transaction> =
        waitAsync(outTradeNo) { waitOptions(timeout) }

    /** [waitForPayment] (with intervals) without blocking. */
    fun waitForPaymentAsync(outTradeNo: String?, timeout: Duration?, interval: Duration?, maxInterval: Duration?): CompletableFuture<Transaction> =
        waitAsync(outTradeNo) { waitOptions(timeout, interval, maxInterval) }

    private fun waitAsync(outTradeNo: String?, options: () -> Map<String, Any?>?): CompletableFuture<Transaction> {
        val o = try { options() } catch (e: QfPayException) { return CompletableFuture.failedFuture(e) }
        return start(Jni.WAIT_FOR_PAYMENT, { mapOf("outTradeNo" to requiredText(outTradeNo, "out_trade_no", "outTradeNo")) }, o, Transaction::of)
    }

    /** Releases the native client and the client's own executor; later calls fail with "client closed". Idempotent. */
    override fun close() {
        if (closed.compareAndSet(false, true)) {
            ownedExecutor?.shutdown()
            if (uses.decrementAndGet() == 0L) Jni.clientRelease(handle)
        }
    }

    /** Settings for a [QfPayClient]; unset values keep the core's defaults. */
    class Builder internal constructor() {
        private var fromEnv = false
        /** The client options by their Java names, as the core reads them (`qfpay::surface::apply`). */
        private val m = LinkedHashMap<String, Any?>()
        private var clientKey: Secret? = null
        private var executor: Executor? = null
        private var listener: QfPayListener? = null
        private fun set(name: String, v: Any?) = apply { m[name] = v }

        /** Starts from the `QFPAY_*` environment variables; later setters override them. */
        fun fromEnv() = apply { fromEnv = true }
        /** `X-QF-APPCODE`. */
        fun appCode(v: String?) = set("appCode", requiredText(v, "appCode"))
        /** The client key (signing key); never logged. */
        fun clientKey(v: String?) = apply { clientKey = Secret(requiredText(v, "clientKey")) }
        /** App code and client key. */
        fun credentials(appCode: String?, clientKey: String?) = appCode(appCode).clientKey(clientKey)
        /** Which QFPay to talk to. */
        fun environment(v: Environment?) = set("environment", required(v, "environment").wire)
        /** `production` (`prod`), `live_test` (`livetest`, `test`), `card_sandbox`, or a base URL. */
        fun environment(v: String?) = set("environment", requiredText(v, "environment"))
        /** A custom base URL (another region, or the local sandbox). */
        fun baseUrl(v: String?) = set("baseUrl", requiredText(v, "baseUrl"))
        /** The default `mchid` (null: none). */
        fun mchid(v: String?) = set("mchid", text(v, "mchid"))
        /** The signature hash (default MD5). */
        fun signType(v: SignType?) = set("signType", required(v, "signType").wire)
        /** Deadline for a whole call, retries included (default 30 s). */
        fun timeout(v: Duration?) = set("timeout", nanos(v, "timeout"))
        /** Connect timeout per connection (default 5 s). */
        fun connectTimeout(v: Duration?) = set("connectTimeout", nanos(v, "connectTimeout"))
        /** How long to query for the outcome of a money-moving call that became unknown (default 15 s). */
        fun reconcileTimeout(v: Duration?) = set("reconcileTimeout", nanos(v, "reconcileTimeout"))
        /** Retries after failures QFPay never processed (default 2; 0 turns them off). */
        fun maxRetries(v: Int) = set("maxRetries", v)
        /** The first retry delay (default 0.5 s). */
        fun retryBaseDelay(v: Duration?) = set("retryBaseDelay", nanos(v, "retryBaseDelay"))
        /** The largest retry delay (default 5 s). */
        fun retryMaxDelay(v: Duration?) = set("retryMaxDelay", nanos(v, "retryMaxDelay"))
        /** The first and the largest retry delay. */
        fun retryDelay(base: Duration?, max: Duration?) = retryBaseDelay(base).retryMaxDelay(max)
        /** UTC offset of the `txdtm` clock in seconds (default +8 h, QFPay's zone). */
        fun utcOffsetSeconds(v: Int) = set("utcOffsetSeconds", v)
        /** An HTTP(S) proxy URL, or `none` for direct connections (default: `QFPAY_PROXY`/`HTTPS_PROXY`). */
        fun proxy(v: String?) = set("proxy", text(v, "proxy"))
        /**
         * Receives every request/response/retry/reconcile/status-unknown/cancelled event of this
         * client (null: none). Events also go to SLF4J (`com.qfpay.http`, `com.qfpay.reconcile`);
         * the levels enabled when the client is built decide which events are made.
         */
        fun listener(v: QfPayListener?) = apply { listener = v }
        /**
         * The executor `...Async` futures complete on, and so where callbacks such as `thenAccept`
         * run (default: the client's own work-stealing pool, one daemon thread per processor).
         * `Runnable::run` completes them on the library's I/O threads themselves: the fastest
         * (no hand-off), for callbacks that never block; a blocking callback there stalls every
         * call of the process.
         */
        fun executor(v: Executor?) = apply { executor = required(v, "executor") }

        /**
         * Checks the settings and builds the client.
         * @throws ConfigException or [ValidationException] naming the bad option
         */
        fun build(): QfPayClient {
            EventForwarder.reportLogWarning()
            val events = EventForwarder(listener)
            val options = LinkedHashMap(m).apply { clientKey?.let { put("clientKey", it.value) } }
            val (handle, warnings) = Jni.newClient(fromEnv, events.minLevel, options, if (events.minLevel != null) events else null)
            for (w in warnings) EventForwarder.configWarning(w)
            val own = if (executor == null) completionPool() else null
            return QfPayClient(handle, executor ?: own!!, own)
        }
    }

    companion object {
        /** A new builder. */
        @JvmStatic
        fun builder() = Builder()

        /**
         * A client from `QFPAY_APP_CODE`, `QFPAY_CLIENT_KEY`, `QFPAY_ENV`/`QFPAY_BASE_URL`, `QFPAY_MCHID`,
         * `QFPAY_SIGN_TYPE`, `QFPAY_PROXY`.
         * @throws ConfigException when a variable is missing or wrong
         */
        @JvmStatic
        fun fromEnv() = Builder().fromEnv().build()
    }
}

/**
 * Every page of a query, fetched lazily as it is iterated (each `iterator()` starts a new
 * query); [items] iterates the transactions of every page.
 */
class QueryPages internal constructor(
    private val open: () -> FfiQueryPages,
) : Iterable<QueryPage> {
    /** Iterates the pages; a failed page throws its [QfPayException] from `hasNext`. */
    override fun iterator(): Iterator<QueryPage> = PageIterator(open())

    /** The transactions of every page, in order. */
    fun items(): Iterable<Transaction> = Iterable { this.asSequence().flatMap { it.data.asSequence() }.iterator() }

    private class PageIterator(private val pages: FfiQueryPages) : Iterator<QueryPage> {
        private var next: QueryPage? = null
        private var done = false
        override fun hasNext(): Boolean {
            if (next == null && !done) {
                next = ffi { pages.nextPage() }?.let { QueryPage.of(Wire.read(java.nio.ByteBuffer.wrap(it))) }
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
}

/** SDK-wide facts and helpers. */
object QfPay {
    /** The SDK version (the core's; the binding is versioned with it). */
    @JvmField
    val VERSION: String = Jni.coreVersion()

    /** The version of the Rust core inside. */
    @JvmField
    val CORE_VERSION: String = VERSION

    /** The body a notification receiver answers (with HTTP 200) once it has handled a notification. */
    const val NOTIFICATION_ACK: String = "SUCCESS"

    /**
     * A fresh `out_trade_no` (34 URL-safe characters, from the OS random source). To never
     * lose an order: generate it, store it with your order, then pay with
     * `PaymentRequest.Builder.outTradeNo(...)`; after any failure, query it.
     */
    @JvmStatic
    fun generateOutTradeNo(): String = Jni.generateOutTradeNo()
}

/**
 * Runs [body], which blocks, so that a [ForkJoinPool] running it adds a thread meanwhile (the
 * default completion pool has one thread per processor); elsewhere it just runs [body].
 */
internal fun <T> managedBlocking(body: () -> T): T {
    val blocker = Blocker(body)
    ForkJoinPool.managedBlock(blocker)
    @Suppress("UNCHECKED_CAST")
    return blocker.value as T
}

private class Blocker<T>(private val body: () -> T) : ForkJoinPool.ManagedBlocker {
    private var done = false
    var value: T? = null
        private set

    override fun block(): Boolean {
        value = body()
        done = true
        return true
    }

    override fun isReleasable() = done
}

/**
 * The default executor of the `...Async` futures: a work-stealing pool (FIFO, `asyncMode`) of
 * as many daemon threads as processors (at least 2), named `qfpay-complete-N`. Measured
 * against the cached thread pool it replaced (BENCHMARKS.md, 64 chains of
 * `createPaymentAsync`): the cached pool hands every completion to one idle thread by waking
 * it, about one context switch per payment; this pool's busy workers take the next
 * completion from its queue, and throughput rose from 0.57x to 0.78x native Rust. A callback
 * that blocks should run on an executor of its own (`thenAcceptAsync(fn, yours)` or
 * [Builder.executor]); [queryAllAsync] blocks through [ForkJoinPool.managedBlock], so the
 * pool adds a thread for it.
 */
private fun completionPool(): ExecutorService = ForkJoinPool(
    maxOf(2, Runtime.getRuntime().availableProcessors()),
    CompletionThreads,
    null,
    true,
)

private object CompletionThreads : ForkJoinPool.ForkJoinWorkerThreadFactory {
    private val n = AtomicInteger()
    override fun newThread(pool: ForkJoinPool): ForkJoinWorkerThread =
        object : ForkJoinWorkerThread(pool) {}.apply {
            name = "qfpay-complete-" + n.incrementAndGet()
            isDaemon = true
        }
}
