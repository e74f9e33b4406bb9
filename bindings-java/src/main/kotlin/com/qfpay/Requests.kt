package com.qfpay

import com.qfpay.ffi.FfiCancelRequest
import com.qfpay.ffi.FfiPaymentRequest
import com.qfpay.ffi.FfiQueryRequest
import com.qfpay.ffi.FfiRefundRequest

/** Well-known `pay_type` codes (any other six-digit code may be passed as a string). */
object PayTypes {
    /** WeChat Pay QR (merchant-presented code). */
    const val WECHAT_QR = "800201"
    /** WeChat Pay consumer-presented code (scan the customer's code). */
    const val WECHAT_CPM = "800208"
    /** Alipay MPM (HK merchants). */
    const val ALIPAY_HK_MPM = "801501"
}

/**
 * A payment to create. Build with [builder] or [wechatQr]; amounts are minor units.
 * Validation happens in the core when the request is sent.
 */
class PaymentRequest private constructor(internal val ffi: FfiPaymentRequest) {
    /** `txamt` in minor units. */
    val amount: Long get() = ffi.amount
    /** `txcurrcd` (`HKD`, `CNY`, ...). */
    val currency: String get() = ffi.currency
    /** `pay_type` (`800201` is WeChat Pay QR). */
    val payType: String get() = ffi.payType
    /** `out_trade_no` when set (else the core generates one). */
    val outTradeNo: String? get() = ffi.outTradeNo

    /** Builder for [PaymentRequest]; every optional setter accepts null to clear the field. */
    class Builder internal constructor(amount: Long, currency: String, payType: String) {
        private var r = FfiPaymentRequest(
            amount, currency, payType, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null,
        )
        /** The amount in minor units and its currency. */
        fun amount(amount: Long, currency: String?) = apply { r = r.copy(amount = amount, currency = requiredText(currency, "txcurrcd", "currency")) }
        /** `pay_type` (see [PayTypes]). */
        fun payType(v: String?) = apply { r = r.copy(payType = requiredText(v, "pay_type", "payType")) }
        /**
         * `out_trade_no`; generated when not set. To never lose an order, generate it yourself
         * with [QfPay.generateOutTradeNo], store it, then pay with it.
         */
        fun outTradeNo(v: String?) = apply { r = r.copy(outTradeNo = text(v, "out_trade_no", "outTradeNo")) }
        /** `txdtm` (`yyyy-MM-dd HH:mm:ss`); the current time when not set. */
        fun txdtm(v: String?) = apply { r = r.copy(txdtm = text(v, "txdtm")) }
        /** `auth_code` of the customer's code (CPM pay types). */
        fun authCode(v: String?) = apply { r = r.copy(authCode = text(v, "auth_code", "authCode")) }
        /** `expired_time` in minutes (MPM). */
        fun expiredTime(minutes: Int) = apply { r = r.copy(expiredTime = minutes.toLong()) }
        /** `goods_name` (shown to the customer). */
        fun goodsName(v: String?) = apply { r = r.copy(goodsName = text(v, "goods_name", "goodsName")) }
        /** `goods_info`. */
        fun goodsInfo(v: String?) = apply { r = r.copy(goodsInfo = text(v, "goods_info", "goodsInfo")) }
        /** `mchid` (overrides the client's). */
        fun mchid(v: String?) = apply { r = r.copy(mchid = text(v, "mchid")) }
        /** `udid` (the device). */
        fun udid(v: String?) = apply { r = r.copy(udid = text(v, "udid")) }
        /** `notify_url` for this payment's notification. */
        fun notifyUrl(v: String?) = apply { r = r.copy(notifyUrl = text(v, "notify_url", "notifyUrl")) }
        /** `return_url` (online payments). */
        fun returnUrl(v: String?) = apply { r = r.copy(returnUrl = text(v, "return_url", "returnUrl")) }
        /** `rmb_tag`. */
        fun rmbTag(v: String?) = apply { r = r.copy(rmbTag = text(v, "rmb_tag", "rmbTag")) }
        /** `extend_info` for WeChat real-name verification (checked by the core: GB 11643 id, non-empty name). */
        fun realName(userCreid: String?, userTruename: String?) =
            apply {
                r = r.copy(
                    userCreid = text(userCreid, "extend_info.user_creid", "userCreid"),
                    userTruename = text(userTruename, "extend_info.user_truename", "userTruename"),
                )
            }
        /** `extend_info` as a JSON object string, sent byte-for-byte as given (real-name fields are still checked). */
        fun extendInfo(json: String?) = apply { r = r.copy(extendInfoJson = text(json, "extend_info", "extendInfo")) }
        /** The same as [extendInfo]. */
        fun extendInfoJson(v: String?) = extendInfo(v)
        /** `limit_pay`. */
        fun limitPay(v: String?) = apply { r = r.copy(limitPay = text(v, "limit_pay", "limitPay")) }
        /** `pay_tag`. */
        fun payTag(v: String?) = apply { r = r.copy(payTag = text(v, "pay_tag", "payTag")) }
        /** `sub_openid`. */
        fun subOpenid(v: String?) = apply { r = r.copy(subOpenid = text(v, "sub_openid", "subOpenid")) }
        /** The request (validated by the core when it is sent). */
        fun build() = PaymentRequest(r)
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
class QueryRequest private constructor(internal val ffi: FfiQueryRequest) {
    /** Builder for [QueryRequest]; list setters add to the list. */
    class Builder internal constructor() {
        private val syssn = mutableListOf<String>()
        private val outTradeNo = mutableListOf<String>()
        private val payType = mutableListOf<String>()
        private var respcd: String? = null
        private var startTime: String? = null
        private var endTime: String? = null
        private var page: Long? = null
        private var pageSize: Long? = null
        private var mchid: String? = null
        /** `syssn` values to look up. */
        fun syssn(vararg v: String?) = apply { v.forEach { syssn.add(requiredText(it, "syssn")) } }
        /** `out_trade_no` values to look up. */
        fun outTradeNo(vararg v: String?) = apply { v.forEach { outTradeNo.add(requiredText(it, "out_trade_no", "outTradeNo")) } }
        /** `pay_type` codes to filter on. */
        fun payType(vararg v: String?) = apply { v.forEach { payType.add(requiredText(it, "pay_type", "payType")) } }
        /** `respcd` filter. */
        fun respcd(v: String?) = apply { respcd = text(v, "respcd") }
        /** `start_time` (`yyyy-MM-dd HH:mm:ss`). */
        fun startTime(v: String?) = apply { startTime = text(v, "start_time", "startTime") }
        /** `end_time` (`yyyy-MM-dd HH:mm:ss`). */
        fun endTime(v: String?) = apply { endTime = text(v, "end_time", "endTime") }
        /** `start_time` and `end_time` (`yyyy-MM-dd HH:mm:ss`). */
        fun timeRange(start: String?, end: String?) = startTime(start).endTime(end)
        /** `page`, from 1. */
        fun page(v: Int) = apply { page = v.toLong() }
        /** `page_size` (at most 100). */
        fun pageSize(v: Int) = apply { pageSize = v.toLong() }
        /** `mchid` (overrides the client's). */
        fun mchid(v: String?) = apply { mchid = text(v, "mchid") }
        /** The request. */
        fun build() = QueryRequest(
            FfiQueryRequest(syssn.toList(), outTradeNo.toList(), payType.toList(), respcd, startTime, endTime, page, pageSize, mchid),
        )
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
class RefundRequest private constructor(internal val ffi: FfiRefundRequest) {
    /** Builder for [RefundRequest]. */
    class Builder internal constructor(syssn: String, amount: Long, currency: String) {
        private var r = FfiRefundRequest(syssn, amount, currency, null, null, null, null)
        /** The refund's own `out_trade_no`; generated when not set. */
        fun outTradeNo(v: String?) = apply { r = r.copy(outTradeNo = text(v, "out_trade_no", "outTradeNo")) }
        /** `txdtm`; the current time when not set. */
        fun txdtm(v: String?) = apply { r = r.copy(txdtm = text(v, "txdtm")) }
        /** `mchid` (overrides the client's). */
        fun mchid(v: String?) = apply { r = r.copy(mchid = text(v, "mchid")) }
        /** `udid`. */
        fun udid(v: String?) = apply { r = r.copy(udid = text(v, "udid")) }
        /** The request. */
        fun build() = RefundRequest(r)
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
class CancelRequest private constructor(internal val ffi: FfiCancelRequest) {
    /** Builder for [CancelRequest]; set [syssn] or [outTradeNo]. */
    class Builder internal constructor(syssn: String?, outTradeNo: String?, amount: Long, currency: String) {
        private var r = FfiCancelRequest(syssn, outTradeNo, amount, currency, null, null, null)
        /** The payment's `syssn`. */
        fun syssn(v: String?) = apply { r = r.copy(syssn = text(v, "syssn")) }
        /** The payment's `out_trade_no`. */
        fun outTradeNo(v: String?) = apply { r = r.copy(outTradeNo = text(v, "out_trade_no", "outTradeNo")) }
        /** `txdtm`; the current time when not set. */
        fun txdtm(v: String?) = apply { r = r.copy(txdtm = text(v, "txdtm")) }
        /** `mchid` (overrides the client's). */
        fun mchid(v: String?) = apply { r = r.copy(mchid = text(v, "mchid")) }
        /** `udid`. */
        fun udid(v: String?) = apply { r = r.copy(udid = text(v, "udid")) }
        /** The request. */
        fun build() = CancelRequest(r)
    }

    companion object {
        /** A builder for the payment of [amount] minor units of [currency]. */
        @JvmStatic fun builder(amount: Long, currency: String?) = Builder(null, null, amount, requiredText(currency, "txcurrcd", "currency"))
        /** Cancels the payment with this `out_trade_no`. */
        @JvmStatic fun byOutTradeNo(outTradeNo: String?, amount: Long, currency: String?) =
            Builder(null, requiredText(outTradeNo, "out_trade_no", "outTradeNo"), amount, requiredText(currency, "txcurrcd", "currency")).build()
        /** Cancels the payment with this `syssn`. */
        @JvmStatic fun bySyssn(syssn: String?, amount: Long, currency: String?) =
            Builder(requiredText(syssn, "syssn"), null, amount, requiredText(currency, "txcurrcd", "currency")).build()
    }
}
