package dev.sluice.samples.http;

/**
 * Thread: any; an instance belongs to one connection slot and is used by one thread.
 *
 * <p>wrk2's model of a fixed rate: every request has an intended send time on a constant schedule,
 * whatever happened to the ones before it, and its latency is measured from that time. A server that
 * stalls for a second is then charged the full second for each request that should have gone out
 * during the stall, instead of the stall silencing the client (coordinated omission).
 *
 * <p>A thread's rate is split evenly over its connections, and the connections are staggered: slot
 * {@code i} of {@code n} sends its {@code k}-th request at {@code start + (k·n + i) / rate}. Over all
 * slots, the {@code m}-th request of the thread is intended at exactly {@code start + m / rate}: no
 * bunching, no drift, integer arithmetic only.
 *
 * <p>Pure: it never reads a clock. The caller passes "now" to {@link #due}, which is what lets the
 * schedule be tested with an injected clock.
 */
final class RateSchedule {

    private long startNs;
    private final long slot;
    private final long slots;
    private final long ratePerSecond;
    private long next;

    /**
     * Thread: any.
     *
     * @param startNs       when the schedule starts, on the caller's clock
     * @param slot          this connection's index among the thread's connections, 0-based
     * @param slots         the thread's connections
     * @param ratePerSecond the thread's requests per second, over all its connections
     */
    RateSchedule(long startNs, int slot, int slots, long ratePerSecond) {
        if (slots < 1 || slot < 0 || slot >= slots || ratePerSecond < 1) {
            throw new IllegalArgumentException("slot " + slot + " of " + slots + " at " + ratePerSecond + "/s");
        }
        this.startNs = startNs;
        this.slot = slot;
        this.slots = slots;
        this.ratePerSecond = ratePerSecond;
    }

    /**
     * Thread: the owner's.
     *
     * @return the intended send time of the next request
     */
    long nextNs() {
        return startNs + (next * slots + slot) * 1_000_000_000L / ratePerSecond;
    }

    /**
     * Thread: the owner's.
     *
     * @param nowNs the current time on the schedule's clock
     * @return whether the next request's intended time has come
     */
    boolean due(long nowNs) {
        return nowNs - nextNs() >= 0;
    }

    /**
     * Thread: the owner's. Takes the next request off the schedule.
     *
     * @return its intended send time, the instant its latency counts from
     */
    long take() {
        long at = nextNs();
        next++;
        return at;
    }

    /**
     * Thread: the owner's. Starts the schedule over from {@code nowNs}, forgetting any backlog: the
     * bench does this when its warm-up ends, so that the warm-up (a cold JIT, connections still
     * opening) is not charged to the measured window. Requests already sent keep their intended times.
     *
     * @param nowNs the new start, on the schedule's clock
     */
    void restartAt(long nowNs) {
        startNs = nowNs;
        next = 0;
    }

    /**
     * Thread: any. Splits a total into {@code parts} shares that differ by at most one, the larger
     * ones first: connections over threads, or a rate over threads.
     *
     * @param total the total
     * @param parts how many shares
     * @param index which share, 0-based
     * @return that share
     */
    static long share(long total, int parts, int index) {
        return total / parts + (index < total % parts ? 1 : 0);
    }
}
