package dev.sluice.samples.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Well-behaved line clients, the ones the soak must keep serving: each sends a random line, reads its
 * echo and checks it byte for byte, at a bounded rate, and every {@link #ROUNDS_PER_CONNECTION} lines
 * closes gracefully and reconnects (churn). A connection reset before its first echo is a rejection by
 * a listener at its maximum (an accept storm took the slots) and is retried; anything else that goes
 * wrong is an error.
 *
 * <p>Thread: {@link #start} and {@link #close} from one thread; the counters from any.
 */
final class EchoClients implements AutoCloseable {
    static final int ROUNDS_PER_CONNECTION = 500;
    private static final int SO_TIMEOUT_MS = 10_000;

    private final InetSocketAddress target;
    private final long pauseNs;
    private final AtomicLong echoes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong rejections = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    private EchoClients(InetSocketAddress target, int ratePerClient) {
        this.target = target;
        this.pauseNs = TimeUnit.SECONDS.toNanos(1) / Math.max(1, ratePerClient);
    }

    static EchoClients start(InetSocketAddress target, int clients, int ratePerClient) {
        EchoClients c = new EchoClients(target, ratePerClient);
        for (int i = 0; i < clients; i++) {
            long seed = i;
            Thread t = new Thread(() -> c.run(seed), "echo-client-" + i);
            t.setDaemon(true);
            c.threads.add(t);
            t.start();
        }
        return c;
    }

    /** Lines echoed byte-exact. */
    long echoes() {
        return echoes.get();
    }

    /** Echoes that differed, timed out, or broke after the connection was served. */
    long errors() {
        return errors.get();
    }

    /** Connections reset before their first echo (listener at its maximum), retried. */
    long rejections() {
        return rejections.get();
    }

    /** Connections opened. */
    long connections() {
        return connections.get();
    }

    /** Stops every thread and waits for them (at most 30 s each); keeps the caller's interrupt. */
    @Override
    public void close() {
        stopped = true;
        try {
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(long seed) {
        Random random = new Random(seed);
        while (!stopped) {
            try {
                session(random);
            } catch (IOException e) {
                // counted in session
            }
        }
    }

    /** One connection's life: up to ROUNDS_PER_CONNECTION lines, then a graceful close. */
    private void session(Random random) throws IOException {
        int served = 0;
        try (Socket s = new Socket()) {
            s.setSoTimeout(SO_TIMEOUT_MS);
            s.setTcpNoDelay(true);
            s.connect(target, SO_TIMEOUT_MS);
            connections.incrementAndGet();
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] line = new byte[1024];
            byte[] echo = new byte[1024];
            for (; served < ROUNDS_PER_CONNECTION && !stopped; served++) {
                int n = 1 + random.nextInt(line.length);
                for (int i = 0; i < n - 1; i++) {
                    line[i] = (byte) (' ' + random.nextInt(95));
                }
                line[n - 1] = '\n';
                out.write(line, 0, n);
                readFully(in, echo, n);
                if (!Arrays.equals(line, 0, n, echo, 0, n)) {
                    errors.incrementAndGet();
                    return;
                }
                echoes.incrementAndGet();
                LockSupport.parkNanos(pauseNs);
            }
            s.shutdownOutput();
            if (in.read() != -1) {
                errors.incrementAndGet();
            }
        } catch (IOException e) {
            if (served == 0 && !stopped) {
                rejections.incrementAndGet();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            } else if (!stopped) {
                errors.incrementAndGet();
            }
            throw e;
        }
    }

    private static void readFully(InputStream in, byte[] into, int n) throws IOException {
        int got = 0;
        while (got < n) {
            int r = in.read(into, got, n - got);
            if (r < 0) {
                throw new IOException("EOF after " + got + " of " + n + " bytes");
            }
            got += r;
        }
    }
}
