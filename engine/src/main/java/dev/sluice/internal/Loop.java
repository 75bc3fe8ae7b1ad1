package dev.sluice.internal;

import dev.sluice.Connection;
import dev.sluice.EventLoop;
import dev.sluice.LoopConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The event loop's engine room. One iteration is a list of phases:
 *
 * <pre>
 *   takeRequests    close or shutdown asked for by other threads          time: t0, read when the iteration began
 *   runTasks        queued cross-thread tasks, a bounded batch            t0
 *   flushPending    write what tasks, timers, callbacks queued, unslept    t0
 *   select          sleep until I/O or the next deadline; collect keys    t0 (its timeout is measured from t0)
 *   updateTime      read the clock again                                   t1, read when select returned
 *   dispatchReady   ready keys: connect, write, read (+ its replies), accept t1
 *   expireTimers    collect every due timer, then run them                 t1
 *   deliverDeferred onClose, onWritabilityChanged, held input, after       t1
 *                   everything that caused them
 * </pre>
 *
 * <p>t0 is the stall watchdog's reading as the previous iteration ended, when the watchdog is on (the
 * same instant: only the loop's own end-of-iteration check runs between), and a reading of its own otherwise.
 *
 * <p>Reading the clock again after {@code select} is libuv's rule ({@code uv__io_poll} updates the loop
 * time when the poll returns): an accept or read that woke the loop is stamped with the time it
 * happened, not the time the loop went to sleep. A loop driven by {@link #runOnce(long)} is given its
 * time by the caller and every phase sees that one time, so tests decide exactly what time it is.
 *
 * <p>Thread: everything here runs on the owner thread, except {@link #execute}, {@link #stats} and
 * the methods documented otherwise. {@link EventLoop} is the public face.
 */
public final class Loop {
    final LoopConfig config;
    final EventLoop facade;
    final Counters counters = new Counters();
    final BufferPool pool;
    /** Spare write queues: see {@link OutboundPool} (a spare is about 170 bytes; 4,096 of them 700 KB). */
    final OutboundPool outbound = new OutboundPool(4096);
    final ByteBuffer readBuffer;
    final TimerHeap timers = new TimerHeap();

    private final Selector selector;
    private final TaskQueue tasks;
    final LoopThread thread;
    private final LoopLifecycle life;
    private final LoopResources resources;
    final Registry registry = new Registry(counters);
    private final AtomicLong connectionIds = new AtomicLong();


    private long nowNs;

    private final WorkLists lists = new WorkLists();
    private final Poller poller;
    private final StallWatchdog watchdog;
    private TimerNode[] expired = new TimerNode[64];
    /** Made by the first TLS connection: a loop without TLS pays nothing for it. */
    private TlsBuffers tlsBuffers;

    /**
     * The connection whose onData is running, or null: while set, {@link #readBuffer} (or that
     * connection's held input) is in the handler's hands and a close must not read into or release it.
     */
    SocketConnection deliveringTo;
    /**
     * The connection being read in the dispatch phase, or null: its replies are written right after the
     * read ({@link WriteSide#flushReplies}), so what its onData writes need not also join the flush list.
     */
    SocketConnection replyingTo;

    /**
     * Opens the selector. The creating thread owns the loop until {@link #start()}.
     *
     * @param config the configuration
     * @param facade the public object users hold
     */
    public Loop(LoopConfig config, EventLoop facade) {
        this.config = config;
        this.facade = facade;
        this.pool = new BufferPool(config.chunkBytes(), config.maxPooledChunks());
        this.readBuffer = ByteBuffer.allocateDirect(config.readBufferBytes());
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.tasks = new TaskQueue(config.taskQueueCapacity(), selector, config.name());
        this.watchdog = new StallWatchdog(this, config.clock(), config.stallThresholdNs());
        this.poller = new Poller(this, selector, tasks, watchdog);
        this.thread = new LoopThread(config.name(), tasks);
        this.life = new LoopLifecycle(this, selector, tasks, registry);
        this.resources = new LoopResources(this);
        this.nowNs = config.clock().nanoTime();
    }

    // ---------------------------------------------------------------- threads

    /** Starts the loop thread, which owns the loop from now on. Thread: the creator, once. */
    public void start() {
        thread.start(this::run);
    }

    /** @return whether the caller is the loop's owner thread. Thread: any. */
    public boolean inLoop() {
        return thread.inLoop();
    }

    /**
     * Fails unless the caller is the loop thread: a loop-only method called from elsewhere would race
     * the loop, so it fails loudly, with or without {@code -ea}. Thread: any.
     *
     * @param what the method, for the message
     */
    public void checkInLoop(String what) {
        thread.check(what);
    }

    private void run() {
        Throwable fatal = null;
        try {
            long now = config.clock().nanoTime();
            while (life.running()) {
                long ended = iterate(now, true);
                // The watchdog read the clock as the iteration ended: that is when the next one begins.
                now = watchdog.enabled() ? ended : config.clock().nanoTime();
            }
        } catch (Throwable t) {
            fatal = t;
            report(null, t);
        } finally {
            life.closeEverything();
        }
        if (fatal instanceof VirtualMachineError e) {
            throw e; // and the thread's uncaught-exception handler hears of it too
        }
    }

    /**
     * Queues a task for the loop thread. Thread: any.
     *
     * @param task the task
     * @throws java.util.concurrent.RejectedExecutionException when the queue is full (counted)
     * @throws IllegalStateException when the loop has ended
     */
    public void execute(Runnable task) {
        thread.execute(task);
    }

    // ---------------------------------------------------------------- the iteration

    /**
     * Thread: the owner thread only. One iteration, every phase seeing {@code now}.
     *
     * @param now the loop clock's reading
     */
    public void runOnce(long now) {
        checkInLoop("runOnce");
        if (life.isClosed()) {
            throw thread.closedError();
        }
        iterate(now, false);
    }

    /** @return the watchdog's reading of the clock as the iteration ended (only when it is enabled) */
    private long iterate(long now, boolean readClockAfterPoll) {
        nowNs = now;
        counters.inc(Counters.ITERATIONS);
        boolean watch = watchdog.enabled();
        if (watch) {
            watchdog.iterationStarted(readClockAfterPoll ? now : watchdog.now());
        }
        boolean requests = life.takeRequests();
        int ran = runTasks();
        int flushed = lists.flushPending(nowNs);
        if (watch) {
            watchdog.beforeSelect(requests || ran > 0 || flushed > 0);
        }
        poller.select(!lists.isEmpty() || life.ending());
        if (readClockAfterPoll) {
            nowNs = config.clock().nanoTime(); // libuv's rule: the time is read again after polling
        }
        long reading = 0; // the watchdog's latest clock reading, when it is on
        if (watch) {
            reading = readClockAfterPoll ? nowNs : watchdog.now();
            watchdog.selectReturned(reading);
        }
        reading = poller.dispatchReady(reading);
        boolean timersRan = expireTimers();
        boolean deferredRan = lists.deliverDeferred();
        long ended = 0;
        if (watch) {
            // With nothing run after the keys, the last key's reading is the iteration's end: no new read.
            ended = watchdog.iterationEnded(timersRan || deferredRan ? watchdog.now() : reading);
        }
        life.afterIteration();
        return ended;
    }

    /** @return how many tasks ran */
    private int runTasks() {
        int batch = config.taskBatch();
        int ran = 0;
        Runnable task;
        while (ran < batch && (task = tasks.poll()) != null) {
            runTask(task);
            ran++;
        }
        return ran;
    }

    void runTask(Runnable task) {
        counters.inc(Counters.TASKS);
        try {
            task.run();
        } catch (Throwable t) {
            Fatal.rethrowIfFatal(t);
            report(null, t);
        }
    }

    /** @return whether any timer ran */
    private boolean expireTimers() {
        int n = 0;
        TimerNode due;
        while ((due = timers.pollDue(nowNs)) != null) {
            if (n == expired.length) {
                expired = Arrays.copyOf(expired, n * 2);
            }
            expired[n++] = due;
        }
        // Collect first, then run: a timer that re-arms itself for "now" runs next iteration, not forever.
        for (int i = 0; i < n; i++) {
            TimerNode node = expired[i];
            expired[i] = null;
            try {
                node.onExpire(nowNs);
            } catch (Throwable t) {
                Fatal.rethrowIfFatal(t);
                report(null, t);
            }
        }
        return n > 0;
    }

    // ---------------------------------------------------------------- used by connections

    void deliverDeferred() {
        lists.deliverDeferred();
    }

    void addToFlush(SocketConnection c) {
        lists.addToFlush(c);
    }

    void defer(Deferrable d) {
        lists.defer(d);
    }

    void addPendingOutput(long delta) {
        counters.add(Counters.PENDING_OUTPUT_BYTES, delta);
        if (delta > 0) {
            long total = counters.get(Counters.PENDING_OUTPUT_BYTES);
            if (total > counters.get(Counters.PEAK_PENDING_OUTPUT_BYTES)) {
                counters.set(Counters.PEAK_PENDING_OUTPUT_BYTES, total);
            }
        }
    }

    /** @return the loop's shared TLS buffers, sized for records of up to {@code packetBytes} */
    TlsBuffers tlsBuffers(int packetBytes) {
        if (tlsBuffers == null || tlsBuffers.packetBytes < packetBytes) {
            tlsBuffers = new TlsBuffers(packetBytes, readBuffer.capacity(), config.maxPooledChunks());
        }
        return tlsBuffers;
    }

    Selector selector() {
        return selector;
    }

    /** @return the loop's time now (see the class comment for which reading each phase sees). Thread: loop only. */
    public long nowNs() {
        return nowNs;
    }

    /** Ids are taken on whatever thread makes the connection, so they come from an atomic counter. */
    long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }

    /** @return whether new connections, listeners and endpoints are welcome (not shutting down) */
    boolean acceptsNewWork() {
        return life.acceptsNewWork();
    }

    String describeState() {
        return life.describe();
    }

    /** Reports an error the loop survived; the error handler itself must never take the loop down. */
    void report(Connection c, Throwable error) {
        try {
            config.errorHandler().onError(c, error);
        } catch (Throwable t) {
            Fatal.rethrowIfFatal(t);
            // Documented: an error handler that throws is ignored so that the loop keeps running.
        }
    }

    /** @return what the loop opens for callers: listeners, endpoints, connections, timers. Thread: any. */
    public LoopResources resources() {
        return resources;
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * Stops accepting, closes every connection gracefully, and closes whatever is left at the deadline.
     * Thread: any. From another thread it is queued behind the tasks already queued (so they still
     * run first); with the queue full it becomes a flag the loop takes at its next iteration, so it is
     * never refused.
     *
     * @param timeoutNs the time allowed for flushing
     */
    public void shutdownGracefully(long timeoutNs) {
        if (timeoutNs < 0) {
            throw new IllegalArgumentException("timeout must be >= 0: " + timeoutNs);
        }
        if (inLoop()) {
            life.beginShutdown(timeoutNs);
        } else if (!thread.tryQueue(() -> life.beginShutdown(timeoutNs))) {
            life.requestShutdown(timeoutNs); // queue full: a flag the loop takes at its next iteration
        }
    }

    /**
     * Closes everything at once. On the loop thread of a started loop the loop ends after this
     * iteration; from another thread this waits for the loop to end. Thread: any, except that a loop
     * driven by runOnce is closed by its owner.
     */
    public void close() {
        if (life.isClosed()) {
            if (!inLoop()) {
                awaitTermination(Long.MAX_VALUE); // closed, maybe not yet terminated: the latch opens last
            }
            return;
        }
        if (inLoop()) {
            life.terminateNow();
            if (!thread.started()) {
                life.closeEverything();
            }
            // else: the run loop sees the loop ending and cleans up on its way out.
            return;
        }
        if (!thread.started()) {
            throw new IllegalStateException("a loop driven by runOnce must be closed on the thread that drives it");
        }
        if (!thread.tryQueue(life::terminateNow)) {
            life.requestClose(); // queue full: a flag the loop takes at its next iteration
        }
        awaitTermination(Long.MAX_VALUE);
    }

    /**
     * Waits for the loop to end. Thread: any but the loop's own (which would wait for itself).
     *
     * @param timeoutNs how long to wait
     * @return whether it ended
     */
    public boolean awaitTermination(long timeoutNs) {
        return life.awaitTermination(timeoutNs, config.name());
    }

    /** @return whether the loop has ended. Thread: any. */
    public boolean isTerminated() {
        return life.isTerminated();
    }

    /**
     * Thread: any.
     *
     * @return a fresh copy of the counter slots, the producer-side ones filled in, for {@code EventLoop.stats()}
     */
    public long[] stats() {
        long[] snapshot = counters.snapshot();
        snapshot[Counters.WAKEUPS] = tasks.wakeups();
        snapshot[Counters.TASKS_REJECTED] = tasks.rejected();
        snapshot[Counters.TASK_QUEUE_DEPTH] = tasks.depth();
        return snapshot;
    }

    /**
     * Thread: any; exact only on the loop thread or after termination.
     *
     * @return registered selection keys
     */
    public int registeredKeys() {
        return selector.isOpen() ? selector.keys().size() : 0;
    }
}
