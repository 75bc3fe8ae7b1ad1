package dev.sluice.samples;

import dev.sluice.samples.echo.EchoServer;
import dev.sluice.samples.echo.ServerConfig;
import dev.sluice.samples.load.LoadConfig;
import dev.sluice.samples.load.LoadGenerator;
import dev.sluice.samples.load.LoadResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The echo server's loop and the load generator's loop allocate nothing per message once warm:
 * measured with HotSpot's per-thread allocation counter over a window in the middle of a run.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SteadyStateAllocationTest {

    @Test
    void shouldNotAllocatePerMessageOnEitherLoopThread() throws Exception {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "needs HotSpot's per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (EchoServer server = EchoServer.start(ServerConfig.defaults(), System.err)) {
            LoadConfig config = LoadConfig.to(server.address()).withConnections(20).withDepth(4)
                    .withTimes(Duration.ofMillis(2000), Duration.ofMillis(500));
            CompletableFuture<LoadResult> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return LoadGenerator.run(config, System.err);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1000); // connected, warmed up, measuring
            long serverId = threadId("echo-server");
            long loadId = threadId("load-generator");
            long serverBefore = threads.getThreadAllocatedBytes(serverId);
            long loadBefore = threads.getThreadAllocatedBytes(loadId);
            long messagesBefore = server.stats().bytesWritten() / 64;
            Thread.sleep(1000);
            long serverAllocated = threads.getThreadAllocatedBytes(serverId) - serverBefore;
            long loadAllocated = threads.getThreadAllocatedBytes(loadId) - loadBefore;
            long messages = server.stats().bytesWritten() / 64 - messagesBefore;
            LoadResult r = run.get(30, TimeUnit.SECONDS);

            assertTrue(r.ok(), r.errors() + " " + r.errorSamples());
            assertTrue(messages > 1000, "enough messages to tell: " + messages);
            // A per-message allocation would be at least 16 bytes each; allow a few KiB for one-offs.
            assertTrue(serverAllocated < 16 * 1024, "server loop allocated " + serverAllocated + " bytes for "
                    + messages + " messages");
            assertTrue(loadAllocated < 16 * 1024, "load loop allocated " + loadAllocated + " bytes for "
                    + messages + " messages");
        }
    }

    private static long threadId(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name)).getId();
    }
}
