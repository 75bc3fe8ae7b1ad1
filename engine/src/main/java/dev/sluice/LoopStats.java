package dev.sluice;

import dev.sluice.internal.Counters;

/**
 * A snapshot of a loop's counters, taken with {@link EventLoop#stats()}. Counters only grow, except the
 * gauges ({@link #openConnections()}, {@link #pendingOutputBytes()}, {@link #bufferedInputBytes()}).
 * Subtract two snapshots to get rates.
 *
 * <p>Thread: any (immutable).
 */
public final class LoopStats {
    private final long[] c;

    /**
     * Wraps a counter array; internal use.
     *
     * @param counters the counters, by slot
     */
    public LoopStats(long[] counters) {
        this.c = counters.clone();
    }

    /** @return loop iterations */
    public long iterations() { return c[Counters.ITERATIONS]; }
    /** @return blocking {@code select} calls */
    public long selects() { return c[Counters.SELECTS]; }
    /** @return non-blocking {@code selectNow} calls (tasks or output were waiting) */
    public long selectNows() { return c[Counters.SELECT_NOWS]; }
    /** @return selects that returned with no ready key and no due timer */
    public long emptySelects() { return c[Counters.EMPTY_SELECTS]; }
    /** @return {@code Selector.wakeup()} calls made by other threads */
    public long wakeups() { return c[Counters.WAKEUPS]; }
    /** @return tasks run */
    public long tasks() { return c[Counters.TASKS]; }
    /** @return {@code read} system calls */
    public long reads() { return c[Counters.READS]; }
    /** @return bytes read */
    public long bytesRead() { return c[Counters.BYTES_READ]; }
    /** @return {@code write} system calls */
    public long writes() { return c[Counters.WRITES]; }
    /** @return writes that the socket accepted only in part (it was full) */
    public long partialWrites() { return c[Counters.PARTIAL_WRITES]; }
    /** @return bytes written */
    public long bytesWritten() { return c[Counters.BYTES_WRITTEN]; }
    /** @return connections accepted */
    public long accepts() { return c[Counters.ACCEPTS]; }
    /** @return outbound connects that completed */
    public long connects() { return c[Counters.CONNECTS]; }
    /** @return transitions to unwritable (pending output rose above the high watermark) */
    public long becameUnwritable() { return c[Counters.BECAME_UNWRITABLE]; }
    /** @return transitions back to writable */
    public long becameWritable() { return c[Counters.BECAME_WRITABLE]; }
    /** @return connect timeouts */
    public long connectTimeouts() { return c[Counters.TIMEOUT_CONNECT]; }
    /** @return read-idle timeouts fired */
    public long readIdleTimeouts() { return c[Counters.TIMEOUT_READ_IDLE]; }
    /** @return write-stall timeouts fired */
    public long writeStallTimeouts() { return c[Counters.TIMEOUT_WRITE_STALL]; }
    /** @return absolute deadlines fired */
    public long deadlineTimeouts() { return c[Counters.TIMEOUT_DEADLINE]; }
    /** @return scheduled tasks that fired */
    public long timersFired() { return c[Counters.TIMERS_FIRED]; }
    /** @return writes refused because the connection was closing or closed */
    public long writesDropped() { return c[Counters.WRITES_DROPPED]; }
    /** @return handler callbacks that threw */
    public long handlerErrors() { return c[Counters.HANDLER_ERRORS]; }
    /** @return failed accept calls */
    public long acceptErrors() { return c[Counters.ACCEPT_ERRORS]; }
    /** @return connections rejected by a listener at its maximum */
    public long rejected() { return c[Counters.REJECTED]; }
    /** @return datagrams received and handed to a handler */
    public long datagramsReceived() { return c[Counters.DATAGRAMS_RECEIVED]; }
    /** @return datagrams handed to the kernel */
    public long datagramsSent() { return c[Counters.DATAGRAMS_SENT]; }
    /** @return datagrams the engine refused or discarded (queue full, oversize, endpoint closed) */
    public long datagramsDropped() { return c[Counters.DATAGRAMS_DROPPED]; }
    /** @return connections open now (gauge) */
    public long openConnections() { return c[Counters.OPEN_CONNECTIONS]; }
    /** @return pending output over all connections now (gauge) */
    public long pendingOutputBytes() { return c[Counters.PENDING_OUTPUT_BYTES]; }
    /** @return the highest {@link #pendingOutputBytes()} seen */
    public long peakPendingOutputBytes() { return c[Counters.PEAK_PENDING_OUTPUT_BYTES]; }
    /** @return unconsumed input held over all connections now (gauge) */
    public long bufferedInputBytes() { return c[Counters.BUFFERED_INPUT_BYTES]; }
    /** @return graceful closes that did not finish within their close timeout */
    public long closeTimeouts() { return c[Counters.TIMEOUT_CLOSE]; }
    /** @return tasks, and writes from other threads, refused because the loop's task queue was full */
    public long tasksRejected() { return c[Counters.TASKS_REJECTED]; }
    /** @return tasks waiting in the loop's queue when the snapshot was taken (gauge) */
    public long taskQueueDepth() { return c[Counters.TASK_QUEUE_DEPTH]; }

    /**
     * Thread: any.
     *
     * @param reason a close reason
     * @return connections closed with it
     */
    public long closes(CloseReason reason) {
        return c[Counters.CLOSES + reason.ordinal()];
    }

    /**
     * Thread: any.
     *
     * @return connections closed for any reason
     */
    public long closesTotal() {
        long sum = 0;
        for (CloseReason r : CloseReason.values()) {
            sum += closes(r);
        }
        return sum;
    }

    /**
     * Adds snapshots slot by slot: a loop group's totals. Counters and the gauges sum exactly;
     * {@link #peakPendingOutputBytes()} becomes the sum of the loops' peaks, an upper bound on the
     * group's own peak (the loops did not peak at the same moment).
     *
     * <p>Thread: any.
     *
     * @param snapshots one snapshot per loop
     * @return their sum
     */
    public static LoopStats sum(java.util.List<LoopStats> snapshots) {
        long[] total = new long[Counters.SIZE];
        for (LoopStats s : snapshots) {
            for (int i = 0; i < total.length; i++) {
                total[i] += s.c[i];
            }
        }
        return new LoopStats(total);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("LoopStats{iterations=").append(iterations())
                .append(", selects=").append(selects()).append(", selectNows=").append(selectNows())
                .append(", wakeups=").append(wakeups()).append(", tasks=").append(tasks())
                .append(", reads=").append(reads()).append(", bytesRead=").append(bytesRead())
                .append(", writes=").append(writes()).append(", partialWrites=").append(partialWrites())
                .append(", bytesWritten=").append(bytesWritten()).append(", open=").append(openConnections())
                .append(", pendingOutput=").append(pendingOutputBytes());
        for (CloseReason r : CloseReason.values()) {
            if (closes(r) != 0) {
                sb.append(", close.").append(r).append('=').append(closes(r));
            }
        }
        return sb.append('}').toString();
    }
}
