package com.qfpay

import com.qfpay.ffi.QfPayFfiException

/** A core error's fields by their canonical names (its `Serialize` form, `ERROR_FIELDS`). */
internal typealias ErrorInfo = Map<String, Any?>

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

/**
 * A map of text (`extra_params`, `pay_params`) copied, each name and value checked as [text]: a
 * bad value names `field.<name>`, a bad or null name names [field]; a null value is absent.
 * Values that are not Strings (from raw Java types) reach the core, which refuses them by name.
 */
internal fun textMap(v: Map<String, String?>?, field: String, arg: String = field): Map<String, Any?>? {
    if (v == null) return null
    val out = LinkedHashMap<String, Any?>()
    for ((k, x) in v as Map<*, *>) {
        if (k !is String) throw invalidArgument(field, ruleOf(field, arg, "holds a name that is not a String"))
        text(k, field, arg)
        out[k] = if (x is String) text(x, "$field.$k", "$arg[\"$k\"]") else x
    }
    return out
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
        throw Jni.error(java.nio.ByteBuffer.wrap((e as QfPayFfiException.Failure).info))
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
