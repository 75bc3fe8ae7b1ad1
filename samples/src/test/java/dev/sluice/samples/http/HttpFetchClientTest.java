package dev.sluice.samples.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.EventLoop;
import dev.sluice.samples.http.FetchResult.Failure.Kind;
import dev.sluice.testing.LoopFixture;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fetch client against the project's own server and against {@link ScriptedServer}, a plain
 * blocking server that is not built on the engine. Every test ends with the leak check: loops ended,
 * no channel open, the resolver thread and the scripted server's threads gone.
 */
@Timeout(20)
final class HttpFetchClientTest {

    private static final long MS = 1_000_000L;

    private LoopFixture fixture;
    private EventLoop clientLoop;
    private ExecutorService resolverThread;
    private final List<String> resolvedOn = new CopyOnWriteArrayList<>();
    private ScriptedServer scripted;
    private HttpServer server;
    private FetchClient client;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new LoopFixture("fetch");
        clientLoop = fixture.startLoop();
        resolverThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-resolver"));
        scripted = new ScriptedServer();
        server = HttpServer.start(fixture.startLoop(), LoopFixture.ANY_LOOPBACK, null, HttpServer.Limits.defaults());
        client = client(FetchOptions.defaults().withRedirects(true, 3));
    }

    private FetchClient client(FetchOptions options) {
        FetchClient.Resolver resolver = host -> {
            resolvedOn.add(Thread.currentThread().getName());
            if (host.equals("no-such-host.test")) {
                throw new UnknownHostException(host + ": Name or service not known");
            }
            // Only loopback: tests never leave the machine.
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        };
        return FetchClient.create(clientLoop, resolverThread, resolver, options);
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        server.close();
        scripted.close();
        resolverThread.shutdownNow();
        assertTrue(resolverThread.awaitTermination(5, TimeUnit.SECONDS));
        fixture.close();
    }

    private FetchResult fetch(String url) {
        return client.fetch(HttpUrl.parse(url), FetchListener.DISCARD).join();
    }

    private String ownUrl(String path) {
        return "http://localhost:" + server.port() + path;
    }

    @Test
    void shouldFetchABodyAndReuseTheKeepAliveConnection() {
        Body body = new Body();
        FetchResult first = client.fetch(HttpUrl.parse(ownUrl("/")), body).join();
        FetchResult second = fetch(ownUrl("/"));
        FetchResult third = fetch(ownUrl("/missing"));

        assertNull(first.failure());
        assertEquals(200, first.status());
        assertEquals("Hello, World!", body.text());
        assertEquals("HTTP/1.1 200 OK", body.heads.get(0).split("\r\n")[0]);
        assertFalse(first.reusedConnection());
        assertTrue(second.reusedConnection());
        assertEquals(404, third.status(), "a 404 is a response, not a failure");
        assertTrue(third.ok());
        assertEquals(1, server.acceptedConnections(), "one keep-alive connection for all three");
        assertEquals(1, client.connectionsOpened());
        FetchResult.Timings t = first.timings();
        assertTrue(t.dnsNs() >= 0 && t.dnsNs() <= t.connectNs() && t.connectNs() <= t.firstByteNs()
                && t.firstByteNs() <= t.totalNs(), t.toString());
    }

    @Test
    void shouldResolveEachHostOnceAndNeverOnTheLoopThread() {
        List<CompletableFuture<FetchResult>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(client.fetch(HttpUrl.parse(ownUrl(i % 2 == 0 ? "/" : "/x")), FetchListener.DISCARD));
        }
        for (CompletableFuture<FetchResult> f : all) {
            assertTrue(f.join().ok(), f.join().toString());
        }
        assertEquals(List.of("test-resolver"), resolvedOn, "one lookup, on the resolver thread");
        assertTrue(client.connectionsOpened() <= 40);
        assertEquals(client.connectionsOpened(), server.acceptedConnections());
    }

    @Test
    void shouldReportAnUnknownHostAsADnsFailure() {
        FetchResult r = fetch("http://no-such-host.test/");
        assertEquals(Kind.DNS, r.failure().kind());
        assertTrue(r.failure().message().contains("no-such-host.test"), r.failure().message());
    }

    @Test
    void shouldDecodeChunkedBodiesFromAServerNotBuiltOnTheEngine() {
        Body small = new Body();
        assertEquals(200, client.fetch(HttpUrl.parse(scripted.url("/chunked")), small).join().status());
        assertEquals("hello, world", small.text());
        Body big = new Body();
        FetchResult r = client.fetch(HttpUrl.parse(scripted.url("/big-chunked")), big).join();
        assertTrue(r.ok(), String.valueOf(r.failure()));
        assertArrayEquals(ScriptedServer.BIG, big.bytes.toByteArray());
        assertTrue(r.reusedConnection(), "chunked responses keep the connection");
        assertEquals(1, scripted.connections.get());
    }

    @Test
    void shouldReadAnHttp10BodyUntilTheServerCloses() {
        Body body = new Body();
        FetchResult r = client.fetch(HttpUrl.parse(scripted.url("/http10")), body).join();
        assertTrue(r.ok(), String.valueOf(r.failure()));
        assertEquals("until the server closes", body.text());
        assertTrue(body.heads.get(0).startsWith("HTTP/1.0 200 OK\r\n"), body.heads.get(0));
    }

    @Test
    void shouldFollowRedirectsAndReportEachHead() {
        Body body = new Body();
        FetchResult r = client.fetch(HttpUrl.parse(scripted.url("/redirect-abs")), body).join();
        assertTrue(r.ok(), String.valueOf(r.failure()));
        assertEquals(2, r.redirects());
        assertEquals(scripted.url("/chunked"), r.finalUrl().toString());
        assertEquals("hello, world", body.text(), "redirect bodies are discarded");
        assertEquals(3, body.heads.size());
        assertTrue(body.heads.get(0).startsWith("HTTP/1.1 301"), body.heads.get(0));
    }

    @Test
    void shouldStopAtTheRedirectLimitAndFollowHttpsTargetsWithTls() {
        FetchResult loop = fetch(scripted.url("/loop"));
        assertEquals(Kind.TOO_MANY_REDIRECTS, loop.failure().kind());
        assertEquals(3, loop.redirects());
        FetchResult https = fetch(scripted.url("/https"));
        // https://127.0.0.1/ is port 443, where nothing listens here: followed, and the connect fails.
        assertEquals(Kind.CONNECT, https.failure().kind(), https.failure().message());
        assertTrue(https.failure().message().contains("port 443"), https.failure().message());
    }

    @Test
    void shouldNotFollowRedirectsUnlessAsked() {
        client.close();
        client = client(FetchOptions.defaults());
        FetchResult r = fetch(scripted.url("/redirect"));
        assertTrue(r.ok());
        assertEquals(302, r.status());
        assertEquals(6, r.bodyBytes(), "without -L the redirect's own body is the result");
    }

    @Test
    void shouldFailWithTheReasonWhenTheConnectionIsRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again at once: nothing listens there now
        }
        FetchResult r = fetch("http://127.0.0.1:" + port + "/");
        assertEquals(Kind.CONNECT, r.failure().kind());
        assertTrue(r.failure().message().contains("refused"), r.failure().message());
    }

    @Test
    void shouldTimeOutAConnectThatTheServerNeverCompletes() throws Exception {
        // A listener that never accepts: once its accept queue is full, Linux drops further SYNs
        // (tcp_abort_on_overflow=0), so the next connect hangs until our timeout.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<SocketChannel> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    SocketChannel ch = SocketChannel.open();
                    ch.configureBlocking(false);
                    ch.connect(full.getLocalSocketAddress());
                    fillers.add(ch);
                }
                Thread.sleep(100); // let the handshakes that fit complete
                client.close();
                client = client(FetchOptions.defaults().withTimeouts(200 * MS, 2_000 * MS, 0));
                FetchResult r = fetch("http://127.0.0.1:" + full.getLocalPort() + "/");
                assumeTrue(r.failure() != null && r.failure().kind() != Kind.FIRST_BYTE_TIMEOUT,
                        "this kernel completed the handshake despite the full accept queue");
                assertEquals(Kind.CONNECT_TIMEOUT, r.failure().kind(), r.failure().message());
                assertTrue(r.failure().message().contains("timed out after 200.0 ms"), r.failure().message());
            } finally {
                for (SocketChannel ch : fillers) {
                    ch.close();
                }
            }
        }
    }

    @Test
    void shouldTimeOutWaitingForTheFirstByteAndForTheWholeFetch() {
        client.close();
        client = client(FetchOptions.defaults().withTimeouts(2_000 * MS, 200 * MS, 0));
        FetchResult slow = fetch(scripted.url("/slow"));
        assertEquals(Kind.FIRST_BYTE_TIMEOUT, slow.failure().kind());
        assertTrue(slow.timings().totalNs() >= 200 * MS, slow.timings().toString());

        client.close();
        client = client(FetchOptions.defaults().withTimeouts(2_000 * MS, 2_000 * MS, 300 * MS));
        FetchResult trickle = fetch(scripted.url("/trickle"));
        assertEquals(Kind.TOTAL_TIMEOUT, trickle.failure().kind());
        assertTrue(trickle.timings().firstByteNs() >= 0, "the first byte came, the rest was too slow");
        assertTrue(trickle.timings().totalNs() >= 300 * MS, trickle.timings().toString());
    }

    @Test
    void shouldReportTruncatedAndMalformedResponses() {
        FetchResult partial = fetch(scripted.url("/partial"));
        assertEquals(Kind.CONNECTION, partial.failure().kind());
        assertTrue(partial.failure().message().contains("10 of 100"), partial.failure().message());
        assertEquals(10, partial.bodyBytes());
        FetchResult garbage = fetch(scripted.url("/garbage"));
        assertEquals(Kind.PROTOCOL, garbage.failure().kind());
        assertTrue(garbage.failure().message().contains("BAD_STATUS_LINE"), garbage.failure().message());
    }

    @Test
    void shouldRetryOnceWhenTheServerDropsAReusedConnection() {
        assertTrue(fetch(scripted.url("/close-second")).ok());
        FetchResult second = fetch(scripted.url("/close-second"));
        assertTrue(second.ok(), String.valueOf(second.failure()));
        assertFalse(second.reusedConnection(), "answered on a new connection");
        assertEquals(2, scripted.connections.get());
    }

    @Test
    void shouldFailOutstandingFetchesWhenClosed() {
        CompletableFuture<FetchResult> slow = client.fetch(HttpUrl.parse(scripted.url("/slow")), FetchListener.DISCARD);
        while (scripted.connections.get() == 0) {
            Thread.onSpinWait();
        }
        client.close();
        assertEquals(Kind.CLIENT_CLOSED, slow.join().failure().kind());
        assertEquals(Kind.CLIENT_CLOSED, fetch(ownUrl("/")).failure().kind(), "and every later one");
        assertNotEquals(0, slow.join().timings().totalNs());
    }

    /** Collects heads and body bytes, as the fetch command's writer does. */
    private static final class Body implements FetchListener {
        final List<String> heads = new CopyOnWriteArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void onResponseHead(HttpUrl url, ResponseHead head, boolean redirect) {
            heads.add(head.toText());
        }

        @Override
        public void onBody(ByteBuffer chunk) {
            byte[] b = new byte[chunk.remaining()];
            chunk.get(b);
            synchronized (bytes) {
                bytes.writeBytes(b);
            }
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(ISO_8859_1);
            }
        }
    }
}
