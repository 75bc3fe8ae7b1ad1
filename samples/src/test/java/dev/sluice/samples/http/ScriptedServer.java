package dev.sluice.samples.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread: the test thread, plus one plain blocking thread per connection inside.
 *
 * <p>A tiny HTTP server that is not built on the engine, with scripted answers per path: chunked
 * bodies (with extensions and trailers, in several writes), redirects, a server that never answers,
 * one that trickles, one that closes early, garbage, HTTP/1.0 close-delimited bodies, and one that
 * drops a kept-alive connection when the second request arrives. {@link #close()} closes every socket
 * and waits for every thread.
 */
final class ScriptedServer implements AutoCloseable {

    /** The body of {@code /big-chunked}: 200 KB of seeded random bytes. */
    static final byte[] BIG = new byte[200 * 1024];

    static {
        new Random(42).nextBytes(BIG);
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();

    ScriptedServer() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::acceptLoop, "scripted-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "scripted-connection");
                t.setDaemon(true);
                threads.add(t);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int requests = 0;
            String path;
            while ((path = readRequestPath(in)) != null) {
                requests++;
                if (!answer(path, requests, out)) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // The client or close() ended the connection.
        }
    }

    /** @return whether to keep the connection for another request */
    private boolean answer(String path, int requests, OutputStream out) throws IOException, InterruptedException {
        switch (path) {
            case "/chunked" -> {
                write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n");
                write(out, "5\r\nhello\r\n");
                write(out, "7;ext=1\r\n, world\r\n");
                write(out, "0\r\nX-Sum: 12\r\n\r\n");
            }
            case "/big-chunked" -> {
                write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                Random sizes = new Random(7);
                int at = 0;
                while (at < BIG.length) {
                    int n = Math.min(BIG.length - at, 1 + sizes.nextInt(9000));
                    write(out, Integer.toHexString(n) + "\r\n");
                    out.write(BIG, at, n);
                    write(out, "\r\n");
                    at += n;
                }
                write(out, "0\r\n\r\n");
            }
            case "/redirect" -> write(out, "HTTP/1.1 302 Found\r\nLocation: /chunked\r\nContent-Length: 6\r\n\r\nmoved!");
            case "/redirect-abs" -> write(out, "HTTP/1.1 301 Moved\r\nLocation: " + url("/redirect") + "\r\nContent-Length: 0\r\n\r\n");
            case "/loop" -> write(out, "HTTP/1.1 307 Again\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n");
            case "/https" -> write(out, "HTTP/1.1 302 Found\r\nLocation: https://127.0.0.1/\r\nContent-Length: 0\r\n\r\n");
            case "/slow" -> {
                Thread.sleep(60_000); // never answers; close() interrupts nothing, it closes the socket
                return false;
            }
            case "/trickle" -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
                for (int i = 0; i < 100; i++) {
                    write(out, "x");
                    Thread.sleep(50);
                }
            }
            case "/partial" -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
                return false;
            }
            case "/garbage" -> {
                write(out, "HTTP/1.1 2x0 OK\r\n\r\n");
                return false;
            }
            case "/http10" -> {
                write(out, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the server closes");
                return false;
            }
            case "/close-second" -> {
                if (requests > 1) {
                    return false; // as if it closed the idle connection just as the request arrived
                }
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
            default -> write(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        }
        return true;
    }

    /** Reads one request head; returns its path, or null at end of stream. */
    private static String readRequestPath(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        }
        if (matched < 4) {
            return null;
        }
        String requestLine = head.toString(ISO_8859_1).split("\r\n", 2)[0];
        return requestLine.split(" ")[1];
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(ISO_8859_1));
        out.flush();
    }

    /** Closes every socket and waits for every thread; fails if one is still alive after 5 s. */
    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        try {
            acceptor.join(5_000);
            for (Thread t : threads) {
                t.interrupt(); // wakes /slow and /trickle out of their sleeps
                t.join(5_000);
                if (t.isAlive()) {
                    throw new AssertionError("scripted-server thread still alive");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for scripted-server threads", e);
        }
    }
}
