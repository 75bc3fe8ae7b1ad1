package dev.sluice.samples.echo;

import dev.sluice.EventLoop;
import dev.sluice.LoopStats;
import dev.sluice.samples.Capture;
import dev.sluice.samples.Descriptors;
import dev.sluice.samples.Threads;
import dev.sluice.samples.load.LoadConfig;
import dev.sluice.samples.load.LoadGenerator;
import dev.sluice.samples.load.LoadResult;
import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each server driven by the load generator for a short bounded run: no errors, every byte echoed and
 * verified, the byte counts equal on both sides, nothing left open.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EchoLoadTest {
    private static final Duration RUN = Duration.ofMillis(1000);
    private static final Duration WARMUP = Duration.ofMillis(200);

    @ParameterizedTest(name = "{0} connections")
    @ValueSource(ints = {1, 500})
    void shouldEchoEveryByteFromTheEventLoopServerWithNoErrors(int connections) throws Exception {
        Descriptors.assumeAvailable(2L * connections + 64);
        Capture log = new Capture();
        LoadResult r;
        LoopStats serverStats;
        try (LoopFixture f = new LoopFixture("nio-load")) {
            EventLoop serverLoop = f.startLoop();
            EventLoop clientLoop = f.startLoop();
            EchoServer server = EchoServer.start(serverLoop, ServerConfig.defaults(), log.stream);
            r = LoadGenerator.run(load(server.address(), connections), clientLoop);
            server.close();
            serverStats = serverLoop.stats();
            assertEquals(connections, server.listener().acceptedCount());
            assertEquals(0, server.listener().openConnections());
        } // the fixture proves both loops ended with no connection, key, byte or error left
        assertClean(r, connections);
        assertEquals(r.bytesSent(), serverStats.bytesRead(), "server read what the generator sent");
        assertEquals(r.bytesReceived(), serverStats.bytesWritten(), "server wrote what the generator verified");
        assertEquals("", log.text());
    }

    @ParameterizedTest(name = "{0} connections")
    @ValueSource(ints = {1, 500})
    void shouldEchoEveryByteFromTheBlockingServerWithNoErrors(int connections) throws Exception {
        Descriptors.assumeAvailable(2L * connections + 64);
        Capture log = new Capture();
        LoadResult r;
        BlockingEchoServer server = BlockingEchoServer.start(ServerConfig.defaults(), ThreadKind.PLATFORM, log.stream);
        try (LoopFixture f = new LoopFixture("blocking-load")) {
            r = LoadGenerator.run(load(server.address(), connections), f.startLoop());
        } finally {
            server.close();
        }
        assertClean(r, connections);
        assertEquals(connections, server.acceptedCount());
        assertEquals(connections + 1, server.peakThreads(), "one thread per connection plus the acceptor");
        assertEquals(r.bytesReceived(), server.bytesEchoed());
        assertEquals(0, server.openConnections());
        Threads.assertNoneAlive("blocking-echo-");
        assertEquals("", log.text());
    }

    private static LoadConfig load(java.net.InetSocketAddress address, int connections) {
        return LoadConfig.to(address).withConnections(connections).withTimes(RUN, WARMUP);
    }

    private static void assertClean(LoadResult r, int connections) {
        assertTrue(r.errors().isEmpty(), () -> "errors: " + r.errors() + " " + r.errorSamples());
        assertEquals(connections, r.connectionsOpened());
        assertTrue(r.messages() > 0, "messages were measured");
        assertTrue(r.messagesTotal() >= r.messages());
        assertEquals(r.messagesTotal() * 64, r.bytesSent(), "every message sent whole");
        assertEquals(r.bytesSent(), r.bytesReceived(), "every byte came back and was verified");
        long drained = r.latencyNs().getTotalCount() - r.messages();
        assertTrue(drained >= 0 && drained <= (long) connections * r.config().depth(), "one latency per message "
                + "completed in the window, plus those in flight when it closed: " + drained);
        assertTrue(r.ok());
    }
}
