package dev.sluice.internal;

import dev.sluice.CloseReason;
import dev.sluice.TlsConfig;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TLS connection's handshake, from the TCP connect (or accept) to {@code onOpen}: makes the
 * {@link SSLEngine} from the {@link TlsConfig}, drives {@link TlsTransport#handshake()} on readiness with
 * an interest set of its own, and runs the engine's delegated tasks (certificate checks, key exchange)
 * off the loop, on one small executor shared by every loop, so a slow RSA signature does not stall the
 * other connections. When the tasks finish, the connection resumes through the loop's task queue. The
 * connection stays {@code CONNECTING} meanwhile: writes queue as plaintext, as before a connect
 * completes, and the handshake timeout ({@link Deadlines}) bounds it.
 *
 * <p>Thread: loop only, except the executor's threads, which touch nothing but the engine's tasks.
 */
final class TlsHandshake {
    /** Two daemon threads that exit when idle: delegated tasks are short, and rare once sessions resume. */
    private static final class Tasks {
        static final ExecutorService EXECUTOR;

        static {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor e = new ThreadPoolExecutor(2, 2, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "sluice-tls-task-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            e.allowCoreThreadTimeOut(true);
            EXECUTOR = e;
        }
    }

    private final SocketConnection c;
    private final Loop loop;
    private final TlsTransport transport;
    private int interestOps;
    private boolean inProgress = true;
    private boolean awaitingTasks;

    private TlsHandshake(SocketConnection c, Loop loop, TlsTransport transport) {
        this.c = c;
        this.loop = loop;
        this.transport = transport;
    }

    /**
     * Puts TLS on a connection whose TCP connect (or accept) has just completed, and starts the
     * handshake. A configuration the engine refuses closes it with {@link CloseReason#TLS_HANDSHAKE_FAILED}.
     *
     * The handshake becomes the connection's {@code handshake}.
     */
    static void start(SocketConnection c, Loop loop, SocketChannel ch, TlsConfig config, boolean client,
                              SocketAddress remote, long nowNs) {
        SSLEngine engine;
        try {
            engine = newEngine(config, client, remote);
        } catch (RuntimeException | javax.net.ssl.SSLException e) {
            c.life.closeNow(CloseReason.TLS_HANDSHAKE_FAILED, e);
            return;
        }
        TlsTransport t = new TlsTransport(ch, engine, loop.tlsBuffers(engine.getSession().getPacketBufferSize()));
        c.transport = t;
        TlsHandshake h = new TlsHandshake(c, loop, t);
        c.handshake = h;
        c.deadlines.handshakeStarted(nowNs, config.handshakeTimeoutNs());
        h.step();
        c.armTimer();
    }

    private static SSLEngine newEngine(TlsConfig config, boolean client, SocketAddress remote)
            throws javax.net.ssl.SSLException {
        String host = config.serverName();
        int port = -1;
        if (remote instanceof InetSocketAddress a) {
            port = a.getPort();
            if (host == null) {
                host = a.getHostString();
            }
        }
        SSLEngine e = client ? config.context().createSSLEngine(host, port) : config.context().createSSLEngine();
        e.setUseClientMode(client);
        SSLParameters p = e.getSSLParameters();
        if (!config.protocols().isEmpty()) {
            p.setProtocols(config.protocols().toArray(new String[0]));
        }
        if (!config.cipherSuites().isEmpty()) {
            p.setCipherSuites(config.cipherSuites().toArray(new String[0]));
        }
        if (!client) {
            p.setNeedClientAuth(config.clientAuth() == TlsConfig.ClientAuth.NEED);
            if (config.clientAuth() == TlsConfig.ClientAuth.WANT) {
                p.setWantClientAuth(true);
            }
        } else if (config.serverName() != null) {
            if (!isIpLiteral(config.serverName())) {
                p.setServerNames(List.of(new SNIHostName(config.serverName())));
            }
            if (config.verifyHostname()) {
                p.setEndpointIdentificationAlgorithm("HTTPS");
            }
        }
        if (!config.applicationProtocols().isEmpty()) {
            p.setApplicationProtocols(config.applicationProtocols().toArray(new String[0]));
        }
        e.setSSLParameters(p);
        e.beginHandshake();
        return e;
    }

    /** SNI carries host names only (RFC 6066 §3): an address literal is not sent. */
    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(ch -> ch == '.' || (ch >= '0' && ch <= '9'));
    }

    /** @return whether the handshake is under way (not failed, not complete) */
    boolean inProgress() {
        return inProgress;
    }

    /** @return the interest the handshake needs now: read, write, or nothing while tasks run */
    int interestOps() {
        return interestOps;
    }

    /** The socket is ready for what the handshake waited for. */
    void onReady() {
        if (!awaitingTasks) {
            step();
        }
    }

    private void step() {
        int r;
        try {
            r = transport.handshake();
        } catch (TlsException e) {
            inProgress = false;
            c.life.closeNow(e.reason, e);
            return;
        }
        switch (r) {
            case TlsTransport.HS_DONE -> {
                inProgress = false;
                c.deadlines.handshakeDone();
                c.handshakeCompleted(loop.nowNs());
                return;
            }
            case TlsTransport.HS_NEED_READ -> interestOps = SelectionKey.OP_READ;
            case TlsTransport.HS_NEED_WRITE -> interestOps = SelectionKey.OP_WRITE;
            default -> {
                interestOps = 0;
                runTasks();
            }
        }
        c.updateInterest();
    }

    /** Hands the engine's delegated tasks to the executor; the loop goes on with other connections. */
    private void runTasks() {
        List<Runnable> tasks = new ArrayList<>(2);
        Runnable t;
        while ((t = transport.engine.getDelegatedTask()) != null) {
            tasks.add(t);
        }
        awaitingTasks = true;
        Tasks.EXECUTOR.execute(() -> {
            for (Runnable task : tasks) {
                try {
                    task.run();
                } catch (RuntimeException ignored) {
                    // The engine keeps what a task threw and fails the next step with it.
                }
            }
            // A full queue or an ended loop drops the resume; the handshake timeout then closes it.
            loop.thread.offerFromOtherThread(this::tasksDone);
        });
    }

    /** On the loop, through its queue: the delegated tasks are done. */
    private void tasksDone() {
        awaitingTasks = false;
        if (inProgress && !c.life.is(Lifecycle.State.CLOSED)) {
            step();
        }
    }
}
