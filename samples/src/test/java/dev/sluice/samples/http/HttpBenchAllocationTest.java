package dev.sluice.samples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.LoopConfig;
import dev.sluice.testing.LoopFixture;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bench's loop threads (and the server's) allocate nothing per request once warm, closed loop and
 * at a fixed rate: HotSpot's per-thread allocation counter over a window in the middle of a run.
 */
@Timeout(60)
final class HttpBenchAllocationTest {

    private static final long MS = 1_000_000L;

    @Test
    void shouldNotAllocatePerRequestOnTheBenchLoopsClosedLoop() throws Exception {
        measure(base(2).withPipeline(2), "alloc-bench-closed-1", "alloc-bench-closed-2");
    }

    @Test
    void shouldNotAllocatePerRequestOnTheBenchLoopAtAFixedRate() throws Exception {
        measure(base(1).withRate(5_000), "alloc-bench-rate");
    }

    private static BenchConfig base(int threads) {
        // 4 s measured: the window below ends on a request count, so a slow machine still ends it in the run.
        return BenchConfig.of(HttpUrl.parse("http://127.0.0.1:1/"), 8, 4_000 * MS).withWarmupNs(500 * MS)
                .withThreads(threads);
    }

    private static void measure(BenchConfig shape, String... benchThreads) throws Exception {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "needs HotSpot's per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String name = benchThreads.length == 1 ? benchThreads[0] : benchThreads[0].substring(0, benchThreads[0].length() - 2);
        try (LoopFixture f = new LoopFixture(name + "-server")) {
            HttpServer server = HttpServer.start(f.startLoop(), LoopFixture.ANY_LOOPBACK, null, HttpServer.Limits.defaults());
            BenchConfig config = new BenchConfig(HttpUrl.parse("http://127.0.0.1:" + server.port() + "/"),
                    shape.connections(), shape.threads(), shape.warmupNs(), shape.durationNs(), shape.pipeline(),
                    shape.timeoutNs(), shape.connectTimeoutNs(), shape.ratePerSecond(), shape.headers(), null);
            CompletableFuture<BenchResult> run = CompletableFuture.supplyAsync(
                    () -> HttpBench.run(config, server.address(), LoopConfig.defaults().withName(name)));
            // Past the warm-up (500 ms: at most 2,500 requests at 5,000/s), by what the server has served.
            LoopFixture.await(() -> server.loop().stats().reads() >= 3_000, "3,000 requests served");
            long[] ids = new long[benchThreads.length + 1];
            long[] before = new long[ids.length];
            for (int i = 0; i < benchThreads.length; i++) {
                ids[i] = threadId(benchThreads[i]);
            }
            ids[benchThreads.length] = threadId("test-loop-" + name + "-server");
            for (int i = 0; i < ids.length; i++) {
                before[i] = threads.getThreadAllocatedBytes(ids[i]);
            }
            long requestsBefore = server.loop().stats().reads();
            LoopFixture.await(() -> server.loop().stats().reads() - requestsBefore >= 2_000,
                    "2,000 more requests inside the run's window");
            long requests = server.loop().stats().reads() - requestsBefore;
            long[] allocated = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                allocated[i] = threads.getThreadAllocatedBytes(ids[i]) - before[i];
            }
            BenchResult r = run.get(30, TimeUnit.SECONDS);

            assertEquals(Map.of(), r.errors());
            assertTrue(requests >= 2_000, "enough requests to tell: " + requests);
            for (int i = 0; i < ids.length; i++) {
                String who = i < benchThreads.length ? benchThreads[i] : "the server's loop";
                // A per-request allocation would be at least 16 bytes each; allow a few KiB for one-offs
                // (the 100 ms rate samples schedule a task each, the server's Date changes every second).
                assertTrue(allocated[i] < 16 * 1024, who + " allocated " + allocated[i] + " bytes over " + requests
                        + " server reads");
            }
        }
        HttpBenchTest.assertLoopThreadGone(benchThreads[0]);
    }

    private static long threadId(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name)).getId();
    }
}
