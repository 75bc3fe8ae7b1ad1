package dev.sluice.codec;

import java.nio.ByteBuffer;

/**
 * Splits a byte stream into lines ending in {@code \n}; a {@code \r} just before the {@code \n} is
 * stripped too. A lone {@code \r} elsewhere is part of the line.
 *
 * <p>Lines may arrive split across any number of reads, and one read may hold many lines. A line
 * that lies whole inside {@code src} is handed to the sink as a read-only view of {@code src},
 * without copying. Only a line that spans reads is copied, into a buffer that grows lazily up to
 * {@code maxLineBytes} and is released as soon as that line is delivered: an idle connection holds
 * no buffer, at the cost of one buffer (and one view of it) per line that spans reads. With a
 * typical 64 KiB read buffer those are the few lines cut by a read boundary.
 *
 * <p>Allocation: none per line in steady state, provided the caller passes the same {@code src}
 * buffer on each call (the usual single read buffer); the framer keeps one view of the last
 * {@code src} it saw and makes a new one only when {@code src} changes.
 *
 * <p>Thread: any (instances are not thread-safe; use one per connection).
 */
public final class LineFramer {

    /** First size of the buffer for a line that spans reads; it doubles from there. */
    private static final int INITIAL_BUFFER_BYTES = 256;

    private final int maxLineBytes;

    /** Bytes of an incomplete line, in write mode (position = bytes held); null while none. */
    private ByteBuffer partial;

    /**
     * True when the last byte seen was a {@code \r} that may be the start of a {@code \r\n}. It is
     * held as this flag, not in {@link #partial}, so that a line of exactly {@code maxLineBytes}
     * whose {@code \r} and {@code \n} arrive in different reads fits in {@code maxLineBytes}.
     */
    private boolean pendingCr;

    /** Where lines that lie whole inside {@code src} are shown to the sink. */
    private final SrcView srcView = new SrcView();

    private boolean failed;

    /**
     * Creates a framer that holds no buffer until a line spans reads.
     *
     * <p>Thread: any.
     *
     * @param maxLineBytes the longest line accepted, in bytes, not counting its terminator
     * @throws IllegalArgumentException if {@code maxLineBytes} is not positive
     */
    public LineFramer(int maxLineBytes) {
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Decodes as many complete lines from {@code src} as possible, calling
     * {@code sink.onFrame(line)} for each. The line buffer is a read-only view valid only during the
     * call, without the terminator. Consumes all of {@code src}: on return its position equals its
     * limit, and the bytes of an incomplete last line are copied into the framer's own buffer.
     *
     * <p>Thread: any (instances are not thread-safe; use one per connection). Must not be called
     * from inside the sink.
     *
     * @param src bytes read from the stream, from position to limit; its byte order is irrelevant
     * @param sink receives each complete line
     * @throws FrameTooLongException once a line exceeds {@code maxLineBytes} without a terminator;
     *     lines before it have been delivered, the position of {@code src} is unspecified, and the
     *     framer is unusable from then on
     * @throws IllegalStateException if an earlier call threw {@link FrameTooLongException}
     */
    public void decode(ByteBuffer src, FrameSink sink) throws FrameTooLongException {
        if (failed) {
            throw new IllegalStateException("framer is unusable after a FrameTooLongException");
        }
        try {
            decodeLines(src, sink);
        } catch (FrameTooLongException e) {
            failed = true;
            releaseBuffers();
            throw e;
        }
    }

    /**
     * Returns how many bytes of an incomplete line the framer holds, including a trailing
     * {@code \r} whose {@code \n} has not arrived yet.
     *
     * <p>Thread: any (instances are not thread-safe; use one per connection).
     *
     * @return bytes held, from 0 to {@code maxLineBytes + 1}
     */
    public int bufferedBytes() {
        return partialBytes() + (pendingCr ? 1 : 0);
    }

    /**
     * Drops any incomplete line and releases the framer's buffers. It does not make a framer that
     * threw {@link FrameTooLongException} usable again.
     *
     * <p>Thread: any (instances are not thread-safe; use one per connection).
     */
    public void reset() {
        releaseBuffers();
    }

    /** Capacity of the buffer held for an incomplete line, or 0 if none; for tests. */
    int retainedBufferBytes() {
        return partial == null ? 0 : partial.capacity();
    }

    private void decodeLines(ByteBuffer src, FrameSink sink) throws FrameTooLongException {
        while (src.hasRemaining()) {
            int start = src.position();
            if (pendingCr) {
                pendingCr = false;
                if (src.get(start) == '\n') {
                    src.position(start + 1);
                    deliverPartial(src, sink);
                    continue;
                }
                appendToPartial((byte) '\r');
            }
            int limit = src.limit();
            int allowanceBytes = maxLineBytes - partialBytes();
            // Within allowance + 2 bytes a line still in bounds must show its '\n' (at most
            // allowance content bytes, then "\r\n"), so scanning further would only waste time on
            // a line that is too long anyway.
            int scanEnd = (int) Math.min(limit, (long) start + allowanceBytes + 2);
            int newline = indexOfNewline(src, start, scanEnd);
            if (newline < 0) {
                if (scanEnd < limit) {
                    throw tooLongWithoutTerminator();
                }
                holdIncompleteLine(src, start, limit, allowanceBytes);
                return;
            }
            int end = newline > start && src.get(newline - 1) == '\r' ? newline - 1 : newline;
            int lineBytes = end - start;
            if (lineBytes > allowanceBytes) {
                long observedBytes = (long) partialBytes() + lineBytes;
                throw new FrameTooLongException("line of " + observedBytes + " bytes is longer than "
                        + maxLineBytes + " bytes", maxLineBytes, observedBytes);
            }
            src.position(newline + 1);
            if (partial == null) {
                sink.onFrame(srcView.of(src, start, end));
            } else {
                appendToPartial(src, start, end);
                deliverPartial(src, sink);
            }
        }
    }

    private void holdIncompleteLine(ByteBuffer src, int start, int limit, int allowanceBytes)
            throws FrameTooLongException {
        int end = limit;
        if (src.get(limit - 1) == '\r') {
            pendingCr = true;
            end--;
        }
        if (end - start > allowanceBytes) {
            throw tooLongWithoutTerminator();
        }
        appendToPartial(src, start, end);
        src.position(limit);
    }

    /** Hands over the line held in {@link #partial}, which the sink's view keeps alive. */
    private void deliverPartial(ByteBuffer src, FrameSink sink) {
        ByteBuffer line;
        if (partial == null) {
            // Only "\r" was held and this read began with '\n': an empty line.
            int position = src.position();
            line = srcView.of(src, position, position);
        } else {
            line = partial.flip().asReadOnlyBuffer();
            partial = null;
        }
        sink.onFrame(line);
    }

    private void appendToPartial(ByteBuffer src, int start, int end) {
        int bytes = end - start;
        if (bytes == 0) {
            return;
        }
        ensurePartialCapacity(partialBytes() + bytes);
        int position = partial.position();
        partial.put(position, src, start, bytes);
        partial.position(position + bytes);
    }

    private void appendToPartial(byte b) throws FrameTooLongException {
        if (partialBytes() == maxLineBytes) {
            throw tooLongWithoutTerminator();
        }
        ensurePartialCapacity(partialBytes() + 1);
        partial.put(b);
    }

    private void ensurePartialCapacity(int neededBytes) {
        if (partial == null) {
            partial = ByteBuffer.allocate(Math.min(maxLineBytes, Math.max(neededBytes, INITIAL_BUFFER_BYTES)));
        } else if (partial.capacity() < neededBytes) {
            int capacity = (int) Math.min(maxLineBytes, Math.max(neededBytes, 2L * partial.capacity()));
            ByteBuffer grown = ByteBuffer.allocate(capacity);
            grown.put(partial.flip());
            partial = grown;
        }
    }

    private int partialBytes() {
        return partial == null ? 0 : partial.position();
    }

    private FrameTooLongException tooLongWithoutTerminator() {
        return new FrameTooLongException(
                "line longer than " + maxLineBytes + " bytes without a terminator", maxLineBytes, -1);
    }

    private void releaseBuffers() {
        partial = null;
        pendingCr = false;
        srcView.release();
    }

    private static int indexOfNewline(ByteBuffer src, int start, int end) {
        for (int i = start; i < end; i++) {
            if (src.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }
}
