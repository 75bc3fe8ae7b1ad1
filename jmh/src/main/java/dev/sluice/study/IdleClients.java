package dev.sluice.study;

import dev.sluice.SslContexts;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Opens N idle connections to a server, prints "READY n", and holds them until its stdin closes. The
 * study uses it to measure what an idle connection costs a server.
 *
 * <p>With {@code tls}, every connection first completes a TLS handshake with the JDK's
 * {@code SSLSocket}, trusting any certificate (the study's is self-signed), and then echoes one byte:
 * the server decrypts application data only after it has processed the client's Finished, so the echo
 * proves that the server's side of the handshake is done too, and the heap is measured with no
 * handshake in flight. Handshakes run {@value #HANDSHAKES_IN_FLIGHT} at a time: a one-loop server on
 * a shared core then always has work queued, and no connection waits long enough in its accept queue
 * to reach a server's handshake timeout (Sluice's default is 10 s), however many there are.
 *
 * <p>Usage: {@code IdleClients HOST PORT N [tls]}
 *
 * <p>Thread: {@link #open} from any thread; the result is held and closed by one.
 */
public final class IdleClients implements AutoCloseable {
    /** The argument that turns TLS on. */
    static final String TLS = "tls";
    /** TLS handshakes in progress at once. */
    static final int HANDSHAKES_IN_FLIGHT = 16;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    /** Per blocking read during the handshake and the echo; a stuck server fails the run, not hangs it. */
    private static final int HANDSHAKE_TIMEOUT_MS = 60_000;

    private final List<Closeable> open;

    private IdleClients(List<Closeable> open) {
        this.open = open;
    }

    /**
     * Thread: any. Opens {@code n} connections; over TLS each has completed its handshake and one echo
     * when this returns. If one fails, those already open are closed and the failure is thrown.
     *
     * @param target the server
     * @param n      how many connections
     * @param tls    whether to handshake TLS (trusting any certificate) and echo one byte
     * @return the open connections
     * @throws IOException when a connection, handshake or echo fails
     */
    static IdleClients open(InetSocketAddress target, int n, boolean tls) throws IOException {
        List<Closeable> open = new ArrayList<>(n);
        try {
            if (tls) {
                handshakeAll(target, n, open);
            } else {
                for (int i = 0; i < n; i++) {
                    open.add(SocketChannel.open(target));
                }
            }
        } catch (IOException | RuntimeException e) {
            closeAll(open);
            throw e;
        }
        return new IdleClients(open);
    }

    private static void handshakeAll(InetSocketAddress target, int n, List<Closeable> open) throws IOException {
        SSLSocketFactory factory;
        try {
            factory = SslContexts.insecureClient().getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS client context: " + e.getMessage(), e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(HANDSHAKES_IN_FLIGHT, r -> {
            Thread t = new Thread(r, "idle-tls-handshake");
            t.setDaemon(true);
            return t;
        });
        List<Future<SSLSocket>> pending = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                pending.add(pool.submit(() -> handshake(factory, target)));
            }
            for (int i = 0; i < n; i++) {
                open.add(pending.get(i).get());
            }
        } catch (ExecutionException e) {
            throw new IOException("TLS connection " + (open.size() + 1) + " of " + n + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted after " + open.size() + " of " + n + " TLS connections", e);
        } finally {
            pool.shutdownNow(); // handshakes still queued never start
            if (open.size() < n) {
                closeRunning(pool, pending.subList(open.size(), pending.size()));
            }
        }
    }

    /**
     * After a failure: waits for the handshakes that were running (blocking socket I/O ignores the
     * interrupt; the socket timeouts bound the wait) and closes what they opened.
     */
    private static void closeRunning(ExecutorService pool, List<Future<SSLSocket>> uncollected) {
        try {
            pool.awaitTermination(CONNECT_TIMEOUT_MS + 2L * HANDSHAKE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Future<SSLSocket> f : uncollected) {
            if (f.isDone() && !f.isCancelled()) {
                try {
                    f.get().close();
                } catch (ExecutionException | InterruptedException | IOException ignored) {
                    // it failed on its own and closed its socket, or a close failed: the descriptor is released
                }
            }
        }
    }

    private static SSLSocket handshake(SSLSocketFactory factory, InetSocketAddress target) throws IOException {
        SSLSocket s = (SSLSocket) factory.createSocket();
        try {
            s.connect(target, CONNECT_TIMEOUT_MS);
            s.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
            s.startHandshake();
            s.getOutputStream().write('.');
            s.getOutputStream().flush();
            int echoed = s.getInputStream().read();
            if (echoed != '.') {
                throw new IOException("expected the echo of '.', got " + echoed);
            }
            s.setSoTimeout(0);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Thread: the holder.
     *
     * @return connections open
     */
    int size() {
        return open.size();
    }

    /** Thread: the holder. Closes every connection. */
    @Override
    public void close() {
        closeAll(open);
    }

    private static void closeAll(List<Closeable> open) {
        for (Closeable c : open) {
            try {
                c.close();
            } catch (IOException ignored) {
                // a close that fails still releases the descriptor
            }
        }
        open.clear();
    }

    /**
     * Thread: the main thread; it blocks until stdin closes. Usage in the class javadoc.
     *
     * @param args host, port, count, and {@code tls} for TLS
     * @throws Exception when a connection cannot be opened
     */
    public static void main(String[] args) throws Exception {
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int n = Integer.parseInt(args[2]);
        boolean tls = args.length > 3 && args[3].equals(TLS);
        try (IdleClients clients = open(target, n, tls)) {
            System.out.println("READY " + clients.size());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the connections until the study closes our stdin
            }
        }
    }
}
