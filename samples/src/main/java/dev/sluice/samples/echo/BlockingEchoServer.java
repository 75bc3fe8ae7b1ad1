package dev.sluice.samples.echo;

import dev.sluice.samples.Durations;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The echo server's blocking twin: the same protocol ({@link EchoMode}, {@link LineProtocol}) on
 * {@link java.net.Socket}s, one thread per connection, platform or virtual. It exists to be compared
 * with {@link EchoServer}, so it does what a careful blocking server does and no more: {@code TCP_NODELAY},
 * {@code SO_TIMEOUT} for the idle timeout, a lingering close after {@code exit} or a too-long line so
 * the last reply is not destroyed by a reset.
 *
 * <p>Thread: every public method is safe from any thread.
 */
public final class BlockingEchoServer implements AutoCloseable {
    private static final long LINGER_MS = 2_000;

    private final ServerConfig config;
    private final ThreadKind threadKind;
    private final PrintStream log;
    private final ServerSocket serverSocket;
    private final InetSocketAddress address;
    private final ThreadFactory threads;
    private final Thread acceptor;
    private final Set<BlockingSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger peakActive = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final LongAdder bytesEchoed = new LongAdder();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition allEnded = lock.newCondition();
    private volatile boolean stopping;

    private BlockingEchoServer(ServerConfig config, ThreadKind threadKind, PrintStream log) throws IOException {
        this.config = config;
        this.threadKind = threadKind;
        this.log = log;
        this.threads = threadKind.factory("blocking-echo-");
        ServerSocket ss = new ServerSocket();
        try {
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(config.host(), config.port()), 1024);
        } catch (IOException | RuntimeException e) {
            ss.close();
            throw e;
        }
        this.serverSocket = ss;
        this.address = (InetSocketAddress) ss.getLocalSocketAddress();
        this.acceptor = new Thread(this::acceptLoop, "blocking-echo-acceptor");
        this.acceptor.setDaemon(true);
    }

    /**
     * Binds and starts the acceptor thread; the address is bound when this returns.
     *
     * <p>Thread: any.
     *
     * @param config     what to serve and where
     * @param threadKind platform or virtual threads for connections
     * @param log        where one-line notices go
     * @return the running server
     * @throws IOException                   when the address cannot be bound
     * @throws UnsupportedOperationException when virtual threads are asked for on a JDK older than 21
     */
    public static BlockingEchoServer start(ServerConfig config, ThreadKind threadKind, PrintStream log)
            throws IOException {
        BlockingEchoServer s = new BlockingEchoServer(config, threadKind, log);
        s.acceptor.start();
        return s;
    }

    /**
     * Thread: any.
     *
     * @return the bound address, with the real port
     */
    public InetSocketAddress address() {
        return address;
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
     * @return the kind of thread connections run on
     */
    public ThreadKind threadKind() {
        return threadKind;
    }

    /**
     * Thread: any.
     *
     * @return connections open now
     */
    public int openConnections() {
        return active.get();
    }

    /**
     * Threads the server has used at most at once: the acceptor plus one per connection open at the peak.
     *
     * <p>Thread: any.
     *
     * @return the peak thread count
     */
    public int peakThreads() {
        return peakActive.get() + 1;
    }

    /**
     * Waits until no connection is open: every connection thread has ended.
     *
     * <p>Thread: any but a connection thread.
     *
     * @param timeout how long to wait
     * @return whether it happened in time
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitNoConnections(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (active.get() > 0) {
                if (left <= 0) {
                    return false;
                }
                left = allEnded.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts counting {@link #peakThreads()} afresh from the connections open now, so one server can
     * report the threads each of several runs used.
     *
     * <p>Thread: any.
     */
    public void resetPeakThreads() {
        peakActive.set(active.get());
    }

    /**
     * Thread: any.
     *
     * @return connections accepted and served
     */
    public long acceptedCount() {
        return accepted.get();
    }

    /**
     * Thread: any.
     *
     * @return connections refused because {@link ServerConfig#maxConnections()} were open
     */
    public long rejectedCount() {
        return rejected.get();
    }

    /**
     * Bytes written back to clients, over all connections.
     *
     * <p>Thread: any.
     *
     * @return the count
     */
    public long bytesEchoed() {
        return bytesEchoed.sum();
    }

    private void acceptLoop() {
        while (!stopping) {
            Socket s;
            try {
                s = serverSocket.accept();
            } catch (IOException e) {
                if (!stopping) {
                    log("accept failed: " + e.getMessage());
                    pauseAfterAcceptError();
                }
                continue;
            }
            if (active.get() >= config.maxConnections() || stopping) {
                reject(s);
                continue;
            }
            BlockingSession session = new BlockingSession(this, s, ids.incrementAndGet());
            sessions.add(session);
            peakActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            accepted.incrementAndGet();
            try {
                threads.newThread(session).start();
            } catch (RuntimeException | OutOfMemoryError e) { // "unable to create native thread" is an OOME
                log("cannot start a thread for " + session + ": " + e);
                session.closeSocket();
                sessionEnded(session);
            }
        }
    }

    /** Accept fails on EMFILE and keeps failing while the backlog holds the connection: don't spin. */
    private static void pauseAfterAcceptError() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reject(Socket s) {
        rejected.incrementAndGet();
        try {
            s.setSoLinger(true, 0); // RST: the peer learns at once that nobody will serve it
            s.close();
        } catch (IOException ignored) {
            // Closing is all that matters, and it happened or the descriptor is gone anyway.
        }
    }

    // ---------------------------------------------------------------- called by sessions

    void sessionEnded(BlockingSession session) {
        sessions.remove(session);
        if (active.decrementAndGet() == 0) {
            lock.lock();
            try {
                allEnded.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    void echoed(int n) {
        bytesEchoed.add(n);
    }

    boolean isStopping() {
        return stopping;
    }

    long lingerMs() {
        return LINGER_MS;
    }

    void idle(BlockingSession session) {
        log("closing " + session + ": idle for " + Durations.format(config.idleTimeout()));
    }

    void log(String message) {
        log.println("blocking-echo-server: " + message);
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * Stops accepting and closes every connection at once (their threads see the socket closed and end),
     * then waits up to ten seconds for the threads. Idempotent.
     *
     * <p>Thread: any other than a session thread.
     */
    @Override
    public void close() {
        stopping = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // Closing the listening socket cannot usefully fail.
        }
        sessions.forEach(BlockingSession::closeSocket);
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(10));
            if (!awaitTermination(Duration.ofSeconds(10))) {
                throw new IllegalStateException("blocking echo server on " + address + ": "
                        + active.get() + " connection threads did not end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A session accepted while close() ran may have registered after the sweep above.
        sessions.forEach(BlockingSession::closeSocket);
    }

    /**
     * Waits until the server was closed and every connection thread ended.
     *
     * <p>Thread: any.
     *
     * @param timeout how long to wait
     * @return whether everything ended in time
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (active.get() > 0 || !stopping) {
                if (left <= 0) {
                    return false;
                }
                left = allEnded.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
        acceptor.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        return !acceptor.isAlive();
    }

    static boolean isQuietClose(IOException e) {
        // "Socket closed" (we closed it), "Connection reset", "Broken pipe": the peer went away.
        return e instanceof SocketException;
    }
}
