package dev.sluice.internal;

import dev.sluice.ConnectionHandler;
import dev.sluice.ListenerConfig;

import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * A group listener's hand-off: the acceptor loop accepts, and each channel goes to the loop with the
 * least load ({@link GroupLoad}), whose own handler factory makes its handler there. Keeps the
 * listener's open count over every loop, so {@link ListenerConfig#maxConnections()} bounds the whole
 * group, and how many connections went to each loop.
 *
 * <p>Thread: {@link #offer} on the acceptor loop; the counts any; {@link #connectionOpened} and
 * {@link #connectionClosed} on whichever loop owns the connection.
 */
public final class GroupHandOff implements HandOff, ConnectionSource {
    private final GroupLoad load;
    private final ListenerConfig config;
    private final List<? extends Supplier<? extends ConnectionHandler>> factories;
    /** Handed off and not yet closed: in flight or open, on any loop. */
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLongArray handedTo;

    /**
     * @param load      the group's loads
     * @param config    the listener's configuration
     * @param factories one handler factory per loop, by index; each is called on its loop's thread
     */
    public GroupHandOff(GroupLoad load, ListenerConfig config, List<? extends Supplier<? extends ConnectionHandler>> factories) {
        this.load = load;
        this.config = config;
        this.factories = List.copyOf(factories);
        this.handedTo = new AtomicLongArray(factories.size());
    }

    @Override
    public boolean offer(SocketChannel channel) {
        // Only the acceptor increments, so the bound is exact; other loops only ever decrement.
        if (open.get() >= config.maxConnections()) {
            return false;
        }
        int i = load.leastLoaded();
        if (i < 0) {
            return false;
        }
        // Counted before the task is queued, so no loop can make the handler before the counts show it.
        open.incrementAndGet();
        handedTo.incrementAndGet(i);
        if (!load.handOff(i, channel, config.connectionConfig(), factories.get(i), this)) {
            open.decrementAndGet();
            handedTo.decrementAndGet(i);
            return false;
        }
        return true;
    }

    @Override
    public void connectionOpened() {
        // Counted when handed off, so that connections still in flight count against the maximum.
    }

    @Override
    public void connectionClosed() {
        open.decrementAndGet();
    }

    /** @return connections from this listener open or on their way to a loop now. Thread: any. */
    public int openConnections() {
        return open.get();
    }

    /**
     * Thread: any.
     *
     * @param i a loop's index
     * @return connections handed to that loop so far
     */
    public long handedTo(int i) {
        return handedTo.get(i);
    }
}
