package com.qfpay

import org.slf4j.Logger
import org.slf4j.LoggerFactory
import org.slf4j.event.Level

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
internal class EventForwarder(private val listener: QfPayListener?) {
    private val http: Logger = LoggerFactory.getLogger("com.qfpay.http")
    private val reconcile: Logger = LoggerFactory.getLogger("com.qfpay.reconcile")

    /** `QFPAY_LOG`'s levels for `qfpay::http` and `qfpay::reconcile` when events go to stderr. */
    private val stderrHttp: Int? = stderrLevel(HTTP)
    private val stderrReconcile: Int? = stderrLevel(RECONCILE)

    /** The most verbose level anything listens at, or null when nothing does. */
    val minLevel: String? = run {
        val slf4j = LEVELS.indices.firstOrNull { i ->
            val l = Level.valueOf(LEVELS[i].uppercase())
            http.isEnabledForLevel(l) || reconcile.isEnabledForLevel(l) || i == 1 && listener != null
        }
        listOfNotNull(slf4j, stderrHttp, stderrReconcile).minOrNull()?.let { LEVELS[it] }
    }

    /** One event as the native library sends it (the core's `Serialize` form and its `area`). */
    fun onEvent(m: Map<String, Any?>) {
        val event = QfPayEvent.of(m)
        val reconciling = m["area"] == "reconcile"
        val rank = LEVELS.indexOf(event.level)
        val stderrLevel = if (reconciling) stderrReconcile else stderrHttp
        if (stderrLevel != null && rank >= stderrLevel) {
            System.err.println(
                "qfpay ${event.level} ${event.kind} ${event.message} endpoint=${event.endpoint} attempt=${event.attempt}" +
                    (event.outTradeNo?.let { " outTradeNo=$it" } ?: "") + " elapsedMs=${event.elapsedMs}" +
                    (event.decision?.let { " decision=$it" } ?: ""),
            )
        }
        try {
            val logger = if (reconciling) reconcile else http
            val level = Level.valueOf(event.level.uppercase())
            if (logger.isEnabledForLevel(level)) {
                // Every field given, by its Java name (`kind` as `event`), besides the level and message.
                var b = logger.atLevel(level)
                for ((k, v) in m) {
                    if (v == null || k == "level" || k == "message" || k == "area") continue
                    b = b.addKeyValue(if (k == "kind") "event" else k.replace(CAMEL) { it.groupValues[1].uppercase() }, v)
                }
                b.log(event.message)
            }
        } catch (_: Throwable) {
            // logging never breaks a call
        }
        if (listener != null) {
            try {
                listener.onEvent(event)
            } catch (_: Throwable) {
                // a listener never breaks a call
            }
        }
    }

    companion object {
        private val LEVELS = listOf("trace", "debug", "info", "warn", "error")
        private val CAMEL = Regex("_(.)")

        /** `com.qfpay.config`: configuration warnings (e.g. QFPAY_ENV and QFPAY_BASE_URL disagree). */
        private val config: Logger = LoggerFactory.getLogger("com.qfpay.config")

        /** `Jni.text(9 + target)` targets: `qfpay::http`, `qfpay::reconcile`, `qfpay::config`. */
        private const val HTTP = 0
        private const val RECONCILE = 1
        private const val CONFIG = 2

        /**
         * `QFPAY_LOG`'s level for each target (indices into [LEVELS]; null: off), read once per
         * process by the core's rule, so every language takes the same values; an unusable
         * value is logging off (and one warning, [reportLogWarning]), never a failed call.
         */
        private val envLevels: List<Int?> by lazy {
            listOf(HTTP, RECONCILE, CONFIG).map { t -> Jni.text(9 + t)?.let { LEVELS.indexOf(it).takeIf { i -> i >= 0 } } }
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
            val w = Jni.text(6) ?: return
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
