package dev.sluice.samples.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testing.LoopFixture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two details found by driving the server from outside: the absolute-form request target, and
 * HTTP/1.0 keep-alive. Each test ends with the fixture's leak check.
 */
@Timeout(20)
final class HttpServerRfcTest {

    @Test
    void shouldAcceptTheAbsoluteFormRequestTargetAsRfc9112Section322Requires(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("index.html"), "<h1>hi</h1>");
        try (LoopFixture f = new LoopFixture("server-absolute"); Socket s = serve(f, root)) {
            send(s, "GET http://127.0.0.1/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET HTTP://Example.test:8080/index.html?x=1 HTTP/1.1\r\nHost: example.test:8080\r\n\r\n"
                    + "HEAD http://127.0.0.1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET http://127.0.0.1/missing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET http://127.0.0.1/plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            List<HttpServerTest.Response> rs = HttpServerTest.read(s, HttpMethod.GET, HttpMethod.GET, HttpMethod.HEAD,
                    HttpMethod.GET, HttpMethod.GET);
            assertEquals(List.of(200, 200, 200, 404, 200), rs.stream().map(HttpServerTest.Response::status).toList());
            assertEquals("Hello, World!", rs.get(0).text());
            assertEquals("<h1>hi</h1>", rs.get(1).text(), "the path part names the file; scheme and host are ignored");
            assertTrue(rs.get(2).head().contains("Content-Length: 13"), "an empty path is '/' (RFC 9110 §4.2.3)");
            assertEquals("Hello, World!", rs.get(4).text());
        }
    }

    @Test
    void shouldAnswer400ToAnAbsoluteFormWithoutAHost() throws Exception {
        try (LoopFixture f = new LoopFixture("server-absolute-400"); Socket s = serve(f, null)) {
            send(s, "GET http:///x HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(400, HttpServerTest.read(s, HttpMethod.GET).get(0).status());
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void shouldSayKeepAliveToAnHttp10ClientWhoseConnectionItKeeps(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("a.txt"), "a");
        try (LoopFixture f = new LoopFixture("server-http10"); Socket s = serve(f, root)) {
            send(s, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                    + "HEAD /a.txt HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"
                    + "GET /nope HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                    + "GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                    + "GET / HTTP/1.0\r\n\r\n");
            List<HttpServerTest.Response> rs = HttpServerTest.read(s, HttpMethod.GET, HttpMethod.HEAD, HttpMethod.GET,
                    HttpMethod.GET, HttpMethod.GET);
            assertEquals(List.of(200, 200, 404, 200, 200), rs.stream().map(HttpServerTest.Response::status).toList());
            for (int i = 0; i < 4; i++) {
                assertTrue(rs.get(i).head().contains("Connection: keep-alive\r\n"), i + ": " + rs.get(i).head());
            }
            assertTrue(rs.get(4).head().contains("Connection: close\r\n"), "a 1.0 request without keep-alive ends it");
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void shouldNotAddAConnectionFieldForHttp11KeepAliveWhichIsTheDefault() throws Exception {
        try (LoopFixture f = new LoopFixture("server-http11"); Socket s = serve(f, null)) {
            send(s, "GET / HTTP/1.1\r\nHost: t\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n");
            List<HttpServerTest.Response> rs = HttpServerTest.read(s, HttpMethod.GET, HttpMethod.GET);
            assertFalse(rs.get(0).head().contains("Connection:"), rs.get(0).head());
            assertFalse(rs.get(1).head().contains("Connection:"), rs.get(1).head());
        }
    }

    private static Socket serve(LoopFixture f, Path root) throws IOException {
        HttpServer server = HttpServer.start(f.startLoop(), LoopFixture.ANY_LOOPBACK, root, HttpServer.Limits.defaults());
        InetSocketAddress address = server.address();
        Socket s = new Socket(address.getAddress(), address.getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void send(Socket s, String requests) throws IOException {
        s.getOutputStream().write(requests.getBytes(ISO_8859_1));
        s.getOutputStream().flush();
    }
}
