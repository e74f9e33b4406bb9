package com.qfpay

import com.qfpay.ffi.QfPayFfiException
import java.time.Duration

/** A core error's fields by their canonical names (its `Serialize` form, `ERROR_FIELDS`). */
internal typealias ErrorInfo = Map<String, Any?>

/** A request field or argument broke a documented rule; nothing was sent. */
class ValidationException internal constructor(info: ErrorInfo) : QfPayException(info) {
    /**
     * QFPay's name of the field for anything sent to QFPay (`txamt`, `txcurrcd`, `goods_name`,
     * `extend_info.user_creid`), whatever the argument's name in Java; otherwise the
     * argument's or option's name (`timeout`, `clientKey`, `request`).
     */
    val field: String = info["field"] as String? ?: ""

    /** The rule it broke. */
    val rule: String = info["rule"] as String? ?: ""
}

/**
 * The client is not configured correctly (missing credentials, bad URL, bad option...). When one
 * option is at fault, [field] names it as the builder method that sets it and the message is
 * `configuration error: <field> <rule>`, e.g. `configuration error: appCode is missing: give it
 * to the client, or set QFPAY_APP_CODE`.
 */
class ConfigException internal constructor(info: ErrorInfo) : QfPayException(info) {
    /**
     * The option at fault by its builder method's name (`appCode`, `clientKey`, `environment`,
     * `baseUrl`, `mchid`, `signType`, `connectTimeout`, `utcOffsetSeconds`, `proxy`, ...; the
     * `QFPAY_*` variable's option for [QfPayClient.fromEnv]), or null when the error is not about
     * one option.
     */
    val field: String? = info["field"] as String?

    /** What is wrong with [field] (the message after its name), or null when [field] is. */
    val rule: String? = info["rule"] as String?
}

/** QFPay answered with a failure code. This class itself is used for unclassified codes (`api`). */
open class ApiException internal constructor(info: ErrorInfo) : QfPayException(info)

/**
 * The `out_trade_no` was used before. [existing] is the transaction already under that number
 * (read by the core right away), so "already paid" (`existing.isPaid`) and
 * "someone else's order" are told apart without another call.
 */
class DuplicateOrderException internal constructor(info: ErrorInfo) : ApiException(info) {
    /**
     * The transaction already under this `out_trade_no`, or null when it could not be read (or
     * this exception was deserialized).
     */
    @Transient
    val existing: Transaction? = try {
        info["existing"]?.let(Transaction::of)
    } catch (_: QfPayException) {
        null // a record the binding cannot read (an unknown state) is "could not be read"
    }
}

/** HTTP 429 after the configured retries. */
class RateLimitedException internal constructor(info: ErrorInfo) : QfPayException(info) {
    /** The server's `Retry-After`, when given. */
    val retryAfter: Duration? = (info["retry_after"] as Long?)?.let { Duration.ofMillis(it) }
}

/** The request could not be delivered. */
class NetworkException internal constructor(info: ErrorInfo) : QfPayException(info) {
    /** Whether the request may have reached QFPay (false: QFPay processed nothing). */
    val sent: Boolean = info["sent"] as Boolean? ?: true
}

/**
 * The outcome of a money-moving call is not known. Do not pay again under a new number:
 * query [outTradeNo] (or wait for the notification).
 */
class StatusUnknownException internal constructor(info: ErrorInfo) : QfPayException(info) {
    /** The order whose outcome is unknown. */
    override val outTradeNo: String get() = super.outTradeNo ?: ""
}

/** An error description made by the binding itself (arguments the core never sees). */
internal fun errorInfo(code: String, message: String, field: String? = null, rule: String? = null): ErrorInfo =
    mapOf("code" to code, "message" to message, "field" to field, "rule" to rule)

/** A [ValidationException] for [field] (QFPay's name, or the option's) that broke [rule]. */
internal fun invalidArgument(field: String, rule: String) =
    ValidationException(errorInfo("validation", "invalid $field: $rule", field, rule))

/** [rule], preceded by the argument's name as the caller wrote it when that differs from [field]. */
private fun ruleOf(field: String, arg: String, rule: String) = if (arg == field) rule else "$arg $rule"

/**
 * [v], or a [ValidationException] naming [field] when it is null. [field] is QFPay's name for a
 * request field (`txcurrcd`), the option's name otherwise; [arg] the argument's name in Java
 * when it differs (`currency`), which the message names.
 */
internal fun <T> required(v: T?, field: String, arg: String = field): T =
    v ?: throw invalidArgument(field, ruleOf(field, arg, "is required (got null)"))

/** The index of the first lone surrogate of [s], or -1 when [s] is valid UTF-16. */
internal fun loneSurrogate(s: String): Int {
    for (i in s.indices) {
        val c = s[i]
        if (c.isHighSurrogate() && s.getOrNull(i + 1)?.isLowSurrogate() != true) return i
        if (c.isLowSurrogate() && s.getOrNull(i - 1)?.isHighSurrogate() != true) return i
    }
    return -1
}

/**
 * The one check every String argument of the SDK gets before any conversion (uniffi's
 * serializer, the JNI buffers, JNA): [v] unchanged (null too), or a [ValidationException] naming
 * [field] when it is not valid UTF-16, i.e. holds a lone surrogate, which has no UTF-8 form.
 * [field] and [arg] as for [required]; the message gives the position, never the text.
 */
internal fun text(v: String?, field: String, arg: String = field): String? {
    if (v == null) return null
    val i = loneSurrogate(v)
    if (i >= 0) throw invalidArgument(field, ruleOf(field, arg, "is not valid UTF-16 text (a lone surrogate at index $i)"))
    return v
}

/** [required] and [text]: a non-null String argument that is valid UTF-16. */
internal fun requiredText(v: String?, field: String, arg: String = field): String =
    text(required(v, field, arg), field, arg)!!

/** Runs an FFI call, turning its error into the public exception class. */
internal inline fun <T> ffi(block: () -> T): T =
    try {
        Jni.load() // before JNA: one copy of the native library
        block()
    } catch (e: QfPayFfiException) {
        throw Jni.error((e as QfPayFfiException.Failure).info)
    } catch (e: IllegalStateException) {
        if (e.message?.contains("already been destroyed") == true) throw IllegalStateException("client closed", e)
        throw e
    }

/**
 * A client key held by a builder until it is built: its `toString` never shows the key (a
 * debugger's or an error tracker's dump of the builder's fields).
 */
internal class Secret(val value: String) {
    override fun toString() = "Secret(***)"
}
