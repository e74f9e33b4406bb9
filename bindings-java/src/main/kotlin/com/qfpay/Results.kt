package com.qfpay

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
