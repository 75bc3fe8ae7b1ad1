package dev.sluice.samples.echo;

import dev.sluice.EventLoop;
import dev.sluice.EventLoopGroup;
import dev.sluice.GroupConfig;
import dev.sluice.GroupListenMode;
import dev.sluice.GroupListener;
import dev.sluice.LoopConfig;
import dev.sluice.LoopStats;
import dev.sluice.TlsConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The echo server on an {@link EventLoopGroup}: N loops, one listening address. Each loop has its own
 * {@link EchoServer} part for the state its handlers keep (so a line mode's scratch buffer is never
 * shared between threads), behind one {@link GroupListener}. With
 * {@link GroupListenMode#REUSE_PORT} {@link ServerConfig#maxConnections()} applies per loop.
 *
 * <p>Thread: every public method is safe from any thread; handlers run on their connection's loop.
 */
public final class EchoGroupServer implements AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final EventLoopGroup group;
    private final GroupListener listener;

    private EchoGroupServer(EventLoopGroup group, GroupListener listener) {
        this.group = group;
        this.listener = listener;
    }

    /**
     * Thread: any.
     * Starts {@code loops} loops named {@code echo-server-0..} and listens on all of them (plain TCP).
     *
     * @param loops  the number of loops
     * @param mode   how the listening address is spread over them
     * @param config what to serve and where
     * @param log    where one-line notices go
     * @return the running server
     * @throws IOException when the address cannot be bound
     */
    public static EchoGroupServer start(int loops, GroupListenMode mode, ServerConfig config, PrintStream log)
            throws IOException {
        return start(loops, mode, config, log, null);
    }

    /**
     * Thread: any.
     * Starts {@code loops} loops named {@code echo-server-0..} and listens on all of them, over TLS when
     * {@code tls} is given: each connection handshakes on the loop that serves it.
     *
     * @param loops  the number of loops
     * @param mode   how the listening address is spread over them
     * @param config what to serve and where
     * @param log    where one-line notices go
     * @param tls    TLS for every connection, or {@code null} for plain TCP
     * @return the running server
     * @throws IOException when the address cannot be bound
     */
    public static EchoGroupServer start(int loops, GroupListenMode mode, ServerConfig config, PrintStream log,
                                        TlsConfig tls) throws IOException {
        LoopConfig lc = LoopConfig.defaults().withName("echo-server")
                .withErrorHandler((c, e) -> log.println("echo-server: " + (c == null ? "loop" : c) + ": " + e));
        return start(EventLoopGroup.start(new GroupConfig(loops, lc, mode)), config, log, tls);
    }

    /**
     * Thread: any.
     * Serves on a group the caller made, and takes it over: closing the server ends the group.
     *
     * @param group  the loops to serve on
     * @param config what to serve and where
     * @param log    where one-line notices go
     * @return the running server
     * @throws IOException when the address cannot be bound (the group is closed then)
     */
    public static EchoGroupServer start(EventLoopGroup group, ServerConfig config, PrintStream log) throws IOException {
        return start(group, config, log, null);
    }

    /**
     * Thread: any.
     * Serves on a group the caller made, over TLS when {@code tls} is given, and takes the group over:
     * closing the server ends it.
     *
     * @param group  the loops to serve on
     * @param config what to serve and where
     * @param log    where one-line notices go
     * @param tls    TLS for every connection, or {@code null} for plain TCP
     * @return the running server
     * @throws IOException when the address cannot be bound (the group is closed then)
     */
    public static EchoGroupServer start(EventLoopGroup group, ServerConfig config, PrintStream log, TlsConfig tls)
            throws IOException {
        try {
            List<EchoServer> parts = new ArrayList<>();
            for (EventLoop loop : group.loops()) {
                parts.add(EchoServer.partOf(loop, config, log));
            }
            GroupListener listener = group.listenPerLoop(new InetSocketAddress(config.host(), config.port()),
                    EchoServer.listenerConfig(config, tls), loop -> parts.get(group.loops().indexOf(loop)).handlers());
            return new EchoGroupServer(group, listener);
        } catch (IOException | RuntimeException e) {
            group.close();
            throw e;
        }
    }

    /**
     * Thread: any.
     *
     * @return the bound address, with the real port
     */
    public InetSocketAddress address() {
        return listener.localAddress();
    }

    /**
     * Thread: any.
     *
     * @return the group listener: its mode in effect, and how many connections each loop got
     */
    public GroupListener listener() {
        return listener;
    }

    /**
     * Thread: any.
     *
     * @return the loops
     */
    public EventLoopGroup group() {
        return group;
    }

    /**
     * Thread: any.
     *
     * @return the loops' counters, summed
     */
    public LoopStats stats() {
        return group.stats();
    }

    /**
     * Thread: any.
     * Stops accepting and closes every connection gracefully on every loop. Returns at once.
     *
     * @param timeout the time allowed for flushing
     */
    public void shutdownGracefully(Duration timeout) {
        group.shutdownGracefully(timeout);
    }

    /**
     * Thread: any other than the loops' threads.
     *
     * @param timeout how long to wait
     * @return whether every loop ended in time
     */
    public boolean awaitTermination(Duration timeout) {
        return group.awaitTermination(timeout);
    }

    /**
     * Shuts down gracefully, allowing two seconds for flushing, and waits for the end.
     *
     * <p>Thread: any other than the loops' threads.
     */
    @Override
    public void close() {
        shutdownGracefully(CLOSE_TIMEOUT);
        if (!awaitTermination(CLOSE_TIMEOUT.multipliedBy(5))) {
            throw new IllegalStateException("echo server on " + address() + " did not stop");
        }
    }
}
