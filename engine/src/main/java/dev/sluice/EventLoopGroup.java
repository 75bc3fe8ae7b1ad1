package dev.sluice;

import dev.sluice.internal.GroupHandOff;
import dev.sluice.internal.GroupLoad;
import dev.sluice.internal.Loop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * N event loops, one thread each, serving connections together: the way to use more than one core.
 * Each loop is an ordinary {@link EventLoop} with the same threading contract; a connection belongs to
 * one loop for its whole life, so its callbacks run on one thread and never on two. The group places
 * new connections ({@link #listen}, {@link #connect}) and ends every loop together.
 *
 * <p>A loop's failure stays its own: a handler that throws closes its connection only, and a loop that
 * ends on a fatal error leaves the others running; the group places nothing new on a loop that is
 * shutting down or has ended.
 *
 * <p>Thread: any, for every method (each says what it does off the loops' threads).
 */
public final class EventLoopGroup implements AutoCloseable {
    private final List<EventLoop> loops;
    private final GroupConfig config;
    private final GroupLoad load;
    private final BooleanSupplier reusePortSupported;
    private final AtomicInteger nextIndex = new AtomicInteger();

    private EventLoopGroup(List<EventLoop> loops, GroupConfig config, BooleanSupplier reusePortSupported) {
        this.loops = Collections.unmodifiableList(loops);
        this.config = config;
        this.reusePortSupported = reusePortSupported;
        Loop[] engines = new Loop[loops.size()];
        for (int i = 0; i < engines.length; i++) {
            engines[i] = loops.get(i).engine();
        }
        this.load = new GroupLoad(engines);
    }

    /**
     * Starts {@code config.loops()} loops, each on its own thread named {@code name-0 .. name-(N-1)}.
     *
     * <p>Thread: any.
     *
     * @param config how many loops, their configuration, the listen mode
     * @return the running group
     */
    public static EventLoopGroup start(GroupConfig config) {
        return start(config, EventLoopGroup::reusePortSupported);
    }

    /** {@link #start(GroupConfig)} with the {@code SO_REUSEPORT} probe replaced: tests of the fallback. */
    static EventLoopGroup start(GroupConfig config, BooleanSupplier reusePortSupported) {
        List<EventLoop> started = new ArrayList<>(config.loops());
        try {
            for (int i = 0; i < config.loops(); i++) {
                started.add(EventLoop.start(config.loopConfig().withName(config.loopConfig().name() + "-" + i)));
            }
        } catch (RuntimeException | Error e) {
            started.forEach(EventLoop::close); // a selector that cannot open leaves no thread behind
            throw e;
        }
        return new EventLoopGroup(new ArrayList<>(started), config, reusePortSupported);
    }

    /**
     * Whether this platform lets several sockets bind one port with {@code SO_REUSEPORT}, as the JDK
     * reports it ({@code supportedOptions()}).
     *
     * <p>Thread: any.
     *
     * @return whether {@link GroupListenMode#REUSE_PORT} can be used
     */
    public static boolean reusePortSupported() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Thread: any.
     *
     * @return the number of loops
     */
    public int size() {
        return loops.size();
    }

    /**
     * Thread: any.
     *
     * @param i the index, {@code 0..size()-1}
     * @return loop {@code i}
     */
    public EventLoop loop(int i) {
        return loops.get(i);
    }

    /**
     * Thread: any.
     *
     * @return every loop, by index (unmodifiable)
     */
    public List<EventLoop> loops() {
        return loops;
    }

    /**
     * The next loop in round-robin order, skipping loops that have ended, for callers that place work
     * themselves.
     *
     * <p>Thread: any.
     *
     * @return a loop (one that has ended only when every loop has)
     */
    public EventLoop next() {
        int n = loops.size();
        EventLoop l = null;
        for (int k = 0; k < n; k++) {
            l = loops.get(Math.floorMod(nextIndex.getAndIncrement(), n));
            if (!l.isTerminated()) {
                return l;
            }
        }
        return l;
    }

    /**
     * Listens on {@code address} with every loop, spread as {@link GroupConfig#listenMode()} says. Bound
     * when this returns (port 0 picks one free port shared by every socket).
     *
     * <p>Thread: any. {@code factory} is called on the thread of the loop that will own the connection,
     * so from several threads at once: it must be thread-safe; see {@link #listenPerLoop} for state per loop.
     *
     * @param address where to listen
     * @param config  how to accept; {@link ListenerConfig#maxConnections()} is per loop with
     *                {@link GroupListenMode#REUSE_PORT}, for the group with {@link GroupListenMode#HAND_OFF}
     * @param factory makes one handler per connection, on that connection's loop
     * @return the group listener
     * @throws IOException when the address cannot be bound (nothing is left bound then)
     * @throws IllegalStateException when a loop it needs is shutting down or closed
     */
    public GroupListener listen(InetSocketAddress address, ListenerConfig config,
                                Supplier<? extends ConnectionHandler> factory) throws IOException {
        return listenPerLoop(address, config, loop -> factory);
    }

    /**
     * {@link #listen} with one handler factory per loop, for handlers that share state within a loop
     * (a scratch buffer, a cache) without locks: {@code perLoop} is called once per loop, here, and
     * each factory it returns is called only on its loop's thread.
     *
     * <p>Thread: any.
     *
     * @param address where to listen
     * @param config  how to accept (see {@link #listen})
     * @param perLoop given each loop, returns that loop's handler factory
     * @return the group listener
     * @throws IOException when the address cannot be bound (nothing is left bound then)
     * @throws IllegalStateException when a loop it needs is shutting down or closed
     */
    public GroupListener listenPerLoop(InetSocketAddress address, ListenerConfig config,
                                       Function<EventLoop, ? extends Supplier<? extends ConnectionHandler>> perLoop)
            throws IOException {
        List<Supplier<? extends ConnectionHandler>> factories = new ArrayList<>(loops.size());
        for (EventLoop l : loops) {
            factories.add(perLoop.apply(l));
        }
        GroupListenMode mode = this.config.listenMode();
        String fallback = null;
        if (mode == GroupListenMode.REUSE_PORT && !reusePortSupported.getAsBoolean()) {
            mode = GroupListenMode.HAND_OFF;
            fallback = "SO_REUSEPORT is not supported on " + System.getProperty("os.name") + ": one acceptor hands off";
        }
        if (mode == GroupListenMode.HAND_OFF) {
            GroupHandOff handOff = new GroupHandOff(load, config, factories);
            Listener acceptor = loops.get(0).engine().resources().listen(address, config, factories.get(0), false, handOff);
            return new GroupListener(mode, fallback, List.of(acceptor), handOff);
        }
        return new GroupListener(mode, null, bindEveryLoop(address, config, factories), null);
    }

    private List<Listener> bindEveryLoop(InetSocketAddress address, ListenerConfig config,
                                         List<Supplier<? extends ConnectionHandler>> factories) throws IOException {
        List<Listener> sockets = new ArrayList<>(loops.size());
        try {
            InetSocketAddress bindTo = address;
            for (int i = 0; i < loops.size(); i++) {
                Listener l = loops.get(i).engine().resources().listen(bindTo, config, factories.get(i), true, null);
                sockets.add(l);
                if (i == 0) { // port 0: the others bind the port the first one got
                    bindTo = new InetSocketAddress(l.localAddress().getAddress(), l.localAddress().getPort());
                }
            }
        } catch (IOException | RuntimeException e) {
            for (Listener l : sockets) {
                try {
                    l.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return sockets;
    }

    /**
     * Connects to {@code address} from the loop with the fewest open connections (counting those on
     * their way to it); see {@link EventLoop#connect}.
     *
     * <p>Thread: any.
     *
     * @param address the peer, resolved
     * @param config  connection configuration
     * @param handler the connection's handler, called on the chosen loop only
     * @return the connection, not yet open
     * @throws java.util.concurrent.RejectedExecutionException when the chosen loop's queue is full
     * @throws IllegalStateException when every loop is shutting down or has ended
     */
    public Connection connect(InetSocketAddress address, ConnectionConfig config, ConnectionHandler handler) {
        int i = load.leastLoaded();
        if (i < 0) {
            throw new IllegalStateException("connect: every loop of the group is shutting down or ended");
        }
        return load.connect(i, address, config, handler);
    }

    /**
     * Runs {@code task} on {@link #next()}'s loop; use {@code loop(i).execute} to choose.
     *
     * <p>Thread: any.
     *
     * @param task the task
     * @throws java.util.concurrent.RejectedExecutionException when that loop's queue is full
     * @throws IllegalStateException when every loop has ended
     */
    public void execute(Runnable task) {
        next().execute(task);
    }

    /**
     * Runs {@code task} once, after {@code delay}, on {@link #next()}'s loop; use {@code loop(i).schedule}
     * to choose.
     *
     * <p>Thread: any.
     *
     * @param task  the task
     * @param delay delay on that loop's clock
     * @return a handle to cancel it
     * @throws java.util.concurrent.RejectedExecutionException when that loop's queue is full
     */
    public Scheduled schedule(Runnable task, Duration delay) {
        return next().schedule(task, delay);
    }

    /**
     * Every loop stops accepting, flushes and closes its connections, and ends; what is still open
     * after {@code timeout} is closed at once ({@link EventLoop#shutdownGracefully(Duration)} on each,
     * loop 0 first, so a hand-off acceptor stops before the loops it feeds). Returns at once.
     *
     * <p>Thread: any.
     *
     * @param timeout time allowed for flushing
     */
    public void shutdownGracefully(Duration timeout) {
        for (EventLoop l : loops) {
            l.shutdownGracefully(timeout);
        }
    }

    /**
     * Closes every loop at once ({@link EventLoop#close()}): all are asked first, so they end in
     * parallel, then this waits for each. Idempotent.
     *
     * <p>Thread: any. On one of the group's own loop threads it asks and returns without waiting (a
     * loop waiting for another that waits for it would never end); wait with
     * {@link #awaitTermination} from another thread.
     */
    @Override
    public void close() {
        boolean onOwnLoop = false;
        for (EventLoop l : loops) {
            onOwnLoop |= l.inEventLoop();
            try {
                l.execute(l::close); // on its own thread close() only asks; the loop ends after that iteration
            } catch (RuntimeException fullOrEnded) {
                // Full: the close() below sets the flag the loop reads; ended: nothing to do.
            }
        }
        if (onOwnLoop) {
            return;
        }
        for (EventLoop l : loops) {
            l.close();
            // close() can return once the loop's state reads CLOSED, a moment before the termination
            // latch opens (LoopLifecycle.closeEverything); the group promises termination.
            l.awaitTermination(Long.MAX_VALUE);
        }
    }

    /**
     * Waits until every loop has ended.
     *
     * <p>Thread: any other than the group's loop threads.
     *
     * @param timeout how long to wait in all
     * @return whether every loop ended in time
     */
    public boolean awaitTermination(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (EventLoop l : loops) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!l.awaitTermination(left)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Thread: any.
     *
     * @return whether every loop has ended
     */
    public boolean isTerminated() {
        for (EventLoop l : loops) {
            if (!l.isTerminated()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The loops' counters summed ({@link LoopStats#sum}).
     *
     * <p>Thread: any.
     *
     * @return the group's totals now
     */
    public LoopStats stats() {
        return LoopStats.sum(loopStats());
    }

    /**
     * Thread: any.
     *
     * @return one snapshot per loop, by index
     */
    public List<LoopStats> loopStats() {
        List<LoopStats> all = new ArrayList<>(loops.size());
        for (EventLoop l : loops) {
            all.add(l.stats());
        }
        return all;
    }

    @Override
    public String toString() {
        return "EventLoopGroup(" + config.loopConfig().name() + ", " + loops.size() + " loops, "
                + config.listenMode() + ")";
    }
}
