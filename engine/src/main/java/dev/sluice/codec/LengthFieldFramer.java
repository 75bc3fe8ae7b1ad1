package dev.sluice.codec;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Splits a byte stream into frames, each a 4-byte big-endian length followed by that many bytes of
 * payload. The length counts the payload only, not the header. Lengths with the top bit set are
 * malformed, so a payload is at most {@link Integer#MAX_VALUE} bytes (and at most the framer's
 * limit).
 *
 * <p>Frames and headers may arrive split across any number of reads, and one read may hold many
 * frames. A payload that lies whole inside {@code src} is handed to the sink as a read-only view of
 * {@code src}, without copying. A header split across reads is held in an {@code int}, not a buffer.
 * Only a payload that spans reads is copied, into a buffer of exactly its length, allocated when
 * its first byte arrives (the limit is checked before that) and released as soon as it is
 * delivered: an idle connection holds no buffer.
 *
 * <p>Allocation: none per frame in steady state, provided the caller passes the same {@code src}
 * buffer on each call (the usual single read buffer); the framer keeps one view of the last
 * {@code src} it saw and makes a new one only when {@code src} changes.
 *
 * <p>Thread: any (instances are not thread-safe; use one per connection).
 */
public final class LengthFieldFramer {

    /** Length of the header that precedes every payload. */
    public static final int HEADER_BYTES = 4;

    /** {@link #payloadBytes} while the next header is still being read. */
    private static final int READING_HEADER = -1;

    private final int maxFrameBytes;

    /** The header bytes seen so far, shifted in big-endian order. */
    private int header;
    private int headerBytesRead;

    /** Length of the payload being read, or {@link #READING_HEADER}. */
    private int payloadBytes = READING_HEADER;

    /** Bytes of a payload that spans reads, in write mode; null while none. */
    private ByteBuffer partial;

    /** Where payloads that lie whole inside {@code src} are shown to the sink. */
    private final SrcView srcView = new SrcView();

    private boolean failed;

    /**
     * Creates a framer that holds no buffer until a payload spans reads.
     *
     * <p>Thread: any.
     *
     * @param maxFrameBytes the longest payload accepted, in bytes, not counting the header
     * @throws IllegalArgumentException if {@code maxFrameBytes} is negative
     */
    public LengthFieldFramer(int maxFrameBytes) {
        if (maxFrameBytes < 0) {
            throw new IllegalArgumentException("maxFrameBytes must not be negative: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Decodes as many complete frames from {@code src} as possible, calling
     * {@code sink.onFrame(payload)} for each. The payload buffer is a read-only view valid only
     * during the call, without the header. Consumes all of {@code src}: on return its position
     * equals its limit, and the bytes of an incomplete last frame are held by the framer.
     *
     * <p>Thread: any (instances are not thread-safe; use one per connection). Must not be called
     * from inside the sink.
     *
     * @param src bytes read from the stream, from position to limit; its byte order is irrelevant
     * @param sink receives each complete frame's payload
     * @throws FrameTooLongException as soon as a header announces more than {@code maxFrameBytes},
     *     before any of that payload is buffered
     * @throws MalformedFrameException if a header has its top bit set (a negative length)
     * @throws IllegalStateException if an earlier call threw a {@link FrameException}
     */
    public void decode(ByteBuffer src, FrameSink sink) throws FrameException {
        if (failed) {
            throw new IllegalStateException("framer is unusable after a FrameException");
        }
        try {
            decodeFrames(src, sink);
        } catch (FrameException e) {
            // The stream has no markers to resynchronise on after a bad header.
            failed = true;
            releaseBuffers();
            throw e;
        }
    }

    /**
     * Returns how many bytes of an incomplete frame the framer holds, header bytes included.
     *
     * <p>Thread: any (instances are not thread-safe; use one per connection).
     *
     * @return bytes held, from 0 to {@code HEADER_BYTES + maxFrameBytes - 1}
     */
    public int bufferedBytes() {
        if (payloadBytes == READING_HEADER) {
            return headerBytesRead;
        }
        return HEADER_BYTES + (partial == null ? 0 : partial.position());
    }

    /**
     * Drops any incomplete frame and releases the framer's buffers. It does not make a framer that
     * threw a {@link FrameException} usable again.
     *
     * <p>Thread: any (instances are not thread-safe; use one per connection).
     */
    public void reset() {
        releaseBuffers();
    }

    /**
     * Returns a new buffer holding {@code payload}'s remaining bytes preceded by their header,
     * ready to read (position 0). Does not move {@code payload}'s position.
     *
     * <p>Thread: any.
     *
     * @param payload the bytes to frame, from position to limit
     * @return a new heap buffer of {@code HEADER_BYTES + payload.remaining()} bytes
     * @throws IllegalArgumentException if the payload is too long to fit in one buffer with its
     *     header
     */
    public static ByteBuffer encode(ByteBuffer payload) {
        int payloadBytes = payload.remaining();
        if (payloadBytes > Integer.MAX_VALUE - HEADER_BYTES) {
            throw new IllegalArgumentException("payload of " + payloadBytes
                    + " bytes is too long to fit in one buffer with its header");
        }
        ByteBuffer frame = ByteBuffer.allocate(HEADER_BYTES + payloadBytes);
        writeHeader(frame, payloadBytes);
        frame.put(HEADER_BYTES, payload, payload.position(), payloadBytes);
        return frame.clear();
    }

    /**
     * Writes the 4-byte big-endian header for a payload of {@code length} bytes at {@code dst}'s
     * position and advances it by {@link #HEADER_BYTES}, whatever {@code dst}'s byte order.
     *
     * <p>Thread: any.
     *
     * @param dst where to write the header
     * @param length the payload's length in bytes, not counting the header
     * @throws IllegalArgumentException if {@code length} is negative
     * @throws BufferOverflowException if {@code dst} has fewer than 4 bytes remaining
     * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only
     */
    public static void writeHeader(ByteBuffer dst, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("frame length must not be negative: " + length);
        }
        // Byte by byte, so that a little-endian dst still gets a big-endian header.
        if (dst.remaining() < HEADER_BYTES) {
            throw new BufferOverflowException();
        }
        dst.put((byte) (length >>> 24));
        dst.put((byte) (length >>> 16));
        dst.put((byte) (length >>> 8));
        dst.put((byte) length);
    }

    /** Capacity of the buffer held for an incomplete payload, or 0 if none; for tests. */
    int retainedBufferBytes() {
        return partial == null ? 0 : partial.capacity();
    }

    private void decodeFrames(ByteBuffer src, FrameSink sink) throws FrameException {
        while (true) {
            if (payloadBytes == READING_HEADER && !readHeader(src)) {
                return;
            }
            if (partial == null && src.remaining() >= payloadBytes) {
                int start = src.position();
                int end = start + payloadBytes;
                src.position(end);
                payloadBytes = READING_HEADER;
                sink.onFrame(srcView.of(src, start, end));
                continue;
            }
            if (!src.hasRemaining()) {
                // Only the header has arrived: wait for payload bytes before allocating for them.
                return;
            }
            if (partial == null) {
                partial = ByteBuffer.allocate(payloadBytes);
            }
            int bytes = Math.min(src.remaining(), partial.remaining());
            int position = partial.position();
            partial.put(position, src, src.position(), bytes);
            partial.position(position + bytes);
            src.position(src.position() + bytes);
            if (partial.hasRemaining()) {
                return;
            }
            ByteBuffer payload = partial.flip().asReadOnlyBuffer();
            partial = null;
            payloadBytes = READING_HEADER;
            sink.onFrame(payload);
        }
    }

    /**
     * Reads header bytes from {@code src} and, once all four are in, checks the length and sets
     * {@link #payloadBytes}.
     *
     * @return true if a whole header has been read
     */
    private boolean readHeader(ByteBuffer src) throws FrameException {
        // Byte by byte rather than src.getInt(): a header may be split across reads, and getInt
        // would follow src's byte order, which the caller may have set to little-endian.
        while (headerBytesRead < HEADER_BYTES && src.hasRemaining()) {
            header = (header << 8) | (src.get() & 0xFF);
            headerBytesRead++;
        }
        if (headerBytesRead < HEADER_BYTES) {
            return false;
        }
        int length = header;
        header = 0;
        headerBytesRead = 0;
        if (length < 0) {
            throw new MalformedFrameException(String.format(
                    "frame header 0x%08X has its top bit set; lengths above %d bytes are not supported",
                    length, Integer.MAX_VALUE));
        }
        if (length > maxFrameBytes) {
            throw new FrameTooLongException("frame of " + length + " bytes is longer than "
                    + maxFrameBytes + " bytes", maxFrameBytes, length);
        }
        payloadBytes = length;
        return true;
    }

    private void releaseBuffers() {
        header = 0;
        headerBytesRead = 0;
        payloadBytes = READING_HEADER;
        partial = null;
        srcView.release();
    }
}
