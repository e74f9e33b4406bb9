package com.qfpay

import com.qfpay.ffi.FfiEvent
import com.qfpay.ffi.FfiEventSink
import org.slf4j.Logger
import org.slf4j.LoggerFactory
import org.slf4j.event.Level

/**
 * One event of the core: a request or response (`debug`), a retry (`info`), a reconciliation,
 * a status unknown or a cancelled call (`warn`). The client key never appears in any field;
 * [body] is only filled at the most verbose level (SLF4J `TRACE` on `com.qfpay.http`), with
 * `auth_code` masked.
 */
data class QfPayEvent(
    /** `request`, `response`, `retry`, `reconcile`, `status_unknown` or `cancelled`. */
    val kind: String,
    /** `trace`, `debug`, `info`, `warn` or `error`. */
    val level: String,
    /** The endpoint path, e.g. `/trade/v1/payment`. */
    val endpoint: String,
    /** The attempt number, from 1. */
    val attempt: Int,
    /** The merchant order number, when known. */
    val outTradeNo: String?,
    /** Milliseconds since the call started. */
    val elapsedMs: Long,
    /** The HTTP status of the answer, when there was one. */
    val httpStatus: Int?,
    /** QFPay's `respcd`, when the answer had one. */
    val respcd: String?,
    /** What the SDK decided: `done`, `retry`, `reconcile`, `fail` or `status_unknown`. */
    val decision: String?,
    /** Why (an error, a delay, a state). */
    val reason: String?,
    /** The request or answer body (most verbose level only; `auth_code` masked). */
    val body: String?,
    /** A one-line description. */
    val message: String,
) {
    internal companion object {
        fun of(e: FfiEvent) = QfPayEvent(
            e.kind, e.level, e.endpoint, e.attempt.toInt(), e.outTradeNo, e.elapsedMs, e.httpStatus,
            e.respcd, e.decision, e.reason, e.body, e.message,
        )
    }
}

/**
 * Receives every [QfPayEvent] of a client (`QfPayClient.builder().listener(...)`): request and
 * response hooks with elapsed time, retries, reconciliation decisions. Called on the thread
 * doing the I/O: keep it quick; an exception from it is ignored.
 */
fun interface QfPayListener {
    /** One event. */
    fun onEvent(event: QfPayEvent)
}

/**
 * Forwards the core's events to SLF4J (`com.qfpay.http`, `com.qfpay.reconcile`, with the event
 * fields as key-value pairs) and to the listener; with no SLF4J backend on the classpath,
 * `QFPAY_LOG` (read by the core's one rule, `qfpay::log_filter`: `debug`, `qfpay=debug`,
 * `qfpay::http=trace,qfpay::reconcile=off`...) prints them to stderr instead. Which levels are
 * wanted is decided once, when the client is built, so a disabled logger costs nothing per call.
 */
internal class EventForwarder(private val listener: QfPayListener?) : FfiEventSink {
    private val http: Logger = LoggerFactory.getLogger("com.qfpay.http")
    private val reconcile: Logger = LoggerFactory.getLogger("com.qfpay.reconcile")

    /** `QFPAY_LOG`'s levels for `qfpay::http` and `qfpay::reconcile` when events go to stderr. */
    private val stderrHttp: Int? = stderrLevel(HTTP)
    private val stderrReconcile: Int? = stderrLevel(RECONCILE)

    /** The most verbose level anything listens at, or null when nothing does. */
    val minLevel: String? = run {
        val levels = listOf(
            "trace" to (http.isTraceEnabled || reconcile.isTraceEnabled),
            "debug" to (http.isDebugEnabled || reconcile.isDebugEnabled || listener != null),
            "info" to (http.isInfoEnabled || reconcile.isInfoEnabled),
            "warn" to (http.isWarnEnabled || reconcile.isWarnEnabled),
            "error" to (http.isErrorEnabled || reconcile.isErrorEnabled),
        )
        val slf4j = levels.indexOfFirst { it.second }.takeIf { it >= 0 }
        val min = listOfNotNull(slf4j, stderrHttp, stderrReconcile).minOrNull()
        min?.let { LEVELS[it] }
    }

    override fun onEvent(event: FfiEvent) {
        val rank = LEVELS.indexOf(event.level)
        val stderrLevel = if (event.area == "reconcile") stderrReconcile else stderrHttp
        if (stderrLevel != null && rank >= stderrLevel) {
            System.err.println(
                "qfpay ${event.level} ${event.kind} ${event.message} endpoint=${event.endpoint} attempt=${event.attempt}" +
                    (event.outTradeNo?.let { " outTradeNo=$it" } ?: "") + " elapsedMs=${event.elapsedMs}" +
                    (event.decision?.let { " decision=$it" } ?: ""),
            )
        }
        try {
            val logger = if (event.area == "reconcile") reconcile else http
            val level = when (event.level) {
                "trace" -> Level.TRACE
                "debug" -> Level.DEBUG
                "info" -> Level.INFO
                "warn" -> Level.WARN
                else -> Level.ERROR
            }
            if (logger.isEnabledForLevel(level)) {
                var b = logger.atLevel(level)
                    .addKeyValue("event", event.kind)
                    .addKeyValue("endpoint", event.endpoint)
                    .addKeyValue("attempt", event.attempt)
                    .addKeyValue("elapsedMs", event.elapsedMs)
                event.outTradeNo?.let { b = b.addKeyValue("outTradeNo", it) }
                event.httpStatus?.let { b = b.addKeyValue("httpStatus", it) }
                event.respcd?.let { b = b.addKeyValue("respcd", it) }
                event.decision?.let { b = b.addKeyValue("decision", it) }
                event.reason?.let { b = b.addKeyValue("reason", it) }
                event.body?.let { b = b.addKeyValue("body", it) }
                b.log(event.message)
            }
        } catch (_: Throwable) {
            // logging never breaks a call
        }
        if (listener != null) {
            try {
                listener.onEvent(QfPayEvent.of(event))
            } catch (_: Throwable) {
                // a listener never breaks a call
            }
        }
    }

    companion object {
        private val LEVELS = listOf("trace", "debug", "info", "warn", "error")

        /** `com.qfpay.config`: configuration warnings (e.g. QFPAY_ENV and QFPAY_BASE_URL disagree). */
        private val config: Logger = LoggerFactory.getLogger("com.qfpay.config")

        /** `Jni.logLevel` targets: `qfpay::http`, `qfpay::reconcile`, `qfpay::config`. */
        private const val HTTP = 0
        private const val RECONCILE = 1
        private const val CONFIG = 2

        /**
         * `QFPAY_LOG`'s level for each target (indices into [LEVELS]; null: off), read once per
         * process by the core's rule, so every language takes the same values; an unusable
         * value is logging off (and one warning, [reportLogWarning]), never a failed call.
         */
        private val envLevels: List<Int?> by lazy {
            listOf(HTTP, RECONCILE, CONFIG).map { t -> Jni.logLevel(t)?.let { LEVELS.indexOf(it).takeIf { i -> i >= 0 } } }
        }

        /** Whether SLF4J has no backend (then `QFPAY_LOG` sends the events to stderr). */
        private val noBackend: Boolean by lazy { LoggerFactory.getILoggerFactory() is org.slf4j.helpers.NOPLoggerFactory }

        /** `QFPAY_LOG`'s level for [target] as an index into [LEVELS], when SLF4J has no backend. */
        private fun stderrLevel(target: Int): Int? = if (noBackend) envLevels[target] else null

        /**
         * Reports an unusable `QFPAY_LOG` value, once per process (the core hands its warning out
         * once): SLF4J `com.qfpay.config`, and stderr when SLF4J has no backend.
         */
        fun reportLogWarning() {
            val w = Jni.logWarning() ?: return
            config.warn(w)
            if (noBackend) System.err.println("qfpay warn config $w")
        }

        /**
         * Logs a configuration warning (SLF4J `com.qfpay.config`, or stderr under `QFPAY_LOG`
         * without a backend); the core's warnings show URLs without credentials.
         */
        fun configWarning(message: String) {
            config.warn(message)
            val l = stderrLevel(CONFIG)
            if (l != null && l <= LEVELS.indexOf("warn")) System.err.println("qfpay warn config $message")
        }
    }
}
