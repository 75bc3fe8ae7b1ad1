package dev.sluice;

import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EventLoop#adopt}: a channel accepted elsewhere, served on the loop; on refusal, closed. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdoptTest {

    @Test
    void shouldServeAChannelAcceptedByAnotherThread() throws Exception {
        try (LoopFixture f = new LoopFixture("adopt");
             ServerSocketChannel server = ServerSocketChannel.open().bind(LoopFixture.ANY_LOOPBACK)) {
            EventLoop loop = f.startLoop();
            SocketChannel client = f.connect((java.net.InetSocketAddress) server.getLocalAddress());
            SocketChannel accepted = server.accept(); // blocking, on the test thread
            RecordingHandler h = new RecordingHandler();
            Connection c = loop.adopt(accepted, ConnectionConfig.defaults(), h);
            assertTrue(h.opened.await(10, TimeUnit.SECONDS));
            assertSame(c, h.connection);
            client.write(ByteBuffer.wrap("adopted".getBytes()));
            assertArrayEquals("adopted".getBytes(), Bytes.readExactly(client, 7));
            assertEquals(1, loop.stats().openConnections());
            client.close();
            assertTrue(h.closed.await(10, TimeUnit.SECONDS));
            assertFalse(accepted.isOpen(), "the loop closed the channel it owned");
        }
    }

    @Test
    void shouldCloseTheChannelAndThrowWhenTheQueueIsFull() throws Exception {
        try (LoopFixture f = new LoopFixture("adopt-full");
             ServerSocketChannel server = ServerSocketChannel.open().bind(LoopFixture.ANY_LOOPBACK)) {
            EventLoop loop = f.adopt(EventLoop.start(f.config().withTaskQueueCapacity(1)));
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch blocked = new CountDownLatch(1);
            loop.execute(() -> {
                blocked.countDown();
                try {
                    release.await(); // hold the loop so the one slot stays taken
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(blocked.await(10, TimeUnit.SECONDS));
            // Fill the queue until it refuses: the consumer frees a slot lazily, so one offer may not be enough.
            boolean full = false;
            for (int i = 0; i < 1_000 && !full; i++) {
                try {
                    loop.execute(() -> { });
                } catch (RejectedExecutionException expected) {
                    full = true;
                }
            }
            assertTrue(full, "the queue filled up while the loop was held");
            f.connect((java.net.InetSocketAddress) server.getLocalAddress());
            SocketChannel accepted = server.accept();
            RecordingHandler h = new RecordingHandler();
            long rejectedBefore = loop.stats().tasksRejected();
            assertThrows(RejectedExecutionException.class, () -> loop.adopt(accepted, ConnectionConfig.defaults(), h));
            assertFalse(accepted.isOpen(), "refused: closed at once");
            release.countDown();
            assertEquals(rejectedBefore + 1, loop.stats().tasksRejected(), "the refused adopt is counted");
            LoopFixture.await(() -> loop.stats().taskQueueDepth() == 0, "the held loop drained its queue");
            // Two round trips through the loop: anything deferred by the first iteration is delivered by the second.
            for (int i = 0; i < 2; i++) {
                CountDownLatch barrier = new CountDownLatch(1);
                loop.execute(barrier::countDown);
                assertTrue(barrier.await(10, TimeUnit.SECONDS));
            }
            assertEquals(1, h.closed.getCount(), "a call that throws never calls back");
            assertEquals(0, loop.stats().openConnections());
        }
    }

    @Test
    void shouldCloseTheChannelAndThrowWhenTheLoopHasEnded() throws Exception {
        try (LoopFixture f = new LoopFixture("adopt-ended");
             ServerSocketChannel server = ServerSocketChannel.open().bind(LoopFixture.ANY_LOOPBACK)) {
            EventLoop loop = f.startLoop();
            loop.close();
            f.connect((java.net.InetSocketAddress) server.getLocalAddress());
            SocketChannel accepted = server.accept();
            assertThrows(IllegalStateException.class,
                    () -> loop.adopt(accepted, ConnectionConfig.defaults(), new RecordingHandler()));
            assertFalse(accepted.isOpen());
        }
    }
}
