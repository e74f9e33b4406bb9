package com.qfpay

/** Well-known `pay_type` codes (any other six-digit code may be passed as a string). */
object PayTypes {
    /** WeChat Pay QR (merchant-presented code). */
    const val WECHAT_QR = "800201"
    /** WeChat Pay consumer-presented code (scan the customer's code). */
    const val WECHAT_CPM = "800208"
    /** Alipay MPM (HK merchants). */
    const val ALIPAY_HK_MPM = "801501"
    /** WeChat Pay inside the WeChat browser (JSAPI, Official Account pages): needs `subOpenid`. */
    const val WECHAT_JSAPI = "800207"
    /** WeChat Pay in a mini-program: needs `subOpenid`. */
    const val WECHAT_MINI_PROGRAM = "800213"
}

/**
 * A payment to create. Build with [builder] or [wechatQr]; amounts are minor units. Its
 * arguments go to the core by their Java names; validation happens in the core when it is sent.
 */
class PaymentRequest private constructor(internal val args: Map<String, Any?>) {
    /** `txamt` in minor units. */
    val amount: Long get() = args["amount"] as Long
    /** `txcurrcd` (`HKD`, `CNY`, ...). */
    val currency: String get() = args["currency"] as String
    /** `pay_type` (`800201` is WeChat Pay QR). */
    val payType: String get() = args["payType"] as String
    /** `out_trade_no` when set (else the core generates one). */
    val outTradeNo: String? get() = args["outTradeNo"] as String?

    /** Builder for [PaymentRequest]; every optional setter accepts null to clear the field. */
    class Builder internal constructor(amount: Long, currency: String, payType: String) : PaymentFields<Builder>() {
        init {
            amount(amount, currency).payType(payType)
        }
        /** The amount in minor units and its currency. */
        fun amount(amount: Long, currency: String?) = put("currency", requiredText(currency, "txcurrcd", "currency")).put("amount", amount)
        /** `pay_type` (see [PayTypes]). */
        fun payType(v: String?) = put("payType", requiredText(v, "pay_type", "payType"))
        /** The same as [extendInfo]. */
        fun extendInfoJson(v: String?) = extendInfo(v)
        /** The request (validated by the core when it is sent). */
        fun build() = PaymentRequest(snapshot())
    }

    companion object {
        /** A payment of [amount] minor units of [currency] with any `pay_type`. */
        @JvmStatic
        fun builder(amount: Long, currency: String?, payType: String?) =
            Builder(amount, requiredText(currency, "txcurrcd", "currency"), requiredText(payType, "pay_type", "payType"))

        /** A WeChat Pay QR payment (`pay_type` 800201): show the returned `qrcode`. */
        @JvmStatic
        fun wechatQr(amount: Long, currency: String?) = Builder(amount, requiredText(currency, "txcurrcd", "currency"), PayTypes.WECHAT_QR)
    }
}

/** A transaction query; [byOutTradeNo], [bySyssn] or [builder]. */
class QueryRequest private constructor(internal val args: Map<String, Any?>) {
    /** Builder for [QueryRequest]; list setters add to the list. */
    class Builder internal constructor() : QueryFields<Builder>() {
        /** `start_time` and `end_time` (`yyyy-MM-dd HH:mm:ss`). */
        fun timeRange(start: String?, end: String?) = startTime(start).endTime(end)
        /** The request. */
        fun build() = QueryRequest(snapshot())
    }

    companion object {
        /** A new builder. */
        @JvmStatic fun builder() = Builder()
        /** The query for one `out_trade_no`. */
        @JvmStatic fun byOutTradeNo(outTradeNo: String?) = Builder().outTradeNo(outTradeNo).build()
        /** The query for one `syssn`. */
        @JvmStatic fun bySyssn(syssn: String?) = Builder().syssn(syssn).build()
    }
}

/** A refund of (part of) the payment `syssn`. */
class RefundRequest private constructor(internal val args: Map<String, Any?>) {
    /** Builder for [RefundRequest]. */
    class Builder internal constructor(syssn: String, amount: Long, currency: String) : RefundFields<Builder>() {
        init {
            put("syssn", syssn).put("amount", amount).put("currency", currency)
        }
        /** The request. */
        fun build() = RefundRequest(snapshot())
    }

    companion object {
        /** A refund of [amount] minor units of the payment [syssn]. */
        @JvmStatic fun builder(syssn: String?, amount: Long, currency: String?) =
            Builder(requiredText(syssn, "syssn"), amount, requiredText(currency, "txcurrcd", "currency"))
        /** The same as `builder(syssn, amount, currency).build()`. */
        @JvmStatic fun of(syssn: String?, amount: Long, currency: String?) = builder(syssn, amount, currency).build()
    }
}

/** A close (unpaid order) or reversal (paid order), by `out_trade_no` or `syssn`. */
class CancelRequest private constructor(internal val args: Map<String, Any?>) {
    /** Builder for [CancelRequest]; set [syssn] or [outTradeNo]. */
    class Builder internal constructor(amount: Long, currency: String) : CancelFields<Builder>() {
        init {
            put("amount", amount).put("currency", currency)
        }
        /** The request. */
        fun build() = CancelRequest(snapshot())
    }

    companion object {
        /** A builder for the payment of [amount] minor units of [currency]. */
        @JvmStatic fun builder(amount: Long, currency: String?) = Builder(amount, requiredText(currency, "txcurrcd", "currency"))
        /** Cancels the payment with this `out_trade_no`. */
        @JvmStatic fun byOutTradeNo(outTradeNo: String?, amount: Long, currency: String?) =
            builder(amount, currency).outTradeNo(requiredText(outTradeNo, "out_trade_no", "outTradeNo")).build()
        /** Cancels the payment with this `syssn`. */
        @JvmStatic fun bySyssn(syssn: String?, amount: Long, currency: String?) =
            builder(amount, currency).syssn(requiredText(syssn, "syssn")).build()
    }
}

/**
 * A hosted-checkout link to build ([QfPayClient.checkoutUrl]): amount, currency and the three
 * URLs; the page's other fields through the builder. Nothing is sent: the core validates and
 * signs it when the link is built.
 */
class CheckoutRequest private constructor(internal val args: Map<String, Any?>) {
    /** Builder for [CheckoutRequest]; every optional setter accepts null to clear the field. */
    class Builder internal constructor() : CheckoutFields<Builder>() {
        /** The request. */
        fun build() = CheckoutRequest(snapshot())
    }

    companion object {
        /**
         * A checkout of [amount] minor units of [currency]: the customer returns to [returnUrl]
         * after paying, to [failedUrl] when it fails; QFPay posts the notification to [notifyUrl].
         */
        @JvmStatic
        fun builder(amount: Long, currency: String?, returnUrl: String?, failedUrl: String?, notifyUrl: String?): Builder =
            Builder().apply {
                put("amount", amount)
                put("currency", requiredText(currency, "txcurrcd", "currency"))
                put("returnUrl", requiredText(returnUrl, "return_url", "returnUrl"))
                put("failedUrl", requiredText(failedUrl, "failed_url", "failedUrl"))
                put("notifyUrl", requiredText(notifyUrl, "notify_url", "notifyUrl"))
            }

        /** The same as `builder(amount, currency, returnUrl, failedUrl, notifyUrl).build()`. */
        @JvmStatic
        fun of(amount: Long, currency: String?, returnUrl: String?, failedUrl: String?, notifyUrl: String?) =
            builder(amount, currency, returnUrl, failedUrl, notifyUrl).build()
    }
}

/**
 * A period to walk ([QfPayClient.transactions]): from `startTime` to `endTime` inclusive
 * (`yyyy-MM-dd HH:mm:ss`, QFPay's time), of any length; the filters and the pacing through the
 * builder.
 */
class TransactionsRequest private constructor(internal val args: Map<String, Any?>) {
    /** Builder for [TransactionsRequest]; list setters add to the list. */
    class Builder internal constructor(startTime: String, endTime: String) : PeriodFields<Builder>() {
        init {
            put("startTime", startTime).put("endTime", endTime)
        }
        /** The request (read by the core when the walk is made). */
        fun build() = TransactionsRequest(snapshot())
    }

    companion object {
        /** A walk from [startTime] to [endTime] (`yyyy-MM-dd HH:mm:ss`). */
        @JvmStatic
        fun builder(startTime: String?, endTime: String?) =
            Builder(requiredText(startTime, "start_time", "startTime"), requiredText(endTime, "end_time", "endTime"))

        /** The same as `builder(startTime, endTime).build()`: every record, paced at the default. */
        @JvmStatic
        fun of(startTime: String?, endTime: String?) = builder(startTime, endTime).build()
    }
}

/**
 * A reconciliation ([QfPayClient.reconcile]) of the merchant's ledger against every QFPay
 * transaction from `startTime` to `endTime`. The ledger is CSV text with a header
 * (`out_trade_no,amount,currency[,state][,refunded]`) or a list of maps whose keys are
 * `outTradeNo`, `amount` (minor units), `currency`, `state` (`paid`, `refunded`, `unpaid`;
 * default paid) and `refunded` (minor units).
 */
class ReconcileRequest private constructor(internal val args: Map<String, Any?>) {
    /** Builder for [ReconcileRequest]; list setters add to the list. */
    class Builder internal constructor(ledger: Any, startTime: String, endTime: String) : ReconcileFields<Builder>() {
        init {
            put("ledger", ledger).put("startTime", startTime).put("endTime", endTime)
        }
        /** The request (the core reads the ledger when it is sent, before sending anything). */
        fun build() = ReconcileRequest(snapshot())
    }

    companion object {
        /** A reconciliation of the ledger as CSV text ([ledgerCsv], a header line first). */
        @JvmStatic
        fun builder(ledgerCsv: String?, startTime: String?, endTime: String?) =
            Builder(requiredText(ledgerCsv, "ledger"), requiredText(startTime, "start_time", "startTime"), requiredText(endTime, "end_time", "endTime"))

        /** A reconciliation of the ledger as a list of entries (maps by the keys above). */
        @JvmStatic
        fun builder(ledger: List<Map<String, *>>?, startTime: String?, endTime: String?) =
            Builder(ledgerEntries(ledger), requiredText(startTime, "start_time", "startTime"), requiredText(endTime, "end_time", "endTime"))
    }
}

/**
 * The ledger's entries as they cross: each a map of text keys to text, a whole number, a
 * boolean or null (the core checks the keys, types and rules, naming the entry); anything else
 * is refused here, naming `ledger` and the entry.
 */
internal fun ledgerEntries(ledger: List<Map<String, *>>?): List<Map<String, Any?>> =
    (required(ledger, "ledger") as List<*>).mapIndexed { i, e ->
        val at = "entry ${i + 1}"
        val m = e as? Map<*, *> ?: throw invalidArgument("ledger", "$at: must be a Map (got ${e?.javaClass?.simpleName ?: "null"})")
        val out = LinkedHashMap<String, Any?>(m.size * 2)
        for ((k, v) in m) {
            val key = k as? String ?: throw invalidArgument("ledger", "$at: every key must be a String")
            out[key] = when (v) {
                null, is Boolean, is Long, is Double -> v
                is Int, is Short, is Byte -> (v as Number).toLong()
                is java.math.BigInteger, is java.math.BigDecimal -> try {
                    (v as Number).let { if (it is java.math.BigDecimal) it.longValueExact() else (it as java.math.BigInteger).longValueExact() }
                } catch (_: ArithmeticException) {
                    throw invalidArgument("ledger", "$at: $key must be a whole number of minor units within a Long")
                }
                is String -> text(v, "ledger", "ledger $at $key")
                else -> throw invalidArgument("ledger", "$at: $key must be a String or a whole number (got ${v.javaClass.simpleName})")
            }
        }
        out
    }
