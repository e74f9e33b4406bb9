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
        val sig = text(signature, "signature") ?: ""
        val key = requiredText(clientKey, "clientKey")
        return Notification.of(Jni.outcome(Jni.notification(body, sig.toByteArray(Charsets.UTF_8), key.toByteArray(Charsets.UTF_8))))
    }

    /**
     * Parses a body without checking its signature (logging, tests).
     * @throws DecodeException the body is not a notification
     */
    @JvmStatic
    fun parse(rawBody: ByteArray?): Notification =
        Notification.of(Jni.outcome(Jni.notification(required(rawBody, "rawBody"), null, null)))

    /** The signature QFPay would send for [rawBody] under [clientKey] (for tests). */
    @JvmStatic
    fun signature(rawBody: ByteArray?, clientKey: String?): String =
        ffi { com.qfpay.ffi.notificationSignature(required(rawBody, "rawBody"), requiredText(clientKey, "clientKey")) }
}

/** Request signing, exactly as the client signs. */
object Signing {
    /**
     * [params] with every name and value checked as text: a null map, a null or non-String name
     * or value, or one that is not valid UTF-16 is a [ValidationException] naming the parameter
     * (its name: QFPay's field name) or `params`.
     */
    private fun params(params: Map<String, String>?): Map<String, String> {
        val p = required(params, "params")
        for ((k, v) in p as Map<*, *>) {
            val name = (k as? String)?.takeIf { loneSurrogate(it) < 0 }
            if (name == null) {
                val why = if (k == null) "holds a null name" else if (k !is String) "holds a name that is not a String" else "holds a name that is not valid UTF-16 text (a lone surrogate)"
                throw invalidArgument("params", why)
            }
            if (v == null) throw invalidArgument(name, "params[\"$name\"] is required (got null)")
            if (v !is String) throw invalidArgument(name, "params[\"$name\"] must be a String")
            text(v, name, "params[\"$name\"]")
        }
        return p
    }

    /** The `X-QF-SIGN` of [params] under [key] (uppercase hex). */
    @JvmStatic
    fun sign(params: Map<String, String>?, key: String?, signType: SignType?): String {
        val p = params(params)
        val k = requiredText(key, "key")
        val st = required(signType, "signType")
        // One JNI crossing with one buffer; anything unusual (a NUL, a null entry) takes uniffi's path.
        Jni.signBuffer(k, p)?.let { b -> Jni.sign(b, st.ordinal)?.let { return it } }
        return ffi { com.qfpay.ffi.sign(p, k, st.wire) }
    }

    /** The string that is signed (without the key): non-empty params sorted by name. */
    @JvmStatic
    fun stringToSign(params: Map<String, String>?): String {
        val p = params(params)
        Jni.signBuffer("", p)?.let { b -> Jni.sign(b, -1)?.let { return it } }
        return ffi { com.qfpay.ffi.stringToSign(p) }
    }
}
