package dev.sluice.samples.load;

import dev.sluice.Connection;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.samples.Capture;
import dev.sluice.samples.echo.EchoServer;
import dev.sluice.samples.echo.ServerConfig;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the load generator measures and what it catches, against real and deliberately broken servers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    @Test
    void shouldCatchTheOneWrongByteAndLeaveTheOtherConnectionsAlone() throws Exception {
        try (LoopFixture f = new LoopFixture("wrong-byte")) {
            EventLoop serverLoop = f.startLoop();
            AtomicLong servedConnections = new AtomicLong();
            Listener l = serverLoop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () ->
                    servedConnections.incrementAndGet() == 1 ? new CorruptingEcho(1000) : new RecordingHandler());

            LoadResult r = LoadGenerator.run(config(l.localAddress(), 3), f.startLoop());

            assertEquals(Map.of(ErrorKind.WRONG_BYTE, 1L), r.errors());
            assertEquals(1, r.errorSamples().size());
            assertTrue(r.errorSamples().get(0).matches("connection \\d: byte 1000 \\(message 15, byte 40\\) "
                    + "should be 0x[0-9a-f]{2}, was 0x[0-9a-f]{2}"), r.errorSamples().get(0));
            assertFalse(r.ok());
            assertTrue(r.messages() > 0, "the two good connections kept going");
            l.close();
        }
    }

    @Test
    void shouldCountBytesNobodyAskedFor() throws Exception {
        try (LoopFixture f = new LoopFixture("extra-bytes")) {
            Listener l = f.startLoop().listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> new RecordingHandler() {
                @Override
                public void onData(Connection c, ByteBuffer data) {
                    super.onData(c, data);
                    c.write(ByteBuffer.wrap(new byte[] {'!'})); // one more byte after every echo
                }
            });

            LoadResult r = LoadGenerator.run(config(l.localAddress(), 1), f.startLoop());

            assertEquals(Map.of(ErrorKind.UNEXPECTED_BYTES, 1L), r.errors(), "ping-pong: the extra byte follows "
                    + "the echo, when nothing is in flight");
            assertTrue(r.errorSamples().get(0).startsWith("connection 0: 1 bytes arrived with no message in flight"),
                    r.errorSamples().get(0));
            l.close();
        }
    }

    @Test
    void shouldReportAServerThatHangsUpMidRun() throws Exception {
        try (LoopFixture f = new LoopFixture("hang-up")) {
            Listener l = f.startLoop().listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> new RecordingHandler() {
                @Override
                public void onData(Connection c, ByteBuffer data) {
                    super.onData(c, data);
                    if (bytesIn.get() >= 640) {
                        c.close();
                    }
                }
            });

            LoadResult r = LoadGenerator.run(config(l.localAddress(), 2), f.startLoop());

            assertEquals(Map.of(ErrorKind.CLOSED_BY_SERVER, 2L), r.errors());
            assertEquals(640 * 2, r.bytesReceived(), "each verified 10 messages before the close");
            assertTrue(r.errorSamples().get(0).contains("closed (PEER_CLOSED) after 640 bytes echoed"), r.errorSamples().get(0));
            l.close();
        }
    }

    @Test
    void shouldReportEveryConnectionThatCannotConnect() throws Exception {
        InetSocketAddress nobody;
        try (ServerSocketChannel probe = ServerSocketChannel.open().bind(LoopFixture.ANY_LOOPBACK)) {
            nobody = (InetSocketAddress) probe.getLocalAddress();
        }
        try (LoopFixture f = new LoopFixture("refused")) {
            LoadResult r = LoadGenerator.run(config(nobody, 4), f.startLoop());

            assertEquals(Map.of(ErrorKind.CONNECT_FAILED, 4L), r.errors());
            assertEquals(0, r.connectionsOpened());
            assertEquals(0, r.messages());
            assertTrue(r.errorSamples().get(0).endsWith("connect failed: Connection refused"), r.errorSamples().get(0));
        }
    }

    @Test
    void shouldHoldTheRequestedRateInOpenLoop() throws Exception {
        try (LoopFixture f = new LoopFixture("rate")) {
            EchoServer server = EchoServer.start(f.startLoop(), ServerConfig.defaults(), System.err);
            LoadConfig c = config(server.address(), 4).withRate(2_000).withTimes(Duration.ofSeconds(1), Duration.ofMillis(200));

            LoadResult r = LoadGenerator.run(c, f.startLoop());

            assertTrue(r.ok(), () -> r.errors() + " " + r.errorSamples());
            // The schedule is kept from intended send times, so a late tick sends what it owes at once:
            // the count stays near rate x window even when the machine is busy.
            assertEquals(2_000 * r.measuredNs() / 1e9, r.messages(), 2_000 * 0.1, "messages in the window");
            assertEquals(r.bytesSent(), r.bytesReceived());
            server.close();
        }
    }

    @Test
    void shouldPipelineDepthMessagesOfAnySize() throws Exception {
        try (LoopFixture f = new LoopFixture("depth")) {
            EchoServer server = EchoServer.start(f.startLoop(), ServerConfig.defaults(), System.err);
            for (int[] sizeAndDepth : new int[][] {{1, 64}, {1024, 8}, {256 * 1024, 4}}) {
                LoadConfig c = config(server.address(), 2).withMessageBytes(sizeAndDepth[0]).withDepth(sizeAndDepth[1]);

                LoadResult r = LoadGenerator.run(c, f.startLoop());

                assertTrue(r.ok(), () -> sizeAndDepth[0] + "x" + sizeAndDepth[1] + ": " + r.errors() + " " + r.errorSamples());
                assertEquals(r.messagesTotal() * sizeAndDepth[0], r.bytesReceived());
            }
            server.close();
        }
    }

    @Test
    void shouldNotStartTheClockUntilEveryConnectionIsOpen() throws Exception {
        try (LoopFixture f = new LoopFixture("many")) {
            EchoServer server = EchoServer.start(f.startLoop(), ServerConfig.defaults(), System.err);
            Capture progress = new Capture();
            LoadConfig c = config(server.address(), 200).withProgress(progress.stream)
                    .withTimes(Duration.ofMillis(1100), Duration.ofMillis(100));

            LoadResult r = LoadGenerator.run(c, f.startLoop());

            assertTrue(r.ok(), () -> r.errors() + " " + r.errorSamples());
            assertEquals(200, r.connectionsOpened());
            assertEquals(1.1, r.measuredNs() / 1e9, 0.1, "the window is the duration, timed from the last open");
            assertTrue(progress.text().matches("\\s+1\\.\\ds\\s+[\\d,]+ msgs/s\\s+p99 \\S+\\s*\n"), progress.text());
            server.close();
        }
    }

    private static LoadConfig config(InetSocketAddress target, int connections) {
        return LoadConfig.to(target).withConnections(connections).withTimes(SHORT, Duration.ZERO);
    }

    /** Echoes faithfully except one byte at a given stream offset, flipped. */
    private static final class CorruptingEcho extends RecordingHandler {
        private final long offset;
        private long seen;

        CorruptingEcho(long offset) {
            this.offset = offset;
        }

        @Override
        public void onData(Connection c, ByteBuffer data) {
            int n = data.remaining();
            if (offset >= seen && offset < seen + n) {
                ByteBuffer copy = ByteBuffer.allocate(n).put(data).flip();
                int at = (int) (offset - seen);
                copy.put(at, (byte) ~copy.get(at));
                data = copy;
            }
            seen += n;
            c.writeCopy(data);
        }
    }
}
