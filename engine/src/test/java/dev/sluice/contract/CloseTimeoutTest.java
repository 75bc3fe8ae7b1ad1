package dev.sluice.contract;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.ManualClock;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.sluice.testing.LoopFixture.runUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Defect 3 of issue 10: a graceful close to a peer that never reads must end. The close timeout runs
 * on the loop clock from {@code close()}; when it passes, the connection is aborted with
 * {@link CloseReason#CLOSE_TIMEOUT} and its pending output and descriptor are released.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CloseTimeoutTest {
    private static final long SEC = 1_000_000_000L;
    private static final long T0 = 3 * SEC + 777;

    private static final class Stuffer extends RecordingHandler {
        @Override
        public void onOpen(Connection c) {
            super.onOpen(c);
            c.write(ByteBuffer.allocate(4 << 20)); // the peer never reads: most of it stays pending
        }
    }

    /** Small buffers, room for 6 MiB of pending output, no writability callback in the way. */
    private static ConnectionConfig stuffing() {
        return ConnectionConfig.defaults().withSocketBuffers(8 * 1024, 0)
                .withMaxPendingOutputBytes(8 << 20).withWatermarks(6 << 20, 1 << 20);
    }

    /** A client that never reads, connected; returns once the server's output has filled the socket. */
    private static void stalledClient(LoopFixture f, EventLoop loop, ConnectionConfig cc, Stuffer h) throws Exception {
        Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc), () -> h);
        SocketChannel client = f.track(SocketChannel.open());
        client.setOption(StandardSocketOptions.SO_RCVBUF, 8 * 1024);
        client.connect(l.localAddress());
        runUntil(loop, T0, () -> h.connection != null && loop.stats().partialWrites() > 0);
    }

    @Test
    void shouldAbortAGracefulCloseThatCannotFlushWhenTheCloseTimeoutPasses() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (LoopFixture f = new LoopFixture("close-timeout")) {
            EventLoop loop = f.manualLoop(f.config().withClock(clock).withMaxSelectWaitNs(5_000_000L));
            Stuffer h = new Stuffer();
            stalledClient(f, loop, stuffing().withCloseTimeout(Duration.ofSeconds(5)), h);

            loop.execute(() -> h.connection.close());
            loop.runOnce(T0);
            loop.runOnce(T0 + 5 * SEC - 1);
            assertNull(h.closeReason, "closed before the close timeout");
            assertTrue(loop.stats().pendingOutputBytes() > 0);

            loop.runOnce(T0 + 5 * SEC);
            assertEquals(CloseReason.CLOSE_TIMEOUT, h.closeReason);
            assertEquals(0, loop.stats().pendingOutputBytes(), "pending output released");
            assertEquals(0, loop.stats().openConnections());
            assertEquals(1, loop.stats().closes(CloseReason.CLOSE_TIMEOUT));
            loop.close();
        }
    }

    @Test
    void shouldBoundAGracefulCloseByDefault() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (LoopFixture f = new LoopFixture("close-timeout-default")) {
            EventLoop loop = f.manualLoop(f.config().withClock(clock).withMaxSelectWaitNs(5_000_000L));
            Stuffer h = new Stuffer();
            long timeout = stuffing().closeTimeoutNs();
            assertTrue(timeout > 0, "a default close timeout");
            stalledClient(f, loop, stuffing(), h);

            loop.execute(() -> h.connection.close());
            loop.runOnce(T0);
            loop.runOnce(T0 + timeout - 1);
            assertNull(h.closeReason);
            loop.runOnce(T0 + timeout);
            assertEquals(CloseReason.CLOSE_TIMEOUT, h.closeReason);
            loop.close();
        }
    }

    @Test
    void shouldLingerWhileThePeerStillSendsAndEndTwoSecondsAfterItStopped() throws Exception {
        // Closing with the peer's input unread resets the connection, and the reset destroys what the
        // peer has not read of ours yet: a peer still sending is alive and reading, so it gets time.
        ManualClock clock = new ManualClock(T0);
        try (LoopFixture f = new LoopFixture("linger-alive")) {
            EventLoop loop = f.manualLoop(f.config().withClock(clock).withMaxSelectWaitNs(5_000_000L));
            RecordingHandler h = new RecordingHandler();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> h);
            SocketChannel client = f.connect(l.localAddress());
            runUntil(loop, T0, () -> h.connection != null);
            loop.execute(() -> h.connection.close()); // nothing pending: FIN now, then linger
            loop.runOnce(T0);

            long sent = 1_500_000_000L;
            long read = loop.stats().bytesRead();
            dev.sluice.testing.Bytes.writeFully(client, new byte[1024]);
            runUntil(loop, T0 + sent, () -> loop.stats().bytesRead() - read == 1024);
            loop.runOnce(T0 + 2 * SEC);
            assertNull(h.closeReason, "the linger ended 2 s after close() although the peer sent 0.5 s before");
            loop.runOnce(T0 + sent + 2 * SEC - 1);
            assertNull(h.closeReason);
            loop.runOnce(T0 + sent + 2 * SEC);
            assertEquals(CloseReason.LOCAL, h.closeReason, "2 s after the peer's last bytes");
            loop.close();
        }
    }
}
