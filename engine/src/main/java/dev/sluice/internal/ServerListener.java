package dev.sluice.internal;

import dev.sluice.CloseReason;
import dev.sluice.ConnectionHandler;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Supplier;

/**
 * A listening socket on a loop. Accepts up to a batch per readiness event, refuses connections past
 * the maximum, and when {@code accept} fails (typically EMFILE, "Too many open files") stops asking for
 * {@code OP_ACCEPT} for a growing back-off instead of spinning: the pending connection stays in the
 * backlog and the selector would report it ready again at once.
 *
 * <p>Thread: counters any; everything else loop only.
 */
final class ServerListener implements Listener, Selectable, ConnectionSource {
    private static final int ACCEPTED = 0;
    private static final int REJECTED = 1;
    private static final int ACCEPT_ERRORS = 2;
    private static final int OPEN = 3;
    private static final long FIRST_BACKOFF_NS = 10_000_000L;
    private static final long MAX_BACKOFF_NS = 1_000_000_000L;

    private final Loop loop;
    private final ServerSocketChannel channel;
    private final InetSocketAddress localAddress;
    private final ListenerConfig config;
    private final Supplier<? extends ConnectionHandler> factory;
    /** Null: serve accepted connections here. Else they go to the hand-off (a group's acceptor). */
    private final HandOff handOff;
    private final Counters counts = new Counters();
    private final TimerNode resume = new TimerNode() {
        @Override
        protected void onExpire(long nowNs) {
            resumeAccepting();
        }
    };

    private SelectionKey key;
    private int openConnections;
    private long backoffNs;
    private volatile boolean closed;

    ServerListener(Loop loop, InetSocketAddress address, ListenerConfig config,
                   Supplier<? extends ConnectionHandler> factory, boolean reusePort, HandOff handOff)
            throws IOException {
        this.loop = loop;
        this.config = config;
        this.factory = factory;
        this.handOff = handOff;
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                // Before bind: socket(7) "SO_REUSEPORT ... must be set on each socket before binding".
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            ch.bind(address, config.backlog());
            ch.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        this.channel = ch;
        this.localAddress = (InetSocketAddress) ch.getLocalAddress();
    }

    void register() throws IOException {
        if (closed) {
            return;
        }
        key = channel.register(loop.selector(), SelectionKey.OP_ACCEPT, this);
    }

    @Override
    public void onReady(int readyOps) {
        long nowNs = loop.nowNs();
        for (int i = 0; i < config.acceptBatch() && !closed; i++) {
            SocketChannel ch;
            try {
                ch = channel.accept();
            } catch (IOException e) {
                backOff(nowNs, e);
                return;
            }
            if (ch == null) {
                break;
            }
            backoffNs = 0;
            if (handOff != null) {
                handOff(ch);
                continue;
            }
            if (openConnections >= config.maxConnections() || !loop.acceptsNewWork()) {
                reject(ch);
                continue;
            }
            ConnectionHandler handler;
            try {
                handler = factory.get();
            } catch (Throwable t) {
                closeQuietly(ch);
                Fatal.rethrowIfFatal(t);
                loop.report(null, t);
                continue;
            }
            SocketConnection c = new SocketConnection(loop, config.connectionConfig(), handler, this);
            openConnections++;
            counts.inc(ACCEPTED);
            loop.counters.inc(Counters.ACCEPTS);
            c.startAccepted(ch, nowNs);
        }
    }

    /**
     * Counts what the hand-off takes as accepted here; what it refuses is rejected (reset) here. The
     * count goes up before the offer: once offered, the other loop may serve the connection (and its
     * client read the reply) before this thread would have counted it.
     */
    private void handOff(SocketChannel ch) {
        if (!loop.acceptsNewWork()) {
            reject(ch);
            return;
        }
        counts.inc(ACCEPTED);
        loop.counters.inc(Counters.ACCEPTS);
        if (!handOff.offer(ch)) {
            counts.add(ACCEPTED, -1);
            loop.counters.add(Counters.ACCEPTS, -1);
            reject(ch);
        }
    }

    private void reject(SocketChannel ch) {
        counts.inc(REJECTED);
        loop.counters.inc(Counters.REJECTED);
        loop.counters.inc(Counters.CLOSES + CloseReason.REJECTED.ordinal());
        try {
            // RST rather than FIN: the peer learns at once that nobody will serve it.
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException ignored) {
            // Closing below is all that matters.
        }
        closeQuietly(ch);
    }

    private void backOff(long nowNs, IOException e) {
        counts.inc(ACCEPT_ERRORS);
        loop.counters.inc(Counters.ACCEPT_ERRORS);
        backoffNs = backoffNs == 0 ? FIRST_BACKOFF_NS : Math.min(backoffNs * 2, MAX_BACKOFF_NS);
        if (key != null && key.isValid()) {
            key.interestOps(0);
        }
        loop.timers.schedule(resume, nowNs + backoffNs);
        if (backoffNs == FIRST_BACKOFF_NS || !IoErrors.isOutOfDescriptors(e)) {
            loop.report(null, new IOException("accept failed on " + localAddress + ", backing off "
                    + backoffNs / 1_000_000 + " ms: " + e.getMessage(), e));
        }
    }

    private void resumeAccepting() {
        if (!closed && key != null && key.isValid()) {
            key.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    @Override
    public void connectionClosed() {
        openConnections--;
        counts.set(OPEN, openConnections);
    }

    @Override
    public void connectionOpened() {
        counts.set(OPEN, openConnections);
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public long acceptedCount() {
        return counts.get(ACCEPTED);
    }

    @Override
    public long rejectedCount() {
        return counts.get(REJECTED);
    }

    @Override
    public long acceptErrorCount() {
        return counts.get(ACCEPT_ERRORS);
    }

    @Override
    public int openConnections() {
        return (int) counts.get(OPEN);
    }

    @Override
    public void onDispatchFailure(RuntimeException e) {
        close();
    }

    @Override
    public Class<?> handlerClass() {
        return factory.getClass(); // accepting runs the handler factory
    }

    /** Never registered (the loop would not take it): closes the socket, from any thread. */
    void abandon() {
        closed = true;
        closeQuietly(channel);
    }

    @Override
    public void close() {
        if (!loop.thread.hopIfNeeded(this::close)) {
            return; // queued for the loop; or the loop has ended and closed every listener already
        }
        if (closed) {
            return;
        }
        closed = true;
        loop.timers.cancel(resume);
        if (key != null) {
            key.cancel();
        }
        closeQuietly(channel);
        loop.registry.remove(this);
    }

    private static void closeQuietly(java.nio.channels.Channel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // Nothing useful to do: the descriptor is released either way.
        }
    }

    @Override
    public String toString() {
        return "Listener" + localAddress;
    }
}
