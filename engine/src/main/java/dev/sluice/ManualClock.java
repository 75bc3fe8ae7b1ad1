package dev.sluice;

/**
 * A clock that moves only when told to, for tests that drive a loop with
 * {@link EventLoop#runOnce(long)} and assert exactly when a deadline fires.
 *
 * <p>Thread: any; the time is a volatile field.
 */
public final class ManualClock implements NanoClock {
    private volatile long nowNs;

    /**
     * Creates a clock reading {@code startNs}.
     *
     * <p>Thread: any.
     *
     * @param startNs the initial reading
     */
    public ManualClock(long startNs) {
        this.nowNs = startNs;
    }

    /** Thread: any. */
    @Override
    public long nanoTime() {
        return nowNs;
    }

    /**
     * Sets the time.
     *
     * <p>Thread: any.
     *
     * @param nowNs the new reading
     */
    public void set(long nowNs) {
        this.nowNs = nowNs;
    }

    /**
     * Moves the time forward and returns the new reading.
     *
     * <p>Thread: any (not atomic against a concurrent {@link #set}).
     *
     * @param deltaNs nanoseconds to add
     * @return the new reading
     */
    public long advance(long deltaNs) {
        long next = nowNs + deltaNs;
        nowNs = next;
        return next;
    }
}
