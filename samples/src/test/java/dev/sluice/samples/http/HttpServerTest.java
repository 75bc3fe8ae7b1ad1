package dev.sluice.samples.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.EventLoop;
import dev.sluice.GroupConfig;
import dev.sluice.GroupListenMode;
import dev.sluice.ManualClock;
import dev.sluice.testing.LoopFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server driven over real sockets by a plain blocking client; each test ends with the leak check. */
@Timeout(20)
final class HttpServerTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";

    /** One response as a client sees it. */
    record Response(int status, String head, byte[] body) {
        String text() {
            return new String(body, ISO_8859_1);
        }
    }

    @Test
    void shouldAnswerHelloWorldWithServerDateAndContentLength() throws Exception {
        try (LoopFixture f = new LoopFixture("server-hello"); Socket s = serve(f, null)) {
            send(s, GET);
            Response r = read(s, HttpMethod.GET).get(0);
            assertEquals(200, r.status());
            assertEquals("Hello, World!", r.text());
            assertTrue(r.head().startsWith("Server: sluice\r\n"), r.head());
            assertTrue(r.head().contains("\r\nContent-Length: 13\r\n"), r.head());
            assertTrue(r.head().matches("(?s).*\r\nDate: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n.*"),
                    r.head());
        }
    }

    @Test
    void shouldAnswerOnEveryLoopOfAGroup() throws Exception {
        try (LoopFixture f = new LoopFixture("server-group")) {
            HttpServer server = HttpServer.start(LoopFixture.ANY_LOOPBACK, null, HttpServer.Limits.defaults(),
                    new GroupConfig(2, f.config(), GroupListenMode.HAND_OFF));
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) { // the hand-off gives two to each loop
                    Socket s = new Socket(server.address().getAddress(), server.port());
                    s.setSoTimeout(10_000);
                    clients.add(s);
                    send(s, GET);
                    Response r = read(s, HttpMethod.GET).get(0);
                    assertEquals(200, r.status());
                    assertEquals("Hello, World!", r.text());
                }
                assertEquals(4, server.acceptedConnections());
                assertEquals(4, server.openConnections());
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
                server.close();
            }
            assertTrue(server.awaitTermination(10_000_000_000L), "every loop of the group ended");
        }
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrderOnOneConnection() throws Exception {
        try (LoopFixture f = new LoopFixture("server-pipeline"); Socket s = serve(f, null)) {
            send(s, GET + "HEAD / HTTP/1.1\r\nHost: t\r\n\r\n" + "GET /nope HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "DELETE / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc" + GET);
            List<Response> rs = read(s, HttpMethod.GET, HttpMethod.HEAD, HttpMethod.GET, HttpMethod.GET, HttpMethod.GET);
            assertEquals(List.of(200, 200, 404, 405, 200), rs.stream().map(Response::status).toList());
            assertEquals(0, rs.get(1).body().length, "HEAD has no body");
            assertTrue(rs.get(1).head().contains("Content-Length: 13"), "but the GET's length");
            assertTrue(rs.get(3).head().contains("Allow: GET, HEAD"));
            assertEquals("Hello, World!", rs.get(4).text());
        }
    }

    @Test
    void shouldCloseAfterAnsweringConnectionClose() throws Exception {
        try (LoopFixture f = new LoopFixture("server-close"); Socket s = serve(f, null)) {
            send(s, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" + GET);
            Response r = read(s, HttpMethod.GET).get(0);
            assertTrue(r.head().contains("Connection: close"));
            assertEquals(-1, s.getInputStream().read(), "closed after the answer; the pipelined request is ignored");
        }
    }

    @Test
    void shouldAnswer400AndCloseOnAMalformedRequest() throws Exception {
        try (LoopFixture f = new LoopFixture("server-400"); Socket s = serve(f, null)) {
            send(s, GET + "GET / HTTP/1.1\r\nBad Header: x\r\n\r\n");
            List<Response> rs = read(s, HttpMethod.GET, HttpMethod.GET);
            assertEquals(200, rs.get(0).status());
            assertEquals(400, rs.get(1).status());
            assertTrue(rs.get(1).head().contains("Connection: close"));
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void shouldAnswer431WhenTheHeadIsLargerThanTheLimit() throws Exception {
        try (LoopFixture f = new LoopFixture("server-431");
             Socket s = serve(f, null, HttpServer.Limits.defaults().withMaxHeadBytes(256))) {
            send(s, "GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + "a".repeat(300) + "\r\n\r\n");
            assertEquals(431, read(s, HttpMethod.GET).get(0).status());
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void shouldServeFilesUnderTheRootWithoutLettingPathsLeaveIt(@TempDir Path dir) throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 17]; // many slices, so backpressure pauses and resumes the transfer
        new Random(1).nextBytes(big);
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(root.resolve("index.html"), "<h1>hi</h1>");
        Files.writeString(dir.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("link.txt"), dir.resolve("secret.txt"));
        try (LoopFixture f = new LoopFixture("server-files"); Socket s = serve(f, root)) {
            send(s, "GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n" + "GET /sub/../index.html?x=1 HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /../secret.txt HTTP/1.1\r\nHost: t\r\n\r\n" + "GET /%2e%2e/secret.txt HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /link.txt HTTP/1.1\r\nHost: t\r\n\r\n" + "HEAD /big.bin HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            List<Response> rs = read(s, HttpMethod.GET, HttpMethod.GET, HttpMethod.GET, HttpMethod.GET, HttpMethod.GET,
                    HttpMethod.HEAD, HttpMethod.GET);
            assertEquals(List.of(200, 200, 404, 404, 404, 200, 200), rs.stream().map(Response::status).toList());
            assertArrayEquals(big, rs.get(0).body());
            assertTrue(rs.get(0).head().contains("Content-Type: application/octet-stream"));
            assertEquals("<h1>hi</h1>", rs.get(1).text());
            assertTrue(rs.get(1).head().contains("Content-Type: text/html; charset=utf-8"));
            assertTrue(rs.get(5).head().contains("Content-Length: " + big.length));
            assertEquals("Hello, World!", rs.get(6).text(), "pipelined requests behind a file are served after it");
        }
    }

    @Test
    void shouldCloseAnIdleConnectionAtTheIdleTimeoutAndNotOneNanosecondEarlier() throws Exception {
        long t0 = 1_000_000_000L;
        long idle = 5_000_000_000L;
        ManualClock clock = new ManualClock(t0);
        try (LoopFixture f = new LoopFixture("server-idle")) {
            EventLoop loop = f.manualLoop(f.config().withClock(clock).withMaxSelectWaitNs(10_000_000L));
            HttpServer server = HttpServer.start(loop, LoopFixture.ANY_LOOPBACK, null,
                    HttpServer.Limits.defaults().withIdleTimeoutNs(idle));
            SocketChannel client = f.connect(server.address());
            LoopFixture.runUntil(loop, t0, () -> server.openConnections() == 1);
            client.write(ByteBuffer.wrap("GET / HT".getBytes(ISO_8859_1))); // half a request, then silence
            LoopFixture.runUntil(loop, t0, () -> loop.stats().bytesRead() == 8);
            loop.runOnce(t0 + idle - 1);
            assertEquals(1, server.openConnections());
            loop.runOnce(t0 + idle);
            assertEquals(0, server.openConnections());
            assertEquals(1, loop.stats().readIdleTimeouts());
            server.close();
            loop.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Socket serve(LoopFixture f, Path root) throws IOException {
        return serve(f, root, HttpServer.Limits.defaults());
    }

    /** A server on a fixture loop (closed, and leak-checked, with the fixture) and a client socket to it. */
    private static Socket serve(LoopFixture f, Path root, HttpServer.Limits limits) throws IOException {
        HttpServer server = HttpServer.start(f.startLoop(), LoopFixture.ANY_LOOPBACK, root, limits);
        InetSocketAddress address = server.address();
        Socket s = new Socket(address.getAddress(), address.getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void send(Socket s, String requests) throws IOException {
        s.getOutputStream().write(requests.getBytes(ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** Reads one response per method, with the response parser under test elsewhere. */
    static List<Response> read(Socket s, HttpMethod... methods) throws IOException {
        List<Response> out = new ArrayList<>();
        StringBuilder head = new StringBuilder();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] status = new int[1];
        HttpResponseParser parser = new HttpResponseParser(new HttpResponseParserTest.IgnoringListener() {
            @Override
            public void onStatus(int statusCode, String reasonPhrase) {
                status[0] = statusCode;
            }

            @Override
            public void onHeader(String name, String value) {
                head.append(name).append(": ").append(value).append("\r\n");
            }

            @Override
            public void onBody(ByteBuffer chunk) {
                byte[] b = new byte[chunk.remaining()];
                chunk.get(b);
                body.writeBytes(b);
            }
        });
        parser.reset(methods[0]);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[64 * 1024];
        ByteBuffer pending = ByteBuffer.allocate(0);
        while (out.size() < methods.length) {
            if (!pending.hasRemaining()) {
                int n = in.read(buf);
                if (n < 0) {
                    throw new IOException("closed after " + out.size() + " responses");
                }
                pending = ByteBuffer.wrap(buf, 0, n);
            }
            if (parser.parse(pending) == HttpResponseParser.Result.COMPLETE) {
                out.add(new Response(status[0], head.toString(), body.toByteArray()));
                head.setLength(0);
                body.reset();
                if (out.size() < methods.length) {
                    parser.reset(methods[out.size()]);
                }
            }
        }
        return out;
    }
}
