package com.qfpay

import com.qfpay.ffi.QfPayFfiException
import java.time.Duration

/**
 * Base of every SDK failure (unchecked). [code] is the core's stable error code
 * (`validation`, `declined`, `status_unknown`, ...); see the class per code below.
 */
open class QfPayException(message: String, val code: String, cause: Throwable? = null) :
    RuntimeException(message, cause)

/** A request field broke a documented rule; nothing was sent. [field] uses QFPay's name (`txamt`, ...). */
class ValidationException(message: String, val field: String, val rule: String) :
    QfPayException(message, "validation")

/** The client is not configured correctly (missing credentials, bad URL, ...). */
class ConfigException(message: String) : QfPayException(message, "config")

/**
 * QFPay answered with a failure code. Subclasses name the category; this class itself is used
 * for codes the SDK does not classify (code `api`).
 */
open class ApiException(
    message: String,
    code: String,
    /** QFPay's `respcd` (null when the answer was an HTTP error without a body). */
    val respcd: String?,
    /** QFPay's `resperr`. */
    val resperr: String?,
    /** QFPay's `respmsg`. */
    val respmsg: String?,
    /** The HTTP status of the answer. */
    val httpStatus: Int?,
) : QfPayException(message, code)

/** Signature, app code, key or permission problem (`1108`, `1104`, ...). */
class AuthException(message: String, respcd: String?, resperr: String?, respmsg: String?, httpStatus: Int?) :
    ApiException(message, "auth", respcd, resperr, respmsg, httpStatus)

/** QFPay rejected the parameters. */
class InvalidRequestException(message: String, respcd: String?, resperr: String?, respmsg: String?, httpStatus: Int?) :
    ApiException(message, "invalid_request", respcd, resperr, respmsg, httpStatus)

/** The payment was declined (`1201` insufficient balance, ...). */
class DeclinedException(message: String, respcd: String?, resperr: String?, respmsg: String?, httpStatus: Int?) :
    ApiException(message, "declined", respcd, resperr, respmsg, httpStatus)

/** The `out_trade_no` was used before: query it instead of paying again. */
class DuplicateOrderException(message: String, respcd: String?, resperr: String?, respmsg: String?, httpStatus: Int?) :
    ApiException(message, "duplicate_order", respcd, resperr, respmsg, httpStatus)

/** The order is not in a state that allows this operation. */
class OrderStateException(message: String, respcd: String?, resperr: String?, respmsg: String?, httpStatus: Int?) :
    ApiException(message, "order_state", respcd, resperr, respmsg, httpStatus)

/** The refund was refused. */
class RefundRejectedException(message: String, respcd: String?, resperr: String?, respmsg: String?, httpStatus: Int?) :
    ApiException(message, "refund_rejected", respcd, resperr, respmsg, httpStatus)

/** The merchant account, store or device is not set up for this. */
class AccountException(message: String, respcd: String?, resperr: String?, respmsg: String?, httpStatus: Int?) :
    ApiException(message, "account", respcd, resperr, respmsg, httpStatus)

/** QFPay had a transient problem; query before trying again. */
class ServerException(message: String, respcd: String?, resperr: String?, respmsg: String?, httpStatus: Int?) :
    ApiException(message, "server", respcd, resperr, respmsg, httpStatus)

/** HTTP 429 after the configured retries. [retryAfter] is the server's `Retry-After`, when given. */
class RateLimitedException(message: String, val retryAfter: Duration?) : QfPayException(message, "rate_limited")

/** The request could not be delivered. When [sent] is false QFPay processed nothing. */
class NetworkException(message: String, val sent: Boolean) : QfPayException(message, "network")

/** The call's deadline passed (a call that moves no money). */
class RequestTimeoutException(message: String) : QfPayException(message, "timeout")

/**
 * The outcome of a money-moving call is not known. Do not pay again under a new number:
 * query [outTradeNo] (or wait for the notification).
 */
class StatusUnknownException(
    message: String,
    val outTradeNo: String,
    val syssn: String?,
    val respcd: String?,
) : QfPayException(message, "status_unknown")

/** QFPay's answer (or a notification body) could not be understood. */
class DecodeException(message: String) : QfPayException(message, "decode")

/** A notification's signature did not match its body and key. */
class SignatureException(message: String) : QfPayException(message, "signature")

/** Chooses the exception class for a core error; the binding's only error logic. */
internal fun toQfPayException(e: QfPayFfiException): QfPayException {
    val f = e as QfPayFfiException.Failure
    val msg = f.detail
    return when (f.code) {
        "validation" -> ValidationException(msg, f.field ?: "", f.rule ?: "")
        "config" -> ConfigException(msg)
        "auth" -> AuthException(msg, f.respcd, f.resperr, f.respmsg, f.httpStatus)
        "invalid_request" -> InvalidRequestException(msg, f.respcd, f.resperr, f.respmsg, f.httpStatus)
        "declined" -> DeclinedException(msg, f.respcd, f.resperr, f.respmsg, f.httpStatus)
        "duplicate_order" -> DuplicateOrderException(msg, f.respcd, f.resperr, f.respmsg, f.httpStatus)
        "order_state" -> OrderStateException(msg, f.respcd, f.resperr, f.respmsg, f.httpStatus)
        "refund_rejected" -> RefundRejectedException(msg, f.respcd, f.resperr, f.respmsg, f.httpStatus)
        "account" -> AccountException(msg, f.respcd, f.resperr, f.respmsg, f.httpStatus)
        "server" -> ServerException(msg, f.respcd, f.resperr, f.respmsg, f.httpStatus)
        "api" -> ApiException(msg, "api", f.respcd, f.resperr, f.respmsg, f.httpStatus)
        "rate_limited" -> RateLimitedException(msg, f.retryAfterMs?.let { Duration.ofMillis(it) })
        "network" -> NetworkException(msg, f.sent ?: true)
        "timeout" -> RequestTimeoutException(msg)
        "status_unknown" -> StatusUnknownException(msg, f.outTradeNo ?: "", f.syssn, f.respcd)
        "decode" -> DecodeException(msg)
        "signature" -> SignatureException(msg)
        else -> QfPayException(msg, f.code)
    }
}

/** Runs an FFI call, turning its error into the public exception class. */
internal inline fun <T> ffi(block: () -> T): T =
    try {
        block()
    } catch (e: QfPayFfiException) {
        throw toQfPayException(e)
    }
