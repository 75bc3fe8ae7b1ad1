package dev.sluice.internal;

/**
 * A connection's deadlines on the loop clock: connect, read-idle, write-stall, linger and the absolute
 * one. Reads and write progress only store a time here; the connection's single timer-heap entry sits at
 * or before the earliest real deadline and re-checks when it fires ({@link #next}). All comparisons are
 * {@code a - b <= 0}, safe across {@code nanoTime} wrap-around, and a deadline is due at its nanosecond,
 * never one early.
 *
 * <p>Thread: loop only.
 */
final class Deadlines {
    /** "No deadline"; never a real deadline because {@link #earlier} treats it as absent. */
    static final long NONE = Long.MIN_VALUE;

    final long connectTimeoutNs;
    long readIdleTimeoutNs;
    long writeTimeoutNs;
    long connectAtNs;
    long lastReadNs;
    long lastWriteProgressNs;
    long lingerUntilNs;
    long absoluteNs;
    boolean hasAbsolute;

    Deadlines(long connectTimeoutNs, long readIdleTimeoutNs, long writeTimeoutNs) {
        this.connectTimeoutNs = connectTimeoutNs;
        this.readIdleTimeoutNs = readIdleTimeoutNs;
        this.writeTimeoutNs = writeTimeoutNs;
    }

    /**
     * The earliest deadline that applies now, or {@link #NONE}.
     *
     * @param connecting    the connect has not completed
     * @param lingering     a graceful close is waiting for the peer's FIN
     * @param active        open or flushing before a close: idle, stall and absolute deadlines apply
     * @param reading       reading is enabled (idle time does not run while paused)
     * @param outputPending output is waiting (the stall clock runs only then)
     * @return the deadline in loop-clock nanoseconds
     */
    long next(boolean connecting, boolean lingering, boolean active, boolean reading, boolean outputPending) {
        long next = NONE;
        if (connecting && connectTimeoutNs > 0) {
            next = earlier(next, connectAtNs);
        }
        if (lingering) {
            next = earlier(next, lingerUntilNs);
        }
        if (active) {
            if (readIdleTimeoutNs > 0 && reading) {
                next = earlier(next, lastReadNs + readIdleTimeoutNs);
            }
            if (writeTimeoutNs > 0 && outputPending) {
                next = earlier(next, lastWriteProgressNs + writeTimeoutNs);
            }
            if (hasAbsolute) {
                next = earlier(next, absoluteNs);
            }
        }
        return next;
    }

    boolean connectDue(long nowNs) {
        return connectTimeoutNs > 0 && connectAtNs - nowNs <= 0;
    }

    boolean lingerDue(long nowNs) {
        return lingerUntilNs - nowNs <= 0;
    }

    boolean absoluteDue(long nowNs) {
        return hasAbsolute && absoluteNs - nowNs <= 0;
    }

    boolean idleDue(long nowNs, boolean reading) {
        return readIdleTimeoutNs > 0 && reading && lastReadNs + readIdleTimeoutNs - nowNs <= 0;
    }

    boolean stallDue(long nowNs, boolean outputPending) {
        return writeTimeoutNs > 0 && outputPending && lastWriteProgressNs + writeTimeoutNs - nowNs <= 0;
    }

    private static long earlier(long current, long candidate) {
        return current == NONE || candidate - current < 0 ? candidate : current;
    }
}
