package dev.sluice.samples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.LoopConfig;
import dev.sluice.testing.LoopFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** Short benchmark runs against the project's server; each ends with the benchmark loop gone. */
@Timeout(20)
final class HttpBenchTest {

    private static final long MS = 1_000_000L;

    @Test
    void shouldCountEveryResponseInTheHistogramWithPipelining() throws Exception {
        try (LoopFixture f = new LoopFixture("bench-server")) {
            HttpServer server = HttpServer.start(f.startLoop(), LoopFixture.ANY_LOOPBACK, null, HttpServer.Limits.defaults());
            for (int pipeline : new int[] {1, 8}) {
                HttpBench.Config config = HttpBench.Config.of(HttpUrl.parse("http://127.0.0.1:" + server.port() + "/"), 4,
                        300 * MS).withPipeline(pipeline).withWarmupNs(100 * MS);
                HttpBench.Result r = HttpBench.run(config, server.address(), LoopConfig.defaults().withName("test-bench"));
                for (int retry = 0; retry < 2 && r.requests() == 0; retry++) {
                    // A loaded two-core machine can stall both loops for a whole 300 ms window.
                    r = HttpBench.run(config, server.address(), LoopConfig.defaults().withName("test-bench"));
                }
                assertTrue(r.requests() > 0, "pipeline " + pipeline + ": " + r.errors() + ", connects " + r.connects()
                        + ", bytes " + r.bytesRead() + ", " + r.loopStats());
                assertEquals(Map.of(200, r.requests()), r.statusCounts());
                assertEquals(Map.of(), r.errors());
                assertEquals(r.requests(), r.latencyUs().getTotalCount());
                assertEquals(4, r.connects());
                assertTrue(r.bytesRead() >= r.requests() * 13, "bytes: " + r.bytesRead());
                assertTrue(r.elapsedNs() >= 300 * MS);
                assertEquals(0, r.loopStats().openConnections(), "the benchmark's loop closed everything");
                assertLoopThreadGone("test-bench");
            }
        }
    }

    @Test
    void shouldCountNothingFromTheWarmUp() throws Exception {
        try (LoopFixture f = new LoopFixture("bench-warmup")) {
            HttpServer server = HttpServer.start(f.startLoop(), LoopFixture.ANY_LOOPBACK, null, HttpServer.Limits.defaults());
            HttpBench.Config config = HttpBench.Config.of(HttpUrl.parse("http://127.0.0.1:" + server.port() + "/"), 2,
                    100 * MS).withWarmupNs(300 * MS);
            HttpBench.Result r = HttpBench.run(config, server.address(), LoopConfig.defaults().withName("test-bench-warmup"));
            assertTrue(r.requests() > 0);
            assertEquals(r.requests(), r.latencyUs().getTotalCount());
            assertEquals(Map.of(200, r.requests()), r.statusCounts());
            assertTrue(r.elapsedNs() >= 100 * MS, "elapsed: " + r.elapsedNs());
            assertTrue(server.loop().stats().bytesWritten() > r.bytesRead(), "the server also answered the warm-up");
            assertLoopThreadGone("test-bench-warmup");
        }
    }

    @Test
    void shouldCountConnectErrorsWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        HttpBench.Config config = HttpBench.Config.of(HttpUrl.parse("http://127.0.0.1:" + port + "/"), 2, 100 * MS);
        HttpBench.Result r = HttpBench.run(config, new InetSocketAddress("127.0.0.1", port),
                LoopConfig.defaults().withName("test-bench-refused"));
        assertEquals(0, r.requests());
        assertTrue(r.errors().get(HttpBench.ErrorKind.CONNECT) >= 2, r.errors().toString());
        assertLoopThreadGone("test-bench-refused");
    }

    @Test
    void shouldPrintAWrkStyleReportFromTheCommand() throws Exception {
        try (LoopFixture f = new LoopFixture("bench-command")) {
            HttpServer server = HttpServer.start(f.startLoop(), LoopFixture.ANY_LOOPBACK, null, HttpServer.Limits.defaults());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = new CommandLine(new HttpBenchCommand(print(out), print(err)))
                    .execute("-c", "2", "-d", "200ms", "--warmup", "100ms", "--pipeline", "2", "--latency",
                            "http://127.0.0.1:" + server.port() + "/");
            String report = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, report + err);
            assertTrue(report.startsWith("Running 200ms test @ http://127.0.0.1:" + server.port() + "/\n"
                    + "  2 connections, pipeline 2, 1 event loop, after a 100ms warm-up (not counted)\n"), report);
            assertTrue(report.contains("  Status codes: 200="), report);
            assertTrue(report.contains("  Errors: none"), report);
            assertTrue(report.matches("(?s).*\nRequests/sec: +\\d+\\.\\d\\d\nTransfer/sec: +[\\d.]+[KMG]?B\n"), report);
            assertEquals("", err.toString(StandardCharsets.UTF_8));
        }
        assertLoopThreadGone("http-bench");
    }

    @Test
    void shouldRefuseABadUrlInOneLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CommandLine(new HttpBenchCommand(print(new ByteArrayOutputStream()), print(err)))
                .execute("-d", "1s", "https://127.0.0.1/");
        assertEquals(2, code);
        assertEquals("http-bench: https is not supported yet: https://127.0.0.1/\n", err.toString(StandardCharsets.UTF_8));
    }

    static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    static void assertLoopThreadGone(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive())) {
            assertTrue(System.nanoTime() < deadline, "thread " + name + " still alive");
            Thread.sleep(1);
        }
    }
}
