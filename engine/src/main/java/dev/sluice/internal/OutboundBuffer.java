package dev.sluice.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;

/**
 * A connection's pending output: buffers in write order, each either handed over by the caller or a
 * pooled chunk that {@link #copyIn} filled. Written with one gathering write
 * ({@code writev(2)}) of everything queued, up to {@link #MAX_GATHER} buffers at a time.
 *
 * <p>The queue is a flat array with a head index, compacted in place, so queuing and writing allocate
 * nothing once it has grown to its working size.
 *
 * <p>Thread: loop only.
 */
public final class OutboundBuffer {
    /** Linux's IOV_MAX; the JDK caps a gathering write at it anyway. */
    static final int MAX_GATHER = 1024;

    private static final ByteBuffer[] NO_BUFFERS = {};
    private static final boolean[] NO_FLAGS = {};

    /** Empty until the first write: an idle connection pays for no queue. */
    private ByteBuffer[] bufs = NO_BUFFERS;
    private boolean[] pooled = NO_FLAGS;
    private int head;
    private int tail;
    private long pendingBytes;

    /** @return bytes queued and not yet written */
    public long pendingBytes() {
        return pendingBytes;
    }

    /** @return whether nothing is queued */
    public boolean isEmpty() {
        return head == tail;
    }

    /**
     * Queues a caller-owned buffer.
     *
     * @param buffer the buffer, in read mode
     */
    public void add(ByteBuffer buffer) {
        push(buffer, false);
        pendingBytes += buffer.remaining();
    }

    /**
     * Copies {@code src}'s remaining bytes into pooled chunks, filling the last queued chunk first.
     *
     * @param src  the bytes; its position moves to its limit
     * @param pool where chunks come from
     */
    public void copyIn(ByteBuffer src, BufferPool pool) {
        int n = src.remaining();
        pendingBytes += n;
        while (src.hasRemaining()) {
            ByteBuffer last = tail > head && pooled[tail - 1] ? bufs[tail - 1] : null;
            if (last == null || last.limit() == last.capacity()) {
                last = pool.acquire();
                last.limit(0);
                push(last, true);
            }
            int at = last.limit();
            int len = Math.min(last.capacity() - at, src.remaining());
            last.limit(at + len);
            last.put(at, src, src.position(), len);
            src.position(src.position() + len);
        }
    }

    /**
     * One gathering write of up to {@link #MAX_GATHER} queued buffers. Fully written buffers leave the
     * queue; pooled ones go back to the pool.
     *
     * @param channel the channel
     * @param pool    where pooled chunks return
     * @return bytes written, and whether the socket took everything offered: see {@link #lastWriteWasPartial()}
     * @throws IOException from the channel
     */
    public long writeTo(GatheringByteChannel channel, BufferPool pool) throws IOException {
        int count = Math.min(tail - head, MAX_GATHER);
        long offered = 0;
        for (int i = head; i < head + count; i++) {
            offered += bufs[i].remaining();
        }
        long written = count == 1 ? channel.write(bufs[head]) : channel.write(bufs, head, count);
        partial = written < offered;
        pendingBytes -= written;
        while (head < tail && !bufs[head].hasRemaining()) {
            if (pooled[head]) {
                pool.release(bufs[head]);
            }
            bufs[head] = null;
            head++;
        }
        if (head == tail) {
            head = 0;
            tail = 0;
        }
        return written;
    }

    private boolean partial;

    /** @return whether the last {@link #writeTo} wrote less than it offered (the socket was full) */
    public boolean lastWriteWasPartial() {
        return partial;
    }

    /**
     * Drops everything queued, returning pooled chunks.
     *
     * @param pool where pooled chunks return
     * @return the bytes dropped
     */
    public long clear(BufferPool pool) {
        long dropped = pendingBytes;
        for (int i = head; i < tail; i++) {
            if (pooled[i]) {
                pool.release(bufs[i]);
            }
            bufs[i] = null;
        }
        head = 0;
        tail = 0;
        pendingBytes = 0;
        return dropped;
    }

    private void push(ByteBuffer b, boolean isPooled) {
        if (tail == bufs.length) {
            if (head > 0) {
                int n = tail - head;
                System.arraycopy(bufs, head, bufs, 0, n);
                System.arraycopy(pooled, head, pooled, 0, n);
                Arrays.fill(bufs, n, tail, null);
                tail = n;
                head = 0;
            }
            if (tail == bufs.length) {
                int size = Math.max(8, bufs.length * 2);
                bufs = Arrays.copyOf(bufs, size);
                pooled = Arrays.copyOf(pooled, size);
            }
        }
        bufs[tail] = b;
        pooled[tail] = isPooled;
        tail++;
    }
}
