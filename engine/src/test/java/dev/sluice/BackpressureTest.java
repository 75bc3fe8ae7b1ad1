package dev.sluice;

import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackpressureTest {
    private static final int CHUNK = 16 * 1024;
    private static final int HIGH = 64 * 1024;
    private static final int LOW = 16 * 1024;

    /** Writes a counting pattern while writable, up to {@code total} bytes; counts what it reads. */
    static final class Producer extends RecordingHandler {
        final long total;
        final AtomicLong produced = new AtomicLong();
        volatile long maxPendingSeen;

        Producer(long total) {
            this.total = total;
        }

        @Override
        public void onOpen(Connection c) {
            super.onOpen(c);
            fill(c);
        }

        @Override
        public void onWritabilityChanged(Connection c, boolean writable) {
            super.onWritabilityChanged(c, writable);
            fill(c);
        }

        @Override
        public void onData(Connection c, ByteBuffer data) {
            bytesIn.addAndGet(data.remaining());
            data.position(data.limit());
        }

        void fill(Connection c) {
            while (c.isWritable() && produced.get() < total) {
                int n = (int) Math.min(CHUNK, total - produced.get());
                ByteBuffer b = ByteBuffer.allocate(n);
                for (int i = 0; i < n; i++) {
                    b.put((byte) (produced.get() + i));
                }
                b.flip();
                if (!c.write(b)) {
                    return;
                }
                produced.addAndGet(n);
                maxPendingSeen = Math.max(maxPendingSeen, c.pendingOutputBytes());
            }
        }
    }

    @Test
    void shouldPauseAtHighWatermarkAndResumeOnceWhenPeerDrains() throws Exception {
        try (LoopFixture f = new LoopFixture("bp")) {
            EventLoop loop = f.startLoop();
            // Watermarks far above what the kernel can absorb (32 KiB socket buffers, doubled by Linux),
            // so the first flush cannot bring pending output down to the low watermark: the sequence of
            // writability changes is deterministic. Output the kernel takes does not count against the
            // high mark, so the producer offers the mark plus more than the kernel's buffers can hold.
            int high = 1024 * 1024;
            int low = 256 * 1024;
            long total = high + 512 * 1024;
            Producer server = new Producer(total);
            ConnectionConfig cc = ConnectionConfig.defaults().withWatermarks(high, low)
                    .withSocketBuffers(32 * 1024, 32 * 1024);
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc), () -> server);

            SocketChannel client = f.track(SocketChannel.open());
            client.setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
            client.connect(l.localAddress());

            // The peer never reads: the server fills up to the high watermark and stops.
            LoopFixture.await(() -> server.writability.size() == 1, "unwritable");
            assertEquals(List.of(false), server.writability);
            assertTrue(server.maxPendingSeen <= high + CHUNK, "pending output bounded by the watermark: " + server.maxPendingSeen);

            // Reading from that peer is paused: its writes fill the server's receive buffer and its own
            // send buffer, then stop being accepted (TCP flow control pushes back).
            client.configureBlocking(false);
            ByteBuffer junk = ByteBuffer.allocate(64 * 1024);
            long sent = 0;
            long bound = 64L * 1024 * 1024;
            while (sent < bound) {
                junk.clear();
                int n = client.write(junk);
                if (n == 0) {
                    break;
                }
                sent += n;
            }
            assertTrue(sent < bound, "the peer's writes were never pushed back: the server kept reading");
            long readWhilePaused = server.bytesIn.get();
            assertTrue(readWhilePaused < sent, "server read everything while it was unwritable");

            // Now the peer drains everything: the server becomes writable once, finishes, and reads again.
            client.configureBlocking(true);
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            long received = 0;
            long expect = 0;
            while (received < total) {
                in.clear();
                int n = client.read(in);
                in.flip();
                for (int i = 0; i < n; i++) {
                    assertEquals((byte) expect++, in.get(i), "byte " + (received + i) + " out of order");
                }
                received += n;
            }
            long finalSent = sent;
            LoopFixture.await(() -> server.bytesIn.get() == finalSent, "server reads what the peer sent");
            assertEquals(List.of(false, true), server.writability, "one callback each way");
            assertEquals(1, loop.stats().becameUnwritable());
            assertEquals(1, loop.stats().becameWritable());
            assertTrue(loop.stats().peakPendingOutputBytes() <= high + CHUNK);
        }
    }

    @Test
    void shouldCloseWithOutputOverflowWhenHardCapIsExceeded() throws Exception {
        try (LoopFixture f = new LoopFixture("overflow")) {
            EventLoop loop = f.startLoop();
            long cap = 256 * 1024;
            RecordingHandler server = new RecordingHandler() {
                @Override
                public void onOpen(Connection c) {
                    super.onOpen(c);
                    // Ignores writability on purpose: keeps writing until the engine refuses.
                    for (int i = 0; i < 1000 && c.write(ByteBuffer.allocate(CHUNK)); i++) {
                        events.add("wrote");
                    }
                }
            };
            // Small socket buffers: the kernel takes a few chunks (they do not count as pending), the rest
            // waits in the engine until the cap refuses.
            ConnectionConfig cc = ConnectionConfig.defaults().withWatermarks(HIGH, LOW).withMaxPendingOutputBytes(cap)
                    .withSocketBuffers(16 * 1024, 0);
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc), () -> server);
            SocketChannel client = f.track(SocketChannel.open());
            client.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
            client.connect(l.localAddress());

            assertTrue(server.closed.await(10, TimeUnit.SECONDS));
            assertEquals(CloseReason.OUTPUT_OVERFLOW, server.closeReason);
            assertTrue(server.closeCause.getMessage().contains("over the cap"), server.closeCause.getMessage());
            long writes = server.events.stream().filter("wrote"::equals).count();
            assertTrue(writes >= cap / CHUNK && writes <= cap / CHUNK + 16,
                    "writes accepted up to the cap plus what the kernel took (at most its small buffers), then refused: " + writes);
            assertTrue(loop.stats().peakPendingOutputBytes() <= cap + CHUNK, "memory bounded by the cap");
            assertEquals(1, loop.stats().closes(CloseReason.OUTPUT_OVERFLOW));
            assertFalse(server.events.contains("close:" + CloseReason.LOCAL));
        }
    }

    @Test
    void shouldCloseWithInputOverflowWhenHandlerNeverConsumes() throws Exception {
        try (LoopFixture f = new LoopFixture("inoverflow")) {
            EventLoop loop = f.startLoop();
            RecordingHandler server = new RecordingHandler() {
                @Override
                public void onData(Connection c, ByteBuffer data) {
                    bytesIn.set(data.remaining()); // consumes nothing: waits for a frame that never ends
                }
            };
            ConnectionConfig cc = ConnectionConfig.defaults().withMaxInputBufferBytes(100 * 1024);
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc), () -> server);
            SocketChannel client = f.connect(l.localAddress());
            client.configureBlocking(false);
            ByteBuffer b = ByteBuffer.allocate(400 * 1024);
            while (b.hasRemaining() && server.closed.getCount() > 0) {
                client.write(b);
            }
            assertTrue(server.closed.await(10, TimeUnit.SECONDS));
            assertEquals(CloseReason.INPUT_OVERFLOW, server.closeReason);
            assertTrue(server.bytesIn.get() <= 100 * 1024, "never held more than the cap: " + server.bytesIn.get());
        }
    }

    @Test
    void shouldHoldNoInputBufferOnceHandlerConsumesTheRest() throws Exception {
        try (LoopFixture f = new LoopFixture("nobuf")) {
            EventLoop loop = f.startLoop();
            RecordingHandler server = new RecordingHandler() {
                @Override
                public void onData(Connection c, ByteBuffer data) {
                    if (data.remaining() >= 10) { // a 10-byte "frame"
                        ByteBuffer frame = data.slice().limit(10);
                        data.position(data.position() + 10);
                        c.writeCopy(frame);
                    }
                }
            };
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> server);
            SocketChannel client = f.connect(l.localAddress());
            client.write(ByteBuffer.wrap("01234".getBytes()));
            LoopFixture.await(() -> loop.stats().bufferedInputBytes() == 5, "5 bytes held");
            client.write(ByteBuffer.wrap("56789".getBytes()));
            ByteBuffer echo = ByteBuffer.allocate(10);
            while (echo.hasRemaining()) {
                client.read(echo);
            }
            assertEquals("0123456789", new String(echo.array()));
            LoopFixture.await(() -> loop.stats().bufferedInputBytes() == 0, "buffer released");
        }
    }
}
