package dev.sluice;

import dev.sluice.internal.Counters;

/**
 * A snapshot of a loop's counters, taken with {@link EventLoop#stats()}. Counters only grow, except the
 * gauges ({@link #openConnections()}, {@link #pendingOutputBytes()}, {@link #bufferedInputBytes()}).
 * Subtract two snapshots to get rates. Each counter is read coherently (a later snapshot never shows an
 * older value of it), but a snapshot is not atomic across counters: a close in progress may already
 * show in {@link #openConnections()} and not yet in {@link #closes(CloseReason)}. Per-listener counts
 * are on {@link Listener}.
 *
 * <p>Thread: any (immutable).
 */
public final class LoopStats {
    private final long[] c;

    /**
     * Wraps a fresh snapshot of the loop's counter slots, which this object then owns. Package-private:
     * only {@link EventLoop#stats()} makes these, so the slot layout stays an internal detail.
     */
    LoopStats(long[] counters) {
        this.c = counters;
    }

    /**
     * Thread: any.
     *
     * @return loop iterations
     */
    public long iterations() { return c[Counters.ITERATIONS]; }
    /**
     * Thread: any.
     *
     * @return blocking {@code select} calls
     */
    public long selects() { return c[Counters.SELECTS]; }
    /**
     * Thread: any.
     *
     * @return non-blocking {@code selectNow} calls (tasks or output were waiting)
     */
    public long selectNows() { return c[Counters.SELECT_NOWS]; }
    /**
     * Thread: any.
     *
     * @return selects that returned with no ready key and no due timer
     */
    public long emptySelects() { return c[Counters.EMPTY_SELECTS]; }
    /**
     * Thread: any.
     *
     * @return {@code Selector.wakeup()} calls made by other threads
     */
    public long wakeups() { return c[Counters.WAKEUPS]; }
    /**
     * Thread: any.
     *
     * @return tasks run
     */
    public long tasks() { return c[Counters.TASKS]; }
    /**
     * Thread: any.
     *
     * @return {@code read} system calls
     */
    public long reads() { return c[Counters.READS]; }
    /**
     * Thread: any.
     *
     * @return bytes read
     */
    public long bytesRead() { return c[Counters.BYTES_READ]; }
    /**
     * Thread: any.
     *
     * @return {@code write} system calls
     */
    public long writes() { return c[Counters.WRITES]; }
    /**
     * Thread: any.
     *
     * @return writes that the socket accepted only in part (it was full)
     */
    public long partialWrites() { return c[Counters.PARTIAL_WRITES]; }
    /**
     * Thread: any.
     *
     * @return bytes written
     */
    public long bytesWritten() { return c[Counters.BYTES_WRITTEN]; }
    /**
     * Thread: any.
     *
     * @return connections accepted
     */
    public long accepts() { return c[Counters.ACCEPTS]; }
    /**
     * Thread: any.
     *
     * @return outbound connects that completed
     */
    public long connects() { return c[Counters.CONNECTS]; }
    /**
     * Thread: any.
     *
     * @return transitions to unwritable (pending output rose above the high watermark)
     */
    public long becameUnwritable() { return c[Counters.BECAME_UNWRITABLE]; }
    /**
     * Thread: any.
     *
     * @return transitions back to writable
     */
    public long becameWritable() { return c[Counters.BECAME_WRITABLE]; }
    /**
     * Thread: any.
     *
     * @return connect timeouts
     */
    public long connectTimeouts() { return c[Counters.TIMEOUT_CONNECT]; }
    /**
     * Thread: any.
     *
     * @return read-idle timeouts fired
     */
    public long readIdleTimeouts() { return c[Counters.TIMEOUT_READ_IDLE]; }
    /**
     * Thread: any.
     *
     * @return write-stall timeouts fired
     */
    public long writeStallTimeouts() { return c[Counters.TIMEOUT_WRITE_STALL]; }
    /**
     * Thread: any.
     *
     * @return absolute deadlines fired
     */
    public long deadlineTimeouts() { return c[Counters.TIMEOUT_DEADLINE]; }
    /**
     * Thread: any.
     *
     * @return scheduled tasks that fired
     */
    public long timersFired() { return c[Counters.TIMERS_FIRED]; }
    /**
     * Thread: any.
     *
     * @return writes refused because the connection was closing or closed
     */
    public long writesDropped() { return c[Counters.WRITES_DROPPED]; }
    /**
     * Thread: any.
     *
     * @return handler callbacks that threw
     */
    public long handlerErrors() { return c[Counters.HANDLER_ERRORS]; }
    /**
     * Thread: any.
     *
     * @return failed accept calls
     */
    public long acceptErrors() { return c[Counters.ACCEPT_ERRORS]; }
    /**
     * Thread: any.
     *
     * @return connections rejected by a listener at its maximum
     */
    public long rejected() { return c[Counters.REJECTED]; }
    /**
     * Thread: any.
     *
     * @return datagrams received and handed to a handler
     */
    public long datagramsReceived() { return c[Counters.DATAGRAMS_RECEIVED]; }
    /**
     * Thread: any.
     *
     * @return datagrams handed to the kernel
     */
    public long datagramsSent() { return c[Counters.DATAGRAMS_SENT]; }
    /**
     * Thread: any.
     *
     * @return datagrams the engine refused or discarded (queue full, oversize, endpoint closed)
     */
    public long datagramsDropped() { return c[Counters.DATAGRAMS_DROPPED]; }
    /**
     * Thread: any.
     *
     * @return connections open now (gauge)
     */
    public long openConnections() { return c[Counters.OPEN_CONNECTIONS]; }
    /**
     * Thread: any.
     *
     * @return pending output over all connections now (gauge)
     */
    public long pendingOutputBytes() { return c[Counters.PENDING_OUTPUT_BYTES]; }
    /**
     * Thread: any.
     *
     * @return the highest {@link #pendingOutputBytes()} seen
     */
    public long peakPendingOutputBytes() { return c[Counters.PEAK_PENDING_OUTPUT_BYTES]; }
    /**
     * Thread: any.
     *
     * @return unconsumed input held over all connections now (gauge)
     */
    public long bufferedInputBytes() { return c[Counters.BUFFERED_INPUT_BYTES]; }
    /**
     * Thread: any.
     *
     * @return graceful closes that did not finish within their close timeout
     */
    public long closeTimeouts() { return c[Counters.TIMEOUT_CLOSE]; }
    /**
     * Thread: any.
     *
     * @return tasks, and writes from other threads, refused because the loop's task queue was full
     */
    public long tasksRejected() { return c[Counters.TASKS_REJECTED]; }
    /**
     * Thread: any.
     *
     * @return tasks waiting in the loop's queue when the snapshot was taken (gauge)
     */
    public long taskQueueDepth() { return c[Counters.TASK_QUEUE_DEPTH]; }
    /**
     * Thread: any.
     *
     * @return iterations or callbacks that ran past {@link LoopConfig#stallThresholdNs()}
     */
    public long loopStalls() { return c[Counters.LOOP_STALLS]; }

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
     * Thread: any.
     * Adds snapshots slot by slot: a loop group's totals. Counters and the gauges sum exactly;
     * {@link #peakPendingOutputBytes()} becomes the sum of the loops' peaks, an upper bound on the
     * group's own peak (the loops did not peak at the same moment).
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
