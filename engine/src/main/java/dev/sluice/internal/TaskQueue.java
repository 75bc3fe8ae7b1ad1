package dev.sluice.internal;

import java.nio.channels.Selector;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The loop's cross-thread task queue and its wakeup protocol.
 *
 * <p>Bounded: a producer that finds it full is refused with {@link RejectedExecutionException} (or, for
 * the boolean-returning writes, {@code false}) and the refusal is counted, so a loop that cannot keep
 * up pushes back instead of growing without bound.
 *
 * <p>Wakeups are coalesced. The loop sets {@code sleeping} before it parks in {@code select} and looks
 * at the queue once more after setting it; a producer that queued a task wakes the selector only if it
 * is the one that flips {@code sleeping} back, so however many threads race, the sleeping loop pays
 * for one {@code Selector.wakeup()}, and a loop that is awake pays for none.
 *
 * <p>Thread: {@link #offer}, {@link #depth}, {@link #rejected} and {@link #wakeups} any; the rest the
 * loop thread only.
 */
final class TaskQueue {
    private final BoundedMpscQueue<Runnable> queue;
    private final Selector selector;
    private final String loopName;
    private final AtomicBoolean sleeping = new AtomicBoolean();
    /** Written by producer threads, so not one of the loop-owned counters. */
    private final AtomicLong wakeups = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    TaskQueue(int capacity, Selector selector, String loopName) {
        this.queue = new BoundedMpscQueue<>(capacity);
        this.selector = selector;
        this.loopName = loopName;
    }

    /**
     * Queues {@code task}, waking the loop if it may be asleep.
     *
     * @param task   the task
     * @param inLoop whether the caller is the loop thread (which is awake by definition)
     * @return {@link BoundedMpscQueue#OK}, {@link BoundedMpscQueue#FULL} (counted) or
     *         {@link BoundedMpscQueue#SEALED} (the loop has ended)
     */
    int offer(Runnable task, boolean inLoop) {
        int r = offerQuietly(task, inLoop);
        if (r == BoundedMpscQueue.FULL) {
            rejected.incrementAndGet();
        }
        return r;
    }

    /** {@link #offer} without counting a refusal: for callers that fall back to another path. */
    int offerQuietly(Runnable task, boolean inLoop) {
        int r = queue.offer(task);
        if (r == BoundedMpscQueue.OK) {
            if (!inLoop && sleeping.get() && sleeping.compareAndSet(true, false)) {
                wakeups.incrementAndGet();
                selector.wakeup();
            }
        }
        return r;
    }

    /** @return the exception a caller refused for a full queue gets */
    RejectedExecutionException full() {
        return new RejectedExecutionException("the task queue of event loop " + loopName + " is full ("
                + queue.capacity() + " tasks, LoopConfig.taskQueueCapacity): the loop is not keeping up");
    }

    /** @return the next task, or {@code null}; loop thread */
    Runnable poll() {
        return queue.poll();
    }

    /** @return whether no task waits; loop thread */
    boolean isEmpty() {
        return queue.isEmpty();
    }

    /**
     * Announces that the loop is about to park, and says whether it may: a task queued before the
     * announcement is seen here, and one queued after it finds {@code sleeping} set and wakes the loop.
     *
     * @return {@code true} to go on and park, {@code false} when tasks are waiting (not sleeping then)
     */
    boolean prepareToSleep() {
        sleeping.set(true);
        if (!queue.isEmpty()) {
            sleeping.set(false);
            return false;
        }
        return true;
    }

    /** @return whether a producer has woken the loop since {@link #prepareToSleep()} */
    boolean wokenUp() {
        return !sleeping.get();
    }

    /**
     * The loop is awake again. A release store, not a volatile one: nothing the loop does next has to
     * wait for it to be seen (Netty's {@code NioEventLoop} clears its flag with {@code lazySet} too). A
     * producer that still sees {@code true} wins the compare-and-set and makes one spare
     * {@code wakeup()}, which only ends the next {@code select} early; a task is never missed, because
     * {@link #prepareToSleep()}'s volatile store and second look come before any park.
     */
    void awake() {
        sleeping.setRelease(false);
    }

    /** No task gets in from now on; those queued before stay to be polled. */
    void seal() {
        queue.seal();
    }

    /** @return tasks waiting now; any thread */
    int depth() {
        return queue.size();
    }

    /** @return tasks and foreign-thread writes refused because the queue was full; any thread */
    long rejected() {
        return rejected.get();
    }

    /** @return {@code Selector.wakeup()} calls made by producers; any thread */
    long wakeups() {
        return wakeups.get();
    }
}
