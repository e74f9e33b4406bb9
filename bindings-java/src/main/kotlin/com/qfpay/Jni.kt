package com.qfpay

import java.io.File
import java.net.JarURLConnection
import java.net.URL
import java.nio.ByteBuffer
import java.nio.file.Files
import java.nio.file.LinkOption
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.nio.file.attribute.PosixFilePermissions

/**
 * The JNI fast path into the native library (`bindings-java/src/jni_path.rs`): the hot calls
 * (signing, notifications, the client, its events, every payment operation as ONE crossing with
 * its request and its outcome as one `byte[]` each, see [Wire]) skip JNA; the rest (the
 * query-pages iterator, the sandbox, QR codes) goes through uniffi's JNA.
 *
 * The library is loaded once, here, before anything else of the binding: from the jar's
 * `linux-x86-64/` resource (unpacked once per user and jar build, see [cached]) with
 * `System.load`, and uniffi's JNA is pointed at the same file
 * (`uniffi.component.qfpay_jvm.libraryOverride`), so the process holds one copy of it.
 */
internal object Jni {
    private const val OVERRIDE = "uniffi.component.qfpay_jvm.libraryOverride"

    /** The file loaded (or the name, when the library came from the system's search path). */
    val library: String = loadLibrary()

    init {
        setup()
    }

    /** Makes sure the native library is loaded (a no-op after the first call). */
    fun load() = Unit

    private fun resourcePrefix(): String {
        val os = System.getProperty("os.name", "").lowercase()
        val arch = System.getProperty("os.arch", "").lowercase()
        return when {
            os.startsWith("linux") && (arch == "amd64" || arch == "x86_64") -> "linux-x86-64"
            os.startsWith("linux") && arch == "aarch64" -> "linux-aarch64"
            else -> com.sun.jna.Platform.RESOURCE_PREFIX
        }
    }

    private fun loadLibrary(): String {
        val override = System.getProperty(OVERRIDE)
        if (override != null) {
            if (File(override).isAbsolute) System.load(override) else System.loadLibrary(override)
            return override
        }
        val name = System.mapLibraryName("qfpay_jvm")
        val url = Jni::class.java.classLoader?.getResource(resourcePrefix() + "/" + name)
        val file: File = when {
            // Not in the jar: wherever JNA's own search finds it (jna.library.path, system paths).
            url == null -> com.sun.jna.NativeLibrary.getInstance("qfpay_jvm").file
            url.protocol == "file" -> File(url.toURI())
            else -> cached(url, name) ?: extract(url, name)
        }
        val path = file.absolutePath
        System.load(path)
        System.setProperty(OVERRIDE, path)
        return path
    }

    /** Where the library is unpacked: `-Djna.tmpdir` (documented for a noexec /tmp), else the JVM's temp dir. */
    private fun tmpDir(): Path = Path.of(System.getProperty("jna.tmpdir") ?: System.getProperty("java.io.tmpdir"))

    /** A copy for this JVM only, deleted at exit. */
    private fun extract(url: URL, name: String): File {
        val tmp = Files.createTempFile(tmpDir(), "qfpay_jvm", name).toFile()
        tmp.deleteOnExit()
        url.openStream().use { Files.copy(it, tmp.toPath(), StandardCopyOption.REPLACE_EXISTING) }
        return tmp
    }

    /**
     * The library unpacked once for every JVM of this user (unpacking the 12 MB library was most
     * of the first call's time): `<tmp>/qfpay-<user>/<crc>-<size>-<name>`, named by the jar
     * entry's CRC-32 and size, in a directory only this user can write (older builds' copies are
     * removed). Null (then [extract]) when the directory cannot be trusted or made, or the CRC is unknown.
     */
    private fun cached(url: URL, name: String): File? = try {
        val entry = (url.openConnection() as? JarURLConnection)?.jarEntry
        val crc = entry?.crc ?: -1L
        val size = entry?.size ?: -1L
        if (crc < 0 || size <= 0) {
            null
        } else {
            val user = StringBuilder().also { b ->
                for (c in System.getProperty("user.name", "user")) b.append(if (c.isLetterOrDigit() || c == '.' || c == '-') c else '_')
            }.toString()
            val ownerOnly = PosixFilePermissions.fromString("rwx------")
            val dir = tmpDir().resolve("qfpay-$user")
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(ownerOnly))
                } catch (_: java.nio.file.FileAlreadyExistsException) {
                    // another JVM made it
                }
            }
            val trusted = Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) &&
                Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).name == System.getProperty("user.name") &&
                Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS) == ownerOnly
            if (!trusted) {
                null
            } else {
                val file = dir.resolve(java.lang.Long.toHexString(crc) + "-" + size + "-" + name)
                val ok = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == size
                if (!ok) {
                    val part = Files.createTempFile(dir, "part", name)
                    try {
                        url.openStream().use { Files.copy(it, part, StandardCopyOption.REPLACE_EXISTING) }
                        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING)
                    } finally {
                        Files.deleteIfExists(part)
                    }
                    // Older builds' copies go (a JVM still running one keeps its mapping on Linux).
                    Files.newDirectoryStream(dir, "*-$name").use { old ->
                        for (f in old) if (f != file) Files.deleteIfExists(f)
                    }
                }
                file.toFile()
            }
        }
    } catch (_: Exception) {
        null
    }

    // ---- native methods (jni_path.rs) ----

    @JvmStatic external fun setup()
    @JvmStatic external fun text(handle: Long, which: Int): String?
    @JvmStatic external fun sign(buffer: ByteArray, signType: Int): String?
    @JvmStatic external fun notification(body: ByteArray, signature: ByteArray?, key: ByteArray?): ByteArray
    @JvmStatic external fun clientNew(config: ByteArray, sink: Any?): ByteArray
    @JvmStatic external fun clientRef(handle: Long, add: Boolean): Long
    @JvmStatic external fun call(handle: Long, op: Int, request: ByteArray): ByteArray
    @JvmStatic external fun callAsync(handle: Long, op: Int, request: ByteArray, done: Any): Long
    @JvmStatic external fun taskFinish(task: Long, cancel: Boolean)

    /** [text] without a client: 4 the core's version, 5 a fresh `out_trade_no`, 6 `QFPAY_LOG`'s warning, 7/8 the sandbox's app code/key, 9 + i `QFPAY_LOG`'s level for target i. */
    fun text(which: Int): String? = text(0, which)

    /**
     * Called by the library with an `...Async` outcome for its [QfPayFuture] (on the runtime
     * thread) or an event for the client's [EventForwarder] (on the thread that made it); never
     * throws: a listener's failure never reaches the payment call or the runtime thread.
     */
    @JvmStatic
    @Suppress("UNCHECKED_CAST")
    fun deliver(target: Any, bytes: ByteArray) {
        try {
            if (target is QfPayFuture<*>) target.deliver(bytes) else (target as EventForwarder).onEvent(Wire.read(ByteBuffer.wrap(bytes)) as Map<String, Any?>)
        } catch (_: Throwable) {
        }
    }

    /** An outcome (`client::outcome`): the result as a generic value, or its exception thrown. */
    fun outcome(bytes: ByteArray): Any? {
        val buf = ByteBuffer.wrap(bytes)
        if (buf.get().toInt() == 0) return Wire.read(buf)
        throw error(buf)
    }

    /** The exception of an error's generic value (`errors.rs`). */
    @Suppress("UNCHECKED_CAST")
    fun error(info: ByteBuffer): QfPayException = toQfPayException(Wire.read(info) as ErrorInfo)

    /**
     * A signing buffer, `key NUL (name NUL value NUL)*`, or null when a name, a value or the
     * key is null or holds a NUL (those take uniffi's path, which reports them as before).
     */
    fun signBuffer(key: String, params: Map<*, *>): ByteArray? {
        if (key.indexOf('\u0000') >= 0) return null
        val sb = StringBuilder(key.length + 24 * params.size + 1)
        sb.append(key).append('\u0000')
        for ((k, v) in params) {
            if (k !is String || v !is String || k.indexOf('\u0000') >= 0 || v.indexOf('\u0000') >= 0) return null
            sb.append(k).append('\u0000').append(v).append('\u0000')
        }
        return sb.toString().toByteArray(Charsets.UTF_8) // valid UTF-16: checked by `Signing`
    }
}

/**
 * The generic value that crosses to and from the native library (`value.rs`): options and
 * arguments by name one way, results (the core's `Serialize` output) the other. Tags: 0 null,
 * 1/2 false/true, 3 long, 4 double, 5 text, 6 list, 7 map; lengths u32, big-endian, UTF-8.
 */
internal object Wire {
    /** [values] one after the other. */
    fun encode(vararg values: Any?): ByteArray {
        val out = Out()
        for (v in values) out.value(v)
        return out.b.array().copyOf(out.b.position())
    }

    /** A growing big-endian buffer. */
    private class Out {
        var b: ByteBuffer = ByteBuffer.allocate(256)

        fun room(n: Int): ByteBuffer {
            if (b.remaining() < n) b = ByteBuffer.allocate(maxOf(b.capacity() * 2, b.position() + n)).put(b.flip())
            return b
        }

        fun text(s: String) {
            val bytes = s.toByteArray(Charsets.UTF_8)
            room(4 + bytes.size).putInt(bytes.size).put(bytes)
        }

        fun value(v: Any?) {
            when (v) {
                null -> room(1).put(0)
                is Boolean -> room(1).put(if (v) 2 else 1)
                is Int, is Long -> room(9).put(3).putLong((v as Number).toLong())
                is Double -> room(9).put(4).putDouble(v)
                is String -> room(1).put(5).also { text(v) }
                is Secret -> value(v.value)
                is List<*> -> room(5).put(6).putInt(v.size).also { v.forEach(::value) }
                is Map<*, *> -> room(5).put(7).putInt(v.size).also { for ((k, x) in v) text(k as String).also { value(x) } }
                else -> throw IllegalArgumentException("no wire form for ${v.javaClass}")
            }
        }
    }

    /** One value: null, Boolean, Long, Double, String, List or Map (in the order sent). */
    fun read(b: ByteBuffer): Any? = when (val tag = b.get().toInt()) {
        0 -> null
        1 -> false
        2 -> true
        3 -> b.getLong()
        4 -> b.getDouble()
        5 -> text(b)
        6 -> List(b.getInt()) { read(b) }
        7 -> {
            val n = b.getInt()
            LinkedHashMap<String, Any?>(n * 2).also { m -> repeat(n) { m[text(b)] = read(b) } }
        }
        else -> throw IllegalStateException("unknown value tag $tag")
    }

    private fun text(b: ByteBuffer): String {
        val n = b.getInt()
        val s = String(b.array(), b.arrayOffset() + b.position(), n, Charsets.UTF_8)
        b.position(b.position() + n)
        return s
    }
}
