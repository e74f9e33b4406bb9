package com.qfpay

import com.qfpay.ffi.FfiClient
import com.qfpay.ffi.FfiPages
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
import java.util.function.Consumer
import java.util.function.Supplier
import java.util.Spliterator
import java.util.Spliterators
import java.util.stream.Stream
import java.util.stream.StreamSupport

/** A [Duration] option in nanoseconds as it crosses (saturating: the core refuses what is too long); null is refused naming [name]. */
internal fun nanos(d: Duration?, name: String): Long {
    val v = required(d, name)
    return try {
        v.toNanos()
    } catch (_: ArithmeticException) {
        if (v.isNegative) Long.MIN_VALUE else Long.MAX_VALUE
    }
}

/**
 * The future of an `...Async` call. [cancel] drops the call in the core: nothing more is sent,
 * and a money-moving call whose request was already sent is logged by the core as cancelled
 * (a warning on `com.qfpay.reconcile` naming the `out_trade_no`): query that order to learn
 * its outcome. Futures derived with `thenApply` etc. do not propagate cancellation back.
 */
class QfPayFuture<T> internal constructor(
    private val executor: Executor,
    private val pick: (Any?) -> T,
) : CompletableFuture<T>() {
    /** The native task handle (0: none, or already given back): consumed exactly once. */
    private val task = AtomicLong()

    internal fun attach(t: Long) {
        task.set(t)
        if (isDone) finish() // completed (or cancelled) before the handle arrived
    }

    /** Gives the task handle back once the call is over: cancelling it if this future was cancelled. */
    private fun finish() {
        val t = task.getAndSet(0)
        if (t != 0L) Jni.taskFinish(t, isCancelled)
    }

    /** Cancels the future and drops the call in the core. */
    override fun cancel(mayInterruptIfRunning: Boolean): Boolean {
        val cancelled = super.cancel(mayInterruptIfRunning)
        if (isCancelled) finish()
        return cancelled
    }

    /**
     * Completes with the call's outcome (delivered on the library's runtime thread) on the
     * client's executor, or in place when that executor runs tasks in place (or refuses it).
     */
    internal fun deliver(outcome: ByteArray) {
        val run = Runnable {
            try {
                complete(pick(Jni.outcome(outcome)))
            } catch (t: Throwable) {
                completeExceptionally(t)
            } finally {
                finish()
            }
        }
        try {
            executor.execute(run)
        } catch (_: Throwable) {
            run.run()
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
 * Every operation also takes [CallOptions] for its own deadline and retries. The link builders
 * ([checkoutUrl], [verifyCheckoutUrl], [wechatOauthUrl], [cashierUrl]) send nothing: each is one
 * plain call, with no `...Async` form and no options, safe on any thread.
 */
class QfPayClient private constructor(
    /**
     * The facade's reference to the native client (an `Arc` strong count, given back when the
     * client is closed and no call is running).
     */
    private val handle: Long,
    private val executor: Executor,
    private val ownedExecutor: ExecutorService?,
) : QfPayOperations(), AutoCloseable {
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
            if (uses.decrementAndGet() == 0L) Jni.clientRef(handle, false)
        }
    }

    /** A blocking operation: one JNI crossing, the request one buffer ([Wire]), the outcome another. */
    override fun <T> call(op: Int, request: () -> ByteArray, pick: (Any?) -> T): T {
        val r = request()
        return pick(Jni.outcome(withHandle { Jni.call(it, op, r) }))
    }

    /** An `...Async` operation: one JNI crossing to start it, one back with its outcome. */
    override fun <T> start(op: Int, request: () -> ByteArray, pick: (Any?) -> T): CompletableFuture<T> {
        val future = QfPayFuture(executor, pick)
        try {
            val r = request()
            future.attach(withHandle { Jni.callAsync(it, op, r, future) })
        } catch (e: RuntimeException) {
            future.completeExceptionally(e)
        }
        return future
    }

    /** The base URL requests go to. */
    val baseUrl: String get() = withHandle { Jni.text(it, 0)!! }

    /** The app code requests are signed for. */
    val appCode: String get() = withHandle { Jni.text(it, 1)!! }

    /** The default `mchid`, if any. */
    val mchid: String? get() = withHandle { Jni.text(it, 3) }

    /** The `User-Agent` sent (`qfpay-java/<version> ...`). */
    val userAgent: String get() = withHandle { Jni.text(it, 2)!! }

    /**
     * A stream operation's pages: each iterator opens its own native walk (a uniffi object over
     * one more count of the native client, let go as soon as the walk holds its own).
     */
    override fun pages(op: Int, request: () -> ByteArray): PageSource {
        val r = request()
        val source = PageSource(executor) {
            ffi { withHandle { FfiClient(UniffiWithHandle, Jni.clientRef(it, true)).use { c -> c.pages(op, r) } } }
        }
        // Read by the core now (nothing is sent): a bad argument fails the call itself.
        source.open().destroy()
        return source
    }

    /** Every page of a query, collected into a list on the client's executor. */
    fun queryAllAsync(request: QueryRequest?): CompletableFuture<List<QueryPage>> =
        CompletableFuture.supplyAsync(Supplier { managedBlocking { queryPages(request).toList() } }, executor)

    /** Releases the native client and the client's own executor; later calls fail with "client closed". Idempotent. */
    override fun close() {
        if (closed.compareAndSet(false, true)) {
            ownedExecutor?.shutdown()
            if (uses.decrementAndGet() == 0L) Jni.clientRef(handle, false)
        }
    }

    /** Settings for a [QfPayClient]; unset values keep the core's defaults. */
    class Builder internal constructor() : ClientOptionFields<Builder>() {
        private var fromEnv = false
        private var executor: Executor? = null
        private var listener: QfPayListener? = null

        /** Starts from the `QFPAY_*` environment variables; later setters override them. */
        fun fromEnv() = apply { fromEnv = true }
        /** App code and client key. */
        fun credentials(appCode: String?, clientKey: String?) = appCode(appCode).clientKey(clientKey)
        /** The first and the largest retry delay. */
        fun retryDelay(base: Duration?, max: Duration?) = retryBaseDelay(base).retryMaxDelay(max)
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
            // Built without JNA: the handle (released with `Jni.clientRef`) and the configuration's warnings.
            val sink = events.takeIf { it.minLevel != null }
            val (handle, warnings) = Jni.outcome(Jni.clientNew(Wire.encode(fromEnv, events.minLevel, args), sink)) as List<*>
            for (w in warnings as List<*>) EventForwarder.configWarning(w as String)
            val own = if (executor == null) completionPool() else null
            return QfPayClient(handle as Long, executor ?: own!!, own)
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

/** [it] as a sequential, ordered [Stream] whose `close` closes [it]. */
private fun <T, I> streamOf(it: I): Stream<T> where I : Iterator<T>, I : AutoCloseable =
    StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED or Spliterator.NONNULL), false)
        .onClose { it.close() }

/** Where a stream operation's iterators open their walk, and where its `...Async` forms run. */
class PageSource internal constructor(
    internal val executor: Executor,
    internal val open: () -> FfiPages,
)

/**
 * One walk over a stream's pages, fetched one at a time as it advances (blocking); a failed
 * page throws its [QfPayException] from `hasNext`, and the walk ends there.
 */
class PageIterator internal constructor(private val pages: FfiPages) : Iterator<QueryPage>, AutoCloseable {
    private var next: QueryPage? = null
    private var done = false

    override fun hasNext(): Boolean {
        if (next != null) return true
        if (done) return false
        val bytes = try {
            ffi { pages.nextPage() }
        } catch (e: Throwable) {
            close()
            throw e
        }
        if (bytes == null) {
            close()
            return false
        }
        next = QueryPage.of(Wire.read(java.nio.ByteBuffer.wrap(bytes)))
        return true
    }

    override fun next(): QueryPage {
        if (!hasNext()) throw NoSuchElementException()
        return next!!.also { next = null }
    }

    /** The requests this walk has sent so far (a period's walk counts the 429s it waited out). */
    val requests: Long get() = if (done) finalRequests else pages.requests().toLong()
    private var finalRequests = 0L

    /** Ends the walk early and releases it (done by itself after the last page or an error). */
    override fun close() {
        if (!done) {
            done = true
            finalRequests = pages.requests().toLong()
            pages.destroy()
        }
    }
}

/**
 * Every page of a query, fetched lazily as it is iterated (each `iterator()` starts a new
 * query); [items] iterates the transactions of every page.
 */
class QueryPages internal constructor(private val source: PageSource) : Iterable<QueryPage> {
    /** Iterates the pages; a failed page throws its [QfPayException] from `hasNext`. */
    override fun iterator(): PageIterator = PageIterator(source.open())

    /** The transactions of every page, in order. */
    fun items(): Iterable<Transaction> = Iterable { this.asSequence().flatMap { it.data.asSequence() }.iterator() }

    /** The pages as a sequential [Stream]; closing it ends the walk early. */
    fun stream(): Stream<QueryPage> = streamOf(iterator())
}

/**
 * Every transaction of a period ([QfPayClient.transactions]): payments and refunds in QFPay's
 * order, month window by month window, fetched a page (100) at a time as it is iterated, so a
 * year of records never sits in memory at once. Each `iterator()` starts the walk over; a
 * failed page throws its [QfPayException] from `hasNext`.
 */
class Transactions internal constructor(private val source: PageSource) : Iterable<Transaction> {
    /** One walk over the records (holding one page at a time). */
    override fun iterator(): TransactionIterator = TransactionIterator(PageIterator(source.open()))

    /** One walk over the pages (each page's `page` is its number within its month window). */
    fun pages(): Iterable<QueryPage> = Iterable { PageIterator(source.open()) }

    /** The records as a sequential [Stream]; closing it (try-with-resources) ends the walk early. */
    fun stream(): Stream<Transaction> = streamOf(iterator())

    /**
     * Walks the period on the client's executor, giving each record to [action] there, one at a
     * time in order; the future completes with the count of records (or fails with the
     * [QfPayException] that ended the walk, or what [action] threw). Cancelling it stops the walk
     * after the record in hand.
     */
    fun forEachAsync(action: Consumer<in Transaction>?): CompletableFuture<Long> {
        val a = required(action, "action")
        val future = CompletableFuture<Long>()
        try {
            source.executor.execute {
                try {
                    val n = managedBlocking {
                        var n = 0L
                        iterator().use { it ->
                            while (!future.isDone && it.hasNext()) {
                                a.accept(it.next())
                                n++
                            }
                        }
                        n
                    }
                    future.complete(n)
                } catch (t: Throwable) {
                    future.completeExceptionally(t)
                }
            }
        } catch (t: Throwable) {
            future.completeExceptionally(t)
        }
        return future
    }
}

/** One walk over a period's records: [requests] says how many requests it has sent. */
class TransactionIterator internal constructor(private val pages: PageIterator) : Iterator<Transaction>, AutoCloseable {
    private var page: Iterator<Transaction> = emptyList<Transaction>().iterator()

    override fun hasNext(): Boolean {
        while (!page.hasNext()) {
            if (!pages.hasNext()) return false
            page = pages.next().data.iterator() // the previous page is let go
        }
        return true
    }

    override fun next(): Transaction {
        if (!hasNext()) throw NoSuchElementException()
        return page.next()
    }

    /** The requests sent so far (the 429s waited out included). */
    val requests: Long get() = pages.requests

    /** Ends the walk early (done by itself after the last record or an error). */
    override fun close() = pages.close()
}

/**
 * Runs [body], which blocks, so that a [ForkJoinPool] running it adds a thread meanwhile (the
 * default completion pool has one thread per processor); elsewhere it just runs [body].
 */
internal fun <T> managedBlocking(body: () -> T): T {
    var value: T? = null
    ForkJoinPool.managedBlock(object : ForkJoinPool.ManagedBlocker {
        private var done = false
        override fun block(): Boolean = true.also { value = body(); done = true }
        override fun isReleasable() = done
    })
    @Suppress("UNCHECKED_CAST")
    return value as T
}

/**
 * The default executor of the `...Async` futures: a FIFO work-stealing pool of one daemon thread
 * per processor (at least 2), `qfpay-complete-N`. Its busy workers take the next completion
 * from the queue where a cached pool woke one idle thread per payment (64 chains of
 * `createPaymentAsync`: 0.57x -> 0.78x native Rust, BENCHMARKS.md). [queryAllAsync] blocks
 * through [ForkJoinPool.managedBlock], so the pool adds a thread for it.
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
