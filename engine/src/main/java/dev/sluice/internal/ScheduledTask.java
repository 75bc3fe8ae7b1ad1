package dev.sluice.internal;

import dev.sluice.Scheduled;

/**
 * A one-shot task on the loop's timer heap.
 *
 * <p>Thread: {@link #cancel()} any; the rest loop only.
 */
final class ScheduledTask extends TimerNode implements Scheduled {
    private final Loop loop;
    private final Runnable task;
    volatile boolean cancelled;

    ScheduledTask(Loop loop, Runnable task) {
        this.loop = loop;
        this.task = task;
    }

    @Override
    protected void onExpire(long nowNs) {
        if (!cancelled) {
            loop.counters.inc(Counters.TIMERS_FIRED);
            task.run();
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        if (loop.inLoop()) {
            loop.timers.cancel(this);
        } else {
            // Taking it out of the heap early only saves memory: if the queue refuses (full, or the loop
            // ended), the flag above keeps it from running.
            loop.thread.offerFromOtherThread(() -> loop.timers.cancel(this));
        }
    }
}
