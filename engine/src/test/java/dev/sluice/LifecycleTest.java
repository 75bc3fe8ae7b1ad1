package dev.sluice;

import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LifecycleTest {

    @Test
    void shouldFlushPendingOutputOnGracefulShutdownThenEnd() throws Exception {
        try (LoopFixture f = new LoopFixture("graceful")) {
            EventLoop loop = f.startLoop();
            byte[] payload = Bytes.random(7, 512 << 10);
            RecordingHandler server = new RecordingHandler() {
                @Override
                public void onOpen(Connection c) {
                    super.onOpen(c);
                    c.write(ByteBuffer.wrap(payload));
                }
            };
            ConnectionConfig cc = ConnectionConfig.defaults().withSocketBuffers(16 * 1024, 0);
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc), () -> server);
            SocketChannel client = f.connect(l.localAddress());
            assertTrue(server.opened.await(10, TimeUnit.SECONDS));
            LoopFixture.await(() -> loop.stats().partialWrites() > 0, "output pending");

            loop.shutdownGracefully(TimeUnit.SECONDS.toNanos(30));
            assertArrayEquals(payload, Bytes.readToEof(client, payload.length), "every pending byte arrived");
            client.close(); // our FIN ends the server's lingering close
            assertTrue(loop.awaitTermination(TimeUnit.SECONDS.toNanos(10)));
            assertEquals(CloseReason.SHUTDOWN, server.closeReason);
            assertThrows(IllegalStateException.class, () -> loop.execute(() -> { }));
        }
    }

    @Test
    void shouldCloseStalledConnectionsWhenGracefulShutdownTimesOut() throws Exception {
        try (LoopFixture f = new LoopFixture("graceful-timeout")) {
            ManualClock clock = new ManualClock(0);
            EventLoop loop = f.manualLoop(f.config().withClock(clock).withMaxSelectWaitNs(10_000_000L));
            RecordingHandler server = new RecordingHandler() {
                @Override
                public void onOpen(Connection c) {
                    super.onOpen(c);
                    c.write(ByteBuffer.allocate(8 << 20)); // the peer never reads it
                }
            };
            ConnectionConfig cc = ConnectionConfig.defaults().withSocketBuffers(16 * 1024, 0);
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc), () -> server);
            SocketChannel client = f.track(SocketChannel.open());
            client.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
            client.connect(l.localAddress());
            LoopFixture.runUntil(loop, 0, () -> loop.stats().partialWrites() > 0);

            loop.shutdownGracefully(5_000);
            loop.runOnce(4_999);
            assertEquals(null, server.closeReason);
            loop.runOnce(5_000);
            assertEquals(CloseReason.SHUTDOWN, server.closeReason);
            assertTrue(loop.isTerminated());
        }
    }

    @Test
    void shouldCloseEverythingAtOnceOnClose() throws Exception {
        try (LoopFixture f = new LoopFixture("close")) {
            EventLoop loop = f.startLoop();
            Queue<RecordingHandler> handlers = new ConcurrentLinkedQueue<>();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> {
                RecordingHandler h = new RecordingHandler();
                handlers.add(h);
                return h;
            });
            SocketChannel a = f.connect(l.localAddress());
            SocketChannel b = f.connect(l.localAddress());
            LoopFixture.await(() -> handlers.size() == 2 && handlers.stream().allMatch(h -> h.connection != null), "both open");
            loop.close();
            assertTrue(loop.isTerminated());
            handlers.forEach(h -> assertEquals(CloseReason.SHUTDOWN, h.closeReason));
            assertEquals(0, Bytes.readToEof(a, 10).length);
            assertEquals(0, Bytes.readToEof(b, 10).length);
        }
    }

    @Test
    void shouldRejectConnectionsBeyondMaximumAndReportThem() throws Exception {
        try (LoopFixture f = new LoopFixture("maxconn")) {
            EventLoop loop = f.startLoop();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withMaxConnections(2), RecordingHandler::new);
            SocketChannel a = f.connect(l.localAddress());
            SocketChannel b = f.connect(l.localAddress());
            LoopFixture.await(() -> l.openConnections() == 2, "two open");
            SocketChannel c = f.connect(l.localAddress());
            assertThrows(java.io.IOException.class, () -> Bytes.readToEof(c, 10), "rejected with a reset");
            assertEquals(1, l.rejectedCount());
            assertEquals(1, loop.stats().rejected());
            assertEquals(1, loop.stats().closes(CloseReason.REJECTED));

            a.close(); // a slot frees up: the next connection is served
            LoopFixture.await(() -> l.openConnections() == 1, "one closed");
            SocketChannel d = f.connect(l.localAddress());
            Bytes.writeFully(d, new byte[] {9});
            assertArrayEquals(new byte[] {9}, Bytes.readExactly(d, 1));
            assertEquals(3, l.acceptedCount());
            b.close();
        }
    }

    @Test
    void shouldWriteEveryByteInOrderThroughPartialWrites() throws Exception {
        try (LoopFixture f = new LoopFixture("partial")) {
            EventLoop loop = f.startLoop();
            // Kept small: a send buffer below one loopback MSS makes TCP wait on delayed ACKs.
            byte[] payload = Bytes.random(3, 1 << 20);
            RecordingHandler server = new RecordingHandler() {
                @Override
                public void onOpen(Connection c) {
                    super.onOpen(c);
                    // One large buffer plus many small ones, to exercise gathering writes across partials.
                    c.write(ByteBuffer.wrap(payload, 0, 512 << 10));
                    for (int off = 512 << 10; off < payload.length; off += 1000) {
                        c.write(ByteBuffer.wrap(payload, off, Math.min(1000, payload.length - off)));
                    }
                    c.close();
                }
            };
            ConnectionConfig cc = ConnectionConfig.defaults().withSocketBuffers(8192, 0).withMaxPendingOutputBytes(32 << 20);
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc), () -> server);
            SocketChannel client = f.connect(l.localAddress());
            assertArrayEquals(payload, Bytes.readToEof(client, payload.length));
            assertTrue(loop.stats().partialWrites() > 0, "a partial write really happened");
            assertTrue(server.closed.await(10, TimeUnit.SECONDS));
            assertEquals(CloseReason.LOCAL, server.closeReason);
        }
    }
}
