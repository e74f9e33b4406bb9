package com.qfpay

import com.qfpay.ffi.FfiErrorInfo
import com.qfpay.ffi.QfPayFfiException
import java.time.Duration

/**
 * Base of every SDK failure (unchecked). [code] is the core's stable error code
 * (`validation`, `declined`, `status_unknown`, ...); each code has its own subclass.
 *
 * Every exception from a money-moving call (`createPayment`, `wechatQr`, `refund`,
 * `closeOrder`, `reverse`) names its order in [outTradeNo], generated numbers included, so the
 * order can always be queried afterwards.
 */
open class QfPayException internal constructor(internal val info: FfiErrorInfo) : RuntimeException(info.detail) {
    /** The stable error code (`validation`, `config`, `declined`, ...). */
    val code: String get() = info.code

    /** The merchant order number the failed call was about, when known (always for money-moving calls). */
    open val outTradeNo: String? get() = info.outTradeNo

    /** QFPay's transaction number, when known. */
    val syssn: String? get() = info.syssn

    /** QFPay's `respcd`, when QFPay answered (the last one seen for a status unknown). */
    val respcd: String? get() = info.respcd

    /** QFPay's `resperr`, when QFPay answered. */
    val resperr: String? get() = info.resperr

    /** QFPay's `respmsg`, when QFPay answered. */
    val respmsg: String? get() = info.respmsg

    /** The HTTP status of QFPay's answer, when there was one. */
    val httpStatus: Int? get() = info.httpStatus
}

/** A request field or argument broke a documented rule; nothing was sent. */
class ValidationException internal constructor(info: FfiErrorInfo) : QfPayException(info) {
    /** The field (QFPay's name, e.g. `txamt`) or the argument/option name (e.g. `timeout`). */
    val field: String get() = info.field ?: ""

    /** The rule it broke. */
    val rule: String get() = info.rule ?: ""
}

/** The client is not configured correctly (missing credentials, bad URL, bad option...). */
class ConfigException internal constructor(info: FfiErrorInfo) : QfPayException(info)

/** QFPay answered with a failure code. This class itself is used for unclassified codes (`api`). */
open class ApiException internal constructor(info: FfiErrorInfo) : QfPayException(info)

/** Signature, app code, key or permission problem (`1108`, `1104`, ...). */
class AuthException internal constructor(info: FfiErrorInfo) : ApiException(info)

/** QFPay rejected the parameters. */
class InvalidRequestException internal constructor(info: FfiErrorInfo) : ApiException(info)

/** The payment was declined (`1201` insufficient balance, ...). */
class DeclinedException internal constructor(info: FfiErrorInfo) : ApiException(info)

/**
 * The `out_trade_no` was used before. [existing] is the transaction already under that number
 * (read by the core right away), so "already paid" (`existing.state == SUCCEEDED`) and
 * "someone else's order" are told apart without another call.
 */
class DuplicateOrderException internal constructor(info: FfiErrorInfo) : ApiException(info) {
    /** The transaction already under this `out_trade_no`, or null when it could not be read. */
    val existing: Transaction? by lazy { info.existing?.let(Transaction::of) }
}

/** The order is not in a state that allows this operation. */
class OrderStateException internal constructor(info: FfiErrorInfo) : ApiException(info)

/** The refund was refused. */
class RefundRejectedException internal constructor(info: FfiErrorInfo) : ApiException(info)

/** The merchant account, store or device is not set up for this. */
class AccountException internal constructor(info: FfiErrorInfo) : ApiException(info)

/** QFPay had a transient problem; query before trying again. */
class ServerException internal constructor(info: FfiErrorInfo) : ApiException(info)

/** HTTP 429 after the configured retries. */
class RateLimitedException internal constructor(info: FfiErrorInfo) : QfPayException(info) {
    /** The server's `Retry-After`, when given. */
    val retryAfter: Duration? get() = info.retryAfterMs?.let { Duration.ofMillis(it) }
}

/** The request could not be delivered. */
class NetworkException internal constructor(info: FfiErrorInfo) : QfPayException(info) {
    /** Whether the request may have reached QFPay (false: QFPay processed nothing). */
    val sent: Boolean get() = info.sent ?: true
}

/** The call's deadline passed (a call that moves no money). */
class RequestTimeoutException internal constructor(info: FfiErrorInfo) : QfPayException(info)

/**
 * The outcome of a money-moving call is not known. Do not pay again under a new number:
 * query [outTradeNo] (or wait for the notification).
 */
class StatusUnknownException internal constructor(info: FfiErrorInfo) : QfPayException(info) {
    /** The order whose outcome is unknown. */
    override val outTradeNo: String get() = info.outTradeNo ?: ""
}

/** QFPay's answer (or a notification body) could not be understood. */
class DecodeException internal constructor(info: FfiErrorInfo) : QfPayException(info)

/** A notification's signature was missing or did not match its body and key. */
class SignatureException internal constructor(info: FfiErrorInfo) : QfPayException(info)

/** An error description made by the binding itself (arguments the core never sees). */
internal fun errorInfo(code: String, detail: String, field: String? = null, rule: String? = null) = FfiErrorInfo(
    code = code, detail = detail, field = field, rule = rule, respcd = null, resperr = null, respmsg = null,
    httpStatus = null, outTradeNo = null, syssn = null, retryAfterMs = null, sent = null, existing = null,
)

/** A [ValidationException] for argument [name]. */
internal fun invalidArgument(name: String, rule: String) =
    ValidationException(errorInfo("validation", "invalid $name: $rule", name, rule))

/** [v], or a [ValidationException] naming [name] when it is null. */
internal fun <T> required(v: T?, name: String): T = v ?: throw invalidArgument(name, "is required (got null)")

/** The exception class for a core error; the binding's only error logic. */
internal fun toQfPayException(f: FfiErrorInfo): QfPayException = when (f.code) {
    "validation" -> ValidationException(f)
    "config" -> ConfigException(f)
    "auth" -> AuthException(f)
    "invalid_request" -> InvalidRequestException(f)
    "declined" -> DeclinedException(f)
    "duplicate_order" -> DuplicateOrderException(f)
    "order_state" -> OrderStateException(f)
    "refund_rejected" -> RefundRejectedException(f)
    "account" -> AccountException(f)
    "server" -> ServerException(f)
    "api" -> ApiException(f)
    "rate_limited" -> RateLimitedException(f)
    "network" -> NetworkException(f)
    "timeout" -> RequestTimeoutException(f)
    "status_unknown" -> StatusUnknownException(f)
    "decode" -> DecodeException(f)
    "signature" -> SignatureException(f)
    else -> QfPayException(f)
}

/** Runs an FFI call, turning its error into the public exception class. */
internal inline fun <T> ffi(block: () -> T): T =
    try {
        Jni.load() // before JNA: one copy of the native library
        block()
    } catch (e: QfPayFfiException) {
        throw toQfPayException((e as QfPayFfiException.Failure).info)
    } catch (e: IllegalStateException) {
        if (e.message?.contains("already been destroyed") == true) throw IllegalStateException("client closed", e)
        throw e
    }
