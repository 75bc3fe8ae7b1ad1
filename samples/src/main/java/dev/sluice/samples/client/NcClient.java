package dev.sluice.samples.client;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.TlsConfig;
import dev.sluice.ConnectionHandler;
import dev.sluice.EventLoop;
import dev.sluice.LoopConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An interactive client like {@code nc}: what arrives on standard input goes to the server, what the
 * server sends is printed as it arrives. End of input half-closes the connection (FIN) and the client
 * keeps printing replies until the server closes; the server closing ends the client.
 *
 * <p>Two threads: the loop thread owns the connection and prints replies; a reader thread blocks on
 * standard input and hands each chunk to {@link Connection#write}, which reaches the loop through its
 * task queue. Standard input may be faster than the server: the reader waits while the connection is
 * unwritable, and keeps at most {@link #MAX_QUEUED_BYTES} in the loop's queue.
 *
 * <p>Thread: {@link #run} blocks its caller until the connection closes.
 */
public final class NcClient {
    private static final int CHUNK_BYTES = 8 * 1024;
    private static final int MAX_QUEUED_BYTES = 1024 * 1024;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final CountDownLatch settled = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Semaphore queuedBytes = new Semaphore(MAX_QUEUED_BYTES);
    private final Object writability = new Object();
    private boolean writable = true; // guarded by writability
    private volatile boolean opened;
    private volatile CloseReason closeReason;
    private volatile Throwable closeCause;

    private NcClient(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /**
     * Thread: any; blocks until the connection closes. The reader thread, {@code client-stdin}, is a
     * daemon and ends at the end of {@code in}, or stays blocked on it if the server closed first.
     * Connects, relays until the server closes, and returns an exit status: 0 when the connection
     * ended in an orderly close, 1 when it could not be made or ended in a reset or an error (said in
     * one line on {@code err}).
     *
     * @param address        the server, resolved
     * @param connectTimeout how long the connect may take
     * @param in             standard input
     * @param out            standard output: the server's bytes, unchanged
     * @param err            where errors go
     * @return the exit status
     * @throws InterruptedException when interrupted while waiting
     */
    public static int run(InetSocketAddress address, Duration connectTimeout, InputStream in, PrintStream out,
                          PrintStream err) throws InterruptedException {
        return run(address, connectTimeout, null, in, out, err);
    }

    /**
     * Thread: any; blocks until the connection closes.
     * {@link #run(InetSocketAddress, Duration, InputStream, PrintStream, PrintStream)} over TLS when
     * {@code tls} is given: the protocol and cipher suite agreed go to {@code err} once connected, as
     * {@code openssl s_client -brief} does.
     *
     * @param address        the server, resolved
     * @param connectTimeout how long the connect may take
     * @param tls            TLS for the connection, or {@code null} for plain TCP
     * @param in             standard input
     * @param out            standard output: the server's bytes, unchanged
     * @param err            where errors go
     * @return the exit status
     * @throws InterruptedException when interrupted while waiting
     */
    public static int run(InetSocketAddress address, Duration connectTimeout, TlsConfig tls, InputStream in,
                          PrintStream out, PrintStream err) throws InterruptedException {
        return new NcClient(in, out, err).relay(address, connectTimeout, tls);
    }

    private int relay(InetSocketAddress address, Duration connectTimeout, TlsConfig tls) throws InterruptedException {
        EventLoop loop = EventLoop.start(LoopConfig.defaults().withName("client")
                .withErrorHandler((c, e) -> err.println("client: " + e)));
        try {
            Connection c = loop.connect(address,
                    ConnectionConfig.defaults().withConnectTimeoutNs(connectTimeout.toNanos()).withTls(tls), new Handler());
            settled.await();
            if (!opened) {
                err.println("client: cannot connect to " + address.getHostString() + ":" + address.getPort()
                        + ": " + describe(closeReason, closeCause));
                return 1;
            }
            Thread reader = new Thread(() -> pump(c, loop), "client-stdin");
            reader.setDaemon(true);
            reader.start();
            closed.await();
        } finally {
            loop.close();
        }
        out.flush();
        if (closeReason == CloseReason.PEER_CLOSED || closeReason == CloseReason.LOCAL) {
            return 0;
        }
        err.println("client: connection ended: " + describe(closeReason, closeCause));
        return 1;
    }

    /** The reader thread: standard input to the server until end of input, then a half-close. */
    private void pump(Connection c, EventLoop loop) {
        byte[] buf = new byte[CHUNK_BYTES];
        try {
            while (closed.getCount() > 0) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                if (n == 0 || !awaitRoom(n)) {
                    continue;
                }
                byte[] chunk = java.util.Arrays.copyOf(buf, n); // the engine owns what write() is given
                c.write(ByteBuffer.wrap(chunk));
                // Runs after the write on the loop (one FIFO queue): the chunk has reached the connection,
                // where writability takes over, so it no longer counts against the queue's budget.
                loop.execute(() -> queuedBytes.release(n));
            }
        } catch (IOException e) {
            err.println("client: reading standard input failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (IllegalStateException loopClosed) {
            return; // the server closed while we were sending
        }
        if (closed.getCount() > 0) {
            c.shutdownOutput(); // FIN after everything queued: "no more from me", replies keep coming
        }
    }

    private boolean awaitRoom(int n) throws InterruptedException {
        synchronized (writability) {
            while (!writable && closed.getCount() > 0) {
                writability.wait(100);
            }
        }
        while (!queuedBytes.tryAcquire(n, 100, TimeUnit.MILLISECONDS)) {
            if (closed.getCount() == 0) {
                return false;
            }
        }
        return closed.getCount() > 0;
    }

    private static String describe(CloseReason reason, Throwable cause) {
        String what;
        switch (reason) {
            case PEER_RESET: what = "reset by the server"; break;
            case CONNECT_TIMEOUT: what = "timed out"; break;
            default: what = reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
        return cause == null || cause.getMessage() == null ? what : cause.getMessage();
    }

    /** The loop side: prints what arrives, tracks writability, ends the run on close. Thread: loop only. */
    private final class Handler implements ConnectionHandler {
        private final byte[] copy = new byte[64 * 1024];

        @Override
        public void onOpen(Connection c) {
            if (c.tlsSession() != null) {
                err.println("client: TLS " + c.tlsSession().getProtocol() + ", " + c.tlsSession().getCipherSuite());
            }
            opened = true;
            settled.countDown();
        }

        @Override
        public void onData(Connection c, ByteBuffer data) {
            while (data.hasRemaining()) {
                int n = Math.min(data.remaining(), copy.length);
                data.get(copy, 0, n);
                out.write(copy, 0, n);
            }
            out.flush();
        }

        @Override
        public void onWritabilityChanged(Connection c, boolean nowWritable) {
            synchronized (writability) {
                writable = nowWritable;
                writability.notifyAll();
            }
        }

        @Override
        public void onClose(Connection c, CloseReason reason, Throwable cause) {
            closeReason = reason;
            closeCause = cause;
            settled.countDown();
            closed.countDown();
            synchronized (writability) {
                writability.notifyAll();
            }
        }
    }
}
