package dev.sluice.samples.http;

import static dev.sluice.samples.http.HttpBenchTest.print;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.LoopConfig;
import dev.sluice.testing.LoopFixture;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The fixed rate over real sockets, loosely: the exact schedule is {@link RateScheduleTest}'s job, on
 * an injected clock. Here, a rate far below what the server can do must be met and never exceeded
 * (the schedule is an upper bound by construction; the lower bound is loose for a loaded machine).
 */
@Timeout(30)
final class HttpBenchRateTest {

    private static final long MS = 1_000_000L;

    @Test
    void shouldSendAtTheRateAskedOverRealSockets() throws Exception {
        try (LoopFixture f = new LoopFixture("bench-rate")) {
            HttpServer server = HttpServer.start(f.startLoop(), LoopFixture.ANY_LOOPBACK, null, HttpServer.Limits.defaults());
            long rate = 2_000;
            BenchConfig config = BenchConfig.of(HttpUrl.parse("http://127.0.0.1:" + server.port() + "/"), 4, 1_000 * MS)
                    .withThreads(2).withRate(rate).withWarmupNs(200 * MS);
            BenchResult r = HttpBench.run(config, server.address(), LoopConfig.defaults().withName("test-bench-rate"));
            assertEquals(Map.of(), r.errors());
            double expected = rate * r.elapsedNs() / 1e9;
            // At most what was scheduled (plus the requests a connection had in flight at the start of
            // the window); at least half, even if the machine stalls the loops for a while.
            assertTrue(r.requests() <= expected + config.connections(), r.requests() + " > " + expected);
            assertTrue(r.requests() >= expected / 2, r.requests() + " < half of " + expected);
            assertEquals(r.requests(), r.latencyUs().getTotalCount());
            HttpBenchTest.assertLoopThreadGone("test-bench-rate-1");
            HttpBenchTest.assertLoopThreadGone("test-bench-rate-2");
        }
    }

    @Test
    void shouldSayTheLatencyIsCorrectedInTheReport() throws Exception {
        try (LoopFixture f = new LoopFixture("bench-rate-command")) {
            HttpServer server = HttpServer.start(f.startLoop(), LoopFixture.ANY_LOOPBACK, null, HttpServer.Limits.defaults());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = new CommandLine(new HttpBenchCommand(print(out), print(err))).execute("-t", "1", "-c", "2",
                    "-R", "500", "-d", "300ms", "--warmup", "0", "--latency", "http://127.0.0.1:" + server.port() + "/");
            String report = out.toString(UTF_8);
            assertEquals(0, code, report + err.toString(UTF_8));
            assertTrue(report.contains("  1 threads and 2 connections, 500 requests/s (latency from intended send times)\n"),
                    report);
            assertTrue(report.contains("  Latency Distribution (HdrHistogram - Recorded Latency)\n"), report);
        }
        HttpBenchTest.assertLoopThreadGone("http-bench");
    }
}
