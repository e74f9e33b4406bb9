package com.qfpay

/** Asynchronous notification verification. */
object Notifications {
    /**
     * Verifies the `X-QF-SIGN` header [signature] against the exact raw request body and parses it.
     * A null or empty [signature] (a missing header) is a [SignatureException], like a wrong one.
     * @throws SignatureException missing, empty or wrong signature (or key)
     * @throws DecodeException the body is not a notification
     * @throws ConfigException an empty client key
     */
    @JvmStatic
    fun verify(rawBody: ByteArray?, signature: String?, clientKey: String?): Notification {
        val body = required(rawBody, "rawBody")
        val key = required(clientKey, "clientKey")
        return Notification.of(Jni.notification(Jni.verifyNotification(body, Jni.utf8(signature ?: ""), Jni.utf8(key))))
    }

    /**
     * Parses a body without checking its signature (logging, tests).
     * @throws DecodeException the body is not a notification
     */
    @JvmStatic
    fun parse(rawBody: ByteArray?): Notification =
        Notification.of(Jni.notification(Jni.parseNotification(required(rawBody, "rawBody"))))

    /** The signature QFPay would send for [rawBody] under [clientKey] (for tests). */
    @JvmStatic
    fun signature(rawBody: ByteArray?, clientKey: String?): String =
        ffi { com.qfpay.ffi.notificationSignature(required(rawBody, "rawBody"), required(clientKey, "clientKey")) }
}

/** Request signing, exactly as the client signs. */
object Signing {
    /** The `X-QF-SIGN` of [params] under [key] (uppercase hex). */
    @JvmStatic
    fun sign(params: Map<String, String>?, key: String?, signType: SignType?): String {
        val p = required(params, "params")
        val k = required(key, "key")
        val st = required(signType, "signType")
        // One JNI crossing with one buffer; anything unusual (a NUL, a null entry) takes uniffi's path.
        Jni.signBuffer(k, p)?.let { b -> Jni.sign(b, st.ordinal)?.let { return it } }
        return ffi { com.qfpay.ffi.sign(p, k, st.wire) }
    }

    /** The string that is signed (without the key): non-empty params sorted by name. */
    @JvmStatic
    fun stringToSign(params: Map<String, String>?): String {
        val p = required(params, "params")
        Jni.signBuffer("", p)?.let { b -> Jni.stringToSign(b)?.let { return it } }
        return ffi { com.qfpay.ffi.stringToSign(p) }
    }
}

/** QR code rendering for `payment.qrcode`. */
object Qr {
    /** An SVG image (at least 256 px). */
    @JvmStatic
    fun svg(content: String?): String = ffi { com.qfpay.ffi.qrSvg(required(content, "content")) }

    /** A PNG image, [scale] pixels per module. */
    @JvmStatic
    @JvmOverloads
    fun png(content: String?, scale: Int = 8): ByteArray = ffi { com.qfpay.ffi.qrPng(required(content, "content"), scale) }

    /** A `data:image/png;base64,...` URL. */
    @JvmStatic
    fun dataUrl(content: String?): String = ffi { com.qfpay.ffi.qrDataUrl(required(content, "content")) }

    /** Unicode blocks for a terminal. */
    @JvmStatic
    fun terminal(content: String?): String = ffi { com.qfpay.ffi.qrTerminal(required(content, "content")) }
}
