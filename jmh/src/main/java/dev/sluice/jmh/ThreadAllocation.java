package dev.sluice.jmh;

import dev.sluice.EventLoop;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bytes allocated on the heap by one thread, read through HotSpot's
 * {@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long)}. Benchmarks read it for the
 * engine's loop thread (and for their own thread) at the start and end of a measurement iteration,
 * so the engine's own allocation is seen apart from the client's: JMH's {@code -prof gc} adds every
 * thread of the forked JVM into one {@code gc.alloc.rate.norm} figure.
 *
 * <p>The counter includes the part of the thread's current TLAB handed out so far, so it is exact to
 * within an object, not a TLAB.
 *
 * <p>Thread: any.
 */
final class ThreadAllocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static {
        if (!THREADS.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot count per-thread allocation");
        }
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    private ThreadAllocation() {
    }

    /**
     * Bytes {@code threadId} has allocated since it started.
     *
     * @param threadId a live thread's id
     * @return bytes, or -1 if the thread is gone
     */
    static long allocatedBytes(long threadId) {
        return THREADS.getThreadAllocatedBytes(threadId);
    }

    /**
     * CPU time {@code threadId} has used since it started: steadier than wall time on a shared machine,
     * where the thread may wait for a core.
     *
     * @param threadId a live thread's id
     * @return nanoseconds, or -1 if the thread is gone or the JVM cannot tell
     */
    static long cpuNanos(long threadId) {
        return THREADS.getThreadCpuTime(threadId);
    }

    /**
     * The id of the thread running {@code loop}, asked of the loop itself, on its own thread.
     *
     * <p>Thread: any other than the loop's.
     *
     * @param loop a started loop
     * @return the loop thread's id
     */
    static long loopThreadId(EventLoop loop) {
        CompletableFuture<Long> id = new CompletableFuture<>();
        loop.execute(() -> id.complete(Thread.currentThread().getId()));
        try {
            return id.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the loop did not answer", e);
        }
    }
}
