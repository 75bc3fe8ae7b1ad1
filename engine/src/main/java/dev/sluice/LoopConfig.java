package dev.sluice;

import java.time.Duration;

/**
 * Loop-wide settings. Each default below says why it is what it is.
 *
 * <p>Thread: any (immutable).
 *
 * @param name              the loop thread's name
 * @param clock             the nanosecond clock deadlines are measured on
 * @param readBufferBytes   size of the one direct read buffer the loop shares between connections.
 *                          Default 64 KiB: one read takes a whole default read budget, and a UDP
 *                          datagram of up to 64 KiB − 1 byte fits (the endpoint needs one spare byte
 *                          to see truncation)
 * @param chunkBytes        size of the pooled buffers that hold unconsumed input and copied output.
 *                          Default 16 KiB: a TLS record's size, and large enough that a 64 KiB write
 *                          budget is four chunks in one gathering write
 * @param maxPooledChunks   direct chunks made and kept; past that, chunks are heap buffers freed by the
 *                          young collector. Default 1,024 (16 MiB): the study's 16 KiB stream at 5,000
 *                          connections ran a server past 1 GiB of RSS when past-the-pool chunks were
 *                          direct buffers left to the collector (docs/blocking-vs-nonblocking.md)
 * @param taskBatch         queued tasks run per iteration before the loop returns to I/O. Default 1,024:
 *                          a burst of cross-thread writes cannot keep ready sockets waiting for more
 *                          than one batch
 * @param maxSelectWaitNs   longest the loop sleeps in {@code select} when no deadline is nearer. Default
 *                          1 s: an idle loop wakes once a second (ReliabilityIdleSpinTest counts it)
 * @param errorHandler      hears about errors the loop survived
 * @param spinSelects       non-blocking {@code selectNow} calls to try before parking in a blocking
 *                          {@code select} (0 = park at once); trades a busy core for the wake-up latency
 *                          of a blocked thread. Default 0: at one connection, 200 spins raised the
 *                          study's echo rate from 0.89x to par with a blocking thread, at the cost of a
 *                          core kept busy (docs/blocking-vs-nonblocking.md)
 * @param taskQueueCapacity tasks (and writes from other threads) the loop's queue holds before it
 *                          refuses more with {@link java.util.concurrent.RejectedExecutionException}
 *                          (writes return {@code false}); counted in {@link LoopStats#tasksRejected()}.
 *                          Default 65,536: 256 KiB of array per loop, and 64 batches of work queued, far
 *                          more than a loop that keeps up ever holds, yet a bound on one that does not
 * @param stallThresholdNs  an iteration, or one ready key's callbacks, that runs at least this long is
 *                          reported once through the error handler as a {@link LoopStallException} and
 *                          counted in {@link LoopStats#loopStalls()}; 0 turns the watchdog off. Default
 *                          1 s: every connection on the loop waited that long, a visible outage, yet far
 *                          above what a sane heap's GC pauses add (Vert.x warns at 2 s). It costs one clock
 *                          read per ready key and two per iteration (docs/observability.md has the
 *                          measurement)
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
        int spinSelects,
        int taskQueueCapacity,
        long stallThresholdNs) {

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
     * @param taskQueueCapacity see the record description
     * @param stallThresholdNs see the record description
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
        if (stallThresholdNs < 0) {
            throw new IllegalArgumentException("stallThresholdNs must be >= 0 (0 = off): " + stallThresholdNs);
        }
        if (taskQueueCapacity < 1 || taskQueueCapacity > 1 << 30) {
            throw new IllegalArgumentException("taskQueueCapacity must be 1..2^30: " + taskQueueCapacity);
        }
    }

    /**
     * Thread: any.
     * Name "sluice-loop", system clock, 64 KiB read buffer, 16 KiB chunks, 1024 pooled chunks,
     * 1024 tasks per iteration, 1 s maximum select wait, errors logged ({@link LoopErrorHandler#LOG}),
     * no spinning, a task queue of 65,536, stalls of 1 s reported.
     *
     * @return the defaults
     */
    public static LoopConfig defaults() {
        return new LoopConfig("sluice-loop", NanoClock.SYSTEM, 64 * 1024, 16 * 1024, 1024, 1024,
                1_000_000_000L, LoopErrorHandler.LOG, 0, 65_536, 1_000_000_000L);
    }

    /**
     * Thread: any.
     *
     * @param threadName the loop thread's name
     * @return a copy with this name
     */
    public LoopConfig withName(String threadName) {
        return new LoopConfig(threadName, clock, readBufferBytes, chunkBytes, maxPooledChunks, taskBatch,
                maxSelectWaitNs, errorHandler, spinSelects, taskQueueCapacity, stallThresholdNs);
    }

    /**
     * Thread: any.
     *
     * @param newClock the clock
     * @return a copy with this clock
     */
    public LoopConfig withClock(NanoClock newClock) {
        return new LoopConfig(name, newClock, readBufferBytes, chunkBytes, maxPooledChunks, taskBatch,
                maxSelectWaitNs, errorHandler, spinSelects, taskQueueCapacity, stallThresholdNs);
    }

    /**
     * Thread: any.
     *
     * @param handler the error handler
     * @return a copy with this error handler
     */
    public LoopConfig withErrorHandler(LoopErrorHandler handler) {
        return new LoopConfig(name, clock, readBufferBytes, chunkBytes, maxPooledChunks, taskBatch,
                maxSelectWaitNs, handler, spinSelects, taskQueueCapacity, stallThresholdNs);
    }

    /**
     * Thread: any.
     *
     * @param nanos longest select sleep
     * @return a copy with this limit
     */
    public LoopConfig withMaxSelectWaitNs(long nanos) {
        return new LoopConfig(name, clock, readBufferBytes, chunkBytes, maxPooledChunks, taskBatch,
                nanos, errorHandler, spinSelects, taskQueueCapacity, stallThresholdNs);
    }

    /**
     * Thread: any.
     *
     * @param wait longest select sleep, at least 1 ms
     * @return a copy with this limit
     */
    public LoopConfig withMaxSelectWait(Duration wait) {
        return withMaxSelectWaitNs(ConnectionConfig.nanos(wait, "max select wait"));
    }

    /**
     * Thread: any.
     *
     * @param bytes size of the shared read buffer
     * @return a copy with this read buffer size
     */
    public LoopConfig withReadBufferBytes(int bytes) {
        return new LoopConfig(name, clock, bytes, chunkBytes, maxPooledChunks, taskBatch,
                maxSelectWaitNs, errorHandler, spinSelects, taskQueueCapacity, stallThresholdNs);
    }

    /**
     * Thread: any.
     *
     * @param spins {@code selectNow} attempts before a blocking select
     * @return a copy with this spin count
     */
    public LoopConfig withSpinSelects(int spins) {
        return new LoopConfig(name, clock, readBufferBytes, chunkBytes, maxPooledChunks, taskBatch,
                maxSelectWaitNs, errorHandler, spins, taskQueueCapacity, stallThresholdNs);
    }

    /**
     * Thread: any.
     *
     * @param nanos stall threshold, 0 to turn the watchdog off
     * @return a copy with this threshold
     */
    public LoopConfig withStallThresholdNs(long nanos) {
        return new LoopConfig(name, clock, readBufferBytes, chunkBytes, maxPooledChunks, taskBatch,
                maxSelectWaitNs, errorHandler, spinSelects, taskQueueCapacity, nanos);
    }

    /**
     * Thread: any.
     *
     * @param threshold stall threshold, {@link Duration#ZERO} to turn the watchdog off
     * @return a copy with this threshold
     */
    public LoopConfig withStallThreshold(Duration threshold) {
        return withStallThresholdNs(ConnectionConfig.nanos(threshold, "stall threshold"));
    }

    /**
     * Thread: any.
     *
     * @param capacity tasks the cross-thread queue holds before it refuses more
     * @return a copy with this capacity
     */
    public LoopConfig withTaskQueueCapacity(int capacity) {
        return new LoopConfig(name, clock, readBufferBytes, chunkBytes, maxPooledChunks, taskBatch,
                maxSelectWaitNs, errorHandler, spinSelects, capacity, stallThresholdNs);
    }
}
