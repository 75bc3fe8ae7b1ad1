package dev.sluice.samples.file;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The file-transfer wire format, one file per TCP connection. All integers are big-endian.
 *
 * <pre>
 * sender → receiver
 *   header   magic "SLFT" (4 bytes) | version 1 (1 byte) | name length N (2 bytes, 1..255)
 *            | name (N bytes of UTF-8: a plain file name, see {@link SafeNames})
 *            | size (8 bytes, 0..2^63-1)
 *   body     size bytes: the file's content
 *   trailer  CRC32C of the body (4 bytes; {@link java.util.zip.CRC32C}, the Castagnoli polynomial)
 *
 * receiver → sender, one line, then the receiver closes
 *   "OK &lt;size&gt; &lt;crc32c as 8 hex digits&gt;\n"   the file is complete and in place
 *   "ERR &lt;reason&gt;\n"                               it is not; nothing is left behind
 * </pre>
 *
 * <p>The receiver may answer {@code ERR} as soon as the header arrives (a refused name, an existing
 * file without {@code --force}, no space) and close without reading the body. A sender reports success
 * only on {@code OK}: a connection that ends any other way is a failed transfer on both sides.
 *
 * <p>The CRC is a trailer rather than a header field so that sending can start at once: the sender
 * sends with {@code transferTo} and never sees the bytes, so it computes the CRC by reading the file on
 * a worker thread while the body goes out (the page cache serves that second read), and sends the
 * trailer when both are done. A file that changes during the transfer is then caught as a mismatch.
 *
 * <p>Thread: any (stateless).
 */
public final class TransferProtocol {
    /** "SLFT". */
    static final int MAGIC = 0x534C4654;
    static final byte VERSION = 1;
    /** Magic, version and name length. */
    static final int PREFIX_BYTES = 7;
    /** NAME_MAX on common file systems. */
    static final int MAX_NAME_BYTES = 255;
    static final int SIZE_BYTES = 8;
    static final int TRAILER_BYTES = 4;
    /** The longest reply line the sender accepts. */
    static final int MAX_REPLY_BYTES = 1024;

    private TransferProtocol() {
    }

    /**
     * Encodes a header. The name is not checked for safety here (the receiver does that); only its
     * encoded length is.
     *
     * <p>Thread: any.
     *
     * @param name the file name
     * @param size the body's length
     * @return the header, ready to write
     * @throws IllegalArgumentException when the name is empty or longer than 255 bytes, or the size negative
     */
    public static ByteBuffer encodeHeader(String name, long size) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length == 0 || n.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("a file name must be 1.." + MAX_NAME_BYTES + " bytes of UTF-8, "
                    + "got " + n.length);
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        return ByteBuffer.allocate(PREFIX_BYTES + n.length + SIZE_BYTES)
                .putInt(MAGIC).put(VERSION).putShort((short) n.length).put(n).putLong(size).flip();
    }

    /**
     * Thread: any.
     *
     * @param crc32c the body's CRC32C
     * @return the trailer, ready to write
     */
    public static ByteBuffer encodeTrailer(int crc32c) {
        return ByteBuffer.allocate(TRAILER_BYTES).putInt(crc32c).flip();
    }

    static String okReply(long size, int crc32c) {
        return "OK " + size + " " + hex(crc32c) + "\n";
    }

    static String errReply(String reason) {
        return "ERR " + reason.replace('\n', ' ').replace('\r', ' ') + "\n";
    }

    static String hex(int crc32c) {
        return String.format("%08x", crc32c);
    }
}
