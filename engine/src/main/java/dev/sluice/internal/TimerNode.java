package dev.sluice.internal;

/**
 * An entry of the {@link TimerHeap}. Allocated once per owner (a connection owns one for all its
 * deadlines) and re-armed in place, so timers cost no allocation per event.
 *
 * <p>Thread: loop only.
 */
public abstract class TimerNode {
    long deadlineNs;
    long seq;
    int heapIndex = -1;

    /**
     * Whether the node is in a heap.
     *
     * @return {@code true} while scheduled
     */
    public final boolean isScheduled() {
        return heapIndex >= 0;
    }

    /**
     * The deadline the node is scheduled at.
     *
     * @return the deadline in loop-clock nanoseconds
     */
    public final long deadlineNs() {
        return deadlineNs;
    }

    /**
     * The deadline passed. The node is already out of the heap; it may re-arm itself.
     *
     * @param nowNs the loop's time for this iteration
     */
    protected abstract void onExpire(long nowNs);
}
