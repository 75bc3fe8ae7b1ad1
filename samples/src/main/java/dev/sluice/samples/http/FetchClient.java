package dev.sluice.samples.http;

import dev.sluice.CloseReason;
import dev.sluice.ConnectionConfig;
import dev.sluice.SslContexts;
import dev.sluice.TlsConfig;
import dev.sluice.EventLoop;
import dev.sluice.LoopConfig;
import dev.sluice.NanoClock;
import dev.sluice.samples.http.FetchResult.Failure;
import javax.net.ssl.SSLContext;
import java.security.GeneralSecurityException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Thread: {@link #fetch}, {@link #close()} and the counters from any thread; everything else runs on
 * the loop thread.
 *
 * <p>An HTTP/1.1 client on one event loop: many fetches at once, a keep-alive pool per host and port,
 * redirects, and connect, first-byte and total timeouts on the engine's deadlines.
 *
 * <p>Name resolution blocks, so it never runs on the loop: a resolver executor calls the
 * {@link Resolver} and hands the addresses back with {@link EventLoop#execute}. Each host is
 * resolved once per client (fetches waiting for the same host share one lookup) and its addresses are
 * tried in order until one connects. The cache lives as long as the client, which suits a command-line
 * run; a long-lived client would want a TTL.
 *
 * <p>A request that fails on a reused connection before any response byte arrives is retried once on
 * a new connection: the server most likely closed the idle connection as the request was sent, and GET
 * is idempotent (RFC 9112 §9.3.1).
 */
public final class FetchClient implements AutoCloseable {

    /** Thread: called on the resolver executor. Blocking name resolution. */
    @FunctionalInterface
    public interface Resolver {
        /** The JDK's resolver, {@link InetAddress#getAllByName}. */
        Resolver SYSTEM = InetAddress::getAllByName;

        /**
         * Thread: the resolver executor.
         *
         * @param host a host name or IP literal
         * @return its addresses, at least one
         * @throws UnknownHostException when it has none
         */
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Thread: loop only. One host and port: its addresses once known, and its idle connections. */
    static final class HostPool {
        final String host;
        final int port;
        final boolean secure;
        InetAddress[] addresses;
        boolean resolving;
        final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
        final ArrayDeque<HttpClientConnection> idle = new ArrayDeque<>();

        HostPool(String host, int port, boolean secure) {
            this.host = host;
            this.port = port;
            this.secure = secure;
        }
    }

    /** Times the phases; deadlines use the loop clock instead, which is read once per iteration. */
    private static final NanoClock STAMPS = NanoClock.SYSTEM;
    private static final Failure CLOSED = new Failure(Failure.Kind.CLIENT_CLOSED, "the client was closed");

    private final EventLoop loop;
    private final boolean ownsLoop;
    private final Executor resolverExecutor;
    private final Resolver resolver;
    private final FetchOptions options;
    private final Map<String, HostPool> pools = new HashMap<>();
    /** One context for every https connection, so sessions resume; made on the loop at the first one. */
    private SSLContext tlsTrust;
    private final Set<HttpClientConnection> connections = new HashSet<>();
    /** Fetches not yet finished, whatever they wait for; close() fails them. Any thread adds, the loop removes. */
    private final Set<Exchange> live = ConcurrentHashMap.newKeySet();
    private volatile long connectionsOpened;
    private boolean closing;

    private FetchClient(EventLoop loop, boolean ownsLoop, Executor resolverExecutor, Resolver resolver,
                        FetchOptions options) {
        this.loop = loop;
        this.ownsLoop = ownsLoop;
        this.resolverExecutor = resolverExecutor;
        this.resolver = resolver;
        this.options = options;
    }

    /**
     * Thread: any. A client with its own loop and one resolver thread, both ended by {@link #close()}.
     *
     * @param options how to fetch
     * @return the client
     */
    public static FetchClient start(FetchOptions options) {
        ExecutorService dns = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fetch-dns");
            t.setDaemon(true); // a lookup stuck in the OS must not keep the JVM alive
            return t;
        });
        return new FetchClient(EventLoop.start(LoopConfig.defaults().withName("fetch-loop")), true, dns,
                Resolver.SYSTEM, options);
    }

    /**
     * Thread: any. A client on a loop and resolver executor that the caller owns and ends; {@link #close()}
     * closes only the client's connections.
     *
     * @param loop             the loop to run on
     * @param resolverExecutor where name resolution runs (never the loop)
     * @param resolver         how names are resolved
     * @param options          how to fetch
     * @return the client
     */
    public static FetchClient create(EventLoop loop, Executor resolverExecutor, Resolver resolver, FetchOptions options) {
        return new FetchClient(loop, false, resolverExecutor, resolver, options);
    }

    /**
     * Thread: any. Starts fetching {@code url} with GET.
     *
     * @param url      what to fetch
     * @param listener hears the response heads and the body, on the loop thread
     * @return completes (on the loop thread) with the result, failed fetches included; never exceptionally
     */
    public CompletableFuture<FetchResult> fetch(HttpUrl url, FetchListener listener) {
        Exchange ex = new Exchange(url, listener);
        ex.startNs = STAMPS.nanoTime();
        live.add(ex);
        try {
            loop.execute(() -> begin(ex));
        } catch (IllegalStateException closedLoop) {
            live.remove(ex);
            ex.future.complete(ex.result(STAMPS.nanoTime(), CLOSED));
        }
        return ex.future;
    }

    /**
     * Thread: any.
     *
     * @return TCP connections this client has established so far
     */
    public long connectionsOpened() {
        return connectionsOpened;
    }

    /**
     * Thread: any.
     *
     * @return the loop the client runs on
     */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Thread: any but the loop thread. Fails every unfinished fetch with
     * {@link Failure.Kind#CLIENT_CLOSED} and closes every connection; with its own loop, also ends the
     * loop and the resolver thread, waiting for the loop. Idempotent.
     */
    @Override
    public void close() {
        if (ownsLoop) {
            loop.close(); // closes every connection: their onClose fails what they carried
            failAllLive(); // the loop has ended: what is left waited for resolution or for its first task
            ((ExecutorService) resolverExecutor).shutdownNow();
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        try {
            loop.execute(() -> {
                closing = true;
                for (HttpClientConnection c : List.copyOf(connections)) {
                    c.connection.abort();
                }
                failAllLive();
                done.countDown();
            });
        } catch (IllegalStateException closedLoop) {
            return;
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Thread: the loop, or any once the loop has ended. */
    private void failAllLive() {
        for (Exchange ex : List.copyOf(live)) {
            finish(ex, CLOSED);
        }
    }

    // ------------------------------------------------------------------ the fetch, on the loop thread

    FetchOptions options() {
        return options;
    }

    /** Thread: any. A timestamp for the phase timings, from the same clock as theirs. */
    static long stamp() {
        return STAMPS.nanoTime();
    }

    boolean isClosing() {
        return closing;
    }

    private void begin(Exchange ex) {
        if (options.totalTimeoutNs() > 0) {
            ex.hasTotalDeadline = true;
            ex.totalDeadlineNs = loop.nowNs() + options.totalTimeoutNs();
        }
        startHop(ex);
    }

    private void startHop(Exchange ex) {
        if (closing) {
            finish(ex, CLOSED);
            return;
        }
        ex.startHop();
        String key = ex.url.scheme() + " " + ex.url.host() + " " + ex.url.port();
        HostPool pool = pools.computeIfAbsent(key, k -> new HostPool(ex.url.host(), ex.url.port(), ex.url.secure()));
        long now = STAMPS.nanoTime();
        HttpClientConnection idle = pool.idle.pollFirst();
        if (idle != null) {
            ex.reused = true;
            ex.dnsDoneNs = now;
            ex.connectedNs = now;
            idle.send(ex);
        } else if (pool.addresses != null) {
            ex.dnsDoneNs = now;
            connect(ex, pool, 0);
        } else {
            awaitResolution(ex, pool);
        }
    }

    private void awaitResolution(Exchange ex, HostPool pool) {
        pool.waiting.add(ex);
        if (ex.hasTotalDeadline) {
            ex.waitTimer = loop.schedule(() -> {
                pool.waiting.remove(ex);
                finish(ex, totalTimeout());
            }, ex.totalDeadlineNs - loop.nowNs());
        }
        if (pool.resolving) {
            return;
        }
        pool.resolving = true;
        try {
            resolverExecutor.execute(() -> resolve(pool));
        } catch (RejectedExecutionException e) {
            resolved(pool, null, new UnknownHostException("resolver unavailable: " + e.getMessage()));
        }
    }

    /** Thread: the resolver executor. */
    private void resolve(HostPool pool) {
        InetAddress[] addresses = null;
        UnknownHostException error = null;
        try {
            addresses = resolver.resolve(pool.host);
            if (addresses == null || addresses.length == 0) {
                error = new UnknownHostException(pool.host + ": no addresses");
            }
        } catch (UnknownHostException e) {
            error = e;
        } catch (RuntimeException e) {
            error = new UnknownHostException(pool.host + ": " + e);
        }
        InetAddress[] found = addresses;
        UnknownHostException failure = error;
        try {
            loop.execute(() -> resolved(pool, found, failure));
        } catch (IllegalStateException closedLoop) {
            // The client closed while we resolved; close() failed the waiting fetches.
        }
    }

    private void resolved(HostPool pool, InetAddress[] addresses, UnknownHostException error) {
        pool.resolving = false;
        if (error == null) {
            pool.addresses = addresses; // failures are not cached: a later fetch asks again
        }
        long now = STAMPS.nanoTime();
        Exchange ex;
        while ((ex = pool.waiting.pollFirst()) != null) {
            if (ex.waitTimer != null) {
                ex.waitTimer.cancel();
                ex.waitTimer = null;
            }
            if (ex.done) {
                continue;
            }
            if (error != null) {
                finish(ex, new Failure(Failure.Kind.DNS, "cannot resolve " + pool.host + ": " + describe(error)));
            } else {
                ex.dnsDoneNs = now;
                connect(ex, pool, 0);
            }
        }
    }

    private void connect(Exchange ex, HostPool pool, int addressIndex) {
        if (closing) {
            finish(ex, CLOSED);
            return;
        }
        long timeoutNs = options.connectTimeoutNs();
        if (ex.hasTotalDeadline) {
            long leftNs = Math.max(1, ex.totalDeadlineNs - loop.nowNs());
            timeoutNs = timeoutNs == 0 ? leftNs : Math.min(timeoutNs, leftNs);
        }
        HttpClientConnection handler = new HttpClientConnection(this, pool, ex);
        handler.addressIndex = addressIndex;
        connections.add(handler);
        InetSocketAddress address = new InetSocketAddress(pool.addresses[addressIndex], pool.port);
        ConnectionConfig config = ConnectionConfig.defaults().withConnectTimeoutNs(timeoutNs);
        if (pool.secure) {
            config = config.withTls(tlsFor(pool.host));
        }
        handler.connection = loop.connect(address, config, handler);
    }

    /** TLS to {@code host}: SNI and, unless insecure, its certificate checked against the name. */
    private TlsConfig tlsFor(String host) {
        if (tlsTrust == null) {
            try {
                tlsTrust = options.tlsTrust() != null ? options.tlsTrust() : SslContexts.clientWithSystemTrust();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("no TLS implementation: " + e.getMessage(), e);
            }
        }
        TlsConfig tls = TlsConfig.client(tlsTrust, host);
        return options.tlsInsecure() ? tls.withServerName(host, false) : tls;
    }

    // ------------------------------------------------------------------ callbacks from connections

    void connected(HttpClientConnection c) {
        connectionsOpened++; // written by the loop thread only, so the volatile needs no atomic update
    }

    void connectFailed(Exchange ex, HttpClientConnection c, CloseReason reason, Throwable cause) {
        long now = loop.nowNs();
        if (reason == CloseReason.SHUTDOWN || closing) {
            finish(ex, CLOSED);
        } else if (ex.hasTotalDeadline && ex.totalDeadlineNs - now <= 0) {
            finish(ex, totalTimeout());
        } else if (c.addressIndex + 1 < c.pool.addresses.length) {
            connect(ex, c.pool, c.addressIndex + 1); // the next address, as getaddrinfo(3) callers do
        } else if (reason == CloseReason.CONNECT_TIMEOUT) {
            finish(ex, new Failure(Failure.Kind.CONNECT_TIMEOUT, "connect to " + target(c) + " timed out after "
                    + millis(options.connectTimeoutNs())));
        } else {
            finish(ex, new Failure(Failure.Kind.CONNECT, "connect to " + target(c) + " failed: " + describe(cause)));
        }
    }

    void release(HttpClientConnection c) {
        c.connection.setReadIdleTimeoutNs(options.poolIdleTimeoutNs());
        c.pool.idle.addFirst(c); // most recently used first: the warmest connection goes out next
    }

    void closed(HttpClientConnection c) {
        connections.remove(c);
        c.pool.idle.remove(c);
    }

    void retry(Exchange ex) {
        ex.retried = true;
        startHop(ex);
    }

    /** One response is complete: follow its redirect, or finish the fetch. */
    void hopDone(Exchange ex) {
        if (!ex.redirecting) {
            finish(ex, null);
            return;
        }
        if (ex.redirects >= options.maxRedirects()) {
            finish(ex, new Failure(Failure.Kind.TOO_MANY_REDIRECTS, "more than " + options.maxRedirects()
                    + " redirects (last to " + ex.location + ")"));
            return;
        }
        HttpUrl next;
        try {
            next = ex.url.resolve(ex.location);
        } catch (IllegalArgumentException e) {
            finish(ex, new Failure(Failure.Kind.BAD_URL, "cannot follow redirect: " + e.getMessage()));
            return;
        }
        ex.redirects++;
        ex.retried = false;
        ex.url = next;
        startHop(ex);
    }

    /** Ends a fetch exactly once; later calls for the same exchange do nothing. */
    void finish(Exchange ex, Failure failure) {
        if (ex.done) {
            return;
        }
        ex.done = true;
        if (ex.waitTimer != null) {
            ex.waitTimer.cancel();
            ex.waitTimer = null;
        }
        live.remove(ex);
        ex.future.complete(ex.result(STAMPS.nanoTime(), failure));
    }

    // ------------------------------------------------------------------ messages

    Failure totalTimeout() {
        return new Failure(Failure.Kind.TOTAL_TIMEOUT, "not finished within the total timeout of "
                + millis(options.totalTimeoutNs()));
    }

    static Failure closedFailure(CloseReason reason, Throwable cause) {
        return switch (reason) {
            case PEER_RESET -> new Failure(Failure.Kind.CONNECTION, "connection reset by the server");
            case PEER_CLOSED -> new Failure(Failure.Kind.CONNECTION, "connection closed before the response was complete");
            case SHUTDOWN, LOCAL -> CLOSED;
            default -> new Failure(Failure.Kind.CONNECTION, "connection closed (" + reason
                    + (cause == null ? "" : ": " + describe(cause)) + ")");
        };
    }

    private static String target(HttpClientConnection c) {
        return c.pool.addresses[c.addressIndex].getHostAddress() + " port " + c.pool.port;
    }

    static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    static String millis(long nanos) {
        return Units.millis(nanos);
    }
}
