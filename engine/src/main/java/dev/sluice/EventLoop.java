package dev.sluice;

import dev.sluice.internal.Adoption;
import dev.sluice.internal.Loop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One thread, one {@link java.nio.channels.Selector}, many connections. Each iteration runs queued
 * tasks, flushes pending output, sleeps in {@code select} until I/O or the next deadline, dispatches
 * ready keys (connect, write, read, accept), expires timers and then delivers deferred callbacks. See
 * {@code docs/architecture.md} for the picture.
 *
 * <p>Two ways to drive it: {@link #start(LoopConfig)} gives it its own thread; {@link #create(LoopConfig)}
 * leaves it with the creating thread, which calls {@link #runOnce(long)} itself, with a manual clock
 * if it wants to decide what time it is (tests do this to fire deadlines exactly).
 *
 * <p>Thread: each method says. "Any" methods are safe from every thread; off the loop thread they go
 * through one bounded multi-producer queue ({@link LoopConfig#taskQueueCapacity()}), and the selector is
 * woken only when the loop may be asleep. A method that must go through the queue and finds it full
 * throws {@link java.util.concurrent.RejectedExecutionException} (writes return {@code false} instead);
 * {@link #close()} and {@link #shutdownGracefully} never need room in it. A loop-only method called
 * from another thread throws {@link IllegalStateException}.
 *
 * <p>Time: a started loop reads its clock when an iteration begins (tasks and the flush see that time)
 * and again when {@code select} returns (accepts, reads, writes, timers and deferred callbacks see the
 * second reading), so whatever woke the loop is stamped with the time it happened. A loop driven by
 * {@link #runOnce(long)} sees the time it is given in every phase.
 */
public final class EventLoop implements AutoCloseable {
    private final Loop loop;

    private EventLoop(LoopConfig config) {
        this.loop = new Loop(config, this);
    }

    /**
     * Thread: any; the caller becomes the loop thread.
     * Creates a loop owned by the calling thread, which drives it with {@link #runOnce(long)}.
     *
     * @param config the configuration
     * @return the loop
     */
    public static EventLoop create(LoopConfig config) {
        return new EventLoop(config);
    }

    /**
     * Thread: any.
     * Creates a loop and starts its thread.
     *
     * @param config the configuration
     * @return the running loop
     */
    public static EventLoop start(LoopConfig config) {
        EventLoop l = new EventLoop(config);
        l.loop.start();
        return l;
    }

    /**
     * Thread: the owner of a loop made with {@link #create(LoopConfig)} only.
     * Runs one iteration with {@code nowNs} as the time, blocking in {@code select} at most until the
     * next deadline (measured from {@code nowNs}) or {@link LoopConfig#maxSelectWaitNs()}.
     *
     * @param nowNs the loop clock's reading for this iteration
     * @throws IllegalStateException off the owner thread, or once the loop is closed
     */
    public void runOnce(long nowNs) {
        loop.runOnce(nowNs);
    }

    /**
     * Thread: any.
     * Listens on {@code address}; the socket is bound when this returns (port 0 picks a free port, see
     * {@link Listener#localAddress()}), and accepting starts on the loop.
     *
     * @param address where to listen, e.g. {@code new InetSocketAddress("127.0.0.1", 0)}
     * @param config  how to accept and configure connections
     * @param factory makes one handler per accepted connection, on the loop thread
     * @return the listener
     * @throws IOException when the address cannot be bound
     * @throws IllegalStateException when the loop is shutting down or closed (nothing is bound then)
     */
    public Listener listen(InetSocketAddress address, ListenerConfig config,
                           Supplier<? extends ConnectionHandler> factory) throws IOException {
        return loop.resources().listen(address, config, factory);
    }

    /**
     * Thread: any.
     * Binds a UDP socket on {@code address} (bound when this returns; port 0 picks a free port) and
     * receives its datagrams on this loop.
     *
     * @param address where to bind, e.g. {@code new InetSocketAddress("127.0.0.1", 0)}
     * @param config  datagram size and queue limits
     * @param handler receives each datagram on the loop thread
     * @return the endpoint
     * @throws IOException when the address cannot be bound
     * @throws IllegalStateException when the loop is shutting down or closed (nothing is bound then)
     */
    public DatagramEndpoint bindDatagram(InetSocketAddress address, DatagramConfig config,
                                         DatagramHandler handler) throws IOException {
        return loop.resources().bindDatagram(address, config, handler);
    }

    /**
     * Thread: any.
     * Connects to {@code address}. Returns at once; the handler's {@link ConnectionHandler#onOpen} follows
     * when connected, or {@link ConnectionHandler#onClose} with {@link CloseReason#CONNECT_FAILED} or
     * {@link CloseReason#CONNECT_TIMEOUT}. Writes made before the connect completes are queued and sent
     * after it. The address must be resolved: name resolution blocks, so resolve off the loop thread.
     *
     * @param address the peer
     * @param config  connection configuration
     * @param handler the connection's handler
     * @return the connection, not yet open
     * @throws java.util.concurrent.RejectedExecutionException when the task queue is full
     * @throws IllegalStateException when the loop is closed
     */
    public Connection connect(InetSocketAddress address, ConnectionConfig config, ConnectionHandler handler) {
        return loop.resources().connect(address, config, handler);
    }

    /**
     * Thread: any.
     * Serves a channel some other code accepted (another loop, a blocking {@code accept}, an inherited
     * socket) on this loop: the loop makes it non-blocking, applies {@code config}'s socket options and
     * registers it in a queued task, and {@link ConnectionHandler#onOpen} follows from there, never
     * inside this call. From this call on the loop owns the channel: it is closed when the connection
     * closes, and at once when this call throws. A loop group's hand-off uses this path.
     *
     * @param channel an accepted, connected channel, no longer used by the caller
     * @param config  connection configuration
     * @param handler the connection's handler
     * @return the connection, not yet open
     * @throws java.util.concurrent.RejectedExecutionException when the task queue is full (counted in
     *         {@link LoopStats#tasksRejected()}; the channel is closed)
     * @throws IllegalStateException when the loop has ended (the channel is closed)
     */
    public Connection adopt(SocketChannel channel, ConnectionConfig config, ConnectionHandler handler) {
        return Adoption.adopt(loop, channel, config, handler);
    }

    /**
     * Thread: any.
     * Runs {@code task} on the loop thread, in order with other tasks, at the start of an iteration.
     *
     * @param task the task
     * @throws java.util.concurrent.RejectedExecutionException when the task queue is full (counted in
     *         {@link LoopStats#tasksRejected()}): the loop is not keeping up
     * @throws IllegalStateException when the loop is closed
     */
    public void execute(Runnable task) {
        loop.execute(task);
    }

    /**
     * Thread: any.
     * Runs {@code task} once on the loop thread when the loop clock reaches now + {@code delayNs}.
     *
     * @param task    the task
     * @param delayNs delay in nanoseconds of the loop clock, at least 0
     * @return a handle to cancel it
     * @throws java.util.concurrent.RejectedExecutionException off the loop thread, when the task queue is full
     */
    public Scheduled schedule(Runnable task, long delayNs) {
        return loop.resources().schedule(task, delayNs);
    }

    /**
     * Thread: any.
     * Runs {@code task} once on the loop thread when the loop clock reaches now + {@code delay}.
     *
     * @param task  the task
     * @param delay delay on the loop clock, not negative
     * @return a handle to cancel it
     * @throws java.util.concurrent.RejectedExecutionException off the loop thread, when the task queue is full
     */
    public Scheduled schedule(Runnable task, Duration delay) {
        return loop.resources().schedule(task, ConnectionConfig.nanos(delay, "delay"));
    }

    /**
     * Thread: any.
     * Whether the caller is this loop's thread.
     *
     * @return {@code true} on the loop thread
     */
    public boolean inEventLoop() {
        return loop.inLoop();
    }

    /**
     * Thread: event loop only.
     * The time of the current iteration on the loop clock; deadlines are set relative to it.
     *
     * @return nanoseconds
     */
    public long nowNs() {
        loop.checkInLoop("nowNs");
        return loop.nowNs();
    }

    /**
     * Thread: any.
     * Stops accepting, closes every connection gracefully (pending output is flushed first), and after
     * {@code timeoutNs} closes whatever is still open with {@link CloseReason#SHUTDOWN}. The loop ends
     * when no connection is left. Returns at once; see {@link #awaitTermination(long)}.
     *
     * @param timeoutNs time allowed for flushing, on the loop clock
     */
    public void shutdownGracefully(long timeoutNs) {
        loop.shutdownGracefully(timeoutNs);
    }

    /**
     * Thread: any.
     * {@link #shutdownGracefully(long)} with a {@link Duration}.
     *
     * @param timeout time allowed for flushing, on the loop clock
     */
    public void shutdownGracefully(Duration timeout) {
        loop.shutdownGracefully(ConnectionConfig.nanos(timeout, "shutdown timeout"));
    }

    /**
     * Closes every listener and connection at once ({@link CloseReason#SHUTDOWN}), delivers their
     * {@code onClose} callbacks, closes the selector and ends the loop thread. From another thread this
     * waits for the loop to end; on the loop thread the loop ends after the current iteration.
     * Idempotent.
     *
     * <p>Thread: any, except that a loop driven by {@link #runOnce(long)} is closed by its owner.
     */
    @Override
    public void close() {
        loop.close();
    }

    /**
     * Thread: any other than the loop thread, where it throws {@link IllegalStateException} (it would
     * wait for itself) unless the loop has already ended.
     * Waits until the loop has ended (after {@link #close()} or a graceful shutdown).
     *
     * @param timeoutNs how long to wait
     * @return whether it ended in time
     */
    public boolean awaitTermination(long timeoutNs) {
        return loop.awaitTermination(timeoutNs);
    }

    /**
     * Thread: any other than the loop thread (see {@link #awaitTermination(long)}).
     * {@link #awaitTermination(long)} with a {@link Duration}.
     *
     * @param timeout how long to wait
     * @return whether it ended in time
     */
    public boolean awaitTermination(Duration timeout) {
        return loop.awaitTermination(ConnectionConfig.nanos(timeout, "timeout"));
    }

    /**
     * Thread: any.
     * Whether the loop has ended: every channel closed, the selector closed, the thread gone or about to
     * return.
     *
     * @return whether it ended
     */
    public boolean isTerminated() {
        return loop.isTerminated();
    }

    /**
     * Thread: any.
     * A snapshot of the loop's counters. Cheap enough to call once a second from a monitoring thread:
     * it copies one {@code long[]} with opaque reads, taking no lock and never waking the loop. Counters
     * only grow, so the difference of two snapshots is the traffic in between; per-listener counts are
     * on {@link Listener} ({@link Listener#acceptedCount()} and the rest).
     *
     * @return the counters now
     */
    public LoopStats stats() {
        return new LoopStats(loop.stats());
    }

    /**
     * Thread: event loop only, or any after termination.
     * Keys registered with the selector (listeners and connections, including ones cancelled but not yet
     * deregistered by a select); 0 once the loop has ended.
     *
     * @return the number of keys
     */
    public int registeredKeys() {
        return loop.registeredKeys();
    }

    /** The engine room, for the loop group in this package. */
    Loop engine() {
        return loop;
    }
}
