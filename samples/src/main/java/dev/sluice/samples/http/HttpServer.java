package dev.sluice.samples.http;

import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.EventLoopGroup;
import dev.sluice.GroupConfig;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.TlsConfig;
import dev.sluice.LoopConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Thread: any, for every method.
 *
 * <p>A minimal HTTP/1.1 server on one event loop, for benchmarks and tests:
 * <ul>
 *   <li>{@code GET /} (and {@code /plaintext}) answers {@code Hello, World!} in the TechEmpower
 *       plaintext style, with {@code Server}, {@code Date} and {@code Content-Length};</li>
 *   <li>keep-alive and pipelining; {@code Connection: close} is honoured after the answer;</li>
 *   <li>other paths are files under an optional root directory, or 404; methods other than GET and
 *       HEAD get 405;</li>
 *   <li>malformed requests get 400 (or 413, 414, 431, 501, 505 where those say more) and the
 *       connection closes;</li>
 *   <li>limits on the request head, body, header count, idle time and open connections.</li>
 * </ul>
 *
 * <p>Either the server owns its loop ({@link #start(InetSocketAddress, Path, Limits, LoopConfig)}; closing the
 * server ends the loop) or it shares a loop the caller owns ({@link #start(EventLoop, InetSocketAddress,
 * Path, Limits)}; closing the server stops listening, and the caller's loop closes the connections).
 */
public final class HttpServer implements AutoCloseable {

    /**
     * Thread: any (immutable). The server's limits.
     *
     * @param maxHeadBytes   most bytes of request line plus fields; more gets 414 or 431
     * @param maxHeaderCount most field lines; more gets 431
     * @param maxBodyBytes   most request body bytes (bodies are read and discarded); more gets 413
     * @param idleTimeoutNs  a connection that sends nothing, or takes nothing of a pending answer, for
     *                       this long is closed; 0 for never
     * @param maxConnections most connections open at once; more are accepted and closed at once
     */
    public record Limits(int maxHeadBytes, int maxHeaderCount, long maxBodyBytes, long idleTimeoutNs, int maxConnections) {

        /**
         * Thread: any. Validates the limits.
         *
         * @throws IllegalArgumentException when one is out of range
         */
        public Limits {
            if (maxHeadBytes < 64 || maxHeaderCount < 1 || maxBodyBytes < 0 || idleTimeoutNs < 0 || maxConnections < 1) {
                throw new IllegalArgumentException("bad server limits: " + maxHeadBytes + ", " + maxHeaderCount + ", "
                        + maxBodyBytes + ", " + idleTimeoutNs + ", " + maxConnections);
            }
        }

        /**
         * Thread: any. 8 KiB head, 100 fields, 1 MiB body, 60 s idle, 10,000 connections.
         *
         * @return the defaults
         */
        public static Limits defaults() {
            return new Limits(HttpRequestParser.DEFAULT_MAX_HEAD_BYTES, HttpRequestParser.DEFAULT_MAX_HEADER_COUNT,
                    HttpRequestParser.DEFAULT_MAX_BODY_BYTES, TimeUnit.SECONDS.toNanos(60), 10_000);
        }

        /**
         * Thread: any.
         *
         * @param nanos the idle timeout, 0 for none
         * @return a copy with it
         */
        public Limits withIdleTimeoutNs(long nanos) {
            return new Limits(maxHeadBytes, maxHeaderCount, maxBodyBytes, nanos, maxConnections);
        }

        /**
         * Thread: any.
         *
         * @param bytes the head limit
         * @return a copy with it
         */
        public Limits withMaxHeadBytes(int bytes) {
            return new Limits(bytes, maxHeaderCount, maxBodyBytes, idleTimeoutNs, maxConnections);
        }
    }

    private final EventLoop loop;
    private final boolean ownsLoop;
    private final Listener listener;
    /** Non-null for a server on a group of loops, which it owns; {@link #loop} is then its loop 0. */
    private final EventLoopGroup group;

    private HttpServer(EventLoop loop, boolean ownsLoop, Listener listener) {
        this(loop, ownsLoop, listener, null);
    }

    private HttpServer(EventLoop loop, boolean ownsLoop, Listener listener, EventLoopGroup group) {
        this.loop = loop;
        this.ownsLoop = ownsLoop;
        this.listener = listener;
        this.group = group;
    }

    /**
     * Thread: any. Starts a plain HTTP server on a group of loops it owns, which {@link #close()} ends.
     *
     * @param address     where to listen
     * @param root        directory of static files, or {@code null} for none
     * @param limits      the limits ({@code maxConnections} is per loop with {@code REUSE_PORT})
     * @param groupConfig how many loops, their configuration, how the address is spread
     * @return the running server
     * @throws IOException when the address cannot be bound or the root is not a directory
     */
    public static HttpServer start(InetSocketAddress address, Path root, Limits limits, GroupConfig groupConfig)
            throws IOException {
        return start(address, root, limits, groupConfig, null);
    }

    /**
     * Thread: any. Starts a server on a group of loops it owns, which {@link #close()} ends, serving HTTPS
     * when {@code tls} is given (each connection handshakes on the loop that serves it). Each loop gets
     * its own {@code ServerResponses} (its Date cache is loop-confined).
     *
     * @param address     where to listen
     * @param root        directory of static files, or {@code null} for none
     * @param limits      the limits ({@code maxConnections} is per loop with {@code REUSE_PORT})
     * @param groupConfig how many loops, their configuration, how the address is spread
     * @param tls         TLS for every connection, or {@code null} for plain HTTP
     * @return the running server
     * @throws IOException when the address cannot be bound or the root is not a directory
     */
    public static HttpServer start(InetSocketAddress address, Path root, Limits limits, GroupConfig groupConfig,
                                   TlsConfig tls) throws IOException {
        StaticFiles files = root == null ? null : new StaticFiles(root);
        EventLoopGroup group = EventLoopGroup.start(groupConfig);
        try {
            Listener listener = group.listenPerLoop(address, listenerConfig(limits, tls), loop -> {
                ServerResponses responses = new ServerResponses(System::currentTimeMillis);
                return () -> new HttpServerConnection(responses, files, limits);
            });
            return new HttpServer(group.loop(0), true, listener, group);
        } catch (IOException | RuntimeException e) {
            group.close();
            throw e;
        }
    }

    /**
     * Thread: any. Starts a server with its own loop on {@code 127.0.0.1:port}.
     *
     * @param port   the port, 0 for any free one (see {@link #port()})
     * @param root   directory of static files, or {@code null} for none
     * @param limits the limits
     * @return the running server
     * @throws IOException when the port cannot be bound or the root is not a directory
     */
    public static HttpServer start(int port, Path root, Limits limits) throws IOException {
        return start(new InetSocketAddress("127.0.0.1", port), root, limits, LoopConfig.defaults().withName("http-server"));
    }

    /**
     * Thread: any. Starts a server with its own loop, which {@link #close()} ends.
     *
     * @param address    where to listen
     * @param root       directory of static files, or {@code null} for none
     * @param limits     the limits
     * @param loopConfig the loop's configuration
     * @return the running server
     * @throws IOException when the address cannot be bound or the root is not a directory
     */
    public static HttpServer start(InetSocketAddress address, Path root, Limits limits, LoopConfig loopConfig)
            throws IOException {
        return start(address, root, limits, loopConfig, null);
    }

    /**
     * Thread: any. Starts a server with its own loop, which {@link #close()} ends, serving HTTPS when
     * {@code tls} is given.
     *
     * @param address    where to listen
     * @param root       directory of static files, or {@code null} for none
     * @param limits     the limits
     * @param loopConfig the loop's configuration
     * @param tls        TLS for every connection, or {@code null} for plain HTTP
     * @return the running server
     * @throws IOException when the address cannot be bound or the root is not a directory
     */
    public static HttpServer start(InetSocketAddress address, Path root, Limits limits, LoopConfig loopConfig,
                                   TlsConfig tls) throws IOException {
        StaticFiles files = root == null ? null : new StaticFiles(root);
        EventLoop loop = EventLoop.start(loopConfig);
        try {
            return new HttpServer(loop, true, listen(loop, address, files, limits, tls));
        } catch (IOException | RuntimeException e) {
            loop.close();
            throw e;
        }
    }

    /**
     * Thread: any. Starts a server on a loop the caller owns; {@link #close()} only stops listening.
     *
     * @param loop    the loop to serve on
     * @param address where to listen
     * @param root    directory of static files, or {@code null} for none
     * @param limits  the limits
     * @return the running server
     * @throws IOException when the address cannot be bound or the root is not a directory
     */
    public static HttpServer start(EventLoop loop, InetSocketAddress address, Path root, Limits limits)
            throws IOException {
        return start(loop, address, root, limits, null);
    }

    /**
     * Thread: any. Starts a server on a loop the caller owns, serving HTTPS when {@code tls} is given;
     * {@link #close()} only stops listening.
     *
     * @param loop    the loop to serve on
     * @param address where to listen
     * @param root    directory of static files, or {@code null} for none
     * @param limits  the limits
     * @param tls     TLS for every connection, or {@code null} for plain HTTP
     * @return the running server
     * @throws IOException when the address cannot be bound or the root is not a directory
     */
    public static HttpServer start(EventLoop loop, InetSocketAddress address, Path root, Limits limits, TlsConfig tls)
            throws IOException {
        StaticFiles files = root == null ? null : new StaticFiles(root);
        return new HttpServer(loop, false, listen(loop, address, files, limits, tls));
    }

    private static Listener listen(EventLoop loop, InetSocketAddress address, StaticFiles files, Limits limits,
                                   TlsConfig tls) throws IOException {
        // One ServerResponses per server, used only on the loop thread, so its Date cache needs no lock.
        ServerResponses responses = new ServerResponses(System::currentTimeMillis);
        return loop.listen(address, listenerConfig(limits, tls), () -> new HttpServerConnection(responses, files, limits));
    }

    private static ListenerConfig listenerConfig(Limits limits, TlsConfig tls) {
        ConnectionConfig connection = ConnectionConfig.defaults()
                .withReadIdleTimeoutNs(limits.idleTimeoutNs())
                .withWriteTimeoutNs(limits.idleTimeoutNs())
                .withTls(tls);
        return ListenerConfig.defaults()
                .withMaxConnections(limits.maxConnections())
                .withConnectionConfig(connection);
    }

    /**
     * Thread: any.
     *
     * @return the bound port
     */
    public int port() {
        return listener.localAddress().getPort();
    }

    /**
     * Thread: any.
     *
     * @return the bound address
     */
    public InetSocketAddress address() {
        return listener.localAddress();
    }

    /**
     * Thread: any.
     *
     * @return connections accepted so far
     */
    public long acceptedConnections() {
        return listener.acceptedCount();
    }

    /**
     * Thread: any.
     *
     * @return connections open now
     */
    public int openConnections() {
        return listener.openConnections();
    }

    /**
     * Thread: any.
     *
     * @return the loop the server runs on (on a group, its loop 0)
     */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Thread: any other than the server's loop threads. Waits until the server's own loop, or every
     * loop of its group, has ended.
     *
     * @param timeoutNs how long to wait
     * @return whether it ended in time
     */
    public boolean awaitTermination(long timeoutNs) {
        return group != null ? group.awaitTermination(java.time.Duration.ofNanos(timeoutNs)) : loop.awaitTermination(timeoutNs);
    }

    /**
     * Thread: any. Stops listening; with its own loop, also closes every connection and ends the loop,
     * waiting for it. Idempotent.
     */
    @Override
    public void close() {
        listener.close();
        if (group != null) {
            group.close();
        } else if (ownsLoop) {
            loop.close();
        }
    }

    /**
     * Thread: any.
     * The counters of the server's loop, or the sum over its group's loops.
     *
     * @return a snapshot
     */
    public dev.sluice.LoopStats stats() {
        return group != null ? group.stats() : loop.stats();
    }
}
