package com.qfpay

import com.qfpay.ffi.FfiCancellation
import com.qfpay.ffi.FfiNotification
import com.qfpay.ffi.FfiPayment
import com.qfpay.ffi.FfiQueryPage
import com.qfpay.ffi.FfiRefund
import com.qfpay.ffi.FfiTransaction

/** QFPay's answer to a payment. Amounts are minor units (`txamt` 1001 = HKD 10.01). */
data class Payment(
    val syssn: String,
    val outTradeNo: String,
    val payType: String,
    val txamt: Long,
    val txcurrcd: String,
    val txdtm: String,
    val sysdtm: String,
    val paydtm: String,
    /** The QR code content to show the customer (MPM, e.g. WeChat QR 800201). */
    val qrcode: String?,
    val payUrl: String?,
    val chnlsn: String,
    val cardcd: String,
    val udid: String,
    val respcd: String,
    val resperr: String,
    val respmsg: String,
    /** Every field QFPay sent (non-string JSON values as their JSON text). */
    val raw: Map<String, String>,
) {
    /** An SVG of [qrcode]; fails with [ValidationException] when there is none. */
    fun qrSvg(): String = Qr.svg(qrcode ?: throw ValidationException("invalid qrcode: the payment has no QR code", "qrcode", "missing"))

    /** A PNG of [qrcode], [scale] pixels per module. */
    @JvmOverloads
    fun qrPng(scale: Int = 8): ByteArray = Qr.png(qrcode ?: throw ValidationException("invalid qrcode: the payment has no QR code", "qrcode", "missing"), scale)

    internal companion object {
        fun of(p: FfiPayment) = Payment(
            p.syssn, p.outTradeNo, p.payType, p.txamt, p.txcurrcd, p.txdtm, p.sysdtm, p.paydtm,
            p.qrcode, p.payUrl, p.chnlsn, p.cardcd, p.udid, p.respcd, p.resperr, p.respmsg, p.raw,
        )
    }
}

/** Where a transaction stands. */
enum class TransactionState(val wire: String) {
    SUCCEEDED("succeeded"),
    PENDING("pending"),
    FAILED("failed"),
    REFUNDED("refunded"),
    PARTIALLY_REFUNDED("partially_refunded"),
    CANCELLED("cancelled");

    /** Whether the customer's money was taken (paid, possibly refunded since). */
    val isPaid: Boolean get() = this == SUCCEEDED || this == REFUNDED || this == PARTIALLY_REFUNDED

    companion object {
        /** The state for its lowercase name. */
        @JvmStatic
        fun fromWire(value: String): TransactionState =
            entries.firstOrNull { it.wire == value } ?: throw DecodeException("unknown transaction state $value")
    }
}

/** One transaction record from a query. */
data class Transaction(
    val syssn: String,
    val outTradeNo: String,
    val orderType: String,
    val origssn: String?,
    val payType: String,
    val txamt: Long,
    val txcurrcd: String,
    val txdtm: String,
    val sysdtm: String,
    val paydtm: String,
    val respcd: String,
    val errmsg: String,
    val cancel: String,
    val goodsName: String,
    val chnlsn: String,
    val state: TransactionState,
    val raw: Map<String, String>,
) {
    /** Whether the payment succeeded and has not been cancelled or refunded. */
    val isPaid: Boolean get() = state == TransactionState.SUCCEEDED

    internal companion object {
        fun of(t: FfiTransaction) = Transaction(
            t.syssn, t.outTradeNo, t.orderType, t.origssn, t.payType, t.txamt, t.txcurrcd, t.txdtm,
            t.sysdtm, t.paydtm, t.respcd, t.errmsg, t.cancel, t.goodsName, t.chnlsn,
            TransactionState.fromWire(t.state), t.raw,
        )
    }
}

/** One page of a query; iterating it yields its transactions. */
data class QueryPage(
    val page: Long,
    val pageSize: Long,
    val data: List<Transaction>,
    val raw: Map<String, String>,
) : Iterable<Transaction> {
    override fun iterator(): Iterator<Transaction> = data.iterator()

    internal companion object {
        fun of(p: FfiQueryPage) = QueryPage(p.page, p.pageSize, p.data.map(Transaction::of), p.raw)
    }
}

/** QFPay's answer to a refund. */
data class Refund(
    val syssn: String,
    val origSyssn: String,
    val outTradeNo: String,
    val txamt: Long,
    val txcurrcd: String,
    val txdtm: String,
    val sysdtm: String,
    val respcd: String,
    val resperr: String,
    val respmsg: String,
    val raw: Map<String, String>,
) {
    internal companion object {
        fun of(r: FfiRefund) = Refund(
            r.syssn, r.origSyssn, r.outTradeNo, r.txamt, r.txcurrcd, r.txdtm, r.sysdtm, r.respcd,
            r.resperr, r.respmsg, r.raw,
        )
    }
}

/** QFPay's answer to a close or a reversal. */
data class Cancellation(
    val syssn: String,
    val origSyssn: String,
    val outTradeNo: String,
    val txamt: Long,
    val respcd: String,
    val resperr: String,
    val respmsg: String,
    val raw: Map<String, String>,
) {
    internal companion object {
        fun of(c: FfiCancellation) =
            Cancellation(c.syssn, c.origSyssn, c.outTradeNo, c.txamt, c.respcd, c.resperr, c.respmsg, c.raw)
    }
}

/** A verified asynchronous notification. */
data class Notification(
    /** `notify_type`: `payment`, `refund`, or another value as sent. */
    val notifyType: String,
    val status: String,
    val payType: String,
    val syssn: String,
    val outTradeNo: String,
    val txamt: Long,
    val txcurrcd: String,
    val txdtm: String,
    val sysdtm: String,
    val paydtm: String,
    val cancel: String,
    val respcd: String,
    val mchid: String?,
    val goodsName: String,
    val chnlsn: String,
    val origSyssn: String?,
    val origOutTradeNo: String?,
    /** Whether the notification reports a success. */
    val isSuccess: Boolean,
    val raw: Map<String, String>,
) {
    internal companion object {
        fun of(n: FfiNotification) = Notification(
            n.notifyType, n.status, n.payType, n.syssn, n.outTradeNo, n.txamt, n.txcurrcd, n.txdtm,
            n.sysdtm, n.paydtm, n.cancel, n.respcd, n.mchid, n.goodsName, n.chnlsn, n.origSyssn,
            n.origOutTradeNo, n.isSuccess, n.raw,
        )
    }
}
