package dev.sluice.internal;

import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.ConnectionHandler;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How loaded each loop of a group is, and placing new connections on the least loaded one. A loop's
 * load is its open connections (the gauge the loop keeps) plus the connections handed to it that it
 * has not registered yet: without the second term a burst of accepts, or of connects from one thread,
 * would all see the same stale gauges and land on one loop. The two terms are updated apart, so a
 * connection counts twice for the moment between its registration and the end of its start task:
 * a tie may then break the other way, never by more than the connections in flight.
 *
 * <p>Thread: any. The in-flight counts are atomics; the gauges are the loops' opaque counters.
 */
public final class GroupLoad {
    private final Loop[] loops;
    private final AtomicInteger[] inFlight;
    /** Where ties start: equal loads are taken in turn, not always the lowest index. */
    private final AtomicInteger tieBreak = new AtomicInteger();

    /**
     * @param loops the group's loops, by index
     */
    public GroupLoad(Loop[] loops) {
        this.loops = loops.clone();
        this.inFlight = new AtomicInteger[loops.length];
        for (int i = 0; i < loops.length; i++) {
            inFlight[i] = new AtomicInteger();
        }
    }

    /**
     * Thread: any.
     *
     * @param i a loop's index
     * @return its open connections plus those on their way to it
     */
    public long load(int i) {
        return loops[i].counters.get(Counters.OPEN_CONNECTIONS) + inFlight[i].get();
    }

    /**
     * Thread: any.
     *
     * @return the index of the loop with the least load among those still taking new work, or -1
     *         when none is (every loop shutting down or ended)
     */
    public int leastLoaded() {
        int n = loops.length;
        int start = Math.floorMod(tieBreak.getAndIncrement(), n);
        int best = -1;
        long bestLoad = Long.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            if (!loops[i].acceptsNewWork()) {
                continue; // a loop that failed or is shutting down gets nothing new
            }
            long l = load(i);
            if (l < bestLoad) {
                bestLoad = l;
                best = i;
            }
        }
        return best;
    }

    /**
     * Thread: any. Connects on loop {@code i}, counting the connection in flight until the loop has started it.
     *
     * @param i       the loop's index
     * @param address the peer, resolved
     * @param config  the connection's configuration
     * @param handler the handler
     * @return the connection, not yet open
     * @throws java.util.concurrent.RejectedExecutionException when that loop's queue is full
     * @throws IllegalStateException when that loop has ended
     */
    public Connection connect(int i, InetSocketAddress address, ConnectionConfig config, ConnectionHandler handler) {
        if (address == null || config == null || handler == null) {
            throw new NullPointerException("connect needs an address, a config and a handler");
        }
        Loop loop = loops[i];
        SocketConnection c = new SocketConnection(loop, config, handler, null);
        AtomicInteger pending = inFlight[i];
        pending.incrementAndGet();
        try {
            // As LoopResources.connect: always queued, so onOpen never runs inside this call.
            loop.thread.execute(() -> {
                try {
                    c.startConnect(address, loop.nowNs());
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            pending.decrementAndGet();
            throw e;
        }
        return c;
    }

    /** Hands {@code channel} to loop {@code i}; see {@link Adoption#handOff}. */
    boolean handOff(int i, java.nio.channels.SocketChannel channel, ConnectionConfig config,
                    java.util.function.Supplier<? extends ConnectionHandler> factory, ConnectionSource source) {
        AtomicInteger pending = inFlight[i];
        pending.incrementAndGet();
        if (Adoption.handOff(loops[i], channel, config, factory, source, pending::decrementAndGet)) {
            return true;
        }
        pending.decrementAndGet();
        return false;
    }
}
