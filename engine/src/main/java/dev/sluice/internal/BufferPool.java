package dev.sluice.internal;

import java.nio.ByteBuffer;

/**
 * Fixed-size buffers kept for reuse by one loop: unconsumed input and copied output live in them while
 * they are needed and go back here when drained, so an idle connection holds no buffer and a busy one
 * allocates nothing in steady state.
 *
 * <p>At most {@code maxPooled} of them are direct (the kernel reads and writes those without the JDK's
 * extra copy through a temporary direct buffer), and those are never let go. Past that, chunks are heap
 * buffers, dropped when drained. The reason: a direct buffer handed to the garbage collector frees its
 * native memory only when a collection happens to run, and with a large, quiet heap that can be never,
 * until {@code -XX:MaxDirectMemorySize} is reached and the JDK stalls allocation in {@code System.gc()}.
 * The study's 16 KiB stream at 5,000 connections ran a server past 1 GiB of RSS that way. Heap chunks
 * cost one extra copy on write and are freed by the young collection that follows.
 *
 * <p>Thread: loop only.
 */
public final class BufferPool {
    private final int chunkBytes;
    private final ByteBuffer[] free;
    private int count;
    private int directCreated;

    /**
     * @param chunkBytes size of each buffer
     * @param maxPooled  direct buffers made and kept; beyond that, chunks are heap buffers
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
        if (directCreated < free.length) {
            directCreated++;
            return ByteBuffer.allocateDirect(chunkBytes);
        }
        return ByteBuffer.allocate(chunkBytes);
    }

    /**
     * Returns a buffer. Only this pool's direct chunks are kept (there is always room for them); heap
     * chunks and buffers of another size are dropped.
     *
     * @param buffer the buffer
     */
    public void release(ByteBuffer buffer) {
        if (buffer.isDirect() && buffer.capacity() == chunkBytes && count < free.length) {
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
