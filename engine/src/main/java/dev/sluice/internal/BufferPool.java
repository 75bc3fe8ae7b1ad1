package dev.sluice.internal;

import java.nio.ByteBuffer;

/**
 * Fixed-size direct buffers kept for reuse by one loop: unconsumed input and copied output live in them
 * while they are needed and go back here when drained, so an idle connection holds no buffer and a busy
 * one allocates nothing in steady state. Direct, because the kernel reads and writes them without the
 * JDK's extra copy through a temporary direct buffer.
 *
 * <p>Thread: loop only.
 */
public final class BufferPool {
    private final int chunkBytes;
    private final ByteBuffer[] free;
    private int count;

    /**
     * @param chunkBytes size of each buffer
     * @param maxPooled  buffers kept; beyond that, released buffers are left to the garbage collector
     */
    public BufferPool(int chunkBytes, int maxPooled) {
        this.chunkBytes = chunkBytes;
        this.free = new ByteBuffer[maxPooled];
    }

    /**
     * A cleared buffer of {@link #chunkBytes()}.
     *
     * @return the buffer
     */
    public ByteBuffer acquire() {
        if (count > 0) {
            ByteBuffer b = free[--count];
            free[count] = null;
            return b;
        }
        return ByteBuffer.allocateDirect(chunkBytes);
    }

    /**
     * Returns a buffer; buffers of another size are dropped.
     *
     * @param buffer the buffer
     */
    public void release(ByteBuffer buffer) {
        if (buffer.capacity() == chunkBytes && count < free.length) {
            buffer.clear();
            free[count++] = buffer;
        }
    }

    /** @return the size of each buffer */
    public int chunkBytes() {
        return chunkBytes;
    }

    /** @return buffers waiting for reuse */
    public int pooled() {
        return count;
    }
}
