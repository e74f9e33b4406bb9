package com.qfpay

import com.qfpay.ffi.FfiCancellation
import com.qfpay.ffi.FfiNotification
import com.qfpay.ffi.FfiPayment
import com.qfpay.ffi.FfiQueryPage
import com.qfpay.ffi.FfiRefund
import com.qfpay.ffi.FfiTransaction

/** QFPay's answer to a payment. Amounts are minor units (`txamt` 1001 = HKD 10.01). */
data class Payment(
    /** QFPay's transaction number. */
    val syssn: String,
    /** The merchant order number. */
    val outTradeNo: String,
    /** `pay_type`. */
    val payType: String,
    /** Amount in minor units. */
    val txamt: Long,
    /** Currency. */
    val txcurrcd: String,
    /** `txdtm` as sent. */
    val txdtm: String,
    /** QFPay's system time. */
    val sysdtm: String,
    /** Payment time, when paid. */
    val paydtm: String,
    /** The QR code content to show the customer (MPM, e.g. WeChat QR 800201); render it with [Qr]. */
    val qrcode: String?,
    /** The payment URL (online payments). */
    val payUrl: String?,
    /** The wallet's transaction number. */
    val chnlsn: String,
    /** Card or wallet identifier. */
    val cardcd: String,
    /** `udid`. */
    val udid: String,
    /** `respcd`. */
    val respcd: String,
    /** `resperr`. */
    val resperr: String,
    /** `respmsg`. */
    val respmsg: String,
    /** Every field QFPay sent (non-string JSON values as their JSON text). */
    val raw: Map<String, String>,
) {
    internal companion object {
        fun of(p: FfiPayment) = Payment(
            p.syssn, p.outTradeNo, p.payType, p.txamt, p.txcurrcd, p.txdtm, p.sysdtm, p.paydtm,
            p.qrcode, p.payUrl, p.chnlsn, p.cardcd, p.udid, p.respcd, p.resperr, p.respmsg, p.raw,
        )
    }
}

/** Where a transaction stands. */
enum class TransactionState(
    /** The lowercase name used on the wire and in every other language. */
    val wire: String,
) {
    /** Paid. */
    SUCCEEDED("succeeded"),
    /** Waiting for the customer (or for QFPay). */
    PENDING("pending"),
    /** Failed; no money moved. */
    FAILED("failed"),
    /** Paid, then refunded in full. */
    REFUNDED("refunded"),
    /** Paid, then refunded in part. */
    PARTIALLY_REFUNDED("partially_refunded"),
    /** Closed or reversed. */
    CANCELLED("cancelled");

    companion object {
        /** The state for its lowercase name. */
        @JvmStatic
        fun fromWire(value: String): TransactionState =
            entries.firstOrNull { it.wire == value } ?: throw DecodeException(errorInfo("decode", "unknown transaction state $value"))
    }
}

/** One transaction record from a query. */
data class Transaction(
    /** QFPay's transaction number. */
    val syssn: String,
    /** The merchant order number. */
    val outTradeNo: String,
    /** `order_type` (`payment`, `refund`...). */
    val orderType: String,
    /** The original transaction of a refund. */
    val origssn: String?,
    /** `pay_type`. */
    val payType: String,
    /** Amount in minor units. */
    val txamt: Long,
    /** Currency. */
    val txcurrcd: String,
    /** `txdtm`. */
    val txdtm: String,
    /** `sysdtm`. */
    val sysdtm: String,
    /** `paydtm`. */
    val paydtm: String,
    /** `respcd`. */
    val respcd: String,
    /** `errmsg`. */
    val errmsg: String,
    /** `cancel`. */
    val cancel: String,
    /** `goods_name`. */
    val goodsName: String,
    /** `chnlsn`. */
    val chnlsn: String,
    /** `succeeded`, `pending`, `failed`, `refunded`, `partially_refunded` or `cancelled` (the core's). */
    val state: TransactionState,
    /** Whether the customer's money was taken: paid, possibly refunded since (the core's value). */
    val isPaid: Boolean,
    /** Whether this record is a refund rather than a payment (the core's value). */
    val isRefund: Boolean,
    /** Every field QFPay sent for the record. */
    val raw: Map<String, String>,
) {
    internal companion object {
        fun of(t: FfiTransaction) = Transaction(
            t.syssn, t.outTradeNo, t.orderType, t.origssn, t.payType, t.txamt, t.txcurrcd, t.txdtm,
            t.sysdtm, t.paydtm, t.respcd, t.errmsg, t.cancel, t.goodsName, t.chnlsn,
            TransactionState.fromWire(t.state), t.isPaid, t.isRefund, t.raw,
        )
    }
}

/** One page of a query; iterating it yields its transactions. */
data class QueryPage(
    /** The page number. */
    val page: Long,
    /** The page size. */
    val pageSize: Long,
    /** The records. */
    val data: List<Transaction>,
    /** Every top-level field QFPay sent. */
    val raw: Map<String, String>,
) : Iterable<Transaction> {
    override fun iterator(): Iterator<Transaction> = data.iterator()

    internal companion object {
        fun of(p: FfiQueryPage) = QueryPage(p.page, p.pageSize, p.data.map(Transaction::of), p.raw)
    }
}

/** QFPay's answer to a refund. */
data class Refund(
    /** The refund's transaction number. */
    val syssn: String,
    /** The refunded payment's transaction number. */
    val origSyssn: String,
    /** The refund's merchant order number. */
    val outTradeNo: String,
    /** Amount in minor units. */
    val txamt: Long,
    /** Currency. */
    val txcurrcd: String,
    /** `txdtm`. */
    val txdtm: String,
    /** `sysdtm`. */
    val sysdtm: String,
    /** `respcd`. */
    val respcd: String,
    /** `resperr`. */
    val resperr: String,
    /** `respmsg`. */
    val respmsg: String,
    /** Every field QFPay sent. */
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
    /** The cancellation's transaction number. */
    val syssn: String,
    /** The cancelled payment's transaction number. */
    val origSyssn: String,
    /** The cancelled payment's merchant order number. */
    val outTradeNo: String,
    /** Amount in minor units. */
    val txamt: Long,
    /** `respcd`. */
    val respcd: String,
    /** `resperr`. */
    val resperr: String,
    /** `respmsg`. */
    val respmsg: String,
    /** Every field QFPay sent. */
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
    /** `status`. */
    val status: String,
    /** `pay_type`. */
    val payType: String,
    /** `syssn`. */
    val syssn: String,
    /** `out_trade_no`. */
    val outTradeNo: String,
    /** Amount in minor units. */
    val txamt: Long,
    /** Currency. */
    val txcurrcd: String,
    /** `txdtm`. */
    val txdtm: String,
    /** `sysdtm`. */
    val sysdtm: String,
    /** `paydtm`. */
    val paydtm: String,
    /** `cancel`. */
    val cancel: String,
    /** `respcd`. */
    val respcd: String,
    /** `mchid`. */
    val mchid: String?,
    /** `goods_name`. */
    val goodsName: String,
    /** `chnlsn`. */
    val chnlsn: String,
    /** The original transaction (refunds). */
    val origSyssn: String?,
    /** The original order number (refunds). */
    val origOutTradeNo: String?,
    /** Whether the notification reports a success. */
    val isSuccess: Boolean,
    /** Every field sent. */
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
