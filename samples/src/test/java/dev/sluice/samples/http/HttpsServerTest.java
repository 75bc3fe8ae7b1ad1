package dev.sluice.samples.http;

import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.TestCerts;
import dev.sluice.testing.ToolProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.sluice.samples.http.HttpBenchTest.print;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code http-server} over TLS, driven by clients nobody here wrote: curl (skipped with a message when
 * missing) and the JDK's {@link HttpClient}, both verifying the server's certificate against a CA file
 * the test made; and {@code http-server --tls-cert --tls-key} as a command.
 */
@Timeout(60)
final class HttpsServerTest {
    @TempDir
    static Path dir;
    static TestCerts certs;
    static byte[] file = new byte[300_000];

    @BeforeAll
    static void setUp() throws Exception {
        certs = TestCerts.make(dir);
        new Random(5).nextBytes(file);
        Files.createDirectories(dir.resolve("www"));
        Files.write(dir.resolve("www").resolve("data.bin"), file);
    }

    private static HttpServer start(LoopFixture f) throws Exception {
        return HttpServer.start(f.startLoop(), LoopFixture.ANY_LOOPBACK, dir.resolve("www"), HttpServer.Limits.defaults(),
                dev.sluice.samples.TlsFiles.server(certs.certPem, certs.keyPem));
    }

    /**
     * A thread per task: the command blocks its thread until the server stops, and on a 2-core machine
     * the common pool has one worker (JDK 25's CompletableFuture then queues behind it, where JDK 17
     * started a thread per task), so the curl reader below would never run.
     */
    private static final java.util.concurrent.Executor THREAD_PER_TASK = r -> {
        Thread t = new Thread(r, "https-test-task");
        t.setDaemon(true);
        t.start();
    };

    private static byte[] curl(String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("curl", "-s", "--cacert",
                certs.certPem.toString()));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, THREAD_PER_TASK);
        try {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "curl did not finish");
            assertEquals(0, p.exitValue(), "curl failed");
            return out.get(10, TimeUnit.SECONDS);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void shouldServeCurlOverHttpsWithKeepAliveAndFiles() throws Exception {
        assumeTrue(ToolProcess.available("curl", "--version"), "curl is not installed: skipping the curl https test");
        try (LoopFixture f = new LoopFixture("https-curl")) {
            HttpServer server = start(f);
            String base = "https://localhost:" + server.port();
            String hello = new String(curl("-i", "--resolve", "localhost:" + server.port() + ":127.0.0.1", base + "/"), UTF_8);
            assertTrue(hello.startsWith("HTTP/1.1 200 OK\r\n"), hello);
            assertTrue(hello.endsWith("\r\n\r\nHello, World!"), hello);
            String codes = new String(curl("--resolve", "localhost:" + server.port() + ":127.0.0.1",
                    "-o", "/dev/null", "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\\n",
                    base + "/", base + "/nope"), UTF_8);
            assertEquals("200 1\n404 0\n", codes, "one TLS connection kept alive for both");
            assertArrayEquals(file, curl("--resolve", "localhost:" + server.port() + ":127.0.0.1", base + "/data.bin"),
                    "a file region, sent through TLS instead of sendfile");
        }
    }

    @Test
    void shouldServeTheJdkHttpClientOverHttps() throws Exception {
        try (LoopFixture f = new LoopFixture("https-jdk")) {
            HttpServer server = start(f);
            HttpClient client = HttpClient.newBuilder().sslContext(certs.clientContext())
                    .connectTimeout(Duration.ofSeconds(10)).build();
            URI base = URI.create("https://127.0.0.1:" + server.port()); // the certificate names 127.0.0.1 too
            HttpResponse<String> hello = client.send(HttpRequest.newBuilder(base.resolve("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, hello.statusCode());
            assertEquals("Hello, World!", hello.body());
            assertEquals(HttpClient.Version.HTTP_1_1, hello.version(), "no ALPN h2: HTTP/1.1");
            HttpResponse<byte[]> data = client.send(HttpRequest.newBuilder(base.resolve("/data.bin")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertArrayEquals(file, data.body());
        }
    }

    @Test
    void shouldServeHttpsFromTheCommandWithTlsCertAndKey() throws Exception {
        assumeTrue(ToolProcess.available("curl", "--version"), "curl is not installed: skipping the command test");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicReference<HttpServer> running = new AtomicReference<>();
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> new CommandLine(
                new HttpServerCommand(print(out), print(err), running::set)).execute("-p", "0",
                "--tls-cert", certs.certPem.toString(), "--tls-key", certs.keyPem.toString()), THREAD_PER_TASK);
        try {
            LoopFixture.await(() -> running.get() != null || code.isDone(), "the server to start");
            assertTrue(running.get() != null, "did not start: " + err.toString(UTF_8));
            int port = running.get().port();
            assertTrue(out.toString(UTF_8).contains("https://"), out.toString(UTF_8));
            String hello = new String(curl("https://127.0.0.1:" + port + "/"), UTF_8);
            assertEquals("Hello, World!", hello);
        } finally {
            if (running.get() != null) {
                running.get().close();
            }
        }
        assertEquals(0, code.get(20, TimeUnit.SECONDS));
    }

    @Test
    void shouldServeHttpsFromAGroupOfTwoLoopsFromTheCommand() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicReference<HttpServer> running = new AtomicReference<>();
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> new CommandLine(
                new HttpServerCommand(print(out), print(err), running::set)).execute("-p", "0", "--loops", "2",
                "--tls-cert", certs.certPem.toString(), "--tls-key", certs.keyPem.toString()), THREAD_PER_TASK);
        java.util.List<javax.net.ssl.SSLSocket> clients = new java.util.ArrayList<>();
        try {
            LoopFixture.await(() -> running.get() != null || code.isDone(), "the server to start");
            assertTrue(running.get() != null, "did not start: " + err.toString(UTF_8));
            assertTrue(out.toString(UTF_8).startsWith("http-server listening on https://"), out.toString(UTF_8));
            for (int i = 0; i < 4; i++) { // kept open: the hand-off gives two to each loop
                javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) certs.clientContext().getSocketFactory()
                        .createSocket("127.0.0.1", running.get().port());
                clients.add(s);
                s.setSoTimeout(20_000);
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(UTF_8));
                String response = readResponse(s.getInputStream());
                assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n") && response.endsWith("\r\n\r\nHello, World!"),
                        response);
            }
            assertEquals(4, running.get().openConnections());
            assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("http-server-1")),
                    "served by a group of two loops");
        } finally {
            for (javax.net.ssl.SSLSocket s : clients) {
                s.close();
            }
            if (running.get() != null) {
                running.get().close();
            }
        }
        assertEquals(0, code.get(20, TimeUnit.SECONDS), err.toString(UTF_8));
        dev.sluice.samples.Threads.assertNoneAlive("http-server-");
    }

    /** One response to GET /: the head, then the Content-Length's 13 bytes. */
    private static String readResponse(java.io.InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            sb.append((char) b);
        }
        return sb + new String(in.readNBytes(13), UTF_8);
    }

    @Test
    void shouldRefuseTlsCertWithoutTlsKeyAsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CommandLine(new HttpServerCommand(print(new ByteArrayOutputStream()), print(err), s -> { }))
                .execute("-p", "0", "--tls-cert", certs.certPem.toString());
        assertEquals(2, code);
        assertTrue(err.toString(UTF_8).contains("--tls-cert and --tls-key go together"), err.toString(UTF_8));
    }
}
