package dev.sluice.samples.echo;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.TlsConfig;
import dev.sluice.ConnectionHandler;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.LoopConfig;
import dev.sluice.LoopStats;
import dev.sluice.Scheduled;
import dev.sluice.samples.Durations;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The engine's echo server: one event loop serves every connection. Raw mode echoes each read with
 * {@link Connection#writeCopy}, allocation-free; the line modes frame with
 * {@link dev.sluice.codec.LineFramer} (see {@link EchoMode}).
 *
 * <p>Either it owns its loop ({@link #start(ServerConfig, PrintStream)}) or it shares one the caller
 * owns ({@link #start(EventLoop, ServerConfig, PrintStream)}); shutting down closes only its own
 * listener and connections in the second case.
 *
 * <p>Thread: every public method is safe from any thread; the handlers and the fields they use are
 * confined to the loop thread.
 */
public final class EchoServer implements AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final EventLoop loop;
    private final boolean ownsLoop;
    private final ServerConfig config;
    private final PrintStream log;
    private final Listener listener;
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Loop thread only: this server's open connections, so a shared loop can close just them. */
    private final Set<Connection> open = new HashSet<>();
    /** Loop thread only: where line replies are assembled; every connection of the server is on the loop. */
    private final ByteBuffer lineScratch;
    /** Loop thread only. */
    private boolean stopping;
    /** Loop thread only: on a shared loop, the timer that aborts what has not closed in time. */
    private Scheduled abortStragglers;

    private EchoServer(EventLoop loop, boolean ownsLoop, ServerConfig config, PrintStream log, boolean listen,
                       TlsConfig tls)
            throws IOException {
        this.loop = loop;
        this.ownsLoop = ownsLoop;
        this.config = config;
        this.log = log;
        this.lineScratch = config.mode().framesLines() ? ByteBuffer.allocate(config.maxLineBytes() + 1) : null;
        this.listener = listen
                ? loop.listen(new InetSocketAddress(config.host(), config.port()), listenerConfig(config, tls), handlers())
                : null;
    }

    /** How every echo listener accepts, the group's included; {@code tls} null for plain TCP. Thread: any. */
    static ListenerConfig listenerConfig(ServerConfig config, TlsConfig tls) {
        ConnectionConfig cc = ConnectionConfig.defaults().withReadIdleTimeoutNs(config.idleTimeout().toNanos())
                .withTls(tls);
        return ListenerConfig.defaults().withMaxConnections(config.maxConnections()).withConnectionConfig(cc);
    }

    /** This server's handler factory; its handlers use this server's loop-confined state. Thread: any. */
    Supplier<ConnectionHandler> handlers() {
        RawEchoHandler raw = new RawEchoHandler(this);
        return config.mode().framesLines()
                ? () -> new LineEchoHandler(this, config.maxLineBytes(), config.mode() == EchoMode.UPPER)
                : () -> raw; // raw echo keeps no per-connection state: one handler serves all
    }

    /**
     * One loop's part of an {@link EchoGroupServer}: the state its handlers keep (open connections,
     * the line scratch buffer) for that loop alone, and no listener of its own. Thread: any.
     */
    static EchoServer partOf(EventLoop loop, ServerConfig config, PrintStream log) throws IOException {
        return new EchoServer(loop, true, config, log, false, null);
    }

    /**
     * Thread: any.
     * Starts a loop named {@code echo-server} and listens on it; the address is bound when this returns.
     *
     * @param config what to serve and where
     * @param log    where one-line notices go (closed for a too-long line, idle, errors)
     * @return the running server
     * @throws IOException when the address cannot be bound
     */
    public static EchoServer start(ServerConfig config, PrintStream log) throws IOException {
        return start(config, log, null);
    }

    /**
     * Thread: any.
     * Starts a loop named {@code echo-server} and listens on it, over TLS when {@code tls} is given.
     *
     * @param config what to serve and where
     * @param log    where one-line notices go
     * @param tls    TLS for every connection, or {@code null} for plain TCP
     * @return the running server
     * @throws IOException when the address cannot be bound
     */
    public static EchoServer start(ServerConfig config, PrintStream log, TlsConfig tls) throws IOException {
        LoopConfig lc = LoopConfig.defaults().withName("echo-server")
                .withErrorHandler((c, e) -> log.println("echo-server: " + (c == null ? "loop" : c) + ": " + e));
        EventLoop loop = EventLoop.start(lc);
        try {
            return new EchoServer(loop, true, config, log, true, tls);
        } catch (IOException | RuntimeException e) {
            loop.close();
            throw e;
        }
    }

    /**
     * Thread: any.
     * Listens on a loop the caller owns and keeps running after this server closes.
     *
     * @param loop   the loop to serve on
     * @param config what to serve and where
     * @param log    where one-line notices go
     * @return the running server
     * @throws IOException when the address cannot be bound
     */
    public static EchoServer start(EventLoop loop, ServerConfig config, PrintStream log) throws IOException {
        return start(loop, config, log, null);
    }

    /**
     * Thread: any.
     * Listens on a loop the caller owns, over TLS when {@code tls} is given.
     *
     * @param loop   the loop to serve on
     * @param config what to serve and where
     * @param log    where one-line notices go
     * @param tls    TLS for every connection, or {@code null} for plain TCP
     * @return the running server
     * @throws IOException when the address cannot be bound
     */
    public static EchoServer start(EventLoop loop, ServerConfig config, PrintStream log, TlsConfig tls)
            throws IOException {
        return new EchoServer(loop, false, config, log, true, tls);
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
     * @return the configuration
     */
    public ServerConfig config() {
        return config;
    }

    /**
     * Thread: any.
     *
     * @return the loop the server runs on
     */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Thread: any.
     *
     * @return the listener (accepted, rejected and open counts)
     */
    public Listener listener() {
        return listener;
    }

    /**
     * Thread: any.
     * The loop's counters: bytes read and written, closes by reason. On a shared loop they include
     * the other users' traffic.
     *
     * @return a snapshot
     */
    public LoopStats stats() {
        return loop.stats();
    }

    /**
     * Threads serving connections: always one, the loop's, however many connections there are.
     *
     * <p>Thread: any.
     *
     * @return 1
     */
    public int serverThreads() {
        return 1;
    }

    /**
     * Thread: any.
     * Stops accepting and closes every connection gracefully (pending echoes are flushed first); what
     * is still open after {@code timeout} is closed at once. Returns at once; see
     * {@link #awaitTermination(Duration)}.
     *
     * @param timeout the time allowed for flushing
     */
    public void shutdownGracefully(Duration timeout) {
        if (ownsLoop) {
            loop.shutdownGracefully(timeout.toNanos());
            return;
        }
        try {
            loop.execute(() -> stopOnSharedLoop(timeout));
        } catch (IllegalStateException loopClosed) {
            stopped.countDown(); // the loop closed every connection on its way out
        }
    }

    private void stopOnSharedLoop(Duration timeout) {
        if (stopping) {
            return;
        }
        stopping = true;
        listener.close();
        for (Connection c : new ArrayList<>(open)) {
            c.close();
        }
        if (open.isEmpty()) {
            stopped.countDown();
        } else {
            abortStragglers = loop.schedule(() -> new ArrayList<>(open).forEach(Connection::abort), timeout.toNanos());
        }
    }

    /**
     * Thread: any other than the loop thread.
     * Waits until the server has stopped: its loop ended, or on a shared loop its connections closed.
     *
     * @param timeout how long to wait
     * @return whether it stopped in time
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        if (ownsLoop) {
            return loop.awaitTermination(timeout.toNanos());
        }
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS) || loop.isTerminated();
    }

    /**
     * Shuts down gracefully, allowing two seconds for flushing, and waits for the end.
     *
     * <p>Thread: any other than the loop thread.
     */
    @Override
    public void close() {
        shutdownGracefully(CLOSE_TIMEOUT);
        try {
            if (!awaitTermination(CLOSE_TIMEOUT.multipliedBy(5))) {
                throw new IllegalStateException("echo server on " + address() + " did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- called by the handlers, loop thread

    void opened(Connection c) {
        open.add(c);
        if (config.verbose()) {
            log("opened " + c);
        }
    }

    void closed(Connection c, CloseReason reason, Throwable cause) {
        open.remove(c);
        if (config.verbose() || isUnusual(reason)) {
            log("closed " + c + ": " + reason + (cause == null ? "" : " (" + cause.getMessage() + ")"));
        }
        if (stopping && open.isEmpty()) {
            if (abortStragglers != null) {
                abortStragglers.cancel(); // leave a shared loop with nothing of ours pending
            }
            stopped.countDown();
        }
    }

    void idle(Connection c) {
        log("closing " + c + ": idle for " + Durations.format(config.idleTimeout()));
    }

    void log(String message) {
        log.println("echo-server: " + message);
    }

    ByteBuffer lineScratch() {
        return lineScratch;
    }

    private static boolean isUnusual(CloseReason reason) {
        switch (reason) {
            case OUTPUT_OVERFLOW:
            case INPUT_OVERFLOW:
            case IO_ERROR:
                return true;
            default:
                return false;
        }
    }
}
