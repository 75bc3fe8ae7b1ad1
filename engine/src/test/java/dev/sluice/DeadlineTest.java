package dev.sluice;

import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import static dev.sluice.testing.LoopFixture.runUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every deadline is tested on the manual clock: advance to {@code deadline - 1}, prove nothing happened,
 * advance by one nanosecond, prove it did.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeadlineTest {
    private static final long SEC = 1_000_000_000L;
    /** Not zero, so that nothing works only by accident of a zero origin. */
    private static final long T0 = 7 * SEC + 12_345;

    private final ManualClock clock = new ManualClock(T0);

    private EventLoop manualLoop(LoopFixture f) {
        return f.manualLoop(f.config().withClock(clock).withMaxSelectWaitNs(10_000_000L));
    }

    /** Accepts one connection at T0; returns the client side. */
    private static SocketChannel acceptOne(EventLoop loop, LoopFixture f, ConnectionConfig cc, RecordingHandler h)
            throws Exception {
        Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc), () -> h);
        SocketChannel client = f.connect(l.localAddress());
        runUntil(loop, T0, () -> h.connection != null);
        return client;
    }

    @Test
    void shouldCloseConnectionWhenReadIdleDeadlinePassesAndNotOneNanosecondEarlier() throws Exception {
        try (LoopFixture f = new LoopFixture("idle")) {
            EventLoop loop = manualLoop(f);
            RecordingHandler h = new RecordingHandler();
            acceptOne(loop, f, ConnectionConfig.defaults().withReadIdleTimeoutNs(5 * SEC), h);

            loop.runOnce(T0 + 5 * SEC - 1);
            assertNull(h.closeReason);
            loop.runOnce(T0 + 5 * SEC);
            assertEquals(CloseReason.IDLE_TIMEOUT, h.closeReason);
            assertEquals(1, loop.stats().readIdleTimeouts());
            loop.close();
        }
    }

    @Test
    void shouldRestartIdlePeriodOnEveryRead() throws Exception {
        try (LoopFixture f = new LoopFixture("idlereset")) {
            EventLoop loop = manualLoop(f);
            RecordingHandler h = new RecordingHandler();
            SocketChannel client = acceptOne(loop, f, ConnectionConfig.defaults().withReadIdleTimeoutNs(5 * SEC), h);

            client.write(ByteBuffer.wrap(new byte[] {1}));
            runUntil(loop, T0 + 3 * SEC, () -> h.bytesIn.get() == 1);

            loop.runOnce(T0 + 5 * SEC); // the original deadline: the timer fires, finds the read, re-arms
            assertNull(h.closeReason);
            loop.runOnce(T0 + 8 * SEC - 1);
            assertNull(h.closeReason);
            loop.runOnce(T0 + 8 * SEC);
            assertEquals(CloseReason.IDLE_TIMEOUT, h.closeReason);
            loop.close();
        }
    }

    @Test
    void shouldKeepConnectionAndStartFreshPeriodWhenHandlerDeclinesIdleTimeout() throws Exception {
        try (LoopFixture f = new LoopFixture("heartbeat")) {
            EventLoop loop = manualLoop(f);
            RecordingHandler h = new RecordingHandler() {
                @Override
                public boolean onTimeout(Connection c, TimeoutKind kind) {
                    events.add("timeout:" + kind);
                    c.write(ByteBuffer.wrap("ping\n".getBytes()));
                    return false;
                }
            };
            SocketChannel client = acceptOne(loop, f, ConnectionConfig.defaults().withReadIdleTimeoutNs(5 * SEC), h);

            loop.runOnce(T0 + 5 * SEC);
            loop.runOnce(T0 + 10 * SEC - 1);
            loop.runOnce(T0 + 10 * SEC);
            loop.runOnce(T0 + 10 * SEC); // flush the second heartbeat
            assertEquals(2, h.events.stream().filter("timeout:READ_IDLE"::equals).count());
            ByteBuffer got = ByteBuffer.allocate(10);
            while (got.hasRemaining()) {
                client.read(got);
            }
            assertEquals("ping\nping\n", new String(got.array()));
            assertNull(h.closeReason);
            loop.close();
            assertEquals(CloseReason.SHUTDOWN, h.closeReason);
        }
    }

    @Test
    void shouldCloseWhenPendingOutputMakesNoProgressForWriteTimeout() throws Exception {
        try (LoopFixture f = new LoopFixture("stall")) {
            EventLoop loop = manualLoop(f);
            int total = 8 * 1024 * 1024;
            RecordingHandler h = new RecordingHandler() {
                @Override
                public void onOpen(Connection c) {
                    super.onOpen(c);
                    c.write(ByteBuffer.allocate(total));
                }
            };
            ConnectionConfig cc = ConnectionConfig.defaults().withWriteTimeoutNs(2 * SEC)
                    .withSocketBuffers(16 * 1024, 16 * 1024);
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc), () -> h);
            SocketChannel client = f.track(SocketChannel.open());
            client.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
            client.connect(l.localAddress());
            runUntil(loop, T0, () -> loop.stats().partialWrites() > 0);

            // The peer reads a little at T0 + 1 s: progress, so the stall clock restarts there.
            ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
            client.read(sink);
            long written = loop.stats().bytesWritten();
            runUntil(loop, T0 + SEC, () -> loop.stats().bytesWritten() > written);

            loop.runOnce(T0 + 2 * SEC); // would have fired here without the progress
            assertNull(h.closeReason);
            loop.runOnce(T0 + 3 * SEC - 1);
            assertNull(h.closeReason);
            loop.runOnce(T0 + 3 * SEC);
            assertEquals(CloseReason.WRITE_TIMEOUT, h.closeReason);
            assertEquals(1, loop.stats().writeStallTimeouts());
            loop.close();
        }
    }

    @Test
    void shouldFireAbsoluteDeadlineExactlyAndPostponeItWhenExtended() throws Exception {
        try (LoopFixture f = new LoopFixture("deadline")) {
            EventLoop loop = manualLoop(f);
            RecordingHandler h = new RecordingHandler() {
                @Override
                public void onOpen(Connection c) {
                    super.onOpen(c);
                    c.setDeadline(c.loop().nowNs() + 10 * SEC);
                }
            };
            acceptOne(loop, f, ConnectionConfig.defaults(), h);

            loop.runOnce(T0 + 10 * SEC - 1);
            assertNull(h.closeReason);
            h.connection.setDeadline(T0 + 20 * SEC); // extend: the test thread is this loop's thread
            loop.runOnce(T0 + 10 * SEC);
            assertNull(h.closeReason);
            loop.runOnce(T0 + 20 * SEC - 1);
            assertNull(h.closeReason);
            loop.runOnce(T0 + 20 * SEC);
            assertEquals(CloseReason.DEADLINE_EXCEEDED, h.closeReason);
            assertEquals(1, loop.stats().deadlineTimeouts());
            loop.close();
        }
    }

    @Test
    void shouldFireShortenedDeadlineAndNotFireClearedOne() throws Exception {
        try (LoopFixture f = new LoopFixture("deadline2")) {
            EventLoop loop = manualLoop(f);
            RecordingHandler h = new RecordingHandler();
            acceptOne(loop, f, ConnectionConfig.defaults(), h);
            h.connection.setDeadline(T0 + 10 * SEC);
            h.connection.clearDeadline();
            loop.runOnce(T0 + 10 * SEC);
            assertNull(h.closeReason);
            h.connection.setDeadline(T0 + 30 * SEC);
            h.connection.setDeadline(T0 + 15 * SEC); // earlier than before: must move the timer up
            loop.runOnce(T0 + 15 * SEC - 1);
            assertNull(h.closeReason);
            loop.runOnce(T0 + 15 * SEC);
            assertEquals(CloseReason.DEADLINE_EXCEEDED, h.closeReason);
            loop.close();
        }
    }

    @Test
    void shouldTimeOutConnectToListenerWhoseBacklogIsFull() throws Exception {
        try (LoopFixture f = new LoopFixture("connect-timeout");
             ServerSocketChannel full = ServerSocketChannel.open()) {
            full.bind(LoopFixture.ANY_LOOPBACK, 1);
            InetSocketAddress addr = (InetSocketAddress) full.getLocalAddress();
            // Fill the accept queue (nobody accepts). Linux then drops new SYNs, so a connect hangs:
            // keep connecting until one attempt times out, which proves the queue is full.
            boolean filled = false;
            java.util.List<Socket> queued = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 16 && !filled; i++) {
                    Socket s = new Socket();
                    queued.add(s);
                    try {
                        s.connect(addr, 200); // real time, but only to detect the full queue, never asserted on
                    } catch (SocketTimeoutException e) {
                        filled = true;
                    }
                }
                assertTrue(filled, "could not fill the backlog");
                connectAndTimeOut(f, addr);
            } finally {
                for (Socket s : queued) {
                    s.close();
                }
            }
            for (Socket s : queued) {
                assertTrue(s.isClosed());
            }
        }
    }

    /** With the peer's accept queue full, the connect can only time out: exactly at its deadline. */
    private void connectAndTimeOut(LoopFixture f, InetSocketAddress addr) {
        EventLoop loop = manualLoop(f);
        RecordingHandler h = new RecordingHandler();
        loop.connect(addr, ConnectionConfig.defaults().withConnectTimeoutNs(3 * SEC), h);
        loop.runOnce(T0);
        loop.runOnce(T0 + 3 * SEC - 1);
        assertNull(h.closeReason);
        assertEquals(1, h.opened.getCount(), "never opened");
        loop.runOnce(T0 + 3 * SEC);
        assertEquals(CloseReason.CONNECT_TIMEOUT, h.closeReason);
        assertTrue(h.closeCause instanceof SocketTimeoutException);
        assertEquals(1, loop.stats().connectTimeouts());
        loop.close();
    }

    @Test
    void shouldReportConnectFailedWhenRefused() throws Exception {
        InetSocketAddress closedPort;
        try (ServerSocketChannel tmp = ServerSocketChannel.open()) {
            tmp.bind(LoopFixture.ANY_LOOPBACK);
            closedPort = (InetSocketAddress) tmp.getLocalAddress();
        }
        try (LoopFixture f = new LoopFixture("refused")) {
            EventLoop loop = manualLoop(f);
            RecordingHandler h = new RecordingHandler();
            loop.connect(closedPort, ConnectionConfig.defaults(), h);
            runUntil(loop, T0, () -> h.closeReason != null);
            assertEquals(CloseReason.CONNECT_FAILED, h.closeReason);
            assertTrue(h.closeCause instanceof java.net.ConnectException, String.valueOf(h.closeCause));
            assertEquals(1, h.opened.getCount(), "onOpen never called for a failed connect");
            loop.close();
        }
    }
}
