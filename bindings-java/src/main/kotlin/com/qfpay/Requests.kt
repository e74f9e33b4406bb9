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
    val amount: Long get() = ffi.amount
    val currency: String get() = ffi.currency
    val payType: String get() = ffi.payType
    val outTradeNo: String? get() = ffi.outTradeNo

    /** Builder for [PaymentRequest]; every setter accepts null to clear the field. */
    class Builder internal constructor(amount: Long, currency: String, payType: String) {
        private var r = FfiPaymentRequest(
            amount, currency, payType, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null,
        )
        fun amount(amount: Long, currency: String) = apply { r = r.copy(amount = amount, currency = currency) }
        fun payType(v: String) = apply { r = r.copy(payType = v) }
        /** `out_trade_no`; generated when not set. Keep it to query the payment later. */
        fun outTradeNo(v: String?) = apply { r = r.copy(outTradeNo = v) }
        fun txdtm(v: String?) = apply { r = r.copy(txdtm = v) }
        /** `auth_code` of the customer's code (CPM pay types). */
        fun authCode(v: String?) = apply { r = r.copy(authCode = v) }
        /** `expired_time` in minutes (MPM). */
        fun expiredTime(minutes: Int) = apply { r = r.copy(expiredTime = minutes.toLong()) }
        fun goodsName(v: String?) = apply { r = r.copy(goodsName = v) }
        fun goodsInfo(v: String?) = apply { r = r.copy(goodsInfo = v) }
        fun mchid(v: String?) = apply { r = r.copy(mchid = v) }
        fun udid(v: String?) = apply { r = r.copy(udid = v) }
        fun notifyUrl(v: String?) = apply { r = r.copy(notifyUrl = v) }
        fun returnUrl(v: String?) = apply { r = r.copy(returnUrl = v) }
        fun rmbTag(v: String?) = apply { r = r.copy(rmbTag = v) }
        /** `extend_info` for WeChat real-name verification. */
        fun realName(userCreid: String?, userTruename: String?) =
            apply { r = r.copy(userCreid = userCreid, userTruename = userTruename) }
        /** `extend_info` as a JSON object, sent exactly as given. */
        fun extendInfoJson(v: String?) = apply { r = r.copy(extendInfoJson = v) }
        fun limitPay(v: String?) = apply { r = r.copy(limitPay = v) }
        fun payTag(v: String?) = apply { r = r.copy(payTag = v) }
        fun subOpenid(v: String?) = apply { r = r.copy(subOpenid = v) }
        fun build() = PaymentRequest(r)
    }

    companion object {
        /** A payment of [amount] minor units of [currency] with any `pay_type`. */
        @JvmStatic
        fun builder(amount: Long, currency: String, payType: String) = Builder(amount, currency, payType)

        /** A WeChat Pay QR payment (`pay_type` 800201): show the returned `qrcode`. */
        @JvmStatic
        fun wechatQr(amount: Long, currency: String) = Builder(amount, currency, PayTypes.WECHAT_QR)
    }
}

/** A transaction query; [byOutTradeNo], [bySyssn] or [builder]. */
class QueryRequest private constructor(internal val ffi: FfiQueryRequest) {
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
        fun syssn(vararg v: String) = apply { syssn.addAll(v) }
        fun outTradeNo(vararg v: String) = apply { outTradeNo.addAll(v) }
        fun payType(vararg v: String) = apply { payType.addAll(v) }
        fun respcd(v: String?) = apply { respcd = v }
        /** `start_time` and `end_time` (`yyyy-MM-dd HH:mm:ss`). */
        fun timeRange(start: String?, end: String?) = apply { startTime = start; endTime = end }
        /** `page`, from 1. */
        fun page(v: Int) = apply { page = v.toLong() }
        /** `page_size` (at most 100). */
        fun pageSize(v: Int) = apply { pageSize = v.toLong() }
        fun mchid(v: String?) = apply { mchid = v }
        fun build() = QueryRequest(
            FfiQueryRequest(syssn.toList(), outTradeNo.toList(), payType.toList(), respcd, startTime, endTime, page, pageSize, mchid),
        )
    }

    companion object {
        @JvmStatic fun builder() = Builder()
        @JvmStatic fun byOutTradeNo(outTradeNo: String) = Builder().outTradeNo(outTradeNo).build()
        @JvmStatic fun bySyssn(syssn: String) = Builder().syssn(syssn).build()
    }
}

/** A refund of (part of) the payment `syssn`. */
class RefundRequest private constructor(internal val ffi: FfiRefundRequest) {
    class Builder internal constructor(syssn: String, amount: Long, currency: String) {
        private var r = FfiRefundRequest(syssn, amount, currency, null, null, null, null)
        /** The refund's own `out_trade_no`; generated when not set. */
        fun outTradeNo(v: String?) = apply { r = r.copy(outTradeNo = v) }
        fun txdtm(v: String?) = apply { r = r.copy(txdtm = v) }
        fun mchid(v: String?) = apply { r = r.copy(mchid = v) }
        fun udid(v: String?) = apply { r = r.copy(udid = v) }
        fun build() = RefundRequest(r)
    }

    companion object {
        @JvmStatic fun builder(syssn: String, amount: Long, currency: String) = Builder(syssn, amount, currency)
        @JvmStatic fun of(syssn: String, amount: Long, currency: String) = Builder(syssn, amount, currency).build()
    }
}

/** A close (unpaid order) or reversal (paid order), by `out_trade_no` or `syssn`. */
class CancelRequest private constructor(internal val ffi: FfiCancelRequest) {
    class Builder internal constructor(syssn: String?, outTradeNo: String?, amount: Long, currency: String) {
        private var r = FfiCancelRequest(syssn, outTradeNo, amount, currency, null, null, null)
        fun syssn(v: String?) = apply { r = r.copy(syssn = v) }
        fun outTradeNo(v: String?) = apply { r = r.copy(outTradeNo = v) }
        fun txdtm(v: String?) = apply { r = r.copy(txdtm = v) }
        fun mchid(v: String?) = apply { r = r.copy(mchid = v) }
        fun udid(v: String?) = apply { r = r.copy(udid = v) }
        fun build() = CancelRequest(r)
    }

    companion object {
        @JvmStatic fun builder(amount: Long, currency: String) = Builder(null, null, amount, currency)
        @JvmStatic fun byOutTradeNo(outTradeNo: String, amount: Long, currency: String) =
            Builder(null, outTradeNo, amount, currency).build()
        @JvmStatic fun bySyssn(syssn: String, amount: Long, currency: String) =
            Builder(syssn, null, amount, currency).build()
    }
}
