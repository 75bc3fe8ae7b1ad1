package dev.sluice.contract;

import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Defect 4 of issue 10: the high watermark must count only output the kernel would not take. One
 * callback that fans out many small writes (see {@code ConnectionHandler#onData}) (a chat room relaying one read to a reader) crosses the high
 * watermark before any write was tried; the connection must try the socket before it calls itself
 * unwritable.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FanOutWatermarkTest {
    private static final int LINE = 210;
    private static final int LINES = 600; // 126,000 bytes: twice the 64 KiB high watermark

    @Test
    void shouldStayWritableWhileTheKernelTakesWhatOneCallbackQueues() throws Exception {
        try (LoopFixture f = new LoopFixture("fanout")) {
            EventLoop loop = f.startLoop();
            RecordingHandler reader = new RecordingHandler();
            // Socket buffers far larger than what the callback queues: the kernel takes all of it even
            // if the reader has not read a byte yet, so the outcome does not depend on thread timing.
            ConnectionConfig cc = ConnectionConfig.defaults().withSocketBuffers(1 << 20, 0);
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc), () -> reader);
            SocketChannel client = f.track(SocketChannel.open());
            client.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            client.connect(l.localAddress());
            assertTrue(reader.opened.await(10, TimeUnit.SECONDS));

            byte[] line = new byte[LINE];
            Arrays.fill(line, (byte) 'x');
            line[LINE - 1] = '\n';
            AtomicInteger refused = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(1);
            loop.execute(() -> {
                Connection c = reader.connection;
                ByteBuffer b = ByteBuffer.wrap(line);
                for (int i = 0; i < LINES; i++) {
                    if (!c.isWritable()) { // the chat's rule: a lagging reader misses the line
                        refused.incrementAndGet();
                        continue;
                    }
                    b.clear();
                    c.writeCopy(b);
                }
                done.countDown();
            });
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(0, refused.get(), "lines refused to a reader whose kernel buffer had room");
            assertEquals(0, loop.stats().becameUnwritable());
            byte[] expected = new byte[LINE * LINES];
            for (int i = 0; i < LINES; i++) {
                System.arraycopy(line, 0, expected, i * LINE, LINE);
            }
            assertArrayEquals(expected, Bytes.readExactly(client, expected.length));
        }
    }

    @Test
    void shouldStillBecomeUnwritableWhenTheKernelRefuses() throws Exception {
        try (LoopFixture f = new LoopFixture("fanout-full")) {
            EventLoop loop = f.startLoop();
            RecordingHandler reader = new RecordingHandler();
            ConnectionConfig cc = ConnectionConfig.defaults().withSocketBuffers(8 * 1024, 0);
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc), () -> reader);
            SocketChannel client = f.track(SocketChannel.open());
            client.setOption(StandardSocketOptions.SO_RCVBUF, 8 * 1024);
            client.connect(l.localAddress());
            assertTrue(reader.opened.await(10, TimeUnit.SECONDS));

            CountDownLatch done = new CountDownLatch(1);
            AtomicInteger queued = new AtomicInteger();
            loop.execute(() -> {
                Connection c = reader.connection;
                while (c.isWritable()) { // the peer never reads: the kernel fills, then the watermark holds
                    c.write(ByteBuffer.allocate(4096));
                    queued.incrementAndGet();
                }
                done.countDown();
            });
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(1, loop.stats().becameUnwritable());
            LoopFixture.await(() -> reader.writability.equals(java.util.List.of(false)), "one unwritable callback");
            assertTrue(queued.get() * 4096L > 64 * 1024, "the kernel took some, the watermark the rest");
        }
    }

}
