package dev.sluice.samples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
                BenchConfig config = BenchConfig.of(HttpUrl.parse("http://127.0.0.1:" + server.port() + "/"), 4,
                        300 * MS).withPipeline(pipeline).withWarmupNs(100 * MS);
                BenchResult r = HttpBench.run(config, server.address(), LoopConfig.defaults().withName("test-bench"));
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
                assertEquals(0, r.loopStats().get(0).openConnections(), "the benchmark's loop closed everything");
                assertLoopThreadGone("test-bench");
            }
        }
    }

    @Test
    void shouldCountNothingFromTheWarmUp() throws Exception {
        try (LoopFixture f = new LoopFixture("bench-warmup")) {
            HttpServer server = HttpServer.start(f.startLoop(), LoopFixture.ANY_LOOPBACK, null, HttpServer.Limits.defaults());
            BenchConfig config = BenchConfig.of(HttpUrl.parse("http://127.0.0.1:" + server.port() + "/"), 2,
                    100 * MS).withWarmupNs(300 * MS);
            BenchResult r = HttpBench.run(config, server.address(), LoopConfig.defaults().withName("test-bench-warmup"));
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
        BenchConfig config = BenchConfig.of(HttpUrl.parse("http://127.0.0.1:" + port + "/"), 2, 100 * MS);
        BenchResult r = HttpBench.run(config, new InetSocketAddress("127.0.0.1", port),
                LoopConfig.defaults().withName("test-bench-refused"));
        assertEquals(0, r.requests());
        assertTrue(r.errors().get(HttpBench.ErrorKind.CONNECT) >= 2, r.errors().toString());
        assertLoopThreadGone("test-bench-refused");
    }

    @Test
    void shouldPrintWrksReportFromTheCommand() throws Exception {
        try (LoopFixture f = new LoopFixture("bench-command")) {
            HttpServer server = HttpServer.start(f.startLoop(), LoopFixture.ANY_LOOPBACK, null, HttpServer.Limits.defaults());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = new CommandLine(new HttpBenchCommand(print(out), print(err)))
                    .execute("-t", "2", "-c", "4", "-d", "300ms", "--warmup", "100ms", "--pipeline", "2", "--latency",
                            "http://127.0.0.1:" + server.port() + "/");
            String report = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, report + err);
            assertTrue(report.startsWith("Running 300ms test @ http://127.0.0.1:" + server.port() + "/\n"
                    + "  2 threads and 4 connections, pipeline 2, after a 100ms warm-up (not counted)\n"
                    + "  Thread Stats   Avg      Stdev     Max   +/- Stdev\n"), report);
            assertTrue(report.matches("(?s).*\n    Latency +[\\d.]+(us|ms|s) +[\\d.]+(us|ms|s) +[\\d.]+(us|ms|s) +[\\d.]+%\n"
                    + "    Req/Sec +[\\d.]+[kM]? +[\\d.]+[kM]? +[\\d.]+[kM]? +[\\d.]+%\n.*"), report);
            assertTrue(report.contains("  Latency Distribution (HdrHistogram - Uncorrected Latency (closed loop))\n"
                    + " 50.000%"), report);
            assertTrue(report.contains("\n  Detailed Percentile spectrum:\n       Value     Percentile TotalCount 1/(1-Percentile)\n"), report);
            assertTrue(report.matches("(?s).*\n  \\d+ requests in [\\d.]+(ms|s), [\\d.]+[KMG]?B read\n"
                    + "Requests/sec: +\\d+\\.\\d\\d\nTransfer/sec: +[\\d.]+[KMG]?B\n"), report);
            assertFalse(report.contains("Socket errors"), report);
            assertEquals("", err.toString(StandardCharsets.UTF_8), "no progress lines for a short run");
        }
        assertLoopThreadGone("http-bench-1");
        assertLoopThreadGone("http-bench-2");
    }

    @Test
    void shouldSpreadConnectionsOverOneLoopPerThread() throws Exception {
        try (LoopFixture f = new LoopFixture("bench-threads")) {
            HttpServer server = HttpServer.start(f.startLoop(), LoopFixture.ANY_LOOPBACK, null, HttpServer.Limits.defaults());
            BenchConfig config = BenchConfig.of(HttpUrl.parse("http://127.0.0.1:" + server.port() + "/"), 5, 200 * MS)
                    .withThreads(3);
            BenchResult r = HttpBench.run(config, server.address(), LoopConfig.defaults().withName("test-bench-t"));
            assertEquals(3, r.loopStats().size());
            assertEquals(java.util.List.of(2L, 2L, 1L), r.loopStats().stream().map(dev.sluice.LoopStats::connects).toList());
            assertEquals(5, r.connects());
            assertTrue(r.requests() > 0, r.errors().toString());
            assertEquals(r.requests(), r.latencyUs().getTotalCount());
            assertTrue(r.threadRates().getTotalCount() >= 3, "a rate sample per thread per 100 ms: " + r.threadRates().getTotalCount());
            for (int t = 1; t <= 3; t++) {
                assertLoopThreadGone("test-bench-t-" + t);
            }
        }
    }

    @Test
    void shouldPrintWrksSocketErrorsLineAndExitOneWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CommandLine(new HttpBenchCommand(print(out), print(err)))
                .execute("-t", "1", "-c", "2", "-d", "100ms", "-w", "0", "http://127.0.0.1:" + port + "/");
        String report = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, report);
        assertTrue(report.matches("(?s).*\n  Socket errors: connect [1-9]\\d*, read 0, write 0, timeout 0\n.*"), report);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("http-bench: no request completed (errors: connect "),
                err.toString(StandardCharsets.UTF_8));
        assertLoopThreadGone("http-bench");
    }

    @Test
    void shouldPrintAProgressLineASecondOnStandardErrorWhenAsked() throws Exception {
        try (LoopFixture f = new LoopFixture("bench-progress")) {
            HttpServer server = HttpServer.start(f.startLoop(), LoopFixture.ANY_LOOPBACK, null, HttpServer.Limits.defaults());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = new CommandLine(new HttpBenchCommand(print(out), print(err))).execute("-t", "1", "-c", "2",
                    "-d", "1200ms", "-w", "0", "--progress", "http://127.0.0.1:" + server.port() + "/");
            assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
            String progress = err.toString(StandardCharsets.UTF_8);
            assertTrue(progress.matches("( +\\d+\\.\\ds +[\\d,]+ req/s +\\d+ errors\n)+"), progress);
            assertFalse(out.toString(StandardCharsets.UTF_8).contains("req/s "), "progress stays off the report");
        }
        assertLoopThreadGone("http-bench");
    }

    @Test
    void shouldRefuseFewerConnectionsThanThreadsAsWrkDoes() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CommandLine(new HttpBenchCommand(print(new ByteArrayOutputStream()), print(err)))
                .execute("-t", "4", "-c", "2", "http://127.0.0.1:1/");
        assertEquals(2, code);
        assertEquals("http-bench: number of connections must be >= threads (2 < 4)\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseABadUrlInOneLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CommandLine(new HttpBenchCommand(print(new ByteArrayOutputStream()), print(err)))
                .execute("-d", "1s", "ftp://127.0.0.1/");
        assertEquals(2, code);
        assertEquals("http-bench: unsupported scheme 'ftp' (only http and https): ftp://127.0.0.1/\n",
                err.toString(StandardCharsets.UTF_8));
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
