package dev.sluice.internal;

import dev.sluice.Connection;
import dev.sluice.LoopStallException;
import dev.sluice.NanoClock;

/**
 * Notices a loop iteration, or the callbacks of one ready key, that ran for at least the stall
 * threshold, and reports it once: a {@link LoopStallException} (naming the connection and the handler
 * class) to the error handler, a counter, and a JFR event when a recording enables it. The time asleep
 * in {@code select} does not count: an iteration's busy time is from its start to the select, plus from
 * the select's return to its end.
 *
 * <p>Cost when nothing stalls: one clock read per ready key, as its dispatch ends (it starts at the
 * loop's own reading after {@code select}, or the previous key's end); the iteration's end is the last
 * key's reading unless timers or deferred callbacks ran after the keys (then one more read), and the
 * loop takes it as the next iteration's start; plus one before {@code select} when tasks or flushes ran
 * before it; no allocation.
 *
 * <p>Thread: loop only.
 */
final class StallWatchdog {
    private final Loop loop;
    private final NanoClock clock;
    private final long thresholdNs;
    private long iterationStartNs;
    private long busyNs;
    private long selectReturnedNs;
    private boolean reported;

    StallWatchdog(Loop loop, NanoClock clock, long thresholdNs) {
        this.loop = loop;
        this.clock = clock;
        this.thresholdNs = thresholdNs;
    }

    boolean enabled() {
        return thresholdNs > 0;
    }

    long now() {
        return clock.nanoTime();
    }

    void iterationStarted(long startNs) {
        iterationStartNs = startNs;
        reported = false;
    }

    /**
     * The loop is about to select.
     *
     * @param worked tasks, flushes or a close ran since the iteration began; if nothing did, the time
     *               since its start is the loop finding empty lists, and is not worth a clock read
     */
    void beforeSelect(boolean worked) {
        busyNs = worked ? clock.nanoTime() - iterationStartNs : 0;
    }

    void selectReturned(long nowNs) {
        selectReturnedNs = nowNs;
    }

    /**
     * One ready key was dispatched.
     *
     * @param startNs when its dispatch began
     * @param target  what was dispatched
     * @return the time now, the start of the next key's dispatch
     */
    long keyDispatched(long startNs, Selectable target) {
        long end = clock.nanoTime();
        long took = end - startNs;
        if (took >= thresholdNs) {
            report(target instanceof Connection c ? c : null, "the callbacks of " + target, took, target.handlerClass());
        }
        return end;
    }

    /**
     * The iteration ends.
     *
     * @param end the clock's reading now: a fresh one, or the last key's when nothing ran after it
     * @return {@code end}, where the next iteration starts
     */
    long iterationEnded(long end) {
        long busy = busyNs + (end - selectReturnedNs);
        if (!reported && busy >= thresholdNs) {
            report(null, "an iteration of loop " + loop.config.name(), busy, null);
        }
        return end;
    }

    private void report(Connection c, String where, long took, Class<?> handlerClass) {
        reported = true;
        loop.counters.inc(Counters.LOOP_STALLS);
        JfrEvents.loopStalled(loop.config.name(), where, took, handlerClass);
        loop.report(c, new LoopStallException(where, took, thresholdNs, handlerClass));
    }
}
