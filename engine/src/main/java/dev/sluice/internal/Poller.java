package dev.sluice.internal;

import dev.sluice.Connection;
import dev.sluice.LoopConfig;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The loop's select and dispatch phases. {@link #select} decides whether the loop may park, parks in
 * {@code select} until I/O, a task or the next deadline, and collects the ready keys into an array
 * (allocated once, grown when needed: no selected-key set to iterate, no iterator); the loop then reads
 * its clock, and {@link #dispatchReady} hands each key to its {@link Selectable} with the new time.
 *
 * <p>Parking follows the task queue's wakeup protocol ({@link TaskQueue}): announce, look once more,
 * optionally spin ({@link LoopConfig#spinSelects()}), then block; a producer that flipped the flag
 * during the spin is not lost, because {@code selectNow} would have cleared its {@code wakeup()}.
 *
 * <p>Thread: loop only.
 */
final class Poller {
    private final Loop loop;
    private final Selector selector;
    private final TaskQueue tasks;
    private final TimerHeap timers;
    private final Counters counters;
    private final LoopConfig config;
    private final Consumer<SelectionKey> collect = this::collect;
    private SelectionKey[] ready = new SelectionKey[256];
    private int readyCount;

    private final StallWatchdog watchdog;

    Poller(Loop loop, Selector selector, TaskQueue tasks, StallWatchdog watchdog) {
        this.watchdog = watchdog;
        this.loop = loop;
        this.selector = selector;
        this.tasks = tasks;
        this.timers = loop.timers;
        this.counters = loop.counters;
        this.config = loop.config;
    }

    /**
     * One select phase: ready keys are collected, not yet dispatched.
     *
     * @param mustNotPark work is waiting (output to flush, callbacks to deliver, a close to finish)
     */
    void select(boolean mustNotPark) {
        try {
            int ready;
            if (mustNotPark || !tasks.isEmpty() || !tasks.prepareToSleep()) {
                counters.inc(Counters.SELECT_NOWS);
                ready = selector.selectNow(collect);
            } else {
                long timeoutMs = selectTimeoutMs();
                ready = spin();
                if (ready == 0 && tasks.wokenUp()) {
                    counters.inc(Counters.SELECT_NOWS);
                    ready = selector.selectNow(collect);
                } else if (ready == 0) {
                    counters.inc(Counters.SELECTS);
                    ready = timeoutMs == 0 ? selector.selectNow(collect) : selector.select(collect, timeoutMs);
                }
                tasks.awake();
            }
            if (ready == 0 && tasks.isEmpty() && (timers.isEmpty() || timers.earliestDeadlineNs() - loop.nowNs() > 0)) {
                counters.inc(Counters.EMPTY_SELECTS);
            }
        } catch (IOException e) {
            loop.report(null, e);
        }
    }

    /** Polls a few times before parking, if configured; stops early for tasks. */
    private int spin() throws IOException {
        int ready = 0;
        for (int i = config.spinSelects(); i > 0 && ready == 0 && !tasks.wokenUp(); i--) {
            counters.inc(Counters.SELECT_NOWS);
            ready = selector.selectNow(collect);
        }
        return ready;
    }

    /** Until the next deadline, rounded up so a timer never fires early (Redis ae.c does the same). */
    private long selectTimeoutMs() {
        long maxNs = config.maxSelectWaitNs();
        long waitNs = maxNs;
        if (!timers.isEmpty()) {
            long untilNs = timers.earliestDeadlineNs() - loop.nowNs();
            if (untilNs <= 0) {
                return 0;
            }
            waitNs = Math.min(untilNs, maxNs);
        }
        return (waitNs + 999_999) / 1_000_000;
    }

    private void collect(SelectionKey key) {
        if (readyCount == ready.length) {
            ready = Arrays.copyOf(ready, readyCount * 2);
        }
        ready[readyCount++] = key;
    }

    /**
     * Dispatches what {@link #select} collected, in the order the selector reported it.
     *
     * @param started the watchdog's reading as select returned (the first key's dispatch starts then:
     *                nothing runs between), when the watchdog is on
     * @return the watchdog's last reading: as the last key's dispatch ended, or {@code started}
     */
    long dispatchReady(long started) {
        int n = readyCount;
        boolean watch = watchdog.enabled();
        for (int i = 0; i < n; i++) {
            SelectionKey key = ready[i];
            ready[i] = null;
            dispatch(key);
            if (watch) {
                started = watchdog.keyDispatched(started, (Selectable) key.attachment());
            }
        }
        readyCount = 0;
        return started;
    }

    private void dispatch(SelectionKey key) {
        Selectable target = (Selectable) key.attachment();
        int ops;
        try {
            ops = key.readyOps(); // a key cancelled by an earlier one's handler throws: nothing to do
        } catch (CancelledKeyException e) {
            return;
        }
        try {
            target.onReady(ops);
        } catch (RuntimeException e) {
            // Handler exceptions are caught closer to the handler; reaching here is an engine bug. An
            // exception out of this consumer would abort select for every other ready key, so contain
            // it to the one resource.
            loop.report(target instanceof Connection c ? c : null, e);
            target.onDispatchFailure(e);
        }
    }
}
