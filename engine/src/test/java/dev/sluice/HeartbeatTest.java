package dev.sluice;

import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static dev.sluice.testing.LoopFixture.runUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Heartbeat} on the manual clock, in {@link DeadlineTest}'s style: advance to the deadline minus
 * one nanosecond, prove nothing happened, advance one nanosecond, prove it did.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeartbeatTest {
    private static final long SEC = 1_000_000_000L;
    private static final long T0 = 3 * SEC + 777;
    private static final long N = 10 * SEC;
    private static final int MISSES = 3;
    private static final ByteBuffer PING = ByteBuffer.wrap("ping\n".getBytes(StandardCharsets.US_ASCII));

    private final ManualClock clock = new ManualClock(T0);

    /** Records data without echoing it, and beats. */
    private static final class Beating extends RecordingHandler {
        final Heartbeat heartbeat = new Heartbeat(PING, MISSES);

        @Override
        public void onData(Connection c, ByteBuffer data) {
            heartbeat.received();
            bytesIn.addAndGet(data.remaining());
            data.position(data.limit());
        }

        @Override
        public boolean onTimeout(Connection c, TimeoutKind kind) {
            return heartbeat.onTimeout(c, kind);
        }
    }

    private SocketChannel acceptOne(EventLoop loop, LoopFixture f, Beating h) throws Exception {
        ConnectionConfig cc = ConnectionConfig.defaults().withReadIdleTimeoutNs(N);
        Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc), () -> h);
        SocketChannel client = f.connect(l.localAddress());
        client.socket().setSoTimeout(10_000);
        runUntil(loop, T0, () -> h.connection != null);
        return client;
    }

    /** Runs the loop at {@code now} twice: the timer phase queues the ping, the next flush writes it. */
    private static void runAt(EventLoop loop, long now) {
        loop.runOnce(now);
        loop.runOnce(now);
    }

    private static String readPing(SocketChannel client) throws Exception {
        byte[] got = new byte[PING.remaining()];
        int n = 0;
        java.io.InputStream in = client.socket().getInputStream();
        while (n < got.length) {
            int r = in.read(got, n, got.length - n);
            if (r < 0) {
                throw new java.io.EOFException("closed while waiting for a ping");
            }
            n += r;
        }
        return new String(got, StandardCharsets.US_ASCII);
    }

    @Test
    void shouldPingASilentPeerAtEachIntervalAndCloseItAfterExactlyMaxMissesNotOneNanosecondEarlier()
            throws Exception {
        try (LoopFixture f = new LoopFixture("hb-silent")) {
            EventLoop loop = f.manualLoop(f.config().withClock(clock).withMaxSelectWaitNs(10_000_000L));
            Beating h = new Beating();
            SocketChannel client = acceptOne(loop, f, h);

            for (int k = 1; k <= MISSES; k++) {
                runAt(loop, T0 + k * N - 1);
                assertEquals(k - 1, h.heartbeat.pingsSent(), "no ping before " + k + " intervals of silence");
                runAt(loop, T0 + k * N);
                assertEquals(k, h.heartbeat.pingsSent(), "ping " + k + " at exactly " + k + " intervals");
                assertEquals("ping\n", readPing(client));
                assertEquals(k, h.heartbeat.unanswered());
            }
            runAt(loop, T0 + (MISSES + 1) * N - 1);
            assertNull(h.closeReason, "still open one nanosecond before the last ping's interval ran out");
            runAt(loop, T0 + (MISSES + 1) * N);
            assertEquals(CloseReason.HEARTBEAT_TIMEOUT, h.closeReason);
            assertInstanceOf(SocketTimeoutException.class, h.closeCause);
            assertEquals(MISSES, h.heartbeat.pingsSent());
            assertEquals(1, loop.stats().closes(CloseReason.HEARTBEAT_TIMEOUT));
            assertEquals(MISSES + 1, loop.stats().readIdleTimeouts());
            assertEquals(-1, client.read(ByteBuffer.allocate(16)), "the peer sees the close");
            loop.close();
        }
    }

    @Test
    void shouldNeverCloseAPeerThatAnswersEveryPing() throws Exception {
        try (LoopFixture f = new LoopFixture("hb-answers")) {
            EventLoop loop = f.manualLoop(f.config().withClock(clock).withMaxSelectWaitNs(10_000_000L));
            Beating h = new Beating();
            SocketChannel client = acceptOne(loop, f, h);

            int beats = 4 * MISSES;
            for (int k = 1; k <= beats; k++) {
                long at = T0 + k * N;
                runAt(loop, at);
                assertEquals("ping\n", readPing(client));
                long before = h.bytesIn.get();
                Bytes.writeFully(client, "pong\n".getBytes(StandardCharsets.US_ASCII));
                runUntil(loop, at, () -> h.bytesIn.get() == before + 5);
                assertEquals(0, h.heartbeat.unanswered(), "the answer cleared the miss");
            }
            assertEquals(beats, h.heartbeat.pingsSent());
            assertNull(h.closeReason, "pinged " + beats + " times, answered each: never closed");
            runAt(loop, T0 + (beats + 1) * N - 1);
            assertNull(h.closeReason);
            loop.close();
            assertEquals(CloseReason.SHUTDOWN, h.closeReason);
        }
    }

    @Test
    void shouldNeverPingAPeerThatKeepsTalking() throws Exception {
        try (LoopFixture f = new LoopFixture("hb-chatty")) {
            EventLoop loop = f.manualLoop(f.config().withClock(clock).withMaxSelectWaitNs(10_000_000L));
            Beating h = new Beating();
            SocketChannel client = acceptOne(loop, f, h);

            // A line every N - 1 ns for ten intervals: the idle timer never runs out.
            long now = T0;
            for (int i = 1; i <= 10; i++) {
                now += N - 1;
                runAt(loop, now);
                long before = h.bytesIn.get();
                Bytes.writeFully(client, "hi\n".getBytes(StandardCharsets.US_ASCII));
                runUntil(loop, now, () -> h.bytesIn.get() == before + 3);
            }
            runAt(loop, now + N - 1);
            assertEquals(0, h.heartbeat.pingsSent(), "activity restarts the idle timer: no ping");
            assertEquals(0, loop.stats().readIdleTimeouts());
            assertNull(h.closeReason);
            runAt(loop, now + N);
            assertEquals(1, h.heartbeat.pingsSent(), "the first silence of N is pinged");
            loop.close();
        }
    }

    @Test
    void shouldRefuseAnEmptyPingAndFewerThanOneMiss() {
        assertThrows(IllegalArgumentException.class, () -> new Heartbeat(ByteBuffer.allocate(0), 3));
        assertThrows(IllegalArgumentException.class, () -> new Heartbeat(PING, 0));
        Heartbeat ok = new Heartbeat(PING, 1);
        assertEquals(1, ok.maxMisses());
        assertEquals(5, PING.remaining(), "the caller's buffer is not moved");
    }
}
