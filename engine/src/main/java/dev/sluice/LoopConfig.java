package dev.sluice;

/**
 * Loop-wide settings.
 *
 * <p>Thread: any (immutable).
 *
 * @param name            the loop thread's name
 * @param clock           the nanosecond clock deadlines are measured on
 * @param readBufferBytes size of the one direct read buffer the loop shares between connections
 * @param chunkBytes      size of the pooled buffers that hold unconsumed input and copied output
 * @param maxPooledChunks chunks kept for reuse; more are left to the garbage collector
 * @param taskBatch       queued tasks run per iteration before the loop returns to I/O
 * @param maxSelectWaitNs longest the loop sleeps in {@code select} when no deadline is nearer
 * @param errorHandler    hears about errors the loop survived
 * @param spinSelects     non-blocking {@code selectNow} calls to try before parking in a blocking
 *                        {@code select} (0 = park at once); trades a busy core for the wake-up latency of
 *                        a blocked thread
 */
public record LoopConfig(
        String name,
        NanoClock clock,
        int readBufferBytes,
        int chunkBytes,
        int maxPooledChunks,
        int taskBatch,
        long maxSelectWaitNs,
        LoopErrorHandler errorHandler,
        int spinSelects) {

    /**
     * Validates every field.
     *
     * @param name see the record description
     * @param clock see the record description
     * @param readBufferBytes see the record description
     * @param chunkBytes see the record description
     * @param maxPooledChunks see the record description
     * @param taskBatch see the record description
     * @param maxSelectWaitNs see the record description
     * @param errorHandler see the record description
     * @param spinSelects see the record description
     * @throws IllegalArgumentException naming the value out of range
     */
    public LoopConfig {
        if (name == null || clock == null || errorHandler == null) {
            throw new IllegalArgumentException("name, clock and errorHandler are required");
        }
        if (readBufferBytes <= 0 || chunkBytes <= 0 || maxPooledChunks < 0 || taskBatch <= 0) {
            throw new IllegalArgumentException("buffer sizes and taskBatch must be > 0");
        }
        if (spinSelects < 0) {
            throw new IllegalArgumentException("spinSelects must be >= 0: " + spinSelects);
        }
        if (maxSelectWaitNs < 1_000_000L) {
            throw new IllegalArgumentException("maxSelectWaitNs must be at least 1 ms: " + maxSelectWaitNs);
        }
    }

    /**
     * Name "sluice-loop", system clock, 64 KiB read buffer, 16 KiB chunks, 1024 pooled chunks,
     * 1024 tasks per iteration, 1 s maximum select wait, errors logged ({@link LoopErrorHandler#LOG}),
     * no spinning.
     *
     * <p>Thread: any.
     *
     * @return the defaults
     */
    public static LoopConfig defaults() {
        return new LoopConfig("sluice-loop", NanoClock.SYSTEM, 64 * 1024, 16 * 1024, 1024, 1024,
                1_000_000_000L, LoopErrorHandler.LOG, 0);
    }

    /**
     * Thread: any.
     *
     * @param threadName the loop thread's name
     * @return a copy with this name
     */
    public LoopConfig withName(String threadName) {
        return new LoopConfig(threadName, clock, readBufferBytes, chunkBytes, maxPooledChunks, taskBatch,
                maxSelectWaitNs, errorHandler, spinSelects);
    }

    /**
     * Thread: any.
     *
     * @param newClock the clock
     * @return a copy with this clock
     */
    public LoopConfig withClock(NanoClock newClock) {
        return new LoopConfig(name, newClock, readBufferBytes, chunkBytes, maxPooledChunks, taskBatch,
                maxSelectWaitNs, errorHandler, spinSelects);
    }

    /**
     * Thread: any.
     *
     * @param handler the error handler
     * @return a copy with this error handler
     */
    public LoopConfig withErrorHandler(LoopErrorHandler handler) {
        return new LoopConfig(name, clock, readBufferBytes, chunkBytes, maxPooledChunks, taskBatch,
                maxSelectWaitNs, handler, spinSelects);
    }

    /**
     * Thread: any.
     *
     * @param nanos longest select sleep
     * @return a copy with this limit
     */
    public LoopConfig withMaxSelectWaitNs(long nanos) {
        return new LoopConfig(name, clock, readBufferBytes, chunkBytes, maxPooledChunks, taskBatch,
                nanos, errorHandler, spinSelects);
    }

    /**
     * Thread: any.
     *
     * @param bytes size of the shared read buffer
     * @return a copy with this read buffer size
     */
    public LoopConfig withReadBufferBytes(int bytes) {
        return new LoopConfig(name, clock, bytes, chunkBytes, maxPooledChunks, taskBatch,
                maxSelectWaitNs, errorHandler, spinSelects);
    }

    /**
     * Thread: any.
     *
     * @param spins {@code selectNow} attempts before a blocking select
     * @return a copy with this spin count
     */
    public LoopConfig withSpinSelects(int spins) {
        return new LoopConfig(name, clock, readBufferBytes, chunkBytes, maxPooledChunks, taskBatch,
                maxSelectWaitNs, errorHandler, spins);
    }
}
