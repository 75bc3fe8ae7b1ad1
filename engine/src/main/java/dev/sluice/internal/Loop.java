package dev.sluice.internal;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.ConnectionHandler;
import dev.sluice.DatagramConfig;
import dev.sluice.DatagramEndpoint;
import dev.sluice.DatagramHandler;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.LoopConfig;
import dev.sluice.Scheduled;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The event loop's engine room. One iteration is a list of phases:
 *
 * <pre>
 *   runTasks        queued cross-thread tasks, a bounded batch
 *   flushPending    write what callbacks queued, before sleeping (Redis's beforeSleep)
 *   select          sleep until I/O or the next deadline; ready keys dispatched connect, write, read, accept
 *   expireTimers    collect every due timer, then run them
 *   deliverDeferred onClose and onWritabilityChanged, after everything that caused them
 * </pre>
 *
 * <p>Thread: everything here runs on the owner thread, except {@link #execute}, {@link #stats} and
 * the methods documented otherwise. {@link EventLoop} is the public face.
 */
public final class Loop {
    private static final int NOT_SLEEPING = 0;
    private static final int SLEEPING = 1;

    final LoopConfig config;
    final EventLoop facade;
    final Counters counters = new Counters();
    final BufferPool pool;
    final ByteBuffer readBuffer;
    final TimerHeap timers = new TimerHeap();

    private final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    /** Written by producer threads, so not one of the loop-owned counters; contended only on wakeups. */
    private final AtomicLong wakeups = new AtomicLong();
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    private final CountDownLatch terminated = new CountDownLatch(1);

    private volatile Thread owner;
    private volatile boolean started;
    private long nowNs;
    private long connectionIds;

    private SocketConnection[] open = new SocketConnection[64];
    private int openCount;
    private ServerListener[] listeners = new ServerListener[4];
    private int listenerCount;
    private SocketConnection[] flushList = new SocketConnection[64];
    private int flushCount;
    private Deferrable[] deferred = new Deferrable[64];
    private DatagramEndpointImpl[] endpoints = new DatagramEndpointImpl[4];
    private int endpointCount;
    private int deferredCount;
    private TimerNode[] expired = new TimerNode[64];

    /**
     * The connection whose onData is running, or null: while set, {@link #readBuffer} (or that
     * connection's held input) is in the handler's hands and a close must not read into or release it.
     */
    SocketConnection deliveringTo;

    private boolean shuttingDown;
    private boolean terminating;
    private volatile boolean closed;

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
        this.owner = Thread.currentThread();
        this.nowNs = config.clock().nanoTime();
    }

    // ---------------------------------------------------------------- threads

    /** Starts the loop thread, which owns the loop from now on. Thread: the creator, once. */
    public void start() {
        if (started) {
            throw new IllegalStateException("event loop " + config.name() + " already started");
        }
        started = true;
        Thread t = new Thread(this::run, config.name());
        t.setDaemon(false);
        owner = t;
        t.start();
    }

    /** @return whether the caller is the loop's owner thread. Thread: any. */
    public boolean inLoop() {
        return Thread.currentThread() == owner;
    }

    private void run() {
        try {
            while (!terminating) {
                runOnce(config.clock().nanoTime());
            }
        } catch (Throwable t) {
            report(null, t);
        } finally {
            closeEverything();
        }
    }

    /**
     * Queues a task for the loop thread. Wakes the selector only if the loop may be asleep, and only
     * once however many threads race here: the first to flip {@code sleeping} pays for the wakeup.
     *
     * @param task the task
     */
    public void execute(Runnable task) {
        if (closed) {
            throw new IllegalStateException("event loop " + config.name() + " is closed");
        }
        tasks.offer(task);
        if (!inLoop() && sleeping.compareAndSet(true, false)) {
            wakeups.incrementAndGet();
            selector.wakeup();
        }
    }

    /**
     * Like {@link #execute} but returns {@code false} instead of throwing when the loop is closed.
     *
     * @param task the task
     * @return whether it was queued
     */
    boolean tryExecute(Runnable task) {
        try {
            execute(task);
            return true;
        } catch (IllegalStateException closedLoop) {
            return false; // not counted: counters are written by the loop thread only
        }
    }

    // ---------------------------------------------------------------- the iteration

    /**
     * One iteration, on the owner thread, with {@code now} as the time for every decision in it.
     *
     * @param now the loop clock's reading
     */
    public void runOnce(long now) {
        assert inLoop() : "runOnce off the loop thread";
        if (closed) {
            throw new IllegalStateException("event loop " + config.name() + " is closed");
        }
        nowNs = now;
        counters.inc(Counters.ITERATIONS);
        runTasks();
        flushPending();
        select();
        expireTimers();
        deliverDeferred();
        if (shuttingDown && openCount == 0) {
            terminating = true;
        }
        if (terminating && !started) {
            closeEverything();
        }
    }

    private void runTasks() {
        int batch = config.taskBatch();
        Runnable task;
        while (batch-- > 0 && (task = tasks.poll()) != null) {
            counters.inc(Counters.TASKS);
            try {
                task.run();
            } catch (Throwable t) {
                report(null, t);
            }
        }
    }

    private void flushPending() {
        // A connection that used up its write budget re-adds itself; take only those present now.
        int n = flushCount;
        for (int i = 0; i < n; i++) {
            SocketConnection c = flushList[i];
            flushList[i] = null;
            c.inFlushList = false;
            c.flush(nowNs);
        }
        if (flushCount > n) {
            System.arraycopy(flushList, n, flushList, 0, flushCount - n);
            Arrays.fill(flushList, flushCount - n, flushCount, null);
        }
        flushCount -= n;
    }

    private void select() {
        try {
            int ready;
            if (!tasks.isEmpty() || flushCount > 0 || deferredCount > 0 || terminating) {
                counters.inc(Counters.SELECT_NOWS);
                ready = selector.selectNow(dispatch);
            } else {
                long timeoutMs = selectTimeoutMs();
                sleeping.set(true);
                // A task queued after the isEmpty() check above but before sleeping was set saw
                // sleeping == false and did not wake us: look again now that it is set.
                if (!tasks.isEmpty()) {
                    sleeping.set(false);
                    counters.inc(Counters.SELECT_NOWS);
                    ready = selector.selectNow(dispatch);
                } else {
                    ready = spin();
                    if (ready == 0 && sleepingInterrupted()) {
                        // selectNow clears a pending wakeup(): a producer that woke us during the spin
                        // would be lost if we parked now, so look once more without blocking.
                        counters.inc(Counters.SELECT_NOWS);
                        ready = selector.selectNow(dispatch);
                    } else if (ready == 0) {
                        counters.inc(Counters.SELECTS);
                        ready = timeoutMs == 0 ? selector.selectNow(dispatch) : selector.select(dispatch, timeoutMs);
                    }
                    sleeping.set(false);
                }
            }
            if (ready == 0 && tasks.isEmpty() && (timers.isEmpty() || timers.earliestDeadlineNs() - nowNs > 0)) {
                counters.inc(Counters.EMPTY_SELECTS);
            }
        } catch (IOException e) {
            report(null, e);
        }
    }

    /**
     * Polls a few times before parking, if configured: a reply that arrives within the spin is picked up
     * without the wake-up of a blocked thread, at the price of a core kept busy. Stops early for tasks.
     */
    private int spin() throws IOException {
        int ready = 0;
        for (int i = config.spinSelects(); i > 0 && ready == 0 && !sleepingInterrupted(); i--) {
            counters.inc(Counters.SELECT_NOWS);
            ready = selector.selectNow(dispatch);
        }
        return ready;
    }

    /** A producer that queued a task while we spun has cleared {@code sleeping}. */
    private boolean sleepingInterrupted() {
        return !sleeping.get();
    }

    /** Until the next deadline, rounded up so a timer never fires early (Redis ae.c does the same). */
    private long selectTimeoutMs() {
        long maxNs = config.maxSelectWaitNs();
        long waitNs = maxNs;
        if (!timers.isEmpty()) {
            long untilNs = timers.earliestDeadlineNs() - nowNs;
            if (untilNs <= 0) {
                return 0;
            }
            waitNs = Math.min(untilNs, maxNs);
        }
        return (waitNs + 999_999) / 1_000_000;
    }

    private void dispatch(SelectionKey key) {
        Object att = key.attachment();
        try {
            if (att instanceof SocketConnection) {
                ((SocketConnection) att).onReady(key, nowNs);
            } else if (att instanceof ServerListener) {
                ((ServerListener) att).onAcceptable(nowNs);
            } else if (att instanceof DatagramEndpointImpl) {
                ((DatagramEndpointImpl) att).onReady(key);
            }
        } catch (RuntimeException e) {
            // Handler exceptions are caught closer to the handler; reaching here is an engine bug. An
            // exception out of this consumer would abort select for every other ready key, so contain
            // it to the one resource.
            report(att instanceof Connection ? (Connection) att : null, e);
            if (att instanceof SocketConnection) {
                ((SocketConnection) att).closeNow(CloseReason.IO_ERROR, e);
            }
        }
    }

    private void expireTimers() {
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
                report(null, t);
            }
        }
    }

    private void deliverDeferred() {
        // Callbacks may defer more connections; they are delivered in this same pass.
        for (int i = 0; i < deferredCount; i++) {
            Deferrable c = deferred[i];
            deferred[i] = null;
            c.inDeferredList = false;
            c.deliverDeferred();
        }
        deferredCount = 0;
    }

    // ---------------------------------------------------------------- lists used by connections

    void addToFlush(SocketConnection c) {
        if (c.inFlushList) {
            return;
        }
        c.inFlushList = true;
        if (flushCount == flushList.length) {
            flushList = Arrays.copyOf(flushList, flushCount * 2);
        }
        flushList[flushCount++] = c;
    }

    void defer(Deferrable c) {
        if (c.inDeferredList) {
            return;
        }
        c.inDeferredList = true;
        if (deferredCount == deferred.length) {
            deferred = Arrays.copyOf(deferred, deferredCount * 2);
        }
        deferred[deferredCount++] = c;
    }

    void registered(SocketConnection c) {
        if (openCount == open.length) {
            open = Arrays.copyOf(open, openCount * 2);
        }
        c.registryIndex = openCount;
        open[openCount++] = c;
        counters.set(Counters.OPEN_CONNECTIONS, openCount);
    }

    void unregistered(SocketConnection c) {
        int i = c.registryIndex;
        if (i < 0) {
            return;
        }
        SocketConnection last = open[--openCount];
        open[i] = last;
        last.registryIndex = i;
        open[openCount] = null;
        c.registryIndex = -1;
        counters.set(Counters.OPEN_CONNECTIONS, openCount);
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

    void removeListener(ServerListener l) {
        for (int i = 0; i < listenerCount; i++) {
            if (listeners[i] == l) {
                listeners[i] = listeners[--listenerCount];
                listeners[listenerCount] = null;
                return;
            }
        }
    }

    void addEndpoint(DatagramEndpointImpl e) {
        if (endpointCount == endpoints.length) {
            endpoints = Arrays.copyOf(endpoints, endpointCount * 2);
        }
        endpoints[endpointCount++] = e;
    }

    void removeEndpoint(DatagramEndpointImpl e) {
        for (int i = 0; i < endpointCount; i++) {
            if (endpoints[i] == e) {
                endpoints[i] = endpoints[--endpointCount];
                endpoints[endpointCount] = null;
                return;
            }
        }
    }

    Selector selector() {
        return selector;
    }

    /** @return the time of the current iteration. Thread: loop only. */
    public long nowNs() {
        return nowNs;
    }

    long nextConnectionId() {
        return ++connectionIds;
    }

    boolean isShuttingDown() {
        return shuttingDown;
    }

    /** Reports an error the loop survived; the error handler itself must never take the loop down. */
    void report(Connection c, Throwable error) {
        try {
            config.errorHandler().onError(c, error);
        } catch (Throwable ignored) {
            // Documented: an error handler that throws is ignored so that the loop keeps running.
        }
    }

    // ---------------------------------------------------------------- entry points

    /**
     * Binds now (so the port is known at once) and registers on the loop.
     *
     * @param address where to listen
     * @param config  listener configuration
     * @param factory one handler per accepted connection
     * @return the listener
     * @throws IOException when binding fails
     */
    public Listener listen(InetSocketAddress address, ListenerConfig config,
                           Supplier<? extends ConnectionHandler> factory) throws IOException {
        ServerListener l = new ServerListener(this, address, config, factory);
        runOnLoop(() -> {
            try {
                l.register();
                if (listenerCount == listeners.length) {
                    listeners = Arrays.copyOf(listeners, listenerCount * 2);
                }
                listeners[listenerCount++] = l;
            } catch (IOException e) {
                report(null, e);
                l.close();
            }
        });
        return l;
    }

    /**
     * Binds a datagram channel now and registers it on the loop.
     *
     * @param address where to bind
     * @param config  datagram limits
     * @param handler receives datagrams
     * @return the endpoint
     * @throws IOException when binding fails
     */
    public DatagramEndpoint bindDatagram(InetSocketAddress address, DatagramConfig config,
                                         DatagramHandler handler) throws IOException {
        DatagramEndpointImpl e = new DatagramEndpointImpl(this, address, config, handler);
        runOnLoop(e::register);
        return e;
    }

    /**
     * Creates the connection object now; opening and connecting happen on the loop.
     *
     * @param address the peer (must be resolved; resolving blocks, so do it off the loop)
     * @param config  connection configuration
     * @param handler the handler
     * @return the connection, in the connecting state
     */
    public Connection connect(InetSocketAddress address, ConnectionConfig config, ConnectionHandler handler) {
        SocketConnection c = new SocketConnection(this, config, handler, null);
        // Always through the queue, even on the loop thread: a connect that completes at once must not
        // call onOpen inside this call.
        execute(() -> c.startConnect(address, nowNs));
        return c;
    }

    /**
     * Runs {@code task} once at {@code nowNs + delayNs} on the loop clock.
     *
     * @param task    the task
     * @param delayNs delay in nanoseconds
     * @return a handle to cancel it
     */
    public Scheduled schedule(Runnable task, long delayNs) {
        ScheduledTask st = new ScheduledTask(this, task);
        runOnLoop(() -> {
            if (!st.cancelled) {
                timers.schedule(st, nowNs + delayNs);
            }
        });
        return st;
    }

    void runOnLoop(Runnable r) {
        if (inLoop()) {
            r.run();
        } else {
            execute(r);
        }
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * Stops accepting, closes every connection gracefully, and closes whatever is left at the deadline.
     *
     * @param timeoutNs the time allowed for flushing
     */
    public void shutdownGracefully(long timeoutNs) {
        runOnLoop(() -> {
            if (shuttingDown) {
                return;
            }
            shuttingDown = true;
            closeListeners();
            for (int i = openCount - 1; i >= 0; i--) {
                open[i].closeGracefully(CloseReason.SHUTDOWN);
            }
            timers.schedule(new ScheduledTask(this, this::terminateNow), nowNs + timeoutNs);
        });
    }

    /**
     * Closes everything at once. On the loop thread of a started loop the loop ends after this
     * iteration; from another thread this waits for the loop to end.
     */
    public void close() {
        if (closed) {
            return;
        }
        if (inLoop()) {
            terminateNow();
            if (!started) {
                closeEverything();
            }
            // else: the run loop sees terminating and cleans up on its way out.
            return;
        }
        if (!started) {
            throw new IllegalStateException("a loop driven by runOnce must be closed on the thread that drives it");
        }
        try {
            execute(this::terminateNow);
        } catch (IllegalStateException alreadyClosed) {
            return;
        }
        awaitTermination(Long.MAX_VALUE);
    }

    private void terminateNow() {
        shuttingDown = true;
        terminating = true;
        closeListeners();
        for (int i = openCount - 1; i >= 0; i--) {
            open[i].closeNow(CloseReason.SHUTDOWN, null);
        }
    }

    private void closeListeners() {
        for (int i = listenerCount - 1; i >= 0; i--) {
            listeners[i].close();
        }
        for (int i = endpointCount - 1; i >= 0; i--) {
            endpoints[i].closeNow(CloseReason.SHUTDOWN, null);
        }
    }

    /** Final cleanup on the owner thread: every channel closed, callbacks delivered, selector closed. */
    void closeEverything() {
        if (closed) {
            return;
        }
        terminateNow();
        deliverDeferred();
        closed = true;
        tasks.clear();
        try {
            selector.close();
        } catch (IOException e) {
            report(null, e);
        }
        terminated.countDown();
    }

    /**
     * Waits for the loop to end.
     *
     * @param timeoutNs how long to wait
     * @return whether it ended
     */
    public boolean awaitTermination(long timeoutNs) {
        try {
            return terminated.await(timeoutNs, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @return whether the loop has ended. Thread: any. */
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    /** @return a fresh copy of the counter slots, for {@code EventLoop.stats()}. Thread: any. */
    public long[] stats() {
        long[] snapshot = counters.snapshot();
        snapshot[Counters.WAKEUPS] = wakeups.get();
        return snapshot;
    }

    /** @return registered selection keys (only meaningful on the loop thread or after termination). */
    public int registeredKeys() {
        return selector.isOpen() ? selector.keys().size() : 0;
    }
}
