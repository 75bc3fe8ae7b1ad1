package dev.sluice.internal;

import java.nio.ByteBuffer;

/**
 * A connection's unconsumed input: the bytes its handler left in {@code onData}, kept in a pooled chunk
 * (grown up to the input cap if a frame needs more) and handed back, followed by newer bytes, on the
 * next call. Empty means no buffer at all: an idle connection holds none.
 *
 * <p>The buffer is kept in read mode (position..limit = the held bytes) between calls. The loop's
 * buffered-input gauge is updated here, so it always equals what connections hold.
 *
 * <p>Thread: loop only.
 */
final class InboundBuffer {
    private final SocketConnection c; // the pool, counters and cap through it: 8 bytes less per connection
    private ByteBuffer buf;
    private int counted;

    InboundBuffer(SocketConnection c) {
        this.c = c;
    }

    /** @return the held bytes in read mode, or {@code null} when nothing is held */
    ByteBuffer buffer() {
        return buf;
    }

    /** @return whether bytes are held */
    boolean holdsBytes() {
        return buf != null && buf.hasRemaining();
    }

    /** @return the cap, for error messages */
    int maxBytes() {
        return c.config().maxInputBufferBytes();
    }

    /**
     * Keeps what the handler left unconsumed in {@code src} (the loop's shared read buffer, about to be
     * reused).
     *
     * @param src the bytes left, in read mode; drained by this call
     * @return {@code false}, keeping nothing, when they exceed the cap
     */
    boolean keep(ByteBuffer src) {
        int n = src.remaining();
        if (n > maxBytes()) {
            return false;
        }
        BufferPool pool = c.eventLoop().pool;
        buf = n <= pool.chunkBytes() ? pool.acquire()
                : ByteBuffer.allocate(Math.min(maxBytes(), Math.max(n, 2 * pool.chunkBytes())));
        buf.put(src).flip();
        recount();
        return true;
    }

    /**
     * Turns the held bytes into write mode with room after them, growing the buffer (on the heap: see
     * {@link BufferPool}) if it is full; call {@link #afterRead()} once the read is done.
     *
     * @return {@code false} when the buffer is full at the cap: the handler is not consuming
     */
    boolean prepareRead() {
        if (buf.remaining() == buf.capacity()) {
            if (buf.capacity() >= maxBytes()) {
                return false;
            }
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(maxBytes(), 2L * buf.capacity()));
            bigger.put(buf).flip();
            c.eventLoop().pool.release(buf);
            buf = bigger;
        }
        buf.compact();
        return true;
    }

    /** Back to read mode after a read into {@link #buffer()}. */
    void afterRead() {
        buf.flip();
    }

    /** After the handler consumed from {@link #buffer()}: release it if drained, else recount. */
    void afterDelivery() {
        if (buf.hasRemaining()) {
            recount();
        } else {
            release();
        }
    }

    /** Drops whatever is held and returns the buffer to the pool. */
    void release() {
        if (buf != null) {
            c.eventLoop().pool.release(buf);
            buf = null;
            recount();
        }
    }

    private void recount() {
        int now = buf == null ? 0 : buf.remaining();
        c.eventLoop().counters.add(Counters.BUFFERED_INPUT_BYTES, now - counted);
        counted = now;
    }
}
