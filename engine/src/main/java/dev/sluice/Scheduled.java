package dev.sluice;

/**
 * A task scheduled with {@link EventLoop#schedule(Runnable, long)}.
 *
 * <p>Thread: any.
 */
public interface Scheduled {

    /**
     * Cancels the task if it has not run yet. Off the loop thread, the cancel is queued and the task
     * may still run if it was due before the loop processed the cancel.
     *
     * <p>Thread: any.
     */
    void cancel();
}
