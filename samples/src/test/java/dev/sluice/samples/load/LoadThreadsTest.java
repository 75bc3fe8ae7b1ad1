package dev.sluice.samples.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.samples.Capture;
import dev.sluice.samples.Io;
import dev.sluice.samples.Main;
import dev.sluice.samples.Threads;
import dev.sluice.samples.echo.EchoServer;
import dev.sluice.samples.echo.ServerConfig;
import dev.sluice.testing.LoopFixture;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The load generator over several loops, as wrk spreads connections over threads; every loop ends. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadThreadsTest {

    @Test
    void shouldSpreadConnectionsAndRateOverTheThreadsAndMergeTheResults() throws Exception {
        try (LoopFixture f = new LoopFixture("load-threads")) {
            EchoServer server = EchoServer.start(f.startLoop(), ServerConfig.defaults(), System.err);
            LoadConfig config = LoadConfig.to(server.address()).withConnections(5).withDepth(2)
                    .withTimes(Duration.ofMillis(300), Duration.ofMillis(100));
            LoadResult r = LoadThreads.run(config, 3, System.err);
            assertTrue(r.ok(), r.errors() + " " + r.errorSamples());
            assertEquals(5, r.connectionsOpened(), "2 + 2 + 1 connections, all opened");
            assertTrue(r.messages() > 0);
            // The histogram also holds the window's messages still in flight at its end (timed in the drain).
            long timed = r.latencyNs().getTotalCount();
            assertTrue(timed >= r.messages() && timed <= r.messages() + 5 * 2, "every thread's histogram merged: " + timed);
            assertEquals(r.bytesSent(), r.bytesReceived());
            assertTrue(r.loopCpuPercent() > 0, "the loops' CPU summed: " + r.loopCpuPercent());
            Threads.assertNoneAlive("load-generator-");
            server.close();
        }
        assertEquals(List.of(4L, 3L, 3L), List.of(LoadThreads.share(10, 3, 0), LoadThreads.share(10, 3, 1),
                LoadThreads.share(10, 3, 2)));
    }

    @Test
    void shouldRefuseMoreThreadsThanConnections() {
        LoadConfig config = LoadConfig.to(new java.net.InetSocketAddress("127.0.0.1", 7)).withConnections(2);
        assertThrows(IllegalArgumentException.class, () -> LoadThreads.run(config, 3, System.err));
    }

    @Test
    void shouldPrintTheResultAsJsonFromTheCommand() throws Exception {
        Capture out = new Capture();
        Capture err = new Capture();
        try (LoopFixture f = new LoopFixture("load-json")) {
            EchoServer server = EchoServer.start(f.startLoop(), ServerConfig.defaults(), System.err);
            int code = Main.execute(new Io(new ByteArrayInputStream(new byte[0]), out.stream, err.stream), "load",
                    "127.0.0.1:" + server.address().getPort(), "-t", "2", "-c", "2", "-d", "200ms", "-w", "0",
                    "--json", "-");
            assertEquals(0, code, out.text() + err.text());
            server.close();
        }
        String json = out.text().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(json.matches("\\{\"target\":\"127\\.0\\.0\\.1:\\d+\",\"threads\":2,\"connections\":2,\"size\":64,"
                + "\"depth\":1,\"rate\":0,\"duration_s\":[\\d.]+,\"messages\":\\d+,.*\"errors\":\\{},"
                + "\"load_cpu_pct\":[\\d.]+,\"ok\":true}"), json);
        Threads.assertNoneAlive("load-generator-");
    }
}
