package dev.sluice.samples.http;

import static dev.sluice.samples.http.HttpBenchTest.assertLoopThreadGone;
import static dev.sluice.samples.http.HttpBenchTest.print;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.samples.support.Output;
import dev.sluice.samples.support.StatsLines;
import dev.sluice.testing.LoopFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The fetch and http-server commands as a user runs them: arguments in, output, one-line errors and
 * exit codes out. Each test ends with the command's own loop (and the test server's) gone.
 */
@Timeout(20)
final class HttpCommandsTest {

    private LoopFixture fixture;
    private HttpServer server;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        fixture = new LoopFixture("commands");
        server = HttpServer.start(fixture.startLoop(), LoopFixture.ANY_LOOPBACK, null, HttpServer.Limits.defaults());
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
        fixture.close();
        assertLoopThreadGone("fetch-loop");
    }

    private int fetch(String... args) {
        CommandLine cmd = new CommandLine(new FetchCommand(print(out), print(err)));
        cmd.setErr(new PrintWriter(print(err), true)); // picocli's own usage errors
        return cmd.execute(args);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private String out() {
        return out.toString(UTF_8);
    }

    private String err() {
        return err.toString(UTF_8);
    }

    @Test
    void shouldPrintBodiesLikeCurlAndHeadsWithInclude() {
        assertEquals(0, fetch(url("/"), url("/")));
        assertEquals("Hello, World!Hello, World!", out());
        assertEquals("", err());
        out.reset();
        assertEquals(0, fetch("-i", url("/")));
        assertTrue(out().startsWith("HTTP/1.1 200 OK\r\nServer: sluice\r\n"), out());
        assertTrue(out().endsWith("\r\n\r\nHello, World!"), out());
    }

    @Test
    void shouldSaveTheBodyAndShowTimings(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("body.txt");
        assertEquals(0, fetch("-v", "-o", file.toString(), url("/")));
        assertEquals("Hello, World!", Files.readString(file));
        assertEquals("", out());
        assertTrue(Pattern.matches("\\* http://\\S+: 200, 13 bytes; dns [\\d.]+ ms, connect [\\d.]+ ms, "
                + "first byte [\\d.]+ ms, total [\\d.]+ ms\n", err()), err());
    }

    @Test
    void shouldExplainEachFailureInOneLineAndExitWithOne() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertEquals(1, fetch("ftp://example.com/", "http://127.0.0.1:" + closedPort + "/", url("/")));
        assertEquals("Hello, World!", out(), "the good URL is still fetched");
        String[] lines = err().split("\n");
        assertEquals(2, lines.length, err());
        assertEquals("fetch: unsupported scheme 'ftp' (only http and https): ftp://example.com/", lines[0]);
        assertTrue(lines[1].matches("fetch: http://127.0.0.1:\\d+/: connect to 127.0.0.1 port \\d+ failed: Connection refused"),
                lines[1]);
    }

    @Test
    void shouldTreatHttpErrorsAsFailuresOnlyWithFail() {
        assertEquals(0, fetch(url("/missing")));
        assertEquals(1, fetch("-f", url("/missing")));
        assertTrue(err().endsWith("fetch: " + url("/missing") + ": HTTP status 404\n"), err());
    }

    @Test
    void shouldFetchAListConcurrentlyWithOneLinePerUrlAndASummary(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>(List.of("# a comment", "", url("/missing"), "ftp://nope/"));
        for (int i = 0; i < 30; i++) {
            lines.add(url("/"));
        }
        Path list = Files.write(dir.resolve("urls.txt"), lines);
        assertEquals(1, fetch("--urls", list.toString(), "-c", "4"));
        String[] printed = out().split("\n");
        assertEquals(33, printed.length, out());
        assertEquals(30, out().lines().filter(l -> l.matches("200 +13 B +[\\d.]+ ms  http://127.0.0.1:\\d+/")).count(), out());
        assertTrue(out().contains("404            10 B"), out());
        assertTrue(out().contains("FAIL        BAD_URL          -  ftp://nope/  unsupported scheme 'ftp'"), out());
        assertTrue(printed[32].matches("32 URLs in [\\d.]+ s: 31 ok, 1 failed; 400B of bodies; [\\d.]+ URLs/s; "
                + "[1-4] connections opened"), printed[32]);
        assertTrue(server.acceptedConnections() <= 4, "a keep-alive pool, not a connection per URL");
    }

    @Test
    void shouldRejectUsageErrorsWithExitCodeTwo() {
        assertEquals(2, fetch());
        assertEquals("fetch: no URL given (see fetch --help)\n", err());
        err.reset();
        assertEquals(2, fetch("--max-time", "soon", url("/")));
        assertTrue(err().contains("not a duration: 'soon'"), err());
    }

    @Test
    void shouldServeUntilClosedAndReportAPortInUseInOneLine() throws Exception {
        CompletableFuture<HttpServer> started = new CompletableFuture<>();
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() ->
                new CommandLine(new HttpServerCommand(print(out), print(err), started::complete)).execute("-p", "0"));
        HttpServer running = started.get(10, TimeUnit.SECONDS);
        assertEquals(0, fetch(url("/").replace(":" + server.port(), ":" + running.port())));
        assertTrue(out().startsWith("http-server listening on http://127.0.0.1:" + running.port() + "/\n"), out());
        running.close();
        assertEquals(0, code.get(10, TimeUnit.SECONDS));
        assertLoopThreadGone("http-server");

        int busy = new CommandLine(new HttpServerCommand(print(out), print(err), s -> { }))
                .execute("-p", String.valueOf(server.port()));
        assertEquals(1, busy);
        assertTrue(err().matches("http-server: cannot listen on 127.0.0.1:\\d+: Address already in use\n"), err());
    }

    @Test
    void shouldPrintTheLoopCountersEveryStatsInterval() throws Exception {
        Output lines = new Output();
        CompletableFuture<HttpServer> started = new CompletableFuture<>();
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() ->
                new CommandLine(new HttpServerCommand(lines.stream, print(err), started::complete))
                        .execute("-p", "0", "--stats-interval", "20ms"));
        HttpServer running = started.get(10, TimeUnit.SECONDS);
        assertEquals(0, fetch(url("/").replace(":" + server.port(), ":" + running.port())));

        Map<String, Long> totals = StatsLines.await(lines, "http-server", Map.of("accepts", 1L, "closes", 1L,
                "bytesOut", (long) "HTTP/1.1 200 OK\r\n".length()));

        assertEquals(1, totals.get("accepts"), lines.text());
        assertEquals(1, totals.get("closes"), lines.text());
        running.close();
        assertEquals(0, code.get(10, TimeUnit.SECONDS));
        assertLoopThreadGone("http-server");
        assertLoopThreadGone("http-server-stats");
    }

    @Test
    void shouldRefuseARootThatIsNotADirectory(@TempDir Path dir) {
        Path missing = dir.resolve("missing");
        int code = new CommandLine(new HttpServerCommand(print(out), print(err), s -> { }))
                .execute("-p", "0", "--root", missing.toString());
        assertEquals(1, code);
        assertEquals("http-server: --root " + missing + " is not a directory\n", err());
    }
}
