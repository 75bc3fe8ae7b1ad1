package dev.sluice.internal;

import java.util.concurrent.RejectedExecutionException;

/**
 * Who owns a loop, and how other threads get work onto it: the one helper every "Thread: any" method
 * uses to run on the loop thread, through the bounded {@link TaskQueue}.
 *
 * <p>A loop made with {@code EventLoop.create} is owned by its creating thread, which drives it with
 * {@code runOnce}; {@link #start} hands it to a thread of its own.
 *
 * <p>Thread: any, except {@link #start} (the creator, once).
 */
final class LoopThread {
    private final String name;
    private final TaskQueue tasks;
    private volatile Thread owner = Thread.currentThread();
    private volatile boolean started;

    LoopThread(String name, TaskQueue tasks) {
        this.name = name;
        this.tasks = tasks;
    }

    void start(Runnable body) {
        if (started) {
            throw new IllegalStateException("event loop " + name + " already started");
        }
        started = true;
        Thread t = new Thread(body, name);
        t.setDaemon(false);
        owner = t;
        t.start();
    }

    /** @return whether the loop has a thread of its own (else the creator drives it with runOnce) */
    boolean started() {
        return started;
    }

    boolean inLoop() {
        return Thread.currentThread() == owner;
    }

    /** Fails unless the caller is the loop thread, with or without {@code -ea}. */
    void check(String what) {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException(what + " must be called on the loop thread " + name
                    + ", not on " + Thread.currentThread().getName());
        }
    }

    /**
     * Queues {@code task}.
     *
     * @throws RejectedExecutionException when the queue is full (counted)
     * @throws IllegalStateException when the loop has ended
     */
    void execute(Runnable task) {
        int r = tasks.offer(task, inLoop());
        if (r == BoundedMpscQueue.FULL) {
            throw tasks.full();
        }
        if (r == BoundedMpscQueue.SEALED) {
            throw closedError();
        }
    }

    /** @return whether {@code task} was queued: {@code false} when the queue is full (counted) or the loop ended */
    boolean offerFromOtherThread(Runnable task) {
        return tasks.offer(task, false) == BoundedMpscQueue.OK;
    }

    /** @return whether {@code task} was queued; a full queue is not counted (the caller has a fallback) */
    boolean tryQueue(Runnable task) {
        return tasks.offerQuietly(task, inLoop()) == BoundedMpscQueue.OK;
    }

    /**
     * For methods callable from any thread that do their work on the loop: on the loop thread, says
     * "go on here"; elsewhere queues {@code again} (the same call) and says "done". After the loop has
     * ended there is nothing to do: it closed everything on its way out.
     *
     * @return {@code true} when the caller is the loop thread and should do the work now
     * @throws RejectedExecutionException when the queue is full
     */
    boolean hopIfNeeded(Runnable again) {
        if (inLoop()) {
            return true;
        }
        if (tasks.offer(again, false) == BoundedMpscQueue.FULL) {
            throw tasks.full();
        }
        return false;
    }

    /** Runs {@code r} on the loop (now, if on it); if it cannot be queued, runs {@code undo} and throws. */
    void runOrUndo(Runnable r, Runnable undo) {
        if (inLoop()) {
            r.run();
            return;
        }
        int result = tasks.offer(r, false);
        if (result != BoundedMpscQueue.OK) {
            undo.run();
            throw result == BoundedMpscQueue.FULL ? tasks.full() : closedError();
        }
    }

    IllegalStateException closedError() {
        return new IllegalStateException("event loop " + name + " is closed");
    }
}
