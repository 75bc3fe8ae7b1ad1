package dev.sluice.internal;

import dev.sluice.CloseReason;

import java.io.IOException;
import java.nio.channels.Selector;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A loop's life as one state that only moves forward: RUNNING → SHUTTING_DOWN (graceful: listeners
 * closed, connections flushing) → TERMINATING (everything closing now) → CLOSED (selector closed,
 * {@link #awaitTermination} released).
 *
 * <p>Other threads ask for a close or a graceful shutdown through the task queue, behind the tasks
 * they queued before; when the queue is full, through two volatile fields and a
 * {@code Selector.wakeup()} instead, so neither request can be refused.
 *
 * <p>Thread: {@link #requestClose}, {@link #requestShutdown}, {@link #awaitTermination},
 * {@link #isTerminated} and {@link #acceptsNewWork} any; the rest the loop thread only.
 */
final class LoopLifecycle {
    private enum State { RUNNING, SHUTTING_DOWN, TERMINATING, CLOSED }

    private final Loop loop;
    private final Selector selector;
    private final TaskQueue tasks;
    private final Registry registry;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile State state = State.RUNNING;
    private volatile boolean closeRequested;
    /** The graceful shutdown's timeout another thread asked for, or -1. */
    private volatile long shutdownRequestedNs = -1;

    LoopLifecycle(Loop loop, Selector selector, TaskQueue tasks, Registry registry) {
        this.loop = loop;
        this.selector = selector;
        this.tasks = tasks;
        this.registry = registry;
    }

    /** @return whether the run loop goes on */
    boolean running() {
        State s = state;
        return s == State.RUNNING || s == State.SHUTTING_DOWN;
    }

    boolean isClosed() {
        return state == State.CLOSED;
    }

    /** @return whether the select phase must not park: the loop is ending */
    boolean ending() {
        return state == State.TERMINATING || closeRequested;
    }

    /** @return whether new connections, listeners and endpoints are welcome (not shutting down) */
    boolean acceptsNewWork() {
        return state == State.RUNNING && !closeRequested && shutdownRequestedNs < 0;
    }

    String describe() {
        return state == State.RUNNING ? "shutting down" : state.name().toLowerCase(java.util.Locale.ROOT);
    }

    void requestClose() {
        closeRequested = true;
        selector.wakeup();
    }

    void requestShutdown(long timeoutNs) {
        if (shutdownRequestedNs < 0) {
            shutdownRequestedNs = timeoutNs;
            selector.wakeup();
        }
    }

    /** At the start of each iteration: take requests made by other threads. */
    /** @return whether there was one: closing or shutting down is work the stall watchdog times */
    boolean takeRequests() {
        if (closeRequested) {
            terminateNow();
            return true;
        } else if (shutdownRequestedNs >= 0) {
            beginShutdown(shutdownRequestedNs);
            return true;
        }
        return false;
    }

    /** At the end of each iteration: a graceful shutdown with nothing left open ends. */
    void afterIteration() {
        if (state == State.SHUTTING_DOWN && registry.openConnections() == 0) {
            state = State.TERMINATING;
        }
        if (state == State.TERMINATING && !loop.thread.started()) {
            closeEverything();
        }
    }

    void beginShutdown(long timeoutNs) {
        if (state != State.RUNNING) {
            return;
        }
        state = State.SHUTTING_DOWN;
        registry.closeListenersAndEndpoints(CloseReason.SHUTDOWN);
        registry.closeAllGracefully(CloseReason.SHUTDOWN);
        loop.timers.schedule(new ScheduledTask(loop, this::terminateNow), loop.nowNs() + timeoutNs);
    }

    void terminateNow() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.TERMINATING;
        registry.closeListenersAndEndpoints(CloseReason.SHUTDOWN);
        registry.closeAllNow(CloseReason.SHUTDOWN);
    }

    /**
     * Final cleanup on the owner thread: every channel closed; the task queue sealed and drained, so a
     * task that {@code execute} accepted still runs (a connect among them closes with SHUTDOWN, a write
     * is refused and counted); callbacks delivered; the selector closed.
     */
    void closeEverything() {
        if (state == State.CLOSED) {
            return;
        }
        terminateNow();
        tasks.seal();
        Runnable task;
        while ((task = tasks.poll()) != null) {
            loop.runTask(task);
        }
        terminateNow(); // whatever those tasks opened
        loop.deliverDeferred();
        state = State.CLOSED;
        try {
            selector.close();
        } catch (IOException e) {
            loop.report(null, e);
        }
        terminated.countDown();
    }

    boolean awaitTermination(long timeoutNs, String loopName) {
        if (loop.inLoop() && !isTerminated()) {
            throw new IllegalStateException("awaitTermination on the loop thread " + loopName
                    + " would wait for itself: call it from another thread, or close() the loop");
        }
        try {
            return terminated.await(timeoutNs, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean isTerminated() {
        return terminated.getCount() == 0;
    }
}
